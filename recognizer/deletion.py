"""Deleting records together with their stored upload files."""
from . import history, jobs, storage


def delete(ids):
    """Delete each record, its images, index entries and upload file; returns how many."""
    removed = 0
    for prediction_id in ids:
        if history.get(prediction_id) is None:
            continue
        jobs.forget(prediction_id)  # its job, with the picture it carries
        storage.remove(history.delete(prediction_id))
        removed += 1
    return removed
