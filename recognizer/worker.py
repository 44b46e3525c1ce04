"""The worker class: jobs run in this process with the CNN loaded once.

TensorFlow is not fork-safe and loading it per job would cost seconds, so instead of RQ's
forking Worker we use SimpleWorker and load the model before the first job (rq#1088). There is
no work-horse isolation, which is why every job function guards itself and records failures.
"""
import logging

from rq import SimpleWorker

log = logging.getLogger(__name__)


class ModelWorker(SimpleWorker):
    def work(self, *args, **kwargs):
        from ml.predict import get_predictor

        get_predictor()
        log.info("Model loaded; worker %s ready", self.name)
        return super().work(*args, **kwargs)
