//! `cargo xtask generate`: run the pipeline and write the generated files.

use std::path::Path;
use std::time::Instant;

use crate::files::{self, Outcome};
use crate::pipeline::{self, SPEC_PATH};
use crate::spec;

/// Regenerates every generated file of the workspace at `root`, and returns
/// the one summary line to print.
pub fn run(root: &Path) -> Result<String, crate::Error> {
    let started = Instant::now();
    let spec = spec::load(root, SPEC_PATH)?;
    write(&spec, root, started)
}

/// Generates from the spec at `spec_path` into `out` (the generated files at
/// their usual paths below it), for trying or measuring a spec without
/// touching the workspace.
pub fn run_spec(spec_path: &Path, out: &Path) -> Result<String, crate::Error> {
    let started = Instant::now();
    let display = spec_path.display().to_string();
    let text = std::fs::read_to_string(spec_path).map_err(|e| {
        spec::SpecErrors(vec![spec::SpecError {
            file: display.clone(),
            location: String::new(),
            message: format!("cannot read the spec: {e}"),
        }])
    })?;
    let spec = spec::parse(&display, &text)?;
    write(&spec, out, started)
}

fn write(spec: &spec::Spec, root: &Path, started: Instant) -> Result<String, crate::Error> {
    let generated = pipeline::render(spec)?;
    let outcomes = files::write_all(root, &generated)?;
    let lines: usize = generated.iter().map(|f| f.contents.lines().count()).sum();
    let changed = outcomes
        .iter()
        .filter(|o| **o != Outcome::Unchanged)
        .count();
    Ok(format!(
        "generated {} files ({lines} lines) from {} in {} ms: {changed} changed, {} unchanged",
        generated.len(),
        spec.display_path,
        started.elapsed().as_millis(),
        generated.len() - changed,
    ))
}
