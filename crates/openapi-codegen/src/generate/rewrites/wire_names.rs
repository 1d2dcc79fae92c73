//! `restore-wire-names`: a query parameter the `parameters` pass renamed
//! (Twilio's `StartTime<` and `StartTime>` beside `StartTime`, which
//! progenitor would all make the argument `start_time`) is sent, and
//! matched by the mock, under its own name again. progenitor's code names
//! a query parameter in `QueryParam::new(name, ..)` (the client) and
//! `query_param(name, ..)` / `query_param_missing(name)` (the mock); the
//! renamed names are none of the document's wire names, so no other
//! parameter's literal is touched.

use std::collections::BTreeMap;

use syn::visit_mut::VisitMut;

/// Writes each renamed parameter's wire name back where `file` sends or
/// matches it; one line per parameter restored.
pub fn restore_wire_names(renamed: &BTreeMap<String, String>, file: &mut syn::File) -> Vec<String> {
    if renamed.is_empty() {
        return Vec::new();
    }
    struct Names<'a> {
        renamed: &'a BTreeMap<String, String>,
        restored: BTreeMap<String, usize>,
    }
    impl Names<'_> {
        fn restore(&mut self, argument: Option<&mut syn::Expr>) {
            if let Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(literal),
                ..
            })) = argument
                && let Some(wire) = self.renamed.get(&literal.value())
            {
                *literal = syn::LitStr::new(wire, literal.span());
                *self.restored.entry(wire.clone()).or_default() += 1;
            }
        }
    }
    impl VisitMut for Names<'_> {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            if let syn::Expr::Path(path) = &*call.func
                && super::segments(&path.path)
                    .ends_with(&["QueryParam".to_string(), "new".to_string()])
            {
                self.restore(call.args.first_mut());
            }
            syn::visit_mut::visit_expr_call_mut(self, call);
        }
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            if call.method == "query_param" || call.method == "query_param_missing" {
                self.restore(call.args.first_mut());
            }
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    let mut names = Names {
        renamed,
        restored: BTreeMap::new(),
    };
    names.visit_file_mut(file);
    names
        .restored
        .into_iter()
        .map(|(wire, count)| {
            format!("query parameter `{wire}` sent as `{wire}` again ({count} places)")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renamed_query_parameters_are_sent_and_matched_by_their_wire_names() {
        let renamed = BTreeMap::from([("start_time_lt".to_string(), "StartTime<".to_string())]);
        let mut client: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn list_calls(&self, start_time: Option<&str>, start_time_lt: Option<&str>) {
                    let request = self.client.get(url)
                        .query(&progenitor_client::QueryParam::new("StartTime", &start_time))
                        .query(&progenitor_client::QueryParam::new("start_time_lt", &start_time_lt));
                }
            }
            pub mod mock {
                fn start_time_lt(self, value: Option<&str>) -> Self {
                    if let Some(value) = value.into() {
                        Self(self.0.query_param("start_time_lt", value.to_string()))
                    } else {
                        Self(self.0.query_param_missing("start_time_lt"))
                    }
                }
                fn other(self) { let _ = "start_time_lt"; }
            }
        };
        let restored = restore_wire_names(&renamed, &mut client);
        assert_eq!(
            restored,
            ["query parameter `StartTime<` sent as `StartTime<` again (3 places)"]
        );
        let text = quote::ToTokens::to_token_stream(&client).to_string();
        assert!(
            text.contains(r#"QueryParam :: new ("StartTime<" , & start_time_lt)"#),
            "{text}"
        );
        assert!(
            text.contains(r#"query_param_missing ("StartTime<")"#),
            "{text}"
        );
        // The argument keeps its Rust name; other literals are not parameters.
        assert!(text.contains("start_time_lt : Option"), "{text}");
        assert!(text.contains(r#"let _ = "start_time_lt""#), "{text}");
    }
}
