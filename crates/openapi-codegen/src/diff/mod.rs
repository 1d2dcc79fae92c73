//! The spec-change engine: what a change to a spec does on the wire and to
//! the generated Rust. Beside `generate`, on the lower layers only.
//!
//! Each change is judged twice, separately:
//! - **wire severity**, from the point of view of a client built from the old
//!   spec: `breaking`, `may-break` or `compatible`, by where the changed
//!   schema is used (requests, responses, or both: the stricter verdict);
//! - **Rust semver** of the generated crates: the items it touches (named by
//!   [`crate::target::naming`]) and the bump the models and client crates need.
//!
//! Every kind of change is a [`rules::Rule`] of one registry.

mod compare;
pub mod report;
pub mod rules;

use std::fmt;
use std::ops::BitOr;

use serde_json::Value;

pub use report::{Summary, json, markdown, summarize};

/// Wire severity, worst last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Compatible,
    MayBreak,
    Breaking,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Compatible => "compatible",
            Severity::MayBreak => "may-break",
            Severity::Breaking => "breaking",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A semver bump, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// Where a schema is reached from: sent by the client, read by it, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Use {
    pub request: bool,
    pub response: bool,
}

impl Use {
    pub const REQUEST: Use = Use {
        request: true,
        response: false,
    };
    pub const RESPONSE: Use = Use {
        request: false,
        response: true,
    };
    pub const BOTH: Use = Use {
        request: true,
        response: true,
    };

    /// The rule's severity here: the stricter of the directions it is used
    /// in; compatible where it is used in none.
    pub fn verdict(self, rule: &rules::Rule) -> Severity {
        let mut worst = Severity::Compatible;
        if self.request {
            worst = worst.max(rule.request);
        }
        if self.response {
            worst = worst.max(rule.response);
        }
        worst
    }
}

impl BitOr for Use {
    type Output = Use;
    fn bitor(self, other: Use) -> Use {
        Use {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }
}

/// The generated crates, as the report names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crates {
    /// The models crate's Rust name (`bitgo_models`).
    pub models: String,
    /// The client crate's Rust name (`bitgo_client`).
    pub client: String,
}

impl Crates {
    /// The package name of a crate (`bitgo_models` → `bitgo-models`).
    pub fn package(name: &str) -> String {
        name.replace('_', "-")
    }
}

/// One change between the two specs: one difference at one place in the
/// spec, with every place it is reached from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The id of its rule, e.g. `required-property-removed`.
    pub kind: &'static str,
    /// The first of `locations`.
    pub location: String,
    /// Where it is reached: `GET /wallets › 200 › logs[].type`,
    /// `GET /wallets › query limit`, or `components › Wallet` for a schema
    /// no operation reaches.
    pub locations: Vec<String>,
    /// The JSON pointer of the changed place (in the new spec; in the old
    /// one for what was removed).
    pub pointer: String,
    /// What changed, in words.
    pub detail: String,
    pub severity: Severity,
    /// The Rust items touched, e.g. `bitgo_models::AccessToken::label`.
    pub rust_items: Vec<String>,
    pub models_bump: Bump,
    pub client_bump: Bump,
}

/// Compares two spec documents (as JSON).
pub fn compare(old: &Value, new: &Value, crates: &Crates) -> Vec<Change> {
    compare::Comparison::new(old, new, crates).run()
}

/// A spec ready to compare: read and validated as a document (the
/// meta-schema, resolvable references), compared as written — the wire is
/// what the spec says, not what the normalization made of it for progenitor.
pub fn prepare(document: crate::Document) -> Result<crate::Document, crate::Errors> {
    let problems = crate::validate::document(&document.json);
    if problems.is_empty() {
        return Ok(document);
    }
    Err(crate::Errors(
        problems
            .into_iter()
            .map(|(pointer, message)| {
                crate::Error::new(crate::ErrorKind::Invalid, &document.file, pointer, message)
            })
            .collect(),
    ))
}
