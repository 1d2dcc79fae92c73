//! Moving progenitor's `types` module into the models crate.

use proc_macro2::TokenStream;

use crate::error::{Error, ErrorKind, Errors};
use crate::spec::Spec;

/// The two generated modules.
pub struct Split {
    pub models: syn::File,
    pub client: syn::File,
}

/// Moves progenitor's `pub mod types { .. }` into the models crate and
/// leave `pub use bitgo_models as types;` in its place, so that no type is
/// defined twice and `bitgo_client::types` is `bitgo_models`.
pub fn split(spec: &Spec, tokens: TokenStream, models_crate: &str) -> Result<Split, Errors> {
    let output = |message: String| {
        Errors::one(Error::new(
            ErrorKind::Output,
            &spec.display_path,
            "",
            message,
        ))
    };
    let mut client =
        super::parse::parse_file(tokens).map_err(|e| output(format!("not a Rust file: {e}")))?;

    let position = client
        .items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(m) if m.ident == "types"))
        .ok_or_else(|| output("no `types` module".to_string()))?;
    let syn::Item::Mod(types) = &mut client.items[position] else {
        unreachable!("position() matched a module");
    };
    let models_items = types
        .content
        .as_mut()
        .map(|(_, items)| std::mem::take(items))
        .ok_or_else(|| output("the `types` module has no body".to_string()))?;

    let doc = format!(" The types of every schema in the spec: the `{models_crate}` crate.");
    let models_crate = syn::Ident::new(models_crate, proc_macro2::Span::call_site());
    client.items[position] = syn::parse_quote! {
        #[doc = #doc]
        pub use ::#models_crate as types;
    };

    Ok(Split {
        models: syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items: models_items,
        },
        client,
    })
}
