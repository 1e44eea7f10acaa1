//! A fast hasher for the lookup maps of the pipeline (ids → entities, node
//! indices → data).
//!
//! The standard library's SipHash is built to resist hash flooding; on a
//! 100,000-entity model it was a tenth of `check`'s time. These maps are
//! keyed by the ids of the user's own model files and only ever looked up —
//! never iterated into output (where a rule or view walks one, it sorts
//! first), so determinism does not depend on the hasher — so we use
//! rustc's `FxHasher` from the `rustc-hash` crate. A deliberately colliding
//! model makes lookups slower, never wrong.

use std::collections::{HashMap, HashSet};

pub use rustc_hash::{FxBuildHasher as FxBuild, FxHasher};

/// A `HashMap` with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, FxBuild>;
/// A `HashSet` with [`FxHasher`].
pub type FastSet<K> = HashSet<K, FxBuild>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn h<T: Hash + ?Sized>(x: &T) -> u64 {
        FxBuild.hash_one(x)
    }

    #[test]
    fn equal_keys_hash_equal_and_near_keys_differ() {
        assert_eq!(h("sys-crm"), h(&String::from("sys-crm")));
        // every byte counts, including the tail after the last full word
        let ids = [
            "a",
            "b",
            "ab",
            "ba",
            "salesforce",
            "salesforcf",
            "12345678",
            "123456789",
        ];
        let mut hashes: Vec<u64> = ids.iter().map(|s| h(*s)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), ids.len());
        // a prefix is not the same key
        assert_ne!(h("abcdefgh"), h("abcdefgh\0"));
    }

    #[test]
    fn maps_work() {
        let mut m: FastMap<&str, usize> = FastMap::default();
        for (i, id) in ["x", "y", "z"].iter().enumerate() {
            m.insert(id, i);
        }
        assert_eq!(m.get("y"), Some(&1));
        assert_eq!(m.get("w"), None);
    }
}
