#!/usr/bin/env bash
# What a big spec costs the people who generate and compile it (issue 14's
# budgets): time and peak memory of the whole process tree for
#   - generating the whole spec;
#   - `cargo check` of the generated crates in one shared target directory:
#     with no features (which builds the dependencies), with one tag's
#     feature alone (what a user of that tag compiles), with the default
#     `full`, and with `full` and `schemars`;
#   - `cargo check` of the one-endpoint bitgo crates, dependencies built;
#   - generating the 1000-operation synthetic spec.
#
#   scripts/bench-compile.sh PATH/TO/api.yaml [FEATURE] [GROUPS]
#
# FEATURE is a tag's cargo feature (`Wallet` → `wallet`; `--explain` lists
# them; default `wallet`). GROUPS is `--model-groups`: the models split into
# a crate per that many groups of tags (default 4; 0: one models crate).
# BitGo's api.yaml comes from the public repository BitGo/api-changelog
# (`git show HEAD:api.yaml`); it is never committed here. Prints a Markdown table (each row also on stderr as it is measured);
# the work goes to target/bench-compile. Incremental compilation is off, so
# that each check does the whole crate's work.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 PATH/TO/api.yaml [FEATURE]" >&2; exit 2; }
spec="$(realpath "$1")"
feature="${2:-wallet}"
groups="${3:-4}"
root="$PWD"
work="$root/target/bench-compile"
rm -rf "$work"
mkdir -p "$work"

cargo build --quiet -p xtask
xtask="$root/target/debug/xtask"
# Generated crates share one target directory, apart from the workspace's own.
export CARGO_TARGET_DIR="$work/target" CARGO_INCREMENTAL=0

rows=()
# tree_rss PID: the resident memory, in KB, of PID and all its descendants.
tree_rss() {
    ps -e -o pid=,ppid=,rss= | awk -v root="$1" '
        { parent[$1] = $2; rss[$1] = $3 }
        END {
            for (p in parent) {
                q = p
                while (q != "" && q != root && q > 1) q = parent[q]
                if (q == root) total += rss[p]
            }
            print total + 0
        }'
}

# measure LABEL COMMAND...: runs COMMAND, keeps "seconds, peak MB". The peak
# is the whole process tree's: cargo runs up to two rustcs at once, and GNU
# time's maximum RSS is that of the largest process alone. The tree is
# sampled every 0.1 s; the largest process's exact peak (GNU time) is a
# floor under the sample.
measure() {
    local label="$1"
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/log" 2>&1 &
    local pid=$! tree=0 now
    while kill -0 "$pid" 2>/dev/null; do
        now=$(tree_rss "$pid")
        ((now > tree)) && tree=$now
        sleep 0.1
    done
    if ! wait "$pid"; then
        echo "error: $label failed:" >&2
        tail -20 "$work/log" >&2
        exit 1
    fi
    local seconds kb
    read -r seconds kb <"$work/time"
    ((tree > kb)) && kb=$tree
    # Generated code is warning-free: a check that warns fails the bench.
    if [[ "$label" == "cargo check"* ]] && grep -q '^warning' "$work/log"; then
        echo "error: $label warned:" >&2
        grep -A5 '^warning' "$work/log" | head -40 >&2
        exit 1
    fi
    rows+=("| $label | $seconds s | $((kb / 1024)) MB |")
    echo "${rows[-1]}" >&2
}

# Generation.
measure "generate the whole spec (\`--model-groups $groups\`)" "$xtask" generate --spec "$spec" --out "$work/all" --model-groups "$groups"

# cargo check.
# check ARGS...: the generated crates' sources touched, then cargo check.
check=(bash -c 'cd "$0" && touch ./*/src/*.rs && cargo check --offline "$@"' "$work/all")
measure "cargo check, no features (dependencies cold)" "${check[@]}" --no-default-features
measure "cargo check, feature \`$feature\` alone" "${check[@]}" --no-default-features --features "$feature"
measure "cargo check, whole spec (\`full\`, the default)" "${check[@]}"
measure "cargo check, whole spec and \`schemars\`" "${check[@]}" --features schemars

# The one-endpoint crates (models and client), dependencies built first.
(cd "$root" && cargo check --quiet --offline -p bitgo-models -p bitgo-client)
touch "$root"/crates/bitgo-models/src/lib.rs "$root"/crates/bitgo-client/src/lib.rs
measure "cargo check, one-endpoint bitgo crates" sh -c "cd '$root' && cargo check --offline -p bitgo-models -p bitgo-client"

# The 1000-operation synthetic spec.
"$xtask" synth --operations 1000 >"$work/synthetic-1000.yaml"
measure "generate the 1000-operation synthetic spec" "$xtask" generate --spec "$work/synthetic-1000.yaml" --out "$work/synthetic"

echo "| what | time | peak memory |"
echo "|---|---|---|"
printf '%s\n' "${rows[@]}"
