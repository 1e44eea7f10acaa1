//! Unit tests of the RON reader, compared with `ron::from_str` where
//! the dialects agree.

use super::*;
use std::collections::{BTreeMap, HashMap};

mod deser;
mod differential;
mod parse;

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

// --- shapes the tests deserialize into ---------------------------------------

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
