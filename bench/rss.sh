#!/usr/bin/env bash
# Benchmark (not a test): the idle memory of one replica. Starts the watchdog jar as the process
# backend does (the java and JVM options it would use, `fprocess=cat`, loopback port), waits for its
# health check, sends CALLS requests, lets it idle IDLE seconds, then prints VmRSS, RssAnon, RssFile
# (/proc/PID/status) and Pss (/proc/PID/smaps_rollup) in MB, its thread count and how long it took
# to answer its first health check. Repeated RUNS times, one replica at a time.
#
#   bench/rss.sh [--java PATH] [--options "JVM OPTIONS"] [--env NAME=VALUE]... [--runs N]
#                [--calls N] [--idle SECONDS]
#
# Defaults: the gateway's java (stack/java.sh) and faas.process.jvm-options, 3 runs, 20 calls, 5 s.
# The options are passed as they are, so per-version options (faas.process.jvm-options-25) must be
# given with --options when measuring them.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=stack/java.sh
source "$ROOT/stack/java.sh"
JAVA=$(faas_java)
OPTIONS=$(sed -n 's/^faas.process.jvm-options=//p' \
  "$ROOT/scaler-ejb/src/main/resources/META-INF/microprofile-config.properties")
RUNS=3 CALLS=20 IDLE=5
EXTRA_ENV=()
while [ $# -gt 0 ]; do
  case "$1" in
    --java) JAVA=$2; shift 2 ;;
    --options) OPTIONS=$2; shift 2 ;;
    --env) EXTRA_ENV+=("$2"); shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --calls) CALLS=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "rss.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
for n in "$RUNS:1:20" "$CALLS:0:1000" "$IDLE:0:60"; do
  IFS=: read -r v lo hi <<< "$n"
  [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge "$lo" ] && [ "$v" -le "$hi" ] \
    || { echo "rss.sh: --runs 1..20, --calls 0..1000, --idle 0..60" >&2; exit 2; }
done
WATCHDOG="${FAAS_PROCESS_WATCHDOG_JAR:-$ROOT/watchdog-jar/target/watchdog.jar}"
[ -f "$WATCHDOG" ] || mvn -B -q -f "$ROOT/pom.xml" -pl watchdog-jar package -DskipTests \
  -Dspotless.check.skip=true

WORK=$(mktemp -d /tmp/faas-rss.XXXXXX)
PID=
cleanup() {
  [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
status_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$PID/status"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

echo "java: $JAVA ($("$JAVA" -version 2>&1 | head -1))"
echo "options: $OPTIONS${EXTRA_ENV[*]:+, environment: ${EXTRA_ENV[*]}}"
echo "| run | ready ms | VmRSS MB | RssAnon MB | RssFile MB | Pss MB | threads |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for run in $(seq 1 "$RUNS"); do
  port=$(free_port)
  mkdir -p "$WORK/tmp$run"
  start=$(date +%s%N)
  # shellcheck disable=SC2086 # the options are words
  env -i PATH="$PATH" fprocess=cat port="$port" bind_address=127.0.0.1 TMPDIR="$WORK/tmp$run" ${EXTRA_ENV[@]+"${EXTRA_ENV[@]}"} \
    "$JAVA" $OPTIONS -jar "$WATCHDOG" > "$WORK/log$run" 2>&1 &
  PID=$!
  ready=
  for _ in $(seq 1 1000); do # at most about 10 s
    if curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/_/health"; then
      ready=$(( ($(date +%s%N) - start) / 1000000 )); break
    fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.01
  done
  [ -n "$ready" ] || { echo "rss.sh: the replica did not get ready:" >&2; cat "$WORK/log$run" >&2; exit 1; }
  for i in $(seq 1 "$CALLS"); do
    curl -sf -o /dev/null --max-time 5 --data-binary "call $i" "http://127.0.0.1:$port/"
  done
  sleep "$IDLE"
  pss=$(awk '$1 == "Pss:" { print $2 }' "/proc/$PID/smaps_rollup")
  echo "| $run | $ready | $(mb "$(status_kb VmRSS)") | $(mb "$(status_kb RssAnon)") |" \
    "$(mb "$(status_kb RssFile)") | $(mb "$pss") | $(status_kb Threads) |"
  kill -KILL "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=
done
