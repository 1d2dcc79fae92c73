#!/usr/bin/env bash
# Generation cost where the machine is noisy (a shared 2-core VM whose speed
# moves by half within an hour), each xtask binary beside stock progenitor's
# own steps (`stock_floor`), as whole processes.
#
#   scripts/bench-side-by-side.sh SPEC RUNS [XTASK...]
#   scripts/bench-side-by-side.sh --instructions SPEC [XTASK...]
#
# Time (the first form): the binaries and the floor run alternately, RUNS
# times, so that a slow period slows them all; prints the min, median and
# max wall time and the peak memory of each. Compare ratios to the floor,
# not times across periods.
#
# Instructions (`--instructions`, needs valgrind): each runs once under
# callgrind (~40 times slower: a 1000-operation spec takes two minutes);
# prints the instructions of all threads, the same for the same binary and
# input whatever the machine is doing, and of the main thread (the critical
# path: the helper threads run beside it), whose share of the work two
# threads take from one queue (the companions' impls, as the models print)
# follows valgrind's scheduling. Counts tell whether a change cut work; they
# are no measure against the floor, whose instructions are cheaper (on
# BitGo's `api.yaml` ours are fewer and take 1.5 times its CPU time).
#
# XTASK: the xtask binaries to compare (copy an older build aside first:
# `cp target/release/xtask /tmp/xtask-before`); default: this tree's release
# build alone.
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: $0 SPEC RUNS [XTASK...] | $0 --instructions SPEC [XTASK...]"
instructions=false
if [ "${1:-}" = --instructions ]; then
    instructions=true
    shift
    [ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
    command -v valgrind >/dev/null || { echo "$0: --instructions needs valgrind (Debian's package)" >&2; exit 2; }
    spec="$(realpath "$1")"
    shift
else
    [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
    spec="$(realpath "$1")"
    runs="$2"
    shift 2
fi
cargo build --release -p xtask --example stock_floor >&2
binaries=("$@")
[ ${#binaries[@]} -gt 0 ] || binaries=("$PWD/target/release/xtask")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
floor=(target/release/examples/stock_floor "$spec")
# xtask I: sets `cmd` to the I-th binary's command line (under valgrind it
# runs past the default budget of 120 s).
xtask() {
    cmd=("${binaries[$1]}" generate --spec "$spec" --out "$work/out$1" --budget-seconds 86400)
}

if $instructions; then
    # count NAME COMMAND...: prints the main thread's and all threads'
    # instructions (callgrind writes a file per thread, the main thread's
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
        echo "$main $all"
    }
    print() {
        printf "%s: all threads %.3f G instructions, the main thread %.3f G\n" \
            "$1" "$(echo "$2" | awk '{ print $2 / 1e9 }')" "$(echo "$2" | awk '{ print $1 / 1e9 }')"
    }
    for i in "${!binaries[@]}"; do
        xtask "$i"
        print "${binaries[$i]}" "$(count "xtask$i" "${cmd[@]}")"
    done
    print stock_floor "$(count floor "${floor[@]}")"
    exit
fi

# run NAME COMMAND...: appends "seconds kilobytes" to $work/NAME.
run() {
    local name="$1"
    shift
    /usr/bin/time -f "%e %M" -o "$work/one" "$@" >/dev/null 2>&1
    cat "$work/one" >>"$work/$name"
}
for _ in $(seq "$runs"); do
    for i in "${!binaries[@]}"; do
        xtask "$i"
        run "xtask$i" "${cmd[@]}"
    done
    run floor "${floor[@]}"
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
