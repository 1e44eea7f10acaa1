//! How good a positioned drawing is, measured: size and shape against a
//! target frame (a 1920×1080 slide, an A4 landscape page), the smallest
//! text once the whole page is fitted into that frame, edge crossings,
//! bends, edges through boxes and frame titles, and edge labels that sit
//! nearer another edge than their own or on top of something.
//!
//! One set of functions for every engine: revarch's own layouts
//! ([`Drawing::of`] a [`Diagram`] and its [`Layout`]) and, in the benchmark,
//! Graphviz dot's and ELK's drawings of the same graph (read back into a
//! [`Layout`] of the same diagram, or built as a [`Drawing`] directly), so
//! all of them are counted by the same code. [`score`] folds a [`Quality`]
//! into one number (lower is better) for the layout engine to pick among
//! candidate layouts.
//!
//! Every measure is near-linear: boxes, title bands, labels and edge
//! segments go into a uniform grid ([`Grid`]) and only nearby pairs are
//! tested; crossings are the sweep of [`super::crossings`]. Geometry that
//! is not finite is skipped, never a panic.
//!
//! Tolerances (px, in drawing coordinates): two things *overlap* only if
//! they share more than [`TOLERANCE`] in both directions, an edge goes
//! *through* a box only if it enters it deeper than [`TOLERANCE`], and a
//! polyline point is a *bend* only if it lies more than [`BEND_TOLERANCE`]
//! off the segment between its neighbours — so touching, grazing and
//! rounding are never counted.

use super::crossings::{count_crossings, Polyline};
use super::diagram::{metrics, Diagram, Layout, Point, Rect, Swatch};
use super::layout::{self, GROUP_TITLE_BAND};
use super::page::{self, Fit, LEGEND_FONT};
use super::svg;
use super::text::{sublabel_lines, wrap, WRAP_CHARS};

/// How deep two things must overlap, px, to count (see the module doc).
pub const TOLERANCE: f64 = 0.5;

/// How far a polyline point must lie off the segment between its
/// neighbours, px, to count as a bend: collinear points and the fine
/// sampling of a smooth curve do not.
pub const BEND_TOLERANCE: f64 = 1.0;

/// A target the whole page is fitted into, with the smallest text sizes
/// that stay legible there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Short name (`slide`, `a4`).
    pub name: &'static str,
    /// Width, px.
    pub width: f64,
    /// Height, px.
    pub height: f64,
    /// Smallest legible node name once fitted, px.
    pub min_name_px: f64,
    /// Smallest legible other text once fitted, px.
    pub min_text_px: f64,
}

impl Frame {
    /// Width : height.
    pub fn aspect(&self) -> f64 {
        self.width / self.height
    }
}

/// A 16:9 slide at 1920×1080: node names ≥ 20 px, every other text ≥ 14 px
/// (issue 12's legibility targets).
pub const SLIDE: Frame = Frame {
    name: "slide",
    width: 1920.0,
    height: 1080.0,
    min_name_px: 20.0,
    min_text_px: 14.0,
};

/// An A4 page in landscape at 96 px per inch, 1123 × 794 px, with the
/// targets of [`Fit::A4`]: node names ≥ 15 px (≈ 11 pt) and every other
/// text ≥ 10.5 px (≈ 8 pt).
pub const A4_LANDSCAPE: Frame = Frame {
    name: "a4",
    width: 1123.0,
    height: 794.0,
    min_name_px: 15.0,
    min_text_px: 10.5,
};

impl Frame {
    /// The frame of a `--fit` target (None for [`Fit::None`]).
    pub fn of(fit: Fit) -> Option<Frame> {
        match fit {
            Fit::Slide => Some(SLIDE),
            Fit::A4 => Some(A4_LANDSCAPE),
            Fit::None => None,
        }
    }
}

/// What a text is, for the legibility targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextRole {
    /// A node's name (main label): the largest target.
    Name,
    /// Any other text: sublabels, attribute lines, edge labels, group
    /// titles, the title, the legend, the footer.
    Other,
    /// A one-character symbol in a badge (a diff mark's `+ − Δ`): listed,
    /// but not held to the text targets (it is read by shape and colour).
    Glyph,
}

/// One drawn text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Text {
    /// Font size as drawn, px.
    pub font_px: f64,
    /// What it is.
    pub role: TextRole,
}

/// A group frame and its title band (the top of the frame).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupFrame {
    /// The whole frame.
    pub rect: Rect,
    /// Where its title is drawn; edges should not cross it.
    pub title_band: Rect,
}

/// One drawn edge.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnEdge {
    /// The route, in order (a curve sampled into a polyline).
    pub points: Vec<Point>,
    /// Index of the source box in [`Drawing::boxes`].
    pub from: usize,
    /// Index of the target box.
    pub to: usize,
    /// The label's box, if the edge has a label.
    pub label: Option<Rect>,
}

/// A positioned drawing, independent of the engine that made it.
/// Coordinates of boxes, frames and edges are the drawing's own (any
/// origin); `page` is the size of the whole page they are shown on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drawing {
    /// Width and height of the whole page, px (for revarch: the SVG page
    /// with title band, legend and footer).
    pub page: (f64, f64),
    /// Node boxes.
    pub boxes: Vec<Rect>,
    /// Group frames.
    pub frames: Vec<GroupFrame>,
    /// Edges.
    pub edges: Vec<DrawnEdge>,
    /// Every text on the page with its size.
    pub texts: Vec<Text>,
}

impl Drawing {
    /// The drawing [`svg::to_svg`] writes for this diagram and layout: its
    /// page ([`page::page`]: size, and the key of tagged edge labels; with a
    /// caption the slide of [`svg::slide_size`] and the caption's lines), boxes,
    /// frames with their title bands ([`GROUP_TITLE_BAND`]), drawn edges (two
    /// points or more) with their label boxes (or numbered tags), and every
    /// non-empty text it sets, with the font sizes it sets them in (read
    /// from the same constants).
    pub fn of(d: &Diagram, l: &Layout) -> Drawing {
        let mut texts = Vec::new();
        let mut add = |font_px: f64, role: TextRole, s: &str| {
            if !s.is_empty() {
                texts.push(Text { font_px, role });
            }
        };
        if d.caption.is_some() {
            add(metrics::TITLE, TextRole::Other, &d.title);
        } else {
            for line in page::page(d, l).title {
                add(metrics::TITLE, TextRole::Other, &line);
            }
        }
        for size in svg::caption_font_sizes(d, l) {
            add(size, TextRole::Other, "caption line");
        }
        if let Some(note) = &d.empty_note {
            add(metrics::NOTE, TextRole::Other, note);
        }
        match (&d.lanes, &l.lanes) {
            // swimlanes: lane titles at the left, column headers on top
            (Some(lanes), Some(geo)) => {
                for ((g, _), _) in d.groups.iter().zip(&l.groups).zip(&geo.titles) {
                    for line in layout::lane_title_lines(&g.label) {
                        add(metrics::GROUP, TextRole::Other, &line);
                    }
                }
                for (title, _) in lanes.columns.iter().zip(&geo.columns) {
                    for line in layout::column_title_lines(title) {
                        add(metrics::GROUP, TextRole::Other, &line);
                    }
                }
            }
            _ => {
                for (g, _) in d.groups.iter().zip(&l.groups) {
                    add(metrics::GROUP, TextRole::Other, &g.label);
                }
            }
        }
        let wrap_at = l.lanes.as_ref().map_or(WRAP_CHARS, |g| g.wrap);
        let mut edges = Vec::with_capacity(d.edges.len());
        for (e, p) in d.edges.iter().zip(&l.edges) {
            if p.points.len() < 2 {
                continue;
            }
            let label = match (p.label, p.tag) {
                // a numbered tag on the edge; the label is in the key
                (Some(r), Some(n)) => {
                    add(metrics::EDGE, TextRole::Other, &n.to_string());
                    Some(r)
                }
                (Some(r), None) if !e.label.is_empty() => {
                    for line in &e.label {
                        add(metrics::EDGE, TextRole::Other, line);
                    }
                    Some(r)
                }
                _ => None,
            };
            if e.marks.iter().any(|m| m.is_diff()) {
                add(svg::badge_font(svg::BEAD), TextRole::Glyph, "+");
            }
            edges.push(DrawnEdge {
                points: p.points.clone(),
                from: e.from,
                to: e.to,
                label,
            });
        }
        for (node, _) in d.nodes.iter().zip(&l.nodes) {
            for line in wrap(&node.label, wrap_at) {
                add(metrics::LABEL, TextRole::Name, &line);
            }
            for line in node
                .sublabel
                .as_deref()
                .map(sublabel_lines)
                .unwrap_or_default()
            {
                add(metrics::SMALL, TextRole::Other, &line);
            }
            for line in &node.lines {
                add(metrics::SMALL, TextRole::Other, line);
            }
            if node.marks.iter().any(|m| m.is_diff()) {
                add(svg::badge_font(svg::NODE_BADGE), TextRole::Glyph, "+");
            }
        }
        let pg = page::page(d, l);
        for k in &pg.key {
            add(metrics::EDGE, TextRole::Other, &k.n.to_string());
            for line in k.text.split('\n') {
                add(metrics::NOTE, TextRole::Other, line);
            }
        }
        if !d.legend.is_empty() {
            add(LEGEND_FONT, TextRole::Other, "Legend");
            for item in &d.legend {
                add(LEGEND_FONT, TextRole::Other, &item.text);
                if matches!(item.swatch, Swatch::Outline(m) if m.is_diff()) {
                    add(svg::badge_font(svg::LEGEND_BADGE), TextRole::Glyph, "+");
                }
            }
        }
        add(metrics::NOTE, TextRole::Other, &d.footer);
        Drawing {
            // a diagram with a caption is drawn on a 16:9 slide page
            page: svg::slide_size(d, l).unwrap_or((pg.width, pg.height)),
            boxes: l.nodes.clone(),
            frames: match &l.lanes {
                // a lane's title is the strip at its left; a column header
                // is a title band of its own
                Some(geo) => l
                    .groups
                    .iter()
                    .zip(&geo.titles)
                    .map(|(g, t)| GroupFrame {
                        rect: *g,
                        title_band: *t,
                    })
                    .chain(geo.columns.iter().map(|c| GroupFrame {
                        rect: *c,
                        title_band: *c,
                    }))
                    .collect(),
                None => l
                    .groups
                    .iter()
                    .map(|g| GroupFrame {
                        rect: *g,
                        title_band: Rect {
                            h: GROUP_TITLE_BAND.min(g.h),
                            ..*g
                        },
                    })
                    .collect(),
            },
            edges,
            texts,
        }
    }
}

/// The measures of one drawing fitted into one frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quality {
    /// Page width, px (at least 1).
    pub width: f64,
    /// Page height, px (at least 1).
    pub height: f64,
    /// Width : height of the page.
    pub aspect: f64,
    /// The frame the page is fitted into.
    pub frame: Frame,
    /// Scale that fits the whole page into the frame (up or down).
    pub fitted_scale: f64,
    /// Smallest node-name font as drawn, px (None: no name).
    pub name_font_px: Option<f64>,
    /// Smallest font of any text but glyphs as drawn, px (None: no text).
    pub text_font_px: Option<f64>,
    /// `name_font_px` once fitted.
    pub smallest_name_px: Option<f64>,
    /// `text_font_px` once fitted.
    pub smallest_text_px: Option<f64>,
    /// Proper crossings between edges ([`crossings`]).
    pub crossings: usize,
    /// Polyline corners ([`bends`]).
    pub bends: usize,
    /// (edge, box) pairs where the edge passes through a box that is not
    /// one of its ends ([`edges_through_boxes`]).
    pub edges_through_boxes: usize,
    /// (edge, frame) pairs where the edge passes through the frame's title
    /// band ([`edges_through_titles`]).
    pub edges_through_titles: usize,
    /// (edge, frame) pairs where the edge runs across a group frame that
    /// holds neither of its ends ([`edges_through_foreign_frames`]).
    pub edges_through_foreign_frames: usize,
    /// Labels nearer another edge than their own
    /// ([`labels_nearer_other_edge`]).
    pub labels_nearer_other_edge: usize,
    /// Label overlaps with labels, boxes and title bands ([`label_overlaps`]).
    pub label_overlaps: usize,
}

impl Quality {
    /// The same measures fitted into another frame.
    pub fn fit(&self, frame: Frame) -> Quality {
        let fitted_scale = fitted_scale((self.width, self.height), frame);
        Quality {
            frame,
            fitted_scale,
            smallest_name_px: self.name_font_px.map(|f| f * fitted_scale),
            smallest_text_px: self.text_font_px.map(|f| f * fitted_scale),
            ..*self
        }
    }

    /// Edges through boxes or titles, labels nearer another edge, label
    /// overlaps: everything that makes a drawing misread.
    pub fn conflicts(&self) -> usize {
        self.edges_through_boxes
            + self.edges_through_titles
            + self.labels_nearer_other_edge
            + self.label_overlaps
    }

    /// Whether every text meets the frame's targets once fitted.
    pub fn legible(&self) -> bool {
        self.smallest_name_px
            .is_none_or(|p| p + 1e-9 >= self.frame.min_name_px)
            && self
                .smallest_text_px
                .is_none_or(|p| p + 1e-9 >= self.frame.min_text_px)
    }
}

/// Scale that fits a page of `page` px into `frame`: the largest that keeps
/// both sides within it (sizes below 1 px count as 1).
pub fn fitted_scale(page: (f64, f64), frame: Frame) -> f64 {
    let (w, h) = clamp_page(page);
    (frame.width / w).min(frame.height / h)
}

fn clamp_page((w, h): (f64, f64)) -> (f64, f64) {
    let side = |v: f64| if v.is_finite() { v.max(1.0) } else { 1.0 };
    (side(w), side(h))
}

/// Measures a drawing fitted into `frame`.
pub fn measure(d: &Drawing, frame: Frame) -> Quality {
    let (width, height) = clamp_page(d.page);
    let smallest = |keep: &dyn Fn(TextRole) -> bool| {
        d.texts
            .iter()
            .filter(|t| keep(t.role) && t.font_px.is_finite())
            .map(|t| t.font_px)
            .min_by(f64::total_cmp)
    };
    let q = Quality {
        width,
        height,
        aspect: width / height,
        frame,
        fitted_scale: 1.0,
        name_font_px: smallest(&|r| r == TextRole::Name),
        text_font_px: smallest(&|r| r != TextRole::Glyph),
        smallest_name_px: None,
        smallest_text_px: None,
        crossings: crossings(d),
        bends: bends(d),
        edges_through_boxes: edges_through_boxes(d),
        edges_through_titles: edges_through_titles(d),
        edges_through_foreign_frames: edges_through_foreign_frames(d),
        labels_nearer_other_edge: labels_nearer_other_edge(d),
        label_overlaps: label_overlaps(d),
    };
    q.fit(frame)
}

// ------------------------------------------------------------ score

/// Weight of the aspect term: per unit of |ln(aspect / frame aspect)|, so a
/// page twice as wide (or tall) as the frame's shape costs 0.69 × 10 ≈ 7,
/// as much as 7 crossings.
pub const W_ASPECT: f64 = 10.0;
/// Weight of text size for each of names and other text: `W_TEXT ×
/// target / fitted size`, so larger text is always a little better (10 at
/// the target, 5 at twice the target).
pub const W_TEXT: f64 = 10.0;
/// Heavy penalty below a legibility target: `W_ILLEGIBLE × (target /
/// fitted size − 1)`, so text at half its target costs 100, as much as 100
/// crossings — a candidate that meets the targets beats one that does not
/// unless the other is far cleaner.
pub const W_ILLEGIBLE: f64 = 100.0;
/// Weight of one edge crossing.
pub const W_CROSSING: f64 = 1.0;
/// Weight of one bend (an orthogonal route has a few by nature).
pub const W_BEND: f64 = 0.2;
/// Weight of one conflict ([`Quality::conflicts`]): an edge through a box
/// or title, a label nearer another edge, a label overlap. Each misleads a
/// reader, so it costs as much as 5 crossings.
pub const W_CONFLICT: f64 = 5.0;

/// One number for a drawing in a frame, lower is better (0 is not
/// reachable: text at its target alone costs 2 × [`W_TEXT`]):
///
/// `W_ASPECT·|ln(aspect / frame aspect)|`
/// `+ Σ over names and other text: W_TEXT·t/s + W_ILLEGIBLE·max(0, t/s − 1)`
/// `+ W_CROSSING·crossings + W_BEND·bends + W_CONFLICT·conflicts`,
///
/// with `t` the frame's target and `s` the smallest size once fitted into
/// `frame` (the quality is refitted when it was measured for another
/// frame). Constant time: measure once, score for several frames.
pub fn score(q: &Quality, frame: Frame) -> f64 {
    let q = if q.frame == frame { *q } else { q.fit(frame) };
    let aspect = (q.aspect / frame.aspect()).ln().abs();
    let text = |size: Option<f64>, target: f64| match size {
        Some(s) if s > 0.0 && s.is_finite() => {
            let r = target / s;
            W_TEXT * r + W_ILLEGIBLE * (r - 1.0).max(0.0)
        }
        Some(_) => W_TEXT + W_ILLEGIBLE * 1e3,
        None => 0.0,
    };
    let s = W_ASPECT * if aspect.is_finite() { aspect } else { 1e3 }
        + text(q.smallest_name_px, frame.min_name_px)
        + text(q.smallest_text_px, frame.min_text_px)
        + W_CROSSING * q.crossings as f64
        + W_BEND * q.bends as f64
        + W_CONFLICT * q.conflicts() as f64;
    if s.is_finite() {
        s
    } else {
        f64::MAX
    }
}

// ------------------------------------------------------------ measures

fn finite(p: Point) -> bool {
    p.x.is_finite() && p.y.is_finite()
}

fn finite_rect(r: &Rect) -> bool {
    r.x.is_finite()
        && r.y.is_finite()
        && r.w.is_finite()
        && r.h.is_finite()
        && r.w >= 0.0
        && r.h >= 0.0
}

/// The drawable segments of an edge: finite, of non-zero length.
fn segments(points: &[Point]) -> impl Iterator<Item = (Point, Point)> + '_ {
    points
        .windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|(a, b)| finite(*a) && finite(*b) && a != b)
}

const NOWHERE: Rect = Rect {
    x: f64::MIN,
    y: f64::MIN,
    w: 0.0,
    h: 0.0,
};

/// Edge crossings ([`super::crossings::count_crossings`]: proper
/// intersections between different edges, outside their end boxes).
pub fn crossings(d: &Drawing) -> usize {
    let end = |i: usize| d.boxes.get(i).copied().unwrap_or(NOWHERE);
    let lines: Vec<Polyline<'_>> = d
        .edges
        .iter()
        .map(|e| Polyline {
            points: &e.points,
            ends: [end(e.from), end(e.to)],
        })
        .collect();
    count_crossings(&lines)
}

/// Corners of the edges' polylines: points where the route turns, i.e. that
/// lie more than [`BEND_TOLERANCE`] off the segment between the points
/// before and after (repeated points are skipped; a point the route turns
/// back at is a bend).
pub fn bends(d: &Drawing) -> usize {
    d.edges.iter().map(|e| edge_bends(&e.points)).sum()
}

fn edge_bends(points: &[Point]) -> usize {
    let mut p: Vec<Point> = Vec::with_capacity(points.len());
    for &q in points.iter().filter(|q| finite(**q)) {
        if p.last() != Some(&q) {
            p.push(q);
        }
    }
    p.windows(3)
        .filter(|w| point_segment_distance(w[1], w[0], w[2]) > BEND_TOLERANCE)
        .count()
}

/// (edge, box) pairs where a segment of the edge enters a box other than
/// the edge's two ends deeper than [`TOLERANCE`]. An edge through two boxes
/// counts two; an edge that enters one box twice counts one.
pub fn edges_through_boxes(d: &Drawing) -> usize {
    let rects: Vec<Rect> = d.boxes.clone();
    through(d, &rects, true)
}

/// (edge, frame) pairs where a segment of the edge enters a group frame's
/// title band deeper than [`TOLERANCE`] (whichever group its ends are in).
pub fn edges_through_titles(d: &Drawing) -> usize {
    let rects: Vec<Rect> = d.frames.iter().map(|f| f.title_band).collect();
    through(d, &rects, false)
}

/// (edge, frame) pairs where a segment of the edge enters, deeper than
/// [`TOLERANCE`], a group frame that holds neither of its ends: an edge
/// between two groups drawn across a third (the arrangement of frames
/// should keep such edges short and outside). A box is in a frame when
/// its centre is. Not a conflict: nothing is misread, but the reader's eye
/// crosses a team that has no part in the exchange.
pub fn edges_through_foreign_frames(d: &Drawing) -> usize {
    let holds = |f: &GroupFrame, b: usize| {
        d.boxes.get(b).is_some_and(|r| {
            let centre = Point {
                x: r.x + r.w / 2.0,
                y: r.y + r.h / 2.0,
            };
            crate::render::crossings::contains(&f.rect, centre, 0.0)
        })
    };
    let mut count = 0;
    for e in &d.edges {
        for f in &d.frames {
            if !finite_rect(&f.rect) || holds(f, e.from) || holds(f, e.to) {
                continue;
            }
            if segments(&e.points).any(|(a, b)| segment_enters(a, b, &f.rect, TOLERANCE)) {
                count += 1;
            }
        }
    }
    count
}

fn through(d: &Drawing, rects: &[Rect], skip_ends: bool) -> usize {
    let mut grid = Grid::new(rects.iter(), rects.len());
    for (i, r) in rects.iter().enumerate() {
        if finite_rect(r) {
            grid.insert_rect(r, i);
        }
    }
    let mut hit = vec![usize::MAX; rects.len()];
    let mut seen = Seen::new(rects.len());
    let mut count = 0;
    for (ei, e) in d.edges.iter().enumerate() {
        for (a, b) in segments(&e.points) {
            seen.next();
            grid.near_segment(a, b, |k| {
                if !seen.first(k) || hit[k] == ei || (skip_ends && (k == e.from || k == e.to)) {
                    return;
                }
                if segment_enters(a, b, &rects[k], TOLERANCE) {
                    hit[k] = ei;
                    count += 1;
                }
            });
        }
    }
    count
}

/// Labels whose box is nearer (by more than [`TOLERANCE`]) to a segment of
/// another edge than to their own edge: a reader takes them for the other
/// edge's label.
pub fn labels_nearer_other_edge(d: &Drawing) -> usize {
    let mut segs: Vec<(Point, Point, usize)> = Vec::new();
    for (ei, e) in d.edges.iter().enumerate() {
        segs.extend(segments(&e.points).map(|(a, b)| (a, b, ei)));
    }
    let mut grid = Grid::new(
        segs.iter()
            .map(|(a, b, _)| segment_box(*a, *b))
            .collect::<Vec<_>>()
            .iter(),
        segs.len(),
    );
    for (i, (a, b, _)) in segs.iter().enumerate() {
        grid.insert_segment(*a, *b, i);
    }
    let mut seen = Seen::new(segs.len());
    let mut count = 0;
    for (ei, e) in d.edges.iter().enumerate() {
        let Some(label) = e.label.filter(finite_rect) else {
            continue;
        };
        let own = segments(&e.points)
            .map(|(a, b)| rect_segment_distance(&label, a, b))
            .fold(f64::INFINITY, f64::min);
        if !own.is_finite() || own <= TOLERANCE {
            continue;
        }
        let reach = own - TOLERANCE;
        let area = Rect {
            x: label.x - reach,
            y: label.y - reach,
            w: label.w + 2.0 * reach,
            h: label.h + 2.0 * reach,
        };
        seen.next();
        let mut nearer = false;
        grid.in_rect(&area, |k| {
            let (a, b, owner) = segs[k];
            if nearer || owner == ei || !seen.first(k) {
                return;
            }
            if rect_segment_distance(&label, a, b) < reach {
                nearer = true;
            }
        });
        count += usize::from(nearer);
    }
    count
}

/// Overlaps deeper than [`TOLERANCE`] of an edge label with another label,
/// a node box or a group frame's title band; each overlapping pair counts
/// once.
pub fn label_overlaps(d: &Drawing) -> usize {
    // Items: boxes, then title bands, then labels (with their edge).
    let labels: Vec<Rect> = d
        .edges
        .iter()
        .filter_map(|e| e.label)
        .filter(finite_rect)
        .collect();
    let mut items: Vec<Rect> = Vec::with_capacity(d.boxes.len() + d.frames.len() + labels.len());
    items.extend(d.boxes.iter().copied());
    items.extend(d.frames.iter().map(|f| f.title_band));
    let first_label = items.len();
    items.extend(labels.iter().copied());
    let mut grid = Grid::new(items.iter(), items.len());
    for (i, r) in items.iter().enumerate() {
        if finite_rect(r) {
            grid.insert_rect(r, i);
        }
    }
    let mut seen = Seen::new(items.len());
    let mut count = 0;
    for (li, label) in labels.iter().enumerate() {
        let me = first_label + li;
        seen.next();
        grid.in_rect(label, |k| {
            // a pair of labels once (the later one counts it)
            if k >= me || !seen.first(k) {
                return;
            }
            if overlap(label, &items[k], TOLERANCE) {
                count += 1;
            }
        });
    }
    count
}

// ------------------------------------------------------------ geometry

/// Whether `a` and `b` share more than `tol` in both directions.
fn overlap(a: &Rect, b: &Rect, tol: f64) -> bool {
    let w = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x);
    let h = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y);
    w > tol && h > tol
}

fn segment_box(a: Point, b: Point) -> Rect {
    Rect {
        x: a.x.min(b.x),
        y: a.y.min(b.y),
        w: (a.x - b.x).abs(),
        h: (a.y - b.y).abs(),
    }
}

/// Whether segment ab passes through `r` shrunk by `depth` on every side
/// (Liang–Barsky clipping; touching the shrunk box's border does not count).
fn segment_enters(a: Point, b: Point, r: &Rect, depth: f64) -> bool {
    let (x0, y0) = (r.x + depth, r.y + depth);
    let (x1, y1) = (r.x + r.w - depth, r.y + r.h - depth);
    if x0 >= x1 || y0 >= y1 {
        return false;
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
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
    true
}

fn point_segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a.x + t * dx, a.y + t * dy);
    ((p.x - qx).powi(2) + (p.y - qy).powi(2)).sqrt()
}

fn point_rect_distance(p: Point, r: &Rect) -> f64 {
    let dx = (r.x - p.x).max(0.0).max(p.x - (r.x + r.w));
    let dy = (r.y - p.y).max(0.0).max(p.y - (r.y + r.h));
    (dx * dx + dy * dy).sqrt()
}

/// Distance between a rectangle and a segment (0 when they touch or the
/// segment runs through it).
fn rect_segment_distance(r: &Rect, a: Point, b: Point) -> f64 {
    if segment_enters(a, b, r, 0.0) {
        return 0.0;
    }
    let corners = [
        Point { x: r.x, y: r.y },
        Point {
            x: r.x + r.w,
            y: r.y,
        },
        Point {
            x: r.x,
            y: r.y + r.h,
        },
        Point {
            x: r.x + r.w,
            y: r.y + r.h,
        },
    ];
    let from_ends = point_rect_distance(a, r).min(point_rect_distance(b, r));
    corners
        .iter()
        .map(|c| point_segment_distance(*c, a, b))
        .fold(from_ends, f64::min)
}

// ------------------------------------------------------------ grid

/// A uniform grid over the drawing: each item (a rectangle, or a segment
/// cut into pieces no longer than a cell) is listed in every cell it
/// touches, so a query visits only nearby items. Cells are sized for about
/// four items each and there are never many more cells than items.
struct Grid {
    x0: f64,
    y0: f64,
    cell: f64,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<usize>>,
}

impl Grid {
    fn new<'a>(rects: impl Iterator<Item = &'a Rect>, n: usize) -> Grid {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        let mut sum = 0.0;
        let mut counted = 0.0;
        for r in rects.filter(|r| finite_rect(r)) {
            x0 = x0.min(r.x);
            y0 = y0.min(r.y);
            x1 = x1.max(r.x + r.w);
            y1 = y1.max(r.y + r.h);
            sum += r.w.max(r.h);
            counted += 1.0;
        }
        if counted == 0.0 || x0 > x1 || y0 > y1 {
            return Grid {
                x0: 0.0,
                y0: 0.0,
                cell: 1.0,
                cols: 1,
                rows: 1,
                cells: vec![Vec::new()],
            };
        }
        let area = (x1 - x0).max(1.0) * (y1 - y0).max(1.0);
        let typical = (sum / counted).max(1.0);
        let cell = typical.max((area / (n as f64 + 1.0)).sqrt() / 2.0).max(1.0);
        let cols = ((x1 - x0) / cell).floor() as usize + 1;
        let rows = ((y1 - y0) / cell).floor() as usize + 1;
        Grid {
            x0,
            y0,
            cell,
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
        }
    }

    /// The cell range a rectangle covers, clamped to the grid.
    fn span(&self, r: &Rect) -> Option<(usize, usize, usize, usize)> {
        if !finite_rect(r) {
            return None;
        }
        let c = |v: f64, max: usize| -> usize {
            if v <= 0.0 {
                0
            } else {
                (v as usize).min(max - 1)
            }
        };
        Some((
            c((r.x - self.x0) / self.cell, self.cols),
            c((r.x + r.w - self.x0) / self.cell, self.cols),
            c((r.y - self.y0) / self.cell, self.rows),
            c((r.y + r.h - self.y0) / self.cell, self.rows),
        ))
    }

    fn insert_rect(&mut self, r: &Rect, id: usize) {
        if let Some((c0, c1, r0, r1)) = self.span(r) {
            for row in r0..=r1 {
                for col in c0..=c1 {
                    self.cells[row * self.cols + col].push(id);
                }
            }
        }
    }

    /// Calls `f` with every item listed in a cell that `r` touches (an item
    /// may come more than once).
    fn in_rect(&self, r: &Rect, mut f: impl FnMut(usize)) {
        if let Some((c0, c1, r0, r1)) = self.span(r) {
            for row in r0..=r1 {
                for col in c0..=c1 {
                    self.cells[row * self.cols + col].iter().for_each(|&k| f(k));
                }
            }
        }
    }

    /// The pieces of segment ab, each no longer than a cell.
    fn pieces(&self, a: Point, b: Point) -> impl Iterator<Item = Rect> {
        let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
        let n = ((len / self.cell).ceil() as usize).clamp(1, 4 * (self.cols + self.rows));
        (0..n).map(move |i| {
            let t0 = i as f64 / n as f64;
            let t1 = (i + 1) as f64 / n as f64;
            let p = |t: f64| Point {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            };
            segment_box(p(t0), p(t1))
        })
    }

    fn insert_segment(&mut self, a: Point, b: Point, id: usize) {
        let pieces: Vec<Rect> = self.pieces(a, b).collect();
        for r in pieces {
            self.insert_rect(&r, id);
        }
    }

    /// Calls `f` with every item listed in a cell that segment ab touches.
    fn near_segment(&self, a: Point, b: Point, mut f: impl FnMut(usize)) {
        for r in self.pieces(a, b) {
            self.in_rect(&r, &mut f);
        }
    }
}

/// Which items a query has seen already (a generation stamp per item).
struct Seen {
    stamp: Vec<u32>,
    now: u32,
}

impl Seen {
    fn new(n: usize) -> Seen {
        Seen {
            stamp: vec![0; n],
            now: 0,
        }
    }
    /// Starts a new query.
    fn next(&mut self) {
        self.now = self.now.wrapping_add(1);
        if self.now == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.now = 1;
        }
    }
    /// Whether item `k` is new to this query (and marks it seen).
    fn first(&mut self, k: usize) -> bool {
        match self.stamp.get_mut(k) {
            Some(s) if *s != self.now => {
                *s = self.now;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;
