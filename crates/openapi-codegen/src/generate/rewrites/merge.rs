//! `merge-identical-types`: typify makes a Rust type of every schema and of
//! every inline schema, so a spec that repeats a shape (BitGo's `coin` enum,
//! the same string pattern in a hundred places) compiles it a hundred times.
//! Types whose definition and impls are the same token for token, but for
//! their own name and their type-level docs, become one: the one with the
//! shortest name (then the first by name) stays, and the others become
//! `pub type Other = Kept;` with their own docs. Field and variant docs are
//! part of the shape, so no doc is lost. The types they name may differ
//! where those types merge too (to a fixed point); their fields' and
//! variants' names may not, even where a variant is named after a type that
//! merges (typify names a variant after the type it holds).
//!
//! Not merged, so that no user code breaks: tuple structs with a public
//! field and unit structs (a type alias cannot construct them), types whose
//! fields or variants are named apart (an alias would lose the names), and
//! types whose merging would make two impls the same (`From<A> for E` and
//! `From<B> for E` for two variants of `E`).

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::fast::{HashMap, new_map};

use syn::visit::Visit;

/// One type that may merge: where its definition is, and everything that
/// goes with it (its impls, its builder and the builder's impls), read in
/// place by a [`Digester`] (no copy of the items is made: the tokens of
/// all of them at once were the generator's peak memory on a big spec).
struct Candidate {
    places: Vec<Place>,
}

/// Where an item of the models file is: top level, or in the `builder` module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Top(usize),
    Builder(usize),
}

/// The type an impl goes with: its self type if that is a candidate,
/// otherwise the first candidate its trait names (`From<A> for
/// ::std::string::String`, even beside a candidate named `String`).
fn owner(block: &syn::ItemImpl, candidates: &BTreeMap<String, Candidate>) -> Option<String> {
    if let Some(ident) = super::self_type(block)
        && candidates.contains_key(&ident.to_string())
    {
        return Some(ident.to_string());
    }
    let (trait_path, _) = block.trait_.as_ref()?;
    // Its identifiers in the order of its tokens.
    struct First<'a> {
        candidates: &'a BTreeMap<String, Candidate>,
        found: Option<String>,
    }
    impl<'ast> Visit<'ast> for First<'_> {
        fn visit_ident(&mut self, ident: &'ast syn::Ident) {
            if self.found.is_none() {
                let text = ident.to_string();
                if self.candidates.contains_key(&text) {
                    self.found = Some(text);
                }
            }
        }
        fn visit_path(&mut self, path: &'ast syn::Path) {
            super::visit_generated_path(self, path);
        }
    }
    let mut first = First {
        candidates,
        found: None,
    };
    first.visit_path(trait_path);
    first.found
}

/// typify's `defaults` module builds a newtype's default with its tuple
/// constructor (`super::Description("".to_string())`), which an alias does
/// not have (E0423: "expected function, found type alias"): a call of a
/// merged type's constructor calls the kept type's.
fn construct_kept_types(models: &mut syn::File, merged: &BTreeMap<String, String>) {
    struct Calls<'a>(&'a BTreeMap<String, String>);
    impl syn::visit_mut::VisitMut for Calls<'_> {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            if let syn::Expr::Path(path) = &mut *call.func
                && let Some(last) = path.path.segments.last_mut()
                && let Some(kept) = self.0.get(&last.ident.to_string())
            {
                last.ident = syn::Ident::new(kept, last.ident.span());
            }
            syn::visit_mut::visit_expr_call_mut(self, call);
        }
    }
    for item in &mut models.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "defaults"
        {
            syn::visit_mut::VisitMut::visit_item_mod_mut(&mut Calls(merged), module);
        }
    }
}

/// Whether a type can be replaced by an alias of another: not a unit
/// struct, not a tuple struct with a public field, not generic.
fn mergeable(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) if s.generics.params.is_empty() => match &s.fields {
            syn::Fields::Named(_) => Some(s.ident.to_string()),
            syn::Fields::Unnamed(fields)
                if fields
                    .unnamed
                    .iter()
                    .all(|f| matches!(f.vis, syn::Visibility::Inherited)) =>
            {
                Some(s.ident.to_string())
            }
            _ => None,
        },
        syn::Item::Enum(e) if e.generics.params.is_empty() => Some(e.ident.to_string()),
        _ => None,
    }
}

/// A candidate's own name, as digested.
const OWN: u32 = u32::MAX;
/// Another candidate's name, as digested (its index is in `refs`).
const NAME: u32 = 1 << 31;

/// A type's items (or an impl's header) split into what never changes
/// (numbered: `base`) and the candidates it names, in order (`refs`),
/// which merging maps.
struct Shape {
    base: u32,
    refs: Vec<u32>,
}

impl Shape {
    /// The shape `digester` read, of a type of `outline` (0 for an impl's
    /// header); `bases` numbers the distinct bases, with their outlines.
    fn of(digester: Digester, outline: u128, bases: &mut HashMap<u128, u32>) -> Shape {
        let (read, refs) = digester.finish_shape();
        let next = bases.len() as u32;
        let base = *bases.entry(digest(&(outline, read))).or_insert(next);
        Shape { base, refs }
    }
}

/// Syntax trees digested through their `Hash` (syn's `extra-traits`: every
/// node and token but spans), without turning them into tokens (that, and
/// reading the tokens back, was most of this rewrite's time). Every string
/// that is a candidate's name (an identifier hashes as its text) is
/// digested as a placeholder, [`OWN`] for the type's own name, and
/// collected in `refs`, in order. Token streams (attributes' arguments,
/// macros' tokens) are hashed token by token, each group with its
/// delimiter and an end mark, so tokens grouped apart digest apart.
///
/// The bytes are gathered, then digested at once: SipHash is a byte stream
/// (its digest does not depend on how the bytes were split into writes),
/// and two hashers fed a few bytes per write, millions of times, were more
/// than half of this rewrite's instructions.
struct Digester<'a> {
    names: &'a HashMap<String, u32>,
    own: Option<u32>,
    bytes: Vec<u8>,
    refs: Vec<u32>,
}

impl<'a> Digester<'a> {
    fn new(names: &'a HashMap<String, u32>, own: Option<u32>) -> Self {
        Digester {
            names,
            own,
            bytes: Vec::new(),
            refs: Vec::new(),
        }
    }

    /// A type's item (its definition, an impl, its builder), the docs
    /// before it left out: type-level docs do not keep types apart.
    fn item(&mut self, item: &syn::Item) {
        let attrs = match item {
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Impl(block) => &block.attrs,
            other => return other.hash(self),
        };
        let attrs: Vec<&syn::Attribute> =
            attrs.iter().filter(|a| !a.path().is_ident("doc")).collect();
        attrs.hash(self);
        // The rest field by field, named so that a field syn adds is not
        // left out unseen (its tokens, `struct`, braces, hash as nothing).
        match item {
            syn::Item::Struct(s) => {
                let syn::ItemStruct {
                    attrs: _,
                    vis,
                    struct_token: _,
                    ident,
                    generics,
                    fields,
                    semi_token,
                } = s;
                ("struct", vis, ident, generics, fields, semi_token).hash(self);
            }
            syn::Item::Enum(e) => {
                let syn::ItemEnum {
                    attrs: _,
                    vis,
                    enum_token: _,
                    ident,
                    generics,
                    brace_token: _,
                    variants,
                } = e;
                ("enum", vis, ident, generics, variants).hash(self);
            }
            syn::Item::Impl(block) => {
                let syn::ItemImpl {
                    attrs: _,
                    modifiers,
                    unsafety,
                    impl_token: _,
                    generics,
                    trait_,
                    self_ty,
                    brace_token: _,
                    items,
                } = block;
                (
                    "impl", modifiers, unsafety, generics, trait_, self_ty, items,
                )
                    .hash(self);
            }
            _ => unreachable!("other items are hashed whole"),
        }
    }

    /// `impl<..> Trait for Type` without the body (its generics include
    /// the `where` clause).
    fn impl_header(&mut self, block: &syn::ItemImpl) {
        let trait_path = block.trait_.as_ref().map(|(path, _)| path);
        (&block.generics, trait_path, &block.self_ty).hash(self);
    }

    /// The digest of what was read, and the candidates it names.
    fn finish_shape(self) -> (u128, Vec<u32>) {
        (digest_bytes(&self.bytes), self.refs)
    }
}

impl Hasher for Digester<'_> {
    fn write(&mut self, bytes: &[u8]) {
        let name = std::str::from_utf8(bytes)
            .ok()
            .and_then(|text| self.names.get(text));
        let bytes: &[u8] = match name {
            Some(&index) if Some(index) == self.own => &OWN.to_le_bytes(),
            Some(&index) => {
                self.refs.push(index);
                &NAME.to_le_bytes()
            }
            None => bytes,
        };
        self.bytes.extend_from_slice(bytes);
    }

    // Numbers (lengths, variants' discriminants) are never names.
    fn write_u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.bytes.extend_from_slice(&value.to_ne_bytes());
    }

    fn write_isize(&mut self, value: isize) {
        self.bytes.extend_from_slice(&value.to_ne_bytes());
    }

    /// Not read (`finish_shape` is): the first half of the digest so far.
    fn finish(&self) -> u64 {
        (digest_bytes(&self.bytes) >> 64) as u64
    }
}

/// The second digest's salt.
const SALT: u64 = 0x9e37_79b9_7f4a_7c15;

/// What bases and outlines are known by: two SipHash-1-3 digests, of
/// `value` and of `value` after a salt (std's `DefaultHasher`: fixed keys,
/// so deterministic). Two values that differ share one with odds of 2^-128
/// per pair; holding every type's token sequence whole instead was 6 MB
/// more of the generator's peak on BitGo's `api.yaml`.
fn digest<T: Hash + ?Sized>(value: &T) -> u128 {
    let mut first = DefaultHasher::new();
    value.hash(&mut first);
    let mut second = DefaultHasher::new();
    SALT.hash(&mut second);
    value.hash(&mut second);
    (u128::from(first.finish()) << 64) | u128::from(second.finish())
}

/// [`digest`] of a byte stream (the bytes a `Hash` wrote, gathered).
fn digest_bytes(bytes: &[u8]) -> u128 {
    let mut first = DefaultHasher::new();
    first.write(bytes);
    let mut second = DefaultHasher::new();
    SALT.hash(&mut second);
    second.write(bytes);
    (u128::from(first.finish()) << 64) | u128::from(second.finish())
}

/// A shape with each candidate it names replaced by what it merged into.
fn key(shape: &Shape, canonical: &[u32]) -> (u32, Vec<u32>) {
    (
        shape.base,
        shape.refs.iter().map(|&r| canonical[r as usize]).collect(),
    )
}

/// Merges the structurally identical types of a models file; returns one
/// line per merged group.
pub fn merge_identical_types(models: &mut syn::File) -> Vec<String> {
    // The candidates, and every item that goes with each.
    let mut candidates: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut defined: BTreeMap<String, Place> = BTreeMap::new();
    for (i, item) in models.items.iter().enumerate() {
        if let Some(name) = mergeable(item) {
            candidates.insert(
                name.clone(),
                Candidate {
                    places: vec![Place::Top(i)],
                },
            );
            defined.insert(name, Place::Top(i));
        }
    }
    let builder_position = models
        .items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(m) if m.ident == "builder"));
    let builder_items: &[syn::Item] = match builder_position.map(|i| &models.items[i]) {
        Some(syn::Item::Mod(m)) => m
            .content
            .as_ref()
            .map_or(&[], |(_, items)| items.as_slice()),
        _ => &[],
    };
    // Shapes are numbers: candidates by their index, bases by `bases`.
    let indices: HashMap<String, u32> = candidates
        .keys()
        .enumerate()
        .map(|(i, name)| (name.clone(), i as u32))
        .collect();
    let mut bases = new_map();
    // Items that go with a candidate: (place, owner).
    let mut belongs: Vec<(Place, String)> = Vec::new();
    // Every trait impl's header, digested as it is found, and the type it
    // goes with, for the clash check.
    let mut headers: Vec<(Option<u32>, Shape)> = Vec::new();
    let places = models
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (Place::Top(i), item))
        .chain(
            builder_items
                .iter()
                .enumerate()
                .map(|(i, item)| (Place::Builder(i), item)),
        );
    for (place, item) in places {
        match item {
            syn::Item::Impl(block) => {
                let owner = owner(block, &candidates);
                if block.trait_.is_some() {
                    let mut digester = Digester::new(&indices, None);
                    digester.impl_header(block);
                    headers.push((
                        owner.as_ref().map(|o| indices[o]),
                        Shape::of(digester, 0, &mut bases),
                    ));
                }
                if let Some(name) = owner {
                    belongs.push((place, name));
                }
            }
            syn::Item::Struct(s) if matches!(place, Place::Builder(_)) => {
                let name = s.ident.to_string();
                if candidates.contains_key(&name) {
                    belongs.push((place, name));
                }
            }
            _ => {}
        }
    }
    for (place, name) in &belongs {
        if let Some(candidate) = candidates.get_mut(name) {
            candidate.places.push(*place);
        }
    }
    let item_at = |place: &Place| match place {
        Place::Top(i) => &models.items[*i],
        Place::Builder(i) => &builder_items[*i],
    };

    let names: Vec<&String> = candidates.keys().collect();
    // Types merge only within an outline: a candidate's name as a variant's
    // (typify names a variant after the type it holds) is a name, not a
    // reference, and merging enums whose variants are named apart would
    // lose the variants' names. A type whose outline no other type shares
    // is left out (`excluded`) without digesting its items.
    let outlines: Vec<u128> = candidates
        .values()
        .map(|c| outline(item_at(&c.places[0]), c.places.len()))
        .collect();
    let mut shared: HashMap<u128, usize> = new_map();
    for outline in &outlines {
        *shared.entry(*outline).or_default() += 1;
    }
    let mut excluded: Vec<bool> = outlines.iter().map(|o| shared[o] == 1).collect();
    let sequences: Vec<Shape> = candidates
        .values()
        .enumerate()
        .map(|(i, candidate)| {
            if excluded[i] {
                return Shape {
                    base: u32::MAX,
                    refs: Vec::new(),
                };
            }
            let mut digester = Digester::new(&indices, Some(i as u32));
            for place in &candidate.places {
                digester.item(item_at(place));
            }
            Shape::of(digester, outlines[i], &mut bases)
        })
        .collect();
    drop(bases);
    // Merge to a fixed point, then undo the merges that make impls clash.
    let canonical = loop {
        let canonical = fixed_point(&names, &sequences, &excluded);
        let clashes = clashing(&headers, &canonical);
        if clashes.is_empty() {
            break canonical;
        }
        for i in clashes {
            excluded[i as usize] = true;
        }
    };
    let merged: BTreeMap<String, String> = canonical
        .iter()
        .enumerate()
        .filter(|(i, c)| **c as usize != *i)
        .map(|(i, c)| (names[i].clone(), names[*c as usize].clone()))
        .collect();
    if merged.is_empty() {
        return Vec::new();
    }

    // Rewrite: aliases where the merged types were, their impls and builders gone.
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in &merged {
        groups.entry(to.as_str()).or_default().push(from.as_str());
    }
    let mut remove_top: BTreeSet<usize> = BTreeSet::new();
    let mut remove_builder: BTreeSet<usize> = BTreeSet::new();
    for (place, name) in &belongs {
        if merged.contains_key(name) {
            match place {
                Place::Top(i) => remove_top.insert(*i),
                Place::Builder(i) => remove_builder.insert(*i),
            };
        }
    }
    let with_builder: BTreeSet<&str> = belongs
        .iter()
        .filter(|(place, _)| matches!(place, Place::Builder(_)))
        .map(|(_, name)| name.as_str())
        .collect();
    let mut builder_aliases = Vec::new();
    // Each alias a copy of one parsed `pub type A = B;` with its names set
    // (4,357 on BitGo's `api.yaml`, where parsing each cost 40 ms).
    let template: syn::ItemType = syn::parse_quote! { pub type A = B; };
    let alias = |attrs: Vec<syn::Attribute>, from: &str, to: &str| {
        let mut alias = template.clone();
        alias.attrs = attrs;
        alias.ident = syn::Ident::new(from, proc_macro2::Span::call_site());
        if let syn::Type::Path(path) = &mut *alias.ty
            && let Some(last) = path.path.segments.last_mut()
        {
            last.ident = syn::Ident::new(to, proc_macro2::Span::call_site());
        }
        syn::Item::Type(alias)
    };
    for (from, to) in &merged {
        let Some(Place::Top(i)) = defined.get(from) else {
            continue;
        };
        // The type's own docs stay with its alias (the type goes).
        let mut docs: Vec<syn::Attribute> = match &mut models.items[*i] {
            syn::Item::Struct(s) => std::mem::take(&mut s.attrs),
            syn::Item::Enum(e) => std::mem::take(&mut e.attrs),
            _ => Vec::new(),
        };
        docs.retain(|a| a.path().is_ident("doc"));
        if with_builder.contains(from.as_str()) {
            builder_aliases.push(alias(Vec::new(), from, to));
        }
        models.items[*i] = alias(docs, from, to);
    }
    if let Some(position) = builder_position
        && let syn::Item::Mod(m) = &mut models.items[position]
        && let Some((_, items)) = &mut m.content
    {
        let mut index = 0;
        items.retain(|_| {
            let keep = !remove_builder.contains(&index);
            index += 1;
            keep
        });
        items.extend(builder_aliases);
    }
    let mut index = 0;
    models.items.retain(|_| {
        let keep = !remove_top.contains(&index);
        index += 1;
        keep
    });
    construct_kept_types(models, &merged);
    groups
        .into_iter()
        .map(|(to, from)| {
            format!(
                "`{to}` stands for {} identical types: {}",
                from.len() + 1,
                from.iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect()
}

/// What two types that merge must share, cheap to read off the tree: their
/// kind, their fields' or variants' names and kinds in order, and how many
/// items go with them (a type, its impls and its builder's).
fn outline(item: &syn::Item, places: usize) -> u128 {
    fn fields(fields: &syn::Fields, out: &mut Vec<String>) {
        match fields {
            syn::Fields::Named(named) => {
                out.push("{".to_string());
                out.extend(
                    named
                        .named
                        .iter()
                        .filter_map(|f| f.ident.as_ref().map(ToString::to_string)),
                );
            }
            syn::Fields::Unnamed(unnamed) => out.push(format!("({}", unnamed.unnamed.len())),
            syn::Fields::Unit => out.push(";".to_string()),
        }
    }
    let mut out = vec![places.to_string()];
    match item {
        syn::Item::Struct(s) => {
            out.push("struct".to_string());
            fields(&s.fields, &mut out);
        }
        syn::Item::Enum(e) => {
            out.push("enum".to_string());
            for variant in &e.variants {
                out.push(variant.ident.to_string());
                fields(&variant.fields, &mut out);
            }
        }
        _ => {}
    }
    digest(&out)
}

/// Each candidate's index → the index of the type it merges into (itself
/// when it stays), to a fixed point: merging two types can make the types
/// that name them identical. Of a group, the shortest name (then the first)
/// stays.
fn fixed_point(names: &[&String], sequences: &[Shape], excluded: &[bool]) -> Vec<u32> {
    // Who names whom, so that only the sequences naming a type that just
    // merged get a new key.
    let mut named_by: Vec<Vec<u32>> = vec![Vec::new(); names.len()];
    for (i, sequence) in sequences.iter().enumerate() {
        let mut named = sequence.refs.clone();
        named.sort_unstable();
        named.dedup();
        for n in named {
            named_by[n as usize].push(i as u32);
        }
    }
    let mut canonical: Vec<u32> = (0..names.len() as u32).collect();
    let mut keys: Vec<Option<(u32, Vec<u32>)>> = sequences
        .iter()
        .enumerate()
        .map(|(i, sequence)| (!excluded[i]).then(|| key(sequence, &canonical)))
        .collect();
    loop {
        let mut by_shape: HashMap<&(u32, Vec<u32>), Vec<u32>> = new_map();
        for (i, key) in keys.iter().enumerate() {
            if let Some(key) = key {
                by_shape.entry(key).or_default().push(i as u32);
            }
        }
        let mut next: Vec<u32> = (0..names.len() as u32).collect();
        for group in by_shape.values().filter(|group| group.len() > 1) {
            let kept = *group
                .iter()
                .min_by_key(|&&i| (names[i as usize].len(), names[i as usize]))
                .expect("two or more");
            for &i in group {
                next[i as usize] = kept;
            }
        }
        if next == canonical {
            return canonical;
        }
        let changed: Vec<usize> = (0..names.len())
            .filter(|&i| next[i] != canonical[i])
            .collect();
        canonical = next;
        for i in changed {
            for &user in &named_by[i] {
                if !excluded[user as usize] {
                    keys[user as usize] = Some(key(&sequences[user as usize], &canonical));
                }
            }
        }
    }
}

/// The merged candidates whose merging makes two trait impls the same
/// (among the impls that stay: those of merged types go).
fn clashing(headers: &[(Option<u32>, Shape)], canonical: &[u32]) -> BTreeSet<u32> {
    let merged = |i: u32| canonical[i as usize] != i;
    let mut seen: HashMap<(u32, Vec<u32>), &Shape> = new_map();
    let mut clashes = BTreeSet::new();
    for (owner, header) in headers {
        if owner.is_some_and(merged) {
            continue;
        }
        let key = key(header, canonical);
        if let Some(first) = seen.get(&key) {
            for shape in [*first, header] {
                clashes.extend(shape.refs.iter().copied().filter(|&i| merged(i)));
            }
        } else {
            seen.insert(key, header);
        }
    }
    clashes
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn text(file: &syn::File) -> String {
        file.to_token_stream().to_string()
    }

    /// The gathered bytes digest as the writes would, one by one, into the
    /// hashers (SipHash is a byte stream), so gathering them changed no
    /// digest and no merge.
    #[test]
    fn gathered_bytes_digest_as_the_writes_one_by_one() {
        let item: syn::Item = syn::parse_quote! {
            #[derive(Clone, Debug)]
            #[serde(rename_all = "camelCase")]
            pub struct Wallet { pub id: String, pub keys: Vec<Key>, pub m: Option<u64> }
        };
        let names: HashMap<String, u32> = new_map();
        let mut digester = Digester::new(&names, None);
        digester.item(&item);
        let (gathered, refs) = digester.finish_shape();
        assert!(refs.is_empty());
        // The same writes, straight into two hashers.
        struct Two(DefaultHasher, DefaultHasher);
        impl Hasher for Two {
            fn write(&mut self, bytes: &[u8]) {
                self.0.write(bytes);
                self.1.write(bytes);
            }
            fn finish(&self) -> u64 {
                self.0.finish()
            }
        }
        let mut second = DefaultHasher::new();
        SALT.hash(&mut second);
        let mut two = Two(DefaultHasher::new(), second);
        let syn::Item::Struct(s) = &item else {
            unreachable!()
        };
        let attrs: Vec<&syn::Attribute> = s.attrs.iter().collect();
        attrs.hash(&mut two);
        (
            "struct",
            &s.vis,
            &s.ident,
            &s.generics,
            &s.fields,
            &s.semi_token,
        )
            .hash(&mut two);
        let streamed = (u128::from(two.0.finish()) << 64) | u128::from(two.1.finish());
        assert_eq!(gathered, streamed);
        // A name among the candidates is a placeholder: another name, another digest.
        let names: HashMap<String, u32> = [("Key".to_string(), 0)].into_iter().collect();
        let mut digester = Digester::new(&names, None);
        digester.item(&item);
        let (named, refs) = digester.finish_shape();
        assert_eq!(refs, vec![0]);
        assert_ne!(named, gathered);
    }

    #[test]
    fn identical_types_become_aliases_of_the_shortest_name_and_keep_their_docs() {
        let mut models: syn::File = syn::parse_quote! {
            /// The coin of a wallet.
            #[derive(Clone)]
            pub enum WalletCoin { Btc, Eth }
            /// The coin.
            #[derive(Clone)]
            pub enum Coin { Btc, Eth }
            #[derive(Clone)]
            pub enum Other { Btc, Ltc }
            impl ::std::fmt::Display for WalletCoin { fn fmt(&self) { match self { Self::Btc => "btc", Self::Eth => "eth" } } }
            impl ::std::fmt::Display for Coin { fn fmt(&self) { match self { Self::Btc => "btc", Self::Eth => "eth" } } }
            pub struct Wallet { pub coin: WalletCoin }
            pub struct Account { pub coin: Coin }
            pub struct Token(pub String);
            pub struct Token2(pub String);
        };
        let explained = merge_identical_types(&mut models);
        assert_eq!(
            explained,
            vec![
                "`Coin` stands for 2 identical types: `WalletCoin`",
                "`Wallet` stands for 2 identical types: `Account`",
            ]
        );
        let text = text(&models);
        assert!(
            text.contains(r#"The coin of a wallet."] pub type WalletCoin = Coin ;"#),
            "{text}"
        );
        // Merging the coins made the two structs identical.
        assert!(text.contains("pub type Account = Wallet ;"), "{text}");
        assert_eq!(
            text.matches("impl :: std :: fmt :: Display").count(),
            1,
            "{text}"
        );
        assert!(text.contains("pub enum Other"), "{text}");
        // A tuple struct with a public field is constructed by users: kept.
        assert!(text.contains("pub struct Token2 (pub String)"), "{text}");
    }

    #[test]
    fn a_merged_newtypes_default_is_built_with_the_kept_types_constructor() {
        // Linode's `PostVpcBodyDescription` and `PutVpcBodyDescription`: the
        // same constrained string, each with a default of "".
        let mut models: syn::File = syn::parse_quote! {
            pub struct PutVpcBodyDescription(String);
            pub struct PostVpcBodyDescription(String);
            pub struct PostVpcBody {
                #[serde(default = "defaults::post_vpc_body_description")]
                pub description: PostVpcBodyDescription,
            }
            pub mod defaults {
                pub(super) fn post_vpc_body_description() -> super::PostVpcBodyDescription {
                    super::PostVpcBodyDescription("".to_string())
                }
            }
        };
        let explained = merge_identical_types(&mut models);
        assert_eq!(explained.len(), 1, "{explained:?}");
        let text = text(&models);
        assert!(
            text.contains("pub type PostVpcBodyDescription = PutVpcBodyDescription ;"),
            "{text}"
        );
        // The signature may name the alias; the call cannot.
        assert!(
            text.contains("-> super :: PostVpcBodyDescription { super :: PutVpcBodyDescription (\"\" . to_string ()) }"),
            "{text}"
        );
    }

    #[test]
    fn types_whose_merging_would_make_two_impls_clash_stay_apart() {
        let mut models: syn::File = syn::parse_quote! {
            pub enum A { X }
            pub enum B { X }
            pub enum Either { A(A), B(B) }
            impl From<A> for Either { fn from(value: A) -> Self { Self::A(value) } }
            impl From<B> for Either { fn from(value: B) -> Self { Self::B(value) } }
        };
        assert!(merge_identical_types(&mut models).is_empty());
        assert!(text(&models).contains("pub enum B"));
    }

    #[test]
    fn an_impl_for_std_string_goes_with_its_newtype_beside_a_model_named_string() {
        // typify's `From<Id> for ::std::string::String` beside a schema
        // named `String`: the impl is the newtype's, so the two newtypes
        // are the same (taken for the model's, they looked bare, and their
        // impls' headers clashed when they merged).
        let mut models: syn::File = syn::parse_quote! {
            pub struct String { pub x: i64 }
            pub struct WalletId(::std::string::String);
            pub struct EnterpriseId(::std::string::String);
            impl ::std::convert::From<WalletId> for ::std::string::String {
                fn from(value: WalletId) -> Self { value.0 }
            }
            impl ::std::convert::From<EnterpriseId> for ::std::string::String {
                fn from(value: EnterpriseId) -> Self { value.0 }
            }
        };
        assert_eq!(
            merge_identical_types(&mut models),
            ["`WalletId` stands for 2 identical types: `EnterpriseId`"]
        );
        let text = text(&models);
        assert!(text.contains("pub type EnterpriseId = WalletId"), "{text}");
        assert!(!text.contains("From < EnterpriseId >"), "{text}");
        assert!(text.contains("pub struct String"), "{text}");
    }

    #[test]
    fn variants_named_after_types_that_merge_keep_their_enums_apart() {
        // typify names a variant after the type it holds: the variants'
        // names differ even when the types they hold merge, and an alias
        // would take `Enterprise::EnterpriseId` from users.
        let mut models: syn::File = syn::parse_quote! {
            pub struct WalletId(String);
            pub struct EnterpriseId(String);
            pub enum Wallet { WalletId(WalletId), Array(Vec<String>) }
            pub enum Enterprise { EnterpriseId(EnterpriseId), Array(Vec<String>) }
            impl From<WalletId> for Wallet { fn from(value: WalletId) -> Self { Self::WalletId(value) } }
            impl From<EnterpriseId> for Enterprise { fn from(value: EnterpriseId) -> Self { Self::EnterpriseId(value) } }
        };
        assert_eq!(
            merge_identical_types(&mut models),
            ["`WalletId` stands for 2 identical types: `EnterpriseId`"]
        );
        let text = text(&models);
        assert!(text.contains("pub enum Enterprise"), "{text}");
        assert!(text.contains("Self :: EnterpriseId (value)"), "{text}");
    }

    #[test]
    fn different_field_docs_keep_types_apart() {
        let mut models: syn::File = syn::parse_quote! {
            pub struct A {
                /// The id.
                pub id: String
            }
            pub struct B {
                /// The wallet's id.
                pub id: String
            }
        };
        assert!(merge_identical_types(&mut models).is_empty());
    }

    /// The first two fields' attributes have the same tokens in the same
    /// order, grouped apart (a digest of the tokens alone would not tell
    /// them apart).
    #[test]
    fn attributes_whose_tokens_group_apart_keep_types_apart() {
        let mut models: syn::File = syn::parse_quote! {
            pub struct A {
                #[serde(with(a(b) c))]
                pub id: String
            }
            pub struct B {
                #[serde(with(a(b c)))]
                pub id: String
            }
            pub struct C {
                #[serde(with(a(b c)))]
                pub id: String
            }
        };
        assert_eq!(
            merge_identical_types(&mut models),
            ["`B` stands for 2 identical types: `C`"]
        );
    }

    /// A type's own name and the names of other types are told apart: a
    /// list of itself is not a list of another type, even when that type
    /// is the same shape.
    #[test]
    fn a_type_naming_itself_is_not_a_type_naming_another() {
        let mut models: syn::File = syn::parse_quote! {
            pub struct Node { pub next: Vec<Node> }
            pub struct Pointer { pub next: Vec<Node> }
        };
        assert!(merge_identical_types(&mut models).is_empty());
    }
}
