//! The parser's literals: strings (plain and raw), characters, bytes and
//! numbers, each to a [`Value`] or a [`SyntaxError`] that says what a
//! valid literal looks like.

use super::*;

impl<'a> Parser<'a> {
    // --- strings and characters --------------------------------------------------------

    fn unterminated(&self, mode: EscapeMode, lit_start: usize) -> SyntaxError {
        match mode {
            EscapeMode::Str => self.err_help(
                lit_start,
                lit_start + 1,
                "unterminated string",
                "close it with `\"`",
            ),
            EscapeMode::Char => self.err_help(
                lit_start,
                lit_start + 1,
                "unterminated character literal",
                "close it with `'`; strings use double quotes",
            ),
            EscapeMode::Byte => self.err_help(
                lit_start,
                lit_start + 2,
                "unterminated byte literal",
                "close it with `'`",
            ),
        }
    }

    /// Reads the escape sequence whose backslash is at `i`; returns it and the index
    /// after it. `lit_start` is where the enclosing literal starts.
    fn escape(&self, i: usize, mode: EscapeMode, lit_start: usize) -> PResult<(Escaped, usize)> {
        let Some(c) = self.char_at(i + 1) else {
            return Err(self.unterminated(mode, lit_start));
        };
        let simple = match c {
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            '0' => Some('\0'),
            '\\' => Some('\\'),
            '"' => Some('"'),
            '\'' => Some('\''),
            _ => None,
        };
        if let Some(ch) = simple {
            return Ok((Escaped::Char(ch), i + 2));
        }
        match c {
            'x' => {
                let first = self.hex_escape(i)?;
                let mut at = i + 4;
                if first.is_ascii() {
                    return Ok((Escaped::Char(char::from(first)), at));
                }
                match mode {
                    EscapeMode::Byte => Ok((Escaped::Byte(first), at)),
                    EscapeMode::Char => Err(self.err_help(
                        i,
                        at,
                        format!("invalid escape `{}` in a character literal", self.slice(i, at)),
                        "`\\x` writes an ASCII character (`\\x00` to `\\x7F`); use `\\u{…}` for others",
                    )),
                    EscapeMode::Str => {
                        // Several `\xNN` escapes may spell one UTF-8 encoded character.
                        let mut buf = [first, 0, 0, 0];
                        for k in 1..4 {
                            if !self.starts_with(at, b"\\x") {
                                break;
                            }
                            buf[k] = self.hex_escape(at)?;
                            at += 4;
                            if let Some(ch) = std::str::from_utf8(&buf[..=k])
                                .ok()
                                .and_then(|s| s.chars().next())
                            {
                                return Ok((Escaped::Char(ch), at));
                            }
                        }
                        Err(self.err_help(
                            i,
                            at,
                            format!("invalid UTF-8 in escape `{}`", self.slice(i, at)),
                            "use `\\u{…}` to write a non-ASCII character",
                        ))
                    }
                }
            }
            'u' => {
                if mode == EscapeMode::Byte {
                    return Err(self.err(
                        i,
                        i + 2,
                        "unicode escapes are not allowed in byte literals",
                    ));
                }
                if self.byte(i + 2) != Some(b'{') {
                    return Err(self.err_help(
                        i,
                        i + 2,
                        "invalid unicode escape: expected `{` after `\\u`",
                        "write unicode escapes like `\\u{1F600}`",
                    ));
                }
                let mut j = i + 3;
                let mut code: u32 = 0;
                let mut digits = 0;
                while digits < 6 {
                    match self.byte(j) {
                        Some(b'}') => break,
                        Some(b) => match hex_value(b) {
                            Some(d) => {
                                code = code * 16 + d;
                                digits += 1;
                                j += 1;
                            }
                            None => {
                                let end = j + self.char_at(j).map_or(1, char::len_utf8);
                                return Err(self.err_help(
                                    i,
                                    end,
                                    format!("invalid unicode escape `{}`", self.slice(i, end)),
                                    "a unicode escape holds 1 to 6 hexadecimal digits, like `\\u{1F600}`",
                                ));
                            }
                        },
                        None => return Err(self.unterminated(mode, lit_start)),
                    }
                }
                if digits == 0 {
                    return Err(self.err(i, j + 1, "empty unicode escape `\\u{}`"));
                }
                if self.byte(j) != Some(b'}') {
                    return Err(self.err_help(
                        i,
                        j,
                        format!("invalid unicode escape `{}`", self.slice(i, j)),
                        "a unicode escape holds at most 6 hexadecimal digits and ends with `}`",
                    ));
                }
                j += 1;
                match char::from_u32(code) {
                    Some(ch) => Ok((Escaped::Char(ch), j)),
                    None => Err(self.err(
                        i,
                        j,
                        format!(
                            "invalid unicode escape `{}`: U+{code:X} is not a character",
                            self.slice(i, j)
                        ),
                    )),
                }
            }
            '\n' | '\r'
                if mode == EscapeMode::Str && (c == '\n' || self.starts_with(i + 1, b"\r\n")) =>
            {
                let mut j = if c == '\n' { i + 2 } else { i + 3 };
                j = self.scan_bytes(j, |b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
                Ok((Escaped::Continuation, j))
            }
            other => {
                let end = i + 1 + other.len_utf8();
                Err(self.err_help(
                    i,
                    end,
                    format!("invalid escape `\\{}`", other.escape_default()),
                    VALID_ESCAPES,
                ))
            }
        }
    }

    /// The byte of the `\xNN` escape at `i`.
    fn hex_escape(&self, i: usize) -> PResult<u8> {
        match (
            self.byte(i + 2).and_then(hex_value),
            self.byte(i + 3).and_then(hex_value),
        ) {
            // Two hex digits always fit in a byte.
            (Some(hi), Some(lo)) => Ok((hi * 16 + lo) as u8),
            _ => {
                let end = self.scan_chars(i + 2, |c| c.is_ascii_hexdigit()).min(i + 4);
                Err(self.err_help(
                    i,
                    end.max(i + 2),
                    format!("invalid escape `{}`", self.slice(i, end.max(i + 2))),
                    "`\\x` must be followed by two hexadecimal digits, like `\\x41`",
                ))
            }
        }
    }

    pub(super) fn string(&mut self) -> PResult<Value> {
        let start = self.pos;
        let mut i = start + 1;
        let mut segment = i;
        let mut owned: Option<String> = None;
        loop {
            let rest = self.bytes.get(i..).unwrap_or_default();
            let Some(k) = rest.iter().position(|&b| b == b'"' || b == b'\\') else {
                return Err(self.unterminated(EscapeMode::Str, start));
            };
            i += k;
            if self.byte(i) == Some(b'"') {
                let text = self.slice(segment, i);
                let s = match owned {
                    None => text.to_owned(),
                    Some(mut s) => {
                        s.push_str(text);
                        s
                    }
                };
                self.pos = i + 1;
                return Ok(Value {
                    kind: ValueKind::Str(s),
                    span: self.span(start, self.pos),
                });
            }
            let s = owned.get_or_insert_with(String::new);
            s.push_str(self.slice(segment, i));
            let (escaped, next) = self.escape(i, EscapeMode::Str, start)?;
            match escaped {
                Escaped::Char(c) => s.push(c),
                Escaped::Byte(b) => s.push(char::from(b)),
                Escaped::Continuation => {}
            }
            i = next;
            segment = next;
        }
    }

    /// `r"…"`, `r#"…"#`, …; `self.pos` is at the `r`.
    pub(super) fn raw_string(&mut self) -> PResult<Value> {
        let start = self.pos;
        let quote = self.scan_bytes(start + 1, |b| b == b'#');
        let hashes = quote - (start + 1);
        if self.byte(quote) != Some(b'"') {
            return Err(self.err_help(
                start,
                quote,
                format!("expected `\"` after `{}`", self.slice(start, quote)),
                "raw strings are written `r\"…\"` or `r#\"…\"#`",
            ));
        }
        let content = quote + 1;
        let rest = self.src.get(content..).unwrap_or_default();
        let mut terminator = String::with_capacity(hashes + 1);
        terminator.push('"');
        terminator.extend(std::iter::repeat_n('#', hashes));
        match rest.find(terminator.as_str()) {
            Some(k) => {
                let text = self.slice(content, content + k).to_owned();
                self.pos = content + k + terminator.len();
                Ok(Value {
                    kind: ValueKind::Str(text),
                    span: self.span(start, self.pos),
                })
            }
            None => Err(self.err_help(
                start,
                content,
                "unterminated raw string",
                format!("close it with `{terminator}`"),
            )),
        }
    }

    pub(super) fn char_literal(&mut self) -> PResult<Value> {
        let start = self.pos;
        let Some(c) = self.char_at(start + 1) else {
            return Err(self.unterminated(EscapeMode::Char, start));
        };
        let (ch, after) = if c == '\\' {
            match self.escape(start + 1, EscapeMode::Char, start)? {
                (Escaped::Char(ch), next) => (ch, next),
                (_, next) => return Err(self.err(start, next, "invalid character literal")),
            }
        } else {
            (c, start + 1 + c.len_utf8())
        };
        if self.byte(after) == Some(b'\'') {
            self.pos = after + 1;
            return Ok(Value {
                kind: ValueKind::Char(ch),
                span: self.span(start, self.pos),
            });
        }
        Err(self.char_literal_error(start))
    }

    /// Explains a character literal that is not closed right after one character:
    /// usually a single-quoted string.
    fn char_literal_error(&self, start: usize) -> SyntaxError {
        let rest = self.bytes.get(start + 1..).unwrap_or_default();
        let line = &rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())];
        match line.iter().position(|&b| b == b'\'') {
            Some(k) => {
                let end = start + 1 + k + 1;
                let text = self.slice(start + 1, end - 1);
                self.err_help(
                    start,
                    end,
                    "a character literal holds exactly one character",
                    format!("use double quotes for strings: \"{}\"", truncate(text, 40)),
                )
            }
            None => self.unterminated(EscapeMode::Char, start),
        }
    }

    /// `b'a'`, read as an integer; `self.pos` is at the `b`.
    pub(super) fn byte_literal(&mut self) -> PResult<Value> {
        let start = self.pos;
        let Some(c) = self.char_at(start + 2) else {
            return Err(self.unterminated(EscapeMode::Byte, start));
        };
        let (byte, after) = if c == '\\' {
            match self.escape(start + 2, EscapeMode::Byte, start)? {
                (Escaped::Byte(b), next) => (b, next),
                (Escaped::Char(ch), next) if ch.is_ascii() => (ch as u8, next),
                (_, next) => return Err(self.err(start, next, "byte literals must be ASCII")),
            }
        } else if c.is_ascii() {
            (c as u8, start + 3)
        } else {
            return Err(self.err(
                start,
                start + 2 + c.len_utf8(),
                "byte literals must be ASCII",
            ));
        };
        if self.byte(after) != Some(b'\'') {
            return Err(self.unterminated(EscapeMode::Byte, start));
        }
        self.pos = after + 1;
        Ok(Value {
            kind: ValueKind::Int(i128::from(byte)),
            span: self.span(start, self.pos),
        })
    }

    // --- numbers -----------------------------------------------------------------------

    /// A number literal. Which text is an integer and which a float follows `ron`:
    /// the longer of the run of float characters and the run of integer characters wins.
    pub(super) fn number(&mut self) -> PResult<Value> {
        let start = self.pos;
        if self.starts_with(start, b"..") {
            return Err(self.range_error(start));
        }
        let neg = self.byte(start) == Some(b'-');
        let digits = if matches!(self.byte(start), Some(b'+' | b'-')) {
            start + 1
        } else {
            start
        };
        if digits > start {
            if let Some((ns, ne, end)) = self.lex_ident(digits) {
                if let Some(f) = special_float(self.slice(ns, ne)).filter(|_| ns == digits) {
                    self.pos = end;
                    return Ok(Value {
                        kind: ValueKind::Float(if neg { -f } else { f }),
                        span: self.span(start, end),
                    });
                }
            }
        }
        if let Some(kind) = self.plain_integer(neg, digits) {
            return Ok(Value {
                kind,
                span: self.span(start, self.pos),
            });
        }
        let radix = if self.starts_with(digits, b"0x") {
            Some(16)
        } else if self.starts_with(digits, b"0o") {
            Some(8)
        } else if self.starts_with(digits, b"0b") {
            Some(2)
        } else {
            None
        };
        let kind = match radix {
            Some(radix) => self.integer(start, neg, digits + 2, radix)?,
            None => {
                let float_len = self.float_run(digits) - digits;
                let int_len = self.scan_bytes(digits, is_int_byte) - digits;
                if float_len > int_len {
                    self.float(start)?
                } else {
                    self.decimal(start, neg, digits, digits + int_len)?
                }
            }
        };
        Ok(Value {
            kind,
            span: self.span(start, self.pos),
        })
    }

    /// Fast path for the common case: up to 18 decimal digits followed by a byte that
    /// cannot continue a number. Anything else takes the general path.
    fn plain_integer(&mut self, neg: bool, digits: usize) -> Option<ValueKind> {
        let run = self.bytes.get(digits..)?;
        let len = run
            .iter()
            .take(19)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if len == 0 || len > 18 {
            return None;
        }
        if run
            .get(len)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'+' | b'-'))
        {
            return None;
        }
        let magnitude = run[..len]
            .iter()
            .fold(0i128, |acc, &b| acc * 10 + i128::from(b - b'0'));
        self.pos = digits + len;
        Some(ValueKind::Int(if neg { -magnitude } else { magnitude }))
    }

    /// End of the run of float characters at `i`, stopping before any `..`.
    fn float_run(&self, i: usize) -> usize {
        let end = self.scan_bytes(i, is_float_byte);
        let run = self.bytes.get(i..end).unwrap_or_default();
        i + run.windows(2).position(|w| w == b"..").unwrap_or(run.len())
    }

    /// `f32` / `f64` right at `i`, not followed by more identifier characters.
    fn float_suffix(&self, i: usize) -> Option<&'static str> {
        ["f32", "f64"].into_iter().find(|s| {
            self.starts_with(i, s.as_bytes()) && !self.char_at(i + 3).is_some_and(is_ident_continue)
        })
    }

    /// An integer type suffix (`u8`, `i64`, …) right at `i`.
    fn int_suffix(&self, i: usize) -> Option<&'static str> {
        if !matches!(self.byte(i), Some(b'i' | b'u')) {
            return None;
        }
        let word = self.slice(i, self.scan_chars(i, is_ident_continue));
        INT_SUFFIXES.iter().find(|s| **s == word).copied()
    }

    fn invalid_number(&self, start: usize, end: usize) -> SyntaxError {
        let end = end.max(start + 1);
        self.err(
            start,
            end,
            format!("invalid number `{}`", truncate(self.slice(start, end), 40)),
        )
    }

    fn out_of_range(&self, start: usize, end: usize) -> SyntaxError {
        self.err_help(
            start,
            end,
            "integer out of range",
            "integers must fit in a 128-bit signed integer",
        )
    }

    /// A float literal starting at `start` (sign included).
    fn float(&mut self, start: usize) -> PResult<ValueKind> {
        let end = self.float_run(start);
        if end == start {
            return Err(self.invalid_number(start, end));
        }
        let text = self.slice(start, end);
        let cleaned: Cow<'_, str> = if text.contains('_') {
            let mut s = String::with_capacity(text.len());
            let mut underscore_ok = false;
            for c in text.chars() {
                match c {
                    '_' if underscore_ok => continue,
                    '_' => {
                        return Err(self.err_help(
                            start,
                            end,
                            format!("invalid number `{}`", truncate(text, 40)),
                            "`_` may only follow a digit",
                        ))
                    }
                    '0'..='9' | 'e' | 'E' => underscore_ok = true,
                    '.' => underscore_ok = false,
                    _ => {}
                }
                s.push(c);
            }
            Cow::Owned(s)
        } else {
            Cow::Borrowed(text)
        };
        let (parsed, end) = match self.float_suffix(end) {
            Some("f32") => (cleaned.parse::<f32>().map(f64::from), end + 3),
            Some(_) => (cleaned.parse::<f64>(), end + 3),
            None => (cleaned.parse::<f64>(), end),
        };
        match parsed {
            Ok(f) => {
                self.pos = end;
                Ok(ValueKind::Float(f))
            }
            Err(_) => Err(self.invalid_number(start, end)),
        }
    }

    /// A decimal integer whose digits are `digits..end` (letters may be among them).
    fn decimal(
        &mut self,
        start: usize,
        neg: bool,
        digits: usize,
        end: usize,
    ) -> PResult<ValueKind> {
        if end == digits {
            let sign = self.slice(start, digits);
            return Err(self.err_found(digits, &format!("expected a number after `{sign}`"), None));
        }
        if self.byte(digits) == Some(b'_') {
            return Err(self.err_help(
                start,
                end,
                format!("invalid number `{}`", self.slice(start, end)),
                "a number cannot start with `_`",
            ));
        }
        if let Some(suffix) = self.int_suffix(end) {
            return self.suffixed(start, neg, (digits, end, 10), suffix);
        }
        let text = self.bytes.get(digits..end).unwrap_or_default();
        if text.iter().any(|b| !(b.is_ascii_digit() || *b == b'_')) {
            // `1e5`, `2E3` and `1f32` are floats after all.
            let saved = self.pos;
            if let Ok(kind) = self.float(start) {
                if self.pos >= end {
                    return Ok(kind);
                }
            }
            self.pos = saved;
            return Err(self.invalid_number(start, self.scan_chars(end, is_ident_continue)));
        }
        let magnitude = self.magnitude(start, digits, end, 10)?;
        let value = apply_sign(neg, magnitude).ok_or_else(|| self.out_of_range(start, end))?;
        self.pos = end;
        Ok(ValueKind::Int(value))
    }

    /// `0x…`, `0o…`, `0b…`; the digits start at `digits`.
    fn integer(
        &mut self,
        start: usize,
        neg: bool,
        digits: usize,
        radix: u32,
    ) -> PResult<ValueKind> {
        let end = self.scan_bytes(digits, is_int_byte);
        if end == digits {
            return Err(self.err_found(
                digits,
                &format!("expected digits after `{}`", self.slice(start, digits)),
                None,
            ));
        }
        if self.byte(digits) == Some(b'_') {
            return Err(self.err_help(
                start,
                end,
                format!("invalid number `{}`", self.slice(start, end)),
                "the digits cannot start with `_`",
            ));
        }
        if let Some(suffix) = self.int_suffix(end) {
            return self.suffixed(start, neg, (digits, end, radix), suffix);
        }
        let magnitude = self.magnitude(start, digits, end, radix)?;
        let value = apply_sign(neg, magnitude).ok_or_else(|| self.out_of_range(start, end))?;
        self.pos = end;
        Ok(ValueKind::Int(value))
    }

    /// The value of the digits `digits..end` in `radix` (underscores ignored).
    fn magnitude(&self, start: usize, digits: usize, end: usize, radix: u32) -> PResult<u128> {
        let mut value: u128 = 0;
        for (k, &b) in self
            .bytes
            .get(digits..end)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if b == b'_' {
                continue;
            }
            let digit = match char::from(b).to_digit(radix) {
                Some(d) => d,
                None => {
                    let kind = match radix {
                        2 => "binary",
                        8 => "octal",
                        16 => "hexadecimal",
                        _ => "decimal",
                    };
                    return Err(self.err(
                        digits + k,
                        digits + k + 1,
                        format!("invalid digit `{}` in a {kind} number", char::from(b)),
                    ));
                }
            };
            value = value
                .checked_mul(u128::from(radix))
                .and_then(|v| v.checked_add(u128::from(digit)))
                .ok_or_else(|| self.out_of_range(start, end))?;
        }
        Ok(value)
    }

    /// An integer with a type suffix, range-checked against that type; the digits are
    /// `digits..end` in `radix`, and the suffix follows them.
    fn suffixed(
        &mut self,
        start: usize,
        neg: bool,
        (digits, end, radix): (usize, usize, u32),
        suffix: &str,
    ) -> PResult<ValueKind> {
        let after = end + suffix.len();
        let magnitude = self.magnitude(start, digits, end, radix)?;
        let value = apply_sign(neg, magnitude).ok_or_else(|| self.out_of_range(start, after))?;
        let (min, max): (i128, i128) = match suffix {
            "i8" => (i8::MIN.into(), i8::MAX.into()),
            "i16" => (i16::MIN.into(), i16::MAX.into()),
            "i32" => (i32::MIN.into(), i32::MAX.into()),
            "i64" => (i64::MIN.into(), i64::MAX.into()),
            "u8" => (0, u8::MAX.into()),
            "u16" => (0, u16::MAX.into()),
            "u32" => (0, u32::MAX.into()),
            _ => (0, u64::MAX.into()),
        };
        if value < min || value > max {
            return Err(self.err_help(
                start,
                after,
                format!("integer {value} out of range for {suffix}"),
                format!("`{suffix}` holds values from {min} to {max}"),
            ));
        }
        self.pos = after;
        Ok(ValueKind::Int(value))
    }
}

pub(super) fn apply_sign(neg: bool, magnitude: u128) -> Option<i128> {
    if neg {
        // `i128::MIN` has no positive counterpart, hence the detour.
        (magnitude <= i128::MIN.unsigned_abs()).then(|| (magnitude as i128).wrapping_neg())
    } else {
        i128::try_from(magnitude).ok()
    }
}
