"""Paper that a printed margin line splits into two parts, as bright as each other, is one
sheet: the part with the digit is not taken for the table and cut away (rendered corpus picture,
tuning split; the sheet fills the frame, so there is no table to find at all)."""
import numpy as np

from ml.corpus import generate
from ml.decode import decode
from ml.page import find_page


def test_it_does_not_cut_the_sheet_at_its_margin_line(mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("squared_paper", 31, *mnist_test_set, split="tuning")
    grey, _, _ = decode(data)
    page = find_page(np.ascontiguousarray(grey, np.float32))
    assert page is None or page.inside.mean() > 0.9
    assert recognise(data).number == truth
