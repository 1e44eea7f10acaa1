//! Every model in `models/` and `examples/` behaves as its comments say.
//!
//! A model states what `check` must report in comment lines:
//!
//! ```text
//! // expect: to-be data-silo/isolated-system:amplitude
//! // expect: both orphan-integration/retired-endpoint:webinar-sync
//! // expect-error: unknown-reference
//! ```
//!
//! `expect:` names a state (`as-is`, `to-be` or `both`) and a finding as
//! `rule/case:subject`; `expect-error:` names the code of a diagnostic that
//! must be reported for the file the comment is in. The sets must match
//! exactly: a missing finding and an unexpected one both fail. (The parser is
//! `common::expectations`; `tests/rules.rs` reads the same lines.)

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use revarch::analysis::{analyse, RULE_IDS};
use revarch::graph::Graph;
use revarch::model::{read, ModelSource, State};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Model folders and single-file models under `examples/` (and one level
/// down, e.g. `examples/diff/before`), plus `models/`.
fn models() -> Vec<PathBuf> {
    let mut out = vec![root().join("models")];
    collect_models(&root().join("examples"), 1, &mut out);
    out
}

fn collect_models(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("examples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let has_ron = |p: &Path| {
            std::fs::read_dir(p)
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .any(|e| e.path().extension().is_some_and(|x| x == "ron"))
                })
                .unwrap_or(false)
        };
        let is_model_file = p.is_file() && p.extension().is_some_and(|x| x == "ron");
        if (p.is_dir() && has_ron(&p)) || is_model_file {
            out.push(p);
        } else if p.is_dir() && depth > 0 {
            collect_models(&p, depth - 1, out);
        }
    }
}

fn ron_files(model: &Path) -> Vec<PathBuf> {
    if model.is_file() {
        return vec![model.to_path_buf()];
    }
    let mut v: Vec<PathBuf> = std::fs::read_dir(model)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_model_behaves_as_its_comments_say() {
    let mut failures = Vec::new();
    let all = models();
    assert!(
        all.len() >= 4,
        "models/ and at least three examples: {all:?}"
    );
    for model in &all {
        let expected = common::expectations(&ron_files(model));
        let loaded = read(&ModelSource::Path(model.clone()), RULE_IDS);
        let errors: BTreeSet<String> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == revarch::diag::Severity::Error)
            .map(|d| {
                let file = d
                    .primary
                    .as_ref()
                    .map(|l| {
                        Path::new(loaded.sources.name(l.span.file))
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    })
                    .unwrap_or_default();
                format!("{file} {}", d.code)
            })
            .collect();
        if errors != expected.errors {
            failures.push(format!(
                "{}: diagnostics differ\n  expected: {:?}\n  actual:   {:?}\n{}",
                model.display(),
                expected.errors,
                errors,
                revarch::diag::render(&loaded.diagnostics, &loaded.sources, false)
            ));
            continue;
        }
        if loaded.has_errors() {
            continue;
        }
        let g = Graph::build(&loaded.model);
        let mut actual = BTreeSet::new();
        let mut messages = Vec::new();
        for state in State::ALL {
            for f in analyse(&g, state).findings {
                let short = format!("{}/{}:{}", f.rule, f.case, f.subject.id);
                messages.push(format!("  {state} {short}  — {}", f.message));
                actual.insert(format!("{state} {short}"));
            }
        }
        if actual != expected.findings {
            let missing: Vec<_> = expected.findings.difference(&actual).collect();
            let extra: Vec<_> = actual.difference(&expected.findings).collect();
            failures.push(format!(
                "{}: findings differ\n  missing: {missing:?}\n  unexpected: {extra:?}\n  all findings:\n{}",
                model.display(),
                messages.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn bundled_model_is_the_models_folder() {
    for (name, text) in revarch::model::load::BUNDLED {
        let on_disk = std::fs::read_to_string(root().join("models").join(name)).unwrap();
        assert_eq!(on_disk, text, "{name}: rebuild to refresh the bundled copy");
    }
}

#[test]
fn format_page_example_is_a_clean_model() {
    let readme = std::fs::read_to_string(root().join("docs/model-format.md")).unwrap();
    let start = readme
        .find("```ron\n")
        .expect("docs/model-format.md has a ```ron block")
        + "```ron\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let text = &readme[start..end];
    let loaded = revarch::model::read_texts(&[("docs/model-format.md", text)], RULE_IDS);
    assert!(
        !loaded.has_errors(),
        "{}",
        revarch::diag::render(&loaded.diagnostics, &loaded.sources, false)
    );
    let g = Graph::build(&loaded.model);
    for state in State::ALL {
        let a = analyse(&g, state);
        assert!(a.findings.is_empty(), "{state}: {:#?}", a.findings);
    }
}
