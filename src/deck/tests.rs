use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use super::draw::{route_geometry, site};
use super::package;
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

/// Parts by name, as text.
type Parts = BTreeMap<String, String>;
/// Parts in zip order, as bytes.
type Zipped = Vec<(String, Vec<u8>)>;
/// What breaks a package, and how.
type Breaker = (&'static str, fn(&mut Parts));

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

#[test]
fn the_package_check_notices_broken_packages() {
    let m = model(&[("sv.ron", r#"(systems: [(id: "a", name: "A", kind: crm)])"#)]);
    let g = Graph::build(&m);
    let good = unzip(&build(&g, &options(vec![View::Sv1])).unwrap().bytes);
    let breakers: Vec<Breaker> = vec![
        ("a part without a content type", |p: &mut Parts| {
            p.insert("ppt/media/x.bin".into(), "x".into());
        }),
        ("a relationship to a missing part", |p: &mut Parts| {
            p.remove("ppt/theme/theme2.xml");
        }),
        ("an unreferenced part", |p: &mut Parts| {
            let t = p["ppt/theme/theme1.xml"].clone();
            p.insert("ppt/theme/theme9.xml".into(), t);
            let ct = p["[Content_Types].xml"].replace(
                    "</Types>",
                    "<Override PartName=\"/ppt/theme/theme9.xml\" ContentType=\"application/xml\"/></Types>",
                );
            p.insert("[Content_Types].xml".into(), ct);
        }),
    ];
    for (what, breaker) in breakers {
        let mut parts = good.clone();
        breaker(&mut parts);
        let caught = std::panic::catch_unwind(|| check_package(&parts));
        assert!(caught.is_err(), "the check misses {what}");
    }
}

/// A template made from the built-in package: its theme's fonts and
/// accent colour changed, its one layout renamed, a title layout and a logo
/// (a PNG the master shows) added, and two slides of its own.
fn company_template() -> Vec<u8> {
    let m = model(&[("sv.ron", r#"(systems: [(id: "a", name: "A", kind: crm)])"#)]);
    let g = Graph::build(&m);
    let deck = build(
        &g,
        &Options {
            max_findings: 0,
            ..options(Vec::new())
        },
    )
    .unwrap();
    let mut parts = unzip_ordered(&deck.bytes);
    let text = |parts: &Vec<(String, Vec<u8>)>, name: &str| -> String {
        let (_, b) = parts.iter().find(|(n, _)| n == name).unwrap();
        String::from_utf8(b.clone()).unwrap()
    };
    let set = |parts: &mut Vec<(String, Vec<u8>)>, name: &str, text: String| match parts
        .iter_mut()
        .find(|(n, _)| n == name)
    {
        Some(p) => p.1 = text.into_bytes(),
        None => parts.push((name.to_string(), text.into_bytes())),
    };
    let theme = text(&parts, "ppt/theme/theme1.xml")
        .replacen(
            "<a:latin typeface=\"Arial\"/>",
            "<a:latin typeface=\"Georgia\"/>",
            1,
        )
        .replacen(
            "<a:latin typeface=\"Arial\"/>",
            "<a:latin typeface=\"Verdana\"/>",
            1,
        )
        .replace(
            "<a:accent1><a:srgbClr val=\"0072B2\"/>",
            "<a:accent1><a:srgbClr val=\"AA0044\"/>",
        )
        .replace(
            "name=\"revarch\"><a:themeElements>",
            "name=\"Company\"><a:themeElements>",
        );
    set(&mut parts, "ppt/theme/theme1.xml", theme);
    let blank = text(&parts, "ppt/slideLayouts/slideLayout1.xml")
        .replace("name=\"Blank\"", "name=\"Company blank\"");
    set(
        &mut parts,
        "ppt/slideLayouts/slideLayout1.xml",
        blank.clone(),
    );
    let title = blank
        .replace("type=\"blank\"", "type=\"title\"")
        .replace("name=\"Company blank\"", "name=\"Company title\"")
        .replace(
            "</p:grpSpPr>",
            "</p:grpSpPr><p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title 1\"/><p:cNvSpPr/><p:nvPr><p:ph type=\"ctrTitle\"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>",
        );
    set(&mut parts, "ppt/slideLayouts/slideLayout2.xml", title);
    let layout_rels = text(&parts, "ppt/slideLayouts/_rels/slideLayout1.xml.rels");
    set(
        &mut parts,
        "ppt/slideLayouts/_rels/slideLayout2.xml.rels",
        layout_rels,
    );
    let master = text(&parts, "ppt/slideMasters/slideMaster1.xml").replace(
        "</p:sldLayoutIdLst>",
        "<p:sldLayoutId id=\"2147483650\" r:id=\"rId3\"/></p:sldLayoutIdLst>",
    );
    set(&mut parts, "ppt/slideMasters/slideMaster1.xml", master);
    let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let master_rels = text(&parts, "ppt/slideMasters/_rels/slideMaster1.xml.rels").replace(
        "</Relationships>",
        &format!(
            "<Relationship Id=\"rId3\" Type=\"{r}/slideLayout\" Target=\"../slideLayouts/slideLayout2.xml\"/>\
<Relationship Id=\"rId4\" Type=\"{r}/image\" Target=\"../media/logo.png\"/>\
<Relationship Id=\"rId5\" Type=\"{r}/hyperlink\" Target=\"https://example.com/?a&amp;b\" TargetMode=\"External\"/>\
<Relationship Id=\"rId6\" Type=\"{r}/slide\" Target=\"../slides/slide1.xml\"/></Relationships>"
        ),
    );
    set(
        &mut parts,
        "ppt/slideMasters/_rels/slideMaster1.xml.rels",
        master_rels,
    );
    parts.push((
        "ppt/media/logo.png".into(),
        b"\x89PNG\r\n\x1a\n not really".to_vec(),
    ));
    let types = text(&parts, "[Content_Types].xml").replace(
        "<Default Extension=\"xml\"",
        "<Default Extension=\"png\" ContentType=\"image/png\"/><Default Extension=\"xml\"",
    ).replace(
        "</Types>",
        "<Override PartName=\"/ppt/slideLayouts/slideLayout2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml\"/></Types>",
    );
    set(&mut parts, "[Content_Types].xml", types);
    package::zip(&parts).unwrap()
}

/// The layout a slide of the output is made on.
fn layout_of(parts: &BTreeMap<String, String>, k: usize) -> String {
    let rels = &parts[&format!("ppt/slides/_rels/slide{k}.xml.rels")];
    let doc = roxmltree::Document::parse(rels).unwrap();
    let target = doc
        .descendants()
        .find(|n| {
            n.attribute("Type")
                .is_some_and(|t| t.ends_with("/slideLayout"))
        })
        .and_then(|n| n.attribute("Target"))
        .unwrap()
        .to_string();
    template::resolve(&format!("ppt/slides/slide{k}.xml"), &target).unwrap()
}

#[test]
fn a_template_gives_its_masters_layouts_and_theme() {
    let bytes = company_template();
    let t = Template::parse(&bytes, "company.pptx").unwrap();
    assert_eq!(t.size, (SLIDE_W, SLIDE_H));
    assert_eq!(t.layouts.len(), 2);
    assert_eq!(
        t.layout(template::Use::Title).unwrap().name,
        "Company title"
    );
    assert_eq!(
        t.layout(template::Use::Drawing).unwrap().name,
        "Company blank"
    );
    assert_eq!(t.layout(template::Use::Text).unwrap().name, "Company blank");
    assert!(t.parts.contains_key("ppt/media/logo.png"));
    assert!(
        !t.parts.keys().any(|k| k.starts_with("ppt/slides/")),
        "its slides are dropped"
    );

    let m = bundled();
    let g = Graph::build(&m);
    let opts = Options {
        template: Some(t),
        ..options(vec![View::Sv1])
    };
    let deck = build(&g, &opts).unwrap();
    let again = build(&g, &opts).unwrap();
    assert!(deck.bytes == again.bytes, "two runs with a template differ");
    let parts = unzip(&deck.bytes);
    check_package(&parts);
    // the template's theme, master, layouts and logo, byte for byte
    let tpl = unzip(&bytes);
    for name in [
        "ppt/theme/theme1.xml",
        "ppt/slideMasters/slideMaster1.xml",
        "ppt/slideLayouts/slideLayout1.xml",
        "ppt/slideLayouts/slideLayout2.xml",
        "ppt/media/logo.png",
    ] {
        assert_eq!(parts[name], tpl[name], "{name}");
    }
    assert!(parts["ppt/theme/theme1.xml"].contains("Georgia"));
    // the master's relationship to a slide of the template is dropped, the
    // external link kept (escaped)
    let rels = &parts["ppt/slideMasters/_rels/slideMaster1.xml.rels"];
    assert!(!rels.contains("/slide\""), "{rels}");
    assert!(
        rels.contains("https://example.com/?a&amp;b") && rels.contains("TargetMode=\"External\"")
    );
    // only the deck's own slides
    let slides = parts
        .keys()
        .filter(|k| k.starts_with("ppt/slides/slide"))
        .count();
    assert_eq!(slides, deck.slides.len());
    // the notes master keeps a theme of its own, not the template's
    let notes_rels = &parts["ppt/notesMasters/_rels/notesMaster1.xml.rels"];
    assert!(!notes_rels.contains("theme1.xml"), "{notes_rels}");
    // layouts by kind of slide
    assert_eq!(layout_of(&parts, 1), "ppt/slideLayouts/slideLayout2.xml");
    assert_eq!(layout_of(&parts, 2), "ppt/slideLayouts/slideLayout1.xml");
    let sv1 = deck.slides.iter().position(|s| s == "sv-1").unwrap() + 1;
    assert_eq!(layout_of(&parts, sv1), "ppt/slideLayouts/slideLayout1.xml");
    // text slides in the template's fonts and colours, on its background;
    // the title a placeholder where the layout has one
    let title = &parts["ppt/slides/slide1.xml"];
    assert!(title.contains("<p:ph type=\"ctrTitle\"/>"), "{title}");
    assert!(title.contains("typeface=\"+mj-lt\"") && title.contains("<a:schemeClr val=\"tx1\"/>"));
    assert!(!title.contains("<p:bg>"));
    let goals = &parts["ppt/slides/slide2.xml"];
    assert!(
        goals.contains("typeface=\"+mn-lt\"") && goals.contains("<a:schemeClr val=\"accent1\"/>")
    );
    // drawings keep the SVG theme's colours, findings highlight included
    let sv = &parts[&format!("ppt/slides/slide{sv1}.xml")];
    assert!(sv.contains("name=\"Node sys-salesforce\"") && sv.contains("<a:stCxn "));
    assert!(sv.contains("typeface=\"Arial\""));
    // an older 16:9 size (10 × 5.625 in) is kept, the slides drawn on it
    let small: Zipped = unzip_ordered(&bytes)
        .into_iter()
        .map(|(n, b)| {
            let b = if n == "ppt/presentation.xml" {
                String::from_utf8_lossy(&b)
                    .replace(
                        "cx=\"12192000\" cy=\"6858000\"",
                        "cx=\"9144000\" cy=\"5143500\"",
                    )
                    .into_bytes()
            } else {
                b
            };
            (n, b)
        })
        .collect();
    let t = Template::parse(&package::zip(&small).unwrap(), "small.pptx").unwrap();
    assert_eq!(t.size, (9_144_000, 5_143_500));
    let deck = build(
        &g,
        &Options {
            template: Some(t),
            ..options(vec![View::Sv1])
        },
    )
    .unwrap();
    let parts = unzip(&deck.bytes);
    check_package(&parts);
    assert!(parts["ppt/presentation.xml"].contains("<p:sldSz cx=\"9144000\" cy=\"5143500\"/>"));
    let sv = &parts[&format!("ppt/slides/slide{sv1}.xml")];
    let doc = roxmltree::Document::parse(sv).unwrap();
    for off in doc.descendants().filter(|n| n.has_tag_name("off")) {
        let x: i64 = off.attribute("x").unwrap().parse().unwrap();
        let y: i64 = off.attribute("y").unwrap().parse().unwrap();
        assert!(
            x <= 9_144_000 && y <= 5_143_500,
            "({x}, {y}) is off the slide"
        );
    }
    // without a template: the built-in master
    let plain = unzip(&build(&g, &options(vec![View::Sv1])).unwrap().bytes);
    assert!(!plain["ppt/theme/theme1.xml"].contains("Georgia"));
    assert!(!plain["ppt/slides/slide1.xml"].contains("<p:ph "));
}

#[test]
fn hostile_templates_are_errors_not_panics() {
    let good = company_template();
    let err = |bytes: &[u8]| {
        Template::parse(bytes, "t.pptx")
            .err()
            .map(|e| e.to_string())
    };
    assert!(err(&good).is_none());
    let e = err(b"not a zip at all").unwrap();
    assert!(e.contains("t.pptx") && e.contains("not a .pptx"), "{e}");
    // every truncation of a good template fails cleanly
    for cut in (0..good.len()).step_by(97) {
        let _ = err(&good[..cut]);
    }
    // and so does every template with a byte flipped
    for at in (0..good.len()).step_by(89) {
        let mut bad = good.clone();
        bad[at] ^= 0x5a;
        let _ = err(&bad);
    }
    let with = |edit: &dyn Fn(&mut Zipped)| {
        let mut parts = unzip_ordered(&good);
        edit(&mut parts);
        err(&package::zip(&parts).unwrap())
    };
    let e = with(&|p| p.retain(|(n, _)| n != "[Content_Types].xml")).unwrap();
    assert!(e.contains("not a PowerPoint presentation"), "{e}");
    let e = with(&|p| p.retain(|(n, _)| n != "ppt/slideLayouts/slideLayout2.xml")).unwrap();
    assert!(
        e.contains("part ppt/slideLayouts/slideLayout2.xml is missing")
            && e.contains("slideMaster1.xml.rels"),
        "{e}"
    );
    let e =
        with(&|p| p.retain(|(n, _)| n != "ppt/slideMasters/_rels/slideMaster1.xml.rels")).unwrap();
    assert!(e.contains("layout"), "{e}");
    let e = with(&|p| {
        for (n, b) in p.iter_mut() {
            if n == "ppt/presentation.xml" {
                *b = String::from_utf8_lossy(b)
                    .replace(
                        "cx=\"12192000\" cy=\"6858000\"",
                        "cx=\"9144000\" cy=\"6858000\"",
                    )
                    .into_bytes();
            }
        }
    })
    .unwrap();
    assert!(
        e.contains("not 16:9") && e.contains("10.00 × 7.50 in"),
        "{e}"
    );
    let e = with(&|p| {
        for (n, b) in p.iter_mut() {
            if n == "ppt/presentation.xml" {
                *b = String::from_utf8_lossy(b)
                    .replace(
                        "cx=\"12192000\" cy=\"6858000\"",
                        "cx=\"9223372036854775807\" cy=\"-1\"",
                    )
                    .into_bytes();
            }
        }
    })
    .unwrap();
    assert!(e.contains("t.pptx"), "{e}");
    let e = with(&|p| {
        for (n, b) in p.iter_mut() {
            if n == "ppt/slideMasters/_rels/slideMaster1.xml.rels" {
                *b = String::from_utf8_lossy(b)
                    .replace("../media/logo.png", "../../../../etc/passwd")
                    .into_bytes();
            }
        }
    })
    .unwrap();
    assert!(e.contains("leaves the package"), "{e}");
    let e = with(&|p| {
        for (n, b) in p.iter_mut() {
            if n == "ppt/slideMasters/_rels/slideMaster1.xml.rels" {
                *b = String::from_utf8_lossy(b)
                    .replace("../media/logo.png", "../presProps.xml")
                    .into_bytes();
            }
        }
    })
    .unwrap();
    assert!(e.contains("writes itself"), "{e}");
    // a zip bomb: the logo inflates past the cap for one part
    let e = with(&|p| {
        for (n, b) in p.iter_mut() {
            if n == "ppt/media/logo.png" {
                *b = vec![0; (template::MAX_PART + 1) as usize];
            }
        }
    })
    .unwrap();
    assert!(e.contains("too large") && e.contains("logo.png"), "{e}");
}
