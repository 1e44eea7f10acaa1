//! The `cli` stage: arguments (clap derive) and the only IO of the program.
//! One file per command.

pub mod baseline;
mod check;
mod diff;
mod gen;
mod graph;
mod render;
mod report;
mod rules;
pub mod sarif;
mod schema;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::{self, Loaded, ModelSource, State};

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: invalid model, unreadable input or failed output.
pub const EXIT_INVALID: i32 = 2;

/// Model a revenue architecture through DoDAF viewpoints; find data silos,
/// orphan integrations and more.
#[derive(Debug, Parser)]
#[command(name = "revarch", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Colour output or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a model and report its findings (silos, orphan integrations, …).
    Check(check::Args),
    /// Compare two versions of a model (paths or git revisions): what changed in
    /// architecture terms, and which findings appear or are resolved.
    Diff(diff::Args),
    /// Draw the viewpoint diagrams (OV-2, OV-5b, SV-1, SV-2, DIV-2, lineage) as SVG.
    Render(render::Args),
    /// Write the HTML viewpoint report (AV-1, AV-2, OV, SV, StdV, DIV, findings).
    Report(report::Args),
    /// Write the dependency graph for other tools (Graphviz DOT or JSON).
    Graph(graph::Args),
    /// Print the JSON Schema of the model format (for editors).
    Schema(schema::Args),
    /// List the analysis rules with their default severity, rationale and fix.
    Rules(rules::Args),
    /// Write a synthetic model of N systems (regional stacks around a central
    /// warehouse, with a few planted problems), to try revarch at scale.
    Gen(gen::Args),
}

/// The model argument shared by commands.
#[derive(Debug, clap::Args)]
pub struct ModelArg {
    /// Model folder (av.ron, ov.ron, sv.ron, stdv.ron, div.ron) or single
    /// model file. Default: ./models if it exists, else the bundled
    /// reference model.
    pub model: Option<PathBuf>,
}

impl ModelArg {
    fn source(&self) -> ModelSource {
        match &self.model {
            Some(p) => ModelSource::Path(p.clone()),
            None if Path::new("models").is_dir() => ModelSource::Path(PathBuf::from("models")),
            None => ModelSource::Bundled,
        }
    }
}

/// One state of the plan year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    /// Today: current and retiring elements.
    AsIs,
    /// After the plan: current and planned elements.
    ToBe,
}

impl From<StateArg> for State {
    fn from(s: StateArg) -> State {
        match s {
            StateArg::AsIs => State::AsIs,
            StateArg::ToBe => State::ToBe,
        }
    }
}

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let color_out = use_color(cli.color, std::io::stdout().is_terminal());
    let color_err = use_color(cli.color, std::io::stderr().is_terminal());
    let out = Output {
        color_out,
        color_err,
    };
    match cli.command {
        Command::Check(args) => check::execute(&args, &out),
        Command::Diff(args) => diff::execute(&args, &out),
        Command::Render(args) => render::execute(&args, &out),
        Command::Report(args) => report::execute(&args, &out),
        Command::Graph(args) => graph::execute(&args, &out),
        Command::Schema(args) => schema::execute(&args, &out),
        Command::Rules(args) => rules::execute(&args, &out),
        Command::Gen(args) => gen::execute(&args, &out),
    }
}

fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Where and how to print.
pub struct Output {
    /// Colour stdout.
    pub color_out: bool,
    /// Colour stderr.
    pub color_err: bool,
}

impl Output {
    /// Writes to stdout; a closed pipe (`revarch check | head`) is not an error.
    pub fn stdout(&self, text: &str) {
        let mut lock = std::io::stdout().lock();
        let _ = lock.write_all(text.as_bytes()).and_then(|_| lock.flush());
    }
    /// Writes to stderr.
    pub fn stderr(&self, text: &str) {
        let mut lock = std::io::stderr().lock();
        let _ = lock.write_all(text.as_bytes()).and_then(|_| lock.flush());
    }
    /// Prints an error message to stderr.
    pub fn error(&self, message: &str) {
        if self.color_err {
            self.stderr(&format!(
                "\x1b[1;31merror\x1b[0m\x1b[1m: {message}\x1b[0m\n"
            ));
        } else {
            self.stderr(&format!("error: {message}\n"));
        }
    }
}

/// Loads and validates a model, printing its diagnostics to stderr. Returns
/// None (after printing) when the model is invalid.
fn load(arg: &ModelArg, out: &Output) -> Option<Loaded> {
    let loaded = model::read(&arg.source(), crate::analysis::RULE_IDS);
    if print_diagnostics(&loaded, out) {
        Some(loaded)
    } else {
        None
    }
}

/// Prints a loaded model's diagnostics to stderr, and a last line when it is
/// invalid. Returns whether the model can be used.
fn print_diagnostics(loaded: &Loaded, out: &Output) -> bool {
    if !loaded.diagnostics.is_empty() {
        out.stderr(&crate::diag::render(
            &loaded.diagnostics,
            &loaded.sources,
            out.color_err,
        ));
    }
    if loaded.has_errors() {
        let n = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .count();
        out.error(&format!(
            "model `{}` is invalid: {}",
            loaded.label,
            crate::words::count(n, "error", "errors")
        ));
        return false;
    }
    true
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// then a rename, so a reader never sees half a file and a failure never
/// destroys the previous version.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), crate::Error> {
    let err = |source| crate::Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let name = path.file_name().ok_or_else(|| crate::Error::BadOutput {
        path: path.to_path_buf(),
        reason: "not a file name".into(),
    })?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(err)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.dot");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
