# Shared by the benchmarks that run the gateway: builds what is missing, starts Payara Micro with the
# gateway WAR on a free loopback port (process backend, data under a temporary directory), and on
# exit stops it, its replicas and whatever else was registered in PIDS. Source it; it sets ROOT,
# WORK, WATCHDOG, JVM_OPTIONS and defines free_port, wait_http, start_gateway.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=stack/java.sh
source "$ROOT/stack/java.sh"
faas_use_java
WATCHDOG="${FAAS_PROCESS_WATCHDOG_JAR:-$ROOT/watchdog-jar/target/watchdog.jar}"
WAR="$ROOT/gateway-war/target/gateway.war"
PAYARA="$ROOT/gateway-war/target/payara-micro.jar"
if [ ! -f "$WATCHDOG" ] || [ ! -f "$WAR" ] || [ ! -f "$PAYARA" ]; then
  mvn -B -q -f "$ROOT/pom.xml" -pl watchdog-jar,scaler-ejb,gateway-war -am package \
    -DskipTests -Dspotless.check.skip=true
fi
# the replicas' JVM options, from the one place they are configured
JVM_OPTIONS=$(sed -n 's/^faas.process.jvm-options=//p' \
  "$ROOT/scaler-ejb/src/main/resources/META-INF/microprofile-config.properties")

WORK=$(mktemp -d /tmp/faas-bench.XXXXXX)
PIDS=()
cleanup() {
  local pid cmdline
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  # replicas of the benchmark's gateway carry its data directory on their command line
  for cmdline in /proc/[0-9]*/cmdline; do
    if { tr '\0' '\n' < "$cmdline"; } 2>/dev/null | grep -qxF -- "-Dfaas.replica.of=$WORK/data"; then
      pid=${cmdline#/proc/}; pid=${pid%/cmdline}
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

wait_http() { # url, seconds
  for _ in $(seq 1 $(( $2 * 5 ))); do
    curl -sf -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.2
  done
  echo "$(basename "$0"): $1 did not answer" >&2
  return 1
}

# start_gateway [-Dkey=value...]: sets GW (its URL) and GW_JAVA_PID, waits until it is healthy;
# GW_PORT (default: a free port) and GW_DATA (default: $WORK/data) choose its port and data
start_gateway() {
  local port
  port=${GW_PORT:-$(free_port)}
  (cd "$ROOT" && FAAS_DATA_DIR="${GW_DATA:-$WORK/data}" FAAS_PROCESS_WATCHDOG_JAR="$WATCHDOG" \
    exec "$(faas_java)" "$@" -jar "$PAYARA" --nohazelcast \
    --prebootcommandfile "$ROOT/config/payara-pre-boot.txt" \
    --deploy "$WAR" --contextroot / --port "$port" >> "$WORK/gateway.log" 2>&1) &
  PIDS+=("$!")
  GW="http://127.0.0.1:$port"
  wait_http "$GW/healthz" 180
  GW_JAVA_PID=$(pgrep -f -n -- "--port $port" || echo "${PIDS[-1]}")
}
