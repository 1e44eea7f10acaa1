//! The deserializer over the tree: types, spans and located errors.

use super::*;

// --- deserialization -----------------------------------------------------------

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
