//! Differential tests: our reader and `ron::from_str` agree where the
//! dialects do.

use super::*;

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
