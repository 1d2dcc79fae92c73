//! What typify 0.8 makes a type of.

use serde_json::{Map, Value};

use crate::openapi::ANNOTATIONS;

/// The one member of `{allOf: [member]}` with nothing but annotations
/// beside it (`description`, `title`, ..., `x-` extensions). typify converts
/// such a schema as its member (`maybe_singleton_subschema`): it makes no
/// type of its own, and its title names nothing.
pub fn singleton_member(schema: &Map<String, Value>) -> Option<&Value> {
    let Some(Value::Array(members)) = schema.get("allOf") else {
        return None;
    };
    let [only] = members.as_slice() else {
        return None;
    };
    schema
        .keys()
        .all(|k| k == "allOf" || ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"))
        .then_some(only)
}

/// Whether `value` can be a `default` of `schema` as typify checks one: its
/// JSON type is the schema's (an integer is a number; a whole number is an
/// integer), it is one of an `enum`'s values, it fits every `allOf` member
/// and some `oneOf`/`anyOf` member, an object's properties and an array's
/// items fit theirs, and an `anyOf` typify makes a struct of takes objects
/// only. String and number constraints (`pattern`, bounds) are
/// not looked at: typify does not check them either. `null` always fits
/// (typify takes it for the `Option` of a property that may be absent). A
/// `$ref` that does not resolve, or a cycle past `depth`, fits.
pub fn default_fits(doc: &Value, schema: &Value, value: &Value, depth: usize) -> bool {
    if value.is_null() || depth == 0 {
        return true;
    }
    let schema = crate::openapi::resolve::resolve(doc, schema);
    let Some(map) = schema.as_object() else {
        return true;
    };
    if map.contains_key("$ref") {
        return true;
    }
    let members = |key: &str| map.get(key).and_then(Value::as_array);
    if let Some(values) = members("enum")
        && !values.contains(value)
    {
        return false;
    }
    let type_fits = match map.get("type").and_then(Value::as_str) {
        Some("string") => value.is_string(),
        Some("boolean") => value.is_boolean(),
        Some("integer") => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        Some("number") => value.is_number(),
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        _ => true,
    };
    if !type_fits {
        return false;
    }
    if let Some(all) = members("allOf")
        && !all.iter().all(|m| default_fits(doc, m, value, depth - 1))
    {
        return false;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(some) = members(key)
            && !some.is_empty()
            && !some.iter().any(|m| default_fits(doc, m, value, depth - 1))
        {
            return false;
        }
    }
    // An `anyOf` whose members typify does not judge exclusive is its
    // struct of optional members, whose default it checks as an object's:
    // Elastic's `ScriptLanguage`, `anyOf: [enum of strings, string]`,
    // refuses `default: painless`. Members of distinct types it judges
    // exclusive (an enum of them, checked as above).
    if let Some(some) = members("anyOf")
        && !value.is_object()
    {
        let types: Vec<Option<&str>> = some
            .iter()
            .map(|m| {
                crate::openapi::resolve::resolve(doc, m)
                    .get("type")
                    .and_then(Value::as_str)
            })
            .collect();
        let distinct = types.iter().all(Option::is_some)
            && (1..types.len()).all(|i| !types[..i].contains(&types[i]));
        if !distinct {
            return false;
        }
    }
    if let (Some(Value::Object(properties)), Value::Object(fields)) = (map.get("properties"), value)
    {
        for (name, field) in fields {
            if let Some(property) = properties.get(name)
                && !default_fits(doc, property, field, depth - 1)
            {
                return false;
            }
        }
    }
    if let (Some(items), Value::Array(elements)) = (map.get("items"), value)
        && !elements
            .iter()
            .all(|e| default_fits(doc, items, e, depth - 1))
    {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_a_lone_member_with_annotations_beside_it() {
        let member = json!({"$ref": "#/components/schemas/A"});
        let wrapper = json!({"allOf": [member], "title": "T", "description": "d", "x-go": 1});
        assert_eq!(
            singleton_member(wrapper.as_object().unwrap()),
            Some(&member)
        );
        for not_one in [
            json!({"allOf": [member, member]}),
            json!({"allOf": [member], "nullable": true}),
            json!({"allOf": [member], "properties": {}}),
            json!({"$ref": "#/components/schemas/A"}),
        ] {
            assert_eq!(
                singleton_member(not_one.as_object().unwrap()),
                None,
                "{not_one}"
            );
        }
    }
}
