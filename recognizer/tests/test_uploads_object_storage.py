"""With an S3-compatible bucket as the storage, uploads go to the bucket, are served from it,
and leave it when their record is deleted or pruned. The bucket is served by a real S3 API on
loopback (moto's server mode), not by mocked client calls."""
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recognizer import history, retention, storage

from .records import make_record, png
from .servers import s3_server  # noqa: F401  (fixture)

# Starts servers or processes of its own: left out of `make test-fast`.
pytestmark = pytest.mark.slow


@pytest.fixture
def bucket(s3_server, settings):  # noqa: F811
    name = s3_server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_setting(name)}
    return name


def keys(s3_server, bucket):  # noqa: F811
    return s3_server.keys(bucket)


@pytest.mark.django_db
def test_it_stores_an_upload_in_the_bucket_and_serves_it_from_there(client, s3_server, bucket, settings):  # noqa: F811
    data = png((64, 64), 255)
    response = client.post("/", {"image": SimpleUploadedFile("white.png", data, "image/png")})
    assert response.status_code == 302, response.content
    prediction_id = response["Location"].strip("/").split("/")[-1]
    stored = history.get(prediction_id)["stored"]
    assert keys(s3_server, bucket) == [f"uploads/{stored}"]
    body = s3_server.client().get_object(Bucket=bucket, Key=f"uploads/{stored}")["Body"].read()
    assert body == data
    assert not (settings.MEDIA_ROOT / "uploads").exists()

    served = client.get(f"/media/{prediction_id}/upload")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == data
    assert served["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_a_delete_removes_the_object(admin_client, s3_server, bucket):  # noqa: F811
    keep, doomed = make_record("keep.png", digit=1), make_record("doomed.png", digit=2)
    stored = {i: history.get(i)["stored"] for i in (keep, doomed)}
    assert len(keys(s3_server, bucket)) == 2

    assert admin_client.post(f"/p/{doomed}/delete").status_code == 302
    assert keys(s3_server, bucket) == [f"uploads/{stored[keep]}"]
    assert admin_client.get(f"/media/{doomed}/upload").status_code == 404
    assert admin_client.get(f"/media/{keep}/upload").status_code == 200


def test_retention_removes_the_objects_of_pruned_records(s3_server, bucket, settings):  # noqa: F811
    settings.HISTORY_MAX_RECORDS = 0
    settings.HISTORY_MAX_AGE_DAYS = 1
    old = make_record("old.png", digit=3, created_at=time.time() - 3 * 86400)
    new = make_record("new.png", digit=4)
    assert len(keys(s3_server, bucket)) == 2

    assert retention.prune() == 1
    assert history.get(old) is None
    assert keys(s3_server, bucket) == [f"uploads/{history.get(new)['stored']}"]


def test_a_missing_object_is_a_404_not_an_error(client, s3_server, bucket):  # noqa: F811
    prediction_id = make_record("gone.png", digit=5)
    storage.remove(history.get(prediction_id)["stored"])
    assert keys(s3_server, bucket) == []
    assert client.get(f"/media/{prediction_id}/upload").status_code == 404
