//! End-to-end tests of the `revarch` binary: exit codes, output formats,
//! golden files and hostile input.
//!
//! Golden files live in `tests/golden/`. To accept new output deliberately:
//! `REVARCH_BLESS=1 cargo test --test cli`, then review `git diff tests/golden`.
//! Shared helpers (binary runner, golden comparison) are in `tests/common/`.

use std::path::Path;

use assert_cmd::Command;

mod common;
use common::{parse_csv, root};

/// The binary, run from the crate root with a clean environment.
fn revarch() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_revarch"));
    c.env_clear().current_dir(root());
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    run_in(&root(), args)
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let (code, stdout, stderr) = common::run_in(dir, args);
    Run {
        code,
        stdout,
        stderr,
    }
}

fn golden(name: &str, actual: &str) {
    common::golden("", name, actual)
}

#[test]
fn reference_model_check_text_and_json_are_golden() {
    let r = run(&["check", "models", "--color", "never"]);
    assert_eq!(
        r.code, 1,
        "the reference model has one error-level finding (CAC cannot be computed)\n{}{}",
        r.stdout, r.stderr
    );
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    golden("check-models.txt", &r.stdout);
    let j = run(&["check", "models", "--format", "json"]);
    assert_eq!(j.code, 1);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).expect("valid JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["valid"], true);
    golden("check-models.json", &j.stdout);
}

#[test]
fn default_model_is_models_folder_or_bundled() {
    // exit 1: the reference model's one error (see models/av.ron)
    let here = run(&["check", "--color", "never"]);
    assert_eq!(here.code, 1);
    assert!(here.stdout.contains("— models\n"), "{}", here.stdout);
    let tmp = tempfile::tempdir().unwrap();
    let bundled = run_in(tmp.path(), &["check", "--color", "never"]);
    assert_eq!(bundled.code, 1, "{}", bundled.stderr);
    assert!(
        bundled.stdout.contains("<bundled reference model>"),
        "{}",
        bundled.stdout
    );
    // Same findings either way (the bundled copy is the models folder).
    let strip = |s: &str| {
        s.lines()
            .skip(1)
            .map(|l| l.split("  ").next().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&here.stdout).len(), strip(&bundled.stdout).len());
}

#[test]
fn output_is_deterministic() {
    let a = run(&["check", "models", "--format", "json"]).stdout;
    let b = run(&["check", "models", "--format", "json"]).stdout;
    assert_eq!(a, b);
    let a = run(&["graph", "models", "--format", "dot"]).stdout;
    let b = run(&["graph", "models", "--format", "dot"]).stdout;
    assert_eq!(a, b);
}

#[test]
fn broken_model_reports_all_four_problems_with_locations() {
    let r = run(&["check", "examples/broken", "--color", "never"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for code in [
        "unknown-reference",
        "duplicate-id",
        "syntax",
        "unknown-variant",
    ] {
        assert!(
            r.stderr.contains(&format!("error[{code}]")),
            "missing {code}:\n{}",
            r.stderr
        );
    }
    // every diagnostic has file:line:col
    let located = r
        .stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("┌─ examples/broken/"))
        .count();
    assert!(located >= 4, "{}", r.stderr);
    assert!(r.stderr.contains("did you mean"), "{}", r.stderr);
    golden("check-broken.txt", &r.stderr);
    let j = run(&["check", "examples/broken", "--format", "json"]);
    assert_eq!(j.code, 2);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["valid"], false);
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(diags.len() >= 4);
    assert!(diags
        .iter()
        .all(|d| d["line"].as_u64().is_some() && d["file"].is_string()));
}

#[test]
fn exit_codes_follow_fail_on() {
    // governance example has an error-level finding (kpi-without-data)
    assert_eq!(run(&["check", "examples/governance"]).code, 1);
    assert_eq!(
        run(&["check", "examples/governance", "--fail-on", "never"]).code,
        0
    );
    assert_eq!(
        run(&["check", "examples/clean", "--fail-on", "info"]).code,
        0
    );
    assert_eq!(run(&["check", "models", "--fail-on", "warning"]).code, 1);
    // usage errors are clap's exit code 2
    assert_eq!(run(&["check", "--fail-on", "sometimes"]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
}

#[test]
fn single_state_reports_only_that_state() {
    let r = run(&["check", "models", "--state", "as-is", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["states"], serde_json::json!(["as-is"]));
    assert!(v.get("plan").is_none());
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["state"] == "as-is"));
}

#[test]
fn graph_exports_dot_and_json() {
    let dot = run(&["graph", "models"]);
    assert_eq!(dot.code, 0);
    assert!(dot.stdout.starts_with("digraph "));
    assert!(dot.stdout.contains("masters"));
    let json = run(&["graph", "models", "--format", "json", "--state", "as-is"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(v["nodes"].as_array().unwrap().len() > 50);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("g/graph.json");
    let r = run(&[
        "graph",
        "models",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(out).unwrap().contains("\"edges\""));
}

#[test]
fn schema_is_json_schema() {
    let r = run(&["schema"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["$schema"].as_str().unwrap().contains("json-schema.org"));
    let sv = run(&["schema", "--part", "sv"]);
    assert!(sv.stdout.contains("integrations"));
}

#[test]
fn rules_lists_every_rule() {
    let r = run(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        revarch::analysis::RULE_IDS.len()
    );
}

#[test]
fn help_and_version() {
    revarch().arg("--help").assert().success();
    revarch().args(["check", "--help"]).assert().success();
    revarch().arg("--version").assert().success();
}

// ---------------------------------------------------------------------------
// hostile input: never a panic, always a clear error and exit code 2
// ---------------------------------------------------------------------------

fn assert_clean_failure(r: &Run, expect: &str) {
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(
        r.stderr.contains(expect),
        "expected `{expect}` in:\n{}",
        r.stderr
    );
}

fn model_dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn check_dir(dir: &Path) -> Run {
    run(&["check", dir.to_str().unwrap(), "--color", "never"])
}

#[test]
fn missing_path() {
    assert_clean_failure(&run(&["check", "no/such/model"]), "no such file or folder");
}

#[test]
fn folder_without_ron() {
    let d = model_dir(&[("notes.txt", b"hello")]);
    assert_clean_failure(&check_dir(d.path()), "no model files");
}

#[test]
fn empty_files_are_empty_viewpoints() {
    // A file of only comments is empty too (it was a syntax error, while an
    // empty file was an empty viewpoint).
    let d = model_dir(&[("av.ron", b""), ("sv.ron", b"   \n// nothing yet\n")]);
    let r = check_dir(d.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let d = model_dir(&[("av.ron", b""), ("sv.ron", b"\n")]);
    assert_eq!(check_dir(d.path()).code, 0);
}

#[test]
fn binary_garbage() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let d = model_dir(&[("sv.ron", &garbage)]);
    let r = check_dir(d.path());
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn non_utf8_is_located() {
    let d = model_dir(&[("ov.ron", b"(performers: [(id: \"a\", name: \"Caf\xe9\")])")]);
    assert_clean_failure(&check_dir(d.path()), "is not UTF-8");
}

#[test]
fn deeply_nested() {
    let mut s = String::from("(systems: ");
    s.push_str(&"[".repeat(100_000));
    let d = model_dir(&[("sv.ron", s.as_bytes())]);
    assert_clean_failure(&check_dir(d.path()), "nesting");
}

#[test]
fn fifty_megabytes() {
    // 50 MB of whitespace and comments, then an error at the very end.
    let mut s = String::with_capacity(50 * 1024 * 1024 + 64);
    while s.len() < 50 * 1024 * 1024 {
        s.push_str("// padding padding padding padding padding padding padding padding\n");
    }
    s.push_str("(systems: [(id: 1)])\n");
    let d = model_dir(&[("sv.ron", s.as_bytes())]);
    let r = check_dir(d.path());
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("sv.ron:"),
        "{}",
        &r.stderr[..r.stderr.len().min(2000)]
    );
}

#[cfg(unix)]
#[test]
fn permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let d = model_dir(&[("sv.ron", b"(systems: [])")]);
    let p = d.path().join("sv.ron");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&p).is_ok() {
        return; // running as root: permissions are not enforced
    }
    assert_clean_failure(&check_dir(d.path()), "permission denied");
}

#[test]
fn unknown_files_are_warned_about() {
    let d = model_dir(&[("sv.ron", b"(systems: [])"), ("systems.ron", b"()")]);
    let r = check_dir(d.path());
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("warning[unknown-file]"), "{}", r.stderr);
}

#[test]
fn many_errors_in_one_file_are_all_reported() {
    let sv = br#"(systems: [
        (id: "a", name: "A", kind: crn),
        (id: "b", name: "B", kind: crm, lifecycle: retired),
        (id: "c", nmae: "C", kind: crm),
        (id: "d", name: "D", kind: crm, owner: "nobody"),
    ])"#;
    let d = model_dir(&[("sv.ron", sv)]);
    let r = check_dir(d.path());
    assert_eq!(r.code, 2);
    for needle in [
        "error[unknown-variant]",
        "`crm`",
        "retired",
        "error[unknown-field]",
        "did you mean `name`",
        "error[unknown-reference]",
    ] {
        assert!(
            r.stderr.contains(needle),
            "missing `{needle}`:\n{}",
            r.stderr
        );
    }
    assert!(r.stderr.contains("sv.ron:2:"), "{}", r.stderr);
    assert!(r.stderr.contains("sv.ron:5:"), "{}", r.stderr);
}

#[test]
fn wrong_viewpoint_reference() {
    let ov = br#"(performers: [(id: "sales", name: "Sales")],
        activities: [(id: "close", name: "Close", performer: "crm", stage: close)])"#;
    let sv = br#"(systems: [(id: "crm", name: "CRM", kind: crm)])"#;
    let d = model_dir(&[("ov.ron", ov), ("sv.ron", sv)]);
    let r = check_dir(d.path());
    assert_clean_failure(
        &r,
        "`crm` is a system, but `performer` of activity `close` needs a performer",
    );
}

#[test]
fn hostile_strings_stay_text() {
    let sv = br#"(systems: [(id: "x", name: "<script>alert(1)</script>", kind: crm)])"#;
    let d = model_dir(&[("sv.ron", sv)]);
    let dot = run(&["graph", d.path().to_str().unwrap()]);
    assert_eq!(dot.code, 0);
    assert!(
        dot.stdout.contains("<script>alert(1)</script>"),
        "DOT keeps text as text"
    );
    let evil = br#"(systems: [(id: "x", name: "a\"] ; evil [label=\"", kind: crm)])"#;
    let d = model_dir(&[("sv.ron", evil)]);
    let dot = run(&["graph", d.path().to_str().unwrap()]);
    assert!(
        dot.stdout.contains(r#"a\"] ; evil [label=\""#),
        "{}",
        dot.stdout
    );
}

#[test]
fn broken_pipe_is_quiet() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let mut child = Std::new(env!("CARGO_BIN_EXE_revarch"))
        .args(["graph", "models", "--format", "json"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the pipe closes
    let out = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

/// `--out /dev/null` (and `--write-baseline /dev/null`, which the help
/// suggests) must write into the device, never replace it by a file: CI
/// containers run as root, where a rename over `/dev/null` succeeds.
#[cfg(unix)]
#[test]
fn writing_to_dev_null_keeps_the_device() {
    use std::os::unix::fs::FileTypeExt;
    for args in [
        &["graph", "models", "--out", "/dev/null"][..],
        &["check", "models", "--write-baseline", "/dev/null"][..],
    ] {
        let r = run(args);
        assert_eq!(r.code, 0, "{args:?}\n{}", r.stderr);
        let t = std::fs::metadata("/dev/null").unwrap().file_type();
        assert!(t.is_char_device(), "{args:?} replaced /dev/null");
    }
}

/// Model text reaches the terminal with its control characters escaped as
/// `{:?}` does: a name cannot clear the screen, retitle the window or forge
/// a `-->` location line, with or without colour.
#[test]
fn control_characters_in_model_text_are_escaped_in_check_output() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["av.ron", "ov.ron", "sv.ron", "stdv.ron", "div.ron"] {
        let text = std::fs::read_to_string(root().join("examples/silos").join(f)).unwrap();
        let text = text
            .replace(
                r#"name: "Ticket""#,
                r#"name: "Ticket\u{1b}[2J\u{1b}]0;pwned\u{7}\r\n  --> models/sv.ron:1:1  system `x`""#,
            )
            .replace(
                r#"name: "Pinecone HR — silos example""#,
                r#"name: "Pinecone\u{1b}]8;;http://evil.example\u{1b}\\link\u{9b}2J""#,
            );
        std::fs::write(dir.path().join(f), text).unwrap();
    }
    let model = dir.path().to_str().unwrap();
    for color in ["never", "always"] {
        let r = run(&["check", model, "--color", color]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(r"Ticket\u{1b}[2J"), "{}", r.stdout);
        for raw in ["\u{1b}[2J", "\u{1b}]", "\u{7}", "\r", "\u{9b}"] {
            assert!(!r.stdout.contains(raw), "{raw:?} reached the terminal");
        }
        if color == "never" {
            assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
        }
        assert!(
            !r.stdout
                .lines()
                .any(|l| l.trim_start().starts_with("--> models/sv.ron:1:1")),
            "a forged location line: {}",
            r.stdout
        );
    }
}

/// 4,000 duplicate ids on one (minified) line: the first 50 are shown, each
/// with a window of the line around it, the rest counted; stderr stays small
/// (it held the whole line once per error: 35 s and 2 GB before).
#[test]
fn thousands_of_errors_on_one_long_line_stay_bounded() {
    let items: Vec<String> = (0..4_000)
        .map(|i| format!(r#"(id: "dup", name: "S{i}", kind: crm)"#))
        .collect();
    let sv = format!("(systems: [{}])", items.join(","));
    let d = model_dir(&[("sv.ron", sv.as_bytes())]);
    let r = check_dir(d.path());
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.len() < 100_000,
        "{} bytes of stderr",
        r.stderr.len()
    );
    assert_eq!(
        r.stderr
            .matches("error[duplicate-id]: duplicate id")
            .count(),
        50
    );
    assert!(
        r.stderr
            .contains("… and 3949 more errors of this kind (`duplicate-id`)"),
        "{}",
        &r.stderr[r.stderr.len().saturating_sub(2000)..]
    );
    assert!(r.stderr.contains("is invalid: 3999 errors"));
    // The 50th is located on the real line and column.
    let col = sv.match_indices(r#""dup""#).nth(50).unwrap().0 + 1;
    assert!(
        r.stderr.contains(&format!("sv.ron:1:{col}")),
        "column {col}"
    );
}

/// A name of a megabyte is drawn cut to a bounded label (it made every view
/// megabytes wide, a 166 MB report and a 1.6 GB PNG run); the model keeps it.
#[test]
fn a_megabyte_name_is_drawn_cut() {
    let text = std::fs::read_to_string(root().join("examples/single-file.ron")).unwrap();
    let big = "Pipedrive ".repeat(100_000);
    let text = text.replace(r#"name: "Pipedrive""#, &format!(r#"name: "{big}""#));
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.ron");
    std::fs::write(&model, text).unwrap();
    let out = dir.path().join("svg");
    let r = run(&[
        "render",
        model.to_str().unwrap(),
        "--view",
        "sv-2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = std::fs::read_to_string(out.join("sv-2.svg")).unwrap();
    assert!(svg.len() < 100_000, "{} bytes", svg.len());
    assert!(svg.contains("Pipedrive Pipedrive"), "the name is drawn");
    assert!(svg.contains('…'), "and cut");
}

/// Layouts run in parallel (`revarch::par`); the files must not depend on
/// how many threads there are or which finishes first.
#[test]
fn outputs_do_not_depend_on_threads() {
    let files = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(dir).unwrap().display().to_string();
                    out.push((rel, std::fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut seen: Vec<Vec<(String, Vec<u8>)>> = Vec::new();
    for threads in ["1", "3"] {
        let render = tmp.path().join(format!("render-{threads}"));
        let report = tmp.path().join(format!("report-{threads}"));
        // a split view (parts laid out together) and every view at once
        let out = revarch()
            .env("REVARCH_THREADS", threads)
            .args(["render", "models", "--max-nodes", "8", "--out"])
            .arg(&render)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let out = revarch()
            .env("REVARCH_THREADS", threads)
            .args(["report", "examples/single-file.ron", "--out"])
            .arg(&report)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let mut all = files(&render);
        all.extend(files(&report));
        assert!(all.len() > 10, "{} files", all.len());
        seen.push(all);
    }
    assert!(seen[0] == seen[1], "outputs differ between 1 and 3 threads");
}

#[test]
fn check_csv_has_one_row_per_finding_and_state() {
    let r = run(&["check", "models", "--format", "csv"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.starts_with('\u{feff}'), "UTF-8 BOM for Excel");
    assert!(r.stdout.ends_with("\r\n"));
    golden("check-models.csv", &r.stdout);
    let rows = parse_csv(r.stdout.trim_start_matches('\u{feff}'));
    let header = &rows[0];
    assert_eq!(header[0], "state");
    assert!(rows.iter().all(|row| row.len() == header.len()), "{rows:?}");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // the same findings as the JSON output, field by field
    let j: serde_json::Value =
        serde_json::from_str(&run(&["check", "models", "--format", "json"]).stdout).unwrap();
    let findings = j["findings"].as_array().unwrap();
    assert_eq!(rows.len() - 1, findings.len());
    for (row, f) in rows[1..].iter().zip(findings) {
        assert_eq!(row[col("state")], f["state"].as_str().unwrap());
        assert_eq!(row[col("plan")], f["plan"].as_str().unwrap());
        assert_eq!(row[col("key")], f["key"].as_str().unwrap());
        assert_eq!(row[col("severity")], f["level"].as_str().unwrap());
        assert_eq!(row[col("message")], f["message"].as_str().unwrap());
        assert_eq!(row[col("fix")], f["fix"].as_str().unwrap());
        assert_eq!(row[col("subject")], f["subject"]["id"].as_str().unwrap());
        assert_eq!(
            row[col("subject_kind")],
            f["subject"]["kind"].as_str().unwrap()
        );
        assert_eq!(row[col("file")], f["subject"]["file"].as_str().unwrap());
        assert_eq!(
            row[col("line")],
            f["subject"]["line"].as_u64().unwrap().to_string()
        );
    }
    // one state only: no plan column values
    let r = run(&["check", "models", "--format", "csv", "--state", "to-be"]);
    let rows = parse_csv(r.stdout.trim_start_matches('\u{feff}'));
    assert!(rows.len() > 1);
    assert!(rows[1..]
        .iter()
        .all(|row| row[0] == "to-be" && row[1].is_empty()));
}

#[test]
fn check_csv_neutralises_formulas_and_quotes_model_text() {
    let tmp = tempfile::tempdir().unwrap();
    let model = std::fs::read_to_string(root().join("examples/single-file.ron")).unwrap();
    let hostile = r#"name: "=HYPERLINK(\"http://evil.example\",\"x\"), ok", owner: "marketing", classification: pii"#;
    let edited = model.replacen(
        r#"name: "Lead", owner: "marketing", classification: pii"#,
        hostile,
        1,
    );
    assert_ne!(edited, model, "the example still names its Lead entity");
    let path = tmp.path().join("m.ron");
    std::fs::write(&path, edited).unwrap();
    let r = run(&["check", path.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = parse_csv(r.stdout.trim_start_matches('\u{feff}'));
    let msg = rows[0].iter().position(|h| h == "message").unwrap();
    let hit: Vec<&String> = rows[1..]
        .iter()
        .map(|row| &row[msg])
        .filter(|m| m.contains("HYPERLINK"))
        .collect();
    assert!(!hit.is_empty(), "{rows:?}");
    // the data-silo message starts with the entity's name: neutralised
    assert!(hit.iter().any(|m| m.starts_with("'=HYPERLINK")), "{hit:?}");
    for m in hit {
        // no formula reaches the spreadsheet; the quotes and the comma survive
        assert!(!m.starts_with('='), "{m}");
        assert!(m.contains(r#""http://evil.example","x"), ok"#), "{m}");
    }
    // the raw text has every such field quoted, quotes doubled
    assert!(r
        .stdout
        .contains(r#""'=HYPERLINK(""http://evil.example"",""x""), ok"#));
}

#[test]
fn check_csv_with_a_baseline_says_which_rows_it_accepts() {
    let tmp = tempfile::tempdir().unwrap();
    let b = tmp.path().join("baseline.ron");
    let w = run(&["check", "models", "--write-baseline", b.to_str().unwrap()]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    let r = run(&[
        "check",
        "models",
        "--baseline",
        b.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = parse_csv(r.stdout.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0].last().map(String::as_str), Some("baselined"));
    assert!(rows.len() > 1);
    assert!(rows[1..]
        .iter()
        .all(|row| row.last().map(String::as_str) == Some("yes")));
    // an invalid model: diagnostics on stderr, nothing on stdout, exit 2
    let bad = run(&["check", "examples/broken", "--format", "csv"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stdout.is_empty(), "{}", bad.stdout);
    assert!(bad.stderr.contains("error["), "{}", bad.stderr);
}

#[test]
fn init_writes_a_clean_starter_model_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run_in(tmp.path(), &["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("revarch check "), "{}", r.stderr);
    for f in ["av.ron", "ov.ron", "sv.ron", "stdv.ron", "div.ron"] {
        assert!(tmp.path().join("models").join(f).is_file(), "{f}");
    }
    // `check` with no argument finds ./models: no findings in either state
    let c = run_in(tmp.path(), &["check", "--color", "never"]);
    assert_eq!(c.code, 0, "{}{}", c.stdout, c.stderr);
    assert!(c.stdout.contains("— models\n"), "{}", c.stdout);
    assert_eq!(
        c.stdout.matches("0 errors, 0 warnings, 0 info").count(),
        2,
        "{}",
        c.stdout
    );
    // a second init refuses, exit 2, and leaves an edited file alone
    let av = tmp.path().join("models/av.ron");
    std::fs::write(&av, "// my own work\n").unwrap();
    let again = run_in(tmp.path(), &["init"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(&av).unwrap(), "// my own work\n");
    // one model file is enough to refuse; other files in the folder are fine
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "x").unwrap();
    let ok = run_in(tmp.path(), &["init", "other"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stderr.contains("revarch check other"), "{}", ok.stderr);
    let partial = tmp.path().join("partial");
    std::fs::create_dir(&partial).unwrap();
    std::fs::write(partial.join("sv.ron"), "()").unwrap();
    let refused = run_in(tmp.path(), &["init", "partial"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("`sv.ron`"), "{}", refused.stderr);
    assert!(
        !partial.join("av.ron").exists(),
        "nothing written next to it"
    );
    // a file where the folder should be
    std::fs::write(tmp.path().join("file"), "x").unwrap();
    let not_dir = run_in(tmp.path(), &["init", "file"]);
    assert_eq!(not_dir.code, 2);
    assert!(
        not_dir.stderr.contains("not a folder"),
        "{}",
        not_dir.stderr
    );
}

/// An orphan integration whose reason changes with the plan (today its
/// target ignores the data; after the plan the target is retired) is one
/// finding the plan changes, in every format: never resolved and introduced.
#[test]
fn a_finding_whose_reason_changes_is_counted_once() {
    let tmp = tempfile::tempdir().unwrap();
    let m = tmp.path();
    std::fs::write(
        m.join("sv.ron"),
        r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "acct", role: record)]),
            (id: "web", name: "Webinar", kind: webinar, lifecycle: retiring),
          ], integrations: [
            (id: "u", name: "u", source: "crm", target: "web", carries: ["acct"], mechanism: api, frequency: daily),
          ])"#,
    )
    .unwrap();
    std::fs::write(
        m.join("div.ron"),
        r#"(entities: [(id: "acct", name: "Account")])"#,
    )
    .unwrap();
    let dir = m.to_str().unwrap();
    let text = run(&["check", dir, "--fail-on", "never", "--color", "never"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout
            .contains("(also today, for another reason (today: target-never-uses))"),
        "{}",
        text.stdout
    );
    let verdict = text
        .stdout
        .lines()
        .find(|l| l.starts_with("plan:"))
        .unwrap();
    assert!(verdict.contains("changes the reason of 1"), "{verdict}");
    // the as-is side is not "resolved" (the retired webinar tool's own
    // `unowned` is)
    let resolved = text
        .stdout
        .split("resolved by the plan (")
        .nth(1)
        .unwrap_or("");
    assert!(!resolved.contains("orphan-integration"), "{}", text.stdout);
    let json = run(&["check", dir, "--fail-on", "never", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let plans: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "orphan-integration")
        .map(|f| (f["state"].as_str().unwrap(), f["plan"].as_str().unwrap()))
        .collect();
    assert_eq!(plans, [("as-is", "changed"), ("to-be", "changed")]);
    assert_eq!(
        v["plan"]["changed"][0],
        "orphan-integration/retired-endpoint:u"
    );
    let csv = run(&["check", dir, "--fail-on", "never", "--format", "csv"]);
    let rows = parse_csv(&csv.stdout);
    let plan_col = rows[0].iter().position(|h| h == "plan").unwrap();
    let rule_col = rows[0].iter().position(|h| h == "rule").unwrap();
    assert!(rows[1..]
        .iter()
        .filter(|r| r[rule_col] == "orphan-integration")
        .all(|r| r[plan_col] == "changed"));
}
