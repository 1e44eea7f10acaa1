//! Edge routing: parallel offsets, clipping to the end boxes, rerouting of
//! segments that cross boxes (A* in a local visibility graph).

use super::*;

/// Builds every edge's path from the layered routes: parallel offsets,
/// clipping to the end boxes, and rerouting of segments that cross boxes.
/// The placed boxes and layered routes that edge routing starts from.
pub(super) struct Scene<'a> {
    pub(super) nodes: &'a [Rect],
    pub(super) frames: &'a [Rect],
    pub(super) group_of: &'a [Option<usize>],
    pub(super) flow: Flow,
    pub(super) inner: &'a [Placed],
    pub(super) member_origin: &'a [Point],
    pub(super) outer: &'a Placed,
}

pub(super) fn route_edges(d: &Diagram, sc: &Scene<'_>, src: &[RouteSrc]) -> Vec<EdgePath> {
    let nodes = sc.nodes;
    let title_band = GROUP_TITLE_BAND;
    // Moves the port where an outer route meets a group's rank band in line
    // with the member it belongs to, so the edge leaves the member straight
    // along the flow instead of converging on one point of the frame.
    let snap = |p: &mut Point, node: usize| {
        let Some(g) = sc.group_of[node] else { return };
        let (fr, c) = (sc.frames[g], nodes[node].center());
        match sc.flow {
            Flow::TopDown => p.x = c.x.clamp(fr.x + GROUP_PAD, fr.x + fr.w - GROUP_PAD),
            Flow::LeftRight => {
                p.y =
                    c.y.clamp(fr.y + title_band + GROUP_PAD, fr.y + fr.h - GROUP_PAD)
            }
        }
    };
    let extent = nodes.iter().fold(rect(0.0, 0.0, 1.0, 1.0), |acc, r| {
        let x1 = (acc.x + acc.w).max(r.x + r.w);
        let y1 = (acc.y + acc.h).max(r.y + r.h);
        rect(0.0, 0.0, x1, y1)
    });
    let mut grid = RectGrid::new(inflate(&extent, 64.0), nodes.len());
    for r in nodes {
        grid.insert(*r);
    }

    // Bundles: edges sharing one layered route share it with offsets.
    let mut bundles: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (ei, s) in src.iter().enumerate() {
        match *s {
            RouteSrc::Inner { g, l, .. } => bundles.entry((g, l)).or_default().push(ei),
            RouteSrc::Outer { l, .. } => bundles.entry((usize::MAX, l)).or_default().push(ei),
            _ => {}
        }
    }
    let mut offset = vec![0.0f64; src.len()];
    for list in bundles.values() {
        let k = list.len();
        if k < 2 {
            continue;
        }
        let gap = PAR_GAP.min(40.0 / (k - 1) as f64);
        for (i, &ei) in list.iter().enumerate() {
            offset[ei] = (i as f64 - (k - 1) as f64 / 2.0) * gap;
        }
    }

    let mut scratch = Vec::new();
    let mut paths = Vec::with_capacity(d.edges.len());
    for (ei, e) in d.edges.iter().enumerate() {
        let layered = match src[ei] {
            RouteSrc::Inner { g, l, fwd } => {
                Some((&sc.inner[g].routes[l], sc.member_origin[g], fwd))
            }
            RouteSrc::Outer { l, fwd } => Some((&sc.outer.routes[l], pt(MARGIN, MARGIN), fwd)),
            RouteSrc::Invalid | RouteSrc::SelfLoop => None,
        };
        let pts = match (src[ei], layered) {
            (RouteSrc::SelfLoop, _) => {
                let r = nodes[e.from];
                let x1 = r.x + r.w;
                let ya = r.y + r.h * 0.35;
                let yb = r.y + r.h * 0.65;
                let raw = vec![
                    pt(x1, ya),
                    pt(x1 + LOOP_OUT, ya),
                    pt(x1 + LOOP_OUT, yb),
                    pt(x1, yb),
                ];
                repair(&raw, &grid, &mut scratch)
            }
            (_, Some((interior, origin, fwd))) => {
                let (ra, rb) = if fwd {
                    (nodes[e.from], nodes[e.to])
                } else {
                    (nodes[e.to], nodes[e.from])
                };
                let mut line = Vec::with_capacity(interior.len() + 2);
                line.push(ra.center());
                line.extend(interior.iter().map(|q| pt(q.x + origin.x, q.y + origin.y)));
                line.push(rb.center());
                if matches!(src[ei], RouteSrc::Outer { .. }) && line.len() > 2 {
                    let (na, nb) = if fwd { (e.from, e.to) } else { (e.to, e.from) };
                    let last = line.len() - 2;
                    snap(&mut line[1], na);
                    snap(&mut line[last], nb);
                }
                let line = offset_polyline(&line, offset[ei], &ra, &rb, &grid, &mut scratch);
                let mut pts = clip_ends(&line, &ra, &rb);
                if !fwd {
                    pts.reverse();
                }
                repair(&pts, &grid, &mut scratch)
            }
            (_, None) => vec![pt(MARGIN, MARGIN), pt(MARGIN, MARGIN)],
        };
        paths.push(EdgePath {
            points: pts,
            label: None,
            tag: None,
        });
    }
    paths
}

/// Shifts a polyline sideways by `off` (positive: to the right of its
/// direction). The ends move at most 30 % of their box's smaller side so
/// they stay inside the boxes.
pub(super) fn offset_polyline(
    line: &[Point],
    off: f64,
    ra: &Rect,
    rb: &Rect,
    grid: &RectGrid,
    scratch: &mut Vec<usize>,
) -> Vec<Point> {
    if off == 0.0 || line.len() < 2 {
        return line.to_vec();
    }
    let m = line.len();
    let normal = |i: usize| -> Point {
        let (a, b) = (line[i], line[i + 1]);
        let len = dist(a, b);
        if len < 1e-9 {
            pt(0.0, 0.0)
        } else {
            pt(-(b.y - a.y) / len, (b.x - a.x) / len)
        }
    };
    let mut out = Vec::with_capacity(m);
    for (i, &p) in line.iter().enumerate() {
        let nrm = if i == 0 {
            normal(0)
        } else if i == m - 1 {
            normal(m - 2)
        } else {
            let (n1, n2) = (normal(i - 1), normal(i));
            let s = pt(n1.x + n2.x, n1.y + n2.y);
            let len = (s.x * s.x + s.y * s.y).sqrt();
            if len < 1e-9 {
                n1
            } else {
                // Keep the offset distance on both adjacent segments.
                let cos_half = (len / 2.0).max(0.5);
                pt(s.x / len / cos_half, s.y / len / cos_half)
            }
        };
        let mut o = off;
        if i == 0 {
            let cap = 0.3 * ra.w.min(ra.h);
            o = o.clamp(-cap, cap);
        } else if i == m - 1 {
            let cap = 0.3 * rb.w.min(rb.h);
            o = o.clamp(-cap, cap);
        }
        let q = pt(p.x + nrm.x * o, p.y + nrm.y * o);
        // An interior point pushed into a box (sharp turns next to a box)
        // stays where it was.
        let blocked = i > 0 && i < m - 1 && {
            grid.query(&rect(q.x, q.y, 0.0, 0.0), scratch);
            scratch
                .iter()
                .any(|&k| strictly_inside(&inflate(&grid.rects[k], 1.0), q))
        };
        out.push(if blocked { p } else { q });
    }
    out
}

/// Cuts a polyline running from inside `ra` to inside `rb` so it starts
/// where it last leaves `ra` and ends where it first enters `rb` after
/// that.
pub(super) fn clip_ends(line: &[Point], ra: &Rect, rb: &Rect) -> Vec<Point> {
    let straight = || -> Vec<Point> {
        let (ca, cb) = (ra.center(), rb.center());
        let s = clip_interval(ca, cb, ra).map_or(ca, |(_, t1)| lerp(ca, cb, t1));
        let e = clip_interval(ca, cb, rb).map_or(cb, |(t0, _)| lerp(ca, cb, t0));
        vec![s, e]
    };
    // Start: the first segment whose end lies outside `ra`.
    let Some(i) = (0..line.len().saturating_sub(1)).find(|&i| !contains(ra, line[i + 1])) else {
        return straight();
    };
    let start = match clip_interval(line[i], line[i + 1], ra) {
        Some((_, t1)) => lerp(line[i], line[i + 1], t1),
        None => line[i],
    };
    let mut pts = vec![start];
    pts.extend_from_slice(&line[i + 1..]);
    // End: the first segment (from the start) that enters `rb`.
    let Some(j) = (0..pts.len() - 1).find(|&j| contains(rb, pts[j + 1])) else {
        return straight();
    };
    let end = match clip_interval(pts[j], pts[j + 1], rb) {
        Some((t0, _)) => lerp(pts[j], pts[j + 1], t0),
        None => pts[j + 1],
    };
    pts.truncate(j + 1);
    pts.push(end);
    if contains(rb, pts[0]) {
        return straight();
    }
    simplify(pts)
}

/// Drops repeated and collinear interior points (keeps at least two).
pub(super) fn simplify(pts: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for p in pts {
        if let Some(last) = out.last() {
            if dist(*last, p) < 1e-6 {
                continue;
            }
        }
        if out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
            let dot = (b.x - a.x) * (p.x - b.x) + (b.y - a.y) * (p.y - b.y);
            if cross.abs() < 1e-6 * dist(a, p).max(1.0) && dot >= 0.0 {
                out.pop();
            }
        }
        out.push(p);
    }
    if out.len() == 1 {
        let p = out[0];
        out.push(p);
    }
    out
}

/// Replaces every segment that crosses the interior of a node box (any box,
/// the path's own ends included: a path must not run back through them)
/// with a detour around the boxes.
pub(super) fn repair(pts: &[Point], grid: &RectGrid, scratch: &mut Vec<usize>) -> Vec<Point> {
    let hits = |a: Point, b: Point, scratch: &mut Vec<usize>| -> bool {
        grid.query(&seg_bbox(a, b), scratch);
        scratch
            .iter()
            .any(|&i| seg_hits(a, b, &grid.rects[i], 1e-6))
    };
    if pts.len() < 2 || !pts.windows(2).any(|w| hits(w[0], w[1], scratch)) {
        return pts.to_vec();
    }
    // A bend inside a box (a route laid out before another component was
    // packed over it) cannot be routed around: drop it, keep the ends.
    let inside = |p: Point, scratch: &mut Vec<usize>| {
        grid.query(&seg_bbox(p, p), scratch);
        scratch.iter().any(|&i| strictly_inside(&grid.rects[i], p))
    };
    let last = pts.len() - 1;
    let pts: Vec<Point> = pts
        .iter()
        .enumerate()
        .filter(|&(i, &p)| i == 0 || i == last || !inside(p, scratch))
        .map(|(_, &p)| p)
        .collect();
    let mut out: Vec<Point> = vec![pts[0]];
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if !hits(a, b, scratch) {
            out.push(b);
            continue;
        }
        let detour = route_around(a, b, grid, CLEAR).or_else(|| route_around(a, b, grid, 1.0));
        match detour {
            Some(p) => out.extend_from_slice(&p[1..]),
            None => out.push(b),
        }
    }
    simplify(out)
}

/// A* state ordered by smallest estimate first (ties: lowest vertex id).
#[derive(PartialEq)]
pub(super) struct Open(f64, usize);

impl Eq for Open {}

impl PartialOrd for Open {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Open {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// Shortest path from `a` to `b` avoiding box interiors (kept `clear` px
/// away where the ends allow), through a visibility graph of the corners
/// of the boxes near the segment. The search window grows until a path is
/// found.
pub(super) fn route_around(a: Point, b: Point, grid: &RectGrid, clear: f64) -> Option<Vec<Point>> {
    let mut margin = 60.0;
    let mut ids = Vec::new();
    for _ in 0..6 {
        let window = inflate(&seg_bbox(a, b), margin);
        grid.query(&window, &mut ids);
        // Obstacles: boxes with clearance, except that a box whose
        // clearance zone holds an end point (the path's own end boxes,
        // close neighbours) keeps its bare outline.
        let obst: Vec<Rect> = ids
            .iter()
            .map(|&i| {
                let r = grid.rects[i];
                let big = inflate(&r, clear);
                if contains(&big, a) || contains(&big, b) {
                    r
                } else {
                    big
                }
            })
            // A box the end itself is in cannot be avoided; ignore it rather
            // than fail (callers keep ends outside boxes).
            .filter(|r| r.overlaps(&window) && !strictly_inside(r, a) && !strictly_inside(r, b))
            .collect();
        let mut verts = vec![a, b];
        for o in &obst {
            let c = inflate(o, 1.0);
            for v in [
                pt(c.x, c.y),
                pt(c.x + c.w, c.y),
                pt(c.x, c.y + c.h),
                pt(c.x + c.w, c.y + c.h),
            ] {
                if contains(&window, v) && !obst.iter().any(|r| strictly_inside(r, v)) {
                    verts.push(v);
                }
            }
        }
        if let Some(p) = astar(&verts, &obst) {
            return Some(p);
        }
        margin *= 2.5;
    }
    None
}

/// A* over the visibility graph of `verts` (0 = start, 1 = goal).
pub(super) fn astar(verts: &[Point], obst: &[Rect]) -> Option<Vec<Point>> {
    let nv = verts.len();
    let goal = verts[1];
    let visible = |i: usize, j: usize| -> bool {
        let (p, q) = (verts[i], verts[j]);
        !obst.iter().any(|r| seg_hits(p, q, r, 1e-6))
    };
    let mut g = vec![f64::INFINITY; nv];
    let mut parent = vec![usize::MAX; nv];
    let mut closed = vec![false; nv];
    let mut heap = BinaryHeap::new();
    g[0] = 0.0;
    heap.push(Open(dist(verts[0], goal), 0));
    while let Some(Open(_, u)) = heap.pop() {
        if closed[u] {
            continue;
        }
        if u == 1 {
            let mut path = vec![verts[1]];
            let mut v = 1;
            while parent[v] != usize::MAX {
                v = parent[v];
                path.push(verts[v]);
            }
            path.reverse();
            return Some(path);
        }
        closed[u] = true;
        for v in 0..nv {
            if closed[v] || v == u {
                continue;
            }
            let nd = g[u] + dist(verts[u], verts[v]);
            if nd + 1e-9 < g[v] && visible(u, v) {
                g[v] = nd;
                parent[v] = u;
                heap.push(Open(nd + dist(verts[v], goal), v));
            }
        }
    }
    None
}

/// Least distance between two edge ends on one side of a box in a drawing
/// with straight (layered) routes: an arrowhead is 9 px wide, so two ends
/// this far apart never touch.
const END_GAP: f64 = 14.0;

/// Spreads the ends of straight (layered) routes that meet on one side of
/// a box closer than [`END_GAP`] (a two-way pair drawn as two edges, or
/// several edges from one direction), so no arrowhead lands on another
/// edge's end: the orthogonal router's port slots, for straight routes.
/// Ends keep their order along the side (ties by the direction they
/// leave in, so the spread adds no crossing at the box) and move as
/// little as they can (isotonic regression). A moved end whose first
/// segment would then cross a box or a frame's title stays where it was.
pub(super) fn spread_ends(d: &Diagram, nodes: &[Rect], frames: &[Rect], paths: &mut [EdgePath]) {
    let n = nodes.len();
    // (node, side) -> [(edge, at the start?)]; sides: 0 top, 1 right,
    // 2 bottom, 3 left
    let mut sides: BTreeMap<(usize, u8), Vec<(usize, bool)>> = BTreeMap::new();
    for (ei, e) in d.edges.iter().enumerate() {
        let pts = &paths[ei].points;
        if e.from >= n || e.to >= n || e.from == e.to || pts.len() < 2 {
            continue;
        }
        for (node, start) in [(e.from, true), (e.to, false)] {
            let (p, q) = end_and_next(pts, start);
            if let Some(side) = side_of(&nodes[node], p, q) {
                sides.entry((node, side)).or_default().push((ei, start));
            }
        }
    }
    let bands: Vec<Rect> = frames
        .iter()
        .map(|r| rect(r.x, r.y, r.w, GROUP_TITLE_BAND.min(r.h)))
        .collect();
    for ((node, side), mut ends) in sides {
        if ends.len() < 2 {
            continue;
        }
        let r = nodes[node];
        let horizontal = side % 2 == 0;
        let along = |p: Point| if horizontal { p.x } else { p.y };
        // where the end is along the side, and which way it leaves (the
        // slope across the side: ends that leave further left / up go
        // first, so moving them apart uncrosses them)
        let key = |&(ei, start): &(usize, bool)| -> (f64, f64) {
            let (p, q) = end_and_next(&paths[ei].points, start);
            let (da, dc) = if horizontal {
                (q.x - p.x, (q.y - p.y).abs())
            } else {
                (q.y - p.y, (q.x - p.x).abs())
            };
            (along(p), da / dc.max(1e-6))
        };
        ends.sort_by(|a, b| {
            let (ka, kb) = (key(a), key(b));
            ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
        });
        // ends within the gap of each other keep the order of their slopes
        let mut swapped = true;
        while swapped {
            swapped = false;
            for i in 1..ends.len() {
                let (ka, kb) = (key(&ends[i - 1]), key(&ends[i]));
                if kb.0 - ka.0 < END_GAP && kb.1 < ka.1 {
                    ends.swap(i - 1, i);
                    swapped = true;
                }
            }
        }
        let at: Vec<f64> = ends.iter().map(|e| key(e).0).collect();
        if at.windows(2).all(|w| w[1] - w[0] >= END_GAP - 1e-6) {
            continue;
        }
        let (lo, hi) = if horizontal {
            (r.x, r.x + r.w)
        } else {
            (r.y, r.y + r.h)
        };
        let margin = END_GAP.min((hi - lo) / 4.0);
        let (lo, hi) = (lo + margin, hi - margin);
        let k = ends.len();
        let gap = END_GAP.min((hi - lo).max(0.0) / (k - 1) as f64);
        let want = spread_1d(&at, gap, lo, hi);
        for (&(ei, start), &to) in ends.iter().zip(&want) {
            let pts = &paths[ei].points;
            let (p, q) = end_and_next(pts, start);
            // on the side exactly (an end within half a pixel of a corner
            // may have been read as on the other side)
            let moved = match side {
                0 => pt(to, r.y),
                1 => pt(r.x + r.w, to),
                2 => pt(to, r.y + r.h),
                _ => pt(r.x, to),
            };
            if dist(moved, p) < 0.01 {
                continue;
            }
            // the segment from the moved end must not cross a box (its
            // own included: it starts on the border and leaves outward)
            let clear = !nodes.iter().any(|b| seg_hits(moved, q, b, 1e-3))
                && !bands.iter().any(|t| seg_hits(moved, q, t, 1e-3));
            if clear {
                let m = paths[ei].points.len();
                paths[ei].points[if start { 0 } else { m - 1 }] = moved;
            }
        }
    }
}

/// An end of a polyline and the point next to it.
fn end_and_next(pts: &[Point], start: bool) -> (Point, Point) {
    let m = pts.len();
    if start {
        (pts[0], pts[1])
    } else {
        (pts[m - 1], pts[m - 2])
    }
}

/// Which side of `r` an edge end `p` lies on (0 top, 1 right, 2 bottom,
/// 3 left), `q` the next point of its route deciding at a corner; `None`
/// off the border.
fn side_of(r: &Rect, p: Point, q: Point) -> Option<u8> {
    const NEAR: f64 = 0.5;
    if !contains(&inflate(r, NEAR), p) {
        return None;
    }
    let d = [
        (p.y - r.y).abs(),
        (p.x - r.x - r.w).abs(),
        (p.y - r.y - r.h).abs(),
        (p.x - r.x).abs(),
    ];
    let near: Vec<u8> = (0..4u8).filter(|&s| d[s as usize] <= NEAR).collect();
    match near[..] {
        [] => None,
        [s] => Some(s),
        // a corner: the side the route leaves through
        _ => {
            let (dx, dy) = (q.x - p.x, q.y - p.y);
            let s = if dy.abs() >= dx.abs() {
                if dy < 0.0 {
                    0
                } else {
                    2
                }
            } else if dx > 0.0 {
                1
            } else {
                3
            };
            near.contains(&s).then_some(s).or(near.first().copied())
        }
    }
}

/// Positions as near `at` as they can be, in the order given, each at least `gap`
/// after the one before and all within `lo..=hi` (which holds them when
/// `gap` × (count − 1) ≤ hi − lo): the least-squares projection (pool
/// adjacent violators on `at[i] − i·gap`), then clamped into the range.
fn spread_1d(at: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let k = at.len();
    // blocks of (sum, count), each block's value its mean
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(k);
    for (i, &a) in at.iter().enumerate() {
        blocks.push((a - i as f64 * gap, 1));
        while blocks.len() > 1 {
            let (s1, c1) = blocks[blocks.len() - 1];
            let (s0, c0) = blocks[blocks.len() - 2];
            if s0 / c0 as f64 <= s1 / c1 as f64 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (s0 + s1, c0 + c1);
        }
    }
    let mut out: Vec<f64> = Vec::with_capacity(k);
    for (s, c) in blocks {
        for _ in 0..c {
            let i = out.len();
            out.push(s / c as f64 + i as f64 * gap);
        }
    }
    // each into its own window (a clamp keeps the gaps: the windows move
    // by `gap` from one position to the next)
    for (i, v) in out.iter_mut().enumerate() {
        let (l, h) = (lo + i as f64 * gap, hi - (k - 1 - i) as f64 * gap);
        *v = v.max(l).min(h.max(l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::diagram::{Edge, Node, Shape};

    fn grid_of(boxes: &[Rect]) -> RectGrid {
        let mut g = RectGrid::new(rect(0.0, 0.0, 800.0, 800.0), boxes.len());
        for b in boxes {
            g.insert(*b);
        }
        g
    }

    #[test]
    fn a_bend_inside_a_box_is_dropped_and_the_edge_goes_around() {
        // the regression of properties.proptest-regressions (3fd586b5…): a
        // layered bend left inside a box packed over it
        let from = rect(40.0, 400.0, 200.0, 100.0);
        let to = rect(600.0, 660.0, 110.0, 90.0);
        let blocker = rect(24.0, 580.0, 190.0, 105.0);
        let grid = grid_of(&[from, to, blocker]);
        let pts = [pt(140.0, 500.0), pt(140.0, 610.0), pt(650.0, 660.0)];
        let out = repair(&pts, &grid, &mut Vec::new());
        assert_eq!(out.first(), pts.first());
        assert_eq!(out.last(), pts.last());
        for w in out.windows(2) {
            assert!(!seg_hits(w[0], w[1], &blocker, 1e-6), "{out:?}");
        }
        // near miss: the same bend outside every box is kept
        let clear = [pt(140.0, 500.0), pt(300.0, 560.0), pt(650.0, 660.0)];
        assert_eq!(repair(&clear, &grid, &mut Vec::new()), clear.to_vec());
    }

    #[test]
    fn spread_keeps_order_and_gap_and_moves_little() {
        // three ends on one point and one far away: the three spread
        // around where they were, the far one stays
        let out = spread_1d(&[50.0, 50.0, 50.0, 90.0], 14.0, 0.0, 100.0);
        assert_eq!(out, vec![36.0, 50.0, 64.0, 90.0]);
        // near miss: ends already apart are left where they are
        let apart = [10.0, 30.0, 60.0];
        assert_eq!(spread_1d(&apart, 14.0, 0.0, 100.0), apart.to_vec());
        // against a side's end: pushed inside, gaps kept
        let out = spread_1d(&[98.0, 99.0, 100.0], 14.0, 10.0, 90.0);
        assert_eq!(out, vec![62.0, 76.0, 90.0]);
        // unsorted input (ends ordered by direction) still comes out in
        // order and apart
        let out = spread_1d(&[52.0, 48.0], 14.0, 0.0, 100.0);
        assert_eq!(out, vec![43.0, 57.0]);
    }

    #[test]
    fn two_way_pair_on_one_point_is_spread_apart() {
        // a -> b and b -> a drawn as two straight edges ending on one
        // point of each box: after the spread, the ends on each box are
        // END_GAP apart and still on the same side
        let a = rect(100.0, 0.0, 120.0, 60.0);
        let b = rect(100.0, 300.0, 120.0, 60.0);
        let d = two_node_diagram(2);
        let mut paths: Vec<EdgePath> = [
            (pt(160.0, 60.0), pt(160.0, 300.0)),
            (pt(160.0, 300.0), pt(160.0, 60.0)),
        ]
        .iter()
        .map(|&(p, q)| EdgePath {
            points: vec![p, q],
            label: None,
            tag: None,
        })
        .collect();
        spread_ends(&d, &[a, b], &[], &mut paths);
        let (s0, s1) = (paths[0].points[0], paths[1].points[1]);
        assert!((s0.x - s1.x).abs() >= END_GAP - 1e-9, "{paths:?}");
        assert_eq!((s0.y, s1.y), (60.0, 60.0));
        let (e0, e1) = (paths[0].points[1], paths[1].points[0]);
        assert!((e0.x - e1.x).abs() >= END_GAP - 1e-9, "{paths:?}");
        // no crossing made: the edges stay side by side
        assert_eq!(s0.x < s1.x, e0.x < e1.x, "{paths:?}");
        // near miss: a blocker beside the line keeps an end from moving
        // into it
        let blocker = rect(140.0, 120.0, 19.0, 60.0);
        let mut paths2 = paths.clone();
        for p in &mut paths2 {
            for q in &mut p.points {
                q.x = 160.0;
            }
        }
        spread_ends(&d, &[a, b, blocker], &[], &mut paths2);
        for p in &paths2 {
            for w in p.points.windows(2) {
                assert!(!seg_hits(w[0], w[1], &blocker, 1e-3), "{paths2:?}");
            }
        }
    }

    fn two_node_diagram(edges: usize) -> Diagram {
        let node = |k: &str| Node {
            key: k.into(),
            label: k.into(),
            sublabel: None,
            lines: vec![],
            shape: Shape::Rounded,
            color: 0,
            marks: vec![],
            group: None,
            tooltip: String::new(),
        };
        Diagram {
            view: "t".into(),
            title: "t".into(),
            footer: String::new(),
            flow: Flow::TopDown,
            nodes: vec![node("a"), node("b"), node("c")],
            edges: (0..edges)
                .map(|i| Edge {
                    key: format!("e{i}"),
                    from: i % 2,
                    to: 1 - i % 2,
                    label: vec![],
                    both_ways: false,
                    marks: vec![],
                    tooltip: String::new(),
                })
                .collect(),
            groups: vec![],
            legend: vec![],
            empty_note: None,
            lanes: None,
            caption: None,
        }
    }
}
