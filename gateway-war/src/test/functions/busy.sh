#!/bin/bash
# Keeps one CPU busy for BUSY_SECONDS (default 2) of wall-clock time, then prints how long it ran:
# the CPU-limit test measures how much CPU time its replica got meanwhile.
while (( SECONDS < ${BUSY_SECONDS:-2} )); do :; done
echo "busy for ${SECONDS} s"
