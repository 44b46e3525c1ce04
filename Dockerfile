# syntax=docker/dockerfile:1
# Two stages: dependencies are installed in a throw-away image, so the runtime image carries
# no compilers or pip caches. One image runs every role: web (default), worker, migrations.

FROM python:3.11-slim AS deps
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
COPY requirements.txt /tmp/requirements.txt
RUN /venv/bin/pip install --upgrade pip && /venv/bin/pip install -r /tmp/requirements.txt

FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    DATA_DIR=/data \
    STATIC_ROOT=/app/staticfiles \
    PORT=8000
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /data && chown app:app /data
COPY --from=deps /venv /venv
WORKDIR /app
# Code and the trained model are owned by root: the app user can read them, not change them.
COPY manage.py ./
COPY mnistsite mnistsite
COPY recognizer recognizer
COPY ml ml
COPY templates templates
COPY static static
COPY locale locale
# The model is part of the image: a container never downloads or trains anything.
RUN test -s ml/artifacts/mnist_cnn.keras \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v 0
USER app
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
CMD ["sh", "-c", "python manage.py migrate --noinput -v 0 && exec gunicorn mnistsite.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} --threads ${WEB_THREADS:-8} --timeout 60 --access-logfile -"]
