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
//! instead of silently becoming floats; `Some` must be followed by `(` even with
//! `implicit_some` enabled; a leading BOM is accepted. The differential tests list these
//! cases explicitly.
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
    /// Index of the file in the loader's file table.
    pub file: u32,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset just past the last byte.
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
    /// The name, without the `r#` of a raw identifier.
    pub name: String,
    /// Where it is written, `r#` included.
    pub span: Span,
}

/// One parsed RON value and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// What was written.
    pub kind: ValueKind,
    /// Where: the whole value, e.g. all of `Name(…)` or `-1.5`.
    pub span: Span,
}

/// The shape of a [`Value`].
#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    /// `()`
    Unit,
    /// `true` / `false`
    Bool(bool),
    /// `42`, `-0x1F`, `1_000`, `b'a'`, `7u8`
    Int(i128),
    /// `1.5`, `1e3`, `inf`, `NaN`
    Float(f64),
    /// `'a'`
    Char(char),
    /// `"text"` or `r#"raw"#`, escapes resolved
    Str(String),
    /// `None` / `Some(v)`
    Option(Option<Box<Value>>),
    /// `[a, b]`
    List(Vec<Value>),
    /// `{k: v}`
    Map(Vec<(Value, Value)>),
    /// `Name(field: v, ...)` or `(field: v, ...)`
    Struct {
        /// The name before the parentheses, if any.
        name: Option<Ident>,
        /// The fields in source order (names are unique).
        fields: Vec<(Ident, Value)>,
    },
    /// `Name(a, b)`, `(a, b)`, newtype `Name(a)`; `Name()` is an empty tuple
    Tuple {
        /// The name before the parentheses, if any.
        name: Option<Ident>,
        /// The elements in source order.
        items: Vec<Value>,
    },
    /// bare identifier: unit enum variant or unit struct (`current`, `Foo`)
    Ident(String),
}

/// A syntax error: where, what, and (for common mistakes) how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// Where the problem is.
    pub span: Span,
    /// What is wrong, e.g. "expected `,` or `)` after struct field, found `b`".
    pub message: String,
    /// How to fix it, for common mistakes.
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

/// A recursive-descent parser over one document.
struct Parser<'a> {
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
const SPILL: usize = 64;

/// The entries of one container being parsed.
///
/// Most containers are small: their entries go on a scratch stack shared by all open
/// containers and are moved into an exactly sized `Vec` when the container closes, which
/// avoids regrowing one small `Vec` per container. A container with more than [`SPILL`]
/// entries moves them into a `Vec` of its own, which then grows in place, so that a huge
/// list is not written twice.
struct Entries<T> {
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

fn placeholder() -> Value {
    Value {
        kind: ValueKind::Unit,
        span: Span::default(),
    }
}

fn placeholder_ident() -> Ident {
    Ident {
        name: String::new(),
        span: Span::default(),
    }
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

    // --- strings and characters --------------------------------------------------------

    fn unterminated(&self, mode: EscapeMode, lit_start: usize) -> SyntaxError {
        match mode {
            EscapeMode::Str => self.err_help(
                lit_start,
                lit_start + 1,
                "unterminated string",
                "close it with `\"`",
            ),
            EscapeMode::Char => self.err_help(
                lit_start,
                lit_start + 1,
                "unterminated character literal",
                "close it with `'`; strings use double quotes",
            ),
            EscapeMode::Byte => self.err_help(
                lit_start,
                lit_start + 2,
                "unterminated byte literal",
                "close it with `'`",
            ),
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
                    return Err(self.err(
                        i,
                        i + 2,
                        "unicode escapes are not allowed in byte literals",
                    ));
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
            '\n' | '\r'
                if mode == EscapeMode::Str && (c == '\n' || self.starts_with(i + 1, b"\r\n")) =>
            {
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
        match (
            self.byte(i + 2).and_then(hex_value),
            self.byte(i + 3).and_then(hex_value),
        ) {
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
        terminator.extend(std::iter::repeat_n('#', hashes));
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
            return Err(self.err(
                start,
                start + 2 + c.len_utf8(),
                "byte literals must be ASCII",
            ));
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
        if let Some(kind) = self.plain_integer(neg, digits) {
            return Ok(Value {
                kind,
                span: self.span(start, self.pos),
            });
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

    /// Fast path for the common case: up to 18 decimal digits followed by a byte that
    /// cannot continue a number. Anything else takes the general path.
    fn plain_integer(&mut self, neg: bool, digits: usize) -> Option<ValueKind> {
        let run = self.bytes.get(digits..)?;
        let len = run
            .iter()
            .take(19)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if len == 0 || len > 18 {
            return None;
        }
        if run
            .get(len)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'-'))
        {
            return None;
        }
        let magnitude = run[..len]
            .iter()
            .fold(0i128, |acc, &b| acc * 10 + i128::from(b - b'0'));
        self.pos = digits + len;
        Some(ValueKind::Int(if neg { -magnitude } else { magnitude }))
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
            self.starts_with(i, s.as_bytes()) && !self.char_at(i + 3).is_some_and(is_ident_continue)
        })
    }

    /// An integer type suffix (`u8`, `i64`, …) right at `i`.
    fn int_suffix(&self, i: usize) -> Option<&'static str> {
        if !matches!(self.byte(i), Some(b'i' | b'u')) {
            return None;
        }
        let word = self.slice(i, self.scan_chars(i, is_ident_continue));
        INT_SUFFIXES.iter().find(|s| **s == word).copied()
    }

    fn invalid_number(&self, start: usize, end: usize) -> SyntaxError {
        let end = end.max(start + 1);
        self.err(
            start,
            end,
            format!("invalid number `{}`", truncate(self.slice(start, end), 40)),
        )
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
    fn decimal(
        &mut self,
        start: usize,
        neg: bool,
        digits: usize,
        end: usize,
    ) -> PResult<ValueKind> {
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
        if let Some(suffix) = self.int_suffix(end) {
            return self.suffixed(start, neg, (digits, end, 10), suffix);
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
    fn integer(
        &mut self,
        start: usize,
        neg: bool,
        digits: usize,
        radix: u32,
    ) -> PResult<ValueKind> {
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
        if let Some(suffix) = self.int_suffix(end) {
            return self.suffixed(start, neg, (digits, end, radix), suffix);
        }
        let magnitude = self.magnitude(start, digits, end, radix)?;
        let value = apply_sign(neg, magnitude).ok_or_else(|| self.out_of_range(start, end))?;
        self.pos = end;
        Ok(ValueKind::Int(value))
    }

    /// The value of the digits `digits..end` in `radix` (underscores ignored).
    fn magnitude(&self, start: usize, digits: usize, end: usize, radix: u32) -> PResult<u128> {
        let mut value: u128 = 0;
        for (k, &b) in self
            .bytes
            .get(digits..end)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
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

    /// An integer with a type suffix, range-checked against that type; the digits are
    /// `digits..end` in `radix`, and the suffix follows them.
    fn suffixed(
        &mut self,
        start: usize,
        neg: bool,
        (digits, end, radix): (usize, usize, u32),
        suffix: &str,
    ) -> PResult<ValueKind> {
        let after = end + suffix.len();
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

/// The candidate closest to `typed`, if it is close enough to be a likely
/// typo: the one suggester of the crate ([`crate::diag::did_you_mean`]), so
/// a field, a variant, an id and a rule name are all guessed alike.
fn did_you_mean<'c>(typed: &str, candidates: &[&'c str]) -> Option<&'c str> {
    crate::diag::did_you_mean(typed, candidates.iter().copied())
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

/// What kind of problem a [`DeError`] is. Its diagnostic code comes from
/// here, never from the message, so rewording a message cannot change a
/// code that JSON and SARIF consumers rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeKind {
    /// A variant name the type does not have.
    UnknownVariant,
    /// A field name the struct does not have.
    UnknownField,
    /// A required field left out.
    MissingField,
    /// A field given twice.
    DuplicateField,
    /// Anything else: a value of the wrong type, shape or range.
    InvalidValue,
}

impl DeKind {
    /// The diagnostic code.
    pub fn code(self) -> &'static str {
        match self {
            DeKind::UnknownVariant => "unknown-variant",
            DeKind::UnknownField => "unknown-field",
            DeKind::MissingField => "missing-field",
            DeKind::DuplicateField => "duplicate-field",
            DeKind::InvalidValue => "invalid-value",
        }
    }
}

/// A deserialization error at the value that caused it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeError {
    /// What kind of problem it is (its diagnostic code).
    pub kind: DeKind,
    /// The innermost value (or field name) that caused the error.
    pub span: Span,
    /// What is wrong, e.g. "unknown field `nmae`, expected one of `id`, `name`".
    pub message: String,
    /// How to fix it, e.g. "did you mean `name`?".
    pub help: Option<String>,
}

impl DeError {
    /// An error at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        DeError {
            kind: DeKind::InvalidValue,
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

    fn of_kind(mut self, kind: DeKind) -> Self {
        self.kind = kind;
        self
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

/// serde's description of an unexpected value, with a float written
/// compactly (serde's own writes `1e308` as 309 digits).
fn unexpected(u: Unexpected<'_>) -> String {
    match u {
        Unexpected::Float(f) => format!("floating point `{}`", crate::words::number(f)),
        other => other.to_string(),
    }
}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::unspanned(msg.to_string())
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::unspanned(format!("expected {exp}, found {}", unexpected(unexp)))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::unspanned(format!(
            "invalid value: expected {exp}, found {}",
            unexpected(unexp)
        ))
    }

    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        DeError::unspanned(format!(
            "expected {exp}, found {}",
            crate::words::count(len, "element", "elements")
        ))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let mut e = DeError::unspanned(format!(
            "unknown variant `{variant}`, {}",
            expected_list(expected, "variant")
        ))
        .of_kind(DeKind::UnknownVariant);
        if let Some(s) = did_you_mean(variant, expected) {
            e.help = Some(format!("did you mean `{s}`?"));
        }
        e
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        let mut e = DeError::unspanned(format!(
            "unknown field `{field}`, {}",
            expected_list(expected, "field")
        ))
        .of_kind(DeKind::UnknownField);
        if let Some(s) = did_you_mean(field, expected) {
            e.help = Some(format!("did you mean `{s}`?"));
        }
        e
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::unspanned(format!("missing field `{field}`")).of_kind(DeKind::MissingField)
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::unspanned(format!("duplicate field `{field}`")).of_kind(DeKind::DuplicateField)
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
    /// A deserializer reading `value`.
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
            ValueKind::Float(f) => format!("number `{}`", crate::words::number(*f)),
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
        DeError::new(
            self.span(),
            format!("expected {exp}, found {}", self.describe()),
        )
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

    fn visit_items<V: Visitor<'de>>(
        &self,
        items: &'de [Value],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let mut seq = Items {
            iter: items.iter(),
            taken: 0,
        };
        let out = self.wrap(visitor.visit_seq(&mut seq))?;
        match seq.iter.next() {
            Some(extra) => Err(DeError::new(
                extra.span,
                format!(
                    "too many elements: expected {}, found {}",
                    seq.taken,
                    items.len()
                ),
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
            Some((extra, _)) => Err(DeError::new(
                extra.span,
                format!("unexpected field `{}`", extra.name),
            )),
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
        Some(span) if e.span == NO_SPAN && e.kind == DeKind::DuplicateField => e.or_span(span),
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
            ValueKind::Ident(s) => Err(DeError::new(
                self.span(),
                format!("expected `{name}`, found `{s}`"),
            )),
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
                if items.len() == 1 && self.name().is_none_or(|n| n.name == name) =>
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
            ValueKind::Tuple { items, .. } if self.name().is_none() => {
                self.visit_items(items, visitor)
            }
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::List(items) | ValueKind::Tuple { items, .. } => {
                self.visit_items(items, visitor)
            }
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
            // Named too: serde reads a struct with a `#[serde(flatten)]` field as a map,
            // without telling its name.
            ValueKind::Struct { fields, .. } => self.visit_fields(fields, visitor),
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
            ValueKind::Option(Some(_)) => (
                "Some",
                Span::new(v.span.file, v.span.start, v.span.start + 4),
            ),
            ValueKind::Struct { .. } | ValueKind::Tuple { .. } => match self.name() {
                Some(n) => (&n.name, n.span),
                None => {
                    return Err(DeError::new(
                        v.span,
                        format!(
                            "expected a variant of enum `{name}`, found {}",
                            self.describe()
                        ),
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

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, DeError> {
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

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
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
            None => Err(DeError::unspanned(
                "a field value was requested before its name",
            )),
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

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
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
            None => Err(DeError::unspanned(
                "a map value was requested before its key",
            )),
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
            .visit_enum(de::value::BorrowedStrDeserializer::<DeError>::new(
                self.name,
            ))
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
            ValueKind::Tuple { items, .. } if items.is_empty() => {
                self.de.visit_fields(&[], visitor)
            }
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
    /// The deserialized value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// `value`, written at `span`.
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

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
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
                    _ => Err(E::custom(
                        "spanned values are only supported by revarch's RON reader",
                    )),
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

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};

    // --- helpers -------------------------------------------------------------------

    /// Byte offset of the first `marker` in `src`.
    fn at(src: &str, marker: &str) -> u32 {
        match src.find(marker) {
            Some(i) => i as u32,
            None => panic!("marker {marker:?} not in {src:?}"),
        }
    }

    /// Span (file 0) of the first `marker` in `src`.
    fn sp(src: &str, marker: &str) -> Span {
        let start = at(src, marker);
        Span::new(0, start, start + marker.len() as u32)
    }

    /// Span (file 0) of the `n`th (0-based) `marker` in `src`.
    fn sp_nth(src: &str, marker: &str, n: usize) -> Span {
        match src.match_indices(marker).nth(n) {
            Some((i, _)) => Span::new(0, i as u32, (i + marker.len()) as u32),
            None => panic!("marker {marker:?} #{n} not in {src:?}"),
        }
    }

    fn ok(src: &str) -> Value {
        match parse(src, 0) {
            Ok(v) => v,
            Err(e) => panic!("{src:?} should parse, got {e:?}"),
        }
    }

    fn kind(src: &str) -> ValueKind {
        ok(src).kind
    }

    fn fail(src: &str) -> SyntaxError {
        match parse(src, 0) {
            Ok(v) => panic!("{src:?} should fail, got {v:?}"),
            Err(e) => e,
        }
    }

    fn de<T: for<'a> Deserialize<'a>>(src: &str) -> Result<T, DeError> {
        from_value(&ok(src))
    }

    fn de_ok<T: for<'a> Deserialize<'a>>(src: &str) -> T {
        match de(src) {
            Ok(t) => t,
            Err(e) => panic!("{src:?} should deserialize, got {e:?}"),
        }
    }

    fn de_err<T: for<'a> Deserialize<'a> + fmt::Debug>(src: &str) -> DeError {
        match de::<T>(src) {
            Ok(t) => panic!("{src:?} should not deserialize, got {t:?}"),
            Err(e) => e,
        }
    }

    fn int(i: i128) -> ValueKind {
        ValueKind::Int(i)
    }

    fn string(s: &str) -> ValueKind {
        ValueKind::Str(s.to_owned())
    }

    fn float(src: &str) -> f64 {
        match kind(src) {
            ValueKind::Float(f) => f,
            other => panic!("{src:?} should be a float, got {other:?}"),
        }
    }

    fn kinds(values: &[Value]) -> Vec<ValueKind> {
        values.iter().map(|v| v.kind.clone()).collect()
    }

    /// Every span in the tree.
    fn all_spans(v: &Value, out: &mut Vec<Span>) {
        out.push(v.span);
        match &v.kind {
            ValueKind::Option(Some(inner)) => all_spans(inner, out),
            ValueKind::List(items) => items.iter().for_each(|i| all_spans(i, out)),
            ValueKind::Map(entries) => entries.iter().for_each(|(k, v)| {
                all_spans(k, out);
                all_spans(v, out);
            }),
            ValueKind::Struct { name, fields } => {
                out.extend(name.iter().map(|n| n.span));
                for (k, v) in fields {
                    out.push(k.span);
                    all_spans(v, out);
                }
            }
            ValueKind::Tuple { name, items } => {
                out.extend(name.iter().map(|n| n.span));
                items.iter().for_each(|i| all_spans(i, out));
            }
            _ => {}
        }
    }

    // --- scalars -------------------------------------------------------------------

    #[test]
    fn keywords_and_identifiers() {
        assert_eq!(kind("true"), ValueKind::Bool(true));
        assert_eq!(kind("false"), ValueKind::Bool(false));
        assert_eq!(kind("None"), ValueKind::Option(None));
        assert_eq!(kind("()"), ValueKind::Unit);
        assert_eq!(kind("( /* empty */ )"), ValueKind::Unit);
        assert_eq!(kind("current"), ValueKind::Ident("current".into()));
        assert_eq!(kind("_private"), ValueKind::Ident("_private".into()));
        assert_eq!(kind("r#type"), ValueKind::Ident("type".into()));
        assert_eq!(kind("r#true"), ValueKind::Ident("true".into()));
        assert_eq!(kind("größe"), ValueKind::Ident("größe".into()));
        let some = ok("Some ( 5 , )");
        let ValueKind::Option(Some(inner)) = &some.kind else {
            panic!("{some:?}")
        };
        assert_eq!(inner.kind, int(5));
        assert_eq!(inner.span, Span::new(0, 7, 8));
        assert_eq!(some.span, Span::new(0, 0, 12));
    }

    #[test]
    fn integers() {
        assert_eq!(kind("42"), int(42));
        assert_eq!(kind("-42"), int(-42));
        assert_eq!(kind("+7"), int(7));
        assert_eq!(kind("1_000_000"), int(1_000_000));
        assert_eq!(kind("0xFF_ff"), int(0xffff));
        assert_eq!(kind("0o17"), int(0o17));
        assert_eq!(kind("0b1010"), int(10));
        assert_eq!(kind("-0x10"), int(-16));
        assert_eq!(kind("255u8"), int(255));
        assert_eq!(kind("-3i64"), int(-3));
        assert_eq!(kind("b'a'"), int(97));
        assert_eq!(kind("b'\\n'"), int(10));
        assert_eq!(kind("b'\\xFF'"), int(255));
        assert_eq!(
            kind("170141183460469231731687303715884105727"),
            int(i128::MAX)
        );
        assert_eq!(
            kind("-170141183460469231731687303715884105728"),
            int(i128::MIN)
        );
        // beyond u64 but within i128
        assert_eq!(kind("18446744073709551616"), int(1 << 64));
    }

    #[test]
    fn integers_out_of_range() {
        for src in [
            "170141183460469231731687303715884105728",
            "-170141183460469231731687303715884105729",
            "0xFFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_F",
        ] {
            let e = fail(src);
            assert_eq!(e.message, "integer out of range", "{src}");
            assert_eq!(e.span, Span::new(0, 0, src.len() as u32), "{src}");
        }
        let huge = "9".repeat(1000);
        let e = fail(&format!("[{huge}]"));
        assert_eq!(e.message, "integer out of range");
        assert_eq!(e.span, Span::new(0, 1, 1001));
        let e = fail("[300u8]");
        assert_eq!(e.message, "integer 300 out of range for u8");
        assert_eq!(e.span, Span::new(0, 1, 6));
    }

    #[test]
    fn floats() {
        assert_eq!(float("1.5"), 1.5);
        assert_eq!(float("1e3"), 1000.0);
        assert_eq!(float("-2.5E-3"), -0.0025);
        assert_eq!(float("1_000.5"), 1000.5);
        assert_eq!(float(".5"), 0.5);
        assert_eq!(float("1."), 1.0);
        assert_eq!(float("1.5f32"), 1.5);
        assert_eq!(float("2f64"), 2.0);
        assert_eq!(float("inf"), f64::INFINITY);
        assert_eq!(float("-inf"), f64::NEG_INFINITY);
        assert_eq!(float("+inf"), f64::INFINITY);
        assert!(float("NaN").is_nan());
        assert!(float("-NaN").is_nan());
        assert_eq!(ok("-2.5E-3").span, Span::new(0, 0, 7));
    }

    #[test]
    fn strings_and_chars() {
        assert_eq!(kind(r#""hello""#), string("hello"));
        assert_eq!(
            kind(r#""a\nb\tc\r\0\\\"\'\u{1F600}""#),
            string("a\nb\tc\r\0\\\"'\u{1F600}")
        );
        assert_eq!(kind(r#""\x41\xC3\xA9""#), string("Aé"));
        assert_eq!(
            kind("\"line \\\n      continued\""),
            string("line continued")
        );
        assert_eq!(kind("\"héllo wörld 😀\""), string("héllo wörld 😀"));
        assert_eq!(kind(r#"r"a\nb""#), string("a\\nb"));
        assert_eq!(kind(r##"r#"say "hi""#"##), string("say \"hi\""));
        assert_eq!(kind(r###"r##"a"#b"##"###), string("a\"#b"));
        assert_eq!(kind("'a'"), ValueKind::Char('a'));
        assert_eq!(kind("'\\n'"), ValueKind::Char('\n'));
        assert_eq!(kind("'\\''"), ValueKind::Char('\''));
        assert_eq!(kind("'😀'"), ValueKind::Char('😀'));
        assert_eq!(kind("'\\u{e9}'"), ValueKind::Char('é'));
        let src = r#"[ "x\ty" ]"#;
        assert_eq!(ok(src).span, Span::new(0, 0, src.len() as u32));
        let ValueKind::List(items) = kind(src) else {
            panic!()
        };
        assert_eq!(items[0].span, sp(src, r#""x\ty""#));
    }

    // --- compound values -----------------------------------------------------------

    #[test]
    fn structs_and_tuples() {
        let ValueKind::Struct { name: None, fields } = kind("(a: 1, b: \"x\",)") else {
            panic!()
        };
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].0.name, "a");
        assert_eq!(fields[1].1.kind, string("x"));

        let src = "Foo /* comment */ (r#type: 1)";
        let v = ok(src);
        let ValueKind::Struct {
            name: Some(name),
            fields,
        } = &v.kind
        else {
            panic!("{v:?}")
        };
        assert_eq!(name.name, "Foo");
        assert_eq!(name.span, sp(src, "Foo"));
        assert_eq!(fields[0].0.name, "type");
        assert_eq!(fields[0].0.span, sp(src, "r#type"));
        assert_eq!(v.span, Span::new(0, 0, src.len() as u32));

        let named_tuple = |src: &str| match kind(src) {
            ValueKind::Tuple { name, items } => (name.map(|n| n.name), kinds(&items)),
            other => panic!("{src:?}: {other:?}"),
        };
        assert_eq!(
            named_tuple("Foo(1, 2)"),
            (Some("Foo".into()), vec![int(1), int(2)])
        );
        assert_eq!(named_tuple("Foo(1)"), (Some("Foo".into()), vec![int(1)]));
        assert_eq!(named_tuple("Foo()"), (Some("Foo".into()), vec![]));
        assert_eq!(
            named_tuple("(1, \"a\",)"),
            (None, vec![int(1), string("a")])
        );
        assert_eq!(
            named_tuple("(x)"),
            (None, vec![ValueKind::Ident("x".into())])
        );
        // struct field names may be keywords, as in `ron`
        let ValueKind::Struct { fields, .. } = kind("(true: 1, None: 2)") else {
            panic!()
        };
        assert_eq!(fields[1].0.name, "None");
    }

    #[test]
    fn lists_maps_and_comments() {
        let src = "// header\n[1, /* a /* nested */ b */ 2,\n 3 ,] // no newline at the end";
        let ValueKind::List(items) = kind(src) else {
            panic!()
        };
        assert_eq!(kinds(&items), vec![int(1), int(2), int(3)]);
        assert_eq!(kind("[]"), ValueKind::List(vec![]));
        assert_eq!(kind("{}"), ValueKind::Map(vec![]));
        let ValueKind::Map(entries) = kind(r#"{"a": 1, 2: [3], (1, 2): x,}"#) else {
            panic!()
        };
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].0.kind, string("a"));
        assert_eq!(entries[2].1.kind, ValueKind::Ident("x".into()));
        // unusual whitespace that `ron` accepts
        assert_eq!(
            kind("\u{2028}[\r\n1,\t\u{0B}2\u{85}]"),
            ValueKind::List(vec![
                Value {
                    kind: int(1),
                    span: Span::new(0, 6, 7)
                },
                Value {
                    kind: int(2),
                    span: Span::new(0, 10, 11)
                },
            ])
        );
    }

    #[test]
    fn bom_and_attributes() {
        let src = "\u{feff}(a: 1)";
        assert_eq!(ok(src).span, Span::new(0, 3, src.len() as u32));
        let src = "#![enable(implicit_some, unwrap_newtypes,)]\n# ! [ type = \"model\" ]\n5";
        assert_eq!(ok(src).span, sp(src, "5"));
        let e = fail("#![enable(implicit_som)] 1");
        assert_eq!(e.message, "unknown extension `implicit_som`");
        assert_eq!(e.help.as_deref(), Some("did you mean `implicit_some`?"));
        assert_eq!(e.span, Span::new(0, 10, 22));
        let e = fail("#[enable(implicit_some)] 1");
        assert_eq!(e.message, "expected `!` after `#`, found `[`");
        let e = fail("#![derive(Debug)] 1");
        assert_eq!(e.message, "unknown attribute `derive`");
        let e = fail("#![enable(implicit_some)]");
        assert_eq!(e.message, "expected a value, found end of file");
    }

    #[test]
    fn unwrap_variant_newtypes_extension() {
        assert!(parse("Some(a: 1)", 0).is_err());
        let v = ok("#![enable(unwrap_variant_newtypes)] [Some(a: 1), Some(1, 2), Some(3), Some()]");
        let ValueKind::List(items) = v.kind else {
            panic!()
        };
        let inner: Vec<ValueKind> = items
            .iter()
            .map(|v| match &v.kind {
                ValueKind::Option(Some(inner)) => inner.kind.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(matches!(&inner[0], ValueKind::Struct { name: None, fields } if fields.len() == 1));
        assert!(matches!(&inner[1], ValueKind::Tuple { name: None, items } if items.len() == 2));
        assert_eq!(inner[2], int(3));
        assert_eq!(inner[3], ValueKind::Unit);
    }

    #[test]
    fn spans_are_exact() {
        let src =
            "Model(\n    name: \"Acme\",\n    items: [1, Step(2)],\n    nested: (x: -1.5),\n)\n";
        let v = ok(src);
        assert_eq!(v.span, Span::new(0, 0, src.len() as u32 - 1));
        let ValueKind::Struct {
            name: Some(name),
            fields,
        } = &v.kind
        else {
            panic!("{v:?}")
        };
        assert_eq!(name.span, sp(src, "Model"));
        assert_eq!(fields[0].0.span, sp(src, "name"));
        assert_eq!(fields[0].1.span, sp(src, "\"Acme\""));
        assert_eq!(fields[1].1.span, sp(src, "[1, Step(2)]"));
        let ValueKind::List(items) = &fields[1].1.kind else {
            panic!()
        };
        assert_eq!(items[1].span, sp(src, "Step(2)"));
        assert_eq!(line_col(src, items[1].span.start as usize), (3, 16));
        let ValueKind::Struct { fields: inner, .. } = &fields[2].1.kind else {
            panic!()
        };
        assert_eq!(inner[0].1.span, sp(src, "-1.5"));
        assert_eq!(fields[2].1.span, sp(src, "(x: -1.5)"));
    }

    #[test]
    fn file_index_reaches_every_span() {
        let src = "Model(a: [1, Some(\"x\")], b: {k: (1, T(2))}, c: None)";
        let v = match parse(src, 7) {
            Ok(v) => v,
            Err(e) => panic!("{e:?}"),
        };
        let mut spans = Vec::new();
        all_spans(&v, &mut spans);
        assert!(spans.len() > 10);
        assert!(spans.iter().all(|s| s.file == 7), "{spans:?}");
        let e = parse("[1, x y]", 9).err();
        assert_eq!(e.map(|e| e.span), Some(Span::new(9, 6, 7)));
        let v = match parse("(id: \"x\")", 4) {
            Ok(v) => v,
            Err(e) => panic!("{e:?}"),
        };
        let e = from_value::<Small>(&v).err();
        assert_eq!(e.map(|e| e.span), Some(Span::new(4, 5, 8)));
    }

    #[test]
    fn line_col_counts_characters() {
        let src = "ab\nçd😀x\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, src.find('x').unwrap_or(0)), (2, 4));
        assert_eq!(line_col(src, 999), (3, 1));
    }

    // --- syntax errors -------------------------------------------------------------

    #[test]
    fn empty_input() {
        let e = fail("");
        assert_eq!(e.message, "expected a value, found end of file");
        assert_eq!(e.span, Span::new(0, 0, 0));
        let src = "  // nothing here\n  /* or here */ ";
        let e = fail(src);
        assert_eq!(e.message, "expected a value, found end of file");
        assert_eq!(e.span, Span::new(0, src.len() as u32, src.len() as u32));
    }

    #[test]
    fn unterminated_literals_point_at_their_start() {
        let src = "(name: \"Acme, id: 1)";
        let e = fail(src);
        assert_eq!(e.message, "unterminated string");
        assert_eq!(e.span, sp(src, "\""));

        let src = "[1, /* a /* b */ 2]";
        let e = fail(src);
        assert_eq!(e.message, "unterminated block comment");
        assert_eq!(e.span, sp(src, "/*"));
        assert_eq!(e.help.as_deref(), Some("close it with `*/`"));
        let src = "[1, /* a /* b 2]";
        let e = fail(src);
        assert_eq!(e.span, sp(src, "/*"));
        assert_eq!(
            e.help.as_deref(),
            Some("block comments nest: every `/*` needs its own `*/`")
        );

        let src = "[r#\"abc\"]";
        let e = fail(src);
        assert_eq!(e.message, "unterminated raw string");
        assert_eq!(e.help.as_deref(), Some("close it with `\"#`"));
        assert_eq!(e.span, Span::new(0, 1, 4));

        let e = fail("['");
        assert_eq!(e.message, "unterminated character literal");
        assert_eq!(e.span, Span::new(0, 1, 2));
    }

    #[test]
    fn bad_escapes_point_at_the_escape() {
        let src = r#"(name: "a\qb")"#;
        let e = fail(src);
        assert_eq!(e.message, "invalid escape `\\q`");
        assert_eq!(e.span, sp(src, "\\q"));
        assert!(e.help.is_some());

        let src = r#"["ok", "\u{110000}"]"#;
        let e = fail(src);
        assert_eq!(
            e.message,
            "invalid unicode escape `\\u{110000}`: U+110000 is not a character"
        );
        assert_eq!(e.span, sp(src, "\\u{110000}"));

        let e = fail(r#""\u{12345678}""#);
        assert_eq!(e.message, "invalid unicode escape `\\u{123456`");
        let e = fail(r#""\u{}""#);
        assert_eq!(e.message, "empty unicode escape `\\u{}`");
        let e = fail(r#""\u12""#);
        assert_eq!(
            e.message,
            "invalid unicode escape: expected `{` after `\\u`"
        );
        let e = fail(r#""\xZZ""#);
        assert_eq!(e.message, "invalid escape `\\x`");
        let e = fail(r#""\xC3""#);
        assert_eq!(e.message, "invalid UTF-8 in escape `\\xC3`");
        let e = fail(r"'\xC3'");
        assert_eq!(e.message, "invalid escape `\\xC3` in a character literal");
    }

    #[test]
    fn unexpected_characters_say_what_was_expected() {
        let src = "(a: 1 b: 2)";
        let e = fail(src);
        assert_eq!(
            e.message,
            "expected `,` or `)` after struct field, found `b`"
        );
        assert_eq!(e.help.as_deref(), Some("add a `,` between the entries"));
        assert_eq!(e.span, sp(src, "b"));

        let e = fail("[1 2]");
        assert_eq!(
            e.message,
            "expected `,` or `]` after list element, found `2`"
        );
        assert_eq!(e.help.as_deref(), Some("add a `,` between the entries"));

        let e = fail("{1: 2; 3: 4}");
        assert_eq!(e.message, "expected `,` or `}` after map entry, found `;`");
        assert_eq!(
            e.help.as_deref(),
            Some("separate entries with `,`, not `;`")
        );

        let e = fail("[1, 2");
        assert_eq!(
            e.message,
            "expected `,` or `]` after list element, found end of file"
        );
        assert_eq!(
            e.help.as_deref(),
            Some("the `[` at line 1, column 1 is never closed")
        );
        assert_eq!(e.span, Span::new(0, 5, 5));

        let e = fail("Foo(\n  [1, 2)");
        assert_eq!(
            e.message,
            "expected `,` or `]` after list element, found `)`"
        );
        assert_eq!(
            e.help.as_deref(),
            Some("this `)` does not match the `[` at line 2, column 3")
        );

        let e = fail(r#"("name": 1)"#);
        assert_eq!(
            e.message,
            "expected `,` or `)` after tuple element, found `:`"
        );
        assert_eq!(
            e.help.as_deref(),
            Some("field names are written without quotes, e.g. `name: …`")
        );

        let e = fail("[a: 1]");
        assert_eq!(
            e.help.as_deref(),
            Some("a list holds plain values; a map is written `{ key: value }`")
        );

        let e = fail("[1,,2]");
        assert_eq!(e.message, "expected a value, found `,`");
        assert_eq!(e.help.as_deref(), Some("remove the extra `,`"));
        assert_eq!(e.span, Span::new(0, 3, 4));

        let e = fail("[1, \u{1}]");
        assert_eq!(e.message, "expected a value, found `\\u{1}`");

        let e = fail("[1 / 2]");
        assert_eq!(e.message, "unexpected `/`");

        let e = fail("(a: 1, \"b\": 2)");
        assert_eq!(e.message, "expected a field name, found a string");

        let e = fail("(a: )");
        assert_eq!(e.message, "expected a value for field `a`, found `)`");

        let e = fail("Some 1");
        assert_eq!(e.message, "expected `(` after `Some`, found `1`");
        let e = fail("Some()");
        assert_eq!(e.message, "expected a value inside `Some(…)`, found `)`");
        let e = fail("Some(1 2)");
        assert_eq!(e.message, "expected `)` to close `Some(`, found `2`");
    }

    #[test]
    fn missing_colon_after_field_name() {
        let src = "(a: 1, b 2)";
        let e = fail(src);
        assert_eq!(e.message, "expected `:` after field name `b`, found `2`");
        assert_eq!(e.span, sp(src, "2"));

        let src = "(name = \"x\")";
        let e = fail(src);
        assert_eq!(e.message, "expected `:` after field name `name`, found `=`");
        assert_eq!(
            e.help.as_deref(),
            Some("use `:` between a field name and its value")
        );
        assert_eq!(e.span, sp(src, "="));

        let e = fail("{\"a\" = 1}");
        assert_eq!(e.message, "expected `:` after map key, found `=`");
        assert_eq!(
            e.help.as_deref(),
            Some("use `:` between a key and its value")
        );
    }

    #[test]
    fn duplicate_fields() {
        let src = "(a: 1, b: 2,\n a: 3)";
        let e = fail(src);
        assert_eq!(e.message, "duplicate field `a`");
        assert_eq!(e.span, sp_nth(src, "a", 1));
        assert_eq!(
            e.help.as_deref(),
            Some("`a` is already set at line 1, column 2")
        );
        // large structs use a hash map for the check
        let mut big = String::from("Big(");
        for i in 0..40 {
            big.push_str(&format!("f{i}: {i}, "));
        }
        assert!(parse(&format!("{big})"), 0).is_ok());
        big.push_str("r#f7: 0)");
        let e = fail(&big);
        assert_eq!(e.message, "duplicate field `f7`");
        assert_eq!(e.span.end as usize, big.len() - 4);
        // the same name in different structs is fine
        assert!(parse("[(a: 1), (a: 2)]", 0).is_ok());
    }

    #[test]
    fn trailing_content() {
        let src = "(a: 1)\n(b: 2)";
        let e = fail(src);
        assert_eq!(e.message, "unexpected `(` after the end of the document");
        assert_eq!(e.span, sp_nth(src, "(", 1));
        assert!(e.help.is_some());
        let e = fail("5,");
        assert_eq!(
            e.help.as_deref(),
            Some("remove the trailing `,`; a RON document holds exactly one value")
        );
    }

    #[test]
    fn single_quoted_strings() {
        let src = "(name: 'hello')";
        let e = fail(src);
        assert_eq!(e.message, "a character literal holds exactly one character");
        assert_eq!(
            e.help.as_deref(),
            Some("use double quotes for strings: \"hello\"")
        );
        assert_eq!(e.span, sp(src, "'hello'"));
    }

    #[test]
    fn number_errors() {
        let e = fail("0b102");
        assert_eq!(e.message, "invalid digit `2` in a binary number");
        assert_eq!(e.span, Span::new(0, 4, 5));
        assert_eq!(fail("1.2.3").message, "invalid number `1.2.3`");
        assert_eq!(fail("12abc").message, "invalid number `12abc`");
        assert_eq!(fail("1e").message, "invalid number `1e`");
        assert_eq!(
            fail("0x").message,
            "expected digits after `0x`, found end of file"
        );
        assert_eq!(
            fail("[-]").message,
            "expected a number after `-`, found `]`"
        );
        assert_eq!(fail("1._5").message, "invalid number `1._5`");
        assert_eq!(fail("[1..5]").message, "ranges (`..`) are not supported");
        assert_eq!(fail("b\"bytes\"").message, "byte strings are not supported");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for open in ["[", "(", "{", "Some(", "A(", "(x: "] {
            let src = open.repeat(100_000);
            let e = fail(&src);
            assert_eq!(e.message, "nesting deeper than 128 levels", "{open}");
            // the 129th opening bracket is at fault
            let expected = open.len() * 128 + open.find(['(', '[', '{']).unwrap_or(0);
            assert_eq!(
                e.span,
                Span::new(0, expected as u32, expected as u32 + 1),
                "{open}"
            );
        }
        let e = fail(&"[".repeat(100_000));
        assert_eq!(e.span, Span::new(0, 128, 129));
        // exactly the limit is fine, one more is not
        let at_limit = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&at_limit, 0).is_ok());
        let over = format!("{}{}", "[".repeat(129), "]".repeat(129));
        assert_eq!(fail(&over).message, "nesting deeper than 128 levels");
        // deeply nested comments use no recursion at all
        let comments = format!("{}{} 1", "/*".repeat(100_000), "*/".repeat(100_000));
        assert_eq!(kind(&comments), int(1));
        // a 128-level tree deserializes and drops fine
        let v = ok(&at_limit);
        assert!(from_value::<Dyn>(&v).is_ok());
    }

    #[test]
    fn garbage_never_panics() {
        let nasty = [
            "\0",
            "'",
            "\"",
            "\\",
            "r",
            "r#",
            "r##",
            "r#\"",
            "b",
            "b'",
            "b'\\",
            "b'\\u{41}'",
            "br\"",
            "#",
            "#!",
            "#![",
            "#![enable(",
            "#![type =",
            "/",
            "/*",
            "*/",
            "-",
            "+",
            ".",
            "..",
            "0x",
            "0b",
            "1e",
            "1e+",
            "1u",
            "1u8u8",
            "-inf",
            "+NaNf32",
            "inff64",
            "Some",
            "Some(",
            "None(",
            "(a:",
            "(a",
            "(a:1,",
            "{1",
            "{1:",
            "[",
            "'\\u{",
            "\"\\u{12",
            "\"\\x",
            "'\\x8'",
            "\"\\\r\"",
            "'\\\n'",
            "\u{feff}",
            "\u{feff}\u{feff}",
            "😀",
            "'😀",
            "é",
            "\u{85}",
            "1\u{2028}",
            "((((",
            "))))",
            "]]]]",
            "(1, a: 2)",
            "Foo(a: 1, 2)",
            "x(",
            "_(",
            "r#a.b",
            "r#-",
            "0o8",
            "0x_1",
            "-_1",
            "1__2",
            "1_.5",
            "1e_5",
            "1.e5",
            ".e5",
            "+-1",
            "--1",
        ];
        for src in nasty {
            let _ = parse(src, 0);
            let _ = parse(&format!("[{src}]"), 0);
            let _ = parse(&format!("(a: {src})"), 0);
        }
        let mut rng = XorShift(0x1234_5678_9abc_def1);
        for _ in 0..2_000 {
            let len = rng.below(64);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let src = String::from_utf8_lossy(&bytes);
            if let Ok(v) = parse(&src, 0) {
                let _ = from_value::<Dyn>(&v);
            }
        }
    }

    // --- deserialization -----------------------------------------------------------

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Model {
        id: u32,
        name: String,
        kind: Kind,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        owner: Option<String>,
        #[serde(default)]
        stages: Vec<Stage>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Crm,
        Bi,
        Erp,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Stage {
        Idle,
        Active { since: u32 },
        Count(u32),
        Pair(u32, u32),
        Wrapped(Inner),
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        a: u32,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Small {
        id: u8,
    }

    #[test]
    fn deserialize_model() {
        let src = r#"Model(
            id: 1,
            name: "Acme",
            kind: crm,
            tags: ["x", 'y'],
            owner: "Ann",
            stages: [Idle, "Idle", Active(since: 2020), Count(3), Pair(1, 2),
                     Wrapped(Inner(a: 1)), Wrapped((a: 2)), Wrapped(a: 3)],
        )"#;
        let m: Model = de_ok(src);
        assert_eq!(
            m,
            Model {
                id: 1,
                name: "Acme".into(),
                kind: Kind::Crm,
                tags: vec!["x".into(), "y".into()],
                owner: Some("Ann".into()),
                stages: vec![
                    Stage::Idle,
                    Stage::Idle,
                    Stage::Active { since: 2020 },
                    Stage::Count(3),
                    Stage::Pair(1, 2),
                    Stage::Wrapped(Inner { a: 1 }),
                    Stage::Wrapped(Inner { a: 2 }),
                    Stage::Wrapped(Inner { a: 3 }),
                ],
            }
        );
        // unnamed struct, and a map with string keys
        let m: Model = de_ok(r#"(id: 2, name: "B", kind: "bi")"#);
        assert_eq!(m.kind, Kind::Bi);
        let m: Model = de_ok(r#"{"id": 3, "name": "C", kind: erp}"#);
        assert_eq!((m.id, m.kind), (3, Kind::Erp));
    }

    #[test]
    fn implicit_some() {
        let owner =
            |src: &str| de_ok::<Model>(&format!("(id: 1, name: \"n\", kind: bi, {src})")).owner;
        assert_eq!(owner("owner: \"Ann\""), Some("Ann".into()));
        assert_eq!(owner("owner: Some(\"Ann\")"), Some("Ann".into()));
        assert_eq!(owner("owner: None"), None);
        assert_eq!(owner(""), None);
        let nested: Option<Option<u32>> = de_ok("Some(None)");
        assert_eq!(nested, Some(None));
        let nested: Option<Option<u32>> = de_ok("5");
        assert_eq!(nested, Some(Some(5)));
    }

    #[test]
    fn unknown_field_points_at_the_name_and_suggests() {
        let src = "(id: 1, nmae: \"x\", kind: crm)";
        let e = de_err::<Model>(src);
        assert_eq!(
            e.message,
            "unknown field `nmae`, expected one of `id`, `name`, `kind`, `tags`, `owner`, `stages`"
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `name`?"));
        assert_eq!(e.span, sp(src, "nmae"));
        assert_eq!(e.kind, DeKind::UnknownField);
        let e = de_err::<Model>("(id: 1, zzzzzz: 1)");
        assert_eq!(e.help, None);
        // keys of a map are located too
        let src = "{\"id\": 1, \"nme\": 2}";
        let e = de_err::<Model>(src);
        assert_eq!(e.span, sp(src, "\"nme\""));
        assert_eq!(e.help.as_deref(), Some("did you mean `name`?"));
    }

    #[test]
    fn unknown_variant_points_at_the_name_and_suggests() {
        let src = "(id: 1, name: \"x\", kind: crn)";
        let e = de_err::<Model>(src);
        assert_eq!(
            e.message,
            "unknown variant `crn`, expected one of `crm`, `bi`, `erp`"
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `crm`?"));
        assert_eq!(e.span, sp(src, "crn"));
        assert_eq!(e.kind, DeKind::UnknownVariant);
        let src = "[Idle, Actve(since: 1)]";
        let e = de_err::<Vec<Stage>>(src);
        assert_eq!(e.span, sp(src, "Actve"));
        assert_eq!(e.help.as_deref(), Some("did you mean `Active`?"));
        let e = de_err::<Vec<Kind>>("[\"Crm\"]");
        assert_eq!(e.help.as_deref(), Some("did you mean `crm`?"));
    }

    #[test]
    fn missing_field_points_at_the_struct() {
        let src = "[Model(id: 1, kind: bi)]";
        let e = de_err::<Vec<Model>>(src);
        assert_eq!(e.message, "missing field `name`");
        assert_eq!(e.span, sp(src, "Model(id: 1, kind: bi)"));
        assert_eq!(
            (e.kind, e.kind.code()),
            (DeKind::MissingField, "missing-field")
        );
        // a message that merely reads like one is no such error: the kind
        // comes from the call, not the text
        let e = DeError::new(NO_SPAN, "missing field, as the user wrote");
        assert_eq!(e.kind.code(), "invalid-value");
    }

    #[test]
    fn huge_and_tiny_numbers_are_named_compactly() {
        for (src, shown) in [
            ("(id: 1e308)", "1e308"),
            ("(id: -1e308)", "-1e308"),
            ("(id: 1e-300)", "1e-300"),
            ("(id: 0.95)", "0.95"),
            ("(id: 120000.0)", "120000"),
            ("(id: NaN)", "NaN"),
            ("(id: inf)", "inf"),
        ] {
            assert_eq!(
                de_err::<Small>(src).message,
                format!("expected u8, found number `{shown}`"),
                "{src}"
            );
        }
        // a string field given a number
        let e = de_err::<Model>("(id: 1, name: 1e308, kind: bi)");
        assert_eq!(e.message, "expected a string, found number `1e308`");
    }

    #[test]
    fn type_errors_point_at_the_innermost_value() {
        let src = "(id: 1, name: \"x\", kind: bi, tags: [\"a\", 5, \"c\"])";
        let e = de_err::<Model>(src);
        assert_eq!(e.message, "expected a string, found integer `5`");
        assert_eq!(e.span, sp(src, "5"));

        let src = "(id: 300)";
        let e = de_err::<Small>(src);
        assert_eq!(e.message, "integer 300 out of range for u8");
        assert_eq!(e.help.as_deref(), Some("`u8` holds values from 0 to 255"));
        assert_eq!(e.span, sp(src, "300"));
        assert_eq!(
            de_err::<Small>("(id: -1)").message,
            "integer -1 out of range for u8"
        );
        assert_eq!(
            de_err::<Small>("(id: 1.5)").message,
            "expected u8, found number `1.5`"
        );
        // Not 309 digits.
        assert_eq!(
            de_err::<Small>("(id: 1e308)").message,
            "expected u8, found number `1e308`"
        );
        assert_eq!(
            de_err::<Small>("(id: -2.5e-9)").message,
            "expected u8, found number `-2.5e-9`"
        );

        let src = "(id: 1, name: Acme, kind: bi)";
        let e = de_err::<Model>(src);
        assert_eq!(e.message, "expected a string, found `Acme`");
        assert_eq!(
            e.help.as_deref(),
            Some("strings are written in double quotes: \"Acme\"")
        );
        assert_eq!(e.span, sp(src, "Acme"));

        let src = "Other(id: 1, name: \"x\", kind: bi)";
        let e = de_err::<Model>(src);
        assert_eq!(e.message, "expected `Model`, found `Other`");
        assert_eq!(e.span, sp(src, "Other"));

        let e = de_err::<Model>("[1]");
        assert_eq!(e.message, "expected struct Model, found a list");
        assert_eq!(e.span, Span::new(0, 0, 3));

        let e = de_err::<bool>("\"yes\"");
        assert_eq!(e.message, "expected a boolean, found string \"yes\"");
    }

    #[test]
    fn enum_shapes() {
        let stages: Vec<Stage> = de_ok("[Idle, Idle(), Count(1), Pair(1, 2), Active(since: 1)]");
        assert_eq!(stages.len(), 5);
        let check = |src: &str, marker: &str, message: &str| {
            let e = de_err::<Vec<Stage>>(src);
            assert_eq!(e.message, message, "{src}");
            assert_eq!(e.span, sp(src, marker), "{src}");
        };
        check("[Active]", "Active", "variant `Active` has named fields");
        check("[Idle(1)]", "Idle(1)", "variant `Idle` takes no value");
        check("[Count]", "Count", "variant `Count` needs a value");
        check(
            "[Pair(1)]",
            "Pair(1)",
            "expected tuple variant Stage::Pair with 2 elements, found 1 element",
        );
        check(
            "[Pair(1, 2, 3)]",
            "3",
            "too many elements: expected 2, found 3",
        );
        check(
            "[(since: 1)]",
            "(since: 1)",
            "expected a variant of enum `Stage`, found a struct",
        );
        check("[5]", "5", "expected enum Stage, found integer `5`");
        check(
            "[Count(\"x\")]",
            "\"x\"",
            "expected u32, found string \"x\"",
        );
        check(
            "[Active(sinse: 1)]",
            "Active(sinse: 1)",
            "missing field `since`",
        );
        // `None` and `Some` are variants of enums that have them
        #[derive(Debug, Deserialize, PartialEq)]
        enum Choice {
            None,
            Some(u32),
        }
        let choices: Vec<Choice> = de_ok("[None, Some(4)]");
        assert_eq!(choices, vec![Choice::None, Choice::Some(4)]);
    }

    #[test]
    fn newtypes_tuples_and_units() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Meters(f64);
        let m: Vec<Meters> = de_ok("[Meters(1.5), (2), 3.5, 4]");
        assert_eq!(m, vec![Meters(1.5), Meters(2.0), Meters(3.5), Meters(4.0)]);

        #[derive(Debug, Deserialize, PartialEq)]
        struct Id(Kind);
        let ids: Vec<Id> = de_ok("[Id(crm), bi]");
        assert_eq!(ids, vec![Id(Kind::Crm), Id(Kind::Bi)]);

        let t: (u32, String) = de_ok("(1, \"a\")");
        assert_eq!(t, (1, "a".into()));
        let t: (u32, String) = de_ok("[1, \"a\"]");
        assert_eq!(t, (1, "a".into()));
        let src = "(1, \"a\", true)";
        let e = de_err::<(u32, String)>(src);
        assert_eq!(e.message, "too many elements: expected 2, found 3");
        assert_eq!(e.span, sp(src, "true"));
        let e = de_err::<(u32, String)>("(1)");
        assert_eq!(e.message, "expected a tuple of size 2, found 1 element");

        #[derive(Debug, Deserialize, PartialEq)]
        struct P(i32, i32);
        assert_eq!(de_ok::<P>("P(1, -2)"), P(1, -2));
        assert_eq!(de_ok::<P>("(1, -2)"), P(1, -2));
        let src = "Q(1, 2)";
        let e = de_err::<P>(src);
        assert_eq!(e.message, "expected `P`, found `Q`");
        assert_eq!(e.span, sp(src, "Q"));

        #[derive(Debug, Deserialize, PartialEq)]
        struct U;
        assert_eq!(de_ok::<U>("U"), U);
        assert_eq!(de_ok::<U>("()"), U);
        assert_eq!(de_ok::<U>("U()"), U);
        assert_eq!(de_err::<U>("V").message, "expected `U`, found `V`");
        de_ok::<()>("()");

        #[derive(Debug, Deserialize, PartialEq)]
        struct Defaults {
            #[serde(default)]
            a: u32,
        }
        assert_eq!(de_ok::<Defaults>("Defaults()"), Defaults { a: 0 });
        assert_eq!(de_ok::<Defaults>("()"), Defaults { a: 0 });
    }

    #[test]
    fn maps_strings_and_numbers() {
        let m: HashMap<String, u32> = de_ok(r#"{"a": 1, "b": 2}"#);
        assert_eq!(m.get("b"), Some(&2));
        let m: BTreeMap<String, u32> = de_ok("(a: 1, b: 2)");
        assert_eq!(
            m.into_iter().collect::<Vec<_>>(),
            vec![("a".into(), 1), ("b".into(), 2)]
        );
        let m: BTreeMap<u32, Vec<f64>> = de_ok("{1: [1, 2.5]}");
        assert_eq!(m.get(&1), Some(&vec![1.0, 2.5]));
        let e = de_err::<BTreeMap<u32, u32>>("[1]");
        assert_eq!(e.message, "expected a map, found a list");

        // a struct with a flattened field is read as a map, names and all
        #[derive(Debug, Deserialize, PartialEq)]
        struct Flat {
            id: u32,
            #[serde(flatten)]
            rest: BTreeMap<String, u32>,
        }
        let flat: Flat = de_ok("Flat(id: 1, x: 2)");
        assert_eq!(flat.rest.get("x"), Some(&2));

        // a key written twice in a map-shaped struct
        let src = r#"{"id": 1, "name": "x", "id": 2, "kind": "bi"}"#;
        let e = de_err::<Model>(src);
        assert_eq!(e.message, "duplicate field `id`");
        assert_eq!(e.span, sp_nth(src, "\"id\"", 1));

        #[derive(Debug, Deserialize, PartialEq)]
        struct Texts {
            s: String,
            c: char,
            f: f32,
        }
        assert_eq!(
            de_ok::<Texts>("(s: 'x', c: \"y\", f: 2)"),
            Texts {
                s: "x".into(),
                c: 'y',
                f: 2.0
            }
        );

        #[derive(Debug, Deserialize)]
        struct Borrowed<'a> {
            #[serde(borrow)]
            s: &'a str,
        }
        let v = ok("(s: \"borrowed\")");
        let b: Borrowed<'_> = match from_value(&v) {
            Ok(b) => b,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(b.s, "borrowed");

        let big: u128 = de_ok("170141183460469231731687303715884105727");
        assert_eq!(big, i128::MAX as u128);
        let neg: i128 = de_ok("-170141183460469231731687303715884105728");
        assert_eq!(neg, i128::MIN);
    }

    #[test]
    fn deserialize_any_and_serde_buffering() {
        let d: Dyn = de_ok("Foo(a: [1, -2, (3, x)], b: {\"k\": None}, c: Some('z'), d: ())");
        assert_eq!(
            d,
            Dyn::Map(vec![
                (
                    Dyn::S("a".into()),
                    Dyn::Seq(vec![
                        Dyn::U(1),
                        Dyn::I(-2),
                        Dyn::Seq(vec![Dyn::U(3), Dyn::S("x".into())])
                    ])
                ),
                (
                    Dyn::S("b".into()),
                    Dyn::Map(vec![(Dyn::S("k".into()), Dyn::None)])
                ),
                (Dyn::S("c".into()), Dyn::Some(Box::new(Dyn::C('z')))),
                (Dyn::S("d".into()), Dyn::Unit),
            ])
        );

        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(untagged)]
        enum Untagged {
            A { a: u32 },
            B(Vec<u32>),
            C(String),
        }
        let u: Vec<Untagged> = de_ok("[(a: 1), [2, 3], \"c\"]");
        assert_eq!(
            u,
            vec![
                Untagged::A { a: 1 },
                Untagged::B(vec![2, 3]),
                Untagged::C("c".into())
            ]
        );

        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(tag = "type")]
        enum Tagged {
            Web { url: String },
            Mail,
        }
        let t: Vec<Tagged> = de_ok("[(type: \"Web\", url: \"x\"), (type: Mail)]");
        assert_eq!(t, vec![Tagged::Web { url: "x".into() }, Tagged::Mail]);

        #[derive(Debug, Deserialize, PartialEq)]
        struct Lenient {
            a: u32,
        }
        let l: Lenient = de_ok("(a: 1, extra: [Foo(x: {1: 2}), Some(r#\"raw\"#)])");
        assert_eq!(l, Lenient { a: 1 });
    }

    #[derive(Debug, Deserialize)]
    struct SpannedDoc {
        name: Spanned<String>,
        items: Vec<Spanned<SpannedItem>>,
        maybe: Option<Spanned<u32>>,
        #[serde(default)]
        absent: Option<Spanned<u32>>,
    }

    #[derive(Debug, Deserialize)]
    struct SpannedItem {
        id: Spanned<u32>,
        label: Spanned<Option<String>>,
    }

    #[test]
    fn spanned_fields_record_where_values_were_written() {
        let src = "SpannedDoc(\n  name: \"Acme\",\n  items: [\n    SpannedItem(id: 1, label: \"one\"),\n    (id: 22, label: None),\n  ],\n  maybe: 5,\n)";
        let v = match parse(src, 3) {
            Ok(v) => v,
            Err(e) => panic!("{e:?}"),
        };
        let doc: SpannedDoc = match from_value(&v) {
            Ok(d) => d,
            Err(e) => panic!("{e:?}"),
        };
        let in3 = |s: Span| Span { file: 3, ..s };
        assert_eq!(doc.name.value, "Acme");
        assert_eq!(doc.name.span, in3(sp(src, "\"Acme\"")));
        assert_eq!(
            doc.items[0].span,
            in3(sp(src, "SpannedItem(id: 1, label: \"one\")"))
        );
        assert_eq!(doc.items[0].value.id.span, in3(sp(src, "1")));
        assert_eq!(doc.items[0].value.label.value.as_deref(), Some("one"));
        assert_eq!(doc.items[1].value.id.value, 22);
        assert_eq!(doc.items[1].value.id.span, in3(sp(src, "22")));
        assert_eq!(doc.items[1].value.label.span, in3(sp(src, "None")));
        assert_eq!(doc.items[1].value.label.value, None);
        let maybe = doc.maybe.map(|m| (m.value, m.span));
        assert_eq!(maybe, Some((5, in3(sp(src, "5")))));
        assert!(doc.absent.is_none());
        assert_eq!(
            line_col(src, doc.items[1].value.id.span.start as usize),
            (5, 10)
        );

        // errors inside a spanned value keep their own position
        let src = "[1, 300]";
        let e = de_err::<Vec<Spanned<u8>>>(src);
        assert_eq!(e.message, "integer 300 out of range for u8");
        assert_eq!(e.span, sp(src, "300"));

        // other deserializers: plain values get a default span
        let plain = Spanned::<String>::deserialize(
            de::value::StrDeserializer::<de::value::Error>::new("x"),
        );
        let plain = plain.map(|s| (s.value, s.span));
        assert_eq!(plain, Ok(("x".to_owned(), Span::default())));
    }

    // --- differential tests against `ron` ------------------------------------------

    #[test]
    fn agrees_with_ron_on_hand_written_documents() {
        let valid = [
            "Model(id: 1, name: \"Acme\", kind: crm)",
            "(a: 1, b: (c: [1, 2, 3,], d: {\"k\": 'v'},),)",
            "{\"a\": 1, 2: \"b\", (1, 2): [x, y], Foo(1): Bar(a: 2), None: Some(3)}",
            "[Foo(1), Foo(1, 2), Foo(), (1,), (1, 2), Foo(a: 1), r#type, r#a.b-c]",
            "[0, -1, +2, 1_000, 0xFF, 0o17, 0b101, -0x1f, 1.5, -2.5E-3, 1e3, .5, 1., inf, -inf, NaN, 1.5f32, 2f64, 7u8, -3i64, b'a', b'\\x7f']",
            r####"["a\nb\t\"q\" \\ \u{1F600} \x41", r"raw\n", r#"with "quotes""#, r##"a"#b"##, "line \
                continued", "\xC3\xA9"]"####,
            "['a', '\\'', '\\n', '😀', '\\u{e9}', ''']",
            "// leading comment\n/* block /* nested */ */ [1, // inline\n 2 /* between */, 3] // trailing without newline",
            "#![enable(implicit_some)]\n#![type = \"revarch::Model\"]\n(a: 1)",
            "(r#type: \"x\", r#match: r#enum, true: 1, None: 2)",
            "[None, Some(1), Some(Some(None)), Some((1, 2)), Some( [1] , ), Some\n(2)]",
            "[(), Foo(), [], {}, ( ), Foo ( )]",
            "\u{2028}[\r\n1,\t\u{0B}2\u{85},\u{200E}3\u{2029}]\u{0C}",
            "(größe: 1, 名前: \"x\", café: ñ)",
            "Revenue(\n    name: \"Acme\",\n    streams: [\n        Stream(id: \"subs\", kind: Recurring(period: Monthly), price: 9.99),\n        Stream(id: \"one-off\", kind: OneTime, price: 100),\n    ],\n    owner: None,\n)",
            "#![enable(unwrap_variant_newtypes)] [Some(a: 1), Some(1, 2), Some()]",
        ];
        for src in valid {
            let theirs = ron::from_str::<ron::Value>(src);
            assert!(theirs.is_ok(), "ron rejects {src:?}: {theirs:?}");
            assert!(
                parse(src, 0).is_ok(),
                "we reject {src:?}: {:?}",
                parse(src, 0)
            );
        }

        let invalid = [
            "",
            "(a: 1",
            "[1 2]",
            "(a: 1,,)",
            "'ab'",
            "\"abc",
            "(a = 1)",
            "Some()",
            "Some 1",
            "#![enable(nope)] 1",
            "1 2",
            "[1,,]",
            "/* x",
            "0b2",
            "(a: 1, 2)",
            "{1}",
            "(1, a: 2)",
            "r#",
            "b'é'",
            "\"\\q\"",
            "1e",
            "-",
            "#[enable(implicit_some)] 1",
            "[a: 1]",
            "true(1)",
            "None(1)",
            "(a: 1) x",
            "1.2.3",
            "12abc",
            "'\\x80'",
            "\"\\u{D800}\"",
        ];
        for src in invalid {
            assert!(
                ron::from_str::<ron::Value>(src).is_err(),
                "ron accepts {src:?}"
            );
            assert!(parse(src, 0).is_err(), "we accept {src:?}");
        }

        // Intentional differences, each with the reason.
        let ours_only = [
            // A UTF-8 BOM is common in files saved by Windows editors; `ron` rejects it.
            "\u{feff}(a: 1)",
        ];
        for src in ours_only {
            assert!(ron::from_str::<ron::Value>(src).is_err(), "{src:?}");
            assert!(parse(src, 0).is_ok(), "{src:?}");
        }
        let theirs_only = [
            // `ron` keeps the last of two equal fields; a model with a field written twice
            // is almost certainly a mistake, so we report it.
            "(a: 1, a: 2)",
            // Byte strings and ranges have no place in a revarch model.
            "b\"bytes\"",
            "1..5",
            "inf..-inf",
            // `ron` silently turns integers that overflow into floats; we refuse.
            "340282366920938463463374607431768211456",
            // With `implicit_some`, `ron` reads a `Some` without parentheses as a prefix of
            // the next value; that is a typo far more often than intended.
            "#![enable(implicit_some)] Some 5",
        ];
        for src in theirs_only {
            assert!(ron::from_str::<ron::Value>(src).is_ok(), "{src:?}");
            let e = fail(src);
            assert!(intentionally_rejected(&e), "{src:?}: {e:?}");
        }
    }

    /// Errors for syntax that `ron` accepts but we reject on purpose.
    fn intentionally_rejected(e: &SyntaxError) -> bool {
        e.message.starts_with("duplicate field")
            || e.message == "byte strings are not supported"
            || e.message == "ranges (`..`) are not supported"
            || e.message == "integer out of range"
            || e.message.starts_with("expected `(` after `Some`")
    }

    const SAMPLE: &str = r####"// Revenue architecture sample
Model(
    name: "Acme Corp",
    version: 3,
    ratio: -2.5E-3,
    enabled: true,
    owner: None,
    lead: Some("Ann"),
    tags: ["crm", "bi", r#"raw "quoted""#],
    initial: 'A',
    mask: 0xFF_FF,
    bits: 0b1010,
    octal: 0o777,
    big: 1_000_000,
    sci: 1e3,
    limits: { "low": 1, "high": 2.5, },
    pair: (1, "two"),
    unit: (),
    kind: current,
    stage: Active(since: 2021, until: None),
    steps: [Step(1), Step(2, 3), Empty(), r#type],
    esc: "tab\tnewline\n quote\" uni\u{1F600} \x41",
    /* block /* nested */ comment */
    empty: [],
    nested: [[1, [2, [3]]], {(1, 2): [a, b]}],
    byte: b'z',
    floats: [.5, 1., inf, -inf, NaN, 1.5f32],
)
"####;

    const ALPHABET: &[char] = &[
        '(', ')', '[', ']', '{', '}', ',', ':', '"', '\'', '#', '!', '/', '*', '\\', '-', '+', '.',
        '_', '0', '1', '9', 'a', 'b', 'e', 'f', 'i', 'n', 'r', 's', 'u', 'x', 'E', 'N', 'S', 'Z',
        ' ', '\n', '\t', '=', ';', 'é', '😀', '\u{2028}', '\0',
    ];

    /// Deterministic xorshift64 generator.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    fn mutate(rng: &mut XorShift, base: &[char]) -> String {
        let mut doc = base.to_vec();
        for _ in 0..1 + rng.below(3) {
            let i = rng.below(doc.len() + 1);
            let c = ALPHABET[rng.below(ALPHABET.len())];
            match rng.below(4) {
                0 if i < doc.len() => doc[i] = c,
                1 => doc.insert(i, c),
                2 if i < doc.len() => {
                    doc.remove(i);
                }
                _ => {
                    let from = rng.below(doc.len());
                    let to = (from + 1 + rng.below(8)).min(doc.len());
                    let piece: Vec<char> = doc[from..to].to_vec();
                    let i = i.min(doc.len());
                    doc.splice(i..i, piece);
                }
            }
        }
        doc.into_iter().collect()
    }

    #[test]
    fn mutated_documents_never_panic_and_agree_with_ron() {
        assert!(ron::from_str::<ron::Value>(SAMPLE).is_ok());
        let sample = ok(SAMPLE);
        assert!(from_value::<Dyn>(&sample).is_ok());
        let base: Vec<char> = SAMPLE.chars().collect();
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let (mut accepted, mut rejected, mut intentional) = (0, 0, 0);
        let mut mismatches = Vec::new();
        for _ in 0..20_000 {
            let doc = mutate(&mut rng, &base);
            let ours = parse(&doc, 0);
            if let Ok(v) = &ours {
                let _ = from_value::<Dyn>(v);
                let _ = from_value::<Model>(v);
                let _ = from_value::<Vec<Stage>>(v);
            }
            let theirs = ron::from_str::<ron::Value>(&doc).is_ok();
            match (&ours, theirs) {
                (Ok(_), true) => accepted += 1,
                (Err(_), false) => rejected += 1,
                (Err(e), true) if intentionally_rejected(e) => intentional += 1,
                _ => mismatches.push((doc, ours.err())),
            }
        }
        assert!(
            mismatches.is_empty(),
            "{} disagreements with ron, e.g. {:#?}",
            mismatches.len(),
            &mismatches[..mismatches.len().min(3)]
        );
        println!("mutated documents: {accepted} accepted by both, {rejected} rejected by both, {intentional} intentional differences");
        // make sure the mutations exercise both outcomes
        assert!(
            accepted > 2_000 && rejected > 2_000,
            "{accepted} / {rejected} / {intentional}"
        );
    }

    /// Parse throughput on generated ~50 MB documents. Run with
    /// `cargo test --release -- --ignored --nocapture throughput`.
    #[test]
    #[ignore = "benchmark"]
    fn throughput() {
        use std::fmt::Write as _;
        use std::time::Instant;

        #[derive(Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: u64,
            name: String,
            price: f64,
            tags: Vec<String>,
            active: bool,
            parent: Option<u64>,
        }

        for shape in ["structs", "numbers", "strings"] {
            let mut doc = String::with_capacity(52 << 20);
            doc.push_str("[\n");
            let mut n = 0u64;
            while doc.len() < 50 << 20 {
                let _ = match shape {
                    "structs" => writeln!(
                        doc,
                        "    Item(id: {n}, name: \"item number {n}\", price: {}.{:02}, tags: [\"alpha\", \"beta\"], active: {}, parent: None),",
                        n % 1000,
                        n % 100,
                        n.is_multiple_of(2)
                    ),
                    "numbers" => writeln!(doc, "    {n}, {}.{:02}, -{},", n % 1000, n % 100, n * 7),
                    _ => writeln!(
                        doc,
                        "    \"description of item {n}: a longer piece of free text as people write it\","
                    ),
                };
                n += 1;
            }
            doc.push(']');
            let mb = doc.len() as f64 / 1e6;
            let t = Instant::now();
            let parsed = parse(&doc, 0);
            let secs = t.elapsed().as_secs_f64();
            let Ok(value) = parsed else {
                panic!("the generated document must parse")
            };
            println!(
                "{shape}: {mb:.1} MB parsed in {secs:.3} s = {:.0} MB/s",
                mb / secs
            );
            if shape == "structs" {
                let t = Instant::now();
                let items = from_value::<Vec<Item>>(&value).map(|items| items.len());
                let secs = t.elapsed().as_secs_f64();
                assert_eq!(items, Ok(n as usize));
                println!(
                    "  from_value::<Vec<Item>>: {secs:.3} s = {:.0} MB/s",
                    mb / secs
                );
                drop(value);
                let t = Instant::now();
                let theirs = ron::from_str::<ron::Value>(&doc).is_ok();
                let secs = t.elapsed().as_secs_f64();
                assert!(theirs);
                println!(
                    "  ron::from_str::<ron::Value>: {secs:.3} s = {:.0} MB/s",
                    mb / secs
                );
            }
        }
    }

    /// Records what `deserialize_any` reports.
    #[derive(Debug, PartialEq)]
    enum Dyn {
        Unit,
        Bool(bool),
        I(i64),
        U(u64),
        Big(i128),
        F(f64),
        C(char),
        S(String),
        None,
        Some(Box<Dyn>),
        Seq(Vec<Dyn>),
        Map(Vec<(Dyn, Dyn)>),
    }

    impl<'de> Deserialize<'de> for Dyn {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(DynVisitor)
        }
    }

    struct DynVisitor;

    impl<'de> Visitor<'de> for DynVisitor {
        type Value = Dyn;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("anything")
        }

        fn visit_unit<E>(self) -> Result<Dyn, E> {
            Ok(Dyn::Unit)
        }

        fn visit_bool<E>(self, v: bool) -> Result<Dyn, E> {
            Ok(Dyn::Bool(v))
        }

        fn visit_i64<E>(self, v: i64) -> Result<Dyn, E> {
            Ok(Dyn::I(v))
        }

        fn visit_u64<E>(self, v: u64) -> Result<Dyn, E> {
            Ok(Dyn::U(v))
        }

        fn visit_i128<E>(self, v: i128) -> Result<Dyn, E> {
            Ok(Dyn::Big(v))
        }

        fn visit_u128<E>(self, v: u128) -> Result<Dyn, E> {
            Ok(Dyn::Big(v as i128))
        }

        fn visit_f64<E>(self, v: f64) -> Result<Dyn, E> {
            Ok(Dyn::F(v))
        }

        fn visit_char<E>(self, v: char) -> Result<Dyn, E> {
            Ok(Dyn::C(v))
        }

        fn visit_str<E>(self, v: &str) -> Result<Dyn, E> {
            Ok(Dyn::S(v.to_owned()))
        }

        fn visit_none<E>(self) -> Result<Dyn, E> {
            Ok(Dyn::None)
        }

        fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Dyn, D::Error> {
            Dyn::deserialize(d).map(|v| Dyn::Some(Box::new(v)))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Dyn, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(Dyn::Seq(items))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dyn, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = map.next_entry()? {
                entries.push(entry);
            }
            Ok(Dyn::Map(entries))
        }
    }
}
