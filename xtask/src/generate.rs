//! `cargo xtask generate`: run the pipeline for each API and write the
//! generated files, all at once or none.

use std::path::Path;
use std::time::Instant;

use crate::config::{self, Api};
use crate::files::{self, Outcome};
use crate::pipeline::{self, GeneratedFile};
use crate::scaffold;
use crate::spec::{self, Spec};

/// What `generate` was asked for besides the files.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only the API of this name (`--api`).
    pub only: Option<String>,
    /// List every change the normalization passes made (`--explain`).
    pub explain: bool,
    /// Fail when anything had to be dropped (`--strict`).
    pub strict: bool,
}

/// What to print: `stdout` lines (summaries, `--explain`) and `stderr`
/// lines (warnings about dropped operations).
#[derive(Debug, Default)]
pub struct Printed {
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
}

/// Regenerates every generated file of the workspace at `root`.
pub fn run(root: &Path, options: &Options) -> Result<Printed, crate::Error> {
    let apis = config::load(root, options.only.as_deref()).map_err(crate::Error::Config)?;
    let mut printed = Printed::default();
    let mut files = Vec::new();
    let mut scaffolded = Vec::new();
    let mut summaries = Vec::new();
    for api in &apis {
        let started = Instant::now();
        let (spec, generated) = crate::budget::run(&api.spec, api.budget, || {
            let spec = spec::load_selected(root, &api.spec, api.operations.as_ref())?;
            let generated = pipeline::render(&spec, api)?;
            Ok::<_, crate::Error>((spec, generated))
        })?;
        report_normalization(&spec, options, &mut printed)?;
        for file in scaffold::crate_files(api) {
            if !root.join(&file.path).exists() {
                printed.stderr.push(format!(
                    "note: scaffolded {} (hand-written from now on; add new crates to the workspace members)",
                    file.path
                ));
                scaffolded.push(file);
            }
        }
        summaries.push((api, spec, generated.len(), started));
        files.extend(generated);
    }
    // Written together, after every API generated: a failure leaves the tree
    // as it was. The generated files come first, in API order, for the summaries.
    let generated_count = files.len();
    files.extend(scaffolded);
    let outcomes = files::write_all(root, &files)?;
    let (files, outcomes) = (&files[..generated_count], &outcomes[..generated_count]);
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
    let started = Instant::now();
    let api = Api::standalone(spec_path);
    let display = spec_path.display().to_string();
    let text = std::fs::read_to_string(spec_path).map_err(|e| {
        spec::SpecErrors(vec![spec::SpecError {
            file: display.clone(),
            location: String::new(),
            message: format!("cannot read the spec: {e}"),
        }])
    })?;
    let (spec, generated) = crate::budget::run(&display, api.budget, || {
        let spec = spec::parse(&display, &text)?;
        let generated = pipeline::render(&spec, &api)?;
        Ok::<_, crate::Error>((spec, generated))
    })?;
    let mut printed = Printed::default();
    report_normalization(&spec, options, &mut printed)?;
    let count = generated.len();
    let mut files = generated;
    for file in scaffold::crate_files(&api)
        .into_iter()
        .chain([scaffold::workspace_file(&api)])
    {
        if !out.join(&file.path).exists() {
            files.push(file);
        }
    }
    let outcomes = files::write_all(out, &files)?;
    printed.stdout.push(summary(
        &api,
        &spec,
        &files[..count],
        &outcomes[..count],
        started,
    ));
    Ok(printed)
}

/// `--explain` lists every change; dropped items are always warned about,
/// and with `--strict` they fail the run.
fn report_normalization(
    spec: &Spec,
    options: &Options,
    printed: &mut Printed,
) -> Result<(), crate::Error> {
    let report = &spec.normalized;
    if options.explain {
        for change in report.changes.iter().chain(&report.dropped) {
            printed
                .stdout
                .push(format!("{}: {change}", spec.display_path));
        }
    }
    if options.strict && !report.dropped.is_empty() {
        return Err(crate::Error::Strict(
            report
                .dropped
                .iter()
                .map(|d| format!("{}: {d}", spec.display_path))
                .collect(),
        ));
    }
    for dropped in &report.dropped {
        printed
            .stderr
            .push(format!("warning: {}: {dropped}", spec.display_path));
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
