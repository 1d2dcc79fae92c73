//! Seeded JSON instances of a spec's component schemas: valid ones
//! (honouring `required`, `nullable`, `enum`, `format`, `pattern` within the
//! subset of [`pattern`], bounds, `allOf`/`oneOf`/`anyOf` and
//! discriminators) and mutants that break exactly one constraint. Every
//! instance is judged by the [`oracle::Oracle`], a JSON Schema validator
//! independent of typify: a valid instance is one it accepts, a mutant one
//! it refuses. The round-trip harness (`crate::run`) feeds both to
//! the generated models.

pub mod oracle;
pub mod pattern;

use fastrand::Rng;
use openapi_codegen::openapi::resolve::{resolve, resolve_at, schema_name};
use serde_json::{Map, Number, Value, json};

use openapi_codegen::openapi::view::{ObjectView, format_of, list, nullable, type_of};

/// How deep the generator goes before it keeps to what is required.
const SOFT_DEPTH: usize = 4;
/// How deep it goes at all (a schema that requires itself ends here).
const HARD_DEPTH: usize = 12;
/// How many candidates it makes for one instance the oracle must accept.
const TRIES: usize = 12;

/// One constraint a mutant breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mutation {
    MissingRequired,
    MissingRequiredNullable,
    WrongType,
    NotInEnum,
    PatternMismatch,
    TooShort,
    TooLong,
    NotADateTime,
    DateTimeWithSpace,
    NotADate,
    Fraction,
    BelowMinimum,
    AboveMaximum,
    TooFewItems,
    TooManyItems,
    DuplicateItems,
    NullNotNullable,
    ForbiddenProperty,
    ArrayForObject,
}

impl Mutation {
    pub const ALL: &[Mutation] = &[
        Mutation::MissingRequired,
        Mutation::MissingRequiredNullable,
        Mutation::WrongType,
        Mutation::NotInEnum,
        Mutation::PatternMismatch,
        Mutation::TooShort,
        Mutation::TooLong,
        Mutation::NotADateTime,
        Mutation::DateTimeWithSpace,
        Mutation::NotADate,
        Mutation::Fraction,
        Mutation::BelowMinimum,
        Mutation::AboveMaximum,
        Mutation::TooFewItems,
        Mutation::TooManyItems,
        Mutation::DuplicateItems,
        Mutation::NullNotNullable,
        Mutation::ForbiddenProperty,
        Mutation::ArrayForObject,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mutation::MissingRequired => "missing-required",
            Mutation::MissingRequiredNullable => "missing-required-nullable",
            Mutation::WrongType => "wrong-type",
            Mutation::NotInEnum => "not-in-enum",
            Mutation::PatternMismatch => "pattern-mismatch",
            Mutation::TooShort => "too-short",
            Mutation::TooLong => "too-long",
            Mutation::NotADateTime => "not-a-date-time",
            Mutation::DateTimeWithSpace => "date-time-with-space",
            Mutation::NotADate => "not-a-date",
            Mutation::Fraction => "fraction-for-integer",
            Mutation::BelowMinimum => "below-minimum",
            Mutation::AboveMaximum => "above-maximum",
            Mutation::TooFewItems => "too-few-items",
            Mutation::TooManyItems => "too-many-items",
            Mutation::DuplicateItems => "duplicate-items",
            Mutation::NullNotNullable => "null-not-nullable",
            Mutation::ForbiddenProperty => "forbidden-property",
            Mutation::ArrayForObject => "array-for-object",
        }
    }
}

/// One step into an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A place a mutation can be made, and what it puts there (`None`: the
/// property at the end of `path` is removed).
#[derive(Debug, Clone)]
struct Site {
    path: Vec<Step>,
    mutation: Mutation,
    value: Option<Value>,
}

/// A generated instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub value: Value,
    /// The constraint it breaks; `None` for a valid instance.
    pub mutation: Option<Mutation>,
}

/// The generator over one document.
pub struct Generator<'a> {
    doc: &'a Value,
    rng: Rng,
    sites: Vec<Site>,
    path: Vec<Step>,
}

/// Valid instances (`count` at most) and mutants of the component schema
/// `name` of `doc`, judged by `oracle`. The same seed gives the same
/// instances.
pub fn instances(
    doc: &Value,
    oracle: &oracle::Oracle,
    name: &str,
    count: usize,
    seed: u64,
) -> Vec<Instance> {
    instances_judged(doc, oracle, name, count, seed, Judge::Strictly)
}

/// How instances are judged valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judge {
    /// By JSON Schema: a `oneOf` takes a body that fits exactly one member.
    Strictly,
    /// As the models read the schema ([`oracle::Oracle::is_valid_leniently`]):
    /// for schemas whose `oneOf`s list open members every body fits
    /// together, which JSON Schema calls invalid though senders send them.
    Leniently,
}

/// [`instances`], judged as `judge` says.
pub fn instances_judged(
    doc: &Value,
    oracle: &oracle::Oracle,
    name: &str,
    count: usize,
    seed: u64,
    judge: Judge,
) -> Vec<Instance> {
    let is_valid = |value: &Value| oracle.is_valid_judged(name, value, judge);
    let Some(schema) = doc.pointer(&openapi_codegen::openapi::pointer::join(
        "/components/schemas",
        name,
    )) else {
        return Vec::new();
    };
    let mut generator = Generator {
        doc,
        rng: Rng::with_seed(seed),
        sites: Vec::new(),
        path: Vec::new(),
    };
    let mut out: Vec<Instance> = Vec::new();
    let mut mutants: Vec<Instance> = Vec::new();
    for _ in 0..count * TRIES {
        if out.len() >= count {
            break;
        }
        generator.sites.clear();
        generator.path.clear();
        let Some(value) = generator.value(schema, 0) else {
            continue;
        };
        if is_valid(&value) != Some(true) || out.iter().any(|i| i.value == value) {
            continue;
        }
        // One mutant of each kind this instance offers.
        let mut sites = std::mem::take(&mut generator.sites);
        generator.rng.shuffle(&mut sites);
        for site in sites {
            if mutants
                .iter()
                .filter(|m| m.mutation == Some(site.mutation))
                .count()
                >= count
            {
                continue;
            }
            let Some(mutant) = apply(&value, &site) else {
                // The generator keeps no site of a value it gave up: its
                // unit tests fail on one; a run skips it.
                #[cfg(test)]
                panic!("a mutation site outside its instance: {site:?}");
                #[cfg(not(test))]
                continue;
            };
            if is_valid(&mutant) == Some(false) && !mutants.iter().any(|m| m.value == mutant) {
                mutants.push(Instance {
                    value: mutant,
                    mutation: Some(site.mutation),
                });
            }
        }
        out.push(Instance {
            value,
            mutation: None,
        });
    }
    out.extend(mutants);
    out
}

/// `value` with the site's mutation applied; `None` where the site's place
/// is not in `value` (a generator bug, never a mutant).
fn apply(value: &Value, site: &Site) -> Option<Value> {
    let mut out = value.clone();
    let Some((last, parents)) = site.path.split_last() else {
        return Some(site.value.clone().unwrap_or(Value::Null));
    };
    let mut at = &mut out;
    for step in parents {
        at = match (step, at) {
            (Step::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    match (last, at, &site.value) {
        (Step::Key(k), Value::Object(m), None) => {
            m.remove(k)?;
        }
        (Step::Key(k), Value::Object(m), Some(v)) => {
            m.insert(k.clone(), v.clone());
        }
        (Step::Index(i), Value::Array(a), Some(v)) => *a.get_mut(*i)? = v.clone(),
        _ => return None,
    }
    Some(out)
}

impl<'a> Generator<'a> {
    fn site(&mut self, mutation: Mutation, value: Option<Value>) {
        self.sites.push(Site {
            path: self.path.clone(),
            mutation,
            value,
        });
    }

    /// A site at the child `step` of the current place.
    fn child_site(&mut self, step: Step, mutation: Mutation, value: Option<Value>) {
        let mut path = self.path.clone();
        path.push(step);
        self.sites.push(Site {
            path,
            mutation,
            value,
        });
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.rng.u8(..100) < percent
    }

    /// A value for `schema` at `depth`, or `None` when none can be made
    /// (and then no mutation site inside it: its places do not exist).
    fn value(&mut self, schema: &'a Value, depth: usize) -> Option<Value> {
        let saved = self.sites.len();
        let value = self.make(schema, depth);
        if value.is_none() {
            self.sites.truncate(saved);
        }
        value
    }

    fn make(&mut self, schema: &'a Value, depth: usize) -> Option<Value> {
        if depth > HARD_DEPTH {
            return None;
        }
        let doc = self.doc;
        let resolved = resolve(doc, schema);
        let Some(map) = resolved.as_object() else {
            return Some(self.any());
        };
        let is_nullable = nullable(doc, schema) || nullable(doc, resolved);
        if is_nullable && self.chance(15) {
            return Some(Value::Null);
        }
        if !is_nullable && !self.path.is_empty() {
            self.site(Mutation::NullNotNullable, Some(Value::Null));
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if values.is_empty() {
                return None;
            }
            if values.iter().all(|v| v.is_string()) {
                self.site(Mutation::NotInEnum, Some(json!("not-a-listed-value")));
            }
            return Some(values[self.rng.usize(..values.len())].clone());
        }
        let one_of = list(map, "oneOf");
        let any_of = list(map, "anyOf");
        if !one_of.is_empty() || !any_of.is_empty() {
            return self.union(map, one_of, any_of, depth);
        }
        let all_of = list(map, "allOf");
        let ty = type_of(doc, resolved);
        if !all_of.is_empty() && ty != Some("object") {
            // A wrapper of one non-object schema (`allOf: [$ref]` with a description).
            return self.value(&all_of[0], depth + 1);
        }
        match ty {
            Some("object") => self.object(resolved, depth),
            Some("array") => self.array(map, depth),
            Some("string") => self.string(resolved),
            Some("integer") => Some(self.integer(map)),
            Some("number") => Some(self.number(map)),
            Some("boolean") => {
                self.site(Mutation::WrongType, Some(json!("true")));
                Some(Value::Bool(self.rng.bool()))
            }
            _ => Some(self.any()),
        }
    }

    /// A member of a `oneOf` or `anyOf` (for `anyOf`, sometimes two object
    /// members at once), with the discriminator's value set.
    fn union(
        &mut self,
        map: &'a Map<String, Value>,
        one_of: &'a [Value],
        any_of: &'a [Value],
        depth: usize,
    ) -> Option<Value> {
        let members = if one_of.is_empty() { any_of } else { one_of };
        let first = self.rng.usize(..members.len());
        let mut value = self.member(map, &members[first], depth)?;
        if !any_of.is_empty() && members.len() > 1 && self.chance(30) {
            let second = (first + 1 + self.rng.usize(..members.len() - 1)) % members.len();
            let saved = self.sites.len();
            if let (Value::Object(a), Some(Value::Object(b))) =
                (&mut value, self.member(map, &members[second], depth))
            {
                for (k, v) in b {
                    a.entry(k).or_insert(v);
                }
            }
            // The second member's sites may name values the first one kept.
            self.sites.truncate(saved);
        }
        Some(value)
    }

    fn member(
        &mut self,
        union: &'a Map<String, Value>,
        member: &'a Value,
        depth: usize,
    ) -> Option<Value> {
        let mut value = self.value(member, depth + 1)?;
        let Some(discriminator) = union.get("discriminator") else {
            return Some(value);
        };
        let (Some(property), Value::Object(object)) = (
            discriminator.get("propertyName").and_then(Value::as_str),
            &mut value,
        ) else {
            return Some(value);
        };
        let reference = member.get("$ref").and_then(Value::as_str);
        let tag = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .and_then(|m| {
                m.iter()
                    .find(|(_, r)| r.as_str() == reference)
                    .map(|(k, _)| k.clone())
            })
            .or_else(|| reference.and_then(schema_name));
        if let Some(tag) = tag {
            object.insert(property.to_string(), Value::String(tag));
        }
        Some(value)
    }

    fn object(&mut self, schema: &'a Value, depth: usize) -> Option<Value> {
        // One member of each `oneOf`/`anyOf` among the `allOf` members
        // (BitGo's `ConfigFeeInformation`: a bank, and a static or a
        // variable fee), its properties and required ones with the rest.
        let mut chosen: Vec<(String, &'a Value)> = Vec::new();
        self.choose_members("", schema, &mut chosen, 0);
        let mut view = ObjectView::with_members(self.doc, "", schema, &mut |at| {
            chosen.iter().any(|(c, _)| c == at)
        });
        for (at, member) in &chosen {
            view.required
                .extend(ObjectView::of(self.doc, at, member).required);
        }
        let minimal = depth > SOFT_DEPTH;
        let mut object = Map::new();
        for (name, schemas) in &view.properties {
            let required = view.required.contains(name);
            if !required && (minimal || self.rng.bool()) {
                continue;
            }
            self.path.push(Step::Key(name.clone()));
            // Where `allOf` members declare it twice, the most constrained
            // declaration is generated (the one with the fewest `enum`
            // values, else the last with a `pattern`, else the last, which
            // refines the base's) and the oracle judges the rest.
            let rank = |declared: &(String, &Value)| {
                let resolved = resolve(self.doc, declared.1);
                match resolved.get("enum").and_then(Value::as_array) {
                    Some(values) => (0, values.len()),
                    None if resolved.get("pattern").is_some() => (1, 0),
                    None => (2, 0),
                }
            };
            let chosen = schemas
                .iter()
                .rev()
                .min_by_key(|declared| rank(declared))
                .unwrap_or(&schemas[schemas.len() - 1])
                .1;
            let value = self.value(chosen, depth + 1);
            self.path.pop();
            match value {
                Some(value) => {
                    if required {
                        let kind = if nullable(self.doc, chosen) {
                            Mutation::MissingRequiredNullable
                        } else {
                            Mutation::MissingRequired
                        };
                        self.child_site(Step::Key(name.clone()), kind, None);
                    }
                    let wrong = match &value {
                        Value::String(_) => json!(12345),
                        _ => json!("wrong type"),
                    };
                    self.child_site(Step::Key(name.clone()), Mutation::WrongType, Some(wrong));
                    object.insert(name.clone(), value);
                }
                None if required => return None,
                None => {}
            }
        }
        for name in &view.required {
            if !object.contains_key(name) && !view.declares(name) {
                object.insert(name.clone(), json!("undeclared but required"));
            }
        }
        match view.additional {
            Some((_, Value::Bool(false))) => {
                self.child_site(
                    Step::Key("notDeclared".into()),
                    Mutation::ForbiddenProperty,
                    Some(json!("x")),
                );
            }
            Some((_, additional @ Value::Object(_))) if !minimal => {
                for i in 0..self.rng.usize(0..3) {
                    let key = format!("key{i}");
                    self.path.push(Step::Key(key.clone()));
                    let value = self.value(additional, depth + 1);
                    self.path.pop();
                    if let Some(value) = value {
                        object.insert(key, value);
                    }
                }
            }
            _ if !view.properties.is_empty() && !minimal && self.chance(25) => {
                // A property the spec does not name: read and dropped.
                object.insert("undeclaredProperty".into(), json!("extra"));
            }
            _ => {}
        }
        if !object.is_empty() {
            let values: Vec<Value> = object.values().cloned().collect();
            self.site(Mutation::ArrayForObject, Some(Value::Array(values)));
        }
        Some(Value::Object(object))
    }

    /// One member, chosen at random, of each `oneOf`/`anyOf` in the `allOf`
    /// tree of `schema` (at `at`), by the pointer `ObjectView` gives it.
    fn choose_members(
        &mut self,
        at: &str,
        schema: &'a Value,
        chosen: &mut Vec<(String, &'a Value)>,
        depth: usize,
    ) {
        if depth > HARD_DEPTH {
            return;
        }
        let (at, resolved) = resolve_at(self.doc, at, schema);
        let Some(map) = resolved.as_object() else {
            return;
        };
        for (i, member) in list(map, "allOf").iter().enumerate() {
            self.choose_members(&format!("{at}/allOf/{i}"), member, chosen, depth + 1);
        }
        if depth == 0 {
            // The schema's own union is `union`'s to choose.
            return;
        }
        for key in ["oneOf", "anyOf"] {
            let members = list(map, key);
            if members.is_empty() {
                continue;
            }
            let i = self.rng.usize(..members.len());
            let (member_at, member) = resolve_at(self.doc, &format!("{at}/{key}/{i}"), &members[i]);
            chosen.push((member_at.clone(), member));
            self.choose_members(&member_at, member, chosen, depth + 1);
        }
    }

    fn array(&mut self, map: &'a Map<String, Value>, depth: usize) -> Option<Value> {
        let min = uint(map, "minItems").unwrap_or(0);
        let max = uint(map, "maxItems").unwrap_or(min + 3).max(min);
        let len = if depth > SOFT_DEPTH {
            min
        } else {
            self.rng.usize(min..=max.min(min + 3))
        };
        let unique = map.get("uniqueItems") == Some(&Value::Bool(true));
        let items = map.get("items");
        let mut out: Vec<Value> = Vec::new();
        for _ in 0..len * 4 {
            if out.len() == len {
                break;
            }
            self.path.push(Step::Index(out.len()));
            let saved = self.sites.len();
            let item = match items {
                Some(items) => self.value(items, depth + 1),
                None => Some(self.any()),
            };
            self.path.pop();
            match item {
                Some(item) if !(unique && out.contains(&item)) => out.push(item),
                // A repeat, not kept: the next item takes its place.
                Some(_) => self.sites.truncate(saved),
                None => return None,
            }
        }
        if out.len() < min {
            return None;
        }
        if min > 0 {
            self.site(
                Mutation::TooFewItems,
                Some(Value::Array(out[..min - 1].to_vec())),
            );
        }
        if let (Some(max), Some(first)) = (uint(map, "maxItems"), out.first()) {
            let mut more = out.clone();
            more.resize(max + 1, first.clone());
            self.site(Mutation::TooManyItems, Some(Value::Array(more)));
        }
        if unique && let Some(first) = out.first() {
            let mut twice = out.clone();
            twice.push(first.clone());
            self.site(Mutation::DuplicateItems, Some(Value::Array(twice)));
        }
        self.site(Mutation::WrongType, Some(json!({"not": "an array"})));
        Some(Value::Array(out))
    }

    fn string(&mut self, schema: &'a Value) -> Option<Value> {
        let map = schema.as_object()?;
        self.site(Mutation::WrongType, Some(json!(7)));
        let format = format_of(self.doc, schema);
        let text = match format {
            Some("date-time") => {
                let text = self.date_time();
                self.site(Mutation::NotADateTime, Some(json!("yesterday at noon")));
                self.site(
                    Mutation::DateTimeWithSpace,
                    Some(json!(text.replacen('T', " ", 1))),
                );
                text
            }
            Some("date") => {
                self.site(Mutation::NotADate, Some(json!("2024-02-30x")));
                let (y, m, d) = self.ymd();
                format!("{y:04}-{m:02}-{d:02}")
            }
            Some("uuid") => {
                let hex: String = (0..32)
                    .map(|_| char::from_digit(self.rng.u32(..16), 16).unwrap())
                    .collect();
                format!(
                    "{}-{}-{}-{}-{}",
                    &hex[..8],
                    &hex[8..12],
                    &hex[12..16],
                    &hex[16..20],
                    &hex[20..]
                )
            }
            Some("email") => format!("user{}@example.com", self.rng.u32(..10_000)),
            Some("uri") | Some("url") => format!("https://example.com/{}", self.rng.u32(..10_000)),
            Some("ipv4") => format!(
                "{}.{}.{}.{}",
                self.rng.u8(..),
                self.rng.u8(..),
                self.rng.u8(..),
                self.rng.u8(..)
            ),
            Some("ipv6") => format!("2001:db8::{:x}:{:x}", self.rng.u16(..), self.rng.u16(..)),
            // Oxide's format for either (typify's `IpAddr`; JSON Schema
            // checks no such format, so any string would pass the oracle).
            Some("ip") if self.rng.bool() => format!(
                "{}.{}.{}.{}",
                self.rng.u8(..),
                self.rng.u8(..),
                self.rng.u8(..),
                self.rng.u8(..)
            ),
            Some("ip") => format!("2001:db8::{:x}", self.rng.u16(..)),
            _ => {
                if let Some(pattern) = map.get("pattern").and_then(Value::as_str) {
                    self.site(
                        Mutation::PatternMismatch,
                        Some(json!("\u{1}~ does not match ~")),
                    );
                    let min = uint(map, "minLength").unwrap_or(0);
                    pattern::generate_within(pattern, &mut self.rng, min, uint(map, "maxLength"))?
                } else {
                    let min = uint(map, "minLength").unwrap_or(0);
                    let max = uint(map, "maxLength").unwrap_or(min + 12).max(min);
                    if min > 0 {
                        self.site(Mutation::TooShort, Some(json!("x".repeat(min - 1))));
                    }
                    if let Some(max) = uint(map, "maxLength") {
                        self.site(Mutation::TooLong, Some(json!("x".repeat(max + 1))));
                    }
                    let len = self.rng.usize(min..=max.min(min + 12));
                    self.text(len)
                }
            }
        };
        Some(Value::String(text))
    }

    fn text(&mut self, len: usize) -> String {
        const ALPHABET: &[char] = &[
            'a', 'b', 'c', 'x', 'Y', 'Z', '0', '7', ' ', '-', '_', '"', '\\', 'é', '€', '😀',
        ];
        (0..len)
            .map(|_| ALPHABET[self.rng.usize(..ALPHABET.len())])
            .collect()
    }

    fn ymd(&mut self) -> (u32, u32, u32) {
        (
            self.rng.u32(1970..2100),
            self.rng.u32(1..=12),
            self.rng.u32(1..=28),
        )
    }

    /// An RFC 3339 date-time, in UTC or with an offset, with or without
    /// fractional seconds.
    fn date_time(&mut self) -> String {
        let (y, m, d) = self.ymd();
        let (h, min, s) = (self.rng.u32(..24), self.rng.u32(..60), self.rng.u32(..60));
        let fraction = match self.rng.u8(..3) {
            0 => String::new(),
            1 => format!(".{:03}", self.rng.u32(..1000)),
            _ => format!(".{:09}", self.rng.u32(..1_000_000_000)),
        };
        let offset = if self.rng.bool() {
            "Z".to_string()
        } else {
            let sign = if self.rng.bool() { '+' } else { '-' };
            format!(
                "{sign}{:02}:{:02}",
                self.rng.u32(..14),
                15 * self.rng.u32(..4)
            )
        };
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}{fraction}{offset}")
    }

    fn integer(&mut self, map: &Map<String, Value>) -> Value {
        let (mut lo, mut hi): (i128, i128) = match map.get("format").and_then(Value::as_str) {
            // typify's formats (its `convert.rs`): `int` and `uint` are
            // 32-bit, as schemars writes them for `i32` and `u32` (Oxide's
            // specs).
            Some("int32" | "int") => (i32::MIN.into(), i32::MAX.into()),
            Some("uint32" | "uint") => (0, u32::MAX.into()),
            Some("uint64") => (0, u64::MAX.into()),
            Some("int8") => (i8::MIN.into(), i8::MAX.into()),
            Some("uint8") => (0, u8::MAX.into()),
            Some("int16") => (i16::MIN.into(), i16::MAX.into()),
            Some("uint16") => (0, u16::MAX.into()),
            _ => (i64::MIN.into(), i64::MAX.into()),
        };
        let (min, max, exclusive_min, exclusive_max) = bounds(map);
        if let Some(min) = min {
            let floor = min.ceil() as i128 + i128::from(exclusive_min && min.fract() == 0.0);
            lo = lo.max(floor);
            self.site(Mutation::BelowMinimum, Some(json!(floor - 1)));
        }
        if let Some(max) = max {
            let ceiling = max.floor() as i128 - i128::from(exclusive_max && max.fract() == 0.0);
            hi = hi.min(ceiling);
            self.site(Mutation::AboveMaximum, Some(json!(ceiling + 1)));
        }
        self.site(Mutation::Fraction, Some(json!(1.5)));
        self.site(Mutation::WrongType, Some(json!("12")));
        if lo > hi {
            return json!(lo);
        }
        let value = match self.rng.u8(..10) {
            0 => lo,
            1 => hi,
            2 | 3 => self.rng.i128(lo..=hi),
            _ => self
                .rng
                .i128(lo.max(-1000)..=hi.min(1000).max(lo.max(-1000))),
        };
        let value = match map.get("multipleOf").and_then(Value::as_i64) {
            Some(step) if step > 0 => {
                let step = i128::from(step);
                let rounded = value - value.rem_euclid(step);
                if rounded < lo {
                    rounded + step
                } else {
                    rounded
                }
            }
            _ => value,
        };
        if let Ok(v) = i64::try_from(value) {
            json!(v)
        } else {
            json!(u64::try_from(value).unwrap_or(u64::MAX))
        }
    }

    fn number(&mut self, map: &Map<String, Value>) -> Value {
        let (min, max, exclusive_min, exclusive_max) = bounds(map);
        if let Some(min) = min {
            self.site(Mutation::BelowMinimum, Some(json!(min - 1.0)));
        }
        if let Some(max) = max {
            self.site(Mutation::AboveMaximum, Some(json!(max + 1.0)));
        }
        self.site(Mutation::WrongType, Some(json!("1.5")));
        let fits = |v: f64| {
            v.is_finite()
                && min.is_none_or(|m| if exclusive_min { v > m } else { v >= m })
                && max.is_none_or(|m| if exclusive_max { v < m } else { v <= m })
        };
        for _ in 0..16 {
            let candidate = match self.rng.u8(..5) {
                0 => f64::from(self.rng.i32(-1000..1000)),
                1 => f64::from(self.rng.i32(-100_000..100_000)) / 100.0,
                // Any double: the digits a float parser must get exactly right.
                2 => f64::from_bits(self.rng.u64(..)),
                3 => self.rng.f64() * 10f64.powi(self.rng.i32(-20..20)),
                _ => {
                    let (lo, hi) = (min.unwrap_or(-1e6), max.unwrap_or(1e6));
                    lo + (hi - lo) * self.rng.f64()
                }
            };
            if fits(candidate) {
                return Number::from_f64(candidate).map_or(json!(0), Value::Number);
            }
        }
        json!(min.or(max).unwrap_or(0.0))
    }

    /// Any JSON value, for a schema that says nothing.
    fn any(&mut self) -> Value {
        match self.rng.u8(..6) {
            0 => json!(self.text(5)),
            1 => json!(self.rng.i32(..)),
            2 => json!(self.rng.f64() * 1e3),
            3 => json!(self.rng.bool()),
            4 => json!({"free": self.text(3), "n": self.rng.u8(..)}),
            _ => json!([self.rng.u8(..), "two"]),
        }
    }
}

fn uint(map: &Map<String, Value>, key: &str) -> Option<usize> {
    map.get(key)
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

/// `minimum`, `maximum` and whether each is exclusive (OpenAPI 3.0's
/// boolean form).
fn bounds(map: &Map<String, Value>) -> (Option<f64>, Option<f64>, bool, bool) {
    (
        map.get("minimum").and_then(Value::as_f64),
        map.get("maximum").and_then(Value::as_f64),
        map.get("exclusiveMinimum") == Some(&Value::Bool(true)),
        map.get("exclusiveMaximum") == Some(&Value::Bool(true)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Id": {"type": "string", "pattern": "^[0-9a-f]{8}$"},
            "Thing": {"type": "object", "required": ["id", "kind", "created"], "properties": {
                "id": {"$ref": "#/components/schemas/Id"},
                "kind": {"$ref": "#/components/schemas/Kind"},
                "created": {"type": "string", "format": "date-time"},
                "count": {"type": "integer", "minimum": 0, "maximum": 10},
                "ratio": {"type": "number"},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
                "note": {"type": "string", "nullable": true},
                "child": {"$ref": "#/components/schemas/Thing"}}},
            "Either": {"anyOf": [{"$ref": "#/components/schemas/Thing"},
                {"type": "object", "required": ["other"], "properties": {"other": {"type": "boolean"}}}]},
            // BitGo's `ConfigFeeInformation` and `AddressOptions`: a `oneOf`
            // among `allOf` members, one of whose tags narrows the base's.
            "Fee": {"allOf": [
                {"type": "object", "required": ["bank", "type"], "properties": {
                    "bank": {"type": "string"},
                    "type": {"type": "string", "enum": ["static", "variable"]}}},
                {"oneOf": [
                    {"$ref": "#/components/schemas/StaticFee"},
                    {"type": "object", "required": ["type", "percent"], "properties": {
                        "type": {"type": "string", "enum": ["variable"]},
                        "percent": {"type": "string"}}}]}]},
            "StaticFee": {"type": "object", "required": ["type", "amount"], "properties": {
                "type": {"type": "string", "enum": ["static"]},
                "amount": {"type": "string"}}},
            // BitGo's `AvaxcUnstakingTransactionProperties`: a base's
            // patterned `amount` declared again as a plain string.
            "Unstaking": {"allOf": [
                {"type": "object", "required": ["amount"], "properties": {
                    "amount": {"type": "string", "pattern": "^-?[0-9]+$"}}},
                {"type": "object", "properties": {"amount": {"type": "string"}}}]},
        }}})
    }

    #[test]
    fn a_one_of_among_all_of_members_gives_instances_of_each_member() {
        let doc = doc();
        let oracle = oracle::Oracle::new(&doc).unwrap();
        let all = instances(&doc, &oracle, "Fee", 20, 5);
        let valid: Vec<&Value> = all
            .iter()
            .filter(|i| i.mutation.is_none())
            .map(|i| &i.value)
            .collect();
        for member in ["amount", "percent"] {
            assert!(
                valid.iter().any(|v| v.get(member).is_some()),
                "no instance of the member with `{member}`: {valid:?}"
            );
        }
        for instance in &all {
            assert_eq!(
                oracle.is_valid("Fee", &instance.value),
                Some(instance.mutation.is_none()),
                "{instance:?}"
            );
        }
        let unstaking = instances(&doc, &oracle, "Unstaking", 10, 5);
        let valid = unstaking.iter().filter(|i| i.mutation.is_none()).count();
        assert!(valid >= 5, "only {valid} valid instances of `Unstaking`");
    }

    #[test]
    fn valid_instances_are_valid_and_mutants_are_not() {
        let doc = doc();
        let oracle = oracle::Oracle::new(&doc).unwrap();
        // `Kind` has two values, and instances are distinct.
        for (name, least) in [("Thing", 10), ("Either", 10), ("Kind", 2), ("Id", 10)] {
            let all = instances(&doc, &oracle, name, 20, 3);
            let valid = all.iter().filter(|i| i.mutation.is_none()).count();
            assert!(valid >= least, "{name}: only {valid} valid instances");
            for instance in &all {
                assert_eq!(
                    oracle.is_valid(name, &instance.value),
                    Some(instance.mutation.is_none()),
                    "{name}: {instance:?}"
                );
            }
        }
        let thing = instances(&doc, &oracle, "Thing", 30, 3);
        for kind in [
            Mutation::MissingRequired,
            Mutation::NotInEnum,
            Mutation::PatternMismatch,
            Mutation::NotADateTime,
            Mutation::AboveMaximum,
            Mutation::TooManyItems,
            Mutation::NullNotNullable,
        ] {
            assert!(
                thing.iter().any(|i| i.mutation == Some(kind)),
                "no {} mutant",
                kind.name()
            );
        }
    }

    #[test]
    fn a_value_given_up_half_made_leaves_no_mutation_behind() {
        // `Inner` cannot be made (a look-behind is refused) after its first
        // property was, so `Outer` goes without it: the first property's
        // mutation sites name a place that is not there (Oxide's nexus.json
        // panicked so).
        let doc = json!({"components": {"schemas": {
            "Outer": {"type": "object", "properties": {
                "inner": {"$ref": "#/components/schemas/Inner"},
                "id": {"type": "string"}}},
            "Inner": {"type": "object", "required": ["a", "b"], "properties": {
                "a": {"type": "string", "enum": ["x", "y"]},
                "b": {"type": "string", "pattern": "^(?<=a)b$"}}}}}});
        let oracle = oracle::Oracle::new(&doc).unwrap();
        for seed in 0..20 {
            for instance in instances(&doc, &oracle, "Outer", 10, seed) {
                assert!(instance.value.get("inner").is_none(), "{instance:?}");
                assert_eq!(
                    oracle.is_valid("Outer", &instance.value),
                    Some(instance.mutation.is_none())
                );
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_instances() {
        let doc = doc();
        let oracle = oracle::Oracle::new(&doc).unwrap();
        assert_eq!(
            instances(&doc, &oracle, "Thing", 10, 9),
            instances(&doc, &oracle, "Thing", 10, 9)
        );
        assert_ne!(
            instances(&doc, &oracle, "Thing", 10, 9),
            instances(&doc, &oracle, "Thing", 10, 10)
        );
    }
}
