#!/bin/sh
# Entry point of the watchdog images. On SIGTERM (swarm scaling a task away or replacing it) the
# watchdog keeps serving for stop_delay seconds (default 1) before it is told to stop: by then the
# gateway, which reads task states several times a second, has stopped sending it requests.
# JAVA_OPTS replaces the JVM options below.
: "${JAVA_OPTS:=-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:MaxRAMPercentage=50 -XX:-UsePerfData -Xshare:auto}"
# shellcheck disable=SC2086
java $JAVA_OPTS -jar /opt/faas/watchdog.jar &
pid=$!
trap 'sleep "${stop_delay:-1}"; kill -TERM "$pid" 2>/dev/null' TERM INT
wait "$pid"
status=$?
if kill -0 "$pid" 2>/dev/null; then
  wait "$pid"
  status=$?
fi
exit "$status"
