use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use super::draw::{route_geometry, site};
use super::package::{SLIDE_H, SLIDE_W};
use super::template;
use super::xml::{Geometry, Map};
use super::*;
use crate::graph::tests::model;
use crate::model::{Model, ModelSource};
use crate::render::diagram::{Point, Rect};

fn bundled() -> Model {
    let loaded = crate::model::read(&ModelSource::Bundled, crate::analysis::RULE_IDS);
    assert!(!loaded.has_errors());
    loaded.model
}

fn options(views: Vec<View>) -> Options {
    Options {
        state: State::ToBe,
        views,
        theme: Theme::Light,
        max_findings: DEFAULT_FINDINGS,
        template: None,
    }
}

/// The parts of a .pptx: name → text (binary parts lossily).
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    unzip_bytes(bytes)
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned()))
        .collect()
}

/// The parts of a .pptx: name → bytes, in zip order.
fn unzip_ordered(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut parts = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = Vec::new();
        f.read_to_end(&mut s).unwrap();
        parts.push((f.name().to_string(), s));
    }
    parts
}

fn unzip_bytes(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    unzip_ordered(bytes).into_iter().collect()
}

fn is_xml(name: &str) -> bool {
    name.ends_with(".xml") || name.ends_with(".rels")
}

/// Checks what PowerPoint needs of a package: every XML part well-formed,
/// a content type for every part (an Override or a Default for its
/// extension) and for no missing part, every internal relationship
/// resolving to a part, every part reached from the package's root
/// relationships and every `.rels` belonging to a part, unique shape ids per
/// slide, and every connector's glue naming a shape of its slide.
fn check_package(parts: &BTreeMap<String, String>) {
    for (name, text) in parts.iter().filter(|(n, _)| is_xml(n)) {
        roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let types = roxmltree::Document::parse(&parts["[Content_Types].xml"]).unwrap();
    let overrides: BTreeSet<String> = types
        .descendants()
        .filter(|n| n.has_tag_name("Override"))
        .filter_map(|n| {
            n.attribute("PartName")
                .map(|p| p.trim_start_matches('/').to_string())
        })
        .collect();
    let defaults: BTreeSet<String> = types
        .descendants()
        .filter(|n| n.has_tag_name("Default"))
        .filter_map(|n| n.attribute("Extension").map(str::to_ascii_lowercase))
        .collect();
    for name in parts.keys() {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let typed = overrides.contains(name)
            || ext.is_some_and(|e| defaults.contains(&e))
            || name == "[Content_Types].xml";
        assert!(typed, "{name} has no content type");
    }
    for o in &overrides {
        assert!(parts.contains_key(o), "content type for a missing part {o}");
    }
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut queue = vec![String::new()];
    while let Some(source) = queue.pop() {
        let rels = template::rels_name(&source);
        let rels = if source.is_empty() {
            "_rels/.rels".to_string()
        } else {
            rels
        };
        let Some(text) = parts.get(&rels) else {
            continue;
        };
        reached.insert(rels.clone());
        let doc = roxmltree::Document::parse(text).unwrap();
        for r in doc.descendants().filter(|n| n.has_tag_name("Relationship")) {
            if r.attribute("TargetMode") == Some("External") {
                continue;
            }
            let target = r.attribute("Target").unwrap();
            let resolved = template::resolve(&source, target)
                .unwrap_or_else(|| panic!("{rels}: {target} leaves the package"));
            assert!(
                parts.contains_key(&resolved),
                "{rels}: {target} → {resolved} is missing"
            );
            if reached.insert(resolved.clone()) {
                queue.push(resolved);
            }
        }
    }
    for name in parts.keys() {
        assert!(
            name == "[Content_Types].xml" || reached.contains(name),
            "{name} is not reached by any relationship"
        );
    }
    for (name, text) in parts
        .iter()
        .filter(|(n, _)| n.starts_with("ppt/slides/slide"))
    {
        let doc = roxmltree::Document::parse(text).unwrap();
        let ids: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("cNvPr"))
            .filter_map(|n| n.attribute("id"))
            .collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(ids.len(), unique.len(), "{name}: duplicate shape ids");
        let sp_ids: BTreeSet<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("sp"))
            .filter_map(|n| n.descendants().find(|c| c.has_tag_name("cNvPr")))
            .filter_map(|n| n.attribute("id"))
            .collect();
        for glue in doc
            .descendants()
            .filter(|n| n.has_tag_name("stCxn") || n.has_tag_name("endCxn"))
        {
            let id = glue.attribute("id").unwrap();
            assert!(sp_ids.contains(id), "{name}: glued to a missing shape {id}");
        }
    }
}

#[test]
fn a_page_is_fitted_and_centred_on_the_slide() {
    let m = Map::fit(1920.0, 1080.0, SLIDE_W, SLIDE_H);
    assert_eq!(m.scale, 6_350.0);
    assert_eq!((m.x(0.0), m.y(0.0)), (0, 0));
    assert_eq!((m.x(1920.0), m.y(1080.0)), (SLIDE_W, SLIDE_H));
    // a name of 20 px on a 1920 px page is 10 pt on the slide
    assert_eq!(m.font(20.0), 1_000);
    // exactly 1 px = 1/96 in (9525 EMU): still fitted and centred
    let m = Map::fit(1099.0, 720.0, SLIDE_W, SLIDE_H);
    assert_eq!(m.scale, 9_525.0);
    assert_eq!(m.y(0.0), 0);
    assert!((m.x(0.0) - (SLIDE_W - 1099 * 9_525) / 2).abs() <= 1);
    // a tall page is centred across
    let m = Map::fit(500.0, 2000.0, SLIDE_W, SLIDE_H);
    assert_eq!(m.y(2000.0), SLIDE_H);
    assert!(m.x(0.0) > 0);
    // degenerate pages do not give NaN or infinite EMU
    for (w, h) in [(0.0, 10.0), (f64::NAN, 1.0), (f64::INFINITY, 5.0)] {
        let m = Map::fit(w, h, SLIDE_W, SLIDE_H);
        assert!(m.scale.is_finite() && m.x(10.0) >= 0);
    }
    assert_eq!(Map::fit(1.0, 1.0, SLIDE_W, SLIDE_H).font(1.0e9), 400_000);
    assert_eq!(m.font(0.0), 100);
}

#[test]
fn connection_sites_follow_the_side_a_route_touches() {
    let r = Rect {
        x: 10.0,
        y: 10.0,
        w: 100.0,
        h: 40.0,
    };
    assert_eq!(site(&r, Point { x: 50.0, y: 10.0 }), 0);
    assert_eq!(site(&r, Point { x: 10.0, y: 30.0 }), 1);
    assert_eq!(site(&r, Point { x: 30.0, y: 50.0 }), 2);
    assert_eq!(site(&r, Point { x: 110.0, y: 20.0 }), 3);
}

fn preset(g: &Geometry) -> (&'static str, i64, bool, bool, Vec<(&'static str, i64)>) {
    match g {
        Geometry::Preset {
            prst,
            rot,
            flip_h,
            flip_v,
            adj,
        } => (prst, *rot, *flip_h, *flip_v, adj.clone()),
        Geometry::Path(_) => ("path", 0, false, false, Vec::new()),
    }
}

#[test]
fn routes_become_straight_bent_or_freeform_connectors() {
    // straight, right to left and upwards: both flips
    let (b, g) = route_geometry(&[(100, 100), (0, 0)]);
    assert_eq!((b.x, b.y, b.w, b.h), (0, 0, 100, 100));
    assert_eq!(preset(&g), ("straightConnector1", 0, true, true, vec![]));
    // repeated and collinear points do not count as bends
    let (_, g) = route_geometry(&[(0, 0), (0, 0), (50, 0), (100, 0)]);
    assert_eq!(preset(&g).0, "straightConnector1");
    // one bend, across first
    let (_, g) = route_geometry(&[(0, 0), (100, 0), (100, 50)]);
    assert_eq!(preset(&g), ("bentConnector2", 0, false, false, vec![]));
    // one bend, down first: rotated 90°, the box's sides swapped about its centre
    let (b, g) = route_geometry(&[(0, 0), (0, 50), (100, 50)]);
    assert_eq!(
        preset(&g),
        ("bentConnector2", 5_400_000, false, true, vec![])
    );
    assert_eq!((b.x, b.y, b.w, b.h), (25, -25, 50, 100));
    // a Z across: the middle segment at 30 % of the way
    let (_, g) = route_geometry(&[(0, 0), (30, 0), (30, 80), (100, 80)]);
    assert_eq!(
        preset(&g),
        ("bentConnector3", 0, false, false, vec![("adj1", 30_000)])
    );
    // a Z downwards, right to left
    let (_, g) = route_geometry(&[(100, 0), (100, 20), (0, 20), (0, 80)]);
    assert_eq!(
        preset(&g),
        (
            "bentConnector3",
            5_400_000,
            false,
            false,
            vec![("adj1", 25_000)]
        )
    );
    // a diagonal detour or more bends: the exact route
    let (_, g) = route_geometry(&[(0, 0), (40, 10), (100, 80)]);
    assert!(matches!(g, Geometry::Path(ref p) if p.len() == 3));
    let (_, g) = route_geometry(&[(0, 0), (10, 0), (10, 10), (20, 10), (20, 20)]);
    assert!(matches!(g, Geometry::Path(_)));
}

#[test]
fn the_bundled_model_gives_a_valid_package() {
    let m = bundled();
    let g = Graph::build(&m);
    let deck = build(&g, &options(View::DEFAULT.to_vec())).unwrap();
    let parts = unzip(&deck.bytes);
    check_package(&parts);
    let slides = parts
        .keys()
        .filter(|k| k.starts_with("ppt/slides/slide"))
        .count();
    assert_eq!(slides, deck.slides.len());
    assert_eq!(deck.slides[..4], ["title", "goals", "health", "plan"]);
    assert_eq!(deck.slides.last().map(String::as_str), Some("standards"));
    assert!(deck.slides.contains(&"sv-1".to_string()));
    let notes = parts
        .keys()
        .filter(|k| k.starts_with("ppt/notesSlides/notesSlide"))
        .count();
    assert_eq!(notes, slides);
    let sv1 = deck.slides.iter().position(|s| s == "sv-1").unwrap() + 1;
    let xml = &parts[&format!("ppt/slides/slide{sv1}.xml")];
    assert!(xml.contains("name=\"Node sys-salesforce\""));
    assert!(
        xml.contains("<a:prstGeom prst=\"can\">"),
        "Snowflake is a data store"
    );
    assert!(xml.contains("<a:stCxn ") && xml.contains("<a:endCxn "));
    assert!(
        xml.contains("<p:grpSp>"),
        "labels are grouped with their connector"
    );
    assert!(
        xml.contains("<a:prstDash val=\"dash\"/>"),
        "planned is dashed"
    );
    assert!(xml.contains("<a:noAutofit/>") && !xml.contains("normAutofit"));
    assert!(xml.contains("typeface=\"Arial\""));
    for table in ["goals", "health", "plan", "standards"] {
        let k = deck.slides.iter().position(|s| s == table).unwrap() + 1;
        assert!(
            parts[&format!("ppt/slides/slide{k}.xml")].contains("<a:tbl>"),
            "{table}"
        );
    }
}

#[test]
fn the_same_model_gives_the_same_bytes() {
    let m = bundled();
    let g = Graph::build(&m);
    let opts = options(vec![View::Sv1, View::Ov2]);
    let a = build(&g, &opts).unwrap();
    let b = build(&g, &opts).unwrap();
    assert!(a.bytes == b.bytes, "two runs differ");
}

#[test]
fn hostile_names_stay_text() {
    let evil = "<script>alert(\"x\")</script> & 'y' ]]> \u{1}\u{1b}[1m\u{fffe}";
    let sv = format!(
        r#"(systems: [
            (id: "a", name: {evil:?}, kind: crm, vendor: "</a:t><a:t>"),
            (id: "b", name: "B & <C>", kind: bi)],
          integrations: [(id: "i", name: "</p:sp>", source: "a", target: "b", mechanism: api, frequency: daily)])"#
    );
    let av = format!(
        r#"(name: {evil:?}, purpose: "<p:sld>", scope: "", plan_period: "FY&27",
            goals: [(id: "g", name: "]]>", target: "<100%")])"#
    );
    let m = model(&[("av.ron", &av), ("sv.ron", &sv)]);
    let g = Graph::build(&m);
    for theme in [Theme::Light, Theme::Dark, Theme::Print] {
        let deck = build(
            &g,
            &Options {
                theme,
                ..options(vec![View::Sv1, View::Sv2])
            },
        )
        .unwrap();
        let parts = unzip(&deck.bytes);
        check_package(&parts);
        let texts: String = parts
            .iter()
            .filter(|(k, _)| k.starts_with("ppt/slides/slide"))
            .flat_map(|(_, v)| {
                let doc = roxmltree::Document::parse(v).unwrap();
                doc.descendants()
                    .filter(|n| n.has_tag_name("t"))
                    .filter_map(|n| n.text().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(
            texts.contains("<script>alert(\"x\")</script> & 'y' ]]>"),
            "{texts}"
        );
        assert!(texts.contains("B & <C>"));
        assert!(!texts.contains('\u{1}') && !texts.contains('\u{1b}'));
        assert!(parts["docProps/core.xml"].contains("&lt;script&gt;"));
    }
}

#[test]
fn a_model_without_views_or_findings_still_makes_a_deck() {
    let m = model(&[("sv.ron", r#"(systems: [(id: "a", name: "A", kind: crm)])"#)]);
    let g = Graph::build(&m);
    let deck = build(&g, &options(View::DEFAULT.to_vec())).unwrap();
    check_package(&unzip(&deck.bytes));
    let none = build(
        &g,
        &Options {
            max_findings: 0,
            ..options(Vec::new())
        },
    )
    .unwrap();
    assert_eq!(
        none.slides,
        ["title", "goals", "health", "plan", "standards"]
    );
}

#[test]
fn an_activity_no_system_supports_gets_the_badge() {
    let ov = r#"(performers: [(id: "p", name: "Sales")],
        activities: [(id: "a", name: "Qualify by hand", performer: "p", stage: close)])"#;
    let m = model(&[("ov.ron", ov)]);
    let g = Graph::build(&m);
    let deck = build(
        &g,
        &Options {
            max_findings: 0,
            ..options(vec![View::Ov5b])
        },
    )
    .unwrap();
    let parts = unzip(&deck.bytes);
    check_package(&parts);
    let xml = &parts["ppt/slides/slide5.xml"];
    assert!(xml.contains("name=\"Node act-a\""), "{xml}");
    assert!(xml.contains("prst=\"noSmoking\""), "{xml}");
}
