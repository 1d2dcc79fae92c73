//! The judge of validity: each component schema read as JSON Schema (draft
//! 4, which OpenAPI 3.0's Schema Object extends) by the `jsonschema` crate,
//! an implementation independent of typify. An instance the generator
//! makes counts only if the oracle accepts it; a mutant only if it refuses.
//!
//! OpenAPI 3.0's own keywords are translated first: `nullable: true` adds
//! `null` to the allowed types (and to `enum`), and references to
//! `#/components/schemas/X` become `#/definitions/X` so that every
//! component is compiled once, in one map.

use jsonschema::{Draft, ValidatorMap};
use openapi_codegen::openapi::pointer::escape;
use openapi_codegen::openapi::resolve::SCHEMA_PREFIX;
use openapi_codegen::openapi::walk::{Position, visit_mut};
use serde_json::{Map, Value, json};

pub struct Oracle {
    validators: ValidatorMap,
}

impl Oracle {
    /// The validators of every component schema of `doc`, or why the
    /// schemas do not compile as JSON Schema.
    pub fn new(doc: &Value) -> Result<Oracle, String> {
        let mut schemas = doc
            .pointer("/components/schemas")
            .cloned()
            .unwrap_or_else(|| json!({}));
        visit_mut(
            &mut schemas,
            "/components/schemas",
            Position::Names(openapi_codegen::openapi::walk::Entry::Schema),
            &mut |node, map| {
                if node.position == Position::Schema {
                    translate(map);
                }
            },
        );
        let root = json!({"definitions": schemas});
        let validators = jsonschema::options()
            .with_draft(Draft::Draft4)
            .should_validate_formats(true)
            .build_map(&root)
            .map_err(|e| format!("the component schemas are not JSON Schema: {e}"))?;
        Ok(Oracle { validators })
    }

    /// Whether `instance` is valid for the component schema `name`
    /// (`None`: the oracle has no validator for it).
    pub fn is_valid(&self, name: &str, instance: &Value) -> Option<bool> {
        let validator = self
            .validators
            .get(&format!("#/definitions/{}", escape(name)))?;
        Some(validator.is_valid(instance))
    }

    /// Whether `instance` is valid for the schema at `pointer` (a JSON
    /// pointer into the spec under `/components/schemas`; `None`: no
    /// validator there).
    pub fn is_valid_at(&self, pointer: &str, instance: &Value) -> Option<bool> {
        let inner = pointer.strip_prefix("/components/schemas")?;
        let validator = self.validators.get(&format!("#/definitions{inner}"))?;
        Some(validator.is_valid(instance))
    }
}

/// One schema object, OpenAPI 3.0 → JSON Schema draft 4.
fn translate(map: &mut Map<String, Value>) {
    if let Some(Value::String(reference)) = map.get_mut("$ref")
        && let Some(name) = reference.strip_prefix(SCHEMA_PREFIX)
    {
        *reference = format!("#/definitions/{name}");
    }
    if map.remove("nullable") != Some(Value::Bool(true)) {
        return;
    }
    if let Some(Value::Array(values)) = map.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    match map.get("type").cloned() {
        Some(Value::String(t)) => {
            map.insert("type".into(), json!([t, "null"]));
        }
        Some(_) => {}
        None if map.contains_key("enum") => {}
        None => {
            let inner = std::mem::take(map);
            map.insert(
                "anyOf".into(),
                json!([Value::Object(inner), {"type": "null"}]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_references_and_formats_are_read_as_openapi_means_them() {
        let doc = json!({"components": {"schemas": {
            "When": {"type": "string", "format": "date-time", "nullable": true},
            "Thing": {"type": "object", "required": ["when"], "properties": {
                "when": {"$ref": "#/components/schemas/When"},
                "kind": {"type": "string", "enum": ["a"], "nullable": true},
                "any": {"allOf": [{"$ref": "#/components/schemas/When"}], "nullable": true}}},
        }}});
        let oracle = Oracle::new(&doc).unwrap();
        assert_eq!(
            oracle.is_valid("Thing", &json!({"when": null, "kind": null})),
            Some(true)
        );
        assert_eq!(
            oracle.is_valid(
                "Thing",
                &json!({"when": "2024-01-02T03:04:05Z", "kind": "a"})
            ),
            Some(true)
        );
        assert_eq!(
            oracle.is_valid("Thing", &json!({"when": "yesterday"})),
            Some(false)
        );
        assert_eq!(oracle.is_valid("Thing", &json!({"kind": "a"})), Some(false));
        assert_eq!(
            oracle.is_valid("Thing", &json!({"when": null, "kind": "b"})),
            Some(false)
        );
        assert_eq!(oracle.is_valid("Missing", &json!({})), None);
    }
}
