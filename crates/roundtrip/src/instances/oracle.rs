//! The judge of validity: each component schema read as JSON Schema (draft
//! 4, which OpenAPI 3.0's Schema Object extends) by the `jsonschema` crate,
//! an implementation independent of typify. An instance the generator
//! makes counts only if the oracle accepts it; a mutant only if it refuses.
//!
//! OpenAPI 3.0's own keywords are translated first: `nullable: true` adds
//! `null` to the allowed types (and to `enum`), and references to
//! `#/components/schemas/X` become `#/definitions/X` so that every
//! component is compiled once, in one map; OpenAPI 3.1's numeric
//! `exclusiveMinimum`/`exclusiveMaximum` become draft 4's boolean form, and a
//! boolean one without its bound is dropped (it bounds nothing).

use std::sync::OnceLock;

use jsonschema::{Draft, ValidatorMap};
use openapi_codegen::openapi::pointer::escape;
use openapi_codegen::openapi::resolve::SCHEMA_PREFIX;
use openapi_codegen::openapi::walk::{Position, visit_mut};
use serde_json::{Map, Value, json};

use super::Judge;

pub struct Oracle {
    validators: ValidatorMap,
    /// The translated schemas, for [`Oracle::is_valid_leniently`].
    root: Value,
    /// The same schemas read as the models read them (each `oneOf` as
    /// `anyOf`, no bounds or array sizes), built on first use.
    relaxed: OnceLock<Option<ValidatorMap>>,
}

impl Oracle {
    /// The validators of every component schema of `doc`, or why the
    /// schemas do not compile as JSON Schema.
    pub fn new(doc: &Value) -> Result<Oracle, String> {
        let mut schemas = doc
            .pointer("/components/schemas")
            .cloned()
            .unwrap_or_else(|| json!({}));
        visit_schemas(&mut schemas, translate);
        let root = json!({"definitions": schemas});
        let validators = compile(&root)
            .map_err(|e| format!("the component schemas are not JSON Schema: {e}"))?;
        Ok(Oracle {
            validators,
            root,
            relaxed: OnceLock::new(),
        })
    }

    /// Whether `instance` is valid for the component schema `name` read as
    /// leniently as the models read it ([`crate::LENIENT_READING`]): each
    /// `oneOf` as `anyOf` (a value that fits several members counts, as
    /// typify's untagged enums take the first that fits and check no
    /// other), and no numeric bounds or array sizes.
    pub fn is_valid_leniently(&self, name: &str, instance: &Value) -> Option<bool> {
        self.is_valid_judged(name, instance, Judge::Leniently)
    }

    /// Whether `instance` is valid for the component schema `name`, judged
    /// as `judge` says.
    pub fn is_valid_judged(&self, name: &str, instance: &Value, judge: Judge) -> Option<bool> {
        self.judged(&format!("/{}", escape(name)), instance, judge)
    }

    /// The verdict of the validator of `#/definitions<inner>`.
    fn judged(&self, inner: &str, instance: &Value, judge: Judge) -> Option<bool> {
        let validators = match judge {
            Judge::Strictly => &self.validators,
            Judge::Leniently => self.relaxed()?,
        };
        let validator = validators.get(&format!("#/definitions{inner}"))?;
        Some(validator.is_valid(instance))
    }

    /// The validators of the schemas read as the models read them.
    fn relaxed(&self) -> Option<&ValidatorMap> {
        let relaxed = self.relaxed.get_or_init(|| {
            let mut schemas = self.root["definitions"].clone();
            visit_schemas(&mut schemas, |map| {
                if let Some(members) = map.remove("oneOf") {
                    map.insert("anyOf".into(), members);
                }
                for unchecked in UNCHECKED {
                    map.remove(unchecked);
                }
            });
            compile(&json!({"definitions": schemas})).ok()
        });
        relaxed.as_ref()
    }

    /// Whether `instance` is valid for the component schema `name`
    /// (`None`: the oracle has no validator for it).
    pub fn is_valid(&self, name: &str, instance: &Value) -> Option<bool> {
        self.is_valid_judged(name, instance, Judge::Strictly)
    }

    /// Whether `instance` is valid for the schema at `pointer` (a JSON
    /// pointer into the spec under `/components/schemas`; `None`: no
    /// validator there).
    pub fn is_valid_at(&self, pointer: &str, instance: &Value) -> Option<bool> {
        self.is_valid_at_judged(pointer, instance, Judge::Strictly)
    }

    /// [`Oracle::is_valid_at`], judged as `judge` says.
    pub fn is_valid_at_judged(
        &self,
        pointer: &str,
        instance: &Value,
        judge: Judge,
    ) -> Option<bool> {
        self.judged(
            pointer.strip_prefix("/components/schemas")?,
            instance,
            judge,
        )
    }
}

/// The keywords the models do not check (see [`crate::LENIENCIES`]).
const UNCHECKED: [&str; 7] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "uniqueItems",
];

/// Calls `f` on every schema object of a map of component schemas.
fn visit_schemas(schemas: &mut Value, mut f: impl FnMut(&mut Map<String, Value>)) {
    visit_mut(
        schemas,
        "/components/schemas",
        Position::Names(openapi_codegen::openapi::walk::Entry::Schema),
        &mut |node, map| {
            if node.position == Position::Schema {
                f(map);
            }
        },
    );
}

fn compile(root: &Value) -> Result<ValidatorMap, jsonschema::ValidationError<'static>> {
    jsonschema::options()
        .with_draft(Draft::Draft4)
        .should_validate_formats(true)
        .build_map(root)
}

/// One schema object, OpenAPI 3.0 → JSON Schema draft 4.
fn translate(map: &mut Map<String, Value>) {
    openapi_codegen::openapi::exclusive_bounds_as_draft4(map);
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

    #[test]
    fn exclusive_bounds_in_either_form_are_read_as_draft_4_does() {
        let doc = json!({"components": {"schemas": {
            "Numeric": {"type": "number", "exclusiveMaximum": 10},
            "Both": {"type": "number", "maximum": 5, "exclusiveMaximum": 10},
            "Below": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
            "Vacuous": {"type": "integer", "exclusiveMaximum": true},
        }}});
        let oracle = Oracle::new(&doc).unwrap();
        let valid = |name: &str, n: f64| oracle.is_valid(name, &json!(n)).unwrap();
        assert!(valid("Numeric", 9.5) && !valid("Numeric", 10.0));
        assert!(valid("Both", 5.0) && !valid("Both", 6.0));
        assert!(!valid("Below", 0.0) && valid("Below", 0.5));
        assert!(oracle.is_valid("Vacuous", &json!(1_000_000)).unwrap());
    }

    #[test]
    fn values_the_models_read_leniently_are_valid_only_when_read_so() {
        // BitGo's `STXStakingOptions.functionName`: two plain strings.
        let doc = json!({"components": {"schemas": {
            "Options": {"type": "object", "properties": {
                "functionName": {"oneOf": [{"type": "string"}, {"type": "string"}]},
                // A property named like the keyword is data, not renamed.
                "oneOf": {"type": "integer"},
                "settlement": {"oneOf": [{"type": "number", "maximum": 1}, {"type": "string"}]}}},
        }}});
        let oracle = Oracle::new(&doc).unwrap();
        let body = json!({"functionName": "delegate-stx", "oneOf": 1});
        assert_eq!(oracle.is_valid("Options", &body), Some(false));
        assert_eq!(oracle.is_valid_leniently("Options", &body), Some(true));
        let wrong = json!({"functionName": 7});
        assert_eq!(oracle.is_valid_leniently("Options", &wrong), Some(false));
        // A number beyond a member's bound (BitGo's `feeRates.settlement`).
        let beyond = json!({"functionName": "x", "settlement": 7});
        assert_eq!(oracle.is_valid("Options", &beyond), Some(false));
        assert_eq!(oracle.is_valid_leniently("Options", &beyond), Some(true));
        let wrong_property = json!({"oneOf": "x"});
        assert_eq!(
            oracle.is_valid_leniently("Options", &wrong_property),
            Some(false)
        );
    }
}
