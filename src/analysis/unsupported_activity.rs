//! `unsupported-activity`: a journey activity no system supports — it is
//! done in heads, inboxes and spreadsheets nobody modelled.

use petgraph::graph::NodeIndex;

use super::{Context, Finding, Rule};
use crate::graph::EdgeKind;
use crate::model::{Kind, Level};

/// See the module documentation.
pub struct UnsupportedActivity;

impl Rule for UnsupportedActivity {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "An activity no system supports leaves no data behind and cannot be measured or automated."
    }
    fn fix(&self) -> &'static str {
        "List the systems people use for it in `systems`, or plan one that supports it."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        for a in g.present_of(Kind::Activity, cx.state) {
            let all: Vec<NodeIndex> = g.inc(a, EdgeKind::Supports).collect();
            if all.iter().any(|&s| g.present(s, cx.state)) {
                continue;
            }
            let name = super::text(g.entity(a).name());
            let (case, message) = if all.is_empty() {
                (
                    "no-system",
                    format!("activity `{}` ({name}) is supported by no system", cx.id(a)),
                )
            } else {
                (
                    "systems-gone",
                    format!(
                        "activity `{}` ({name}) is supported only by {}",
                        cx.id(a),
                        all.iter()
                            .map(|&s| format!(
                                "`{}`, which {}",
                                cx.id(s),
                                super::absent_reason(cx, s)
                            ))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                )
            };
            out.push(cx.finding(
                self,
                case,
                a,
                &all,
                message,
                format!(
                    "add the supporting system(s) to `systems` of `{}`, or plan a replacement",
                    cx.id(a)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    const OV: &str = r#"(performers: [(id: "fin", name: "Finance")], activities: [
        (id: "inv", name: "Invoice", performer: "fin", stage: invoice, systems: ["old"]),
        (id: "col", name: "Collect", performer: "fin", stage: collect),
        (id: "rev", name: "Recognise", performer: "fin", stage: collect, systems: ["erp"]),
      ])"#;
    const SV: &str = r#"(systems: [(id: "old", name: "Old billing", kind: billing, lifecycle: retiring),
                                   (id: "erp", name: "ERP", kind: erp)])"#;

    #[test]
    fn unsupported_and_supported_only_by_retiring() {
        let files = [("ov.ron", OV), ("sv.ron", SV)];
        assert_eq!(
            keys("unsupported-activity", &files, State::AsIs),
            vec!["unsupported-activity/no-system:col"]
        );
        assert_eq!(
            keys("unsupported-activity", &files, State::ToBe),
            vec![
                "unsupported-activity/no-system:col",
                "unsupported-activity/systems-gone:inv"
            ]
        );
    }
}
