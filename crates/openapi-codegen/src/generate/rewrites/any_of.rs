//! The output rewrite `read-every-member`: typify's struct of flattened
//! members, read and written member by member.
//!
//! For an `anyOf` whose members may overlap (and for an `allOf` it cannot
//! merge), typify 0.8 emits
//!
//! ```text
//! struct Union {
//!     #[serde(flatten)] pub subtype_0: Option<A>,
//!     #[serde(flatten)] pub subtype_1: Option<B>,
//! }
//! ```
//!
//! with derived serde impls, which lose data without an error: serde reads
//! the flattened members in turn from one buffer, each taking the
//! properties it knows, so a later member no longer sees properties an
//! earlier one took; a member that fails becomes `None` silently (a valid
//! body reads as `{}`); a member that is not an object (an `anyOf` of two
//! string enums) can never be read; and members sharing a property write it
//! twice.
//!
//! The rewrite keeps typify's type as it is (its fields, docs and other
//! derives) and replaces the two serde derives with impls that read each
//! member from the whole value, fail naming every member's error when no
//! member (of an `anyOf`) or one member (of an `allOf`) does not match, and
//! write the union of the members' properties, each once.

use quote::{format_ident, quote};

use super::{has_derive, insert_after_types, is_option, remove_derive, serde_flags};

/// The helpers the impls call, once per models file.
const HELPERS: &str = "any_of";

/// Rewrites every flattened-member struct of `models`; one line each.
pub fn read_every_member(models: &mut syn::File) -> Vec<String> {
    let mut impls: Vec<syn::Item> = Vec::new();
    let mut rewritten = Vec::new();
    for item in &mut models.items {
        let syn::Item::Struct(s) = item else { continue };
        let Some(members) = flattened_members(s) else {
            continue;
        };
        let has_schema = has_derive(&s.attrs, "JsonSchema");
        if !remove_derive(&mut s.attrs, "Deserialize") || !remove_derive(&mut s.attrs, "Serialize")
        {
            continue;
        }
        if !has_schema {
            // `#[serde]` is a helper attribute of the serde derives (and of
            // schemars'): without them it would not compile.
            for field in &mut s.fields {
                field.attrs.retain(|a| !a.path().is_ident("serde"));
            }
        }
        let ident = &s.ident;
        let name = ident.to_string();
        let helpers = format_ident!("{HELPERS}");
        let fields: Vec<&syn::Ident> = members.iter().map(|(f, _)| f).collect();
        let any_optional = members.iter().any(|(_, optional)| *optional);
        let kind = if any_optional { "anyOf" } else { "allOf" };
        let mismatch = quote! {
            return ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(
                self::#helpers::mismatch(#kind, #name, &errors),
            ))
        };
        let read = if any_optional {
            // An `anyOf`: the members that match; at least one must.
            let mut none = quote! { true };
            for field in &fields {
                none = quote! { #none && #field.is_none() };
            }
            quote! {
                #( let #fields = self::#helpers::member(&value, &mut errors); )*
                if #none {
                    #mismatch;
                }
                ::std::result::Result::Ok(Self { #( #fields ),* })
            }
        } else {
            // An `allOf`: every member must match.
            let reads = fields
                .iter()
                .map(|_| quote! { self::#helpers::member(&value, &mut errors) });
            quote! {
                let ( #( ::std::option::Option::Some(#fields) ),* ) = ( #( #reads ),* ) else {
                    #mismatch;
                };
                ::std::result::Result::Ok(Self { #( #fields ),* })
            }
        };
        let writes = members.iter().map(|(field, optional)| {
            if *optional {
                quote! { union.add(self.#field.as_ref()).map_err(<S::Error as ::serde::ser::Error>::custom)?; }
            } else {
                quote! { union.add(::std::option::Option::Some(&self.#field)).map_err(<S::Error as ::serde::ser::Error>::custom)?; }
            }
        });
        impls.push(syn::parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #ident {
                fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                where
                    D: ::serde::Deserializer<'de>,
                {
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    let mut errors = ::std::vec::Vec::new();
                    #read
                }
            }
        });
        impls.push(syn::parse_quote! {
            impl ::serde::Serialize for #ident {
                fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
                where
                    S: ::serde::Serializer,
                {
                    let mut union = self::#helpers::Union::default();
                    #( #writes )*
                    ::serde::Serialize::serialize(&union.finish(), serializer)
                }
            }
        });
        rewritten.push(format!(
            "`{name}` ({} flattened members) reads each member from the whole value and fails when no member matches",
            members.len()
        ));
    }
    if impls.is_empty() {
        return rewritten;
    }
    let helpers = format_ident!("{HELPERS}");
    impls.push(syn::parse_quote! {
        /// How the structs of flattened `anyOf`/`allOf` members read and
        /// write them (the output rewrite `read-every-member`).
        #[doc(hidden)]
        pub mod #helpers {
            /// The member read from the whole value; its error kept.
            pub fn member<T: ::serde::de::DeserializeOwned>(
                value: &::serde_json::Value,
                errors: &mut ::std::vec::Vec<::std::string::String>,
            ) -> ::std::option::Option<T> {
                match T::deserialize(value) {
                    ::std::result::Result::Ok(member) => ::std::option::Option::Some(member),
                    ::std::result::Result::Err(error) => {
                        errors.push(error.to_string());
                        ::std::option::Option::None
                    }
                }
            }

            /// The error when the members do not match.
            pub fn mismatch(
                kind: &str,
                name: &str,
                errors: &[::std::string::String],
            ) -> ::std::string::String {
                let errors: ::std::vec::Vec<::std::string::String> = errors
                    .iter()
                    .enumerate()
                    .map(|(i, e)| format!("member {i}: {e}"))
                    .collect();
                format!("the members of the {kind} `{name}` do not match: {}", errors.join("; "))
            }

            /// The members written as one value: objects merged, each
            /// property once (objects under one name merged again, any other
            /// value as the first member wrote it).
            #[derive(Default)]
            pub struct Union(::std::option::Option<::serde_json::Value>);

            fn merge(into: &mut ::serde_json::Value, from: ::serde_json::Value) {
                if let (::serde_json::Value::Object(into), ::serde_json::Value::Object(from)) =
                    (into, from)
                {
                    for (key, value) in from {
                        match into.get_mut(&key) {
                            ::std::option::Option::Some(existing) => merge(existing, value),
                            ::std::option::Option::None => {
                                into.insert(key, value);
                            }
                        }
                    }
                }
            }

            impl Union {
                pub fn add<T: ::serde::Serialize>(
                    &mut self,
                    member: ::std::option::Option<&T>,
                ) -> ::std::result::Result<(), ::serde_json::Error> {
                    let ::std::option::Option::Some(member) = member else {
                        return ::std::result::Result::Ok(());
                    };
                    let value = ::serde_json::to_value(member)?;
                    match &mut self.0 {
                        ::std::option::Option::Some(into) => merge(into, value),
                        slot => *slot = ::std::option::Option::Some(value),
                    }
                    ::std::result::Result::Ok(())
                }

                pub fn finish(self) -> ::serde_json::Value {
                    self.0
                        .unwrap_or_else(|| ::serde_json::Value::Object(::serde_json::Map::new()))
                }
            }
        }
    });
    insert_after_types(models, impls);
    rewritten
}

/// typify's flattened-member struct: every field `subtype_N`, flattened;
/// each with whether it is optional (`anyOf`) or not (`allOf`).
fn flattened_members(s: &syn::ItemStruct) -> Option<Vec<(syn::Ident, bool)>> {
    let syn::Fields::Named(fields) = &s.fields else {
        return None;
    };
    if fields.named.is_empty() {
        return None;
    }
    fields
        .named
        .iter()
        .map(|field| {
            let ident = field.ident.clone()?;
            let numbered = ident
                .to_string()
                .strip_prefix("subtype_")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            (numbered && serde_flags(&field.attrs).contains("flatten"))
                .then(|| (ident, is_option(&field.ty)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn union() -> syn::File {
        syn::parse_quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, schemars::JsonSchema)]
            pub struct Union {
                #[serde(flatten, skip_serializing_if = "::std::option::Option::is_none")]
                pub subtype_0: ::std::option::Option<A>,
                #[serde(flatten, skip_serializing_if = "::std::option::Option::is_none")]
                pub subtype_1: ::std::option::Option<B>,
            }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Plain {
                #[serde(flatten)]
                pub extra: ::std::collections::HashMap<String, String>,
            }
            pub mod error {}
        }
    }

    #[test]
    fn the_flattened_union_gets_impls_and_keeps_its_fields() {
        let mut models = union();
        let changed = read_every_member(&mut models);
        assert_eq!(
            changed,
            [
                "`Union` (2 flattened members) reads each member from the whole value and fails when no member matches"
            ]
        );
        let printed = prettyplease::unparse(&models);
        let compact: String = printed.split_whitespace().collect();
        assert!(
            compact.contains("#[derive(Clone,Debug,Default,schemars::JsonSchema)]pubstructUnion"),
            "{printed}"
        );
        assert!(
            compact.contains("pubsubtype_0:::std::option::Option<A>"),
            "{printed}"
        );
        assert!(
            compact.contains("impl<'de>::serde::Deserialize<'de>forUnion"),
            "{printed}"
        );
        assert!(
            compact.contains("impl::serde::SerializeforUnion"),
            "{printed}"
        );
        assert!(
            compact.contains("iftrue&&subtype_0.is_none()&&subtype_1.is_none()"),
            "{printed}"
        );
        // The helpers sit before typify's modules, once.
        assert_eq!(printed.matches("pub mod any_of").count(), 1);
        assert!(printed.find("pub mod any_of").unwrap() < printed.find("pub mod error").unwrap());
        // A struct with another flattened field is typify's map, not a union.
        assert!(
            compact.contains("#[derive(::serde::Deserialize,::serde::Serialize)]pubstructPlain")
        );
    }

    #[test]
    fn without_json_schema_the_serde_attributes_go_too() {
        let mut models: syn::File = syn::parse_quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone)]
            pub struct Both {
                #[serde(flatten)]
                pub subtype_0: A,
                #[serde(flatten)]
                pub subtype_1: B,
            }
        };
        assert_eq!(read_every_member(&mut models).len(), 1);
        let printed = prettyplease::unparse(&models);
        assert!(!printed.contains("#[serde(flatten)]"), "{printed}");
        // An allOf's members are all required.
        let compact: String = printed.split_whitespace().collect();
        assert!(
            compact.contains("let(::std::option::Option::Some(subtype_0),::std::option::Option::Some(subtype_1),)="),
            "{printed}"
        );
        assert!(compact.contains("\"allOf\""), "{printed}");
    }

    #[test]
    fn a_file_without_unions_is_untouched() {
        let mut models: syn::File = syn::parse_quote! {
            #[derive(::serde::Deserialize)]
            pub struct Thing { pub id: String }
        };
        let before = prettyplease::unparse(&models);
        assert!(read_every_member(&mut models).is_empty());
        assert_eq!(prettyplease::unparse(&models), before);
    }
}
