//! A fast hasher for the lookup maps of the pipeline (ids → entities, node
//! indices → data).
//!
//! The standard library's SipHash is built to resist hash flooding; on a
//! 100,000-entity model it was a tenth of `check`'s time. These maps are
//! keyed by the ids of the user's own model files and only ever looked up —
//! never iterated into output, so determinism does not depend on the hasher —
//! so we use the multiply-rotate hash of rustc's `FxHasher` (a few lines; no
//! dependency). A deliberately colliding model makes lookups slower, never
//! wrong.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// rustc's Fx hash: one rotate, xor and multiply per word.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Builds [`FxHasher`]s.
pub type FxBuild = BuildHasherDefault<FxHasher>;
/// A `HashMap` with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, FxBuild>;
/// A `HashSet` with [`FxHasher`].
pub type FastSet<K> = HashSet<K, FxBuild>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn h<T: Hash + ?Sized>(x: &T) -> u64 {
        FxBuild::default().hash_one(x)
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
