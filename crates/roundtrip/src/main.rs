//! `cargo xtask roundtrip`: one summary line per spec, then its failures;
//! exit 1 when a valid body is refused, a round trip loses or changes
//! data, or a mutant is accepted with no documented leniency.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Do the generated models keep every valid body? Seeded instances of each
/// component schema (and one-constraint mutants) are read by the models and
/// written back.
#[derive(Parser)]
#[command(name = "cargo xtask roundtrip")]
struct Cli {
    /// OpenAPI 3.0 documents [default: the specs of openapi/apis.toml]
    specs: Vec<PathBuf>,
    /// The workspace whose openapi/apis.toml and Cargo.lock to use
    #[arg(long, value_name = "DIR")]
    root: PathBuf,
    /// Only this API of openapi/apis.toml
    #[arg(long, value_name = "NAME")]
    api: Option<String>,
    /// Where the generated crates and the harness go
    #[arg(long, value_name = "DIR", default_value = "target/roundtrip")]
    out: PathBuf,
    /// Valid instances per component schema
    #[arg(long, default_value_t = 20)]
    instances: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print every failure, not the first ten per spec, and the schemas without valid instances
    #[arg(long)]
    all: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root;
    let specs = if cli.specs.is_empty() {
        match xtask::config::load(&root, cli.api.as_deref()) {
            Ok(apis) => apis.iter().map(|a| root.join(&a.spec)).collect(),
            Err(e) => return xtask::Error::Config(e).exit(),
        }
    } else {
        cli.specs
    };
    let options = roundtrip::Options {
        out: if cli.out.is_absolute() {
            cli.out
        } else {
            root.join(cli.out)
        },
        instances: cli.instances,
        seed: cli.seed,
        lockfile: Some(root.join("Cargo.lock")),
        target_dir: None,
        skip_passes: xtask::skipped_passes(),
    };
    let reports = match roundtrip::run(&specs, &options) {
        Ok(reports) => reports,
        Err(e) => return e.exit(),
    };
    let mut clean = true;
    for report in &reports {
        println!("{}", report.summary());
        for (i, (what, failure)) in report.failures().enumerate() {
            if i == 10 && !cli.all {
                println!("  ... (--all lists every failure)");
                break;
            }
            println!(
                "  {what}: {}: {}: {}",
                failure.schema, failure.what, failure.instance
            );
        }
        if cli.all && !report.judged_leniently.is_empty() {
            println!(
                "  judged as the models read them (JSON Schema's oneOf took no instance): {}",
                report.judged_leniently.join(", ")
            );
        }
        if cli.all && !report.without_instances.is_empty() {
            println!(
                "  without valid instances (the oracle took none of those made, even read so): {}",
                report.without_instances.join(", ")
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
