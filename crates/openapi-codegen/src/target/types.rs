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

/// What a schema's constraints (`pattern`, length, value and item limits)
/// make of its Rust type, as typify 0.8 converts it. A change of them
/// changes the Rust type where this changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constrained {
    /// A string newtype that checks them when it is made and read
    /// (`convert_string`: any of `pattern`, `minLength`, `maxLength`, and no
    /// format typify gives a type of its own).
    CheckedString,
    /// This one of Rust's integer types (`convert_integer`: a format's type
    /// when the bounds fit it, `NonZeroU64` for `minimum: 1`, the type whose
    /// range the bounds are, else `i64`).
    Integer(&'static str),
    /// A fixed-size array of this length (`minItems == maxItems > 0`).
    FixedArray(u64),
    /// The constraints leave the type alone: typify checks them nowhere.
    Unchecked,
}

/// What the constraints of a schema, read through `keyword` (its own or
/// those its `allOf` members merge into it), make of its Rust type. A
/// schema of no `type` (nor `oneOf`/`anyOf`) is a string where it has
/// string constraints, an array where it has item limits (typify's
/// reading; both at once it refuses).
pub fn constrained<'a>(keyword: impl Fn(&str) -> Option<&'a Value>) -> Constrained {
    // An enum is a type of its values, whatever else constrains them.
    if keyword("enum").is_some() {
        return Constrained::Unchecked;
    }
    let number = |key: &str| keyword(key).and_then(Value::as_f64);
    let has = |keys: &[&str]| keys.iter().any(|key| keyword(key).is_some());
    // Without a `type`, typify takes string constraints for a string and
    // item limits for an array; value limits alone leave a `Value`.
    let declared = keyword("type").and_then(Value::as_str);
    let inferred = if has(&["oneOf", "anyOf"]) {
        // Its members' types decide.
        None
    } else if has(&["pattern", "minLength", "maxLength"]) {
        Some("string")
    } else if has(&["items", "minItems", "maxItems"]) {
        Some("array")
    } else {
        None
    };
    match declared.or(inferred) {
        Some("string") => {
            let native = matches!(
                keyword("format").and_then(Value::as_str),
                Some("uuid" | "date" | "date-time" | "ip" | "ipv4" | "ipv6")
            );
            if has(&["pattern", "minLength", "maxLength"]) && !native {
                Constrained::CheckedString
            } else {
                Constrained::Unchecked
            }
        }
        Some("integer") => {
            // OpenAPI 3.0's boolean `exclusiveMinimum` moves the bound by
            // one, as progenitor hands it to typify.
            let exclusive = |key: &str| keyword(key) == Some(&Value::Bool(true));
            let minimum = number("minimum").map(|m| {
                if exclusive("exclusiveMinimum") {
                    m + 1.0
                } else {
                    m
                }
            });
            let maximum = number("maximum").map(|m| {
                if exclusive("exclusiveMaximum") {
                    m - 1.0
                } else {
                    m
                }
            });
            Constrained::Integer(integer_type(
                keyword("format").and_then(Value::as_str),
                minimum,
                maximum,
                keyword("multipleOf").is_some(),
            ))
        }
        Some("array") => match (number("minItems"), number("maxItems")) {
            (Some(min), Some(max)) if min == max && max > 0.0 => {
                Constrained::FixedArray(max as u64)
            }
            _ => Constrained::Unchecked,
        },
        _ => Constrained::Unchecked,
    }
}

/// typify's `convert_integer`: the Rust type of an integer schema with
/// this format and these (inclusive) bounds.
fn integer_type(
    format: Option<&str>,
    mut min: Option<f64>,
    mut max: Option<f64>,
    multiple: bool,
) -> &'static str {
    // Ordered from most to least restrictive: format, type, its NonZero
    // type, its range.
    const FORMATS: [(&str, &str, &str, f64, f64); 10] = [
        (
            "int8",
            "i8",
            "::std::num::NonZeroU8",
            i8::MIN as f64,
            i8::MAX as f64,
        ),
        (
            "uint8",
            "u8",
            "::std::num::NonZeroU8",
            u8::MIN as f64,
            u8::MAX as f64,
        ),
        (
            "int16",
            "i16",
            "::std::num::NonZeroU16",
            i16::MIN as f64,
            i16::MAX as f64,
        ),
        (
            "uint16",
            "u16",
            "::std::num::NonZeroU16",
            u16::MIN as f64,
            u16::MAX as f64,
        ),
        (
            "int",
            "i32",
            "::std::num::NonZeroU32",
            i32::MIN as f64,
            i32::MAX as f64,
        ),
        (
            "int32",
            "i32",
            "::std::num::NonZeroU32",
            i32::MIN as f64,
            i32::MAX as f64,
        ),
        (
            "uint",
            "u32",
            "::std::num::NonZeroU32",
            u32::MIN as f64,
            u32::MAX as f64,
        ),
        (
            "uint32",
            "u32",
            "::std::num::NonZeroU32",
            u32::MIN as f64,
            u32::MAX as f64,
        ),
        (
            "int64",
            "i64",
            "::std::num::NonZeroU64",
            i64::MIN as f64,
            i64::MAX as f64,
        ),
        (
            "uint64",
            "u64",
            "::std::num::NonZeroU64",
            u64::MIN as f64,
            u64::MAX as f64,
        ),
    ];
    if let Some((_, ty, nonzero, lowest, highest)) =
        FORMATS.iter().find(|(name, ..)| Some(*name) == format)
    {
        let fits_min = min.is_none_or(|min| min >= *lowest);
        let fits_max = max.is_none_or(|max| max <= *highest);
        if !multiple && fits_min && fits_max {
            return if min == Some(1.0) { nonzero } else { ty };
        }
        min.get_or_insert(*lowest);
        max.get_or_insert(*highest);
    }
    let exact = |a: f64, b: f64| (a - b).abs() <= f64::EPSILON;
    let found = match (min, max) {
        (None, None) => None,
        (None, Some(max)) => FORMATS
            .iter()
            .rev()
            .find(|(.., highest)| exact(*highest, max))
            .map(|(_, ty, ..)| *ty),
        (Some(min), max) => FORMATS
            .iter()
            .rev()
            .find_map(|(_, ty, nonzero, lowest, highest)| {
                if min == 1.0 {
                    Some(*nonzero)
                } else if exact(*lowest, min) && max.is_none_or(|max| exact(*highest, max)) {
                    Some(*ty)
                } else {
                    None
                }
            }),
    };
    found.unwrap_or("i64")
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

/// The format of a `type: string` schema that typify makes a Rust type of
/// other than `String` (`DateTime`, `NaiveDate`, `Uuid`, an IP address)
/// when `value`, its default, is no such value. typify does not check these
/// defaults: it emits `serde_json::from_str(..).unwrap()`, which panics
/// when the default is used (Cloudflare's `expiry: {format: date-time,
/// default: "Now + 30 minutes"}`).
pub fn native_default_fails(schema: &Map<String, Value>, value: &Value) -> Option<&'static str> {
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        return None;
    }
    let text = value.as_str()?;
    let (format, parses) = match schema.get("format").and_then(Value::as_str)? {
        "date-time" => ("date-time", is_rfc3339_date_time(text)),
        "date" => ("date", is_date(text)),
        "uuid" => ("uuid", is_uuid(text)),
        "ip" => ("ip", text.parse::<std::net::IpAddr>().is_ok()),
        "ipv4" => ("ipv4", text.parse::<std::net::Ipv4Addr>().is_ok()),
        "ipv6" => ("ipv6", text.parse::<std::net::Ipv6Addr>().is_ok()),
        _ => return None,
    };
    (!parses).then_some(format)
}

/// `YYYY-MM-DD` with a month and day in range.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let number =
        |r: std::ops::Range<usize>| text.get(r).and_then(|t| t.parse::<u32>().ok()).unwrap_or(0);
    b.len() == 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && (1..=12).contains(&number(5..7))
        && (1..=31).contains(&number(8..10))
}

/// RFC 3339's `date-time` (`2021-01-02T02:20:00Z`, fractions and offsets),
/// as chrono reads one.
fn is_rfc3339_date_time(text: &str) -> bool {
    let (Some(date), Some(rest)) = (text.get(..10), text.get(10..)) else {
        return false;
    };
    let mut rest = rest.chars();
    if !is_date(date) || !matches!(rest.next(), Some('T' | 't' | ' ')) {
        return false;
    }
    let rest = rest.as_str();
    let clock = |t: &str| {
        let b = t.as_bytes();
        b.len() == 8
            && b[2] == b':'
            && b[5] == b':'
            && [0, 1, 3, 4, 6, 7].iter().all(|&i| b[i].is_ascii_digit())
    };
    let Some(time) = rest.get(..8) else {
        return false;
    };
    let mut zone = &rest[8..];
    if let Some(fraction) = zone.strip_prefix('.') {
        let digits = fraction.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        zone = &fraction[digits..];
    }
    let offset = |z: &str| {
        let b = z.as_bytes();
        b.len() == 6
            && matches!(b[0], b'+' | b'-')
            && b[3] == b':'
            && [1, 2, 4, 5].iter().all(|&i| b[i].is_ascii_digit())
    };
    clock(time) && (zone == "Z" || zone == "z" || offset(zone))
}

/// A UUID as the `uuid` crate reads one: 32 hex digits, hyphenated
/// 8-4-4-4-12 or not, optionally braced or `urn:uuid:`-prefixed.
fn is_uuid(text: &str) -> bool {
    let inner = text
        .strip_prefix("urn:uuid:")
        .or_else(|| text.strip_prefix('{').and_then(|t| t.strip_suffix('}')))
        .unwrap_or(text);
    let hex = |t: &str| t.chars().all(|c| c.is_ascii_hexdigit());
    match inner.len() {
        32 => hex(inner),
        36 => {
            let groups: Vec<&str> = inner.split('-').collect();
            groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]) && groups.iter().all(|g| hex(g))
        }
        _ => false,
    }
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

    #[test]
    fn native_defaults_that_would_panic_are_told_apart() {
        use serde_json::json;
        let schema = |format: &str| {
            json!({"type": "string", "format": format})
                .as_object()
                .unwrap()
                .clone()
        };
        let fails =
            |format: &str, value: &str| native_default_fails(&schema(format), &json!(value));
        assert_eq!(fails("date-time", "Now + 30 minutes"), Some("date-time"));
        for ok in [
            "2021-01-02T02:20:00Z",
            "2021-01-02t02:20:00.123+01:00",
            "2021-01-02 02:20:00-05:30",
        ] {
            assert_eq!(fails("date-time", ok), None, "{ok}");
        }
        for bad in [
            "2021-01-02",
            "2021-13-02T02:20:00Z",
            "2021-01-02T02:20:00",
            "2021-01-02T02:20:00.Z",
        ] {
            assert_eq!(fails("date-time", bad), Some("date-time"), "{bad}");
        }
        assert_eq!(fails("date", "2021-01-02"), None);
        assert_eq!(fails("date", "today"), Some("date"));
        assert_eq!(fails("uuid", "00000000-0000-0000-0000-000000000000"), None);
        assert_eq!(fails("uuid", "0000000000000000000000000000000a"), None);
        assert_eq!(fails("uuid", "none"), Some("uuid"));
        assert_eq!(fails("ipv4", "0.0.0.0"), None);
        assert_eq!(fails("ipv4", "::1"), Some("ipv4"));
        assert_eq!(fails("ip", "::1"), None);
        assert_eq!(fails("email", "not checked"), None);
        let integer = json!({"type": "integer", "format": "date-time"});
        assert_eq!(
            native_default_fails(integer.as_object().unwrap(), &json!(1)),
            None
        );
    }
}
