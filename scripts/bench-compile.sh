#!/usr/bin/env bash
# What a big spec costs the people who generate and compile it (issue 14's
# budgets): time and peak memory of the whole process for
#   - generating the whole spec, and one tag of it (`[api.operations]
#     tags = [TAG]` in an apis.toml);
#   - `cargo check` of the generated crates in one shared target directory:
#     the tag with cold dependencies (which builds them for the rest), then
#     the tag and the whole spec with only their generated crates to compile;
#   - `cargo check` of the one-endpoint bitgo crates, dependencies built;
#   - generating the 1000-operation synthetic spec.
#
#   scripts/bench-compile.sh PATH/TO/api.yaml [TAG]      (TAG default: Wallet)
#
# BitGo's api.yaml comes from the public repository BitGo/api-changelog
# (`git show HEAD:api.yaml`); it is never committed here. Prints a Markdown
# table (each row also on stderr as it is measured); the work goes to
# target/bench-compile.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 PATH/TO/api.yaml [TAG]" >&2; exit 2; }
spec="$(realpath "$1")"
tag="${2:-Wallet}"
root="$PWD"
work="$root/target/bench-compile"
rm -rf "$work"
mkdir -p "$work"

cargo build --quiet -p xtask
xtask="$root/target/debug/xtask"
# Generated crates share one target directory, apart from the workspace's own.
export CARGO_TARGET_DIR="$work/target"

rows=()
# measure LABEL COMMAND...: runs COMMAND, keeps "seconds, peak MB".
measure() {
    local label="$1"
    shift
    if ! /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/log" 2>&1; then
        echo "error: $label failed:" >&2
        tail -20 "$work/log" >&2
        exit 1
    fi
    local seconds kb
    read -r seconds kb <"$work/time"
    rows+=("| $label | $seconds s | $((kb / 1024)) MB |")
    echo "${rows[-1]}" >&2
}

# Generation.
measure "generate the whole spec" "$xtask" generate --spec "$spec" --out "$work/all"
mkdir -p "$work/tag/openapi"
printf '[workspace]\nresolver = "3"\nmembers = ["models", "client"]\n' >"$work/tag/Cargo.toml"
printf '[[api]]\nname = "tag"\nspec = "%s"\nmodels = "models"\nclient = "client"\nbudget = { seconds = 600, memory_mib = 20000 }\n[api.operations]\ntags = ["%s"]\n' \
    "$spec" "$tag" >"$work/tag/openapi/apis.toml"
measure "generate tag \`$tag\`" "$xtask" --root "$work/tag" generate

# cargo check.
measure "cargo check, tag \`$tag\`, dependencies cold" sh -c "cd '$work/tag' && cargo check --offline"
touch "$work"/tag/*/src/*.rs
measure "cargo check, tag \`$tag\`" sh -c "cd '$work/tag' && cargo check --offline"
measure "cargo check, whole spec" sh -c "cd '$work/all' && cargo check --offline"

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
