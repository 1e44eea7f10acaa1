//! Layout to a frame: several candidate layouts of one diagram (flow
//! direction × packing aspect), each measured on the page it makes, the
//! best drawn. Which candidate wins is decided by [`score`] alone, so the
//! choice is deterministic and explainable.

use super::*;
use crate::render::crossings::layout_crossings;
use crate::render::page::page_size;
use crate::render::quality;

/// Packing aspects tried besides the frame's own (width : height of the
/// drawing area; the page adds a title band, legend and footer, so the
/// drawing itself should be a little wider than the frame).
const ASPECTS: [f64; 3] = [1.0, 1.15, 1.5];

/// Scales of the grid's gaps tried: the roomy default, and tighter (labels
/// then find room further from the middle of their edge).
const GRID_GAPS: [f64; 2] = [1.0, 0.6];

/// What reading every label from a key costs, in score units (about two
/// crossings' worth less than a legibility gain).
const TAGS_PENALTY: f64 = 150.0;

/// Diagrams with at most this many edges have every candidate scored with
/// orthogonal and with layered routes (the winner is then routed with the
/// other crossing costs, [`other_cross_costs`]); measured on the bundled model (≤ 25 edges per
/// drawing), this keeps SV-2 on one slide, which routing only the winner
/// did not, and draws SV-1 on one slide with no edge through a frame
/// title and as few crossings as Graphviz dot (`cargo bench --bench table
/// -- --only legibility`).
pub(super) const ORTHO_CANDIDATES_MAX_EDGES: usize = 30;

/// How much worse (in [`score`] units) the winner may get when routed
/// orthogonally afterwards, and what layered routes cost a small diagram's
/// candidate: bends and a few pixels, not legibility.
const ORTHO_SLACK: f64 = 100.0;

/// How many of a small diagram's best grid candidates are laid out once
/// more with their cells annealed (`grid::anneal_cells`); the best of them
/// a second time with a compaction that keeps the annealed cells
/// untangled (`Untangle::DeepKept`). Measured on the bundled model: with
/// 2, SV-1 has 3 crossings instead of 7 (with 1: still 7) and `report`
/// takes about 90 ms more; 4 found nothing more and cost twice that. The
/// kept compaction took SV-2 from 4 crossings to 2 (and S from 13 to
/// 11); trying it on the runner-up too found nothing more on SV-2 and
/// SV-1, and cost OV-2 a crossing (a tangle the final rerouting of the
/// other winner undid). On the generated M (300 systems) it runs on 27 small
/// drawings, 1.6 s in all (`report` +15 %), and finds no fewer crossings
/// there: a cost to cut (a cheaper cost evaluation, or a better first
/// placement) before it grows. Where two nodes have parallel edges, the
/// best is annealed once more with their crossings counted per edge
/// (`Untangle::DeepWeighted`): SV-2 from 2 crossings to 1 and larger
/// text, `report` on the bundled model about 30 ms slower; nothing else
/// changed on S and M. Counting that way in every annealing (tried
/// first) took SV-1 from 3 crossings to 8.
const DEEP_CANDIDATES: usize = 2;

/// The fewest crossings the best candidate must have for the deeper
/// search to run.
const DEEP_FROM_CROSSINGS: usize = 2;

/// Diagrams with more nodes than this get only the two flow directions at
/// the frame's aspect (each candidate is a whole layout).
const FEW_CANDIDATES_ABOVE: usize = 60;

/// Lays `d` out for `fit`: with a frame, the best of several candidates
/// by [`score`]; without one ([`Fit::None`]), the diagram's own flow and
/// packing.
pub fn layout_fit(d: &Diagram, fit: Fit) -> Layout {
    layout_fit_effort(d, fit, true)
}

/// [`layout_fit`]; with `full` false, only two candidates (the diagram's
/// own flow and the grid, at the frame's aspect, no all-tags retry): for
/// the many drawings of a large split view, where the full search would
/// multiply the time of a report by ten.
pub fn layout_fit_effort(d: &Diagram, fit: Fit, full: bool) -> Layout {
    if let Some(lanes) = &d.lanes {
        return lanes::layout_lanes(d, lanes, fit, full);
    }
    let Some((fw, fh)) = fit.frame() else {
        return layout_with(d, LAYOUT_RS_BUDGET, Params::natural(d));
    };
    // Small diagrams (the bundled model's views): every candidate both with
    // orthogonal and with layered routes, the layered ones
    // [`ORTHO_SLACK`] worse (so they win only on legibility or shape:
    // routes around the outside can make a page larger). Larger ones are
    // scored with their layered routes and the winner is routed
    // orthogonally at the end (`final_routes`).
    let small = d.edges.len() <= ORTHO_CANDIDATES_MAX_EDGES;
    if !full {
        let aspect = fw / fh * ASPECTS[1];
        let mut cands: Vec<Params> = Vec::new();
        for grid in [false, true] {
            let p = Params {
                flow: if grid { Flow::TopDown } else { d.flow },
                inner_flow: d.flow,
                aspect,
                grid,
                gap: 1.0,
                // the local search of `grid::improve_cells` costs a few
                // ms per grid; the many group drawings of a large view
                // made `report` on M 2.5 s slower with it
                untangle: Untangle::No,
                tags: false,
                ortho: false,
                cross: ortho::CROSS_COST,
                frames: false,
            };
            cands.push(p);
        }
        let best = first_best(scored(d, fit, small, &cands));
        if let Some((s, p, l)) = best {
            return final_routes(d, fit, small, s, p, l);
        }
    }
    let frame_aspect = fw / fh;
    let other = match d.flow {
        Flow::TopDown => Flow::LeftRight,
        Flow::LeftRight => Flow::TopDown,
    };
    let mut cands: Vec<Params> = Vec::new();
    // The packing aspect only matters when there is something to pack:
    // several components, or groups (laid out as boxes of their own).
    let packs = !d.groups.is_empty() || components(d) > 1;
    let aspects: &[f64] = if d.nodes.len() > FEW_CANDIDATES_ABOVE || !packs {
        &ASPECTS[1..2]
    } else {
        &ASPECTS
    };
    for flow in [d.flow, other] {
        for &k in aspects {
            cands.push(Params {
                flow,
                inner_flow: flow,
                aspect: frame_aspect * k,
                grid: false,
                gap: 1.0,
                untangle: Untangle::No,
                tags: false,
                ortho: false,
                cross: ortho::CROSS_COST,
                frames: false,
            });
        }
    }
    // The grid, with frames' insides laid out either way (groups only).
    let inner_flows: &[Flow] = if d.groups.is_empty() {
        &[Flow::TopDown]
    } else {
        &[Flow::TopDown, Flow::LeftRight]
    };
    // Then (small diagrams with groups) the group frames arranged in rows
    // (`frames.rs`), insides top-down, at the frame's own aspect and the
    // widest: scored only when the best of the others crosses twice or
    // more or runs an edge across another group's frame. Each costs an
    // arrangement and a route; measured on the generated M (300 systems):
    // these four took `report` from 7.1 to 8.0 s, for 116 fewer crossings,
    // 18 fewer conflicts and 54 fewer edges across other groups, and won
    // 8 of its 220 drawings. Left-right insides won one drawing of S (2
    // crossings fewer) for another 0.4 s on M; the middle aspect none.
    let frame_rows = !d.groups.is_empty() && small && {
        let (items, between) = outer_items(d);
        frames::arrangeable(items, between)
    };
    for frames in [false, true].into_iter().filter(|&f| !f || frame_rows) {
        let inner_flows = if frames {
            &[Flow::TopDown]
        } else {
            inner_flows
        };
        for &inner_flow in inner_flows {
            for &k in aspects.iter().filter(|&&k| !frames || k != ASPECTS[1]) {
                for gap in GRID_GAPS {
                    cands.push(Params {
                        flow: Flow::TopDown,
                        inner_flow,
                        aspect: frame_aspect * k,
                        grid: true,
                        gap,
                        // small diagrams only (the slide-sized views): on the
                        // 300-system M it changed crossings by +1 % and made
                        // `report` 24 % slower
                        untangle: if small { Untangle::Local } else { Untangle::No },
                        tags: false,
                        ortho: false,
                        cross: ortho::CROSS_COST,
                        frames,
                    });
                }
            }
        }
    }
    let (cands, frame_cands): (Vec<Params>, Vec<Params>) =
        cands.into_iter().partition(|p| !p.frames);
    let mut all = scored(d, fit, small, &cands);
    if !frame_cands.is_empty() {
        let untidy = all
            .iter()
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .is_some_and(|(_, _, l)| {
                layout_crossings(d, l) >= DEEP_FROM_CROSSINGS
                    || quality::edges_through_foreign_frames(&quality::Drawing::of(d, l)) > 0
            });
        if untidy {
            all.extend(scored(d, fit, small, &frame_cands));
        }
    }
    // the best few grid candidates, to be searched deeper below
    let mut ranked: Vec<(f64, Params)> = all
        .iter()
        .filter(|(_, p, _)| p.grid && p.untangle == Untangle::Local)
        .map(|(s, p, _)| (*s, *p))
        .collect();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best = first_best(all);
    // A small diagram's grid winner once more with its cells as snapped,
    // and the best few grid candidates once more searched deeper:
    // untangling the straight edges usually removes routed crossings
    // too, but not always (the bundled OV-2: 1 crossing as snapped, 3
    // untangled); and local moves stop short (the bundled SV-1: 7
    // crossings after local moves, 3 after annealing). Trying only a few
    // candidates these ways, not every one, keeps `report` fast (every
    // candidate as snapped too: +45 % on the bundled model; every
    // candidate annealed: SV-2 alone 10x slower).
    if let Some(p) = best
        .as_ref()
        .map(|b| b.1)
        .filter(|p| p.grid && p.untangle == Untangle::Local)
    {
        try_variant(
            d,
            fit,
            small,
            &mut best,
            Params {
                untangle: Untangle::No,
                ..p
            },
            0.0,
        );
    }
    // (only when the best so far has a few crossings: most small
    // drawings, focus slides among them, have none, and one is rarely
    // worth the search)
    let crossed = best
        .as_ref()
        .is_some_and(|(_, _, l)| layout_crossings(d, l) >= DEEP_FROM_CROSSINGS);
    let deep: Vec<Params> = ranked
        .iter()
        .filter(|_| crossed)
        .take(DEEP_CANDIDATES)
        .map(|&(_, p)| Params {
            untangle: Untangle::Deep,
            ..p
        })
        .collect();
    let lay = |q: Params| {
        let l = layout_with(d, LAYOUT_RS_BUDGET, q);
        (variant_score(d, fit, small, &l, q, 0.0), q, l)
    };
    let mut laid = crate::par::map(&deep, |&q| lay(q));
    // the best of them once more with the kept compaction, after the
    // others: its annealing is theirs, looked up (`grid::anneal_memo`)
    if let Some(&q) = deep.first() {
        let kept = lay(Params {
            untangle: Untangle::DeepKept,
            ..q
        });
        laid.insert(1, kept);
        // and, where edges run in parallel, annealed with crossings of
        // parallel edges counted per edge
        if parallel_edges(d) {
            let weighted = lay(Params {
                untangle: Untangle::DeepWeighted,
                ..q
            });
            laid.insert(2, weighted);
        }
    }
    for (s, q, l) in laid {
        if best.as_ref().is_none_or(|(b, _, _)| s < *b) {
            best = Some((s, q, l));
        }
    }
    // The winner once more with every label as a numbered tag: more
    // compact, at the price of a key to read.
    if let Some(p) = best.as_ref().map(|b| b.1) {
        if d.edges.iter().any(|e| !e.label.is_empty()) {
            let q = Params { tags: true, ..p };
            try_variant(d, fit, small, &mut best, q, TAGS_PENALTY);
        }
    }
    match best {
        Some((s, p, l)) if small && p.ortho => other_cross_costs(d, fit, s, p, l),
        Some((s, p, l)) => final_routes(d, fit, small, s, p, l),
        None => layout_with(d, LAYOUT_RS_BUDGET, Params::natural(d)),
    }
}

/// Lays out `q` (a variant of the current winner) and makes it the
/// winner if it scores better, `penalty` added (and, for a small
/// diagram's layered routes, [`ORTHO_SLACK`], as in [`scored`]).
fn try_variant(
    d: &Diagram,
    fit: Fit,
    small: bool,
    best: &mut Option<(f64, Params, Layout)>,
    q: Params,
    penalty: f64,
) {
    let l = layout_with(d, LAYOUT_RS_BUDGET, q);
    let s = variant_score(d, fit, small, &l, q, penalty);
    if best.as_ref().is_none_or(|(b, _, _)| s < *b) {
        *best = Some((s, q, l));
    }
}

/// A variant's [`score`], `penalty` added (and, for a small diagram's
/// layered routes, [`ORTHO_SLACK`], as in [`scored`]).
fn variant_score(d: &Diagram, fit: Fit, small: bool, l: &Layout, q: Params, penalty: f64) -> f64 {
    let slack = if small && !q.ortho { ORTHO_SLACK } else { 0.0 };
    score(d, l, fit) + penalty + slack
}

/// Every candidate laid out and scored, in parallel (`crate::par`), in
/// candidate order: for a small diagram first with orthogonal routes, then
/// with layered routes [`ORTHO_SLACK`] worse; a larger one with layered
/// routes only. A candidate whose layered layout equals an earlier one's
/// (packing aspects that change nothing when there is little to pack)
/// would be routed and scored exactly like it and can only tie, which
/// never wins ([`first_best`]): it is left out before its orthogonal
/// routing, the costly part.
fn scored(d: &Diagram, fit: Fit, small: bool, cands: &[Params]) -> Vec<(f64, Params, Layout)> {
    let layered: Vec<Layout> = crate::par::map(cands, |p| {
        layout_with(d, LAYOUT_RS_BUDGET, Params { ortho: false, ..*p })
    });
    let mut unique: Vec<usize> = Vec::new();
    for i in 0..cands.len() {
        if !unique.iter().any(|&j| layered[j] == layered[i]) {
            unique.push(i);
        }
    }
    let slack = if small { ORTHO_SLACK } else { 0.0 };
    let per_candidate = crate::par::map(&unique, |&i| {
        let mut out = Vec::new();
        if small {
            let ortho_p = Params {
                ortho: true,
                ..cands[i]
            };
            let l = layout_with(d, LAYOUT_RS_BUDGET, ortho_p);
            out.push((score(d, &l, fit), ortho_p, l));
        }
        let layered_p = Params {
            ortho: false,
            ..cands[i]
        };
        out.push((
            score(d, &layered[i], fit) + slack,
            layered_p,
            layered[i].clone(),
        ));
        out
    });
    per_candidate.into_iter().flatten().collect()
}

/// The lowest-scoring entry, the first of equals (so the result does not
/// depend on anything but the candidates' order).
fn first_best(list: Vec<(f64, Params, Layout)>) -> Option<(f64, Params, Layout)> {
    let mut best: Option<(f64, Params, Layout)> = None;
    for (s, p, l) in list {
        if best.as_ref().is_none_or(|(b, _, _)| s < *b) {
            best = Some((s, p, l));
        }
    }
    best
}

/// The winner of a small diagram (routed orthogonally with the default
/// crossing cost) routed again with each other cost of
/// `ortho::CROSS_COSTS`, the best by [`score`] kept: the greedy
/// edge-by-edge router is sensitive to that cost (the bundled SV-1: 25
/// crossings at 160, 12 at 2000), and trying it on the winner only keeps
/// the candidate search at one route per candidate (every candidate with
/// every cost made `report` on the bundled model 2.6× slower).
fn other_cross_costs(d: &Diagram, fit: Fit, s: f64, p: Params, l: Layout) -> Layout {
    let mut best = (s, l);
    // `s` includes what tags cost (the winner may read its labels from a key)
    let penalty = if p.tags { TAGS_PENALTY } else { 0.0 };
    for &cross in &ortho::CROSS_COSTS[1..] {
        let o = layout_with(d, LAYOUT_RS_BUDGET, Params { cross, ..p });
        let so = score(d, &o, fit) + penalty;
        if so < best.0 {
            best = (so, o);
        }
    }
    best.1
}

/// The chosen candidate laid out once more with orthogonal routes
/// (`ortho.rs`). Candidates are compared with their layered routes: the
/// orthogonal router searches per edge, and routing every candidate made
/// the layout unit tests 7.6× slower, while on the bundled model the same
/// candidates won either way (`cargo bench --bench table -- --only
/// legibility`).
/// A winner that does not get legibly smaller that way (a page may grow a
/// little with orthogonal routes, and the split decision must not flip).
fn final_routes(d: &Diagram, fit: Fit, small: bool, s: f64, p: Params, l: Layout) -> Layout {
    if p.ortho || small {
        return l;
    }
    let o = layout_with(d, LAYOUT_RS_BUDGET, Params { ortho: true, ..p });
    if score(d, &o, fit) <= s + ORTHO_SLACK {
        o
    } else {
        l
    }
}

/// How bad a candidate is (lower is better):
/// - legibility first: 10,000 × how far (relative) the fitted scale falls
///   short of the frame's target ([`Fit::min_scale`]);
/// - page shape: 300 per unit of |ln(aspect)| outside 1.3 – 2.0, and
///   [`ASPECT_MISS`] for being outside at all (legible candidates);
/// - 60 per conflict (an edge through a box or a frame title, a label
///   nearer another edge than its own, a label overlap: each misleads a
///   reader, as [`quality::W_CONFLICT`] weighs them), 60 per edge across
///   a group frame that holds neither of its ends (it reads as that
///   group's; measured on the bundled model, S and M with 0, 20, 40 and
///   60: 60 had the fewest crossings and conflicts on M), 20 per edge
///   crossing, 1 per bend, 1 per 100 px of edge length;
/// - and 60 / scale, so between two legible candidates the one drawn
///   larger wins when the rest is equal.
pub(super) fn score(d: &Diagram, l: &Layout, fit: Fit) -> f64 {
    let (w, h) = page_size(d, l);
    let scale = fit.scale(w, h).max(1e-6);
    let need = fit.min_scale();
    let deficit = ((need - scale) / need).max(0.0);
    let aspect = (w / h.max(1.0)).max(1e-6);
    let outside = if aspect < 1.3 {
        (1.3 / aspect).ln()
    } else if aspect > 2.0 {
        (aspect / 2.0).ln()
    } else {
        0.0
    };
    let crossings = layout_crossings(d, l) as f64;
    let drawing = quality::Drawing::of(d, l);
    let conflicts = (quality::edges_through_boxes(&drawing)
        + quality::edges_through_titles(&drawing)
        + quality::labels_nearer_other_edge(&drawing)
        + quality::label_overlaps(&drawing)) as f64;
    let foreign = quality::edges_through_foreign_frames(&drawing) as f64;
    let bends: usize = l
        .edges
        .iter()
        .map(|e| e.points.len().saturating_sub(2))
        .sum();
    // total edge length, in units of 100 px (half a box): long
    // detours make a drawing hard to follow even when they cross nothing
    let length: f64 = l
        .edges
        .iter()
        .flat_map(|e| e.points.windows(2))
        .map(|w| (w[1].x - w[0].x).abs() + (w[1].y - w[0].y).abs())
        .filter(|v| v.is_finite())
        .sum::<f64>()
        / 100.0;
    // not legible in the frame at all: worse than every legible candidate,
    // however small the miss (a 0.4 % miss must not beat a fit by saving
    // a few bends or a tag)
    let illegible = if deficit > 0.0 { ILLEGIBLE } else { 0.0 };
    illegible
        + 10_000.0 * deficit
        + 300.0 * outside
        + if outside > 0.0 && deficit == 0.0 {
            ASPECT_MISS
        } else {
            0.0
        }
        + 60.0 * conflicts
        + 20.0 * crossings
        + 60.0 * foreign
        + bends as f64
        + length
        + 60.0 / scale
}

/// What [`score`] adds for a legible drawing whose page aspect is outside
/// 1.3 – 2.0, on top of how far outside: the range a slide's drawing is
/// held to, worth four crossings. Not for an illegible candidate: its
/// page changes (every label as a tag, or a split) before it is drawn,
/// and penalising its shape lost the bundled SV-1 the candidate that
/// fits one slide once tagged.
const ASPECT_MISS: f64 = 80.0;

/// What [`score`] adds for a candidate that is not legible in its frame:
/// more than any legible candidate's other terms add up to in practice.
const ILLEGIBLE: f64 = 100_000.0;

/// The items of `d`'s outer layout (every group, every ungrouped node)
/// and the edges between two different items ([`Scopes`], as
/// `layout_with` lays them out).
fn outer_items(d: &Diagram) -> (usize, usize) {
    let n = d.nodes.len();
    let scopes = Scopes::of(d);
    let between = d
        .edges
        .iter()
        .filter(|e| e.from < n && e.to < n && e.from != e.to)
        .filter(|e| scopes.is_outer(e))
        .count();
    (scopes.items.len(), between)
}

/// Whether two edges of `d` join the same two nodes (either way).
fn parallel_edges(d: &Diagram) -> bool {
    let mut pairs: Vec<(usize, usize)> = d
        .edges
        .iter()
        .map(|e| (e.from.min(e.to), e.from.max(e.to)))
        .collect();
    pairs.sort_unstable();
    pairs.windows(2).any(|w| w[0] == w[1])
}

/// Weakly connected components of the diagram's nodes (union-find).
fn components(d: &Diagram) -> usize {
    let n = d.nodes.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut count = n;
    for e in &d.edges {
        if e.from >= n || e.to >= n {
            continue;
        }
        let (a, b) = (root(&mut parent, e.from), root(&mut parent, e.to));
        if a != b {
            parent[a.max(b)] = a.min(b);
            count -= 1;
        }
    }
    count
}
