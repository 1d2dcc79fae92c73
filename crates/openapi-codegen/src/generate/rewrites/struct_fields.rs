//! `table-struct-fields`: typify's structs read and written through one
//! table and two functions each instead of serde's derives.
//!
//! For a struct, serde's `Deserialize` derive expands a field enum with
//! its own `Deserialize` (a `match` over the fields by index, by name and
//! by bytes), a visitor reading a sequence (a `match` per field) and one
//! reading a map (an `Option` per field, a `match` arm per field checking
//! duplicates, and a `match` per field for a missing one). On BitGo's
//! `api.yaml` those bodies were over half of what `cargo check` of the
//! models type- and borrow-checked (59 of 110 s, 2.3 of 4.9 GB).
//!
//! Here each struct gets a table of its serde names
//! (`struct_fields::Struct::FIELDS`) and one function that reads its
//! fields from a `struct_fields::Fields`, a map or a sequence. Everything
//! that does not depend on the struct (which key is which field, skipping
//! unknown keys, duplicates, a missing field, the sequence form) is in the
//! generic functions of one `struct_fields` module, which type-check once.
//!
//! Behaviour is serde's derive's, call for call: `deserialize_struct` with
//! the struct's name and serde names; a key read by `deserialize_identifier`
//! as a name, an index or bytes; unknown keys skipped as `IgnoredAny` (or
//! refused with serde's `unknown field` under `deny_unknown_fields`);
//! `duplicate field`; a missing field read from serde's missing-field
//! deserializer (an `Option` is `None`, else `missing field`), or its
//! `default`; a sequence read in declaration order, `invalid length` when
//! it ends before a field without a default. Writing is `serialize_struct`
//! with the number of fields not skipped, then `serialize_field` or
//! `skip_field` for each, as serde's `Serialize` derive does. The type, its
//! fields, docs and other derives stay typify's (the serde attributes too,
//! for schemars' derive). A struct declared inside a function is converted
//! as one at the top (`read-best-fitting-variant` reads each variant through
//! one), and one that derives `Deserialize` alone gets no writer. A struct is
//! converted only when it has no serde attribute but `deny_unknown_fields`
//! and its fields none but `rename`, `default` and `skip_serializing_if`, so
//! nothing serde's derive would do differently (`flatten`,
//! `deserialize_with`, ...) is reinterpreted.

use quote::{format_ident, quote};

use super::{Companion, Companions, Fill, Tokens};

/// The helpers the impls call, once per models file.
const HELPERS: &str = "struct_fields";

/// Converts every struct it can, also those declared inside a function
/// (`read-best-fitting-variant` reads each variant through one); one line
/// saying how many.
///
/// The impls of the structs at the top are [`Companions`]: made as the file
/// is printed (as trees they were 214 MB on BitGo's `api.yaml`).
pub fn table_struct_fields(models: &mut syn::File, companions: &mut Companions) -> Vec<String> {
    let mut count = Count::default();
    // Structs declared in blocks get their impls beside them, in place; the
    // structs at the top get companions.
    syn::visit_mut::VisitMut::visit_file_mut(&mut count, models);
    for item in &mut models.items {
        if let syn::Item::Struct(s) = item
            && let Some(table) = convert_struct(s, &mut count)
        {
            companions.insert(&s.ident, Box::new(table));
        }
    }
    if count.structs == 0 {
        return Vec::new();
    }
    super::insert_after_types(models, vec![helpers()]);
    let Count {
        structs,
        fields,
        local,
    } = count;
    let local = if local > 0 {
        format!(", {local} of them inside functions")
    } else {
        String::new()
    };
    vec![format!(
        "{structs} structs ({fields} fields{local}) are read and written through one table each (module `struct_fields`)"
    )]
}

/// What was converted; as a visitor, converts the structs declared in blocks.
#[derive(Default)]
struct Count {
    structs: usize,
    fields: usize,
    local: usize,
}

/// The table of a struct it can convert, whose serde derives it removes.
fn convert_struct(s: &mut syn::ItemStruct, count: &mut Count) -> Option<Table> {
    let table = table(s)?;
    strip_serde(s);
    count.structs += 1;
    count.fields += table.fields.len();
    Some(table)
}

impl Companion for Table {
    fn items(&self, ident: &syn::Ident) -> Vec<syn::ItemImpl> {
        impls(ident, self)
    }

    /// The functions that make a missing field's default and decide
    /// whether a field is skipped.
    fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    fn item_count(&self) -> usize {
        // `Struct` and `Deserialize`; `WriteStruct` and `Serialize` too.
        if self.serialize { 4 } else { 2 }
    }
}

impl syn::visit_mut::VisitMut for Count {
    /// Not into modules: the impls name `self::struct_fields`, which is
    /// the top module's.
    fn visit_item_mod_mut(&mut self, _: &mut syn::ItemMod) {}

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        if !block
            .stmts
            .iter()
            .any(|stmt| matches!(stmt, syn::Stmt::Item(syn::Item::Struct(_))))
        {
            return;
        }
        let before = self.structs;
        let mut stmts = Vec::with_capacity(block.stmts.len());
        for stmt in std::mem::take(&mut block.stmts) {
            match stmt {
                syn::Stmt::Item(syn::Item::Struct(mut s)) => {
                    let impls = convert_struct(&mut s, self).map(|table| impls(&s.ident, &table));
                    stmts.push(syn::Stmt::Item(syn::Item::Struct(s)));
                    let impls = impls.into_iter().flatten();
                    stmts.extend(impls.map(|i| syn::Stmt::Item(syn::Item::Impl(i))));
                }
                stmt => stmts.push(stmt),
            }
        }
        block.stmts = stmts;
        self.local += self.structs - before;
    }
}

/// What reading a struct needs to know.
struct Table {
    deny_unknown_fields: bool,
    /// It derives `Serialize` too (a struct `read-best-fitting-variant`
    /// declares to read a variant derives `Deserialize` alone).
    serialize: bool,
    fields: Vec<Field>,
    /// The identifiers of the fields' `default` and `skip_serializing_if`
    /// paths ([`Companion::names`]).
    names: Vec<String>,
}

struct Field {
    /// Its identifier (`r#type` for a raw one).
    member: String,
    /// Its serde name.
    name: String,
    default: Default,
    /// `#[serde(skip_serializing_if = "path")]`.
    skip: Option<Tokens>,
    /// Its type is `::std::option::Option<..>`, which serde's missing-field
    /// rule reads as `None`.
    option: bool,
}

enum Default {
    /// Missing: serde's missing-field rule.
    None,
    /// `#[serde(default)]`.
    Trait,
    /// `#[serde(default = "path")]`.
    Path(Tokens),
}

/// The table of a struct serde's derive reads in the plain way, if it is one.
fn table(s: &syn::ItemStruct) -> Option<Table> {
    let syn::Fields::Named(named) = &s.fields else {
        return None;
    };
    if !s.generics.params.is_empty() || !super::has_derive(&s.attrs, "Deserialize") {
        return None;
    }
    let mut deny_unknown_fields = false;
    for attr in &s.attrs {
        if attr.path().is_ident("cfg_attr") {
            return None;
        }
        if attr.path().is_ident("serde") {
            let parsed = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("deny_unknown_fields") && meta.input.is_empty() {
                    deny_unknown_fields = true;
                    Ok(())
                } else {
                    Err(meta.error("not read by table-struct-fields"))
                }
            });
            parsed.ok()?;
        }
    }
    let mut names = Vec::new();
    // A path's identifiers go to `names` (but another crate's, which name
    // no generated item: `::std::option::Option::is_none`); the path is
    // kept as tokens.
    let mut keep = |path: syn::ExprPath| {
        if !super::is_foreign(&path.path) {
            names.extend(super::segments(&path.path));
        }
        Tokens::of(&path)
    };
    let fields = named
        .named
        .iter()
        .map(|f| {
            let member = f.ident.as_ref()?.to_string();
            let mut name = None;
            let mut default = None;
            let mut skip: Option<syn::ExprPath> = None;
            for attr in &f.attrs {
                if attr.path().is_ident("cfg_attr") {
                    return None;
                }
                if !attr.path().is_ident("serde") {
                    continue;
                }
                let parsed = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename") {
                        name = Some(meta.value()?.parse::<syn::LitStr>()?.value());
                    } else if meta.path.is_ident("skip_serializing_if") {
                        skip = Some(meta.value()?.parse::<syn::LitStr>()?.parse()?);
                    } else if meta.path.is_ident("default") {
                        default = Some(if meta.input.peek(syn::Token![=]) {
                            Some(meta.value()?.parse::<syn::LitStr>()?.parse()?)
                        } else {
                            None
                        });
                    } else {
                        return Err(meta.error("not read by table-struct-fields"));
                    }
                    Ok(())
                });
                parsed.ok()?;
            }
            let name =
                name.unwrap_or_else(|| member.strip_prefix("r#").unwrap_or(&member).to_string());
            let default = match default {
                None => Default::None,
                Some(None) => Default::Trait,
                Some(Some(path)) => Default::Path(keep(path)),
            };
            Some(Field {
                member,
                name,
                default,
                skip: skip.map(&mut keep),
                option: super::is_option(&f.ty),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Table {
        deny_unknown_fields,
        serialize: super::has_derive(&s.attrs, "Serialize"),
        fields,
        names,
    })
}

/// The struct's table, its `Deserialize` and its `Serialize`, filled into
/// trees parsed once per thread ([`Templates`]).
fn impls(ident: &syn::Ident, table: &Table) -> Vec<syn::ItemImpl> {
    thread_local! {
        static TEMPLATES: Templates = Templates::new();
    }
    TEMPLATES.with(|templates| templates.impls(ident, table))
}

/// The impls' syntax trees, parsed once (per thread: a tree cannot go to
/// another) and filled in for each struct. Quoting and parsing each
/// struct's impls was most of printing a 1000-operation spec's models
/// (535–669 of 707–781 ms); the filled trees are the ones quoting made (the
/// test `filled_impls_are_the_quoted_ones`, whose oracle is that code).
///
/// The bodies carry as few `?` as they can (each is a `match` and a
/// conversion that rustc type- and borrow-checks): one for the field a key
/// names, one for the end of a sequence, and one for each field whose
/// missing value serde's rule decides by its type; an `Option` without a
/// default is `None` when missing, written as such. Writing returns nothing:
/// the writer keeps the first error and writes nothing after it.
struct Templates {
    /// `impl Struct` with `NAME`, `FIELDS` (empty), `DENY_UNKNOWN_FIELDS`
    /// and `read`, whose body is the last statement alone.
    read: syn::ItemImpl,
    /// The loop that skips every key of a struct without fields.
    skip_all: syn::Stmt,
    /// `let mut __SLOT = None;`
    slot: syn::Stmt,
    /// The loop over the keys, its `match` with the last arm alone.
    read_loop: syn::Stmt,
    /// `0 => fields.read(&mut __SLOT),`
    arm: syn::Arm,
    /// `fields.end(&[])?;`
    end: syn::Stmt,
    /// `__MEMBER: ...` for each kind of default: none for an `Option`,
    /// none, `Default`, a path.
    values: [syn::FieldValue; 4],
    /// `impl WriteStruct` with `write` of an empty body, its parameter
    /// `out`.
    write: syn::ItemImpl,
    /// `out.field(__INDEX, &self.__MEMBER, __SKIP);`
    field: syn::Stmt,
    /// `__PATH(&self.__MEMBER)`
    skip: syn::Expr,
    /// `false`
    no_skip: syn::Expr,
    serialize: syn::ItemImpl,
    deserialize: syn::ItemImpl,
}

impl Templates {
    fn new() -> Self {
        let placeholder = format_ident!("__Type");
        Templates {
            read: syn::parse_quote! {
                impl self::struct_fields::Struct for __Type {
                    const NAME: &'static str = "";
                    const FIELDS: &'static [&'static str] = &[];
                    const DENY_UNKNOWN_FIELDS: bool = true;
                    fn read<'de, F: self::struct_fields::Fields<'de>>(
                        mut fields: F,
                    ) -> ::std::result::Result<Self, F::Error> {
                        ::std::result::Result::Ok(Self {})
                    }
                }
            },
            skip_all: syn::parse_quote! {
                while fields.next_field()?.is_some() {
                    fields.skip()?;
                }
            },
            slot: syn::parse_quote! { let mut __SLOT = ::std::option::Option::None; },
            read_loop: syn::parse_quote! {
                while let ::std::option::Option::Some(field) = fields.next_field()? {
                    let () = match field {
                        _ => fields.skip(),
                    }?;
                }
            },
            arm: syn::parse_quote! { 0 => fields.read(&mut __SLOT), },
            end: syn::parse_quote! { fields.end(&[])?; },
            values: [
                syn::parse_quote!(__MEMBER: __SLOT.flatten()),
                syn::parse_quote!(__MEMBER: fields.missing(__SLOT, __INDEX)?),
                syn::parse_quote!(__MEMBER: __SLOT.unwrap_or_default()),
                syn::parse_quote!(__MEMBER: __SLOT.unwrap_or_else(__PATH)),
            ],
            write: syn::parse_quote! {
                impl self::struct_fields::WriteStruct for __Type {
                    fn write<W: self::struct_fields::Write>(&self, out: &mut W) {}
                }
            },
            field: syn::parse_quote! { out.field(__INDEX, &self.__MEMBER, __SKIP); },
            skip: syn::parse_quote! { __PATH(&self.__MEMBER) },
            no_skip: syn::parse_quote! { false },
            serialize: super::serialize_through(&placeholder, HELPERS, quote!(self)),
            deserialize: super::deserialize_through(&placeholder, HELPERS),
        }
    }

    fn impls(&self, ident: &syn::Ident, table: &Table) -> Vec<syn::ItemImpl> {
        let index = |i: usize| super::literal(proc_macro2::Literal::usize_unsuffixed(i));
        let slots: Vec<syn::Ident> = (0..table.fields.len())
            .map(|i| format_ident!("v{i}"))
            .collect();
        let mut read = super::for_type(&self.read, ident);
        let mut stmts = Vec::new();
        if table.fields.is_empty() {
            stmts.push(self.skip_all.clone());
        } else {
            for slot in &slots {
                stmts.push(Fill::idents(&self.slot, &[("__SLOT", slot)]));
            }
            let mut read_loop = self.read_loop.clone();
            let arms = &mut match_of(&mut read_loop).arms;
            let skip = arms.pop().expect("the template's one arm");
            for (i, slot) in slots.iter().enumerate() {
                let mut arm = Fill::idents(&self.arm, &[("__SLOT", slot)]);
                arm.pat = syn::Pat::Lit(expr_lit(index(i)));
                arms.push(arm);
            }
            arms.push(skip);
            stmts.push(read_loop);
            let mut end = self.end.clone();
            let required = table
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| matches!(f.default, Default::None))
                .map(|(i, _)| index(i));
            array_of(&mut end).elems.extend(required);
            stmts.push(end);
        }
        let values = table
            .fields
            .iter()
            .zip(&slots)
            .enumerate()
            .map(|(i, (f, slot))| {
                let member = super::ident(&f.member);
                let idents = [("__MEMBER", &member), ("__SLOT", slot)];
                match &f.default {
                    Default::None if f.option => Fill::idents(&self.values[0], &idents),
                    Default::None => {
                        Fill::new(&idents, &[("__INDEX", index(i))]).fill(&self.values[1])
                    }
                    Default::Trait => Fill::idents(&self.values[2], &idents),
                    Default::Path(path) => {
                        Fill::new(&idents, &[("__PATH", path.expr())]).fill(&self.values[3])
                    }
                }
            });
        let mut ok = match read.items.pop() {
            Some(syn::ImplItem::Fn(f)) => f,
            _ => unreachable!("the template ends with `read`"),
        };
        let mut last = ok.block.stmts.pop().expect("the template's `Ok(Self {})`");
        struct_of(&mut last).fields.extend(values);
        stmts.push(last);
        ok.block.stmts = stmts;
        if !table.deny_unknown_fields {
            read.items.pop();
        }
        read.items.push(syn::ImplItem::Fn(ok));
        // `NAME` and `FIELDS`.
        let name = super::string_literal(&ident.to_string());
        let names = table.fields.iter().map(|f| super::string_literal(&f.name));
        for item in &mut read.items {
            if let syn::ImplItem::Const(c) = item {
                if c.ident == "NAME" {
                    c.expr = name.clone();
                } else if c.ident == "FIELDS" {
                    array_in(&mut c.expr).elems.extend(names.clone());
                }
            }
        }
        let mut impls = vec![read];
        if table.serialize {
            let mut write = super::for_type(&self.write, ident);
            if let Some(syn::ImplItem::Fn(f)) = write.items.first_mut() {
                if table.fields.is_empty()
                    && let Some(syn::FnArg::Typed(out)) = f.sig.inputs.iter_mut().nth(1)
                    && let syn::Pat::Ident(out) = &mut *out.pat
                {
                    out.ident = format_ident!("_out");
                }
                f.block.stmts = table
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let member = super::ident(&f.member);
                        let idents = [("__MEMBER", &member)];
                        let skip = match &f.skip {
                            Some(path) => {
                                Fill::new(&idents, &[("__PATH", path.expr())]).fill(&self.skip)
                            }
                            None => self.no_skip.clone(),
                        };
                        Fill::new(&idents, &[("__INDEX", index(i)), ("__SKIP", skip)])
                            .fill(&self.field)
                    })
                    .collect();
            }
            impls.push(write);
            impls.push(super::for_type(&self.serialize, ident));
        }
        impls.push(super::for_type(&self.deserialize, ident));
        impls
    }
}

// Where the templates' lists are: each a template's own shape, so
// anything else is a bug in the template.

/// The `match` of the loop over the keys.
fn match_of(read_loop: &mut syn::Stmt) -> &mut syn::ExprMatch {
    if let syn::Stmt::Expr(syn::Expr::While(w), _) = read_loop
        && let Some(syn::Stmt::Local(local)) = w.body.stmts.first_mut()
        && let Some(init) = &mut local.init
        && let syn::Expr::Try(t) = &mut *init.expr
        && let syn::Expr::Match(m) = &mut *t.expr
    {
        return m;
    }
    unreachable!("the template's loop holds `let () = match .. {{ .. }}?;`")
}

/// The array of `fields.end(&[..])?;`.
fn array_of(end: &mut syn::Stmt) -> &mut syn::ExprArray {
    if let syn::Stmt::Expr(syn::Expr::Try(t), _) = end
        && let syn::Expr::MethodCall(call) = &mut *t.expr
        && let Some(argument) = call.args.first_mut()
    {
        return array_in(argument);
    }
    unreachable!("the template is `fields.end(&[])?;`")
}

/// The array of `&[..]`.
fn array_in(expr: &mut syn::Expr) -> &mut syn::ExprArray {
    if let syn::Expr::Reference(r) = expr
        && let syn::Expr::Array(array) = &mut *r.expr
    {
        return array;
    }
    unreachable!("the template is `&[]`")
}

/// The struct expression of `Ok(Self { .. })`.
fn struct_of(ok: &mut syn::Stmt) -> &mut syn::ExprStruct {
    if let syn::Stmt::Expr(syn::Expr::Call(call), None) = ok
        && let Some(syn::Expr::Struct(s)) = call.args.first_mut()
    {
        return s;
    }
    unreachable!("the template ends with `Ok(Self {{}})`")
}

/// A literal expression's literal, as a pattern.
fn expr_lit(expr: syn::Expr) -> syn::ExprLit {
    match expr {
        syn::Expr::Lit(lit) => lit,
        _ => unreachable!("an index is a literal"),
    }
}

/// Removes serde's derives; the `#[serde]` attributes stay for schemars'
/// derive (`gate-schemars` puts them behind its feature), or go when there
/// is none.
fn strip_serde(s: &mut syn::ItemStruct) {
    super::remove_derive(&mut s.attrs, "Serialize");
    super::remove_derive(&mut s.attrs, "Deserialize");
    s.attrs
        .retain(|a| !matches!(&a.meta, syn::Meta::List(l) if l.path.is_ident("derive") && l.tokens.is_empty()));
    if !super::has_derive(&s.attrs, "JsonSchema") {
        s.attrs.retain(|a| !a.path().is_ident("serde"));
        for field in &mut s.fields {
            field.attrs.retain(|a| !a.path().is_ident("serde"));
        }
    }
}

/// The one module all converted structs call.
fn helpers() -> syn::Item {
    syn::parse_quote! {
        /// How the structs' `Deserialize` and `Serialize` read and write their
        /// fields, once for all of them (generated by the output rewrite
        /// `table-struct-fields`; serde's derives would expand each struct's
        /// own visitors and writer). Behaves as serde's derives do.
        #[doc(hidden)]
        pub mod struct_fields {
            use ::std::marker::PhantomData;
            use ::serde::de::{Deserialize, Error as _};

            /// A struct with named fields, read by name from a map or in
            /// order from a sequence.
            pub trait Struct: Sized {
                const NAME: &'static str;
                /// The fields' serde names, in declaration order.
                const FIELDS: &'static [&'static str];
                /// serde's `deny_unknown_fields`.
                const DENY_UNKNOWN_FIELDS: bool = false;
                /// Reads the fields `fields` gives.
                fn read<'de, F: Fields<'de>>(fields: F) -> ::std::result::Result<Self, F::Error>;
            }

            /// A struct written field by field.
            pub trait WriteStruct: Struct {
                /// Writes each field, in declaration order, and whether
                /// its `skip_serializing_if` skips it.
                fn write<W: Write>(&self, out: &mut W);
            }

            /// Where a struct's fields go. A writer that fails keeps its
            /// first error and writes nothing after it.
            pub trait Write {
                fn field<T: ?Sized + ::serde::Serialize>(&mut self, index: usize, value: &T, skip: bool);
            }

            /// serde's derive: `serialize_struct` with the number of fields
            /// not skipped, then each field by its serde name, or
            /// `skip_field`.
            pub fn serialize<T: WriteStruct, S: ::serde::Serializer>(
                value: &T,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let mut count = Count(0);
                value.write(&mut count);
                let state = serializer.serialize_struct(T::NAME, count.0)?;
                let mut fields = Writer::<T, S::SerializeStruct> {
                    state,
                    error: None,
                    marker: PhantomData,
                };
                value.write(&mut fields);
                match fields.error {
                    Some(error) => Err(error),
                    None => ::serde::ser::SerializeStruct::end(fields.state),
                }
            }

            /// Counts the fields not skipped.
            struct Count(usize);

            impl Write for Count {
                fn field<V: ?Sized + ::serde::Serialize>(&mut self, _index: usize, _value: &V, skip: bool) {
                    self.0 += usize::from(!skip);
                }
            }

            struct Writer<T, S: ::serde::ser::SerializeStruct> {
                state: S,
                /// The first error; nothing is written after it.
                error: Option<S::Error>,
                marker: PhantomData<T>,
            }

            impl<T: Struct, S: ::serde::ser::SerializeStruct> Write for Writer<T, S> {
                fn field<V: ?Sized + ::serde::Serialize>(&mut self, index: usize, value: &V, skip: bool) {
                    if self.error.is_some() {
                        return;
                    }
                    let written = if skip {
                        self.state.skip_field(T::FIELDS[index])
                    } else {
                        self.state.serialize_field(T::FIELDS[index], value)
                    };
                    if let Err(error) = written {
                        self.error = Some(error);
                    }
                }
            }

            /// Where a struct's fields come from.
            pub trait Fields<'de> {
                type Error: ::serde::de::Error;
                /// The next field's index in `FIELDS` (`usize::MAX` for a key
                /// the struct does not declare), or `None` at the end.
                fn next_field(&mut self) -> ::std::result::Result<Option<usize>, Self::Error>;
                /// Reads the field just named into `slot`.
                fn read<T: Deserialize<'de>>(
                    &mut self,
                    slot: &mut Option<T>,
                ) -> ::std::result::Result<(), Self::Error>;
                /// Skips the value of a key the struct does not declare.
                fn skip(&mut self) -> ::std::result::Result<(), Self::Error>;
                /// After the last field: serde's error for a sequence that
                /// ended before one of the `required` fields (those without a
                /// default, by index).
                fn end(&self, required: &[usize]) -> ::std::result::Result<(), Self::Error>;
                /// The value of field `index`, which did not come if `None`.
                fn missing<T: Deserialize<'de>>(
                    &self,
                    value: Option<T>,
                    index: usize,
                ) -> ::std::result::Result<T, Self::Error>;
            }

            pub fn deserialize<'de, T: Struct, D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<T, D::Error> {
                deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor::<T>(PhantomData))
            }

            struct StructVisitor<T>(PhantomData<T>);

            impl<'de, T: Struct> ::serde::de::Visitor<'de> for StructVisitor<T> {
                type Value = T;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    write!(f, "struct {}", T::NAME)
                }
                fn visit_seq<A: ::serde::de::SeqAccess<'de>>(
                    self,
                    seq: A,
                ) -> ::std::result::Result<T, A::Error> {
                    T::read(SeqFields::<T, A> { seq, next: 0, ended: false, marker: PhantomData })
                }
                fn visit_map<A: ::serde::de::MapAccess<'de>>(
                    self,
                    map: A,
                ) -> ::std::result::Result<T, A::Error> {
                    T::read(MapFields::<T, A> { map, current: 0, marker: PhantomData })
                }
            }

            struct MapFields<T, A> {
                map: A,
                /// The index of the field the last key named.
                current: usize,
                marker: PhantomData<T>,
            }

            impl<'de, T: Struct, A: ::serde::de::MapAccess<'de>> Fields<'de> for MapFields<T, A> {
                type Error = A::Error;
                fn next_field(&mut self) -> ::std::result::Result<Option<usize>, A::Error> {
                    let field = self.map.next_key_seed(Key::<T>(PhantomData))?;
                    if let Some(index) = field {
                        self.current = index;
                    }
                    Ok(field)
                }
                fn read<V: Deserialize<'de>>(
                    &mut self,
                    slot: &mut Option<V>,
                ) -> ::std::result::Result<(), A::Error> {
                    if slot.is_some() {
                        return Err(A::Error::duplicate_field(T::FIELDS[self.current]));
                    }
                    *slot = Some(self.map.next_value()?);
                    Ok(())
                }
                fn skip(&mut self) -> ::std::result::Result<(), A::Error> {
                    self.map.next_value::<::serde::de::IgnoredAny>()?;
                    Ok(())
                }
                fn missing<V: Deserialize<'de>>(
                    &self,
                    value: Option<V>,
                    index: usize,
                ) -> ::std::result::Result<V, A::Error> {
                    missing(value, T::FIELDS[index])
                }
                fn end(&self, _required: &[usize]) -> ::std::result::Result<(), A::Error> {
                    Ok(())
                }
            }

            struct SeqFields<T, A> {
                seq: A,
                /// The index of the next element.
                next: usize,
                ended: bool,
                marker: PhantomData<T>,
            }

            impl<'de, T: Struct, A: ::serde::de::SeqAccess<'de>> Fields<'de> for SeqFields<T, A> {
                type Error = A::Error;
                fn next_field(&mut self) -> ::std::result::Result<Option<usize>, A::Error> {
                    if self.ended || self.next == T::FIELDS.len() {
                        return Ok(None);
                    }
                    self.next += 1;
                    Ok(Some(self.next - 1))
                }
                fn read<V: Deserialize<'de>>(
                    &mut self,
                    slot: &mut Option<V>,
                ) -> ::std::result::Result<(), A::Error> {
                    *slot = self.seq.next_element()?;
                    self.ended = slot.is_none();
                    Ok(())
                }
                fn skip(&mut self) -> ::std::result::Result<(), A::Error> {
                    Ok(())
                }
                fn missing<V: Deserialize<'de>>(
                    &self,
                    value: Option<V>,
                    index: usize,
                ) -> ::std::result::Result<V, A::Error> {
                    missing(value, T::FIELDS[index])
                }
                /// serde's derive reads the elements in order and fails at
                /// the first field without a default that has none.
                fn end(&self, required: &[usize]) -> ::std::result::Result<(), A::Error> {
                    if !self.ended {
                        return Ok(());
                    }
                    let ended_at = self.next - 1;
                    match required.iter().find(|&&index| index >= ended_at) {
                        Some(&index) => {
                            let count = T::FIELDS.len();
                            let plural = if count == 1 { "" } else { "s" };
                            let expected = format!("struct {} with {count} element{plural}", T::NAME);
                            Err(A::Error::invalid_length(index, &expected.as_str()))
                        }
                        None => Ok(()),
                    }
                }
            }

            /// A field's value, or, where it did not come, what serde's
            /// missing-field rule makes of its type.
            fn missing<'de, V: Deserialize<'de>, E: ::serde::de::Error>(
                value: Option<V>,
                name: &'static str,
            ) -> ::std::result::Result<V, E> {
                match value {
                    Some(value) => Ok(value),
                    None => V::deserialize(MissingField::<E>(name, PhantomData)),
                }
            }

            /// serde's missing-field deserializer: an `Option` is `None`,
            /// anything else is `missing field`.
            struct MissingField<E>(&'static str, PhantomData<E>);

            impl<'de, E: ::serde::de::Error> ::serde::Deserializer<'de> for MissingField<E> {
                type Error = E;
                fn deserialize_any<V: ::serde::de::Visitor<'de>>(
                    self,
                    _visitor: V,
                ) -> ::std::result::Result<V::Value, E> {
                    Err(E::missing_field(self.0))
                }
                fn deserialize_option<V: ::serde::de::Visitor<'de>>(
                    self,
                    visitor: V,
                ) -> ::std::result::Result<V::Value, E> {
                    visitor.visit_none()
                }
                ::serde::forward_to_deserialize_any! {
                    bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
                    bytes byte_buf unit unit_struct newtype_struct seq tuple
                    tuple_struct map struct enum identifier ignored_any
                }
            }

            /// A map key, read as serde's derived field identifier reads it.
            struct Key<T>(PhantomData<T>);

            impl<'de, T: Struct> ::serde::de::DeserializeSeed<'de> for Key<T> {
                type Value = usize;
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    self,
                    deserializer: D,
                ) -> ::std::result::Result<usize, D::Error> {
                    deserializer.deserialize_identifier(self)
                }
            }

            impl<T: Struct> Key<T> {
                fn unknown<E: ::serde::de::Error>(name: &str) -> ::std::result::Result<usize, E> {
                    if T::DENY_UNKNOWN_FIELDS {
                        Err(E::unknown_field(name, T::FIELDS))
                    } else {
                        Ok(usize::MAX)
                    }
                }
            }

            impl<'de, T: Struct> ::serde::de::Visitor<'de> for Key<T> {
                type Value = usize;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("field identifier")
                }
                fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> ::std::result::Result<usize, E> {
                    match usize::try_from(v) {
                        Ok(i) if i < T::FIELDS.len() => Ok(i),
                        _ if T::DENY_UNKNOWN_FIELDS => Err(E::invalid_value(
                            ::serde::de::Unexpected::Unsigned(v),
                            &format!("field index 0 <= i < {}", T::FIELDS.len()).as_str(),
                        )),
                        _ => Ok(usize::MAX),
                    }
                }
                fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<usize, E> {
                    match T::FIELDS.iter().position(|name| *name == v) {
                        Some(i) => Ok(i),
                        None => Self::unknown(v),
                    }
                }
                fn visit_bytes<E: ::serde::de::Error>(self, v: &[u8]) -> ::std::result::Result<usize, E> {
                    match T::FIELDS.iter().position(|name| name.as_bytes() == v) {
                        Some(i) => Ok(i),
                        None => Self::unknown(&String::from_utf8_lossy(v)),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Companions;

    fn text(file: &syn::File) -> String {
        prettyplease::unparse(file)
    }

    /// The rewrite, with its companions' items put in the tree.
    fn table_struct_fields(file: &mut syn::File) -> Vec<String> {
        let mut companions = Companions::default();
        let report = super::table_struct_fields(file, &mut companions);
        companions.expand(file);
        report
    }

    const TYPIFY: &str = r#"
        ///A wallet.
        #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq, schemars::JsonSchema)]
        pub struct Wallet {
            ///Its coin.
            #[serde(rename = "coinName")]
            pub coin_name: ::std::string::String,
            #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
            pub labels: ::std::vec::Vec<::std::string::String>,
            #[serde(default = "defaults::wallet_m")]
            pub m: u64,
            #[serde(skip_serializing_if = "::std::option::Option::is_none")]
            pub r#type: ::std::option::Option<::std::string::String>,
        }
        pub mod defaults {}
    "#;

    /// What the impls were before [`super::Templates`]: quoted and parsed
    /// for each struct. The oracle of the templates.
    fn quoted_impls(ident: &syn::Ident, table: &super::Table) -> Vec<syn::ItemImpl> {
        use super::Default;
        use proc_macro2::TokenStream;
        use quote::{format_ident, quote};
        let name = ident.to_string();
        let names = table.fields.iter().map(|f| &f.name);
        let deny = table.deny_unknown_fields.then(|| {
            quote!(
                const DENY_UNKNOWN_FIELDS: bool = true;
            )
        });
        let slots: Vec<syn::Ident> = (0..table.fields.len())
            .map(|i| format_ident!("v{i}"))
            .collect();
        let read: TokenStream = if table.fields.is_empty() {
            quote! {
                while fields.next_field()?.is_some() {
                    fields.skip()?;
                }
            }
        } else {
            let arms = slots.iter().enumerate().map(|(i, slot)| {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(#i => fields.read(&mut #slot),)
            });
            let required = table
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| matches!(f.default, Default::None))
                .map(|(i, _)| proc_macro2::Literal::usize_unsuffixed(i));
            quote! {
                #(let mut #slots = ::std::option::Option::None;)*
                while let ::std::option::Option::Some(field) = fields.next_field()? {
                    let () = match field {
                        #(#arms)*
                        _ => fields.skip(),
                    }?;
                }
                fields.end(&[#(#required),*])?;
            }
        };
        let values = table
            .fields
            .iter()
            .zip(&slots)
            .enumerate()
            .map(|(i, (f, slot))| {
                let member = super::super::ident(&f.member);
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                match &f.default {
                    Default::None if f.option => quote!(#member: #slot.flatten()),
                    Default::None => quote!(#member: fields.missing(#slot, #i)?),
                    Default::Trait => quote!(#member: #slot.unwrap_or_default()),
                    Default::Path(path) => quote!(#member: #slot.unwrap_or_else(#path)),
                }
            });
        let writes = table.fields.iter().enumerate().map(|(i, f)| {
            let member = super::super::ident(&f.member);
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            let skip = match &f.skip {
                Some(path) => quote!(#path(&self.#member)),
                None => quote!(false),
            };
            quote!(out.field(#i, &self.#member, #skip);)
        });
        let out = if table.fields.is_empty() {
            quote!(_out)
        } else {
            quote!(out)
        };
        let mut impls: Vec<syn::ItemImpl> = vec![syn::parse_quote! {
            impl self::struct_fields::Struct for #ident {
                const NAME: &'static str = #name;
                const FIELDS: &'static [&'static str] = &[#(#names),*];
                #deny
                fn read<'de, F: self::struct_fields::Fields<'de>>(
                    mut fields: F,
                ) -> ::std::result::Result<Self, F::Error> {
                    #read
                    ::std::result::Result::Ok(Self { #(#values),* })
                }
            }
        }];
        if table.serialize {
            impls.push(syn::parse_quote! {
                impl self::struct_fields::WriteStruct for #ident {
                    fn write<W: self::struct_fields::Write>(&self, #out: &mut W) {
                        #(#writes)*
                    }
                }
            });
            impls.push(syn::parse_quote! {
                impl ::serde::Serialize for #ident {
                    fn serialize<S: ::serde::Serializer>(
                        &self,
                        serializer: S,
                    ) -> ::std::result::Result<S::Ok, S::Error> {
                        self::struct_fields::serialize(self, serializer)
                    }
                }
            });
        }
        impls.push(syn::parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #ident {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    self::struct_fields::deserialize(deserializer)
                }
            }
        });
        impls
    }

    /// The impls filled into the templates are the trees quoting and
    /// parsing them made, for every shape of table: no fields, an
    /// `Option`, each kind of default, a `skip_serializing_if`, a raw
    /// identifier, `deny_unknown_fields`, and without `Serialize`.
    #[test]
    fn filled_impls_are_the_quoted_ones() {
        let sources = [
            TYPIFY.to_string(),
            r#"
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(deny_unknown_fields)]
            pub struct Closed {
                #[serde(rename = "A")]
                pub a: i64,
                pub b: ::std::option::Option<i64>,
            }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Empty {}
            #[derive(::serde::Deserialize)]
            struct ReadOnly {
                #[serde(default = "defaults::x")]
                pub r#in: ::std::vec::Vec<::std::string::String>,
            }
            #[derive(::serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            struct NothingAllowed {}
        "#
            .to_string(),
        ];
        let templates = super::Templates::new();
        let mut shapes = 0;
        for source in sources {
            let file = syn::parse_file(&source).unwrap();
            for item in &file.items {
                let syn::Item::Struct(s) = item else { continue };
                let table = super::table(s).unwrap();
                let filled = templates.impls(&s.ident, &table);
                assert_eq!(filled, quoted_impls(&s.ident, &table), "{}", s.ident);
                // And so the text.
                let print = |impls: Vec<syn::ItemImpl>| {
                    prettyplease::unparse(&syn::File {
                        shebang: None,
                        frontmatter: None,
                        attrs: Vec::new(),
                        items: impls.into_iter().map(syn::Item::Impl).collect(),
                    })
                };
                assert_eq!(
                    print(filled),
                    print(quoted_impls(&s.ident, &table)),
                    "{}",
                    s.ident
                );
                shapes += 1;
            }
        }
        assert_eq!(shapes, 5);
    }

    #[test]
    fn a_typify_struct_reads_and_writes_through_its_table() {
        let mut file = syn::parse_file(TYPIFY).unwrap();
        let report = table_struct_fields(&mut file);
        assert_eq!(
            report,
            [
                "1 structs (4 fields) are read and written through one table each (module `struct_fields`)"
            ]
        );
        let out = text(&file);
        // serde's derives go; docs and the other derives stay, and so do the
        // serde attributes, for schemars' derive.
        let head = "///A wallet.\n#[derive(Clone, Debug, PartialEq, schemars::JsonSchema)]\npub struct Wallet {\n    ///Its coin.\n    #[serde(rename = \"coinName\")]";
        assert!(out.contains(head), "{out}");
        // serde names, a raw identifier's without `r#`.
        let fields =
            r#"const FIELDS: &'static [&'static str] = &["coinName", "labels", "m", "type"];"#;
        assert!(out.contains(fields), "{out}");
        assert!(!out.contains("DENY_UNKNOWN_FIELDS: bool = true"), "{out}");
        // Reading: a missing field is serde's rule, `Default`, or the
        // default's function.
        for line in [
            "coin_name: fields.missing(v0, 0)?,",
            "labels: v1.unwrap_or_default(),",
            "m: v2.unwrap_or_else(defaults::wallet_m),",
            // An `Option` without a default: `None` when missing (a short
            // sequence is refused by `end`, given the fields without a default).
            "r#type: v3.flatten(),",
            "fields.end(&[0, 3])?;",
            // One `?` for whichever field a key names.
            "let () = match field {",
            "3 => fields.read(&mut v3),",
            "_ => fields.skip(),\n            }?;",
            "impl<'de> ::serde::Deserialize<'de> for Wallet",
            // Writing: each field by index, skipped by its `skip_serializing_if`.
            "out.field(0, &self.coin_name, false);",
            "out.field(1, &self.labels, ::std::vec::Vec::is_empty(&self.labels));",
            "out.field(3, &self.r#type, ::std::option::Option::is_none(&self.r#type));",
            "impl ::serde::Serialize for Wallet",
        ] {
            assert!(out.contains(line), "{line}\n{out}");
        }
        // The helpers come once, before the modules.
        assert_eq!(out.matches("pub mod struct_fields").count(), 1);
        assert!(out.find("pub mod struct_fields").unwrap() < out.find("pub mod defaults").unwrap());
    }

    #[test]
    fn deny_unknown_fields_and_empty_structs_are_converted_too() {
        let source = r#"
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(deny_unknown_fields)]
            pub struct Closed {
                #[serde(rename = "A")]
                pub a: i64,
            }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Empty {}
        "#;
        let mut file = syn::parse_file(source).unwrap();
        assert_eq!(
            table_struct_fields(&mut file),
            [
                "2 structs (1 fields) are read and written through one table each (module `struct_fields`)"
            ]
        );
        let out = text(&file);
        for line in [
            "const DENY_UNKNOWN_FIELDS: bool = true;",
            "const FIELDS: &'static [&'static str] = &[\"A\"];",
            "const FIELDS: &'static [&'static str] = &[];",
            "while fields.next_field()?.is_some() {",
        ] {
            assert!(out.contains(line), "{line}\n{out}");
        }
        // Without schemars' derive the serde attributes go with serde's derives.
        assert!(!out.contains("#[serde"), "{out}");
        assert!(!out.contains("#[derive"), "{out}");
    }

    #[test]
    fn a_struct_declared_in_a_function_to_be_read_alone_is_read_through_its_table() {
        // As `read-best-fitting-variant` reads a variant: a struct deriving
        // `Deserialize` alone, inside a closure inside an impl.
        let source = r#"
            impl<'de> ::serde::Deserialize<'de> for E {
                fn deserialize<D>(deserializer: D) -> Result<Self, D::Error> {
                    let readers: [fn(&Value) -> Result<E, Error>; 1] = [|value| {
                        #[derive(::serde::Deserialize)]
                        struct Fields {
                            #[serde(rename = "coinName", skip_serializing_if = "::std::option::Option::is_none")]
                            coin_name: ::std::option::Option<String>,
                        }
                        let Fields { coin_name } = ::serde::Deserialize::deserialize(value)?;
                        Ok(E::A { coin_name })
                    }];
                    todo!()
                }
            }
        "#;
        let mut file = syn::parse_file(source).unwrap();
        assert_eq!(
            table_struct_fields(&mut file),
            [
                "1 structs (1 fields, 1 of them inside functions) are read and written through one table each (module `struct_fields`)"
            ]
        );
        let out = text(&file);
        for line in [
            "struct Fields {\n                    coin_name: ::std::option::Option<String>,\n                }\n                impl self::struct_fields::Struct for Fields {",
            "const FIELDS: &'static [&'static str] = &[\"coinName\"];",
            "impl<'de> ::serde::Deserialize<'de> for Fields {",
            "let Fields { coin_name } = ::serde::Deserialize::deserialize(value)?;",
        ] {
            assert!(out.contains(line), "{line}\n{out}");
        }
        // Nothing to write: no writer, no `Serialize`.
        assert!(!out.contains("WriteStruct for"), "{out}");
        // In another module, `self::struct_fields` would not be found.
        let nested = format!("mod m {{ {source} }}");
        let mut file = syn::parse_file(&nested).unwrap();
        assert!(table_struct_fields(&mut file).is_empty());
        assert!(!out.contains("::serde::Serialize for"), "{out}");
        assert!(!out.contains("#[serde"), "{out}");
    }

    #[test]
    fn only_std_option_written_in_full_is_none_when_missing() {
        // Another `Option` (a user's own, in scope) may read a missing field
        // otherwise, so serde's rule decides it as for any other type.
        let source = r#"
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct S {
                pub a: Option<i64>,
                pub b: ::std::option::Option<Vec<i64>>,
                pub c: ::core::option::Option<i64>,
            }
        "#;
        let mut file = syn::parse_file(source).unwrap();
        assert_eq!(table_struct_fields(&mut file).len(), 1);
        let out = text(&file);
        for line in [
            "a: fields.missing(v0, 0)?,",
            "b: v1.flatten(),",
            "c: fields.missing(v2, 2)?,",
            "fields.end(&[0, 1, 2])?;",
        ] {
            assert!(out.contains(line), "{line}\n{out}");
        }
    }

    #[test]
    fn structs_serde_would_read_or_write_otherwise_are_left_alone() {
        let cases = [
            // A flattened field (serde buffers the rest of the map for it).
            TYPIFY.replace(
                "#[serde(default = \"defaults::wallet_m\")]",
                "#[serde(flatten)]",
            ),
            // A field read by a function.
            TYPIFY.replace(
                "default = \"defaults::wallet_m\"",
                "deserialize_with = \"f\"",
            ),
            // An alias.
            TYPIFY.replace(
                "rename = \"coinName\"",
                "rename = \"coinName\", alias = \"coin\"",
            ),
            // A struct-level attribute other than `deny_unknown_fields`.
            TYPIFY.replace("pub struct Wallet", "#[serde(default)]\npub struct Wallet"),
            // Attributes behind a feature (another rewrite's hand-written impls).
            TYPIFY.replace(
                "#[serde(rename = \"coinName\")]",
                "#[cfg_attr(feature = \"x\", serde(rename = \"coinName\"))]",
            ),
            // A derived `Serialize` alone.
            TYPIFY.replace("::serde::Deserialize, ", ""),
            // Generics, and a tuple struct.
            TYPIFY.replace("pub struct Wallet", "pub struct Wallet<T>"),
            r#"#[derive(::serde::Deserialize, ::serde::Serialize)] pub struct Id(pub String);"#
                .to_string(),
        ];
        for source in cases {
            let mut file = syn::parse_file(&source).unwrap();
            let before = text(&file);
            assert!(table_struct_fields(&mut file).is_empty(), "{source}");
            assert_eq!(text(&file), before);
        }
    }
}
