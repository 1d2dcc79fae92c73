//! Stage 1 and 2 of the pipeline: load the OpenAPI document and validate it.
//!
//! progenitor and typify panic or silently mis-generate on inputs they do not
//! support, so everything they cannot take is rejected here first, with a
//! location (a JSON pointer, or a line for YAML syntax errors) and a message.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A loaded and validated OpenAPI document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The path as the user sees it, relative to the workspace root.
    pub display_path: String,
    /// Lower-case hex SHA-256 of `text`, recorded in each generated file.
    pub sha256: String,
    /// The document as plain JSON, for the checks the typed model cannot do.
    pub json: Value,
    /// The document as typed OpenAPI 3.0, as progenitor takes it.
    pub openapi: OpenAPI,
    /// What the normalization passes changed or dropped (empty for a spec
    /// that progenitor takes as written).
    pub normalized: crate::normalize::Report,
}

/// One thing wrong with the spec: `file: location: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub file: String,
    /// A JSON pointer (`/paths/~1a/get`), or `line L column C`.
    pub location: String,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = if self.location.is_empty() {
            "/"
        } else {
            &self.location
        };
        write!(f, "{}: {}: {}", self.file, location, self.message)
    }
}

/// All problems found in a spec, reported one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
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

impl std::error::Error for SpecErrors {}

/// Parses and validates `text`; `display_path` names the file in messages.
pub fn parse(display_path: &str, text: &str) -> Result<Spec, SpecErrors> {
    parse_selected(display_path, text, None)
}

/// [`parse`], keeping only the operations `selection` names (when given).
pub fn parse_selected(
    display_path: &str,
    text: &str,
    selection: Option<&crate::config::Selection>,
) -> Result<Spec, SpecErrors> {
    parse_with(display_path, text, selection, crate::normalize::normalize)
}

/// The parser with its normalization stage passed in (the unit tests of the
/// validation run it with none, to see what reaches progenitor unrepaired).
fn parse_with(
    display_path: &str,
    text: &str,
    selection: Option<&crate::config::Selection>,
    normalize: fn(&mut Value) -> crate::normalize::Report,
) -> Result<Spec, SpecErrors> {
    let error = |location: String, message: String| SpecError {
        file: display_path.to_string(),
        location,
        message,
    };
    let mut timer = crate::pipeline::StageTimer::from_env();
    let mut json = parse_yaml(text).map_err(|(loc, msg)| SpecErrors(vec![error(loc, msg)]))?;

    let problems = validate_document(&json);
    if !problems.is_empty() {
        return Err(SpecErrors(
            problems.into_iter().map(|(l, m)| error(l, m)).collect(),
        ));
    }
    if let Some(selection) = selection {
        selection.apply(&mut json);
    }
    timer.stage("read YAML");
    let normalized = normalize(&mut json);
    timer.stage("normalize");

    let openapi: OpenAPI = serde_path_to_error::deserialize(&json).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        let message = e.into_inner().to_string();
        SpecErrors(vec![error(pointer, message)])
    })?;

    let problems = validate_operations(&openapi);
    timer.stage("typed parse and validate");
    if !problems.is_empty() {
        return Err(SpecErrors(
            problems.into_iter().map(|(l, m)| error(l, m)).collect(),
        ));
    }

    Ok(Spec {
        display_path: display_path.to_string(),
        sha256: sha256_hex(text.as_bytes()),
        json,
        openapi,
        normalized,
    })
}

/// Reads `root/relative` and parses it; I/O errors are reported as spec errors
/// too, since the user's fix is the same: point at a readable spec.
pub fn load(root: &Path, relative: &str) -> Result<Spec, SpecErrors> {
    load_selected(root, relative, None)
}

/// [`load`], keeping only the operations `selection` names (when given).
pub fn load_selected(
    root: &Path,
    relative: &str,
    selection: Option<&crate::config::Selection>,
) -> Result<Spec, SpecErrors> {
    let text = std::fs::read_to_string(root.join(relative)).map_err(|e| {
        SpecErrors(vec![SpecError {
            file: relative.to_string(),
            location: String::new(),
            message: format!("cannot read the spec: {e}"),
        }])
    })?;
    parse_selected(relative, &text, selection)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

type Problem = (String, String);

/// YAML text to JSON. Mapping keys that YAML reads as numbers or booleans
/// (`200:` for a status code) become strings, as in the JSON form of OpenAPI.
fn parse_yaml(text: &str) -> Result<Value, Problem> {
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|e| {
        let location = e
            .location()
            .map(|l| format!("line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        let message = e.to_string();
        // serde_norway appends " at line L column C"; the location says it already.
        let message = match message.find(" at line ") {
            Some(at) => message[..at].to_string(),
            None => message,
        };
        (location, format!("invalid YAML: {message}"))
    })?;
    if yaml.is_null() {
        return Err((String::new(), "the document is empty".to_string()));
    }
    yaml_to_json(yaml, &mut Vec::new())
}

fn yaml_to_json(yaml: serde_norway::Value, path: &mut Vec<String>) -> Result<Value, Problem> {
    use serde_norway::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| (pointer(path), format!("{f} is not a JSON number")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                path.push(i.to_string());
                out.push(yaml_to_json(item, path)?);
                path.pop();
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            pointer(path),
                            format!("mapping key {other:?} is not a string"),
                        ));
                    }
                };
                path.push(key.clone());
                let value = yaml_to_json(value, path)?;
                path.pop();
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            return Err((
                pointer(path),
                format!("YAML tag {} is not supported", tagged.tag),
            ));
        }
    })
}

/// Checks on the untyped document: the version, and that every `$ref` resolves.
fn validate_document(json: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !json.is_object() {
        problems.push((
            String::new(),
            "the document is not a mapping; expected an OpenAPI 3.0 object".to_string(),
        ));
        return problems;
    }
    match json.get("openapi") {
        Some(Value::String(v)) if v.trim().starts_with("3.0.") => {}
        Some(Value::String(v)) => problems.push((
            "/openapi".to_string(),
            format!("OpenAPI {v} is not supported; progenitor accepts 3.0.x only"),
        )),
        Some(other) => problems.push((
            "/openapi".to_string(),
            format!("expected a version string such as \"3.0.3\", found {other}"),
        )),
        None => problems.push((
            String::new(),
            "missing `openapi` version field; expected \"3.0.x\"".to_string(),
        )),
    }
    check_refs(json, json, &mut Vec::new(), &mut problems);
    problems
}

fn check_refs(root: &Value, value: &Value, path: &mut Vec<String>, problems: &mut Vec<Problem>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                path.push("$ref".to_string());
                match reference {
                    Value::String(r) => {
                        if let Some(message) = unresolvable(root, r) {
                            problems.push((pointer(path), message));
                        }
                    }
                    other => problems.push((
                        pointer(path),
                        format!("$ref must be a string, found {other}"),
                    )),
                }
                path.pop();
            }
            for (key, child) in map {
                if is_data(path, key) {
                    continue;
                }
                path.push(key.clone());
                check_refs(root, child, path, problems);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                check_refs(root, item, path, problems);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Whether `key` under `path` holds data (an example, a default, enum values)
/// rather than schema, so that a "$ref" key inside it is not a reference.
fn is_data(path: &[String], key: &str) -> bool {
    let parent = path.last().map(String::as_str);
    let grandparent = path.len().checked_sub(2).map(|i| path[i].as_str());
    (matches!(key, "example" | "default" | "enum") && parent != Some("properties"))
        || (key == "value" && grandparent == Some("examples"))
}

fn unresolvable(root: &Value, reference: &str) -> Option<String> {
    let Some(target) = reference.strip_prefix('#') else {
        return Some(format!(
            "$ref {reference:?} points outside this file; only local references (\"#/...\") are supported"
        ));
    };
    if root.pointer(target).is_some() {
        None
    } else {
        Some(format!(
            "$ref {reference:?} does not resolve: nothing at {target:?}"
        ))
    }
}

/// Checks on the typed document for what progenitor 0.15 cannot take.
fn validate_operations(openapi: &OpenAPI) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut operation_ids: BTreeMap<&str, String> = BTreeMap::new();
    let schemes: BTreeSet<&str> = openapi
        .components
        .as_ref()
        .map(|c| c.security_schemes.keys().map(String::as_str).collect())
        .unwrap_or_default();

    for (path, item) in openapi.paths.paths.iter() {
        let item_pointer = pointer(&["paths".to_string(), path.clone()]);
        let ReferenceOr::Item(item) = item else {
            problems.push((
                item_pointer,
                "a path item given as a $ref is not supported; write the operations inline"
                    .to_string(),
            ));
            continue;
        };
        for (method, operation) in item.iter() {
            let op_pointer = format!("{item_pointer}/{method}");
            match operation.operation_id.as_deref() {
                None | Some("") => problems.push((
                    op_pointer.clone(),
                    "missing operationId; progenitor names the client method after it".to_string(),
                )),
                Some(id) => {
                    if let Some(first) = operation_ids.get(id) {
                        problems.push((
                            format!("{op_pointer}/operationId"),
                            format!("duplicate operationId {id:?}; it is already used at {first}"),
                        ));
                    } else {
                        operation_ids.insert(id, op_pointer.clone());
                    }
                }
            }
            check_responses(openapi, operation, &op_pointer, &mut problems);
            for (i, requirement) in operation.security.iter().flatten().enumerate() {
                for name in requirement.keys() {
                    if !schemes.contains(name.as_str()) {
                        problems.push((
                            format!("{op_pointer}/security/{i}"),
                            format!("security scheme {name:?} is not defined in components.securitySchemes"),
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// What progenitor makes of one response: a typed body, another media type, or nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum BodyKind {
    Json(String),
    Raw,
    None,
}

impl fmt::Display for BodyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyKind::Json(schema) => f.write_str(schema),
            BodyKind::Raw => f.write_str("a non-JSON body"),
            BodyKind::None => f.write_str("no body"),
        }
    }
}

/// progenitor asserts that an operation's success responses (2xx and
/// `default`) share one body kind, and so do its error responses (4xx, 5xx
/// and `default`); two different ones panic inside it.
fn check_responses(
    openapi: &OpenAPI,
    operation: &openapiv3::Operation,
    op_pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let mut success: BTreeMap<BodyKind, Vec<String>> = BTreeMap::new();
    let mut errors: BTreeMap<BodyKind, Vec<String>> = BTreeMap::new();
    let mut has_success_range = false;
    let mut entries = Vec::new();
    if let Some(default) = &operation.responses.default {
        entries.push(("default".to_string(), None, default));
    }
    for (status, response) in &operation.responses.responses {
        let code = match status {
            StatusCode::Code(c) => Some(*c),
            StatusCode::Range(r) => {
                has_success_range |= *r == 2;
                Some(r * 100)
            }
        };
        entries.push((status.to_string(), code, response));
    }

    for (status, code, response) in entries {
        let response_pointer = format!("{op_pointer}/responses/{status}");
        let response = match response {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { reference } => {
                match reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| openapi.components.as_ref()?.responses.get(name))
                {
                    Some(ReferenceOr::Item(r)) => r,
                    _ => {
                        problems.push((
                            response_pointer,
                            format!("response $ref {reference:?} must name an inline response in components.responses"),
                        ));
                        continue;
                    }
                }
            }
        };
        let json = response.content.iter().find(|(media, _)| {
            *media == "application/json" || media.starts_with("application/json;")
        });
        let kind = match json {
            Some((media, media_type)) => {
                let media_pointer = format!("{response_pointer}/content/{}", escape(media));
                if !media_type.encoding.is_empty() {
                    problems.push((
                        format!("{media_pointer}/encoding"),
                        "`encoding` on a JSON response is not supported".to_string(),
                    ));
                    continue;
                }
                match &media_type.schema {
                    None => {
                        problems.push((
                            media_pointer,
                            "a JSON response needs a schema; progenitor cannot type it without one"
                                .to_string(),
                        ));
                        continue;
                    }
                    Some(ReferenceOr::Reference { reference }) => BodyKind::Json(reference.clone()),
                    Some(ReferenceOr::Item(schema)) => BodyKind::Json(format!(
                        "an inline schema {}",
                        serde_json::to_string(schema).unwrap_or_default()
                    )),
                }
            }
            None if response.content.is_empty() => BodyKind::None,
            None => BodyKind::Raw,
        };
        let is_default = code.is_none();
        let is_success = is_default || matches!(code, Some(101 | 200..=299));
        let is_error = is_default || matches!(code, Some(400..=599));
        // A 2XX range makes a `default` unreachable for success: progenitor drops it there.
        if is_success && !(is_default && has_success_range) {
            success
                .entry(kind.clone())
                .or_default()
                .push(status.clone());
        }
        if is_error {
            errors.entry(kind).or_default().push(status);
        }
    }

    for (set, kinds) in [("success", success), ("error", errors)] {
        if kinds.len() > 1 {
            let described = kinds
                .iter()
                .map(|(kind, statuses)| format!("{} -> {}", statuses.join(", "), kind))
                .collect::<Vec<_>>()
                .join("; ");
            problems.push((
                format!("{op_pointer}/responses"),
                format!(
                    "the {set} responses have {} different bodies ({described}); progenitor supports one {set} body schema per operation",
                    kinds.len()
                ),
            ));
        }
    }
}

/// RFC 6901 escaping of one pointer segment.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn pointer(segments: &[String]) -> String {
    segments.iter().map(|s| format!("/{}", escape(s))).collect()
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    pointer(&segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        200:
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/A"}
components:
  schemas:
    A: {type: object}
    E: {type: object}
"##;

    /// The validation's verdict on `text` as written (no normalization):
    /// the last line of defence before progenitor.
    fn errors(text: &str) -> Vec<String> {
        match parse_with("spec.yaml", text, None, |_| Default::default()) {
            Ok(_) => Vec::new(),
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn normalization_repairs_what_the_validation_refuses() {
        let two_error_bodies = MINIMAL.replace(
            "components:",
            "        400:\n          description: bad\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/E\"}\n        401:\n          description: unauthorized\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/A\"}\ncomponents:",
        );
        assert_eq!(errors(&two_error_bodies).len(), 1);
        let spec = parse("spec.yaml", &two_error_bodies).unwrap();
        assert_eq!(spec.normalized.changes.len(), 1, "{:?}", spec.normalized);
        assert!(
            spec.json
                .pointer("/components/schemas/GetAError/oneOf")
                .is_some()
        );
    }

    #[test]
    fn minimal_spec_is_valid_and_numeric_status_keys_are_read() {
        let spec = parse("spec.yaml", MINIMAL).unwrap();
        assert_eq!(spec.sha256.len(), 64);
        assert!(spec.json.pointer("/paths/~1a/get/responses/200").is_some());
    }

    #[test]
    fn yaml_syntax_error_names_the_line() {
        assert_eq!(
            errors("openapi: 3.0.3\ninfo: [unclosed\n"),
            ["spec.yaml: line 3 column 1: invalid YAML: did not find expected ',' or ']'"]
                .map(String::from)
        );
    }

    #[test]
    fn openapi_31_is_refused() {
        let text = MINIMAL.replace("openapi: 3.0.3", "openapi: 3.1.0");
        assert_eq!(
            errors(&text),
            ["spec.yaml: /openapi: OpenAPI 3.1.0 is not supported; progenitor accepts 3.0.x only"]
        );
    }

    #[test]
    fn missing_and_duplicate_operation_ids() {
        let missing = MINIMAL.replace("      operationId: getA\n", "");
        assert_eq!(
            errors(&missing),
            [
                "spec.yaml: /paths/~1a/get: missing operationId; progenitor names the client method after it"
            ]
        );
        let duplicate = MINIMAL.replace(
            "components:",
            "  /b:\n    get:\n      operationId: getA\n      responses:\n        204: {description: none}\ncomponents:",
        );
        assert_eq!(
            errors(&duplicate),
            [
                "spec.yaml: /paths/~1b/get/operationId: duplicate operationId \"getA\"; it is already used at /paths/~1a/get"
            ]
        );
    }

    #[test]
    fn dangling_and_external_refs() {
        let dangling = MINIMAL.replace("schemas/A\"}", "schemas/Nope\"}");
        assert_eq!(
            errors(&dangling),
            [
                "spec.yaml: /paths/~1a/get/responses/200/content/application~1json/schema/$ref: $ref \"#/components/schemas/Nope\" does not resolve: nothing at \"/components/schemas/Nope\""
            ]
        );
        let external = MINIMAL.replace("\"#/components/schemas/A\"", "\"other.yaml#/A\"");
        assert_eq!(errors(&external).len(), 1);
        assert!(errors(&external)[0].contains("points outside this file"));
    }

    #[test]
    fn two_error_bodies_are_refused() {
        let text = MINIMAL.replace(
            "components:",
            "        400:\n          description: bad\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/E\"}\n        401:\n          description: unauthorized\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/A\"}\ncomponents:",
        );
        assert_eq!(
            errors(&text),
            [
                "spec.yaml: /paths/~1a/get/responses: the error responses have 2 different bodies (401 -> #/components/schemas/A; 400 -> #/components/schemas/E); progenitor supports one error body schema per operation"
            ]
        );
    }

    #[test]
    fn same_error_body_twice_is_fine_and_default_counts_in_both_sets() {
        let text = MINIMAL.replace(
            "components:",
            "        400:\n          description: bad\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/E\"}\n        401:\n          description: unauthorized\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/E\"}\ncomponents:",
        );
        assert!(errors(&text).is_empty());
        let with_default = MINIMAL.replace(
            "components:",
            "        default:\n          description: other\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/E\"}\ncomponents:",
        );
        let found = errors(&with_default);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("the success responses have 2 different bodies"));
    }

    #[test]
    fn json_response_without_schema_is_refused() {
        let text = MINIMAL.replace(
            "              schema: {$ref: \"#/components/schemas/A\"}\n",
            "",
        );
        let text = text.replace("application/json:\n", "application/json: {}\n");
        assert_eq!(
            errors(&text),
            [
                "spec.yaml: /paths/~1a/get/responses/200/content/application~1json: a JSON response needs a schema; progenitor cannot type it without one"
            ]
        );
    }

    #[test]
    fn typed_errors_carry_a_pointer() {
        let text = MINIMAL.replace("A: {type: object}", "A: {type: object, required: 7}");
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("spec.yaml: /components/schemas/A"),
            "{found:?}"
        );
    }

    #[test]
    fn non_mapping_documents_are_refused() {
        assert_eq!(errors(""), ["spec.yaml: /: the document is empty"]);
        assert_eq!(
            errors("- a\n- b\n"),
            ["spec.yaml: /: the document is not a mapping; expected an OpenAPI 3.0 object"]
        );
    }
}
