"""Uploaded pictures, named by prediction id: a user's filename never becomes a path.

They live under uploads/ of Django's default storage (settings.STORAGES): MEDIA_ROOT on local
disk, or an S3-compatible bucket that every web host and worker shares. Records keep the bare
file name (`<id>.<ext>`), so they do not depend on where the files are.
"""
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ml.decode import FORMATS

FOLDER = "uploads"


def _name(stored):
    # `stored` comes from our own record, but refuse anything that is not a bare file name.
    if not stored or "/" in stored or "\\" in stored or stored.startswith("."):
        return None
    return f"{FOLDER}/{stored}"


def upload_dir():
    """The folder of uploads on local disk (local storage only)."""
    path = settings.MEDIA_ROOT / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def describe(image_format):
    """(extension, content type) for a Pillow format name."""
    return FORMATS.get(image_format, ("bin", "application/octet-stream"))


def save(prediction_id, data, image_format):
    """Store the upload as <id>.<ext> and return that name."""
    ext, _ = describe(image_format)
    name = f"{prediction_id}.{ext}"
    saved = default_storage.save(_name(name), ContentFile(data))
    # Ids are unique, so the storage never has to pick another name; if it did, say which.
    return saved.rsplit("/", 1)[-1]


def path(stored):
    """The file's path on local disk, or None (local storage only)."""
    name = _name(stored)
    return None if name is None else upload_dir() / stored


def open(stored):
    """The stored file opened for reading, or None when it is not (or no longer) stored."""
    name = _name(stored)
    if name is None:
        return None
    try:
        return default_storage.open(name, "rb")
    except FileNotFoundError:
        return None


def exists(stored):
    name = _name(stored)
    return name is not None and default_storage.exists(name)


def remove(stored):
    name = _name(stored)
    if name is not None:
        # Both local disk and S3 treat deleting a missing file as done.
        default_storage.delete(name)


def names():
    """Every stored upload's file name."""
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    return sorted(files)


def age_seconds(stored, now=None):
    """How long ago the file was written, from the storage's own clock (mtime or LastModified)."""
    written = default_storage.get_modified_time(_name(stored))
    return (now or time.time()) - written.timestamp()
