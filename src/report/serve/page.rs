//! What `serve` adds to each page: the live bar (state, switch), the
//! diagnostics overlay, and the script tag of the reload client.

use crate::model::State;
use crate::render::svg::escape;

/// The live mode's only script: wait for the next version, then reload.
/// It waits only while the tab is visible (a browser keeps about six
/// connections per host: hidden tabs must not hold them all), and asks at
/// once when the tab shows again, so a change made meanwhile reloads it
/// then. A failed wait (the server stopped) is retried every second; a
/// server started again has another version, so the page reloads then.
pub const SCRIPT: &str = r#"(function () {
  var me = document.currentScript;
  var v = me && me.getAttribute("data-version");
  if (!v) return;
  var ctl = null;
  function poll() {
    if (ctl || document.visibilityState === "hidden") return;
    var mine = ctl = new AbortController();
    fetch("/_revarch/wait?v=" + encodeURIComponent(v), { cache: "no-store", signal: mine.signal })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (t) { ctl = null; if (t.trim() !== v) location.reload(); else poll(); },
            function () { ctl = null; if (!mine.signal.aborted) setTimeout(poll, 1000); });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { if (ctl) ctl.abort(); } else poll();
  });
  poll();
})();
"#;

/// What the bar and the overlay say on one page.
#[derive(Clone, Copy)]
pub(super) struct Bar<'a> {
    /// The version the page shows.
    pub version: u64,
    /// The state the page shows.
    pub state: State,
    /// The page's file in its site (`sv.html`), to link the same page of
    /// the other state.
    pub page: &'a str,
    /// The latest model's diagnostics, when it cannot be drawn.
    pub problem: Option<&'a str>,
}

const STYLE: &str = "<style>\
#revarch-live{position:fixed;right:12px;bottom:12px;z-index:2147483646;margin:0;\
padding:6px 12px;border-radius:6px;background:#1f2937;color:#f9fafb;\
font:14px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3)}\
#revarch-live a{color:#93c5fd}\
#revarch-problem{position:fixed;left:0;right:0;top:0;max-height:75vh;overflow:auto;\
z-index:2147483647;margin:0;padding:14px 20px;background:#fef2f2;color:#111827;\
border-bottom:4px solid #b91c1c;font:15px/1.45 system-ui,sans-serif;\
box-shadow:0 4px 12px rgba(0,0,0,.25)}\
#revarch-problem summary{cursor:pointer}\
#revarch-problem:not([open]){right:auto;border-radius:0 0 6px 0}\
#revarch-problem pre{margin:8px 0 0;white-space:pre-wrap;overflow-wrap:anywhere;\
font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;color:#111827;background:none}\
@media print{#revarch-live,#revarch-problem{display:none}}\
</style>";

impl Bar<'_> {
    fn html(&self) -> String {
        let other = match self.state {
            State::AsIs => State::ToBe,
            State::ToBe => State::AsIs,
        };
        let mut s = String::from(STYLE);
        if let Some(problem) = self.problem {
            // <details>: the room can fold it away without any script
            s.push_str(&format!(
                "<details id=\"revarch-problem\" role=\"alert\" open><summary><strong>The \
                 model has errors; the report below is the last one that could be \
                 built.</strong> Fix the file and save: this page reloads by itself.</summary>\
                 <pre>{}</pre></details>",
                escape(problem)
            ));
        }
        s.push_str(&format!(
            "<p id=\"revarch-live\">live · showing <strong>{}</strong> · \
             <a href=\"/{}/{}\">switch to {}</a></p>",
            self.state.as_str(),
            other.as_str(),
            escape(&encode_path(self.page)),
            other.as_str()
        ));
        s
    }

    fn script(&self) -> String {
        format!(
            "<script src=\"{}\" data-version=\"{}\"></script>",
            super::SCRIPT_PATH,
            self.version
        )
    }
}

/// `page` with the bar (and overlay) after `<body…>` and the script before
/// the last `</body>`; a page without them (a user's template) gets them at
/// its start and end.
pub(super) fn inject(page: &[u8], bar: &Bar<'_>) -> Vec<u8> {
    let lower = page.to_ascii_lowercase();
    let body_open = find(&lower, b"<body")
        .and_then(|at| {
            lower[at..]
                .iter()
                .position(|&b| b == b'>')
                .map(|p| at + p + 1)
        })
        .unwrap_or(0);
    let body_close = rfind(&lower, b"</body")
        .filter(|&at| at >= body_open)
        .unwrap_or(page.len());
    let (bar, script) = (bar.html(), bar.script());
    let mut out = Vec::with_capacity(page.len() + bar.len() + script.len());
    out.extend_from_slice(&page[..body_open]);
    out.extend_from_slice(bar.as_bytes());
    out.extend_from_slice(&page[body_open..body_close]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&page[body_close..]);
    out
}

/// The page shown when no version of the model could be built yet.
pub(super) fn broken_page(bar: &Bar<'_>) -> Vec<u8> {
    let page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
                <title>revarch serve: the model has errors</title>\n</head>\n<body>\n\
                <p style=\"margin-top:80vh\">Nothing to show until the model loads.</p>\n\
                </body>\n</html>\n";
    let problem = bar
        .problem
        .unwrap_or("error: the report could not be built\n");
    inject(
        page.as_bytes(),
        &Bar {
            problem: Some(problem),
            ..*bar
        },
    )
}

/// The page shown for a page the current report does not have.
pub(super) fn missing_page(bar: &Bar<'_>) -> Vec<u8> {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>revarch serve: no such page</title>\n</head>\n<body>\n\
         <p style=\"font:16px/1.5 system-ui,sans-serif;margin:2rem\">The report has no page \
         <code>{}</code> now. <a href=\"/{}/index.html\">Go to the overview</a>; this page \
         reloads by itself when the model changes.</p>\n</body>\n</html>\n",
        escape(bar.page),
        bar.state.as_str()
    );
    inject(page.as_bytes(), bar)
}

/// `path` (a page's file in its site, decoded) as a URL path: characters
/// that would end or change the path are percent-encoded.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}
