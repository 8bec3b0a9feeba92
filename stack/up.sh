#!/usr/bin/env bash
# Starts Jakarta FaaS on this machine with one command: builds what is missing, runs Payara Micro
# with the gateway (process backend), deploys the functions of config/functions.json, prints the
# URLs, and on Ctrl-C or SIGTERM stops everything it started, replicas included.
#
#   stack/up.sh [--port N] [--functions FILE] [--rebuild] [--no-auth]
#
# The management API and the UI ask for user admin and a password that up.sh generates once into
# $FAAS_DATA_DIR/basic-auth-password (unless FAAS_AUTH_PASSWORD or FAAS_AUTH_PASSWORD_FILE is set;
# --no-auth turns authentication off). Environment: FAAS_DATA_DIR (default ./data) keeps deployed
# functions across restarts; FAAS_PROCESS_WATCHDOG_JAR uses a watchdog jar built elsewhere; any
# other faas.* key can be set the MicroProfile way, e.g. FAAS_GATEWAY_UPSTREAM_TIMEOUT=30s.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=8080
FUNCTIONS="$ROOT/config/functions.json"
REBUILD=0
AUTH=1

usage() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=${2:-}; shift 2 ;;
    --port=*) PORT=${1#--port=}; shift ;;
    --functions) FUNCTIONS=${2:-}; shift 2 ;;
    --functions=*) FUNCTIONS=${1#--functions=}; shift ;;
    --rebuild) REBUILD=1; shift ;;
    --no-auth) AUTH=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "up.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
  echo "up.sh: --port needs a number from 1 to 65535, not '$PORT'" >&2
  exit 2
fi
if [ ! -f "$FUNCTIONS" ]; then
  echo "up.sh: functions file not found: $FUNCTIONS" >&2
  exit 2
fi
# shellcheck source=stack/java.sh
source "$ROOT/stack/java.sh"
faas_use_java
for tool in java curl awk; do
  command -v "$tool" >/dev/null || { echo "up.sh: '$tool' is needed but not installed" >&2; exit 1; }
done

WATCHDOG="$ROOT/watchdog-jar/target/watchdog.jar"
WAR="$ROOT/gateway-war/target/gateway.war"
PAYARA="$ROOT/gateway-war/target/payara-micro.jar"

# true when $1 is missing or older than any file under the other arguments
stale() {
  local artifact=$1
  shift
  [ ! -f "$artifact" ] || [ -n "$(find "$@" -type f -newer "$artifact" -print -quit 2>/dev/null)" ]
}

# FAAS_PROCESS_WATCHDOG_JAR names a watchdog built elsewhere: then it is not built here
if [ -n "${FAAS_PROCESS_WATCHDOG_JAR:-}" ]; then
  WATCHDOG=$FAAS_PROCESS_WATCHDOG_JAR
  WATCHDOG_STALE=false
elif stale "$WATCHDOG" "$ROOT/watchdog-jar/src" "$ROOT/watchdog-jar/pom.xml"; then
  WATCHDOG_STALE=true
else
  WATCHDOG_STALE=false
fi

if [ "$REBUILD" = 1 ] || [ ! -f "$PAYARA" ] || [ "$WATCHDOG_STALE" = true ] \
  || stale "$WAR" "$ROOT/scaler-ejb/src" "$ROOT/gateway-war/src" "$ROOT/scaler-ejb/pom.xml" "$ROOT/gateway-war/pom.xml"; then
  command -v mvn >/dev/null || { echo "up.sh: Maven (mvn) is needed to build the platform" >&2; exit 1; }
  echo "Building the watchdog and the gateway (the first build downloads dependencies)..."
  mvn -B -q -f "$ROOT/pom.xml" -pl watchdog-jar,scaler-ejb,gateway-war -am package \
    -DskipTests -Dspotless.check.skip=true 2>&1 \
    | sed -u 's/\x1b\[[0-9;]*m//g' # Maven 3.8's -q still writes colour resets
fi

export FAAS_DATA_DIR=${FAAS_DATA_DIR:-$ROOT/data}
mkdir -p "$FAAS_DATA_DIR"
FAAS_DATA_DIR=$(cd "$FAAS_DATA_DIR" && pwd)
export FAAS_PROCESS_WATCHDOG_JAR="$WATCHDOG"

# Credentials: curl reads them from a private config file, so they never show in `ps`
CURL_AUTH="$FAAS_DATA_DIR/curl-auth"
if [ "$AUTH" = 1 ]; then
  if [ -z "${FAAS_AUTH_PASSWORD:-}" ] && [ -z "${FAAS_AUTH_PASSWORD_FILE:-}" ]; then
    export FAAS_AUTH_PASSWORD_FILE="$FAAS_DATA_DIR/basic-auth-password"
    if [ ! -s "$FAAS_AUTH_PASSWORD_FILE" ]; then
      (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' 'xy' > "$FAAS_AUTH_PASSWORD_FILE")
    fi
  fi
  AUTH_USER=${FAAS_AUTH_USER:-admin}
  if [ -n "${FAAS_AUTH_PASSWORD_FILE:-}" ]; then
    AUTH_PASSWORD=$(cat "$FAAS_AUTH_PASSWORD_FILE")
  else
    AUTH_PASSWORD=$FAAS_AUTH_PASSWORD
  fi
  (umask 077 && printf 'user = "%s:%s"\n' "$AUTH_USER" "$AUTH_PASSWORD" > "$CURL_AUTH")
  unset AUTH_PASSWORD
else
  export FAAS_AUTH_ENABLED=false
  : > "$CURL_AUTH"
fi
LOG="$FAAS_DATA_DIR/gateway.log"
MARKER="-Dfaas.replica.of=$FAAS_DATA_DIR"
BASE="http://127.0.0.1:$PORT"

if curl -s -o /dev/null --max-time 2 "$BASE/"; then
  echo "up.sh: something already answers on port $PORT; choose another with --port N" >&2
  exit 1
fi

# replicas run in their own sessions, so they are found by the marker on their command line; each
# leads its own process group, which also holds whatever the function started
kill_leftover_replicas() {
  local cmdline pid
  for cmdline in /proc/[0-9]*/cmdline; do
    pid=${cmdline#/proc/}
    pid=${pid%/cmdline}
    if { tr '\0' '\n' < "$cmdline"; } 2>/dev/null | grep -qxF -- "$MARKER"; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

GATEWAY_PID=""
stopping=0
stop() {
  [ "$stopping" = 1 ] && return
  stopping=1
  trap - INT TERM
  if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
    echo
    echo "Stopping the gateway and its replicas..."
    kill -TERM "$GATEWAY_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$GATEWAY_PID" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$GATEWAY_PID" 2>/dev/null || true
    wait "$GATEWAY_PID" 2>/dev/null || true
  fi
  kill_leftover_replicas
  echo "Stopped."
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

cd "$ROOT"
echo "Starting Payara Micro on port $PORT (log: $LOG)..."
java -jar "$PAYARA" --nohazelcast --prebootcommandfile "$ROOT/config/payara-pre-boot.txt" --deploy "$WAR" --contextroot / --port "$PORT" > "$LOG" 2>&1 &
GATEWAY_PID=$!

for _ in $(seq 1 360); do
  if ! kill -0 "$GATEWAY_PID" 2>/dev/null; then
    echo "up.sh: the gateway exited during start; the end of its log:" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
  curl -sf -o /dev/null --max-time 2 "$BASE/healthz" && break
  sleep 0.5
done
if ! curl -sf -o /dev/null --max-time 2 "$BASE/healthz"; then
  echo "up.sh: the gateway did not become healthy in 3 minutes; see $LOG" >&2
  exit 1
fi

# One JSON object of the functions file per line (brackets inside strings are skipped).
split_objects() {
  awk '
    BEGIN { depth = 0; instr = 0; esc = 0; obj = "" }
    {
      line = $0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (depth > 0) obj = obj c
        if (instr) {
          if (esc) esc = 0
          else if (c == "\\") esc = 1
          else if (c == "\"") instr = 0
          continue
        }
        if (c == "\"") instr = 1
        else if (c == "{") { if (depth == 0) obj = "{"; depth++ }
        else if (c == "}") { depth--; if (depth == 0) { print obj; obj = "" } }
      }
      if (depth > 0) obj = obj " "
    }' "$1"
}

echo "Deploying the functions of $FUNCTIONS..."
failed=0
deployed=()
while IFS= read -r fn; do
  fn=${fn//'${FAAS_DATA_DIR}'/$FAAS_DATA_DIR}
  name=$(printf '%s' "$fn" | sed -n 's/.*"service"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
  # update if it exists (keeps its replicas), else create
  status=$(curl -K "$CURL_AUTH" -s -o /tmp/up-sh.$$ -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data-binary "$fn" "$BASE/system/functions")
  if [ "$status" = 404 ]; then
    status=$(curl -K "$CURL_AUTH" -s -o /tmp/up-sh.$$ -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      --data-binary "$fn" "$BASE/system/functions")
  fi
  if [ "$status" = 202 ]; then
    echo "  deployed ${name:-?}"
    deployed+=("$name")
  else
    echo "  FAILED ${name:-?}: HTTP $status $(cat /tmp/up-sh.$$)" >&2
    failed=1
  fi
done < <(split_objects "$FUNCTIONS")
rm -f /tmp/up-sh.$$

# a function answers once a replica passed its health check: wait for each (bounded)
waiting=("${deployed[@]}")
for _ in $(seq 1 180); do
  [ "${#waiting[@]}" = 0 ] && break
  still=()
  for name in "${waiting[@]}"; do
    curl -K "$CURL_AUTH" -s --max-time 2 "$BASE/system/function/$name" | grep -q '"availableReplicas":[1-9]' \
      || still+=("$name")
  done
  waiting=("${still[@]}")
  [ "${#waiting[@]}" = 0 ] || sleep 0.5
done
if [ "${#waiting[@]}" != 0 ]; then
  echo "  not ready after 90 s: ${waiting[*]} (see $BASE/system/logs?name=${waiting[0]})" >&2
fi

cat <<INFO

Jakarta FaaS is up.
  UI:    $BASE/ui/
  API:   $BASE/system/functions
  Try:   curl -d 'Hello, Function as a Service' $BASE/function/echoit
Data in $FAAS_DATA_DIR; press Ctrl-C to stop.
INFO
if [ "$AUTH" = 1 ]; then
  if [ -n "${FAAS_AUTH_PASSWORD_FILE:-}" ]; then
    echo "Login for the UI and /system: user $AUTH_USER, password in $FAAS_AUTH_PASSWORD_FILE"
    echo "  curl -u $AUTH_USER:\$(cat $FAAS_AUTH_PASSWORD_FILE) $BASE/system/functions"
  else
    echo "Login for the UI and /system: user $AUTH_USER, password from FAAS_AUTH_PASSWORD"
  fi
fi
[ "$failed" = 0 ] || echo "(some functions failed to deploy, see above)" >&2

wait "$GATEWAY_PID" || true
echo "up.sh: the gateway stopped; the end of its log:" >&2
tail -n 20 "$LOG" >&2
exit 1
