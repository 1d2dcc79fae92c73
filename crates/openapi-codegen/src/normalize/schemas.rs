//! Passes over single schemas: what typify or openapiv3 misread in one
//! schema object, wherever it sits.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::Log;
use crate::openapi::pointer::join;
use crate::openapi::resolve::{resolve, resolve_at};
use crate::openapi::view::{ObjectView, type_of};
use crate::openapi::walk::{
    for_each_schema as for_each_schema_ref, for_each_schema_mut as for_each_schema,
};
use crate::openapi::{BoundRewrite, OBJECT_KEYWORDS, exclusive_bounds_as_draft4, is_composition};
use crate::target::naming::{enum_values_nameable, field_name};
use crate::target::types::{default_fits, native_default_fails, singleton_member};

/// `text` as a regular expression that matches exactly it (ECMAScript
/// syntax, which typify's `regress` reads).
fn regex_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An object whose `anyOf` only lists which properties must be present
/// (BitGo's `CreateWallet`: `label`, or `evmKeyRingReferenceWalletId`, the
/// first alternative saying `not: {required: [evmKeyRingReferenceWalletId]}`).
/// typify reads such alternatives as exclusive: each variant leaves out the
/// properties another alternative requires (and those a `not` names), so a
/// body with both loses one silently. Each alternative becomes a whole
/// object, every property declared, requiring its own list, in a `oneOf`
/// (an untagged enum that typify takes as written): every variant keeps
/// every property, and a body with none of the lists is still refused. A
/// `not: {required: R}` is dropped only where another alternative requires
/// no more than `R` (a body with `R` is valid through that one anyway), so
/// the bodies the schema allows stay the same.
pub(super) fn required_alternatives(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        let Some(Value::Array(members)) = schema.get("anyOf") else {
            return;
        };
        let Some(Value::Object(properties)) = schema.get("properties") else {
            return;
        };
        let composed_otherwise = ["oneOf", "allOf", "$ref", "not", "nullable"]
            .iter()
            .any(|k| schema.contains_key(*k));
        if members.len() < 2
            || composed_otherwise
            || schema.get("type").is_some_and(|t| t != "object")
        {
            return;
        }
        let names = |list: Option<&Value>| -> Option<Vec<String>> {
            list?
                .as_array()?
                .iter()
                .map(|r| r.as_str().map(str::to_string))
                .collect()
        };
        // Each alternative: its `required` list (all declared) and the list
        // of its `not`, if it has one.
        let mut alternatives: Vec<(Vec<String>, Option<Vec<String>>)> = Vec::new();
        for member in members {
            let Some(member) = member.as_object() else {
                return;
            };
            if !member
                .keys()
                .all(|k| ["required", "not", "description", "title"].contains(&k.as_str()))
            {
                return;
            }
            let Some(required) = names(member.get("required")).filter(|r| !r.is_empty()) else {
                return;
            };
            if !required.iter().all(|r| properties.contains_key(r)) {
                return;
            }
            let not = match member.get("not") {
                None => None,
                Some(Value::Object(not)) if not.keys().all(|k| k == "required") => {
                    match names(not.get("required")) {
                        Some(excluded) => Some(excluded),
                        None => return,
                    }
                }
                Some(_) => return,
            };
            alternatives.push((required, not));
        }
        let redundant = |excluded: &Vec<String>| {
            alternatives.iter().any(|(required, not)| {
                not.is_none() && required.iter().all(|r| excluded.contains(r))
            })
        };
        if !alternatives
            .iter()
            .all(|(_, not)| not.as_ref().is_none_or(redundant))
        {
            return;
        }
        let base_required = names(schema.get("required")).unwrap_or_default();
        let object: Map<String, Value> = schema
            .iter()
            .filter(|(k, _)| !["anyOf", "description", "title", "required"].contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let whole: Vec<Value> = alternatives
            .iter()
            .map(|(required, _)| {
                let mut member = object.clone();
                member.insert("type".into(), json!("object"));
                let mut all = base_required.clone();
                all.extend(
                    required
                        .iter()
                        .filter(|r| !base_required.contains(r))
                        .cloned(),
                );
                member.insert("required".into(), json!(all));
                Value::Object(member)
            })
            .collect();
        let nots = alternatives.iter().filter(|(_, not)| not.is_some()).count();
        schema.retain(|k, _| ["description", "title"].contains(&k.as_str()));
        schema.insert("oneOf".into(), Value::Array(whole));
        let dropped = if nots > 0 {
            format!(
                "; the `not` of {nots} alternatives dropped, as another alternative takes the bodies it excludes"
            )
        } else {
            String::new()
        };
        log.change(
            join(pointer, "anyOf"),
            format!(
                "{} alternatives that only list required properties became whole objects in a `oneOf`: typify would leave out of each variant what another alternative requires, dropping it from a body that has both{dropped}",
                alternatives.len()
            ),
        );
    });
}

/// `type: object` beside `allOf`/`oneOf`/`anyOf`: the openapiv3 crate reads
/// such a schema as a plain object and drops the composition. The object
/// part becomes one more `allOf` member instead.
pub(super) fn composition_beside_type(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        if !is_composition(schema) || !schema.contains_key("type") {
            return;
        }
        if schema.get("type").and_then(Value::as_str) != Some("object") {
            return;
        }
        schema.remove("type");
        let mut object = Map::new();
        for key in OBJECT_KEYWORDS {
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
pub(super) fn ref_siblings(doc: &mut Value, log: &mut Log) {
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

/// typify 0.8's `allOf` merging blows up (time about fivefold per four
/// union members) when one property is declared in two `allOf` branches and
/// a declaration is a `$ref` wrapped to carry annotations,
/// `{allOf: [{$ref: Union}], description: ..}`: it merges the two
/// declarations structurally, member by member of the union, instead of
/// seeing the same `$ref` (`xtask::synthetic::allof_union_yaml`). Only such
/// wrappers, the declarations of a property declared more than once among a
/// schema's `allOf` branches, become the bare `$ref`; their annotations
/// (typically a description) cannot sit beside a `$ref` and are dropped,
/// said so. Elsewhere a wrapper is what stock typify takes well: the field
/// keeps its description.
pub(super) fn single_ref_allof(doc: &mut Value, log: &mut Log) {
    let mut wrappers: BTreeMap<String, String> = BTreeMap::new();
    for_each_schema_ref(doc, |at, schema| {
        if !schema.contains_key("allOf") {
            return;
        }
        for (property, places) in declarations(doc, at, schema, 3) {
            if places.len() < 2 {
                continue;
            }
            for place in places {
                if place.schema.as_object().and_then(wrapped_ref).is_some() {
                    wrappers.insert(place.pointer, property.clone());
                }
            }
        }
    });
    for (pointer, property) in wrappers {
        let Some(Value::Object(schema)) = doc.pointer_mut(&pointer) else {
            continue;
        };
        let Some(reference) = wrapped_ref(schema) else {
            continue;
        };
        let dropped: Vec<String> = schema
            .keys()
            .filter(|k| *k != "allOf")
            .map(|k| format!("`{k}`"))
            .collect();
        schema.clear();
        schema.insert("$ref".to_string(), Value::String(reference));
        let what = if dropped.is_empty() {
            String::new()
        } else {
            format!(", dropping {}", dropped.join(", "))
        };
        log.change(
            pointer,
            format!("replaced an `allOf` of one $ref by the $ref{what}: `{property}` is declared in several `allOf` branches, and typify merges such wrapped declarations member by member (exponential time)"),
        );
    }
}

/// The `$ref` of `{allOf: [{$ref: X}]}` with nothing but annotations beside it.
fn wrapped_ref(schema: &Map<String, Value>) -> Option<String> {
    let reference = singleton_member(schema)?.get("$ref")?.as_str()?;
    Some(reference.to_string())
}

/// One declaration of a property among a schema's `allOf` branches.
struct Declaration<'a> {
    /// Where it is written (inside a component when a branch is a `$ref`).
    pointer: String,
    /// The `allOf` member indices from the schema to the branch holding it
    /// (empty: the schema's own `properties`).
    chain: Vec<usize>,
    schema: &'a Value,
}

/// Every declaration of each property of the schema at `at`: its own, and
/// those of its `allOf` members (followed through `$ref`s, `depth` levels).
/// typify merges all of them into one field.
fn declarations<'a>(
    doc: &'a Value,
    at: &str,
    schema: &'a Map<String, Value>,
    depth: u8,
) -> BTreeMap<String, Vec<Declaration<'a>>> {
    let mut out = BTreeMap::new();
    declarations_into(doc, at, schema, depth, &mut Vec::new(), &mut out);
    out
}

fn declarations_into<'a>(
    doc: &'a Value,
    at: &str,
    schema: &'a Map<String, Value>,
    depth: u8,
    chain: &mut Vec<usize>,
    out: &mut BTreeMap<String, Vec<Declaration<'a>>>,
) {
    if let Some(Value::Object(properties)) = schema.get("properties") {
        let properties_at = join(at, "properties");
        for (name, declaration) in properties {
            out.entry(name.clone()).or_default().push(Declaration {
                pointer: join(&properties_at, name),
                chain: chain.clone(),
                schema: declaration,
            });
        }
    }
    if depth == 0 {
        return;
    }
    if let Some(Value::Array(members)) = schema.get("allOf") {
        let members_at = join(at, "allOf");
        for (i, member) in members.iter().enumerate() {
            let (pointer, target) = resolve_at(doc, &join(&members_at, &i.to_string()), member);
            if let Some(target) = target.as_object() {
                chain.push(i);
                declarations_into(doc, &pointer, target, depth - 1, chain, out);
                chain.pop();
            }
        }
    }
}

/// A property declared in several `allOf` branches, one declaration only
/// naming types (`anyOf: [{type: object}, {type: string}]`, the `result` of
/// Cloudflare's response envelope) and another a union (`anyOf`/`oneOf`, or
/// an `allOf` with one among its members) of [`UNION_MEMBERS`] members or
/// more, all of those types (the operation's own `result`).
/// typify merges the declarations structurally, and against a union member
/// by member, each with the negation of the others: exponential (Cloudflare's
/// API went past 4 GB). The type-only declaration says nothing the union
/// does not, so it is removed from this composition: when it sits in a
/// shared component, the branch referring to it is written in place without
/// it, and the component stays as it is for everything else.
pub(super) fn type_only_declarations(doc: &mut Value, log: &mut Log) {
    let mut composed: Vec<String> = Vec::new();
    for_each_schema_ref(doc, |at, schema| {
        if schema.contains_key("allOf") {
            composed.push(at.to_string());
        }
    });
    for at in composed {
        // One removal at a time: each rewrites what the next one reads.
        for _ in 0..64 {
            let Some(found) = redundant_declaration(doc, &at) else {
                break;
            };
            remove_declaration(doc, &at, found, log);
        }
    }
}

/// A removable declaration of the schema at `at`: the property, the chain
/// of its branch, where it is written and what makes it redundant.
struct Redundant {
    property: String,
    chain: Vec<usize>,
    written: String,
    types: Vec<&'static str>,
    union: String,
}

/// The union size from which typify's merge is removed from: below it,
/// typify merges in time, and stock output is kept.
const UNION_MEMBERS: usize = 4;

fn redundant_declaration(doc: &Value, at: &str) -> Option<Redundant> {
    let schema = doc.pointer(at)?.as_object()?;
    for (property, places) in declarations(doc, at, schema, 3) {
        for weak in &places {
            let Some(types) = only_types(doc, weak.schema) else {
                continue;
            };
            let union = places.iter().find(|other| {
                other.pointer != weak.pointer
                    && union_members(doc, other.schema, 8) >= UNION_MEMBERS
                    && admitted_types(doc, other.schema, 8).is_some_and(|admitted| {
                        admitted.iter().all(|t| {
                            types.contains(t) || (*t == "integer" && types.contains(&"number"))
                        })
                    })
            });
            if let Some(union) = union {
                let union = match union.schema.get("$ref").and_then(Value::as_str) {
                    Some(reference) => format!("`{reference}`"),
                    None => format!("the one at {}", union.pointer),
                };
                return Some(Redundant {
                    property,
                    chain: weak.chain.clone(),
                    written: weak.pointer.clone(),
                    types: types.into_iter().collect(),
                    union,
                });
            }
        }
    }
    None
}

/// Removes `found` from the composition at `at`, writing each `$ref`
/// branch on its chain in place first.
fn remove_declaration(doc: &mut Value, at: &str, found: Redundant, log: &mut Log) {
    let mut node = at.to_string();
    let mut inlined: Vec<String> = Vec::new();
    for i in &found.chain {
        let member_at = join(&join(&node, "allOf"), &i.to_string());
        let Some(member) = doc.pointer(&member_at) else {
            return;
        };
        if let Some(reference) = member.get("$ref").and_then(Value::as_str) {
            let reference = reference.to_string();
            let target = resolve(doc, member).clone();
            *doc.pointer_mut(&member_at).expect("read above") = target;
            inlined.push(format!("`{reference}`"));
        }
        node = member_at;
    }
    let Some(Value::Object(properties)) = doc.pointer_mut(&join(&node, "properties")) else {
        return;
    };
    properties.remove(&found.property);
    let inlined = if inlined.is_empty() {
        String::new()
    } else {
        format!(
            "; the branch {} is written in place without it",
            inlined.join(" → ")
        )
    };
    log.change(
        join(&join(&node, "properties"), &found.property),
        format!(
            "removed the declaration of `{}` that only names types ({}, written at {}): another `allOf` branch declares it as a union of those types only ({}), and typify merges the two member by member with each member's negation (exponential){inlined}",
            found.property,
            found.types.join(", "),
            found.written,
            found.union
        ),
    );
}

/// The types a schema that only names types names (`{type: object}`,
/// `anyOf`/`oneOf` of such), annotations aside; `None` for any other.
fn only_types(doc: &Value, schema: &Value) -> Option<BTreeSet<&'static str>> {
    const ANNOTATIONS: [&str; 4] = ["description", "title", "example", "nullable"];
    let schema = resolve(doc, schema).as_object()?;
    let mut keys = schema.keys().filter(|k| !ANNOTATIONS.contains(&k.as_str()));
    let (Some(key), None) = (keys.next(), keys.next()) else {
        return None;
    };
    match (key.as_str(), &schema[key]) {
        ("type", Value::String(ty)) => json_type(ty).map(|t| BTreeSet::from([t])),
        ("anyOf" | "oneOf", Value::Array(members)) => {
            let mut types = BTreeSet::new();
            for member in members {
                types.extend(only_types(doc, member)?);
            }
            Some(types)
        }
        _ => None,
    }
}

/// The members of the largest `anyOf` or `oneOf` that `schema` (`$ref`s
/// followed) is, or has among its `allOf` members: what typify distributes
/// a merge over.
fn union_members(doc: &Value, schema: &Value, depth: u8) -> usize {
    let schema = resolve(doc, schema);
    let own = ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Value::as_array))
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    let members = match schema.get("allOf").and_then(Value::as_array) {
        Some(members) if depth > 0 => members
            .iter()
            .map(|m| union_members(doc, m, depth - 1))
            .max()
            .unwrap_or(0),
        _ => 0,
    };
    own.max(members)
}

/// The JSON types every value `schema` admits has, as far as its `type`s
/// say (an `allOf` admits what any member does; an `anyOf`/`oneOf` what all
/// do); `None` when that is not known.
fn admitted_types(doc: &Value, schema: &Value, depth: u8) -> Option<BTreeSet<&'static str>> {
    let schema = resolve(doc, schema).as_object()?;
    if depth == 0 {
        return None;
    }
    if let Some(Value::String(ty)) = schema.get("type") {
        let mut types = BTreeSet::from([json_type(ty)?]);
        // `nullable` admits `null` too, which a declaration without it
        // (in the same `allOf`) refuses: that one is not redundant.
        if schema.get("nullable") == Some(&Value::Bool(true)) {
            types.insert("null");
        }
        return Some(types);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(members)) = schema.get(key) {
            let mut types = BTreeSet::new();
            for member in members {
                types.extend(admitted_types(doc, member, depth - 1)?);
            }
            return Some(types);
        }
    }
    let Some(Value::Array(members)) = schema.get("allOf") else {
        return None;
    };
    members
        .iter()
        .find_map(|member| admitted_types(doc, member, depth - 1))
}

/// `ty` as one of JSON Schema's type names.
fn json_type(ty: &str) -> Option<&'static str> {
    [
        "string", "number", "integer", "boolean", "array", "object", "null",
    ]
    .into_iter()
    .find(|t| *t == ty)
}

/// OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`: `false` is
/// the default and is removed; `true` without its bound means nothing and is
/// removed; `true` with its bound is kept (progenitor converts that case).
pub(super) fn boolean_exclusive_bounds(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        for (flag, bound, rewrite) in exclusive_bounds_as_draft4(schema) {
            let message = match rewrite {
                BoundRewrite::DefaultRemoved => {
                    format!("removed `{flag}: false` (the default; schemars wants a number here)")
                }
                BoundRewrite::UnboundedRemoved => {
                    format!("removed `{flag}: true` without `{bound}` (it bounds nothing)")
                }
                BoundRewrite::Numeric => format!(
                    "rewrote the JSON Schema 2019 numeric `{flag}` as OpenAPI 3.0's `{bound}` with `{flag}: true` (or the stricter `{bound}` beside it alone)"
                ),
            };
            log.change(join(pointer, flag), message);
        }
    });
}

/// `minLength: 0` and `minItems: 0` constrain nothing, but typify emits a
/// check for them that rustc warns about (`comparison is useless`).
pub(super) fn vacuous_constraints(doc: &mut Value, log: &mut Log) {
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

/// `format: float` numbers become `format: double`: typify reads `float` as
/// `f32`, which keeps about 7 significant digits. JSON has one number type,
/// and senders write doubles (BitGo's `HistoricalPrice.open` is a price),
/// so an `f32` reads `0.123456789` as `0.12345679` and writes that back.
/// `f64` holds every `f32` value exactly, so nothing is lost either way.
pub(super) fn float_as_double(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        if schema.get("format").and_then(Value::as_str) == Some("float")
            && schema.get("type").and_then(Value::as_str) == Some("number")
        {
            schema.insert("format".to_string(), json!("double"));
            log.change(
                join(pointer, "format"),
                "read `format: float` as `double` (`f64`: typify's `f32` keeps 7 digits of the doubles senders write)",
            );
        }
    });
}

/// Properties typify would give one field name: two fields of one name do
/// not compile.
///
/// - Two declared properties (Elastic's `_score` and `score`, `_name` and
///   `name`): the one whose name is the field's keeps it (else the first by
///   name), the other is dropped and listed; a body's value for it is
///   ignored (where the object forbade other properties, it now allows
///   them, so that such a body is still read).
/// - A `required` name no property declares, for which typify adds a
///   `serde_json::Value` field (Xero's `FileObject` requires `id` and
///   `name` beside its declared `Id` and `Name`, the names its author
///   meant): the name leaves `required`; the declared property keeps its
///   field. An undeclared name without a clash keeps stock's `Value` field.
pub(super) fn field_names(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        let Some(Value::Object(properties)) = schema.get("properties") else {
            return;
        };
        // Field -> the property that keeps it: a property named as its
        // field first, then the rest by name.
        // Each name's field, made once (heck is most of this pass).
        let mut names: Vec<(String, &String)> = properties
            .keys()
            .map(|name| (field_name(name), name))
            .collect();
        names.sort_by_key(|(field, name)| field != *name);
        let mut fields: BTreeMap<String, String> = BTreeMap::new();
        let mut dropped: Vec<(String, String)> = Vec::new();
        for (field, name) in names {
            match fields.get(&field) {
                Some(kept) => dropped.push((name.clone(), kept.clone())),
                None => {
                    fields.insert(field, name.clone());
                }
            }
        }
        let required: Vec<Option<String>> = match schema.get("required") {
            Some(Value::Array(required)) => required
                .iter()
                .map(|r| r.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        let mut unrequired: BTreeSet<usize> = BTreeSet::new();
        for (i, name) in required.iter().enumerate() {
            let Some(name) = name else { continue };
            if dropped.iter().any(|(d, _)| d == name) {
                unrequired.insert(i);
                continue;
            }
            if properties.contains_key(name) {
                continue;
            }
            match fields.get(&field_name(name)) {
                Some(other) => {
                    unrequired.insert(i);
                    log.change(
                        format!("{pointer}/required/{i}"),
                        format!(
                            "removed `{name}` from `required`: no property declares it, and typify's `serde_json::Value` field for it would be `{}`, as `{other}`'s is (two fields of one name do not compile)",
                            field_name(name)
                        ),
                    );
                }
                None => {
                    fields.insert(field_name(name), name.clone());
                }
            }
        }
        if dropped.is_empty() && unrequired.is_empty() {
            return;
        }
        if let Some(Value::Object(properties)) = schema.get_mut("properties") {
            for (name, kept) in &dropped {
                properties.remove(name);
                log.drop(
                    join(&join(pointer, "properties"), name),
                    format!(
                        "property `{name}` dropped: typify names its field `{}`, as `{kept}`'s is (two fields of one name do not compile); a body's `{name}` is ignored",
                        field_name(name)
                    ),
                );
            }
        }
        if let Some(Value::Array(list)) = schema.get_mut("required") {
            for i in unrequired.iter().rev() {
                list.remove(*i);
            }
            if list.is_empty() {
                schema.remove("required");
            }
        }
        if !dropped.is_empty() && schema.get("additionalProperties") == Some(&Value::Bool(false)) {
            schema.remove("additionalProperties");
            log.change(
                join(pointer, "additionalProperties"),
                "removed `additionalProperties: false`: a property was dropped, and a body that has it is still read",
            );
        }
    });
    all_of_field_names(doc, log);
}

/// [`field_names`] across the members of an `allOf`, which typify merges
/// into one struct: Elastic's `PercolateQuery` adds `name` to its base
/// `QueryBase`'s `_name`. The property this schema declares inline is
/// dropped, never one of a component it refers to (which other schemas
/// share); where both come from components, nothing here can tell which.
fn all_of_field_names(doc: &mut Value, log: &mut Log) {
    let mut removals: Vec<(String, String, String)> = Vec::new();
    for_each_schema_ref(doc, |pointer, schema| {
        if !schema.contains_key("allOf") {
            return;
        }
        let Some(value) = doc.pointer(pointer) else {
            return;
        };
        let view = ObjectView::of(doc, pointer, value);
        let own = format!("{pointer}/");
        let mut by_field: BTreeMap<String, Vec<&String>> = BTreeMap::new();
        for name in view.properties.keys() {
            by_field.entry(field_name(name)).or_default().push(name);
        }
        for names in by_field.values().filter(|names| names.len() > 1) {
            let local = |name: &String| {
                view.properties[name]
                    .iter()
                    .all(|(at, _)| at.starts_with(&own))
            };
            let Some(kept) = names.iter().find(|n| !local(n)) else {
                continue;
            };
            for name in names.iter().filter(|n| local(n)) {
                for (at, _) in &view.properties[*name] {
                    removals.push((at.clone(), (*name).clone(), (*kept).clone()));
                }
            }
        }
    });
    for (at, name, kept) in removals {
        let Some((member, _)) = at.rsplit_once("/properties/") else {
            continue;
        };
        let member = member.to_string();
        let Some(Value::Object(schema)) = doc.pointer_mut(&member) else {
            continue;
        };
        if let Some(Value::Object(properties)) = schema.get_mut("properties")
            && properties.remove(&name).is_some()
        {
            if let Some(Value::Array(required)) = schema.get_mut("required") {
                required.retain(|r| r.as_str() != Some(name.as_str()));
                if required.is_empty() {
                    schema.remove("required");
                }
            }
            log.drop(
                at,
                format!(
                    "property `{name}` dropped: typify merges this `allOf` into one struct, and names its field `{}`, as the `{kept}` of a component it refers to (two fields of one name do not compile); a body's `{name}` is ignored",
                    field_name(&name)
                ),
            );
        }
    }
}

/// A `default` no value of its schema has: Elastic's `_source: {default:
/// "true", allOf: [SourceConfig]}` (a boolean or a filter, not a string),
/// `default: "'strict'"` for an enum of `strict`, `default: "string"` (a
/// generator's placeholder), and `default: painless` for an `anyOf` of an
/// enum and a string, which typify makes a struct of optional members (a
/// valid value it cannot take as a default). typify refuses the whole
/// document for it ("value does not conform to the given schema"); the
/// default is removed, its value kept in the change's line.
pub(super) fn invalid_defaults(doc: &mut Value, log: &mut Log) {
    let mut invalid: Vec<(String, Value, String)> = Vec::new();
    for_each_schema_ref(doc, |pointer, schema| {
        let Some(value) = schema.get("default") else {
            return;
        };
        let whole = doc.pointer(pointer).unwrap_or(&Value::Null);
        let resolved = resolve(doc, whole).as_object().unwrap_or(schema);
        let why = if let Some(format) = native_default_fails(resolved, value) {
            format!(
                "it is no `{format}`, and typify's default for one parses the value when it is used and panics (`unwrap`)"
            )
        } else if !default_fits(doc, whole, value, 16) {
            "it is no value of the type typify makes of the schema, and where typify uses a default it refuses such a one, and the whole document with it (\"value does not conform to the given schema\")".to_string()
        } else {
            return;
        };
        invalid.push((pointer.to_string(), value.clone(), why));
    });
    for (pointer, value, why) in invalid {
        if let Some(Value::Object(schema)) = doc.pointer_mut(&pointer) {
            schema.remove("default");
            log.change(
                join(&pointer, "default"),
                format!("removed `default: {value}`: {why}"),
            );
        }
    }
}

/// A schema without a `type` whose keywords typify cannot read as one
/// type: number bounds alone (Cloudflare's `page` query parameter,
/// `{default: 1, minimum: 1}`), or any type's keywords beside an `enum`
/// (Cloudflare's `{enum: [block, challenge, …], maxLength: 12}`). typify
/// reads a string's, an array's or an object's keywords alone as that type
/// (`{maxLength: 12}` is a `String`), but panics on these ("invalid (or
/// unexpected) schema") and with it on the whole document.
/// - Beside an `enum` whose values (`null` aside) are all of one JSON type,
///   and keywords of that type only, the pass writes the `type`: an enum
///   admits its values only, so the type changes nothing.
/// - Number bounds alone are removed: JSON Schema applies them to numbers
///   only and lets every other value pass, so the schema is any JSON value
///   (as `untyped-items` reads `items` without a type; a `number` type would
///   refuse the strings and objects the schema allows).
///
/// Keywords of several types, or an enum of several, are left alone (to
/// the error naming the schema), and so is an `allOf` member, which typify
/// merges with the others before it reads it.
pub(super) fn typeless_constraints(doc: &mut Value, log: &mut Log) {
    const COMPOSED: [&str; 6] = ["type", "$ref", "allOf", "oneOf", "anyOf", "not"];
    for_each_schema(doc, |pointer, schema| {
        // An `allOf` member is merged with the others first, not read alone
        // (BitGo's `{allOf: [{$ref: NumberLike}, {minimum: 0}]}`).
        let in_all_of = pointer.rsplit('/').nth(1) == Some("allOf");
        if in_all_of || COMPOSED.iter().any(|k| schema.contains_key(*k)) {
            return;
        }
        let kinds: Vec<&str> = TYPE_KEYWORDS
            .iter()
            .filter(|(_, keywords)| keywords.iter().any(|k| schema.contains_key(*k)))
            .map(|(kind, _)| *kind)
            .collect();
        let (ty, why) = match (schema.get("enum"), kinds.as_slice()) {
            (Some(Value::Array(values)), [_, ..]) => {
                let Some(ty) = json_type_of_all(values.iter().filter(|v| !v.is_null())) else {
                    return;
                };
                let kind = if ty == "integer" { "number" } else { ty };
                if kinds != [kind] {
                    return;
                }
                (
                    ty,
                    format!(
                        "beside an `enum` of {ty}s and a {kind}'s keywords (the enum admits its values only)"
                    ),
                )
            }
            (None, ["number"]) => {
                let bounds: Vec<String> = NUMBER_KEYWORDS
                    .iter()
                    .filter(|k| schema.remove(**k).is_some())
                    .map(|k| format!("`{k}`"))
                    .collect();
                log.change(
                    pointer,
                    format!(
                        "removed {} without a `type`: JSON Schema applies them to numbers only and lets any other value pass, so the schema is any JSON value (typify panicked on them)",
                        bounds.join(", ")
                    ),
                );
                return;
            }
            _ => return,
        };
        schema.insert("type".to_string(), json!(ty));
        log.change(
            join(pointer, "type"),
            format!("wrote `type: {ty}` {why}; typify panicked on the schema without it"),
        );
    });
}

/// A number's keywords (the bounds).
const NUMBER_KEYWORDS: [&str; 5] = [
    "minimum",
    "maximum",
    "multipleOf",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

/// The keywords of each JSON type's values (OpenAPI 3.0's Schema Object).
const TYPE_KEYWORDS: [(&str, &[&str]); 4] = [
    ("string", &["maxLength", "minLength", "pattern"]),
    ("number", &NUMBER_KEYWORDS),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
];

/// The one JSON type of `values` (`integer` when every number is whole),
/// or `None` for none or several.
fn json_type_of_all<'a>(values: impl Iterator<Item = &'a Value>) -> Option<&'static str> {
    let mut seen: Option<&'static str> = None;
    for value in values {
        let ty = match value {
            Value::String(_) => "string",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Null => return None,
        };
        seen = match (seen, ty) {
            (None, ty) => Some(ty),
            (Some(a), b) if a == b => Some(a),
            (Some("integer" | "number"), "integer" | "number") => Some("number"),
            _ => return None,
        };
    }
    seen
}

/// A `format` typify cannot read: beside `type: object`, `array` or
/// `boolean` (Twilio's `{type: object, format: uri-map}`, Linode's
/// `{type: array, format: ipv4}` whose items are the addresses), or on a
/// schema without a type typify does not read as a string or a composition
/// (`{format: uuid}` alone, or beside an enum). JSON Schema applies a format to the
/// strings (and OpenAPI's to the numbers) it names and lets every other
/// value pass, so it constrains nothing there; typify panics on it
/// ("invalid (or unexpected) schema") and with it on the whole document.
pub(super) fn misplaced_formats(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        if !schema.contains_key("format") || format_is_read(schema) {
            return;
        }
        let Some(Value::String(format)) = schema.remove("format") else {
            log.change(
                join(pointer, "format"),
                "removed a `format` that is not a string (typify panicked)",
            );
            return;
        };
        let beside = match schema.get("type").and_then(Value::as_str) {
            Some(kind) => format!("`type: {kind}`"),
            None => "no `type`".to_string(),
        };
        log.change(
            join(pointer, "format"),
            format!("removed `format: {format}` beside {beside} (formats constrain strings and numbers only; typify panicked)"),
        );
    });
}

/// Whether typify takes the `format` of `schema` (tried one by one on
/// typify 0.8 through progenitor): beside `type: string`, `integer`,
/// `number` or `null`; and on a schema without a type that has a string's
/// keywords (`maxLength`, `pattern`: read as a string), a composition (whose
/// members typify merges the format into: `{allOf: [string], format: uuid}`
/// is a `Uuid`), or `nullable`. Alone, beside an `enum`, `items`,
/// `properties` or number bounds, it panics. A `$ref`'s siblings are
/// `ref-siblings`' to drop.
fn format_is_read(schema: &Map<String, Value>) -> bool {
    const READ_WITHOUT_TYPE: [&str; 10] = [
        "minLength",
        "maxLength",
        "pattern",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "nullable",
        "$ref",
        "discriminator",
    ];
    match schema.get("type") {
        Some(Value::String(kind)) => {
            matches!(kind.as_str(), "string" | "integer" | "number" | "null")
        }
        Some(_) => true,
        None => READ_WITHOUT_TYPE.iter().any(|k| schema.contains_key(*k)),
    }
}

/// `items` without `type: array`: JSON Schema applies `items` to arrays
/// only, so such a schema takes any value that is not an array (BitGo's
/// `OldOwnerObject.address1`, whose addresses are strings), but typify makes
/// it a `Vec` that refuses them all, and the whole body with them. Without
/// `items` the schema is any JSON value (`serde_json::Value`), which keeps
/// every body.
pub(super) fn untyped_items(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        let shaped = [
            "type",
            "properties",
            "allOf",
            "oneOf",
            "anyOf",
            "enum",
            "$ref",
        ]
        .iter()
        .any(|k| schema.contains_key(*k));
        if schema.contains_key("items") && !shaped {
            schema.remove("items");
            log.change(
                join(pointer, "items"),
                "removed `items` without `type: array` (it allows any value but an array of others; typify's `Vec` refused every string or object): any JSON value",
            );
        }
    });
}

/// An enum listing values of another type than its `type`, or a value
/// twice. typify refuses the whole document ("unexpected value type", "value
/// does not conform to the given schema"). As written such a value is never
/// valid:
/// - in a `type: string` enum, numbers and booleans are YAML's reading of
///   an unquoted `4.1` or `true` (Plaid's `PrismDetectVersion: {type:
///   string, enum: [4.1, 4, null]}`): the author meant the strings, read as
///   JSON spells them (`4.10` is `"4.1"`);
/// - any other value of another type (readme.io's `{type: number, enum:
///   ["", 0, 1]}`, an "empty option" for a form) is removed, and an enum
///   left with no value goes, leaving the type;
/// - a value listed twice is listed once.
pub(super) fn typed_enum_values(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        let Some(ty) = schema
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return;
        };
        let fits = |value: &Value| {
            value.is_null()
                || match ty.as_str() {
                    "string" => value.is_string(),
                    "integer" => value.is_i64() || value.is_u64(),
                    "number" => value.is_number(),
                    "boolean" => value.is_boolean(),
                    _ => true,
                }
        };
        let Some(Value::Array(values)) = schema.get_mut("enum") else {
            return;
        };
        let (mut quoted, mut removed, mut twice) = (Vec::new(), Vec::new(), Vec::new());
        let mut kept: Vec<Value> = Vec::with_capacity(values.len());
        for value in values.iter() {
            let value = if fits(value) {
                value.clone()
            } else if ty == "string" && (value.is_number() || value.is_boolean()) {
                quoted.push(format!("`{value}`"));
                Value::String(value.to_string())
            } else {
                removed.push(format!("`{value}`"));
                continue;
            };
            if kept.contains(&value) {
                twice.push(format!("`{value}`"));
            } else {
                kept.push(value);
            }
        }
        if quoted.is_empty() && removed.is_empty() && twice.is_empty() {
            return;
        }
        let mut said = Vec::new();
        if !quoted.is_empty() {
            said.push(format!(
                "{} read as strings (YAML reads them unquoted as numbers or booleans)",
                quoted.join(", ")
            ));
        }
        if !removed.is_empty() {
            said.push(format!("{} removed (never a {ty})", removed.join(", ")));
        }
        if !twice.is_empty() {
            said.push(format!("{} listed once", twice.join(", ")));
        }
        let gone = kept.is_empty();
        *values = kept;
        if gone {
            schema.remove("enum");
            said.push(format!("no value is left: any {ty}"));
        }
        log.change(
            join(pointer, "enum"),
            format!(
                "values of a {ty} enum: {}; typify refuses an enum with values of another type, or twice",
                said.join("; ")
            ),
        );
    });
}

/// String enums whose values typify cannot name apart (`>` and `>=`, or
/// `WALLET` beside `wallet`) become plain strings; the values move into the
/// description.
pub(super) fn unnameable_enums(doc: &mut Value, log: &mut Log) {
    for_each_schema(doc, |pointer, schema| {
        let Some(Value::Array(values)) = schema.get("enum") else {
            return;
        };
        let strings: Vec<String> = values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        let all_strings = strings.len() == values.len();
        if strings.len() != values.iter().filter(|v| !v.is_null()).count() {
            return;
        }
        let strings: Vec<&str> = strings.iter().map(String::as_str).collect();
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
        // The values stay the only ones accepted: a string newtype that
        // checks them (typify's `pattern` check), unless a pattern is there.
        let checked = !schema.contains_key("pattern");
        if checked {
            let alternatives: Vec<String> = strings.iter().map(|s| regex_literal(s)).collect();
            let pattern = format!("^(?:{})$", alternatives.join("|"));
            schema.insert("pattern".to_string(), Value::String(pattern));
            if !schema.contains_key("type") && all_strings {
                schema.insert("type".to_string(), json!("string"));
            }
        }
        let checked = if checked {
            ", whose pattern accepts those values only"
        } else {
            ""
        };
        log.change(
            join(pointer, "enum"),
            format!("typed as a string{checked}: typify cannot give the values {listed} distinct Rust variant names"),
        );
    });
}

/// A `oneOf` of plain objects where every body of one member fits another
/// too (BitGo's `PaymentIntent`: `{intentType}` or `{intentType,
/// isTestTransaction}`; neither forbids other properties). Strictly, such a
/// body matches two members and is valid for neither; the author meant one
/// object whose extra properties are optional. typify reads it two wrong
/// ways: alone, as an untagged enum whose first variant takes the wider
/// body and drops its extra properties; inside an `allOf`, as variants
/// minus each other, which it cannot express and makes types with no value
/// (`enum PaymentIntentVariant0 {}`), refusing every body. The `oneOf`
/// becomes that one object: every member's properties, requiring what the
/// narrowest member requires.
pub(super) fn subsumed_one_of(doc: &mut Value, log: &mut Log) {
    let mut found: Vec<(String, Map<String, Value>, &str)> = Vec::new();
    for_each_schema_ref(doc, |pointer, schema| {
        let Some(Value::Array(members)) = schema.get("oneOf") else {
            return;
        };
        // The `oneOf` alone (beside it only words), so that nothing else
        // constrains what replaces it.
        let alone = schema
            .keys()
            .all(|k| ["oneOf", "description", "title"].contains(&k.as_str()));
        if members.len() < 2 || !alone {
            return;
        }
        let Some(objects) = members
            .iter()
            .map(|m| plain_object(doc, m))
            .collect::<Option<Vec<_>>>()
        else {
            return;
        };
        // The narrowest: one every other member's bodies fit.
        let fits = |wide: &PlainObject, narrow: &PlainObject| {
            narrow.required.iter().all(|r| wide.required.contains(r))
                && narrow
                    .properties
                    .iter()
                    .all(|(k, v)| wide.properties.get(k) == Some(v))
        };
        let n = objects.len();
        let narrowest = (0..n).find(|&b| (0..n).all(|w| w == b || fits(&objects[w], &objects[b])));
        // Or a later member whose body, with every property it declares,
        // an earlier member takes too (it requires nothing more), though
        // the later one declares more: the untagged enum reads the body as
        // the earlier one and drops the rest (BitGo's `FeeOption` or
        // `EIP1559FeeOptions`, neither requiring anything). Merged only
        // where one member requires no more than any other, so the object
        // requires what every body has.
        let read_as_earlier = (0..n).any(|j| {
            (0..j).any(|i| {
                let (earlier, later) = (&objects[i], &objects[j]);
                earlier
                    .required
                    .iter()
                    .all(|r| later.properties.contains_key(*r))
                    && later
                        .properties
                        .keys()
                        .any(|k| !earlier.properties.contains_key(k))
            })
        });
        let least_required = || {
            (0..n).find(|&b| {
                (0..n).all(|w| {
                    objects[b]
                        .required
                        .iter()
                        .all(|r| objects[w].required.contains(r))
                })
            })
        };
        let Some(base) = narrowest.or_else(|| least_required().filter(|_| read_as_earlier)) else {
            return;
        };
        let why = if narrowest.is_some() {
            "whose bodies also fit the narrowest"
        } else {
            "where a body meant for a later one fits an earlier one too"
        };
        let mut properties = Map::new();
        for object in &objects {
            for (k, v) in object.properties {
                // Declared alike but for their words (BitGo's coins each
                // describe `rootAddress` their own way): the first's stay.
                match properties.get(k) {
                    Some(seen) if !same_but_words(seen, v) => return,
                    Some(_) => {}
                    None => {
                        properties.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        let mut merged = Map::new();
        merged.insert("type".into(), json!("object"));
        merged.insert("properties".into(), Value::Object(properties));
        if !objects[base].required.is_empty() {
            merged.insert("required".into(), json!(objects[base].required));
        }
        // The words stay beside, as typify reads a property's docs there:
        // on the object itself they would document its type, not the field.
        let mut replacement: Map<String, Value> = schema
            .iter()
            .filter(|(k, _)| *k != "oneOf")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if replacement.is_empty() {
            replacement = merged;
        } else {
            replacement.insert("allOf".into(), json!([merged]));
        }
        found.push((pointer.to_string(), replacement, why));
    });
    for (pointer, merged, why) in found {
        let Some(target) = doc.pointer_mut(&pointer) else {
            continue;
        };
        let count = target["oneOf"].as_array().map_or(0, Vec::len);
        *target = Value::Object(merged);
        log.change(
            join(&pointer, "oneOf"),
            format!(
                "{count} members {why} became one object with all their properties: typify would make a type with no value (inside an `allOf`) or read the wider bodies as the narrowest, dropping their properties"
            ),
        );
    }
}

/// A `oneOf` of inline objects that each have one property, required, and
/// allow others (BitGo's `SimulateWalletWebhookRequestBody`: `{transferId}`
/// or `{txHash}` or ...). typify reads that shape as an externally tagged
/// enum whatever `additionalProperties` says (`maybe_externally_tagged_enum`),
/// and serde's external tagging refuses a map of more than one key: a valid
/// body with any other property is an error. Each member says
/// `additionalProperties: true` (what its absence means), which typify does
/// not read as a tag, so the members become struct variants of an untagged
/// enum that ignore what they do not declare, as the schema allows. Members
/// that forbid other properties are tagged rightly and stay.
pub(super) fn open_tagged_one_of(doc: &mut Value, log: &mut Log) {
    let mut found: Vec<String> = Vec::new();
    for_each_schema_ref(doc, |pointer, schema| {
        let Some(Value::Array(members)) = schema.get("oneOf") else {
            return;
        };
        let single_open_property = |member: &Value| {
            let map = member.as_object()?;
            let properties = map.get("properties").and_then(Value::as_object)?;
            let required: Vec<&str> = map
                .get("required")
                .and_then(Value::as_array)?
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let is_object = map.get("type").is_none_or(|t| t == "object");
            let tagged_by_typify = is_object
                && !map.contains_key("$ref")
                && ![
                    "allOf",
                    "oneOf",
                    "anyOf",
                    "enum",
                    "minProperties",
                    "maxProperties",
                    "patternProperties",
                ]
                .iter()
                .any(|k| map.contains_key(*k))
                && properties.len() == 1
                && required.len() == 1
                && properties.contains_key(required[0]);
            let open = !matches!(map.get("additionalProperties"), Some(Value::Bool(false)));
            tagged_by_typify.then(|| (required[0].to_string(), open))
        };
        let verdicts: Option<Vec<(String, bool)>> =
            members.iter().map(single_open_property).collect();
        // typify tags by the property's name, so only where the names differ
        // (Oxide's `UpdateStatus`, `{status: updating}` or `{status: steady}`,
        // is internally tagged by `status`, rightly).
        let distinct = |verdicts: &[(String, bool)]| {
            let names: BTreeSet<&str> = verdicts.iter().map(|(name, _)| name.as_str()).collect();
            names.len() == verdicts.len()
        };
        if let Some(verdicts) = verdicts
            && members.len() >= 2
            && distinct(&verdicts)
            && verdicts.iter().any(|(_, open)| *open)
        {
            found.push(pointer.to_string());
        }
    });
    for pointer in found {
        let Some(Value::Array(members)) = doc.pointer_mut(&format!("{pointer}/oneOf")) else {
            continue;
        };
        let count = members.len();
        for member in members.iter_mut() {
            if let Some(map) = member.as_object_mut() {
                map.entry("additionalProperties").or_insert(json!(true));
            }
        }
        log.change(
            join(&pointer, "oneOf"),
            format!(
                "{count} one-property members say `additionalProperties: true` (as their absence means): typify would make them an externally tagged enum, which refuses a body with any other property though the members allow them"
            ),
        );
    }
}

/// Whether two schemas are the same but for their annotations (a
/// description, a title, examples).
fn same_but_words(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let keyword = |m: &Map<String, Value>| -> BTreeMap<String, Value> {
                m.iter()
                    .filter(|(k, _)| !crate::openapi::ANNOTATIONS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            keyword(a) == keyword(b)
        }
        _ => a == b,
    }
}

/// An object schema of `properties`, `required` and words only (through
/// one `$ref`), with nothing that forbids other properties.
struct PlainObject<'a> {
    properties: &'a Map<String, Value>,
    required: Vec<&'a str>,
}

fn plain_object<'a>(doc: &'a Value, member: &'a Value) -> Option<PlainObject<'a>> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    let map = resolve(doc, member).as_object()?;
    let known = ["type", "properties", "required", "title", "description"];
    if map.get("type").and_then(Value::as_str) != Some("object")
        || !map.keys().all(|k| known.contains(&k.as_str()))
    {
        return None;
    }
    let properties = match map.get("properties") {
        Some(Value::Object(p)) => p,
        None => EMPTY.get_or_init(Map::new),
        Some(_) => return None,
    };
    let required = match map.get("required") {
        Some(Value::Array(r)) => r.iter().map(Value::as_str).collect::<Option<Vec<_>>>()?,
        None => Vec::new(),
        Some(_) => return None,
    };
    Some(PlainObject {
        properties,
        required,
    })
}

/// An `anyOf` of objects that typify judges mutually exclusive when they
/// are not: typify takes one object requiring a property the other does not
/// list as proof that no body fits both, though neither forbids other
/// properties. It then makes an untagged enum, and a body valid for two
/// members is read as the first only, the other's properties dropped
/// silently. Each member is wrapped in a described `allOf` (the same schema
/// to JSON Schema and to typify's types), which typify cannot prove
/// exclusive, so it keeps the union as its struct of members, read whole by
/// the output rewrite `read-every-member`. Members that really exclude each
/// other (a tag with different values, a shared property of different
/// types, `additionalProperties: false`) stay an enum.
pub(super) fn overlapping_any_of(doc: &mut Value, log: &mut Log) {
    let mut found: Vec<(String, usize)> = Vec::new();
    for_each_schema_ref(doc, |pointer, schema| {
        let Some(Value::Array(members)) = schema.get("anyOf") else {
            return;
        };
        if members.len() < 2 {
            return;
        }
        let mut views = Vec::new();
        for (i, member) in members.iter().enumerate() {
            if type_of(doc, member) != Some("object") {
                return;
            }
            views.push(ObjectView::of(doc, &format!("{pointer}/anyOf/{i}"), member));
        }
        // typify merges object keywords beside the `anyOf` into each member
        // before it judges them, which would undo the wrapping: only a
        // `required` list every member already has is taken (and dropped).
        let beside: Vec<&String> = schema
            .keys()
            .filter(|k| OBJECT_KEYWORDS.contains(&k.as_str()))
            .collect();
        let redundant_required = match schema.get("required") {
            Some(Value::Array(required)) => required
                .iter()
                .filter_map(Value::as_str)
                .all(|r| views.iter().all(|v| v.required.contains(r))),
            _ => false,
        };
        if !(beside.is_empty() || beside == ["required"] && redundant_required) {
            return;
        }
        let pairs = || (0..views.len()).flat_map(|a| (a + 1..views.len()).map(move |b| (a, b)));
        let typify_exclusive = pairs().all(|(a, b)| judged_exclusive(&views[a], &views[b]));
        let some_overlap = pairs().any(|(a, b)| can_overlap(doc, &views[a], &views[b]));
        if typify_exclusive && some_overlap {
            found.push((pointer.to_string(), members.len()));
        }
    });
    for (pointer, count) in found {
        let Some(Value::Object(union)) = doc.pointer_mut(&pointer) else {
            continue;
        };
        let dropped = union.remove("required").map_or(String::new(), |r| {
            format!("; `required` {r} beside it dropped, as every member requires those too")
        });
        let Some(Value::Array(members)) = union.get_mut("anyOf") else {
            continue;
        };
        for member in members.iter_mut() {
            let inner = member.take();
            *member = json!({
                "allOf": [inner],
                "description": "A member of an `anyOf` that bodies may match together with another (the pass `overlapping-any-of`).",
            });
        }
        log.change(
            join(&pointer, "anyOf"),
            format!(
                "{count} members wrapped: typify would judge them mutually exclusive (one requires a property the other does not list) and read a body valid for two as the first member only; they stay one type that keeps every member{dropped}"
            ),
        );
    }
}

/// typify 0.8's verdict on two object members (`object_schemas_mutually_exclusive`):
/// exclusive when one requires a property the other does not list, or when
/// both require fixed-value properties that differ.
fn judged_exclusive(a: &ObjectView, b: &ObjectView) -> bool {
    let lists = |view: &ObjectView, name: &String| view.properties.contains_key(name);
    if a.required.iter().any(|r| !lists(b, r)) || b.required.iter().any(|r| !lists(a, r)) {
        return true;
    }
    let tags = |view: &ObjectView| -> BTreeMap<String, Value> {
        view.required
            .iter()
            .filter_map(|name| {
                let (_, schema) = view.properties.get(name)?.first()?;
                match schema.get("enum").and_then(Value::as_array)?.as_slice() {
                    [only] => Some((name.clone(), only.clone())),
                    _ => None,
                }
            })
            .collect()
    };
    let (ta, tb) = (tags(a), tags(b));
    let subset = |x: &BTreeMap<String, Value>, y: &BTreeMap<String, Value>| {
        x.iter().all(|(k, v)| y.get(k) == Some(v))
    };
    !subset(&ta, &tb) && !subset(&tb, &ta)
}

/// Whether one body can be valid for both objects: neither forbids other
/// properties, and each property both declare allows a common value (the
/// same type where both name one, a shared value where both list values).
fn can_overlap(doc: &Value, a: &ObjectView, b: &ObjectView) -> bool {
    let closed = |view: &ObjectView| matches!(view.additional, Some((_, Value::Bool(false))));
    if closed(a) || closed(b) {
        return false;
    }
    a.properties.iter().all(|(name, declared)| {
        let Some(other) = b.properties.get(name) else {
            return true;
        };
        declared.iter().all(|(_, x)| {
            other.iter().all(|(_, y)| {
                let (x, y) = (resolve(doc, x), resolve(doc, y));
                let types_meet = match (type_of(doc, x), type_of(doc, y)) {
                    (Some(s), Some(t)) => {
                        s == t || matches!((s, t), ("integer", "number") | ("number", "integer"))
                    }
                    _ => true,
                };
                let values_meet = match (
                    x.get("enum").and_then(Value::as_array),
                    y.get("enum").and_then(Value::as_array),
                ) {
                    (Some(xs), Some(ys)) => xs.iter().any(|v| ys.contains(v)),
                    _ => true,
                };
                types_meet && values_meet
            })
        })
    })
}
