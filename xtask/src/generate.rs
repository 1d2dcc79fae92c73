//! `cargo xtask generate`: run the pipeline and write the generated files.

use std::path::Path;
use std::time::Instant;

use crate::files::{self, Outcome};
use crate::pipeline::{self, SPEC_PATH};

/// Regenerates every generated file of the workspace at `root`, and returns
/// the one summary line to print.
pub fn run(root: &Path) -> Result<String, crate::Error> {
    let started = Instant::now();
    let generated = pipeline::run(root)?;
    let outcomes = files::write_all(root, &generated)?;
    let lines: usize = generated.iter().map(|f| f.contents.lines().count()).sum();
    let changed = outcomes
        .iter()
        .filter(|o| **o != Outcome::Unchanged)
        .count();
    Ok(format!(
        "generated {} files ({lines} lines) from {SPEC_PATH} in {} ms: {changed} changed, {} unchanged",
        generated.len(),
        started.elapsed().as_millis(),
        generated.len() - changed,
    ))
}
