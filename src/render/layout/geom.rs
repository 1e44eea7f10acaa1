//! Geometry helpers and a uniform grid over rectangles.

use super::*;

/// Whether the segment a–b passes through the interior of `r` shrunk by
/// `shrink` (touching or running along the border does not count).
pub(crate) fn seg_hits(a: Point, b: Point, r: &Rect, shrink: f64) -> bool {
    let (x0, y0) = (r.x + shrink, r.y + shrink);
    let (x1, y1) = (r.x + r.w - shrink, r.y + r.h - shrink);
    if x0 >= x1 || y0 >= y1 {
        return false;
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1e-12 {
        return a.x > x0 && a.x < x1 && a.y > y0 && a.y < y1;
    }
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.x - x0),
        (dx, x1 - a.x),
        (-dy, a.y - y0),
        (dy, y1 - a.y),
    ] {
        if p == 0.0 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 >= t1 {
                return false;
            }
        }
    }
    (t1 - t0) * len > 1e-7
}

/// Whether `p` lies in the closed rectangle `r`.
pub(super) fn contains(r: &Rect, p: Point) -> bool {
    p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h
}

/// Whether `p` lies strictly inside `r`.
pub(super) fn strictly_inside(r: &Rect, p: Point) -> bool {
    p.x > r.x && p.x < r.x + r.w && p.y > r.y && p.y < r.y + r.h
}

/// The parameter interval of segment a–b inside the closed rectangle `r`.
pub(super) fn clip_interval(a: Point, b: Point, r: &Rect) -> Option<(f64, f64)> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.x - r.x),
        (dx, r.x + r.w - a.x),
        (-dy, a.y - r.y),
        (dy, r.y + r.h - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        None
    } else {
        Some((t0, t1))
    }
}

pub(super) fn lerp(a: Point, b: Point, t: f64) -> Point {
    pt(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
}

/// A uniform grid of rectangles for overlap and segment queries. Rectangles
/// outside the initial extent are clamped into the border cells, so queries
/// stay correct (only slower) anywhere.
pub(super) struct RectGrid {
    pub(super) x0: f64,
    pub(super) y0: f64,
    pub(super) cell: f64,
    pub(super) cols: usize,
    pub(super) rows: usize,
    pub(super) cells: Vec<Vec<usize>>,
    pub(super) rects: Vec<Rect>,
}

impl RectGrid {
    pub(super) fn new(extent: Rect, expected: usize) -> RectGrid {
        let area = (extent.w.max(1.0)) * (extent.h.max(1.0));
        let cell = (area / (expected.max(1) as f64)).sqrt().clamp(48.0, 4096.0);
        let cols = ((extent.w / cell).ceil() as usize).clamp(1, 2048);
        let rows = ((extent.h / cell).ceil() as usize).clamp(1, 2048);
        RectGrid {
            x0: extent.x,
            y0: extent.y,
            cell,
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
            rects: Vec::new(),
        }
    }

    pub(super) fn span(&self, r: &Rect) -> (usize, usize, usize, usize) {
        let cx =
            |x: f64| (((x - self.x0) / self.cell).floor().max(0.0) as usize).min(self.cols - 1);
        let cy =
            |y: f64| (((y - self.y0) / self.cell).floor().max(0.0) as usize).min(self.rows - 1);
        (cx(r.x), cx(r.x + r.w), cy(r.y), cy(r.y + r.h))
    }

    pub(super) fn insert(&mut self, r: Rect) -> usize {
        let id = self.rects.len();
        self.rects.push(r);
        let (c0, c1, r0, r1) = self.span(&r);
        for row in r0..=r1 {
            for col in c0..=c1 {
                self.cells[row * self.cols + col].push(id);
            }
        }
        id
    }

    /// Ids of rectangles that may touch `r`, ascending, without repeats.
    pub(super) fn query(&self, r: &Rect, out: &mut Vec<usize>) {
        out.clear();
        let (c0, c1, r0, r1) = self.span(r);
        for row in r0..=r1 {
            for col in c0..=c1 {
                out.extend_from_slice(&self.cells[row * self.cols + col]);
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Whether `r` overlaps any stored rectangle.
    pub(super) fn overlaps_any(&self, r: &Rect, scratch: &mut Vec<usize>) -> bool {
        self.query(r, scratch);
        scratch.iter().any(|&i| self.rects[i].overlaps(r))
    }
}

pub(super) fn seg_bbox(a: Point, b: Point) -> Rect {
    let x = a.x.min(b.x);
    let y = a.y.min(b.y);
    rect(x, y, (a.x - b.x).abs(), (a.y - b.y).abs())
}
