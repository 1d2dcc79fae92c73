//! The one pipeline behind every command:
//! load → validate ([`crate::spec`]) → generate → split → print.
//!
//! It only computes; `generate` writes its result and `check` compares it.
//! Every stage is a public function so that benchmarks can time each one.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use proc_macro2::TokenStream;
use progenitor_impl::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};

use crate::config::Api;
use crate::spec::{self, Spec, SpecErrors};

/// The spec, relative to the workspace root.
pub const SPEC_PATH: &str = "openapi/bitgo.yaml";
/// Types for every schema: the models crate's generated module.
pub const MODELS_PATH: &str = "crates/bitgo-models/src/generated.rs";
/// The progenitor client, using the models crate's types.
pub const CLIENT_PATH: &str = "crates/bitgo-client/src/generated.rs";
/// Typed httpmock extensions for the client's operations: the mock crate's generated module.
pub const MOCK_PATH: &str = "crates/bitgo-mock/src/generated.rs";

/// One file the generator owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative to the workspace root, with `/` separators.
    pub path: String,
    pub contents: String,
}

/// Why the pipeline stopped.
#[derive(Debug)]
pub enum Error {
    /// The spec is unreadable or invalid; fix the YAML.
    Spec(SpecErrors),
    /// progenitor or typify refused or panicked on a spec that passed validation.
    Generator { spec: String, message: String },
    /// The generated tokens were not the shape this pipeline expects.
    Output(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(errors) => errors.fmt(f),
            Error::Generator { spec, message } => {
                write!(
                    f,
                    "{spec}: progenitor could not generate the client: {message}"
                )
            }
            Error::Output(message) => write!(f, "unexpected generator output: {message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<SpecErrors> for Error {
    fn from(errors: SpecErrors) -> Self {
        Error::Spec(errors)
    }
}

/// Runs the whole pipeline for one API of the workspace at `root`.
pub fn run(root: &Path, api: &Api) -> Result<Vec<GeneratedFile>, Error> {
    let spec = spec::load_selected(root, &api.spec, api.operations.as_ref())?;
    render(&spec, api)
}

/// The API of `openapi/bitgo.yaml`, as `openapi/apis.toml` describes it; for
/// the tests and benchmarks of the one-endpoint workspace.
pub fn bitgo_api(root: &Path) -> Api {
    crate::config::load(root, Some("bitgo"))
        .ok()
        .and_then(|apis| apis.into_iter().next())
        .expect("openapi/apis.toml lists the `bitgo` API")
}

/// Everything after loading: the files that `spec` generates for `api`.
pub fn render(spec: &Spec, api: &Api) -> Result<Vec<GeneratedFile>, Error> {
    let mut timer = StageTimer::from_env();
    let tokens = generate_tokens(spec, api)?;
    timer.stage("generate client and types");
    let mock = match &api.mock {
        Some(_) => Some(generate_mock(spec, api)?),
        None => None,
    };
    timer.stage("generate mock");
    let Split {
        mut models,
        mut client,
    } = split(tokens, &Api::crate_ident(&api.models))?;
    timer.stage("parse and split");
    drop_client_new(&mut client);
    drop_unreachable_arms(&mut client);
    decode_merged_by_status(spec, &models, &mut client);
    timer.stage("client fixes");
    publish_string_constraints(spec, &mut models);
    add_servers(spec, api, &mut client)?;
    timer.stage("constraints and servers");
    let mut files = vec![(api.models_file(), models), (api.client_file(), client)];
    if let (Some(path), Some(mock)) = (api.mock_file(), mock) {
        files.push((path, mock));
    }
    let files = files
        .into_iter()
        .map(|(path, file)| GeneratedFile {
            path,
            contents: format(spec, &prettyplease::unparse(&file)),
        })
        .collect();
    timer.stage("print");
    Ok(files)
}

/// With `XTASK_TIMINGS=1`, prints each stage's wall time to stderr.
pub(crate) struct StageTimer(Option<std::time::Instant>);

impl StageTimer {
    pub(crate) fn from_env() -> Self {
        StageTimer(
            std::env::var_os("XTASK_TIMINGS")
                .filter(|v| v != "0")
                .map(|_| std::time::Instant::now()),
        )
    }

    pub(crate) fn stage(&mut self, name: &str) {
        if let Some(started) = &mut self.0 {
            eprintln!("{name}: {} ms", started.elapsed().as_millis());
            *started = std::time::Instant::now();
        }
    }
}

/// The settings an API's crates are generated with. One `Generator` produces
/// both, so models and client map every schema the same way.
pub fn settings(api: &Api) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(if api.builders {
            InterfaceStyle::Builder
        } else {
            InterfaceStyle::Positional
        })
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        .with_derive("schemars::JsonSchema");
    if api.hooks {
        // bitgo-client implements `ClientHooks` by hand: it removes the
        // `api-version` header progenitor adds to every request, and retries.
        settings
            .with_hooks(HooksMode::Expected)
            // Per-client settings (the retry policy) that the hooks read.
            .with_inner_type(quote::quote!(crate::Settings));
    }
    if let Some(secret) = &api.secret_type {
        // Secrets (OpenAPI's `format: password`) never print: see bitgo-models' `Secret`.
        settings.with_conversion(
            schemars::schema::SchemaObject {
                instance_type: Some(schemars::schema::InstanceType::String.into()),
                format: Some("password".to_string()),
                ..Default::default()
            },
            secret,
            [TypeImpl::FromStr, TypeImpl::Display].into_iter(),
        );
    }
    settings
}

/// Stage 3: progenitor (and typify inside it) turn the spec into one token
/// stream: a `types` module and the client. A panic inside them becomes an error.
pub fn generate_tokens(spec: &Spec, api: &Api) -> Result<TokenStream, Error> {
    run_generator(spec, api, |generator| {
        generator.generate_tokens(&spec.openapi)
    })
}

/// Stage 3b: progenitor's typed httpmock extensions (`MockServerExt`), for
/// downstream tests that stub the API with the client's own types.
pub fn generate_mock(spec: &Spec, api: &Api) -> Result<syn::File, Error> {
    let client_crate = Api::crate_ident(&api.client);
    let tokens = run_generator(spec, api, |generator| {
        generator.httpmock(&spec.openapi, &client_crate)
    })?;
    syn::parse2(tokens).map_err(|e| Error::Output(format!("the mock module is not Rust: {e}")))
}

/// Runs one progenitor entry point on a fresh `Generator`; its errors and
/// panics become `Error::Generator`.
fn run_generator(
    spec: &Spec,
    api: &Api,
    entry: impl FnOnce(&mut Generator) -> progenitor_impl::Result<TokenStream>,
) -> Result<TokenStream, Error> {
    let mut generator = Generator::new(&settings(api));
    let failed = |message: String| Error::Generator {
        spec: spec.display_path.clone(),
        message,
    };
    match catch_panic(|| entry(&mut generator)) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(failed(error.to_string())),
        Err(panic) => {
            let culprit = locate_panic(spec, api)
                .map(|c| format!(" while converting {c}"))
                .unwrap_or_default();
            Err(failed(format!("it panicked{culprit}: {panic}")))
        }
    }
}

/// After a panic, finds what progenitor was converting: each component
/// schema alone (with the schemas it refers to), then each operation alone.
/// Only runs on failure, so its cost does not matter.
fn locate_panic(spec: &Spec, api: &Api) -> Option<String> {
    let panics = |doc: serde_json::Value| -> bool {
        let Ok(openapi) = serde_json::from_value::<openapiv3::OpenAPI>(doc) else {
            return false;
        };
        let mut generator = Generator::new(&settings(api));
        catch_panic(|| generator.generate_tokens(&openapi)).is_err()
    };
    let schemas: Vec<String> = spec
        .json
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    for name in schemas {
        let mut doc = spec.json.clone();
        doc["paths"] = serde_json::json!({});
        doc["x-root"] = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        crate::config::prune_components(&mut doc);
        if let Some(root) = doc.as_object_mut() {
            root.remove("x-root");
        }
        if panics(doc) {
            return Some(format!(
                "component schema `{name}` (/components/schemas/{name})"
            ));
        }
    }
    let paths = spec.json.get("paths")?.as_object()?;
    for (path, item) in paths {
        for method in crate::normalize::METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let mut doc = spec.json.clone();
            doc["paths"] = serde_json::json!({ path: { method: operation } });
            if panics(doc) {
                let id = operation
                    .get("operationId")
                    .and_then(|i| i.as_str())
                    .unwrap_or("");
                return Some(format!(
                    "operation `{id}` (/paths/{}/{method})",
                    spec::escape(path)
                ));
            }
        }
    }
    None
}

/// Runs `f`, turning a panic into its message, without the default hook
/// printing a backtrace hint to the user's terminal.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_string())
    })
}

/// The two generated modules.
pub struct Split {
    pub models: syn::File,
    pub client: syn::File,
}

/// Stage 4: move progenitor's `pub mod types { .. }` into the models crate and
/// leave `pub use bitgo_models as types;` in its place, so that no type is
/// defined twice and `bitgo_client::types` is `bitgo_models`.
pub fn split(tokens: TokenStream, models_crate: &str) -> Result<Split, Error> {
    let mut client: syn::File =
        syn::parse2(tokens).map_err(|e| Error::Output(format!("not a Rust file: {e}")))?;

    let position = client
        .items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(m) if m.ident == "types"))
        .ok_or_else(|| Error::Output("no `types` module".to_string()))?;
    let syn::Item::Mod(types) = &mut client.items[position] else {
        unreachable!("position() matched a module");
    };
    let models_items = types
        .content
        .as_mut()
        .map(|(_, items)| std::mem::take(items))
        .ok_or_else(|| Error::Output("the `types` module has no body".to_string()))?;

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

/// progenitor's `Client::new` unwraps reqwest's builder, which panics with a
/// TLS backend that has no process-wide crypto provider (ours: rustls with
/// ring, chosen explicitly). bitgo-client defines a fallible `Client::new`
/// by hand instead; `Client::new_with_client` stays.
pub fn drop_client_new(client: &mut syn::File) {
    for item in &mut client.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let is_client = matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if is_client && block.trait_.is_none() {
            block
                .items
                .retain(|item| !matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "new"));
        }
    }
}

/// Stage 4b: typify validates `pattern`, `minLength` and `maxLength` in a
/// newtype's `FromStr`, yet derives `JsonSchema` for it as a plain string, so
/// the published schema loses them. For each such newtype, replace the derive
/// with an impl that carries the constraints, read from the spec itself.
pub fn publish_string_constraints(spec: &Spec, models: &mut syn::File) {
    let Some(schemas) = spec
        .json
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
    else {
        return;
    };
    // newtype name -> the spec's schema for it (the property that produced it)
    let mut constrained: Vec<(String, &serde_json::Value)> = Vec::new();
    for item in &models.items {
        let syn::Item::Struct(parent) = item else {
            continue;
        };
        let Some(properties) = schemas
            .get(&parent.ident.to_string())
            .and_then(|schema| schema.get("properties"))
        else {
            continue;
        };
        for field in &parent.fields {
            let (Some(ident), Some(newtype)) = (&field.ident, single_ident(&field.ty)) else {
                continue;
            };
            let wire = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
            let Some(property) = properties.get(&wire) else {
                continue;
            };
            let has_constraints = ["pattern", "minLength", "maxLength"]
                .iter()
                .any(|key| property.get(key).is_some());
            if has_constraints && property.get("type").and_then(|t| t.as_str()) == Some("string") {
                constrained.push((newtype, property));
            }
        }
    }

    // One pass to index the structs: a search per newtype is quadratic.
    let positions: std::collections::HashMap<String, usize> = models
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), i)),
            _ => None,
        })
        .collect();
    let mut impls: Vec<syn::Item> = Vec::new();
    for (name, schema) in constrained {
        let Some(syn::Item::Struct(newtype)) = positions.get(&name).map(|&i| &mut models.items[i])
        else {
            continue;
        };
        if !remove_derive(&mut newtype.attrs, "JsonSchema") {
            continue;
        }
        let ident = &newtype.ident;
        let optional_string = |key: &str| match schema.get(key).and_then(|v| v.as_str()) {
            Some(value) => quote::quote! { ::std::option::Option::Some(#value.to_string()) },
            None => quote::quote! { ::std::option::Option::None },
        };
        let optional_u32 = |key: &str| match schema.get(key).and_then(|v| v.as_u64()) {
            Some(value) => {
                let value = value as u32;
                quote::quote! { ::std::option::Option::Some(#value) }
            }
            None => quote::quote! { ::std::option::Option::None },
        };
        let (format, pattern) = (optional_string("format"), optional_string("pattern"));
        let (min_length, max_length) = (optional_u32("minLength"), optional_u32("maxLength"));
        let name = ident.to_string();
        impls.push(syn::parse_quote! {
            impl ::schemars::JsonSchema for #ident {
                fn schema_name() -> ::std::string::String {
                    #name.to_string()
                }
                fn json_schema(
                    _: &mut ::schemars::r#gen::SchemaGenerator,
                ) -> ::schemars::schema::Schema {
                    ::schemars::schema::SchemaObject {
                        instance_type: ::std::option::Option::Some(
                            ::schemars::schema::InstanceType::String.into(),
                        ),
                        format: #format,
                        string: ::std::option::Option::Some(::std::boxed::Box::new(
                            ::schemars::schema::StringValidation {
                                max_length: #max_length,
                                min_length: #min_length,
                                pattern: #pattern,
                            },
                        )),
                        ..::std::default::Default::default()
                    }
                    .into()
                }
            }
        });
    }
    // After the last type, before typify's `builder`, `defaults` and `error` modules.
    let position = models
        .items
        .iter()
        .position(|item| matches!(item, syn::Item::Mod(_)))
        .unwrap_or(models.items.len());
    models.items.splice(position..position, impls);
}

/// `X` or `Option<X>` where `X` is a bare identifier: the name of a generated type.
fn single_ident(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident == "Option" {
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments
            && let Some(syn::GenericArgument::Type(inner)) = args.args.first()
        {
            return single_ident(inner);
        }
        return None;
    }
    (path.path.segments.len() == 1 && last.arguments.is_empty()).then(|| last.ident.to_string())
}

/// The `rename = "..."` of a field's `#[serde(...)]`, if any.
pub fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    rename
}

/// Removes the derive whose last path segment is `name`; true if one was found.
fn remove_derive(attrs: &mut [syn::Attribute], name: &str) -> bool {
    use syn::punctuated::Punctuated;
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept: Punctuated<syn::Path, syn::Token![,]> = paths
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != name))
            .cloned()
            .collect();
        if kept.len() != paths.len() {
            *attr = syn::parse_quote! { #[derive(#kept)] };
            return true;
        }
    }
    false
}

/// progenitor's response `match` can have arms that never run, and rustc
/// warns about them: after a `default` response the match ends in two
/// wildcard arms, and a status listed after a range that covers it
/// (`400..=499` from `4XX` before `401`) is shadowed. Such arms are removed;
/// what runs does not change.
pub fn drop_unreachable_arms(client: &mut syn::File) {
    struct Arms;
    impl syn::visit_mut::VisitMut for Arms {
        fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
            syn::visit_mut::visit_expr_match_mut(self, node);
            if let Some(wild) = node
                .arms
                .iter()
                .position(|arm| matches!(arm.pat, syn::Pat::Wild(_)))
            {
                node.arms.truncate(wild + 1);
            }
            let mut ranges: Vec<(u64, u64)> = Vec::new();
            node.arms.retain(|arm| match &arm.pat {
                syn::Pat::Range(range) => {
                    let bound = |e: &Option<Box<syn::Expr>>| match e.as_deref() {
                        Some(syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Int(i),
                            ..
                        })) => i.base10_parse::<u64>().ok(),
                        _ => None,
                    };
                    if let (Some(lo), Some(hi)) = (bound(&range.start), bound(&range.end)) {
                        ranges.push((lo, hi));
                    }
                    true
                }
                syn::Pat::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(i),
                    ..
                }) => match i.base10_parse::<u64>() {
                    Ok(code) => !ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&code)),
                    Err(_) => true,
                },
                _ => true,
            });
        }
    }
    syn::visit_mut::VisitMut::visit_file_mut(&mut Arms, client);
}

/// Where the normalization merged several bodies of one response set into a
/// `oneOf` component (an untagged enum), progenitor would decode every status
/// by trying the enum's variants in turn, and a body that fits two of them
/// would take the first. Each status listed with its own component is
/// decoded as that component instead, then wrapped by typify's `From` impl:
/// the variant follows the status, not the body's shape.
pub fn decode_merged_by_status(spec: &Spec, models: &syn::File, client: &mut syn::File) {
    use std::collections::{BTreeMap, BTreeSet};
    // typify's `impl From<Member> for Merged` pairs.
    let conversions: BTreeSet<(String, String)> = models
        .items
        .iter()
        .filter_map(|item| {
            let syn::Item::Impl(block) = item else {
                return None;
            };
            let (path, _) = block.trait_.as_ref()?;
            let last = path.segments.last()?;
            if last.ident != "From" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            let Some(syn::GenericArgument::Type(from)) = args.args.first() else {
                return None;
            };
            Some((single_ident(from)?, single_ident(&block.self_ty)?))
        })
        .collect();
    // operation (as progenitor names it) -> status -> (merged type, member type)
    let mut plan: BTreeMap<String, BTreeMap<u16, (String, String)>> = BTreeMap::new();
    for merged in &spec.normalized.merged {
        let target = crate::normalize::rust_type_name(&merged.component);
        for (status, member) in &merged.statuses {
            let (Ok(code), Some(member)) = (status.parse::<u16>(), member) else {
                continue;
            };
            let member = crate::normalize::rust_type_name(member);
            if conversions.contains(&(member.clone(), target.clone())) {
                plan.entry(crate::normalize::rust_snake_name(&merged.operation_id))
                    .or_default()
                    .insert(code, (target.clone(), member));
            }
        }
    }
    if plan.is_empty() {
        return;
    }

    struct ByStatus<'a> {
        plan: &'a BTreeMap<String, BTreeMap<u16, (String, String)>>,
        current: Option<&'a BTreeMap<u16, (String, String)>>,
    }
    impl<'a> syn::visit_mut::VisitMut for ByStatus<'a> {
        fn visit_impl_item_fn_mut(&mut self, function: &mut syn::ImplItemFn) {
            // The method that builds `OperationInfo { operation_id: "..", .. }`.
            struct OperationId(Option<String>);
            impl<'ast> syn::visit::Visit<'ast> for OperationId {
                fn visit_expr_struct(&mut self, node: &'ast syn::ExprStruct) {
                    if node.path.is_ident("OperationInfo") {
                        for field in &node.fields {
                            if let (
                                syn::Member::Named(name),
                                syn::Expr::Lit(syn::ExprLit {
                                    lit: syn::Lit::Str(id),
                                    ..
                                }),
                            ) = (&field.member, &field.expr)
                                && name == "operation_id"
                            {
                                self.0 = Some(id.value());
                            }
                        }
                    }
                    syn::visit::visit_expr_struct(self, node);
                }
            }
            let mut found = OperationId(None);
            syn::visit::Visit::visit_block(&mut found, &function.block);
            self.current = found.0.and_then(|id| self.plan.get(&id));
            if self.current.is_some() {
                syn::visit_mut::visit_impl_item_fn_mut(self, function);
            }
            self.current = None;
        }

        fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
            syn::visit_mut::visit_arm_mut(self, arm);
            let Some(statuses) = self.current else { return };
            let syn::Pat::Lit(syn::ExprLit {
                lit: syn::Lit::Int(code),
                ..
            }) = &arm.pat
            else {
                return;
            };
            let Ok(code) = code.base10_parse::<u16>() else {
                return;
            };
            let Some((target, member)) = statuses.get(&code) else {
                return;
            };
            let target = syn::Ident::new(target, proc_macro2::Span::call_site());
            let member = syn::Ident::new(member, proc_macro2::Span::call_site());
            let is_error = quote::ToTokens::to_token_stream(&*arm.body)
                .to_string()
                .contains("ErrorResponse");
            let value = quote::quote! {
                ResponseValue::new(types::#target::from(value.into_inner()), status, headers)
            };
            let result = if is_error {
                quote::quote! { Err(Error::ErrorResponse(#value)) }
            } else {
                quote::quote! { Ok(#value) }
            };
            *arm.body = syn::parse_quote! {{
                let value = ResponseValue::<types::#member>::from_response(response).await?;
                let (status, headers) = (value.status(), value.headers().clone());
                #result
            }};
        }
    }
    syn::visit_mut::VisitMut::visit_file_mut(
        &mut ByStatus {
            plan: &plan,
            current: None,
        },
        client,
    );
}

/// progenitor ignores `servers`; emit them as constants so that hand-written
/// code (bitgo-client's `Environment`) takes its base URLs from the spec.
/// Each is named after its description (`production` -> `PRODUCTION`).
pub fn add_servers(spec: &Spec, api: &Api, client: &mut syn::File) -> Result<(), Error> {
    let mut constants = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, server) in spec.openapi.servers.iter().enumerate() {
        let label = server.description.clone().unwrap_or_default();
        let name: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        let unusable = name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit());
        // Without hand-written code relying on the names, any spec generates.
        let name = if (unusable || seen.contains(&name)) && !api.hooks {
            format!("SERVER_{i}")
        } else {
            name
        };
        seen.insert(name.clone());
        if unusable && api.hooks {
            return Err(Error::Spec(SpecErrors(vec![spec::SpecError {
                file: spec.display_path.clone(),
                location: format!("/servers/{i}/description"),
                message: "each server needs a description that names it (such as `production`)"
                    .to_string(),
            }])));
        }
        let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
        let url = &server.url;
        let doc = format!(" `{label}`: {url}");
        constants.push(quote::quote! {
            #[doc = #doc]
            pub const #ident: &str = #url;
        });
    }
    client.items.push(syn::parse_quote! {
        /// The servers that the spec lists, named by their descriptions.
        pub mod servers {
            #(#constants)*
        }
    });
    Ok(())
}

/// Stage 5: the file as written: the preamble, then prettyplease's output
/// with docs as `///` lines. Not rustfmt: prettyplease is pinned in
/// Cargo.lock, so the bytes do not depend on the toolchain a machine has, and
/// it is fast (rustfmt took half the time of a 1000-operation spec). Each
/// `lib.rs` declares `#[rustfmt::skip] mod generated;`, so `cargo fmt --check`
/// leaves the file to its generator.
pub fn format(spec: &Spec, unparsed: &str) -> String {
    format!(
        "// @generated by `cargo xtask generate` from {} (sha256 {}).\n\
         // Do not edit: change the spec and run `cargo xtask generate` again.\n\
         \n{}",
        spec.display_path,
        spec.sha256,
        block_docs_to_line_docs(unparsed),
    )
}

/// prettyplease prints multi-line docs as `/** .. */` blocks, which rustfmt
/// then indents, turning their text into indented Markdown code blocks (and
/// so into failing doctests). Rewrite them as `///` (or `//!`) lines.
pub fn block_docs_to_line_docs(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
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
    out
}

#[cfg(test)]
mod tests {
    use super::block_docs_to_line_docs;

    #[test]
    fn block_docs_become_line_docs_at_their_indentation() {
        let source = "impl X {\n    /**First\n\nSecond*/\n    fn f() {}\n}\n/*!Inner*/\n";
        assert_eq!(
            block_docs_to_line_docs(source),
            "impl X {\n    ///First\n    ///\n    ///Second\n    fn f() {}\n}\n//!Inner\n"
        );
    }
}
