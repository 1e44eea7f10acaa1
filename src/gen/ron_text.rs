//! Writing RON text directly into a `String`, in the layout of the reference
//! model (`models/`): one record per entity, one field per line, short lists
//! inline, long lists wrapped at 100 columns.

/// Indentation of a record in a top-level list.
const ITEM: &str = "        ";
/// Indentation of a record's fields.
const FIELD: &str = "            ";
/// Where lines wrap.
const WIDTH: usize = 100;

/// Appends `s` as a RON string literal.
pub(super) fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A list of records being written (`systems: [ … ]`'s contents).
#[derive(Default)]
pub(super) struct List {
    /// The text so far.
    pub text: String,
}

impl List {
    /// Starts a record.
    pub fn open(&mut self) {
        self.text.push_str(ITEM);
        self.text.push_str("(\n");
    }

    /// Ends a record.
    pub fn close(&mut self) {
        self.text.push_str(ITEM);
        self.text.push_str("),\n");
    }

    /// `key: "value",`
    pub fn str(&mut self, key: &str, value: &str) {
        self.text.push_str(FIELD);
        self.text.push_str(key);
        self.text.push_str(": ");
        push_quoted(&mut self.text, value);
        self.text.push_str(",\n");
    }

    /// `key: "value",` when there is a value.
    pub fn opt(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.str(key, v);
        }
    }

    /// `key: value,` with `value` written as is (enum variants, numbers,
    /// nested records).
    pub fn raw(&mut self, key: &str, value: &str) {
        self.text.push_str(FIELD);
        self.text.push_str(key);
        self.text.push_str(": ");
        self.text.push_str(value);
        self.text.push_str(",\n");
    }

    /// `key: ["a", "b"],` — nothing for an empty list; wrapped when long.
    pub fn list<S: AsRef<str>>(&mut self, key: &str, items: &[S]) {
        if items.is_empty() {
            return;
        }
        self.text.push_str(FIELD);
        quoted_list(&mut self.text, FIELD, key, items);
        self.text.push_str(",\n");
    }

    /// `key: [],` even when empty (for fields whose emptiness matters).
    pub fn list_always<S: AsRef<str>>(&mut self, key: &str, items: &[S]) {
        if items.is_empty() {
            self.raw(key, "[]");
        } else {
            self.list(key, items);
        }
    }

    /// `key: [` one nested record per line `],` — nothing when empty.
    pub fn rows(&mut self, key: &str, rows: &[String]) {
        if rows.is_empty() {
            return;
        }
        self.text.push_str(FIELD);
        self.text.push_str(key);
        self.text.push_str(": [\n");
        for r in rows {
            self.text.push_str(FIELD);
            self.text.push_str("    ");
            self.text.push_str(r);
            self.text.push_str(",\n");
        }
        self.text.push_str(FIELD);
        self.text.push_str("],\n");
    }

    /// A comment line (or several, wrapped) before the next record.
    pub fn comment(&mut self, text: &str) {
        comment(&mut self.text, ITEM, text);
    }

    /// A section divider: `// ---- title ----…`.
    pub fn section(&mut self, title: &str) {
        self.text.push_str(ITEM);
        self.text.push_str("// ---- ");
        self.text.push_str(title);
        self.text.push(' ');
        let used = ITEM.len() + 8 + title.chars().count() + 1;
        for _ in 0..WIDTH.saturating_sub(used).max(3) {
            self.text.push('-');
        }
        self.text.push('\n');
    }
}

/// `key: ["a", "b"]` at the current position (the caller wrote the
/// indentation and writes what follows), wrapped under `indent` when long.
pub(super) fn quoted_list<S: AsRef<str>>(out: &mut String, indent: &str, key: &str, items: &[S]) {
    out.push_str(key);
    out.push_str(": [");
    let inline: usize = items.iter().map(|s| s.as_ref().len() + 4).sum::<usize>();
    if indent.len() + key.len() + 4 + inline <= WIDTH {
        for (i, s) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            push_quoted(out, s.as_ref());
        }
        out.push(']');
        return;
    }
    out.push('\n');
    let mut col = 0;
    for s in items {
        let s = s.as_ref();
        if col > 0 && col + s.len() + 4 > WIDTH {
            out.push('\n');
            col = 0;
        }
        if col == 0 {
            out.push_str(indent);
            out.push_str("    ");
            col = indent.len() + 4;
        } else {
            out.push(' ');
            col += 1;
        }
        push_quoted(out, s);
        out.push(',');
        col += s.len() + 3;
    }
    out.push('\n');
    out.push_str(indent);
    out.push(']');
}

/// Writes `text` as `//` comment lines at `indent`, wrapped at 100 columns.
pub(super) fn comment(out: &mut String, indent: &str, text: &str) {
    let mut col = 0;
    for word in text.split_whitespace() {
        if col > 0 && col + 1 + word.chars().count() > WIDTH {
            out.push('\n');
            col = 0;
        }
        if col == 0 {
            out.push_str(indent);
            out.push_str("//");
            col = indent.len() + 2;
        }
        out.push(' ');
        out.push_str(word);
        col += 1 + word.chars().count();
    }
    if col > 0 {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_quotes_backslashes_and_controls() {
        let mut s = String::new();
        push_quoted(&mut s, "a \"b\" \\ c\td\ne");
        assert_eq!(s, r#""a \"b\" \\ c d\ne""#);
    }

    #[test]
    fn short_lists_stay_inline_long_ones_wrap() {
        let mut l = List::default();
        l.list("carries", &["lead", "contact"]);
        assert_eq!(l.text, "            carries: [\"lead\", \"contact\"],\n");
        let many: Vec<String> = (0..40).map(|i| format!("system-{i}")).collect();
        let mut l = List::default();
        l.list("applies_to", &many);
        assert!(l.text.lines().count() > 3);
        assert!(l.text.lines().all(|line| line.len() <= WIDTH), "{}", l.text);
        assert!(l.text.ends_with("            ],\n"));
        let mut l = List::default();
        l.list::<&str>("carries", &[]);
        assert!(l.text.is_empty());
        l.list_always::<&str>("carries", &[]);
        assert_eq!(l.text, "            carries: [],\n");
    }

    #[test]
    fn comments_wrap() {
        let mut s = String::new();
        comment(&mut s, "    ", &"word ".repeat(50));
        assert!(s.lines().count() > 1);
        assert!(s
            .lines()
            .all(|l| l.starts_with("    // ") && l.len() <= WIDTH));
    }
}
