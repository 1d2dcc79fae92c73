//! The last stage: the file as written.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, PoisonError, mpsc};

use super::rewrites::Companions;
use crate::spec::Spec;

/// The file as written: the preamble, then prettyplease's output
/// with docs as `///` lines. Not rustfmt: prettyplease is pinned in
/// Cargo.lock, so the bytes do not depend on the toolchain a machine has, and
/// it is fast (rustfmt took half the time of a 1000-operation spec). Each
/// `lib.rs` declares `#[rustfmt::skip] mod generated;`, so `cargo fmt --check`
/// leaves the file to its generator.
pub fn format(spec: &Spec, unparsed: &str) -> String {
    let mut out = preamble(spec);
    out.reserve(unparsed.len());
    push_line_docs(&mut out, unparsed);
    out
}

/// [`format()`] of a file it consumes, printed item by item: each item's
/// syntax tree is freed once its text is written, so the text grows as the
/// tree shrinks (on a big spec the tree is the largest thing in memory, and
/// the whole file's text is never held twice). prettyplease ends every item
/// with a hard line break inside the file's box, so the text is the same as
/// that of `prettyplease::unparse(&file)`.
///
/// The items of `companions` that follow the file's types are made and
/// printed after each (and freed in turn), on two threads (see
/// `push_file`).
pub fn format_file(spec: &Spec, file: syn::File, companions: &mut Companions) -> String {
    let mut out = preamble(spec);
    push_file(&mut out, file, companions);
    out
}

/// `file` printed onto the end of `out`, item by item, each followed by its
/// companions'.
///
/// Making the companions' items (quoting and parsing them) and printing
/// them took as long as printing the rest of BitGo's `api.yaml`, and they
/// are made of plain data ([`Pending`](super::rewrites::Pending)), which a
/// thread can take where a syntax tree cannot. So they are all queued first,
/// in the order of their types, and two threads make them from the front:
/// a helper, and this one, which prints the items in order and, at a type
/// whose companions' text is not made yet, makes the next queued ones (or
/// waits when none is left). Each text goes in place by its type's order,
/// so the bytes do not depend on which thread made which, and only the
/// texts made ahead of this thread's place are held apart from `out`.
///
/// One thread alone (a machine with one core) makes them all in order.
fn push_file(out: &mut String, file: syn::File, companions: &mut Companions) {
    push_file_with(out, file, companions, crate::threads::two_cores());
}

/// [`push_file`], with a helper thread or without.
fn push_file_with(
    out: &mut String,
    mut file: syn::File,
    companions: &mut Companions,
    helper: bool,
) {
    let items = std::mem::take(&mut file.items);
    // The file's own lines (inner attributes and the like) first.
    if file.shebang.is_some() || file.frontmatter.is_some() || !file.attrs.is_empty() {
        push_line_docs(out, &prettyplease::unparse(&file));
        (file.shebang, file.frontmatter) = (None, None);
        file.attrs.clear();
    }
    let mut one = file;
    if companions.is_empty() {
        items
            .into_iter()
            .for_each(|item| print(out, &mut one, item));
        return;
    }
    let mut queue = VecDeque::new();
    let mut has_companions = Vec::with_capacity(items.len());
    for item in &items {
        let pending = companions.take(item);
        has_companions.push(pending.is_some());
        if let Some(pending) = pending {
            queue.push_back((queue.len(), pending));
        }
    }
    let queue = Mutex::new(queue);
    let take = || {
        queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
    };
    let (sender, made) = mpsc::channel::<(usize, String)>();
    std::thread::scope(|scope| {
        let take = &take;
        // It owns the sender: its end (a panic too) ends `made`.
        let mut helper = helper.then(|| {
            scope.spawn(move || {
                let mut one = empty_file();
                while let Some((index, pending)) = take() {
                    let mut text = String::new();
                    print_all(&mut text, &mut one, pending.items());
                    if sender.send((index, text)).is_err() {
                        return;
                    }
                }
            })
        });
        // Texts made ahead of this thread's place (by either thread).
        let mut ready = BTreeMap::new();
        let mut next = 0;
        for (item, has_companions) in items.into_iter().zip(has_companions) {
            print(out, &mut one, item);
            if !has_companions {
                continue;
            }
            let text = loop {
                ready.extend(made.try_iter());
                if let Some(text) = ready.remove(&next) {
                    break text;
                }
                // Not made yet: make the front one (ours or one after it)
                // rather than wait, or wait when none is left.
                match take() {
                    Some((index, pending)) => {
                        let mut text = String::new();
                        print_all(&mut text, &mut one, pending.items());
                        if index == next {
                            break text;
                        }
                        ready.insert(index, text);
                    }
                    None => match made.recv() {
                        Ok((index, text)) => {
                            ready.insert(index, text);
                        }
                        // The helper is gone: it panicked, which joining
                        // it says (queued ones are made by one thread).
                        Err(_) => {
                            if let Some(Err(panic)) = helper.take().map(|h| h.join()) {
                                std::panic::resume_unwind(panic);
                            }
                            unreachable!("a queued companion was made by neither thread");
                        }
                    },
                }
            };
            out.push_str(&text);
            next += 1;
        }
        if let Some(Err(panic)) = helper.map(|helper| helper.join()) {
            std::panic::resume_unwind(panic);
        }
    });
}

/// `item` printed onto the end of `out` through `one`, an empty file.
fn print(out: &mut String, one: &mut syn::File, item: syn::Item) {
    one.items.push(item);
    push_line_docs(out, &prettyplease::unparse(one));
    one.items.clear();
}

fn print_all(out: &mut String, one: &mut syn::File, items: Vec<syn::Item>) {
    items.into_iter().for_each(|item| print(out, one, item));
}

fn empty_file() -> syn::File {
    syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: Vec::new(),
    }
}

fn preamble(spec: &Spec) -> String {
    format!(
        "// @generated by `cargo xtask generate` from {} (sha256 {}).\n\
         // Do not edit: change the spec and run `cargo xtask generate` again.\n\
         \n",
        spec.display_path, spec.sha256,
    )
}

/// prettyplease prints multi-line docs as `/** .. */` blocks, which rustfmt
/// then indents, turning their text into indented Markdown code blocks (and
/// so into failing doctests). Rewrite them as `///` (or `//!`) lines,
/// onto the end of `out`.
fn push_line_docs(out: &mut String, source: &str) {
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let (marker, rest) = match (trimmed.strip_prefix("/**"), trimmed.strip_prefix("/*!")) {
            (Some(rest), _) if !rest.starts_with('*') => ("///", rest),
            (_, Some(rest)) => ("//!", rest),
            _ => {
                out.push_str(line);
                out.push('\n');
                continue;
            }
        };
        let mut body = rest.to_string();
        while !body.ends_with("*/") {
            match lines.next() {
                Some(next) => {
                    body.push('\n');
                    body.push_str(next);
                }
                None => break,
            }
        }
        let body = body.strip_suffix("*/").unwrap_or(&body);
        for doc_line in body.split('\n') {
            out.push_str(indent);
            out.push_str(marker);
            out.push_str(doc_line);
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::rewrites::Companion;
    use super::{Companions, push_file, push_file_with, push_line_docs};

    fn line_docs(source: &str) -> String {
        let mut out = String::new();
        push_line_docs(&mut out, source);
        out
    }

    #[test]
    fn printing_item_by_item_is_printing_the_file() {
        let file: syn::File = syn::parse_quote! {
            #![allow(clippy::all)]
            /// A type.
            ///
            /// Two paragraphs.
            pub struct A { pub b: B }
            pub mod inner { pub enum B { X, Y(u8) } impl B { fn f(&self) -> u8 { match self { Self::X => 0, Self::Y(y) => *y } } } }
            #[doc = "Last"] pub type C = A;
        };
        let whole = line_docs(&prettyplease::unparse(&file));
        let mut by_items = String::new();
        push_file(&mut by_items, file, &mut Companions::default());
        assert_eq!(by_items, whole);
        assert!(
            whole.contains(
                "#![allow(clippy::all)]\n/// A type.\n///\n/// Two paragraphs.\npub struct A"
            ),
            "{whole}"
        );
    }

    #[test]
    fn block_docs_become_line_docs_at_their_indentation() {
        let source = "impl X {\n    /**First\n\nSecond*/\n    fn f() {}\n}\n/*!Inner*/\n";
        assert_eq!(
            line_docs(source),
            "impl X {\n    ///First\n    ///\n    ///Second\n    fn f() {}\n}\n//!Inner\n"
        );
    }

    /// Makes `impl Marker for T {}` and a documented `impl T { .. }` that
    /// quotes `value`.
    struct Marked(String);

    impl Companion for Marked {
        fn items(&self, ident: &syn::Ident) -> Vec<syn::ItemImpl> {
            let value = &self.0;
            vec![
                syn::parse_quote!(impl Marker for #ident {}),
                syn::parse_quote! {
                    /// Two
                    ///
                    /// paragraphs, «non-ASCII».
                    impl #ident {
                        pub const VALUE: &'static str = #value;
                    }
                },
            ]
        }
        fn names(&self) -> Vec<String> {
            Vec::new()
        }
        fn item_count(&self) -> usize {
            2
        }
    }

    #[test]
    fn companions_made_on_two_threads_land_after_their_types() {
        // Enough types that both threads make some, in any interleaving.
        let mut items: Vec<syn::Item> = Vec::new();
        for i in 0..400 {
            let ident = quote::format_ident!("T{i}");
            items.push(match i % 4 {
                0 => syn::parse_quote!(#[cfg(feature = "a")] pub struct #ident { pub é: u8 }),
                1 => syn::parse_quote!(/// A «type».
                    pub enum #ident { X }),
                2 => syn::parse_quote!(pub struct #ident;),
                _ => syn::parse_quote!(impl Other for T0 {}),
            });
        }
        let file = syn::File {
            shebang: None,
            frontmatter: None,
            attrs: vec![syn::parse_quote!(#![allow(dead_code)])],
            items,
        };
        let mut expanded = file.clone();
        Companions::expand(&mut companions_like(&file), &mut expanded);
        let whole = line_docs(&prettyplease::unparse(&expanded));

        // This thread alone, then with a helper (in whatever interleaving
        // the machine gives).
        let mut alone = String::from("// preamble\n");
        push_file_with(&mut alone, file.clone(), &mut companions_like(&file), false);
        assert_eq!(alone, format!("// preamble\n{whole}"));
        let mut companions = companions_like(&file);
        assert_eq!(companions.names("T4").len(), 0);
        assert_eq!(companions.len_after(&file.items[4]), 2);
        assert_eq!(
            companions.len_after(&file.items[5]),
            0,
            "every fifth has none"
        );
        let mut printed = String::from("// preamble\n");
        push_file_with(&mut printed, file, &mut companions, true);
        assert!(companions.is_empty(), "every companion made once");
        assert_eq!(printed, alone);
        assert!(
            printed.contains(
                "#[cfg(feature = \"a\")]\nimpl Marker for T4 {}\n#[cfg(feature = \"a\")]\n/// Two\n///\n/// paragraphs, «non-ASCII».\nimpl T4 {"
            ),
            "{printed}"
        );
    }

    /// A companion for each type of `file` but every fifth item, quoting a
    /// value of its own (a fresh set each call: they are taken as they are
    /// made).
    fn companions_like(file: &syn::File) -> Companions {
        let mut companions = Companions::default();
        for (i, item) in file.items.iter().enumerate() {
            if let syn::Item::Struct(syn::ItemStruct { ident, .. })
            | syn::Item::Enum(syn::ItemEnum { ident, .. }) = item
                && i % 5 != 0
            {
                let value = format!("v{i} ↦ {}", "x".repeat(i % 7));
                companions.insert(ident, Box::new(Marked(value)));
            }
        }
        companions
    }

    /// A companion whose making panics (a bug in a rewrite).
    struct Boom;

    impl Companion for Boom {
        fn items(&self, _: &syn::Ident) -> Vec<syn::ItemImpl> {
            panic!("boom")
        }
        fn names(&self) -> Vec<String> {
            Vec::new()
        }
        fn item_count(&self) -> usize {
            1
        }
    }

    #[test]
    fn a_companion_that_panics_panics_the_printing_whichever_thread_made_it() {
        for helper in [false, true] {
            for boom in [0, 30, 59] {
                let mut companions = Companions::default();
                let mut items: Vec<syn::Item> = Vec::new();
                for i in 0..60 {
                    let ident = quote::format_ident!("T{i}");
                    items.push(syn::parse_quote!(pub struct #ident;));
                    let companion: Box<dyn Companion> = if i == boom {
                        Box::new(Boom)
                    } else {
                        Box::new(Marked(String::new()))
                    };
                    companions.insert(&ident, companion);
                }
                let file = syn::File {
                    shebang: None,
                    frontmatter: None,
                    attrs: Vec::new(),
                    items,
                };
                let caught = crate::panic::catch(|| {
                    push_file_with(&mut String::new(), file, &mut companions, helper)
                });
                assert_eq!(
                    caught,
                    Err("boom".to_string()),
                    "helper {helper}, boom at {boom}"
                );
            }
        }
    }
}
