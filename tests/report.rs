//! `revarch report`: golden pages, determinism, internal links and anchors,
//! offline (no external URL), `--single-file`, `--templates`.
//!
//! Goldens: `tests/golden/report/`, refreshed deliberately with
//! `REVARCH_BLESS=1 cargo test --test report` (review the diff).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod common;
use common::revarch;

const PAGES: [&str; 7] = [
    "dictionary.html",
    "div.html",
    "findings.html",
    "index.html",
    "ov.html",
    "stdv.html",
    "sv.html",
];

fn golden(name: &str, actual: &str) {
    common::golden("report", name, actual)
}

/// Writes the report of `model` into a fresh folder; returns the folder and its files.
fn report(model: &str, extra: &[&str]) -> (tempfile::TempDir, BTreeMap<String, String>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_string();
    let mut args = vec!["report", model, "--out", &out];
    args.extend_from_slice(extra);
    let (code, _, err) = revarch(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("(open it in a browser)"), "{err}");
    let files = read_dir(dir.path());
    (dir, files)
}

/// The files in `dir` (not the `.revarch-report` marker): the pages, and
/// the drawings in its `svg/` folder as `svg/NAME.svg`.
fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for p in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            assert_eq!(name, "svg", "only the drawings' folder");
            for (inner, text) in read_dir(&p) {
                assert!(!p.join(&inner).is_dir(), "svg/{inner} is a folder");
                files.insert(format!("svg/{inner}"), text);
            }
        } else {
            files.insert(name, std::fs::read_to_string(&p).unwrap());
        }
    }
    files
}

/// Only the pages of a report's files.
fn pages(files: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    files
        .iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(n, t)| (n.clone(), t.clone()))
        .collect()
}

/// The names of the drawings' files (`sv-2` for `svg/sv-2.svg`).
fn drawing_files(files: &BTreeMap<String, String>) -> Vec<&str> {
    files
        .keys()
        .filter_map(|n| n.strip_prefix("svg/")?.strip_suffix(".svg"))
        .collect()
}

/// Every entry of `dir` (hidden ones too), sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Values of `attr="…"` in an HTML text (a simple scanner: our output
/// always double-quotes attributes).
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.match_indices(&pat)
        .filter_map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Every internal link resolves to an existing file and id; no external URL.
fn check_links(files: &BTreeMap<String, String>) -> usize {
    let ids: BTreeMap<&str, BTreeSet<&str>> = files
        .iter()
        .map(|(f, html)| (f.as_str(), attr_values(html, "id").into_iter().collect()))
        .collect();
    for (f, set) in &ids {
        let all = attr_values(&files[*f], "id");
        assert_eq!(all.len(), set.len(), "{f} has duplicate ids");
    }
    let mut checked = 0;
    for (f, html) in files {
        if !f.ends_with(".html") {
            // a drawing's file: a standalone SVG that loads nothing
            assert!(
                html.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
                "{f}"
            );
            assert!(!html.contains("href=") && !html.contains("url("), "{f}");
            continue;
        }
        for attr in ["href", "src", "action", "srcset", "poster", "data"] {
            for v in attr_values(html, attr) {
                assert!(
                    !v.starts_with("http:") && !v.starts_with("https:") && !v.starts_with("//"),
                    "{f}: external {attr} {v}"
                );
            }
        }
        assert!(attr_values(html, "src").is_empty(), "{f} loads something");
        assert!(!html.contains("@import") && !html.contains("url("), "{f}");
        for href in attr_values(html, "href") {
            let (file, anchor) = match href.split_once('#') {
                Some(("", a)) => (f.as_str(), Some(a)),
                Some((file, a)) => (file, Some(a)),
                None => (href, None),
            };
            let target = ids
                .get(file)
                .unwrap_or_else(|| panic!("{f}: link to missing file {href}"));
            if let Some(a) = anchor {
                assert!(target.contains(a), "{f}: link {href} has no target id");
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn small_example_pages_are_golden_and_deterministic() {
    let (_d1, first) = report("examples/single-file.ron", &[]);
    let (_d2, second) = report("examples/single-file.ron", &[]);
    assert_eq!(pages(&first).keys().collect::<Vec<_>>(), PAGES);
    assert_eq!(
        drawing_files(&first)
            .into_iter()
            .filter(|f| !f.starts_with("lineage-"))
            .collect::<Vec<_>>(),
        ["div-2", "ov-2", "ov-5b", "sv-1", "sv-2"]
    );
    assert_eq!(first, second, "byte-identical on re-run");
    // the drawings are the SVG goldens of tests/render.rs; the pages here
    for (name, html) in &pages(&first) {
        golden(&format!("single-file-{name}"), html);
    }
}

/// The figures of a page: (anchor, the drawing's file from its links,
/// the `--w` width, the inlined SVG).
fn figures(html: &str) -> Vec<(String, Option<String>, Option<String>, String)> {
    html.split("<figure class=\"diagram\" id=\"")
        .skip(1)
        .map(|f| {
            let f = &f[..f.find("</figure>").unwrap()];
            let anchor = f[..f.find('"').unwrap()].to_string();
            let between = |start: &str, end: &str| {
                let i = f.find(start)? + start.len();
                Some(f[i..i + f[i..].find(end)?].to_string())
            };
            let file = between("<a href=\"", "\" target=\"_blank\"");
            if let Some(file) = &file {
                // "open full size" and "download SVG" both name it
                assert!(
                    f.contains(&format!("<a href=\"{file}\" download>download SVG</a>")),
                    "{anchor}"
                );
            }
            let width = between("style=\"--w: ", "px\"");
            let svg = between("<svg ", "</svg>").unwrap_or_default();
            (anchor, file, width, format!("<svg {svg}</svg>"))
        })
        .collect()
}

/// Undoes the page's id prefixes of an inlined SVG.
fn unprefixed(svg: &str, anchor: &str) -> String {
    svg.replace(&format!(" id=\"{anchor}--"), " id=\"").replace(
        &format!(" aria-labelledby=\"{anchor}--"),
        " aria-labelledby=\"",
    )
}

/// Every figure of every page links to its drawing's own file
/// (`svg/sv-2.svg`, a group's `svg/sv-1--revops.svg`), which exists and
/// holds the same drawing as the page (without the page's id prefixes);
/// every file is linked; the figure knows the drawing's width (the page
/// shows it at no less than 0.75 of it). Also for split views.
#[test]
fn every_drawing_has_its_own_file_linked_beside_its_figure() {
    for extra in [&[][..], &["--max-nodes", "5"][..]] {
        let (dir, files) = report("models", extra);
        check_links(&files);
        let mut linked = BTreeSet::new();
        let mut shown = 0;
        for (page, html) in pages(&files) {
            for (anchor, file, width, svg) in figures(&html) {
                let file = file.unwrap_or_else(|| panic!("{page} #{anchor}: no link"));
                assert!(dir.path().join(&file).is_file(), "{file}");
                assert_eq!(unprefixed(&svg, &anchor), files[&file].trim_end(), "{file}");
                let width = width.unwrap_or_else(|| panic!("{page} #{anchor}: no width"));
                let drawn: f64 = attr_values(&svg, "width")[0].parse().unwrap();
                assert_eq!(width, drawn.ceil().to_string(), "{page} #{anchor}");
                linked.insert(file);
                shown += 1;
            }
        }
        let all: BTreeSet<String> = files
            .keys()
            .filter(|f| f.starts_with("svg/"))
            .cloned()
            .collect();
        assert_eq!(
            linked, all,
            "{extra:?}: every file is linked, every link a file"
        );
        // the same drawing on two pages (SV-2 on sv.html and findings.html) is one file
        assert!(shown > all.len(), "{extra:?}");
        let names = drawing_files(&files);
        for name in ["sv-2", "sv-1", "ov-5b", "lineage-lead", "lineage-account"] {
            assert!(names.contains(&name), "{extra:?}: {name}");
        }
        if !extra.is_empty() {
            for name in [
                "sv-1--revops",
                "sv-2--finance",
                "ov-5b--part-1",
                "ov-5b--attract-0",
            ] {
                assert!(names.contains(&name), "{name}: {names:?}");
            }
        }
        // the marker lists them, so a re-run needs no --force
        let marker = std::fs::read_to_string(dir.path().join(".revarch-report")).unwrap();
        assert!(marker.lines().any(|l| l == "svg/sv-2.svg"), "{marker}");
        let (code, _, err) = revarch(&["report", "models", "--out", dir.path().to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
    }
}

/// `--state as-is`: the findings page shows the to-be SV-2, a different
/// drawing from the SV page's, in a file of its own.
#[test]
fn the_findings_overlay_of_another_state_has_its_own_file() {
    let (_d, files) = report("models", &["--state", "as-is"]);
    check_links(&files);
    let findings = figures(&files["findings.html"]);
    let sv = figures(&files["sv.html"]);
    let file_of = |figs: &[(String, Option<String>, Option<String>, String)], anchor: &str| {
        figs.iter()
            .find(|f| f.0 == anchor)
            .and_then(|f| f.1.clone())
            .unwrap()
    };
    assert_eq!(file_of(&findings, "findings-sv-2"), "svg/findings-sv-2.svg");
    assert_eq!(file_of(&sv, "sv-sv-2"), "svg/sv-2.svg");
    assert_ne!(files["svg/findings-sv-2.svg"], files["svg/sv-2.svg"]);
}

/// A file that revarch did not write, put into the drawings' folder, makes
/// the folder someone's: refused without `--force`.
#[test]
fn a_foreign_file_among_the_drawings_is_refused_without_force() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("report");
    let out_s = out.to_str().unwrap();
    let (code, _, err) = revarch(&["report", "examples/single-file.ron", "--out", out_s]);
    assert_eq!(code, 0, "{err}");
    std::fs::write(out.join("svg").join("notes.txt"), "mine").unwrap();
    let (code, _, err) = revarch(&["report", "examples/single-file.ron", "--out", out_s]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`svg`") && err.contains("--force"), "{err}");
    assert!(out.join("svg").join("notes.txt").is_file());
}

#[test]
fn every_internal_link_resolves_and_nothing_is_external() {
    let (_d, files) = report("examples/single-file.ron", &[]);
    assert!(check_links(&files) > 50);
    let (_d, files) = report("models", &[]);
    assert!(check_links(&files) > 500);
    // every entity of the reference model has its dictionary anchor
    for anchor in ["sys-salesforce", "data-account"] {
        assert!(
            files["dictionary.html"].contains(&format!("id=\"{anchor}\"")),
            "{anchor}"
        );
    }
}

#[test]
fn single_file_is_self_contained() {
    for extra in [&[][..], &["--max-nodes", "5"][..]] {
        let mut args = vec!["--single-file"];
        args.extend_from_slice(extra);
        let (d, files) = report("examples/single-file.ron", &args);
        assert_eq!(files.keys().collect::<Vec<_>>(), ["report.html"]);
        assert_eq!(entries(d.path()), [".revarch-report", "report.html"]);
        check_links(&files);
        let html = &files["report.html"];
        assert!(html.matches("<svg ").count() >= 5, "diagrams inline");
        for href in attr_values(html, "href") {
            assert!(href.starts_with('#'), "{href}");
        }
        // no links to drawings' files, but the same sizing as the pages
        for (anchor, file, width, _) in figures(html) {
            assert_eq!(file, None, "{anchor}");
            assert!(width.is_some(), "{anchor}");
        }
    }
}

#[test]
fn a_template_override_changes_its_page_and_only_that() {
    let tpl = tempfile::tempdir().unwrap();
    std::fs::write(
        tpl.path().join("stdv.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Brand standards of {{ site.name }}</h1>{% endblock %}",
    )
    .unwrap();
    std::fs::write(tpl.path().join("notes.txt"), "not a template").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let (code, _, err) = revarch(&[
        "report",
        "examples/single-file.ron",
        "--out",
        out,
        "--templates",
        tpl.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("notes.txt") && err.contains("ignored"),
        "{err}"
    );
    let files = read_dir(dir.path());
    assert!(files["stdv.html"].contains("<h1>Brand standards of Kestrel Studio"));
    let (_d, plain) = report("examples/single-file.ron", &[]);
    assert_eq!(files["sv.html"], plain["sv.html"]);
}

#[test]
fn a_broken_override_exits_2_naming_the_file() {
    let tpl = tempfile::tempdir().unwrap();
    std::fs::write(tpl.path().join("index.html"), "line one\n{% for %}\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = revarch(&[
        "report",
        "examples/single-file.ron",
        "--out",
        dir.path().to_str().unwrap(),
        "--templates",
        tpl.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("index.html") && err.contains("line 2"),
        "{err}"
    );
    assert!(read_dir(dir.path()).is_empty(), "nothing written");
}

#[test]
fn an_invalid_model_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _) = revarch(&[
        "report",
        "examples/broken",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(read_dir(dir.path()).is_empty());
}

/// With `--max-nodes 5` the reference SV-2 (18 systems) is split: the SV
/// page shows the overview, says why, and has one collapsed section per
/// group drawing; ids stay unique and every link resolves, also in one file.
#[test]
fn split_views_show_overview_reason_and_one_section_per_group() {
    let (_d, files) = report("models", &["--max-nodes", "5"]);
    check_links(&files);
    let sv = &files["sv.html"];
    assert!(sv.contains(
        "This view has 18 systems, more than the 5 that stay readable in one drawing, so it is drawn per owning team: the overview shows the teams and the integrations between them; open a team to see its systems."
    ));
    // SV-2 overview and its five group drawings (ids prefixed per drawing)
    assert!(sv.contains("<figure class=\"diagram\" id=\"sv-sv-2\">"));
    assert!(sv.contains("overview by owning team (18 systems in 5 groups"));
    for i in 1..=5 {
        assert!(
            sv.contains(&format!("<figure class=\"diagram\" id=\"sv-sv-2-p{i}\">")),
            "part {i}"
        );
        assert!(
            sv.contains(&format!(" id=\"sv-sv-2-p{i}--title\"")),
            "part {i} ids"
        );
    }
    assert!(!sv.contains("id=\"sv-sv-2-p6\""));
    // SV-1 is split the same way: 5 + 5 sections on the page
    assert_eq!(sv.matches("<details class=\"part depth-1\">").count(), 10);
    assert!(sv.contains("<summary>Revenue Operations <span class=\"sub\">5 systems, 3 integrations inside</span></summary>"));
    // the other pages split too, and a second run is byte-identical
    assert!(files["ov.html"].contains("<details class=\"part"));
    assert!(files["div.html"].contains("drawn per data owner"));
    let (_d2, again) = report("models", &["--max-nodes", "5"]);
    assert_eq!(files, again);
    // one file: still unique ids and resolving links
    let (_d3, single) = report("models", &["--max-nodes", "5", "--single-file"]);
    check_links(&single);
    // the default threshold does not split the reference model
    let (_d4, plain) = report("models", &[]);
    assert!(!plain["sv.html"].contains("<details class=\"part"));
    assert!(!plain["sv.html"].contains("This view has"));
}

/// A backtick in a name stays a literal backtick in a finding's message;
/// only the ids the rule quotes become code.
#[test]
fn backticks_in_names_stay_text_in_finding_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("model.ron");
    let text = std::fs::read_to_string(common::root().join("examples/single-file.ron")).unwrap();
    let hostile = "Le`ad`` <script>alert(1)</script>";
    // the data entity (the silo finding names it), not the glossary term
    let entity = r#"(id: "lead", name: "Lead""#;
    assert!(text.contains(entity));
    std::fs::write(
        &model,
        text.replacen(entity, &format!(r#"(id: "lead", name: {hostile:?}"#), 1),
    )
    .unwrap();
    let (_dir, files) = report(model.to_str().unwrap(), &[]);
    let page = &files["findings.html"];
    let escaped = "Le`ad`` &lt;script&gt;alert(1)&lt;/script&gt;";
    let messages: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with("<p class=\"message\">") && l.contains("alert(1)"))
        .collect();
    assert!(!messages.is_empty(), "no finding names {hostile}");
    for m in &messages {
        assert_eq!(
            m.matches("<code>").count(),
            m.matches("</code>").count(),
            "{m}"
        );
        assert!(m.contains(&format!("{escaped} (<code>lead</code>)")), "{m}");
    }
    assert!(!page.contains("<script>"));
}

/// Characters that must never reach an HTML page or an inlined SVG raw: C0
/// and C1 controls (but tab, LF, CR), DEL and the noncharacters XML 1.0 and
/// HTML forbid.
fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c as u32, 0xfdd0..=0xfdef)
        || (c as u32) & 0xfffe == 0xfffe
}

#[test]
fn control_characters_in_model_text_are_replaced_in_every_page() {
    let src = std::fs::read_to_string(common::root().join("examples/single-file.ron")).unwrap();
    let hostile = src
        .replace(
            "name: \"Kestrel Studio revenue architecture\"",
            "name: \"Kestrel\\u{0} Studio\\u{1b}[31m\"",
        )
        .replace(
            "name: \"Pipedrive\"",
            "name: \"Pipe\\u{1b}[31mdrive\\u{0}\\u{7f}\\u{85}\"",
        )
        .replace(
            "name: \"Lead\", owner: \"marketing\", classification",
            "name: \"Le\\u{1}ad\\u{fffe}\\u{fdd0}\", description: \"a\\u{c}b\\u{b}\", owner: \"marketing\", classification",
        );
    assert_ne!(src, hostile);
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("hostile.ron");
    std::fs::write(&model, hostile).unwrap();
    let model = model.to_str().unwrap();
    for extra in [&[][..], &["--single-file"][..], &["--max-nodes", "2"][..]] {
        let (_d, files) = report(model, extra);
        for (name, html) in &files {
            if let Some(c) = html.chars().find(|&c| forbidden(c)) {
                panic!("{name} ({extra:?}) contains U+{:04X}", c as u32);
            }
        }
        let all: String = files.values().map(String::as_str).collect();
        assert!(
            all.contains("Pipe\u{fffd}[31mdrive\u{fffd}\u{fffd}\u{fffd}"),
            "{extra:?}"
        );
        assert!(all.contains("Kestrel\u{fffd} Studio"), "{extra:?}");
    }
}

/// Runs the binary, killing it after `secs`: (exit code, stderr), or `None`
/// when it had to be killed.
fn revarch_within(args: &[&str], secs: u64) -> Option<(i32, String)> {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_revarch"))
        .env_clear()
        .current_dir(common::root())
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return Some((status.code().unwrap_or(-1), err));
        }
        if start.elapsed().as_secs() >= secs {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A template whose loops never end (in practice; they write nothing, so
/// only the fuel stops them) stops with an error that names it, quickly,
/// and writes nothing. (The fuel follows the page budget;
/// a small budget keeps this debug-build test short. With the default
/// budget a release build stops it in a few seconds.)
/// Runs `report` of the single-file example with one override template
/// (`name`, `text`) at a 1 MB page budget: (exit code, stderr), and whether
/// anything was written. Fails if it does not stop within 60 s.
fn report_with_template(name: &str, text: &str) -> (i32, String, bool) {
    let tpl = tempfile::tempdir().unwrap();
    std::fs::write(tpl.path().join(name), text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let args = [
        "report",
        "examples/single-file.ron",
        "--out",
        out.to_str().unwrap(),
        "--templates",
        tpl.path().to_str().unwrap(),
        "--page-budget",
        "1000000",
    ];
    let (code, err) = revarch_within(&args, 60).expect("stopped within 60 s");
    (code, err, out.exists())
}

#[test]
fn a_template_that_never_ends_is_stopped_naming_the_file() {
    let (code, err, written) = report_with_template(
        "ov.html",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% set x = i * j %}{% endfor %}{% endfor %}",
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("ov.html") && err.contains("exceeded its execution budget"),
        "{err}"
    );
    assert!(!written, "nothing written");
}

/// A folder where a page should go: the report fails before touching
/// anything, the previous report stays as it was (no page of the new one
/// mixed in) and no temporary folder is left beside it.
#[test]
fn a_failed_report_leaves_the_previous_one_intact() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("report");
    let out_s = out.to_str().unwrap();
    let (code, _, err) = revarch(&["report", "models", "--out", out_s]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_file(out.join("index.html")).unwrap();
    std::fs::create_dir(out.join("index.html")).unwrap();
    let before = read_dir_without(&out, "index.html");
    let (code, _, err) = revarch(&["report", "examples/single-file.ron", "--out", out_s]);
    assert_ne!(code, 0, "{err}");
    let after = read_dir_without(&out, "index.html");
    let changed: Vec<&String> = before
        .iter()
        .filter(|(name, bytes)| after.get(*name) != Some(*bytes))
        .map(|(name, _)| name)
        .collect();
    assert!(changed.is_empty(), "old pages changed: {changed:?}");
    assert_eq!(before.len(), after.len());
    assert!(out.join("index.html").is_dir());
    assert_eq!(
        entries(parent.path()),
        ["report"],
        "no temporary folder left"
    );
}

/// Every file in `dir` and its `svg/` folder but `skip`, as bytes.
fn read_dir_without(dir: &Path, skip: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for p in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name == skip {
            continue;
        }
        if p.is_dir() {
            for (inner, bytes) in read_dir_without(&p, skip) {
                files.insert(format!("{name}/{inner}"), bytes);
            }
        } else {
            files.insert(name, std::fs::read(&p).unwrap());
        }
    }
    files
}

/// A folder revarch did not write (someone's `index.html`) is refused
/// unless `--force`; with it, the folder becomes the report.
#[test]
fn an_unrelated_folder_is_refused_without_force() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("site");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("index.html"), "my own page").unwrap();
    let out_s = out.to_str().unwrap();
    let (code, _, err) = revarch(&["report", "examples/single-file.ron", "--out", out_s]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--force") && err.contains("--out"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "my own page"
    );
    assert_eq!(entries(&out), ["index.html"]);
    let (code, _, err) = revarch(&[
        "report",
        "examples/single-file.ron",
        "--out",
        out_s,
        "--force",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("Kestrel Studio"));
    assert_eq!(entries(parent.path()), ["site"]);
}

/// Re-running into its own previous output needs no `--force`, also when
/// switching between one file and a site; a file revarch did not write
/// added to that folder makes it someone's again.
#[test]
fn rerunning_into_its_own_output_needs_no_force() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("report");
    let out_s = out.to_str().unwrap();
    for extra in [&[][..], &[][..], &["--single-file"][..], &[][..]] {
        let mut args = vec!["report", "examples/single-file.ron", "--out", out_s];
        args.extend_from_slice(extra);
        let (code, _, err) = revarch(&args);
        assert_eq!(code, 0, "{extra:?}: {err}");
        let want: Vec<String> = if extra.is_empty() {
            PAGES.to_vec()
        } else {
            vec!["report.html"]
        }
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(pages(&read_dir(&out)).into_keys().collect::<Vec<_>>(), want);
        assert_eq!(out.join("svg").is_dir(), extra.is_empty());
        assert!(out.join(".revarch-report").is_file());
    }
    assert_eq!(entries(parent.path()), ["report"]);
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let (code, _, err) = revarch(&["report", "examples/single-file.ron", "--out", out_s]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("notes.txt") && err.contains("--force"),
        "{err}"
    );
}

/// A generated model with a lowered page budget: no page is larger than
/// the budget, the dictionary continues on numbered pages that every link
/// finds, lineage and group drawings beyond the budget are listed with a
/// sentence why, shortened pages say so, and all of it is byte-identical on
/// a re-run. One file with the same budget still has unique ids.
#[test]
fn a_lowered_page_budget_bounds_every_page() {
    let models = tempfile::tempdir().unwrap();
    let model = models.path().join("m");
    let (code, _, err) = revarch(&["gen", "--systems", "300", "--out", model.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let model = model.to_str().unwrap();
    let budget = 400_000;
    let b = budget.to_string();
    let (_d, files) = report(model, &["--page-budget", &b]);
    for (name, html) in &pages(&files) {
        assert!(html.len() <= budget, "{name}: {} bytes", html.len());
    }
    let dict: Vec<&String> = files
        .keys()
        .filter(|f| f.starts_with("dictionary"))
        .collect();
    assert!(dict.len() > 2, "{dict:?}");
    assert!(files.contains_key("dictionary-2.html"));
    assert!(files["dictionary-2.html"].contains("aria-label=\"dictionary pages\""));
    assert!(check_links(&files) > 1000);
    let all: String = files.values().map(String::as_str).collect();
    assert!(
        all.contains("href=\"dictionary-2.html#"),
        "links reach later pages"
    );
    assert!(files["div.html"].contains("Lineage is drawn for "));
    assert!(all.contains("its long lists show only their first entries"));
    assert!(files["sv.html"].contains("are left out to keep this page under"));
    let (_d2, again) = report(model, &["--page-budget", &b]);
    assert_eq!(files, again, "byte-identical on re-run");
    let (_d3, single) = report(model, &["--page-budget", &b, "--single-file"]);
    check_links(&single);
    // the default budget leaves this model whole
    let (_d4, plain) = report(model, &[]);
    assert!(!plain.contains_key("dictionary-2.html"));
    assert!(!plain.values().any(|h| h.contains("note limit")));
}

/// A template that fails on a late page (after earlier pages were written
/// into the new folder): the previous report stays, no temporary folder.
#[test]
fn a_template_error_on_a_late_page_leaves_the_previous_report() {
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("report");
    let out_s = out.to_str().unwrap();
    let (code, _, err) = revarch(&["report", "models", "--out", out_s]);
    assert_eq!(code, 0, "{err}");
    let before = read_dir(&out);
    let tpl = tempfile::tempdir().unwrap();
    std::fs::write(tpl.path().join("findings.html"), "{{ no_such_value.x }}").unwrap();
    let (code, _, err) = revarch(&[
        "report",
        "examples/single-file.ron",
        "--out",
        out_s,
        "--templates",
        tpl.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("findings.html"), "{err}");
    assert!(read_dir(&out) == before, "previous report changed");
    assert_eq!(
        entries(parent.path()),
        ["report"],
        "no temporary folder left"
    );
}

/// A template that writes without end (each step cheap in fuel, much
/// output) is stopped by the page's size limit long before its fuel runs
/// out, naming the file; nothing is written.
#[test]
fn a_template_that_writes_without_end_is_stopped_by_the_page_limit() {
    let (code, err, written) = report_with_template(
        "stdv.html",
        "{% set s = site.name * 2000 %}{% for i in range(100000) %}{{ s }}{% endfor %}",
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("stdv.html") && err.contains("writes more than 3000000 bytes"),
        "{err}"
    );
    assert!(!written, "nothing written");
}
