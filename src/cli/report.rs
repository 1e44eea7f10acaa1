//! `revarch report`: the HTML viewpoint report (a small static site, or one file).

use std::path::{Path, PathBuf};

use super::render::ThemeArg;
use super::{load, write_atomic, ModelArg, Output, StateArg, EXIT_INVALID, EXIT_OK};
use crate::graph::Graph;
use crate::render::split::DEFAULT_MAX_NODES;
use crate::report::{build, Options, Override};

/// Arguments of `revarch report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    model: ModelArg,
    /// Folder to write into (created if missing): index.html, dictionary.html,
    /// ov.html, sv.html, stdv.html, div.html, findings.html.
    #[arg(long, short, default_value = "out/report")]
    pub out: PathBuf,
    /// Write one self-contained report.html (all pages as sections) instead.
    #[arg(long)]
    pub single_file: bool,
    /// Folder of templates replacing the built-in ones of the same file name
    /// (base.html, index.html, style.css, …).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The state the diagrams and the data holding matrix show.
    #[arg(long, value_enum, default_value_t = StateArg::ToBe)]
    pub state: StateArg,
    /// Colour scheme of the diagrams.
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    pub theme: ThemeArg,
    /// Draw a view with more nodes than this as an overview plus one
    /// drawing per owning team / performer / data owner (collapsed
    /// sections). 0: never split.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_NODES)]
    pub max_nodes: usize,
}

/// Largest template file read from `--templates`.
const MAX_TEMPLATE: u64 = 1 << 20;

/// Reads every regular file of the templates folder (sorted by name).
fn read_overrides(dir: &Path) -> Result<Vec<Override>, String> {
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

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let Some(loaded) = load(&args.model, out) else {
        return EXIT_INVALID;
    };
    let overrides = match &args.templates {
        Some(dir) => match read_overrides(dir) {
            Ok(o) => o,
            Err(e) => {
                out.error(&e);
                return EXIT_INVALID;
            }
        },
        None => Vec::new(),
    };
    let g = Graph::build(&loaded.model);
    let opts = Options {
        state: args.state.into(),
        theme: args.theme.into(),
        single_file: args.single_file,
        overrides,
        max_nodes: args.max_nodes,
    };
    let site = match build(&g, &loaded.label, &opts) {
        Ok(s) => s,
        Err(e) => {
            out.error(&e.to_string());
            return EXIT_INVALID;
        }
    };
    let mut msg = String::new();
    for w in &site.warnings {
        msg.push_str(&format!("warning: {w}\n"));
    }
    for (name, bytes) in &site.files {
        // names come from the report itself (index.html, …), never from the model
        if name.contains(['/', '\\']) || name.starts_with('.') {
            out.error(&format!(
                "refusing to write `{name}` outside the output folder"
            ));
            return EXIT_INVALID;
        }
        if let Err(e) = write_atomic(&args.out.join(name), bytes) {
            out.error(&e.to_string());
            return EXIT_INVALID;
        }
    }
    let first = if args.single_file {
        "report.html"
    } else {
        "index.html"
    };
    msg.push_str(&format!(
        "wrote {} (open it in a browser)\n",
        args.out.join(first).display()
    ));
    out.stderr(&msg);
    EXIT_OK
}
