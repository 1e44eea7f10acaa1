//! The parser: one file's text → a [`Value`] tree with spans, or a
//! [`SyntaxError`].

use super::*;

mod literals;

// ---------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------

/// How deeply lists, maps, structs, tuples and `Some(…)` may nest.
pub const MAX_DEPTH: usize = 128;

/// Extensions accepted in `#![enable(…)]`.
pub(super) const EXTENSIONS: &[&str] = &[
    "unwrap_newtypes",
    "implicit_some",
    "unwrap_variant_newtypes",
    "explicit_struct_names",
];

/// Integer type suffixes `ron` understands (`1u8`, `-3i32`).
pub(super) const INT_SUFFIXES: &[&str] = &["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];

/// Fields with more entries than this use a hash map for the duplicate check.
pub(super) const LINEAR_DUPLICATE_CHECK: usize = 16;

pub(super) const VALID_ESCAPES: &str =
    "valid escapes are \\n \\r \\t \\0 \\\\ \\\" \\' \\xNN and \\u{NNNN}; write a backslash as \\\\";

/// Parse one whole RON document (exactly one value, then only whitespace/comments).
///
/// `file` is stored in every [`Span`] of the result (and of the error).
pub fn parse(src: &str, file: u32) -> Result<Value, SyntaxError> {
    if u32::try_from(src.len()).is_err() {
        return Err(SyntaxError {
            span: Span::new(file, 0, 0),
            message: "file is too large (more than 4 GiB)".to_owned(),
            help: None,
        });
    }
    Parser {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        file,
        depth: 0,
        unwrap_variant_newtypes: false,
        // Each scratch stack starts with a placeholder, see `Entries::finish`.
        items: vec![placeholder()],
        fields: vec![(placeholder_ident(), placeholder())],
        entries: vec![(placeholder(), placeholder())],
    }
    .document()
}

/// Whether `src` holds no value: only a byte-order mark, whitespace and
/// complete comments. Such a file is an empty viewpoint, like an empty one.
pub fn is_blank(src: &str) -> bool {
    let p = Parser {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        file: 0,
        depth: 0,
        unwrap_variant_newtypes: false,
        items: Vec::new(),
        fields: Vec::new(),
        entries: Vec::new(),
    };
    let start = if src.starts_with('\u{feff}') { 3 } else { 0 };
    matches!(p.skip_ws_from(start), Ok(end) if end >= src.len())
}

pub(super) type PResult<T> = Result<T, SyntaxError>;

/// What kind of container an entry belongs to, for error messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Ctx {
    List,
    Tuple,
    Struct,
    Map,
    Some,
}

impl Ctx {
    fn entry(self) -> &'static str {
        match self {
            Ctx::List => "list element",
            Ctx::Tuple => "tuple element",
            Ctx::Struct => "struct field",
            Ctx::Map => "map entry",
            Ctx::Some => "the value in `Some(…)`",
        }
    }

    fn close(self) -> char {
        match self {
            Ctx::List => ']',
            Ctx::Map => '}',
            Ctx::Tuple | Ctx::Struct | Ctx::Some => ')',
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum EscapeMode {
    Str,
    Char,
    Byte,
}

pub(super) enum Escaped {
    Char(char),
    Byte(u8),
    /// `\` at the end of a line inside a string: the line break and the indentation of
    /// the next line are skipped.
    Continuation,
}

/// A recursive-descent parser over one document.
pub(super) struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    file: u32,
    depth: usize,
    unwrap_variant_newtypes: bool,
    // Scratch stacks for the entries of open containers, see `Entries`.
    items: Vec<Value>,
    fields: Vec<(Ident, Value)>,
    entries: Vec<(Value, Value)>,
}

/// How many entries a container keeps on the shared scratch stack before it moves them
/// into a `Vec` of its own.
pub(super) const SPILL: usize = 64;

/// The entries of one container being parsed.
///
/// Most containers are small: their entries go on a scratch stack shared by all open
/// containers and are moved into an exactly sized `Vec` when the container closes, which
/// avoids regrowing one small `Vec` per container. A container with more than [`SPILL`]
/// entries moves them into a `Vec` of its own, which then grows in place, so that a huge
/// list is not written twice.
pub(super) struct Entries<T> {
    base: usize,
    own: Option<Vec<T>>,
}

impl<T> Entries<T> {
    fn new(stack: &[T]) -> Self {
        Entries {
            base: stack.len(),
            own: None,
        }
    }

    fn push(&mut self, stack: &mut Vec<T>, entry: T) {
        match &mut self.own {
            Some(own) => own.push(entry),
            None => {
                stack.push(entry);
                if stack.len() - self.base > SPILL {
                    let mut own = Vec::with_capacity(4 * SPILL);
                    own.extend(stack.drain(self.base..));
                    self.own = Some(own);
                }
            }
        }
    }

    fn as_slice<'s>(&'s self, stack: &'s [T]) -> &'s [T] {
        match &self.own {
            Some(own) => own,
            None => stack.get(self.base..).unwrap_or_default(),
        }
    }

    fn finish(self, stack: &mut Vec<T>) -> Vec<T> {
        match self.own {
            Some(own) => own,
            // One `memcpy` into an exactly sized `Vec`. `split_off(0)` would instead hand
            // over the whole scratch buffer, which is why every stack starts with a
            // placeholder entry that no container owns.
            None if self.base > 0 && self.base <= stack.len() => stack.split_off(self.base),
            None => stack.drain(self.base.min(stack.len())..).collect(),
        }
    }
}

pub(super) fn placeholder() -> Value {
    Value {
        kind: ValueKind::Unit,
        span: Span::default(),
    }
}

pub(super) fn placeholder_ident() -> Ident {
    Ident {
        name: String::new(),
        span: Span::default(),
    }
}

pub(super) fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

pub(super) fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())
}

pub(super) fn is_raw_ident_char(c: char) -> bool {
    is_ident_continue(c) || matches!(c, '.' | '+' | '-')
}

pub(super) fn is_int_byte(b: u8) -> bool {
    b.is_ascii_hexdigit() || b == b'_'
}

pub(super) fn is_float_byte(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'e' | b'E' | b'.' | b'+' | b'-' | b'_')
}

pub(super) fn hex_value(b: u8) -> Option<u32> {
    char::from(b).to_digit(16)
}

pub(super) fn starts_value(c: char) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || matches!(c, '"' | '\'' | '(' | '[' | '{' | '-' | '+')
}

pub(super) fn special_float(word: &str) -> Option<f64> {
    match word {
        "inf" | "inff32" | "inff64" => Some(f64::INFINITY),
        "NaN" | "NaNf32" | "NaNf64" => Some(f64::NAN),
        _ => None,
    }
}

/// `s`, cut to `max` characters with an ellipsis.
pub(super) fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        Some((i, _)) => Cow::Owned(format!("{}…", &s[..i])),
        None => Cow::Borrowed(s),
    }
}

impl<'a> Parser<'a> {
    // --- low-level access (never panics) -----------------------------------------------

    fn byte(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn peek(&self) -> Option<u8> {
        self.byte(self.pos)
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.src.get(i..).and_then(|s| s.chars().next())
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.src.get(start..end).unwrap_or_default()
    }

    fn starts_with(&self, i: usize, pat: &[u8]) -> bool {
        self.bytes.get(i..).is_some_and(|s| s.starts_with(pat))
    }

    /// First index at or after `i` whose byte does not satisfy `pred`.
    fn scan_bytes(&self, i: usize, pred: impl Fn(u8) -> bool) -> usize {
        let rest = self.bytes.get(i..).unwrap_or_default();
        i + rest.iter().position(|&b| !pred(b)).unwrap_or(rest.len())
    }

    /// First index at or after `i` whose character does not satisfy `pred`.
    fn scan_chars(&self, mut i: usize, pred: impl Fn(char) -> bool) -> usize {
        loop {
            match self.byte(i) {
                Some(b) if b.is_ascii() => {
                    if !pred(char::from(b)) {
                        return i;
                    }
                    i += 1;
                }
                Some(_) => match self.char_at(i) {
                    Some(c) if pred(c) => i += c.len_utf8(),
                    _ => return i,
                },
                None => return i,
            }
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        // `parse` checked that every offset fits in a u32.
        Span::new(self.file, start as u32, end as u32)
    }

    // --- error helpers -----------------------------------------------------------------

    fn err(&self, start: usize, end: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            span: self.span(start, end),
            message: message.into(),
            help: None,
        }
    }

    fn err_help(
        &self,
        start: usize,
        end: usize,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> SyntaxError {
        SyntaxError {
            span: self.span(start, end),
            message: message.into(),
            help: Some(help.into()),
        }
    }

    /// `"{expected}, found {what is at pos}"`, spanning the token at `pos`.
    fn err_found(&self, pos: usize, expected: &str, help: Option<String>) -> SyntaxError {
        SyntaxError {
            span: self.span(pos, self.token_end(pos)),
            message: format!("{expected}, found {}", self.found(pos)),
            help,
        }
    }

    /// A short description of the token at `pos`.
    fn found(&self, pos: usize) -> String {
        let Some(c) = self.char_at(pos) else {
            return "end of file".to_owned();
        };
        if c == '"' {
            return "a string".to_owned();
        }
        if is_ident_start(c) || c.is_ascii_digit() {
            let end = self.scan_chars(pos, is_ident_continue);
            return format!("`{}`", truncate(self.slice(pos, end), 32));
        }
        if c.is_control() || c.is_whitespace() {
            format!("`{}`", c.escape_default())
        } else {
            format!("`{c}`")
        }
    }

    fn token_end(&self, pos: usize) -> usize {
        match self.char_at(pos) {
            None => pos,
            Some(c) if is_ident_start(c) || c.is_ascii_digit() => {
                self.scan_chars(pos, is_ident_continue)
            }
            Some(c) => pos + c.len_utf8(),
        }
    }

    fn unclosed_help(&self, open: usize) -> String {
        let (line, col) = line_col(self.src, open);
        let c = self.char_at(open).unwrap_or('(');
        format!("the `{c}` at line {line}, column {col} is never closed")
    }

    fn range_error(&self, at: usize) -> SyntaxError {
        self.err_help(
            at,
            at + 2,
            "ranges (`..`) are not supported",
            "write the bounds as two separate values, e.g. `(1, 5)`",
        )
    }

    // --- whitespace and comments -------------------------------------------------------

    /// Index of the first byte at or after `i` that is neither whitespace nor comment.
    fn skip_ws_from(&self, mut i: usize) -> PResult<usize> {
        loop {
            match self.byte(i) {
                Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) => i += 1,
                Some(b'/') => i = self.skip_comment(i)?,
                Some(b) if !b.is_ascii() => match self.char_at(i) {
                    Some(c @ ('\u{85}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}')) => {
                        i += c.len_utf8();
                    }
                    _ => return Ok(i),
                },
                _ => return Ok(i),
            }
        }
    }

    fn skip_ws(&mut self) -> PResult<()> {
        self.pos = self.skip_ws_from(self.pos)?;
        Ok(())
    }

    /// Skips the comment starting at `start` (a `/`), returning the index after it.
    fn skip_comment(&self, start: usize) -> PResult<usize> {
        match self.byte(start + 1) {
            Some(b'/') => {
                let rest = self.bytes.get(start + 2..).unwrap_or_default();
                Ok(match rest.iter().position(|&b| b == b'\n') {
                    Some(k) => start + 2 + k + 1,
                    None => self.bytes.len(),
                })
            }
            Some(b'*') => {
                let mut i = start + 2;
                let mut level = 1usize;
                loop {
                    let rest = self.bytes.get(i..).unwrap_or_default();
                    let Some(k) = rest.iter().position(|&b| b == b'/' || b == b'*') else {
                        let help = if level > 1 {
                            "block comments nest: every `/*` needs its own `*/`"
                        } else {
                            "close it with `*/`"
                        };
                        return Err(self.err_help(
                            start,
                            start + 2,
                            "unterminated block comment",
                            help,
                        ));
                    };
                    i += k;
                    if self.starts_with(i, b"/*") {
                        level += 1;
                        i += 2;
                    } else if self.starts_with(i, b"*/") {
                        level -= 1;
                        i += 2;
                        if level == 0 {
                            return Ok(i);
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            _ => Err(self.err_help(
                start,
                start + 1,
                "unexpected `/`",
                "comments start with `//` or `/*`",
            )),
        }
    }

    // --- document ----------------------------------------------------------------------

    fn document(mut self) -> PResult<Value> {
        if self.starts_with(0, "\u{feff}".as_bytes()) {
            self.pos = 3;
        }
        self.skip_ws()?;
        while self.peek() == Some(b'#') {
            self.attribute()?;
            self.skip_ws()?;
        }
        let value = self.value()?;
        self.skip_ws()?;
        if self.pos < self.bytes.len() {
            let help = if self.peek() == Some(b',') {
                "remove the trailing `,`; a RON document holds exactly one value"
            } else {
                "a RON document holds exactly one value; wrap several values in a list `[…]`"
            };
            return Err(SyntaxError {
                span: self.span(self.pos, self.token_end(self.pos)),
                message: format!(
                    "unexpected {} after the end of the document",
                    self.found(self.pos)
                ),
                help: Some(help.to_owned()),
            });
        }
        Ok(value)
    }

    fn expect_punct(&mut self, c: u8, expected: &str) -> PResult<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err_found(self.pos, expected, None))
        }
    }

    /// `#![enable(ext, …)]`, `#![type = "…"]` or `#![schema = "…"]`.
    fn attribute(&mut self) -> PResult<()> {
        self.pos += 1; // `#`
        self.skip_ws()?;
        if self.peek() != Some(b'!') {
            return Err(self.err_found(
                self.pos,
                "expected `!` after `#`",
                Some(
                    "document attributes are written `#![enable(…)]`; comments start with `//`"
                        .to_owned(),
                ),
            ));
        }
        self.pos += 1;
        self.skip_ws()?;
        self.expect_punct(b'[', "expected `[` after `#!`")?;
        self.skip_ws()?;
        let name_start = self.pos;
        let name = match self.lex_ident(name_start) {
            Some((ns, ne, end)) if ns == name_start => {
                self.pos = end;
                self.slice(ns, ne)
            }
            _ => return Err(self.err_found(name_start, "expected an attribute name", None)),
        };
        self.skip_ws()?;
        match name {
            "enable" => {
                self.expect_punct(b'(', "expected `(` after `enable`")?;
                self.skip_ws()?;
                loop {
                    let start = self.pos;
                    let Some((ns, ne, end)) = self.lex_ident(start) else {
                        return Err(self.err_found(start, "expected an extension name", None));
                    };
                    let ext = self.slice(ns, ne);
                    if !EXTENSIONS.contains(&ext) {
                        let help = match did_you_mean(ext, EXTENSIONS) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("known extensions: {}", backticked(EXTENSIONS)),
                        };
                        return Err(self.err_help(
                            start,
                            end,
                            format!("unknown extension `{ext}`"),
                            help,
                        ));
                    }
                    if ext == "unwrap_variant_newtypes" {
                        self.unwrap_variant_newtypes = true;
                    }
                    self.pos = end;
                    self.skip_ws()?;
                    let next_is_ident = |p: &Self| p.char_at(p.pos).is_some_and(is_ident_continue);
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                        self.skip_ws()?;
                        if next_is_ident(self) {
                            continue;
                        }
                    } else if next_is_ident(self) {
                        return Err(self.err_found(
                            self.pos,
                            "expected `,` between extensions",
                            None,
                        ));
                    }
                    break;
                }
                self.expect_punct(b')', "expected `,` or `)` after extension")?;
                self.skip_ws()?;
                self.expect_punct(b']', "expected `]` to close the attribute")?;
            }
            "type" | "schema" => {
                self.expect_punct(b'=', &format!("expected `=` after `{name}`"))?;
                self.skip_ws()?;
                match self.peek() {
                    Some(b'"') => {
                        self.string()?;
                    }
                    Some(b'r') if self.starts_raw_string(self.pos) => {
                        self.raw_string()?;
                    }
                    _ => return Err(self.err_found(self.pos, "expected a string", None)),
                }
                self.skip_ws()?;
                self.expect_punct(b']', "expected `]` to close the attribute")?;
            }
            _ => {
                return Err(self.err_help(
                    name_start,
                    name_start + name.len(),
                    format!("unknown attribute `{name}`"),
                    "supported attributes are `#![enable(…)]`, `#![type = \"…\"]` and `#![schema = \"…\"]`",
                ))
            }
        }
        Ok(())
    }

    // --- identifiers -------------------------------------------------------------------

    fn starts_raw_string(&self, i: usize) -> bool {
        self.starts_with(i, b"r\"") || self.starts_with(i, b"r#\"") || self.starts_with(i, b"r##")
    }

    /// The identifier at `i` as `(name_start, name_end, end)`; for a raw identifier
    /// (`r#type`) the name excludes the `r#`. Literals that start like identifiers
    /// (`b"…"`, `b'…'`, `r"…"`, `r#"…"#`) are not identifiers.
    fn lex_ident(&self, i: usize) -> Option<(usize, usize, usize)> {
        if self.starts_with(i, b"b\"")
            || self.starts_with(i, b"b'")
            || self.starts_with(i, b"br#")
            || self.starts_with(i, b"br\"")
            || self.starts_raw_string(i)
        {
            return None;
        }
        if self.starts_with(i, b"r#") {
            let end = self.scan_chars(i + 2, is_raw_ident_char);
            return (end > i + 2).then_some((i + 2, end, end));
        }
        let c = self.char_at(i)?;
        if !is_ident_start(c) {
            return None;
        }
        let end = self.scan_chars(i + c.len_utf8(), is_ident_continue);
        Some((i, end, end))
    }

    // --- values ------------------------------------------------------------------------

    fn enter(&mut self, open: usize) -> PResult<()> {
        if self.depth >= MAX_DEPTH {
            return Err(self.err_help(
                open,
                open + 1,
                format!("nesting deeper than {MAX_DEPTH} levels"),
                "flatten the structure, or split it into separate items",
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn value(&mut self) -> PResult<Value> {
        let start = self.pos;
        let Some(b) = self.peek() else {
            return Err(self.err(start, start, "expected a value, found end of file"));
        };
        match b {
            b'(' => self.paren(None, start),
            b'[' => self.list(),
            b'{' => self.map(),
            b'"' => self.string(),
            b'\'' => self.char_literal(),
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                let value = self.number()?;
                self.no_range()?;
                Ok(value)
            }
            b'b' if self.starts_with(start, b"b'") => {
                let value = self.byte_literal()?;
                self.no_range()?;
                Ok(value)
            }
            b'b' if self.starts_with(start, b"b\"")
                || self.starts_with(start, b"br\"")
                || self.starts_with(start, b"br#") =>
            {
                Err(self.err_help(
                    start,
                    start + 2,
                    "byte strings are not supported",
                    "write a normal string \"…\" or a list of numbers",
                ))
            }
            b'r' if self.starts_raw_string(start) => self.raw_string(),
            _ => match self.lex_ident(start) {
                Some(ident) => self.ident_value(start, ident),
                None => Err(self.unexpected_value(start)),
            },
        }
    }

    fn unexpected_value(&self, pos: usize) -> SyntaxError {
        if self.starts_with(pos, b"r#") {
            return self.err(
                pos,
                pos + 2,
                "expected a raw string `r#\"…\"#` or a raw identifier `r#name` after `r#`",
            );
        }
        let help = match self.peek() {
            Some(b',') => Some("remove the extra `,`".to_owned()),
            Some(b'#') => Some("comments start with `//`".to_owned()),
            Some(b'=') => Some("use `:` between a name and its value".to_owned()),
            _ => None,
        };
        self.err_found(pos, "expected a value", help)
    }

    fn no_range(&self) -> PResult<()> {
        if self.starts_with(self.pos, b"..") {
            return Err(self.range_error(self.pos));
        }
        Ok(())
    }

    fn ident_value(
        &mut self,
        start: usize,
        (ns, ne, end): (usize, usize, usize),
    ) -> PResult<Value> {
        let name = self.slice(ns, ne);
        if ns == start {
            // Keywords; `r#true` is an identifier.
            let kind = match name {
                "true" => Some(ValueKind::Bool(true)),
                "false" => Some(ValueKind::Bool(false)),
                "None" => Some(ValueKind::Option(None)),
                "Some" => return self.some(start, end),
                _ => special_float(name).map(ValueKind::Float),
            };
            if let Some(kind) = kind {
                self.pos = end;
                if matches!(kind, ValueKind::Float(_)) {
                    self.no_range()?;
                }
                return Ok(Value {
                    kind,
                    span: self.span(start, end),
                });
            }
        }
        let after = self.skip_ws_from(end)?;
        let ident = Ident {
            name: name.to_owned(),
            span: self.span(start, end),
        };
        if self.byte(after) == Some(b'(') {
            self.pos = after;
            return self.paren(Some(ident), start);
        }
        self.pos = end;
        Ok(Value {
            kind: ValueKind::Ident(ident.name),
            span: ident.span,
        })
    }

    /// `Some(value)`; `kw_end` is the index after `Some`.
    fn some(&mut self, start: usize, kw_end: usize) -> PResult<Value> {
        let open = self.skip_ws_from(kw_end)?;
        if self.byte(open) != Some(b'(') {
            return Err(self.err_found(
                open,
                "expected `(` after `Some`",
                Some(
                    "write `Some(value)`; options are implicit, so the bare value works too"
                        .to_owned(),
                ),
            ));
        }
        self.enter(open)?;
        self.pos = open + 1;
        self.skip_ws()?;
        let inner = if self.unwrap_variant_newtypes {
            // `Some(a: 1)` means `Some((a: 1))`, `Some(1, 2)` means `Some((1, 2))`.
            let kind = self.paren_body(None, open)?;
            let span = self.span(open, self.pos + 1);
            match kind {
                ValueKind::Tuple {
                    name: None,
                    mut items,
                } if items.len() == 1 => match items.pop() {
                    Some(item) => item,
                    None => Value {
                        kind: ValueKind::Unit,
                        span,
                    },
                },
                kind => Value { kind, span },
            }
        } else {
            if self.peek() == Some(b')') {
                return Err(self.err_help(
                    self.pos,
                    self.pos + 1,
                    "expected a value inside `Some(…)`, found `)`",
                    "write `None` for an absent value",
                ));
            }
            let value = self.value()?;
            self.skip_ws()?;
            if self.peek() == Some(b',') {
                self.pos += 1;
                self.skip_ws()?;
            }
            if self.peek() != Some(b')') {
                return Err(self.after_entry_error(Ctx::Some, open, Some(&value)));
            }
            value
        };
        self.pos += 1;
        self.leave();
        Ok(Value {
            kind: ValueKind::Option(Some(Box::new(inner))),
            span: self.span(start, self.pos),
        })
    }

    /// `(…)` or `Name(…)`; `self.pos` is at the `(`.
    fn paren(&mut self, name: Option<Ident>, start: usize) -> PResult<Value> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        self.skip_ws()?;
        let kind = self.paren_body(name, open)?;
        self.pos += 1; // `)`
        self.leave();
        Ok(Value {
            kind,
            span: self.span(start, self.pos),
        })
    }

    /// The entries after `(`, up to (not including) the closing `)`.
    fn paren_body(&mut self, name: Option<Ident>, open: usize) -> PResult<ValueKind> {
        if self.peek() == Some(b')') {
            return Ok(match name {
                None => ValueKind::Unit,
                Some(name) => ValueKind::Tuple {
                    name: Some(name),
                    items: Vec::new(),
                },
            });
        }
        if self.looks_like_field() {
            self.struct_fields(name, open)
        } else {
            self.tuple_items(name, open)
        }
    }

    /// Whether the entry at `self.pos` is `ident:` (or the common mistake `ident =`).
    fn looks_like_field(&self) -> bool {
        let Some((_, _, end)) = self.lex_ident(self.pos) else {
            return false;
        };
        match self.skip_ws_from(end) {
            Ok(i) => matches!(self.byte(i), Some(b':' | b'=')),
            Err(_) => false,
        }
    }

    fn struct_fields(&mut self, name: Option<Ident>, open: usize) -> PResult<ValueKind> {
        let mut fields = Entries::new(&self.fields);
        // name -> start offset of its first occurrence, once the struct is large
        let mut index: Option<HashMap<&'a str, usize>> = None;
        loop {
            if self.peek() == Some(b')') {
                break;
            }
            let fstart = self.pos;
            let Some((ns, ne, fend)) = self.lex_ident(fstart) else {
                return Err(self.field_name_error(open));
            };
            let fname = self.slice(ns, ne);
            let first = match &index {
                Some(map) => map.get(fname).copied(),
                None => fields
                    .as_slice(&self.fields)
                    .iter()
                    .find(|(id, _)| id.name == fname)
                    .map(|(id, _)| id.span.start as usize),
            };
            if let Some(first) = first {
                let (line, col) = line_col(self.src, first);
                return Err(self.err_help(
                    fstart,
                    fend,
                    format!("duplicate field `{fname}`"),
                    format!("`{fname}` is already set at line {line}, column {col}"),
                ));
            }
            self.pos = fend;
            self.skip_ws()?;
            match self.peek() {
                Some(b':') => self.pos += 1,
                Some(b'=') => {
                    return Err(self.err_help(
                        self.pos,
                        self.pos + 1,
                        format!("expected `:` after field name `{fname}`, found `=`"),
                        "use `:` between a field name and its value",
                    ))
                }
                None => {
                    return Err(self.err_found(
                        self.pos,
                        &format!("expected `:` after field name `{fname}`"),
                        Some(self.unclosed_help(open)),
                    ))
                }
                Some(_) => {
                    return Err(self.err_found(
                        self.pos,
                        &format!("expected `:` after field name `{fname}`"),
                        None,
                    ))
                }
            }
            self.skip_ws()?;
            if matches!(self.peek(), None | Some(b',' | b')')) {
                let help = self.peek().is_none().then(|| self.unclosed_help(open));
                return Err(self.err_found(
                    self.pos,
                    &format!("expected a value for field `{fname}`"),
                    help,
                ));
            }
            let value = self.value()?;
            let ident = Ident {
                name: fname.to_owned(),
                span: self.span(fstart, fend),
            };
            fields.push(&mut self.fields, (ident, value));
            let written = fields.as_slice(&self.fields);
            match &mut index {
                Some(map) => {
                    map.insert(fname, fstart);
                }
                None if written.len() > LINEAR_DUPLICATE_CHECK => {
                    index = Some(
                        written
                            .iter()
                            .map(|(id, _)| {
                                // the name as written, minus the `r#` of a raw identifier
                                let text = self.slice(id.span.start as usize, id.span.end as usize);
                                (
                                    text.strip_prefix("r#").unwrap_or(text),
                                    id.span.start as usize,
                                )
                            })
                            .collect(),
                    );
                }
                None => {}
            }
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws()?;
                }
                Some(b')') => break,
                _ => return Err(self.after_entry_error(Ctx::Struct, open, None)),
            }
        }
        let fields = fields.finish(&mut self.fields);
        Ok(ValueKind::Struct { name, fields })
    }

    fn field_name_error(&self, open: usize) -> SyntaxError {
        let pos = self.pos;
        match self.peek() {
            None => self.err_found(
                pos,
                "expected a field name or `)`",
                Some(self.unclosed_help(open)),
            ),
            Some(b'"') => self.err_found(
                pos,
                "expected a field name",
                Some("field names are written without quotes, e.g. `name: …`".to_owned()),
            ),
            _ => self.err_found(
                pos,
                "expected a field name or `)`",
                Some("a struct holds only `name: value` fields".to_owned()),
            ),
        }
    }

    fn tuple_items(&mut self, name: Option<Ident>, open: usize) -> PResult<ValueKind> {
        let mut items = Entries::new(&self.items);
        loop {
            if self.peek() == Some(b')') {
                break;
            }
            let item = self.value()?;
            items.push(&mut self.items, item);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws()?;
                }
                Some(b')') => break,
                _ => {
                    let last = items.as_slice(&self.items).last();
                    return Err(self.after_entry_error(Ctx::Tuple, open, last));
                }
            }
        }
        let items = items.finish(&mut self.items);
        Ok(ValueKind::Tuple { name, items })
    }

    fn list(&mut self) -> PResult<Value> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        self.skip_ws()?;
        let mut items = Entries::new(&self.items);
        loop {
            if self.peek() == Some(b']') {
                break;
            }
            let item = self.value()?;
            items.push(&mut self.items, item);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws()?;
                }
                Some(b']') => break,
                _ => {
                    let last = items.as_slice(&self.items).last();
                    return Err(self.after_entry_error(Ctx::List, open, last));
                }
            }
        }
        let items = items.finish(&mut self.items);
        self.pos += 1;
        self.leave();
        Ok(Value {
            kind: ValueKind::List(items),
            span: self.span(open, self.pos),
        })
    }

    fn map(&mut self) -> PResult<Value> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        self.skip_ws()?;
        let mut entries = Entries::new(&self.entries);
        loop {
            if self.peek() == Some(b'}') {
                break;
            }
            let key = self.value()?;
            self.skip_ws()?;
            match self.peek() {
                Some(b':') => self.pos += 1,
                Some(b'=') => {
                    return Err(self.err_help(
                        self.pos,
                        self.pos + 1,
                        "expected `:` after map key, found `=`",
                        "use `:` between a key and its value",
                    ))
                }
                None => {
                    return Err(self.err_found(
                        self.pos,
                        "expected `:` after map key",
                        Some(self.unclosed_help(open)),
                    ))
                }
                Some(_) => {
                    return Err(self.err_found(self.pos, "expected `:` after map key", None))
                }
            }
            self.skip_ws()?;
            if matches!(self.peek(), None | Some(b',' | b'}')) {
                let help = self.peek().is_none().then(|| self.unclosed_help(open));
                return Err(self.err_found(self.pos, "expected a value for this key", help));
            }
            let value = self.value()?;
            entries.push(&mut self.entries, (key, value));
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws()?;
                }
                Some(b'}') => break,
                _ => return Err(self.after_entry_error(Ctx::Map, open, None)),
            }
        }
        let entries = entries.finish(&mut self.entries);
        self.pos += 1;
        self.leave();
        Ok(Value {
            kind: ValueKind::Map(entries),
            span: self.span(open, self.pos),
        })
    }

    /// The error for an entry that is followed by neither `,` nor the closing bracket.
    fn after_entry_error(&self, ctx: Ctx, open: usize, prev: Option<&Value>) -> SyntaxError {
        let pos = self.pos;
        let close = ctx.close();
        let expected = if ctx == Ctx::Some {
            "expected `)` to close `Some(`".to_owned()
        } else {
            format!("expected `,` or `{close}` after {}", ctx.entry())
        };
        let help = match self.char_at(pos) {
            None => Some(self.unclosed_help(open)),
            Some(';') => Some("separate entries with `,`, not `;`".to_owned()),
            Some(':') => match ctx {
                Ctx::List => {
                    Some("a list holds plain values; a map is written `{ key: value }`".to_owned())
                }
                Ctx::Tuple if prev.is_some_and(|v| matches!(v.kind, ValueKind::Str(_))) => {
                    Some("field names are written without quotes, e.g. `name: …`".to_owned())
                }
                Ctx::Tuple => {
                    Some("a tuple cannot mix plain values and `field: value` entries".to_owned())
                }
                _ => None,
            },
            Some(c @ (')' | ']' | '}')) => {
                let (line, col) = line_col(self.src, open);
                let opened = self.char_at(open).unwrap_or('(');
                Some(format!(
                    "this `{c}` does not match the `{opened}` at line {line}, column {col}"
                ))
            }
            Some(c) if ctx != Ctx::Some && starts_value(c) => {
                Some("add a `,` between the entries".to_owned())
            }
            _ => None,
        };
        self.err_found(pos, &expected, help)
    }
}
