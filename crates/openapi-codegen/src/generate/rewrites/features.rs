//! The cargo features of the generated crates (`target::features`) put into
//! the code: `gate-schemars` puts `schemars::JsonSchema` behind the
//! `schemars` feature, and `gate-by-feature` gates each operation by its
//! tags' features and each type by the features whose operations reach it.

use std::collections::{BTreeMap, BTreeSet};

use crate::fast::HashSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

use super::{Companions, Files};
use crate::target::features::{FULL, Features, SCHEMARS};
use crate::target::naming::{method_name, type_name};

/// Every `derive(schemars::JsonSchema)` becomes
/// `cfg_attr(feature = "schemars", derive(schemars::JsonSchema))`, and every
/// `impl JsonSchema` (typify's for integer enums, `publish-string-constraints`')
/// gets `cfg(feature = "schemars")`, anywhere in the models file.
///
/// Beside a schema named `Box` they all go instead (the `schemars` feature
/// then adds nothing): schemars' derive (0.8) writes `Box::new` unqualified,
/// which there is the schema's type, so no derive would compile.
pub fn gate_schemars(models: &mut syn::File) -> Vec<String> {
    struct Gate {
        derives: usize,
        impls: usize,
        /// Drop the derives and impls rather than gate them.
        drop: bool,
    }
    impl Gate {
        /// Moves the derive; true if there was one. It goes before the
        /// item's `#[serde]` attributes: where serde's derives are gone
        /// (`table-struct-fields`) schemars' derive is what introduces them,
        /// and rustc refuses a helper attribute before its derive
        /// (`legacy_derive_helpers`).
        fn attrs(&mut self, attrs: &mut Vec<syn::Attribute>) -> bool {
            if super::remove_derive(attrs, "JsonSchema") {
                self.derives += 1;
                if self.drop {
                    return true;
                }
                let feature = SCHEMARS;
                let at = attrs
                    .iter()
                    .position(|a| a.path().is_ident("serde"))
                    .unwrap_or(attrs.len());
                attrs.insert(
                    at,
                    super::list_attribute(
                        "cfg_attr",
                        quote::quote!(feature = #feature, derive(schemars::JsonSchema)),
                    ),
                );
                true
            } else {
                false
            }
        }
        fn items(&mut self, items: &mut [syn::Item]) {
            for item in items {
                match item {
                    syn::Item::Struct(s) => {
                        let moved = self.attrs(&mut s.attrs);
                        if moved {
                            serde_helpers_behind_schemars(
                                &mut s.attrs,
                                s.fields.iter_mut(),
                                self.drop,
                            );
                        }
                    }
                    syn::Item::Enum(e) => {
                        let moved = self.attrs(&mut e.attrs);
                        if moved && !has_serde_derive(&e.attrs) {
                            for variant in &mut e.variants {
                                wrap_serde(&mut variant.attrs, self.drop);
                            }
                            let fields = e.variants.iter_mut().flat_map(|v| v.fields.iter_mut());
                            serde_helpers_behind_schemars(&mut e.attrs, fields, self.drop);
                        }
                    }
                    syn::Item::Union(u) => {
                        self.attrs(&mut u.attrs);
                    }
                    syn::Item::Impl(block) => {
                        let is_json_schema = block.trait_.as_ref().is_some_and(|(path, _)| {
                            path.segments
                                .last()
                                .is_some_and(|s| s.ident == "JsonSchema")
                        });
                        if is_json_schema {
                            self.impls += 1;
                            // Dropped ones go after the walk.
                            if !self.drop {
                                insert_cfg(
                                    &mut block.attrs,
                                    &Cfg::Any([SCHEMARS.to_string()].into()),
                                );
                            }
                        }
                    }
                    syn::Item::Mod(m) => {
                        if let Some((_, items)) = &mut m.content {
                            self.items(items);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let drop = models
        .items
        .iter()
        .any(|item| type_ident(item).is_some_and(|name| name == "Box"));
    let mut gate = Gate {
        derives: 0,
        impls: 0,
        drop,
    };
    gate.items(&mut models.items);
    if drop {
        drop_json_schema_impls(&mut models.items);
    }
    if gate.derives + gate.impls == 0 {
        return Vec::new();
    }
    if drop {
        return vec![format!(
            "{} derives and {} impls of `schemars::JsonSchema` are dropped (the `{SCHEMARS}` feature adds nothing): schemars' derive writes `Box::new`, which beside the schema `Box` is its type's",
            gate.derives, gate.impls
        )];
    }
    vec![format!(
        "{} derives and {} impls of `schemars::JsonSchema` are behind the `{SCHEMARS}` feature",
        gate.derives, gate.impls
    )]
}

/// Removes the `impl JsonSchema` items, anywhere in `items`' modules.
fn drop_json_schema_impls(items: &mut Vec<syn::Item>) {
    items.retain(|item| {
        !matches!(item, syn::Item::Impl(block) if block.trait_.as_ref().is_some_and(|(path, _)| {
            path.segments.last().is_some_and(|s| s.ident == "JsonSchema")
        }))
    });
    for item in items {
        if let syn::Item::Mod(m) = item
            && let Some((_, items)) = &mut m.content
        {
            drop_json_schema_impls(items);
        }
    }
}

/// Without serde's derives (`read-every-member` writes the impls), the
/// `#[serde]` attributes are there for schemars' derive alone, which knows
/// them; without it they would be unknown attributes.
///
/// With `drop` (no schemars derive at all) they go.
fn serde_helpers_behind_schemars<'a>(
    attrs: &mut Vec<syn::Attribute>,
    fields: impl Iterator<Item = &'a mut syn::Field>,
    drop: bool,
) {
    if has_serde_derive(attrs) {
        return;
    }
    wrap_serde(attrs, drop);
    for field in fields {
        wrap_serde(&mut field.attrs, drop);
    }
}

fn has_serde_derive(attrs: &[syn::Attribute]) -> bool {
    super::has_derive(attrs, "Serialize") || super::has_derive(attrs, "Deserialize")
}

/// `#[serde(..)]` → `#[cfg_attr(feature = "schemars", serde(..))]`; with
/// `drop`, removed.
fn wrap_serde(attrs: &mut Vec<syn::Attribute>, drop: bool) {
    if drop {
        attrs.retain(|a| !a.path().is_ident("serde"));
        return;
    }
    let feature = SCHEMARS;
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("serde")) {
        let syn::Meta::List(list) = &attr.meta else {
            continue;
        };
        let inner = &list.tokens;
        *attr = super::list_attribute("cfg_attr", quote::quote!(feature = #feature, serde(#inner)));
    }
}

/// When an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cfg {
    /// Always (an untagged operation reaches it, or every tag does).
    Always,
    /// With any of these features.
    Any(BTreeSet<String>),
    /// With all of these (an impl between types gated differently).
    All(Vec<Cfg>),
}

impl Cfg {
    fn tokens(&self) -> Option<TokenStream> {
        let any = |features: &BTreeSet<String>| -> TokenStream {
            let features = features.iter();
            match features.len() {
                1 => quote::quote!(#(feature = #features)*),
                _ => quote::quote!(any(#(feature = #features),*)),
            }
        };
        match self {
            Cfg::Always => None,
            Cfg::Any(features) => Some(any(features)),
            Cfg::All(all) => {
                let all = all.iter().filter_map(Cfg::tokens);
                Some(quote::quote!(all(#(#all),*)))
            }
        }
    }

    /// The tag features an item's `#[cfg]`s (as [`insert_cfg`] writes them)
    /// compile it with; `gate-schemars`' `cfg(feature = "schemars")` is
    /// not a tag's and is left out.
    pub(super) fn of(attrs: &[syn::Attribute]) -> Cfg {
        fn predicate(meta: &syn::Meta) -> Option<Cfg> {
            match meta {
                syn::Meta::NameValue(nv) if nv.path.is_ident("feature") => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(Cfg::Any([s.value()].into())),
                    _ => None,
                },
                syn::Meta::List(list) if list.path.is_ident("any") || list.path.is_ident("all") => {
                    let inner = list
                        .parse_args_with(
                            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                        )
                        .ok()?;
                    let inner: Vec<Cfg> = inner.iter().map(predicate).collect::<Option<_>>()?;
                    if list.path.is_ident("all") {
                        return Some(Cfg::and(inner));
                    }
                    let mut features = BTreeSet::new();
                    for cfg in inner {
                        match cfg {
                            Cfg::Any(f) => features.extend(f),
                            _ => return None,
                        }
                    }
                    Some(Cfg::Any(features))
                }
                _ => None,
            }
        }
        let schemars = Cfg::Any([SCHEMARS.to_string()].into());
        Cfg::and(
            attrs
                .iter()
                .filter(|a| a.path().is_ident("cfg"))
                .filter_map(|a| a.parse_args::<syn::Meta>().ok())
                .filter_map(|meta| predicate(&meta))
                .filter(|cfg| *cfg != schemars)
                .collect(),
        )
    }

    /// Both: the conjunction, without the `Always` parts.
    fn and(cfgs: Vec<Cfg>) -> Cfg {
        let mut parts: Vec<Cfg> = Vec::new();
        for cfg in cfgs {
            if cfg != Cfg::Always && !parts.contains(&cfg) {
                parts.push(cfg);
            }
        }
        match parts.len() {
            0 => Cfg::Always,
            1 => parts.remove(0),
            _ => Cfg::All(parts),
        }
    }
}

/// `#[cfg(..)]` after the item's docs.
pub(super) fn insert_cfg(attrs: &mut Vec<syn::Attribute>, cfg: &Cfg) {
    if let Some(cfg) = cfg_attribute(cfg) {
        insert_after_docs(attrs, cfg);
    }
}

/// `#[cfg(..)]`, none for [`Cfg::Always`].
fn cfg_attribute(cfg: &Cfg) -> Option<syn::Attribute> {
    cfg.tokens()
        .map(|predicate| super::list_attribute("cfg", predicate))
}

fn insert_after_docs(attrs: &mut Vec<syn::Attribute>, attr: syn::Attribute) {
    let after_docs = attrs
        .iter()
        .position(|a| !a.path().is_ident("doc"))
        .unwrap_or(attrs.len());
    attrs.insert(after_docs, attr);
}

/// The identifiers an item's tokens name, and the words of the string
/// literals of its attributes (serde's `default = "defaults::x"`, not
/// `skip_serializing_if = "::std::option::Option::is_none"`); docs are
/// skipped (typify's quote the schema, which names other types).
fn names(tokens: TokenStream, in_attribute: bool, keep: &Keep, out: &mut BTreeSet<String>) {
    let mut after_pound = false;
    for tree in tokens {
        match tree {
            TokenTree::Group(group) => {
                let attribute = after_pound && group.delimiter() == Delimiter::Bracket;
                let is_doc = attribute
                    && matches!(group.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc");
                if !is_doc {
                    names(group.stream(), in_attribute || attribute, keep, out);
                }
                after_pound = false;
            }
            TokenTree::Ident(ident) => {
                keep.insert(&ident, out);
                after_pound = false;
            }
            TokenTree::Punct(punct) => after_pound = punct.as_char() == '#',
            TokenTree::Literal(literal) => {
                if in_attribute {
                    let text = literal.to_string();
                    // A path from another crate's root names no model
                    // (`"::std::option::Option::is_none"` beside a schema
                    // named `Option`), as in the tree (`is_foreign`).
                    if text.starts_with('"') && !text.starts_with("\"::") {
                        for word in text
                            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                            .filter(|w| !w.is_empty())
                        {
                            if keep.0.contains(word) {
                                out.insert(word.to_string());
                            }
                        }
                    }
                }
                after_pound = false;
            }
        }
    }
}

/// The names worth keeping (the graph's nodes), so that the sets stay small.
struct Keep(
    HashSet<String>,
    /// Each identifier is written here, not into a new string (the models
    /// have millions; few are kept).
    std::cell::RefCell<String>,
);

impl Keep {
    fn new(names: HashSet<String>) -> Keep {
        Keep(names, Default::default())
    }

    fn insert(&self, ident: &proc_macro2::Ident, out: &mut BTreeSet<String>) {
        use std::fmt::Write;
        let mut text = self.1.borrow_mut();
        text.clear();
        let _ = write!(text, "{ident}");
        if self.0.contains(text.as_str()) && !out.contains(text.as_str()) {
            out.insert(text.clone());
        }
    }
}

/// [`names`] of an item, among `keep`, by syn's visitor (cheaper than its
/// tokens): every identifier, and the tokens of its attributes and macros.
fn names_of(item: &impl Visited, keep: &Keep) -> BTreeSet<String> {
    struct Names<'k> {
        keep: &'k Keep,
        out: BTreeSet<String>,
    }
    impl<'ast> syn::visit::Visit<'ast> for Names<'_> {
        fn visit_ident(&mut self, ident: &'ast proc_macro2::Ident) {
            self.keep.insert(ident, &mut self.out);
        }
        fn visit_lifetime(&mut self, _: &'ast syn::Lifetime) {}
        fn visit_path(&mut self, path: &'ast syn::Path) {
            super::visit_generated_path(self, path);
        }
        fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
            if !attr.path().is_ident("doc") {
                names(attr.meta.to_token_stream(), true, self.keep, &mut self.out);
            }
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            syn::visit::visit_macro(self, mac);
            names(mac.tokens.clone(), false, self.keep, &mut self.out);
        }
    }
    let mut visitor = Names {
        keep,
        out: BTreeSet::new(),
    };
    item.visit(&mut visitor);
    visitor.out
}

/// What [`names_of`] takes.
trait Visited {
    fn visit<'ast>(&'ast self, visitor: &mut impl syn::visit::Visit<'ast>);
}

impl Visited for syn::Item {
    fn visit<'ast>(&'ast self, visitor: &mut impl syn::visit::Visit<'ast>) {
        visitor.visit_item(self);
    }
}

impl Visited for syn::ItemImpl {
    fn visit<'ast>(&'ast self, visitor: &mut impl syn::visit::Visit<'ast>) {
        visitor.visit_item_impl(self);
    }
}

impl Visited for syn::ImplItemFn {
    fn visit<'ast>(&'ast self, visitor: &mut impl syn::visit::Visit<'ast>) {
        visitor.visit_impl_item_fn(self);
    }
}

/// [`super::self_type`], as text.
fn self_type(block: &syn::ItemImpl) -> Option<String> {
    super::self_type(block).map(ToString::to_string)
}

/// The models' item graph: a node per type (its definition, its impls, its
/// builder) and per `defaults` function, with the nodes each names.
struct Graph {
    edges: BTreeMap<String, BTreeSet<String>>,
    /// The nodes' names.
    keep: Keep,
}

impl Graph {
    fn of(models: &syn::File, companions: &Companions) -> Graph {
        let defaults: Vec<(String, &syn::Item)> = modules(models)
            .into_iter()
            .filter(|(module, _)| module == "defaults")
            .flat_map(|(_, items)| items)
            .filter_map(|item| match item {
                syn::Item::Fn(f) => Some((f.sig.ident.to_string(), item)),
                _ => None,
            })
            .collect();
        let keep = Keep::new(
            models
                .items
                .iter()
                .filter_map(type_ident)
                .chain(defaults.iter().map(|(name, _)| name.clone()))
                .collect(),
        );
        let mut tokens: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for item in &models.items {
            if let Some(name) = type_ident(item) {
                let named = companions
                    .names(&name)
                    .into_iter()
                    .filter(|n| keep.0.contains(n));
                let node = tokens.entry(name).or_default();
                node.extend(names_of(item, &keep));
                node.extend(named);
            }
        }
        for (name, item) in defaults {
            tokens.insert(name, names_of(item, &keep));
        }
        // Impls (top-level, and in `builder`), and the builder structs, join
        // the node of their type.
        let builder = modules(models)
            .into_iter()
            .filter(|(module, _)| module == "builder")
            .flat_map(|(_, items)| items.iter().map(|item| (true, item)));
        for (in_builder, item) in models.items.iter().map(|item| (false, item)).chain(builder) {
            let (name, named) = match item {
                syn::Item::Impl(block) => (self_type(block), names_of(item, &keep)),
                syn::Item::Struct(s) if in_builder => {
                    (Some(s.ident.to_string()), names_of(item, &keep))
                }
                _ => continue,
            };
            if let Some(node) = name.and_then(|name| tokens.get_mut(&name)) {
                node.extend(named);
            }
        }
        let edges = tokens
            .into_iter()
            .map(|(name, mut named)| {
                named.remove(&name);
                (name, named)
            })
            .collect();
        Graph { edges, keep }
    }

    /// The nodes `roots` reach, themselves included.
    fn reach(&self, roots: &BTreeSet<String>, reached: &mut BTreeSet<String>) {
        let mut stack: Vec<&String> = roots
            .iter()
            .filter(|r| self.edges.contains_key(*r))
            .collect();
        while let Some(node) = stack.pop() {
            if reached.insert(node.clone()) {
                stack.extend(self.edges[node].iter().filter(|n| !reached.contains(*n)));
            }
        }
    }
}

/// A struct's or an impl's attributes, with the struct's name or the impl's
/// self type.
fn struct_or_impl(item: &mut syn::Item) -> Option<(&mut Vec<syn::Attribute>, String)> {
    match item {
        syn::Item::Struct(s) => Some((&mut s.attrs, s.ident.to_string())),
        syn::Item::Impl(block) => {
            let name = self_type(block)?;
            Some((&mut block.attrs, name))
        }
        _ => None,
    }
}

fn type_ident(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        syn::Item::Union(u) => Some(u.ident.to_string()),
        _ => None,
    }
}

/// The inline modules of a file, by name.
fn modules(file: &syn::File) -> Vec<(String, &[syn::Item])> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => m
                .content
                .as_ref()
                .map(|(_, items)| (m.ident.to_string(), items.as_slice())),
            _ => None,
        })
        .collect()
}

/// An operation as the client and mock name it, with its features (none:
/// always compiled).
struct Operation {
    method: String,
    builder: String,
    features: Vec<String>,
}

/// Gates the operations and the types of every generated file by the
/// spec's features; returns a line per feature for `--explain`.
pub fn gate_by_feature(spec_json: &serde_json::Value, files: &mut Files) -> Vec<String> {
    let features = Features::of(spec_json);
    let operations: Vec<Operation> = crate::openapi::operations::operations(spec_json)
        .into_iter()
        .map(|op| Operation {
            method: method_name(&op.id),
            builder: type_name(&op.id),
            features: features.operations.get(&op.id).cloned().unwrap_or_default(),
        })
        .collect();
    // A paginated operation also has progenitor's `<method>_stream`.
    let streams: Vec<(String, &Operation)> = operations
        .iter()
        .map(|op| (format!("{}_stream", op.method), op))
        .collect();
    let by_method: BTreeMap<&str, &Operation> = operations
        .iter()
        .map(|op| (op.method.as_str(), op))
        .chain(streams.iter().map(|(name, op)| (name.as_str(), *op)))
        .collect();
    let by_builder: BTreeMap<&str, &Operation> = operations
        .iter()
        .map(|op| (op.builder.as_str(), op))
        .collect();

    let graph = Graph::of(&files.models, &files.companions);
    let op_cfg = |op: &Operation| {
        if op.features.is_empty() {
            Cfg::Always
        } else {
            Cfg::Any(op.features.iter().cloned().collect())
        }
    };
    // The client, in one pass: each operation's method and builder gated by
    // its tags, and the types they name kept as the operation's roots.
    let mut roots: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for item in &mut files.client.items {
        match item {
            syn::Item::Impl(block) if self_type(block).as_deref() == Some("Client") => {
                for item in &mut block.items {
                    if let syn::ImplItem::Fn(f) = item
                        && let Some(op) = by_method.get(f.sig.ident.to_string().as_str())
                    {
                        let named = names_of(&*f, &graph.keep);
                        roots.entry(&op.method).or_default().extend(named);
                        insert_cfg(&mut f.attrs, &op_cfg(op));
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "builder" => {
                for item in m.content.iter_mut().flat_map(|(_, items)| items) {
                    // `use super::types;` is unused when no builder is compiled.
                    if let syn::Item::Use(import) = item
                        && !features.tags.is_empty()
                    {
                        import
                            .attrs
                            .push(syn::parse_quote!(#[allow(unused_imports)]));
                        continue;
                    }
                    let Some((attrs, name)) = struct_or_impl(item) else {
                        continue;
                    };
                    if let Some(op) = by_builder.get(name.as_str()) {
                        insert_cfg(attrs, &op_cfg(op));
                        // The cfg just added names no type.
                        let named = names_of(&*item, &graph.keep);
                        roots.entry(&op.method).or_default().extend(named);
                    }
                }
            }
            _ => {}
        }
    }

    // What each feature (and the untagged operations) reaches.
    let mut always = BTreeSet::new();
    let mut by_feature: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for op in &operations {
        let Some(names) = roots.get(op.method.as_str()) else {
            continue;
        };
        if op.features.is_empty() {
            graph.reach(names, &mut always);
        } else {
            for feature in &op.features {
                graph.reach(names, by_feature.entry(feature).or_default());
            }
        }
    }
    let all: BTreeSet<String> = features.names().map(str::to_string).collect();
    // Each node's features, from what each feature reaches (not each
    // feature's set asked for each node: 66 features by 8,000 nodes on
    // BitGo's `api.yaml`).
    let mut reaching_of: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (feature, reached) in &by_feature {
        for node in reached {
            reaching_of
                .entry(node.as_str())
                .or_default()
                .insert(feature.to_string());
        }
    }
    let gates: BTreeMap<&str, Cfg> = graph
        .edges
        .keys()
        .map(|node| {
            let cfg = if always.contains(node) {
                Cfg::Always
            } else {
                let mut reaching = reaching_of.remove(node.as_str()).unwrap_or_default();
                if reaching.is_empty() {
                    reaching.insert(FULL.to_string());
                }
                if reaching == all {
                    Cfg::Always
                } else {
                    Cfg::Any(reaching)
                }
            };
            (node.as_str(), cfg)
        })
        .collect();

    let gate_of = |name: &str| gates.get(name).cloned().unwrap_or(Cfg::Always);
    // Each node's `#[cfg]`, made once for the items of the node to clone
    // (their tokens are shared).
    let cfg_of: BTreeMap<&str, Option<syn::Attribute>> = gates
        .iter()
        .map(|(node, cfg)| (*node, cfg_attribute(cfg)))
        .collect();
    let node_cfg = |name: &str| cfg_of.get(name).cloned().flatten();

    // The models: a type and everything of its node by the node's gate; an
    // impl of a type from elsewhere (`From<T> for String`) by the gates of
    // the types it names.
    let gate_items = |items: &mut Vec<syn::Item>, functions: bool| {
        for item in items.iter_mut() {
            let (attrs, cfg) = match item {
                syn::Item::Struct(s) => (&mut s.attrs, node_cfg(&s.ident.to_string())),
                syn::Item::Enum(e) => (&mut e.attrs, node_cfg(&e.ident.to_string())),
                syn::Item::Type(t) => (&mut t.attrs, node_cfg(&t.ident.to_string())),
                syn::Item::Union(u) => (&mut u.attrs, node_cfg(&u.ident.to_string())),
                syn::Item::Fn(f) if functions => (&mut f.attrs, node_cfg(&f.sig.ident.to_string())),
                syn::Item::Impl(block) => {
                    let cfg = match self_type(block) {
                        Some(name) if gates.contains_key(name.as_str()) => node_cfg(&name),
                        _ => cfg_attribute(&Cfg::and(
                            names_of(&*block, &graph.keep)
                                .iter()
                                .map(|n| gate_of(n))
                                .collect(),
                        )),
                    };
                    (&mut block.attrs, cfg)
                }
                _ => continue,
            };
            if let Some(cfg) = cfg {
                insert_after_docs(attrs, cfg);
            }
        }
    };
    gate_items(&mut files.models.items, false);
    for item in &mut files.models.items {
        if let syn::Item::Mod(m) = item
            && let Some((_, items)) = &mut m.content
        {
            match m.ident.to_string().as_str() {
                "defaults" => gate_items(items, true),
                "builder" => gate_items(items, false),
                _ => {}
            }
        }
    }

    // The mock: each operation's `When`/`Then` and its `MockServerExt` method.
    if let Some(mock) = &mut files.mock {
        let by_stub: BTreeMap<String, &Operation> = operations
            .iter()
            .flat_map(|op| {
                [
                    (format!("{}When", op.builder), op),
                    (format!("{}Then", op.builder), op),
                ]
            })
            .collect();
        for item in &mut mock.items {
            match item {
                syn::Item::Mod(m) => {
                    for item in m.content.iter_mut().flat_map(|(_, items)| items) {
                        if let Some((attrs, name)) = struct_or_impl(item)
                            && let Some(op) = by_stub.get(&name)
                        {
                            insert_cfg(attrs, &op_cfg(op));
                        }
                        // `use client::*;` is unused when no stub is compiled.
                        if let syn::Item::Use(import) = item
                            && !features.tags.is_empty()
                        {
                            import
                                .attrs
                                .push(syn::parse_quote!(#[allow(unused_imports)]));
                        }
                    }
                }
                syn::Item::Trait(t) => {
                    for item in &mut t.items {
                        if let syn::TraitItem::Fn(f) = item
                            && let Some(op) = by_method.get(f.sig.ident.to_string().as_str())
                        {
                            insert_cfg(&mut f.attrs, &op_cfg(op));
                        }
                    }
                }
                syn::Item::Impl(block) if block.trait_.is_some() => {
                    for item in &mut block.items {
                        if let syn::ImplItem::Fn(f) = item
                            && let Some(op) = by_method.get(f.sig.ident.to_string().as_str())
                        {
                            insert_cfg(&mut f.attrs, &op_cfg(op));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // For `--explain`: what each feature compiles.
    let mut lines = Vec::new();
    let types = |cfg_has: &dyn Fn(&Cfg) -> bool| gates.values().filter(|c| cfg_has(c)).count();
    let always_count = types(&|c| *c == Cfg::Always);
    for feature in &features.tags {
        let operations = features
            .operations
            .values()
            .filter(|f| f.contains(&feature.name))
            .count();
        let reached = by_feature.get(feature.name.as_str()).map_or(0, |r| r.len());
        lines.push(format!(
            "feature `{}` (tag {}): {operations} operations, {reached} types, aliases and defaults",
            feature.name,
            feature
                .tags
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let unreached = types(&|c| matches!(c, Cfg::Any(f) if f.len() == 1 && f.contains(FULL)));
    if !features.tags.is_empty() || unreached > 0 {
        lines.push(format!(
            "{always_count} types, aliases and defaults always compiled; {unreached} that no operation's code names only with `{FULL}`"
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(source: &str) -> syn::File {
        syn::parse_str(source).unwrap()
    }

    fn cfg_of(file: &syn::File, name: &str) -> Option<String> {
        let mut found = None;
        for item in &file.items {
            let (ident, attrs) = match item {
                syn::Item::Struct(s) => (s.ident.to_string(), &s.attrs),
                syn::Item::Enum(e) => (e.ident.to_string(), &e.attrs),
                _ => continue,
            };
            if ident == name {
                found = attrs
                    .iter()
                    .find(|a| a.path().is_ident("cfg"))
                    .map(|a| a.meta.to_token_stream().to_string());
            }
        }
        found
    }

    #[test]
    fn what_only_a_companion_names_is_gated_with_its_type() {
        // Without schemars' derive, `table-struct-fields` drops the serde
        // attributes: only the struct's companion (its impls, made when the
        // file is printed) calls the default's function.
        let spec = serde_json::json!({"paths": {
            "/w": {"get": {"operationId": "getWallet", "tags": ["Wallet"]}},
            "/k": {"get": {"operationId": "getKey", "tags": ["Key"]}}
        }});
        let mut models = file(
            r#"
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Wallet { #[serde(default = "defaults::wallet_m")] pub m: u64 }
            pub struct Key;
            pub mod defaults { pub(super) fn wallet_m() -> u64 { 2 } }
            "#,
        );
        let mut companions = Companions::default();
        super::super::struct_fields::table_struct_fields(&mut models, &mut companions);
        let text = models.to_token_stream().to_string();
        assert!(!text.contains(r#""defaults::wallet_m""#), "{text}");
        let client = file(
            "impl Client { pub fn get_wallet(&self) -> types::Wallet { todo!() } pub fn get_key(&self) -> types::Key { todo!() } }",
        );
        let mut files = Files::new(models, client, None);
        files.companions = companions;
        gate_by_feature(&spec, &mut files);
        let text = files.models.to_token_stream().to_string();
        assert!(
            text.contains(r#"# [cfg (feature = "wallet")] pub (super) fn wallet_m"#),
            "{text}"
        );
        // The companion's impls, when made, are compiled with their type.
        let mut models = files.models;
        files.companions.expand(&mut models);
        let text = models.to_token_stream().to_string();
        assert_eq!(text.matches("for Wallet").count(), 4, "{text}");
        assert_eq!(
            text.matches(r#"# [cfg (feature = "wallet")] impl"#).count(),
            4,
            "{text}"
        );
    }

    #[test]
    fn types_are_gated_by_the_features_whose_operations_reach_them() {
        let spec = serde_json::json!({"paths": {
            "/w": {"get": {"operationId": "getWallet", "tags": ["Wallet"]}},
            "/k": {"get": {"operationId": "getKey", "tags": ["Key"]}},
            "/h": {"get": {"operationId": "health"}}
        }});
        let models = file(
            r#"
            pub struct Wallet { pub keys: Vec<Key>, #[serde(default = "defaults::wallet_kind")] pub kind: String }
            pub struct Key { pub id: Id }
            pub struct Id(String);
            pub enum Kind { A }
            pub struct Health { pub ok: bool }
            pub struct Orphan;
            pub struct KeyPage { pub items: Vec<Key> }
            impl From<Id> for String { fn from(id: Id) -> String { id.0 } }
            impl Key { pub fn id(&self) -> &Id { &self.id } }
            pub mod defaults {
                pub(super) fn wallet_kind() -> super::Kind { super::Kind::A }
            }
            "#,
        );
        let client = file(
            r#"
            impl Client {
                pub fn get_wallet(&self) -> types::Wallet { todo!() }
                pub fn get_key(&self) -> types::Key { todo!() }
                pub fn get_key_stream(&self) -> Vec<types::KeyPage> { todo!() }
                pub fn health(&self) -> types::Health { todo!() }
                pub fn baseurl(&self) -> &str { todo!() }
            }
            pub mod builder {
                use super::types;
                pub struct GetWallet { client: () }
            }
            "#,
        );
        let mock = file(
            r#"
            pub mod operations {
                use c::*;
                pub struct GetWalletWhen(When);
                impl GetWalletWhen { pub fn id(self) -> Self { self } }
                pub struct HealthThen(Then);
            }
            pub trait MockServerExt { fn get_wallet(&self); fn health(&self); }
            impl MockServerExt for MockServer { fn get_wallet(&self) {} fn health(&self) {} }
            "#,
        );
        let mut files = Files::new(models, client, Some(mock));
        let explained = gate_by_feature(&spec, &mut files);
        let mock = files.mock.as_ref().unwrap().to_token_stream().to_string();
        assert!(
            mock.contains(r#"# [allow (unused_imports)] use c :: * ;"#),
            "{mock}"
        );
        // The client's builders are all gated: their import may go unused.
        let builders = files.client.to_token_stream().to_string();
        assert!(
            builders.contains(
                r#"# [allow (unused_imports)] use super :: types ; # [cfg (feature = "wallet")] pub struct GetWallet"#
            ),
            "{builders}"
        );
        assert!(
            mock.contains(r#"# [cfg (feature = "wallet")] pub struct GetWalletWhen"#),
            "{mock}"
        );
        assert!(
            mock.contains(r#"# [cfg (feature = "wallet")] impl GetWalletWhen"#),
            "{mock}"
        );
        assert!(mock.contains("} } pub struct HealthThen"), "{mock}");
        assert_eq!(
            mock.matches(r#"# [cfg (feature = "wallet")] fn get_wallet"#)
                .count(),
            2,
            "{mock}"
        );
        let models = &files.models;
        assert_eq!(
            cfg_of(models, "Wallet").as_deref(),
            Some(r#"cfg (feature = "wallet")"#)
        );
        // Key and Id are reached by both tags: every tag, so always.
        assert_eq!(cfg_of(models, "Key"), None);
        assert_eq!(cfg_of(models, "Id"), None);
        // Reached through the serde default's function only.
        assert_eq!(
            cfg_of(models, "Kind").as_deref(),
            Some(r#"cfg (feature = "wallet")"#)
        );
        assert_eq!(cfg_of(models, "Health"), None);
        assert_eq!(
            cfg_of(models, "Orphan").as_deref(),
            Some(r#"cfg (feature = "full")"#)
        );
        let text = models.to_token_stream().to_string();
        assert!(
            text.contains(r#"# [cfg (feature = "wallet")] pub (super) fn wallet_kind"#),
            "{text}"
        );
        let client = files.client.to_token_stream().to_string();
        assert!(
            client.contains(r#"# [cfg (feature = "wallet")] pub fn get_wallet"#),
            "{client}"
        );
        assert!(
            client.contains(r#"# [cfg (feature = "key")] pub fn get_key"#),
            "{client}"
        );
        assert!(client.contains("todo ! () } pub fn health"), "{client}");
        assert!(client.contains("{ todo ! () } pub fn baseurl"), "{client}");
        assert_eq!(
            explained,
            vec![
                "feature `key` (tag `Key`): 1 operations, 3 types, aliases and defaults",
                "feature `wallet` (tag `Wallet`): 1 operations, 5 types, aliases and defaults",
                "3 types, aliases and defaults always compiled; 1 that no operation's code names only with `full`",
            ]
        );
    }

    /// Operations `a`, `b` and `c`, tagged `A`, `B` and `C`.
    fn three_tags() -> serde_json::Value {
        serde_json::json!({"paths": {
            "/a": {"get": {"operationId": "a", "tags": ["A"]}},
            "/b": {"get": {"operationId": "b", "tags": ["B"]}},
            "/c": {"get": {"operationId": "c", "tags": ["C"]}}
        }})
    }

    #[test]
    fn an_impl_between_differently_gated_types_needs_both() {
        let spec = three_tags();
        let mut files = Files::new(
            file(
                "pub struct X; pub struct Y; impl From<(X, Y)> for String { fn from(_: (X, Y)) -> String { todo!() } }",
            ),
            file(
                "impl Client { pub fn a(&self) -> X { todo!() } pub fn b(&self) -> Y { todo!() } }",
            ),
            None,
        );
        gate_by_feature(&spec, &mut files);
        let text = files.models.to_token_stream().to_string();
        assert!(
            text.contains(r#"# [cfg (all (feature = "a" , feature = "b"))] impl From"#),
            "{text}"
        );
    }

    #[test]
    fn another_crates_path_reaches_no_model_spelled_as_its_type() {
        // A schema named `String` beside typify's `::std::string::String`
        // (and its impls for it): only what names the model reaches it, and
        // an impl for std's `String` goes with the types it names.
        let spec = three_tags();
        let mut files = Files::new(
            file(
                "pub struct Wallet { pub name: ::std::string::String, pub id: WalletId } \
                 pub struct WalletId(::std::string::String); \
                 impl ::std::convert::From<WalletId> for ::std::string::String { \
                     fn from(value: WalletId) -> Self { value.0 } } \
                 pub struct String { pub x: ::std::option::Option<i64> } \
                 impl ::std::convert::From<String> for ::std::vec::Vec<Wallet> { \
                     fn from(_: String) -> Self { ::std::vec::Vec::new() } }",
            ),
            file(
                "impl Client { pub fn a(&self) -> types::Wallet { todo!() } \
                 pub fn b(&self) -> types::String { todo!() } \
                 pub fn c(&self) -> ::std::vec::Vec<types::Wallet> { todo!() } }",
            ),
            None,
        );
        gate_by_feature(&spec, &mut files);
        let models = &files.models;
        assert_eq!(
            cfg_of(models, "String").as_deref(),
            Some(r#"cfg (feature = "b")"#)
        );
        // Reached by `a` and by `c` (through the generic argument of a
        // foreign path), not by `b`.
        assert_eq!(
            cfg_of(models, "WalletId").as_deref(),
            Some(r#"cfg (any (feature = "a" , feature = "c"))"#)
        );
        let text = models.to_token_stream().to_string();
        assert!(
            text.contains(
                r#"# [cfg (any (feature = "a" , feature = "c"))] impl :: std :: convert :: From < WalletId >"#
            ),
            "{text}"
        );
        assert!(
            text.contains(
                r#"# [cfg (all (feature = "b" , any (feature = "a" , feature = "c")))] impl :: std :: convert :: From < String >"#
            ),
            "{text}"
        );
    }

    #[test]
    fn a_serde_attributes_std_path_reaches_no_model_spelled_as_its_type() {
        // serde's `skip_serializing_if` path goes to the struct's companion
        // (`table-struct-fields`) and stays in the attribute for schemars'
        // derive; beside a schema named `Option`, it names std's.
        let spec = serde_json::json!({"paths": {
            "/w": {"get": {"operationId": "getWallet", "tags": ["Wallet"]}},
            "/o": {"get": {"operationId": "getOption", "tags": ["Option"]}}
        }});
        let mut models = file(
            r#"
            #[derive(::serde::Deserialize, ::serde::Serialize, schemars::JsonSchema)]
            pub struct Wallet {
                #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                pub note: ::std::option::Option<::std::string::String>,
            }
            pub struct Option { pub enabled: bool }
            "#,
        );
        let mut companions = Companions::default();
        super::super::struct_fields::table_struct_fields(&mut models, &mut companions);
        gate_schemars(&mut models);
        let text = models.to_token_stream().to_string();
        assert!(
            text.contains(r#"serde (skip_serializing_if = "::std::option::Option::is_none")"#),
            "{text}"
        );
        let client = file(
            "impl Client { pub fn get_wallet(&self) -> types::Wallet { todo!() } \
             pub fn get_option(&self) -> types::Option { todo!() } }",
        );
        let mut files = Files::new(models, client, None);
        files.companions = companions;
        gate_by_feature(&spec, &mut files);
        assert_eq!(
            cfg_of(&files.models, "Option").as_deref(),
            Some(r#"cfg (feature = "option")"#)
        );
    }

    #[test]
    fn schemars_derives_and_impls_move_behind_the_feature() {
        let mut models = file(
            "#[derive(Clone, schemars::JsonSchema)] pub struct A; \
             impl ::schemars::JsonSchema for B { } \
             #[derive(Clone, schemars::JsonSchema)] pub struct C { #[serde(flatten)] pub a: Option<A> } \
             #[derive(Clone, schemars::JsonSchema)] #[serde(deny_unknown_fields)] pub struct D {} \
             pub mod builder { #[derive(Debug)] pub struct A; }",
        );
        let explained = gate_schemars(&mut models);
        let text = models.to_token_stream().to_string();
        assert!(
            text.contains(
                r#"# [derive (Clone)] # [cfg_attr (feature = "schemars" , derive (schemars :: JsonSchema))] pub struct A"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"# [cfg (feature = "schemars")] impl :: schemars :: JsonSchema for B"#),
            "{text}"
        );
        assert!(text.contains("# [derive (Debug)] pub struct A"), "{text}");
        // Without serde's derives, its attributes are schemars' alone.
        assert!(
            text.contains(
                r#"pub struct C { # [cfg_attr (feature = "schemars" , serde (flatten))] pub a"#
            ),
            "{text}"
        );
        // A container's helper attributes follow the derive that introduces
        // them (Box's `OpenApi30NullSchemaType`: rustc refused it).
        assert!(
            text.contains(
                r#"# [derive (Clone)] # [cfg_attr (feature = "schemars" , derive (schemars :: JsonSchema))] # [cfg_attr (feature = "schemars" , serde (deny_unknown_fields))] pub struct D"#
            ),
            "{text}"
        );
        assert_eq!(
            explained,
            vec![
                "3 derives and 1 impls of `schemars::JsonSchema` are behind the `schemars` feature"
            ]
        );
    }

    #[test]
    fn beside_a_schema_named_box_schemars_goes() {
        let mut models = file(
            "#[derive(Clone, schemars::JsonSchema)] pub struct A; \
             impl ::schemars::JsonSchema for B { } \
             #[derive(Clone, schemars::JsonSchema)] pub struct C { #[serde(flatten)] pub a: Option<A> } \
             #[derive(::serde::Serialize, schemars::JsonSchema)] #[serde(untagged)] pub enum Box { A(A) } \
             pub mod inner { impl ::schemars::JsonSchema for super::B { } }",
        );
        let explained = gate_schemars(&mut models);
        let text = models.to_token_stream().to_string();
        assert!(!text.contains("schemars"), "{text}");
        assert!(text.contains("# [derive (Clone)] pub struct A ;"), "{text}");
        // Without serde's derive, its attributes would be unknown.
        assert!(text.contains("pub struct C { pub a"), "{text}");
        // With it, they stay.
        assert!(
            text.contains("# [derive (:: serde :: Serialize)] # [serde (untagged)] pub enum Box"),
            "{text}"
        );
        assert!(text.contains("pub mod inner { }"), "{text}");
        assert_eq!(
            explained,
            vec![
                "3 derives and 2 impls of `schemars::JsonSchema` are dropped (the `schemars` feature adds nothing): schemars' derive writes `Box::new`, which beside the schema `Box` is its type's"
            ]
        );
    }

    #[test]
    fn cfgs_read_back_as_written() {
        let any = |f: &[&str]| Cfg::Any(f.iter().map(|f| f.to_string()).collect());
        for cfg in [
            Cfg::Always,
            any(&["wallet"]),
            any(&["wallet", "key"]),
            Cfg::All(vec![any(&["a", "b"]), any(&["c"])]),
        ] {
            let mut attrs = vec![syn::parse_quote!(#[doc = "x"])];
            insert_cfg(&mut attrs, &cfg);
            assert_eq!(Cfg::of(&attrs), cfg);
            // gate-schemars' cfg is not a tag's.
            insert_cfg(&mut attrs, &any(&[SCHEMARS]));
            assert_eq!(Cfg::of(&attrs), cfg);
        }
    }
}
