//! `check`'s human report.

use super::{baseline, by_key, BaselineUse, CheckResult, Keyed};
use crate::analysis::{rule, Analysis, Entity, Finding, PlanStatus};
use crate::diag::{Paint, Sources};
use crate::model::{Counts, Level, State};
use crate::words::count;

fn counts_text(c: &Counts) -> String {
    format!(
        "  AV    {} · {} · {}\n  OV    {} · {} · {}\n  SV    {} · {}\n  StdV  {}\n  DIV   {}\n",
        count(c.goals, "goal", "goals"),
        count(c.principles, "principle", "principles"),
        count(c.terms, "glossary term", "glossary terms"),
        count(c.performers, "performer", "performers"),
        count(c.activities, "activity", "activities"),
        count(c.exchanges, "exchange", "exchanges"),
        count(c.systems, "system", "systems"),
        count(c.integrations, "integration", "integrations"),
        count(c.standards, "standard", "standards"),
        count(c.entities, "data entity", "data entities"),
    )
}

fn tally<'f>(findings: impl IntoIterator<Item = &'f Finding>) -> String {
    let findings: Vec<&Finding> = findings.into_iter().collect();
    let n = |l| findings.iter().filter(|f| f.level == l).count();
    format!(
        "{}, {}, {} info",
        count(n(Level::Error), "error", "errors"),
        count(n(Level::Warning), "warning", "warnings"),
        n(Level::Info)
    )
}

fn where_is(e: &Entity, sources: &Sources) -> String {
    if sources.is_empty() {
        return String::new();
    }
    t(&sources.location(e.span)).into_owned()
}

/// Model text on its way to the terminal: control characters escaped (see
/// [`crate::diag::escape_control`]), so a name cannot clear the screen or
/// forge a `-->` line.
fn t(s: &str) -> std::borrow::Cow<'_, str> {
    crate::diag::escape_control(s)
}

fn finding_text(f: &Finding, tag: Option<&str>, sources: &Sources, p: &Paint) -> String {
    let mut s = format!(
        "{}{} {}",
        p.level(f.level),
        p.bold(&format!("[{}]:", f.rule)),
        p.bold(&t(&f.message))
    );
    if let Some(tag) = tag {
        s.push_str(&format!(" {}", p.dim(&format!("({tag})"))));
    }
    s.push('\n');
    s.push_str(&format!(
        "  {} {}  {} `{}`\n",
        p.wrap("34", "-->"),
        where_is(&f.subject, sources),
        f.subject.kind_label(),
        t(&f.subject.id)
    ));
    for r in f.related.iter().take(6) {
        s.push_str(&format!(
            "      {}  {} `{}`\n",
            p.dim(&where_is(r, sources)),
            r.kind_label(),
            t(&r.id)
        ));
    }
    let more = f.related.len().saturating_sub(6) + f.related_more;
    if more > 0 {
        s.push_str(&format!("      … and {more} more\n"));
    }
    if let Some(r) = rule(f.rule) {
        s.push_str(&format!("  {} {}\n", p.wrap("34", "= why:"), r.rationale()));
    }
    s.push_str(&format!("  {} {}\n\n", p.wrap("34", "= fix:"), t(&f.fix)));
    s
}

/// A state's tally; with a baseline, of the new findings, plus the number
/// of baselined ones.
fn state_counts(r: &CheckResult<'_>, a: &Analysis) -> String {
    match &r.baseline {
        None => tally(&a.findings),
        Some(_) => {
            let new: Vec<&Finding> = a.findings.iter().filter(|f| !r.is_baselined(f)).collect();
            format!(
                "{}, {} baselined",
                tally(new.iter().copied()),
                a.findings.len() - new.len()
            )
        }
    }
}

/// The baselined findings (one line each) and the stale entries.
fn baselined_text(r: &CheckResult<'_>, b: &BaselineUse, p: &Paint) -> String {
    let sources = &r.loaded.sources;
    let m = &b.matched;
    let mut s = String::new();
    let keyed: Vec<Keyed<'_>> = by_key(&r.states)
        .into_iter()
        .filter(|k| k.allowed.is_none() && m.contains(&k.key))
        .collect();
    s.push_str(&format!(
        "\n{} ({}, accepted in `{}`; not counted for --fail-on):\n",
        p.bold("baselined"),
        keyed.len(),
        t(&m.file)
    ));
    if keyed.is_empty() {
        s.push_str("  none of the current findings\n");
    }
    for k in &keyed {
        let f = k.finding;
        // The default reason says nothing: left out to keep lines short.
        let reason = match m.reason(&k.key) {
            Some(baseline::DEFAULT_REASON) => String::new(),
            r => format!(" — {}", reason_text(r)),
        };
        s.push_str(&format!(
            "  {}[{}/{}] {} `{}`{reason}  {}\n",
            p.level(f.level),
            f.rule,
            f.case,
            f.subject.kind_label(),
            t(&f.subject.id),
            p.dim(&where_is(&f.subject, sources))
        ));
    }
    if !m.stale.is_empty() {
        s.push_str(&format!(
            "\n{} ({}): in `{}` but no longer found\n",
            p.bold("stale baseline entries"),
            m.stale.len(),
            t(&m.file)
        ));
        for e in &m.stale {
            s.push_str(&format!(
                "  {} — {}\n",
                t(&e.key()),
                reason_text(Some(&e.reason))
            ));
        }
        s.push_str(&format!(
            "  {} {}\n",
            p.wrap("34", "= rewrite the baseline:"),
            t(&b.hint)
        ));
    }
    s
}

/// A baseline reason for the terminal: on one line, without control
/// characters (a reason is text someone typed into a file).
fn reason_text(reason: Option<&str>) -> String {
    match reason {
        Some(r) if !r.trim().is_empty() => r
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect(),
        _ => "(no reason given)".to_string(),
    }
}

impl Entity {
    fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

/// The human report.
pub fn to_text(r: &CheckResult<'_>, color: bool) -> String {
    let p = Paint(color);
    let m = &r.loaded.model;
    let sources = &r.loaded.sources;
    let mut s = String::new();
    let name = if m.av.name.is_empty() {
        "(unnamed architecture)"
    } else {
        &m.av.name
    };
    let period = if m.av.plan_period.is_empty() {
        String::new()
    } else {
        format!(", plan period {}", t(&m.av.plan_period))
    };
    s.push_str(&format!(
        "{}{period} — {}\n",
        p.bold(&t(name)),
        t(&r.loaded.label)
    ));
    s.push_str(&counts_text(&m.counts()));
    s.push('\n');
    for (state, a) in &r.states {
        // With both states, as-is findings are shown only if the plan resolves them.
        if *state == State::AsIs && r.delta.is_some() {
            continue;
        }
        let what = match state {
            State::AsIs => "today: current and retiring elements",
            State::ToBe => "after the plan: current and planned elements",
        };
        s.push_str(&format!(
            "{} ({what}): {}\n\n",
            p.bold(&format!("{state}")),
            state_counts(r, a)
        ));
        for f in a.findings.iter().filter(|f| !r.is_baselined(f)) {
            let tag = r.delta.as_ref().map(|d| d.describe(&f.key()));
            s.push_str(&finding_text(f, tag.as_deref(), sources, &p));
        }
    }
    if let (Some(delta), Some((_, as_is))) = (&r.delta, r.states.first()) {
        let resolved: Vec<&Finding> = as_is
            .findings
            .iter()
            .filter(|f| delta.status(&f.key()) == PlanStatus::Resolved)
            .collect();
        s.push_str(&format!(
            "{} ({}): {}\n\n",
            p.bold("as-is"),
            "today: current and retiring elements",
            state_counts(r, as_is)
        ));
        if resolved.is_empty() {
            s.push_str("  the plan resolves none of today's findings\n\n");
        } else {
            s.push_str(&format!("  resolved by the plan ({}):\n", resolved.len()));
            for f in resolved {
                s.push_str(&format!(
                    "  {} {}[{}] {}  {}\n",
                    p.wrap("32", "✓"),
                    p.level(f.level),
                    f.rule,
                    t(&f.message),
                    p.dim(&where_is(&f.subject, sources))
                ));
            }
            s.push('\n');
        }
        s.push_str(&format!(
            "{} resolves {}, introduces {}, {}leaves {} unchanged\n",
            p.bold("plan:"),
            count(delta.resolved.len(), "finding", "findings"),
            delta.introduced.len(),
            delta.changed_phrase("", ", "),
            delta.unchanged.len()
        ));
    }
    if let Some(b) = &r.baseline {
        s.push_str(&baselined_text(r, b, &p));
    }
    let suppressed: Vec<_> = r
        .states
        .iter()
        .flat_map(|(st, a)| a.suppressed.iter().map(move |x| (*st, x)))
        .collect();
    if !suppressed.is_empty() {
        s.push_str(&format!(
            "\n{} ({}):\n",
            p.bold("allowed"),
            suppressed.len()
        ));
        for (st, x) in suppressed {
            s.push_str(&format!(
                "  {} [{}] {} `{}` — {}  {}\n",
                st,
                x.finding.rule,
                x.finding.subject.kind_label(),
                t(&x.finding.subject.id),
                t(&x.reason),
                p.dim(&where_is(&x.finding.subject, sources))
            ));
        }
    }
    s
}
