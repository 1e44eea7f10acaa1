//! Reading models at git revisions through the public API, from the process's
//! current folder as the CLI does (`ModelSource::Git`, `git::is_revision`).
//!
//! The current folder is per process, so this file holds exactly one test;
//! the error cases are unit tests in `src/model/git.rs`, which choose the
//! folder per call instead.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use revarch::analysis::RULE_IDS;
use revarch::model::git::{is_revision, resolve};
use revarch::model::{read, Loaded, ModelSource};

mod common;

use common::git;

fn at(rev: &str, path: &str) -> Loaded {
    read(
        &ModelSource::Git {
            rev: rev.into(),
            path: path.into(),
        },
        RULE_IDS,
    )
}

fn system_name(l: &Loaded, id: &str) -> String {
    l.model
        .sv
        .systems
        .iter()
        .find(|s| s.id.as_str() == id)
        .map(|s| s.name.clone())
        .unwrap_or_default()
}

fn sorted_files(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.file_name().is_some_and(|n| n == ".git") {
            out.push(("index".into(), std::fs::read(p.join("index")).unwrap()));
        } else if p.is_dir() {
            sorted_files(&p, out);
        } else {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
}

#[test]
fn models_at_revisions_from_the_current_folder() {
    let have_git = Command::new("git")
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_git {
        assert!(
            std::env::var_os("REVARCH_REQUIRE_GIT").is_none(),
            "git is not installed but REVARCH_REQUIRE_GIT is set"
        );
        // Not through the captured test output, so the skip is visible.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: git is not installed; tests/git.rs did not run"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    git(root, &["-c", "init.defaultBranch=main", "init", "-q"]);
    let models = root.join("models");
    std::fs::create_dir_all(&models).unwrap();
    for name in revarch::model::load::VIEWPOINT_FILES {
        std::fs::copy(
            common::root().join("examples/clean").join(name),
            models.join(name),
        )
        .unwrap();
    }
    std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
    std::fs::copy(
        common::root().join("examples/single-file.ron"),
        root.join("sub/one.ron"),
    )
    .unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "one"]);
    git(root, &["tag", "v1"]);
    let sv = models.join("sv.ron");
    let text = std::fs::read_to_string(&sv).unwrap();
    std::fs::write(&sv, text.replace(r#"name: "Xero""#, r#"name: "Xero Two""#)).unwrap();
    git(root, &["commit", "-q", "-am", "two"]);
    std::fs::write(
        &sv,
        text.replace(r#"name: "Xero""#, r#"name: "Xero Dirty""#),
    )
    .unwrap();

    let status = git(root, &["status", "--porcelain"]);
    assert_eq!(status, "M models/sv.ron");
    let mut before = Vec::new();
    sorted_files(root, &mut before);

    std::env::set_current_dir(root.join("sub/deeper")).unwrap();
    for (rev, xero) in [
        ("HEAD~1", "Xero"),
        ("v1", "Xero"),
        ("HEAD", "Xero Two"),
        ("main", "Xero Two"),
    ] {
        let l = at(rev, "../../models/");
        assert!(
            !l.has_errors(),
            "{rev}: {}",
            revarch::diag::render(&l.diagnostics, &l.sources, false)
        );
        assert_eq!(system_name(&l, "xero"), xero, "{rev}");
        assert_eq!(l.label, format!("{rev}:../../models/"));
        assert_eq!(l.sources.name(2), format!("{rev}:../../models/sv.ron"));
        assert!(is_revision(rev), "{rev}");
    }
    let single = at("v1", "../one.ron");
    assert!(!single.has_errors());
    assert_eq!(single.sources.name(0), "v1:../one.ron");
    assert!(!single.model.sv.systems.is_empty());

    let head = git(root, &["rev-parse", "HEAD"]);
    assert_eq!(resolve("main").unwrap(), head);
    assert!(!is_revision("mian"));

    let written = root.join("written");
    let option = format!("--output={}", written.display());
    assert!(!is_revision(&option));
    let l = at(&option, "../../models");
    assert!(l.has_errors());
    assert_eq!(l.diagnostics[0].code, "git");
    assert!(!written.exists());

    let missing = at("main", "models");
    assert_eq!(missing.diagnostics.len(), 1);
    assert!(missing.diagnostics[0]
        .help
        .iter()
        .any(|h| h.contains("(`sub/deeper` in the repository)")));

    std::env::set_current_dir(common::root()).unwrap();
    let mut after = Vec::new();
    sorted_files(root, &mut after);
    assert!(
        before == after,
        "reading at revisions changed the repository"
    );
    assert_eq!(git(root, &["status", "--porcelain"]), status);
}
