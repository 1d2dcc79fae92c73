//! Layer 3b: normalization passes between validating and progenitor.
//!
//! Real specs (BitGo's published `api.yaml`) use constructs that stop stock
//! progenitor 0.15 and typify 0.8 with a panic, an error, code that does not
//! compile, or silently wrong types. Each pass below rewrites one such
//! construct in the JSON form of the document, and records every change as
//! `<JSON pointer>: <what and why>` (`cargo xtask generate --explain`). What
//! cannot be repaired is dropped *and listed* (`--strict` makes that fatal).
//!
//! A spec that needs none of this (`openapi/bitgo.yaml`) passes through
//! unchanged, so its generated code does not depend on these passes.

mod names;
mod operations;
mod responses;
mod schemas;
#[cfg(test)]
mod tests;

use std::fmt;

use serde_json::Value;

use names::{component_names, inline_type_names, nullable_components, ref_encoding, schema_refs};
use operations::{
    method_keys, operation_ids, parameters, path_item_refs, path_parameters, request_bodies,
    security_schemes,
};
use responses::{inline_response_types, response_bodies, response_refs, response_schemas};
use schemas::{
    boolean_exclusive_bounds, composition_beside_type, field_names, float_as_double,
    invalid_defaults, misplaced_formats, open_tagged_one_of, overlapping_any_of, ref_siblings,
    required_alternatives, single_ref_allof, subsumed_one_of, type_only_declarations,
    typed_enum_values, typeless_constraints, unnameable_enums, untyped_items, vacuous_constraints,
};

/// One change a pass made, or one thing it dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Where, as a JSON pointer into the spec as written.
    pub pointer: String,
    /// The pass that made it.
    pub pass: &'static str,
    /// What was changed and why.
    pub message: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.pointer, self.message, self.pass)
    }
}

/// Everything the passes did to one spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Rewrites that keep the meaning for the generated code.
    pub changes: Vec<Change>,
    /// Operations, parameters or responses that could not be generated and
    /// were removed, with the reason.
    pub dropped: Vec<Change>,
    /// Response sets whose bodies were merged into one `oneOf` component:
    /// the client decodes each status as its own schema (see
    /// `generate::rewrites::decode_merged_by_status`).
    pub merged: Vec<MergedBodies>,
    /// Components renamed (`component-names`), as (name written, new name),
    /// so that a tool can follow a schema from the spec as written.
    pub renamed: Vec<(String, String)>,
}

/// One operation's success or error bodies, merged into `component`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedBodies {
    pub operation_id: String,
    /// The response set the bodies came from.
    pub set: crate::target::responses::Set,
    pub component: String,
    /// Each status and the component its body names, decoded apart and
    /// wrapped (`None`: an inline body, or, with `bodiless`, the nullable
    /// component read whole).
    pub statuses: Vec<(String, Option<String>)>,
    /// Success statuses without a body beside them (`component` is then
    /// nullable over the one body): each arrives as `None`.
    pub bodiless: Vec<String>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.dropped.is_empty()
    }
}

/// A pass: a name (shown in `--explain`) and a rewrite of the document.
pub struct Pass {
    pub name: &'static str,
    /// Whether stock progenitor fails without it, or it only rewrites.
    pub kind: Kind,
    /// What stock progenitor/typify does wrong without it.
    pub stock: &'static str,
    pub run: fn(&mut Value, &mut Log),
}

/// What a pass or an output rewrite is, as `--explain` tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Stock progenitor/typify would fail, panic, blow up, or generate wrong
    /// or non-compiling code here.
    Repair,
    /// A documented change to what stock would generate correctly.
    Rewrite,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Repair => "repair",
            Kind::Rewrite => "rewrite",
        }
    }
}

/// The kind of the pass named `name`.
pub fn kind_of(name: &str) -> Option<Kind> {
    PASSES.iter().find(|p| p.name == name).map(|p| p.kind)
}

/// Collects one pass's changes.
pub struct Log<'a> {
    pass: &'static str,
    report: &'a mut Report,
}

impl Log<'_> {
    pub(crate) fn change(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.report.changes.push(Change {
            pointer: pointer.into(),
            pass: self.pass,
            message: message.into(),
        });
    }

    pub(crate) fn drop(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.report.dropped.push(Change {
            pointer: pointer.into(),
            pass: self.pass,
            message: message.into(),
        });
    }
}

/// The passes, in the order they run. Later passes rely on earlier ones:
/// every pass that names things after an operation sees its `operationId`;
/// request/parameter/response passes see compositions already repaired, and
/// type names are de-duplicated last, after hoisting added components.
pub const PASSES: &[Pass] = &[
    Pass {
        name: "ref-encoding",
        kind: Kind::Repair,
        stock: "typify looks a percent-encoded `$ref` (`#/components/schemas/Pet%20Owner`, as a URI fragment may write it) up as written and panics",
        run: ref_encoding,
    },
    Pass {
        name: "security-schemes",
        kind: Kind::Rewrite,
        stock: "progenitor ignores security requirements; one naming a scheme no `components.securitySchemes` defines (Ory Kratos' `sessionToken`), which OpenAPI forbids, is dropped and listed instead of refusing the document (the client is stock's)",
        run: security_schemes,
    },
    Pass {
        name: "method-keys",
        kind: Kind::Rewrite,
        stock: "openapiv3 ignores a path item key such as `GET` (the fields are case-sensitive; methods are lowercase) without a word, so the operation under it is missing from the client unsaid: it is dropped and listed (the client is stock's)",
        run: method_keys,
    },
    Pass {
        name: "path-item-refs",
        kind: Kind::Repair,
        stock: "progenitor refuses a document with a path item given as a `$ref`, which OpenAPI allows",
        run: path_item_refs,
    },
    Pass {
        name: "operation-ids",
        kind: Kind::Repair,
        stock: "progenitor refuses a document with an operation without an `operationId`, which OpenAPI allows",
        run: operation_ids,
    },
    Pass {
        name: "path-parameters",
        kind: Kind::Repair,
        stock: "progenitor panics on a path template expression that no path parameter declares, and on a path parameter the template lacks beside another path parameter (alone, it takes an argument it never sends); OpenAPI requires each to have the other",
        run: path_parameters,
    },
    Pass {
        name: "schema-refs",
        kind: Kind::Repair,
        stock: "typify takes `$ref`s to component schemas only, and progenitor panics on a reference to a schema elsewhere (one inside `paths`, as bundlers write them)",
        run: schema_refs,
    },
    Pass {
        name: "required-alternatives",
        kind: Kind::Repair,
        stock: "typify reads an `anyOf` of `required` lists beside an object's properties as exclusive variants, each leaving out what another list requires: a body with both loses it silently",
        run: required_alternatives,
    },
    Pass {
        name: "composition-beside-type",
        kind: Kind::Repair,
        stock: "openapiv3 reads `type: object` beside a composition as a plain object: the composition is silently lost",
        run: composition_beside_type,
    },
    Pass {
        name: "ref-siblings",
        kind: Kind::Rewrite,
        stock: "keywords beside `$ref` are ignored by OpenAPI 3.0 and by stock alike; dropping them only says so",
        run: ref_siblings,
    },
    Pass {
        name: "type-only-declarations",
        kind: Kind::Repair,
        stock: "typify merges a property's declarations across `allOf` branches member by member; one that only names types against a union of those types takes exponential time and memory (Cloudflare's response envelope `result: {anyOf: [{type: object}, {type: string}]}` beside each operation's union of results: past 4 GB)",
        run: type_only_declarations,
    },
    Pass {
        name: "single-ref-allof",
        kind: Kind::Repair,
        stock: "typify's `allOf` merge of a property declared twice as a wrapped union takes exponential time",
        run: single_ref_allof,
    },
    Pass {
        name: "boolean-exclusive-bounds",
        kind: Kind::Rewrite,
        stock: "OpenAPI 3.0's boolean bounds (and 3.1's numeric ones) written in the one form typify reads; the same types",
        run: boolean_exclusive_bounds,
    },
    Pass {
        name: "vacuous-constraints",
        kind: Kind::Repair,
        stock: "typify's check of `minLength: 0` makes rustc warn (`-D warnings` fails)",
        run: vacuous_constraints,
    },
    Pass {
        name: "float-as-double",
        kind: Kind::Repair,
        stock: "typify reads `format: float` as `f32`, which keeps 7 significant digits: a number a sender writes as a double (JSON has no other) comes back changed",
        run: float_as_double,
    },
    Pass {
        name: "typeless-constraints",
        kind: Kind::Repair,
        stock: "typify panics (\"invalid (or unexpected) schema\") on number bounds without a `type`, or on any type's keywords beside an `enum` without one, and with it on the whole document (Cloudflare's `page` parameters' `{default: 1, minimum: 1}`, `{enum: [block, …], maxLength: 12}`)",
        run: typeless_constraints,
    },
    Pass {
        name: "invalid-defaults",
        kind: Kind::Repair,
        stock: "typify refuses the whole document (\"value does not conform to the given schema\") for a `default` no value of its schema has (Elastic's `default: \"true\"` for a boolean-or-filter, `\"'strict'\"` for an enum of `strict`), and emits a default that panics when used for a date, date-time, UUID or IP address that is none (Cloudflare's `default: \"Now + 30 minutes\"`)",
        run: invalid_defaults,
    },
    Pass {
        name: "field-names",
        kind: Kind::Repair,
        stock: "typify names a property's field after its name alone, so two properties (Elastic's `_score` and `score`), or a declared property and a `required` name no property declares (Xero's `required: [id]` beside `Id`, for which typify adds a `serde_json::Value` field), make two fields of one name, which do not compile",
        run: field_names,
    },
    Pass {
        name: "misplaced-formats",
        kind: Kind::Repair,
        stock: "typify panics (\"invalid (or unexpected) schema\") on a `format` beside `type: object`, `array` or `boolean`, or on a schema without a type that it reads neither as a string's nor as a composition's (alone, beside an `enum`), though JSON Schema applies formats to strings and numbers only (Twilio's `{type: object, format: uri-map}`, Linode's `{type: array, format: ipv4}`)",
        run: misplaced_formats,
    },
    Pass {
        name: "untyped-items",
        kind: Kind::Repair,
        stock: "typify makes `items` without `type: array` a `Vec`, which refuses the strings and objects such a schema allows (JSON Schema applies `items` to arrays only): a valid body is an error",
        run: untyped_items,
    },
    Pass {
        name: "typed-enum-values",
        kind: Kind::Repair,
        stock: "typify refuses the whole document (\"unexpected value type\", \"value does not conform to the given schema\") for an enum listing a value of another type than its `type` (a `type: string` enum's unquoted YAML `4.1` or `true`), or a value twice",
        run: typed_enum_values,
    },
    Pass {
        name: "unnameable-enums",
        kind: Kind::Repair,
        stock: "typify panics: \"Failed to make unique variant names\"",
        run: unnameable_enums,
    },
    Pass {
        name: "subsumed-one-of",
        kind: Kind::Repair,
        stock: "typify reads a `oneOf` whose narrowest member's bodies fit every other member as variants minus each other: inside an `allOf` a type with no value that refuses every body, alone an untagged enum that reads a wider body as the narrowest (or, where no member requires more than another, as the first that takes it) and drops the rest",
        run: subsumed_one_of,
    },
    Pass {
        name: "open-tagged-one-of",
        kind: Kind::Repair,
        stock: "typify makes a `oneOf` of one-property objects an externally tagged enum even when the members allow other properties, and serde's tagging refuses a valid body with any other property",
        run: open_tagged_one_of,
    },
    Pass {
        name: "overlapping-any-of",
        kind: Kind::Repair,
        stock: "typify judges `anyOf` objects exclusive when one requires a property the other does not list, though neither forbids more: its untagged enum reads a body valid for two members as the first and drops the rest",
        run: overlapping_any_of,
    },
    Pass {
        name: "request-bodies",
        kind: Kind::Repair,
        stock: "progenitor panics on several request media types, cannot send multipart, and refuses the document for a body without a schema or an octet-stream or text body whose schema is not exactly `{type: string, format: binary}` or `{type: string}` (Cloudflare's `{type: string}` upload); it panics on an `encoding` beside a JSON body, where OpenAPI gives it no meaning, and beside a form body (Stripe gives every body one), which it sends flat whatever the encoding says",
        run: request_bodies,
    },
    Pass {
        name: "parameters",
        kind: Kind::Repair,
        stock: "progenitor asserts on object query parameters, hits `unreachable!` on optional `anyOf` ones, refuses the whole document for a `deepObject` query parameter (Stripe's `expand`), and cannot format a path value without `Display`",
        run: parameters,
    },
    Pass {
        name: "response-refs",
        kind: Kind::Repair,
        stock: "progenitor looks every response `$ref` up in `components/responses` and panics (\"key ... is missing\") on one to elsewhere (PagerDuty's responses refer to `components/requestBodies`)",
        run: response_refs,
    },
    Pass {
        name: "response-schemas",
        kind: Kind::Repair,
        stock: "progenitor hits `todo!` on a JSON response without a schema",
        run: response_schemas,
    },
    Pass {
        name: "inline-response-types",
        kind: Kind::Repair,
        stock: "progenitor names two inline response types alike and typify silently reuses the first",
        run: inline_response_types,
    },
    Pass {
        name: "response-bodies",
        kind: Kind::Repair,
        stock: "progenitor asserts one body kind per response set",
        run: response_bodies,
    },
    Pass {
        name: "nullable-components",
        kind: Kind::Repair,
        stock: "typify names a nullable component's `Option` newtype and the type inside it alike (a nullable composition, or a typed enum listing `null` without `nullable`): two types of one name, which do not compile",
        run: nullable_components,
    },
    Pass {
        name: "component-names",
        kind: Kind::Repair,
        stock: "two types of one Rust name do not compile",
        run: component_names,
    },
    Pass {
        name: "inline-type-names",
        kind: Kind::Repair,
        stock: "a title naming an existing type makes two types of one name",
        run: inline_type_names,
    },
];

/// Runs every pass over `doc`, in order, but those named in `skipped`
/// (for finding which pass changed a type, and for reproducing what
/// progenitor does without one).
pub fn normalize(doc: &mut Value, skipped: &[String]) -> Report {
    let mut report = Report::default();
    for pass in PASSES
        .iter()
        .filter(|p| !skipped.iter().any(|s| s == p.name))
    {
        run_pass(pass, doc, &mut report);
    }
    report
}

/// Runs one pass; for the unit tests of each pass.
pub fn run_pass(pass: &Pass, doc: &mut Value, report: &mut Report) {
    let mut log = Log {
        pass: pass.name,
        report,
    };
    (pass.run)(doc, &mut log);
}

// ---------------------------------------------------------------- walking
