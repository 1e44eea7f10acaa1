//! The `cli` stage: arguments (clap derive), and writing what the library
//! returns (stdout, stderr, files via [`write_atomic`]). One file per
//! command.

mod check;
mod deck;
mod diff;
mod gen;
mod graph;
mod init;
mod render;
mod report;
mod rules;
mod schema;
mod serve;

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
    /// Write a small commented starter model (the five viewpoint files) to
    /// begin your own from; never overwrites a model.
    Init(init::Args),
    /// Validate a model and report its findings (silos, orphan integrations, …).
    Check(check::Args),
    /// Compare two versions of a model (paths or git revisions): what changed in
    /// architecture terms, and which findings appear or are resolved.
    Diff(diff::Args),
    /// Draw the viewpoint diagrams (OV-2, OV-5b, SV-1, SV-2, DIV-2, lineage) as SVG.
    Render(render::Args),
    /// Write the HTML viewpoint report (AV-1, AV-2, OV, SV, StdV, DIV, findings).
    Report(report::Args),
    /// Serve the report on this machine and rebuild it whenever the model
    /// is saved; open pages reload themselves (for workshops).
    Serve(serve::Args),
    /// Write an editable 16:9 PowerPoint deck: title, goals, health, one slide
    /// of native shapes and connectors per view, focus slides, standards.
    Deck(deck::Args),
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

/// Installs, once, a panic hook that stays silent for a panic inside a
/// guarded layout-rs call (it is caught, and the view falls back to its own
/// layout: a message would only alarm) and forwards every other panic to
/// the hook that was there. The program's edge does this, not the library:
/// a library must not replace the process-wide hook.
pub fn quiet_layout_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !crate::render::layout::in_guarded_call() {
                previous(info);
            }
        }));
    });
}

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    quiet_layout_panics();
    let color_out = use_color(cli.color, std::io::stdout().is_terminal());
    let color_err = use_color(cli.color, std::io::stderr().is_terminal());
    let out = Output {
        color_out,
        color_err,
    };
    match cli.command {
        Command::Init(args) => init::execute(&args, &out),
        Command::Check(args) => check::execute(&args, &out),
        Command::Diff(args) => diff::execute(&args, &out),
        Command::Render(args) => render::execute(&args, &out),
        Command::Report(args) => report::execute(&args, &out),
        Command::Serve(args) => serve::execute(&args, &out),
        Command::Deck(args) => deck::execute(&args, &out),
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
    /// Renders diagnostics to stderr as they are rendered (never all of
    /// them in memory at once); a closed stderr is not an error.
    pub fn diagnostics(&self, diags: &[crate::diag::Diagnostic], sources: &crate::diag::Sources) {
        let mut lock = std::io::BufWriter::new(std::io::stderr().lock());
        let _ = crate::diag::render_to(&mut lock, diags, sources, self.color_err);
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
        out.diagnostics(&loaded.diagnostics, &loaded.sources);
    }
    if loaded.has_errors() {
        let n = loaded.error_count();
        out.error(&format!(
            "model `{}` is invalid: {}",
            loaded.label,
            crate::words::count(n, "error", "errors")
        ));
        return false;
    }
    true
}

/// Whether `dir` is an existing folder (false: nothing is there yet), for
/// commands that write model files into one (`gen`, `init`); anything else
/// at the path, or an error reading it, is refused with a sentence.
fn existing_folder(dir: &Path) -> Result<bool, String> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(format!(
            "cannot use `{}`: {}",
            dir.display(),
            model::load::io_reason(&e)
        )),
        Ok(m) if !m.is_dir() => Err(format!("`{}` exists and is not a folder", dir.display())),
        Ok(_) => Ok(true),
    }
}

/// Writes `bytes` to `path` so that a reader never sees half a file and a
/// failure never destroys the previous version: a temporary file in the same
/// folder, then a rename.
///
/// Only a regular file (or nothing) is replaced that way. A path that names
/// something else is never replaced by a rename:
/// - a character device (`/dev/null`, a terminal) or a FIFO is written in
///   place, as a shell redirection would (`--write-baseline /dev/null` as root
///   must not turn the device into a file);
/// - a symbolic link is followed: the file it points to is replaced (the link
///   stays), or written in place when it points to a device or FIFO
///   (`/dev/stdout`);
/// - a folder, a block device or a socket is refused with an error.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), crate::Error> {
    let err = |source| crate::Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let bad = |reason: &str| crate::Error::BadOutput {
        path: path.to_path_buf(),
        reason: reason.into(),
    };
    // What is at the path now, following symbolic links.
    let target = match std::fs::metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(err(e)),
    };
    if let Some(meta) = &target {
        match OutputKind::of(meta) {
            OutputKind::Regular => {}
            OutputKind::InPlace => {
                // Opened without `create` or `truncate`: a device or FIFO is
                // written as it is, never made into a file.
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(err)?;
                return f.write_all(bytes).and_then(|_| f.flush()).map_err(err);
            }
            OutputKind::Folder => return Err(bad("it is a folder")),
            OutputKind::Refused(what) => {
                return Err(bad(&format!("it is {what}; revarch writes only files")))
            }
        }
    }
    // A symbolic link to a file: replace the file it points to, keep the link.
    let resolved;
    let path = if target.is_some()
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
    {
        resolved = std::fs::canonicalize(path).map_err(err)?;
        resolved.as_path()
    } else {
        path
    };
    let name = path.file_name().ok_or_else(|| bad("not a file name"))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(err)?;
    // `create_new` never follows or reuses whatever is at the temporary name.
    let mut attempt = 0u32;
    let (tmp, mut f) = loop {
        let tmp = dir.join(format!(
            ".{}.tmp-{}-{attempt}",
            name.to_string_lossy(),
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1
            }
            Err(e) => return Err(err(e)),
        }
    };
    let result = f
        .write_all(bytes)
        .and_then(|_| f.sync_all())
        .and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// How [`write_atomic`] treats what is already at an output path.
#[derive(Debug, PartialEq, Eq)]
enum OutputKind {
    /// A regular file: replaced by temporary file + rename.
    Regular,
    /// A character device or FIFO: written in place.
    InPlace,
    /// A folder: an error.
    Folder,
    /// Something revarch never writes (a block device, a socket).
    Refused(&'static str),
}

impl OutputKind {
    fn of(meta: &std::fs::Metadata) -> OutputKind {
        let t = meta.file_type();
        if t.is_file() {
            return OutputKind::Regular;
        }
        if t.is_dir() {
            return OutputKind::Folder;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_char_device() || t.is_fifo() {
                return OutputKind::InPlace;
            }
            if t.is_block_device() {
                return OutputKind::Refused("a block device");
            }
            if t.is_socket() {
                return OutputKind::Refused("a socket");
            }
        }
        OutputKind::Refused("not a regular file")
    }
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

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_a_symlink_and_replaces_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_writes_a_fifo_in_place() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut s = String::new();
                std::fs::File::open(&fifo)
                    .unwrap()
                    .read_to_string(&mut s)
                    .unwrap();
                s
            })
        };
        write_atomic(&fifo, b"through the pipe").unwrap();
        // Checked before joining: a replaced FIFO would leave the reader
        // waiting for a writer forever.
        let t = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(t.is_fifo(), "the FIFO was replaced: {t:?}");
        assert_eq!(reader.join().unwrap(), "through the pipe");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_to_dev_null_keeps_the_device() {
        use std::os::unix::fs::FileTypeExt;
        write_atomic(Path::new("/dev/null"), b"nothing").unwrap();
        let t = std::fs::metadata("/dev/null").unwrap().file_type();
        assert!(t.is_char_device());
    }

    #[test]
    fn atomic_write_refuses_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), b"x").unwrap_err().to_string();
        assert!(e.contains("folder"), "{e}");
    }
}
