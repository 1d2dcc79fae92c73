//! The output rewrite `read-best-fitting-variant`: an untagged enum whose
//! variants can read one another's bodies picks the variant that keeps the
//! body whole, not the first that takes it.
//!
//! typify 0.8 makes a `oneOf` (or an exclusive `anyOf`) an untagged enum,
//! and serde's derive reads a body as the first variant that accepts it.
//! A struct accepts any object that has its required properties and drops
//! the rest, so where an earlier variant requires no property a later one
//! lacks, the later one's bodies are read as the earlier one and lose every
//! property only the later one declares, without an error. BitGo's
//! `StakingTransactionPropertiesOneOf` lists 60 coins, the first of which
//! (`UnknownStakingTransactionProperties`) requires only an `amount` and a
//! `type` whose values include every coin's: a Stacks staking transaction
//! came back without its `authId`, `signerPub` and `signerSignature`. No
//! order of the variants helps where several require nothing and declare
//! different properties (a wallet's `coinSpecific`, where a Stellar wallet
//! read as an earlier coin).
//!
//! For such an enum (and only there: see [`overlaps`]) serde's `Deserialize`
//! derive is replaced by an impl that reads each variant from the whole
//! value in declaration order, writes each one that accepts back, and keeps
//! the first that loses no property of the body; failing that, the one that
//! loses the fewest (so a body with properties no variant declares reads as
//! serde's derive reads it). A body no variant accepts is the same error as
//! serde's (`data did not match any variant of untagged enum ..`). The type,
//! its variants, docs, `Serialize` and other derives stay typify's.

use std::collections::{BTreeMap, BTreeSet};

use quote::{format_ident, quote};

use super::{
    insert_after_types, is_option, remove_derive, serde_flags, serde_rename, serde_string,
    single_ident,
};

/// The helpers the impls call, once per models file.
const HELPERS: &str = "best_fit";

/// Rewrites every untagged enum whose variants overlap; one line each.
pub fn read_best_fitting_variant(models: &mut syn::File) -> Vec<String> {
    let index = Index::of(models);
    let overlapping: BTreeMap<String, (String, String)> = models
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) if serde_flags(&e.attrs).contains("untagged") => {
                Some((e.ident.to_string(), overlaps(&index, e)?))
            }
            _ => None,
        })
        .collect();
    let mut rewritten = Vec::new();
    let mut items = Vec::with_capacity(models.items.len());
    for mut item in std::mem::take(&mut models.items) {
        let mut added = None;
        if let syn::Item::Enum(e) = &mut item
            && let Some((earlier, later)) = overlapping.get(&e.ident.to_string())
            && let Some(readers) = readers(e)
            && remove_derive(&mut e.attrs, "Deserialize")
        {
            rewritten.push(format!(
                "`{}` ({} variants; `{earlier}` takes bodies of `{later}`) reads the variant that keeps the body whole",
                e.ident,
                e.variants.len()
            ));
            added = Some(impl_deserialize(&e.ident, readers));
        }
        items.push(item);
        items.extend(added);
    }
    models.items = items;
    if !rewritten.is_empty() {
        insert_after_types(models, vec![helpers()]);
    }
    rewritten
}

/// The properties an object keeps, each with its Rust type (`None`: it
/// keeps any property, a map or a JSON value).
type Keeps<'a> = Option<BTreeMap<String, &'a syn::Type>>;

/// What a Rust type reads of a JSON object.
#[derive(Clone)]
enum Shape<'a> {
    /// An object: the properties it needs, and the ones it keeps.
    Object {
        needs: BTreeSet<String>,
        keeps: Keeps<'a>,
    },
    /// Not an object (a string, a number, an array), or not known.
    Other,
}

/// The models' types by name, to follow newtypes, aliases and variants.
struct Index<'a> {
    items: BTreeMap<String, &'a syn::Item>,
    /// typify's string enums: each value its variant's serde name.
    strings: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Index<'a> {
    fn of(models: &'a syn::File) -> Self {
        let items = models
            .items
            .iter()
            .filter_map(|item| {
                let name = match item {
                    syn::Item::Struct(s) => &s.ident,
                    syn::Item::Enum(e) => &e.ident,
                    syn::Item::Type(t) => &t.ident,
                    _ => return None,
                };
                Some((name.to_string(), item))
            })
            .collect();
        let strings = models
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Enum(e) if !serde_flags(&e.attrs).contains("untagged") => {
                    let values: Option<BTreeSet<String>> = e
                        .variants
                        .iter()
                        .map(|v| {
                            matches!(v.fields, syn::Fields::Unit).then(|| {
                                serde_rename(&v.attrs).unwrap_or_else(|| v.ident.to_string())
                            })
                        })
                        .collect();
                    Some((e.ident.to_string(), values?))
                }
                _ => None,
            })
            .collect();
        Index { items, strings }
    }

    /// The values of the string enum `ty` stands for (through aliases).
    fn strings_of(&self, ty: &syn::Type) -> Option<&BTreeSet<String>> {
        let mut name = single_ident(ty)?;
        for _ in 0..8 {
            match self.items.get(&name) {
                Some(syn::Item::Type(alias)) => name = single_ident(&alias.ty)?,
                _ => return self.strings.get(&name),
            }
        }
        None
    }

    /// What `ty` reads of an object; `seen` cuts cycles.
    fn shape(&self, ty: &'a syn::Type, seen: &mut BTreeSet<String>) -> Shape<'a> {
        let syn::Type::Path(path) = ty else {
            return Shape::Other;
        };
        let Some(last) = path.path.segments.last() else {
            return Shape::Other;
        };
        let wrapped = || match &last.arguments {
            syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            }),
            _ => None,
        };
        // std's and serde_json's types, as typify writes them (from the
        // crate's root, or with generic arguments): a component of that
        // name is a bare identifier.
        let std = super::is_foreign(&path.path) || !last.arguments.is_empty();
        match last.ident.to_string().as_str() {
            "Box" | "Option" if std => wrapped().map_or(Shape::Other, |t| self.shape(t, seen)),
            "Map" | "HashMap" | "BTreeMap" | "Value" if std => Shape::Object {
                needs: BTreeSet::new(),
                keeps: None,
            },
            _ => match single_ident(ty) {
                Some(name) if seen.insert(name.clone()) => {
                    let shape = self.named(&name, seen);
                    seen.remove(&name);
                    shape
                }
                _ => Shape::Other,
            },
        }
    }

    /// Whether a value of `ty` can lose properties of the object it reads:
    /// an object that keeps only what it declares, or a list or option of
    /// one. A string, a number or an address reads whole or not at all.
    fn drops_properties(&self, ty: &'a syn::Type) -> bool {
        if let syn::Type::Path(path) = ty
            && let Some(last) = path.path.segments.last()
            && matches!(last.ident.to_string().as_str(), "Option" | "Box" | "Vec")
            && let syn::PathArguments::AngleBracketed(args) = &last.arguments
            && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
        {
            return self.drops_properties(inner);
        }
        matches!(
            self.shape(ty, &mut BTreeSet::new()),
            Shape::Object { keeps: Some(_), .. }
        )
    }

    fn named(&self, name: &str, seen: &mut BTreeSet<String>) -> Shape<'a> {
        match self.items.get(name) {
            Some(syn::Item::Type(alias)) => self.shape(&alias.ty, seen),
            Some(syn::Item::Struct(s)) => match &s.fields {
                syn::Fields::Named(fields) => object(fields),
                syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    self.shape(&fields.unnamed[0].ty, seen)
                }
                _ => Shape::Other,
            },
            Some(syn::Item::Enum(e)) => {
                let flags = serde_flags(&e.attrs);
                if let Some(tag) = serde_string(&e.attrs, "tag") {
                    // An internally tagged enum needs its tag; what else it
                    // keeps depends on the tag, so any property may be kept.
                    return Shape::Object {
                        needs: BTreeSet::from([tag]),
                        keeps: None,
                    };
                }
                if !flags.contains("untagged") {
                    return Shape::Other;
                }
                let mut union: Option<(BTreeSet<String>, Keeps<'a>)> = None;
                for variant in &e.variants {
                    let Shape::Object { needs, keeps } = self.variant(variant, seen) else {
                        continue;
                    };
                    union = Some(match union {
                        None => (needs, keeps),
                        Some((all_need, all_keep)) => (
                            all_need.intersection(&needs).cloned().collect(),
                            all_keep.zip(keeps).map(|(mut a, b)| {
                                a.extend(b);
                                a
                            }),
                        ),
                    });
                }
                union.map_or(Shape::Other, |(needs, keeps)| Shape::Object {
                    needs,
                    keeps,
                })
            }
            _ => Shape::Other,
        }
    }

    fn variant(&self, variant: &'a syn::Variant, seen: &mut BTreeSet<String>) -> Shape<'a> {
        match &variant.fields {
            syn::Fields::Named(fields) => object(fields),
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                self.shape(&fields.unnamed[0].ty, seen)
            }
            _ => Shape::Other,
        }
    }
}

/// The shape of named fields: each by its serde name; needed unless it has
/// a default or is an `Option` (serde reads a missing `Option` as `None`);
/// a flattened field keeps any property.
fn object(fields: &syn::FieldsNamed) -> Shape<'_> {
    let mut needs = BTreeSet::new();
    let mut keeps = Some(BTreeMap::new());
    for field in &fields.named {
        let flags = serde_flags(&field.attrs);
        if flags.contains("flatten") {
            keeps = None;
            continue;
        }
        let Some(ident) = &field.ident else { continue };
        let name = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
        if !flags.contains("default") && !is_option(&field.ty) {
            needs.insert(name.clone());
        }
        if let Some(keeps) = &mut keeps {
            keeps.insert(name, &field.ty);
        }
    }
    Shape::Object { needs, keeps }
}

/// The first pair of variants (earlier, later) where the earlier one reads
/// the later one's bodies and loses some of them: it needs no property the
/// later one lacks or gives values of a string enum it takes none of (a tag
/// value apart), and the later one keeps a property the earlier one
/// does not, or keeps one under another Rust type where the earlier one's
/// type is an object that drops properties. `None`: serde's
/// first-fit reading loses nothing a later variant would keep.
fn overlaps<'a>(index: &Index<'a>, e: &'a syn::ItemEnum) -> Option<(String, String)> {
    let shapes: Vec<(String, Shape<'a>)> = e
        .variants
        .iter()
        .map(|v| (v.ident.to_string(), index.variant(v, &mut BTreeSet::new())))
        .collect();
    // Each kept property's Rust type as text, once (compared pairwise).
    let texts: Vec<BTreeMap<&str, String>> = shapes
        .iter()
        .map(|(_, shape)| match shape {
            Shape::Object {
                keeps: Some(keeps), ..
            } => keeps
                .iter()
                .map(|(p, ty)| (p.as_str(), quote!(#ty).to_string()))
                .collect(),
            _ => BTreeMap::new(),
        })
        .collect();
    for (i, (earlier, a)) in shapes.iter().enumerate() {
        let Shape::Object {
            needs: a_needs,
            keeps: Some(a_keeps),
        } = a
        else {
            // Not an object, or one that keeps every property.
            continue;
        };
        for (j, (later, b)) in shapes.iter().enumerate().skip(i + 1) {
            let Shape::Object { keeps: b_keeps, .. } = b else {
                continue;
            };
            let reads = match b_keeps {
                None => true,
                Some(b_keeps) => a_needs.iter().all(|p| {
                    let (Some(a_ty), Some(b_ty)) = (a_keeps.get(p), b_keeps.get(p)) else {
                        return false;
                    };
                    match (index.strings_of(a_ty), index.strings_of(b_ty)) {
                        (Some(a), Some(b)) => !a.is_disjoint(b),
                        _ => true,
                    }
                }),
            };
            let loses = match b_keeps {
                None => true,
                Some(b_keeps) => b_keeps.iter().any(|(p, _)| match a_keeps.get(p) {
                    None => true,
                    Some(a_ty) => {
                        texts[i].get(p.as_str()) != texts[j].get(p.as_str())
                            && index.drops_properties(a_ty)
                    }
                }),
            };
            if reads && loses {
                return Some((earlier.clone(), later.clone()));
            }
        }
    }
    None
}

/// One reader per variant, in order: a closure from the whole value to the
/// enum. `None` when a variant's form is not one typify emits.
fn readers(e: &syn::ItemEnum) -> Option<Vec<proc_macro2::TokenStream>> {
    e.variants
        .iter()
        .map(|variant| {
            let ident = &variant.ident;
            match &variant.fields {
                syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => Some(quote! {
                    |value| ::serde::Deserialize::deserialize(value).map(Self::#ident)
                }),
                syn::Fields::Named(fields) => {
                    // The variant's fields as a struct of their own, with
                    // their serde attributes (serde reads an untagged struct
                    // variant as it reads such a struct).
                    let names: Vec<&syn::Ident> = fields
                        .named
                        .iter()
                        .filter_map(|f| f.ident.as_ref())
                        .collect();
                    let declared = fields.named.iter().map(|f| {
                        let attrs = f.attrs.iter().filter(|a| a.path().is_ident("serde"));
                        let (name, ty) = (&f.ident, &f.ty);
                        quote! { #(#attrs)* #name: #ty }
                    });
                    Some(quote! {
                        |value| {
                            #[derive(::serde::Deserialize)]
                            struct Fields { #(#declared),* }
                            let Fields { #(#names),* } = ::serde::Deserialize::deserialize(value)?;
                            ::std::result::Result::Ok(Self::#ident { #(#names),* })
                        }
                    })
                }
                syn::Fields::Unit => Some(quote! {
                    |value| <() as ::serde::Deserialize>::deserialize(value).map(|()| Self::#ident)
                }),
                syn::Fields::Unnamed(_) => None,
            }
        })
        .collect()
}

fn impl_deserialize(ident: &syn::Ident, readers: Vec<proc_macro2::TokenStream>) -> syn::Item {
    let helpers = format_ident!("{HELPERS}");
    let name = ident.to_string();
    let count = readers.len();
    syn::parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                let readers: [self::#helpers::Reader<Self>; #count] = [#(#readers),*];
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                self::#helpers::read(&value, #name, &readers)
                    .map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    }
}

/// The one module the impls call.
fn helpers() -> syn::Item {
    let helpers = format_ident!("{HELPERS}");
    syn::parse_quote! {
        /// How an untagged enum whose variants read one another's bodies
        /// picks one (generated by the output rewrite
        /// `read-best-fitting-variant`; serde's derive takes the first that
        /// accepts the body).
        #[doc(hidden)]
        pub mod #helpers {
            /// Reads one variant from the whole value.
            pub type Reader<T> =
                fn(&::serde_json::Value) -> ::std::result::Result<T, ::serde_json::Error>;

            /// The first variant that accepts `value` and loses none of its
            /// properties when written back; else the one that loses the
            /// fewest (the first of those); else serde's untagged error.
            pub fn read<T: ::serde::Serialize>(
                value: &::serde_json::Value,
                name: &str,
                readers: &[Reader<T>],
            ) -> ::std::result::Result<T, ::std::string::String> {
                let mut best: ::std::option::Option<(usize, T)> = ::std::option::Option::None;
                for reader in readers {
                    let ::std::result::Result::Ok(read) = reader(value) else {
                        continue;
                    };
                    let lost = match ::serde_json::to_value(&read) {
                        ::std::result::Result::Ok(back) => lost(value, &back),
                        ::std::result::Result::Err(_) => usize::MAX,
                    };
                    if lost == 0 {
                        return ::std::result::Result::Ok(read);
                    }
                    if best.as_ref().is_none_or(|(fewest, _)| lost < *fewest) {
                        best = ::std::option::Option::Some((lost, read));
                    }
                }
                best.map(|(_, read)| read).ok_or_else(|| {
                    format!("data did not match any variant of untagged enum {name}")
                })
            }

            /// How many properties of `sent`, at any depth, `back` lacks
            /// (`null`s and empty arrays and objects aside: a round trip
            /// may omit them).
            pub fn lost(sent: &::serde_json::Value, back: &::serde_json::Value) -> usize {
                use ::serde_json::Value;
                match (sent, back) {
                    (Value::Object(sent), Value::Object(back)) => sent
                        .iter()
                        .map(|(key, value)| match back.get(key) {
                            ::std::option::Option::Some(back) => lost(value, back),
                            ::std::option::Option::None => size(value),
                        })
                        .sum(),
                    (Value::Array(sent), Value::Array(back)) => {
                        sent.iter().zip(back).map(|(sent, back)| lost(sent, back)).sum()
                    }
                    _ => 0,
                }
            }

            /// A property's weight when lost: itself and what it holds.
            fn size(value: &::serde_json::Value) -> usize {
                use ::serde_json::Value;
                match value {
                    Value::Null => 0,
                    Value::Array(items) if items.is_empty() => 0,
                    Value::Object(map) if map.is_empty() => 0,
                    Value::Array(items) => 1 + items.iter().map(size).sum::<usize>(),
                    Value::Object(map) => 1 + map.values().map(size).sum::<usize>(),
                    _ => 1,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(file: &syn::File) -> String {
        prettyplease::unparse(file).split_whitespace().collect()
    }

    #[test]
    fn an_enum_whose_first_variant_reads_the_second_ones_bodies_is_rewritten() {
        let mut models: syn::File = syn::parse_quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            #[serde(untagged)]
            pub enum Coin {
                Plain(Plain),
                Stellar(StellarAlias),
                Inline {
                    #[serde(rename = "memoId")]
                    memo_id: String,
                    #[serde(default, skip_serializing_if = "Option::is_none")]
                    fee: Option<i64>,
                },
            }
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub struct Plain {
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub amount: Option<String>,
            }
            pub type StellarAlias = Stellar;
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub struct Stellar {
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub amount: Option<String>,
                #[serde(rename = "homeDomain", default)]
                pub home_domain: Option<String>,
            }
            pub mod error {}
        };
        assert_eq!(
            read_best_fitting_variant(&mut models),
            [
                "`Coin` (3 variants; `Plain` takes bodies of `Stellar`) reads the variant that keeps the body whole"
            ]
        );
        let printed = compact(&models);
        assert!(
            printed
                .contains("#[derive(::serde::Serialize,Clone,Debug)]#[serde(untagged)]pubenumCoin"),
            "{printed}"
        );
        assert!(
            printed.contains("letreaders:[self::best_fit::Reader<Self>;3usize]"),
            "{printed}"
        );
        assert!(
            printed.contains("|value|::serde::Deserialize::deserialize(value).map(Self::Stellar)"),
            "{printed}"
        );
        // A struct variant is read through a struct with its fields' serde
        // attributes (and no docs).
        assert!(
            printed.contains("structFields{#[serde(rename=\"memoId\")]memo_id:String,#[serde(default,skip_serializing_if=\"Option::is_none\")]fee:Option<i64>,}"),
            "{printed}"
        );
        assert!(
            printed.contains("Ok(Self::Inline{memo_id,fee})"),
            "{printed}"
        );
        assert_eq!(printed.matches("pubmodbest_fit").count(), 1);
        assert!(printed.find("pubmodbest_fit").unwrap() < printed.find("pubmoderror").unwrap());
    }

    #[test]
    fn enums_serde_reads_without_loss_are_left_alone() {
        let mut models: syn::File = syn::parse_quote! {
            // The first variant needs `kind`, which the second never has.
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Exclusive { A(A), B(B) }
            pub struct A { pub kind: String, pub x: Option<i64> }
            pub struct B { pub y: Option<i64> }
            // The later variant keeps nothing the earlier one does not.
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Wider { B(B), Narrow(Narrow) }
            pub struct Narrow { pub y: Option<i64> }
            // Strings, and a map first: nothing is lost.
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Scalars { S(String), N(i64), M(::serde_json::Map<String, ::serde_json::Value>), B(B) }
            // Not untagged.
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub enum Tagged { B(B), Narrow(Narrow) }
            // Told apart by a tag value (typify's one-value string enums).
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Intent { Stake(Stake), Unstake(Unstake) }
            pub struct Stake { #[serde(rename = "intentType")] pub intent_type: StakeType, pub amount: Option<i64> }
            pub struct Unstake { #[serde(rename = "intentType")] pub intent_type: UnstakeType, pub all: Option<bool> }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub enum StakeType { #[serde(rename = "stake")] Stake }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub enum UnstakeType { #[serde(rename = "unstake")] Unstake }
        };
        let before = compact(&models);
        assert!(read_best_fitting_variant(&mut models).is_empty());
        assert_eq!(compact(&models), before);
    }

    #[test]
    fn a_shared_object_property_of_another_type_is_a_loss_and_a_map_reads_everything() {
        let mut models: syn::File = syn::parse_quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Typed { A(A), B(B) }
            pub struct A { pub amount: Option<Vec<Amount>> }
            pub struct B { pub amount: Option<Vec<Coins>> }
            pub struct Amount { pub value: Option<String> }
            pub struct Coins { pub value: Option<String>, pub denom: Option<String> }
            // Addresses read whole or not at all (Oxide's `IpRange`).
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum IpRange { V4(Ipv4Range), V6(Ipv6Range) }
            pub struct Ipv4Range { pub first: ::std::net::Ipv4Addr, pub last: ::std::net::Ipv4Addr }
            pub struct Ipv6Range { pub first: ::std::net::Ipv6Addr, pub last: ::std::net::Ipv6Addr }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Open { A(A), Rest(::std::collections::HashMap<String, String>) }
            // String enums that share a value do not tell their objects apart.
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Shared { P(P), Q(Q) }
            pub struct P { pub kind: PKind }
            pub struct Q { pub kind: QKind, pub extra: Option<i64> }
            pub enum PKind { #[serde(rename = "a")] A, #[serde(rename = "b")] B }
            pub enum QKind { #[serde(rename = "b")] B, #[serde(rename = "c")] C }
        };
        let changed = read_best_fitting_variant(&mut models);
        assert_eq!(changed.len(), 3, "{changed:?}");
        assert!(changed[0].starts_with("`Typed` (2 variants; `A` takes bodies of `B`)"));
        assert!(changed[1].starts_with("`Open` (2 variants; `A` takes bodies of `Rest`)"));
        assert!(changed[2].starts_with("`Shared` (2 variants; `P` takes bodies of `Q`)"));
    }

    #[test]
    fn nested_untagged_and_tagged_enums_read_as_the_objects_they_take() {
        let index_file: syn::File = syn::parse_quote! {
            #[serde(untagged)]
            pub enum Inner { A(A), B(B) }
            pub struct A { pub id: String, pub x: Option<i64> }
            pub struct B { pub id: String, pub name: String }
            #[serde(tag = "kind")]
            pub enum Kinds { One { a: i64 } }
            // A component named like serde_json's type is a struct.
            pub struct Value { pub v: String }
        };
        let index = Index::of(&index_file);
        let ty: syn::Type = syn::parse_quote!(Box<Inner>);
        let Shape::Object { needs, keeps } = index.shape(&ty, &mut BTreeSet::new()) else {
            panic!("an untagged enum of objects reads objects");
        };
        // It needs what every variant needs, and keeps what any keeps.
        assert_eq!(needs, BTreeSet::from(["id".to_string()]));
        let keeps: Vec<String> = keeps.unwrap().into_keys().collect();
        assert_eq!(keeps, ["id", "name", "x"]);
        let ty: syn::Type = syn::parse_quote!(Kinds);
        let Shape::Object { needs, keeps } = index.shape(&ty, &mut BTreeSet::new()) else {
            panic!("a tagged enum reads objects");
        };
        assert_eq!(needs, BTreeSet::from(["kind".to_string()]));
        assert!(keeps.is_none());
        let ty: syn::Type = syn::parse_quote!(Value);
        let Shape::Object { keeps, .. } = index.shape(&ty, &mut BTreeSet::new()) else {
            panic!("a struct reads objects");
        };
        assert_eq!(keeps.unwrap().into_keys().collect::<Vec<_>>(), ["v"]);
        let ty: syn::Type = syn::parse_quote!(::serde_json::Value);
        assert!(matches!(
            index.shape(&ty, &mut BTreeSet::new()),
            Shape::Object { keeps: None, .. }
        ));
    }
}
