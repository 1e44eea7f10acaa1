//! Layout: [`Diagram`] → [`Layout`] (node boxes, group frames, edge paths,
//! label boxes).
//!
//! # What layout-rs does
//! [layout-rs](https://crates.io/crates/layout-rs) 0.1.3 is our layered
//! (Sugiyama) engine for the combinatorial half of the job. For each
//! connected component we build a `VisualGraph`, run `do_it` and read back,
//! from its ranked DAG after layout (`vg.dag.ranks()`, `vg.succ`):
//! - the **rank** of every node after its rank optimisation (nodes sink
//!   towards their successors to shorten edges),
//! - the **dummy nodes** it inserts so that every edge spans one rank,
//! - the **order within each rank** after its crossing reduction.
//!
//! A [`RenderBackend`] implementation stands in for its SVG writer (we never
//! parse SVG); it only checks that one arrow was drawn per edge.
//!
//! # What we add around it
//! - **Coordinates and routes.** We run `do_it` with `disable_layout`, i.e.
//!   without its Brandes–Köpf x placement and edge fixing, and place the
//!   ranks ourselves: boxes keep our sizes ([`node_size`], not its
//!   characters × font-size guess); positions across a rank come from
//!   repeated isotonic regression towards the neighbours' mean (order and
//!   gaps kept, long edges pulled straight); ranks are bands along the flow
//!   axis. Why: its placement is the part that can run for minutes (a
//!   scheduler loop over linear rank look-ups) and it draws 2–4× wider, with
//!   long detours, than the same order placed compactly. Edges leave the
//!   source through the bottom of its rank band, cross skipped ranks
//!   vertically at their dummy's position and enter the target from the top
//!   of its band, so they only turn in the box-free gaps between ranks; the
//!   ports along a box side follow the order of the other ends.
//! - **Direction**: layout-rs always runs top-down; left-right diagrams are
//!   the transposed top-down layout of the transposed boxes (which is what
//!   layout-rs does internally too).
//! - **Performance guards.** Its DAG validation is off
//!   (`dag.set_validate(false)`; it re-runs an exponential reachability
//!   check after every edge). Cycles are broken by us: the back edges of a
//!   DFS from the sources (only edges that close a cycle) are reversed, so
//!   its own equally exponential back-edge search never finds one, and
//!   edges are fed in topological order of their sources, which makes that
//!   search constant-time. Parallel and opposite edges between one pair are
//!   one layout edge. Components are laid out separately (the crossing
//!   reduction is super-linear) and packed in shelves. Its run time is
//!   dominated by crossing reduction, which we predict from the ranks it
//!   will build (we replicate its sinking rule); one diagram may spend
//!   [`LAYOUT_RS_BUDGET`] units, larger components get our own layering.
//! - **Never panics.** Each call runs under `catch_unwind` with the panic
//!   message silenced (a process-wide, reference-counted hook that mutes
//!   only the guarded thread), and its result is checked (every node ranked
//!   once, one chain of dummies per edge, consecutive ranks).
//! - **Ranking and ordering.** Besides layout-rs's layering (when it runs
//!   and succeeds) we build our own twice: longest-path ranks with sources
//!   sunk, and dot's minimal-span network-simplex ranks
//!   ([`simplex`]); dummies, depth-first initial order. Each
//!   candidate's order is refined dot-style (weighted-median / barycentre
//!   sweeps plus transpose, from three starting orders, keeping the order
//!   with the fewest crossings, counted with a Fenwick tree), and the
//!   candidate with the fewest crossings is drawn — so layout-rs's order
//!   is only ever improved on.
//! - **Groups (clusters)**, which layout-rs lacks: each group's members and
//!   internal edges are laid out on their own; the group then becomes one
//!   box (members + [`GROUP_PAD`] + [`GROUP_TITLE_BAND`]) in an outer layout
//!   together with the ungrouped nodes; an edge between two items takes the
//!   outer route, with its port on the frame's rank band moved in line with
//!   the member, and runs straight from the member to it. Frames therefore
//!   never overlap each other or ungrouped nodes.
//! - **Room for edge labels**: the gap between two ranks is widened (a
//!   monotone stretch of the flow axis, rigid for the ranks themselves)
//!   until the labels of the edges that cross it fit.
//! - **Edge paths**: edges sharing a layout edge get parallel offset copies
//!   of its route; every path is clipped to start on the source box border
//!   and end on the target box border; any segment that would still cross
//!   the interior of a node box is rerouted around the boxes (shortest path
//!   in a local visibility graph of box corners with clearance, A*).
//!   Self-loops (not produced by the model) get a small loop on the right.
//! - **Edge labels**: placed beside the path, trying points along it from
//!   its midpoint outwards, then a spiral around the midpoint, then beyond
//!   the right edge of the drawing; never over a node box, a group title
//!   band or another label.
//! - Everything is shifted to positive coordinates with a margin, and the
//!   result is deterministic (no hash-map iteration, fixed orders and
//!   tie-breaks, the layout-rs budget counts predicted work, not time).
//!
//! [`check_invariants`] states the guarantees as code; the unit tests run
//! it on generated diagrams, the golden tests on the real views.
//!
//! # Stages (one file each)
//! `mod.rs` wires them: items (groups as boxes, ungrouped nodes), links,
//! inner and outer layouts, absolute boxes, then routes and labels.
//! - `fit`: the candidates for a frame and the score that picks one;
//! - `place`: one graph → components → packed, transposed for left-right;
//!   `grid`: a component on a grid of cells, untangled; `frames`: the
//!   outer layout's group frames in rows;
//! - `rank`: cycle breaking, topological order, our layerings;
//!   `simplex`: dot's network-simplex ranking;
//! - `layout_rs`: the guarded layout-rs layering;
//! - `order`: crossing reduction within ranks;
//! - `position`: coordinates and label room between ranks;
//! - `geom`: geometry helpers, a grid over rectangles;
//! - `route`: edge paths along the layers; `ortho`: orthogonal routes
//!   with ports (the default, see its doc); `labels`: edge labels and final
//!   bounds;
//! - `invariants`: [`check_invariants`];
//! - `lanes`: swimlane diagrams ([`Diagram::lanes`], OV-5b) on their own:
//!   a grid of lanes × columns, orthogonal routes in the gutters.

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};
use std::panic::{self, AssertUnwindSafe};

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point as LPoint;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::diagram::{metrics, Diagram, EdgePath, Flow, Layout, Point, Rect};
use super::text::{label_size, node_size, tag_size, text_width};

mod fit;
mod frames;
mod geom;
mod grid;
mod invariants;
mod labels;
mod lanes;
mod layout_rs;
mod order;
mod ortho;
mod place;
mod position;
mod rank;
mod route;
mod simplex;
#[cfg(test)]
mod tests;

pub use super::page::Fit;
pub use fit::{layout_fit, layout_fit_effort};
pub(crate) use geom::seg_hits;
use geom::*;
use grid::*;
pub use invariants::{check_invariants, lane_invariants, ortho_invariants};
use labels::*;
pub use lanes::{column_title_lines, lane_title_lines, least_lanes_height, TITLE_PAD};
pub use layout_rs::in_guarded_call;
use layout_rs::*;
use order::*;
use place::*;
use position::*;
use rank::*;
use route::*;

/// Padding between a group frame and its members, px (each side, below the
/// title band).
pub const GROUP_PAD: f64 = 16.0;

/// Height of a group frame's title band, px: the top of every frame in
/// [`Layout::groups`] holds the title, set at [`metrics::GROUP`]. No member
/// box and no edge label covers it (edges may cross it).
pub const GROUP_TITLE_BAND: f64 = 28.0;

// The title (one line at GROUP size) and 4 px above and below must fit.
const _: () = assert!(GROUP_TITLE_BAND >= metrics::GROUP * metrics::LINE + 8.0);

/// Empty space around the drawing, px.
const MARGIN: f64 = 24.0;
/// Gap between neighbouring boxes in a rank (own layout), px. layout-rs
/// keeps 60 (its fixed halo).
const NODE_GAP: f64 = 48.0;
/// Gap next to an edge passing through a rank (own layout), px.
const DUMMY_GAP: f64 = 18.0;
/// Width reserved for an edge passing through a rank (own layout), px.
const DUMMY_W: f64 = 6.0;
/// Gap between ranks (own layout), px; layout-rs also keeps 60.
const RANK_GAP: f64 = 60.0;
/// Gap between packed components, px.
const COMP_GAP: f64 = 48.0;
/// Clearance the router keeps from boxes, px.
const CLEAR: f64 = 6.0;
/// Distance between parallel edges, px.
const PAR_GAP: f64 = 10.0;
/// Clearance between a label and boxes / other labels, px.
const LABEL_CLEAR: f64 = 4.0;
/// How far a self-loop sticks out of its box, px.
const LOOP_OUT: f64 = 14.0;
/// Target width:height of packed components.
const ASPECT: f64 = 1.6;

/// How much layout-rs work one diagram may spend, in units of predicted
/// crossing-reduction work (`crossing_cost`: Σ w(r) · d(r) · (w(r−1) +
/// w(r+1)) over the width w and total degree d of each rank layout-rs will
/// build, dummies included). Components are laid out in a fixed order; each
/// one whose cost fits in what is left goes to layout-rs, the others to our
/// own layering. Measured (release, 2 cores): 0.2–0.6 µs per unit depending
/// on the graph's shape, so layout-rs gets at most about 10–25 ms per
/// diagram: small components (the reference model's views) use its order,
/// larger ones ours. Since our ordering became dot-like (median + transpose
/// from several starts, `best_order`), layout-rs's order gives no fewer
/// crossings than ours on the benchmark views (50-node SV-2: 37 vs 39
/// crossings) but costs 30× the time (37 ms vs 1 ms), which is why the
/// budget went down from 450k (`cargo bench --bench table`).
/// A budget of predicted work rather than a timer keeps layouts
/// deterministic.
pub const LAYOUT_RS_BUDGET: usize = 40_000;

/// Lays out a diagram: node boxes, group frames, edge paths and label
/// boxes, all in positive coordinates inside `width` × `height`.
///
/// Never panics; the same diagram always gives the identical layout. Edges
/// whose ends are out of range get a degenerate two-point path at the
/// margin (and are reported by [`check_invariants`]).
///
/// Fitted to a slide ([`Fit::Slide`]); see [`layout_fit`].
pub fn layout(d: &Diagram) -> Layout {
    layout_fit(d, Fit::Slide)
}

/// The choices one candidate layout makes (see `fit.rs`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Params {
    /// Flow direction of the layers.
    pub(super) flow: Flow,
    /// Flow direction inside group frames.
    pub(super) inner_flow: Flow,
    /// Width : height that disconnected components are packed towards.
    pub(super) aspect: f64,
    /// Components on a grid (`grid.rs`) instead of in layers.
    pub(super) grid: bool,
    /// Scale of the grid's gaps between boxes.
    pub(super) gap: f64,
    /// How the grid's cells are rearranged to untangle its straight
    /// edges; the plain snap is a candidate too, since fewer straight
    /// crossings do not always mean fewer routed ones.
    pub(super) untangle: Untangle,
    /// Every label as a numbered tag (the key under the drawing has the
    /// text); the layers then only make room for tags.
    pub(super) tags: bool,
    /// Edges routed orthogonally between ports on the box sides
    /// (`ortho.rs`) instead of as polylines along the layers.
    pub(super) ortho: bool,
    /// Crossing cost of the orthogonal router (`ortho::CROSS_COSTS`).
    pub(super) cross: f64,
    /// Group frames (and ungrouped boxes) arranged in rows by
    /// `frames::arrange` instead of by the outer layered or grid layout
    /// (which still lays them out when there are too few or too many
    /// items, or no edges between them: `frames::arrangeable`).
    pub(super) frames: bool,
}

impl Params {
    /// The diagram's own choice: its flow, the default packing.
    pub(super) fn natural(d: &Diagram) -> Params {
        Params {
            flow: d.flow,
            inner_flow: d.flow,
            aspect: ASPECT,
            grid: false,
            gap: 1.0,
            untangle: Untangle::No,
            tags: false,
            ortho: true,
            cross: ortho::CROSS_COST,
            frames: false,
        }
    }
}

/// How a grid candidate's snapped cells are rearranged (`grid.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Untangle {
    /// As snapped.
    No,
    /// Local moves and swaps while they help (`grid::improve_cells`).
    Local,
    /// Simulated annealing, then local moves (`grid::anneal_cells`):
    /// tried on a small diagram's best grid candidates only.
    Deep,
    /// As `Deep`, and the compaction that follows keeps the annealed
    /// cells' straight edges as untangled as they are (`grid::compact`):
    /// fewer crossings, at the price of a less compact drawing.
    DeepKept,
    /// As `DeepKept`, a crossing of two links costing the product of the
    /// numbers of edges they stand for (two parallel edges crossed by a
    /// third are two crossings in the drawing): tried on a small view with
    /// parallel edges only.
    DeepWeighted,
}

/// One layout edge: a node pair (after collapsing parallel edges).
#[derive(Clone, Debug)]
struct Link {
    /// Source (local index).
    a: usize,
    /// Target (local index).
    b: usize,
    /// Room the labels of its edges need along the flow axis, px.
    label_flow: f64,
    /// How many edges it stands for.
    count: usize,
}

/// A laid-out graph in local coordinates (top-left at 0,0).
#[derive(Clone, Debug, Default)]
struct Placed {
    /// Box centres.
    centres: Vec<Point>,
    /// Interior route points per link, from `a` to `b` (without the ends).
    routes: Vec<Vec<Point>>,
    /// Extent.
    w: f64,
    /// Extent.
    h: f64,
}

/// A top-level item of the outer layout.
#[derive(Clone, Copy, Debug)]
pub(super) enum Item {
    Group(usize),
    Node(usize),
}

/// Where an edge's route comes from.
#[derive(Clone, Copy, Debug)]
enum RouteSrc {
    /// Ends out of range.
    Invalid,
    /// from == to.
    SelfLoop,
    /// Link `l` of group `g`'s inner layout; `fwd` if the edge runs a → b.
    Inner { g: usize, l: usize, fwd: bool },
    /// Link `l` of the outer layout.
    Outer { l: usize, fwd: bool },
}

fn pt(x: f64, y: f64) -> Point {
    Point { x, y }
}

fn rect(x: f64, y: f64, w: f64, h: f64) -> Rect {
    Rect { x, y, w, h }
}

fn inflate(r: &Rect, d: f64) -> Rect {
    rect(r.x - d, r.y - d, r.w + 2.0 * d, r.h + 2.0 * d)
}

fn dist(a: Point, b: Point) -> f64 {
    ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).sqrt()
}

/// Where each node is laid out: the outer layout's items (a group where
/// its first member appears, every ungrouped node, empty groups last) and
/// each group's members. [`layout_with`] lays out by it; `fit.rs` asks it
/// whether frames can be arranged, so the two cannot disagree.
pub(super) struct Scopes {
    /// Each node's group (a valid index), if any.
    pub group_of: Vec<Option<usize>>,
    /// Items of the outer layout, in diagram order.
    pub items: Vec<Item>,
    /// Each node's item (its group's, or its own).
    pub item_of_node: Vec<usize>,
    /// Each group's members, in diagram order.
    pub members: Vec<Vec<usize>>,
    /// Each grouped node's index among its group's members.
    pub local_index: Vec<usize>,
}

impl Scopes {
    pub fn of(d: &Diagram) -> Scopes {
        let n = d.nodes.len();
        let ng = d.groups.len();
        let group_of: Vec<Option<usize>> = d
            .nodes
            .iter()
            .map(|nd| nd.group.filter(|&g| g < ng))
            .collect();
        let mut items: Vec<Item> = Vec::new();
        let mut item_of_group: Vec<Option<usize>> = vec![None; ng];
        let mut item_of_node = vec![0usize; n];
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); ng];
        let mut local_index = vec![0usize; n];
        for i in 0..n {
            match group_of[i] {
                Some(g) => {
                    let it = match item_of_group[g] {
                        Some(it) => it,
                        None => {
                            items.push(Item::Group(g));
                            item_of_group[g] = Some(items.len() - 1);
                            items.len() - 1
                        }
                    };
                    item_of_node[i] = it;
                    local_index[i] = members[g].len();
                    members[g].push(i);
                }
                None => {
                    items.push(Item::Node(i));
                    item_of_node[i] = items.len() - 1;
                }
            }
        }
        for (g, slot) in item_of_group.iter_mut().enumerate() {
            if slot.is_none() {
                items.push(Item::Group(g));
                *slot = Some(items.len() - 1);
            }
        }
        Scopes {
            group_of,
            items,
            item_of_node,
            members,
            local_index,
        }
    }

    /// Whether edge `e` (valid ends, not a loop) is laid out by the outer
    /// layout: its ends are not in one group.
    pub fn is_outer(&self, e: &crate::render::diagram::Edge) -> bool {
        !matches!(
            (self.group_of[e.from], self.group_of[e.to]),
            (Some(g1), Some(g2)) if g1 == g2
        )
    }
}

fn layout_with(d: &Diagram, budget: usize, params: Params) -> Layout {
    if let Some(lanes) = &d.lanes {
        return lanes::layout_lanes(d, lanes, Fit::None, true);
    }
    let mut budget = budget;
    let n = d.nodes.len();
    let ng = d.groups.len();
    let flow = params.flow;
    let sizes: Vec<(f64, f64)> = d.nodes.iter().map(node_size).collect();
    let Scopes {
        group_of,
        items,
        item_of_node,
        members,
        local_index,
        ..
    } = Scopes::of(d);

    // Collapse edges into links per scope (each group, and the outer
    // layout), keyed by the unordered pair; the link runs the way the first
    // edge in diagram order does.
    let label_sizes: Vec<(f64, f64)> = d.edges.iter().map(|e| label_size(&e.label)).collect();
    let label_flow = |e: usize, flow: Flow| -> f64 {
        let (w, h) = if params.tags && label_sizes[e].0 > 0.0 {
            tag_size(99)
        } else {
            label_sizes[e]
        };
        if w <= 0.0 {
            return 0.0;
        }
        LABEL_CLEAR
            + match flow {
                Flow::TopDown => h,
                Flow::LeftRight => w,
            }
    };
    let mut inner_links: Vec<Vec<Link>> = vec![Vec::new(); ng];
    let mut inner_keys: Vec<BTreeMap<(usize, usize), usize>> = vec![BTreeMap::new(); ng];
    let mut outer_links: Vec<Link> = Vec::new();
    let mut outer_keys: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut src = vec![RouteSrc::Invalid; d.edges.len()];
    for (ei, e) in d.edges.iter().enumerate() {
        if e.from >= n || e.to >= n {
            continue;
        }
        if e.from == e.to {
            src[ei] = RouteSrc::SelfLoop;
            continue;
        }
        let (links, keys, a, b, scope) = match (group_of[e.from], group_of[e.to]) {
            (Some(g1), Some(g2)) if g1 == g2 => (
                &mut inner_links[g1],
                &mut inner_keys[g1],
                local_index[e.from],
                local_index[e.to],
                Some(g1),
            ),
            _ => (
                &mut outer_links,
                &mut outer_keys,
                item_of_node[e.from],
                item_of_node[e.to],
                None,
            ),
        };
        let key = (a.min(b), a.max(b));
        let l = *keys.entry(key).or_insert_with(|| {
            links.push(Link {
                a,
                b,
                label_flow: 0.0,
                count: 0,
            });
            links.len() - 1
        });
        links[l].count += 1;
        links[l].label_flow += label_flow(
            ei,
            if scope.is_some() {
                params.inner_flow
            } else {
                flow
            },
        );
        let fwd = links[l].a == a;
        src[ei] = match scope {
            Some(g) => RouteSrc::Inner { g, l, fwd },
            None => RouteSrc::Outer { l, fwd },
        };
    }

    // Inner layouts and frame sizes.
    let title_band = GROUP_TITLE_BAND;
    let mut inner: Vec<Placed> = Vec::with_capacity(ng);
    let mut frame_size: Vec<(f64, f64)> = Vec::with_capacity(ng);
    let mut inner_dx: Vec<f64> = Vec::with_capacity(ng);
    for g in 0..ng {
        let msizes: Vec<(f64, f64)> = members[g].iter().map(|&i| sizes[i]).collect();
        let inner_params = Params {
            flow: params.inner_flow,
            ..params
        };
        let placed = place_graph(&msizes, &inner_links[g], inner_params, &mut budget);
        // Titles are drawn semibold, 10 px from the frame's left edge.
        let title_w =
            (text_width(&d.groups[g].label, metrics::GROUP) * 1.08 + 20.0).max(metrics::MIN_WIDTH);
        let body_w = placed.w.max(title_w);
        frame_size.push((
            (body_w + 2.0 * GROUP_PAD).ceil(),
            (title_band + placed.h + 2.0 * GROUP_PAD).ceil(),
        ));
        inner_dx.push((body_w - placed.w) / 2.0);
        inner.push(placed);
    }

    // Outer layout.
    let item_sizes: Vec<(f64, f64)> = items
        .iter()
        .map(|it| match *it {
            Item::Group(g) => frame_size[g],
            Item::Node(i) => sizes[i],
        })
        .collect();
    let arranged = params.frames.then(|| {
        let end = |i: usize| -> (usize, Point) {
            let it = item_of_node[i];
            let p = match group_of[i] {
                Some(g) => {
                    let lc = inner[g]
                        .centres
                        .get(local_index[i])
                        .copied()
                        .unwrap_or_default();
                    pt(
                        GROUP_PAD + inner_dx[g] + lc.x,
                        title_band + GROUP_PAD + lc.y,
                    )
                }
                None => pt(sizes[i].0 / 2.0, sizes[i].1 / 2.0),
            };
            (it, p)
        };
        let ends: Vec<frames::End2End> = d
            .edges
            .iter()
            .zip(&src)
            .filter(|(_, s)| matches!(s, RouteSrc::Outer { .. }))
            .map(|(e, _)| {
                let ((a, pa), (b, pb)) = (end(e.from), end(e.to));
                frames::End2End { a, pa, b, pb }
            })
            .collect();
        frames::arrange(
            &item_sizes,
            &ends,
            outer_links.len(),
            params.aspect,
            params.gap,
        )
    });
    let outer = match arranged.flatten() {
        Some(p) => p,
        None => place_graph(&item_sizes, &outer_links, params, &mut budget),
    };

    // Absolute boxes.
    let mut nodes = vec![Rect::default(); n];
    let mut groups = vec![Rect::default(); ng];
    let mut member_origin = vec![pt(0.0, 0.0); ng];
    for (it, item) in items.iter().enumerate() {
        let c = outer.centres.get(it).copied().unwrap_or_default();
        let (w, h) = item_sizes[it];
        let r = rect(MARGIN + c.x - w / 2.0, MARGIN + c.y - h / 2.0, w, h);
        match *item {
            Item::Node(i) => nodes[i] = r,
            Item::Group(g) => {
                groups[g] = r;
                let o = pt(r.x + GROUP_PAD + inner_dx[g], r.y + title_band + GROUP_PAD);
                member_origin[g] = o;
                for (li, &i) in members[g].iter().enumerate() {
                    let lc = inner[g].centres.get(li).copied().unwrap_or_default();
                    let (w, h) = sizes[i];
                    nodes[i] = rect(o.x + lc.x - w / 2.0, o.y + lc.y - h / 2.0, w, h);
                }
            }
        }
    }

    let scene = Scene {
        nodes: &nodes,
        frames: &groups,
        group_of: &group_of,
        flow,
        inner: &inner,
        member_origin: &member_origin,
        outer: &outer,
    };
    let mut edges = route_edges(d, &scene, &src);
    if params.ortho {
        ortho::route_orthogonal(d, &nodes, &groups, &mut edges, params.cross);
    } else if d.edges.len() <= fit::ORTHO_CANDIDATES_MAX_EDGES {
        // only where straight routes may be what is drawn: a larger
        // diagram is scored with them but routed orthogonally at the end
        // (`fit::final_routes`), and spreading there changed which
        // candidate won (on M, a group drawing went from 8.6 px text to
        // 5.0 px for 80 fewer straight crossings)
        spread_ends(d, &nodes, &groups, &mut edges);
    }
    let mut out = Layout {
        width: 0.0,
        height: 0.0,
        nodes,
        edges,
        groups,
        lanes: None,
    };
    place_labels(d, &mut out, &label_sizes, title_band, params.tags);
    finish_bounds(&mut out);
    out
}

/// Ranks and the order within them: real nodes are `0..n`, dummy nodes
/// (one per rank an edge passes) follow.
#[derive(Clone, Debug)]
struct Layering {
    /// Number of real nodes.
    n: usize,
    /// Vertices per rank, in order.
    layers: Vec<Vec<usize>>,
    /// Rank of every vertex.
    vrank: Vec<usize>,
    /// Per DAG edge: its vertices from the upper to the lower rank.
    chains: Vec<Vec<usize>>,
    /// Per DAG edge: the chain runs against the edge (layout-rs reversed it).
    flipped: Vec<bool>,
}

impl Layering {
    fn num_vertices(&self) -> usize {
        self.vrank.len()
    }

    /// Predecessor and successor lists of the vertices.
    #[allow(clippy::type_complexity)]
    fn adjacency(&self) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let nv = self.num_vertices();
        let mut pred = vec![Vec::new(); nv];
        let mut succ = vec![Vec::new(); nv];
        for chain in &self.chains {
            for w in chain.windows(2) {
                succ[w[0]].push(w[1]);
                pred[w[1]].push(w[0]);
            }
        }
        (pred, succ)
    }
}
