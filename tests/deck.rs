//! `revarch deck`: writes one .pptx at the chosen path (byte-identical
//! across runs), a slide per drawing `render` makes, and nothing on a bad
//! argument or an invalid model. The real-client check (python-pptx,
//! LibreOffice) is `tests/deck/check_pptx.py`, run by `.ci/run`.

use std::io::Read;

mod common;
use common::{revarch, run_in};

/// Names of the parts in a zip.
fn part_names(bytes: &[u8]) -> Vec<String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            f.name().to_string()
        })
        .collect()
}

#[test]
fn the_bundled_model_gives_one_deck_byte_identical_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("sub/plan.pptx");
    let b = dir.path().join("again.pptx");
    let (code, _, err) = revarch(&["deck", "models", "--out", a.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("slides: title, goals, health, plan"), "{err}");
    let (code, _, err) = revarch(&["deck", "models", "--out", b.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (x, y) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert!(x == y, "two runs differ");
    assert!(x.starts_with(b"PK\x03\x04"));
    // nothing else was written next to it (no temporary file left)
    let names: Vec<_> = std::fs::read_dir(a.parent().unwrap()).unwrap().collect();
    assert_eq!(names.len(), 1);
    // a slide per drawing `render` writes, plus title, goals, health,
    // plan, focus slides (10 at most) and standards
    let svg = dir.path().join("svg");
    let (_, _, rendered) = revarch(&["render", "models", "--out", svg.to_str().unwrap()]);
    let drawings = rendered.lines().filter(|l| l.starts_with("wrote ")).count();
    let slides = part_names(&x)
        .iter()
        .filter(|n| n.starts_with("ppt/slides/slide"))
        .count();
    let (_, json, _) = revarch(&["check", "models", "--format", "json", "--fail-on", "never"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["state"] == "to-be")
        .count();
    assert_eq!(slides, 4 + drawings + findings.min(10) + 1);
}

#[test]
fn options_choose_views_state_theme_and_findings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sv.pptx");
    let (code, _, err) = revarch(&[
        "deck",
        "models",
        "--out",
        out.to_str().unwrap(),
        "--view",
        "sv-1",
        "--state",
        "as-is",
        "--theme",
        "dark",
        "--findings",
        "0",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("(6 slides: title, goals, health, plan, sv-1, standards)"),
        "{err}"
    );
}

#[test]
fn bad_arguments_and_invalid_models_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.pptx");
    let o = out.to_str().unwrap();
    let (code, _, err) = revarch(&["deck", "models", "--out", o, "--view", "sv-3"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `sv-1`"), "{err}");
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(systems: [(id: \"a\", kind: nonsense)])").unwrap();
    let (code, _, err) = revarch(&["deck", bad.to_str().unwrap(), "--out", o]);
    assert_eq!(code, 2, "{err}");
    assert!(!out.exists());
    // a folder at the output path is refused, not replaced
    let (code, _, err) = run_in(dir.path(), &["deck", "--out", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("folder"), "{err}");
}

#[test]
fn a_bad_template_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.pptx");
    let o = out.to_str().unwrap();
    let bad = dir.path().join("company.pptx");
    std::fs::write(&bad, "this is not a presentation").unwrap();
    let (code, _, err) = revarch(&[
        "deck",
        "models",
        "--out",
        o,
        "--template",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("company.pptx") && err.contains("not a .pptx"),
        "{err}"
    );
    assert!(!out.exists());
    let missing = dir.path().join("nope.pptx");
    let (code, _, err) = revarch(&[
        "deck",
        "models",
        "--out",
        o,
        "--template",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot read template") && err.contains("nope.pptx"),
        "{err}"
    );
    assert!(!out.exists());
    // a deck is a template too: the output of one run styles the next
    let first = dir.path().join("first.pptx");
    let (code, _, err) = revarch(&[
        "deck",
        "models",
        "--out",
        first.to_str().unwrap(),
        "--view",
        "sv-1",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = revarch(&[
        "deck",
        "models",
        "--out",
        o,
        "--view",
        "sv-1",
        "--template",
        first.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.exists());
}
