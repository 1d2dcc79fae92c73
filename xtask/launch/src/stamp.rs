//! The stamp's format: what a run read, each file's length and hash.
//!
//! One file, compiled into the launcher and (by `#[path]`) into xtask,
//! which writes what a check read in it: the launcher has no dependencies,
//! so it cannot depend on xtask, and xtask cannot depend on a package that
//! is a workspace of its own.

use std::io;
use std::path::{Path, PathBuf};

/// The variable through which the launcher asks the xtask where to write
/// what it read (a [`Stamp`] without sources or toolchain).
pub const READS_VAR: &str = "XTASK_LAUNCH_READS";

const FORMAT: &str = "xtask-launch stamp 1";

/// FNV-1a, 64 bits: a change detector, not a defence against forgery.
pub fn hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// One file as a run saw it: its path (relative to the workspace root when
/// inside it, with `/`), length and FNV-1a hash (`hash`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub len: u64,
    pub hash: u64,
}

/// The length of an entry for a file that was not there (a run can depend
/// on a file's absence: xtask leaves out an optional crate's manifest).
pub const ABSENT: u64 = u64::MAX;

impl Entry {
    /// The entry of `bytes` read from `path`.
    pub fn of(path: impl Into<String>, bytes: &[u8]) -> Entry {
        Entry {
            path: path.into(),
            len: bytes.len() as u64,
            hash: hash(bytes),
        }
    }

    /// The entry of a file looked for at `path` and not found.
    pub fn absent(path: impl Into<String>) -> Entry {
        Entry {
            path: path.into(),
            len: ABSENT,
            hash: 0,
        }
    }

    /// Whether the file at `root`/`path` holds the same bytes (or is still
    /// not there).
    fn matches(&self, root: &Path) -> bool {
        let path = root.join(&self.path);
        if self.len == ABSENT {
            return std::fs::symlink_metadata(&path).is_err();
        }
        match std::fs::metadata(&path) {
            Ok(meta) if meta.len() == self.len => {
                std::fs::read(&path).is_ok_and(|bytes| hash(&bytes) == self.hash)
            }
            _ => false,
        }
    }
}

/// `path` relative to `root` with `/` when it is inside it, else as given.
pub fn relative(root: &Path, path: &Path) -> String {
    let shown = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = shown
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if shown.is_absolute() {
        shown.to_string_lossy().into_owned()
    } else {
        parts.join("/")
    }
}

/// What a passing run read, and what to print when nothing changed since.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp {
    /// The cargo that built and ran the xtask, with its length and
    /// modification time (a toolchain update replaces it).
    pub toolchain: String,
    /// The line a passing `cargo xtask check` prints.
    pub message: String,
    /// The dep-info file cargo wrote beside the xtask binary (its sources).
    pub dep_info: String,
    pub entries: Vec<Entry>,
}

impl Stamp {
    pub fn render(&self) -> String {
        let one_line = |s: &str| s.replace(['\n', '\r'], " ");
        let mut text = format!(
            "{FORMAT}\ntoolchain {}\nmessage {}\ndep-info {}\n",
            one_line(&self.toolchain),
            one_line(&self.message),
            one_line(&self.dep_info)
        );
        for entry in &self.entries {
            text.push_str(&format!(
                "{:016x} {} {}\n",
                entry.hash,
                entry.len,
                one_line(&entry.path)
            ));
        }
        text
    }

    /// The stamp `text` renders, or `None` for anything else (another
    /// format version, a truncated file).
    pub fn parse(text: &str) -> Option<Stamp> {
        let mut lines = text.lines();
        if lines.next()? != FORMAT {
            return None;
        }
        let mut field = |name: &str| -> Option<String> {
            let line = lines.next()?;
            let value = line.strip_prefix(name)?.strip_prefix(' ')?;
            Some(value.to_string())
        };
        let toolchain = field("toolchain")?;
        let message = field("message")?;
        let dep_info = field("dep-info")?;
        let entries = lines
            .map(|line| {
                let mut parts = line.splitn(3, ' ');
                let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
                let len = parts.next()?.parse().ok()?;
                let path = parts.next()?.to_string();
                Some(Entry { path, len, hash })
            })
            .collect::<Option<Vec<Entry>>>()?;
        Some(Stamp {
            toolchain,
            message,
            dep_info,
            entries,
        })
    }

    /// The stamp at `path`, if there is a readable one.
    pub fn read(path: &Path) -> Option<Stamp> {
        Stamp::parse(&std::fs::read_to_string(path).ok()?)
    }

    /// Writes the stamp to `path` whole or not at all (a sibling temporary
    /// file renamed over it).
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut temporary = path.as_os_str().to_owned();
        temporary.push(format!(".{}.tmp", std::process::id()));
        let temporary = PathBuf::from(temporary);
        std::fs::write(&temporary, self.render())?;
        std::fs::rename(&temporary, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })
    }

    /// Whether a run now, under `toolchain`, would read exactly what this
    /// stamp records.
    pub fn is_fresh(&self, root: &Path, toolchain: &str) -> bool {
        !self.entries.is_empty()
            && self.toolchain == toolchain
            && self.entries.iter().all(|entry| entry.matches(root))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_reads_back_as_written() {
        let stamp = Stamp {
            toolchain: "/bin/cargo 10 20".into(),
            message: "generated files are fresh with openapi/bitgo.yaml".into(),
            dep_info: "/w/target/debug/xtask.d".into(),
            entries: vec![
                Entry::of("openapi/bitgo.yaml", b"openapi: 3.0.0"),
                Entry::of("dir with space/a b.rs", b""),
                Entry::absent("crates/mock/Cargo.toml"),
            ],
        };
        assert_eq!(Stamp::parse(&stamp.render()), Some(stamp.clone()));
        assert_eq!(
            Stamp::parse(&stamp.render().replace("stamp 1", "stamp 0")),
            None
        );
        let text = stamp.render();
        let cut = text.lines().take(2).collect::<Vec<_>>().join("\n");
        assert_eq!(Stamp::parse(&cut), None);
        assert_eq!(Stamp::parse(&text.replace(" 14 ", " x ")), None);
    }

    #[test]
    fn hashes_tell_bytes_apart() {
        assert_ne!(hash(b"ab"), hash(b"ba"));
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(relative(Path::new("/w"), Path::new("/w/a/b.rs")), "a/b.rs");
        assert_eq!(relative(Path::new("/w"), Path::new("/x/b.rs")), "/x/b.rs");
    }
}
