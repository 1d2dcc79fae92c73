//! `cargo xtask`: see `cargo xtask --help`, README.md and ARCHITECTURE.md.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use openapi_codegen::diff::{Severity, report};

mod allocator;

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
        /// With --spec: split the models into a crate per N groups of tags,
        /// plus one for the types they share and one for the types no
        /// operation reaches (cargo checks two at a time)
        #[arg(long, value_name = "N", requires = "spec", default_value_t = 0)]
        model_groups: usize,
        /// With --spec: builder-style operations and struct builders, as
        /// `builders = true` in openapi/apis.toml makes them
        #[arg(long, requires = "spec")]
        builders: bool,
        /// With --spec: stop generating past this many seconds
        /// (`budget` in openapi/apis.toml for its APIs)
        #[arg(long, value_name = "SECS", requires = "spec", default_value_t = xtask::budget::Budget::default().seconds)]
        budget_seconds: u64,
        /// With --spec: stop generating past this much resident memory
        #[arg(long, value_name = "MIB", requires = "spec", default_value_t = xtask::budget::Budget::default().memory_mib)]
        budget_memory_mib: u64,
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
    /// Do the generated models keep every valid body? Runs the `roundtrip`
    /// package (`cargo xtask roundtrip --help` for its options), built on
    /// first use
    #[command(disable_help_flag = true)]
    Roundtrip {
        /// Its arguments, passed on
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
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
    allocator::install();
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
        Command::Roundtrip { args } => roundtrip(&root, only.as_deref(), &args),
        Command::Synth { operations } => {
            print!("{}", xtask::synthetic::spec_yaml(operations));
            ExitCode::SUCCESS
        }
        Command::Generate {
            spec,
            out,
            explain,
            strict,
            model_groups,
            builders,
            budget_seconds,
            budget_memory_mib,
        } => {
            let options = xtask::generate::Options {
                only,
                explain,
                strict,
                model_groups,
                builders,
                budget: xtask::budget::Budget {
                    seconds: budget_seconds,
                    memory_mib: budget_memory_mib,
                },
                skip_passes: xtask::skipped_passes(),
                timings: std::env::var_os("XTASK_TIMINGS").is_some_and(|v| v != "0"),
            };
            let generated = match (spec, out) {
                (Some(spec), Some(out)) => xtask::generate::run_spec(&spec, &out, &options),
                _ => xtask::generate::run(&root, &options),
            };
            match generated {
                Ok(printed) => {
                    for line in &printed.stdout {
                        println!("{line}");
                    }
                    for line in &printed.stderr {
                        eprintln!("{line}");
                    }
                    printed.reads.hand_to_launcher();
                    ExitCode::SUCCESS
                }
                Err(e) => e.exit(),
            }
        }
        Command::Check => match xtask::check::run(&root, only.as_deref()) {
            Ok(checked) if checked.stale.is_empty() => {
                println!("{}", checked.reads.message());
                checked.reads.hand_to_launcher();
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
            Err(e) => e.exit(),
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

/// `cargo xtask roundtrip`: the `roundtrip` package's binary, run through
/// cargo in this xtask's workspace. It is a package of its own so that the
/// first `cargo xtask generate` does not build the JSON Schema validator
/// that only the round trip needs.
fn roundtrip(root: &std::path::Path, only: Option<&str>, args: &[std::ffi::OsString]) -> ExitCode {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .join("Cargo.toml");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = std::process::Command::new(cargo);
    command
        .args([
            "run",
            "--quiet",
            "--package",
            "roundtrip",
            "--manifest-path",
        ])
        .arg(manifest)
        .arg("--")
        .arg("--root")
        .arg(root);
    if let Some(api) = only {
        command.args(["--api", api]);
    }
    match command.args(args).status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => xtask::Error::Harness(format!("cannot run cargo for the round trip: {e}")).exit(),
    }
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
            match xtask::diff::both(|| load(old), || load(new)) {
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
