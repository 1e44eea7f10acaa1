//! `revarch check --baseline` / `--write-baseline`: the ratchet, end to end
//! on copies of the example models.
//!
//! Golden baseline files live in `tests/golden/baseline/`; accept changes
//! with `REVARCH_BLESS=1 cargo test --test baseline` and review the diff.

use std::path::PathBuf;

mod common;
use common::{golden, root, run_in};

/// A copy of `examples/<name>` in a temporary folder, run from there.
struct Work {
    dir: tempfile::TempDir,
}

impl Work {
    fn new(example: &str) -> Work {
        let dir = tempfile::tempdir().unwrap();
        let to = dir.path().join("model");
        std::fs::create_dir_all(&to).unwrap();
        for f in std::fs::read_dir(root().join("examples").join(example)).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, to.join(f.file_name().unwrap())).unwrap();
        }
        Work { dir }
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        run_in(self.dir.path(), args)
    }
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }
    /// Replaces exactly one occurrence of `from` in a model file.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let p = self.path(&format!("model/{file}"));
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(text.matches(from).count(), 1, "{from}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).expect("valid JSON")
}

/// Keys of the findings JSON reports as not baselined.
fn new_keys(v: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["baselined"] == false)
        .map(|f| f["key"].as_str().unwrap().to_string())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

const GOVERNANCE_KEYS: usize = 11;

#[test]
fn a_written_baseline_turns_a_failing_check_green() {
    let w = Work::new("governance");
    let (code, _, _) = w.run(&["check", "model"]);
    assert_eq!(code, 1, "governance fails on its kpi-without-data errors");
    let (code, out, err) = w.run(&["check", "model", "--write-baseline", "baseline.ron"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "writing reports nothing on stdout: {out}");
    assert_eq!(
        err,
        format!("wrote baseline `baseline.ron`: {GOVERNANCE_KEYS} entries, 0 kept reasons, 0 dropped as no longer occurring\n")
    );
    let (code, out, err) = w.run(&[
        "check",
        "model",
        "--baseline",
        "baseline.ron",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.is_empty(), "{err}");
    assert!(
        out.contains("to-be (after the plan: current and planned elements): 0 errors, 0 warnings, 0 info, 11 baselined\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!("\nbaselined ({GOVERNANCE_KEYS}, accepted in `baseline.ron`; not counted for --fail-on):\n")),
        "{out}"
    );
    assert!(
        out.contains(
            "  error[kpi-without-data/no-sources] standard `magic-number`  model/stdv.ron:"
        ),
        "{out}"
    );
    assert!(!out.contains("stale"), "{out}");
    // --fail-on still applies to what is not baselined: nothing here.
    let (code, _, _) = w.run(&[
        "check",
        "model",
        "--baseline",
        "baseline.ron",
        "--fail-on",
        "info",
    ]);
    assert_eq!(code, 0);
    // JSON marks every finding and reports the match.
    let (_, out, _) = w.run(&[
        "check",
        "model",
        "--baseline",
        "baseline.ron",
        "--format",
        "json",
    ]);
    let v = json(&out);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["baselined"] == true));
    assert_eq!(v["baseline"]["file"], "baseline.ron");
    assert_eq!(v["baseline"]["matched"], GOVERNANCE_KEYS);
    assert_eq!(v["baseline"]["stale"], serde_json::json!([]));
}

#[test]
fn a_new_finding_fails_and_is_the_only_one_named() {
    let w = Work::new("governance");
    w.run(&["check", "model", "--write-baseline", "baseline.ron"]);
    // A new KPI that names no data: a new error-level finding.
    w.edit(
        "stdv.ron",
        "    standards: [\n",
        "    standards: [\n        (id: \"cac\", name: \"Customer acquisition cost\", owner: \"finance\",\n            kind: kpi(formula: \"S&M spend ÷ new customers\", unit: \"USD\")),\n",
    );
    let (code, out, _) = w.run(&[
        "check",
        "model",
        "--baseline",
        "baseline.ron",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1, "{out}");
    let to_be = out
        .split("to-be (after the plan")
        .nth(1)
        .and_then(|s| s.split("\nas-is (").next())
        .unwrap();
    let headlines: Vec<&str> = to_be
        .lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning[") || l.starts_with("info["))
        .collect();
    assert_eq!(headlines.len(), 1, "{to_be}");
    assert!(
        headlines[0].starts_with("error[kpi-without-data]: KPI `cac`"),
        "{to_be}"
    );
    assert!(
        to_be.starts_with(
            ": current and planned elements): 1 error, 0 warnings, 0 info, 11 baselined\n"
        ),
        "{to_be}"
    );
    let (code, out, _) = w.run(&[
        "check",
        "model",
        "--baseline",
        "baseline.ron",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(new_keys(&json(&out)), ["kpi-without-data/no-sources:cac"]);
    // Accepting it too makes the run green again, keeping the old reasons.
    let (code, _, err) = w.run(&[
        "check",
        "model",
        "--baseline",
        "baseline.ron",
        "--write-baseline",
        "baseline.ron",
        "--reason",
        "CAC inputs arrive with the FY2027 finance project",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "wrote baseline `baseline.ron`: 12 entries, 11 kept reasons, 0 dropped as no longer occurring\n"
    );
    let text = w.read("baseline.ron");
    assert!(text.contains("            subject: \"cac\",\n            entities: [],\n            reason: \"CAC inputs arrive with the FY2027 finance project\",\n"), "{text}");
    assert_eq!(
        w.run(&["check", "model", "--baseline", "baseline.ron"]).0,
        0
    );
}

#[test]
fn a_fixed_finding_leaves_a_stale_entry_and_rewriting_keeps_reasons() {
    let w = Work::new("governance");
    w.run(&["check", "model", "--write-baseline", "baseline.ron"]);
    // A hand-written reason on the Airtable entries.
    let text = w.read("baseline.ron");
    let edited = text.replace(
        "            subject: \"airtable\",\n            entities: [],\n            reason: \"accepted when the baseline was written\",",
        "            subject: \"airtable\",\n            entities: [],\n            reason: \"marketing migrates the base to HubSpot in Q2\",",
    );
    assert_eq!(edited.matches("marketing migrates").count(), 2, "{text}");
    std::fs::write(w.path("baseline.ron"), &edited).unwrap();
    // Give the Airtable base an owner: `unowned/system:airtable` is gone.
    w.edit(
        "sv.ron",
        "(id: \"airtable\", name: \"Airtable events base\", kind: spreadsheet,",
        "(id: \"airtable\", name: \"Airtable events base\", kind: spreadsheet, owner: \"marketing\",",
    );
    let (code, out, _) = w.run(&[
        "check",
        "model",
        "--baseline",
        "baseline.ron",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "stale entries alone do not fail: {out}");
    assert!(
        out.contains("\nstale baseline entries (1): in `baseline.ron` but no longer found\n  unowned/system:airtable — marketing migrates the base to HubSpot in Q2\n  = rewrite the baseline: revarch check model --baseline baseline.ron --write-baseline baseline.ron\n"),
        "{out}"
    );
    let (_, out, _) = w.run(&[
        "check",
        "model",
        "--baseline",
        "baseline.ron",
        "--format",
        "json",
    ]);
    let v = json(&out);
    assert_eq!(
        v["baseline"]["stale"],
        serde_json::json!([{
            "key": "unowned/system:airtable", "rule": "unowned", "case": "system",
            "subject": "airtable", "entities": [], "reason": "marketing migrates the base to HubSpot in Q2"
        }])
    );
    assert_eq!(v["baseline"]["matched"], GOVERNANCE_KEYS - 1);
    // Rewriting drops the stale entry and keeps the hand-written reason of the other one.
    let (code, _, err) = w.run(&[
        "check",
        "model",
        "--baseline",
        "baseline.ron",
        "--write-baseline",
        "baseline.ron",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "wrote baseline `baseline.ron`: 10 entries, 10 kept reasons, 1 dropped as no longer occurring\n"
    );
    let text = w.read("baseline.ron");
    assert_eq!(
        text.matches("marketing migrates the base to HubSpot in Q2")
            .count(),
        1,
        "{text}"
    );
    assert!(
        !text.contains("case: \"system\",\n            subject: \"airtable\""),
        "{text}"
    );
    // Writing over the same file without --baseline keeps reasons too.
    let (code, _, err) = w.run(&["check", "model", "--write-baseline", "baseline.ron"]);
    assert_eq!(code, 0);
    assert!(
        err.contains("10 entries, 10 kept reasons, 0 dropped"),
        "{err}"
    );
    assert_eq!(w.read("baseline.ron"), text);
}

#[test]
fn written_baselines_are_golden_in_ron_and_json() {
    let w = Work::new("governance");
    for name in ["governance.ron", "governance.json"] {
        let (code, _, err) = w.run(&["check", "model", "--write-baseline", name]);
        assert_eq!(code, 0, "{err}");
        let text = w.read(name);
        golden("baseline", name, &text);
        // and it reads back, accepting everything
        let (code, out, err) = w.run(&[
            "check",
            "model",
            "--baseline",
            name,
            "--fail-on",
            "info",
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(new_keys(&json(&out)).is_empty());
    }
    let v: serde_json::Value = serde_json::from_str(&w.read("governance.json")).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["entries"].as_array().unwrap().len(), GOVERNANCE_KEYS);
    // A model whose findings have identity ids (`entities`).
    let (code, _, err) = run_in(
        w.path("").as_path(),
        &[
            "check",
            &root()
                .join("examples/single-file.ron")
                .display()
                .to_string(),
            "--write-baseline",
            "single-file.ron",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = w.read("single-file.ron");
    assert!(text.contains("entities: [\""), "{text}");
    golden("baseline", "single-file.ron", &text);
    // The same model gives the same bytes.
    w.run(&["check", "model", "--write-baseline", "again.ron"]);
    assert_eq!(w.read("again.ron"), w.read("governance.ron"));
}

#[test]
fn baseline_problems_are_reported_at_once_and_exit_2() {
    let w = Work::new("governance");
    std::fs::write(
        w.path("bad.ron"),
        "(\n    version: 1,\n    entries: [\n        (rule: \"kpi-without-dta\", case: \"no-sources\", subject: \"magic-number\"),\n        (rule: \"unowned\", case: \"system\", subjcet: \"airtable\"),\n        (rule: \"unowned\", case: \"entity\", subject: \"lead\"),\n        (rule: \"unowned\", case: \"entity\", subject: \"lead\"),\n    ],\n)\n",
    )
    .unwrap();
    let (code, out, err) = w.run(&[
        "check",
        "model",
        "--baseline",
        "bad.ron",
        "--color",
        "never",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "{out}");
    for want in [
        "error[unknown-rule]: unknown rule `kpi-without-dta`",
        "┌─ bad.ron:4:16",
        "= help: did you mean `kpi-without-data`?",
        "error[unknown-field]: unknown field `subjcet`",
        "┌─ bad.ron:5:43",
        "warning[duplicate-entry]: `unowned/entity:lead` is listed twice; the first entry is used",
        "error: baseline `bad.ron` is unusable: 2 errors",
    ] {
        assert!(err.contains(want), "missing {want:?} in\n{err}");
    }
    // JSON: a `valid: false` document with the baseline's diagnostics.
    let (code, out, _) = w.run(&[
        "check",
        "model",
        "--baseline",
        "bad.ron",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let v = json(&out);
    assert_eq!(v["valid"], false);
    let d = &v["diagnostics"][0];
    assert_eq!(
        (
            d["code"].as_str(),
            d["file"].as_str(),
            d["line"].as_u64(),
            d["column"].as_u64()
        ),
        (Some("unknown-rule"), Some("bad.ron"), Some(4), Some(16))
    );
    // JSON baselines: serde_json's line and column.
    std::fs::write(w.path("bad.json"), "{\n  \"version\": 1,\n  \"entries\": [\n    {\"rule\": \"unowned\" \"case\": \"system\"}\n  ]\n}\n").unwrap();
    let (code, _, err) = w.run(&[
        "check",
        "model",
        "--baseline",
        "bad.json",
        "--color",
        "never",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("error[syntax]: expected `,` or `}`"), "{err}");
    assert!(err.contains("┌─ bad.json:4:24"), "{err}");
    // Another version, a missing file.
    std::fs::write(w.path("v2.ron"), "(version: 2, entries: [])").unwrap();
    let (code, _, err) = w.run(&["check", "model", "--baseline", "v2.ron", "--color", "never"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error[unsupported-version]: unsupported baseline version 2"),
        "{err}"
    );
    let (code, _, err) = w.run(&[
        "check",
        "model",
        "--baseline",
        "missing.ron",
        "--color",
        "never",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error[io]: cannot read baseline `missing.ron`: no such file or folder"),
        "{err}"
    );
    assert!(
        err.contains("revarch check --write-baseline missing.ron"),
        "{err}"
    );
}

#[test]
fn write_baseline_never_destroys_what_it_cannot_read() {
    let w = Work::new("governance");
    let sv = w.read("model/sv.ron");
    // Pointing --write-baseline at a model file by mistake: refused, untouched.
    let (code, _, err) = w.run(&[
        "check",
        "model",
        "--write-baseline",
        "model/sv.ron",
        "--color",
        "never",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("exists but is not a readable baseline"),
        "{err}"
    );
    assert_eq!(w.read("model/sv.ron"), sv);
    // An old entry for a rule that no longer exists is only dropped.
    std::fs::write(
        w.path("old.ron"),
        "(version: 1, entries: [(rule: \"retired-rule\", case: \"x\", subject: \"y\", reason: \"r\")])",
    )
    .unwrap();
    let (code, _, err) = w.run(&["check", "model", "--write-baseline", "old.ron"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.ends_with("11 entries, 0 kept reasons, 1 dropped as no longer occurring\n"),
        "{err}"
    );
    // An invalid model writes nothing.
    let (code, _, _) = w.run(&[
        "check",
        &root().join("examples/broken").display().to_string(),
        "--write-baseline",
        "new.ron",
    ]);
    assert_eq!(code, 2);
    assert!(!w.path("new.ron").exists());
    // --reason only with --write-baseline (a usage error, exit 2).
    assert_eq!(w.run(&["check", "model", "--reason", "x"]).0, 2);
}

#[test]
fn baseline_respects_the_analysed_states() {
    let w = Work::new("governance");
    let (code, _, err) = w.run(&[
        "check",
        "model",
        "--state",
        "as-is",
        "--write-baseline",
        "as-is.ron",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(": 9 entries,"), "{err}");
    // The to-be-only findings are new against an as-is baseline…
    let (code, out, _) = w.run(&[
        "check",
        "model",
        "--baseline",
        "as-is.ron",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        new_keys(&json(&out)),
        [
            "kpi-without-data/computed-in-gone:nrr",
            "unsupported-activity/systems-gone:build-dashboards"
        ]
    );
    // …and nothing is stale in the state it was written for.
    let (code, out, _) = w.run(&[
        "check",
        "model",
        "--state",
        "as-is",
        "--baseline",
        "as-is.ron",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["baseline"]["stale"], serde_json::json!([]));
}

#[test]
fn check_output_without_the_new_flags_is_unchanged() {
    // The golden files of tests/cli.rs pin the text and JSON; here: no
    // `baselined` or `baseline` key appears without --baseline.
    let (_, out, _) = run_in(
        &root(),
        &["check", "examples/governance", "--format", "json"],
    );
    assert!(!out.contains("\"baselined\""), "{out}");
    assert!(!out.contains("\"baseline\""), "{out}");
}

/// A one-line baseline of 1,200 bad entries (17 s, 1.6 GB and 850 MB of
/// stderr before): 50 diagnostics of each kind with a window of the line,
/// the rest counted.
#[test]
fn a_one_line_baseline_of_bad_entries_is_reported_briefly() {
    let entries: Vec<String> = (0..1_200)
        .map(|i| {
            format!(
                r#"(rule: "data-silo", case: "x", subject: "s{i}", entities: [], reason: "{}", bogus: 1)"#,
                "r".repeat(600)
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.ron");
    std::fs::write(
        &file,
        format!("(version: 1, entries: [{}])", entries.join(",")),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_revarch"))
        .args(["check", "models", "--color", "never", "--baseline"])
        .arg(&file)
        .current_dir(common::root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.len() < 60_000, "{} bytes of stderr", stderr.len());
    assert!(
        stderr.contains("… and 1150 more errors of this kind"),
        "{stderr}"
    );
    assert!(stderr.contains("is unusable: 1200 errors"), "{stderr}");
}
