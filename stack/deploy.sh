#!/usr/bin/env bash
# Deploys Jakarta FaaS on Docker Swarm with one command: starts a single-node swarm when this
# engine is in none, builds the images locally (stack/build-images.sh, no registry), deploys
# stack/docker-compose.yml, waits until the gateway and the sample functions answer, and prints
# the URLs. stack/remove.sh undoes it.
#
#   stack/deploy.sh [--stack NAME] [--port N] [--host ADDR] [--tag TAG] [--no-build]
#                   [--with-prometheus] [--no-auth]
#
# --stack  the stack's name (default faas; $FAAS_STACK); --port  the gateway's host port
# (default 8080; $FAAS_PORT); --host  the address of the manager node that runs the gateway, where
# the port opens (default 127.0.0.1; $FAAS_GATEWAY_HOST); --tag  the image tag (default latest;
# $FAAS_IMAGE_TAG); --no-build  use images built before; --with-prometheus  adds Prometheus
# (stack/docker-compose.prometheus.yml, host port $FAAS_PROMETHEUS_PORT, default 9090).
# $FAAS_ADVERTISE_ADDR is the address a new swarm advertises (default 127.0.0.1). The engine is
# the one docker talks to ($DOCKER_HOST); when that is a unix:// socket, the gateway is given the
# same socket on its node ($FAAS_DOCKER_SOCKET, default /var/run/docker.sock);
# $FAAS_DEPLOY_TIMEOUT bounds the wait in seconds (default 300). The management API and the UI
# ask for user admin and a random password, created once as the Docker secret
# <stack>_basic-auth-password and kept in data/<stack>-basic-auth-password (mode 0600);
# --no-auth turns authentication off.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STACK=${FAAS_STACK:-faas}
PORT=${FAAS_PORT:-8080}
HOST=${FAAS_GATEWAY_HOST:-127.0.0.1}
TAG=${FAAS_IMAGE_TAG:-latest}
BUILD=1
PROMETHEUS=0
AUTH=1
TIMEOUT=${FAAS_DEPLOY_TIMEOUT:-300}
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) STACK=${2:-}; shift 2 ;;
    --stack=*) STACK=${1#--stack=}; shift ;;
    --port) PORT=${2:-}; shift 2 ;;
    --port=*) PORT=${1#--port=}; shift ;;
    --host) HOST=${2:-}; shift 2 ;;
    --host=*) HOST=${1#--host=}; shift ;;
    --tag) TAG=${2:-}; shift 2 ;;
    --tag=*) TAG=${1#--tag=}; shift ;;
    --no-build) BUILD=0; shift ;;
    --with-prometheus) PROMETHEUS=1; shift ;;
    --no-auth) AUTH=0; shift ;;
    -h|--help) awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit 0 ;;
    *) echo "deploy.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$STACK" =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]]; then
  echo "deploy.sh: --stack needs lower-case letters, digits and '-' (at most 31), not '$STACK'" >&2
  exit 2
fi
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
  echo "deploy.sh: --port needs a number from 1 to 65535, not '$PORT'" >&2
  exit 2
fi
if ! [[ "$HOST" =~ ^[A-Za-z0-9.:-]+$ ]]; then
  echo "deploy.sh: --host needs an address or host name, not '$HOST'" >&2
  exit 2
fi
if ! [[ "$TIMEOUT" =~ ^[0-9]+$ ]]; then
  echo "deploy.sh: FAAS_DEPLOY_TIMEOUT needs a number of seconds, not '$TIMEOUT'" >&2
  exit 2
fi
for tool in docker curl; do
  command -v "$tool" >/dev/null || { echo "deploy.sh: '$tool' is needed but not installed" >&2; exit 1; }
done
if ! docker info >/dev/null 2>&1; then
  echo "deploy.sh: no Docker engine answers (start dockerd, or run stack/docker-prerequisites.sh)" >&2
  exit 1
fi

state=$(docker info --format '{{.Swarm.LocalNodeState}}')
if [ "$state" != active ]; then
  echo "== starting a single-node swarm"
  docker swarm init --advertise-addr "${FAAS_ADVERTISE_ADDR:-127.0.0.1}" >/dev/null
elif [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" != true ]; then
  echo "deploy.sh: this node is a swarm worker; run deploy.sh on a manager" >&2
  exit 1
fi

BASE="http://$HOST:$PORT"
if ! docker stack ls --format '{{.Name}}' | grep -qxF "$STACK" \
  && curl -s -o /dev/null --max-time 2 "$BASE/"; then
  echo "deploy.sh: something already answers on port $PORT; choose another with --port N" >&2
  exit 1
fi

if [ "$BUILD" = 1 ]; then
  echo "== building the images (tag $TAG)"
  bash "$ROOT/stack/build-images.sh" --tag "$TAG"
fi

# the password: a Docker secret for the gateway, a private file for the user (and curl below)
SECRET="${STACK}_basic-auth-password"
PASSWORD_FILE="$ROOT/data/$STACK-basic-auth-password"
CURL_AUTH="$ROOT/data/$STACK-curl-auth"
mkdir -p "$ROOT/data"
if ! docker secret inspect "$SECRET" >/dev/null 2>&1; then
  (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' 'xy' > "$PASSWORD_FILE")
  docker secret create --label "com.docker.stack.namespace=$STACK" "$SECRET" "$PASSWORD_FILE" >/dev/null
elif [ ! -s "$PASSWORD_FILE" ]; then
  echo "deploy.sh: the secret $SECRET exists but $PASSWORD_FILE does not; remove the stack" \
    "(stack/remove.sh --stack $STACK) or the secret to start afresh" >&2
  exit 1
fi
(umask 077 && printf 'user = "admin:%s"\n' "$(cat "$PASSWORD_FILE")" > "$CURL_AUTH")
AUTH_ENABLED=auto
[ "$AUTH" = 1 ] || AUTH_ENABLED=false
# the gateway manages services through the socket of the engine this script deploys to
SOCKET=${FAAS_DOCKER_SOCKET:-/var/run/docker.sock}
if [ -z "${FAAS_DOCKER_SOCKET:-}" ] && [[ "${DOCKER_HOST:-}" == unix://* ]]; then
  SOCKET=${DOCKER_HOST#unix://}
fi

files=(-c "$ROOT/stack/docker-compose.yml")
if [ "$PROMETHEUS" = 1 ]; then
  docker image inspect "faas-prometheus:$TAG" >/dev/null 2>&1 \
    || { echo "deploy.sh: image faas-prometheus:$TAG is missing (install prometheus, build again)" >&2; exit 1; }
  files+=(-c "$ROOT/stack/docker-compose.prometheus.yml")
fi
echo "== deploying stack $STACK"
FAAS_STACK=$STACK FAAS_PORT=$PORT FAAS_IMAGE_TAG=$TAG FAAS_AUTH_ENABLED=$AUTH_ENABLED \
  FAAS_DOCKER_SOCKET=$SOCKET \
  docker stack deploy --resolve-image never "${files[@]}" "$STACK"

echo "== waiting for the gateway on $BASE (Payara boots in about 15 s)"
deadline=$((SECONDS + TIMEOUT))
until curl -sf -o /dev/null --max-time 2 "$BASE/healthz"; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "deploy.sh: the gateway did not answer within ${TIMEOUT}s; its log:" >&2
    docker service logs --tail 30 "${STACK}_gateway" >&2 || true
    exit 1
  fi
  sleep 1
done

echo "== waiting for the sample functions"
functions=$(docker service ls --filter "label=com.docker.stack.namespace=$STACK" \
  --filter label=function=true --format '{{.Name}}' | sed "s/^${STACK}_//" | sort)
for name in $functions; do
  until curl -K "$CURL_AUTH" -s --max-time 2 "$BASE/system/function/$name" | grep -q '"availableReplicas":[1-9]'; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "deploy.sh: function $name has no ready replica within ${TIMEOUT}s" >&2
      docker service ps --no-trunc "${STACK}_$name" >&2 || true
      exit 1
    fi
    sleep 1
  done
  echo "  $name ready"
done

cat <<INFO

Jakarta FaaS runs on Docker Swarm (stack $STACK).
  UI:    $BASE/ui/
  API:   $BASE/system/functions
  Try:   curl -d 'Hello, Function as a Service' $BASE/function/echoit
  Logs:  docker service logs -f ${STACK}_gateway$([ "$PROMETHEUS" = 1 ] && printf '\n  Prometheus: http://127.0.0.1:%s/' "${FAAS_PROMETHEUS_PORT:-9090}")
Remove it with: stack/remove.sh --stack $STACK
INFO
if [ "$AUTH" = 1 ]; then
  echo "Login for the UI and /system: user admin, password in $PASSWORD_FILE"
fi
