//! The diff's rule registry against its fixtures: every rule has a pair
//! `tests/diff/<id>/{base,revision}.yaml` whose revision says, in a
//! `# expect: <severity>` line, the verdict the change must get. Each pair
//! must report its rule with that severity, and nothing worse.

use std::path::{Path, PathBuf};

use openapi_codegen::Document;
use openapi_codegen::diff::{self, Bump, Crates, Severity, rules::RULES};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff")
}

fn load(path: &Path) -> Document {
    let file = path.display().to_string();
    Document::read(path, &file)
        .and_then(diff::prepare)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn crates() -> Crates {
    Crates {
        models: "things_models".into(),
        client: "things_client".into(),
    }
}

fn expected(revision: &Path) -> Severity {
    let text = std::fs::read_to_string(revision).unwrap();
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("# expect: "))
        .unwrap_or_else(|| panic!("{}: no `# expect:` line", revision.display()));
    match line.trim() {
        "breaking" => Severity::Breaking,
        "may-break" => Severity::MayBreak,
        "compatible" => Severity::Compatible,
        other => panic!("{}: unknown severity {other}", revision.display()),
    }
}

#[test]
fn every_rule_has_a_fixture_pair_and_every_pair_a_rule() {
    let dirs: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !dirs.iter().any(|d| d == id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture pair: {missing:?}"
    );
    let orphans: Vec<&String> = dirs
        .iter()
        .filter(|d| !RULES.iter().any(|r| r.id == d.as_str()))
        .collect();
    assert!(
        orphans.is_empty(),
        "fixture pairs without a rule: {orphans:?}"
    );
}

#[test]
fn every_fixture_pair_reports_its_rule_with_its_severity_and_nothing_worse() {
    let mut wrong = Vec::new();
    for rule in RULES {
        let dir = fixtures().join(rule.id);
        let revision = dir.join("revision.yaml");
        let severity = expected(&revision);
        let changes = diff::compare(
            &load(&dir.join("base.yaml")).json,
            &load(&revision).json,
            &crates(),
        );
        let found: Vec<(&str, Severity)> = changes.iter().map(|c| (c.kind, c.severity)).collect();
        if !found.contains(&(rule.id, severity)) {
            wrong.push(format!("{}: expected {severity}, found {found:?}", rule.id));
        }
        let worst = changes.iter().map(|c| c.severity).max();
        if worst != Some(severity) {
            wrong.push(format!(
                "{}: worst {worst:?}, expected {severity}: {found:?}",
                rule.id
            ));
        }
        for change in &changes {
            let item_ok = change.rust_items.iter().all(|i| {
                [
                    "things_models::",
                    "things_client::Client::",
                    "things_client::servers::",
                ]
                .iter()
                .any(|prefix| i.starts_with(prefix))
            });
            if !item_ok || change.client_bump < change.models_bump {
                wrong.push(format!("{}: {change:?}", rule.id));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn rust_items_are_named_as_the_generator_names_them() {
    let spec = |extra: &str| {
        format!(
            r##"
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /v2/wallet/{{accountID}}:
    get:
      operationId: v2.wallet.get
      parameters:
        - {{name: accountID, in: path, required: true, schema: {{type: string}}}}
        - {{name: enterprise-bitgo-org, in: query, schema: {{type: string}}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/CSPRStakingOptions"}}
components:
  schemas:
    CSPRStakingOptions:
      type: object
      properties:
        XMLHttpRequest: {{type: string}}
{extra}"##
        )
    };
    let old = Document::parse("old.yaml", &spec("        type: {type: string}\n")).unwrap();
    let new_text = spec("").replace(
        "        - {name: enterprise-bitgo-org, in: query, schema: {type: string}}\n",
        "",
    );
    let new_text = new_text.replace(
        "XMLHttpRequest: {type: string}",
        "XMLHttpRequest: {type: integer}",
    );
    let new = Document::parse("new.yaml", &new_text).unwrap();
    let changes = diff::compare(&old.json, &new.json, &crates());
    let items: Vec<&str> = changes
        .iter()
        .flat_map(|c| c.rust_items.iter().map(String::as_str))
        .collect();
    for expected in [
        "things_models::CsprStakingOptions::xml_http_request",
        "things_models::CsprStakingOptions::type_",
        "things_client::Client::v2_wallet_get(enterprise_bitgo_org)",
    ] {
        assert!(items.contains(&expected), "{expected} in {items:?}");
    }
    for item in items {
        let path = item.split('(').next().unwrap();
        assert!(
            path.split("::").all(syn_like_ident),
            "{item} is not a Rust path"
        );
    }
}

/// An identifier as Rust spells one (ASCII is enough for these names).
fn syn_like_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The changes between two specs given as YAML text.
fn changes(old: &str, new: &str) -> Vec<diff::Change> {
    let load = |label: &str, text: &str| {
        diff::prepare(Document::parse(label, text).unwrap()).unwrap_or_else(|e| panic!("{e}"))
    };
    diff::compare(
        &load("old.yaml", old).json,
        &load("new.yaml", new).json,
        &crates(),
    )
}

/// A spec with one GET returning `Wallet` and one POST sending `Input`.
fn spec(schemas: &str, get_params: &str) -> String {
    format!(
        r##"openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /wallets/{{walletId}}:
    get:
      operationId: getWallet
      parameters:
        - {{name: walletId, in: path, required: true, schema: {{type: string}}}}
{get_params}      responses:
        "200":
          description: ok
          content: {{application/json: {{schema: {{$ref: "#/components/schemas/Wallet"}}}}}}
  /wallets:
    post:
      operationId: addWallet
      requestBody:
        content: {{application/json: {{schema: {{$ref: "#/components/schemas/Input"}}}}}}
      responses:
        "204": {{description: done}}
components:
  schemas:
{schemas}"##
    )
}

const WALLET: &str = "    Wallet:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        logs:\n          type: array\n          items:\n            type: object\n            properties:\n              type: {type: string, enum: [send, receive]}\n    Input:\n      type: object\n      properties:\n        amount: {type: number}\n";

fn kinds(changes: &[diff::Change]) -> Vec<(&str, Severity, &str)> {
    changes
        .iter()
        .map(|c| (c.kind, c.severity, c.location.as_str()))
        .collect()
}

#[test]
fn nested_changes_are_found_and_located_under_their_operation() {
    let old = spec(WALLET, "");
    let new = spec(
        &WALLET.replace("enum: [send, receive]", "enum: [send, receive, freezeKey]"),
        "",
    );
    let found = changes(&old, &new);
    assert_eq!(
        kinds(&found),
        [(
            "property-enum-value-added",
            Severity::Breaking,
            "GET /wallets/{walletId} › 200 › logs[].type"
        )]
    );
    assert_eq!(
        found[0].pointer,
        "/components/schemas/Wallet/properties/logs/items/properties/type"
    );
}

#[test]
fn request_bodies_and_parameters_are_compared_structurally() {
    // A request property narrowed from number to integer.
    let old = spec(WALLET, "");
    let new = spec(
        &WALLET.replace("amount: {type: number}", "amount: {type: integer}"),
        "",
    );
    assert_eq!(
        kinds(&changes(&old, &new)),
        [(
            "property-type-changed",
            Severity::Breaking,
            "POST /wallets › body › amount"
        )]
    );
    // A query enum value removed.
    let param = |values: &str| {
        format!(
            "        - {{name: state, in: query, schema: {{type: string, enum: [{values}]}}}}\n"
        )
    };
    let old = spec(WALLET, &param("active, archived"));
    let new = spec(WALLET, &param("active"));
    assert_eq!(
        kinds(&changes(&old, &new)),
        [(
            "property-enum-value-removed",
            Severity::Breaking,
            "GET /wallets/{walletId} › query state"
        )]
    );
}

/// Twilio sends its write operations' bodies as forms: progenitor makes a
/// type of a form body's schema as of a JSON one (found in Twilio's history:
/// `required` dropped from a form body, `type: object` from its property).
/// Of several media types, the client sends the JSON one, and only its
/// schema is compared.
#[test]
fn the_body_the_client_sends_is_compared_form_or_json() {
    let form = |old: &str, new: &str| {
        let body = |media: &str| {
            spec(WALLET, "").replace(
                "content: {application/json: {schema: {$ref: \"#/components/schemas/Input\"}}}",
                media,
            )
        };
        changes(&body(old), &body(new))
    };
    let in_form = |schema: &str| {
        format!("content: {{application/x-www-form-urlencoded: {{schema: {schema}}}}}")
    };
    assert_eq!(
        kinds(&form(
            &in_form("{type: object, required: [To], properties: {To: {type: string}}}"),
            &in_form("{type: object, properties: {To: {type: string}}}"),
        )),
        [(
            "property-became-optional",
            Severity::Compatible,
            "POST /wallets › body › To"
        )]
    );
    assert_eq!(
        kinds(&form(
            &in_form("{type: object, properties: {Data: {type: object}}}"),
            &in_form("{type: object, properties: {Data: {}}}"),
        )),
        [(
            "property-type-removed",
            Severity::Compatible,
            "POST /wallets › body › Data"
        )]
    );
    // A multipart body beside the JSON one is not what the client sends.
    let both = |multipart: &str, json: &str| {
        format!(
            "content: {{multipart/form-data: {{schema: {multipart}}}, application/json: {{schema: {json}}}}}"
        )
    };
    let object = |ty: &str| format!("{{type: object, properties: {{n: {{type: {ty}}}}}}}");
    assert_eq!(
        kinds(&form(
            &both(&object("string"), &object("string")),
            &both(&object("integer"), &object("string"))
        )),
        []
    );
    assert_eq!(
        kinds(&form(
            &both(&object("string"), &object("string")),
            &both(&object("string"), &object("integer"))
        )),
        [(
            "property-type-changed",
            Severity::Breaking,
            "POST /wallets › body › n"
        )]
    );
}

/// A constraint's change bumps the models as the Rust type changes
/// (`target::types::constrained`), not by its rule alone: typify makes
/// `minimum: 1` a `NonZeroU64` (found in no fixture; Twilio's history
/// tightens page sizes' `maximum`, which changes no Rust type).
#[test]
fn a_constraint_bumps_the_models_as_their_rust_type_changes() {
    let bump = |old: &str, new: &str| -> Vec<(&'static str, Bump)> {
        let with = |amount: &str| spec(&WALLET.replace("amount: {type: number}", amount), "");
        changes(&with(old), &with(new))
            .iter()
            .map(|c| (c.kind, c.models_bump))
            .collect()
    };
    // u64 -> NonZeroU64.
    assert_eq!(
        bump(
            "amount: {type: integer, minimum: 0}",
            "amount: {type: integer, minimum: 1}"
        ),
        [("property-limit-tightened", Bump::Major)]
    );
    // i64 either way.
    assert_eq!(
        bump(
            "amount: {type: integer, maximum: 1000}",
            "amount: {type: integer, maximum: 100}"
        ),
        [("property-limit-tightened", Bump::Patch)]
    );
    // The newtype checks another length.
    assert_eq!(
        bump(
            "amount: {type: string, maxLength: 5}",
            "amount: {type: string, maxLength: 3}"
        ),
        [("property-limit-tightened", Bump::Minor)]
    );
    // Still a newtype: it checks less.
    assert_eq!(
        bump(
            "amount: {type: string, maxLength: 5, pattern: '^a+$'}",
            "amount: {type: string, maxLength: 5}"
        ),
        [("property-pattern-removed", Bump::Minor)]
    );
    // A newtype no more.
    assert_eq!(
        bump(
            "amount: {type: string, pattern: '^a+$'}",
            "amount: {type: string}"
        ),
        [("property-pattern-removed", Bump::Major)]
    );
    // Items: `[T; 2]` -> `Vec<T>`; a date-time's length is checked nowhere.
    assert_eq!(
        bump(
            "amount: {type: array, items: {type: string}, minItems: 2, maxItems: 2}",
            "amount: {type: array, items: {type: string}, minItems: 1, maxItems: 2}"
        ),
        [("property-limit-loosened", Bump::Major)]
    );
    assert_eq!(
        bump(
            "amount: {type: string, format: date-time, maxLength: 40}",
            "amount: {type: string, format: date-time}"
        ),
        [("property-limit-removed", Bump::Patch)]
    );
    // OpenAPI 3.0's boolean bound: `minimum: 0` made exclusive is
    // `minimum: 1` to typify.
    assert_eq!(
        bump(
            "amount: {type: integer, minimum: 0}",
            "amount: {type: integer, minimum: 0, exclusiveMinimum: true}"
        ),
        [("property-limit-tightened", Bump::Major)]
    );
    // typify checks `multipleOf` nowhere; 2 -> 3 narrows and widens.
    assert_eq!(
        bump(
            "amount: {type: integer, multipleOf: 2}",
            "amount: {type: integer, multipleOf: 3}"
        ),
        [
            ("property-limit-loosened", Bump::Patch),
            ("property-limit-tightened", Bump::Patch)
        ]
    );
}

/// `additionalProperties` between absent, `false` and a schema: typify
/// adds `deny_unknown_fields` for `false` (minor: the struct keeps its
/// fields) and an `extra` map field for a schema (major). Before, the diff
/// compared it only when both sides were schemas.
#[test]
fn additional_properties_change_the_wire_and_the_struct() {
    let found = |old: &str, new: &str| -> Vec<(&'static str, Severity, Bump)> {
        let wallet = |extra: &str| {
            let schemas = WALLET.replace(
                "    Wallet:\n      type: object\n",
                &format!("    Wallet:\n      type: object\n{extra}"),
            );
            spec(&schemas, "")
        };
        changes(&wallet(old), &wallet(new))
            .iter()
            .map(|c| (c.kind, c.severity, c.models_bump))
            .collect()
    };
    let forbidden = "      additionalProperties: false\n";
    let typed = "      additionalProperties: {type: string}\n";
    // `Wallet` is read: more members may reach old readers.
    assert_eq!(
        found(forbidden, ""),
        [(
            "additional-properties-widened",
            Severity::Breaking,
            Bump::Minor
        )]
    );
    assert_eq!(
        found("", typed),
        [(
            "additional-properties-narrowed",
            Severity::Compatible,
            Bump::Major
        )]
    );
    assert_eq!(
        found(typed, forbidden),
        [(
            "additional-properties-narrowed",
            Severity::Compatible,
            Bump::Major
        )]
    );
    assert_eq!(found("", "      additionalProperties: true\n"), []);
    // The same wire; typify makes an `extra` map of `{}`.
    assert_eq!(
        found("", "      additionalProperties: {}\n"),
        [(
            "additional-properties-map-changed",
            Severity::Compatible,
            Bump::Major
        )]
    );
    // Without properties, typify makes the same map of `{}` as of none
    // (BitGo's `PlatformError.context`), and an empty struct of `false`.
    let object = |extra: &str| {
        let schemas = WALLET.replace(
            "        id: {type: string}\n",
            &format!("        id: {{type: string}}\n        context: {{type: object{extra}}}\n"),
        );
        spec(&schemas, "")
    };
    let context = |old: &str, new: &str| -> Vec<(&'static str, Bump)> {
        changes(&object(old), &object(new))
            .iter()
            .map(|c| (c.kind, c.models_bump))
            .collect()
    };
    assert_eq!(context("", ", additionalProperties: {}"), []);
    assert_eq!(
        context("", ", additionalProperties: false"),
        [("additional-properties-narrowed", Bump::Major)]
    );
}

#[test]
fn a_schema_sent_and_read_gets_the_stricter_verdict() {
    // `Shared` is read (in Wallet) and sent (in Input): removing an enum
    // value is compatible for readers, breaking for writers.
    let shared = "    Shared: {type: string, enum: [a, b]}\n";
    let schemas = format!(
        "{}{shared}",
        WALLET
            .replace("        id: {type: string}\n", "        id: {type: string}\n        shared: {$ref: \"#/components/schemas/Shared\"}\n")
            .replace("        amount: {type: number}\n", "        amount: {type: number}\n        shared: {$ref: \"#/components/schemas/Shared\"}\n")
    );
    let found = changes(
        &spec(&schemas, ""),
        &spec(&schemas.replace("enum: [a, b]", "enum: [a]"), ""),
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].severity, Severity::Breaking);
    assert_eq!(
        found[0].locations,
        [
            "GET /wallets/{walletId} › 200 › shared",
            "POST /wallets › body › shared"
        ]
    );
}

#[test]
fn refactors_that_keep_the_wire_are_not_breaking() {
    // Inline → `$ref`, and a `$ref` to a structurally equal schema.
    let inline = spec(WALLET, "");
    let moved = spec(
        &(WALLET.replace(
            "          items:\n            type: object\n            properties:\n              type: {type: string, enum: [send, receive]}\n",
            "          items: {$ref: \"#/components/schemas/Log\"}\n",
        ) + "    Log:\n      type: object\n      properties:\n        type: {type: string, enum: [send, receive]}\n"),
        "",
    );
    let found = changes(&inline, &moved);
    assert!(
        found.iter().all(|c| c.severity == Severity::Compatible),
        "{found:#?}"
    );
    // An object written out → `allOf` of a `$ref` and the rest.
    let composed = spec(
        &WALLET.replace(
            "    Wallet:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n",
            "    Base:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n    Wallet:\n      allOf:\n        - $ref: \"#/components/schemas/Base\"\n        - type: object\n          properties:\n",
        )
        .replace("        logs:\n          type: array\n          items:\n            type: object\n            properties:\n              type:", "            logs:\n              type: array\n              items:\n                type: object\n                properties:\n                  type:"),
        "",
    );
    let found = changes(&inline, &composed);
    assert!(
        found.iter().all(|c| c.severity == Severity::Compatible),
        "{found:#?}"
    );
    // A renamed path parameter: the same URL.
    let renamed = inline
        .replace("{walletId}", "{id}")
        .replace("name: walletId", "name: id");
    let found = changes(&inline, &renamed);
    assert_eq!(
        kinds(&found),
        [(
            "path-parameter-renamed",
            Severity::Compatible,
            "GET /wallets/{id}"
        )]
    );
}

#[test]
fn recursive_schemas_terminate() {
    let tree = "    Wallet:\n      type: object\n      properties:\n        children: {type: array, items: {$ref: \"#/components/schemas/Wallet\"}}\n        name: {type: string}\n    Input: {type: object}\n";
    let found = changes(
        &spec(tree, ""),
        &spec(
            &tree.replace("name: {type: string}", "name: {type: integer}"),
            "",
        ),
    );
    assert_eq!(
        kinds(&found),
        [(
            "property-type-changed",
            Severity::Breaking,
            "GET /wallets/{walletId} › 200 › name"
        )]
    );
}

#[test]
fn a_large_change_fits_a_pull_request_comment() {
    // 400 operations, each changed: the Markdown stays under the limit and
    // points to the JSON report.
    let mut old = String::from("openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n");
    for i in 0..400 {
        old.push_str(&format!(
            "  /things{i}:\n    get:\n      operationId: get{i}\n      responses:\n        \"200\":\n          description: ok\n          content: {{application/json: {{schema: {{type: object, required: [a], properties: {{a: {{type: string}}, b: {{type: string}}}}}}}}}}\n"
        ));
    }
    let new = old
        .replace("required: [a], ", "")
        .replace("b: {type: string}", "b: {type: integer}");
    let found = changes(&old, &new);
    assert_eq!(found.len(), 800);
    let markdown = diff::markdown("old", "new", &crates(), &found);
    assert!(
        markdown.len() <= diff::report::MARKDOWN_LIMIT,
        "{}",
        markdown.len()
    );
    assert!(
        markdown.contains("did not fit in this comment"),
        "{markdown}"
    );
    assert!(markdown.contains("**800** breaking"));
    let notes: Vec<String> = (0..100)
        .map(|i| format!("not generated: {}", "x".repeat(i * 10)))
        .collect();
    let notes = diff::report::markdown_notes(&notes);
    assert!(notes.len() <= diff::report::NOTES_LIMIT, "{}", notes.len());
    assert!(markdown.len() + notes.len() <= 60_000);
}
