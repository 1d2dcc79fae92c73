//! `cargo xtask`: see `cargo xtask --help`, README.md and ARCHITECTURE.md.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use openapi_codegen::diff::{Severity, report};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generate the crates of each API in openapi/apis.toml (bitgo-models, bitgo-client and bitgo-mock from openapi/bitgo.yaml), check that they are fresh, or judge a spec change."
)]
struct Cli {
    /// The workspace to act on [default: the one this xtask belongs to]
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Act on this API of openapi/apis.toml only [default: every API]
    #[arg(long, global = true, value_name = "NAME")]
    api: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the generated files from the spec (writes only what changed)
    Generate {
        /// Generate from this spec instead of the APIs of openapi/apis.toml (needs --out)
        #[arg(long, value_name = "PATH", requires = "out", conflicts_with = "api")]
        spec: Option<PathBuf>,
        /// Write a standalone workspace with the models and client crates
        /// into this directory, ready for `cargo check` (needs --spec)
        #[arg(long, value_name = "DIR", requires = "spec")]
        out: Option<PathBuf>,
        /// List every change the normalization passes made to the spec
        #[arg(long)]
        explain: bool,
        /// Exit 1 when an operation, parameter or response had to be dropped
        #[arg(long)]
        strict: bool,
    },
    /// Exit 1 with a diff if any generated file differs from what the spec generates
    Check,
    /// Report what a spec change does on the wire and to the generated crates
    Diff {
        /// Compare the spec at this git revision with the working tree's
        /// [default: the merge-base with main]
        #[arg(long, value_name = "GIT_REV", conflicts_with = "specs")]
        base: Option<String>,
        /// Compare these two spec files instead: OLD NEW
        #[arg(num_args = 2, value_names = ["OLD", "NEW"])]
        specs: Vec<PathBuf>,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// Exit 1 when a change at least this severe is present
        #[arg(long, value_enum, value_name = "SEVERITY")]
        fail_on: Option<FailOn>,
    },
    /// Compare stock progenitor's public surface with ours on these specs
    /// (types, fields and their docs, variants, client methods)
    Faithful {
        /// OpenAPI 3.0 documents
        #[arg(required = true)]
        specs: Vec<PathBuf>,
    },
    /// Do the generated models keep every valid body? Seeded instances of
    /// each component schema (and one-constraint mutants) are read by the
    /// models and written back; exit 1 when a valid one is refused, a round
    /// trip loses or changes data, or a mutant is accepted with no
    /// documented leniency
    Roundtrip {
        /// OpenAPI 3.0 documents [default: the specs of openapi/apis.toml]
        specs: Vec<PathBuf>,
        /// Where the generated crates and the harness go
        #[arg(long, value_name = "DIR", default_value = "target/roundtrip")]
        out: PathBuf,
        /// Valid instances per component schema
        #[arg(long, default_value_t = 20)]
        instances: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print every failure, not the first ten per spec
        #[arg(long)]
        all: bool,
    },
    /// Print a synthetic spec in the style of openapi/bitgo.yaml (for benchmarks)
    Synth {
        /// Number of operations (each adds two schemas)
        #[arg(long, default_value_t = 100)]
        operations: usize,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Markdown,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    Breaking,
    MayBreak,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask lives one level below the workspace root")
            .to_path_buf()
    });
    let only = cli.api;
    match cli.command {
        Command::Diff {
            base,
            specs,
            format,
            fail_on,
        } => diff(&root, only.as_deref(), base, specs, format, fail_on),
        Command::Faithful { specs } => faithful(&specs),
        Command::Roundtrip {
            specs,
            out,
            instances,
            seed,
            all,
        } => roundtrip(&root, only.as_deref(), specs, out, instances, seed, all),
        Command::Synth { operations } => {
            print!("{}", xtask::synthetic::spec_yaml(operations));
            ExitCode::SUCCESS
        }
        Command::Generate {
            spec,
            out,
            explain,
            strict,
        } => {
            let options = xtask::generate::Options {
                only,
                explain,
                strict,
                skip_passes: skipped_passes(),
                timings: std::env::var_os("XTASK_TIMINGS").is_some_and(|v| v != "0"),
            };
            let generated = match (spec, out) {
                (Some(spec), Some(out)) => xtask::generate::run_spec(&spec, &out, &options),
                _ => xtask::generate::run(&root, &options),
            };
            match generated {
                Ok(printed) => {
                    for line in printed.stdout {
                        println!("{line}");
                    }
                    for line in printed.stderr {
                        eprintln!("{line}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Check => match xtask::check::run(&root, only.as_deref()) {
            Ok(checked) if checked.stale.is_empty() => {
                println!(
                    "generated files are fresh with {}",
                    checked.specs.join(", ")
                );
                ExitCode::SUCCESS
            }
            Ok(xtask::check::Checked { stale, .. }) => {
                for file in &stale {
                    print!("{}", file.diff);
                }
                for file in &stale {
                    let what = if file.missing { "missing" } else { "stale" };
                    eprintln!("error: {} is {what}", file.path);
                }
                eprintln!("help: run `cargo xtask generate` and commit the result");
                ExitCode::FAILURE
            }
            Err(e) => fail(&e),
        },
    }
}

/// `cargo xtask faithful`: exit 1 when a spec that stock progenitor takes
/// comes out with a difference no pass or rewrite explains, or a lost doc.
fn faithful(specs: &[PathBuf]) -> ExitCode {
    use openapi_codegen::surface::{Refusal, compare_with_stock};
    let mut failed = false;
    for path in specs {
        let label = path.display().to_string();
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("error: {label}: cannot read");
            failed = true;
            continue;
        };
        let api = xtask::config::Api::standalone(path);
        match compare_with_stock(&label, &text, &api.settings()) {
            Err(Refusal::StockFails(why)) => {
                println!("{label}: stock progenitor fails ({why}); nothing to compare")
            }
            Err(Refusal::OursFails(why)) => {
                eprintln!("error: {why}");
                failed = true;
            }
            Ok(c) => {
                let passes: Vec<String> =
                    c.passes.iter().map(|(p, n)| format!("{p} ×{n}")).collect();
                println!(
                    "{label}: {} only in stock, {} only in ours, {} docs lost, {} by rewrites; passes: {}",
                    c.only_stock.len(),
                    c.only_ours.len(),
                    c.lost_docs.len(),
                    c.rewrites.len(),
                    if passes.is_empty() {
                        "none".to_string()
                    } else {
                        passes.join(", ")
                    }
                );
                for item in &c.only_stock {
                    println!("  - {item}");
                }
                for item in &c.only_ours {
                    println!("  + {item}");
                }
                for item in &c.lost_docs {
                    println!("  doc lost: {item}");
                }
                failed |= !c.is_faithful();
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `XTASK_SKIP_PASSES=a,b`: the normalization passes to leave out.
fn skipped_passes() -> Vec<String> {
    std::env::var("XTASK_SKIP_PASSES")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `cargo xtask roundtrip`: one summary line per spec, then its failures.
fn roundtrip(
    root: &std::path::Path,
    only: Option<&str>,
    specs: Vec<PathBuf>,
    out: PathBuf,
    instances: usize,
    seed: u64,
    all: bool,
) -> ExitCode {
    let specs = if specs.is_empty() {
        match xtask::config::load(root, only) {
            Ok(apis) => apis.iter().map(|a| root.join(&a.spec)).collect(),
            Err(e) => return fail(&xtask::Error::Config(e)),
        }
    } else {
        specs
    };
    let options = xtask::roundtrip::Options {
        out: if out.is_absolute() {
            out
        } else {
            root.join(out)
        },
        instances,
        seed,
        lockfile: Some(root.join("Cargo.lock")),
        target_dir: None,
        skip_passes: skipped_passes(),
    };
    let reports = match xtask::roundtrip::run(&specs, &options) {
        Ok(reports) => reports,
        Err(e) => return fail(&e),
    };
    let mut clean = true;
    for report in &reports {
        println!("{}", report.summary());
        for (i, (what, failure)) in report.failures().enumerate() {
            if i == 10 && !all {
                println!("  ... (--all lists every failure)");
                break;
            }
            println!(
                "  {what}: {}: {}: {}",
                failure.schema, failure.what, failure.instance
            );
        }
        clean &= report.is_clean();
    }
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn fail(error: &xtask::Error) -> ExitCode {
    for line in error.to_string().lines() {
        eprintln!("error: {line}");
    }
    ExitCode::FAILURE
}

/// `cargo xtask diff`: exit 0, 1 when `--fail-on` matches, 2 on unreadable input.
/// Without OLD NEW, one report per API of openapi/apis.toml (or `--api`).
fn diff(
    root: &std::path::Path,
    only: Option<&str>,
    base: Option<String>,
    specs: Vec<PathBuf>,
    format: Format,
    fail_on: Option<FailOn>,
) -> ExitCode {
    let unreadable = |e: String| {
        for line in e.lines() {
            eprintln!("error: {line}");
        }
        ExitCode::from(2)
    };
    let pairs = match specs.as_slice() {
        [old, new] => {
            let load = |path: &PathBuf| xtask::diff::load_file(path);
            match (load(old), load(new)) {
                (Ok(old), Ok(new)) => {
                    // Rust items are named for `--api`'s crates, or for the
                    // crates `generate --spec NEW --out DIR` would make.
                    let api = match only {
                        Some(_) => match xtask::config::load(root, only) {
                            Ok(mut apis) => apis.remove(0),
                            Err(e) => return unreadable(e),
                        },
                        None => {
                            xtask::config::Api::standalone(std::path::Path::new(&new.document.file))
                        }
                    };
                    vec![(api, old, new)]
                }
                (Err(e), _) | (_, Err(e)) => return unreadable(e),
            }
        }
        _ => {
            let apis = match xtask::config::load(root, only) {
                Ok(apis) => apis,
                Err(e) => return unreadable(e),
            };
            let mut pairs = Vec::new();
            for api in apis {
                match xtask::diff::load_git(root, &api.spec, base.as_deref()) {
                    Ok((old, new)) => pairs.push((api, old, new)),
                    Err(e) => return unreadable(e),
                }
            }
            pairs
        }
    };
    let threshold = match fail_on {
        Some(FailOn::Breaking) => Some(Severity::Breaking),
        Some(FailOn::MayBreak) => Some(Severity::MayBreak),
        None => None,
    };
    let mut failed = false;
    for (api, old, new) in pairs {
        let crates = api.crates();
        let changes = xtask::diff::compare(&old, &new, &crates);
        let notes = xtask::diff::generation_notes(&old, &new, &api);
        match format {
            Format::Markdown => print!(
                "{}{}",
                report::markdown(&old.label, &new.label, &crates, &changes),
                report::markdown_notes(&notes)
            ),
            Format::Json => {
                let mut json = report::json(&old.label, &new.label, &crates, &changes);
                json["generation"] = serde_json::json!(notes);
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json).expect("JSON values serialize")
                )
            }
        }
        failed |= threshold.is_some_and(|t| changes.iter().any(|c| c.severity >= t));
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
