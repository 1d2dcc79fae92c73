//! Faithfulness, measured: stock progenitor (the same pinned version and
//! settings, no normalization, no output rewrites) and this generator on the
//! same spec, compared by their public surfaces — every type, field (name,
//! Rust type, whether it has docs), enum variant, and client method with its
//! parameter and return types.
//!
//! Differences the output rewrites make are expected and listed by name;
//! every other difference is reported, and so is every doc that stock
//! output has and ours lost.

use std::collections::BTreeMap;

use quote::ToTokens;

use crate::generate;
use crate::openapi::Document;
use crate::panic;
use crate::spec::{self, LoadOptions};
use crate::target::settings::Settings;

/// One item of a public surface, as a line such as
/// `field Wallet.id: String` or `method get_wallet(id: &'a str) -> ...`.
pub type Item = String;

/// A generated API's public surface: each item, and whether it has docs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    pub items: BTreeMap<Item, bool>,
    /// `merge-identical-types`' aliases: alias → the type it stands for.
    pub aliases: BTreeMap<String, String>,
}

/// Stock and ours, side by side.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// In stock output only, not explained by an output rewrite.
    pub only_stock: Vec<Item>,
    /// In ours only, not explained by an output rewrite.
    pub only_ours: Vec<Item>,
    /// Items both have, documented in stock output and not in ours.
    pub lost_docs: Vec<Item>,
    /// Differences explained by output rewrites: `(rewrite, item)`.
    pub rewrites: Vec<(&'static str, Item)>,
    /// The normalization passes that changed the spec, with how often.
    pub passes: BTreeMap<&'static str, usize>,
}

impl Comparison {
    /// No doc lost, and no difference that no pass or rewrite explains:
    /// where no pass changed the spec, the surfaces are equal but for the
    /// output rewrites.
    pub fn is_faithful(&self) -> bool {
        let unexplained = !self.only_stock.is_empty() || !self.only_ours.is_empty();
        self.lost_docs.is_empty() && (!self.passes.is_empty() || !unexplained)
    }
}

/// Why the comparison could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Stock progenitor refuses or panics on this spec: there is nothing to
    /// be faithful to.
    StockFails(String),
    /// This generator refuses it (an error of ours).
    OursFails(String),
}

/// Stock progenitor's output for `text`: its `types` module and the client
/// (as one file, as stock progenitor writes it).
pub fn stock(text: &str, settings: &Settings) -> Result<syn::File, String> {
    let json = crate::openapi::yaml::to_json(text).map_err(|(_, message)| message)?;
    let openapi: openapiv3::OpenAPI = serde_json::from_value(json).map_err(|e| e.to_string())?;
    let mut generator = progenitor_impl::Generator::new(&settings.progenitor());
    let tokens = panic::catch(|| generator.generate_tokens(&openapi))
        .map_err(|panic| format!("panicked: {panic}"))?
        .map_err(|e| e.to_string())?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
    match declared_twice(&file) {
        Some(what) => Err(format!("does not compile: {what}")),
        None => Ok(file),
    }
}

/// A name stock's output declares twice, which rustc refuses: a field of a
/// struct (two properties typify names alike) or an argument of a method
/// (two parameters progenitor names alike).
fn declared_twice(file: &syn::File) -> Option<String> {
    struct Twice(Option<String>);
    impl<'ast> syn::visit::Visit<'ast> for Twice {
        fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
            let mut seen = std::collections::BTreeSet::new();
            for field in &item.fields {
                if let Some(ident) = &field.ident
                    && !seen.insert(ident.to_string())
                {
                    self.0.get_or_insert(format!(
                        "struct `{}` declares field `{ident}` twice",
                        item.ident
                    ));
                }
            }
            syn::visit::visit_item_struct(self, item);
        }
        fn visit_signature(&mut self, signature: &'ast syn::Signature) {
            let mut seen = std::collections::BTreeSet::new();
            for input in &signature.inputs {
                if let syn::FnArg::Typed(typed) = input
                    && let syn::Pat::Ident(pat) = &*typed.pat
                    && !seen.insert(pat.ident.to_string())
                {
                    self.0.get_or_insert(format!(
                        "`{}` declares argument `{}` twice",
                        signature.ident, pat.ident
                    ));
                }
            }
            syn::visit::visit_signature(self, signature);
        }
    }
    let mut twice = Twice(None);
    syn::visit::Visit::visit_file(&mut twice, file);
    twice.0
}

/// Compares stock progenitor and this generator on the spec `text`.
pub fn compare_with_stock(
    file: &str,
    text: &str,
    settings: &Settings,
) -> Result<Comparison, Refusal> {
    let stock_file = stock(text, settings).map_err(Refusal::StockFails)?;
    let document = Document::parse(file, text).map_err(|e| Refusal::OursFails(e.to_string()))?;
    let spec = spec::load(document, &LoadOptions::default())
        .map_err(|e| Refusal::OursFails(e.to_string()))?;
    let output =
        generate::render(&spec, settings).map_err(|e| Refusal::OursFails(e.to_string()))?;
    let parse = |text: &str| syn::parse_file(text).map_err(|e| Refusal::OursFails(e.to_string()));
    let (models, client) = (parse(&output.models)?, parse(&output.client)?);

    let stock_surface = surface(&types_of(&stock_file), &stock_file);
    let ours = surface(&models.items, &client);
    let mut comparison = compare_surfaces(&stock_surface, &ours);
    for change in spec
        .normalized
        .changes
        .iter()
        .chain(&spec.normalized.dropped)
    {
        *comparison.passes.entry(change.pass).or_default() += 1;
    }
    Ok(comparison)
}

/// Stock's surface against ours: what only one has (unless an output rewrite
/// explains it), and the docs ours lost.
pub fn compare_surfaces(stock: &Surface, ours: &Surface) -> Comparison {
    // Types merged in ours are one type: each side's types named as the
    // type they merged into.
    let merged = |surface: &Surface| Surface {
        items: surface
            .items
            .iter()
            .map(|(item, documented)| (through_aliases(item, &ours.aliases), *documented))
            .collect(),
        aliases: BTreeMap::new(),
    };
    let (stock, ours) = (&merged(stock), &merged(ours));
    let mut comparison = Comparison::default();
    for (item, documented) in &stock.items {
        match ours.items.get(item) {
            Some(ours_documented) => {
                if *documented && !ours_documented {
                    comparison.lost_docs.push(item.clone());
                }
            }
            None => match explained(item) {
                Some(rewrite) => comparison.rewrites.push((rewrite, item.clone())),
                None => comparison.only_stock.push(item.clone()),
            },
        }
    }
    for item in ours.items.keys() {
        if !stock.items.contains_key(item) {
            match explained(item) {
                Some(rewrite) => comparison.rewrites.push((rewrite, item.clone())),
                None => comparison.only_ours.push(item.clone()),
            }
        }
    }
    comparison
}

/// An item with the types its type part names (after the item's own name:
/// `field Wallet.coin: ⟨WalletCoin⟩`) as the types they are aliases of.
fn through_aliases(item: &str, aliases: &BTreeMap<String, String>) -> Item {
    if aliases.is_empty() {
        return item.to_string();
    }
    let Some(start) = [": ", "(", "{", " = "]
        .iter()
        .filter_map(|marker| item.find(marker))
        .min()
    else {
        return item.to_string();
    };
    let (head, tail) = item.split_at(start);
    let mut out = head.to_string();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        // A kept type is never an alias itself: one lookup.
        out.push_str(
            aliases
                .get(word.as_str())
                .map_or(word.as_str(), String::as_str),
        );
        word.clear();
    };
    for c in tail.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The output rewrite that explains a surface difference, if one does.
fn explained(item: &str) -> Option<&'static str> {
    if item.starts_with("method new(") {
        return Some("drop-client-new");
    }
    if item.starts_with("const servers::") {
        return Some("add-servers");
    }
    None
}

/// The items of stock output's `pub mod types { .. }`.
fn types_of(file: &syn::File) -> Vec<syn::Item> {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => {
                m.content.as_ref().map(|(_, items)| items.clone())
            }
            _ => None,
        })
        .unwrap_or_default()
}

fn has_docs(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

/// Tokens as text; trailing commas (which printing and reparsing drop) left out.
fn tokens(item: &impl ToTokens) -> String {
    let text = item
        .to_token_stream()
        .to_string()
        .replace(", >", " >")
        .replace(", )", ")")
        .replace(", ]", "]")
        .replace(", }", " }");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The public surface of the types (`models`) and the client.
pub fn surface(models: &[syn::Item], client: &syn::File) -> Surface {
    let mut items = BTreeMap::new();
    // `merge-identical-types` leaves `pub type Other = Kept;` where stock has
    // a copy of `Kept` named `Other`: its surface is that copy's, with the
    // alias's own docs.
    let local: BTreeMap<String, &syn::Item> = models
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), item)),
            syn::Item::Enum(e) => Some((e.ident.to_string(), item)),
            _ => None,
        })
        .collect();
    let aliases: BTreeMap<String, String> = models
        .iter()
        .filter_map(|item| match item {
            syn::Item::Type(t) if local.contains_key(&tokens(&t.ty)) => {
                Some((t.ident.to_string(), tokens(&t.ty)))
            }
            _ => None,
        })
        .collect();
    let resolved: Vec<syn::Item> = models
        .iter()
        .map(|item| match item {
            syn::Item::Type(t) => match local.get(&tokens(&t.ty)) {
                Some(syn::Item::Struct(kept)) => {
                    let mut copy = kept.clone();
                    copy.ident = t.ident.clone();
                    copy.attrs = t.attrs.clone();
                    syn::Item::Struct(copy)
                }
                Some(syn::Item::Enum(kept)) => {
                    let mut copy = kept.clone();
                    copy.ident = t.ident.clone();
                    copy.attrs = t.attrs.clone();
                    syn::Item::Enum(copy)
                }
                _ => item.clone(),
            },
            _ => item.clone(),
        })
        .collect();
    for item in &resolved {
        match item {
            syn::Item::Struct(s) => {
                items.insert(format!("struct {}", s.ident), has_docs(&s.attrs));
                for (i, field) in s.fields.iter().enumerate() {
                    let name = field
                        .ident
                        .as_ref()
                        .map_or(i.to_string(), ToString::to_string);
                    items.insert(
                        format!("field {}.{name}: {}", s.ident, tokens(&field.ty)),
                        has_docs(&field.attrs),
                    );
                }
            }
            syn::Item::Enum(e) => {
                items.insert(format!("enum {}", e.ident), has_docs(&e.attrs));
                for variant in &e.variants {
                    let fields = tokens(&variant.fields);
                    items.insert(
                        format!("variant {}::{}{fields}", e.ident, variant.ident),
                        has_docs(&variant.attrs),
                    );
                }
            }
            syn::Item::Type(t) => {
                items.insert(
                    format!("type {} = {}", t.ident, tokens(&t.ty)),
                    has_docs(&t.attrs),
                );
            }
            _ => {}
        }
    }
    for item in &client.items {
        match item {
            syn::Item::Impl(block)
                if block.trait_.is_none() && tokens(&block.self_ty) == "Client" =>
            {
                for member in &block.items {
                    if let syn::ImplItem::Fn(f) = member
                        && matches!(f.vis, syn::Visibility::Public(_))
                    {
                        let inputs: Vec<String> = f.sig.inputs.iter().map(tokens).collect();
                        items.insert(
                            format!(
                                "method {}({}) {}",
                                f.sig.ident,
                                inputs.join(", "),
                                tokens(&f.sig.output)
                            ),
                            has_docs(&f.attrs),
                        );
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "servers" => {
                for inner in m.content.iter().flat_map(|(_, items)| items) {
                    if let syn::Item::Const(c) = inner {
                        items.insert(format!("const servers::{}", c.ident), has_docs(&c.attrs));
                    }
                }
            }
            _ => {}
        }
    }
    Surface { items, aliases }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface_of(tokens: proc_macro2::TokenStream) -> Surface {
        let file: syn::File = syn::parse2(tokens).unwrap();
        surface(&types_of(&file), &file)
    }

    #[test]
    fn stock_output_that_declares_a_name_twice_does_not_compile() {
        let fields: syn::File = syn::parse_quote! {
            pub struct FileObject { pub id: String, pub id: ::serde_json::Value }
        };
        assert_eq!(
            declared_twice(&fields).as_deref(),
            Some("struct `FileObject` declares field `id` twice")
        );
        let arguments: syn::File = syn::parse_quote! {
            impl Client { pub async fn list_calls(&self, start_time: Option<&str>, start_time: Option<&str>) {} }
        };
        assert_eq!(
            declared_twice(&arguments).as_deref(),
            Some("`list_calls` declares argument `start_time` twice")
        );
        let clean: syn::File = syn::parse_quote! {
            pub struct A { pub id: String }
            impl Client { pub async fn get(&self, id: &str) {} pub async fn put(&self, id: &str) {} }
        };
        assert_eq!(declared_twice(&clean), None);
    }

    #[test]
    fn lost_docs_changed_types_and_rewrites_are_told_apart() {
        let stock = surface_of(quote::quote! {
            pub mod types {
                /// A wallet.
                pub struct Wallet {
                    /// Its id.
                    pub id: String,
                    pub label: Option<String>,
                }
            }
            pub struct Client;
            impl Client {
                pub fn new(baseurl: &str) -> Self { todo!() }
                pub async fn get_wallet<'a>(&'a self, id: &'a str) -> Result<Wallet, ()> { todo!() }
            }
        });
        let ours = surface_of(quote::quote! {
            pub mod types {
                /// A wallet.
                pub struct Wallet {
                    pub id: String,
                    pub label: Option<i64>,
                }
            }
            pub struct Client;
            impl Client {
                pub async fn get_wallet<'a>(&'a self, id: &'a str) -> Result<Wallet, ()> { todo!() }
            }
            pub mod servers {
                pub const PRODUCTION: &str = "https://example.com";
            }
        });
        let comparison = compare_surfaces(&stock, &ours);
        assert_eq!(comparison.lost_docs, ["field Wallet.id: String"]);
        assert_eq!(
            comparison.only_stock,
            ["field Wallet.label: Option < String >"]
        );
        assert_eq!(comparison.only_ours, ["field Wallet.label: Option < i64 >"]);
        let rewrites: Vec<&str> = comparison.rewrites.iter().map(|(r, _)| *r).collect();
        assert_eq!(rewrites, ["drop-client-new", "add-servers"]);
        assert!(!comparison.is_faithful());
        assert!(compare_surfaces(&stock, &stock).is_faithful());
    }

    #[test]
    fn merged_types_read_as_the_types_they_stand_for() {
        let stock = surface_of(quote::quote! {
            pub mod types {
                pub enum Coin { Btc }
                pub enum WalletCoin { Btc }
                pub struct Wallet { pub coin: WalletCoin }
                /// An account.
                pub struct Account { pub coin: Coin }
            }
        });
        let ours = surface_of(quote::quote! {
            pub mod types {
                pub enum Coin { Btc }
                pub type WalletCoin = Coin;
                pub struct Wallet { pub coin: WalletCoin }
                /// An account.
                pub type Account = Wallet;
            }
        });
        let comparison = compare_surfaces(&stock, &ours);
        assert!(comparison.is_faithful(), "{comparison:#?}");
        assert!(comparison.only_stock.is_empty() && comparison.only_ours.is_empty());
        // A merge that changed a field's type would still show.
        let changed = surface_of(quote::quote! {
            pub mod types {
                pub enum Coin { Btc }
                pub type WalletCoin = Coin;
                pub struct Wallet { pub coin: String }
                /// An account.
                pub type Account = Wallet;
            }
        });
        assert!(!compare_surfaces(&stock, &changed).is_faithful());
    }
}
