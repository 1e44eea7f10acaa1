//! CSV as spreadsheets read it (RFC 4180): comma-separated fields, CRLF
//! line ends, a field quoted when it holds a comma, a quote or a line
//! break, quotes inside doubled. Text from a model is neutralised against
//! formula injection (OWASP "CSV injection"): a field that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so
//! Excel, LibreOffice and Google Sheets show it as text instead of
//! evaluating it. The table starts with a UTF-8 byte-order mark, without
//! which Excel reads UTF-8 as a legacy code page ("â†’" for "→").

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
