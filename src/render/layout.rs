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
//!   ([`super::ranking`]); dummies, depth-first initial order. Each
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

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point as LPoint;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

use super::diagram::{metrics, Diagram, EdgePath, Flow, Layout, Point, Rect};
use super::text::{label_size, node_size, text_width};

/// Padding between a group frame and its members, px (each side, below the
/// title band).
pub const GROUP_PAD: f64 = 16.0;

/// Height of a group frame's title band, px: the top of every frame in
/// [`Layout::groups`] holds the title, set at [`metrics::GROUP`]. No member
/// box and no edge label covers it (edges may cross it).
pub const GROUP_TITLE_BAND: f64 = 24.0;

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
pub fn layout(d: &Diagram) -> Layout {
    layout_with(d, LAYOUT_RS_BUDGET)
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
enum Item {
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

fn layout_with(d: &Diagram, budget: usize) -> Layout {
    let mut budget = budget;
    let n = d.nodes.len();
    let ng = d.groups.len();
    let flow = d.flow;
    let sizes: Vec<(f64, f64)> = d.nodes.iter().map(node_size).collect();
    let group_of: Vec<Option<usize>> = d
        .nodes
        .iter()
        .map(|nd| nd.group.filter(|&g| g < ng))
        .collect();

    // Items of the outer layout, in diagram order: a group where its first
    // member appears, every ungrouped node; empty groups last.
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

    // Collapse edges into links per scope (each group, and the outer
    // layout), keyed by the unordered pair; the link runs the way the first
    // edge in diagram order does.
    let label_sizes: Vec<(f64, f64)> = d.edges.iter().map(|e| label_size(&e.label)).collect();
    let label_flow = |e: usize| -> f64 {
        let (w, h) = label_sizes[e];
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
            });
            links.len() - 1
        });
        links[l].label_flow += label_flow(ei);
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
        let placed = place_graph(&msizes, &inner_links[g], flow, &mut budget);
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
    let outer = place_graph(&item_sizes, &outer_links, flow, &mut budget);

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
    let edges = route_edges(d, &scene, &src);
    let mut out = Layout {
        width: 0.0,
        height: 0.0,
        nodes,
        edges,
        groups,
    };
    place_labels(d, &mut out, &label_sizes, title_band);
    finish_bounds(&mut out);
    out
}

// ---------------------------------------------------------------------------
// Layered placement of one graph (components, packing, transposition).
// ---------------------------------------------------------------------------

/// Lays out a graph (`sizes` per node, links between them) in local
/// coordinates with the top-left corner at (0, 0).
fn place_graph(sizes: &[(f64, f64)], links: &[Link], flow: Flow, budget: &mut usize) -> Placed {
    let n = sizes.len();
    if n == 0 {
        return Placed {
            routes: vec![Vec::new(); links.len()],
            ..Placed::default()
        };
    }
    // Everything below works top-down: a left-right layout is the
    // transposed top-down layout of the transposed boxes (exactly what
    // layout-rs does internally too).
    let lr = flow == Flow::LeftRight;
    let tsizes: Vec<(f64, f64)> = sizes
        .iter()
        .map(|&(w, h)| if lr { (h, w) } else { (w, h) })
        .collect();

    // Weakly connected components, numbered in order of their first node.
    let mut comp = vec![usize::MAX; n];
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for l in links {
        adj[l.a].push(l.b);
        adj[l.b].push(l.a);
    }
    let mut ncomp = 0;
    for s in 0..n {
        if comp[s] != usize::MAX {
            continue;
        }
        comp[s] = ncomp;
        let mut stack = vec![s];
        while let Some(u) = stack.pop() {
            for &v in &adj[u] {
                if comp[v] == usize::MAX {
                    comp[v] = ncomp;
                    stack.push(v);
                }
            }
        }
        ncomp += 1;
    }
    let mut comp_nodes: Vec<Vec<usize>> = vec![Vec::new(); ncomp];
    let mut local = vec![0usize; n];
    for i in 0..n {
        local[i] = comp_nodes[comp[i]].len();
        comp_nodes[comp[i]].push(i);
    }
    let mut comp_links: Vec<Vec<usize>> = vec![Vec::new(); ncomp];
    for (li, l) in links.iter().enumerate() {
        comp_links[comp[l.a]].push(li);
    }

    let mut placed_comps: Vec<Placed> = Vec::with_capacity(ncomp);
    for c in 0..ncomp {
        let cs: Vec<(f64, f64)> = comp_nodes[c].iter().map(|&i| tsizes[i]).collect();
        let cl: Vec<Link> = comp_links[c]
            .iter()
            .map(|&li| Link {
                a: local[links[li].a],
                b: local[links[li].b],
                label_flow: links[li].label_flow,
            })
            .collect();
        placed_comps.push(place_component(&cs, &cl, budget));
    }

    // Shelf packing along the cross axis: components side by side, wrapping
    // into a new shelf further down the flow axis.
    let area: f64 = placed_comps
        .iter()
        .map(|p| (p.w + COMP_GAP) * (p.h + COMP_GAP))
        .sum();
    let widest = placed_comps.iter().map(|p| p.w).fold(0.0, f64::max);
    let aspect = if lr { 1.0 / ASPECT } else { ASPECT };
    let limit = widest.max((area * aspect).sqrt());
    let mut offsets = vec![pt(0.0, 0.0); ncomp];
    let (mut x, mut y, mut shelf_h) = (0.0f64, 0.0f64, 0.0f64);
    for (c, p) in placed_comps.iter().enumerate() {
        if x > 0.0 && x + p.w > limit {
            x = 0.0;
            y += shelf_h + COMP_GAP;
            shelf_h = 0.0;
        }
        offsets[c] = pt(x, y);
        x += p.w + COMP_GAP;
        shelf_h = shelf_h.max(p.h);
    }

    let mut out = Placed {
        centres: vec![pt(0.0, 0.0); n],
        routes: vec![Vec::new(); links.len()],
        w: 0.0,
        h: 0.0,
    };
    let tr = |p: Point, o: Point| -> Point {
        let q = pt(p.x + o.x, p.y + o.y);
        if lr {
            pt(q.y, q.x)
        } else {
            q
        }
    };
    for c in 0..ncomp {
        let o = offsets[c];
        let p = &placed_comps[c];
        for (k, &i) in comp_nodes[c].iter().enumerate() {
            out.centres[i] = tr(p.centres[k], o);
        }
        for (k, &li) in comp_links[c].iter().enumerate() {
            out.routes[li] = p.routes[k].iter().map(|&q| tr(q, o)).collect();
        }
    }
    normalise(sizes, &mut out);
    out
}

/// Shifts a placed graph so its boxes and routes start at (0, 0) and sets
/// its extent.
fn normalise(sizes: &[(f64, f64)], p: &mut Placed) {
    let (mut x0, mut y0) = (f64::INFINITY, f64::INFINITY);
    let (mut x1, mut y1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for (c, &(w, h)) in p.centres.iter().zip(sizes) {
        x0 = x0.min(c.x - w / 2.0);
        y0 = y0.min(c.y - h / 2.0);
        x1 = x1.max(c.x + w / 2.0);
        y1 = y1.max(c.y + h / 2.0);
    }
    for q in p.routes.iter().flatten() {
        x0 = x0.min(q.x);
        y0 = y0.min(q.y);
        x1 = x1.max(q.x);
        y1 = y1.max(q.y);
    }
    if !x0.is_finite() || !y0.is_finite() {
        p.w = 0.0;
        p.h = 0.0;
        return;
    }
    for c in p.centres.iter_mut() {
        c.x -= x0;
        c.y -= y0;
    }
    for q in p.routes.iter_mut().flatten() {
        q.x -= x0;
        q.y -= y0;
    }
    p.w = x1 - x0;
    p.h = y1 - y0;
}

/// Lays out one connected component top-down.
fn place_component(sizes: &[(f64, f64)], links: &[Link], budget: &mut usize) -> Placed {
    let n = sizes.len();
    if n == 0 {
        return Placed::default();
    }
    if n == 1 || links.is_empty() {
        // A single node (components are connected, so no links either).
        let mut p = Placed {
            centres: vec![pt(sizes[0].0 / 2.0, sizes[0].1 / 2.0)],
            routes: vec![Vec::new(); links.len()],
            ..Placed::default()
        };
        normalise(sizes, &mut p);
        return p;
    }
    let pairs: Vec<(usize, usize)> = links.iter().map(|l| (l.a, l.b)).collect();
    let rev = break_cycles(n, &pairs);
    let dag: Vec<(usize, usize)> = pairs
        .iter()
        .zip(&rev)
        .map(|(&(a, b), &r)| if r { (b, a) } else { (a, b) })
        .collect();
    let topo = topo_order(n, &dag);
    let ranks = sunk_ranks(n, &dag, longest_path_ranks(n, &dag, &topo));
    let cost = crossing_cost(&dag, &ranks);

    let mut layering = None;
    if cost <= *budget {
        *budget -= cost;
        layering = layout_rs_layering(n, &dag, &topo);
    }
    // Candidate layerings, each ordered; the one with the fewest crossings
    // wins (ties: the earlier): layout-rs's (when in budget), ours with
    // longest-path ranks and sources sunk, and ours with dot's minimal-span
    // network-simplex ranks. Minimal span alone is not always fewer
    // crossings (measured: better on 50-node views, worse on some 200-node
    // ones), hence the comparison.
    let mut best: Option<(Layering, usize)> = layering.map(best_order);
    for simplex in [false, true] {
        if best.as_ref().is_some_and(|b| b.1 == 0) {
            break;
        }
        let (l, c) = best_order(own_layering(n, &dag, &topo, simplex));
        if best.as_ref().is_none_or(|b| c < b.1) {
            best = Some((l, c));
        }
    }
    let Some((layering, _)) = best else {
        return Placed::default();
    };
    let (centres, mut routes) = coordinates(sizes, &layering);
    for (route, &r) in routes.iter_mut().zip(&rev) {
        if r {
            route.reverse();
        }
    }
    let mut p = Placed {
        centres,
        routes,
        w: 0.0,
        h: 0.0,
    };
    stretch_gaps(sizes, links, &mut p);
    normalise(sizes, &mut p);
    p
}

/// The ranks layout-rs will use: longest-path ranks, then its
/// `RankOptimizer` rule (repeated over the nodes in index order until
/// nothing moves): a node with at least as many successors as
/// predecessors sinks to just above its highest successor.
fn sunk_ranks(n: usize, dag: &[(usize, usize)], mut rank: Vec<usize>) -> Vec<usize> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut npred = vec![0usize; n];
    for &(a, b) in dag {
        succ[a].push(b);
        npred[b] += 1;
    }
    for _ in 0..n {
        let mut moved = false;
        for v in 0..n {
            if succ[v].is_empty() || npred[v] > succ[v].len() {
                continue;
            }
            let next = succ[v].iter().map(|&s| rank[s]).min().unwrap_or(0);
            if next > rank[v] + 1 {
                rank[v] = next - 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    rank
}

/// Predicted work of layout-rs's crossing reduction, which dominates its
/// run time: each round compares every pair of vertices in a rank against
/// the neighbouring ranks, scanning both vertices' edge lists, so
/// Σ w(r) · d(r) · (w(r−1) + w(r+1)) over the ranks layout-rs will build,
/// with w the rank's width and d its total degree (dummy nodes included).
fn crossing_cost(dag: &[(usize, usize)], ranks: &[usize]) -> usize {
    let nr = ranks.iter().copied().max().unwrap_or(0) + 1;
    let mut w = vec![0usize; nr + 1];
    let mut deg = vec![0usize; nr + 1];
    for &r in ranks {
        w[r] += 1;
    }
    // Dummies: +1 width and +2 degree on every rank strictly between the
    // ends (difference array).
    let mut diff = vec![0isize; nr + 1];
    for &(a, b) in dag {
        let (lo, hi) = (ranks[a].min(ranks[b]), ranks[a].max(ranks[b]));
        deg[lo] += 1;
        deg[hi] += 1;
        if hi > lo + 1 {
            diff[lo + 1] += 1;
            diff[hi] -= 1;
        }
    }
    let mut run = 0isize;
    for r in 0..nr {
        run += diff[r];
        let dummies = run.max(0) as usize;
        w[r] += dummies;
        deg[r] += 2 * dummies;
    }
    let mut total = 0usize;
    for r in 0..nr {
        let nb = if r > 0 { w[r - 1] } else { 0 } + w[r + 1];
        total = total.saturating_add(w[r].saturating_mul(deg[r]).saturating_mul(nb));
    }
    total
}

/// Chooses the edges to reverse so the graph becomes acyclic: the back
/// edges of a depth-first search that starts from the sources (in index
/// order) — only edges that close a cycle, and usually few of them.
fn break_cycles(n: usize, pairs: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for (i, &(a, b)) in pairs.iter().enumerate() {
        out[a].push((b, i));
        indeg[b] += 1;
    }
    let mut state = vec![0u8; n]; // 0 new, 1 on the DFS stack, 2 done
    let mut rev = vec![false; pairs.len()];
    let roots = (0..n)
        .filter(|&v| indeg[v] == 0)
        .chain((0..n).filter(|&v| indeg[v] != 0));
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for r in roots {
        if state[r] != 0 {
            continue;
        }
        state[r] = 1;
        stack.push((r, 0));
        while let Some(top) = stack.last_mut() {
            let (u, k) = *top;
            if k < out[u].len() {
                top.1 += 1;
                let (v, i) = out[u][k];
                match state[v] {
                    0 => {
                        state[v] = 1;
                        stack.push((v, 0));
                    }
                    1 => rev[i] = true,
                    _ => {}
                }
            } else {
                state[u] = 2;
                stack.pop();
            }
        }
    }
    rev
}

/// Kahn's algorithm with a FIFO queue seeded in index order: a
/// breadth-first topological order (the feeding order layout-rs likes).
fn topo_order(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for &(a, b) in dag {
        out[a].push(b);
        indeg[b] += 1;
    }
    let mut queue: std::collections::VecDeque<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(u) = queue.pop_front() {
        order.push(u);
        for &v in &out[u] {
            indeg[v] -= 1;
            if indeg[v] == 0 {
                queue.push_back(v);
            }
        }
    }
    // Only reachable if `dag` had a cycle (it has not); keep every node.
    if order.len() < n {
        let mut seen = vec![false; n];
        for &v in &order {
            seen[v] = true;
        }
        order.extend((0..n).filter(|&v| !seen[v]));
    }
    order
}

/// Longest-path ranks (the ranks layout-rs computes before its sinking).
fn longest_path_ranks(n: usize, dag: &[(usize, usize)], topo: &[usize]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        out[a].push(b);
    }
    let mut rank = vec![0usize; n];
    for &u in topo {
        for &v in &out[u] {
            rank[v] = rank[v].max(rank[u] + 1);
        }
    }
    rank
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

// ---------------------------------------------------------------------------
// layout-rs, guarded.
// ---------------------------------------------------------------------------

/// A [`RenderBackend`] that only counts the arrows layout-rs draws (one per
/// edge we gave it: a cheap consistency check) and ignores everything else.
#[derive(Default)]
struct Capture {
    arrows: usize,
}

impl RenderBackend for Capture {
    fn draw_rect(
        &mut self,
        _xy: LPoint,
        _size: LPoint,
        _look: &StyleAttr,
        _properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
    }
    fn draw_line(
        &mut self,
        _start: LPoint,
        _stop: LPoint,
        _look: &StyleAttr,
        _properties: Option<String>,
    ) {
    }
    fn draw_circle(
        &mut self,
        _xy: LPoint,
        _size: LPoint,
        _look: &StyleAttr,
        _properties: Option<String>,
    ) {
    }
    fn draw_text(&mut self, _xy: LPoint, _text: &str, _look: &StyleAttr) {}
    fn draw_arrow(
        &mut self,
        _path: &[(LPoint, LPoint)],
        _dashed: bool,
        _head: (bool, bool),
        _look: &StyleAttr,
        _properties: Option<String>,
        _text: &str,
    ) {
        self.arrows += 1;
    }
    fn create_clip(&mut self, _xy: LPoint, _size: LPoint, _rounded_px: usize) -> ClipHandle {
        0
    }
}

type Hook = Box<dyn Fn(&panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The panic hook that was installed before the first guarded call, while
/// guarded calls are running (`depth` of them, on any threads).
struct HookState {
    depth: usize,
    prev: Option<Arc<Hook>>,
}

static HOOK: Mutex<HookState> = Mutex::new(HookState {
    depth: 0,
    prev: None,
});

thread_local! {
    /// Whether this thread is inside a guarded call (its panics are muted).
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, returning `None` if it panics, without printing the panic
/// message. The panic hook is process-wide, so while any guarded call runs
/// we install a hook that is silent on guarded threads and forwards to the
/// previous hook on all others; the last guarded call to finish puts the
/// previous hook back (views may be laid out in parallel).
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    {
        let mut st = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        if st.depth == 0 {
            let prev: Arc<Hook> = Arc::new(panic::take_hook());
            let fwd = Arc::clone(&prev);
            panic::set_hook(Box::new(move |info| {
                if !GUARDED.with(Cell::get) {
                    fwd(info);
                }
            }));
            st.prev = Some(prev);
        }
        st.depth += 1;
    }
    GUARDED.with(|g| g.set(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    {
        let mut st = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        st.depth = st.depth.saturating_sub(1);
        if st.depth == 0 {
            if let Some(prev) = st.prev.take() {
                // Dropping our hook drops its clone of `prev`, so the
                // original box can usually be reinstalled as it was.
                drop(panic::take_hook());
                match Arc::try_unwrap(prev) {
                    Ok(h) => panic::set_hook(h),
                    Err(shared) => panic::set_hook(Box::new(move |info| shared(info))),
                }
            }
        }
    }
    r.ok()
}

/// What we read back from layout-rs: its ranks (rows, in order, dummies
/// included) and, per vertex, its successors.
struct Rows {
    rows: Vec<Vec<usize>>,
    succ: Vec<Vec<usize>>,
    arrows: usize,
}

/// Runs layout-rs's layered layout on an acyclic component and returns
/// its layering: ranks after its node sinking, dummy nodes, and the order
/// after its crossing reduction. `None` if it panicked or returned
/// something inconsistent.
fn layout_rs_layering(n: usize, dag: &[(usize, usize)], topo: &[usize]) -> Option<Layering> {
    let mut topo_pos = vec![0usize; n];
    for (k, &v) in topo.iter().enumerate() {
        topo_pos[v] = k;
    }
    // Feed edges sorted by the topological position of their source: when
    // layout-rs adds u→v it asks whether u is reachable from v, and v has no
    // outgoing edges yet, so that (otherwise exponential) search is O(1).
    let mut order: Vec<usize> = (0..dag.len()).collect();
    order.sort_by_key(|&i| (topo_pos[dag[i].0], topo_pos[dag[i].1], i));

    let out = guarded(|| {
        let mut vg = VisualGraph::new(Orientation::TopToBottom);
        // Its DAG verification re-runs an exponential reachability check
        // after every edge, even in release builds.
        vg.dag.set_validate(false);
        let handles: Vec<_> = (0..n)
            .map(|_| {
                // Sizes do not influence ranks or order (only its own x/y
                // placement, which we skip); element orientation is the
                // flipped graph orientation, as its DOT builder does.
                let el = Element::create(
                    ShapeKind::new_box(""),
                    StyleAttr::simple(),
                    Orientation::LeftToRight,
                    LPoint::new(10.0, 10.0),
                );
                vg.add_node(el)
            })
            .collect();
        for &i in &order {
            let (a, b) = dag[i];
            // No text: a labelled arrow becomes an extra rank-occupying
            // connector sized by the crate's own text guess. We make room
            // for labels ourselves (stretch_gaps).
            vg.add_edge(Arrow::simple(""), handles[a], handles[b]);
        }
        let mut cap = Capture::default();
        // disable_layout: skip its Brandes–Köpf x placement and edge fixing
        // (we place and route ourselves; its placement scheduler is the
        // part that can run for minutes, and draws 2–4× wider).
        vg.do_it(false, false, true, &mut cap);
        let rows: Vec<Vec<usize>> = vg
            .dag
            .ranks()
            .iter()
            .map(|row| row.iter().map(|h| h.get_index()).collect())
            .collect();
        let succ: Vec<Vec<usize>> = (0..vg.num_nodes())
            .map(|i| vg.succ(i.into()).iter().map(|h| h.get_index()).collect())
            .collect();
        Rows {
            rows,
            succ,
            arrows: cap.arrows,
        }
    })?;
    layering_from_rows(n, dag, out)
}

/// Checks and converts layout-rs's rows into a [`Layering`].
fn layering_from_rows(n: usize, dag: &[(usize, usize)], out: Rows) -> Option<Layering> {
    let nv = out.succ.len();
    if out.arrows != dag.len() || nv < n {
        return None;
    }
    let layers: Vec<Vec<usize>> = out.rows.into_iter().filter(|r| !r.is_empty()).collect();
    let mut vrank = vec![usize::MAX; nv];
    for (r, row) in layers.iter().enumerate() {
        for &v in row {
            if v >= nv || vrank[v] != usize::MAX {
                return None;
            }
            vrank[v] = r;
        }
    }
    if vrank.contains(&usize::MAX) {
        return None;
    }
    // Chains: from every real node through dummies (exactly one successor
    // each) to the next real node.
    let mut by_ends: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for a in 0..n {
        for &s in &out.succ[a] {
            let mut chain = vec![a];
            let mut cur = s;
            while cur >= n {
                chain.push(cur);
                match out.succ.get(cur).map(Vec::as_slice) {
                    Some(&[next]) if chain.len() <= nv => cur = next,
                    _ => return None,
                }
            }
            chain.push(cur);
            if chain.windows(2).any(|w| vrank[w[1]] != vrank[w[0]] + 1) {
                return None;
            }
            if by_ends.insert((a, cur), chain).is_some() {
                return None;
            }
        }
    }
    let mut chains = Vec::with_capacity(dag.len());
    let mut flipped = Vec::with_capacity(dag.len());
    for &(a, b) in dag {
        if let Some(c) = by_ends.remove(&(a, b)) {
            chains.push(c);
            flipped.push(false);
        } else if let Some(c) = by_ends.remove(&(b, a)) {
            chains.push(c);
            flipped.push(true);
        } else {
            return None;
        }
    }
    if !by_ends.is_empty() {
        return None;
    }
    Some(Layering {
        n,
        layers,
        vrank,
        chains,
        flipped,
    })
}

// ---------------------------------------------------------------------------
// Our own layering, ordering and coordinates.
// ---------------------------------------------------------------------------

/// Our own layering (fallback and above the size limit): longest-path
/// ranks with sources sunk next to their successors, dummy nodes, and an
/// initial order by depth-first discovery.
fn own_layering(n: usize, dag: &[(usize, usize)], topo: &[usize], simplex: bool) -> Layering {
    let mut rank = longest_path_ranks(n, dag, topo);
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut has_pred = vec![false; n];
    for &(a, b) in dag {
        succ[a].push(b);
        has_pred[b] = true;
    }
    for v in 0..n {
        if !has_pred[v] {
            if let Some(m) = succ[v].iter().map(|&s| rank[s]).min() {
                rank[v] = m.saturating_sub(1);
            }
        }
    }
    // dot's ranking: minimal total edge span (fewer dummies, fewer
    // crossings); bounded, and kept only when feasible and shorter.
    if simplex {
        super::ranking::network_simplex(n, dag, &mut rank);
    }
    shorten_edges(n, dag, &mut rank);
    // Compress empty ranks.
    let maxr = rank.iter().copied().max().unwrap_or(0);
    let mut used = vec![false; maxr + 1];
    for &r in &rank {
        used[r] = true;
    }
    let mut remap = vec![0usize; maxr + 1];
    let mut k = 0;
    for r in 0..=maxr {
        remap[r] = k;
        if used[r] {
            k += 1;
        }
    }
    for r in rank.iter_mut() {
        *r = remap[*r];
    }
    let nranks = k.max(1);

    let mut vrank: Vec<usize> = rank.clone();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(dag.len());
    for &(a, b) in dag {
        let mut chain = vec![a];
        for r in rank[a] + 1..rank[b] {
            vrank.push(r);
            chain.push(vrank.len() - 1);
        }
        chain.push(b);
        chains.push(chain);
    }
    let mut l = Layering {
        n,
        layers: Vec::new(),
        vrank,
        chains,
        flipped: vec![false; dag.len()],
    };
    let nv = l.num_vertices();
    let (_, vsucc) = l.adjacency();

    // Depth-first discovery from the nodes in topological order keeps
    // related nodes together.
    let mut disc = vec![usize::MAX; nv];
    let mut counter = 0;
    depth_first(topo.iter().copied(), &vsucc, &mut disc, &mut counter);
    for d in disc.iter_mut() {
        if *d == usize::MAX {
            *d = counter;
            counter += 1;
        }
    }
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); nranks];
    for v in 0..nv {
        layers[l.vrank[v]].push(v);
    }
    for layer in layers.iter_mut() {
        layer.sort_by_key(|&v| disc[v]);
    }
    l.layers = layers;
    l
}

/// Shortens the edges' total rank span (fewer dummy vertices, so fewer
/// crossings and a shorter drawing): a node with more edges to below than
/// from above moves down as far as its successors allow, one with more from
/// above moves up as far as its predecessors allow; repeated (bounded) until no
/// node moves. Each move strictly lowers the total span, so it terminates;
/// it is the local-move half of dot's network-simplex ranking.
fn shorten_edges(n: usize, dag: &[(usize, usize)], rank: &mut [usize]) {
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        if a != b {
            succ[a].push(b);
            pred[b].push(a);
        }
    }
    for _ in 0..16 {
        let mut moved = false;
        for v in 0..n {
            let (np, ns) = (pred[v].len(), succ[v].len());
            // Down by k: incoming edges k longer each, outgoing k shorter.
            if ns > np && ns > 0 {
                let lim = succ[v].iter().map(|&s| rank[s]).min().unwrap_or(0);
                if lim > rank[v] + 1 {
                    rank[v] = lim - 1;
                    moved = true;
                }
            } else if np > ns && np > 0 {
                let lim = pred[v].iter().map(|&p| rank[p]).max().unwrap_or(0);
                if lim + 1 < rank[v] {
                    rank[v] = lim + 1;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
}

/// Numbers vertices in depth-first discovery order from each root in turn
/// (skipping roots already numbered), following `next` (successors or
/// predecessors) in list order. `disc` holds `usize::MAX` for vertices not
/// yet numbered; `counter` is the next number.
fn depth_first(
    roots: impl Iterator<Item = usize>,
    next: &[Vec<usize>],
    disc: &mut [usize],
    counter: &mut usize,
) {
    for s in roots {
        if disc[s] != usize::MAX {
            continue;
        }
        let mut stack = vec![s];
        while let Some(u) = stack.pop() {
            if disc[u] != usize::MAX {
                continue;
            }
            disc[u] = *counter;
            *counter += 1;
            for &v in next[u].iter().rev() {
                if disc[v] == usize::MAX {
                    stack.push(v);
                }
            }
        }
    }
}

/// Crossing reduction in the manner of Graphviz dot (Gansner et al. 1993):
/// sweeps alternately down and up, each rank ordered by the weighted median
/// of its neighbours in the rank just fixed (barycentre on even/odd
/// iterations alternately, which escapes the median's plateaus), then
/// `transpose` (swap neighbours while that removes crossings). Starting from
/// the current order, the order with the fewest crossings is kept, so an
/// order from layout-rs is only ever improved. Work is bounded: at most
/// [`ORDER_ITERS`] sweeps, stopping after [`ORDER_PATIENCE`] sweeps without
/// a gain, and transpose passes per sweep are capped.
fn refine_order(l: &mut Layering) -> usize {
    let nv = l.num_vertices();
    let nranks = l.layers.len();
    let (vpred, vsucc) = l.adjacency();
    let mut pos = vec![0usize; nv];
    let set_pos = |layers: &Vec<Vec<usize>>, pos: &mut Vec<usize>| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    set_pos(&l.layers, &mut pos);
    let mut layers = l.layers.clone();
    let mut best_cross = count_crossings(&layers, &vsucc, &pos);
    let mut stale = 0;
    for it in 0..ORDER_ITERS {
        if best_cross == 0 || stale >= ORDER_PATIENCE {
            break;
        }
        let down = it % 2 == 0;
        let median = (it / 2) % 2 == 0;
        let rs: Vec<usize> = if down {
            (1..nranks).collect()
        } else {
            (0..nranks.saturating_sub(1)).rev().collect()
        };
        let mut scratch: Vec<f64> = Vec::new();
        for r in rs {
            let mut keyed: Vec<(f64, usize, usize)> = layers[r]
                .iter()
                .map(|&v| {
                    let nb = if down { &vpred[v] } else { &vsucc[v] };
                    let key = if nb.is_empty() {
                        // Keeps its place relative to the rank's width.
                        f64::NAN
                    } else if median {
                        scratch.clear();
                        scratch.extend(nb.iter().map(|&u| pos[u] as f64));
                        weighted_median(&mut scratch)
                    } else {
                        nb.iter().map(|&u| pos[u] as f64).sum::<f64>() / nb.len() as f64
                    };
                    (key, pos[v], v)
                })
                .collect();
            sort_keeping_fixed(&mut keyed);
            layers[r] = keyed.into_iter().map(|t| t.2).collect();
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i;
            }
        }
        transpose(&mut layers, &mut pos, &vpred, &vsucc);
        let c = count_crossings(&layers, &vsucc, &pos);
        if c < best_cross {
            best_cross = c;
            l.layers = layers.clone();
            stale = 0;
        } else {
            stale += 1;
        }
    }
    best_cross
}

/// Crossing reduction from several starting orders (the given one — from
/// layout-rs or our depth-first discovery —, breadth-first discovery from
/// the sources, depth-first discovery upwards from the sinks): sweeps
/// settle in different local minima, like dot's runs from both edge
/// directions. Keeps the order with the fewest crossings (ties: the
/// earlier start).
fn best_order(layering: Layering) -> (Layering, usize) {
    let starts = start_orders(&layering);
    let mut best = layering;
    let mut best_cross = refine_order(&mut best);
    for layers in starts {
        if best_cross == 0 {
            break;
        }
        let mut l = best.clone();
        l.layers = layers;
        let c = refine_order(&mut l);
        if c < best_cross {
            best = l;
            best_cross = c;
        }
    }
    (best, best_cross)
}

/// Alternative initial orders of a layering's ranks: vertices sorted by
/// their breadth-first discovery from the top rank's vertices, and by their
/// depth-first discovery from the bottom rank's vertices along predecessors.
fn start_orders(l: &Layering) -> Vec<Vec<Vec<usize>>> {
    let nv = l.num_vertices();
    let (vpred, vsucc) = l.adjacency();
    let order_by = |disc: &[usize]| -> Vec<Vec<usize>> {
        let mut layers = l.layers.clone();
        for layer in layers.iter_mut() {
            layer.sort_by_key(|&v| (disc[v], v));
        }
        layers
    };
    let mut out = Vec::new();
    // Breadth-first from the vertices without predecessors, rank by rank.
    let mut disc = vec![usize::MAX; nv];
    let mut counter = 0;
    let mut queue = std::collections::VecDeque::new();
    for layer in &l.layers {
        for &s in layer {
            if !vpred[s].is_empty() || disc[s] != usize::MAX {
                continue;
            }
            disc[s] = counter;
            counter += 1;
            queue.push_back(s);
            while let Some(u) = queue.pop_front() {
                for &v in &vsucc[u] {
                    if disc[v] == usize::MAX {
                        disc[v] = counter;
                        counter += 1;
                        queue.push_back(v);
                    }
                }
            }
        }
    }
    out.push(order_by(&disc));
    // Depth-first upwards from the vertices without successors.
    let mut disc = vec![usize::MAX; nv];
    let mut counter = 0;
    let sinks = l
        .layers
        .iter()
        .rev()
        .flatten()
        .copied()
        .filter(|&s| vsucc[s].is_empty());
    depth_first(sinks, &vpred, &mut disc, &mut counter);
    out.push(order_by(&disc));
    out
}

/// Most ordering sweeps per component.
const ORDER_ITERS: usize = 24;
/// Sweeps without fewer crossings before ordering stops.
const ORDER_PATIENCE: usize = 6;
/// Most transpose passes over all ranks per sweep.
const TRANSPOSE_PASSES: usize = 8;

/// The weighted median of positions (Gansner et al.): the middle one for an
/// odd count, the mean of the two middle ones for two, else the two middle
/// ones weighted towards the side whose positions are packed more tightly.
fn weighted_median(p: &mut [f64]) -> f64 {
    p.sort_by(f64::total_cmp);
    let m = p.len() / 2;
    match p.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => p[m],
        2 => (p[0] + p[1]) / 2.0,
        n => {
            let left = p[m - 1] - p[0];
            let right = p[n - 1] - p[m];
            if left + right <= 0.0 {
                (p[m - 1] + p[m]) / 2.0
            } else {
                (p[m - 1] * right + p[m] * left) / (left + right)
            }
        }
    }
}

/// Sorts (key, old position, vertex) by key; entries whose key is NaN (no
/// neighbours on that side) keep their old slot and the others fill the
/// remaining slots in key order (ties: old order).
fn sort_keeping_fixed(keyed: &mut [(f64, usize, usize)]) {
    let mut movable: Vec<(f64, usize, usize)> =
        keyed.iter().copied().filter(|k| !k.0.is_nan()).collect();
    movable.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    let mut it = movable.into_iter();
    for slot in keyed.iter_mut() {
        if !slot.0.is_nan() {
            if let Some(m) = it.next() {
                *slot = m;
            }
        }
    }
}

/// Crossings between the edges of `u` and of `v` (u left of v) towards one
/// neighbouring rank: pairs (a of u, b of v) with a right of b.
fn pair_crossings(nu: &[usize], nv: &[usize], pos: &[usize]) -> usize {
    let mut c = 0;
    for &a in nu {
        for &b in nv {
            if pos[a] > pos[b] {
                c += 1;
            }
        }
    }
    c
}

/// Dot's `transpose`: swaps neighbours within a rank while that lowers the
/// crossings with both adjacent ranks; repeats (bounded) while any pass
/// gains.
fn transpose(
    layers: &mut [Vec<usize>],
    pos: &mut [usize],
    vpred: &[Vec<usize>],
    vsucc: &[Vec<usize>],
) {
    for _ in 0..TRANSPOSE_PASSES {
        let mut gained = false;
        for layer in layers.iter_mut() {
            for i in 0..layer.len().saturating_sub(1) {
                let (u, v) = (layer[i], layer[i + 1]);
                // Very high-degree pairs cost more than they can gain here.
                if vpred[u].len() * vpred[v].len() + vsucc[u].len() * vsucc[v].len() > 4096 {
                    continue;
                }
                let now = pair_crossings(&vpred[u], &vpred[v], pos)
                    + pair_crossings(&vsucc[u], &vsucc[v], pos);
                let swapped = pair_crossings(&vpred[v], &vpred[u], pos)
                    + pair_crossings(&vsucc[v], &vsucc[u], pos);
                if swapped < now {
                    layer.swap(i, i + 1);
                    pos[u] = i + 1;
                    pos[v] = i;
                    gained = true;
                }
            }
        }
        if !gained {
            break;
        }
    }
}

/// Coordinates and routes for a layering (top-down). Returns node centres
/// and, per DAG edge, the interior points of its route from its source to
/// its target.
#[allow(clippy::type_complexity)]
fn coordinates(sizes: &[(f64, f64)], l: &Layering) -> (Vec<Point>, Vec<Vec<Point>>) {
    let n = l.n;
    let nv = l.num_vertices();
    let nranks = l.layers.len();
    let (vpred, vsucc) = l.adjacency();
    let is_dummy = |v: usize| v >= n;
    let vwidth = |v: usize| if v < n { sizes[v].0 } else { DUMMY_W };
    let mut pos = vec![0usize; nv];
    for layer in &l.layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }

    // Across ranks: pack, then pull every vertex towards the mean of its
    // neighbours (isotonic regression keeps order and gaps).
    let sep = |a: usize, b: usize| -> f64 {
        let gap = if is_dummy(a) || is_dummy(b) {
            DUMMY_GAP
        } else {
            NODE_GAP
        };
        (vwidth(a) + vwidth(b)) / 2.0 + gap
    };
    let mut x = vec![0.0f64; nv];
    for layer in &l.layers {
        let mut cur = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                cur += sep(layer[i - 1], v);
            }
            x[v] = cur;
        }
    }
    for it in 0..10 {
        let (down, up) = match it % 3 {
            0 => (true, false),
            1 => (false, true),
            _ => (true, true),
        };
        let rs: Vec<usize> = if up && !down {
            (0..nranks).rev().collect()
        } else {
            (0..nranks).collect()
        };
        for r in rs {
            let layer = &l.layers[r];
            if layer.is_empty() {
                continue;
            }
            let mut target = Vec::with_capacity(layer.len());
            let mut weight = Vec::with_capacity(layer.len());
            for &v in layer {
                let mut sum = 0.0;
                let mut cnt = 0.0;
                if down {
                    for &u in &vpred[v] {
                        sum += x[u];
                        cnt += 1.0;
                    }
                }
                if up {
                    for &u in &vsucc[v] {
                        sum += x[u];
                        cnt += 1.0;
                    }
                }
                if cnt > 0.0 {
                    target.push(sum / cnt);
                    // Dummies pull harder: long edges come out straight.
                    weight.push(if is_dummy(v) { 4.0 } else { 1.0 } * f64::sqrt(cnt));
                } else {
                    target.push(x[v]);
                    weight.push(0.25);
                }
            }
            let gaps: Vec<f64> = layer.windows(2).map(|w| sep(w[0], w[1])).collect();
            let xs = isotonic_with_gaps(&target, &weight, &gaps);
            for (&v, &xv) in layer.iter().zip(&xs) {
                x[v] = xv;
            }
        }
    }

    // Rank bands along the flow axis.
    let mut band_h = vec![0.0f64; nranks];
    for (&r, size) in l.vrank.iter().zip(sizes) {
        band_h[r] = band_h[r].max(size.1);
    }
    let mut band_top = vec![0.0f64; nranks];
    for r in 1..nranks {
        band_top[r] = band_top[r - 1] + band_h[r - 1] + RANK_GAP;
    }
    let centres: Vec<Point> = (0..n)
        .map(|v| pt(x[v], band_top[l.vrank[v]] + band_h[l.vrank[v]] / 2.0))
        .collect();

    // Routes: leave the upper end through the bottom of its rank band, pass
    // each skipped rank vertically at the dummy's position, enter the lower
    // end from the top of its band. Segments turn only in the gaps between
    // bands, which hold no boxes. Ports are spread along the box border in
    // the order of the other ends, so edges leaving one box do not cross.
    let bottom = |r: usize| band_top[r] + band_h[r];
    let m = l.chains.len();
    let mut out_port = vec![0.0f64; m];
    let mut in_port = vec![0.0f64; m];
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, c) in l.chains.iter().enumerate() {
        outs[c[0]].push(i);
        ins[c[c.len() - 1]].push(i);
    }
    let spread =
        |list: &mut Vec<usize>, key: &dyn Fn(usize) -> f64, w: f64, ports: &mut Vec<f64>| {
            list.sort_by(|&p, &q| key(p).total_cmp(&key(q)).then(p.cmp(&q)));
            let k = list.len();
            if k < 2 {
                return;
            }
            let step = (12.0f64).min((w - 16.0).max(0.0) / (k - 1) as f64);
            for (j, &i) in list.iter().enumerate() {
                ports[i] = (j as f64 - (k - 1) as f64 / 2.0) * step;
            }
        };
    for v in 0..n {
        let next_x = |i: usize| x[l.chains[i][1]];
        spread(&mut outs[v], &next_x, sizes[v].0, &mut out_port);
        let prev_x = |i: usize| x[l.chains[i][l.chains[i].len() - 2]];
        spread(&mut ins[v], &prev_x, sizes[v].0, &mut in_port);
    }
    let routes: Vec<Vec<Point>> = l
        .chains
        .iter()
        .enumerate()
        .map(|(i, chain)| {
            let a = chain[0];
            let b = chain[chain.len() - 1];
            let mut pts = vec![pt(x[a] + out_port[i], bottom(l.vrank[a]))];
            for &dmy in &chain[1..chain.len() - 1] {
                let r = l.vrank[dmy];
                pts.push(pt(x[dmy], band_top[r]));
                pts.push(pt(x[dmy], bottom(r)));
            }
            pts.push(pt(x[b] + in_port[i], band_top[l.vrank[b]]));
            if l.flipped[i] {
                pts.reverse();
            }
            pts
        })
        .collect();
    (centres, routes)
}

/// Number of crossings between consecutive layers (inversions counted with
/// a Fenwick tree).
fn count_crossings(layers: &[Vec<usize>], vsucc: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0usize;
    for r in 0..layers.len().saturating_sub(1) {
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for &u in &layers[r] {
            for &v in &vsucc[u] {
                pairs.push((pos[u], pos[v]));
            }
        }
        pairs.sort_unstable();
        let m = layers[r + 1].len();
        let mut tree = vec![0usize; m + 1];
        for (seen, &(_, q)) in pairs.iter().enumerate() {
            // Count earlier pairs whose target is strictly right of q.
            let mut le = 0usize;
            let mut i = q + 1;
            while i > 0 {
                le += tree[i];
                i -= i & i.wrapping_neg();
            }
            total += seen - le;
            let mut i = q + 1;
            while i <= m {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// Weighted least squares positions for a row: minimise Σ wᵢ(xᵢ − tᵢ)²
/// subject to xᵢ₊₁ − xᵢ ≥ gapᵢ (pool-adjacent-violators on the positions
/// with the cumulative gaps subtracted).
fn isotonic_with_gaps(target: &[f64], weight: &[f64], gaps: &[f64]) -> Vec<f64> {
    let m = target.len();
    let mut offset = vec![0.0f64; m];
    for i in 1..m {
        offset[i] = offset[i - 1] + gaps[i - 1];
    }
    // Blocks: (weighted mean, total weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(m);
    for i in 0..m {
        let w = weight[i].max(1e-6);
        let mut cur = (target[i] - offset[i], w, 1usize);
        while let Some(&(pm, pw, pc)) = blocks.last() {
            if pm <= cur.0 {
                break;
            }
            blocks.pop();
            let tw = pw + cur.1;
            cur = ((pm * pw + cur.0 * cur.1) / tw, tw, pc + cur.2);
        }
        blocks.push(cur);
    }
    let mut out = Vec::with_capacity(m);
    for (mean, _, c) in blocks {
        for _ in 0..c {
            let i = out.len();
            out.push(mean + offset[i]);
        }
    }
    out
}

/// Widens the gaps between ranks so edge labels fit: each labelled link
/// asks for room in the gap nearest the middle of its span; the flow axis
/// is then stretched inside those gaps (ranks move rigidly, so boxes keep
/// their shape and never overlap).
fn stretch_gaps(sizes: &[(f64, f64)], links: &[Link], p: &mut Placed) {
    if links.iter().all(|l| l.label_flow <= 0.0) {
        return;
    }
    let n = sizes.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| p.centres[a].y.total_cmp(&p.centres[b].y).then(a.cmp(&b)));
    // Rows: boxes whose centres share a y (both engines centre each rank).
    let mut bands: Vec<(f64, f64)> = Vec::new();
    let mut row_y = f64::NEG_INFINITY;
    for &i in &idx {
        let c = p.centres[i];
        let (top, bot) = (c.y - sizes[i].1 / 2.0, c.y + sizes[i].1 / 2.0);
        match bands.last_mut() {
            Some(b) if c.y - row_y <= 1.0 => {
                b.0 = b.0.min(top);
                b.1 = b.1.max(bot);
            }
            _ => {
                bands.push((top, bot));
                row_y = c.y;
            }
        }
    }
    // Gaps between consecutive bands (skipped where bands overlap).
    let gaps: Vec<Option<(f64, f64)>> = bands
        .windows(2)
        .map(|w| {
            if w[1].0 > w[0].1 {
                Some((w[0].1, w[1].0))
            } else {
                None
            }
        })
        .collect();
    let mut need = vec![0.0f64; gaps.len()];
    for l in links {
        if l.label_flow <= 0.0 {
            continue;
        }
        let (ya, yb) = (p.centres[l.a].y, p.centres[l.b].y);
        let (lo, hi) = (ya.min(yb), ya.max(yb));
        let mid = (lo + hi) / 2.0;
        let mut best: Option<(f64, usize)> = None;
        for (k, g) in gaps.iter().enumerate() {
            if let Some((g0, g1)) = *g {
                if g0 >= lo && g1 <= hi {
                    let dd = ((g0 + g1) / 2.0 - mid).abs();
                    if best.is_none_or(|(bd, _)| dd < bd) {
                        best = Some((dd, k));
                    }
                }
            }
        }
        if let Some((_, k)) = best {
            need[k] = need[k].max(l.label_flow + 2.0 * LABEL_CLEAR);
        }
    }
    let extra: Vec<f64> = gaps
        .iter()
        .zip(&need)
        .map(|(g, &nd)| match g {
            Some((g0, g1)) => (nd - (g1 - g0)).max(0.0).ceil(),
            None => 0.0,
        })
        .collect();
    if extra.iter().all(|&e| e == 0.0) {
        return;
    }
    let map = |y: f64| -> f64 {
        let mut acc = 0.0;
        for (g, &e) in gaps.iter().zip(&extra) {
            let Some((g0, g1)) = *g else { continue };
            if y >= g1 {
                acc += e;
            } else {
                if y > g0 {
                    acc += e * (y - g0) / (g1 - g0);
                }
                break;
            }
        }
        y + acc
    };
    for c in p.centres.iter_mut() {
        c.y = map(c.y);
    }
    for q in p.routes.iter_mut().flatten() {
        q.y = map(q.y);
    }
}

// ---------------------------------------------------------------------------
// Geometry helpers and a uniform grid over rectangles.
// ---------------------------------------------------------------------------

/// Whether the segment a–b passes through the interior of `r` shrunk by
/// `shrink` (touching or running along the border does not count).
fn seg_hits(a: Point, b: Point, r: &Rect, shrink: f64) -> bool {
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
fn contains(r: &Rect, p: Point) -> bool {
    p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h
}

/// Whether `p` lies strictly inside `r`.
fn strictly_inside(r: &Rect, p: Point) -> bool {
    p.x > r.x && p.x < r.x + r.w && p.y > r.y && p.y < r.y + r.h
}

/// The parameter interval of segment a–b inside the closed rectangle `r`.
fn clip_interval(a: Point, b: Point, r: &Rect) -> Option<(f64, f64)> {
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

fn lerp(a: Point, b: Point, t: f64) -> Point {
    pt(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
}

/// A uniform grid of rectangles for overlap and segment queries. Rectangles
/// outside the initial extent are clamped into the border cells, so queries
/// stay correct (only slower) anywhere.
struct RectGrid {
    x0: f64,
    y0: f64,
    cell: f64,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<usize>>,
    rects: Vec<Rect>,
}

impl RectGrid {
    fn new(extent: Rect, expected: usize) -> RectGrid {
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

    fn span(&self, r: &Rect) -> (usize, usize, usize, usize) {
        let cx =
            |x: f64| (((x - self.x0) / self.cell).floor().max(0.0) as usize).min(self.cols - 1);
        let cy =
            |y: f64| (((y - self.y0) / self.cell).floor().max(0.0) as usize).min(self.rows - 1);
        (cx(r.x), cx(r.x + r.w), cy(r.y), cy(r.y + r.h))
    }

    fn insert(&mut self, r: Rect) -> usize {
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
    fn query(&self, r: &Rect, out: &mut Vec<usize>) {
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
    fn overlaps_any(&self, r: &Rect, scratch: &mut Vec<usize>) -> bool {
        self.query(r, scratch);
        scratch.iter().any(|&i| self.rects[i].overlaps(r))
    }
}

fn seg_bbox(a: Point, b: Point) -> Rect {
    let x = a.x.min(b.x);
    let y = a.y.min(b.y);
    rect(x, y, (a.x - b.x).abs(), (a.y - b.y).abs())
}

// ---------------------------------------------------------------------------
// Edge routing.
// ---------------------------------------------------------------------------

/// Builds every edge's path from the layered routes: parallel offsets,
/// clipping to the end boxes, and rerouting of segments that cross boxes.
/// The placed boxes and layered routes that edge routing starts from.
struct Scene<'a> {
    nodes: &'a [Rect],
    frames: &'a [Rect],
    group_of: &'a [Option<usize>],
    flow: Flow,
    inner: &'a [Placed],
    member_origin: &'a [Point],
    outer: &'a Placed,
}

fn route_edges(d: &Diagram, sc: &Scene<'_>, src: &[RouteSrc]) -> Vec<EdgePath> {
    let nodes = sc.nodes;
    let title_band = GROUP_TITLE_BAND;
    // Moves the port where an outer route meets a group's rank band in line
    // with the member it belongs to, so the edge leaves the member straight
    // along the flow instead of converging on one point of the frame.
    let snap = |p: &mut Point, node: usize| {
        let Some(g) = sc.group_of[node] else { return };
        let (fr, c) = (sc.frames[g], nodes[node].center());
        match sc.flow {
            Flow::TopDown => p.x = c.x.clamp(fr.x + GROUP_PAD, fr.x + fr.w - GROUP_PAD),
            Flow::LeftRight => {
                p.y =
                    c.y.clamp(fr.y + title_band + GROUP_PAD, fr.y + fr.h - GROUP_PAD)
            }
        }
    };
    let extent = nodes.iter().fold(rect(0.0, 0.0, 1.0, 1.0), |acc, r| {
        let x1 = (acc.x + acc.w).max(r.x + r.w);
        let y1 = (acc.y + acc.h).max(r.y + r.h);
        rect(0.0, 0.0, x1, y1)
    });
    let mut grid = RectGrid::new(inflate(&extent, 64.0), nodes.len());
    for r in nodes {
        grid.insert(*r);
    }

    // Bundles: edges sharing one layered route share it with offsets.
    let mut bundles: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (ei, s) in src.iter().enumerate() {
        match *s {
            RouteSrc::Inner { g, l, .. } => bundles.entry((g, l)).or_default().push(ei),
            RouteSrc::Outer { l, .. } => bundles.entry((usize::MAX, l)).or_default().push(ei),
            _ => {}
        }
    }
    let mut offset = vec![0.0f64; src.len()];
    for list in bundles.values() {
        let k = list.len();
        if k < 2 {
            continue;
        }
        let gap = PAR_GAP.min(40.0 / (k - 1) as f64);
        for (i, &ei) in list.iter().enumerate() {
            offset[ei] = (i as f64 - (k - 1) as f64 / 2.0) * gap;
        }
    }

    let mut scratch = Vec::new();
    let mut paths = Vec::with_capacity(d.edges.len());
    for (ei, e) in d.edges.iter().enumerate() {
        let layered = match src[ei] {
            RouteSrc::Inner { g, l, fwd } => {
                Some((&sc.inner[g].routes[l], sc.member_origin[g], fwd))
            }
            RouteSrc::Outer { l, fwd } => Some((&sc.outer.routes[l], pt(MARGIN, MARGIN), fwd)),
            RouteSrc::Invalid | RouteSrc::SelfLoop => None,
        };
        let pts = match (src[ei], layered) {
            (RouteSrc::SelfLoop, _) => {
                let r = nodes[e.from];
                let x1 = r.x + r.w;
                let ya = r.y + r.h * 0.35;
                let yb = r.y + r.h * 0.65;
                let raw = vec![
                    pt(x1, ya),
                    pt(x1 + LOOP_OUT, ya),
                    pt(x1 + LOOP_OUT, yb),
                    pt(x1, yb),
                ];
                repair(&raw, &grid, &mut scratch)
            }
            (_, Some((interior, origin, fwd))) => {
                let (ra, rb) = if fwd {
                    (nodes[e.from], nodes[e.to])
                } else {
                    (nodes[e.to], nodes[e.from])
                };
                let mut line = Vec::with_capacity(interior.len() + 2);
                line.push(ra.center());
                line.extend(interior.iter().map(|q| pt(q.x + origin.x, q.y + origin.y)));
                line.push(rb.center());
                if matches!(src[ei], RouteSrc::Outer { .. }) && line.len() > 2 {
                    let (na, nb) = if fwd { (e.from, e.to) } else { (e.to, e.from) };
                    let last = line.len() - 2;
                    snap(&mut line[1], na);
                    snap(&mut line[last], nb);
                }
                let line = offset_polyline(&line, offset[ei], &ra, &rb, &grid, &mut scratch);
                let mut pts = clip_ends(&line, &ra, &rb);
                if !fwd {
                    pts.reverse();
                }
                repair(&pts, &grid, &mut scratch)
            }
            (_, None) => vec![pt(MARGIN, MARGIN), pt(MARGIN, MARGIN)],
        };
        paths.push(EdgePath {
            points: pts,
            label: None,
        });
    }
    paths
}

/// Shifts a polyline sideways by `off` (positive: to the right of its
/// direction). The ends move at most 30 % of their box's smaller side so
/// they stay inside the boxes.
fn offset_polyline(
    line: &[Point],
    off: f64,
    ra: &Rect,
    rb: &Rect,
    grid: &RectGrid,
    scratch: &mut Vec<usize>,
) -> Vec<Point> {
    if off == 0.0 || line.len() < 2 {
        return line.to_vec();
    }
    let m = line.len();
    let normal = |i: usize| -> Point {
        let (a, b) = (line[i], line[i + 1]);
        let len = dist(a, b);
        if len < 1e-9 {
            pt(0.0, 0.0)
        } else {
            pt(-(b.y - a.y) / len, (b.x - a.x) / len)
        }
    };
    let mut out = Vec::with_capacity(m);
    for (i, &p) in line.iter().enumerate() {
        let nrm = if i == 0 {
            normal(0)
        } else if i == m - 1 {
            normal(m - 2)
        } else {
            let (n1, n2) = (normal(i - 1), normal(i));
            let s = pt(n1.x + n2.x, n1.y + n2.y);
            let len = (s.x * s.x + s.y * s.y).sqrt();
            if len < 1e-9 {
                n1
            } else {
                // Keep the offset distance on both adjacent segments.
                let cos_half = (len / 2.0).max(0.5);
                pt(s.x / len / cos_half, s.y / len / cos_half)
            }
        };
        let mut o = off;
        if i == 0 {
            let cap = 0.3 * ra.w.min(ra.h);
            o = o.clamp(-cap, cap);
        } else if i == m - 1 {
            let cap = 0.3 * rb.w.min(rb.h);
            o = o.clamp(-cap, cap);
        }
        let q = pt(p.x + nrm.x * o, p.y + nrm.y * o);
        // An interior point pushed into a box (sharp turns next to a box)
        // stays where it was.
        let blocked = i > 0 && i < m - 1 && {
            grid.query(&rect(q.x, q.y, 0.0, 0.0), scratch);
            scratch
                .iter()
                .any(|&k| strictly_inside(&inflate(&grid.rects[k], 1.0), q))
        };
        out.push(if blocked { p } else { q });
    }
    out
}

/// Cuts a polyline running from inside `ra` to inside `rb` so it starts
/// where it last leaves `ra` and ends where it first enters `rb` after
/// that.
fn clip_ends(line: &[Point], ra: &Rect, rb: &Rect) -> Vec<Point> {
    let straight = || -> Vec<Point> {
        let (ca, cb) = (ra.center(), rb.center());
        let s = clip_interval(ca, cb, ra).map_or(ca, |(_, t1)| lerp(ca, cb, t1));
        let e = clip_interval(ca, cb, rb).map_or(cb, |(t0, _)| lerp(ca, cb, t0));
        vec![s, e]
    };
    // Start: the first segment whose end lies outside `ra`.
    let Some(i) = (0..line.len().saturating_sub(1)).find(|&i| !contains(ra, line[i + 1])) else {
        return straight();
    };
    let start = match clip_interval(line[i], line[i + 1], ra) {
        Some((_, t1)) => lerp(line[i], line[i + 1], t1),
        None => line[i],
    };
    let mut pts = vec![start];
    pts.extend_from_slice(&line[i + 1..]);
    // End: the first segment (from the start) that enters `rb`.
    let Some(j) = (0..pts.len() - 1).find(|&j| contains(rb, pts[j + 1])) else {
        return straight();
    };
    let end = match clip_interval(pts[j], pts[j + 1], rb) {
        Some((t0, _)) => lerp(pts[j], pts[j + 1], t0),
        None => pts[j + 1],
    };
    pts.truncate(j + 1);
    pts.push(end);
    if contains(rb, pts[0]) {
        return straight();
    }
    simplify(pts)
}

/// Drops repeated and collinear interior points (keeps at least two).
fn simplify(pts: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for p in pts {
        if let Some(last) = out.last() {
            if dist(*last, p) < 1e-6 {
                continue;
            }
        }
        if out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
            let dot = (b.x - a.x) * (p.x - b.x) + (b.y - a.y) * (p.y - b.y);
            if cross.abs() < 1e-6 * dist(a, p).max(1.0) && dot >= 0.0 {
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

/// Replaces every segment that crosses the interior of a node box (any box,
/// the path's own ends included: a path must not run back through them)
/// with a detour around the boxes.
fn repair(pts: &[Point], grid: &RectGrid, scratch: &mut Vec<usize>) -> Vec<Point> {
    let hits = |a: Point, b: Point, scratch: &mut Vec<usize>| -> bool {
        grid.query(&seg_bbox(a, b), scratch);
        scratch
            .iter()
            .any(|&i| seg_hits(a, b, &grid.rects[i], 1e-6))
    };
    if pts.len() < 2 || !pts.windows(2).any(|w| hits(w[0], w[1], scratch)) {
        return pts.to_vec();
    }
    let mut out: Vec<Point> = vec![pts[0]];
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if !hits(a, b, scratch) {
            out.push(b);
            continue;
        }
        let detour = route_around(a, b, grid, CLEAR).or_else(|| route_around(a, b, grid, 1.0));
        match detour {
            Some(p) => out.extend_from_slice(&p[1..]),
            None => out.push(b),
        }
    }
    simplify(out)
}

/// A* state ordered by smallest estimate first (ties: lowest vertex id).
#[derive(PartialEq)]
struct Open(f64, usize);

impl Eq for Open {}

impl PartialOrd for Open {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Open {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// Shortest path from `a` to `b` avoiding box interiors (kept `clear` px
/// away where the ends allow), through a visibility graph of the corners
/// of the boxes near the segment. The search window grows until a path is
/// found.
fn route_around(a: Point, b: Point, grid: &RectGrid, clear: f64) -> Option<Vec<Point>> {
    let mut margin = 60.0;
    let mut ids = Vec::new();
    for _ in 0..6 {
        let window = inflate(&seg_bbox(a, b), margin);
        grid.query(&window, &mut ids);
        // Obstacles: boxes with clearance, except that a box whose
        // clearance zone holds an end point (the path's own end boxes,
        // close neighbours) keeps its bare outline.
        let obst: Vec<Rect> = ids
            .iter()
            .map(|&i| {
                let r = grid.rects[i];
                let big = inflate(&r, clear);
                if contains(&big, a) || contains(&big, b) {
                    r
                } else {
                    big
                }
            })
            // A box the end itself is in cannot be avoided; ignore it rather
            // than fail (callers keep ends outside boxes).
            .filter(|r| r.overlaps(&window) && !strictly_inside(r, a) && !strictly_inside(r, b))
            .collect();
        let mut verts = vec![a, b];
        for o in &obst {
            let c = inflate(o, 1.0);
            for v in [
                pt(c.x, c.y),
                pt(c.x + c.w, c.y),
                pt(c.x, c.y + c.h),
                pt(c.x + c.w, c.y + c.h),
            ] {
                if contains(&window, v) && !obst.iter().any(|r| strictly_inside(r, v)) {
                    verts.push(v);
                }
            }
        }
        if let Some(p) = astar(&verts, &obst) {
            return Some(p);
        }
        margin *= 2.5;
    }
    None
}

/// A* over the visibility graph of `verts` (0 = start, 1 = goal).
fn astar(verts: &[Point], obst: &[Rect]) -> Option<Vec<Point>> {
    let nv = verts.len();
    let goal = verts[1];
    let visible = |i: usize, j: usize| -> bool {
        let (p, q) = (verts[i], verts[j]);
        !obst.iter().any(|r| seg_hits(p, q, r, 1e-6))
    };
    let mut g = vec![f64::INFINITY; nv];
    let mut parent = vec![usize::MAX; nv];
    let mut closed = vec![false; nv];
    let mut heap = BinaryHeap::new();
    g[0] = 0.0;
    heap.push(Open(dist(verts[0], goal), 0));
    while let Some(Open(_, u)) = heap.pop() {
        if closed[u] {
            continue;
        }
        if u == 1 {
            let mut path = vec![verts[1]];
            let mut v = 1;
            while parent[v] != usize::MAX {
                v = parent[v];
                path.push(verts[v]);
            }
            path.reverse();
            return Some(path);
        }
        closed[u] = true;
        for v in 0..nv {
            if closed[v] || v == u {
                continue;
            }
            let nd = g[u] + dist(verts[u], verts[v]);
            if nd + 1e-9 < g[v] && visible(u, v) {
                g[v] = nd;
                parent[v] = u;
                heap.push(Open(nd + dist(verts[v], goal), v));
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Edge labels.
// ---------------------------------------------------------------------------

/// Places every edge label: beside the path near its middle if possible,
/// else somewhere around the middle, else right of the drawing.
fn place_labels(d: &Diagram, l: &mut Layout, label_sizes: &[(f64, f64)], title_band: f64) {
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
    let mut right_edge = extent.w;
    let mut scratch = Vec::new();
    let mut pushed: Vec<Rect> = Vec::new();
    for (ei, path) in l.edges.iter_mut().enumerate() {
        let (w, h) = label_sizes[ei];
        if w <= 0.0 || h <= 0.0 || path.points.len() < 2 {
            continue;
        }
        let free = |c: Point, grid: &RectGrid, scratch: &mut Vec<usize>| -> Option<Rect> {
            let r = rect(c.x - w / 2.0, c.y - h / 2.0, w, h);
            if r.x < 1.0 || r.y < 1.0 || grid.overlaps_any(&r, scratch) {
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
        'search: for k in 0..13 {
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
                if let Some(r) = free(c, &grid, &mut scratch) {
                    found = Some(r);
                    break 'search;
                }
            }
        }
        if found.is_none() {
            let (mid, _) = at(0.5);
            'spiral: for ring in 1..=40 {
                let radius = 10.0 * ring as f64;
                let steps = 8 + ring * 2;
                for s in 0..steps {
                    let ang = std::f64::consts::TAU * s as f64 / steps as f64;
                    let c = pt(mid.x + radius * ang.cos(), mid.y + radius * ang.sin());
                    if let Some(r) = free(c, &grid, &mut scratch) {
                        found = Some(r);
                        break 'spiral;
                    }
                }
            }
        }
        let r = match found {
            Some(r) => r,
            None => {
                // Last resort: beyond the right edge of everything, at the
                // height of the edge's middle, stacked below other such
                // labels.
                let (mid, _) = at(0.5);
                let mut r = rect(
                    right_edge + 2.0 * LABEL_CLEAR,
                    (mid.y - h / 2.0).max(1.0),
                    w,
                    h,
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
        right_edge = right_edge.max(r.x + r.w);
        grid.insert(inflate(&r, LABEL_CLEAR / 2.0));
        path.label = Some(r);
    }
}

/// Sets width and height to cover everything (plus the margin), shifting
/// everything right/down first if anything ended up too close to 0.
fn finish_bounds(l: &mut Layout) {
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

// ---------------------------------------------------------------------------
// Invariants.
// ---------------------------------------------------------------------------

/// Checks a layout against the guarantees of [`layout()`] and returns one
/// message per violation (empty when all hold):
/// - one box per node, path per edge, frame per group; all numbers finite;
/// - node boxes are at least [`node_size`] and do not overlap;
/// - every path has ≥ 2 points, starts on the border of its source box,
///   ends on the border of its target box, and no segment crosses the
///   interior of any other node box;
/// - labelled edges have a label box of at least [`label_size`] that
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
        let want = label_size(&e.label);
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

#[cfg(test)]
mod tests {

    /// Two ranks of `k` vertices wired as a "twisted ladder" (i → k-1-i in
    /// the lower rank), so the identity order crosses every pair.
    fn twisted(k: usize) -> Layering {
        let chains: Vec<Vec<usize>> = (0..k).map(|i| vec![i, 2 * k - 1 - i]).collect();
        Layering {
            n: 2 * k,
            layers: vec![(0..k).collect(), (k..2 * k).collect()],
            vrank: (0..2 * k).map(|v| usize::from(v >= k)).collect(),
            flipped: vec![false; k],
            chains,
        }
    }

    fn crossings_of(l: &Layering) -> usize {
        let (_, vsucc) = l.adjacency();
        let mut pos = vec![0; l.num_vertices()];
        for layer in &l.layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
        count_crossings(&l.layers, &vsucc, &pos)
    }

    #[test]
    fn ordering_untwists_a_ladder_and_never_makes_an_order_worse() {
        let l = twisted(6);
        assert_eq!(crossings_of(&l), 15);
        let (best, _) = best_order(l);
        assert_eq!(crossings_of(&best), 0);
        // An order that is already crossing-free stays crossing-free.
        let (again, c) = best_order(best.clone());
        assert_eq!(c, 0);
        assert_eq!(crossings_of(&again), 0);
    }

    #[test]
    fn transpose_swaps_only_when_it_removes_crossings() {
        let mut l = twisted(2);
        let (vpred, vsucc) = l.adjacency();
        let mut pos = vec![0, 1, 0, 1];
        transpose(&mut l.layers, &mut pos, &vpred, &vsucc);
        assert_eq!(crossings_of(&l), 0);
        let before = l.layers.clone();
        transpose(&mut l.layers, &mut pos, &vpred, &vsucc);
        assert_eq!(l.layers, before);
    }

    #[test]
    fn weighted_median_follows_gansner() {
        assert_eq!(weighted_median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(weighted_median(&mut [1.0, 4.0]), 2.5);
        // Four positions: the middle two weighted towards the tighter side.
        let m = weighted_median(&mut [0.0, 1.0, 2.0, 10.0]);
        assert!(m > 1.0 && m < 1.5, "{m}");
    }
    use super::*;
    use crate::render::diagram::{Edge, Group, Node, Shape};

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

    const WORDS: [&str; 12] = [
        "Salesforce",
        "HubSpot",
        "Gong",
        "NetSuite",
        "Snowflake",
        "dbt",
        "Outreach",
        "Zuora",
        "Segment",
        "Clari",
        "Marketo",
        "Stripe",
    ];

    struct Spec {
        nodes: usize,
        edges: usize,
        groups: usize,
        flow: Flow,
        back_edges: usize,
        parallel: usize,
        seed: u64,
    }

    fn node(i: usize, rng: &mut Rng, groups: usize) -> Node {
        let shape = match i % 7 {
            3 => Shape::Table,
            5 => Shape::Cylinder,
            6 => Shape::Pill,
            _ => Shape::Rounded,
        };
        let label = if i == 2 {
            // A 60-character label.
            "Customer revenue operations master data management platforms".to_string()
        } else {
            format!("{} {}", WORDS[rng.below(WORDS.len())], i)
        };
        let lines = if shape == Shape::Table {
            (0..rng.below(4))
                .map(|k| format!("attribute_{k}"))
                .collect()
        } else {
            Vec::new()
        };
        Node {
            key: format!("n{i}"),
            label,
            sublabel: (i % 2 == 0).then(|| "SaaS · CRM".to_string()),
            lines,
            shape,
            color: i % 5,
            marks: vec![],
            group: if groups > 0 && i % 5 != 4 {
                Some((i / 3) % groups)
            } else {
                None
            },
            tooltip: String::new(),
        }
    }

    fn generate(s: &Spec) -> Diagram {
        let mut rng = Rng(s.seed);
        let nodes: Vec<Node> = (0..s.nodes).map(|i| node(i, &mut rng, s.groups)).collect();
        let mut edges: Vec<Edge> = Vec::new();
        let push = |from: usize, to: usize, rng: &mut Rng, edges: &mut Vec<Edge>| {
            let k = edges.len();
            let label = match k % 3 {
                0 => vec![format!("{} sync", WORDS[rng.below(WORDS.len())])],
                1 => vec![],
                _ => vec!["REST".to_string(), "nightly batch".to_string()],
            };
            edges.push(Edge {
                key: format!("e{k}"),
                from,
                to,
                label,
                both_ways: k % 11 == 0,
                marks: vec![],
                tooltip: String::new(),
            });
        };
        if s.nodes >= 2 {
            // Mostly forward edges between nearby indices (a layered
            // structure), some long ones.
            for _ in 0..s.edges {
                let a = rng.below(s.nodes - 1);
                let long = rng.below(5) == 0;
                let room = s.nodes - 1 - a;
                let span = 1 + rng.below(if long { room } else { room.min(6) });
                push(a, (a + span).min(s.nodes - 1), &mut rng, &mut edges);
            }
            for _ in 0..s.back_edges {
                let a = 1 + rng.below(s.nodes - 1);
                let b = rng.below(a);
                push(a, b, &mut rng, &mut edges);
            }
            for k in 0..s.parallel.min(edges.len()) {
                let (f, t) = (
                    edges[k * 2 % edges.len()].from,
                    edges[k * 2 % edges.len()].to,
                );
                // One parallel copy and one in the opposite direction.
                push(f, t, &mut rng, &mut edges);
                push(t, f, &mut rng, &mut edges);
            }
        }
        Diagram {
            view: "test".into(),
            title: "Test".into(),
            footer: String::new(),
            flow: s.flow,
            nodes,
            edges,
            groups: (0..s.groups)
                .map(|g| Group {
                    key: format!("g{g}"),
                    label: format!("Team {g}"),
                    color: g,
                })
                .collect(),
            legend: vec![],
            empty_note: None,
            caption: None,
        }
    }

    fn assert_good(d: &Diagram, l: &Layout) {
        let v = check_invariants(d, l);
        assert!(
            v.is_empty(),
            "{} violations, first: {:#?}",
            v.len(),
            &v[..v.len().min(10)]
        );
    }

    fn run(s: &Spec) {
        let d = generate(s);
        let l = layout(&d);
        assert_good(&d, &l);
        assert_eq!(l, layout(&d), "layout is not deterministic");
        let own = layout_with(&d, 0);
        assert_good(&d, &own);
    }

    fn spec(nodes: usize, edges: usize, groups: usize, flow: Flow) -> Spec {
        Spec {
            nodes,
            edges,
            groups,
            flow,
            back_edges: 0,
            parallel: 0,
            seed: 7,
        }
    }

    #[test]
    fn small_top_down() {
        run(&spec(8, 10, 0, Flow::TopDown));
    }

    #[test]
    fn small_left_right() {
        run(&spec(8, 10, 0, Flow::LeftRight));
    }

    #[test]
    fn medium_with_groups_both_flows() {
        run(&spec(40, 70, 4, Flow::TopDown));
        run(&Spec {
            seed: 11,
            ..spec(40, 70, 4, Flow::LeftRight)
        });
    }

    #[test]
    fn medium_without_groups() {
        run(&spec(50, 90, 0, Flow::LeftRight));
    }

    #[test]
    fn cycles_parallel_and_bidirectional() {
        for flow in [Flow::TopDown, Flow::LeftRight] {
            for groups in [0, 3] {
                run(&Spec {
                    back_edges: 6,
                    parallel: 5,
                    seed: 3,
                    ..spec(24, 36, groups, flow)
                });
            }
        }
    }

    #[test]
    fn long_label_is_wrapped_and_fits() {
        let d = generate(&spec(6, 6, 0, Flow::TopDown));
        assert!(d.nodes[2].label.chars().count() == 60);
        let l = layout(&d);
        assert_good(&d, &l);
        let (w, _) = node_size(&d.nodes[2]);
        assert!(w < 360.0, "a 60-character label should wrap, got width {w}");
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let mut d = generate(&spec(0, 0, 0, Flow::TopDown));
        let l = layout(&d);
        assert_good(&d, &l);
        assert!(l.width > 0.0 && l.height > 0.0);

        d = generate(&spec(1, 0, 2, Flow::TopDown));
        assert_good(&d, &layout(&d));

        // Isolated nodes only, empty groups, a self-loop.
        d = generate(&spec(12, 0, 5, Flow::LeftRight));
        d.edges.push(Edge {
            key: "loop".into(),
            from: 3,
            to: 3,
            label: vec!["retry".into()],
            both_ways: false,
            marks: vec![],
            tooltip: String::new(),
        });
        assert_good(&d, &layout(&d));

        // Out-of-range indices: no panic, reported by the checker.
        d.edges.push(Edge {
            key: "bad".into(),
            from: 0,
            to: 99,
            label: vec![],
            both_ways: false,
            marks: vec![],
            tooltip: String::new(),
        });
        d.nodes[0].group = Some(42);
        let l = layout(&d);
        assert_eq!(l.edges.len(), d.edges.len());
        assert_eq!(check_invariants(&d, &l).len(), 1);
    }

    #[test]
    fn layout_rs_layering_is_read_back_and_predicted() {
        // A small DAG with long edges and a node that sinks.
        let n = 9;
        let dag = vec![
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (0, 4),
            (5, 4),
            (1, 6),
            (6, 7),
            (0, 8),
            (8, 7),
            (2, 7),
        ];
        let topo = topo_order(n, &dag);
        let Some(l) = layout_rs_layering(n, &dag, &topo) else {
            panic!("layout-rs failed on a small DAG");
        };
        assert_eq!(l.chains.len(), dag.len());
        assert!(l.num_vertices() > n, "long edges get dummies");
        for (chain, &(a, b)) in l.chains.iter().zip(&dag) {
            assert_eq!((chain[0], chain[chain.len() - 1]), (a, b));
        }
        // Our prediction of its ranks (used for the budget) is exact.
        let predicted = sunk_ranks(n, &dag, longest_path_ranks(n, &dag, &topo));
        let mut levels = predicted.clone();
        levels.sort_unstable();
        levels.dedup();
        let dense: Vec<usize> = predicted
            .iter()
            .map(|r| levels.iter().position(|x| x == r).unwrap_or(usize::MAX))
            .collect();
        assert_eq!(dense, l.vrank[..n].to_vec());
        // Source 5 sank next to its successor.
        assert_eq!(l.vrank[5] + 1, l.vrank[4]);
    }

    #[test]
    fn guard_swallows_panics_quietly() {
        let r: Option<()> = guarded(|| panic!("inside layout-rs"));
        assert!(r.is_none());
        assert_eq!(guarded(|| 5), Some(5));
    }

    #[test]
    fn checker_finds_violations() {
        let d = generate(&spec(6, 6, 2, Flow::TopDown));
        let mut l = layout(&d);
        l.nodes[1] = l.nodes[0];
        l.edges[0].points[0].x += 1000.0;
        let v = check_invariants(&d, &l);
        assert!(v.iter().any(|m| m.contains("overlap")), "{v:?}");
        assert!(
            v.iter()
                .any(|m| m.contains("start on the border") || m.contains("outside")),
            "{v:?}"
        );
    }

    #[test]
    fn router_goes_around_boxes() {
        let mut grid = RectGrid::new(rect(0.0, 0.0, 400.0, 400.0), 4);
        grid.insert(rect(100.0, 100.0, 200.0, 200.0));
        let a = pt(50.0, 200.0);
        let b = pt(350.0, 200.0);
        let p = route_around(a, b, &grid, CLEAR).unwrap_or_default();
        assert!(p.len() >= 3);
        for w in p.windows(2) {
            assert!(!seg_hits(w[0], w[1], &grid.rects[0], 1e-6));
        }
    }

    #[test]
    fn isotonic_keeps_gaps() {
        let x = isotonic_with_gaps(&[10.0, 0.0, 5.0], &[1.0, 1.0, 1.0], &[20.0, 20.0]);
        assert!(x[1] - x[0] >= 20.0 - 1e-9 && x[2] - x[1] >= 20.0 - 1e-9);
    }
}
