//! Reading a spec: YAML (or JSON, a subset of YAML) text to JSON values.

use serde_json::Value;

use super::pointer;

/// A problem: where (`line L column C` or a pointer) and what.
pub type Problem = (String, String);

/// YAML text to JSON. Mapping keys that YAML reads as numbers or booleans
/// (`200:` for a status code) become strings, as in the JSON form of OpenAPI.
///
/// A document that starts with `{` is read as JSON first: JSON is YAML's
/// subset but for escapes YAML refuses (a surrogate pair, `"\ud83d\udc4d"`
/// for 👍, in Twilio's `twilio_api_v2010.json`), and a JSON parser reads it
/// several times faster. A flow-style YAML document (`{openapi: 3.0.3}`) is
/// no JSON and goes on to the YAML parser; where neither reads it, JSON's
/// error is the one shown.
pub fn to_json(text: &str) -> Result<Value, Problem> {
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        let json_error = match serde_json::from_str::<Value>(text) {
            Ok(json) => return Ok(json),
            Err(e) => (
                format!("line {} column {}", e.line(), e.column()),
                format!("invalid JSON: {}", strip_location(&e.to_string())),
            ),
        };
        return from_yaml(text).map_err(|_| json_error);
    }
    from_yaml(text)
}

/// A parser's message without the " at line L column C" it appends (the
/// location is said already).
fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
        Some(at) => &message[..at],
        None => message,
    }
}

fn from_yaml(text: &str) -> Result<Value, Problem> {
    let yaml: Yaml = serde_norway::from_str(text).map_err(|e| {
        let location = e
            .location()
            .map(|l| format!("line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        (
            location,
            format!("invalid YAML: {}", strip_location(&e.to_string())),
        )
    })?;
    if matches!(yaml, Yaml::Null) {
        return Err((String::new(), "the document is empty".to_string()));
    }
    convert(yaml)
}

/// A YAML value as read, before it is JSON. Not `serde_norway::Value`: that
/// refuses an integer beyond 64 bits (DigitalOcean's `maximum:
/// 18446744073709552000`, 2^64 as JavaScript prints it), which this keeps.
enum Yaml {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    String(String),
    Sequence(Vec<Yaml>),
    Mapping(Vec<(Yaml, Yaml)>),
    Tagged(String),
}

impl<'de> serde::Deserialize<'de> for Yaml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = Yaml;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_none<E>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Yaml, D::Error> {
        serde::Deserialize::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Yaml, E> {
        Ok(Yaml::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Yaml, E> {
        Ok(Yaml::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Yaml, E> {
        Ok(Yaml::Int(v))
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Yaml, E> {
        Ok(i128::try_from(v).map_or(Yaml::Float(v as f64), Yaml::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Yaml, E> {
        Ok(Yaml::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Yaml, E> {
        Ok(Yaml::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Yaml, E> {
        Ok(Yaml::String(v))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Yaml, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Yaml::Sequence(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Yaml, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Yaml::Mapping(entries))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Yaml, A::Error> {
        use serde::de::VariantAccess;
        let (tag, variant): (String, _) = data.variant()?;
        let _: Yaml = variant.newtype_variant()?;
        Ok(Yaml::Tagged(tag))
    }
}

/// Where a conversion failed, innermost segment first (each level adds its
/// own as the error goes up), and why: the path is only made on failure
/// (a string per key and index, made and dropped, was a third of the
/// conversion's instructions).
type Failure = (Vec<String>, String);

/// [`convert_at`], its failure located by a pointer.
fn convert(yaml: Yaml) -> Result<Value, Problem> {
    convert_at(yaml).map_err(|(mut path, message)| {
        path.reverse();
        (pointer::of(&path), message)
    })
}

/// A failure within `segment`: the segment added to its path.
fn within(segment: impl FnOnce() -> String) -> impl FnOnce(Failure) -> Failure {
    move |(mut path, message)| {
        path.push(segment());
        (path, message)
    }
}

fn convert_at(yaml: Yaml) -> Result<Value, Failure> {
    let number = |f: f64| {
        serde_json::Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| (Vec::new(), format!("{f} is not a JSON number")))
    };
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Int(i) => match (i64::try_from(i), u64::try_from(i)) {
            (Ok(i), _) => Value::from(i),
            (_, Ok(u)) => Value::from(u),
            // Beyond 64 bits: the nearest double, as JSON readers take it.
            _ => number(i as f64)?,
        },
        Yaml::Float(f) => number(f)?,
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                out.push(convert_at(item).map_err(within(|| i.to_string()))?);
            }
            Value::Array(out)
        }
        Yaml::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Int(i) => i.to_string(),
                    Yaml::Float(f) => serde_json::Number::from_f64(f)
                        .map_or_else(|| f.to_string(), |n| n.to_string()),
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Null => "null".to_string(),
                    _ => return Err((Vec::new(), "a mapping key is not a string".to_string())),
                };
                match out.entry(key) {
                    serde_json::map::Entry::Occupied(twice) => {
                        return Err((
                            Vec::new(),
                            format!("mapping key {:?} is written twice", twice.key()),
                        ));
                    }
                    serde_json::map::Entry::Vacant(place) => {
                        let value = convert_at(value).map_err(within(|| place.key().clone()))?;
                        place.insert(value);
                    }
                }
            }
            Value::Object(out)
        }
        Yaml::Tagged(tag) => {
            return Err((
                Vec::new(),
                format!("YAML tag !{} is not supported", tag.trim_start_matches('!')),
            ));
        }
    })
}

/// Lower-case hex SHA-256, recorded in each generated file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys_become_strings_and_errors_have_a_line() {
        let json = to_json("responses:\n  200: {description: ok}\n  true: x\n").unwrap();
        assert_eq!(json["responses"]["200"]["description"], "ok");
        assert_eq!(json["responses"]["true"], "x");
        let (location, message) = to_json("a: [unclosed\n").unwrap_err();
        assert_eq!(location, "line 2 column 1");
        assert!(message.starts_with("invalid YAML: "), "{message}");
        assert_eq!(to_json("").unwrap_err().1, "the document is empty");
    }

    #[test]
    fn integers_beyond_64_bits_are_the_nearest_double_and_keys_are_unique() {
        let json = to_json("maximum: 18446744073709552000\nminimum: -170141183460469231731687303715884105728\nsmall: -3\n").unwrap();
        assert_eq!(json["maximum"].as_f64(), Some(18446744073709552000.0));
        assert_eq!(json["minimum"].as_f64(), Some(-1.7014118346046923e38));
        assert_eq!(json["small"], -3);
        let (at, message) = to_json("paths:\n  /a: 1\n  /a: 2\n").unwrap_err();
        assert_eq!(
            (at.as_str(), message.as_str()),
            ("/paths", "mapping key \"/a\" is written twice")
        );
        let (at, message) = to_json("a: !custom 1\n").unwrap_err();
        assert_eq!(
            (at.as_str(), message.as_str()),
            ("/a", "YAML tag !custom is not supported")
        );
    }

    /// A failure deep inside is located by the keys and indices above it,
    /// outermost first, escaped as a pointer.
    #[test]
    fn a_deep_failure_names_the_path_to_it() {
        let text = "paths:\n  /pets/{id}:\n    get:\n      tags: [a, b, !custom c]\n";
        let (at, message) = to_json(text).unwrap_err();
        assert_eq!(
            (at.as_str(), message.as_str()),
            (
                "/paths/~1pets~1{id}/get/tags/2",
                "YAML tag !custom is not supported"
            )
        );
        let (at, _) = to_json("a:\n  - x: 1\n  - y: 1\n    y: 2\n").unwrap_err();
        assert_eq!(at, "/a/1");
    }

    #[test]
    fn json_is_read_as_json_and_flow_yaml_as_yaml() {
        // A surrogate pair: valid JSON, an error for YAML's parser.
        let json = to_json("{\"body\": \"Hello! \\ud83d\\udc4d\", \"n\": 200}").unwrap();
        assert_eq!(json["body"], "Hello! \u{1f44d}");
        assert_eq!(json["n"], 200);
        assert!(from_yaml("{\"body\": \"\\ud83d\\udc4d\"}").is_err());
        let flow = to_json("{openapi: 3.0.3, paths: {}}").unwrap();
        assert_eq!(flow["openapi"], "3.0.3");
        let (location, message) = to_json("{\n  \"a\": [1,\n}").unwrap_err();
        assert_eq!(location, "line 3 column 1");
        assert!(message.starts_with("invalid JSON: "), "{message}");
    }
}
