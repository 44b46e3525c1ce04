"""In a photo, only the writing counts: not the table around the sheet, not the sheet's edge."""
from pathlib import Path

from ml.preprocess import preprocess

IMAGES = Path(__file__).parent / "fixtures" / "images"


def test_it_ignores_the_table_around_a_sheet_of_paper():
    pre = preprocess((IMAGES / "paper_on_table_3.jpg").read_bytes())
    assert len(pre.inputs) == 1 and pre.inverted
    left, top, right, bottom = pre.boxes[0]
    # The 3 is drawn on the sheet at about x 800-1000, y 540-830 of the 1200x900 photo.
    assert 760 < left < right < 1040 and 500 < top < bottom < 870


def test_it_still_reads_a_bold_digit_cropped_tight_to_the_frame():
    pre = preprocess((IMAGES / "tight_crop_bold_2.png").read_bytes())
    assert len(pre.inputs) == 1
    assert pre.boxes[0][3] - pre.boxes[0][1] > 150
