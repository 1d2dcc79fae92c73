#!/usr/bin/env bash
# Times, as whole processes, `cargo xtask generate` and the xtask binary alone
# against openapi-generator (`openapi-generator-cli generate -g rust`) on the
# same spec, and prints the medians and the ratios.
#
#   scripts/bench-peers.sh [RUNS]      (default 5)
#
# Needs Python 3 with pip (openapi-generator-cli, which bundles the jar, is
# installed into target/peers-venv) and Java 11+.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
spec=openapi/bitgo.yaml
work=target/peers
mkdir -p "$work"

if [ ! -x target/peers-venv/bin/openapi-generator-cli ]; then
    python3 -m venv target/peers-venv
    target/peers-venv/bin/pip install --quiet openapi-generator-cli
fi
command -v java >/dev/null || { echo "error: java is needed by openapi-generator" >&2; exit 1; }

# Warm every cache first: cargo's build, the JVM's class data, the disk.
cargo build --quiet --release -p xtask
cargo xtask generate >/dev/null
target/peers-venv/bin/openapi-generator-cli generate -g rust -i "$spec" -o "$work/rust" >/dev/null 2>&1

# Median wall-clock milliseconds of `runs` runs of the command.
median_ms() {
    local times=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

peer=$(median_ms target/peers-venv/bin/openapi-generator-cli generate -g rust -i "$spec" -o "$work/rust")
ours=$(median_ms cargo xtask generate)
binary=$(median_ms target/release/xtask generate --spec "$spec" --out "$work/ours")

echo "runs: $runs, spec: $spec, machine: $(nproc) cores"
echo "openapi-generator-cli generate -g rust:  ${peer} ms (median)"
echo "cargo xtask generate:                    ${ours} ms (median)"
echo "target/release/xtask generate (binary):  ${binary} ms (median)"
awk -v p="$peer" -v o="$ours" -v b="$binary" 'BEGIN {
    printf "ratio, cargo xtask generate: %.1fx faster (budget >= 20x)\n", p / o
    printf "ratio, binary alone:         %.1fx faster (budget >= 100x)\n", p / b
}'
