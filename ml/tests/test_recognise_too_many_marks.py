"""A picture with more than 12 digit-like marks is answered "too many marks", not a long number."""
import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from ml.recognise import TOO_MANY_MARKS, TooManyMarks, recognise
from ml.render import FONT_DIR


def test_it_refuses_a_line_of_twenty_digits():
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 60)
    img = Image.new("L", (1400, 200), 255)
    ImageDraw.Draw(img).text((20, 50), "12345678901234567890", font=font, fill=0)
    out = io.BytesIO()
    img.save(out, "PNG")
    with pytest.raises(TooManyMarks) as caught:
        recognise(out.getvalue())
    assert caught.value.code == TOO_MANY_MARKS and caught.value.params["marks"] > 12
