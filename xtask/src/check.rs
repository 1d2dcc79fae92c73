//! `cargo xtask check`: regenerate in memory and compare with the files on disk.

use std::path::Path;

use similar::TextDiff;

use crate::files::{self, GeneratedFile};
use crate::stamp::Reads;

/// One generated file whose contents on disk differ from what the spec generates.
#[derive(Debug)]
pub struct Stale {
    pub path: String,
    pub missing: bool,
    /// A unified diff from the file on disk to the generated contents.
    pub diff: String,
}

/// What `check` found.
#[derive(Debug)]
pub struct Checked {
    /// The specs compared against, and every file read as it was.
    pub reads: Reads,
    /// Generated files that differ; empty when all are fresh.
    pub stale: Vec<Stale>,
}

/// Compares the generated files of the workspace at `root` (of every API,
/// or of the one named `only`) with what their specs generate.
pub fn run(root: &Path, only: Option<&str>) -> Result<Checked, crate::Error> {
    let mut reads = Reads::default();
    let apis = crate::config::load_recorded(root, only, &mut reads.entries)
        .map_err(crate::Error::Config)?;
    let mut stale = Vec::new();
    for api in &apis {
        let generated = crate::budget::run(&api.spec, api.budget, || {
            crate::generate::render(root, api, &Default::default())
        })?;
        if api.strict {
            crate::generate::refuse_drops(&generated.spec)?;
        }
        stale.extend(compare(root, &generated.files)?);
        reads.entries.extend(generated.read);
        for file in &generated.files {
            reads.generated(&file.path, &file.contents);
        }
    }
    reads.specs = apis.into_iter().map(|a| a.spec).collect();
    Ok(Checked { reads, stale })
}

/// The comparison stage on its own, for callers that already generated.
pub fn compare(root: &Path, generated: &[GeneratedFile]) -> Result<Vec<Stale>, crate::Error> {
    let mut stale = Vec::new();
    for file in generated {
        let existing = files::read_existing(root, &file.path)?;
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
            path: file.path.clone(),
            missing: existing.is_none(),
            diff,
        });
    }
    Ok(stale)
}
