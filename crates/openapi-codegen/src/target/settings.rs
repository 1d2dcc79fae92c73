//! The one progenitor configuration: models, client and mock are all made
//! with it, so they map every schema the same way.

use progenitor_impl::{GenerationSettings, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

/// What the caller chooses about the generated crates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The Rust name of the models crate (`bitgo_models`): the client says
    /// `pub use ::<models> as types;`.
    pub models_crate: String,
    /// The Rust name of the client crate, which the mock module imports.
    pub client_crate: String,
    /// Generate the typed httpmock module too.
    pub mock: bool,
    /// The client crate defines `Settings` (progenitor's inner type) and
    /// implements `ClientHooks` by hand; its servers must be named.
    pub hooks: bool,
    /// Builder-style operations and a builder for every struct.
    pub builders: bool,
    /// The Rust type for `format: password` strings, if not `String`.
    pub secret_type: Option<String>,
    /// Split the models into crates by groups of tags (`split-models`):
    /// this many groups, besides the shared types and the unreached ones;
    /// 0 keeps one models crate.
    pub model_groups: usize,
}

/// Why the crate name in the settings' `field` cannot be used, if it
/// cannot: the generated code names it, so it must be a Rust identifier.
pub fn crate_name_problem(field: &str, name: &str) -> Option<String> {
    (!super::naming::is_identifier(name)).then(|| {
        format!(
            "settings: `{field}` is `{name}`, not a Rust identifier (a crate's name with `-` written `_`, e.g. `bitgo_models`)"
        )
    })
}

/// One crate of split models (see [`Settings::model_groups`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelPart {
    /// What the crate's directory and package name add to the models
    /// crate's: `shared`, `part-1` .. `part-N`, `other`.
    pub suffix: String,
    /// Its Rust name: the models crate's, `_`, the suffix with `_`.
    pub crate_ident: String,
    /// How many of the crates before it it depends on (and glob-imports):
    /// none for `shared`, `shared` for a group's, all for `other`.
    pub below: usize,
}

impl Settings {
    /// What makes these settings unusable, if anything: the generated code
    /// names the models crate (the client's `pub use ::<models> as types;`)
    /// and, with the mock, the client crate, so each must be a Rust
    /// identifier (`Settings::default()` names neither).
    pub fn problem(&self) -> Option<String> {
        crate_name_problem("models_crate", &self.models_crate).or_else(|| {
            self.mock
                .then(|| crate_name_problem("client_crate", &self.client_crate))
                .flatten()
        })
    }

    /// The models' crates, in dependency order: the shared types, a crate
    /// per tag group, the types no operation reaches. Empty when the models
    /// are one crate.
    pub fn model_parts(&self) -> Vec<ModelPart> {
        if self.model_groups == 0 {
            return Vec::new();
        }
        let other = self.model_groups + 1;
        let suffixes = std::iter::once("shared".to_string())
            .chain((1..=self.model_groups).map(|i| format!("part-{i}")))
            .chain(std::iter::once("other".to_string()));
        suffixes
            .enumerate()
            .map(|(at, suffix)| ModelPart {
                crate_ident: format!("{}_{}", self.models_crate, suffix.replace('-', "_")),
                suffix,
                below: match at {
                    0 => 0,
                    at if at == other => other,
                    _ => 1,
                },
            })
            .collect()
    }
}

impl Settings {
    /// progenitor's settings for these choices.
    pub fn progenitor(&self) -> GenerationSettings {
        let mut settings = GenerationSettings::new();
        settings
            .with_interface(if self.builders {
                InterfaceStyle::Builder
            } else {
                InterfaceStyle::Positional
            })
            .with_tag(TagStyle::Merged)
            .with_derive("PartialEq")
            .with_derive("schemars::JsonSchema");
        if self.hooks {
            settings
                .with_hooks(HooksMode::Expected)
                // Per-client settings (such as a retry policy) that the hooks read.
                .with_inner_type(quote::quote!(crate::Settings));
        }
        if let Some(secret) = &self.secret_type {
            // Secrets (OpenAPI's `format: password`) never print.
            settings.with_conversion(
                schemars::schema::SchemaObject {
                    instance_type: Some(schemars::schema::InstanceType::String.into()),
                    format: Some("password".to_string()),
                    ..Default::default()
                },
                secret,
                [TypeImpl::FromStr, TypeImpl::Display].into_iter(),
            );
        }
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_the_generated_code_uses_must_be_identifiers() {
        let named = |models: &str, client: &str, mock: bool| Settings {
            models_crate: models.into(),
            client_crate: client.into(),
            mock,
            ..Settings::default()
        };
        assert!(named("bitgo_models", "", false).problem().is_none());
        assert!(
            named("bitgo_models", "bitgo_client", true)
                .problem()
                .is_none()
        );
        for (settings, field) in [
            (Settings::default(), "`models_crate` is ``"),
            (
                named("bitgo-models", "", false),
                "`models_crate` is `bitgo-models`",
            ),
            (named("self", "", false), "`models_crate` is `self`"),
            (named("m", "", true), "`client_crate` is ``"),
        ] {
            let problem = settings.problem().expect("a problem");
            assert!(problem.contains(field), "{problem}");
        }
    }
}
