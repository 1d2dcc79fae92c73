//! `cargo xtask diff` as a process: its exit codes on every rule's fixture
//! pair (`crates/openapi-codegen/tests/diff/`), its one-line errors, and
//! snapshots of the Markdown and JSON reports of one pull request.

use std::path::{Path, PathBuf};
use std::process::Command;

fn rule_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("crates/openapi-codegen/tests/diff")
}

fn xtask_diff(args: &[&Path], extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("diff")
        .args(extra)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn fail_on_exits_1_exactly_when_a_change_is_that_severe() {
    let mut checked = 0;
    for entry in std::fs::read_dir(rule_fixtures()).unwrap() {
        let dir = entry.unwrap().path();
        let (base, revision) = (dir.join("base.yaml"), dir.join("revision.yaml"));
        let text = std::fs::read_to_string(&revision).unwrap();
        let severity = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect: "))
            .unwrap()
            .trim()
            .to_string();
        for (threshold, fails) in [
            ("breaking", severity == "breaking"),
            ("may-break", severity != "compatible"),
        ] {
            let output = xtask_diff(&[&base, &revision], &["--fail-on", threshold]);
            assert_eq!(
                output.status.code(),
                Some(if fails { 1 } else { 0 }),
                "{} --fail-on {threshold}: {}",
                dir.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        checked += 1;
    }
    assert!(checked >= 40, "{checked} fixture pairs");
}

#[test]
fn unreadable_input_exits_2_with_one_clear_line() {
    let dir = std::env::temp_dir().join(format!("xtask-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    let typo = dir.join("typo.yaml");
    std::fs::write(
        &typo,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {type: strnig}}}\n",
    )
    .unwrap();
    let good = rule_fixtures().join("operation-added/base.yaml");
    for (args, says) in [
        (
            vec![bad.as_path(), good.as_path()],
            "OpenAPI 3.1.0 is not supported",
        ),
        (
            vec![good.as_path(), Path::new("/nonexistent.yaml")],
            "cannot read",
        ),
        (
            vec![good.as_path(), typo.as_path()],
            "/components/schemas/A/type",
        ),
    ] {
        let output = xtask_diff(&args, &[]);
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
    }
}

/// One pull request with several changes: the report a reviewer reads.
#[test]
fn report_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff-report");
    let (base, revision) = (dir.join("base.yaml"), dir.join("revision.yaml"));
    let run = |format: &str| {
        let output = xtask_diff(&[&base, &revision], &["--format", format]);
        assert_eq!(output.status.code(), Some(0));
        let text = String::from_utf8(output.stdout).unwrap();
        // The labels are the paths given; keep the snapshot free of this machine's.
        text.replace(&dir.display().to_string(), "tests/diff-report")
    };
    insta::assert_snapshot!("report_markdown", run("markdown"));
    insta::assert_snapshot!("report_json", run("json"));
}

/// What the generated crates leave out is listed, never silent: an
/// operation the normalization has to drop (a multipart upload) shows up
/// under "Generated crates" and in the JSON's `generation`.
#[test]
fn operations_the_crates_leave_out_are_listed() {
    let dir = std::env::temp_dir().join(format!("xtask-diff-notes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = rule_fixtures().join("operation-added/base.yaml");
    let text = std::fs::read_to_string(&base).unwrap();
    let upload = "paths:\n  /uploads:\n    post:\n      operationId: upload\n      requestBody:\n        content:\n          multipart/form-data:\n            schema: {type: object, properties: {file: {type: string, format: binary}}}\n      responses:\n        '204': {description: stored}\n";
    let revision = dir.join("revision.yaml");
    std::fs::write(&revision, text.replacen("paths:\n", upload, 1)).unwrap();
    let markdown = xtask_diff(&[&base, &revision], &[]);
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(markdown.contains("### Generated crates"), "{markdown}");
    assert!(
        markdown.contains("newly not generated: /paths/~1uploads/post: operation `upload` dropped"),
        "{markdown}"
    );
    let json = xtask_diff(&[&base, &revision], &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["generation"].as_array().unwrap().len(), 1, "{json}");
    // The wire diff still reports the new operation itself.
    assert!(
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "operation-added")
    );
}
