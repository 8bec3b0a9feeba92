#!/bin/sh
# nodeinfo: describes the machine the function runs on (host name, OS, CPUs, memory, uptime).
# Run by the watchdog as `sh stack/functions/nodeinfo/nodeinfo.sh`; the request body is ignored.

host=$(cat /proc/sys/kernel/hostname 2>/dev/null || uname -n)
os=$(. /etc/os-release 2>/dev/null && printf '%s' "$PRETTY_NAME")
[ -n "$os" ] || os=$(uname -s)
cpus=$(nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo)
memory=$(awk '/^MemTotal:/ { printf "%.0f MiB", $2 / 1024 }' /proc/meminfo)
uptime=$(awk '{ s = int($1); printf "%dd %dh %dm %ds", s / 86400, s % 86400 / 3600, s % 3600 / 60, s % 60 }' /proc/uptime)

printf 'Hostname: %s\n' "$host"
printf 'OS: %s\n' "$os"
printf 'Kernel: %s\n' "$(uname -sr)"
printf 'Arch: %s\n' "$(uname -m)"
printf 'CPUs: %s\n' "$cpus"
printf 'Memory: %s\n' "$memory"
printf 'Uptime: %s\n' "$uptime"
