//! Parameters as progenitor 0.15 sends them: every array query parameter
//! as one pair per value (progenitor-client's `QueryParam`), whatever the
//! spec's `style` and `explode`; an array header or path parameter through
//! `to_string`, which a `Vec` does not have.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::openapi::operations::operations;
use crate::openapi::resolve::resolve;
use crate::target::naming::method_name;

/// The parameter key that carries a delimiter other than `form`'s comma
/// through the normalized spec (set by the `parameters` pass).
pub const DELIMITER_KEY: &str = "x-codegen-delimiter";

/// The parameter key that carries a query parameter's name on the wire
/// where the `parameters` pass renamed it, so that progenitor names its
/// argument apart from another's (`StartTime<` beside `StartTime`, both
/// `start_time`); `restore-wire-names` sends it under this name again.
pub const WIRE_NAME_KEY: &str = "x-codegen-wire-name";

/// The name a query parameter is renamed to so that progenitor's argument
/// for it is not one of `taken`: its wire name with comparison signs spelled
/// (`StartTime<` → `start_time_lt`), else with its location (`index` →
/// `index_query`), else numbered. It is its own Rust name, so it is also the
/// argument's.
pub fn distinct_argument(name: &str, location: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let mut spelled = name.to_string();
    for (sign, word) in [
        ("<=", "_lte"),
        (">=", "_gte"),
        ("!=", "_ne"),
        ("<", "_lt"),
        (">", "_gt"),
        ("=", "_eq"),
    ] {
        spelled = spelled.replace(sign, word);
    }
    let spelled = method_name(&spelled);
    if !taken(&spelled) {
        return spelled;
    }
    let base = method_name(&format!("{name}_{location}"));
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

/// Every query parameter the `parameters` pass renamed: the name progenitor
/// sees → the name on the wire.
pub fn renamed_parameters(doc: &Value) -> BTreeMap<String, String> {
    let mut renamed = BTreeMap::new();
    for op in operations(doc) {
        for parameter in op.parameters(doc) {
            if let (Some(name), Some(wire)) = (
                parameter.get("name").and_then(Value::as_str),
                parameter.get(WIRE_NAME_KEY).and_then(Value::as_str),
            ) {
                renamed.insert(name.to_string(), wire.to_string());
            }
        }
    }
    renamed
}

/// A parameter's `style` and `explode`, defaults applied (OpenAPI 3.0:
/// `form` for query and cookie parameters, `simple` for path and header
/// ones; `explode` only for `form`).
pub fn serialization(parameter: &Value) -> (&str, bool) {
    let style = match parameter.get("style").and_then(Value::as_str) {
        Some(style) => style,
        None => match parameter.get("in").and_then(Value::as_str) {
            Some("query" | "cookie") => "form",
            _ => "simple",
        },
    };
    let explode = parameter
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    (style, explode)
}

/// Where an array parameter goes: `query` or `header`, and its name.
pub type Place = (String, String);

/// Client method (as progenitor names the operation) → array parameter →
/// the delimiter its values are joined by: every array query parameter not
/// sent exploded, and every array header and path parameter (`simple`:
/// commas).
pub fn joined_parameters(doc: &Value) -> BTreeMap<String, BTreeMap<Place, String>> {
    let mut plan: BTreeMap<String, BTreeMap<Place, String>> = BTreeMap::new();
    for op in operations(doc) {
        for parameter in op.parameters(doc) {
            let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
            let Some(name) = parameter.get("name").and_then(Value::as_str) else {
                continue;
            };
            let is_array = parameter.get("schema").is_some_and(|schema| {
                let schema = resolve(doc, schema);
                schema.get("type").and_then(Value::as_str) == Some("array")
            });
            let delimiter = match (
                location,
                parameter.get(DELIMITER_KEY).and_then(Value::as_str),
            ) {
                ("query", Some(delimiter)) => delimiter,
                ("query", None) if serialization(parameter) == ("form", false) => ",",
                // `simple`, the style of every header and of the paths
                // progenitor sends: `a,b`.
                ("header" | "path", _) => ",",
                _ => continue,
            };
            if is_array {
                plan.entry(method_name(&op.id)).or_default().insert(
                    (location.to_string(), name.to_string()),
                    delimiter.to_string(),
                );
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn unexploded_and_delimited_arrays_are_found_by_method() {
        let doc = json!({"paths": {"/a": {
            "parameters": [{"name": "fields", "in": "query", "explode": false,
                            "schema": {"type": "array", "items": {"type": "string"}}}],
            "get": {"operationId": "getA", "parameters": [
                {"$ref": "#/components/parameters/Pipes"},
                {"name": "exploded", "in": "query", "schema": {"type": "array"}},
                {"name": "scalar", "in": "query", "explode": false, "schema": {"type": "string"}},
                {"name": "header", "in": "header", "explode": false, "schema": {"type": "array"}}
            ]}
        }}, "components": {"parameters": {"Pipes": {"name": "ids", "in": "query",
            "x-codegen-delimiter": "|", "schema": {"type": "array", "items": {"type": "integer"}}}}}});
        let plan = joined_parameters(&doc);
        assert_eq!(
            plan["get_a"],
            BTreeMap::from([
                (
                    ("header".to_string(), "header".to_string()),
                    ",".to_string()
                ),
                (("query".to_string(), "fields".to_string()), ",".to_string()),
                (("query".to_string(), "ids".to_string()), "|".to_string())
            ])
        );
        assert_eq!(plan.len(), 1);
    }
}
