#!/usr/bin/env bash
# How decisions over HTTP scale with what is stored: the same closed-loop figure with
# SMALL and then LARGE consents in the SQLite database (defaults 10,000 and 10,000,000),
# asking about subjects spread over all that were seeded. Each measurement follows WARMUP
# decisions about other subjects, so that it sees the service in a steady state (what a
# running service keeps in memory), and the same at both sizes. Each measurement starts once
# the server has read the decisions' indexes into the page cache (it does so as it starts). Prints figures; asserts
# nothing. Needs about 4 KB of disk per consent (40 GB for ten million) and takes a while.
#   scripts/bench-scale.sh [SMALL] [LARGE] [REQUESTS] [WARMUP]
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${1:-10000}
LARGE=${2:-10000000}
REQUESTS=${3:-100000}
WARMUP=${4:-400000}
cargo build --release -q -p qorgau
. scripts/lib.sh
DIR=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$DIR"
trap 'stop_server; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$DIR"' EXIT
BIN=040840001231
SEED_START=100000000

start_server "$DIR"
setup_operator $BIN bench
stop_server
export BENCH_QORGAU_API_KEY=$KEY

measure() {
    start_server "$DIR"
    echo "== $1 consents stored: decisions over HTTP about subjects spread over all of them"
    # The server reads the decisions' indexes into the page cache as it starts (SQLite);
    # measure once it has, as a service that has been running is.
    wait_prewarmed "$DIR"
    "$QORGAU_BIN" bench decisions --url "$Q" --iin-start $SEED_START --subjects "$1" --requests "$REQUESTS" --warmup "$WARMUP" --concurrency 64 | grep -E "warm-up|per second|latency|allow"
    stop_server
}

echo "== seeding $SMALL"
"$QORGAU_BIN" --data-dir "$DIR" bench seed --consents "$SMALL" --organization $BIN --iin-start $SEED_START | tee "$DIR/seed.txt"
NEXT=$(grep -o 'next IIN index [0-9]*' "$DIR/seed.txt" | awk '{print $NF}')
measure "$SMALL"
echo "== seeding up to $LARGE"
"$QORGAU_BIN" --data-dir "$DIR" bench seed --consents $((LARGE - SMALL)) --organization $BIN --iin-start "$NEXT" | tail -n1
du -sh "$DIR"
measure "$LARGE"
