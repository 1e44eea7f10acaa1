//! `loader`: arbitrary bytes → model files → load + validate → diagnostics
//! rendered as text (plain and coloured) and as JSON. Must never panic.
//!
//! Input format: the bytes are split at every 0xFF byte (it never occurs in
//! UTF-8, so a seed's text is kept intact). One chunk is a whole-model file
//! (`model.ron`); with more, chunks 1–5 are the viewpoint files `av.ron`,
//! `ov.ron`, `sv.ron`, `stdv.ron`, `div.ron` and any further chunk is an
//! extra whole-model file (mixing both layouts must be reported, not crash).
//! Chunks that are not UTF-8 are read lossily (the disk loader rejects them
//! before parsing; the parser itself must cope with any text).
#![no_main]

use libfuzzer_sys::fuzz_target;
use revarch::analysis::{analyse, RULE_IDS};
use revarch::diag::{render, JsonDiagnostic};
use revarch::graph::Graph;
use revarch::model::{read_texts, State};

const VIEWPOINTS: [&str; 5] = ["av.ron", "ov.ron", "sv.ron", "stdv.ron", "div.ron"];

fuzz_target!(|data: &[u8]| {
    let chunks: Vec<String> = data
        .split(|&b| b == 0xFF)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let names: Vec<String> = if chunks.len() == 1 {
        vec!["model.ron".to_string()]
    } else {
        (0..chunks.len())
            .map(|i| match VIEWPOINTS.get(i) {
                Some(n) => n.to_string(),
                None => format!("extra-{i}.ron"),
            })
            .collect()
    };
    let files: Vec<(&str, &str)> = names
        .iter()
        .map(String::as_str)
        .zip(chunks.iter().map(String::as_str))
        .collect();
    let loaded = read_texts(&files, RULE_IDS);
    let _ = render(&loaded.diagnostics, &loaded.sources, false);
    let _ = render(&loaded.diagnostics, &loaded.sources, true);
    let json: Vec<JsonDiagnostic> = loaded
        .diagnostics
        .iter()
        .map(|d| JsonDiagnostic::new(d, &loaded.sources))
        .collect();
    if serde_json::to_string(&json).is_err() {
        panic!("JSON diagnostics do not serialise");
    }
    // A model that loads clean goes on to the (cheap) analysis stage.
    if !loaded.has_errors() {
        let g = Graph::build(&loaded.model);
        for state in State::ALL {
            let _ = analyse(&g, state);
        }
    }
});
