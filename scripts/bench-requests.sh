#!/usr/bin/env bash
# Subjects' requests filed per second over HTTP on loopback, against `qorgau serve` on SQLite
# with every request durable (the request, its ledger entry and the subject's message in one
# commit; WAL, synchronous=FULL, group commit). Prints figures; asserts nothing.
#   scripts/bench-requests.sh [REQUESTS] [WORKERS] [SUBJECTS]
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-20000}
WORKERS=${2:-64}
SUBJECTS=${3:-256}
cargo build --release -q -p qorgau
. scripts/lib.sh
DIR=$(mktemp -d)
trap 'stop_server; rm -rf "$DIR"' EXIT
start_server "$DIR"
setup_operator 040840001231 bench
export BENCH_QORGAU_API_KEY=$KEY
START=2000
echo "== $SUBJECTS subjects give a consent (so that their contacts are proven and they can sign in)"
"$QORGAU_BIN" bench consents --url "$Q" --outbox "$DIR/outbox.jsonl" --flows "$SUBJECTS" --warmup 0 --iin-start $START | grep "completed consents per second"
echo
echo "== closed loop: throughput"
"$QORGAU_BIN" bench requests --url "$Q" --outbox "$DIR/outbox.jsonl" --organization-bin 040840001231 --iin-start $START --subjects "$SUBJECTS" --requests "$REQUESTS" --concurrency "$WORKERS" | tee "$DIR/closed.txt"
RATE=$(grep -o 'requests accepted per second: [0-9.]*' "$DIR/closed.txt" | awk '{print $NF}')
HALF=$(awk -v r="$RATE" 'BEGIN { printf "%.0f", r / 2 }')
echo
echo "== open loop at half that rate ($HALF/s): latency"
"$QORGAU_BIN" bench requests --url "$Q" --outbox "$DIR/outbox.jsonl" --organization-bin 040840001231 --iin-start $START --subjects "$SUBJECTS" --requests "$REQUESTS" --concurrency "$WORKERS" --rate "$HALF"
