//! The one error type: what went wrong, in which file, at which JSON pointer.

use std::fmt;

/// Which stage refused the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file cannot be read, or is not YAML/JSON.
    Read,
    /// The document is not valid OpenAPI 3.0, or uses what the generator
    /// cannot take (and no normalization pass repairs).
    Invalid,
    /// progenitor or typify refused or panicked on a spec that passed validation.
    Generator,
    /// This generator failed: its own stage panicked, or the generated
    /// tokens were not the shape it expects (a bug here).
    Output,
    /// The caller's [`crate::Settings`] cannot make crates (a crate name
    /// that is not a Rust identifier).
    Settings,
}

/// One problem: `file: pointer: message` on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// The spec as the user named it.
    pub file: String,
    /// A JSON pointer (`/paths/~1a/get`), `line L column C` for YAML syntax,
    /// or empty for the whole document.
    pub pointer: String,
    pub message: String,
}

impl Error {
    pub fn new(
        kind: ErrorKind,
        file: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            kind,
            file: file.into(),
            pointer: pointer.into(),
            message: one_line(message.into()),
        }
    }
}

/// A message on one line: what a dependency wrote over several (typify's
/// panics print the schema as indented JSON) joined by single spaces, so
/// that every problem stays one line naming its file and pointer.
pub(crate) fn one_line(message: String) -> String {
    if !message.contains(['\n', '\r']) {
        return message;
    }
    message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{}: {}: {}", self.file, pointer, self.message)
    }
}

impl std::error::Error for Error {}

/// Every problem found, one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(pub Vec<Error>);

impl Errors {
    pub fn one(error: Error) -> Self {
        Errors(vec![error])
    }
}

impl From<Error> for Errors {
    fn from(error: Error) -> Self {
        Errors::one(error)
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_problem_with_the_root_shown_as_slash() {
        let errors = Errors(vec![
            Error::new(ErrorKind::Invalid, "a.yaml", "", "empty"),
            Error::new(ErrorKind::Invalid, "a.yaml", "/paths", "bad"),
        ]);
        assert_eq!(errors.to_string(), "a.yaml: /: empty\na.yaml: /paths: bad");
        let panicked = Error::new(
            ErrorKind::Generator,
            "a.yaml",
            "/components/schemas/A",
            "invalid schema:\n{\n  \"type\": \"object\",\n  \"format\": \"uri-map\"\n}",
        );
        assert_eq!(
            panicked.to_string(),
            "a.yaml: /components/schemas/A: invalid schema: { \"type\": \"object\", \"format\": \"uri-map\" }"
        );
    }
}
