//! Bounded lists: the first few distinct items of a possibly huge list, plus
//! how many there were in all.
//!
//! Findings name other entities (a finding's `related`, a cut point's
//! cut-off groups). On large models such a list can hold thousands of
//! systems; copying, sorting, locating and printing all of them for every
//! finding made `check` quadratic. A [`Sample`] keeps at most a fixed number
//! of items — the first ones in the order they were given, which callers make
//! deterministic and meaningful (e.g. the systems that need the data before
//! the systems that hold it) — and counts the rest.

/// At most `max` items of a list, and the list's length.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sample<T> {
    /// The items kept, in the order given (first come first kept).
    pub items: Vec<T>,
    /// How many items the whole list has (`>= items.len()`).
    pub total: usize,
}

impl<T> Sample<T> {
    /// The first `max` items of an already duplicate-free list.
    pub fn prefix(items: impl IntoIterator<Item = T>, max: usize) -> Sample<T> {
        let mut kept = Vec::new();
        let mut total = 0;
        for x in items {
            if kept.len() < max {
                kept.push(x);
            }
            total += 1;
        }
        Sample { items: kept, total }
    }

    /// How many items are not kept.
    pub fn more(&self) -> usize {
        self.total - self.items.len()
    }
}

impl<T: Copy + Ord> Sample<T> {
    /// The first `max` distinct items of a list; `total` counts distinct
    /// items. O(n log n) for the count, O(n · max) for the items kept (`max`
    /// is small).
    pub fn distinct(items: impl IntoIterator<Item = T>, max: usize) -> Sample<T> {
        let mut all: Vec<T> = Vec::new();
        let mut kept = Vec::new();
        for x in items {
            if kept.len() < max && !kept.contains(&x) {
                kept.push(x);
            }
            all.push(x);
        }
        all.sort_unstable();
        all.dedup();
        Sample {
            items: kept,
            total: all.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_keeps_first_occurrences_and_counts_distinct_rest() {
        let s = Sample::distinct([5, 3, 5, 9, 3, 1, 7, 1], 3);
        assert_eq!(s.items, vec![5, 3, 9]);
        assert_eq!(s.total, 5);
        assert_eq!(s.more(), 2);
    }

    #[test]
    fn short_lists_are_kept_whole() {
        let s = Sample::distinct([2, 2, 1], 10);
        assert_eq!(s.items, vec![2, 1]);
        assert_eq!(s.more(), 0);
        let p = Sample::prefix(["a", "b"], 2);
        assert_eq!((p.items.len(), p.total, p.more()), (2, 2, 0));
    }

    #[test]
    fn prefix_counts_everything() {
        let p = Sample::prefix(0..1000, 4);
        assert_eq!(p.items, vec![0, 1, 2, 3]);
        assert_eq!(p.total, 1000);
        assert_eq!(p.more(), 996);
        let none = Sample::prefix(0..3, 0);
        assert!(none.items.is_empty());
        assert_eq!(none.more(), 3);
    }
}
