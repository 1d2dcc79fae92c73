//! A JSON Schema draft 4 validator, as large as the OpenAPI 3.0 meta-schema
//! needs and no larger: the keywords it uses ([`KEYWORDS`]), local `$ref`s,
//! and the formats draft 4 asserts (`email`, `uri`, `regex`; others are
//! annotations, as in draft 4).
//!
//! It replaced the `jsonschema` crate here: that crate and what only it
//! needs were about 35 of the 200 CPU-seconds of a cold `cargo xtask
//! generate` on 2 cores, for one schema of fifteen keywords. Its error
//! kinds and messages are the ones `jsonschema` printed, so the generator's
//! errors read as before. Patterns are ECMA-262 regular expressions, as
//! JSON Schema says, compiled with `regress` (typify's engine: a pattern it
//! refuses would fail in the generated code too).

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::openapi::pointer::escape;

/// The keywords the validator knows. A schema with any other is refused
/// when the validator is built, so the meta-schema cannot silently use one
/// it ignores.
pub const KEYWORDS: &[&str] = &[
    // Annotations and identifiers.
    "$schema",
    "id",
    "description",
    "default",
    "definitions",
    // Assertions.
    "$ref",
    "type",
    "enum",
    "format",
    "pattern",
    "minimum",
    "exclusiveMinimum",
    "minItems",
    "uniqueItems",
    "items",
    "required",
    "properties",
    "patternProperties",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "allOf",
    "oneOf",
    "not",
];

/// A compiled schema: the document and its compiled patterns.
pub struct Validator {
    root: Value,
    patterns: HashMap<String, regress::Regex>,
}

/// One failed assertion, at `path` (a JSON pointer into the instance).
#[derive(Debug)]
pub struct Error<'a> {
    pub path: String,
    pub instance: &'a Value,
    pub kind: Kind<'a>,
}

#[derive(Debug)]
pub enum Kind<'a> {
    Type {
        expected: Vec<&'a str>,
    },
    Enum {
        options: &'a [Value],
    },
    Required {
        property: &'a Value,
    },
    AdditionalProperties {
        unexpected: Vec<&'a str>,
    },
    MinProperties {
        limit: u64,
    },
    MaxProperties {
        limit: u64,
    },
    MinItems {
        limit: u64,
    },
    UniqueItems,
    Minimum {
        limit: &'a Value,
        exclusive: bool,
    },
    Pattern {
        pattern: &'a str,
    },
    Format {
        format: &'a str,
    },
    Not {
        schema: &'a Value,
    },
    /// Valid under none of the branches; each branch's errors, in order.
    OneOfNotValid {
        context: Vec<Vec<Error<'a>>>,
    },
    OneOfMultipleValid,
}

/// Where a validation's errors go: kept, or only counted (then no error is
/// made: its path is a string per segment).
struct Found<'a> {
    errors: Vec<Error<'a>>,
    count: usize,
    keep: bool,
}

impl<'a> Found<'a> {
    fn kept() -> Self {
        Found {
            errors: Vec::new(),
            count: 0,
            keep: true,
        }
    }

    fn counted() -> Self {
        Found {
            keep: false,
            ..Found::kept()
        }
    }

    fn push(&mut self, make: impl FnOnce() -> Error<'a>) {
        self.count += 1;
        if self.keep {
            self.errors.push(make());
        }
    }
}

impl<'a> Error<'a> {
    /// An error at `path` (the instance's segments, unescaped).
    fn at(path: &[String], instance: &'a Value, kind: Kind<'a>) -> Error<'a> {
        Error {
            path: path.iter().map(|s| format!("/{}", escape(s))).collect(),
            instance,
            kind,
        }
    }
}

impl Validator {
    /// Compiles `root`, or says which keyword or pattern it cannot take.
    pub fn new(root: Value) -> Result<Validator, String> {
        let mut patterns = HashMap::new();
        compile(&root, "", &mut patterns)?;
        Ok(Validator { root, patterns })
    }

    /// Every error of `instance` against the root schema.
    pub fn errors<'a>(&'a self, instance: &'a Value) -> Vec<Error<'a>> {
        let mut out = Found::kept();
        self.validate(&self.root, instance, &mut Vec::new(), &mut out);
        out.errors
    }

    fn validate<'a>(
        &'a self,
        schema: &'a Value,
        instance: &'a Value,
        path: &mut Vec<String>,
        out: &mut Found<'a>,
    ) {
        let Some(schema) = schema.as_object() else {
            return;
        };
        let error = |path: &[String], kind| Error::at(path, instance, kind);
        if let Some(Value::String(reference)) = schema.get("$ref") {
            // Draft 4: `$ref` replaces its siblings.
            let target = self.resolve(reference);
            return self.validate(target, instance, path, out);
        }
        if let Some(expected) = schema.get("type") {
            let expected: Vec<&str> = match expected {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !expected.iter().any(|t| has_type(instance, t)) {
                out.push(|| error(path, Kind::Type { expected }));
            }
        }
        if let Some(Value::Array(options)) = schema.get("enum")
            && !options.iter().any(|o| equal(o, instance))
        {
            out.push(|| error(path, Kind::Enum { options }));
        }
        for key in ["allOf", "oneOf"] {
            let Some(Value::Array(branches)) = schema.get(key) else {
                continue;
            };
            if key == "allOf" {
                for branch in branches {
                    self.validate(branch, instance, path, out);
                }
                continue;
            }
            // Counted first: nearly always one branch holds (a schema or a
            // reference), and the others' errors are not wanted.
            let valid = branches
                .iter()
                .filter(|branch| self.is_valid(branch, instance, path))
                .count();
            match valid {
                1 => {}
                0 => out.push(|| {
                    let context = branches
                        .iter()
                        .map(|branch| {
                            let mut errors = Found::kept();
                            self.validate(branch, instance, path, &mut errors);
                            errors.errors
                        })
                        .collect();
                    error(path, Kind::OneOfNotValid { context })
                }),
                _ => out.push(|| error(path, Kind::OneOfMultipleValid)),
            }
        }
        if let Some(not) = schema.get("not")
            && self.is_valid(not, instance, path)
        {
            out.push(|| error(path, Kind::Not { schema: not }));
        }
        match instance {
            Value::Object(map) => self.object(schema, map, instance, path, out),
            Value::Array(items) => {
                if let Some(limit) = schema.get("minItems").and_then(Value::as_u64)
                    && (items.len() as u64) < limit
                {
                    out.push(|| error(path, Kind::MinItems { limit }));
                }
                if schema.get("uniqueItems") == Some(&Value::Bool(true))
                    && items
                        .iter()
                        .enumerate()
                        .any(|(i, a)| items[..i].iter().any(|b| equal(a, b)))
                {
                    out.push(|| error(path, Kind::UniqueItems));
                }
                if let Some(item) = schema.get("items") {
                    for (i, value) in items.iter().enumerate() {
                        path.push(i.to_string());
                        self.validate(item, value, path, out);
                        path.pop();
                    }
                }
            }
            Value::String(text) => {
                if let Some(Value::String(pattern)) = schema.get("pattern")
                    && self.patterns[pattern].find(text).is_none()
                {
                    out.push(|| error(path, Kind::Pattern { pattern }));
                }
                if let Some(Value::String(format)) = schema.get("format")
                    && !format_holds(format, text)
                {
                    out.push(|| error(path, Kind::Format { format }));
                }
            }
            Value::Number(n) => {
                if let Some(limit) = schema.get("minimum")
                    && let (Some(value), Some(bound)) = (n.as_f64(), limit.as_f64())
                {
                    let exclusive = schema.get("exclusiveMinimum") == Some(&Value::Bool(true));
                    if value < bound || (exclusive && value == bound) {
                        out.push(|| error(path, Kind::Minimum { limit, exclusive }));
                    }
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn object<'a>(
        &'a self,
        schema: &'a Map<String, Value>,
        map: &'a Map<String, Value>,
        instance: &'a Value,
        path: &mut Vec<String>,
        out: &mut Found<'a>,
    ) {
        let error = |path: &[String], kind| Error::at(path, instance, kind);
        if let Some(Value::Array(required)) = schema.get("required") {
            for property in required {
                if property.as_str().is_some_and(|p| !map.contains_key(p)) {
                    out.push(|| error(path, Kind::Required { property }));
                }
            }
        }
        let count = map.len() as u64;
        if let Some(limit) = schema.get("minProperties").and_then(Value::as_u64)
            && count < limit
        {
            out.push(|| error(path, Kind::MinProperties { limit }));
        }
        if let Some(limit) = schema.get("maxProperties").and_then(Value::as_u64)
            && count > limit
        {
            out.push(|| error(path, Kind::MaxProperties { limit }));
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        let patterns = schema.get("patternProperties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        let mut unexpected = Vec::new();
        for (name, value) in map {
            path.push(name.clone());
            let mut matched = false;
            if let Some(property) = properties.and_then(|p| p.get(name)) {
                matched = true;
                self.validate(property, value, path, out);
            }
            for (pattern, property) in patterns.into_iter().flatten() {
                if self.patterns[pattern].find(name).is_some() {
                    matched = true;
                    self.validate(property, value, path, out);
                }
            }
            path.pop();
            if matched {
                continue;
            }
            match additional {
                Some(Value::Bool(false)) => unexpected.push(name.as_str()),
                Some(schema @ Value::Object(_)) => {
                    path.push(name.clone());
                    self.validate(schema, value, path, out);
                    path.pop();
                }
                _ => {}
            }
        }
        if !unexpected.is_empty() {
            out.push(|| error(path, Kind::AdditionalProperties { unexpected }));
        }
    }

    fn is_valid(&self, schema: &Value, instance: &Value, path: &mut Vec<String>) -> bool {
        let mut found = Found::counted();
        self.validate(schema, instance, path, &mut found);
        found.count == 0
    }

    fn resolve(&self, reference: &str) -> &Value {
        let pointer = reference.strip_prefix('#').unwrap_or(reference);
        // `compile` checked that every reference resolves.
        self.root.pointer(pointer).unwrap_or(&Value::Null)
    }
}

/// Checks the keywords and references of `schema` (at `at` in the root),
/// compiling its patterns.
fn compile(
    schema: &Value,
    at: &str,
    patterns: &mut HashMap<String, regress::Regex>,
) -> Result<(), String> {
    fn regex(
        pattern: &str,
        at: &str,
        patterns: &mut HashMap<String, regress::Regex>,
    ) -> Result<(), String> {
        let compiled = regress::Regex::new(pattern)
            .map_err(|e| format!("{at}: pattern {pattern:?} does not compile: {e}"))?;
        patterns.insert(pattern.to_string(), compiled);
        Ok(())
    }
    let Some(map) = schema.as_object() else {
        return match schema {
            Value::Bool(_) => Ok(()),
            _ => Err(format!("{at}: a schema must be an object")),
        };
    };
    for (key, value) in map {
        let here = format!("{at}/{}", escape(key));
        match key.as_str() {
            "properties" | "patternProperties" | "definitions" => {
                for (name, schema) in value.as_object().into_iter().flatten() {
                    if key == "patternProperties" {
                        regex(name, &here, patterns)?;
                    }
                    compile(schema, &format!("{here}/{}", escape(name)), patterns)?;
                }
            }
            "allOf" | "oneOf" => {
                for (i, schema) in value.as_array().into_iter().flatten().enumerate() {
                    compile(schema, &format!("{here}/{i}"), patterns)?;
                }
            }
            "items" | "not" | "additionalProperties" => compile(value, &here, patterns)?,
            "pattern" => regex(value.as_str().unwrap_or_default(), &here, patterns)?,
            "$ref" => {
                let reference = value.as_str().unwrap_or_default();
                if !reference.starts_with("#/") {
                    return Err(format!("{here}: only local references are supported"));
                }
            }
            known if KEYWORDS.contains(&known) => {}
            unknown => return Err(format!("{here}: keyword {unknown:?} is not supported")),
        }
    }
    Ok(())
}

/// Draft 4's `type`: an integer is a number without a fractional part.
fn has_type(instance: &Value, expected: &str) -> bool {
    match expected {
        "object" => instance.is_object(),
        "array" => instance.is_array(),
        "string" => instance.is_string(),
        "boolean" => instance.is_boolean(),
        "null" => instance.is_null(),
        "number" => instance.is_number(),
        "integer" => {
            instance.is_i64()
                || instance.is_u64()
                || instance.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// JSON equality: numbers by value (`1` equals `1.0`), as JSON Schema's
/// `enum` and `uniqueItems` compare.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, a)| y.get(k).is_some_and(|b| equal(a, b)))
        }
        _ => a == b,
    }
}

/// The formats draft 4 asserts; any other format is an annotation.
fn format_holds(format: &str, text: &str) -> bool {
    match format {
        // RFC 5322's addr-spec, loosely: one `@` between a local part and a
        // domain, neither empty, no spaces.
        "email" => text.rsplit_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !text.chars().any(char::is_whitespace)
        }),
        // RFC 3986: an absolute URI starts with a scheme.
        "uri" => text.split_once(':').is_some_and(|(scheme, _)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        }),
        "regex" => regress::Regex::new(text).is_ok(),
        _ => true,
    }
}

/// The messages the `jsonschema` crate printed for the same errors.
impl fmt::Display for Error<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let instance = self.instance;
        let plural =
            |n: u64, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        match &self.kind {
            Kind::Type { expected } if expected.len() == 1 => {
                write!(f, r#"{instance} is not of type "{}""#, expected[0])
            }
            Kind::Type { expected } => {
                let quoted: Vec<String> = expected.iter().map(|t| format!("\"{t}\"")).collect();
                write!(f, "{instance} is not of types {}", quoted.join(", "))
            }
            Kind::Enum { options } => {
                let options: Vec<String> = options.iter().map(Value::to_string).collect();
                write!(f, "{instance} is not one of {}", options.join(", "))
            }
            Kind::Required { property } => write!(f, "{property} is a required property"),
            Kind::AdditionalProperties { unexpected } => {
                let quoted: Vec<String> = unexpected.iter().map(|p| format!("'{p}'")).collect();
                let verb = plural(unexpected.len() as u64, "was", "were");
                write!(
                    f,
                    "Additional properties are not allowed ({} {verb} unexpected)",
                    quoted.join(", ")
                )
            }
            Kind::MinProperties { limit } => write!(
                f,
                "{instance} has less than {limit} propert{}",
                plural(*limit, "y", "ies")
            ),
            Kind::MaxProperties { limit } => write!(
                f,
                "{instance} has more than {limit} propert{}",
                plural(*limit, "y", "ies")
            ),
            Kind::MinItems { limit } => write!(
                f,
                "{instance} has less than {limit} item{}",
                plural(*limit, "", "s")
            ),
            Kind::UniqueItems => write!(f, "{instance} has non-unique elements"),
            Kind::Minimum {
                limit,
                exclusive: false,
            } => write!(f, "{instance} is less than the minimum of {limit}"),
            Kind::Minimum {
                limit,
                exclusive: true,
            } => write!(
                f,
                "{instance} is less than or equal to the minimum of {limit}"
            ),
            Kind::Pattern { pattern } => write!(f, r#"{instance} does not match "{pattern}""#),
            Kind::Format { format } => write!(f, r#"{instance} is not a "{format}""#),
            Kind::Not { schema } => write!(f, "{schema} is not allowed for {instance}"),
            Kind::OneOfNotValid { .. } => write!(
                f,
                "{instance} is not valid under any of the schemas listed in the 'oneOf' keyword"
            ),
            Kind::OneOfMultipleValid => write!(
                f,
                "{instance} is valid under more than one of the schemas listed in the 'oneOf' keyword"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{Kind, Validator};

    fn messages(schema: Value, instance: Value) -> Vec<(String, String)> {
        let validator = Validator::new(schema).unwrap();
        validator
            .errors(&instance)
            .iter()
            .map(|e| (e.path.clone(), e.to_string()))
            .collect()
    }

    #[test]
    fn the_meta_schema_uses_only_known_keywords() {
        let schema: Value = serde_json::from_str(super::super::schema::META_SCHEMA).unwrap();
        Validator::new(schema).unwrap();
    }

    #[test]
    fn an_unknown_keyword_or_bad_pattern_is_refused_when_compiling() {
        let unknown = Validator::new(json!({"properties": {"a": {"maxLength": 3}}}));
        assert_eq!(
            unknown.err().unwrap(),
            "/properties/a/maxLength: keyword \"maxLength\" is not supported"
        );
        assert!(Validator::new(json!({"pattern": "("})).is_err());
        assert!(Validator::new(json!({"$ref": "other.json#/a"})).is_err());
    }

    #[test]
    fn objects_properties_and_references() {
        let schema = json!({
            "definitions": {"S": {"type": "string"}},
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"$ref": "#/definitions/S"}},
            "patternProperties": {"^x-": {}},
            "additionalProperties": false,
            "minProperties": 1,
        });
        assert_eq!(messages(schema.clone(), json!({"a": "s", "x-y": 1})), []);
        assert_eq!(
            messages(schema.clone(), json!({"a": 1, "b/c": 2, "d": 3})),
            [
                ("/a".into(), r#"1 is not of type "string""#.into()),
                (
                    "".into(),
                    "Additional properties are not allowed ('b/c', 'd' were unexpected)".into()
                ),
            ]
        );
        assert_eq!(
            messages(schema, json!({})),
            [
                ("".into(), "\"a\" is a required property".into()),
                ("".into(), "{} has less than 1 property".into()),
            ]
        );
        // Pointer escaping of the instance path.
        let nested = json!({"additionalProperties": {"type": "integer"}});
        assert_eq!(
            messages(nested, json!({"a/b~": "x"})),
            [("/a~1b~0".into(), r#""x" is not of type "integer""#.into())]
        );
    }

    #[test]
    fn one_of_keeps_each_branchs_errors() {
        let schema =
            json!({"oneOf": [{"type": "string"}, {"type": "object", "required": ["$ref"]}]});
        let validator = Validator::new(schema).unwrap();
        assert!(validator.errors(&json!("s")).is_empty());
        assert!(validator.errors(&json!({"$ref": "#/x"})).is_empty());
        let empty = json!({});
        let errors = validator.errors(&empty);
        let [error] = errors.as_slice() else {
            panic!("{errors:?}")
        };
        let Kind::OneOfNotValid { context } = &error.kind else {
            panic!("{error:?}")
        };
        let context: Vec<Vec<String>> = context
            .iter()
            .map(|branch| branch.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(
            context,
            [
                vec![r#"{} is not of type "string""#],
                vec![r#""$ref" is a required property"#]
            ]
        );
        let both = Validator::new(json!({"oneOf": [{}, {"type": "string"}]})).unwrap();
        assert_eq!(
            both.errors(&json!("s"))[0].to_string(),
            "\"s\" is valid under more than one of the schemas listed in the 'oneOf' keyword"
        );
    }

    #[test]
    fn scalars_arrays_and_formats() {
        let number = json!({"type": "number", "minimum": 0, "exclusiveMinimum": true});
        assert_eq!(
            messages(number.clone(), json!(0)),
            [(
                "".into(),
                "0 is less than or equal to the minimum of 0".into()
            )]
        );
        assert_eq!(messages(number, json!(0.5)), []);
        assert_eq!(messages(json!({"type": "integer"}), json!(2.0)), []);
        let array =
            json!({"type": "array", "minItems": 1, "uniqueItems": true, "items": {"enum": [1, 2]}});
        assert_eq!(
            messages(array.clone(), json!([1, 1.0, 3])),
            [
                ("".into(), "[1,1.0,3] has non-unique elements".into()),
                ("/2".into(), "3 is not one of 1, 2".into()),
            ]
        );
        assert_eq!(
            messages(array, json!([])),
            [("".into(), "[] has less than 1 item".into())]
        );
        let strings = json!({"properties": {
            "p": {"pattern": "^[1-5](?:\\d{2}|XX)$"},
            "e": {"format": "email"},
            "u": {"format": "uri"},
            "r": {"format": "regex"},
            "ref": {"format": "uri-reference"},
        }});
        let good = json!({"p": "2XX", "e": "a@b.c", "u": "https://x", "r": "^a(?=b)", "ref": "not checked in draft 4"});
        assert_eq!(messages(strings.clone(), good), []);
        let bad = json!({"p": "600", "e": "a.b", "u": "/relative", "r": "(", "ref": " "});
        assert_eq!(
            messages(strings, bad),
            [
                ("/e".into(), r#""a.b" is not a "email""#.into()),
                (
                    "/p".into(),
                    r#""600" does not match "^[1-5](?:\d{2}|XX)$""#.into()
                ),
                ("/r".into(), r#""(" is not a "regex""#.into()),
                ("/u".into(), r#""/relative" is not a "uri""#.into()),
            ]
        );
        let not = json!({"not": {"required": ["a"]}});
        assert_eq!(
            messages(not, json!({"a": 1})),
            [(
                "".into(),
                r#"{"required":["a"]} is not allowed for {"a":1}"#.into()
            )]
        );
    }
}
