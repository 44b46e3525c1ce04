"""A page photographed at an angle is found and warped flat: its far edge as long as its near one."""
import numpy as np

from ml.page import find_page
from ml.render import lay_on_table, sheet, table_top


def test_it_warps_a_keystoned_sheet_to_a_rectangle():
    rng = np.random.default_rng(1)
    size = (1000, 1300)
    quad = np.float32([[300, 150], [700, 150], [900, 1150], [100, 1150]])   # far edge half as long
    page = sheet((800, 1000), rng, np.zeros((10, 10), np.float32), (0, 0, 0))
    rgb = lay_on_table(page, quad, table_top(size, rng, kind=1))
    grey = rgb.mean(2).astype(np.float32)
    found = find_page(grey)
    assert found is not None and found.warped
    top, bottom = np.linalg.norm(found.quad[1] - found.quad[0]), np.linalg.norm(found.quad[2] - found.quad[3])
    assert top < 0.6 * bottom   # the keystone was seen...
    flat = found.grey
    assert flat.mean() > 0.75 and flat.shape[0] > 0.5 * flat.shape[1]   # ...and the result is all paper
