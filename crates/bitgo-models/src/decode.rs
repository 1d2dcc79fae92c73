//! JSON decoding whose errors name the field that failed.
//!
//! `serde_json` reports *what* was wrong and where in the text; in a nested
//! body the user also needs *which* field: `accessToken.id: doesn't match
//! pattern "^[0-9a-f]{32}$" at line 1 column 52`.

use std::fmt;

use serde::de::DeserializeOwned;

/// A body that does not match its schema.
#[derive(Debug)]
pub struct DecodeError {
    path: String,
    source: serde_json::Error,
}

impl DecodeError {
    /// The dotted path of the failing field (`accessToken.id`, `scope[2]`),
    /// or `.` when the body as a whole is wrong (not JSON, not an object).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The underlying serde_json error, with its line and column.
    pub fn inner(&self) -> &serde_json::Error {
        &self.source
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.source)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Deserializes `T` from JSON bytes, naming the failing field on error.
pub fn from_slice<T: DeserializeOwned>(json: &[u8]) -> Result<T, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(into_error)?;
    deserializer.end().map_err(|source| DecodeError {
        path: ".".to_string(),
        source,
    })?;
    Ok(value)
}

/// Deserializes `T` from a JSON string, naming the failing field on error.
pub fn from_str<T: DeserializeOwned>(json: &str) -> Result<T, DecodeError> {
    from_slice(json.as_bytes())
}

fn into_error(error: serde_path_to_error::Error<serde_json::Error>) -> DecodeError {
    DecodeError {
        path: error.path().to_string(),
        source: error.into_inner(),
    }
}
