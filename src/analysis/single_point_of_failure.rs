//! `single-point-of-failure`: a system whose outage cuts other systems off
//! from the rest of the integration network (an articulation point).

use petgraph::graph::NodeIndex;

use super::{join_counted, Context, Finding, Rule};
use crate::model::Level;

/// How many cut-off groups a message names.
const GROUPS_NAMED: usize = 4;

/// See the module documentation.
pub struct SinglePointOfFailure;

impl Rule for SinglePointOfFailure {
    fn id(&self) -> &'static str {
        "single-point-of-failure"
    }
    fn default_level(&self) -> Level {
        Level::Info
    }
    fn rationale(&self) -> &'static str {
        "When every path between two parts of the stack runs through one system, its outage stops the data."
    }
    fn fix(&self) -> &'static str {
        "Monitor it closely, or add a second path (a direct integration) around it."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        for cut in cx.net.cut_points() {
            let total: usize = cut.cut_off.iter().map(|g| g.total).sum();
            // groups beyond the fourth are only counted, not named
            let mut named = Vec::new();
            for group in cut.cut_off.iter().take(GROUPS_NAMED) {
                let mut names: Vec<String> = group
                    .items
                    .iter()
                    .map(|&n| format!("`{}`", cx.id(n)))
                    .collect();
                if group.more() > 0 {
                    names.push(format!("{} more", group.more()));
                }
                named.push(format!("{{{}}}", names.join(", ")));
            }
            let related: Vec<NodeIndex> = cut
                .cut_off
                .iter()
                .flat_map(|g| g.items.iter().copied())
                .collect();
            let s = cut.system;
            out.push(cx.finding(
                self,
                "articulation-point",
                s,
                &related,
                format!(
                    "if {} (`{}`) fails, {} {} every path to the rest of the stack: {}",
                    super::text(cx.graph.entity(s).name()),
                    cx.id(s),
                    crate::words::count(total, "system", "systems"),
                    crate::words::agree(total, "loses", "lose"),
                    join_counted(&named, cut.cut_off.len(), "and")
                ),
                format!(
                    "monitor `{}` and alert on failures, or add a direct integration that bypasses it",
                    cx.id(s)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::{findings, keys};
    use crate::model::State;

    const SV: &str = r#"(systems: [
        (id: "crm", name: "CRM", kind: crm), (id: "wk", name: "Workato", kind: ipaas),
        (id: "zd", name: "Zendesk", kind: support_desk), (id: "dw", name: "DW", kind: data_warehouse),
      ], integrations: [
        (id: "a", name: "a", source: "crm", target: "dw", carries: [], mechanism: batch_etl, frequency: daily),
        (id: "b", name: "b", source: "zd", target: "crm", via: "wk", carries: [], mechanism: ipaas, frequency: daily),
        CLOSE
      ])"#;

    #[test]
    fn hub_and_platform_are_points_of_failure() {
        let sv = SV.replace("CLOSE", "");
        let k = keys("single-point-of-failure", &[("sv.ron", &sv)], State::ToBe);
        assert_eq!(k.len(), 2, "{k:?}");
        let f = findings("single-point-of-failure", &[("sv.ron", &sv)], State::ToBe);
        assert!(
            f.iter()
                .any(|f| f.subject.id == "wk" && f.message.contains("`zd`")),
            "{f:?}"
        );
    }

    #[test]
    fn cycle_removes_them() {
        let sv = SV.replace(
            "CLOSE",
            r#"(id: "c", name: "c", source: "zd", target: "dw", carries: [], mechanism: batch_etl, frequency: daily),"#,
        );
        assert!(keys("single-point-of-failure", &[("sv.ron", &sv)], State::ToBe).is_empty());
    }
}
