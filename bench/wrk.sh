# Shared by the benchmarks: a bounded wrk load and the figures it prints. Source it; it defines
# wrk_post URL CONCURRENCY SECONDS BODYFILE -> "rps p50_ms p99_ms bad", and median.
# wrk's client costs about half of hey's CPU at concurrency 16, which matters when the client
# and every target share two cores.
# shellcheck shell=bash

command -v wrk >/dev/null || { echo "$(basename "$0"): needs wrk (apt-get install wrk)" >&2; exit 1; }

# the caller removes WRK_DIR (inside lib.sh's WORK when that is sourced first)
if [ -n "${WORK:-}" ]; then WRK_DIR=$WORK/wrk; mkdir -p "$WRK_DIR"; else WRK_DIR=$(mktemp -d /tmp/faas-wrk.XXXXXX); fi

# a POST of the given file's bytes, and the figures wrk leaves in the done() callback
cat > "$WRK_DIR/post.lua" <<'LUA'
wrk.method = "POST"
local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/octet-stream"
function done(summary, latency, requests)
  local bad = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status
  io.write(string.format("FIGURES %.1f %.3f %.3f %d\n",
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, bad))
end
LUA

# wrk_post URL CONCURRENCY SECONDS BODYFILE: one bounded run; prints "rps p50_ms p99_ms bad"
wrk_post() {
  local threads=$(( $2 < 2 ? 1 : 2 ))
  WRK_BODY=$4 wrk -t "$threads" -c "$2" -d "${3}s" --timeout 10s -s "$WRK_DIR/post.lua" "$1" \
    | awk '/^FIGURES/ { print $2, $3, $4, $5 }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "-") }'; }
