"""The worker class: jobs run in this process with the CNN loaded once.

TensorFlow is not fork-safe and loading it per job would cost seconds, so instead of RQ's
forking Worker we use SimpleWorker and load the model before the first job (rq#1088). There is
no work-horse isolation, which is why every job function guards itself and records failures.

Housekeeping rides on RQ's maintenance tick (WORKER_MAINTENANCE_SECONDS) and on start-up:
records left pending by a dead worker are ended (reconcile.py) and old history is pruned.
"""
import logging

from django.conf import settings
from rq import SimpleWorker

log = logging.getLogger(__name__)


class ModelWorker(SimpleWorker):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", settings.WORKER_MAINTENANCE_SECONDS)
        super().__init__(*args, **kwargs)

    def work(self, *args, **kwargs):
        from ml.predict import load_serving_model

        # LiteRT's interpreter, with WORKER_MODEL_THREADS threads: the worker never imports TensorFlow.
        load_serving_model(settings.MODEL_PATH, threads=settings.WORKER_MODEL_THREADS)
        log.info("Model loaded; worker %s ready", self.name)
        self.housekeeping()
        return super().work(*args, **kwargs)

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        self.housekeeping()

    def housekeeping(self):
        from . import reconcile, retention

        # A failure here must never take the worker (and its loaded model) down with it.
        try:
            reconcile.reconcile_all()
            if settings.RETENTION_ON_WORKERS:
                retention.prune()
        except Exception:
            log.exception("Worker housekeeping failed; will try again at the next tick")
