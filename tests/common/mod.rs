//! Helpers shared by the integration tests (`mod common;` in each).
//!
//! Golden files live under `tests/golden/`; accept new output deliberately
//! with `REVARCH_BLESS=1 cargo test`, then review `git diff tests/golden`.
#![allow(dead_code)] // each test binary uses a subset

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary in `dir` with a clean environment: (exit code, stdout, stderr).
pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_revarch"))
        .env_clear()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the binary from the crate root.
pub fn revarch(args: &[&str]) -> (i32, String, String) {
    run_in(&root(), args)
}

/// Compares `actual` with `tests/golden/<dir>/<name>` (or, with
/// REVARCH_BLESS=1, writes it), showing where they first differ.
pub fn golden(dir: &str, name: &str, actual: &str) {
    let path = root().join("tests/golden").join(dir).join(name);
    record_golden(&path);
    if std::env::var_os("REVARCH_BLESS").is_some() {
        // write only what changed, and say so: a bless run lists its changes
        let old = std::fs::read_to_string(&path).ok();
        if old.as_deref() != Some(actual) {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, actual).unwrap();
            let what = if old.is_some() { "changed" } else { "new" };
            let line = format!("blessed ({what}): {}\n", relative(&path));
            eprint!("{line}");
            append(&golden_log_dir().join("blessed.txt"), &line);
        }
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden {name}; run with REVARCH_BLESS=1"));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from its golden file at line {}\n--- expected\n{}\n--- actual\n{}\n(REVARCH_BLESS=1 to accept, then review the diff)",
            first + 1,
            expected.lines().skip(first).take(5).collect::<Vec<_>>().join("\n"),
            actual.lines().skip(first).take(5).collect::<Vec<_>>().join("\n"),
        );
    }
}

/// Where golden bookkeeping goes: `target/tmp/goldens/` (cargo's scratch
/// folder for integration tests). `seen-*.txt` lists every golden file a
/// test binary compared (`tests/golden_files.py`, run by CI after
/// `cargo test`, fails on a file under `tests/golden/` no test compared:
/// stale or unreferenced); `blessed.txt` lists what a bless run changed.
fn golden_log_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("goldens")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn append(file: &Path, line: &str) {
    use std::io::Write as _;
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
    {
        let _ = f.write_all(line.as_bytes());
    }
}

/// Notes that a test compared (or blessed) `path`.
fn record_golden(path: &Path) {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let file = golden_log_dir().join(format!("seen-{exe}-{}.txt", std::process::id()));
    append(&file, &format!("{}\n", relative(path)));
}

/// Runs a setup git command in `dir`, isolated from the machine's config.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF), the way a
/// spreadsheet reads `check --format csv`.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quote");
    assert!(field.is_empty() && row.is_empty(), "last line without CRLF");
    rows
}

/// What a model's comments say `check` must report (see `tests/examples.rs`):
/// `// expect: STATE rule/case:subject` lines as `"<state> rule/case:subject"`
/// (`both` gives one of each state), and `// expect-error: CODE` lines as
/// `"<file name> CODE"`.
#[derive(Debug, Default)]
pub struct Expectations {
    pub findings: std::collections::BTreeSet<String>,
    pub errors: std::collections::BTreeSet<String>,
}

/// Reads the expectations of the model files `files`. Panics on a state
/// other than `as-is`, `to-be` or `both`, and on an unknown rule.
pub fn expectations(files: &[PathBuf]) -> Expectations {
    let mut out = Expectations::default();
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for line in text.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("// expect:") {
                let mut parts = rest.split_whitespace();
                let state = parts.next().expect("expect: STATE FINDING");
                let finding = parts.next().expect("expect: STATE FINDING");
                let states: &[&str] = match state {
                    "both" => &["as-is", "to-be"],
                    "as-is" => &["as-is"],
                    "to-be" => &["to-be"],
                    other => panic!("{}: unknown state `{other}` in `{line}`", file.display()),
                };
                let rule = finding.split('/').next().unwrap();
                assert!(
                    revarch::analysis::RULE_IDS.contains(&rule),
                    "{}: unknown rule in `{line}`",
                    file.display()
                );
                for s in states {
                    out.findings.insert(format!("{s} {finding}"));
                }
            } else if let Some(rest) = line.strip_prefix("// expect-error:") {
                out.errors.insert(format!("{name} {}", rest.trim()));
            }
        }
    }
    out
}
