//! `revarch gen`: write a synthetic model of any size into a folder.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{existing_folder, write_atomic, Output, EXIT_INVALID, EXIT_OK};
use crate::gen::{generate_model, GenOptions, DEFAULT_SEED, MARKER};
use crate::model::load::{MAX_FILE_BYTES, VIEWPOINT_FILES};

/// Arguments of `revarch gen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many systems (13 to 1,000,000); the model has about 3.5 entities
    /// per system in all.
    #[arg(long, value_name = "N")]
    pub systems: usize,
    /// Seed of the pseudo-random choices: the same seed and size always write
    /// the same bytes.
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Folder to write av.ron, ov.ron, sv.ron, stdv.ron and div.ron into.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    pub out: PathBuf,
    /// Write into a folder that is not empty and not an earlier `revarch gen`
    /// output. Only the five model files are replaced; nothing is deleted.
    #[arg(long)]
    pub force: bool,
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let opts = GenOptions {
        systems: args.systems,
        seed: args.seed,
    };
    if let Err(e) = opts.check() {
        out.error(&e.to_string());
        return EXIT_INVALID;
    }
    if let Err(reason) = may_write(&args.out, args.force) {
        out.error(&reason);
        return EXIT_INVALID;
    }
    let g = generate_model(&opts);
    for (name, text) in &g.files {
        if let Err(e) = write_atomic(&args.out.join(name), text.as_bytes()) {
            out.error(&e.to_string());
            return EXIT_INVALID;
        }
    }
    if let Some((name, size)) = oversized(&g.files, MAX_FILE_BYTES) {
        out.stderr(&format!(
            "warning: {name} is {} MiB, more than the {} MiB revarch reads from one file; models of up to about 150,000 systems can be checked\n",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let c = &g.counts;
    let plural = crate::words::count;
    out.stderr(&format!(
        "wrote {} ({} in all: {}, {}, {}, {}, {}, {}) in {} with {} to `{}` (seed {})\n",
        plural(c.systems, "system", "systems"),
        plural(g.total(), "entity", "entities"),
        plural(c.integrations, "integration", "integrations"),
        plural(c.entities, "data entity", "data entities"),
        plural(c.performers, "performer", "performers"),
        plural(c.activities, "activity", "activities"),
        plural(c.exchanges, "exchange", "exchanges"),
        plural(c.standards, "standard", "standards"),
        plural(g.groups, "regional stack", "regional stacks"),
        plural(g.planted, "planted problem", "planted problems"),
        args.out.display(),
        args.seed,
    ));
    EXIT_OK
}

/// The first file larger than `limit` bytes (which revarch could not read back).
fn oversized(files: &[(&'static str, String)], limit: u64) -> Option<(&'static str, u64)> {
    files
        .iter()
        .map(|(name, text)| (*name, text.len() as u64))
        .find(|&(_, size)| size > limit)
}

/// Whether the model files may be written into `dir`: it does not exist, is
/// empty, or holds only model files that an earlier `revarch gen` wrote —
/// or `force` is given. A path that is not a folder is refused even then.
fn may_write(dir: &Path, force: bool) -> Result<(), String> {
    let shown = dir.display();
    if !existing_folder(dir)? {
        return Ok(());
    }
    if force {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "cannot read folder `{shown}`: {}",
            crate::model::load::io_reason(&e)
        )
    })?;
    let mut names: Vec<String> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| {
            format!(
                "cannot read folder `{shown}`: {}",
                crate::model::load::io_reason(&e)
            )
        })?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    let foreign: Vec<&String> = names
        .iter()
        .filter(|n| !(VIEWPOINT_FILES.contains(&n.as_str()) && generated(&dir.join(n))))
        .collect();
    match foreign.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "`{shown}` is not empty and was not written by `revarch gen` (it holds `{first}`{}); choose another --out, or add --force to write the five model files into it anyway",
            match foreign.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            }
        )),
    }
}

/// Whether `path` is a regular file that starts like a generated model file.
fn generated(path: &Path) -> bool {
    let is_file = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
    let mut head = Vec::with_capacity(MARKER.len());
    is_file
        && std::fs::File::open(path)
            .and_then(|f| f.take(MARKER.len() as u64).read_to_end(&mut head))
            .is_ok()
        && head == MARKER.as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_too_large_to_read_back_are_named() {
        let files = vec![("av.ron", "x".repeat(10)), ("sv.ron", "x".repeat(30))];
        assert_eq!(oversized(&files, 30), None);
        assert_eq!(oversized(&files, 29), Some(("sv.ron", 30)));
        assert_eq!(oversized(&files, 5), Some(("av.ron", 10)));
    }

    #[test]
    fn guard_accepts_new_empty_and_earlier_output_only() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("model");
        assert!(may_write(&dir, false).is_ok(), "missing folder");
        std::fs::create_dir(&dir).unwrap();
        assert!(may_write(&dir, false).is_ok(), "empty folder");
        std::fs::write(
            dir.join("av.ron"),
            format!("{MARKER} --systems 30 --seed 1`\n()"),
        )
        .unwrap();
        assert!(may_write(&dir, false).is_ok(), "earlier output");
        std::fs::write(dir.join("sv.ron"), "// my own model\n()").unwrap();
        let e = may_write(&dir, false).unwrap_err();
        assert!(e.contains("`sv.ron`") && e.contains("--force"), "{e}");
        assert!(may_write(&dir, true).is_ok());
        std::fs::remove_file(dir.join("sv.ron")).unwrap();
        std::fs::write(dir.join("notes.md"), "mine").unwrap();
        assert!(may_write(&dir, false).unwrap_err().contains("`notes.md`"));
        let file = root.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(may_write(&file, true).unwrap_err().contains("not a folder"));
    }
}
