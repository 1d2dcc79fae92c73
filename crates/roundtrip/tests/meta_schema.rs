//! The generator's own draft 4 validator (`openapi_codegen::validate::draft4`,
//! which checks every spec against the OpenAPI 3.0 meta-schema) against
//! the `jsonschema` crate, which the oracle here uses and the generator no
//! longer builds: the same verdict on every torture, random and bitgo spec
//! and on seeded one-edit mutants of each. `META_SCHEMA_SPECS` (paths
//! separated by `:`) adds specs, to try others' documents locally.

use fastrand::Rng;
use openapi_codegen::validate::draft4::Validator;
use openapi_codegen::validate::schema::META_SCHEMA;
use serde_json::{Value, json};

mod common;

fn specs() -> Vec<(String, Value)> {
    let mut paths = common::own_specs();
    if let Some(more) = std::env::var_os("META_SCHEMA_SPECS") {
        paths.extend(std::env::split_paths(&more));
    }
    let mut specs: Vec<(String, Value)> = paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let doc = openapi_codegen::openapi::yaml::to_json(&text).unwrap();
            (p.display().to_string(), doc)
        })
        .collect();
    specs.extend((0..20).map(|seed| (format!("random-{seed}"), xtask::random::spec(seed))));
    specs
}

/// Every JSON pointer in `doc`.
fn pointers(doc: &Value, at: String, out: &mut Vec<String>) {
    match doc {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(here.clone());
                pointers(v, here, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let here = format!("{at}/{i}");
                out.push(here.clone());
                pointers(v, here, out);
            }
        }
        _ => {}
    }
}

/// One edit at a random place: a value of another kind, a removed member,
/// an unknown member, or a misspelt type.
fn mutant(doc: &Value, rng: &mut Rng) -> Value {
    let mut doc = doc.clone();
    let mut all = Vec::new();
    pointers(&doc, String::new(), &mut all);
    let at = &all[rng.usize(..all.len())];
    let (parent, key) = at.rsplit_once('/').unwrap();
    let replacement = match rng.u8(..7) {
        0 => json!("text"),
        1 => json!(7),
        2 => json!(-1.5),
        3 => json!([]),
        4 => json!({"bogus": true}),
        5 => json!("strnig"),
        _ => Value::Null,
    };
    match doc.pointer_mut(parent).unwrap() {
        Value::Object(map) if rng.bool() => {
            map.remove(&key.replace("~1", "/").replace("~0", "~"));
        }
        Value::Object(map) if rng.u8(..4) == 0 => {
            map.insert("bogus".to_string(), json!(1));
        }
        _ => *doc.pointer_mut(at).unwrap() = replacement,
    }
    doc
}

#[test]
fn the_generators_meta_schema_check_agrees_with_jsonschema() {
    let meta: Value = serde_json::from_str(META_SCHEMA).unwrap();
    let ours = Validator::new(meta.clone()).unwrap();
    let theirs = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&meta)
        .unwrap();
    let mut rng = Rng::with_seed(7);
    let (mut checked, mut invalid) = (0, 0);
    let mut disagreements = Vec::new();
    for (name, doc) in specs() {
        let mut docs = vec![doc.clone()];
        docs.extend((0..40).map(|_| mutant(&doc, &mut rng)));
        for doc in docs {
            let expected = theirs.is_valid(&doc);
            let got = ours.errors(&doc).is_empty();
            checked += 1;
            invalid += usize::from(!expected);
            if got != expected {
                let errors: Vec<String> = theirs
                    .iter_errors(&doc)
                    .map(|e| format!("{}: {e}", e.instance_path()))
                    .collect();
                disagreements.push(format!("{name}: jsonschema says {expected}: {errors:?}"));
            }
        }
    }
    println!("{checked} documents, {invalid} of them invalid");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    // The mutants exercise the check: a good share of them is invalid.
    assert!(invalid * 4 > checked, "{invalid} of {checked} invalid");
}
