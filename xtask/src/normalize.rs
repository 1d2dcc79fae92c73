//! Stage 2b of the pipeline: normalization passes between parsing and progenitor.
//!
//! Real specs (BitGo's published `api.yaml`) use constructs that stop stock
//! progenitor 0.15 and typify 0.8 with a panic, an error, code that does not
//! compile, or silently wrong types. Each pass below rewrites one such
//! construct in the JSON form of the document, and records every change as
//! `<JSON pointer>: <what and why>` (`cargo xtask generate --explain`). What
//! cannot be repaired is dropped *and listed* (`--strict` makes that fatal).
//!
//! A spec that needs none of this (`openapi/bitgo.yaml`) passes through
//! unchanged, so its generated code does not depend on these passes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use heck::ToPascalCase;
use serde_json::{Map, Value, json};

use crate::spec::escape;

/// One change a pass made, or one thing it dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Where, as a JSON pointer into the spec as written.
    pub pointer: String,
    /// The pass that made it.
    pub pass: &'static str,
    /// What was changed and why.
    pub message: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.pointer, self.message, self.pass)
    }
}

/// Everything the passes did to one spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Rewrites that keep the meaning for the generated code.
    pub changes: Vec<Change>,
    /// Operations, parameters or responses that could not be generated and
    /// were removed, with the reason.
    pub dropped: Vec<Change>,
    /// Response sets whose bodies were merged into one `oneOf` component:
    /// the client decodes each status as its own schema (see
    /// `pipeline::decode_merged_by_status`).
    pub merged: Vec<MergedBodies>,
}

/// One operation's success or error bodies, merged into `component`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedBodies {
    pub operation_id: String,
    pub component: String,
    /// Each status and the component its body names (`None`: an inline body).
    pub statuses: Vec<(String, Option<String>)>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.dropped.is_empty()
    }
}

/// A pass: a name (shown in `--explain`) and a rewrite of the document.
pub struct Pass {
    pub name: &'static str,
    pub run: fn(&mut Value, &mut Log),
}

/// Collects one pass's changes.
pub struct Log<'a> {
    pass: &'static str,
    report: &'a mut Report,
}

impl Log<'_> {
    fn change(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.report.changes.push(Change {
            pointer: pointer.into(),
            pass: self.pass,
            message: message.into(),
        });
    }

    fn drop(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.report.dropped.push(Change {
            pointer: pointer.into(),
            pass: self.pass,
            message: message.into(),
        });
    }
}

/// The passes, in the order they run. Later passes rely on earlier ones:
/// request/parameter/response passes see compositions already repaired, and
/// type names are de-duplicated last, after hoisting added components.
pub const PASSES: &[Pass] = &[
    Pass {
        name: "composition-beside-type",
        run: composition_beside_type,
    },
    Pass {
        name: "ref-siblings",
        run: ref_siblings,
    },
    Pass {
        name: "single-ref-allof",
        run: single_ref_allof,
    },
    Pass {
        name: "boolean-exclusive-bounds",
        run: boolean_exclusive_bounds,
    },
    Pass {
        name: "vacuous-constraints",
        run: vacuous_constraints,
    },
    Pass {
        name: "unnameable-enums",
        run: unnameable_enums,
    },
    Pass {
        name: "request-bodies",
        run: request_bodies,
    },
    Pass {
        name: "parameters",
        run: parameters,
    },
    Pass {
        name: "response-schemas",
        run: response_schemas,
    },
    Pass {
        name: "inline-response-types",
        run: inline_response_types,
    },
    Pass {
        name: "response-bodies",
        run: response_bodies,
    },
    Pass {
        name: "component-names",
        run: component_names,
    },
    Pass {
        name: "inline-type-names",
        run: inline_type_names,
    },
];

/// Runs every pass over `doc`, in order. `XTASK_SKIP_PASSES=a,b` skips
/// passes by name: for finding which pass changed a type, and for
/// reproducing what progenitor does without one.
pub fn normalize(doc: &mut Value) -> Report {
    let mut report = Report::default();
    let mut timer = crate::pipeline::StageTimer::from_env();
    let skipped = std::env::var("XTASK_SKIP_PASSES").unwrap_or_default();
    let skipped: Vec<&str> = skipped.split(',').map(str::trim).collect();
    for pass in PASSES.iter().filter(|p| !skipped.contains(&p.name)) {
        run_pass(pass, doc, &mut report);
        timer.stage(&format!("  pass {}", pass.name));
    }
    report
}

/// Runs one pass; for the unit tests of each pass.
pub fn run_pass(pass: &Pass, doc: &mut Value, report: &mut Report) {
    let mut log = Log {
        pass: pass.name,
        report,
    };
    (pass.run)(doc, &mut log);
}

// ---------------------------------------------------------------- walking

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn join(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape(segment))
}

/// Applies `f` to every schema object, children first (so a rewrite of a
/// schema never hides a child still to be visited), with its pointer.
/// Example, default and enum values are data, never schemas.
fn for_each_schema(doc: &mut Value, mut f: impl FnMut(&str, &mut Map<String, Value>)) {
    walk_mut(doc, &mut String::new(), false, &mut f);
}

fn walk_mut(
    value: &mut Value,
    pointer: &mut String,
    is_schema: bool,
    f: &mut impl FnMut(&str, &mut Map<String, Value>),
) {
    fn enter(pointer: &mut String, segment: &str) -> usize {
        let len = pointer.len();
        pointer.push('/');
        pointer.push_str(&escape(segment));
        len
    }
    match value {
        Value::Object(map) => {
            let at_components = pointer == "/components";
            for (key, child) in map.iter_mut() {
                if key == "example" || key == "examples" || key.starts_with("x-") {
                    continue;
                }
                let len = enter(pointer, key);
                if is_schema {
                    match (key.as_str(), child) {
                        ("properties", Value::Object(properties)) => {
                            for (name, schema) in properties.iter_mut() {
                                let inner = enter(pointer, name);
                                walk_mut(schema, pointer, true, f);
                                pointer.truncate(inner);
                            }
                        }
                        ("items" | "not" | "additionalProperties", child) => {
                            walk_mut(child, pointer, true, f)
                        }
                        ("allOf" | "oneOf" | "anyOf", Value::Array(items)) => {
                            for (i, schema) in items.iter_mut().enumerate() {
                                let inner = enter(pointer, &i.to_string());
                                walk_mut(schema, pointer, true, f);
                                pointer.truncate(inner);
                            }
                        }
                        _ => {}
                    }
                } else if key == "schema" {
                    walk_mut(child, pointer, true, f);
                } else if at_components && key == "schemas" {
                    if let Value::Object(schemas) = child {
                        for (name, schema) in schemas.iter_mut() {
                            let inner = enter(pointer, name);
                            walk_mut(schema, pointer, true, f);
                            pointer.truncate(inner);
                        }
                    }
                } else {
                    walk_mut(child, pointer, false, f);
                }
                pointer.truncate(len);
            }
            if is_schema {
                f(pointer, map);
            }
        }
        Value::Array(items) if !is_schema => {
            for (i, child) in items.iter_mut().enumerate() {
                let len = enter(pointer, &i.to_string());
                walk_mut(child, pointer, false, f);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// An operation: its pointer, path, method and operationId.
struct OperationRef {
    pointer: String,
    path: String,
    method: String,
    id: String,
}

fn operations(doc: &Value) -> Vec<OperationRef> {
    let mut out = Vec::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return out;
    };
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                out.push(OperationRef {
                    pointer: format!("{}/{method}", join("/paths", path)),
                    path: path.clone(),
                    method: method.to_string(),
                    id: operation
                        .get("operationId")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                });
            }
        }
    }
    out
}

/// Follows a local `$ref` (also several in a row) to what it names.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..16 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => match reference
                .strip_prefix('#')
                .and_then(|pointer| doc.pointer(pointer))
            {
                Some(target) => current = target,
                None => return current,
            },
            None => return current,
        }
    }
    current
}

/// Removes the operation at `op`, and its path item when nothing is left.
fn drop_operation(doc: &mut Value, op: &OperationRef) {
    if let Some(Value::Object(item)) = doc.pointer_mut(&join("/paths", &op.path)) {
        item.remove(&op.method);
        let has_operation = METHODS.iter().any(|m| item.contains_key(*m));
        if !has_operation && let Some(Value::Object(paths)) = doc.get_mut("paths") {
            paths.remove(&op.path);
        }
    }
}

/// typify's type and variant names: PascalCase with its sanitizing rules.
pub fn rust_type_name(name: &str) -> String {
    let cased = name
        .replace('\'', "")
        .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")
        .to_pascal_case();
    match cased.chars().next() {
        None => "X".to_string(),
        Some(c) if c.is_alphabetic() || c == '_' => cased,
        Some(_) => format!("X{cased}"),
    }
}

/// progenitor's method and operation names: snake_case, same sanitizing.
pub fn rust_snake_name(name: &str) -> String {
    use heck::ToSnakeCase;
    name.replace('\'', "")
        .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")
        .to_snake_case()
}

fn is_composition(schema: &Map<String, Value>) -> bool {
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| schema.contains_key(*k))
}

/// Keywords that only describe a schema; dropping them never changes a type.
const ANNOTATIONS: [&str; 8] = [
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

// ---------------------------------------------------------------- passes

/// `type: object` beside `allOf`/`oneOf`/`anyOf`: the openapiv3 crate reads
/// such a schema as a plain object and drops the composition. The object
/// part becomes one more `allOf` member instead.
fn composition_beside_type(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        if !is_composition(schema) || !schema.contains_key("type") {
            return;
        }
        if schema.get("type").and_then(Value::as_str) != Some("object") {
            return;
        }
        schema.remove("type");
        let mut object = Map::new();
        for key in [
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ] {
            if let Some(value) = schema.remove(key) {
                object.insert(key.to_string(), value);
            }
        }
        if object.is_empty() {
            log.change(
                pointer,
                "removed `type: object` beside a composition (openapiv3 would read the schema as an empty object and drop the composition)",
            );
            return;
        }
        object.insert("type".to_string(), json!("object"));
        let mut members = match schema.remove("allOf") {
            Some(Value::Array(members)) => members,
            _ => Vec::new(),
        };
        for key in ["oneOf", "anyOf"] {
            if let Some(value) = schema.remove(key) {
                members.push(json!({ key: value }));
            }
        }
        members.push(Value::Object(object));
        schema.insert("allOf".to_string(), Value::Array(members));
        log.change(
            pointer,
            "moved the object's own properties into one more `allOf` member (openapiv3 reads `type: object` beside a composition as a plain object and drops the composition)",
        );
    });
}

/// Keywords beside `$ref`: OpenAPI 3.0 says they are ignored, and openapiv3
/// drops them without a word. Dropped here, and said so.
fn ref_siblings(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        if !schema.contains_key("$ref") || schema.len() == 1 {
            return;
        }
        let siblings: Vec<String> = schema.keys().filter(|k| *k != "$ref").cloned().collect();
        schema.retain(|k, _| k == "$ref");
        log.change(
            pointer,
            format!(
                "dropped {} beside $ref (OpenAPI 3.0 ignores keywords beside $ref)",
                siblings
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    });
}

/// `{allOf: [{$ref: X}], description: ..}`, a `$ref` wrapped only to attach
/// annotations, becomes `{$ref: X}`. Besides the lost description this
/// changes nothing in Rust, and it stops typify's `allOf` merging from
/// expanding: when one property is declared in two `allOf` branches, typify
/// merges the two declarations, and a wrapped union (whose members are
/// `allOf`s again) is merged member by member, recursively, instead of being
/// recognised as the same `$ref` (see `tests/normalize.rs`, the blow-up test).
fn single_ref_allof(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        let Some(Value::Array(members)) = schema.get("allOf") else {
            return;
        };
        let [only] = members.as_slice() else { return };
        let Some(reference) = only.get("$ref").cloned() else {
            return;
        };
        let only_annotations = schema
            .keys()
            .all(|k| k == "allOf" || ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"));
        if !only_annotations {
            return;
        }
        let dropped: Vec<String> = schema
            .keys()
            .filter(|k| *k != "allOf")
            .map(|k| format!("`{k}`"))
            .collect();
        schema.clear();
        schema.insert("$ref".to_string(), reference);
        let what = if dropped.is_empty() {
            String::new()
        } else {
            format!(", dropping {}", dropped.join(", "))
        };
        log.change(
            pointer,
            format!("replaced an `allOf` of one $ref by the $ref{what} (same Rust type; keeps typify's allOf merging linear)"),
        );
    });
}

/// OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`: `false` is
/// the default and is removed; `true` without its bound means nothing and is
/// removed; `true` with its bound is kept (progenitor converts that case).
fn boolean_exclusive_bounds(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        for (flag, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            match schema.get(flag) {
                Some(Value::Bool(false)) => {
                    schema.remove(flag);
                    log.change(
                        join(pointer, flag),
                        format!(
                            "removed `{flag}: false` (the default; schemars wants a number here)"
                        ),
                    );
                }
                Some(Value::Bool(true)) if !schema.contains_key(bound) => {
                    schema.remove(flag);
                    log.change(
                        join(pointer, flag),
                        format!("removed `{flag}: true` without `{bound}` (it bounds nothing)"),
                    );
                }
                Some(Value::Number(n)) => {
                    // 3.1 style: the number is the exclusive bound.
                    let n = n.clone();
                    schema.insert(flag.to_string(), Value::Bool(true));
                    schema.insert(bound.to_string(), Value::Number(n));
                    log.change(
                        join(pointer, flag),
                        format!(
                            "rewrote the JSON Schema 2019 numeric `{flag}` as OpenAPI 3.0's `{bound}` with `{flag}: true`"
                        ),
                    );
                }
                _ => {}
            }
        }
    });
}

/// `minLength: 0` and `minItems: 0` constrain nothing, but typify emits a
/// check for them that rustc warns about (`comparison is useless`).
fn vacuous_constraints(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        for key in ["minLength", "minItems", "minProperties"] {
            if schema.get(key).and_then(Value::as_u64) == Some(0) {
                schema.remove(key);
                log.change(
                    join(pointer, key),
                    format!("removed `{key}: 0` (it constrains nothing, and its generated check makes rustc warn)"),
                );
            }
        }
    });
}

/// Whether typify can give every value of a string enum its own variant
/// name; it panics otherwise ("Failed to make unique variant names").
pub fn enum_values_nameable(values: &[&str]) -> bool {
    let unique = |names: Vec<String>| names.iter().collect::<BTreeSet<_>>().len() == names.len();
    let plain = values.iter().map(|v| rust_type_name(v)).collect();
    if unique(plain) {
        return true;
    }
    let spelled = values
        .iter()
        .map(|v| rust_type_name(&v.replace(|c: char| c == '_' || !(c.is_alphanumeric()), "X")))
        .collect();
    unique(spelled)
}

/// String enums whose values typify cannot name apart (`>` and `>=`, or
/// `WALLET` beside `wallet`) become plain strings; the values move into the
/// description.
fn unnameable_enums(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        let Some(Value::Array(values)) = schema.get("enum") else {
            return;
        };
        let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        if strings.len() != values.iter().filter(|v| !v.is_null()).count() {
            return;
        }
        if enum_values_nameable(&strings) {
            return;
        }
        let listed = strings
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let description = match schema.get("description").and_then(Value::as_str) {
            Some(d) => format!("{d}\n\nOne of: {listed}."),
            None => format!("One of: {listed}."),
        };
        schema.remove("enum");
        schema.insert("description".to_string(), Value::String(description));
        log.change(
            join(pointer, "enum"),
            format!("typed as a plain string: typify cannot give the values {listed} distinct Rust variant names"),
        );
    });
}

/// Media types progenitor can send as a request body.
fn supported_body(media: &str) -> bool {
    let base = media.split(';').next().unwrap_or_default().trim();
    matches!(
        base,
        "application/json"
            | "application/octet-stream"
            | "application/x-www-form-urlencoded"
            | "text/plain"
            | "text/x-markdown"
    )
}

/// Request bodies: several media types keep the JSON one (progenitor takes
/// one); an operation whose body progenitor cannot send
/// (`multipart/form-data`) is dropped and listed.
fn request_bodies(doc: &mut Value, log: &mut Log) {
    for op in operations(doc) {
        let body_pointer = format!("{}/requestBody", op.pointer);
        let Some(body) = doc.pointer(&body_pointer) else {
            continue;
        };
        let body = resolve(doc, body).clone();
        let Some(Value::Object(content)) = body.get("content") else {
            continue;
        };
        let medias: Vec<String> = content.keys().cloned().collect();
        if medias.len() <= 1 && medias.iter().all(|m| supported_body(m)) {
            continue;
        }
        let keep = medias
            .iter()
            .find(|m| m.starts_with("application/json"))
            .or_else(|| medias.iter().find(|m| supported_body(m)))
            .cloned();
        match keep {
            Some(keep) => {
                let mut body = body.clone();
                if let Some(Value::Object(content)) = body.get_mut("content") {
                    content.retain(|k, _| *k == keep);
                }
                *doc.pointer_mut(&body_pointer).expect("seen above") = body;
                let others: Vec<&String> = medias.iter().filter(|m| **m != keep).collect();
                log.change(
                    join(&body_pointer, "content"),
                    format!(
                        "kept only `{keep}` of the request body's media types; dropped {others:?} (progenitor sends one)"
                    ),
                );
            }
            None => {
                drop_operation(doc, &op);
                log.drop(
                    &op.pointer,
                    format!(
                        "operation `{}` dropped: progenitor cannot send a {} request body",
                        op.id,
                        medias.join(" or ")
                    ),
                );
            }
        }
    }
}

/// What typify makes of a parameter schema, as far as progenitor cares.
fn is_struct_like(doc: &Value, schema: &Value) -> bool {
    let schema = resolve(doc, schema);
    let object = schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some();
    object || schema.get("anyOf").is_some() || schema.get("allOf").is_some()
}

fn is_composed(doc: &Value, schema: &Value) -> bool {
    let schema = resolve(doc, schema);
    schema.get("oneOf").is_some() || schema.get("anyOf").is_some() || schema.get("allOf").is_some()
}

/// Parameters progenitor cannot take. An object-typed query parameter
/// (progenitor asserts) is dropped when optional and drops its operation when
/// required. A composed (`anyOf`/`oneOf`/`allOf`) query or path parameter
/// becomes a string: optional `anyOf` ones hit `unreachable!` in progenitor,
/// and path parameters need `Display`, which typify's unions lack.
fn parameters(doc: &mut Value, log: &mut Log) {
    for op in operations(doc) {
        let path_item = join("/paths", &op.path);
        // Every parameter name of the operation, to keep expansions apart.
        let names: BTreeSet<String> = [path_item.clone(), op.pointer.clone()]
            .iter()
            .filter_map(|owner| doc.pointer(&format!("{owner}/parameters"))?.as_array())
            .flatten()
            .filter_map(|p| resolve(doc, p).get("name")?.as_str().map(str::to_string))
            .collect();
        for owner in [path_item.clone(), op.pointer.clone()] {
            let list_pointer = format!("{owner}/parameters");
            let Some(Value::Array(list)) = doc.pointer(&list_pointer) else {
                continue;
            };
            let list = list.clone();
            let mut kept = Vec::new();
            let mut changed = false;
            for (i, parameter) in list.into_iter().enumerate() {
                let pointer = format!("{list_pointer}/{i}");
                let resolved = resolve(doc, &parameter).clone();
                let location = resolved.get("in").and_then(Value::as_str).unwrap_or("");
                let name = resolved.get("name").and_then(Value::as_str).unwrap_or("");
                let required = resolved.get("required") == Some(&Value::Bool(true));
                let Some(schema) = resolved.get("schema") else {
                    kept.push(parameter);
                    continue;
                };
                let object = {
                    let s = resolve(doc, schema);
                    s.get("type").and_then(Value::as_str) == Some("object")
                        || s.get("properties").is_some()
                };
                if location == "query" && object {
                    changed = true;
                    let expanded = expand_query_object(doc, &resolved, &names);
                    if let Ok(expanded) = expanded {
                        let listed: Vec<String> = expanded
                            .iter()
                            .filter_map(|p| p["name"].as_str().map(|n| format!("`{n}`")))
                            .collect();
                        log.change(
                            &pointer,
                            format!(
                                "object query parameter `{name}` of `{}` sent as its properties {} (its form-exploded wire form; progenitor cannot serialize an object)",
                                op.id,
                                listed.join(", ")
                            ),
                        );
                        kept.extend(expanded);
                        continue;
                    }
                    let why = expanded.err().unwrap_or_default();
                    if required {
                        drop_operation(doc, &op);
                        log.drop(
                            &pointer,
                            format!(
                                "operation `{}` dropped: its required query parameter `{name}` is an object progenitor cannot serialize, and it cannot be sent as separate parameters: {why}",
                                op.id
                            ),
                        );
                        break;
                    }
                    log.drop(
                        &pointer,
                        format!(
                            "optional query parameter `{name}` of `{}` dropped: it is an object progenitor cannot serialize, and it cannot be sent as separate parameters: {why}",
                            op.id
                        ),
                    );
                    continue;
                }
                let composed = is_composed(doc, schema)
                    && (location == "path" || (location == "query" && is_struct_like(doc, schema)));
                if composed {
                    changed = true;
                    let mut parameter = resolved.clone();
                    parameter["schema"] = json!({ "type": "string" });
                    log.change(
                        &pointer,
                        format!(
                            "{location} parameter `{name}` of `{}` typed as a string: progenitor cannot send a composed schema here",
                            op.id
                        ),
                    );
                    kept.push(parameter);
                    continue;
                }
                kept.push(parameter);
            }
            if !changed {
                continue;
            }
            // The operation may be gone (a required object parameter).
            if let Some(slot) = doc.pointer_mut(&list_pointer) {
                *slot = Value::Array(kept);
            }
        }
    }
}

/// An object query parameter in its default style (`form`, exploded) is
/// sent as one `name=value` pair per property: the same as one query
/// parameter per property. `None` when that is not its wire form, or when a
/// property name is taken by another parameter.
fn expand_query_object(
    doc: &Value,
    parameter: &Value,
    names: &BTreeSet<String>,
) -> Result<Vec<Value>, String> {
    let style = parameter
        .get("style")
        .and_then(Value::as_str)
        .unwrap_or("form");
    let explode = parameter
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if style != "form" || !explode {
        return Err(format!("its style is `{style}`, explode {explode}"));
    }
    let no_properties = || "it has no fixed properties".to_string();
    let schema = resolve(doc, parameter.get("schema").ok_or_else(no_properties)?);
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .filter(|p| !p.is_empty())
        .ok_or_else(no_properties)?;
    if schema
        .get("additionalProperties")
        .is_some_and(|a| a != &Value::Bool(false))
    {
        return Err("it takes additional properties".to_string());
    }
    let required_object = parameter.get("required") == Some(&Value::Bool(true));
    let required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut expanded = Vec::new();
    for (name, property) in properties {
        if names.contains(name) {
            return Err(format!("its property `{name}` is also a parameter"));
        }
        if is_struct_like(doc, property) || is_composed(doc, property) {
            return Err(format!("its property `{name}` is not a plain value"));
        }
        let mut parameter = json!({
            "name": name,
            "in": "query",
            "required": required_object && required.contains(name.as_str()),
            "schema": property,
        });
        if let Some(description) = resolve(doc, property).get("description") {
            parameter["description"] = description.clone();
        }
        expanded.push(parameter);
    }
    Ok(expanded)
}

/// The JSON media type of a response, as progenitor picks it.
fn json_media(content: &Map<String, Value>) -> Option<&String> {
    content
        .keys()
        .find(|m| *m == "application/json" || m.starts_with("application/json;"))
}

/// Status keys of one operation's responses, with the response itself
/// (`$ref`s to `components/responses` resolved).
fn responses(doc: &Value, op: &OperationRef) -> Vec<(String, Value)> {
    let pointer = format!("{}/responses", op.pointer);
    match doc.pointer(&pointer) {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(status, response)| (status.clone(), resolve(doc, response).clone()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Replaces one response of an operation (inlining it if it was a `$ref`).
fn set_response(doc: &mut Value, op: &OperationRef, status: &str, response: Value) {
    let pointer = join(&format!("{}/responses", op.pointer), status);
    if let Some(slot) = doc.pointer_mut(&pointer) {
        *slot = response;
    }
}

/// A JSON response without a schema: progenitor hits a `todo!`. It becomes
/// `{}`, any JSON value.
fn response_schemas(doc: &mut Value, log: &mut Log) {
    for op in operations(doc) {
        for (status, mut response) in responses(doc, &op) {
            let Some(Value::Object(content)) = response.get_mut("content") else {
                continue;
            };
            let Some(media) = json_media(content).cloned() else {
                continue;
            };
            let media_type = content.get_mut(&media).expect("found above");
            if media_type.get("schema").is_some() {
                continue;
            }
            if !media_type.is_object() {
                *media_type = json!({});
            }
            media_type["schema"] = json!({});
            set_response(doc, &op, &status, response);
            log.change(
                format!(
                    "{}/content/{}",
                    join(&format!("{}/responses", op.pointer), &status),
                    escape(&media)
                ),
                "a JSON response without a schema is typed as any JSON value (`{}`)",
            );
        }
    }
}

/// The Rust type names of the components, for naming new ones.
struct TakenNames(BTreeSet<String>);

impl TakenNames {
    fn of(doc: &Value) -> Self {
        TakenNames(
            doc.pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|m| m.keys().map(|k| rust_type_name(k)).collect())
                .unwrap_or_default(),
        )
    }

    /// `base`, or `base2`, `base3`.. when that Rust type name is taken.
    fn fresh(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.0.contains(&rust_type_name(&name)) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.0.insert(rust_type_name(&name));
        name
    }
}

fn add_component(doc: &mut Value, name: &str, schema: Value) {
    let root = doc
        .as_object_mut()
        .expect("an OpenAPI document is a mapping");
    let components = root.entry("components").or_insert_with(|| json!({}));
    let schemas = components
        .as_object_mut()
        .expect("components is a mapping")
        .entry("schemas")
        .or_insert_with(|| json!({}));
    schemas
        .as_object_mut()
        .expect("components.schemas is a mapping")
        .insert(name.to_string(), schema);
}

/// Whether typify would make a named type of this inline schema.
fn makes_named_type(schema: &Value) -> bool {
    schema.get("properties").is_some()
        || is_composition(schema.as_object().unwrap_or(&Map::new()))
        || schema.get("enum").is_some()
        || schema.get("type").and_then(Value::as_str) == Some("object")
}

/// progenitor names every inline response type `<OperationId>Response`,
/// success and error alike, and typify reuses the first: an error body can
/// silently get the success body's type. Each inline response schema that
/// makes a named type becomes its own component, `<OperationId><Status>Response`.
fn inline_response_types(doc: &mut Value, log: &mut Log) {
    let mut taken = TakenNames::of(doc);
    for op in operations(doc) {
        if op.id.is_empty() {
            continue;
        }
        let inline: Vec<(String, Value)> = responses(doc, &op)
            .into_iter()
            .filter(|(_, response)| {
                response
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| json_media(c).map(|m| &c[m]))
                    .and_then(|m| m.get("schema"))
                    .is_some_and(|s| s.get("$ref").is_none() && makes_named_type(s))
            })
            .collect();
        if inline.is_empty() {
            continue;
        }
        for (status, mut response) in inline {
            let suffix = if status == "default" {
                "Default".to_string()
            } else {
                status.clone()
            };
            let name = taken.fresh(&format!("{}{suffix}Response", rust_type_name(&op.id)));
            let content = response["content"].as_object_mut().expect("filtered above");
            let media = json_media(content).expect("filtered above").clone();
            let schema = std::mem::replace(
                &mut content[&media]["schema"],
                json!({ "$ref": format!("#/components/schemas/{name}") }),
            );
            add_component(doc, &name, schema);
            set_response(doc, &op, &status, response);
            log.change(
                format!(
                    "{}/content/{}/schema",
                    join(&format!("{}/responses", op.pointer), &status),
                    escape(&media)
                ),
                format!("inline response schema moved to component `{name}` (progenitor names every inline response type after the operation alone, so success and error bodies could share one type)"),
            );
        }
    }
}

/// What progenitor makes of one response's body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Body {
    Json(String),
    Raw,
    None,
}

fn body_of(response: &Value) -> Body {
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

/// progenitor asserts one body kind per operation among its success
/// responses (1xx-2xx and `default`) and one among its error responses
/// (4xx-5xx and `default`). Several JSON bodies in one set are merged into
/// one component, `<OperationId>Success` or `<OperationId>Error`, a `oneOf`
/// of them (an untagged enum in Rust; the status stays on the response).
/// Responses without a body, or with a non-JSON body, beside JSON ones are
/// removed from the operation (progenitor then reports them as an
/// unexpected response, with their status and body).
fn response_bodies(doc: &mut Value, log: &mut Log) {
    let mut taken = TakenNames::of(doc);
    for op in operations(doc) {
        if op.id.is_empty() {
            continue;
        }
        split_default(doc, &op, log);
        for set in ["success", "error"] {
            let all = responses(doc, &op);
            let has_success_range = all.iter().any(|(s, _)| s == "2XX");
            let members: Vec<(String, Value)> = all
                .into_iter()
                .filter(|(status, _)| {
                    let default = status == "default";
                    let first = status.chars().next().unwrap_or('0');
                    match set {
                        "success" => {
                            (default && !has_success_range) || first == '2' || status == "101"
                        }
                        _ => default || first == '4' || first == '5',
                    }
                })
                .collect();
            let kinds: BTreeSet<Body> = members.iter().map(|(_, r)| body_of(r)).collect();
            if kinds.len() <= 1 {
                continue;
            }
            let responses_pointer = format!("{}/responses", op.pointer);
            let has_json = kinds.iter().any(|k| matches!(k, Body::Json(_)));
            // Keep JSON bodies if any, else the raw ones.
            let keep = |body: &Body| match body {
                Body::Json(_) => true,
                Body::Raw => !has_json,
                Body::None => false,
            };
            for (status, response) in &members {
                let body = body_of(response);
                if keep(&body) {
                    continue;
                }
                if let Some(Value::Object(map)) = doc.pointer_mut(&responses_pointer) {
                    map.remove(status);
                }
                let what = if body == Body::None {
                    "no body"
                } else {
                    "a non-JSON body"
                };
                log.drop(
                    join(&responses_pointer, status),
                    format!(
                        "response {status} of `{}` ({what}) removed: progenitor takes one {set} body kind per operation; this status now arrives as an unexpected response",
                        op.id
                    ),
                );
            }
            let mut schemas: Vec<Value> = Vec::new();
            let mut statuses = Vec::new();
            for (status, response) in &members {
                let Body::Json(_) = body_of(response) else {
                    continue;
                };
                let content = response["content"].as_object().expect("a JSON body");
                let schema = content[json_media(content).expect("a JSON body")]["schema"].clone();
                if !schemas.contains(&schema) {
                    schemas.push(schema);
                }
                statuses.push(status.clone());
            }
            if schemas.len() <= 1 {
                continue;
            }
            // Specific schemas first: an untagged enum tries its variants in order,
            // and an empty object would accept anything.
            schemas.sort_by_key(|s| permissive(doc, s));
            let suffix = if set == "success" { "Success" } else { "Error" };
            let name = taken.fresh(&format!("{}{suffix}", rust_type_name(&op.id)));
            add_component(
                doc,
                &name,
                json!({
                    "description": format!("The {set} bodies of `{}`, by status: {}.", op.id, statuses.join(", ")),
                    "oneOf": schemas,
                }),
            );
            let mut by_status = Vec::new();
            for (status, mut response) in members {
                let Body::Json(_) = body_of(&response) else {
                    continue;
                };
                let content = response["content"].as_object_mut().expect("a JSON body");
                let media = json_media(content).expect("a JSON body").clone();
                let member = content[&media]["schema"]
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .map(str::to_string);
                by_status.push((status.clone(), member));
                content[&media]["schema"] =
                    json!({ "$ref": format!("#/components/schemas/{name}") });
                set_response(doc, &op, &status, response);
            }
            log.report.merged.push(MergedBodies {
                operation_id: op.id.clone(),
                component: name.clone(),
                statuses: by_status,
            });
            log.change(
                &responses_pointer,
                format!(
                    "the {set} responses {} of `{}` have {} different bodies; merged into component `{name}`, a oneOf of them (progenitor takes one {set} body type per operation)",
                    statuses.join(", "),
                    op.id,
                    schemas.len()
                ),
            );
        }
    }
}

/// progenitor counts `default` as a success *and* an error response. Beside
/// explicit 2xx responses with another body, it can only mean the errors:
/// it becomes `4XX` and `5XX` (where those are not given), so that it joins
/// the error set alone.
fn split_default(doc: &mut Value, op: &OperationRef, log: &mut Log) {
    let all = responses(doc, op);
    let Some((_, default)) = all.iter().find(|(s, _)| s == "default") else {
        return;
    };
    let default_body = body_of(default);
    let other_success = all
        .iter()
        .any(|(s, r)| s.starts_with('2') && body_of(r) != default_body);
    if !other_success {
        return;
    }
    let pointer = format!("{}/responses", op.pointer);
    let Some(Value::Object(map)) = doc.pointer_mut(&pointer) else {
        return;
    };
    let default = map.remove("default").expect("found above");
    for range in ["4XX", "5XX"] {
        map.entry(range).or_insert_with(|| default.clone());
    }
    log.change(
        join(&pointer, "default"),
        format!(
            "`default` of `{}` became `4XX` and `5XX`: beside 2xx responses with another body it describes the errors, and progenitor would count it as a success too",
            op.id
        ),
    );
}

/// Sort key: 0 for schemas with required properties or a $ref to one, 1 for
/// other typed schemas, 2 for schemas that accept any object.
fn permissive(doc: &Value, schema: &Value) -> u8 {
    let resolved = resolve(doc, schema);
    let Some(map) = resolved.as_object() else {
        return 2;
    };
    if map.is_empty() {
        return 2;
    }
    if map.get("required").is_some() || is_composition(map) {
        return 0;
    }
    let object_without_shape = map.get("type").and_then(Value::as_str) == Some("object")
        && map
            .get("properties")
            .is_none_or(|p| p.as_object().is_none_or(Map::is_empty));
    if object_without_shape { 2 } else { 1 }
}

/// Rewrites every `$ref` to `#/components/schemas/<old>` (and discriminator
/// mappings) to name `<new>`.
fn rename_refs(value: &mut Value, old: &str, new: &str) {
    let old_ref = format!("#/components/schemas/{}", escape(old));
    let new_ref = format!("#/components/schemas/{}", escape(new));
    fn visit(value: &mut Value, old_ref: &str, new_ref: &str) {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if let Value::String(s) = child {
                        if (key == "$ref" || key.is_empty() || s.starts_with('#')) && s == old_ref {
                            *s = new_ref.to_string();
                        }
                    } else {
                        visit(child, old_ref, new_ref);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| visit(v, old_ref, new_ref)),
            _ => {}
        }
    }
    visit(value, &old_ref, &new_ref);
}

/// Whether typify makes no type of its own for this schema: a bare `$ref`,
/// or an unconstrained primitive.
fn makes_no_type(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return true;
    };
    if map.contains_key("$ref") {
        return true;
    }
    let primitive = matches!(
        map.get("type").and_then(Value::as_str),
        Some("string" | "integer" | "number" | "boolean")
    );
    primitive
        && map.keys().all(|k| {
            ANNOTATIONS.contains(&k.as_str())
                || k.starts_with("x-")
                || matches!(k.as_str(), "type" | "format" | "nullable" | "default")
        })
        && map.get("title").is_none()
}

/// Every declaration of each property of a component: its own, and those
/// of its `allOf` members (inline or `$ref`, a few levels deep), which typify
/// merges into one type named `<Component><Property>`.
fn declared_properties<'a>(
    doc: &'a Value,
    schema: &'a Value,
    depth: u8,
    out: &mut BTreeMap<String, Vec<&'a Value>>,
) {
    let schema = resolve(doc, schema);
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, property) in properties {
            out.entry(name.clone()).or_default().push(property);
        }
    }
    if depth == 0 {
        return;
    }
    if let Some(Value::Array(members)) = schema.get("allOf") {
        for member in members {
            declared_properties(doc, member, depth - 1, out);
        }
    }
}

/// Components whose names clash in Rust are renamed (`CsprStakingOptions2`),
/// and every `$ref` follows: two names that map to one Rust type name
/// (`CSPRStakingOptions` and `CsprStakingOptions`), and a component named
/// like the type typify derives for another component's property
/// (`Wallet.id` with a pattern is the newtype `WalletId`, clashing with a
/// component `WalletId`).
fn component_names(doc: &mut Value, log: &mut Log) {
    let names: Vec<String> = match doc.pointer("/components/schemas") {
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        _ => return,
    };
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    for name in &names {
        let rust = rust_type_name(name);
        if let Some(first) = seen.get(&rust) {
            renames.push((
                name.clone(),
                format!("`{name}` and `{first}` are both the Rust type `{rust}`"),
            ));
        } else {
            seen.insert(rust, name.clone());
        }
    }
    let renamed: BTreeSet<String> = renames.iter().map(|(n, _)| n.clone()).collect();
    let mut derived: BTreeMap<String, String> = BTreeMap::new();
    for name in &names {
        let mut properties = BTreeMap::new();
        declared_properties(doc, &doc["components"]["schemas"][name], 3, &mut properties);
        for (property, declarations) in properties {
            let typed = declarations.len() > 1 || declarations.iter().any(|d| !makes_no_type(d));
            if typed {
                derived
                    .entry(rust_type_name(&format!(
                        "{}_{property}",
                        rust_type_name(name)
                    )))
                    .or_insert(format!("{name}.{property}"));
            }
        }
    }
    for name in &names {
        if renamed.contains(name) {
            continue;
        }
        if let Some(property) = derived.get(&rust_type_name(name)) {
            renames.push((
                name.clone(),
                format!(
                    "typify names the type of `{property}` `{}` too",
                    rust_type_name(name)
                ),
            ));
        }
    }
    let mut taken: BTreeSet<String> = seen
        .keys()
        .cloned()
        .chain(derived.keys().cloned())
        .collect();
    for (name, why) in renames {
        let mut n = 2;
        let new = loop {
            let candidate = format!("{}{n}", rust_type_name(&name));
            if !taken.contains(&rust_type_name(&candidate)) {
                break candidate;
            }
            n += 1;
        };
        taken.insert(rust_type_name(&new));
        let schemas = doc
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
            .expect("listed above");
        // Keep the document order: rebuild the map with the key replaced.
        let old_map = std::mem::take(schemas);
        for (key, value) in old_map {
            if key == name {
                schemas.insert(new.clone(), value);
            } else {
                schemas.insert(key, value);
            }
        }
        rename_refs(doc, &name, &new);
        for merged in &mut log.report.merged {
            let renamed = |n: &mut String| {
                if *n == name {
                    *n = new.clone();
                }
            };
            renamed(&mut merged.component);
            merged
                .statuses
                .iter_mut()
                .filter_map(|(_, m)| m.as_mut())
                .for_each(renamed);
        }
        log.change(
            join("/components/schemas", &name),
            format!("component renamed `{new}`: {why}"),
        );
    }
}

/// A `title` names the type typify makes of an inline schema (and of the
/// inner type of a nullable component). A title naming an existing type
/// (a component, or an earlier title) is removed.
fn inline_type_names(doc: &mut Value, log: &mut Log) {
    let components: BTreeMap<String, String> = match doc.pointer("/components/schemas") {
        Some(Value::Object(map)) => map.keys().map(|k| (rust_type_name(k), k.clone())).collect(),
        _ => return,
    };
    let roots: BTreeMap<String, String> = components
        .values()
        .map(|k| (join("/components/schemas", k), rust_type_name(k)))
        .collect();
    let mut titles: BTreeMap<String, String> = BTreeMap::new();
    for_each_schema(doc, |pointer, schema| {
        let Some(title) = schema
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return;
        };
        let rust = rust_type_name(&title);
        let clash = match roots.get(pointer) {
            // A component's own name wins over its title, except for the
            // inner type of a nullable component.
            Some(own) => {
                let nullable = schema.get("nullable") == Some(&Value::Bool(true));
                (nullable && components.contains_key(&rust))
                    || (&rust != own && components.contains_key(&rust))
            }
            None => components.contains_key(&rust) || titles.contains_key(&rust),
        };
        if clash {
            schema.remove("title");
            log.change(
                join(pointer, "title"),
                format!("removed title `{title}`: the Rust type `{rust}` already exists"),
            );
        } else if !roots.contains_key(pointer) {
            titles.insert(rust, pointer.to_string());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the pass named `name` alone on `doc`.
    fn run(name: &str, mut doc: Value) -> (Value, Report) {
        let pass = PASSES.iter().find(|p| p.name == name).expect("a pass");
        let mut report = Report::default();
        run_pass(pass, &mut doc, &mut report);
        (doc, report)
    }

    fn with_schemas(schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": schemas}})
    }

    fn with_operation(operation: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": {"/a/{id}": {"get": operation}}, "components": {"schemas": schemas}})
    }

    #[test]
    fn every_pass_leaves_a_clean_spec_alone() {
        let doc = with_operation(
            json!({"operationId": "getA", "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}),
            json!({"A": {"type": "object", "properties": {"id": {"type": "string", "minLength": 1}}}}),
        );
        let mut normalized = doc.clone();
        assert!(normalize(&mut normalized).is_empty());
        assert_eq!(normalized, doc);
    }

    #[test]
    fn composition_beside_type_moves_the_object_into_the_allof() {
        let (doc, report) = run(
            "composition-beside-type",
            with_schemas(json!({
                "A": {"type": "object", "allOf": [{"$ref": "#/components/schemas/B"}],
                      "properties": {"x": {"type": "string"}}, "required": ["x"]},
                "B": {"type": "object", "oneOf": [{"type": "object"}]}
            })),
        );
        let a = &doc["components"]["schemas"]["A"];
        assert_eq!(a.get("type"), None);
        assert_eq!(a["allOf"][1]["properties"]["x"]["type"], "string");
        assert_eq!(a["allOf"][1]["required"], json!(["x"]));
        assert_eq!(
            doc["components"]["schemas"]["B"],
            json!({"oneOf": [{"type": "object"}]})
        );
        assert_eq!(report.changes.len(), 2);
    }

    #[test]
    fn ref_siblings_are_dropped_and_said_so() {
        let (doc, report) = run(
            "ref-siblings",
            with_schemas(
                json!({"A": {"properties": {"b": {"$ref": "#/components/schemas/B", "description": "d"}}}, "B": {}}),
            ),
        );
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["b"],
            json!({"$ref": "#/components/schemas/B"})
        );
        assert_eq!(
            report.changes[0].pointer,
            "/components/schemas/A/properties/b"
        );
        assert!(report.changes[0].message.contains("`description`"));
    }

    #[test]
    fn single_ref_allof_becomes_the_ref_unless_it_adds_meaning() {
        let (doc, report) = run(
            "single-ref-allof",
            with_schemas(json!({"A": {"properties": {
                "wrapped": {"allOf": [{"$ref": "#/components/schemas/B"}], "description": "d"},
                "nullable": {"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true}
            }}, "B": {}})),
        );
        let properties = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(
            properties["wrapped"],
            json!({"$ref": "#/components/schemas/B"})
        );
        assert!(properties["nullable"].get("allOf").is_some());
        assert_eq!(report.changes.len(), 1);
    }

    #[test]
    fn boolean_exclusive_bounds() {
        let (doc, report) = run(
            "boolean-exclusive-bounds",
            with_schemas(json!({
                "A": {"type": "number", "minimum": 0, "exclusiveMinimum": false},
                "B": {"type": "number", "exclusiveMaximum": true},
                "C": {"type": "number", "minimum": 1, "exclusiveMinimum": true},
                "D": {"type": "number", "exclusiveMinimum": 5}
            })),
        );
        let s = &doc["components"]["schemas"];
        assert_eq!(s["A"], json!({"type": "number", "minimum": 0}));
        assert_eq!(s["B"], json!({"type": "number"}));
        assert_eq!(s["C"]["exclusiveMinimum"], true);
        assert_eq!(
            s["D"],
            json!({"type": "number", "minimum": 5, "exclusiveMinimum": true})
        );
        assert_eq!(report.changes.len(), 3);
    }

    #[test]
    fn vacuous_constraints_are_removed() {
        let (doc, report) = run(
            "vacuous-constraints",
            with_schemas(json!({"A": {"type": "string", "minLength": 0, "maxLength": 5}})),
        );
        assert_eq!(
            doc["components"]["schemas"]["A"],
            json!({"type": "string", "maxLength": 5})
        );
        assert_eq!(report.changes.len(), 1);
    }

    #[test]
    fn unnameable_enums_become_strings_with_their_values_described() {
        assert!(enum_values_nameable(&["a", "b-c", "B_C2"]));
        // typify names `>` and `<` both `X`, `>=` and `<=` both `Xx`.
        assert!(enum_values_nameable(&[">", ">="]));
        assert!(!enum_values_nameable(&[">", ">=", "<", "<="]));
        assert!(!enum_values_nameable(&["WALLET", "wallet"]));
        let (doc, report) = run(
            "unnameable-enums",
            with_schemas(json!({
                "Op": {"type": "string", "enum": [">", "<"]},
                "Fine": {"type": "string", "enum": ["a", "b"]}
            })),
        );
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["Op"],
            json!({"type": "string", "description": "One of: `>`, `<`."})
        );
        assert_eq!(s["Fine"]["enum"], json!(["a", "b"]));
        assert_eq!(report.changes[0].pointer, "/components/schemas/Op/enum");
    }

    #[test]
    fn request_bodies_keep_json_and_drop_what_progenitor_cannot_send() {
        let body = |content: Value| {
            with_operation(
                json!({"operationId": "put", "requestBody": {"content": content}, "responses": {"204": {"description": "ok"}}}),
                json!({}),
            )
        };
        let (doc, report) = run(
            "request-bodies",
            body(
                json!({"application/json": {"schema": {}}, "multipart/form-data": {"schema": {}}}),
            ),
        );
        let content = &doc["paths"]["/a/{id}"]["get"]["requestBody"]["content"];
        assert_eq!(content.as_object().unwrap().len(), 1);
        assert!(report.dropped.is_empty());

        let (doc, report) = run(
            "request-bodies",
            body(json!({"multipart/form-data": {"schema": {}}})),
        );
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(report.dropped.len(), 1);
        assert!(
            report.dropped[0]
                .message
                .contains("operation `put` dropped")
        );
        assert!(report.dropped[0].message.contains("multipart/form-data"));
    }

    #[test]
    fn parameters_progenitor_cannot_take() {
        let operation = json!({"operationId": "getA", "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"oneOf": [{"type": "string"}, {"type": "integer"}]}},
            {"name": "filter", "in": "query", "required": true, "schema": {"type": "object", "required": ["state"],
                "properties": {"state": {"type": "string"}, "coin": {"type": "string", "description": "c"}}}},
            {"name": "deep", "in": "query", "style": "deepObject", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
            {"name": "either", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            {"name": "plain", "in": "query", "schema": {"type": "string"}}
        ], "responses": {"204": {"description": "ok"}}});
        let (doc, report) = run("parameters", with_operation(operation.clone(), json!({})));
        let parameters = doc["paths"]["/a/{id}"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .clone();
        let names: Vec<&str> = parameters
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        // The form-exploded object becomes its properties; the deepObject one goes.
        assert_eq!(names, ["id", "coin", "state", "either", "plain"]);
        assert_eq!(parameters[0]["schema"], json!({"type": "string"}));
        assert_eq!(
            (
                parameters[1]["required"].as_bool(),
                parameters[2]["required"].as_bool()
            ),
            (Some(false), Some(true))
        );
        assert_eq!(parameters[1]["description"], "c");
        assert_eq!(parameters[3]["schema"], json!({"type": "string"}));
        assert_eq!((report.changes.len(), report.dropped.len()), (3, 1));
        assert!(report.dropped[0].message.contains("`deep`"));
        assert!(
            report.dropped[0]
                .message
                .ends_with("its style is `deepObject`, explode true")
        );

        // A required object parameter that cannot be expanded takes its operation with it.
        let mut required = operation;
        required["parameters"][2]["required"] = json!(true);
        let (doc, report) = run("parameters", with_operation(required, json!({})));
        assert_eq!(doc["paths"], json!({}));
        assert!(
            report.dropped[0]
                .message
                .contains("operation `getA` dropped")
        );
    }

    #[test]
    fn json_responses_without_a_schema_get_one() {
        let (doc, report) = run(
            "response-schemas",
            with_operation(
                json!({"operationId": "getA", "responses": {"200": {"description": "ok", "content": {"application/json": {}}}}}),
                json!({}),
            ),
        );
        assert_eq!(
            doc["paths"]["/a/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert_eq!(report.changes.len(), 1);
    }

    #[test]
    fn inline_response_types_become_components_named_by_status() {
        let inline = |properties: Value| json!({"description": "d", "content": {"application/json": {"schema": {"type": "object", "properties": properties}}}});
        let (doc, report) = run(
            "inline-response-types",
            with_operation(
                json!({"operationId": "get-a", "responses": {
                    "200": inline(json!({"ok": {"type": "string"}})),
                    "400": inline(json!({"error": {"type": "string"}}))
                }}),
                json!({"GetA200Response": {}}),
            ),
        );
        let responses = &doc["paths"]["/a/{id}"]["get"]["responses"];
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/GetA200Response2"
        );
        assert_eq!(
            responses["400"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/GetA400Response"
        );
        assert!(doc["components"]["schemas"]["GetA400Response"]["properties"]["error"].is_object());
        assert_eq!(report.changes.len(), 2);
    }

    #[test]
    fn several_bodies_in_one_set_merge_and_bodyless_ones_go() {
        let json_body = |schema: &str| json!({"description": "d", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
        let (doc, report) = run(
            "response-bodies",
            with_operation(
                json!({"operationId": "getA", "responses": {
                    "200": json_body("A"), "202": json_body("Pending"),
                    "400": json_body("Loose"), "401": json_body("Error"), "404": {"description": "none"}
                }}),
                json!({"A": {"type": "object", "required": ["a"]}, "Pending": {"type": "object", "required": ["p"]},
                       "Loose": {"type": "object"}, "Error": {"type": "object", "required": ["error"]}}),
            ),
        );
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["GetASuccess"]["oneOf"],
            json!([{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/Pending"}])
        );
        // The object that accepts anything is tried last.
        assert_eq!(
            s["GetAError"]["oneOf"],
            json!([{"$ref": "#/components/schemas/Error"}, {"$ref": "#/components/schemas/Loose"}])
        );
        let responses = &doc["paths"]["/a/{id}"]["get"]["responses"];
        assert_eq!(
            responses["202"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/GetASuccess"
        );
        assert!(responses.get("404").is_none());
        assert_eq!((report.changes.len(), report.dropped.len()), (2, 1));
        assert_eq!(
            report.dropped[0].pointer,
            "/paths/~1a~1{id}/get/responses/404"
        );
    }

    #[test]
    fn component_names_that_clash_in_rust_are_renamed_with_their_refs() {
        let (doc, report) = run(
            "component-names",
            with_schemas(json!({
                "CSPRStakingOptions": {"type": "object"},
                "CsprStakingOptions": {"type": "object"},
                "Wallet": {"type": "object", "properties": {"id": {"type": "string", "pattern": "^a$"},
                    "options": {"$ref": "#/components/schemas/CsprStakingOptions"}}},
                "WalletId": {"type": "string"}
            })),
        );
        let s = doc["components"]["schemas"].as_object().unwrap();
        let names: Vec<&String> = s.keys().collect();
        assert_eq!(
            names,
            [
                "CSPRStakingOptions",
                "CsprStakingOptions2",
                "Wallet",
                "WalletId2"
            ]
        );
        assert_eq!(
            s["Wallet"]["properties"]["options"]["$ref"],
            "#/components/schemas/CsprStakingOptions2"
        );
        assert_eq!(report.changes.len(), 2);
    }

    #[test]
    fn titles_that_name_existing_types_are_removed() {
        let (doc, report) = run(
            "inline-type-names",
            with_schemas(json!({
                "Currency": {"title": "Currency", "type": "string", "nullable": true, "enum": ["usd", null]},
                "Plain": {"title": "Plain", "type": "string"},
                "A": {"properties": {"kind": {"title": "Plain", "type": "string", "enum": ["x"]}}}
            })),
        );
        let s = &doc["components"]["schemas"];
        assert_eq!(s["Currency"].get("title"), None);
        assert_eq!(s["Plain"]["title"], "Plain");
        assert_eq!(s["A"]["properties"]["kind"].get("title"), None);
        assert_eq!(report.changes.len(), 2);
    }
}
