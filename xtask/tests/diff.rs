//! `cargo xtask diff`: a corpus of kinds of change, each a pair of specs made
//! by editing `openapi/bitgo.yaml`, with the wire severity each must get; and
//! snapshots of the Markdown and JSON reports.

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::diff::{self, Severity};

fn base() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    std::fs::read_to_string(root.join("openapi/bitgo.yaml")).unwrap()
}

fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut text = text.to_string();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "edit must apply once: {from:?}"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

const LABEL: &str = "        label:\n          description: The label associated with the access token\n          type: string\n";
const IS_EXTENSIBLE: &str = "        isExtensible:\n          description: Indicates if the access token is extensible\n          type: boolean\n";
const REQUIRED: &str = "        - id\n        - isExtensible\n";
const ORIGIN: &str = "          type: string\n          example: test.bitgo.com\n";
const USER_ID_MIN: &str = "          minLength: 1\n";
const PARAMETERS: &str = "      parameters:\n";
const RESPONSE_400: &str = "        \"400\":\n          description: The request was invalid\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/ErrorResponse\"\n";
const RESPONSE_200: &str = "        \"200\":\n          description: The scoped user session\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/ScopedUserSession\"\n";
const ID_PATTERN: &str =
    "        id:\n          type: string\n          pattern: \"^[0-9a-f]{32}$\"\n";
const SECOND_OPERATION: &str = "  /api/v2/internal/user/other:\n    get:\n      operationId: getOther\n      responses:\n        \"204\":\n          description: nothing\ncomponents:\n";

type Edits = &'static [(&'static str, &'static str)];

/// (kind, edits to make the old spec, edits to make the new one, severity).
fn corpus() -> Vec<(&'static str, Edits, Edits, Severity)> {
    use Severity::*;
    vec![
        (
            "response-required-property-removed",
            &[],
            &[(IS_EXTENSIBLE, ""), (REQUIRED, "        - id\n")],
            Breaking,
        ),
        (
            "response-optional-property-removed",
            &[],
            &[(LABEL, "")],
            MayBreak,
        ),
        (
            "response-property-became-optional",
            &[],
            &[(REQUIRED, "        - id\n")],
            Breaking,
        ),
        (
            "response-property-became-required",
            &[],
            &[(
                REQUIRED,
                "        - id\n        - isExtensible\n        - label\n",
            )],
            Compatible,
        ),
        (
            "property-added-optional",
            &[],
            &[(
                LABEL,
                "        label:\n          description: The label associated with the access token\n          type: string\n        color:\n          type: string\n",
            )],
            Compatible,
        ),
        (
            "property-added-required",
            &[],
            &[
                (
                    LABEL,
                    "        label:\n          description: The label associated with the access token\n          type: string\n        color:\n          type: string\n",
                ),
                (
                    REQUIRED,
                    "        - id\n        - isExtensible\n        - color\n",
                ),
            ],
            Compatible,
        ),
        (
            "property-type-changed",
            &[],
            &[(
                "        internal:\n          type: boolean\n",
                "        internal:\n          type: string\n",
            )],
            Breaking,
        ),
        (
            "property-format-removed",
            &[],
            &[("          format: ipv4\n", "")],
            Breaking,
        ),
        (
            "property-format-added",
            &[],
            &[(
                LABEL,
                "        label:\n          description: The label associated with the access token\n          type: string\n          format: email\n",
            )],
            Compatible,
        ),
        (
            "property-format-changed",
            &[],
            &[("          format: ipv4\n", "          format: ipv6\n")],
            Breaking,
        ),
        (
            "property-pattern-removed",
            &[],
            &[(ID_PATTERN, "        id:\n          type: string\n")],
            Breaking,
        ),
        (
            "property-pattern-added",
            &[],
            &[(
                LABEL,
                "        label:\n          description: The label associated with the access token\n          type: string\n          pattern: \"^[a-z]+$\"\n",
            )],
            Compatible,
        ),
        (
            "property-pattern-changed",
            &[],
            &[(
                ID_PATTERN,
                "        id:\n          type: string\n          pattern: \"^[0-9a-f]{24}$\"\n",
            )],
            Breaking,
        ),
        (
            "property-limit-loosened",
            &[],
            &[(USER_ID_MIN, "")],
            Breaking,
        ),
        (
            "property-limit-tightened",
            &[],
            &[(USER_ID_MIN, "          minLength: 2\n")],
            Compatible,
        ),
        (
            "property-enum-added",
            &[],
            &[(
                ORIGIN,
                "          type: string\n          enum: [test.bitgo.com, app.bitgo.com]\n          example: test.bitgo.com\n",
            )],
            Compatible,
        ),
        (
            "property-enum-value-added",
            &[(
                ORIGIN,
                "          type: string\n          enum: [test.bitgo.com]\n          example: test.bitgo.com\n",
            )],
            &[(
                ORIGIN,
                "          type: string\n          enum: [test.bitgo.com, app.bitgo.com]\n          example: test.bitgo.com\n",
            )],
            Breaking,
        ),
        (
            "property-enum-value-removed",
            &[(
                ORIGIN,
                "          type: string\n          enum: [test.bitgo.com, app.bitgo.com]\n          example: test.bitgo.com\n",
            )],
            &[(
                ORIGIN,
                "          type: string\n          enum: [test.bitgo.com]\n          example: test.bitgo.com\n",
            )],
            Compatible,
        ),
        (
            "property-enum-removed",
            &[(
                ORIGIN,
                "          type: string\n          enum: [test.bitgo.com]\n          example: test.bitgo.com\n",
            )],
            &[],
            Breaking,
        ),
        (
            "property-nullable-changed",
            &[],
            &[(
                LABEL,
                "        label:\n          description: The label associated with the access token\n          type: string\n          nullable: true\n",
            )],
            Breaking,
        ),
        (
            "property-description-changed",
            &[],
            &[(
                "description: The label associated with the access token",
                "description: A name for the access token",
            )],
            Compatible,
        ),
        (
            "property-example-changed",
            &[],
            &[(
                "          example: test.bitgo.com\n",
                "          example: app.bitgo.com\n",
            )],
            Compatible,
        ),
        (
            "request-required-parameter-added",
            &[],
            &[(
                PARAMETERS,
                "      parameters:\n        - name: coin\n          in: query\n          required: true\n          schema:\n            type: string\n",
            )],
            Breaking,
        ),
        (
            "request-optional-parameter-added",
            &[],
            &[(
                PARAMETERS,
                "      parameters:\n        - name: coin\n          in: query\n          schema:\n            type: string\n",
            )],
            Compatible,
        ),
        (
            "request-parameter-default-changed",
            &[],
            &[(
                "            default: false\n",
                "            default: true\n",
            )],
            MayBreak,
        ),
        (
            "request-parameter-became-required",
            &[],
            &[("          required: false\n", "          required: true\n")],
            Breaking,
        ),
        (
            "request-parameter-removed",
            &[(
                PARAMETERS,
                "      parameters:\n        - name: coin\n          in: query\n          schema:\n            type: string\n",
            )],
            &[],
            MayBreak,
        ),
        (
            "response-error-status-removed",
            &[],
            &[(RESPONSE_400, "")],
            MayBreak,
        ),
        (
            "response-success-status-removed",
            &[],
            &[(
                RESPONSE_200,
                "        \"204\":\n          description: No content\n",
            )],
            Breaking,
        ),
        (
            "response-status-added",
            &[],
            &[(
                RESPONSE_400,
                "        \"400\":\n          description: The request was invalid\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/ErrorResponse\"\n        \"403\":\n          description: Forbidden\n          content:\n            application/json:\n              schema:\n                $ref: \"#/components/schemas/ErrorResponse\"\n",
            )],
            Compatible,
        ),
        (
            "response-body-schema-changed",
            &[],
            &[(
                "                $ref: \"#/components/schemas/ScopedUserSession\"\n",
                "                $ref: \"#/components/schemas/AccessToken\"\n",
            )],
            Breaking,
        ),
        (
            "operation-description-changed",
            &[],
            &[(
                "      description: Route to get internal scoped user session\n",
                "      description: Route to get the internal scoped user session\n",
            )],
            Compatible,
        ),
        (
            "operation-added",
            &[],
            &[("components:\n", SECOND_OPERATION)],
            Compatible,
        ),
        (
            "operation-removed",
            &[("components:\n", SECOND_OPERATION)],
            &[],
            Breaking,
        ),
        (
            "schema-added",
            &[],
            &[(
                "  schemas:\n",
                "  schemas:\n    Extra:\n      type: object\n",
            )],
            Compatible,
        ),
    ]
}

fn pair(old_edits: Edits, new_edits: Edits) -> (String, String) {
    let base = base();
    (edit(&base, old_edits), edit(&base, new_edits))
}

fn parse(label: &str, text: &str) -> xtask::spec::Spec {
    xtask::spec::parse(label, text).unwrap_or_else(|e| panic!("{label}: {e}"))
}

#[test]
fn every_kind_in_the_corpus_is_classified_right() {
    let corpus = corpus();
    assert!(corpus.len() >= 25);
    let mut wrong = Vec::new();
    for (kind, old_edits, new_edits, severity) in corpus {
        let (old, new) = pair(old_edits, new_edits);
        let changes = diff::compare(&parse("old", &old), &parse("new", &new));
        let found: Vec<(&str, Severity)> = changes.iter().map(|c| (c.kind, c.severity)).collect();
        if !found.contains(&(kind, severity)) {
            wrong.push(format!("{kind}: expected {severity}, found {found:?}"));
        }
        let worst = changes.iter().map(|c| c.severity).max();
        if worst != Some(severity) {
            wrong.push(format!(
                "{kind}: worst severity {worst:?}, expected {severity}: {found:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn rust_semver_is_judged_apart_from_the_wire() {
    let (old, new) = pair(
        &[],
        &[(
            REQUIRED,
            "        - id\n        - isExtensible\n        - label\n",
        )],
    );
    let changes = diff::compare(&parse("old", &old), &parse("new", &new));
    let change = changes
        .iter()
        .find(|c| c.kind == "response-property-became-required")
        .unwrap();
    assert_eq!(change.severity, Severity::Compatible);
    assert_eq!(change.models_bump, diff::Bump::Major);
    assert_eq!(change.rust_items, ["bitgo_models::AccessToken::label"]);

    let (old, new) = pair(
        &[],
        &[(
            "description: The label associated with the access token",
            "description: A name",
        )],
    );
    let changes = diff::compare(&parse("old", &old), &parse("new", &new));
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].models_bump, changes[0].client_bump),
        (diff::Bump::Patch, diff::Bump::Patch)
    );
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn fail_on_breaking_exits_1_exactly_on_the_breaking_ones() {
    for (i, (kind, old_edits, new_edits, severity)) in corpus().into_iter().enumerate() {
        let (old, new) = pair(old_edits, new_edits);
        let old = scratch(&format!("{i}-old.yaml"), &old);
        let new = scratch(&format!("{i}-new.yaml"), &new);
        for (threshold, fails) in [
            ("breaking", severity == Severity::Breaking),
            ("may-break", severity >= Severity::MayBreak),
        ] {
            let status = Command::new(env!("CARGO_BIN_EXE_xtask"))
                .args(["diff", "--fail-on", threshold])
                .args([&old, &new])
                .output()
                .unwrap()
                .status;
            assert_eq!(
                status.code(),
                Some(if fails { 1 } else { 0 }),
                "{kind} --fail-on {threshold}"
            );
        }
    }
}

#[test]
fn unreadable_input_exits_2_with_one_clear_line() {
    let bad = scratch(
        "bad.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    let good = scratch("good.yaml", &base());
    for args in [
        vec![bad.clone(), good.clone()],
        vec![good.clone(), PathBuf::from("/nonexistent.yaml")],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("diff")
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
    }
}

/// One pull request with several changes: the report a reviewer reads.
#[test]
fn report_snapshots() {
    let (old, new) = pair(
        &[],
        &[
            (LABEL, ""),
            (REQUIRED, "        - id\n"),
            ("          format: ipv4\n", ""),
            (
                "            default: false\n",
                "            default: true\n",
            ),
            (RESPONSE_400, ""),
            (
                "description: The token value",
                "description: The token's value",
            ),
        ],
    );
    let changes = diff::compare(&parse("old", &old), &parse("new", &new));
    let old_label = "openapi/bitgo.yaml@main";
    let new_label = "openapi/bitgo.yaml";
    insta::assert_snapshot!(
        "report_markdown",
        diff::markdown(old_label, new_label, &changes)
    );
    insta::assert_json_snapshot!("report_json", diff::json(old_label, new_label, &changes));
}
