#!/bin/sh
# webhookstash: stores each request body as a new file and answers with the file's name.
# The directory comes from the function's env var stash_dir (config/functions.json sets it
# inside the platform's data directory).
set -eu

dir=${stash_dir:-webhookstash}
mkdir -p "$dir"
name="$(date -u +%Y%m%dT%H%M%S%N)-$$.txt"
cat > "$dir/$name"
printf '%s\n' "$name"
