//! Source snippets for diagnostics: the lines a diagnostic points at, cut to a
//! window around each label and with control characters escaped, handed to
//! codespan-reporting as a small [`Files`] of their own.
//!
//! Rendering from the whole file would print a whole line per label: on a
//! minified or generated file (one line of megabytes) thousands of errors
//! would cost errors × line length in time, memory and terminal output, and
//! raw bytes of the file (escape sequences, carriage returns) would reach the
//! terminal. Here every label costs a bounded window: a line of at most
//! [`WHOLE_LINE`] characters is shown whole (so ordinary models look exactly as
//! before), a longer one as `…` + [`BEFORE`] characters + the label (at most
//! [`LABEL`] characters) + [`AFTER`] characters + `…`. Line numbers and columns
//! stay those of the real file; a label spanning several lines is shown on its
//! first line.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use super::{escape_char, Sources};
use crate::model::syntax::Span;

/// Lines up to this many characters are shown whole.
pub const WHOLE_LINE: usize = 160;
/// Characters of context shown before a label on a longer line.
pub const BEFORE: usize = 40;
/// At most this many characters of a label are shown (and underlined).
pub const LABEL: usize = 80;
/// Characters of context shown after a label on a longer line.
pub const AFTER: usize = 40;
/// Windows kept per line and diagnostic (labels beyond share the last one).
const MAX_WINDOWS: usize = 8;

/// The snippet files of one diagnostic.
pub(crate) struct Snippets {
    files: Vec<SnippetFile>,
}

struct SnippetFile {
    name: String,
    text: String,
    /// One per shown line, in line order.
    lines: Vec<SnippetLine>,
}

struct SnippetLine {
    /// 0-based line index in the real file.
    index: usize,
    /// Byte range of the shown text in `SnippetFile::text` (no newline).
    range: Range<usize>,
    /// (byte offset in `text`, 1-based column in the real file) of every
    /// label start on this line, for the `file:line:col` header.
    columns: Vec<(usize, usize)>,
}

/// A label's span, resolved to its line in the real file.
struct Placed {
    file: u32,
    line: usize,
    line_range: Range<usize>,
    start: usize,
    end: usize,
}

impl Snippets {
    /// Builds the snippets for `spans` (in order) and returns, for each
    /// span, its file id and byte range in the snippets.
    pub(crate) fn build(
        sources: &Sources,
        spans: &[Span],
    ) -> (Snippets, Vec<(usize, Range<usize>)>) {
        let placed: Vec<Placed> = spans.iter().map(|s| place(sources, *s)).collect();
        // Real files in order of first appearance (codespan lists files in
        // label order too).
        let mut real_files: Vec<u32> = Vec::new();
        for p in &placed {
            if !real_files.contains(&p.file) {
                real_files.push(p.file);
            }
        }
        let mut files = Vec::with_capacity(real_files.len());
        // (snippet file, byte range) per span, filled file by file.
        let mut mapped = vec![(0usize, 0..0); spans.len()];
        for (file_id, &real) in real_files.iter().enumerate() {
            let text = sources.text(real);
            let mut ours: Vec<usize> = (0..placed.len())
                .filter(|&i| placed[i].file == real)
                .collect();
            ours.sort_by_key(|&i| (placed[i].line, placed[i].start));
            // Lines to show: every labelled line, plus the one line between
            // two labelled lines two apart (codespan prints it as context).
            let mut shown: Vec<(usize, Range<usize>)> = Vec::new();
            for &i in &ours {
                let p = &placed[i];
                match shown.last() {
                    Some((l, _)) if *l == p.line => continue,
                    Some((l, _)) if *l + 2 == p.line => {
                        let mid = line_range(sources, real, *l + 1);
                        shown.push((*l + 1, mid));
                    }
                    _ => {}
                }
                shown.push((p.line, p.line_range.clone()));
            }
            let mut sf = SnippetFile {
                name: escape(sources.name(real)),
                text: String::new(),
                lines: Vec::with_capacity(shown.len()),
            };
            for (index, range) in shown {
                let on_line: Vec<usize> = ours
                    .iter()
                    .copied()
                    .filter(|&i| placed[i].line == index)
                    .collect();
                let bounds: Vec<(usize, usize)> = on_line
                    .iter()
                    .map(|&i| (placed[i].start, placed[i].end))
                    .collect();
                let (line, ends) =
                    write_line(&mut sf.text, text, index, range, &bounds, sources, real);
                for (k, &i) in on_line.iter().enumerate() {
                    mapped[i] = (file_id, ends[k].clone());
                }
                sf.lines.push(line);
                sf.text.push('\n');
            }
            files.push(sf);
        }
        (Snippets { files }, mapped)
    }

    fn line(&self, file: usize, index: usize) -> Result<&SnippetLine, Error> {
        let f = self.files.get(file).ok_or(Error::FileMissing)?;
        f.lines
            .binary_search_by_key(&index, |l| l.index)
            .map(|k| &f.lines[k])
            .map_err(|_| Error::LineTooLarge {
                given: index,
                max: f.lines.last().map_or(0, |l| l.index),
            })
    }
}

/// Where a span is: its file, line and (clamped, single-line) byte range.
fn place(sources: &Sources, span: Span) -> Placed {
    let r = sources.clamp(span);
    let line = sources
        .files
        .line_index(span.file as usize, r.start)
        .unwrap_or(0);
    let line_range = line_range(sources, span.file, line);
    let start = r.start.clamp(line_range.start, line_range.end);
    let end = r.end.clamp(start, line_range.end);
    Placed {
        file: span.file,
        line,
        line_range,
        start,
        end,
    }
}

/// A line's byte range without its line ending.
fn line_range(sources: &Sources, file: u32, line: usize) -> Range<usize> {
    let text = sources.text(file);
    let r = sources
        .files
        .line_range(file as usize, line)
        .unwrap_or(text.len()..text.len());
    let s = &text[r.clone()];
    let trimmed = s.trim_end_matches(['\n', '\r']);
    r.start..r.start + trimmed.len()
}

/// Appends the shown part of one line to `out` and returns its
/// [`SnippetLine`] and, per label bound, the label's range in `out`.
fn write_line(
    out: &mut String,
    text: &str,
    index: usize,
    range: Range<usize>,
    bounds: &[(usize, usize)],
    sources: &Sources,
    file: u32,
) -> (SnippetLine, Vec<Range<usize>>) {
    let line = &text[range.clone()];
    let whole = line.len() <= WHOLE_LINE || line.chars().nth(WHOLE_LINE).is_none();
    // On a long line a label is shown (and underlined) for LABEL characters.
    let cut: Vec<(usize, usize)>;
    let bounds = if whole {
        bounds
    } else {
        cut = bounds
            .iter()
            .map(|&(s, e)| (s, char_offset(text, s, e, LABEL)))
            .collect();
        &cut[..]
    };
    // Windows (real byte ranges) to show, sorted and merged.
    let mut windows: Vec<Range<usize>> = if whole {
        vec![range.clone()]
    } else {
        let mut w: Vec<Range<usize>> = bounds
            .iter()
            .map(|&(s, label_end)| {
                let from = back_chars(text, s, range.start, BEFORE);
                let to = char_offset(text, label_end, range.end, AFTER);
                from..to
            })
            .collect();
        if w.is_empty() {
            // A context line without labels: its start.
            w.push(range.start..char_offset(text, range.start, range.end, BEFORE + LABEL + AFTER));
        }
        w.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in w {
            let full = merged.len() >= MAX_WINDOWS;
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                // Labels past the last window are marked where it ends.
                _ if full => {}
                _ => merged.push(r),
            }
        }
        merged
    };
    if windows.is_empty() {
        windows.push(range.clone());
    }
    let start = out.len();
    // Real byte offsets whose position in `out` we need: label bounds.
    let mut wanted: Vec<usize> = bounds.iter().flat_map(|&(s, e)| [s, e]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut found: Vec<(usize, usize)> = Vec::with_capacity(wanted.len());
    let mut next = 0;
    let mut note = |real: usize, at: usize, found: &mut Vec<(usize, usize)>| {
        while next < wanted.len() && wanted[next] <= real {
            found.push((wanted[next], at));
            next += 1;
        }
    };
    for (k, w) in windows.iter().enumerate() {
        if k == 0 && w.start > range.start {
            out.push('…');
        }
        if k > 0 {
            out.push_str(" … ");
        }
        for (i, c) in text[w.clone()].char_indices() {
            note(w.start + i, out.len(), &mut found);
            escape_char(c, true, out);
        }
        note(w.end, out.len(), &mut found);
    }
    // Bounds past every window (a label longer than LABEL) end here.
    note(usize::MAX, out.len(), &mut found);
    if windows.last().is_some_and(|w| w.end < range.end) {
        out.push('…');
    }
    let end = out.len();
    let at = |real: usize| {
        found
            .iter()
            .rev()
            .find(|(r, _)| *r <= real)
            .map_or(start, |&(_, a)| a)
            .min(end)
    };
    let mut columns: Vec<(usize, usize)> = Vec::new();
    let ranges = bounds
        .iter()
        .map(|&(s, e)| {
            let a = at(s);
            let b = at(e).max(a);
            columns.push((a, sources.column(file, range.start, s)));
            a..b
        })
        .collect();
    columns.sort_unstable();
    (
        SnippetLine {
            index,
            range: start..end,
            columns,
        },
        ranges,
    )
}

/// The byte offset `n` characters after `from`, at most `limit`.
fn char_offset(text: &str, from: usize, limit: usize, n: usize) -> usize {
    text[from..limit]
        .char_indices()
        .nth(n)
        .map_or(limit, |(i, _)| from + i)
}

/// The byte offset `n` characters before `from`, at least `limit`.
fn back_chars(text: &str, from: usize, limit: usize, n: usize) -> usize {
    if n == 0 {
        return from;
    }
    text[limit..from]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(limit, |(i, _)| limit + i)
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        escape_char(c, false, &mut out);
    }
    out
}

impl<'a> Files<'a> for Snippets {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        self.files
            .get(id)
            .map(|f| f.name.as_str())
            .ok_or(Error::FileMissing)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        self.files
            .get(id)
            .map(|f| f.text.as_str())
            .ok_or(Error::FileMissing)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        let f = self.files.get(id).ok_or(Error::FileMissing)?;
        // The line whose text (or the newline after it) holds the byte.
        let k = f.lines.partition_point(|l| l.range.end < byte_index);
        f.lines
            .get(k)
            .or(f.lines.last())
            .map(|l| l.index)
            .ok_or(Error::IndexTooLarge {
                given: byte_index,
                max: f.text.len(),
            })
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        self.line(id, line_index).map(|l| l.range.clone())
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let line = self.line(id, line_index)?;
        Ok(line
            .columns
            .iter()
            .find(|(at, _)| *at == byte_index)
            .or(line.columns.first())
            .map_or(1, |&(_, col)| col))
    }
}
