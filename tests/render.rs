//! `revarch render`: golden SVGs, well-formed and standalone output, layout
//! invariants on the reference model's views, the findings overlay, escaping.
//!
//! Goldens: `tests/golden/render/`, refreshed deliberately with
//! `REVARCH_BLESS=1 cargo test --test render` (review the diff).

use std::collections::BTreeSet;
use std::path::Path;

mod common;
use common::{revarch, root};

use revarch::analysis::RULE_IDS;
use revarch::graph::Graph;
use revarch::model::{read, ModelSource, State};
use revarch::render::{layout, render, Theme, View};

fn golden(name: &str, actual: &str) {
    common::golden("render", name, actual)
}

fn model(path: &str) -> revarch::model::Loaded {
    let l = read(&ModelSource::Path(root().join(path)), RULE_IDS);
    assert!(!l.has_errors());
    l
}

fn all_views(g: &Graph<'_>) -> Vec<View> {
    let mut v = View::DEFAULT.to_vec();
    for n in g.nodes_of(revarch::model::Kind::Entity) {
        v.push(View::Lineage(g.entity(n).id().as_str().to_string()));
    }
    v
}

/// Well-formed, standalone: one svg root with size and viewBox, no scripts,
/// no external references.
fn assert_standalone(name: &str, svg: &str) {
    let opts = resvg::usvg::Options::default();
    resvg::usvg::Tree::from_str(svg, &opts)
        .unwrap_or_else(|e| panic!("{name}: not valid SVG: {e}"));
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{name}"
    );
    assert!(
        svg.contains(" width=\"") && svg.contains(" height=\"") && svg.contains(" viewBox=\""),
        "{name}"
    );
    for bad in [
        "<script",
        "href=",
        "url(",
        "@import",
        "<image",
        "<foreignObject",
    ] {
        assert!(!svg.contains(bad), "{name} contains {bad}");
    }
    assert!(svg.contains("<title id=\"title\">"), "{name} has a title");
    assert!(svg.contains("id=\"legend\""), "{name} has a legend");
}

#[test]
fn small_example_views_are_golden() {
    let l = model("examples/single-file.ron");
    let g = Graph::build(&l.model);
    for view in all_views(&g) {
        let r = render(&view, &g, State::ToBe, true).expect("view");
        let svg = r.svg(Theme::Light);
        assert_standalone(&view.id(), &svg);
        golden(&format!("single-file-{}.svg", view.id()), &svg);
    }
    // themes
    let r = render(&View::Sv2, &g, State::AsIs, true).unwrap();
    for (theme, name) in [(Theme::Dark, "dark"), (Theme::Print, "print")] {
        let svg = r.svg(theme);
        assert_standalone(name, &svg);
        golden(&format!("single-file-sv-2-as-is-{name}.svg"), &svg);
    }
}

#[test]
fn reference_views_keep_layout_invariants() {
    let l = model("models");
    let g = Graph::build(&l.model);
    let mut problems = Vec::new();
    for state in State::ALL {
        for view in all_views(&g) {
            let r = render(&view, &g, state, true).expect("view");
            for p in layout::check_invariants(&r.diagram, &r.layout) {
                problems.push(format!("{state} {}: {p}", view.id()));
            }
            assert_standalone(&view.id(), &r.svg(Theme::Light));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn rendering_is_deterministic() {
    let l = model("models");
    let g = Graph::build(&l.model);
    for view in View::DEFAULT {
        let a = render(&view, &g, State::ToBe, true)
            .unwrap()
            .svg(Theme::Light);
        let b = render(&view, &g, State::ToBe, true)
            .unwrap()
            .svg(Theme::Light);
        assert!(a == b, "{}", view.id());
    }
}

/// Ids of elements carrying a finding class (subjects and related).
fn marked(svg: &str) -> BTreeSet<String> {
    marked_as(svg, " finding")
}

/// Ids of elements whose `<g>` line contains `class`.
fn marked_as(svg: &str, class: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in svg.lines() {
        if line.starts_with("<g id=\"") && line.contains(class) {
            let id = &line[7..];
            if let Some(end) = id.find('"') {
                out.insert(id[..end].to_string());
            }
        }
    }
    out
}

#[test]
fn overlay_marks_exactly_what_check_reports() {
    for (model_path, expect_some) in [
        ("models", true),
        ("examples/silos", true),
        ("examples/clean", false),
    ] {
        let (code, json, _) = revarch(&[
            "check",
            model_path,
            "--state",
            "to-be",
            "--format",
            "json",
            "--fail-on",
            "never",
        ]);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let mut systems = BTreeSet::new();
        let mut integrations = BTreeSet::new();
        for f in v["findings"].as_array().unwrap() {
            let rule = f["rule"].as_str().unwrap();
            if !revarch::render::views::OVERLAY_RULES.contains(&rule) {
                continue;
            }
            for e in std::iter::once(&f["subject"]).chain(f["related"].as_array().unwrap()) {
                match e["kind"].as_str().unwrap() {
                    "system" => {
                        systems.insert(format!("sys-{}", e["id"].as_str().unwrap()));
                    }
                    "integration" => {
                        integrations.insert(format!("edge-int-{}", e["id"].as_str().unwrap()));
                    }
                    _ => {}
                }
            }
        }
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_str().unwrap();
        let (code, _, err) = revarch(&["render", model_path, "--out", dir, "--view", "sv-2"]);
        assert_eq!(code, 0, "{err}");
        let svg = std::fs::read_to_string(Path::new(dir).join("sv-2.svg")).unwrap();
        let marks = marked(&svg);
        // integrations touching a retired system are not drawn in to-be
        let drawn_integrations: BTreeSet<String> = integrations
            .into_iter()
            .filter(|i| svg.contains(&format!("<g id=\"{i}\"")))
            .collect();
        let expected: BTreeSet<String> = systems.union(&drawn_integrations).cloned().collect();
        assert_eq!(marks, expected, "{model_path}");
        assert_eq!(!marks.is_empty(), expect_some, "{model_path}");
        // what a finding is about is outlined strongly, what it involves
        // faintly, never both
        let subjects = marked_as(&svg, " finding finding-");
        let related = marked_as(&svg, "finding-related");
        assert!(subjects.is_disjoint(&related), "{model_path}");
        if model_path == "models" {
            for (id, strong) in [
                ("sys-zendesk", true),       // holds the silo'd tickets
                ("sys-google-sheets", true), // the exposed PII holder
                ("sys-salesforce", true),    // a single point of failure
                ("sys-gainsight", false),    // needs the tickets
            ] {
                let set = if strong { &subjects } else { &related };
                assert!(
                    set.contains(id),
                    "{id}: subjects {subjects:?}, related {related:?}"
                );
            }
        }
        // and nothing is marked without --findings
        let (_, _, _) = revarch(&[
            "render",
            model_path,
            "--out",
            dir,
            "--view",
            "sv-2",
            "--no-findings",
        ]);
        let plain = std::fs::read_to_string(Path::new(dir).join("sv-2.svg")).unwrap();
        assert!(marked(&plain).is_empty());
    }
}

#[test]
fn hostile_names_are_text_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("m");
    std::fs::create_dir(&model).unwrap();
    std::fs::write(
        model.join("sv.ron"),
        r#"(systems: [
            (id: "a", name: "<script>alert(1)</script>", kind: crm, vendor: "\"><img src=x onerror=alert(1)>", holds: [(entity: "e", role: record)]),
            (id: "b", name: "B & C's", kind: bi),
          ], integrations: [(id: "i", name: "</g><script>", source: "a", target: "b", carries: ["e"], mechanism: api, frequency: daily)])"#,
    )
    .unwrap();
    std::fs::write(
        model.join("div.ron"),
        r#"(entities: [(id: "e", name: "<b>E</b>", attributes: [(name: "<x>", key: true)])])"#,
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (code, _, err) = revarch(&[
        "render",
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--entity",
        "e",
        "--view",
        "ov-2",
        "--view",
        "ov-5b",
        "--view",
        "sv-1",
        "--view",
        "sv-2",
        "--view",
        "div-2",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 6);
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert_standalone(&path.display().to_string(), &svg);
        assert!(
            !svg.contains("<script") && !svg.contains("<img") && !svg.contains("<b>"),
            "{}",
            path.display()
        );
    }
    let sv1 = std::fs::read_to_string(out.join("sv-1.svg")).unwrap();
    assert!(sv1.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn render_command_writes_every_view_and_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("svg");
    let d = dir.to_str().unwrap();
    let (code, _, err) = revarch(&[
        "render", "models", "--out", d, "--entity", "account", "--view", "sv-1",
    ]);
    assert_eq!(code, 0, "{err}");
    let names: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["sv-1.svg".to_string(), "lineage-account.svg".to_string()])
    );
    let (code, _, _) = revarch(&["render", "models", "--out", d]);
    assert_eq!(code, 0);
    for v in ["ov-2", "ov-5b", "sv-1", "sv-2", "div-2"] {
        assert!(dir.join(format!("{v}.svg")).exists(), "{v}");
    }
    let (code, _, _) = revarch(&[
        "render", "models", "--out", d, "--format", "dot", "--view", "sv-2",
    ]);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(dir.join("sv-2.dot"))
        .unwrap()
        .starts_with("digraph"));
    let (code, _, _) = revarch(&[
        "render", "models", "--out", d, "--format", "mermaid", "--view", "sv-2",
    ]);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(dir.join("sv-2.mmd"))
        .unwrap()
        .contains("flowchart"));
    let (code, _, err) = revarch(&["render", "models", "--out", d, "--entity", "acount"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `account`"), "{err}");
    let (code, _, err) = revarch(&["render", "models", "--out", d, "--view", "sv-3"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown view"), "{err}");
}

#[test]
fn png_is_twice_the_size() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().to_str().unwrap();
    let (code, _, err) = revarch(&[
        "render",
        "examples/single-file.ron",
        "--out",
        d,
        "--view",
        "sv-2",
        "--png",
    ]);
    assert_eq!(code, 0, "{err}");
    let png = std::fs::read(tmp.path().join("sv-2.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let svg = std::fs::read_to_string(tmp.path().join("sv-2.svg")).unwrap();
    let w: f64 = svg
        .split("width=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let png_w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(png_w, (w * 2.0).ceil() as u32);
}

#[test]
fn readme_diagram_is_current() {
    let l = model("models");
    let g = Graph::build(&l.model);
    let svg = render(&View::Sv2, &g, State::ToBe, true)
        .unwrap()
        .svg(Theme::Light);
    let committed = std::fs::read_to_string(root().join("docs/sv-2.svg")).unwrap_or_default();
    assert!(
        committed == svg,
        "docs/sv-2.svg is stale: run `cargo run --release -- render --view sv-2 --out docs`"
    );
}

// ---------------------------------------------------------------- diff

use revarch::render::diff::{diff_mermaid, render_diff, DiffMarks};

/// Ids only in one model are added/removed; `changed` as given (what the
/// model diff reports for the fixture's edits).
fn diff_marks(old: &Graph<'_>, new: &Graph<'_>, changed: &[&str]) -> DiffMarks {
    let ids = |g: &Graph<'_>| -> BTreeSet<String> {
        g.inner()
            .node_weights()
            .map(|r| r.id().as_str().to_string())
            .collect()
    };
    let (o, n) = (ids(old), ids(new));
    DiffMarks {
        added: n.difference(&o).cloned().collect(),
        removed: o.difference(&n).cloned().collect(),
        changed: changed.iter().map(|s| s.to_string()).collect(),
    }
}

/// What tests/fixtures/diff/single-file-new.ron changes in examples/single-file.ron.
const FIXTURE_CHANGED: [&str; 6] = [
    "mailchimp",
    "mailchimp-pipedrive",
    "lead-handoff",
    "lead-to-deal",
    "gdpr",
    "report",
];

#[test]
fn diff_drawings_are_golden() {
    let (lo, ln) = (
        model("examples/single-file.ron"),
        model("tests/fixtures/diff/single-file-new.ron"),
    );
    let (old, new) = (Graph::build(&lo.model), Graph::build(&ln.model));
    let marks = diff_marks(&old, &new, &FIXTURE_CHANGED);
    assert!(marks.added.contains("snowflake") && marks.removed.contains("bigquery"));
    let subtitle = "changes from main to HEAD";
    for (view, state, theme, name) in [
        (View::Sv2, State::ToBe, Theme::Light, "sv-2"),
        (View::Sv1, State::AsIs, Theme::Print, "sv-1-as-is-print"),
        (View::Ov2, State::ToBe, Theme::Dark, "ov-2-dark"),
        (
            View::Lineage("lead".into()),
            State::ToBe,
            Theme::Light,
            "lineage-lead",
        ),
    ] {
        let r = render_diff(&view, &old, &new, state, &marks, subtitle).expect("view");
        assert_eq!(
            layout::check_invariants(&r.diagram, &r.layout),
            Vec::<String>::new(),
            "{name}"
        );
        let svg = r.svg(theme);
        assert_standalone(name, &svg);
        assert!(
            svg.contains("— changes from main to HEAD</title>"),
            "{name}"
        );
        golden(&format!("diff-single-file-{name}.svg"), &svg);
    }
    let mm = diff_mermaid(&View::Sv2, &old, &new, State::ToBe, &marks);
    golden("diff-single-file-sv-2.mmd", &mm);
    let mm = diff_mermaid(&View::Ov5b, &old, &new, State::ToBe, &marks);
    golden("diff-single-file-ov-5b.mmd", &mm);
}

#[test]
fn diff_of_unrelated_models_keeps_layout_invariants() {
    // The reference model against two examples: large merges with every
    // kind of node and edge added, removed and kept, in both directions.
    let reference = model("models");
    let g_ref = Graph::build(&reference.model);
    let mut problems = Vec::new();
    for other in ["examples/integrations", "examples/silos"] {
        let l = model(other);
        let g = Graph::build(&l.model);
        for (old, new) in [(&g_ref, &g), (&g, &g_ref)] {
            let marks = diff_marks(old, new, &[]);
            let mut views = View::DEFAULT.to_vec();
            views.push(View::Lineage("account".into()));
            views.push(View::Lineage("lead".into()));
            for state in State::ALL {
                for view in &views {
                    let Some(r) = render_diff(view, old, new, state, &marks, other) else {
                        continue;
                    };
                    for p in layout::check_invariants(&r.diagram, &r.layout) {
                        problems.push(format!("{other} {state} {}: {p}", view.id()));
                    }
                    let keys: BTreeSet<&str> =
                        r.diagram.nodes.iter().map(|n| n.key.as_str()).collect();
                    assert_eq!(keys.len(), r.diagram.nodes.len(), "{}", view.id());
                    assert_standalone(&view.id(), &r.svg(Theme::Light));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn diff_hostile_names_stay_text() {
    let load = |sv: &str| {
        let l = revarch::model::read_texts(&[("sv.ron", sv)], RULE_IDS);
        assert!(!l.has_errors());
        l
    };
    let lo = load(
        r#"(systems: [(id: "b", name: "B", kind: bi), (id: "c", name: "C\"]", kind: bi)],
            integrations: [(id: "j", name: "j", source: "b", target: "c", mechanism: api, frequency: daily)])"#,
    );
    let ln = load(
        r#"(systems: [
            (id: "a", name: "<script>alert(1)</script>", kind: crm, vendor: "\"--> n9[\"x\"] %%{init: {}}%% `x` #35; &amp; |y|"),
            (id: "b", name: "B & 'C' -->|x| ; end; subgraph", kind: bi)],
          integrations: [(id: "i", name: "</g><script>", source: "a", target: "b", mechanism: api, frequency: daily, direction: bidirectional)])"#,
    );
    let (old, new) = (Graph::build(&lo.model), Graph::build(&ln.model));
    let set = |s: &[&str]| s.iter().map(|s| s.to_string()).collect();
    let marks = DiffMarks {
        added: set(&["a", "i"]),
        removed: set(&["c", "j"]),
        changed: set(&["b"]),
    };
    let r = render_diff(&View::Sv2, &old, &new, State::ToBe, &marks, "<script>\"'&").unwrap();
    for theme in [Theme::Light, Theme::Dark, Theme::Print] {
        let svg = r.svg(theme);
        assert_standalone("hostile diff", &svg);
        assert!(!svg.contains("<script") && !svg.contains("</g><"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("— &lt;script&gt;&quot;&apos;&amp;</title>"));
    }
    // checked in Mermaid 10 and 11 by tests/renderers/mermaid.sh
    golden(
        "diff-hostile-sv-2.mmd",
        &diff_mermaid(&View::Sv2, &old, &new, State::ToBe, &marks),
    );
}

/// `--max-nodes` forces the reference SV-2 (18 systems) to be split: an
/// overview plus one file per group, every drawing golden, valid and laid
/// out without overlaps; byte-identical on a second run.
#[test]
fn render_splits_large_views_per_group() {
    let run = || {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("svg");
        let (code, _, err) = revarch(&[
            "render",
            "models",
            "--out",
            d.to_str().unwrap(),
            "--view",
            "sv-2",
            "--max-nodes",
            "5",
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("split sv-2: 18 nodes"), "{err}");
        let files: std::collections::BTreeMap<String, String> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        (tmp, err, files)
    };
    let (_t1, err, first) = run();
    let (_t2, _, second) = run();
    assert_eq!(first, second, "byte-identical on re-run");
    let names: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "sv-2--finance.svg",
            "sv-2--part-1.svg",
            "sv-2--part-2.svg",
            "sv-2--part-3.svg",
            "sv-2--revops.svg",
            "sv-2.svg"
        ]
    );
    for (name, svg) in &first {
        assert!(err.contains(name.as_str()), "{name} is printed");
        assert_standalone(name, svg);
        golden(&format!("split-reference-{name}"), svg);
    }
    assert!(first["sv-2.svg"].contains("overview by owning team (18 systems in 5 groups"));
    // DOT and Mermaid are split the same way
    for (format, ext) in [("dot", "dot"), ("mermaid", "mmd")] {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("x");
        let (code, _, err) = revarch(&[
            "render",
            "models",
            "--out",
            d.to_str().unwrap(),
            "--view",
            "sv-2",
            "--max-nodes",
            "5",
            "--format",
            format,
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(d.join(format!("sv-2.{ext}")).exists());
        assert!(d.join(format!("sv-2--revops.{ext}")).exists());
    }
    // At the default (--fit slide) the reference model's SV-1, SV-2 and
    // OV-2 fit one slide legibly: one file each, not split, and each page
    // fits 1920 × 1080 at its own size or larger (names ≥ 20 px). (DIV-2,
    // 0.97 of that, is split; OV-5b too.)
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("y");
    let mut args = vec!["render", "models", "--out", d.to_str().unwrap()];
    for v in ["sv-1", "sv-2", "ov-2"] {
        args.extend(["--view", v]);
    }
    let (code, _, err) = revarch(&args);
    assert_eq!(code, 0);
    assert!(!err.contains("split "), "{err}");
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 3);
    for v in ["sv-1", "sv-2", "ov-2"] {
        let svg = std::fs::read_to_string(d.join(format!("{v}.svg"))).unwrap();
        let (w, h) = svg_size(&svg);
        let scale = (1920.0 / w).min(1080.0 / h);
        assert!(
            scale >= 1.0,
            "{v}: {w} x {h} is shown at {scale:.2} on a slide"
        );
    }
    // --fit none keeps the old rule: not split below 120 nodes.
    let d = tmp.path().join("z");
    let (code, _, err) = revarch(&[
        "render",
        "models",
        "--out",
        d.to_str().unwrap(),
        "--fit",
        "none",
    ]);
    assert_eq!(code, 0);
    assert!(!err.contains("split "), "{err}");
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 5);
}

/// Width and height of an SVG document (its root's attributes).
fn svg_size(svg: &str) -> (f64, f64) {
    let attr = |name: &str| -> f64 {
        let at = svg.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let end = svg[at..].find('"').unwrap();
        svg[at..at + end].parse().unwrap()
    };
    (attr("width"), attr("height"))
}

/// Every drawing of every split view of the reference model keeps the
/// layout invariants, at several thresholds.
#[test]
fn split_drawings_keep_layout_invariants() {
    let l = model("models");
    let g = Graph::build(&l.model);
    for max in [3, 5, 8] {
        for view in View::DEFAULT {
            let r = revarch::render::render_view(
                &view,
                &g,
                State::ToBe,
                true,
                revarch::render::Sizing::nodes(revarch::render::Fit::Slide, max),
            )
            .unwrap();
            assert!(!r.parts.is_empty(), "{} splits at {max}", view.id());
            for (name, d) in std::iter::once((view.id(), &r.main))
                .chain(r.parts.iter().map(|p| (p.slug.clone(), &p.rendered)))
            {
                let v = layout::check_invariants(&d.diagram, &d.layout);
                assert!(v.is_empty(), "{} {name} at {max}: {v:?}", view.id());
            }
        }
    }
}
