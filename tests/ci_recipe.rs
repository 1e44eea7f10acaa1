//! The GitHub Actions recipe in `examples/ci/` runs commands this revarch
//! accepts: every `revarch …` line of the workflow is parsed with the real
//! CLI definition and run on the example pair.

mod common;

use clap::Parser;
use common::{revarch, root};

/// The `revarch` command lines of the workflow, with line continuations
/// joined, shell variables replaced by example values, and redirections cut.
fn commands() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(root().join("examples/ci/revarch.yml")).unwrap();
    let joined = text.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let line = line.trim();
        if !line.starts_with("revarch ") {
            continue;
        }
        let line = line
            .replace(
                "\"${baseline[@]}\"",
                "--baseline tests/fixtures/ci-baseline.ron",
            )
            .replace("\"origin/${{ github.base_ref }}\"", "examples/diff/before")
            .replace(" HEAD ", " examples/diff/after ")
            .replace("\"$MODEL\"", "examples/diff/after");
        let line = line.split(" > ").next().unwrap_or_default();
        assert!(!line.contains('$'), "unreplaced variable in {line}");
        out.push(
            line.split_whitespace()
                .map(|w| w.trim_matches('"').to_string())
                .collect(),
        );
    }
    out
}

/// The comment points to the JSON artifact: the recipe must write and keep it.
#[test]
fn workflow_keeps_the_whole_diff_as_json() {
    let text = std::fs::read_to_string(root().join("examples/ci/revarch.yml")).unwrap();
    let json = commands()
        .into_iter()
        .find(|c| c[1] == "diff" && c.windows(2).any(|w| w == ["--format", "json"]))
        .expect("a diff --format json command");
    assert!(!json.iter().any(|w| w == "--svg"), "{json:?}");
    assert!(text.contains("> revarch-diff.json"));
    let artifact = text.split("upload-artifact").nth(1).unwrap_or_default();
    assert!(artifact.contains("revarch-diff.json"), "not uploaded");
}

#[test]
fn workflow_commands_parse_and_run() {
    let cmds = commands();
    let names: Vec<&str> = cmds.iter().map(|c| c[1].as_str()).collect();
    assert_eq!(
        names,
        vec!["check", "diff", "diff"],
        "the recipe runs check, diff (Markdown comment) and diff (whole JSON)"
    );
    for cmd in &cmds {
        if let Err(e) = revarch::cli::Cli::try_parse_from(cmd) {
            panic!("{cmd:?} is not a valid revarch command line:\n{e}");
        }
        let args: Vec<&str> = cmd[1..].iter().map(String::as_str).collect();
        let (code, out, err) = revarch(&args);
        assert!(code == 0 || code == 1, "{cmd:?} exited {code}: {err}");
        assert!(!out.is_empty(), "{cmd:?} printed nothing");
    }
}
