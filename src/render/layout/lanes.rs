//! Swimlane layout: a diagram with [`Diagram::lanes`] (OV-5b) drawn as a
//! BPMN-style collaboration diagram — one horizontal lane per group, one
//! column per entry of [`Lanes::columns`], every node in the cell of its
//! lane and column, edges routed orthogonally in the gutters.
//!
//! # Grid ([`Setup`])
//! Every cell's nodes are stacked, or set side by side, in *slots*: a
//! column holds `k` slot columns and a lane as many slot rows as its
//! fullest cell needs. Slot columns are as wide as their widest box, slot
//! rows as tall as their tallest one, so the slots of the whole drawing
//! form one grid and the gutters between them are free of boxes from one
//! end of the drawing to the other. The arrangement is chosen by the scale
//! the page keeps in the frame it is laid out for (`--fit`; a 1920 × 1080
//! slide by default, so the drawing stays near 16:9): the characters per
//! line of node labels (28 as elsewhere, or narrower: a journey has many
//! columns and few rows), and per column how many boxes sit side by side
//! (greedily, starting from all stacked). Without a frame, cells are
//! stacked and labels wrapped at 28.
//! Within a cell, nodes are ordered by the barycentre of their neighbours.
//!
//! # Routes ([`Routing`])
//! Each edge gets a *plan* from the grid alone:
//! - **row**: same slot row, only empty slots between → a straight
//!   horizontal line between the facing sides (a jog in the gutter next to
//!   the target when the ports differ);
//! - **column**: same slot column, only empty slots between → a straight
//!   vertical line between bottom and top (a jog in the gap next to the
//!   target when the ports differ);
//! - otherwise a **Z**: out of the side facing the target into the
//!   vertical gutter beside the source, along a horizontal gap (the least
//!   loaded between the two rows, lane borders preferred), along the gutter
//!   beside the target and into its facing side; when both gutters are one
//!   (neighbouring slot columns), or the nodes share a slot column with
//!   boxes between (then right side to right side), an L or C shape.
//!
//! Fan-outs — edges leaving one side of a box with the same label on Z
//! routes (one activity handing the same data to several) — share the port,
//! one trunk in the first gutter and one run per gap, and show their label
//! once, on the first edge (like ELK's merged edges). Ports: the edges on
//! one side of a box are spread along it, ordered by where they turn next;
//! a straight edge keeps one height at both ends where one end is alone on
//! its side. Gutters are *nudged* like libavoid's orthogonal routing: the
//! segments sharing a gutter are ordered by how their ends turn (then
//! improved by sifting against a pairwise crossing count) and packed on
//! tracks [`TRACK`] apart, overlapping ones never on one track; each gutter
//! is as wide as its tracks need.
//!
//! # Labels
//! An edge label sits on its own line: the first free place centred on
//! one of its segments (longest first, from the middle out) that covers no
//! box, title, other label or other edge's line. Only the labels that find
//! none get room *reserved* in a second pass — on their run along a gap (or
//! where their vertical line crosses one) in the packing of that gap, or,
//! on a straight edge, by widening the gutter between the two boxes — so a
//! sparse journey stays compact. Anything still left (self-loops, hostile
//! input) is placed like [`super::labels`] does: beside, around, or right
//! of the drawing.
//!
//! Titles: lane titles in a strip at the left of each lane, column titles
//! in a header row on top ([`LaneGeometry`]); no box, edge or label covers
//! them. Deterministic (ordered maps, index tie-breaks), never panics, and
//! linear apart from the per-gutter packing (quadratic in the segments of
//! one gutter) and the arrangement search (per candidate linear, at most
//! one candidate per extra box of a column).

use std::collections::BTreeSet;

use super::*;
use crate::render::diagram::{LaneGeometry, Lanes};
use crate::render::page::page_size;
use crate::render::text::{node_size_wrapped, wrap, WRAP_CHARS};

/// Characters per line of a lane title (the strip's width follows).
pub const LANE_TITLE_WRAP: usize = 18;
/// Characters per line of a column title.
pub const COLUMN_TITLE_WRAP: usize = 18;
/// Padding around the text of a lane or column title, px.
pub const TITLE_PAD: f64 = 10.0;
/// Extra width of title text, which the SVG writer sets semibold.
const TITLE_WEIGHT: f64 = 1.08;
/// Smallest gap between a lane's border and its boxes, px.
const LANE_PAD: f64 = 12.0;
/// Smallest gap between stacked boxes of one lane, px.
const ROW_GAP: f64 = 16.0;
/// Smallest gutter between two columns (and beside the outer ones), px.
const COL_GAP: f64 = 36.0;
/// Smallest gutter between boxes set side by side in one column, px.
const SUB_GAP: f64 = 28.0;
/// Distance between parallel tracks in a gutter, px.
pub(super) const TRACK: f64 = 10.0;
/// Room between a gutter's outer tracks and its sides, px.
const CH_PAD: f64 = 8.0;
/// Distance between ports on one side of a box, px.
const PORT_SP: f64 = 10.0;
/// Room a label keeps from boxes when it is not reserved (arrowheads end
/// on box borders), px.
const ARROW_CLEAR: f64 = 12.0;
/// Gutters with more segments than this are ordered by the turn rule
/// only (sifting is quadratic).
const SIFT_MAX: usize = 64;
/// Characters per line tried for node labels, widest first; a narrower one
/// is taken when the fitted text gets at least [`WRAP_GAIN`] larger.
const WRAPS: [usize; 4] = [WRAP_CHARS, 22, 18, 14];
const WRAP_GAIN: f64 = 1.03;
/// Diagrams with at most this many nodes choose their arrangement by real
/// layouts (a dozen or so); larger ones by the estimate alone.
const MEASURE_MAX: usize = 200;

/// A lane title's lines, as the SVG writer draws them.
pub fn lane_title_lines(s: &str) -> Vec<String> {
    wrap(s, LANE_TITLE_WRAP)
}

/// A column title's lines, as the SVG writer draws them.
pub fn column_title_lines(s: &str) -> Vec<String> {
    wrap(s, COLUMN_TITLE_WRAP)
}

fn title_size(lines: &[String]) -> (f64, f64) {
    let w = lines
        .iter()
        .map(|l| text_width(l, metrics::GROUP) * TITLE_WEIGHT)
        .fold(0.0, f64::max);
    let h = lines.len() as f64 * metrics::GROUP * metrics::LINE;
    (w + 2.0 * TITLE_PAD, h + 2.0 * TITLE_PAD)
}

/// A side of a box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

/// How an edge is routed, in grid terms.
#[derive(Clone, Copy, Debug)]
enum Plan {
    /// An end is out of range.
    Invalid,
    /// from == to.
    SelfLoop,
    /// Straight along a slot row; a jog in vertical gutter `v` if needed.
    Row { sa: Side, sb: Side, v: usize },
    /// Straight along a slot column; a jog in horizontal gap `h` if needed.
    Col { sa: Side, sb: Side, h: usize },
    /// Via vertical gutter `v1`, horizontal gap `h` (if any) and vertical
    /// gutter `v2` (= `v1` without `h`).
    Z {
        sa: Side,
        sb: Side,
        v1: usize,
        h: Option<usize>,
        v2: usize,
    },
}

/// The grid: lanes × columns, and the slots within. Vertical gutter `v`
/// lies left of slot column `v` (`v = ns`: right of the last); horizontal
/// gap `h` above slot row `h` (`h = nr`: below the last).
#[derive(Clone, Debug)]
struct Grid {
    lane_of: Vec<usize>,
    col_of: Vec<usize>,
    /// Lanes drawn (groups, plus one for nodes without a group).
    nl: usize,
    /// Columns drawn (the diagram's, plus one for nodes without a column).
    nc: usize,
    /// Per column: first slot column and how many.
    cslots: Vec<(usize, usize)>,
    /// Per lane: first slot row and how many.
    lrows: Vec<(usize, usize)>,
    /// Slot columns and slot rows in all.
    ns: usize,
    nr: usize,
    /// Per node: (slot column, slot row).
    slot: Vec<(usize, usize)>,
}

impl Grid {
    /// Whether vertical gutter `v` lies between two columns (or outside).
    fn col_boundary(&self, v: usize) -> bool {
        v == self.ns || self.cslots.iter().any(|&(f, _)| f == v)
    }
    /// Whether horizontal gap `h` lies between two lanes (or outside).
    fn lane_boundary(&self, h: usize) -> bool {
        h == self.nr || self.lrows.iter().any(|&(f, _)| f == h)
    }

    /// Sets the slots of every node: `kc[c]` boxes side by side in column
    /// `c`, the nodes of each cell in the given order (row by row).
    fn arrange(&mut self, cells: &BTreeMap<(usize, usize), Vec<usize>>, kc: &[usize]) {
        let k_of = |c: usize| kc.get(c).copied().unwrap_or(1).max(1);
        let mut rows = vec![1usize; self.nl];
        for (&(l, c), v) in cells {
            rows[l] = rows[l].max(v.len().div_ceil(k_of(c)));
        }
        self.cslots.clear();
        let mut s = 0;
        for c in 0..self.nc {
            self.cslots.push((s, k_of(c)));
            s += k_of(c);
        }
        self.ns = s;
        self.lrows.clear();
        let mut r = 0;
        for &k in &rows {
            self.lrows.push((r, k));
            r += k;
        }
        self.nr = r;
        for (&(l, c), v) in cells {
            self.place_cell(l, c, v);
        }
    }

    fn place_cell(&mut self, l: usize, c: usize, members: &[usize]) {
        let (f, k) = self.cslots[c];
        let r0 = self.lrows[l].0;
        for (idx, &i) in members.iter().enumerate() {
            self.slot[i] = (f + idx % k, r0 + idx / k);
        }
    }

    /// Widths of the slot columns and heights of the slot rows (the
    /// largest box in each).
    fn slot_sizes(&self, sizes: &[(f64, f64)]) -> (Vec<f64>, Vec<f64>) {
        let mut sw = vec![0.0f64; self.ns];
        let mut rh = vec![0.0f64; self.nr];
        for (i, &(s, r)) in self.slot.iter().enumerate() {
            sw[s] = sw[s].max(sizes[i].0);
            rh[r] = rh[r].max(sizes[i].1);
        }
        (sw, rh)
    }

    /// Base widths of the vertical gutters and heights of the gaps.
    fn base_gutters(&self) -> (Vec<f64>, Vec<f64>) {
        let vw = (0..=self.ns)
            .map(|v| {
                if self.col_boundary(v) {
                    COL_GAP
                } else {
                    SUB_GAP
                }
            })
            .collect();
        let hh = (0..=self.nr)
            .map(|h| {
                if h == 0 || h == self.nr {
                    LANE_PAD
                } else if self.lane_boundary(h) {
                    2.0 * LANE_PAD
                } else {
                    ROW_GAP
                }
            })
            .collect();
        (vw, hh)
    }

    /// Widens slot columns so that every column title fits its header cell
    /// (`col_need`), and slot rows so that every lane title fits its strip
    /// (`lane_need`).
    fn stretch_for_titles(
        &self,
        (sw, vw): (&mut [f64], &[f64]),
        (rh, hh): (&mut [f64], &[f64]),
        col_need: &[f64],
        lane_need: &[f64],
    ) {
        for (c, &(f, k)) in self.cslots.iter().enumerate() {
            // a header spans from the middle of the gutters around the
            // column (from the lane titles for the first, to the end for
            // the last)
            let mut have = (vw[f] + vw[f + k]) / 2.0;
            if c == 0 {
                have += vw[f] / 2.0;
            }
            if c + 1 == self.nc {
                have += vw[f + k] / 2.0;
            }
            have += sw[f..f + k].iter().sum::<f64>() + vw[f + 1..f + k].iter().sum::<f64>();
            let need = col_need.get(c).copied().unwrap_or(0.0);
            if have < need && k > 0 {
                let add = (need - have) / k as f64;
                sw[f..f + k].iter_mut().for_each(|w| *w += add);
            }
        }
        for (l, &(f, k)) in self.lrows.iter().enumerate() {
            let mut have = if l == 0 { hh[f] } else { hh[f] / 2.0 };
            have += if l + 1 == self.nl {
                hh[f + k]
            } else {
                hh[f + k] / 2.0
            };
            have += rh[f..f + k].iter().sum::<f64>() + hh[f + 1..f + k].iter().sum::<f64>();
            let need = lane_need.get(l).copied().unwrap_or(0.0);
            if have < need && k > 0 {
                let add = (need - have) / k as f64;
                rh[f..f + k].iter_mut().for_each(|h| *h += add);
            }
        }
    }
}

/// Column of every node: its own, else the median column of its
/// neighbours, else an extra column at the right (`columns.len()`).
fn columns_of(d: &Diagram, lanes: &Lanes, lane_of: &[usize]) -> Vec<usize> {
    let n = d.nodes.len();
    let nc0 = lanes.columns.len();
    let own: Vec<Option<usize>> = (0..n)
        .map(|i| lanes.column.get(i).copied().flatten().filter(|&c| c < nc0))
        .collect();
    let mut near: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in &d.edges {
        if e.from < n && e.to < n && e.from != e.to {
            if let Some(c) = own[e.to] {
                near[e.from].push(c);
            }
            if let Some(c) = own[e.from] {
                near[e.to].push(c);
            }
        }
    }
    let lane = |i: usize| lane_of.get(i).copied().unwrap_or(usize::MAX);
    let mut taken: BTreeSet<(usize, usize)> = (0..n)
        .filter_map(|i| own[i].map(|c| (lane(i), c)))
        .collect();
    // the median column of each placed neighbour; nodes without one
    // (pills of other groups, activities without a stage) in order of it
    let wanted: Vec<Option<usize>> = (0..n)
        .map(|i| {
            let v = &mut near[i];
            v.sort_unstable();
            (!v.is_empty()).then(|| v[(v.len() - 1) / 2])
        })
        .collect();
    let mut loose: Vec<usize> = (0..n).filter(|&i| own[i].is_none()).collect();
    loose.sort_by_key(|&i| (wanted[i].unwrap_or(usize::MAX), i));
    let mut col: Vec<usize> = own.iter().map(|c| c.unwrap_or(nc0)).collect();
    for i in loose {
        let Some(w) = wanted[i] else { continue };
        // the nearest column whose cell in the node's lane is still free
        // (stacking them in one column makes the drawing taller), else
        // the wanted one
        let c = (0..nc0)
            .filter(|&c| !taken.contains(&(lane(i), c)))
            .min_by_key(|&c| (c.abs_diff(w), c))
            .filter(|&c| c.abs_diff(w) <= 1)
            .unwrap_or(w);
        taken.insert((lane(i), c));
        col[i] = c;
    }
    col
}

/// Positions along one axis: gutter starts, slot starts, the end.
fn positions(start: f64, slots: &[f64], gutters: &[f64]) -> (Vec<f64>, Vec<f64>, f64) {
    let mut g0 = Vec::with_capacity(gutters.len());
    let mut s0 = Vec::with_capacity(slots.len());
    let mut cur = start;
    for (i, &gw) in gutters.iter().enumerate() {
        g0.push(cur);
        cur += gw;
        if let Some(&sw) = slots.get(i) {
            s0.push(cur);
            cur += sw;
        }
    }
    (g0, s0, cur)
}

/// Everything fixed before routing: the grid with its arrangement, the
/// boxes' sizes and the titles.
struct Setup<'a> {
    d: &'a Diagram,
    /// The frame the arrangement is chosen for.
    fit: Fit,
    /// Whether candidates may be compared by real layouts.
    full: bool,
    g: Grid,
    cells: BTreeMap<(usize, usize), Vec<usize>>,
    /// Characters per line of node labels.
    wrap: usize,
    sizes: Vec<(f64, f64)>,
    strip_w: f64,
    header_h: f64,
    /// Room each lane title needs (height), each column title (width).
    lane_need: Vec<f64>,
    col_need: Vec<f64>,
}

impl<'a> Setup<'a> {
    fn new(d: &'a Diagram, lanes: &Lanes, fit: Fit, full: bool) -> Setup<'a> {
        let n = d.nodes.len();
        let ng = d.groups.len();
        let lane_of: Vec<usize> = d
            .nodes
            .iter()
            .map(|nd| nd.group.filter(|&g| g < ng).unwrap_or(ng))
            .collect();
        let has_rest = lane_of.contains(&ng);
        let col_of = columns_of(d, lanes, &lane_of);
        let nc0 = lanes.columns.len();
        let extra_col = col_of.contains(&nc0);
        let g = Grid {
            nl: ng + usize::from(has_rest),
            nc: nc0 + usize::from(extra_col),
            lane_of,
            col_of,
            cslots: Vec::new(),
            lrows: Vec::new(),
            ns: 0,
            nr: 0,
            slot: vec![(0, 0); n],
        };
        let mut cells: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for i in 0..n {
            cells
                .entry((g.lane_of[i], g.col_of[i]))
                .or_default()
                .push(i);
        }
        let lane_titles: Vec<Vec<String>> = d
            .groups
            .iter()
            .map(|gr| lane_title_lines(&gr.label))
            .collect();
        let col_titles: Vec<Vec<String>> = lanes
            .columns
            .iter()
            .map(|c| column_title_lines(c))
            .collect();
        let strip_w = lane_titles
            .iter()
            .map(|t| title_size(t).0)
            .fold(0.0f64, f64::max)
            .max(if ng > 0 { metrics::MIN_WIDTH } else { 0.0 })
            .ceil();
        let mut lane_need: Vec<f64> = lane_titles.iter().map(|t| title_size(t).1).collect();
        lane_need.resize(g.nl, 0.0);
        let mut col_need: Vec<f64> = col_titles.iter().map(|t| title_size(t).0).collect();
        col_need.resize(g.nc, 0.0);
        let header_h = if g.nc > 0 {
            col_titles
                .iter()
                .map(|t| title_size(t).1)
                .fold(metrics::GROUP * metrics::LINE + 2.0 * TITLE_PAD, f64::max)
                .ceil()
        } else {
            0.0
        };
        let mut s = Setup {
            d,
            fit,
            full,
            g,
            cells,
            wrap: WRAP_CHARS,
            sizes: Vec::new(),
            strip_w,
            header_h,
            lane_need,
            col_need,
        };
        s.choose_arrangement();
        s
    }

    /// The text size (scale) the drawing keeps on the frame with these
    /// box sizes and this many boxes side by side per column, gutters at
    /// their base width.
    fn score(&mut self, sizes: &[(f64, f64)], kc: &[usize]) -> f64 {
        self.g.arrange(&self.cells, kc);
        let (mut sw, mut rh) = self.g.slot_sizes(sizes);
        let (vw, hh) = self.g.base_gutters();
        self.g.stretch_for_titles(
            (&mut sw, &vw),
            (&mut rh, &hh),
            &self.col_need,
            &self.lane_need,
        );
        let w = self.strip_w + sw.iter().sum::<f64>() + vw.iter().sum::<f64>() + 2.0 * MARGIN;
        let h = self.header_h + rh.iter().sum::<f64>() + hh.iter().sum::<f64>() + 2.0 * MARGIN;
        let probe = Layout {
            width: w,
            height: h,
            ..Layout::default()
        };
        let (pw, ph) = page_size(self.d, &probe);
        self.legibility(pw, ph)
    }

    /// The scale a page keeps in the frame, capped at the legibility
    /// target: once a page is legible, the natural arrangement (wrap 28,
    /// stacked) is as good as any.
    fn legibility(&self, pw: f64, ph: f64) -> f64 {
        self.fit.scale(pw, ph).min(self.fit.min_scale())
    }

    /// Chooses the label wrap and how many boxes sit side by side in each
    /// column (see the module doc), and arranges the grid so. Candidates
    /// come from the estimate of [`Setup::score`]; for diagrams of up to
    /// [`MEASURE_MAX`] nodes they are then compared by real layouts
    /// (tracks make gaps taller than the estimate knows), one step per
    /// column tried around the best.
    fn choose_arrangement(&mut self) {
        let nc = self.g.nc;
        if self.fit.frame().is_none() {
            let sizes: Vec<(f64, f64)> = self.d.nodes.iter().map(node_size).collect();
            self.apply(WRAP_CHARS, &vec![1; nc], &sizes);
            return;
        }
        let mut fullest = vec![1usize; nc];
        for (&(_, c), v) in &self.cells {
            fullest[c] = fullest[c].max(v.len());
        }
        let mut cands: Vec<Candidate> = Vec::new();
        let mut tried = BTreeSet::new();
        for wrap in WRAPS {
            let wrap = wrap.min(WRAP_CHARS);
            if !tried.insert(wrap) {
                continue;
            }
            let sizes: Vec<(f64, f64)> = self
                .d
                .nodes
                .iter()
                .map(|n| node_size_wrapped(n, wrap))
                .collect();
            let mut kc = vec![1usize; nc];
            let mut score = self.score(&sizes, &kc);
            loop {
                let mut step: Option<(f64, usize)> = None;
                for c in 0..nc {
                    if kc[c] >= fullest[c] {
                        continue;
                    }
                    kc[c] += 1;
                    let s = self.score(&sizes, &kc);
                    kc[c] -= 1;
                    if s > score * 1.001 && step.is_none_or(|(b, _)| s > b) {
                        step = Some((s, c));
                    }
                }
                match step {
                    Some((s, c)) => {
                        kc[c] += 1;
                        score = s;
                    }
                    None => break,
                }
            }
            cands.push((score, wrap, kc, sizes));
        }
        let measure = self.full && self.d.nodes.len() <= MEASURE_MAX;
        let mut best: Option<Candidate> = None;
        for (score, wrap, kc, sizes) in cands {
            let score = if measure {
                self.apply(wrap, &kc, &sizes);
                self.measured()
            } else {
                score
            };
            if std::env::var("LANES_DEBUG").is_ok() {
                eprintln!("wrap {wrap} kc {kc:?} est {score:.4}");
            }
            // a narrower wrap has to pay off
            if best.as_ref().is_none_or(|(b, ..)| score > b * WRAP_GAIN) {
                best = Some((score, wrap, kc, sizes));
            }
        }
        let Some((mut score, wrap, mut kc, sizes)) = best else {
            return;
        };
        if measure {
            for c in 0..nc {
                for k in [kc[c] + 1, kc[c].saturating_sub(1)] {
                    if k == 0 || k > fullest[c] || k == kc[c] {
                        continue;
                    }
                    let old = kc[c];
                    kc[c] = k;
                    self.apply(wrap, &kc, &sizes);
                    let s = self.measured();
                    if std::env::var("LANES_DEBUG").is_ok() {
                        eprintln!("  col {c} k {k}: {s:.4} vs {score:.4}");
                    }
                    if s > score * 1.001 {
                        score = s;
                        break;
                    }
                    kc[c] = old;
                }
            }
        }
        self.apply(wrap, &kc, &sizes);
    }

    fn apply(&mut self, wrap: usize, kc: &[usize], sizes: &[(f64, f64)]) {
        self.wrap = wrap;
        self.sizes = sizes.to_vec();
        self.g.arrange(&self.cells, kc);
        self.order_cells();
    }

    /// The fitted scale of the real drawing.
    fn measured(&self) -> f64 {
        let l = lay(self);
        let (pw, ph) = page_size(self.d, &l);
        self.legibility(pw, ph)
    }

    /// Orders the nodes of each cell by the barycentre of their
    /// neighbours' slots (rows filled top-down, each row left to right).
    fn order_cells(&mut self) {
        let d = self.d;
        let n = d.nodes.len();
        let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in &d.edges {
            if e.from < n && e.to < n && e.from != e.to {
                adj[e.from].push(e.to);
                adj[e.to].push(e.from);
            }
        }
        let keys: Vec<(usize, usize)> = self
            .cells
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(&k, _)| k)
            .collect();
        // from the diagram's order every time (candidates are compared
        // on equal terms)
        for &(l, c) in &keys {
            if let Some(members) = self.cells.get_mut(&(l, c)) {
                members.sort_unstable();
                let members = members.clone();
                self.g.place_cell(l, c, &members);
            }
        }
        for _ in 0..4 {
            let mut changed = false;
            for &(l, c) in &keys {
                let Some(members) = self.cells.get(&(l, c)) else {
                    continue;
                };
                let (slot, lane_of, col_of) = (&self.g.slot, &self.g.lane_of, &self.g.col_of);
                // neighbours outside the cell (cell-mates move with it)
                let bary = |i: usize| -> (f64, f64) {
                    let (s, r) = slot[i];
                    let outside: Vec<usize> = adj[i]
                        .iter()
                        .copied()
                        .filter(|&j| lane_of[j] != l || col_of[j] != c)
                        .collect();
                    if outside.is_empty() {
                        return (r as f64, s as f64);
                    }
                    let k = outside.len() as f64;
                    let (sy, sx) = outside.iter().fold((0.0, 0.0), |(y, x), &j| {
                        (y + slot[j].1 as f64, x + slot[j].0 as f64)
                    });
                    (sy / k, sx / k)
                };
                let mut v: Vec<(f64, f64, usize, usize)> = members
                    .iter()
                    .enumerate()
                    .map(|(idx, &i)| {
                        let (y, x) = bary(i);
                        (y, x, idx, i)
                    })
                    .collect();
                let k = self.g.cslots[c].1.max(1);
                v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.3.cmp(&b.3)));
                for row in v.chunks_mut(k) {
                    row.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.3.cmp(&b.3)));
                }
                let new: Vec<usize> = v.iter().map(|t| t.3).collect();
                if &new != members {
                    changed = true;
                    self.g.place_cell(l, c, &new);
                    self.cells.insert((l, c), new);
                }
            }
            if !changed {
                break;
            }
        }
    }
}

/// An arrangement candidate: fitted scale, wrap, boxes side by side per
/// column, box sizes.
type Candidate = (f64, usize, Vec<usize>, Vec<(f64, f64)>);
/// The edges on one side of a box: (where they go next, edge, at source).
type SidePorts = Vec<(i64, usize, bool)>;

/// A position along a gutter, compared before coordinates exist: `major`
/// is `2 × slot + 1` for a port of a box in that slot, `2 × gap` for a
/// track in that gap; `minor` the port's offset from the box centre or the
/// track's place. Horizontal gutters use real coordinates (major 0).
type Key = (i64, f64);

fn kcmp(a: Key, b: Key) -> Ordering {
    a.0.cmp(&b.0).then(a.1.total_cmp(&b.1))
}

/// A segment in a gutter (or an edge label reserved in one). Edges merged
/// into one trunk share one segment with an end per branch.
#[derive(Clone, Debug)]
struct CSeg {
    edge: usize,
    /// Which of the edge's gutter legs (0, 1, 2 …).
    leg: usize,
    lo: Key,
    hi: Key,
    /// Where the path turns at each end: −1 towards smaller positions
    /// across the gutter (left / up), +1 towards larger, 0 no turn (labels).
    ends: Vec<(Key, i8)>,
    /// The turns at `lo` and `hi` (the outermost ends).
    t_lo: i8,
    t_hi: i8,
    /// Room across the gutter.
    thick: f64,
    /// Extent along the gutter for packing (real coordinates; horizontal
    /// gutters only).
    ext: (f64, f64),
    /// Whether this reserves an edge label (not only a line).
    label: bool,
}

impl CSeg {
    fn new(edge: usize, leg: usize, a: (Key, i8), b: (Key, i8)) -> CSeg {
        CSeg::of_ends(edge, leg, vec![a, b])
    }
    fn of_ends(edge: usize, leg: usize, ends: Vec<(Key, i8)>) -> CSeg {
        let first = ends.first().copied().unwrap_or(((0, 0.0), 0));
        let (mut lo, mut hi) = (first, first);
        for &e in &ends {
            if kcmp(e.0, lo.0) == Ordering::Less {
                lo = e;
            }
            if kcmp(e.0, hi.0) == Ordering::Greater {
                hi = e;
            }
        }
        CSeg {
            edge,
            leg,
            lo: lo.0,
            hi: hi.0,
            ends,
            t_lo: lo.1,
            t_hi: hi.1,
            thick: TRACK,
            ext: (lo.0 .1, hi.0 .1),
            label: false,
        }
    }
    fn overlaps_keys(&self, o: &CSeg) -> bool {
        kcmp(self.lo, o.hi) != Ordering::Greater && kcmp(o.lo, self.hi) != Ordering::Greater
    }
}

/// Packs a gutter's segments; in a gutter on a lane or column border, the
/// border is packed too, as a segment across everything in the middle of
/// the order, so no track runs on it. Returns the tracks' offsets, the room
/// they take and the border's offset (its middle), if packed.
fn pack_with_border(segs: &[CSeg], by_ext: bool, border: bool) -> (Vec<f64>, f64, Option<f64>) {
    let mut ord = order_segments(segs);
    if !border || segs.is_empty() {
        let (pos, room) = pack(segs, &ord, by_ext);
        return (pos, room, None);
    }
    let mut all = segs.to_vec();
    let mut wall = CSeg::of_ends(usize::MAX, 0, Vec::new());
    wall.lo = (i64::MIN, f64::NEG_INFINITY);
    wall.hi = (i64::MAX, f64::INFINITY);
    wall.ext = (f64::NEG_INFINITY, f64::INFINITY);
    all.push(wall);
    ord.insert(ord.len() / 2, segs.len());
    let (mut pos, room) = pack(&all, &ord, by_ext);
    let mid = pos.pop().map(|p| p + TRACK / 2.0);
    (pos, room, mid)
}

/// How much crossing `s` placed before (left of / above) `t` costs.
fn pair_cost(s: &CSeg, t: &CSeg) -> f64 {
    if !s.overlaps_keys(t) {
        return 0.0;
    }
    let inside = |k: Key, o: &CSeg| -> f64 {
        let a = kcmp(k, o.lo);
        let b = kcmp(k, o.hi);
        if a == Ordering::Greater && b == Ordering::Less {
            1.0
        } else if a == Ordering::Equal || b == Ordering::Equal {
            1.5
        } else {
            0.0
        }
    };
    let mut c = 0.0;
    for &(k, turn) in &s.ends {
        if turn > 0 {
            c += inside(k, t);
        }
    }
    for &(k, turn) in &t.ends {
        if turn < 0 {
            c += inside(k, s);
        }
    }
    c
}

/// The order of a gutter's segments across it (see the module doc).
fn order_segments(segs: &[CSeg]) -> Vec<usize> {
    type SortKey = (i8, u8, i64, f64, i64, f64);
    let key = |s: &CSeg| -> SortKey {
        let class = s.t_lo + s.t_hi;
        let (lo, hi) = (s.lo, s.hi);
        match (s.t_lo, s.t_hi) {
            // "\": the one reaching further on goes first
            (-1, 1) => (class, 0, -hi.0, -hi.1, -lo.0, -lo.1),
            // "/": the one reaching further on goes last
            (1, -1) => (class, 1, hi.0, hi.1, lo.0, lo.1),
            // "C": inner ones first; "⊃": outer ones first
            (-1, -1) => (class, 0, hi.0 - lo.0, hi.1 - lo.1, lo.0, lo.1),
            (1, 1) => (class, 0, lo.0 - hi.0, lo.1 - hi.1, lo.0, lo.1),
            _ => (class, 2, lo.0, lo.1, hi.0, hi.1),
        }
    };
    let cmp_key = |a: &SortKey, b: &SortKey| -> Ordering {
        a.0.cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.total_cmp(&b.3))
            .then(a.4.cmp(&b.4))
            .then(a.5.total_cmp(&b.5))
    };
    let keys: Vec<SortKey> = segs.iter().map(key).collect();
    let mut ord: Vec<usize> = (0..segs.len()).collect();
    ord.sort_by(|&a, &b| {
        cmp_key(&keys[a], &keys[b])
            .then(segs[a].edge.cmp(&segs[b].edge))
            .then(segs[a].leg.cmp(&segs[b].leg))
    });
    let k = ord.len();
    if !(2..=SIFT_MAX).contains(&k) {
        return ord;
    }
    // Sifting: move each segment to the place where it crosses least.
    let cost: Vec<Vec<f64>> = (0..k)
        .map(|a| (0..k).map(|b| pair_cost(&segs[a], &segs[b])).collect())
        .collect();
    for _ in 0..2 {
        for (x, row) in cost.iter().enumerate() {
            let Some(at) = ord.iter().position(|&y| y == x) else {
                continue;
            };
            ord.remove(at);
            // x at place p costs Σ_{j<p} cost[o_j][x] + Σ_{j≥p} cost[x][o_j]
            let mut at_p = Vec::with_capacity(ord.len() + 1);
            let mut c: f64 = ord.iter().map(|&y| row[y]).sum();
            at_p.push(c);
            for &y in &ord {
                c += cost[y][x] - row[y];
                at_p.push(c);
            }
            let min = at_p.iter().copied().fold(f64::INFINITY, f64::min);
            // stay put unless a place is strictly better
            let best = if at_p[at] <= min + 1e-9 {
                at
            } else {
                at_p.iter().position(|&v| v <= min + 1e-9).unwrap_or(at)
            };
            ord.insert(best, x);
        }
    }
    ord
}

/// Packs ordered segments on tracks: each one just past every earlier one
/// it overlaps. Returns offsets (across the gutter) and the total room.
fn pack(segs: &[CSeg], ord: &[usize], by_ext: bool) -> (Vec<f64>, f64) {
    let mut pos = vec![0.0f64; segs.len()];
    let mut room = 0.0f64;
    for (rank, &x) in ord.iter().enumerate() {
        let mut off = 0.0f64;
        for &y in &ord[..rank] {
            let hit = if by_ext {
                let m = if segs[x].label || segs[y].label {
                    LABEL_CLEAR
                } else {
                    2.0
                };
                segs[x].ext.0 < segs[y].ext.1 + m && segs[y].ext.0 < segs[x].ext.1 + m
            } else {
                segs[x].overlaps_keys(&segs[y])
            };
            if hit {
                off = off.max(pos[y] + segs[y].thick);
            }
        }
        pos[x] = off;
        room = room.max(off + segs[x].thick);
    }
    (pos, room)
}

/// Routes in grid terms: plans, fan-outs, ports, and the vertical gutters
/// nudged (they do not depend on coordinates).
struct Routing {
    plans: Vec<Plan>,
    /// Fan-out of each edge, and the fan-outs' edges (ascending).
    bundle_of: Vec<Option<usize>>,
    bundles: Vec<Vec<usize>>,
    /// Port offset from the box centre per (edge, at its source).
    port: BTreeMap<(usize, bool), f64>,
    /// Track per (edge, leg) in its vertical gutter: offset from the start
    /// of the gutter's tracks; and the tracks' room per gutter.
    vpos: BTreeMap<(usize, usize), f64>,
    vroom: Vec<f64>,
    /// Per vertical gutter on a column border with tracks: the border's
    /// offset (like a track's).
    vsep: Vec<Option<f64>>,
    /// The vertical gutters' segments (to see which lines cross a gap).
    vsegs: Vec<Vec<CSeg>>,
}

fn row_key(r: usize) -> i64 {
    2 * r as i64 + 1
}
fn col_key(s: usize) -> i64 {
    2 * s as i64 + 1
}
fn gap_key(h: usize) -> i64 {
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
    fn new(s: &Setup<'_>) -> Routing {
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
    fn rep(&self, ei: usize) -> usize {
        self.bundle_of[ei].map_or(ei, |b| self.bundles[b][0])
    }
}

/// Lays out a swimlane diagram (see the module doc).
/// With a frame (`fit`), the arrangement is chosen by the scale the page
/// keeps in it (`full`: comparing real layouts, for diagrams of up to
/// [`MEASURE_MAX`] nodes; else by the estimate alone); without one, cells
/// are stacked and labels wrapped as in other diagrams.
pub(super) fn layout_lanes(d: &Diagram, lanes: &Lanes, fit: Fit, full: bool) -> Layout {
    let s = Setup::new(d, lanes, fit, full);
    lay(&s)
}

/// Routes, coordinates and labels for an arranged grid. Labels that find
/// no free place on their line get room reserved, and the drawing is redone
/// (at most twice).
fn lay(s: &Setup<'_>) -> Layout {
    let r = Routing::new(s);
    let mut reserve: BTreeSet<usize> = BTreeSet::new();
    let mut pass = 0;
    loop {
        let (mut l, wanted) = draw(s, &r, &reserve);
        let failed = place_labels(s, &r, &mut l, &wanted, true);
        let new: Vec<usize> = failed
            .iter()
            .copied()
            .filter(|e| !reserve.contains(e))
            .filter(|&e| !matches!(r.plans[e], Plan::Invalid | Plan::SelfLoop))
            .collect();
        let done = failed.is_empty() || new.is_empty() || pass >= 2;
        if done {
            if !failed.is_empty() {
                place_labels(s, &r, &mut l, &wanted, false);
            }
            finish(&mut l);
            return l;
        }
        reserve.extend(new);
        pass += 1;
    }
}

/// Coordinates, paths and titles for one pass; `reserve`: the edges whose
/// labels get room of their own. Returns the layout without labels and the
/// reserved label boxes.
fn draw(s: &Setup<'_>, r: &Routing, reserve: &BTreeSet<usize>) -> (Layout, Vec<Option<Rect>>) {
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

/// Places the edge labels (see the module doc): reserved ones where their
/// room is, the others on their own line where they cover no box, title,
/// other label or other edge's line. With `strict`, a label that finds no
/// such place stays unplaced and is returned; otherwise it goes beside its
/// line, around its middle, or right of the drawing. A fan-out's label is
/// placed once, on its first edge.
fn place_labels(
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
fn tidy(pts: Vec<Point>) -> Vec<Point> {
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
fn finish(l: &mut Layout) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::diagram::{Edge, Group, Node, Shape};

    fn node(key: &str, label: &str, group: Option<usize>) -> Node {
        Node {
            key: key.into(),
            label: label.into(),
            sublabel: Some("Salesforce, Gong".into()),
            lines: vec![],
            shape: Shape::Rounded,
            color: 0,
            marks: vec![],
            group,
            tooltip: String::new(),
        }
    }

    fn edge(from: usize, to: usize, label: &str) -> Edge {
        Edge {
            key: format!("e{from}-{to}-{label}"),
            from,
            to,
            label: if label.is_empty() {
                vec![]
            } else {
                vec![label.into()]
            },
            both_ways: false,
            marks: vec![],
            tooltip: String::new(),
        }
    }

    /// `cells[i] = (lane, column)` of node i.
    fn diagram(
        lanes: usize,
        columns: usize,
        cells: &[(usize, usize)],
        edges: Vec<Edge>,
    ) -> Diagram {
        Diagram {
            view: "ov-5b".into(),
            title: "t".into(),
            footer: "f".into(),
            flow: Flow::LeftRight,
            nodes: cells
                .iter()
                .enumerate()
                .map(|(i, &(l, _))| {
                    node(&format!("n{i}"), &format!("Activity number {i}"), Some(l))
                })
                .collect(),
            edges,
            groups: (0..lanes)
                .map(|g| Group {
                    key: format!("g{g}"),
                    label: format!("Team {g}"),
                    color: g,
                })
                .collect(),
            legend: vec![],
            empty_note: None,
            caption: None,
            lanes: Some(Lanes {
                columns: (0..columns).map(|c| format!("Stage {c}")).collect(),
                column: cells.iter().map(|&(_, c)| Some(c)).collect(),
            }),
        }
    }

    fn laid(d: &Diagram) -> Layout {
        let l = layout(d);
        let bad = check_invariants(d, &l);
        assert!(bad.is_empty(), "{bad:#?}");
        l
    }

    fn journey() -> Diagram {
        // three lanes, four stages; a stacked cell, a hand-off back, a
        // fan-out of one label, a straight hand-off along a lane
        diagram(
            3,
            4,
            &[(0, 0), (0, 0), (1, 1), (2, 1), (1, 2), (2, 3), (0, 3)],
            vec![
                edge(0, 1, "Campaign"),
                edge(1, 2, "Lead"),
                edge(2, 4, "Opportunity"),
                edge(4, 5, "Subscription"),
                edge(4, 6, "Subscription"),
                edge(4, 3, "Subscription"),
                edge(5, 2, "Health score"),
                edge(3, 5, ""),
            ],
        )
    }

    #[test]
    fn each_node_sits_in_its_lane_and_column() {
        let d = journey();
        let l = laid(&d);
        let geo = l.lanes.as_ref().expect("lane geometry");
        let lanes = d.lanes.as_ref().expect("lanes");
        for (i, n) in d.nodes.iter().enumerate() {
            let (r, band) = (l.nodes[i], l.groups[n.group.expect("grouped")]);
            let strip = geo.titles[n.group.expect("grouped")];
            assert!(
                r.y >= band.y && r.y + r.h <= band.y + band.h,
                "{} in its lane",
                n.key
            );
            assert!(
                r.x >= strip.x + strip.w,
                "{} right of the lane title",
                n.key
            );
            let h = geo.columns[lanes.column[i].expect("column")];
            assert!(
                r.x >= h.x && r.x + r.w <= h.x + h.w,
                "{} in its column",
                n.key
            );
        }
        // lanes top to bottom in group order, columns left to right in order
        assert!(l
            .groups
            .windows(2)
            .all(|w| w[0].y + w[0].h <= w[1].y + 1e-9));
        assert!(geo
            .columns
            .windows(2)
            .all(|w| w[0].x + w[0].w <= w[1].x + 1e-9));
        assert!(lane_invariants(&d, &l).is_empty());
    }

    #[test]
    fn edges_are_orthogonal_leave_by_the_sides_and_cross_no_box() {
        let d = journey();
        let l = laid(&d);
        for (e, p) in d.edges.iter().zip(&l.edges) {
            for w in p.points.windows(2) {
                assert!(
                    w[0].x == w[1].x || w[0].y == w[1].y,
                    "{}: {:?} is not orthogonal",
                    e.key,
                    w
                );
                for (k, b) in l.nodes.iter().enumerate() {
                    if k != e.from && k != e.to {
                        assert!(!seg_hits(w[0], w[1], b, 1e-3), "{} crosses n{k}", e.key);
                    }
                }
            }
            // leaves and enters at a side: the first and last segments are
            // perpendicular to the side they touch
            let (a, b) = (p.points[0], p.points[1]);
            let src = l.nodes[e.from];
            let on_lr = (a.x - src.x).abs() < 1e-9 || (a.x - src.x - src.w).abs() < 1e-9;
            assert!(
                if on_lr { a.y == b.y } else { a.x == b.x },
                "{} leaves along its side",
                e.key
            );
        }
    }

    #[test]
    fn a_hand_off_along_a_lane_is_one_straight_line() {
        // two activities of one lane, a stage apart, nothing between
        let d = diagram(1, 3, &[(0, 0), (0, 2)], vec![edge(0, 1, "Lead")]);
        let l = laid(&d);
        assert_eq!(l.edges[0].points.len(), 2);
        assert_eq!(l.edges[0].points[0].y, l.edges[0].points[1].y);
        // the label sits on the line
        let r = l.edges[0].label.expect("label");
        let y = l.edges[0].points[0].y;
        assert!(r.y < y && r.y + r.h > y);
    }

    #[test]
    fn a_fan_out_shows_its_label_once_on_a_shared_trunk() {
        let d = journey();
        let l = laid(&d);
        // n4 hands Subscription to n5 and n6 (both right of it) and to n3
        // (left of it: leaves by the other side, so not merged)
        let subs: Vec<usize> = (0..d.edges.len())
            .filter(|&i| d.edges[i].label == vec!["Subscription".to_string()])
            .filter(|&i| d.edges[i].to != 3)
            .collect();
        assert_eq!(subs.len(), 2);
        let shown = subs.iter().filter(|&&i| l.edges[i].label.is_some()).count();
        assert_eq!(shown, 1);
        // all leave the source at one point
        let starts: BTreeSet<(u64, u64)> = subs
            .iter()
            .map(|&i| {
                let p = l.edges[i].points[0];
                (p.x.to_bits(), p.y.to_bits())
            })
            .collect();
        assert_eq!(starts.len(), 1);
    }

    #[test]
    fn parallel_edges_are_spread() {
        let d = diagram(
            2,
            2,
            &[(0, 0), (1, 1)],
            vec![edge(0, 1, "A"), edge(0, 1, "B"), edge(1, 0, "C")],
        );
        let l = laid(&d);
        let starts: BTreeSet<(u64, u64)> = l
            .edges
            .iter()
            .map(|p| (p.points[0].x.to_bits(), p.points[0].y.to_bits()))
            .collect();
        assert_eq!(starts.len(), 3, "three ports");
        // no two edges share a collinear stretch
        let segs: Vec<(usize, Point, Point)> = l
            .edges
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.points.windows(2).map(move |w| (i, w[0], w[1])))
            .collect();
        for (i, a, b) in &segs {
            for (j, c, e) in &segs {
                if i < j {
                    let overlap = if a.y == b.y && c.y == e.y && a.y == c.y {
                        a.x.min(b.x).max(c.x.min(e.x)) < a.x.max(b.x).min(c.x.max(e.x)) - 1e-9
                    } else if a.x == b.x && c.x == e.x && a.x == c.x {
                        a.y.min(b.y).max(c.y.min(e.y)) < a.y.max(b.y).min(c.y.max(e.y)) - 1e-9
                    } else {
                        false
                    };
                    assert!(!overlap, "edges {i} and {j} overlap");
                }
            }
        }
    }

    #[test]
    fn layout_is_deterministic() {
        let d = journey();
        assert_eq!(layout(&d), layout(&d));
    }

    #[test]
    fn pills_of_other_parts_spread_to_free_neighbouring_columns() {
        // three activities of lane 0 in stages 0, 1, 2; two nodes without
        // lane or stage (pills of other parts), both linked to stage 1
        let mut d = diagram(
            1,
            3,
            &[(0, 0), (0, 1), (0, 2), (0, 1), (0, 1)],
            vec![edge(3, 1, "Lead"), edge(4, 1, "Quote")],
        );
        for p in [3, 4] {
            d.nodes[p].group = None;
        }
        if let Some(lanes) = d.lanes.as_mut() {
            lanes.column[3] = None;
            lanes.column[4] = None;
        }
        let lane_of = vec![0, 0, 0, 1, 1];
        let cols = columns_of(&d, d.lanes.as_ref().unwrap(), &lane_of);
        assert_eq!(&cols[..3], &[0, 1, 2]);
        // the first takes the wanted column, the second its free neighbour
        // (not stacked under the first)
        assert_eq!(cols[3], 1);
        assert_eq!(cols[4], 0);
        // and the drawing has them side by side in the rest lane
        let l = laid(&d);
        let (a, b) = (l.nodes[3], l.nodes[4]);
        assert!((a.y - b.y).abs() < 1.0, "side by side: {a:?} {b:?}");
    }

    #[test]
    fn empty_and_broken_inputs_do_not_panic() {
        // nothing at all
        let d = diagram(0, 0, &[], vec![]);
        laid(&d);
        // lanes without nodes, columns without nodes
        laid(&diagram(3, 5, &[], vec![]));
        // zero columns: every node in the untitled extra column
        let mut d = diagram(2, 0, &[(0, 0), (1, 0)], vec![edge(0, 1, "x")]);
        d.lanes = Some(Lanes::default());
        let l = laid(&d);
        assert_eq!(l.lanes.as_ref().map(|g| g.columns.len()), Some(1));
        // columns out of range, missing, no group, out-of-range group,
        // edges out of range, self-loops, a huge name
        let mut d = journey();
        if let Some(lanes) = d.lanes.as_mut() {
            lanes.column[0] = Some(99);
            lanes.column.truncate(4);
        }
        d.nodes[2].group = None;
        d.nodes[3].group = Some(42);
        d.nodes[4].label = "W".repeat(160);
        d.groups[1].label = "Lane ".repeat(40);
        d.edges.push(edge(1, 1, "loop"));
        d.edges.push(edge(0, 77, "dangling"));
        let l = layout(&d);
        let bad = check_invariants(&d, &l);
        // only the dangling edge is reported
        assert!(bad.iter().all(|m| m.contains("dangling")), "{bad:#?}");
        assert!(!bad.is_empty());
        assert!(l.lanes.as_ref().is_some_and(|g| g.rest.is_some()));
    }

    #[test]
    fn a_crowded_cell_keeps_the_drawing_slide_shaped() {
        // one lane, one stage, 24 activities: a column of 24 boxes would
        // be 1:10; the arrangement puts them side by side
        let cells: Vec<(usize, usize)> = (0..24).map(|_| (0, 0)).collect();
        let d = diagram(1, 1, &cells, vec![]);
        let l = laid(&d);
        let aspect = l.width / l.height;
        assert!(aspect > 0.9 && aspect < 3.0, "aspect {aspect}");
    }

    #[test]
    fn gutters_are_shared_without_overlaps_in_a_busy_journey() {
        // every activity hands something to every later one
        let cells: Vec<(usize, usize)> = (0..10).map(|i| (i % 4, i % 6)).collect();
        let mut edges = Vec::new();
        for a in 0..10 {
            for b in a + 1..10 {
                if (a + b) % 3 == 0 {
                    edges.push(edge(a, b, &format!("Data {a}")));
                }
            }
        }
        let d = diagram(4, 6, &cells, edges);
        let l = laid(&d);
        assert!(l.edges.iter().all(|p| p.points.len() >= 2));
    }

    /// Deterministic pseudo-random numbers (SplitMix64).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    #[test]
    fn generated_journeys_with_many_lanes_and_columns_keep_every_promise() {
        const NAMES: [&str; 6] = [
            "Qualify",
            "Run discovery and demos",
            "Close the books and recognise revenue",
            "Zoom",
            "Monitor adoption and account health",
            "数据 Übergabe",
        ];
        for seed in 0..40u64 {
            let mut rng = Rng(seed);
            let lanes = 1 + rng.below(16);
            let columns = rng.below(15);
            let n = rng.below(90);
            let cells: Vec<(usize, usize)> = (0..n)
                .map(|_| (rng.below(lanes), rng.below(columns.max(1))))
                .collect();
            let mut edges = Vec::new();
            for _ in 0..rng.below(2 * n + 1) {
                let (a, b) = (rng.below(n), rng.below(n));
                let label = ["", "Lead", "Opportunity, Call", "Subscription"][rng.below(4)];
                let mut e = edge(a, b, label);
                e.both_ways = rng.below(5) == 0;
                edges.push(e);
            }
            let mut d = diagram(lanes, columns, &cells, edges);
            for (i, nd) in d.nodes.iter_mut().enumerate() {
                nd.label = format!("{} {i}", NAMES[rng.below(NAMES.len())]);
                if rng.below(12) == 0 {
                    nd.group = None;
                }
            }
            if let Some(l) = d.lanes.as_mut() {
                for c in l.column.iter_mut() {
                    if rng.below(10) == 0 {
                        *c = None;
                    }
                }
            }
            let l = layout(&d);
            let bad = check_invariants(&d, &l);
            assert!(bad.is_empty(), "seed {seed}: {bad:#?}");
            assert_eq!(l, layout(&d), "seed {seed}: not deterministic");
        }
    }
}
