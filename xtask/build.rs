//! Empty: it exists so that the `[build-dependencies]` in `Cargo.toml`,
//! which only unify proc-macro features with the rest of the workspace,
//! take part in feature resolution.

fn main() {}
