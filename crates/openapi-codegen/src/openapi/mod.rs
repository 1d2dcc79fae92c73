//! Layer 1: OpenAPI 3.0 knowledge, independent of any code generator.
//! Reading a document, pointers, the one walk and its rule for what is data,
//! the one `$ref` resolver, a schema's object side (`view`), the operations,
//! and selecting some of them.

pub mod bundle;
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

    /// Reads the file at `path`; `file` names it in messages. The files it
    /// refers to are brought in ([`bundle`]); its hash covers them too.
    pub fn read(path: &std::path::Path, file: &str) -> Result<Document, Errors> {
        Document::read_with(path, file, &mut |path| {
            std::fs::read_to_string(path).map_err(|e| e.to_string())
        })
    }

    /// [`Document::read`], reading the file and those it refers to with
    /// `read` (`cargo xtask` records what a check read).
    pub fn read_with(
        path: &std::path::Path,
        file: &str,
        read: &mut bundle::Reader<'_>,
    ) -> Result<Document, Errors> {
        let text = read(path).map_err(|e| {
            Errors::one(Error::new(
                ErrorKind::Read,
                file,
                "",
                format!("cannot read the spec: {e}"),
            ))
        })?;
        Document::parse_at(file, &text, path, read)
    }

    /// [`Document::parse`] of the text of the file at `path`, with the
    /// files it refers to read by `read` ([`bundle`]); its hash covers them.
    pub fn parse_at(
        file: &str,
        text: &str,
        path: &std::path::Path,
        read: &mut bundle::Reader<'_>,
    ) -> Result<Document, Errors> {
        let mut document = Document::parse(file, text)?;
        if bundle::has_external_refs(&document.json) {
            let files = bundle::bundle_with(&mut document.json, path, read).map_err(
                |(pointer, message)| {
                    Errors::one(Error::new(ErrorKind::Read, file, pointer, message))
                },
            )?;
            document.sha256 = bundle::sha256_of(text, path, &files);
        }
        Ok(document)
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
/// The keywords of a schema's object side.
pub const OBJECT_KEYWORDS: [&str; 5] = [
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
];

/// What [`exclusive_bounds_as_draft4`] did to one exclusive bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundRewrite {
    /// `exclusiveX: false`, the default, removed.
    DefaultRemoved,
    /// `exclusiveX: true` without its bound, which bounds nothing, removed.
    UnboundedRemoved,
    /// JSON Schema 2019's numeric `exclusiveX: n` as draft 4's `x: n` with
    /// `exclusiveX: true`, or dropped where the inclusive bound beside it
    /// is the stricter.
    Numeric,
}

/// OpenAPI 3.0 (draft 4) form of a schema's `exclusiveMinimum` and
/// `exclusiveMaximum`, whichever form they are written in: the keyword and
/// what was done to it, for each one changed.
pub fn exclusive_bounds_as_draft4(
    schema: &mut serde_json::Map<String, Value>,
) -> Vec<(&'static str, &'static str, BoundRewrite)> {
    let mut done = Vec::new();
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        let rewrite = match schema.get(flag) {
            Some(Value::Bool(false)) => {
                schema.remove(flag);
                BoundRewrite::DefaultRemoved
            }
            Some(Value::Bool(true)) if !schema.contains_key(bound) => {
                schema.remove(flag);
                BoundRewrite::UnboundedRemoved
            }
            Some(Value::Number(n)) => {
                let n = n.clone();
                // Both bounds apply: the stricter stays.
                let exclusive_is_stricter = match schema.get(bound).and_then(Value::as_f64) {
                    None => true,
                    Some(inclusive) => {
                        let x = n.as_f64().unwrap_or_default();
                        if flag == "exclusiveMinimum" {
                            x >= inclusive
                        } else {
                            x <= inclusive
                        }
                    }
                };
                if exclusive_is_stricter {
                    schema.insert(flag.to_string(), Value::Bool(true));
                    schema.insert(bound.to_string(), Value::Number(n));
                } else {
                    schema.remove(flag);
                }
                BoundRewrite::Numeric
            }
            _ => continue,
        };
        done.push((flag, bound, rewrite));
    }
    done
}

pub fn is_composition(schema: &serde_json::Map<String, Value>) -> bool {
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| schema.contains_key(*k))
}
