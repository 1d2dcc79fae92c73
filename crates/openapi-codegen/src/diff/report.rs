//! The reports: Markdown for a pull-request comment, JSON for tools.

use serde_json::Value;

use super::{Bump, Change, Crates, Severity};

/// The report's summary: the worst severity and the bumps needed.
pub struct Summary {
    pub worst: Option<Severity>,
    pub models_bump: Option<Bump>,
    pub client_bump: Option<Bump>,
}

pub fn summarize(changes: &[Change]) -> Summary {
    Summary {
        worst: changes.iter().map(|c| c.severity).max(),
        models_bump: changes.iter().map(|c| c.models_bump).max(),
        client_bump: changes.iter().map(|c| c.client_bump).max(),
    }
}

/// Markdown for a pull-request comment.
pub fn markdown(old_label: &str, new_label: &str, crates: &Crates, changes: &[Change]) -> String {
    let mut out = String::new();
    let summary = summarize(changes);
    out.push_str(&format!(
        "## API changes: `{old_label}` → `{new_label}`\n\n"
    ));
    if changes.is_empty() {
        out.push_str("No changes to the API.\n");
        return out;
    }
    let count = |s: Severity| changes.iter().filter(|c| c.severity == s).count();
    out.push_str(&format!(
        "**{}** breaking, **{}** may break, **{}** compatible. Semver: `{}` {}, `{}` {}.\n\n",
        count(Severity::Breaking),
        count(Severity::MayBreak),
        count(Severity::Compatible),
        Crates::package(&crates.models),
        summary.models_bump.map_or("none", Bump::as_str),
        Crates::package(&crates.client),
        summary.client_bump.map_or("none", Bump::as_str),
    ));
    out.push_str("| wire | change | where | what | Rust items | models | client |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.location.cmp(&b.location))
    });
    for c in sorted {
        let icon = match c.severity {
            Severity::Breaking => "🔴 breaking",
            Severity::MayBreak => "🟠 may break",
            Severity::Compatible => "🟢 compatible",
        };
        let items: Vec<String> = c.rust_items.iter().map(|i| format!("`{i}`")).collect();
        out.push_str(&format!(
            "| {icon} | `{}` | `{}` | {} | {} | {} | {} |\n",
            c.kind,
            c.location,
            c.detail.replace('|', "\\|"),
            items.join("<br>"),
            c.models_bump.as_str(),
            c.client_bump.as_str(),
        ));
    }
    out
}

/// The same report as JSON. Its shape is stable: `old`, `new`, `crates`
/// (`models` and `client`: the package names), `summary` (`worst` severity,
/// `models` and `client` bumps; `null` without changes) and `changes`, each
/// with `kind`, `location`, `detail`, `severity`, `rust_items`, `models`
/// and `client` (the bumps).
pub fn json(old_label: &str, new_label: &str, crates: &Crates, changes: &[Change]) -> Value {
    let summary = summarize(changes);
    serde_json::json!({
        "old": old_label,
        "new": new_label,
        "crates": {
            "models": Crates::package(&crates.models),
            "client": Crates::package(&crates.client),
        },
        "summary": {
            "worst": summary.worst.map(Severity::as_str),
            "models": summary.models_bump.map(Bump::as_str),
            "client": summary.client_bump.map(Bump::as_str),
        },
        "changes": changes.iter().map(|c| serde_json::json!({
            "kind": c.kind,
            "location": c.location,
            "detail": c.detail,
            "severity": c.severity.as_str(),
            "rust_items": c.rust_items,
            "models": c.models_bump.as_str(),
            "client": c.client_bump.as_str(),
        })).collect::<Vec<_>>(),
    })
}
