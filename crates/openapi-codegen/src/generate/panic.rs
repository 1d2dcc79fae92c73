//! The last line of defence: a panic inside progenitor or typify becomes an
//! error. The panic hook is process-global, so swapping it is guarded by a
//! process-wide lock: two threads generating at once cannot restore each
//! other's hook in the wrong order.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

static HOOK: Mutex<()> = Mutex::new(());

/// Runs `f`, turning a panic into its message, without the default hook
/// printing a backtrace hint to the user's terminal.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let _guard = HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_string())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn panics_become_messages_and_threads_do_not_race_on_the_hook() {
        let threads: Vec<_> = (0..4)
            .map(|i| {
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        assert_eq!(super::catch(|| i), Ok(i));
                        assert_eq!(
                            super::catch(|| -> () { panic!("boom {i}") }),
                            Err(format!("boom {i}"))
                        );
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
    }
}
