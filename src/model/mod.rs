//! The `model` stage: RON files → typed [`Model`] + [`Diagnostic`](crate::diag::Diagnostic)s.
//!
//! `syntax` reads RON keeping byte spans, `types` is the file format, `load`
//! finds and reads the files (collecting every error), `git` reads them at a
//! git revision instead of from disk, `validate` checks ids and references. Nothing here knows about graphs, findings or rendering.

pub mod entity;
pub mod git;
pub mod load;
pub mod starter;
pub mod syntax;
pub mod types;
pub mod validate;

pub use entity::{Counts, Kind, Ref};
pub use load::{load, load_texts, Loaded, ModelSource};
pub use types::*;

/// Loads a model and validates it. `rules` are the rule ids that `allow`
/// and `settings` may name.
pub fn read(source: &ModelSource, rules: &[&str]) -> Loaded {
    let mut loaded = load(source);
    finish(&mut loaded, rules);
    loaded
}

/// Validates an in-memory model loaded with [`load_texts`].
pub fn read_texts(files: &[(&str, &str)], rules: &[&str]) -> Loaded {
    let mut loaded = load_texts(files);
    finish(&mut loaded, rules);
    loaded
}

/// Diagnostics shown per code; the rest are counted in one diagnostic.
pub use crate::diag::MAX_PER_CODE;

fn finish(loaded: &mut Loaded, rules: &[&str]) {
    let suggestions = validate::validate(
        &loaded.model,
        rules,
        &loaded.invalid_ids,
        &loaded.unread,
        &mut loaded.diagnostics,
    );
    // Problems reading a file first (the cause of what follows), then in
    // file order and position, so output reads top to bottom.
    loaded.diagnostics.sort_by_key(|d| {
        let reading = matches!(d.code, "io" | "encoding" | "syntax" | "no-model");
        (
            !reading,
            d.primary
                .as_ref()
                .map(|l| (0, l.span.file, l.span.start))
                .unwrap_or((1, 0, 0)),
        )
    });
    loaded.omitted = crate::diag::cap_per_code(&mut loaded.diagnostics, MAX_PER_CODE);
    suggestions.apply(&loaded.model, &mut loaded.diagnostics);
}
