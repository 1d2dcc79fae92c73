//! The one walk over an OpenAPI document, and its one rule for what is
//! keyword, what is a name and what is data.
//!
//! Every stage that looks for schemas or `$ref`s goes through here, so that a
//! property *named* `$ref`, `type` or `enum`, an `example` that happens to
//! contain `{"$ref": ...}`, or an `x-` extension is never taken for the
//! keyword it spells.
//!
//! The rule ([`child`]): each JSON value sits at a [`Position`].
//! - In a **keyword object** (an OpenAPI object or a schema) the keys are
//!   keywords: `$ref` is a reference, `schema` holds a schema, and so on.
//! - In a **name map** (`properties`, `patternProperties`, `definitions`,
//!   `paths`, `responses`, `content`, `components/*`, ...) the keys are names
//!   the spec's author chose, and each value is a keyword object again.
//! - **Data** is never walked: `example`, `examples` of a schema, the `value`
//!   of an Example object, `default`, `enum`, `const`, every `x-` extension,
//!   and keywords this walk does not know.

use serde_json::{Map, Value};

use super::pointer::push_escaped;

/// Where a JSON value sits in an OpenAPI 3.0 document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// An OpenAPI object (document, path item, operation, parameter,
    /// response, media type, ...): its keys are keywords.
    Object,
    /// `components`: its keys are the kinds of component.
    Components,
    /// A schema object: its keys are JSON Schema keywords.
    Schema,
    /// A map whose keys are names; each value is at the given position.
    Names(Entry),
    /// Not OpenAPI at all: never walked.
    Data,
}

/// What the values of a name map are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Object,
    Schema,
    /// A callback: a map of expressions to path items.
    Callback,
    /// Strings or lists that name things (discriminator mappings, scopes).
    Data,
}

impl Entry {
    fn position(self) -> Position {
        match self {
            Entry::Object => Position::Object,
            Entry::Schema => Position::Schema,
            Entry::Callback => Position::Names(Entry::Object),
            Entry::Data => Position::Data,
        }
    }
}

impl Position {
    /// Whether a `$ref` key here is a reference (and not a name or data).
    pub fn has_keywords(self) -> bool {
        matches!(
            self,
            Position::Object | Position::Schema | Position::Components
        )
    }
}

/// The position of the value under `key` of an object at `parent`. For an
/// array value, the position of each of its items.
pub fn child(parent: Position, key: &str) -> Position {
    use Position::*;
    match parent {
        Data => Data,
        Names(entry) => entry.position(),
        _ if key.starts_with("x-") => Data,
        Components => match key {
            "schemas" => Names(Entry::Schema),
            "callbacks" => Names(Entry::Callback),
            _ => Names(Entry::Object),
        },
        Schema => match key {
            "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas" => {
                Names(Entry::Schema)
            }
            "items"
            | "additionalItems"
            | "additionalProperties"
            | "not"
            | "allOf"
            | "oneOf"
            | "anyOf"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames" => Schema,
            "discriminator" | "externalDocs" | "xml" => Object,
            // `example`, `examples`, `default`, `enum`, `const`, and keywords
            // with scalar values.
            _ => Data,
        },
        Object => match key {
            "example" | "value" | "default" | "enum" | "const" => Data,
            "schema" => Schema,
            "components" => Components,
            "paths" | "responses" | "content" | "headers" | "encoding" | "links" | "variables"
            | "examples" => Names(Entry::Object),
            "callbacks" => Names(Entry::Callback),
            "mapping" | "scopes" | "security" => Names(Entry::Data),
            _ => Object,
        },
    }
}

/// One keyword object met on a walk.
pub struct Node<'a> {
    /// Its JSON pointer.
    pub pointer: &'a str,
    pub position: Position,
}

/// Visits every keyword object (OpenAPI object or schema) under `value`,
/// children before their parent, with its pointer and position. `pointer`
/// and `position` say where `value` itself is (`""` and
/// [`Position::Object`] for a whole document).
pub fn visit<'v>(
    value: &'v Value,
    pointer: &str,
    position: Position,
    f: &mut impl FnMut(Node<'_>, &'v Map<String, Value>),
) {
    let mut pointer = pointer.to_string();
    visit_at(value, &mut pointer, position, f);
}

fn visit_at<'v>(
    value: &'v Value,
    pointer: &mut String,
    position: Position,
    f: &mut impl FnMut(Node<'_>, &'v Map<String, Value>),
) {
    if position == Position::Data {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child_value) in map {
                let Some(position) = visited_child(position, key, child_value) else {
                    continue;
                };
                let len = enter(pointer, key);
                visit_at(child_value, pointer, position, f);
                pointer.truncate(len);
            }
            if position.has_keywords() {
                f(Node { pointer, position }, map);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if !is_container(item) {
                    continue;
                }
                let len = enter_index(pointer, i);
                visit_at(item, pointer, position, f);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// [`visit`] with mutable access: children are visited (and may be
/// rewritten) before their parent sees them.
pub fn visit_mut(
    value: &mut Value,
    pointer: &str,
    position: Position,
    f: &mut impl FnMut(Node<'_>, &mut Map<String, Value>),
) {
    let mut pointer = pointer.to_string();
    visit_mut_at(value, &mut pointer, position, f);
}

fn visit_mut_at(
    value: &mut Value,
    pointer: &mut String,
    position: Position,
    f: &mut impl FnMut(Node<'_>, &mut Map<String, Value>),
) {
    if position == Position::Data {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, child_value) in map.iter_mut() {
                let Some(position) = visited_child(position, key, child_value) else {
                    continue;
                };
                let len = enter(pointer, key);
                visit_mut_at(child_value, pointer, position, f);
                pointer.truncate(len);
            }
            if position.has_keywords() {
                f(Node { pointer, position }, map);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                if !is_container(item) {
                    continue;
                }
                let len = enter_index(pointer, i);
                visit_mut_at(item, pointer, position, f);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn is_container(value: &Value) -> bool {
    matches!(value, Value::Object(_) | Value::Array(_))
}

/// The position of an object's member `key`, if the walk goes into it:
/// data and scalars hold nothing to visit (not even their pointer is made).
fn visited_child(position: Position, key: &str, value: &Value) -> Option<Position> {
    if !is_container(value) {
        return None;
    }
    Some(child(position, key)).filter(|&position| position != Position::Data)
}

/// An array's index onto the pointer, without a string of its own.
fn enter_index(pointer: &mut String, index: usize) -> usize {
    use std::fmt::Write;
    let len = pointer.len();
    let _ = write!(pointer, "/{index}");
    len
}

fn enter(pointer: &mut String, segment: &str) -> usize {
    let len = pointer.len();
    pointer.push('/');
    push_escaped(pointer, segment);
    len
}

/// Applies `f` to every schema of the document, children first (so a
/// rewrite of a schema never hides a child still to be visited).
pub fn for_each_schema_mut(doc: &mut Value, mut f: impl FnMut(&str, &mut Map<String, Value>)) {
    visit_mut(doc, "", Position::Object, &mut |node, map| {
        if node.position == Position::Schema {
            f(node.pointer, map)
        }
    });
}

/// Every schema of the document, children first, with its pointer.
pub fn for_each_schema<'v>(doc: &'v Value, mut f: impl FnMut(&str, &'v Map<String, Value>)) {
    visit(doc, "", Position::Object, &mut |node, map| {
        if node.position == Position::Schema {
            f(node.pointer, map)
        }
    });
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schemas(doc: &Value) -> Vec<String> {
        let mut out = Vec::new();
        for_each_schema(doc, |pointer, _| out.push(pointer.to_string()));
        out
    }

    #[test]
    fn properties_named_like_keywords_are_names() {
        let doc = json!({"components": {"schemas": {"A": {"type": "object", "properties": {
            "$ref": {"type": "string"},
            "type": {"type": "string"},
            "properties": {"type": "object", "properties": {"enum": {"type": "integer"}}},
            "enum": {"type": "string", "enum": ["a"]},
        }}}}});
        assert_eq!(
            schemas(&doc),
            [
                "/components/schemas/A/properties/$ref",
                "/components/schemas/A/properties/enum",
                "/components/schemas/A/properties/properties/properties/enum",
                "/components/schemas/A/properties/properties",
                "/components/schemas/A/properties/type",
                "/components/schemas/A",
            ]
        );
    }

    #[test]
    fn data_is_never_walked() {
        let reference = json!({"$ref": "#/components/schemas/Nope", "type": "object"});
        let doc = json!({
            "x-top": {"schema": reference},
            "paths": {"/a": {"get": {
                "x-code-samples": [{"schema": reference}],
                "parameters": [{"name": "p", "in": "query", "schema": {"type": "string",
                    "default": reference, "example": reference, "enum": [reference]}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "examples": [reference], "const": reference},
                    "examples": {"one": {"value": reference}}}}}}
            }}}
        });
        assert_eq!(
            schemas(&doc),
            [
                "/paths/~1a/get/parameters/0/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema",
            ]
        );
    }

    #[test]
    fn schema_positions_are_found_everywhere_a_schema_can_be() {
        let s = json!({"type": "string"});
        let doc = json!({
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "path", "schema": s}],
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": {
                        "allOf": [s, {"items": s}], "not": s, "additionalProperties": s}}}},
                    "responses": {"default": {"description": "d", "headers": {"h": {"schema": s}}}},
                    "callbacks": {"cb": {"{$request.body#/url}": {"post": {"responses": {
                        "200": {"description": "ok", "content": {"text/plain": {"schema": s}}}}}}}}
                }
            }},
            "components": {"parameters": {"p": {"schema": s}}, "schemas": {"S": {"oneOf": [s]}}}
        });
        let found = schemas(&doc);
        for expected in [
            "/paths/~1a/parameters/0/schema",
            "/paths/~1a/post/requestBody/content/application~1json/schema/allOf/0",
            "/paths/~1a/post/requestBody/content/application~1json/schema/allOf/1/items",
            "/paths/~1a/post/requestBody/content/application~1json/schema/not",
            "/paths/~1a/post/requestBody/content/application~1json/schema/additionalProperties",
            "/paths/~1a/post/responses/default/headers/h/schema",
            "/paths/~1a/post/callbacks/cb/{$request.body#~1url}/post/responses/200/content/text~1plain/schema",
            "/components/parameters/p/schema",
            "/components/schemas/S/oneOf/0",
            "/components/schemas/S",
        ] {
            assert!(
                found.iter().any(|f| f == expected),
                "{expected} in {found:#?}"
            );
        }
        assert_eq!(found.len(), 12, "{found:#?}");
    }

    #[test]
    fn the_mutable_walk_sees_children_first() {
        let mut doc =
            json!({"components": {"schemas": {"A": {"properties": {"b": {"type": "string"}}}}}});
        let mut order = Vec::new();
        for_each_schema_mut(&mut doc, |pointer, schema| {
            order.push(pointer.to_string());
            schema.insert("seen".into(), json!(true));
        });
        assert_eq!(
            order,
            [
                "/components/schemas/A/properties/b",
                "/components/schemas/A"
            ]
        );
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["b"]["seen"],
            true
        );
    }
}
