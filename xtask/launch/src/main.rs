//! `cargo xtask`: see the library's documentation, README.md and ARCHITECTURE.md.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::SystemTime;

use xtask_launch::{Launch, Launched, READS_VAR, launch, toolchain};

fn main() -> ExitCode {
    let started = SystemTime::now();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the launcher lives at xtask/launch in the workspace")
        .to_path_buf();
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let stamp = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("xtask-check.stamp")))
        .unwrap_or_else(|| root.join("target/xtask-check.stamp"));
    let this = Launch {
        // Arguments that are not UTF-8 are never a plain `check`.
        args: args
            .iter()
            .map(|a| a.to_str().unwrap_or("\u{fffd}").to_string())
            .collect(),
        xtask_vars: std::env::vars_os()
            .any(|(name, _)| name.to_string_lossy().starts_with("XTASK_")),
        toolchain: toolchain(),
        stamp,
        root: root.clone(),
        started,
    };
    let run = |reads: Option<&Path>| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(["run", "--package", "xtask", "--manifest-path"])
            .arg(root.join("Cargo.toml"))
            .arg("--")
            .args(&args);
        if let Some(reads) = reads {
            command.env(READS_VAR, reads);
        }
        // Killed by a signal: as a shell reports it.
        Ok(command.status()?.code().unwrap_or(128))
    };
    match launch(&this, run) {
        Ok(Launched::Fresh(message)) => {
            println!("{message} (nothing the last passing check read has changed)");
            ExitCode::SUCCESS
        }
        Ok(Launched::Ran { code, .. }) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            eprintln!("error: cargo xtask: cannot run cargo: {e}");
            ExitCode::from(2)
        }
    }
}
