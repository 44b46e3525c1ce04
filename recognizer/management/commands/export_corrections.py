"""Write corrected uploads as extra training data: `manage.py export_corrections DIR`."""
from django.core.management.base import BaseCommand, CommandError
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
            raise CommandError(f"Cannot reach Redis: {exc}") from None
        self.stdout.write(f"Wrote {written} labelled images to {directory}")
