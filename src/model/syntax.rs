//! RON syntax tree with source spans, and a serde deserializer over that tree.
//!
//! # Why we do not use `ron`'s own deserializer
//!
//! `ron::from_str` parses and deserializes in a single pass. Its values carry no source
//! positions, so a type error deep inside a model can only be reported as "somewhere in
//! this file", and the first problem aborts the whole load. `revarch` must report every
//! problem with `file:line:col`, so loading is split into two steps:
//!
//! 1. [`parse`] turns one file into a [`Value`] tree. Every value, field name and error
//!    carries a byte [`Span`] together with the loader's file index. A file with a syntax
//!    error yields one precise [`SyntaxError`] (with a `help` for common mistakes), and
//!    the remaining files can still be parsed and checked.
//! 2. [`from_value`] deserializes any serde type from a (sub)tree. Every [`DeError`]
//!    points at the innermost value that caused it (an unknown field at the field name, a
//!    missing field at the struct, a wrong type at the offending list element). Because
//!    it works on subtrees, the loader can deserialize items one by one — say each
//!    element of a top-level list — and collect every error instead of stopping at the
//!    first. [`Spanned<T>`] fields keep the position of a value for later semantic
//!    checks (dangling references, duplicate ids, …).
//!
//! # Dialect
//!
//! The parser accepts RON as people write it and as `ron` 0.12 reads it: structs with
//! and without names, tuples, lists, maps, trailing commas, `//` and nested `/* */`
//! comments, a leading UTF-8 BOM, `#![enable(…)]` / `#![type = "…"]` attributes,
//! strings with escapes (`\n \r \t \0 \\ \" \' \xNN \u{…}` and `\` line continuations),
//! raw strings, characters, byte literals (`b'a'`, read as an integer), integers
//! (decimal, `_` separators, `0x` `0o` `0b`, signs, `u8`…`i64` suffixes), floats (`1.5`,
//! `1e3`, `.5`, `inf`, `NaN`, `f32`/`f64` suffixes), `true`/`false`, `None`,
//! `Some(…)`, `()` and raw identifiers such as `r#type`.
//!
//! Deliberate differences from `ron`: a field written twice in one struct is an error
//! here (`ron` silently keeps the last one); byte strings (`b"…"`) and ranges (`1..2`)
//! are rejected with a clear message; integers that do not fit an `i128` are an error
//! instead of silently becoming floats; a leading BOM is accepted.
//!
//! The deserializer always behaves as if `implicit_some` and `unwrap_variant_newtypes`
//! were enabled: any value where an `Option` is expected is `Some(value)`, and a newtype
//! variant may be written `Variant(field: …)` for `Variant(Inner(field: …))`.
//!
//! # Robustness
//!
//! Parsing runs in linear time, never panics, and limits nesting to [`MAX_DEPTH`] levels,
//! so hostile input cannot overflow the stack.
//!
//! # Tests
//!
//! The unit tests at the bottom compare acceptance with `ron::from_str::<ron::Value>`,
//! so they need the `ron` crate (`ron = "0.12"`) as a dependency or dev-dependency.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::slice;

use serde::de::{
    self, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::Deserialize;

// ---------------------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------------------

/// Byte range in one source file; `file` is an index into the loader's file table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: u32,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span of `start..end` (byte offsets) in file `file`.
    pub const fn new(file: u32, start: u32, end: u32) -> Self {
        Span { file, start, end }
    }

    /// The byte range, for slicing the source or for diagnostic renderers.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// An identifier (struct name, field name) and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// One parsed RON value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

/// The shape of a [`Value`].
#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    /// `()`
    Unit,
    Bool(bool),
    Int(i128),
    Float(f64),
    Char(char),
    Str(String),
    /// `None` / `Some(v)`
    Option(Option<Box<Value>>),
    /// `[a, b]`
    List(Vec<Value>),
    /// `{k: v}`
    Map(Vec<(Value, Value)>),
    /// `Name(field: v, ...)` or `(field: v, ...)`
    Struct {
        name: Option<Ident>,
        fields: Vec<(Ident, Value)>,
    },
    /// `Name(a, b)`, `(a, b)`, newtype `Name(a)`; `Name()` is an empty tuple
    Tuple {
        name: Option<Ident>,
        items: Vec<Value>,
    },
    /// bare identifier: unit enum variant or unit struct (`current`, `Foo`)
    Ident(String),
}

/// A syntax error: where, what, and (for common mistakes) how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SyntaxError {}

/// 1-based line and column (counted in characters) of byte `offset` in `src`.
///
/// Offsets past the end are clamped to the end.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let bytes = src.as_bytes();
    let prefix = &bytes[..offset.min(bytes.len())];
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Count characters by counting bytes that do not continue a UTF-8 sequence.
    let col = prefix[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, col)
}

// ---------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------

/// How deeply lists, maps, structs, tuples and `Some(…)` may nest.
pub const MAX_DEPTH: usize = 128;

/// Extensions accepted in `#![enable(…)]`.
const EXTENSIONS: &[&str] = &[
    "unwrap_newtypes",
    "implicit_some",
    "unwrap_variant_newtypes",
    "explicit_struct_names",
];

/// Integer type suffixes `ron` understands (`1u8`, `-3i32`).
const INT_SUFFIXES: &[&str] = &["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];

/// Fields with more entries than this use a hash map for the duplicate check.
const LINEAR_DUPLICATE_CHECK: usize = 16;

const VALID_ESCAPES: &str =
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
    }
    .document()
}

type PResult<T> = Result<T, SyntaxError>;

/// What kind of container an entry belongs to, for error messages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
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
enum EscapeMode {
    Str,
    Char,
    Byte,
}

enum Escaped {
    Char(char),
    Byte(u8),
    /// `\` at the end of a line inside a string: the line break and the indentation of
    /// the next line are skipped.
    Continuation,
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    file: u32,
    depth: usize,
    unwrap_variant_newtypes: bool,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())
}

fn is_raw_ident_char(c: char) -> bool {
    is_ident_continue(c) || matches!(c, '.' | '+' | '-')
}

fn is_int_byte(b: u8) -> bool {
    b.is_ascii_hexdigit() || b == b'_'
}

fn is_float_byte(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'e' | b'E' | b'.' | b'+' | b'-' | b'_')
}

fn hex_value(b: u8) -> Option<u32> {
    char::from(b).to_digit(16)
}

fn starts_value(c: char) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || matches!(c, '"' | '\'' | '(' | '[' | '{' | '-' | '+')
}

fn special_float(word: &str) -> Option<f64> {
    match word {
        "inf" | "inff32" | "inff64" => Some(f64::INFINITY),
        "NaN" | "NaNf32" | "NaNf64" => Some(f64::NAN),
        _ => None,
    }
}

/// `s`, cut to `max` characters with an ellipsis.
fn truncate(s: &str, max: usize) -> Cow<'_, str> {
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
    fn scan_bytes(&self, i: usize, pred: fn(u8) -> bool) -> usize {
        let rest = self.bytes.get(i..).unwrap_or_default();
        i + rest.iter().position(|&b| !pred(b)).unwrap_or(rest.len())
    }

    /// First index at or after `i` whose character does not satisfy `pred`.
    fn scan_chars(&self, mut i: usize, pred: fn(char) -> bool) -> usize {
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
                message: format!("unexpected {} after the end of the document", self.found(self.pos)),
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

    fn ident_value(&mut self, start: usize, (ns, ne, end): (usize, usize, usize)) -> PResult<Value> {
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
                Some("write `Some(value)`; options are implicit, so the bare value works too".to_owned()),
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
                ValueKind::Tuple { name: None, mut items } if items.len() == 1 => match items.pop() {
                    Some(item) => item,
                    None => Value { kind: ValueKind::Unit, span },
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
        let mut fields: Vec<(Ident, Value)> = Vec::new();
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
            fields.push((
                Ident {
                    name: fname.to_owned(),
                    span: self.span(fstart, fend),
                },
                value,
            ));
            match &mut index {
                Some(map) => {
                    map.insert(fname, fstart);
                }
                None if fields.len() > LINEAR_DUPLICATE_CHECK => {
                    index = Some(
                        fields
                            .iter()
                            .map(|(id, _)| {
                                let written = self.slice(id.span.start as usize, id.span.end as usize);
                                let name = written.strip_prefix("r#").unwrap_or(written);
                                (name, id.span.start as usize)
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
        Ok(ValueKind::Struct { name, fields })
    }

    fn field_name_error(&self, open: usize) -> SyntaxError {
        let pos = self.pos;
        match self.peek() {
            None => self.err_found(pos, "expected a field name or `)`", Some(self.unclosed_help(open))),
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
        let mut items = Vec::new();
        loop {
            if self.peek() == Some(b')') {
                break;
            }
            items.push(self.value()?);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws()?;
                }
                Some(b')') => break,
                _ => return Err(self.after_entry_error(Ctx::Tuple, open, items.last())),
            }
        }
        Ok(ValueKind::Tuple { name, items })
    }

    fn list(&mut self) -> PResult<Value> {
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        self.skip_ws()?;
        let mut items = Vec::new();
        loop {
            if self.peek() == Some(b']') {
                break;
            }
            items.push(self.value()?);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws()?;
                }
                Some(b']') => break,
                _ => return Err(self.after_entry_error(Ctx::List, open, items.last())),
            }
        }
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
        let mut entries = Vec::new();
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
                Some(_) => return Err(self.err_found(self.pos, "expected `:` after map key", None)),
            }
            self.skip_ws()?;
            if matches!(self.peek(), None | Some(b',' | b'}')) {
                let help = self.peek().is_none().then(|| self.unclosed_help(open));
                return Err(self.err_found(self.pos, "expected a value for this key", help));
            }
            let value = self.value()?;
            entries.push((key, value));
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

    // --- strings and characters --------------------------------------------------------

    fn unterminated(&self, mode: EscapeMode, lit_start: usize) -> SyntaxError {
        match mode {
            EscapeMode::Str => {
                self.err_help(lit_start, lit_start + 1, "unterminated string", "close it with `\"`")
            }
            EscapeMode::Char => self.err_help(
                lit_start,
                lit_start + 1,
                "unterminated character literal",
                "close it with `'`; strings use double quotes",
            ),
            EscapeMode::Byte => {
                self.err_help(lit_start, lit_start + 2, "unterminated byte literal", "close it with `'`")
            }
        }
    }

    /// Reads the escape sequence whose backslash is at `i`; returns it and the index
    /// after it. `lit_start` is where the enclosing literal starts.
    fn escape(&self, i: usize, mode: EscapeMode, lit_start: usize) -> PResult<(Escaped, usize)> {
        let Some(c) = self.char_at(i + 1) else {
            return Err(self.unterminated(mode, lit_start));
        };
        let simple = match c {
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            '0' => Some('\0'),
            '\\' => Some('\\'),
            '"' => Some('"'),
            '\'' => Some('\''),
            _ => None,
        };
        if let Some(ch) = simple {
            return Ok((Escaped::Char(ch), i + 2));
        }
        match c {
            'x' => {
                let first = self.hex_escape(i)?;
                let mut at = i + 4;
                if first.is_ascii() {
                    return Ok((Escaped::Char(char::from(first)), at));
                }
                match mode {
                    EscapeMode::Byte => Ok((Escaped::Byte(first), at)),
                    EscapeMode::Char => Err(self.err_help(
                        i,
                        at,
                        format!("invalid escape `{}` in a character literal", self.slice(i, at)),
                        "`\\x` writes an ASCII character (`\\x00` to `\\x7F`); use `\\u{…}` for others",
                    )),
                    EscapeMode::Str => {
                        // Several `\xNN` escapes may spell one UTF-8 encoded character.
                        let mut buf = [first, 0, 0, 0];
                        for k in 1..4 {
                            if !self.starts_with(at, b"\\x") {
                                break;
                            }
                            buf[k] = self.hex_escape(at)?;
                            at += 4;
                            if let Some(ch) = std::str::from_utf8(&buf[..=k])
                                .ok()
                                .and_then(|s| s.chars().next())
                            {
                                return Ok((Escaped::Char(ch), at));
                            }
                        }
                        Err(self.err_help(
                            i,
                            at,
                            format!("invalid UTF-8 in escape `{}`", self.slice(i, at)),
                            "use `\\u{…}` to write a non-ASCII character",
                        ))
                    }
                }
            }
            'u' => {
                if mode == EscapeMode::Byte {
                    return Err(self.err(i, i + 2, "unicode escapes are not allowed in byte literals"));
                }
                if self.byte(i + 2) != Some(b'{') {
                    return Err(self.err_help(
                        i,
                        i + 2,
                        "invalid unicode escape: expected `{` after `\\u`",
                        "write unicode escapes like `\\u{1F600}`",
                    ));
                }
                let mut j = i + 3;
                let mut code: u32 = 0;
                let mut digits = 0;
                while digits < 6 {
                    match self.byte(j) {
                        Some(b'}') => break,
                        Some(b) => match hex_value(b) {
                            Some(d) => {
                                code = code * 16 + d;
                                digits += 1;
                                j += 1;
                            }
                            None => {
                                let end = j + self.char_at(j).map_or(1, char::len_utf8);
                                return Err(self.err_help(
                                    i,
                                    end,
                                    format!("invalid unicode escape `{}`", self.slice(i, end)),
                                    "a unicode escape holds 1 to 6 hexadecimal digits, like `\\u{1F600}`",
                                ));
                            }
                        },
                        None => return Err(self.unterminated(mode, lit_start)),
                    }
                }
                if digits == 0 {
                    return Err(self.err(i, j + 1, "empty unicode escape `\\u{}`"));
                }
                if self.byte(j) != Some(b'}') {
                    return Err(self.err_help(
                        i,
                        j,
                        format!("invalid unicode escape `{}`", self.slice(i, j)),
                        "a unicode escape holds at most 6 hexadecimal digits and ends with `}`",
                    ));
                }
                j += 1;
                match char::from_u32(code) {
                    Some(ch) => Ok((Escaped::Char(ch), j)),
                    None => Err(self.err(
                        i,
                        j,
                        format!(
                            "invalid unicode escape `{}`: U+{code:X} is not a character",
                            self.slice(i, j)
                        ),
                    )),
                }
            }
            '\n' | '\r' if mode == EscapeMode::Str && (c == '\n' || self.starts_with(i + 1, b"\r\n")) => {
                let mut j = if c == '\n' { i + 2 } else { i + 3 };
                j = self.scan_bytes(j, |b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
                Ok((Escaped::Continuation, j))
            }
            other => {
                let end = i + 1 + other.len_utf8();
                Err(self.err_help(
                    i,
                    end,
                    format!("invalid escape `\\{}`", other.escape_default()),
                    VALID_ESCAPES,
                ))
            }
        }
    }

    /// The byte of the `\xNN` escape at `i`.
    fn hex_escape(&self, i: usize) -> PResult<u8> {
        match (self.byte(i + 2).and_then(hex_value), self.byte(i + 3).and_then(hex_value)) {
            // Two hex digits always fit in a byte.
            (Some(hi), Some(lo)) => Ok((hi * 16 + lo) as u8),
            _ => {
                let end = self.scan_chars(i + 2, |c| c.is_ascii_hexdigit()).min(i + 4);
                Err(self.err_help(
                    i,
                    end.max(i + 2),
                    format!("invalid escape `{}`", self.slice(i, end.max(i + 2))),
                    "`\\x` must be followed by two hexadecimal digits, like `\\x41`",
                ))
            }
        }
    }

    fn string(&mut self) -> PResult<Value> {
        let start = self.pos;
        let mut i = start + 1;
        let mut segment = i;
        let mut owned: Option<String> = None;
        loop {
            let rest = self.bytes.get(i..).unwrap_or_default();
            let Some(k) = rest.iter().position(|&b| b == b'"' || b == b'\\') else {
                return Err(self.unterminated(EscapeMode::Str, start));
            };
            i += k;
            if self.byte(i) == Some(b'"') {
                let text = self.slice(segment, i);
                let s = match owned {
                    None => text.to_owned(),
                    Some(mut s) => {
                        s.push_str(text);
                        s
                    }
                };
                self.pos = i + 1;
                return Ok(Value {
                    kind: ValueKind::Str(s),
                    span: self.span(start, self.pos),
                });
            }
            let s = owned.get_or_insert_with(String::new);
            s.push_str(self.slice(segment, i));
            let (escaped, next) = self.escape(i, EscapeMode::Str, start)?;
            match escaped {
                Escaped::Char(c) => s.push(c),
                Escaped::Byte(b) => s.push(char::from(b)),
                Escaped::Continuation => {}
            }
            i = next;
            segment = next;
        }
    }

    /// `r"…"`, `r#"…"#`, …; `self.pos` is at the `r`.
    fn raw_string(&mut self) -> PResult<Value> {
        let start = self.pos;
        let quote = self.scan_bytes(start + 1, |b| b == b'#');
        let hashes = quote - (start + 1);
        if self.byte(quote) != Some(b'"') {
            return Err(self.err_help(
                start,
                quote,
                format!("expected `\"` after `{}`", self.slice(start, quote)),
                "raw strings are written `r\"…\"` or `r#\"…\"#`",
            ));
        }
        let content = quote + 1;
        let rest = self.src.get(content..).unwrap_or_default();
        let mut terminator = String::with_capacity(hashes + 1);
        terminator.push('"');
        terminator.extend(std::iter::repeat('#').take(hashes));
        match rest.find(terminator.as_str()) {
            Some(k) => {
                let text = self.slice(content, content + k).to_owned();
                self.pos = content + k + terminator.len();
                Ok(Value {
                    kind: ValueKind::Str(text),
                    span: self.span(start, self.pos),
                })
            }
            None => Err(self.err_help(
                start,
                content,
                "unterminated raw string",
                format!("close it with `{terminator}`"),
            )),
        }
    }

    fn char_literal(&mut self) -> PResult<Value> {
        let start = self.pos;
        let Some(c) = self.char_at(start + 1) else {
            return Err(self.unterminated(EscapeMode::Char, start));
        };
        let (ch, after) = if c == '\\' {
            match self.escape(start + 1, EscapeMode::Char, start)? {
                (Escaped::Char(ch), next) => (ch, next),
                (_, next) => return Err(self.err(start, next, "invalid character literal")),
            }
        } else {
            (c, start + 1 + c.len_utf8())
        };
        if self.byte(after) == Some(b'\'') {
            self.pos = after + 1;
            return Ok(Value {
                kind: ValueKind::Char(ch),
                span: self.span(start, self.pos),
            });
        }
        Err(self.char_literal_error(start))
    }

    /// Explains a character literal that is not closed right after one character:
    /// usually a single-quoted string.
    fn char_literal_error(&self, start: usize) -> SyntaxError {
        let rest = self.bytes.get(start + 1..).unwrap_or_default();
        let line = &rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())];
        match line.iter().position(|&b| b == b'\'') {
            Some(k) => {
                let end = start + 1 + k + 1;
                let text = self.slice(start + 1, end - 1);
                self.err_help(
                    start,
                    end,
                    "a character literal holds exactly one character",
                    format!("use double quotes for strings: \"{}\"", truncate(text, 40)),
                )
            }
            None => self.unterminated(EscapeMode::Char, start),
        }
    }

    /// `b'a'`, read as an integer; `self.pos` is at the `b`.
    fn byte_literal(&mut self) -> PResult<Value> {
        let start = self.pos;
        let Some(c) = self.char_at(start + 2) else {
            return Err(self.unterminated(EscapeMode::Byte, start));
        };
        let (byte, after) = if c == '\\' {
            match self.escape(start + 2, EscapeMode::Byte, start)? {
                (Escaped::Byte(b), next) => (b, next),
                (Escaped::Char(ch), next) if ch.is_ascii() => (ch as u8, next),
                (_, next) => return Err(self.err(start, next, "byte literals must be ASCII")),
            }
        } else if c.is_ascii() {
            (c as u8, start + 3)
        } else {
            return Err(self.err(start, start + 2 + c.len_utf8(), "byte literals must be ASCII"));
        };
        if self.byte(after) != Some(b'\'') {
            return Err(self.unterminated(EscapeMode::Byte, start));
        }
        self.pos = after + 1;
        Ok(Value {
            kind: ValueKind::Int(i128::from(byte)),
            span: self.span(start, self.pos),
        })
    }

    // --- numbers -----------------------------------------------------------------------

    /// A number literal. Which text is an integer and which a float follows `ron`:
    /// the longer of the run of float characters and the run of integer characters wins.
    fn number(&mut self) -> PResult<Value> {
        let start = self.pos;
        if self.starts_with(start, b"..") {
            return Err(self.range_error(start));
        }
        let neg = self.byte(start) == Some(b'-');
        let digits = if matches!(self.byte(start), Some(b'+' | b'-')) {
            start + 1
        } else {
            start
        };
        if digits > start {
            if let Some((ns, ne, end)) = self.lex_ident(digits) {
                if let Some(f) = special_float(self.slice(ns, ne)).filter(|_| ns == digits) {
                    self.pos = end;
                    return Ok(Value {
                        kind: ValueKind::Float(if neg { -f } else { f }),
                        span: self.span(start, end),
                    });
                }
            }
        }
        let radix = if self.starts_with(digits, b"0x") {
            Some(16)
        } else if self.starts_with(digits, b"0o") {
            Some(8)
        } else if self.starts_with(digits, b"0b") {
            Some(2)
        } else {
            None
        };
        let kind = match radix {
            Some(radix) => self.integer(start, neg, digits + 2, radix)?,
            None => {
                let float_len = self.float_run(digits) - digits;
                let int_len = self.scan_bytes(digits, is_int_byte) - digits;
                if float_len > int_len {
                    self.float(start)?
                } else {
                    self.decimal(start, neg, digits, digits + int_len)?
                }
            }
        };
        Ok(Value {
            kind,
            span: self.span(start, self.pos),
        })
    }

    /// End of the run of float characters at `i`, stopping before any `..`.
    fn float_run(&self, i: usize) -> usize {
        let end = self.scan_bytes(i, is_float_byte);
        let run = self.bytes.get(i..end).unwrap_or_default();
        i + run.windows(2).position(|w| w == b"..").unwrap_or(run.len())
    }

    /// `f32` / `f64` right at `i`, not followed by more identifier characters.
    fn float_suffix(&self, i: usize) -> Option<&'static str> {
        ["f32", "f64"].into_iter().find(|s| {
            self.starts_with(i, s.as_bytes())
                && !self.char_at(i + 3).is_some_and(is_ident_continue)
        })
    }

    /// An integer type suffix (`u8`, `i64`, …) at `i`, and the index after it.
    fn int_suffix(&self, i: usize) -> Option<(&'static str, usize)> {
        if !matches!(self.byte(i), Some(b'i' | b'u')) {
            return None;
        }
        let end = self.scan_chars(i, is_ident_continue);
        let word = self.slice(i, end);
        INT_SUFFIXES.iter().find(|s| **s == word).map(|s| (*s, end))
    }

    fn invalid_number(&self, start: usize, end: usize) -> SyntaxError {
        let end = end.max(start + 1);
        self.err(start, end, format!("invalid number `{}`", truncate(self.slice(start, end), 40)))
    }

    fn out_of_range(&self, start: usize, end: usize) -> SyntaxError {
        self.err_help(
            start,
            end,
            "integer out of range",
            "integers must fit in a 128-bit signed integer",
        )
    }

    /// A float literal starting at `start` (sign included).
    fn float(&mut self, start: usize) -> PResult<ValueKind> {
        let end = self.float_run(start);
        if end == start {
            return Err(self.invalid_number(start, end));
        }
        let text = self.slice(start, end);
        let cleaned: Cow<'_, str> = if text.contains('_') {
            let mut s = String::with_capacity(text.len());
            let mut underscore_ok = false;
            for c in text.chars() {
                match c {
                    '_' if underscore_ok => continue,
                    '_' => {
                        return Err(self.err_help(
                            start,
                            end,
                            format!("invalid number `{}`", truncate(text, 40)),
                            "`_` may only follow a digit",
                        ))
                    }
                    '0'..='9' | 'e' | 'E' => underscore_ok = true,
                    '.' => underscore_ok = false,
                    _ => {}
                }
                s.push(c);
            }
            Cow::Owned(s)
        } else {
            Cow::Borrowed(text)
        };
        let (parsed, end) = match self.float_suffix(end) {
            Some("f32") => (cleaned.parse::<f32>().map(f64::from), end + 3),
            Some(_) => (cleaned.parse::<f64>(), end + 3),
            None => (cleaned.parse::<f64>(), end),
        };
        match parsed {
            Ok(f) => {
                self.pos = end;
                Ok(ValueKind::Float(f))
            }
            Err(_) => Err(self.invalid_number(start, end)),
        }
    }

    /// A decimal integer whose digits are `digits..end` (letters may be among them).
    fn decimal(&mut self, start: usize, neg: bool, digits: usize, end: usize) -> PResult<ValueKind> {
        if end == digits {
            let sign = self.slice(start, digits);
            return Err(self.err_found(digits, &format!("expected a number after `{sign}`"), None));
        }
        if self.byte(digits) == Some(b'_') {
            return Err(self.err_help(
                start,
                end,
                format!("invalid number `{}`", self.slice(start, end)),
                "a number cannot start with `_`",
            ));
        }
        if let Some((suffix, after)) = self.int_suffix(end) {
            return self.suffixed(start, neg, digits, end, 10, suffix, after);
        }
        let text = self.bytes.get(digits..end).unwrap_or_default();
        if text.iter().any(|b| !(b.is_ascii_digit() || *b == b'_')) {
            // `1e5`, `2E3` and `1f32` are floats after all.
            let saved = self.pos;
            if let Ok(kind) = self.float(start) {
                if self.pos >= end {
                    return Ok(kind);
                }
            }
            self.pos = saved;
            return Err(self.invalid_number(start, self.scan_chars(end, is_ident_continue)));
        }
        let magnitude = self.magnitude(start, digits, end, 10)?;
        let value = apply_sign(neg, magnitude).ok_or_else(|| self.out_of_range(start, end))?;
        self.pos = end;
        Ok(ValueKind::Int(value))
    }

    /// `0x…`, `0o…`, `0b…`; the digits start at `digits`.
    fn integer(&mut self, start: usize, neg: bool, digits: usize, radix: u32) -> PResult<ValueKind> {
        let end = self.scan_bytes(digits, is_int_byte);
        if end == digits {
            return Err(self.err_found(
                digits,
                &format!("expected digits after `{}`", self.slice(start, digits)),
                None,
            ));
        }
        if self.byte(digits) == Some(b'_') {
            return Err(self.err_help(
                start,
                end,
                format!("invalid number `{}`", self.slice(start, end)),
                "the digits cannot start with `_`",
            ));
        }
        if let Some((suffix, after)) = self.int_suffix(end) {
            return self.suffixed(start, neg, digits, end, radix, suffix, after);
        }
        let magnitude = self.magnitude(start, digits, end, radix)?;
        let value = apply_sign(neg, magnitude).ok_or_else(|| self.out_of_range(start, end))?;
        self.pos = end;
        Ok(ValueKind::Int(value))
    }

    /// The value of the digits `digits..end` in `radix` (underscores ignored).
    fn magnitude(&self, start: usize, digits: usize, end: usize, radix: u32) -> PResult<u128> {
        let mut value: u128 = 0;
        for (k, &b) in self.bytes.get(digits..end).unwrap_or_default().iter().enumerate() {
            if b == b'_' {
                continue;
            }
            let digit = match char::from(b).to_digit(radix) {
                Some(d) => d,
                None => {
                    let kind = match radix {
                        2 => "binary",
                        8 => "octal",
                        16 => "hexadecimal",
                        _ => "decimal",
                    };
                    return Err(self.err(
                        digits + k,
                        digits + k + 1,
                        format!("invalid digit `{}` in a {kind} number", char::from(b)),
                    ));
                }
            };
            value = value
                .checked_mul(u128::from(radix))
                .and_then(|v| v.checked_add(u128::from(digit)))
                .ok_or_else(|| self.out_of_range(start, end))?;
        }
        Ok(value)
    }

    /// An integer with a type suffix, range-checked against that type.
    #[allow(clippy::too_many_arguments)]
    fn suffixed(
        &mut self,
        start: usize,
        neg: bool,
        digits: usize,
        end: usize,
        radix: u32,
        suffix: &str,
        after: usize,
    ) -> PResult<ValueKind> {
        let magnitude = self.magnitude(start, digits, end, radix)?;
        let value = apply_sign(neg, magnitude).ok_or_else(|| self.out_of_range(start, after))?;
        let (min, max): (i128, i128) = match suffix {
            "i8" => (i8::MIN.into(), i8::MAX.into()),
            "i16" => (i16::MIN.into(), i16::MAX.into()),
            "i32" => (i32::MIN.into(), i32::MAX.into()),
            "i64" => (i64::MIN.into(), i64::MAX.into()),
            "u8" => (0, u8::MAX.into()),
            "u16" => (0, u16::MAX.into()),
            "u32" => (0, u32::MAX.into()),
            _ => (0, u64::MAX.into()),
        };
        if value < min || value > max {
            return Err(self.err_help(
                start,
                after,
                format!("integer {value} out of range for {suffix}"),
                format!("`{suffix}` holds values from {min} to {max}"),
            ));
        }
        self.pos = after;
        Ok(ValueKind::Int(value))
    }
}

fn apply_sign(neg: bool, magnitude: u128) -> Option<i128> {
    if neg {
        // `i128::MIN` has no positive counterpart, hence the detour.
        (magnitude <= i128::MIN.unsigned_abs()).then(|| (magnitude as i128).wrapping_neg())
    } else {
        i128::try_from(magnitude).ok()
    }
}

// ---------------------------------------------------------------------------------------
// Suggestions
// ---------------------------------------------------------------------------------------

/// Optimal string alignment distance: edits are insertions, deletions, substitutions
/// and swaps of two neighbouring characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// The candidate closest to `typed`, if it is close enough to be a likely typo.
fn did_you_mean<'c>(typed: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let typed_lower = typed.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&typed_lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| {
            let len = typed.chars().count().max(c.chars().count());
            *d <= 2 && 2 * d <= len
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn expected_list(names: &[&str], what: &str) -> String {
    match names {
        [] => format!("there are no {what}s"),
        [one] => format!("expected `{one}`"),
        _ => format!("expected one of {}", backticked(names)),
    }
}

// ---------------------------------------------------------------------------------------
// Deserialization errors
// ---------------------------------------------------------------------------------------

/// Marks an error created by a visitor that has not yet been given a position; the
/// deserializer of the innermost value fills in its span on the way out.
const NO_SPAN: Span = Span::new(u32::MAX, u32::MAX, u32::MAX);

/// A deserialization error at the value that caused it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl DeError {
    /// An error at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        DeError {
            span,
            message: message.into(),
            help: None,
        }
    }

    /// The same error with a hint on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn unspanned(message: impl Into<String>) -> Self {
        DeError::new(NO_SPAN, message)
    }

    /// Sets the span unless an inner value already did.
    fn or_span(mut self, span: Span) -> Self {
        if self.span == NO_SPAN {
            self.span = span;
        }
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::unspanned(msg.to_string())
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::unspanned(format!("expected {exp}, found {unexp}"))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::unspanned(format!("invalid value: expected {exp}, found {unexp}"))
    }

    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        let s = if len == 1 { "" } else { "s" };
        DeError::unspanned(format!("expected {exp}, found {len} element{s}"))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let mut e = DeError::unspanned(format!(
            "unknown variant `{variant}`, {}",
            expected_list(expected, "variant")
        ));
        if let Some(s) = did_you_mean(variant, expected) {
            e.help = Some(format!("did you mean `{s}`?"));
        }
        e
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        let mut e = DeError::unspanned(format!(
            "unknown field `{field}`, {}",
            expected_list(expected, "field")
        ));
        if let Some(s) = did_you_mean(field, expected) {
            e.help = Some(format!("did you mean `{s}`?"));
        }
        e
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::unspanned(format!("missing field `{field}`"))
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::unspanned(format!("duplicate field `{field}`"))
    }
}

// ---------------------------------------------------------------------------------------
// Deserializer
// ---------------------------------------------------------------------------------------

/// Deserialize a typed value from a (sub)tree.
pub fn from_value<'de, T: Deserialize<'de>>(v: &'de Value) -> Result<T, DeError> {
    T::deserialize(ValueDeserializer::new(v)).map_err(|e| e.or_span(v.span))
}

/// A serde [`Deserializer`](serde::Deserializer) over one [`Value`]; see [`from_value`].
#[derive(Clone, Copy, Debug)]
pub struct ValueDeserializer<'de> {
    value: &'de Value,
    /// Ignore the name of a struct or tuple: it named the enum variant around it.
    unnamed: bool,
}

impl<'de> ValueDeserializer<'de> {
    pub fn new(value: &'de Value) -> Self {
        ValueDeserializer {
            value,
            unnamed: false,
        }
    }

    fn span(&self) -> Span {
        self.value.span
    }

    fn name(&self) -> Option<&'de Ident> {
        if self.unnamed {
            return None;
        }
        match &self.value.kind {
            ValueKind::Struct { name, .. } | ValueKind::Tuple { name, .. } => name.as_ref(),
            _ => None,
        }
    }

    fn wrap<T>(&self, result: Result<T, DeError>) -> Result<T, DeError> {
        result.map_err(|e| e.or_span(self.value.span))
    }

    fn describe(&self) -> String {
        match &self.value.kind {
            ValueKind::Unit => "`()`".to_owned(),
            ValueKind::Bool(b) => format!("`{b}`"),
            ValueKind::Int(i) => format!("integer `{i}`"),
            ValueKind::Float(f) => format!("number `{f}`"),
            ValueKind::Char(c) => format!("character {c:?}"),
            ValueKind::Str(s) => format!("string {:?}", truncate(s, 40)),
            ValueKind::Option(None) => "`None`".to_owned(),
            ValueKind::Option(Some(_)) => "`Some(…)`".to_owned(),
            ValueKind::List(_) => "a list".to_owned(),
            ValueKind::Map(_) => "a map".to_owned(),
            ValueKind::Struct { .. } => match self.name() {
                Some(n) => format!("struct `{}`", n.name),
                None => "a struct".to_owned(),
            },
            ValueKind::Tuple { .. } => match self.name() {
                Some(n) => format!("`{}(…)`", n.name),
                None => "a tuple".to_owned(),
            },
            ValueKind::Ident(s) => format!("`{s}`"),
        }
    }

    fn type_error(&self, exp: &dyn Expected) -> DeError {
        DeError::new(self.span(), format!("expected {exp}, found {}", self.describe()))
    }

    /// A name before the parentheses must be the expected one.
    fn check_name(&self, expected: &str) -> Result<(), DeError> {
        match self.name() {
            Some(n) if n.name != expected => Err(DeError::new(
                n.span,
                format!("expected `{expected}`, found `{}`", n.name),
            )
            .with_help(format!("write `{expected}(…)`, or leave the name out"))),
            _ => Ok(()),
        }
    }

    fn visit_items<V: Visitor<'de>>(&self, items: &'de [Value], visitor: V) -> Result<V::Value, DeError> {
        let mut seq = Items {
            iter: items.iter(),
            taken: 0,
        };
        let out = self.wrap(visitor.visit_seq(&mut seq))?;
        match seq.iter.next() {
            Some(extra) => Err(DeError::new(
                extra.span,
                format!("too many elements: expected {}, found {}", seq.taken, items.len()),
            )),
            None => Ok(out),
        }
    }

    fn visit_fields<V: Visitor<'de>>(
        &self,
        fields: &'de [(Ident, Value)],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let mut access = StructFields {
            iter: fields.iter(),
            value: None,
            last_key: None,
        };
        let result = visitor.visit_map(&mut access);
        let out = self.wrap(result.map_err(|e| locate_duplicate(e, access.last_key)))?;
        match access.iter.next() {
            Some((extra, _)) => Err(DeError::new(extra.span, format!("unexpected field `{}`", extra.name))),
            None => Ok(out),
        }
    }

    fn visit_entries<V: Visitor<'de>>(
        &self,
        entries: &'de [(Value, Value)],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let mut access = MapEntries {
            iter: entries.iter(),
            value: None,
            last_key: None,
        };
        let result = visitor.visit_map(&mut access);
        let out = self.wrap(result.map_err(|e| locate_duplicate(e, access.last_key)))?;
        match access.iter.next() {
            Some((extra, _)) => Err(DeError::new(extra.span, "unexpected map entry")),
            None => Ok(out),
        }
    }

    fn visit_int<V: Visitor<'de>>(&self, i: i128, visitor: V) -> Result<V::Value, DeError> {
        let result = if let Ok(u) = u64::try_from(i) {
            visitor.visit_u64(u)
        } else if let Ok(s) = i64::try_from(i) {
            visitor.visit_i64(s)
        } else if let Ok(u) = u128::try_from(i) {
            visitor.visit_u128(u)
        } else {
            visitor.visit_i128(i)
        };
        self.wrap(result)
    }
}

/// Serde reports a duplicate key after reading it; point at that key.
fn locate_duplicate(e: DeError, last_key: Option<Span>) -> DeError {
    match last_key {
        Some(span) if e.span == NO_SPAN && e.message.starts_with("duplicate field") => e.or_span(span),
        _ => e,
    }
}

macro_rules! deserialize_int {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match &self.value.kind {
                ValueKind::Int(i) => match <$ty>::try_from(*i) {
                    Ok(x) => self.wrap(visitor.$visit(x)),
                    Err(_) => Err(DeError::new(
                        self.span(),
                        format!("integer {} out of range for {}", i, stringify!($ty)),
                    )
                    .with_help(format!(
                        "`{}` holds values from {} to {}",
                        stringify!($ty),
                        <$ty>::MIN,
                        <$ty>::MAX
                    ))),
                },
                _ => Err(self.type_error(&visitor)),
            }
        }
    };
}

impl<'de> de::Deserializer<'de> for ValueDeserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match &self.value.kind {
            ValueKind::Unit => visitor.visit_unit(),
            ValueKind::Bool(b) => visitor.visit_bool(*b),
            ValueKind::Int(i) => return self.visit_int(*i, visitor),
            ValueKind::Float(f) => visitor.visit_f64(*f),
            ValueKind::Char(c) => visitor.visit_char(*c),
            ValueKind::Str(s) | ValueKind::Ident(s) => visitor.visit_borrowed_str(s),
            ValueKind::Option(None) => visitor.visit_none(),
            ValueKind::Option(Some(inner)) => visitor.visit_some(ValueDeserializer::new(inner)),
            ValueKind::List(items) | ValueKind::Tuple { items, .. } => {
                return self.visit_items(items, visitor)
            }
            ValueKind::Map(entries) => return self.visit_entries(entries, visitor),
            ValueKind::Struct { fields, .. } => return self.visit_fields(fields, visitor),
        };
        self.wrap(result)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Bool(b) => self.wrap(visitor.visit_bool(*b)),
            _ => Err(self.type_error(&visitor)),
        }
    }

    deserialize_int!(deserialize_i8, visit_i8, i8);
    deserialize_int!(deserialize_i16, visit_i16, i16);
    deserialize_int!(deserialize_i32, visit_i32, i32);
    deserialize_int!(deserialize_i64, visit_i64, i64);
    deserialize_int!(deserialize_i128, visit_i128, i128);
    deserialize_int!(deserialize_u8, visit_u8, u8);
    deserialize_int!(deserialize_u16, visit_u16, u16);
    deserialize_int!(deserialize_u32, visit_u32, u32);
    deserialize_int!(deserialize_u64, visit_u64, u64);
    deserialize_int!(deserialize_u128, visit_u128, u128);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Float(f) => self.wrap(visitor.visit_f32(*f as f32)),
            ValueKind::Int(i) => self.wrap(visitor.visit_f32(*i as f32)),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Float(f) => self.wrap(visitor.visit_f64(*f)),
            ValueKind::Int(i) => self.wrap(visitor.visit_f64(*i as f64)),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Char(c) => self.wrap(visitor.visit_char(*c)),
            ValueKind::Str(s) if s.chars().count() == 1 => self.wrap(visitor.visit_borrowed_str(s)),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Str(s) => self.wrap(visitor.visit_borrowed_str(s)),
            ValueKind::Char(c) => self.wrap(visitor.visit_str(c.encode_utf8(&mut [0; 4]))),
            ValueKind::Ident(s) => Err(self
                .type_error(&visitor)
                .with_help(format!("strings are written in double quotes: \"{s}\""))),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Str(s) => self.wrap(visitor.visit_borrowed_bytes(s.as_bytes())),
            ValueKind::List(items) => self.visit_items(items, visitor),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match &self.value.kind {
            ValueKind::Option(None) => visitor.visit_none(),
            ValueKind::Option(Some(inner)) => visitor.visit_some(ValueDeserializer::new(inner)),
            // implicit `Some`
            _ => visitor.visit_some(self),
        };
        self.wrap(result)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Unit => self.wrap(visitor.visit_unit()),
            ValueKind::Tuple { items, .. } if items.is_empty() && self.name().is_none() => {
                self.wrap(visitor.visit_unit())
            }
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Unit => self.wrap(visitor.visit_unit()),
            ValueKind::Ident(s) if s == name => self.wrap(visitor.visit_unit()),
            ValueKind::Ident(s) => Err(DeError::new(self.span(), format!("expected `{name}`, found `{s}`"))),
            ValueKind::Tuple { items, .. } if items.is_empty() => {
                self.check_name(name)?;
                self.wrap(visitor.visit_unit())
            }
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value.kind {
            // `Name(v)` or `(v)`; a different name belongs to the inner value.
            ValueKind::Tuple { items, .. }
                if items.len() == 1 && self.name().map_or(true, |n| n.name == name) =>
            {
                self.wrap(visitor.visit_newtype_struct(ValueDeserializer::new(&items[0])))
            }
            // bare `v`
            _ => self.wrap(visitor.visit_newtype_struct(self)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::List(items) => self.visit_items(items, visitor),
            ValueKind::Tuple { items, .. } if self.name().is_none() => self.visit_items(items, visitor),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::List(items) | ValueKind::Tuple { items, .. } => self.visit_items(items, visitor),
            ValueKind::Unit if len == 0 => self.visit_items(&[], visitor),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Tuple { items, .. } => {
                self.check_name(name)?;
                self.visit_items(items, visitor)
            }
            ValueKind::List(items) => self.visit_items(items, visitor),
            ValueKind::Unit if len == 0 => self.visit_items(&[], visitor),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Map(entries) => self.visit_entries(entries, visitor),
            ValueKind::Struct { fields, .. } if self.name().is_none() => self.visit_fields(fields, visitor),
            ValueKind::Unit => self.visit_fields(&[], visitor),
            ValueKind::Tuple { items, .. } if items.is_empty() && self.name().is_none() => {
                self.visit_fields(&[], visitor)
            }
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED_NAME && fields == SPANNED_FIELDS {
            return self.wrap(visitor.visit_map(SpannedAccess::new(self.span(), self)));
        }
        match &self.value.kind {
            ValueKind::Struct { fields, .. } => {
                self.check_name(name)?;
                self.visit_fields(fields, visitor)
            }
            ValueKind::Map(entries) => self.visit_entries(entries, visitor),
            ValueKind::Tuple { items, .. } => {
                self.check_name(name)?;
                if items.is_empty() {
                    self.visit_fields(&[], visitor)
                } else {
                    self.visit_items(items, visitor)
                }
            }
            ValueKind::Unit => self.visit_fields(&[], visitor),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let v = self.value;
        let (variant, span): (&'de str, Span) = match &v.kind {
            ValueKind::Ident(s) | ValueKind::Str(s) => (s, v.span),
            ValueKind::Option(None) => ("None", v.span),
            ValueKind::Option(Some(_)) => ("Some", Span::new(v.span.file, v.span.start, v.span.start + 4)),
            ValueKind::Struct { .. } | ValueKind::Tuple { .. } => match self.name() {
                Some(n) => (&n.name, n.span),
                None => {
                    return Err(DeError::new(
                        v.span,
                        format!("expected a variant of enum `{name}`, found {}", self.describe()),
                    )
                    .with_help(format!(
                        "write the variant name before the parentheses, e.g. `{}(…)`",
                        variants.first().copied().unwrap_or("Variant")
                    )))
                }
            },
            _ => return Err(self.type_error(&visitor)),
        };
        self.wrap(visitor.visit_enum(EnumRef {
            de: self,
            variant,
            span,
        }))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Ident(s) | ValueKind::Str(s) => self.wrap(visitor.visit_borrowed_str(s)),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.wrap(visitor.visit_unit())
    }
}

impl<'de> IntoDeserializer<'de, DeError> for ValueDeserializer<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> IntoDeserializer<'de, DeError> for &'de Value {
    type Deserializer = ValueDeserializer<'de>;

    fn into_deserializer(self) -> ValueDeserializer<'de> {
        ValueDeserializer::new(self)
    }
}

/// List or tuple elements.
struct Items<'de> {
    iter: slice::Iter<'de, Value>,
    taken: usize,
}

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = DeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, DeError> {
        match self.iter.next() {
            Some(v) => {
                self.taken += 1;
                seed.deserialize(ValueDeserializer::new(v))
                    .map(Some)
                    .map_err(|e| e.or_span(v.span))
            }
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// Struct fields: keys are the field names.
struct StructFields<'de> {
    iter: slice::Iter<'de, (Ident, Value)>,
    value: Option<&'de Value>,
    last_key: Option<Span>,
}

impl<'de> MapAccess<'de> for StructFields<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                self.last_key = Some(key.span);
                seed.deserialize(KeyDeserializer {
                    name: &key.name,
                    span: key.span,
                })
                .map(Some)
                .map_err(|e| e.or_span(key.span))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        match self.value.take() {
            Some(v) => seed
                .deserialize(ValueDeserializer::new(v))
                .map_err(|e| e.or_span(v.span)),
            None => Err(DeError::unspanned("a field value was requested before its name")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// Map entries: keys are values.
struct MapEntries<'de> {
    iter: slice::Iter<'de, (Value, Value)>,
    value: Option<&'de Value>,
    last_key: Option<Span>,
}

impl<'de> MapAccess<'de> for MapEntries<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                self.last_key = Some(key.span);
                seed.deserialize(ValueDeserializer::new(key))
                    .map(Some)
                    .map_err(|e| e.or_span(key.span))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        match self.value.take() {
            Some(v) => seed
                .deserialize(ValueDeserializer::new(v))
                .map_err(|e| e.or_span(v.span)),
            None => Err(DeError::unspanned("a map value was requested before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// A field or variant name.
#[derive(Clone, Copy)]
struct KeyDeserializer<'de> {
    name: &'de str,
    span: Span,
}

impl<'de> de::Deserializer<'de> for KeyDeserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_borrowed_str(self.name)
            .map_err(|e: DeError| e.or_span(self.span))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self).map_err(|e| e.or_span(self.span))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| e.or_span(self.span))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED_NAME && fields == SPANNED_FIELDS {
            return visitor
                .visit_map(SpannedAccess::new(self.span, self))
                .map_err(|e| e.or_span(self.span));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor
            .visit_enum(de::value::BorrowedStrDeserializer::<DeError>::new(self.name))
            .map_err(|e| e.or_span(self.span))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// The variant of an enum value.
struct EnumRef<'de> {
    de: ValueDeserializer<'de>,
    variant: &'de str,
    /// Where the variant name is written.
    span: Span,
}

impl<'de> EnumRef<'de> {
    fn shape_error(&self, message: String, help: String) -> DeError {
        DeError::new(self.de.span(), message).with_help(help)
    }
}

impl<'de> EnumAccess<'de> for EnumRef<'de> {
    type Error = DeError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), DeError> {
        let key = KeyDeserializer {
            name: self.variant,
            span: self.span,
        };
        let value = seed.deserialize(key).map_err(|e| e.or_span(self.span))?;
        Ok((value, self))
    }
}

impl<'de> VariantAccess<'de> for EnumRef<'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        match &self.de.value.kind {
            ValueKind::Ident(_) | ValueKind::Str(_) | ValueKind::Option(None) => Ok(()),
            ValueKind::Tuple { items, .. } if items.is_empty() => Ok(()),
            _ => Err(self.shape_error(
                format!("variant `{}` takes no value", self.variant),
                format!("write just `{}`", self.variant),
            )),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, DeError> {
        let de = self.de;
        match &de.value.kind {
            ValueKind::Tuple { items, .. } if items.len() == 1 => seed
                .deserialize(ValueDeserializer::new(&items[0]))
                .map_err(|e| e.or_span(items[0].span)),
            ValueKind::Option(Some(inner)) => seed
                .deserialize(ValueDeserializer::new(inner))
                .map_err(|e| e.or_span(inner.span)),
            // `Variant(a: 1)` / `Variant(1, 2)`: the parentheses belong to the inner value.
            ValueKind::Tuple { .. } | ValueKind::Struct { .. } => seed
                .deserialize(ValueDeserializer {
                    value: de.value,
                    unnamed: true,
                })
                .map_err(|e| e.or_span(de.span())),
            _ => Err(self.shape_error(
                format!("variant `{}` needs a value", self.variant),
                format!("write `{}(…)`", self.variant),
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, DeError> {
        match &self.de.value.kind {
            ValueKind::Tuple { items, .. } => self.de.visit_items(items, visitor),
            _ => Err(self.shape_error(
                format!("variant `{}` needs {len} values", self.variant),
                format!("write `{}({})`", self.variant, vec!["…"; len].join(", ")),
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.de.value.kind {
            ValueKind::Struct { fields, .. } => self.de.visit_fields(fields, visitor),
            ValueKind::Tuple { items, .. } if items.is_empty() => self.de.visit_fields(&[], visitor),
            _ => Err(self.shape_error(
                format!("variant `{}` has named fields", self.variant),
                format!(
                    "write `{}({}: …)`",
                    self.variant,
                    fields.first().copied().unwrap_or("field")
                ),
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Spanned
// ---------------------------------------------------------------------------------------

/// A value together with where it was written.
///
/// Works like `toml`'s `serde_spanned`: it asks the deserializer for a struct with a
/// private name, which [`ValueDeserializer`] answers with the span and the value. With
/// other deserializers, plain values (strings, numbers, …) deserialize with a default
/// span. Like every such trick it does not survive serde's buffering
/// (`#[serde(flatten)]`, untagged or internally tagged enums).
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

const SPANNED_NAME: &str = "$__revarch_private_Spanned";
const SPANNED_FILE: &str = "$__revarch_private_file";
const SPANNED_START: &str = "$__revarch_private_start";
const SPANNED_END: &str = "$__revarch_private_end";
const SPANNED_VALUE: &str = "$__revarch_private_value";
const SPANNED_FIELDS: &[&str] = &[SPANNED_FILE, SPANNED_START, SPANNED_END, SPANNED_VALUE];

/// Feeds `{file, start, end, value}` to the [`Spanned`] visitor.
struct SpannedAccess<D> {
    span: Span,
    inner: Option<D>,
    state: u8,
}

impl<D> SpannedAccess<D> {
    fn new(span: Span, inner: D) -> Self {
        SpannedAccess {
            span,
            inner: Some(inner),
            state: 0,
        }
    }
}

impl<'de, D: de::Deserializer<'de, Error = DeError>> MapAccess<'de> for SpannedAccess<D> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DeError> {
        let key = match self.state {
            0 => SPANNED_FILE,
            1 => SPANNED_START,
            2 => SPANNED_END,
            3 => SPANNED_VALUE,
            _ => return Ok(None),
        };
        seed.deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(key))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        let state = self.state;
        self.state = self.state.saturating_add(1);
        let number = |n: u32| IntoDeserializer::<'de, DeError>::into_deserializer(n);
        match state {
            0 => seed.deserialize(number(self.span.file)),
            1 => seed.deserialize(number(self.span.start)),
            2 => seed.deserialize(number(self.span.end)),
            _ => match self.inner.take() {
                Some(inner) => seed.deserialize(inner),
                None => Err(DeError::unspanned("a spanned value was read twice")),
            },
        }
    }
}

enum SpannedKey {
    File,
    Start,
    End,
    Value,
}

impl<'de> Deserialize<'de> for SpannedKey {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = SpannedKey;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a spanned value")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<SpannedKey, E> {
                match v {
                    SPANNED_FILE => Ok(SpannedKey::File),
                    SPANNED_START => Ok(SpannedKey::Start),
                    SPANNED_END => Ok(SpannedKey::End),
                    SPANNED_VALUE => Ok(SpannedKey::Value),
                    _ => Err(E::custom("spanned values are only supported by revarch's RON reader")),
                }
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

struct SpannedVisitor<T>(PhantomData<T>);

impl<T> SpannedVisitor<T> {
    fn plain<E>(value: Result<T, E>) -> Result<Spanned<T>, E> {
        value.map(|value| Spanned {
            value,
            span: Span::default(),
        })
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for SpannedVisitor<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
        let (mut file, mut start, mut end, mut value) = (0, 0, 0, None);
        while let Some(key) = map.next_key::<SpannedKey>()? {
            match key {
                SpannedKey::File => file = map.next_value()?,
                SpannedKey::Start => start = map.next_value()?,
                SpannedKey::End => end = map.next_value()?,
                SpannedKey::Value => value = Some(map.next_value()?),
            }
        }
        match value {
            Some(value) => Ok(Spanned {
                value,
                span: Span::new(file, start, end),
            }),
            None => Err(de::Error::missing_field(SPANNED_VALUE)),
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_char<E: de::Error>(self, v: char) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(de::value::BorrowedStrDeserializer::new(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(().into_deserializer()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Spanned<T>, A::Error> {
        Self::plain(T::deserialize(de::value::SeqAccessDeserializer::new(seq)))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct(SPANNED_NAME, SPANNED_FIELDS, SpannedVisitor(PhantomData))
    }
}
