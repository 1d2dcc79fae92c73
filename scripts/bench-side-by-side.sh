#!/usr/bin/env bash
# Generation time where the machine is noisy (a shared 2-core VM whose speed
# moves by half within an hour): xtask binaries and stock progenitor's own
# steps (`stock_floor`) run alternately, each as a whole process, so that a
# slow period slows them all; prints the min, median and max wall time and
# the peak memory of each.
#
#   scripts/bench-side-by-side.sh SPEC RUNS [XTASK...]
#
# XTASK: the xtask binaries to compare (copy an older build aside first:
# `cp target/release/xtask /tmp/xtask-before`); default: this tree's release
# build alone. Compare ratios to the floor, not times across periods.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 SPEC RUNS [XTASK...]" >&2; exit 2; }
spec="$(realpath "$1")"
runs="$2"
shift 2
cargo build --release -p xtask --example stock_floor >&2
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=("$PWD/target/release/xtask")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# run NAME COMMAND...: appends "seconds kilobytes" to $work/NAME.
run() {
    local name="$1"
    shift
    /usr/bin/time -f "%e %M" -o "$work/one" "$@" >/dev/null 2>&1
    cat "$work/one" >>"$work/$name"
}
for _ in $(seq "$runs"); do
    for i in "${!binaries[@]}"; do
        run "xtask$i" "${binaries[$i]}" generate --spec "$spec" --out "$work/out$i"
    done
    run floor target/release/examples/stock_floor "$spec"
done
summary() {
    sort -n "$work/$2" | awk -v name="$1" '{ t[NR] = $1; if ($2 > peak) peak = $2 }
        END { printf "%s: min %s s, median %s s, max %s s, peak %d MB\n",
              name, t[1], t[int((NR + 1) / 2)], t[NR], peak / 1024 }'
}
for i in "${!binaries[@]}"; do
    summary "${binaries[$i]}" "xtask$i"
done
summary "stock_floor" floor
