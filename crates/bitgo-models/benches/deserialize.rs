//! Deserializing a realistic `ScopedUserSession` body: the generated types
//! (which validate patterns, formats and lengths) against a hand-written
//! `#[derive(Deserialize)]` struct with the same fields and no validation
//! (the floor), and against `serde_json::Value`. Run with
//! `cargo bench -p bitgo-models`.

use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

const BODY: &str = include_str!("../../../tests/fixtures/session_full.json");

#[divan::bench]
fn generated_types(bencher: Bencher) {
    bencher.bench(|| {
        serde_json::from_str::<bitgo_models::ScopedUserSession>(black_box(BODY)).unwrap()
    });
}

#[divan::bench]
fn hand_written_floor(bencher: Bencher) {
    bencher.bench(|| serde_json::from_str::<floor::ScopedUserSession>(black_box(BODY)).unwrap());
}

#[divan::bench]
fn json_value(bencher: Bencher) {
    bencher.bench(|| serde_json::from_str::<serde_json::Value>(black_box(BODY)).unwrap());
}

#[path = "support/floor.rs"]
mod floor;
