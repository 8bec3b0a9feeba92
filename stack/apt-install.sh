#!/usr/bin/env bash
# Installs Debian packages for the prerequisites scripts: without recommended packages, and with
# every service a package brings (prometheus.service, say) neither started nor left enabled, so
# that nothing of it holds a port or runs in the background afterwards.
#
#   stack/apt-install.sh PACKAGE...
set -euo pipefail
(($#)) || { echo "apt-install.sh: no package given" >&2; exit 2; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# Debian's maintainer scripts ask /usr/sbin/policy-rc.d before they start a service: 101 means
# "not allowed". Only a policy of our own is put there, and removed afterwards.
policy=/usr/sbin/policy-rc.d
placed=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# placed by Jakarta FaaS stack/apt-install.sh for the duration of an install\nexit 101\n' \
    | $sudo tee "$policy" >/dev/null
  $sudo chmod 0755 "$policy"
  placed=1
fi
cleanup() { if [ "$placed" = 1 ]; then $sudo rm -f "$policy"; fi; }
trap cleanup EXIT

before=$(mktemp)
trap 'cleanup; rm -f "$before"' EXIT
systemctl list-unit-files --type=service --state=enabled --no-legend 2>/dev/null | awk '{print $1}' \
  | sort > "$before" || true

$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"

# on a host run by systemd, disable (and stop) whatever service the install enabled
if [ -d /run/systemd/system ]; then
  systemctl list-unit-files --type=service --state=enabled --no-legend 2>/dev/null | awk '{print $1}' \
    | sort | comm -13 "$before" - | while read -r unit; do
      echo "apt-install.sh: disabling $unit (the tests start what they need themselves)"
      $sudo systemctl disable --now "$unit" >/dev/null 2>&1 || true
    done
fi
