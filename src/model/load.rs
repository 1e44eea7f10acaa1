//! Loading a model from disk (or from the copy bundled in the binary).
//!
//! Loading never stops at the first problem: every file is read and parsed,
//! every entity that deserializes is kept, and every problem becomes a
//! [`Diagnostic`]. An entity with an error is left out of the model (and its id
//! remembered, so references to it do not cascade into more errors).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::git::{self, EntryKind, Git};
use super::syntax::{self, Span, Value, ValueKind};
use super::types::Model;
use crate::diag::{Diagnostic, Sources};

/// The viewpoint files of a model folder, in reading order.
pub const VIEWPOINT_FILES: [&str; 5] = ["av.ron", "ov.ron", "sv.ron", "stdv.ron", "div.ron"];

/// Files larger than this are refused rather than read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// At most this many deserialization errors are reported per file.
const MAX_ERRORS_PER_FILE: usize = 50;

/// Where a model comes from.
#[derive(Clone, Debug)]
pub enum ModelSource {
    /// A folder with viewpoint files, or a single model file.
    Path(PathBuf),
    /// The reference model compiled into the binary.
    Bundled,
    /// A model folder or single model file as it is at a git revision of
    /// the repository around the current folder, read without checking it
    /// out (see [`super::git`]). Files are named `REV:path` in diagnostics.
    Git {
        /// A branch, tag, commit id or expression (`main`, `v1.2`, `HEAD~1`).
        rev: String,
        /// The model folder or file, relative to the current folder (as the
        /// user typed it) or absolute.
        path: PathBuf,
    },
}

/// A model with everything learned while reading it.
pub struct Loaded {
    /// The model (entities with errors left out).
    pub model: Model,
    /// Every file read, for locations.
    pub sources: Sources,
    /// Every problem found, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Ids of entities that were written but could not be read.
    pub invalid_ids: BTreeSet<String>,
    /// Viewpoints (`"SV"`) whose file could not be read or parsed, with the
    /// file's name: references into them are not checked.
    pub unread: BTreeMap<&'static str, String>,
    /// Diagnostics left out of `diagnostics` beyond the per-code cap, per
    /// code; each code's omissions are also stated by one diagnostic of that
    /// code at the end of `diagnostics`.
    pub omitted: Vec<crate::diag::Omitted>,
    /// How to name the model in output (its path, `REV:path` for a model
    /// read from git, or `<bundled reference model>`).
    pub label: String,
}

impl Loaded {
    /// Whether any diagnostic is an error (the model must not be used).
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// How many errors were found, shown or not.
    pub fn error_count(&self) -> usize {
        crate::diag::error_count(&self.diagnostics, &self.omitted)
    }
}

/// The reference model bundled in the binary: (file name, text).
pub const BUNDLED: [(&str, &str); 5] = [
    ("av.ron", include_str!("../../models/av.ron")),
    ("ov.ron", include_str!("../../models/ov.ron")),
    ("sv.ron", include_str!("../../models/sv.ron")),
    ("stdv.ron", include_str!("../../models/stdv.ron")),
    ("div.ron", include_str!("../../models/div.ron")),
];

/// Reads and parses a model. Never fails: problems are in `diagnostics`.
/// Reference checking is [`super::validate`]'s job.
pub fn load(source: &ModelSource) -> Loaded {
    let mut cx = Loader::default();
    let label = match source {
        ModelSource::Bundled => {
            for (name, text) in BUNDLED {
                let file = cx.sources.add(format!("<bundled>/{name}"), text);
                cx.viewpoint(name, text, file);
            }
            "<bundled reference model>".to_string()
        }
        ModelSource::Path(path) => {
            cx.path(path);
            path.display().to_string()
        }
        ModelSource::Git { rev, path } => {
            cx.git(&Git::default(), rev, path);
            git::label(rev, path)
        }
    };
    cx.finish(label)
}

/// Like [`load`] of a [`ModelSource::Git`], running git as `git` is set up
/// (tests choose its folder, program and environment).
#[cfg(test)]
pub(crate) fn load_git(git: &Git, rev: &str, path: &Path) -> Loaded {
    let mut cx = Loader::default();
    cx.git(git, rev, path);
    cx.finish(git::label(rev, path))
}

/// Parses a model from texts in memory: `(file name, text)` pairs, either
/// viewpoint files (`sv.ron`…) or one whole-model file (any other name).
pub fn load_texts(files: &[(&str, &str)]) -> Loaded {
    let mut cx = Loader::default();
    for (name, text) in files {
        let file = cx.sources.add(name.to_string(), text.to_string());
        if VIEWPOINT_FILES.contains(name) {
            cx.viewpoint(name, text, file);
        } else {
            cx.whole(text, file);
        }
    }
    cx.finish("<memory>".to_string())
}

#[derive(Default)]
struct Loader {
    model: Model,
    sources: Sources,
    diagnostics: Vec<Diagnostic>,
    invalid_ids: BTreeSet<String>,
    unread: BTreeMap<&'static str, String>,
}

impl Loader {
    fn finish(self, label: String) -> Loaded {
        Loaded {
            model: self.model,
            sources: self.sources,
            diagnostics: self.diagnostics,
            invalid_ids: self.invalid_ids,
            unread: self.unread,
            omitted: Vec::new(),
            label,
        }
    }

    fn path(&mut self, path: &Path) {
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        "io",
                        format!("cannot read model `{}`: {}", path.display(), io_reason(&e)),
                    )
                    .help("pass a model folder (with av.ron, ov.ron, sv.ron, stdv.ron, div.ron) or a single model .ron file"),
                );
                return;
            }
        };
        if meta.is_dir() {
            self.folder(path);
        } else {
            let name = path.display().to_string();
            if let Some((text, file)) = self.read(path, &name) {
                self.single(path, &name, &text, file);
            }
        }
    }

    /// A single model file: `shown` is how it is named, `path` as typed.
    fn single(&mut self, path: &Path, shown: &str, text: &str, file: u32) {
        self.whole(text, file);
        let base = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if VIEWPOINT_FILES.contains(&base) && self.has_errors_in(file) {
            let folder = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            self.diagnostics.push(
                Diagnostic::warning(
                    "single-viewpoint-file",
                    format!(
                        "`{shown}` looks like one viewpoint of a model folder, but was read as a whole model"
                    ),
                )
                .help(format!("pass the folder instead: `{}`", folder.display())),
            );
        }
    }

    /// A model folder or file at a git revision, read without checkout.
    fn git(&mut self, git: &Git, rev: &str, path: &Path) {
        let (snap, entry) = match git.snapshot(rev) {
            Ok(snap) => match snap.entry(path) {
                Ok(entry) => (snap, entry),
                Err(d) => {
                    self.diagnostics.push(d);
                    return;
                }
            },
            Err(d) => {
                self.diagnostics.push(d);
                return;
            }
        };
        if entry.kind != EntryKind::Folder {
            let shown = git::label(rev, path);
            match snap.blob(&entry, path) {
                Ok(bytes) => {
                    if let Some((text, file)) = self.text(bytes, &shown) {
                        self.single(path, &shown, &text, file);
                    }
                }
                Err(d) => self.diagnostics.push(d),
            }
            return;
        }
        let entries = match snap.list(&entry, path) {
            Ok(entries) => entries,
            Err(d) => {
                self.diagnostics.push(d);
                return;
            }
        };
        let mut found = 0;
        for name in VIEWPOINT_FILES {
            let Some(e) = entries.iter().find(|e| e.name == name) else {
                continue;
            };
            found += 1;
            let file_path = path.join(name);
            let shown = git::label(rev, &file_path);
            match snap.blob(e, &file_path) {
                Ok(bytes) => match self.text(bytes, &shown) {
                    Some((text, file)) => self.viewpoint(name, &text, file),
                    None => self.unread(name, shown),
                },
                Err(d) => {
                    self.diagnostics.push(d);
                    self.unread(name, shown);
                }
            }
        }
        let others = entries
            .into_iter()
            .map(|e| e.name)
            .filter(|n| n.ends_with(".ron") && !VIEWPOINT_FILES.contains(&n.as_str()))
            .collect();
        self.others(&git::label(rev, path), found, others, |n| {
            git::label(rev, &path.join(n))
        });
    }

    fn has_errors_in(&self, file: u32) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.primary.as_ref().is_some_and(|l| l.span.file == file))
    }

    fn folder(&mut self, dir: &Path) {
        let mut found = 0;
        for name in VIEWPOINT_FILES {
            let path = dir.join(name);
            if !path.exists() {
                continue;
            }
            found += 1;
            let display = path.display().to_string();
            match self.read(&path, &display) {
                Some((text, file)) => self.viewpoint(name, &text, file),
                None => self.unread(name, display),
            }
        }
        // Other .ron files are not read: say so, so a misnamed file is noticed.
        let mut others: Vec<String> = match fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".ron") && !VIEWPOINT_FILES.contains(&n.as_str()))
                .collect(),
            Err(e) => {
                self.diagnostics.push(Diagnostic::error(
                    "io",
                    format!("cannot list `{}`: {}", dir.display(), io_reason(&e)),
                ));
                return;
            }
        };
        others.sort();
        self.others(&dir.display().to_string(), found, others, |n| {
            dir.join(n).display().to_string()
        });
    }

    /// Reports a folder without viewpoint files (`found == 0`), or the other
    /// `.ron` files in it (`others`, sorted) that were not read. `shown`
    /// names a file of the folder.
    fn others(
        &mut self,
        dir: &str,
        found: usize,
        others: Vec<String>,
        shown: impl Fn(&str) -> String,
    ) {
        if found == 0 {
            let mut d = Diagnostic::error("no-model", format!("no model files in `{dir}`"))
                .help("a model folder holds av.ron, ov.ron, sv.ron, stdv.ron and/or div.ron");
            if !others.is_empty() {
                d = d.help(format!(
                    "found {}; a whole model in one file is passed as the file itself",
                    others.join(", ")
                ));
            }
            self.diagnostics.push(d);
            return;
        }
        for other in others {
            let suggestion = crate::diag::did_you_mean(&other, VIEWPOINT_FILES);
            self.diagnostics.push(
                Diagnostic::warning(
                    "unknown-file",
                    format!(
                        "`{}` is not a viewpoint file and was not read",
                        shown(&other)
                    ),
                )
                .maybe_help(suggestion.map(|s| format!("did you mean `{s}`?"))),
            );
        }
    }

    /// Reads a file as UTF-8 text, adding it to the sources.
    fn read(&mut self, path: &Path, display: &str) -> Option<(Arc<str>, u32)> {
        let bytes = match read_capped(path) {
            Ok(b) => b,
            Err(reason) => {
                self.diagnostics.push(Diagnostic::error(
                    "io",
                    format!("cannot read `{display}`: {reason}"),
                ));
                return None;
            }
        };
        self.text(bytes, display)
    }

    /// Takes a file's bytes as UTF-8 text, adding it to the sources.
    fn text(&mut self, bytes: Vec<u8>, display: &str) -> Option<(Arc<str>, u32)> {
        match String::from_utf8(bytes) {
            Ok(text) => {
                let text: Arc<str> = Arc::from(text);
                let file = self.sources.add_shared(display, Arc::clone(&text));
                Some((text, file))
            }
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let file = self.sources.add(display, lossy);
                self.diagnostics.push(
                    Diagnostic::error("encoding", format!("`{display}` is not UTF-8 text"))
                        .at(
                            Span {
                                file,
                                start: at as u32,
                                end: at as u32 + 1,
                            },
                            "invalid byte here",
                        )
                        .help("save the file as UTF-8"),
                );
                None
            }
        }
    }

    /// Records that viewpoint file `name` (`sv.ron`) could not be read.
    fn unread(&mut self, name: &str, shown: String) {
        let viewpoint = match name {
            "av.ron" => "AV",
            "ov.ron" => "OV",
            "sv.ron" => "SV",
            "stdv.ron" => "StdV",
            _ => "DIV",
        };
        self.unread.insert(viewpoint, shown);
    }

    fn viewpoint(&mut self, name: &str, text: &str, file: u32) {
        let Some(root) = self.parse(text, file) else {
            if self.has_errors_in(file) {
                self.unread(name, self.sources.name(file).to_string());
            }
            return;
        };
        match name {
            "av.ron" => self.model.av = self.lenient(root),
            "ov.ron" => self.model.ov = self.lenient(root),
            "sv.ron" => self.model.sv = self.lenient(root),
            "stdv.ron" => self.model.stdv = self.lenient(root),
            _ => self.model.div = self.lenient(root),
        }
    }

    fn whole(&mut self, text: &str, file: u32) {
        if let Some(root) = self.parse(text, file) {
            self.model = self.lenient(root);
        }
    }

    fn parse(&mut self, text: &str, file: u32) -> Option<Value> {
        if text.len() as u64 > u32::MAX as u64 {
            self.diagnostics
                .push(Diagnostic::error("io", "file too large (over 4 GiB)"));
            return None;
        }
        if syntax::is_blank(text) {
            // An empty file (or one of only comments) is an empty viewpoint.
            return None;
        }
        match syntax::parse(text, file) {
            Ok(v) => Some(v),
            Err(e) => {
                let mut d = Diagnostic::error("syntax", e.message.clone()).at(e.span, "");
                if let Some(h) = e.help {
                    d = d.help(h);
                }
                self.diagnostics.push(d);
                None
            }
        }
    }

    /// Deserializes `root`; on an error, reports it, removes the entity (or
    /// field) that holds it and tries again, so every bad entity is reported.
    fn lenient<T: DeserializeOwned + Default>(&mut self, mut root: Value) -> T {
        for _ in 0..MAX_ERRORS_PER_FILE {
            let err = match syntax::from_value::<T>(&root) {
                Ok(t) => return t,
                Err(e) => e,
            };
            let code = err.kind.code();
            let mut d = Diagnostic::error(code, err.message.clone()).at(err.span, "");
            if let Some(h) = &err.help {
                d = d.help(h.clone());
            }
            self.diagnostics.push(d);
            if !remove_containing(&mut root, err.span, &mut self.invalid_ids) {
                return T::default();
            }
        }
        self.diagnostics.push(Diagnostic::error(
            "too-many-errors",
            format!(
                "more than {MAX_ERRORS_PER_FILE} errors in `{}`; fix these first",
                self.sources.name(root.span.file)
            ),
        ));
        T::default()
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

/// Removes the outermost list element (an entity) that contains `span`, or
/// failing that the struct field or map entry that does. Returns false when
/// nothing could be removed (the error is about the document itself).
fn remove_containing(v: &mut Value, span: Span, invalid_ids: &mut BTreeSet<String>) -> bool {
    match &mut v.kind {
        ValueKind::List(items) => {
            if let Some(i) = items.iter().position(|it| contains(it.span, span)) {
                if let Some(id) = entity_id(&items[i]) {
                    invalid_ids.insert(id);
                }
                items.remove(i);
                true
            } else {
                false
            }
        }
        ValueKind::Struct { fields, .. } => {
            let Some(i) = fields
                .iter()
                .position(|(k, val)| contains(k.span, span) || contains(val.span, span))
            else {
                return false;
            };
            if contains(fields[i].1.span, span)
                && remove_containing(&mut fields[i].1, span, invalid_ids)
            {
                return true;
            }
            fields.remove(i);
            true
        }
        ValueKind::Map(entries) => {
            let Some(i) = entries
                .iter()
                .position(|(k, val)| contains(k.span, span) || contains(val.span, span))
            else {
                return false;
            };
            entries.remove(i);
            true
        }
        ValueKind::Option(Some(inner)) => remove_containing(inner, span, invalid_ids),
        _ => false,
    }
}

/// The `id: "…"` of an entity written as a struct.
fn entity_id(v: &Value) -> Option<String> {
    if let ValueKind::Struct { fields, .. } = &v.kind {
        for (k, val) in fields {
            if k.name == "id" {
                if let ValueKind::Str(s) = &val.kind {
                    return Some(s.clone());
                }
            }
        }
    }
    None
}

/// Reads a file of at most [`MAX_FILE_BYTES`]; the error is a short reason.
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let file = fs::File::open(path).map_err(|e| io_reason(&e))?;
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    if meta.is_dir() {
        return Err("it is a folder".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MiB, more than the {} MiB limit",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "file is larger than the {} MiB limit",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}

/// A short human reason for an IO error.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or folder".into(),
        PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::read_texts;

    fn codes(files: &[(&str, &str)]) -> Vec<(String, String)> {
        let l = read_texts(files, &["data-silo"]);
        l.diagnostics
            .iter()
            .map(|d| {
                let at = d
                    .primary
                    .as_ref()
                    .map(|p| l.sources.location(p.span))
                    .unwrap_or_default();
                (d.code.to_string(), at)
            })
            .collect()
    }

    #[test]
    fn every_bad_entity_is_reported_and_good_ones_kept() {
        let sv = "(systems: [\n  (id: \"a\", name: \"A\", kind: crn),\n  (id: \"b\", name: \"B\", kind: crm),\n  (id: \"c\", name: 3, kind: crm),\n])";
        let l = read_texts(&[("sv.ron", sv)], &[]);
        let got: Vec<_> = l
            .diagnostics
            .iter()
            .map(|d| (d.code, l.sources.location(d.primary.as_ref().unwrap().span)))
            .collect();
        assert_eq!(
            got,
            vec![
                ("unknown-variant", "sv.ron:2:30".to_string()),
                ("invalid-value", "sv.ron:4:19".to_string())
            ]
        );
        assert_eq!(l.model.sv.systems.len(), 1);
        assert_eq!(l.model.sv.systems[0].id.as_str(), "b");
        assert!(l.invalid_ids.contains("a") && l.invalid_ids.contains("c"));
    }

    #[test]
    fn references_to_broken_entities_do_not_cascade() {
        let sv = r#"(systems: [(id: "crm", name: "CRM", kind: crn)])"#;
        let ov = r#"(performers: [(id: "s", name: "S")], activities: [(id: "x", name: "X", performer: "s", stage: close, systems: ["crm"])])"#;
        let c = codes(&[("sv.ron", sv), ("ov.ron", ov)]);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].0, "unknown-variant");
    }

    #[test]
    fn unknown_top_level_field_and_bad_setting_are_reported() {
        let av = r#"(name: "A", sytems: [], settings: (rules: {"data-slio": warning}))"#;
        let c = codes(&[("av.ron", av)]);
        let names: Vec<&str> = c.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(names, vec!["unknown-field", "unknown-rule"], "{c:?}");
    }

    #[test]
    fn syntax_errors_in_several_files_are_all_reported() {
        let c = codes(&[
            ("sv.ron", "(systems: [)"),
            ("ov.ron", "(performers: [(id: \"a\" name: \"A\")])"),
            ("div.ron", ""),
        ]);
        assert_eq!(c.iter().filter(|(c, _)| c == "syntax").count(), 2, "{c:?}");
        assert!(c.iter().any(|(_, at)| at.starts_with("ov.ron:1:")));
    }

    #[test]
    fn a_file_of_only_comments_is_an_empty_viewpoint() {
        let c = codes(&[
            (
                "sv.ron",
                "// systems come later\n/* and /* nested */ notes */\n",
            ),
            ("ov.ron", "\u{feff}  // with a byte-order mark\r\n"),
        ]);
        assert!(c.is_empty(), "{c:?}");
        // An unterminated comment is still an error.
        let c = codes(&[("sv.ron", "/* never closed\n")]);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].0, "syntax");
    }

    #[test]
    fn a_syntax_error_comes_first_and_references_into_its_file_are_not_checked() {
        let ov = r#"(performers: [(id: "ops", name: "Ops")],
            activities: [(id: "sell", name: "Sell", performer: "ops", stage: close, systems: ["crm", "erp"]),
                         (id: "bill", name: "Bill", performer: "opz", stage: close, systems: ["erp"])])"#;
        let sv = r#"(systems: [(id: "crm" name: "CRM", kind: crm)])"#;
        let l = read_texts(&[("ov.ron", ov), ("sv.ron", sv)], &[]);
        let codes: Vec<&str> = l.diagnostics.iter().map(|d| d.code).collect();
        // The syntax error first although sv.ron comes after ov.ron; the
        // unknown performer (OV loaded fine) still reported, with its
        // did-you-mean; the three system references counted, not listed.
        assert_eq!(
            codes,
            ["syntax", "unknown-reference", "unchecked-references"],
            "{}",
            crate::diag::render(&l.diagnostics, &l.sources, false)
        );
        assert_eq!(l.diagnostics[1].help, ["did you mean `ops`?"]);
        assert!(
            l.diagnostics[2]
                .message
                .starts_with("3 references into SV not checked"),
            "{}",
            l.diagnostics[2].message
        );
        assert_eq!(l.error_count(), 2);
    }

    #[test]
    fn thousands_of_one_error_are_capped_with_a_count() {
        let items: Vec<String> = (0..1_000)
            .map(|i| format!(r#"(id: "dup", name: "S{i}", kind: crm)"#))
            .collect();
        let sv = format!("(systems: [{}])", items.join(","));
        let l = read_texts(&[("sv.ron", &sv)], &[]);
        let dups = l.diagnostics.iter().filter(|d| d.code == "duplicate-id");
        assert_eq!(dups.count(), crate::model::MAX_PER_CODE + 1);
        let last = l.diagnostics.last().unwrap();
        assert!(last.primary.is_none());
        assert!(last.message.contains("949 more errors"), "{}", last.message);
        assert_eq!(l.error_count(), 999);
        assert_eq!(
            l.omitted,
            [crate::diag::Omitted {
                code: "duplicate-id",
                count: 949,
                error: true
            }]
        );
    }

    #[test]
    fn whole_model_file() {
        let text = r#"(sv: (systems: [(id: "a", name: "A", kind: crm)]), div: (entities: [(id: "e", name: "E")]))"#;
        let l = read_texts(&[("model.ron", text)], &[]);
        assert!(l.diagnostics.is_empty());
        assert_eq!(l.model.sv.systems.len(), 1);
        assert_eq!(l.model.div.entities.len(), 1);
    }

    #[test]
    fn bundled_model_loads() {
        let l = load(&ModelSource::Bundled);
        assert!(
            !l.has_errors(),
            "{}",
            crate::diag::render(&l.diagnostics, &l.sources, false)
        );
        assert_eq!(l.sources.len(), 5);
    }
}
