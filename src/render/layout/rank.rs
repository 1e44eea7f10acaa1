//! Ranking: cycle breaking, topological order, longest-path and sunk ranks,
//! our own layering (longest path or network simplex, [`super::simplex`]),
//! and the predicted cost of handing a component to layout-rs.

use super::*;

/// The ranks layout-rs will use: longest-path ranks, then its
/// `RankOptimizer` rule (repeated over the nodes in index order until
/// nothing moves): a node with at least as many successors as
/// predecessors sinks to just above its highest successor.
pub(super) fn sunk_ranks(n: usize, dag: &[(usize, usize)], mut rank: Vec<usize>) -> Vec<usize> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut npred = vec![0usize; n];
    for &(a, b) in dag {
        succ[a].push(b);
        npred[b] += 1;
    }
    for _ in 0..n {
        let mut moved = false;
        for v in 0..n {
            if succ[v].is_empty() || npred[v] > succ[v].len() {
                continue;
            }
            let next = succ[v].iter().map(|&s| rank[s]).min().unwrap_or(0);
            if next > rank[v] + 1 {
                rank[v] = next - 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    rank
}

/// Predicted work of layout-rs's crossing reduction, which dominates its
/// run time: each round compares every pair of vertices in a rank against
/// the neighbouring ranks, scanning both vertices' edge lists, so
/// Σ w(r) · d(r) · (w(r−1) + w(r+1)) over the ranks layout-rs will build,
/// with w the rank's width and d its total degree (dummy nodes included).
pub(super) fn crossing_cost(dag: &[(usize, usize)], ranks: &[usize]) -> usize {
    let nr = ranks.iter().copied().max().unwrap_or(0) + 1;
    let mut w = vec![0usize; nr + 1];
    let mut deg = vec![0usize; nr + 1];
    for &r in ranks {
        w[r] += 1;
    }
    // Dummies: +1 width and +2 degree on every rank strictly between the
    // ends (difference array).
    let mut diff = vec![0isize; nr + 1];
    for &(a, b) in dag {
        let (lo, hi) = (ranks[a].min(ranks[b]), ranks[a].max(ranks[b]));
        deg[lo] += 1;
        deg[hi] += 1;
        if hi > lo + 1 {
            diff[lo + 1] += 1;
            diff[hi] -= 1;
        }
    }
    let mut run = 0isize;
    for r in 0..nr {
        run += diff[r];
        let dummies = run.max(0) as usize;
        w[r] += dummies;
        deg[r] += 2 * dummies;
    }
    let mut total = 0usize;
    for r in 0..nr {
        let nb = if r > 0 { w[r - 1] } else { 0 } + w[r + 1];
        total = total.saturating_add(w[r].saturating_mul(deg[r]).saturating_mul(nb));
    }
    total
}

/// Chooses the edges to reverse so the graph becomes acyclic: the back
/// edges of a depth-first search that starts from the sources (in index
/// order) — only edges that close a cycle, and usually few of them.
pub(super) fn break_cycles(n: usize, pairs: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for (i, &(a, b)) in pairs.iter().enumerate() {
        out[a].push((b, i));
        indeg[b] += 1;
    }
    let mut state = vec![0u8; n]; // 0 new, 1 on the DFS stack, 2 done
    let mut rev = vec![false; pairs.len()];
    let roots = (0..n)
        .filter(|&v| indeg[v] == 0)
        .chain((0..n).filter(|&v| indeg[v] != 0));
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for r in roots {
        if state[r] != 0 {
            continue;
        }
        state[r] = 1;
        stack.push((r, 0));
        while let Some(top) = stack.last_mut() {
            let (u, k) = *top;
            if k < out[u].len() {
                top.1 += 1;
                let (v, i) = out[u][k];
                match state[v] {
                    0 => {
                        state[v] = 1;
                        stack.push((v, 0));
                    }
                    1 => rev[i] = true,
                    _ => {}
                }
            } else {
                state[u] = 2;
                stack.pop();
            }
        }
    }
    rev
}

/// Kahn's algorithm with a FIFO queue seeded in index order: a
/// breadth-first topological order (the feeding order layout-rs likes).
pub(super) fn topo_order(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for &(a, b) in dag {
        out[a].push(b);
        indeg[b] += 1;
    }
    let mut queue: std::collections::VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(u) = queue.pop_front() {
        order.push(u);
        for &v in &out[u] {
            indeg[v] -= 1;
            if indeg[v] == 0 {
                queue.push_back(v);
            }
        }
    }
    // Only reachable if `dag` had a cycle (it has not); keep every node.
    if order.len() < n {
        let mut seen = vec![false; n];
        for &v in &order {
            seen[v] = true;
        }
        order.extend((0..n).filter(|&v| !seen[v]));
    }
    order
}

/// Longest-path ranks (the ranks layout-rs computes before its sinking).
pub(super) fn longest_path_ranks(n: usize, dag: &[(usize, usize)], topo: &[usize]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        out[a].push(b);
    }
    let mut rank = vec![0usize; n];
    for &u in topo {
        for &v in &out[u] {
            rank[v] = rank[v].max(rank[u] + 1);
        }
    }
    rank
}

/// Our own layering (fallback and above the size limit): longest-path
/// ranks with sources sunk next to their successors, dummy nodes, and an
/// initial order by depth-first discovery.
pub(super) fn own_layering(
    n: usize,
    dag: &[(usize, usize)],
    topo: &[usize],
    simplex: bool,
) -> Layering {
    let mut rank = longest_path_ranks(n, dag, topo);
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut has_pred = vec![false; n];
    for &(a, b) in dag {
        succ[a].push(b);
        has_pred[b] = true;
    }
    for v in 0..n {
        if !has_pred[v] {
            if let Some(m) = succ[v].iter().map(|&s| rank[s]).min() {
                rank[v] = m.saturating_sub(1);
            }
        }
    }
    // dot's ranking: minimal total edge span (fewer dummies, fewer
    // crossings); bounded, and kept only when feasible and shorter.
    if simplex {
        super::simplex::network_simplex(n, dag, &mut rank);
    }
    shorten_edges(n, dag, &mut rank);
    // Compress empty ranks.
    let maxr = rank.iter().copied().max().unwrap_or(0);
    let mut used = vec![false; maxr + 1];
    for &r in &rank {
        used[r] = true;
    }
    let mut remap = vec![0usize; maxr + 1];
    let mut k = 0;
    for r in 0..=maxr {
        remap[r] = k;
        if used[r] {
            k += 1;
        }
    }
    for r in rank.iter_mut() {
        *r = remap[*r];
    }
    let nranks = k.max(1);

    let mut vrank: Vec<usize> = rank.clone();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(dag.len());
    for &(a, b) in dag {
        let mut chain = vec![a];
        for r in rank[a] + 1..rank[b] {
            vrank.push(r);
            chain.push(vrank.len() - 1);
        }
        chain.push(b);
        chains.push(chain);
    }
    let mut l = Layering {
        n,
        layers: Vec::new(),
        vrank,
        chains,
        flipped: vec![false; dag.len()],
    };
    let nv = l.num_vertices();
    let (_, vsucc) = l.adjacency();

    // Depth-first discovery from the nodes in topological order keeps
    // related nodes together.
    let mut disc = vec![usize::MAX; nv];
    let mut counter = 0;
    depth_first(topo.iter().copied(), &vsucc, &mut disc, &mut counter);
    for d in disc.iter_mut() {
        if *d == usize::MAX {
            *d = counter;
            counter += 1;
        }
    }
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); nranks];
    for v in 0..nv {
        layers[l.vrank[v]].push(v);
    }
    for layer in layers.iter_mut() {
        layer.sort_by_key(|&v| disc[v]);
    }
    l.layers = layers;
    l
}

/// Shortens the edges' total rank span (fewer dummy vertices, so fewer
/// crossings and a shorter drawing): a node with more edges to below than
/// from above moves down as far as its successors allow, one with more from
/// above moves up as far as its predecessors allow; repeated (bounded) until no
/// node moves. Each move strictly lowers the total span, so it terminates;
/// it is the local-move half of dot's network-simplex ranking.
pub(super) fn shorten_edges(n: usize, dag: &[(usize, usize)], rank: &mut [usize]) {
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        if a != b {
            succ[a].push(b);
            pred[b].push(a);
        }
    }
    for _ in 0..16 {
        let mut moved = false;
        for v in 0..n {
            let (np, ns) = (pred[v].len(), succ[v].len());
            // Down by k: incoming edges k longer each, outgoing k shorter.
            if ns > np && ns > 0 {
                let lim = succ[v].iter().map(|&s| rank[s]).min().unwrap_or(0);
                if lim > rank[v] + 1 {
                    rank[v] = lim - 1;
                    moved = true;
                }
            } else if np > ns && np > 0 {
                let lim = pred[v].iter().map(|&p| rank[p]).max().unwrap_or(0);
                if lim + 1 < rank[v] {
                    rank[v] = lim + 1;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
}
