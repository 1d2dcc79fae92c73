//! The launcher's own tests (`xtask/launch`, the dependency-free workspace
//! `cargo xtask` runs first), compiled here so that `cargo test --workspace`
//! runs them.

// What only its binary uses is unused here.
#[allow(dead_code, unused_imports)]
#[path = "../launch/src/lib.rs"]
mod launch;
