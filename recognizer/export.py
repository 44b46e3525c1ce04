"""The history as CSV or JSON, produced row by row so any number of records fits in memory."""
import csv
import json
from datetime import datetime, timezone

from . import history

COLUMNS = ("id", "created_at", "filename", "status", "digit", "number", "confidence",
           "low_confidence", "correction", "duration_ms", "error", "source", "size_bytes")
# Spreadsheets run cells starting with these as formulas; a filename must never do that.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(timestamp):
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat()


def row(record):
    values = {name: record.get(name) for name in COLUMNS}
    values["created_at"] = _iso(record.get("created_at"))
    return values


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value):
        return value


def csv_lines(records):
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for record in records:
        values = row(record)
        yield writer.writerow([_cell(values[name]) for name in COLUMNS])


def json_chunks(records):
    yield "["
    first = True
    for record in records:
        yield ("" if first else ",") + "\n" + json.dumps(row(record), ensure_ascii=False)
        first = False
    yield "\n]\n"


def records(filters):
    return history.iter_records(**filters)
