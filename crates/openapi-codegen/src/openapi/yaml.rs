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
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|e| {
        let location = e
            .location()
            .map(|l| format!("line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        (
            location,
            format!("invalid YAML: {}", strip_location(&e.to_string())),
        )
    })?;
    if yaml.is_null() {
        return Err((String::new(), "the document is empty".to_string()));
    }
    convert(yaml, &mut Vec::new())
}

fn convert(yaml: serde_norway::Value, path: &mut Vec<String>) -> Result<Value, Problem> {
    use serde_norway::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| (pointer::of(path), format!("{f} is not a JSON number")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                path.push(i.to_string());
                out.push(convert(item, path)?);
                path.pop();
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            pointer::of(path),
                            format!("mapping key {other:?} is not a string"),
                        ));
                    }
                };
                path.push(key.clone());
                let value = convert(value, path)?;
                path.pop();
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            return Err((
                pointer::of(path),
                format!("YAML tag {} is not supported", tagged.tag),
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
