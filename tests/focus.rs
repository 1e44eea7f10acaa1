//! `revarch render --focus`: one slide per finding, named by the key that
//! `check --format json` prints; unknown keys with a suggestion; `all`;
//! byte-identical runs; escaping; PNG and themes; a golden slide.
//!
//! Golden: `tests/golden/render/focus-*.svg`, refreshed deliberately with
//! `REVARCH_BLESS=1 cargo test --test focus` (review the diff).

use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::revarch;

/// (key, message) of every finding `check --format json` reports in a state.
fn findings(model: &str, state: &str) -> Vec<(String, String)> {
    let (_, json, err) = revarch(&["check", model, "--format", "json", "--fail-on", "never"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {err}"));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["state"] == state)
        .map(|f| {
            (
                f["key"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// File name → bytes of every file in a folder.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn render(args: &[&str]) -> (i32, String) {
    let mut all = vec!["render"];
    all.extend_from_slice(args);
    let (code, _, err) = revarch(&all);
    (code, err)
}

#[test]
fn all_writes_one_slide_per_finding_byte_identical_across_runs() {
    let tmp = tempfile::tempdir().unwrap();
    for state in ["to-be", "as-is"] {
        let expected = findings("models", state);
        assert!(expected.len() > 3, "{state}");
        let a = tmp.path().join(format!("{state}-a"));
        let b = tmp.path().join(format!("{state}-b"));
        for dir in [&a, &b] {
            let (code, err) = render(&[
                "models",
                "--out",
                dir.to_str().unwrap(),
                "--focus",
                "all",
                "--state",
                state,
            ]);
            assert_eq!(code, 0, "{err}");
            assert_eq!(err.matches("wrote ").count(), expected.len(), "{err}");
        }
        let (fa, fb) = (files(&a), files(&b));
        assert_eq!(fa.len(), expected.len(), "{:?}", fa.keys());
        assert!(fa == fb, "{state}: two runs differ");
        for (name, bytes) in &fa {
            assert!(
                name.starts_with("focus-") && name.ends_with(".svg"),
                "{name}"
            );
            let svg = String::from_utf8(bytes.clone()).unwrap();
            assert!(svg.contains("<g id=\"caption\">"), "{name}");
        }
        // every key is on its slide (the caption's kicker)
        let all: String = fa
            .values()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect();
        for (key, _) in &expected {
            let shown = key.replace('&', "&amp;");
            assert!(all.contains(&shown), "{state}: {key} has no slide");
        }
    }
}

#[test]
fn a_key_as_check_prints_it_draws_that_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("slides");
    let key = "data-silo/unreachable:ticket[gainsight,score-health]";
    assert!(findings("models", "to-be").iter().any(|(k, _)| k == key));
    let (code, err) = render(&["models", "--out", out.to_str().unwrap(), "--focus", key]);
    assert_eq!(code, 0, "{err}");
    let written = files(&out);
    let name = "focus-data-silo--unreachable--ticket--gainsight-score-health.svg";
    assert_eq!(written.keys().collect::<Vec<_>>(), [name]);
    let svg = String::from_utf8(written[name].clone()).unwrap();
    assert!(svg.contains("Data silo: Support ticket"));
    assert!(svg.contains(">Problem:</tspan>") && svg.contains(">Fix:</tspan>"));
    // the same file name as with --focus all
    let all = tmp.path().join("all");
    let (code, _) = render(&["models", "--out", all.to_str().unwrap(), "--focus", "all"]);
    assert_eq!(code, 0);
    assert_eq!(files(&all)[name], written[name]);
    // with --view, both are drawn; a repeated key once
    let both = tmp.path().join("both");
    let (code, err) = render(&[
        "models",
        "--out",
        both.to_str().unwrap(),
        "--view",
        "sv-1",
        "--focus",
        key,
        "--focus",
        key,
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(files(&both).len(), 2);
}

#[test]
fn unknown_keys_fail_with_a_suggestion_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("never");
    let d = out.to_str().unwrap();
    // a typo
    let (code, err) = render(&[
        "models",
        "--out",
        d,
        "--focus",
        "data-silo/unreachable:tiket[gainsight,score-health]",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean `data-silo/unreachable:ticket[gainsight,score-health]`?"),
        "{err}"
    );
    // without the identity part: the findings about that subject
    let (code, err) = render(&[
        "models",
        "--out",
        d,
        "--focus",
        "single-point-of-failure/only-route:",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`single-point-of-failure/only-route:cpq`"),
        "{err}"
    );
    // a finding of the other state
    let (code, err) = render(&[
        "models",
        "--out",
        d,
        "--focus",
        "data-silo/isolated-system:amplitude",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("pass `--state as-is`"), "{err}");
    // nothing like it; control characters are not echoed raw
    let (code, err) = render(&["models", "--out", d, "--focus", "\u{1b}[31mnonsense"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("revarch check --format json") && !err.contains('\u{1b}'),
        "{err:?}"
    );
    // a bad key among good ones: nothing is written
    let (code, _) = render(&["models", "--out", d, "--focus", "all", "--focus", "nope"]);
    assert_eq!(code, 2);
    assert!(!out.exists());
}

#[test]
fn suppressed_findings_can_be_named_but_all_leaves_them_out() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("s");
    let key = "data-silo/unreachable:nps-response[hubspot,renewal-prep]";
    let (code, err) = render(&[
        "examples/suppressed",
        "--out",
        d.to_str().unwrap(),
        "--focus",
        key,
    ]);
    assert_eq!(code, 0, "{err}");
    let slide = files(&d).into_values().next().unwrap();
    let svg = String::from_utf8(slide).unwrap();
    assert!(svg.contains(">Allowed:</tspan>"), "{svg}");
    let all = tmp.path().join("all");
    let (code, _) = render(&[
        "examples/suppressed",
        "--out",
        all.to_str().unwrap(),
        "--focus",
        "all",
    ]);
    assert_eq!(code, 0);
    let names: Vec<String> = files(&all).into_keys().collect();
    assert_eq!(names, ["focus-warehouse-gap--not-loaded--ticket.svg"]);
}

#[test]
fn a_state_without_findings_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("clean");
    let (code, err) = render(&[
        "examples/clean",
        "--out",
        d.to_str().unwrap(),
        "--focus",
        "all",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("no findings in the to-be state: no focus slides"),
        "{err}"
    );
}

#[test]
fn slides_are_16_by_9_in_every_theme_and_as_png() {
    let tmp = tempfile::tempdir().unwrap();
    let key = "orphan-integration/retired-endpoint:on24-salesforce-attendee-sync";
    for theme in ["light", "dark", "print"] {
        let d = tmp.path().join(theme);
        let (code, err) = render(&[
            "models",
            "--out",
            d.to_str().unwrap(),
            "--focus",
            key,
            "--theme",
            theme,
            "--png",
        ]);
        assert_eq!(code, 0, "{err}");
        let f = files(&d);
        assert_eq!(f.len(), 2, "{:?}", f.keys());
        let (svg, png) = (
            &f[&format!("{}.svg", stem(key))],
            &f[&format!("{}.png", stem(key))],
        );
        let svg = String::from_utf8(svg.clone()).unwrap();
        let attr = |name: &str| -> f64 {
            svg.split(&format!(" {name}=\""))
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        let (w, h) = (attr("width"), attr("height"));
        assert_eq!(w * 9.0, h * 16.0, "{theme}: {w}×{h}");
        assert_eq!(&png[1..4], b"PNG");
        let png_w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let png_h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((png_w, png_h), ((w * 2.0) as u32, (h * 2.0) as u32));
    }
}

fn stem(key: &str) -> String {
    format!("focus-{}", revarch::render::slides::slug(key))
}

#[test]
fn model_text_on_slides_is_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("m");
    std::fs::create_dir(&model).unwrap();
    std::fs::write(
        model.join("sv.ron"),
        r#"(systems: [
            (id: "a", name: "<script>alert(1)</script> `x`", kind: crm, vendor: "\"><img src=x>", holds: [(entity: "e", role: record)]),
            (id: "b", name: "B & C's", kind: bi),
          ])"#,
    )
    .unwrap();
    std::fs::write(
        model.join("div.ron"),
        r#"(entities: [(id: "e", name: "<b>E</b>")])"#,
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (code, err) = render(&[
        model.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--focus",
        "all",
    ]);
    assert_eq!(code, 0, "{err}");
    let f = files(&out);
    assert!(f.len() >= 2, "{:?}", f.keys());
    for (name, bytes) in f {
        let svg = String::from_utf8(bytes).unwrap();
        resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            !svg.contains("<script") && !svg.contains("<img") && !svg.contains("<b>"),
            "{name}"
        );
    }
}

#[test]
fn a_slide_of_the_small_example_is_golden() {
    let tmp = tempfile::tempdir().unwrap();
    let key = "data-silo/unreachable:lead[pipedrive,qualify-leads]";
    let (code, err) = render(&[
        "examples/single-file.ron",
        "--out",
        tmp.path().to_str().unwrap(),
        "--state",
        "as-is",
        "--focus",
        key,
    ]);
    assert_eq!(code, 0, "{err}");
    let name = format!("{}.svg", stem(key));
    let svg = std::fs::read_to_string(tmp.path().join(&name)).unwrap();
    common::golden("render", &format!("single-file-as-is-{name}"), &svg);
}

#[test]
fn readme_slide_is_current() {
    let key = "data-silo/unreachable:ticket[gainsight,score-health]";
    let tmp = tempfile::tempdir().unwrap();
    let (code, err) = render(&[
        "models",
        "--out",
        tmp.path().to_str().unwrap(),
        "--focus",
        key,
    ]);
    assert_eq!(code, 0, "{err}");
    let name = format!("{}.svg", stem(key));
    let svg = std::fs::read_to_string(tmp.path().join(&name)).unwrap();
    let committed =
        std::fs::read_to_string(common::root().join("docs").join(&name)).unwrap_or_default();
    assert!(
        committed == svg,
        "docs/{name} is stale: run `cargo run --release -- render --focus '{key}' --out docs`"
    );
}
