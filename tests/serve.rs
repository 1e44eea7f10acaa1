//! `revarch serve` end to end: the binary on a free port, a plain HTTP
//! client over a socket (so requests a browser would never send, like
//! `GET /../../etc/passwd` or a foreign Host, reach the server as written).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `revarch serve`; killed when dropped.
struct Served {
    child: Child,
    port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `revarch serve model` started in `dir`.
fn serve(dir: &Path, extra: &[&str]) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_revarch"))
        .current_dir(dir)
        .args(["serve", "model"])
        .args(["--port", "0"])
        .args(extra)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("http://127.0.0.1:")
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("no address printed: {line:?}"));
    Served { child, port }
}

/// (status, headers in lower case, body) of one request.
fn request(port: u16, method: &str, path: &str, host: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

fn get(port: u16, path: &str) -> (u16, String) {
    let (status, _, body) = request(port, "GET", path, &format!("127.0.0.1:{port}"));
    (status, body)
}

/// Polls `path` until `pred` holds on its body; the time it took.
fn until(port: u16, path: &str, within: Duration, pred: impl Fn(&str) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let (_, body) = get(port, path);
        if pred(&body) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < within,
            "{path} did not change within {within:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Saves `text` as an editor does: a temporary file, then a rename (the
/// server never reads half a file).
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("ron.saving");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn starter() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = common::run_in(dir.path(), &["init", "model"]);
    assert_eq!(code, 0, "{err}");
    dir
}

#[test]
fn serve_follows_edits_and_shows_a_broken_model_until_it_is_fixed() {
    let dir = starter();
    let model = dir.path().join("model");
    let s = serve(dir.path(), &[]);
    let (status, page) = get(s.port, "/to-be/sv.html");
    assert_eq!(status, 200);
    assert!(page.contains("HubSpot") && page.contains("showing <strong>to-be</strong>"));

    // an open page's wait returns when the model is saved
    let version = page
        .split("data-version=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let waiter = {
        let port = s.port;
        let version = version.clone();
        std::thread::spawn(move || get(port, &format!("/_revarch/wait?v={version}")))
    };
    std::thread::sleep(Duration::from_millis(300));
    let sv = model.join("sv.ron");
    let good = std::fs::read_to_string(&sv).unwrap();
    save(&sv, &good.replacen("\"HubSpot\"", "\"Zebra CRM\"", 1));
    let took = until(s.port, "/to-be/sv.html", Duration::from_secs(2), |b| {
        b.contains("Zebra CRM")
    });
    eprintln!("edit shown after {took:?}");
    let (status, next) = waiter.join().unwrap();
    assert_eq!(status, 200);
    assert_ne!(next.trim(), version, "the wait saw the new version");

    // broken: the same diagnostic as `check`, over the last good report
    save(&sv, &good.replacen("systems: [", "systems: [ (id: ", 1));
    until(s.port, "/to-be/sv.html", Duration::from_secs(10), |b| {
        b.contains("id=\"revarch-problem\"")
    });
    let (_, page) = get(s.port, "/to-be/sv.html");
    let (code, _, check) = common::run_in(dir.path(), &["check", "model", "--color", "never"]);
    assert_eq!(code, 2);
    let located = check
        .lines()
        .find(|l| l.contains("model/sv.ron:"))
        .unwrap_or_else(|| panic!("{check}"));
    let escaped = located
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    assert!(page.contains(&escaped), "{located} not in the overlay");
    assert!(
        page.contains("Zebra CRM"),
        "the last good report stays under it"
    );

    // fixed: the overlay goes
    save(&sv, &good);
    until(s.port, "/to-be/sv.html", Duration::from_secs(10), |b| {
        b.contains("HubSpot") && !b.contains("id=\"revarch-problem\"")
    });
    // the other state, built on request
    let (status, page) = get(s.port, "/as-is/index.html");
    assert_eq!(status, 200);
    assert!(page.contains("showing <strong>as-is</strong>"));
}

#[test]
fn serve_answers_only_get_and_head_inside_the_report_for_its_own_host() {
    let dir = starter();
    let s = serve(dir.path(), &[]);
    let host = format!("127.0.0.1:{}", s.port);
    let (status, head, _) = request(s.port, "GET", "/", &host);
    assert_eq!(status, 302);
    assert!(head.contains("location: /to-be/"), "{head}");
    for path in [
        "/../../../../etc/passwd",
        "/to-be/../../etc/passwd",
        "/to-be/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/to-be/..%2f..%2f..%2fetc%2fpasswd",
    ] {
        let (status, _, body) = request(s.port, "GET", path, &host);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("root:"), "{path}");
    }
    // DNS rebinding: a page of another site whose name points here
    let (status, _, _) = request(
        s.port,
        "GET",
        "/to-be/",
        &format!("evil.example:{}", s.port),
    );
    assert_eq!(status, 403);
    let (status, head, _) = request(s.port, "POST", "/to-be/", &host);
    assert_eq!(status, 405);
    assert!(head.contains("allow: get, head"), "{head}");
    let (status, head, body) = request(s.port, "HEAD", "/to-be/index.html", &host);
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(body.is_empty(), "HEAD has no body");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = starter();
    let (code, _, err) = common::run_in(
        dir.path(),
        &["serve", "model", "--port", &port, "--color", "never"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot listen on 127.0.0.1:") && err.contains("--port"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let dir = starter();
    let mut s = serve(dir.path(), &[]);
    assert_eq!(get(s.port, "/to-be/").0, 200);
    let killed = Command::new("kill")
        .args(["-INT", &s.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "still running");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    let mut err = String::new();
    s.child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.trim_end().ends_with("stopped"), "{err}");
}
