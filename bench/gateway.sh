#!/usr/bin/env bash
# Benchmark (not a test): the same hey load straight to a watchdog and through the gateway, on
# loopback only, bounded in time. Cases: `cat` (a fork per request) at concurrency 1, 16 and 64,
# and a warm upstream that forks nothing (the watchdog in mode=http in front of
# bench/upstream/Echo.java) at the same concurrencies. Prints a Markdown table and the gateway's
# resident memory.
#
#   bench/gateway.sh [--duration SECONDS] [--concurrency "1 16 64"]
set -euo pipefail

DURATION=10
LEVELS="1 16 64"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --concurrency) LEVELS=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gateway.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[[ "$DURATION" =~ ^[0-9]+$ ]] && [ "$DURATION" -ge 1 ] && [ "$DURATION" -le 120 ] \
  || { echo "gateway.sh: --duration must be 1..120 seconds" >&2; exit 2; }
command -v hey >/dev/null || { echo "gateway.sh: needs hey (apt-get install hey)" >&2; exit 1; }

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

# The trivial warm upstream of bench/watchdog.sh: answers each request with its body, forks nothing.
UPSTREAM="java -XX:+UseSerialGC -Xmx64m $ROOT/bench/upstream/Echo.java"

start_watchdog() { # port, then env assignments
  local port=$1
  shift
  # shellcheck disable=SC2086
  env -i PATH="$PATH" HOME="$HOME" TMPDIR="$WORK/tmp-$port" port="$port" bind_address=127.0.0.1 "$@" \
    setsid java $JVM_OPTIONS -jar "$WATCHDOG" > "$WORK/watchdog-$port.log" 2>&1 &
  mkdir -p "$WORK/tmp-$port"
  PIDS+=($!)
}

CAT_PORT=$(free_port); WARM_PORT=$(free_port)
mkdir -p "$WORK/tmp-$CAT_PORT" "$WORK/tmp-$WARM_PORT"
start_watchdog "$CAT_PORT" fprocess=cat
start_watchdog "$WARM_PORT" fprocess="$UPSTREAM" mode=http
start_gateway
wait_http "http://127.0.0.1:$CAT_PORT/_/health" 60
wait_http "http://127.0.0.1:$WARM_PORT/_/health" 60
# one replica each, as the direct watchdogs: min = max keeps the autoscaler from adding replicas
# (it would otherwise scale out during the warm-up, and the table would measure cold JVMs)
ONE='"labels":{"com.openfaas.scale.min":"1","com.openfaas.scale.max":"1"}'
curl -sf -o /dev/null -X POST "$GW/system/functions" \
  -d "{\"service\":\"bench-cat\",\"envProcess\":\"cat\",$ONE}"
curl -sf -o /dev/null -X POST "$GW/system/functions" \
  -d "{\"service\":\"bench-warm\",\"envProcess\":\"$UPSTREAM\",\"envVars\":{\"mode\":\"http\"},$ONE}"
wait_http "$GW/function/bench-cat" 60
wait_http "$GW/function/bench-warm" 60

BODY='Hello, Function as a Service'
# Payara's JIT needs far longer than the watchdog's to settle: warm every target up first
echo "Warming up (about 40 s)..." >&2
for url in "$GW/function/bench-cat" "$GW/function/bench-warm"; do
  hey -z 15s -c 16 -m POST -d "$BODY" "$url" > /dev/null
done
for url in "http://127.0.0.1:$CAT_PORT/" "http://127.0.0.1:$WARM_PORT/"; do
  hey -z 5s -c 16 -m POST -d "$BODY" "$url" > /dev/null
done
# prints "rps p50_ms p99_ms" for a hey run
measure() { # url concurrency
  hey -z 2s -c "$2" -m POST -d "$BODY" "$1" > /dev/null
  hey -z "${DURATION}s" -c "$2" -m POST -d "$BODY" "$1" > "$WORK/hey.txt"
  awk '
    /Requests\/sec:/ { rps = $2 }
    /50%% in|50% in/ { p50 = $3 }
    /99%% in|99% in/ { p99 = $3 }
    /\[[0-9]+\]/ { split($1, c, /[\[\]]/); if (c[2] != "200") bad += $2 }
    END { printf "%.0f %.3f %.3f %d\n", rps, p50 * 1000, p99 * 1000, bad }' "$WORK/hey.txt"
}

ROWS=()
for case in cat warm; do
  if [ "$case" = cat ]; then direct="http://127.0.0.1:$CAT_PORT/"; via="$GW/function/bench-cat"
  else direct="http://127.0.0.1:$WARM_PORT/"; via="$GW/function/bench-warm"; fi
  for c in $LEVELS; do
    read -r d_rps d_p50 d_p99 d_bad < <(measure "$direct" "$c")
    read -r g_rps g_p50 g_p99 g_bad < <(measure "$via" "$c")
    ratio=$(awk -v g="$g_rps" -v d="$d_rps" 'BEGIN { printf "%.0f %%", (d > 0) ? 100 * g / d : 0 }')
    added=$(awk -v g="$g_p50" -v d="$d_p50" 'BEGIN { printf "%+.2f", g - d }')
    ROWS+=("| $case | $c | $d_rps | $g_rps | $ratio | $d_p50 | $g_p50 | $added | $d_p99 | $g_p99 | $d_bad / $g_bad |")
  done
done

RSS=$(awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$GW_JAVA_PID/status" 2>/dev/null || echo "?")
HWM=$(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$GW_JAVA_PID/status" 2>/dev/null || echo "?")

echo
echo "hey, ${DURATION}s per cell after a 2s warm-up (and 40 s of overall warm-up), POST of a 28-byte body; $(nproc) CPUs; one replica."
echo
echo "| upstream | concurrency | direct req/s | gateway req/s | gateway/direct | direct p50 ms | gateway p50 ms | added p50 ms | direct p99 ms | gateway p99 ms | non-200 (direct / gateway) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Gateway (Payara Micro) resident memory after the runs: $RSS (peak $HWM)."
