//! `join-array-parameters`: array query and header parameters sent in the
//! form the spec gives them.
//!
//! progenitor sends every array query parameter exploded, one pair per
//! value (`status=a&status=b`: progenitor-client's `QueryParam` serializes a
//! sequence so), whatever its `style` and `explode`. A spec that says
//! `explode: false` (OpenAPI's `status=a,b`, Asana's `opt_fields` on 190
//! operations, BitGo's `requestStatus`) or `spaceDelimited` / `pipeDelimited`
//! (which the `parameters` pass turns into `form` with the delimiter in
//! `x-codegen-delimiter`, as progenitor refuses those styles) gets values
//! the server reads otherwise: one value for the last pair, or a list of
//! one. Such a parameter's value is wrapped in `joined::Joined`, which
//! writes the values as one string joined by the delimiter. An array header
//! parameter (`simple`: `a,b`) does not compile at all: progenitor calls
//! `to_string` on its `Vec`; it is `joined::text(&value, ",")`. The Rust
//! types and method signatures stay stock's.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::target::naming::method_name;
use crate::target::parameters::{Place, joined_parameters};

/// Wraps the values of the parameters [`joined_parameters`] finds; adds the
/// module `joined` when it did.
pub fn join_array_parameters(doc: &Value, client: &mut syn::File) -> Vec<String> {
    let plan = joined_parameters(doc);
    if plan.is_empty() {
        return Vec::new();
    }
    struct Calls<'a> {
        plan: &'a BTreeMap<String, BTreeMap<Place, String>>,
        current: Option<&'a BTreeMap<Place, String>>,
        /// Inside `mod builder`, whose path to the helper is `super::`.
        in_builder: bool,
        joined: Vec<String>,
    }
    impl Calls<'_> {
        /// `encode_path(&value.to_string())` of an array path parameter.
        fn path(&mut self, call: &mut syn::ExprCall) {
            let Some(parameters) = self.current else {
                return;
            };
            let Some(syn::Expr::Reference(reference)) = call.args.first() else {
                return;
            };
            let syn::Expr::MethodCall(to_string) = &*reference.expr else {
                return;
            };
            let syn::Expr::Path(value) = &*to_string.receiver else {
                return;
            };
            let (Some(ident), true) = (value.path.get_ident(), to_string.method == "to_string")
            else {
                return;
            };
            // progenitor names the argument as it names methods.
            let Some(((_, name), delimiter)) = parameters
                .iter()
                .find(|((location, name), _)| location == "path" && ident == &method_name(name))
            else {
                return;
            };
            let (name, delimiter) = (name.clone(), delimiter.clone());
            let helper = self.helper();
            call.args[0] = syn::parse_quote!(&#helper::text(&#ident, #delimiter));
            self.joined.push(format!("path {name:?} ({delimiter:?})"));
        }

        fn helper(&self) -> syn::Path {
            if self.in_builder {
                syn::parse_quote!(super::joined)
            } else {
                syn::parse_quote!(self::joined)
            }
        }

        /// The delimiter of the parameter named by `name` at `location`.
        fn delimiter(&self, location: &str, name: Option<&syn::Expr>) -> Option<(String, String)> {
            let Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            })) = name
            else {
                return None;
            };
            let place = (location.to_string(), name.value());
            let delimiter = self.current?.get(&place)?;
            Some((name.value(), delimiter.clone()))
        }
    }
    impl syn::visit_mut::VisitMut for Calls<'_> {
        fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
            let was = self.in_builder;
            self.in_builder = module.ident == "builder";
            syn::visit_mut::visit_item_mod_mut(self, module);
            self.in_builder = was;
        }

        fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
            self.current = super::operation_id(function).and_then(|id| self.plan.get(&id));
            if self.current.is_some() {
                syn::visit_mut::visit_impl_item_fn_mut(self, function);
            }
            self.current = None;
        }

        /// `progenitor_client::QueryParam::new("name", &value)`, and
        /// `encode_path(&value.to_string())` for a path parameter.
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            syn::visit_mut::visit_expr_call_mut(self, call);
            if matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("encode_path")) {
                return self.path(call);
            }
            let is_query_param = matches!(&*call.func, syn::Expr::Path(p)
                if p.path.segments.len() >= 2
                    && p.path.segments[p.path.segments.len() - 2].ident == "QueryParam"
                    && p.path.segments[p.path.segments.len() - 1].ident == "new");
            if !is_query_param || call.args.len() != 2 {
                return;
            }
            let Some((name, delimiter)) = self.delimiter("query", call.args.first()) else {
                return;
            };
            let value = &call.args[1];
            let helper = self.helper();
            let wrapped: syn::Expr = syn::parse_quote!(&#helper::Joined(#value, #delimiter));
            self.joined.push(format!("query {name:?} ({delimiter:?})"));
            call.args[1] = wrapped;
        }

        /// progenitor writes a path in `format!`, whose arguments syn keeps
        /// as tokens: parsed, visited, and written back when one changed.
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            if self.current.is_none() || !mac.path.is_ident("format") {
                return;
            }
            let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
            let Ok(mut args) = mac.parse_body_with(parser) else {
                return;
            };
            let before = self.joined.len();
            for arg in args.iter_mut() {
                self.visit_expr_mut(arg);
            }
            if self.joined.len() > before {
                mac.tokens = quote::ToTokens::to_token_stream(&args);
            }
        }

        /// `header_map.append("name", value.to_string().try_into()?)`.
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            syn::visit_mut::visit_expr_method_call_mut(self, call);
            if call.method != "append" || call.args.len() != 2 {
                return;
            }
            let Some((name, delimiter)) = self.delimiter("header", call.args.first()) else {
                return;
            };
            let syn::Expr::Try(attempt) = &mut call.args[1] else {
                return;
            };
            let syn::Expr::MethodCall(try_into) = &mut *attempt.expr else {
                return;
            };
            let syn::Expr::MethodCall(to_string) = &*try_into.receiver else {
                return;
            };
            if to_string.method != "to_string" || !to_string.args.is_empty() {
                return;
            }
            let value = &to_string.receiver;
            let helper = self.helper();
            // A reference in the method, the value itself in a builder's `send`.
            let text: syn::Expr = syn::parse_quote!(#helper::text(&#value, #delimiter));
            *try_into.receiver = text;
            self.joined.push(format!("header {name:?} ({delimiter:?})"));
        }
    }
    let mut calls = Calls {
        plan: &plan,
        current: None,
        in_builder: false,
        joined: Vec::new(),
    };
    syn::visit_mut::VisitMut::visit_file_mut(&mut calls, client);
    if calls.joined.is_empty() {
        return Vec::new();
    }
    client.items.push(helper());
    let count = calls.joined.len();
    calls.joined.sort();
    calls.joined.dedup();
    vec![format!(
        "{count} array parameters sent as one value joined by their delimiter (a query's not one pair per value, a header's or a path's not through `to_string`): {}",
        calls.joined.join(", ")
    )]
}

/// The module the wrapped parameters call.
fn helper() -> syn::Item {
    syn::parse_quote! {
        /// How an array parameter is sent where the spec joins its values
        /// (generated by the output rewrite `join-array-parameters`): one
        /// value, the values joined by the delimiter of its `style`.
        #[doc(hidden)]
        pub mod joined {
            /// A query parameter's value (`None` is left out, as progenitor
            /// does) and the delimiter its values are joined by.
            pub struct Joined<'a, T: ?Sized>(pub &'a T, pub &'static str);

            impl<T: ::serde::Serialize + ?Sized> ::serde::Serialize for Joined<'_, T> {
                fn serialize<S: ::serde::Serializer>(
                    &self,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    match ::serde_json::to_value(self.0).map_err(::serde::ser::Error::custom)? {
                        ::serde_json::Value::Null => serializer.serialize_none(),
                        ::serde_json::Value::Array(values) => {
                            serializer.serialize_str(&join(values, self.1))
                        }
                        other => ::serde::Serialize::serialize(&other, serializer),
                    }
                }
            }

            /// A header parameter's values joined by `delimiter`.
            pub fn text<T: ::serde::Serialize + ?Sized>(
                value: &T,
                delimiter: &str,
            ) -> ::std::string::String {
                match ::serde_json::to_value(value) {
                    ::std::result::Result::Ok(::serde_json::Value::Array(values)) => {
                        join(values, delimiter)
                    }
                    ::std::result::Result::Ok(other) => other.to_string(),
                    ::std::result::Result::Err(_) => ::std::string::String::new(),
                }
            }

            fn join(
                values: ::std::vec::Vec<::serde_json::Value>,
                delimiter: &str,
            ) -> ::std::string::String {
                let texts: ::std::vec::Vec<::std::string::String> = values
                    .into_iter()
                    .map(|value| match value {
                        ::serde_json::Value::String(text) => text,
                        other => other.to_string(),
                    })
                    .collect();
                texts.join(delimiter)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_values_of_a_planned_parameter_are_wrapped_where_it_is_sent() {
        let doc = json!({"paths": {"/a": {"get": {"operationId": "getA", "parameters": [
            {"name": "fields", "in": "query", "explode": false, "schema": {"type": "array"}},
            {"name": "other", "in": "query", "schema": {"type": "array"}},
            {"name": "x-tags", "in": "header", "schema": {"type": "array"}},
            {"name": "Ids", "in": "path", "required": true, "schema": {"type": "array"}}
        ]}}}});
        let mut client: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn get_a(&self, fields: Option<&Vec<String>>, other: &Vec<String>) {
                    let info = OperationInfo { operation_id: "get_a" };
                    let url = format!("{}/a/{}", self.baseurl, encode_path(&ids.to_string()));
                    if let Some(value) = x_tags {
                        header_map.append("x-tags", value.to_string().try_into()?);
                    }
                    let request = self.client.get(url)
                        .query(&progenitor_client::QueryParam::new("fields", &fields))
                        .query(&progenitor_client::QueryParam::new("other", &other));
                }
                pub async fn get_b(&self, fields: &Vec<String>) {
                    let info = OperationInfo { operation_id: "get_b" };
                    let request = self.client.get(url)
                        .query(&progenitor_client::QueryParam::new("fields", &fields));
                }
            }
            pub mod builder {
                impl<'a> GetA<'a> {
                    pub async fn send(self) {
                        let info = OperationInfo { operation_id: "get_a" };
                        let request = client.client.get(url)
                            .query(&progenitor_client::QueryParam::new("fields", &fields));
                    }
                }
            }
        };
        let explained = join_array_parameters(&doc, &mut client);
        let text = prettyplease::unparse(&client);
        let compact: String = text.split_whitespace().collect();
        assert!(
            compact.contains(r#"QueryParam::new("fields",&self::joined::Joined(&fields,",")"#),
            "{text}"
        );
        assert!(
            compact.contains(r#"QueryParam::new("fields",&super::joined::Joined(&fields,",")"#),
            "{text}"
        );
        assert!(
            compact.contains(r#"QueryParam::new("other",&other)"#),
            "{text}"
        );
        // Another operation's parameter of the same name is sent as before.
        assert_eq!(compact.matches("Joined(&fields").count(), 2, "{text}");
        assert!(text.contains("pub mod joined"), "{text}");
        assert!(
            compact.contains(r#"encode_path(&self::joined::text(&ids,","))"#),
            "{text}"
        );
        assert!(
            compact.contains(
                r#"header_map.append("x-tags",self::joined::text(&value,",").try_into()?)"#
            ),
            "{text}"
        );
        assert_eq!(
            explained,
            [
                r#"4 array parameters sent as one value joined by their delimiter (a query's not one pair per value, a header's or a path's not through `to_string`): header "x-tags" (","), path "Ids" (","), query "fields" (",")"#
            ]
        );
    }
}
