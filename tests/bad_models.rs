//! The hostile-input corpus: every model in `tests/bad-models/` (a whole-model
//! `NAME.ron` or a folder `NAME/`) is checked by the binary within a time
//! bound, and its output compared with `tests/golden/bad-models/NAME.txt`.
//! Models that load are also drawn, reported and diffed with themselves, and
//! nothing they carry may reach an output unescaped.
//!
//! `tests/bad-models/make.py` makes the generated cases. Accept new output
//! deliberately: `REVARCH_BLESS=1 cargo test --test bad_models`, then review
//! `git diff tests/golden/bad-models`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;
use common::{golden, parse_csv, root, run_in};

/// The bound on one `check` of a corpus model (debug build included).
const BOUND: Duration = Duration::from_secs(2);

fn cases() -> Vec<PathBuf> {
    let dir = root().join("tests/bad-models");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "ron"))
        .collect();
    cases.sort();
    cases
}

fn name(case: &Path) -> String {
    case.file_stem().unwrap().to_string_lossy().into_owned()
}

fn rel(case: &Path) -> String {
    case.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn the_corpus_is_large_enough() {
    assert!(cases().len() >= 25, "{} cases", cases().len());
}

#[test]
fn every_bad_model_gets_its_expected_diagnostics_in_time() {
    let mut slow = Vec::new();
    for case in cases() {
        let started = Instant::now();
        let (code, stdout, stderr) = run_in(&root(), &["check", &rel(&case), "--color", "never"]);
        let took = started.elapsed();
        if took > BOUND {
            slow.push(format!("{}: {took:?}", name(&case)));
        }
        assert!(
            (0..=2).contains(&code),
            "{}: exit {code} (a crash?)\n{stderr}",
            name(&case)
        );
        assert!(!stderr.contains("panicked"), "{}: {stderr}", name(&case));
        // No raw control character reaches the terminal.
        for text in [&stdout, &stderr] {
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{}: a control character in the output",
                name(&case)
            );
        }
        golden(
            "bad-models",
            &format!("{}.txt", name(&case)),
            &format!("exit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}"),
        );
    }
    assert!(slow.is_empty(), "over {BOUND:?}: {slow:?}");
}

/// A golden without a case is stale (a case was renamed or removed).
#[test]
fn no_golden_without_a_case() {
    let names: Vec<String> = cases().iter().map(|c| format!("{}.txt", name(c))).collect();
    let dir = root().join("tests/golden/bad-models");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return; // nothing blessed yet: the test above says so
    };
    for e in entries {
        let file = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            names.contains(&file),
            "stale golden tests/golden/bad-models/{file}"
        );
    }
}

/// Valid hostile models go through every output; their payloads come out
/// escaped for each format.
#[test]
fn valid_hostile_models_are_escaped_in_every_output() {
    for case in cases() {
        let model = rel(&case);
        let (code, _, _) = run_in(&root(), &["check", &model, "--color", "never"]);
        if code == 2 {
            continue; // invalid: covered by the goldens
        }
        let out = tempfile::tempdir().unwrap();
        let o = out.path().to_str().unwrap();
        let runs: Vec<Vec<String>> = vec![
            vec![
                "render".into(),
                model.clone(),
                "--out".into(),
                format!("{o}/svg"),
            ],
            vec![
                "render".into(),
                model.clone(),
                "--out".into(),
                format!("{o}/dot"),
                "--format".into(),
                "dot".into(),
            ],
            vec![
                "render".into(),
                model.clone(),
                "--out".into(),
                format!("{o}/mmd"),
                "--format".into(),
                "mermaid".into(),
            ],
            vec![
                "render".into(),
                model.clone(),
                "--out".into(),
                format!("{o}/focus"),
                "--focus".into(),
                "all".into(),
            ],
            vec![
                "render".into(),
                model.clone(),
                "--out".into(),
                format!("{o}/focus-as-is"),
                "--focus".into(),
                "all".into(),
                "--state".into(),
                "as-is".into(),
            ],
            vec![
                "report".into(),
                model.clone(),
                "--out".into(),
                format!("{o}/report"),
            ],
            vec![
                "check".into(),
                model.clone(),
                "--format".into(),
                "sarif".into(),
            ],
            vec![
                "check".into(),
                model.clone(),
                "--format".into(),
                "json".into(),
            ],
            vec![
                "check".into(),
                model.clone(),
                "--format".into(),
                "csv".into(),
            ],
            vec![
                "diff".into(),
                model.clone(),
                model.clone(),
                "--format".into(),
                "markdown".into(),
            ],
        ];
        for args in runs {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, stdout, stderr) = run_in(&root(), &args);
            assert!(
                code == 0 || code == 1,
                "{}: {args:?} exit {code}\n{stderr}",
                name(&case)
            );
            if args[0] == "check" && args[3] == "csv" {
                // parses, one width, and no model text starts a formula
                let rows = parse_csv(stdout.trim_start_matches('\u{feff}'));
                let width = rows.first().map_or(0, Vec::len);
                for row in &rows {
                    assert_eq!(row.len(), width, "{}: {row:?}", name(&case));
                    for f in row {
                        assert!(
                            !f.starts_with(['=', '+', '-', '@', '\t', '\r']),
                            "{}: formula in CSV: {f:?}",
                            name(&case)
                        );
                    }
                }
            } else if args[0] == "check" {
                let _: serde_json::Value = serde_json::from_str(&stdout)
                    .unwrap_or_else(|e| panic!("{}: {args:?}: {e}", name(&case)));
            }
        }
        for file in walk(out.path()) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "svg" | "html") {
                for raw in [
                    "<script",
                    "<img",
                    "onmouseover=\"",
                    "<a href=\"javascript:",
                    "<!--",
                ] {
                    assert!(
                        !text.contains(raw),
                        "{}: raw `{raw}` in {}",
                        name(&case),
                        file.display()
                    );
                }
                assert!(
                    !text
                        .chars()
                        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
                    "{}: a control character in {}",
                    name(&case),
                    file.display()
                );
            }
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}
