//! Parsing progenitor's token stream into a syntax tree, item by item.
//!
//! `syn::parse2` copies the whole stream into a cursor buffer before it
//! builds the tree, so the stream, its copy and the tree are all in memory
//! at once: on BitGo's `api.yaml` that was the generator's peak (889 MB,
//! against 431 MB just before parsing). Here each item is parsed from its
//! own tokens, which are freed as soon as its tree is built, and a module's
//! body (progenitor's `types` holds nearly everything) is parsed the same
//! way, so the stream shrinks while the tree grows. The tree is the one
//! `syn::parse2::<syn::File>` builds (a test compares them).

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// The file `tokens` spell, as `syn::parse2` would parse it.
pub fn parse_file(tokens: TokenStream) -> syn::Result<syn::File> {
    let mut trees = tokens.into_iter();
    let first: Vec<TokenTree> = trees.by_ref().take(2).collect();
    // Inner attributes (`#![..]`) belong to the file: parse it whole.
    let inner_attributes = matches!(
        first.as_slice(),
        [TokenTree::Punct(pound), TokenTree::Punct(bang)] if pound.as_char() == '#' && bang.as_char() == '!'
    );
    let trees = first.into_iter().chain(trees);
    if inner_attributes {
        return syn::parse2(trees.collect());
    }
    Ok(syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: parse_items(trees)?,
    })
}

/// How many trees a piece of [`in_pieces`] holds.
const PIECE: usize = 4096;

/// `trees` in pieces of [`PIECE`], the stream's own buffer freed: each
/// piece is freed once parsing has taken its trees, where the stream's
/// buffer was held to the end of parsing, when the tree is largest (BitGo's
/// `types` module: 556k trees, 18 MB, the peak of the debug build).
fn in_pieces(trees: impl Iterator<Item = TokenTree>) -> impl Iterator<Item = TokenTree> {
    let mut trees = trees.peekable();
    let mut pieces: Vec<Vec<TokenTree>> = Vec::new();
    while trees.peek().is_some() {
        pieces.push(trees.by_ref().take(PIECE).collect());
    }
    pieces.into_iter().flatten()
}

/// The items `trees` spell, each parsed from its own tokens.
fn parse_items(trees: impl Iterator<Item = TokenTree>) -> syn::Result<Vec<syn::Item>> {
    let mut items = Vec::new();
    let mut chunk: Vec<TokenTree> = Vec::new();
    let mut trees = in_pieces(trees).peekable();
    while let Some(tree) = trees.next() {
        let ends = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            _ => false,
        };
        chunk.push(tree);
        if !ends {
            continue;
        }
        // `const X: S = S { .. };`: the item goes on to its `;`.
        if matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
            continue;
        }
        // An item can hold a brace group before its end (a block in a
        // const generic); it then goes on to the next end.
        if let Some(item) = parse_item(&mut chunk)? {
            items.push(item);
        }
    }
    if !chunk.is_empty() {
        // What is left is not an item: syn's own error says why.
        syn::parse2::<syn::Item>(chunk.into_iter().collect())?;
    }
    Ok(items)
}

/// The item `chunk` spells, which empties it, or `None` (and `chunk` kept)
/// if it is not a whole item yet. A module's body is parsed item by item.
fn parse_item(chunk: &mut Vec<TokenTree>) -> syn::Result<Option<syn::Item>> {
    if let Some(TokenTree::Group(body)) = chunk.last()
        && body.delimiter() == Delimiter::Brace
        && chunk
            .iter()
            .any(|t| matches!(t, TokenTree::Ident(i) if i == "mod"))
    {
        // The module with an empty body, then the body's items.
        let mut header: Vec<TokenTree> = chunk[..chunk.len() - 1].to_vec();
        let mut empty = Group::new(Delimiter::Brace, TokenStream::new());
        empty.set_span(body.span());
        header.push(TokenTree::Group(empty));
        if let Ok(syn::Item::Mod(mut module)) =
            syn::parse2::<syn::Item>(header.into_iter().collect())
        {
            let Some(TokenTree::Group(body)) = chunk.pop() else {
                unreachable!("the chunk ends with the body");
            };
            chunk.clear();
            let stream = body.stream();
            drop(body);
            let brace = module.content.take().map(|(brace, _)| brace);
            let inner = parse_file(stream)?;
            module.attrs.extend(inner.attrs);
            module.content = brace.map(|brace| (brace, inner.items));
            return Ok(Some(syn::Item::Mod(module)));
        }
    }
    match syn::parse2::<syn::Item>(chunk.iter().cloned().collect()) {
        Ok(item) => {
            chunk.clear();
            Ok(Some(item))
        }
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_file;
    use proc_macro2::TokenStream;

    fn both(source: &str) -> (String, String) {
        let tokens: TokenStream = source.parse().unwrap();
        let whole: syn::File = syn::parse2(tokens.clone()).unwrap();
        let by_item = parse_file(tokens).unwrap();
        (
            prettyplease::unparse(&whole),
            prettyplease::unparse(&by_item),
        )
    }

    #[test]
    fn item_by_item_is_the_tree_syn_parses_whole() {
        let source = r#"
            pub use a::b;
            /// Docs.
            #[derive(Debug)]
            pub struct S { pub a: i64 }
            pub struct T(pub String);
            pub struct U;
            pub const X: S = S { a: 1 };
            pub const Y: i64 = { 1 + 2 };
            pub type Z = ::std::vec::Vec<S>;
            impl<'a> From<&'a S> for S where S: Clone { fn from(s: &'a S) -> Self { s.clone() } }
            macro_rules! m { () => {}; }
            m! {}
            m!();
            #[allow(clippy::all)]
            pub mod types {
                //! Inner docs.
                #![allow(unused)]
                pub struct V { v: [u8; { 2 }] }
                pub mod nested { pub enum E { A, B { b: u8 } } }
                pub mod empty {}
                mod outline;
            }
            fn f<const N: usize>() -> [u8; N] where [u8; N]: Default { Default::default() }
        "#;
        let (whole, by_item) = both(source);
        assert_eq!(whole, by_item);
        assert!(
            by_item.contains("pub mod types {\n    //! Inner docs."),
            "{by_item}"
        );
    }

    /// Items across pieces of the stream (`in_pieces`): more top-level
    /// trees than a piece holds, with items that start in one piece and end
    /// in the next.
    #[test]
    fn a_stream_longer_than_a_piece_is_the_same_tree() {
        // Six trees an item: a piece's end falls inside an item.
        let mut source = String::new();
        for i in 0..3 * super::PIECE / 5 {
            source.push_str(&format!(
                "#[derive(Debug)] pub struct S{i} {{ pub a: i64 }}\n"
            ));
        }
        let tokens: TokenStream = source.parse().unwrap();
        assert!(tokens.clone().into_iter().count() > 2 * super::PIECE);
        let (whole, by_item) = both(&source);
        assert_eq!(whole, by_item);
        assert_eq!(
            parse_file(tokens).unwrap().items.len(),
            3 * super::PIECE / 5
        );
    }

    #[test]
    fn a_file_with_inner_attributes_is_parsed_whole() {
        let (whole, by_item) = both("#![allow(unused)]\nfn f() {}\n");
        assert_eq!(whole, by_item);
        assert!(by_item.starts_with("#![allow(unused)]"));
    }

    #[test]
    fn what_is_not_an_item_is_syns_error() {
        for source in [
            "pub struct S { a: i64 } pub",
            "fn f() {} struct",
            "let x = 1;",
        ] {
            let tokens: TokenStream = source.parse().unwrap();
            assert!(parse_file(tokens).is_err(), "{source}");
        }
    }
}
