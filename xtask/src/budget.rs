//! Per-API limits on generation: a spec that makes progenitor or typify run
//! away (typify's `allOf` merging once took 20 GB) stops the run with a clear
//! error instead of eating the machine. Nothing has been written yet when a
//! limit is hit, so the tree stays as it was.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Limits for one API's load-and-render; `openapi/apis.toml` can set them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Wall-clock seconds.
    #[serde(default = "default_seconds")]
    pub seconds: u64,
    /// Resident memory of the whole process, in MiB (measured on Linux only).
    #[serde(default = "default_memory_mib")]
    pub memory_mib: u64,
}

fn default_seconds() -> u64 {
    120
}

fn default_memory_mib() -> u64 {
    4096
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            seconds: default_seconds(),
            memory_mib: default_memory_mib(),
        }
    }
}

/// Runs `work` under `budget`; past a limit, prints one error line naming
/// `what` and exits the process with status 1.
pub fn run<T>(what: &str, budget: Budget, work: impl FnOnce() -> T) -> T {
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let done = Arc::clone(&done);
        let what = what.to_string();
        std::thread::spawn(move || {
            let started = Instant::now();
            while !done.load(Ordering::Relaxed) {
                if started.elapsed() > Duration::from_secs(budget.seconds) {
                    exceeded(&what, &format!("{} s of time", budget.seconds));
                }
                if resident_mib().is_some_and(|mib| mib > budget.memory_mib) {
                    exceeded(&what, &format!("{} MiB of memory", budget.memory_mib));
                }
                std::thread::park_timeout(Duration::from_millis(25));
            }
        })
    };
    let result = work();
    done.store(true, Ordering::Relaxed);
    watchdog.thread().unpark();
    let _ = watchdog.join();
    result
}

fn exceeded(what: &str, limit: &str) -> ! {
    eprintln!(
        "error: {what}: generation went past its budget of {limit} and was stopped; nothing was written \
         (raise `budget` in openapi/apis.toml, or `--budget-seconds`/`--budget-memory-mib` with `--spec`; \
         find the slow stage with XTASK_TIMINGS=1)"
    );
    std::process::exit(1);
}

/// The process's resident set in MiB, where the platform tells it.
fn resident_mib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / (1024 * 1024))
}

#[cfg(test)]
mod tests {
    #[test]
    fn measures_this_process_on_linux() {
        if cfg!(target_os = "linux") {
            let mib = super::resident_mib().unwrap();
            assert!(mib > 0 && mib < 4096, "{mib}");
        }
    }

    #[test]
    fn work_within_budget_returns_its_value() {
        assert_eq!(super::run("test", super::Budget::default(), || 7), 7);
    }
}
