use super::*;
use crate::graph::tests::model;
use crate::model::Model;

fn diff_models(old: &Model, new: &Model, renames: bool) -> ModelDiff {
    compare(
        &Graph::build(old),
        &Graph::build(new),
        Options {
            detect_renames: renames,
        },
    )
}

const DIV: &str = r#"(entities: [(id: "lead", name: "Lead"), (id: "deal", name: "Deal")])"#;
const STDV: &str = r#"(standards: [(id: "conv", name: "Conversion", kind: kpi(formula: "deals ÷ leads", unit: "%", computed_from: ["lead"], computed_in: "dw"))])"#;
const OV: &str = r#"(performers: [(id: "sales", name: "Sales")],
    activities: [(id: "report", name: "Report", performer: "sales", stage: report, inputs: ["lead"], systems: ["dw"])])"#;
const SV: &str = r#"(systems: [
        (id: "crm", name: "CRM", kind: crm, holds: [(entity: "lead", role: record), (entity: "deal", role: record)]),
        (id: "dw", name: "Warehouse", kind: data_warehouse),
    ], integrations: [
        (id: "crm-dw", name: "CRM → DW", source: "crm", target: "dw", carries: ["lead", "deal"], mechanism: batch_etl, frequency: daily),
    ])"#;

fn base(sv: &str) -> Model {
    model(&[
        ("sv.ron", sv),
        ("div.ron", DIV),
        ("stdv.ron", STDV),
        ("ov.ron", OV),
    ])
}

#[test]
fn reordering_and_reformatting_is_no_change() {
    let reordered = r#"(
        integrations: [(frequency: daily, mechanism: batch_etl, carries: ["deal", "lead"], target: "dw", source: "crm", name: "CRM → DW", id: "crm-dw")],
        systems: [
            (id: "dw", name: "Warehouse", kind: data_warehouse, lifecycle: current, holds: []),
            (id: "crm", kind: crm, name: "CRM", holds: [(role: record, entity: "deal"), (entity: "lead", role: record)]),
        ],
    )"#;
    let d = diff_models(&base(SV), &base(reordered), false);
    assert!(d.is_empty(), "{d:#?}");
    assert!(d.lineage.is_empty() && d.impact.is_empty());
    assert!(d
        .findings
        .iter()
        .all(|f| f.status == FindingStatus::Unchanged));
}

#[test]
fn field_changes_relations_impact_and_lineage() {
    let new_sv = SV
        .replace(r#"carries: ["lead", "deal"]"#, r#"carries: ["deal"]"#)
        .replace("frequency: daily", "frequency: hourly");
    let d = diff_models(&base(SV), &base(&new_sv), false);
    assert_eq!(d.entities.len(), 1);
    let e = &d.entities[0];
    assert_eq!(
        (e.kind, e.id.as_str(), e.change),
        (Kind::Integration, "crm-dw", Change::Changed)
    );
    let fields: Vec<(String, FieldOp)> = e.fields.iter().map(|f| (f.field.clone(), f.op)).collect();
    assert_eq!(
        fields,
        vec![
            ("carries".to_string(), FieldOp::Removed),
            ("frequency".to_string(), FieldOp::Set)
        ]
    );
    assert_eq!(
        d.relations,
        vec![RelationChange {
            change: Change::Removed,
            relation: "carries",
            from: "crm-dw".into(),
            to: "lead".into(),
            via: None
        }]
    );
    assert_eq!(sentence(&d.relations[0]), "`crm-dw` carries `lead`");
    // Lead no longer reaches the warehouse, in both states.
    assert_eq!(
        d.lineage,
        vec![LineageChange {
            entity: "lead".into(),
            states: vec![State::AsIs, State::ToBe],
            gained: vec![],
            lost: vec!["dw".into()]
        }]
    );
    let imp = &d.impact[0];
    assert_eq!(imp.id, "crm-dw");
    assert_eq!(imp.activities, vec!["report".to_string()], "{imp:?}");
    assert_eq!(imp.kpis, vec!["conv".to_string()]);
    assert_eq!(imp.entities, vec!["lead".to_string()]);
    // …and the report and the KPI computed in the warehouse lose their data.
    let introduced: Vec<&str> = d
        .findings_with(FindingStatus::Introduced)
        .map(|f| f.rule)
        .collect();
    assert!(introduced.contains(&"data-silo"), "{introduced:?}");
}

#[test]
fn renames_pair_and_rewrite_references() {
    let renamed = SV.replace(r#""dw""#, r#""snowflake""#);
    let stdv = STDV.replace(r#""dw""#, r#""snowflake""#);
    let ov = OV.replace(r#""dw""#, r#""snowflake""#);
    let new = model(&[
        ("sv.ron", &renamed),
        ("div.ron", DIV),
        ("stdv.ron", &stdv),
        ("ov.ron", &ov),
    ]);
    // Without detection: a removal, an addition, and everything that referred to it changed.
    let plain = diff_models(&base(SV), &new, false);
    let changes: Vec<(&str, Change)> = plain
        .entities
        .iter()
        .map(|e| (e.id.as_str(), e.change))
        .collect();
    assert_eq!(
        changes,
        vec![
            ("report", Change::Changed),
            ("dw", Change::Removed),
            ("snowflake", Change::Added),
            ("crm-dw", Change::Changed),
            ("conv", Change::Changed),
        ]
    );
    // With detection: one rename, nothing else.
    let d = diff_models(&base(SV), &new, true);
    assert_eq!(d.entities.len(), 1, "{:#?}", d.entities);
    assert_eq!(d.entities[0].change, Change::Renamed);
    assert_eq!(d.entities[0].old_id.as_deref(), Some("dw"));
    assert!(d.entities[0].fields.is_empty());
    assert!(d.relations.is_empty(), "{:?}", d.relations);
    assert!(d.lineage.is_empty(), "{:?}", d.lineage);
    assert!(d
        .findings
        .iter()
        .all(|f| f.status == FindingStatus::Unchanged));
}

#[test]
fn added_and_removed_entities_and_settings() {
    let new_sv = SV.replace(
        "    ], integrations",
        r#"    (id: "ma", name: "Marketo", kind: marketing_automation, holds: [(entity: "lead", role: copy)]),
    ], integrations"#,
    );
    let old = base(SV);
    let new = model(&[
        ("sv.ron", &new_sv),
        ("div.ron", DIV),
        ("stdv.ron", STDV),
        ("ov.ron", OV),
        (
            "av.ron",
            r#"(plan_period: "FY2028", settings: (rules: {"data-silo": error}))"#,
        ),
    ]);
    let d = diff_models(&old, &new, false);
    assert_eq!(d.entities.len(), 1);
    assert_eq!(d.entities[0].change, Change::Added);
    let settings: Vec<&str> = d.settings.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(settings, vec!["plan_period", "settings.rules.data-silo"]);
    let silo = d
        .findings_with(FindingStatus::Introduced)
        .find(|f| f.rule == "data-silo")
        .expect("silo introduced");
    assert_eq!(silo.level, Level::Error);
    assert_eq!(silo.states, vec![State::AsIs, State::ToBe]);
    assert!(silo.in_new);
    // The other way round, the silo is resolved and located in OLD's files.
    let back = diff_models(&new, &old, false);
    assert_eq!(back.entities[0].change, Change::Removed);
    let resolved = back
        .findings_with(FindingStatus::Resolved)
        .find(|f| f.rule == "data-silo")
        .expect("silo resolved");
    assert!(!resolved.in_new);
}

#[test]
fn example_pair_gives_exactly_the_planted_changes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/diff");
    let read = |side: &str| {
        crate::model::read(
            &crate::model::ModelSource::Path(root.join(side)),
            crate::analysis::RULE_IDS,
        )
    };
    let (old, new) = (read("before"), read("after"));
    assert!(!old.has_errors() && !new.has_errors());
    let d = compare(
        &Graph::build(&old.model),
        &Graph::build(&new.model),
        Options::default(),
    );
    let changes: Vec<String> = d
        .entities
        .iter()
        .map(|e| {
            let fields: Vec<String> = e.fields.iter().map(|f| f.field.clone()).collect();
            format!("{} {} [{}]", e.change.as_str(), e.id, fields.join(","))
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            "changed zoom [lifecycle]",
            "changed chargebee-xero [frequency]",
            "added mailchimp-hubspot []",
            "changed zoom-bigquery [lifecycle]",
        ]
    );
    let delta: Vec<String> = d
        .findings
        .iter()
        .filter(|f| f.status != FindingStatus::Unchanged)
        .map(|f| format!("{:?} {} {:?}", f.status, f.key, f.states))
        .collect();
    assert_eq!(
        delta,
        vec![
            "Introduced orphan-integration/retired-endpoint:zoom-hubspot [ToBe]",
            "Resolved data-silo/isolated-system:mailchimp [AsIs, ToBe]",
        ]
    );
    let report = output::DiffReport {
        diff: &d,
        old: output::SideInfo {
            label: "before",
            loaded: &old,
        },
        new: output::SideInfo {
            label: "after",
            loaded: &new,
        },
        fail_on_new: Some(Level::Warning),
        mermaid: None,
    };
    println!("{}", output::to_text(&report, false));
    println!("{}", output::to_markdown(&report));
}

#[test]
fn markdown_neutralises_hostile_model_text() {
    let hostile = r#"<script>alert(1)</script> | @org/team #12 `x` [l](http://e) **b** $m$"#;
    let new_sv = SV.replace(r#"name: "Warehouse""#, &format!("name: {hostile:?}"));
    let old = crate::model::read_texts(
        &[
            ("sv.ron", SV),
            ("div.ron", DIV),
            ("stdv.ron", STDV),
            ("ov.ron", OV),
        ],
        crate::analysis::RULE_IDS,
    );
    let new = crate::model::read_texts(
        &[
            ("sv.ron", &new_sv),
            ("div.ron", DIV),
            ("stdv.ron", STDV),
            ("ov.ron", OV),
        ],
        crate::analysis::RULE_IDS,
    );
    let d = compare(
        &Graph::build(&old.model),
        &Graph::build(&new.model),
        Options::default(),
    );
    let r = output::DiffReport {
        diff: &d,
        old: output::SideInfo {
            label: "a|<b>",
            loaded: &old,
        },
        new: output::SideInfo {
            label: "new",
            loaded: &new,
        },
        fail_on_new: None,
        mermaid: Some("flowchart LR\n```\n# injected".into()),
    };
    let md = output::to_markdown(&r);
    for bad in [
        "<script", "@org", "#12 ", "[l](http", "**b**", "$m$", "a|<b>", "```",
    ] {
        assert!(!md.contains(bad), "{bad} survives in:\n{md}");
    }
    assert!(md.contains("&lt;script&gt;"), "{md}");
    // The name change is one field change, in one table row.
    assert_eq!(d.entities.len(), 1);
    let rows = md
        .lines()
        .filter(|l| l.contains("<code>name</code>"))
        .count();
    assert_eq!(rows, 1, "{md}");
}

/// The generated model of `systems` systems, and a copy with every
/// integration id renamed (`x` → `x-v2`; integrations are referenced by no
/// other entity).
fn generated_with_renamed_integrations(systems: usize) -> (Model, Model, usize) {
    let files = crate::gen::generate(&crate::gen::GenOptions { systems, seed: 1 });
    let mut renamed_files = files.clone();
    let mut integrations = 0;
    for (name, text) in &mut renamed_files {
        if *name != "sv.ron" {
            continue;
        }
        let start = text.find("integrations: [").expect("integrations");
        let mut out = text[..start].to_string();
        for line in text[start..].split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("id: \"") {
                let indent = &line[..line.len() - trimmed.len()];
                let (id, tail) = rest.split_once('"').expect("closing quote");
                out.push_str(&format!("{indent}id: \"{id}-v2\"{tail}"));
                integrations += 1;
            } else {
                out.push_str(line);
            }
        }
        *text = out;
    }
    let load = |f: &[(&'static str, String)]| {
        let v: Vec<(&str, &str)> = f.iter().map(|(n, t)| (*n, t.as_str())).collect();
        model(&v)
    };
    (load(&files), load(&renamed_files), integrations)
}

/// `--detect-renames` compared every removed entity with every added one of
/// its kind (3,000 systems: 108 s). The work must grow linearly: counted in
/// pair comparisons, not timed.
#[test]
fn rename_detection_work_is_bounded() {
    let (old, new, n) = generated_with_renamed_integrations(400);
    assert!(n > 500, "{n} integrations");
    let (o, nw) = (entities::Side::new(&old), entities::Side::new(&new));
    let (renames, compared) = entities::detect_renames_counted(&o, &nw);
    // Every integration is found under its new id.
    assert_eq!(renames.len(), n);
    assert!(renames.iter().all(|(a, b)| *b == format!("{a}-v2")));
    // Quadratic would be n² (> 250,000 here); the bound is per removed entity.
    let bound = entities::RENAME_CANDIDATES_MAX * n;
    assert!(
        compared <= bound,
        "{compared} comparisons for {n} renamed integrations (bound {bound})"
    );
}

#[test]
fn a_finding_whose_reason_changes_is_one_changed_row_counted_once() {
    // OLD: `web` is current and ignores what `u` delivers (target-never-uses
    // in both states); NEW: `web` retires (after the plan: retired-endpoint)
    let sv = |lifecycle: &str| {
        format!(
            r#"(systems: [
            (id: "crm", name: "CRM", kind: crm, owner: "sales", holds: [(entity: "lead", role: record)]),
            (id: "web", name: "Webinar", kind: webinar, owner: "sales", lifecycle: {lifecycle}),
          ], integrations: [
            (id: "u", name: "u", source: "crm", target: "web", carries: ["lead"], mechanism: api, frequency: daily),
          ])"#
        )
    };
    let m = |lifecycle: &str| {
        let s = sv(lifecycle);
        model(&[
            ("sv.ron", s.as_str()),
            (
                "div.ron",
                r#"(entities: [(id: "lead", name: "Lead", owner: "sales")])"#,
            ),
            ("ov.ron", r#"(performers: [(id: "sales", name: "Sales")])"#),
        ])
    };
    let d = diff_models(&m("current"), &m("retiring"), false);
    let orphan: Vec<(FindingStatus, &str, Option<&str>)> = d
        .findings
        .iter()
        .filter(|f| f.rule == "orphan-integration")
        .map(|f| (f.status, f.key.as_str(), f.case_before))
        .collect();
    assert!(
        orphan.contains(&(
            FindingStatus::Changed,
            "orphan-integration/retired-endpoint:u",
            Some("target-never-uses")
        )),
        "{orphan:?}"
    );
    assert!(
        !orphan
            .iter()
            .any(|(s, _, _)| matches!(s, FindingStatus::Introduced | FindingStatus::Resolved)),
        "never resolved and introduced: {orphan:?}"
    );
    // counted once although the as-is state still has it unchanged
    let counts = d.finding_counts();
    assert_eq!(counts.get(&FindingStatus::Changed), Some(&1), "{counts:?}");
    assert_eq!(counts.get(&FindingStatus::Unchanged), None, "{counts:?}");
    // and the lifecycle change has its word
    let web = d.entities.iter().find(|e| e.id == "web").unwrap();
    assert_eq!(web.lifecycle_word(), Some("retired"));
    let back = diff_models(&m("retiring"), &m("current"), false);
    let web = back.entities.iter().find(|e| e.id == "web").unwrap();
    assert_eq!(web.lifecycle_word(), Some("un-retired"));
}
