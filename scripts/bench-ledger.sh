#!/usr/bin/env bash
# Ledger benchmarks (issue 4): durable appends with group commit against the same run's
# one-commit-per-entry baseline, on SQLite and, when it answers, on PostgreSQL (a
# throwaway database is created and dropped); then inclusion and consistency proofs on
# a tree of 100,000,000 entries built in memory (about 7 GB of RAM, a minute or two).
# Prints figures; asserts nothing.
#   scripts/bench-ledger.sh [ENTRIES] [PROOF_TREE]
set -euo pipefail
cd "$(dirname "$0")/.."
ENTRIES=${1:-500000}
TREE=${2:-100000000}
PG_ADMIN=${POSTGRES_TEST_URL:-postgres://postgres@127.0.0.1:5432/test}
cargo build --release -q -p qorgau
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"; [ -z "${PG_DB:-}" ] || psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true' EXIT
URLS=(--database-url "sqlite://$DIR/ledger.db?mode=rwc")
if command -v psql >/dev/null && psql -q "$PG_ADMIN" -c "SELECT 1" >/dev/null 2>&1; then
    PG_DB=qorgau_bench_ledger_$$
    psql -q "$PG_ADMIN" -c "CREATE DATABASE $PG_DB" >/dev/null
    URLS+=(--database-url "${PG_ADMIN%/*}/$PG_DB")
else
    echo "PostgreSQL does not answer at $PG_ADMIN: its figures are skipped."
fi
RUST_LOG=warn ./target/release/qorgau bench ledger "${URLS[@]}" --entries "$ENTRIES" --proof-tree "$TREE"
