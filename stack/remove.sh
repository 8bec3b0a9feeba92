#!/usr/bin/env bash
# Removes what stack/deploy.sh deployed: the stack's services (the gateway, the sample functions
# and the functions deployed through the API, which join the stack), its network, and the
# password (the Docker secret <stack>_basic-auth-password and data/<stack>-*). Images and the
# swarm itself stay.
#
#   stack/remove.sh [--stack NAME]     (default faas; $FAAS_STACK)
set -euo pipefail

STACK=${FAAS_STACK:-faas}
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) STACK=${2:-}; shift 2 ;;
    --stack=*) STACK=${1#--stack=}; shift ;;
    -h|--help) awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit 0 ;;
    *) echo "remove.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$STACK" =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]]; then
  echo "remove.sh: --stack needs lower-case letters, digits and '-', not '$STACK'" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
forget_password() {
  docker secret rm "${STACK}_basic-auth-password" >/dev/null 2>&1 || true
  rm -f "$ROOT/data/$STACK-basic-auth-password" "$ROOT/data/$STACK-curl-auth"
}
if ! docker stack ls --format '{{.Name}}' | grep -qxF "$STACK"; then
  forget_password
  echo "remove.sh: no stack named $STACK"
  exit 0
fi
docker stack rm "$STACK"
# the network goes once the last task has stopped
for _ in $(seq 1 60); do
  if [ -z "$(docker service ls -q --filter "label=com.docker.stack.namespace=$STACK")" ] \
    && [ -z "$(docker network ls -q --filter "label=com.docker.stack.namespace=$STACK")" ]; then
    forget_password
    echo "Stack $STACK removed."
    exit 0
  fi
  sleep 1
done
echo "remove.sh: stack $STACK is still being removed (see docker stack ps $STACK)" >&2
exit 1
