"""The history as CSV or JSON, produced row by row so any number of records fits in memory.

One export costs a bounded amount: at most EXPORT_MAX_ROWS rows (the newest), read from Redis
a page at a time. A Redis failure part-way raises inside the stream, so the server cuts the
connection and the client sees a broken download, never a short file that looks complete.
"""
import csv
import itertools
import json
import logging
from datetime import datetime, timezone

from django.conf import settings

from . import history

log = logging.getLogger(__name__)

COLUMNS = ("id", "created_at", "filename", "status", "digit", "number", "confidence",
           "low_confidence", "correction", "duration_ms", "error", "source", "size_bytes")
# Spreadsheets run cells starting with these as formulas, also after leading spaces or line
# breaks; a filename must never do that.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LEADING_BLANKS = " \t\r\n\x0b\x0c\u00a0\u3000"
PAGE_ROWS = 500


def iso(timestamp):
    """A record's epoch seconds as ISO 8601 in UTC (the API and the exports say times alike)."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat()


def row(record):
    values = {name: record.get(name) for name in COLUMNS}
    values["created_at"] = iso(record.get("created_at"))
    return values


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_START) or text.lstrip(LEADING_BLANKS).startswith(FORMULA_START):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value):
        return value


class ExportCut(Exception):
    """Raised inside a streaming export whose rows stopped coming: the response must not end."""


def _guarded(records):
    try:
        yield from records
    except Exception as exc:
        log.error("Export cut after a failure reading the history: %r", exc)
        raise ExportCut("the history could not be read to the end") from exc


def csv_lines(records):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for record in _guarded(records):
        values = row(record)
        yield writer.writerow([_cell(values[name]) for name in COLUMNS])


def json_chunks(records):
    yield "["
    first = True
    for record in _guarded(records):
        yield ("" if first else ",") + "\n" + json.dumps(row(record), ensure_ascii=False)
        first = False
    yield "\n]\n"


def records(filters, *, owner=None):
    """The newest EXPORT_MAX_ROWS records matching `filters` (and `owner`), newest first.

    The first page is read now, so an unreachable Redis fails the request before it answers.
    """
    rows = history.iter_records(chunk=PAGE_ROWS, owner=owner, **filters)
    rows = itertools.islice(rows, settings.EXPORT_MAX_ROWS)
    first = list(itertools.islice(rows, 1))
    return itertools.chain(first, rows)
