#!/usr/bin/env bash
# Durable asynchronous calls, the four figures of docs/reliability.md ("Asynchronous invocation"):
#   1. 1000 calls to a function taking 50 ms, the gateway's JVM killed with SIGKILL after about 500
#      were answered 202, started again on the same data directory and port: every call called
#      back at least once; duplicates counted
#   2. a function answering 503 to the first two calls of each id: each call completes on its
#      third attempt, the back-off visible in its record
#   3. a function that always answers 503: dead after faas.async.max-attempts (4 here), listed,
#      completed after the function is fixed and the calls are re-queued
#   4. a full disk (a 1 MiB tmpfs as the data directory, filled up; needs root, else skipped):
#      503 naming the journal, and every call answered 202 before or after still called back
# Bounded: every wait has a deadline; traffic stays on 127.0.0.1. Usage: bench/async.sh [--calls N]
set -euo pipefail

CALLS=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --calls) CALLS=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "async.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[[ "$CALLS" =~ ^[0-9]+$ ]] && [ "$CALLS" -ge 10 ] && [ "$CALLS" -le 5000 ] \
  || { echo "async.sh: --calls must be 10..5000" >&2; exit 2; }

source "$(dirname "$0")/lib.sh"
DISK="$WORK/disk"
finish() {
  set +e # clean up all of it even when a step fails (rm -rf cannot remove the mount point)
  cleanup_disk_replicas
  cleanup
  if mountpoint -q "$DISK" 2>/dev/null; then umount "$DISK" || true; fi
  rm -rf "$WORK"
}
cleanup_disk_replicas() {
  local cmdline pid
  for cmdline in /proc/[0-9]*/cmdline; do
    if { tr '\0' '\n' < "$cmdline"; } 2>/dev/null | grep -qxF -- "-Dfaas.replica.of=$DISK/data"; then
      pid=${cmdline#/proc/}; pid=${pid%/cmdline}
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}
trap finish EXIT

TOOL="$ROOT/bench/async/tool.py"
RECV_PORT=$(free_port)
CALLBACKS="$WORK/callbacks.txt"
touch "$CALLBACKS"
python3 "$TOOL" receiver "$RECV_PORT" "$CALLBACKS" &
PIDS+=("$!")
CB="http://127.0.0.1:$RECV_PORT/cb"
OPTS=(-Dfaas.async.callback-allow=127.0.0.1/32 -Dfaas.async.backoff-initial=200ms
  -Dfaas.async.backoff-max=2s -Dfaas.async.max-attempts=4)

GW_PORT=$(free_port)
export GW_PORT
start_gateway "${OPTS[@]}"

deploy() { # method name env-json
  curl -sf -o /dev/null -X "$1" "$GW/system/functions" -d "{\"service\":\"$2\",
    \"envProcess\":\"python3 $TOOL function\",\"envVars\":$3,
    \"labels\":{\"com.openfaas.scale.min\":\"1\",\"com.openfaas.scale.max\":\"1\"}}"
}
wait_ready() { # name: until one replica of the current deployment is ready (60 s)
  for _ in $(seq 1 300); do
    curl -sf "$GW/system/function/$1" | grep -q '"availableReplicas":1' && return 0
    sleep 0.2
  done
  echo "async.sh: $1 did not get ready" >&2; return 1
}
callbacks_of() { grep -c "^$1-" "$CALLBACKS" || true; }
distinct_of() { grep "^$1-" "$CALLBACKS" | awk '{print $1}' | sort -u | wc -l; }
wait_callbacks() { # prefix count seconds
  local end=$((SECONDS + $3))
  while [ "$(distinct_of "$1")" -lt "$2" ] && [ $SECONDS -lt $end ]; do sleep 0.5; done
}

# --- 1: SIGKILL of the gateway with calls queued -------------------------------------------------
deploy POST slow '{"mode":"http","SLEEP_MS":"50"}'
wait_ready slow
ACCEPTED="$WORK/accepted-k.txt"
touch "$ACCEPTED"
START=$SECONDS
python3 "$TOOL" send "$GW/async-function/slow" "$CALLS" 8 k "$CB" "$ACCEPTED" 600 \
  2> "$WORK/send-k.err" &
SENDER=$!
HALF=$((CALLS / 2))
end=$((SECONDS + 180))
while [ "$(wc -l < "$ACCEPTED")" -lt "$HALF" ] && [ $SECONDS -lt $end ]; do sleep 0.05; done
kill -KILL "$GW_JAVA_PID"
AT_KILL=$(wc -l < "$ACCEPTED")
CB_AT_KILL=$(distinct_of k)
echo "1: SIGKILL of the gateway (pid $GW_JAVA_PID) after $AT_KILL calls were answered 202," \
  "$CB_AT_KILL of them called back" >&2
sleep 1
RESTART=$SECONDS
start_gateway "${OPTS[@]}"
echo "1: gateway up again after $((SECONDS - RESTART)) s" >&2
wait "$SENDER" || true
wait_callbacks k "$CALLS" 300
TOTAL_K=$(callbacks_of k)
DISTINCT_K=$(distinct_of k)
ACC_K=$(sort -u "$ACCEPTED" | wc -l)
MISSING_K=$(comm -23 <(sort -u "$ACCEPTED") <(awk '{print $1}' "$CALLBACKS" | grep '^k-' | sort -u) | wc -l)
echo "FIGURE 1: $ACC_K of $CALLS calls answered 202 ($AT_KILL before the SIGKILL);" \
  "$DISTINCT_K called back, $MISSING_K answered 202 but never called back," \
  "$((TOTAL_K - DISTINCT_K)) duplicate callbacks; $((SECONDS - START)) s in all;" \
  "$(cat "$WORK/send-k.err")"

# --- 2: 503 twice per call id, then 200 ----------------------------------------------------------
deploy POST flaky '{"mode":"http","FAIL_FIRST":"2"}'
wait_ready flaky
N2=20
python3 "$TOOL" send "$GW/async-function/flaky" "$N2" 4 f "$CB" "$WORK/accepted-f.txt" 60 \
  2> /dev/null
wait_callbacks f "$N2" 120
THIRD=$(grep '^f-' "$CALLBACKS" | awk '$2 == 3 && $3 == "completed" && $4 == 200' | wc -l)
echo "FIGURE 2: $(distinct_of f) of $N2 calls called back, $THIRD completed with 200 on attempt 3;" \
  "the record of f-0000:"
curl -sf "$GW/system/async-calls/f-0000"
echo

# --- 3: always 503: dead, listed, re-queued once fixed -------------------------------------------
deploy POST broken '{"mode":"http","FAIL_ALWAYS":"true"}'
wait_ready broken
N3=5
python3 "$TOOL" send "$GW/async-function/broken" "$N3" 5 d "$CB" "$WORK/accepted-d.txt" 60 \
  2> /dev/null
wait_callbacks d "$N3" 120
DEAD_LISTED=0
end=$((SECONDS + 60))
while [ $SECONDS -lt $end ]; do
  DEAD_LISTED=$(curl -sf "$GW/system/async-calls?function=broken&state=dead" | grep -o '"callId"' | wc -l)
  [ "$DEAD_LISTED" -ge "$N3" ] && break
  sleep 0.5
done
DEAD_CB=$(grep '^d-' "$CALLBACKS" | awk '$2 == 4 && $3 == "dead" && $4 == 503' | wc -l)
echo "FIGURE 3: $DEAD_CB of $N3 called back as dead after 4 attempts, $DEAD_LISTED listed by" \
  "GET /system/async-calls?function=broken&state=dead; retry of a call not dead:" \
  "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$GW/system/async-calls/f-0000/retry")," \
  "of an unknown id: $(curl -s -o /dev/null -w '%{http_code}' -X POST "$GW/system/async-calls/nope/retry")"
deploy PUT broken '{"mode":"http","FAIL_ALWAYS":"false"}'
end=$((SECONDS + 60)) # fixed once the new replica answers (the old one fails until it is replaced)
until curl -sf -o /dev/null -X POST "$GW/function/broken" || [ $SECONDS -ge $end ]; do sleep 0.2; done
for i in $(seq 0 $((N3 - 1))); do
  curl -sf -o /dev/null -X POST "$GW/system/async-calls/$(printf 'd-%04d' "$i")/retry"
done
end=$((SECONDS + 120))
while [ "$(grep '^d-' "$CALLBACKS" | awk '$3 == "completed"' | wc -l)" -lt "$N3" ] \
  && [ $SECONDS -lt $end ]; do sleep 0.5; done
echo "FIGURE 3: after the fix and POST .../retry," \
  "$(grep '^d-' "$CALLBACKS" | awk '$3 == "completed" && $4 == 200' | wc -l) of $N3 completed" \
  "(callback attempts: $(grep '^d-' "$CALLBACKS" | awk '$3 == "completed" {print $2}' | sort | uniq -c | xargs))," \
  "dead listed now: $(curl -sf "$GW/system/async-calls?function=broken&state=dead" | grep -o '"callId"' | wc -l)"
curl -s "$GW/metrics?scope=application" | grep -E '^gateway_async_(calls|attempts|retries|dead)' || true

# --- 4: a full disk ------------------------------------------------------------------------------
kill -TERM "$GW_JAVA_PID"
for _ in $(seq 1 80); do kill -0 "$GW_JAVA_PID" 2>/dev/null || break; sleep 0.25; done
mkdir -p "$DISK"
if ! mount -t tmpfs -o size=1m tmpfs "$DISK" 2>/dev/null; then
  echo "FIGURE 4: skipped (mounting a tmpfs needs root)"
  exit 0
fi
GW_DATA="$DISK/data"
export GW_DATA
start_gateway "${OPTS[@]}"
deploy POST slow '{"mode":"http","SLEEP_MS":"300"}'
wait_ready slow
python3 "$TOOL" send "$GW/async-function/slow" 10 2 b "$CB" "$WORK/accepted-b.txt" 30 2> /dev/null
dd if=/dev/zero of="$DISK/filler" bs=4k 2> /dev/null || true # until the disk is full
python3 "$TOOL" send "$GW/async-function/slow" 20 2 full "$CB" "$WORK/accepted-full.txt" 5 \
  2> "$WORK/send-full.err"
# a 16 KiB body needs new pages of the file whatever its last page still holds
head -c 16384 /dev/zero | tr '\0' x > "$WORK/body16k"
FULL=$(curl -s -o "$WORK/full.txt" -w '%{http_code}' -X POST -H "X-Callback-Url: $CB" \
  --data-binary @"$WORK/body16k" "$GW/async-function/slow")
echo "FIGURE 4: disk full ($(df -k "$DISK" | awk 'NR==2 {print $4}') KiB free): $FULL" \
  "$(cat "$WORK/full.txt"); $(wc -l < "$WORK/accepted-full.txt") of 20 calls answered 202" \
  "(a small entry can still fit in the last page of the file);" \
  "$(cat "$WORK/send-full.err")"
rm -f "$DISK/filler"
python3 "$TOOL" send "$GW/async-function/slow" 10 2 a "$CB" "$WORK/accepted-a.txt" 30 2> /dev/null
wait_callbacks b "$(sort -u "$WORK/accepted-b.txt" | wc -l)" 60
wait_callbacks a "$(sort -u "$WORK/accepted-a.txt" | wc -l)" 60
for p in b full a; do
  acc=$(sort -u "$WORK/accepted-$p.txt" | wc -l)
  miss=$(comm -23 <(sort -u "$WORK/accepted-$p.txt") <(awk '{print $1}' "$CALLBACKS" | sort -u) | wc -l)
  echo "FIGURE 4: calls $p-*: $acc answered 202, $miss of them never called back"
done
