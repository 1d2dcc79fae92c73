//! `cargo xtask roundtrip SPEC...`: does every valid body survive the
//! generated models? For each spec, its crates are generated (as
//! `generate --spec` would) and one harness program is built against all
//! the models crates at once (so cargo compiles them side by side). For
//! each component schema with a Rust type, seeded instances from
//! [`crate::instances`] are deserialized, serialized back, and compared
//! under the documented normalizations of [`compare`]; the one-constraint
//! mutants must be refused, except the documented [`LENIENCIES`] and
//! [`LENIENT_READING`].

pub mod compare;
pub mod instances;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use openapi_codegen::openapi::OBJECT_KEYWORDS;
use openapi_codegen::openapi::pointer::join;
use openapi_codegen::openapi::resolve::rename_components;
use openapi_codegen::target::naming::type_name;
use serde_json::{Map, Value, json};

use crate::instances::{Mutation, oracle::Oracle};

/// The mutants the generated models accept on purpose, and why.
pub const LENIENCIES: &[(Mutation, &str)] = &[
    (
        Mutation::ArrayForObject,
        "serde's derived `Deserialize` reads a JSON array of a struct's values in field order as the struct; no valid body is read differently",
    ),
    (
        Mutation::BelowMinimum,
        "typify checks no numeric bounds beyond the Rust integer type it picks",
    ),
    (
        Mutation::AboveMaximum,
        "typify checks no numeric bounds beyond the Rust integer type it picks",
    ),
    (Mutation::TooFewItems, "typify's `Vec` checks no `minItems`"),
    (
        Mutation::TooManyItems,
        "typify's `Vec` checks no `maxItems`",
    ),
    (
        Mutation::DuplicateItems,
        "typify's `Vec` checks no `uniqueItems`",
    ),
    (
        Mutation::NullNotNullable,
        "`null` in an optional property is read as absent (`None`), as serde reads `Option`",
    ),
    (
        Mutation::MissingRequiredNullable,
        "typify makes a required nullable property an `Option`, and serde reads a missing `Option` as `None` (written back as `null`)",
    ),
    (
        Mutation::DateTimeWithSpace,
        "chrono reads a space between date and time, which RFC 3339 §5.6 allows applications to use; it is written back with `T`",
    ),
];

/// A mutant of another kind whose only fault is one the models read
/// leniently on purpose (the oracle takes it once each `oneOf` reads as
/// `anyOf` and numeric bounds and array sizes go unchecked), and why.
pub const LENIENT_READING: (&str, &str) = (
    "valid-as-the-models-read-it",
    "typify's untagged enum reads a `oneOf` as its first member that fits and checks no other, so a body that fits two members (which JSON Schema refuses) is read as the first (BitGo's `STXStakingOptions.functionName`, a `oneOf` of two plain strings, makes every string such a body); and a mutation of another kind can land on a bound or size the models do not check (a string replaced by the number 7 where a `oneOf` member takes numbers up to 1)",
);

/// Why the models accept mutants of this kind, if they may.
pub fn leniency(mutation: Mutation) -> Option<&'static str> {
    LENIENCIES
        .iter()
        .find(|(m, _)| *m == mutation)
        .map(|(_, why)| *why)
}

/// What `roundtrip` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the generated workspaces and the harness are written.
    pub out: PathBuf,
    /// Valid instances per component schema.
    pub instances: usize,
    pub seed: u64,
    /// The `Cargo.lock` to start the harness from (the workspace's), so
    /// that the models build with the versions the project pins.
    pub lockfile: Option<PathBuf>,
    /// The target directory for the harness build.
    pub target_dir: Option<PathBuf>,
    /// Normalization passes and output rewrites to leave out
    /// (`XTASK_SKIP_PASSES`), to see what stock typify's reading of a spec
    /// loses.
    pub skip_passes: Vec<String>,
}

/// One failure: the schema, the instance, what went wrong.
#[derive(Debug, Clone)]
pub struct Failure {
    pub schema: String,
    pub instance: Value,
    pub what: String,
}

/// What happened to one spec's instances.
#[derive(Debug, Default)]
pub struct SpecReport {
    pub spec: String,
    /// Component schemas with a Rust type, and those the generator could
    /// make no valid instance of (with the first reason seen).
    pub schemas: usize,
    pub without_instances: Vec<String>,
    /// Component schemas JSON Schema takes no instance of, judged instead
    /// as the models read them ([`instances::Judge::Leniently`]).
    pub judged_leniently: Vec<String>,
    /// Component schemas the models have no type of their own for.
    pub without_type: usize,
    /// Components merged from several responses' bodies, each of them a
    /// component judged on its own (the client decodes by status).
    pub decoded_by_status: usize,
    pub valid: usize,
    /// Valid instances the models refused.
    pub rejected: Vec<Failure>,
    /// Round trips that lost or changed data, by kind (`dropped`, `changed`, ...).
    pub differences: Vec<Failure>,
    pub mutants: usize,
    pub mutants_rejected: usize,
    /// Mutants accepted under a documented leniency, per kind.
    pub lenient: BTreeMap<&'static str, usize>,
    /// Mutants accepted with no leniency to explain it.
    pub accepted: Vec<Failure>,
}

impl SpecReport {
    pub fn is_clean(&self) -> bool {
        self.rejected.is_empty() && self.differences.is_empty() && self.accepted.is_empty()
    }

    /// Every failure, with what kind it is (`rejected`, `round trip`,
    /// `accepted`).
    pub fn failures(&self) -> impl Iterator<Item = (&'static str, &Failure)> {
        self.rejected
            .iter()
            .map(|f| ("rejected", f))
            .chain(self.differences.iter().map(|f| ("round trip", f)))
            .chain(self.accepted.iter().map(|f| ("accepted", f)))
    }

    fn count(&self, kind: &str) -> usize {
        self.differences
            .iter()
            .filter(|f| f.what.starts_with(kind))
            .count()
    }

    /// One line of counts.
    pub fn summary(&self) -> String {
        let lenient: usize = self.lenient.values().sum();
        format!(
            "{}: {} schemas ({} without instances, {} judged as the models read them, {} without a type of their own, {} merged responses decoded by status); {} valid instances: {} rejected, {} declared properties dropped, {} numbers changed, {} other changes; {} mutants: {} rejected, {} accepted as documented leniencies, {} accepted otherwise",
            self.spec,
            self.schemas,
            self.without_instances.len(),
            self.judged_leniently.len(),
            self.without_type,
            self.decoded_by_status,
            self.valid,
            self.rejected.len(),
            self.count("dropped"),
            self.count("number-changed"),
            self.differences.len() - self.count("dropped") - self.count("number-changed"),
            self.mutants,
            self.mutants_rejected,
            lenient,
            self.accepted.len(),
        )
    }
}

/// One spec, generated and paired with its instances.
struct Prepared {
    name: String,
    crate_ident: String,
    doc: Value,
    oracle: Oracle,
    cases: Vec<Case>,
    report: SpecReport,
}

/// One component schema's instances.
struct Case {
    name: String,
    /// Its Rust type.
    ty: String,
    instances: Vec<instances::Instance>,
    /// How they were judged valid: the comparison judges the schema's
    /// members alike.
    judge: instances::Judge,
}

/// Runs the round trip on every spec; one report each.
pub fn run(specs: &[PathBuf], options: &Options) -> Result<Vec<SpecReport>, xtask::Error> {
    std::fs::create_dir_all(&options.out)?;
    let mut prepared = Vec::new();
    for spec in specs {
        prepared.push(prepare(spec, options)?);
    }
    let harness = options.out.join("harness");
    write_harness(&harness, &prepared, options)?;
    let input = harness.join("instances.jsonl");
    let mut lines = String::new();
    for (i, p) in prepared.iter().enumerate() {
        for Case { ty, instances, .. } in &p.cases {
            for case in instances {
                lines.push_str(
                    &json!({"spec": i, "type": ty, "text": case.value.to_string()}).to_string(),
                );
                lines.push('\n');
            }
        }
    }
    std::fs::write(&input, lines)?;
    let results = build_and_run(&harness, &input, options)?;
    let mut results = results.into_iter();
    let mut reports = Vec::new();
    for p in prepared {
        let Prepared {
            doc,
            oracle,
            cases,
            mut report,
            ..
        } = p;
        for Case {
            name,
            instances,
            judge: judged,
            ..
        } in cases
        {
            let at = join("/components/schemas", &name);
            for case in instances {
                let result = results.next().ok_or_else(|| {
                    xtask::Error::Harness(
                        "the harness answered fewer instances than it was given".into(),
                    )
                })?;
                judge(
                    &doc,
                    &oracle,
                    (&at, &name, judged),
                    case,
                    result,
                    &mut report,
                );
            }
        }
        reports.push(report);
    }
    Ok(reports)
}

/// `case`'s verdict into `report`: of the component at `at`, named `name`,
/// whose instances were `judged` so.
fn judge(
    doc: &Value,
    oracle: &Oracle,
    (at, name, judged): (&str, &str, instances::Judge),
    case: instances::Instance,
    result: Result<String, String>,
    report: &mut SpecReport,
) {
    let failure = |what: String| Failure {
        schema: name.to_string(),
        instance: case.value.clone(),
        what,
    };
    match (case.mutation, result) {
        (None, Err(error)) => {
            report.valid += 1;
            report.rejected.push(failure(error));
        }
        (None, Ok(text)) => {
            report.valid += 1;
            let back: Value = match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(e) => {
                    report
                        .differences
                        .push(failure(format!("changed: wrote invalid JSON: {e}")));
                    return;
                }
            };
            for difference in compare::compare(doc, oracle, at, &case.value, &back, judged) {
                report
                    .differences
                    .push(failure(format!("{}: {difference}", difference.kind())));
            }
        }
        (Some(_), Err(_)) => {
            report.mutants += 1;
            report.mutants_rejected += 1;
        }
        (Some(mutation), Ok(_)) => {
            report.mutants += 1;
            if leniency(mutation).is_some() {
                *report.lenient.entry(mutation.name()).or_default() += 1;
            } else if oracle.is_valid_leniently(name, &case.value) == Some(true) {
                *report.lenient.entry(LENIENT_READING.0).or_default() += 1;
            } else {
                report
                    .accepted
                    .push(failure(format!("{} mutant accepted", mutation.name())));
            }
        }
    }
}

/// Generates `spec`'s crates under `options.out` and its instances.
fn prepare(spec: &Path, options: &Options) -> Result<Prepared, xtask::Error> {
    let api = xtask::config::Api::standalone(spec);
    let dir = options.out.join(&api.name);
    let generate = xtask::generate::Options {
        skip_passes: options.skip_passes.clone(),
        ..Default::default()
    };
    let (_, generated) = xtask::generate::write_standalone(spec, &dir, &generate)?;
    let display = spec.display().to_string();
    let written = openapi_codegen::Document::read(spec, &display)?;
    let mut doc = as_written(
        &written.json,
        &generated.spec.json,
        &generated.spec.normalized.renamed,
    );
    undeclare_dropped_fields(&mut doc, &generated.spec.normalized);
    let types = defined_types(generated.models());
    let oracle =
        Oracle::new(&doc).map_err(|e| xtask::Error::Harness(format!("{}: {e}", spec.display())))?;
    let mut report = SpecReport {
        spec: spec.display().to_string(),
        ..SpecReport::default()
    };
    let mut cases = Vec::new();
    let names: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    // A component the normalization merged from several responses' bodies
    // is a `oneOf` no client decodes as such: the client decodes each status
    // as its own schema (`decode-merged-by-status`). Where every body is a
    // component (or any JSON value, a `serde_json::Value` that keeps all),
    // those are judged on their own, and the merged one is not.
    let any_value = |schema: &Value| {
        schema.as_object().is_some_and(|m| {
            m.keys()
                .all(|k| openapi_codegen::openapi::ANNOTATIONS.contains(&k.as_str()))
        })
    };
    let by_status: BTreeSet<&str> = generated
        .spec
        .normalized
        .merged
        .iter()
        .filter(|m| {
            let members = doc
                .pointer(&format!(
                    "{}/oneOf",
                    join("/components/schemas", &m.component)
                ))
                .and_then(Value::as_array);
            members.is_some_and(|members| {
                members
                    .iter()
                    .all(|b| b.get("$ref").is_some() || any_value(b))
            })
        })
        .map(|m| m.component.as_str())
        .collect();
    for (i, name) in names.iter().enumerate() {
        let ty = type_name(name);
        if !types.contains(&ty) {
            report.without_type += 1;
            continue;
        }
        if by_status.contains(name.as_str()) {
            report.decoded_by_status += 1;
            continue;
        }
        report.schemas += 1;
        let seed = options.seed.wrapping_mul(1_000_003).wrapping_add(i as u64);
        let mut found = instances::instances(&doc, &oracle, name, options.instances, seed);
        let mut judge = instances::Judge::Strictly;
        if !found.iter().any(|i| i.mutation.is_none()) {
            // JSON Schema takes none of them (open `oneOf` members that every
            // body fits together): judged as the models read the schema, as
            // those are the bodies senders send.
            found = instances::instances_judged(
                &doc,
                &oracle,
                name,
                options.instances,
                seed,
                instances::Judge::Leniently,
            );
            judge = instances::Judge::Leniently;
            if found.iter().any(|i| i.mutation.is_none()) {
                report.judged_leniently.push(name.clone());
            } else {
                report.without_instances.push(name.clone());
            }
        }
        cases.push(Case {
            name: name.clone(),
            ty,
            instances: found,
            judge,
        });
    }
    Ok(Prepared {
        name: api.name.clone(),
        crate_ident: xtask::config::Api::crate_ident(&api.models),
        doc,
        oracle,
        cases,
        report,
    })
}

/// A property `field-names` dropped (one of two that typify would name
/// alike) is one the models do not declare: a body's value for it is
/// ignored, as the pass lists, so the judge reads it as undeclared
/// (`undeclared-dropped`), with the object open to it where the pass
/// opened it. Pointers are into the spec as written.
fn undeclare_dropped_fields(doc: &mut Value, report: &openapi_codegen::normalize::Report) {
    let by_pass = report
        .dropped
        .iter()
        .chain(&report.changes)
        .filter(|c| c.pass == "field-names");
    for change in by_pass {
        if let Some(schema) = change.pointer.strip_suffix("/additionalProperties") {
            if let Some(Value::Object(map)) = doc.pointer_mut(schema) {
                map.remove("additionalProperties");
            }
        } else if let Some((schema, name)) = change.pointer.rsplit_once("/properties/") {
            let name = openapi_codegen::openapi::pointer::unescape(name);
            if let Some(Value::Object(map)) = doc.pointer_mut(schema) {
                if let Some(Value::Object(properties)) = map.get_mut("properties") {
                    properties.remove(&name);
                }
                if let Some(Value::Array(required)) = map.get_mut("required") {
                    required.retain(|r| r.as_str() != Some(name.as_str()));
                }
            }
        }
    }
}

/// The component schemas as the spec writes them, under the names the
/// models give them: what the oracle and the comparison judge by, so that a
/// normalization pass is checked against what the author wrote, never
/// against its own reading. Components `component-names` renamed take
/// their new names (and every `$ref` follows); components the normalization
/// added (hoisted inline bodies, merged responses) have no schema as
/// written, and are taken as normalized.
fn as_written(written: &Value, normalized: &Value, renamed: &[(String, String)]) -> Value {
    let mut doc = written.clone();
    let renames: HashMap<String, String> = renamed.iter().cloned().collect();
    rename_components(&mut doc, &renames);
    distribute_object_keywords(&mut doc);
    let Some(Value::Object(added)) = normalized.pointer("/components/schemas") else {
        return doc;
    };
    let components = doc
        .as_object_mut()
        .map(|d| d.entry("components").or_insert_with(|| json!({})))
        .and_then(Value::as_object_mut)
        .map(|c| c.entry("schemas").or_insert_with(|| json!({})));
    if let Some(Value::Object(schemas)) = components {
        for (name, schema) in added {
            if !schemas.contains_key(name) {
                schemas.insert(name.clone(), schema.clone());
            }
        }
    }
    doc
}

/// `{properties: P, anyOf: [A, B]}` → `{anyOf: [{allOf: [P, A]}, {allOf:
/// [P, B]}]}` (and so for `oneOf`): the same bodies are valid, and each
/// member alone says what an instance of it needs (BitGo's `CreateWallet`,
/// whose alternatives only list required properties of the object beside).
fn distribute_object_keywords(doc: &mut Value) {
    let object = || std::iter::once("type").chain(OBJECT_KEYWORDS);
    openapi_codegen::openapi::walk::for_each_schema_mut(doc, |_, schema| {
        let key = match (schema.get("anyOf"), schema.get("oneOf")) {
            (Some(Value::Array(_)), None) => "anyOf",
            (None, Some(Value::Array(_))) => "oneOf",
            _ => return,
        };
        let beside: Map<String, Value> = object()
            .filter_map(|k| Some((k.to_string(), schema.get(k)?.clone())))
            .collect();
        // A discriminator finds its members by their `$ref`: left as it is.
        if !beside.contains_key("properties") && !beside.contains_key("required")
            || schema.contains_key("discriminator")
        {
            return;
        }
        for k in object() {
            schema.remove(k);
        }
        if let Some(Value::Array(members)) = schema.get_mut(key) {
            for member in members.iter_mut() {
                *member = json!({"allOf": [Value::Object(beside.clone()), member.take()]});
            }
        }
    });
}

/// The names of the types a models file defines at its top level.
fn defined_types(models: &str) -> BTreeSet<String> {
    let Ok(file) = syn::parse_file(models) else {
        return BTreeSet::new();
    };
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The harness: one binary depending on every models crate, with a
/// function per spec that maps a type name to its round trip.
fn write_harness(dir: &Path, specs: &[Prepared], options: &Options) -> Result<(), xtask::Error> {
    std::fs::create_dir_all(dir.join("src"))?;
    let mut manifest = format!(
        "# @generated by `cargo xtask roundtrip`.\n[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n# The harness only runs: debug info would make its build slower.\n[profile.dev]\ndebug = false\n\n[dependencies]\nserde = \"1.0.226\"\nserde_json = {{ version = \"1.0.145\", features = [\"float_roundtrip\"] }}\n",
        harness_name(options)
    );
    let mut main = String::from(
        "// @generated by `cargo xtask roundtrip`: reads one instance per line, writes one answer per line.\n\
         use std::io::{BufRead, Write};\n\n\
         fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> Result<String, String> {\n\
         \x20   let value: T = serde_json::from_str(text).map_err(|e| e.to_string())?;\n\
         \x20   serde_json::to_string(&value).map_err(|e| e.to_string())\n\
         }\n\n",
    );
    let mut dispatch = String::new();
    for (i, spec) in specs.iter().enumerate() {
        manifest.push_str(&format!(
            "{0}-models = {{ path = \"../{0}/{0}-models\" }}\n",
            spec.name
        ));
        main.push_str(&format!(
            "#[allow(unused_variables)]\nfn spec_{i}(ty: &str, text: &str) -> Result<String, String> {{\n    match ty {{\n"
        ));
        for Case { ty, .. } in &spec.cases {
            main.push_str(&format!(
                "        \"{ty}\" => round_trip::<{}::{ty}>(text),\n",
                spec.crate_ident
            ));
        }
        main.push_str("        _ => Err(format!(\"no type {ty}\")),\n    }\n}\n\n");
        dispatch.push_str(&format!("            {i} => spec_{i}(ty, text),\n"));
    }
    main.push_str(&format!(
        "fn main() {{\n\
         \x20   let mut args = std::env::args().skip(1);\n\
         \x20   let input = std::fs::File::open(args.next().expect(\"input\")).expect(\"input\");\n\
         \x20   let mut output = std::io::BufWriter::new(std::fs::File::create(args.next().expect(\"output\")).expect(\"output\"));\n\
         \x20   for line in std::io::BufReader::new(input).lines() {{\n\
         \x20       let line: serde_json::Value = serde_json::from_str(&line.expect(\"a line\")).expect(\"JSON\");\n\
         \x20       let (ty, text) = (line[\"type\"].as_str().unwrap_or(\"\"), line[\"text\"].as_str().unwrap_or(\"\"));\n\
         \x20       let result = match line[\"spec\"].as_u64().unwrap_or(u64::MAX) {{\n{dispatch}\
         \x20           _ => Err(\"no such spec\".to_string()),\n\
         \x20       }};\n\
         \x20       let answer = match result {{\n\
         \x20           Ok(text) => serde_json::json!({{\"ok\": text}}),\n\
         \x20           Err(error) => serde_json::json!({{\"err\": error}}),\n\
         \x20       }};\n\
         \x20       writeln!(output, \"{{answer}}\").expect(\"output\");\n\
         \x20   }}\n\
         }}\n"
    ));
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(&dir.join("src/main.rs"), &main)?;
    if let Some(lock) = &options.lockfile
        && !dir.join("Cargo.lock").exists()
    {
        std::fs::copy(lock, dir.join("Cargo.lock"))?;
    }
    Ok(())
}

/// The harness package's name, from the out directory's, so that harnesses
/// sharing a target directory do not overwrite each other's binary.
fn harness_name(options: &Options) -> String {
    let dir = options
        .out
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    format!("harness-{dir}")
}

/// Writes `text` unless the file already holds it (so cargo sees no change).
fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|t| t == text) {
        return Ok(());
    }
    std::fs::write(path, text)
}

fn build_and_run(
    harness: &Path,
    input: &Path,
    options: &Options,
) -> Result<Vec<Result<String, String>>, xtask::Error> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = options
        .target_dir
        .clone()
        .unwrap_or_else(|| options.out.join("target"));
    let status = Command::new(&cargo)
        .args([
            "build",
            "--quiet",
            "--message-format",
            "short",
            "--manifest-path",
        ])
        .arg(harness.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .status()?;
    if !status.success() {
        return Err(xtask::Error::Harness(format!(
            "the round-trip harness in {} did not build",
            harness.display()
        )));
    }
    let output = harness.join("answers.jsonl");
    let status = Command::new(target.join("debug").join(harness_name(options)))
        .arg(input)
        .arg(&output)
        .status()?;
    if !status.success() {
        return Err(xtask::Error::Harness(format!(
            "the round-trip harness failed on {}",
            input.display()
        )));
    }
    let text = std::fs::read_to_string(&output)?;
    Ok(text
        .lines()
        .map(|line| {
            let answer: Value = serde_json::from_str(line).unwrap_or(Value::Null);
            match (answer.get("ok"), answer.get("err")) {
                (Some(Value::String(ok)), _) => Ok(ok.clone()),
                (_, Some(Value::String(err))) => Err(err.clone()),
                _ => Err(format!("unreadable answer: {line}")),
            }
        })
        .collect())
}
