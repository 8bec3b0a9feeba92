#!/bin/bash
# A fork bomb for the limits tests: every process starts two more in the background and waits for
# them, so only the replica's pids.max (the process backend's cgroups) and exec_timeout stop it.
# It refuses to start unless its cgroup has a pids limit, so it can never run unbounded.
set -u
own=$(sed -n 's/^[0-9]*:pids://p' /proc/self/cgroup)
if [ -n "$own" ]; then
  limit_file="/sys/fs/cgroup/pids$own/pids.max"
else
  limit_file="/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)/pids.max"
fi
limit=$(cat "$limit_file" 2>/dev/null || echo max)
if [ "$limit" = max ]; then
  echo "refusing to fork without end: no pids limit in $limit_file" >&2
  exit 3
fi
bomb() {
  bomb &
  bomb &
  wait
}
bomb 2>/dev/null
