"""HEIC, what iPhones (and many Android phones) save photos in, and AVIF are read like any other
picture: upright by their orientation, and a cut-off file is refused with a clear reason."""
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from ml.decode import FORMAT_BUDGET_SECONDS, MAX_BYTES, ImageRejected, check_upload, decode, estimate
from ml.recognise import recognise

IMAGES = Path(__file__).parent / "fixtures" / "images"


def test_a_heic_digit_is_read():
    data = (IMAGES / "format_7.heic").read_bytes()
    assert check_upload(data) == "HEIF"
    assert recognise(data).number == "7"


def test_a_heic_photo_of_a_sheet_on_a_table_is_read():
    data = (IMAGES / "phone_sheet_305.heic").read_bytes()
    assert recognise(data).number == "305"


def test_a_heic_stored_sideways_is_read_upright():
    # Pixels stored turned a quarter, with the EXIF orientation that shows them upright.
    data = (IMAGES / "phone_sheet_47_sideways.heic").read_bytes()
    with Image.open(io.BytesIO(data)) as img:
        assert img.info["original_orientation"] == 6
    grey, _, full = decode(data)
    assert full == (1600, 1200) and grey.shape == (576, 768)
    assert recognise(data).number == "47"


def test_an_avif_photo_is_read():
    with Image.open(IMAGES / "phone_sheet_305.heic") as img:
        out = io.BytesIO()
        img.save(out, "AVIF", quality=60)
    assert check_upload(out.getvalue()) == "AVIF"
    assert recognise(out.getvalue()).number == "305"


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_a_cut_off_heic_is_refused_as_damaged_before_decoding(keep):
    data = (IMAGES / "phone_sheet_305.heic").read_bytes()
    cut = data[:int(len(data) * keep)]
    with pytest.raises(ImageRejected) as info:
        check_upload(cut)
    assert info.value.code == "damaged"
    with pytest.raises(ImageRejected) as info:
        decode(cut)
    assert info.value.code == "damaged"


def test_a_heic_is_held_to_its_own_budget(monkeypatch):
    # HEIC cannot be decoded at reduced scale, so a phone's photo needs more than the general
    # budget: it is judged against its own, before any pixel is decoded.
    import ml.decode as decode_module

    data = (IMAGES / "phone_sheet_305.heic").read_bytes()
    with Image.open(io.BytesIO(data)) as img:
        seconds, _ = estimate(img, len(data))
    monkeypatch.setattr(decode_module, "BUDGET_SECONDS", seconds / 2)
    assert decode(data)[2] == (1600, 1200)
    monkeypatch.setitem(decode_module.FORMAT_BUDGET_SECONDS, "HEIF", seconds / 2)
    with pytest.raises(ImageRejected) as info:
        decode(data)
    assert info.value.code == "too_costly" and info.value.status == 413


def _heic_header(width, height):
    # What estimate() reads of an opened picture: its header, before any pixel is decoded.
    return SimpleNamespace(size=(width, height), mode="RGB", format="HEIF", info={})


@pytest.mark.parametrize("megabytes", [2, 4, 6])
def test_a_phones_24_megapixel_heic_fits_the_budget(megabytes):
    # iPhones take 24 MP (5712x4284) photos by default since the iPhone 15, a few MB each.
    seconds, _ = estimate(_heic_header(5712, 4284), megabytes * 1_000_000)
    assert seconds <= FORMAT_BUDGET_SECONDS["HEIF"]


def test_the_costliest_heic_the_web_takes_is_still_refused():
    # 40 MP in the 10 MB that an upload may hold: several seconds of one worker.
    seconds, _ = estimate(_heic_header(7300, 5479), MAX_BYTES)
    assert seconds > FORMAT_BUDGET_SECONDS["HEIF"]
