#!/usr/bin/env bash
# Benchmark of the watchdog (not a test): bounded `hey` load against a real watchdog on loopback.
# Prints a Markdown table: requests/s, p50, p99, non-2xx/errors per case (median of RUNS runs),
# and the peak resident memory (VmHWM) of the watchdog that served the case.
#   bench/watchdog.sh                 # all cases, RUNS=3, DURATION=10s
#   RUNS=1 DURATION=5s bench/watchdog.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
PORT=${PORT:-18080}
JAVA_OPTS=${WATCHDOG_JAVA_OPTS:-"-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms8m -Xmx32m -Xss256k -XX:MaxMetaspaceSize=32m -XX:ReservedCodeCacheSize=24m -XX:CICompilerCount=1 -XX:-UsePerfData -Xshare:auto"}
BODY='Hello, Function as a Service'
OUT=bench/out
mkdir -p "$OUT"

command -v hey >/dev/null || { echo "hey is not installed: apt-get install hey" >&2; exit 1; }
JAR=watchdog-jar/target/watchdog.jar
[ -f "$JAR" ] || mvn -q -B package -DskipTests -pl watchdog-jar
head -c 1048576 /dev/urandom > "$OUT/1mb.bin"
# wc counts words and characters in the locale's encoding: give it text, as a user would.
{ yes "$BODY" || true; } | head -c 1048576 > "$OUT/1mb.txt"

WD_PID=""
stop_watchdog() {
  if [ -n "$WD_PID" ] && kill -0 "$WD_PID" 2>/dev/null; then
    kill -TERM "$WD_PID"; wait "$WD_PID" 2>/dev/null || true
  fi
  WD_PID=""
}
trap stop_watchdog EXIT

# start_watchdog ENV... : the watchdog in its own process group, as the platform runs it.
start_watchdog() {
  # The environment a replica gets from the platform: an allow-list, not the caller's whole one.
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG="${LANG:-C.UTF-8}" \
    port="$PORT" suppress_lock=true write_timeout=60s read_timeout=60s "$@" \
    setsid java $JAVA_OPTS -jar "$JAR" > "$OUT/watchdog.log" 2>&1 &
  WD_PID=$!
  for _ in $(seq 1 200); do
    if curl -sf "http://127.0.0.1:$PORT/_/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.05
  done
  echo "watchdog did not become healthy; log:" >&2; cat "$OUT/watchdog.log" >&2; exit 1
}

# run_hey CONCURRENCY BODYARGS... -> prints "rps p50ms p99ms bad"
run_hey() {
  local c=$1; shift
  hey -z "$WARMUP" -c "$c" -m POST "$@" "http://127.0.0.1:$PORT/" > /dev/null
  hey -z "$DURATION" -c "$c" -m POST "$@" "http://127.0.0.1:$PORT/" > "$OUT/hey.txt"
  awk '
    /Requests\/sec:/ {rps=$2}
    /50% in/ {p50=$3*1000}
    /99% in/ {p99=$3*1000}
    /Status code distribution/ {section="codes"; next}
    /Error distribution/ {section="errors"; next}
    section=="codes" && /\[[0-9]+\]/ {code=$1; gsub(/[\[\]]/,"",code); if (code !~ /^2/) bad+=$2}
    section=="errors" && /\[[0-9]+\]/ {n=$1; gsub(/[\[\]]/,"",n); bad+=n}
    END {printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad}' "$OUT/hey.txt"
  if grep -q "Error distribution" "$OUT/hey.txt"; then
    echo "  errors in this run:" >&2; sed -n '/Error distribution/,$p' "$OUT/hey.txt" >&2
  fi
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -a ROWS
bench_case() { # NAME CONCURRENCY HEYARGS... ; watchdog already running
  local name=$1 c=$2; shift 2
  local rps=() p50=() p99=() bad=0
  for _ in $(seq 1 "$RUNS"); do
    read -r r a b e < <(run_hey "$c" "$@")
    rps+=("$r"); p50+=("$a"); p99+=("$b"); bad=$((bad + e))
  done
  local hwm
  hwm=$(awk '/VmHWM/ {printf "%.1f", $2/1024}' /proc/"$WD_PID"/status)
  ROWS+=("| $name | $c | $(printf '%s\n' "${rps[@]}" | median) | $(printf '%s\n' "${p50[@]}" | median) | $(printf '%s\n' "${p99[@]}" | median) | $bad | $hwm |")
  echo "done: $name c=$c" >&2
}

# Each case gets a fresh watchdog, so its peak RSS (VmHWM) is that case's own.
for c in 1 16 64; do
  start_watchdog fprocess=cat
  bench_case '`cat`, small body' "$c" -d "$BODY"
  stop_watchdog
done

start_watchdog fprocess=cat
bench_case '`cat`, 1 MB body' 16 -D "$OUT/1mb.bin"
stop_watchdog

start_watchdog fprocess=wc
bench_case '`wc`, 1 MB text body' 16 -D "$OUT/1mb.txt"
stop_watchdog

start_watchdog mode=http fprocess="java -XX:+UseSerialGC -Xmx64m bench/upstream/Echo.java"
bench_case '`mode=http`, trivial upstream' 16 -d "$BODY"
stop_watchdog

echo
echo "Watchdog benchmark: $(nproc) cores, $(java -version 2>&1 | sed -n 1p), hey -z $DURATION, median of $RUNS"
echo
echo "| case | concurrency | requests/s | p50 ms | p99 ms | non-2xx | watchdog peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
