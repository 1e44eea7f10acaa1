//! Unit tests: view-model builders, escaping, id prefixing, single file.

use super::viewmodel::{anchor_of, Builder, Linker};
use super::*;
use crate::graph::tests::model;

const HOSTILE_1: &str = "<script>alert(1)</script>";
const HOSTILE_2: &str = "\"><img src=x onerror=alert(1)>";

fn small() -> crate::model::Model {
    model(&[
        (
            "av.ron",
            r#"(name: "Acme", plan_period: "FY2027",
               goals: [(id: "grow", name: "Grow", target: "+30%", kpi: "conv")])"#,
        ),
        (
            "ov.ron",
            r#"(performers: [(id: "mkt", name: "Marketing"), (id: "sales", name: "Sales")],
               activities: [
                 (id: "capture", name: "Capture", performer: "mkt", stage: capture, outputs: ["lead"], systems: ["ma"]),
                 (id: "qualify", name: "Qualify", performer: "sales", stage: qualify, inputs: ["lead"], systems: ["crm"])],
               exchanges: [(id: "handoff", name: "Hand-off", from: "mkt", to: "sales", carries: ["lead"])])"#,
        ),
        (
            "sv.ron",
            r#"(systems: [
                 (id: "ma", name: "Marketing automation", kind: marketing_automation, owner: "mkt", holds: [(entity: "lead", role: record)]),
                 (id: "crm", name: "CRM", kind: crm, owner: "sales"),
                 (id: "dw", name: "Warehouse", kind: data_warehouse, owner: "mkt", lifecycle: planned)],
               integrations: [(id: "ma-dw", name: "MA to DW", source: "ma", target: "dw", carries: ["lead"], mechanism: batch_etl, frequency: daily, lifecycle: planned)])"#,
        ),
        (
            "stdv.ron",
            r#"(standards: [
                 (id: "conv", name: "Conversion", kind: kpi(formula: "a / b", unit: "%", computed_from: ["lead"], computed_in: "dw")),
                 (id: "gdpr", name: "GDPR", kind: regulation(privacy: true), applies_to: ["ma"])])"#,
        ),
        (
            "div.ron",
            r#"(entities: [(id: "lead", name: "Lead", classification: pii, owner: "mkt")])"#,
        ),
    ])
}

#[test]
fn dictionary_is_alphabetical_with_anchors_and_uses() {
    let m = small();
    let g = Graph::build(&m);
    let (tb, ai) = (analyse(&g, State::ToBe), analyse(&g, State::AsIs));
    let b = Builder::new(&g, Linker { single_file: false }, State::ToBe, &tb, &ai);
    let d = b.dictionary(0);
    let names: Vec<&str> = d.entries.iter().map(|e| e.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    let crm = d.entries.iter().find(|e| e.id == "crm").unwrap();
    assert_eq!(crm.anchor, "sys-crm");
    assert_eq!(anchor_of(Kind::System, "crm"), "sys-crm");
    let supports = crm.uses.iter().find(|u| u.label == "supports").unwrap();
    assert_eq!(supports.links[0].href, "dictionary.html#act-qualify");
}

#[test]
fn holding_matrix_marks_record_received_and_missing() {
    let m = small();
    let g = Graph::build(&m);
    let (tb, ai) = (analyse(&g, State::ToBe), analyse(&g, State::AsIs));
    let b = Builder::new(&g, Linker { single_file: true }, State::ToBe, &tb, &ai);
    let div = b.div(vec![], Default::default(), String::new());
    let cols: Vec<&str> = div.crud.cols.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(cols, ["ma", "crm", "dw"]);
    let marks: Vec<&str> = div.crud.rows[0]
        .cells
        .iter()
        .map(|c| c.mark.as_str())
        .collect();
    // record in ma, needed in crm (qualify) but never delivered, received in dw
    assert_eq!(marks, ["R", "✗", "→"]);
    assert_eq!(div.crud.rows[0].head.href, "#data-lead");
}

#[test]
fn ov3_and_compliance() {
    let m = small();
    let g = Graph::build(&m);
    let (tb, ai) = (analyse(&g, State::ToBe), analyse(&g, State::AsIs));
    let b = Builder::new(&g, Linker { single_file: false }, State::ToBe, &tb, &ai);
    let ov = b.ov(vec![]);
    assert_eq!(ov.ov3.rows.len(), 1);
    let cell: Vec<&str> = ov.ov3.rows[0].cells[0]
        .items
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(cell, ["handoff", "lead"]);
    let stdv = b.stdv();
    let gdpr = &stdv.compliance[0];
    assert_eq!(gdpr.systems[0].id, "ma");
    // ma holds the lead; the planned ma-dw ETL delivers it to dw, which GDPR
    // does not list: a miss, exactly as the pii-exposure rule sees it
    let misses: Vec<&str> = gdpr.misses.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(misses, ["dw"]);
    assert_eq!(stdv.kpis[0].goals[0].id, "grow");
}

#[test]
fn svg_ids_are_prefixed() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" aria-labelledby="title"><title id="title">t</title><g id="sys-crm"><text>id=&quot;x&quot;</text></g></svg>"#;
    let p = prefix_ids(svg, "sv-sv-1--");
    assert!(p.contains(r#"aria-labelledby="sv-sv-1--title""#));
    assert!(p.contains(r#"<title id="sv-sv-1--title">"#));
    assert!(p.contains(r#"<g id="sv-sv-1--sys-crm">"#));
    assert!(p.contains("id=&quot;x&quot;"));
}

fn hostile() -> crate::model::Model {
    let name1 = HOSTILE_1.replace('"', "\\\"");
    let name2 = HOSTILE_2.replace('"', "\\\"");
    model(&[
        (
            "av.ron",
            &format!(
                r#"(name: "{name1}", plan_period: "{name2}", purpose: "{name2}",
                   goals: [(id: "g", name: "{name1}", target: "{name2}")])"#
            ),
        ),
        (
            "ov.ron",
            &format!(
                r#"(performers: [(id: "p", name: "{name1}"), (id: "q", name: "{name2}")],
                   activities: [(id: "a", name: "{name2}", performer: "p", stage: capture, inputs: ["e"], systems: ["s2"])],
                   exchanges: [(id: "x", name: "{name1}", from: "p", to: "q", carries: ["e"])])"#
            ),
        ),
        (
            "sv.ron",
            &format!(
                r#"(systems: [(id: "s", name: "{name1}", kind: crm, vendor: "{name2}", holds: [(entity: "e", role: record)]),
                              (id: "s2", name: "{name2}", kind: bi)],
                   integrations: [(id: "i", name: "{name2}", source: "s", target: "s2", carries: ["e"], mechanism: api, frequency: daily)])"#
            ),
        ),
        (
            "stdv.ron",
            &format!(
                r#"(standards: [(id: "k", name: "{name1}", kind: kpi(formula: "{name2}", unit: "{name1}", computed_from: ["e"]), applies_to: ["s"])])"#
            ),
        ),
        (
            "div.ron",
            &format!(
                r#"(entities: [(id: "e", name: "{name1}", description: "{name2}", classification: pii,
                   attributes: [(name: "{name2}", key: true)])])"#
            ),
        ),
    ])
}

#[test]
fn hostile_names_appear_only_escaped_on_every_page() {
    let m = hostile();
    let g = Graph::build(&m);
    for single_file in [false, true] {
        let opts = Options {
            single_file,
            ..Options::default()
        };
        let site = build(&g, HOSTILE_1, &opts).unwrap();
        let (pages, drawings): (Vec<_>, Vec<_>) =
            site.files.iter().partition(|(n, _)| n.ends_with(".html"));
        assert_eq!(pages.len(), if single_file { 1 } else { 7 });
        // each drawing in a file of its own, named after the view (ids, never names)
        let names: Vec<&str> = drawings.iter().map(|(n, _)| n.as_str()).collect();
        if single_file {
            assert!(names.is_empty(), "{names:?}");
        } else {
            assert!(names.contains(&"svg/sv-2.svg"), "{names:?}");
            assert!(names.contains(&"svg/lineage-e.svg"), "{names:?}");
        }
        for (name, bytes) in &drawings {
            let svg = std::str::from_utf8(bytes).unwrap();
            assert!(!svg.contains("<script") && !svg.contains("<img"), "{name}");
        }
        for (name, bytes) in &pages {
            let html = std::str::from_utf8(bytes).unwrap();
            assert!(!html.contains("<script"), "{name} has a raw <script");
            assert!(!html.contains("<img"), "{name} has a raw <img");
            // the names are there, as text
            assert!(
                html.contains("&lt;script&gt;alert(1)"),
                "{name} lost the name"
            );
        }
        // ... and inside the inlined SVGs (escaped by the SVG writer)
        let sv = site
            .files
            .iter()
            .find(|(n, _)| n == "sv.html" || n == "report.html")
            .unwrap();
        let html = std::str::from_utf8(&sv.1).unwrap();
        let svg_start = html.find("<svg").unwrap();
        assert!(html[svg_start..].contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}

#[test]
fn single_file_has_every_page_as_a_section() {
    let m = small();
    let g = Graph::build(&m);
    let opts = Options {
        single_file: true,
        ..Options::default()
    };
    let site = build(&g, "small", &opts).unwrap();
    let html = String::from_utf8(site.files[0].1.clone()).unwrap();
    for (id, _) in viewmodel::PAGES {
        assert!(html.contains(&format!("<section class=\"page\" id=\"page-{id}\">")));
        assert!(html.contains(&format!("href=\"#page-{id}\"")));
    }
    assert_eq!(html.matches("<!DOCTYPE html>").count(), 1);
    for (i, _) in html.match_indices("href=\"") {
        assert!(html[i + 6..].starts_with('#'), "links stay in the file");
    }
}

#[test]
fn broken_override_names_the_file() {
    let m = small();
    let g = Graph::build(&m);
    let opts = Options {
        overrides: vec![Override {
            name: "sv.html".into(),
            source:
                "{% extends \"base.html\" %}{% block content %}{{ page.nope.deeper }}{% endblock %}"
                    .into(),
            origin: "brand/sv.html".into(),
        }],
        ..Options::default()
    };
    let err = build(&g, "small", &opts).unwrap_err().to_string();
    assert!(err.contains("brand/sv.html"), "{err}");
}

/// The built-in templates stay far below their fuel on a generated model,
/// with the default page budget and with a small one (pages shortened and
/// split); the measurement behind `FUEL_PER_BYTE` at 30,000 systems is in
/// bench/RESULTS.md.
#[test]
fn built_in_templates_use_a_fraction_of_their_fuel() {
    let files = crate::gen::generate(&crate::gen::GenOptions {
        systems: 300,
        seed: 1,
    });
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let m = model(&files);
    let g = Graph::build(&m);
    for budget in [DEFAULT_PAGE_BUDGET, 400_000] {
        let opts = Options {
            page_budget: budget,
            ..Options::default()
        };
        let site = build(&g, "gen", &opts).unwrap();
        let fuel = templates::fuel_for(budget);
        assert!(
            site.fuel_used > 0 && site.fuel_used < fuel / 4,
            "{} of {fuel}",
            site.fuel_used
        );
        let pages = site.files.iter().filter(|(n, _)| n.ends_with(".html"));
        assert_eq!(pages.count() > 7, budget < DEFAULT_PAGE_BUDGET);
    }
}

/// Drawings' file names: safe characters only, no leading dot, bounded,
/// unique also where case does not count; in a deterministic order.
#[test]
fn drawing_file_names_are_safe_bounded_and_unique() {
    assert_eq!(file_stem("sv-1--sales"), "sv-1--sales");
    assert_eq!(
        file_stem("lineage-../../etc/passwd"),
        "lineage-..-..-etc-passwd"
    );
    assert_eq!(file_stem("../x"), "x");
    assert_eq!(file_stem(".hidden"), "hidden");
    assert_eq!(file_stem("a\\b c\u{0}d<é>"), "a-b-c-d---");
    assert_eq!(file_stem("…"), "drawing");
    assert_eq!(file_stem(&"x".repeat(500)).len(), FILE_STEM_MAX);
    let mut names = FileNames::default();
    assert_eq!(names.name("lineage-lead"), "lineage-lead");
    assert_eq!(names.name("lineage-Lead"), "lineage-Lead-2");
    assert_eq!(names.name("lineage-lead"), "lineage-lead-3");
    // a long stem that differs only after the cut
    let long = "y".repeat(200);
    assert_eq!(names.name(&format!("{long}a")), "y".repeat(FILE_STEM_MAX));
    assert_eq!(
        names.name(&format!("{long}b")),
        format!("{}-2", "y".repeat(FILE_STEM_MAX))
    );
}

#[test]
fn natural_size_reads_the_root_element() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="3951.0" height="727.5" viewBox="0 0 3951.0 727.5"><rect width="9" height="9"/></svg>"#;
    assert_eq!(natural_size(svg), Some((3951, 728)));
    assert_eq!(natural_size("<svg viewBox=\"0 0 1 1\"></svg>"), None);
    assert_eq!(natural_size("<svg width=\"-3\" height=\"4\">"), None);
    assert_eq!(natural_size("<svg width=\"NaN\" height=\"4\">"), None);
    assert_eq!(natural_size("no svg"), None);
}

#[test]
fn finding_anchors_are_stable_sanitised_and_unique() {
    use super::viewmodel::finding_anchor;
    assert_eq!(
        finding_anchor("data-silo/unreachable:ticket[gainsight,score-health]"),
        "f-data-silo-unreachable-ticket-gainsight-score-health"
    );
    assert_eq!(finding_anchor("unowned/system:CRM"), "f-unowned-system-crm");
    // two keys that sanitise alike still get two anchors; a repeat keeps one
    let map = super::viewmodel::unique_anchors(
        ["a/b:c[d,e]", "a/b:c[d-e]", "a/b:c[d,e]", "x/y:z"].map(String::from),
    );
    assert_eq!(map.len(), 3);
    assert_eq!(map["a/b:c[d,e]"], "f-a-b-c-d-e");
    assert_eq!(map["a/b:c[d-e]"], "f-a-b-c-d-e-2");
    assert_eq!(map["x/y:z"], "f-x-y-z");
    let m = small();
    let g = Graph::build(&m);
    let (tb, ai) = (analyse(&g, State::ToBe), analyse(&g, State::AsIs));
    let b = Builder::new(&g, Linker { single_file: false }, State::ToBe, &tb, &ai);
    let page = b.findings(Vec::new());
    let all: Vec<&super::viewmodel::FindingVm> = page
        .rules
        .iter()
        .flat_map(|r| &r.findings)
        .chain(&page.resolved)
        .collect();
    assert!(!all.is_empty());
    let mut anchors: Vec<&str> = all.iter().map(|f| f.anchor.as_str()).collect();
    assert!(anchors.iter().all(|a| a.starts_with("f-")));
    anchors.sort_unstable();
    let n = anchors.len();
    anchors.dedup();
    assert_eq!(anchors.len(), n, "anchors are unique");
    for f in &all {
        assert_eq!(f.href, format!("findings.html#{}", f.anchor));
    }
    // the jump list counts the to-be findings by severity, rule and subject
    let by_level: usize = page.jump.levels.iter().map(|j| j.count).sum();
    let by_rule: usize = page.jump.rules.iter().map(|j| j.count).sum();
    assert_eq!(by_level, page.total);
    assert_eq!(by_rule, page.total);
    let by_subject: usize = page.jump.subjects.iter().map(|j| j.count).sum();
    assert!(by_subject <= page.total && by_subject > 0);
    // the SV page links each system to the same anchors
    let sv = b.sv(Vec::new());
    let hrefs: Vec<&str> = sv
        .systems
        .iter()
        .flat_map(|s| s.findings.0.iter().map(|l| l.href.as_str()))
        .collect();
    assert!(!hrefs.is_empty());
    for h in hrefs {
        assert!(all.iter().any(|f| f.href == h), "{h}");
    }
}
