//! The one response model: how progenitor 0.15 sorts an operation's
//! responses into its success set and its error set, and what body each has.
//!
//! progenitor asserts that each set holds one body kind (one JSON schema, or
//! raw bytes, or nothing); two panic inside it. Validation reports such
//! sets, the `response-bodies` pass repairs them, and the diff judges
//! statuses by the set they fall in: all from these functions.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::openapi::resolve::resolve;

/// A set of responses, as progenitor sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Set {
    /// 101, 2xx, `2XX`, and `default` unless a `2XX` range is given.
    Success,
    /// 4xx, 5xx, `4XX`, `5XX`, and `default`.
    Error,
}

impl Set {
    pub fn as_str(self) -> &'static str {
        match self {
            Set::Success => "success",
            Set::Error => "error",
        }
    }
}

impl fmt::Display for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether `status` (a response key) belongs to `set`. `has_success_range`:
/// the operation lists `2XX`, which makes `default` unreachable for success.
pub fn in_set(status: &str, set: Set, has_success_range: bool) -> bool {
    let default = status == "default";
    let first = status.chars().next().unwrap_or('0');
    match set {
        Set::Success => (default && !has_success_range) || first == '2' || status == "101",
        Set::Error => default || first == '4' || first == '5',
    }
}

/// The JSON media type of a content map, as progenitor picks it.
pub fn json_media(content: &Map<String, Value>) -> Option<&String> {
    content
        .keys()
        .find(|m| *m == "application/json" || m.starts_with("application/json;"))
}

/// What progenitor makes of one response's body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Body {
    /// A JSON body; the schema as canonical JSON text.
    Json(String),
    /// Another media type: bytes.
    Raw,
    /// No content.
    None,
}

impl fmt::Display for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Json(schema) => {
                match serde_json::from_str::<Value>(schema)
                    .ok()
                    .as_ref()
                    .and_then(|s| s.as_object())
                    .filter(|s| s.len() == 1)
                    .and_then(|s| s.get("$ref"))
                    .and_then(Value::as_str)
                {
                    Some(reference) => f.write_str(reference),
                    None => write!(f, "an inline schema {schema}"),
                }
            }
            Body::Raw => f.write_str("a non-JSON body"),
            Body::None => f.write_str("no body"),
        }
    }
}

/// The body of a response (already resolved).
pub fn body_of(response: &Value) -> Body {
    match response.get("content").and_then(Value::as_object) {
        None => Body::None,
        Some(content) if content.is_empty() => Body::None,
        Some(content) => match json_media(content) {
            Some(media) => Body::Json(
                content[media]
                    .get("schema")
                    .map(Value::to_string)
                    .unwrap_or_default(),
            ),
            None => Body::Raw,
        },
    }
}

/// The responses of an operation: each status with its response, `$ref`s
/// to `components/responses` followed.
pub fn responses<'a>(doc: &'a Value, operation: &'a Value) -> Vec<(&'a str, &'a Value)> {
    operation
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(status, response)| (status.as_str(), resolve(doc, response)))
        .collect()
}

/// Each set's body kinds, with the statuses that have each.
pub fn sets<'a>(responses: &[(&'a str, &Value)]) -> Vec<(Set, BTreeMap<Body, Vec<&'a str>>)> {
    let has_success_range = responses.iter().any(|(s, _)| *s == "2XX");
    [Set::Success, Set::Error]
        .into_iter()
        .map(|set| {
            let mut kinds: BTreeMap<Body, Vec<&str>> = BTreeMap::new();
            for (status, response) in responses {
                if in_set(status, set, has_success_range) {
                    kinds.entry(body_of(response)).or_default().push(status);
                }
            }
            (set, kinds)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn statuses_fall_in_progenitors_sets() {
        assert!(in_set("200", Set::Success, false));
        assert!(in_set("101", Set::Success, false));
        assert!(in_set("default", Set::Success, false));
        assert!(!in_set("default", Set::Success, true));
        assert!(in_set("default", Set::Error, true));
        assert!(in_set("4XX", Set::Error, false));
        assert!(!in_set("302", Set::Success, false) && !in_set("302", Set::Error, false));
    }

    #[test]
    fn bodies_are_told_apart_and_shown_by_reference() {
        let r = json!({"content": {"application/json; charset=utf-8": {"schema": {"$ref": "#/components/schemas/A"}}}});
        assert_eq!(body_of(&r).to_string(), "#/components/schemas/A");
        let inline = json!({"content": {"application/json": {"schema": {"type": "string"}}}});
        assert_eq!(
            body_of(&inline).to_string(),
            "an inline schema {\"type\":\"string\"}"
        );
        assert_eq!(body_of(&json!({"content": {"text/plain": {}}})), Body::Raw);
        assert_eq!(body_of(&json!({"description": "none"})), Body::None);
        let listed = [("200", &r), ("default", &inline)];
        let found = sets(&listed);
        assert_eq!(found[0].1.len(), 2, "success: 200 and default differ");
        assert_eq!(found[1].1.len(), 1, "error: default alone");
    }
}
