//! The JSON Schema that each generated type publishes (`schemars`) agrees with
//! the spec's schema, property by property; and is snapshotted.

use std::collections::BTreeMap;

use bitgo_models::{AccessToken, AuthenticationMetadata, ErrorResponse, ScopedUserSession};
use bitgo_tests::{bitgo_files, workspace_root};
use schemars::schema::RootSchema;
use schemars::schema_for;
use serde_json::{Value, json};

/// Every component schema of the spec, with the schema its Rust type publishes.
/// A schema added to the spec fails `every_spec_schema_has_a_type` until it is listed here.
fn published() -> BTreeMap<&'static str, RootSchema> {
    BTreeMap::from([
        ("AccessToken", schema_for!(AccessToken)),
        (
            "AuthenticationMetadata",
            schema_for!(AuthenticationMetadata),
        ),
        ("ErrorResponse", schema_for!(ErrorResponse)),
        ("ScopedUserSession", schema_for!(ScopedUserSession)),
    ])
}

fn spec_schemas() -> serde_json::Map<String, Value> {
    let spec = openapi_codegen::spec::read(
        &workspace_root().join(bitgo_files().spec),
        &bitgo_files().spec,
    )
    .unwrap();
    spec.json["components"]["schemas"]
        .as_object()
        .unwrap()
        .clone()
}

#[test]
fn every_spec_schema_has_a_type() {
    let published = published();
    let spec = spec_schemas();
    let names: Vec<&str> = spec.keys().map(String::as_str).collect();
    let listed: Vec<&str> = published.keys().copied().collect();
    assert_eq!(names, listed);
}

#[test]
fn published_json_schemas() {
    for (name, schema) in published() {
        insta::assert_json_snapshot!(name, schema);
    }
}

/// Follows `$ref`s (bare or wrapped) into the root's definitions and strips the `null` that
/// schemars adds for `Option`, so that the facts can be compared.
fn resolve(root: &Value, schema: &Value) -> Value {
    let mut schema = schema.clone();
    // schemars writes a `$ref` with a description as `allOf: [{$ref}]`.
    if let Some(Value::Array(all_of)) = schema.get("allOf")
        && all_of.len() == 1
    {
        schema = all_of[0].clone();
    }
    if let Some(any_of) = schema.get("anyOf").and_then(Value::as_array) {
        let non_null: Vec<&Value> = any_of
            .iter()
            .filter(|s| s.get("type") != Some(&json!("null")))
            .collect();
        if non_null.len() == 1 {
            schema = non_null[0].clone();
        }
    }
    if let Some(Value::String(reference)) = schema.get("$ref") {
        let name = reference.trim_start_matches("#/definitions/");
        return resolve(root, &root["definitions"][name]);
    }
    if let Some(Value::Array(types)) = schema.get("type") {
        let non_null: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
        if non_null.len() == 1 {
            schema["type"] = non_null[0].clone();
        }
    }
    schema
}

/// The facts the spec and the published schema must share for one property.
fn facts(schema: &Value) -> BTreeMap<&'static str, Value> {
    let mut facts = BTreeMap::new();
    for key in [
        "type",
        "format",
        "pattern",
        "minLength",
        "maxLength",
        "default",
        "enum",
    ] {
        if let Some(value) = schema.get(key) {
            facts.insert(key, value.clone());
        }
    }
    facts
}

/// The differences between the spec's schema `name` and what its type publishes.
fn disagreements(name: &str, spec: &Value, published: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let spec_properties = spec["properties"].as_object().cloned().unwrap_or_default();
    let published_properties = published["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let required = |s: &Value| -> Vec<String> {
        let mut r: Vec<String> = s["required"]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        r.sort();
        r
    };
    if required(spec) != required(published) {
        found.push(format!(
            "{name}: required {:?} in the spec, {:?} published",
            required(spec),
            required(published)
        ));
    }
    for (property, spec_schema) in &spec_properties {
        let Some(published_schema) = published_properties.get(property) else {
            found.push(format!("{name}.{property}: not published"));
            continue;
        };
        if let Some(reference) = spec_schema.get("$ref").and_then(Value::as_str) {
            let expected = reference.trim_start_matches("#/components/schemas/");
            let actual = published_schema
                .get("$ref")
                .and_then(Value::as_str)
                .map(|r| r.trim_start_matches("#/definitions/"));
            if actual != Some(expected) {
                found.push(format!(
                    "{name}.{property}: $ref {expected} in the spec, {published_schema} published"
                ));
            }
            continue;
        }
        let resolved = resolve(published, published_schema);
        let (expected, actual) = (facts(spec_schema), facts(&resolved));
        if expected != actual {
            found.push(format!(
                "{name}.{property}: spec {expected:?}, published {actual:?}"
            ));
        }
        if spec_schema.get("items").is_some() {
            let items = resolve(published, &resolved["items"]);
            let (expected, actual) = (facts(&spec_schema["items"]), facts(&items));
            if expected != actual {
                found.push(format!(
                    "{name}.{property}[]: spec {expected:?}, published {actual:?}"
                ));
            }
        }
    }
    for property in published_properties.keys() {
        if !spec_properties.contains_key(property) {
            found.push(format!("{name}.{property}: published, not in the spec"));
        }
    }
    found
}

#[test]
fn published_schemas_agree_with_the_spec() {
    let spec = spec_schemas();
    let mut found = Vec::new();
    for (name, root) in published() {
        let root = serde_json::to_value(root).unwrap();
        found.extend(disagreements(name, &spec[name], &root));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn access_token_publishes_the_id_pattern() {
    let root = serde_json::to_value(schema_for!(AccessToken)).unwrap();
    let id = resolve(&root, &root["properties"]["id"]);
    assert_eq!(id["pattern"], json!("^[0-9a-f]{32}$"));
    let metadata = serde_json::to_value(schema_for!(AuthenticationMetadata)).unwrap();
    let user_id = resolve(&metadata, &metadata["properties"]["userId"]);
    assert_eq!(user_id["minLength"], json!(1));
}

/// The comparison itself can fail: each kind of drift is reported.
#[test]
fn the_comparison_catches_drift() {
    let spec = spec_schemas();
    let root = serde_json::to_value(schema_for!(AccessToken)).unwrap();
    let mutate = |f: &dyn Fn(&mut Value)| {
        let mut s = spec["AccessToken"].clone();
        f(&mut s);
        disagreements("AccessToken", &s, &root)
    };
    assert!(mutate(&|_| {}).is_empty());
    type Mutation<'a> = (&'a str, &'a dyn Fn(&mut Value));
    let cases: [Mutation; 7] = [
        ("pattern", &|s| {
            s["properties"]["id"]["pattern"] = json!("^[0-9a-f]{24}$")
        }),
        ("format", &|s| {
            s["properties"]["ip"]["format"] = json!("ipv6")
        }),
        ("type", &|s| {
            s["properties"]["internal"]["type"] = json!("string")
        }),
        ("required", &|s| s["required"] = json!(["id"])),
        ("minLength", &|s| {
            s["properties"]["label"]["minLength"] = json!(1)
        }),
        ("enum", &|s| {
            s["properties"]["origin"]["enum"] = json!(["test.bitgo.com"])
        }),
        ("removed", &|s| {
            s["properties"].as_object_mut().unwrap().remove("label");
        }),
    ];
    for (what, f) in cases {
        assert!(!mutate(f).is_empty(), "{what} drift went unnoticed");
    }
}
