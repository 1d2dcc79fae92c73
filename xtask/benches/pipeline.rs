//! The generator, stage by stage, on `openapi/bitgo.yaml`; and the whole
//! pipeline on synthetic specs of 10, 100 and 1000 operations, to show how
//! its cost grows. Run with `cargo bench -p xtask`.

use std::path::{Path, PathBuf};

use divan::Bencher;
use openapi_codegen::generate::{self, rewrites, split};
use openapi_codegen::{Settings, Spec, spec};
use xtask::{check, synthetic};

fn main() {
    divan::main();
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn api() -> xtask::config::Api {
    xtask::config::load(&root(), Some("bitgo"))
        .unwrap()
        .remove(0)
}

fn settings() -> Settings {
    api().settings()
}

fn bitgo() -> Spec {
    let api = api();
    spec::read(&root().join(&api.spec), &api.spec).unwrap()
}

mod bitgo_yaml {
    use super::*;

    #[divan::bench]
    fn stage_1_load(bencher: Bencher) {
        let path = api().spec;
        let text = std::fs::read_to_string(root().join(&path)).unwrap();
        bencher.bench(|| spec::parse(&path, &text).unwrap());
    }

    #[divan::bench]
    fn stage_2_generate(bencher: Bencher) {
        let spec = bitgo();
        bencher.bench(|| {
            (
                generate::generate_tokens(&spec, &settings()).unwrap(),
                generate::generate_mock(&spec, &settings()).unwrap(),
            )
        });
    }

    #[divan::bench]
    fn stage_3_split_and_rewrite(bencher: Bencher) {
        let spec = bitgo();
        let settings = settings();
        bencher
            .with_inputs(|| generate::generate_tokens(&spec, &settings).unwrap())
            .bench_local_values(|tokens| {
                let split::Split { models, client } =
                    split::split(&spec, tokens, &settings.models_crate).unwrap();
                let mut files = rewrites::Files::new(models, client, None);
                let cx = rewrites::Context {
                    spec: &spec,
                    settings: &settings,
                };
                rewrites::apply(&cx, &mut files).unwrap();
                files.models
            });
    }

    #[divan::bench]
    fn stage_4_print(bencher: Bencher) {
        let spec = bitgo();
        let settings = settings();
        bencher
            .with_inputs(|| {
                let tokens = generate::generate_tokens(&spec, &settings).unwrap();
                split::split(&spec, tokens, &settings.models_crate).unwrap()
            })
            .bench_local_refs(|split| {
                (
                    generate::print::format(&spec, &prettyplease::unparse(&split.models)),
                    generate::print::format(&spec, &prettyplease::unparse(&split.client)),
                )
            });
    }

    #[divan::bench]
    fn stage_5_compare(bencher: Bencher) {
        let root = root();
        let generated = xtask::generate::render(&root, &api(), &Default::default()).unwrap();
        bencher.bench(|| check::compare(&root, &generated.files).unwrap());
    }

    #[divan::bench]
    fn whole_pipeline(bencher: Bencher) {
        let root = root();
        bencher.bench(|| xtask::generate::render(&root, &api(), &Default::default()).unwrap());
    }
}

/// The whole pipeline (parse to formatted files) on synthetic specs.
#[divan::bench(args = [10, 100, 1000], sample_count = 3, sample_size = 1)]
fn synthetic_operations(bencher: Bencher, operations: usize) {
    let text = synthetic::spec_yaml(operations);
    bencher.bench(|| {
        let spec = spec::parse("synthetic.yaml", &text).unwrap();
        generate::render(&spec, &settings()).unwrap()
    });
}
