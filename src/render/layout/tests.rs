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
        sublabel: i.is_multiple_of(2).then(|| "SaaS · CRM".to_string()),
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
            both_ways: k.is_multiple_of(11),
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
        lanes: None,
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
    let own = layout_with(&d, 0, Params::natural(&d));
    assert_good(&d, &own);
    // Known gap: on the 40-node, 70-edge diagrams with groups a few edges'
    // searches fail and keep their layered routes, so these generated
    // diagrams are not held to `ortho_invariants` yet (the small ones of
    // the tests below and of tests/properties.rs are).
    // Every candidate the fitting tries keeps the promises on its own.
    for flow in [Flow::TopDown, Flow::LeftRight] {
        for (grid, frames) in [(false, false), (true, false), (true, true)] {
            for (ortho, cross) in [(false, ortho::CROSS_COST)]
                .into_iter()
                .chain(ortho::CROSS_COSTS.map(|c| (true, c)))
            {
                let p = Params {
                    flow,
                    inner_flow: Flow::LeftRight,
                    aspect: 1.9,
                    grid,
                    gap: 0.6,
                    untangle: if grid { Untangle::Local } else { Untangle::No },
                    tags: grid,
                    ortho,
                    cross,
                    frames,
                };
                assert_good(&d, &layout_with(&d, LAYOUT_RS_BUDGET, p));
            }
        }
    }
    for fit in [Fit::None, Fit::A4] {
        assert_good(&d, &layout_fit(&d, fit));
    }
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
fn guard_catches_panics_and_flags_its_thread_without_touching_the_hook() {
    assert!(!in_guarded_call());
    let r: Option<()> = guarded(|| {
        assert!(in_guarded_call());
        panic!("inside layout-rs")
    });
    assert!(r.is_none());
    assert!(!in_guarded_call(), "the flag is cleared after a panic");
    assert_eq!(guarded(|| guarded(in_guarded_call)), Some(Some(true)));
    assert!(!in_guarded_call(), "and after nested calls");
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

#[test]
fn parallel_and_two_way_edges_get_ports_of_their_own() {
    let mut d = generate(&spec(2, 0, 0, Flow::LeftRight));
    let edge = |k: usize, from: usize, to: usize, both_ways: bool| Edge {
        key: format!("p{k}"),
        from,
        to,
        label: vec![format!("flow {k}")],
        both_ways,
        marks: vec![],
        tooltip: String::new(),
    };
    d.edges = vec![
        edge(0, 0, 1, false),
        edge(1, 0, 1, false),
        edge(2, 1, 0, true),
        edge(3, 0, 1, true),
    ];
    let l = layout(&d);
    assert_good(&d, &l);
    let v = ortho_invariants(&d, &l);
    assert!(v.is_empty(), "{v:#?}");
    // Every end on a point of its own: no two arrowheads on one spot.
    let mut ends: Vec<(i64, i64)> = l
        .edges
        .iter()
        .flat_map(|e| [e.points[0], e.points[e.points.len() - 1]])
        .map(|p| ((p.x * 10.0).round() as i64, (p.y * 10.0).round() as i64))
        .collect();
    ends.sort_unstable();
    ends.dedup();
    assert_eq!(ends.len(), 8, "{:?}", l.edges);
}

#[test]
fn orthogonal_routes_go_around_a_box_in_the_way() {
    let mut d = generate(&spec(3, 0, 0, Flow::TopDown));
    d.edges = vec![Edge {
        key: "e".into(),
        from: 0,
        to: 2,
        label: vec![],
        both_ways: false,
        marks: vec![],
        tooltip: String::new(),
    }];
    // Three boxes in a row, the edge from the first to the last.
    let mut nodes: Vec<Rect> = (0..3)
        .map(|i| rect(100.0 + 300.0 * i as f64, 100.0, 200.0, 60.0))
        .collect();
    nodes[1].h = 200.0;
    nodes[1].y = 30.0;
    let mut paths = vec![EdgePath {
        points: vec![pt(300.0, 130.0), pt(700.0, 130.0)],
        label: None,
        tag: None,
    }];
    ortho::route_orthogonal(&d, &nodes, &[], &mut paths, ortho::CROSS_COST);
    let pts = &paths[0].points;
    assert!(pts.len() >= 4, "{pts:?}");
    for w in pts.windows(2) {
        assert!(w[0].x == w[1].x || w[0].y == w[1].y, "{pts:?}");
        assert!(!seg_hits(w[0], w[1], &nodes[1], 1e-3), "{pts:?}");
    }
}

#[test]
fn a_drawing_over_the_routing_budget_keeps_its_layered_routes() {
    // Two boxes with a third in the way: routing needs a detour, so a tiny
    // budget runs out; then no edge is half-routed, all keep `old`.
    let mut d = generate(&spec(3, 0, 0, Flow::TopDown));
    let edge = |key: &str, from: usize, to: usize| Edge {
        key: key.into(),
        from,
        to,
        label: vec![],
        both_ways: false,
        marks: vec![],
        tooltip: String::new(),
    };
    d.edges = vec![edge("a", 0, 1), edge("b", 0, 2)];
    let mut nodes: Vec<Rect> = (0..3)
        .map(|i| rect(100.0 + 300.0 * i as f64, 100.0, 200.0, 60.0))
        .collect();
    nodes[1].h = 200.0;
    nodes[1].y = 30.0;
    let old = vec![
        EdgePath {
            points: vec![pt(300.0, 130.0), pt(400.0, 130.0)],
            label: None,
            tag: None,
        },
        EdgePath {
            points: vec![pt(300.0, 130.0), pt(700.0, 130.0)],
            label: None,
            tag: None,
        },
    ];
    let mut paths = old.clone();
    ortho::route_orthogonal_within(&d, &nodes, &[], &mut paths, ortho::CROSS_COST, 5);
    assert_eq!(paths, old);
    // the same drawing within the normal budget is routed
    ortho::route_orthogonal(&d, &nodes, &[], &mut paths, ortho::CROSS_COST);
    assert_ne!(paths[1], old[1]);
    assert!(paths[1].points.len() >= 4, "{:?}", paths[1]);
}

/// Pairs of edge ends on one box closer than `gap`, one of them with an
/// arrowhead (self-loops aside).
fn end_clashes(d: &Diagram, l: &Layout, gap: f64) -> Vec<String> {
    let mut ends: Vec<(usize, Point, bool, &str)> = Vec::new();
    for (e, p) in d.edges.iter().zip(&l.edges) {
        if e.from == e.to || p.points.len() < 2 {
            continue;
        }
        let m = p.points.len();
        ends.push((e.from, p.points[0], e.both_ways, &e.key));
        ends.push((e.to, p.points[m - 1], true, &e.key));
    }
    let mut v = Vec::new();
    for (i, a) in ends.iter().enumerate() {
        for b in &ends[i + 1..] {
            if a.0 == b.0 && (a.2 || b.2) && dist(a.1, b.1) < gap {
                v.push(format!("{} and {} meet at {:?}", a.3, b.3, a.1));
            }
        }
    }
    v
}

#[test]
fn straight_routes_spread_their_ends() {
    // small diagrams with two-way pairs, drawn with straight (layered)
    // routes: no arrowhead lands on another edge's end
    for seed in 1..=12 {
        for flow in [Flow::TopDown, Flow::LeftRight] {
            let d = generate(&Spec {
                back_edges: 3,
                parallel: 3,
                seed,
                ..spec(8, 10, 0, flow)
            });
            for grid in [false, true] {
                let p = Params {
                    ortho: false,
                    grid,
                    untangle: if grid { Untangle::Local } else { Untangle::No },
                    ..Params::natural(&d)
                };
                let l = layout_with(&d, LAYOUT_RS_BUDGET, p);
                let v = end_clashes(&d, &l, 1.0);
                assert!(v.is_empty(), "seed {seed} {flow:?} grid {grid}: {v:?}");
            }
        }
    }
}
