//! Network-simplex ranking (Gansner, Koutsofios, North, Vo: "A technique for
//! drawing directed graphs", 1993) — the ranking Graphviz dot uses: ranks
//! that minimise the total edge span Σ (rank(head) − rank(tail)) subject to
//! every edge spanning at least one rank. Fewer spanned ranks means fewer
//! dummy vertices, so fewer crossings and shorter drawings.
//!
//! Used by the layout for the components it ranks itself. Bounded: at most
//! a fixed amount of pivot work (counted, not timed, so results stay
//! deterministic); each pivot keeps the ranks feasible, so stopping early
//! still gives a valid (just less tight) ranking. The caller's ranks are
//! replaced only if the result is feasible and spans no more.

/// Pivot work allowed per call, in edge visits (each pivot recomputes cut
/// values with O(edges × tree depth) visits).
const WORK: usize = 40_000_000;

/// Improves `rank` (a feasible ranking of a connected DAG on `n` nodes:
/// `rank[b] ≥ rank[a] + 1` for every edge `(a, b)`) towards minimal total
/// edge span. Returns whether `rank` was changed.
pub fn network_simplex(n: usize, dag: &[(usize, usize)], rank: &mut [usize]) -> bool {
    let edges: Vec<(usize, usize)> = dag.iter().copied().filter(|&(a, b)| a != b).collect();
    if n < 3 || edges.is_empty() || rank.len() != n {
        return false;
    }
    if edges
        .iter()
        .any(|&(a, b)| a >= n || b >= n || rank[b] < rank[a] + 1)
    {
        return false;
    }
    let mut r: Vec<i64> = rank.iter().map(|&x| x as i64).collect();
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &(a, b)) in edges.iter().enumerate() {
        adj[a].push(i);
        adj[b].push(i);
    }
    let Some(mut in_tree) = feasible_tree(n, &edges, &adj, &mut r) else {
        return false;
    };
    let mut t = Tree::new(n);
    if !t.build(&edges, &in_tree) {
        return false;
    }
    let mut work = 0usize;
    loop {
        let cut = t.cut_values(&edges, &mut work);
        // The tree edge with the most negative cut value (ties: lowest index).
        let leave = cut
            .iter()
            .enumerate()
            .filter(|&(_, c)| c.is_some_and(|c| c < 0))
            .min_by_key(|&(i, c)| (c.unwrap_or(0), i))
            .map(|(i, _)| i);
        let Some(leave) = leave else { break };
        if work > WORK {
            break;
        }
        // The subtree below `leave`: its child end.
        let (a, b) = edges[leave];
        let child = if t.parent_edge[a] == Some(leave) {
            a
        } else {
            b
        };
        let tail_side_is_subtree = child == a;
        // Entering edge: from the head component to the tail component,
        // least slack (ties: lowest index).
        let mut enter: Option<(i64, usize)> = None;
        for (i, &(x, y)) in edges.iter().enumerate() {
            if in_tree[i] {
                continue;
            }
            let (xs, ys) = (t.in_subtree(child, x), t.in_subtree(child, y));
            let head_to_tail = if tail_side_is_subtree {
                !xs && ys
            } else {
                xs && !ys
            };
            if head_to_tail {
                let s = r[y] - r[x] - 1;
                if enter.is_none_or(|(bs, _)| s < bs) {
                    enter = Some((s, i));
                }
            }
        }
        work += edges.len();
        let Some((_, e)) = enter else { break };
        in_tree[leave] = false;
        in_tree[e] = true;
        // Re-root the new tree and re-rank along it: every tree edge tight.
        if !t.build(&edges, &in_tree) {
            return false;
        }
        t.rerank(&edges, &mut r);
    }
    let min = r.iter().copied().min().unwrap_or(0);
    let new: Vec<usize> = r.iter().map(|&x| (x - min) as usize).collect();
    let feasible = edges.iter().all(|&(a, b)| new[b] > new[a]);
    let span = |rk: &[usize]| -> usize { edges.iter().map(|&(a, b)| rk[b] - rk[a]).sum() };
    if feasible && span(&new) < span(rank) {
        rank.copy_from_slice(&new);
        true
    } else {
        false
    }
}

/// A spanning tree of tight edges (slack 0), shifting ranks of the tree
/// built so far to make the least-slack edge leaving it tight. None if the
/// graph is not connected.
fn feasible_tree(
    n: usize,
    edges: &[(usize, usize)],
    adj: &[Vec<usize>],
    r: &mut [i64],
) -> Option<Vec<bool>> {
    let slack = |r: &[i64], i: usize| r[edges[i].1] - r[edges[i].0] - 1;
    let mut node_in = vec![false; n];
    let mut tree_edge = vec![false; edges.len()];
    let mut members = vec![0usize];
    node_in[0] = true;
    let mut stack = vec![0usize];
    loop {
        while let Some(u) = stack.pop() {
            for &i in &adj[u] {
                let (a, b) = edges[i];
                let w = if a == u { b } else { a };
                if !node_in[w] && slack(r, i) == 0 {
                    node_in[w] = true;
                    tree_edge[i] = true;
                    members.push(w);
                    stack.push(w);
                }
            }
        }
        if members.len() == n {
            return Some(tree_edge);
        }
        let mut best: Option<(i64, usize)> = None;
        for (i, &(a, b)) in edges.iter().enumerate() {
            if node_in[a] != node_in[b] {
                let s = slack(r, i);
                if best.is_none_or(|(bs, _)| s < bs) {
                    best = Some((s, i));
                }
            }
        }
        let (s, i) = best?;
        let (a, _) = edges[i];
        let delta = if node_in[a] { s } else { -s };
        for &m in &members {
            r[m] += delta;
        }
        // Every tree node may now have a new tight edge.
        stack.extend(members.iter().copied());
    }
}

/// The spanning tree rooted at node 0: parents, postorder numbers.
struct Tree {
    parent: Vec<Option<usize>>,
    parent_edge: Vec<Option<usize>>,
    /// Postorder number of each node.
    lim: Vec<usize>,
    /// Smallest postorder number in its subtree.
    low: Vec<usize>,
    /// Nodes in postorder.
    post: Vec<usize>,
}

impl Tree {
    fn new(n: usize) -> Tree {
        Tree {
            parent: vec![None; n],
            parent_edge: vec![None; n],
            lim: vec![0; n],
            low: vec![0; n],
            post: Vec::with_capacity(n),
        }
    }

    /// Roots the tree edges at node 0. False if they do not span the nodes.
    fn build(&mut self, edges: &[(usize, usize)], in_tree: &[bool]) -> bool {
        let n = self.parent.len();
        let mut tadj: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, &(a, b)) in edges.iter().enumerate() {
            if in_tree[i] {
                tadj[a].push(i);
                tadj[b].push(i);
            }
        }
        self.parent.iter_mut().for_each(|p| *p = None);
        self.parent_edge.iter_mut().for_each(|p| *p = None);
        self.post.clear();
        let mut seen = vec![false; n];
        seen[0] = true;
        // (node, next adjacency index)
        let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
        while let Some(top) = stack.last_mut() {
            let (u, k) = *top;
            if let Some(&i) = tadj[u].get(k) {
                top.1 += 1;
                let (a, b) = edges[i];
                let w = if a == u { b } else { a };
                if !seen[w] {
                    seen[w] = true;
                    self.parent[w] = Some(u);
                    self.parent_edge[w] = Some(i);
                    stack.push((w, 0));
                }
            } else {
                stack.pop();
                let num = self.post.len();
                self.lim[u] = num;
                self.low[u] = num;
                self.post.push(u);
            }
        }
        if self.post.len() != n {
            return false;
        }
        for &u in &self.post {
            if let Some(p) = self.parent[u] {
                self.low[p] = self.low[p].min(self.low[u]);
            }
        }
        true
    }

    fn in_subtree(&self, root: usize, v: usize) -> bool {
        self.low[root] <= self.lim[v] && self.lim[v] <= self.lim[root]
    }

    /// Cut value of every tree edge (None for non-tree edges): edges from
    /// the tree edge's tail component to its head component minus the
    /// reverse ones.
    fn cut_values(&self, edges: &[(usize, usize)], work: &mut usize) -> Vec<Option<i64>> {
        let n = self.parent.len();
        // Edges leaving / entering each subtree, by marks summed bottom-up:
        // an edge x→y leaves every subtree on the path from x up to (not
        // including) their lowest common ancestor, and enters those from y.
        let mut out = vec![0i64; n];
        let mut inn = vec![0i64; n];
        for &(x, y) in edges {
            let mut l = x;
            while !self.in_subtree(l, y) {
                match self.parent[l] {
                    Some(p) => l = p,
                    None => break,
                }
                *work += 1;
            }
            out[x] += 1;
            out[l] -= 1;
            inn[y] += 1;
            inn[l] -= 1;
        }
        for &u in &self.post {
            if let Some(p) = self.parent[u] {
                out[p] += out[u];
                inn[p] += inn[u];
            }
        }
        let mut cut = vec![None; edges.len()];
        for c in 0..n {
            if let Some(i) = self.parent_edge[c] {
                let (a, _) = edges[i];
                // Subtree of c is the tail component when c is the tail.
                cut[i] = Some(if a == c {
                    out[c] - inn[c]
                } else {
                    inn[c] - out[c]
                });
            }
        }
        cut
    }

    /// Ranks from the tree: root at 0, every tree edge tight.
    fn rerank(&self, edges: &[(usize, usize)], r: &mut [i64]) {
        for &u in self.post.iter().rev() {
            match (self.parent[u], self.parent_edge[u]) {
                (Some(p), Some(i)) => {
                    r[u] = if edges[i].1 == u { r[p] + 1 } else { r[p] - 1 };
                }
                _ => r[u] = 0,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(dag: &[(usize, usize)], r: &[usize]) -> usize {
        dag.iter().map(|&(a, b)| r[b] - r[a]).sum()
    }

    #[test]
    fn pulls_a_source_down_to_its_only_successor() {
        // 0→1→2→3, and 4→3: longest path puts 4 at rank 0 (span 3).
        let dag = [(0, 1), (1, 2), (2, 3), (4, 3)];
        let mut r = vec![0, 1, 2, 3, 0];
        assert!(network_simplex(5, &dag, &mut r));
        assert_eq!(r, [0, 1, 2, 3, 2]);
        assert_eq!(span(&dag, &r), 4);
    }

    #[test]
    fn finds_the_optimum_that_single_moves_miss() {
        // Two chains joined at both ends by a long edge that only a group
        // move can shorten: 0→1→2→3→4, 0→5, 5→6 and 6→4.
        let dag = [(0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 4)];
        let mut r = vec![0, 1, 2, 3, 4, 1, 2];
        let before = span(&dag, &r);
        network_simplex(7, &dag, &mut r);
        assert!(dag.iter().all(|&(a, b)| r[b] > r[a]));
        // Optimal: 5 and 6 anywhere between, total span 4 + 4 = 8.
        assert_eq!(span(&dag, &r), 8);
        assert!(span(&dag, &r) <= before);
    }

    #[test]
    fn rejects_infeasible_input_and_keeps_an_optimal_ranking() {
        let dag = [(0, 1), (1, 2)];
        let mut bad = vec![0, 0, 1];
        assert!(!network_simplex(3, &dag, &mut bad));
        assert_eq!(bad, [0, 0, 1]);
        let mut tight = vec![0, 1, 2];
        assert!(!network_simplex(3, &dag, &mut tight));
        assert_eq!(tight, [0, 1, 2]);
    }

    #[test]
    fn random_dags_stay_feasible_and_never_span_more() {
        let mut state = 11u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        for _ in 0..50 {
            let n = 3 + next(40) as usize;
            // A random DAG on a random topological order, connected by a
            // spanning chain.
            let mut dag: Vec<(usize, usize)> =
                (1..n).map(|v| (next(v as u64) as usize, v)).collect();
            for _ in 0..n {
                let a = next(n as u64) as usize;
                let b = next(n as u64) as usize;
                if a < b {
                    dag.push((a, b));
                }
            }
            let mut r = vec![0usize; n];
            for v in 0..n {
                for &(a, b) in &dag {
                    if b == v {
                        r[v] = r[v].max(r[a] + 1);
                    }
                }
            }
            let before = span(&dag, &r);
            network_simplex(n, &dag, &mut r);
            assert!(dag.iter().all(|&(a, b)| r[b] > r[a]), "infeasible");
            assert!(span(&dag, &r) <= before);
        }
    }
}
