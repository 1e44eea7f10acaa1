//! `system-of-record-conflict`: a data entity with no system of record, or
//! with several (which number is true?).

use petgraph::graph::NodeIndex;

use super::{Context, Finding, Rule};
use crate::model::{Kind, Level};

/// See the module documentation.
pub struct SystemOfRecordConflict;

impl Rule for SystemOfRecordConflict {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "Every entity needs exactly one master; with none or two, teams argue about whose number is right."
    }
    fn fix(&self) -> &'static str {
        "Mark exactly one holder `role: record` and the others `role: copy` fed from it."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        for e in g.nodes_of(Kind::Entity) {
            let flow = cx.flow.of(e);
            let records: Vec<NodeIndex> = flow.records().collect();
            let copies: Vec<NodeIndex> = flow.holders.iter().map(|(s, _)| *s).collect();
            let name = super::text(g.entity(e).name());
            match records.len() {
                1 => {}
                0 if copies.is_empty() => out.push(cx.finding(
                    self,
                    "not-held",
                    e,
                    &[],
                    format!("{name} (`{}`) is held by no system", cx.id(e)),
                    format!(
                        "add `(entity: \"{}\", role: record)` to `holds` of the system that masters it",
                        cx.id(e)
                    ),
                )),
                0 => out.push(cx.finding(
                    self,
                    "no-record",
                    e,
                    &copies,
                    format!(
                        "{name} (`{}`) is held only as copies (in {}): no system is its system of record",
                        cx.id(e),
                        cx.list(&copies, 4)
                    ),
                    format!(
                        "decide which system masters `{}` and mark that holding `role: record`",
                        cx.id(e)
                    ),
                )),
                _ => out.push(cx.finding(
                    self,
                    "several-records",
                    e,
                    &records,
                    format!(
                        "{name} (`{}`) has {} systems of record: {}",
                        cx.id(e),
                        records.len(),
                        cx.list(&records, 4)
                    ),
                    format!(
                        "keep {} as the record for `{}`, make the others copies fed from it",
                        cx.list_or(&records, 4),
                        cx.id(e)
                    ),
                )
                .identified_by(cx, &records)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    #[test]
    fn conflicts() {
        let sv = r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "acct", role: record), (entity: "lead", role: copy), (entity: "opp", role: record)]),
            (id: "erp", name: "ERP", kind: erp, holds: [(entity: "acct", role: record)]),
          ])"#;
        let div = r#"(entities: [(id: "acct", name: "Account"), (id: "lead", name: "Lead"),
                                 (id: "opp", name: "Opportunity"), (id: "inv", name: "Invoice")])"#;
        let k = keys(
            "system-of-record-conflict",
            &[("sv.ron", sv), ("div.ron", div)],
            State::ToBe,
        );
        assert_eq!(
            k,
            vec![
                "system-of-record-conflict/no-record:lead",
                "system-of-record-conflict/not-held:inv",
                "system-of-record-conflict/several-records:acct[crm,erp]",
            ]
        );
    }
}
