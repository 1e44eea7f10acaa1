//! Diagnostics: problems in a model, reported like a compiler reports them.
//!
//! Every stage that reads user input pushes [`Diagnostic`]s instead of
//! stopping at the first problem; the CLI renders them all at the end with
//! codespan-reporting (`error[unknown-reference]: … ┌─ sv.ron:12:7`).

mod snippet;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term;
use serde::Serialize;

use crate::model::syntax::Span;

/// The text of every file read for a model; spans index into it.
#[derive(Default)]
pub struct Sources {
    // Shared text: the loader parses the same text it registers here,
    // without a second copy of every file.
    files: SimpleFiles<String, Arc<str>>,
    /// Per file, for columns in O(1) on any line length, built on the
    /// first column asked of the file: `None` for ASCII text (column = byte
    /// offset), else the number of characters before every [`BLOCK`]-byte
    /// boundary.
    chars: Vec<std::sync::OnceLock<Option<Vec<u32>>>>,
    count: u32,
}

/// Block size of the character-count index of non-ASCII files.
const BLOCK: usize = 4096;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl Sources {
    /// An empty source map.
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Adds a file and returns its index (used as `Span::file`).
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> u32 {
        self.add_shared(name, Arc::from(text.into()))
    }

    /// Adds a file whose text the caller keeps too; returns its index.
    pub fn add_shared(&mut self, name: impl Into<String>, text: Arc<str>) -> u32 {
        self.chars.push(std::sync::OnceLock::new());
        let id = self.files.add(name.into(), text);
        self.count += 1;
        id as u32
    }

    /// The display name of a file.
    pub fn name(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map(|f| f.name().as_str())
            .unwrap_or("<unknown>")
    }

    /// The text of a file.
    pub fn text(&self, file: u32) -> &str {
        self.files
            .get(file as usize)
            .map(|f| f.source().as_ref())
            .unwrap_or("")
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// Whether no file was added.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Line and column of a span's start.
    pub fn line_col(&self, span: Span) -> LineCol {
        let at = self.clamp(span).start;
        match self.files.line_index(span.file as usize, at) {
            Ok(line) => {
                let start = self
                    .files
                    .line_range(span.file as usize, line)
                    .map_or(0, |r| r.start);
                LineCol {
                    line: line + 1,
                    col: self.column(span.file, start, at),
                }
            }
            Err(_) => LineCol { line: 1, col: 1 },
        }
    }

    /// The 1-based column (in characters) of byte `at` on the line starting
    /// at byte `line_start`, without walking the line.
    fn column(&self, file: u32, line_start: usize, at: usize) -> usize {
        let text = self.text(file);
        let index = self
            .chars
            .get(file as usize)
            .and_then(|c| c.get_or_init(|| char_index(text)).as_ref());
        match index {
            Some(index) => {
                let before = |b: usize| {
                    let block = b / BLOCK;
                    let base = index.get(block).copied().unwrap_or(0) as usize;
                    let from = (block * BLOCK).min(text.len());
                    base + char_starts(&text.as_bytes()[from..b.min(text.len())])
                };
                before(at).saturating_sub(before(line_start)) + 1
            }
            _ => at.saturating_sub(line_start) + 1,
        }
    }

    /// `path:line:col` of a span's start.
    pub fn location(&self, span: Span) -> String {
        let lc = self.line_col(span);
        format!("{}:{}:{}", self.name(span.file), lc.line, lc.col)
    }

    fn clamp(&self, span: Span) -> Range<usize> {
        let len = self.text(span.file).len();
        let mut start = (span.start as usize).min(len);
        let mut end = (span.end as usize).clamp(start, len);
        let text = self.text(span.file);
        while start > 0 && !text.is_char_boundary(start) {
            start -= 1;
        }
        while end < len && !text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The model is usable; something looks wrong.
    Warning,
    /// The model is invalid.
    Error,
}

/// A labelled place in a source file.
#[derive(Clone, Debug)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is there (may be empty).
    pub message: String,
}

/// One problem found while reading or validating a model.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Short stable code, e.g. `unknown-reference`.
    pub code: &'static str,
    /// One-line message.
    pub message: String,
    /// The main place, if the problem has one.
    pub primary: Option<Label>,
    /// Other places that explain it (e.g. the first definition of a duplicate).
    pub secondary: Vec<Label>,
    /// Suggestions (`help: did you mean …`).
    pub help: Vec<String>,
}

impl Diagnostic {
    /// A new error with no location.
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: Vec::new(),
        }
    }
    /// A new warning with no location.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }
    /// Sets the main location.
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.primary = Some(Label {
            span,
            message: label.into(),
        });
        self
    }
    /// Adds a secondary location.
    pub fn also(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: label.into(),
        });
        self
    }
    /// Adds a suggestion.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help.push(help.into());
        self
    }
    /// Adds a suggestion if there is one.
    pub fn maybe_help(self, help: Option<String>) -> Diagnostic {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }
}

/// A diagnostic as written by `--format json`.
#[derive(Clone, Debug, Serialize)]
pub struct JsonDiagnostic {
    /// "error" or "warning".
    pub severity: Severity,
    /// Stable code.
    pub code: &'static str,
    /// Message.
    pub message: String,
    /// File, if located.
    pub file: Option<String>,
    /// 1-based line, if located.
    pub line: Option<usize>,
    /// 1-based column, if located.
    pub column: Option<usize>,
    /// Suggestions.
    pub help: Vec<String>,
}

impl JsonDiagnostic {
    /// Resolves a diagnostic's location against the sources.
    pub fn new(d: &Diagnostic, sources: &Sources) -> JsonDiagnostic {
        let (file, lc) = match &d.primary {
            Some(l) => (
                Some(sources.name(l.span.file).to_string()),
                Some(sources.line_col(l.span)),
            ),
            None => (None, None),
        };
        JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            message: d.message.clone(),
            file,
            line: lc.map(|l| l.line),
            column: lc.map(|l| l.col),
            help: d.help.clone(),
        }
    }
}

/// Renders diagnostics as text, with or without ANSI colours.
pub fn render(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = render_to(&mut out, diags, sources, color);
    String::from_utf8_lossy(&out).into_owned()
}

/// Renders diagnostics one by one into `w` (e.g. a locked stderr), so
/// thousands of them are never held in memory at once.
pub fn render_to(
    w: &mut dyn std::io::Write,
    diags: &[Diagnostic],
    sources: &Sources,
    color: bool,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    for d in diags {
        buf.clear();
        render_one(d, sources, color, &mut buf);
        w.write_all(&buf)?;
    }
    w.flush()
}

fn render_one(d: &Diagnostic, sources: &Sources, color: bool, out: &mut Vec<u8>) {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let placed: Vec<&Label> = d.primary.iter().chain(&d.secondary).collect();
    let spans: Vec<Span> = placed.iter().map(|l| l.span).collect();
    let (snippets, ranges) = snippet::Snippets::build(sources, &spans);
    let labels = placed
        .iter()
        .zip(ranges)
        .enumerate()
        .map(|(i, (l, (file, range)))| {
            let style = if i == 0 && d.primary.is_some() {
                cs::LabelStyle::Primary
            } else {
                cs::LabelStyle::Secondary
            };
            cs::Label::new(style, file, range).with_message(escape_control(&l.message))
        })
        .collect();
    let notes = d
        .help
        .iter()
        .map(|h| format!("help: {}", escape_control(h)))
        .collect();
    let cd = cs::Diagnostic::new(severity)
        .with_code(d.code)
        .with_message(escape_control(&d.message))
        .with_labels(labels)
        .with_notes(notes);
    let config = term::Config::default();
    let result = if color {
        let mut w = term::termcolor::Ansi::new(&mut *out);
        term::emit(&mut w, &config, &snippets, &cd)
    } else {
        let mut w = term::termcolor::NoColor::new(&mut *out);
        term::emit(&mut w, &config, &snippets, &cd)
    };
    if result.is_err() {
        // Cannot happen with snippets built from the labels; keep the message.
        out.extend_from_slice(format!("{}\n", escape_control(&d.message)).as_bytes());
    }
}

/// Diagnostics shown per code by [`cap_per_code`].
pub const MAX_PER_CODE: usize = 50;

/// Diagnostics of one code left out by [`cap_per_code`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Omitted {
    /// Their code.
    pub code: &'static str,
    /// How many.
    pub count: usize,
    /// Whether they are errors (else warnings).
    pub error: bool,
}

/// Keeps the first `max` diagnostics of each code (in order) and states the
/// rest in one diagnostic per code at the end, returned as counts too: a
/// broken generated file must not bury its first errors under thousands of
/// the same kind (nor take minutes to print them).
pub fn cap_per_code(diags: &mut Vec<Diagnostic>, max: usize) -> Vec<Omitted> {
    use std::collections::BTreeMap;
    let mut seen: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut omitted: BTreeMap<&'static str, (usize, bool)> = BTreeMap::new();
    diags.retain(|d| {
        let n = seen.entry(d.code).or_default();
        *n += 1;
        if *n <= max {
            return true;
        }
        let o = omitted.entry(d.code).or_default();
        o.0 += 1;
        o.1 |= d.severity == Severity::Error;
        false
    });
    omitted
        .into_iter()
        .map(|(code, (n, error))| {
            let what = if error {
                crate::words::count(n, "more error", "more errors")
            } else {
                crate::words::count(n, "more warning", "more warnings")
            };
            let message = format!("… and {what} of this kind (`{code}`), not shown");
            let d = if error {
                Diagnostic::error(code, message)
            } else {
                Diagnostic::warning(code, message)
            };
            diags.push(d.help(format!(
                "the first {max} are shown; fix those (often one cause) and run again"
            )));
            Omitted {
                code,
                count: n,
                error,
            }
        })
        .collect()
}

/// Errors among `diags`, counting each omitted group (stated by one listed
/// diagnostic) by its members.
pub fn error_count(diags: &[Diagnostic], omitted: &[Omitted]) -> usize {
    let listed = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    omitted
        .iter()
        .filter(|o| o.error)
        .fold(listed, |n, o| n - 1 + o.count)
}

/// `s` with terminal control characters escaped as Rust's `{:?}` does
/// (`\n`, `\r`, `\t`, `\u{1b}`), for text that reaches a terminal: model
/// text must not clear the screen, retitle the window, forge hyperlinks or
/// start a line that looks like revarch's own (`--> file:line`). Also
/// escaped: DEL, C1 controls, and the Unicode controls that reorder or break
/// lines (bidi overrides and isolates, line and paragraph separators).
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| needs_escape(c, false)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        escape_char(c, false, &mut out);
    }
    Cow::Owned(out)
}

/// Whether `c` is escaped; a source snippet keeps its tabs (the renderer
/// expands them).
fn needs_escape(c: char, snippet: bool) -> bool {
    (c.is_control() && !(snippet && c == '\t'))
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Appends `c` to `out`, escaped if it is a control character.
fn escape_char(c: char, snippet: bool, out: &mut String) {
    if needs_escape(c, snippet) {
        out.extend(c.escape_debug());
    } else {
        out.push(c);
    }
}

/// The character-count index of a text (`None` when it is ASCII).
fn char_index(text: &str) -> Option<Vec<u32>> {
    if text.is_ascii() {
        return None;
    }
    let mut index = Vec::with_capacity(text.len() / BLOCK + 1);
    let mut total = 0u32;
    for block in text.as_bytes().chunks(BLOCK) {
        index.push(total);
        total += char_starts(block) as u32;
    }
    index.push(total);
    Some(index)
}

/// How many characters start in `bytes` (bytes that are not UTF-8
/// continuation bytes).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The closest candidate to `word` (edit distance counting a transposition
/// as one edit, ignoring case), if one is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lowered: Vec<(String, &'a str)> = candidates
        .into_iter()
        .map(|c| (c.to_lowercase(), c))
        .collect();
    did_you_mean_lower(word, lowered.iter().map(|(l, c)| (l.as_str(), *c)))
}

/// [`did_you_mean`] over candidates already lowercased, as
/// `(lowercase, original)`: callers asking many times lowercase once.
/// Candidates whose length differs from `word`'s by more than the allowed
/// distance are skipped without computing it; ties go to the first
/// candidate in order of distance, then text.
pub fn did_you_mean_lower<'a, 'l>(
    word: &str,
    candidates: impl IntoIterator<Item = (&'l str, &'a str)>,
) -> Option<&'a str> {
    let len = word.chars().count();
    // Ids are short; a long word (a pasted paragraph) has no typo worth a guess.
    if len > 256 {
        return None;
    }
    let limit = (len / 3).clamp(1, 4);
    let lower: Vec<char> = word.to_lowercase().chars().collect();
    let byte_len = word.len();
    let mut other: Vec<char> = Vec::new();
    candidates
        .into_iter()
        .filter(|(l, _)| l.len().abs_diff(byte_len) <= 4 * limit)
        .filter_map(|(l, c)| {
            other.clear();
            other.extend(l.chars());
            osa_within(&lower, &other, limit).map(|d| (d, c))
        })
        .min()
        .map(|(_, c)| c)
}

/// The optimal-string-alignment distance of `a` and `b` (a transposition
/// is one edit) if it is at most `limit`: only the band of cells within
/// `limit` of the diagonal is computed, and the work stops as soon as a
/// whole row exceeds the limit, so comparing two long ids costs
/// O(length × limit), not O(length²).
fn osa_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let big = limit + 1;
    let width = b.len() + 1;
    // Three rows: i-2, i-1, i (row i-2 for transpositions).
    // Cells outside a row's band are never written after it is computed:
    // each row writes its band and one cell either side (what the next two
    // rows read), so the rows can be reused without clearing them.
    let mut rows = vec![vec![big; width]; 3];
    for (j, cell) in rows[2].iter_mut().enumerate().take(limit.min(b.len()) + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (lo, hi) = (i.saturating_sub(limit).max(1), (i + limit).min(b.len()));
        rows.rotate_left(1);
        let [prev2, prev, cur] = &mut rows[..] else {
            return None;
        };
        cur[0] = if i <= limit { i } else { big };
        cur[lo - 1] = if lo == 1 { cur[0] } else { big };
        if hi < b.len() {
            cur[hi + 1] = big;
        }
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d.min(big);
            row_min = row_min.min(cur[j]);
        }
        if row_min > limit {
            return None;
        }
    }
    let d = rows[2][b.len()];
    (d <= limit).then_some(d)
}

/// ANSI styling for the text outputs (`check`, `diff`); a no-op when colour
/// is off.
pub struct Paint(pub bool);

impl Paint {
    /// `s` in the SGR style `code` (e.g. `1;31`).
    pub fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    /// A finding level, coloured by severity.
    pub fn level(&self, level: crate::model::Level) -> String {
        let code = match level {
            crate::model::Level::Error => "1;31",
            crate::model::Level::Warning => "1;33",
            _ => "1;36",
        };
        self.wrap(code, level.as_str())
    }
    /// Bold.
    pub fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    /// Dim.
    pub fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let mut s = Sources::new();
        let f = s.add("a.ron", "ab\n  é x");
        let span = Span {
            file: f,
            start: 8,
            end: 9,
        };
        assert_eq!(s.line_col(span), LineCol { line: 2, col: 5 });
        assert_eq!(s.location(span), "a.ron:2:5");
    }

    #[test]
    fn render_shows_location_code_and_help() {
        let mut s = Sources::new();
        let f = s.add("sv.ron", "(systems: [(id: \"crm\")])");
        let d = Diagnostic::error("unknown-reference", "unknown system `crn`")
            .at(
                Span {
                    file: f,
                    start: 16,
                    end: 21,
                },
                "referenced here",
            )
            .help("did you mean `crm`?");
        let text = render(&[d], &s, false);
        assert!(
            text.contains("error[unknown-reference]: unknown system `crn`"),
            "{text}"
        );
        assert!(text.contains("sv.ron:1:17"), "{text}");
        assert!(text.contains("help: did you mean `crm`?"), "{text}");
    }

    #[test]
    fn clamps_spans_past_the_end() {
        let mut s = Sources::new();
        let f = s.add("x.ron", "é");
        let d = Diagnostic::error("syntax", "bad").at(
            Span {
                file: f,
                start: 1,
                end: 99,
            },
            "",
        );
        let text = render(&[d], &s, false);
        assert!(text.contains("x.ron:1:1"), "{text}");
    }

    fn at(file: u32, start: usize, end: usize) -> Span {
        Span::new(file, start as u32, end as u32)
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_with_the_real_column() {
        let mut s = Sources::new();
        let mut text = "x".repeat(1_000_000);
        let start = text.len();
        text.push_str("\"bad\"");
        text.push_str(&"y".repeat(1_000_000));
        let f = s.add("big.ron", text);
        let d = Diagnostic::error("syntax", "bad value").at(at(f, start, start + 5), "here");
        let out = render(&[d], &s, false);
        assert!(out.contains("big.ron:1:1000001"), "{out}");
        assert!(out.len() < 2_000, "{} bytes", out.len());
        let line = out.lines().find(|l| l.contains("\"bad\"")).unwrap();
        assert!(
            line.contains(&format!(
                "…{}\"bad\"{}…",
                "x".repeat(snippet::BEFORE),
                "y".repeat(snippet::AFTER)
            )),
            "{line}"
        );
        // The caret sits under the label.
        let carets = out.lines().find(|l| l.contains("^^^^^")).unwrap();
        assert_eq!(
            carets.find('^').map(|c| carets[..c].chars().count()),
            Some(line[..line.find("\"bad").unwrap()].chars().count()),
            "{out}"
        );
    }

    #[test]
    fn short_lines_are_shown_whole_and_columns_count_characters_on_long_ones() {
        let mut s = Sources::new();
        let text = format!("{}(id: \"x\")", "é".repeat(300));
        let f = s.add("a.ron", text.clone());
        let start = text.find('"').unwrap();
        let d = Diagnostic::error("x", "m").at(at(f, start, start + 3), "");
        let out = render(std::slice::from_ref(&d), &s, false);
        assert!(out.contains("a.ron:1:306"), "{out}");
        assert_eq!(s.location(d.primary.unwrap().span), "a.ron:1:306");
        let g = s.add("b.ron", "(id: \"x\", name: \"short line\")");
        let d = Diagnostic::error("x", "m").at(at(g, 5, 8), "");
        let out = render(&[d], &s, false);
        assert!(
            out.contains("1 │ (id: \"x\", name: \"short line\")"),
            "{out}"
        );
    }

    #[test]
    fn labels_far_apart_on_one_line_get_a_window_each() {
        let mut s = Sources::new();
        let text = format!(
            "(id: \"a\"{}(id: \"a\"{}",
            " ".repeat(5_000),
            " ".repeat(5_000)
        );
        let f = s.add("sv.ron", text.clone());
        let second = text.rfind("\"a\"").unwrap();
        let d = Diagnostic::error("duplicate-id", "duplicate id `a`")
            .at(at(f, second, second + 3), "defined again here")
            .also(at(f, 5, 8), "first defined here");
        let out = render(&[d], &s, false);
        assert!(out.contains("sv.ron:1:5014"), "{out}");
        assert!(out.contains(" … "), "{out}");
        assert!(out.contains("first defined here") && out.contains("defined again here"));
        assert!(out.len() < 2_000, "{out}");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let mut s = Sources::new();
        let text = "(id: \"a\u{1b}[2J\u{7}\r\n  --> forged.ron:1:1\u{9b}\u{202e}\")";
        let f = s.add("evil\u{1b}]0;title\u{7}.ron", text);
        let d = Diagnostic::error(
            "unknown-reference",
            "unknown system `a\u{1b}[2J\n  --> forged.ron:1:1`",
        )
        .at(at(f, 5, text.len() - 1), "no system \u{1b}[31mhere")
        .help("did you mean `\u{0}`?");
        for color in [false, true] {
            let out = render(std::slice::from_ref(&d), &s, color);
            if !color {
                assert!(!out.contains('\u{1b}'), "{out:?}");
            }
            // With colour, our own SGR codes are the only escape sequences.
            for raw in ["\u{1b}[2J", "\u{1b}]0;", "\u{1b}[31mhere"] {
                assert!(!out.contains(raw), "{raw:?} in {out:?}");
            }
            for c in ['\u{7}', '\r', '\u{0}', '\u{9b}', '\u{202e}'] {
                assert!(!out.contains(c), "{c:?} in {out:?}");
            }
            assert!(
                !out.lines()
                    .any(|l| l.trim_start().starts_with("--> forged")),
                "{out}"
            );
            assert!(out.contains("\\u{1b}[2J"), "{out}");
        }
        assert_eq!(escape_control("tab\there\n"), "tab\\there\\n");
        assert!(matches!(escape_control("plain é"), Cow::Borrowed(_)));
    }

    #[test]
    fn banded_distance_agrees_with_the_full_one() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "salesforce",
            "salesfroce",
            "slaesforce",
            "hubspot",
            "hubspto",
            "crm",
            "crn",
            "zendesk",
            "zendes",
            "xzendesk",
            "kestrel-studio",
            "é-crm",
        ];
        for a in words {
            for b in words {
                let full = strsim::osa_distance(a, b);
                let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                for limit in 1..=4 {
                    let expect = (full <= limit).then_some(full);
                    assert_eq!(osa_within(&ac, &bc, limit), expect, "{a:?} {b:?} {limit}");
                }
            }
        }
    }

    #[test]
    fn long_ids_are_compared_in_a_band() {
        let a: Vec<char> = "x".repeat(100_000).chars().collect();
        let mut b = a.clone();
        b[50_000] = 'y';
        assert_eq!(osa_within(&a, &b, 4), Some(1));
        b[10] = 'y';
        b[20] = 'y';
        b[30] = 'y';
        b[40] = 'y';
        assert_eq!(osa_within(&a, &b, 4), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        /// Any text (multi-byte, control characters, long lines) and any
        /// spans, in range or not: rendering never panics, never echoes a raw
        /// control character, and stays within a bound per label.
        #[test]
        fn snippets_of_any_text_and_spans_render(
            text in "(\\PC|[\\x00-\\x1f\\u{7f}-\\u{9f}é€😀\\n\\r\\t]){0,400}",
            long in 0usize..3,
            spans in proptest::collection::vec((0u32..2_000, 0u32..2_000), 1..6),
        ) {
            let text = text.repeat(1 + long * 40);
            let mut s = Sources::new();
            let f = s.add("x.ron", text);
            let mut d = Diagnostic::error("x", "m");
            for (i, (a, b)) in spans.iter().enumerate() {
                let span = Span::new(f, *a, *b);
                d = if i == 0 { d.at(span, "here") } else { d.also(span, "and here") };
            }
            let out = render(std::slice::from_ref(&d), &s, false);
            proptest::prop_assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{:?}", out);
            // Per label at most a whole short line (escaped: up to 10 bytes a
            // character) or a window, plus the frame.
            proptest::prop_assert!(out.len() < 600 + spans.len() * 2 * 10 * (snippet::WHOLE_LINE + 8), "{}", out.len());
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("salesforse", ["salesforce", "hubspot"]),
            Some("salesforce")
        );
        assert_eq!(did_you_mean("zzz", ["salesforce", "hubspot"]), None);
        assert_eq!(did_you_mean("CRM", ["crm"]), Some("crm"));
        // a transposition is one edit
        assert_eq!(did_you_mean("slaes", ["sales", "cs"]), Some("sales"));
    }
}
