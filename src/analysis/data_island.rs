//! `data-island`: groups of systems connected among themselves but cut off
//! from the rest — without the warehouse (`no-warehouse`), or holding copies
//! whose system of record is in another group (`cut-off-from-record`).

use petgraph::graph::NodeIndex;

use super::{Context, Finding, Rule};
use crate::hash::FastSet;
use crate::model::{Level, Role, SystemKind};

/// See the module documentation.
pub struct DataIsland;

impl Rule for DataIsland {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "Systems that only talk among themselves keep their data out of reporting and out of sync with its master."
    }
    fn fix(&self) -> &'static str {
        "Connect the group to the warehouse, or to the system of record of the data it copies."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        let components = cx.net.components();
        if components.len() < 2 {
            return;
        }
        let has_warehouse = g
            .present_of(crate::model::Kind::System, cx.state)
            .any(|s| g.system_kind(s) == Some(SystemKind::DataWarehouse));
        for group in components.iter().filter(|c| c.len() >= 2) {
            let members: FastSet<NodeIndex> = group.iter().copied().collect();
            let first = group[0];
            if has_warehouse
                && !group
                    .iter()
                    .any(|&s| g.system_kind(s) == Some(SystemKind::DataWarehouse))
            {
                out.push(cx.finding(
                    self,
                    "no-warehouse",
                    first,
                    group,
                    format!(
                        "{} systems ({}) exchange data only among themselves: nothing they hold reaches the warehouse",
                        group.len(),
                        cx.list(group, 5)
                    ),
                    format!(
                        "add a batch ETL from {} to the warehouse",
                        cx.list_or(group, 3)
                    ),
                ));
            }
            // copies whose every system of record lies outside the group
            // (each entity and each master once, in order of first appearance)
            let mut orphaned: Vec<NodeIndex> = Vec::new();
            let mut masters: Vec<NodeIndex> = Vec::new();
            let mut seen: FastSet<NodeIndex> = FastSet::default();
            let mut seen_master: FastSet<NodeIndex> = FastSet::default();
            for &s in group {
                for (e, role) in g.held_by(s) {
                    if role != Role::Copy || !seen.insert(e) {
                        continue;
                    }
                    let flow = cx.flow.of(e);
                    let mut records = flow.records().peekable();
                    if records.peek().is_some() && flow.records().all(|r| !members.contains(&r)) {
                        orphaned.push(e);
                        masters.extend(records.filter(|&r| seen_master.insert(r)));
                    }
                }
            }
            if !orphaned.is_empty() {
                // what the group copies and from where come before its
                // members; all distinct (masters lie outside the group)
                let related = orphaned
                    .iter()
                    .chain(&masters)
                    .chain(group.iter().filter(|&&s| s != first))
                    .copied();
                let related_total = orphaned.len() + masters.len() + group.len() - 1;
                out.push(cx.finding_distinct(
                    self,
                    "cut-off-from-record",
                    first,
                    related,
                    related_total,
                    format!(
                        "the group {} keeps copies of {} but is not connected to their system of record ({})",
                        cx.list(group, 5),
                        cx.list(&orphaned, 4),
                        cx.list(&masters, 3)
                    ),
                    format!(
                        "integrate the group with {} so its copies stay in sync",
                        cx.list(&masters, 3)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    fn sv(extra: &str) -> String {
        format!(
            r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "acct", role: record)]),
            (id: "dw", name: "DW", kind: data_warehouse),
            (id: "zd", name: "Zendesk", kind: support_desk, holds: [(entity: "acct", role: copy)]),
            (id: "cs", name: "CS", kind: cs_platform),
          ], integrations: [
            (id: "a", name: "a", source: "crm", target: "dw", carries: ["acct"], mechanism: batch_etl, frequency: daily),
            (id: "b", name: "b", source: "zd", target: "cs", carries: ["acct"], mechanism: api, frequency: daily),
            {extra}
          ])"#
        )
    }
    const DIV: &str = r#"(entities: [(id: "acct", name: "Account")])"#;

    #[test]
    fn island_without_warehouse_and_cut_off_copies() {
        let s = sv("");
        let k = keys(
            "data-island",
            &[("sv.ron", &s), ("div.ron", DIV)],
            State::ToBe,
        );
        assert_eq!(
            k,
            vec![
                "data-island/cut-off-from-record:zd",
                "data-island/no-warehouse:zd",
            ]
        );
    }

    #[test]
    fn connected_model_has_no_island() {
        let s = sv(
            r#"(id: "c", name: "c", source: "crm", target: "zd", carries: ["acct"], mechanism: api, frequency: daily),"#,
        );
        assert!(keys(
            "data-island",
            &[("sv.ron", &s), ("div.ron", DIV)],
            State::ToBe
        )
        .is_empty());
    }
}
