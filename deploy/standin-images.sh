#!/bin/sh
# Stand-ins for the three Docker Hub images (python:3.11-slim, redis:7, nginx:1.27), built from
# Debian bookworm packages, for a host that reaches a Debian mirror and PyPI but not Docker Hub.
# Run as root with debootstrap installed and a Docker daemon up; then build and run as usual:
#   deploy/standin-images.sh [MIRROR]
#   docker build --network host --build-arg BASE_IMAGE=local/python:3.11-slim -t digit-recognizer:latest .
#   SECRET_KEY=... docker-compose up -d --no-build --scale worker=2
# The redis and nginx stand-ins take the official tags, so compose.yaml runs unchanged; remove
# them (docker rmi redis:7 nginx:1.27) before pulling the real ones.
set -eu
MIRROR=${1:-http://deb.debian.org/debian}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Debian's python3 is 3.11 on bookworm; python-is-python3 gives the image its `python`.
debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
    bookworm "$WORK/rootfs" "$MIRROR"
# A host behind a TLS-inspecting proxy trusts its own CA; the image needs it to reach PyPI.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    cp /usr/local/share/ca-certificates/*.crt "$WORK/rootfs/usr/local/share/ca-certificates/"
    chroot "$WORK/rootfs" update-ca-certificates >/dev/null
fi
rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
tar -C "$WORK/rootfs" -c . | docker import \
    --change 'ENV LANG=C.UTF-8' --change 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["python3"]' - local/python:3.11-slim

mkdir "$WORK/redis" "$WORK/nginx"
cat > "$WORK/redis/Dockerfile" <<'EOF'
FROM local/python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends redis-server redis-tools \
    && rm -rf /var/lib/apt/lists/* && mkdir -p /data
WORKDIR /data
CMD ["redis-server"]
EOF
docker build --network host -q -t redis:7 "$WORK/redis"

# The official nginx image fills /etc/nginx/templates/*.template with the environment's
# variables (only those, so nginx's own $host stays); this entrypoint does the same.
cat > "$WORK/nginx/entrypoint.sh" <<'EOF'
set -e
vars=$(env | cut -d= -f1 | sed 's/^/${/; s/$/}/' | tr '\n' ' ')
for t in /etc/nginx/templates/*.template; do
    [ -e "$t" ] || continue
    envsubst "$vars" < "$t" > "/etc/nginx/conf.d/$(basename "$t" .template)"
done
exec "$@"
EOF
cat > "$WORK/nginx/Dockerfile" <<'EOF'
FROM local/python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx-light gettext-base \
    && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
    && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
COPY entrypoint.sh /entrypoint.sh
ENTRYPOINT ["sh", "/entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
EOF
docker build --network host -q -t nginx:1.27 "$WORK/nginx"
docker images local/python:3.11-slim
