"""`manage.py export_corrections DIR` writes 28x28 pictures and labels.csv for ml.train --extra."""
import csv

from django.core.management import call_command
from PIL import Image

from recognizer import history

from .records import make_record


def test_it_writes_images_and_labels_of_corrected_single_digits(tmp_path):
    wrong = make_record("wrong.png", digit=1)
    right = make_record("right.png", digit=8)
    number = make_record("number.png", digit=3, digits=2)
    make_record("uncorrected.png", digit=5)
    history.set_correction(wrong, 7)
    history.set_correction(right, 8)
    history.set_correction(number, 4)
    out = tmp_path / "extra"
    call_command("export_corrections", str(out))
    with open(out / "labels.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted((r["file"], r["label"]) for r in rows) == sorted([(f"{wrong}.png", "7"), (f"{right}.png", "8")])
    for row in rows:
        with Image.open(out / row["file"]) as img:
            assert img.size == (28, 28) and img.mode == "L"


def test_the_training_script_reads_the_export(tmp_path):
    from ml.train import load_extra
    make_record("a.png", digit=2)
    history.set_correction(history.page()[1][0]["id"], 3)
    call_command("export_corrections", str(tmp_path))
    images, labels = load_extra(tmp_path)
    assert images.shape == (1, 28, 28) and list(labels) == [3]
