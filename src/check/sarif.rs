//! `revarch check --format sarif`: the findings as a SARIF 2.1.0 log, the
//! format static-analysis results are exchanged in (GitHub code scanning
//! reads it).
//!
//! Mapping: one run; `tool.driver` lists every rule of [`RULES`] (id, name,
//! rationale as `shortDescription`, fix as `help`, default level). Each
//! finding key of the analysed states is one result (`ruleId`, `ruleIndex`,
//! level `error`/`warning`/`note`, the message, the subject entity's position
//! as `locations[0]`, the other entities as `relatedLocations`, the key as
//! `partialFingerprints["revarchKey/v1"]`, the states and plan status in
//! `properties`). Findings an `allow` suppresses carry an `inSource`
//! suppression; with a baseline every result has a `baselineState`, and the
//! baselined ones an `external` suppression. Model problems and baseline
//! problems are `toolExecutionNotifications`; an unusable input gives a run
//! with `executionSuccessful: false` and no results.
//!
//! The log is built from structs (fixed field order), pretty-printed, sorted
//! by key: the same input gives the same bytes.

use serde::Serialize;

use super::baseline::{LoadedBaseline, Matched};
use super::{by_key, Keyed};
use crate::analysis::{Analysis, Entity, PlanStatus, RULES};
use crate::diag::{Diagnostic, Severity, Sources};
use crate::model::syntax::Span;
use crate::model::{Kind, Level, Loaded, State};

/// The `$schema` of the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The SARIF version written.
pub const SARIF_VERSION: &str = "2.1.0";
/// The `partialFingerprints` entry holding a finding's key.
pub const FINGERPRINT: &str = "revarchKey/v1";
/// The `uriBaseId` of relative paths: the folder `revarch` ran in.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Message,
    help: Message,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    descriptor: Descriptor,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location<'static>>,
}

#[derive(Serialize)]
struct Descriptor {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "revarchKey/v1")]
    key: String,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    justification: &'a str,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    case: &'static str,
    states: Vec<State>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<PlanStatus>,
    fix: &'a str,
    /// Related entities left out of `relatedLocations` (only when > 0).
    #[serde(
        rename = "relatedMore",
        skip_serializing_if = "crate::analysis::is_zero"
    )]
    related_more: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    name: &'a str,
    fully_qualified_name: String,
    kind: Kind,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    model: &'a str,
    states: Vec<State>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<super::baseline::Summary<'a>>,
}

/// The SARIF log of a check: `states` are the analyses of a valid model,
/// `baseline` the baseline file used and how it matched.
pub fn log(
    loaded: &Loaded,
    states: &[(State, Analysis)],
    baseline: Option<(&LoadedBaseline, &Matched)>,
) -> String {
    let delta = match states {
        [(State::AsIs, a), (State::ToBe, b)] => Some(crate::analysis::PlanDelta::new(a, b)),
        _ => None,
    };
    let results = by_key(states)
        .iter()
        .map(|k| result(k, &loaded.sources, baseline.map(|(_, m)| m), delta.as_ref()))
        .collect();
    let mut notes: Vec<Notification> = loaded
        .diagnostics
        .iter()
        .map(|d| notification(d, &loaded.sources))
        .collect();
    if let Some((b, _)) = baseline {
        notes.extend(b.diagnostics.iter().map(|d| notification(d, &b.sources)));
    }
    let run = Run {
        tool: tool(),
        invocations: vec![Invocation {
            execution_successful: true,
            tool_execution_notifications: notes,
        }],
        column_kind: "unicodeCodePoints",
        results,
        properties: Some(RunProperties {
            model: &loaded.label,
            states: states.iter().map(|(s, _)| *s).collect(),
            baseline: baseline.map(|(_, m)| m.summary()),
        }),
    };
    to_string(run)
}

/// The SARIF log of a run that could not analyse: an unusable model or
/// baseline. Its problems are tool notifications, with their locations.
pub fn failed_log(problems: &[(&Diagnostic, &Sources)]) -> String {
    let run = Run {
        tool: tool(),
        invocations: vec![Invocation {
            execution_successful: false,
            tool_execution_notifications: problems
                .iter()
                .map(|(d, s)| notification(d, s))
                .collect(),
        }],
        column_kind: "unicodeCodePoints",
        results: Vec::new(),
        properties: None,
    };
    to_string(run)
}

fn to_string(run: Run<'_>) -> String {
    let doc = Log {
        schema: SCHEMA_URI,
        version: SARIF_VERSION,
        runs: vec![run],
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn tool() -> Tool {
    let non_empty = |s: &'static str| (!s.is_empty()).then_some(s);
    Tool {
        driver: Driver {
            name: "revarch",
            version: env!("CARGO_PKG_VERSION"),
            information_uri: non_empty(env!("CARGO_PKG_REPOSITORY"))
                .or(non_empty(env!("CARGO_PKG_HOMEPAGE"))),
            rules: RULES
                .iter()
                .map(|r| Rule {
                    id: r.id(),
                    name: pascal_case(r.id()),
                    short_description: Message {
                        text: r.rationale().to_string(),
                    },
                    help: Message {
                        text: r.fix().to_string(),
                    },
                    default_configuration: Configuration {
                        level: level(r.default_level()),
                    },
                })
                .collect(),
        },
    }
}

/// SARIF's level of a finding level.
pub fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
        Level::Off => "none",
    }
}

/// `data-silo` → `DataSilo` (SARIF's readable rule name).
fn pascal_case(id: &str) -> String {
    id.split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect()
}

fn result<'a>(
    k: &Keyed<'a>,
    sources: &Sources,
    baseline: Option<&'a Matched>,
    delta: Option<&crate::analysis::PlanDelta>,
) -> SarifResult<'a> {
    let f = k.finding;
    let accepted = baseline.and_then(|m| m.reason(&k.key));
    let mut suppressions = Vec::new();
    if let Some(reason) = k.allowed {
        suppressions.push(Suppression {
            kind: "inSource",
            justification: reason,
        });
    }
    if let Some(reason) = accepted {
        suppressions.push(Suppression {
            kind: "external",
            justification: reason,
        });
    }
    let plan = delta.map(|d| d.status(&k.key));
    SarifResult {
        rule_id: f.rule,
        rule_index: RULES.iter().position(|r| r.id() == f.rule).unwrap_or(0),
        level: level(f.level),
        message: Message {
            text: f.message.clone(),
        },
        locations: vec![location(&f.subject, sources, None, None)],
        related_locations: f
            .related
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let text = format!("{} `{}`", e.kind.label(), e.id);
                location(e, sources, Some(i + 1), Some(text))
            })
            .collect(),
        partial_fingerprints: Fingerprints { key: k.key.clone() },
        baseline_state: baseline.map(|_| {
            if accepted.is_some() {
                "unchanged"
            } else {
                "new"
            }
        }),
        suppressions,
        properties: ResultProperties {
            case: f.case,
            states: k.states.clone(),
            plan,
            fix: &f.fix,
            related_more: f.related_more,
        },
    }
}

fn location<'a>(
    e: &'a Entity,
    sources: &Sources,
    id: Option<usize>,
    message: Option<String>,
) -> Location<'a> {
    Location {
        id,
        physical_location: physical(e.span, sources),
        logical_locations: vec![LogicalLocation {
            name: &e.id,
            fully_qualified_name: format!("{}/{}", kind_name(e.kind), e.id),
            kind: e.kind,
        }],
        message: message.map(|text| Message { text }),
    }
}

fn kind_name(k: Kind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The file and region of a span, unless its file has no path (the bundled
/// model) or there are no sources.
fn physical(span: Span, sources: &Sources) -> Option<PhysicalLocation> {
    if sources.is_empty() || span.file as usize >= sources.len() {
        return None;
    }
    let (uri, base) = artifact_uri(sources.name(span.file))?;
    let start = sources.line_col(span);
    let end = sources.line_col(Span::new(span.file, span.end.max(span.start), span.end));
    let (end_line, end_column) = if (end.line, end.col) < (start.line, start.col) {
        (start.line, start.col)
    } else {
        (end.line, end.col)
    };
    Some(PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri,
            uri_base_id: base,
        },
        region: Region {
            start_line: start.line,
            start_column: start.col,
            end_line,
            end_column,
        },
    })
}

fn notification(d: &Diagnostic, sources: &Sources) -> Notification {
    let mut text = d.message.clone();
    for h in &d.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let locations = d
        .primary
        .as_ref()
        .and_then(|l| physical(l.span, sources))
        .map(|p| Location {
            id: None,
            physical_location: Some(p),
            logical_locations: Vec::new(),
            message: None,
        })
        .into_iter()
        .collect();
    Notification {
        level: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        message: Message { text },
        descriptor: Descriptor { id: d.code },
        locations,
    }
}

/// How a file named in diagnostics appears in SARIF: `(uri, uriBaseId)`.
/// Relative paths become relative URI references (forward slashes,
/// percent-encoded) against [`SRCROOT`]; absolute paths `file:` URIs; names
/// that are not paths (`<bundled>/sv.ron`) have none.
pub fn artifact_uri(name: &str) -> Option<(String, Option<&'static str>)> {
    uri_for(name, cfg!(windows))
}

fn uri_for(name: &str, windows: bool) -> Option<(String, Option<&'static str>)> {
    if name.is_empty() || name.starts_with('<') {
        return None;
    }
    let path = if windows {
        name.replace('\\', "/")
    } else {
        name.to_string()
    };
    let b = path.as_bytes();
    let drive = windows
        && b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && (b.len() == 2 || b[2] == b'/');
    if drive {
        return Some((
            format!("file:///{}{}", &path[..2], encode(&path[2..])),
            None,
        ));
    }
    if windows && path.starts_with("//") {
        return Some((format!("file:{}", encode(&path)), None));
    }
    if path.starts_with('/') {
        return Some((format!("file://{}", encode(&path)), None));
    }
    let mut rel = path.as_str();
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest.trim_start_matches('/');
    }
    Some((encode(rel), Some(SRCROOT)))
}

/// Percent-encodes every byte a URI path may not hold as is (RFC 3986
/// `pchar` and `/`, minus `:` so a relative path never looks like a scheme).
fn encode(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        let c = byte as char;
        if c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=@".contains(c) {
            s.push(c);
        } else {
            s.push_str(&format!("%{byte:02X}"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_encoded_uri_references() {
        let rel = |n: &str| uri_for(n, false);
        assert_eq!(
            rel("examples/governance/sv.ron"),
            Some(("examples/governance/sv.ron".into(), Some(SRCROOT)))
        );
        assert_eq!(
            rel("./models/sv.ron"),
            Some(("models/sv.ron".into(), Some(SRCROOT)))
        );
        assert_eq!(
            rel("my model/sv #1?.ron").unwrap().0,
            "my%20model/sv%20%231%3F.ron"
        );
        assert_eq!(rel("100%/ü.ron").unwrap().0, "100%25/%C3%BC.ron");
        assert_eq!(rel("c:x/sv.ron").unwrap().0, "c%3Ax/sv.ron");
        assert_eq!(rel("../up/sv.ron").unwrap().0, "../up/sv.ron");
    }

    #[test]
    fn absolute_paths_are_file_uris_and_bundled_has_none() {
        assert_eq!(
            uri_for("/tmp/a b/sv.ron", false),
            Some(("file:///tmp/a%20b/sv.ron".into(), None))
        );
        assert_eq!(
            uri_for("C:\\Models\\né\\sv.ron", true),
            Some(("file:///C:/Models/n%C3%A9/sv.ron".into(), None))
        );
        assert_eq!(
            uri_for("\\\\server\\share\\sv.ron", true),
            Some(("file://server/share/sv.ron".into(), None))
        );
        assert_eq!(
            uri_for("models\\sv.ron", true),
            Some(("models/sv.ron".into(), Some(SRCROOT)))
        );
        // On Unix a backslash is part of a file name.
        assert_eq!(uri_for("a\\b.ron", false).unwrap().0, "a%5Cb.ron");
        assert_eq!(uri_for("<bundled>/sv.ron", false), None);
        assert_eq!(uri_for("", false), None);
    }

    #[test]
    fn names_and_levels() {
        assert_eq!(
            pascal_case("system-of-record-conflict"),
            "SystemOfRecordConflict"
        );
        assert_eq!(level(Level::Info), "note");
        assert_eq!(kind_name(Kind::Entity), "entity");
    }
}
