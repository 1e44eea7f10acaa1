//! `revarch render`: one SVG (or DOT / Mermaid, and PNG) per viewpoint view.

use std::path::{Path, PathBuf};

use super::{load, write_atomic, ModelArg, Output, StateArg, EXIT_INVALID, EXIT_OK};
use crate::diag::did_you_mean;
use crate::graph::Graph;
use crate::model::Kind;
use crate::render::{export, png, render_view, slides, Fit, Rendered, Sizing, Theme, View};

/// Arguments of `revarch render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    model: ModelArg,
    /// Folder to write into (created if missing). Files are named after the
    /// view: ov-2.svg, sv-1.svg, lineage-lead.svg…
    #[arg(long, short, default_value = "out/svg")]
    pub out: PathBuf,
    /// Views to draw (repeatable): ov-2, ov-5b, sv-1, sv-2, div-2. Default: all
    /// of them (plus the lineage of each --entity).
    #[arg(long = "view", value_name = "ID", value_parser = parse_view)]
    pub views: Vec<View>,
    /// Draw the lineage of this data entity (repeatable).
    #[arg(long = "entity", value_name = "ID")]
    pub entities: Vec<String>,
    /// Which state of the plan year.
    #[arg(long, value_enum, default_value_t = StateArg::ToBe)]
    pub state: StateArg,
    /// Colour scheme.
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    pub theme: ThemeArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Svg)]
    pub format: Format,
    /// Also write a PNG at 2x next to each SVG (for tools that mangle SVG).
    #[arg(long)]
    pub png: bool,
    /// Do not highlight findings (silos, islands, orphan integrations) on SV-1 and SV-2.
    #[arg(long)]
    pub no_findings: bool,
    /// Frame each view is laid out for: a 16:9 slide (1920 × 1080), an A4
    /// landscape page, or none (the shape the graph suggests).
    #[arg(long, value_enum, default_value_t = FitArg::Slide)]
    pub fit: FitArg,
    /// Split a view with more nodes than this: VIEW.svg becomes an overview
    /// (one box per owning team / performer / data owner) and each group is
    /// drawn in VIEW--GROUP.svg. 0: never split. Default: split a view when
    /// it does not fit the frame legibly (node names ≥ 20 px, other text
    /// ≥ 14 px on a 1920 × 1080 slide); with --fit none, above 120 nodes.
    #[arg(long, value_name = "N")]
    pub max_nodes: Option<usize>,
    /// Draw a slide of one finding of --state (repeatable): its key as
    /// `revarch check --format json` prints it, or `all` for every finding.
    /// The slide shows what the finding names, its direct neighbours and
    /// the missing links, with the message and fix as caption; files are
    /// focus-SLUG.svg. Without --view or --entity only slides are drawn.
    #[arg(long = "focus", value_name = "KEY|all")]
    pub focus: Vec<String>,
}

pub(super) fn parse_view(s: &str) -> Result<View, String> {
    View::parse(s).ok_or_else(|| {
        let ids = ["ov-2", "ov-5b", "sv-1", "sv-2", "div-2"];
        let hint = if s.starts_with("lineage") {
            " (for a lineage, pass --entity ID)".to_string()
        } else {
            did_you_mean(s, ids)
                .map(|m| format!(" (did you mean `{m}`?)"))
                .unwrap_or_default()
        };
        format!(
            "unknown view `{s}`: expected one of {}{hint}",
            ids.join(", ")
        )
    })
}

/// Colour scheme argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeArg {
    /// White background, tinted fills.
    Light,
    /// Dark background.
    Dark,
    /// Greyscale-safe, for printing.
    Print,
}

impl From<ThemeArg> for Theme {
    fn from(t: ThemeArg) -> Theme {
        match t {
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
            ThemeArg::Print => Theme::Print,
        }
    }
}

/// Frame argument (`--fit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FitArg {
    /// A 16:9 slide, 1920 × 1080 px.
    Slide,
    /// A4 landscape.
    A4,
    /// No frame.
    None,
}

impl FitArg {
    /// The value as typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            FitArg::Slide => "slide",
            FitArg::A4 => "a4",
            FitArg::None => "none",
        }
    }
}

impl From<FitArg> for Fit {
    fn from(f: FitArg) -> Fit {
        match f {
            FitArg::Slide => Fit::Slide,
            FitArg::A4 => Fit::A4,
            FitArg::None => Fit::None,
        }
    }
}

/// Output format of `render`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Standalone SVG.
    Svg,
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// Mermaid flowchart (renders in GitHub Markdown).
    Mermaid,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Dot => "dot",
            Format::Mermaid => "mmd",
        }
    }
}

/// A file name inside the output folder; refuses anything that could leave it.
fn file_in(dir: &Path, stem: &str, ext: &str) -> Option<PathBuf> {
    let ok = !stem.is_empty()
        && !stem.starts_with('.')
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    ok.then(|| dir.join(format!("{stem}.{ext}")))
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let Some(loaded) = load(&args.model, out) else {
        return EXIT_INVALID;
    };
    let g = Graph::build(&loaded.model);
    let mut views: Vec<View> =
        if args.views.is_empty() && args.entities.is_empty() && args.focus.is_empty() {
            View::DEFAULT.to_vec()
        } else {
            args.views.clone()
        };
    let entities: Vec<&str> = g
        .nodes_of(Kind::Entity)
        .map(|n| g.entity(n).id().as_str())
        .collect();
    for e in &args.entities {
        if !entities.contains(&e.as_str()) {
            let hint = did_you_mean(e, entities.iter().copied())
                .map(|m| format!(" (did you mean `{m}`?)"))
                .unwrap_or_default();
            out.error(&format!("unknown data entity `{e}`{hint}"));
            return EXIT_INVALID;
        }
        views.push(View::Lineage(e.clone()));
    }
    views.sort();
    views.dedup();
    let state = args.state.into();
    let theme: Theme = args.theme.into();
    let sizing = Sizing {
        fit: args.fit.into(),
        max_nodes: args.max_nodes,
    };
    let mut written = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let slides = if args.focus.is_empty() {
        Vec::new()
    } else {
        match slides::slides(&g, state, &args.focus) {
            Ok(s) => s,
            Err(e) => {
                out.error(&e.to_string());
                return EXIT_INVALID;
            }
        }
    };
    // laid out in parallel (revarch::par), written in order
    let rendered = crate::par::map(&views, |view| {
        render_view(view, &g, state, !args.no_findings, sizing)
    });
    for (view, rv) in views.iter().zip(rendered) {
        let Some(rv) = rv else {
            continue;
        };
        let mut drawings: Vec<(String, &Rendered)> = vec![(view.id(), &rv.main)];
        for p in &rv.parts {
            drawings.push((format!("{}--{}", view.id(), p.slug), &p.rendered));
        }
        for (stem, r) in drawings {
            match write_drawing(args, &stem, r, theme) {
                Ok(paths) => written.extend(paths),
                Err(e) => {
                    out.error(&e);
                    return EXIT_INVALID;
                }
            }
        }
        if let Some(why) = &rv.explanation {
            notes.push(format!(
                "{}: {} nodes, drawn as an overview of {} groups and {} group drawings ({})\n  {why}",
                view.id(),
                rv.nodes,
                rv.groups,
                rv.parts.len(),
                match args.max_nodes {
                    Some(n) => format!("--max-nodes {n}"),
                    None => format!("--fit {}", args.fit.name()),
                }
            ));
        }
    }
    for s in &slides {
        match write_drawing(args, &s.stem, &s.rendered, theme) {
            Ok(paths) => written.extend(paths),
            Err(e) => {
                out.error(&e);
                return EXIT_INVALID;
            }
        }
    }
    let mut msg = String::new();
    for p in &written {
        msg.push_str(&format!("wrote {}\n", p.display()));
    }
    for n in &notes {
        msg.push_str(&format!("split {n}\n"));
    }
    if !args.focus.is_empty() && slides.is_empty() {
        msg.push_str(&format!(
            "no findings in the {state} state: no focus slides\n"
        ));
    }
    out.stderr(&msg);
    EXIT_OK
}

/// Writes one drawing (and its PNG with --png); returns the paths written.
fn write_drawing(
    args: &Args,
    stem: &str,
    r: &Rendered,
    theme: Theme,
) -> Result<Vec<PathBuf>, String> {
    let path = file_in(&args.out, stem, args.format.extension())
        .ok_or_else(|| format!("cannot name a file after view `{stem}`"))?;
    let text = match args.format {
        Format::Svg => r.svg(theme),
        Format::Dot => export::to_dot(&r.diagram),
        Format::Mermaid => export::to_mermaid(&r.diagram),
    };
    write_atomic(&path, text.as_bytes()).map_err(|e| e.to_string())?;
    let mut written = vec![path.clone()];
    if args.png {
        let svg = if args.format == Format::Svg {
            text
        } else {
            r.svg(theme)
        };
        let png_path = path.with_extension("png");
        let bytes = png::svg_to_png(&svg, 2.0)
            .map_err(|e| format!("cannot draw `{}`: {e}", png_path.display()))?;
        write_atomic(&png_path, &bytes).map_err(|e| e.to_string())?;
        written.push(png_path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_stay_inside_the_folder() {
        let d = Path::new("out");
        assert_eq!(
            file_in(d, "sv-1", "svg"),
            Some(PathBuf::from("out/sv-1.svg"))
        );
        assert_eq!(file_in(d, "../x", "svg"), None);
        assert_eq!(file_in(d, ".hidden", "svg"), None);
        assert_eq!(file_in(d, "a/b", "svg"), None);
        assert_eq!(file_in(d, "", "svg"), None);
    }

    #[test]
    fn view_ids_parse_with_suggestions() {
        assert_eq!(parse_view("SV-1"), Ok(View::Sv1));
        assert!(parse_view("sv-3").unwrap_err().contains("did you mean"));
        assert!(parse_view("lineage").unwrap_err().contains("--entity"));
    }
}
