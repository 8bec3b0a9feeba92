#!/usr/bin/env bash
# Benchmark (not a test): cold start on the process backend. A function (`cat`) is scaled to 0 and
# waited on until no replica runs; then one request is sent and timed from the moment it leaves
# until its response is complete (curl's time_total): the gateway holds it, starts a replica (a
# watchdog JVM), waits for its health check and forwards it. Repeated RUNS times; prints the
# p50/p90/min/max, the gateway's own gateway_function_cold_start_seconds figures, and where the
# time went (medians, from the function's log, /system/logs): request sent -> replica process
# started (the backend's launch), -> the watchdog's start line read (JVM start and watchdog init),
# -> ready (health check answered 200), -> response complete (the gateway's wait and the call).
#
#   bench/coldstart.sh [--runs N]
set -euo pipefail

RUNS=15
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "coldstart.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[[ "$RUNS" =~ ^[0-9]+$ ]] && [ "$RUNS" -ge 1 ] && [ "$RUNS" -le 100 ] \
  || { echo "coldstart.sh: --runs must be 1..100" >&2; exit 2; }

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
start_gateway

NAME=bench-cold
curl -sf -o /dev/null -X POST "$GW/system/functions" -d "{\"service\":\"$NAME\",\"envProcess\":\"cat\"}"
wait_http "$GW/function/$NAME" 60
# on Java 25 the backend makes the replicas' AOT cache in the background once (faas.process.aot-cache);
# FAAS_PROCESS_JAVA (faas.process.java) runs the replicas on another java
if "${FAAS_PROCESS_JAVA:-$(faas_java)}" -version 2>&1 | grep -q 'version "\(2[5-9]\|[3-9][0-9]\)'; then
  for _ in $(seq 1 150); do
    compgen -G "$WORK/data/aot/watchdog-*.aot" > /dev/null && break
    sleep 0.2
  done
  echo "AOT cache: $(compgen -G "$WORK/data/aot/watchdog-*.aot" || echo none)" >&2
fi

replicas_running() { # the watchdog processes of the function's replicas
  local n=0 cmdline
  for cmdline in /proc/[0-9]*/cmdline; do
    if { tr '\0' '\n' < "$cmdline"; } 2>/dev/null | grep -qxF -- "-Dfaas.replica.of=$WORK/data"; then
      n=$((n + 1))
    fi
  done
  echo "$n"
}

TIMES=()
for run in $(seq 1 "$RUNS"); do
  curl -sf -o /dev/null -X POST "$GW/system/scale-function/$NAME" -d '{"replicas":0}'
  for _ in $(seq 1 150); do
    [ "$(replicas_running)" = 0 ] && break
    sleep 0.2
  done
  [ "$(replicas_running)" = 0 ] || { echo "coldstart.sh: replicas did not stop" >&2; exit 1; }
  sleep 1 # let the machine settle after the replica's exit
  date +%s%N >> "$WORK/sent"
  out=$(curl -s -o "$WORK/body" -w '%{http_code} %{time_total}' -X POST --data-binary "run $run" \
    "$GW/function/$NAME")
  code=${out% *}
  if [ "$code" != 200 ] || [ "$(cat "$WORK/body")" != "run $run" ]; then
    echo "coldstart.sh: run $run answered $code: $(cat "$WORK/body")" >&2
    exit 1
  fi
  date +%s%N >> "$WORK/done"
  TIMES+=("$(awk -v t="${out#* }" 'BEGIN { printf "%.0f", t * 1000 }')")
  echo "run $run: ${TIMES[-1]} ms" >&2
done

printf '%s\n' "${TIMES[@]}" | sort -n | awk -v runs="$RUNS" '
  { t[NR] = $1 }
  END {
    p50 = t[int((NR + 1) / 2)]; p90 = t[int(NR * 0.9 + 0.999)]
    printf "\nCold start, process backend, %d runs (request sent to 0 replicas -> complete 200):\n", runs
    printf "| p50 ms | p90 ms | min ms | max ms |\n|---:|---:|---:|---:|\n| %d | %d | %d | %d |\n", p50, p90, t[1], t[NR]
  }'
curl -s "$GW/metrics?scope=application" | awk -v n="$NAME" '
  index($0, "gateway_function_cold_start_seconds_sum{") == 1 && index($0, "\"" n "\"") { sum = $NF }
  index($0, "gateway_function_cold_start_seconds_count{") == 1 && index($0, "\"" n "\"") { count = $NF }
  END { if (count > 0) printf "\ngateway_function_cold_start_seconds: %d waits, mean %.0f ms (the wait inside the gateway)\n", count, 1000 * sum / count }'
curl -s "$GW/system/logs?name=$NAME&tail=1000" > "$WORK/logs" || true
python3 - "$WORK/sent" "$WORK/done" "$WORK/logs" "$RUNS" <<'PY' || true
import json, statistics, sys
from datetime import datetime
def ns(ts):  # 2026-12-03T18:20:01.123456789Z
    day, frac = (ts.rstrip("Z").split(".") + ["0"])[:2]
    base = datetime.fromisoformat(day + "+00:00").timestamp()
    return int(base) * 10**9 + int((frac + "000000000")[:9])
sent = [int(x) for x in open(sys.argv[1]).read().split()]
done = [int(x) for x in open(sys.argv[2]).read().split()]
first = {}
for line in open(sys.argv[3]):
    try:
        l = json.loads(line)
    except ValueError:
        continue
    t, text, inst = ns(l["timestamp"]), l["text"], l["instance"]
    for key, marker in (("started", "faas: replica started"), ("line", "Watchdog listening on port"), ("ready", "faas: replica ready")):
        if marker in text:
            first.setdefault(inst, {}).setdefault(key, t)
replicas = sorted((v for v in first.values() if len(v) == 3), key=lambda v: v["started"])[-int(sys.argv[4]):]
phases = {"sent -> process started": [], "-> start line": [], "-> ready": [], "-> response": []}
for s, d in zip(sent, done):
    r = next((v for v in replicas if s <= v["started"] <= d), None)
    if r is None:
        continue
    for name, a, b in (("sent -> process started", s, r["started"]), ("-> start line", r["started"], r["line"]), ("-> ready", r["line"], r["ready"]), ("-> response", r["ready"], d)):
        phases[name].append((b - a) / 1e6)
if phases["-> response"]:
    print("\nWhere the time went, median ms of %d runs:" % len(phases["-> response"]))
    print("| " + " | ".join(phases) + " |\n|" + "---:|" * len(phases))
    print("| " + " | ".join("%.1f" % statistics.median(v) for v in phases.values()) + " |")
PY
echo "Replica java: ${FAAS_PROCESS_JAVA:-$(faas_java)}; faas.process.jvm-options: $JVM_OPTIONS"
