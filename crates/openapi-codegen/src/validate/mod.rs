//! Layer 3a: validation. Two checks, on both sides of normalization:
//! - [`document`], first: is this an OpenAPI 3.0 document at all (the
//!   meta-schema, the version, every `$ref` resolvable)?
//! - [`for_progenitor`], after the normalization passes: what is still
//!   there that progenitor 0.15 cannot take (the last line of defence, for
//!   what no pass repaired)?
//!
//! Each problem is `(JSON pointer, message)`; [`crate::spec`] adds the file.

pub mod draft4;
pub mod schema;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::openapi::operations::{OperationRef, operations, template_names};
use crate::openapi::pointer::{escape, join};
use crate::openapi::resolve::{references, unresolvable};
use crate::openapi::walk::Position;
use crate::target::responses::{self, json_media};

/// Where (a JSON pointer, or `line L column C`) and what.
pub type Problem = (String, String);

/// Is `doc` an OpenAPI 3.0 document whose references all resolve?
pub fn document(doc: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !doc.is_object() {
        problems.push((
            String::new(),
            "the document is not a mapping; expected an OpenAPI 3.0 object".to_string(),
        ));
        return problems;
    }
    match doc.get("openapi") {
        Some(Value::String(v)) if v.trim().starts_with("3.0.") => {
            problems.extend(schema::check(doc));
        }
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
    crate::openapi::walk::visit(
        doc,
        "",
        Position::Object,
        &mut |node, map| match map.get("$ref") {
            Some(Value::String(_)) | None => {}
            Some(other) => problems.push((
                join(node.pointer, "$ref"),
                format!("$ref must be a string, found {other}"),
            )),
        },
    );
    for (at, reference) in references(doc, "", Position::Object) {
        if let Some(message) = unresolvable(doc, &reference) {
            problems.push((at, message));
        }
    }
    problems
}

/// What progenitor 0.15 cannot take: operations without a unique
/// operationId, path items given as `$ref`, response sets with several body
/// kinds, and JSON responses without a schema or with an `encoding`.
pub fn for_progenitor(doc: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for (path, item) in paths {
            if item.get("$ref").is_some() {
                problems.push((
                    join("/paths", path),
                    "a path item given as a $ref is not supported; write the operations inline"
                        .to_string(),
                ));
            }
        }
    }
    let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
    for op in operations(doc) {
        let operation = &doc["paths"][&op.path][&op.method];
        if op.id.is_empty() {
            problems.push((
                op.pointer.clone(),
                "missing operationId; progenitor names the client method after it".to_string(),
            ));
        } else if let Some(first) = operation_ids.get(&op.id) {
            problems.push((
                format!("{}/operationId", op.pointer),
                format!(
                    "duplicate operationId {:?}; it is already used at {first}",
                    op.id
                ),
            ));
        } else {
            operation_ids.insert(op.id.clone(), op.pointer.clone());
        }
        check_responses(doc, operation, &op.pointer, &mut problems);
        check_path_parameters(doc, &op, &mut problems);
    }
    problems
}

/// Each expression of the path's template has a path parameter, and each
/// path parameter an expression (progenitor panics otherwise; the pass
/// `path-parameters` makes it so).
fn check_path_parameters(doc: &Value, op: &OperationRef, problems: &mut Vec<Problem>) {
    let mut names = template_names(&op.path);
    let mut declared: Vec<&str> = op
        .parameters(doc)
        .into_iter()
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|p| p.get("name")?.as_str())
        .collect();
    // Each name once (a template may repeat one; an operation's parameter
    // may override its path item's).
    for list in [&mut names, &mut declared] {
        let mut seen = std::collections::BTreeSet::new();
        list.retain(|name| seen.insert(*name));
    }
    for name in &names {
        if !declared.contains(name) {
            problems.push((
                op.pointer.clone(),
                format!("the path's `{{{name}}}` has no path parameter (OpenAPI requires one; progenitor panics on it)"),
            ));
        }
    }
    for name in declared {
        if !names.contains(&name) {
            problems.push((
                join(&op.pointer, "parameters"),
                format!("path parameter `{name}` is not in the path (OpenAPI requires it there; progenitor panics on it, or never sends it)"),
            ));
        }
    }
}

fn check_responses(doc: &Value, operation: &Value, op_pointer: &str, problems: &mut Vec<Problem>) {
    let responses_pointer = format!("{op_pointer}/responses");
    let listed = responses::responses(doc, operation);
    let mut usable = Vec::new();
    for (status, response) in &listed {
        let response_pointer = join(&responses_pointer, status);
        if response.get("$ref").is_some() {
            problems.push((
                response_pointer,
                "a response $ref must name a response in components.responses".to_string(),
            ));
            continue;
        }
        if let Some(content) = response.get("content").and_then(Value::as_object)
            && let Some(media) = json_media(content)
        {
            let media_pointer = format!("{response_pointer}/content/{}", escape(media));
            let media_type = &content[media];
            if media_type
                .get("encoding")
                .and_then(Value::as_object)
                .is_some_and(|e| !e.is_empty())
            {
                problems.push((
                    format!("{media_pointer}/encoding"),
                    "`encoding` on a JSON response is not supported".to_string(),
                ));
                continue;
            }
            if media_type.get("schema").is_none() {
                problems.push((
                    media_pointer,
                    "a JSON response needs a schema; progenitor cannot type it without one"
                        .to_string(),
                ));
                continue;
            }
        }
        usable.push((*status, *response));
    }
    // progenitor's order: `default` first, then the statuses as listed.
    usable.sort_by_key(|(status, _)| *status != "default");
    for (set, kinds) in responses::sets(&usable) {
        if kinds.len() > 1 {
            let described = kinds
                .iter()
                .map(|(kind, statuses)| format!("{} -> {}", statuses.join(", "), kind))
                .collect::<Vec<_>>()
                .join("; ");
            let set = set.as_str();
            problems.push((
                responses_pointer.clone(),
                format!(
                    "the {set} responses have {} different bodies ({described}); progenitor supports one {set} body schema per operation",
                    kinds.len()
                ),
            ));
        }
    }
}
