//! `revarch diff OLD [NEW]`: what a model change does to the architecture.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{write_atomic, Output, StateArg, EXIT_FINDINGS, EXIT_INVALID, EXIT_OK};
use crate::diag::JsonDiagnostic;
use crate::diff::output::{self, DiffReport, SideInfo};
use crate::diff::{compare, Options};
use crate::graph::Graph;
use crate::model::{self, Level, Loaded, ModelSource};

/// Arguments of `revarch diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
OLD and NEW are each a model folder or file, a git revision (the model at --path in that \
revision, read without touching the working tree), or REV:PATH. `:/TEXT` is the youngest \
commit whose message matches TEXT (the whole argument is the pattern; the model is at --path). \
Without NEW, the model at --path in the working tree is compared with OLD.

Examples:
  revarch diff examples/diff/before examples/diff/after
  revarch diff main --path models --format markdown      # main vs. working tree
  revarch diff origin/main HEAD --path models --fail-on-new warning")]
pub struct Args {
    /// The model before: a path, a git revision, or REV:PATH.
    pub old: String,
    /// The model after (default: --path in the working tree).
    pub new: Option<String>,
    /// The model's path inside the repository, for sides given as a git revision
    /// (default: ./models).
    #[arg(long, value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Pair a removed and an added entity of the same kind that look like the
    /// same thing (same name, or 80 % of fields equal) as a rename.
    #[arg(long)]
    pub detect_renames: bool,
    /// With --format markdown: at most this many characters (comments on
    /// GitHub and GitLab hold 65,536); a longer diff is summarised, pointing
    /// to --format json for the whole of it. 0: no limit.
    #[arg(long, value_name = "N", default_value_t = output::MAX_MARKDOWN_CHARS)]
    pub max_markdown_chars: usize,
    /// Exit with code 1 when NEW introduces a finding at or above this level.
    #[arg(long, value_enum, default_value_t = FailOnNew::Never)]
    pub fail_on_new: FailOnNew,
    /// Also draw the change: the view of NEW with added, removed and changed
    /// elements marked, written to FILE (SVG).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// The view drawn by --svg and --format mermaid: ov-2, ov-5b, sv-1, sv-2, div-2.
    #[arg(long, value_name = "ID", default_value = "sv-2", value_parser = super::render::parse_view)]
    pub view: crate::render::View,
    /// The state drawn by --svg and --format mermaid.
    #[arg(long, value_enum, default_value_t = StateArg::ToBe)]
    pub state: StateArg,
    /// Colour scheme of --svg.
    #[arg(long, value_enum, default_value_t = super::render::ThemeArg::Light)]
    pub theme: super::render::ThemeArg,
}

/// Output format of `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For the terminal.
    Text,
    /// A pull-request comment (GitHub-flavoured Markdown).
    Markdown,
    /// Stable JSON for tools (documented in the README, "Reviewing a change").
    Json,
    /// A Mermaid flowchart of the changed neighbourhood of --view.
    Mermaid,
}

/// `--fail-on-new` threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOnNew {
    /// Fail when NEW introduces an error.
    Error,
    /// Fail when NEW introduces a warning or an error.
    Warning,
    /// Fail when NEW introduces any finding.
    Info,
    /// Never fail because of findings.
    Never,
}

impl FailOnNew {
    fn level(self) -> Option<Level> {
        match self {
            FailOnNew::Error => Some(Level::Error),
            FailOnNew::Warning => Some(Level::Warning),
            FailOnNew::Info => Some(Level::Info),
            FailOnNew::Never => None,
        }
    }
}

/// Where a side's model comes from, as the user wrote it.
#[derive(Debug, PartialEq, Eq)]
pub enum SideSpec {
    /// A folder or file.
    Path(PathBuf),
    /// A path inside a git revision.
    Git {
        /// The revision.
        rev: String,
        /// The model path (relative to the current directory).
        path: PathBuf,
    },
}

impl SideSpec {
    /// Reads a side argument: an existing path, `REV:PATH`, a revision (with
    /// `path` as the model path), or else a path (so a mistyped path gets a
    /// "cannot read" error, a mistyped branch an "unknown revision" one).
    pub fn parse(arg: &str, path: &Path, is_revision: impl Fn(&str) -> bool) -> SideSpec {
        if Path::new(arg).exists() {
            return SideSpec::Path(PathBuf::from(arg));
        }
        // git's `:/TEXT` (the youngest commit whose message matches TEXT) is a
        // revision; the pattern may hold `:` and `/`, so nothing is split off.
        // A range (`origin/main..HEAD`) is read as a revision too, so that
        // its error says how to give the two ends (not "cannot read path").
        if arg.starts_with(":/") || crate::model::git::is_range(arg) {
            return SideSpec::Git {
                rev: arg.to_string(),
                path: path.to_path_buf(),
            };
        }
        if let Some((rev, p)) = arg.split_once(':') {
            if !rev.is_empty() && !p.is_empty() {
                return SideSpec::Git {
                    rev: rev.to_string(),
                    path: PathBuf::from(p),
                };
            }
        }
        let looks_like_path = arg.ends_with(".ron") || arg.contains(std::path::MAIN_SEPARATOR);
        if looks_like_path && !is_revision(arg) {
            return SideSpec::Path(PathBuf::from(arg));
        }
        SideSpec::Git {
            rev: arg.to_string(),
            path: path.to_path_buf(),
        }
    }

    fn source(&self) -> ModelSource {
        match self {
            SideSpec::Path(p) => ModelSource::Path(p.clone()),
            SideSpec::Git { rev, path } => ModelSource::Git {
                rev: rev.clone(),
                path: path.clone(),
            },
        }
    }

    fn label(&self) -> String {
        match self {
            SideSpec::Path(p) => p.display().to_string(),
            SideSpec::Git { rev, path } => format!("{rev}:{}", path.display()),
        }
    }
}

fn default_path(args: &Args) -> PathBuf {
    args.path.clone().unwrap_or_else(|| PathBuf::from("models"))
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let path = default_path(args);
    let is_rev = crate::model::git::is_revision;
    let old_spec = SideSpec::parse(&args.old, &path, is_rev);
    let new_spec = match &args.new {
        Some(n) => SideSpec::parse(n, &path, is_rev),
        None => SideSpec::Path(path.clone()),
    };
    let (old_label, new_label) = (old_spec.label(), new_spec.label());
    let old = model::read(&old_spec.source(), crate::analysis::RULE_IDS);
    let new = model::read(&new_spec.source(), crate::analysis::RULE_IDS);
    if old.has_errors() || new.has_errors() {
        return invalid(
            args,
            out,
            [("old", &old_label, &old), ("new", &new_label, &new)],
        );
    }
    // Warnings (e.g. unknown files) go to stderr in every format, naming the side.
    for (side, label, l) in [("old", &old_label, &old), ("new", &new_label, &new)] {
        if !l.diagnostics.is_empty() {
            out.stderr(&format!("{side} model `{label}`:\n"));
            out.diagnostics(&l.diagnostics, &l.sources);
        }
    }
    let (g_old, g_new) = (Graph::build(&old.model), Graph::build(&new.model));
    let diff = compare(
        &g_old,
        &g_new,
        Options {
            detect_renames: args.detect_renames,
        },
    );
    let state = args.state.into();
    let marks = diff.marks();
    let mermaid = matches!(args.format, Format::Markdown | Format::Mermaid)
        .then(|| crate::render::diff::diff_mermaid(&args.view, &g_old, &g_new, state, &marks));
    if let Some(file) = &args.svg {
        let subtitle = format!("changes from {old_label} to {new_label}");
        let Some(r) =
            crate::render::diff::render_diff(&args.view, &g_old, &g_new, state, &marks, &subtitle)
        else {
            out.error(&format!("cannot draw view `{}`", args.view.id()));
            return EXIT_INVALID;
        };
        if let Err(e) = write_atomic(file, r.svg(args.theme.into()).as_bytes()) {
            out.error(&e.to_string());
            return EXIT_INVALID;
        }
    }
    let report = DiffReport {
        diff: &diff,
        old: SideInfo {
            label: &old_label,
            loaded: &old,
        },
        new: SideInfo {
            label: &new_label,
            loaded: &new,
        },
        fail_on_new: args.fail_on_new.level(),
        mermaid: mermaid.clone(),
    };
    let text = match args.format {
        Format::Text => output::to_text(&report, out.color_out),
        Format::Markdown => output::to_markdown_within(&report, args.max_markdown_chars),
        Format::Json => output::to_json(&report),
        Format::Mermaid => mermaid.unwrap_or_default(),
    };
    out.stdout(&text);
    if report.failing().is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

/// Reports the invalid side(s): diagnostics on stderr naming the side (or
/// JSON on stdout), exit 2.
fn invalid(args: &Args, out: &Output, sides: [(&str, &String, &Loaded); 2]) -> i32 {
    if args.format == Format::Json {
        #[derive(Serialize)]
        struct JsonSide<'a> {
            model: &'a str,
            valid: bool,
            diagnostics: Vec<JsonDiagnostic>,
        }
        #[derive(Serialize)]
        struct Invalid<'a> {
            version: u32,
            valid: bool,
            old: JsonSide<'a>,
            new: JsonSide<'a>,
        }
        fn side<'a>((_, label, l): (&str, &'a String, &Loaded)) -> JsonSide<'a> {
            JsonSide {
                model: label,
                valid: !l.has_errors(),
                diagnostics: l
                    .diagnostics
                    .iter()
                    .map(|d| JsonDiagnostic::new(d, &l.sources))
                    .collect(),
            }
        }
        let [o, n] = sides;
        let doc = Invalid {
            version: 1,
            valid: false,
            old: side(o),
            new: side(n),
        };
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        out.stdout(&s);
        return EXIT_INVALID;
    }
    for (side, label, l) in sides {
        if !l.has_errors() {
            continue;
        }
        let n = l.error_count();
        out.diagnostics(&l.diagnostics, &l.sources);
        out.error(&format!(
            "the {side} model `{label}` is invalid: {}",
            crate::words::count(n, "error", "errors")
        ));
    }
    EXIT_INVALID
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_specs() {
        let p = Path::new("models");
        let revs = |r: &str| r == "origin/main";
        let git = |rev: &str, path: &str| SideSpec::Git {
            rev: rev.into(),
            path: path.into(),
        };
        assert_eq!(SideSpec::parse("main", p, revs), git("main", "models"));
        assert_eq!(
            SideSpec::parse("HEAD~1:examples/clean", p, revs),
            git("HEAD~1", "examples/clean")
        );
        assert_eq!(
            SideSpec::parse("origin/main", p, revs),
            git("origin/main", "models")
        );
        // git's message search is a revision, whatever it contains.
        assert_eq!(SideSpec::parse(":/fix", p, revs), git(":/fix", "models"));
        assert_eq!(
            SideSpec::parse(":/fix: the a/b bug", p, revs),
            git(":/fix: the a/b bug", "models")
        );
        assert_eq!(
            SideSpec::parse("origin/main..HEAD", p, revs),
            git("origin/main..HEAD", "models")
        );
        assert_eq!(
            SideSpec::parse("../modelz", p, revs),
            SideSpec::Path("../modelz".into())
        );
        // A missing path stays a path (so the error says it cannot be read).
        assert_eq!(
            SideSpec::parse("examples/diff/befor", p, revs),
            SideSpec::Path("examples/diff/befor".into())
        );
        assert_eq!(
            SideSpec::parse("model.ron", p, revs),
            SideSpec::Path("model.ron".into())
        );
        // An existing path wins over a revision of the same name.
        let here = env!("CARGO_MANIFEST_DIR");
        assert_eq!(
            SideSpec::parse(here, p, |_| true),
            SideSpec::Path(PathBuf::from(here))
        );
    }
}
