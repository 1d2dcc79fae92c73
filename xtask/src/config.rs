//! `openapi/apis.toml`: the APIs this workspace generates, one `[[api]]`
//! table each. Every command acts on all of them, or on one with `--api NAME`.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::normalize::METHODS;

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
}

/// Operations to keep: those matching any listed tag, operationId or path
/// prefix.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub operation_ids: Vec<String>,
    #[serde(default)]
    pub path_prefixes: Vec<String>,
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
        dir.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(dir)
            .replace('-', "_")
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
        let stem = if stem.starts_with(|c: char| c.is_ascii_alphabetic()) {
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
        }
    }
}

/// Reads the config of the workspace at `root`; `only` keeps one API.
pub fn load(root: &Path, only: Option<&str>) -> Result<Vec<Api>, String> {
    let text = std::fs::read_to_string(root.join(APIS_PATH))
        .map_err(|e| format!("{APIS_PATH}: cannot read the API list: {e}"))?;
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

impl Selection {
    /// Removes the operations this selection does not keep from `doc`, and
    /// the component schemas only they used (progenitor generates a type for
    /// every component, used or not); returns how many operations went.
    pub fn apply(&self, doc: &mut Value) -> usize {
        let removed = self.remove_operations(doc);
        prune_components(doc);
        removed
    }

    fn remove_operations(&self, doc: &mut Value) -> usize {
        let mut removed = 0;
        let Some(Value::Object(paths)) = doc.get_mut("paths") else {
            return 0;
        };
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let methods: Vec<String> = item
                .keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .cloned()
                .collect();
            for method in methods {
                let operation = &item[&method];
                let id = operation.get("operationId").and_then(Value::as_str);
                let tags: Vec<&str> = operation
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|t| t.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let keep = self
                    .path_prefixes
                    .iter()
                    .any(|p| path.starts_with(p.as_str()))
                    || id.is_some_and(|id| self.operation_ids.iter().any(|o| o == id))
                    || tags.iter().any(|t| self.tags.iter().any(|k| k == t));
                if !keep {
                    item.remove(&method);
                    removed += 1;
                }
            }
        }
        paths.retain(|_, item| {
            item.as_object()
                .is_none_or(|item| METHODS.iter().any(|m| item.contains_key(*m)))
        });
        removed
    }
}

/// Removes component schemas that nothing outside `components.schemas`
/// reaches through `$ref`s (directly or through other schemas).
pub(crate) fn prune_components(doc: &mut Value) {
    const PREFIX: &str = "#/components/schemas/";
    fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    match child {
                        Value::String(s) if key == "$ref" => out.push(s),
                        // Discriminator mappings name schemas too.
                        Value::String(s) if s.starts_with(PREFIX) => out.push(s),
                        _ => refs(child, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    let mut roots = Vec::new();
    if let Value::Object(root) = &*doc {
        for (key, value) in root {
            if key == "components" {
                for (kind, section) in value.as_object().into_iter().flatten() {
                    if kind != "schemas" {
                        refs(section, &mut roots);
                    }
                }
            } else {
                refs(value, &mut roots);
            }
        }
    }
    let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
    let mut reached = std::collections::BTreeSet::new();
    let mut queue: Vec<String> = roots
        .iter()
        .filter_map(|r| r.strip_prefix(PREFIX).map(unescape))
        .collect();
    while let Some(name) = queue.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get(&name) {
            let mut found = Vec::new();
            refs(schema, &mut found);
            queue.extend(
                found
                    .iter()
                    .filter_map(|r| r.strip_prefix(PREFIX).map(unescape)),
            );
        }
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.retain(|name, _| reached.contains(name));
    }
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

    #[test]
    fn selection_prunes_the_components_only_dropped_operations_used() {
        let schema =
            |name: &str| serde_json::json!({"$ref": format!("#/components/schemas/{name}")});
        let body = |name: &str| serde_json::json!({"200": {"description": "", "content": {"application/json": {"schema": schema(name)}}}});
        let mut doc = serde_json::json!({
            "paths": {
                "/kept": {"get": {"operationId": "kept", "responses": body("A")}},
                "/gone": {"get": {"operationId": "gone", "responses": body("C")}}
            },
            "components": {"schemas": {
                "A": {"properties": {"b": schema("B")}},
                "B": {"oneOf": [schema("D")], "discriminator": {"propertyName": "k", "mapping": {"d": "#/components/schemas/D"}}},
                "C": {}, "D": {}, "E": {"properties": {"c": schema("C")}}
            }}
        });
        let selection = Selection {
            operation_ids: vec!["kept".into()],
            ..Default::default()
        };
        assert_eq!(selection.apply(&mut doc), 1);
        let names: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, ["A", "B", "D"]);
    }

    #[test]
    fn selection_keeps_matching_operations_only() {
        let mut doc = serde_json::json!({"paths": {
            "/a/x": {"get": {"operationId": "ax"}},
            "/b": {"get": {"operationId": "b", "tags": ["T"]}, "post": {"operationId": "c"}},
            "/d": {"get": {"operationId": "d"}}
        }});
        let selection = Selection {
            tags: vec!["T".into()],
            operation_ids: vec!["d".into()],
            path_prefixes: vec!["/a".into()],
        };
        assert_eq!(selection.apply(&mut doc), 1);
        assert!(doc.pointer("/paths/~1b/post").is_none());
        assert!(doc.pointer("/paths/~1b/get").is_some());
        assert!(doc.pointer("/paths/~1d/get").is_some());
    }
}
