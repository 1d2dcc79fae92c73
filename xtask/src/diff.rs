//! `cargo xtask diff`: what a spec change does on the wire and to the Rust API.
//!
//! Each change is judged twice, separately:
//! - **wire severity**, from the point of view of a client built from the old
//!   spec, as oasdiff judges it: `breaking`, `may-break` or `compatible`, with
//!   the direction (request or response) taken into account;
//! - **Rust semver** of the generated crates: the items it touches and the bump
//!   that `bitgo-models` and `bitgo-client` need. Making a response property
//!   required is wire-compatible, yet its Rust field changes type: a major bump.
//!
//! The rules run over the specs as JSON (after the same validation as
//! `generate`), with `$ref`s followed, so that one walk serves parameters,
//! responses and schemas alike.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::spec::Spec;

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

/// Whether a schema is read by the client (response) or written (request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    Request,
    Response,
}

/// One change between the two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// A stable identifier of the rule, e.g. `response-property-removed`.
    pub kind: &'static str,
    /// Where, as `GET /path` or `Schema.property`.
    pub location: String,
    /// What changed, in words.
    pub detail: String,
    pub severity: Severity,
    /// The Rust items touched, e.g. `bitgo_models::AccessToken::label`.
    pub rust_items: Vec<String>,
    pub models_bump: Bump,
    pub client_bump: Bump,
}

/// A labelled spec: `(label, spec)`.
pub type Labelled = (String, Spec);

/// Loads two spec files; the error is the message to print.
pub fn load_files(
    old: &std::path::Path,
    new: &std::path::Path,
) -> Result<(Labelled, Labelled), String> {
    let load = |path: &std::path::Path| -> Result<Labelled, String> {
        let label = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{label}: cannot read: {e}"))?;
        let spec = crate::spec::parse(&label, &text).map_err(|e| e.to_string())?;
        Ok((label, spec))
    };
    Ok((load(old)?, load(new)?))
}

/// Loads the spec at `spec_path` (relative to `root`) at `base` (default:
/// the merge-base of HEAD with `main`) and in the working tree of `root`.
pub fn load_git(
    root: &std::path::Path,
    spec_path: &str,
    base: Option<&str>,
) -> Result<(Labelled, Labelled), String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    };
    let base = match base {
        Some(rev) => rev.to_string(),
        None => git(&["merge-base", "main", "HEAD"])
            .map_err(|e| {
                format!("{e}\nno merge-base with main: pass --base GIT_REV, or OLD.yaml NEW.yaml")
            })?
            .trim()
            .to_string(),
    };
    let old_text = git(&["show", &format!("{base}:{spec_path}")])?;
    let old_label = format!("{spec_path}@{}", &base[..base.len().min(12)]);
    let old = crate::spec::parse(&old_label, &old_text).map_err(|e| e.to_string())?;
    let new = crate::spec::load(root, spec_path).map_err(|e| e.to_string())?;
    Ok(((old_label, old), (spec_path.to_string(), new)))
}

/// Compares `old` and `new`.
pub fn compare(old: &Spec, new: &Spec) -> Vec<Change> {
    let mut changes = Vec::new();
    let (old_json, new_json) = (&old.json, &new.json);
    let directions_old = schema_directions(old_json);
    let directions_new = schema_directions(new_json);

    // Operations.
    let operations = |json: &Value| -> BTreeMap<(String, String), Value> {
        let mut out = BTreeMap::new();
        for (path, item) in json["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                if [
                    "get", "put", "post", "delete", "options", "head", "patch", "trace",
                ]
                .contains(&method.as_str())
                {
                    out.insert((method.to_uppercase(), path.clone()), op.clone());
                }
            }
        }
        out
    };
    let (old_ops, new_ops) = (operations(old_json), operations(new_json));
    for ((method, path), old_op) in &old_ops {
        let location = format!("{method} {path}");
        let method_item = rust_method(old_op);
        let Some(new_op) = new_ops.get(&(method.clone(), path.clone())) else {
            changes.push(change(
                "operation-removed",
                &location,
                "the operation was removed".into(),
                Severity::Breaking,
                vec![method_item],
                Bump::Patch,
                Bump::Major,
            ));
            continue;
        };
        compare_operation(old_json, new_json, &location, old_op, new_op, &mut changes);
    }
    for ((method, path), new_op) in &new_ops {
        if !old_ops.contains_key(&(method.clone(), path.clone())) {
            changes.push(change(
                "operation-added",
                &format!("{method} {path}"),
                "a new operation".into(),
                Severity::Compatible,
                vec![rust_method(new_op)],
                Bump::Patch,
                Bump::Minor,
            ));
        }
    }

    // Component schemas.
    let schemas = |json: &Value| {
        json["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default()
    };
    let (old_schemas, new_schemas) = (schemas(old_json), schemas(new_json));
    for (name, old_schema) in &old_schemas {
        let directions: BTreeSet<Direction> = directions_old
            .get(name)
            .into_iter()
            .flatten()
            .chain(directions_new.get(name).into_iter().flatten())
            .copied()
            .collect();
        match new_schemas.get(name) {
            None => changes.push(change(
                "schema-removed",
                name,
                "the schema was removed".into(),
                Severity::Compatible,
                vec![format!("bitgo_models::{name}")],
                Bump::Major,
                Bump::Major,
            )),
            Some(new_schema) => compare_schema(
                old_json,
                new_json,
                name,
                name,
                old_schema,
                new_schema,
                &directions,
                &mut changes,
            ),
        }
    }
    for name in new_schemas.keys() {
        if !old_schemas.contains_key(name) {
            changes.push(change(
                "schema-added",
                name,
                "a new schema".into(),
                Severity::Compatible,
                vec![format!("bitgo_models::{name}")],
                Bump::Minor,
                Bump::Minor,
            ));
        }
    }
    changes
}

#[allow(clippy::too_many_arguments)]
fn change(
    kind: &'static str,
    location: &str,
    detail: String,
    severity: Severity,
    rust_items: Vec<String>,
    models_bump: Bump,
    client_bump: Bump,
) -> Change {
    // bitgo-client re-exports bitgo-models as `types`: its bump is at least the models'.
    Change {
        kind,
        location: location.to_string(),
        detail,
        severity,
        rust_items,
        models_bump,
        client_bump: client_bump.max(models_bump),
    }
}

/// progenitor's method name: the snake case of the operationId.
fn rust_method(op: &Value) -> String {
    let id = op["operationId"].as_str().unwrap_or("");
    format!("bitgo_client::Client::{}", snake(id))
}

/// progenitor's and typify's Rust names: the snake case of an operationId,
/// parameter or property (`skipOAuth` -> `skip_o_auth`).
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => root
            .pointer(r.trim_start_matches('#'))
            .unwrap_or(&Value::Null),
        None => schema,
    }
}

fn compare_operation(
    old_root: &Value,
    new_root: &Value,
    location: &str,
    old: &Value,
    new: &Value,
    changes: &mut Vec<Change>,
) {
    let method = rust_method(old);
    for key in ["description", "summary"] {
        if old.get(key) != new.get(key) {
            changes.push(change(
                "operation-description-changed",
                location,
                format!("{key} changed"),
                Severity::Compatible,
                vec![method.clone()],
                Bump::Patch,
                Bump::Patch,
            ));
        }
    }
    if old.get("operationId") != new.get("operationId") {
        changes.push(change(
            "operation-id-changed",
            location,
            format!(
                "operationId {} -> {}",
                old["operationId"], new["operationId"]
            ),
            Severity::Compatible,
            vec![method.clone(), rust_method(new)],
            Bump::Patch,
            Bump::Major,
        ));
    }

    // Parameters, by (in, name).
    let params = |root: &Value, op: &Value| -> BTreeMap<(String, String), Value> {
        op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| resolve(root, p).clone())
            .map(|p| {
                (
                    (
                        p["in"].as_str().unwrap_or("").to_string(),
                        p["name"].as_str().unwrap_or("").to_string(),
                    ),
                    p,
                )
            })
            .collect()
    };
    let (old_params, new_params) = (params(old_root, old), params(new_root, new));
    for ((place, name), old_param) in &old_params {
        let at = format!("{location} {place} parameter {name}");
        let item = format!("{method}().{}()", snake(name));
        let required = |p: &Value| p["required"] == Value::Bool(true);
        let Some(new_param) = new_params.get(&(place.clone(), name.clone())) else {
            changes.push(change(
                "request-parameter-removed",
                &at,
                "the parameter was removed; the server may reject or ignore it".into(),
                Severity::MayBreak,
                vec![item],
                Bump::Patch,
                Bump::Major,
            ));
            continue;
        };
        if !required(old_param) && required(new_param) {
            changes.push(change(
                "request-parameter-became-required",
                &at,
                "optional -> required".into(),
                Severity::Breaking,
                vec![item.clone()],
                Bump::Patch,
                Bump::Major,
            ));
        } else if required(old_param) && !required(new_param) {
            changes.push(change(
                "request-parameter-became-optional",
                &at,
                "required -> optional".into(),
                Severity::Compatible,
                vec![item.clone()],
                Bump::Patch,
                Bump::Major,
            ));
        }
        let (old_schema, new_schema) = (
            resolve(old_root, &old_param["schema"]),
            resolve(new_root, &new_param["schema"]),
        );
        if old_schema.get("default") != new_schema.get("default") {
            changes.push(change(
                "request-parameter-default-changed",
                &at,
                format!(
                    "default {} -> {}",
                    show(old_schema.get("default")),
                    show(new_schema.get("default"))
                ),
                Severity::MayBreak,
                vec![item.clone()],
                Bump::Patch,
                Bump::Patch,
            ));
        }
        if old_schema.get("type") != new_schema.get("type") {
            changes.push(change(
                "request-parameter-type-changed",
                &at,
                format!(
                    "type {} -> {}",
                    show(old_schema.get("type")),
                    show(new_schema.get("type"))
                ),
                Severity::Breaking,
                vec![item.clone()],
                Bump::Patch,
                Bump::Major,
            ));
        }
        if old_param.get("description") != new_param.get("description") {
            changes.push(change(
                "request-parameter-description-changed",
                &at,
                "description changed".into(),
                Severity::Compatible,
                vec![item],
                Bump::Patch,
                Bump::Patch,
            ));
        }
    }
    for ((place, name), new_param) in &new_params {
        if old_params.contains_key(&(place.clone(), name.clone())) {
            continue;
        }
        let at = format!("{location} {place} parameter {name}");
        let item = format!("{method}().{}()", snake(name));
        if new_param["required"] == Value::Bool(true) {
            changes.push(change(
                "request-required-parameter-added",
                &at,
                "a new required parameter; old clients do not send it".into(),
                Severity::Breaking,
                vec![item],
                Bump::Patch,
                Bump::Major,
            ));
        } else {
            changes.push(change(
                "request-optional-parameter-added",
                &at,
                "a new optional parameter".into(),
                Severity::Compatible,
                vec![item],
                Bump::Patch,
                Bump::Minor,
            ));
        }
    }

    // Responses, by status.
    let responses = |op: &Value| op["responses"].as_object().cloned().unwrap_or_default();
    let (old_responses, new_responses) = (responses(old), responses(new));
    let body = |root: &Value, response: &Value| -> Option<String> {
        let response = resolve(root, response);
        let schema = &response["content"]["application/json"]["schema"];
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => Some(r.to_string()),
            None if schema.is_object() => Some(schema.to_string()),
            None => None,
        }
    };
    for (status, old_response) in &old_responses {
        let at = format!("{location} response {status}");
        let success = status.starts_with('2') || status == "default";
        let Some(new_response) = new_responses.get(status) else {
            let (kind, severity, detail) = if success {
                (
                    "response-success-status-removed",
                    Severity::Breaking,
                    "a success status was removed",
                )
            } else {
                (
                    "response-error-status-removed",
                    Severity::MayBreak,
                    "a documented error status was removed: its body now arrives untyped",
                )
            };
            changes.push(change(
                kind,
                &at,
                detail.into(),
                severity,
                vec![format!("{method}().send()")],
                Bump::Patch,
                Bump::Minor,
            ));
            continue;
        };
        let (old_body, new_body) = (body(old_root, old_response), body(new_root, new_response));
        if old_body != new_body {
            changes.push(change(
                "response-body-schema-changed",
                &at,
                format!(
                    "body {} -> {}",
                    old_body.as_deref().unwrap_or("none"),
                    new_body.as_deref().unwrap_or("none")
                ),
                Severity::Breaking,
                vec![format!("{method}().send()")],
                Bump::Patch,
                Bump::Major,
            ));
        }
        if resolve(old_root, old_response).get("description")
            != resolve(new_root, new_response).get("description")
        {
            changes.push(change(
                "response-description-changed",
                &at,
                "description changed".into(),
                Severity::Compatible,
                vec![format!("{method}().send()")],
                Bump::Patch,
                Bump::Patch,
            ));
        }
    }
    for status in new_responses.keys() {
        if !old_responses.contains_key(status) {
            changes.push(change(
                "response-status-added",
                &format!("{location} response {status}"),
                "a newly documented status".into(),
                Severity::Compatible,
                vec![format!("{method}().send()")],
                Bump::Patch,
                Bump::Minor,
            ));
        }
    }
}

fn show(value: Option<&Value>) -> String {
    value.map_or("(none)".to_string(), Value::to_string)
}

/// Which directions each component schema is used in, following `$ref`s.
fn schema_directions(root: &Value) -> BTreeMap<String, BTreeSet<Direction>> {
    let mut out: BTreeMap<String, BTreeSet<Direction>> = BTreeMap::new();
    for item in root["paths"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        for op in item.as_object().into_iter().flat_map(|m| m.values()) {
            for response in op["responses"]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
            {
                mark(root, resolve(root, response), Direction::Response, &mut out);
            }
            mark(root, &op["requestBody"], Direction::Request, &mut out);
            mark(root, &op["parameters"], Direction::Request, &mut out);
        }
    }
    out
}

fn mark(
    root: &Value,
    value: &Value,
    direction: Direction,
    out: &mut BTreeMap<String, BTreeSet<Direction>>,
) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                && out.entry(name.to_string()).or_default().insert(direction)
            {
                mark(root, &root["components"]["schemas"][name], direction, out);
            }
            for child in map.values() {
                mark(root, child, direction, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| mark(root, i, direction, out)),
        _ => {}
    }
}

/// The Rust field name typify gives a property.
fn rust_field(property: &str) -> String {
    snake(property)
}

#[allow(clippy::too_many_arguments)]
fn compare_schema(
    old_root: &Value,
    new_root: &Value,
    type_name: &str,
    location: &str,
    old: &Value,
    new: &Value,
    directions: &BTreeSet<Direction>,
    changes: &mut Vec<Change>,
) {
    let response = directions.contains(&Direction::Response);
    let request = directions.contains(&Direction::Request);
    let type_item = format!("bitgo_models::{type_name}");
    if old.get("description") != new.get("description") {
        changes.push(change(
            "schema-description-changed",
            location,
            "description changed".into(),
            Severity::Compatible,
            vec![type_item.clone()],
            Bump::Patch,
            Bump::Patch,
        ));
    }
    let properties = |s: &Value| s["properties"].as_object().cloned().unwrap_or_default();
    let required = |s: &Value| -> BTreeSet<String> {
        s["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let (old_props, new_props) = (properties(old), properties(new));
    let (old_required, new_required) = (required(old), required(new));
    for (name, old_prop) in &old_props {
        let at = format!("{location}.{name}");
        let field = vec![format!("{type_item}::{}", rust_field(name))];
        let was_required = old_required.contains(name);
        let Some(new_prop) = new_props.get(name) else {
            let severity = match (response, was_required) {
                (true, true) => Severity::Breaking,
                (true, false) => Severity::MayBreak,
                (false, _) => Severity::Compatible,
            };
            let kind = if was_required {
                "response-required-property-removed"
            } else {
                "response-optional-property-removed"
            };
            changes.push(change(
                if response {
                    kind
                } else {
                    "request-property-removed"
                },
                &at,
                format!(
                    "the {} property was removed",
                    if was_required { "required" } else { "optional" }
                ),
                severity,
                field,
                Bump::Major,
                Bump::Major,
            ));
            continue;
        };
        let is_required = new_required.contains(name);
        if was_required && !is_required {
            changes.push(change(
                "response-property-became-optional",
                &at,
                "required -> optional: old clients expect it always".into(),
                if response {
                    Severity::Breaking
                } else {
                    Severity::Compatible
                },
                field.clone(),
                Bump::Major,
                Bump::Major,
            ));
        } else if !was_required && is_required {
            changes.push(change(
                "response-property-became-required",
                &at,
                "optional -> required: the Rust field loses its Option".into(),
                if request {
                    Severity::Breaking
                } else {
                    Severity::Compatible
                },
                field.clone(),
                Bump::Major,
                Bump::Major,
            ));
        }
        compare_property(
            &at,
            resolve(old_root, old_prop),
            resolve(new_root, new_prop),
            response,
            &field,
            changes,
        );
        if old_prop.get("$ref") != new_prop.get("$ref") {
            changes.push(change(
                "property-reference-changed",
                &at,
                format!(
                    "$ref {} -> {}",
                    show(old_prop.get("$ref")),
                    show(new_prop.get("$ref"))
                ),
                Severity::Breaking,
                field,
                Bump::Major,
                Bump::Major,
            ));
        }
    }
    for (name, _) in new_props
        .iter()
        .filter(|(n, _)| !old_props.contains_key(*n))
    {
        let at = format!("{location}.{name}");
        let required = new_required.contains(name);
        let severity = if request && required {
            Severity::Breaking
        } else {
            Severity::Compatible
        };
        changes.push(change(
            if required {
                "property-added-required"
            } else {
                "property-added-optional"
            },
            &at,
            format!(
                "a new {} property; old clients ignore it",
                if required { "required" } else { "optional" }
            ),
            severity,
            vec![format!("{type_item}::{}", rust_field(name))],
            // A new public field breaks struct literals and exhaustive patterns.
            Bump::Major,
            Bump::Major,
        ));
    }
}

fn compare_property(
    at: &str,
    old: &Value,
    new: &Value,
    response: bool,
    field: &[String],
    changes: &mut Vec<Change>,
) {
    let get = |s: &Value, k: &str| s.get(k).cloned();
    let loosened = if response {
        Severity::Breaking
    } else {
        Severity::Compatible
    };
    let tightened = if response {
        Severity::Compatible
    } else {
        Severity::Breaking
    };
    let mut push = |kind, detail: String, severity, models: Bump| {
        changes.push(change(
            kind,
            at,
            detail,
            severity,
            field.to_vec(),
            models,
            models,
        ));
    };

    if get(old, "type") != get(new, "type") {
        push(
            "property-type-changed",
            format!(
                "type {} -> {}",
                show(old.get("type")),
                show(new.get("type"))
            ),
            Severity::Breaking,
            Bump::Major,
        );
    }
    // A constraint dropped loosens and one added tightens. A changed format is
    // another type; whether a changed pattern accepts a superset of the old
    // one is undecidable here, so it may admit values the old client rejects.
    let pattern_changed = if response {
        Severity::Breaking
    } else {
        Severity::MayBreak
    };
    for (key, [removed, added, changed], changed_severity, changed_bump) in [
        (
            "format",
            [
                "property-format-removed",
                "property-format-added",
                "property-format-changed",
            ],
            Severity::Breaking,
            Bump::Major,
        ),
        (
            "pattern",
            [
                "property-pattern-removed",
                "property-pattern-added",
                "property-pattern-changed",
            ],
            pattern_changed,
            Bump::Minor,
        ),
    ] {
        match (old.get(key), new.get(key)) {
            (a, b) if a == b => {}
            (Some(a), None) => push(
                removed,
                format!("{key} {a} dropped: values the old client rejects may arrive"),
                loosened,
                Bump::Major,
            ),
            (None, Some(b)) => push(added, format!("{key} {b} added"), tightened, Bump::Major),
            (a, b) => push(
                changed,
                format!("{key} {} -> {}", show(a), show(b)),
                changed_severity,
                changed_bump,
            ),
        }
    }
    for (key, looser_when_larger) in [
        ("minLength", false),
        ("maxLength", true),
        ("minimum", false),
        ("maximum", true),
    ] {
        let (a, b) = (
            old.get(key).and_then(Value::as_f64),
            new.get(key).and_then(Value::as_f64),
        );
        if a == b {
            continue;
        }
        let looser = match (a, b) {
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => (b > a) == looser_when_larger,
            (None, None) => continue,
        };
        let bump = if a.is_none() || b.is_none() {
            Bump::Major
        } else {
            Bump::Minor
        };
        push(
            if looser {
                "property-limit-loosened"
            } else {
                "property-limit-tightened"
            },
            format!("{key} {} -> {}", show(old.get(key)), show(new.get(key))),
            if looser { loosened } else { tightened },
            bump,
        );
    }
    let values = |s: &Value| -> Option<BTreeSet<String>> {
        s.get("enum")
            .and_then(Value::as_array)
            .map(|v| v.iter().map(Value::to_string).collect())
    };
    match (values(old), values(new)) {
        (a, b) if a == b => {}
        (None, Some(_)) => push(
            "property-enum-added",
            "the property became an enum: a closed Rust enum replaces the free value".into(),
            tightened,
            Bump::Major,
        ),
        (Some(_), None) => push(
            "property-enum-removed",
            "the property is no longer an enum".into(),
            loosened,
            Bump::Major,
        ),
        (Some(a), Some(b)) => {
            let added: Vec<&String> = b.difference(&a).collect();
            let removed: Vec<&String> = a.difference(&b).collect();
            if !added.is_empty() {
                push(
                    "property-enum-value-added",
                    format!("enum values added: {added:?}; a closed Rust enum rejects them"),
                    loosened,
                    Bump::Major,
                );
            }
            if !removed.is_empty() {
                push(
                    "property-enum-value-removed",
                    format!("enum values removed: {removed:?}"),
                    tightened,
                    Bump::Major,
                );
            }
        }
        (None, None) => {}
    }
    if get(old, "nullable") != get(new, "nullable") {
        let now_nullable = new.get("nullable") == Some(&Value::Bool(true));
        push(
            "property-nullable-changed",
            format!("nullable -> {now_nullable}"),
            if now_nullable { loosened } else { tightened },
            Bump::Major,
        );
    }
    if get(old, "default") != get(new, "default") {
        push(
            "property-default-changed",
            format!(
                "default {} -> {}",
                show(old.get("default")),
                show(new.get("default"))
            ),
            Severity::MayBreak,
            Bump::Patch,
        );
    }
    for key in ["description", "example"] {
        if get(old, key) != get(new, key) {
            push(
                if key == "description" {
                    "property-description-changed"
                } else {
                    "property-example-changed"
                },
                format!("{key} changed"),
                Severity::Compatible,
                Bump::Patch,
            );
        }
    }
    if let (Some(a), Some(b)) = (old.get("items"), new.get("items"))
        && a != b
    {
        compare_property(&format!("{at}[]"), a, b, response, field, changes);
    }
}

/// The report's summary: the worst severity and the bumps needed.
pub struct Summary {
    pub worst: Option<Severity>,
    pub models_bump: Option<Bump>,
    pub client_bump: Option<Bump>,
}

pub fn summarize(changes: &[Change]) -> Summary {
    Summary {
        worst: changes.iter().map(|c| c.severity).max(),
        models_bump: changes.iter().map(|c| c.models_bump).max(),
        client_bump: changes.iter().map(|c| c.client_bump).max(),
    }
}

/// Markdown for a pull-request comment.
pub fn markdown(old_label: &str, new_label: &str, changes: &[Change]) -> String {
    let mut out = String::new();
    let summary = summarize(changes);
    out.push_str(&format!(
        "## API changes: `{old_label}` → `{new_label}`\n\n"
    ));
    if changes.is_empty() {
        out.push_str("No changes to the API.\n");
        return out;
    }
    let count = |s: Severity| changes.iter().filter(|c| c.severity == s).count();
    out.push_str(&format!(
        "**{}** breaking, **{}** may break, **{}** compatible. Semver: `bitgo-models` {}, `bitgo-client` {}.\n\n",
        count(Severity::Breaking),
        count(Severity::MayBreak),
        count(Severity::Compatible),
        summary.models_bump.map_or("none", Bump::as_str),
        summary.client_bump.map_or("none", Bump::as_str),
    ));
    out.push_str("| wire | change | where | what | Rust items | models | client |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.location.cmp(&b.location))
    });
    for c in sorted {
        let icon = match c.severity {
            Severity::Breaking => "🔴 breaking",
            Severity::MayBreak => "🟠 may break",
            Severity::Compatible => "🟢 compatible",
        };
        let items: Vec<String> = c.rust_items.iter().map(|i| format!("`{i}`")).collect();
        out.push_str(&format!(
            "| {icon} | `{}` | `{}` | {} | {} | {} | {} |\n",
            c.kind,
            c.location,
            c.detail.replace('|', "\\|"),
            items.join("<br>"),
            c.models_bump.as_str(),
            c.client_bump.as_str(),
        ));
    }
    out
}

/// The same report as JSON.
pub fn json(old_label: &str, new_label: &str, changes: &[Change]) -> Value {
    let summary = summarize(changes);
    serde_json::json!({
        "old": old_label,
        "new": new_label,
        "summary": {
            "worst": summary.worst.map(Severity::as_str),
            "bitgo-models": summary.models_bump.map(Bump::as_str),
            "bitgo-client": summary.client_bump.map(Bump::as_str),
        },
        "changes": changes.iter().map(|c| serde_json::json!({
            "kind": c.kind,
            "location": c.location,
            "detail": c.detail,
            "severity": c.severity.as_str(),
            "rust_items": c.rust_items,
            "bitgo-models": c.models_bump.as_str(),
            "bitgo-client": c.client_bump.as_str(),
        })).collect::<Vec<_>>(),
    })
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
