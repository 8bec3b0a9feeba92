#!/usr/bin/env bash
# Builds every image the Docker Swarm stack runs, locally, with no registry and no download:
#   faas-jre          a small Java runtime FROM scratch: jlink'd JRE + the libraries ldd lists +
#                     busybox (from Debian's busybox-static) as the shell and Unix tools
#   faas-watchdog     the watchdog on faas-jre; fprocess comes from the function image or service
#   faas-fn-<name>    one image per sample function (echoit, wordcount, base64, decodebase64,
#                     nodeinfo, webhookstash, markdown)
#   faas-gateway      Payara Micro + the gateway WAR on a larger jlink'd JRE, FROM scratch
#   faas-prometheus   optional, when Debian's prometheus is installed: config/prometheus.yml
#
#   stack/build-images.sh [--tag TAG] [--no-maven]
#
# Builds the watchdog jar and the gateway WAR with Maven first when they are missing or older than
# their sources (--no-maven: use what is in the target directories). TAG defaults to
# $FAAS_IMAGE_TAG or "latest". Needs docker, jlink (a JDK 17), ldd and /bin/busybox
# (busybox-static). Users with a registry can build stack/dockerfiles/* instead (docs/swarm.md).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TAG=${FAAS_IMAGE_TAG:-latest}
MAVEN=1
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) TAG=${2:-}; shift 2 ;;
    --tag=*) TAG=${1#--tag=}; shift ;;
    --no-maven) MAVEN=0; shift ;;
    -h|--help) awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit 0 ;;
    *) echo "build-images.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
if ! [[ "$TAG" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  echo "build-images.sh: '$TAG' is not a valid image tag" >&2
  exit 2
fi
# shellcheck source=stack/java.sh
source "$(dirname "$0")/java.sh"
faas_use_java
for tool in docker jlink ldd javac; do
  command -v "$tool" >/dev/null || { echo "build-images.sh: '$tool' is needed but not installed" >&2; exit 1; }
done
BUSYBOX=${BUSYBOX:-/bin/busybox}
busybox_banner=$("$BUSYBOX" --help 2>&1 || true)
if [[ "$busybox_banner" != *BusyBox* ]] || ldd "$BUSYBOX" >/dev/null 2>&1; then
  echo "build-images.sh: $BUSYBOX must be a static busybox (apt-get install busybox-static)" >&2
  exit 1
fi
# the classic builder works everywhere (Debian's docker.io has no buildx)
export DOCKER_BUILDKIT=0

WATCHDOG="$ROOT/watchdog-jar/target/watchdog.jar"
WAR="$ROOT/gateway-war/target/gateway.war"
PAYARA="$ROOT/gateway-war/target/payara-micro.jar"
stale() {
  local artifact=$1
  shift
  [ ! -f "$artifact" ] || [ -n "$(find "$@" -type f -newer "$artifact" -print -quit 2>/dev/null)" ]
}
if [ "$MAVEN" = 1 ] && { [ ! -f "$PAYARA" ] \
  || stale "$WATCHDOG" "$ROOT/watchdog-jar/src" \
  || stale "$WAR" "$ROOT/scaler-ejb/src" "$ROOT/gateway-war/src"; }; then
  echo "== building the watchdog and the gateway with Maven"
  mvn -B -q -f "$ROOT/pom.xml" -pl watchdog-jar,scaler-ejb,gateway-war -am package \
    -DskipTests -Dspotless.check.skip=true 2>&1 \
    | sed -u 's/\x1b\[[0-9;]*m//g' # Maven 3.8's -q still writes colour resets
fi
for f in "$WATCHDOG" "$WAR" "$PAYARA"; do
  [ -f "$f" ] || { echo "build-images.sh: $f is missing (run without --no-maven)" >&2; exit 1; }
done

WORK="$ROOT/target/images"
mkdir -p "$WORK"

# rootfs with a jlink'd JRE of the given modules, its libraries and busybox; rebuilt only when the
# module list or the JDK changed
make_jre_rootfs() {
  local dir=$1 modules=$2
  local stamp="$modules $(readlink -f "$(command -v jlink)")"
  if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ]; then
    return
  fi
  rm -rf "$dir"
  mkdir -p "$dir/rootfs/opt" "$dir/rootfs/bin" "$dir/rootfs/tmp"
  jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive --output "$dir/rootfs/opt/jre"
  local lib
  while IFS= read -r lib; do
    mkdir -p "$dir/rootfs$(dirname "$lib")"
    cp -L "$lib" "$dir/rootfs$lib"
  done < <( { ldd "$dir/rootfs/opt/jre/bin/java"; find "$dir/rootfs/opt/jre/lib" -name '*.so' -exec ldd {} \; ; } 2>/dev/null \
    | awk '/=>/ { if ($3 ~ /^\//) print $3; next } $1 ~ /^\// { print $1 }' | sort -u)
  cp "$BUSYBOX" "$dir/rootfs/bin/busybox"
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' > "$dir/passwd"
  printf 'root:x:0:\napp:x:1000:\n' > "$dir/group"
  mkdir -p "$dir/rootfs/etc"
  cp "$dir/passwd" "$dir/rootfs/etc/passwd"
  cp "$dir/group" "$dir/rootfs/etc/group"
  echo "$stamp" > "$dir/.stamp"
}

build() {
  local image=$1 context=$2
  echo "== $image:$TAG"
  if ! docker build -t "$image:$TAG" --build-arg "TAG=$TAG" "$context" > "$WORK/build.log" 2>&1; then
    tail -n 30 "$WORK/build.log" >&2
    echo "build-images.sh: building $image failed (log: $WORK/build.log)" >&2
    exit 1
  fi
}

# --- the function runtime
make_jre_rootfs "$WORK/jre" "java.base,java.logging,jdk.httpserver,jdk.unsupported"
cat > "$WORK/jre/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN chmod 1777 /tmp
ENV PATH=/opt/jre/bin:/bin LANG=C.UTF-8
DOCKERFILE
build faas-jre "$WORK/jre"

rm -rf "$WORK/watchdog" && mkdir -p "$WORK/watchdog"
cp "$WATCHDOG" "$WORK/watchdog/watchdog.jar"
cp "$ROOT/stack/images/watchdog-entrypoint.sh" "$WORK/watchdog/entrypoint.sh"
cat > "$WORK/watchdog/Dockerfile" <<'DOCKERFILE'
ARG TAG=latest
FROM faas-jre:${TAG}
COPY watchdog.jar entrypoint.sh /opt/faas/
RUN chmod 755 /opt/faas/entrypoint.sh && mkdir -p /home/app && chown 1000:1000 /home/app
WORKDIR /home/app
USER 1000:1000
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/opt/faas/entrypoint.sh"]
DOCKERFILE
build faas-watchdog "$WORK/watchdog"

# one image per sample function: name, fprocess, extra env, files to copy
function_image() {
  local name=$1 fprocess=$2 env=$3
  shift 3
  local dir="$WORK/fn-$name"
  rm -rf "$dir" && mkdir -p "$dir/files"
  local f
  for f in "$@"; do cp -r "$f" "$dir/files/"; done
  {
    echo 'ARG TAG=latest'
    echo 'FROM faas-watchdog:${TAG}'
    echo "COPY files/ /home/app/"
    echo "ENV fprocess=\"$fprocess\"${env:+ $env}"
    echo "LABEL com.openfaas.function=\"$name\""
  } > "$dir/Dockerfile"
  build "faas-fn-$name" "$dir"
}
FN="$ROOT/stack/functions"
function_image echoit "cat" ""
function_image wordcount "wc" ""
function_image base64 "base64" ""
function_image decodebase64 "base64 -d" ""
function_image nodeinfo "sh /home/app/nodeinfo.sh" "" "$FN/nodeinfo/nodeinfo.sh"
function_image webhookstash "sh /home/app/stash.sh" "stash_dir=/tmp/webhookstash" "$FN/webhookstash/stash.sh"
rm -rf "$WORK/markdown-classes" && mkdir -p "$WORK/markdown-classes"
javac --release 17 -d "$WORK/markdown-classes" "$FN/markdown/Markdown.java"
function_image markdown "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -cp /home/app Markdown" "mode=http" \
  "$WORK/markdown-classes/"Markdown*.class

# --- the gateway
make_jre_rootfs "$WORK/gateway-jre" \
  "java.se,jdk.unsupported,jdk.naming.dns,jdk.management,jdk.crypto.ec,jdk.zipfs,jdk.attach,jdk.jdi,jdk.net,jdk.security.auth,jdk.xml.dom,jdk.charsets"
cp "$WORK/jre/Dockerfile" "$WORK/gateway-jre/Dockerfile"
build faas-gateway-jre "$WORK/gateway-jre"

rm -rf "$WORK/gateway" && mkdir -p "$WORK/gateway"
cp "$PAYARA" "$WAR" "$ROOT/config/payara-pre-boot.txt" "$WORK/gateway/"
cp "$ROOT/stack/images/gateway-entrypoint.sh" "$WORK/gateway/entrypoint.sh"
cat > "$WORK/gateway/Dockerfile" <<'DOCKERFILE'
ARG TAG=latest
FROM faas-gateway-jre:${TAG}
COPY payara-micro.jar gateway.war payara-pre-boot.txt entrypoint.sh /opt/faas/
RUN chmod 755 /opt/faas/entrypoint.sh
ENV FAAS_BACKEND=swarm
WORKDIR /opt/faas
EXPOSE 8080
ENTRYPOINT ["/opt/faas/entrypoint.sh"]
DOCKERFILE
build faas-gateway "$WORK/gateway"

# --- optional: Prometheus (Debian's binary) with config/prometheus.yml pointed at the gateway
if command -v prometheus >/dev/null; then
  rm -rf "$WORK/prometheus" && mkdir -p "$WORK/prometheus"
  cp "$(readlink -f "$(command -v prometheus)")" "$WORK/prometheus/prometheus"
  sed 's/127\.0\.0\.1:8080/gateway:8080/' "$ROOT/config/prometheus.yml" > "$WORK/prometheus/prometheus.yml"
  cp "$ROOT/config/alert.rules.yml" "$WORK/prometheus/"
  cat > "$WORK/prometheus/Dockerfile" <<'DOCKERFILE'
ARG TAG=latest
FROM faas-jre:${TAG}
COPY prometheus /bin/prometheus
COPY prometheus.yml alert.rules.yml /etc/prometheus/
EXPOSE 9090
ENTRYPOINT ["/bin/prometheus", "--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/tmp/prometheus", "--web.listen-address=:9090"]
DOCKERFILE
  build faas-prometheus "$WORK/prometheus"
else
  echo "(no prometheus binary: faas-prometheus not built; apt-get install prometheus to have it)"
fi

echo "Images built (tag $TAG):"
docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^faas-(jre|watchdog|fn-[a-z0-9-]+|gateway|gateway-jre|prometheus):$TAG " | sed 's/^/  /' || true
