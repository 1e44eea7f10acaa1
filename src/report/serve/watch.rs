//! Watching the model's files (and a `--templates` folder) for `serve`:
//! notify's native watcher behind notify-debouncer-full (an editor's save
//! is a burst of events, often a write to a temporary file and a rename),
//! or polling when the system refuses a native watch (inotify limits,
//! some network and container file systems).

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, new_debouncer_opt, DebounceEventResult, NoCache};

/// Events closer together than this are one change.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// How often the polling fallback looks at the files.
const POLL: Duration = Duration::from_millis(500);

/// A folder to watch and which of its files matter.
#[derive(Clone, Debug)]
pub struct Watched {
    /// The folder (watched without its subfolders).
    pub folder: PathBuf,
    /// Only this file of it (a single-file model), else every file that
    /// passes `ron_only`.
    pub only: Option<String>,
    /// Only `.ron` files (a model folder; a templates folder: any file).
    pub ron_only: bool,
}

impl Watched {
    /// What to watch for a model at `path` (a folder or one file).
    pub fn model(path: &Path) -> Watched {
        if path.is_dir() {
            return Watched {
                folder: path.to_path_buf(),
                only: None,
                ron_only: true,
            };
        }
        // a file is watched through its folder: editors replace it by rename
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Watched {
            folder,
            only: path.file_name().map(|n| n.to_string_lossy().into_owned()),
            ron_only: false,
        }
    }

    /// What to watch for a templates folder.
    pub fn templates(dir: &Path) -> Watched {
        Watched {
            folder: dir.to_path_buf(),
            only: None,
            ron_only: false,
        }
    }

    /// Whether an event on `path` may change what this target gives.
    fn matters(&self, path: &Path) -> bool {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
            return true;
        };
        if let Some(only) = &self.only {
            return *name == **only;
        }
        if path == self.folder {
            return true; // the folder itself went or came back
        }
        // editors' swap, backup and lock files
        if name.starts_with('.') || name.ends_with('~') || name.starts_with('#') {
            return false;
        }
        !self.ron_only || name.ends_with(".ron")
    }
}

/// A running watch; dropping it stops watching.
pub struct Watch {
    _debouncer: Box<dyn std::any::Any + Send>,
    /// Whether it polls (the native watcher was refused).
    pub polling: bool,
}

impl Watch {
    /// Watches `targets`; `on_change` is called (on the watcher's thread)
    /// after each burst of events that touched a file that matters, and
    /// after an error of the watcher (the files are then read again anyway).
    pub fn start(
        targets: Vec<Watched>,
        on_change: impl Fn() + Send + Sync + 'static,
    ) -> Result<Watch, String> {
        let filter = targets.clone();
        let handler = move |result: DebounceEventResult| {
            let matters = match result {
                Ok(events) => events.iter().any(|e| {
                    e.event.paths.is_empty()
                        || e.event
                            .paths
                            .iter()
                            .any(|p| filter.iter().any(|t| t.matters(p)))
                }),
                Err(_) => true,
            };
            if matters {
                on_change();
            }
        };
        let shared = std::sync::Arc::new(handler);
        let native = {
            let h = shared.clone();
            new_debouncer(DEBOUNCE, None, move |r| h(r))
                .map_err(|e| e.to_string())
                .and_then(|mut d| {
                    for t in &targets {
                        d.watch(&t.folder, RecursiveMode::NonRecursive)
                            .map_err(|e| format!("`{}`: {e}", t.folder.display()))?;
                    }
                    Ok(d)
                })
        };
        match native {
            Ok(d) => Ok(Watch {
                _debouncer: Box::new(d),
                polling: false,
            }),
            Err(native_error) => {
                let h = shared.clone();
                let config = notify::Config::default().with_poll_interval(POLL);
                let mut d = new_debouncer_opt::<_, notify::PollWatcher, _>(
                    DEBOUNCE,
                    None,
                    move |r| h(r),
                    NoCache,
                    config,
                )
                .map_err(|e| format!("cannot watch the model: {native_error}; polling: {e}"))?;
                for t in &targets {
                    d.watch(&t.folder, RecursiveMode::NonRecursive)
                        .map_err(|e| {
                            format!(
                                "cannot watch `{}`: {native_error}; polling: {e}",
                                t.folder.display()
                            )
                        })?;
                }
                Ok(Watch {
                    _debouncer: Box::new(d),
                    polling: true,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_files_that_make_the_model_matter() {
        let dir = Path::new("m");
        let folder = Watched {
            folder: dir.into(),
            only: None,
            ron_only: true,
        };
        assert!(folder.matters(&dir.join("sv.ron")));
        assert!(
            folder.matters(&dir.join("extra.ron")),
            "reported as unknown-file"
        );
        assert!(folder.matters(dir), "the folder itself");
        for editor in [".sv.ron.swp", "sv.ron~", "4913", "#sv.ron#", ".#sv.ron"] {
            assert!(!folder.matters(&dir.join(editor)), "{editor}");
        }
        let file = Watched::model(Path::new("whole.ron"));
        assert_eq!(file.folder, Path::new("."));
        assert!(file.matters(Path::new("./whole.ron")));
        assert!(!file.matters(Path::new("./other.ron")));
        let templates = Watched::templates(Path::new("t"));
        assert!(templates.matters(Path::new("t/style.css")));
        assert!(!templates.matters(Path::new("t/.style.css.swp")));
    }
}
