//! What a passing `check` or `generate` read, handed to `cargo xtask`'s
//! launcher (`xtask/launch`): with it the launcher keeps a stamp that
//! answers the next warm `cargo xtask check` without running the generator.

use std::path::Path;

// The launcher's half of the format (reading a stamp, matching files) is
// used there only.
#[allow(dead_code)]
#[path = "../launch/src/stamp.rs"]
mod format;

pub use format::{Entry, READS_VAR, Stamp, relative};

/// The files a run read (or wrote), each as it was then.
#[derive(Debug, Default)]
pub struct Reads {
    /// The specs the generated files were compared with (or written from).
    pub specs: Vec<String>,
    /// The API list, each spec file, each generated file.
    pub entries: Vec<Entry>,
}

impl Reads {
    /// What a passing `cargo xtask check` prints.
    pub fn message(&self) -> String {
        format!("generated files are fresh with {}", self.specs.join(", "))
    }

    /// Records `contents` as the generated file at `path`.
    pub fn generated(&mut self, path: &str, contents: &str) {
        self.entries.push(Entry::of(path, contents.as_bytes()));
    }

    /// Writes the reads where the launcher asked ([`READS_VAR`]), with the
    /// dep-info cargo wrote beside this binary (its sources). Quietly does
    /// nothing when it was not asked or cannot: the next check runs whole.
    pub fn hand_to_launcher(&self) {
        let (Some(path), Ok(exe)) = (std::env::var_os(READS_VAR), std::env::current_exe()) else {
            return;
        };
        self.write(Path::new(&path), &exe.with_extension("d"));
    }

    fn write(&self, path: &Path, dep_info: &Path) {
        let stamp = Stamp {
            toolchain: String::new(),
            message: self.message(),
            dep_info: dep_info.display().to_string(),
            entries: self.entries.clone(),
        };
        let _ = stamp.write(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_launcher_reads_back_what_was_handed_to_it() {
        let dir = std::env::temp_dir().join(format!("xtask-reads-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut reads = Reads {
            specs: vec!["openapi/a.yaml".into(), "openapi/b.yaml".into()],
            entries: vec![Entry::of("openapi/apis.toml", b"[[api]]")],
        };
        reads.generated("crates/a/src/generated.rs", "// generated");
        let path = dir.join("reads");
        reads.write(&path, Path::new("/t/debug/xtask.d"));
        let stamp = Stamp::read(&path).unwrap();
        assert_eq!(
            stamp.message,
            "generated files are fresh with openapi/a.yaml, openapi/b.yaml"
        );
        assert_eq!(stamp.dep_info, "/t/debug/xtask.d");
        assert_eq!(stamp.entries, reads.entries);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
