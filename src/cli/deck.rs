//! `revarch deck`: an editable 16:9 PowerPoint deck of native shapes.

use std::path::PathBuf;

use super::render::{parse_view, ThemeArg};
use super::{load, write_atomic, ModelArg, Output, StateArg, EXIT_INVALID, EXIT_OK};
use crate::deck::template::MAX_FILE;
use crate::deck::{build, Options, Template, DEFAULT_FINDINGS};
use crate::graph::Graph;
use crate::render::View;

/// Arguments of `revarch deck`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    model: ModelArg,
    /// The .pptx file to write (its folder is created if missing).
    #[arg(long, short, default_value = "out/plan.pptx")]
    pub out: PathBuf,
    /// Which state of the plan year the drawings and focus slides show.
    #[arg(long, value_enum, default_value_t = StateArg::ToBe)]
    pub state: StateArg,
    /// Views to draw (repeatable): ov-2, ov-5b, sv-1, sv-2, div-2. Default:
    /// all of them. A view too large for one slide gets an overview slide
    /// and one slide per group.
    #[arg(long = "view", value_name = "ID", value_parser = parse_view)]
    pub views: Vec<View>,
    /// Colour scheme.
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    pub theme: ThemeArg,
    /// Focus slides for at most N findings of --state, most severe first
    /// (0: none).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_FINDINGS)]
    pub findings: usize,
    /// A .pptx whose slide masters, layouts and theme (fonts, colours) the
    /// slides are made on; its own slides are not kept. Its slides must be
    /// 16:9. Default: a clean built-in master.
    #[arg(long, value_name = "FILE.pptx")]
    pub template: Option<PathBuf>,
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let Some(loaded) = load(&args.model, out) else {
        return EXIT_INVALID;
    };
    let g = Graph::build(&loaded.model);
    let mut views = if args.views.is_empty() {
        View::DEFAULT.to_vec()
    } else {
        args.views.clone()
    };
    views.sort();
    views.dedup();
    let template = match &args.template {
        None => None,
        Some(path) => match read_template(path) {
            Ok(t) => Some(t),
            Err(e) => {
                out.error(&e);
                return EXIT_INVALID;
            }
        },
    };
    let opts = Options {
        state: args.state.into(),
        views,
        theme: args.theme.into(),
        max_findings: args.findings,
        template,
    };
    let deck = match build(&g, &opts) {
        Ok(d) => d,
        Err(e) => {
            out.error(&e.to_string());
            return EXIT_INVALID;
        }
    };
    if let Err(e) = write_atomic(&args.out, &deck.bytes) {
        out.error(&e.to_string());
        return EXIT_INVALID;
    }
    out.stderr(&format!(
        "wrote {} ({} slides: {})\n",
        args.out.display(),
        deck.slides.len(),
        deck.slides.join(", ")
    ));
    EXIT_OK
}

/// Reads the template file (at most [`MAX_FILE`] bytes) for the library to
/// parse.
fn read_template(path: &std::path::Path) -> Result<Template, String> {
    use std::io::Read as _;
    let shown = path.display().to_string();
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read template {shown}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read template {shown}: {e}"))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(format!(
            "template {shown} is too large: more than {} MiB",
            MAX_FILE >> 20
        ));
    }
    Template::parse(&bytes, &shown).map_err(|e| e.to_string())
}
