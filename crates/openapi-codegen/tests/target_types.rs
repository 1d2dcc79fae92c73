//! `target::types::constrained` against the generator itself: for each
//! schema, the field type in the generated models is the one it predicts
//! (the diff judges a limit's or a pattern's change by it).

use openapi_codegen::target::types::{Constrained, constrained};
use openapi_codegen::{Document, LoadOptions, Settings};
use quote::ToTokens;
use serde_json::Value;

/// Property schemas (OpenAPI 3.0, flow YAML; property `p` of struct `S<i>`),
/// what their constraints make, and the field type the generator writes.
const CASES: &[(&str, Constrained, &str)] = &[
    ("{type: integer}", Constrained::Integer("i64"), "i64"),
    (
        "{type: integer, minimum: 0}",
        Constrained::Integer("u64"),
        "u64",
    ),
    (
        "{type: integer, minimum: 1}",
        Constrained::Integer("::std::num::NonZeroU64"),
        "::std::num::NonZeroU64",
    ),
    (
        "{type: integer, minimum: 0, exclusiveMinimum: true}",
        Constrained::Integer("::std::num::NonZeroU64"),
        "::std::num::NonZeroU64",
    ),
    (
        "{type: integer, minimum: 5}",
        Constrained::Integer("i64"),
        "i64",
    ),
    (
        "{type: integer, maximum: 255}",
        Constrained::Integer("u8"),
        "u8",
    ),
    (
        "{type: integer, minimum: 0, maximum: 100}",
        Constrained::Integer("i64"),
        "i64",
    ),
    (
        "{type: integer, format: int32, minimum: 0}",
        Constrained::Integer("i32"),
        "i32",
    ),
    (
        "{type: integer, format: int32, minimum: 1}",
        Constrained::Integer("::std::num::NonZeroU32"),
        "::std::num::NonZeroU32",
    ),
    (
        "{type: integer, format: int32, maximum: 10000000000}",
        Constrained::Integer("i64"),
        "i64",
    ),
    (
        "{type: integer, format: int64, maximum: 1000}",
        Constrained::Integer("i64"),
        "i64",
    ),
    (
        "{type: integer, format: int32, multipleOf: 2}",
        Constrained::Integer("i32"),
        "i32",
    ),
    (
        "{type: string, maxLength: 3}",
        Constrained::CheckedString,
        "S12P",
    ),
    (
        "{type: string, pattern: '^a+$'}",
        Constrained::CheckedString,
        "S13P",
    ),
    (
        "{type: string, format: date-time, maxLength: 30}",
        Constrained::Unchecked,
        "::chrono::DateTime<::chrono::offset::Utc>",
    ),
    (
        "{type: string, enum: [a, b], maxLength: 1}",
        Constrained::Unchecked,
        "S15P",
    ),
    (
        "{type: string}",
        Constrained::Unchecked,
        "::std::string::String",
    ),
    (
        "{type: array, items: {type: string}, minItems: 2, maxItems: 2}",
        Constrained::FixedArray(2),
        "[::std::string::String;2usize]",
    ),
    (
        "{type: array, items: {type: string}, minItems: 1, maxItems: 2}",
        Constrained::Unchecked,
        "::std::vec::Vec<::std::string::String>",
    ),
    (
        "{type: number, minimum: 1, maximum: 2}",
        Constrained::Unchecked,
        "f64",
    ),
    // No `type`: typify reads string constraints as a string, item limits
    // as an array (of `Value`s), value limits as nothing.
    ("{pattern: '^a+$'}", Constrained::CheckedString, "S20P"),
    ("{maxLength: 3}", Constrained::CheckedString, "S21P"),
    (
        "{minimum: 1}",
        Constrained::Unchecked,
        "::serde_json::Value",
    ),
    (
        "{items: {type: string}, minItems: 2, maxItems: 2}",
        Constrained::FixedArray(2),
        "[::serde_json::Value;2usize]",
    ),
];

#[test]
fn constrained_predicts_the_rust_type_typify_gives() {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for (i, (schema, ..)) in CASES.iter().enumerate() {
        spec.push_str(&format!(
            // `q{i}` keeps the structs apart (merge-identical-types).
            "    S{i}:\n      type: object\n      required: [p]\n      properties:\n        p: {schema}\n        q{i}: {{type: boolean}}\n"
        ));
    }
    let document = Document::parse("types.yaml", &spec).unwrap();
    let settings = Settings {
        models_crate: "types_models".into(),
        ..Settings::default()
    };
    let (_, output) = openapi_codegen::generate(document, &LoadOptions::default(), &settings)
        .unwrap_or_else(|e| panic!("{e}"));
    let models = syn::parse_file(&output.models).unwrap();
    let field_type = |name: &str| -> String {
        let item = models.items.iter().find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        });
        let field = item
            .unwrap_or_else(|| panic!("no struct {name}"))
            .fields
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == "p"))
            .unwrap();
        field.ty.to_token_stream().to_string().replace(' ', "")
    };
    let parsed: Value = serde_norway::from_str(&spec).unwrap();
    let mut wrong = Vec::new();
    for (i, (text, expected, rust)) in CASES.iter().enumerate() {
        let schema = &parsed["components"]["schemas"][format!("S{i}")]["properties"]["p"];
        let predicted = constrained(|key| schema.get(key));
        let actual = field_type(&format!("S{i}"));
        if predicted != *expected || actual != *rust {
            wrong.push(format!(
                "{text}: predicted {predicted:?} (expected {expected:?}); the generator wrote `{actual}` (expected `{rust}`)"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
