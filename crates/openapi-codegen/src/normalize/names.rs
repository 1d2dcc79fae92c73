//! Passes over names: Rust type names that would clash, and titles that
//! name a type already there.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::Log;
use crate::openapi::ANNOTATIONS;
use crate::openapi::pointer::join;
use crate::openapi::resolve::{
    locate, rename_components, resolve, schema_name, schema_ref, target as reference_target,
};
use crate::openapi::walk::{
    for_each_schema as for_each_schema_ref, for_each_schema_mut as for_each_schema,
};
use crate::target::naming::type_name as rust_type_name;
use crate::target::types::singleton_member;

/// The Rust type names of the components, for naming new ones.
pub(super) struct TakenNames(BTreeSet<String>);

impl TakenNames {
    pub(super) fn of(doc: &Value) -> Self {
        TakenNames(
            doc.pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|m| m.keys().map(|k| rust_type_name(k)).collect())
                .unwrap_or_default(),
        )
    }

    /// `base`, or `base2`, `base3`.. when that Rust type name is taken.
    pub(super) fn fresh(&mut self, base: &str) -> String {
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
/// Whether typify makes no type of its own for this schema: a bare `$ref`,
/// or an unconstrained primitive.
fn makes_no_type(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return true;
    };
    if map.contains_key("$ref") {
        return true;
    }
    // A wrapper makes the type its member makes.
    if let Some(only) = singleton_member(map) {
        return makes_no_type(only);
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

/// `{$ref}` or `{allOf: [{$ref}]}`, annotations (a title among them) beside.
fn names_no_type(schema: &serde_json::Map<String, Value>) -> bool {
    schema.contains_key("$ref") || singleton_member(schema).is_some_and(|m| m.get("$ref").is_some())
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

/// The names typify derives for the types of components' properties
/// (`<Component><Property>`, for a property that makes a type of its own),
/// each with the first component and property that get it.
fn derived_names(doc: &Value) -> BTreeMap<String, (String, String)> {
    let mut derived = BTreeMap::new();
    let Some(Value::Object(components)) = doc.pointer("/components/schemas") else {
        return derived;
    };
    for (name, schema) in components {
        let mut properties = BTreeMap::new();
        declared_properties(doc, schema, 3, &mut properties);
        for (property, declarations) in properties {
            let typed = declarations.len() > 1 || declarations.iter().any(|d| !makes_no_type(d));
            if typed {
                derived
                    .entry(rust_type_name(&format!(
                        "{}_{property}",
                        rust_type_name(name)
                    )))
                    .or_insert((name.clone(), property));
            }
        }
    }
    derived
}

/// A `$ref` whose pointer is percent-encoded, as a URI fragment may write
/// it (`#/components/schemas/Pet%20Owner`, RFC 6901 §6): typify looks up
/// `Pet%20Owner` and panics. It is written decoded, the pointer it means.
pub(super) fn ref_encoding(doc: &mut Value, log: &mut Log) {
    let mut decoded: Vec<(String, String, String)> = Vec::new();
    crate::openapi::walk::visit_mut(
        doc,
        "",
        crate::openapi::walk::Position::Object,
        &mut |node, map| {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && reference.starts_with('#')
                && reference.contains('%')
                && let Some(plain) = crate::openapi::pointer::percent_decoded(reference)
            {
                decoded.push((node.pointer.to_string(), reference.clone(), plain.clone()));
                *reference = plain;
            }
        },
    );
    for (at, from, to) in decoded {
        log.change(
            join(&at, "$ref"),
            format!("`$ref: {from}` written decoded, `{to}` (a fragment's pointer is percent-encoded; typify looked up the encoded name)"),
        );
    }
}

/// Components whose names clash in Rust are renamed (`CsprStakingOptions2`),
/// and every `$ref` follows: two names that map to one Rust type name
/// (`CSPRStakingOptions` and `CsprStakingOptions`), and a component named
/// like the type typify derives for another component's property
/// (`Wallet.id` with a pattern is the newtype `WalletId`, clashing with a
/// component `WalletId`).
/// `$ref`s from a schema to a schema that is no component: outside
/// `components/schemas` (readme.io's
/// `circular-paths.json`: `#/paths/~1anything/post/requestBody/content/
/// application~1json/schema/properties/circular`; bundlers write such
/// references for a schema they meet twice), or inside a component
/// (PagerDuty's `#/components/schemas/Tag/allOf/0`), also through other
/// references. typify takes references to whole component schemas only,
/// and progenitor panics. The schema named becomes a
/// component, its place a reference to it, and every such reference names
/// the component; a reference to a reference to a component names that
/// component. Deepest first, so that a reference into a schema that moves
/// still finds its target.
pub(super) fn schema_refs(doc: &mut Value, log: &mut Log) {
    let mut targets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for_each_schema_ref(doc, |pointer, map| {
        if let Some(reference) = map.get("$ref").and_then(Value::as_str)
            && reference.starts_with("#/")
            && schema_name(reference).is_none()
        {
            targets
                .entry(reference.to_string())
                .or_default()
                .push(pointer.to_string());
        }
    });
    if targets.is_empty() {
        return;
    }
    let mut taken = TakenNames::of(doc);
    let mut order: Vec<String> = targets.keys().cloned().collect();
    order.sort_by_key(|r| std::cmp::Reverse(r.matches('/').count()));
    for reference in order {
        // Follow references that are no component's, to a component or a schema.
        let mut at = reference.clone();
        let mut steps = 0;
        let component = loop {
            steps += 1;
            // A cycle of references that name no schema is left to typify.
            let Some(schema) = reference_target(doc, &at).filter(|_| steps <= 32) else {
                break None;
            };
            match schema.get("$ref").and_then(Value::as_str) {
                Some(next) if schema_name(next).is_some() => break Some(next.to_string()),
                Some(next) if next.starts_with("#/") => at = next.to_string(),
                _ => {
                    // Where the schema is (a pointer through references
                    // names it by the way it went).
                    let place = locate(doc, &at).map_or_else(|| at[1..].to_string(), |(p, _)| p);
                    let name = taken.fresh(&name_of(&at));
                    let schema = schema.clone();
                    super::responses::add_component(doc, &name, schema);
                    if let Some(place) = doc.pointer_mut(&place) {
                        *place = serde_json::json!({ "$ref": schema_ref(&name) });
                    }
                    break Some(schema_ref(&name));
                }
            }
        };
        let Some(component) = component else { continue };
        for holder in &targets[&reference] {
            if let Some(Value::Object(map)) = doc.pointer_mut(holder) {
                map.insert("$ref".into(), Value::String(component.clone()));
            }
        }
        log.change(
            &reference[1..],
            format!(
                "referenced as a schema that is no component ({} references): now `{component}` (typify takes references to whole component schemas only)",
                targets[&reference].len()
            ),
        );
    }
}

/// A name for the schema at `reference`: the property it is, else the last
/// segment that is a name rather than a keyword or an index.
fn name_of(reference: &str) -> String {
    let segments: Vec<String> = reference
        .trim_start_matches("#/")
        .split('/')
        .map(crate::openapi::pointer::unescape)
        .collect();
    if let [.., parent, last] = segments.as_slice()
        && parent == "properties"
    {
        return last.clone();
    }
    const KEYWORDS: [&str; 14] = [
        "schema",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "content",
        "requestBody",
        "responses",
        "parameters",
        "properties",
        "additionalProperties",
        "paths",
        "components",
    ];
    segments
        .iter()
        .rev()
        .find(|s| {
            !KEYWORDS.contains(&s.as_str())
                && !s.contains('/')
                && s.chars().next().is_some_and(char::is_alphabetic)
        })
        .cloned()
        .unwrap_or_else(|| "Schema".to_string())
}

/// A nullable component that typify makes an `Option` newtype over a type
/// of the *same* name (two types of one name, which do not compile):
/// - a composition (`allOf` of several members, `oneOf`, `anyOf`) with
///   `nullable: true` (Plaid's `SenderBACSNullable`): the composition moves
///   into a new component `<name>Inner`, the name typify gives the inside of
///   the nullable types it names apart (a nullable enum's), and the
///   component is `nullable` over it, keeping its annotations;
/// - a typed enum listing `null` without `nullable` (Plaid's
///   `TransferAuthorizationDecisionRationaleCode`, whose docs say what
///   `null` means): it gets `nullable: true`, which OpenAPI 3.0 asks for
///   and with which typify names the inside `<name>Inner`.
pub(super) fn nullable_components(doc: &mut Value, log: &mut Log) {
    let mut taken = TakenNames::of(doc);
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return;
    };
    let mut hoisted = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        let Value::Object(map) = schema else { continue };
        let pointer = join("/components/schemas", name);
        let nullable = map.get("nullable") == Some(&Value::Bool(true));
        let lists_null = map
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.contains(&Value::Null));
        if !nullable && lists_null && map.get("type").is_some_and(Value::is_string) {
            map.insert("nullable".into(), Value::Bool(true));
            log.change(
                join(&pointer, "nullable"),
                "`null` is one of the enum's values: `nullable: true` (without it typify names the `Option` newtype and the enum inside it alike, which does not compile)",
            );
            continue;
        }
        let composed = map
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|members| members.len() > 1)
            || map.contains_key("oneOf")
            || map.contains_key("anyOf");
        if !(nullable && composed) {
            continue;
        }
        let inner_name = taken.fresh(&format!("{name}Inner"));
        // The annotations stay on the component; the docs are the inner
        // type's too, as typify gives a nullable enum's inside its docs.
        let mut outer = serde_json::Map::new();
        for key in ANNOTATIONS {
            let value = match key {
                "description" => map.get(key).cloned(),
                _ => map.remove(key),
            };
            if let Some(value) = value {
                outer.insert(key.to_string(), value);
            }
        }
        map.remove("nullable");
        outer.insert("nullable".into(), Value::Bool(true));
        outer.insert(
            "allOf".into(),
            serde_json::json!([{ "$ref": format!("#/components/schemas/{inner_name}") }]),
        );
        let inner = std::mem::replace(map, outer);
        log.change(
            &pointer,
            format!(
                "its non-null part is the new component `{inner_name}` (typify names the `Option` newtype of a nullable composition and the type inside it alike, which does not compile)"
            ),
        );
        hoisted.push((inner_name, Value::Object(inner)));
    }
    schemas.extend(hoisted);
}

pub(super) fn component_names(doc: &mut Value, log: &mut Log) {
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
    let derived: BTreeMap<String, String> = derived_names(doc)
        .into_iter()
        .map(|(rust, (component, property))| (rust, format!("{component}.{property}")))
        .collect();
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
    let mut new_names: HashMap<String, String> = HashMap::new();
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
        log.report.renamed.push((name.clone(), new.clone()));
        new_names.insert(name, new);
    }
    rename_components(doc, &new_names);
}

/// A `title` names the type typify makes of an inline schema (and of the
/// inner type of a nullable component). A title naming an existing type
/// (a component, or an earlier title) is removed.
pub(super) fn inline_type_names(doc: &mut Value, log: &mut Log) {
    let components: BTreeMap<String, String> = match doc.pointer("/components/schemas") {
        Some(Value::Object(map)) => map.keys().map(|k| (rust_type_name(k), k.clone())).collect(),
        _ => return,
    };
    let roots: BTreeMap<String, String> = components
        .values()
        .map(|k| (join("/components/schemas", k), rust_type_name(k)))
        .collect();
    // The names typify gives untitled property types, each with the
    // property's pointer: a title elsewhere that spells one makes typify
    // use one type for both.
    let derived: BTreeMap<String, String> = derived_names(doc)
        .into_iter()
        .map(|(rust, (component, property))| {
            let at = join(&join("/components/schemas", &component), "properties");
            (rust, join(&at, &property))
        })
        .collect();
    // Each inline title's Rust name, with the first schema that has it.
    let mut titles: BTreeMap<String, Value> = BTreeMap::new();
    for_each_schema(doc, |pointer, schema| {
        let Some(title) = schema
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return;
        };
        // A title on a `$ref`, or on `{allOf: [$ref]}`, names no type
        // (typify uses the referenced one; in a `oneOf` it names the variant).
        if names_no_type(schema) {
            return;
        }
        let rust = rust_type_name(&title);
        let clash = match roots.get(pointer) {
            // A component's own name wins over its title, except for the
            // inner type of a nullable component.
            Some(own) => {
                let nullable = schema.get("nullable") == Some(&Value::Bool(true));
                (nullable && components.contains_key(&rust))
                    || (&rust != own && components.contains_key(&rust))
            }
            // The same title on the same schema is one type to typify.
            None => {
                components.contains_key(&rust)
                    || derived.get(&rust).is_some_and(|owner| owner != pointer)
                    || titles
                        .get(&rust)
                        .is_some_and(|earlier| *earlier != Value::Object(schema.clone()))
            }
        };
        if clash {
            schema.remove("title");
            log.change(
                join(pointer, "title"),
                format!("removed title `{title}`: the Rust type `{rust}` already exists"),
            );
        } else if !roots.contains_key(pointer) {
            titles
                .entry(rust)
                .or_insert_with(|| Value::Object(schema.clone()));
        }
    });
}
