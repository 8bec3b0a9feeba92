#!/usr/bin/env bash
# Benchmark (not a test): the idle memory of a replica. Starts REPLICAS watchdogs at once as the
# process backend does (its java and JVM options, `fprocess=cat`, loopback ports), waits for each
# health check, sends CALLS requests to each, lets them idle IDLE seconds, then prints VmRSS,
# RssAnon, RssFile (/proc/PID/status) and Pss (/proc/PID/smaps_rollup) in MB, the thread count and
# how long each took to answer its first health check (the mean over the replicas). RUNS times.
#
#   bench/rss.sh [--java PATH] [--options "JVM OPTIONS"] [--aot | --no-aot] [--env NAME=VALUE]...
#                [--replicas N] [--runs N] [--calls N] [--idle SECONDS]
#
# Defaults: the gateway's java (stack/java.sh); faas.process.jvm-options, plus
# faas.process.jvm-options-25 and an AOT cache trained first as the backend does
# (faas.process.aot-cache) when that java is 25 or newer; 1 replica, 3 runs, 20 calls, 10 s (the
# JVM gives its start-up C heap back some 5-7 s after start, -XX:TrimNativeHeapInterval).
# --options replaces all of them (add --aot for a cache trained with those options).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=stack/java.sh
source "$ROOT/stack/java.sh"
JAVA=$(faas_java)
CONFIG="$ROOT/scaler-ejb/src/main/resources/META-INF/microprofile-config.properties"
OPTIONS= AOT= REPLICAS=1 RUNS=3 CALLS=20 IDLE=10
EXTRA_ENV=()
while [ $# -gt 0 ]; do
  case "$1" in
    --java) JAVA=$2; shift 2 ;;
    --options) OPTIONS=$2; shift 2 ;;
    --aot) AOT=1; shift ;;
    --no-aot) AOT=0; shift ;;
    --env) EXTRA_ENV+=("$2"); shift 2 ;;
    --replicas) REPLICAS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --calls) CALLS=$2; shift 2 ;;
    --idle) IDLE=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "rss.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
for n in "$REPLICAS:1:10" "$RUNS:1:20" "$CALLS:0:1000" "$IDLE:0:60"; do
  IFS=: read -r v lo hi <<< "$n"
  [[ "$v" =~ ^[0-9]+$ ]] && [ "$v" -ge "$lo" ] && [ "$v" -le "$hi" ] \
    || { echo "rss.sh: --replicas 1..10, --runs 1..20, --calls 0..1000, --idle 0..60" >&2; exit 2; }
done
config() { sed -n "s/^$1=//p" "$CONFIG"; }
if [ -z "$OPTIONS" ]; then
  OPTIONS=$(config faas.process.jvm-options)
  if "$JAVA" -version 2>&1 | grep -q 'version "\(2[5-9]\|[3-9][0-9]\)'; then
    OPTIONS="$OPTIONS $(config faas.process.jvm-options-25)"
    [ -n "$AOT" ] || { [ "$(config faas.process.aot-cache)" = true ] && AOT=1; }
  fi
fi
WATCHDOG="${FAAS_PROCESS_WATCHDOG_JAR:-$ROOT/watchdog-jar/target/watchdog.jar}"
[ -f "$WATCHDOG" ] || mvn -B -q -f "$ROOT/pom.xml" -pl watchdog-jar package -DskipTests \
  -Dspotless.check.skip=true

WORK=$(mktemp -d /tmp/faas-rss.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_replica() { # n port [option]: starts replica n on port, sets PIDS[n]
  local n=$1 port=$2
  shift 2
  mkdir -p "$WORK/tmp$n"
  # shellcheck disable=SC2086 # the options are words
  env -i PATH="$PATH" fprocess=cat port="$port" bind_address=127.0.0.1 TMPDIR="$WORK/tmp$n" \
    ${EXTRA_ENV[@]+"${EXTRA_ENV[@]}"} "$JAVA" $OPTIONS "$@" -jar "$WATCHDOG" > "$WORK/log$n" 2>&1 &
  PIDS[n]=$!
}
await_ready() { # n port: prints ms from its start until its health check answered
  local start=$3
  for _ in $(seq 1 1000); do # at most about 10 s
    if curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$2/_/health"; then
      echo $(( ($(date +%s%N) - start) / 1000000 )); return 0
    fi
    kill -0 "${PIDS[$1]}" 2>/dev/null || break
    sleep 0.01
  done
  echo "rss.sh: the replica did not get ready:" >&2; cat "$WORK/log$1" >&2; return 1
}
calls() { for i in $(seq 1 "$CALLS"); do
  curl -sf -o /dev/null --max-time 5 --data-binary "call $i" "http://127.0.0.1:$1/"; done; }

if [ "$AOT" = 1 ]; then # as the backend does: a training replica answers 20 calls, then SIGTERM
  port=$(free_port)
  start_replica 0 "$port" "-XX:AOTCacheOutput=$WORK/watchdog.aot"
  await_ready 0 "$port" "$(date +%s%N)" > /dev/null
  CALLS=20 calls "$port"
  kill -TERM "${PIDS[0]}"
  for _ in $(seq 1 300); do kill -0 "${PIDS[0]}" 2>/dev/null || break; sleep 0.1; done
  [ -f "$WORK/watchdog.aot" ] || { echo "rss.sh: no AOT cache made:" >&2; cat "$WORK/log0" >&2; exit 1; }
  OPTIONS="$OPTIONS -XX:AOTCache=$WORK/watchdog.aot"
  PIDS=()
fi

echo "java: $JAVA ($("$JAVA" -version 2>&1 | head -1))"
echo "options: $OPTIONS${EXTRA_ENV[*]:+, environment: ${EXTRA_ENV[*]}}"
echo "$REPLICAS replica(s) at once; figures per replica (the mean when several)"
echo "| run | ready ms | VmRSS MB | RssAnon MB | RssFile MB | Pss MB | threads |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for run in $(seq 1 "$RUNS"); do
  PORTS=() READY=()
  for n in $(seq 1 "$REPLICAS"); do
    PORTS[$n]=$(free_port)
    t=$(date +%s%N)
    start_replica "$n" "${PORTS[$n]}"
    READY[$n]=$(await_ready "$n" "${PORTS[$n]}" "$t") || exit 1
  done
  for n in $(seq 1 "$REPLICAS"); do calls "${PORTS[$n]}"; done
  sleep "$IDLE"
  for n in $(seq 1 "$REPLICAS"); do
    pid=${PIDS[$n]}
    echo "${READY[$n]} $(awk '$1 ~ /^(VmRSS|RssAnon|RssFile|Threads):$/ { printf "%s ", $2 }' "/proc/$pid/status")" \
      "$(awk '$1 == "Pss:" { print $2 }' "/proc/$pid/smaps_rollup")"
  done | awk -v run="$run" '{ r += $1; v += $2; a += $3; f += $4; t += $5; p += $6; n++ }
    END { printf "| %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.0f |\n", run, r/n, v/n/1024, a/n/1024, f/n/1024, p/n/1024, t/n }'
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  PIDS=()
done
