"""Small pictures for the pages: thumbnails of uploads."""
import io

from PIL import Image, ImageOps

THUMB_SIZE = (160, 160)


def thumbnail_png(data):
    """A PNG thumbnail of an uploaded picture, or None when it cannot be drawn."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            # JPEG draft mode decodes at reduced scale: a 12 MP photo costs a few ms, not 100.
            img.draft("RGB", (THUMB_SIZE[0] * 2, THUMB_SIZE[1] * 2))
            img = ImageOps.exif_transpose(img)
            if img.mode not in ("RGB", "RGBA", "L", "LA"):
                img = img.convert("RGBA")
            img.thumbnail(THUMB_SIZE)
            out = io.BytesIO()
            img.save(out, "PNG", optimize=False)
            return out.getvalue()
    except Exception:  # a thumbnail is a nicety: never let it fail a prediction
        return None
