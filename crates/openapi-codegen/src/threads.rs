//! The second core: whether there is one, and two pieces of work run on
//! both. Used by loading (`spec.rs`), printing (`generate/print.rs`) and
//! `cargo xtask diff`'s two sides.

/// Whether a second thread would run beside this one.
pub fn two_cores() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

/// `a` and `b`, `a` on a second thread if `threads`; a panic in either is
/// the caller's.
pub fn beside<A: Send, B>(
    threads: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if !threads {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        let a = a
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}
