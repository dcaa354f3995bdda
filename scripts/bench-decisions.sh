#!/usr/bin/env bash
# Access decisions: the engine alone beside cedar-policy and regorus, then over HTTP on loopback against `qorgau serve` on
# SQLite with every decision durably recorded. Prints figures; asserts nothing.
#   scripts/bench-decisions.sh [SUBJECTS] [REQUESTS] [WORKERS]
set -euo pipefail
cd "$(dirname "$0")/.."
SUBJECTS=${1:-2000}
REQUESTS=${2:-50000}
WORKERS=${3:-64}
cargo build --release -q -p qorgau
. scripts/lib.sh
echo "== the engine alone, beside Cedar and Rego (a workspace of its own)"
cargo run --release -q --manifest-path benches/policy-compare/Cargo.toml
DIR=$(mktemp -d)
trap 'stop_server; rm -rf "$DIR"' EXIT
start_server "$DIR"
setup_operator 040840001231 bench
export BENCH_QORGAU_API_KEY=$KEY
START=1000
echo
echo "== seeding $SUBJECTS subjects with a consent each"
"$QORGAU_BIN" bench consents --url "$Q" --outbox "$DIR/outbox.jsonl" --flows "$SUBJECTS" --warmup 0 --iin-start $START | grep "completed consents per second"
echo
echo "== over HTTP, closed loop: throughput"
"$QORGAU_BIN" bench decisions --url "$Q" --iin-start $START --subjects "$SUBJECTS" --requests "$REQUESTS" --concurrency "$WORKERS" | tee "$DIR/closed.txt"
RATE=$(grep -o 'decisions per second: [0-9.]*' "$DIR/closed.txt" | awk '{print $NF}')
HALF=$(awk -v r="$RATE" 'BEGIN { printf "%.0f", r / 2 }')
echo
echo "== over HTTP, open loop at half that rate ($HALF/s): latency"
"$QORGAU_BIN" bench decisions --url "$Q" --iin-start $START --subjects "$SUBJECTS" --requests "$REQUESTS" --concurrency "$WORKERS" --rate "$HALF"
