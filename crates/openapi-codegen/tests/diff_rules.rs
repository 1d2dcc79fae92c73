//! The diff's rule registry against its fixtures: every rule has a pair
//! `tests/diff/<id>/{base,revision}.yaml` whose revision says, in a
//! `# expect: <severity>` line, the verdict the change must get. Each pair
//! must report its rule with that severity, and nothing worse.

use std::path::{Path, PathBuf};

use openapi_codegen::Document;
use openapi_codegen::diff::{self, Crates, Severity, rules::RULES};

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
                i.starts_with("things_models::") || i.starts_with("things_client::Client::")
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
