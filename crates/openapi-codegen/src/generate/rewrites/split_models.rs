//! `split-models`: the models as several crates, so that cargo checks two at
//! a time. rustc checks a crate on one core, and its peak memory grows with
//! the crate: BitGo's whole API in one models crate took 48–65 s and 2.6 GB
//! to `cargo check` on two cores.
//!
//! `gate-by-feature` has put each item behind the features whose operations
//! reach it; reachability is closed (a type's fields are reached whenever
//! the type is), so the features of what a type names include its own. The
//! tags' features are dealt into groups, and each item goes by its `#[cfg]`:
//! - `shared`: the items every crate may name: those compiled always, or
//!   with features of more than one group, and the helper modules;
//! - `part-N`: the items compiled only with features of group N; they name
//!   only their own crate's and `shared`'s;
//! - `other`: the types no operation reaches (`full` alone), which may name
//!   any part's.
//!
//! Each crate glob-imports the crates below it; the models crate itself
//! becomes a facade that re-exports them all, so every path users had
//! (`models::Type`, `models::builder::Type`, `models::defaults::f`) stays.

use std::collections::BTreeSet;

use super::Files;
use super::features::Cfg;
use crate::target::features::{FULL, Features};
use crate::target::settings::{ModelPart, Settings};

/// The modules whose items go with the types they belong to; every crate
/// gets its own (the others are helpers, and stay in `shared`).
const SPLIT_MODULES: [&str; 2] = ["defaults", "builder"];

/// Splits `files.models` into `files.model_parts`; returns one line per crate.
pub fn split_models(
    spec_json: &serde_json::Value,
    settings: &Settings,
    files: &mut Files,
) -> Vec<String> {
    let parts = settings.model_parts();
    if parts.is_empty() {
        return Vec::new();
    }
    // Each item with the features its `#[cfg]` compiles it with, read once.
    let read = |item: syn::Item| {
        let cfg = Cfg::of(attrs(&item));
        (item, cfg)
    };
    let mut top: Vec<(syn::Item, Cfg)> = Vec::new();
    // The split modules: their attributes, and their items.
    let mut split: Vec<(syn::ItemMod, Vec<(syn::Item, Cfg)>)> = Vec::new();
    for item in std::mem::take(&mut files.models.items) {
        match item {
            syn::Item::Mod(mut m) if SPLIT_MODULES.iter().any(|s| m.ident == s) => {
                let inner = m.content.take().map(|(_, items)| items).unwrap_or_default();
                let inner = inner.into_iter().map(|mut item| {
                    // Named from other crates now.
                    if let syn::Item::Fn(f) = &mut item {
                        f.vis = syn::parse_quote!(pub);
                    }
                    read(item)
                });
                split.push((m, inner.collect()));
            }
            item => top.push(read(item)),
        }
    }
    let features = Features::of(spec_json);
    // Each item counts once, with the items its companions will add.
    let weighed = top
        .iter()
        .chain(split.iter().flat_map(|(_, inner)| inner))
        .map(|(item, cfg)| (cfg, 1 + files.companions.len_after(item)));
    let groups = groups(&features, weighed, settings.model_groups);
    let other = parts.len() - 1;
    let place = |cfg: &Cfg| crate_of(cfg, &groups, other);

    // Each crate's items: `use`s go to every crate, helper modules to `shared`.
    let sort = |items: Vec<(syn::Item, Cfg)>| {
        let mut by_crate: Vec<Vec<syn::Item>> = vec![Vec::new(); parts.len()];
        for (item, cfg) in items {
            match item {
                syn::Item::Use(_) => {
                    for list in &mut by_crate {
                        list.push(item.clone());
                    }
                }
                syn::Item::Mod(_) => by_crate[0].push(item),
                item => by_crate[place(&cfg)].push(item),
            }
        }
        by_crate
    };
    // A default goes with the type it makes: it may build it through a
    // private field (typify's constrained newtypes), which only its own
    // crate can. The type's crate compiles it (its features include the
    // default's: a default is reached only through a type that names it).
    let type_crates: std::collections::BTreeMap<String, usize> = top
        .iter()
        .filter_map(|(item, cfg)| {
            let name = match item {
                syn::Item::Struct(s) => &s.ident,
                syn::Item::Enum(e) => &e.ident,
                syn::Item::Type(t) => &t.ident,
                _ => return None,
            };
            Some((name.to_string(), place(cfg)))
        })
        .collect();
    let items = sort(top);
    let mut modules: Vec<(syn::ItemMod, Vec<Vec<syn::Item>>)> = split
        .into_iter()
        .map(|(m, inner)| {
            let by_crate = sort(inner);
            if m.ident != "defaults" {
                return (m, by_crate);
            }
            let mut moved: Vec<Vec<syn::Item>> = vec![Vec::new(); by_crate.len()];
            for (at, list) in by_crate.into_iter().enumerate() {
                for item in list {
                    let to = match &item {
                        syn::Item::Fn(f) => returned_type(f)
                            .and_then(|name| type_crates.get(&name).copied())
                            .unwrap_or(at),
                        _ => at,
                    };
                    moved[to].push(item);
                }
            }
            (m, moved)
        })
        .collect();

    let mut lines = Vec::new();
    for (at, (part, mut own)) in parts.iter().zip(items).enumerate() {
        let below = &parts[..part.below];
        let mut file_items: Vec<syn::Item> = below
            .iter()
            .map(|b| {
                let ident = syn::Ident::new(&b.crate_ident, proc_macro2::Span::call_site());
                syn::parse_quote! {
                    #[allow(unused_imports)]
                    use ::#ident::*;
                }
            })
            .collect();
        // Counted as `weighed` counts them, with their companions' items.
        let count: usize = own.iter().map(|i| 1 + files.companions.len_after(i)).sum();
        file_items.append(&mut own);
        for (module, by_crate) in &mut modules {
            let name = &module.ident;
            let reexports = below.iter().map(|b| {
                let ident = syn::Ident::new(&b.crate_ident, proc_macro2::Span::call_site());
                quote::quote!(#[allow(unused_imports)] pub use ::#ident::#name::*;)
            });
            // The items move in as they are (quoting them to tokens and back
            // was a copy of every builder at once).
            let reexports: syn::File = syn::parse_quote!(#(#reexports)*);
            let mut body = reexports.items;
            body.append(&mut by_crate[at]);
            let mut m = module.clone();
            m.content = Some((Default::default(), body));
            file_items.push(syn::Item::Mod(m));
        }
        lines.push(describe(part, at, other, &groups, count));
        files.model_parts.push((
            part.suffix.clone(),
            syn::File {
                shebang: None,
                frontmatter: None,
                attrs: Vec::new(),
                items: file_items,
            },
        ));
    }

    // The facade: every crate's items, and one of each split module.
    let idents: Vec<syn::Ident> = parts
        .iter()
        .map(|p| syn::Ident::new(&p.crate_ident, proc_macro2::Span::call_site()))
        .collect();
    // A crate's items are all behind features: with none, it is empty.
    // Inlined, the facade's docs list every type, as one crate's did.
    let facade: syn::File =
        syn::parse_quote!(#(#[doc(inline)] #[allow(unused_imports)] pub use ::#idents::*;)*);
    files.models.items = facade.items;
    for (module, _) in modules {
        let name = &module.ident;
        let mut m = module.clone();
        let body: syn::File = syn::parse_quote!(
            #(#[doc(inline)] #[allow(unused_imports)] pub use ::#idents::#name::*;)*
        );
        m.content = Some((Default::default(), body.items));
        files.models.items.push(syn::Item::Mod(m));
    }
    lines
}

/// The name of the type a function returns by a path (`super::Mode`,
/// `Mode`), if it does.
fn returned_type(f: &syn::ItemFn) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = &f.sig.output else {
        return None;
    };
    let syn::Type::Path(path) = ty.as_ref() else {
        return None;
    };
    Some(path.path.segments.last()?.ident.to_string())
}

/// An item's attributes (the `#[cfg]`s are among them).
fn attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Struct(s) => &s.attrs,
        syn::Item::Enum(e) => &e.attrs,
        syn::Item::Type(t) => &t.attrs,
        syn::Item::Union(u) => &u.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Fn(f) => &f.attrs,
        syn::Item::Const(c) => &c.attrs,
        syn::Item::Static(s) => &s.attrs,
        syn::Item::Trait(t) => &t.attrs,
        syn::Item::Macro(m) => &m.attrs,
        _ => &[],
    }
}

/// The tags' features dealt into `count` groups, each to the group with the
/// fewest items so far, the features with most items of their own first
/// (ties by name, so the same spec always splits the same way).
fn groups<'a>(
    features: &Features,
    cfgs: impl Iterator<Item = (&'a Cfg, usize)>,
    count: usize,
) -> Vec<BTreeSet<String>> {
    let mut own: std::collections::BTreeMap<&str, usize> =
        features.tags.iter().map(|f| (f.name.as_str(), 0)).collect();
    for (cfg, items) in cfgs {
        if let Cfg::Any(f) = cfg
            && f.len() == 1
            && let Some(n) = own.get_mut(f.first().map(String::as_str).unwrap_or_default())
        {
            *n += items;
        }
    }
    let mut order: Vec<(&str, usize)> = own.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut groups = vec![(0usize, BTreeSet::new()); count];
    for (feature, items) in order {
        let lightest = (0..count).min_by_key(|&i| (groups[i].0, i)).unwrap_or(0);
        groups[lightest].0 += items;
        groups[lightest].1.insert(feature.to_string());
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// The crate an item compiled with `cfg` goes to: 0 (`shared`), 1..=N (a
/// group's), or `other`.
fn crate_of(cfg: &Cfg, groups: &[BTreeSet<String>], other: usize) -> usize {
    match cfg {
        Cfg::Always => 0,
        Cfg::Any(features) if features.len() == 1 && features.contains(FULL) => other,
        Cfg::Any(features) => groups
            .iter()
            .position(|g| features.is_subset(g))
            .map_or(0, |i| i + 1),
        // An impl between types gated apart goes with the last of them (the
        // one that names the others); two groups' types only meet in `other`.
        Cfg::All(cfgs) => {
            let crates: BTreeSet<usize> = cfgs
                .iter()
                .map(|c| crate_of(c, groups, other))
                .filter(|&c| c != 0)
                .collect();
            match crates.len() {
                0 => 0,
                1 => crates.into_iter().next().unwrap_or(0),
                _ => other,
            }
        }
    }
}

fn describe(
    part: &ModelPart,
    at: usize,
    other: usize,
    groups: &[BTreeSet<String>],
    items: usize,
) -> String {
    let what = match at {
        0 => "the types every group names, and those always compiled".to_string(),
        at if at == other => format!("the types no operation reaches (`{FULL}` alone)"),
        at => format!(
            "the types only the features {} reach",
            groups[at - 1]
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("crate `{}`: {items} items: {what}", part.crate_ident)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn spec() -> serde_json::Value {
        serde_json::json!({"paths": {
            "/w": {"get": {"operationId": "w", "tags": ["Wallet"]}},
            "/k": {"get": {"operationId": "k", "tags": ["Key"]}},
        }})
    }

    fn names(file: &syn::File) -> Vec<String> {
        file.items
            .iter()
            .map(|item| match item {
                syn::Item::Struct(s) => s.ident.to_string(),
                syn::Item::Impl(i) => format!("impl {}", i.self_ty.to_token_stream()),
                syn::Item::Mod(m) => format!(
                    "mod {} {{ {} }}",
                    m.ident,
                    m.content
                        .iter()
                        .flat_map(|(_, items)| items)
                        .map(|i| i.to_token_stream().to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                other => other.to_token_stream().to_string(),
            })
            .collect()
    }

    #[test]
    fn items_go_to_the_crate_of_their_features_and_the_models_reexport_them_all() {
        let models: syn::File = syn::parse_quote! {
            pub struct Shared;
            #[cfg(any(feature = "key", feature = "wallet"))]
            pub struct Both;
            #[cfg(feature = "wallet")]
            pub struct Wallet { pub both: Both }
            #[cfg(feature = "wallet")]
            impl Wallet {}
            #[cfg(feature = "key")]
            pub struct Key;
            #[cfg(all(feature = "key", any(feature = "key", feature = "wallet")))]
            impl From<Key> for Vec<Both> { fn from(_: Key) -> Self { Vec::new() } }
            #[cfg(feature = "full")]
            pub struct Unused { pub key: Key, pub wallet: Wallet }
            pub mod defaults {
                #[cfg(feature = "wallet")]
                pub(super) fn wallet_name() -> String { String::new() }
                pub(super) fn default_bool<const V: bool>() -> bool { V }
                // Named by `Unused` alone, but goes with `Key`, whose private
                // field it may build.
                #[cfg(feature = "full")]
                pub(super) fn unused_key() -> super::Key { super::Key }
            }
            pub mod error { pub struct ConversionError; }
        };
        let mut files = Files::new(models, syn::parse_quote!(), None);
        let settings = Settings {
            models_crate: "api_models".to_string(),
            model_groups: 2,
            ..Default::default()
        };
        let lines = split_models(&spec(), &settings, &mut files);
        assert_eq!(lines.len(), 4, "{lines:?}");
        let parts: Vec<(&str, Vec<String>)> = files
            .model_parts
            .iter()
            .map(|(suffix, file)| (suffix.as_str(), names(file)))
            .collect();
        let defaults = |reexports: &str, own: &str| {
            format!(
                "mod defaults {{ {} }}",
                format!("{reexports}{own}").trim_end()
            )
        };
        assert_eq!(
            parts,
            [
                (
                    "shared",
                    vec![
                        "Shared".to_string(),
                        "Both".to_string(),
                        "mod error { pub struct ConversionError ; }".to_string(),
                        defaults(
                            "",
                            "pub fn default_bool < const V : bool > () -> bool { V }"
                        ),
                    ]
                ),
                // The groups: `wallet` has three items of its own, `key` one;
                // the impl between `Key` and `Both` goes with `Key`.
                (
                    "part-1",
                    vec![
                        "# [allow (unused_imports)] use :: api_models_shared :: * ;".to_string(),
                        "Wallet".to_string(),
                        "impl Wallet".to_string(),
                        defaults(
                            "# [allow (unused_imports)] pub use :: api_models_shared :: defaults :: * ; ",
                            "# [cfg (feature = \"wallet\")] pub fn wallet_name () -> String { String :: new () }"
                        ),
                    ]
                ),
                (
                    "part-2",
                    vec![
                        "# [allow (unused_imports)] use :: api_models_shared :: * ;".to_string(),
                        "Key".to_string(),
                        "impl Vec < Both >".to_string(),
                        defaults(
                            "# [allow (unused_imports)] pub use :: api_models_shared :: defaults :: * ; ",
                            "# [cfg (feature = \"full\")] pub fn unused_key () -> super :: Key { super :: Key }"
                        ),
                    ]
                ),
                (
                    "other",
                    vec![
                        "# [allow (unused_imports)] use :: api_models_shared :: * ;".to_string(),
                        "# [allow (unused_imports)] use :: api_models_part_1 :: * ;".to_string(),
                        "# [allow (unused_imports)] use :: api_models_part_2 :: * ;".to_string(),
                        "Unused".to_string(),
                        defaults(
                            "# [allow (unused_imports)] pub use :: api_models_shared :: defaults :: * ; \
                             # [allow (unused_imports)] pub use :: api_models_part_1 :: defaults :: * ; \
                             # [allow (unused_imports)] pub use :: api_models_part_2 :: defaults :: * ; ",
                            ""
                        ),
                    ]
                ),
            ]
        );
        assert_eq!(
            names(&files.models),
            [
                "# [doc (inline)] # [allow (unused_imports)] pub use :: api_models_shared :: * ;",
                "# [doc (inline)] # [allow (unused_imports)] pub use :: api_models_part_1 :: * ;",
                "# [doc (inline)] # [allow (unused_imports)] pub use :: api_models_part_2 :: * ;",
                "# [doc (inline)] # [allow (unused_imports)] pub use :: api_models_other :: * ;",
                "mod defaults { \
                 # [doc (inline)] # [allow (unused_imports)] pub use :: api_models_shared :: defaults :: * ; \
                 # [doc (inline)] # [allow (unused_imports)] pub use :: api_models_part_1 :: defaults :: * ; \
                 # [doc (inline)] # [allow (unused_imports)] pub use :: api_models_part_2 :: defaults :: * ; \
                 # [doc (inline)] # [allow (unused_imports)] pub use :: api_models_other :: defaults :: * ; }",
            ]
        );
    }

    #[test]
    fn one_models_crate_unless_asked() {
        let models: syn::File = syn::parse_quote!(
            pub struct A;
        );
        let mut files = Files::new(models, syn::parse_quote!(), None);
        assert!(split_models(&spec(), &Settings::default(), &mut files).is_empty());
        assert_eq!(names(&files.models), ["A"]);
        assert!(files.model_parts.is_empty());
    }
}
