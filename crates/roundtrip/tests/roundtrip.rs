//! No silent data loss: `openapi/bitgo.yaml`, every torture spec and a dozen
//! random specs go through `cargo xtask roundtrip`'s harness. Every valid
//! instance must be read, and come back as it was sent but for the
//! documented normalizations; every one-constraint mutant must be refused
//! but for the documented leniencies.
//!
//! The harness shares `target/torture/target` with the torture tests, so
//! the models' dependencies build once for both. Building it takes minutes
//! on a cold machine, so both tests are `#[ignore]`d: CI runs them
//! (`cargo test --workspace -- --include-ignored`), and so can you.

use std::path::PathBuf;

use roundtrip::{Options, SpecReport, run};

mod common;

use common::{own_specs, workspace};

fn specs() -> Vec<PathBuf> {
    let root = workspace();
    let mut specs = own_specs();
    let random = root.join("target/roundtrip/specs");
    std::fs::create_dir_all(&random).unwrap();
    for seed in 0..12 {
        let path = random.join(format!("random-{seed}.json"));
        let text = serde_json::to_string_pretty(&xtask::random::spec(seed)).unwrap();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).unwrap();
        }
        specs.push(path);
    }
    specs
}

/// Seed 1, 20 instances a schema, sharing the torture tests' target
/// directory (so the models' dependencies build once for all).
fn options(out: &str, skip_passes: &[&str]) -> Options {
    let root = workspace();
    Options {
        out: root.join(out),
        instances: 20,
        seed: 1,
        lockfile: Some(root.join("Cargo.lock")),
        target_dir: Some(root.join("target/torture/target")),
        skip_passes: skip_passes.iter().map(ToString::to_string).collect(),
    }
}

fn failures(report: &SpecReport) -> String {
    report
        .failures()
        .take(10)
        .map(|(what, f)| format!("  {what}: {}: {}: {}", f.schema, f.what, f.instance))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
#[ignore = "builds the round-trip harness (minutes cold); CI runs it with --include-ignored"]
fn every_valid_body_survives_the_models_and_every_mutant_is_refused() {
    let options = options("target/roundtrip", &[]);
    let specs = specs();
    let reports = run(&specs, &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reports.len(), specs.len());
    let mut unclean = Vec::new();
    for report in &reports {
        println!("{}", report.summary());
        if !report.is_clean() {
            unclean.push(format!("{}\n{}", report.summary(), failures(report)));
        }
    }
    assert!(unclean.is_empty(), "{}", unclean.join("\n"));

    let by_name = |name: &str| {
        reports
            .iter()
            .find(|r| r.spec.ends_with(name))
            .unwrap_or_else(|| panic!("no report for {name}"))
    };
    // The one-endpoint API: every schema has instances, and mutants are refused.
    let bitgo = by_name("openapi/bitgo.yaml");
    assert_eq!(bitgo.schemas, 4);
    assert!(
        bitgo.without_instances.is_empty(),
        "{:?}",
        bitgo.without_instances
    );
    assert!(
        bitgo.valid >= 60 && bitgo.mutants_rejected >= 100,
        "{}",
        bitgo.summary()
    );
    // Stock typify's struct for an `anyOf` of two string enums reads no value
    // at all; `read-every-member` reads them.
    let any_of = by_name("torture/any-of.yaml");
    assert!(
        any_of.without_instances.is_empty(),
        "{:?}",
        any_of.without_instances
    );
    assert!(any_of.valid >= 60, "{}", any_of.summary());
    // A title spelling the name typify derives for another property made
    // both properties one type (`inline-type-names`).
    let clashes = by_name("torture/name-clashes.yaml");
    assert!(clashes.valid >= 40, "{}", clashes.summary());
    let total: usize = reports.iter().map(|r| r.valid).sum();
    assert!(total >= 1000, "only {total} valid instances in all");
}

#[test]
#[ignore = "builds the round-trip harness (minutes cold); CI runs it with --include-ignored"]
fn without_the_repairing_passes_the_harness_sees_the_losses_they_repair() {
    // One harness over the specs of six passes and one output rewrite,
    // each left out.
    let root = workspace();
    let passes = [
        "overlapping-any-of",
        "subsumed-one-of",
        "float-as-double",
        "untyped-items",
        "open-tagged-one-of",
        "required-alternatives",
        "read-best-fitting-variant",
    ];
    let options = options("target/roundtrip-without-passes", &passes);
    let torture = root.join("xtask/tests/torture");
    let specs = [
        "any-of.yaml",
        "subsumed-one-of.yaml",
        "lost-information.yaml",
        "open-tagged-one-of.yaml",
        "required-alternatives.yaml",
        "less-required-first.yaml",
        "overlapping-variants.yaml",
    ]
    .map(|s| torture.join(s));
    let reports = run(&specs, &options).unwrap_or_else(|e| panic!("{e}"));
    let found = |spec: usize, schema: &str, what: &str| {
        let report = &reports[spec];
        report
            .rejected
            .iter()
            .map(|f| ("rejected", f))
            .chain(report.differences.iter().map(|f| ("round trip", f)))
            .any(|(kind, f)| f.schema == schema && format!("{kind}: {}", f.what).starts_with(what))
    };
    let summaries: Vec<String> = reports
        .iter()
        .map(|r| format!("{}\n{}", r.summary(), failures(r)))
        .collect();
    let summaries = summaries.join("\n");
    // typify's enum keeps one member of `Request` (Lite | Full) and drops
    // the other's properties.
    assert!(found(0, "Request", "round trip: dropped"), "{summaries}");
    // typify's variants of `PaymentIntent` have no value: every body refused.
    assert!(found(1, "PaymentIntent", "rejected"), "{summaries}");
    // `f32` changes a double; a `Vec` refuses a string.
    assert!(
        found(2, "Validator", "round trip: number-changed"),
        "{summaries}"
    );
    assert!(found(2, "Validator", "rejected"), "{summaries}");
    // An externally tagged enum refuses a body with another property.
    assert!(found(3, "Simulate", "rejected"), "{summaries}");
    // typify's first variant leaves `parent` out of a body that has a label.
    assert!(
        found(4, "CreateWallet", "round trip: dropped"),
        "{summaries}"
    );
    // The member that requires nothing reads an Ethereum wallet's body.
    assert!(
        found(5, "CoinSpecific", "round trip: dropped"),
        "{summaries}"
    );
    // The plain coin, first and requiring nothing, reads a Stellar body;
    // likewise the first struct variant of an inline `oneOf`.
    assert!(
        found(6, "CoinProperties", "round trip: dropped"),
        "{summaries}"
    );
    assert!(found(6, "Lockup", "round trip: dropped"), "{summaries}");
}
