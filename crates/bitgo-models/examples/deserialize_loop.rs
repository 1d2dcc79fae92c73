//! Deserializes the realistic 200 body N times with one of three decoders, for
//! instruction counts under callgrind (`scripts/bench-deserialize-instructions.sh`),
//! which repeat exactly where wall-clock benchmarks are noisy.
//!
//! `cargo run --release -p bitgo-models --example deserialize_loop -- generated|value 1000`

use std::hint::black_box;

const BODY: &str = include_str!("../../../tests/fixtures/session_full.json");

#[path = "../benches/support/floor.rs"]
mod floor;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "generated".into());
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    for _ in 0..count {
        match which.as_str() {
            "generated" => drop(black_box(
                serde_json::from_str::<bitgo_models::ScopedUserSession>(black_box(BODY)).unwrap(),
            )),
            "floor" => drop(black_box(
                serde_json::from_str::<floor::ScopedUserSession>(black_box(BODY)).unwrap(),
            )),
            "value" => drop(black_box(
                serde_json::from_str::<serde_json::Value>(black_box(BODY)).unwrap(),
            )),
            other => {
                eprintln!("unknown decoder {other:?}: generated, floor or value");
                std::process::exit(2);
            }
        }
    }
}
