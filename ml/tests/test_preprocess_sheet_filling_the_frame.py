"""A 12 MP phone photo of a 7 on a sheet filling most of the frame, table at the edges, reads 7."""
import numpy as np
import pytest

from ml.recognise import recognise
from ml.render import _sheet_size, ink_of, lay_on_table, photo_bytes, quad_filling, sheet, table_top

# Reads a 12 MP photo: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def test_it_reads_the_7_not_the_table(mnist):
    (_, _), (x, y) = mnist
    seven = x[np.where(y == 7)[0][0]]
    rng = np.random.default_rng(7)
    size = (3000, 4000)
    quad = quad_filling(size, rng)
    wh = _sheet_size(quad)
    page = sheet(wh, rng, ink_of(seven, int(0.3 * min(wh))), (30, 30, 40), at=(0.5, 0.5))
    data, _ = photo_bytes(lay_on_table(page, quad, table_top(size, rng, kind=0)), rng)
    assert recognise(data).number == "7"
