//! Orthogonal edge routing with ports, for every diagram without lanes
//! (lanes have their own channel router in `lanes/route.rs`), in the spirit of
//! ELK layered's orthogonal router and libavoid:
//!
//! - **Ports**: every box side has a few *slots* (as many as the box has
//!   edges, at most [`MAX_SLOTS`], at least [`PORT_SP`] apart, the middle
//!   one first). An edge leaves its source and enters its target through a
//!   slot, perpendicular to the side, so no two ends share a point (a
//!   bidirectional edge's arrowheads never pile up) and parallel edges
//!   between one pair run side by side.
//! - **Routing graph**: the Hanan grid of the interesting coordinates —
//!   box sides at clearance [`CLEAR_O`], slot positions, the inner and outer
//!   sides of group frames, the middle of wide gaps, a ring around it all.
//!   Grid segments through a box (with its clearance) or a frame's title
//!   band are blocked; every crossing of a frame border costs
//!   [`FRAME_COST`] (an edge leaves its own frame once, and goes around the
//!   frames it does not belong to where that is not too long).
//! - **Search**: A* over (grid point, heading) with costs for length, each
//!   bend ([`BEND_COST`]), each crossing of an edge routed before
//!   ([`CROSS_COST`]), running along a segment another edge uses
//!   ([`OVERLAP_COST`] per px: tracks are shared only when there is no other
//!   way) and a used slot. Short edges are routed first, then every edge is
//!   ripped up and routed once more against all the others.
//!
//! Only horizontal and vertical segments come out; an edge whose search
//! runs out of budget (or a diagram too large for the grid,
//! [`ORTHO_MAX_NODES`]) keeps the route it came with. Deterministic: fixed
//! orders, index tie-breaks, a work budget rather than a timer.

use super::*;

/// Diagrams with more nodes than this keep their polyline routes (the grid
/// grows quadratically).
pub(super) const ORTHO_MAX_NODES: usize = 160;
/// Clearance of routes from boxes, px (the stub out of a port).
const CLEAR_O: f64 = 12.0;
/// Most ports on one side of a box.
pub(super) const MAX_SLOTS: usize = 7;
/// Smallest distance between ports on one side, px.
const PORT_SP: f64 = 12.0;
/// Cost of a bend, in px of length.
const BEND_COST: f64 = 40.0;
/// Cost of crossing an edge routed before, in px.
pub(super) const CROSS_COST: f64 = 160.0;
/// Crossing costs a small diagram's winning layout is routed with (the
/// first is [`CROSS_COST`]): the greedy edge-by-edge search is sensitive
/// to it (the bundled SV-1: 25 crossings at 160, 14 at 600, 12 at 2000;
/// SV-2 crossed least at 160), so `fit.rs` scores each.
pub(super) const CROSS_COSTS: [f64; 3] = [CROSS_COST, 600.0, 2000.0];
/// Cost of crossing a group frame's border, in px.
const FRAME_COST: f64 = 220.0;
/// Extra cost per px of running along a grid segment another edge uses.
const OVERLAP_COST: f64 = 6.0;
/// Cost of a port slot another edge end uses already, px.
const SLOT_COST: f64 = 400.0;
/// Extra cost per px of a segment outside the boxes' and frames' bounding
/// box (around the outside): such a route makes the page larger, which can
/// cost the drawing its fit to the slide.
const OUTSIDE_COST: f64 = 3.0;
/// Gaps between grid lines wider than this get a line in the middle, px.
const MID_GAP: f64 = 36.0;
/// Most heap pops one edge's search may spend.
const MAX_POPS: usize = 100_000;
/// Most heap pops all searches of one drawing may spend together; past
/// it the whole drawing keeps its layered routes (one style per drawing).
/// Measured: a bundled view routes in ~0.25 M pops, 862 of the 863
/// drawings of `report` on the 300-system model in under 2.2 M; the
/// 100–120-node lineage parts of a 3,000-system model took 8–20 M pops
/// (about a second each) and made that report take 105 s.
const MAX_DRAWING_POPS: usize = 3_000_000;
/// Weight of the distance estimate (above 1: weighted A*, fewer states
/// searched for routes up to that much costlier). Measured on the bundled
/// model: 1.5 drew SV-2 with 12 crossings instead of 7, so small diagrams
/// (at most [`GREEDY_ABOVE_EDGES`] edges) keep plain A*.
const GREED: f64 = 1.0;
/// Weight of the distance estimate for larger diagrams: on the M model
/// (300 systems) a search popped 5,500 states on average and the router
/// took 60 % of `report`'s time.
const GREED_LARGE: f64 = 1.5;
/// Margin around the two end boxes within which a large diagram's edge is
/// searched first, px.
const WINDOW_PAD: f64 = 160.0;
/// Diagrams with more edges than this are routed with [`GREED_LARGE`] and
/// searched within [`WINDOW_PAD`] of their ends first.
const GREEDY_ABOVE_EDGES: usize = 30;

/// Sorted, deduplicated coordinates (within 0.5 px).
fn axis(mut v: Vec<f64>) -> Vec<f64> {
    v.retain(|x| x.is_finite());
    v.sort_by(f64::total_cmp);
    v.dedup_by(|a, b| (*a - *b).abs() < 0.5);
    v
}

/// Adds the middle of every gap wider than [`MID_GAP`].
fn with_middles(v: Vec<f64>) -> Vec<f64> {
    let mut out = Vec::with_capacity(v.len() * 2);
    for (i, &x) in v.iter().enumerate() {
        if i > 0 && x - v[i - 1] > MID_GAP {
            out.push((x + v[i - 1]) / 2.0);
        }
        out.push(x);
    }
    out
}

/// Index of the coordinate nearest to `x`.
fn index_of(v: &[f64], x: f64) -> usize {
    let i = v.partition_point(|&c| c < x);
    if i == 0 {
        0
    } else if i >= v.len() {
        v.len() - 1
    } else if (v[i] - x).abs() < (x - v[i - 1]).abs() {
        i
    } else {
        i - 1
    }
}

/// A port slot: which box side, where along it, and the stub point
/// outside it (a grid vertex).
#[derive(Clone, Copy, Debug)]
struct Slot {
    /// Point on the box border.
    port: Point,
    /// Grid vertex of the stub end.
    v: usize,
    /// Heading out of the box (0 east, 1 south, 2 west, 3 north).
    out: usize,
    /// Global slot id (for usage counts).
    id: usize,
}

/// The routing grid with blocked segments, frame-crossing counts and the
/// usage by routed edges.
struct Grid {
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// Horizontal segment (i,j)→(i+1,j), index j*(nx-1)+i: blocked.
    block_h: Vec<bool>,
    /// Vertical segment (i,j)→(i,j+1), index j*nx+i: blocked.
    block_v: Vec<bool>,
    frame_h: Vec<u8>,
    frame_v: Vec<u8>,
    used_h: Vec<u16>,
    used_v: Vec<u16>,
    /// Edges passing a vertex along x / along y.
    pass_h: Vec<u16>,
    pass_v: Vec<u16>,
    /// Bounding box of the boxes and frames: segments outside it cost
    /// [`OUTSIDE_COST`] more per px.
    core: Rect,
}

impl Grid {
    fn nx(&self) -> usize {
        self.xs.len()
    }
    fn ny(&self) -> usize {
        self.ys.len()
    }
    /// Segment from vertex `v` in heading `d`: (is horizontal, index), or
    /// None at the border of the grid.
    fn seg(&self, v: usize, d: usize) -> Option<(bool, usize, usize)> {
        let (nx, ny) = (self.nx(), self.ny());
        let (i, j) = (v % nx, v / nx);
        match d {
            0 if i + 1 < nx => Some((true, j * (nx - 1) + i, v + 1)),
            2 if i > 0 => Some((true, j * (nx - 1) + i - 1, v - 1)),
            1 if j + 1 < ny => Some((false, j * nx + i, v + nx)),
            3 if j > 0 => Some((false, (j - 1) * nx + i, v - nx)),
            _ => None,
        }
    }
    fn point(&self, v: usize) -> Point {
        pt(self.xs[v % self.nx()], self.ys[v / self.nx()])
    }
}

/// Marks the grid segments whose open interval runs through the open
/// interior of `r`.
fn block(g: &mut Grid, r: &Rect) {
    let (nx, ny) = (g.nx(), g.ny());
    let (x0, x1, y0, y1) = (r.x, r.x + r.w, r.y, r.y + r.h);
    // Rows strictly inside: horizontal segments overlapping (x0, x1).
    let j0 = g.ys.partition_point(|&y| y <= y0);
    let j1 = g.ys.partition_point(|&y| y < y1);
    let i0 = g.xs.partition_point(|&x| x <= x0).saturating_sub(1);
    let i1 = g.xs.partition_point(|&x| x < x1);
    for j in j0..j1.min(ny) {
        for i in i0..i1.min(nx - 1) {
            if g.xs[i] < x1 && g.xs[i + 1] > x0 {
                g.block_h[j * (nx - 1) + i] = true;
            }
        }
    }
    let i0 = g.xs.partition_point(|&x| x <= x0);
    let i1 = g.xs.partition_point(|&x| x < x1);
    let j0 = g.ys.partition_point(|&y| y <= y0).saturating_sub(1);
    let j1 = g.ys.partition_point(|&y| y < y1);
    for i in i0..i1.min(nx) {
        for j in j0..j1.min(ny - 1) {
            if g.ys[j] < y1 && g.ys[j + 1] > y0 {
                g.block_v[j * nx + i] = true;
            }
        }
    }
}

/// Counts, per grid segment, the frame borders it crosses.
fn frame_borders(g: &mut Grid, fr: &Rect) {
    let (nx, ny) = (g.nx(), g.ny());
    let (x0, x1, y0, y1) = (fr.x, fr.x + fr.w, fr.y, fr.y + fr.h);
    for x in [x0, x1] {
        // Horizontal segments at rows inside (y0, y1) that cross x.
        let i = g.xs.partition_point(|&c| c < x);
        if i == 0 || i >= nx {
            continue;
        }
        let j0 = g.ys.partition_point(|&y| y <= y0);
        let j1 = g.ys.partition_point(|&y| y < y1);
        for j in j0..j1.min(ny) {
            let k = j * (nx - 1) + i - 1;
            g.frame_h[k] = g.frame_h[k].saturating_add(1);
        }
    }
    for y in [y0, y1] {
        let j = g.ys.partition_point(|&c| c < y);
        if j == 0 || j >= ny {
            continue;
        }
        let i0 = g.xs.partition_point(|&x| x <= x0);
        let i1 = g.xs.partition_point(|&x| x < x1);
        for i in i0..i1.min(nx) {
            let k = (j - 1) * nx + i;
            g.frame_v[k] = g.frame_v[k].saturating_add(1);
        }
    }
}

/// One routed edge, as grid vertices and its slots (to undo its usage).
#[derive(Clone, Debug, Default)]
struct Routed {
    verts: Vec<usize>,
    slots: (usize, usize),
    /// It crosses or shares a track or slot with an edge routed before
    /// (worth routing again once all are in).
    conflicts: bool,
}

/// Routes every edge between two different boxes orthogonally (see the
/// module doc); `old` are the paths to keep where this gives up (self-loops,
/// invalid ends, exhausted searches, too large diagrams).
pub(super) fn route_orthogonal(
    d: &Diagram,
    nodes: &[Rect],
    frames: &[Rect],
    old: &mut [EdgePath],
    cross_cost: f64,
) {
    route_orthogonal_within(d, nodes, frames, old, cross_cost, MAX_DRAWING_POPS);
}

/// [`route_orthogonal`] with `limit` heap pops for the whole drawing
/// instead of [`MAX_DRAWING_POPS`] (past it, every edge keeps `old`).
pub(super) fn route_orthogonal_within(
    d: &Diagram,
    nodes: &[Rect],
    frames: &[Rect],
    old: &mut [EdgePath],
    cross_cost: f64,
    limit: usize,
) {
    let n = nodes.len();
    if n == 0 || n > ORTHO_MAX_NODES || old.len() != d.edges.len() {
        return;
    }
    let wanted: Vec<usize> = d
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.from < n && e.to < n && e.from != e.to)
        .map(|(i, _)| i)
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut degree = vec![0usize; n];
    for &ei in &wanted {
        degree[d.edges[ei].from] += 1;
        degree[d.edges[ei].to] += 1;
    }
    // Slot positions along each side: 0 top, 1 right, 2 bottom, 3 left.
    let slot_pos = |r: &Rect, side: usize, k: usize| -> Vec<Point> {
        let horizontal = side.is_multiple_of(2);
        let len = if horizontal { r.w } else { r.h };
        let fit = ((len - 2.0 * PORT_SP) / PORT_SP).floor().max(0.0) as usize + 1;
        let k = k.clamp(1, MAX_SLOTS).min(fit);
        // Middle first, then alternating outwards.
        let mut ts: Vec<f64> = (0..k).map(|s| (s + 1) as f64 / (k + 1) as f64).collect();
        ts.sort_by(|a, b| {
            (a - 0.5)
                .abs()
                .total_cmp(&(b - 0.5).abs())
                .then(a.total_cmp(b))
        });
        ts.into_iter()
            .map(|t| match side {
                0 => pt(r.x + t * r.w, r.y),
                1 => pt(r.x + r.w, r.y + t * r.h),
                2 => pt(r.x + t * r.w, r.y + r.h),
                _ => pt(r.x, r.y + t * r.h),
            })
            .collect()
    };
    let mut raw_slots: Vec<Vec<(Point, Point, usize)>> = Vec::with_capacity(n);
    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    let (mut bx0, mut by0, mut bx1, mut by1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (i, r) in nodes.iter().enumerate() {
        xs.extend([r.x - CLEAR_O, r.x + r.w + CLEAR_O]);
        ys.extend([r.y - CLEAR_O, r.y + r.h + CLEAR_O]);
        bx0 = bx0.min(r.x);
        by0 = by0.min(r.y);
        bx1 = bx1.max(r.x + r.w);
        by1 = by1.max(r.y + r.h);
        let mut list = Vec::new();
        if degree[i] > 0 {
            for side in 0..4 {
                let (out, (dx, dy)) = match side {
                    0 => (3, (0.0, -1.0)),
                    1 => (0, (1.0, 0.0)),
                    2 => (1, (0.0, 1.0)),
                    _ => (2, (-1.0, 0.0)),
                };
                for p in slot_pos(r, side, degree[i]) {
                    let stub = pt(p.x + dx * CLEAR_O, p.y + dy * CLEAR_O);
                    if side % 2 == 0 {
                        xs.push(p.x);
                    } else {
                        ys.push(p.y);
                    }
                    list.push((p, stub, out));
                }
            }
        }
        raw_slots.push(list);
    }
    let band = GROUP_TITLE_BAND;
    for fr in frames {
        xs.extend([
            fr.x - CLEAR_O,
            fr.x + GROUP_PAD / 2.0,
            fr.x + fr.w - GROUP_PAD / 2.0,
            fr.x + fr.w + CLEAR_O,
        ]);
        ys.extend([
            fr.y - CLEAR_O,
            fr.y + band + GROUP_PAD / 2.0,
            fr.y + fr.h - GROUP_PAD / 2.0,
            fr.y + fr.h + CLEAR_O,
        ]);
        bx0 = bx0.min(fr.x);
        by0 = by0.min(fr.y);
        bx1 = bx1.max(fr.x + fr.w);
        by1 = by1.max(fr.y + fr.h);
    }
    let ring = 3.0 * CLEAR_O;
    xs.extend([bx0 - ring, bx1 + ring]);
    ys.extend([by0 - ring, by1 + ring]);
    let xs = axis(with_middles(axis(xs)));
    let ys = axis(with_middles(axis(ys)));
    let (nx, ny) = (xs.len(), ys.len());
    if nx < 2 || ny < 2 || nx.saturating_mul(ny) > 1_000_000 {
        return;
    }
    let nv = nx * ny;
    let mut g = Grid {
        block_h: vec![false; (nx - 1) * ny],
        block_v: vec![false; nx * (ny - 1)],
        frame_h: vec![0; (nx - 1) * ny],
        frame_v: vec![0; nx * (ny - 1)],
        used_h: vec![0; (nx - 1) * ny],
        used_v: vec![0; nx * (ny - 1)],
        pass_h: vec![0; nv],
        pass_v: vec![0; nv],
        xs,
        ys,
        core: rect(bx0, by0, bx1 - bx0, by1 - by0),
    };
    for r in nodes {
        block(&mut g, &inflate(r, CLEAR_O - 1.0));
    }
    for fr in frames {
        block(
            &mut g,
            &inflate(&rect(fr.x, fr.y, fr.w, band.min(fr.h)), 1.0),
        );
        frame_borders(&mut g, fr);
    }
    // Slots as grid vertices; a stub inside something else is dropped.
    let mut slots: Vec<Vec<Slot>> = Vec::with_capacity(n);
    let mut next_id = 0usize;
    for list in &raw_slots {
        let mut out = Vec::new();
        for &(port, stub, dir) in list {
            let (i, j) = (index_of(&g.xs, stub.x), index_of(&g.ys, stub.y));
            let v = j * nx + i;
            let free = (0..4).any(|d| g.seg(v, d).is_some_and(|(h, k, _)| !blocked(&g, h, k)));
            if free {
                out.push(Slot {
                    port,
                    v,
                    out: dir,
                    id: next_id,
                });
                next_id += 1;
            }
        }
        slots.push(out);
    }
    // Short edges first.
    let mut order = wanted.clone();
    let span = |ei: usize| {
        let e = &d.edges[ei];
        let (a, b) = (nodes[e.from].center(), nodes[e.to].center());
        (a.x - b.x).abs() + (a.y - b.y).abs()
    };
    order.sort_by(|&a, &b| span(a).total_cmp(&span(b)).then(a.cmp(&b)));
    // Large diagrams search with a weighted estimate (see GREED_LARGE)
    let greed = if order.len() > GREEDY_ABOVE_EDGES {
        GREED_LARGE
    } else {
        GREED
    };
    let search = Search::new(g.nx() * g.ny(), cross_cost, greed, limit);
    let Some(paths) = route_all(d, nodes, g, &slots, next_id, &order, search) else {
        return;
    };
    for (path, points) in old.iter_mut().zip(paths) {
        if let Some(points) = points {
            path.points = points;
        }
    }
    straighten(d, nodes, frames, &wanted, old);
}

/// Routes the edges of `order` (in that order, then the conflicting ones
/// once more) on the grid `g` with `search` (its crossing cost, estimate
/// weight and pop limit): the points of each routed edge; None when the
/// searches together ran past the limit.
fn route_all(
    d: &Diagram,
    nodes: &[Rect],
    mut g: Grid,
    slots: &[Vec<Slot>],
    next_id: usize,
    order: &[usize],
    mut search: Search,
) -> Option<Vec<Option<Vec<Point>>>> {
    let mut slot_used = vec![0u16; next_id];

    let mut routed: Vec<Option<Routed>> = vec![None; d.edges.len()];
    for pass in 0..2 {
        for &ei in order {
            let e = &d.edges[ei];
            if pass > 0 {
                match routed[ei].take() {
                    Some(r) if r.conflicts => usage(&mut g, &mut slot_used, &r, false),
                    other => {
                        routed[ei] = other;
                        continue;
                    }
                }
            }
            // Free slots only while a box has some (so no two ends share
            // a point), else any.
            let free = |list: &[Slot]| -> Vec<Slot> {
                let f: Vec<Slot> = list
                    .iter()
                    .filter(|s| slot_used[s.id] == 0)
                    .copied()
                    .collect();
                if f.is_empty() {
                    list.to_vec()
                } else {
                    f
                }
            };
            let (fa, fb) = (free(&slots[e.from]), free(&slots[e.to]));
            // Large diagrams search near the two boxes first (most routes
            // stay there), then everywhere.
            search.window = (order.len() > GREEDY_ABOVE_EDGES).then(|| {
                let (a, b) = (nodes[e.from], nodes[e.to]);
                let (x0, y0) = (a.x.min(b.x), a.y.min(b.y));
                let (x1, y1) = ((a.x + a.w).max(b.x + b.w), (a.y + a.h).max(b.y + b.h));
                inflate(&rect(x0, y0, x1 - x0, y1 - y0), WINDOW_PAD)
            });
            let mut r = search.run(&g, &fa, &fb, &slot_used, &nodes[e.to]);
            if r.is_none() && search.window.take().is_some() {
                r = search.run(&g, &fa, &fb, &slot_used, &nodes[e.to]);
            }
            if r.is_none() && (fa.len() < slots[e.from].len() || fb.len() < slots[e.to].len()) {
                r = search.run(&g, &slots[e.from], &slots[e.to], &slot_used, &nodes[e.to]);
            }
            if search.spent > search.limit {
                return None;
            }
            if let Some(r) = r {
                usage(&mut g, &mut slot_used, &r, true);
                routed[ei] = Some(r);
            }
        }
    }
    let find = |list: &[Slot], id: usize| list.iter().find(|s| s.id == id).copied();
    let mut out: Vec<Option<Vec<Point>>> = vec![None; d.edges.len()];
    for &ei in order {
        let e = &d.edges[ei];
        let Some(r) = &routed[ei] else { continue };
        let (Some(sa), Some(sb)) = (
            find(&slots[e.from], r.slots.0),
            find(&slots[e.to], r.slots.1),
        ) else {
            continue;
        };
        // The port in line with its stub (the grid merges coordinates
        // closer than half a pixel).
        let port = |s: Slot| {
            let q = g.point(s.v);
            if s.out.is_multiple_of(2) {
                pt(s.port.x, q.y)
            } else {
                pt(q.x, s.port.y)
            }
        };
        let mut pts = vec![port(sa)];
        pts.extend(r.verts.iter().map(|&v| g.point(v)));
        pts.push(port(sb));
        out[ei] = Some(simplify(pts));
    }
    Some(out)
}

/// Turns a Z of three segments (out of one box, a jog, into the other,
/// first and last parallel) into one straight line where both boxes' sides
/// face each other: both ports move along their sides to one coordinate,
/// if the line then crosses no box, frame title or other edge's line and
/// keeps [`PORT_SP`] from the other ports on those sides. ELK aligns ports
/// the same way after routing.
fn straighten(
    d: &Diagram,
    nodes: &[Rect],
    frames: &[Rect],
    wanted: &[usize],
    paths: &mut [EdgePath],
) {
    let bands: Vec<Rect> = frames
        .iter()
        .map(|f| rect(f.x, f.y, f.w, GROUP_TITLE_BAND.min(f.h)))
        .collect();
    for &ei in wanted {
        let e = &d.edges[ei];
        let pts = &paths[ei].points;
        if pts.len() != 4 {
            continue;
        }
        let (p0, a, b, p3) = (pts[0], pts[1], pts[2], pts[3]);
        let (ra, rb) = (nodes[e.from], nodes[e.to]);
        // Horizontal: p0→a and b→p3 along x, the jog a→b along y.
        let horizontal = (p0.y - a.y).abs() < 1e-6 && (b.y - p3.y).abs() < 1e-6;
        let vertical = (p0.x - a.x).abs() < 1e-6 && (b.x - p3.x).abs() < 1e-6;
        let (lo_a, hi_a, lo_b, hi_b, ca, cb) = if horizontal {
            (ra.y, ra.y + ra.h, rb.y, rb.y + rb.h, p0.y, p3.y)
        } else if vertical {
            (ra.x, ra.x + ra.w, rb.x, rb.x + rb.w, p0.x, p3.x)
        } else {
            continue;
        };
        let (lo, hi) = (lo_a.max(lo_b) + PORT_SP, hi_a.min(hi_b) - PORT_SP);
        if lo > hi {
            continue;
        }
        let c = if (lo..=hi).contains(&ca) {
            ca
        } else if (lo..=hi).contains(&cb) {
            cb
        } else {
            (lo + hi) / 2.0
        };
        let (q0, q3) = if horizontal {
            (pt(p0.x, c), pt(p3.x, c))
        } else {
            (pt(c, p0.y), pt(c, p3.y))
        };
        let hits_box = nodes
            .iter()
            .enumerate()
            .any(|(k, r)| k != e.from && k != e.to && seg_hits(q0, q3, &inflate(r, 2.0), 1e-3));
        let hits_band = bands.iter().any(|t| seg_hits(q0, q3, t, 1e-3));
        // Other ends near the new ports, other lines along or across.
        let near_port = wanted.iter().any(|&o| {
            o != ei && {
                let op = &paths[o].points;
                let ends = [op.first().copied(), op.last().copied()];
                ends.into_iter()
                    .flatten()
                    .any(|p| dist(p, q0) < PORT_SP - 1e-6 || dist(p, q3) < PORT_SP - 1e-6)
            }
        });
        let line = inflate(&seg_bbox(q0, q3), 2.0);
        let crosses = wanted.iter().any(|&o| {
            o != ei
                && paths[o]
                    .points
                    .windows(2)
                    .any(|w| seg_hits(w[0], w[1], &line, 0.0))
        });
        if !hits_box && !hits_band && !near_port && !crosses {
            paths[ei].points = vec![q0, q3];
        }
    }
}

fn blocked(g: &Grid, horizontal: bool, k: usize) -> bool {
    if horizontal {
        g.block_h[k]
    } else {
        g.block_v[k]
    }
}

/// Adds (or removes) a routed edge's usage of segments, vertices, slots.
fn usage(g: &mut Grid, slot_used: &mut [u16], r: &Routed, add: bool) {
    let bump = |c: &mut u16| {
        *c = if add {
            c.saturating_add(1)
        } else {
            c.saturating_sub(1)
        }
    };
    for w in r.verts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let nx = g.nx();
        let (horizontal, k) = if a / nx == b / nx {
            (true, (a / nx) * (nx - 1) + a.min(b) % nx)
        } else {
            (false, a.min(b))
        };
        if horizontal {
            bump(&mut g.used_h[k]);
            bump(&mut g.pass_h[a]);
            bump(&mut g.pass_h[b]);
        } else {
            bump(&mut g.used_v[k]);
            bump(&mut g.pass_v[a]);
            bump(&mut g.pass_v[b]);
        }
    }
    bump(&mut slot_used[r.slots.0]);
    bump(&mut slot_used[r.slots.1]);
}

/// A* state in the heap: estimate, state id (ties: lowest id).
#[derive(PartialEq)]
struct Open(f64, usize);

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

/// Reusable A* buffers (stamped, so nothing is cleared between edges).
struct Search {
    g: Vec<f64>,
    parent: Vec<usize>,
    stamp: Vec<u32>,
    closed: Vec<u32>,
    /// Stamped `now` when the best route to the state crosses or shares
    /// something.
    bad: Vec<u32>,
    now: u32,
    /// Cost of crossing an edge routed before, px.
    cross_cost: f64,
    /// Weight of the distance estimate ([`GREED`], [`GREED_LARGE`]).
    greed: f64,
    /// Grid points outside this rectangle are not searched (None: all).
    window: Option<Rect>,
    /// Heap pops spent by every search so far.
    spent: usize,
    /// Most pops all searches may spend together.
    limit: usize,
}

impl Search {
    fn new(nv: usize, cross_cost: f64, greed: f64, limit: usize) -> Search {
        Search {
            cross_cost,
            greed,
            window: None,
            spent: 0,
            limit,
            g: vec![0.0; nv * 4],
            parent: vec![usize::MAX; nv * 4],
            stamp: vec![0; nv * 4],
            closed: vec![0; nv * 4],
            bad: vec![0; nv * 4],
            now: 0,
        }
    }

    /// Cheapest route from a slot of `from` to a slot of `to` (`target`:
    /// the target box, for the estimate).
    fn run(
        &mut self,
        g: &Grid,
        from: &[Slot],
        to: &[Slot],
        slot_used: &[u16],
        target: &Rect,
    ) -> Option<Routed> {
        if from.is_empty() || to.is_empty() {
            return None;
        }
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.closed.iter_mut().for_each(|s| *s = 0);
            self.bad.iter_mut().for_each(|s| *s = 0);
            self.now = 1;
        }
        let now = self.now;
        let nx = g.nx();
        let t = inflate(target, CLEAR_O);
        let h = |v: usize| -> f64 {
            let p = g.point(v);
            let dx = (t.x - p.x).max(p.x - t.x - t.w).max(0.0);
            let dy = (t.y - p.y).max(p.y - t.y - t.h).max(0.0);
            self.greed * (dx + dy) + CLEAR_O
        };
        // Goals by vertex: (slot index in `to`, inward heading).
        let mut goals: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (k, s) in to.iter().enumerate() {
            goals.entry(s.v).or_default().push(k);
        }
        let nstates = self.g.len();
        // Finish entries live above the states in the heap's id space.
        let mut finish: Vec<(usize, usize, bool)> = Vec::new();
        let mut heap = BinaryHeap::new();
        for (k, s) in from.iter().enumerate() {
            let st = s.v * 4 + s.out;
            let c = CLEAR_O + SLOT_COST * f64::from(slot_used[s.id]);
            if self.stamp[st] != now || c < self.g[st] {
                self.stamp[st] = now;
                self.g[st] = c;
                self.parent[st] = usize::MAX - 1 - k;
                self.bad[st] = if slot_used[s.id] > 0 { now } else { 0 };
                heap.push(Open(c + h(s.v), st));
            }
        }
        let mut pops = 0usize;
        while let Some(Open(_, id)) = heap.pop() {
            if id >= nstates {
                let (k, st, conflicts) = finish[id - nstates];
                // Walk back.
                let mut verts = vec![st / 4];
                let mut cur = st;
                let first;
                loop {
                    let p = self.parent[cur];
                    if p == usize::MAX {
                        return None;
                    }
                    if p >= usize::MAX - from.len() {
                        first = usize::MAX - 1 - p;
                        break;
                    }
                    if verts.len() > nstates {
                        return None;
                    }
                    if p / 4 != cur / 4 {
                        verts.push(p / 4);
                    }
                    cur = p;
                }
                verts.reverse();
                return Some(Routed {
                    verts,
                    slots: (from.get(first)?.id, to.get(k)?.id),
                    conflicts,
                });
            }
            if self.closed[id] == now {
                continue;
            }
            self.closed[id] = now;
            pops += 1;
            self.spent += 1;
            if pops > MAX_POPS || self.spent > self.limit {
                return None;
            }
            let (v, d) = (id / 4, id % 4);
            let gv = self.g[id];
            if let Some(ks) = goals.get(&v) {
                for &k in ks {
                    let inward = (to[k].out + 2) % 4;
                    let turn = if d == inward {
                        0.0
                    } else if d == to[k].out {
                        continue;
                    } else {
                        BEND_COST
                    };
                    let c = gv + turn + CLEAR_O + SLOT_COST * f64::from(slot_used[to[k].id]);
                    let conflicts = self.bad[id] == now || slot_used[to[k].id] > 0;
                    finish.push((k, id, conflicts));
                    heap.push(Open(c, nstates + finish.len() - 1));
                }
            }
            for nd in 0..4 {
                if nd == (d + 2) % 4 {
                    continue;
                }
                let Some((horizontal, k, u)) = g.seg(v, nd) else {
                    continue;
                };
                if blocked(g, horizontal, k) {
                    continue;
                }
                let c = &g.core;
                let (len, used, frames, outside) = if horizontal {
                    let y = g.ys[v / nx];
                    (
                        (g.xs[u % nx] - g.xs[v % nx]).abs(),
                        g.used_h[k],
                        g.frame_h[k],
                        y < c.y - 0.5 || y > c.y + c.h + 0.5,
                    )
                } else {
                    let x = g.xs[v % nx];
                    (
                        (g.ys[u / nx] - g.ys[v / nx]).abs(),
                        g.used_v[k],
                        g.frame_v[k],
                        x < c.x - 0.5 || x > c.x + c.w + 0.5,
                    )
                };
                let outside = if outside { OUTSIDE_COST } else { 0.0 };
                // Passing straight through a vertex another edge passes
                // the other way: a crossing.
                let cross = if horizontal { g.pass_v[u] } else { g.pass_h[u] };
                let cost = len * (1.0 + outside + OVERLAP_COST * f64::from(used))
                    + if nd != d { BEND_COST } else { 0.0 }
                    + FRAME_COST * f64::from(frames)
                    + self.cross_cost * f64::from(cross.min(4)) / 2.0;
                if self.window.is_some_and(|w| !contains(&w, g.point(u))) {
                    continue;
                }
                let ns = u * 4 + nd;
                let ng = gv + cost;
                if self.closed[ns] == now {
                    continue;
                }
                if self.stamp[ns] != now || ng < self.g[ns] {
                    self.stamp[ns] = now;
                    self.g[ns] = ng;
                    self.parent[ns] = id;
                    let worse = used > 0 || cross > 0 || self.bad[id] == now;
                    self.bad[ns] = if worse { now } else { 0 };
                    heap.push(Open(ng + h(u), ns));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_sorts_and_dedups() {
        assert_eq!(
            axis(vec![3.0, 1.0, 1.2, f64::NAN, 2.0]),
            vec![1.0, 2.0, 3.0]
        );
        assert_eq!(with_middles(vec![0.0, 100.0]), vec![0.0, 50.0, 100.0]);
        assert_eq!(index_of(&[0.0, 10.0, 20.0], 11.0), 1);
        assert_eq!(index_of(&[0.0, 10.0, 20.0], 99.0), 2);
    }
}
