//! The first check: the document against the OpenAPI 3.0 JSON Schema itself
//! (the OpenAPI Initiative's `schema/2021-09-28`, Apache-2.0), so that a typo
//! such as `type: strnig` is one line naming the pointer and the allowed
//! values, not a panic deep inside typify.
//!
//! Where the meta-schema says "one of: a Reference or a Schema", a failure
//! is reported from the branch that got furthest into the document (its
//! errors sit deepest), as the most specific explanation.
//!
//! What the meta-schema refuses but the generator takes on purpose is
//! listed in [`TOLERATED`], each with its reason.

use std::sync::OnceLock;

use serde_json::Value;

use super::Problem;
use super::draft4::{Error, Kind, Validator};

/// The OpenAPI 3.0 JSON Schema.
pub const META_SCHEMA: &str = include_str!("openapi-3.0-schema.json");

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(META_SCHEMA).expect("the meta-schema is JSON");
        Validator::new(schema).expect("the meta-schema compiles")
    })
}

/// A kind of meta-schema error the generator accepts, and why.
pub struct Tolerance {
    pub name: &'static str,
    pub reason: &'static str,
    applies: fn(&Error<'_>) -> bool,
}

/// What the meta-schema refuses and the generator takes.
pub const TOLERATED: &[Tolerance] = &[
    Tolerance {
        name: "unknown-keywords",
        reason: "keywords OpenAPI 3.0 does not define (`const`, `examples` in a schema, `$schema`) are ignored by openapiv3 and so by stock progenitor; refusing them would refuse specs stock progenitor generates",
        applies: |e| matches!(e.kind, Kind::AdditionalProperties { .. }),
    },
    Tolerance {
        name: "empty-responses",
        reason: "an operation with `responses: {}` is taken by stock progenitor (its method returns an unexpected-response error for every status)",
        applies: |e| e.path.ends_with("/responses") && matches!(e.kind, Kind::MinProperties { .. }),
    },
    Tolerance {
        name: "numeric-exclusive-bounds",
        reason: "JSON Schema 2019's numeric `exclusiveMinimum`/`exclusiveMaximum` is rewritten as OpenAPI 3.0's by the pass `boolean-exclusive-bounds`",
        applies: |e| {
            (e.path.ends_with("/exclusiveMinimum") || e.path.ends_with("/exclusiveMaximum"))
                && matches!(e.kind, Kind::Type { .. })
        },
    },
];

/// The meta-schema's verdict on `doc`: the most specific error of each
/// failure, tolerated kinds left out.
pub fn check(doc: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    for error in validator().errors(doc) {
        most_specific(&error, &mut problems);
    }
    problems
}

/// Adds the errors that explain `error` best: inside a `oneOf`/`anyOf`,
/// those of the branch whose errors reach deepest into the document.
fn most_specific(error: &Error<'_>, out: &mut Vec<Problem>) {
    let Kind::OneOfNotValid { context } = &error.kind else {
        return report(error, out);
    };
    let depth = |branch: &&Vec<Error<'_>>| {
        let deepest = branch
            .iter()
            .map(|e| e.path.matches('/').count())
            .max()
            .unwrap_or(0);
        // Of two branches equally deep, the one not merely missing `$ref`.
        let informative = !branch
            .iter()
            .all(|e| matches!(e.kind, Kind::Required { .. }));
        (deepest, informative)
    };
    match context.iter().max_by_key(depth) {
        Some(branch) if !branch.is_empty() => {
            for inner in branch {
                most_specific(inner, out);
            }
        }
        _ => report(error, out),
    }
}

fn report(error: &Error<'_>, out: &mut Vec<Problem>) {
    if TOLERATED.iter().any(|t| (t.applies)(error)) {
        return;
    }
    // An `enum` error lists every allowed value: the user needs them all.
    let mut message = error.to_string();
    // Errors about a whole object print it; keep the line readable.
    if message.chars().count() > 240 {
        message = message.chars().take(240).collect::<String>() + "…";
    }
    let problem = (
        error.path.clone(),
        format!("not valid OpenAPI 3.0: {message}"),
    );
    if !out.contains(&problem) {
        out.push(problem);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::check;

    fn doc(schema: serde_json::Value, responses: serde_json::Value) -> serde_json::Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": responses}}},
            "components": {"schemas": {"A": schema}}})
    }

    #[test]
    fn a_typo_names_its_place_and_every_allowed_value() {
        let problems = check(&doc(
            json!({"type": "strnig"}),
            json!({"200": {"description": "ok"}}),
        ));
        assert_eq!(
            problems,
            [(
                "/components/schemas/A/type".to_string(),
                "not valid OpenAPI 3.0: \"strnig\" is not one of \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"".to_string()
            )]
        );
    }

    #[test]
    fn what_stock_progenitor_takes_is_tolerated() {
        let lenient = doc(
            json!({"type": "integer", "const": 1, "exclusiveMinimum": 0, "x-note": {}}),
            json!({}),
        );
        assert_eq!(check(&lenient), []);
        let wrong_kind = doc(json!({"type": "object", "required": "id"}), json!({}));
        assert_eq!(check(&wrong_kind).len(), 1);
    }
}
