//! Stage timings, recorded (never printed) by the library; the front end
//! decides whether to show them.

use std::time::{Duration, Instant};

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
        let now = Instant::now();
        self.stages.push((name.into(), now - self.started));
        self.started = now;
    }

    pub(crate) fn into_stages(self) -> Vec<(String, Duration)> {
        self.stages
    }
}
