//! Passes over operations: request bodies and parameters progenitor
//! cannot send as written.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::Log;
use crate::openapi::operations::{self, METHODS, operations};
use crate::openapi::pointer::join;
use crate::openapi::resolve::resolve;
use crate::openapi::view::{ObjectView, type_of};
use crate::target::bodies::{self, Encoding};
use crate::target::naming::method_name;
use crate::target::parameters::{DELIMITER_KEY, WIRE_NAME_KEY, distinct_argument};
use crate::target::types::singleton_member;

/// A security requirement naming a scheme no `components.securitySchemes`
/// defines (Ory Kratos' `sessionToken`), which OpenAPI forbids. progenitor
/// ignores security, so the client is the same either way; the requirement
/// is dropped and listed (`--strict` fails on it) rather than the document
/// refused.
pub(super) fn security_schemes(doc: &mut Value, log: &mut Log) {
    let schemes: BTreeSet<String> = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let mut owners: Vec<(String, String)> = vec![(String::new(), "the document".to_string())];
    owners.extend(
        operations(doc)
            .into_iter()
            .map(|op| (op.pointer.clone(), format!("`{}`", op.id))),
    );
    for (owner, what) in owners {
        let at = format!("{owner}/security");
        let Some(Value::Array(requirements)) = doc.pointer_mut(&at) else {
            continue;
        };
        let mut i = 0;
        let mut dropped = Vec::new();
        requirements.retain(|requirement| {
            let undefined: Vec<String> = requirement
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, _)| name.clone())
                .filter(|name| !schemes.contains(name))
                .collect();
            let keep = undefined.is_empty();
            if !keep {
                dropped.push((format!("{at}/{i}"), undefined));
            }
            i += 1;
            keep
        });
        for (pointer, undefined) in dropped {
            log.drop(
                pointer,
                format!(
                    "security requirement {} of {what} dropped: no `components.securitySchemes` defines it, as OpenAPI requires (progenitor ignores security; the client is the same)",
                    undefined
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
}

/// A path item's fields are case-sensitive: `GET` is no method, and
/// openapiv3 (so stock progenitor) ignores the operation under it without
/// a word, as it does any unknown field. Such a key is removed and listed
/// (`--strict` fails on it), so that a method missing from the client is
/// said; the client is stock's.
pub(super) fn method_keys(doc: &mut Value, log: &mut Log) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        let keys: Vec<String> = item
            .keys()
            .filter(|key| {
                !METHODS.contains(&key.as_str())
                    && METHODS.contains(&key.to_ascii_lowercase().as_str())
            })
            .cloned()
            .collect();
        for key in keys {
            item.remove(&key);
            log.drop(
                join(&join("/paths", path), &key),
                format!(
                    "operation under `{key}` dropped: a path item's fields are case-sensitive and its methods lowercase (`{}`), so OpenAPI, and progenitor, ignore it",
                    key.to_ascii_lowercase()
                ),
            );
        }
    }
}

/// A path item given as a local `$ref` to another path item (OpenAPI
/// allows it; the OAI's examples refer to one kept under an `x-` key) is
/// written in place: the referenced item's fields, then its own, which
/// win. Stock progenitor refuses the document ("path item given as a
/// $ref"). A reference to something that is no path item stays, and is
/// refused by name.
pub(super) fn path_item_refs(doc: &mut Value, log: &mut Log) {
    const FIELDS: [&str; 4] = ["servers", "parameters", "summary", "description"];
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return;
    };
    let mut inlined: Vec<(String, Map<String, Value>, String)> = Vec::new();
    for (path, item) in paths {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let target = resolve(doc, item);
        let Some(target) = target.as_object() else {
            continue;
        };
        let is_path_item = !target.contains_key("$ref")
            && target.keys().all(|k| {
                METHODS.contains(&k.as_str()) || FIELDS.contains(&k.as_str()) || k.starts_with("x-")
            });
        if !is_path_item {
            continue;
        }
        let mut merged = target.clone();
        for (key, value) in item.as_object().into_iter().flatten() {
            if key != "$ref" {
                merged.insert(key.clone(), value.clone());
            }
        }
        inlined.push((path.clone(), merged, reference.to_string()));
    }
    for (path, merged, reference) in inlined {
        doc["paths"][&path] = Value::Object(merged);
        log.change(
            join("/paths", &path),
            format!("path item `$ref: {reference}` written in place (progenitor refuses a path item given as a $ref)"),
        );
    }
}

/// Operations without an `operationId` (which OpenAPI allows) are named
/// after their method and path, as the client method progenitor would make
/// of it: `get /pets/{petId}` is `get_pets_by_pet_id`, `/` is `root`. A name
/// whose method is already another operation's gets `_2`, `_3`.. in path
/// then method order. Stock progenitor refuses the whole document ("path
/// /pets is missing operation ID").
pub(super) fn operation_ids(doc: &mut Value, log: &mut Log) {
    let all = operations(doc);
    let mut taken: BTreeSet<String> = all
        .iter()
        .filter(|op| !op.id.is_empty())
        .map(|op| method_name(&op.id))
        .collect();
    for op in all.iter().filter(|op| op.id.is_empty()) {
        let base = derived_operation_id(&op.method, &op.path);
        let mut id = base.clone();
        let mut n = 2;
        while !taken.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        if let Some(Value::Object(operation)) = doc.pointer_mut(&op.pointer) {
            operation.insert("operationId".into(), Value::String(id.clone()));
        }
        log.change(
            join(&op.pointer, "operationId"),
            format!(
                "no operationId: named `{id}` after its method and path (progenitor names the client method after it)"
            ),
        );
    }
}

/// OpenAPI requires each expression of a path's template to have a path
/// parameter, and each path parameter an expression. progenitor panics on
/// an expression without one ("missing path name mapping") and on a path
/// parameter without one beside another path parameter ("missing from
/// path"); alone, that parameter becomes an argument it never sends. So a
/// path parameter the template lacks is dropped and listed, and an
/// expression without one is declared on the operation as a required
/// string (the wire form of every path segment), and the change listed.
pub(super) fn path_parameters(doc: &mut Value, log: &mut Log) {
    let paths: Vec<String> = doc
        .get("paths")
        .and_then(Value::as_object)
        .map(|paths| paths.keys().cloned().collect())
        .unwrap_or_default();
    let ops = operations(doc);
    for path in paths {
        let names = operations::template_names(&path);
        let item = join("/paths", &path);
        let owners = std::iter::once((item.clone(), format!("`{path}`")))
            .chain(
                ops.iter()
                    .filter(|op| op.path == path)
                    .map(|op| (op.pointer.clone(), format!("`{}`", op.id))),
            )
            .collect::<Vec<_>>();
        for (owner, what) in owners {
            let list_pointer = format!("{owner}/parameters");
            let Some(Value::Array(list)) = doc.pointer(&list_pointer) else {
                continue;
            };
            let extra: Vec<(usize, String)> = list
                .iter()
                .enumerate()
                .filter_map(|(i, parameter)| {
                    let parameter = resolve(doc, parameter);
                    let name = parameter.get("name")?.as_str()?;
                    (parameter.get("in")?.as_str()? == "path" && !names.contains(&name))
                        .then(|| (i, name.to_string()))
                })
                .collect();
            for (i, name) in extra.iter().rev() {
                if let Some(Value::Array(list)) = doc.pointer_mut(&list_pointer) {
                    list.remove(*i);
                }
                log.drop(
                    format!("{list_pointer}/{i}"),
                    format!(
                        "path parameter `{name}` of {what} dropped: the path has no `{{{name}}}` \
                         (OpenAPI requires one), so its value would never be sent"
                    ),
                );
            }
        }
    }
    for op in operations(doc) {
        let declared: BTreeSet<String> = op
            .parameters(doc)
            .into_iter()
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
            .filter_map(|p| Some(p.get("name")?.as_str()?.to_string()))
            .collect();
        let mut seen = BTreeSet::new();
        let missing: Vec<String> = operations::template_names(&op.path)
            .into_iter()
            .filter(|name| !declared.contains(*name) && seen.insert(*name))
            .map(str::to_string)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let Some(Value::Object(operation)) = doc.pointer_mut(&op.pointer) else {
            continue;
        };
        let list = operation
            .entry("parameters")
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(list) = list else { continue };
        for name in missing {
            list.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
            log.change(
                join(&op.pointer, "parameters"),
                format!(
                    "`{{{name}}}` of `{}` has no path parameter (OpenAPI requires one): declared as a required string",
                    op.id
                ),
            );
        }
    }
}

/// `get` `/pets/{petId}/toys` → `get_pets_by_pet_id_toys`.
fn derived_operation_id(method: &str, path: &str) -> String {
    let mut words = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let parameter = segment.starts_with('{');
        let word: String = segment
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let word = word.split_whitespace().collect::<Vec<_>>().join("_");
        if word.is_empty() {
            continue;
        }
        if parameter {
            words.push("by".to_string());
        }
        words.push(word);
    }
    if words.len() == 1 {
        words.push("root".to_string());
    }
    method_name(&words.join("_"))
}

/// Request bodies: several media types keep the JSON one (progenitor takes
/// one); an operation whose body progenitor cannot send
/// (`multipart/form-data`) is dropped and listed; a body without a schema
/// gets the one its media type means (readme.io's `request-examples.json`),
/// and so does an octet-stream or text body whose schema progenitor
/// refuses (Cloudflare's `{type: string}` dataset upload: its bytes are
/// sent as given either way); an `encoding` beside a JSON body, which
/// means nothing there, is removed.
pub(super) fn request_bodies(doc: &mut Value, log: &mut Log) {
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
        // `application/json-patch+json` is not JSON to progenitor (it
        // refuses the whole document).
        let keep = bodies::sent_media(content).cloned();
        let Some(keep) = keep else {
            if medias.is_empty() {
                continue;
            }
            operations::remove(doc, &op);
            log.drop(
                &op.pointer,
                format!(
                    "operation `{}` dropped: progenitor cannot send a {} request body",
                    op.id,
                    medias.join(" or ")
                ),
            );
            continue;
        };
        let mut body = body.clone();
        let content = body
            .get_mut("content")
            .and_then(Value::as_object_mut)
            .expect("seen above");
        let mut changed = false;
        if medias.len() > 1 {
            content.retain(|k, _| *k == keep);
            let others: Vec<&String> = medias.iter().filter(|m| **m != keep).collect();
            log.change(
                join(&body_pointer, "content"),
                format!(
                    "kept only `{keep}` of the request body's media types; dropped {others:?} (progenitor sends one)"
                ),
            );
            changed = true;
        }
        // progenitor refuses a body without a schema ("No schema specified
        // for request body"): the schema that says what its media type is.
        let media = &mut content[&keep];
        let media_pointer = join(&join(&body_pointer, "content"), &keep);
        if media.get("schema").is_none() {
            let schema =
                bodies::raw_schema(&keep).unwrap_or_else(|| match bodies::encoding(&keep) {
                    Some(Encoding::Form) => json!({"type": "object"}),
                    _ => json!({}),
                });
            log.change(
                media_pointer.clone(),
                format!(
                    "request body `{keep}` without a schema: `{schema}`, what any such body is (progenitor refuses a body without one)"
                ),
            );
            if let Value::Object(media) = media {
                media.insert("schema".into(), schema);
            }
            changed = true;
        }
        // OpenAPI 3.0 applies `encoding` to multipart and form bodies only;
        // progenitor panics on it beside any ("media type encoding not empty").
        if bodies::encoding(&keep) == Some(Encoding::Json)
            && let Value::Object(media) = media
            && has_encoding(media)
            && media.remove("encoding").is_some()
        {
            log.change(
                join(&media_pointer, "encoding"),
                "removed `encoding` beside a JSON body (OpenAPI 3.0 applies it to multipart and form bodies only; progenitor panicked on it: \"media type encoding not empty\")",
            );
            changed = true;
        }
        // progenitor `todo!`s on an `encoding` beside a form body too (Stripe
        // gives every body one: `style: deepObject` for its nested
        // properties). It sends a form body flat (serde_urlencoded): a
        // property an encoding is about is sent as `name=value` when its
        // value is a scalar, and one whose value nests cannot be sent
        // either way (the request fails when it is set).
        if bodies::encoding(&keep) == Some(Encoding::Form)
            && let Value::Object(media) = media
            && has_encoding(media)
            && let Some(Value::Object(encoding)) = media.remove("encoding")
        {
            let schema = media.get("schema").unwrap_or(&Value::Null);
            let at = join(&media_pointer, "schema");
            let properties = ObjectView::of(doc, &at, schema).properties;
            let nested: Vec<String> = encoding
                .keys()
                .filter(|name| {
                    properties.get(*name).is_some_and(|declared| {
                        declared.iter().any(|(_, property)| {
                            type_of(doc, property) == Some("array")
                                || is_struct_like(doc, property)
                                || is_composed(doc, property)
                        })
                    })
                })
                .map(|name| format!("`{name}`"))
                .collect();
            let nested = if nested.is_empty() {
                String::new()
            } else {
                format!(
                    "; its properties {} hold objects or arrays, which it cannot send (the request fails when one is set)",
                    nested.join(", ")
                )
            };
            log.change(
                join(&media_pointer, "encoding"),
                format!(
                    "removed `encoding` beside a form body (progenitor panicked on it: \"media type encoding not empty\"); progenitor sends the body's properties as flat `name=value` pairs{nested}"
                ),
            );
            changed = true;
        }
        // progenitor sends an octet-stream or text body as it is given
        // (`reqwest::Body`) and refuses the whole document unless its schema
        // is exactly the one that says so.
        if let Some(raw) = bodies::raw_schema(&keep)
            && let Some(schema) = media.get("schema")
            && !bodies::is_raw_schema(resolve(doc, schema), &raw)
        {
            let mut replaced = raw.clone();
            if let Some(description) = resolve(doc, schema).get("description") {
                replaced["description"] = description.clone();
            }
            log.change(
                join(&media_pointer, "schema"),
                format!(
                    "request body `{keep}` read as `{raw}`, which any such body is: progenitor sends it as given and refuses the document for the schema `{}`",
                    compact(schema)
                ),
            );
            media["schema"] = replaced;
            changed = true;
        }
        if changed {
            *doc.pointer_mut(&body_pointer).expect("seen above") = body;
        }
    }
}

/// Whether a media type has an `encoding` progenitor panics on ("media type
/// encoding not empty"): an empty one it takes.
fn has_encoding(media: &Map<String, Value>) -> bool {
    media
        .get("encoding")
        .and_then(Value::as_object)
        .is_some_and(|encoding| !encoding.is_empty())
}

/// A schema in one line, shortened for a message.
fn compact(schema: &Value) -> String {
    let text = schema.to_string();
    match text.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// What typify makes of a parameter schema, as far as progenitor cares.
fn is_struct_like(doc: &Value, schema: &Value) -> bool {
    let schema = unwrapped(doc, schema);
    let object = schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some();
    object || schema.get("anyOf").is_some() || schema.get("allOf").is_some()
}

/// The schema a parameter's type is made of: `$ref`s followed, and
/// `{allOf: [one]}` wrappers (annotations beside) seen through, as typify
/// makes the same type of them.
fn unwrapped<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut current = resolve(doc, schema);
    for _ in 0..8 {
        match current.as_object().and_then(singleton_member) {
            Some(only) => current = resolve(doc, only),
            None => break,
        }
    }
    current
}

fn is_composed(doc: &Value, schema: &Value) -> bool {
    let schema = unwrapped(doc, schema);
    schema.get("oneOf").is_some() || schema.get("anyOf").is_some() || schema.get("allOf").is_some()
}

/// Whether typify gives the type of `schema` a `Display` impl, which
/// progenitor needs to put a value into a path: scalars, string enums, and
/// `oneOf`s of those (untagged enums whose variants all display).
fn displayable(doc: &Value, schema: &Value, depth: u8) -> bool {
    let schema = unwrapped(doc, schema);
    let structured = [
        "anyOf",
        "allOf",
        "properties",
        "additionalProperties",
        "items",
    ]
    .iter()
    .any(|k| schema.get(k).is_some());
    if structured || depth == 0 {
        return false;
    }
    match schema.get("oneOf") {
        Some(Value::Array(members)) => {
            !members.is_empty() && members.iter().all(|m| displayable(doc, m, depth - 1))
        }
        Some(_) => false,
        None => matches!(
            schema.get("type").and_then(Value::as_str),
            Some("string" | "integer" | "number" | "boolean")
        ),
    }
}

/// Parameters progenitor cannot take. An object-typed query parameter
/// (progenitor asserts) is dropped when optional and drops its operation when
/// required. A query parameter typify makes a struct of (`anyOf`, `allOf`:
/// an optional `anyOf` hits `unreachable!` in progenitor) becomes a string,
/// and so does a composed path parameter whose type has no `Display`
/// (progenitor formats path values with it); a `oneOf` of scalars, which
/// typify displays, stays typed, as stock progenitor takes it. A string
/// keeps the parameter's description, or takes the schema's.
pub(super) fn parameters(doc: &mut Value, log: &mut Log) {
    // Every parameter's wire name: a renamed parameter's new name is none
    // of them, so that `restore-wire-names` finds it alone.
    let wire_names: BTreeSet<String> = operations(doc)
        .iter()
        .flat_map(|op| parameter_names(doc, op))
        .collect();
    for op in operations(doc) {
        let path_item = join("/paths", &op.path);
        // Every parameter name of the operation, to keep expansions apart.
        let names: BTreeSet<String> = parameter_names(doc, &op).collect();
        // The method's arguments so far: Rust name -> (wire name, location).
        let mut arguments: BTreeMap<String, (String, String)> = BTreeMap::new();
        for owner in [path_item.clone(), op.pointer.clone()] {
            let list_pointer = format!("{owner}/parameters");
            let Some(Value::Array(list)) = doc.pointer(&list_pointer) else {
                continue;
            };
            let list = list.clone();
            let mut kept = Vec::new();
            let mut changed = false;
            for (i, mut parameter) in list.into_iter().enumerate() {
                let pointer = format!("{list_pointer}/{i}");
                let mut resolved = resolve(doc, &parameter).clone();
                // Owned: `resolved` may change below.
                let text = |key| {
                    resolved
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                };
                let (location, mut name) = (text("in"), text("name"));
                let location = location.as_str();
                let required = resolved.get("required") == Some(&Value::Bool(true));
                let style = text("style");
                // progenitor sends `simple` path parameters and no cookies.
                if location == "cookie" || (location == "path" && !matches!(&*style, "" | "simple"))
                {
                    changed = true;
                    let why = match location {
                        "cookie" => "progenitor sends no cookie parameters".to_string(),
                        _ => format!(
                            "progenitor sends path parameters in the `simple` style only, not `{style}`"
                        ),
                    };
                    let reason = format!("cannot be sent: {why}");
                    let what = format!("{location} parameter `{name}`");
                    if drop_parameter(doc, &op, log, &pointer, required, &what, &reason) {
                        break;
                    }
                    continue;
                }
                // progenitor names the argument after the wire name alone:
                // Twilio's `EndTime`, `EndTime<` and `EndTime>` are all
                // `end_time`. The first keeps it (an operation's own
                // parameter overrides its path item's of one name).
                let argument = method_name(&name);
                match arguments.get(&argument) {
                    Some((wire, place))
                        if !(*wire == name && place == location) && location == "query" =>
                    {
                        // Renamed for progenitor, sent under its own name.
                        changed = true;
                        let (wire, place) = (wire.clone(), place.clone());
                        let taken = |candidate: &str| {
                            arguments.contains_key(candidate) || wire_names.contains(candidate)
                        };
                        let renamed = distinct_argument(&name, location, &taken);
                        resolved["name"] = json!(renamed);
                        resolved[WIRE_NAME_KEY] = json!(name);
                        parameter = resolved.clone();
                        arguments.insert(renamed.clone(), (name.clone(), location.to_string()));
                        log.change(
                            &pointer,
                            format!(
                                "query parameter `{name}` of `{}` is the argument `{renamed}`: progenitor names an argument after its wire name alone, and `{argument}` is {place} parameter `{wire}`'s (two arguments of one name do not compile); it is still sent as `{name}` (`restore-wire-names`)",
                                op.id
                            ),
                        );
                        name = renamed;
                    }
                    Some((wire, place)) if !(*wire == name && place == location) => {
                        changed = true;
                        let reason = format!(
                            "is the method's argument `{argument}` in Rust, as {place} parameter `{wire}` is: progenitor would declare two arguments of one name, which do not compile"
                        );
                        let what = format!("{location} parameter `{name}`");
                        if drop_parameter(doc, &op, log, &pointer, required, &what, &reason) {
                            break;
                        }
                        continue;
                    }
                    _ => {
                        arguments.insert(argument, (name.clone(), location.to_string()));
                    }
                }
                if location == "query" && matches!(&*style, "spaceDelimited" | "pipeDelimited") {
                    changed = true;
                    let delimiter = if style == "spaceDelimited" { " " } else { "|" };
                    resolved["style"] = json!("form");
                    resolved["explode"] = json!(false);
                    resolved[DELIMITER_KEY] = json!(delimiter);
                    parameter = resolved.clone();
                    log.change(
                        &pointer,
                        format!(
                            "query parameter `{name}` of `{}`: style `{style}` written as `form`, unexploded, with its delimiter in `{DELIMITER_KEY}`, which `join-array-parameters` sends (progenitor refuses the style)",
                            op.id
                        ),
                    );
                }
                let Some(mut schema) = resolved.get("schema").cloned() else {
                    kept.push(parameter);
                    continue;
                };
                // A header or a path segment is text: it has no JSON null.
                let nullable = resolve(doc, &schema).get("nullable") == Some(&Value::Bool(true));
                if nullable && matches!(location, "header" | "path") {
                    changed = true;
                    schema = resolve(doc, &schema).clone();
                    if let Value::Object(map) = &mut schema {
                        map.remove("nullable");
                    }
                    resolved["schema"] = schema.clone();
                    parameter = resolved.clone();
                    log.change(
                        join(&pointer, "schema"),
                        format!(
                            "`nullable` of {location} parameter `{name}` of `{}` dropped: a {location} is text, with no null to send (progenitor's `Option<Option<&str>>` for it does not compile)",
                            op.id
                        ),
                    );
                }
                let schema = &schema;
                let object = {
                    let s = resolve(doc, schema);
                    s.get("type").and_then(Value::as_str) == Some("object")
                        || s.get("properties").is_some()
                };
                // progenitor refuses the style `deepObject` ("unsupported
                // style of query parameter DeepObject"): an object is sent
                // as its properties below, or dropped; anything else
                // (Stripe's `expand[]`, an `anyOf` of a number and a range)
                // has no form progenitor writes as `name[key]=value`.
                if location == "query" && style == "deepObject" && !object {
                    changed = true;
                    let reason = "is sent in the style `deepObject` (`name[key]=value`), which progenitor refuses for the whole document, and its value is not an object that can be sent as separate parameters";
                    let what = format!("query parameter `{name}`");
                    if drop_parameter(doc, &op, log, &pointer, required, &what, reason) {
                        break;
                    }
                    continue;
                }
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
                    let reason = format!(
                        "is an object progenitor cannot serialize, and it cannot be sent as separate parameters: {why}"
                    );
                    let what = format!("query parameter `{name}`");
                    if drop_parameter(doc, &op, log, &pointer, required, &what, &reason) {
                        break;
                    }
                    continue;
                }
                let composed = is_composed(doc, schema);
                let is_array =
                    unwrapped(doc, schema).get("type").and_then(Value::as_str) == Some("array");
                // A path or header value is written with `Display` (an
                // array is joined by `join-array-parameters`).
                let unsendable = match location {
                    "path" | "header" => !is_array && !displayable(doc, schema, 8),
                    "query" => composed && is_struct_like(doc, schema),
                    _ => false,
                };
                if unsendable {
                    changed = true;
                    let mut parameter = resolved.clone();
                    if parameter.get("description").is_none()
                        && let Some(description) = resolve(doc, schema).get("description")
                    {
                        parameter["description"] = description.clone();
                    }
                    parameter["schema"] = json!({ "type": "string" });
                    log.change(
                        &pointer,
                        format!(
                            "{location} parameter `{name}` of `{}` typed as a string: progenitor cannot send its {} type here (no `Display` for a path or a header, a struct for a query)",
                            op.id,
                            if composed { "composed" } else { "object" }
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

/// The names of an operation's parameters.
fn parameter_names<'a>(
    doc: &'a Value,
    op: &operations::OperationRef,
) -> impl Iterator<Item = String> + 'a {
    op.parameters(doc)
        .into_iter()
        .filter_map(|p| p.get("name")?.as_str().map(str::to_string))
}

/// Drops a parameter progenitor cannot send, and its operation when it is
/// required (then true: the operation is gone). `what` is "query parameter
/// `name`"; `reason` follows "it".
fn drop_parameter(
    doc: &mut Value,
    op: &operations::OperationRef,
    log: &mut Log,
    pointer: &str,
    required: bool,
    what: &str,
    reason: &str,
) -> bool {
    if required {
        operations::remove(doc, op);
        log.drop(
            pointer,
            format!(
                "operation `{}` dropped: its required {what} {reason}",
                op.id
            ),
        );
    } else {
        log.drop(
            pointer,
            format!("optional {what} of `{}` dropped: it {reason}", op.id),
        );
    }
    required
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
