//! `cargo xtask diff`: reads the two specs (files, or a git revision and
//! the working tree), and prints the generator library's report.

use std::path::Path;

use openapi_codegen::Document;
use openapi_codegen::diff::{self, Change, Crates};

/// A spec to compare, with the label the report shows.
pub struct Side {
    pub label: String,
    pub document: Document,
}

/// `old()` and `new()`, the first on another thread: the two sides of a
/// diff are read, validated and normalized independently (on BitGo's
/// `api.yaml` each side is ~0.7 s of a 1.5 s diff in a release build).
pub fn both<T: Send>(old: impl FnOnce() -> T + Send, new: impl FnOnce() -> T) -> (T, T) {
    openapi_codegen::threads::beside(true, old, new)
}

/// Reads and validates one spec file; the error is the message to print.
pub fn load_file(path: &Path) -> Result<Side, String> {
    let label = path.display().to_string();
    let document = Document::read(path, &label).map_err(|e| e.to_string())?;
    let document = diff::prepare(document).map_err(|e| e.to_string())?;
    Ok(Side { label, document })
}

/// Loads the spec at `spec_path` (relative to `root`) at `base` (default:
/// the merge-base of HEAD with `main`) and in the working tree of `root`.
pub fn load_git(root: &Path, spec_path: &str, base: Option<&str>) -> Result<(Side, Side), String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    };
    let base = match base {
        Some(rev) => rev.to_string(),
        None => git(&["merge-base", "main", "HEAD"])
            .map_err(|e| {
                format!("{e}\nno merge-base with main: pass --base GIT_REV, or OLD.yaml NEW.yaml")
            })?
            .trim()
            .to_string(),
    };
    let old_text = git(&["show", &format!("{base}:{spec_path}")])?;
    let old_label = format!("{spec_path}@{}", &base[..base.len().min(12)]);
    // The files the old spec refers to, read at the same revision.
    let top = root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", root.display()))?;
    let mut at_base = |path: &Path| -> Result<String, String> {
        let relative = path
            .strip_prefix(&top)
            .map_err(|_| format!("{} is outside the repository", path.display()))?;
        git(&["show", &format!("{base}:{}", relative.display())])
    };
    let (old, new) = both(
        || {
            Document::parse_at(&old_label, &old_text, &top.join(spec_path), &mut at_base)
                .and_then(diff::prepare)
        },
        || Document::read(&root.join(spec_path), spec_path).and_then(diff::prepare),
    );
    let old = old.map_err(|e| e.to_string())?;
    let new = new.map_err(|e| e.to_string())?;
    Ok((
        Side {
            label: old_label,
            document: old,
        },
        Side {
            label: spec_path.to_string(),
            document: new,
        },
    ))
}

/// The changes from `old` to `new`, Rust items named for `crates`.
pub fn compare(old: &Side, new: &Side, crates: &Crates) -> Vec<Change> {
    diff::compare(&old.document.json, &new.document.json, crates)
}

/// What the generated crates leave out, on either side: operations,
/// parameters and responses the normalization drops (the wire diff above
/// compares the specs as written, so these would otherwise go unseen), or
/// a side that does not generate at all.
pub fn generation_notes(old: &Side, new: &Side, api: &crate::config::Api) -> Vec<String> {
    let dropped = |side: &Side| -> Result<Vec<String>, String> {
        openapi_codegen::spec::load(side.document.clone(), &api.load_options(&[]))
            .map(|spec| {
                spec.normalized
                    .dropped
                    .iter()
                    .map(ToString::to_string)
                    .collect()
            })
            .map_err(|e| e.to_string())
    };
    let mut notes = Vec::new();
    match both(|| dropped(old), || dropped(new)) {
        (_, Err(e)) => notes.push(format!("the new spec does not generate: {e}")),
        (Err(_), Ok(now)) => notes.extend(now.into_iter().map(|d| format!("not generated: {d}"))),
        (Ok(before), Ok(now)) => {
            for d in now.iter().filter(|d| !before.contains(d)) {
                notes.push(format!("newly not generated: {d}"));
            }
            for d in before.iter().filter(|d| !now.contains(d)) {
                notes.push(format!("generated again: {d}"));
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::both;

    #[test]
    fn both_sides_come_back_in_order_and_a_panic_on_either_is_the_callers() {
        let here = std::thread::current().id();
        let (old, new) = both(
            || std::thread::current().id(),
            || std::thread::current().id(),
        );
        assert_ne!(old, here, "the old side runs on another thread");
        assert_eq!(new, here);
        assert_eq!(both(|| "old", || "new"), ("old", "new"));
        for old_panics in [true, false] {
            let caught = std::panic::catch_unwind(|| {
                both(
                    || assert!(!old_panics, "old side"),
                    || assert!(old_panics, "new side"),
                )
            });
            let message = caught.unwrap_err();
            let message = message.downcast_ref::<&str>().copied().unwrap_or_default();
            let expected = if old_panics { "old side" } else { "new side" };
            assert_eq!(message, expected);
        }
    }
}
