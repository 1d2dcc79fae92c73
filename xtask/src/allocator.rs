//! The command's allocator: mimalloc instead of the system's.
//!
//! The generator builds and drops millions of small values (progenitor's
//! tokens, syn's trees, the rewrites' token streams), and glibc's malloc and
//! free were a third of a generation's time (`perf record` on BitGo's
//! `api.yaml`: `_int_malloc` 16 %, `_int_free`, `malloc_consolidate` and the
//! rest 18 %). With mimalloc a release build generates `api.yaml` in
//! 5.3-5.7 s instead of 6.8-7.3 s (side by side; README, "stop 31"), the
//! same bytes, at about the same peak memory (587-593 MB; 590 MB with
//! glibc), because of two choices:
//!
//! - `no_thp` (a cargo feature): no transparent huge pages, which made the
//!   peak 605-620 MB (a huge page counts whole once one byte of it is used);
//! - [`install`]: the memory each stage freed goes back to the system when
//!   the stage ends (`mi_collect`), not after mimalloc's purge delay, so a
//!   stage's garbage is not part of the next stage's peak (597-605 MB
//!   without). A short purge delay did as much for the peak, but purged
//!   inside progenitor too: Cloudflare's spec, where typify clones and
//!   drops schemas for 25 s, spent 12 s in the kernel faulting pages back in.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Has the generator hand freed memory back at the end of each stage.
pub fn install() {
    openapi_codegen::at_stage_end(collect);
}

fn collect() {
    // SAFETY: `mi_collect` takes no pointers; any thread may call it.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

#[cfg(test)]
mod tests {
    /// The resident memory, from `/proc` (Linux only).
    fn resident_kb() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// `install` takes the generator's hook, and the hook hands a stage's
    /// freed small values back to the system (the system's malloc keeps
    /// them: this fails without the global allocator above).
    #[test]
    fn the_stage_end_hook_returns_freed_memory() {
        super::install();
        assert!(!openapi_codegen::at_stage_end(|| {}), "install set no hook");
        let Some(before) = resident_kb() else {
            return; // not Linux: nothing to read the memory from
        };
        // 128 MB in 2 million small values, as a stage's syntax trees are.
        let garbage: Vec<Box<[u8; 64]>> = (0..2_000_000).map(|i| Box::new([i as u8; 64])).collect();
        let full = resident_kb().unwrap();
        assert!(full > before + 100_000, "{before} kB -> {full} kB");
        drop(garbage);
        super::collect();
        let after = resident_kb().unwrap();
        assert!(
            after < before + 20_000,
            "{before} kB, {full} kB with the values, {after} kB once they are freed and collected"
        );
    }
}
