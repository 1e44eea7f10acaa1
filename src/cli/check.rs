//! `revarch check`: arguments and IO; the stage is [`crate::check`].

use std::path::{Path, PathBuf};

use super::{print_diagnostics, ModelArg, Output, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK};
use crate::check::baseline::{self, BaselineFormat, LoadedBaseline};
use crate::check::{
    by_key, invalid_json, run_check, sarif, CheckResult, FailOn, Format, StateChoice,
};
use crate::diag::{Diagnostic, Sources};
use crate::model;
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
    let text = crate::check::format(&result, args.format, out.color_out, base.as_ref());
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
