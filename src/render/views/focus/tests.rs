//! Tests of the focus drawings, mostly on the reference model's findings.

use super::*;
use crate::analysis::{analyse, Analysis, RULE_IDS};
use crate::model::{read, ModelSource};
use crate::render::{layout, slides, svg};

fn bundled() -> crate::model::Loaded {
    let l = read(&ModelSource::Bundled, RULE_IDS);
    assert!(!l.has_errors());
    l
}

fn slide_of(g: &Graph<'_>, a: &Analysis, state: State, key: &str) -> Diagram {
    let f = a
        .findings
        .iter()
        .find(|f| f.key() == key)
        .unwrap_or_else(|| panic!("no finding {key}"));
    let opts = ViewOptions {
        state,
        findings: None,
        flow: None,
    };
    focus(g, f, None, &opts)
}

fn node<'d>(d: &'d Diagram, key: &str) -> &'d Node {
    d.nodes
        .iter()
        .find(|n| n.key == key)
        .unwrap_or_else(|| panic!("no node {key} in {:?}", keys(d)))
}

fn edge<'d>(d: &'d Diagram, key: &str) -> &'d Edge {
    d.edges
        .iter()
        .find(|e| e.key == key)
        .unwrap_or_else(|| panic!("no edge {key} in {:?}", edge_keys(d)))
}

fn keys(d: &Diagram) -> Vec<&str> {
    d.nodes.iter().map(|n| n.key.as_str()).collect()
}

fn edge_keys(d: &Diagram) -> Vec<&str> {
    d.edges.iter().map(|e| e.key.as_str()).collect()
}

#[test]
fn the_zendesk_silo_shows_where_tickets_stop() {
    let l = bundled();
    let g = Graph::build(&l.model);
    let a = analyse(&g, State::ToBe);
    let key = "data-silo/unreachable:ticket[gainsight,score-health]";
    let d = slide_of(&g, &a, State::ToBe, key);
    assert_eq!(d.title, "Data silo: Support ticket");
    // the holder, where the data gets to, where it is needed
    assert_eq!(keys(&d), ["sys-gainsight", "sys-zendesk", "sys-snowflake"]);
    let zendesk = node(&d, "sys-zendesk");
    assert!(zendesk.marks.contains(&Mark::FindingWarning));
    assert_eq!(zendesk.lines, ["holds Support ticket (system of record)"]);
    let gainsight = node(&d, "sys-gainsight");
    assert!(gainsight.marks.contains(&Mark::Missing));
    assert!(gainsight.lines[0].starts_with("needs Support ticket (activity "));
    assert!(!node(&d, "sys-snowflake")
        .marks
        .contains(&Mark::FindingWarning));
    // the reverse ETL to Gainsight runs already: it is the edge in
    // question, and says what it lacks
    let etl = edge(&d, "int-usage-to-gainsight");
    assert!(etl.marks.contains(&Mark::FindingWarning), "{etl:?}");
    assert_eq!(etl.label.last().unwrap(), "but not Support ticket");
    assert!(!edge(&d, "int-zendesk-to-snowflake")
        .marks
        .contains(&Mark::FindingWarning));
    // caption: the finding's words, code spans kept as code
    let cap = d.caption.as_ref().unwrap();
    assert_eq!(
        cap.kicker,
        format!("warning · {key} · to-be (after the plan)")
    );
    assert_eq!(cap.paragraphs[0].lead, "Problem");
    assert!(cap.paragraphs[0]
        .runs
        .contains(&(true, "ticket".to_string())));
    assert_eq!(cap.paragraphs[1].lead, "Fix");
    assert_eq!(cap.paragraphs.len(), 2);
    assert!(d.legend.iter().any(|i| i.text == "the link in question"));
}

#[test]
fn an_isolated_system_gets_missing_links_to_where_its_data_is_needed() {
    let l = bundled();
    let g = Graph::build(&l.model);
    let a = analyse(&g, State::AsIs);
    let d = slide_of(&g, &a, State::AsIs, "data-silo/isolated-system:amplitude");
    assert_eq!(
        keys(&d),
        ["sys-amplitude", "sys-gainsight", "sys-snowflake"]
    );
    assert_eq!(
        edge_keys(&d),
        [
            "missing-sys-amplitude-sys-gainsight",
            "missing-sys-amplitude-sys-snowflake"
        ]
    );
    assert!(d.edges.iter().all(|e| e.marks == [Mark::Missing]));
    assert_eq!(d.edges[1].label, ["no integration: Product usage"]);
}

#[test]
fn an_orphan_integration_is_drawn_between_its_two_ends() {
    let l = bundled();
    let g = Graph::build(&l.model);
    let a = analyse(&g, State::ToBe);
    let key = "orphan-integration/retired-endpoint:on24-salesforce-attendee-sync";
    let d = slide_of(&g, &a, State::ToBe, key);
    assert_eq!(keys(&d), ["sys-on24", "sys-salesforce"]);
    assert_eq!(edge_keys(&d), ["int-on24-salesforce-attendee-sync"]);
    assert!(d.edges[0].marks.contains(&Mark::FindingWarning));
    let on24 = node(&d, "sys-on24");
    assert!(on24.marks.contains(&Mark::Retiring) && on24.marks.contains(&Mark::FindingWarning));
    assert!(on24
        .sublabel
        .as_deref()
        .unwrap()
        .ends_with("gone after the plan"));
}

#[test]
fn a_single_point_of_failure_shows_the_route_and_what_each_place_loses() {
    let l = bundled();
    let g = Graph::build(&l.model);
    let a = analyse(&g, State::AsIs);
    let d = slide_of(
        &g,
        &a,
        State::AsIs,
        "single-point-of-failure/only-route:workato",
    );
    let wk = node(&d, "sys-workato");
    assert!(wk.marks.contains(&Mark::FindingInfo), "{:?}", wk.marks);
    // the places that lose data say what they lose
    let stripe = node(&d, "sys-stripe");
    assert!(
        stripe
            .lines
            .iter()
            .any(|l| l == "no Account if Workato fails"),
        "{:?}",
        stripe.lines
    );
    // the route starts where the data is held: CPQ keeps a copy of Account
    node(&d, "sys-cpq");
    // the integrations that run via Workato are in question
    let in_question: Vec<&str> = d
        .edges
        .iter()
        .filter(|e| e.marks.contains(&Mark::FindingInfo))
        .map(|e| e.key.as_str())
        .collect();
    assert!(!in_question.is_empty(), "{:#?}", d.edges);
}

#[test]
fn every_finding_of_the_reference_model_has_a_sound_deterministic_slide() {
    let l = bundled();
    let g = Graph::build(&l.model);
    for state in State::ALL {
        let keys: Vec<String> = analyse(&g, state)
            .findings
            .iter()
            .map(|f| f.key())
            .collect();
        assert!(!keys.is_empty());
        let a = slides::slides(&g, state, &[slides::ALL.to_string()]).unwrap();
        let b = slides::slides(&g, state, &keys).unwrap();
        assert_eq!(a.len(), keys.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.key, y.key);
            assert!(!x.rendered.diagram.nodes.is_empty(), "{}", x.key);
            let problems = layout::check_invariants(&x.rendered.diagram, &x.rendered.layout);
            assert!(problems.is_empty(), "{state} {}: {problems:?}", x.key);
            let svg_a = x.rendered.svg(svg::Theme::Light);
            assert_eq!(svg_a, y.rendered.svg(svg::Theme::Light), "{}", x.key);
            let (w, h) = svg::slide_size(&x.rendered.diagram, &x.rendered.layout).unwrap();
            assert_eq!((w * 9.0).round(), (h * 16.0).round(), "{}: {w}×{h}", x.key);
            assert!(svg_a.contains(&format!("width=\"{w:.1}\" height=\"{h:.1}\"")));
        }
    }
}

const KPIS: &str = r#"(standards: [
    (id: "nowhere", name: "Nowhere KPI", kind: kpi(formula: "f", unit: "%")),
    (id: "in-bi", name: "BI KPI", kind: kpi(formula: "f", unit: "%", computed_in: "bi")),
  ])"#;
const SYSTEMS: &str = r#"(systems: [(id: "bi", name: "Looker", kind: bi, owner: "data",
    holds: [(entity: "sub", role: record)])])"#;
const DATA: &str = r#"(entities: [(id: "sub", name: "Subscription", owner: "data"),
    (id: "orphan", name: "Orphan <b>`x`</b>", owner: "data")])"#;
const TEAMS: &str = r#"(performers: [(id: "data", name: "Data")])"#;

fn near_miss(key: &str) -> Diagram {
    let m = crate::graph::tests::model(&[
        ("stdv.ron", KPIS),
        ("sv.ron", SYSTEMS),
        ("div.ron", DATA),
        ("ov.ron", TEAMS),
    ]);
    let g = Graph::build(&m);
    let a = analyse(&g, State::ToBe);
    slide_of(&g, &a, State::ToBe, key)
}

#[test]
fn a_kpi_is_shown_on_the_system_it_is_computed_in() {
    let d = near_miss("kpi-without-data/no-sources:in-bi");
    assert_eq!(keys(&d), ["sys-bi"]);
    assert_eq!(
        node(&d, "sys-bi").lines,
        ["computes KPI BI KPI", "… from no named data"]
    );
    assert!(d.empty_note.is_none());
}

#[test]
fn a_finding_with_nothing_to_draw_gets_a_caption_only_slide() {
    for key in [
        "kpi-without-data/no-sources:nowhere",
        "system-of-record-conflict/not-held:orphan",
    ] {
        let d = near_miss(key);
        assert!(
            d.nodes.is_empty() && d.edges.is_empty(),
            "{key}: {:?}",
            keys(&d)
        );
        assert!(d
            .empty_note
            .as_deref()
            .unwrap()
            .starts_with("Nothing to draw"));
        let cap = d.caption.as_ref().unwrap();
        assert!(cap.kicker.contains(key));
        let l = layout::layout(&d);
        let s = svg::to_svg(&d, &l, svg::Theme::Dark);
        assert!(s.contains("<g id=\"caption\">"), "{key}");
        // model text in the caption is escaped
        if key.ends_with("orphan") {
            assert!(s.contains("Orphan &lt;b&gt;"), "{s}");
            assert!(!s.contains("<b>"));
        }
    }
}

#[test]
fn a_suppressed_finding_says_why_it_was_allowed() {
    let l = bundled();
    let g = Graph::build(&l.model);
    let a = analyse(&g, State::ToBe);
    let f = &a.findings[0];
    let opts = ViewOptions {
        state: State::ToBe,
        findings: None,
        flow: None,
    };
    let d = focus(&g, f, Some("accepted until the CS migration"), &opts);
    let cap = d.caption.unwrap();
    assert_eq!(cap.paragraphs[2].lead, "Allowed");
    assert_eq!(
        cap.paragraphs[2].runs,
        [(false, "accepted until the CS migration".to_string())]
    );
}

#[test]
fn rule_titles_read_as_words() {
    assert_eq!(rule_title("pii-exposure"), "Personal data exposure");
    assert_eq!(rule_title("some-new-rule"), "Some new rule");
    assert_eq!(rule_title(""), "");
    for r in RULE_IDS {
        assert!(rule_title(r).chars().next().unwrap().is_uppercase(), "{r}");
    }
}
