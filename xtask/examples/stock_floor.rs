//! The floor under a generation's time: what stock progenitor's own
//! pipeline takes on a spec, stage by stage, as `cargo-progenitor` runs it
//! (`Generator::generate_tokens`, `syn::parse2` of the whole file,
//! `prettyplease::unparse`), on the same allocator as `cargo xtask`.
//!
//! ```sh
//! cargo run --release -p xtask --example stock_floor -- path/to/api.yaml
//! ```
//!
//! The spec is loaded and normalized as `cargo xtask generate --spec` does
//! (stock progenitor refuses or panics on many specs as written), so the
//! stages after loading see the input ours see; compare their sum with
//! `XTASK_TIMINGS=1 target/release/xtask generate --spec … --out …`.

use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: stock_floor SPEC");
        std::process::exit(2);
    };
    let started = Instant::now();
    let spec = match openapi_codegen::spec::read(std::path::Path::new(&path), &path) {
        Ok(spec) => spec,
        Err(errors) => {
            eprintln!("{errors}");
            std::process::exit(1);
        }
    };
    // progenitor configured as `--spec` configures it.
    let settings = xtask::config::Api::standalone(std::path::Path::new(&path)).settings();
    let mut stages = Vec::new();
    let mut clock = started;
    let mut stage = |name: &'static str| {
        stages.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    stage("load, validate, normalize");
    let fail = |message: String| -> ! {
        eprintln!("{message}");
        std::process::exit(1);
    };
    let openapi = spec
        .openapi()
        .unwrap_or_else(|errors| fail(errors.to_string()));
    stage("type the document (serde)");
    let mut generator = progenitor_impl::Generator::new(&settings.progenitor());
    let tokens = generator
        .generate_tokens(&openapi)
        .unwrap_or_else(|error| fail(format!("{path}: progenitor: {error}")));
    stage("progenitor: generate_tokens");
    let file: syn::File = syn::parse2(tokens)
        .unwrap_or_else(|error| fail(format!("{path}: progenitor's output is not Rust: {error}")));
    stage("syn::parse2 of the whole file");
    let text = prettyplease::unparse(&file);
    stage("prettyplease::unparse");
    drop(file);
    stage("drop the tree");
    for (name, took) in &stages {
        println!("{name}: {} ms", took.as_millis());
    }
    let after_load: std::time::Duration = stages[1..].iter().map(|(_, took)| *took).sum();
    println!(
        "after loading: {} ms; in all: {} ms; {} lines",
        after_load.as_millis(),
        started.elapsed().as_millis(),
        text.lines().count()
    );
}
