//! `cargo xtask generate`: run the generator for each API and write the
//! generated files, all at once or none.

use std::path::Path;
use std::time::Instant;

use openapi_codegen::target::settings::ModelPart;
use openapi_codegen::{Document, Output, Spec};

use crate::config::{self, Api};
use crate::files::{self, GeneratedFile, Outcome};
use crate::scaffold;

/// What `generate` was asked for besides the files.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only the API of this name (`--api`).
    pub only: Option<String>,
    /// List every change the normalization passes and output rewrites made (`--explain`).
    pub explain: bool,
    /// Fail when anything had to be dropped (`--strict`).
    pub strict: bool,
    /// Normalization passes and output rewrites to skip
    /// (`XTASK_SKIP_PASSES=a,b`, for debugging).
    pub skip_passes: Vec<String>,
    /// Print each stage's time (`XTASK_TIMINGS=1`).
    pub timings: bool,
    /// For `--spec`: split the models into this many groups of tags
    /// (`--model-groups`; an API of openapi/apis.toml says `model_groups`).
    pub model_groups: usize,
    /// For `--spec`: builder-style operations and struct builders
    /// (`--builders`; an API of openapi/apis.toml says `builders`).
    pub builders: bool,
    /// For `--spec`: the generation's limits (`--budget-seconds`,
    /// `--budget-memory-mib`; an API of openapi/apis.toml says `budget`).
    pub budget: crate::budget::Budget,
}

/// What to print: `stdout` lines (summaries, `--explain`) and `stderr`
/// lines (warnings about dropped operations, timings).
#[derive(Debug, Default)]
pub struct Printed {
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
    /// The specs and every file read or written, as it was.
    pub reads: crate::stamp::Reads,
}

/// One API's generation: the spec as loaded, the generator's output, and
/// the files it makes.
pub struct Generated {
    pub spec: Spec,
    /// The generator's output, its texts moved into `files` (a big spec's
    /// models file is tens of megabytes: it is held once).
    pub output: Output,
    /// The models file, the client file, the mock file if any, split
    /// models' files, then the crates' manifests.
    pub files: Vec<GeneratedFile>,
    /// What was read besides the generated files, as it was: the spec's
    /// files, and the crates' manifests that were not there (`cargo
    /// xtask`'s stamp).
    pub read: Vec<crate::stamp::Entry>,
}

impl Generated {
    /// The models crate's `generated.rs` (with split models, the facade
    /// that re-exports their crates).
    pub fn models(&self) -> &str {
        &self.files[0].contents
    }
}

/// Generates `api`'s files from its spec in the workspace at `root`, in memory.
pub fn render(root: &Path, api: &Api, options: &Options) -> Result<Generated, crate::Error> {
    let mut read = Vec::new();
    let document = Document::read_with(&root.join(&api.spec), &api.spec, &mut |path| {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        read.push(crate::stamp::Entry::of(
            crate::stamp::relative(root, path),
            text.as_bytes(),
        ));
        Ok(text)
    })?;
    let mut generated = render_document(root, document, api, options)?;
    read.append(&mut generated.read);
    generated.read = read;
    Ok(generated)
}

/// Generates `api`'s files, its crates' manifests (with their `[features]`
/// tables) read from `base` or scaffolded.
fn render_document(
    base: &Path,
    document: Document,
    api: &Api,
    options: &Options,
) -> Result<Generated, crate::Error> {
    let (spec, mut output) = openapi_codegen::generate(
        document,
        &api.load_options(&options.skip_passes),
        &api.settings(),
    )?;
    let mut files = vec![
        GeneratedFile {
            path: api.models_file(),
            contents: std::mem::take(&mut output.models),
        },
        GeneratedFile {
            path: api.client_file(),
            contents: std::mem::take(&mut output.client),
        },
    ];
    if let (Some(path), Some(mock)) = (api.mock_file(), output.mock.take()) {
        files.push(GeneratedFile {
            path,
            contents: mock,
        });
    }
    // The models' crates, when `split-models` split them (it can be
    // skipped with `XTASK_SKIP_PASSES`).
    let parts = if output.model_parts.is_empty() {
        Vec::new()
    } else {
        api.model_parts()
    };
    for ((dir, _), (_, contents)) in parts.iter().zip(std::mem::take(&mut output.model_parts)) {
        files.push(GeneratedFile {
            path: format!("{dir}/src/generated.rs"),
            contents,
        });
    }
    let mut read = Vec::new();
    files.extend(manifests(base, api, &output, &parts, &mut read)?);
    Ok(Generated {
        spec,
        output,
        files,
        read,
    })
}

/// The crates' `Cargo.toml`s (as on disk under `base`, or scaffolded) with
/// their generated `[features]` tables (and, for split models' `parts` and
/// their facade, the dependencies on the crates below). A mock crate without
/// a manifest is left alone (it is never scaffolded).
fn manifests(
    base: &Path,
    api: &Api,
    output: &Output,
    parts: &[(String, ModelPart)],
    read: &mut Vec<crate::stamp::Entry>,
) -> Result<Vec<GeneratedFile>, crate::Error> {
    use crate::features::{self, Layer};
    let scaffolded = scaffold::crate_files(api, &output.client_dependencies);
    // A manifest on disk ends up among the generated files, with its
    // contents; one that is not there is recorded, since a mock crate's
    // absence leaves it out.
    let mut manifest = |dir: &str| -> Result<Option<(String, String)>, crate::Error> {
        let path = format!("{}/Cargo.toml", dir.trim_end_matches('/'));
        let text = match files::read_existing(base, &path)? {
            Some(text) => Some(text),
            None => {
                read.push(crate::stamp::Entry::absent(&path));
                scaffolded
                    .iter()
                    .find(|f| f.path == path)
                    .map(|f| f.contents.clone())
            }
        };
        Ok(text.map(|text| (path, text)))
    };
    let manifest_error = crate::Error::Manifest;
    let defaults = features::defaults(api, &output.features).map_err(crate::Error::Config)?;
    let mut out = Vec::new();
    // Split models' crates first, each depending on those below it; then
    // the models crate (their facade when split), the client, the mock.
    let mut part_packages: Vec<(String, String)> = Vec::new();
    for (dir, part) in parts {
        let (path, text) =
            manifest(dir)?.ok_or_else(|| manifest_error(format!("{dir}/Cargo.toml: missing")))?;
        let parsed = features::Manifest::parse(&path, &text).map_err(manifest_error)?;
        parsed.check_schemars_optional().map_err(manifest_error)?;
        let table = features::table(
            &output.features,
            &defaults,
            Layer::Models,
            &part_packages[..part.below],
        );
        let contents = parsed.with_table(&table).map_err(manifest_error)?;
        let package = parsed.package_name().map_err(manifest_error)?;
        drop(parsed);
        out.push(GeneratedFile { path, contents });
        let sibling = dir.rsplit('/').next().unwrap_or(dir);
        part_packages.push((package, format!("../{sibling}")));
    }
    let part_names: Vec<String> = part_packages.iter().map(|(p, _)| p.clone()).collect();
    let mut below: Option<String> = None;
    let mut crates = vec![(api.models.as_str(), true), (api.client.as_str(), true)];
    if let Some(mock) = &api.mock {
        crates.push((mock.as_str(), false));
    }
    for (dir, required) in crates {
        let Some((path, text)) = manifest(dir)? else {
            if required {
                return Err(manifest_error(format!("{dir}/Cargo.toml: missing")));
            }
            continue;
        };
        let parsed = features::Manifest::parse(&path, &text).map_err(manifest_error)?;
        let (layer, dependencies) = match &below {
            None => {
                parsed.check_schemars_optional().map_err(manifest_error)?;
                if part_names.is_empty() {
                    (Layer::Models, &[][..])
                } else {
                    (Layer::Facade(&part_names), &part_packages[..])
                }
            }
            Some(name) => (Layer::Above(name), &[][..]),
        };
        let table = features::table(&output.features, &defaults, layer, dependencies);
        let contents = parsed.with_table(&table).map_err(manifest_error)?;
        below = Some(parsed.package_name().map_err(manifest_error)?);
        drop(parsed);
        out.push(GeneratedFile { path, contents });
    }
    Ok(out)
}

/// Split models' crates on disk under `base` that `api`'s `model_groups`
/// no longer makes (after it was lowered, or set to 0): a warning for each.
/// They are left as they are (they hold the user's files too), but they
/// would compile stale code beside the new crates.
fn stale_parts(base: &Path, api: &Api) -> Vec<String> {
    let models = api.models.trim_end_matches('/');
    // The directory the crates sit in ("" at the root), with a `/`.
    let (parent, name) = match models.rsplit_once('/') {
        Some((parent, name)) => (format!("{parent}/"), name),
        None => (String::new(), models),
    };
    let current: Vec<String> = api.model_parts().into_iter().map(|(dir, _)| dir).collect();
    let Ok(entries) = std::fs::read_dir(base.join(&parent)) else {
        return Vec::new();
    };
    let mut stale: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|entry| {
            entry
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|suffix| {
                    suffix == "shared"
                        || suffix == "other"
                        || suffix
                            .strip_prefix("part-")
                            .is_some_and(|n| n.parse::<usize>().is_ok())
                })
        })
        .map(|entry| format!("{parent}{entry}"))
        .filter(|dir| !current.contains(dir) && base.join(dir).join("src/generated.rs").exists())
        .collect();
    stale.sort();
    stale
        .into_iter()
        .map(|dir| {
            format!(
                "warning: {dir}: split models' crate that `model_groups = {}` no longer makes; remove it and its workspace member",
                api.model_groups
            )
        })
        .collect()
}

/// The models' lines past which one crate is worth splitting: rustc
/// checks a crate on one core (BitGo's `api.yaml`, 493k lines: 43–65 s and
/// 2.6 GB as one crate, 34–38 s and 1.1 GB in four groups).
const SPLIT_ADVICE_LINES: usize = 100_000;

/// A note for one big models crate: `model_groups` would split it.
fn split_advice(api: &Api, generated: &Generated) -> Option<String> {
    let lines = generated.models().lines().count();
    (api.model_groups == 0 && lines > SPLIT_ADVICE_LINES).then(|| {
        format!(
            "note: {}: the models are one crate of {lines} lines, which rustc checks on one core; `model_groups = 4` in openapi/apis.toml (or `--model-groups 4`) splits them into crates cargo checks two at a time",
            api.models_file()
        )
    })
}

/// Regenerates every generated file of the workspace at `root`.
pub fn run(root: &Path, options: &Options) -> Result<Printed, crate::Error> {
    let mut printed = Printed::default();
    let apis = config::load_recorded(root, options.only.as_deref(), &mut printed.reads.entries)
        .map_err(crate::Error::Config)?;
    let mut files = Vec::new();
    let mut scaffolded = Vec::new();
    let mut summaries = Vec::new();
    for api in &apis {
        let started = Instant::now();
        let generated = crate::budget::run(&api.spec, api.budget, || render(root, api, options))?;
        let strict = Options {
            strict: options.strict || api.strict,
            ..options.clone()
        };
        report(&generated, &strict, &mut printed)?;
        printed.stderr.extend(stale_parts(root, api));
        printed.stderr.extend(split_advice(api, &generated));
        for file in scaffold::crate_files(api, &generated.output.client_dependencies) {
            if !root.join(&file.path).exists() {
                let except = if file.path.ends_with("Cargo.toml") {
                    ", but for its generated `[features]` table"
                } else {
                    ""
                };
                printed.stderr.push(format!(
                    "note: scaffolded {} (hand-written from now on{except}; add new crates to the workspace members)",
                    file.path
                ));
                // A manifest is among the generated files, with its features.
                if !generated.files.iter().any(|g| g.path == file.path) {
                    scaffolded.push(file);
                }
            }
        }
        summaries.push((api, generated.spec, generated.files.len(), started));
        printed.reads.entries.extend(generated.read);
        files.extend(generated.files);
    }
    // Written together, after every API generated: a failure leaves the tree
    // as it was. The generated files come first, in API order, for the summaries.
    let generated_count = files.len();
    files.extend(scaffolded);
    let outcomes = files::write_all(root, &files)?;
    let (files, outcomes) = (&files[..generated_count], &outcomes[..generated_count]);
    for file in files {
        printed.reads.generated(&file.path, &file.contents);
    }
    printed.reads.specs = apis.iter().map(|a| a.spec.clone()).collect();
    let mut offset = 0;
    for (api, spec, count, started) in summaries {
        let mine = &files[offset..offset + count];
        let changes = &outcomes[offset..offset + count];
        offset += count;
        printed
            .stdout
            .push(summary(api, &spec, mine, changes, started));
    }
    Ok(printed)
}

/// Generates from the spec at `spec_path` into `out` as a standalone cargo
/// workspace (models and client crates), for trying a spec before adding it.
pub fn run_spec(spec_path: &Path, out: &Path, options: &Options) -> Result<Printed, crate::Error> {
    write_standalone(spec_path, out, options).map(|(printed, _)| printed)
}

/// [`run_spec`], also handing back what was generated (for the round-trip
/// harness, which needs the loaded spec and the models' types).
pub fn write_standalone(
    spec_path: &Path,
    out: &Path,
    options: &Options,
) -> Result<(Printed, Generated), crate::Error> {
    let started = Instant::now();
    let api = Api {
        model_groups: options.model_groups,
        builders: options.builders,
        budget: options.budget,
        ..Api::standalone(spec_path)
    };
    let display = spec_path.display().to_string();
    let document = Document::read(spec_path, &display)?;
    let mut generated = crate::budget::run(&display, api.budget, || {
        render_document(out, document, &api, options)
    })?;
    let mut printed = Printed::default();
    report(&generated, options, &mut printed)?;
    printed.stderr.extend(stale_parts(out, &api));
    printed.stderr.extend(split_advice(&api, &generated));
    let count = generated.files.len();
    let mut files = std::mem::take(&mut generated.files);
    for file in scaffold::crate_files(&api, &generated.output.client_dependencies)
        .into_iter()
        .chain([scaffold::workspace_file(&api)])
    {
        let generated_already = files.iter().any(|g| g.path == file.path);
        if !out.join(&file.path).exists() && !generated_already {
            files.push(file);
        }
    }
    let outcomes = files::write_all(out, &files)?;
    printed.stdout.push(summary(
        &api,
        &generated.spec,
        &files[..count],
        &outcomes[..count],
        started,
    ));
    files.truncate(count);
    generated.files = files;
    Ok((printed, generated))
}

/// A strict run's verdict: an error listing what the passes dropped, if
/// anything.
pub fn refuse_drops(spec: &openapi_codegen::Spec) -> Result<(), crate::Error> {
    if spec.normalized.dropped.is_empty() {
        return Ok(());
    }
    Err(crate::Error::Strict(
        spec.normalized
            .dropped
            .iter()
            .map(|d| format!("{}: {d}", spec.display_path))
            .collect(),
    ))
}

/// `--explain` lists every change of the passes and the output rewrites;
/// dropped items are always warned about, and with `--strict` they fail
/// the run. `XTASK_TIMINGS` adds each stage's time.
fn report(
    generated: &Generated,
    options: &Options,
    printed: &mut Printed,
) -> Result<(), crate::Error> {
    let spec = &generated.spec;
    let report = &spec.normalized;
    if options.explain {
        use openapi_codegen::generate::rewrites;
        use openapi_codegen::normalize::{self, Kind};
        let (mut repairs, mut rewritten) = (0, 0);
        let mut count = |kind: Option<Kind>| {
            match kind {
                Some(Kind::Rewrite) => rewritten += 1,
                _ => repairs += 1,
            }
            kind.unwrap_or(Kind::Repair).as_str()
        };
        for change in report.changes.iter().chain(&report.dropped) {
            let kind = count(normalize::kind_of(change.pass));
            printed
                .stdout
                .push(format!("{}: {change} ({kind})", spec.display_path));
        }
        for applied in &generated.output.rewrites {
            let kind = count(rewrites::kind_of(applied.rewrite));
            printed.stdout.push(format!(
                "{}: generated code: {} [{}] ({kind})",
                spec.display_path, applied.detail, applied.rewrite
            ));
        }
        printed.stdout.push(format!(
            "{}: explained {repairs} repairs (stock progenitor would fail or be wrong there) and {rewritten} documented rewrites",
            spec.display_path
        ));
    }
    if options.strict {
        refuse_drops(spec)?;
    }
    for dropped in &report.dropped {
        printed
            .stderr
            .push(format!("warning: {}: {dropped}", spec.display_path));
    }
    if options.timings {
        for (stage, took) in spec.timings.iter().chain(&generated.output.timings) {
            printed
                .stderr
                .push(format!("{stage}: {} ms", took.as_millis()));
        }
    }
    Ok(())
}

fn summary(
    api: &Api,
    spec: &Spec,
    files: &[GeneratedFile],
    outcomes: &[Outcome],
    started: Instant,
) -> String {
    let lines: usize = files.iter().map(|f| f.contents.lines().count()).sum();
    let changed = outcomes
        .iter()
        .filter(|o| **o != Outcome::Unchanged)
        .count();
    let report = &spec.normalized;
    let normalized = if report.is_empty() {
        String::new()
    } else {
        format!(
            "; normalized: {} changes, {} dropped (`--explain` lists them)",
            report.changes.len(),
            report.dropped.len()
        )
    };
    format!(
        "{}: generated {} files ({lines} lines) from {} in {} ms: {changed} changed, {} unchanged{normalized}",
        api.name,
        files.len(),
        spec.display_path,
        started.elapsed().as_millis(),
        files.len() - changed,
    )
}
