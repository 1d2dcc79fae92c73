#!/usr/bin/env bash
# Instruction counts (callgrind, which repeats exactly) for deserializing the
# realistic 200 body 1000 times with the generated types, the hand-written
# floor and serde_json::Value; prints the ratio floor/generated (budget >= 0.9).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "error: valgrind is needed" >&2; exit 1; }
cargo build --quiet --release -p bitgo-models --example deserialize_loop
bin=target/release/examples/deserialize_loop
count() {
    # The loop's instructions, without process start-up: 1000 runs minus 0 runs.
    local with without
    with=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" 1000 2>&1 | awk '/Collected/ {print $4}')
    without=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" 0 2>&1 | awk '/Collected/ {print $4}')
    echo $(( (with - without) / 1000 ))
}
generated=$(count generated)
floor=$(count floor)
value=$(count value)
echo "instructions per body: generated ${generated}, hand-written floor ${floor}, serde_json::Value ${value}"
awk -v g="$generated" -v f="$floor" -v v="$value" 'BEGIN {
    printf "generated speed vs floor: %.2fx (budget >= 0.9x); vs Value: %.2fx\n", f / g, v / g
}'
