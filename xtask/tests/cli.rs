//! `cargo xtask generate | check` run as processes, on the real workspace and
//! on temporary copies of the parts it reads and writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::config::APIS_PATH;

/// The files of the workspace's `bitgo` API, as `openapi/apis.toml` names them.
struct Paths {
    spec: String,
    models: String,
    client: String,
    mock: String,
}

fn paths() -> &'static Paths {
    static PATHS: std::sync::OnceLock<Paths> = std::sync::OnceLock::new();
    PATHS.get_or_init(|| {
        let api = xtask::config::load(&workspace(), Some("bitgo"))
            .unwrap()
            .remove(0);
        Paths {
            spec: api.spec.clone(),
            models: api.models_file(),
            client: api.client_file(),
            mock: api.mock_file().unwrap(),
        }
    })
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn xtask(root: &Path, command: &str) -> Output {
    xtask_args(root, &[command])
}

/// A temporary copy of the spec and the generated files, removed on drop.
struct Copy(PathBuf);

impl Copy {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let hand_written = [
            "crates/bitgo-models/Cargo.toml",
            "crates/bitgo-models/src/lib.rs",
            "crates/bitgo-client/Cargo.toml",
            "crates/bitgo-client/src/lib.rs",
        ];
        for file in [
            APIS_PATH,
            paths().spec.as_str(),
            paths().models.as_str(),
            paths().client.as_str(),
            paths().mock.as_str(),
        ]
        .into_iter()
        .chain(hand_written)
        {
            let target = dir.join(file);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(workspace().join(file), target).unwrap();
        }
        Copy(dir)
    }

    fn edit_spec(&self, from: &str, to: &str) {
        let path = self.0.join(paths().spec.as_str());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "the spec has no {from:?}");
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    fn generated(&self) -> Vec<String> {
        [
            paths().models.as_str(),
            paths().client.as_str(),
            paths().mock.as_str(),
        ]
        .iter()
        .map(|f| std::fs::read_to_string(self.0.join(f)).unwrap_or_default())
        .collect()
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_passes_on_the_workspace() {
    let output = xtask(&workspace(), "check");
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert_eq!(
        text(&output.stdout),
        "generated files are fresh with openapi/bitgo.yaml\n"
    );
}

#[test]
fn check_fails_with_a_diff_after_a_spec_edit_and_generate_fixes_it() {
    let copy = Copy::new("edit");
    copy.edit_spec(
        "description: The label associated with the access token",
        "description: A name for the access token",
    );

    let output = xtask(&copy.0, "check");
    assert_eq!(output.status.code(), Some(1));
    let diff = text(&output.stdout);
    assert!(
        diff.contains("--- a/crates/bitgo-models/src/generated.rs"),
        "{diff}"
    );
    assert!(
        diff.contains("-    ///The label associated with the access token"),
        "{diff}"
    );
    assert!(
        diff.contains("+    ///A name for the access token"),
        "{diff}"
    );
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error: crates/bitgo-models/src/generated.rs is stale"),
        "{stderr}"
    );
    assert!(stderr.contains("run `cargo xtask generate`"), "{stderr}");

    let output = xtask(&copy.0, "generate");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let summary = text(&output.stdout);
    assert!(
        // The three code files, and the two manifests' `[features]` tables
        // (the copy has no mock crate manifest).
        summary.starts_with("bitgo: generated 5 files ("),
        "{summary}"
    );
    assert!(summary.contains("3 changed, 2 unchanged"), "{summary}");
    assert_eq!(xtask(&copy.0, "check").status.code(), Some(0));
}

#[test]
fn check_reports_a_hand_edit_and_a_missing_file() {
    let copy = Copy::new("hand-edit");
    let client = copy.0.join(paths().client.as_str());
    let edited = std::fs::read_to_string(&client).unwrap() + "// a hand edit\n";
    std::fs::write(&client, edited).unwrap();
    std::fs::remove_file(copy.0.join(paths().models.as_str())).unwrap();

    let output = xtask(&copy.0, "check");
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("-// a hand edit"));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error: crates/bitgo-models/src/generated.rs is missing"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: crates/bitgo-client/src/generated.rs is stale"),
        "{stderr}"
    );
}

#[test]
fn generation_is_deterministic() {
    let copy = Copy::new("deterministic");
    let before = copy.generated();
    for _ in 0..2 {
        let output = xtask(&copy.0, "generate");
        assert!(output.status.success());
        assert!(text(&output.stdout).contains("0 changed, 5 unchanged"));
        assert_eq!(copy.generated(), before);
    }
}

/// Each bad spec gives exactly one `error: openapi/bitgo.yaml: <where>: <what>`
/// line, exit status 1, no panic, and leaves the generated files untouched.
#[test]
fn bad_specs_give_one_line_errors_and_change_nothing() {
    let cases: [(&str, &str, &str, &str); 6] = [
        (
            "yaml",
            "  title: BitGo",
            "  title: [BitGo",
            "error: openapi/bitgo.yaml: line 12 column 10: invalid YAML: ",
        ),
        (
            "version",
            "openapi: 3.0.3",
            "openapi: 3.1.0",
            "error: openapi/bitgo.yaml: /openapi: OpenAPI 3.1.0 is not supported; progenitor accepts 3.0.x only\n",
        ),
        (
            // A missing operationId is named (`operation-ids`); a path item
            // given as a `$ref` is refused.
            "path-item-ref",
            "  /api/v2/internal/user/scopedsession:\n",
            "  /api/v2/internal/user/scopedsession:\n    $ref: \"#/components/schemas/AccessToken\"\n",
            "error: openapi/bitgo.yaml: /paths/~1api~1v2~1internal~1user~1scopedsession: a path item given as a $ref is not supported",
        ),
        (
            "dangling-ref",
            "$ref: \"#/components/schemas/AccessToken\"",
            "$ref: \"#/components/schemas/AccesToken\"",
            "error: openapi/bitgo.yaml: /components/schemas/ScopedUserSession/properties/accessToken/$ref: $ref \"#/components/schemas/AccesToken\" does not resolve",
        ),
        (
            "type",
            "      type: object\n      required:\n        - id",
            "      type: object\n      required: id",
            "error: openapi/bitgo.yaml: /components/schemas/AccessToken/required: not valid OpenAPI 3.0: \"id - isExtensible\" is not of type \"array\"",
        ),
        (
            "type-typo",
            "          description: The label associated with the access token\n          type: string",
            "          description: The label associated with the access token\n          type: strnig",
            "error: openapi/bitgo.yaml: /components/schemas/AccessToken/properties/label/type: not valid OpenAPI 3.0: \"strnig\" is not one of \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"\n",
        ),
    ];
    for (name, from, to, expected) in cases {
        let copy = Copy::new(name);
        copy.edit_spec(from, to);
        let before = copy.generated();
        for command in ["generate", "check"] {
            let output = xtask(&copy.0, command);
            let stderr = text(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{name} {command}: {stderr}");
            assert!(stderr.starts_with(expected), "{name} {command}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{name} {command}: {stderr}");
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            assert!(output.stdout.is_empty(), "{name}: {}", text(&output.stdout));
        }
        assert_eq!(
            copy.generated(),
            before,
            "{name} changed the generated files"
        );
    }
}

#[test]
fn a_missing_spec_is_a_clear_error() {
    let copy = Copy::new("missing");
    std::fs::remove_file(copy.0.join(paths().spec.as_str())).unwrap();
    let output = xtask(&copy.0, "generate");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with("error: openapi/bitgo.yaml: /: cannot read the spec: "),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("frobnicate")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

fn xtask_args(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

#[test]
fn apis_are_chosen_by_name_and_an_unknown_name_is_one_line() {
    let copy = Copy::new("api-name");
    let output = xtask_args(&copy.0, &["check", "--api", "bitgo"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    for command in ["check", "generate"] {
        let output = xtask_args(&copy.0, &[command, "--api", "nope"]);
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            text(&output.stderr),
            "error: openapi/apis.toml: no API named \"nope\"; the APIs are bitgo\n"
        );
    }
}

#[test]
fn a_second_api_generates_beside_the_first_and_gets_scaffolded_crates() {
    let copy = Copy::new("second-api");
    let torture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/torture/response-sets.yaml");
    std::fs::copy(&torture, copy.0.join("openapi/wallets.yaml")).unwrap();
    let apis = std::fs::read_to_string(copy.0.join(APIS_PATH)).unwrap()
        + "\n[[api]]\nname = \"wallets\"\nspec = \"openapi/wallets.yaml\"\nmodels = \"crates/wallets-models\"\nclient = \"crates/wallets-client\"\n[api.operations]\ntags = []\noperation_ids = [\"sendTransaction\"]\n";
    std::fs::write(copy.0.join(APIS_PATH), apis).unwrap();
    let before = copy.generated();

    // --strict refuses the dropped 404 and writes nothing.
    let output = xtask_args(&copy.0, &["generate", "--strict"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("responses/404: response 404 of `sendTransaction`"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "strict: 1 dropped (`--strict`, or `strict = true` in openapi/apis.toml); without it they are warnings\n"
        ),
        "{stderr}"
    );
    assert!(!copy.0.join("crates/wallets-models").exists());

    let output = xtask_args(&copy.0, &["generate", "--explain"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("bitgo: generated 5 files"), "{stdout}");
    // The summary counts the generated files' lines (the code, and the
    // manifests with their `[features]` tables), not the scaffolded `lib.rs`.
    let lines: usize = ["crates/wallets-models", "crates/wallets-client"]
        .iter()
        .flat_map(|c| ["src/generated.rs", "Cargo.toml"].map(|f| copy.0.join(c).join(f)))
        .map(|path| std::fs::read_to_string(path).unwrap().lines().count())
        .sum();
    assert!(
        stdout.contains(&format!("wallets: generated 4 files ({lines} lines)")),
        "{stdout}"
    );
    assert!(
        stdout.contains("merged into component `SendTransactionSuccess`"),
        "{stdout}"
    );
    assert!(text(&output.stderr).contains("note: scaffolded crates/wallets-client/src/lib.rs"));
    assert_eq!(copy.generated(), before, "the first API's output changed");
    for file in ["Cargo.toml", "src/lib.rs", "src/generated.rs"] {
        assert!(
            copy.0.join("crates/wallets-client").join(file).exists(),
            "{file}"
        );
    }
    let check = xtask_args(&copy.0, &["check", "--api", "wallets"]);
    assert!(check.status.success(), "{}", text(&check.stderr));

    // Scaffolded files are the user's: a second run leaves them alone.
    let lib = copy.0.join("crates/wallets-models/src/lib.rs");
    std::fs::write(&lib, "// mine\n#[rustfmt::skip]\nmod generated;\n").unwrap();
    assert!(xtask_args(&copy.0, &["generate"]).status.success());
    assert_eq!(
        std::fs::read_to_string(&lib).unwrap(),
        "// mine\n#[rustfmt::skip]\nmod generated;\n"
    );
}

#[test]
fn a_spent_budget_stops_generation_with_one_line_and_writes_nothing() {
    let copy = Copy::new("budget");
    let apis =
        std::fs::read_to_string(copy.0.join(APIS_PATH)).unwrap() + "budget = { memory_mib = 1 }\n";
    std::fs::write(copy.0.join(APIS_PATH), apis).unwrap();
    copy.edit_spec("Get Internal Scoped User Session", "Get the session");
    let before = copy.generated();
    for command in ["generate", "check"] {
        let output = xtask(&copy.0, command);
        assert_eq!(output.status.code(), Some(1));
        let stderr = text(&output.stderr);
        assert!(
            stderr.starts_with(
                "error: openapi/bitgo.yaml: generation went past its budget of 1 MiB of memory"
            ),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    assert_eq!(copy.generated(), before);
}

/// A failure in an operation is located at the operation, in one line:
/// the components are tried together first (each alone was quadratic on a
/// big spec), then each operation with only what it reaches. progenitor's
/// message, which prints the parameter's content with `{:#?}`, is cut.
#[test]
fn a_failing_operation_is_named_in_one_line() {
    let dir = std::env::temp_dir().join(format!("xtask-cli-op-fails-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("content.yaml");
    // A parameter given by `content` rather than `schema`, which no pass
    // repairs and progenitor refuses.
    let long = "x".repeat(500);
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /a:\n    post:\n      operationId: upload\n      parameters:\n        - name: q\n          in: query\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/Form\"}\n              example: LONG\n      responses:\n        \"204\": {description: ok}\n  /b:\n    get:\n      operationId: fine\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/Other\"}\ncomponents:\n  schemas:\n    Form: {type: object, properties: {a: {type: string}}}\n    Other: {type: object, properties: {b: {type: string}}}\n"
            .replace("LONG", &long),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text_of(&output));
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(": /paths/~1a/post: progenitor could not generate the client: it failed while converting operation `upload` (/paths/~1a/post): unexpected or unhandled format in the OpenAPI document unexpected content"),
        "{stderr}"
    );
    assert!(stderr.trim_end().ends_with(" more characters)"), "{stderr}");
    assert!(!stderr.contains(&long), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `generate --spec` has no `apis.toml`: its budget is given on the
/// command line (Cloudflare's 1,533 operations take 80 s of the default
/// 120 in a debug build).
#[test]
fn a_spec_s_budget_is_given_on_the_command_line() {
    let out = std::env::temp_dir().join(format!("xtask-cli-spec-budget-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let spec = workspace().join(paths().spec.as_str());
    let run = |budget: &str| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["generate", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .args(["--budget-memory-mib", budget])
            .output()
            .unwrap()
    };
    let output = run("1");
    assert_eq!(output.status.code(), Some(1), "{}", text_of(&output));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("generation went past its budget of 1 MiB of memory")
            && stderr.contains("`--budget-seconds`/`--budget-memory-mib` with `--spec`"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!out.exists(), "nothing written");
    let output = run("4096");
    assert!(output.status.success(), "{}", text_of(&output));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn an_api_with_model_groups_gets_a_crate_per_group_and_check_covers_them() {
    let copy = Copy::new("model-groups");
    // A random spec: its operations are tagged (this one: `Enterprise`).
    let spec = serde_json::to_string_pretty(&xtask::random::spec(0)).unwrap();
    std::fs::write(copy.0.join("openapi/split.json"), spec).unwrap();
    let apis = std::fs::read_to_string(copy.0.join(APIS_PATH)).unwrap()
        + "\n[[api]]\nname = \"split\"\nspec = \"openapi/split.json\"\nmodels = \"crates/split-models\"\nclient = \"crates/split-client\"\nmodel_groups = 1\n";
    std::fs::write(copy.0.join(APIS_PATH), apis).unwrap();

    let output = xtask_args(&copy.0, &["generate", "--api", "split", "--explain"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("crate `split_models_part_1`: ") && stdout.contains("[split-models]"),
        "{stdout}"
    );
    for part in ["shared", "part-1", "other"] {
        for file in ["Cargo.toml", "src/lib.rs", "src/generated.rs"] {
            let path = copy.0.join(format!("crates/split-models-{part}/{file}"));
            assert!(path.is_file(), "{}", path.display());
        }
    }
    // The facade depends on each crate and forwards each feature to it.
    let facade = std::fs::read_to_string(copy.0.join("crates/split-models/Cargo.toml")).unwrap();
    for expected in [
        "[dependencies.split-models-other]\npath = \"../split-models-other\"\ndefault-features = false\n",
        "enterprise = [\"split-models-shared/enterprise\", \"split-models-part-1/enterprise\", \"split-models-other/enterprise\"]\n",
    ] {
        assert!(facade.contains(expected), "{facade}");
    }
    let check = xtask_args(&copy.0, &["check", "--api", "split"]);
    assert!(check.status.success(), "{}", text(&check.stderr));

    // Fewer groups: the crate no longer made is left alone, with a warning.
    let apis = std::fs::read_to_string(copy.0.join(APIS_PATH)).unwrap();
    std::fs::write(
        copy.0.join(APIS_PATH),
        apis.replace("model_groups = 1\n", "model_groups = 0\n"),
    )
    .unwrap();
    let output = xtask_args(&copy.0, &["generate", "--api", "split"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    for part in ["other", "part-1", "shared"] {
        let warning = format!(
            "warning: crates/split-models-{part}: split models' crate that `model_groups = 0` no longer makes; remove it and its workspace member\n"
        );
        assert!(stderr.contains(&warning), "{stderr}");
        assert!(
            copy.0
                .join(format!("crates/split-models-{part}/src/generated.rs"))
                .exists()
        );
    }
    std::fs::write(copy.0.join(APIS_PATH), apis).unwrap();
    let output = xtask_args(&copy.0, &["generate", "--api", "split"]);
    assert!(!text(&output.stderr).contains("no longer makes"));

    // `check` covers each crate's generated file.
    let part = copy.0.join("crates/split-models-shared/src/generated.rs");
    let edited = std::fs::read_to_string(&part).unwrap() + "// edited\n";
    std::fs::write(&part, edited).unwrap();
    let check = xtask_args(&copy.0, &["check", "--api", "split"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        text(&check.stderr).contains("crates/split-models-shared/src/generated.rs"),
        "{}",
        text(&check.stderr)
    );
}

/// Moves `AccessToken` out of the copy's spec into
/// `schemas/access-token.yaml`, as split specs keep their schemas; returns
/// that file and its text.
fn split_access_token(copy: &Copy) -> (PathBuf, String) {
    let spec = copy.0.join(paths().spec.as_str());
    let written = std::fs::read_to_string(&spec).unwrap();
    let start = written.find("    AccessToken:\n").unwrap();
    let end = written.find("    AuthenticationMetadata:\n").unwrap();
    let schema: String = written[start..end]
        .lines()
        .skip(1)
        .map(|line| format!("{}\n", line.strip_prefix("      ").unwrap_or(line)))
        .collect();
    let file = spec.parent().unwrap().join("schemas/access-token.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, &schema).unwrap();
    let split = format!(
        "{}    AccessToken:\n      $ref: ./schemas/access-token.yaml\n{}",
        &written[..start],
        &written[end..]
    );
    std::fs::write(&spec, split).unwrap();
    (file, schema)
}

#[test]
fn a_spec_split_into_files_generates_the_same_code_and_check_follows_every_file() {
    let copy = Copy::new("split-spec");
    let before = copy.generated();
    let (file, schema) = split_access_token(&copy);

    let output = xtask(&copy.0, "generate");
    assert!(output.status.success(), "{}", text_of(&output));
    // The same code; only the hash in the header (now of both files) moved.
    assert_eq!(without_hash(copy.generated()), without_hash(before.clone()));
    assert_ne!(
        copy.generated(),
        before,
        "the hash covers the referenced file"
    );
    assert!(xtask(&copy.0, "check").status.success());

    // An edit in the referenced file is drift `check` reports.
    std::fs::write(
        &file,
        schema.replace("The access token", "The session's access token"),
    )
    .unwrap();
    let check = xtask(&copy.0, "check");
    assert_eq!(check.status.code(), Some(1), "{}", text_of(&check));
    let output = xtask(&copy.0, "generate");
    assert!(output.status.success(), "{}", text_of(&output));
    assert!(copy.generated()[0].contains("The session's access token"));

    // A reference to a file that is not there is one line naming the pointer.
    std::fs::remove_file(&file).unwrap();
    let output = xtask(&copy.0, "generate");
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "error: openapi/bitgo.yaml: /components/schemas/AccessToken/$ref: cannot read "
        ),
        "{stderr}"
    );
}

/// The generated files without their header's `sha256` line (the hash of
/// the spec's files, which moves when they are split or edited).
fn without_hash(files: Vec<String>) -> Vec<String> {
    files
        .iter()
        .map(|f| {
            f.lines()
                .filter(|l| !l.contains("sha256"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

fn text_of(output: &Output) -> String {
    format!("{}{}", text(&output.stdout), text(&output.stderr))
}

#[test]
fn diff_against_a_revision_reads_the_referenced_files_at_that_revision() {
    let copy = Copy::new("split-diff");
    let (file, schema) = split_access_token(&copy);
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .arg("-C")
            .arg(&copy.0)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            text(&output.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "split"]);
    // In the referenced file only: `internal` becomes a string.
    let edited = schema.replacen(
        "internal:\n    type: boolean",
        "internal:\n    type: string",
        1,
    );
    assert_ne!(edited, schema);
    std::fs::write(&file, edited).unwrap();
    let output = xtask_args(&copy.0, &["diff", "--base", "HEAD", "--format", "json"]);
    assert!(output.status.success(), "{}", text_of(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let pointers: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["pointer"].as_str())
        .collect();
    assert!(
        pointers
            .iter()
            .any(|p| p.contains("AccessToken/properties/internal")),
        "{pointers:?}"
    );
}

#[test]
fn a_security_requirement_naming_no_scheme_fails_a_strict_api_and_warns_otherwise() {
    let copy = Copy::new("security-scheme");
    let before = copy.generated();
    copy.edit_spec(
        "      security:\n        - bearerAuth: []",
        "      security:\n        - basicAuth: []",
    );
    let dropped = "openapi/bitgo.yaml: /paths/~1api~1v2~1internal~1user~1scopedsession/get/security/0: security requirement `basicAuth` of `getInternalScopedUserSession` dropped";
    // The bitgo API is `strict = true`: generate and check fail, nothing is written.
    for command in ["generate", "check"] {
        let output = xtask(&copy.0, command);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{command}: {}",
            text_of(&output)
        );
        let stderr = text(&output.stderr);
        assert!(stderr.contains(dropped), "{command}: {stderr}");
        assert!(stderr.contains("strict = true"), "{command}: {stderr}");
    }
    assert_eq!(copy.generated(), before);

    // Without it, a warning; progenitor ignores security, so the code is
    // the same but for the hash. `--strict` still fails.
    let apis = copy.0.join(APIS_PATH);
    let config = std::fs::read_to_string(&apis).unwrap();
    assert!(config.contains("\nstrict = true\n"), "{config}");
    std::fs::write(&apis, config.replace("\nstrict = true\n", "\n")).unwrap();
    let output = xtask(&copy.0, "generate");
    assert!(output.status.success(), "{}", text_of(&output));
    let stderr = text(&output.stderr);
    assert!(stderr.contains(&format!("warning: {dropped}")), "{stderr}");
    assert_eq!(without_hash(copy.generated()), without_hash(before));
    let strict = xtask_args(&copy.0, &["generate", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", text_of(&strict));
}

/// What a passing `check` and `generate` hand to `cargo xtask`'s launcher
/// (`xtask/launch`) for its stamp: every file they read or wrote, each as
/// it is on disk, the split spec's second file among them, and the mock's
/// manifest they did not find; a failing check hands nothing.
#[test]
fn check_and_generate_hand_the_launcher_every_file_they_read() {
    use xtask::stamp::{Entry, READS_VAR, Stamp};
    let copy = Copy::new("reads");
    let (file, schema) = split_access_token(&copy);
    let reads = copy.0.join("reads");
    let run = |command: &str| {
        let _ = std::fs::remove_file(&reads);
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args([command, "--root"])
            .arg(&copy.0)
            .env(READS_VAR, &reads)
            .output()
            .unwrap()
    };
    for command in ["generate", "check"] {
        let output = run(command);
        assert!(output.status.success(), "{}", text_of(&output));
        let stamp = Stamp::read(&reads).expect("the reads are written");
        assert_eq!(
            stamp.message,
            "generated files are fresh with openapi/bitgo.yaml"
        );
        assert!(
            Path::new(&stamp.dep_info).is_file(),
            "cargo's dep-info beside the binary: {}",
            stamp.dep_info
        );
        let read: Vec<&str> = stamp.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            read,
            [
                APIS_PATH,
                paths().spec.as_str(),
                "openapi/schemas/access-token.yaml",
                "crates/bitgo-mock/Cargo.toml",
                paths().models.as_str(),
                paths().client.as_str(),
                paths().mock.as_str(),
                "crates/bitgo-models/Cargo.toml",
                "crates/bitgo-client/Cargo.toml",
            ],
            "{command}"
        );
        for entry in &stamp.entries {
            let expected = match std::fs::read(copy.0.join(&entry.path)) {
                Ok(bytes) => Entry::of(entry.path.clone(), &bytes),
                Err(_) => Entry::absent(entry.path.clone()),
            };
            assert_eq!(entry, &expected, "{command}");
        }
        assert!(stamp.is_fresh(&copy.0, ""));
    }
    // With a mock manifest, the check would compare its features table too.
    let stamp = Stamp::read(&reads).unwrap();
    std::fs::write(copy.0.join("crates/bitgo-mock/Cargo.toml"), "[package]").unwrap();
    assert!(!stamp.is_fresh(&copy.0, ""));
    std::fs::remove_file(copy.0.join("crates/bitgo-mock/Cargo.toml")).unwrap();
    assert!(stamp.is_fresh(&copy.0, ""));
    std::fs::write(
        &file,
        schema.replace("The access token", "The session's access token"),
    )
    .unwrap();
    let output = run("check");
    assert_eq!(output.status.code(), Some(1), "{}", text_of(&output));
    assert!(!reads.exists(), "a failing check hands nothing over");
}
