#!/usr/bin/env bash
# Consents completed per second over HTTP on loopback, against `qorgau serve` on SQLite with
# every write durable (WAL, synchronous=FULL, group commit). Prints figures; asserts nothing.
#   scripts/bench-consents.sh [FLOWS] [WORKERS]
set -euo pipefail
cd "$(dirname "$0")/.."
FLOWS=${1:-20000}
WORKERS=${2:-64}
cargo build --release -q -p qorgau
. scripts/lib.sh
DIR=$(mktemp -d)
trap 'stop_server; rm -rf "$DIR"' EXIT
start_server "$DIR"
setup_operator 040840001231 bench
export BENCH_QORGAU_API_KEY=$KEY
echo "== closed loop: throughput"
"$QORGAU_BIN" bench consents --url "$Q" --outbox "$DIR/outbox.jsonl" --flows "$FLOWS" --concurrency "$WORKERS" | tee "$DIR/closed.txt"
RATE=$(grep -o 'completed consents per second: [0-9.]*' "$DIR/closed.txt" | awk '{print $NF}')
HALF=$(awk -v r="$RATE" 'BEGIN { printf "%.0f", r / 2 }')
echo
echo "== open loop at half that rate ($HALF flows/s): latency"
"$QORGAU_BIN" bench consents --url "$Q" --outbox "$DIR/outbox.jsonl" --flows "$FLOWS" --concurrency "$WORKERS" --rate "$HALF"
