//! A code generator for OpenAPI 3.0 specs: progenitor and typify run as
//! libraries, with repairs only where they cannot take a spec as written;
//! and a judge of what a spec change does on the wire and to Rust.
//!
//! The pipeline, one module (or folder) per stage, dependencies pointing
//! down only (a test, `layers_point_down`, keeps it so):
//!
//! ```text
//!  surface    stock progenitor vs ours, by public surface
//!  generate/  split, rewrites, print      diff/  rules, compare, report
//!      │  (progenitor, typify, syn)          │
//!  normalize/  passes over the spec JSON     │
//!  validate/   meta-schema, for progenitor   │
//!      │                                     │
//!  target/     naming, responses, settings ◄─┤  (what progenitor makes of a spec)
//!  openapi/    pointer, yaml, walk, resolve, operations, select ◄──┘
//!  error       file + JSON pointer + message
//! ```
//!
//! [`spec::load`] runs the front half (read → validate the document →
//! select → normalize → validate for progenitor → typed), [`generate::render`]
//! the back half (progenitor → split → output rewrites → print).
//! [`generate()`] does both. Nothing here reads the environment, prints,
//! or exits: settings in, text and a report out, or an [`Errors`].

pub mod diff;
pub mod error;
mod fast;
pub mod generate;
pub mod normalize;
pub mod openapi;
mod panic;
pub mod spec;
pub mod surface;
pub mod target;
pub mod threads;
mod timings;
pub mod validate;

pub use error::{Error, ErrorKind, Errors};
pub use generate::Output;
pub use openapi::Document;
pub use spec::{LoadOptions, Spec};
pub use target::settings::Settings;
pub use timings::at_stage_end;

/// The whole pipeline on one document: the spec as loaded (with what the
/// passes did) and the generated files.
pub fn generate(
    document: Document,
    load: &LoadOptions,
    settings: &Settings,
) -> Result<(Spec, Output), Errors> {
    let (spec, openapi) = spec::load_typed(document, load)?;
    let output = generate::render_typed(&spec, openapi, settings)?;
    Ok((spec, output))
}

#[cfg(test)]
mod layers {
    //! The layers point down: no module imports from a layer above it.

    /// Each layer's folder (or file), lowest first, with the modules it may use.
    const LAYERS: &[(&str, &[&str])] = &[
        ("error", &[]),
        ("openapi", &["error"]),
        ("target", &["error", "openapi"]),
        ("validate", &["error", "openapi", "target"]),
        ("normalize", &["error", "openapi", "target", "validate"]),
        (
            "spec",
            &[
                "error",
                "openapi",
                "target",
                "validate",
                "normalize",
                "panic",
                "timings",
            ],
        ),
        (
            "generate",
            &[
                "error",
                "openapi",
                "target",
                "normalize",
                "spec",
                "panic",
                "timings",
            ],
        ),
        (
            "surface",
            &["error", "openapi", "target", "spec", "generate", "panic"],
        ),
        // `validate` for `prepare`: the document check only.
        ("diff", &["error", "openapi", "target", "validate"]),
    ];

    fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }

    #[test]
    fn layers_point_down() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let all: Vec<&str> = LAYERS.iter().map(|(name, _)| *name).collect();
        let mut wrong = Vec::new();
        for (layer, allowed) in LAYERS {
            let mut files = Vec::new();
            let dir = src.join(layer);
            if dir.is_dir() {
                sources(&dir, &mut files);
            } else {
                let file = src.join(format!("{layer}.rs"));
                files.push((
                    file.display().to_string(),
                    std::fs::read_to_string(&file).unwrap(),
                ));
            }
            for (file, text) in files {
                for other in all.iter().chain(["panic", "timings"].iter()) {
                    if other == layer || allowed.contains(other) {
                        continue;
                    }
                    if text.contains(&format!("crate::{other}::"))
                        || text.contains(&format!("crate::{other};"))
                    {
                        wrong.push(format!("{file} uses crate::{other}, above `{layer}`"));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
