#!/usr/bin/env bash
# Prepares Docker for the swarm stack and its tests on Debian 12, doing only what is missing:
# installs the engine (docker.io) when there is no dockerd, whatever the `docker` client answers (a
# machine can have the client alone), and busybox-static (the images' shell and tools); starts the
# engine when none answers (with systemd its service, else dockerd in the background, logging to
# /var/log/dockerd.log), waits for it, and starts a single-node swarm advertising 127.0.0.1 when the
# engine is in none; installs iproute2 when `ip` is missing (stack/swarm-nodes.sh needs it). Needs
# root (or sudo) for each of those steps.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

need=()
# the engine, not the client: `docker --version` answers on machines that have no engine at all
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
busybox_banner=$(/bin/busybox --help 2>&1 || true)
if [[ "$busybox_banner" != *BusyBox* ]] || ldd /bin/busybox >/dev/null 2>&1; then
  need+=(busybox-static)
fi
command -v jlink >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v curl >/dev/null 2>&1 || need+=(curl)
# network namespaces and veth pairs for the swarm of several nodes (stack/swarm-nodes.sh)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
if ((${#need[@]})); then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  bash "$here/apt-install.sh" "${need[@]}"
fi

if ! $sudo docker info >/dev/null 2>&1; then
  if [ -d /run/systemd/system ]; then
    echo "Starting docker.service"
    $sudo systemctl start docker
  else
    echo "Starting dockerd in the background (log: /var/log/dockerd.log)"
    # descriptors above 2 are closed for the daemon: it must not hold open whatever its caller had
    # (a lock file, say, that would then stay locked for as long as dockerd runs)
    $sudo sh -c 'exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-; nohup dockerd > /var/log/dockerd.log 2>&1 &'
  fi
  for _ in $(seq 1 120); do
    $sudo docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! $sudo docker info >/dev/null 2>&1; then
    echo "docker-prerequisites.sh: the Docker engine did not answer within 60 s; its log:" >&2
    $sudo tail -n 30 /var/log/dockerd.log >&2 || true
    exit 1
  fi
fi

if [ "$($sudo docker info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
  echo "Starting a single-node swarm"
  $sudo docker swarm init --advertise-addr "${FAAS_ADVERTISE_ADDR:-127.0.0.1}" >/dev/null
fi
$sudo docker version --format 'Docker engine {{.Server.Version}}, swarm active'
