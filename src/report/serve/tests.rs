use std::path::Path;

use super::*;

/// A starter model in a fresh folder, and a server over it (built once).
fn served() -> (tempfile::TempDir, Live) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in crate::model::starter::FILES {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let live = Live::new(Config {
        source: ModelSource::Path(dir.path().to_path_buf()),
        templates: None,
        options: Options::default(),
    });
    assert!(matches!(live.reload(), Reloaded::Built { .. }));
    (dir, live)
}

fn body(r: &Reply) -> String {
    String::from_utf8(r.body.clone()).unwrap()
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn paths_route_to_the_two_states_and_nothing_else() {
    let (_dir, live) = served();
    assert_eq!(live.get("/").location.as_deref(), Some("/to-be/"));
    assert_eq!(live.get("/as-is").location.as_deref(), Some("/as-is/"));
    let index = live.get("/to-be/");
    assert_eq!(
        (index.status, index.content_type),
        (200, "text/html; charset=utf-8")
    );
    let html = body(&index);
    assert!(html.contains("showing <strong>to-be</strong>"), "{html}");
    assert!(html.contains("href=\"/as-is/index.html\">switch to as-is"));
    assert!(html.contains(&format!("data-version=\"{}\"", live.version())));
    assert!(
        !html.contains("revarch-problem\""),
        "no overlay on a good model"
    );
    // the other state is built on first request; the bar links back
    let sv = body(&live.get("/as-is/sv.html"));
    assert!(sv.contains("showing <strong>as-is</strong>"));
    assert!(sv.contains("href=\"/to-be/sv.html\">switch to to-be"));
    // drawings are served as they are, never with the bar
    let svg = live.get("/to-be/svg/sv-1.svg");
    assert_eq!((svg.status, svg.content_type), (200, "image/svg+xml"));
    assert!(!body(&svg).contains("revarch-live"));
    assert_eq!(live.get(SCRIPT_PATH).status, 200);
    for missing in [
        "/to-be/nothing.html",
        "/draft/",
        "/to-be/svg/",
        "/favicon.ico",
    ] {
        assert_eq!(live.get(missing).status, 404, "{missing}");
    }
}

#[test]
fn paths_that_leave_the_report_are_refused() {
    let (_dir, live) = served();
    for bad in [
        "/to-be/../../etc/passwd",
        "/../etc/passwd",
        "/to-be/%2e%2e/%2e%2e/etc/passwd",
        "/to-be/%2E%2E%2Fsv.html",
        "/to-be/./index.html",
        "/to-be/svg/..%5c..%5cx",
        "/to-be/a%00.html",
    ] {
        assert_eq!(live.get(bad).status, 400, "{bad}");
    }
    for malformed in [
        "/to-be/%zz",
        "/to-be/%e9.html",
        "/to-be/%",
        "to-be/index.html",
    ] {
        assert_eq!(live.get(malformed).status, 400, "{malformed}");
    }
}

#[test]
fn a_broken_model_shows_its_diagnostics_over_the_last_good_report() {
    let (dir, live) = served();
    let before = live.version();
    assert!(matches!(live.reload(), Reloaded::Unchanged));
    assert_eq!(live.version(), before, "nothing changed, no reload");

    edit(
        dir.path(),
        "sv.ron",
        "name: \"HubSpot\"",
        "name: \"Zebra CRM\"",
    );
    assert!(matches!(live.reload(), Reloaded::Built { .. }));
    assert!(live.version() > before);
    assert!(body(&live.get("/to-be/sv.html")).contains("Zebra CRM"));

    // a syntax error, with hostile text in the line the diagnostic quotes
    let sv = dir.path().join("sv.ron");
    let good = std::fs::read_to_string(&sv).unwrap();
    std::fs::write(&sv, format!("{good}\n<script>alert(1)</script>\n")).unwrap();
    let Reloaded::Broken(problem) = live.reload() else {
        panic!("not broken")
    };
    assert!(problem.contains("sv.ron:"), "{problem}");
    let page = body(&live.get("/to-be/sv.html"));
    assert!(page.contains("id=\"revarch-problem\""), "overlay");
    assert!(
        page.contains("Zebra CRM"),
        "the last good report stays under it"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert"));
    let shown = problem.lines().find(|l| l.contains("sv.ron:")).unwrap();
    assert!(page.contains(&crate::render::svg::escape(shown)), "{shown}");

    // fixed: the overlay goes, the version moves on
    let broken = live.version();
    std::fs::write(&sv, good).unwrap();
    assert!(matches!(live.reload(), Reloaded::Built { .. }));
    assert!(live.version() > broken);
    assert!(!body(&live.get("/to-be/sv.html")).contains("id=\"revarch-problem\""));
}

#[test]
fn a_model_never_good_gets_a_page_of_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sv.ron"), "(systems: [(id: \"crm\",]").unwrap();
    let live = Live::new(Config {
        source: ModelSource::Path(dir.path().to_path_buf()),
        templates: None,
        options: Options::default(),
    });
    assert!(matches!(live.reload(), Reloaded::Broken(_)));
    let page = live.get("/to-be/");
    assert_eq!(page.status, 200);
    let html = body(&page);
    assert!(
        html.contains("id=\"revarch-problem\"") && html.contains("sv.ron:1:"),
        "{html}"
    );
    assert!(html.contains(SCRIPT_PATH), "it reloads when fixed");
}

#[test]
fn waiting_returns_when_the_version_moves_or_the_time_is_up() {
    let (dir, live) = served();
    let v = live.version();
    let t = Instant::now();
    assert_eq!(live.wait(v, Duration::from_millis(50)), v);
    assert!(t.elapsed() >= Duration::from_millis(50));
    assert_eq!(live.wait(v - 1, Duration::from_secs(5)), v, "already newer");
    let live = Arc::new(live);
    let waiter = {
        let live = live.clone();
        std::thread::spawn(move || live.wait(v, Duration::from_secs(30)))
    };
    let av = dir.path().join("av.ron");
    let text = std::fs::read_to_string(&av).unwrap();
    std::fs::write(&av, format!("{text}// edited\n")).unwrap();
    let _ = live.reload();
    assert!(waiter.join().unwrap() > v);
}

#[test]
fn the_bar_goes_after_body_and_the_script_before_its_end() {
    let bar = page::Bar {
        version: 7,
        state: State::ToBe,
        page: "sv.html",
        problem: None,
    };
    let out = String::from_utf8(page::inject(
        b"<HTML><BODY class=x>HELLO</BODY></HTML>",
        &bar,
    ))
    .unwrap();
    let (bar_at, hi, script) = (
        out.find("revarch-live\"").unwrap(),
        out.find("HELLO").unwrap(),
        out.find("<script").unwrap(),
    );
    assert!(out.find("<BODY class=x>").unwrap() < bar_at && bar_at < hi && hi < script);
    assert!(script < out.find("</BODY>").unwrap());
    // a template without a body still gets both
    let bare = String::from_utf8(page::inject(b"just text", &bar)).unwrap();
    assert!(
        bare.starts_with("<style>") && bare.ends_with("</script>"),
        "{bare}"
    );
}

#[test]
fn only_loopback_names_addresses_and_the_chosen_host_are_answered() {
    let ok = [
        ("127.0.0.1:8000", None),
        ("localhost:8000", None),
        ("LOCALHOST:8000", None),
        ("[::1]:8000", None),
        ("192.168.1.20:8000", None),
        ("workshop.local:8000", Some("workshop.local")),
    ];
    for (host, extra) in ok {
        assert!(host_allowed(Some(host), 8000, extra), "{host}");
    }
    let refused = [
        (Some("evil.example:8000"), None),
        (Some("evil.example"), None),
        (Some("localhost.evil.example:8000"), None),
        (Some("127.0.0.1:8001"), None),
        (Some("localhost"), None), // port 80 implied
        (Some("[::1"), None),
        (Some("[evil]:8000"), None),
        (Some(""), None),
        (None, None),
        (Some("other.local:8000"), Some("workshop.local")),
    ];
    for (host, extra) in refused {
        assert!(!host_allowed(host, 8000, extra), "{host:?}");
    }
    assert!(host_allowed(Some("localhost"), 80, None));
}
