//! Layer 1: OpenAPI 3.0 knowledge, independent of any code generator.
//! Reading a document, pointers, the one walk and its rule for what is data,
//! the one `$ref` resolver, a schema's object side (`view`), the operations,
//! and selecting some of them.

pub mod operations;
pub mod pointer;
pub mod resolve;
pub mod select;
pub mod view;
pub mod walk;
pub mod yaml;

use serde_json::Value;

use crate::error::{Error, ErrorKind, Errors};

/// A spec as read: its name, its hash and its JSON form.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the user named it; every message starts with it.
    pub file: String,
    /// Lower-case hex SHA-256 of the text, recorded in each generated file.
    pub sha256: String,
    /// The document as JSON (YAML's numeric status keys as strings).
    pub json: Value,
}

impl Document {
    /// Reads `text` (YAML or JSON); `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<Document, Errors> {
        let json = yaml::to_json(text).map_err(|(pointer, message)| {
            Errors::one(Error::new(ErrorKind::Read, file, pointer, message))
        })?;
        Ok(Document {
            file: file.to_string(),
            sha256: yaml::sha256_hex(text.as_bytes()),
            json,
        })
    }

    /// Reads the file at `path`; `file` names it in messages.
    pub fn read(path: &std::path::Path, file: &str) -> Result<Document, Errors> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Errors::one(Error::new(
                ErrorKind::Read,
                file,
                "",
                format!("cannot read the spec: {e}"),
            ))
        })?;
        Document::parse(file, &text)
    }
}

/// Keywords that only describe a schema; dropping them never changes a type.
pub const ANNOTATIONS: [&str; 8] = [
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

/// Whether a schema composes others (`allOf`, `oneOf`, `anyOf`).
pub fn is_composition(schema: &serde_json::Map<String, Value>) -> bool {
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| schema.contains_key(*k))
}
