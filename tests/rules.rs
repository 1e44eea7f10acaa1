//! Per-rule fixtures, in the style of ruff's: for every rule,
//! `tests/rules/<rule-id>/hit.ron` is a small model that must report exactly
//! the findings of that rule its comments name, and
//! `tests/rules/<rule-id>/near-miss.ron` is the closest model that is *not*
//! the problem, which must report none of that rule in either state. False
//! positives are tested as carefully as detections.
//!
//! A hit states its findings with the lines `tests/examples.rs` reads:
//!
//! ```text
//! // expect: to-be data-silo/isolated-system:amplitude
//! ```
//!
//! Only the rule under test is compared (active findings, not the ones
//! `allow` suppresses); a small model trips other rules too, and those are
//! ignored. So a fixture's `expect:` lines may name only its own rule, and a
//! near miss has none.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use revarch::analysis::{analyse, RULE_IDS};
use revarch::graph::Graph;
use revarch::model::{read, ModelSource, State};

/// Rules whose fixtures may be missing for now (being rewritten). A rule
/// that has fixtures must not stay here.
const PENDING: &[&str] = &[];

const HIT: &str = "hit.ron";
const NEAR_MISS: &str = "near-miss.ron";

fn fixtures() -> PathBuf {
    common::root().join("tests/rules")
}

fn fixture(rule: &str, file: &str) -> PathBuf {
    fixtures().join(rule).join(file)
}

/// `tests/rules/<rule>/<file>`, for messages.
fn shown(rule: &str, file: &str) -> String {
    format!("tests/rules/{rule}/{file}")
}

/// The rules that must have fixtures.
fn covered() -> impl Iterator<Item = &'static str> {
    RULE_IDS.iter().copied().filter(|r| !PENDING.contains(r))
}

#[test]
fn every_rule_has_a_hit_and_a_near_miss() {
    let mut failures = Vec::new();
    for rule in covered() {
        let missing: Vec<&str> = [HIT, NEAR_MISS]
            .into_iter()
            .filter(|f| !fixture(rule, f).is_file())
            .collect();
        if !missing.is_empty() {
            failures.push(format!(
                "rule `{rule}` lacks {}: add tests/rules/{rule}/{HIT} (a small model whose \
                 `// expect: STATE {rule}/CASE:SUBJECT` lines name every finding of `{rule}` it \
                 reports, each case if practical) and tests/rules/{rule}/{NEAR_MISS} (the closest \
                 model that is not the problem, reporting no `{rule}` finding), or list `{rule}` \
                 in PENDING in tests/rules.rs while its fixtures are written",
                missing.join(" and ")
            ));
        }
    }
    for rule in PENDING {
        if !RULE_IDS.contains(rule) {
            failures.push(format!(
                "PENDING in tests/rules.rs names `{rule}`, which is no rule: remove it"
            ));
        }
        let present: Vec<&str> = [HIT, NEAR_MISS]
            .into_iter()
            .filter(|f| fixture(rule, f).exists())
            .collect();
        if !present.is_empty() {
            failures.push(format!(
                "rule `{rule}` has fixtures now ({}): remove it from PENDING in tests/rules.rs",
                present.join(", ")
            ));
        }
    }
    let mut dirs: Vec<String> = std::fs::read_dir(fixtures())
        .expect("tests/rules/ exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    for d in dirs {
        if !RULE_IDS.contains(&d.as_str()) {
            failures.push(format!(
                "tests/rules/{d} is not named after a rule (RULE_IDS): rename or remove it"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// The active findings of `rule` in both states, as `"<state>
/// rule/case:subject"` with their messages; or why the fixture cannot be
/// checked.
fn findings_of(rule: &str, path: &Path, name: &str) -> Result<Findings, String> {
    let loaded = read(&ModelSource::Path(path.to_path_buf()), RULE_IDS);
    if loaded.has_errors() {
        return Err(format!(
            "{name}: a fixture must load without errors\n{}",
            revarch::diag::render(&loaded.diagnostics, &loaded.sources, false)
        ));
    }
    let g = Graph::build(&loaded.model);
    let mut out = Findings::default();
    for state in State::ALL {
        let mut keys = BTreeSet::new();
        for f in analyse(&g, state).findings {
            if f.rule != rule {
                continue;
            }
            if !keys.insert(f.key()) {
                out.duplicates.push(format!("{state} {}", f.key()));
            }
            let short = format!("{state} {}/{}:{}", f.rule, f.case, f.subject.id);
            out.lines.push(format!("    {short}  — {}", f.message));
            out.keys.insert(short);
        }
    }
    Ok(out)
}

#[derive(Default)]
struct Findings {
    /// `"<state> rule/case:subject"`.
    keys: BTreeSet<String>,
    /// One line per finding, with its message.
    lines: Vec<String>,
    /// Full keys reported more than once in a state.
    duplicates: Vec<String>,
}

impl Findings {
    fn listing(&self) -> String {
        if self.lines.is_empty() {
            "    (none)".to_string()
        } else {
            self.lines.join("\n")
        }
    }
}

/// The fixture's `// expect:` lines; they must all name `rule`, and there
/// must be no `// expect-error:` lines (a fixture loads cleanly).
fn expected(rule: &str, path: &Path, name: &str) -> Result<BTreeSet<String>, String> {
    let e = common::expectations(&[path.to_path_buf()]);
    let others: Vec<&String> = e
        .findings
        .iter()
        .filter(|f| {
            let finding = f.split_once(' ').map_or(f.as_str(), |(_, f)| f);
            finding.split('/').next() != Some(rule)
        })
        .collect();
    if !others.is_empty() {
        return Err(format!(
            "{name}: `// expect:` lines here may name only `{rule}` (other rules are not \
             checked in these fixtures): {others:?}"
        ));
    }
    if !e.errors.is_empty() {
        return Err(format!(
            "{name}: a fixture must load cleanly, without `// expect-error:` lines: {:?}",
            e.errors
        ));
    }
    Ok(e.findings)
}

#[test]
fn each_hit_reports_exactly_its_expected_findings() {
    let mut failures = Vec::new();
    for rule in covered() {
        let path = fixture(rule, HIT);
        if !path.is_file() {
            continue; // every_rule_has_a_hit_and_a_near_miss says so
        }
        let name = shown(rule, HIT);
        let result = expected(rule, &path, &name)
            .and_then(|want| findings_of(rule, &path, &name).map(|got| (want, got)));
        let (want, got) = match result {
            Ok(x) => x,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        if want.is_empty() {
            failures.push(format!(
                "{name}: a hit needs `// expect: STATE {rule}/CASE:SUBJECT` lines; it reports:\n{}",
                got.listing()
            ));
            continue;
        }
        if !got.duplicates.is_empty() {
            failures.push(format!(
                "{name}: `{rule}` reports the same finding twice in a state: {:?}",
                got.duplicates
            ));
        }
        if got.keys != want {
            let missing: Vec<_> = want.difference(&got.keys).collect();
            let unexpected: Vec<_> = got.keys.difference(&want).collect();
            failures.push(format!(
                "{name}: `{rule}` findings differ from the `// expect:` lines\n  missing:    \
                 {missing:?}\n  unexpected: {unexpected:?}\n  all `{rule}` findings:\n{}",
                got.listing()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn each_near_miss_reports_nothing_of_its_rule() {
    let mut failures = Vec::new();
    for rule in covered() {
        let path = fixture(rule, NEAR_MISS);
        if !path.is_file() {
            continue; // every_rule_has_a_hit_and_a_near_miss says so
        }
        let name = shown(rule, NEAR_MISS);
        let result = expected(rule, &path, &name).and_then(|want| {
            if want.is_empty() {
                findings_of(rule, &path, &name)
            } else {
                Err(format!(
                    "{name}: a near miss expects no `{rule}` finding, so it has no \
                     `// expect:` lines: {want:?}"
                ))
            }
        });
        match result {
            Ok(got) if got.keys.is_empty() => {}
            Ok(got) => failures.push(format!(
                "{name}: a near miss must report no `{rule}` finding in either state, but \
                 reports:\n{}",
                got.listing()
            )),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
