//! `pii-exposure`: personal data held by, or flowing to, a system that no
//! privacy regulation or policy covers.

use petgraph::graph::NodeIndex;

use super::{Context, Finding, Rule};
use crate::graph::EdgeKind;
use crate::hash::{FastMap, FastSet};
use crate::model::{Kind, Level, Ref};

/// See the module documentation.
pub struct PiiExposure;

impl Rule for PiiExposure {
    fn id(&self) -> &'static str {
        Self::ID
    }
    fn default_level(&self) -> Level {
        Level::Warning
    }
    fn rationale(&self) -> &'static str {
        "Personal data in a system outside every privacy standard's scope is a compliance gap (GDPR art. 30, CCPA)."
    }
    fn fix(&self) -> &'static str {
        "Add the system to `applies_to` of the privacy regulation, or stop sending personal data there."
    }
    fn check(&self, cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
        let g = cx.graph;
        // privacy standards in force: (systems covered, entities concerned;
        // empty = all personal data)
        let mut standards: Vec<(NodeIndex, FastSet<NodeIndex>, FastSet<NodeIndex>)> = Vec::new();
        for s in g.present_of(Kind::Standard, cx.state) {
            if let Ref::Standard(def) = g.entity(s) {
                if def.kind.is_privacy() {
                    let (systems, entities) = g
                        .out(s, EdgeKind::AppliesTo)
                        .partition(|&t| g.entity(t).kind() == Kind::System);
                    standards.push((s, systems, entities));
                }
            }
        }
        let covered = |s: NodeIndex, e: NodeIndex| {
            standards.iter().any(|(_, systems, entities)| {
                systems.contains(&s) && (entities.is_empty() || entities.contains(&e))
            })
        };
        // system -> personal data available there, in model order of the
        // entities: walks each entity's reach once instead of asking every
        // (system, entity) pair
        let mut available: FastMap<NodeIndex, Vec<NodeIndex>> = FastMap::default();
        for e in g
            .nodes_of(Kind::Entity)
            .filter(|&e| matches!(g.entity(e), Ref::Entity(d) if d.is_pii()))
        {
            for &s in cx.flow.of(e).reach.keys() {
                if cx.net.contains(s) && !covered(s, e) {
                    available.entry(s).or_default().push(e);
                }
            }
        }
        for &s in &cx.net.systems {
            let exposed: &[NodeIndex] = available.get(&s).map(Vec::as_slice).unwrap_or(&[]);
            if exposed.is_empty() {
                continue;
            }
            let held = exposed.iter().all(|&e| g.held_by(s).any(|(h, _)| h == e));
            // privacy standards that list the system, but for other data
            let partial: Vec<NodeIndex> = standards
                .iter()
                .filter(|(_, systems, _)| systems.contains(&s))
                .map(|(k, _, _)| *k)
                .collect();
            let why = if partial.is_empty() {
                "no privacy regulation or policy covers it".to_string()
            } else {
                format!(
                    "{} {} it only for other data",
                    cx.list(&partial, 3),
                    crate::words::agree(partial.len(), "covers", "cover")
                )
            };
            let fix = if standards.is_empty() {
                "add a privacy standard (e.g. GDPR: `kind: regulation(privacy: true)`) that applies to this system".to_string()
            } else if !partial.is_empty() {
                format!(
                    "add {} to `applies_to` of `{}`, or stop sending that personal data to `{}`",
                    cx.list(exposed, 4),
                    cx.id(partial[0]),
                    cx.id(s)
                )
            } else {
                format!(
                    "add `{}` to `applies_to` of the privacy regulation, or stop sending personal data to it",
                    cx.id(s)
                )
            };
            let mut related = exposed.to_vec();
            related.extend(&partial);
            out.push(cx.finding(
                self,
                "uncovered-system",
                s,
                &related,
                format!(
                    "{} (`{}`) {} personal data ({}) but {why}",
                    super::text(g.entity(s).name()),
                    cx.id(s),
                    if held { "holds" } else { "receives" },
                    cx.list(exposed, 4)
                ),
                fix,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::keys;
    use crate::model::State;

    const SV: &str = r#"(systems: [
        (id: "crm", name: "CRM", kind: crm, holds: [(entity: "contact", role: record), (entity: "acct", role: record)]),
        (id: "sheet", name: "Sheets", kind: spreadsheet),
      ], integrations: [
        (id: "x", name: "export", source: "crm", target: "sheet", carries: ["contact", "acct"], mechanism: manual_export, frequency: weekly),
      ])"#;
    const DIV: &str = r#"(entities: [(id: "contact", name: "Contact", classification: pii), (id: "acct", name: "Account",
        attributes: [(name: "name")])])"#;

    #[test]
    fn pii_flowing_to_uncovered_system() {
        let stdv = r#"(standards: [(id: "gdpr", name: "GDPR", kind: regulation(privacy: true), applies_to: ["crm"])])"#;
        let files = [("sv.ron", SV), ("div.ron", DIV), ("stdv.ron", stdv)];
        assert_eq!(
            keys("pii-exposure", &files, State::ToBe),
            vec!["pii-exposure/uncovered-system:sheet"]
        );
    }

    #[test]
    fn covered_everywhere_is_clean() {
        let stdv = r#"(standards: [(id: "gdpr", name: "GDPR", kind: regulation(privacy: true), applies_to: ["crm", "sheet", "contact"]),
                                   (id: "soc2", name: "SOC 2", kind: regulation())])"#;
        let files = [("sv.ron", SV), ("div.ron", DIV), ("stdv.ron", stdv)];
        assert!(keys("pii-exposure", &files, State::ToBe).is_empty());
    }

    #[test]
    fn a_system_covered_for_other_data_says_so() {
        // GDPR lists the sheet but only for accounts; contacts reach it too
        let div = r#"(entities: [(id: "contact", name: "Contact", classification: pii),
            (id: "acct", name: "Account", classification: pii)])"#;
        let stdv = r#"(standards: [(id: "gdpr", name: "GDPR", kind: regulation(privacy: true), applies_to: ["crm", "sheet", "acct"]),
                                   (id: "policy", name: "Policy", kind: policy(privacy: true), applies_to: ["crm", "contact"])])"#;
        let files = [("sv.ron", SV), ("div.ron", div), ("stdv.ron", stdv)];
        let f = crate::analysis::testing::findings("pii-exposure", &files, State::ToBe);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].message,
            "Sheets (`sheet`) receives personal data (`contact`) but `gdpr` covers it only for other data"
        );
        assert!(
            f[0].fix
                .starts_with("add `contact` to `applies_to` of `gdpr`"),
            "{}",
            f[0].fix
        );
    }
}
