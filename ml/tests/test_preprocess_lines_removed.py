"""Ruled lines go; a stroke crossing them stays in one piece."""
import cv2
import numpy as np

from ml.lines import remove_lines


def test_it_removes_lines_but_not_the_stroke_across_them():
    mask = np.zeros((600, 800), np.uint8)
    for y in range(40, 600, 60):
        cv2.line(mask, (0, y), (799, y + 10), 1, 3)
    cv2.line(mask, (400, 100), (420, 420), 1, 12)   # a 1 written across five lines
    clean, lines = remove_lines(mask.astype(bool))
    n, labels = cv2.connectedComponents(clean.astype(np.uint8))
    assert n == 2   # background and the stroke, whole
    ys = np.where(labels == 1)[0]
    assert ys.min() <= 105 and ys.max() >= 415
    assert not clean[:, :300].any() and lines[:, :300].any()
