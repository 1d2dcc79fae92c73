//! `cargo xtask`: see `cargo xtask --help`, README.md and ARCHITECTURE.md.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::pipeline::SPEC_PATH;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generate bitgo-models and bitgo-client from openapi/bitgo.yaml, or check that they are fresh."
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
    Generate,
    /// Exit 1 with a diff if any generated file differs from what the spec generates
    Check,
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
        Command::Generate => match xtask::generate::run(&root) {
            Ok(summary) => {
                println!("{summary}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
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
