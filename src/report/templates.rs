//! The built-in templates (embedded from `views/` at build time) and the
//! minijinja environment, with `--templates DIR` overrides.

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use super::ReportError;

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

/// The environment and where each template came from.
pub struct Templates {
    /// minijinja environment holding every template.
    pub env: Environment<'static>,
    origins: Vec<(String, String)>,
    /// Overrides that replace no built-in template (ignored).
    pub unknown: Vec<String>,
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
    pub fn new(overrides: &[Override]) -> Result<Templates, ReportError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
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
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| self.error(e))
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

    fn o(name: &str, source: &str) -> Override {
        Override {
            name: name.into(),
            source: source.into(),
            origin: format!("brand/{name}"),
        }
    }

    #[test]
    fn html_autoescapes_css_does_not() {
        let t = Templates::new(&[o("style.css", "{{ x }}"), o("single.html", "{{ x }}")]).unwrap();
        let ctx = || minijinja::context! { x => "<b>&" };
        assert_eq!(t.render("style.css", ctx()).unwrap(), "<b>&");
        assert_eq!(t.render("single.html", ctx()).unwrap(), "&lt;b&gt;&amp;");
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = match Templates::new(&[o("index.html", "ok\n{% if %}")]) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("broken template accepted"),
        };
        assert!(err.contains("brand/index.html"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn unknown_overrides_are_reported() {
        let t = Templates::new(&[o("extra.html", "x")]).unwrap();
        assert_eq!(t.unknown, vec!["brand/extra.html".to_string()]);
    }
}
