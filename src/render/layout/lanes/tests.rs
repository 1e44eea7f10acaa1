//! Tests of the swimlane layout.

use super::grid::columns_of;
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
fn diagram(lanes: usize, columns: usize, cells: &[(usize, usize)], edges: Vec<Edge>) -> Diagram {
    Diagram {
        view: "ov-5b".into(),
        title: "t".into(),
        footer: "f".into(),
        flow: Flow::LeftRight,
        nodes: cells
            .iter()
            .enumerate()
            .map(|(i, &(l, _))| node(&format!("n{i}"), &format!("Activity number {i}"), Some(l)))
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

#[test]
fn the_least_lanes_height_is_a_true_bound_and_a_close_one() {
    let one_stage = |lanes: usize| {
        let cells: Vec<(usize, usize)> = (0..lanes).map(|l| (l, 0)).collect();
        diagram(lanes, 1, &cells, vec![])
    };
    let lanes_height = |l: &Layout| l.groups.iter().map(|r| r.h).sum::<f64>();
    for d in [journey(), one_stage(6)] {
        for fit in [Fit::Slide, Fit::A4, Fit::None] {
            let l = super::super::layout_fit(&d, fit);
            let (least, drawn) = (least_lanes_height(&d), lanes_height(&l));
            assert!(least <= drawn + 1e-6, "{least} > {drawn} ({fit:?})");
        }
    }
    // one box per lane, one stage: the lanes are about as high as the bound
    let d = one_stage(6);
    let drawn = lanes_height(&super::super::layout_fit(&d, Fit::Slide));
    assert!(least_lanes_height(&d) >= 0.8 * drawn);
    // the legibility split's cheap test: a stage done by twenty performers
    // cannot be legible on a slide, whatever its width; near miss: four
    use crate::render::page::surely_illegible;
    assert!(surely_illegible(&one_stage(20), Fit::Slide));
    assert!(!surely_illegible(&one_stage(4), Fit::Slide));
}
