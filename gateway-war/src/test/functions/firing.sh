#!/bin/sh
# Notes each run in $FIRINGS ("start <ns>" then "end <ns>", nanoseconds since the epoch), taking
# PAUSE seconds (default 0) in between: the record of a scheduled function's runs.
cat >/dev/null
echo "start $(date +%s%N)" >>"$FIRINGS"
sleep "${PAUSE:-0}"
echo "end $(date +%s%N)" >>"$FIRINGS"
echo ok
