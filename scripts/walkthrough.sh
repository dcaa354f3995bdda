#!/usr/bin/env bash
# The README's walkthrough, run against a fresh server with every answer checked.
#   scripts/walkthrough.sh        (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p qorgau
. scripts/lib.sh
DIR=$(mktemp -d)
trap 'stop_server; rm -rf "$DIR"' EXIT
start_server "$DIR"
OUTBOX=$DIR/outbox.jsonl
check() { if [ "$1" != "$2" ]; then echo "FAILED: $3: got '$1', want '$2'" >&2; exit 1; fi; echo "ok: $3"; }
code_for() { for _ in $(seq 1 50); do c=$(grep "$1" "$OUTBOX" 2>/dev/null | tail -n1 | jq -r .message.code); [ -n "$c" ] && [ "$c" != null ] && { echo "$c"; return; }; sleep 0.1; done; }

setup_operator 040840001231 loan
check "$(curl -s "$Q/v1/purposes/loan" -H "Authorization: Bearer $KEY" | jq -r .code)" loan "purpose declared"

REQ=$(curl -s "$Q/v1/consent-requests" -H "Authorization: Bearer $KEY" -H 'content-type: application/json' -d '{
  "purpose": "loan",
  "subject": {"iin": "900101300017", "name": {"surname": "Serikov", "given_name": "Arman"},
              "contact": {"phone": "+77011234567"}, "language": "en"},
  "terms": {"categories": ["full_name", "income"], "valid_until": "2030-01-01T00:00:00Z",
            "transfer_to_third_parties": {"allowed": false},
            "cross_border_transfer": {"allowed": false},
            "dissemination_in_public_sources": false,
            "other_information": {"kk": "Несие шарты", "ru": "Кредитный договор", "en": "Loan agreement"}}}' | jq -r .id)
CODE=$(code_for "$REQ")
check "$(curl -s "$Q/v1/consent-requests/$REQ/confirm" -H 'content-type: application/json' -d "{\"code\":\"$CODE\"}" | jq -r .state)" active "subject confirms with the code"

JWS=$(curl -s "$Q/v1/consents/$REQ/receipt" -H "Authorization: Bearer $KEY")
check "$(echo "$JWS" | tr -cd . | wc -c)" 2 "receipt is a compact JWS"
check "$(curl -s "$Q/v1/keys" | jq -r '.keys[0].crv')" Ed25519 "published key"

CH=$(curl -s "$Q/v1/subject/sign-in" -H 'content-type: application/json' -d '{"iin":"900101300017"}' | jq -r .challenge_id)
SCODE=$(code_for "$CH")
SESSION=$(curl -s "$Q/v1/subject/sign-in/verify" -H 'content-type: application/json' -d "{\"challenge_id\":\"$CH\",\"code\":\"$SCODE\"}" | jq -r .token)
check "$(curl -s "$Q/v1/consents" -H "Authorization: Bearer $SESSION" | jq -r '.items[0].state')" active "subject sees the consent"
check "$(curl -s -X POST "$Q/v1/consents/$REQ/withdraw" -H "Authorization: Bearer $SESSION" | jq -r .consent.state)" withdrawn "subject withdraws"
check "$(curl -s "$Q/v1/consents/$REQ" -H "Authorization: Bearer $KEY" | jq -r '[.history[].kind] | join(",")')" "requested,code_sent,confirmed,withdrawn" "history"
echo "walkthrough: all steps passed"
