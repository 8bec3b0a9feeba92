#!/bin/sh
# A function that starts a child in the background and then outlives any short exec_timeout: the
# watchdog must kill both.
sleep 300 &
sleep 301
echo never
