//! Operation selection: keep the operations a user asked for, and the
//! component schemas they reach.

use std::collections::BTreeSet;

use serde_json::Value;

use super::operations::{self, operations};
use super::pointer::join;
use super::resolve::{component_of, references};
use super::walk::Position;

/// Operations to keep: those matching any listed tag, operationId or path
/// prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub operation_ids: Vec<String>,
    #[serde(default)]
    pub path_prefixes: Vec<String>,
}

impl Selection {
    /// Removes the operations this selection does not keep from `doc`, and
    /// the component schemas only they used (progenitor generates a type for
    /// every component, used or not); returns how many operations went.
    pub fn apply(&self, doc: &mut Value) -> usize {
        let mut removed = 0;
        for op in operations(doc) {
            let operation = &doc["paths"][&op.path][&op.method];
            let tags: Vec<&str> = operation
                .get("tags")
                .and_then(Value::as_array)
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let keep = self
                .path_prefixes
                .iter()
                .any(|p| op.path.starts_with(p.as_str()))
                || self.operation_ids.contains(&op.id)
                || tags.iter().any(|t| self.tags.iter().any(|k| k == t));
            if !keep {
                operations::remove(doc, &op);
                removed += 1;
            }
        }
        prune_components(doc);
        removed
    }
}

/// Removes component schemas that nothing outside `components.schemas`
/// reaches through references (directly or through other schemas).
pub fn prune_components(doc: &mut Value) {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    let mut queue: Vec<String> = Vec::new();
    if let Value::Object(root) = &*doc {
        for (key, value) in root {
            if key == "components" {
                for (kind, section) in value.as_object().into_iter().flatten() {
                    if kind != "schemas" {
                        let at = join("/components", kind);
                        let position = super::walk::child(Position::Components, kind);
                        queue.extend(
                            references(section, &at, position)
                                .into_iter()
                                .map(|(_, r)| r),
                        );
                    }
                }
            } else {
                let position = super::walk::child(Position::Object, key);
                queue.extend(
                    references(value, &join("", key), position)
                        .into_iter()
                        .map(|(_, r)| r),
                );
            }
        }
    }
    let mut queue: Vec<String> = queue.iter().filter_map(|r| component_of(r)).collect();
    let mut reached = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get(&name) {
            let at = join("/components/schemas", &name);
            queue.extend(
                references(schema, &at, Position::Schema)
                    .iter()
                    .filter_map(|(_, r)| component_of(r)),
            );
        }
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.retain(|name, _| reached.contains(name));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_selection_keeps_matching_operations_and_what_they_reach() {
        let r = |n: &str| json!({"$ref": format!("#/components/schemas/{n}")});
        let mut doc = json!({
            "paths": {
                "/wallets": {"get": {"operationId": "listWallets", "tags": ["wallets"],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": r("Wallets")}}}}}},
                "/users": {"get": {"operationId": "listUsers", "tags": ["users"],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": r("Users")}}}}}},
            },
            "components": {"schemas": {
                "Wallets": {"type": "array", "items": r("Wallet")},
                "Wallet": {"type": "object", "properties": {"$ref": {"type": "string"}},
                    "example": {"$ref": "#/components/schemas/Users"}},
                "Users": {"type": "array", "items": {"type": "string"}},
            }}
        });
        let selection = Selection {
            tags: vec!["wallets".into()],
            ..Default::default()
        };
        assert_eq!(selection.apply(&mut doc), 1);
        assert!(doc.pointer("/paths/~1users").is_none());
        let kept: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(kept, ["Wallet", "Wallets"]);
    }

    #[test]
    fn selection_prunes_the_components_only_dropped_operations_used() {
        let schema =
            |name: &str| serde_json::json!({"$ref": format!("#/components/schemas/{name}")});
        let body = |name: &str| serde_json::json!({"200": {"description": "", "content": {"application/json": {"schema": schema(name)}}}});
        let mut doc = serde_json::json!({
            "paths": {
                "/kept": {"get": {"operationId": "kept", "responses": body("A")}},
                "/gone": {"get": {"operationId": "gone", "responses": body("C")}}
            },
            "components": {"schemas": {
                "A": {"properties": {"b": schema("B")}},
                "B": {"oneOf": [schema("D")], "discriminator": {"propertyName": "k", "mapping": {"d": "#/components/schemas/D"}}},
                "C": {}, "D": {}, "E": {"properties": {"c": schema("C")}}
            }}
        });
        let selection = Selection {
            operation_ids: vec!["kept".into()],
            ..Default::default()
        };
        assert_eq!(selection.apply(&mut doc), 1);
        let names: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, ["A", "B", "D"]);
    }

    #[test]
    fn selection_keeps_matching_operations_only() {
        let mut doc = serde_json::json!({"paths": {
            "/a/x": {"get": {"operationId": "ax"}},
            "/b": {"get": {"operationId": "b", "tags": ["T"]}, "post": {"operationId": "c"}},
            "/d": {"get": {"operationId": "d"}}
        }});
        let selection = Selection {
            tags: vec!["T".into()],
            operation_ids: vec!["d".into()],
            path_prefixes: vec!["/a".into()],
        };
        assert_eq!(selection.apply(&mut doc), 1);
        assert!(doc.pointer("/paths/~1b/post").is_none());
        assert!(doc.pointer("/paths/~1b/get").is_some());
        assert!(doc.pointer("/paths/~1d/get").is_some());
    }
}
