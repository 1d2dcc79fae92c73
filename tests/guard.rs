//! Self-test of the drift guard: every kind of schema change in `MUTATIONS`
//! must be caught twice, on a temporary copy of the workspace:
//!
//! 1. before regeneration, `cargo xtask check` fails (the files are stale);
//! 2. after `cargo xtask generate`, at least one snapshot or contract test fails.
//!
//! Slow (it builds and tests the copy once per mutation), so it is behind the
//! `guard` feature and out of `cargo test --workspace`; `.ci/run` runs it:
//!
//! ```sh
//! cargo test -p bitgo-tests --features guard --test guard -- --nocapture
//! ```
//!
//! All runs share one target directory (`target/guard`), and the copy keeps
//! one path, so each mutation rebuilds only the generated crates and tests.
//! A new `target/guard` starts as hard links to the main target's
//! dependency builds (`target/debug`), so registry crates build once per
//! machine, not twice: cargo writes new files for what it rebuilds (the
//! copy's crates have other paths, so other hashes), never into a linked one.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use bitgo_tests::workspace_root;

/// (name, text in the spec, replacement). Each replacement must apply once.
const MUTATIONS: &[(&str, &str, &str)] = &[
    (
        "remove a property",
        "        label:\n          description: The label associated with the access token\n          type: string\n",
        "",
    ),
    (
        "make an optional property required",
        "        - id\n        - isExtensible\n",
        "        - id\n        - isExtensible\n        - label\n",
    ),
    (
        "make a required property optional",
        "        - id\n        - isExtensible\n",
        "        - id\n",
    ),
    (
        "change a type",
        "        internal:\n          type: boolean\n",
        "        internal:\n          type: string\n",
    ),
    (
        "change a format",
        "          format: ipv4\n",
        "          format: ipv6\n",
    ),
    (
        "drop a format",
        "          description: The creation date of the access token\n          type: string\n          format: date-time\n",
        "          description: The creation date of the access token\n          type: string\n",
    ),
    (
        "tighten a pattern",
        "        id:\n          type: string\n          pattern: \"^[0-9a-f]{32}$\"",
        "        id:\n          type: string\n          pattern: \"^[0-9a-f]{24}$\"",
    ),
    (
        "loosen a pattern",
        "        id:\n          type: string\n          pattern: \"^[0-9a-f]{32}$\"",
        "        id:\n          type: string\n          pattern: \"^[0-9a-fA-F]{32}$\"",
    ),
    (
        "add an enum",
        "          type: string\n          example: test.bitgo.com\n",
        "          type: string\n          enum: [test.bitgo.com, app.bitgo.com]\n          example: test.bitgo.com\n",
    ),
    (
        "rename a property",
        "        extensionAddress:\n",
        "        extensionAddr:\n",
    ),
    (
        "change the query parameter's default",
        "            default: false\n",
        "            default: true\n",
    ),
    (
        "add a required query parameter",
        "      parameters:\n",
        "      parameters:\n        - name: coin\n          in: query\n          required: true\n          schema:\n            type: string\n",
    ),
    (
        "remove the 400 response",
        "        \"400\":\n          description: The request was invalid\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/ErrorResponse\"\n",
        "",
    ),
    (
        "change a description",
        "description: The label associated with the access token",
        "description: A name for the access token",
    ),
];

/// The test targets that guard the schema.
const GUARD_TESTS: &[&str] = &["surface", "schema", "contract", "models", "client", "spec"];

/// Files a mutation or a regeneration may change, restored before each run.
fn restored() -> [String; 4] {
    let files = bitgo_tests::bitgo_files();
    [files.spec, files.models, files.client, files.mock]
}

fn copy_workspace(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for entry in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo",
        "openapi",
        "crates",
        "xtask",
        "tests",
    ] {
        copy_recursively(&from.join(entry), &to.join(entry));
    }
}

fn copy_recursively(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_recursively(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// Hard-links the main target's `.fingerprint`, `build` and `deps` into a
/// guard target that does not exist yet (incremental caches are left out:
/// they belong to workspace crates, which the copy rebuilds anyway).
fn seed_from_main_target(main: &Path, guard: &Path) {
    if guard.exists() || !main.exists() {
        return;
    }
    fn link_tree(from: &Path, to: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let target = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                link_tree(&entry.path(), &target)?;
            } else if std::fs::hard_link(entry.path(), &target).is_err() {
                std::fs::copy(entry.path(), &target)?;
            }
        }
        Ok(())
    }
    for dir in [".fingerprint", "build", "deps"] {
        if let Err(e) = link_tree(&main.join(dir), &guard.join(dir)) {
            // Only a speed-up: a failure leaves cargo to build what is missing.
            eprintln!("note: could not seed {}: {e}", guard.display());
        }
    }
}

/// Runs the guard tests in `copy`; returns the names of the failed tests.
fn failing_tests(copy: &Path, target: &Path) -> Vec<String> {
    // Through `sh` to read cargo's stderr (which test binary runs) and the
    // tests' stdout (which test failed) as one stream, in order.
    let mut command = Command::new("sh");
    command
        .current_dir(copy)
        .args(["-c", "exec \"$0\" \"$@\" 2>&1", env!("CARGO")])
        // --no-fail-fast: name every test that catches the change, not only the first binary's.
        .args(["test", "--offline", "--no-fail-fast", "-p", "bitgo-tests"])
        .args(GUARD_TESTS.iter().flat_map(|t| ["--test", t]))
        .args(["--", "--test-threads=2"])
        .env("CARGO_TARGET_DIR", target)
        // Each run rebuilds the workspace's crates once and throws them away:
        // no debug info to link and no incremental caches to write. The
        // dependencies keep their profile (no debug info already), and so
        // the builds hard-linked from the main target.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_PROFILE_DEV_INCREMENTAL", "false")
        .env("INSTA_UPDATE", "no")
        .env("CI", "true")
        .env_remove("INSTA_SNAPSHOT_REFERENCES_FILE");
    let output = command.output().unwrap();
    let combined = String::from_utf8_lossy(&output.stdout);
    let mut failed: Vec<String> = Vec::new();
    let mut target_name = String::new();
    for line in combined.lines() {
        if let Some(rest) = line.trim().strip_prefix("Running ") {
            target_name = rest
                .split(' ')
                .next()
                .unwrap_or("")
                .trim_end_matches(".rs")
                .to_string();
        }
        if let Some(name) = line
            .strip_prefix("test ")
            .and_then(|l| l.strip_suffix(" ... FAILED"))
        {
            failed.push(format!("{target_name}::{name}"));
        }
        if line.starts_with("error[E") || line.starts_with("error: could not compile") {
            failed.push(format!("compile error: {line}"));
        }
    }
    if failed.is_empty() && !output.status.success() {
        failed.push(format!("cargo test exited with {}", output.status));
    }
    failed
}

#[test]
fn every_mutation_is_caught_twice() {
    let started = Instant::now();
    let root = workspace_root();
    let target: PathBuf = root.join("target").join("guard");
    seed_from_main_target(&root.join("target").join("debug"), &target.join("debug"));
    let copy = std::env::temp_dir().join("bitgo-guard-workspace");
    copy_workspace(root, &copy);

    // The unmutated copy must pass: otherwise every mutation would look caught.
    let baseline = failing_tests(&copy, &target);
    assert!(
        baseline.is_empty(),
        "the unmutated copy fails: {baseline:?}"
    );

    let mut missed = Vec::new();
    for (name, from, to) in MUTATIONS {
        for file in &restored() {
            std::fs::copy(root.join(file), copy.join(file)).unwrap();
        }
        let spec_path = copy.join(bitgo_tests::bitgo_files().spec);
        let spec = std::fs::read_to_string(&spec_path).unwrap();
        assert_eq!(
            spec.matches(from).count(),
            1,
            "{name}: the mutation must apply once"
        );
        std::fs::write(&spec_path, spec.replacen(from, to, 1)).unwrap();

        let checked = xtask::check::run(&copy, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        let stale: Vec<&str> = checked.stale.iter().map(|s| s.path.as_str()).collect();
        xtask::generate::run(&copy, &Default::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let failed = failing_tests(&copy, &target);

        println!("{name}: check -> stale {stale:?}; after generate, caught by {failed:?}");
        if stale.is_empty() {
            missed.push(format!(
                "{name}: `cargo xtask check` passed before regeneration"
            ));
        }
        if failed.is_empty() {
            missed.push(format!("{name}: every test passed after regeneration"));
        }
    }
    let _ = std::fs::remove_dir_all(&copy);
    println!("{} mutations in {:.0?}", MUTATIONS.len(), started.elapsed());
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}
