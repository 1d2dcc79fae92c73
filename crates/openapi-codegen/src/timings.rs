//! Stage timings, recorded (never printed) by the library; the front end
//! decides whether to show them.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// What [`at_stage_end`] set.
static STAGE_END: OnceLock<fn()> = OnceLock::new();

/// Has `hook` called at the end of every stage of loading and generating
/// (a stage's garbage is dropped by then), on the thread that runs the
/// stages. For a front end's allocator: mimalloc keeps the memory a stage
/// freed for a while, and that memory then adds to the next stage's peak;
/// `cargo xtask` hands it back here (`xtask/src/allocator.rs`). Once per
/// process: a second call leaves the first hook and returns `false`.
pub fn at_stage_end(hook: fn()) -> bool {
    STAGE_END.set(hook).is_ok()
}

/// Times consecutive stages.
pub(crate) struct Timings {
    started: Instant,
    stages: Vec<(String, Duration)>,
}

impl Timings {
    pub(crate) fn start() -> Self {
        Timings {
            started: Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Ends the current stage, naming it.
    pub(crate) fn stage(&mut self, name: impl Into<String>) {
        if let Some(hook) = STAGE_END.get() {
            hook();
        }
        let now = Instant::now();
        self.stages.push((name.into(), now - self.started));
        self.started = now;
    }

    pub(crate) fn into_stages(self) -> Vec<(String, Duration)> {
        self.stages
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::{Timings, at_stage_end};

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    fn count() {
        CALLS.fetch_add(1, Ordering::SeqCst);
    }

    /// The only test that sets the hook (it is process-wide): other tests'
    /// stages may count too, so the count grows by at least two.
    #[test]
    fn the_hook_runs_at_every_stage_end_and_is_set_once() {
        assert!(at_stage_end(count));
        assert!(!at_stage_end(|| panic!("a second hook replaced the first")));
        let mut timings = Timings::start();
        let before = CALLS.load(Ordering::SeqCst);
        timings.stage("one");
        timings.stage("two");
        assert!(CALLS.load(Ordering::SeqCst) >= before + 2);
        let stages = timings.into_stages();
        assert_eq!(
            stages
                .iter()
                .map(|(name, _)| name.as_str())
                .collect::<Vec<_>>(),
            ["one", "two"]
        );
    }
}
