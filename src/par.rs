//! Deterministic parallel map: independent work items (the drawings of a
//! report, the parts of a split view) on every core, results in input
//! order, so output does not depend on the number of threads or their
//! timing. Plain `std::thread::scope`: the work is a handful of coarse
//! items, which needs no work-stealing pool.
//!
//! `REVARCH_THREADS=N` caps the threads (1: everything on the calling
//! thread, as before there was any parallelism); default: the machine's
//! available parallelism.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads [`map`] uses at most.
pub fn threads() -> usize {
    let available = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::env::var("REVARCH_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .map_or(available, |n| n.min(available.max(1) * 4))
}

/// `items.iter().map(f).collect()`, with the calls spread over up to
/// [`threads`] threads (each takes the next unclaimed item). A panic in
/// `f` is re-raised on the calling thread.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = threads().min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order() {
        let items: Vec<u64> = (0..200).collect();
        // uneven work, so threads finish out of order
        let out = map(&items, |&i| {
            let mut x = i;
            for _ in 0..(i % 7) * 1000 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            }
            (i, x)
        });
        assert_eq!(out.len(), 200);
        for (k, (i, _)) in out.iter().enumerate() {
            assert_eq!(*i, k as u64);
        }
        let serial: Vec<(u64, u64)> = items
            .iter()
            .map(|&i| {
                let mut x = i;
                for _ in 0..(i % 7) * 1000 {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                }
                (i, x)
            })
            .collect();
        assert_eq!(out, serial);
    }

    #[test]
    fn empty_and_single_inputs() {
        let none: Vec<u8> = Vec::new();
        assert!(map(&none, |&x| x).is_empty());
        assert_eq!(map(&[5u8], |&x| x + 1), vec![6]);
    }

    #[test]
    fn a_panic_reaches_the_caller() {
        let items: Vec<u32> = (0..16).collect();
        let caught = std::panic::catch_unwind(|| {
            map(&items, |&i| {
                if i == 11 {
                    panic!("item eleven");
                }
                i
            })
        });
        assert!(caught.is_err());
    }
}
