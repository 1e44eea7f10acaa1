//! Ratchet baselines for `revarch check`.
//!
//! A baseline is a reviewed list of findings a team accepts for now. Each
//! entry names a finding by the parts of its [`Finding::key`] — rule, case,
//! subject and the identity ids — never by its message, and says why it is
//! accepted. `check --baseline FILE` reports the findings listed there as
//! *baselined* (they do not count for `--fail-on`) and the entries whose
//! finding no longer occurs as *stale*; `check --write-baseline FILE` writes
//! the current findings, keeping the reasons of entries still present.
//!
//! The file is RON, or JSON when its name ends in `.json`. Both are read into
//! the span-keeping [`Value`] tree of [`crate::model::syntax`] (RON with that
//! reader, JSON by walking serde_json's raw values), so one set of checks
//! reports every problem of a baseline at once, with file:line:col, as
//! [`Diagnostic`]s rendered like a model's.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::analysis::{finding_key, Finding, RULE_IDS};
use crate::diag::{did_you_mean, Diagnostic, Severity, Sources};
use crate::model::load::read_capped;
use crate::model::syntax::{self, Span, Spanned, Value, ValueKind};

/// The baseline format version this revarch reads and writes.
pub const BASELINE_VERSION: u32 = 1;

/// The reason given to new entries unless `--reason` says otherwise.
pub const DEFAULT_REASON: &str = "accepted when the baseline was written";

/// The diagnostic code of an entry naming a rule that does not exist.
pub const UNKNOWN_RULE: &str = "unknown-rule";

/// How a baseline file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaselineFormat {
    /// RON with a `// message` comment above each entry (the default).
    Ron,
    /// JSON, for file names ending in `.json`.
    Json,
}

impl BaselineFormat {
    /// The format of a file: `.json` (in any case) is JSON, anything else RON.
    pub fn of(path: &Path) -> BaselineFormat {
        match path.extension() {
            Some(e) if e.eq_ignore_ascii_case("json") => BaselineFormat::Json,
            _ => BaselineFormat::Ron,
        }
    }
}

/// One accepted finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Rule id.
    pub rule: String,
    /// Which form of the rule's problem (the finding's `case`).
    pub case: String,
    /// The subject entity's id.
    pub subject: String,
    /// The ids besides the subject that define the finding (its identity):
    /// sorted, without repeats and without the subject; usually empty.
    pub entities: Vec<String>,
    /// Why the finding is accepted.
    pub reason: String,
    /// What the finding said when the entry was written (the comment above a
    /// RON entry, `note` in JSON). Written for reviewers, never read back.
    pub note: String,
    /// Where the entry is written (a default span for entries built in code).
    pub span: Span,
}

impl Entry {
    /// The entry accepting a finding, with a reason.
    pub fn of(f: &Finding, reason: &str) -> Entry {
        Entry {
            rule: f.rule.to_string(),
            case: f.case.to_string(),
            subject: f.subject.id.clone(),
            entities: f.identity.clone(),
            reason: reason.to_string(),
            note: f.message.clone(),
            span: Span::default(),
        }
    }

    /// The key of the finding it accepts (the form of [`Finding::key`]).
    pub fn key(&self) -> String {
        finding_key(&self.rule, &self.case, &self.subject, &self.entities)
    }
}

/// Accepted findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    /// The entries in file order (written sorted by key).
    pub entries: Vec<Entry>,
}

impl Baseline {
    /// The reasons by key (the first entry's if a key is listed twice).
    pub fn reasons(&self) -> BTreeMap<String, &str> {
        let mut out = BTreeMap::new();
        for e in &self.entries {
            out.entry(e.key()).or_insert(e.reason.as_str());
        }
        out
    }
}

/// A baseline file as read: the entries that could be read, the text (for
/// locations) and every problem found.
pub struct LoadedBaseline {
    /// The file, as named on the command line.
    pub file: String,
    /// The entries that could be read.
    pub baseline: Baseline,
    /// The file's text, for rendering diagnostics.
    pub sources: Sources,
    /// Every problem, errors and warnings (at most
    /// [`MAX_PER_CODE`](crate::diag::MAX_PER_CODE) of a code, the rest in
    /// `omitted`).
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics left out beyond the per-code cap.
    pub omitted: Vec<crate::diag::Omitted>,
}

impl LoadedBaseline {
    /// How many errors were found, shown or not.
    pub fn error_count(&self) -> usize {
        crate::diag::error_count(&self.diagnostics, &self.omitted)
    }

    /// Whether any diagnostic is an error (the baseline must not be used).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Whether an error other than an unknown rule id occurred. Such a file
    /// cannot even lend its reasons to a rewrite (an entry for a rule that no
    /// longer exists is only dropped).
    pub fn is_unreadable(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && d.code != UNKNOWN_RULE)
    }
}

/// Reads and checks a baseline file. Never fails: problems are diagnostics.
pub fn read(path: &Path) -> LoadedBaseline {
    let file = path.display().to_string();
    let failed = |d: Diagnostic| LoadedBaseline {
        file: file.clone(),
        baseline: Baseline::default(),
        sources: Sources::new(),
        diagnostics: vec![d],
        omitted: Vec::new(),
    };
    let bytes = match read_capped(path) {
        Ok(b) => b,
        Err(reason) => {
            let mut d = Diagnostic::error("io", format!("cannot read baseline `{file}`: {reason}"));
            if !path.exists() {
                d = d.help(format!(
                    "write it first: `revarch check --write-baseline {file}`"
                ));
            }
            return failed(d);
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => parse(&file, &text, BaselineFormat::of(path)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let mut sources = Sources::new();
            let f = sources.add(
                file.clone(),
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
            );
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            let d = Diagnostic::error("encoding", format!("`{file}` is not UTF-8 text"))
                .at(Span::new(f, at, at.saturating_add(1)), "invalid byte here")
                .help("save the file as UTF-8");
            LoadedBaseline {
                file: file.clone(),
                baseline: Baseline::default(),
                sources,
                diagnostics: vec![d],
                omitted: Vec::new(),
            }
        }
    }
}

/// Checks a baseline given as text; `file` names it in diagnostics.
pub fn parse(file: &str, text: &str, format: BaselineFormat) -> LoadedBaseline {
    let mut sources = Sources::new();
    let id = sources.add(file.to_string(), text.to_string());
    let mut diagnostics = Vec::new();
    let root = if text.len() > u32::MAX as usize {
        diagnostics.push(Diagnostic::error("io", "file too large (over 4 GiB)"));
        None
    } else if text.trim_start_matches('\u{feff}').trim().is_empty() {
        diagnostics.push(
            Diagnostic::error("empty", format!("baseline `{file}` is empty")).help(format!(
                "write it with `revarch check --write-baseline {file}`"
            )),
        );
        None
    } else {
        match format {
            BaselineFormat::Ron => ron_tree(text, id, &mut diagnostics),
            BaselineFormat::Json => json_tree(text, id, &mut diagnostics),
        }
    };
    let entries = match &root {
        Some(root) => read_tree(root, &mut diagnostics),
        None => Vec::new(),
    };
    let omitted = crate::diag::cap_per_code(&mut diagnostics, crate::diag::MAX_PER_CODE);
    LoadedBaseline {
        file: file.to_string(),
        baseline: Baseline { entries },
        sources,
        diagnostics,
        omitted,
    }
}

fn ron_tree(text: &str, file: u32, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    match syntax::parse(text, file) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(
                Diagnostic::error("syntax", e.message)
                    .at(e.span, "")
                    .maybe_help(e.help),
            );
            None
        }
    }
}

/// A JSON baseline as the span-keeping tree ([`syntax::parse_json`]), its
/// syntax error as a located diagnostic.
fn json_tree(text: &str, file: u32, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    match syntax::parse_json(text, file) {
        Ok(v) => Some(v),
        Err((span, message)) => {
            diags.push(Diagnostic::error("syntax", message).at(span, ""));
            None
        }
    }
}

// ---------------------------------------------------------------------------
// The tree → entries, with every problem
// ---------------------------------------------------------------------------

/// One entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    rule: Spanned<String>,
    case: String,
    subject: String,
    #[serde(default)]
    entities: Vec<String>,
    #[serde(default)]
    reason: String,
    /// Informational (JSON's message); ignored.
    #[serde(default, rename = "note")]
    _note: Option<IgnoredAny>,
}

const TOP_FIELDS: &[&str] = &["version", "entries", "note"];

fn de_error(e: syntax::DeError) -> Diagnostic {
    Diagnostic::error(e.kind.code(), e.message)
        .at(e.span, "")
        .maybe_help(e.help)
}

/// The first byte of a span (to point at a value without underlining all of it).
fn first_char(span: Span) -> Span {
    Span::new(
        span.file,
        span.start,
        span.start.saturating_add(1).min(span.end.max(span.start)),
    )
}

fn read_tree(root: &Value, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let opening = first_char(root.span);
    let ValueKind::Struct { fields, .. } = &root.kind else {
        diags.push(
            Diagnostic::error("invalid-value", "this is not a revarch baseline")
                .at(opening, "expected `(version: 1, entries: [...])`")
                .help("a baseline holds `version: 1` and a list of `entries`; write one with `revarch check --write-baseline FILE`"),
        );
        return Vec::new();
    };
    let mut version = None;
    let mut list = None;
    for (k, v) in fields {
        match k.name.as_str() {
            "version" => version = Some(v),
            "entries" => list = Some(v),
            "note" => {}
            other => diags.push(
                Diagnostic::error(
                    "unknown-field",
                    format!("unknown field `{other}`, expected `version` or `entries`"),
                )
                .at(k.span, "")
                .maybe_help(
                    did_you_mean(other, TOP_FIELDS.iter().copied())
                        .map(|s| format!("did you mean `{s}`?")),
                ),
            ),
        }
    }
    match version {
        None => diags.push(
            Diagnostic::error("missing-field", "missing field `version`")
                .at(opening, "")
                .help(format!(
                    "a baseline starts with `version: {BASELINE_VERSION}`"
                )),
        ),
        Some(v) => match syntax::from_value::<u32>(v) {
            Ok(BASELINE_VERSION) => {}
            Ok(n) => {
                diags.push(
                    Diagnostic::error(
                        "unsupported-version",
                        format!("unsupported baseline version {n}"),
                    )
                    .at(v.span, "")
                    .help(format!(
                        "this revarch reads version {BASELINE_VERSION}; write the baseline again with `revarch check --write-baseline FILE`"
                    )),
                );
                // The entries of another version may mean something else.
                return Vec::new();
            }
            Err(e) => diags.push(de_error(e)),
        },
    }
    let items = match list {
        None => {
            diags.push(
                Diagnostic::error("missing-field", "missing field `entries`")
                    .at(opening, "")
                    .help("list the accepted findings in `entries: [...]` (it may be empty)"),
            );
            return Vec::new();
        }
        Some(Value {
            kind: ValueKind::List(items),
            ..
        }) => items,
        Some(v) => {
            diags.push(
                Diagnostic::error("invalid-value", "`entries` must be a list")
                    .at(first_char(v.span), ""),
            );
            return Vec::new();
        }
    };
    let mut entries = Vec::new();
    let mut first: BTreeMap<String, Span> = BTreeMap::new();
    for item in items {
        let raw = match syntax::from_value::<RawEntry>(item) {
            Ok(r) => r,
            Err(e) => {
                diags.push(de_error(e));
                continue;
            }
        };
        if !RULE_IDS.contains(&raw.rule.value.as_str()) {
            diags.push(
                Diagnostic::error(UNKNOWN_RULE, format!("unknown rule `{}`", raw.rule.value))
                    .at(raw.rule.span, "not a revarch rule")
                    .maybe_help(
                        did_you_mean(&raw.rule.value, RULE_IDS.iter().copied())
                            .map(|s| format!("did you mean `{s}`?")),
                    )
                    .help("`revarch rules` lists the rules"),
            );
        }
        let mut ids = raw.entities;
        ids.sort();
        ids.dedup();
        ids.retain(|id| *id != raw.subject);
        let entry = Entry {
            rule: raw.rule.value,
            case: raw.case,
            subject: raw.subject,
            entities: ids,
            reason: raw.reason,
            note: String::new(),
            span: item.span,
        };
        let key = entry.key();
        let here = first_char(item.span);
        match first.get(&key) {
            Some(&at) => diags.push(
                Diagnostic::warning(
                    "duplicate-entry",
                    format!("`{key}` is listed twice; the first entry is used"),
                )
                .at(here, "listed again here")
                .also(at, "first listed here"),
            ),
            None => {
                first.insert(key, here);
            }
        }
        entries.push(entry);
    }
    entries
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

/// What writing a baseline did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Entries written.
    pub entries: usize,
    /// Entries whose reason came from the previous baseline.
    pub kept: usize,
    /// Previous entries (by key) whose finding no longer occurs.
    pub dropped: usize,
}

/// The baseline accepting `findings` (in any order, repeats allowed: one
/// entry per key, noted with the message of its first finding), sorted by
/// key. Keys listed in a `previous` baseline keep their reason (the first
/// baseline listing a key wins); the others get `reason`.
pub fn from_findings<'f>(
    findings: impl IntoIterator<Item = &'f Finding>,
    previous: &[&Baseline],
    reason: &str,
) -> (Baseline, WriteStats) {
    let mut old: BTreeMap<String, &str> = BTreeMap::new();
    for b in previous {
        for (k, r) in b.reasons() {
            old.entry(k).or_insert(r);
        }
    }
    let mut by_key: BTreeMap<String, Entry> = BTreeMap::new();
    for f in findings {
        by_key
            .entry(f.key())
            .or_insert_with(|| Entry::of(f, reason));
    }
    let mut stats = WriteStats {
        entries: by_key.len(),
        ..WriteStats::default()
    };
    for (k, e) in by_key.iter_mut() {
        if let Some(r) = old.get(k) {
            e.reason = (*r).to_string();
            stats.kept += 1;
        }
    }
    stats.dropped = old.keys().filter(|k| !by_key.contains_key(*k)).count();
    (
        Baseline {
            entries: by_key.into_values().collect(),
        },
        stats,
    )
}

/// The text of a baseline file in a format.
pub fn to_text(b: &Baseline, format: BaselineFormat) -> String {
    match format {
        BaselineFormat::Ron => to_ron(b),
        BaselineFormat::Json => to_json(b),
    }
}

const HEADER: &str = "revarch baseline: findings accepted for now. `revarch check --baseline FILE` does not fail on them and reports the entries that no longer occur; rewrite with `revarch check --baseline FILE --write-baseline FILE` (reasons are kept).";

/// The RON form: a header comment, `version`, and one entry per finding with
/// its message as a `//` comment above it.
pub fn to_ron(b: &Baseline) -> String {
    let mut s = String::new();
    for line in [
        "// revarch baseline: findings accepted for now. `revarch check --baseline FILE`",
        "// does not fail on them and reports the entries that no longer occur. Rewrite it",
        "// with `revarch check --baseline FILE --write-baseline FILE` (reasons are kept).",
    ] {
        s.push_str(line);
        s.push('\n');
    }
    s.push_str("(\n");
    let _ = writeln!(s, "    version: {BASELINE_VERSION},");
    if b.entries.is_empty() {
        s.push_str("    entries: [],\n)\n");
        return s;
    }
    s.push_str("    entries: [\n");
    for e in &b.entries {
        if !e.note.is_empty() {
            let _ = writeln!(s, "        // {}", one_line(&e.note));
        }
        s.push_str("        (\n");
        let _ = writeln!(s, "            rule: {},", ron_string(&e.rule));
        let _ = writeln!(s, "            case: {},", ron_string(&e.case));
        let _ = writeln!(s, "            subject: {},", ron_string(&e.subject));
        let ids: Vec<String> = e.entities.iter().map(|i| ron_string(i)).collect();
        let _ = writeln!(s, "            entities: [{}],", ids.join(", "));
        let _ = writeln!(s, "            reason: {},", ron_string(&e.reason));
        s.push_str("        ),\n");
    }
    s.push_str("    ],\n)\n");
    s
}

/// The JSON form: `version`, a top-level `note` and one object per entry
/// with an informational `note` (the message).
pub fn to_json(b: &Baseline) -> String {
    #[derive(Serialize)]
    struct JsonEntry<'a> {
        #[serde(skip_serializing_if = "str::is_empty")]
        note: &'a str,
        rule: &'a str,
        case: &'a str,
        subject: &'a str,
        entities: &'a [String],
        reason: &'a str,
    }
    #[derive(Serialize)]
    struct JsonFile<'a> {
        note: &'a str,
        version: u32,
        entries: Vec<JsonEntry<'a>>,
    }
    let doc = JsonFile {
        note: HEADER,
        version: BASELINE_VERSION,
        entries: b
            .entries
            .iter()
            .map(|e| JsonEntry {
                note: &e.note,
                rule: &e.rule,
                case: &e.case,
                subject: &e.subject,
                entities: &e.entities,
                reason: &e.reason,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A RON string literal (our reader and the `ron` crate both read it back).
fn ron_string(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(s, "\\u{{{:x}}}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Text safe in a `//` comment: no line breaks or other control characters.
fn one_line(v: &str) -> String {
    v.chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

/// How a baseline matched, for JSON and SARIF output (one shape for both).
#[derive(Serialize)]
pub struct Summary<'a> {
    /// The baseline file, as named on the command line.
    pub file: &'a str,
    /// Baseline entries that match a current finding.
    pub matched: usize,
    /// Entries that no longer occur.
    pub stale: Vec<StaleEntry<'a>>,
}

/// A stale baseline entry in output.
#[derive(Serialize)]
pub struct StaleEntry<'a> {
    /// Its finding key.
    pub key: String,
    /// Rule id.
    pub rule: &'a str,
    /// Case of the rule.
    pub case: &'a str,
    /// Subject id.
    pub subject: &'a str,
    /// Ids that define the finding.
    pub entities: &'a [String],
    /// Why it was accepted.
    pub reason: &'a str,
}

impl Matched {
    /// The summary written into JSON and SARIF.
    pub fn summary(&self) -> Summary<'_> {
        Summary {
            file: &self.file,
            matched: self.baselined.len(),
            stale: self
                .stale
                .iter()
                .map(|e| StaleEntry {
                    key: e.key(),
                    rule: &e.rule,
                    case: &e.case,
                    subject: &e.subject,
                    entities: &e.entities,
                    reason: &e.reason,
                })
                .collect(),
        }
    }
}

/// How a baseline meets the current findings.
#[derive(Clone, Debug, Default)]
pub struct Matched {
    /// The baseline file, as named on the command line.
    pub file: String,
    /// Keys of current findings the baseline accepts, with the reasons.
    pub baselined: BTreeMap<String, String>,
    /// Entries whose finding occurs in no analysed state, sorted by key
    /// (once per key).
    pub stale: Vec<Entry>,
}

impl Matched {
    /// Matches a baseline against the keys of the current findings.
    pub fn new(file: impl Into<String>, b: &Baseline, current: &BTreeSet<String>) -> Matched {
        let mut baselined = BTreeMap::new();
        let mut stale: BTreeMap<String, Entry> = BTreeMap::new();
        for e in &b.entries {
            let k = e.key();
            if current.contains(&k) {
                baselined.entry(k).or_insert_with(|| e.reason.clone());
            } else {
                stale.entry(k).or_insert_with(|| e.clone());
            }
        }
        Matched {
            file: file.into(),
            baselined,
            stale: stale.into_values().collect(),
        }
    }

    /// Whether the baseline accepts the finding with this key.
    pub fn contains(&self, key: &str) -> bool {
        self.baselined.contains_key(key)
    }

    /// The reason a finding is accepted, if it is.
    pub fn reason(&self, key: &str) -> Option<&str> {
        self.baselined.get(key).map(String::as_str)
    }
}

/// `revarch check --baseline F --write-baseline F`: the command that rewrites
/// a baseline (with the model if one was named).
pub fn rewrite_hint(model: Option<&Path>, file: &str) -> String {
    let model = model
        .map(|m| format!(" {}", shell_word(&m.display().to_string())))
        .unwrap_or_default();
    let f = shell_word(file);
    format!("revarch check{model} --baseline {f} --write-baseline {f}")
}

fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The one-line summary printed after writing a baseline.
pub fn summary(file: &str, stats: WriteStats) -> String {
    let n = crate::words::count;
    format!(
        "wrote baseline `{file}`: {}, {}, {} dropped as no longer occurring\n",
        n(stats.entries, "entry", "entries"),
        n(stats.kept, "kept reason", "kept reasons"),
        stats.dropped
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Entity;
    use crate::model::{Kind, Level};

    fn finding(
        rule: &'static str,
        case: &'static str,
        subject: &str,
        ids: &[&str],
        msg: &str,
    ) -> Finding {
        Finding {
            rule,
            case,
            level: Level::Warning,
            subject: Entity {
                kind: Kind::System,
                id: subject.to_string(),
                span: Span::default(),
            },
            related: Vec::new(),
            related_more: 0,
            identity: ids.iter().map(|s| s.to_string()).collect(),
            raise: false,
            message: msg.to_string(),
            fix: String::new(),
        }
    }

    fn codes(l: &LoadedBaseline) -> Vec<String> {
        l.diagnostics
            .iter()
            .map(|d| {
                let at = d
                    .primary
                    .as_ref()
                    .map(|p| l.sources.location(p.span))
                    .unwrap_or_default();
                format!("{}[{}] {at}", d.severity_str(), d.code)
            })
            .collect()
    }

    trait SeverityStr {
        fn severity_str(&self) -> &'static str;
    }
    impl SeverityStr for Diagnostic {
        fn severity_str(&self) -> &'static str {
            match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
        }
    }

    fn sample() -> Vec<Finding> {
        vec![
            finding(
                "unowned",
                "system",
                "airtable",
                &[],
                "nobody owns `airtable`",
            ),
            finding(
                "data-silo",
                "unreachable",
                "lead",
                &["pipedrive", "qualify"],
                "Lead is needed in \"Pipedrive\"\nbut \\ held */ // elsewhere — ü\u{2028}x",
            ),
            // the same key again (another state): one entry
            finding("unowned", "system", "airtable", &[], "other message"),
        ]
    }

    #[test]
    fn entry_key_is_the_finding_key() {
        for f in sample() {
            assert_eq!(Entry::of(&f, "r").key(), f.key());
        }
    }

    #[test]
    fn writes_sorted_unique_and_reads_back_in_both_formats() {
        let (b, stats) = from_findings(&sample(), &[], DEFAULT_REASON);
        assert_eq!(
            stats,
            WriteStats {
                entries: 2,
                kept: 0,
                dropped: 0
            }
        );
        let keys: Vec<String> = b.entries.iter().map(Entry::key).collect();
        assert_eq!(
            keys,
            [
                "data-silo/unreachable:lead[pipedrive,qualify]",
                "unowned/system:airtable"
            ]
        );
        assert_eq!(b.entries[1].note, "nobody owns `airtable`");
        for format in [BaselineFormat::Ron, BaselineFormat::Json] {
            let text = to_text(&b, format);
            let back = parse("b", &text, format);
            assert!(
                back.diagnostics.is_empty(),
                "{format:?}: {:?}\n{text}",
                codes(&back)
            );
            let strip = |b: &Baseline| {
                b.entries
                    .iter()
                    .map(|e| (e.key(), e.reason.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(strip(&back.baseline), strip(&b), "{format:?}");
        }
        // The RON is plain RON for other readers too, and the message stays a comment.
        let ron_text = to_ron(&b);
        ron::from_str::<ron::Value>(&ron_text).expect("the ron crate reads it");
        assert!(
            ron_text.contains(
                "        // Lead is needed in \"Pipedrive\" but \\ held */ // elsewhere — ü x\n"
            ),
            "{ron_text}"
        );
        assert!(ron_text.contains("            entities: [\"pipedrive\", \"qualify\"],\n"));
        let json_text = to_json(&b);
        let v: serde_json::Value = serde_json::from_str(&json_text).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["entries"][0]["note"], sample()[1].message);
    }

    #[test]
    fn hostile_reasons_round_trip() {
        let mut b = Baseline::default();
        let reason = "a \"quoted\" \\ reason\n\twith \u{0}\u{1b}[31m control, ) ], // and /* comment */ \u{2028} ü 🦀";
        b.entries.push(Entry::of(
            &finding("unowned", "system", "x", &[], "m\nn"),
            reason,
        ));
        for format in [BaselineFormat::Ron, BaselineFormat::Json] {
            let text = to_text(&b, format);
            let back = parse("b", &text, format);
            assert!(back.diagnostics.is_empty(), "{:?}\n{text}", codes(&back));
            assert_eq!(back.baseline.entries[0].reason, reason, "{format:?}");
        }
    }

    #[test]
    fn empty_baseline_is_valid() {
        for format in [BaselineFormat::Ron, BaselineFormat::Json] {
            let text = to_text(&Baseline::default(), format);
            let back = parse("b", &text, format);
            assert!(back.diagnostics.is_empty(), "{:?}", codes(&back));
            assert!(back.baseline.entries.is_empty());
        }
    }

    #[test]
    fn rewriting_keeps_reasons_of_present_entries_and_drops_the_rest() {
        let (mut old, _) = from_findings(&sample(), &[], DEFAULT_REASON);
        old.entries[0].reason = "hand-written: leads are copied by hand weekly".into();
        old.entries.push(Entry::of(
            &finding("unowned", "entity", "gone", &[], "gone"),
            "was accepted",
        ));
        let now = vec![
            finding(
                "data-silo",
                "unreachable",
                "lead",
                &["pipedrive", "qualify"],
                "changed message",
            ),
            finding("pii-exposure", "uncovered-system", "sheet", &[], "new"),
        ];
        let (b, stats) = from_findings(&now, &[&old], "new reason");
        assert_eq!(
            stats,
            WriteStats {
                entries: 2,
                kept: 1,
                dropped: 2
            }
        );
        assert_eq!(
            b.entries[0].reason,
            "hand-written: leads are copied by hand weekly"
        );
        assert_eq!(b.entries[0].note, "changed message");
        assert_eq!(b.entries[1].reason, "new reason");
        // The first previous baseline wins.
        let mut other = old.clone();
        other.entries[0].reason = "other".into();
        let (b, _) = from_findings(&now, &[&other, &old], "x");
        assert_eq!(b.entries[0].reason, "other");
    }

    #[test]
    fn entities_are_normalised_when_read() {
        let text = r#"(version: 1, entries: [(rule: "data-silo", case: "unreachable", subject: "lead",
            entities: ["qualify", "pipedrive", "lead", "qualify"])])"#;
        let l = parse("b.ron", text, BaselineFormat::Ron);
        assert!(l.diagnostics.is_empty(), "{:?}", codes(&l));
        assert_eq!(
            l.baseline.entries[0].key(),
            "data-silo/unreachable:lead[pipedrive,qualify]"
        );
        assert_eq!(l.baseline.entries[0].reason, "");
    }

    #[test]
    fn ron_problems_are_all_reported_with_locations() {
        let text = "(\n  version: 1,\n  entries: [\n    (rule: \"data-slio\", case: \"isolated-system\", subject: \"a\"),\n    (rule: \"unowned\", case: \"system\", subjct: \"b\"),\n    (rule: \"unowned\", case: \"system\", subject: \"c\", reason: 3),\n    (rule: \"unowned\", case: \"system\", subject: \"d\"),\n    (rule: \"unowned\", case: \"system\", subject: \"d\", reason: \"again\"),\n  ],\n  extra: 1,\n)\n";
        let l = parse("b.ron", text, BaselineFormat::Ron);
        assert_eq!(
            codes(&l),
            [
                "error[unknown-field] b.ron:10:3",
                "error[unknown-rule] b.ron:4:12",
                "error[unknown-field] b.ron:5:39",
                "error[invalid-value] b.ron:6:61",
                "warning[duplicate-entry] b.ron:8:5",
            ]
        );
        let rule = &l.diagnostics[1];
        assert_eq!(rule.help[0], "did you mean `data-silo`?");
        assert!(l.diagnostics[2]
            .help
            .iter()
            .any(|h| h.contains("`subject`")));
        assert_eq!(l.diagnostics[4].secondary.len(), 1);
        assert!(l.has_errors());
        assert!(l.is_unreadable());
        let text = crate::diag::render(&l.diagnostics, &l.sources, false);
        assert!(text.contains("┌─ b.ron:4:12"), "{text}");
        // Both entries for `d` were read; the first one's reason counts.
        assert_eq!(l.baseline.reasons()["unowned/system:d"], "");
    }

    #[test]
    fn ron_syntax_error_points_at_the_place() {
        let l = parse(
            "b.ron",
            "(\n  version: 1,\n  entries: [\n    (rule: \"unowned\" case: \"system\"),\n  ],\n)\n",
            BaselineFormat::Ron,
        );
        assert_eq!(codes(&l), ["error[syntax] b.ron:4:22"]);
    }

    #[test]
    fn unsupported_version_and_missing_fields() {
        let l = parse(
            "b.ron",
            "(version: 2, entries: [(what: 1)])",
            BaselineFormat::Ron,
        );
        assert_eq!(codes(&l), ["error[unsupported-version] b.ron:1:11"]);
        assert!(l.diagnostics[0].help[0].contains("version 1"));
        let l = parse("b.ron", "(entries: [])", BaselineFormat::Ron);
        assert_eq!(codes(&l), ["error[missing-field] b.ron:1:1"]);
        let l = parse("b.ron", "(version: 1)", BaselineFormat::Ron);
        assert_eq!(codes(&l), ["error[missing-field] b.ron:1:1"]);
        let l = parse("b.ron", "[1, 2]", BaselineFormat::Ron);
        assert_eq!(codes(&l), ["error[invalid-value] b.ron:1:1"]);
        let l = parse("b.ron", "  \n", BaselineFormat::Ron);
        assert_eq!(codes(&l), ["error[empty] "]);
        let l = parse("b.ron", "(version: \"1\", entries: 3)", BaselineFormat::Ron);
        assert_eq!(
            codes(&l),
            [
                "error[invalid-value] b.ron:1:11",
                "error[invalid-value] b.ron:1:25"
            ]
        );
    }

    #[test]
    fn unknown_rule_alone_leaves_the_file_readable_for_reasons() {
        let l = parse(
            "b.ron",
            r#"(version: 1, entries: [(rule: "old-rule", case: "x", subject: "a", reason: "r")])"#,
            BaselineFormat::Ron,
        );
        assert!(l.has_errors());
        assert!(!l.is_unreadable());
        assert_eq!(l.baseline.entries.len(), 1);
    }

    #[test]
    fn json_problems_have_line_and_column() {
        let l = parse(
            "b.json",
            "{\n  \"version\": 1,\n  \"entries\": [\n    {\"rule\": \"unowned\",, }\n  ]\n}\n",
            BaselineFormat::Json,
        );
        assert_eq!(codes(&l), ["error[syntax] b.json:4:24"]);
        assert_eq!(l.diagnostics[0].message, "key must be a string");
        let text = "\u{feff}{\n  \"version\": 1,\n  \"entries\": [\n    {\"rule\": \"unownd\", \"case\": \"system\", \"subject\": \"a\"},\n    {\"rule\": \"unowned\", \"case\": \"system\", \"subjet\": \"b\"},\n    {\"rule\": \"unowned\", \"case\": \"system\", \"subject\": \"c\", \"entities\": \"x\"}\n  ],\n  \"verison\": 1\n}\n";
        let l = parse("b.json", text, BaselineFormat::Json);
        assert_eq!(
            codes(&l),
            [
                "error[unknown-field] b.json:8:3",
                "error[unknown-rule] b.json:4:14",
                "error[unknown-field] b.json:5:43",
                "error[invalid-value] b.json:6:71",
            ]
        );
        assert_eq!(l.diagnostics[0].help[0], "did you mean `version`?");
        let l = parse(
            "b.json",
            "{\"version\": 1, \"version\": 1, \"entries\": []}",
            BaselineFormat::Json,
        );
        assert_eq!(codes(&l), ["error[syntax] b.json:1:16"]);
        let l = parse(
            "b.json",
            "{\"version\": 2.5, \"entries\": []}",
            BaselineFormat::Json,
        );
        assert_eq!(codes(&l), ["error[invalid-value] b.json:1:13"]);
    }

    #[test]
    fn deep_json_is_refused_without_deep_work() {
        let deep = format!(
            "{{\"version\": 1, \"entries\": [{{\"rule\": \"unowned\", \"case\": \"system\", \"subject\": \"a\", \"entities\": [{}{}]}}]}}",
            "[".repeat(100),
            "]".repeat(100)
        );
        let l = parse("b.json", &deep, BaselineFormat::Json);
        assert_eq!(
            codes(&l),
            ["error[invalid-value] b.json:1:95"],
            "{:?}",
            l.diagnostics[0].message
        );
        // nested notes are ignored at any depth
        let note = format!(
            "{{\"note\": {}{}, \"version\": 1, \"entries\": []}}",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(parse("b.json", &note, BaselineFormat::Json)
            .diagnostics
            .is_empty());
    }

    #[test]
    fn json_errors_never_panic_on_odd_input() {
        for text in [
            "",
            "1",
            "null",
            "\"x\"",
            "[",
            "{\"entries\": [null, 1, []]}",
            "{\"a\\\"b\": 1}",
            "{\"version\": 18446744073709551615, \"entries\": []}",
        ] {
            let l = parse("b.json", text, BaselineFormat::Json);
            assert!(l.has_errors(), "{text}");
            let _ = crate::diag::render(&l.diagnostics, &l.sources, false);
        }
    }

    #[test]
    fn reads_files_and_reports_io_problems() {
        let dir = tempfile::tempdir().unwrap();
        let missing = read(&dir.path().join("nope.ron"));
        assert_eq!(missing.diagnostics[0].code, "io");
        assert!(missing.diagnostics[0].help[0].contains("--write-baseline"));
        let bad = dir.path().join("bad.ron");
        std::fs::write(&bad, b"(version: 1, entries: [\xff])").unwrap();
        let l = read(&bad);
        assert_eq!(l.diagnostics[0].code, "encoding");
        let ok = dir.path().join("b.JSON");
        std::fs::write(&ok, to_json(&Baseline::default())).unwrap();
        assert!(read(&ok).diagnostics.is_empty());
    }

    #[test]
    fn matches_by_key_and_lists_stale_entries_once() {
        let (b, _) = from_findings(&sample(), &[], "r");
        let mut b2 = b.clone();
        b2.entries.push(b.entries[0].clone());
        let current: BTreeSet<String> = ["unowned/system:airtable".to_string()].into();
        let m = Matched::new("b.ron", &b2, &current);
        assert!(m.contains("unowned/system:airtable"));
        assert_eq!(m.reason("unowned/system:airtable"), Some("r"));
        assert_eq!(m.stale.len(), 1);
        assert_eq!(
            m.stale[0].key(),
            "data-silo/unreachable:lead[pipedrive,qualify]"
        );
    }

    #[test]
    fn formats_hints_and_summaries() {
        assert_eq!(
            BaselineFormat::of(Path::new("a/b.json")),
            BaselineFormat::Json
        );
        assert_eq!(BaselineFormat::of(Path::new("b.ron")), BaselineFormat::Ron);
        assert_eq!(
            BaselineFormat::of(Path::new("baseline")),
            BaselineFormat::Ron
        );
        assert_eq!(
            rewrite_hint(None, "b.ron"),
            "revarch check --baseline b.ron --write-baseline b.ron"
        );
        assert_eq!(
            rewrite_hint(Some(Path::new("my models")), "it's.ron"),
            "revarch check 'my models' --baseline 'it'\\''s.ron' --write-baseline 'it'\\''s.ron'"
        );
        assert_eq!(
            summary(
                "b.ron",
                WriteStats {
                    entries: 1,
                    kept: 0,
                    dropped: 2
                }
            ),
            "wrote baseline `b.ron`: 1 entry, 0 kept reasons, 2 dropped as no longer occurring\n"
        );
    }
}
