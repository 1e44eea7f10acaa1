//! `revarch report`: the HTML viewpoint report (a small static site, or one file).

use std::path::{Path, PathBuf};

use std::io::Write;

use super::render::{FitArg, ThemeArg};
use super::{load, ModelArg, Output, StateArg, EXIT_INVALID, EXIT_OK};
use crate::graph::Graph;
use crate::render::Sizing;
use crate::report::{build_with, Options, ReportError, DEFAULT_PAGE_BUDGET, SVG_FOLDER};

/// Arguments of `revarch report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    model: ModelArg,
    /// Folder to write into (created if missing): index.html, dictionary.html,
    /// ov.html, sv.html, stdv.html, div.html, findings.html, and svg/ with
    /// each drawing as its own file.
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
    /// Frame the diagrams are laid out for: a 16:9 slide, an A4 landscape
    /// page, or none (the shape the graph suggests).
    #[arg(long, value_enum, default_value_t = FitArg::Slide)]
    pub fit: FitArg,
    /// Draw a view with more nodes than this as an overview plus one
    /// drawing per owning team / performer / data owner (collapsed
    /// sections). 0: never split. Default: split a view when it does not
    /// fit the frame legibly (with --fit none: above 120 nodes).
    #[arg(long, value_name = "N")]
    pub max_nodes: Option<usize>,
    /// Replace the output folder even if revarch did not write it (it holds
    /// other files); everything in it is removed.
    #[arg(long)]
    pub force: bool,
    /// Largest page, in bytes, the report aims for: longer tables continue
    /// on numbered pages (`dictionary-2.html`…) and diagrams beyond it are
    /// listed instead of drawn.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_PAGE_BUDGET, hide = true)]
    pub page_budget: usize,
}

/// The file that marks a folder as written by `revarch report`; it lists the
/// files written with it, so a re-run may replace the folder without
/// `--force` as long as nothing else was put there.
pub const MARKER: &str = ".revarch-report";

/// Whether `out` may be replaced: missing, empty, or holding only what a
/// previous report wrote (its [`MARKER`] and the files it lists), unless
/// `force`. Never the current folder or one that contains it.
fn check_target(out: &Path, force: bool) -> Result<(), String> {
    let shown = out.display();
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot read `{shown}`: {e}")),
    };
    if !meta.is_dir() {
        return Err(format!(
            "`{shown}` is not a folder; choose another --out (the report is a folder of pages)"
        ));
    }
    if let (Ok(cwd), Ok(target)) = (std::env::current_dir(), out.canonicalize()) {
        if cwd.starts_with(&target) {
            return Err(format!(
                "refusing to replace `{shown}`: it is or contains the current folder; choose a folder of its own with --out"
            ));
        }
    }
    let listed: Vec<String> = std::fs::read_to_string(out.join(MARKER))
        .map(|t| {
            t.lines()
                .skip(1)
                .map(str::to_string)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let marked = out.join(MARKER).is_file();
    let entries = std::fs::read_dir(out).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    let mut foreign = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read `{shown}`: {e}"))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().ok();
        let ours = marked
            && match kind {
                Some(t) if t.is_file() => name == MARKER || listed.contains(&name),
                // the drawings' folder: ours if it holds only files it listed
                Some(t) if t.is_dir() && name == SVG_FOLDER => {
                    own_folder(&entry.path(), &name, &listed)
                }
                _ => false,
            };
        if !ours {
            foreign.push(name);
        }
    }
    foreign.sort();
    if foreign.is_empty() {
        return Ok(());
    }
    if force {
        return forceable(out, &foreign);
    }
    let what = if marked {
        format!(
            "holds files an earlier report did not write (`{}`{})",
            foreign[0],
            if foreign.len() > 1 {
                format!(" and {} more", foreign.len() - 1)
            } else {
                String::new()
            }
        )
    } else {
        format!(
            "is not empty and was not written by `revarch report` (it holds `{}`)",
            foreign[0]
        )
    };
    Err(format!(
        "`{shown}` {what}; pass --force to replace the folder and everything in it, or choose another --out"
    ))
}

/// Whether the folder `path` (called `name` in the report's folder) holds
/// only regular files that the marker lists as `name/file`.
fn own_folder(path: &Path, name: &str, listed: &[String]) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    entries.into_iter().all(|entry| {
        entry.is_ok_and(|e| {
            let file = format!("{name}/{}", e.file_name().to_string_lossy());
            e.file_type().is_ok_and(|t| t.is_file()) && listed.contains(&file)
        })
    })
}

/// Where a file that the report hands over goes: a page (`index.html`)
/// directly in `dir`, a drawing in its [`SVG_FOLDER`] (`svg/sv-2.svg`).
/// `None` for any other name (the names come from the report, never from
/// the model, but nothing may leave the folder or hide as a dot file).
fn path_in(dir: &Path, name: &str) -> Option<PathBuf> {
    let safe = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s != MARKER
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    match name.split_once('/') {
        None if safe(name) && name != SVG_FOLDER => Some(dir.join(name)),
        Some((folder, file)) if folder == SVG_FOLDER && safe(file) => {
            Some(dir.join(folder).join(file))
        }
        _ => None,
    }
}

/// Whether `--force` may replace `out`, a folder holding `foreign` files:
/// never a repository, the home folder or a folder at the top of the file
/// system (a slip of `--out` must not delete a project or a home).
fn forceable(out: &Path, foreign: &[String]) -> Result<(), String> {
    let shown = out.display();
    if foreign.iter().any(|f| f == ".git") {
        return Err(format!(
            "refusing to replace `{shown}`: it holds a git repository (`.git`), even with --force; choose a folder of its own with --out"
        ));
    }
    let target = out
        .canonicalize()
        .map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    let home = std::env::var_os("HOME").and_then(|h| PathBuf::from(h).canonicalize().ok());
    if target.components().count() <= 2 || home.as_deref() == Some(target.as_path()) {
        return Err(format!(
            "refusing to replace `{shown}` (`{}`), even with --force: choose a folder of its own with --out",
            target.display()
        ));
    }
    Ok(())
}

/// Fills a fresh folder beside `out` (same parent, so the renames are
/// atomic) with `fill`, then swaps it in: the old folder is renamed out of
/// the way, the new one renamed to `out`, the old one removed. On any
/// failure the previous `out` is untouched and the temporary folder
/// removed. `fill` gets the folder to write into.
pub fn replace_folder<E>(
    out: &Path,
    fill: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), SwapError<E>> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| SwapError::Io(format!("`{}` is not a folder name", out.display())))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |what: &str, p: &Path, e: std::io::Error| {
        SwapError::Io(format!("cannot {what} `{}`: {e}", p.display()))
    };
    std::fs::create_dir_all(&parent).map_err(|e| io("create", &parent, e))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.revarch-new-{pid}"));
    let old = parent.join(format!(".{name}.revarch-old-{pid}"));
    // leftovers of a killed run with the same process id
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir(&tmp).map_err(|e| io("create", &tmp, e))?;
    let result = (|| {
        fill(&tmp).map_err(SwapError::Fill)?;
        let had_old = std::fs::symlink_metadata(out).is_ok();
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
            std::fs::rename(out, &old).map_err(|e| io("move aside", out, e))?;
        }
        if let Err(e) = std::fs::rename(&tmp, out) {
            if had_old {
                let _ = std::fs::rename(&old, out);
            }
            return Err(io("replace", out, e));
        }
        if had_old {
            // the new report is in place; a leftover old copy is only untidy
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// Why [`replace_folder`] failed.
#[derive(Debug)]
pub enum SwapError<E> {
    /// Creating, renaming or removing a folder failed.
    Io(String),
    /// Filling the new folder failed.
    Fill(E),
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let Some(loaded) = load(&args.model, out) else {
        return EXIT_INVALID;
    };
    let overrides = match &args.templates {
        Some(dir) => match crate::report::templates::read_overrides(dir) {
            Ok(o) => o,
            Err(e) => {
                out.error(&e);
                return EXIT_INVALID;
            }
        },
        None => Vec::new(),
    };
    if let Err(e) = check_target(&args.out, args.force) {
        out.error(&e);
        return EXIT_INVALID;
    }
    let g = Graph::build(&loaded.model);
    let opts = Options {
        state: args.state.into(),
        theme: args.theme.into(),
        single_file: args.single_file,
        overrides,
        sizing: Sizing {
            fit: args.fit.into(),
            max_nodes: args.max_nodes,
        },
        page_budget: args.page_budget,
    };
    let mut warnings = Vec::new();
    let swapped = replace_folder(&args.out, |dir| {
        let mut names = Vec::new();
        let built = build_with(&g, &loaded.label, &opts, &mut |name, bytes| {
            let path = path_in(dir, name).ok_or_else(|| {
                std::io::Error::other(format!(
                    "refusing to write `{name}` outside the output folder"
                ))
            })?;
            if let Some(folder) = path.parent().filter(|p| *p != dir) {
                std::fs::create_dir_all(folder)?;
            }
            write_file(&path, bytes)?;
            names.push(name.to_string());
            Ok(())
        })?;
        warnings = built.warnings;
        names.sort();
        let marker = format!(
            "written by revarch report; a re-run replaces this folder if it holds only these files\n{}\n",
            names.join("\n")
        );
        write_file(&dir.join(MARKER), marker.as_bytes()).map_err(|source| ReportError::Write {
            name: MARKER.into(),
            source,
        })
    });
    match swapped {
        Ok(()) => {}
        Err(SwapError::Io(e)) => {
            out.error(&e);
            return EXIT_INVALID;
        }
        Err(SwapError::Fill(e)) => {
            out.error(&e.to_string());
            return EXIT_INVALID;
        }
    }
    let mut msg = String::new();
    for w in &warnings {
        msg.push_str(&format!("warning: {w}\n"));
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

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&p).unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failing_fill_leaves_the_old_folder_and_no_temporary_one() {
        let parent = tempfile::tempdir().unwrap();
        let out = parent.path().join("report");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        let r = replace_folder(&out, |dir| {
            std::fs::write(dir.join("index.html"), "new").unwrap();
            Err("disk full")
        });
        assert!(matches!(r, Err(SwapError::Fill("disk full"))));
        assert_eq!(files(&out), [("index.html".into(), "old".into())]);
        assert_eq!(files(parent.path()).len(), 1, "{:?}", files(parent.path()));
        // and a successful one replaces the whole folder
        replace_folder(&out, |dir| {
            std::fs::write(dir.join("a.html"), "new").map_err(|e| e.to_string())
        })
        .unwrap();
        assert_eq!(files(&out), [("a.html".into(), "new".into())]);
        assert_eq!(files(parent.path()).len(), 1);
    }

    #[test]
    fn only_missing_empty_or_own_folders_are_replaced_without_force() {
        let parent = tempfile::tempdir().unwrap();
        let out = parent.path().join("r");
        assert!(check_target(&out, false).is_ok());
        std::fs::create_dir(&out).unwrap();
        assert!(check_target(&out, false).is_ok());
        std::fs::write(out.join("index.html"), "x").unwrap();
        let err = check_target(&out, false).unwrap_err();
        assert!(
            err.contains("not written by") && err.contains("--force"),
            "{err}"
        );
        assert!(check_target(&out, true).is_ok());
        std::fs::write(out.join(MARKER), "written by revarch report\nindex.html\n").unwrap();
        assert!(check_target(&out, false).is_ok());
        // the drawings' folder is ours while it holds only files listed
        let svg = out.join(SVG_FOLDER);
        std::fs::create_dir(&svg).unwrap();
        std::fs::write(svg.join("sv-2.svg"), "x").unwrap();
        std::fs::write(
            out.join(MARKER),
            "written by revarch report\nindex.html\nsvg/sv-2.svg\n",
        )
        .unwrap();
        assert!(check_target(&out, false).is_ok());
        std::fs::create_dir(svg.join("sub")).unwrap();
        let err = check_target(&out, false).unwrap_err();
        assert!(err.contains("`svg`"), "{err}");
        std::fs::remove_dir(svg.join("sub")).unwrap();
        std::fs::write(svg.join("mine.svg"), "x").unwrap();
        assert!(check_target(&out, false).unwrap_err().contains("`svg`"));
        std::fs::remove_file(svg.join("mine.svg")).unwrap();
        assert!(check_target(&out, false).is_ok());
        // any other folder is not, even empty
        std::fs::create_dir(out.join("sub")).unwrap();
        let err = check_target(&out, false).unwrap_err();
        assert!(err.contains("`sub`"), "{err}");
        let file = parent.path().join("f");
        std::fs::write(&file, "x").unwrap();
        assert!(check_target(&file, true)
            .unwrap_err()
            .contains("not a folder"));
    }

    #[test]
    fn files_the_report_hands_over_stay_inside_the_folder() {
        let d = Path::new("out");
        assert_eq!(path_in(d, "index.html"), Some(d.join("index.html")));
        assert_eq!(
            path_in(d, "svg/sv-1--sales.svg"),
            Some(d.join("svg").join("sv-1--sales.svg"))
        );
        for bad in [
            "",
            ".hidden",
            MARKER,
            "../x.html",
            "a/b.html",
            "svg/../x.svg",
            "svg/.x.svg",
            "svg/a/b.svg",
            "svg/",
            "svg",
            "a\\b.html",
            "/etc/passwd",
            "svg/a b.svg",
        ] {
            assert_eq!(path_in(d, bad), None, "{bad}");
        }
    }

    #[test]
    fn force_never_replaces_a_repository_or_a_top_level_folder() {
        let parent = tempfile::tempdir().unwrap();
        let repo = parent.path().join("project");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::write(repo.join("index.html"), "x").unwrap();
        let err = check_target(&repo, true).unwrap_err();
        assert!(err.contains("git repository"), "{err}");
        // `parent` keeps /tmp non-empty; /tmp is refused (as top-level, or
        // as a folder holding the current one when the tests run below it).
        let tmp = std::env::temp_dir().canonicalize().unwrap();
        if tmp.components().count() <= 2 {
            let err = check_target(&tmp, true).unwrap_err();
            assert!(err.contains("refusing to replace"), "{err}");
        }
    }
}
