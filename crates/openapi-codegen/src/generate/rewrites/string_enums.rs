//! `table-string-enums`: typify's string enums, read and written through one
//! table each instead of four `match`es.
//!
//! For an enum of string values typify emits `#[derive(Serialize,
//! Deserialize)]` (serde's derive expands, per enum, a field enum and
//! `match`es over the values by name, by index and by bytes, and another
//! for serializing) and writes `Display` and `FromStr` as one `match` arm
//! per value. BitGo's `api.yaml` has enums of 250 values
//! (`ShortCountryCode`), and such code was close to half of what a feature's
//! `cargo check` type- and borrow-checked. Here each enum gets one table
//! (`string_enums::StringEnum`: its values in declaration order), and its
//! `Serialize`, `Deserialize`, `Display` and `FromStr` call the generic
//! functions of one `string_enums` module, which type-check once.
//!
//! Behaviour is serde's derive's, call for call: `serialize_unit_variant`
//! with the enum's name, the variant's index and its value;
//! `deserialize_enum` reading the variant by name, index or bytes, with
//! serde's errors (`unknown variant `x`, expected one of ...`). `Display`
//! and `FromStr` keep typify's strings and its `"invalid value"` error.
//! An enum is converted only when its `Display` and `FromStr` map exactly
//! its serde names, so nothing typify wrote is reinterpreted.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Companion, Companions};

/// Converts every string enum; one line saying how many. The enums' new
/// impls are [`Companions`], made as the file is printed.
pub fn table_string_enums(models: &mut syn::File, companions: &mut Companions) -> Vec<String> {
    let tables: BTreeMap<String, Vec<(syn::Ident, String)>> = models
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) => table(e).map(|t| (e.ident.to_string(), t)),
            _ => None,
        })
        .collect();
    // Both `Display` and `FromStr` must say what serde says.
    let mut agree: BTreeMap<String, usize> = BTreeMap::new();
    for item in &models.items {
        if let syn::Item::Impl(block) = item
            && let Some(name) = super::single_ident(&block.self_ty)
            && let Some(table) = tables.get(&name)
            && let Some(kind) = conversion(block)
            && pairs(block, kind) == sorted(table)
        {
            *agree.entry(name).or_default() += 1;
        }
    }
    let converted: BTreeMap<&String, &Vec<(syn::Ident, String)>> = tables
        .iter()
        .filter(|(name, _)| agree.get(*name) == Some(&2))
        .collect();
    if converted.is_empty() {
        return Vec::new();
    }
    for item in &mut models.items {
        match item {
            syn::Item::Enum(e) => {
                if let Some(table) = converted.get(&e.ident.to_string()) {
                    strip_serde(e);
                    let table = table.iter().map(|(v, s)| (v.to_string(), s.clone()));
                    companions.insert(&e.ident, Box::new(Table(table.collect())));
                }
            }
            syn::Item::Impl(block) => {
                if let Some(name) = super::single_ident(&block.self_ty)
                    && converted.contains_key(&name)
                    && let Some(kind) = conversion(block)
                {
                    replace_body(block, kind);
                }
            }
            _ => {}
        }
    }
    super::insert_after_types(models, vec![helpers()]);
    let values: usize = converted.values().map(|t| t.len()).sum();
    vec![format!(
        "{} string enums ({values} values) are read and written through one table each (module `string_enums`)",
        converted.len()
    )]
}

/// The variants and serde names of a typify string enum: unit variants
/// without discriminants, serde's derives, no enum-level serde attribute,
/// and no variant attribute but docs and `#[serde(rename = "..")]`.
fn table(e: &syn::ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    let derives = ["Serialize", "Deserialize", "Copy"];
    if e.variants.is_empty()
        || !e.generics.params.is_empty()
        || !derives.iter().all(|d| super::has_derive(&e.attrs, d))
        || e.attrs.iter().any(|a| a.path().is_ident("serde"))
    {
        return None;
    }
    e.variants
        .iter()
        .map(|v| {
            let plain = matches!(v.fields, syn::Fields::Unit)
                && v.discriminant.is_none()
                && v.attrs
                    .iter()
                    .all(|a| a.path().is_ident("doc") || only_rename(a));
            plain.then(|| {
                let value = super::serde_rename(&v.attrs).unwrap_or_else(|| v.ident.to_string());
                (v.ident.clone(), value)
            })
        })
        .collect()
}

/// `#[serde(rename = "..")]` and nothing else.
fn only_rename(attr: &syn::Attribute) -> bool {
    if !attr.path().is_ident("serde") {
        return false;
    }
    let mut only = true;
    let parsed = attr.parse_nested_meta(|meta| {
        only &= meta.path.is_ident("rename");
        meta.value()?.parse::<syn::LitStr>()?;
        Ok(())
    });
    parsed.is_ok() && only
}

fn sorted(table: &[(syn::Ident, String)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = table
        .iter()
        .map(|(ident, value)| (ident.to_string(), value.clone()))
        .collect();
    pairs.sort();
    pairs
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Conversion {
    Display,
    FromStr,
}

/// Whether `block` is typify's `Display` or `FromStr` impl.
fn conversion(block: &syn::ItemImpl) -> Option<Conversion> {
    let (path, _) = block.trait_.as_ref()?;
    match path.segments.last()?.ident.to_string().as_str() {
        "Display" => Some(Conversion::Display),
        "FromStr" => Some(Conversion::FromStr),
        _ => None,
    }
}

/// The (variant, string) pairs of typify's one `match` in the impl's
/// function: `Self::V => f.write_str("v")` or `"v" => Ok(Self::V)`, and a
/// `_` arm in `FromStr` only. Anything else: no pairs.
fn pairs(block: &syn::ItemImpl, kind: Conversion) -> Vec<(String, String)> {
    let Some(syn::ImplItem::Fn(f)) = block
        .items
        .iter()
        .find(|i| matches!(i, syn::ImplItem::Fn(_)))
    else {
        return Vec::new();
    };
    let Some(syn::Stmt::Expr(syn::Expr::Match(m), None)) = f.block.stmts.last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for arm in &m.arms {
        let variant = |expr: &syn::Expr| match expr {
            syn::Expr::Path(p)
                if p.path.segments.len() == 2 && p.path.segments[0].ident == "Self" =>
            {
                Some(p.path.segments[1].ident.to_string())
            }
            _ => None,
        };
        let literal = |expr: &syn::Expr| match expr {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        };
        let pair = match (kind, &arm.pat, &*arm.body) {
            (Conversion::Display, syn::Pat::Path(p), syn::Expr::MethodCall(call))
                if call.method == "write_str" && call.args.len() == 1 =>
            {
                variant(&syn::Expr::Path(p.clone())).zip(literal(&call.args[0]))
            }
            (Conversion::FromStr, syn::Pat::Lit(lit), syn::Expr::Call(call))
                if call.args.len() == 1 =>
            {
                variant(&call.args[0]).zip(literal(&syn::Expr::Lit(lit.clone())))
            }
            (Conversion::FromStr, syn::Pat::Wild(_), _) => continue,
            _ => None,
        };
        match pair {
            Some(pair) => out.push(pair),
            None => return Vec::new(),
        }
    }
    out.sort();
    out
}

/// Removes serde's derives; the variants' `#[serde(rename)]` stay for
/// schemars' derive (`gate-schemars` puts them behind its feature), or go
/// when there is none.
fn strip_serde(e: &mut syn::ItemEnum) {
    super::remove_derive(&mut e.attrs, "Serialize");
    super::remove_derive(&mut e.attrs, "Deserialize");
    if !super::has_derive(&e.attrs, "JsonSchema") {
        for variant in &mut e.variants {
            variant.attrs.retain(|a| !a.path().is_ident("serde"));
        }
    }
}

/// A converted enum's variants (identifiers) and serde names, which its
/// impls are made of.
struct Table(Vec<(String, String)>);

impl Companion for Table {
    fn items(&self, ident: &syn::Ident) -> Vec<syn::ItemImpl> {
        impls(ident, &self.0)
    }

    /// The impls name the enum, its variants and the helpers only.
    fn names(&self) -> Vec<String> {
        Vec::new()
    }

    fn item_count(&self) -> usize {
        3
    }
}

/// The enum's table and its serde impls.
fn impls(ident: &syn::Ident, table: &[(String, String)]) -> Vec<syn::ItemImpl> {
    let name = ident.to_string();
    let variants = table.iter().map(|(v, _)| super::ident(v));
    let values = table.iter().map(|(_, s)| s);
    vec![
        syn::parse_quote! {
            impl self::string_enums::StringEnum for #ident {
                const NAME: &'static str = #name;
                const VALUES: &'static [&'static str] = &[#(#values),*];
                const ALL: &'static [Self] = &[#(Self::#variants),*];
                fn index(self) -> usize {
                    self as usize
                }
            }
        },
        super::serialize_through(ident, "string_enums", quote!(*self)),
        super::deserialize_through(ident, "string_enums"),
    ]
}

/// typify's `match` becomes a call through the table.
fn replace_body(block: &mut syn::ItemImpl, kind: Conversion) {
    let Some(syn::ImplItem::Fn(f)) = block
        .items
        .iter_mut()
        .find(|i| matches!(i, syn::ImplItem::Fn(_)))
    else {
        return;
    };
    // The parameter names typify chose (`f`, `value`).
    let arg = |i: usize| match f.sig.inputs.iter().nth(i) {
        Some(syn::FnArg::Typed(t)) => match &*t.pat {
            syn::Pat::Ident(p) => p.ident.clone(),
            _ => format_ident!("_"),
        },
        _ => format_ident!("_"),
    };
    let body: TokenStream = match kind {
        Conversion::Display => {
            let f = arg(1);
            quote!(#f.write_str(self::string_enums::value(*self)))
        }
        Conversion::FromStr => {
            let value = arg(0);
            quote!(self::string_enums::parse(#value))
        }
    };
    f.block = syn::parse_quote!({ #body });
}

/// The one module all converted enums call.
fn helpers() -> syn::Item {
    syn::parse_quote! {
        /// What the string enums' `Serialize`, `Deserialize`, `Display` and
        /// `FromStr` do, once for all of them (generated by the output rewrite
        /// `table-string-enums`; serde's derive would expand each enum's own).
        #[doc(hidden)]
        pub mod string_enums {
            use ::std::marker::PhantomData;

            /// A fieldless enum of string values, in declaration order.
            pub trait StringEnum: Sized + Copy + 'static {
                const NAME: &'static str;
                const VALUES: &'static [&'static str];
                const ALL: &'static [Self];
                fn index(self) -> usize;
            }

            pub fn value<T: StringEnum>(value: T) -> &'static str {
                T::VALUES[value.index()]
            }

            pub fn parse<T: StringEnum>(
                value: &str,
            ) -> ::std::result::Result<T, super::error::ConversionError> {
                match T::VALUES.iter().position(|v| *v == value) {
                    Some(i) => Ok(T::ALL[i]),
                    None => Err("invalid value".into()),
                }
            }

            pub fn serialize<T: StringEnum, S: ::serde::Serializer>(
                value: T,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let index = value.index();
                serializer.serialize_unit_variant(T::NAME, index as u32, T::VALUES[index])
            }

            pub fn deserialize<'de, T: StringEnum, D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<T, D::Error> {
                deserializer.deserialize_enum(T::NAME, T::VALUES, EnumVisitor::<T>(PhantomData))
            }

            struct EnumVisitor<T>(PhantomData<T>);

            impl<'de, T: StringEnum> ::serde::de::Visitor<'de> for EnumVisitor<T> {
                type Value = T;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    write!(f, "enum {}", T::NAME)
                }
                fn visit_enum<A: ::serde::de::EnumAccess<'de>>(
                    self,
                    data: A,
                ) -> ::std::result::Result<T, A::Error> {
                    let (value, variant) = data.variant_seed(VariantVisitor::<T>(PhantomData))?;
                    ::serde::de::VariantAccess::unit_variant(variant)?;
                    Ok(value)
                }
            }

            struct VariantVisitor<T>(PhantomData<T>);

            impl<'de, T: StringEnum> ::serde::de::DeserializeSeed<'de> for VariantVisitor<T> {
                type Value = T;
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    self,
                    deserializer: D,
                ) -> ::std::result::Result<T, D::Error> {
                    deserializer.deserialize_identifier(self)
                }
            }

            impl<'de, T: StringEnum> ::serde::de::Visitor<'de> for VariantVisitor<T> {
                type Value = T;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("variant identifier")
                }
                fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> ::std::result::Result<T, E> {
                    match usize::try_from(v).ok().and_then(|i| T::ALL.get(i)) {
                        Some(value) => Ok(*value),
                        None => Err(E::invalid_value(
                            ::serde::de::Unexpected::Unsigned(v),
                            &format!("variant index 0 <= i < {}", T::ALL.len()).as_str(),
                        )),
                    }
                }
                fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<T, E> {
                    match T::VALUES.iter().position(|value| *value == v) {
                        Some(i) => Ok(T::ALL[i]),
                        None => Err(E::unknown_variant(v, T::VALUES)),
                    }
                }
                fn visit_bytes<E: ::serde::de::Error>(self, v: &[u8]) -> ::std::result::Result<T, E> {
                    match T::VALUES.iter().position(|value| value.as_bytes() == v) {
                        Some(i) => Ok(T::ALL[i]),
                        None => Err(E::unknown_variant(&String::from_utf8_lossy(v), T::VALUES)),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Companions;

    /// The rewrite, with its companions' items put in the tree.
    fn table_string_enums(file: &mut syn::File) -> Vec<String> {
        let mut companions = Companions::default();
        let report = super::table_string_enums(file, &mut companions);
        companions.expand(file);
        report
    }

    fn models(source: &str) -> syn::File {
        syn::parse_file(source).unwrap()
    }

    const TYPIFY: &str = r#"
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd, schemars::JsonSchema)]
        pub enum Coin {
            ///Bitcoin
            #[serde(rename = "btc")]
            Btc,
            #[serde(rename = "eth")]
            Eth,
        }
        impl ::std::fmt::Display for Coin {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match *self {
                    Self::Btc => f.write_str("btc"),
                    Self::Eth => f.write_str("eth"),
                }
            }
        }
        impl ::std::str::FromStr for Coin {
            type Err = self::error::ConversionError;
            fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                match value {
                    "btc" => Ok(Self::Btc),
                    "eth" => Ok(Self::Eth),
                    _ => Err("invalid value".into()),
                }
            }
        }
        pub mod error {}
    "#;

    fn text(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    #[test]
    fn a_typify_string_enum_reads_and_writes_through_its_table() {
        let mut file = models(TYPIFY);
        let report = table_string_enums(&mut file);
        assert_eq!(
            report,
            [
                "1 string enums (2 values) are read and written through one table each (module `string_enums`)"
            ]
        );
        let out = text(&file);
        // serde's derives are gone; the other derives, docs and renames stay.
        assert!(
            out.contains("#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd, schemars::JsonSchema)]"),
            "{out}"
        );
        assert!(
            out.contains("///Bitcoin\n    #[serde(rename = \"btc\")]\n    Btc,"),
            "{out}"
        );
        assert!(
            out.contains(r#"const VALUES: &'static [&'static str] = &["btc", "eth"];"#),
            "{out}"
        );
        assert!(
            out.contains("const ALL: &'static [Self] = &[Self::Btc, Self::Eth];"),
            "{out}"
        );
        assert!(
            out.contains("f.write_str(self::string_enums::value(*self))"),
            "{out}"
        );
        assert!(out.contains("self::string_enums::parse(value)"), "{out}");
        assert!(out.contains("impl ::serde::Serialize for Coin"), "{out}");
        assert!(
            out.contains("impl<'de> ::serde::Deserialize<'de> for Coin"),
            "{out}"
        );
        // The helpers come once, before the modules.
        assert_eq!(out.matches("pub mod string_enums").count(), 1);
        assert!(out.find("pub mod string_enums").unwrap() < out.find("pub mod error").unwrap());
    }

    #[test]
    fn enums_whose_conversions_disagree_with_serde_or_carry_more_are_left_alone() {
        // `FromStr` maps a string serde does not.
        let disagreeing =
            TYPIFY.replace(r#""eth" => Ok(Self::Eth),"#, r#""ETH" => Ok(Self::Eth),"#);
        // A variant attribute other than a rename.
        let aliased = TYPIFY.replace(
            r#"#[serde(rename = "eth")]"#,
            r#"#[serde(rename = "eth", alias = "ether")]"#,
        );
        // An enum-level serde attribute.
        let tagged = TYPIFY.replace(
            "pub enum Coin",
            "#[serde(deny_unknown_fields)]\npub enum Coin",
        );
        // A variant with data.
        let data = TYPIFY.replace("    Eth,\n", "    Eth(String),\n");
        for source in [disagreeing, aliased, tagged, data] {
            let mut file = models(&source);
            let before = text(&file);
            assert!(table_string_enums(&mut file).is_empty(), "{source}");
            assert_eq!(text(&file), before);
        }
    }

    #[test]
    fn without_schemars_the_renames_go_with_serde() {
        let source = TYPIFY.replace(", schemars::JsonSchema)]", ")]");
        let mut file = models(&source);
        table_string_enums(&mut file);
        let out = text(&file);
        assert!(!out.contains("#[serde(rename"), "{out}");
        assert!(out.contains(r#"const VALUES: &'static [&'static str] = &["btc", "eth"];"#));
    }
}
