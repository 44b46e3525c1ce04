"""`manage.py prune_history`: apply the retention limits now, end orphaned records, and remove
stored files that no record points at."""
from django.core.management.base import BaseCommand, CommandError
from redis.exceptions import ConnectionError

from recognizer import reconcile, retention, strays


class Command(BaseCommand):
    help = ("Delete history beyond HISTORY_MAX_RECORDS / HISTORY_MAX_AGE_DAYS, with the stored files; "
            "remove stored files that have no record.")

    def handle(self, *args, **options):
        try:
            ended = reconcile.reconcile_all()
            removed = retention.prune()
            stray = strays.remove()
        except ConnectionError as exc:
            raise CommandError(f"Redis is unreachable: {exc}") from None
        self.stdout.write(f"Removed {removed} record(s); ended {ended} orphaned record(s); "
                          f"removed {stray} stored file(s) with no record.")
