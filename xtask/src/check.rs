//! `cargo xtask check`: regenerate in memory and compare with the files on disk.

use std::path::Path;

use similar::TextDiff;

use crate::files;
use crate::pipeline::{self, GeneratedFile};

/// One generated file whose contents on disk differ from what the spec generates.
#[derive(Debug)]
pub struct Stale {
    pub path: &'static str,
    pub missing: bool,
    /// A unified diff from the file on disk to the generated contents.
    pub diff: String,
}

/// Returns the stale files of the workspace at `root`; empty when all are fresh.
pub fn run(root: &Path) -> Result<Vec<Stale>, crate::Error> {
    let generated = pipeline::run(root)?;
    compare(root, &generated)
}

/// The comparison stage on its own, for callers that already ran the pipeline.
pub fn compare(root: &Path, generated: &[GeneratedFile]) -> Result<Vec<Stale>, crate::Error> {
    let mut stale = Vec::new();
    for file in generated {
        let existing = files::read_existing(root, file.path)?;
        if existing.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        let old = existing.as_deref().unwrap_or("");
        let diff = TextDiff::from_lines(old, &file.contents)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
            .to_string();
        stale.push(Stale {
            path: file.path,
            missing: existing.is_none(),
            diff,
        });
    }
    Ok(stale)
}
