//! The geometric promises of a layout, as code ([`check_invariants`]).

use super::*;

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
/// - everything lies within `[0, width] × [0, height]`.
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
        let (w, h) = node_size(&d.nodes[i]);
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
    let bands: Vec<Rect> = l
        .groups
        .iter()
        .map(|r| rect(r.x, r.y, r.w, GROUP_TITLE_BAND.min(r.h)))
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
            (None, true) => v.push(format!("edge {key}: label has no box")),
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
            (None, false) => {}
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
            if nd.group == Some(g) {
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
    v
}
