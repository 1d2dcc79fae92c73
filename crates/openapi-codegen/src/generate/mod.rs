//! Layer 4: generate. progenitor (with typify inside) turns a [`Spec`] into
//! one token stream; [`split`] moves its `types` module into the models
//! crate; the named output rewrites ([`rewrites`]) run; [`print`](mod@print) writes
//! each file.

pub mod parse;
pub mod print;
pub mod rewrites;
pub mod split;

use proc_macro2::TokenStream;
use progenitor_impl::Generator;

use crate::error::{Error, ErrorKind, Errors};
use crate::openapi::operations::operations;
use crate::openapi::resolve::schema_ref;
use crate::panic;
use crate::spec::Spec;
use crate::target::settings::Settings;
use crate::timings::Timings;
use rewrites::Applied;

/// The generated files' contents.
#[derive(Debug, Clone)]
pub struct Output {
    /// The models crate's `generated.rs`: every type.
    pub models: String,
    /// The client crate's `generated.rs`.
    pub client: String,
    /// The mock crate's `generated.rs`, when asked for.
    pub mock: Option<String>,
    /// With `Settings::model_groups`, the `generated.rs` of each of the
    /// models' crates (by `ModelPart::suffix`, in dependency order);
    /// `models` is then the facade that re-exports them.
    pub model_parts: Vec<(String, String)>,
    /// Crates the client's generated code uses beyond progenitor-client,
    /// reqwest and serde, as `Cargo.toml` dependency lines (`futures` for
    /// paginated streams; `base64` and `rand` for websocket upgrades).
    pub client_dependencies: Vec<&'static str>,
    /// The crates' cargo features: one per tag (the `[features]` tables
    /// that `gate-by-feature`'s `#[cfg]`s need).
    pub features: crate::target::features::Features,
    /// What the output rewrites changed.
    pub rewrites: Vec<Applied>,
    /// How long each stage took.
    pub timings: Vec<(String, std::time::Duration)>,
}

/// Everything after loading: the files `spec` generates with `settings`.
pub fn render(spec: &Spec, settings: &Settings) -> Result<Output, Errors> {
    render_typed(spec, spec.openapi()?, settings)
}

/// [`render`] of `spec` typed as `openapi` (what loading it typed).
pub(crate) fn render_typed(
    spec: &Spec,
    openapi: openapiv3::OpenAPI,
    settings: &Settings,
) -> Result<Output, Errors> {
    check(spec, settings.problem())?;
    let mut timings = Timings::start();
    let (tokens, client_dependencies) = tokens_and_dependencies(spec, &openapi, settings)?;
    timings.stage("generate client and types");
    let mock = if settings.mock {
        Some(mock_file(spec, &openapi, settings)?)
    } else {
        None
    };
    drop(openapi);
    timings.stage("generate mock");
    let split::Split { models, client } = split::split(spec, tokens, &settings.models_crate)?;
    timings.stage("parse and split");
    let mut files = rewrites::Files::new(models, client, mock);
    let applied = rewrites::apply_timed(
        &rewrites::Context { spec, settings },
        &mut files,
        &mut timings,
    )?;
    let rewrites::Files {
        models,
        client,
        mock,
        model_parts,
        mut companions,
    } = files;
    // The companions follow the models' types: all are made by the end of
    // the models (the client and mock have none).
    let mut print = |file| print::format_file(spec, file, &mut companions);
    let model_parts = model_parts
        .into_iter()
        .map(|(suffix, file)| (suffix, print(file)))
        .collect();
    let models = print(models);
    debug_assert!(companions.is_empty(), "a companion's type was not printed");
    let print = |file| print::format_file(spec, file, &mut rewrites::Companions::default());
    let output = Output {
        model_parts,
        models,
        client: print(client),
        mock: mock.map(print),
        client_dependencies,
        features: crate::target::features::Features::of(&spec.json),
        rewrites: applied,
        timings: Vec::new(),
    };
    timings.stage("print");
    Ok(Output {
        timings: timings.into_stages(),
        ..output
    })
}

/// progenitor (and typify inside it) turn the spec into one token stream: a
/// `types` module and the client. A panic inside them becomes an error.
pub fn generate_tokens(spec: &Spec, settings: &Settings) -> Result<TokenStream, Errors> {
    tokens_and_dependencies(spec, &spec.openapi()?, settings).map(|(tokens, _)| tokens)
}

/// [`generate_tokens`], with the crates the client's code uses beyond the
/// usual (see [`Output::client_dependencies`]).
fn tokens_and_dependencies(
    spec: &Spec,
    openapi: &openapiv3::OpenAPI,
    settings: &Settings,
) -> Result<(TokenStream, Vec<&'static str>), Errors> {
    let mut dependencies = Vec::new();
    let tokens = run_generator(spec, settings, |generator| {
        let tokens = generator.generate_tokens(openapi);
        // The versions cargo-progenitor names for them.
        if generator.uses_futures() {
            dependencies.push("futures = \"0.3\"");
        }
        if generator.uses_websockets() {
            dependencies.extend(["base64 = \"0.22\"", "rand = \"0.8\""]);
        }
        tokens
    })?;
    Ok((tokens, dependencies))
}

/// progenitor's typed httpmock extensions (`MockServerExt`), for downstream
/// tests that stub the API with the client's own types.
pub fn generate_mock(spec: &Spec, settings: &Settings) -> Result<syn::File, Errors> {
    check(
        spec,
        crate::target::settings::crate_name_problem("client_crate", &settings.client_crate),
    )?;
    mock_file(spec, &spec.openapi()?, settings)
}

/// A problem of the settings ([`Settings::problem`]) as an error.
fn check(spec: &Spec, problem: Option<String>) -> Result<(), Errors> {
    match problem {
        None => Ok(()),
        Some(problem) => Err(Errors::one(Error::new(
            ErrorKind::Settings,
            &spec.display_path,
            "",
            problem,
        ))),
    }
}

/// [`generate_mock`] of the typed document.
fn mock_file(
    spec: &Spec,
    openapi: &openapiv3::OpenAPI,
    settings: &Settings,
) -> Result<syn::File, Errors> {
    let tokens = run_generator(spec, settings, |generator| {
        generator.httpmock(openapi, &settings.client_crate)
    })?;
    parse::parse_file(tokens).map_err(|e| {
        Errors::one(Error::new(
            ErrorKind::Output,
            &spec.display_path,
            "",
            format!("the mock module is not Rust: {e}"),
        ))
    })
}

/// Runs one progenitor entry point on a fresh `Generator`; its errors and
/// panics become errors of kind [`ErrorKind::Generator`], located where
/// possible.
fn run_generator(
    spec: &Spec,
    settings: &Settings,
    entry: impl FnOnce(&mut Generator) -> progenitor_impl::Result<TokenStream>,
) -> Result<TokenStream, Errors> {
    let mut generator = Generator::new(&settings.progenitor());
    let failed = |pointer: String, message: String| {
        Errors::one(Error::new(
            ErrorKind::Generator,
            &spec.display_path,
            pointer,
            format!("progenitor could not generate the client: {message}"),
        ))
    };
    match panic::catch(|| entry(&mut generator)) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => {
            // Its errors print what they met with `{:#?}` too.
            let error = panic::shorten(error.to_string());
            match locate_failure(spec, settings) {
                Some((what, pointer)) => Err(failed(
                    pointer.clone(),
                    format!("it failed while converting {what} ({pointer}): {error}"),
                )),
                None => Err(failed(String::new(), error)),
            }
        }
        Err(message) => match locate_failure(spec, settings) {
            Some((what, pointer)) => Err(failed(
                pointer.clone(),
                format!("it panicked while converting {what} ({pointer}): {message}"),
            )),
            None => Err(failed(String::new(), format!("it panicked: {message}"))),
        },
    }
}

/// After a panic or an error without a location (typify's "value does not
/// conform to the given schema"), finds what progenitor was converting:
/// each component schema alone (with the schemas it refers to), then each
/// operation alone. Only runs on failure, so its cost does not matter.
fn locate_failure(spec: &Spec, settings: &Settings) -> Option<(String, String)> {
    let panics = |doc: serde_json::Value| -> bool {
        let Ok(openapi) = serde_json::from_value::<openapiv3::OpenAPI>(doc) else {
            return false;
        };
        let mut generator = Generator::new(&settings.progenitor());
        !matches!(
            panic::catch(|| generator.generate_tokens(&openapi)),
            Ok(Ok(_))
        )
    };
    // The schema alone, with what it reaches (reached from a stand-in
    // operation, pruned, then the operation removed): the names it reaches
    // when progenitor fails on it.
    let fails_alone = |name: &str| -> Option<Vec<String>> {
        let mut doc = spec.json.clone();
        // Only the schema's own reach: the other sections' references
        // (parameters, responses) would keep schemas of their own.
        if let Some(serde_json::Value::Object(components)) = doc.get_mut("components") {
            components.retain(|section, _| section == "schemas");
        }
        doc["paths"] = serde_json::json!({"/": {"get": {"responses": {"200": {
            "description": "",
            "content": {"application/json": {"schema": {"$ref": schema_ref(name)}}}
        }}}}});
        crate::openapi::select::prune_components(&mut doc);
        doc["paths"] = serde_json::json!({});
        let reached = component_names(&doc);
        panics(doc).then_some(reached)
    };
    // The components together first: when they pass, the culprit is an
    // operation, and trying each component alone (each with what it
    // reaches) is quadratic on a big spec (it ran past the budget on half of
    // Cloudflare's 3,716 schemas). Each operation is still tried with every
    // component: pruned to what it reaches, some failed that did not.
    let mut components_only = spec.json.clone();
    components_only["paths"] = serde_json::json!({});
    let components_fail = panics(components_only);
    let names = if components_fail {
        component_names(&spec.json)
    } else {
        Vec::new()
    };
    for name in names {
        let Some(mut reached) = fails_alone(&name) else {
            continue;
        };
        // The first failing schema may only reach the one at fault: narrow
        // down to a failing schema that reaches fewer.
        let mut name = name;
        'narrow: loop {
            for other in reached.clone() {
                if other != name
                    && let Some(fewer) = fails_alone(&other)
                    && fewer.len() < reached.len()
                {
                    (name, reached) = (other, fewer);
                    continue 'narrow;
                }
            }
            break;
        }
        // Named as the spec writes it (`component-names` may have renamed it).
        let written = spec
            .normalized
            .renamed
            .iter()
            .find(|(_, new)| *new == name)
            .map_or(name.as_str(), |(old, _)| old.as_str());
        return Some((
            format!("component schema `{written}`"),
            crate::openapi::pointer::join("/components/schemas", written),
        ));
    }
    for op in operations(&spec.json) {
        let mut doc = spec.json.clone();
        let operation = spec.json["paths"][&op.path][&op.method].clone();
        doc["paths"] = serde_json::json!({ &op.path: { &op.method: operation } });
        if panics(doc) {
            return Some((format!("operation `{}`", op.id), op.pointer.clone()));
        }
    }
    None
}

/// The component schemas of `doc`, by name.
fn component_names(doc: &serde_json::Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_that_are_no_identifiers_are_errors_not_panics() {
        let spec = crate::spec::parse(
            "spec.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        let error = render(&spec, &Settings::default()).unwrap_err().to_string();
        assert_eq!(
            error,
            "spec.yaml: /: settings: `models_crate` is ``, not a Rust identifier (a crate's name with `-` written `_`, e.g. `bitgo_models`)"
        );
        let settings = Settings {
            models_crate: "m".into(),
            client_crate: "my-client".into(),
            ..Settings::default()
        };
        let error = generate_mock(&spec, &settings).unwrap_err().to_string();
        assert!(error.contains("`client_crate` is `my-client`"), "{error}");
        assert!(render(&spec, &settings).is_ok());
    }
}
