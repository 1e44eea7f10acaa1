//! A compact, non-layered candidate for one component: boxes on a grid,
//! placed by stress majorization (edges as springs of one cell per hop)
//! from the layered placement, then snapped to free cells. Hub-and-spoke
//! graphs such as SV-2 (a CRM in the middle, a dozen systems around it)
//! fill a 16:9 frame this way instead of stretching into seven thin ranks.
//! Edges start straight; the routing stage takes them around boxes.

use super::*;

/// Largest component given a grid candidate (stress is quadratic).
pub(super) const GRID_MAX_NODES: usize = 60;
/// Gap between grid columns, px (room for an edge label beside a line),
/// scaled by the candidate's `gap`.
const COL_GAP: f64 = 110.0;
/// Gap between grid rows, px.
const ROW_GAP: f64 = 70.0;
/// Stress-majorization rounds.
const ROUNDS: usize = 60;

/// Places a connected component on a grid (see the module doc); `seed` are
/// its layered centres. `aspect`: width : height the grid aims for;
/// `untangle`: how the snapped cells are then rearranged.
pub(super) fn place_grid(
    sizes: &[(f64, f64)],
    links: &[Link],
    seed: &[Point],
    aspect: f64,
    gap: f64,
    untangle: Untangle,
) -> Option<Placed> {
    let (col_gap, row_gap) = (COL_GAP * gap, ROW_GAP * gap);
    let n = sizes.len();
    if !(3..=GRID_MAX_NODES).contains(&n) || seed.len() != n {
        return None;
    }
    // Hop distances (BFS from every node; the component is connected).
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for l in links {
        if l.a < n && l.b < n && l.a != l.b {
            adj[l.a].push(l.b);
            adj[l.b].push(l.a);
        }
    }
    // each link as often as the edges it stands for
    // (`Untangle::DeepWeighted`)
    let mut weighted: Vec<Vec<usize>> = Vec::new();
    if untangle == Untangle::DeepWeighted {
        weighted = vec![Vec::new(); n];
        for l in links {
            if l.a < n && l.b < n && l.a != l.b {
                for _ in 0..l.count.max(1) {
                    weighted[l.a].push(l.b);
                    weighted[l.b].push(l.a);
                }
            }
        }
    }
    let mut hops = vec![vec![usize::MAX; n]; n];
    for (s, row) in hops.iter_mut().enumerate() {
        row[s] = 0;
        let mut queue = std::collections::VecDeque::from([s]);
        while let Some(u) = queue.pop_front() {
            for &v in &adj[u] {
                if row[v] == usize::MAX {
                    row[v] = row[u] + 1;
                    queue.push_back(v);
                }
            }
        }
    }
    let far = n; // unreachable pairs (should not happen) count as far apart
    let cell_w = sizes.iter().map(|s| s.0).fold(0.0, f64::max) + col_gap;
    let cell_h = sizes.iter().map(|s| s.1).fold(0.0, f64::max) + row_gap;
    // Work in cell units: x in columns, y in rows.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in seed {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    let diam = hops
        .iter()
        .flatten()
        .filter(|&&h| h != usize::MAX)
        .max()
        .copied()
        .unwrap_or(1)
        .max(1) as f64;
    let sx = if x1 > x0 { diam / (x1 - x0) } else { 0.0 };
    let sy = if y1 > y0 { diam / (y1 - y0) } else { 0.0 };
    let mut pos: Vec<(f64, f64)> = seed
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // A tiny deterministic jitter separates coincident seeds.
            let j = (i as f64 * 0.618_033_988_75).fract() * 1e-3;
            ((p.x - x0) * sx + j, (p.y - y0) * sy - j)
        })
        .collect();
    for _ in 0..ROUNDS {
        let mut next = pos.clone();
        for i in 0..n {
            let (mut nx, mut ny, mut wsum) = (0.0, 0.0, 0.0);
            for j in 0..n {
                if i == j {
                    continue;
                }
                let h = if hops[i][j] == usize::MAX {
                    far
                } else {
                    hops[i][j]
                } as f64;
                let w = 1.0 / (h * h);
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(1e-9);
                nx += w * (pos[j].0 + h * dx / d);
                ny += w * (pos[j].1 + h * dy / d);
                wsum += w;
            }
            if wsum > 0.0 {
                next[i] = (nx / wsum, ny / wsum);
            }
        }
        pos = next;
    }
    // Stretch towards the aspect (in cells: width cells × cell_w).
    let (mut px0, mut py0, mut px1, mut py1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in &pos {
        px0 = px0.min(x);
        py0 = py0.min(y);
        px1 = px1.max(x);
        py1 = py1.max(y);
    }
    let cells = (n as f64 * 1.4).ceil();
    let cols = ((cells * aspect * cell_h / cell_w).sqrt().round() as usize).clamp(1, n);
    let rows = (n.div_ceil(cols) + 1).max(1);
    let fx = if px1 > px0 {
        (cols - 1) as f64 / (px1 - px0)
    } else {
        0.0
    };
    let fy = if py1 > py0 {
        (rows - 1) as f64 / (py1 - py0)
    } else {
        0.0
    };
    let want: Vec<(f64, f64)> = pos
        .iter()
        .map(|&(x, y)| ((x - px0) * fx, (y - py0) * fy))
        .collect();
    // Snap: the best-connected nodes first, each to the nearest free cell.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| adj[b].len().cmp(&adj[a].len()).then(a.cmp(&b)));
    let mut taken: BTreeMap<(i64, i64), usize> = BTreeMap::new();
    let mut cell = vec![(0i64, 0i64); n];
    for &i in &order {
        let (wx, wy) = want[i];
        let (cx, cy) = (wx.round() as i64, wy.round() as i64);
        let mut best: Option<(f64, i64, i64)> = None;
        for r in 0..=(n as i64) {
            for dy in -r..=r {
                for dx in -r..=r {
                    if dx.abs() != r && dy.abs() != r {
                        continue;
                    }
                    let (x, y) = (cx + dx, cy + dy);
                    if x < 0 || y < 0 || taken.contains_key(&(x, y)) {
                        continue;
                    }
                    let d = (x as f64 - wx).powi(2) + (y as f64 - wy).powi(2);
                    if best.is_none_or(|(bd, by, bx)| (d, y, x) < (bd, by, bx)) {
                        best = Some((d, y, x));
                    }
                }
            }
            if best.is_some_and(|(bd, _, _)| bd.sqrt() <= r as f64) {
                break;
            }
        }
        let (_, y, x) = best?;
        taken.insert((x, y), i);
        cell[i] = (x, y);
    }
    match untangle {
        Untangle::No => {}
        Untangle::Local => improve_cells(&mut cell, &adj),
        Untangle::Deep | Untangle::DeepKept => anneal_memo(&mut cell, &adj),
        Untangle::DeepWeighted => anneal_memo(&mut cell, &weighted),
    }
    // Column widths and row heights from the boxes in them; empty ones go.
    let mut col_ids: Vec<i64> = cell.iter().map(|c| c.0).collect();
    let mut row_ids: Vec<i64> = cell.iter().map(|c| c.1).collect();
    col_ids.sort_unstable();
    col_ids.dedup();
    row_ids.sort_unstable();
    row_ids.dedup();
    let mut col_w = vec![0.0f64; col_ids.len()];
    let mut row_h = vec![0.0f64; row_ids.len()];
    let ci = |x: i64| col_ids.binary_search(&x).unwrap_or(0);
    let ri = |y: i64| row_ids.binary_search(&y).unwrap_or(0);
    for (i, &(x, y)) in cell.iter().enumerate() {
        col_w[ci(x)] = col_w[ci(x)].max(sizes[i].0);
        row_h[ri(y)] = row_h[ri(y)].max(sizes[i].1);
    }
    let mut col_x = Vec::with_capacity(col_w.len());
    let mut acc = 0.0;
    for w in &col_w {
        col_x.push(acc + w / 2.0);
        acc += w + col_gap;
    }
    let mut row_y = Vec::with_capacity(row_h.len());
    acc = 0.0;
    for h in &row_h {
        row_y.push(acc + h / 2.0);
        acc += h + row_gap;
    }
    let mut centres: Vec<Point> = cell
        .iter()
        .map(|&(x, y)| pt(col_x[ci(x)], row_y[ri(y)]))
        .collect();
    // the annealed cells' straight edges kept as untangled as they are
    // (`Untangle::DeepKept`), or compaction free to undo some of it
    let keep = match untangle {
        Untangle::DeepKept => Some(Edges::new(&adj)),
        Untangle::DeepWeighted => Some(Edges::new(&weighted)),
        _ => None,
    };
    for _ in 0..2 {
        compact(&mut centres, sizes, true, (col_gap, row_gap), keep.as_ref());
        compact(
            &mut centres,
            sizes,
            false,
            (col_gap, row_gap),
            keep.as_ref(),
        );
    }
    let mut p = Placed {
        centres,
        routes: vec![Vec::new(); links.len()],
        w: 0.0,
        h: 0.0,
    };
    normalise(sizes, &mut p);
    Some(p)
}

/// What a straight edge crossing another costs in [`improve_cells`]: the
/// orthogonal router keeps most such crossings (each is a crossing in the
/// drawing), while a cell of extra length costs one.
const CELL_CROSS: f64 = 4.0;
/// What a straight edge passing through another box's cell costs: the
/// router must take it around that box, a detour that often crosses the
/// edges of the boxes beside it.
const CELL_THROUGH: f64 = 3.0;
/// What an edge whose ends share neither a row nor a column costs: its
/// orthogonal route needs a bend.
const CELL_BEND: f64 = 0.5;
/// Passes of [`improve_cells`] over all nodes (it stops early when a
/// pass improves nothing).
const CELL_PASSES: usize = 6;
/// How far (in cells, either axis) from where it is, or from one of its
/// neighbours, a node may move in one step of [`improve_cells`].
const CELL_REACH: i64 = 2;
/// Work budget of one [`improve_cells`] call, in segment tests (edge
/// against edge or box): the search stops (deterministically) when it is
/// spent, so a 60-node grid costs a bounded few milliseconds. The bundled
/// SV-2 (18 boxes, 19 edges) needs about 300,000 per pass.
const CELL_BUDGET: usize = 250_000;

/// Local search on the snapped grid: each node in turn is moved to the
/// free cell, or swapped with the node of the cell, that most lowers the
/// cost of the edges drawn straight between cell centres (crossings,
/// passes through other boxes' cells, bends, length; [`CELL_CROSS`] …),
/// within the grid's current extent so its shape is kept. Snapping
/// places each node near where stress put it, one at a time; this undoes
/// the crossings that greedy order leaves (the bundled SV-2 is a hub with
/// a dozen spokes, where one misplaced spoke crosses several others).
/// Deterministic: nodes, then cells, in a fixed order, first best move.
fn improve_cells(cell: &mut [(i64, i64)], adj: &[Vec<usize>]) {
    let n = cell.len();
    let cc = Edges::new(adj);
    if n < 3 || cc.edges.is_empty() {
        return;
    }
    let (edges, incident) = (&cc.edges, &cc.incident);
    let ((x0, x1), (y0, y1)) = extent(cell);
    let mut at: BTreeMap<(i64, i64), usize> =
        cell.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let mut budget = CELL_BUDGET;
    let mut targets: Vec<(i64, i64)> = Vec::new();
    let mut touched: Vec<usize> = Vec::new();
    'passes: for _ in 0..CELL_PASSES {
        let mut improved = false;
        for i in 0..n {
            let from = cell[i];
            let mut best: Option<(f64, (i64, i64))> = None;
            // where it may go: near where it is, or next to a neighbour
            targets.clear();
            let near = adj[i].iter().map(|&j| (cell[j], 1));
            for ((cx, cy), r) in std::iter::once((from, CELL_REACH)).chain(near) {
                for y in (cy - r).max(y0)..=(cy + r).min(y1) {
                    for x in (cx - r).max(x0)..=(cx + r).min(x1) {
                        targets.push((x, y));
                    }
                }
            }
            targets.sort_unstable_by_key(|&(x, y)| (y, x));
            targets.dedup();
            for &to in &targets {
                if to == from {
                    continue;
                }
                // an evaluation tests the moved nodes' edges against every
                // edge and box, and every edge against the moved boxes;
                // twice (before and after)
                let other = at.get(&to).copied();
                let degrees = incident[i].len() + other.map_or(0, |j| incident[j].len());
                let cost = 2 * (degrees * (n + edges.len()) + 2 * edges.len());
                if budget < cost {
                    break 'passes;
                }
                budget -= cost;
                let gain = -cc.delta(cell, i, to, other, &mut touched);
                if gain > 1e-9 && best.is_none_or(|(g, _)| gain > g) {
                    best = Some((gain, to));
                }
            }
            if let Some((_, to)) = best {
                move_to(cell, &mut at, i, to);
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
}

/// The grid's columns and rows in use: ((first, last) column, (first,
/// last) row).
fn extent(cell: &[(i64, i64)]) -> ((i64, i64), (i64, i64)) {
    (
        (
            cell.iter().map(|c| c.0).min().unwrap_or(0),
            cell.iter().map(|c| c.0).max().unwrap_or(0),
        ),
        (
            cell.iter().map(|c| c.1).min().unwrap_or(0),
            cell.iter().map(|c| c.1).max().unwrap_or(0),
        ),
    )
}

/// A grid's edges drawn straight between centres: what they cost on the
/// cells ([`CELL_CROSS`] …; the measure [`improve_cells`] and
/// [`anneal_cells`] lower) and what moving one box does to them in pixels
/// ([`Edges::harm`], for [`compact`]).
struct Edges {
    /// Node pairs, each once, sorted.
    edges: Vec<(usize, usize)>,
    /// Per pair: how often the adjacency lists it (a crossing of two
    /// pairs costs the product).
    weight: Vec<f64>,
    /// Per node: its edges.
    incident: Vec<Vec<usize>>,
}

impl Edges {
    fn new(adj: &[Vec<usize>]) -> Edges {
        let mut edges: Vec<(usize, usize)> = Vec::new();
        for (a, list) in adj.iter().enumerate() {
            for &b in list {
                if a < b {
                    edges.push((a, b));
                }
            }
        }
        edges.sort_unstable();
        let mut weight: Vec<f64> = Vec::with_capacity(edges.len());
        let mut unique: Vec<(usize, usize)> = Vec::with_capacity(edges.len());
        for e in edges {
            if unique.last() == Some(&e) {
                if let Some(w) = weight.last_mut() {
                    *w += 1.0;
                }
            } else {
                unique.push(e);
                weight.push(1.0);
            }
        }
        let edges = unique;
        let mut incident: Vec<Vec<usize>> = vec![Vec::new(); adj.len()];
        for (k, &(a, b)) in edges.iter().enumerate() {
            incident[a].push(k);
            incident[b].push(k);
        }
        Edges {
            edges,
            weight,
            incident,
        }
    }

    /// The cost of the edges touching `moved` (each counted once) and of
    /// every edge passing through a moved node's cell.
    fn partial(&self, cell: &[(i64, i64)], moved: &[usize], touched: &mut Vec<usize>) -> f64 {
        let edges = &self.edges;
        touched.clear();
        touched.extend(moved.iter().flat_map(|&m| self.incident[m].iter().copied()));
        touched.sort_unstable();
        touched.dedup();
        let mut cost = 0.0;
        for &k in touched.iter() {
            let (a, b) = edges[k];
            let (pa, pb) = (cell[a], cell[b]);
            let (dx, dy) = ((pa.0 - pb.0) as f64, (pa.1 - pb.1) as f64);
            cost += (dx * dx + dy * dy).sqrt();
            if pa.0 != pb.0 && pa.1 != pb.1 {
                cost += CELL_BEND;
            }
            for (j, &c) in cell.iter().enumerate() {
                if j != a && j != b && seg_through_cell(pa, pb, c) {
                    cost += CELL_THROUGH;
                }
            }
            for (f, &(c, d)) in edges.iter().enumerate() {
                // a pair of touched edges is counted from the lower one
                if f == k || (f < k && touched.binary_search(&f).is_ok()) {
                    continue;
                }
                if c == a || c == b || d == a || d == b {
                    continue;
                }
                if segs_cross(pa, pb, cell[c], cell[d]) {
                    cost += CELL_CROSS * self.weight[k] * self.weight[f];
                }
            }
        }
        for (k, &(a, b)) in edges.iter().enumerate() {
            if touched.binary_search(&k).is_ok() {
                continue;
            }
            for &m in moved {
                if m != a && m != b && seg_through_cell(cell[a], cell[b], cell[m]) {
                    cost += CELL_THROUGH;
                }
            }
        }
        cost
    }

    /// How much the cost changes when node `i` moves to cell `to`,
    /// swapping with `other` (the node in `to`, if any); `cell` is as it
    /// was afterwards.
    fn delta(
        &self,
        cell: &mut [(i64, i64)],
        i: usize,
        to: (i64, i64),
        other: Option<usize>,
        touched: &mut Vec<usize>,
    ) -> f64 {
        let from = cell[i];
        let pair;
        let moved: &[usize] = match other {
            Some(j) => {
                pair = [i, j];
                &pair
            }
            None => std::slice::from_ref(&i),
        };
        let before = self.partial(cell, moved, touched);
        cell[i] = to;
        if let Some(j) = other {
            cell[j] = from;
        }
        let after = self.partial(cell, moved, touched);
        cell[i] = from;
        if let Some(j) = other {
            cell[j] = to;
        }
        after - before
    }
}

/// Moves node `i` to cell `to`, the node there (if any) to `i`'s cell;
/// `at` (cell → node) follows.
fn move_to(
    cell: &mut [(i64, i64)],
    at: &mut BTreeMap<(i64, i64), usize>,
    i: usize,
    to: (i64, i64),
) {
    let from = cell[i];
    let other = at.remove(&to);
    at.remove(&from);
    cell[i] = to;
    at.insert(to, i);
    if let Some(j) = other {
        cell[j] = from;
        at.insert(from, j);
    }
}

/// Steps of [`anneal_cells`] (fewer, 2,000 or 3,000, no longer found the
/// bundled SV-1's 3-crossing arrangement).
const ANNEAL_STEPS: usize = 6_000;

/// A deeper search than [`improve_cells`] for a small view's best grid
/// candidates (`fit.rs`, `DEEP_CANDIDATES`): simulated annealing over the
/// same moves and cost, within the same extent, with a fixed seed (so it
/// is deterministic), the best arrangement seen kept and then polished by
/// [`improve_cells`]. Local moves stop where every single move or swap
/// makes things worse; the bundled SV-2 (two hubs with five systems
/// between them) is planar, yet stays at 3–5 crossings of its cells.
fn anneal_cells(cell: &mut [(i64, i64)], adj: &[Vec<usize>]) {
    let n = cell.len();
    let cc = Edges::new(adj);
    if n < 3 || cc.edges.is_empty() {
        return;
    }
    let ((x0, x1), (y0, y1)) = extent(cell);
    let (wx, wy) = ((x1 - x0 + 1) as u64, (y1 - y0 + 1) as u64);
    let mut at: BTreeMap<(i64, i64), usize> =
        cell.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let mut rng: u64 = 0x9E37_79B9_7F4A_7C15 ^ (n as u64) ^ ((cc.edges.len() as u64) << 32);
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let all: Vec<usize> = (0..n).collect();
    let mut touched = Vec::new();
    let mut cost = cc.partial(cell, &all, &mut touched);
    let (mut best_cost, mut best) = (cost, cell.to_vec());
    let (t0, t1) = (3.0f64, 0.05f64);
    for step in 0..ANNEAL_STEPS {
        let t = t0 * (t1 / t0).powf(step as f64 / ANNEAL_STEPS as f64);
        let i = (next() % n as u64) as usize;
        let from = cell[i];
        let to = if next() % 2 == 0 && !adj[i].is_empty() {
            let j = adj[i][(next() % adj[i].len() as u64) as usize];
            let (cx, cy) = cell[j];
            let dx = (next() % 3) as i64 - 1;
            let dy = (next() % 3) as i64 - 1;
            ((cx + dx).clamp(x0, x1), (cy + dy).clamp(y0, y1))
        } else {
            (x0 + (next() % wx) as i64, y0 + (next() % wy) as i64)
        };
        if to == from {
            continue;
        }
        let delta = cc.delta(cell, i, to, at.get(&to).copied(), &mut touched);
        let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
        if delta <= 0.0 || u < (-delta / t).exp() {
            move_to(cell, &mut at, i, to);
            cost += delta;
            if cost < best_cost - 1e-9 {
                best_cost = cost;
                best.copy_from_slice(cell);
            }
        }
    }
    cell.copy_from_slice(&best);
    improve_cells(cell, adj);
}

/// One remembered annealing: cells as snapped, the adjacency, the cells
/// annealed.
type Annealed = (Vec<(i64, i64)>, Vec<Vec<usize>>, Vec<(i64, i64)>);

/// The last few annealings ([`anneal_memo`]), oldest first.
static ANNEALED: std::sync::Mutex<std::collections::VecDeque<Annealed>> =
    std::sync::Mutex::new(std::collections::VecDeque::new());

/// How many annealings [`ANNEALED`] keeps.
const ANNEALED_KEEP: usize = 8;

/// [`anneal_cells`], looked up when the same cells and edges were annealed
/// lately: `Untangle::DeepKept` anneals the grid `Untangle::Deep` did
/// (same seed, so the same result) and only compacts it differently;
/// looking it up made that candidate cost a few ms instead of a whole
/// annealing (`report` on the generated M: +0.6 s without it). The result
/// is the same with or without the memo.
fn anneal_memo(cell: &mut [(i64, i64)], adj: &[Vec<usize>]) {
    let found = ANNEALED.lock().ok().and_then(|memo| {
        memo.iter()
            .find(|(from, a, _)| from.as_slice() == &*cell && a.as_slice() == adj)
            .map(|(_, _, to)| to.clone())
    });
    if let Some(to) = found {
        cell.copy_from_slice(&to);
        return;
    }
    let from = cell.to_vec();
    anneal_cells(cell, adj);
    if let Ok(mut memo) = ANNEALED.lock() {
        memo.push_back((from, adj.to_vec(), cell.to_vec()));
        while memo.len() > ANNEALED_KEEP {
            memo.pop_front();
        }
    }
}

/// Whether the segment between cell centres `a` and `b` passes through
/// cell `c` (its middle 80 %, so grazing a corner does not count).
fn seg_through_cell(a: (i64, i64), b: (i64, i64), c: (i64, i64)) -> bool {
    let r = Rect {
        x: c.0 as f64 - 0.4,
        y: c.1 as f64 - 0.4,
        w: 0.8,
        h: 0.8,
    };
    geom::seg_hits(
        pt(a.0 as f64, a.1 as f64),
        pt(b.0 as f64, b.1 as f64),
        &r,
        0.0,
    )
}

/// Whether segments `a`–`b` and `c`–`d` (no shared end) properly cross;
/// collinear overlaps count too (two edges drawn on one line).
fn segs_cross(a: (i64, i64), b: (i64, i64), c: (i64, i64), d: (i64, i64)) -> bool {
    fn orient(p: (i64, i64), q: (i64, i64), r: (i64, i64)) -> i64 {
        ((q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)).signum()
    }
    fn on(p: (i64, i64), q: (i64, i64), r: (i64, i64)) -> bool {
        r.0 >= p.0.min(q.0) && r.0 <= p.0.max(q.0) && r.1 >= p.1.min(q.1) && r.1 <= p.1.max(q.1)
    }
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    if o1 != o2 && o3 != o4 && o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 {
        return true;
    }
    (o1 == 0 && on(a, b, c))
        || (o2 == 0 && on(a, b, d))
        || (o3 == 0 && on(c, d, a))
        || (o4 == 0 && on(c, d, b))
}

/// One-dimensional compaction (along x when `along_x`, else y): boxes are
/// taken in order of their near side and each moves towards 0 until it
/// meets, with the grid's gap, a box already placed whose extent across
/// the axis overlaps its own (gap included). Order along the axis is kept,
/// so the grid's neighbourhoods survive; rows of unequal boxes close up.
/// With `keep`, a move that would make the straight edges between
/// centres worse ([`Edges::harm`]: any crossing more, or more crossings
/// and edges through boxes in all; an edge out of a box may not be bought
/// with a crossing, while a crossing may be traded for one) is shortened to a half or a quarter, or not made: a box alone
/// in its row slides to the left edge, which can undo what the cell
/// search untangled (measured on the bundled SV-2's annealed cells: 1
/// crossing and 3 edges through boxes as cells, 2 and 6 compacted; 15
/// and 9 for another annealed arrangement with one more row).
fn compact(
    centres: &mut [Point],
    sizes: &[(f64, f64)],
    along_x: bool,
    gaps: (f64, f64),
    keep: Option<&Edges>,
) {
    let n = centres.len();
    let (gap, cross_gap) = if along_x { gaps } else { (gaps.1, gaps.0) };
    // (near, far, cross_lo, cross_hi) of box i.
    let span = |c: Point, (w, h): (f64, f64)| -> (f64, f64, f64, f64) {
        if along_x {
            (c.x - w / 2.0, c.x + w / 2.0, c.y - h / 2.0, c.y + h / 2.0)
        } else {
            (c.y - h / 2.0, c.y + h / 2.0, c.x - w / 2.0, c.x + w / 2.0)
        }
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let (na, nb) = (span(centres[a], sizes[a]).0, span(centres[b], sizes[b]).0);
        na.partial_cmp(&nb)
            .unwrap_or(Ordering::Equal)
            .then(a.cmp(&b))
    });
    let mut done: Vec<usize> = Vec::with_capacity(n);
    for &i in &order {
        let (near, _, lo, hi) = span(centres[i], sizes[i]);
        let mut to = 0.0f64;
        for &j in &done {
            let (_, jfar, jlo, jhi) = span(centres[j], sizes[j]);
            if jlo < hi + cross_gap && lo < jhi + cross_gap {
                to = to.max(jfar + gap);
            }
        }
        let shift = to.min(near) - near;
        if shift < 0.0 {
            let from = centres[i];
            let before = keep.map(|k| k.harm(centres, sizes, i));
            for f in [1.0, 0.5, 0.25, 0.0] {
                centres[i] = if along_x {
                    pt(from.x + shift * f, from.y)
                } else {
                    pt(from.x, from.y + shift * f)
                };
                let worse = keep
                    .zip(before)
                    .is_some_and(|(k, b)| k.harm(centres, sizes, i).worse_than(b));
                if !worse {
                    break;
                }
            }
        }
        done.push(i);
    }
}

impl Edges {
    /// What node `i`'s position costs the straight edges: crossings of
    /// its edges with the others; its edges through other boxes, and
    /// other edges through its box.
    fn harm(&self, centres: &[Point], sizes: &[(f64, f64)], i: usize) -> Harm {
        let rect = |j: usize| Rect {
            x: centres[j].x - sizes[j].0 / 2.0,
            y: centres[j].y - sizes[j].1 / 2.0,
            w: sizes[j].0,
            h: sizes[j].1,
        };
        let mut harm = Harm::default();
        for &k in &self.incident[i] {
            let (a, b) = self.edges[k];
            let (pa, pb) = (centres[a], centres[b]);
            for j in 0..centres.len() {
                if j != a && j != b && geom::seg_hits(pa, pb, &rect(j), 0.0) {
                    harm.through += 1;
                }
            }
            for &(c, d) in &self.edges {
                if c != a
                    && c != b
                    && d != a
                    && d != b
                    && crate::render::crossings::proper_intersection(pa, pb, centres[c], centres[d])
                        .is_some()
                {
                    harm.crossings += 1;
                }
            }
        }
        let r = rect(i);
        for &(a, b) in &self.edges {
            if a != i && b != i && geom::seg_hits(centres[a], centres[b], &r, 0.0) {
                harm.through += 1;
            }
        }
        harm
    }
}

/// What a box's position does to the straight edges ([`Edges::harm`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Harm {
    /// Crossings of its edges with the others.
    crossings: usize,
    /// Its edges through other boxes, other edges through its box.
    through: usize,
}

impl Harm {
    fn total(self) -> usize {
        self.crossings + self.through
    }

    /// Whether `self` (after a move) is worse than `before`: more harm, or
    /// a crossing more at all. An edge through a box is routed around it;
    /// a crossing stays one in the drawing, so a move may not buy one off
    /// with an edge out of a box (the bundled SV-2's compaction did: its
    /// annealed cells had no crossing, the drawing one).
    fn worse_than(self, before: Harm) -> bool {
        self.crossings > before.crossings || self.total() > before.total()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adjacency(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
        let mut adj = vec![Vec::new(); n];
        for &(a, b) in edges {
            adj[a].push(b);
            adj[b].push(a);
        }
        adj
    }

    fn straight_crossings(cell: &[(i64, i64)], edges: &[(usize, usize)]) -> usize {
        let mut k = 0;
        for (i, &(a, b)) in edges.iter().enumerate() {
            for &(c, d) in &edges[i + 1..] {
                if ![c, d].contains(&a)
                    && ![c, d].contains(&b)
                    && segs_cross(cell[a], cell[b], cell[c], cell[d])
                {
                    k += 1;
                }
            }
        }
        k
    }

    #[test]
    fn segments_cross_properly_or_on_one_line() {
        assert!(segs_cross((0, 0), (2, 2), (0, 2), (2, 0)));
        assert!(!segs_cross((0, 0), (2, 0), (0, 1), (2, 1)));
        // two edges drawn over each other along one row
        assert!(segs_cross((0, 0), (3, 0), (1, 0), (2, 0)));
        // near miss: on the same line but apart
        assert!(!segs_cross((0, 0), (1, 0), (2, 0), (3, 0)));
    }

    #[test]
    fn a_crossing_of_parallel_edges_costs_per_edge() {
        // 0 - 1 crossed by 2 - 3 (the diagonals of a square): with 0 - 1
        // listed twice (two parallel edges) the crossing costs twice
        let cell = vec![(0, 0), (1, 1), (1, 0), (0, 1)];
        let all: Vec<usize> = (0..4).collect();
        let mut touched = Vec::new();
        let once = Edges::new(&adjacency(4, &[(0, 1), (2, 3)]));
        let twice = Edges::new(&adjacency(4, &[(0, 1), (0, 1), (2, 3)]));
        assert_eq!(twice.edges, once.edges);
        assert_eq!(twice.weight, vec![2.0, 1.0]);
        let (c1, c2) = (
            once.partial(&cell, &all, &mut touched),
            twice.partial(&cell, &all, &mut touched),
        );
        assert!((c2 - c1 - CELL_CROSS).abs() < 1e-9, "{c1} {c2}");
        // the same seen from the single edge's end (the doubled pair is
        // then the other edge of the crossing)
        let (m1, m2) = (
            once.partial(&cell, &[2], &mut touched),
            twice.partial(&cell, &[2], &mut touched),
        );
        assert!((m2 - m1 - CELL_CROSS).abs() < 1e-9, "{m1} {m2}");
        // near miss: parallel edges that cross nothing cost as one
        let apart = vec![(0, 0), (1, 0), (0, 1), (1, 1)];
        let (a1, a2) = (
            once.partial(&apart, &all, &mut touched),
            twice.partial(&apart, &all, &mut touched),
        );
        assert!((a2 - a1).abs() < 1e-9, "{a1} {a2}");
    }

    #[test]
    fn untangling_removes_a_crossing_the_snap_left() {
        // 0 1      two diagonals that cross; swapping 2 and 3 makes them
        // 2 3      two parallel columns
        let edges = [(0, 3), (1, 2)];
        let mut cell = vec![(0, 0), (1, 0), (0, 1), (1, 1)];
        assert_eq!(straight_crossings(&cell, &edges), 1);
        improve_cells(&mut cell, &adjacency(4, &edges));
        assert_eq!(straight_crossings(&cell, &edges), 0);
        // still one node per cell, inside the grid's extent
        let mut seen = cell.clone();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 4);
        assert!(cell
            .iter()
            .all(|c| (0..=1).contains(&c.0) && (0..=1).contains(&c.1)));
    }

    #[test]
    fn untangling_takes_a_spoke_out_of_the_way() {
        // a hub (0) in the middle of a row with a spoke (3) beyond a
        // neighbour (1): 0–3 runs through 1's box
        //   0 1 3
        //   2 . .
        let edges = [(0, 1), (0, 2), (0, 3)];
        let mut cell = vec![(0, 0), (1, 0), (0, 1), (2, 0)];
        improve_cells(&mut cell, &adjacency(4, &edges));
        for &(a, b) in &edges {
            for (j, &c) in cell.iter().enumerate() {
                assert!(
                    j == a || j == b || !seg_through_cell(cell[a], cell[b], c),
                    "{a}–{b} through {j}: {cell:?}"
                );
            }
        }
    }

    #[test]
    fn annealing_goes_further_than_local_moves() {
        // a 3 × 4 grid graph (planar: drawable with no crossing) dealt
        // shuffled onto the cells of a 4 × 4 grid; local moves stop at a
        // local minimum, annealing (then local moves) gets lower on every
        // deal tried, and is deterministic
        let mut edges = Vec::new();
        for r in 0..3 {
            for c in 0..4 {
                let i = r * 4 + c;
                if c < 3 {
                    edges.push((i, i + 1));
                }
                if r < 2 {
                    edges.push((i, i + 4));
                }
            }
        }
        let adj = adjacency(12, &edges);
        let cc = Edges::new(&adj);
        let cost =
            |cell: &[(i64, i64)]| cc.partial(cell, &(0..12).collect::<Vec<_>>(), &mut Vec::new());
        let (mut local_total, mut deep_total) = (0.0, 0.0);
        for seed in 1..=5u64 {
            let mut free: Vec<(i64, i64)> = (0..16).map(|k| (k % 4, k / 4)).collect();
            let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let mut cell = Vec::new();
            for _ in 0..12 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                cell.push(free.swap_remove((x % free.len() as u64) as usize));
            }
            // keep the extent 4 × 4 whatever the deal
            let (mut local, mut deep) = (cell.clone(), cell.clone());
            improve_cells(&mut local, &adj);
            anneal_cells(&mut deep, &adj);
            let mut again = cell.clone();
            anneal_cells(&mut again, &adj);
            assert_eq!(deep, again, "annealing is not deterministic");
            let mut seen = deep.clone();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), 12, "two nodes share a cell: {deep:?}");
            let ((x0, x1), (y0, y1)) = extent(&cell);
            assert!(deep
                .iter()
                .all(|c| (x0..=x1).contains(&c.0) && (y0..=y1).contains(&c.1)));
            assert!(
                cost(&deep) <= cost(&local) + 1e-9,
                "seed {seed}: {deep:?} vs {local:?}"
            );
            local_total += cost(&local);
            deep_total += cost(&deep);
        }
        assert!(deep_total < local_total, "{deep_total} vs {local_total}");
    }

    #[test]
    fn a_remembered_annealing_is_the_annealing() {
        // a 5-cycle dealt so that it crosses itself, and a near miss: the
        // same cells with one edge fewer must not be answered from memory
        let cycle = [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)];
        let cells = vec![(0, 0), (2, 1), (1, 0), (2, 0), (0, 1), (1, 1)];
        let mut adj = adjacency(6, &cycle);
        adj[5].push(0);
        adj[0].push(5);
        let mut direct = cells.clone();
        anneal_cells(&mut direct, &adj);
        for _ in 0..2 {
            // a miss, then a hit
            let mut memo = cells.clone();
            anneal_memo(&mut memo, &adj);
            assert_eq!(memo, direct);
        }
        let fewer = adjacency(6, &cycle[..4]);
        let mut other = cells.clone();
        anneal_cells(&mut other, &fewer);
        assert_ne!(other, direct, "the near miss anneals like the first");
        let mut memo = cells.clone();
        anneal_memo(&mut memo, &fewer);
        assert_eq!(memo, other);
    }

    #[test]
    fn a_grid_without_tangles_is_left_alone() {
        // a path along one row: nothing to gain
        let edges = [(0, 1), (1, 2)];
        let mut cell = vec![(0, 0), (1, 0), (2, 0)];
        improve_cells(&mut cell, &adjacency(3, &edges));
        assert_eq!(cell, vec![(0, 0), (1, 0), (2, 0)]);
    }

    /// Boxes 0 and 1 in the top row, 2 alone in the middle row under 1, 4
    /// and 3 in the bottom row; every box 200×60.
    fn rows() -> (Vec<Point>, Vec<(f64, f64)>) {
        let centres = vec![
            pt(0.0, 0.0),
            pt(310.0, 0.0),
            pt(310.0, 200.0),
            pt(310.0, 400.0),
            pt(0.0, 400.0),
        ];
        (centres, vec![(200.0, 60.0); 5])
    }

    fn compacted(edges: &[(usize, usize)], keep: bool) -> (Vec<Point>, usize) {
        let (mut centres, sizes) = rows();
        let adj = adjacency(5, edges);
        let straight = Edges::new(&adj);
        compact(
            &mut centres,
            &sizes,
            true,
            (110.0, 70.0),
            keep.then_some(&straight),
        );
        let harm = (0..5)
            .map(|i| straight.harm(&centres, &sizes, i).total())
            .sum();
        (centres, harm)
    }

    #[test]
    fn kept_compaction_does_not_tangle_what_was_straight() {
        // free, box 2 slides left under box 0, and its edge to box 1
        // crosses the diagonal 0–3; kept, it stays where it crosses
        // nothing (half and quarter of the way put it on the diagonal)
        let edges = [(1, 2), (0, 3)];
        let (free, harm) = compacted(&edges, false);
        assert_eq!(free[2].x, 100.0);
        assert!(harm > 0);
        let (kept, harm) = compacted(&edges, true);
        assert_eq!(harm, 0);
        assert_eq!(kept[2].x, 310.0);
    }

    #[test]
    fn kept_compaction_does_not_buy_an_edge_out_of_a_box_with_a_crossing() {
        let (through, crossing) = (
            Harm {
                crossings: 0,
                through: 1,
            },
            Harm {
                crossings: 1,
                through: 0,
            },
        );
        // the same total, but a crossing stays in the drawing
        assert!(crossing.worse_than(through));
        // near miss: the other way round is a gain the router can use
        assert!(!through.worse_than(crossing));
        assert!(!through.worse_than(through));
        assert!(Harm {
            crossings: 0,
            through: 2
        }
        .worse_than(through));
    }

    #[test]
    fn kept_compaction_still_closes_harmless_gaps() {
        // near miss: without the diagonal, the move harms nothing
        let (kept, harm) = compacted(&[(1, 2)], true);
        assert_eq!(harm, 0);
        assert_eq!(kept[2].x, 100.0);
    }
}
