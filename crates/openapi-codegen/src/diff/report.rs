//! The reports: Markdown for a pull-request comment (grouped by operation,
//! counts first, details folded, never longer than [`MARKDOWN_LIMIT`]), and
//! JSON for tools (everything).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::{Bump, Change, Crates, Severity};

/// The most characters the Markdown of the changes has: with the notes of
/// [`markdown_notes`] (at most [`NOTES_LIMIT`]) a report stays under 60,000,
/// within a pull-request comment's 65,536; what does not fit is left to the
/// JSON report, and the report says so.
pub const MARKDOWN_LIMIT: usize = 54_000;

/// The most characters of [`markdown_notes`].
pub const NOTES_LIMIT: usize = 6_000;

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

fn icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Breaking => "🔴 breaking",
        Severity::MayBreak => "🟠 may break",
        Severity::Compatible => "🟢 compatible",
    }
}

/// One operation's changes, each with its places under that operation.
type Rows<'c> = Vec<(&'c Change, Vec<&'c str>)>;

/// The operation a location belongs to (`GET /a` of `GET /a › 200 › x`),
/// or `components` for schemas no operation reaches.
fn group_of(location: &str) -> &str {
    location.split(" › ").next().unwrap_or(location)
}

/// Markdown for a pull-request comment: the counts, a table of the
/// operations changed with their worst severity, then each operation's
/// changes in a folded section, worst operations first.
pub fn markdown(old_label: &str, new_label: &str, crates: &Crates, changes: &[Change]) -> String {
    let mut out = String::new();
    let summary = summarize(changes);
    let _ = writeln!(out, "## API changes: `{old_label}` → `{new_label}`\n");
    if changes.is_empty() {
        out.push_str("No changes to the API.\n");
        return out;
    }
    let count = |s: Severity| changes.iter().filter(|c| c.severity == s).count();
    let _ = writeln!(
        out,
        "**{}** breaking, **{}** may break, **{}** compatible. Semver: `{}` {}, `{}` {}.\n",
        count(Severity::Breaking),
        count(Severity::MayBreak),
        count(Severity::Compatible),
        Crates::package(&crates.models),
        summary.models_bump.map_or("none", Bump::as_str),
        Crates::package(&crates.client),
        summary.client_bump.map_or("none", Bump::as_str),
    );
    // Each change under every operation it reaches.
    let mut groups: BTreeMap<&str, Rows> = BTreeMap::new();
    for change in changes {
        let mut by_group: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for location in &change.locations {
            by_group
                .entry(group_of(location))
                .or_default()
                .push(location);
        }
        for (group, locations) in by_group {
            groups.entry(group).or_default().push((change, locations));
        }
    }
    let mut ordered: Vec<(&str, Rows)> = groups.into_iter().collect();
    let worst = |rows: &[(&Change, Vec<&str>)]| rows.iter().map(|(c, _)| c.severity).max();
    ordered.sort_by(|a, b| worst(&b.1).cmp(&worst(&a.1)).then(a.0.cmp(b.0)));
    for (_, rows) in &mut ordered {
        rows.sort_by(|a, b| b.0.severity.cmp(&a.0.severity).then(a.1.cmp(&b.1)));
    }

    out.push_str("| operation | 🔴 | 🟠 | 🟢 |\n|---|---|---|---|\n");
    let mut index = String::new();
    for (group, rows) in &ordered {
        let n = |s: Severity| rows.iter().filter(|(c, _)| c.severity == s).count();
        let _ = writeln!(
            index,
            "| `{group}` | {} | {} | {} |",
            n(Severity::Breaking),
            n(Severity::MayBreak),
            n(Severity::Compatible)
        );
    }
    // Fit the limit: the index (at most a third of it), then each
    // operation's section, worst first, each with at most `ROWS` rows (the
    // worst), as long as they fit; the rest is in the JSON report.
    const ROWS: usize = 30;
    let note = |left: usize| {
        format!(
            "\n**{left} more operation{} with changes** did not fit in this comment: see the JSON report (`cargo xtask diff --format json`).\n",
            if left == 1 { "" } else { "s" }
        )
    };
    let reserve = note(ordered.len()).len() + 64;
    let index_lines: Vec<&str> = index.lines().collect();
    let mut index_kept = 0;
    for line in &index_lines {
        if out.len() + line.len() + 1 + reserve > MARKDOWN_LIMIT / 3 {
            break;
        }
        out.push_str(line);
        out.push('\n');
        index_kept += 1;
    }
    if index_kept < index_lines.len() {
        let _ = writeln!(out, "| … {} more | | | |", index_lines.len() - index_kept);
    }
    out.push('\n');
    let mut shown = 0;
    for (group, rows) in &ordered {
        let worst = worst(rows).unwrap_or(Severity::Compatible);
        let mut section = String::new();
        let _ = writeln!(
            section,
            "<details{}><summary><code>{group}</code>: {} change{}, {}</summary>\n",
            if worst == Severity::Breaking {
                " open"
            } else {
                ""
            },
            rows.len(),
            if rows.len() == 1 { "" } else { "s" },
            icon(worst)
        );
        section.push_str("| wire | change | where | what | Rust items | models | client |\n|---|---|---|---|---|---|---|\n");
        let closing = "\n</details>\n\n";
        let mut listed = 0;
        for (change, locations) in rows.iter().take(ROWS) {
            let places: Vec<String> = locations
                .iter()
                .map(|l| {
                    format!(
                        "`{}`",
                        l.strip_prefix(group).unwrap_or(l).trim_start_matches(" › ")
                    )
                })
                .map(|l| if l == "``" { "—".to_string() } else { l })
                .collect();
            let items: Vec<String> = change.rust_items.iter().map(|i| format!("`{i}`")).collect();
            let row = format!(
                "| {} | `{}` | {} | {} | {} | {} | {} |\n",
                icon(change.severity),
                change.kind,
                places.join("<br>"),
                change.detail.replace('|', "\\|"),
                items.join("<br>"),
                change.models_bump.as_str(),
                change.client_bump.as_str(),
            );
            if out.len() + section.len() + row.len() + closing.len() + 96 + reserve > MARKDOWN_LIMIT
            {
                break;
            }
            section.push_str(&row);
            listed += 1;
        }
        if listed == 0 {
            break;
        }
        if listed < rows.len() {
            let _ = writeln!(
                section,
                "| … | | | {} more change{} of this operation are in the JSON report | | | |",
                rows.len() - listed,
                if rows.len() - listed == 1 { "" } else { "s" }
            );
        }
        section.push_str(closing);
        out.push_str(&section);
        shown += 1;
    }
    if shown < ordered.len() {
        out.push_str(&note(ordered.len() - shown));
    }
    out
}

/// What the generated crates leave out (the front end collects it from the
/// normalization's report), as a short Markdown section; empty for none.
pub fn markdown_notes(notes: &[String]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n### Generated crates\n\n{} note{}:\n\n",
        notes.len(),
        if notes.len() == 1 { "" } else { "s" }
    );
    for note in notes.iter().take(20) {
        let note: String = note.chars().take(260).collect();
        let _ = writeln!(out, "- {}", note.replace('|', "\\|"));
    }
    if notes.len() > 20 {
        let _ = writeln!(
            out,
            "- … {} more in the JSON report (`generation`)",
            notes.len() - 20
        );
    }
    out
}

/// The same report as JSON. Its shape is stable: `old`, `new`, `crates`
/// (`models` and `client`: the package names), `summary` (`worst` severity,
/// `models` and `client` bumps; `null` without changes, and the `counts`
/// by severity) and `changes`, each with `kind`, `severity`, `pointer` (in
/// the new spec, the old for what was removed), `locations` (every place it
/// is reached from), `detail`, `rust_items`, `models` and `client` (the bumps).
pub fn json(old_label: &str, new_label: &str, crates: &Crates, changes: &[Change]) -> Value {
    let summary = summarize(changes);
    let count = |s: Severity| changes.iter().filter(|c| c.severity == s).count();
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
            "counts": {
                "breaking": count(Severity::Breaking),
                "may-break": count(Severity::MayBreak),
                "compatible": count(Severity::Compatible),
            },
        },
        "changes": changes.iter().map(|c| serde_json::json!({
            "kind": c.kind,
            "severity": c.severity.as_str(),
            "pointer": c.pointer,
            "locations": c.locations,
            "detail": c.detail,
            "rust_items": c.rust_items,
            "models": c.models_bump.as_str(),
            "client": c.client_bump.as_str(),
        })).collect::<Vec<_>>(),
    })
}
