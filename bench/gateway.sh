#!/usr/bin/env bash
# Benchmark (not a test): the same wrk load through the gateway to one replica of a function, on
# loopback only, bounded in time; optionally beside OpenFaaS's gateway in the same run with the
# same client, in front of OpenFaaS's own watchdogs (its functions_provider_url straight at the
# watchdog). Cases: `cat` (a fork per request) and a warm upstream that forks nothing (the
# watchdog in mode=http in front of bench/upstream/Echo.java), each at the given concurrencies.
# The gateways take turns in every round, each alone while measured; median of --runs rounds.
#
#   bench/gateway.sh [--duration SECONDS] [--concurrency "1 16"] [--runs N] [--warm-up SECONDS]
#   PEER_GATEWAY=/path/gateway PEER_WATCHDOG=/path/fwatchdog PEER_OF_WATCHDOG=/path/of-watchdog \
#     bench/gateway.sh
#
# --warm-up (30) is the load our gateway gets before the first cell (its JIT); every cell has 3 s
# of its own. OpenFaaS's gateway listens on 8080 and 8082 and its watchdogs' metrics on 8081,
# fixed: those ports must be free.
set -euo pipefail

DURATION=8
LEVELS="1 16"
RUNS=3
WARM=30
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --concurrency) LEVELS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --warm-up) WARM=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gateway.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
for v in "$DURATION" "$RUNS" "$WARM"; do
  [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -le 300 ] || { echo "gateway.sh: durations and runs must be 0..300" >&2; exit 2; }
done
PEER=${PEER_GATEWAY:-}
if [ -n "$PEER" ]; then
  for p in "$PEER" "${PEER_WATCHDOG:-}" "${PEER_OF_WATCHDOG:-}"; do
    [ -x "$p" ] || { echo "gateway.sh: PEER_GATEWAY needs PEER_WATCHDOG and PEER_OF_WATCHDOG, executables ('$p' is not)" >&2; exit 2; }
  done
fi

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=bench/wrk.sh
source "$(dirname "$0")/wrk.sh"

# The trivial warm upstream of bench/watchdog.sh: answers each request with its body, forks nothing.
UPSTREAM="$(faas_java) -XX:+UseSerialGC -Xmx64m $ROOT/bench/upstream/Echo.java"
BODY=$WRK_DIR/small.txt
printf 'Hello, Function as a Service' > "$BODY"

start_gateway
# one replica each: min = max keeps the autoscaler from adding replicas (the table would measure
# cold JVMs)
ONE='"labels":{"com.openfaas.scale.min":"1","com.openfaas.scale.max":"1"}'
curl -sf -o /dev/null -X POST "$GW/system/functions" \
  -d "{\"service\":\"bench-cat\",\"envProcess\":\"cat\",$ONE}"
curl -sf -o /dev/null -X POST "$GW/system/functions" \
  -d "{\"service\":\"bench-warm\",\"envProcess\":\"$UPSTREAM\",\"envVars\":{\"mode\":\"http\"},$ONE}"
wait_http "$GW/function/bench-cat" 60
wait_http "$GW/function/bench-warm" 60
if [ "$WARM" -gt 0 ]; then
  echo "Warming our gateway up ($WARM s)..." >&2
  wrk_post "$GW/function/bench-cat" 16 $(( (WARM + 1) / 2 )) "$BODY" > /dev/null
  wrk_post "$GW/function/bench-warm" 16 $(( (WARM + 1) / 2 )) "$BODY" > /dev/null
fi

# OpenFaaS's gateway and the watchdog behind it, for one case; stopped by stop_peer
PEER_PIDS=()
start_peer() { # cat|warm
  local wd_port
  wd_port=$(free_port)
  if [ "$1" = cat ]; then
    env -i PATH="$PATH" port="$wd_port" fprocess=cat suppress_lock=true write_timeout=60s \
      read_timeout=60s "$PEER_WATCHDOG" > "$WORK/peer-watchdog.log" 2>&1 &
  else
    local up_port
    up_port=$(free_port)
    env -i PATH="$PATH" port="$wd_port" mode=http upstream_url="http://127.0.0.1:$up_port" PORT="$up_port" \
      fprocess="$UPSTREAM" suppress_lock=true write_timeout=60s read_timeout=60s exec_timeout=60s \
      "$PEER_OF_WATCHDOG" > "$WORK/peer-watchdog.log" 2>&1 &
  fi
  PEER_PIDS+=($!)
  env -i PATH="$PATH" functions_provider_url="http://127.0.0.1:$wd_port/" basic_auth=false \
    scale_from_zero=false read_timeout=60s write_timeout=60s upstream_timeout=59s \
    "$PEER" > "$WORK/peer-gateway.log" 2>&1 &
  PEER_PIDS+=($!)
  PIDS+=("${PEER_PIDS[@]}")
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null -X POST -d x "http://127.0.0.1:8080/function/bench-$1" && return 0
    sleep 0.1
  done
  echo "gateway.sh: OpenFaaS's gateway did not answer; logs:" >&2
  cat "$WORK/peer-gateway.log" "$WORK/peer-watchdog.log" >&2
  exit 1
}
stop_peer() {
  local pid
  # killed outright: the classic watchdog waits healthcheck_interval (write_timeout) after SIGTERM;
  # the function process of-watchdog started first, or it lives on
  for pid in "${PEER_PIDS[@]}"; do pkill -KILL -P "$pid" 2>/dev/null || true; done
  for pid in "${PEER_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${PEER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PEER_PIDS=()
}

cell() { # url concurrency -> "rps p50 p99 bad"
  wrk_post "$1" "$2" 3 "$BODY" > /dev/null
  wrk_post "$1" "$2" "$DURATION" "$BODY"
}

ROWS=()
for case in cat warm; do
  for c in $LEVELS; do
    ours_rps=""; ours_p50=""; ours_p99=""; ours_bad=0
    peer_rps=""; peer_p50=""; peer_p99=""; peer_bad=0
    for round in $(seq 1 "$RUNS"); do
      read -r r a b e < <(cell "$GW/function/bench-$case" "$c")
      ours_rps+="$r "; ours_p50+="$a "; ours_p99+="$b "; ours_bad=$((ours_bad + e))
      if [ -n "$PEER" ]; then
        start_peer "$case"
        read -r r a b e < <(cell "http://127.0.0.1:8080/function/bench-$case" "$c")
        stop_peer
        peer_rps+="$r "; peer_p50+="$a "; peer_p99+="$b "; peer_bad=$((peer_bad + e))
      fi
      echo "done: $case c=$c round $round" >&2
    done
    med() { tr ' ' '\n' <<< "$1" | grep . | median; }
    row="| $case | $c | $(med "$ours_rps") | $(med "$ours_p50") | $(med "$ours_p99") | $ours_bad"
    if [ -n "$PEER" ]; then
      ratio=$(awk -v o="$(med "$ours_rps")" -v p="$(med "$peer_rps")" 'BEGIN { printf "%.2f", (p > 0) ? o / p : 0 }')
      row+=" | $(med "$peer_rps") | $(med "$peer_p50") | $(med "$peer_p99") | $peer_bad | **$ratio**"
    fi
    ROWS+=("$row |")
  done
done

RSS=$(awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$GW_JAVA_PID/status" 2>/dev/null || echo "?")
HWM=$(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$GW_JAVA_PID/status" 2>/dev/null || echo "?")

echo
echo "Gateway benchmark: $(nproc) cores; ours on $("$(faas_java)" -version 2>&1 | sed -n 1p); wrk, ${DURATION} s cells" \
  "after 3 s each (and $WARM s of warm-up for ours first), 28-byte POST, one replica; median of $RUNS rounds."
echo
if [ -n "$PEER" ]; then
  echo "| upstream | concurrency | ours req/s | p50 ms | p99 ms | errors | OpenFaaS req/s | p50 ms | p99 ms | errors | ours / OpenFaaS |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
else
  echo "| upstream | concurrency | req/s | p50 ms | p99 ms | errors |"
  echo "|---|---:|---:|---:|---:|---:|"
fi
printf '%s\n' "${ROWS[@]}"
echo
echo "Our gateway (Payara Micro) resident memory after the runs: $RSS (peak $HWM)."
