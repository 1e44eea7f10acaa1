//! Coordinates, paths and titles for one pass of the layout.

use super::channels::{pack_with_border, CSeg};
use super::grid::{positions, Plan, Setup, Side};
use super::labels::tidy;
use super::route::{gap_key, row_key, Routing};
use super::*;

/// Coordinates, paths and titles for one pass; `reserve`: the edges whose
/// labels get room of their own. Returns the layout without labels and the
/// reserved label boxes.
pub(super) fn draw(
    s: &Setup<'_>,
    r: &Routing,
    reserve: &BTreeSet<usize>,
) -> (Layout, Vec<Option<Rect>>) {
    let (d, g) = (s.d, &s.g);
    let n = d.nodes.len();
    let ne = d.edges.len();
    let ng = d.groups.len();
    let sizes = &s.sizes;
    let plans = &r.plans;
    let port = |ei: usize, src: bool| r.port.get(&(ei, src)).copied().unwrap_or(0.0);
    let label_sizes: Vec<(f64, f64)> = d.edges.iter().map(|e| label_size(&e.label)).collect();
    let reserved = |ei: usize| {
        let (w, h) = label_sizes[ei];
        w > 0.0 && h > 0.0 && reserve.contains(&ei)
    };

    // X: slot widths, gutters as wide as their tracks; a reserved label of
    // a straight edge widens the gutter next to its target until it fits.
    let (sw0, mut rh) = g.slot_sizes(sizes);
    let (base_vw, base_hh) = g.base_gutters();
    let mut vw: Vec<f64> = base_vw
        .iter()
        .zip(&r.vroom)
        .map(|(&b, &room)| b.max(room + 2.0 * CH_PAD))
        .collect();
    let x_start = MARGIN + s.strip_w;
    let node_x = |i: usize, sx: &[f64], sw: &[f64]| -> f64 {
        let c = g.slot[i].0;
        sx[c] + (sw[c] - sizes[i].0) / 2.0
    };
    let track_x = |v: usize, ei: usize, leg: usize, gx: &[f64], vw: &[f64]| -> f64 {
        gx[v] + (vw[v] - r.vroom[v]) / 2.0 + r.vpos.get(&(ei, leg)).copied().unwrap_or(0.0)
    };
    let mut round = 0;
    let (sw, gx, sx, right) = loop {
        let mut sw = sw0.clone();
        let mut rh_unused = rh.clone();
        g.stretch_for_titles((&mut sw, &vw), (&mut rh_unused, &base_hh), &s.col_need, &[]);
        let (gx, sx, right) = positions(x_start, &sw, &vw);
        round += 1;
        let mut grew = false;
        for (ei, p) in plans.iter().enumerate() {
            let Plan::Row { sa, v, .. } = *p else {
                continue;
            };
            if round > 2 || !reserved(ei) {
                continue;
            }
            let e = &d.edges[ei];
            let (xa, xb) = (node_x(e.from, &sx, &sw), node_x(e.to, &sx, &sw));
            let (a_side, b_side) = if sa == Side::Right {
                (xa + sizes[e.from].0, xb)
            } else {
                (xa, xb + sizes[e.to].0)
            };
            // the longer piece of the line: before or after the jog
            let free = if port(ei, true) != port(ei, false) {
                let t = track_x(v, ei, 0, &gx, &vw);
                (t - a_side).abs().max((b_side - t).abs())
            } else {
                (b_side - a_side).abs()
            };
            let need = label_sizes[ei].0 + 2.0 * ARROW_CLEAR;
            if free < need {
                vw[v] += need - free;
                grew = true;
            }
        }
        if !grew {
            break (sw, gx, sx, right);
        }
    };
    let port_x = |i: usize, src: bool, ei: usize| -> f64 {
        node_x(i, &sx, &sw) + sizes[i].0 / 2.0 + port(ei, src)
    };
    let side_x = |i: usize, side: Side| -> f64 {
        let x = node_x(i, &sx, &sw);
        if side == Side::Right {
            x + sizes[i].0
        } else {
            x
        }
    };

    // Horizontal gaps: runs along them, and reserved labels.
    let mut hsegs: Vec<Vec<CSeg>> = vec![Vec::new(); g.nr + 1];
    // reserved label: (gap, x centre, edge whose run carries it)
    let mut gap_label: Vec<Option<(usize, f64, usize)>> = vec![None; ne];
    let clamp_label = |cx: f64, w: f64| -> f64 { cx.max(x_start + w / 2.0 + LABEL_CLEAR) };
    let vdir = |r_from: usize, h: usize| -> i8 {
        if 2 * r_from + 1 < 2 * h {
            -1
        } else {
            1
        }
    };
    let reserve_in = |sg: &mut CSeg, cx: f64, (lw, lh): (f64, f64)| {
        sg.thick = lh + 2.0;
        sg.ext = (sg.ext.0.min(cx - lw / 2.0), sg.ext.1.max(cx + lw / 2.0));
        sg.label = true;
    };
    // Vertical lines crossing each gap (x, owner): a reserved label slides
    // along its own line to where it covers the fewest of the others.
    let gaps_inside = |lo: i64, hi: i64| {
        let first = (lo.max(0) / 2 + 1) as usize;
        let last = ((hi.max(1) - 1) / 2).max(0) as usize;
        first..=last.min(g.nr)
    };
    let mut crossing: Vec<Vec<(f64, usize)>> = vec![Vec::new(); g.nr + 1];
    for (v, segs) in r.vsegs.iter().enumerate() {
        for sg in segs {
            let x = track_x(v, sg.edge, sg.leg, &gx, &vw);
            for h in gaps_inside(sg.lo.0, sg.hi.0) {
                crossing[h].push((x, r.rep(sg.edge)));
            }
        }
    }
    for (ei, p) in plans.iter().enumerate() {
        if let Plan::Col { h, .. } = *p {
            let e = &d.edges[ei];
            let (ka, kb) = (row_key(g.slot[e.from].1), row_key(g.slot[e.to].1));
            let (xa, xb) = (port_x(e.from, true, ei), port_x(e.to, false, ei));
            let lines = if xa == xb {
                vec![(xa, ka, kb)]
            } else {
                vec![(xa, ka, gap_key(h)), (xb, gap_key(h), kb)]
            };
            for (x, k1, k2) in lines {
                for hh in gaps_inside(k1.min(k2), k1.max(k2)) {
                    crossing[hh].push((x, ei));
                }
            }
        }
    }
    // the best centre for a label of width `w` on a stretch [lo, hi] of its
    // own line in gap h: (foreign lines covered, distance from `pref`, x)
    let slide = |h: usize, owner: usize, w: f64, (lo, hi): (f64, f64), pref: f64| {
        let (a, b) = (lo + w / 2.0, hi - w / 2.0);
        let mut cands: Vec<f64> = if a >= b {
            vec![(lo + hi) / 2.0]
        } else {
            (0..=8).map(|k| a + (b - a) * k as f64 / 8.0).collect()
        };
        cands.push(pref.clamp(a.min(b), a.max(b)));
        cands
            .into_iter()
            .map(|c| {
                let c = clamp_label(c, w);
                let covered = crossing.get(h).map_or(0, |v| {
                    v.iter()
                        .filter(|&&(x, o)| {
                            o != owner && x > c - w / 2.0 - 2.0 && x < c + w / 2.0 + 2.0
                        })
                        .count()
                });
                (covered, (c - pref).abs(), c)
            })
            .min_by(|p, q| {
                p.0.cmp(&q.0)
                    .then(p.1.total_cmp(&q.1))
                    .then(p.2.total_cmp(&q.2))
            })
            .unwrap_or((0, 0.0, pref))
    };
    // runs: (fan-out's first edge, gap) → (index in hsegs[gap], edges)
    let mut runs: BTreeMap<(usize, usize), (usize, Vec<usize>)> = BTreeMap::new();
    for (ei, p) in plans.iter().enumerate() {
        let e = &d.edges[ei];
        match *p {
            Plan::Z {
                v1, h: Some(h), v2, ..
            } => {
                let (xa, xb) = (track_x(v1, ei, 0, &gx, &vw), track_x(v2, ei, 2, &gx, &vw));
                let end_b = ((0, xb), vdir(g.slot[e.to].1, h));
                match runs.get_mut(&(r.rep(ei), h)) {
                    Some((i, members)) => {
                        let sg = &mut hsegs[h][*i];
                        let mut ends = std::mem::take(&mut sg.ends);
                        ends.push(end_b);
                        *sg = CSeg::of_ends(sg.edge, 1, ends);
                        members.push(ei);
                    }
                    None => {
                        runs.insert((r.rep(ei), h), (hsegs[h].len(), vec![ei]));
                        hsegs[h].push(CSeg::new(
                            ei,
                            1,
                            ((0, xa), vdir(g.slot[e.from].1, h)),
                            end_b,
                        ));
                    }
                }
            }
            Plan::Col { h, .. } => {
                let (xa, xb) = (port_x(e.from, true, ei), port_x(e.to, false, ei));
                let jog = xa != xb;
                let mut sg = CSeg::new(
                    ei,
                    1,
                    ((0, xa), vdir(g.slot[e.from].1, h)),
                    ((0, xb), vdir(g.slot[e.to].1, h)),
                );
                if reserved(ei) {
                    let lw = label_sizes[ei].0;
                    // on the jog, or across the straight line
                    let stretch = if jog {
                        (xa.min(xb), xa.max(xb))
                    } else {
                        (xa - lw + 4.0, xa + lw - 4.0)
                    };
                    let (_, _, cx) = slide(h, ei, lw, stretch, (xa + xb) / 2.0);
                    reserve_in(&mut sg, cx, label_sizes[ei]);
                    gap_label[ei] = Some((h, cx, ei));
                }
                if jog || sg.label {
                    if !jog {
                        // only the label: the line runs straight through it
                        sg.t_lo = 0;
                        sg.t_hi = 0;
                        sg.ends.iter_mut().for_each(|e| e.1 = 0);
                    }
                    hsegs[h].push(sg);
                }
            }
            _ => {}
        }
    }
    // A reserved fan-out label goes on its fullest run, on the part all
    // its edges share.
    let mut host: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for (&(rp, h), (_, members)) in &runs {
        if host.get(&rp).is_none_or(|&(_, k)| members.len() > k) {
            host.insert(rp, (h, members.len()));
        }
    }
    for (&rp, &(h, _)) in &host {
        if !reserved(rp) {
            continue;
        }
        let Some((i, _)) = runs.get(&(rp, h)) else {
            continue;
        };
        let sg = &mut hsegs[h][*i];
        let xa = sg.ends[0].0 .1;
        let near = sg.ends[1..]
            .iter()
            .map(|e| e.0 .1)
            .min_by(|a, b| (a - xa).abs().total_cmp(&(b - xa).abs()))
            .unwrap_or(xa);
        let (_, _, cx) = slide(
            h,
            rp,
            label_sizes[rp].0,
            (sg.lo.1, sg.hi.1),
            (xa + near) / 2.0,
        );
        reserve_in(sg, cx, label_sizes[rp]);
        gap_label[rp] = Some((h, cx, sg.edge));
    }
    // An L or C route (or a fan-out without a run) gets its label where its
    // vertical line crosses the gap next to the target.
    for (ei, p) in plans.iter().enumerate() {
        if !reserved(ei) || r.rep(ei) != ei || gap_label[ei].is_some() {
            continue;
        }
        if let Plan::Z { v1, h: None, .. } = *p {
            let e = &d.edges[ei];
            let (ra, rb) = (g.slot[e.from].1, g.slot[e.to].1);
            let next_to_b = if rb > ra { rb } else { rb + 1 };
            let x = track_x(v1, ei, 0, &gx, &vw);
            let lw = label_sizes[ei].0;
            // any gap its line crosses; the least covered, then the one
            // next to the target
            let (mut best, mut h, mut cx) = ((usize::MAX, usize::MAX), next_to_b, x);
            for hg in gaps_inside(row_key(ra.min(rb)), row_key(ra.max(rb))) {
                let (covered, _, c) = slide(hg, ei, lw, (x - lw + 4.0, x + lw - 4.0), x);
                let key = (covered, hg.abs_diff(next_to_b));
                if key < best {
                    (best, h, cx) = (key, hg, c);
                }
            }
            let mut sg = CSeg::new(ei, 1, ((0, x), 0), ((0, x), 0));
            reserve_in(&mut sg, cx, label_sizes[ei]);
            sg.ext = (cx - lw / 2.0, cx + lw / 2.0);
            gap_label[ei] = Some((h, cx, ei));
            hsegs[h].push(sg);
        }
    }
    let mut hpos: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut hroom = vec![0.0f64; g.nr + 1];
    let mut hsep = vec![None; g.nr + 1];
    for (h, segs) in hsegs.iter().enumerate() {
        let border = h > 0 && h < g.nr && g.lane_boundary(h);
        let (pos, room, sep) = pack_with_border(segs, true, border);
        hroom[h] = room;
        hsep[h] = sep;
        for (sg, p) in segs.iter().zip(pos) {
            hpos.insert((sg.edge, sg.leg), p + sg.thick / 2.0);
        }
    }
    for (&(_, h), (i, members)) in &runs {
        let lead = hsegs[h][*i].edge;
        if let Some(&p) = hpos.get(&(lead, 1)) {
            for &m in members {
                hpos.insert((m, 1), p);
            }
        }
    }

    // Y: gaps as tall as their tracks, lanes as tall as their titles.
    let hh: Vec<f64> = base_hh
        .iter()
        .zip(&hroom)
        .map(|(&b, &room)| b.max(room + 2.0 * CH_PAD))
        .collect();
    {
        let mut sw_unused = sw.clone();
        g.stretch_for_titles((&mut sw_unused, &vw), (&mut rh, &hh), &[], &s.lane_need);
    }
    let y_start = MARGIN + s.header_h;
    let (gy, ry, bottom) = positions(y_start, &rh, &hh);
    let track_y = |h: usize, ei: usize| -> f64 {
        gy[h] + (hh[h] - hroom[h]) / 2.0 + hpos.get(&(ei, 1)).copied().unwrap_or(0.0)
    };

    // Boxes and paths.
    let nodes: Vec<Rect> = (0..n)
        .map(|i| {
            let row = g.slot[i].1;
            let (w, h) = sizes[i];
            rect(node_x(i, &sx, &sw), ry[row] + (rh[row] - h) / 2.0, w, h)
        })
        .collect();
    let port_y =
        |i: usize, src: bool, ei: usize| -> f64 { nodes[i].y + nodes[i].h / 2.0 + port(ei, src) };
    let mut edges: Vec<EdgePath> = Vec::with_capacity(ne);
    for (ei, p) in plans.iter().enumerate() {
        let e = &d.edges[ei];
        let pts = match *p {
            Plan::Invalid => vec![pt(MARGIN, MARGIN), pt(MARGIN, MARGIN)],
            Plan::SelfLoop => {
                let b = nodes[e.from];
                let x1 = b.x + b.w;
                vec![
                    pt(x1, b.y + b.h * 0.35),
                    pt(x1 + LOOP_OUT, b.y + b.h * 0.35),
                    pt(x1 + LOOP_OUT, b.y + b.h * 0.65),
                    pt(x1, b.y + b.h * 0.65),
                ]
            }
            Plan::Row { sa, sb, v } => {
                let (xa, ya) = (side_x(e.from, sa), port_y(e.from, true, ei));
                let (xb, yb) = (side_x(e.to, sb), port_y(e.to, false, ei));
                if ya == yb {
                    vec![pt(xa, ya), pt(xb, yb)]
                } else {
                    let t = track_x(v, ei, 0, &gx, &vw);
                    vec![pt(xa, ya), pt(t, ya), pt(t, yb), pt(xb, yb)]
                }
            }
            Plan::Col { sa, sb, h } => {
                let (xa, xb) = (port_x(e.from, true, ei), port_x(e.to, false, ei));
                let (na, nb) = (nodes[e.from], nodes[e.to]);
                let ya = if sa == Side::Bottom {
                    na.y + na.h
                } else {
                    na.y
                };
                let yb = if sb == Side::Top { nb.y } else { nb.y + nb.h };
                if xa == xb {
                    vec![pt(xa, ya), pt(xb, yb)]
                } else {
                    let t = track_y(h, ei);
                    vec![pt(xa, ya), pt(xa, t), pt(xb, t), pt(xb, yb)]
                }
            }
            Plan::Z { sa, sb, v1, h, v2 } => {
                let (xa, ya) = (side_x(e.from, sa), port_y(e.from, true, ei));
                let (xb, yb) = (side_x(e.to, sb), port_y(e.to, false, ei));
                let t1 = track_x(v1, ei, 0, &gx, &vw);
                match h {
                    None => vec![pt(xa, ya), pt(t1, ya), pt(t1, yb), pt(xb, yb)],
                    Some(h) => {
                        let t2 = track_x(v2, ei, 2, &gx, &vw);
                        let ty = track_y(h, ei);
                        vec![
                            pt(xa, ya),
                            pt(t1, ya),
                            pt(t1, ty),
                            pt(t2, ty),
                            pt(t2, yb),
                            pt(xb, yb),
                        ]
                    }
                }
            }
        };
        edges.push(EdgePath {
            points: tidy(pts),
            label: None,
            tag: None,
        });
    }

    // Lanes, titles, headers.
    // borders between lanes and between columns: where the packing left
    // room for them, else the middle of their gap
    let hborder = |h: usize| -> f64 {
        match hsep[h] {
            Some(c) => gy[h] + (hh[h] - hroom[h]) / 2.0 + c,
            None => gy[h] + hh[h] / 2.0,
        }
    };
    let vborder = |v: usize| -> f64 {
        match r.vsep[v] {
            Some(c) => gx[v] + (vw[v] - r.vroom[v]) / 2.0 + c,
            None => gx[v] + vw[v] / 2.0,
        }
    };
    let lane_top = |l: usize| -> f64 {
        if l == 0 {
            y_start
        } else {
            hborder(g.lrows[l].0)
        }
    };
    let lane_bottom = |l: usize| -> f64 {
        let (f, k) = g.lrows[l];
        if l + 1 == g.nl {
            bottom
        } else {
            hborder(f + k)
        }
    };
    let band = |l: usize| -> Rect {
        let (t, b) = (lane_top(l), lane_bottom(l));
        rect(MARGIN, t, right - MARGIN, b - t)
    };
    let groups: Vec<Rect> = (0..ng).map(band).collect();
    let titles: Vec<Rect> = groups
        .iter()
        .map(|b| rect(b.x, b.y, s.strip_w, b.h))
        .collect();
    let columns: Vec<Rect> = g
        .cslots
        .iter()
        .enumerate()
        .map(|(c, &(f, k))| {
            let x0 = if c == 0 { x_start } else { vborder(f) };
            let x1 = if c + 1 == g.nc { right } else { vborder(f + k) };
            rect(x0, MARGIN, x1 - x0, s.header_h)
        })
        .collect();
    let rest = (g.nl > ng).then(|| band(ng));

    // Reserved label boxes.
    let mut wanted: Vec<Option<Rect>> = vec![None; ne];
    for (ei, p) in plans.iter().enumerate() {
        if !reserved(ei) {
            continue;
        }
        let (lw, lh) = label_sizes[ei];
        if let Some((h, cx, carrier)) = gap_label[ei] {
            let y = track_y(h, carrier);
            wanted[ei] = Some(rect(cx - lw / 2.0, y - lh / 2.0, lw, lh));
        } else if let Plan::Row { .. } = *p {
            // on the longest horizontal piece
            let best = edges[ei]
                .points
                .windows(2)
                .filter(|w| (w[0].y - w[1].y).abs() < 1e-9)
                .max_by(|a, b| (a[1].x - a[0].x).abs().total_cmp(&(b[1].x - b[0].x).abs()));
            if let Some(w) = best {
                let cx = (w[0].x + w[1].x) / 2.0;
                wanted[ei] = Some(rect(cx - lw / 2.0, w[0].y - lh / 2.0, lw, lh));
            }
        }
    }

    let layout = Layout {
        width: 0.0,
        height: 0.0,
        nodes,
        edges,
        groups,
        lanes: Some(LaneGeometry {
            titles,
            columns,
            rest,
            wrap: s.wrap,
        }),
    };
    (layout, wanted)
}
