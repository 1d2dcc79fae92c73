//! The one `$ref` resolver: local references (`#/...`), followed through
//! chains, with a guard against cycles; and every reference of a document,
//! found by the one walk ([`super::walk`]).

use std::collections::HashMap;

use serde_json::Value;

use super::pointer::{self, unescape};
use super::walk::{self, Position};

/// The prefix of a reference to a component schema.
pub const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How many `$ref`s in a row are followed before giving up (a cycle).
const MAX_CHAIN: usize = 32;

/// What `reference` points at in `doc`, if it is local and resolves. A
/// pointer that runs through another reference (PagerDuty's
/// `.../items/allOf/0/...` where `items` is a `$ref`), which RFC 6901 alone
/// does not resolve, is read as bundlers read it: that reference is
/// followed and the pointer goes on from what it names.
pub fn target<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    locate(doc, reference).map(|(_, value)| value)
}

/// [`target`], with the pointer of where the value really is (for a
/// pointer through references, the one without them).
pub fn locate<'a>(doc: &'a Value, reference: &str) -> Option<(String, &'a Value)> {
    let pointer = reference.strip_prefix('#')?;
    if pointer.contains('%') {
        // A fragment's pointer is percent-encoded (RFC 6901 §6).
        let decoded = pointer::percent_decoded(pointer)?;
        return locate(doc, &format!("#{decoded}"));
    }
    match doc.pointer(pointer) {
        Some(value) => Some((pointer.to_string(), value)),
        None => through_references(doc, pointer, MAX_CHAIN),
    }
}

/// [`locate`]'s pointer walk that follows a `$ref` met on the way.
fn through_references<'a>(
    doc: &'a Value,
    pointer: &str,
    budget: usize,
) -> Option<(String, &'a Value)> {
    let (mut at, mut current) = (String::new(), doc);
    for segment in pointer.strip_prefix('/')?.split('/') {
        let segment = unescape(segment);
        let mut followed = 0;
        while let Some(next) = reference_of(current)
            .filter(|_| segment != "$ref")
            .and_then(|r| r.strip_prefix('#'))
        {
            followed += 1;
            if followed > budget || budget == 0 {
                return None;
            }
            (at, current) = match doc.pointer(next) {
                Some(value) => (next.to_string(), value),
                None => through_references(doc, next, budget - 1)?,
            };
        }
        current = match current {
            Value::Object(map) => map.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
        at = pointer::join(&at, &segment);
    }
    Some((at, current))
}

/// Why `reference` does not resolve in `doc`; `None` when it does.
pub fn unresolvable(doc: &Value, reference: &str) -> Option<String> {
    let Some(local) = reference.strip_prefix('#') else {
        return Some(format!(
            "$ref {reference:?} points outside this file; only local references (\"#/...\") are supported"
        ));
    };
    if target(doc, reference).is_some() {
        None
    } else {
        Some(format!(
            "$ref {reference:?} does not resolve: nothing at {local:?}"
        ))
    }
}

/// The `$ref` of a keyword object, if it has one.
pub fn reference_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// Follows `$ref`s from `value` (several in a row too) to what they name.
/// A reference that does not resolve, or a cycle, stops at the last object
/// reached.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..MAX_CHAIN {
        match reference_of(current).and_then(|r| target(doc, r)) {
            Some(next) => current = next,
            None => return current,
        }
    }
    current
}

/// [`resolve`], also telling the pointer of what it reached (`at` for a
/// value that is no reference).
pub fn resolve_at<'a>(doc: &'a Value, at: &str, value: &'a Value) -> (String, &'a Value) {
    let (mut pointer, mut current) = (at.to_string(), value);
    for _ in 0..MAX_CHAIN {
        match reference_of(current).and_then(|r| Some((r, target(doc, r)?))) {
            Some((reference, next)) => {
                pointer = reference[1..].to_string();
                current = next;
            }
            None => break,
        }
    }
    (pointer, current)
}

/// The component schema name of a reference (`#/components/schemas/A~1B` →
/// `A/B`); `None` for a reference to anything else, a schema inside a
/// component (`#/components/schemas/Tag/allOf/0`) included.
pub fn schema_name(reference: &str) -> Option<String> {
    reference
        .strip_prefix(SCHEMA_PREFIX)
        .filter(|rest| !rest.contains('/'))
        .map(unescape)
}

/// The component schema a reference points into (`Tag` for
/// `#/components/schemas/Tag/allOf/0`), for what a reference reaches.
pub fn component_of(reference: &str) -> Option<String> {
    reference
        .strip_prefix(SCHEMA_PREFIX)
        .map(|rest| unescape(rest.split('/').next().unwrap_or(rest)))
}

/// The reference to the component schema `name`.
pub fn schema_ref(name: &str) -> String {
    format!("{SCHEMA_PREFIX}{}", pointer::escape(name))
}

/// Every reference under `value` (which sits at `position`): each `$ref` of
/// a keyword object, and each value of a discriminator's `mapping` (a schema
/// name there is read as the reference to that component, see
/// [`mapping_reference`]), with the pointer of the string that holds it.
pub fn references(value: &Value, at: &str, position: Position) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk::visit(value, at, position, &mut |node, map| {
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            out.push((pointer::join(node.pointer, "$ref"), reference.to_string()));
        }
        if node.position == Position::Schema
            && let Some(Value::Object(mapping)) =
                map.get("discriminator").and_then(|d| d.get("mapping"))
        {
            let at = format!("{}/discriminator/mapping", node.pointer);
            for (key, value) in mapping {
                if let Some(value) = value.as_str() {
                    out.push((pointer::join(&at, key), mapping_reference(value)));
                }
            }
        }
    });
    out
}

/// A discriminator mapping's value as a reference. OpenAPI 3.0 lets the
/// value be a reference (`#/components/schemas/Dog`) or a schema's name
/// (`Dog`, "mappings between payload values and schema names or
/// references"): a value with neither `#` nor `/` is a name.
pub fn mapping_reference(value: &str) -> String {
    if is_schema_name(value) {
        schema_ref(value)
    } else {
        value.to_string()
    }
}

/// Whether a discriminator mapping's value is a schema name rather than a
/// reference.
pub fn is_schema_name(value: &str) -> bool {
    !value.is_empty() && !value.contains(['#', '/'])
}

/// Renames the component schemas named in `renames` (keeping the document
/// order) and every reference to them.
pub fn rename_components(doc: &mut Value, renames: &HashMap<String, String>) {
    if renames.is_empty() {
        return;
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        let old = std::mem::take(schemas);
        for (name, schema) in old {
            let name = renames.get(&name).cloned().unwrap_or(name);
            schemas.insert(name, schema);
        }
    }
    rename_schema_refs(doc, renames);
}

/// Rewrites every reference to a component schema named in `renames` (in
/// `$ref`s and discriminator mappings) to name its new name, in one walk.
pub fn rename_schema_refs(doc: &mut Value, renames: &HashMap<String, String>) {
    let refs: HashMap<String, String> = renames
        .iter()
        .map(|(old, new)| (schema_ref(old), schema_ref(new)))
        .collect();
    let renamed = |value: &mut String| {
        if let Some(new) = refs.get(value.as_str()) {
            *value = new.clone();
        }
    };
    walk::visit_mut(doc, "", Position::Object, &mut |node, map| {
        if let Some(Value::String(r)) = map.get_mut("$ref") {
            renamed(r);
        }
        if node.position == Position::Schema
            && let Some(Value::Object(mapping)) = map
                .get_mut("discriminator")
                .and_then(|d| d.get_mut("mapping"))
        {
            for value in mapping.values_mut() {
                match value {
                    Value::String(name) if is_schema_name(name) => {
                        if let Some(new) = renames.get(name.as_str()) {
                            *name = new.clone();
                        }
                    }
                    Value::String(r) => renamed(r),
                    _ => {}
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn chains_are_followed_and_cycles_stop() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/C"},
            "C": {"type": "string"},
            "Loop": {"$ref": "#/components/schemas/Loop"},
        }}});
        let a = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(resolve(&doc, &a), &json!({"type": "string"}));
        let looping = json!({"$ref": "#/components/schemas/Loop"});
        assert_eq!(
            resolve(&doc, &looping),
            &json!({"$ref": "#/components/schemas/Loop"})
        );
        let dangling = json!({"$ref": "#/components/schemas/Nope"});
        assert_eq!(resolve(&doc, &dangling), &dangling);
    }

    #[test]
    fn pointers_through_references_follow_them() {
        let doc = json!({
            "paths": {"/a": {"schema": {"items": {"$ref": "#/components/schemas/Item"}}}},
            "components": {"schemas": {"Item": {"allOf": [{"properties": {"kind": {"type": "string"}}}]}}}
        });
        let through = "#/paths/~1a/schema/items/allOf/0/properties/kind";
        assert_eq!(target(&doc, through), Some(&json!({"type": "string"})));
        assert_eq!(unresolvable(&doc, through), None);
        assert!(unresolvable(&doc, "#/paths/~1a/schema/items/allOf/1").is_some());
        assert_eq!(
            locate(&doc, through).map(|(at, _)| at).as_deref(),
            Some("/components/schemas/Item/allOf/0/properties/kind")
        );
        let looping = json!({"a": {"$ref": "#/a"}});
        assert_eq!(target(&looping, "#/a/b"), None);
        assert_eq!(schema_name("#/components/schemas/Tag/allOf/0"), None);
        let spaced = json!({"components": {"schemas": {"Pet Owner": {"type": "object"}}}});
        assert!(target(&spaced, "#/components/schemas/Pet%20Owner").is_some());
        assert!(unresolvable(&spaced, "#/components/schemas/Pet%2").is_some());
        assert_eq!(
            component_of("#/components/schemas/Tag/allOf/0").as_deref(),
            Some("Tag")
        );
        assert_eq!(
            component_of("#/components/schemas/a~1b").as_deref(),
            Some("a/b")
        );
    }

    #[test]
    fn escaped_names_resolve_and_unescape() {
        let doc = json!({"components": {"schemas": {"a/b": {"type": "string"}}}});
        assert_eq!(schema_ref("a/b"), "#/components/schemas/a~1b");
        assert!(target(&doc, &schema_ref("a/b")).is_some());
        assert_eq!(
            schema_name("#/components/schemas/a~1b").as_deref(),
            Some("a/b")
        );
        assert!(
            unresolvable(&doc, "other.yaml#/A")
                .unwrap()
                .contains("outside this file")
        );
    }

    #[test]
    fn references_skip_names_and_data_and_include_mappings() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object",
                  "properties": {"$ref": {"type": "string"}, "b": {"$ref": "#/components/schemas/B"}},
                  "example": {"$ref": "#/not/a/reference"},
                  "discriminator": {"propertyName": "kind", "mapping": {"b": "#/components/schemas/B", "c/d": "B"}}},
            "B": {"type": "string"},
        }}});
        let found = references(&doc, "", Position::Object);
        assert_eq!(
            found,
            [
                (
                    "/components/schemas/A/properties/b/$ref".to_string(),
                    "#/components/schemas/B".to_string()
                ),
                (
                    "/components/schemas/A/discriminator/mapping/b".to_string(),
                    "#/components/schemas/B".to_string()
                ),
                (
                    "/components/schemas/A/discriminator/mapping/c~1d".to_string(),
                    "#/components/schemas/B".to_string()
                ),
            ]
        );
        let mut renamed = doc.clone();
        rename_schema_refs(&mut renamed, &HashMap::from([("B".into(), "B2".into())]));
        let found = references(&renamed, "", Position::Object);
        assert!(
            found.iter().all(|(_, r)| r == "#/components/schemas/B2"),
            "{found:?}"
        );
        assert_eq!(
            renamed["components"]["schemas"]["A"]["discriminator"]["mapping"]["c/d"], "B2",
            "a name stays a name"
        );
        assert_eq!(
            renamed["components"]["schemas"]["A"]["example"]["$ref"],
            "#/not/a/reference"
        );
    }

    #[test]
    fn mapping_values_are_names_or_references() {
        assert_eq!(mapping_reference("Dog"), "#/components/schemas/Dog");
        assert_eq!(mapping_reference("a~b"), "#/components/schemas/a~0b");
        assert_eq!(
            mapping_reference("#/components/schemas/Dog"),
            "#/components/schemas/Dog"
        );
        assert_eq!(mapping_reference("other.yaml#/Dog"), "other.yaml#/Dog");
        assert_eq!(mapping_reference("schemas/dog.json"), "schemas/dog.json");
    }
}
