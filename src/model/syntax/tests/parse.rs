//! The parser: scalars, compound values and syntax errors.

use super::*;

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
