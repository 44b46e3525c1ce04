"""manage.py predict: digits from files on the command line, in-process, one model call."""
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "ml" / "tests" / "fixtures" / "images"
SEVEN = str(IMAGES / "canvas_7_black_on_transparent.png")
NUMBER = str(IMAGES / "number_2027.png")
BLANK = str(IMAGES / "blank_white.png")
NOT_A_PICTURE = str(IMAGES / "make_images.py")


def _run(*args):
    out = io.StringIO()
    call_command("predict", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_prints_file_answer_and_confidence_per_file():
    lines = _run(SEVEN, NUMBER)
    assert len(lines) == 2
    name, answer, confidence = lines[0].split()
    assert (name, answer) == (SEVEN, "7") and 0.5 < float(confidence) <= 1.0
    assert lines[1].split()[:2] == [NUMBER, "2027"]


def test_it_prints_an_error_line_for_files_it_cannot_read_and_carries_on(tmp_path):
    missing = str(tmp_path / "nope.png")
    lines = _run(missing, NOT_A_PICTURE, BLANK, SEVEN)
    assert lines[0].startswith(f"{missing} error:")
    assert lines[1].startswith(f"{NOT_A_PICTURE} error:") and "not a picture" in lines[1]
    assert lines[2] == f"{BLANK} error: No digit found in the picture"
    assert lines[3].split()[:2] == [SEVEN, "7"]


def test_it_prints_one_json_object_per_file_with_json(tmp_path):
    missing = str(tmp_path / "nope.png")
    records = [json.loads(line) for line in _run("--json", SEVEN, NUMBER, missing)]
    one, several, error = records
    assert one["file"] == SEVEN and one["digit"] == 7 and "number" not in one
    assert len(one["probabilities"]) == 10 and abs(sum(one["probabilities"]) - 1) < 1e-3
    assert one["confidence"] == pytest.approx(max(one["probabilities"]), abs=1e-4)
    assert several["number"] == "2027" and several["digit"] is None and len(several["probabilities"]) == 4
    assert error["file"] == missing and error["error"] and error["digit"] is None


def test_it_asks_the_model_at_most_twice_for_all_files(monkeypatch):
    import ml.predict

    calls = []

    class Fake:
        def predict(self, inputs):
            calls.append(len(inputs))
            out = np.zeros((len(inputs), 10), np.float32)
            out[:, 1] = 1.0
            return out

    monkeypatch.setattr(ml.predict, "get_predictor", lambda: Fake())
    lines = _run(SEVEN, NUMBER, BLANK, SEVEN)
    # One call for every file's plain reading, and at most one more for the other cuts of the
    # groups whose reading is in doubt (here: pieces read as a "1" wider than a 1 ever is).
    assert len(calls) <= 2 and calls[0] == 1 + 4 + 1
    assert [line.split()[1] for line in lines] == ["1", "1111", "error:", "1"]


def test_it_refuses_to_run_without_files():
    with pytest.raises(CommandError):
        call_command("predict")


def test_it_exits_2_on_a_usage_error_from_the_command_line():
    done = subprocess.run([sys.executable, "manage.py", "predict"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "FILE" in done.stderr
