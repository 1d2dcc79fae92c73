//! Reading and writing the generated files, so that a failed run leaves the tree as it was.

use std::io;
use std::path::{Path, PathBuf};

/// One file the generator owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the workspace root, with `/` separators.
    pub path: String,
    pub contents: String,
}

/// What writing one file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    Updated,
    Created,
}

/// The file's current contents, or `None` when it does not exist.
pub fn read_existing(root: &Path, relative: &str) -> io::Result<Option<String>> {
    match std::fs::read_to_string(root.join(relative)) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io::Error::new(e.kind(), format!("{relative}: {e}"))),
    }
}

/// Writes every file whose contents changed. Each is first written in full to
/// a temporary file beside it; only when all of them are written are they
/// renamed into place, so an error leaves every generated file as it was.
pub fn write_all(root: &Path, files: &[GeneratedFile]) -> io::Result<Vec<Outcome>> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let outcomes = match stage(root, files, &mut staged) {
        Ok(outcomes) => outcomes,
        Err(e) => {
            discard(&staged);
            return Err(e);
        }
    };
    for (i, (temporary, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(temporary, target) {
            discard(&staged[i..]);
            return Err(io::Error::new(
                e.kind(),
                format!("{}: {e}", target.display()),
            ));
        }
    }
    Ok(outcomes)
}

/// Writes each changed file to its temporary path, recording it in `staged`.
fn stage(
    root: &Path,
    files: &[GeneratedFile],
    staged: &mut Vec<(PathBuf, PathBuf)>,
) -> io::Result<Vec<Outcome>> {
    let mut outcomes = Vec::with_capacity(files.len());
    for file in files {
        let target = root.join(&file.path);
        let outcome = match read_existing(root, &file.path)? {
            Some(existing) if existing == file.contents => Outcome::Unchanged,
            Some(_) => Outcome::Updated,
            None => Outcome::Created,
        };
        outcomes.push(outcome);
        if outcome == Outcome::Unchanged {
            continue;
        }
        let temporary = temporary_path(&target);
        let written = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&temporary, &file.contents));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temporary);
            return Err(io::Error::new(e.kind(), format!("{}: {e}", file.path)));
        }
        staged.push((temporary, target));
    }
    Ok(outcomes)
}

fn temporary_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    target.with_file_name(name)
}

fn discard(staged: &[(PathBuf, PathBuf)]) {
    for (temporary, _) in staged {
        let _ = std::fs::remove_file(temporary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_only_what_changed_and_leaves_no_temporary_files() {
        let root = scratch("changed");
        std::fs::write(root.join("same.rs"), "same").unwrap();
        std::fs::write(root.join("old.rs"), "old").unwrap();
        let files = [
            GeneratedFile {
                path: "same.rs".to_string(),
                contents: "same".into(),
            },
            GeneratedFile {
                path: "old.rs".to_string(),
                contents: "new".into(),
            },
            GeneratedFile {
                path: "sub/fresh.rs".to_string(),
                contents: "fresh".into(),
            },
        ];
        let outcomes = write_all(&root, &files).unwrap();
        assert_eq!(
            outcomes,
            [Outcome::Unchanged, Outcome::Updated, Outcome::Created]
        );
        assert_eq!(std::fs::read_to_string(root.join("old.rs")).unwrap(), "new");
        assert_eq!(
            std::fs::read_to_string(root.join("sub/fresh.rs")).unwrap(),
            "fresh"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let root = scratch("failed");
        std::fs::write(root.join("a.rs"), "old a").unwrap();
        // A regular file where a directory must be: the second write fails.
        std::fs::write(root.join("blocked"), "").unwrap();
        let files = [
            GeneratedFile {
                path: "a.rs".to_string(),
                contents: "new a".into(),
            },
            GeneratedFile {
                path: "blocked/b.rs".to_string(),
                contents: "b".into(),
            },
        ];
        let error = write_all(&root, &files).unwrap_err();
        assert!(error.to_string().starts_with("blocked/b.rs: "), "{error}");
        assert_eq!(std::fs::read_to_string(root.join("a.rs")).unwrap(), "old a");
        let names: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "temporary files left behind: {names:?}");
        std::fs::remove_dir_all(root).unwrap();
    }
}
