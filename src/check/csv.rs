//! CSV as spreadsheets read it (RFC 4180): comma-separated fields, CRLF
//! line ends, a field quoted when it holds a comma, a quote or a line
//! break, quotes inside doubled. Text from a model is neutralised against
//! formula injection (OWASP "CSV injection"): a field that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so
//! Excel, LibreOffice and Google Sheets show it as text instead of
//! evaluating it. The table starts with a UTF-8 byte-order mark, without
//! which Excel reads UTF-8 as a legacy code page ("â†’" for "→").

use super::CheckResult;
use crate::analysis::PlanStatus;

/// The byte-order mark a table starts with.
pub const BOM: &str = "\u{feff}";

/// One field, escaped (see the module doc).
pub fn field(s: &str) -> String {
    let neutral = match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// A table: the header row, then every row, each field escaped.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let line = |fields: Vec<String>| fields.join(",") + "\r\n";
    let mut out = String::from(BOM);
    out.push_str(&line(header.iter().map(|h| field(h)).collect()));
    for r in rows {
        out.push_str(&line(r.iter().map(|f| field(f)).collect()));
    }
    out
}

/// The columns of `check --format csv`, in order.
const CSV_COLUMNS: [&str; 15] = [
    "state",
    "plan",
    "severity",
    "rule",
    "case",
    "key",
    "subject_kind",
    "subject",
    "file",
    "line",
    "column",
    "message",
    "fix",
    "related",
    "related_more",
];

/// `check --format csv`: one row per finding and state (state order, then
/// the analysis's order: most severe first), for the planning
/// spreadsheet. `plan` is introduced / resolved / unchanged / changed with
/// `--state both`; `related` lists the other entities as `kind:id`,
/// separated by `; `, and `related_more` how many are left out; `file`,
/// `line` and `column` locate the subject. Suppressed findings are left
/// out (as in the text output); with a baseline, a last column
/// `baselined` says yes or no.
pub fn to_csv(r: &CheckResult<'_>) -> String {
    let sources = &r.loaded.sources;
    let mut header: Vec<&str> = CSV_COLUMNS.to_vec();
    if r.baseline.is_some() {
        header.push("baselined");
    }
    let mut rows = Vec::new();
    for (state, a) in &r.states {
        for f in &a.findings {
            let key = f.key();
            let (file, line, column) = if sources.is_empty() {
                (String::new(), String::new(), String::new())
            } else {
                let lc = sources.line_col(f.subject.span);
                (
                    sources.name(f.subject.span.file).to_string(),
                    lc.line.to_string(),
                    lc.col.to_string(),
                )
            };
            let plan = match r.delta.as_ref().map(|d| d.status(&key)) {
                Some(PlanStatus::Introduced) => "introduced",
                Some(PlanStatus::Resolved) => "resolved",
                Some(PlanStatus::Unchanged) => "unchanged",
                Some(PlanStatus::Changed) => "changed",
                None => "",
            };
            let related: Vec<String> = f
                .related
                .iter()
                .map(|e| format!("{}:{}", e.kind.as_str(), e.id))
                .collect();
            let mut row = vec![
                state.as_str().to_string(),
                plan.to_string(),
                f.level.as_str().to_string(),
                f.rule.to_string(),
                f.case.to_string(),
                key.clone(),
                f.subject.kind.as_str().to_string(),
                f.subject.id.clone(),
                file,
                line,
                column,
                f.message.clone(),
                f.fix.clone(),
                related.join("; "),
                f.related_more.to_string(),
            ];
            if let Some(b) = &r.baseline {
                let yes = b.matched.contains(&key);
                row.push(if yes { "yes" } else { "no" }.to_string());
            }
            rows.push(row);
        }
    }
    table(&header, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_fields_stay_as_they_are() {
        assert_eq!(field("data-silo"), "data-silo");
        assert_eq!(field("Zendesk → Snowflake"), "Zendesk → Snowflake");
        assert_eq!(field(""), "");
        // a minus inside is harmless
        assert_eq!(field("as-is"), "as-is");
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("cr\rlf"), "\"cr\rlf\"");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("-2+3"), "'-2+3");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\t=1"), "'\t=1");
        assert_eq!(field("\r=1"), "\"'\r=1\"");
        // near miss: not at the start
        assert_eq!(field("a=1"), "a=1");
    }

    #[test]
    fn a_table_has_a_bom_a_header_and_crlf_rows() {
        let t = table(&["a", "b"], &[vec!["1".into(), "x,y".into()]]);
        assert_eq!(t, "\u{feff}a,b\r\n1,\"x,y\"\r\n");
        let empty = table(&["a"], &[]);
        assert_eq!(empty, "\u{feff}a\r\n");
    }
}
