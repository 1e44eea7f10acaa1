//! `revarch init`: write the starter model (`model::starter`) into a new
//! or existing folder, never over a file that is there.

use std::path::{Path, PathBuf};

use super::{existing_folder, write_atomic, Output, EXIT_INVALID, EXIT_OK};
use crate::model::load::io_reason;
use crate::model::starter::FILES;

/// Arguments of `revarch init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write av.ron, ov.ron, sv.ron, stdv.ron and div.ron into
    /// (created if missing). Default: ./models, where the other commands
    /// look for a model.
    #[arg(value_name = "DIR", default_value = "models")]
    pub dir: PathBuf,
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let dir = &args.dir;
    if let Err(reason) = may_write(dir) {
        out.error(&reason);
        return EXIT_INVALID;
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        out.error(&format!(
            "cannot create `{}`: {}",
            dir.display(),
            io_reason(&e)
        ));
        return EXIT_INVALID;
    }
    for (name, text) in FILES {
        if let Err(e) = write_atomic(&dir.join(name), text.as_bytes()) {
            out.error(&e.to_string());
            return EXIT_INVALID;
        }
    }
    out.stderr(&next_steps(dir));
    EXIT_OK
}

/// Refuses a path that is not a folder and a folder that already holds any
/// of the five model files (init never replaces a model, however small).
fn may_write(dir: &Path) -> Result<(), String> {
    let shown = dir.display();
    if !existing_folder(dir)? {
        return Ok(());
    }
    let there: Vec<&str> = FILES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
        .collect();
    if there.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "`{shown}` already has {}: `revarch init` never overwrites a model; give it another folder (`revarch init NEW-FOLDER`)",
            there
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// What `init` prints: what it wrote, and the commands to run next.
fn next_steps(dir: &Path) -> String {
    let d = dir.display();
    // the other commands find ./models by themselves
    let arg = if dir == Path::new("models") {
        String::new()
    } else {
        format!(" {}", shell_word(&d.to_string()))
    };
    let steps = [
        (
            format!("revarch serve{arg} --open"),
            "the report in your browser; it reloads as you save the files",
        ),
        (
            format!("revarch check{arg}"),
            "no findings yet: edit the files, run it again",
        ),
        (
            format!("revarch report{arg} --out report"),
            "then open report/index.html",
        ),
        (
            format!("revarch render{arg} --out diagrams"),
            "the viewpoint diagrams as SVG",
        ),
        (
            "revarch schema".to_string(),
            "the model format as JSON Schema, for editors and tools",
        ),
    ];
    let width = steps
        .iter()
        .map(|(c, _)| c.chars().count())
        .max()
        .unwrap_or(0);
    let mut text = format!(
        "wrote a starter model to `{d}`: av.ron, ov.ron, sv.ron, stdv.ron, div.ron \
         (2 teams, 3 systems, 1 integration, 1 data entity, 1 KPI; each file explains its viewpoint)\n\nnext:\n"
    );
    for (cmd, why) in steps {
        text.push_str(&format!("  {cmd:<width$}  # {why}\n"));
    }
    text
}

/// `s` as one word for a POSIX shell (quoted when it needs to be).
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | ':' | ',')
        });
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("models"), "models");
        assert_eq!(shell_word("my model"), "'my model'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word("$(rm -rf)"), "'$(rm -rf)'");
    }

    #[test]
    fn next_steps_name_the_folder_unless_it_is_models() {
        assert!(next_steps(Path::new("models")).contains("  revarch check  "));
        assert!(next_steps(Path::new("acme")).contains("revarch check acme"));
    }
}
