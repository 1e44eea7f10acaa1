//! Property tests (proptest): the loader on mutated models, layout
//! invariants on generated diagrams, and `check` / `diff` agreement on
//! generated models and their mutations. Each suite runs a bounded number of
//! cases so `cargo test` stays quick; `PROPTEST_CASES=N` runs more. The
//! fuzz targets in `fuzz/` cover the same ground open-ended (README,
//! "Fuzzing and property tests").

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;

use revarch::analysis::{analyse, RULE_IDS};
use revarch::diag::{render, JsonDiagnostic};
use revarch::diff::{compare, Change as DiffChange, FindingStatus, Options as DiffOptions};
use revarch::gen::{generate, GenOptions, MIN_SYSTEMS};
use revarch::graph::Graph;
use revarch::model::{
    read_texts, Direction, Frequency, Id, Integration, Lifecycle, Loaded, Mechanism, Model, State,
};
use revarch::render::diagram::{Diagram, Edge, Flow, Group, Lanes, Mark, Node, Shape};
use revarch::render::layout::{
    check_invariants, lane_invariants, layout, layout_fit, ortho_invariants, Fit,
};
use revarch::render::svg::to_svg;
use revarch::render::{render_view, Theme, View};

/// The bundled model's files, in viewpoint order.
const MODEL: [(&str, &str); 5] = [
    ("av.ron", include_str!("../models/av.ron")),
    ("ov.ron", include_str!("../models/ov.ron")),
    ("sv.ron", include_str!("../models/sv.ron")),
    ("stdv.ron", include_str!("../models/stdv.ron")),
    ("div.ron", include_str!("../models/div.ron")),
];

/// Cases per suite unless `PROPTEST_CASES` says otherwise.
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        // Shrinking re-runs the (debug-built) pipeline: keep it bounded.
        max_shrink_iters: 256,
        max_shrink_time: 20_000,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------
// 1. The loader never panics on mutated models.
// ---------------------------------------------------------------------------

/// A text edit of one model file. Positions are fractions of the text
/// (`Index`), so they land anywhere whatever its length.
#[derive(Clone, Debug)]
enum Edit {
    /// Delete a span of up to `len` bytes.
    Delete(Index, usize),
    /// Copy a span of up to `len` bytes to another place.
    Duplicate(Index, usize, Index),
    /// Insert a character (quotes, brackets, escapes, odd Unicode).
    Insert(Index, char),
    /// Cut the text off.
    Truncate(Index),
    /// Swap two lines.
    SwapLines(Index, Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let chars = prop::sample::select(vec![
        '"', '\'', '(', ')', '[', ']', '{', '}', ',', ':', '\\', '/', '*', '#', 'r', '\n', '\0',
        '\u{feff}', '\u{2028}', 'é', '😀', '0', '-', '.', 'e',
    ]);
    prop_oneof![
        (any::<Index>(), 1usize..200).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<Index>(), 1usize..200, any::<Index>())
            .prop_map(|(i, n, j)| Edit::Duplicate(i, n, j)),
        (any::<Index>(), chars).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<Index>().prop_map(Edit::Truncate),
        (any::<Index>(), any::<Index>()).prop_map(|(i, j)| Edit::SwapLines(i, j)),
    ]
}

/// Applies edits on bytes (so a cut may split a UTF-8 sequence), then reads
/// the bytes back lossily, as text must be to reach the parser.
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut b = text.as_bytes().to_vec();
    for e in edits {
        let at = |i: &Index, b: &Vec<u8>| i.index(b.len() + 1);
        match e {
            Edit::Delete(i, n) => {
                let s = at(i, &b);
                let end = (s + n).min(b.len());
                b.drain(s..end);
            }
            Edit::Duplicate(i, n, j) => {
                let s = at(i, &b);
                let span: Vec<u8> = b[s..(s + n).min(b.len())].to_vec();
                let t = at(j, &b);
                b.splice(t..t, span);
            }
            Edit::Insert(i, c) => {
                let s = at(i, &b);
                let mut buf = [0u8; 4];
                b.splice(s..s, c.encode_utf8(&mut buf).bytes());
            }
            Edit::Truncate(i) => {
                let s = at(i, &b);
                b.truncate(s);
            }
            Edit::SwapLines(i, j) => {
                let mut lines: Vec<Vec<u8>> =
                    b.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
                let (x, y) = (i.index(lines.len()), j.index(lines.len()));
                lines.swap(x, y);
                b = lines.join(&b'\n');
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// Loads files, then renders the diagnostics both ways (must not panic).
fn load_and_render(files: &[(&str, &str)]) -> Loaded {
    let loaded = read_texts(files, RULE_IDS);
    let text = render(&loaded.diagnostics, &loaded.sources, false);
    let _ = render(&loaded.diagnostics, &loaded.sources, true);
    for d in &loaded.diagnostics {
        let j = JsonDiagnostic::new(d, &loaded.sources);
        serde_json::to_string(&j).expect("JSON diagnostic serialises");
    }
    // Every diagnostic is rendered (its message appears in the text, with
    // control characters escaped for the terminal).
    for d in &loaded.diagnostics {
        assert!(
            text.contains(&*revarch::diag::escape_control(&d.message)),
            "diagnostic `{}` missing from the rendered text",
            d.message
        );
    }
    loaded
}

proptest! {
    #![proptest_config(config(40))]

    /// Any edit of one viewpoint file of the reference model: loading
    /// returns (errors or not) and its diagnostics render.
    #[test]
    fn loader_survives_mutated_viewpoint_files(
        file in 0usize..MODEL.len(),
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let mutated = apply(MODEL[file].1, &edits);
        let mut files = MODEL.to_vec();
        files[file].1 = &mutated;
        load_and_render(&files);
    }

    /// The same as one whole-model file `(av: …, ov: …, …)` built from the
    /// reference files, edited anywhere.
    #[test]
    fn loader_survives_mutated_whole_model(
        edits in prop::collection::vec(edit(), 1..5),
    ) {
        let whole = format!(
            "(av: {}, ov: {}, sv: {}, stdv: {}, div: {})",
            MODEL[0].1, MODEL[1].1, MODEL[2].1, MODEL[3].1, MODEL[4].1
        );
        let mutated = apply(&whole, &edits);
        load_and_render(&[("model.ron", &mutated)]);
    }
}

/// The unmutated reference model loads clean both ways: the suites above
/// start from valid text, so their errors come from the edits.
#[test]
fn reference_model_loads_clean_both_ways() {
    assert!(!read_texts(&MODEL, RULE_IDS).has_errors());
    let whole = format!(
        "(av: {}, ov: {}, sv: {}, stdv: {}, div: {})",
        MODEL[0].1, MODEL[1].1, MODEL[2].1, MODEL[3].1, MODEL[4].1
    );
    let l = read_texts(&[("model.ron", &whole)], RULE_IDS);
    assert!(
        !l.has_errors(),
        "{}",
        render(&l.diagnostics, &l.sources, false)
    );
}

// ---------------------------------------------------------------------------
// 2. Layout invariants on generated diagrams.
// ---------------------------------------------------------------------------

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "CRM",
            "a",
            "",
            "Salesforce Sales Cloud",
            "<&>\"'",
            "ÄÖÜ 漢字 😀",
            "a rather long label that has to wrap over several lines in its box",
            "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z &<>-]{0,30}",
    ]
}

fn marks() -> impl Strategy<Value = Vec<Mark>> {
    prop::collection::vec(
        prop::sample::select(vec![
            Mark::Planned,
            Mark::Retiring,
            Mark::FindingError,
            Mark::FindingWarning,
            Mark::Pii,
            Mark::Focus,
            Mark::Missing,
            Mark::Added,
            Mark::Removed,
        ]),
        0..2,
    )
}

/// A random diagram of up to 24 nodes in up to 4 groups, up to 39 edges
/// (labelled or not, both ways or not, self-loops and parallel edges
/// included: views never draw those, but layout takes any diagram).
fn diagram() -> impl Strategy<Value = Diagram> {
    (1usize..25, 0usize..5, any::<bool>()).prop_flat_map(|(n, groups, lr)| {
        let node = (
            label(),
            prop::option::of(label()),
            prop::collection::vec(label(), 0..3),
            prop::sample::select(vec![
                Shape::Rounded,
                Shape::Table,
                Shape::Pill,
                Shape::Cylinder,
            ]),
            0usize..10,
            marks(),
            prop::option::of(0..groups.max(1)),
        );
        let edge = (
            0..n,
            0..n,
            prop::collection::vec(label(), 0..3),
            any::<bool>(),
            marks(),
        );
        (
            prop::collection::vec(node, n),
            prop::collection::vec(edge, 0..40),
            prop::collection::vec(label(), groups),
        )
            .prop_map(move |(nodes, edges, group_labels)| Diagram {
                view: "prop".into(),
                title: "Property".into(),
                footer: "footer".into(),
                flow: if lr { Flow::LeftRight } else { Flow::TopDown },
                nodes: nodes
                    .into_iter()
                    .enumerate()
                    .map(
                        |(i, (label, sublabel, lines, shape, color, marks, group))| Node {
                            key: format!("n{i}"),
                            label,
                            sublabel,
                            lines,
                            shape,
                            color,
                            marks,
                            group: group.filter(|_| groups > 0),
                            tooltip: String::new(),
                        },
                    )
                    .collect(),
                edges: edges
                    .into_iter()
                    .enumerate()
                    .map(|(i, (from, to, label, both_ways, marks))| Edge {
                        key: format!("e{i}"),
                        from,
                        to,
                        label,
                        both_ways,
                        marks,
                        tooltip: String::new(),
                    })
                    .collect(),
                groups: group_labels
                    .into_iter()
                    .enumerate()
                    .map(|(i, label)| Group {
                        key: format!("g{i}"),
                        label,
                        color: i,
                    })
                    .collect(),
                legend: Vec::new(),
                empty_note: None,
                caption: None,
                lanes: None,
            })
    })
}

/// A swimlane diagram: a random diagram whose groups are lanes, with up to
/// 14 columns; some nodes without a column or out of range, the column list
/// possibly shorter than the nodes; marks include Unsupported.
fn lane_diagram() -> impl Strategy<Value = Diagram> {
    (diagram(), 0usize..15).prop_flat_map(|(d, columns)| {
        let n = d.nodes.len();
        (
            Just(d),
            prop::collection::vec(label(), columns),
            prop::collection::vec(prop::option::of(0usize..16), 0..=n),
            prop::collection::vec(any::<bool>(), n),
        )
            .prop_map(|(mut d, columns, column, unsupported)| {
                for (node, u) in d.nodes.iter_mut().zip(unsupported) {
                    if u {
                        node.marks.push(Mark::Unsupported);
                    }
                }
                d.lanes = Some(Lanes { columns, column });
                d
            })
    })
}

proptest! {
    #![proptest_config(config(64))]

    /// Swimlane layouts keep every promise of `check_invariants` and
    /// `lane_invariants` (each node in its lane and column, orthogonal
    /// edges, nothing over a lane or column title), and are deterministic.
    #[test]
    fn lane_layout_keeps_its_invariants_and_is_deterministic(d in lane_diagram()) {
        let l = layout(&d);
        let bad = check_invariants(&d, &l);
        prop_assert!(bad.is_empty(), "invariants broken: {:#?}", bad);
        prop_assert!(lane_invariants(&d, &l).is_empty());
        let again = layout(&d);
        prop_assert_eq!(&l, &again);
        prop_assert_eq!(to_svg(&d, &l, Theme::Light), to_svg(&d, &again, Theme::Light));
    }

    /// Every promise of `check_invariants` (no overlapping boxes, no edge
    /// through a box, label boxes clear of boxes, titles and each other,
    /// frames around their members, everything inside the drawing) holds,
    /// and those of `ortho_invariants` (orthogonal segments, ports on sides,
    /// no edge through a frame title, arrowheads apart) on the unfitted
    /// layout,
    /// and laying out twice gives the same geometry and the same SVG bytes.
    #[test]
    fn layout_keeps_its_invariants_and_is_deterministic(d in diagram()) {
        let l = layout(&d);
        let bad = check_invariants(&d, &l);
        prop_assert!(bad.is_empty(), "invariants broken: {:#?}", bad);
        // Unfitted: the diagram's own layout, always routed orthogonally
        // (a fitted one may keep layered routes where they are more legible).
        let own = layout_fit(&d, Fit::None);
        let mut bad = check_invariants(&d, &own);
        bad.extend(ortho_invariants(&d, &own));
        prop_assert!(bad.is_empty(), "orthogonal routing broken: {:#?}", bad);
        let again = layout(&d);
        prop_assert_eq!(&l, &again);
        prop_assert_eq!(to_svg(&d, &l, Theme::Light), to_svg(&d, &again, Theme::Light));
    }
}

// ---------------------------------------------------------------------------
// 3. check and diff agree.
// ---------------------------------------------------------------------------

/// A change to a valid model that keeps it valid.
#[derive(Clone, Debug)]
enum Change {
    RemoveIntegration(Index),
    RetireSystem(Index),
    PlanSystem(Index),
    PlanIntegration(Index),
    /// A new integration between two systems carrying what the first holds.
    AddIntegration(Index, Index),
    RemoveHolding(Index, Index),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        any::<Index>().prop_map(Change::RemoveIntegration),
        any::<Index>().prop_map(Change::RetireSystem),
        any::<Index>().prop_map(Change::PlanSystem),
        any::<Index>().prop_map(Change::PlanIntegration),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Change::AddIntegration(a, b)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Change::RemoveHolding(a, b)),
    ]
}

/// Applies changes to a copy of `m`; None when none applied.
fn changed(m: &Model, changes: &[Change]) -> Option<Model> {
    let mut m = m.clone();
    let mut any = false;
    for (k, c) in changes.iter().enumerate() {
        let systems = m.sv.systems.len();
        let integrations = m.sv.integrations.len();
        match c {
            Change::RemoveIntegration(i) if integrations > 0 => {
                m.sv.integrations.remove(i.index(integrations));
            }
            Change::RetireSystem(i) if systems > 0 => {
                let s = &mut m.sv.systems[i.index(systems)];
                if s.lifecycle == Lifecycle::Retiring {
                    continue;
                }
                s.lifecycle = Lifecycle::Retiring;
            }
            Change::PlanSystem(i) if systems > 0 => {
                let s = &mut m.sv.systems[i.index(systems)];
                if s.lifecycle == Lifecycle::Planned {
                    continue;
                }
                s.lifecycle = Lifecycle::Planned;
            }
            Change::PlanIntegration(i) if integrations > 0 => {
                let s = &mut m.sv.integrations[i.index(integrations)];
                if s.lifecycle == Lifecycle::Planned {
                    continue;
                }
                s.lifecycle = Lifecycle::Planned;
            }
            Change::AddIntegration(a, b) if systems > 1 => {
                let from = a.index(systems);
                let to = (from + 1 + b.index(systems - 1)) % systems;
                let carries = m.sv.systems[from]
                    .holds
                    .iter()
                    .take(2)
                    .map(|h| h.entity.clone())
                    .collect();
                m.sv.integrations.push(Integration {
                    id: Id::new(format!("prop-added-{k}")),
                    name: format!("Added {k}"),
                    description: None,
                    owner: m.sv.systems[from].owner.clone(),
                    tags: Vec::new(),
                    allow: Vec::new(),
                    source: m.sv.systems[from].id.clone(),
                    target: m.sv.systems[to].id.clone(),
                    carries,
                    mechanism: Mechanism::Api,
                    frequency: Frequency::Daily,
                    direction: Direction::OneWay,
                    via: None,
                    realizes: Vec::new(),
                    lifecycle: Lifecycle::Current,
                });
            }
            Change::RemoveHolding(i, j) if systems > 0 => {
                let s = &mut m.sv.systems[i.index(systems)];
                if s.holds.is_empty() {
                    continue;
                }
                let n = s.holds.len();
                s.holds.remove(j.index(n));
            }
            _ => continue,
        }
        any = true;
    }
    any.then_some(m)
}

/// The model written by the `ron` crate's serializer and read back, so a
/// mutated model goes through loading and validation like a user's.
fn reload(m: &Model) -> Loaded {
    let text = ron::ser::to_string(m).expect("serialises");
    read_texts(&[("model.ron", &text)], RULE_IDS)
}

fn keys(g: &Graph<'_>, state: State) -> BTreeSet<String> {
    analyse(g, state).findings.iter().map(|f| f.key()).collect()
}

fn diff_keys(
    d: &revarch::diff::ModelDiff,
    status: FindingStatus,
    state: State,
) -> BTreeSet<String> {
    d.findings_with(status)
        .filter(|f| f.states.contains(&state))
        .map(|f| f.key.clone())
        .collect()
}

fn generated(systems: usize, seed: u64) -> Loaded {
    let files = generate(&GenOptions { systems, seed });
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let l = read_texts(&refs, RULE_IDS);
    assert!(
        !l.has_errors(),
        "generated model invalid: {}",
        render(&l.diagnostics, &l.sources, false)
    );
    l
}

proptest! {
    #![proptest_config(config(24))]

    /// diff(A, A) is empty; for a change B of A, in each state the keys
    /// the diff calls unchanged are check(A) ∩ check(B); those it calls
    /// introduced or changed are check(B) − check(A), and per finding (the
    /// key without its case) as many are changed as pair up with
    /// check(A) − check(B), whose rest is resolved. Comparing B with A swaps added and removed entities and
    /// relations, and introduced and resolved findings.
    #[test]
    fn check_and_diff_agree(
        extra in 0usize..8,
        seed in any::<u64>(),
        changes in prop::collection::vec(change(), 1..4),
    ) {
        let a = generated(MIN_SYSTEMS + extra, seed);
        let ga = Graph::build(&a.model);

        let same = compare(&ga, &Graph::build(&reload(&a.model).model), DiffOptions::default());
        prop_assert!(same.is_empty(), "A against A re-read: {:?}", same.entities);
        prop_assert!(same.findings_with(FindingStatus::Introduced).next().is_none());
        prop_assert!(same.findings_with(FindingStatus::Resolved).next().is_none());

        let Some(mb) = changed(&a.model, &changes) else {
            return Ok(());
        };
        let b = reload(&mb);
        prop_assert!(!b.has_errors(), "changed model invalid: {}", render(&b.diagnostics, &b.sources, false));
        let gb = Graph::build(&b.model);
        let d = compare(&ga, &gb, DiffOptions::default());
        prop_assert!(!d.is_empty(), "a change that the diff does not see: {:?}", changes);
        for state in State::ALL {
            let (ka, kb) = (keys(&ga, state), keys(&gb, state));
            let new_only: BTreeSet<String> = kb.difference(&ka).cloned().collect();
            let old_only: BTreeSet<String> = ka.difference(&kb).cloned().collect();
            let unchanged: BTreeSet<String> = ka.intersection(&kb).cloned().collect();
            prop_assert_eq!(diff_keys(&d, FindingStatus::Unchanged, state), unchanged, "unchanged, {}", state);
            let introduced = diff_keys(&d, FindingStatus::Introduced, state);
            let changed = diff_keys(&d, FindingStatus::Changed, state);
            let resolved = diff_keys(&d, FindingStatus::Resolved, state);
            // every key only B has is introduced or, when A has the same
            // finding for another reason, changed; never both
            prop_assert!(introduced.is_disjoint(&changed), "{}", state);
            let new_keys: BTreeSet<String> = introduced.union(&changed).cloned().collect();
            prop_assert_eq!(new_keys, new_only.clone(), "introduced + changed, {}", state);
            prop_assert!(resolved.is_subset(&old_only), "resolved, {}", state);
            // per finding (the key without its case): as many changed as
            // can be paired, the rest introduced or resolved
            let ids: BTreeSet<String> = old_only.iter().chain(&new_only).map(|k| revarch::analysis::key_identity(k)).collect();
            for id in ids {
                let n = |set: &BTreeSet<String>| set.iter().filter(|k| revarch::analysis::key_identity(k) == id).count();
                let (o, b) = (n(&old_only), n(&new_only));
                prop_assert_eq!(n(&changed), o.min(b), "changed {}, {}", id, state);
                prop_assert_eq!(n(&introduced), b - o.min(b), "introduced {}, {}", id, state);
                prop_assert_eq!(n(&resolved), o - o.min(b), "resolved {}, {}", id, state);
            }
        }

        // Swapping the sides swaps added and removed, introduced and resolved.
        let r = compare(&gb, &ga, DiffOptions::default());
        let entities = |d: &revarch::diff::ModelDiff, c: DiffChange| -> BTreeSet<String> {
            d.entities.iter().filter(|e| e.change == c).map(|e| e.id.clone()).collect()
        };
        let relations = |d: &revarch::diff::ModelDiff, c: DiffChange| -> BTreeSet<String> {
            d.relations
                .iter()
                .filter(|x| x.change == c)
                .map(|x| format!("{} {} {} {:?}", x.relation, x.from, x.to, x.via))
                .collect()
        };
        for (fwd, back) in [(DiffChange::Added, DiffChange::Removed), (DiffChange::Changed, DiffChange::Changed)] {
            prop_assert_eq!(entities(&d, fwd), entities(&r, back), "entities {:?}", fwd);
        }
        prop_assert_eq!(relations(&d, DiffChange::Added), relations(&r, DiffChange::Removed));
        prop_assert_eq!(relations(&d, DiffChange::Removed), relations(&r, DiffChange::Added));
        for state in State::ALL {
            prop_assert_eq!(
                diff_keys(&d, FindingStatus::Introduced, state),
                diff_keys(&r, FindingStatus::Resolved, state)
            );
            prop_assert_eq!(
                diff_keys(&d, FindingStatus::Resolved, state),
                diff_keys(&r, FindingStatus::Introduced, state)
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 4. Every view of a generated model keeps the layout invariants, split or not.
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(16))]

    /// Each view of a generated model (and the lineage of its first data
    /// entity), split into an overview and per-group drawings above a
    /// random `max_nodes`: every drawing passes `check_invariants`.
    #[test]
    fn views_of_generated_models_keep_invariants(
        extra in 0usize..40,
        seed in any::<u64>(),
        max_nodes in 0usize..40,
        to_be in any::<bool>(),
    ) {
        let a = generated(MIN_SYSTEMS + extra, seed);
        let g = Graph::build(&a.model);
        let state = if to_be { State::ToBe } else { State::AsIs };
        let mut views = View::DEFAULT.to_vec();
        if let Some(e) = a.model.div.entities.first() {
            views.push(View::Lineage(e.id.as_str().to_string()));
        }
        for view in views {
            // 35..40: split by legibility instead of a count.
            let sizing = revarch::render::Sizing {
                fit: revarch::render::Fit::Slide,
                max_nodes: (max_nodes < 35).then_some(max_nodes),
            };
            let Some(rv) = render_view(&view, &g, state, true, sizing) else {
                continue;
            };
            let drawings = std::iter::once((view.id(), &rv.main))
                .chain(rv.parts.iter().map(|p| (format!("{} / {}", view.id(), p.slug), &p.rendered)));
            for (what, r) in drawings {
                let bad = check_invariants(&r.diagram, &r.layout);
                prop_assert!(bad.is_empty(), "{}: {:#?}", what, bad);
            }
        }
    }
}
