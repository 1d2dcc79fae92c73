//! The one namer: the Rust names typify and progenitor give to what a spec
//! names. The generator's passes predict names with it, the diff prints
//! Rust items with it, and the tests check the generated code against it.
//!
//! These follow typify 0.8's and progenitor 0.15's own `sanitize` (both use
//! heck, which this crate pins to the same version): characters that cannot
//! continue an identifier become word breaks, the case is converted, a name
//! that cannot start an identifier gets a prefix, and a keyword gets a `_`.

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// typify's `sanitize`, or progenitor's (which prefixes `_` instead of `x`).
fn sanitize(input: &str, case: fn(&str) -> String, prefix: &str) -> String {
    let out = match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => case(
            &input
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => case("x"),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("{prefix}{out}"),
    };
    if typify::accept_as_ident(&out) {
        out
    } else {
        format!("{out}_")
    }
}

/// The constant `add-servers` names each of the spec's servers by, from
/// their descriptions (`production` → `PRODUCTION`), in order. A server
/// whose description names no constant, or names an earlier one's again,
/// is `SERVER_<index>`, with why (code written by hand against the names,
/// `hooks`, needs every server named apart).
pub fn server_constants(descriptions: &[&str]) -> Vec<(String, Option<&'static str>)> {
    let mut seen = std::collections::BTreeSet::new();
    descriptions
        .iter()
        .enumerate()
        .map(|(i, description)| {
            let name: String = description
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            let unnamed = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                Some("its description names no constant")
            } else if seen.contains(&name) {
                Some("its description names an earlier server's constant")
            } else {
                None
            };
            let name = match unnamed {
                None => name,
                Some(_) => format!("SERVER_{i}"),
            };
            seen.insert(name.clone());
            (name, unnamed)
        })
        .collect()
}

/// Whether `name` is a Rust identifier that is no keyword (`bitgo_models`).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| is_xid_start(c) || c == '_')
        && chars.all(is_xid_continue)
        && name != "_"
        && typify::accept_as_ident(name)
}

fn pascal(s: &str) -> String {
    s.to_pascal_case()
}

fn snake(s: &str) -> String {
    s.to_snake_case()
}

/// The Rust type typify makes of a component schema, a title, or an enum
/// value's variant: `CSPRStakingOptions` → `CsprStakingOptions`.
pub fn type_name(name: &str) -> String {
    sanitize(name, pascal, "X")
}

/// The field typify makes of a property: `XMLHttpRequest` → `xml_http_request`.
pub fn field_name(property: &str) -> String {
    sanitize(property, snake, "x")
}

/// The client method progenitor makes of an operationId, and the name it
/// gives a parameter: `getV2.wallet` → `get_v2_wallet`.
pub fn method_name(operation_id: &str) -> String {
    sanitize(operation_id, snake, "_")
}

/// The Rust name of a crate from its directory (`crates/bitgo-models` →
/// `bitgo_models`).
pub fn crate_ident(dir: &str) -> String {
    dir.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(dir)
        .replace('-', "_")
}

/// The cargo feature of a tag: lower-case words joined by `-`. Names cargo
/// or this generator use otherwise (`default`, `full`, `schemars`) and names
/// without a letter or digit get a `tag-` prefix.
pub fn feature_name(tag: &str) -> String {
    let mut name = String::new();
    for word in tag
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !name.is_empty() {
            name.push('-');
        }
        name.push_str(&word.to_ascii_lowercase());
    }
    if name.is_empty()
        || matches!(
            name.as_str(),
            "default" | super::features::FULL | super::features::SCHEMARS
        )
    {
        name = if name.is_empty() {
            "tag".to_string()
        } else {
            format!("tag-{name}")
        };
    }
    name
}

/// Whether typify can give every value of a string enum its own variant
/// name; it panics otherwise ("Failed to make unique variant names").
/// typify tries the values as they are, then with `_` and other
/// non-alphanumerics spelled as `X`.
pub fn enum_values_nameable(values: &[&str]) -> bool {
    let unique = |names: Vec<String>| {
        names
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            == names.len()
    };
    let plain = values.iter().map(|v| type_name(v)).collect();
    if unique(plain) {
        return true;
    }
    let spelled = values
        .iter()
        .map(|v| type_name(&v.replace(|c: char| c == '_' || !(c.is_alphanumeric()), "X")))
        .collect();
    unique(spelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_are_named_by_their_descriptions_else_by_their_index() {
        let names = server_constants(&["production", "Sandbox (test)", "", "1st", "production"]);
        let names: Vec<(&str, bool)> = names
            .iter()
            .map(|(name, unnamed)| (name.as_str(), unnamed.is_none()))
            .collect();
        assert_eq!(
            names,
            [
                ("PRODUCTION", true),
                ("SANDBOX__TEST_", true),
                ("SERVER_2", false),
                ("SERVER_3", false),
                ("SERVER_4", false)
            ]
        );
    }

    #[test]
    fn names_as_typify_and_progenitor_make_them() {
        assert_eq!(type_name("CSPRStakingOptions"), "CsprStakingOptions");
        assert_eq!(type_name("wallet.id"), "WalletId");
        assert_eq!(type_name("2fa"), "X2fa");
        assert_eq!(type_name(""), "X");
        assert_eq!(field_name("XMLHttpRequest"), "xml_http_request");
        assert_eq!(field_name("skipOAuth"), "skip_o_auth");
        assert_eq!(field_name("accountID"), "account_id");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("$ref"), "ref_");
        assert_eq!(field_name("enum"), "enum_");
        assert_eq!(field_name("2fa"), "x2fa");
        assert_eq!(method_name("v2.wallet.get"), "v2_wallet_get");
        assert_eq!(method_name("enterprise-bitgo-org"), "enterprise_bitgo_org");
        assert_eq!(method_name("1st"), "_1st");
        assert_eq!(method_name("self"), "self_");
        assert_eq!(crate_ident("crates/bitgo-models/"), "bitgo_models");
    }

    #[test]
    fn enum_values_that_collide_in_rust() {
        assert!(enum_values_nameable(&["a", "b"]));
        assert!(!enum_values_nameable(&["a_b", "a-b"]));
        assert!(!enum_values_nameable(&[">", ">=", "<", "<="]));
        assert!(!enum_values_nameable(&["WALLET", "wallet"]));
    }
}
