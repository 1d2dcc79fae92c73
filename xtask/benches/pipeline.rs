//! The generation pipeline, stage by stage, on `openapi/bitgo.yaml`; and the
//! whole pipeline on synthetic specs of 10, 100 and 1000 operations, to show
//! how its cost grows. Run with `cargo bench -p xtask`.

use std::path::{Path, PathBuf};

use divan::Bencher;
use xtask::pipeline::{self, SPEC_PATH};
use xtask::{check, spec, synthetic};

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
    pipeline::bitgo_api(&root())
}

fn bitgo() -> spec::Spec {
    spec::load(&root(), SPEC_PATH).unwrap()
}

mod bitgo_yaml {
    use super::*;

    #[divan::bench]
    fn stage_1_parse_and_validate(bencher: Bencher) {
        let text = std::fs::read_to_string(root().join(SPEC_PATH)).unwrap();
        bencher.bench(|| spec::parse(SPEC_PATH, &text).unwrap());
    }

    #[divan::bench]
    fn stage_2_generate(bencher: Bencher) {
        let spec = bitgo();
        bencher.bench(|| {
            (
                pipeline::generate_tokens(&spec, &api()).unwrap(),
                pipeline::generate_mock(&spec, &api()).unwrap(),
            )
        });
    }

    #[divan::bench]
    fn stage_3_parse_and_split(bencher: Bencher) {
        let spec = bitgo();
        bencher
            .with_inputs(|| pipeline::generate_tokens(&spec, &api()).unwrap())
            .bench_local_values(|tokens| {
                let mut split = pipeline::split(tokens, "bitgo_models").unwrap();
                pipeline::publish_string_constraints(&spec, &mut split.models);
                pipeline::add_servers(&spec, &api(), &mut split.client).unwrap();
                split
            });
    }

    #[divan::bench]
    fn stage_4_print(bencher: Bencher) {
        let spec = bitgo();
        bencher
            .with_inputs(|| {
                pipeline::split(
                    pipeline::generate_tokens(&spec, &api()).unwrap(),
                    "bitgo_models",
                )
                .unwrap()
            })
            .bench_local_refs(|split| {
                (
                    pipeline::format(&spec, &prettyplease::unparse(&split.models)),
                    pipeline::format(&spec, &prettyplease::unparse(&split.client)),
                )
            });
    }

    #[divan::bench]
    fn stage_5_compare(bencher: Bencher) {
        let root = root();
        let generated = pipeline::run(&root, &api()).unwrap();
        bencher.bench(|| check::compare(&root, &generated).unwrap());
    }

    #[divan::bench]
    fn whole_pipeline(bencher: Bencher) {
        let root = root();
        bencher.bench(|| pipeline::run(&root, &api()).unwrap());
    }
}

/// The whole pipeline (parse to formatted files) on synthetic specs.
#[divan::bench(args = [10, 100, 1000], sample_count = 3, sample_size = 1)]
fn synthetic_operations(bencher: Bencher, operations: usize) {
    let text = synthetic::spec_yaml(operations);
    bencher.bench(|| {
        let spec = spec::parse("synthetic.yaml", &text).unwrap();
        pipeline::render(&spec, &api()).unwrap()
    });
}
