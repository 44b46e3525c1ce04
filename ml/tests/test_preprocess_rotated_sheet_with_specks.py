"""A turned sheet with a 3 on a table strewn with specks reads 3, not 53."""
import numpy as np

from ml.recognise import recognise
from ml.render import _sheet_size, ink_of, lay_on_table, photo_bytes, quad_turned, sheet, table_top


def test_it_reads_the_3_and_not_the_specks(mnist):
    (_, _), (x, y) = mnist
    three = x[np.where(y == 3)[0][0]]
    rng = np.random.default_rng(3)
    size = (1500, 2000)
    quad = quad_turned(size, rng, (0.7, 0.6), 8.0)
    wh = _sheet_size(quad)
    page = sheet(wh, rng, ink_of(three, int(0.35 * min(wh))), (30, 30, 40), at=(0.5, 0.5))
    data, _ = photo_bytes(lay_on_table(page, quad, table_top(size, rng, kind=1)), rng)
    assert recognise(data).number == "3"
