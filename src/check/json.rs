//! `check --format json` (documented in docs/ci.md).

use serde::Serialize;

use super::{baseline, CheckResult};
use crate::analysis::{Entity, PlanDelta, PlanStatus};
use crate::diag::{Diagnostic, JsonDiagnostic, Sources};
use crate::model::{Counts, Level, Loaded, State};

#[derive(Serialize)]
struct JsonEntity<'a> {
    kind: crate::model::Kind,
    id: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

fn json_entity<'a>(e: &'a Entity, sources: &Sources) -> JsonEntity<'a> {
    let (file, line, column) = if sources.is_empty() {
        (None, None, None)
    } else {
        let lc = sources.line_col(e.span);
        (
            Some(sources.name(e.span.file).to_string()),
            Some(lc.line),
            Some(lc.col),
        )
    };
    JsonEntity {
        kind: e.kind,
        id: &e.id,
        file,
        line,
        column,
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    state: State,
    key: String,
    rule: &'a str,
    case: &'a str,
    level: Level,
    subject: JsonEntity<'a>,
    related: Vec<JsonEntity<'a>>,
    /// How many more related entities `related` leaves out (only when > 0).
    #[serde(skip_serializing_if = "crate::analysis::is_zero")]
    related_more: usize,
    message: &'a str,
    fix: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<PlanStatus>,
    /// With `--baseline`: whether the baseline accepts it.
    #[serde(skip_serializing_if = "Option::is_none")]
    baselined: Option<bool>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    state: State,
    key: String,
    rule: &'a str,
    subject: JsonEntity<'a>,
    reason: &'a str,
}

#[derive(Serialize, Default)]
struct JsonTally {
    error: usize,
    warning: usize,
    info: usize,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    version: u32,
    valid: bool,
    model: &'a str,
    name: &'a str,
    plan_period: &'a str,
    counts: Counts,
    states: Vec<State>,
    summary: std::collections::BTreeMap<State, JsonTally>,
    findings: Vec<JsonFinding<'a>>,
    suppressed: Vec<JsonSuppressed<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<&'a PlanDelta>,
    diagnostics: Vec<JsonDiagnostic>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<baseline::Summary<'a>>,
}

/// The JSON report (format documented in docs/ci.md; `version` changes when
/// a field changes meaning or disappears).
pub fn to_json(r: &CheckResult<'_>) -> String {
    let sources = &r.loaded.sources;
    let m = &r.loaded.model;
    let mut findings = Vec::new();
    let mut suppressed = Vec::new();
    let mut summary = std::collections::BTreeMap::new();
    for (state, a) in &r.states {
        let mut t = JsonTally::default();
        for f in &a.findings {
            match f.level {
                Level::Error => t.error += 1,
                Level::Warning => t.warning += 1,
                _ => t.info += 1,
            }
            let key = f.key();
            let baselined = r.baseline.as_ref().map(|b| b.matched.contains(&key));
            findings.push(JsonFinding {
                state: *state,
                plan: r.delta.as_ref().map(|d| d.status(&key)),
                key,
                rule: f.rule,
                case: f.case,
                level: f.level,
                subject: json_entity(&f.subject, sources),
                related: f.related.iter().map(|e| json_entity(e, sources)).collect(),
                related_more: f.related_more,
                message: &f.message,
                fix: &f.fix,
                baselined,
            });
        }
        summary.insert(*state, t);
        for x in &a.suppressed {
            suppressed.push(JsonSuppressed {
                state: *state,
                key: x.finding.key(),
                rule: x.finding.rule,
                subject: json_entity(&x.finding.subject, sources),
                reason: &x.reason,
            });
        }
    }
    let doc = JsonCheck {
        version: 1,
        valid: true,
        model: &r.loaded.label,
        name: &m.av.name,
        plan_period: &m.av.plan_period,
        counts: m.counts(),
        states: r.states.iter().map(|(s, _)| *s).collect(),
        summary,
        findings,
        suppressed,
        plan: r.delta.as_ref(),
        diagnostics: r
            .loaded
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic::new(d, sources))
            .collect(),
        baseline: r.baseline.as_ref().map(|b| b.matched.summary()),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON report of an invalid model (or baseline): its diagnostics.
pub fn invalid_json(loaded: &Loaded, problems: &[(&Diagnostic, &Sources)]) -> String {
    #[derive(Serialize)]
    struct Invalid<'a> {
        version: u32,
        valid: bool,
        model: &'a str,
        diagnostics: Vec<JsonDiagnostic>,
    }
    let doc = Invalid {
        version: 1,
        valid: false,
        model: &loaded.label,
        diagnostics: problems
            .iter()
            .map(|(d, sources)| JsonDiagnostic::new(d, sources))
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
