"""The committed corpus sample, read by the real model: every case must come out right."""
import json
from collections import defaultdict
from pathlib import Path

import pytest

from ml.corpus import CASE_IDS

# Reads every committed sample picture with the model: left out of `make test-fast`.
pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).parent / "fixtures" / "corpus"
LABELS = json.loads((SAMPLE / "labels.json").read_text())


def _by_case():
    cases = defaultdict(list)
    for name, item in sorted(LABELS.items()):
        cases[item["case"]].append((name, item["answer"]))
    return cases


@pytest.fixture(scope="module")
def answers():
    from ml.recognise import recognise_many

    names = sorted(LABELS)
    results = recognise_many([(SAMPLE / n).read_bytes() for n in names])
    return {n: (r.number if hasattr(r, "number") else repr(r)) for n, r in zip(names, results)}


def test_every_sampled_case_is_a_case_of_the_corpus():
    # The sample predates the page, shadow, line and sticky-note cases; those are read by their
    # own tests (test_preprocess_*) and by the held-out evaluation.
    assert set(_by_case()) <= set(CASE_IDS)


@pytest.mark.parametrize("case", sorted(set(_by_case())))
def test_it_reads_every_sample_picture_of_the_case(case, answers):
    items = [(name, truth) for name, truth in _by_case()[case]]
    wrong = {name: (answers[name], truth) for name, truth in items if answers[name] != truth}
    # Samples are small (1-9 per case): all must be right.
    assert not wrong, f"(got, truth): {wrong}"
