#!/usr/bin/env bash
# Benchmark of the watchdog (not a test): bounded wrk load against a real watchdog on loopback,
# optionally beside OpenFaaS's watchdogs in the same run with the same client. Each target runs
# alone while it is measured; the targets take turns in every round; the table gives the median of
# RUNS rounds, and the ratio ours / peer from the same run.
#
#   bench/watchdog.sh                                  # ours only
#   PEER_WATCHDOG=/path/fwatchdog PEER_OF_WATCHDOG=/path/of-watchdog bench/watchdog.sh
#
# RUNS (3), DURATION seconds per cell (8), WARMUP seconds before each cell (3), CASES (all:
# "cat1 cat16 cat64 cat1m wc1m http16"), JAVA (the java that runs ours: $JAVA_HOME/bin/java, else
# Temurin 25 where installed, else java), LAUNCHER (our watchdog's launcher: auto).
# The classic watchdog is the peer of the fork cases, of-watchdog (mode=http) of the http case.
# "CPU ms/call" splits each target's CPU over the measured cell by request: what the watchdog
# used itself, and what its function processes (reaped children) used.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-3}
CASES=${CASES:-"cat1 cat16 cat64 cat1m wc1m http16"}
LAUNCHER=${LAUNCHER:-auto}
PORT=${PORT:-18080}
# shellcheck source=stack/java.sh
source stack/java.sh
JAVA=${JAVA:-$(faas_java)}
# the replicas' JVM options, from the one place they are configured
CONFIG=scaler-ejb/src/main/resources/META-INF/microprofile-config.properties
JVM_OPTIONS=$(sed -n 's/^faas.process.jvm-options=//p' "$CONFIG")
# and, as the backend adds them, the options for a Java 25 or later (the AOT cache is not used here)
if "$JAVA" -version 2>&1 | sed -n 1p | grep -Eq '"(2[5-9]|[3-9][0-9])[."]'; then
  JVM_OPTIONS+=" $(sed -n 's/^faas.process.jvm-options-25=//p' "$CONFIG")"
fi
# shellcheck source=bench/wrk.sh
source bench/wrk.sh
JAR=watchdog-jar/target/watchdog.jar
[ -f "$JAR" ] || JAVA_HOME=$(faas_java_home) mvn -q -B package -DskipTests -pl watchdog-jar
for peer in "${PEER_WATCHDOG:-}" "${PEER_OF_WATCHDOG:-}"; do
  [ -z "$peer" ] || [ -x "$peer" ] || { echo "watchdog.sh: $peer is not executable" >&2; exit 2; }
done

OUT=$WRK_DIR
printf 'Hello, Function as a Service' > "$OUT/small.txt"
head -c 1048576 /dev/urandom > "$OUT/1mb.bin"
# wc counts words and characters in the locale's encoding: give it text, as a user would
{ yes 'Hello, Function as a Service' || true; } | head -c 1048576 > "$OUT/1mb.txt"

TARGET_PID=""
# killed outright, with its process group: the classic watchdog waits healthcheck_interval
# (write_timeout, 60 s here) after SIGTERM, and shutdown is not what is measured
stop_target() {
  if [ -n "$TARGET_PID" ] && kill -0 "$TARGET_PID" 2>/dev/null; then
    kill -KILL -- "-$TARGET_PID" 2>/dev/null || kill -KILL "$TARGET_PID"
    wait "$TARGET_PID" 2>/dev/null || true
  fi
  TARGET_PID=""
}
trap 'stop_target; rm -rf "$WRK_DIR"' EXIT

# start_target ours|peer FPROCESS MODE: in its own process group, with an allow-listed environment
start_target() {
  local who=$1 fprocess=$2 mode=$3 cmd
  local upstream="upstream_url=http://127.0.0.1:$((PORT + 1))"
  if [ "$who" = ours ]; then
    # shellcheck disable=SC2206
    cmd=("$JAVA" $JVM_OPTIONS -jar "$JAR")
  elif [ "$mode" = http ]; then
    cmd=("$PEER_OF_WATCHDOG")
  else
    cmd=("$PEER_WATCHDOG")
  fi
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG="${LANG:-C.UTF-8}" TMPDIR="$OUT" \
    port="$PORT" PORT="$((PORT + 1))" "$upstream" mode="$mode" launcher="$LAUNCHER" \
    fprocess="$fprocess" suppress_lock=true write_timeout=60s read_timeout=60s exec_timeout=60s \
    setsid "${cmd[@]}" > "$OUT/$who.log" 2>&1 &
  TARGET_PID=$!
  local listener
  for _ in $(seq 1 200); do
    if curl -sf -o /dev/null -X POST -d x "http://127.0.0.1:$PORT/"; then
      # the process that listens: setsid forks when it is started as a process group leader
      listener=$(ss -Hltnp "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
      TARGET_PID=${listener:-$TARGET_PID}
      return 0
    fi
    sleep 0.05
  done
  echo "watchdog.sh: $who did not answer; its log:" >&2; cat "$OUT/$who.log" >&2; exit 1
}

# cpu_ticks PID -> "own children": CPU the process used itself (user + system) and what its
# reaped children used, in clock ticks
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13, $14 + $15 }' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
# per_call TICKS RPS -> milliseconds of CPU per request over the measured cell
per_call() { awk -v t="$1" -v r="$2" -v d="$DURATION" -v hz="$TICK" 'BEGIN { printf "%.3f", (r > 0) ? t * 1000 / hz / (r * d) : 0 }'; }

# case NAME -> "fprocess mode concurrency bodyfile label"
describe() {
  local echo_upstream="$JAVA -XX:+UseSerialGC -Xmx64m bench/upstream/Echo.java"
  case "$1" in
    cat1) echo "cat|fork|1|$OUT/small.txt|fork \`cat\`, 28-byte body" ;;
    cat16) echo "cat|fork|16|$OUT/small.txt|fork \`cat\`, 28-byte body" ;;
    cat64) echo "cat|fork|64|$OUT/small.txt|fork \`cat\`, 28-byte body" ;;
    cat1m) echo "cat|fork|16|$OUT/1mb.bin|fork \`cat\`, 1 MiB body" ;;
    wc1m) echo "wc|fork|16|$OUT/1mb.txt|fork \`wc\`, 1 MiB text" ;;
    http16) echo "$echo_upstream|http|16|$OUT/small.txt|\`mode=http\`, warm upstream" ;;
    *) echo "watchdog.sh: unknown case $1" >&2; exit 2 ;;
  esac
}

ROWS=()
for name in $CASES; do
  IFS='|' read -r fprocess mode conc body label < <(describe "$name")
  peer=${PEER_WATCHDOG:-}; [ "$mode" = http ] && peer=${PEER_OF_WATCHDOG:-}
  targets=(ours); [ -n "$peer" ] && targets+=(peer)
  declare -A rps=() p50=() p99=() bad=() rss=() own=() kids=()
  for round in $(seq 1 "$RUNS"); do
    for who in "${targets[@]}"; do
      start_target "$who" "$fprocess" "$mode"
      wrk_post "http://127.0.0.1:$PORT/" "$conc" "$WARMUP" "$body" > /dev/null
      read -r own0 kids0 < <(cpu_ticks "$TARGET_PID")
      read -r r a b e < <(wrk_post "http://127.0.0.1:$PORT/" "$conc" "$DURATION" "$body")
      read -r own1 kids1 < <(cpu_ticks "$TARGET_PID")
      rps[$who]+="$r "; p50[$who]+="$a "; p99[$who]+="$b "; bad[$who]=$(( ${bad[$who]:-0} + e ))
      own[$who]+="$(per_call "$((own1 - own0))" "$r") "
      kids[$who]+="$(per_call "$((kids1 - kids0))" "$r") "
      rss[$who]=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$TARGET_PID/status")
      stop_target
    done
    echo "done: $name round $round" >&2
  done
  med() { tr ' ' '\n' <<< "$1" | grep . | median; }
  row="| $label | $conc | $(med "${rps[ours]}") | $(med "${p50[ours]}") | $(med "${p99[ours]}") | ${bad[ours]} | ${rss[ours]} | $(med "${own[ours]}") / $(med "${kids[ours]}")"
  if [ -n "$peer" ]; then
    ratio=$(awk -v o="$(med "${rps[ours]}")" -v p="$(med "${rps[peer]}")" 'BEGIN { printf "%.2f", (p > 0) ? o / p : 0 }')
    row+=" | $(med "${rps[peer]}") | $(med "${p50[peer]}") | $(med "${p99[peer]}") | ${bad[peer]} | ${rss[peer]} | $(med "${own[peer]}") / $(med "${kids[peer]}") | **$ratio**"
  fi
  ROWS+=("$row |")
  unset rps p50 p99 bad rss own kids
done

echo
echo "Watchdog benchmark: $(nproc) cores; ours on $("$JAVA" -version 2>&1 | sed -n 1p), launcher=$LAUNCHER;" \
  "wrk, ${DURATION} s cells after ${WARMUP} s warm-up, median of $RUNS interleaved rounds."
echo
if [ -n "${PEER_WATCHDOG:-}${PEER_OF_WATCHDOG:-}" ]; then
  echo "| case | concurrency | ours req/s | p50 ms | p99 ms | errors | peak RSS MB | CPU ms/call own / children | OpenFaaS req/s | p50 ms | p99 ms | errors | peak RSS MB | CPU ms/call own / children | ours / OpenFaaS |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
else
  echo "| case | concurrency | req/s | p50 ms | p99 ms | errors | peak RSS MB | CPU ms/call own / children |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
fi
printf '%s\n' "${ROWS[@]}"
