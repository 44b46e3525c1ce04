"""Uploaded pictures on disk, named by prediction id: a user's filename never becomes a path."""
from django.conf import settings

from ml.decode import FORMATS

def upload_dir():
    path = settings.MEDIA_ROOT / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def describe(image_format):
    """(extension, content type) for a Pillow format name."""
    return FORMATS.get(image_format, ("bin", "application/octet-stream"))


def save(prediction_id, data, image_format):
    """Write the upload as <id>.<ext> and return that name."""
    ext, _ = describe(image_format)
    name = f"{prediction_id}.{ext}"
    (upload_dir() / name).write_bytes(data)
    return name


def path(stored):
    # `stored` comes from our own record, but refuse anything that is not a bare file name.
    if not stored or "/" in stored or "\\" in stored or stored.startswith("."):
        return None
    return upload_dir() / stored


def remove(stored):
    target = path(stored)
    if target is not None:
        target.unlink(missing_ok=True)
