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
/// its layered centres. `aspect`: width : height the grid aims for.
pub(super) fn place_grid(
    sizes: &[(f64, f64)],
    links: &[Link],
    seed: &[Point],
    aspect: f64,
    gap: f64,
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
    for _ in 0..2 {
        compact(&mut centres, sizes, true, (col_gap, row_gap));
        compact(&mut centres, sizes, false, (col_gap, row_gap));
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

/// One-dimensional compaction (along x when `along_x`, else y): boxes are
/// taken in order of their near side and each moves towards 0 until it
/// meets, with the grid's gap, a box already placed whose extent across
/// the axis overlaps its own (gap included). Order along the axis is kept,
/// so the grid's neighbourhoods survive; rows of unequal boxes close up.
fn compact(centres: &mut [Point], sizes: &[(f64, f64)], along_x: bool, gaps: (f64, f64)) {
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
        if along_x {
            centres[i].x += shift;
        } else {
            centres[i].y += shift;
        }
        done.push(i);
    }
}
