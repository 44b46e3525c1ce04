"""Stored upload files that no record points at: left by a process that died between storing a
picture and recording it, or by a record removed while its file could not be. Any host can
remove them, since the files are found through the storage, not on one disk."""
import logging
import time

from . import history, storage

log = logging.getLogger(__name__)

# A picture is stored a moment before its record is written: younger files are left alone.
GRACE_SECONDS = 600
CHUNK = 500


def find(now=None):
    """Names of stored files with no record, older than GRACE_SECONDS."""
    now = now or time.time()
    names = storage.names()
    strays = []
    for start in range(0, len(names), CHUNK):
        chunk = names[start:start + CHUNK]
        kept = {r["stored"] for r in history.get_many([n.split(".", 1)[0] for n in chunk])}
        strays += [n for n in chunk if n not in kept and storage.age_seconds(n, now) > GRACE_SECONDS]
    return strays


def remove(now=None):
    """Delete the stray files; returns how many went."""
    strays = find(now)
    for name in strays:
        storage.remove(name)
    if strays:
        log.info("Removed %d stored file(s) with no record", len(strays))
    return len(strays)
