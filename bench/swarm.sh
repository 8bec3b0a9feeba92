#!/usr/bin/env bash
# Benchmark (not a test) of the platform on Docker Swarm, on loopback only, bounded in time:
#   cold start   deploy a function through the API and time until its first answer (3 runs), and
#                a function scaled to 0 until its first answer (the request waits for the replica)
#   throughput   hey at concurrency 16 through the gateway in the swarm against the same image run
#                as one container straight on the host: `cat` (a fork per request) and a warm
#                mode=http function that forks nothing (the markdown sample)
#   two nodes    a swarm of two nodes on this machine (stack/swarm-nodes.sh, network namespaces):
#                the same two functions through the gateway, once with the replica on the
#                gateway's node and once on the other node (calls cross the overlay network)
# Deploys its own stacks (stack/deploy.sh, images built when missing) and removes them afterwards.
# Prints Markdown tables; hey's full outputs are kept in bench/out/swarm-*.txt. The two-node case
# needs root; --no-two-node leaves it out.
#
#   bench/swarm.sh [--duration SECONDS] [--port N] [--stack NAME] [--keep] [--no-two-node]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=10
PORT=31112
STACK=faasbench
KEEP=0
TWO_NODE=1
NODES_NAME=faasbench
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=${2:-}; shift 2 ;;
    --port) PORT=${2:-}; shift 2 ;;
    --stack) STACK=${2:-}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --no-two-node) TWO_NODE=0; shift ;;
    -h|--help) awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit 0 ;;
    *) echo "swarm.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$DURATION" =~ ^[0-9]+$ ]] && [ "$DURATION" -ge 1 ] && [ "$DURATION" -le 120 ] \
  || { echo "swarm.sh: --duration must be 1..120 seconds" >&2; exit 2; }
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65000 ] \
  || { echo "swarm.sh: --port must be 1024..65000" >&2; exit 2; }
for tool in hey docker curl; do
  command -v "$tool" >/dev/null || { echo "swarm.sh: needs $tool" >&2; exit 1; }
done
if [ "$TWO_NODE" = 1 ] && [ "$(id -u)" != 0 ]; then
  echo "swarm.sh: the two-node case needs root (network namespaces); --no-two-node leaves it out" >&2
  exit 1
fi

BASE="http://127.0.0.1:$PORT"
DIRECT_CAT=$((PORT + 1))
DIRECT_WARM=$((PORT + 2))
BODY='Hello, Function as a Service'
CONTAINERS=()
cleanup() {
  local c
  for c in "${CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  if [ "$KEEP" = 0 ]; then bash "$ROOT/stack/remove.sh" --stack "$STACK" >/dev/null || true; fi
  if [ "$TWO_NODE" = 1 ]; then
    bash "$ROOT/stack/swarm-nodes.sh" down --name "$NODES_NAME" >/dev/null || true
    rm -f "$ROOT/data/$STACK-nodes-"*
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build=()
docker image inspect faas-gateway:latest faas-fn-echoit:latest faas-fn-markdown:latest \
  >/dev/null 2>&1 && build=(--no-build)
echo "Deploying stack $STACK on port $PORT..." >&2
bash "$ROOT/stack/deploy.sh" --stack "$STACK" --port "$PORT" "${build[@]}" >/dev/null

now() { date +%s%N; }
ms_since() { echo $((($(now) - $1) / 1000000)); }
api() { # method, path, JSON[, base URL, stack]: the management API with deploy.sh's password
  curl -s -o /dev/null -w '%{http_code}' -K "$ROOT/data/${5:-$STACK}-curl-auth" -X "$1" \
    -H 'Content-Type: application/json' --data-binary "$3" "${4:-$BASE}$2"
}
first_answer() { # function, deadline in s[, base URL]: waits until it answers 200
  local end=$((SECONDS + $2))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 35 -d x "${3:-$BASE}/function/$1")" = 200 ]; do
    [ "$SECONDS" -lt "$end" ] || { echo "swarm.sh: $1 never answered" >&2; exit 1; }
    sleep 0.02
  done
}
pinned() { # name, image, extra env JSON[, constraint]: one replica, autoscaling off (min = max)
  printf '{"service":"%s","image":"%s","envVars":{%s},"labels":{"com.openfaas.scale.min":"1","com.openfaas.scale.max":"1"},"constraints":[%s]}' \
    "$1" "$2" "$3" "${4:+\"$4\"}"
}
WARM_ENV='"mode":"http","fprocess":"java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -cp /home/app Markdown"'

echo "Cold starts..." >&2
colds=()
for i in 1 2 3; do
  name="cold$i"
  t0=$(now)
  [ "$(api POST /system/functions "$(pinned "$name" faas-fn-echoit:latest '')")" = 202 ] \
    || { echo "swarm.sh: deploying $name failed" >&2; exit 1; }
  first_answer "$name" 60
  colds+=("$(ms_since "$t0")")
  api DELETE /system/functions "{\"functionName\":\"$name\"}" >/dev/null
done
# autoscaling off (factor 0), so the function stays at 0 until a request starts it
api POST /system/functions "$(printf '{"service":"zero","image":"faas-fn-echoit:latest","labels":{"com.openfaas.scale.zero":"true","com.openfaas.scale.factor":"0"}}')" >/dev/null
first_answer zero 60
api POST /system/scale-function/zero '{"serviceName":"zero","replicas":0}' >/dev/null
for _ in $(seq 1 150); do
  if curl -s -K "$ROOT/data/$STACK-curl-auth" "$BASE/system/function/zero" | grep -q '"replicas":0,' \
    && [ -z "$(docker ps -q --filter "label=com.docker.swarm.service.name=${STACK}_zero")" ]; then
    break
  fi
  sleep 0.2
done
curl -s -K "$ROOT/data/$STACK-curl-auth" "$BASE/system/function/zero" | grep -q '"replicas":0,' \
  || { echo "swarm.sh: zero did not go to 0 replicas" >&2; exit 1; }
t0=$(now)
first_answer zero 60
zero_ms=$(ms_since "$t0")
api DELETE /system/functions '{"functionName":"zero"}' >/dev/null

echo "Throughput..." >&2
api POST /system/functions "$(pinned benchcat faas-fn-echoit:latest '')" >/dev/null
api POST /system/functions "$(pinned benchwarm faas-fn-markdown:latest "$WARM_ENV")" >/dev/null
first_answer benchcat 60
first_answer benchwarm 60
# the same images as single containers in the host's network: the "straight to one replica" case
for pair in "cat:faas-fn-echoit:$DIRECT_CAT" "warm:faas-fn-markdown:$DIRECT_WARM"; do
  IFS=: read -r kind image port <<<"$pair"
  c="${STACK}-direct-$kind"
  docker rm -f "$c" >/dev/null 2>&1 || true
  docker run -d --rm --init --name "$c" --network host -e "port=$port" "$image:latest" >/dev/null
  CONTAINERS+=("$c")
  end=$((SECONDS + 60))
  until curl -sf -o /dev/null "http://127.0.0.1:$port/_/health"; do
    [ "$SECONDS" -lt "$end" ] || { echo "swarm.sh: $c did not start" >&2; exit 1; }
    sleep 0.1
  done
done

OUT="$ROOT/bench/out"
mkdir -p "$OUT"
run_hey() { # case, url: prints "req/s p50ms p99ms failed" (failed: non-2xx answers and errors)
  local out="$OUT/swarm-$1.txt"
  hey -z 3s -c 16 -m POST -d "$BODY" "$2" >/dev/null 2>&1 || true # warm-up
  hey -z "${DURATION}s" -c 16 -m POST -d "$BODY" "$2" > "$out" 2>&1 || true
  awk '
    /Requests\/sec:/ { rps = $2 }
    / 50%+ in / { p50 = $3 * 1000 }
    / 99%+ in / { p99 = $3 * 1000 }
    /Error distribution:/ { errors = 1; next }
    $1 ~ /^\[[0-9]+\]$/ && $3 == "responses" { if ($1 != "[200]") bad += $2 }
    errors && $1 ~ /^\[[0-9]+\]$/ { gsub(/[][]/, "", $1); bad += $1 }
    END { printf "%d %.2f %.2f %d\n", rps, p50, p99, bad }' "$out"
}
declare -A result
result[cat_direct]=$(run_hey cat-direct "http://127.0.0.1:$DIRECT_CAT/")
result[cat_gateway]=$(run_hey cat-gateway "$BASE/function/benchcat")
result[warm_direct]=$(run_hey warm-direct "http://127.0.0.1:$DIRECT_WARM/")
result[warm_gateway]=$(run_hey warm-gateway "$BASE/function/benchwarm")

if [ "$TWO_NODE" = 1 ]; then
  echo "Two nodes..." >&2
  bash "$ROOT/stack/swarm-nodes.sh" down --name "$NODES_NAME" >/dev/null
  # deploy.sh deploys the sample functions too: every node gets every image
  images=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^faas-(gateway|watchdog|fn-)[a-z0-9-]*:latest$' \
    | grep -v -- -jre: | paste -sd' ')
  bash "$ROOT/stack/swarm-nodes.sh" up --nodes 2 --name "$NODES_NAME" --subnet 10.214.0 \
    --images "$images" >/dev/null
  NODES_STACK="$STACK-nodes"
  NODES_BASE="http://10.214.0.11:$PORT"
  DOCKER_HOST="unix://$(bash "$ROOT/stack/swarm-nodes.sh" socket 1 --name "$NODES_NAME")" \
    FAAS_DEPLOY_TIMEOUT=120 bash "$ROOT/stack/deploy.sh" --stack "$NODES_STACK" --port "$PORT" --host 10.214.0.11 \
    --no-build >/dev/null
  for where in same:manager other:worker; do
    IFS=: read -r label role <<<"$where"
    for pair in "cat:faas-fn-echoit:" "warm:faas-fn-markdown:$WARM_ENV"; do
      IFS=: read -r kind image env <<<"$pair"
      [ "$(api POST /system/functions "$(pinned "$kind$label" "$image:latest" "$env" "node.role==$role")" \
        "$NODES_BASE" "$NODES_STACK")" = 202 ] || { echo "swarm.sh: deploying $kind$label failed" >&2; exit 1; }
    done
  done
  for f in catsame warmsame catother warmother; do first_answer "$f" 90 "$NODES_BASE"; done
  for f in catsame catother warmsame warmother; do
    result[$f]=$(run_hey "nodes-$f" "$NODES_BASE/function/$f")
  done
fi

echo
echo "| cold start | ms |"
echo "|---|---:|"
echo "| deploy to first answer (3 runs) | ${colds[*]} |"
echo "| scaled to 0, request to answer | $zero_ms |"
echo
rows() { # key of the first column, key of the second: a row per function, with their ratio
  local kind label rps1 p501 p991 bad1 rps2 p502 p992 bad2
  for kind in cat warm; do
    read -r rps1 p501 p991 bad1 <<<"${result[${kind}$1]}"
    read -r rps2 p502 p992 bad2 <<<"${result[${kind}$2]}"
    label=$([ "$kind" = cat ] && echo '`cat` (fork per request)' || echo 'warm `mode=http` (markdown)')
    echo "| $label | $rps1 | $rps2 | $((rps2 * 100 / (rps1 > 0 ? rps1 : 1))) % | $p501 / $p991 | $p502 / $p992 | $((bad1 + bad2)) |"
  done
}
echo "| function (c=16, ${DURATION} s) | direct req/s | gateway req/s | gateway/direct | direct p50/p99 ms | gateway p50/p99 ms | non-2xx |"
echo "|---|---:|---:|---:|---|---|---:|"
rows _direct _gateway
if [ "$TWO_NODE" = 1 ]; then
  echo
  echo "| two nodes (c=16, ${DURATION} s) | replica on the gateway's node req/s | on the other node req/s | other/same | same p50/p99 ms | other p50/p99 ms | non-2xx |"
  echo "|---|---:|---:|---:|---|---|---:|"
  rows same other
fi
