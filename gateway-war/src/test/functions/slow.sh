#!/bin/sh
# Reads the body, takes its time (SLOW_SECONDS, default 20), then answers the body: a long request
# that must survive its replica being stopped gracefully.
body=$(cat)
sleep "${SLOW_SECONDS:-20}"
printf '%s' "$body"
