//! `cargo xtask`: the command line over the generator library
//! (`openapi-codegen`). This crate keeps only what a process does: the
//! command line, `openapi/apis.toml`, reading specs and writing or
//! comparing files, budgets, and git. One module per command: [`generate`]
//! writes, [`check`] compares, [`diff`] judges a spec change.

pub mod budget;
pub mod check;
pub mod config;
pub mod diff;
pub mod features;
pub mod files;
pub mod generate;
pub mod random;
pub mod scaffold;
pub mod stamp;
pub mod synthetic;

/// Anything that stops a command; printed as one line per problem.
#[derive(Debug)]
pub enum Error {
    /// The spec is unreadable or invalid, or progenitor could not take it.
    Spec(openapi_codegen::Errors),
    Io(std::io::Error),
    /// `openapi/apis.toml` is unreadable, invalid, or lacks the `--api` asked for.
    Config(String),
    /// `--strict` (or an API's `strict = true`): the normalization passes
    /// had to drop these.
    Strict(Vec<String>),
    /// The round-trip harness did not build or run.
    Harness(String),
    /// A crate's `Cargo.toml` cannot take its generated `[features]` table.
    Manifest(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(e) => e.fmt(f),
            Error::Io(e) => e.fmt(f),
            Error::Config(message) | Error::Harness(message) | Error::Manifest(message) => {
                f.write_str(message)
            }
            Error::Strict(dropped) => {
                for line in dropped {
                    writeln!(f, "{line}")?;
                }
                write!(
                    f,
                    "strict: {} dropped (`--strict`, or `strict = true` in openapi/apis.toml); without it they are warnings",
                    dropped.len()
                )
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<openapi_codegen::Errors> for Error {
    fn from(e: openapi_codegen::Errors) -> Self {
        Error::Spec(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl Error {
    /// Prints the error as `error: …` lines on stderr; the exit code of a
    /// failed command.
    pub fn exit(&self) -> std::process::ExitCode {
        for line in self.to_string().lines() {
            eprintln!("error: {line}");
        }
        std::process::ExitCode::FAILURE
    }
}

/// The passes and output rewrites named in `XTASK_SKIP_PASSES`
/// (comma-separated), which generation leaves out (to see what one repairs).
pub fn skipped_passes() -> Vec<String> {
    std::env::var("XTASK_SKIP_PASSES")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
