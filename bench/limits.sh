#!/usr/bin/env bash
# Benchmark (not a test): how fast bad input is refused and what it costs the gateway. Prints the
# time to a 413 for a body one byte over faas.gateway.max-body-bytes, to a 400 for malformed,
# deeply nested and wrongly typed JSON, and the gateway's heap (jstat, after a full GC and at its
# peak during the run) while 50 clients upload 25 MiB each at once. Loopback only, bounded.
#
#   bench/limits.sh
set -euo pipefail
command -v jstat >/dev/null || { echo "limits.sh: needs jstat (a JDK)" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
start_gateway
curl -sf -o /dev/null -X POST "$GW/system/functions" -d '{"service":"bench-limit","envProcess":"cat"}'
wait_http "$GW/function/bench-limit" 60
LIMIT=$(sed -n 's/^faas.gateway.max-body-bytes=//p' \
  "$ROOT/scaler-ejb/src/main/resources/META-INF/microprofile-config.properties")

head -c $((LIMIT + 1)) /dev/zero > "$WORK/over.bin"
head -c $((25 * 1024 * 1024)) /dev/zero > "$WORK/big.bin"
python3 -c 'print("[" * 100000 + "]" * 100000)' > "$WORK/nested.json"

timed() { # expected-status, curl args...: prints the time in ms
  local want=$1; shift
  read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$@")
  [ "$code" = "$want" ] || { echo "limits.sh: expected $want, got $code for $*" >&2; exit 1; }
  awk -v t="$t" 'BEGIN { printf "%.0f", t * 1000 }'
}
heap_mb() { # used heap of the gateway in MiB (eden + survivors + old)
  jstat -gc "$GW_JAVA_PID" | awk 'NR == 2 { printf "%.0f", ($3 + $4 + $6 + $8) / 1024 }'
}

over=$(timed 413 -X POST --data-binary @"$WORK/over.bin" "$GW/function/bench-limit")
malformed=$(timed 400 -X POST -d '{"service": ' "$GW/system/functions")
nested=$(timed 400 -X POST --data-binary @"$WORK/nested.json" "$GW/system/functions")
typed=$(timed 400 -X POST -d '{"service": 5, "envProcess": ["cat"]}' "$GW/system/functions")

jcmd "$GW_JAVA_PID" GC.run > /dev/null
before=$(heap_mb)
peak=$before
UPLOADS=()
for i in $(seq 1 50); do
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 120 -X POST --data-binary @"$WORK/big.bin" \
    "$GW/function/bench-limit" > "$WORK/upload-$i.code" &
  UPLOADS+=("$!")
done
running() { local p; for p in "${UPLOADS[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
while running; do
  h=$(heap_mb); [ "$h" -gt "$peak" ] && peak=$h
  sleep 0.1
done
wait "${UPLOADS[@]}" || true
codes=$(cat "$WORK"/upload-*.code | sort | uniq -c | awk '{ printf "%s x %s ", $1, $2 }')
jcmd "$GW_JAVA_PID" GC.run > /dev/null
after=$(heap_mb)

echo
echo "| case | answer | time |"
echo "|---|---|---:|"
echo "| body of $((LIMIT + 1)) bytes (limit + 1) | 413 | $over ms |"
echo "| malformed JSON | 400 | $malformed ms |"
echo "| JSON nested 100 000 deep | 400 | $nested ms |"
echo "| wrongly typed JSON | 400 | $typed ms |"
echo
echo "50 concurrent uploads of 25 MiB: $codes; gateway heap used after a full GC ${before} MiB before, ${after} MiB after, peak ${peak} MiB during."
