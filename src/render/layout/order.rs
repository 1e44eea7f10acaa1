//! Ordering within ranks: depth-first start orders, weighted-median /
//! barycentre sweeps and transpose, crossings counted with a Fenwick tree.

use super::*;

/// Numbers vertices in depth-first discovery order from each root in turn
/// (skipping roots already numbered), following `next` (successors or
/// predecessors) in list order. `disc` holds `usize::MAX` for vertices not
/// yet numbered; `counter` is the next number.
pub(super) fn depth_first(
    roots: impl Iterator<Item = usize>,
    next: &[Vec<usize>],
    disc: &mut [usize],
    counter: &mut usize,
) {
    for s in roots {
        if disc[s] != usize::MAX {
            continue;
        }
        let mut stack = vec![s];
        while let Some(u) = stack.pop() {
            if disc[u] != usize::MAX {
                continue;
            }
            disc[u] = *counter;
            *counter += 1;
            for &v in next[u].iter().rev() {
                if disc[v] == usize::MAX {
                    stack.push(v);
                }
            }
        }
    }
}

/// Crossing reduction in the manner of Graphviz dot (Gansner et al. 1993):
/// sweeps alternately down and up, each rank ordered by the weighted median
/// of its neighbours in the rank just fixed (barycentre on even/odd
/// iterations alternately, which escapes the median's plateaus), then
/// `transpose` (swap neighbours while that removes crossings). Starting from
/// the current order, the order with the fewest crossings is kept, so an
/// order from layout-rs is only ever improved. Work is bounded: at most
/// [`ORDER_ITERS`] sweeps, stopping after [`ORDER_PATIENCE`] sweeps without
/// a gain, and transpose passes per sweep are capped.
pub(super) fn refine_order(l: &mut Layering) -> usize {
    let nv = l.num_vertices();
    let nranks = l.layers.len();
    let (vpred, vsucc) = l.adjacency();
    let mut pos = vec![0usize; nv];
    let set_pos = |layers: &Vec<Vec<usize>>, pos: &mut Vec<usize>| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    set_pos(&l.layers, &mut pos);
    let mut layers = l.layers.clone();
    let mut best_cross = count_crossings(&layers, &vsucc, &pos);
    let mut stale = 0;
    for it in 0..ORDER_ITERS {
        if best_cross == 0 || stale >= ORDER_PATIENCE {
            break;
        }
        let down = it % 2 == 0;
        let median = (it / 2) % 2 == 0;
        let rs: Vec<usize> = if down {
            (1..nranks).collect()
        } else {
            (0..nranks.saturating_sub(1)).rev().collect()
        };
        let mut scratch: Vec<f64> = Vec::new();
        for r in rs {
            let mut keyed: Vec<(f64, usize, usize)> = layers[r]
                .iter()
                .map(|&v| {
                    let nb = if down { &vpred[v] } else { &vsucc[v] };
                    let key = if nb.is_empty() {
                        // Keeps its place relative to the rank's width.
                        f64::NAN
                    } else if median {
                        scratch.clear();
                        scratch.extend(nb.iter().map(|&u| pos[u] as f64));
                        weighted_median(&mut scratch)
                    } else {
                        nb.iter().map(|&u| pos[u] as f64).sum::<f64>() / nb.len() as f64
                    };
                    (key, pos[v], v)
                })
                .collect();
            sort_keeping_fixed(&mut keyed);
            layers[r] = keyed.into_iter().map(|t| t.2).collect();
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i;
            }
        }
        transpose(&mut layers, &mut pos, &vpred, &vsucc);
        let c = count_crossings(&layers, &vsucc, &pos);
        if c < best_cross {
            best_cross = c;
            l.layers = layers.clone();
            stale = 0;
        } else {
            stale += 1;
        }
    }
    best_cross
}

/// Crossing reduction from several starting orders (the given one — from
/// layout-rs or our depth-first discovery —, breadth-first discovery from
/// the sources, depth-first discovery upwards from the sinks): sweeps
/// settle in different local minima, like dot's runs from both edge
/// directions. Keeps the order with the fewest crossings (ties: the
/// earlier start).
pub(super) fn best_order(layering: Layering) -> (Layering, usize) {
    let starts = start_orders(&layering);
    let mut best = layering;
    let mut best_cross = refine_order(&mut best);
    for layers in starts {
        if best_cross == 0 {
            break;
        }
        let mut l = best.clone();
        l.layers = layers;
        let c = refine_order(&mut l);
        if c < best_cross {
            best = l;
            best_cross = c;
        }
    }
    (best, best_cross)
}

/// Alternative initial orders of a layering's ranks: vertices sorted by
/// their breadth-first discovery from the top rank's vertices, and by their
/// depth-first discovery from the bottom rank's vertices along predecessors.
pub(super) fn start_orders(l: &Layering) -> Vec<Vec<Vec<usize>>> {
    let nv = l.num_vertices();
    let (vpred, vsucc) = l.adjacency();
    let order_by = |disc: &[usize]| -> Vec<Vec<usize>> {
        let mut layers = l.layers.clone();
        for layer in layers.iter_mut() {
            layer.sort_by_key(|&v| (disc[v], v));
        }
        layers
    };
    let mut out = Vec::new();
    // Breadth-first from the vertices without predecessors, rank by rank.
    let mut disc = vec![usize::MAX; nv];
    let mut counter = 0;
    let mut queue = std::collections::VecDeque::new();
    for layer in &l.layers {
        for &s in layer {
            if !vpred[s].is_empty() || disc[s] != usize::MAX {
                continue;
            }
            disc[s] = counter;
            counter += 1;
            queue.push_back(s);
            while let Some(u) = queue.pop_front() {
                for &v in &vsucc[u] {
                    if disc[v] == usize::MAX {
                        disc[v] = counter;
                        counter += 1;
                        queue.push_back(v);
                    }
                }
            }
        }
    }
    out.push(order_by(&disc));
    // Depth-first upwards from the vertices without successors.
    let mut disc = vec![usize::MAX; nv];
    let mut counter = 0;
    let sinks = l
        .layers
        .iter()
        .rev()
        .flatten()
        .copied()
        .filter(|&s| vsucc[s].is_empty());
    depth_first(sinks, &vpred, &mut disc, &mut counter);
    out.push(order_by(&disc));
    out
}

/// Most ordering sweeps per component.
pub(super) const ORDER_ITERS: usize = 24;
/// Sweeps without fewer crossings before ordering stops.
pub(super) const ORDER_PATIENCE: usize = 6;
/// Most transpose passes over all ranks per sweep.
pub(super) const TRANSPOSE_PASSES: usize = 8;

/// The weighted median of positions (Gansner et al.): the middle one for an
/// odd count, the mean of the two middle ones for two, else the two middle
/// ones weighted towards the side whose positions are packed more tightly.
pub(super) fn weighted_median(p: &mut [f64]) -> f64 {
    p.sort_by(f64::total_cmp);
    let m = p.len() / 2;
    match p.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => p[m],
        2 => (p[0] + p[1]) / 2.0,
        n => {
            let left = p[m - 1] - p[0];
            let right = p[n - 1] - p[m];
            if left + right <= 0.0 {
                (p[m - 1] + p[m]) / 2.0
            } else {
                (p[m - 1] * right + p[m] * left) / (left + right)
            }
        }
    }
}

/// Sorts (key, old position, vertex) by key; entries whose key is NaN (no
/// neighbours on that side) keep their old slot and the others fill the
/// remaining slots in key order (ties: old order).
pub(super) fn sort_keeping_fixed(keyed: &mut [(f64, usize, usize)]) {
    let mut movable: Vec<(f64, usize, usize)> =
        keyed.iter().copied().filter(|k| !k.0.is_nan()).collect();
    movable.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    let mut it = movable.into_iter();
    for slot in keyed.iter_mut() {
        if !slot.0.is_nan() {
            if let Some(m) = it.next() {
                *slot = m;
            }
        }
    }
}

/// Crossings between the edges of `u` and of `v` (u left of v) towards one
/// neighbouring rank: pairs (a of u, b of v) with a right of b.
pub(super) fn pair_crossings(nu: &[usize], nv: &[usize], pos: &[usize]) -> usize {
    let mut c = 0;
    for &a in nu {
        for &b in nv {
            if pos[a] > pos[b] {
                c += 1;
            }
        }
    }
    c
}

/// Dot's `transpose`: swaps neighbours within a rank while that lowers the
/// crossings with both adjacent ranks; repeats (bounded) while any pass
/// gains.
pub(super) fn transpose(
    layers: &mut [Vec<usize>],
    pos: &mut [usize],
    vpred: &[Vec<usize>],
    vsucc: &[Vec<usize>],
) {
    for _ in 0..TRANSPOSE_PASSES {
        let mut gained = false;
        for layer in layers.iter_mut() {
            for i in 0..layer.len().saturating_sub(1) {
                let (u, v) = (layer[i], layer[i + 1]);
                // Very high-degree pairs cost more than they can gain here.
                if vpred[u].len() * vpred[v].len() + vsucc[u].len() * vsucc[v].len() > 4096 {
                    continue;
                }
                let now = pair_crossings(&vpred[u], &vpred[v], pos)
                    + pair_crossings(&vsucc[u], &vsucc[v], pos);
                let swapped = pair_crossings(&vpred[v], &vpred[u], pos)
                    + pair_crossings(&vsucc[v], &vsucc[u], pos);
                if swapped < now {
                    layer.swap(i, i + 1);
                    pos[u] = i + 1;
                    pos[v] = i;
                    gained = true;
                }
            }
        }
        if !gained {
            break;
        }
    }
}

/// Number of crossings between consecutive layers (inversions counted with
/// a Fenwick tree).
pub(super) fn count_crossings(layers: &[Vec<usize>], vsucc: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0usize;
    for r in 0..layers.len().saturating_sub(1) {
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for &u in &layers[r] {
            for &v in &vsucc[u] {
                pairs.push((pos[u], pos[v]));
            }
        }
        pairs.sort_unstable();
        let m = layers[r + 1].len();
        let mut tree = vec![0usize; m + 1];
        for (seen, &(_, q)) in pairs.iter().enumerate() {
            // Count earlier pairs whose target is strictly right of q.
            let mut le = 0usize;
            let mut i = q + 1;
            while i > 0 {
                le += tree[i];
                i -= i & i.wrapping_neg();
            }
            total += seen - le;
            let mut i = q + 1;
            while i <= m {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}
