#!/usr/bin/env bash
# Installs what building and testing Jakarta FaaS needs on Debian 12, when it is missing: a Java 17
# JDK, Maven, the small Unix tools the tests run as functions (util-linux's setsid, curl),
# Prometheus (a test runs it against a gateway), and Chromium with Node.js and npm (the portal's
# browser tests). Packages are installed without their recommended extras, and no service of theirs
# is left enabled or running: the tests start their own Prometheus on ports of their own.
# Needs root (or sudo) only when something has to be installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v setsid >/dev/null 2>&1 || need+=(util-linux)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
# the portal's browser tests: Debian's chromium driven from Node.js (playwright-core via npm ci)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)

if ((${#need[@]})); then
  bash "$here/apt-install.sh" "${need[@]}"
fi
java -version 2>&1 | sed -n 1p
mvn -v | sed -n 1p
