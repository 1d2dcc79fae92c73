//! The serde contract: what the spec allows deserializes, serializes back to
//! equivalent JSON, and what it forbids fails with a message worth reading.
//!
//! A round trip normalizes, and only in these ways (see `normalize`):
//! 1. date-times are rewritten in UTC with a `Z` (`+02:00` becomes `Z`, the
//!    instant is kept; fractional seconds are kept as given);
//! 2. optional arrays and objects that are empty are omitted;
//! 3. `null` in an optional property is omitted;
//! 4. properties the spec does not name are dropped (they are accepted, not kept).

use bitgo_models::decode;
use bitgo_models::{ErrorResponse, ScopedUserSession};
use bitgo_tests::{bitgo_files, fixture, fixture_path, workspace_root};
use serde_json::{Map, Value, json};

fn spec() -> Value {
    openapi_codegen::spec::read(
        &workspace_root().join(bitgo_files().spec),
        &bitgo_files().spec,
    )
    .unwrap()
    .json
}

/// The schema at `schema`, with a `$ref` followed.
fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => spec.pointer(r.trim_start_matches('#')).unwrap(),
        None => schema,
    }
}

/// What a body must look like after a round trip through the generated types.
fn normalize(spec: &Value, schema: &Value, value: &Value) -> Value {
    let schema = resolve(spec, schema);
    match (schema.get("type").and_then(Value::as_str), value) {
        (Some("object"), Value::Object(map)) if schema.get("properties").is_some() => {
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut out = Map::new();
            for (name, property) in schema["properties"].as_object().unwrap() {
                let Some(v) = map.get(name) else { continue };
                let optional = !required.contains(&name.as_str());
                let empty = matches!(v, Value::Null)
                    || matches!(v, Value::Array(a) if a.is_empty())
                    || matches!(v, Value::Object(o) if o.is_empty());
                if optional && empty {
                    continue;
                }
                out.insert(name.clone(), normalize(spec, property, v));
            }
            Value::Object(out)
        }
        (Some("array"), Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|item| normalize(spec, &schema["items"], item))
                .collect(),
        ),
        (Some("string"), Value::String(s)) if schema["format"] == "date-time" => {
            let parsed = chrono::DateTime::parse_from_rfc3339(s).unwrap();
            json!(
                parsed
                    .with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            )
        }
        _ => value.clone(),
    }
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(body: &Value) -> Value {
    let typed: T = decode::from_str(&body.to_string()).unwrap_or_else(|e| panic!("{e}"));
    serde_json::to_value(typed).unwrap()
}

#[test]
fn fixtures_round_trip_to_equivalent_json() {
    let spec = spec();
    for (name, schema) in [
        ("session_full.json", "ScopedUserSession"),
        ("session_minimal.json", "ScopedUserSession"),
        ("session_unknown_fields.json", "ScopedUserSession"),
        ("error_400.json", "ErrorResponse"),
        ("error_401.json", "ErrorResponse"),
    ] {
        let body = fixture(name);
        let schema = &spec["components"]["schemas"][schema];
        let expected = normalize(&spec, schema, &body);
        let actual = if name.starts_with("error") {
            round_trip::<ErrorResponse>(&body)
        } else {
            round_trip::<ScopedUserSession>(&body)
        };
        assert_eq!(actual, expected, "{name}");
        // A second trip changes nothing: the normal form is stable.
        assert_eq!(round_trip::<ScopedUserSessionOr>(&actual), actual, "{name}");
    }
}

/// Either body type, for the stability check.
#[derive(serde::Deserialize, serde::Serialize)]
#[serde(untagged)]
enum ScopedUserSessionOr {
    Session(Box<ScopedUserSession>),
    Error(ErrorResponse),
}

/// The normalizations, spelled out on one body, so that a change in any of
/// them fails here by name.
#[test]
fn what_a_round_trip_normalizes() {
    let out = round_trip::<ScopedUserSession>(&fixture("session_unknown_fields.json"));
    let token = &out["accessToken"];
    assert_eq!(
        token["created"],
        json!("2026-11-02T09:15:27.431Z"),
        "offset to UTC"
    );
    assert_eq!(
        token["expires"],
        json!("2026-11-02T10:15:27Z"),
        "offset to UTC"
    );
    assert!(token.get("ipRestrict").is_none(), "empty array omitted");
    assert!(token.get("label").is_none(), "null omitted");
    assert!(token.get("tokenFormat").is_none(), "unknown field dropped");
    assert!(out.get("sessionVersion").is_none(), "unknown field dropped");
    let metadata = &out["authenticationMetadata"];
    assert!(
        metadata.get("walletContext").is_none(),
        "empty object omitted"
    );
    assert_eq!(
        metadata["userContext"],
        json!({"locale": "en"}),
        "open object kept"
    );
}

/// Every `example` in the spec deserializes in its place in a body, and
/// serializes back unchanged.
#[test]
fn every_spec_example_round_trips() {
    let spec = spec();
    // Where each schema's object sits in a valid body.
    let base = |schema: &str| -> (Value, &'static str, bool) {
        match schema {
            "ScopedUserSession" => (fixture("session_minimal.json"), "", false),
            "AccessToken" => (fixture("session_minimal.json"), "/accessToken", false),
            "AuthenticationMetadata" => (
                fixture("session_minimal.json"),
                "/authenticationMetadata",
                false,
            ),
            "ErrorResponse" => (fixture("error_400.json"), "", true),
            other => panic!("no base body for {other}: add one"),
        }
    };
    let mut checked = 0;
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        for (property, property_schema) in schema["properties"].as_object().into_iter().flatten() {
            let Some(example) = property_schema.get("example") else {
                continue;
            };
            let (mut body, at, is_error) = base(name);
            body.pointer_mut(at).unwrap()[property] = example.clone();
            let out = if is_error {
                round_trip::<ErrorResponse>(&body)
            } else {
                round_trip::<ScopedUserSession>(&body)
            };
            assert_eq!(
                out.pointer(&format!("{at}/{property}")),
                Some(example),
                "{name}.{property}"
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked, 5,
        "the spec's examples: id, ip, origin, scope, user"
    );
}

/// Each invalid body fails, and the message a user sees is snapshotted.
#[test]
fn invalid_fixtures_fail_with_readable_errors() {
    let dir = fixture_path("invalid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    let mut report = String::new();
    for name in names {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let error = if name.starts_with("error_") {
            decode::from_str::<ErrorResponse>(&text).map(drop)
        } else {
            decode::from_str::<ScopedUserSession>(&text).map(drop)
        }
        .expect_err(&name);
        report.push_str(&format!("{name}: {error}\n"));
    }
    insta::assert_snapshot!("invalid_fixture_errors", report);
}
