//! Faithful by default: on specs stock progenitor takes, this generator's
//! public surface equals stock progenitor's (same pinned version and
//! settings) but for the named output rewrites, and no doc is lost. Run on
//! seeded random specs that need no repair, and on the torture specs stock
//! progenitor accepts (where the passes that fire are listed).

use std::path::Path;

use openapi_codegen::Settings;
use openapi_codegen::surface::{Refusal, compare_with_stock};

fn settings() -> Settings {
    Settings {
        models_crate: "models".into(),
        client_crate: "client".into(),
        ..Default::default()
    }
}

#[test]
fn on_specs_that_need_no_repair_the_surface_is_stocks() {
    let mut unfaithful = Vec::new();
    let mut items = 0;
    let mut unions = 0;
    for seed in 0..300 {
        let text = serde_json::to_string_pretty(&xtask::random::stock_spec(seed)).unwrap();
        unions += text.matches("One or the other.").count();
        let comparison = compare_with_stock("stock.json", &text, &settings())
            .unwrap_or_else(|e| panic!("seed {seed}: {e:?}\n{text}"));
        assert!(
            comparison.passes.is_empty(),
            "seed {seed}: a pass changed a spec stock progenitor takes: {:?}\n{text}",
            comparison.passes
        );
        if !comparison.is_faithful() {
            unfaithful.push(format!("seed {seed}: {comparison:#?}"));
        }
        assert!(
            comparison
                .rewrites
                .iter()
                .all(|(rewrite, _)| *rewrite == "drop-client-new"),
            "{:?}",
            comparison.rewrites
        );
        items += comparison.rewrites.len();
    }
    assert!(
        items >= 300,
        "every spec's `Client::new` is a named rewrite"
    );
    // The `oneOf`s of objects stock reads rightly (told apart by a required
    // property) are still among them.
    assert!(
        unions >= 20,
        "only {unions} `oneOf`s of objects in 300 specs"
    );
    assert!(unfaithful.is_empty(), "{}", unfaithful.join("\n"));
}

#[test]
fn torture_specs_stock_accepts_lose_no_docs_and_list_their_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/torture");
    let mut compared = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        match compare_with_stock(&name, &text, &settings()) {
            Ok(comparison) => {
                assert!(comparison.is_faithful(), "{name}: {comparison:#?}");
                if text.contains("# expect: nothing") {
                    assert!(comparison.passes.is_empty(), "{name}: {comparison:#?}");
                }
                compared.push(name);
            }
            Err(Refusal::StockFails(_)) => {}
            Err(Refusal::OursFails(e)) => panic!("{name}: {e}"),
        }
    }
    assert!(
        compared.contains(&"keyword-names".to_string()),
        "{compared:?}"
    );
}
