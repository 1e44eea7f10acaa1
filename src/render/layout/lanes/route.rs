//! Routes in grid terms: plans, fan-outs, ports, and the vertical
//! gutters nudged.

use super::channels::{pack_with_border, CSeg, Key};
use super::grid::{Plan, Setup, Side};
use super::*;

/// The edges on one side of a box: (where they go next, edge, at source).
type SidePorts = Vec<(i64, usize, bool)>;

/// Routes in grid terms: plans, fan-outs, ports, and the vertical gutters
/// nudged (they do not depend on coordinates).
pub(super) struct Routing {
    pub(super) plans: Vec<Plan>,
    /// Fan-out of each edge, and the fan-outs' edges (ascending).
    bundle_of: Vec<Option<usize>>,
    bundles: Vec<Vec<usize>>,
    /// Port offset from the box centre per (edge, at its source).
    pub(super) port: BTreeMap<(usize, bool), f64>,
    /// Track per (edge, leg) in its vertical gutter: offset from the start
    /// of the gutter's tracks; and the tracks' room per gutter.
    pub(super) vpos: BTreeMap<(usize, usize), f64>,
    pub(super) vroom: Vec<f64>,
    /// Per vertical gutter on a column border with tracks: the border's
    /// offset (like a track's).
    pub(super) vsep: Vec<Option<f64>>,
    /// The vertical gutters' segments (to see which lines cross a gap).
    pub(super) vsegs: Vec<Vec<CSeg>>,
}

pub(super) fn row_key(r: usize) -> i64 {
    2 * r as i64 + 1
}
fn col_key(s: usize) -> i64 {
    2 * s as i64 + 1
}
pub(super) fn gap_key(h: usize) -> i64 {
    2 * h as i64
}
/// The turn from a gutter into a box on this side.
fn turn_to_box(side: Side) -> i8 {
    match side {
        Side::Right | Side::Bottom => -1,
        Side::Left | Side::Top => 1,
    }
}
fn toward(from: usize, to: usize) -> i8 {
    if to > from {
        1
    } else {
        -1
    }
}

impl Routing {
    pub(super) fn new(s: &Setup<'_>) -> Routing {
        let (d, g) = (s.d, &s.g);
        let n = d.nodes.len();
        let ne = d.edges.len();
        // which slots are taken, per slot row and per slot column
        let mut in_row: Vec<Vec<usize>> = vec![Vec::new(); g.nr];
        let mut in_col: Vec<Vec<usize>> = vec![Vec::new(); g.ns];
        for &(sc, r) in &g.slot {
            in_row[r].push(sc);
            in_col[sc].push(r);
        }
        in_row.iter_mut().for_each(|v| v.sort_unstable());
        in_col.iter_mut().for_each(|v| v.sort_unstable());
        let free_between = |v: &[usize], a: usize, b: usize| -> bool {
            let (lo, hi) = (a.min(b), a.max(b));
            let i = v.partition_point(|&x| x <= lo);
            v.get(i).is_none_or(|&x| x >= hi)
        };

        // Plans, shortest edges first (they pick their gaps first).
        let mut plans = vec![Plan::Invalid; ne];
        let span = |e: usize| -> usize {
            let ed = &d.edges[e];
            if ed.from >= n || ed.to >= n {
                return 0;
            }
            let (a, b) = (g.slot[ed.from], g.slot[ed.to]);
            a.0.abs_diff(b.0) + a.1.abs_diff(b.1)
        };
        let mut by_span: Vec<usize> = (0..ne).collect();
        by_span.sort_by_key(|&e| (span(e), e));
        let mut gap_load: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
        for &ei in &by_span {
            let e = &d.edges[ei];
            if e.from >= n || e.to >= n {
                continue;
            }
            if e.from == e.to {
                plans[ei] = Plan::SelfLoop;
                continue;
            }
            let ((sa, ra), (sb, rb)) = (g.slot[e.from], g.slot[e.to]);
            plans[ei] = if ra == rb && free_between(&in_row[ra], sa, sb) {
                if sa < sb {
                    Plan::Row {
                        sa: Side::Right,
                        sb: Side::Left,
                        v: sb,
                    }
                } else {
                    Plan::Row {
                        sa: Side::Left,
                        sb: Side::Right,
                        v: sb + 1,
                    }
                }
            } else if sa == sb && free_between(&in_col[sa], ra, rb) {
                if ra < rb {
                    Plan::Col {
                        sa: Side::Bottom,
                        sb: Side::Top,
                        h: rb,
                    }
                } else {
                    Plan::Col {
                        sa: Side::Top,
                        sb: Side::Bottom,
                        h: rb + 1,
                    }
                }
            } else if sa == sb {
                Plan::Z {
                    sa: Side::Right,
                    sb: Side::Right,
                    v1: sa + 1,
                    h: None,
                    v2: sa + 1,
                }
            } else {
                let (s1, s2, v1, v2) = if sa < sb {
                    (Side::Right, Side::Left, sa + 1, sb)
                } else {
                    (Side::Left, Side::Right, sa, sb + 1)
                };
                let h = (v1 != v2).then(|| {
                    let cands: Vec<usize> = if ra == rb {
                        vec![ra, ra + 1]
                    } else {
                        // gaps between the two rows, nearest the target
                        // first, at most 12
                        let (lo, hi) = (ra.min(rb) + 1, ra.max(rb));
                        let next_to_b = if rb > ra { rb } else { rb + 1 };
                        let mut c: Vec<usize> = (lo..=hi).collect();
                        c.sort_by_key(|&h| (h.abs_diff(next_to_b), h));
                        c.truncate(12);
                        c
                    };
                    let (x0, x1) = (v1.min(v2), v1.max(v2));
                    let score = |h: usize| {
                        let load = gap_load.get(&h).map_or(0, |l| {
                            l.iter().filter(|&&(a, b)| a <= x1 && x0 <= b).count()
                        });
                        (load, !g.lane_boundary(h))
                    };
                    let mut best = cands[0];
                    for &c in &cands {
                        if score(c) < score(best) {
                            best = c;
                        }
                    }
                    gap_load.entry(best).or_default().push((x0, x1));
                    best
                });
                Plan::Z {
                    sa: s1,
                    sb: s2,
                    v1,
                    h,
                    v2,
                }
            };
        }

        // Fan-outs.
        let mut bundle_of: Vec<Option<usize>> = vec![None; ne];
        let mut bundles: Vec<Vec<usize>> = Vec::new();
        {
            let mut by_key: BTreeMap<(usize, Side, &[String]), Vec<usize>> = BTreeMap::new();
            for (ei, p) in plans.iter().enumerate() {
                if let Plan::Z { sa, .. } = *p {
                    let e = &d.edges[ei];
                    by_key
                        .entry((e.from, sa, &e.label[..]))
                        .or_default()
                        .push(ei);
                }
            }
            for members in by_key.into_values() {
                if members.len() > 1 {
                    for &m in &members {
                        bundle_of[m] = Some(bundles.len());
                    }
                    bundles.push(members);
                }
            }
        }
        let rep = |ei: usize| bundle_of[ei].map_or(ei, |b| bundles[b][0]);

        // Ports: the edges on each side, ordered by where they go next.
        let mut sides: BTreeMap<(usize, Side), SidePorts> = BTreeMap::new();
        for (ei, p) in plans.iter().enumerate() {
            let e = &d.edges[ei];
            let (far_a, far_b, sa, sb) = match *p {
                Plan::Invalid | Plan::SelfLoop => continue,
                Plan::Row { sa, sb, .. } => {
                    (row_key(g.slot[e.to].1), row_key(g.slot[e.from].1), sa, sb)
                }
                Plan::Col { sa, sb, .. } => {
                    (col_key(g.slot[e.to].0), col_key(g.slot[e.from].0), sa, sb)
                }
                Plan::Z { sa, sb, h, .. } => match h {
                    Some(h) => (gap_key(h), gap_key(h), sa, sb),
                    None => (row_key(g.slot[e.to].1), row_key(g.slot[e.from].1), sa, sb),
                },
            };
            if rep(ei) == ei {
                // a fan-out's port goes where its branches go on average
                let far_a = match bundle_of[ei] {
                    Some(b) => {
                        let keys: Vec<i64> = bundles[b]
                            .iter()
                            .map(|&m| match plans[m] {
                                Plan::Z { h: Some(h), .. } => gap_key(h),
                                _ => row_key(g.slot[d.edges[m].to].1),
                            })
                            .collect();
                        keys.iter().sum::<i64>() / keys.len().max(1) as i64
                    }
                    None => far_a,
                };
                sides
                    .entry((e.from, sa))
                    .or_default()
                    .push((far_a, ei, true));
            }
            sides
                .entry((e.to, sb))
                .or_default()
                .push((far_b, ei, false));
        }
        let mut port: BTreeMap<(usize, bool), f64> = BTreeMap::new();
        let mut side_count: BTreeMap<(usize, Side), usize> = BTreeMap::new();
        for (&(node, side), list) in sides.iter_mut() {
            list.sort_by_key(|&(k, e, src)| (k, e, src));
            let len = match side {
                Side::Left | Side::Right => s.sizes[node].1,
                Side::Top | Side::Bottom => s.sizes[node].0,
            };
            let k = list.len();
            let sp = PORT_SP.min(len / (k as f64 + 1.0));
            for (i, &(_, e, src)) in list.iter().enumerate() {
                port.insert((e, src), (i as f64 - (k as f64 - 1.0) / 2.0) * sp);
            }
            side_count.insert((node, side), k);
        }
        for (ei, b) in bundle_of.iter().enumerate() {
            if let Some(b) = *b {
                let o = port.get(&(bundles[b][0], true)).copied().unwrap_or(0.0);
                port.insert((ei, true), o);
            }
        }
        // Straight edges: one height (or x) at both ends where one end is
        // alone on its side.
        for (ei, p) in plans.iter().enumerate() {
            let (sa, sb) = match *p {
                Plan::Row { sa, sb, .. } | Plan::Col { sa, sb, .. } => (sa, sb),
                _ => continue,
            };
            let e = &d.edges[ei];
            let (oa, ob) = (port[&(ei, true)], port[&(ei, false)]);
            if oa == ob {
                continue;
            }
            let half = |node: usize, side: Side| match side {
                Side::Left | Side::Right => s.sizes[node].1 / 2.0 - 2.0,
                _ => s.sizes[node].0 / 2.0 - 2.0,
            };
            if side_count[&(e.to, sb)] == 1 && oa.abs() <= half(e.to, sb) {
                port.insert((ei, false), oa);
            } else if side_count[&(e.from, sa)] == 1 && ob.abs() <= half(e.from, sa) {
                port.insert((ei, true), ob);
            }
        }

        // Vertical gutter segments, keyed by slot rows / gaps.
        let pkey = |ei: usize, src_end: bool| -> Key {
            let e = &d.edges[ei];
            let node = if src_end { e.from } else { e.to };
            (row_key(g.slot[node].1), port[&(ei, src_end)])
        };
        let mut vsegs: Vec<Vec<CSeg>> = vec![Vec::new(); g.ns + 1];
        // a fan-out's trunk: (gutter, index in vsegs[gutter])
        let mut trunk: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for (ei, p) in plans.iter().enumerate() {
            match *p {
                Plan::Row { sa, sb, v } if port[&(ei, true)] != port[&(ei, false)] => {
                    vsegs[v].push(CSeg::new(
                        ei,
                        0,
                        (pkey(ei, true), turn_to_box(sa)),
                        (pkey(ei, false), turn_to_box(sb)),
                    ));
                }
                Plan::Z { sa, sb, v1, h, v2 } => {
                    let far = match h {
                        None => (pkey(ei, false), turn_to_box(sb)),
                        Some(h) => ((gap_key(h), 0.0), toward(v1, v2)),
                    };
                    match bundle_of[ei] {
                        None => {
                            vsegs[v1].push(CSeg::new(ei, 0, (pkey(ei, true), turn_to_box(sa)), far))
                        }
                        Some(b) => match trunk.get(&b) {
                            Some(&(v, i)) => {
                                let t = &mut vsegs[v][i];
                                let mut ends = std::mem::take(&mut t.ends);
                                ends.push(far);
                                *t = CSeg::of_ends(t.edge, 0, ends);
                            }
                            None => {
                                trunk.insert(b, (v1, vsegs[v1].len()));
                                vsegs[v1].push(CSeg::of_ends(
                                    ei,
                                    0,
                                    vec![(pkey(ei, true), turn_to_box(sa)), far],
                                ));
                            }
                        },
                    }
                    if let Some(h) = h {
                        vsegs[v2].push(CSeg::new(
                            ei,
                            2,
                            ((gap_key(h), 0.0), toward(v2, v1)),
                            (pkey(ei, false), turn_to_box(sb)),
                        ));
                    }
                }
                _ => {}
            }
        }
        let mut vpos: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        let mut vroom = vec![0.0f64; g.ns + 1];
        let mut vsep = vec![None; g.ns + 1];
        for (v, segs) in vsegs.iter().enumerate() {
            let border = v > 0 && v < g.ns && g.col_boundary(v);
            let (pos, room, sep) = pack_with_border(segs, false, border);
            vroom[v] = room;
            vsep[v] = sep;
            for (sg, p) in segs.iter().zip(pos) {
                vpos.insert((sg.edge, sg.leg), p + sg.thick / 2.0);
            }
        }
        for (ei, b) in bundle_of.iter().enumerate() {
            if let Some(b) = *b {
                if let Some(&p) = vpos.get(&(bundles[b][0], 0)) {
                    vpos.insert((ei, 0), p);
                }
            }
        }
        Routing {
            plans,
            bundle_of,
            bundles,
            port,
            vpos,
            vroom,
            vsep,
            vsegs,
        }
    }

    /// The edge that stands for a fan-out (the edge itself when alone).
    pub(super) fn rep(&self, ei: usize) -> usize {
        self.bundle_of[ei].map_or(ei, |b| self.bundles[b][0])
    }
}
