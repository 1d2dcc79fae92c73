//! The last line of defence: a panic inside progenitor or typify (or in a
//! pass that met a document the check beside it refuses) becomes an
//! error. The panic hook is process-global, so swapping it is guarded by a
//! process-wide lock: two threads generating at once cannot restore each
//! other's hook in the wrong order.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

static HOOK: Mutex<()> = Mutex::new(());

/// The longest message of a dependency kept whole, in bytes. progenitor's
/// `todo!`s and errors print what they met with `{:?}`: Stripe's form
/// bodies gave a line of 9,000 characters, the offending `MediaType` and
/// every schema in it.
const LONGEST: usize = 400;

/// Runs `f`, turning a panic into its message (cut after `LONGEST`
/// bytes, saying how much was left out), without the default hook printing
/// a backtrace hint to the user's terminal.
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
            .map_or_else(|| "(no message)".to_string(), shorten)
    })
}

/// `message` on one line (as every error's), cut at a character boundary
/// after `LONGEST` bytes: a dependency's message, which may print a
/// whole schema.
pub fn shorten(message: String) -> String {
    let message = crate::error::one_line(message);
    if message.len() <= LONGEST {
        return message;
    }
    let mut end = LONGEST;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    let left_out = message[end..].chars().count();
    format!(
        "{}… ({left_out} more characters)",
        message[..end].trim_end()
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_messages_are_cut_at_a_character_boundary() {
        let long = format!("todo: {}", "é".repeat(300));
        let caught = super::catch(|| -> () { panic!("{long}") }).unwrap_err();
        assert!(caught.starts_with("todo: éé"), "{caught}");
        assert!(caught.ends_with("é… (103 more characters)"), "{caught}");
        assert_eq!(caught.len(), 400 + "… (103 more characters)".len());
        let short = "x".repeat(super::LONGEST);
        assert_eq!(super::catch(|| -> () { panic!("{short}") }), Err(short));
    }

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
