//! JSON into the span-keeping [`Value`] tree: the bridge that lets a JSON
//! file (a baseline) be read with the same located diagnostics as RON.

use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Ident, Span, Value, ValueKind};

/// Parses a JSON document (a leading BOM allowed) into the span-keeping
/// [`Value`] tree, so that JSON input (a baseline) gets the same located
/// errors as RON: every value and field name keeps its byte span in `file`.
/// The error is the place and serde_json's message, without its own
/// "at line …" (the caller's diagnostic says where). Values nested deeper
/// than [`JSON_DEPTH`] become `()`.
pub fn parse_json(text: &str, file: u32) -> Result<Value, (Span, String)> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skipped = text.len() - body.len();
    match serde_json::from_str::<&RawValue>(body) {
        Ok(raw) => json_value(raw, text, file, 0),
        Err(e) => {
            let at = skipped + offset_of(body, e.line(), e.column());
            let message = e.to_string();
            let message = match message.rsplit_once(" at line ") {
                Some((m, _)) => m.to_string(),
                None => message,
            };
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            Err((
                Span::new(file, at, at.saturating_add(1).min(text.len() as u32)),
                message,
            ))
        }
    }
}

/// The byte offset of serde_json's 1-based line and column (a column counts
/// bytes; 0 means the end of the previous line).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_len = text[start..].find('\n').unwrap_or(text.len() - start);
    let mut at = start + column.saturating_sub(1).min(line_len);
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

type JsonResult<T> = Result<T, (Span, String)>;

/// How deep [`json_value`] converts: a baseline is four levels deep (file,
/// entries, entry, entities). Deeper values become `()`, which is the wrong
/// type wherever a value is read, and the conversion stays linear.
pub const JSON_DEPTH: usize = 6;

/// Converts one raw JSON value (borrowed from `text`) into a [`Value`] with spans.
fn json_value(raw: &RawValue, text: &str, file: u32, depth: usize) -> JsonResult<Value> {
    let s = raw.get();
    let start = (s.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    let start = if start <= text.len() { start } else { 0 };
    let span = Span::new(file, start as u32, (start + s.len()).min(text.len()) as u32);
    let err = |e: serde_json::Error| (span, e.to_string());
    let first = s.as_bytes().first();
    if depth >= JSON_DEPTH && matches!(first, Some(b'{' | b'[')) {
        return Ok(Value {
            kind: ValueKind::Unit,
            span,
        });
    }
    let kind = match first {
        Some(b'{') => {
            let Fields(pairs) = serde_json::from_str::<Fields<'_>>(s).map_err(err)?;
            let mut fields: Vec<(Ident, Value)> = Vec::with_capacity(pairs.len());
            for (name, raw) in pairs {
                let value = json_value(raw, text, file, depth + 1)?;
                let key = key_span(text, value.span.start as usize, file).unwrap_or(value.span);
                if fields.iter().any(|(k, _)| k.name == name) {
                    return Err((key, format!("duplicate field `{name}`")));
                }
                fields.push((Ident { name, span: key }, value));
            }
            ValueKind::Struct { name: None, fields }
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(s).map_err(err)?;
            ValueKind::List(
                items
                    .into_iter()
                    .map(|r| json_value(r, text, file, depth + 1))
                    .collect::<JsonResult<_>>()?,
            )
        }
        Some(b'"') => ValueKind::Str(serde_json::from_str(s).map_err(err)?),
        Some(b't' | b'f') => ValueKind::Bool(serde_json::from_str(s).map_err(err)?),
        Some(b'n') => ValueKind::Option(None),
        _ => {
            let n: serde_json::Number = serde_json::from_str(s).map_err(err)?;
            match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => ValueKind::Int(i.into()),
                (_, Some(u)) => ValueKind::Int(u.into()),
                _ => ValueKind::Float(n.as_f64().unwrap_or(f64::NAN)),
            }
        }
    };
    Ok(Value { kind, span })
}

/// The span of the key (with its quotes) before the value starting at
/// `value_start`, when the text there is `"key" :`.
fn key_span(text: &str, value_start: usize, file: u32) -> Option<Span> {
    let b = text.as_bytes();
    let mut i = value_start.min(b.len());
    while i > 0 && b[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    if i == 0 || b[i - 1] != b':' {
        return None;
    }
    i -= 1;
    while i > 0 && b[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    if i == 0 || b[i - 1] != b'"' {
        return None;
    }
    let end = i;
    let mut j = i - 1;
    while j > 0 {
        j -= 1;
        if b[j] == b'"' {
            let escapes = b[..j].iter().rev().take_while(|&&c| c == b'\\').count();
            if escapes % 2 == 0 {
                return Some(Span::new(file, j as u32, end as u32));
            }
        }
    }
    None
}

/// A JSON object's members in file order, values unparsed.
struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Fields<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'a>, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let v: &'a RawValue = map.next_value()?;
                    out.push((k, v));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_keys_keep_their_spans() {
        let text = "\u{feff}{\"a\": [1, \"x\"], \"b\": null}";
        let v = parse_json(text, 3).expect("valid");
        let ValueKind::Struct { fields, .. } = &v.kind else {
            panic!("{v:?}")
        };
        let (key, list) = &fields[0];
        assert_eq!(key.name, "a");
        let at = |s: Span| &text[s.start as usize..s.end as usize];
        assert_eq!(at(key.span), "\"a\"");
        assert_eq!(at(list.span), "[1, \"x\"]");
        assert_eq!(list.span.file, 3);
        assert!(matches!(fields[1].1.kind, ValueKind::Option(None)));
    }

    #[test]
    fn errors_are_located_and_duplicates_refused() {
        let (span, message) = parse_json("{\"a\": 1,\n \"a\": 2}", 0).unwrap_err();
        assert_eq!(message, "duplicate field `a`");
        assert_eq!(span.start, 10);
        let (span, message) = parse_json("{\"a\": }", 0).unwrap_err();
        assert!(message.starts_with("expected value"), "{message}");
        assert_eq!(span.start, 6);
    }
}
