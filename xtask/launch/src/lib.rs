//! The entry point of `cargo xtask`, and the stamp that answers a warm
//! `cargo xtask check`.
//!
//! `cargo xtask check` regenerates every API of `openapi/apis.toml` in memory
//! and compares the result with the files on disk. Run through `cargo run`
//! in the main workspace, a warm check spent 0.15 s or more, ~80 ms of it
//! cargo loading the workspace (287 locked packages) before anything ran.
//! `.cargo/config.toml`'s alias runs this dependency-free package instead,
//! in a workspace of its own (~20 ms), and:
//!
//! - for exactly `cargo xtask check`, reads the **stamp** of the last run
//!   that passed (`xtask-check.stamp` beside this binary): the length and hash of every file that run read (the API
//!   list, each spec file, each generated file as generated) and of every
//!   source file of the xtask binary that ran it (cargo's dep-info, the
//!   manifests above them, `Cargo.lock`), and the toolchain. When every one
//!   still matches, a check would compare the same bytes with the output of
//!   the same generator: it passes, and the stamp's message is printed;
//! - otherwise runs `cargo run --package xtask -- ARGS` in the main
//!   workspace, exactly as the alias did before. A plain `check` or
//!   `generate` that passes leaves a new stamp.
//!
//! What keeps the stamp honest:
//! - the xtask records the bytes it actually read ([`READS_VAR`]), so an
//!   edit made while it ran is a mismatch on the next check;
//! - a source file modified less than [`SETTLED`] before the launch (or
//!   since) keeps the run from writing a stamp, since cargo may have built
//!   the binary from another version of it;
//! - anything the launcher cannot vouch for (an `XTASK_*` variable, other
//!   arguments, a dep-info path that does not exist) runs the xtask;
//! - CI runs on a fresh clone, where there is no stamp.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

pub mod stamp;

pub use stamp::{Entry, READS_VAR, Stamp, relative};

/// How long before the launch a source file must have been last modified
/// for the run to vouch for it (file systems with 2 s timestamps, and
/// Linux's coarse file clock, round a modification time down).
pub const SETTLED: Duration = Duration::from_secs(2);

/// The cargo running this process (`CARGO`, which `cargo run` sets), with
/// its length and modification time; `"unknown"` without one.
pub fn toolchain() -> String {
    let Some(cargo) = std::env::var_os("CARGO") else {
        return "unknown".to_string();
    };
    let path = PathBuf::from(cargo);
    match std::fs::metadata(&path) {
        Ok(meta) => {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} {} {modified}", path.display(), meta.len())
        }
        Err(_) => format!("{} missing", path.display()),
    }
}

/// The files cargo's dep-info `text` lists (`target: a b\ c`), but those
/// in cargo's registry or git checkouts: their versions are in `Cargo.lock`
/// and cargo never edits them. A relative path is read against `root`.
pub fn dep_info_sources(root: &Path, text: &str) -> Vec<PathBuf> {
    let mut sources = Vec::new();
    for line in text.lines() {
        let Some((_, deps)) = line.split_once(": ") else {
            continue;
        };
        let mut current = String::new();
        let mut chars = deps.chars().peekable();
        let mut flush = |current: &mut String| {
            if !current.is_empty() {
                sources.push(root.join(std::mem::take(current)));
            }
        };
        while let Some(c) = chars.next() {
            match c {
                '\\' if chars.peek() == Some(&' ') => {
                    current.push(' ');
                    chars.next();
                }
                ' ' => flush(&mut current),
                c => current.push(c),
            }
        }
        flush(&mut current);
    }
    sources.retain(|path| !is_pinned(path));
    sources.sort();
    sources.dedup();
    sources
}

/// A file of a crate downloaded by cargo (`…/registry/src/…`, `…/git/checkouts/…`).
fn is_pinned(path: &Path) -> bool {
    let parts: Vec<&std::ffi::OsStr> = path.components().map(|c| c.as_os_str()).collect();
    parts
        .windows(2)
        .any(|w| (w[0] == "registry" && w[1] == "src") || (w[0] == "git" && w[1] == "checkouts"))
}

/// The entries of the generator's sources: the files `dep_info` lists,
/// the `Cargo.toml`s between them and `root`, and `root`'s `Cargo.lock`,
/// cargo configuration and toolchain file. `None` when one is missing or
/// was modified after `settled` (the binary may hold another version).
pub fn sources(root: &Path, dep_info: &Path, settled: SystemTime) -> Option<Vec<Entry>> {
    let text = std::fs::read_to_string(dep_info).ok()?;
    let listed = dep_info_sources(root, &text);
    if listed.is_empty() {
        return None;
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for path in &listed {
        files.push(path.clone());
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| d.starts_with(root)) {
            let manifest = d.join("Cargo.toml");
            if manifest.is_file() {
                files.push(manifest);
            }
            dir = d.parent();
        }
    }
    for name in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
        ".cargo/config",
        "rust-toolchain.toml",
        "rust-toolchain",
    ] {
        let path = root.join(name);
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    files.dedup();
    files
        .iter()
        .map(|path| {
            let modified = std::fs::metadata(path).ok()?.modified().ok()?;
            if modified >= settled {
                return None;
            }
            let bytes = std::fs::read(path).ok()?;
            Some(Entry::of(relative(root, path), &bytes))
        })
        .collect()
}

/// One `cargo xtask ARGS`.
#[derive(Debug, Clone)]
pub struct Launch {
    /// The main workspace.
    pub root: PathBuf,
    /// Where the stamp is kept (beside the launcher's binary).
    pub stamp: PathBuf,
    pub args: Vec<String>,
    /// Whether a variable `XTASK_*` is set (they change what the xtask does).
    pub xtask_vars: bool,
    /// [`toolchain`].
    pub toolchain: String,
    /// When the launch started.
    pub started: SystemTime,
}

/// What [`launch`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launched {
    /// The stamp answered; print this line.
    Fresh(String),
    /// The xtask ran and exited with this code; `stamped` when a new stamp
    /// was written.
    Ran { code: i32, stamped: bool },
}

impl Launch {
    /// A plain `check` or `generate`: the runs a stamp can stand for.
    fn stamps(&self) -> bool {
        !self.xtask_vars && matches!(self.args.as_slice(), [a] if a == "check" || a == "generate")
    }

    fn reads(&self) -> PathBuf {
        self.stamp.with_extension("reads")
    }
}

/// Answers `launch` from its stamp, or runs the xtask with `run`, which
/// gets the path the xtask should write its reads to (for a run that can
/// leave a stamp) and returns the xtask's exit code.
pub fn launch(
    launch: &Launch,
    run: impl FnOnce(Option<&Path>) -> io::Result<i32>,
) -> io::Result<Launched> {
    let stamps = launch.stamps();
    if stamps
        && launch.args == ["check"]
        && let Some(stamp) = Stamp::read(&launch.stamp)
        && stamp.is_fresh(&launch.root, &launch.toolchain)
    {
        return Ok(Launched::Fresh(stamp.message));
    }
    let reads = launch.reads();
    let _ = std::fs::remove_file(&reads);
    if stamps {
        // Whatever this run finds, the old stamp no longer stands for it.
        let _ = std::fs::remove_file(&launch.stamp);
    }
    let code = run(stamps.then_some(reads.as_path()))?;
    let mut stamped = false;
    let settled = launch
        .started
        .checked_sub(SETTLED)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    if stamps
        && code == 0
        && let Some(mut stamp) = Stamp::read(&reads)
        && let Some(sources) = sources(&launch.root, Path::new(&stamp.dep_info), settled)
    {
        stamp.toolchain = launch.toolchain.clone();
        stamp.entries.extend(sources);
        // A stamp that cannot be written costs the next check its speed only.
        stamped = stamp.write(&launch.stamp).is_ok();
    }
    let _ = std::fs::remove_file(&reads);
    Ok(Launched::Ran { code, stamped })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dep_info_paths_unescape_spaces_and_leave_out_downloaded_crates() {
        let text = "/w/target/debug/xtask: /w/src/main.rs /w/a\\ b.rs /home/u/.cargo/registry/src/index/serde-1/src/lib.rs /w/src/main.rs rel.rs\n";
        assert_eq!(
            dep_info_sources(Path::new("/w"), text),
            vec![
                PathBuf::from("/w/a b.rs"),
                PathBuf::from("/w/rel.rs"),
                PathBuf::from("/w/src/main.rs")
            ]
        );
    }

    const AN_HOUR: Duration = Duration::from_secs(3600);

    /// A workspace in a fresh directory: an xtask's sources (an hour
    /// old), its dep-info, an API list and a generated file. Its clock is
    /// stopped at `now`: every launch starts then, every file's time is set
    /// from it.
    struct Workspace {
        root: PathBuf,
        now: SystemTime,
    }

    impl Workspace {
        fn new(name: &str) -> Workspace {
            let root =
                std::env::temp_dir().join(format!("xtask-launch-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            // Where the launcher's binary (and so the stamp) is.
            std::fs::create_dir_all(root.join("target/launch")).unwrap();
            let workspace = Workspace {
                root,
                now: SystemTime::now(),
            };
            for (path, text) in [
                ("Cargo.toml", "[workspace]"),
                ("Cargo.lock", "version = 4"),
                ("xtask/Cargo.toml", "[package]"),
                ("xtask/src/main.rs", "fn main() {}"),
                ("openapi/apis.toml", "[[api]]"),
                ("crates/m/src/generated.rs", "pub struct A;"),
            ] {
                workspace.write(path, text, AN_HOUR);
            }
            let main = workspace.root.join("xtask/src/main.rs");
            workspace.write(
                "target/debug/xtask.d",
                &format!(
                    "{}: {}\n",
                    workspace.root.join("target/debug/xtask").display(),
                    main.display()
                ),
                AN_HOUR,
            );
            workspace
        }

        /// Writes `text` at `path`, last modified `age` ago.
        fn write(&self, path: &str, text: &str, age: Duration) {
            let path = self.root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(self.now - age).unwrap();
        }

        fn launch(&self, args: &[&str]) -> Launch {
            Launch {
                root: self.root.clone(),
                stamp: self.root.join("target/launch/xtask-check.stamp"),
                args: args.iter().map(|a| a.to_string()).collect(),
                xtask_vars: false,
                toolchain: "cargo 1".into(),
                started: self.now,
            }
        }

        /// An xtask that passes, handing over what it read.
        fn passing(&self) -> impl FnOnce(Option<&Path>) -> io::Result<i32> + '_ {
            |reads| {
                if let Some(reads) = reads {
                    let read =
                        |path: &str| Entry::of(path, &std::fs::read(self.root.join(path)).unwrap());
                    Stamp {
                        toolchain: String::new(),
                        message: "generated files are fresh with openapi/a.yaml".into(),
                        dep_info: self.root.join("target/debug/xtask.d").display().to_string(),
                        entries: vec![read("openapi/apis.toml"), read("crates/m/src/generated.rs")],
                    }
                    .write(reads)
                    .unwrap();
                }
                Ok(0)
            }
        }
    }

    impl Drop for Workspace {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }

    /// The xtask must not run.
    fn not_run(_: Option<&Path>) -> io::Result<i32> {
        Err(io::Error::other("the xtask ran"))
    }

    fn fresh() -> Launched {
        Launched::Fresh("generated files are fresh with openapi/a.yaml".into())
    }

    const STAMPED: Launched = Launched::Ran {
        code: 0,
        stamped: true,
    };

    #[test]
    fn a_passing_check_leaves_a_stamp_that_answers_the_next_one() {
        let w = Workspace::new("answers");
        assert_eq!(launch(&w.launch(&["check"]), w.passing()).unwrap(), STAMPED);
        assert_eq!(launch(&w.launch(&["check"]), not_run).unwrap(), fresh());
        assert_eq!(launch(&w.launch(&["check"]), not_run).unwrap(), fresh());
        let stamp = Stamp::read(&w.root.join("target/launch/xtask-check.stamp")).unwrap();
        let paths: Vec<&str> = stamp.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "openapi/apis.toml",
                "crates/m/src/generated.rs",
                "Cargo.lock",
                "Cargo.toml",
                "xtask/Cargo.toml",
                "xtask/src/main.rs"
            ],
            "what the xtask read, then its sources and the manifests above them"
        );
        assert_eq!(stamp.toolchain, "cargo 1");
        assert!(!w.root.join("target/launch/xtask-check.reads").exists());
    }

    #[test]
    fn a_passing_generate_leaves_a_stamp_too() {
        let w = Workspace::new("generate");
        assert_eq!(
            launch(&w.launch(&["generate"]), w.passing()).unwrap(),
            STAMPED
        );
        assert_eq!(launch(&w.launch(&["check"]), not_run).unwrap(), fresh());
    }

    #[test]
    fn any_changed_byte_runs_the_xtask() {
        for (path, text) in [
            ("crates/m/src/generated.rs", "pub struct B;"),
            ("openapi/apis.toml", "[[apj]]"),
            ("xtask/src/main.rs", "fn main() {}\n"),
            ("xtask/Cargo.toml", "[packagE]"),
            ("Cargo.lock", "version = 3"),
        ] {
            let w = Workspace::new("changed");
            assert_eq!(launch(&w.launch(&["check"]), w.passing()).unwrap(), STAMPED);
            w.write(path, text, AN_HOUR);
            assert_eq!(
                launch(&w.launch(&["check"]), |_| Ok(1)).unwrap(),
                Launched::Ran {
                    code: 1,
                    stamped: false
                },
                "{path} changed"
            );
            // The failed check took the stamp with it, even once the change is undone.
            assert!(!w.root.join("target/launch/xtask-check.stamp").exists());
        }
        let w = Workspace::new("removed");
        assert_eq!(launch(&w.launch(&["check"]), w.passing()).unwrap(), STAMPED);
        std::fs::remove_file(w.root.join("crates/m/src/generated.rs")).unwrap();
        assert_eq!(
            launch(&w.launch(&["check"]), |_| Ok(1)).unwrap(),
            Launched::Ran {
                code: 1,
                stamped: false
            }
        );
    }

    #[test]
    fn another_toolchain_runs_the_xtask() {
        let w = Workspace::new("toolchain");
        assert_eq!(launch(&w.launch(&["check"]), w.passing()).unwrap(), STAMPED);
        let mut other = w.launch(&["check"]);
        other.toolchain = "cargo 2".into();
        assert_eq!(launch(&other, w.passing()).unwrap(), STAMPED);
    }

    #[test]
    fn a_source_modified_just_before_the_launch_leaves_no_stamp() {
        let w = Workspace::new("recent");
        w.write("xtask/src/main.rs", "fn main() { }", Duration::ZERO);
        assert_eq!(
            launch(&w.launch(&["check"]), w.passing()).unwrap(),
            Launched::Ran {
                code: 0,
                stamped: false
            },
            "cargo may have built the xtask from the version before"
        );
        w.write("xtask/src/main.rs", "fn main() { }", SETTLED * 2);
        assert_eq!(launch(&w.launch(&["check"]), w.passing()).unwrap(), STAMPED);
    }

    #[test]
    fn without_its_sources_a_run_leaves_no_stamp() {
        let w = Workspace::new("no-dep-info");
        std::fs::remove_file(w.root.join("target/debug/xtask.d")).unwrap();
        assert_eq!(
            launch(&w.launch(&["check"]), w.passing()).unwrap(),
            Launched::Ran {
                code: 0,
                stamped: false
            }
        );
    }

    #[test]
    fn other_arguments_and_xtask_variables_always_run_the_xtask() {
        let w = Workspace::new("other");
        assert_eq!(launch(&w.launch(&["check"]), w.passing()).unwrap(), STAMPED);
        for args in [
            &["check", "--api", "a"][..],
            &["--api", "a", "check"],
            &["diff"],
            &[],
        ] {
            let asked = std::cell::Cell::new(true);
            let ran = launch(&w.launch(args), |reads| {
                asked.set(reads.is_some());
                Ok(0)
            });
            assert_eq!(
                ran.unwrap(),
                Launched::Ran {
                    code: 0,
                    stamped: false
                },
                "{args:?}"
            );
            assert!(!asked.get(), "{args:?}: no reads asked for");
        }
        let mut skipping = w.launch(&["check"]);
        skipping.xtask_vars = true;
        assert_eq!(
            launch(&skipping, |reads| Ok(if reads.is_some() { 3 } else { 0 })).unwrap(),
            Launched::Ran {
                code: 0,
                stamped: false
            }
        );
        // The stamp was left to a plain check.
        assert_eq!(launch(&w.launch(&["check"]), not_run).unwrap(), fresh());
    }
}
