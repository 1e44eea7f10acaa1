//! The `check` stage: the findings of the analysed states once per key,
//! what the plan does to them, baselines of accepted findings, and the
//! output formats (text, JSON, CSV, SARIF). A library stage like `diff`:
//! `cli/check.rs` only handles arguments, and other front ends (`serve`,
//! the deck) can use the formats without going through the CLI.

pub mod baseline;
mod csv;
mod json;
pub mod sarif;
mod text;

use std::collections::BTreeSet;
use std::path::Path;

use crate::analysis::{analyse, Analysis, Finding, PlanDelta};
use crate::graph::Graph;
use crate::model::{Level, Loaded, State};
use baseline::{LoadedBaseline, Matched};

pub use csv::to_csv;
pub use json::{invalid_json, to_json};
pub use text::to_text;

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
    /// Whether a finding at `level` fails the run.
    pub fn fails(self, level: Level) -> bool {
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
    /// The model checked.
    pub loaded: &'a Loaded,
    /// Each analysed state's findings, as-is first.
    pub states: Vec<(State, Analysis)>,
    /// What the plan does, when both states are analysed.
    pub delta: Option<PlanDelta>,
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

    /// Whether the applied baseline accepts `f`.
    pub fn is_baselined(&self, f: &Finding) -> bool {
        self.baseline
            .as_ref()
            .is_some_and(|b| b.matched.contains(&f.key()))
    }

    /// Whether a finding that no baseline accepts fails the run.
    pub fn worst_fails(&self, fail_on: FailOn) -> bool {
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

/// The report of `result` in `format` (SARIF with the baseline, if any,
/// that `with_baseline` applied).
pub fn format(
    result: &CheckResult<'_>,
    format: Format,
    color: bool,
    base: Option<&LoadedBaseline>,
) -> String {
    match format {
        Format::Text => to_text(result, color),
        Format::Json => to_json(result),
        Format::Csv => to_csv(result),
        Format::Sarif => sarif::log(
            result.loaded,
            &result.states,
            base.zip(result.baseline.as_ref().map(|b| &b.matched)),
        ),
    }
}
