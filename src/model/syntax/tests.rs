//! Unit tests of the RON reader, compared with `ron::from_str` where
//! the dialects agree.

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
    let src = "Model(\n    name: \"Acme\",\n    items: [1, Step(2)],\n    nested: (x: -1.5),\n)\n";
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
    let owner = |src: &str| de_ok::<Model>(&format!("(id: 1, name: \"n\", kind: bi, {src})")).owner;
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
    let plain =
        Spanned::<String>::deserialize(de::value::StrDeserializer::<de::value::Error>::new("x"));
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
    '_', '0', '1', '9', 'a', 'b', 'e', 'f', 'i', 'n', 'r', 's', 'u', 'x', 'E', 'N', 'S', 'Z', ' ',
    '\n', '\t', '=', ';', 'é', '😀', '\u{2028}', '\0',
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
