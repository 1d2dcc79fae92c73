//! `openapi/bitgo.yaml` is a valid OpenAPI 3.0 document, its examples match
//! their schemas, and it keeps the promises the crates rely on.

use bitgo_tests::{fixture, workspace_root};
use openapi_codegen::validate::schema::META_SCHEMA;
use serde_json::{Value, json};

fn spec() -> Value {
    let spec = bitgo_tests::bitgo_files().spec;
    openapi_codegen::spec::read(&workspace_root().join(&spec), &spec)
        .unwrap_or_else(|e| panic!("{e}"))
        .json
}

#[test]
fn spec_is_valid_against_the_openapi_3_0_schema() {
    let meta_schema: Value = serde_json::from_str(META_SCHEMA).unwrap();
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&meta_schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&spec())
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_meta_schema_catches_an_invalid_document() {
    let meta_schema: Value = serde_json::from_str(META_SCHEMA).unwrap();
    let validator = jsonschema::draft4::new(&meta_schema).unwrap();
    let mut broken = spec();
    broken["paths"]["/api/v2/internal/user/scopedsession"]["get"]["parameters"][0]["in"] =
        json!("body");
    assert!(!validator.is_valid(&broken));
}

/// Every schema's `example`, with the schema's JSON pointer (found by the
/// generator's own walk, which knows examples are data).
fn examples(document: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    openapi_codegen::openapi::walk::for_each_schema(document, |pointer, schema| {
        if let Some(example) = schema.get("example") {
            found.push((pointer.to_string(), example.clone()));
        }
    });
    found
}

/// Validates `instance` against the schema at `pointer` of `document`, with
/// `$ref`s resolved in the document, and `format` asserted.
fn validate_at(document: &Value, pointer: &str, instance: &Value) -> Vec<String> {
    // In draft 4 a `$ref` replaces its siblings: the root schema becomes the
    // one at `pointer`, and references inside it resolve against the document.
    let mut root = document.clone();
    root["$ref"] = json!(format!("#{pointer}"));
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap();
    validator
        .iter_errors(instance)
        .map(|e| format!("{pointer}: {e}"))
        .collect()
}

#[test]
fn every_example_matches_its_schema() {
    let document = spec();
    let found = examples(&document);
    assert!(
        found.len() >= 5,
        "expected the doc's examples (id, ip, origin, scope, user): {found:?}"
    );
    let errors: Vec<String> = found
        .iter()
        .flat_map(|(pointer, example)| validate_at(&document, pointer, example))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn example_validation_catches_a_wrong_example() {
    let document = spec();
    let id = "/components/schemas/AccessToken/properties/id";
    assert!(validate_at(&document, id, &json!("59cd72485007a239fb00282ed480da1f")).is_empty());
    assert!(!validate_at(&document, id, &json!("not-hex")).is_empty());
    let ip = "/components/schemas/AccessToken/properties/ip";
    assert!(!validate_at(&document, ip, &json!("127.0.0.256")).is_empty());
}

#[test]
fn fixtures_match_the_spec_schemas() {
    let document = spec();
    for (name, schema) in [
        ("session_full.json", "ScopedUserSession"),
        ("session_minimal.json", "ScopedUserSession"),
        ("error_400.json", "ErrorResponse"),
        ("error_401.json", "ErrorResponse"),
    ] {
        let errors = validate_at(
            &document,
            &format!("/components/schemas/{schema}"),
            &fixture(name),
        );
        assert!(errors.is_empty(), "{name}: {}", errors.join("\n"));
    }
}

/// BitGo adds fields over time: no object may refuse unknown ones.
#[test]
fn no_object_sets_additional_properties_false() {
    fn walk(value: &Value, pointer: &str, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if map.get("additionalProperties") == Some(&Value::Bool(false)) {
                    found.push(pointer.to_string());
                }
                for (key, child) in map {
                    walk(child, &format!("{pointer}/{key}"), found);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{pointer}/{i}"), found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(&spec(), "", &mut found);
    assert!(found.is_empty(), "closed objects: {found:?}");
}
