//! `revarch check`: validate a model, run the analyses in both states of the
//! plan year, and report findings and what the plan does to them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::baseline::{self, BaselineFormat, LoadedBaseline, Matched};
use super::{print_diagnostics, sarif, ModelArg, Output, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK};
use crate::analysis::{analyse, rule, Analysis, Entity, Finding, PlanDelta, PlanStatus};
use crate::diag::{Diagnostic, JsonDiagnostic, Paint, Sources};
use crate::graph::Graph;
use crate::model::{self, Counts, Level, Loaded, State};
use crate::words::count;

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
    /// Baseline file of accepted findings (RON, or JSON if it ends in
    /// `.json`): the findings it lists are reported as baselined and do not
    /// count for `--fail-on`; entries no longer found are reported as stale.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every current finding to this baseline file (RON, or JSON if it
    /// ends in `.json`) instead of reporting them. Reasons of entries already
    /// in it (or in `--baseline`) are kept.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// The reason recorded for new entries by `--write-baseline`.
    #[arg(long, value_name = "TEXT", requires = "write_baseline")]
    pub reason: Option<String>,
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
    /// Stable JSON for tools (documented in docs/ci.md).
    Json,
    /// SARIF 2.1.0, e.g. for GitHub code scanning.
    Sarif,
    /// One row per finding, for a spreadsheet (RFC 4180, UTF-8 with BOM).
    Csv,
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
    baseline: Option<BaselineUse>,
}

/// A baseline applied to a result, and how to rewrite it.
struct BaselineUse {
    matched: Matched,
    hint: String,
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
        baseline: None,
    }
}

impl CheckResult<'_> {
    /// Applies a baseline: the findings it lists become baselined (they no
    /// longer fail the run); `model` is named in the rewrite hint.
    pub fn with_baseline(mut self, b: &LoadedBaseline, model: Option<&Path>) -> Self {
        let matched = Matched::new(b.file.clone(), &b.baseline, &self.keys());
        self.baseline = Some(BaselineUse {
            hint: baseline::rewrite_hint(model, &matched.file),
            matched,
        });
        self
    }

    /// The keys of every finding in the analysed states.
    pub fn keys(&self) -> BTreeSet<String> {
        self.states
            .iter()
            .flat_map(|(_, a)| a.findings.iter().map(Finding::key))
            .collect()
    }

    fn is_baselined(&self, f: &Finding) -> bool {
        self.baseline
            .as_ref()
            .is_some_and(|b| b.matched.contains(&f.key()))
    }

    fn worst_fails(&self, fail_on: FailOn) -> bool {
        self.states
            .iter()
            .flat_map(|(_, a)| &a.findings)
            .any(|f| fail_on.fails(f.level) && !self.is_baselined(f))
    }
}

/// A finding once per key across the analysed states.
pub(crate) struct Keyed<'a> {
    /// Its key.
    pub key: String,
    /// The finding (the to-be one when it occurs in both states).
    pub finding: &'a Finding,
    /// The states it occurs in, as-is first.
    pub states: Vec<State>,
    /// The `allow` reason when it is suppressed in the model.
    pub allowed: Option<&'a str>,
}

/// Every finding and every suppressed finding once per key, sorted by key.
/// A key reported in some state counts as reported, not suppressed.
pub(crate) fn by_key(states: &[(State, Analysis)]) -> Vec<Keyed<'_>> {
    let mut map: std::collections::BTreeMap<String, Keyed<'_>> = Default::default();
    // to-be first, so its finding (the plan's view) is the one kept
    let mut order: Vec<&(State, Analysis)> = states.iter().collect();
    order.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
    for (state, a) in &order {
        for f in &a.findings {
            let k = map.entry(f.key()).or_insert_with(|| Keyed {
                key: f.key(),
                finding: f,
                states: Vec::new(),
                allowed: None,
            });
            if k.allowed.is_some() {
                k.finding = f;
                k.allowed = None;
            }
            k.states.push(*state);
        }
        for x in &a.suppressed {
            let k = map.entry(x.finding.key()).or_insert_with(|| Keyed {
                key: x.finding.key(),
                finding: &x.finding,
                states: Vec::new(),
                allowed: Some(&x.reason),
            });
            k.states.push(*state);
        }
    }
    let mut out: Vec<Keyed<'_>> = map.into_values().collect();
    for k in &mut out {
        k.states.sort();
        k.states.dedup();
    }
    out
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let loaded = model::read(&args.model.source(), crate::analysis::RULE_IDS);
    // CSV has no room for diagnostics: they go to stderr, as with text
    if matches!(args.format, Format::Text | Format::Csv) {
        print_diagnostics(&loaded, out);
    }
    let base = args.baseline.as_deref().map(baseline::read);
    if let Some(b) = &base {
        print_baseline_diagnostics(b, out);
    }
    if loaded.has_errors() || base.as_ref().is_some_and(LoadedBaseline::has_errors) {
        let mut problems: Vec<(&Diagnostic, &Sources)> = loaded
            .diagnostics
            .iter()
            .map(|d| (d, &loaded.sources))
            .collect();
        if let Some(b) = &base {
            problems.extend(b.diagnostics.iter().map(|d| (d, &b.sources)));
        }
        match args.format {
            Format::Text | Format::Csv => {}
            Format::Json => out.stdout(&invalid_json(&loaded, &problems)),
            Format::Sarif => out.stdout(&sarif::failed_log(&problems)),
        }
        return EXIT_INVALID;
    }
    let result = run_check(&loaded, args.state);
    if let Some(path) = &args.write_baseline {
        return write_baseline(args, path, &result, base.as_ref(), out);
    }
    let result = match &base {
        Some(b) => result.with_baseline(b, args.model.model.as_deref()),
        None => result,
    };
    let text = match args.format {
        Format::Text => to_text(&result, out.color_out),
        Format::Json => to_json(&result),
        Format::Csv => to_csv(&result),
        Format::Sarif => sarif::log(
            &loaded,
            &result.states,
            base.as_ref()
                .zip(result.baseline.as_ref().map(|b| &b.matched)),
        ),
    };
    out.stdout(&text);
    if result.worst_fails(args.fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Prints a baseline's problems to stderr (in every format: they concern the
/// command line, not the report), and a last line when it is unusable.
fn print_baseline_diagnostics(b: &LoadedBaseline, out: &Output) {
    if b.diagnostics.is_empty() {
        return;
    }
    out.diagnostics(&b.diagnostics, &b.sources);
    if b.has_errors() {
        let n = b.error_count();
        out.error(&format!(
            "baseline `{}` is unusable: {}",
            b.file,
            count(n, "error", "errors")
        ));
    }
}

/// `--write-baseline`: writes the current findings, keeping the reasons of
/// the `--baseline` file and of the file being replaced.
fn write_baseline(
    args: &Args,
    path: &Path,
    result: &CheckResult<'_>,
    base: Option<&LoadedBaseline>,
    out: &Output,
) -> i32 {
    let file = path.display().to_string();
    let same = |a: &Path, b: &Path| {
        a == b
            || matches!(
                (std::fs::canonicalize(a), std::fs::canonicalize(b)),
                (Ok(x), Ok(y)) if x == y
            )
    };
    let mut old = None;
    let replaces_base = args.baseline.as_deref().is_some_and(|b| same(b, path));
    // Only a regular file holds reasons to keep: a device or FIFO
    // (`--write-baseline /dev/null`) is written, never read back.
    let is_file = std::fs::metadata(path).is_ok_and(|m| m.is_file());
    if is_file && !replaces_base {
        let existing = baseline::read(path);
        if existing.is_unreadable() {
            out.diagnostics(&existing.diagnostics, &existing.sources);
            out.error(&format!(
                "`{file}` exists but is not a readable baseline, and rewriting it would lose its reasons: fix or remove it first"
            ));
            return EXIT_INVALID;
        }
        old = Some(existing);
    }
    let previous: Vec<&baseline::Baseline> = base
        .into_iter()
        .chain(old.as_ref())
        .map(|b| &b.baseline)
        .collect();
    let keyed = by_key(&result.states);
    let findings = keyed
        .iter()
        .filter(|k| k.allowed.is_none())
        .map(|k| k.finding);
    let reason = args.reason.as_deref().unwrap_or(baseline::DEFAULT_REASON);
    let (b, stats) = baseline::from_findings(findings, &previous, reason);
    let text = baseline::to_text(&b, BaselineFormat::of(path));
    if let Err(e) = super::write_atomic(path, text.as_bytes()) {
        out.error(&e.to_string());
        return EXIT_INVALID;
    }
    out.stderr(&baseline::summary(&file, stats));
    EXIT_OK
}

// ---------------------------------------------------------------------------
// text
// ---------------------------------------------------------------------------

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
            changed_text(delta, ", "),
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

/// The columns of `check --format csv`, in order.
const CSV_COLUMNS: [&str; 15] = [
    "state",
    "plan",
    "severity",
    "rule",
    "case",
    "key",
    "subject_kind",
    "subject",
    "file",
    "line",
    "column",
    "message",
    "fix",
    "related",
    "related_more",
];

/// "changes the reason of N" and `sep` when the plan changes the reason of
/// any finding, else nothing (the verdict then reads as it always did).
fn changed_text(delta: &PlanDelta, sep: &str) -> String {
    match delta.changed.len() {
        0 => String::new(),
        n => format!("changes the reason of {n}{sep}"),
    }
}

/// `check --format csv`: one row per finding and state (state order, then
/// the analysis's order: most severe first), for the planning
/// spreadsheet. `plan` is introduced / resolved / unchanged / changed with
/// `--state both`; `related` lists the other entities as `kind:id`,
/// separated by `; `, and `related_more` how many are left out; `file`,
/// `line` and `column` locate the subject. Suppressed findings are left
/// out (as in the text output); with a baseline, a last column
/// `baselined` says yes or no.
pub fn to_csv(r: &CheckResult<'_>) -> String {
    let sources = &r.loaded.sources;
    let mut header: Vec<&str> = CSV_COLUMNS.to_vec();
    if r.baseline.is_some() {
        header.push("baselined");
    }
    let mut rows = Vec::new();
    for (state, a) in &r.states {
        for f in &a.findings {
            let key = f.key();
            let (file, line, column) = if sources.is_empty() {
                (String::new(), String::new(), String::new())
            } else {
                let lc = sources.line_col(f.subject.span);
                (
                    sources.name(f.subject.span.file).to_string(),
                    lc.line.to_string(),
                    lc.col.to_string(),
                )
            };
            let plan = match r.delta.as_ref().map(|d| d.status(&key)) {
                Some(PlanStatus::Introduced) => "introduced",
                Some(PlanStatus::Resolved) => "resolved",
                Some(PlanStatus::Unchanged) => "unchanged",
                Some(PlanStatus::Changed) => "changed",
                None => "",
            };
            let related: Vec<String> = f
                .related
                .iter()
                .map(|e| format!("{}:{}", e.kind.as_str(), e.id))
                .collect();
            let mut row = vec![
                state.as_str().to_string(),
                plan.to_string(),
                f.level.as_str().to_string(),
                f.rule.to_string(),
                f.case.to_string(),
                key.clone(),
                f.subject.kind.as_str().to_string(),
                f.subject.id.clone(),
                file,
                line,
                column,
                f.message.clone(),
                f.fix.clone(),
                related.join("; "),
                f.related_more.to_string(),
            ];
            if let Some(b) = &r.baseline {
                let yes = b.matched.contains(&key);
                row.push(if yes { "yes" } else { "no" }.to_string());
            }
            rows.push(row);
        }
    }
    super::csv::table(&header, &rows)
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

fn is_zero(n: &usize) -> bool {
    *n == 0
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
    #[serde(skip_serializing_if = "is_zero")]
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

fn invalid_json(loaded: &Loaded, problems: &[(&Diagnostic, &Sources)]) -> String {
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
