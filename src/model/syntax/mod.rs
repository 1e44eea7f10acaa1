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
//! The unit tests (`tests.rs`) compare acceptance with `ron::from_str::<ron::Value>`,
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

mod deser;
mod json;
mod parse;
mod spanned;
mod suggest;
#[cfg(test)]
mod tests;

pub use deser::*;
pub use json::{parse_json, JSON_DEPTH};
pub use parse::*;
pub use spanned::*;
use suggest::*;
