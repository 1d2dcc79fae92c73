//! The unit tests of every pass, each on a small spec.

use serde_json::{Value, json};

use super::*;
use crate::target::naming::enum_values_nameable;
use crate::target::parameters::WIRE_NAME_KEY;

/// Runs the pass named `name` alone on `doc`.
fn run(name: &str, mut doc: Value) -> (Value, Report) {
    let pass = PASSES.iter().find(|p| p.name == name).expect("a pass");
    let mut report = Report::default();
    run_pass(pass, &mut doc, &mut report);
    (doc, report)
}

fn with_schemas(schemas: Value) -> Value {
    json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": schemas}})
}

fn with_operation(operation: Value, schemas: Value) -> Value {
    json!({"openapi": "3.0.3", "paths": {"/a/{id}": {"get": operation}}, "components": {"schemas": schemas}})
}

#[test]
fn every_pass_leaves_a_clean_spec_alone() {
    let doc = with_operation(
        json!({"operationId": "getA",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}),
        json!({"A": {"type": "object", "properties": {"id": {"type": "string", "minLength": 1}}}}),
    );
    let mut normalized = doc.clone();
    assert!(normalize(&mut normalized, &[]).is_empty());
    assert_eq!(normalized, doc);
}

#[test]
fn operations_without_an_id_are_named_after_method_and_path() {
    let (doc, report) = run(
        "operation-ids",
        json!({"openapi": "3.0.3", "paths": {
            "/": {"get": {"responses": {}}},
            "/pets/{petId}/toys": {"get": {"responses": {}}, "post": {"operationId": "addToy", "responses": {}}},
            "/v2/{coin}.json/wallet-list": {"delete": {"responses": {}}},
            "/b": {"get": {"operationId": "get_c", "responses": {}}},
            "/c": {"get": {"responses": {}}, "put": {"operationId": "", "responses": {}}}
        }}),
    );
    let id = |path: &str, method: &str| doc["paths"][path][method]["operationId"].clone();
    assert_eq!(id("/", "get"), "get_root");
    assert_eq!(id("/pets/{petId}/toys", "get"), "get_pets_by_pet_id_toys");
    assert_eq!(id("/pets/{petId}/toys", "post"), "addToy");
    assert_eq!(
        id("/v2/{coin}.json/wallet-list", "delete"),
        "delete_v2_by_coin_json_wallet_list"
    );
    // `getC` would make the client method `get_c` twice.
    assert_eq!(id("/c", "get"), "get_c_2");
    assert_eq!(id("/c", "put"), "put_c");
    assert_eq!(report.changes.len(), 5);
    assert_eq!(
        report.changes[0].to_string(),
        "/paths/~1/get/operationId: no operationId: named `get_root` after its method and path (progenitor names the client method after it) [operation-ids]"
    );
}

#[test]
fn method_keys_not_in_lowercase_are_dropped_and_listed() {
    let operation = json!({"operationId": "getA", "responses": {}});
    let (doc, report) = run(
        "method-keys",
        json!({"openapi": "3.0.3", "paths": {"/a": {
            "GET": operation, "Post": operation, "get": operation,
            "x-GET": {}, "summary": "a", "fetch": {}
        }}}),
    );
    assert_eq!(
        doc["paths"]["/a"],
        json!({"get": operation, "x-GET": {}, "summary": "a", "fetch": {}})
    );
    let dropped: Vec<(&str, &str)> = report
        .dropped
        .iter()
        .map(|c| (c.pointer.as_str(), c.message.as_str()))
        .collect();
    assert_eq!(
        dropped,
        [
            (
                "/paths/~1a/GET",
                "operation under `GET` dropped: a path item's fields are case-sensitive and its methods lowercase (`get`), so OpenAPI, and progenitor, ignore it"
            ),
            (
                "/paths/~1a/Post",
                "operation under `Post` dropped: a path item's fields are case-sensitive and its methods lowercase (`post`), so OpenAPI, and progenitor, ignore it"
            ),
        ]
    );
    assert!(report.changes.is_empty());
}

#[test]
fn path_parameters_and_template_expressions_are_made_to_match() {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let stray =
        json!({"name": "stray", "in": "path", "required": true, "schema": {"type": "string"}});
    let query = json!({"name": "q", "in": "query", "schema": {"type": "string"}});
    let (doc, report) = run(
        "path-parameters",
        json!({"openapi": "3.0.3", "paths": {
            // Declared by the path item, one by a `$ref`: nothing to do.
            "/a/{id}/{ref}": {
                "parameters": [id, {"$ref": "#/components/parameters/Ref"}],
                "get": {"operationId": "getA", "responses": {}}
            },
            // `{id}` declared by no one (a query `id` does not count) and
            // twice in the template; `stray` on the path item and the
            // operation, and `q` kept.
            "/b/{id}/{id}": {
                "parameters": [stray],
                "get": {"operationId": "getB",
                    "parameters": [query, stray, {"name": "id", "in": "query", "schema": {"type": "string"}}],
                    "responses": {}},
                "put": {"operationId": "putB", "responses": {}}
            }
        }, "components": {"parameters": {"Ref": {"name": "ref", "in": "path", "required": true, "schema": {"type": "string"}}}}}),
    );
    assert_eq!(
        doc["paths"]["/a/{id}/{ref}"]["parameters"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(
        doc["paths"]["/a/{id}/{ref}"]["get"]
            .get("parameters")
            .is_none()
    );
    let b = &doc["paths"]["/b/{id}/{id}"];
    assert_eq!(b["parameters"], json!([]));
    let declared =
        json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
    assert_eq!(
        b["get"]["parameters"],
        json!([query, {"name": "id", "in": "query", "schema": {"type": "string"}}, declared])
    );
    assert_eq!(b["put"]["parameters"], json!([declared]));
    let said = |list: &[Change]| -> Vec<(String, String)> {
        list.iter()
            .map(|c| (c.pointer.clone(), c.message.clone()))
            .collect()
    };
    assert_eq!(
        said(&report.dropped),
        [
            (
                "/paths/~1b~1{id}~1{id}/parameters/0".to_string(),
                "path parameter `stray` of `/b/{id}/{id}` dropped: the path has no `{stray}` (OpenAPI requires one), so its value would never be sent".to_string()
            ),
            (
                "/paths/~1b~1{id}~1{id}/get/parameters/1".to_string(),
                "path parameter `stray` of `getB` dropped: the path has no `{stray}` (OpenAPI requires one), so its value would never be sent".to_string()
            ),
        ]
    );
    assert_eq!(
        said(&report.changes),
        [
            (
                "/paths/~1b~1{id}~1{id}/get/parameters".to_string(),
                "`{id}` of `getB` has no path parameter (OpenAPI requires one): declared as a required string".to_string()
            ),
            (
                "/paths/~1b~1{id}~1{id}/put/parameters".to_string(),
                "`{id}` of `putB` has no path parameter (OpenAPI requires one): declared as a required string".to_string()
            ),
        ]
    );
}

#[test]
fn enum_values_of_another_type_are_read_as_meant_or_removed() {
    let (doc, report) = run(
        "typed-enum-values",
        with_schemas(json!({
            "Version": {"type": "string", "nullable": true, "enum": [4.1, 4, "4", null]},
            "Indicator": {"type": "string", "enum": [true, false, [1]]},
            "Score": {"type": "number", "enum": ["", "", 0, 2, 2]},
            "Count": {"type": "integer", "enum": [1, 1.5]},
            "Empty": {"type": "number", "enum": [""]},
            "Mixed": {"enum": [1, "a"]},
            "Fine": {"type": "string", "enum": ["a"]}
        })),
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Version"]["enum"], json!(["4.1", "4", null]));
    assert_eq!(schemas["Indicator"]["enum"], json!(["true", "false"]));
    assert_eq!(schemas["Score"]["enum"], json!([0, 2]));
    assert_eq!(schemas["Count"]["enum"], json!([1]));
    assert_eq!(schemas["Empty"], json!({"type": "number"}));
    // Without a `type` typify makes an enum of mixed values itself.
    assert_eq!(schemas["Mixed"]["enum"], json!([1, "a"]));
    assert_eq!(report.changes.len(), 5);
    let said: Vec<String> = report.changes.iter().map(ToString::to_string).collect();
    assert!(said.contains(&"/components/schemas/Indicator/enum: values of a string enum: `true`, `false` read as strings (YAML reads them unquoted as numbers or booleans); `[1]` removed (never a string); typify refuses an enum with values of another type, or twice [typed-enum-values]".to_string()), "{said:#?}");
    assert!(said.contains(&"/components/schemas/Score/enum: values of a number enum: `\"\"`, `\"\"` removed (never a number); `2` listed once; typify refuses an enum with values of another type, or twice [typed-enum-values]".to_string()), "{said:#?}");
}

#[test]
fn nullable_components_name_their_inside_apart() {
    let (doc, report) = run(
        "nullable-components",
        with_schemas(json!({
            "Bacs": {"description": "A BACS account.", "title": "Bacs", "nullable": true,
                     "allOf": [{"$ref": "#/components/schemas/Account"}, {"type": "object"}]},
            "BacsInner": {"type": "string"},
            "Code": {"type": "string", "enum": ["NSF", null]},
            "Either": {"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]},
            "One": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Account"}]},
            "Account": {"type": "object"}
        })),
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Bacs"],
        json!({"description": "A BACS account.", "title": "Bacs", "nullable": true,
               "allOf": [{"$ref": "#/components/schemas/BacsInner2"}]})
    );
    assert_eq!(
        schemas["BacsInner2"],
        json!({"description": "A BACS account.",
               "allOf": [{"$ref": "#/components/schemas/Account"}, {"type": "object"}]})
    );
    assert_eq!(schemas["Code"]["nullable"], true);
    assert_eq!(
        schemas["Either"]["allOf"][0]["$ref"],
        "#/components/schemas/EitherInner"
    );
    assert_eq!(
        schemas["EitherInner"]["oneOf"][1],
        json!({"type": "integer"})
    );
    // One member: typify already names the inside after the member.
    assert_eq!(
        schemas["One"],
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Account"}]})
    );
    assert_eq!(report.changes.len(), 3);
}

#[test]
fn references_to_schemas_outside_the_components_name_components() {
    let body = "#/paths/~1a/post/requestBody/content/application~1json/schema";
    let (doc, report) = run(
        "schema-refs",
        json!({"openapi": "3.0.3", "paths": {"/a": {
            "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "window": {"$ref": format!("{body}/properties/window")},
                    "start": {"$ref": format!("{body}/properties/window/properties/start")},
                    "offset": {"$ref": format!("{body}/properties/offset")}
                }}}}}}},
            "post": {"requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "window": {"type": "object", "properties": {"start": {"type": "integer"}}},
                    "offset": {"$ref": "#/components/schemas/Offset"}
                }}}}}}
        }}, "components": {"schemas": {"Offset": {"type": "integer"}, "Start": {}}}}),
    );
    let get = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        ["properties"];
    assert_eq!(get["window"]["$ref"], "#/components/schemas/window");
    // The deeper one moved first, under a name not taken; the window names it.
    assert_eq!(get["start"]["$ref"], "#/components/schemas/start2");
    assert_eq!(get["offset"]["$ref"], "#/components/schemas/Offset");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["start2"], json!({"type": "integer"}));
    assert_eq!(
        schemas["window"],
        json!({"type": "object", "properties": {"start": {"$ref": "#/components/schemas/start2"}}})
    );
    let post = &doc["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        ["properties"];
    assert_eq!(
        post["window"],
        json!({"$ref": "#/components/schemas/window"})
    );
    assert_eq!(report.changes.len(), 3);
}

#[test]
fn composition_beside_type_moves_the_object_into_the_allof() {
    let (doc, report) = run(
        "composition-beside-type",
        with_schemas(json!({
            "A": {"type": "object", "allOf": [{"$ref": "#/components/schemas/B"}],
                  "properties": {"x": {"type": "string"}}, "required": ["x"]},
            "B": {"type": "object", "oneOf": [{"type": "object"}]}
        })),
    );
    let a = &doc["components"]["schemas"]["A"];
    assert_eq!(a.get("type"), None);
    assert_eq!(a["allOf"][1]["properties"]["x"]["type"], "string");
    assert_eq!(a["allOf"][1]["required"], json!(["x"]));
    assert_eq!(
        doc["components"]["schemas"]["B"],
        json!({"oneOf": [{"type": "object"}]})
    );
    assert_eq!(report.changes.len(), 2);
}

#[test]
fn ref_siblings_are_dropped_and_said_so() {
    let (doc, report) = run(
        "ref-siblings",
        with_schemas(
            json!({"A": {"properties": {"b": {"$ref": "#/components/schemas/B", "description": "d"}}}, "B": {}}),
        ),
    );
    assert_eq!(
        doc["components"]["schemas"]["A"]["properties"]["b"],
        json!({"$ref": "#/components/schemas/B"})
    );
    assert_eq!(
        report.changes[0].pointer,
        "/components/schemas/A/properties/b"
    );
    assert!(report.changes[0].message.contains("`description`"));
}

#[test]
fn single_ref_allof_unwraps_only_properties_declared_in_several_allof_branches() {
    let wrapped =
        |d: &str| json!({"allOf": [{"$ref": "#/components/schemas/U"}], "description": d});
    let (doc, report) = run(
        "single-ref-allof",
        with_schemas(json!({
            "Parent": {"properties": {"intent": wrapped("the intent"), "alone": wrapped("kept")}},
            "Child": {"allOf": [
                {"$ref": "#/components/schemas/Parent"},
                {"properties": {"intent": wrapped("the child's intent")}}
            ]},
            "Lone": {"properties": {"wrapped": wrapped("a field's doc"),
                "nullable": {"allOf": [{"$ref": "#/components/schemas/U"}], "nullable": true}}},
            "U": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
        })),
    );
    let s = &doc["components"]["schemas"];
    let bare = json!({"$ref": "#/components/schemas/U"});
    // `intent` is declared in both branches of Child: both declarations unwrap.
    assert_eq!(s["Parent"]["properties"]["intent"], bare);
    assert_eq!(s["Child"]["allOf"][1]["properties"]["intent"], bare);
    // Declared once: stock typify takes the wrapper and keeps the doc.
    assert_eq!(s["Parent"]["properties"]["alone"], wrapped("kept"));
    assert_eq!(s["Lone"]["properties"]["wrapped"], wrapped("a field's doc"));
    assert!(s["Lone"]["properties"]["nullable"].get("allOf").is_some());
    assert_eq!(report.changes.len(), 2, "{report:?}");
    assert!(
        report.changes[0]
            .message
            .contains("`intent` is declared in several")
    );
}

#[test]
fn a_declaration_naming_only_the_types_of_a_union_beside_it_is_removed_from_that_composition() {
    let envelope = json!({"allOf": [
        {"$ref": "#/components/schemas/Common"},
        {"properties": {"result": {"anyOf": [{"type": "object"}, {"type": "string"}]}}}
    ]});
    let (doc, report) = run(
        "type-only-declarations",
        with_schemas(json!({
            "Common": {"type": "object", "properties": {"success": {"type": "boolean"}}},
            "Single": envelope,
            "App": {"anyOf": [
                {"type": "object", "title": "Self hosted", "properties": {"domain": {"type": "string"}}},
                {"allOf": [{"type": "object"}, {"properties": {"url": {"type": "string"}}}]},
                {"type": "object", "properties": {"ssh": {"type": "string"}}},
                {"type": "string"}
            ]},
            // A union of fewer members typify merges in time: stock is kept.
            "Small": {"anyOf": [{"type": "object"}, {"type": "string", "description": "d"}]},
            "SmallResponse": {"allOf": [
                {"$ref": "#/components/schemas/Single"},
                {"properties": {"result": {"$ref": "#/components/schemas/Small"}}}
            ]},
            "AppResponse": {"allOf": [
                {"$ref": "#/components/schemas/Single"},
                {"properties": {"result": {"$ref": "#/components/schemas/App"}}}
            ]},
            // A union admitting a type the envelope does not name: kept.
            "Count": {"oneOf": [{"type": "integer"}, {"type": "array", "items": {}}]},
            "CountResponse": {"allOf": [
                {"$ref": "#/components/schemas/Single"},
                {"properties": {"result": {"$ref": "#/components/schemas/Count"}}}
            ]},
            // A union that admits `null` too: the envelope's refuses it.
            "Maybe": {"anyOf": [
                {"type": "object", "nullable": true}, {"type": "object"}, {"type": "string"}, {"type": "string"}
            ]},
            "MaybeResponse": {"allOf": [
                {"$ref": "#/components/schemas/Single"},
                {"properties": {"result": {"$ref": "#/components/schemas/Maybe"}}}
            ]},
            // The envelope alone: its declaration is the only one.
            "Plain": {"allOf": [{"$ref": "#/components/schemas/Single"}]}
        })),
    );
    let schemas = &doc["components"]["schemas"];
    // The envelope is written in place in AppResponse, without `result`.
    assert_eq!(
        schemas["AppResponse"]["allOf"][0],
        json!({"allOf": [{"$ref": "#/components/schemas/Common"}, {"properties": {}}]})
    );
    assert_eq!(
        schemas["AppResponse"]["allOf"][1]["properties"]["result"],
        json!({"$ref": "#/components/schemas/App"})
    );
    // Everything else is as it was.
    assert_eq!(schemas["Single"], envelope);
    assert_eq!(
        schemas["CountResponse"]["allOf"][0],
        json!({"$ref": "#/components/schemas/Single"})
    );
    for kept in ["Plain", "SmallResponse", "MaybeResponse"] {
        assert_eq!(
            schemas[kept]["allOf"][0],
            json!({"$ref": "#/components/schemas/Single"}),
            "{kept}"
        );
    }
    let changed: Vec<&str> = report.changes.iter().map(|c| c.pointer.as_str()).collect();
    assert_eq!(
        changed,
        ["/components/schemas/AppResponse/allOf/0/allOf/1/properties/result"]
    );
    let message = &report.changes[0].message;
    assert!(
        message.contains(
            "(object, string, written at /components/schemas/Single/allOf/1/properties/result)"
        ) && message.contains("(`#/components/schemas/App`)")
            && message.ends_with(
                "the branch `#/components/schemas/Single` is written in place without it"
            ),
        "{message}"
    );
}

#[test]
fn boolean_exclusive_bounds() {
    let (doc, report) = run(
        "boolean-exclusive-bounds",
        with_schemas(json!({
            "A": {"type": "number", "minimum": 0, "exclusiveMinimum": false},
            "B": {"type": "number", "exclusiveMaximum": true},
            "C": {"type": "number", "minimum": 1, "exclusiveMinimum": true},
            "D": {"type": "number", "exclusiveMinimum": 5},
            // Both apply: the stricter inclusive bound stays alone.
            "E": {"type": "number", "maximum": 5, "exclusiveMaximum": 10}
        })),
    );
    assert_eq!(
        doc["components"]["schemas"]["E"],
        json!({"type": "number", "maximum": 5})
    );
    let s = &doc["components"]["schemas"];
    assert_eq!(s["A"], json!({"type": "number", "minimum": 0}));
    assert_eq!(s["B"], json!({"type": "number"}));
    assert_eq!(s["C"]["exclusiveMinimum"], true);
    assert_eq!(
        s["D"],
        json!({"type": "number", "minimum": 5, "exclusiveMinimum": true})
    );
    assert_eq!(report.changes.len(), 4);
}

#[test]
fn vacuous_constraints_are_removed() {
    let (doc, report) = run(
        "vacuous-constraints",
        with_schemas(json!({"A": {"type": "string", "minLength": 0, "maxLength": 5}})),
    );
    assert_eq!(
        doc["components"]["schemas"]["A"],
        json!({"type": "string", "maxLength": 5})
    );
    assert_eq!(report.changes.len(), 1);
}

#[test]
fn float_numbers_are_read_as_doubles() {
    let (doc, report) = run(
        "float-as-double",
        with_schemas(json!({
            "Price": {"type": "number", "format": "float", "description": "d"},
            "Inline": {"type": "object", "properties": {"p": {"type": "number", "format": "float"}}},
            "Count": {"type": "integer", "format": "float"},
            "Text": {"type": "string", "format": "float"},
            "Double": {"type": "number", "format": "double"}
        })),
    );
    let s = &doc["components"]["schemas"];
    assert_eq!(
        s["Price"],
        json!({"type": "number", "format": "double", "description": "d"})
    );
    assert_eq!(s["Count"]["format"], "float");
    assert_eq!(s["Text"]["format"], "float");
    assert_eq!(s["Double"]["format"], "double");
    assert_eq!(s["Inline"]["properties"]["p"]["format"], "double");
    let pointers: Vec<&str> = report.changes.iter().map(|c| c.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Inline/properties/p/format",
            "/components/schemas/Price/format"
        ]
    );
}

#[test]
fn formats_typify_cannot_read_are_removed_and_the_rest_kept() {
    let (doc, report) = run(
        "misplaced-formats",
        with_schemas(json!({
            "Service": {"type": "object", "properties": {
                "links": {"type": "object", "format": "uri-map", "description": "d"},
                "ipv4": {"type": "array", "format": "ipv4", "items": {"type": "string", "format": "ipv4"}},
                "active": {"type": "boolean", "format": "flag"},
                "region": {"enum": ["us1"], "format": "region"},
                "alone": {"format": "uuid"},
                "sid": {"type": "string", "format": "uuid"},
                "count": {"type": "integer", "format": "int32"},
                "short": {"maxLength": 8, "format": "code"},
                "shortOrList": {"maxLength": 8, "items": {}, "format": "code"},
                "composed": {"allOf": [{"type": "string"}], "format": "uuid"},
                "bounded": {"minimum": 1, "format": "x"},
                "nothing": {"type": "null", "format": "none"},
                "other": {"$ref": "#/components/schemas/Other", "format": "ref-siblings-own"}
            }}
        })),
    );
    let properties = &doc["components"]["schemas"]["Service"]["properties"];
    assert_eq!(
        properties["links"],
        json!({"type": "object", "description": "d"})
    );
    assert_eq!(properties["ipv4"]["items"]["format"], "ipv4");
    // typify reads these (a string's keywords, a composition it merges the
    // format into: a `Uuid`).
    for kept in [
        "sid",
        "count",
        "short",
        "shortOrList",
        "composed",
        "nothing",
        "other",
    ] {
        assert!(properties[kept].get("format").is_some(), "{kept}");
    }
    let removed: Vec<&str> = report.changes.iter().map(|c| c.pointer.as_str()).collect();
    let at = |p: &str| format!("/components/schemas/Service/properties/{p}/format");
    assert_eq!(
        removed,
        ["active", "alone", "bounded", "ipv4", "links", "region"].map(at)
    );
    assert!(
        report.changes[0]
            .message
            .contains("`format: flag` beside `type: boolean`"),
        "{}",
        report.changes[0].message
    );
}

#[test]
fn keywords_typify_cannot_read_without_a_type_get_the_one_type_they_imply() {
    let (doc, report) = run(
        "typeless-constraints",
        with_schemas(json!({
            "Rule": {"type": "object", "properties": {
                "mode": {"enum": ["block", "challenge"], "maxLength": 12},
                "level": {"enum": [1, 2, null], "minimum": 0},
                "ratio": {"enum": [0.5, 1], "maximum": 1},
                "page": {"default": 1, "minimum": 1},
                "share": {"maximum": 1, "example": 0.5},
                // typify reads these: left alone.
                "code": {"maxLength": 8},
                "tags": {"minItems": 1},
                "kind": {"enum": ["a", "b"]},
                "typed": {"type": "string", "enum": ["a"], "maxLength": 2},
                // Several types: left to the error naming the schema.
                "mixed": {"enum": ["a", 1], "maxLength": 2},
                "wrongKind": {"enum": ["a"], "minimum": 1},
                "both": {"minimum": 1, "maxLength": 2},
                "composed": {"allOf": [{"type": "integer"}], "minimum": 1},
                // Merged with its sibling before typify reads it.
                "member": {"allOf": [{"type": "number"}, {"minimum": 0}]}
            }}
        })),
    );
    let properties = &doc["components"]["schemas"]["Rule"]["properties"];
    let ty = |p: &str| properties[p].get("type").and_then(Value::as_str);
    assert_eq!(ty("mode"), Some("string"));
    assert_eq!(ty("level"), Some("integer"));
    assert_eq!(ty("ratio"), Some("number"));
    // Bounds alone constrain numbers only: any JSON value.
    assert_eq!(properties["page"], json!({"default": 1}));
    assert_eq!(properties["share"], json!({"example": 0.5}));
    for left in [
        "code",
        "tags",
        "kind",
        "mixed",
        "wrongKind",
        "both",
        "composed",
    ] {
        assert_eq!(ty(left), None, "{left}");
    }
    assert_eq!(ty("typed"), Some("string"));
    let changed: Vec<&str> = report.changes.iter().map(|c| c.pointer.as_str()).collect();
    let at = |p: &str| format!("/components/schemas/Rule/properties/{p}");
    assert_eq!(
        changed,
        [
            at("level") + "/type",
            at("mode") + "/type",
            at("page"),
            at("ratio") + "/type",
            at("share")
        ]
    );
    assert!(
        report.changes[1]
            .message
            .starts_with("wrote `type: string` beside an `enum` of strings"),
        "{}",
        report.changes[1].message
    );
}

#[test]
fn a_native_default_that_would_panic_when_used_is_removed() {
    let (doc, report) = run(
        "invalid-defaults",
        with_schemas(json!({"Upload": {"type": "object", "properties": {
            "expiry": {"type": "string", "format": "date-time", "default": "Now + 30 minutes"},
            "since": {"type": "string", "format": "date-time", "default": "2021-01-02T02:20:00Z"},
            "id": {"$ref": "#/components/schemas/Id", "default": "none"}
        }}, "Id": {"type": "string", "format": "uuid"}})),
    );
    let properties = &doc["components"]["schemas"]["Upload"]["properties"];
    assert!(properties["expiry"].get("default").is_none());
    assert_eq!(properties["since"]["default"], "2021-01-02T02:20:00Z");
    assert!(
        properties["id"].get("default").is_none(),
        "through the $ref"
    );
    assert_eq!(report.changes.len(), 2);
    assert!(
        report.changes[0]
            .message
            .starts_with("removed `default: \"Now + 30 minutes\"`: it is no `date-time`"),
        "{}",
        report.changes[0].message
    );
}

#[test]
fn items_without_an_array_type_become_any_value() {
    let (doc, report) = run(
        "untyped-items",
        with_schemas(json!({
            "Owner": {"type": "object", "properties": {
                "address1": {"items": {"type": "string"}, "description": "d"},
                "tags": {"type": "array", "items": {"type": "string"}}}}
        })),
    );
    let owner = &doc["components"]["schemas"]["Owner"]["properties"];
    assert_eq!(owner["address1"], json!({"description": "d"}));
    assert_eq!(owner["tags"]["items"], json!({"type": "string"}));
    assert_eq!(report.changes.len(), 1);
    assert_eq!(
        report.changes[0].pointer,
        "/components/schemas/Owner/properties/address1/items"
    );
}

#[test]
fn a_one_of_whose_narrowest_member_takes_every_body_becomes_one_object() {
    let narrow =
        json!({"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"]});
    let wide = json!({"type": "object", "required": ["kind", "test"],
        "properties": {"kind": {"type": "string"}, "test": {"type": "boolean"}}});
    let (doc, report) = run(
        "subsumed-one-of",
        with_schemas(json!({
            "Wide": wide,
            "Pay": {"description": "d", "oneOf": [narrow.clone(), {"$ref": "#/components/schemas/Wide"}]},
            // Exclusive members (different required properties) stay.
            "Either": {"oneOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"type": "object", "properties": {"b": {"type": "string"}}, "required": ["b"]}]},
            // A member that forbids more, or a shared property typed apart, stays.
            "Closed": {"oneOf": [narrow.clone(), {"type": "object", "additionalProperties": false,
                "properties": {"kind": {"type": "string"}, "test": {"type": "boolean"}}}]},
            "Apart": {"oneOf": [narrow, {"type": "object", "properties": {"kind": {"type": "integer"}}}]},
            // Neither requires anything, and the later one's bodies are
            // read as the earlier one (BitGo's `FeeOption` / `EIP1559FeeOptions`).
            // Declared alike but for their descriptions (BitGo's coins).
            "Coin": {"oneOf": [
                {"type": "object", "properties": {"root": {"type": "string", "description": "XLM's"}}},
                {"type": "object", "properties": {"root": {"type": "string", "description": "ATOM's"},
                    "memo": {"type": "string"}}}]},
            "Fee": {"oneOf": [
                {"type": "object", "properties": {"unit": {"type": "string"}, "gas": {"type": "number"}}},
                {"type": "object", "properties": {"gas": {"type": "number"}, "max": {"type": "number"}}}]}
        })),
    );
    let s = &doc["components"]["schemas"];
    // The description stays beside (typify documents a field from there).
    assert_eq!(
        s["Pay"],
        json!({"description": "d", "allOf": [{"type": "object", "required": ["kind"],
            "properties": {"kind": {"type": "string"}, "test": {"type": "boolean"}}}]})
    );
    for kept in ["Either", "Closed", "Apart"] {
        assert!(s[kept].get("oneOf").is_some(), "{kept}: {}", s[kept]);
    }
    assert_eq!(
        s["Fee"],
        json!({"type": "object", "properties": {"unit": {"type": "string"},
            "gas": {"type": "number"}, "max": {"type": "number"}}})
    );
    assert_eq!(
        s["Coin"],
        json!({"type": "object", "properties": {
            "root": {"type": "string", "description": "XLM's"}, "memo": {"type": "string"}}})
    );
    let pointers: Vec<&str> = report.changes.iter().map(|c| c.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Coin/oneOf",
            "/components/schemas/Fee/oneOf",
            "/components/schemas/Pay/oneOf"
        ]
    );
}

#[test]
fn alternatives_that_only_require_become_whole_objects() {
    let properties = json!({"label": {"type": "string"}, "m": {"type": "integer"},
        "parent": {"type": "string"}});
    let (doc, report) = run(
        "required-alternatives",
        with_schemas(json!({
            // BitGo's `CreateWallet`: a label, unless a parent is named.
            "Create": {"type": "object", "description": "d", "required": ["m"],
                "properties": properties.clone(),
                "anyOf": [{"not": {"required": ["parent"]}, "required": ["label"]},
                          {"required": ["parent"]}]},
            // A `not` that excludes bodies no other alternative takes.
            "Strict": {"type": "object", "properties": properties.clone(),
                "anyOf": [{"not": {"required": ["m"]}, "required": ["label"]},
                          {"required": ["parent"]}]},
            // An alternative with properties of its own, or requiring an
            // undeclared property.
            "Own": {"type": "object", "properties": properties.clone(),
                "anyOf": [{"required": ["label"], "properties": {"x": {"type": "string"}}},
                          {"required": ["parent"]}]},
            "Undeclared": {"type": "object", "properties": properties.clone(),
                "anyOf": [{"required": ["label"]}, {"required": ["other"]}]}
        })),
    );
    let s = &doc["components"]["schemas"];
    let whole = |required: Value| json!({"type": "object", "properties": properties.clone(), "required": required});
    assert_eq!(
        s["Create"],
        json!({"description": "d", "oneOf": [whole(json!(["m", "label"])), whole(json!(["m", "parent"]))]})
    );
    for kept in ["Strict", "Own", "Undeclared"] {
        assert!(s[kept].get("anyOf").is_some(), "{kept}: {}", s[kept]);
    }
    let pointers: Vec<&str> = report.changes.iter().map(|c| c.pointer.as_str()).collect();
    assert_eq!(pointers, ["/components/schemas/Create/anyOf"]);
}

fn s_has_no_additional(doc: &Value, name: &str) -> bool {
    doc["components"]["schemas"][name]["oneOf"]
        .as_array()
        .is_some_and(|m| m.iter().all(|m| m.get("additionalProperties").is_none()))
}

#[test]
fn one_property_members_that_allow_more_are_not_tags() {
    let member = |name: &str, closed: bool| {
        let mut m =
            json!({"type": "object", "properties": {name: {"type": "string"}}, "required": [name]});
        if closed {
            m["additionalProperties"] = json!(false);
        }
        m
    };
    let (doc, report) = run(
        "open-tagged-one-of",
        with_schemas(json!({
            "Open": {"oneOf": [member("a", false), member("b", false)]},
            "Closed": {"oneOf": [member("a", true), member("b", true)]},
            "Two": {"oneOf": [member("a", false), {"type": "object", "required": ["b"],
                "properties": {"b": {"type": "string"}, "c": {"type": "string"}}}]},
            // Oxide's `UpdateStatus`: one name, so typify tags by it inside.
            "Status": {"oneOf": [member("status", false), member("status", false)]}
        })),
    );
    assert!(s_has_no_additional(&doc, "Status"));
    let s = &doc["components"]["schemas"];
    assert_eq!(s["Open"]["oneOf"][0]["additionalProperties"], json!(true));
    assert_eq!(s["Open"]["oneOf"][1]["additionalProperties"], json!(true));
    assert_eq!(
        s["Closed"]["oneOf"][0]["additionalProperties"],
        json!(false)
    );
    assert!(s["Two"]["oneOf"][0].get("additionalProperties").is_none());
    let pointers: Vec<&str> = report.changes.iter().map(|c| c.pointer.as_str()).collect();
    assert_eq!(pointers, ["/components/schemas/Open/oneOf"]);
}

#[test]
fn unnameable_enums_become_strings_with_their_values_described() {
    assert!(enum_values_nameable(&["a", "b-c", "B_C2"]));
    // typify names `>` and `<` both `X`, `>=` and `<=` both `Xx`.
    assert!(enum_values_nameable(&[">", ">="]));
    assert!(!enum_values_nameable(&[">", ">=", "<", "<="]));
    assert!(!enum_values_nameable(&["WALLET", "wallet"]));
    let (doc, report) = run(
        "unnameable-enums",
        with_schemas(json!({
            "Op": {"type": "string", "enum": [">", "<"]},
            "Fine": {"type": "string", "enum": ["a", "b"]}
        })),
    );
    let s = &doc["components"]["schemas"];
    assert_eq!(
        s["Op"],
        json!({"type": "string", "description": "One of: `>`, `<`.", "pattern": "^(?:>|<)$"})
    );
    // The pattern accepts the values and nothing else.
    let values = [">", ">=", ".*", "a|b", "WALLET", "wallet"];
    let (doc, _) = run(
        "unnameable-enums",
        with_schemas(json!({"Kind": {"enum": values}})),
    );
    let kind = &doc["components"]["schemas"]["Kind"];
    assert_eq!(kind["type"], "string");
    let pattern = regress::Regex::new(kind["pattern"].as_str().unwrap()).unwrap();
    for value in values {
        assert!(pattern.find(value).is_some(), "{value}");
    }
    for other in ["<", "x", "a", "Wallet", ">=>", "ab"] {
        assert!(pattern.find(other).is_none(), "{other}");
    }
    assert_eq!(s["Fine"]["enum"], json!(["a", "b"]));
    assert_eq!(report.changes[0].pointer, "/components/schemas/Op/enum");
}

#[test]
fn request_bodies_keep_json_and_drop_what_progenitor_cannot_send() {
    let body = |content: Value| {
        with_operation(
            json!({"operationId": "put", "requestBody": {"content": content}, "responses": {"204": {"description": "ok"}}}),
            json!({}),
        )
    };
    let (doc, report) = run(
        "request-bodies",
        body(json!({"application/json": {"schema": {}}, "multipart/form-data": {"schema": {}}})),
    );
    let content = &doc["paths"]["/a/{id}"]["get"]["requestBody"]["content"];
    assert_eq!(content.as_object().unwrap().len(), 1);
    assert!(report.dropped.is_empty());

    let (doc, report) = run(
        "request-bodies",
        body(json!({"multipart/form-data": {"schema": {}}})),
    );
    assert_eq!(doc["paths"], json!({}));
    assert_eq!(report.dropped.len(), 1);
    assert!(
        report.dropped[0]
            .message
            .contains("operation `put` dropped")
    );
    assert!(report.dropped[0].message.contains("multipart/form-data"));

    // Box's metadata updates: a JSON Patch is not a JSON body to progenitor.
    let (doc, report) = run(
        "request-bodies",
        body(json!({"application/json-patch+json": {"schema": {}}})),
    );
    assert_eq!(doc["paths"], json!({}));
    assert!(
        report.dropped[0]
            .message
            .contains("cannot send a application/json-patch+json request body"),
        "{report:?}"
    );
    let (doc, _) = run(
        "request-bodies",
        body(json!({"application/json-patch+json": {"schema": {}}, "text/plain": {"schema": {}}})),
    );
    let content = &doc["paths"]["/a/{id}"]["get"]["requestBody"]["content"];
    assert_eq!(
        content.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["text/plain"]
    );

    // Without a schema: what any body of its media type is.
    for (media, schema) in [
        ("application/json", json!({})),
        ("text/plain", json!({"type": "string"})),
        (
            "application/octet-stream",
            json!({"type": "string", "format": "binary"}),
        ),
    ] {
        let (doc, report) = run("request-bodies", body(json!({ media: {} })));
        let content = &doc["paths"]["/a/{id}"]["get"]["requestBody"]["content"];
        assert_eq!(content[media]["schema"], schema, "{media}");
        assert_eq!(report.changes.len(), 1, "{report:?}");
    }
    // With one, a lone supported body is left alone.
    let (_, report) = run(
        "request-bodies",
        body(json!({"application/json": {"schema": {}}})),
    );
    assert!(report.is_empty());
}

#[test]
fn raw_bodies_get_the_one_schema_progenitor_sends_as_given() {
    let body = |media: &str, schema: Value| {
        json!({"operationId": "up", "requestBody": {"content": {media: {"schema": schema}}},
               "responses": {"204": {"description": "ok"}}})
    };
    let doc = json!({"openapi": "3.0.3", "paths": {
        "/a": {"post": body("application/octet-stream", json!({"type": "string", "description": "d"}))},
        "/b": {"post": body("text/plain", json!({"type": "string", "maxLength": 10}))},
        "/c": {"post": body("application/octet-stream", json!({"$ref": "#/components/schemas/Bytes"}))},
        "/d": {"post": body("text/plain; charset=utf-8", json!({"type": "string", "title": "t"}))},
        "/e": {"post": {"operationId": "e", "requestBody": {"content": {"application/json": {
            "schema": {"type": "object"}, "encoding": {"a": {"contentType": "text/plain"}}}}},
            "responses": {"204": {"description": "ok"}}}},
        // An empty one progenitor takes: left as written.
        "/f": {"post": {"operationId": "f", "requestBody": {"content": {"application/json": {
            "schema": {"type": "object"}, "encoding": {}}}},
            "responses": {"204": {"description": "ok"}}}}
    }, "components": {"schemas": {"Bytes": {"type": "string", "format": "binary"}}}});
    let (doc, report) = run("request-bodies", doc);
    let schema = |path: &str, media: &str| {
        doc["paths"][path]["post"]["requestBody"]["content"][media]["schema"].clone()
    };
    assert_eq!(
        schema("/a", "application/octet-stream"),
        json!({"type": "string", "format": "binary", "description": "d"})
    );
    assert_eq!(schema("/b", "text/plain"), json!({"type": "string"}));
    assert_eq!(
        schema("/c", "application/octet-stream"),
        json!({"$ref": "#/components/schemas/Bytes"})
    );
    assert_eq!(
        schema("/d", "text/plain; charset=utf-8"),
        json!({"type": "string", "title": "t"})
    );
    let changed: Vec<&str> = report.changes.iter().map(|c| c.pointer.as_str()).collect();
    assert_eq!(
        changed,
        [
            "/paths/~1a/post/requestBody/content/application~1octet-stream/schema",
            "/paths/~1b/post/requestBody/content/text~1plain/schema",
            "/paths/~1e/post/requestBody/content/application~1json/encoding"
        ]
    );
    assert_eq!(
        doc["paths"]["/e"]["post"]["requestBody"]["content"]["application/json"],
        json!({"schema": {"type": "object"}})
    );
    assert_eq!(
        doc["paths"]["/f"]["post"]["requestBody"]["content"]["application/json"],
        json!({"schema": {"type": "object"}, "encoding": {}})
    );
}

#[test]
fn a_form_bodys_encoding_goes_naming_the_properties_it_cannot_send() {
    // Stripe's shape: every form body has an `encoding`, deepObject for its
    // nested properties.
    let form = |encoding: Value| {
        json!({"operationId": "create", "requestBody": {"content": {"application/x-www-form-urlencoded": {
            "schema": {"$ref": "#/components/schemas/Create"}, "encoding": encoding}}},
            "responses": {"204": {"description": "ok"}}})
    };
    let schemas = json!({"Create": {"type": "object", "properties": {
        "amount": {"type": "integer"},
        "expand": {"type": "array", "items": {"type": "string"}},
        "metadata": {"anyOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"type": "string", "enum": [""]}]},
        "shipping": {"$ref": "#/components/schemas/Shipping"}}},
        "Shipping": {"type": "object", "properties": {"name": {"type": "string"}}}});
    let deep = json!({"style": "deepObject", "explode": true});
    let doc = json!({"openapi": "3.0.3", "paths": {
        "/nested": {"post": form(json!({"amount": deep, "expand": deep, "metadata": deep, "shipping": deep}))},
        "/flat": {"post": form(json!({"amount": {"style": "form"}}))},
        // An empty one progenitor takes: left as written.
        "/none": {"post": form(json!({}))}
    }, "components": {"schemas": schemas}});
    let (doc, report) = run("request-bodies", doc);
    assert_eq!(
        doc["paths"]["/none"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
            ["encoding"],
        json!({})
    );
    for path in ["/nested", "/flat"] {
        assert_eq!(
            doc["paths"][path]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"],
            json!({"schema": {"$ref": "#/components/schemas/Create"}}),
            "{path}"
        );
    }
    let changes: Vec<(&str, &str)> = report
        .changes
        .iter()
        .map(|c| (c.pointer.as_str(), c.message.as_str()))
        .collect();
    // By path: `/flat`, then `/nested`.
    let at = |path: &str| {
        format!(
            "/paths/~1{path}/post/requestBody/content/application~1x-www-form-urlencoded/encoding"
        )
    };
    assert_eq!(
        changes.iter().map(|c| c.0).collect::<Vec<_>>(),
        [at("flat"), at("nested")]
    );
    assert!(
        changes[0].1.ends_with("as flat `name=value` pairs"),
        "{}",
        changes[0].1
    );
    assert!(
        changes[1]
            .1
            .ends_with("its properties `expand`, `metadata`, `shipping` hold objects or arrays, which it cannot send (the request fails when one is set)"),
        "{}",
        changes[1].1
    );
}

#[test]
fn deep_object_query_parameters_that_are_not_objects_are_dropped() {
    let operation = |required: bool| {
        json!({"operationId": "list", "parameters": [
            {"name": "expand", "in": "query", "style": "deepObject", "explode": true,
             "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "created", "in": "query", "style": "deepObject", "required": required, "schema": {"anyOf": [
                {"type": "object", "properties": {"gt": {"type": "integer"}}}, {"type": "integer"}]}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        ], "responses": {"204": {"description": "ok"}}})
    };
    let (doc, report) = run("parameters", with_operation(operation(false), json!({})));
    let names: Vec<&str> = doc["paths"]["/a/{id}"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["limit"]);
    let dropped: Vec<&str> = report.dropped.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(dropped.len(), 2, "{dropped:?}");
    assert!(
        dropped[0].starts_with("optional query parameter `expand` of `list` dropped: it is sent in the style `deepObject`"),
        "{}",
        dropped[0]
    );
    // A required one takes its operation with it.
    let (doc, report) = run("parameters", with_operation(operation(true), json!({})));
    assert_eq!(doc["paths"], json!({}));
    assert!(
        report.dropped.iter().any(|d| d
            .message
            .starts_with("operation `list` dropped: its required query parameter `created`")),
        "{:?}",
        report.dropped
    );
}

#[test]
fn path_parameters_without_display_become_strings_keeping_their_description() {
    let id = |schema: Value| {
        json!({"operationId": "getA", "parameters": [{"name": "id", "in": "path", "required": true, "schema": schema}],
            "responses": {"204": {"description": "ok"}}})
    };
    let either = json!({"description": "name or number", "anyOf": [{"type": "string"}, {"type": "integer"}]});
    let (doc, report) = run("parameters", with_operation(id(either), json!({})));
    let parameter = &doc["paths"]["/a/{id}"]["get"]["parameters"][0];
    assert_eq!(parameter["schema"], json!({"type": "string"}));
    assert_eq!(parameter["description"], "name or number");
    assert_eq!(report.changes.len(), 1);
    let objects = json!({"oneOf": [{"type": "string"}, {"type": "object", "properties": {"a": {"type": "string"}}}]});
    let (doc, _) = run("parameters", with_operation(id(objects), json!({})));
    assert_eq!(
        doc["paths"]["/a/{id}"]["get"]["parameters"][0]["schema"],
        json!({"type": "string"})
    );
    let names = json!({"$ref": "#/components/schemas/NameOrId"});
    let schemas = json!({"NameOrId": {"oneOf": [{"type": "string", "format": "uuid"}, {"type": "string", "pattern": "^[a-z]+$"}]}});
    let (doc, report) = run("parameters", with_operation(id(names.clone()), schemas));
    assert_eq!(
        doc["paths"]["/a/{id}"]["get"]["parameters"][0]["schema"],
        names
    );
    assert!(report.is_empty());
}

#[test]
fn parameters_progenitor_cannot_take() {
    let operation = json!({"operationId": "getA", "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"oneOf": [{"type": "string"}, {"type": "integer"}]}},
            {"name": "filter", "in": "query", "required": true, "schema": {"type": "object", "required": ["state"],
                "properties": {"state": {"type": "string"}, "coin": {"type": "string", "description": "c"}}}},
            {"name": "deep", "in": "query", "style": "deepObject", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
            {"name": "either", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            {"name": "plain", "in": "query", "schema": {"type": "string"}}
        ], "responses": {"204": {"description": "ok"}}});
    let (doc, report) = run("parameters", with_operation(operation.clone(), json!({})));
    let parameters = doc["paths"]["/a/{id}"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .clone();
    let names: Vec<&str> = parameters
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    // The form-exploded object becomes its properties; the deepObject one goes.
    assert_eq!(names, ["id", "coin", "state", "either", "plain"]);
    // A oneOf of scalars is displayed by typify: stock progenitor sends it typed.
    assert_eq!(
        parameters[0]["schema"],
        json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
    );
    assert_eq!(
        (
            parameters[1]["required"].as_bool(),
            parameters[2]["required"].as_bool()
        ),
        (Some(false), Some(true))
    );
    assert_eq!(parameters[1]["description"], "c");
    assert_eq!(parameters[3]["schema"], json!({"type": "string"}));
    assert_eq!((report.changes.len(), report.dropped.len()), (2, 1));
    assert!(report.dropped[0].message.contains("`deep`"));
    assert!(
        report.dropped[0]
            .message
            .ends_with("its style is `deepObject`, explode true")
    );

    // A required object parameter that cannot be expanded takes its operation with it.
    let mut required = operation;
    required["parameters"][2]["required"] = json!(true);
    let (doc, report) = run("parameters", with_operation(required, json!({})));
    assert_eq!(doc["paths"], json!({}));
    assert!(
        report.dropped[0]
            .message
            .contains("operation `getA` dropped")
    );
}

#[test]
fn parameter_styles_progenitor_refuses() {
    let operation = json!({"operationId": "getA", "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "session", "in": "cookie", "schema": {"type": "string"}},
            {"name": "ids", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "integer"}}},
            {"name": "words", "in": "query", "style": "spaceDelimited", "schema": {"type": "array", "items": {"type": "string"}}}
        ], "responses": {"204": {"description": "ok"}}});
    let (doc, report) = run("parameters", with_operation(operation.clone(), json!({})));
    let parameters = &doc["paths"]["/a/{id}"]["get"]["parameters"];
    let names: Vec<&str> = parameters
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["id", "ids", "words"]);
    assert_eq!(
        (
            &parameters[1]["style"],
            &parameters[1]["explode"],
            &parameters[1]["x-codegen-delimiter"]
        ),
        (&json!("form"), &json!(false), &json!("|"))
    );
    assert_eq!(parameters[2]["x-codegen-delimiter"], " ");
    assert_eq!(report.dropped.len(), 1);
    assert_eq!(
        report.dropped[0].message,
        "optional cookie parameter `session` of `getA` dropped: it cannot be sent: progenitor sends no cookie parameters"
    );
    assert_eq!(report.changes.len(), 2);

    // A required cookie, or a path in another style, takes the operation.
    for (i, parameter) in [
        json!({"name": "session", "in": "cookie", "required": true, "schema": {"type": "string"}}),
        json!({"name": "id", "in": "path", "required": true, "style": "matrix", "schema": {"type": "string"}}),
    ]
    .into_iter()
    .enumerate()
    {
        let mut operation = operation.clone();
        operation["parameters"][i] = parameter;
        let (doc, report) = run("parameters", with_operation(operation, json!({})));
        assert_eq!(doc["paths"], json!({}));
        assert!(report.dropped[0].message.starts_with("operation `getA` dropped: its required"), "{report:?}");
    }
}

#[test]
fn header_and_path_parameters_are_never_null() {
    // Box's `x-rep-hints`: an optional nullable header, which progenitor
    // made `Option<Option<&str>>` and called `to_string` on.
    let operation = json!({"operationId": "getA", "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Id"}},
            {"name": "x-rep-hints", "in": "header", "schema": {"type": "string", "nullable": true}},
            {"name": "q", "in": "query", "schema": {"type": "string", "nullable": true}}
        ], "responses": {"204": {"description": "ok"}}});
    let (doc, report) = run(
        "parameters",
        with_operation(
            operation,
            json!({"Id": {"type": "string", "nullable": true, "minLength": 1}}),
        ),
    );
    let parameters = &doc["paths"]["/a/{id}"]["get"]["parameters"];
    assert_eq!(
        parameters[0]["schema"],
        json!({"type": "string", "minLength": 1})
    );
    assert_eq!(parameters[1]["schema"], json!({"type": "string"}));
    // A query parameter can be left out, and progenitor sends that.
    assert_eq!(parameters[2]["schema"]["nullable"], true);
    assert_eq!(
        report
            .changes
            .iter()
            .map(|c| c.pointer.as_str())
            .collect::<Vec<_>>(),
        [
            "/paths/~1a~1{id}/get/parameters/0/schema",
            "/paths/~1a~1{id}/get/parameters/1/schema"
        ]
    );
    assert!(
        report.changes[1]
            .message
            .starts_with("`nullable` of header parameter `x-rep-hints` of `getA` dropped")
    );
}

#[test]
fn json_responses_without_a_schema_get_one() {
    let (doc, report) = run(
        "response-schemas",
        with_operation(
            json!({"operationId": "getA", "responses": {"200": {"description": "ok", "content": {"application/json": {}}}}}),
            json!({}),
        ),
    );
    assert_eq!(
        doc["paths"]["/a/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({})
    );
    assert_eq!(report.changes.len(), 1);
}

#[test]
fn inline_response_types_become_components_named_by_status() {
    let inline = |properties: Value| json!({"description": "d", "content": {"application/json": {"schema": {"type": "object", "properties": properties}}}});
    let (doc, report) = run(
        "inline-response-types",
        with_operation(
            json!({"operationId": "get-a", "responses": {
                "200": inline(json!({"ok": {"type": "string"}})),
                "400": inline(json!({"error": {"type": "string"}}))
            }}),
            json!({"GetA200Response": {}}),
        ),
    );
    let responses = &doc["paths"]["/a/{id}"]["get"]["responses"];
    assert_eq!(
        responses["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/GetA200Response2"
    );
    assert_eq!(
        responses["400"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/GetA400Response"
    );
    assert!(doc["components"]["schemas"]["GetA400Response"]["properties"]["error"].is_object());
    assert_eq!(report.changes.len(), 2);
}

#[test]
fn several_bodies_in_one_set_merge_and_bodyless_ones_go() {
    let json_body = |schema: &str| json!({"description": "d", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    let (doc, report) = run(
        "response-bodies",
        with_operation(
            json!({"operationId": "getA", "responses": {
                "200": json_body("A"), "202": json_body("Pending"),
                "400": json_body("Loose"), "401": json_body("Error"), "404": {"description": "none"}
            }}),
            json!({"A": {"type": "object", "required": ["a"]}, "Pending": {"type": "object", "required": ["p"]},
                       "Loose": {"type": "object"}, "Error": {"type": "object", "required": ["error"]}}),
        ),
    );
    let s = &doc["components"]["schemas"];
    assert_eq!(
        s["GetASuccess"]["oneOf"],
        json!([{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/Pending"}])
    );
    // The object that accepts anything is tried last.
    assert_eq!(
        s["GetAError"]["oneOf"],
        json!([{"$ref": "#/components/schemas/Error"}, {"$ref": "#/components/schemas/Loose"}])
    );
    let responses = &doc["paths"]["/a/{id}"]["get"]["responses"];
    assert_eq!(
        responses["202"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/GetASuccess"
    );
    assert!(responses.get("404").is_none());
    assert_eq!((report.changes.len(), report.dropped.len()), (2, 1));
    assert_eq!(
        report.dropped[0].pointer,
        "/paths/~1a~1{id}/get/responses/404"
    );
}

#[test]
fn a_success_without_a_body_beside_one_body_is_none_of_one_nullable_type() {
    let json_body = |schema: &str| json!({"description": "d", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    let schemas = json!({"A": {"type": "object", "required": ["a"]}, "B": {"type": "object", "required": ["b"]}});
    let (doc, report) = run(
        "response-bodies",
        with_operation(
            json!({"operationId": "getA", "responses": {
                "200": json_body("A"), "203": json_body("A"), "204": {"description": "no content"},
                "404": {"description": "none"}
            }}),
            schemas.clone(),
        ),
    );
    let s = &doc["components"]["schemas"];
    assert_eq!(s["GetASuccess"]["nullable"], true);
    assert_eq!(
        s["GetASuccess"]["allOf"],
        json!([{"$ref": "#/components/schemas/A"}])
    );
    let responses = &doc["paths"]["/a/{id}"]["get"]["responses"];
    for status in ["200", "203", "204"] {
        assert_eq!(
            responses[status]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/GetASuccess",
            "{status}"
        );
    }
    assert_eq!(responses["204"]["description"], "no content");
    // The error set is another set: alone, nothing to merge.
    assert_eq!(responses["404"], json!({"description": "none"}));
    assert!(report.dropped.is_empty(), "{report:?}");
    assert_eq!(report.merged.len(), 1);
    assert_eq!(report.merged[0].bodiless, ["204"]);
    assert_eq!(
        report.merged[0].statuses,
        [("200".to_string(), None), ("203".to_string(), None)]
    );

    // Beside two bodies, or as a range, a bodiless success is dropped.
    for responses in [
        json!({"200": json_body("A"), "201": json_body("B"), "204": {"description": "none"}}),
        json!({"200": json_body("A"), "2XX": {"description": "none"}}),
    ] {
        let (_, report) = run(
            "response-bodies",
            with_operation(
                json!({"operationId": "getA", "responses": responses}),
                schemas.clone(),
            ),
        );
        assert_eq!(report.dropped.len(), 1, "{report:?}");
        assert!(report.merged.iter().all(|m| m.bodiless.is_empty()));
    }
}

#[test]
fn component_names_that_clash_in_rust_are_renamed_with_their_refs() {
    let (doc, report) = run(
        "component-names",
        with_schemas(json!({
            "CSPRStakingOptions": {"type": "object"},
            "CsprStakingOptions": {"type": "object"},
            "Wallet": {"type": "object", "properties": {"id": {"type": "string", "pattern": "^a$"},
                "options": {"$ref": "#/components/schemas/CsprStakingOptions"}}},
            "WalletId": {"type": "string"}
        })),
    );
    let s = doc["components"]["schemas"].as_object().unwrap();
    let names: Vec<&String> = s.keys().collect();
    assert_eq!(
        names,
        [
            "CSPRStakingOptions",
            "CsprStakingOptions2",
            "Wallet",
            "WalletId2"
        ]
    );
    assert_eq!(
        s["Wallet"]["properties"]["options"]["$ref"],
        "#/components/schemas/CsprStakingOptions2"
    );
    assert_eq!(report.changes.len(), 2);
    let renamed: Vec<(&str, &str)> = report
        .renamed
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        renamed,
        [
            ("CsprStakingOptions", "CsprStakingOptions2"),
            ("WalletId", "WalletId2")
        ]
    );
}

#[test]
fn titles_that_name_existing_types_are_removed() {
    let (doc, report) = run(
        "inline-type-names",
        with_schemas(json!({
            "Currency": {"title": "Currency", "type": "string", "nullable": true, "enum": ["usd", null]},
            "Plain": {"title": "Plain", "type": "string"},
            "A": {"properties": {"kind": {"title": "Plain", "type": "string", "enum": ["x"]}}}
        })),
    );
    let s = &doc["components"]["schemas"];
    assert_eq!(s["Currency"].get("title"), None);
    assert_eq!(s["Plain"]["title"], "Plain");
    assert_eq!(s["A"]["properties"]["kind"].get("title"), None);
    assert_eq!(report.changes.len(), 2);
}

#[test]
fn a_lone_inline_response_type_keeps_stocks_name() {
    let inline = json!({"description": "d", "content": {"application/json": {"schema": {"type": "object", "properties": {"ok": {"type": "string"}}}}}});
    let error = json!({"description": "e", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}}}});
    let operation = json!({"operationId": "getA", "responses": {"200": inline, "400": error}});
    let doc = with_operation(operation, json!({"E": {"type": "object"}}));
    let (after, report) = run("inline-response-types", doc.clone());
    assert!(report.is_empty(), "{report:?}");
    assert_eq!(after, doc);
}

#[test]
fn a_title_spelling_the_name_typify_derives_for_another_property_is_removed() {
    // typify names `Transfer.type`'s enum `TransferType`; the title on
    // `kind` spells it too, and typify then reads `type` with `kind`'s enum.
    let doc = with_schemas(json!({"Transfer": {"type": "object", "properties": {
        "type": {"type": "string", "enum": ["send", "receive"]},
        "kind": {"title": "TransferType", "type": "string", "enum": ["a", "b"]},
        "mode": {"title": "TransferMode", "type": "string", "enum": ["x"]}}}}));
    let (doc, report) = run("inline-type-names", doc);
    let properties = &doc["components"]["schemas"]["Transfer"]["properties"];
    assert!(properties["kind"].get("title").is_none(), "{report:?}");
    // A title spelling its own property's derived name stays.
    assert_eq!(properties["mode"]["title"], "TransferMode");
    assert_eq!(report.changes.len(), 1);
}

#[test]
fn titles_on_references_and_repeated_identical_titles_name_no_new_type() {
    let result =
        json!({"title": "Result", "type": "object", "properties": {"done": {"type": "boolean"}}});
    let body = |schema: Value| json!({"description": "d", "content": {"application/json": {"schema": schema}}});
    let doc = json!({"openapi": "3.0.3", "paths": {
        "/a": {"post": {"operationId": "a", "responses": {"201": body(result.clone())}}},
        "/b": {"post": {"operationId": "b", "responses": {"201": body(result.clone())}}}
    }, "components": {"schemas": {
        "V4": {"type": "string"},
        "Range": {"oneOf": [
            {"title": "v4", "allOf": [{"$ref": "#/components/schemas/V4"}]},
            {"title": "V4", "$ref": "#/components/schemas/V4"}
        ]}
    }}});
    let (after, report) = run("inline-type-names", doc.clone());
    assert!(report.is_empty(), "{report:?}");
    assert_eq!(after, doc);
    // The same title on another schema would be a second type of one name.
    let mut other = doc;
    other["paths"]["/b"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]["properties"] =
        json!({"failed": {"type": "boolean"}});
    let (_, report) = run("inline-type-names", other);
    assert_eq!(report.changes.len(), 1);
}

#[test]
fn every_pass_says_what_stock_does_wrong_and_names_are_unique() {
    let mut names: Vec<&str> = PASSES.iter().map(|p| p.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), PASSES.len());
    for pass in PASSES {
        assert!(pass.stock.len() > 20, "{}", pass.name);
        assert_eq!(kind_of(pass.name), Some(pass.kind));
    }
    assert_eq!(kind_of("ref-siblings"), Some(Kind::Rewrite));
    assert_eq!(kind_of("unnameable-enums"), Some(Kind::Repair));
}

#[test]
fn overlapping_any_of_members_are_wrapped_and_exclusive_ones_are_not() {
    let lite = json!({"type": "object", "required": ["id", "unsigned"],
        "properties": {"id": {"type": "string"}, "unsigned": {"type": "array", "items": {"type": "string"}}}});
    let full = json!({"type": "object", "required": ["id", "transactions"],
        "properties": {"id": {"type": "string"}, "transactions": {"type": "array", "items": {"type": "string"}}}});
    let union = |extra: Value| {
        let mut union = json!({"anyOf": [
            {"$ref": "#/components/schemas/Lite"}, {"$ref": "#/components/schemas/Full"}]});
        union
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        with_schemas(json!({"Lite": lite, "Full": full, "Request": union}))
    };
    // typify would call them exclusive (each requires what the other does
    // not list); a body with both is valid: wrapped. The `required` beside
    // repeats what both members require: dropped.
    let (doc, report) = run("overlapping-any-of", union(json!({"required": ["id"]})));
    let request = &doc["components"]["schemas"]["Request"];
    assert_eq!(
        request["anyOf"][0]["allOf"][0]["$ref"],
        "#/components/schemas/Lite"
    );
    assert!(request["anyOf"][1]["description"].is_string());
    assert!(request.get("required").is_none());
    assert_eq!(report.changes.len(), 1, "{report:?}");
    assert!(report.changes[0].message.contains("`required`"));

    // A `required` beside that a member lacks would be merged in by typify: left alone.
    let (_, report) = run("overlapping-any-of", union(json!({"required": ["other"]})));
    assert!(report.is_empty(), "{report:?}");

    let exclusive = |lite: Value| {
        let doc = with_schemas(json!({"Lite": lite, "Full": full, "Request": {"anyOf": [
            {"$ref": "#/components/schemas/Lite"}, {"$ref": "#/components/schemas/Full"}]}}));
        run("overlapping-any-of", doc).1
    };
    // No body fits both: a shared property of another type, or a closed member.
    let mut typed = lite.clone();
    typed["properties"]["id"] = json!({"type": "integer"});
    assert!(exclusive(typed).is_empty());
    let mut closed = lite.clone();
    closed["additionalProperties"] = json!(false);
    assert!(exclusive(closed).is_empty());
    // Members typify does not call exclusive are already its struct.
    let mut open = lite.clone();
    open["required"] = json!(["id"]);
    open["properties"]["transactions"] = json!({"type": "array"});
    assert!(exclusive(open).is_empty());
}

#[test]
fn tagged_any_of_members_stay_an_enum() {
    let member = |tag: &str| {
        json!({"type": "object", "required": ["kind"], "properties": {
            "kind": {"type": "string", "enum": [tag]}, "amount": {"type": "string"}}})
    };
    let doc = with_schemas(json!({"A": member("a"), "B": member("b"), "U": {"anyOf": [
        {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}}));
    let (after, report) = run("overlapping-any-of", doc.clone());
    assert!(report.is_empty(), "{report:?}");
    assert_eq!(after, doc);
}

#[test]
fn properties_of_one_field_name_keep_one_field() {
    let (doc, report) = run(
        "field-names",
        with_schemas(json!({
            "FileObject": {"type": "object", "required": ["id", "extra", "Size", "EXTRA"],
                "properties": {"Id": {"type": "string"}, "Size": {"type": "integer"}}},
            "Clean": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
            "Only": {"type": "object", "required": ["name"], "properties": {"Name": {"type": "string"}}},
            "Hit": {"type": "object", "required": ["_score"], "additionalProperties": false,
                "properties": {"_score": {"type": "number"}, "score": {"type": "string"}, "Score": {"type": "string"}}}
        })),
    );
    let schemas = &doc["components"]["schemas"];
    // `extra` keeps its `Value` field; `EXTRA` would be a second `extra`.
    assert_eq!(schemas["FileObject"]["required"], json!(["extra", "Size"]));
    assert_eq!(schemas["Clean"]["required"], json!(["id"]));
    assert!(
        schemas["Only"].get("required").is_none(),
        "{}",
        schemas["Only"]
    );
    // `score` is named as its field: it keeps it.
    assert_eq!(
        schemas["Hit"]["properties"],
        json!({"score": {"type": "string"}})
    );
    assert!(
        schemas["Hit"].get("required").is_none(),
        "{}",
        schemas["Hit"]
    );
    assert!(
        schemas["Hit"].get("additionalProperties").is_none(),
        "{}",
        schemas["Hit"]
    );
    let changed: Vec<&str> = report.changes.iter().map(|c| c.pointer.as_str()).collect();
    assert_eq!(
        changed,
        [
            "/components/schemas/FileObject/required/0",
            "/components/schemas/FileObject/required/3",
            "/components/schemas/Hit/additionalProperties",
            "/components/schemas/Only/required/0",
        ]
    );
    assert!(
        report.changes[0].message.contains("as `Id`'s is"),
        "{}",
        report.changes[0].message
    );
    let dropped: Vec<&str> = report.dropped.iter().map(|c| c.pointer.as_str()).collect();
    assert_eq!(
        dropped,
        [
            "/components/schemas/Hit/properties/Score",
            "/components/schemas/Hit/properties/_score"
        ]
    );
    assert!(
        report.dropped[1].message.starts_with(
            "property `_score` dropped: typify names its field `score`, as `score`'s is"
        ),
        "{}",
        report.dropped[1].message
    );
}

#[test]
fn parameters_of_one_rust_name_are_renamed_or_dropped() {
    let query = |name: &str| json!({"name": name, "in": "query", "schema": {"type": "string"}});
    let doc = json!({"openapi": "3.0.3", "paths": {"/calls/{id}": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "get": {"operationId": "listCalls", "parameters": [
            query("StartTime"), query("StartTime<"), query("Id"), query("start_time_lt"),
            // An operation's own parameter of the path item's name overrides it.
            {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}
        ], "responses": {"204": {"description": "none"}}},
        "delete": {"operationId": "deleteCalls", "parameters": [
            {"name": "start_time", "in": "query", "required": true, "schema": {"type": "string"}},
            {"name": "Start-Time", "in": "header", "required": true, "schema": {"type": "string"}}
        ], "responses": {"204": {"description": "none"}}}
    }}});
    let (doc, report) = run("parameters", doc);
    let list = doc["paths"]["/calls/{id}"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let names: Vec<(&str, Option<&str>)> = list
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p[WIRE_NAME_KEY].as_str()))
        .collect();
    // A query parameter is renamed, its wire name kept: `StartTime<` spelled
    // out, else by its place (`start_time_lt` is another parameter's wire name), `Id` by its
    // place; the later `start_time_lt` keeps its own name.
    assert_eq!(
        names,
        [
            ("StartTime", None),
            ("start_time_query", Some("StartTime<")),
            ("id_query", Some("Id")),
            ("start_time_lt", None),
            ("id", None)
        ]
    );
    let renamed: Vec<&str> = report.changes.iter().map(|c| c.message.as_str()).collect();
    assert!(
        renamed[0].starts_with(
            "query parameter `StartTime<` of `listCalls` is the argument `start_time_query`"
        ),
        "{renamed:#?}"
    );
    // A header cannot be renamed: it is dropped, with its operation when required.
    assert!(doc["paths"]["/calls/{id}"].get("delete").is_none());
    let dropped: Vec<&str> = report.dropped.iter().map(|c| c.message.as_str()).collect();
    assert_eq!(dropped.len(), 1, "{dropped:#?}");
    assert!(dropped[0].starts_with("operation `deleteCalls` dropped: its required header parameter `Start-Time` is the method's argument `start_time` in Rust, as query parameter `start_time` is"), "{}", dropped[0]);
}

#[test]
fn path_items_given_as_local_refs_are_written_in_place() {
    let operation =
        json!({"operationId": "getThing", "responses": {"204": {"description": "none"}}});
    let doc = json!({"openapi": "3.0.3", "paths": {
        "/thingyref": {"$ref": "#/paths/x-shared", "summary": "its own"},
        "x-shared": {"summary": "shared", "get": operation},
        "/schema": {"$ref": "#/components/schemas/A"}
    }, "components": {"schemas": {"A": {"type": "object", "properties": {}}}}});
    let (doc, report) = run("path-item-refs", doc);
    assert_eq!(
        doc["paths"]["/thingyref"],
        json!({"summary": "its own", "get": operation})
    );
    // A schema is no path item: the reference stays, to be refused by name.
    assert_eq!(
        doc["paths"]["/schema"],
        json!({"$ref": "#/components/schemas/A"})
    );
    assert_eq!(report.changes.len(), 1);
    assert_eq!(report.changes[0].pointer, "/paths/~1thingyref");
}

#[test]
fn responses_given_as_references_to_other_components_are_written_in_place() {
    let body = json!({"content": {"application/json": {"schema": {"type": "string"}}}});
    let doc = json!({"openapi": "3.0.3", "paths": {"/a": {"put": {"operationId": "putA",
        "responses": {
            "200": {"$ref": "#/components/requestBodies/Data"},
            "404": {"$ref": "#/components/responses/NotFound"}
        }}}},
        "components": {"requestBodies": {"Data": body},
            "responses": {"NotFound": {"description": "none"}}}});
    let (doc, report) = run("response-refs", doc);
    let responses = &doc["paths"]["/a"]["put"]["responses"];
    let mut written = body.clone();
    written["description"] = json!("");
    assert_eq!(responses["200"], written);
    // A response component is progenitor's to look up.
    assert_eq!(
        responses["404"],
        json!({"$ref": "#/components/responses/NotFound"})
    );
    assert_eq!(report.changes.len(), 1);
    assert_eq!(report.changes[0].pointer, "/paths/~1a/put/responses/200");
}

#[test]
fn security_requirements_naming_no_scheme_are_dropped_and_listed() {
    let doc = json!({"openapi": "3.0.3",
        "security": [{"apiKey": []}, {"ghost": []}],
        "paths": {"/a": {"get": {"operationId": "getA",
            "security": [{"sessionToken": [], "apiKey": []}, {"apiKey": []}, {}],
            "responses": {"204": {"description": "none"}}}}},
        "components": {"securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-Key"}}}});
    let (doc, report) = run("security-schemes", doc);
    assert_eq!(doc["security"], json!([{"apiKey": []}]));
    assert_eq!(
        doc["paths"]["/a"]["get"]["security"],
        json!([{"apiKey": []}, {}])
    );
    let dropped: Vec<(&str, &str)> = report
        .dropped
        .iter()
        .map(|c| (c.pointer.as_str(), c.message.as_str()))
        .collect();
    assert_eq!(dropped.len(), 2, "{dropped:#?}");
    assert_eq!(dropped[0].0, "/security/1");
    assert_eq!(dropped[1].0, "/paths/~1a/get/security/0");
    assert!(
        dropped[1]
            .1
            .starts_with("security requirement `sessionToken` of `getA` dropped"),
        "{}",
        dropped[1].1
    );
}

#[test]
fn percent_encoded_references_are_written_decoded() {
    let doc = json!({"openapi": "3.0.3", "paths": {},
    "components": {"schemas": {
        "Pet Owner": {"type": "object"},
        "Pet": {"type": "object", "properties": {
            "owner": {"$ref": "#/components/schemas/Pet%20Owner"},
            "plus": {"$ref": "#/components/schemas/Pet+Owner"}
        }}}}});
    let (doc, report) = run("ref-encoding", doc);
    let properties = &doc["components"]["schemas"]["Pet"]["properties"];
    assert_eq!(
        properties["owner"]["$ref"],
        "#/components/schemas/Pet Owner"
    );
    // `+` is no space in a URI fragment: left for validation to name.
    assert_eq!(properties["plus"]["$ref"], "#/components/schemas/Pet+Owner");
    assert_eq!(report.changes.len(), 1);
    assert_eq!(
        report.changes[0].pointer,
        "/components/schemas/Pet/properties/owner/$ref"
    );
}
