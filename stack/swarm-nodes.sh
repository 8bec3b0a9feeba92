#!/usr/bin/env bash
# A Docker Swarm of several nodes on this one machine, for the multi-node tests and benchmarks
# (docs/swarm.md, "A swarm of several nodes on one machine"): every node is a Docker engine of its
# own in a network namespace that this script creates, the namespaces are wired to one bridge (in a
# namespace of its own) and to the host by veth pairs, node 1 is the manager and the others join
# it as workers. The machine's own engine
# is left as it is: it only lends its images (docker save | docker load). Needs root, iproute2,
# nsenter and unshare (util-linux) and Debian's docker.io.
#
#   stack/swarm-nodes.sh up [--nodes N] [--name NAME] [--subnet A.B.C] [--images "IMAGE ..."]
#   stack/swarm-nodes.sh load [--name NAME] IMAGE...     copy images from this engine to every node
#   stack/swarm-nodes.sh socket NODE [--name NAME]       the node's Docker socket (for DOCKER_HOST)
#   stack/swarm-nodes.sh kill NODE [--name NAME]         SIGKILL the node's engine and all it runs
#   stack/swarm-nodes.sh isolate NODE [--name NAME]      cut the node off the network (link down)
#   stack/swarm-nodes.sh reconnect NODE [--name NAME]    put it back on the network
#   stack/swarm-nodes.sh down [--name NAME]              remove everything up made; checks it
#
# --nodes  how many (1..9, default 3); --name  prefix of namespaces and files (a lower-case letter
# then up to 9 letters or digits, default faasnodes; $FAAS_NODES_NAME); --subnet  the first three
# octets of the private /24 the nodes live on (default 10.213.0; $FAAS_NODES_SUBNET): the host is
# .1, node i is .(10+i). Node i's namespace and host name are NAME-i, its engine listens on
# /run/faas-nodes/NAME/node-i/docker.sock and keeps its data in /var/lib/faas-nodes/NAME/node-i
# (its log: dockerd.log there). up refuses to start over an earlier cluster of the same name (run
# down first); down also removes what a failed or killed run left, and exits 1 naming anything it
# could not remove.
set -euo pipefail

NAME=${FAAS_NODES_NAME:-faasnodes}
SUBNET=${FAAS_NODES_SUBNET:-10.213.0}
NODES=3
IMAGES=""
usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }
fail() { echo "swarm-nodes.sh: $*" >&2; exit 1; }

[ $# -ge 1 ] || { usage >&2; exit 2; }
COMMAND=$1
shift
ARGS=()
value() { # the option's value, or a clear error when it has none
  [ $# -ge 2 ] || { echo "swarm-nodes.sh: $1 needs a value (try --help)" >&2; exit 2; }
}
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) value "$@"; NODES=$2; shift 2 ;;
    --name) value "$@"; NAME=$2; shift 2 ;;
    --subnet) value "$@"; SUBNET=$2; shift 2 ;;
    --images) value "$@"; IMAGES=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "swarm-nodes.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
[[ "$NAME" =~ ^[a-z][a-z0-9]{0,9}$ ]] \
  || { echo "swarm-nodes.sh: --name needs a lower-case letter then up to 9 letters or digits, not '$NAME'" >&2; exit 2; }
[[ "$NODES" =~ ^[1-9]$ ]] || { echo "swarm-nodes.sh: --nodes needs 1 to 9, not '$NODES'" >&2; exit 2; }
octet='(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])'
[[ "$SUBNET" =~ ^$octet\.$octet\.$octet$ ]] \
  || { echo "swarm-nodes.sh: --subnet needs three octets such as 10.213.0, not '$SUBNET'" >&2; exit 2; }

RUN=/run/faas-nodes/$NAME
DATA=/var/lib/faas-nodes/$NAME
SWITCH=$NAME-sw
HOST_LINK=$NAME-h

node_ns() { echo "$NAME-$1"; }
node_addr() { echo "$SUBNET.$((10 + $1))"; }
node_sock() { echo "$RUN/node-$1/docker.sock"; }
ndocker() { local n=$1; shift; docker -H "unix://$(node_sock "$n")" "$@"; }
node_number() {
  [[ "${1:-}" =~ ^[1-9]$ ]] || { echo "swarm-nodes.sh: NODE needs a node number (1..9), not '${1:-}'" >&2; exit 2; }
  echo "$1"
}

# the nodes that exist now: from the namespaces and from the run and data folders
existing_nodes() {
  {
    ip netns list 2>/dev/null | awk '{ print $1 }' | sed -n "s/^$NAME-\([1-9]\)\$/\1/p"
    for d in "$RUN"/node-* "$DATA"/node-*; do
      [ -d "$d" ] && echo "${d##*/node-}"
    done
  } | sort -u
}

# the network-namespace inodes a node's processes live in: the node's own and its containers'
node_netns_inodes() {
  local n=$1 f
  [ -e "/var/run/netns/$(node_ns "$n")" ] && stat -L -c %i "/var/run/netns/$(node_ns "$n")" 2>/dev/null
  for f in "$RUN/node-$n/exec/netns"/*; do
    [ -e "$f" ] && stat -L -c %i "$f" 2>/dev/null
  done
  return 0
}

# every process of the node: its daemons, the containers' shims and the containers' processes
node_pids() {
  local n=$1 inodes p link
  inodes=" $(node_netns_inodes "$n" | tr '\n' ' ') "
  [ "$inodes" != "  " ] || return 0
  for p in /proc/[0-9]*; do
    link=$(readlink "$p/ns/net" 2>/dev/null) || continue
    link=${link#net:[}
    link=${link%]}
    [[ "$inodes" == *" $link "* ]] && echo "${p#/proc/}"
  done
  return 0
}

kill_node() { # SIGKILL until none is left (a dying daemon may still start a process)
  local n=$1 pids
  for _ in $(seq 1 50); do
    pids=$(node_pids "$n")
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  pids=$(node_pids "$n")
  [ -z "$pids" ] || { echo "swarm-nodes.sh: node $n: processes still alive: $pids" >&2; return 1; }
}

unmount_under() { # lazily, deepest first: the daemons leave overlay, shm and netns mounts behind
  local dir=$1 m
  awk '{ print $5 }' /proc/self/mountinfo | grep -E "^$dir(/|$)" | awk '{ print length, $0 }' \
    | sort -rn | cut -d' ' -f2- | while read -r m; do
      umount -l "$m" 2>/dev/null || true
    done || true
}

down() {
  local n left=()
  for n in $(existing_nodes); do
    kill_node "$n" || left+=("processes of node $n")
  done
  unmount_under "$RUN"
  unmount_under "$DATA"
  for n in $(existing_nodes); do
    ip netns del "$(node_ns "$n")" 2>/dev/null || true
  done
  ip netns del "$SWITCH" 2>/dev/null || true
  ip link del "$HOST_LINK" 2>/dev/null || true
  rm -rf "$RUN" "$DATA"
  rmdir /run/faas-nodes /var/lib/faas-nodes 2>/dev/null || true
  # what is left, if anything, is named
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep -E "^$NAME-(sw|[1-9])$"); do
    left+=("network namespace $ns")
  done
  if ip link show "$HOST_LINK" >/dev/null 2>&1; then left+=("link $HOST_LINK"); fi
  if [ -e "$RUN" ]; then left+=("folder $RUN"); fi
  if [ -e "$DATA" ]; then left+=("folder $DATA"); fi
  if pgrep -f -- "--exec-root $RUN/" >/dev/null; then left+=("daemons of $NAME"); fi
  if ((${#left[@]})); then
    echo "swarm-nodes.sh: down: left behind: ${left[*]}" >&2
    return 1
  fi
  echo "swarm-nodes.sh: $NAME removed"
}

start_node() {
  local n=$1 ns dir run
  ns=$(node_ns "$n")
  dir=$DATA/node-$n
  run=$RUN/node-$n
  mkdir -p "$dir/data" "$run/exec"
  echo '{}' >"$dir/daemon.json" # not the machine's /etc/docker/daemon.json
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$SWITCH" link add "n$n" type veth peer name eth0 netns "$ns"
  ip -n "$SWITCH" link set "n$n" master br0 up
  ip -n "$ns" addr add "$(node_addr "$n")/24" dev eth0
  ip -n "$ns" link set eth0 up
  # the node's own host name (a UTS namespace), so that nodes are told apart in `docker node ls`;
  # no default route: nothing a node does leaves the machine (a pull fails at once)
  setsid nsenter --net="/var/run/netns/$ns" unshare --uts sh -c \
    'echo "$0" > /proc/sys/kernel/hostname && exec "$@"' "$ns" \
    dockerd --config-file "$dir/daemon.json" --data-root "$dir/data" --exec-root "$run/exec" \
    --pidfile "$run/dockerd.pid" -H "unix://$run/docker.sock" \
    </dev/null >"$dir/dockerd.log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  disown # not this shell's job: down or kill ends it, without a notice from bash
}

wait_for_engine() {
  local n=$1
  for _ in $(seq 1 120); do
    ndocker "$n" info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "swarm-nodes.sh: node $n's engine did not answer within 60 s; its log:" >&2
  tail -n 20 "$DATA/node-$n/dockerd.log" >&2 || true
  return 1
}

load_images() { # images from this machine's engine to every node, one archive for all
  local images=("$@") n pids=() failed=0
  [ ${#images[@]} -gt 0 ] || return 0
  docker image inspect "${images[@]}" >/dev/null || fail "an image to load is missing on this engine"
  mkdir -p "$DATA"
  docker save "${images[@]}" -o "$DATA/images.tar"
  for n in $(existing_nodes); do
    ndocker "$n" load -q -i "$DATA/images.tar" >/dev/null &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  rm -f "$DATA/images.tar"
  [ "$failed" = 0 ] || fail "loading the images into a node failed"
}

up() {
  [ "$(id -u)" = 0 ] || fail "needs root (network namespaces and Docker engines)"
  for tool in ip nsenter unshare dockerd docker; do
    command -v "$tool" >/dev/null || fail "'$tool' is needed but not installed (stack/docker-prerequisites.sh)"
  done
  # a system containerd on the default socket would be shared by every node's engine
  [ ! -S /run/containerd/containerd.sock ] \
    || fail "a containerd runs on /run/containerd/containerd.sock: every node's engine would share it"
  if [ -n "$(existing_nodes)" ] || [ -e "/var/run/netns/$SWITCH" ]; then
    fail "a cluster named $NAME exists; remove it first: stack/swarm-nodes.sh down --name $NAME"
  fi
  if ip -o addr show | grep -q " $SUBNET\.[0-9]*/"; then
    fail "$SUBNET.0/24 is in use on this machine; choose another with --subnet"
  fi
  # whatever fails from here on (a command, a function, fail), what up made so far is removed
  UP_DONE=0
  trap '[ "$UP_DONE" = 1 ] || { echo "swarm-nodes.sh: up failed; removing what it made" >&2; down >&2 || true; }' EXIT
  mkdir -p "$RUN" "$DATA"
  ip netns add "$SWITCH"
  ip -n "$SWITCH" link set lo up
  ip -n "$SWITCH" link add br0 type bridge
  ip -n "$SWITCH" link set br0 up
  ip link add "$HOST_LINK" type veth peer name host netns "$SWITCH"
  ip -n "$SWITCH" link set host master br0 up
  ip addr add "$SUBNET.1/24" dev "$HOST_LINK"
  ip link set "$HOST_LINK" up
  local n token
  for n in $(seq 1 "$NODES"); do start_node "$n"; done
  for n in $(seq 1 "$NODES"); do wait_for_engine "$n"; done
  ndocker 1 swarm init --advertise-addr "$(node_addr 1)" --listen-addr "$(node_addr 1):2377" >/dev/null
  token=$(ndocker 1 swarm join-token -q worker)
  for n in $(seq 2 "$NODES"); do
    ndocker "$n" swarm join --token "$token" --advertise-addr "$(node_addr "$n")" \
      --listen-addr "$(node_addr "$n"):2377" "$(node_addr 1):2377" >/dev/null
  done
  for _ in $(seq 1 120); do
    [ "$(ndocker 1 node ls --format '{{.Status}}' | grep -c '^Ready$')" = "$NODES" ] && break
    sleep 0.5
  done
  [ "$(ndocker 1 node ls --format '{{.Status}}' | grep -c '^Ready$')" = "$NODES" ] \
    || fail "not all $NODES nodes are ready: $(ndocker 1 node ls --format '{{.Hostname}} {{.Status}}' | paste -sd,)"
  # shellcheck disable=SC2086
  load_images $IMAGES
  UP_DONE=1
  for n in $(seq 1 "$NODES"); do
    echo "node $n: $(node_ns "$n") $(node_addr "$n") unix://$(node_sock "$n")$([ "$n" = 1 ] && echo ' (manager)')"
  done
}

case "$COMMAND" in
  up) up ;;
  down) down ;;
  load) [ -n "$(existing_nodes)" ] || fail "no cluster named $NAME"; load_images "${ARGS[@]}" ;;
  socket) n=$(node_number "${ARGS[0]:-}"); echo "$(node_sock "$n")" ;;
  kill)
    n=$(node_number "${ARGS[0]:-}")
    [ -e "/var/run/netns/$(node_ns "$n")" ] || fail "no node $n in $NAME"
    kill_node "$n"
    ;;
  isolate|reconnect)
    n=$(node_number "${ARGS[0]:-}")
    ip -n "$SWITCH" link show "n$n" >/dev/null 2>&1 || fail "no node $n in $NAME"
    ip -n "$SWITCH" link set "n$n" "$([ "$COMMAND" = isolate ] && echo down || echo up)"
    ;;
  -h|--help|help) usage ;;
  *) echo "swarm-nodes.sh: unknown command '$COMMAND' (try --help)" >&2; exit 2 ;;
esac
