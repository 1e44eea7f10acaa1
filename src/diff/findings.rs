//! The findings delta: which findings a change introduces, resolves or leaves.

use std::collections::{BTreeMap, BTreeSet};

use super::{FindingChange, FindingStatus};
use crate::analysis::{analyse, Finding};
use crate::graph::Graph;
use crate::model::State;

/// A finding (with its key under NEW's ids), its status, whether it is
/// NEW's, and for a changed reason OLD's case.
type Entry<'a> = (
    FindingStatus,
    &'a (Finding, String),
    bool,
    Option<&'static str>,
);

/// A finding with OLD's ids mapped to NEW's (renames).
fn mapped(f: &Finding, renames: &BTreeMap<String, String>) -> Finding {
    if renames.is_empty() {
        return f.clone();
    }
    let map = |id: &String| renames.get(id).cloned().unwrap_or_else(|| id.clone());
    let mut g = f.clone();
    g.subject.id = map(&f.subject.id);
    g.identity = f.identity.iter().map(map).collect();
    g.identity.sort();
    g.identity.dedup();
    g
}

/// Findings of both models in both states, by status. Findings are matched
/// by what is wrong ([`Finding::identity_key`]: rule, subject, identity),
/// so one whose reason (case) differs is `Changed`, not resolved and
/// introduced. Rows with the same key and status in both states are merged
/// (their `states` lists both).
pub(super) fn delta(
    old: &Graph<'_>,
    new: &Graph<'_>,
    renames: &BTreeMap<String, String>,
) -> Vec<FindingChange> {
    // (status, key) -> change
    let mut rows: BTreeMap<(FindingStatus, String), FindingChange> = BTreeMap::new();
    for state in State::ALL {
        // identity -> (finding as reported, its key with NEW's ids), per
        // side (OLD's findings are matched under NEW's ids: renames)
        let group = |fs: Vec<(Finding, String, String)>| {
            let mut m: BTreeMap<String, Vec<(Finding, String)>> = BTreeMap::new();
            for (f, identity, key) in fs {
                m.entry(identity).or_default().push((f, key));
            }
            m
        };
        let before = group(
            analyse(old, state)
                .findings
                .into_iter()
                .map(|f| {
                    let m = mapped(&f, renames);
                    (f, m.identity_key(), m.key())
                })
                .collect(),
        );
        let after = group(
            analyse(new, state)
                .findings
                .into_iter()
                .map(|f| {
                    let (identity, key) = (f.identity_key(), f.key());
                    (f, identity, key)
                })
                .collect(),
        );
        let identities: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        let none = Vec::new();
        for id in identities {
            let old_fs = before.get(id).unwrap_or(&none);
            let new_fs = after.get(id).unwrap_or(&none);
            // the same key on both sides: unchanged; what is left pairs up
            // as a changed reason; the rest is resolved or introduced
            let mut old_left: Vec<&(Finding, String)> = Vec::new();
            let mut entries: Vec<Entry<'_>> = Vec::new();
            for o in old_fs {
                match new_fs.iter().find(|n| n.1 == o.1) {
                    Some(n) => entries.push((FindingStatus::Unchanged, n, true, None)),
                    None => old_left.push(o),
                }
            }
            let new_left: Vec<&(Finding, String)> = new_fs
                .iter()
                .filter(|n| !old_fs.iter().any(|o| o.1 == n.1))
                .collect();
            let paired = old_left.len().min(new_left.len());
            for (o, n) in old_left.iter().zip(&new_left).take(paired) {
                entries.push((FindingStatus::Changed, n, true, Some(o.0.case)));
            }
            for o in &old_left[paired..] {
                entries.push((FindingStatus::Resolved, o, false, None));
            }
            for n in &new_left[paired..] {
                entries.push((FindingStatus::Introduced, n, true, None));
            }
            for (status, (f, key), in_new, case_before) in entries {
                let row = rows
                    .entry((status, key.clone()))
                    .or_insert_with(|| FindingChange {
                        status,
                        key: key.clone(),
                        rule: f.rule,
                        level: f.level,
                        states: Vec::new(),
                        subject: f.subject.clone(),
                        message: f.message.clone(),
                        fix: f.fix.clone(),
                        case_before,
                        in_new,
                    });
                row.states.push(state);
            }
        }
    }
    let mut out: Vec<FindingChange> = rows.into_values().collect();
    // Most severe first within each status, then by key.
    out.sort_by(|a, b| {
        (a.status, std::cmp::Reverse(a.level), &a.key).cmp(&(
            b.status,
            std::cmp::Reverse(b.level),
            &b.key,
        ))
    });
    out
}
