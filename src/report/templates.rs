//! The built-in templates (embedded from `views/` at build time) and the
//! minijinja environment, with `--templates DIR` overrides.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};

use super::ReportError;
use crate::render::svg::is_unsafe_char;

/// Every built-in template: (file name, source). A file of the same name in
/// `--templates DIR` replaces it.
pub const BUILTIN: &[(&str, &str)] = &[
    ("_foot.html", include_str!("../../views/_foot.html")),
    ("_head.html", include_str!("../../views/_head.html")),
    ("_macros.html", include_str!("../../views/_macros.html")),
    ("base.html", include_str!("../../views/base.html")),
    (
        "dictionary.html",
        include_str!("../../views/dictionary.html"),
    ),
    ("div.html", include_str!("../../views/div.html")),
    ("findings.html", include_str!("../../views/findings.html")),
    ("index.html", include_str!("../../views/index.html")),
    ("ov.html", include_str!("../../views/ov.html")),
    ("single.html", include_str!("../../views/single.html")),
    ("stdv.html", include_str!("../../views/stdv.html")),
    ("style.css", include_str!("../../views/style.css")),
    ("sv.html", include_str!("../../views/sv.html")),
];

/// A template supplied by the user (`--templates DIR`).
#[derive(Clone, Debug)]
pub struct Override {
    /// File name, e.g. `index.html`.
    pub name: String,
    /// Its text.
    pub source: String,
    /// Where it came from, for messages (`brand/index.html`).
    pub origin: String,
}

/// Largest template file read from `--templates`.
pub const MAX_TEMPLATE: u64 = 1 << 20;

/// Reads every regular file of a `--templates` folder (sorted by name;
/// dot files skipped), refusing one larger than [`MAX_TEMPLATE`].
pub fn read_overrides(dir: &Path) -> Result<Vec<Override>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
        let path = entry.path();
        if path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let too_big = std::fs::metadata(&path)
            .map(|m| m.len() > MAX_TEMPLATE)
            .unwrap_or(false);
        if too_big {
            return Err(format!(
                "template `{}` is larger than {MAX_TEMPLATE} bytes",
                path.display()
            ));
        }
        let source = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read template `{}`: {e}", path.display()))?;
        out.push(Override {
            name,
            source,
            origin: path.display().to_string(),
        });
    }
    Ok(out)
}

/// The environment and where each template came from.
pub struct Templates {
    /// minijinja environment holding every template.
    pub env: Environment<'static>,
    origins: Vec<(String, String)>,
    /// Overrides that replace no built-in template (ignored).
    pub unknown: Vec<String>,
    /// The fuel each render may use ([`Templates::new`]).
    fuel: u64,
    /// The most fuel one render used so far.
    max_used: Cell<u64>,
}

/// Fuel (minijinja's execution budget: about one unit per instruction and
/// per 64 bytes of data or output) one render may use, per byte of the page
/// budget (`Options::page_budget`): [`fuel_for`]. A template with a loop
/// that never ends, or one that writes without bound, stops after that much
/// work (a few seconds) with [`ReportError::Budget`].
///
/// Sized from measurement: the built-in templates use 0.3 fuel per byte of
/// budget at most, on a 30,000-system model (14.3 million for the default
/// 16 MB budget; a render stops at three times the budget, so a page's work
/// does not grow with the model), and ~60,000 in all on the reference model.
pub const FUEL_PER_BYTE: u64 = 3;

/// The fuel of one render for a page budget of `budget` bytes (at least
/// 10 million).
pub fn fuel_for(budget: usize) -> u64 {
    (budget as u64)
        .saturating_mul(FUEL_PER_BYTE)
        .max(10_000_000)
}

/// Nesting depth of macro calls, includes and blocks a template may reach
/// (the built-ins use fewer than 10; minijinja's own limit is 500).
pub const RECURSION_LIMIT: usize = 100;

/// [`Templates::render_limited`] stops a render once its output passes this
/// many times the limit: how much larger it is no longer matters, and the
/// work (and fuel) of rendering a page is bounded by the page budget, not by
/// the model.
pub const ABORT_FACTOR: usize = 3;

/// An output that keeps at most `limit` bytes and counts all of them (up to
/// [`ABORT_FACTOR`] times the limit).
struct Limited {
    buf: Vec<u8>,
    limit: usize,
    total: usize,
}

impl std::io::Write for Limited {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.total += bytes.len();
        if self.total > self.limit.saturating_mul(ABORT_FACTOR) {
            return Err(std::io::Error::other("page too large"));
        }
        if self.total <= self.limit {
            self.buf.extend_from_slice(bytes);
        } else if !self.buf.is_empty() {
            self.buf = Vec::new();
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Replaces each character [`is_unsafe_char`] finds by U+FFFD; borrowed
/// when there is none.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_unsafe_char) {
        text.chars()
            .map(|c| if is_unsafe_char(c) { '\u{fffd}' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// The `code` filter: shows each `` `id` `` of a finding's message or fix as
/// `<code>id</code>`, the rest as text (read with
/// [`crate::analysis::spans`], so a backtick in a model name stays a
/// backtick and an unpaired one stays as it is). Returns markup marked safe,
/// built only from HTML-escaped text and literal tags.
pub fn code_spans(text: &str) -> minijinja::Value {
    fn escape(out: &mut String, text: &str) {
        for c in text.chars() {
            match c {
                c if is_unsafe_char(c) => out.push('\u{fffd}'),
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#x27;"),
                c => out.push(c),
            }
        }
    }
    let mut out = String::with_capacity(text.len() + 32);
    for (code, part) in crate::analysis::spans(text) {
        if code {
            out.push_str("<code>");
            escape(&mut out, &part);
            out.push_str("</code>");
        } else {
            escape(&mut out, &part);
        }
    }
    minijinja::Value::from_safe_string(out)
}

impl Templates {
    /// Registers the built-ins, replaced by `overrides` of the same name.
    /// `.html` templates autoescape every value (HTML); `style.css` none.
    /// Every printed string has its control characters replaced by U+FFFD
    /// ([`clean`]). Each render may use `fuel` (see [`fuel_for`]).
    pub fn new(overrides: &[Override], fuel: u64) -> Result<Templates, ReportError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(fuel));
        env.set_recursion_limit(RECURSION_LIMIT);
        env.set_formatter(|out, state, value| match value.as_str().map(clean) {
            Some(std::borrow::Cow::Owned(cleaned)) => {
                let v = if value.is_safe() {
                    minijinja::Value::from_safe_string(cleaned)
                } else {
                    minijinja::Value::from(cleaned)
                };
                minijinja::escape_formatter(out, state, &v)
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        // `{% … %}` on their own lines leave no blank lines behind.
        if let Ok(syntax) = SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        env.add_filter("code", code_spans);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        let mut unknown = Vec::new();
        for o in overrides {
            if !BUILTIN.iter().any(|(n, _)| *n == o.name) {
                unknown.push(o.origin.clone());
            }
        }
        unknown.sort();
        let mut t = Templates {
            env,
            origins: Vec::new(),
            unknown,
            fuel,
            max_used: Cell::new(0),
        };
        for (name, source) in BUILTIN {
            let (source, origin) = match overrides.iter().find(|o| o.name == *name) {
                Some(o) => (o.source.clone(), o.origin.clone()),
                None => (source.to_string(), format!("views/{name} (built-in)")),
            };
            t.origins.push((name.to_string(), origin));
            if let Err(e) = t.env.add_template_owned(name.to_string(), source) {
                return Err(t.error(e));
            }
        }
        Ok(t)
    }

    /// Renders one template with a context.
    pub fn render(&self, name: &str, ctx: minijinja::Value) -> Result<String, ReportError> {
        let mut buf = Vec::new();
        let captured = self
            .env
            .get_template(name)
            .and_then(|t| t.render_captured_to(ctx, &mut buf))
            .map_err(|e| self.error(e))?;
        if let Some((used, _)) = captured.state().fuel_levels() {
            self.max_used.set(self.max_used.get().max(used));
        }
        drop(captured);
        // minijinja writes only `str`s
        Ok(match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }

    /// Renders one template, keeping the output only if it is at most
    /// `limit` bytes: `Ok(Err(size))` tells how large it would have been
    /// (at least; the render stops past [`ABORT_FACTOR`] × `limit`) without
    /// holding it.
    pub fn render_limited(
        &self,
        name: &str,
        ctx: minijinja::Value,
        limit: usize,
    ) -> Result<Result<String, usize>, ReportError> {
        let mut out = Limited {
            buf: Vec::new(),
            limit,
            total: 0,
        };
        let rendered = self
            .env
            .get_template(name)
            .and_then(|t| t.render_captured_to(ctx, &mut out));
        match rendered {
            Ok(captured) => {
                if let Some((used, _)) = captured.state().fuel_levels() {
                    self.max_used.set(self.max_used.get().max(used));
                }
            }
            Err(_) if out.total > limit.saturating_mul(ABORT_FACTOR) => {
                return Ok(Err(out.total));
            }
            Err(e) => return Err(self.error(e)),
        }
        if out.total > limit {
            return Ok(Err(out.total));
        }
        // minijinja writes only `str`s
        Ok(Ok(match String::from_utf8(out.buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }))
    }

    /// The error for a render of `name` that passed `limit` bytes.
    pub fn too_large(&self, name: &str, limit: usize) -> ReportError {
        ReportError::TooLarge {
            origin: self.origin(name),
            limit,
        }
    }

    fn origin(&self, name: &str) -> String {
        self.origins
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, o)| o.clone())
            .unwrap_or_else(|| name.to_string())
    }

    /// The most fuel one render has used so far (to size [`FUEL_PER_BYTE`]).
    pub fn max_fuel_used(&self) -> u64 {
        self.max_used.get()
    }

    /// A minijinja error as a [`ReportError`] naming the template file and line.
    fn error(&self, e: minijinja::Error) -> ReportError {
        let name = e.name().unwrap_or("?").to_string();
        let origin = self
            .origins
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, o)| o.clone())
            .unwrap_or_else(|| name.clone());
        if e.kind() == ErrorKind::OutOfFuel {
            return ReportError::Budget {
                origin,
                fuel: self.fuel,
            };
        }
        let mut message = match e.detail() {
            Some(d) => format!("{}: {d}", e.kind()),
            None => e.kind().to_string(),
        };
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message.push_str(&format!(": {s}"));
            source = s.source();
        }
        ReportError::Template {
            origin,
            line: e.line(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn code_spans_escape_first_then_mark_backticks() {
        let v = code_spans("`a<b>` is `x` & `odd");
        assert_eq!(
            v.to_string(),
            "<code>a&lt;b&gt;</code> is <code>x</code> &amp; `odd"
        );
        let v = code_spans("<script>alert(1)</script> `\"><img src=x onerror=alert(1)>`");
        let s = v.to_string();
        assert!(!s.contains("<script") && !s.contains("<img"), "{s}");
    }

    use super::*;

    fn new(overrides: &[Override]) -> Result<Templates, ReportError> {
        Templates::new(overrides, fuel_for(16_000_000))
    }

    fn o(name: &str, source: &str) -> Override {
        Override {
            name: name.into(),
            source: source.into(),
            origin: format!("brand/{name}"),
        }
    }

    #[test]
    fn html_autoescapes_css_does_not() {
        let t = new(&[o("style.css", "{{ x }}"), o("single.html", "{{ x }}")]).unwrap();
        let ctx = || minijinja::context! { x => "<b>&" };
        assert_eq!(t.render("style.css", ctx()).unwrap(), "<b>&");
        assert_eq!(t.render("single.html", ctx()).unwrap(), "&lt;b&gt;&amp;");
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = match new(&[o("index.html", "ok\n{% if %}")]) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("broken template accepted"),
        };
        assert!(err.contains("brand/index.html"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn a_template_that_never_ends_runs_out_of_fuel_naming_itself() {
        let loops =
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";
        let deep = "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}";
        let big =
            "{% set s = \"x\" * 1000 %}{% for i in range(100000) %}{{ s * 1000 }}{% endfor %}";
        for (src, want) in [
            (loops, "exceeded its execution budget"),
            (big, "exceeded its execution budget"),
            (deep, "recursion"),
        ] {
            let t = Templates::new(&[o("index.html", src)], 1_000_000).unwrap();
            let start = std::time::Instant::now();
            let err = t.render("index.html", minijinja::context! {}).unwrap_err();
            let msg = err.to_string();
            assert!(
                msg.contains("brand/index.html") && msg.contains(want),
                "{msg}"
            );
            assert!(start.elapsed().as_secs() < 10, "{src}");
        }
    }

    #[test]
    fn printed_strings_lose_control_characters_safe_or_not() {
        let t = new(&[o("single.html", "{{ x }}|{{ x|safe }}|{{ y|code }}")]).unwrap();
        let ctx = minijinja::context! { x => "a\u{0}<\u{1b}[1m", y => "`b\u{7f}`" };
        assert_eq!(
            t.render("single.html", ctx).unwrap(),
            "a\u{fffd}&lt;\u{fffd}[1m|a\u{fffd}<\u{fffd}[1m|<code>b\u{fffd}</code>"
        );
    }

    #[test]
    fn unknown_overrides_are_reported() {
        let t = new(&[o("extra.html", "x")]).unwrap();
        assert_eq!(t.unknown, vec!["brand/extra.html".to_string()]);
    }
}
