//! The geometric promises of a layout, as code ([`check_invariants`]).

use std::collections::BTreeSet;

use super::*;
use crate::render::text::node_size_wrapped;

/// Checks a layout against the guarantees of [`layout()`] and returns one
/// message per violation (empty when all hold):
/// - one box per node, path per edge, frame per group; all numbers finite;
/// - node boxes are at least [`node_size`] and do not overlap;
/// - every path has ≥ 2 points, starts on the border of its source box,
///   ends on the border of its target box, and no segment crosses the
///   interior of any other node box;
/// - labelled edges have a label box of at least [`label_size`] (a tagged
///   one: [`tag_size`] of its tag; tags numbered 1, 2, … in edge order) that
///   overlaps no node box, no group title band and no other label;
/// - group frames contain their members below the title band, do not
///   overlap each other, and hold no node that is not a member;
/// - everything lies within `[0, width] × [0, height]`;
/// - swimlane diagrams ([`Diagram::lanes`]) promise more, see
///   [`lane_invariants`]; their group titles are the strips at the left of
///   the lanes, and the edges of a fan-out may show their common label once.
pub fn check_invariants(d: &Diagram, l: &Layout) -> Vec<String> {
    const EPS: f64 = 1e-6;
    let mut v = Vec::new();
    let n = d.nodes.len();
    if l.nodes.len() != n || l.edges.len() != d.edges.len() || l.groups.len() != d.groups.len() {
        v.push(format!(
            "counts: {} nodes / {} edges / {} groups laid out for {} / {} / {}",
            l.nodes.len(),
            l.edges.len(),
            l.groups.len(),
            n,
            d.edges.len(),
            d.groups.len()
        ));
        return v;
    }
    let fin = |r: &Rect| r.x.is_finite() && r.y.is_finite() && r.w.is_finite() && r.h.is_finite();
    let within =
        |x: f64, y: f64| x >= -EPS && y >= -EPS && x <= l.width + EPS && y <= l.height + EPS;
    let rect_within = |r: &Rect| within(r.x, r.y) && within(r.x + r.w, r.y + r.h);
    for (i, r) in l.nodes.iter().enumerate() {
        let key = &d.nodes[i].key;
        if !fin(r) || !rect_within(r) {
            v.push(format!(
                "node {key}: box {r:?} not finite or outside the drawing"
            ));
        }
        let (w, h) = match &l.lanes {
            Some(geo) => node_size_wrapped(&d.nodes[i], geo.wrap),
            None => node_size(&d.nodes[i]),
        };
        if r.w + EPS < w || r.h + EPS < h {
            v.push(format!(
                "node {key}: box {}x{} smaller than its text {w}x{h}",
                r.w, r.h
            ));
        }
    }
    let shrink = |r: &Rect| rect(r.x + EPS, r.y + EPS, r.w - 2.0 * EPS, r.h - 2.0 * EPS);
    for i in 0..n {
        for j in i + 1..n {
            if shrink(&l.nodes[i]).overlaps(&l.nodes[j]) {
                v.push(format!(
                    "nodes {} and {} overlap",
                    d.nodes[i].key, d.nodes[j].key
                ));
            }
        }
    }
    let on_border = |r: &Rect, p: Point| -> bool {
        let inside = contains(&inflate(r, 0.01), p);
        let near = (p.x - r.x).abs() <= 0.01
            || (p.x - r.x - r.w).abs() <= 0.01
            || (p.y - r.y).abs() <= 0.01
            || (p.y - r.y - r.h).abs() <= 0.01;
        inside && near
    };
    let bands: Vec<Rect> = match &l.lanes {
        Some(geo) => geo.titles.clone(),
        None => l
            .groups
            .iter()
            .map(|r| rect(r.x, r.y, r.w, GROUP_TITLE_BAND.min(r.h)))
            .collect(),
    };
    // a fan-out's label is shown once (swimlanes): source and text shared
    let shown: BTreeSet<(usize, &[String])> = d
        .edges
        .iter()
        .zip(&l.edges)
        .filter(|(_, p)| p.label.is_some())
        .map(|(e, _)| (e.from, &e.label[..]))
        .collect();
    let mut labels: Vec<(usize, Rect)> = Vec::new();
    let mut expect_tag = 0usize;
    for (ei, (e, p)) in d.edges.iter().zip(&l.edges).enumerate() {
        let key = &e.key;
        if e.from >= n || e.to >= n {
            v.push(format!("edge {key}: node index out of range"));
            continue;
        }
        if p.points.len() < 2 {
            v.push(format!("edge {key}: fewer than two points"));
            continue;
        }
        for q in &p.points {
            if !q.x.is_finite() || !q.y.is_finite() || !within(q.x, q.y) {
                v.push(format!(
                    "edge {key}: point {q:?} not finite or outside the drawing"
                ));
            }
        }
        let (ra, rb) = (l.nodes[e.from], l.nodes[e.to]);
        if !on_border(&ra, p.points[0]) {
            v.push(format!(
                "edge {key}: does not start on the border of {}",
                d.nodes[e.from].key
            ));
        }
        if !on_border(&rb, p.points[p.points.len() - 1]) {
            v.push(format!(
                "edge {key}: does not end on the border of {}",
                d.nodes[e.to].key
            ));
        }
        for w in p.points.windows(2) {
            for (k, r) in l.nodes.iter().enumerate() {
                if k != e.from && k != e.to && seg_hits(w[0], w[1], r, 1e-3) {
                    v.push(format!(
                        "edge {key}: segment {:?}–{:?} crosses node {}",
                        w[0], w[1], d.nodes[k].key
                    ));
                }
            }
        }
        let text = label_size(&e.label);
        let want = match p.tag {
            Some(n) => {
                if text.0 <= 0.0 {
                    v.push(format!("edge {key}: tag {n} for an edge without a label"));
                }
                expect_tag += 1;
                if n != expect_tag {
                    v.push(format!(
                        "edge {key}: tag {n}, expected {expect_tag} (edge order)"
                    ));
                }
                tag_size(n)
            }
            None => text,
        };
        match (&p.label, want.0 > 0.0) {
            (None, true) if !(l.lanes.is_some() && shown.contains(&(e.from, &e.label[..]))) => {
                v.push(format!("edge {key}: label has no box"))
            }
            (Some(r), _) => {
                if !fin(r) || !rect_within(r) {
                    v.push(format!(
                        "edge {key}: label {r:?} not finite or outside the drawing"
                    ));
                }
                if r.w + EPS < want.0 || r.h + EPS < want.1 {
                    v.push(format!("edge {key}: label box smaller than its text"));
                }
                for (k, nr) in l.nodes.iter().enumerate() {
                    if shrink(r).overlaps(nr) {
                        v.push(format!(
                            "edge {key}: label overlaps node {}",
                            d.nodes[k].key
                        ));
                    }
                }
                for (g, b) in bands.iter().enumerate() {
                    if shrink(r).overlaps(b) {
                        v.push(format!(
                            "edge {key}: label overlaps the title of group {}",
                            d.groups[g].key
                        ));
                    }
                }
                labels.push((ei, *r));
            }
            (None, _) => {}
        }
    }
    for (a, (ea, ra)) in labels.iter().enumerate() {
        for (eb, rb) in &labels[a + 1..] {
            if shrink(ra).overlaps(rb) {
                v.push(format!(
                    "labels of edges {} and {} overlap",
                    d.edges[*ea].key, d.edges[*eb].key
                ));
            }
        }
    }
    let band_h = GROUP_TITLE_BAND;
    for (g, fr) in l.groups.iter().enumerate() {
        let key = &d.groups[g].key;
        if !fin(fr) || !rect_within(fr) {
            v.push(format!(
                "group {key}: frame {fr:?} not finite or outside the drawing"
            ));
        }
        for (i, nd) in d.nodes.iter().enumerate() {
            let r = &l.nodes[i];
            if nd.group == Some(g) && l.lanes.is_some() {
                // lanes: checked by lane_invariants
            } else if nd.group == Some(g) {
                let inside = r.x >= fr.x + GROUP_PAD - EPS
                    && r.x + r.w <= fr.x + fr.w - GROUP_PAD + EPS
                    && r.y >= fr.y + band_h + GROUP_PAD - EPS
                    && r.y + r.h <= fr.y + fr.h - GROUP_PAD + EPS;
                if !inside {
                    v.push(format!(
                        "group {key}: member {} not inside the frame with padding",
                        nd.key
                    ));
                }
            } else if shrink(r).overlaps(fr) {
                v.push(format!("group {key}: frame overlaps non-member {}", nd.key));
            }
        }
        for (h, other) in l.groups.iter().enumerate().skip(g + 1) {
            if shrink(fr).overlaps(other) {
                v.push(format!(
                    "group frames {key} and {} overlap",
                    d.groups[h].key
                ));
            }
        }
    }
    v.extend(lane_invariants(d, l));
    v
}

/// The promises of a swimlane layout (on top of [`check_invariants`]'s),
/// one message per violation:
/// - a diagram with lanes has lane geometry: one title strip per lane at
///   the left of its band, one header cell per column (above all lanes, not
///   overlapping each other);
/// - every node lies in its lane (its group's band, right of the title
///   strip; a node without a group in the untitled band below) and in its
///   column's x range (a node without a column in some column);
/// - every edge is orthogonal (each segment horizontal or vertical);
/// - no edge segment and no edge label enters a title strip or a column
///   header.
pub fn lane_invariants(d: &Diagram, l: &Layout) -> Vec<String> {
    const EPS: f64 = 1e-6;
    let mut v = Vec::new();
    let (lanes, geo) = match (&d.lanes, &l.lanes) {
        (None, None) => return v,
        (Some(lanes), Some(geo)) => (lanes, geo),
        (Some(_), None) => return vec!["lanes: the diagram has lanes, the layout none".into()],
        (None, Some(_)) => return vec!["lanes: the layout has lanes, the diagram none".into()],
    };
    if geo.titles.len() != d.groups.len() || l.groups.len() != d.groups.len() {
        v.push(format!(
            "lanes: {} title strips for {} lanes",
            geo.titles.len(),
            d.groups.len()
        ));
        return v;
    }
    if geo.columns.len() < lanes.columns.len() {
        v.push(format!(
            "lanes: {} header cells for {} columns",
            geo.columns.len(),
            lanes.columns.len()
        ));
        return v;
    }
    for (g, (t, band)) in geo.titles.iter().zip(&l.groups).enumerate() {
        let key = &d.groups[g].key;
        let ok = (t.x - band.x).abs() <= EPS
            && (t.y - band.y).abs() <= EPS
            && (t.h - band.h).abs() <= EPS
            && t.w <= band.w + EPS;
        if !ok {
            v.push(format!(
                "lane {key}: title strip {t:?} not at the left of its band {band:?}"
            ));
        }
    }
    let lanes_top = l
        .groups
        .iter()
        .chain(geo.rest.iter())
        .map(|b| b.y)
        .fold(f64::INFINITY, f64::min);
    for (c, h) in geo.columns.iter().enumerate() {
        if h.y + h.h > lanes_top + EPS {
            v.push(format!("column {c}: header {h:?} not above the lanes"));
        }
        for (k, o) in geo.columns.iter().enumerate().skip(c + 1) {
            if shrink_by(h, EPS).overlaps(o) {
                v.push(format!("columns {c} and {k}: headers overlap"));
            }
        }
    }
    let strip_right = geo
        .titles
        .iter()
        .map(|t| t.x + t.w)
        .fold(f64::NEG_INFINITY, f64::max);
    let inside_x = |r: &Rect, x0: f64, x1: f64| r.x >= x0 - EPS && r.x + r.w <= x1 + EPS;
    let inside_y = |r: &Rect, b: &Rect| r.y >= b.y - EPS && r.y + r.h <= b.y + b.h + EPS;
    for (i, nd) in d.nodes.iter().enumerate() {
        let r = &l.nodes[i];
        let band = match nd.group.filter(|&g| g < d.groups.len()) {
            Some(g) => Some((l.groups[g], geo.titles[g].x + geo.titles[g].w)),
            None => geo.rest.map(|b| (b, strip_right)),
        };
        match band {
            Some((b, left)) => {
                if !inside_y(r, &b) || !inside_x(r, left, b.x + b.w) {
                    v.push(format!("node {}: not inside its lane", nd.key));
                }
            }
            None => v.push(format!("node {}: no lane to be in", nd.key)),
        }
        let col = lanes
            .column
            .get(i)
            .copied()
            .flatten()
            .filter(|&c| c < lanes.columns.len());
        let in_col = |h: &Rect| inside_x(r, h.x, h.x + h.w);
        let ok = match col {
            Some(c) => in_col(&geo.columns[c]),
            None => geo.columns.iter().any(in_col),
        };
        if !ok {
            v.push(format!("node {}: not inside its column", nd.key));
        }
    }
    let titles: Vec<&Rect> = geo.titles.iter().chain(&geo.columns).collect();
    for (e, p) in d.edges.iter().zip(&l.edges) {
        for w in p.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.x - b.x).abs() > EPS && (a.y - b.y).abs() > EPS {
                v.push(format!(
                    "edge {}: segment {a:?}–{b:?} is not orthogonal",
                    e.key
                ));
            }
            if titles.iter().any(|t| seg_hits(a, b, t, 1e-3)) {
                v.push(format!(
                    "edge {}: segment {a:?}–{b:?} crosses a title",
                    e.key
                ));
            }
        }
        if let Some(r) = &p.label {
            if titles.iter().any(|t| shrink_by(r, EPS).overlaps(t)) {
                v.push(format!("edge {}: label overlaps a title", e.key));
            }
        }
    }
    v
}

fn shrink_by(r: &Rect, e: f64) -> Rect {
    rect(r.x + e, r.y + e, r.w - 2.0 * e, r.h - 2.0 * e)
}

/// The promises of orthogonal routing (`Params::ortho`, the default of
/// every diagram without lanes up to `ortho::ORTHO_MAX_NODES` nodes), one
/// message per violation, for the edges between two different boxes:
/// - every segment is horizontal or vertical;
/// - an edge starts and ends on a side of its box, not on a corner, and
///   leaves / enters perpendicular to that side;
/// - no arrowhead shares its point with another edge end on a box of at
///   most `ortho::MAX_SLOTS` edges (ports are spread, so the arrowheads of
///   a bidirectional edge never pile up);
/// - no segment crosses a group frame's title band.
pub fn ortho_invariants(d: &Diagram, l: &Layout) -> Vec<String> {
    const EPS: f64 = 1e-6;
    let mut v = Vec::new();
    if d.lanes.is_some() || l.nodes.len() != d.nodes.len() || l.edges.len() != d.edges.len() {
        return v;
    }
    let n = d.nodes.len();
    let bands: Vec<Rect> = l
        .groups
        .iter()
        .map(|r| rect(r.x, r.y, r.w, GROUP_TITLE_BAND.min(r.h)))
        .collect();
    // Which side an end is on, and whether the first segment leaves it
    // perpendicular: (side, ok).
    let side_of = |r: &Rect, p: Point, next: Point| -> Option<usize> {
        let near = |a: f64, b: f64| (a - b).abs() <= 0.01;
        let in_x = p.x > r.x + EPS && p.x < r.x + r.w - EPS;
        let in_y = p.y > r.y + EPS && p.y < r.y + r.h - EPS;
        if near(p.y, r.y) && in_x && near(next.x, p.x) && next.y < p.y {
            Some(0)
        } else if near(p.x, r.x + r.w) && in_y && near(next.y, p.y) && next.x > p.x {
            Some(1)
        } else if near(p.y, r.y + r.h) && in_x && near(next.x, p.x) && next.y > p.y {
            Some(2)
        } else if near(p.x, r.x) && in_y && near(next.y, p.y) && next.x < p.x {
            Some(3)
        } else {
            None
        }
    };
    let mut degree = vec![0usize; n];
    for e in &d.edges {
        if e.from < n && e.to < n && e.from != e.to {
            degree[e.from] += 1;
            degree[e.to] += 1;
        }
    }
    let mut ends: BTreeMap<(usize, i64, i64), (usize, bool)> = BTreeMap::new();
    for (e, p) in d.edges.iter().zip(&l.edges) {
        if e.from >= n || e.to >= n || e.from == e.to || p.points.len() < 2 {
            continue;
        }
        let pts = &p.points;
        for w in pts.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.x - b.x).abs() > EPS && (a.y - b.y).abs() > EPS {
                v.push(format!(
                    "edge {}: segment {a:?}–{b:?} is not orthogonal",
                    e.key
                ));
            }
            if bands.iter().any(|t| seg_hits(a, b, t, 1e-3)) {
                v.push(format!(
                    "edge {}: segment {a:?}–{b:?} crosses a frame title",
                    e.key
                ));
            }
        }
        let m = pts.len();
        for (node, p0, p1, head) in [
            (e.from, pts[0], pts[1], e.both_ways),
            (e.to, pts[m - 1], pts[m - 2], true),
        ] {
            if side_of(&l.nodes[node], p0, p1).is_none() {
                v.push(format!(
                    "edge {}: end {p0:?} not on a side of {} or not perpendicular",
                    e.key, d.nodes[node].key
                ));
            }
            let key = (
                node,
                (p0.x * 10.0).round() as i64,
                (p0.y * 10.0).round() as i64,
            );
            let slot = ends.entry(key).or_insert((0, false));
            slot.0 += 1;
            slot.1 |= head;
        }
    }
    for ((node, x, y), (count, head)) in ends {
        if count > 1 && head && degree[node] <= ortho::MAX_SLOTS {
            v.push(format!(
                "{count} edge ends share ({}, {}) on {}, one with an arrowhead",
                x as f64 / 10.0,
                y as f64 / 10.0,
                d.nodes[node].key
            ));
        }
    }
    v
}
