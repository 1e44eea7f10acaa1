use super::*;
use crate::render::layout::{check_invariants, layout};

fn seg(key: &str) -> Seg {
    Seg {
        key: key.to_string(),
        label: key.to_uppercase(),
    }
}

/// Nodes `(key, path)`, edges `(from key, to key)`.
fn diagram(nodes: &[(&str, &[&str])], edges: &[(&str, &str)]) -> (Diagram, Vec<Vec<Seg>>) {
    let idx = |k: &str| nodes.iter().position(|(n, _)| *n == k).unwrap();
    let d = Diagram {
        view: "sv-2".into(),
        title: "SV-2 Systems resource flows".into(),
        footer: "test".into(),
        flow: Flow::LeftRight,
        nodes: nodes
            .iter()
            .map(|(k, _)| Node {
                key: format!("sys-{k}"),
                label: k.to_string(),
                sublabel: None,
                lines: Vec::new(),
                shape: Shape::Rounded,
                color: 0,
                marks: if k.ends_with('!') {
                    vec![Mark::FindingWarning]
                } else {
                    Vec::new()
                },
                group: None,
                tooltip: String::new(),
            })
            .collect(),
        edges: edges
            .iter()
            .map(|(a, b)| Edge {
                key: format!("int-{a}-{b}"),
                from: idx(a),
                to: idx(b),
                label: vec![format!("{a}→{b}")],
                both_ways: false,
                marks: Vec::new(),
                tooltip: String::new(),
            })
            .collect(),
        groups: Vec::new(),
        legend: Vec::new(),
        empty_note: None,
        lanes: None,
        caption: None,
    };
    let paths = nodes
        .iter()
        .map(|(_, p)| p.iter().map(|s| seg(s)).collect())
        .collect();
    (d, paths)
}

fn words() -> Words {
    Words::of(&View::Sv2)
}

/// Three teams (a: 4, b: 3, c: 2) and one unowned system.
fn teams() -> (Diagram, Vec<Vec<Seg>>) {
    diagram(
        &[
            ("a1", &["a"]),
            ("b1", &["b"]),
            ("a2", &["a"]),
            ("a3!", &["a"]),
            ("b2", &["b"]),
            ("c1", &["c"]),
            ("a4", &["a"]),
            ("x", &[]),
            ("b3", &["b"]),
            ("c2", &["c"]),
        ],
        &[
            ("a1", "a2"),
            ("a2", "a3!"),
            ("a1", "b1"),
            ("a2", "b2"),
            ("b3", "a4"),
            ("b1", "b2"),
            ("c1", "a1"),
            ("c1", "c2"),
            ("x", "c2"),
            ("a4", "c2"),
        ],
    )
}

/// The original node keys drawn in a drawing (boundary and group nodes left out).
fn members(d: &Diagram) -> Vec<String> {
    d.nodes
        .iter()
        .filter(|n| n.key.starts_with("sys-"))
        .map(|n| n.key.clone())
        .collect()
}

fn leading_count(label: &str) -> usize {
    label
        .split_whitespace()
        .next()
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("no count in {label:?}"))
}

#[test]
fn small_views_and_zero_stay_whole() {
    let (d, p) = teams();
    assert!(split(&d, &p, words(), 10).is_none());
    assert!(split(&d, &p, words(), 0).is_none());
    assert!(split(&d, &p, words(), 9).is_some());
}

#[test]
fn every_node_is_in_exactly_one_group_drawing() {
    let (d, p) = teams();
    let s = split(&d, &p, words(), 4).unwrap();
    let mut seen: Vec<String> = s
        .parts
        .iter()
        .filter(|p| !p.is_overview)
        .flat_map(|p| members(&p.diagram))
        .collect();
    seen.sort();
    let mut all: Vec<String> = d.nodes.iter().map(|n| n.key.clone()).collect();
    all.sort();
    assert_eq!(seen, all);
    // groups sorted by name, unowned last; a has 4 = max, so it stays whole
    let slugs: Vec<&str> = s.parts.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["a", "b", "c", "unowned"]);
    assert_eq!(s.groups, 4);
    assert_eq!(s.parts[0].nodes, 4);
    assert_eq!(s.parts[0].edges_inside, 2);
    assert!(s.parts[3].label == "Unowned");
}

#[test]
fn overview_counts_every_edge_between_groups() {
    let (d, p) = teams();
    let s = split(&d, &p, words(), 4).unwrap();
    let o = &s.overview;
    assert_eq!(o.nodes.len(), 4);
    // cross-group edges: a1-b1, a2-b2, b3-a4, c1-a1, x-c2, a4-c2 = 6
    let total: usize = o.edges.iter().map(|e| leading_count(&e.label[0])).sum();
    assert_eq!(total, 6);
    // a–b has three, in both directions
    let ab = o
        .edges
        .iter()
        .find(|e| e.key == "agg-grp-a-grp-b")
        .expect("a–b edge");
    assert_eq!(ab.label, ["3 integrations"]);
    assert!(ab.both_ways);
    // inside counts and the finding badge on a
    assert_eq!(
        o.nodes[0].sublabel.as_deref(),
        Some("4 systems · 2 integrations inside")
    );
    assert_eq!(o.nodes[0].marks, [Mark::FindingWarning]);
    assert_eq!(o.nodes[0].lines, ["1 system with findings"]);
    assert!(o.nodes[1].marks.is_empty());
    assert!(o
        .title
        .contains("overview by owning team (10 systems in 4 groups"));
    assert!(s.explanation.contains("10 systems, more than the 4"));
}

#[test]
fn edges_leaving_a_group_end_at_one_boundary_node_per_other_group() {
    let (d, p) = teams();
    let s = split(&d, &p, words(), 4).unwrap();
    let a = &s.parts[0].diagram;
    let boundary: Vec<&str> = a
        .nodes
        .iter()
        .filter(|n| n.key.starts_with("out-"))
        .map(|n| n.label.as_str())
        .collect();
    assert_eq!(boundary, ["→ B (3)", "→ C (2)"]);
    // every edge touching a is drawn: 2 inside + 5 to boundary nodes (one per member and group)
    assert_eq!(a.edges.len(), 2 + 5);
    let inside = a
        .edges
        .iter()
        .filter(|e| {
            !a.nodes[e.to].key.starts_with("out-") && !a.nodes[e.from].key.starts_with("out-")
        })
        .count();
    assert_eq!(inside, 2);
    // a single leaving edge keeps its label and direction (b3 → a4 comes in)
    let b3a4 = a.edges.iter().find(|e| e.key == "int-b3-a4--out").unwrap();
    assert_eq!(b3a4.label, ["b3→a4"]);
    assert!(a.nodes[b3a4.from].key.starts_with("out-"));
    // the unowned group's only edge goes to c
    let x = &s.parts[3].diagram;
    assert_eq!(x.nodes.len(), 2);
    assert_eq!(x.nodes[1].label, "→ C (1)");
}

#[test]
fn a_written_boundary_puts_leaving_edges_under_their_systems() {
    let (mut d, p) = teams();
    // a4 → c2 carries a finding: it stays drawn
    let flagged = d.edges.iter().position(|e| e.key == "int-a4-c2").unwrap();
    d.edges[flagged].marks = vec![Mark::FindingInfo];
    let s = split(&d, &p, words(), 4).unwrap();
    let drawn = &s.parts[0].diagram;
    let w = s.parts[0]
        .written
        .as_ref()
        .expect("a has a boundary to write");
    let lines = |k: &str| w.nodes.iter().find(|n| n.key == k).unwrap().lines.clone();
    // a1 → b1 leaves, c1 → a1 comes in
    assert_eq!(lines("sys-a1"), ["→ B (1) · ← C (1)"]);
    assert_eq!(lines("sys-a2"), ["→ B (1)"]);
    assert!(lines("sys-a3!").is_empty());
    // near miss: a4's flagged edge is not written but drawn, to a boundary
    // node of its own
    assert_eq!(lines("sys-a4"), ["← B (1)"]);
    let boundary: Vec<&str> = w
        .nodes
        .iter()
        .filter(|n| n.key.starts_with("out-"))
        .map(|n| n.label.as_str())
        .collect();
    assert_eq!(boundary, ["→ C (1)"]);
    assert_eq!(w.edges.len(), 2 + 1);
    assert!(w.edges.iter().any(|e| e.key == "int-a4-c2--out"));
    assert!(w.legend.iter().any(|l| l
        .text
        .starts_with("→ Group (3) under a name: 3 integrations")));
    assert!(w.nodes[0]
        .tooltip
        .contains("integrations with other groups: → B (1), ← C (1)"));
    // the same drawing otherwise, and the drawn one keeps every boundary edge
    assert_eq!((&w.title, &w.view), (&drawn.title, &drawn.view));
    assert_eq!(drawn.edges.len(), 2 + 5);
    assert!(drawn.nodes.iter().all(|n| n.lines.is_empty()));
    // a group with nothing leaving has nothing to write
    let (d, p) = diagram(
        &[
            ("a1", &["a"]),
            ("a2", &["a"]),
            ("b1", &["b"]),
            ("b2", &["b"]),
        ],
        &[("a1", "a2"), ("b1", "b2")],
    );
    let s = split(&d, &p, words(), 2).unwrap();
    assert!(s.parts.iter().all(|p| p.written.is_none()));
}

#[test]
fn written_lines_are_filled_to_a_width() {
    let items: Vec<String> = [
        "→ Marketing (2)",
        "← Product (1)",
        "↔ Sales (12)",
        "→ A very long group name indeed (1)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(
        fill_lines(&items, 34),
        [
            "→ Marketing (2) · ← Product (1)",
            "↔ Sales (12)",
            "→ A very long group name indeed (1)"
        ]
    );
    assert_eq!(fill_lines(&items[..1], 34), ["→ Marketing (2)"]);
    assert!(fill_lines(&[], 34).is_empty());
}

#[test]
fn splitting_is_deterministic() {
    let (d, p) = teams();
    assert_eq!(split(&d, &p, words(), 4), split(&d, &p, words(), 4));
    assert_eq!(split(&d, &p, words(), 2), split(&d, &p, words(), 2));
}

#[test]
fn a_group_above_the_threshold_is_split_by_sub_team_or_cut_into_parts() {
    // team s with sub-teams s1 (3), s2 (2) and 1 of its own; team m with 5 and no sub-teams
    let (d, p) = diagram(
        &[
            ("s1a", &["s", "s1"]),
            ("s1b", &["s", "s1"]),
            ("s1c", &["s", "s1"]),
            ("s2a", &["s", "s2"]),
            ("s2b", &["s", "s2"]),
            ("s0", &["s"]),
            ("m1", &["m"]),
            ("m2", &["m"]),
            ("m3", &["m"]),
            ("m4", &["m"]),
            ("m5", &["m"]),
        ],
        &[("s1a", "s2a"), ("s1b", "m1"), ("m1", "m5"), ("s0", "s1c")],
    );
    let s = split(&d, &p, words(), 3).unwrap();
    let slugs: Vec<&str> = s.parts.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(
        slugs,
        ["m", "m--part-1", "m--part-2", "s", "s--s1", "s--part-1"]
    );
    // m has no finer grouping: two parts, and the footer says so
    let m1 = &s.parts[1];
    assert_eq!(m1.label, "M › M part 1 of 2");
    assert!(m1.diagram.footer.contains("cut into parts in view order"));
    // s: s1 alone fills a drawing; s2 and s itself share one, each in a frame
    let packed = &s.parts[5].diagram;
    let frames: Vec<&str> = packed.groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(frames, ["S2", "S itself"]);
    assert!(packed
        .nodes
        .iter()
        .filter(|n| n.key.starts_with("sys-"))
        .all(|n| n.group.is_some()));
    // the sub-overview of s: its two drawings, plus m outside
    let sub = &s.parts[3];
    assert!(sub.is_overview);
    let labels: Vec<&str> = sub.diagram.nodes.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(labels, ["S1", "S2, S itself", "→ M (1)"]);
    // the edge s1a → s2a crosses from s1 to the packed drawing inside s
    let s1 = &s.parts[4].diagram;
    assert!(s1.nodes.iter().any(|n| n.label == "→ S › S2, S itself (2)"));
    // every node once
    let mut seen: Vec<String> = s
        .parts
        .iter()
        .filter(|p| !p.is_overview)
        .flat_map(|p| members(&p.diagram))
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), d.nodes.len());
    assert!(s.parts.iter().all(|p| p.nodes <= 3 || p.is_overview));
}

#[test]
fn many_small_groups_in_the_overview_are_packed() {
    // 9 teams of one: more groups than max 4
    let nodes: Vec<(String, Vec<String>)> = (0..9)
        .map(|i| (format!("n{i}"), vec![format!("t{i}")]))
        .collect();
    let refs: Vec<(&str, Vec<&str>)> = nodes
        .iter()
        .map(|(k, p)| (k.as_str(), p.iter().map(String::as_str).collect()))
        .collect();
    let refs: Vec<(&str, &[&str])> = refs.iter().map(|(k, p)| (*k, p.as_slice())).collect();
    let (d, p) = diagram(&refs, &[("n0", "n8")]);
    let s = split(&d, &p, words(), 4).unwrap();
    assert!(s.overview.nodes.len() <= 4, "{:?}", s.overview.nodes);
    assert!(s.parts.iter().all(|p| p.nodes <= 4));
}

#[test]
fn split_drawings_keep_layout_invariants() {
    let (d, p) = teams();
    for max in [2, 3, 4] {
        let s = split(&d, &p, words(), max).unwrap();
        for dg in std::iter::once(&s.overview).chain(s.parts.iter().map(|p| &p.diagram)) {
            let v = check_invariants(dg, &layout(dg));
            assert!(v.is_empty(), "{}: {v:?}", dg.title);
        }
    }
}

#[test]
fn slugs_are_file_safe() {
    assert_eq!(slugify("Sales.EMEA"), "sales-emea");
    assert_eq!(slugify("../../etc"), "etc");
    assert_eq!(slugify("…"), "group");
    assert_eq!(slugify("a__b--c"), "a__b-c");
    assert_eq!(slugify(&"Sales ".repeat(2_000)).len(), 59);
    assert_eq!(thousands(3000), "3,000");
    assert_eq!(thousands(120), "120");
    assert_eq!(thousands(1234567), "1,234,567");
}

#[test]
fn reference_paths_follow_the_owner_line() {
    let loaded = crate::model::load::load(&crate::model::load::ModelSource::Bundled);
    let g = crate::graph::Graph::build(&loaded.model);
    let opts = crate::render::views::ViewOptions {
        state: crate::model::State::ToBe,
        findings: None,
        flow: None,
    };
    let d = crate::render::views::build(&View::Sv2, &g, &opts).unwrap();
    let paths = group_paths(&g, &d);
    assert_eq!(paths.len(), d.nodes.len());
    for (n, p) in d.nodes.iter().zip(&paths) {
        let id = n.key.strip_prefix("sys-").unwrap();
        let owner = g
            .node(id)
            .and_then(|s| g.inc(s, EdgeKind::Owns).next())
            .map(|o| g.entity(o).id().as_str().to_string());
        assert_eq!(p.last().map(|s| s.key.clone()), owner, "{}", n.key);
    }
}

#[test]
fn boundary_tooltips_agree_with_their_count() {
    let (d, p) = teams();
    let s = split(&d, &p, Words::of(&View::Ov2), 4).unwrap();
    let tooltip = |part: usize, label: &str| {
        s.parts[part]
            .diagram
            .nodes
            .iter()
            .find(|n| n.label == label)
            .map(|n| n.tooltip.clone())
            .unwrap_or_else(|| panic!("no boundary node {label}"))
    };
    // the unowned group's only needline, and team a's three to b
    assert_eq!(
        tooltip(3, "→ C (1)"),
        "1 needline of this group goes to C, drawn separately"
    );
    assert_eq!(
        tooltip(0, "→ B (3)"),
        "3 needlines of this group go to B, drawn separately"
    );
    assert_eq!(
        tooltip(0, "→ C (2)"),
        "2 needlines of this group go to C, drawn separately"
    );
}

#[test]
fn a_part_of_a_swimlane_view_is_a_swimlane_diagram() {
    let loaded = crate::model::load::load(&crate::model::load::ModelSource::Bundled);
    let g = crate::graph::Graph::build(&loaded.model);
    let opts = crate::render::views::ViewOptions {
        state: crate::model::State::ToBe,
        findings: None,
        flow: None,
    };
    let d = crate::render::views::build(&View::Ov5b, &g, &opts).unwrap();
    let full = d.lanes.clone().unwrap();
    let column_of = |key: &str| {
        let i = d.nodes.iter().position(|n| n.key == key).unwrap();
        full.columns[full.column[i].unwrap()].clone()
    };
    let lane_rank = |key: &str| d.groups.iter().position(|g| g.key == key);
    let s = split(&d, &group_paths(&g, &d), Words::of(&View::Ov5b), 5).unwrap();
    assert!(s.overview.lanes.is_none());
    let mut leaves = 0;
    let mut last_stage = None;
    let mut cover = BTreeSet::new();
    for p in s.parts.iter().filter(|p| !p.is_overview) {
        leaves += 1;
        let pd = &p.diagram;
        let lanes = pd
            .lanes
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no lanes", p.slug));
        // its columns: the ones its activities use, in the view's order
        let order: Vec<usize> = lanes
            .columns
            .iter()
            .map(|c| full.columns.iter().position(|f| f == c).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{}", p.slug);
        for (i, n) in pd.nodes.iter().enumerate() {
            match lanes.column.get(i).copied().flatten() {
                Some(c) => assert_eq!(lanes.columns[c], column_of(&n.key), "{}", n.key),
                None => assert!(n.key.starts_with("out-"), "{} lost its column", n.key),
            }
        }
        // lanes keep the view's order
        let ranks: Vec<Option<usize>> = pd.groups.iter().map(|g| lane_rank(&g.key)).collect();
        if ranks.iter().all(Option::is_some) {
            assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{}", p.slug);
        }
        let l = layout(pd);
        let bad = check_invariants(pd, &l);
        assert!(bad.is_empty(), "{}: {bad:#?}", p.slug);
        assert!(l.lanes.is_some());
        // cut along the journey: a run of neighbouring stages, after the
        // previous part's
        let (first, last) = (order[0], order[order.len() - 1]);
        if let Some(prev) = last_stage {
            assert!(first >= prev, "{}: stage {first} after {prev}", p.slug);
        }
        last_stage = Some(last);
        cover.extend(first..=last);
    }
    assert!(leaves > 1);
    // every stage that has an activity is in some part
    let used: BTreeSet<usize> = full.column.iter().flatten().copied().collect();
    assert!(used.is_subset(&cover), "{used:?} vs {cover:?}");
    assert!(s.by.contains("journey stage"), "{}", s.by);
    assert!(s.explanation.contains("journey stage"), "{}", s.explanation);

    // near miss: without stages, the same view is cut per performer
    let mut flat = d.clone();
    if let Some(l) = &mut flat.lanes {
        l.columns.truncate(1);
    }
    let s = split(&flat, &group_paths(&g, &flat), Words::of(&View::Ov5b), 5).unwrap();
    assert_eq!(s.by, "performer");
}

#[test]
fn journey_stages_are_cut_into_the_fewest_even_runs() {
    // the bundled OV-5b's activities per stage, at most 8 per drawing:
    // greedy filling gave 6, 8, 7 and a lone last stage of 3
    let sizes = [2, 2, 2, 3, 2, 1, 2, 1, 2, 1, 2, 1, 3];
    let cuts = even_runs(&sizes, 8);
    assert_eq!(cuts.len(), 3, "four runs: {cuts:?}");
    let mut bounds = vec![0];
    bounds.extend(&cuts);
    bounds.push(sizes.len());
    let runs: Vec<usize> = bounds
        .windows(2)
        .map(|w| sizes[w[0]..w[1]].iter().sum())
        .collect();
    assert_eq!(runs.iter().sum::<usize>(), 24);
    assert!(runs.iter().all(|&r| r == 6), "{runs:?}");
    // near misses: everything fits one run; one size per run
    assert!(even_runs(&sizes, 24).is_empty());
    assert_eq!(even_runs(&[3, 3, 3], 3), vec![1, 2]);
    assert!(even_runs(&[], 5).is_empty());
}
