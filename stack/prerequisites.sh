#!/usr/bin/env bash
# Installs what building and testing Jakarta FaaS needs on Debian 12, when it is missing:
# a Java 17 JDK, Maven, the small Unix tools the watchdog's tests run as functions, and
# Prometheus (a test checks config/prometheus.yml against a running gateway), and chromium with
# Node.js for the portal's browser tests.
# Needs root (or sudo) only when something has to be installed.
set -euo pipefail

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
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi
java -version 2>&1 | sed -n 1p
mvn -v | sed -n 1p
