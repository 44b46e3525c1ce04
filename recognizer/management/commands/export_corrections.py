"""Write corrected uploads as extra training data: `manage.py export_corrections DIR`."""
import sys

from django.core.management.base import BaseCommand
from redis.exceptions import ConnectionError as RedisConnectionError

from recognizer import corrections


class Command(BaseCommand):
    help = ("Write the 28x28 images of corrected single-digit predictions and labels.csv "
            "(file,label) to DIR, for `python -m ml.train --extra DIR`.")

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        try:
            written = corrections.export(directory)
        except RedisConnectionError as exc:
            self.stderr.write(f"Cannot reach Redis: {exc}")
            sys.exit(1)
        self.stdout.write(f"Wrote {written} labelled images to {directory}")
