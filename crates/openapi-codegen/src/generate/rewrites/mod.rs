//! The output rewrites: each a named change to what progenitor and typify
//! generated, with the reason stock output is wrong without it. They run in
//! the order of [`REWRITES`] on the parsed models and client files, and
//! every change they make is reported (`cargo xtask generate --explain`).

mod any_of;
mod array_parameters;
mod best_fit;
mod defaults;
mod features;
mod merge;
mod split_models;
mod string_enums;
mod struct_fields;
mod wire_names;

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, ErrorKind, Errors};
use crate::spec::Spec;
use crate::target::naming::{method_name, type_name};
use crate::target::responses::Set;
use crate::target::settings::Settings;

/// The generated modules, as syn files.
pub struct Files {
    pub models: syn::File,
    pub client: syn::File,
    /// The typed httpmock module, when asked for.
    pub mock: Option<syn::File>,
    /// The models' crates when `split-models` splits them (by suffix, in
    /// dependency order); `models` is then their facade.
    pub model_parts: Vec<(String, syn::File)>,
    /// Items that follow the models' types, made when they are printed.
    pub companions: Companions,
}

impl Files {
    /// The files as `split` leaves them: nothing split, no companions.
    pub fn new(models: syn::File, client: syn::File, mock: Option<syn::File>) -> Files {
        Files {
            models,
            client,
            mock,
            model_parts: Vec::new(),
            companions: Companions::default(),
        }
    }
}

/// Items that go right after a top-level type of the models, made when the
/// file is printed instead of held as syntax trees from the rewrite that
/// adds them to the end: each [`Companion`] keeps what it needs (a struct's
/// serde names, say) and makes its items on demand, each behind the type's
/// `#[cfg]`s. `table-struct-fields`' impls, held as trees, were a third of
/// the generator's peak memory on BitGo's `api.yaml` (214 of 655 MB).
///
/// A companion is plain data (`Send`: syntax trees are not), so that
/// printing can make its items on another thread ([`Pending`]).
///
/// The rewrites between see a type without its companions' items, so a
/// companion is for items that go wherever their type goes and are compiled
/// when it is (an impl of the type that names nothing but it, its fields'
/// types and what [`Companion::names`] says).
#[derive(Default)]
pub struct Companions(std::collections::HashMap<String, Vec<Box<dyn Companion>>>);

/// The items that follow one type (see [`Companions`]).
pub trait Companion: Send {
    /// The items, impls of the type `ident`, without `#[cfg]`s.
    fn items(&self, ident: &syn::Ident) -> Vec<syn::ItemImpl>;
    /// The identifiers the items name that the type's definition may not:
    /// the functions they call (`defaults::f`), for `gate-by-feature`'s
    /// graph.
    fn names(&self) -> Vec<String>;
    /// How many items [`Companion::items`] makes.
    fn item_count(&self) -> usize;
}

/// One type's companions, taken from [`Companions`] with what their items
/// need of the type (its name and `#[cfg]`s) as text: what can go to
/// another thread.
pub struct Pending {
    ident: String,
    /// The type's `#[cfg]` attributes, as tokens.
    cfgs: String,
    companions: Vec<Box<dyn Companion>>,
}

impl Pending {
    /// The companions' items, each behind the type's `#[cfg]`s.
    pub fn items(self) -> Vec<syn::Item> {
        let cfgs = if self.cfgs.is_empty() {
            Vec::new()
        } else {
            syn::parse::Parser::parse_str(syn::Attribute::parse_outer, &self.cfgs)
                .expect("attributes printed by syn parse back")
        };
        let ident = ident(&self.ident);
        let mut items = Vec::new();
        for companion in self.companions {
            for mut block in companion.items(&ident) {
                block.attrs.splice(0..0, cfgs.iter().cloned());
                items.push(syn::Item::Impl(block));
            }
        }
        items
    }
}

/// The identifier `text` (`r#type` a raw one), as `Ident`'s `Display`
/// writes it: how a [`Companion`] keeps the names it quotes.
pub fn ident(text: &str) -> syn::Ident {
    let span = proc_macro2::Span::call_site();
    match text.strip_prefix("r#") {
        Some(raw) => syn::Ident::new_raw(raw, span),
        None => syn::Ident::new(text, span),
    }
}

/// `#[name(tokens)]`, built rather than parsed: the rewrites add
/// attributes to thousands of items (`cfg`, `cfg_attr`, `derive`), and
/// parsing each was a quarter of `gate-schemars`' time on BitGo's
/// `api.yaml`. The tree is the one `parse_quote!` makes.
pub fn list_attribute(name: &str, tokens: proc_macro2::TokenStream) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta: syn::Meta::List(syn::MetaList {
            path: syn::Path::from(ident(name)),
            delimiter: syn::MacroDelimiter::Paren(Default::default()),
            tokens,
        }),
    }
}

/// Tokens a [`Companion`] keeps as text (a path in a serde attribute), to
/// quote them again.
pub struct Tokens(String);

impl Tokens {
    pub fn of(tokens: &impl quote::ToTokens) -> Tokens {
        Tokens(tokens.to_token_stream().to_string())
    }

    /// The tokens as the expression they are (a path).
    pub fn expr(&self) -> syn::Expr {
        syn::parse_str(&self.0).expect("an expression printed by proc-macro2 parses back")
    }
}

impl quote::ToTokens for Tokens {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        let parsed: proc_macro2::TokenStream = self
            .0
            .parse()
            .expect("tokens printed by proc-macro2 lex back");
        tokens.extend(parsed);
    }
}

impl Companions {
    /// Adds `companion` to the type `ident`.
    pub fn insert(&mut self, ident: &syn::Ident, companion: Box<dyn Companion>) {
        self.0.entry(ident.to_string()).or_default().push(companion);
    }

    /// [`Companion::names`] of the type `name`'s companions.
    pub fn names(&self, name: &str) -> Vec<String> {
        self.0
            .get(name)
            .map(|companions| companions.iter().flat_map(|c| c.names()).collect())
            .unwrap_or_default()
    }

    /// How many items follow `item` (see [`Companions::take_after`]).
    pub fn len_after(&self, item: &syn::Item) -> usize {
        type_ident(item)
            .and_then(|(ident, _)| self.0.get(&ident.to_string()))
            .map_or(0, |companions| {
                companions.iter().map(|c| c.item_count()).sum()
            })
    }

    /// The companions of `item`, if it is a type with any, to be made
    /// ([`Pending::items`]). They are taken: each is made once.
    pub fn take(&mut self, item: &syn::Item) -> Option<Pending> {
        let (ident, attrs) = type_ident(item)?;
        let ident = ident.to_string();
        let companions = self.0.remove(&ident)?;
        let cfgs = attrs.iter().filter(|a| a.path().is_ident("cfg"));
        Some(Pending {
            ident,
            cfgs: quote::quote!(#(#cfgs)*).to_string(),
            companions,
        })
    }

    /// The items that follow `item` (if it is a type with companions), each
    /// behind `item`'s `#[cfg]`s. They are taken: each is made once.
    pub fn take_after(&mut self, item: &syn::Item) -> Vec<syn::Item> {
        self.take(item).map(Pending::items).unwrap_or_default()
    }

    /// Whether every companion's items were made.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Puts every companion's items after its type in `file`, as though they
    /// had been made with the rest of the tree (for what reads a file whole).
    pub fn expand(&mut self, file: &mut syn::File) {
        let mut items = Vec::with_capacity(file.items.len());
        for item in std::mem::take(&mut file.items) {
            let count = self.len_after(&item);
            let after = self.take_after(&item);
            debug_assert_eq!(after.len(), count, "a companion's item_count is wrong");
            items.push(item);
            items.extend(after);
        }
        file.items = items;
    }
}

/// The name and attributes of a type that may have companions.
fn type_ident(item: &syn::Item) -> Option<(&syn::Ident, &[syn::Attribute])> {
    match item {
        syn::Item::Struct(s) => Some((&s.ident, &s.attrs)),
        syn::Item::Enum(e) => Some((&e.ident, &e.attrs)),
        _ => None,
    }
}

/// What a rewrite may read.
pub struct Context<'a> {
    pub spec: &'a Spec,
    pub settings: &'a Settings,
}

/// One named output rewrite.
pub struct Rewrite {
    /// Shown by `--explain`.
    pub name: &'static str,
    /// What stock progenitor/typify output gets wrong without it.
    pub why: &'static str,
    /// A repair (stock output fails or is wrong) or a documented rewrite.
    pub kind: crate::normalize::Kind,
    /// Applies it; returns one line per change made.
    pub run: fn(&Context, &mut Files) -> Result<Vec<String>, Errors>,
}

/// The kind of the rewrite named `name`.
pub fn kind_of(name: &str) -> Option<crate::normalize::Kind> {
    REWRITES.iter().find(|r| r.name == name).map(|r| r.kind)
}

/// One change a rewrite made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub rewrite: &'static str,
    pub detail: String,
}

/// The rewrites, in the order they run.
pub const REWRITES: &[Rewrite] = &[
    Rewrite {
        name: "drop-client-new",
        kind: crate::normalize::Kind::Repair,
        why: "progenitor's `Client::new` unwraps reqwest's builder, which panics when rustls has no process-wide crypto provider; the client crate defines its own constructors",
        run: |_, files| Ok(drop_client_new(&mut files.client)),
    },
    Rewrite {
        name: "request-by-method",
        kind: crate::normalize::Kind::Repair,
        why: "progenitor sends an OPTIONS or TRACE operation with `client.options(url)` or `client.trace(url)`, which reqwest's `Client` does not have (the crate does not compile); it is `client.request(Method::OPTIONS, url)`",
        run: |_, files| Ok(request_by_method(&mut files.client)),
    },
    Rewrite {
        name: "join-array-parameters",
        kind: crate::normalize::Kind::Repair,
        why: "progenitor sends every array query parameter as one pair per value (`a=1&a=2`), also where the spec says `explode: false` (`a=1,2`) or a space- or pipe-delimited style, so the server reads other values than were sent, and calls `to_string` on an array header parameter's `Vec`, which does not compile; such a parameter's values are sent joined by its delimiter, with stock's types",
        run: |cx, files| {
            Ok(array_parameters::join_array_parameters(
                &cx.spec.json,
                &mut files.client,
            ))
        },
    },
    Rewrite {
        name: "restore-wire-names",
        kind: crate::normalize::Kind::Repair,
        why: "progenitor names an argument after its parameter's wire name alone, so two query parameters of one Rust name (Twilio's `StartTime<` beside `StartTime`) make two arguments of one name, which do not compile; the `parameters` pass renames one, and this sends it, and matches it in the mock, under its own name",
        run: |cx, files| {
            let renamed = crate::target::parameters::renamed_parameters(&cx.spec.json);
            let mut restored = wire_names::restore_wire_names(&renamed, &mut files.client);
            if let Some(mock) = &mut files.mock {
                restored.extend(
                    wire_names::restore_wire_names(&renamed, mock)
                        .into_iter()
                        .map(|line| format!("mock: {line}")),
                );
            }
            Ok(restored)
        },
    },
    Rewrite {
        name: "drop-unused-types-import",
        kind: crate::normalize::Kind::Repair,
        why: "progenitor's builders always `use super::types;`, which rustc warns is unused where no operation's builder names a type (generated code must be warning-free)",
        run: |_, files| Ok(drop_unused_types_import(&mut files.client)),
    },
    Rewrite {
        name: "drop-unreachable-arms",
        kind: crate::normalize::Kind::Repair,
        why: "progenitor's response `match` can have arms that never run (after a wildcard, or a status after a range covering it), and rustc warns about them",
        run: |_, files| Ok(drop_unreachable_arms(&mut files.client)),
    },
    Rewrite {
        name: "decode-merged-by-status",
        kind: crate::normalize::Kind::Repair,
        why: "where the normalization merged several bodies into one `oneOf` type, stock decoding tries the untagged enum's variants in turn and a body that fits two takes the first; each status is decoded as its own schema instead",
        run: |cx, files| {
            Ok(decode_merged_by_status(
                cx.spec,
                &files.models,
                &mut files.client,
            ))
        },
    },
    Rewrite {
        name: "read-every-member",
        kind: crate::normalize::Kind::Repair,
        why: "typify's struct of flattened `Option` members (an `anyOf` whose members may overlap, an `allOf` it cannot merge) loses data silently: serde's flatten hands each member what the ones before it left, a member that fails becomes `None` (a valid body reads as `{}`), a member that is not an object is never read, and shared properties are written twice; each member is read from the whole value instead, and no match is an error",
        run: |_, files| Ok(any_of::read_every_member(&mut files.models)),
    },
    Rewrite {
        name: "allow-lowercase-variants",
        kind: crate::normalize::Kind::Repair,
        why: "typify names the enum values `-1` and `+1` `minus1` and `plus1`, which rustc warns about (generated code must be warning-free); the enum keeps typify's names and allows them",
        run: |_, files| Ok(allow_lowercase_variants(&mut files.models)),
    },
    Rewrite {
        name: "drop-unused-defaults",
        kind: crate::normalize::Kind::Repair,
        why: "typify writes a generic helper in `defaults` for each kind of default it meets, and for a float default one (`default_i64`) it then does not call, which rustc warns about (generated code must be warning-free); a helper nothing names is removed",
        run: |_, files| Ok(defaults::drop_unused_defaults(&mut files.models)),
    },
    Rewrite {
        name: "publish-string-constraints",
        kind: crate::normalize::Kind::Rewrite,
        why: "typify checks `pattern`, `minLength` and `maxLength` in a newtype's `FromStr` but derives its `JsonSchema` as a plain string, so the published schema loses them",
        run: |cx, files| Ok(publish_string_constraints(cx.spec, &mut files.models)),
    },
    Rewrite {
        name: "add-servers",
        kind: crate::normalize::Kind::Rewrite,
        why: "progenitor ignores `servers`; they become constants in `servers` so that hand-written code takes its base URLs from the spec",
        run: |cx, files| add_servers(cx.spec, cx.settings, &mut files.client),
    },
    Rewrite {
        name: "merge-identical-types",
        kind: crate::normalize::Kind::Rewrite,
        why: "typify makes a type of every schema and inline schema, so a shape a spec repeats (an enum of coins, one string pattern) is compiled once per place; types identical but for their name and type docs become aliases of one (`pub type Other = Kept;`, the shortest name kept), which compiles once",
        run: |_, files| Ok(merge::merge_identical_types(&mut files.models)),
    },
    Rewrite {
        name: "read-best-fitting-variant",
        kind: crate::normalize::Kind::Repair,
        why: "typify's untagged enum reads a body as the first variant that accepts it, and a struct accepts any object with its required properties: where an earlier variant needs nothing a later one lacks, the later one's bodies read as the earlier one and lose every property only the later one declares, silently; such an enum reads the variant that keeps the body whole (else the one that loses least), and serde's error when none accepts it",
        run: |_, files| Ok(best_fit::read_best_fitting_variant(&mut files.models)),
    },
    Rewrite {
        name: "table-string-enums",
        kind: crate::normalize::Kind::Rewrite,
        why: "typify's string enums derive serde (whose expansion matches every value by name, index and bytes) and write `Display` and `FromStr` as a `match` arm per value: half of what a big API's `cargo check` type-checks; each enum gets one table of its values, and the four impls call one generic module (`string_enums`) that behaves as serde's derive and typify's impls do",
        run: |_, files| {
            Ok(string_enums::table_string_enums(
                &mut files.models,
                &mut files.companions,
            ))
        },
    },
    Rewrite {
        name: "table-struct-fields",
        kind: crate::normalize::Kind::Rewrite,
        why: "serde's derives expand, for every struct, a field enum matched by index, name and bytes, two visitors with a `match` arm, a duplicate check and a missing-field `match` per field, and a writer that counts and writes each field: over half of what a big API's models `cargo check` type- and borrow-checks; each struct gets a table of its serde names and one function reading and one writing its fields, and the rest is one generic module (`struct_fields`) that behaves as serde's derives",
        run: |_, files| {
            Ok(struct_fields::table_struct_fields(
                &mut files.models,
                &mut files.companions,
            ))
        },
    },
    Rewrite {
        name: "gate-schemars",
        kind: crate::normalize::Kind::Rewrite,
        why: "our settings derive `schemars::JsonSchema` for every type (stock progenitor does not), which costs every user its compile time; the derives and impls are behind the models crate's `schemars` feature (beside a schema named `Box`, which schemars' derive takes for std's `Box`, they go)",
        run: |_, files| Ok(features::gate_schemars(&mut files.models)),
    },
    Rewrite {
        name: "gate-by-feature",
        kind: crate::normalize::Kind::Rewrite,
        why: "stock output compiles every operation and every type for every user, so a user of one tag of a 500-operation API pays for all of it; each operation is behind its tags' cargo features and each type behind the features whose operations reach it (`full`: everything)",
        run: |cx, files| Ok(features::gate_by_feature(&cx.spec.json, files)),
    },
    Rewrite {
        name: "split-models",
        kind: crate::normalize::Kind::Rewrite,
        why: "stock output puts every type in one crate, which rustc checks on one core with one peak (BitGo's api.yaml: 48-65 s and 2.6 GB); with `model_groups`, the types go into a crate per group of tags, one for the types several groups share and one for those no operation reaches, which cargo checks two at a time, and the models crate re-exports them all (only when asked: the crates are more to keep)",
        run: |cx, files| {
            Ok(split_models::split_models(
                &cx.spec.json,
                cx.settings,
                files,
            ))
        },
    },
];

/// Runs every rewrite, in order.
pub fn apply(cx: &Context, files: &mut Files) -> Result<Vec<Applied>, Errors> {
    apply_timed(cx, files, &mut crate::timings::Timings::start())
}

/// [`apply`], timing each rewrite as a stage.
pub(crate) fn apply_timed(
    cx: &Context,
    files: &mut Files,
    timings: &mut crate::timings::Timings,
) -> Result<Vec<Applied>, Errors> {
    let mut applied = Vec::new();
    for rewrite in REWRITES {
        if cx.spec.skipped.iter().any(|s| s == rewrite.name) {
            continue;
        }
        let details = (rewrite.run)(cx, files)?;
        timings.stage(format!("output rewrite {}", rewrite.name));
        for detail in details {
            applied.push(Applied {
                rewrite: rewrite.name,
                detail,
            });
        }
    }
    Ok(applied)
}

/// progenitor's `Client::new` unwraps reqwest's builder, which panics with a
/// TLS backend that has no process-wide crypto provider (ours: rustls with
/// ring, chosen explicitly). bitgo-client defines a fallible `Client::new`
/// by hand instead; `Client::new_with_client` stays.
pub fn drop_client_new(client: &mut syn::File) -> Vec<String> {
    let mut removed = Vec::new();
    for item in &mut client.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let is_client = matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if is_client && block.trait_.is_none() {
            let before = block.items.len();
            block
                .items
                .retain(|item| !matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "new"));
            if block.items.len() < before {
                removed.push("removed `Client::new`".to_string());
            }
        }
    }
    removed
}

/// `client.options(url)` and `client.trace(url)` (reqwest's `Client` has a
/// method for the other six) become `client.request(Method::OPTIONS, url)`,
/// in the client's methods and its builders' `send` alike.
pub fn request_by_method(client: &mut syn::File) -> Vec<String> {
    struct Calls(Vec<String>);
    impl syn::visit_mut::VisitMut for Calls {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            syn::visit_mut::visit_expr_method_call_mut(self, call);
            let method = call.method.to_string();
            let on_client = matches!(&*call.receiver, syn::Expr::Field(f) if matches!(&f.member, syn::Member::Named(m) if m == "client"));
            if !on_client || call.args.len() != 1 || !matches!(method.as_str(), "options" | "trace")
            {
                return;
            }
            let verb = syn::Ident::new(&method.to_uppercase(), call.method.span());
            let url = &call.args[0];
            call.args = syn::parse_quote!(::reqwest::Method::#verb, #url);
            call.method = syn::Ident::new("request", call.method.span());
            self.0.push(format!(
                "`client.{method}(url)` sent as `client.request(Method::{verb}, url)`"
            ));
        }
    }
    let mut calls = Calls(Vec::new());
    syn::visit_mut::VisitMut::visit_file_mut(&mut calls, client);
    calls.0.sort();
    calls.0.dedup();
    calls.0
}

/// `use super::types;` in `mod builder` when nothing else there names
/// `types` (readme.io's `petstore-simple-no-tags.json`: no operation takes
/// or returns a type).
pub fn drop_unused_types_import(client: &mut syn::File) -> Vec<String> {
    struct Names(bool);
    impl<'ast> syn::visit::Visit<'ast> for Names {
        fn visit_ident(&mut self, ident: &'ast proc_macro2::Ident) {
            self.0 |= ident == "types";
        }
    }
    let is_import = |item: &syn::Item| {
        matches!(item, syn::Item::Use(u) if matches!(&u.tree,
            syn::UseTree::Path(p) if p.ident == "super"
                && matches!(&*p.tree, syn::UseTree::Name(n) if n.ident == "types")))
    };
    for item in &mut client.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let Some((_, items)) = module
            .content
            .as_mut()
            .filter(|_| module.ident == "builder")
        else {
            continue;
        };
        let mut names = Names(false);
        for item in items.iter().filter(|item| !is_import(item)) {
            syn::visit::Visit::visit_item(&mut names, item);
        }
        if !names.0 && items.iter().any(is_import) {
            items.retain(|item| !is_import(item));
            return vec!["removed `use super::types;` from `builder`, which names no type".into()];
        }
    }
    Vec::new()
}

/// Enums with a variant whose name does not start with an upper-case letter
/// (typify's `minus1`, `plus1`) get `#[allow(non_camel_case_types)]`; names,
/// and so the public surface, stay typify's.
pub fn allow_lowercase_variants(models: &mut syn::File) -> Vec<String> {
    let mut allowed = Vec::new();
    for item in &mut models.items {
        let syn::Item::Enum(e) = item else { continue };
        let lowercase: Vec<String> = e
            .variants
            .iter()
            .map(|v| v.ident.to_string())
            .filter(|name| !name.starts_with(|c: char| c.is_uppercase()))
            .collect();
        if lowercase.is_empty() {
            continue;
        }
        e.attrs
            .push(syn::parse_quote!(#[allow(non_camel_case_types)]));
        allowed.push(format!(
            "`{}`: variants {} keep typify's names, lint allowed",
            e.ident,
            lowercase
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    allowed
}

/// typify validates `pattern`, `minLength` and `maxLength` in a
/// newtype's `FromStr`, yet derives `JsonSchema` for it as a plain string, so
/// the published schema loses them. For each such newtype, replace the derive
/// with an impl that carries the constraints, read from the spec itself.
pub fn publish_string_constraints(spec: &Spec, models: &mut syn::File) -> Vec<String> {
    let Some(schemas) = spec
        .json
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
    else {
        return Vec::new();
    };
    // newtype name -> the spec's schema for it (the property that produced it)
    let mut constrained: Vec<(String, &serde_json::Value)> = Vec::new();
    for item in &models.items {
        let syn::Item::Struct(parent) = item else {
            continue;
        };
        let Some(properties) = schemas
            .get(&parent.ident.to_string())
            .and_then(|schema| schema.get("properties"))
        else {
            continue;
        };
        for field in &parent.fields {
            let (Some(ident), Some(newtype)) = (&field.ident, single_ident(&field.ty)) else {
                continue;
            };
            let wire = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
            let Some(property) = properties.get(&wire) else {
                continue;
            };
            let has_constraints = ["pattern", "minLength", "maxLength"]
                .iter()
                .any(|key| property.get(key).is_some());
            if has_constraints && property.get("type").and_then(|t| t.as_str()) == Some("string") {
                constrained.push((newtype, property));
            }
        }
    }

    // One pass to index the structs: a search per newtype is quadratic.
    let positions: std::collections::HashMap<String, usize> = models
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), i)),
            _ => None,
        })
        .collect();
    let mut impls: Vec<syn::Item> = Vec::new();
    let mut published = Vec::new();
    let template = StringSchema::new();
    for (name, schema) in constrained {
        let Some(syn::Item::Struct(newtype)) = positions.get(&name).map(|&i| &mut models.items[i])
        else {
            continue;
        };
        if !remove_derive(&mut newtype.attrs, "JsonSchema") {
            continue;
        }
        published.push(format!(
            "`{name}` publishes its string constraints in `JsonSchema`"
        ));
        impls.push(template.fill(&newtype.ident, schema));
    }
    insert_after_types(models, impls);
    published
}

/// The `JsonSchema` impl of a string newtype with its constraints, parsed
/// once and filled in for each newtype: a syntax tree cloned and filled is
/// the one quoting and parsing each made (the test
/// `a_filled_string_schema_is_the_quoted_one`), at a fraction of the cost
/// (2,000 newtypes in a 1000-operation spec).
struct StringSchema {
    /// The impl, with `__NAME` and `__FORMAT`, `__PATTERN`, `__MIN_LENGTH`,
    /// `__MAX_LENGTH` where each newtype's values go.
    item: syn::ItemImpl,
    /// `Option::Some(__VALUE)` and `Option::Some(__VALUE.to_string())`.
    some: syn::Expr,
    some_string: syn::Expr,
    none: syn::Expr,
}

impl StringSchema {
    fn new() -> Self {
        StringSchema {
            item: syn::parse_quote! {
                impl ::schemars::JsonSchema for __Newtype {
                    fn schema_name() -> ::std::string::String {
                        __NAME.to_string()
                    }
                    fn json_schema(
                        _: &mut ::schemars::r#gen::SchemaGenerator,
                    ) -> ::schemars::schema::Schema {
                        ::schemars::schema::SchemaObject {
                            instance_type: ::std::option::Option::Some(
                                ::schemars::schema::InstanceType::String.into(),
                            ),
                            format: __FORMAT,
                            string: ::std::option::Option::Some(::std::boxed::Box::new(
                                ::schemars::schema::StringValidation {
                                    max_length: __MAX_LENGTH,
                                    min_length: __MIN_LENGTH,
                                    pattern: __PATTERN,
                                },
                            )),
                            ..::std::default::Default::default()
                        }
                        .into()
                    }
                }
            },
            some: syn::parse_quote! { ::std::option::Option::Some(__VALUE) },
            some_string: syn::parse_quote! { ::std::option::Option::Some(__VALUE.to_string()) },
            none: syn::parse_quote! { ::std::option::Option::None },
        }
    }

    /// The impl for `newtype`, whose schema is `schema`.
    fn fill(&self, newtype: &syn::Ident, schema: &serde_json::Value) -> syn::Item {
        let optional_string = |key: &str| match schema.get(key).and_then(|v| v.as_str()) {
            Some(value) => Fill::exprs(&self.some_string, &[("__VALUE", string_literal(value))]),
            None => self.none.clone(),
        };
        let optional_u32 = |key: &str| match schema.get(key).and_then(|v| v.as_u64()) {
            Some(value) => {
                let value = literal(proc_macro2::Literal::u32_suffixed(value as u32));
                Fill::exprs(&self.some, &[("__VALUE", value)])
            }
            None => self.none.clone(),
        };
        let values = [
            ("__NAME", string_literal(&newtype.to_string())),
            ("__FORMAT", optional_string("format")),
            ("__PATTERN", optional_string("pattern")),
            ("__MIN_LENGTH", optional_u32("minLength")),
            ("__MAX_LENGTH", optional_u32("maxLength")),
        ];
        syn::Item::Impl(for_type(&Fill::exprs(&self.item, &values), newtype))
    }
}

/// `template`, an impl for a placeholder type, for `ident` instead.
fn for_type(template: &syn::ItemImpl, ident: &syn::Ident) -> syn::ItemImpl {
    let mut item = template.clone();
    if let syn::Type::Path(self_ty) = &mut *item.self_ty
        && let Some(segment) = self_ty.path.segments.last_mut()
    {
        segment.ident = ident.clone();
    }
    item
}

/// The expression a literal token is, as syn parses it.
fn literal(literal: proc_macro2::Literal) -> syn::Expr {
    syn::Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::new(literal),
    })
}

/// `"value"`, as `quote!` writes a `&str` and syn parses it.
fn string_literal(value: &str) -> syn::Expr {
    literal(proc_macro2::Literal::string(value))
}

/// Fills a tree parsed once with placeholders (a template): each
/// identifier named as one of `idents` becomes its identifier, and each
/// expression that is a lone identifier named as one of `exprs` becomes its
/// expression. Filling a clone costs a fraction of quoting and parsing the
/// same tree for each of thousands of types.
struct Fill<'a> {
    idents: &'a [(&'static str, &'a syn::Ident)],
    exprs: &'a [(&'static str, syn::Expr)],
}

impl<'a> Fill<'a> {
    fn new(
        idents: &'a [(&'static str, &'a syn::Ident)],
        exprs: &'a [(&'static str, syn::Expr)],
    ) -> Self {
        Fill { idents, exprs }
    }

    fn idents<T: Clone + Filled>(template: &T, idents: &[(&'static str, &syn::Ident)]) -> T {
        Fill::new(idents, &[]).fill(template)
    }

    fn exprs<T: Clone + Filled>(template: &T, exprs: &[(&'static str, syn::Expr)]) -> T {
        Fill::new(&[], exprs).fill(template)
    }

    /// A clone of `template`, filled.
    fn fill<T: Clone + Filled>(&mut self, template: &T) -> T {
        let mut filled = template.clone();
        filled.fill_with(self);
        filled
    }
}

/// The syntax trees [`Fill`] fills.
trait Filled {
    fn fill_with(&mut self, fill: &mut Fill<'_>);
}

macro_rules! filled {
    ($($tree:ty => $visit:ident),* $(,)?) => {$(
        impl Filled for $tree {
            fn fill_with(&mut self, fill: &mut Fill<'_>) {
                syn::visit_mut::VisitMut::$visit(fill, self);
            }
        }
    )*};
}

filled! {
    syn::Expr => visit_expr_mut,
    syn::ItemImpl => visit_item_impl_mut,
    syn::Stmt => visit_stmt_mut,
    syn::Arm => visit_arm_mut,
    syn::FieldValue => visit_field_value_mut,
}

impl syn::visit_mut::VisitMut for Fill<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if let syn::Expr::Path(path) = expr
            && path.qself.is_none()
            && let Some(ident) = path.path.get_ident()
            && let Some((_, value)) = self.exprs.iter().find(|(name, _)| ident == name)
        {
            *expr = value.clone();
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if let Some((_, value)) = self.idents.iter().find(|(name, _)| ident == name) {
            *ident = (*value).clone();
        }
    }
}

/// Adds `items` after the last type of a models file, before typify's
/// `builder`, `defaults` and `error` modules.
fn insert_after_types(models: &mut syn::File, items: Vec<syn::Item>) {
    let position = models
        .items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(_)))
        .unwrap_or(models.items.len());
    models.items.splice(position..position, items);
}

/// Whether a derive whose last path segment is `name` is present.
fn has_derive(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| derives_named(attr, name))
}

/// Whether `attr` is a `#[derive(..)]` with a path whose last segment is
/// `name`, read from its tokens: the last identifier before each comma.
/// Parsing the list was most of what the rewrites
/// that ask this of every type spent (five times for each struct
/// `table-struct-fields` converts); the test
/// `a_derive_is_found_as_its_parsed_paths_say` compares the two.
fn derives_named(attr: &syn::Attribute, name: &str) -> bool {
    let syn::Meta::List(list) = &attr.meta else {
        return false;
    };
    if !list.path.is_ident("derive") {
        return false;
    }
    let mut last = None;
    for tree in list.tokens.clone() {
        match tree {
            proc_macro2::TokenTree::Ident(ident) => last = Some(ident),
            proc_macro2::TokenTree::Punct(punct)
                if punct.as_char() == ',' && last.take().is_some_and(|ident| ident == name) =>
            {
                return true;
            }
            _ => {}
        }
    }
    last.is_some_and(|ident| ident == name)
}

/// The generated type an impl is for: the last identifier of its self type
/// (`Foo`, `super::Foo`); none for another crate's type (`impl From<Id> for
/// ::std::string::String`, which beside a schema named `String` is not the
/// model's).
fn self_type(block: &syn::ItemImpl) -> Option<&syn::Ident> {
    match &*block.self_ty {
        syn::Type::Path(path) if path.qself.is_none() && !is_foreign(&path.path) => {
            path.path.segments.last().map(|s| &s.ident)
        }
        _ => None,
    }
}

/// Whether `path` starts at another crate's root (`::std::…`, `::chrono::…`):
/// progenitor and typify spell every path outside the generated code so, and
/// the generated types never (`Foo`, `super::Foo`, `types::Foo`).
fn is_foreign(path: &syn::Path) -> bool {
    path.leading_colon.is_some()
}

/// For a visitor looking for the generated types an item names: `path`'s
/// identifiers, or for another crate's path ([`is_foreign`]) only its
/// generic arguments' (`::std::vec::Vec<Foo>` names `Foo`, and not a model
/// `Vec`).
fn visit_generated_path<'ast>(visitor: &mut impl syn::visit::Visit<'ast>, path: &'ast syn::Path) {
    if is_foreign(path) {
        for segment in &path.segments {
            visitor.visit_path_arguments(&segment.arguments);
        }
    } else {
        syn::visit::visit_path(visitor, path);
    }
}

/// `X` or `::std::option::Option<X>` where `X` is a bare identifier: the
/// name of a generated type (`Option` too, a schema's).
fn single_ident(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if is_option(ty) {
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments
            && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
        {
            return single_ident(inner);
        }
        return None;
    }
    (path.qself.is_none() && path.path.segments.len() == 1 && last.arguments.is_empty())
        .then(|| last.ident.to_string())
}

/// The `rename = "..."` of a field's `#[serde(...)]`, if any.
pub fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    serde_string(attrs, "rename")
}

/// `impl Serialize for ident` that calls `self::module::serialize(value,
/// serializer)`: a type written through a generated helper module.
fn serialize_through(
    ident: &syn::Ident,
    module: &str,
    value: proc_macro2::TokenStream,
) -> syn::ItemImpl {
    let module = quote::format_ident!("{module}");
    syn::parse_quote! {
        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                self::#module::serialize(#value, serializer)
            }
        }
    }
}

/// `impl Deserialize for ident` that calls `self::module::deserialize`.
fn deserialize_through(ident: &syn::Ident, module: &str) -> syn::ItemImpl {
    let module = quote::format_ident!("{module}");
    syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                self::#module::deserialize(deserializer)
            }
        }
    }
}

/// The `#[serde(...)]` attributes, also those behind a feature
/// (`#[cfg_attr(feature = "schemars", serde(...))]`, as `gate-schemars`
/// writes them where serde's derives are gone).
fn serde_attrs(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    use syn::punctuated::Punctuated;
    let mut found = Vec::new();
    for attr in attrs {
        if attr.path().is_ident("serde") {
            found.push(attr.clone());
        } else if attr.path().is_ident("cfg_attr")
            && let Ok(metas) =
                attr.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
        {
            for meta in metas.iter().skip(1) {
                if let syn::Meta::List(list) = meta
                    && list.path.is_ident("serde")
                {
                    found.push(syn::parse_quote!(#[#list]));
                }
            }
        }
    }
    found
}

/// The string value of `key = "..."` in `#[serde(...)]` attributes, if any.
fn serde_string(attrs: &[syn::Attribute], key: &str) -> Option<String> {
    let mut found = None;
    for attr in &serde_attrs(attrs) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                found = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    found
}

/// The words of `#[serde(...)]` attributes, with or without a value
/// (`untagged`, `flatten`, `default`, `rename`, ...).
fn serde_flags(attrs: &[syn::Attribute]) -> BTreeSet<String> {
    let mut flags = BTreeSet::new();
    for attr in &serde_attrs(attrs) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(word) = meta.path.get_ident() {
                flags.insert(word.to_string());
            }
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    flags
}

/// A path's identifiers (`::std::option::Option<T>` → `std`, `option`,
/// `Option`).
fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// Whether `ty` is written `::std::option::Option<T>`, as typify writes
/// it: not a schema named `Option` (no generic arguments), nor another
/// `Option` (a user's own in scope may read a missing field otherwise).
fn is_option(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    path.qself.is_none()
        && is_foreign(&path.path)
        && segments(&path.path) == ["std", "option", "Option"]
        && path.path.segments.last().is_some_and(|last| {
            matches!(&last.arguments, syn::PathArguments::AngleBracketed(args) if args.args.len() == 1)
        })
}

/// Removes the derive whose last path segment is `name`; true if one was found.
///
/// Read and rewritten as tokens, like [`derives_named`]: the paths between
/// commas, those that end in `name` left out, joined by commas again (the
/// tokens `Punctuated::to_tokens` gave when the list was parsed, which was
/// a tenth of the rewrites' instructions; `a_removed_derive_is_the_parsed_lists`
/// compares the two).
fn remove_derive(attrs: &mut [syn::Attribute], name: &str) -> bool {
    use proc_macro2::{Punct, Spacing, TokenStream, TokenTree};
    let Some(syn::Meta::List(list)) = attrs
        .iter_mut()
        .find(|attr| derives_named(attr, name))
        .map(|attr| &mut attr.meta)
    else {
        return false;
    };
    let mut kept: Vec<TokenTree> = Vec::new();
    let mut path: Vec<TokenTree> = Vec::new();
    let mut end_path = |path: &mut Vec<TokenTree>| {
        let last = path.iter().rev().find_map(|tree| match tree {
            TokenTree::Ident(ident) => Some(ident),
            _ => None,
        });
        if !path.is_empty() && last.is_none_or(|ident| ident != name) {
            if !kept.is_empty() {
                kept.push(Punct::new(',', Spacing::Alone).into());
            }
            kept.append(path);
        }
        path.clear();
    };
    for tree in list.tokens.clone() {
        match tree {
            TokenTree::Punct(punct) if punct.as_char() == ',' => end_path(&mut path),
            tree => path.push(tree),
        }
    }
    end_path(&mut path);
    list.tokens = kept.into_iter().collect::<TokenStream>();
    true
}

/// progenitor's response `match` can have arms that never run, and rustc
/// warns about them: after a `default` response the match ends in two
/// wildcard arms, and a status listed after a range that covers it
/// (`400..=499` from `4XX` before `401`) is shadowed. Such arms are removed;
/// what runs does not change.
pub fn drop_unreachable_arms(client: &mut syn::File) -> Vec<String> {
    struct Arms(usize);
    impl syn::visit_mut::VisitMut for Arms {
        fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
            syn::visit_mut::visit_expr_match_mut(self, node);
            let before = node.arms.len();
            if let Some(wild) = node
                .arms
                .iter()
                .position(|arm| matches!(arm.pat, syn::Pat::Wild(_)))
            {
                node.arms.truncate(wild + 1);
            }
            let mut ranges: Vec<(u64, u64)> = Vec::new();
            node.arms.retain(|arm| match &arm.pat {
                syn::Pat::Range(range) => {
                    let bound = |e: &Option<Box<syn::Expr>>| match e.as_deref() {
                        Some(syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Int(i),
                            ..
                        })) => i.base10_parse::<u64>().ok(),
                        _ => None,
                    };
                    if let (Some(lo), Some(hi)) = (bound(&range.start), bound(&range.end)) {
                        ranges.push((lo, hi));
                    }
                    true
                }
                syn::Pat::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(i),
                    ..
                }) => match i.base10_parse::<u64>() {
                    Ok(code) => !ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&code)),
                    Err(_) => true,
                },
                _ => true,
            });
            self.0 += before - node.arms.len();
        }
    }
    let mut arms = Arms(0);
    syn::visit_mut::VisitMut::visit_file_mut(&mut arms, client);
    match arms.0 {
        0 => Vec::new(),
        n => vec![format!(
            "removed {n} response match arms that could never run"
        )],
    }
}

/// The operation a client function sends, as progenitor names it: the
/// method (or the builder's `send`) that builds `OperationInfo {
/// operation_id: "..", .. }`.
fn operation_id(function: &syn::ImplItemFn) -> Option<String> {
    struct OperationId(Option<String>);
    impl<'ast> syn::visit::Visit<'ast> for OperationId {
        fn visit_expr_struct(&mut self, node: &'ast syn::ExprStruct) {
            if node.path.is_ident("OperationInfo") {
                for field in &node.fields {
                    if let (
                        syn::Member::Named(name),
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(id),
                            ..
                        }),
                    ) = (&field.member, &field.expr)
                        && name == "operation_id"
                    {
                        self.0 = Some(id.value());
                    }
                }
            }
            syn::visit::visit_expr_struct(self, node);
        }
    }
    let mut found = OperationId(None);
    syn::visit::Visit::visit_block(&mut found, &function.block);
    found.0
}

/// Where the normalization merged several bodies of one response set into a
/// `oneOf` component (an untagged enum), progenitor would decode every status
/// by trying the enum's variants in turn, and a body that fits two of them
/// would take the first. Each status listed with its own component is
/// decoded as that component instead, then wrapped by typify's `From` impl:
/// the variant follows the status, not the body's shape.
/// A success status without a body beside one body (`bodiless`: the
/// component is nullable over it) is `None`, and no body is read.
pub fn decode_merged_by_status(
    spec: &Spec,
    models: &syn::File,
    client: &mut syn::File,
) -> Vec<String> {
    // typify's `impl From<Member> for Merged` pairs.
    let conversions: BTreeSet<(String, String)> = models
        .items
        .iter()
        .filter_map(|item| {
            let syn::Item::Impl(block) = item else {
                return None;
            };
            let (path, _) = block.trait_.as_ref()?;
            let last = path.segments.last()?;
            if last.ident != "From" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            let Some(syn::GenericArgument::Type(from)) = args.args.first() else {
                return None;
            };
            Some((single_ident(from)?, single_ident(&block.self_ty)?))
        })
        .collect();
    // operation (as progenitor names it) -> status -> what to decode
    let mut plan: BTreeMap<String, BTreeMap<u16, Arm>> = BTreeMap::new();
    for merged in &spec.normalized.merged {
        let target = type_name(&merged.component);
        for status in &merged.bodiless {
            let Ok(code) = status.parse::<u16>() else {
                continue;
            };
            plan.entry(method_name(&merged.operation_id))
                .or_default()
                .insert(
                    code,
                    Arm {
                        merged: target.clone(),
                        member: None,
                        error: false,
                    },
                );
        }
        for (status, member) in &merged.statuses {
            let (Ok(code), Some(member)) = (status.parse::<u16>(), member) else {
                continue;
            };
            let member = type_name(member);
            if conversions.contains(&(member.clone(), target.clone())) {
                plan.entry(method_name(&merged.operation_id))
                    .or_default()
                    .insert(
                        code,
                        Arm {
                            merged: target.clone(),
                            member: Some(member),
                            error: merged.set == Set::Error,
                        },
                    );
            }
        }
    }
    if plan.is_empty() {
        return Vec::new();
    }

    struct ByStatus<'a> {
        plan: &'a BTreeMap<String, BTreeMap<u16, Arm>>,
        current: Option<&'a BTreeMap<u16, Arm>>,
        rewritten: Vec<String>,
    }
    impl<'a> syn::visit_mut::VisitMut for ByStatus<'a> {
        fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
            self.current = operation_id(function).and_then(|id| self.plan.get(&id));
            if self.current.is_some() {
                syn::visit_mut::visit_impl_item_fn_mut(self, function);
            }
            self.current = None;
        }

        fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
            syn::visit_mut::visit_arm_mut(self, arm);
            let Some(statuses) = self.current else { return };
            let syn::Pat::Lit(syn::ExprLit {
                lit: syn::Lit::Int(code),
                ..
            }) = &arm.pat
            else {
                return;
            };
            let Ok(code) = code.base10_parse::<u16>() else {
                return;
            };
            let Some(plan) = statuses.get(&code) else {
                return;
            };
            let target = syn::Ident::new(&plan.merged, proc_macro2::Span::call_site());
            let Some(member) = &plan.member else {
                self.rewritten.push(format!(
                    "status {code} (no body) is `{}` of `None`",
                    plan.merged
                ));
                *arm.body = syn::parse_quote! {{
                    let (status, headers) = (response.status(), response.headers().clone());
                    Ok(ResponseValue::new(types::#target::from(None), status, headers))
                }};
                return;
            };
            self.rewritten.push(format!(
                "status {code} decoded as `{member}` and wrapped in `{}`",
                plan.merged
            ));
            let member = syn::Ident::new(member, proc_macro2::Span::call_site());
            let is_error = plan.error;
            let value = quote::quote! {
                ResponseValue::new(types::#target::from(value.into_inner()), status, headers)
            };
            let result = if is_error {
                quote::quote! { Err(Error::ErrorResponse(#value)) }
            } else {
                quote::quote! { Ok(#value) }
            };
            *arm.body = syn::parse_quote! {{
                let value = ResponseValue::<types::#member>::from_response(response).await?;
                let (status, headers) = (value.status(), value.headers().clone());
                #result
            }};
        }
    }
    let mut by_status = ByStatus {
        plan: &plan,
        current: None,
        rewritten: Vec::new(),
    };
    syn::visit_mut::VisitMut::visit_file_mut(&mut by_status, client);
    by_status.rewritten
}

/// How one status of a merged response set is decoded.
struct Arm {
    /// The merged `oneOf` type the operation returns.
    merged: String,
    /// The status's own schema, decoded first; `None`: no body, `None`.
    member: Option<String>,
    /// The status is in progenitor's error set.
    error: bool,
}

/// progenitor ignores `servers`; emit them as constants so that hand-written
/// code (bitgo-client's `Environment`) takes its base URLs from the spec.
/// Each is named after its description (`production` -> `PRODUCTION`).
pub fn add_servers(
    spec: &Spec,
    settings: &Settings,
    client: &mut syn::File,
) -> Result<Vec<String>, Errors> {
    let mut constants = Vec::new();
    let mut added = Vec::new();
    let servers = match spec.json.get("servers") {
        Some(servers) => serde_json::from_value::<Vec<openapiv3::Server>>(servers.clone())
            .map_err(|e| {
                Errors::one(Error::new(
                    ErrorKind::Invalid,
                    &spec.display_path,
                    "/servers",
                    e.to_string(),
                ))
            })?,
        None => Vec::new(),
    };
    let labels: Vec<&str> = servers
        .iter()
        .map(|server| server.description.as_deref().unwrap_or_default())
        .collect();
    let names = crate::target::naming::server_constants(&labels);
    for (i, ((server, label), (name, unnamed))) in
        servers.iter().zip(&labels).zip(names).enumerate()
    {
        if let Some(why) = unnamed
            && settings.hooks
        {
            return Err(Errors::one(Error::new(
                ErrorKind::Invalid,
                &spec.display_path,
                format!("/servers/{i}/description"),
                format!(
                    "each server needs a description that names it (such as `production`): {why}"
                ),
            )));
        }
        let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
        let url = &server.url;
        // In code: rustdoc warns about a bare URL (`rustdoc::bare_urls`).
        let doc = format!(" `{label}`: `{url}`");
        added.push(format!("`servers::{name}` = {url:?}"));
        constants.push(quote::quote! {
            #[doc = #doc]
            pub const #ident: &str = #url;
        });
    }
    client.items.push(syn::parse_quote! {
        /// The servers that the spec lists, named by their descriptions.
        pub mod servers {
            #(#constants)*
        }
    });
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A companion making `impl Marker for T {}` and `impl T {}`.
    struct Two;

    impl Companion for Two {
        fn items(&self, ident: &syn::Ident) -> Vec<syn::ItemImpl> {
            vec![
                syn::parse_quote!(impl Marker for #ident {}),
                syn::parse_quote!(impl #ident {}),
            ]
        }
        fn names(&self) -> Vec<String> {
            vec!["f".to_string()]
        }
        fn item_count(&self) -> usize {
            2
        }
    }

    #[test]
    fn std_types_are_told_from_schemas_spelled_as_them() {
        let ty = |source: &str| syn::parse_str::<syn::Type>(source).unwrap();
        // typify's `Option` and a schema named `Option`.
        assert!(is_option(&ty("::std::option::Option<Wallet>")));
        for other in [
            "Option",
            "Option<i64>",
            "::other::Option<i64>",
            "super::Option",
        ] {
            assert!(!is_option(&ty(other)), "{other}");
        }
        assert_eq!(single_ident(&ty("Option")).as_deref(), Some("Option"));
        assert_eq!(
            single_ident(&ty("::std::option::Option<Option>")).as_deref(),
            Some("Option")
        );
        assert_eq!(
            single_ident(&ty("::std::option::Option<Wallet>")).as_deref(),
            Some("Wallet")
        );
        assert_eq!(single_ident(&ty("::std::string::String")), None);
        // An impl for std's `String` is not for a schema named `String`.
        let block: syn::ItemImpl =
            syn::parse_quote!(impl ::std::convert::From<Id> for ::std::string::String {});
        assert!(self_type(&block).is_none());
        let block: syn::ItemImpl = syn::parse_quote!(impl ::std::fmt::Display for super::String {});
        assert_eq!(self_type(&block).unwrap(), "String");
    }

    /// Built, the attribute is the tree `parse_quote!` makes of it: the
    /// rewrites that read attributes back (`Cfg::of`, `has_derive`,
    /// `serde_attrs`) and prettyplease see the same thing.
    #[test]
    fn a_built_attribute_is_the_parsed_one() {
        let built = [
            list_attribute("cfg", quote::quote!(any(feature = "a", feature = "b"))),
            list_attribute("derive", quote::quote!(Clone, ::serde::Serialize)),
            list_attribute(
                "cfg_attr",
                quote::quote!(feature = "schemars", serde(rename = "x")),
            ),
        ];
        let parsed: [syn::Attribute; 3] = [
            syn::parse_quote!(#[cfg(any(feature = "a", feature = "b"))]),
            syn::parse_quote!(#[derive(Clone, ::serde::Serialize)]),
            syn::parse_quote!(#[cfg_attr(feature = "schemars", serde(rename = "x"))]),
        ];
        assert_eq!(built, parsed);
        assert!(has_derive(&built, "Serialize"));
        assert_eq!(serde_rename(&built), Some("x".to_string()));
    }

    /// [`derives_named`] reads a derive's tokens as parsing them says.
    #[test]
    fn a_derive_is_found_as_its_parsed_paths_say() {
        let attrs: [syn::Attribute; 6] = [
            syn::parse_quote!(#[derive(::serde::Deserialize, ::serde::Serialize, Clone)]),
            syn::parse_quote!(#[derive(schemars::JsonSchema)]),
            syn::parse_quote!(#[derive(Debug,)]),
            syn::parse_quote!(#[derive()]),
            syn::parse_quote!(#[serde(Serialize)]),
            syn::parse_quote!(#[doc = "derive(Clone)"]),
        ];
        let names = [
            "Deserialize",
            "Serialize",
            "Clone",
            "JsonSchema",
            "Debug",
            "serde",
            "schemars",
            "derive",
        ];
        for attr in &attrs {
            for name in names {
                let parsed = derives(attr).is_some_and(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
                });
                assert_eq!(
                    derives_named(attr, name),
                    parsed,
                    "{name} in {}",
                    quote::ToTokens::to_token_stream(attr)
                );
            }
        }
        assert!(has_derive(&attrs, "JsonSchema"));
        assert!(!has_derive(&attrs, "schemars"));
    }

    /// The paths a `#[derive(..)]` names (`None` for another attribute), as
    /// syn parses them: the oracle of the token readers.
    fn derives(
        attr: &syn::Attribute,
    ) -> Option<syn::punctuated::Punctuated<syn::Path, syn::Token![,]>> {
        if !attr.path().is_ident("derive") {
            return None;
        }
        attr.parse_args_with(syn::punctuated::Punctuated::parse_terminated)
            .ok()
    }

    /// What `remove_derive` leaves is what removing the path from the
    /// parsed list and printing the rest left (as it did before it read
    /// tokens).
    #[test]
    fn a_removed_derive_is_the_parsed_lists() {
        use syn::punctuated::Punctuated;
        let lists = [
            quote::quote!(
                ::serde::Deserialize,
                ::serde::Serialize,
                Clone,
                Debug,
                schemars::JsonSchema
            ),
            quote::quote!(schemars::JsonSchema),
            quote::quote!(Clone, schemars::JsonSchema,),
            quote::quote!(Debug,),
            quote::quote!(),
        ];
        let names = [
            "Deserialize",
            "Serialize",
            "JsonSchema",
            "Clone",
            "Debug",
            "serde",
        ];
        for list in &lists {
            for name in names {
                let mut attrs = vec![
                    syn::parse_quote!(#[doc = "Serialize"]),
                    list_attribute("derive", list.clone()),
                ];
                let parsed = derives(&attrs[1]).expect("a derive list");
                let expected: Punctuated<syn::Path, syn::Token![,]> = parsed
                    .iter()
                    .filter(|p| p.segments.last().is_none_or(|s| s.ident != name))
                    .cloned()
                    .collect();
                let found = expected.len() != parsed.len();
                assert_eq!(remove_derive(&mut attrs, name), found, "{name} in {list}");
                let expected = if found {
                    quote::ToTokens::to_token_stream(&list_attribute(
                        "derive",
                        quote::ToTokens::to_token_stream(&expected),
                    ))
                } else {
                    quote::ToTokens::to_token_stream(&list_attribute("derive", list.clone()))
                };
                assert_eq!(
                    quote::ToTokens::to_token_stream(&attrs[1]).to_string(),
                    expected.to_string(),
                    "{name} in {list}"
                );
                assert!(attrs[0].path().is_ident("doc"));
            }
        }
    }

    /// `StringSchema` fills a tree parsed once; it must be the tree that
    /// quoting and parsing each impl made (so the printed text is too).
    #[test]
    fn a_filled_string_schema_is_the_quoted_one() {
        let template = StringSchema::new();
        let schemas = [
            serde_json::json!({"type": "string", "pattern": "^[a-z]+\\\"$", "minLength": 1}),
            serde_json::json!({"type": "string", "format": "uuid", "maxLength": 36}),
            serde_json::json!({"type": "string"}),
        ];
        for schema in schemas {
            let ident: syn::Ident = syn::parse_quote!(WalletId);
            let name = ident.to_string();
            let optional_string = |key: &str| match schema.get(key).and_then(|v| v.as_str()) {
                Some(value) => quote::quote! { ::std::option::Option::Some(#value.to_string()) },
                None => quote::quote! { ::std::option::Option::None },
            };
            let optional_u32 = |key: &str| match schema.get(key).and_then(|v| v.as_u64()) {
                Some(value) => {
                    let value = value as u32;
                    quote::quote! { ::std::option::Option::Some(#value) }
                }
                None => quote::quote! { ::std::option::Option::None },
            };
            let (format, pattern) = (optional_string("format"), optional_string("pattern"));
            let (min_length, max_length) = (optional_u32("minLength"), optional_u32("maxLength"));
            let quoted: syn::Item = syn::parse_quote! {
                impl ::schemars::JsonSchema for #ident {
                    fn schema_name() -> ::std::string::String {
                        #name.to_string()
                    }
                    fn json_schema(
                        _: &mut ::schemars::r#gen::SchemaGenerator,
                    ) -> ::schemars::schema::Schema {
                        ::schemars::schema::SchemaObject {
                            instance_type: ::std::option::Option::Some(
                                ::schemars::schema::InstanceType::String.into(),
                            ),
                            format: #format,
                            string: ::std::option::Option::Some(::std::boxed::Box::new(
                                ::schemars::schema::StringValidation {
                                    max_length: #max_length,
                                    min_length: #min_length,
                                    pattern: #pattern,
                                },
                            )),
                            ..::std::default::Default::default()
                        }
                        .into()
                    }
                }
            };
            let filled = template.fill(&ident, &schema);
            assert_eq!(filled, quoted, "{schema}");
            let print = |item: &syn::Item| {
                prettyplease::unparse(&syn::File {
                    shebang: None,
                    frontmatter: None,
                    attrs: Vec::new(),
                    items: vec![item.clone()],
                })
            };
            let printed = print(&filled);
            assert_eq!(printed, print(&quoted));
            assert!(!printed.contains("__"), "{printed}");
        }
    }

    #[test]
    fn companions_follow_their_type_with_its_cfg_once() {
        let mut file: syn::File = syn::parse_quote! {
            /// Docs.
            #[cfg(feature = "a")]
            #[derive(Clone)]
            pub struct A;
            pub enum B { X }
            pub struct C;
        };
        let mut companions = Companions::default();
        for name in ["A", "B"] {
            companions.insert(&quote::format_ident!("{name}"), Box::new(Two));
        }
        assert_eq!(companions.names("A"), ["f"]);
        assert!(companions.names("C").is_empty());
        let lens: Vec<usize> = file.items.iter().map(|i| companions.len_after(i)).collect();
        assert_eq!(lens, [2, 2, 0]);
        companions.expand(&mut file);
        let text = quote::ToTokens::to_token_stream(&file).to_string();
        assert_eq!(
            text,
            "# [doc = r\" Docs.\"] # [cfg (feature = \"a\")] # [derive (Clone)] pub struct A ; \
             # [cfg (feature = \"a\")] impl Marker for A { } # [cfg (feature = \"a\")] impl A { } \
             pub enum B { X } impl Marker for B { } impl B { } pub struct C ;"
        );
        // Taken: made once.
        assert!(companions.take_after(&file.items[0]).is_empty());
        assert_eq!(companions.len_after(&file.items[0]), 0);
    }

    fn file(tokens: proc_macro2::TokenStream) -> syn::File {
        syn::parse2(tokens).unwrap()
    }

    fn text(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    #[test]
    fn an_unused_types_import_leaves_the_builders() {
        let mut client = file(quote::quote! {
            pub mod builder {
                use super::types;
                pub struct GetA<'a> { client: &'a super::Client }
            }
        });
        assert_eq!(
            drop_unused_types_import(&mut client),
            ["removed `use super::types;` from `builder`, which names no type"]
        );
        assert!(!text(&client).contains("use super::types"));
        let mut used = file(quote::quote! {
            pub mod builder {
                use super::types;
                pub struct GetA<'a> { body: Result<types::A, String>, client: &'a super::Client }
            }
        });
        assert!(drop_unused_types_import(&mut used).is_empty());
        assert!(text(&used).contains("use super::types"));
    }

    #[test]
    fn options_and_trace_are_sent_through_request() {
        let mut client = file(quote::quote! {
            impl Client {
                pub async fn options_events(&self) {
                    let url = format!("{}/events", self.baseurl);
                    let request = self.client.options(url).build()?;
                    let other = self.client.get(url);
                    let unrelated = self.options(url);
                }
            }
            impl<'a> TraceEvents<'a> {
                pub async fn send(self) { let request = client.client.trace(url).build()?; }
            }
        });
        let explained = request_by_method(&mut client);
        let printed = text(&client);
        assert!(
            printed.contains("self.client.request(::reqwest::Method::OPTIONS, url).build()?"),
            "{printed}"
        );
        assert!(
            printed.contains("client.client.request(::reqwest::Method::TRACE, url).build()?"),
            "{printed}"
        );
        assert!(printed.contains("self.client.get(url)"), "{printed}");
        assert!(printed.contains("self.options(url)"), "{printed}");
        assert_eq!(
            explained,
            [
                "`client.options(url)` sent as `client.request(Method::OPTIONS, url)`",
                "`client.trace(url)` sent as `client.request(Method::TRACE, url)`"
            ]
        );
    }

    #[test]
    fn drop_client_new_keeps_the_other_constructors() {
        let mut client = file(quote::quote! {
            impl Client {
                pub fn new(baseurl: &str) -> Self { todo!() }
                pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self { todo!() }
            }
            impl ClientInfo<()> for Client { fn new() {} }
        });
        assert_eq!(drop_client_new(&mut client), ["removed `Client::new`"]);
        let printed = text(&client);
        assert!(!printed.contains("pub fn new(baseurl"), "{printed}");
        assert!(printed.contains("pub fn new_with_client"), "{printed}");
        assert!(
            printed.contains("fn new() {}"),
            "trait impls are left alone: {printed}"
        );
        assert!(drop_client_new(&mut client).is_empty());
    }

    #[test]
    fn unreachable_arms_go_and_reachable_ones_stay() {
        let mut client = file(quote::quote! {
            fn f(s: u16) -> u8 {
                match s {
                    200u16 => 0,
                    400u16..=499u16 => 1,
                    401u16 => 2,
                    503u16 => 3,
                    _ => 4,
                    _ => 5,
                }
            }
        });
        assert_eq!(
            drop_unreachable_arms(&mut client),
            ["removed 2 response match arms that could never run"]
        );
        let printed: String = text(&client).split_whitespace().collect();
        assert!(
            printed.contains("200u16=>0,400u16..=499u16=>1,503u16=>3,_=>4,}"),
            "{printed}"
        );
    }

    #[test]
    fn lowercase_variants_are_allowed_and_kept() {
        let mut models = file(quote::quote! {
            pub enum Direction { X1, minus1 }
            pub enum Plain { A, B }
        });
        assert_eq!(
            allow_lowercase_variants(&mut models),
            ["`Direction`: variants `minus1` keep typify's names, lint allowed"]
        );
        let printed = text(&models);
        assert!(
            printed.contains("#[allow(non_camel_case_types)]\npub enum Direction"),
            "{printed}"
        );
        assert_eq!(printed.matches("allow(").count(), 1, "{printed}");
    }

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
servers:
  - {url: "https://app.example.com", description: production}
  - {url: "https://test.example.com", description: test}
paths:
  /transfers:
    post:
      operationId: sendTransfer
      tags: [Transfers]
      responses:
        "200":
          description: sent
          content: {application/json: {schema: {$ref: "#/components/schemas/Transfer"}}}
        "202":
          description: needs approval
          content: {application/json: {schema: {$ref: "#/components/schemas/Pending"}}}
        "4XX":
          description: refused
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
        "401":
          description: unauthorized, shadowed by 4XX
          content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}
    options:
      operationId: transferMethods
      tags: [Transfers]
      parameters:
        - {name: fields, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: "fields[]", in: query, schema: {type: string}}
      responses:
        "200":
          description: the methods allowed, with details
          content: {application/json: {schema: {$ref: "#/components/schemas/Transfer"}}}
        "204": {description: the methods allowed}
components:
  schemas:
    Transfer:
      type: object
      required: [id]
      properties:
        id: {type: string, pattern: "^[a-f0-9]{32}$", maxLength: 32}
        fee: {type: number, default: 0.5}
    Error: {type: object, properties: {message: {type: string}}}
    Problem: {type: object, properties: {message: {type: string}}}
    Pending:
      type: object
      required: [approval]
      properties:
        approval: {type: string}
        direction: {type: string, enum: ["1", "-1"]}
        state: {$ref: "#/components/schemas/State"}
    State:
      anyOf:
        - {type: string, enum: [pending, waiting]}
        - {type: string, enum: [approved, rejected]}
    Wallet:
      oneOf:
        - {$ref: "#/components/schemas/PlainWallet"}
        - {$ref: "#/components/schemas/StellarWallet"}
    PlainWallet: {type: object, properties: {amount: {type: string}}}
    StellarWallet:
      type: object
      properties:
        amount: {type: integer}
        homeDomain: {type: string}
"##;

    fn render(settings: Settings) -> crate::generate::Output {
        let spec = crate::spec::parse("spec.yaml", SPEC).unwrap();
        crate::generate::render(&spec, &settings).unwrap()
    }

    #[test]
    fn every_rewrite_runs_on_a_spec_that_needs_it_and_says_what_it_did() {
        let output = render(Settings {
            models_crate: "m".into(),
            client_crate: "c".into(),
            // split-models runs when asked: its crates hold the types.
            model_groups: 1,
            ..Default::default()
        });
        assert_eq!(output.model_parts.len(), 3);
        assert!(
            output.models.contains("pub use ::m_shared::*;"),
            "{}",
            output.models
        );
        // What only a spec whose operations name no type does, with builders.
        let typeless = crate::spec::parse(
            "typeless.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses:\n        '204': {description: pong}\n",
        )
        .unwrap();
        let typeless = crate::generate::render(
            &typeless,
            &Settings {
                models_crate: "m".into(),
                client_crate: "c".into(),
                builders: true,
                ..Default::default()
            },
        )
        .unwrap();
        for rewrite in REWRITES {
            let applied = |a: &&Applied| a.rewrite == rewrite.name;
            assert!(
                output.rewrites.iter().any(|a| applied(&a))
                    || typeless.rewrites.iter().any(|a| applied(&a)),
                "{} made no change: {:?}",
                rewrite.name,
                output.rewrites
            );
        }
        let client: String = output
            .client
            .split_whitespace()
            .collect::<String>()
            .replace(",>", ">");
        // decode-merged-by-status: a bodiless 204 beside one body is `None`,
        // read without a body.
        assert!(
            client.contains("204u16=>{let(status,headers)=(response.status(),response.headers().clone());Ok(ResponseValue::new(types::TransferMethodsSuccess::from(None),status,headers"),
            "{}",
            output.client
        );
        // decode-merged-by-status: 202 is decoded as `Pending`, whatever it would fit.
        assert!(
            client.contains(
                "202u16=>{letvalue=ResponseValue::<types::Pending>::from_response(response).await?;"
            ),
            "{}",
            output.client
        );
        assert!(client.contains("Ok(ResponseValue::new(types::SendTransferSuccess::from(value.into_inner()),status,headers,"));
        // add-servers: the URL in the doc is code, not a bare URL rustdoc warns about.
        assert!(client.contains(
            "///`production`:`https://app.example.com`pubconstPRODUCTION:&str=\"https://app.example.com\";"
        ), "{}", output.client);
        // publish-string-constraints: the id newtype publishes its pattern.
        let all_models: String = output
            .model_parts
            .iter()
            .map(|(_, text)| text.as_str())
            .collect();
        let models: String = all_models.split_whitespace().collect();
        assert!(
            models.contains("impl::schemars::JsonSchemaforTransferId"),
            "{all_models}"
        );
        assert!(
            models.contains("pattern:::std::option::Option::Some(\"^[a-f0-9]{32}$\".to_string())")
        );
        // read-every-member: the anyOf of two string enums is read member by member.
        assert!(
            models.contains("impl<'de>::serde::Deserialize<'de>forState"),
            "{all_models}"
        );
        // read-best-fitting-variant: a Stellar wallet is not read as a plain one.
        assert!(
            models.contains("self::best_fit::read(&value,\"Wallet\",&readers)"),
            "{all_models}"
        );
    }

    #[test]
    fn named_servers_are_required_only_where_hand_written_code_uses_them() {
        let unnamed = SPEC.replace("description: production", "description: \"1\"");
        let spec = crate::spec::parse("spec.yaml", &unnamed).unwrap();
        let hooks = Settings {
            models_crate: "m".into(),
            client_crate: "c".into(),
            hooks: true,
            ..Default::default()
        };
        let error = crate::generate::render(&spec, &hooks).unwrap_err();
        assert_eq!(
            error.to_string(),
            "spec.yaml: /servers/0/description: each server needs a description that names it (such as `production`): its description names no constant"
        );
        let plain = Settings {
            hooks: false,
            ..hooks
        };
        let output = crate::generate::render(&spec, &plain).unwrap();
        assert!(output.client.contains("pub const SERVER_0: &str"));
    }
}
