//! Messy specs, one per failure class of stock progenitor 0.15 + typify 0.8
//! (`tests/torture/*.yaml`, each with the passes it needs in an `# expect:`
//! line), the `allOf` blow-up reproduction, and random specs from
//! `xtask::random`: each generates with exit 0, reports what it changed, and
//! gives crates that `cargo check` accepts without a warning.
//!
//! The generated workspaces live in `target/torture/`. Compiling them takes
//! minutes on a cold machine, so that test is `#[ignore]`d: CI runs it
//! (`cargo test --workspace -- --include-ignored`), and so can you. It
//! checks every workspace with one `cargo check` over a package depending
//! on all of their crates, so cargo compiles them side by side on every
//! core, in one target directory, `target/torture/target`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn generate(spec: &Path, out: &Path, extra: &[&str]) -> Output {
    generate_skipping(spec, out, extra, "")
}

/// `generate` with the normalization passes named in `skipped` switched off.
fn generate_skipping(spec: &Path, out: &Path, extra: &[&str], skipped: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("XTASK_SKIP_PASSES", skipped)
        .output()
        .unwrap()
}

fn torture_specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/torture");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs
}

/// The value of a `# key: value` header line of a torture spec.
fn header(text: &str, key: &str) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix(&format!("# {key}:")))
        .map(|v| v.trim().to_string())
}

/// Generates `spec` into `out` with `--explain`: the report (stdout) and
/// the warnings about dropped items (stderr).
fn generate_and_explain(spec: &Path, out: &Path) -> (String, String) {
    let _ = std::fs::remove_dir_all(out);
    // `# builders: true`: builder-style operations, which send what the
    // methods send from other code.
    let source = std::fs::read_to_string(spec).unwrap();
    let builders = header(&source, "builders").as_deref() == Some("true");
    let args: &[&str] = if builders {
        &["--explain", "--builders"]
    } else {
        &["--explain"]
    };
    let output = generate(spec, out, args);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{}: {stderr}", spec.display());
    assert!(!stderr.contains("panicked"), "{}: {stderr}", spec.display());
    (stdout, stderr)
}

/// `cargo check`, warnings denied, on every crate of the standalone
/// workspaces in `dirs` at once: through one package at `umbrella` that
/// depends on them all (outside their directories, so that cargo does not
/// take them for members of it), with their default features and
/// `schemars`. With `only`: the client crates that have that tag's feature,
/// with it alone (so a tag's operations and the types they reach compile
/// without the rest, and nothing is left unused).
fn check_all(umbrella: &Path, dirs: &[PathBuf], only: Option<&str>) {
    let mut manifest = String::from(
        "# Written by xtask/tests/torture.rs: one cargo check over every generated crate.\n\
         [package]\nname = \"torture-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n",
    );
    let mut crates = 0;
    for dir in dirs {
        let mut members: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("Cargo.toml").is_file())
            .collect();
        members.sort();
        for member in members {
            let name = member.file_name().unwrap().to_string_lossy().into_owned();
            let features = match only {
                None if name.ends_with("-models") => ", features = [\"schemars\"]".to_string(),
                None => String::new(),
                Some(feature) => {
                    let cargo = std::fs::read_to_string(member.join("Cargo.toml")).unwrap();
                    if !name.ends_with("-client") || !cargo.contains(&format!("\n{feature} = ")) {
                        continue;
                    }
                    format!(", default-features = false, features = [\"{feature}\"]")
                }
            };
            manifest.push_str(&format!(
                "{name} = {{ path = {:?}{features} }}\n",
                member.display().to_string()
            ));
            crates += 1;
        }
    }
    let expected = if only.is_some() { 1 } else { 2 * dirs.len() };
    assert!(
        crates >= expected,
        "{crates} crates in {} workspaces",
        dirs.len()
    );
    std::fs::create_dir_all(umbrella.join("src")).unwrap();
    std::fs::write(umbrella.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(umbrella.join("src/lib.rs"), "").unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), umbrella.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--message-format", "short"])
        .current_dir(umbrella)
        .env(
            "CARGO_TARGET_DIR",
            workspace().join("target/torture/target"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo check of {crates} generated crates:\n{}",
        text(&output.stderr)
    );
}

/// Writes the random spec of `seed` into `dir`; returns its path.
fn random_spec(dir: &Path, seed: u64) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let spec = dir.join(format!("random-{seed}.json"));
    std::fs::write(
        &spec,
        serde_json::to_string_pretty(&xtask::random::spec(seed)).unwrap(),
    )
    .unwrap();
    spec
}

/// The number of random specs generated and compiled.
const RANDOM_SPECS: u64 = 12;

#[test]
fn torture_specs_generate_and_explain() {
    let root = workspace().join("target/torture");
    let mut outputs = Vec::new();
    for spec in torture_specs() {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&spec).unwrap();
        let out = root.join(&name);
        let (explained, warnings) = generate_and_explain(&spec, &out);
        let expected =
            header(&source, "expect").unwrap_or_else(|| panic!("{name}: no `# expect:`"));
        if expected == "nothing" {
            // Taken as written: no pass changes anything.
            assert!(
                !explained
                    .lines()
                    .any(|l| (l.ends_with("(repair)") || l.ends_with("(rewrite)"))
                        && !l.contains("generated code:")),
                "{name}: a pass changed a spec stock progenitor takes:\n{explained}"
            );
        }
        for pass in expected
            .split(',')
            .map(str::trim)
            .filter(|p| *p != "nothing")
        {
            assert!(
                explained.contains(&format!("[{pass}]")),
                "{name}: `--explain` names no change by {pass}:\n{explained}"
            );
        }
        // `--strict` fails exactly where something was dropped.
        let strict_out = root.join(format!("{name}-strict"));
        let _ = std::fs::remove_dir_all(&strict_out);
        let strict = generate(&spec, &strict_out, &["--strict"]);
        let dropped = warnings.lines().any(|l| l.starts_with("warning: "));
        let expect_failure = header(&source, "strict").as_deref() == Some("fails");
        assert_eq!(
            strict.status.code(),
            Some(if expect_failure { 1 } else { 0 }),
            "{name} --strict: {}",
            text(&strict.stderr)
        );
        assert_eq!(
            expect_failure, dropped,
            "{name}: `# strict:` disagrees with the report"
        );
        outputs.push(out);
    }
    assert!(outputs.len() >= 10, "the torture specs are missing");
    // Merged bodies are decoded by status: 202 is a PendingApproval even when
    // its body would also fit a Transfer (an untagged enum's first variant).
    let client =
        std::fs::read_to_string(root.join("response-sets/response-sets-client/src/generated.rs"))
            .unwrap();
    let compact: String = client.split_whitespace().collect();
    assert!(
        compact.contains("202u16=>{letvalue=ResponseValue::<types::PendingApproval,>::from_response(response).await?;"),
        "{client}"
    );
    assert!(compact.contains("Error::ErrorResponse(ResponseValue::new(types::SendTransactionError::from(value.into_inner()),status,headers,"), "{client}");
}

#[test]
fn the_allof_union_blow_up_is_normalized_away() {
    let root = workspace().join("target/torture");
    std::fs::create_dir_all(&root).unwrap();
    // The reproduction: without the `single-ref-allof` pass, typify merges
    // the wrapped union member by member into new types (`ChildIntent`, and
    // per member `ChildIntentVariantN..`); time grows about fivefold per four
    // members (24 members took 37 s and 400 MB in typify 0.8).
    let small = root.join("allof-union-6.yaml");
    std::fs::write(&small, xtask::synthetic::allof_union_yaml(6)).unwrap();
    let raw_out = root.join("allof-union-raw");
    let _ = std::fs::remove_dir_all(&raw_out);
    let raw = generate_skipping(&small, &raw_out, &[], "single-ref-allof");
    assert!(raw.status.success(), "{}", text(&raw.stderr));
    let raw_models =
        std::fs::read_to_string(raw_out.join("allof-union-6-models/src/generated.rs")).unwrap();
    assert!(
        raw_models.contains("pub enum ChildIntent {"),
        "the reproduction no longer reproduces"
    );
    assert!(raw_models.contains("ChildIntentVariant5Kind"));

    // With the pass, a union of 32 members is one shared type.
    let large = root.join("allof-union-32.yaml");
    std::fs::write(&large, xtask::synthetic::allof_union_yaml(32)).unwrap();
    let out = root.join("allof-union");
    let (explained, _) = generate_and_explain(&large, &out);
    assert!(explained.contains("[single-ref-allof]"), "{explained}");
    let models =
        std::fs::read_to_string(out.join("allof-union-32-models/src/generated.rs")).unwrap();
    assert!(
        !models.contains("ChildIntent"),
        "typify merged the union again"
    );
    assert!(models.contains("pub enum Union {"));
}

#[test]
fn random_specs_generate_and_explain() {
    let root = workspace().join("target/torture");
    for seed in 0..RANDOM_SPECS {
        let spec = random_spec(&root, seed);
        generate_and_explain(&spec, &root.join(format!("random-{seed}")));
    }
}

#[test]
#[ignore = "builds every generated crate (minutes cold); CI runs it with --include-ignored"]
fn every_generated_workspace_compiles_without_warnings() {
    // Generated afresh into a directory of its own: the tests above run
    // beside this one and rewrite theirs.
    let root = workspace().join("target/torture/compile");
    let _ = std::fs::remove_dir_all(&root);
    let mut specs = torture_specs();
    specs.push(root.join("allof-union-32.yaml"));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        &specs[specs.len() - 1],
        xtask::synthetic::allof_union_yaml(32),
    )
    .unwrap();
    specs.extend((0..RANDOM_SPECS).map(|seed| random_spec(&root, seed)));
    let mut outputs = Vec::new();
    for spec in &specs {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let out = root.join("workspaces").join(&name);
        generate_and_explain(spec, &out);
        outputs.push(out);
    }
    // Split models (`split-models`): the crates of two random specs, each
    // split into two groups (copied under another name: package names are
    // the spec's).
    for seed in 0..2 {
        let spec = root.join(format!("split-{seed}.yaml"));
        std::fs::copy(random_spec(&root, seed), &spec).unwrap();
        let out = root.join("workspaces").join(format!("split-{seed}"));
        let output = generate(&spec, &out, &["--explain", "--model-groups", "2"]);
        let stdout = text(&output.stdout);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let explained = format!("crate `split_{seed}_models_shared`: ");
        assert!(
            stdout.contains(&explained) && stdout.contains("[split-models]"),
            "{stdout}"
        );
        for part in ["shared", "part-1", "part-2", "other"] {
            let generated = out.join(format!("split-{seed}-models-{part}/src/generated.rs"));
            assert!(generated.is_file(), "{}", generated.display());
        }
        outputs.push(out);
    }
    check_all(&root.join("check"), &outputs, None);
    // The random specs tag their operations `Wallet` or `Enterprise`.
    check_all(&root.join("check-wallet"), &outputs, Some("wallet"));
}

#[test]
fn a_panic_inside_typify_is_one_error_line_naming_the_schema() {
    // Without the pass that repairs them, typify panics on these enum values.
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/torture/enum-names.yaml");
    let out = workspace().join("target/torture/panic");
    let _ = std::fs::remove_dir_all(&out);
    let output = generate_skipping(&spec, &out, &[], "unnameable-enums");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("it panicked while converting component schema `Rule` (/components/schemas/Rule): Failed to make unique variant names"),
        "{stderr}"
    );
    assert!(!out.exists(), "a failed run wrote files");
}

/// Every item of a models file, as `module kind name` lines (impls by their
/// header), sorted; `use` items, which `split-models` adds, left out.
fn models_items(files: &[PathBuf]) -> Vec<String> {
    fn print(item: syn::Item) -> String {
        let file = syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items: vec![item],
        };
        prettyplease::unparse(&file).trim().to_string()
    }
    fn walk(items: &[syn::Item], module: &str, out: &mut Vec<String>) {
        for item in items {
            let line = match item {
                syn::Item::Mod(m) => {
                    let inner = format!("{module}::{}", m.ident);
                    walk(m.content.as_ref().map_or(&[], |(_, i)| i), &inner, out);
                    continue;
                }
                syn::Item::Use(_) => continue,
                syn::Item::Struct(s) => format!("struct {}", s.ident),
                syn::Item::Enum(e) => format!("enum {}", e.ident),
                syn::Item::Type(t) => format!("type {}", t.ident),
                syn::Item::Fn(f) => format!("fn {}", f.sig.ident),
                syn::Item::Impl(i) => {
                    let mut header = i.clone();
                    header.items.clear();
                    header.attrs.clear();
                    print(syn::Item::Impl(header))
                }
                other => print(other.clone()),
            };
            out.push(format!("{module} {line}"));
        }
    }
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        walk(&syn::parse_file(&text).unwrap().items, "", &mut out);
    }
    out.sort();
    out
}

#[test]
fn split_models_keep_every_item_of_the_models() {
    let root = workspace().join("target/torture/split-items");
    let _ = std::fs::remove_dir_all(&root);
    for seed in [0, 3, 5] {
        let spec = random_spec(&root, seed);
        let one = root.join(format!("one-{seed}"));
        let split = root.join(format!("split-{seed}"));
        for (out, extra) in [(&one, &[][..]), (&split, &["--model-groups", "2"][..])] {
            let output = generate(&spec, out, extra);
            assert!(output.status.success(), "{}", text(&output.stderr));
        }
        let stem = format!("random-{seed}-models");
        let parts: Vec<PathBuf> = ["shared", "part-1", "part-2", "other"]
            .iter()
            .map(|p| split.join(format!("{stem}-{p}/src/generated.rs")))
            .collect();
        let whole = models_items(&[one.join(format!("{stem}/src/generated.rs"))]);
        assert!(whole.len() > 20, "{whole:?}");
        assert_eq!(models_items(&parts), whole, "seed {seed}");
    }
}

#[test]
fn one_big_models_crate_gets_the_advice_to_split_it() {
    let root = workspace().join("target/torture/split-advice");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    // 340 operations: the models pass 100k lines.
    let spec = root.join("big.yaml");
    std::fs::write(&spec, xtask::synthetic::spec_yaml(340)).unwrap();
    let output = generate(&spec, &root.join("out"), &[]);
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("note: big-models/src/generated.rs: the models are one crate of ")
            && stderr.contains("`--model-groups 4`"),
        "{stderr}"
    );
}
