#!/usr/bin/env bash
# Generation cost as instructions, which do not depend on what else the
# machine is doing (callgrind counts them): for each xtask binary and for
# stock progenitor's own steps (`stock_floor`), the instructions of all
# threads, the same for the same binary and input, and of the main thread
# (the critical path: the helper threads run beside it), whose share of
# the work two threads take from one queue (the companions' impls, as the
# models print) follows valgrind's scheduling of its threads. Times on this
# shared 2-core machine move by half within the hour
# (`scripts/bench-side-by-side.sh`); counts tell whether a change cut work.
# They are no measure against the floor: its instructions are cheaper (on
# BitGo's `api.yaml` ours are fewer and take 1.5 times its CPU time).
#
#   scripts/bench-instructions.sh SPEC [XTASK...]
#
# XTASK: the xtask binaries to compare (copy an older build aside first);
# default: this tree's release build. Each run takes ~40 times its normal
# time (a 1000-operation spec: two minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 SPEC [XTASK...]" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "$0: needs valgrind (Debian's package)" >&2; exit 2; }
spec="$(realpath "$1")"
shift
cargo build --release -p xtask --example stock_floor >&2
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=("$PWD/target/release/xtask")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# count NAME COMMAND...: prints NAME, the main thread's and all threads'
# instructions (callgrind writes one file per thread, the main thread's
# first).
count() {
    local name="$1"
    shift
    valgrind --tool=callgrind --separate-threads=yes \
        --callgrind-out-file="$work/$name.out" "$@" >/dev/null 2>"$work/$name.log" ||
        { echo "$name failed:" >&2; tail -5 "$work/$name.log" >&2; exit 1; }
    local main all
    main=$(awk '/^totals:/ { print $2 }' "$work/$name.out-01")
    all=$(cat "$work/$name".out-* | awk '/^totals:/ { s += $2 } END { print s }')
    echo "$name $main $all"
}
results=()
for i in "${!binaries[@]}"; do
    # valgrind runs it ~40 times slower: past the default budget of 120 s.
    results+=("$(count "xtask$i" "${binaries[$i]}" generate --spec "$spec" --out "$work/out$i" --budget-seconds 86400)")
done
floor="$(count floor target/release/examples/stock_floor "$spec")"
floor_main=$(echo "$floor" | cut -d' ' -f2)
for i in "${!binaries[@]}"; do
    echo "${results[$i]}" | awk -v name="${binaries[$i]}" -v floor="$floor_main" '{
        printf "%s: main thread %.3f G instructions (%.2f x the floor), all threads %.3f G\n",
               name, $2 / 1e9, $2 / floor, $3 / 1e9 }'
done
echo "$floor" | awk '{ printf "stock_floor: main thread %.3f G instructions, all threads %.3f G\n", $2 / 1e9, $3 / 1e9 }'
