//! The code generator behind `cargo xtask`: one pipeline
//! ([`pipeline`]: load → validate → generate → split → format) and one module
//! per command over it ([`generate`] writes, [`check`] compares, [`diff`]
//! judges a spec change).

pub mod budget;
pub mod check;
pub mod config;
pub mod diff;
pub mod files;
pub mod generate;
pub mod normalize;
pub mod pipeline;
pub mod random;
pub mod scaffold;
pub mod spec;
pub mod synthetic;

/// Anything that stops a command; printed as one line per problem.
#[derive(Debug)]
pub enum Error {
    Pipeline(pipeline::Error),
    Io(std::io::Error),
    /// `openapi/apis.toml` is unreadable, invalid, or lacks the `--api` asked for.
    Config(String),
    /// `--strict`: the normalization passes had to drop these.
    Strict(Vec<String>),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Pipeline(e) => e.fmt(f),
            Error::Io(e) => e.fmt(f),
            Error::Config(message) => f.write_str(message),
            Error::Strict(dropped) => {
                for line in dropped {
                    writeln!(f, "{line}")?;
                }
                write!(
                    f,
                    "--strict: {} dropped; drop --strict to generate without them",
                    dropped.len()
                )
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<pipeline::Error> for Error {
    fn from(e: pipeline::Error) -> Self {
        Error::Pipeline(e)
    }
}

impl From<spec::SpecErrors> for Error {
    fn from(e: spec::SpecErrors) -> Self {
        Error::Pipeline(e.into())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}
