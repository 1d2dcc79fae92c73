//! The cargo features of the generated crates: one per tag of the spec, so
//! that a user of one tag compiles only its operations and the types they
//! reach, and `full` for everything (also the types no operation reaches).
//! The output rewrite `gate-by-feature` puts the `#[cfg]`s in; `cargo xtask
//! generate` writes the `[features]` tables.

use std::collections::BTreeMap;

use serde_json::Value;

use super::naming::feature_name;
use crate::openapi::operations::operations;

/// The feature with every tag, and the types no operation reaches.
pub const FULL: &str = "full";

/// The feature of the derives and impls of `schemars::JsonSchema`.
pub const SCHEMARS: &str = "schemars";

/// One tag's feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The cargo feature: the tag in kebab case (`Know Your Business (KYB)`
    /// → `know-your-business-kyb`).
    pub name: String,
    /// The spec's tags it stands for: more than one when their names differ
    /// only in case or punctuation.
    pub tags: Vec<String>,
}

/// The features of one spec, and which operations each gates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    /// By name.
    pub tags: Vec<Feature>,
    /// operationId → the features that turn it on; an operation without
    /// tags is absent, and always compiled.
    pub operations: BTreeMap<String, Vec<String>>,
}

impl Features {
    /// The features of `doc`'s tags (the operations' `tags`, which need not
    /// be declared at the top level).
    pub fn of(doc: &Value) -> Features {
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut by_operation = BTreeMap::new();
        for op in operations(doc) {
            let tags = doc
                .pointer(&op.pointer)
                .and_then(|o| o.get("tags"))
                .and_then(Value::as_array)
                .map(|tags| tags.iter().filter_map(Value::as_str).collect::<Vec<_>>())
                .unwrap_or_default();
            let mut names: Vec<String> = Vec::new();
            for tag in tags {
                let name = feature_name(tag);
                let tags = by_name.entry(name.clone()).or_default();
                if !tags.iter().any(|t| t == tag) {
                    tags.push(tag.to_string());
                }
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            if !names.is_empty() {
                names.sort();
                by_operation.insert(op.id.clone(), names);
            }
        }
        Features {
            tags: by_name
                .into_iter()
                .map(|(name, mut tags)| {
                    tags.sort();
                    Feature { name, tags }
                })
                .collect(),
            operations: by_operation,
        }
    }

    /// The feature names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|f| f.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tags_become_kebab_case_features_and_reserved_names_get_a_prefix() {
        assert_eq!(
            feature_name("Know Your Business (KYB)"),
            "know-your-business-kyb"
        );
        assert_eq!(
            feature_name("Partner Settlements & Transfers"),
            "partner-settlements-transfers"
        );
        assert_eq!(feature_name("Wallet share"), "wallet-share");
        assert_eq!(feature_name("full"), "tag-full");
        assert_eq!(feature_name("Default"), "tag-default");
        assert_eq!(feature_name("schemars"), "tag-schemars");
        assert_eq!(feature_name("✓"), "tag");
    }

    #[test]
    fn operations_get_the_features_of_their_tags_and_untagged_ones_none() {
        let doc = json!({"paths": {
            "/a": {"get": {"operationId": "a", "tags": ["Wallet", "wallet"]}},
            "/b": {"get": {"operationId": "b", "tags": ["Key", "Wallet"]}},
            "/c": {"get": {"operationId": "c"}}
        }});
        let features = Features::of(&doc);
        assert_eq!(
            features.tags,
            vec![
                Feature {
                    name: "key".into(),
                    tags: vec!["Key".into()]
                },
                Feature {
                    name: "wallet".into(),
                    tags: vec!["Wallet".into(), "wallet".into()]
                },
            ]
        );
        assert_eq!(features.operations["a"], vec!["wallet"]);
        assert_eq!(features.operations["b"], vec!["key", "wallet"]);
        assert!(!features.operations.contains_key("c"));
    }
}
