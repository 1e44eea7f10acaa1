//! `revarch serve`: the report on a local web server, rebuilt and reloaded
//! in the browser whenever the model is saved.

use std::path::PathBuf;
use std::sync::{mpsc, Arc};

use super::render::{FitArg, ThemeArg};
use super::{ModelArg, Output, StateArg, EXIT_INVALID, EXIT_OK};
use crate::model::ModelSource;
use crate::render::Sizing;
use crate::report::serve::{Config, Live, Log, Reloaded, Server, Watch, Watched};
use crate::report::Options;

/// Arguments of `revarch serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    model: ModelArg,
    /// Port to listen on. Default: a free one (the address is printed).
    #[arg(long, short, default_value_t = 0)]
    port: u16,
    /// Address to listen on. The default answers this machine only;
    /// another (0.0.0.0: every network of this machine) lets anyone who
    /// can reach it read the report, and a warning says so.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Open the report in the default browser.
    #[arg(long)]
    open: bool,
    /// The state `/` opens; both are served (/as-is/ and /to-be/), and
    /// every page links to the other.
    #[arg(long, value_enum, default_value_t = StateArg::ToBe)]
    state: StateArg,
    /// Colour scheme of the diagrams.
    #[arg(long, value_enum, default_value_t = ThemeArg::Light)]
    theme: ThemeArg,
    /// Frame the diagrams are laid out for (as for `report`).
    #[arg(long, value_enum, default_value_t = FitArg::Slide)]
    fit: FitArg,
    /// Split views above this many nodes (as for `report`).
    #[arg(long, value_name = "N")]
    max_nodes: Option<usize>,
    /// Folder of templates replacing the built-in ones (watched too).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Print one line per request.
    #[arg(long, short)]
    verbose: bool,
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let source = args.model.source();
    let config = Config {
        source: source.clone(),
        templates: args.templates.clone(),
        options: Options {
            state: args.state.into(),
            theme: args.theme.into(),
            sizing: Sizing {
                fit: args.fit.into(),
                max_nodes: args.max_nodes,
            },
            ..Options::default()
        },
    };
    let live = Arc::new(Live::new(config));
    let server = match Server::bind(&args.host, args.port) {
        Ok(s) => s,
        Err(e) => {
            out.error(&e);
            return EXIT_INVALID;
        }
    };
    let mut targets = Vec::new();
    match &source {
        ModelSource::Path(p) => targets.push(Watched::model(p)),
        _ => out.stderr(
            "note: serving the bundled reference model, which never changes; pass a model folder (`revarch init` writes one) to edit it live\n",
        ),
    }
    if let Some(dir) = &args.templates {
        targets.push(Watched::templates(dir));
    }
    // watching starts before the first build, so a save during it is seen
    let _watch = if targets.is_empty() {
        None
    } else {
        start_watch(targets, live.clone(), out)
    };
    out.stderr("building the report…\n");
    tell(out, &live.reload());

    let ip = server.addr().ip();
    if !ip.is_loopback() {
        out.stderr(&format!(
            "warning: listening on {ip}: anyone who can reach this machine on port {} can read the report\n",
            server.addr().port()
        ));
    }
    let stop = server.stopper();
    if let Err(e) = ctrlc::set_handler(stop) {
        out.stderr(&format!(
            "warning: cannot catch Ctrl-C ({e}); stop the server by ending the process\n"
        ));
    }
    let url = server.url();
    // the address on stdout (alone, for scripts), the rest on stderr
    out.stdout(&format!("{url}\n"));
    out.stderr(&format!(
        "serving the report at {url} (as-is: {url}as-is/, to-be: {url}to-be/); pages reload when the model is saved; Ctrl-C stops\n"
    ));
    if args.open {
        open_browser(&url, out);
    }
    let log: Option<Log> = if args.verbose {
        Some(Arc::new(|line: &str| {
            use std::io::Write;
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }))
    } else {
        None
    };
    match server.run(live, log) {
        Ok(()) => {
            out.stderr("stopped\n");
            EXIT_OK
        }
        Err(e) => {
            out.error(&e);
            EXIT_INVALID
        }
    }
}

/// Prints what a (re)build did.
fn tell(out: &Output, reloaded: &Reloaded) {
    match reloaded {
        Reloaded::Unchanged => {}
        Reloaded::Built { took, warnings } => {
            out.stderr(warnings);
            out.stderr(&format!(
                "built the report in {:.2} s\n",
                took.as_secs_f64()
            ));
        }
        Reloaded::Broken(problem) => {
            out.stderr(problem);
            out.stderr("the pages show these errors over the last report that could be built\n");
        }
    }
}

/// Watches `targets`; changes are rebuilt one after another on a thread of
/// their own (changes that arrive during a build make one more build).
fn start_watch(targets: Vec<Watched>, live: Arc<Live>, out: &Output) -> Option<Watch> {
    let (tx, rx) = mpsc::channel::<()>();
    let watch = match Watch::start(targets, move || {
        let _ = tx.send(());
    }) {
        Ok(w) => w,
        Err(e) => {
            out.stderr(&format!(
                "warning: cannot watch the model ({e}); the report will not follow edits: restart serve to see them\n"
            ));
            return None;
        }
    };
    if watch.polling {
        out.stderr("note: the system refused a file watch; polling the model every half second\n");
    }
    let (color_out, color_err) = (out.color_out, out.color_err);
    let spawned = std::thread::Builder::new()
        .name("revarch-rebuild".into())
        .spawn(move || {
            let out = Output {
                color_out,
                color_err,
            };
            while rx.recv().is_ok() {
                while rx.try_recv().is_ok() {}
                tell(&out, &live.reload());
            }
        });
    if let Err(e) = spawned {
        out.stderr(&format!(
            "warning: cannot start the rebuild thread ({e}); the report will not follow edits\n"
        ));
        return None;
    }
    Some(watch)
}

/// Opens `url` in the default browser; a failure is only a note.
fn open_browser(url: &str, out: &Output) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match command.spawn() {
        // waited for on a thread of its own, so it leaves no zombie
        Ok(mut child) => {
            let _ = std::thread::Builder::new().spawn(move || child.wait());
        }
        Err(e) => out.stderr(&format!(
            "note: cannot open a browser ({e}); open {url} yourself\n"
        )),
    }
}
