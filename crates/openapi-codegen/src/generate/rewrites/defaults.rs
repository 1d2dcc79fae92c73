//! `drop-unused-defaults`: the generic helpers of typify's `defaults`
//! module that nothing calls.
//!
//! typify writes a helper for each kind of default it meets
//! (`default_u64`, `default_i64`, ...), and for a float default it registers
//! `default_i64` but then writes a function of its own (`12.34_f64`, in
//! `defaults::<type>_<field>`): `default_i64` is never called, and rustc
//! warns (readme.io's `schema-types.json`). A helper no item names, in an
//! attribute's string (`#[serde(default = "defaults::default_u64::<i64,
//! 1234>")]`) or in code, is removed.

use std::collections::BTreeSet;

use syn::visit::Visit;

/// Removes the helpers of `defaults` that no other item names.
pub fn drop_unused_defaults(models: &mut syn::File) -> Vec<String> {
    let Some(position) = models
        .items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(m) if m.ident == "defaults"))
    else {
        return Vec::new();
    };
    let helpers: BTreeSet<String> = match &models.items[position] {
        syn::Item::Mod(module) => module
            .content
            .iter()
            .flat_map(|(_, items)| items)
            .filter_map(|item| match item {
                syn::Item::Fn(f) if !f.sig.generics.params.is_empty() => {
                    Some(f.sig.ident.to_string())
                }
                _ => None,
            })
            .collect(),
        _ => BTreeSet::new(),
    };
    if helpers.is_empty() {
        return Vec::new();
    }
    struct Named<'a> {
        helpers: &'a BTreeSet<String>,
        named: BTreeSet<String>,
    }
    impl<'ast> Visit<'ast> for Named<'_> {
        fn visit_ident(&mut self, ident: &'ast proc_macro2::Ident) {
            // Compared in place: most idents are no helper's.
            if let Some(helper) = self.helpers.iter().find(|h| ident == h.as_str()) {
                self.named.insert(helper.clone());
            }
        }
        fn visit_lit_str(&mut self, literal: &'ast syn::LitStr) {
            let text = literal.value();
            if text.contains("default_") {
                for helper in self.helpers {
                    if text.contains(&format!("{helper}::")) {
                        self.named.insert(helper.clone());
                    }
                }
            }
        }
        fn visit_meta_list(&mut self, list: &'ast syn::MetaList) {
            // `#[serde(default = "...")]` keeps its string in the tokens.
            if !list.path.is_ident("serde") {
                return syn::visit::visit_meta_list(self, list);
            }
            for tree in list.tokens.clone() {
                if let proc_macro2::TokenTree::Literal(literal) = tree {
                    let text = literal.to_string();
                    for helper in self.helpers {
                        if text.contains(&format!("{helper}::")) {
                            self.named.insert(helper.clone());
                        }
                    }
                }
            }
            syn::visit::visit_meta_list(self, list);
        }
    }
    let mut named = Named {
        helpers: &helpers,
        named: BTreeSet::new(),
    };
    // typify names its helpers in two places only: a field's
    // `#[serde(default = "..")]` and an `impl Default` (a type's or its
    // builder's); the rest of the file (most of it) is not walked.
    fn look(item: &syn::Item, named: &mut Named<'_>) {
        match item {
            syn::Item::Struct(s) => {
                for attr in s.fields.iter().flat_map(|f| &f.attrs) {
                    named.visit_attribute(attr);
                }
            }
            syn::Item::Enum(e) => {
                let fields = e.variants.iter().flat_map(|v| &v.fields);
                for attr in fields.flat_map(|f| &f.attrs) {
                    named.visit_attribute(attr);
                }
            }
            syn::Item::Impl(block)
                if block
                    .trait_
                    .as_ref()
                    .and_then(|(path, _)| path.segments.last())
                    .is_some_and(|s| s.ident == "Default") =>
            {
                named.visit_item_impl(block)
            }
            syn::Item::Mod(module) if module.ident != "defaults" => {
                for item in module.content.iter().flat_map(|(_, items)| items) {
                    look(item, named);
                }
            }
            _ => {}
        }
    }
    for item in &models.items {
        look(item, &mut named);
    }
    let unused: Vec<&String> = helpers.difference(&named.named).collect();
    if unused.is_empty() {
        return Vec::new();
    }
    if let syn::Item::Mod(module) = &mut models.items[position]
        && let Some((_, items)) = &mut module.content
    {
        items.retain(
            |item| !matches!(item, syn::Item::Fn(f) if unused.contains(&&f.sig.ident.to_string())),
        );
    }
    unused
        .iter()
        .map(|helper| format!("removed `defaults::{helper}`, which nothing calls"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_nothing_names_go_and_the_others_stay() {
        let mut models: syn::File = syn::parse_quote! {
            pub struct Numbers {
                #[serde(default = "defaults::default_u64::<i64, 1234>")]
                pub integer: i64,
                #[serde(default = "defaults::numbers_number")]
                pub number: f64,
            }
            impl Default for Flag {
                fn default() -> Self { Self(defaults::default_bool::<true>()) }
            }
            pub mod defaults {
                pub(super) fn default_u64<T, const V: u64>() -> T where T: TryFrom<u64> { todo!() }
                pub(super) fn default_i64<T, const V: i64>() -> T where T: TryFrom<i64> { todo!() }
                pub(super) fn default_bool<const V: bool>() -> bool { V }
                pub(super) fn numbers_number() -> f64 { 12.34_f64 }
            }
        };
        assert_eq!(
            drop_unused_defaults(&mut models),
            ["removed `defaults::default_i64`, which nothing calls"]
        );
        let text = prettyplease::unparse(&models);
        assert!(!text.contains("fn default_i64"), "{text}");
        for kept in ["fn default_u64", "fn default_bool", "fn numbers_number"] {
            assert!(text.contains(kept), "{kept}: {text}");
        }
        assert!(drop_unused_defaults(&mut models).is_empty());
    }
}
