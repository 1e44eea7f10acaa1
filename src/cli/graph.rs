//! `revarch graph`: the dependency graph as DOT or JSON.

use std::path::PathBuf;

use super::{load, write_atomic, ModelArg, Output, StateArg, EXIT_INVALID, EXIT_OK};
use crate::graph::{export, Graph};

/// Arguments of `revarch graph`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    model: ModelArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Dot)]
    pub format: Format,
    /// Which state of the plan year.
    #[arg(long, value_enum, default_value_t = StateArg::ToBe)]
    pub state: StateArg,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Graph export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphviz DOT.
    Dot,
    /// JSON: nodes and edges.
    Json,
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let Some(loaded) = load(&args.model, out) else {
        return EXIT_INVALID;
    };
    let g = Graph::build(&loaded.model);
    let text = match args.format {
        Format::Dot => export::to_dot(&g, args.state.into()),
        Format::Json => export::to_json(&g, args.state.into()),
    };
    match &args.out {
        None => out.stdout(&text),
        Some(path) => {
            if let Err(e) = write_atomic(path, text.as_bytes()) {
                out.error(&e.to_string());
                return EXIT_INVALID;
            }
        }
    }
    EXIT_OK
}
