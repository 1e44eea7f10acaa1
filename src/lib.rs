//! revarch: model a revenue organisation through DoDAF-style viewpoints,
//! check it for data silos, orphan integrations and more.
//!
//! The pipeline, one module per stage (see ARCHITECTURE.md):
//! `model` (RON → typed model + diagnostics) → `graph` (one typed dependency
//! graph) → `analysis` (rules → findings) → `check` (findings per state,
//! baselines, output formats) → `render` (views → layout → SVG) → `report`
//! (view-models → HTML templates) → output (`cli`).

#![warn(missing_docs)]

pub mod analysis;
pub mod check;
pub mod cli;
pub mod deck;
pub mod diag;
pub mod diff;
pub mod gen;
pub mod graph;
pub mod hash;
pub mod model;
pub mod par;
pub mod render;
pub mod report;
pub mod sample;
pub mod words;

use std::path::PathBuf;

/// Failures that are not problems in a model (those are diagnostics).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Writing an output failed.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An output path is not allowed.
    #[error("refusing to write `{path}`: {reason}")]
    BadOutput {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}
