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
