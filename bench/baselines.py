"""Two synchronous designs to measure the queued one against, as WSGI apps for gunicorn.

  per_request_app   the naive design of many MNIST demos: the view loads the Keras model for every request
  loaded_once_app   a synchronous view with the model loaded once per process

Both answer POST (multipart, field `image`, one file) with {"digit": d} and use the same
preprocessing as the worker (ml.recognise), so only the serving design differs.
"""
import json
from email.parser import BytesParser
from email.policy import HTTP

from ml.predict import KERAS_MODEL_PATH
from ml.decode import ImageRejected
from ml.recognise import recognise


def _first_file(environ):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    head = f"Content-Type: {environ.get('CONTENT_TYPE', '')}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "image":
            return part.get_payload(decode=True)
    return b""


def _respond(start_response, status, payload):
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _answer(environ, start_response, predictor_factory):
    if environ["REQUEST_METHOD"] != "POST":
        return _respond(start_response, "200 OK", {"ready": True})
    data = _first_file(environ)
    try:
        result = recognise(data, predictor_factory())
    except ImageRejected as exc:
        return _respond(start_response, "400 Bad Request", {"error": str(exc)})
    return _respond(start_response, "200 OK", {"digit": result.digit, "number": result.number})


class _KerasPredict:
    """The naive design, per request: load the saved model, then `model.predict`."""

    def __init__(self):
        import keras

        self.model = keras.models.load_model(KERAS_MODEL_PATH, compile=False)

    def predict(self, x):
        return self.model.predict(x, verbose=0)


def per_request_app(environ, start_response):
    return _answer(environ, start_response, _KerasPredict)


def loaded_once_app(environ, start_response):
    from ml.predict import get_predictor

    return _answer(environ, start_response, get_predictor)
