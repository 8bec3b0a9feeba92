#!/usr/bin/env bash
# Benchmark (not a test): the seed's scenario with the default autoscaler settings. `echoit`
# (labels min 1, max 20) gets a bounded hey load (POST 'Hello, Function as a Service'); every
# second the script samples the request rate and the desired and ready replicas, until the function
# is back to 1 replica after the load (bounded). Prints the reaction times, writes the samples as
# CSV and draws them as a PNG (bench/plot/Plot.java).
#
#   bench/autoscale.sh [--load SECONDS] [--concurrency N] [--png FILE]
set -euo pipefail

LOAD=30
CONCURRENCY=8
PNG=""
while [ $# -gt 0 ]; do
  case "$1" in
    --load) LOAD=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --png) PNG=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "autoscale.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[[ "$LOAD" =~ ^[0-9]+$ ]] && [ "$LOAD" -ge 5 ] && [ "$LOAD" -le 300 ] \
  || { echo "autoscale.sh: --load must be 5..300 seconds" >&2; exit 2; }
[[ "$CONCURRENCY" =~ ^[0-9]+$ ]] && [ "$CONCURRENCY" -ge 1 ] && [ "$CONCURRENCY" -le 256 ] \
  || { echo "autoscale.sh: --concurrency must be 1..256" >&2; exit 2; }
command -v hey >/dev/null || { echo "autoscale.sh: needs hey (apt-get install hey)" >&2; exit 1; }

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
PNG=${PNG:-$ROOT/bench/out/autoscale.png}
mkdir -p "$ROOT/bench/out" "$(dirname "$PNG")"
CSV="$ROOT/bench/out/autoscale.csv"
start_gateway

curl -sf -o /dev/null -X POST "$GW/system/functions" -d '{"service":"echoit","envProcess":"cat",
  "labels":{"com.openfaas.scale.min":"1","com.openfaas.scale.max":"20"}}'
wait_http "$GW/function/echoit" 60

field() { # json, name
  sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" <<< "$1"
}
now() { date +%s.%N; }

BODY='Hello, Function as a Service'
echo "Load: hey -z ${LOAD}s -c $CONCURRENCY, then calm until echoit is back to 1 replica..." >&2
START=$(now)
hey -z "${LOAD}s" -c "$CONCURRENCY" -m POST -d "$BODY" "$GW/function/echoit" > "$WORK/hey.txt" &
HEY=$!
PIDS+=("$HEY")

echo "seconds,rate,desired,ready,load" > "$CSV"
prev_count=""; prev_t=""; up_at=""; peak=1; back_at=""; load_end=""
while :; do
  t=$(now)
  s=$(curl -s --max-time 2 "$GW/system/function/echoit")
  count=$(field "$s" invocationCount); desired=$(field "$s" replicas)
  ready=$(field "$s" availableReplicas)
  elapsed=$(awk -v t="$t" -v s="$START" 'BEGIN { printf "%.2f", t - s }')
  loading=0
  if kill -0 "$HEY" 2>/dev/null; then loading=1; elif [ -z "$load_end" ]; then load_end=$elapsed; fi
  if [ -n "$prev_count" ] && [ -n "$count" ]; then
    rate=$(awk -v c="$count" -v p="$prev_count" -v t="$t" -v q="$prev_t" \
      'BEGIN { printf "%.1f", (c - p) / (t - q) }')
    echo "$elapsed,$rate,$desired,$ready,$loading" >> "$CSV"
  fi
  prev_count=$count; prev_t=$t
  [ -n "$ready" ] && [ "$ready" -gt "$peak" ] && peak=$ready
  if [ -z "$up_at" ] && [ -n "$ready" ] && [ "$ready" -gt 1 ]; then up_at=$elapsed; fi
  if [ -n "$load_end" ] && [ "$desired" = 1 ] && [ "$ready" = 1 ]; then
    back_at=$elapsed
    # a few samples at rest for the picture
    for _ in 1 2 3 4 5; do
      sleep 1
      t=$(now); s=$(curl -s --max-time 2 "$GW/system/function/echoit")
      count=$(field "$s" invocationCount)
      rate=$(awk -v c="$count" -v p="$prev_count" -v t="$t" -v q="$prev_t" \
        'BEGIN { printf "%.1f", (c - p) / (t - q) }')
      echo "$(awk -v t="$t" -v s="$START" 'BEGIN { printf "%.2f", t - s }'),$rate,1,1,0" >> "$CSV"
      prev_count=$count; prev_t=$t
    done
    break
  fi
  if awk -v e="$elapsed" -v l="$LOAD" 'BEGIN { exit !(e > l + 120) }'; then
    echo "autoscale.sh: echoit not back to 1 replica 120 s after the load" >&2
    break
  fi
  sleep 1
done
wait "$HEY" || true

read -r rps bad < <(awk '
  /Requests\/sec:/ { rps = $2 }
  /\[[0-9]+\]/ { split($1, c, /[\[\]]/); if (c[2] != "200") bad += $2 }
  END { printf "%.0f %d\n", rps, bad }' "$WORK/hey.txt")
total=$(awk '/\[[0-9]+\]/ { n += $2 } END { print n + 0 }' "$WORK/hey.txt")
java "$ROOT/bench/plot/Plot.java" "$CSV" "$PNG" \
  "echoit under hey -c $CONCURRENCY for $LOAD s: request rate and replicas (process backend, $(nproc) CPUs)"

echo
echo "| load | requests | req/s | non-200 | first >1 ready replica after | peak ready replicas | back to 1 replica after the load |"
echo "|---|---:|---:|---:|---:|---:|---:|"
down=$(awk -v b="${back_at:-0}" -v e="${load_end:-0}" 'BEGIN { printf "%.0f s", b - e }')
[ -n "$back_at" ] || down="not within 120 s"
echo "| hey -c $CONCURRENCY, ${LOAD} s | $total | $rps | $bad | ${up_at:-never} s | $peak | $down |"
echo
echo "Samples: $CSV; plot: $PNG"
