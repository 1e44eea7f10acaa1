//! Edge label placement, and the finishing of a layout (points tidied,
//! size with the margin).

use super::grid::Setup;
use super::route::Routing;
use super::*;

/// Places the edge labels (see the module doc): reserved ones where their
/// room is, the others on their own line where they cover no box, title,
/// other label or other edge's line. With `strict`, a label that finds no
/// such place stays unplaced and is returned; otherwise it goes beside its
/// line, around its middle, or right of the drawing. A fan-out's label is
/// placed once, on its first edge.
pub(super) fn place_labels(
    s: &Setup<'_>,
    r: &Routing,
    l: &mut Layout,
    wanted: &[Option<Rect>],
    strict: bool,
) -> Vec<usize> {
    let d = s.d;
    let label_sizes: Vec<(f64, f64)> = d.edges.iter().map(|e| label_size(&e.label)).collect();
    let mut extent = rect(0.0, 0.0, 1.0, 1.0);
    let mut grow = |b: &Rect| {
        extent.w = extent.w.max(b.x + b.w);
        extent.h = extent.h.max(b.y + b.h);
    };
    l.nodes.iter().chain(&l.groups).for_each(&mut grow);
    let geo = l.lanes.clone().unwrap_or_default();
    geo.titles.iter().chain(&geo.columns).for_each(&mut grow);
    let area = inflate(&extent, 64.0);
    let count = l.nodes.len() + d.edges.len() + geo.titles.len() + geo.columns.len();
    // what no label may cover
    let mut hard = RectGrid::new(area, count);
    for b in &l.nodes {
        hard.insert(inflate(b, LABEL_CLEAR));
    }
    for b in geo.titles.iter().chain(&geo.columns) {
        hard.insert(inflate(b, LABEL_CLEAR / 2.0));
    }
    // what a label not reserved keeps clear of too: arrowheads at boxes
    let mut near = RectGrid::new(area, l.nodes.len());
    for b in &l.nodes {
        near.insert(inflate(b, ARROW_CLEAR));
    }
    // every edge's segments, by owner (a fan-out's edges share one)
    let mut lines = RectGrid::new(area, 4 * d.edges.len());
    let mut line_seg: Vec<(usize, Point, Point)> = Vec::new();
    for (ei, p) in l.edges.iter().enumerate() {
        for w in p.points.windows(2) {
            lines.insert(inflate(&seg_bbox(w[0], w[1]), 1.0));
            line_seg.push((r.rep(ei), w[0], w[1]));
        }
    }
    let mut scratch = Vec::new();
    let mut scratch2 = Vec::new();
    let clear_of_lines = |b: &Rect, owner: usize, scratch: &mut Vec<usize>| -> bool {
        let probe = inflate(b, 1.0);
        lines.query(&probe, scratch);
        !scratch.iter().any(|&k| {
            let (o, a, c) = line_seg[k];
            o != owner && seg_hits(a, c, &probe, 0.0)
        })
    };
    for p in l.edges.iter_mut() {
        p.label = None;
    }
    let wants = |ei: usize| {
        let (w, h) = label_sizes[ei];
        w > 0.0 && h > 0.0 && r.rep(ei) == ei
    };
    // reserved ones first
    for (ei, want) in wanted.iter().enumerate() {
        if let (true, Some(b)) = (wants(ei), *want) {
            if b.x >= 1.0 && b.y >= 1.0 && !hard.overlaps_any(&b, &mut scratch) {
                hard.insert(inflate(&b, LABEL_CLEAR / 2.0));
                l.edges[ei].label = Some(b);
            }
        }
    }
    let mut failed = Vec::new();
    let mut right_edge = extent.w;
    let mut pushed: Vec<Rect> = Vec::new();
    for (ei, &(w, h)) in label_sizes.iter().enumerate() {
        if !wants(ei) || l.edges[ei].label.is_some() {
            continue;
        }
        let pts = l.edges[ei].points.clone();
        let on_line = candidates(&pts, w, h);
        let owner = r.rep(ei);
        let mut found = on_line.iter().copied().find(|b| {
            b.x >= 1.0
                && b.y >= 1.0
                && !hard.overlaps_any(b, &mut scratch)
                && !near.overlaps_any(b, &mut scratch)
                && clear_of_lines(b, owner, &mut scratch2)
        });
        if found.is_none() && strict {
            failed.push(ei);
            continue;
        }
        if found.is_none() {
            found = on_line
                .iter()
                .copied()
                .find(|b| b.x >= 1.0 && b.y >= 1.0 && !hard.overlaps_any(b, &mut scratch));
        }
        if found.is_none() {
            let mid = lerp(pts[0], pts[pts.len() - 1], 0.5);
            'spiral: for ring in 1..=30 {
                let radius = 10.0 * ring as f64;
                let steps = 8 + ring * 2;
                for k in 0..steps {
                    let ang = std::f64::consts::TAU * k as f64 / steps as f64;
                    let c = pt(mid.x + radius * ang.cos(), mid.y + radius * ang.sin());
                    let b = rect(c.x - w / 2.0, c.y - h / 2.0, w, h);
                    if b.x >= 1.0 && b.y >= 1.0 && !hard.overlaps_any(&b, &mut scratch) {
                        found = Some(b);
                        break 'spiral;
                    }
                }
            }
        }
        let b = found.unwrap_or_else(|| {
            // right of everything, at the height of the edge's middle,
            // below other labels put there
            let mid = lerp(pts[0], pts[pts.len() - 1], 0.5);
            let mut b = rect(
                right_edge + 2.0 * LABEL_CLEAR,
                (mid.y - h / 2.0).max(1.0),
                w,
                h,
            );
            while let Some(o) = pushed
                .iter()
                .find(|o| inflate(o, LABEL_CLEAR / 2.0).overlaps(&b))
            {
                b.y = o.y + o.h + LABEL_CLEAR;
            }
            pushed.push(b);
            b
        });
        right_edge = right_edge.max(b.x + b.w);
        hard.insert(inflate(&b, LABEL_CLEAR / 2.0));
        l.edges[ei].label = Some(b);
    }
    failed
}

/// Label boxes centred on a path's segments, longest first (horizontal
/// ones preferred), from each segment's middle outwards; then the same
/// beside the segments.
fn candidates(pts: &[Point], w: f64, h: f64) -> Vec<Rect> {
    let mut segs: Vec<(f64, usize)> = pts
        .windows(2)
        .enumerate()
        .map(|(k, s)| {
            let len = dist(s[0], s[1]);
            let horizontal = (s[0].y - s[1].y).abs() < 1e-9;
            (if horizontal { len } else { 0.7 * len }, k)
        })
        .collect();
    segs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut on = Vec::new();
    let mut beside = Vec::new();
    for &(_, k) in &segs {
        let (a, b) = (pts[k], pts[k + 1]);
        let vertical = (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() >= 1e-9;
        for t in [0.5, 0.35, 0.65, 0.2, 0.8] {
            let p = lerp(a, b, t);
            on.push(rect(p.x - w / 2.0, p.y - h / 2.0, w, h));
            if vertical {
                beside.push(rect(p.x + LABEL_CLEAR, p.y - h / 2.0, w, h));
                beside.push(rect(p.x - LABEL_CLEAR - w, p.y - h / 2.0, w, h));
            } else {
                beside.push(rect(p.x - w / 2.0, p.y - LABEL_CLEAR - h, w, h));
                beside.push(rect(p.x - w / 2.0, p.y + LABEL_CLEAR, w, h));
            }
        }
    }
    on.extend(beside);
    on
}

/// Removes repeated points and the middle of collinear runs.
pub(super) fn tidy(pts: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for p in pts {
        if out
            .last()
            .is_some_and(|q| (q.x - p.x).abs() < 1e-9 && (q.y - p.y).abs() < 1e-9)
        {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let same_x = (a.x - b.x).abs() < 1e-9 && (b.x - p.x).abs() < 1e-9;
            let same_y = (a.y - b.y).abs() < 1e-9 && (b.y - p.y).abs() < 1e-9;
            if same_x || same_y {
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

/// Width and height: everything plus the margin.
pub(super) fn finish(l: &mut Layout) {
    let (mut x1, mut y1) = (0.0f64, 0.0f64);
    let mut grow = |r: &Rect| {
        x1 = x1.max(r.x + r.w);
        y1 = y1.max(r.y + r.h);
    };
    l.nodes.iter().chain(&l.groups).for_each(&mut grow);
    if let Some(geo) = &l.lanes {
        geo.titles
            .iter()
            .chain(&geo.columns)
            .chain(geo.rest.iter())
            .for_each(&mut grow);
    }
    for e in &l.edges {
        for p in &e.points {
            grow(&rect(p.x, p.y, 0.0, 0.0));
        }
        if let Some(r) = &e.label {
            grow(r);
        }
    }
    l.width = (x1 + MARGIN).ceil();
    l.height = (y1 + MARGIN).ceil();
}
