"""The model card shows metrics.json, the training plots (staff only), baselines and corpus results."""
import json

import pytest
from django.contrib.auth.models import User

from recognizer import dashboard

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@pytest.fixture
def artifacts(tmp_path, monkeypatch):
    (tmp_path / "metrics.json").write_text(json.dumps({
        "model": "cnn", "test_accuracy": 0.9876, "test_errors": 124, "test_size": 10000,
        "per_class_accuracy": {str(d): 0.98 for d in range(10)}, "parameters": 1234,
        "file_size_bytes": 2048, "speed": {"single_image_ms_median": 0.5},
    }))
    (tmp_path / "baselines.json").write_text(json.dumps({
        "lenet": {"test_accuracy": 0.9811, "parameters": 61706, "file_size_bytes": 1000,
                  "single_image_ms_median": 0.3, "batched_images_per_s": 5000},
    }))
    (tmp_path / "corpus_results.json").write_text(json.dumps({
        "n_per_case": 50, "cases": [{"case": "phone_photo", "label": "phone photo, uneven light", "n": 50,
                                     "ours": 0.94, "naive": 0.3, "hard": False}],
        "overall": {"n": 50, "ours": 0.94, "naive": 0.3},
    }))
    (tmp_path / "served.json").write_text(json.dumps({"test_accuracy": 0.989, "test_errors": 110,
                                                       "test_size": 10000}))
    (tmp_path / "confusion_matrix.png").write_bytes(PNG)
    monkeypatch.setattr(dashboard, "ARTIFACTS", tmp_path)
    return tmp_path


@pytest.mark.django_db
def test_it_shows_metrics_baselines_corpus_and_plots(admin_client, artifacts):
    page = admin_client.get("/dashboard/").content.decode()
    assert 'id="model-accuracy">98.76%<' in page
    assert "124 / 10000" in page
    assert 'id="served-accuracy">98.90%<' in page  # what the workers answer with: the pair
    assert "lenet" in page and "98.11%" in page
    assert "Phone photo" in page and "94.0%" in page  # the case, by its label
    assert 'src="/dashboard/plots/confusion_matrix.png"' in page
    plot = admin_client.get("/dashboard/plots/confusion_matrix.png")
    assert plot.status_code == 200 and plot.content == PNG and plot["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_it_serves_plots_to_staff_only_and_only_plots(client, admin_client, artifacts):
    (artifacts / "secret.txt").write_text("no")
    assert admin_client.get("/dashboard/plots/secret.txt").status_code == 404
    assert admin_client.get("/dashboard/plots/..%2Fmetrics.json").status_code == 404
    assert client.get("/dashboard/plots/confusion_matrix.png").status_code == 302
    User.objects.create_user("visitor", password="pw-123456789")
    client.login(username="visitor", password="pw-123456789")
    assert client.get("/dashboard/plots/confusion_matrix.png").status_code == 302


@pytest.mark.django_db
def test_it_survives_missing_artifacts(admin_client, tmp_path, monkeypatch):
    monkeypatch.setattr(dashboard, "ARTIFACTS", tmp_path / "nothing")
    page = admin_client.get("/dashboard/")
    assert page.status_code == 200
    assert b"No model card found." in page.content


def test_it_names_every_kind_of_picture_of_the_corpus():
    from ml.render import CASE_IDS

    # A case without a name here would show the corpus's English label on a Chinese page.
    assert set(dashboard.CASE_LABELS) == set(CASE_IDS)
