//! What a schema says about the values it allows, with `$ref`s followed and
//! `allOf` members merged: the one reading of a schema's object side, shared
//! by the normalization (`overlapping-any-of`), and by the instance
//! generator and round-trip comparison of `cargo xtask roundtrip`.

use std::collections::{BTreeMap, BTreeSet};

use super::pointer::join;
use super::resolve::{resolve, resolve_at};
use serde_json::{Map, Value};

/// How many `allOf`/`$ref` levels a merge follows before it stops (a cycle).
const MAX_MERGE_DEPTH: usize = 16;

/// A schema's object side: its properties (each with every schema that
/// declares it and that schema's JSON pointer, from `allOf` members, and
/// from the `oneOf`/`anyOf` members a filter keeps), the required ones, and
/// what other properties may hold.
#[derive(Debug, Default, Clone)]
pub struct ObjectView<'a> {
    pub properties: BTreeMap<String, Vec<(String, &'a Value)>>,
    pub required: BTreeSet<String>,
    /// `additionalProperties` and its pointer: `None` when absent (anything
    /// allowed).
    pub additional: Option<(String, &'a Value)>,
}

impl<'a> ObjectView<'a> {
    /// The properties the schema at `at` declares, merged through `allOf`;
    /// no `oneOf`/`anyOf` member counts.
    pub fn of(doc: &'a Value, at: &str, schema: &'a Value) -> ObjectView<'a> {
        Self::with_members(doc, at, schema, &mut |_| false)
    }

    /// [`ObjectView::of`], with the properties of each `oneOf`/`anyOf`
    /// member (by its pointer, after `$ref`s) that `keep` keeps.
    pub fn with_members(
        doc: &'a Value,
        at: &str,
        schema: &'a Value,
        keep: &mut dyn FnMut(&str) -> bool,
    ) -> ObjectView<'a> {
        let mut view = ObjectView::default();
        view.add(doc, at, schema, keep, 0);
        view
    }

    fn add(
        &mut self,
        doc: &'a Value,
        at: &str,
        schema: &'a Value,
        keep: &mut dyn FnMut(&str) -> bool,
        depth: usize,
    ) {
        if depth > MAX_MERGE_DEPTH {
            return;
        }
        let (at, schema) = resolve_at(doc, at, schema);
        let Some(map) = schema.as_object() else {
            return;
        };
        if let Some(Value::Object(properties)) = map.get("properties") {
            let base = join(&at, "properties");
            for (name, property) in properties {
                self.properties
                    .entry(name.clone())
                    .or_default()
                    .push((join(&base, name), property));
            }
        }
        if let Some(Value::Array(required)) = map.get("required") {
            self.required.extend(
                required
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string),
            );
        }
        if let Some(additional) = map.get("additionalProperties") {
            self.additional = Some((join(&at, "additionalProperties"), additional));
        }
        for (i, member) in list(map, "allOf").iter().enumerate() {
            self.add(doc, &format!("{at}/allOf/{i}"), member, keep, depth + 1);
        }
        for key in ["oneOf", "anyOf"] {
            for (i, member) in list(map, key).iter().enumerate() {
                let (member_at, _) = resolve_at(doc, &format!("{at}/{key}/{i}"), member);
                if !keep(&member_at) {
                    continue;
                }
                let mut inner = ObjectView::default();
                inner.add(doc, &member_at, member, keep, depth + 1);
                for (name, schemas) in inner.properties {
                    self.properties.entry(name).or_default().extend(schemas);
                }
                if self.additional.is_none() {
                    self.additional = inner.additional;
                }
            }
        }
    }

    /// Whether a property of this name is declared.
    pub fn declares(&self, name: &str) -> bool {
        self.properties.contains_key(name)
    }
}

/// The schemas listed under `key` (`allOf`, `oneOf`, `anyOf`).
pub fn list<'a>(map: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    map.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The schema's `type`, if it names one, looking through a lone `allOf`
/// member and `$ref`s.
pub fn type_of<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a str> {
    let map = resolve(doc, schema).as_object()?;
    if let Some(t) = map.get("type").and_then(Value::as_str) {
        return Some(t);
    }
    if map.contains_key("properties") {
        return Some("object");
    }
    match list(map, "allOf") {
        [] => None,
        members => members.iter().find_map(|m| type_of(doc, m)),
    }
}

/// Whether the schema allows `null` (OpenAPI 3.0's `nullable`), here, on
/// what a `$ref` names, or on the one member of an `allOf`.
pub fn nullable(doc: &Value, schema: &Value) -> bool {
    nullable_within(doc, schema, 0)
}

fn nullable_within(doc: &Value, schema: &Value, depth: usize) -> bool {
    if depth > MAX_MERGE_DEPTH {
        return false;
    }
    let resolved = resolve(doc, schema);
    let Some(map) = resolved.as_object() else {
        return false;
    };
    if schema.get("nullable") == Some(&Value::Bool(true))
        || map.get("nullable") == Some(&Value::Bool(true))
    {
        return true;
    }
    matches!(list(map, "allOf"), [only] if nullable_within(doc, only, depth + 1))
}

/// The schema's `format` (through `$ref`s and `allOf`).
pub fn format_of<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a str> {
    let map = resolve(doc, schema).as_object()?;
    if let Some(f) = map.get("format").and_then(Value::as_str) {
        return Some(f);
    }
    list(map, "allOf").iter().find_map(|m| format_of(doc, m))
}

/// The `default` a schema declares (through `$ref`s and `allOf`).
pub fn default_of<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let map = schema.as_object()?;
    if let Some(d) = map.get("default") {
        return Some(d);
    }
    let resolved = resolve(doc, schema).as_object()?;
    if let Some(d) = resolved.get("default") {
        return Some(d);
    }
    list(resolved, "allOf")
        .iter()
        .find_map(|m| default_of(doc, m))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn all_of_members_and_refs_merge_into_one_view() {
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
            "Thing": {"allOf": [{"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {"n": {"type": "integer"}}}]},
        }}});
        let thing = &doc["components"]["schemas"]["Thing"];
        let view = ObjectView::of(&doc, "/components/schemas/Thing", thing);
        assert_eq!(view.properties.keys().collect::<Vec<_>>(), vec!["id", "n"]);
        assert!(view.required.contains("id"));
        // Each with the pointer of the schema that declares it.
        assert_eq!(
            view.properties["id"][0].0,
            "/components/schemas/Base/properties/id"
        );
        assert_eq!(
            view.properties["n"][0].0,
            "/components/schemas/Thing/allOf/1/properties/n"
        );
        assert_eq!(type_of(&doc, thing), Some("object"));
    }

    #[test]
    fn union_members_count_as_declared_only_where_kept() {
        let doc = json!({});
        let union = json!({"anyOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"b": {"type": "string"}}}]});
        assert!(ObjectView::of(&doc, "/u", &union).properties.is_empty());
        let view = ObjectView::with_members(&doc, "/u", &union, &mut |_| true);
        assert!(view.declares("a") && view.declares("b"));
        let second = ObjectView::with_members(&doc, "/u", &union, &mut |at| at == "/u/anyOf/1");
        assert!(!second.declares("a") && second.declares("b"));
    }

    #[test]
    fn nullable_is_read_through_a_reference_and_a_lone_all_of_member() {
        let doc = json!({"components": {"schemas": {"N": {"type": "string", "nullable": true}}}});
        assert!(nullable(&doc, &json!({"$ref": "#/components/schemas/N"})));
        assert!(nullable(
            &doc,
            &json!({"allOf": [{"$ref": "#/components/schemas/N"}], "description": "d"})
        ));
        assert!(!nullable(&doc, &json!({"type": "string"})));
        assert!(!nullable(
            &doc,
            &json!({"allOf": [{"$ref": "#/components/schemas/N"}, {"type": "string"}]})
        ));
    }
}
