//! The one request-body model: which media types progenitor 0.15 sends, how
//! it sends each (its `BodyContentType`, `method.rs` `get_body_param`), and
//! which one of a body's media types the generated client sends. The
//! `request-bodies` pass makes each body one progenitor takes, and the diff
//! compares the body the client sends: both from these functions.

use serde_json::{Map, Value, json};

/// How progenitor sends a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `application/json`: a Rust type of the schema, sent as JSON.
    Json,
    /// `application/x-www-form-urlencoded`: a Rust type of the schema, sent
    /// as flat `name=value` pairs (serde_urlencoded).
    Form,
    /// `application/octet-stream`, `text/plain`, `text/x-markdown`: bytes,
    /// sent as given; the schema makes no type.
    Raw,
}

impl Encoding {
    /// Whether progenitor makes a Rust type of the body's schema.
    pub fn typed(self) -> bool {
        matches!(self, Encoding::Json | Encoding::Form)
    }
}

/// A media type without its parameters (`text/plain; charset=utf-8` →
/// `text/plain`).
pub fn essence(media: &str) -> &str {
    media.split(';').next().unwrap_or_default().trim()
}

/// How progenitor sends a body of `media`; none for a media type it cannot
/// send (`multipart/form-data`, `application/json-patch+json`).
pub fn encoding(media: &str) -> Option<Encoding> {
    match essence(media) {
        "application/json" => Some(Encoding::Json),
        "application/x-www-form-urlencoded" => Some(Encoding::Form),
        "application/octet-stream" | "text/plain" | "text/x-markdown" => Some(Encoding::Raw),
        _ => None,
    }
}

/// The media type the generated client sends of a body's `content`:
/// progenitor takes one, so the JSON one is kept where there are several,
/// else the first it can send; none when it can send none of them.
pub fn sent_media(content: &Map<String, Value>) -> Option<&String> {
    content
        .keys()
        .find(|m| encoding(m) == Some(Encoding::Json))
        .or_else(|| content.keys().find(|m| encoding(m).is_some()))
}

/// The schema progenitor takes for a raw body of `media` (one it sends as
/// given), if it sends that media type so.
pub fn raw_schema(media: &str) -> Option<Value> {
    match essence(media) {
        "application/octet-stream" => Some(json!({"type": "string", "format": "binary"})),
        "text/plain" | "text/x-markdown" => Some(json!({"type": "string"})),
        _ => None,
    }
}

/// Whether progenitor takes `schema` (a `$ref` followed) as the raw body
/// `raw`: the same type and format, and nothing that constrains or
/// changes the string (progenitor's `get_body_param`); annotations may be
/// beside it.
pub fn is_raw_schema(schema: &Value, raw: &Value) -> bool {
    const REFUSED: [&str; 7] = [
        "pattern",
        "enum",
        "minLength",
        "maxLength",
        "default",
        "discriminator",
        "allOf",
    ];
    let Some(schema) = schema.as_object() else {
        return false;
    };
    schema.get("type") == raw.get("type")
        && schema.get("format") == raw.get("format")
        && schema.get("nullable").is_none_or(|n| n == false)
        && !REFUSED.iter().any(|k| schema.contains_key(*k))
        && !["oneOf", "anyOf", "not", "$ref"]
            .iter()
            .any(|k| schema.contains_key(*k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(medias: &[&str]) -> Map<String, Value> {
        medias.iter().map(|m| (m.to_string(), json!({}))).collect()
    }

    #[test]
    fn the_client_sends_the_json_body_else_the_first_it_can_send() {
        let sent = |medias: &[&str]| sent_media(&content(medias)).cloned();
        assert_eq!(
            sent(&["multipart/form-data", "application/json; charset=utf-8"]).as_deref(),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(
            sent(&[
                "multipart/form-data",
                "application/x-www-form-urlencoded",
                "text/plain"
            ])
            .as_deref(),
            Some("application/x-www-form-urlencoded")
        );
        // `application/json-patch+json` is not JSON to progenitor.
        assert_eq!(
            sent(&["application/json-patch+json", "multipart/form-data"]),
            None
        );
        assert_eq!(sent(&[]), None);
    }

    #[test]
    fn json_and_form_bodies_are_typed_and_the_others_sent_as_given() {
        assert_eq!(encoding("application/json"), Some(Encoding::Json));
        assert_eq!(
            encoding("application/x-www-form-urlencoded;charset=utf-8"),
            Some(Encoding::Form)
        );
        assert_eq!(encoding("text/plain; charset=utf-8"), Some(Encoding::Raw));
        assert_eq!(encoding("multipart/form-data"), None);
        assert!(Encoding::Json.typed() && Encoding::Form.typed() && !Encoding::Raw.typed());
        assert_eq!(
            raw_schema("application/octet-stream"),
            Some(json!({"type": "string", "format": "binary"}))
        );
        assert_eq!(raw_schema("application/json"), None);
        let raw = json!({"type": "string"});
        assert!(is_raw_schema(
            &json!({"type": "string", "description": "d"}),
            &raw
        ));
        assert!(!is_raw_schema(
            &json!({"type": "string", "maxLength": 3}),
            &raw
        ));
    }
}
