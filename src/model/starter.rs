//! The starter model `revarch init` writes: the five viewpoint files of a
//! small company (two teams, three systems, one integration, one data
//! entity, one KPI), each explaining its viewpoint in comments. The files
//! are `examples/starter/`, so `tests/examples.rs` keeps them loading with
//! no findings in either state.

use super::load::VIEWPOINT_FILES;

/// File name and text of each starter file, in viewpoint order.
pub const FILES: [(&str, &str); 5] = [
    (
        VIEWPOINT_FILES[0],
        include_str!("../../examples/starter/av.ron"),
    ),
    (
        VIEWPOINT_FILES[1],
        include_str!("../../examples/starter/ov.ron"),
    ),
    (
        VIEWPOINT_FILES[2],
        include_str!("../../examples/starter/sv.ron"),
    ),
    (
        VIEWPOINT_FILES[3],
        include_str!("../../examples/starter/stdv.ron"),
    ),
    (
        VIEWPOINT_FILES[4],
        include_str!("../../examples/starter/div.ron"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyse, RULE_IDS};
    use crate::graph::Graph;
    use crate::model::State;

    #[test]
    fn the_starter_model_loads_clean_in_both_states() {
        let loaded = crate::model::read_texts(&FILES, RULE_IDS);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let g = Graph::build(&loaded.model);
        for state in State::ALL {
            let a = analyse(&g, state);
            assert!(a.findings.is_empty(), "{state:?}: {:?}", a.findings);
        }
        let c = loaded.model.counts();
        assert_eq!(
            (
                c.performers,
                c.systems,
                c.integrations,
                c.entities,
                c.standards
            ),
            (2, 3, 1, 1, 1)
        );
    }
}
