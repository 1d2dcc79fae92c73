//! What both test targets read: the workspace, and its own specs.

use std::path::{Path, PathBuf};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_path_buf()
}

/// `openapi/bitgo.yaml` and every torture spec, in name order.
pub fn own_specs() -> Vec<PathBuf> {
    let root = workspace();
    let mut specs = vec![root.join("openapi/bitgo.yaml")];
    let mut torture: Vec<PathBuf> = std::fs::read_dir(root.join("xtask/tests/torture"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    torture.sort();
    specs.extend(torture);
    specs
}
