//! Snapshots that make every schema change visible in a pull request.
//!
//! - `api_surface`: one line per server, operation, parameter, response,
//!   schema and property: wire name, Rust item and type, required or not,
//!   format, pattern, length limits, default, example, description. Adding,
//!   removing or retyping a field, or editing a description, changes one line.
//! - `generated_items`: one line per item of the generated files, so that a
//!   generator upgrade that changes the Rust output shows up too.

use std::collections::BTreeMap;
use std::fmt::Write;

use bitgo_tests::workspace_root;
use openapi_codegen::generate::rewrites::serde_rename;
use serde_json::Value;

fn parse_rust(relative: &str) -> syn::File {
    let text = std::fs::read_to_string(workspace_root().join(relative)).unwrap();
    syn::parse_file(&text).unwrap()
}

/// A type as a reader writes it: `Option<Vec<String>>`, not `::std::option::Option<...>`.
fn short(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => {
            let last = path.path.segments.last().unwrap();
            let mut out = last.ident.to_string();
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                let args: Vec<String> = args
                    .args
                    .iter()
                    .map(|arg| match arg {
                        syn::GenericArgument::Type(t) => short(t),
                        other => quote::quote!(#other).to_string(),
                    })
                    .collect();
                write!(out, "<{}>", args.join(", ")).unwrap();
            }
            out
        }
        syn::Type::Reference(r) => format!("&{}", short(&r.elem)),
        other => quote::quote!(#other).to_string().replace(' ', ""),
    }
}

/// Struct name -> wire name -> (Rust field, Rust type).
fn struct_fields(file: &syn::File) -> BTreeMap<String, BTreeMap<String, (String, String)>> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        if let syn::Item::Struct(s) = item {
            let fields = s
                .fields
                .iter()
                .filter_map(|f| {
                    let ident = f.ident.as_ref()?.to_string();
                    let wire = serde_rename(&f.attrs).unwrap_or_else(|| ident.clone());
                    Some((wire, (ident, short(&f.ty))))
                })
                .collect();
            out.insert(s.ident.to_string(), fields);
        }
    }
    out
}

/// ` | key value` for each fact present, in a fixed order.
fn schema_facts(schema: &Value) -> String {
    let mut out = String::new();
    let json = |v: &Value| serde_json::to_string(v).unwrap();
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        write!(out, " | $ref {reference}").unwrap();
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let items = schema["items"]["type"].as_str();
        match items {
            Some(items) => write!(out, " | type {t}<{items}>").unwrap(),
            None => write!(out, " | type {t}").unwrap(),
        }
    }
    for key in ["format", "pattern"] {
        if let Some(v) = schema.get(key).and_then(Value::as_str) {
            write!(out, " | {key} {v}").unwrap();
        }
    }
    for key in [
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
        "nullable",
        "default",
        "enum",
        "example",
    ] {
        if let Some(v) = schema.get(key) {
            write!(out, " | {key} {}", json(v)).unwrap();
        }
    }
    if let Some(Value::Object(items)) = schema.get("items") {
        for key in ["format", "pattern", "enum"] {
            if let Some(v) = items.get(key) {
                write!(out, " | items.{key} {}", json(v)).unwrap();
            }
        }
    }
    if let Some(d) = schema.get("description").and_then(Value::as_str) {
        write!(out, " | description {}", json(&Value::from(d))).unwrap();
    }
    out
}

fn api_surface() -> String {
    let files = bitgo_tests::bitgo_files();
    let spec = openapi_codegen::spec::read(&workspace_root().join(&files.spec), &files.spec)
        .unwrap()
        .json;
    let models = struct_fields(&parse_rust(&files.models));
    let client_text = std::fs::read_to_string(workspace_root().join(&files.client)).unwrap();
    let client = parse_rust(&files.client);
    let json = |v: &Value| serde_json::to_string(v).unwrap();
    let mut out = String::new();

    writeln!(
        out,
        "openapi {} | info {} {}",
        spec["openapi"].as_str().unwrap(),
        json(&spec["info"]["title"]),
        json(&spec["info"]["version"])
    )
    .unwrap();
    for server in spec["servers"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "server {} | description {}",
            server["url"].as_str().unwrap(),
            json(&server["description"])
        )
        .unwrap();
    }
    for (name, scheme) in spec["components"]["securitySchemes"]
        .as_object()
        .into_iter()
        .flatten()
    {
        writeln!(out, "securityScheme {name} | {}", json(scheme)).unwrap();
    }

    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            let op_name = format!("{} {path}", method.to_uppercase());
            let rust = openapi_codegen::target::naming::method_name(id);
            assert!(
                client_text.contains(&format!("pub fn {rust}(")),
                "no client method {rust}"
            );
            writeln!(
                out,
                "{op_name} | operationId {id} | Rust Client::{rust}() | summary {} | description {} | security {}",
                json(&op["summary"]),
                json(&op["description"]),
                json(&op["security"]),
            )
            .unwrap();
            for param in op["parameters"].as_array().into_iter().flatten() {
                let wire = param["name"].as_str().unwrap();
                // The client sends it as `QueryParam::new("<wire>", &<rust>)`.
                let compact: String = client_text.split_whitespace().collect();
                let marker = format!("QueryParam::new(\"{wire}\",&");
                let rust = compact
                    .split(&marker)
                    .nth(1)
                    .and_then(|rest| rest.split([')', ',']).next())
                    .unwrap_or("<not sent>");
                let ty = builder_field_type(&client, rust);
                let required = if param["required"] == Value::Bool(true) {
                    "required"
                } else {
                    "optional"
                };
                writeln!(
                    out,
                    "{op_name} | {} parameter {wire} | Rust .{rust}({ty}) | {required}{}{}",
                    param["in"].as_str().unwrap(),
                    schema_facts(&param["schema"]),
                    param
                        .get("description")
                        .map(|d| format!(" | description {}", json(d)))
                        .unwrap_or_default(),
                )
                .unwrap();
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                let body = &response["content"]["application/json"]["schema"];
                let rust = match (status.as_str(), body["$ref"].as_str()) {
                    (s, Some(r)) if s.starts_with('2') => {
                        format!("Ok(ResponseValue<{}>)", r.rsplit('/').next().unwrap())
                    }
                    (_, Some(r)) => format!(
                        "Err(Error::ErrorResponse(ResponseValue<{}>))",
                        r.rsplit('/').next().unwrap()
                    ),
                    (_, None) => "no typed body".to_string(),
                };
                writeln!(
                    out,
                    "{op_name} | response {status} | Rust {rust} | description {}",
                    json(&response["description"])
                )
                .unwrap();
            }
        }
    }

    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        let fields = models
            .get(name)
            .unwrap_or_else(|| panic!("no Rust type {name}"));
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v.as_str().unwrap())
            .collect();
        writeln!(
            out,
            "schema {name} | Rust bitgo_models::{name} | required {required:?}{}",
            schema_facts(
                &serde_json::json!({"type": schema["type"], "description": schema["description"]})
            )
        )
        .unwrap();
        for (wire, property) in schema["properties"].as_object().into_iter().flatten() {
            let (field, ty) = fields
                .get(wire)
                .cloned()
                .unwrap_or_else(|| ("<missing>".into(), "<missing>".into()));
            let req = if required.contains(&wire.as_str()) {
                "required"
            } else {
                "optional"
            };
            writeln!(
                out,
                "{name}.{wire} | Rust {name}::{field}: {ty} | {req}{}",
                schema_facts(property)
            )
            .unwrap();
        }
        for wire in fields.keys() {
            if schema["properties"].get(wire).is_none() {
                writeln!(out, "{name}.{wire} | Rust only, not in the spec").unwrap();
            }
        }
    }
    out
}

/// The type a builder stores for parameter `field`: `Option<bool>` from
/// `skip_o_auth: Result<Option<bool>, String>`.
fn builder_field_type(client: &syn::File, field: &str) -> String {
    for item in &client.items {
        let syn::Item::Mod(m) = item else { continue };
        for inner in m.content.iter().flat_map(|(_, items)| items) {
            let syn::Item::Struct(s) = inner else {
                continue;
            };
            for f in &s.fields {
                if f.ident.as_ref().is_some_and(|i| i == field) {
                    let ty = short(&f.ty);
                    return ty
                        .strip_prefix("Result<")
                        .and_then(|t| t.strip_suffix(", String>"))
                        .unwrap_or(&ty)
                        .to_string();
                }
            }
        }
    }
    "<no builder field>".to_string()
}

#[test]
fn api_surface_snapshot() {
    insta::assert_snapshot!("api_surface", api_surface());
}

/// `#[derive(..)]`, `#[serde(..)]`, `#[cfg(..)]` and `#[cfg_attr(..)]`
/// attributes, compacted; docs are left to `api_surface`.
fn attributes(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| {
            ["derive", "serde", "cfg", "cfg_attr"]
                .iter()
                .any(|name| a.path().is_ident(name))
        })
        .map(|a| format!("{} ", quote::quote!(#a).to_string().replace(' ', "")))
        .collect()
}

/// One line per generated item: `struct AccessToken { fields }`, `impl Trait for Type`, `fn ...`.
fn list_items(items: &[syn::Item], prefix: &str, out: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                out.push(format!(
                    "{prefix}{}struct {}",
                    attributes(&s.attrs),
                    s.ident
                ));
                for (i, f) in s.fields.iter().enumerate() {
                    let name = f.ident.as_ref().map_or(i.to_string(), ToString::to_string);
                    out.push(format!(
                        "{prefix}{}.{name}: {} {}",
                        s.ident,
                        short(&f.ty),
                        attributes(&f.attrs).trim_end()
                    ));
                }
            }
            syn::Item::Enum(e) => {
                let variants: Vec<String> =
                    e.variants.iter().map(|v| v.ident.to_string()).collect();
                out.push(format!(
                    "{prefix}enum {} {{ {} }}",
                    e.ident,
                    variants.join(", ")
                ));
            }
            syn::Item::Impl(i) => {
                let target = short(&i.self_ty);
                let header = match &i.trait_ {
                    Some((path, _)) => {
                        let t = quote::quote!(#path).to_string().replace(' ', "");
                        format!("impl {t} for {target}")
                    }
                    None => format!("impl {target}"),
                };
                let fns: Vec<String> = i
                    .items
                    .iter()
                    .filter_map(|item| match item {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    })
                    .collect();
                out.push(format!("{prefix}{header} {{ {} }}", fns.join(", ")));
            }
            syn::Item::Mod(m) => {
                out.push(format!("{prefix}mod {}", m.ident));
                if let Some((_, inner)) = &m.content {
                    list_items(inner, &format!("{prefix}{}::", m.ident), out);
                }
            }
            syn::Item::Use(u) => {
                let tree = &u.tree;
                out.push(format!(
                    "{prefix}use {}",
                    quote::quote!(#tree).to_string().replace(' ', "")
                ));
            }
            syn::Item::Fn(f) => out.push(format!("{prefix}fn {}", f.sig.ident)),
            syn::Item::Const(c) => out.push(format!("{prefix}const {}", c.ident)),
            syn::Item::Static(s) => out.push(format!("{prefix}static {}", s.ident)),
            syn::Item::Trait(t) => out.push(format!("{prefix}trait {}", t.ident)),
            syn::Item::Type(t) => out.push(format!("{prefix}type {}", t.ident)),
            _ => out.push(format!("{prefix}(other item)")),
        }
    }
}

#[test]
fn generated_items_snapshot() {
    let files = bitgo_tests::bitgo_files();
    for (name, path) in [
        ("models_items", files.models.as_str()),
        ("client_items", files.client.as_str()),
        ("mock_items", files.mock.as_str()),
    ] {
        let mut out = Vec::new();
        list_items(&parse_rust(path).items, "", &mut out);
        insta::assert_snapshot!(name, out.join("\n"));
    }
}
