# Shared by the scripts: start a throw-away `qorgau serve` on SQLite and set up an operator.
# Sourced, not run. Needs curl and jq.

QORGAU_BIN="${QORGAU_BIN:-target/release/qorgau}"

# start_server DIR: serve from DIR on a free port; sets Q (base URL), SERVER_PID, and ADMIN
# (the bootstrap key, on the first start of a database).
start_server() {
    local dir=$1
    "$QORGAU_BIN" --data-dir "$dir" serve --listen 127.0.0.1:0 >"$dir/stdout" 2>"$dir/stderr" &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        Q=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$dir/stdout" 2>/dev/null | head -n1 || true)
        if [ -n "$Q" ] && curl -sf "$Q/readyz" >/dev/null; then
            # The bootstrap key is printed only at the first start of a database.
            ADMIN=$(grep -o 'qk_[A-Za-z0-9_.-]*' "$dir/stdout" 2>/dev/null | head -n1 || true)
            return 0
        fi
        sleep 0.1
    done
    echo "the server did not start:" >&2
    cat "$dir/stderr" >&2
    return 1
}

stop_server() {
    if [ -n "${SERVER_PID:-}" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}

# setup_operator BIN PURPOSE: registers an operator with a purpose; sets ORG and KEY.
setup_operator() {
    ORG=$(curl -sf "$Q/v1/organizations" -H "Authorization: Bearer $ADMIN" -H 'content-type: application/json' \
        -d "{\"bin\":\"$1\",\"name\":\"Demo Bank\",\"kind\":\"operator\",\"dpo\":{\"name\":\"Aigul Derbesova\",\"email\":\"dpo@bank.example.kz\"}}" | jq -r .id)
    KEY=$(curl -sf "$Q/v1/organizations/$ORG/api-keys" -H "Authorization: Bearer $ADMIN" \
        -H 'content-type: application/json' -d '{"label":"script"}' | jq -r .token)
    curl -sf "$Q/v1/purposes" -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \
        -d "{\"code\":\"$2\",\"name\":{\"kk\":\"Несие беру\",\"ru\":\"Выдача кредита\",\"en\":\"Lending\"},\"categories\":[\"full_name\",\"iin\",\"phone\",\"income\"],\"storage_term_days\":1825}" >/dev/null
}

# wait_prewarmed DIR: wait until the server started from DIR has read the decisions' indexes
# into the page cache (SQLite; it logs when done), and print how long that took.
wait_prewarmed() {
    local dir=$1
    # From a cold page cache ten million subjects took 15 minutes on a slow disk.
    for _ in $(seq 1 9000); do
        if grep -q 'decision indexes prewarmed' "$dir/stderr" 2>/dev/null; then
            grep 'decision indexes prewarmed' "$dir/stderr" | tail -n1 | grep -o 'seconds[^0-9]*[0-9.]*' | grep -o '[0-9.]*$' |
                awk '{printf "  decision indexes prewarmed in %.1f s\n", $1}'
            return 0
        fi
        sleep 0.2
    done
    echo "the server did not finish prewarming in 30 minutes" >&2
    return 1
}
