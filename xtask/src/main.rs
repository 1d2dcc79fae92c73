//! `cargo xtask`: see `cargo xtask --help`, README.md and ARCHITECTURE.md.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::pipeline::SPEC_PATH;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generate bitgo-models, bitgo-client and bitgo-mock from openapi/bitgo.yaml, check that they are fresh, or judge a spec change."
)]
struct Cli {
    /// The workspace to act on [default: the one this xtask belongs to]
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the generated files from the spec (writes only what changed)
    Generate {
        /// Generate from this spec instead of openapi/bitgo.yaml (needs --out)
        #[arg(long, value_name = "PATH", requires = "out")]
        spec: Option<PathBuf>,
        /// Write the generated files below this directory (needs --spec)
        #[arg(long, value_name = "DIR", requires = "spec")]
        out: Option<PathBuf>,
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
    match cli.command {
        Command::Diff {
            base,
            specs,
            format,
            fail_on,
        } => diff(&root, base, specs, format, fail_on),
        Command::Synth { operations } => {
            print!("{}", xtask::synthetic::spec_yaml(operations));
            ExitCode::SUCCESS
        }
        Command::Generate { spec, out } => {
            let generated = match (spec, out) {
                (Some(spec), Some(out)) => xtask::generate::run_spec(&spec, &out),
                _ => xtask::generate::run(&root),
            };
            match generated {
                Ok(summary) => {
                    println!("{summary}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Check => match xtask::check::run(&root) {
            Ok(stale) if stale.is_empty() => {
                println!("generated files are fresh with {SPEC_PATH}");
                ExitCode::SUCCESS
            }
            Ok(stale) => {
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

fn fail(error: &xtask::Error) -> ExitCode {
    for line in error.to_string().lines() {
        eprintln!("error: {line}");
    }
    ExitCode::FAILURE
}

/// `cargo xtask diff`: exit 0, 1 when `--fail-on` matches, 2 on unreadable input.
fn diff(
    root: &std::path::Path,
    base: Option<String>,
    specs: Vec<PathBuf>,
    format: Format,
    fail_on: Option<FailOn>,
) -> ExitCode {
    let loaded = match specs.as_slice() {
        [old, new] => xtask::diff::load_files(old, new),
        _ => xtask::diff::load_git(root, base.as_deref()),
    };
    let (old, new) = match loaded {
        Ok(pair) => pair,
        Err(e) => {
            for line in e.lines() {
                eprintln!("error: {line}");
            }
            return ExitCode::from(2);
        }
    };
    let changes = xtask::diff::compare(&old.1, &new.1);
    match format {
        Format::Markdown => print!("{}", xtask::diff::markdown(&old.0, &new.0, &changes)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&xtask::diff::json(&old.0, &new.0, &changes))
                .expect("JSON values serialize")
        ),
    }
    let threshold = match fail_on {
        Some(FailOn::Breaking) => xtask::diff::Severity::Breaking,
        Some(FailOn::MayBreak) => xtask::diff::Severity::MayBreak,
        None => return ExitCode::SUCCESS,
    };
    if changes.iter().any(|c| c.severity >= threshold) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
