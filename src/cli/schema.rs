//! `revarch schema`: the JSON Schema of the model format.

use super::{Output, EXIT_OK};
use crate::model::{AllViewpoint, Data, Model, Operational, Standards, Systems};

/// Arguments of `revarch schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which file's schema: the whole model (a single-file model) or one
    /// viewpoint file.
    #[arg(long, value_enum, default_value_t = Part::Model)]
    pub part: Part,
}

/// A model file kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// A whole model in one file.
    Model,
    /// av.ron
    Av,
    /// ov.ron
    Ov,
    /// sv.ron
    Sv,
    /// stdv.ron
    Stdv,
    /// div.ron
    Div,
}

/// The schema as pretty JSON.
pub fn schema_json(part: Part) -> String {
    let schema = match part {
        Part::Model => schemars::schema_for!(Model),
        Part::Av => schemars::schema_for!(AllViewpoint),
        Part::Ov => schemars::schema_for!(Operational),
        Part::Sv => schemars::schema_for!(Systems),
        Part::Stdv => schemars::schema_for!(Standards),
        Part::Div => schemars::schema_for!(Data),
    };
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

pub(super) fn execute(args: &Args, out: &Output) -> i32 {
    out.stdout(&schema_json(args.part));
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_documents_fields() {
        let s: serde_json::Value = serde_json::from_str(&schema_json(Part::Model)).unwrap();
        let text = s.to_string();
        assert!(
            text.contains("system of record"),
            "doc comments become descriptions"
        );
        assert!(text.contains("\"marketing_automation\""));
        assert!(text.contains("plan_period"));
    }
}
