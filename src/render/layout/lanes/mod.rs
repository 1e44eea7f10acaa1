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
//! # Pills
//! Boxes without a lane or a column (the pills standing for the other
//! parts of a split journey) go beside their neighbours' median column;
//! with a frame, each is also tried in every column, one after the other,
//! and kept where the page scores best (`fit::score`).
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

mod channels;
mod draw;
mod grid;
mod labels;
mod route;
#[cfg(test)]
mod tests;

use draw::draw;
use grid::{Plan, Setup};
use labels::{finish, place_labels};
use route::Routing;

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

/// The least height the lanes of a swimlane drawing of `d` take, px,
/// whatever arrangement [`layout_lanes`] chooses: every lane holding a box
/// at least as high as its lowest box (label at the widest wrap, which
/// gives the fewest lines) with the lane's padding, or as its title. The
/// legibility split's cheap bound (`page::surely_illegible`): a part of a
/// journey whose one stage is done by a dozen performers stacks a dozen
/// lanes, taller than a slide however wide it is.
pub fn least_lanes_height(d: &Diagram) -> f64 {
    let ng = d.groups.len();
    let mut lowest: Vec<Option<f64>> = vec![None; ng];
    for n in &d.nodes {
        if let Some(g) = n.group.filter(|&g| g < ng) {
            let h = node_size_wrapped(n, WRAPS[0]).1;
            lowest[g] = Some(lowest[g].map_or(h, |m: f64| m.min(h)));
        }
    }
    lowest
        .iter()
        .zip(&d.groups)
        .filter_map(|(h, g)| {
            h.map(|h| (h + 2.0 * LANE_PAD).max(title_size(&lane_title_lines(&g.label)).1))
        })
        .sum()
}

/// Lays out a swimlane diagram (see the module doc).
/// With a frame (`fit`), the arrangement is chosen by the scale the page
/// keeps in it (`full`: comparing real layouts, for diagrams of up to
/// [`MEASURE_MAX`] nodes; else by the estimate alone); without one, cells
/// are stacked and labels wrapped as in other diagrams.
pub(super) fn layout_lanes(d: &Diagram, lanes: &Lanes, fit: Fit, full: bool) -> Layout {
    let s = Setup::new(d, lanes, fit, full);
    let first = lay(&s);
    if !full || fit.frame().is_none() || d.nodes.len() > MEASURE_MAX {
        return first;
    }
    // Boxes without a lane or a column (the pills standing for the other
    // parts of a split journey) go beside their neighbours' median column;
    // each is also tried in every other column, one after the other, and
    // kept where the drawing scores best (`fit::score`: legibility first,
    // then crossings …): a pill in the middle of the bottom band sends its
    // hand-offs across everything between.
    let n = d.nodes.len();
    let loose: Vec<usize> = (0..n)
        .filter(|&i| d.nodes[i].group.is_none())
        .filter(|&i| lanes.column.get(i).copied().flatten().is_none())
        .filter(|&i| {
            d.edges
                .iter()
                .any(|e| e.from != e.to && (e.from == i || e.to == i))
        })
        .collect();
    if loose.is_empty() || loose.len() > LOOSE_SEARCH_MAX {
        return first;
    }
    let mut best = (super::fit::score(d, &first, fit), first);
    let mut cur = lanes.clone();
    cur.column.resize(n, None);
    for &i in &loose {
        let mut chosen = None;
        for c in 0..lanes.columns.len() {
            let mut trial = cur.clone();
            trial.column[i] = Some(c);
            let l = lay(&Setup::new(d, &trial, fit, full));
            let sc = super::fit::score(d, &l, fit);
            if sc < best.0 - 1e-9 {
                best = (sc, l);
                chosen = Some(c);
            }
        }
        if chosen.is_some() {
            cur.column[i] = chosen;
        }
    }
    best.1
}

/// Most boxes without a lane or column whose column is searched
/// ([`layout_lanes`]); a split journey has a pill per other part.
const LOOSE_SEARCH_MAX: usize = 4;

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
