//! `data-silo`: data trapped where it is held.
//!
//! Two forms: a system that holds data but no active integration carries
//! any of it in or out (`isolated-system`; one that carries nothing, or
//! only other data, frees nothing), and a data entity needed in a system — by an activity
//! that system supports — that no chain of integrations carries there from
//! where it is held (`unreachable`). A KPI's data that never reaches the
//! system computing it is `kpi-not-computable`'s finding.

use petgraph::graph::NodeIndex;

use super::{Context, Finding, Rule};
use crate::graph::EdgeKind;
use crate::model::Level;

/// See the module documentation.
pub struct DataSilo;

impl Rule for DataSilo {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "Data held in one place and shared with no one cannot feed the journey or the numbers."
    }
    fn fix(&self) -> &'static str {
        "Add an integration that carries the entity from where it is held to where it is needed."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        isolated(self, cx, out);
        unreachable(self, cx, out);
    }
}

fn isolated(rule: &DataSilo, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    for &s in &cx.net.systems {
        let held: Vec<NodeIndex> = g.held_by(s).map(|(e, _)| e).collect();
        if held.is_empty() {
            continue;
        }
        // an integration that carries none of what it holds (or nothing)
        // does not free its data
        let moves_some = g
            .out(s, EdgeKind::FlowsTo)
            .chain(g.inc(s, EdgeKind::FlowsTo))
            .any(|i| {
                g.integration_active(i, cx.state)
                    && g.out(i, EdgeKind::Carries).any(|e| held.contains(&e))
            });
        if moves_some {
            continue;
        }
        let name = super::text(g.entity(s).name());
        let how = if cx.net.degree(s) > 0 {
            "none of its integrations carries any of it in or out"
        } else {
            "no integration moves any of it in or out"
        };
        out.push(cx.finding(
            rule,
            "isolated-system",
            s,
            &held,
            format!(
                "{name} (`{}`) holds {} but {how}",
                cx.id(s),
                cx.list(&held, 4)
            ),
            format!(
                "connect `{}` to the systems that need its data — at least a batch ETL to the warehouse carrying {}",
                cx.id(s),
                cx.list(&held, 4)
            ),
        ));
    }
}

fn unreachable(rule: &DataSilo, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    // a KPI's data that never arrives is kpi-not-computable's
    let needs = super::needs(cx);
    for super::Need {
        entity: e,
        places,
        who,
        ..
    } in needs.into_iter().filter(|n| !n.kpi)
    {
        let flow = cx.flow.of(e);
        if flow.holders.is_empty() || places.iter().any(|&p| cx.flow.available(e, p)) {
            continue;
        }
        let holders = || flow.holders.iter().map(|(s, _)| *s);
        let needer = g.entity(who);
        let mut need = places.clone();
        need.push(who);
        // places, who and holders are distinct: a place holding it would
        // have it, and `who` is an activity
        let related = places
            .iter()
            .copied()
            .chain(std::iter::once(who))
            .chain(holders());
        let related_total = places.len() + 1 + flow.holders.len();
        let place_text = if places.len() == 1 {
            format!("in `{}`", cx.id(places[0]))
        } else {
            format!("in one of {}", cx.list(&places, 4))
        };
        out.push(cx.finding_distinct(
            rule,
            "unreachable",
            e,
            related,
            related_total,
            format!(
                "{} (`{}`) is needed {place_text} by {} but is held only in {} and no integration chain carries it there",
                super::text(g.entity(e).name()),
                cx.id(e),
                needer.describe(),
                cx.list_iter(holders(), 4),
            ),
            {
                // the system of record first: a copy is the wrong source
                let from = super::sources(flow);
                let record = from.first().is_some_and(|&s| super::is_record(flow, s));
                format!(
                    "add an integration carrying `{}` to `{}` from {}{}",
                    cx.id(e),
                    cx.id(places[0]),
                    cx.list_or(&from, 3),
                    match (record, from.len()) {
                        (true, 1) => " (its system of record)",
                        (true, 2) => " (the first is its system of record; the other has it too)",
                        (true, _) => " (the first is its system of record; the others have it too)",
                        (false, _) => " (where it is available)",
                    }
                )
            },
        ).identified_by(cx, &need));
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    const DIV: &str =
        r#"(entities: [(id: "usage", name: "Usage"), (id: "acct", name: "Account")])"#;

    #[test]
    fn isolated_system_holding_data() {
        let sv = r#"(systems: [
            (id: "amp", name: "Amplitude", kind: product_analytics, holds: [(entity: "usage", role: record)]),
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "acct", role: record)]),
            (id: "dw", name: "DW", kind: data_warehouse),
          ], integrations: [
            (id: "i", name: "i", source: "crm", target: "dw", carries: ["acct"], mechanism: batch_etl, frequency: daily),
          ])"#;
        let k = keys(
            "data-silo",
            &[("sv.ron", sv), ("div.ron", DIV)],
            State::ToBe,
        );
        assert_eq!(k, vec!["data-silo/isolated-system:amp"]);
    }

    #[test]
    fn an_integration_carrying_none_of_its_data_frees_nothing() {
        // Amplitude's only integration carries nothing; the CRM's carries
        // only what the CRM does not hold
        let sv = r#"(systems: [
            (id: "amp", name: "Amplitude", kind: product_analytics, holds: [(entity: "usage", role: record)]),
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "acct", role: record)]),
            (id: "dw", name: "DW", kind: data_warehouse),
          ], integrations: [
            (id: "i", name: "i", source: "amp", target: "dw", carries: [], mechanism: batch_etl, frequency: daily),
            (id: "j", name: "j", source: "crm", target: "dw", carries: ["usage"], mechanism: batch_etl, frequency: daily),
          ])"#;
        let files = [("sv.ron", sv), ("div.ron", DIV)];
        let f = crate::analysis::testing::findings("data-silo", &files, State::ToBe);
        let k: Vec<String> = f.iter().map(|f| f.key()).collect();
        assert_eq!(
            k,
            [
                "data-silo/isolated-system:amp",
                "data-silo/isolated-system:crm"
            ]
        );
        assert!(
            f[0].message
                .ends_with("none of its integrations carries any of it in or out"),
            "{}",
            f[0].message
        );
        // near miss: the CRM's integration carries the account it holds
        let sv = sv.replace(r#"carries: ["usage"]"#, r#"carries: ["acct"]"#);
        let files = [("sv.ron", sv.as_str()), ("div.ron", DIV)];
        assert_eq!(
            keys("data-silo", &files, State::ToBe),
            ["data-silo/isolated-system:amp"]
        );
    }

    #[test]
    fn needed_entity_with_no_path() {
        let sv = r#"(systems: [
            (id: "cs", name: "Gainsight", kind: cs_platform, holds: [(entity: "acct", role: copy)]),
            (id: "crm", name: "CRM", kind: crm, holds: [(entity: "acct", role: record)]),
            (id: "amp", name: "Amplitude", kind: product_analytics, holds: [(entity: "usage", role: record)]),
          ], integrations: [
            (id: "i", name: "i", source: "crm", target: "cs", carries: ["acct"], mechanism: api, frequency: daily),
            (id: "j", name: "j", source: "amp", target: "crm", carries: ["acct"], mechanism: api, frequency: daily),
          ])"#;
        let ov = r#"(performers: [(id: "csm", name: "CSM")], activities: [
            (id: "health", name: "Score health", performer: "csm", stage: adopt, inputs: ["usage", "acct"], systems: ["cs"]),
          ])"#;
        let files = [("sv.ron", sv), ("div.ron", DIV), ("ov.ron", ov)];
        let k = keys("data-silo", &files, State::ToBe);
        // Amplitude's integration carries none of its usage data: its data
        // is trapped too (isolated), and usage never reaches Gainsight
        assert_eq!(
            k,
            vec![
                "data-silo/isolated-system:amp",
                "data-silo/unreachable:usage[cs,health]"
            ]
        );
        // related: where it is needed, who needs it, where it is held
        let f = crate::analysis::testing::findings("data-silo", &files, State::ToBe);
        let f: Vec<_> = f.into_iter().filter(|f| f.case == "unreachable").collect();
        let mut ids: Vec<&str> = f[0].related.iter().map(|e| e.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, vec!["amp", "cs", "health"]);
        assert_eq!(f[0].related_more, 0);
    }

    #[test]
    fn clean_when_data_flows() {
        let sv = r#"(systems: [
            (id: "cs", name: "Gainsight", kind: cs_platform),
            (id: "amp", name: "Amplitude", kind: product_analytics, holds: [(entity: "usage", role: record)]),
            (id: "dw", name: "DW", kind: data_warehouse),
          ], integrations: [
            (id: "i", name: "i", source: "amp", target: "dw", carries: ["usage"], mechanism: batch_etl, frequency: daily),
            (id: "j", name: "j", source: "dw", target: "cs", carries: ["usage"], mechanism: reverse_etl, frequency: daily),
          ])"#;
        let ov = r#"(performers: [(id: "csm", name: "CSM")], activities: [
            (id: "health", name: "Score health", performer: "csm", stage: adopt, inputs: ["usage"], systems: ["cs"]),
          ])"#;
        let files = [("sv.ron", sv), ("div.ron", DIV), ("ov.ron", ov)];
        assert!(keys("data-silo", &files, State::ToBe).is_empty());
    }

    #[test]
    fn the_fix_names_the_system_of_record_first() {
        // `usage` is held as a copy in `warehouse` (listed first) and
        // mastered in `amp`; `cs` needs it and gets it from neither
        let sv = r#"(systems: [
            (id: "warehouse", name: "DW", kind: data_warehouse, holds: [(entity: "usage", role: copy)]),
            (id: "amp", name: "Amplitude", kind: product_analytics, holds: [(entity: "usage", role: record)]),
            (id: "cs", name: "Gainsight", kind: cs_platform),
          ], integrations: [
            (id: "i", name: "i", source: "amp", target: "warehouse", carries: ["usage"], mechanism: batch_etl, frequency: daily),
          ])"#;
        let ov = r#"(performers: [(id: "csm", name: "CSM")], activities: [
            (id: "health", name: "Score health", performer: "csm", stage: adopt, inputs: ["usage"], systems: ["cs"]),
          ])"#;
        let files = [("sv.ron", sv), ("div.ron", DIV), ("ov.ron", ov)];
        let f = crate::analysis::testing::findings("data-silo", &files, State::ToBe);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].fix.starts_with("add an integration carrying `usage` to `cs` from `amp` or `warehouse` (the first is its system of record; the other has it too)"),
            "{}",
            f[0].fix
        );
    }
}
