//! `revarch diff`: the example pair in every format, formatting-only changes,
//! invalid sides, and the git-revision form in a temporary repository.

mod common;

use std::path::Path;
use std::process::Command;

use common::{git, golden, revarch, root, run_in};

const BEFORE: &str = "examples/diff/before";
const AFTER: &str = "examples/diff/after";

#[test]
fn example_pair_in_every_format_is_golden() {
    for (format, file) in [
        ("text", "example.txt"),
        ("markdown", "example.md"),
        ("json", "example.json"),
        ("mermaid", "example.mmd"),
    ] {
        let (code, out, err) = revarch(&["diff", BEFORE, AFTER, "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        golden("diff", file, &out);
    }
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("change.svg");
    let (code, _, err) = revarch(&["diff", BEFORE, AFTER, "--svg", svg.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    golden(
        "diff",
        "example-sv-2.svg",
        &std::fs::read_to_string(&svg).unwrap(),
    );
}

#[test]
fn example_pair_has_exactly_the_planted_changes() {
    let (_, out, _) = revarch(&["diff", BEFORE, AFTER, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids = |list: &serde_json::Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["change"].as_str().unwrap(),
                    e["id"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        ids(&v["entities"]),
        vec![
            "changed zoom",
            "changed chargebee-xero",
            "added mailchimp-hubspot",
            "changed zoom-bigquery"
        ]
    );
    let keys = |status: &str| -> Vec<String> {
        v["findings"][status]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["key"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        keys("introduced"),
        vec!["orphan-integration/retired-endpoint:zoom-hubspot"]
    );
    assert_eq!(
        keys("resolved"),
        vec!["data-silo/isolated-system:mailchimp"]
    );
    assert!(keys("unchanged").is_empty());
    // Locations point into the side that has the finding.
    let resolved = &v["findings"]["resolved"][0]["location"];
    assert_eq!(resolved["file"], "examples/diff/before/sv.ron");
    let introduced = &v["findings"]["introduced"][0]["location"];
    assert_eq!(introduced["file"], "examples/diff/after/sv.ron");
}

#[test]
fn fail_on_new_gates_on_introduced_findings_only() {
    let run = |level: &str| revarch(&["diff", BEFORE, AFTER, "--fail-on-new", level]).0;
    assert_eq!(run("error"), 0, "nothing at error level is introduced");
    assert_eq!(run("warning"), 1, "the orphan integration is a new warning");
    assert_eq!(run("info"), 1);
    assert_eq!(run("never"), 0);
    // The other way round the change only resolves (and an info appears nowhere).
    let back = revarch(&["diff", AFTER, BEFORE, "--fail-on-new", "warning"]);
    assert_eq!(back.0, 1, "reverting re-introduces the silo: {}", back.1);
    assert!(back.1.contains("data-silo"));
}

/// Writes every viewpoint of a model with the `ron` crate's serializer (a
/// different formatter), with every list reversed.
fn rewrite(model: &Path, dir: &Path) {
    let loaded = revarch::model::read(
        &revarch::model::ModelSource::Path(model.to_path_buf()),
        revarch::analysis::RULE_IDS,
    );
    assert!(!loaded.has_errors());
    let mut m = loaded.model;
    m.av.goals.reverse();
    m.av.glossary.reverse();
    m.ov.performers.reverse();
    m.ov.activities.reverse();
    m.ov.exchanges.reverse();
    m.sv.systems.reverse();
    for s in &mut m.sv.systems {
        s.holds.reverse();
    }
    m.sv.integrations.reverse();
    for i in &mut m.sv.integrations {
        i.carries.reverse();
    }
    m.stdv.standards.reverse();
    m.div.entities.reverse();
    let cfg = ron::ser::PrettyConfig::new()
        .indentor("\t".to_string())
        .struct_names(false);
    let write = |name: &str, text: Result<String, ron::Error>| {
        std::fs::write(dir.join(name), text.unwrap()).unwrap();
    };
    write("av.ron", ron::ser::to_string_pretty(&m.av, cfg.clone()));
    write("ov.ron", ron::ser::to_string_pretty(&m.ov, cfg.clone()));
    write("sv.ron", ron::ser::to_string_pretty(&m.sv, cfg.clone()));
    write("stdv.ron", ron::ser::to_string_pretty(&m.stdv, cfg.clone()));
    write("div.ron", ron::ser::to_string_pretty(&m.div, cfg));
}

#[test]
fn reformatting_and_reordering_is_no_architectural_change() {
    for model in ["models", AFTER] {
        let dir = tempfile::tempdir().unwrap();
        rewrite(&root().join(model), dir.path());
        let (code, out, err) = revarch(&[
            "diff",
            model,
            dir.path().to_str().unwrap(),
            "--fail-on-new",
            "info",
        ]);
        assert_eq!(code, 0, "{model}: {out}{err}");
        assert!(out.contains("no architectural change"), "{model}: {out}");
        assert!(out.contains("0 introduced, 0 resolved"), "{model}: {out}");
        let (_, json, _) = revarch(&[
            "diff",
            model,
            dir.path().to_str().unwrap(),
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["summary"]["changed"], false, "{model}");
        assert!(v["entities"].as_array().unwrap().is_empty());
        assert!(v["relations"].as_array().unwrap().is_empty());
    }
}

#[test]
fn invalid_side_is_named_and_exits_2() {
    let (code, out, err) = revarch(&["diff", BEFORE, "examples/broken"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("the new model `examples/broken` is invalid: 4 errors"),
        "{err}"
    );
    assert!(err.contains("examples/broken/sv.ron:"), "{err}");
    assert!(!err.contains("the old model"), "{err}");
    let (code, out, _) = revarch(&["diff", "examples/broken", BEFORE, "--format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["old"]["valid"], false);
    assert_eq!(v["new"]["valid"], true);
    assert_eq!(v["old"]["diagnostics"].as_array().unwrap().len(), 4);
    // A side that is neither a path nor a revision.
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_in(dir.path(), &["diff", "no-such-thing", "nor-this"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-thing"), "{err}");
}

#[test]
fn svg_of_the_change_marks_added_removed_and_changed() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("d.svg");
    // After → before: mailchimp-hubspot is removed (drawn dashed), zoom changed.
    let (code, _, err) = revarch(&["diff", AFTER, BEFORE, "--svg", svg.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.starts_with("<svg") || text.starts_with("<?xml"),
        "{}",
        &text[..80]
    );
    assert!(
        text.contains("mailchimp-hubspot"),
        "the removed integration is drawn"
    );
    assert!(
        text.contains("removed") && text.contains("changed"),
        "legend names the marks"
    );
}

fn copy_model(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// A temporary repository with `models/` committed twice: the example's
/// BEFORE (with `first` as message) on `main`, then AFTER ("after"), on
/// `branch` if given. `None` (and a note) when git is not installed.
fn before_after_repo(first: &str, branch: Option<&str>) -> Option<tempfile::TempDir> {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("SKIPPED: git is not installed");
        return None;
    }
    let repo = tempfile::tempdir().unwrap();
    let r = repo.path();
    git(r, &["init", "-q", "-b", "main"]);
    copy_model(&root().join(BEFORE), &r.join("models"));
    git(r, &["add", "."]);
    git(r, &["commit", "-q", "-m", first]);
    if let Some(b) = branch {
        git(r, &["checkout", "-q", "-b", b]);
    }
    copy_model(&root().join(AFTER), &r.join("models"));
    git(r, &["commit", "-q", "-am", "after"]);
    Some(repo)
}

#[test]
fn git_revisions_are_read_without_touching_the_working_tree() {
    let Some(repo) = before_after_repo("before", Some("feature")) else {
        return;
    };
    let r = repo.path();
    // An uncommitted edit in the working tree must not leak into HEAD's side.
    let sv = r.join("models/sv.ron");
    let edited = std::fs::read_to_string(&sv).unwrap().replace(
        "frequency: hourly),\n        (id: \"hubspot-intercom\"",
        "frequency: weekly),\n        (id: \"hubspot-intercom\"",
    );
    std::fs::write(&sv, &edited).unwrap();
    let status_before = Command::new("git")
        .current_dir(r)
        .args(["status", "--porcelain"])
        .output()
        .unwrap()
        .stdout;

    let (code, out, err) = run_in(
        r,
        &[
            "diff", "main", "HEAD", "--path", "models", "--format", "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let from_git: serde_json::Value = serde_json::from_str(&out).unwrap();
    let (_, out, _) = revarch(&["diff", BEFORE, AFTER, "--format", "json"]);
    let from_files: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        from_git["entities"].as_array().unwrap().len(),
        from_files["entities"].as_array().unwrap().len()
    );
    assert_eq!(
        from_git["findings"]["introduced"].as_array().unwrap().len(),
        1
    );
    assert_eq!(from_git["old"]["model"], "main:models");
    assert!(
        from_git["findings"]["resolved"][0]["location"]["file"]
            .as_str()
            .unwrap()
            .starts_with("main:models/"),
        "{}",
        from_git["findings"]["resolved"][0]
    );
    // REV:PATH form, and NEW defaulting to the working tree (which has the edit).
    let (code, out, err) = run_in(r, &["diff", "HEAD:models", "--path", "models"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("frequency: \"hourly\" → \"weekly\""), "{out}");
    // Nothing in the repository changed.
    let status_after = Command::new("git")
        .current_dir(r)
        .args(["status", "--porcelain"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(status_before, status_after);
    assert_eq!(std::fs::read_to_string(&sv).unwrap(), edited);
    // An unknown revision is an invalid side, named.
    let (code, _, err) = run_in(r, &["diff", "no-such-branch", "HEAD", "--path", "models"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-branch"), "{err}");
}

/// GitHub tables break when a cell holds a raw `|` or a line break: every
/// row of every table must have as many cells as its header.
#[test]
fn markdown_tables_keep_their_shape() {
    let (_, md, _) = revarch(&["diff", BEFORE, AFTER, "--format", "markdown"]);
    let (_, back, _) = revarch(&["diff", AFTER, BEFORE, "--format", "markdown"]);
    for text in [md, back] {
        let mut header: Option<usize> = None;
        let mut tables = 0;
        for line in text.lines() {
            if !line.starts_with('|') {
                header = None;
                continue;
            }
            let cells = line.matches('|').count() - 1;
            match header {
                None => {
                    header = Some(cells);
                    tables += 1;
                }
                Some(n) => assert_eq!(cells, n, "row does not match its header: {line}"),
            }
        }
        assert!(tables >= 4, "{text}");
    }
}

/// `:/TEXT` is git's "youngest commit whose message matches TEXT": a
/// revision, not `REV:PATH` with an empty revision.
#[test]
fn message_search_revisions_name_commits() {
    let Some(repo) = before_after_repo("model before the fix", None) else {
        return;
    };
    let r = repo.path();
    let json = |args: &[&str]| {
        let (code, out, err) = run_in(r, args);
        assert_eq!(code, 0, "{args:?}: {err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let by_message = json(&[
        "diff",
        ":/before the",
        "HEAD",
        "--path",
        "models",
        "--format",
        "json",
    ]);
    let by_name = json(&[
        "diff", "HEAD~1", "HEAD", "--path", "models", "--format", "json",
    ]);
    assert_eq!(by_message["entities"], by_name["entities"]);
    assert_eq!(by_message["old"]["model"], ":/before the:models");
    // NEW defaults to the working tree, which is HEAD here.
    let (code, out, err) = run_in(r, &["diff", ":/fix", "--path", "models"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("4 entities"), "{out}");
    // No message matches: said so, not "cannot read `:/nothing`".
    let (code, _, err) = run_in(
        r,
        &["diff", ":/nothing like it", "HEAD", "--path", "models"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("no commit message matches `nothing like it`"),
        "{err}"
    );
}

/// A model copy with every integration id renamed (`x` → `x-v2`), so a diff
/// without `--detect-renames` removes and adds every integration.
fn rename_integrations(sv: &Path) {
    let text = std::fs::read_to_string(sv).unwrap();
    let start = text.find("integrations: [").unwrap();
    let mut out = text[..start].to_string();
    for line in text[start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        match trimmed.strip_prefix("id: \"") {
            Some(rest) => {
                let (id, tail) = rest.split_once('"').unwrap();
                out.push_str(&line[..line.len() - trimmed.len()]);
                out.push_str(&format!("id: \"{id}-v2\"{tail}"));
            }
            None => out.push_str(line),
        }
    }
    std::fs::write(sv, out).unwrap();
}

/// A bulk change's Markdown (posted as a PR comment, limited to 65,536
/// characters by GitHub) is summarised to fit, and says so.
#[test]
fn large_markdown_is_summarised_within_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let (code, _, err) = run_in(t, &["gen", "--systems", "300", "--out", "old"]);
    assert_eq!(code, 0, "{err}");
    copy_model(&t.join("old"), &t.join("new"));
    rename_integrations(&t.join("new/sv.ron"));
    let md = |extra: &[&str]| {
        let mut args = vec!["diff", "old", "new", "--format", "markdown"];
        args.extend_from_slice(extra);
        let (code, out, err) = run_in(t, &args);
        assert_eq!(code, 0, "{err}");
        out
    };
    let full = md(&["--max-markdown-chars", "0"]);
    assert!(full.chars().count() > 65_000, "{}", full.len());
    let summary = md(&[]);
    assert!(
        summary.chars().count() <= 65_000,
        "{}",
        summary.chars().count()
    );
    assert!(summary.contains("summarised"), "{summary}");
    assert!(summary.contains("--format json"), "{summary}");
    assert!(summary.contains("… and "), "{summary}");
    // The header is the full one.
    assert_eq!(full.lines().next(), summary.lines().next());
    // Any limit holds, however small.
    for limit in [1usize, 80, 500, 2_000, 20_000] {
        let s = md(&["--max-markdown-chars", &limit.to_string()]);
        assert!(s.chars().count() <= limit, "{limit}: {s}");
    }
    // Summaries are deterministic too.
    assert_eq!(summary, md(&[]));
}

/// A change that fits is not touched by the limit.
#[test]
fn small_markdown_is_unchanged_by_the_limit() {
    let (_, default, _) = revarch(&["diff", BEFORE, AFTER, "--format", "markdown"]);
    let (_, unlimited, _) = revarch(&[
        "diff",
        BEFORE,
        AFTER,
        "--format",
        "markdown",
        "--max-markdown-chars",
        "0",
    ]);
    assert_eq!(default, unlimited);
    assert!(!default.contains("summarised"));
}

/// A model name with backticks, HTML and a fence.
const HOSTILE: &str = "Mail`chimp`` <script>alert(1)</script> ```";

fn hostile_pair(t: &Path) {
    copy_model(&root().join(BEFORE), &t.join("before"));
    copy_model(&root().join(AFTER), &t.join("after"));
    let sv = t.join("before/sv.ron");
    let text = std::fs::read_to_string(&sv).unwrap();
    let hostile = format!("name: {HOSTILE:?}, kind: marketing_automation");
    std::fs::write(
        &sv,
        text.replace(r#"name: "Mailchimp", kind: marketing_automation"#, &hostile),
    )
    .unwrap();
}

/// A backtick in a name cannot open, close or unbalance a code span of a
/// finding's message (`Name (`id`) holds …`).
#[test]
fn backticks_in_names_stay_text_in_markdown() {
    let tmp = tempfile::tempdir().unwrap();
    hostile_pair(tmp.path());
    let (code, md, err) = run_in(
        tmp.path(),
        &["diff", "before", "after", "--format", "markdown"],
    );
    assert_eq!(code, 0, "{err}");
    let row = md
        .lines()
        .find(|l| l.contains("data-silo"))
        .unwrap_or_else(|| panic!("no data-silo row in {md}"));
    assert!(
        row.contains(
            "Mail\\`chimp\\`\\` &lt;script&gt;alert(1)&lt;/script&gt; \\`\\`\\` (<code>mailchimp</code>) holds <code>lead</code>"
        ),
        "{row}"
    );
    assert_eq!(
        row.matches("<code>").count(),
        row.matches("</code>").count()
    );
    assert!(!md.contains("<script>"));
}

/// The text diff escapes control characters from the model (names in
/// messages and values, file names): nothing clears the screen or forges a
/// `-->` line, with or without colour.
#[test]
fn control_characters_in_model_text_are_escaped_in_text_diff() {
    let t = tempfile::tempdir().unwrap();
    let old = t.path().join("old");
    let new = t.path().join("new\u{1b}[2J");
    copy_model(&root().join("examples/silos"), &old);
    copy_model(&root().join("examples/silos"), &new);
    let sv = std::fs::read_to_string(new.join("sv.ron")).unwrap();
    let sv = sv.replacen(
        "name: \"Zendesk\"",
        "name: \"Zendesk\\u{1b}]0;pwned\\u{7}\\r\\n  --> forged.ron:1:1\"",
        1,
    );
    std::fs::write(new.join("sv.ron"), sv).unwrap();
    for color in ["never", "always"] {
        let (code, stdout, stderr) = run_in(
            t.path(),
            &[
                "diff",
                "old",
                new.file_name().unwrap().to_str().unwrap(),
                "--color",
                color,
            ],
        );
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("Zendesk"), "{stdout}");
        for raw in ["\u{1b}[2J", "\u{1b}]", "\u{7}", "\r"] {
            assert!(
                !stdout.contains(raw),
                "{raw:?} reached the terminal: {stdout:?}"
            );
        }
        if color == "never" {
            assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
        }
        assert!(
            !stdout
                .lines()
                .any(|l| l.trim_start().starts_with("--> forged")),
            "{stdout}"
        );
    }
}
