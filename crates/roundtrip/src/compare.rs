//! What a round trip may change, and only that. A body read by the
//! generated models and written back may differ from what was sent in
//! these documented ways (README, "What a round trip keeps"):
//!
//! - a property the schema does not declare is dropped (`undeclared-dropped`);
//! - `null` in an optional property is omitted (`null-omitted`);
//! - an empty array or object in an optional property is omitted (`empty-omitted`);
//! - an absent property with a `default` comes back with it (`default-filled`);
//! - a date-time comes back as the same instant in UTC (`date-time-in-utc`);
//! - a whole number in a `number` property comes back as a float (`1` → `1.0`).
//!
//! Anything else is a [`Difference`]: a declared property dropped, a value
//! or a number changed, a property added.

use openapi_codegen::openapi::pointer::join;
use openapi_codegen::openapi::resolve::resolve_at;
use serde_json::Value;

use crate::instances::Judge;
use crate::instances::oracle::Oracle;
use openapi_codegen::openapi::view::{ObjectView, default_of, format_of, list, type_of};
use openapi_codegen::validate::draft4::equal as json_equal;

/// One way a round trip lost or changed data.
#[derive(Debug, Clone, PartialEq)]
pub enum Difference {
    /// A declared property (or a map entry) is missing after the round trip.
    Dropped(String),
    /// A value came back different.
    Changed {
        pointer: String,
        sent: Value,
        back: Value,
    },
    /// A property appeared that was not sent and is no default.
    Added(String),
}

impl Difference {
    pub fn kind(&self) -> &'static str {
        match self {
            Difference::Dropped(_) => "dropped",
            Difference::Changed { sent, back, .. } if sent.is_number() && back.is_number() => {
                "number-changed"
            }
            Difference::Changed { .. } => "changed",
            Difference::Added(_) => "added",
        }
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Dropped(p) => write!(f, "{p}: dropped"),
            Difference::Changed {
                pointer,
                sent,
                back,
            } => write!(f, "{pointer}: sent {sent}, came back {back}"),
            Difference::Added(p) => write!(f, "{p}: added"),
        }
    }
}

/// The differences between `sent` and `back` (what the models wrote after
/// reading `sent`) that the schema at `at` does not allow. Of a `oneOf` or
/// `anyOf`, the properties declared by the members `sent` matches (as the
/// oracle judges, strictly or as the models read the schema: `judge`, as
/// `sent` was judged) count as declared.
pub fn compare(
    doc: &Value,
    oracle: &Oracle,
    at: &str,
    sent: &Value,
    back: &Value,
    judge: Judge,
) -> Vec<Difference> {
    let mut out = Vec::new();
    let schemas: Vec<(String, &Value)> = doc
        .pointer(at)
        .map(|s| (at.to_string(), s))
        .into_iter()
        .collect();
    let walker = Walker { doc, oracle, judge };
    walker.walk(&schemas, sent, back, "", &mut out);
    out
}

struct Walker<'a> {
    doc: &'a Value,
    oracle: &'a Oracle,
    judge: Judge,
}

/// Every schema that applies at one place: a property declared in several
/// `allOf` members has all their declarations.
type Schemas<'a> = [(String, &'a Value)];

impl<'a> Walker<'a> {
    /// The properties all `schemas` declare, one view.
    fn view(&self, schemas: &Schemas<'a>, keep: &mut dyn FnMut(&str) -> bool) -> ObjectView<'a> {
        let mut merged = ObjectView::default();
        for (at, schema) in schemas {
            let view = ObjectView::with_members(self.doc, at, schema, keep);
            for (key, declarations) in view.properties {
                merged
                    .properties
                    .entry(key)
                    .or_default()
                    .extend(declarations);
            }
            merged.required.extend(view.required);
            if merged.additional.is_none() {
                merged.additional = view.additional;
            }
        }
        merged
    }

    fn walk(
        &self,
        schemas: &Schemas<'a>,
        sent: &Value,
        back: &Value,
        pointer: &str,
        out: &mut Vec<Difference>,
    ) {
        let doc = self.doc;
        let changed = |out: &mut Vec<Difference>| {
            out.push(Difference::Changed {
                pointer: pointer.to_string(),
                sent: sent.clone(),
                back: back.clone(),
            })
        };
        match (sent, back) {
            (Value::Object(sent_map), Value::Object(back_map)) => {
                if schemas.is_empty() {
                    return exact(sent, back, pointer, out);
                }
                let view = self.view(schemas, &mut |member| {
                    self.oracle.is_valid_at_judged(member, sent, self.judge) != Some(false)
                });
                // What the models may have read by a member the oracle says
                // `sent` does not match (typify does not check `oneOf`'s
                // exclusivity) is compared by that member's schema.
                let any_member = self.view(schemas, &mut |_| true);
                let additional: Vec<(String, &Value)> = match &view.additional {
                    Some((p, s @ Value::Object(_))) => vec![(p.clone(), *s)],
                    _ => Vec::new(),
                };
                let free_form = view.properties.is_empty() && view.additional.is_none();
                for (key, value) in sent_map {
                    let at = join(pointer, key);
                    let child = view
                        .properties
                        .get(key)
                        .cloned()
                        .unwrap_or_else(|| additional.clone());
                    match back_map.get(key) {
                        Some(b) => {
                            let by_other_member =
                                || any_member.properties.get(key).cloned().unwrap_or_default();
                            let schemas = if child.is_empty() {
                                by_other_member()
                            } else {
                                child
                            };
                            self.walk(&schemas, value, b, &at, out)
                        }
                        None => {
                            let optional = !view.required.contains(key);
                            let empty = matches!(value, Value::Array(a) if a.is_empty())
                                || matches!(value, Value::Object(o) if o.is_empty());
                            let allowed = (child.is_empty() && !free_form)
                                || (optional && (value.is_null() || empty));
                            if !allowed {
                                out.push(Difference::Dropped(at));
                            }
                        }
                    }
                }
                for (key, b) in back_map {
                    if sent_map.contains_key(key) {
                        continue;
                    }
                    // The default of a member that declares it (members of
                    // an `anyOf` the body fits may each name their own:
                    // BitGo's `STXStakingOptions.functionArgs`). A whole
                    // default comes back as a float in a `number`.
                    let is_default = any_member.properties.get(key).is_some_and(|s| {
                        s.iter()
                            .any(|(_, s)| default_of(doc, s).is_some_and(|d| json_equal(d, b)))
                    });
                    if !is_default {
                        out.push(Difference::Added(join(pointer, key)));
                    }
                }
            }
            (Value::Array(sent_items), Value::Array(back_items)) => {
                if sent_items.len() != back_items.len() {
                    return changed(out);
                }
                let items: Vec<(String, &Value)> = schemas
                    .iter()
                    .filter_map(|(at, s)| items_of(doc, at, s))
                    .collect();
                for (i, (s, b)) in sent_items.iter().zip(back_items).enumerate() {
                    self.walk(&items, s, b, &format!("{pointer}/{i}"), out);
                }
            }
            (Value::Number(s), Value::Number(b)) => {
                let same = match (s.as_i64(), b.as_i64(), s.as_u64(), b.as_u64()) {
                    (Some(x), Some(y), _, _) => x == y,
                    (_, _, Some(x), Some(y)) => x == y,
                    _ => {
                        let whole_in_number = s.is_f64()
                            || schemas.is_empty()
                            || schemas
                                .iter()
                                .any(|(_, s)| type_of(doc, s) == Some("number"));
                        whole_in_number && s.as_f64() == b.as_f64()
                    }
                };
                if !same {
                    changed(out);
                }
            }
            (Value::String(s), Value::String(b)) if s != b => {
                let date_time = schemas.iter().any(|(_, x)| may_be_date_time(doc, x));
                if !(date_time && instant(s).is_some() && instant(s) == instant(b)) {
                    changed(out);
                }
            }
            _ => exact(sent, back, pointer, out),
        }
    }
}

/// Whether the schema, or one of its `oneOf`/`anyOf` members (BitGo's
/// `ActiveDateRange.startDate`: a date-time or a date), is a date-time.
fn may_be_date_time(doc: &Value, schema: &Value) -> bool {
    if format_of(doc, schema) == Some("date-time") {
        return true;
    }
    let Some(map) = openapi_codegen::openapi::resolve::resolve(doc, schema).as_object() else {
        return false;
    };
    ["oneOf", "anyOf"]
        .iter()
        .flat_map(|k| list(map, k))
        .any(|member| may_be_date_time(doc, member))
}

fn exact(sent: &Value, back: &Value, pointer: &str, out: &mut Vec<Difference>) {
    if sent != back {
        out.push(Difference::Changed {
            pointer: pointer.to_string(),
            sent: sent.clone(),
            back: back.clone(),
        });
    }
}

/// The `items` schema of an array schema and its pointer (through `$ref`s
/// and `allOf`).
fn items_of<'a>(doc: &'a Value, at: &str, schema: &'a Value) -> Option<(String, &'a Value)> {
    let (at, resolved) = resolve_at(doc, at, schema);
    let map = resolved.as_object()?;
    if let Some(items) = map.get("items") {
        return Some((format!("{at}/items"), items));
    }
    list(map, "allOf")
        .iter()
        .enumerate()
        .find_map(|(i, m)| items_of(doc, &format!("{at}/allOf/{i}"), m))
}

/// An RFC 3339 date-time as nanoseconds since 1970 (UTC), for comparing
/// instants written in different offsets.
pub fn instant(text: &str) -> Option<i128> {
    let b = text.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> { text.get(range)?.parse().ok() };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &text[19..];
    let mut nanos: i128 = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        let padded = format!("{:0<9}", &fraction[..digits.min(9)]);
        nanos = padded.parse().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes: i64 = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours: i64 = rest.get(1..3)?.parse().ok()?;
            let minutes: i64 = rest.get(4..6)?.parse().ok()?;
            sign * (hours * 60 + minutes)
        }
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let (y, mo) = if mo <= 2 {
        (y - 1, mo + 9)
    } else {
        (y, mo - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * mo + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
    Some(i128::from(seconds) * 1_000_000_000 + nanos)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Value {
        json!({"components": {"schemas": {"Thing": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"},
            "when": {"type": "string", "format": "date-time"},
            "ratio": {"type": "number"},
            "count": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "note": {"type": "string", "nullable": true},
            "mode": {"type": "string", "default": "fast"},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}}}}}}})
    }

    fn differences(sent: Value, back: Value) -> Vec<String> {
        let doc = doc();
        let oracle = Oracle::new(&doc).unwrap();
        compare(
            &doc,
            &oracle,
            "/components/schemas/Thing",
            &sent,
            &back,
            Judge::Strictly,
        )
        .iter()
        .map(|d| format!("{} {d}", d.kind()))
        .collect()
    }

    #[test]
    fn the_documented_normalizations_are_no_difference() {
        let sent = json!({"id": "a", "when": "2024-01-01T12:00:00+02:00", "ratio": 1,
            "tags": [], "note": null, "extra": true, "labels": {}});
        let back = json!({"id": "a", "when": "2024-01-01T10:00:00Z", "ratio": 1.0, "mode": "fast"});
        assert_eq!(differences(sent, back), Vec::<String>::new());
    }

    #[test]
    fn lost_properties_changed_numbers_and_additions_are_differences() {
        let sent = json!({"id": "a", "ratio": 4.363245697574542e-147, "count": 3,
            "labels": {"k": "v"}, "tags": ["x"]});
        let back = json!({"id": "a", "ratio": 4.3632456975745423e-147, "labels": {},
            "tags": ["y"], "surprise": 1});
        assert_eq!(
            differences(sent, back),
            vec![
                "dropped /count: dropped",
                "dropped /labels/k: dropped",
                "number-changed /ratio: sent 4.363245697574542e-147, came back 4.3632456975745423e-147",
                "changed /tags/0: sent \"x\", came back \"y\"",
                "added /surprise: added",
            ]
        );
    }

    #[test]
    fn a_property_declared_in_two_all_of_members_is_compared_by_both() {
        // As BitGo's `CoreumStakingRequest.delegations`: one member declares
        // the items plainly, the other as a richer schema with a default.
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Plain"}}}},
            "Plain": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Rich": {"type": "object", "properties": {
                "id": {"type": "string"},
                "fixed": {"type": "boolean", "default": false},
                "nonce": {"type": "number", "default": -1}}},
            "Request": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Rich"}}}}]}}}});
        let oracle = Oracle::new(&doc).unwrap();
        let sent = json!({"items": [{"id": "a"}]});
        let back = json!({"items": [{"id": "a", "fixed": false, "nonce": -1.0}]});
        let at = "/components/schemas/Request";
        let none = compare(&doc, &oracle, at, &sent, &back, Judge::Strictly);
        assert!(none.is_empty(), "{none:?}");
        let wrong = json!({"items": [{"id": "a", "fixed": true}]});
        let found: Vec<String> = compare(&doc, &oracle, at, &sent, &wrong, Judge::Strictly)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found, ["/items/0/fixed: added"]);
    }

    #[test]
    fn a_default_of_any_member_that_declares_it_may_come_back() {
        // BitGo's `STXStakingOptions.functionArgs`: every member defaults
        // `type` to its own name, and a body without `type` fits them all.
        let member = |default: &str| {
            json!({"type": "object", "properties": {
                "type": {"type": "string", "default": default}, "val": {"type": "string"}}})
        };
        let doc = json!({"components": {"schemas": {"Arg": {
            "anyOf": [member("uint128"), member("principal")]}}}});
        let oracle = Oracle::new(&doc).unwrap();
        let at = "/components/schemas/Arg";
        let sent = json!({"val": "1"});
        for default in ["uint128", "principal"] {
            let back = json!({"val": "1", "type": default});
            assert!(compare(&doc, &oracle, at, &sent, &back, Judge::Strictly).is_empty());
        }
        let other = json!({"val": "1", "type": "optional"});
        assert_eq!(
            compare(&doc, &oracle, at, &sent, &other, Judge::Strictly).len(),
            1
        );
    }

    #[test]
    fn a_date_time_among_union_members_comes_back_in_utc() {
        let doc = json!({"components": {"schemas": {"Range": {"type": "object", "properties": {
            "start": {"oneOf": [{"type": "string", "format": "date-time"},
                                {"type": "string", "format": "date"}]}}}}}});
        let oracle = Oracle::new(&doc).unwrap();
        let at = "/components/schemas/Range";
        let sent = json!({"start": "1978-09-21T12:02:13.991-02:00"});
        let utc = json!({"start": "1978-09-21T14:02:13.991Z"});
        assert!(compare(&doc, &oracle, at, &sent, &utc, Judge::Strictly).is_empty());
        let later = json!({"start": "1978-09-21T15:02:13.991Z"});
        assert_eq!(
            compare(&doc, &oracle, at, &sent, &later, Judge::Strictly).len(),
            1
        );
    }

    #[test]
    fn a_schema_judged_as_the_models_read_it_has_its_members_judged_so() {
        // BitGo's `V1ReservedAllocationOutput`: the members differ by a
        // tag, and each one's `amount` is a `oneOf` of open members every
        // body fits together, so JSON Schema takes no body of either.
        let doc = json!({"components": {"schemas": {
            "Output": {"oneOf": [
                {"type": "object", "properties": {
                    "retriable": {"type": "boolean", "enum": [true]},
                    "amount": {"$ref": "#/components/schemas/Amount"}}},
                {"type": "object", "properties": {
                    "retriable": {"type": "boolean", "enum": [false]},
                    "amount": {"$ref": "#/components/schemas/Amount"}}}]},
            "Amount": {"oneOf": [
                {"type": "object", "properties": {"quantity": {"type": "string"}}},
                {"type": "object", "properties": {"quantity": {"type": "string"},
                    "currency": {"type": "string"}}}]}}}});
        let oracle = Oracle::new(&doc).unwrap();
        let at = "/components/schemas/Output";
        let sent = json!({"retriable": true, "amount": {"quantity": "1"}, "extra": 1});
        let back = json!({"retriable": true, "amount": {"quantity": "1"}});
        assert_eq!(oracle.is_valid("Output", &sent), Some(false));
        // Strictly, no member matches: every property counts as declared.
        assert_eq!(
            compare(&doc, &oracle, at, &sent, &back, Judge::Strictly).len(),
            1
        );
        // As the models read it, the first member matches, and `extra` is
        // a property it does not declare.
        assert!(compare(&doc, &oracle, at, &sent, &back, Judge::Leniently).is_empty());
        let lost = json!({"retriable": true, "extra": 1});
        assert_eq!(
            compare(&doc, &oracle, at, &sent, &lost, Judge::Leniently).len(),
            1
        );
    }

    #[test]
    fn instants_are_compared_across_offsets() {
        assert_eq!(instant("1970-01-01T00:00:01Z"), Some(1_000_000_000));
        assert_eq!(
            instant("2024-03-05T10:11:12.5+01:30"),
            instant("2024-03-05T08:41:12.500Z")
        );
        assert_eq!(instant("yesterday"), None);
    }
}
