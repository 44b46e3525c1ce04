"""README.md's figures are the artifacts' figures: written by `make report`, never by hand."""
import re

from ml import report


def test_it_has_a_block_for_every_artifact():
    names = set(re.findall(r"<!-- figures:([a-z_]+) -->", report.README.read_text()))
    assert names == set(report.RENDERERS)


def test_it_matches_the_artifacts():
    current = report.README.read_text()
    assert report.render(current) == current, "README.md differs from the artifacts: run `make report`"


def test_it_rewrites_a_figure_typed_by_hand(tmp_path):
    current = report.README.read_text()
    block = re.search(r"<!-- figures:model -->\n(.*?)<!-- /figures:model -->", current, re.S).group(1)
    typed = current.replace(block, block.replace("|", "| 100 %", 1))
    assert report.render(typed) == current
