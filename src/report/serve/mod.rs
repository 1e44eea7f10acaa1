//! `revarch serve`: the report served from memory and rebuilt when the
//! model changes, for a workshop where the model is edited on the projector.
//!
//! - [`Live`] holds the last report that could be built (one site per state
//!   asked for, built on first request) and, when the model on disk is
//!   broken, its diagnostics; [`Live::reload`] re-reads the model and
//!   rebuilds, [`Live::get`] answers a path. Both are plain functions of
//!   their inputs, so the routing is tested without a socket.
//! - `page`: what is added to each served page: a bar naming the state
//!   with a link to the other one, the diagnostics overlay, and the one
//!   script of the live mode (it waits for the next version and reloads).
//!   The static report itself stays script-free.
//! - `http`: the server (loopback, GET/HEAD only, Host header checked
//!   against DNS rebinding) and the long poll the script waits on.
//! - `watch`: the file watcher (debounced) that calls [`Live::reload`].

mod http;
mod page;
mod watch;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::templates::read_overrides;
use super::{Options, Override};
use crate::graph::Graph;
use crate::model::{self, Loaded, ModelSource, State};

pub use http::{host_allowed, Log, Server};
pub use watch::{Watch, Watched};

/// The path the live script asks for the next version on
/// (`?v=<the version the page shows>`).
pub const WAIT_PATH: &str = "/_revarch/wait";
/// The path of the live script.
pub const SCRIPT_PATH: &str = "/_revarch/live.js";

/// What the served report is built from.
#[derive(Clone, Debug)]
pub struct Config {
    /// The model (a folder or file on disk is watched; the bundled model
    /// never changes).
    pub source: ModelSource,
    /// A `--templates` folder, re-read with the model.
    pub templates: Option<PathBuf>,
    /// How to build each site; `options.state` is the state `/` opens.
    pub options: Options,
}

/// The served report: the last good build and what is wrong now.
pub struct Live {
    config: Config,
    inner: Mutex<Inner>,
    changed: Condvar,
    /// Held while a site is built, so one build runs at a time.
    building: Mutex<()>,
    /// Held for a whole reload: two at once could publish an older read
    /// after a newer one.
    reloading: Mutex<()>,
}

/// A built site: file name (`index.html`, `svg/sv-2.svg`) → bytes.
type Pages = HashMap<String, Vec<u8>>;

struct Inner {
    /// Goes up with every change the pages should show. It starts at the
    /// server's start time, so pages left open from an earlier run of the
    /// server reload when it is back.
    version: u64,
    /// What the last reload read, to tell a change from an editor touching
    /// a file.
    input: Option<Input>,
    /// The last model (and templates) the report could be built from.
    good: Option<Arc<Good>>,
    /// Sites built from `good`, per state.
    sites: BTreeMap<State, Arc<Pages>>,
    /// Why the latest model could not be drawn (the diagnostics as `check`
    /// prints them), shown over the last good report.
    problem: Option<String>,
}

struct Good {
    loaded: Loaded,
    overrides: Vec<Override>,
}

/// The text a reload read: every model file and template.
#[derive(PartialEq, Eq)]
struct Input {
    model: Vec<(String, String)>,
    templates: Result<Vec<(String, String)>, String>,
}

impl Input {
    fn of(loaded: &Loaded, overrides: &Result<Vec<Override>, String>) -> Input {
        let s = &loaded.sources;
        Input {
            model: (0..s.len() as u32)
                .map(|f| (s.name(f).to_string(), s.text(f).to_string()))
                .collect(),
            templates: overrides.as_ref().map_err(Clone::clone).map(|o| {
                o.iter()
                    .map(|o| (o.name.clone(), o.source.clone()))
                    .collect()
            }),
        }
    }
}

/// What [`Live::reload`] did.
#[derive(Debug)]
pub enum Reloaded {
    /// The files read the same as last time: nothing rebuilt.
    Unchanged,
    /// The report was rebuilt.
    Built {
        /// How long reading and building took.
        took: Duration,
        /// The model's warnings (as `check` prints them), or empty.
        warnings: String,
    },
    /// The model (or a template) is broken: the pages show this text over
    /// the last good report.
    Broken(String),
}

/// A reply to a request, before HTTP.
#[derive(Debug, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// `Location`, for a redirect.
    pub location: Option<String>,
}

impl Reply {
    fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{text}\n").into_bytes(),
            location: None,
        }
    }

    fn redirect(to: String) -> Reply {
        Reply {
            status: 302,
            content_type: "text/plain; charset=utf-8",
            body: format!("see {to}\n").into_bytes(),
            location: Some(to),
        }
    }
}

impl Live {
    /// A server with nothing built yet; call [`Live::reload`] to build.
    pub fn new(mut config: Config) -> Live {
        // one file per page: the pages link to each other and to svg/
        config.options.single_file = false;
        let start = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(1);
        Live {
            config,
            inner: Mutex::new(Inner {
                version: start,
                input: None,
                good: None,
                sites: BTreeMap::new(),
                problem: None,
            }),
            changed: Condvar::new(),
            building: Mutex::new(()),
            reloading: Mutex::new(()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // a panic while holding the lock leaves plain data behind: go on
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The version the pages show now.
    pub fn version(&self) -> u64 {
        self.lock().version
    }

    /// The state `/` opens.
    pub fn default_state(&self) -> State {
        self.config.options.state
    }

    /// Waits until the version differs from `since` or `timeout` passes;
    /// returns the version then.
    pub fn wait(&self, since: u64, timeout: Duration) -> u64 {
        let inner = self.lock();
        let (inner, _) = self
            .changed
            .wait_timeout_while(inner, timeout, |i| i.version == since)
            .unwrap_or_else(|e| e.into_inner());
        inner.version
    }

    fn publish(&self, change: impl FnOnce(&mut Inner)) {
        let mut inner = self.lock();
        change(&mut inner);
        inner.version += 1;
        drop(inner);
        self.changed.notify_all();
    }

    /// Reads the model (and templates) again; when they changed, rebuilds
    /// every site built so far (at least the default state's) or, when the
    /// model is broken, keeps them and records why.
    pub fn reload(&self) -> Reloaded {
        let _reloading = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        let started = Instant::now();
        let loaded = model::read(&self.config.source, crate::analysis::RULE_IDS);
        let overrides = match &self.config.templates {
            Some(dir) => read_overrides(dir),
            None => Ok(Vec::new()),
        };
        let input = Input::of(&loaded, &overrides);
        if self.lock().input.as_ref() == Some(&input) {
            return Reloaded::Unchanged;
        }
        let broken = |problem: String, input: Input| {
            self.publish(|i| {
                i.input = Some(input);
                i.problem = Some(problem.clone());
            });
            Reloaded::Broken(problem)
        };
        let shown = crate::diag::render(&loaded.diagnostics, &loaded.sources, false);
        if loaded.has_errors() {
            let problem = format!(
                "{shown}error: model `{}` is invalid: {}\n",
                loaded.label,
                crate::words::count(loaded.error_count(), "error", "errors")
            );
            return broken(problem, input);
        }
        let overrides = match overrides {
            Ok(o) => o,
            Err(e) => return broken(format!("error: {e}\n"), input),
        };
        let good = Arc::new(Good { loaded, overrides });
        let _building = self.building.lock().unwrap_or_else(|e| e.into_inner());
        let mut states: Vec<State> = self.lock().sites.keys().copied().collect();
        if !states.contains(&self.default_state()) {
            states.push(self.default_state());
        }
        let mut sites = BTreeMap::new();
        for state in states {
            match self.build(&good, state) {
                Ok(pages) => sites.insert(state, Arc::new(pages)),
                Err(e) => return broken(format!("error: {e}\n"), input),
            };
        }
        self.publish(|i| {
            i.input = Some(input);
            i.good = Some(good);
            i.sites = sites;
            i.problem = None;
        });
        Reloaded::Built {
            took: started.elapsed(),
            warnings: shown,
        }
    }

    fn build(&self, good: &Good, state: State) -> Result<Pages, super::ReportError> {
        let g = Graph::build(&good.loaded.model);
        let opts = Options {
            state,
            overrides: good.overrides.clone(),
            ..self.config.options.clone()
        };
        let site = super::build(&g, &good.loaded.label, &opts)?;
        Ok(site.files.into_iter().collect())
    }

    /// The site of `state` (built now if it was not yet), with the version
    /// and problem it goes with; `None` when no model was ever good.
    fn site(&self, state: State) -> (Option<Arc<Pages>>, u64, Option<String>) {
        let lookup = |inner: &Inner| {
            inner
                .sites
                .get(&state)
                .map(|site| (Some(site.clone()), inner.version, inner.problem.clone()))
        };
        if let Some(found) = lookup(&self.lock()) {
            return found;
        }
        let _building = self.building.lock().unwrap_or_else(|e| e.into_inner());
        // read again under the build lock: another request may have built
        // it, or a reload replaced the model, meanwhile; the version read
        // with the model is the one the page gets, so a page built from a
        // model that was replaced while it was built reloads at once
        let (good, version, problem) = {
            let inner = self.lock();
            if let Some(found) = lookup(&inner) {
                return found;
            }
            (inner.good.clone(), inner.version, inner.problem.clone())
        };
        let Some(good) = good else {
            return (None, version, problem);
        };
        match self.build(&good, state) {
            Ok(pages) => {
                let pages = Arc::new(pages);
                let mut inner = self.lock();
                if inner.good.as_ref().is_some_and(|g| Arc::ptr_eq(g, &good)) {
                    inner.sites.insert(state, pages.clone());
                }
                (Some(pages), version, problem)
            }
            // the same model built for the other state; a failure here is
            // a template that fails on this state's data only
            Err(e) => (None, version, Some(format!("error: {e}\n"))),
        }
    }

    /// Answers a GET for `path` (the request's path, percent-encoded, no
    /// query): `/` goes to the default state, `/as-is/…` and `/to-be/…` are
    /// the two reports; anything outside them is refused.
    pub fn get(&self, path: &str) -> Reply {
        if path == SCRIPT_PATH {
            return Reply {
                status: 200,
                content_type: "text/javascript; charset=utf-8",
                body: page::SCRIPT.as_bytes().to_vec(),
                location: None,
            };
        }
        let Some(decoded) = percent_decode(path) else {
            return Reply::text(
                400,
                "bad request: the path is not valid percent-encoded UTF-8",
            );
        };
        let Some(rest) = decoded.strip_prefix('/') else {
            return Reply::text(400, "bad request: the path must start with `/`");
        };
        let segments: Vec<&str> = rest.split('/').collect();
        if segments
            .iter()
            .any(|s| *s == ".." || *s == "." || s.contains(['\\', '\0']))
        {
            return Reply::text(400, "refused: the path leaves the report");
        }
        let state_of = |s: &str| State::ALL.into_iter().find(|st| st.as_str() == s);
        let default = self.default_state().as_str();
        let (state, file) = match segments.as_slice() {
            [""] => return Reply::redirect(format!("/{default}/")),
            [s] if state_of(s).is_some() => return Reply::redirect(format!("/{s}/")),
            [s, ""] => match state_of(s) {
                Some(st) => (st, "index.html".to_string()),
                None => return not_found(default),
            },
            [s, file @ ..] => match state_of(s) {
                Some(st) => (st, file.join("/")),
                None => return not_found(default),
            },
            [] => return not_found(default),
        };
        let (site, version, problem) = self.site(state);
        let bar = page::Bar {
            version,
            state,
            page: &file,
            problem: problem.as_deref(),
        };
        let Some(site) = site else {
            // nothing was ever good: every page is the problem
            return Reply {
                status: 200,
                content_type: "text/html; charset=utf-8",
                body: page::broken_page(&bar),
                location: None,
            };
        };
        let Some(bytes) = site.get(&file) else {
            if file.ends_with(".html") {
                // a page an edit removed (a split view renumbered, say) may
                // come back: this one reloads with the next change
                return Reply {
                    status: 404,
                    content_type: "text/html; charset=utf-8",
                    body: page::missing_page(&bar),
                    location: None,
                };
            }
            return not_found(default);
        };
        let content_type = content_type(&file);
        let body = if content_type.starts_with("text/html") {
            page::inject(bytes, &bar)
        } else {
            bytes.clone()
        };
        Reply {
            status: 200,
            content_type,
            body,
            location: None,
        }
    }
}

fn not_found(default: &str) -> Reply {
    Reply::text(
        404,
        &format!("not found: the report starts at /{default}/index.html"),
    )
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("css") => "text/css; charset=utf-8",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not
/// UTF-8 (so `%2e%2e` is seen as the `..` it is).
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests;
