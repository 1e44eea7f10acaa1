//! `revarch rules`: what each analysis rule finds and how to fix it.

use serde::Serialize;

use super::{Output, EXIT_OK};
use crate::analysis::RULES;
use crate::model::Level;

/// Arguments of `revarch rules`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output format of `rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For tools.
    Json,
    /// A Markdown table (as in the README).
    Markdown,
}

#[derive(Serialize)]
struct RuleInfo {
    id: &'static str,
    level: Level,
    rationale: &'static str,
    fix: &'static str,
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    let infos: Vec<RuleInfo> = RULES
        .iter()
        .map(|r| RuleInfo {
            id: r.id(),
            level: r.default_level(),
            rationale: r.rationale(),
            fix: r.fix(),
        })
        .collect();
    let text = match args.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&infos).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Markdown => {
            let mut s =
                String::from("| rule | default | what it finds | fix |\n|---|---|---|---|\n");
            for r in &infos {
                s.push_str(&format!(
                    "| `{}` | {} | {} | {} |\n",
                    r.id, r.level, r.rationale, r.fix
                ));
            }
            s
        }
        Format::Text => {
            let mut s = String::new();
            for r in &infos {
                s.push_str(&format!(
                    "{} ({})\n  {}\n  fix: {}\n\n",
                    r.id, r.level, r.rationale, r.fix
                ));
            }
            s
        }
    };
    out.stdout(&text);
    EXIT_OK
}
