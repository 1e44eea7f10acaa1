//! `revarch check`: validate a model, run the analyses in both states of the
//! plan year, and report findings and what the plan does to them.

use serde::Serialize;

use super::{load, ModelArg, Output, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK};
use crate::analysis::{analyse, rule, Analysis, Entity, Finding, PlanDelta, PlanStatus};
use crate::diag::{JsonDiagnostic, Sources};
use crate::graph::Graph;
use crate::model::{self, Counts, Level, Loaded, State};

/// Arguments of `revarch check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    model: ModelArg,
    /// Which state(s) to analyse; `both` also reports what the plan
    /// resolves and introduces.
    #[arg(long, value_enum, default_value_t = StateChoice::Both)]
    pub state: StateChoice,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with code 1 when a finding at or above this level is reported
    /// (in any analysed state).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

/// States for `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum StateChoice {
    /// Today only.
    AsIs,
    /// After the plan only.
    ToBe,
    /// Both, and the difference the plan makes.
    Both,
}

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// Stable JSON for tools (documented in the README).
    Json,
}

/// Failure threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Fail on errors.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail because of findings.
    Never,
}

impl FailOn {
    fn fails(self, level: Level) -> bool {
        match self {
            FailOn::Error => level >= Level::Error,
            FailOn::Warning => level >= Level::Warning,
            FailOn::Info => level >= Level::Info,
            FailOn::Never => false,
        }
    }
}

/// Everything `check` found, ready to print.
pub struct CheckResult<'a> {
    loaded: &'a Loaded,
    states: Vec<(State, Analysis)>,
    delta: Option<PlanDelta>,
}

/// Runs the analyses of the chosen states on a valid model.
pub fn run_check(loaded: &Loaded, states: StateChoice) -> CheckResult<'_> {
    let g = Graph::build(&loaded.model);
    let list: Vec<State> = match states {
        StateChoice::AsIs => vec![State::AsIs],
        StateChoice::ToBe => vec![State::ToBe],
        StateChoice::Both => State::ALL.to_vec(),
    };
    let states: Vec<(State, Analysis)> = list.into_iter().map(|s| (s, analyse(&g, s))).collect();
    let delta = match states.as_slice() {
        [(State::AsIs, a), (State::ToBe, b)] => Some(PlanDelta::new(a, b)),
        _ => None,
    };
    CheckResult {
        loaded,
        states,
        delta,
    }
}

impl CheckResult<'_> {
    fn worst_fails(&self, fail_on: FailOn) -> bool {
        self.states
            .iter()
            .flat_map(|(_, a)| &a.findings)
            .any(|f| fail_on.fails(f.level))
    }
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let loaded = match args.format {
        Format::Text => match load(&args.model, out) {
            Some(l) => l,
            None => return EXIT_INVALID,
        },
        Format::Json => {
            let loaded = model::read(&args.model.source(), crate::analysis::RULE_IDS);
            if loaded.has_errors() {
                out.stdout(&invalid_json(&loaded));
                return EXIT_INVALID;
            }
            loaded
        }
    };
    let result = run_check(&loaded, args.state);
    let text = match args.format {
        Format::Text => to_text(&result, out.color_out),
        Format::Json => to_json(&result),
    };
    out.stdout(&text);
    if result.worst_fails(args.fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

// ---------------------------------------------------------------------------
// text
// ---------------------------------------------------------------------------

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn level(&self, level: Level) -> String {
        let code = match level {
            Level::Error => "1;31",
            Level::Warning => "1;33",
            _ => "1;36",
        };
        self.wrap(code, level.as_str())
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else if let Some(stem) = word.strip_suffix('y') {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {word}s")
    }
}

fn counts_text(c: &Counts) -> String {
    format!(
        "  AV    {} · {} · {}\n  OV    {} · {} · {}\n  SV    {} · {}\n  StdV  {}\n  DIV   {}\n",
        plural(c.goals, "goal"),
        plural(c.principles, "principle"),
        plural(c.terms, "glossary term"),
        plural(c.performers, "performer"),
        plural(c.activities, "activity"),
        plural(c.exchanges, "exchange"),
        plural(c.systems, "system"),
        plural(c.integrations, "integration"),
        plural(c.standards, "standard"),
        plural(c.entities, "data entity"),
    )
}

fn tally(findings: &[Finding]) -> String {
    let n = |l| findings.iter().filter(|f| f.level == l).count();
    format!(
        "{}, {}, {} info",
        plural(n(Level::Error), "error"),
        plural(n(Level::Warning), "warning"),
        n(Level::Info)
    )
}

fn where_is(e: &Entity, sources: &Sources) -> String {
    if sources.is_empty() {
        return String::new();
    }
    sources.location(e.span)
}

fn finding_text(f: &Finding, tag: Option<&str>, sources: &Sources, p: &Paint) -> String {
    let mut s = format!(
        "{}{} {}",
        p.level(f.level),
        p.bold(&format!("[{}]:", f.rule)),
        p.bold(&f.message)
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
        f.subject.id
    ));
    for r in f.related.iter().take(6) {
        s.push_str(&format!(
            "      {}  {} `{}`\n",
            p.dim(&where_is(r, sources)),
            r.kind_label(),
            r.id
        ));
    }
    if f.related.len() > 6 {
        s.push_str(&format!("      … and {} more\n", f.related.len() - 6));
    }
    if let Some(r) = rule(f.rule) {
        s.push_str(&format!("  {} {}\n", p.wrap("34", "= why:"), r.rationale()));
    }
    s.push_str(&format!("  {} {}\n\n", p.wrap("34", "= fix:"), f.fix));
    s
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
        format!(", plan period {}", m.av.plan_period)
    };
    s.push_str(&format!("{}{period} — {}\n", p.bold(name), r.loaded.label));
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
            tally(&a.findings)
        ));
        for f in &a.findings {
            let tag = r.delta.as_ref().map(|d| match d.status(&f.key()) {
                PlanStatus::Introduced => "introduced by the plan",
                _ => "also today",
            });
            s.push_str(&finding_text(f, tag, sources, &p));
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
            tally(&as_is.findings)
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
                    f.message,
                    p.dim(&where_is(&f.subject, sources))
                ));
            }
            s.push('\n');
        }
        s.push_str(&format!(
            "{} resolves {}, introduces {}, leaves {} unchanged\n",
            p.bold("plan:"),
            plural(delta.resolved.len(), "finding"),
            delta.introduced.len(),
            delta.unchanged.len()
        ));
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
                x.finding.subject.id,
                x.reason,
                p.dim(&where_is(&x.finding.subject, sources))
            ));
        }
    }
    s
}

// ---------------------------------------------------------------------------
// json
// ---------------------------------------------------------------------------

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
    message: &'a str,
    fix: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<PlanStatus>,
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
}

/// The JSON report (format documented in the README; `version` changes when
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
            findings.push(JsonFinding {
                state: *state,
                plan: r.delta.as_ref().map(|d| d.status(&key)),
                key,
                rule: f.rule,
                case: f.case,
                level: f.level,
                subject: json_entity(&f.subject, sources),
                related: f.related.iter().map(|e| json_entity(e, sources)).collect(),
                message: &f.message,
                fix: &f.fix,
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
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn invalid_json(loaded: &Loaded) -> String {
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
        diagnostics: loaded
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic::new(d, &loaded.sources))
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
