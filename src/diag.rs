//! Diagnostics: problems in a model, reported like a compiler reports them.
//!
//! Every stage that reads user input pushes [`Diagnostic`]s instead of
//! stopping at the first problem; the CLI renders them all at the end with
//! codespan-reporting (`error[unknown-reference]: … ┌─ sv.ron:12:7`).

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
    count: u32,
}

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
        let at = span.start as usize;
        match self
            .files
            .location(span.file as usize, at.min(self.text(span.file).len()))
        {
            Ok(loc) => LineCol {
                line: loc.line_number,
                col: loc.column_number,
            },
            Err(_) => LineCol { line: 1, col: 1 },
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
    for d in diags {
        render_one(d, sources, color, &mut out);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Renders one codespan diagnostic built elsewhere (findings use this too).
pub(crate) fn emit(d: &cs::Diagnostic<usize>, sources: &Sources, color: bool, out: &mut Vec<u8>) {
    let config = term::Config::default();
    let result = if color {
        let mut w = term::termcolor::Ansi::new(&mut *out);
        term::emit(&mut w, &config, &sources.files, d)
    } else {
        let mut w = term::termcolor::NoColor::new(&mut *out);
        term::emit(&mut w, &config, &sources.files, d)
    };
    if result.is_err() {
        // A span that no longer fits its file: fall back to a plain line.
        out.extend_from_slice(format!("{}\n", d.message).as_bytes());
    }
}

/// Builds a codespan label, clamping the span to its file.
pub(crate) fn cs_label(sources: &Sources, style: cs::LabelStyle, l: &Label) -> cs::Label<usize> {
    cs::Label::new(style, l.span.file as usize, sources.clamp(l.span)).with_message(&l.message)
}

fn render_one(d: &Diagnostic, sources: &Sources, color: bool, out: &mut Vec<u8>) {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut labels = Vec::new();
    if let Some(p) = &d.primary {
        labels.push(cs_label(sources, cs::LabelStyle::Primary, p));
    }
    for s in &d.secondary {
        labels.push(cs_label(sources, cs::LabelStyle::Secondary, s));
    }
    let notes = d.help.iter().map(|h| format!("help: {h}")).collect();
    let cd = cs::Diagnostic::new(severity)
        .with_code(d.code)
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes);
    emit(&cd, sources, color, out);
}

/// The closest candidate to `word` (edit distance counting a transposition
/// as one edit), if one is close enough to
/// be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 4);
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
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
