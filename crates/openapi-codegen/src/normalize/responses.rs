//! Passes over responses: what progenitor's response model (see
//! [`crate::target::responses`]) cannot take as written.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::names::TakenNames;
use super::{Log, MergedBodies};
use crate::openapi::is_composition;
use crate::openapi::operations::{OperationRef, operations};
use crate::openapi::pointer::{escape, join};
use crate::openapi::resolve::{resolve, schema_ref};
use crate::target::naming::type_name as rust_type_name;
use crate::target::responses::{Body, Set, body_of, in_set, json_media, sets};

/// Status keys of one operation's responses, with the response itself
/// (`$ref`s followed), owned: the passes rewrite the document as they go.
fn responses(doc: &Value, op: &OperationRef) -> Vec<(String, Value)> {
    crate::target::responses::responses(doc, &doc["paths"][&op.path][&op.method])
        .into_iter()
        .map(|(status, response)| (status.to_string(), response.clone()))
        .collect()
}

/// Replaces one response of an operation (inlining it if it was a `$ref`).
fn set_response(doc: &mut Value, op: &OperationRef, status: &str, response: Value) {
    let pointer = join(&format!("{}/responses", op.pointer), status);
    if let Some(slot) = doc.pointer_mut(&pointer) {
        *slot = response;
    }
}

/// A response given as a `$ref` to anything but a response component
/// (PagerDuty's `$ref: '#/components/requestBodies/...'`, whose request
/// body has the response's `content`): progenitor looks every response
/// reference up in `components/responses` and panics ("key ... is
/// missing"). The response is written in place (with an empty
/// `description`, which a response requires, where it has none).
pub(super) fn response_refs(doc: &mut Value, log: &mut Log) {
    let mut inlined: Vec<(String, Value, String)> = Vec::new();
    for op in operations(doc) {
        let Some(Value::Object(responses)) = doc.pointer(&format!("{}/responses", op.pointer))
        else {
            continue;
        };
        for (status, response) in responses {
            let Some(reference) = response.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            if reference.starts_with("#/components/responses/") {
                continue;
            }
            let Some(Value::Object(target)) =
                Some(resolve(doc, response)).filter(|t| t.get("$ref").is_none())
            else {
                continue;
            };
            let mut target = target.clone();
            target
                .entry("description")
                .or_insert_with(|| Value::String(String::new()));
            inlined.push((
                join(&format!("{}/responses", op.pointer), status),
                Value::Object(target),
                reference.to_string(),
            ));
        }
    }
    for (pointer, response, reference) in inlined {
        if let Some(slot) = doc.pointer_mut(&pointer) {
            *slot = response;
        }
        log.change(
            pointer,
            format!("response `$ref: {reference}` written in place (progenitor looks response references up in `components/responses` only, and panicked)"),
        );
    }
}

/// A JSON response without a schema: progenitor hits a `todo!`. It becomes
/// `{}`, any JSON value.
pub(super) fn response_schemas(doc: &mut Value, log: &mut Log) {
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

/// Adds (or replaces) the component schema `name`.
pub(super) fn add_component(doc: &mut Value, name: &str, schema: Value) {
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
/// silently get the success body's type. Where an operation has two such
/// inline schemas, or its bodies are merged by `response-bodies` (which
/// decodes each status as its own component), each inline response schema
/// that makes a named type becomes its own component,
/// `<OperationId><Status>Response`. A lone inline type keeps stock's name.
pub(super) fn inline_response_types(doc: &mut Value, log: &mut Log) {
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
        // One inline type, in sets of one body each: stock progenitor names
        // it `<OperationId>Response` and nothing can take its name.
        let all = responses(doc, &op);
        let listed: Vec<(&str, &Value)> = all.iter().map(|(s, r)| (s.as_str(), r)).collect();
        let merges = sets(&listed).iter().any(|(_, kinds)| kinds.len() > 1);
        if inline.len() == 1 && !merges {
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
                json!({ "$ref": schema_ref(&name) }),
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

/// progenitor asserts one body kind per operation among its success
/// responses (1xx-2xx and `default`) and one among its error responses
/// (4xx-5xx and `default`). Several JSON bodies in one set are merged into
/// one component, `<OperationId>Success` or `<OperationId>Error`, a `oneOf`
/// of them (an untagged enum in Rust; the status stays on the response).
/// Responses without a body, or with a non-JSON body, beside JSON ones are
/// removed from the operation (progenitor then reports them as an
/// unexpected response, with their status and body).
pub(super) fn response_bodies(doc: &mut Value, log: &mut Log) {
    let mut taken = TakenNames::of(doc);
    for op in operations(doc) {
        if op.id.is_empty() {
            continue;
        }
        split_default(doc, &op, log);
        for set in [Set::Success, Set::Error] {
            let all = responses(doc, &op);
            let has_success_range = all.iter().any(|(s, _)| s == "2XX");
            let members: Vec<(String, Value)> = all
                .into_iter()
                .filter(|(status, _)| in_set(status, set, has_success_range))
                .collect();
            let kinds: BTreeSet<Body> = members.iter().map(|(_, r)| body_of(r)).collect();
            if kinds.len() <= 1 {
                continue;
            }
            if set == Set::Success && bodiless_beside_one_body(doc, &op, &members, &mut taken, log)
            {
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
            let suffix = if set == Set::Success {
                "Success"
            } else {
                "Error"
            };
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
                content[&media]["schema"] = json!({ "$ref": schema_ref(&name) });
                set_response(doc, &op, &status, response);
            }
            log.report.merged.push(MergedBodies {
                operation_id: op.id.clone(),
                set,
                component: name.clone(),
                statuses: by_status,
                bodiless: Vec::new(),
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

/// Success statuses without a body beside statuses that all have one JSON
/// body (GitHub's `204` "yes" beside a `200` object, Spotify's `204` "no
/// playback"): one component `<OperationId>Success`, `nullable` over that
/// body, for every status; those without a body get it as their content
/// too, so progenitor sees one body kind, and `decode-merged-by-status`
/// makes them `None` without reading a body. The others decode as before,
/// as `Some`. True when it did; then nothing is dropped.
fn bodiless_beside_one_body(
    doc: &mut Value,
    op: &OperationRef,
    members: &[(String, Value)],
    taken: &mut TakenNames,
    log: &mut Log,
) -> bool {
    let mut body: Option<Value> = None;
    let (mut with_body, mut bodiless) = (Vec::new(), Vec::new());
    for (status, response) in members {
        match body_of(response) {
            Body::Json(_) => {
                let content = response["content"].as_object().expect("a JSON body");
                let schema = &content[json_media(content).expect("a JSON body")]["schema"];
                match &body {
                    Some(first) if first != schema => return false,
                    Some(_) => {}
                    None => body = Some(schema.clone()),
                }
                with_body.push(status.clone());
            }
            // A range or `default` has no one status to decode as `None`.
            Body::None if status.parse::<u16>().is_ok() => bodiless.push(status.clone()),
            _ => return false,
        }
    }
    let Some(body) = body.filter(|_| !bodiless.is_empty()) else {
        return false;
    };
    let name = taken.fresh(&format!("{}Success", rust_type_name(&op.id)));
    add_component(
        doc,
        &name,
        json!({
            "description": format!(
                "The success bodies of `{}`: {} with a body, `None` for {} (no body).",
                op.id,
                with_body.join(", "),
                bodiless.join(", ")
            ),
            "nullable": true,
            "allOf": [body],
        }),
    );
    let reference = json!({ "$ref": schema_ref(&name) });
    for (status, response) in members {
        let mut response = response.clone();
        match response.get_mut("content").and_then(Value::as_object_mut) {
            Some(content) if !content.is_empty() => {
                let media = json_media(content).expect("a JSON body").clone();
                content[&media]["schema"] = reference.clone();
            }
            _ => {
                response["content"] =
                    json!({ "application/json": { "schema": reference.clone() } });
            }
        }
        set_response(doc, op, status, response);
    }
    log.report.merged.push(MergedBodies {
        operation_id: op.id.clone(),
        set: Set::Success,
        component: name.clone(),
        // Decoded as the component itself (a body is `Some`), not apart.
        statuses: with_body.iter().map(|s| (s.clone(), None)).collect(),
        bodiless: bodiless.clone(),
    });
    log.change(
        format!("{}/responses", op.pointer),
        format!(
            "the success responses {} of `{}` have no body beside {}'s: one component `{name}`, nullable over that body, `None` for them (progenitor takes one success body kind per operation; they would arrive as unexpected responses)",
            bodiless.join(", "),
            op.id,
            with_body.join(", ")
        ),
    );
    true
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
