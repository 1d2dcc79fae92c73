//! Random valid OpenAPI 3.0 specs in the style of BitGo's published API:
//! `allOf`/`oneOf`/`anyOf`, nullable, discriminators, enums (some that
//! typify cannot name), formats, several responses per operation, inline and
//! shared bodies. The same seed gives the same spec. `xtask/tests/torture.rs`
//! generates crates from them and runs `cargo check` on those.

use fastrand::Rng;
use serde_json::{Map, Value, json};

/// A spec for `seed`, as JSON (which is also YAML).
pub fn spec(seed: u64) -> Value {
    let mut rng = Rng::with_seed(seed);
    let mut schemas = Map::new();
    schemas.insert(
        "PlatformError".to_string(),
        json!({"type": "object", "required": ["error"], "properties": {
            "error": {"type": "string"}, "requestId": {"type": "string"}}}),
    );
    let count = rng.usize(4..10);
    let mut names: Vec<String> = Vec::new();
    for i in 0..count {
        let name = format!(
            "{}{i}",
            pick(
                &mut rng,
                &["Wallet", "Transfer", "Policy", "Stake", "Token"]
            )
        );
        let schema = component(&mut rng, &names);
        schemas.insert(name.clone(), schema);
        names.push(name);
    }
    // A discriminated union over fresh members.
    let members: Vec<String> = (0..rng.usize(2..5)).map(|i| format!("Intent{i}")).collect();
    for (i, member) in members.iter().enumerate() {
        schemas.insert(
            member.clone(),
            json!({"type": "object", "required": ["intentType"], "properties": {
                "intentType": {"type": "string", "enum": [format!("kind{i}")]},
                format!("field{i}"): scalar(&mut rng)}}),
        );
    }
    let mapping: Map<String, Value> = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            (
                format!("kind{i}"),
                json!(format!("#/components/schemas/{m}")),
            )
        })
        .collect();
    schemas.insert(
        "Intent".to_string(),
        json!({"oneOf": members.iter().map(|m| json!({"$ref": format!("#/components/schemas/{m}")})).collect::<Vec<_>>(),
               "discriminator": {"propertyName": "intentType", "mapping": mapping}}),
    );
    names.push("Intent".to_string());

    let mut paths = Map::new();
    for i in 0..rng.usize(2..7) {
        let (path, item) = operation(&mut rng, i, &names);
        paths
            .entry(path)
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("a path item")
            .extend(item);
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": format!("random spec {seed}"), "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn scalar(rng: &mut Rng) -> Value {
    match rng.u8(..10) {
        0 => json!({"type": "string", "format": "date-time"}),
        1 => json!({"type": "string", "format": "uuid"}),
        2 => json!({"type": "string", "pattern": "^[0-9a-f]{32}$"}),
        3 => json!({"type": "string", "minLength": 0, "maxLength": 64}),
        4 => json!({"type": "integer", "minimum": 0, "exclusiveMinimum": rng.bool()}),
        5 => json!({"type": "number", "nullable": true}),
        6 => json!({"type": "boolean"}),
        7 => json!({"type": "string", "enum": ["WALLET", "wallet", "enterprise"]}),
        8 => json!({"type": "string", "enum": [">", ">=", "<", "<="]}),
        _ => json!({"type": "string", "enum": ["fiatusd", "fiateur", null], "nullable": true}),
    }
}

/// A property: a scalar, or a use of an earlier component (never a later
/// one, so there are no cycles).
fn property(rng: &mut Rng, earlier: &[String]) -> Value {
    if earlier.is_empty() || rng.u8(..3) == 0 {
        return scalar(rng);
    }
    let target = &earlier[rng.usize(..earlier.len())];
    match rng.u8(..5) {
        0 => json!({"allOf": [reference(target)], "description": "wrapped to carry a description"}),
        1 => json!({"type": "array", "items": reference(target)}),
        2 => json!({"allOf": [reference(target)], "nullable": true}),
        3 => json!({"$ref": format!("#/components/schemas/{target}"), "description": "ignored"}),
        _ => reference(target),
    }
}

fn object(rng: &mut Rng, earlier: &[String]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for i in 0..rng.usize(1..5) {
        let name = pick(rng, &["id", "type", "label", "value", "state", "coin"]).to_string();
        let name = format!(
            "{name}{}",
            if i == 0 { String::new() } else { i.to_string() }
        );
        if rng.bool() {
            required.push(json!(name.clone()));
        }
        properties.insert(name, property(rng, earlier));
    }
    let mut object = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        object["required"] = Value::Array(required);
    }
    object
}

fn component(rng: &mut Rng, earlier: &[String]) -> Value {
    match rng.u8(..6) {
        0 if !earlier.is_empty() => {
            // `type: object` beside `allOf`, as BitGo writes it.
            let mut schema = object(rng, earlier);
            schema["allOf"] = json!([reference(&earlier[rng.usize(..earlier.len())])]);
            schema
        }
        1 if earlier.len() >= 2 => {
            let a = &earlier[rng.usize(..earlier.len())];
            let b = &earlier[rng.usize(..earlier.len())];
            if a == b {
                object(rng, earlier)
            } else {
                json!({"anyOf": [reference(a), reference(b)]})
            }
        }
        2 => {
            json!({"title": "Currency", "type": "string", "nullable": true, "enum": ["usd", "eur", null]})
        }
        _ => object(rng, earlier),
    }
}

fn json_body(schema: Value) -> Value {
    json!({"description": "a body", "content": {"application/json": {"schema": schema}}})
}

fn operation(rng: &mut Rng, i: usize, names: &[String]) -> (String, Map<String, Value>) {
    let mut any_component = || reference(&names[rng.usize(..names.len())]);
    let success = any_component();
    let other = any_component();
    let body = any_component();
    let path = format!(
        "/api/v2/{}{i}/{{id}}",
        pick(rng, &["wallet", "enterprise", "tx"])
    );
    let method = pick(rng, &["get", "post", "put", "delete"]);
    let mut parameters = vec![json!({"name": "id", "in": "path", "required": true,
        "schema": if rng.bool() { json!({"type": "string"}) } else { json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}) }})];
    parameters
        .push(json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}}));
    if rng.bool() {
        parameters.push(json!({"name": "value", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}));
    }
    let mut responses = Map::new();
    responses.insert(
        "200".to_string(),
        if rng.bool() {
            json_body(success)
        } else {
            json_body(json!({"type": "object", "properties": {"items": {"type": "array", "items": success}}}))
        },
    );
    if rng.bool() {
        responses.insert("202".to_string(), json_body(other));
    }
    responses.insert("400".to_string(), json_body(json!({"type": "object"})));
    responses.insert("401".to_string(), json_body(reference("PlatformError")));
    if rng.bool() {
        responses.insert("404".to_string(), json!({"description": "not found"}));
    }
    if rng.bool() {
        responses.insert("default".to_string(), json_body(reference("PlatformError")));
    }
    let mut operation = json!({
        "operationId": format!("operation{i}"),
        "tags": [pick(rng, &["Wallet", "Enterprise"])],
        "parameters": parameters,
        "responses": responses,
    });
    if method != "get" && rng.bool() {
        operation["requestBody"] = json!({"content": {"application/json": {"schema": body}}});
    }
    let mut item = Map::new();
    item.insert(method.to_string(), operation);
    (path, item)
}

/// A random spec that stock progenitor takes as written, and on which the
/// normalization must change nothing: objects of documented scalars, string
/// enums, arrays, nullable values, references, `$ref`s wrapped once to carry
/// a description, `oneOf`s of objects, composed `allOf`s, typed path
/// parameters (strings, `oneOf`s of scalars, a name-or-id union), optional
/// query parameters, request bodies, one success and one error body per
/// operation. The stock-equivalence test compares stock output with ours on
/// these.
pub fn stock_spec(seed: u64) -> Value {
    let mut rng = Rng::with_seed(seed.wrapping_add(0x5eed));
    let mut schemas = Map::new();
    schemas.insert(
        "Error".to_string(),
        json!({"type": "object", "description": "An error.", "required": ["message"],
            "properties": {"message": {"type": "string", "description": "What went wrong."}}}),
    );
    schemas.insert(
        "NameOrId".to_string(),
        json!({"description": "A name or an id.", "oneOf": [
            {"type": "string", "format": "uuid"},
            {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}]}),
    );
    let mut names: Vec<String> = Vec::new();
    for i in 0..rng.usize(2..8) {
        let name = format!(
            "{}{i}",
            pick(&mut rng, &["Wallet", "Transfer", "Policy", "Stake"])
        );
        let schema = stock_component(&mut rng, &names, &schemas);
        schemas.insert(name.clone(), schema);
        names.push(name);
    }
    let mut paths = Map::new();
    for i in 0..rng.usize(1..6) {
        let success = reference(&names[rng.usize(..names.len())]);
        let id_schema = match rng.u8(..3) {
            0 => json!({"type": "string", "description": "The id."}),
            1 => json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
            _ => reference("NameOrId"),
        };
        let mut parameters = vec![json!({"name": "id", "in": "path", "required": true,
            "description": "Which one.", "schema": id_schema})];
        if rng.bool() {
            parameters.push(
                json!({"name": "limit", "in": "query", "description": "At most this many.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 500}}),
            );
        }
        if rng.bool() {
            parameters.push(json!({"name": "state", "in": "query",
                "schema": {"type": "string", "enum": ["active", "archived"]}}));
        }
        let mut responses = Map::new();
        responses.insert("200".to_string(), json_body(success));
        if rng.bool() {
            responses.insert("400".to_string(), json_body(reference("Error")));
            if rng.bool() {
                responses.insert("404".to_string(), json_body(reference("Error")));
            }
        }
        let method = pick(&mut rng, &["get", "post", "put"]);
        let mut operation = json!({
            "operationId": format!("{}Thing{i}", method),
            "summary": "Does a thing.",
            "parameters": parameters,
            "responses": responses,
        });
        if method != "get" {
            let body = reference(&names[rng.usize(..names.len())]);
            operation["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": body}}});
        }
        paths.insert(format!("/things{i}/{{id}}"), json!({ method: operation }));
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": format!("stock spec {seed}"), "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

fn stock_scalar(rng: &mut Rng) -> Value {
    match rng.u8(..9) {
        0 => json!({"type": "string", "format": "date-time", "description": "When."}),
        1 => json!({"type": "string", "format": "uuid"}),
        2 => json!({"type": "string", "pattern": "^[0-9a-f]{32}$", "description": "A hex id."}),
        3 => json!({"type": "string", "minLength": 1, "maxLength": 64}),
        4 => json!({"type": "integer", "minimum": 0, "description": "A count."}),
        5 => json!({"type": "number", "nullable": true}),
        6 => json!({"type": "boolean", "default": false}),
        7 => {
            json!({"type": "string", "enum": ["wallet", "enterprise", "user"], "description": "A kind."})
        }
        _ => json!({"type": "array", "items": {"type": "string"}, "description": "Some labels."}),
    }
}

fn stock_property(rng: &mut Rng, earlier: &[String]) -> Value {
    if earlier.is_empty() || rng.u8(..3) == 0 {
        return stock_scalar(rng);
    }
    let target = &earlier[rng.usize(..earlier.len())];
    match rng.u8(..4) {
        0 => json!({"allOf": [reference(target)], "description": "A wrapped reference."}),
        1 => json!({"type": "array", "items": reference(target)}),
        _ => reference(target),
    }
}

fn stock_object(rng: &mut Rng, earlier: &[String]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for i in 0..rng.usize(1..6) {
        let name = format!(
            "{}{i}",
            pick(rng, &["id", "label", "value", "createdAt", "isActive"])
        );
        if rng.bool() {
            required.push(json!(name.clone()));
        }
        properties.insert(name, stock_property(rng, earlier));
    }
    let mut object =
        json!({"type": "object", "description": "An object.", "properties": properties});
    if !required.is_empty() {
        object["required"] = Value::Array(required);
    }
    object
}

/// Whether stock's untagged enum of `a` and `b` reads each body as the
/// member it was written for: each requires a property the other does not
/// declare (otherwise the first takes the second's bodies and drops what it
/// does not declare, which `read-best-fitting-variant` or `subsumed-one-of`
/// repairs).
fn told_apart(a: &Value, b: &Value) -> bool {
    let requires_unknown = |x: &Value, y: &Value| {
        x["required"].as_array().is_some_and(|required| {
            required
                .iter()
                .filter_map(Value::as_str)
                .any(|r| y["properties"].get(r).is_none())
        })
    };
    a["type"] == "object"
        && b["type"] == "object"
        && requires_unknown(a, b)
        && requires_unknown(b, a)
}

fn stock_component(rng: &mut Rng, earlier: &[String], schemas: &Map<String, Value>) -> Value {
    match rng.u8(..5) {
        0 if earlier.len() >= 2 => {
            let a = &earlier[rng.usize(..earlier.len())];
            let b = &earlier[rng.usize(..earlier.len())];
            if a == b || !told_apart(&schemas[a], &schemas[b]) {
                stock_object(rng, earlier)
            } else {
                json!({"description": "One or the other.", "oneOf": [reference(a), reference(b)]})
            }
        }
        1 if !earlier.is_empty() => {
            let base = &earlier[rng.usize(..earlier.len())];
            json!({"description": "A base and more.", "allOf": [reference(base), {"type": "object",
                "properties": {"extra": {"type": "string", "description": "More."}}}]})
        }
        _ => stock_object(rng, earlier),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_same_seed_gives_the_same_valid_spec() {
        for seed in 0..20 {
            let spec = super::spec(seed);
            assert_eq!(spec, super::spec(seed));
            let text = serde_json::to_string(&spec).unwrap();
            openapi_codegen::spec::parse(&format!("random-{seed}.json"), &text)
                .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        }
        assert_ne!(super::spec(1), super::spec(2));
    }
}
