//! Where the retry loop takes its time from.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The time the retry loop reads (for its deadline) and waits on (between
/// attempts): the system's by default, or a simulated one.
///
/// A [`Clock::simulated`] clock starts at the moment it is made and moves
/// only when the retry loop waits: each wait ends at once and adds its
/// length. Code built on the client can so test its retries, `Retry-After`
/// handling and deadlines in no time, and with the same outcome however busy
/// the machine is. Requests still go over the network in real time, each
/// limited by the per-attempt timeout and by what is left of the deadline.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    simulated: Option<Arc<Simulated>>,
}

#[derive(Debug)]
struct Simulated {
    start: Instant,
    waited: Mutex<Duration>,
}

impl Clock {
    /// The system's clock (the default).
    pub fn system() -> Self {
        Clock::default()
    }

    /// A clock that moves only by the waits of the retry loop; clones share it.
    pub fn simulated() -> Self {
        Clock {
            simulated: Some(Arc::new(Simulated {
                start: Instant::now(),
                waited: Mutex::new(Duration::ZERO),
            })),
        }
    }

    /// The current time on this clock.
    pub fn now(&self) -> Instant {
        match &self.simulated {
            None => Instant::now(),
            Some(clock) => {
                clock.start
                    + *clock
                        .waited
                        .lock()
                        .expect("a clock's lock is never poisoned")
            }
        }
    }

    /// Waits `duration` on this clock: the system's sleeps, a simulated
    /// clock moves forward and returns at once.
    pub(crate) async fn sleep(&self, duration: Duration) {
        match &self.simulated {
            None => tokio::time::sleep(duration).await,
            Some(clock) => {
                *clock
                    .waited
                    .lock()
                    .expect("a clock's lock is never poisoned") += duration;
                tokio::task::yield_now().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_simulated_clock_moves_by_its_waits_only_and_clones_share_it() {
        let clock = Clock::simulated();
        let start = clock.now();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.now(), start, "real time moved a simulated clock");
        clock.clone().sleep(Duration::from_secs(3600)).await;
        assert_eq!(clock.now() - start, Duration::from_secs(3600));
    }

    #[tokio::test]
    async fn the_system_clock_sleeps() {
        let clock = Clock::system();
        let start = clock.now();
        clock.sleep(Duration::from_millis(20)).await;
        assert!(clock.now() - start >= Duration::from_millis(20));
    }
}
