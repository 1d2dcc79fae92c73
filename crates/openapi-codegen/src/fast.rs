//! The hash maps of the generator's hot loops (token interning in
//! `merge-identical-types`, reachability in `gate-by-feature`): std's maps
//! with foldhash instead of SipHash, which was a tenth of a generation's
//! instructions. Their keys are token texts and type names, not input chosen
//! to collide, and a fixed seed makes any iteration order repeatable.

/// A `HashMap` hashed by foldhash with a fixed seed.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// A `HashSet` hashed by foldhash with a fixed seed.
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;

/// An empty [`HashMap`] (`HashMap::new` is for the default hasher only).
pub fn new_map<K, V>() -> HashMap<K, V> {
    HashMap::default()
}
