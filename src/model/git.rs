//! Reading a model as it is at a git revision (`main`, `HEAD~1`, `v1.2`, a
//! commit id), for `revarch diff main HEAD`.
//!
//! Only git's read-only plumbing is run: `rev-parse` (find the repository,
//! resolve the revision), `ls-tree` (list a folder at that commit) and
//! `cat-file blob` (the bytes of a file). Nothing is checked out; the working
//! tree, the index and the refs are never written (`GIT_OPTIONAL_LOCKS=0`
//! also keeps git from refreshing the index on its own). git never waits for
//! input (stdin is null, no prompts, no pager, no lazy fetch over the network)
//! and everything that goes wrong is a [`Diagnostic`] with code `git` that
//! carries git's own message.
//!
//! Paths are relative to the current folder, as with a model folder on disk
//! (not to the repository root as in git's own `REV:path` syntax), and files
//! are named `REV:path` in diagnostics (`main:models/sv.ron`), so it is clear
//! which side of a comparison a problem is in.

// Errors are `Diagnostic`s, as everywhere in loading; a failed git
// command costs a process, so the size of the `Err` variant does not matter.
#![allow(clippy::result_large_err)]

use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use super::load::MAX_FILE_BYTES;
use crate::diag::{did_you_mean, Diagnostic};

/// The diagnostic code of every problem in reaching a model through git.
pub const CODE: &str = "git";

/// At most this many entries are listed in a "what is there" help line.
const MAX_LISTED: usize = 12;

/// Whether `rev` names a commit in the git repository around the current
/// folder (a branch, tag, commit id, `HEAD~1`, `main@{yesterday}`…).
///
/// One `git rev-parse`; false when git is not installed, the current folder
/// is not in a repository, or `rev` could be taken for an option (starts
/// with `-`). Meant for the CLI: an argument that is not an existing path
/// but is a revision is read with [`ModelSource::Git`](super::ModelSource::Git).
pub fn is_revision(rev: &str) -> bool {
    Git::default().is_revision(rev)
}

/// Resolves `rev` to the full id of the commit it names, in the repository
/// around the current folder, e.g. to show which commit a comparison used.
pub fn resolve(rev: &str) -> Result<String, Diagnostic> {
    Git::default().resolve(rev)
}

/// How a model read from git is named: `REV:path` (`main:models`), with the
/// path as the user typed it.
pub fn label(rev: &str, path: &Path) -> String {
    format!("{rev}:{}", path.display())
}

/// How git is run. The default runs `git` from `PATH` in the current folder;
/// tests choose the folder, the program and extra environment.
#[derive(Clone, Debug)]
pub(crate) struct Git {
    program: OsString,
    cwd: Option<PathBuf>,
    env: Vec<(OsString, OsString)>,
}

impl Default for Git {
    fn default() -> Git {
        Git {
            program: "git".into(),
            cwd: None,
            env: Vec::new(),
        }
    }
}

/// Why a git command did not give an answer.
enum Failure {
    /// It could not be started.
    Spawn(std::io::Error),
    /// It exited unsuccessfully (or was killed); git's stderr.
    Exit(String),
}

/// What a path is at a commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EntryKind {
    /// A folder (tree).
    Folder,
    /// A regular or executable file (blob).
    File,
    /// A symbolic link (git stores the target path, not the file).
    Symlink,
    /// A submodule (a commit of another repository).
    Submodule,
}

/// One entry of a tree at a commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// What it is.
    pub kind: EntryKind,
    /// Its object id (for the repository root: the commit id).
    pub oid: String,
    /// Size in bytes, for files.
    pub size: Option<u64>,
    /// The path as `ls-tree` printed it (lossy if not UTF-8).
    pub name: String,
}

/// A commit of the repository around the working folder, and where that
/// folder is inside the repository.
pub(crate) struct Snapshot<'g> {
    git: &'g Git,
    /// The revision as the user typed it.
    rev: String,
    /// The full commit id.
    commit: String,
    /// The working folder relative to the repository root (`""` or `a/b/`).
    prefix: String,
}

impl Git {
    /// A git runner in `cwd` (tests).
    #[cfg(test)]
    pub(crate) fn in_dir(cwd: &Path) -> Git {
        Git {
            cwd: Some(cwd.to_path_buf()),
            ..Git::default()
        }
    }

    /// Uses another program instead of `git` (tests).
    #[cfg(test)]
    pub(crate) fn program(mut self, program: impl Into<OsString>) -> Git {
        self.program = program.into();
        self
    }

    /// Sets an environment variable for every git command (tests).
    #[cfg(test)]
    pub(crate) fn env(mut self, key: &str, value: impl Into<OsString>) -> Git {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs git with `args`; stdout on success. Never reads stdin, never
    /// pages, never prompts, never takes optional locks.
    fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Result<Vec<u8>, Failure> {
        let mut cmd = Command::new(&self.program);
        cmd.arg("--no-pager")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_NO_LAZY_FETCH", "1")
            .env("GIT_LITERAL_PATHSPECS", "1")
            .env("GIT_PAGER", "cat")
            .env("PAGER", "cat")
            .env("LC_ALL", "C");
        if let Some(dir) = &self.cwd {
            cmd.current_dir(dir);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.output().map_err(Failure::Spawn)?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            let mut stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
            if stderr.is_empty() {
                stderr = format!("git exited with {}", out.status);
            }
            Err(Failure::Exit(stderr))
        }
    }

    /// A diagnostic for a git command that failed; `what` says what we
    /// were doing ("list `main:models`").
    fn failed(&self, what: &str, failure: Failure) -> Diagnostic {
        match failure {
            Failure::Spawn(e) if e.kind() == std::io::ErrorKind::NotFound => Diagnostic::error(
                CODE,
                format!("cannot {what}: git is not installed (or not on PATH)"),
            )
            .help("install git, or compare model folders instead of revisions"),
            Failure::Spawn(e) => {
                Diagnostic::error(CODE, format!("cannot {what}: cannot run git: {e}"))
            }
            Failure::Exit(stderr) => {
                Diagnostic::error(CODE, format!("cannot {what}")).help(git_says(&stderr))
            }
        }
    }

    fn is_revision(&self, rev: &str) -> bool {
        check_revision(rev).is_ok() && self.run(&commit_args(rev)).is_ok()
    }

    fn resolve(&self, rev: &str) -> Result<String, Diagnostic> {
        check_revision(rev)?;
        // Asked first so that "not a repository" is not reported as an
        // unknown revision.
        self.prefix(rev)?;
        self.commit(rev)
    }

    /// The working folder relative to the repository root.
    fn prefix(&self, rev: &str) -> Result<String, Diagnostic> {
        match self.run(&["rev-parse", "--show-prefix"]) {
            Ok(out) => {
                let text = String::from_utf8(out).map_err(|_| {
                    Diagnostic::error(CODE, "the current folder's path is not UTF-8")
                })?;
                Ok(text.trim_end_matches(['\n', '\r']).to_string())
            }
            Err(Failure::Exit(stderr)) => {
                let here = match &self.cwd {
                    Some(dir) => dir.display().to_string(),
                    None => std::env::current_dir()
                        .map(|d| d.display().to_string())
                        .unwrap_or_else(|_| ".".into()),
                };
                let message = if stderr.contains("not a git repository") {
                    format!("cannot read revision `{rev}`: `{here}` is not inside a git repository")
                } else {
                    format!(
                        "cannot read revision `{rev}`: git cannot open a repository at `{here}`"
                    )
                };
                Err(Diagnostic::error(CODE, message)
                    .help(git_says(&stderr))
                    .help("run revarch inside the repository's working tree, or compare model folders instead of revisions"))
            }
            Err(f) => Err(self.failed(&format!("read revision `{rev}`"), f)),
        }
    }

    /// The full commit id `rev` names.
    fn commit(&self, rev: &str) -> Result<String, Diagnostic> {
        match self.run(&commit_args(rev)) {
            Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_string()),
            Err(Failure::Exit(_)) => Err(self.unknown_revision(rev)),
            Err(f) => Err(self.failed(&format!("read revision `{rev}`"), f)),
        }
    }

    /// Explains why `rev` does not name a commit (only run on that error).
    fn unknown_revision(&self, rev: &str) -> Diagnostic {
        if let Some(text) = rev.strip_prefix(":/") {
            return Diagnostic::error(CODE, format!("no commit message matches `{text}`"))
                .help("`:/TEXT` names the youngest commit, on any branch, whose message matches the regular expression TEXT; the whole argument is the pattern, the model's path comes from --path");
        }
        if let Some((old, new)) = range(rev) {
            return Diagnostic::error(
                CODE,
                format!("`{rev}` is a range of commits, not one revision"),
            )
            .help(format!(
                "give the two revisions as OLD and NEW: `revarch diff {old} {new}`"
            ));
        }
        let is_object = self.run(&["rev-parse", "--verify", "--quiet", rev]).is_ok();
        let mut d = if is_object {
            Diagnostic::error(CODE, format!("revision `{rev}` is not a commit"))
        } else {
            Diagnostic::error(CODE, format!("unknown revision `{rev}`"))
        };
        if let Some((base, _)) = rev.rsplit_once("^{").filter(|_| is_object) {
            return d.help(format!(
                "only commits can be compared: name the commit itself (`{base}`), not a tree or file in it"
            ));
        }
        if rev.contains(':') {
            d = d.help("a revision names a commit, not a file: give the model's path separately (`main` and `models/`, not `main:models`)");
        }
        let refs: Vec<String> = self
            .run(&[
                "for-each-ref",
                "--format=%(refname:short)",
                "refs/heads",
                "refs/tags",
                "refs/remotes",
            ])
            .map(|out| {
                String::from_utf8_lossy(&out)
                    .lines()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if refs.is_empty() {
            return d.help("the repository has no branches or tags yet: commit the model first");
        }
        // `mian~1` is a typo of `main~1`: compare the name before any suffix.
        let base_len = rev.find(['~', '^', '@', ':']).unwrap_or(rev.len());
        let (base, suffix) = rev.split_at(base_len);
        if !base.is_empty() && !refs.iter().any(|r| r == base) {
            if let Some(s) = did_you_mean(base, refs.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{s}{suffix}`?"));
            }
        }
        // Only steps back (`~3`, `^^`, `^2`) can run out of history.
        let steps_back = suffix.starts_with(['~', '^'])
            && suffix
                .chars()
                .all(|c| matches!(c, '~' | '^') || c.is_ascii_digit());
        if steps_back && !base.is_empty() && self.is_revision(base) {
            d = d.help(format!(
                "`{base}` exists, but `{rev}` goes back further than its history (or to a parent it does not have)"
            ));
        }
        let shallow = self
            .run(&["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|out| out.starts_with(b"true"));
        if shallow {
            d = d.help("this is a shallow clone, so older commits are missing: `git fetch --unshallow` fetches them");
        }
        d.help("list names with `git branch --all` and `git tag`; a branch or tag made in another clone needs `git fetch` first")
    }

    /// Opens `rev` for reading.
    pub(crate) fn snapshot(&self, rev: &str) -> Result<Snapshot<'_>, Diagnostic> {
        check_revision(rev)?;
        let prefix = self.prefix(rev)?;
        let commit = self.commit(rev)?;
        Ok(Snapshot {
            git: self,
            rev: rev.to_string(),
            commit,
            prefix,
        })
    }
}

impl Snapshot<'_> {
    /// The full commit id.
    #[cfg(test)]
    pub(crate) fn commit(&self) -> &str {
        &self.commit
    }

    /// `REV:path` for a path as the user typed it.
    fn shown(&self, path: &Path) -> String {
        label(&self.rev, path)
    }

    /// The repository path (`models/sv.ron`, `""` for the root) of a path
    /// relative to the working folder, or absolute.
    fn repo_path(&self, path: &Path) -> Result<String, Diagnostic> {
        let mut parts: Vec<String> = Vec::new();
        let relative: PathBuf = if path.is_absolute() {
            self.strip_toplevel(path)?
        } else {
            parts = self
                .prefix
                .split('/')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            path.to_path_buf()
        };
        for c in relative.components() {
            match c {
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
                Component::ParentDir => {
                    if parts.pop().is_none() {
                        return Err(Diagnostic::error(
                            CODE,
                            format!("`{}` is outside the git repository", self.shown(path)),
                        )
                        .help("the model must be inside the repository the revision belongs to"));
                    }
                }
                Component::Normal(s) => match s.to_str() {
                    Some(s) => parts.push(s.to_string()),
                    None => {
                        return Err(Diagnostic::error(
                            CODE,
                            format!("the path `{}` is not UTF-8", path.display()),
                        ))
                    }
                },
            }
        }
        Ok(parts.join("/"))
    }

    /// An absolute path made relative to the repository's top folder.
    fn strip_toplevel(&self, path: &Path) -> Result<PathBuf, Diagnostic> {
        let top = match self.git.run(&["rev-parse", "--show-toplevel"]) {
            Ok(out) => PathBuf::from(String::from_utf8_lossy(&out).trim_end_matches(['\n', '\r'])),
            Err(f) => {
                return Err(self
                    .git
                    .failed(&format!("find `{}` in the repository", path.display()), f)
                    .help("give the model's path relative to the current folder"))
            }
        };
        if let Ok(rest) = path.strip_prefix(&top) {
            return Ok(rest.to_path_buf());
        }
        // The top folder is reported with symbolic links resolved.
        if let Ok(real) = path.canonicalize() {
            if let Ok(rest) = real.strip_prefix(&top) {
                return Ok(rest.to_path_buf());
            }
        }
        Err(Diagnostic::error(
            CODE,
            format!(
                "`{}` is not inside the git repository at `{}`",
                path.display(),
                top.display()
            ),
        )
        .help("give the model's path relative to the current folder"))
    }

    /// Lists a tree (`treeish` an object id or the commit id).
    fn ls(&self, treeish: &str, what: &str) -> Result<Vec<Entry>, Diagnostic> {
        self.git
            // Without --full-tree, ls-tree run in a subfolder lists only
            // the part of the tree under that subfolder's path.
            .run(&["ls-tree", "-z", "-l", "--full-tree", treeish])
            .map(|out| parse_ls_tree(&out))
            .map_err(|f| self.git.failed(&format!("list `{what}`"), f))
    }

    /// The entry at a repository path (`""`: the root), if there is one.
    fn lookup(&self, repo_path: &str, what: &str) -> Result<Option<Entry>, Diagnostic> {
        if repo_path.is_empty() {
            return Ok(Some(Entry {
                kind: EntryKind::Folder,
                oid: self.commit.clone(),
                size: None,
                name: String::new(),
            }));
        }
        let out = self
            .git
            .run(&[
                "ls-tree",
                "-z",
                "-l",
                "--full-tree",
                &self.commit,
                "--",
                repo_path,
            ])
            .map_err(|f| self.git.failed(&format!("find `{what}`"), f))?;
        Ok(parse_ls_tree(&out)
            .into_iter()
            .find(|e| e.name == repo_path))
    }

    /// What `path` (relative to the working folder, as the user typed it)
    /// is at this commit; a diagnostic if it is not there.
    pub(crate) fn entry(&self, path: &Path) -> Result<Entry, Diagnostic> {
        let shown = self.shown(path);
        let repo_path = self.repo_path(path)?;
        match self.lookup(&repo_path, &shown)? {
            Some(e) => Ok(e),
            None => Err(self.not_found(path, &repo_path)),
        }
    }

    /// The entries of a folder, sorted by name (git's order).
    pub(crate) fn list(&self, folder: &Entry, path: &Path) -> Result<Vec<Entry>, Diagnostic> {
        self.ls(&folder.oid, &self.shown(path))
    }

    /// The bytes of a file entry; `path` as the user would write it.
    pub(crate) fn blob(&self, entry: &Entry, path: &Path) -> Result<Vec<u8>, Diagnostic> {
        let shown = self.shown(path);
        match entry.kind {
            EntryKind::File => {}
            EntryKind::Folder => {
                return Err(Diagnostic::error(
                    CODE,
                    format!("`{shown}` is a folder, not a file"),
                ))
            }
            EntryKind::Symlink => {
                return Err(Diagnostic::error(
                    CODE,
                    format!(
                        "`{shown}` is a symbolic link; git stores where it points, not the file"
                    ),
                )
                .help("give the path of the file or folder it points to"))
            }
            EntryKind::Submodule => {
                return Err(Diagnostic::error(
                    CODE,
                    format!("`{shown}` is a git submodule, whose files are in another repository"),
                )
                .help("run revarch inside the submodule, with a revision of the submodule"))
            }
        }
        if let Some(size) = entry.size.filter(|s| *s > MAX_FILE_BYTES) {
            return Err(Diagnostic::error(
                "io",
                format!(
                    "cannot read `{shown}`: file is {} MiB, more than the {} MiB limit",
                    size / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ));
        }
        let bytes = self
            .git
            .run(&["cat-file", "blob", &entry.oid])
            .map_err(|f| {
                let d = self.git.failed(&format!("read `{shown}`"), f);
                d.help("in a partial clone, files of other commits may not have been fetched: `git fetch` them first")
            })?;
        if bytes.starts_with(b"version https://git-lfs.github.com/spec/") {
            return Err(Diagnostic::error(
                CODE,
                format!("`{shown}` is a Git LFS pointer, not the model file"),
            )
            .help("revarch reads what git stores; keep model files out of Git LFS (they are small text files)"));
        }
        Ok(bytes)
    }

    /// A diagnostic for a path that is not in the commit, with what is there.
    fn not_found(&self, path: &Path, repo_path: &str) -> Diagnostic {
        let shown = self.shown(path);
        let short = &self.commit[..self.commit.len().min(10)];
        let mut d = Diagnostic::error(
            CODE,
            format!(
                "`{}` does not exist at revision `{}` (commit {short})",
                path.display(),
                self.rev
            ),
        );
        let (parent_repo, last) = match repo_path.rfind('/') {
            Some(i) => (&repo_path[..i], &repo_path[i + 1..]),
            None => ("", repo_path),
        };
        let parent_user = path.parent().filter(|p| !p.as_os_str().is_empty());
        let parent_shown = parent_user
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| ".".into());
        let parent = self.lookup(parent_repo, &shown).ok().flatten();
        match parent {
            Some(p) if p.kind == EntryKind::Folder => {
                let names: Vec<String> = self
                    .list(&p, parent_user.unwrap_or(Path::new(".")))
                    .map(|es| es.into_iter().map(|e| e.name).collect())
                    .unwrap_or_default();
                if let Some(s) = did_you_mean(last, names.iter().map(String::as_str)) {
                    let fixed = match parent_user {
                        Some(p) => p.join(s),
                        None => PathBuf::from(s),
                    };
                    d = d.help(format!("did you mean `{}`?", fixed.display()));
                } else if names.is_empty() {
                    d = d.help(format!("`{parent_shown}` is empty at `{}`", self.rev));
                } else {
                    let mut listed: Vec<&str> =
                        names.iter().take(MAX_LISTED).map(String::as_str).collect();
                    if names.len() > MAX_LISTED {
                        listed.push("…");
                    }
                    d = d.help(format!(
                        "at `{}`, `{parent_shown}` holds: {}",
                        self.rev,
                        listed.join(", ")
                    ));
                }
            }
            _ => {
                if let Some(p) = parent_user {
                    d = d.help(format!(
                        "`{}` does not exist at `{}` either",
                        p.display(),
                        self.rev
                    ));
                }
            }
        }
        let on_disk = match &self.git.cwd {
            Some(dir) => dir.join(path),
            None => path.to_path_buf(),
        };
        if on_disk.exists() {
            d = d.help(format!(
                "`{}` exists in the working tree, but is not committed at `{}`",
                path.display(),
                self.rev
            ));
        }
        if !self.prefix.is_empty() && !path.is_absolute() {
            d = d.help(format!(
                "paths are relative to the current folder (`{}` in the repository)",
                self.prefix.trim_end_matches('/')
            ));
        }
        d
    }
}

/// Refuses revisions git could take for an option (`--output=…`) or that
/// cannot be passed as an argument.
fn check_revision(rev: &str) -> Result<(), Diagnostic> {
    if rev.is_empty() {
        return Err(Diagnostic::error(CODE, "the git revision is empty")
            .help("name a branch, tag or commit, e.g. `main` or `HEAD~1`"));
    }
    if rev.starts_with('-') {
        return Err(Diagnostic::error(
            CODE,
            format!("`{rev}` is not a git revision: revisions cannot start with `-`"),
        )
        .help("name a branch, tag or commit, e.g. `main` or `HEAD~1`; an option goes before the models"));
    }
    if rev.chars().any(char::is_control) {
        return Err(Diagnostic::error(
            CODE,
            format!(
                "`{}` is not a git revision: it contains control characters",
                rev.escape_debug()
            ),
        ));
    }
    Ok(())
}

/// `rev-parse` arguments that resolve `rev` to a commit id (or fail quietly).
/// `rev` never starts with `-` ([`check_revision`]); `--end-of-options` is
/// not used because `rev-parse` only understands it since git 2.30. A
/// message search (`:/fix`) always names a commit and takes the rest of the
/// argument as its pattern, so nothing may be appended to it.
fn commit_args(rev: &str) -> [String; 4] {
    [
        "rev-parse".into(),
        "--verify".into(),
        "--quiet".into(),
        if rev.starts_with(":/") {
            rev.to_string()
        } else {
            format!("{rev}^{{commit}}")
        },
    ]
}

/// The two ends of a range (`A..B`, `A...B`; an empty end is `HEAD`). A
/// path step (`../models`, `a/../b`) is not a range: an end next to the dots
/// never starts or ends with `/` (ref names cannot contain `..` at all).
fn range(rev: &str) -> Option<(&str, &str)> {
    let (a, b) = rev.split_once("...").or_else(|| rev.split_once(".."))?;
    if a.ends_with('/') || b.starts_with(['/', '.']) || (a.is_empty() && b.is_empty()) {
        return None;
    }
    let a = if a.is_empty() { "HEAD" } else { a };
    let b = if b.is_empty() { "HEAD" } else { b };
    Some((a, b))
}

/// Whether `arg` is a range of commits (`main..feature`, `A...B`), which
/// `diff` takes as two arguments instead.
pub fn is_range(arg: &str) -> bool {
    range(arg).is_some()
}

/// Formats git's stderr as a help line (at most a few lines of it).
fn git_says(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut text = lines
        .iter()
        .take(4)
        .copied()
        .collect::<Vec<_>>()
        .join(" / ");
    if lines.len() > 4 {
        text.push_str(" / …");
    }
    format!("git says: {text}")
}

/// Parses `git ls-tree -z -l` output: `<mode> <type> <oid> <size>\t<name>\0`.
fn parse_ls_tree(out: &[u8]) -> Vec<Entry> {
    out.split(|b| *b == 0)
        .filter(|rec| !rec.is_empty())
        .filter_map(|rec| {
            let tab = rec.iter().position(|b| *b == b'\t')?;
            let meta = std::str::from_utf8(&rec[..tab]).ok()?;
            let name = String::from_utf8_lossy(&rec[tab + 1..]).into_owned();
            let mut fields = meta.split_whitespace();
            let mode = fields.next()?;
            let kind_name = fields.next()?;
            let oid = fields.next()?.to_string();
            let size = fields.next().and_then(|s| s.parse().ok());
            let kind = match (mode, kind_name) {
                ("120000", _) => EntryKind::Symlink,
                ("160000", _) | (_, "commit") => EntryKind::Submodule,
                (_, "tree") => EntryKind::Folder,
                _ => EntryKind::File,
            };
            Some(Entry {
                kind,
                oid,
                size,
                name,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::RULE_IDS;
    use crate::model::load::{load_git, Loaded, VIEWPOINT_FILES};
    use std::io::Write;

    /// A throwaway repository; git runs isolated from the machine's config.
    struct Repo {
        tmp: tempfile::TempDir,
    }

    /// The environment of every git command a test runs to set things up.
    fn isolated(cmd: &mut Command, home: &Path) {
        cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home)
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
    }

    /// Whether git can be run; if not, says so on the real stderr (not the
    /// captured one, so the skip is visible) unless REVARCH_REQUIRE_GIT is set.
    fn have_git() -> bool {
        let ok = Command::new("git")
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                std::env::var_os("REVARCH_REQUIRE_GIT").is_none(),
                "git is not installed but REVARCH_REQUIRE_GIT is set"
            );
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: git is not installed; the git model tests did not run"
            );
        }
        ok
    }

    impl Repo {
        /// An empty repository (branch `main`), or None without git.
        fn empty() -> Option<Repo> {
            if !have_git() {
                return None;
            }
            let repo = Repo {
                tmp: tempfile::tempdir().unwrap(),
            };
            repo.git(&["-c", "init.defaultBranch=main", "init", "-q"]);
            Some(repo)
        }

        /// `models/` (examples/clean) and `single.ron` committed, tagged
        /// `v1` and branched `old`; then Xero renamed in a second commit;
        /// then the working tree changed without committing.
        fn with_history() -> Option<Repo> {
            let repo = Repo::empty()?;
            let clean = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/clean");
            for name in VIEWPOINT_FILES {
                let text = std::fs::read(clean.join(name)).unwrap();
                repo.write(&format!("models/{name}"), &text);
            }
            let single = std::fs::read(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/single-file.ron"),
            )
            .unwrap();
            repo.write("single.ron", &single);
            repo.write("docs/readme.txt", b"docs\n");
            repo.git(&["add", "-A"]);
            repo.git(&["commit", "-q", "-m", "one"]);
            repo.git(&["tag", "v1"]);
            repo.git(&["branch", "old"]);
            repo.edit(
                "models/sv.ron",
                r#"name: "Xero""#,
                r#"name: "Xero Accounting""#,
            );
            repo.git(&["commit", "-q", "-am", "two"]);
            repo.edit(
                "models/sv.ron",
                r#"name: "Xero Accounting""#,
                r#"name: "Xero dirty""#,
            );
            repo.write("later/sv.ron", b"()");
            Some(repo)
        }

        fn root(&self) -> &Path {
            self.tmp.path()
        }

        fn write(&self, rel: &str, bytes: &[u8]) {
            let path = self.root().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }

        fn edit(&self, rel: &str, from: &str, to: &str) {
            let path = self.root().join(rel);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{rel} has no {from}");
            std::fs::write(path, text.replace(from, to)).unwrap();
        }

        /// Runs a setup git command (with `input` on stdin); its stdout.
        fn git_input(&self, args: &[&str], input: &[u8]) -> String {
            let mut cmd = Command::new("git");
            cmd.args(args)
                .current_dir(self.root())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            isolated(&mut cmd, self.root());
            let mut child = cmd.spawn().unwrap();
            child.stdin.take().unwrap().write_all(input).unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        }

        fn git(&self, args: &[&str]) -> String {
            self.git_input(args, b"")
        }

        /// Stores a blob (no index, no working tree); its id.
        fn blob(&self, content: &[u8]) -> String {
            self.git_input(&["hash-object", "-w", "--stdin"], content)
        }

        /// Stores a tree of (mode, name, object id) entries; its id.
        fn tree(&self, entries: &[(&str, &str, &str)]) -> String {
            let mut input = Vec::new();
            for (mode, name, oid) in entries {
                let kind = match *mode {
                    "040000" => "tree",
                    "160000" => "commit",
                    _ => "blob",
                };
                input.extend_from_slice(format!("{mode} {kind} {oid}\t{name}\0").as_bytes());
            }
            self.git_input(&["mktree", "-z", "--missing"], &input)
        }

        /// Commits `tree` as branch `name` (plumbing only).
        fn branch(&self, name: &str, tree: &str) {
            let commit = self.git(&["commit-tree", tree, "-m", name]);
            self.git(&["update-ref", &format!("refs/heads/{name}"), &commit]);
        }

        /// A reader in `sub` (relative to the root), not looking above the
        /// temporary folder for a repository.
        fn reader(&self, sub: &str) -> Git {
            Git::in_dir(&self.root().join(sub))
                .env("GIT_CEILING_DIRECTORIES", self.root().parent().unwrap())
        }

        /// Everything that reading must not change: every file outside
        /// `.git` plus the index and refs.
        fn state(&self) -> Vec<(PathBuf, Vec<u8>)> {
            fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
                let mut entries: Vec<_> = std::fs::read_dir(dir)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect();
                entries.sort();
                for p in entries {
                    if p.is_dir() {
                        if !p.ends_with(".git/objects") && !p.ends_with(".git/logs") {
                            walk(&p, out);
                        }
                    } else {
                        out.push((p.clone(), std::fs::read(&p).unwrap()));
                    }
                }
            }
            let mut out = Vec::new();
            walk(self.root(), &mut out);
            out
        }
    }

    fn read(git: &Git, rev: &str, path: &str) -> Loaded {
        let mut l = load_git(git, rev, Path::new(path));
        crate::model::finish(&mut l, RULE_IDS);
        l
    }

    fn names(l: &Loaded) -> Vec<String> {
        (0..l.sources.len() as u32)
            .map(|f| l.sources.name(f).to_string())
            .collect()
    }

    fn xero(l: &Loaded) -> String {
        l.model
            .sv
            .systems
            .iter()
            .find(|s| s.id.as_str() == "xero")
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }

    /// The only diagnostic, which must be an error of `code`.
    fn only_error<'l>(l: &'l Loaded, code: &str) -> &'l Diagnostic {
        let all = crate::diag::render(&l.diagnostics, &l.sources, false);
        assert_eq!(l.diagnostics.len(), 1, "{all}");
        let d = &l.diagnostics[0];
        assert_eq!(d.code, code, "{all}");
        assert_eq!(d.severity, crate::diag::Severity::Error, "{all}");
        d
    }

    fn helps(d: &Diagnostic) -> String {
        d.help.join("\n")
    }

    #[test]
    fn revisions_give_the_committed_model_and_change_nothing() {
        let Some(repo) = Repo::with_history() else {
            return;
        };
        let status = repo.git(&["status", "--porcelain"]);
        assert!(
            status.contains("models/sv.ron") && status.contains("later/"),
            "{status}"
        );
        let before = repo.state();
        let git = repo.reader("");
        let first = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/clean/sv.ron"),
        )
        .unwrap();
        let second = first.replace(r#"name: "Xero""#, r#"name: "Xero Accounting""#);
        for (rev, name, sv) in [
            ("HEAD~1", "Xero", &first),
            ("v1", "Xero", &first),
            ("old", "Xero", &first),
            ("HEAD", "Xero Accounting", &second),
            ("main", "Xero Accounting", &second),
        ] {
            for path in ["models", "models/", "./models"] {
                let l = read(&git, rev, path);
                assert!(
                    !l.has_errors(),
                    "{rev} {path}: {}",
                    crate::diag::render(&l.diagnostics, &l.sources, false)
                );
                assert_eq!(xero(&l), name, "{rev}");
                assert_eq!(l.label, format!("{rev}:{path}"));
                let expected: Vec<String> = VIEWPOINT_FILES
                    .iter()
                    .map(|f| format!("{rev}:{}", Path::new(path).join(f).display()))
                    .collect();
                assert_eq!(names(&l), expected);
                assert_eq!(l.sources.text(2), sv.as_str(), "{rev} sv.ron");
                assert_eq!(l.model.sv.systems.len(), 6);
            }
        }
        assert_eq!(repo.state(), before, "reading changed the repository");
        assert_eq!(repo.git(&["status", "--porcelain"]), status);
        // The working tree still has the uncommitted edit.
        let disk = std::fs::read_to_string(repo.root().join("models/sv.ron")).unwrap();
        assert!(disk.contains("Xero dirty"));
    }

    #[test]
    fn paths_are_relative_to_the_current_folder() {
        let Some(repo) = Repo::with_history() else {
            return;
        };
        let inside = read(&repo.reader("models"), "HEAD~1", ".");
        assert!(!inside.has_errors(), "{:?}", inside.diagnostics);
        assert_eq!(xero(&inside), "Xero");
        assert_eq!(names(&inside)[2], "HEAD~1:./sv.ron");

        let beside = read(&repo.reader("docs"), "main", "../models");
        assert!(!beside.has_errors(), "{:?}", beside.diagnostics);
        assert_eq!(xero(&beside), "Xero Accounting");
        assert_eq!(names(&beside)[2], "main:../models/sv.ron");

        let abs = repo.root().join("models");
        let absolute = read(&repo.reader("docs"), "main", abs.to_str().unwrap());
        assert!(!absolute.has_errors(), "{:?}", absolute.diagnostics);
        assert_eq!(xero(&absolute), "Xero Accounting");

        // `models` from inside docs/ is docs/models, which is not there.
        let wrong = read(&repo.reader("docs"), "main", "models");
        let d = only_error(&wrong, CODE);
        assert!(
            d.message
                .contains("`models` does not exist at revision `main`"),
            "{d:?}"
        );
        assert!(
            helps(d).contains("relative to the current folder (`docs` in the repository)"),
            "{d:?}"
        );

        let outside = read(&repo.reader(""), "main", "../elsewhere");
        let d = only_error(&outside, CODE);
        assert!(d.message.contains("outside the git repository"), "{d:?}");
    }

    #[test]
    fn a_single_model_file() {
        let Some(repo) = Repo::with_history() else {
            return;
        };
        let l = read(&repo.reader(""), "v1", "single.ron");
        assert_eq!(names(&l), vec!["v1:single.ron"]);
        assert_eq!(l.label, "v1:single.ron");
        assert!(!l.model.sv.systems.is_empty());
        assert!(!l.has_errors());
        // One viewpoint file read as a whole model: the folder hint.
        let one = read(&repo.reader(""), "v1", "models/sv.ron");
        assert!(one
            .diagnostics
            .iter()
            .any(|d| d.code == "single-viewpoint-file"
                && d.message.contains("`v1:models/sv.ron`")
                && d.help.iter().any(|h| h.contains("`models`"))));
    }

    #[test]
    fn diagnostics_in_files_name_the_revision() {
        let Some(repo) = Repo::empty() else {
            return;
        };
        repo.write(
            "m/sv.ron",
            b"(systems: [(id: \"a\", name: \"A\", kind: crn)])",
        );
        repo.write("m/notes.ron", b"()");
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "bad"]);
        let l = read(&repo.reader(""), "main", "m");
        let at: Vec<(&str, String)> = l
            .diagnostics
            .iter()
            .map(|d| {
                let file = d
                    .primary
                    .as_ref()
                    .map(|p| l.sources.location(p.span))
                    .unwrap_or_default();
                (d.code, file)
            })
            .collect();
        assert_eq!(
            at,
            vec![
                ("unknown-variant", "main:m/sv.ron:1:39".to_string()),
                ("unknown-file", String::new())
            ]
        );
        assert!(l.diagnostics[1]
            .message
            .contains("`main:m/notes.ron` is not a viewpoint file"));
        let text = crate::diag::render(&l.diagnostics, &l.sources, false);
        assert!(text.contains("┌─ main:m/sv.ron:1:39"), "{text}");
    }

    #[test]
    fn revisions_that_look_like_options_are_refused() {
        let Some(repo) = Repo::with_history() else {
            return;
        };
        let target = repo.root().join("written-by-git");
        let rev = format!("--output={}", target.display());
        let l = read(&repo.reader(""), &rev, "models");
        let d = only_error(&l, CODE);
        assert!(d.message.contains("cannot start with `-`"), "{d:?}");
        assert!(!repo.reader("").is_revision(&rev));
        assert!(!repo.reader("").is_revision("-h"));
        assert!(repo.reader("").resolve("--all").is_err());
        assert!(!target.exists());
        // Control characters and empty revisions never reach git either.
        for bad in ["", "main\0", "ma\nin"] {
            let l = read(&repo.reader(""), bad, "models");
            only_error(&l, CODE);
            assert!(!repo.reader("").is_revision(bad));
        }
    }

    #[test]
    fn is_revision_and_resolve() {
        let Some(repo) = Repo::with_history() else {
            return;
        };
        let git = repo.reader("models");
        for rev in ["main", "HEAD", "HEAD~1", "v1", "old", "main^"] {
            assert!(git.is_revision(rev), "{rev}");
        }
        for rev in ["mian", "HEAD~5", "models", "v1:models"] {
            assert!(!git.is_revision(rev), "{rev}");
        }
        let head = repo.git(&["rev-parse", "HEAD"]);
        assert_eq!(git.resolve("main").unwrap(), head);
        let snap = git.snapshot("HEAD").unwrap();
        assert_eq!(snap.commit(), head);
        let blob = repo.git(&["rev-parse", "HEAD:single.ron"]);
        assert!(!git.is_revision(&blob));
        let d = git.resolve(&blob).unwrap_err();
        assert!(d.message.contains("is not a commit"), "{d:?}");
        // Outside a repository and without git: not a revision, no panic.
        let nowhere = tempfile::tempdir().unwrap();
        let outside = Git::in_dir(nowhere.path())
            .env("GIT_CEILING_DIRECTORIES", nowhere.path().parent().unwrap());
        assert!(!outside.is_revision("HEAD"));
        assert!(!repo
            .reader("")
            .program("/nonexistent/git")
            .is_revision("HEAD"));
    }

    #[test]
    fn git_not_installed() {
        let dir = tempfile::tempdir().unwrap();
        let git = Git::in_dir(dir.path()).program("/nonexistent/revarch-test/git");
        let l = read(&git, "main", "models");
        let d = only_error(&l, CODE);
        assert!(d.message.contains("git is not installed"), "{d:?}");
        assert!(helps(d).contains("install git"), "{d:?}");
    }

    #[test]
    fn not_inside_a_repository() {
        if !have_git() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let git =
            Git::in_dir(dir.path()).env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap());
        let l = read(&git, "main", "models");
        let d = only_error(&l, CODE);
        assert!(
            d.message.contains("is not inside a git repository"),
            "{d:?}"
        );
        assert!(
            helps(d).contains("git says: fatal: not a git repository"),
            "{d:?}"
        );
    }

    #[test]
    fn unknown_revisions_explain_themselves() {
        let Some(repo) = Repo::with_history() else {
            return;
        };
        let git = repo.reader("");
        let d = git.resolve("mian").unwrap_err();
        assert_eq!(d.message, "unknown revision `mian`");
        assert!(helps(&d).contains("did you mean `main`?"), "{d:?}");
        assert!(helps(&d).contains("git fetch"), "{d:?}");
        let d = git.resolve("mian~1").unwrap_err();
        assert!(helps(&d).contains("did you mean `main~1`?"), "{d:?}");
        let d = git.resolve("HEAD~9").unwrap_err();
        assert!(!helps(&d).contains("did you mean"), "{d:?}");
        assert!(
            helps(&d).contains("`HEAD` exists, but `HEAD~9` goes back further"),
            "{d:?}"
        );
        let d = git.resolve("main:models").unwrap_err();
        assert!(
            helps(&d).contains("give the model's path separately"),
            "{d:?}"
        );
        let l = read(&git, "zzzzzz", "models");
        only_error(&l, CODE);

        let empty = Repo::empty().unwrap();
        let d = empty.reader("").resolve("HEAD").unwrap_err();
        assert!(helps(&d).contains("no branches or tags yet"), "{d:?}");
    }

    #[test]
    fn trees_and_ranges_are_not_a_short_history() {
        let Some(repo) = Repo::with_history() else {
            return;
        };
        let git = repo.reader("");
        for rev in ["HEAD^{tree}", "v1^{tree}"] {
            let d = git.resolve(rev).unwrap_err();
            assert_eq!(d.message, format!("revision `{rev}` is not a commit"));
            assert!(!helps(&d).contains("further than its history"), "{d:?}");
            let base = rev.split('^').next().unwrap();
            assert!(
                helps(&d).contains(&format!(
                    "only commits can be compared: name the commit itself (`{base}`)"
                )),
                "{d:?}"
            );
        }
        for (rev, old, new) in [
            ("HEAD~1..HEAD", "HEAD~1", "HEAD"),
            ("v1...main", "v1", "main"),
            ("..main", "HEAD", "main"),
        ] {
            let d = git.resolve(rev).unwrap_err();
            assert!(!helps(&d).contains("further than its history"), "{d:?}");
            assert!(
                helps(&d).contains(&format!(
                    "give the two revisions as OLD and NEW: `revarch diff {old} {new}`"
                )),
                "{d:?}"
            );
        }
        assert!(!is_range("../models") && !is_range("a/../b") && !is_range(".."));
        assert!(is_range("origin/main..HEAD") && is_range("main..."));
        // The genuine case still says so.
        let d = git.resolve("HEAD~5").unwrap_err();
        assert!(
            helps(&d).contains("`HEAD` exists, but `HEAD~5` goes back further"),
            "{d:?}"
        );
        let d = git.resolve("main^^^").unwrap_err();
        assert!(helps(&d).contains("goes back further"), "{d:?}");
    }

    #[test]
    fn missing_paths_say_what_is_there() {
        let Some(repo) = Repo::with_history() else {
            return;
        };
        let git = repo.reader("");
        let d = git
            .snapshot("main")
            .unwrap()
            .entry(Path::new("modles"))
            .unwrap_err();
        assert_eq!(d.code, CODE);
        assert!(
            d.message
                .starts_with("`modles` does not exist at revision `main` (commit "),
            "{d:?}"
        );
        assert!(helps(&d).contains("did you mean `models`?"), "{d:?}");

        let l = read(&git, "main", "models/zzz.ron");
        let d = only_error(&l, CODE);
        assert!(
            helps(d)
                .contains("at `main`, `models` holds: av.ron, div.ron, ov.ron, stdv.ron, sv.ron"),
            "{d:?}"
        );
        let l = read(&git, "main", "nothere/sv.ron");
        let d = only_error(&l, CODE);
        assert!(
            helps(d).contains("`nothere` does not exist at `main` either"),
            "{d:?}"
        );
        // In the working tree, not committed.
        let l = read(&git, "main", "later");
        let d = only_error(&l, CODE);
        assert!(
            helps(d).contains("`later` exists in the working tree"),
            "{d:?}"
        );
    }

    #[test]
    fn odd_entries_are_diagnosed() {
        let Some(repo) = Repo::with_history() else {
            return;
        };
        let av = repo.blob(b"(name: \"A\")");
        let whole = repo.blob(b"(av: (name: \"A\"))");
        let bad_utf8 = repo.blob(b"(systems: [(id: \"a\", name: \"\xff\xfe\", kind: crm)])");
        let target = repo.blob(b"../models/sv.ron");
        let lfs = repo.blob(b"version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 3\n");
        let head = repo.git(&["rev-parse", "HEAD"]);
        let inner = repo.tree(&[
            ("100644", "av.ron", &av),
            ("100644", "sv.ron", &bad_utf8),
            ("120000", "ov.ron", &target),
            ("160000", "div.ron", &head),
            ("100644", "stdv.ron", &lfs),
        ]);
        let only_other = repo.tree(&[("100644", "model.txt.ron", &av)]);
        let outer = repo.tree(&[
            ("040000", "bad", &inner),
            ("120000", "link", &target),
            ("160000", "sub", &head),
            ("040000", "other", &only_other),
            ("100755", "exec.ron", &whole),
        ]);
        repo.branch("odd", &outer);
        let git = repo.reader("");
        let l = read(&git, "odd", "bad");
        let got: Vec<(&str, &str)> = l
            .diagnostics
            .iter()
            .map(|d| (d.code, d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("encoding", "`odd:bad/sv.ron` is not UTF-8 text"),
                (
                    CODE,
                    "`odd:bad/ov.ron` is a symbolic link; git stores where it points, not the file"
                ),
                (
                    CODE,
                    "`odd:bad/stdv.ron` is a Git LFS pointer, not the model file"
                ),
                (
                    CODE,
                    "`odd:bad/div.ron` is a git submodule, whose files are in another repository"
                ),
            ]
        );
        assert_eq!(
            l.sources
                .location(l.diagnostics[0].primary.as_ref().unwrap().span),
            "odd:bad/sv.ron:1:29"
        );
        assert_eq!(l.model.av.name, "A");

        let d = only_error(&read(&git, "odd", "link"), CODE).clone();
        assert!(d.message.contains("`odd:link` is a symbolic link"), "{d:?}");
        let d = only_error(&read(&git, "odd", "sub"), CODE).clone();
        assert!(d.message.contains("`odd:sub` is a git submodule"), "{d:?}");
        let l = read(&git, "odd", "other");
        let d = only_error(&l, "no-model");
        assert_eq!(d.message, "no model files in `odd:other`");
        assert!(helps(d).contains("found model.txt.ron"), "{d:?}");
        let l = read(&git, "odd", "exec.ron");
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        assert_eq!(l.model.av.name, "A");
        let l = read(&git, "odd", ".");
        only_error(&l, "no-model");
    }

    #[test]
    fn every_git_diagnostic_renders() {
        let Some(repo) = Repo::with_history() else {
            return;
        };
        let git = repo.reader("docs");
        for (rev, path) in [
            ("mian", "../models"),
            ("main", "x"),
            ("-x", "y"),
            ("main", "../.."),
        ] {
            let l = read(&git, rev, path);
            let text = crate::diag::render(&l.diagnostics, &l.sources, false);
            assert!(text.starts_with("error[git]: "), "{text}");
            assert!(text.contains("help: "), "{text}");
        }
    }

    #[test]
    fn ls_tree_output_is_parsed() {
        let out = b"100644 blob aa       12\tsv.ron\x00040000 tree bb       -\tmodels\x00120000 blob cc      3\tlink\x00160000 commit dd       -\tsub\0garbage\0";
        let got = parse_ls_tree(out);
        assert_eq!(
            got.iter()
                .map(|e| (e.kind, e.name.as_str(), e.size))
                .collect::<Vec<_>>(),
            vec![
                (EntryKind::File, "sv.ron", Some(12)),
                (EntryKind::Folder, "models", None),
                (EntryKind::Symlink, "link", Some(3)),
                (EntryKind::Submodule, "sub", None),
            ]
        );
        assert_eq!(got[0].oid, "aa");
    }
}
