"""How long the history is kept: HISTORY_MAX_RECORDS and HISTORY_MAX_AGE_DAYS (0 keeps all)."""
import logging

from django.conf import settings

from . import history, jobs, storage

log = logging.getLogger(__name__)


def limits():
    max_records = settings.HISTORY_MAX_RECORDS or None
    max_age = settings.HISTORY_MAX_AGE_DAYS * 86400 if settings.HISTORY_MAX_AGE_DAYS else None
    return max_records, max_age


def prune(now=None):
    """Delete records beyond the limits, with their stored files; returns how many went."""
    max_records, max_age = limits()
    if max_records is None and max_age is None:
        return 0
    names = history.prune(max_records=max_records, max_age_seconds=max_age, now=now)
    for name in names:
        storage.remove(name)
    if names:  # the pruned records' jobs, now that no record needs them
        jobs.forget_orphans()
    if names:
        log.info("Retention removed %d record(s)", len(names))
    return len(names)
