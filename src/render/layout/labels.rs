//! Edge labels beside their path, never over a box, a title band or another
//! label; the final bounds.

use super::*;

/// Places every edge label: beside the path near its middle, where it
/// covers no box, title band, other label or *other edge* (a label lying
/// on another integration's line reads as that one's). Without such a
/// spot — or always, with `tags` — the label becomes a numbered tag on its
/// own line (the key under the drawing holds the text). Only when not even
/// a tag fits, the label goes somewhere around the middle, else right of
/// the drawing. Tags are numbered in edge order.
pub(super) fn place_labels(
    d: &Diagram,
    l: &mut Layout,
    label_sizes: &[(f64, f64)],
    title_band: f64,
    tags: bool,
) {
    let mut extent = rect(0.0, 0.0, 1.0, 1.0);
    let grow = |acc: &mut Rect, x: f64, y: f64| {
        acc.w = acc.w.max(x);
        acc.h = acc.h.max(y);
    };
    for r in l.nodes.iter().chain(&l.groups) {
        grow(&mut extent, r.x + r.w, r.y + r.h);
    }
    for p in l.edges.iter().flat_map(|e| &e.points) {
        grow(&mut extent, p.x, p.y);
    }
    let mut grid = RectGrid::new(
        inflate(&extent, 64.0),
        l.nodes.len() + l.groups.len() + d.edges.len(),
    );
    // Obstacles keep a clearance; the invariant only needs them disjoint.
    for r in &l.nodes {
        grid.insert(inflate(r, LABEL_CLEAR));
    }
    for r in &l.groups {
        grid.insert(inflate(&rect(r.x, r.y, r.w, title_band), LABEL_CLEAR / 2.0));
    }
    // Every edge's segments, to keep labels off other edges' lines.
    let mut seg_grid = RectGrid::new(inflate(&extent, 64.0), d.edges.len() * 4 + 1);
    let mut seg_of: Vec<(usize, Point, Point)> = Vec::new();
    for (ei, p) in l.edges.iter().enumerate() {
        for w in p.points.windows(2) {
            seg_grid.insert(inflate(&seg_bbox(w[0], w[1]), 1.0));
            seg_of.push((ei, w[0], w[1]));
        }
    }
    let crosses_other = |r: &Rect, ei: usize, scratch: &mut Vec<usize>| -> bool {
        seg_grid.query(r, scratch);
        scratch.iter().any(|&k| {
            let (e, a, b) = seg_of[k];
            e != ei && seg_hits(a, b, r, 0.0)
        })
    };
    let mut right_edge = extent.w;
    let mut scratch = Vec::new();
    let mut scratch2 = Vec::new();
    let mut pushed: Vec<Rect> = Vec::new();
    let mut next_tag = 1usize;
    for (ei, path) in l.edges.iter_mut().enumerate() {
        let (w, h) = label_sizes[ei];
        if w <= 0.0 || h <= 0.0 || path.points.len() < 2 {
            continue;
        }
        let free_sized = |c: Point,
                          (w, h): (f64, f64),
                          grid: &RectGrid,
                          scratch: &mut Vec<usize>,
                          scratch2: &mut Vec<usize>|
         -> Option<Rect> {
            let r = rect(c.x - w / 2.0, c.y - h / 2.0, w, h);
            if r.x < 1.0
                || r.y < 1.0
                || grid.overlaps_any(&r, scratch)
                || crosses_other(&inflate(&r, LABEL_CLEAR + 1.0), ei, scratch2)
            {
                None
            } else {
                Some(r)
            }
        };
        let pts = &path.points;
        let seg_len: Vec<f64> = pts.windows(2).map(|s| dist(s[0], s[1])).collect();
        let total: f64 = seg_len.iter().sum();
        let at = |t: f64| -> (Point, Point) {
            let mut rest = t * total;
            for (k, &sl) in seg_len.iter().enumerate() {
                if rest <= sl || k == seg_len.len() - 1 {
                    let f = if sl > 0.0 {
                        (rest / sl).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let dir = if sl > 0.0 {
                        pt(
                            (pts[k + 1].x - pts[k].x) / sl,
                            (pts[k + 1].y - pts[k].y) / sl,
                        )
                    } else {
                        pt(0.0, 1.0)
                    };
                    return (lerp(pts[k], pts[k + 1], f), dir);
                }
                rest -= sl;
            }
            (pts[0], pt(0.0, 1.0))
        };
        let mut found = None;
        'search: for k in 0..if tags { 0 } else { 13 } {
            let step = (k as f64 + 1.0) / 2.0;
            let t = if k % 2 == 0 {
                0.5 + 0.075 * step.floor()
            } else {
                0.5 - 0.075 * step.floor()
            };
            let (p, dir) = at(t.clamp(0.02, 0.98));
            let cands = if dir.y.abs() >= dir.x.abs() {
                [
                    pt(p.x + w / 2.0 + LABEL_CLEAR, p.y),
                    pt(p.x - w / 2.0 - LABEL_CLEAR, p.y),
                    p,
                ]
            } else {
                [
                    pt(p.x, p.y - h / 2.0 - LABEL_CLEAR),
                    pt(p.x, p.y + h / 2.0 + LABEL_CLEAR),
                    p,
                ]
            };
            for c in cands {
                if let Some(r) = free_sized(c, (w, h), &grid, &mut scratch, &mut scratch2) {
                    found = Some(r);
                    break 'search;
                }
            }
        }
        if let Some(r) = found {
            right_edge = right_edge.max(r.x + r.w);
            grid.insert(inflate(&r, LABEL_CLEAR / 2.0));
            path.label = Some(r);
            continue;
        }
        // A tag: on the line itself, clear of everything else; else as near
        // the middle as it is clear of boxes and labels (another edge's
        // line allowed); else right of the drawing.
        let size = tag_size(next_tag);
        let (tw, th) = size;
        let mut spot = None;
        for t in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85] {
            let (p, _) = at(t);
            if let Some(r) = free_sized(p, size, &grid, &mut scratch, &mut scratch2) {
                spot = Some(r);
                break;
            }
        }
        if spot.is_none() {
            let (mid, _) = at(0.5);
            'spiral: for clean in [true, false] {
                for ring in 1..=40 {
                    let radius = 6.0 * ring as f64;
                    let steps = 8 + ring * 2;
                    for s in 0..steps {
                        let ang = std::f64::consts::TAU * s as f64 / steps as f64;
                        let c = pt(mid.x + radius * ang.cos(), mid.y + radius * ang.sin());
                        let r = rect(c.x - tw / 2.0, c.y - th / 2.0, tw, th);
                        let ok = r.x >= 1.0
                            && r.y >= 1.0
                            && !grid.overlaps_any(&r, &mut scratch)
                            && (!clean || !crosses_other(&r, ei, &mut scratch2));
                        if ok {
                            spot = Some(r);
                            break 'spiral;
                        }
                    }
                }
            }
        }
        let r = match spot {
            Some(r) => r,
            None => {
                // Last resort: beyond the right edge of everything, at the
                // height of the edge's middle, stacked below other such
                // tags.
                let (mid, _) = at(0.5);
                let mut r = rect(
                    right_edge + 2.0 * LABEL_CLEAR,
                    (mid.y - th / 2.0).max(1.0),
                    tw,
                    th,
                );
                while let Some(o) = pushed
                    .iter()
                    .find(|o| inflate(o, LABEL_CLEAR / 2.0).overlaps(&r))
                {
                    r.y = o.y + o.h + LABEL_CLEAR;
                }
                pushed.push(r);
                r
            }
        };
        path.tag = Some(next_tag);
        next_tag += 1;
        right_edge = right_edge.max(r.x + r.w);
        grid.insert(inflate(&r, LABEL_CLEAR / 2.0));
        path.label = Some(r);
    }
}

/// Sets width and height to cover everything (plus the margin), shifting
/// everything right/down first if anything ended up too close to 0.
pub(super) fn finish_bounds(l: &mut Layout) {
    let (mut x0, mut y0) = (f64::INFINITY, f64::INFINITY);
    let (mut x1, mut y1) = (0.0f64, 0.0f64);
    let mut grow = |r: &Rect| {
        x0 = x0.min(r.x);
        y0 = y0.min(r.y);
        x1 = x1.max(r.x + r.w);
        y1 = y1.max(r.y + r.h);
    };
    for r in l.nodes.iter().chain(&l.groups) {
        grow(r);
    }
    for e in &l.edges {
        for p in &e.points {
            grow(&rect(p.x, p.y, 0.0, 0.0));
        }
        if let Some(r) = &e.label {
            grow(r);
        }
    }
    if !x0.is_finite() {
        l.width = 2.0 * MARGIN;
        l.height = 2.0 * MARGIN;
        return;
    }
    let dx = if x0 < MARGIN / 2.0 { MARGIN - x0 } else { 0.0 };
    let dy = if y0 < MARGIN / 2.0 { MARGIN - y0 } else { 0.0 };
    if dx != 0.0 || dy != 0.0 {
        for r in l.nodes.iter_mut().chain(l.groups.iter_mut()) {
            r.x += dx;
            r.y += dy;
        }
        for e in l.edges.iter_mut() {
            for p in e.points.iter_mut() {
                p.x += dx;
                p.y += dy;
            }
            if let Some(r) = e.label.as_mut() {
                r.x += dx;
                r.y += dy;
            }
        }
    }
    l.width = (x1 + dx + MARGIN).ceil();
    l.height = (y1 + dy + MARGIN).ceil();
}
