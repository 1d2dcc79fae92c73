#!/usr/bin/env bash
# Does `cargo xtask diff` agree with the generated code on a spec's real
# history?
#
#   scripts/diff-vs-generated.sh REPO PATH [COUNT] [XTASK]
#
# REPO: a git repository (a clone, or the git directory `fetch` brings);
# PATH: a spec file in it (BitGo/api-changelog's `api.yaml`, a twilio-oai
# spec, PagerDuty's `reference/REST/openapiv3.json`, DigitalOcean's
# `specification/DigitalOcean-public.v2.yaml` with the files it refers to). For each consecutive
# pair of the last COUNT commits (default 10) that changed PATH, it runs
# `xtask diff OLD NEW`, generates both sides with `xtask generate --spec`,
# and compares the generated Rust with doc comments left out. One line per
# pair: the semver bumps the diff gives the models and client crates, and
# whether the Rust changed. A pair is flagged (`CHECK`, exit 1) when the Rust
# is the same but the diff bumps above patch (a false alarm), or the Rust
# changed but the diff bumps patch (a miss, unless only behaviour changed,
# e.g. a default; read its report). Nothing is written outside a temporary
# directory.
#
# XTASK: the xtask binary (default: this tree's release build, built first).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 REPO PATH [COUNT] [XTASK]" >&2; exit 2; }
repo="$1"
path="$2"
count="${3:-10}"
if [ $# -ge 4 ]; then
    xtask="$(realpath "$4")"
else
    cargo build --release -q -p xtask >&2
    xtask="$PWD/target/release/xtask"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mapfile -t revs < <(git -C "$repo" log --format=%h -n "$count" -- "$path")
[ ${#revs[@]} -ge 2 ] || { echo "$0: fewer than two commits change $path" >&2; exit 2; }

# code DIR: the generated Rust under DIR, doc comments and the header that
# records the spec's hash left out.
code() {
    find "$1" -name '*.rs' -print0 | sort -z | xargs -0 grep -hv -E '^\s*(///|//!|#\[doc|// @generated)' || true
}

# export_spec REV DIR: the spec at REV as DIR/PATH, with its directory's
# other files; the file alone where the directory is the repository's root
# (or cannot be exported whole: a mirror may lack a large file's blob).
export_spec() {
    rm -rf "$2"
    mkdir -p "$2/$(dirname "$path")"
    if [ "$(dirname "$path")" != . ] &&
        git -C "$repo" archive "$1" -- "$(dirname "$path")" 2> /dev/null | tar -x -C "$2" 2> /dev/null &&
        [ -f "$2/$path" ]; then
        return 0
    fi
    git -C "$repo" show "$1:$path" > "$2/$path" 2> /dev/null
}

flagged=0
for ((i = 0; i + 1 < ${#revs[@]}; i++)); do
    new="${revs[$i]}"
    old="${revs[$((i + 1))]}"
    # The same path on both sides (the crates are named after the file);
    # the files beside it too, for a spec whose `$ref`s reach them.
    if ! export_spec "$old" "$work/old" || ! export_spec "$new" "$work/new"; then
        echo "SKIP  $old -> $new: the file is not in the repository at both"
        continue
    fi
    semver="$("$xtask" diff "$work/old/$path" "$work/new/$path" | grep -o 'Semver: .*' || true)"
    models="$(sed -n 's/^Semver: `[^`]*` \([a-z]*\), `[^`]*` \([a-z]*\)\.$/\1/p' <<< "$semver")"
    client="$(sed -n 's/^Semver: `[^`]*` \([a-z]*\), `[^`]*` \([a-z]*\)\.$/\2/p' <<< "$semver")"
    rm -rf "$work/old-out" "$work/new-out"
    if ! "$xtask" generate --spec "$work/old/$path" --out "$work/old-out" > /dev/null 2>&1 ||
        ! "$xtask" generate --spec "$work/new/$path" --out "$work/new-out" > /dev/null 2>&1; then
        echo "SKIP  $old -> $new: a side does not generate"
        continue
    fi
    code "$work/old-out" > "$work/old.rs"
    code "$work/new-out" > "$work/new.rs"
    if cmp -s "$work/old.rs" "$work/new.rs"; then rust=same; else rust=changed; fi
    verdict=OK
    case "${models:-none}/${client:-none}/$rust" in
        none/none/same | patch/patch/same) ;;
        */*/same | none/none/changed | patch/patch/changed) verdict=CHECK ;;
    esac
    [ "$verdict" = OK ] || flagged=1
    printf '%-5s %s -> %s: models %s, client %s; Rust %s\n' \
        "$verdict" "$old" "$new" "${models:-none}" "${client:-none}" "$rust"
done
exit "$flagged"
