"""`manage.py worker_health`: exit 0 when this host's RQ worker sent a heartbeat recently, 1 if
not; the worker container's liveness probe (a hung worker stops beating). A Redis outage is
not the worker's fault and does not fail the check."""
from django.core.management.base import BaseCommand, CommandError
from redis.exceptions import ConnectionError, TimeoutError

from recognizer.health import HEARTBEAT_MAX_AGE, worker_status


class Command(BaseCommand):
    help = "Exit 0 when a worker on this host sent a heartbeat within --max-age seconds, else 1."

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=int, default=HEARTBEAT_MAX_AGE,
                            help=f"Seconds since the last heartbeat (default {HEARTBEAT_MAX_AGE}).")
        parser.add_argument("--hostname", default=None, help="The worker's host name (default: this host).")

    def handle(self, *args, max_age, hostname, **options):
        try:
            healthy, message = worker_status(hostname=hostname, max_age=max_age)
        except (ConnectionError, TimeoutError) as exc:
            # The heartbeat cannot be read, but the worker is not to blame: restarting it (and
            # reloading its model) would not bring Redis back, so liveness holds.
            self.stderr.write(f"Redis is unreachable ({exc}); the heartbeat cannot be checked.")
            return
        if not healthy:
            raise CommandError(message)
        self.stdout.write(message)
