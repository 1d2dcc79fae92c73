//! `openapi/apis.toml`: the APIs this workspace generates, one `[[api]]`
//! table each. Every command acts on all of them, or on one with `--api NAME`.

use std::collections::BTreeSet;
use std::path::Path;

use openapi_codegen::openapi::select::Selection;
use openapi_codegen::target::naming;
use openapi_codegen::{LoadOptions, Settings};
use serde::Deserialize;

/// The config file, relative to the workspace root.
pub const APIS_PATH: &str = "openapi/apis.toml";

/// One API: a spec and the crates generated from it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// What `--api` selects it by.
    pub name: String,
    /// The OpenAPI 3.0 document, relative to the workspace root.
    pub spec: String,
    /// The models crate's directory; its `src/generated.rs` is generated.
    pub models: String,
    /// The client crate's directory; its `src/generated.rs` is generated.
    pub client: String,
    /// The httpmock crate's directory, when the API has one.
    #[serde(default)]
    pub mock: Option<String>,
    /// The client crate's `lib.rs` defines `Settings` (progenitor's inner
    /// type) and implements `ClientHooks` by hand.
    #[serde(default)]
    pub hooks: bool,
    /// Builder-style operations and a builder for every struct. Off by
    /// default: builders are about half of typify's output.
    #[serde(default)]
    pub builders: bool,
    /// The Rust type for `format: password` strings (say `crate::Secret`,
    /// defined by hand in the models crate); plain `String` when absent.
    #[serde(default)]
    pub secret_type: Option<String>,
    /// Which operations to generate; all when absent.
    #[serde(default)]
    pub operations: Option<Selection>,
    /// Time and memory limits for generating this API.
    #[serde(default)]
    pub budget: crate::budget::Budget,
    /// The crates' default cargo features (`["full"]` when absent): `full`,
    /// `schemars`, or a tag's feature.
    #[serde(default)]
    pub default_features: Option<Vec<String>>,
    /// Split the models into a crate per this many groups of tags, plus
    /// `-shared` and `-other` (the output rewrite `split-models`): cargo
    /// checks them two at a time. 0 (the default): one models crate.
    #[serde(default)]
    pub model_groups: usize,
    /// `generate` and `check` fail when the passes had to drop anything
    /// (an operation, a parameter, a response, a security requirement), as
    /// `--strict` makes `generate` do: a team that owns its spec keeps it
    /// free of what the client cannot do.
    #[serde(default)]
    pub strict: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    api: Vec<Api>,
}

impl Api {
    /// The Rust name of a crate from its directory (`crates/bitgo-models` →
    /// `bitgo_models`).
    pub fn crate_ident(dir: &str) -> String {
        naming::crate_ident(dir)
    }

    /// The generator's settings for this API's crates.
    pub fn settings(&self) -> Settings {
        Settings {
            models_crate: Api::crate_ident(&self.models),
            client_crate: Api::crate_ident(&self.client),
            mock: self.mock.is_some(),
            hooks: self.hooks,
            builders: self.builders,
            secret_type: self.secret_type.clone(),
            model_groups: self.model_groups,
        }
    }

    /// The directory of each of the models' crates when they are split
    /// (`{models}-shared`, `{models}-part-1`, ..), with its Rust name.
    pub fn model_parts(&self) -> Vec<(String, openapi_codegen::target::settings::ModelPart)> {
        let models = self.models.trim_end_matches('/');
        self.settings()
            .model_parts()
            .into_iter()
            .map(|part| (format!("{models}-{}", part.suffix), part))
            .collect()
    }

    /// How to load this API's spec: its operation selection, and the passes
    /// `skip_passes` names (`XTASK_SKIP_PASSES`, for debugging).
    pub fn load_options(&self, skip_passes: &[String]) -> LoadOptions {
        LoadOptions {
            selection: self.operations.clone(),
            skip_passes: skip_passes.to_vec(),
        }
    }

    /// The diff's names for this API's crates.
    pub fn crates(&self) -> openapi_codegen::diff::Crates {
        openapi_codegen::diff::Crates {
            models: Api::crate_ident(&self.models),
            client: Api::crate_ident(&self.client),
        }
    }

    pub fn models_file(&self) -> String {
        format!("{}/src/generated.rs", self.models.trim_end_matches('/'))
    }

    pub fn client_file(&self) -> String {
        format!("{}/src/generated.rs", self.client.trim_end_matches('/'))
    }

    pub fn mock_file(&self) -> Option<String> {
        self.mock
            .as_ref()
            .map(|m| format!("{}/src/generated.rs", m.trim_end_matches('/')))
    }

    /// A standalone API for `generate --spec PATH --out DIR`: crates named
    /// after the spec file (`api.yaml` → `api-models`, `api-client`).
    pub fn standalone(spec: &Path) -> Api {
        let stem = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("api")
            .to_ascii_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-");
        // One `-` between words, none at the end: rustc warns on a crate
        // named `a___b` (`non_snake_case`), and `-D warnings` fails.
        let stem = stem
            .split('-')
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let stem = if stem.is_empty() {
            "api".to_string()
        } else if stem.starts_with(|c: char| c.is_ascii_alphabetic()) {
            stem
        } else {
            format!("api-{stem}")
        };
        Api {
            name: stem.clone(),
            spec: spec.display().to_string(),
            models: format!("{stem}-models"),
            client: format!("{stem}-client"),
            mock: None,
            hooks: false,
            builders: false,
            secret_type: None,
            operations: None,
            budget: Default::default(),
            default_features: None,
            model_groups: 0,
            strict: false,
        }
    }
}

/// Reads the config of the workspace at `root`; `only` keeps one API.
pub fn load(root: &Path, only: Option<&str>) -> Result<Vec<Api>, String> {
    load_recorded(root, only, &mut Vec::new())
}

/// [`load`], adding the bytes it read to `read` (`cargo xtask`'s stamp).
pub fn load_recorded(
    root: &Path,
    only: Option<&str>,
    read: &mut Vec<crate::stamp::Entry>,
) -> Result<Vec<Api>, String> {
    let text = std::fs::read_to_string(root.join(APIS_PATH))
        .map_err(|e| format!("{APIS_PATH}: cannot read the API list: {e}"))?;
    read.push(crate::stamp::Entry::of(APIS_PATH, text.as_bytes()));
    let apis = parse(&text)?;
    match only {
        None => Ok(apis),
        Some(name) => {
            let found: Vec<Api> = apis.iter().filter(|a| a.name == name).cloned().collect();
            if found.is_empty() {
                let names: Vec<&str> = apis.iter().map(|a| a.name.as_str()).collect();
                return Err(format!(
                    "{APIS_PATH}: no API named {name:?}; the APIs are {}",
                    names.join(", ")
                ));
            }
            Ok(found)
        }
    }
}

/// Parses and checks the config text: names and generated paths must be unique.
pub fn parse(text: &str) -> Result<Vec<Api>, String> {
    let file: File = toml::from_str(text).map_err(|e| {
        let message = e.message().to_string();
        match e.span() {
            Some(span) => {
                let line = text[..span.start].matches('\n').count() + 1;
                format!("{APIS_PATH}: line {line}: {message}")
            }
            None => format!("{APIS_PATH}: {message}"),
        }
    })?;
    let mut names = BTreeSet::new();
    let mut paths = BTreeSet::new();
    for api in &file.api {
        if api.name.is_empty() || !names.insert(api.name.clone()) {
            return Err(format!(
                "{APIS_PATH}: API names must be unique and not empty; {:?} is not",
                api.name
            ));
        }
        let crates = [Some(&api.models), Some(&api.client), api.mock.as_ref()];
        for dir in crates.into_iter().flatten() {
            if !paths.insert(dir.clone()) {
                return Err(format!(
                    "{APIS_PATH}: API {:?}: crate directory {dir:?} is generated by another API too",
                    api.name
                ));
            }
        }
    }
    Ok(file.api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_workspace_config() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let apis = load(root, None).unwrap();
        assert_eq!(apis[0].spec, "openapi/bitgo.yaml");
        assert_eq!(Api::crate_ident(&apis[0].models), "bitgo_models");
        assert!(apis[0].hooks && apis[0].builders);
    }

    #[test]
    fn standalone_crates_are_named_in_snake_case_words() {
        let name = |file: &str| Api::standalone(Path::new(file)).models;
        assert_eq!(name("dir/api.yaml"), "api-models");
        assert_eq!(
            name("example1_from_._Different_servers.md.yaml"),
            "example1-from-different-servers-md-models"
        );
        assert_eq!(name("2020-09-14.yml"), "api-2020-09-14-models");
        assert_eq!(name("__.yaml"), "api-models");
    }

    #[test]
    fn rejects_unknown_keys_duplicates_and_unknown_names() {
        let one = "[[api]]\nname = \"a\"\nspec = \"a.yaml\"\nmodels = \"m\"\nclient = \"c\"\n";
        assert!(
            parse(&format!("{one}colour = 1\n"))
                .unwrap_err()
                .contains("line 6")
        );
        assert!(
            parse(&format!("{one}{one}"))
                .unwrap_err()
                .contains("unique")
        );
        let two = one.replace("name = \"a\"", "name = \"b\"");
        assert!(
            parse(&format!("{one}{two}"))
                .unwrap_err()
                .contains("another API")
        );
    }
}
