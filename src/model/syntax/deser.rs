//! Deserialization errors ([`DeError`]) and the serde deserializer over a
//! [`Value`] tree ([`from_value`]).

use super::*;

// ---------------------------------------------------------------------------------------
// Deserialization errors
// ---------------------------------------------------------------------------------------

/// Marks an error created by a visitor that has not yet been given a position; the
/// deserializer of the innermost value fills in its span on the way out.
pub(super) const NO_SPAN: Span = Span::new(u32::MAX, u32::MAX, u32::MAX);

/// What kind of problem a [`DeError`] is. Its diagnostic code comes from
/// here, never from the message, so rewording a message cannot change a
/// code that JSON and SARIF consumers rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeKind {
    /// A variant name the type does not have.
    UnknownVariant,
    /// A field name the struct does not have.
    UnknownField,
    /// A required field left out.
    MissingField,
    /// A field given twice.
    DuplicateField,
    /// Anything else: a value of the wrong type, shape or range.
    InvalidValue,
}

impl DeKind {
    /// The diagnostic code.
    pub fn code(self) -> &'static str {
        match self {
            DeKind::UnknownVariant => "unknown-variant",
            DeKind::UnknownField => "unknown-field",
            DeKind::MissingField => "missing-field",
            DeKind::DuplicateField => "duplicate-field",
            DeKind::InvalidValue => "invalid-value",
        }
    }
}

/// A deserialization error at the value that caused it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeError {
    /// What kind of problem it is (its diagnostic code).
    pub kind: DeKind,
    /// The innermost value (or field name) that caused the error.
    pub span: Span,
    /// What is wrong, e.g. "unknown field `nmae`, expected one of `id`, `name`".
    pub message: String,
    /// How to fix it, e.g. "did you mean `name`?".
    pub help: Option<String>,
}

impl DeError {
    /// An error at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        DeError {
            kind: DeKind::InvalidValue,
            span,
            message: message.into(),
            help: None,
        }
    }

    /// The same error with a hint on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(super) fn unspanned(message: impl Into<String>) -> Self {
        DeError::new(NO_SPAN, message)
    }

    fn of_kind(mut self, kind: DeKind) -> Self {
        self.kind = kind;
        self
    }

    /// Sets the span unless an inner value already did.
    fn or_span(mut self, span: Span) -> Self {
        if self.span == NO_SPAN {
            self.span = span;
        }
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

/// serde's description of an unexpected value, with a float written
/// compactly (serde's own writes `1e308` as 309 digits).
pub(super) fn unexpected(u: Unexpected<'_>) -> String {
    match u {
        Unexpected::Float(f) => format!("floating point `{}`", crate::words::number(f)),
        other => other.to_string(),
    }
}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::unspanned(msg.to_string())
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::unspanned(format!("expected {exp}, found {}", unexpected(unexp)))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DeError::unspanned(format!(
            "invalid value: expected {exp}, found {}",
            unexpected(unexp)
        ))
    }

    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        DeError::unspanned(format!(
            "expected {exp}, found {}",
            crate::words::count(len, "element", "elements")
        ))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let mut e = DeError::unspanned(format!(
            "unknown variant `{variant}`, {}",
            expected_list(expected, "variant")
        ))
        .of_kind(DeKind::UnknownVariant);
        if let Some(s) = did_you_mean(variant, expected) {
            e.help = Some(format!("did you mean `{s}`?"));
        }
        e
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        let mut e = DeError::unspanned(format!(
            "unknown field `{field}`, {}",
            expected_list(expected, "field")
        ))
        .of_kind(DeKind::UnknownField);
        if let Some(s) = did_you_mean(field, expected) {
            e.help = Some(format!("did you mean `{s}`?"));
        }
        e
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::unspanned(format!("missing field `{field}`")).of_kind(DeKind::MissingField)
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::unspanned(format!("duplicate field `{field}`")).of_kind(DeKind::DuplicateField)
    }
}

// ---------------------------------------------------------------------------------------
// Deserializer
// ---------------------------------------------------------------------------------------

/// Deserialize a typed value from a (sub)tree.
pub fn from_value<'de, T: Deserialize<'de>>(v: &'de Value) -> Result<T, DeError> {
    T::deserialize(ValueDeserializer::new(v)).map_err(|e| e.or_span(v.span))
}

/// A serde [`Deserializer`](serde::Deserializer) over one [`Value`]; see [`from_value`].
#[derive(Clone, Copy, Debug)]
pub struct ValueDeserializer<'de> {
    value: &'de Value,
    /// Ignore the name of a struct or tuple: it named the enum variant around it.
    unnamed: bool,
}

impl<'de> ValueDeserializer<'de> {
    /// A deserializer reading `value`.
    pub fn new(value: &'de Value) -> Self {
        ValueDeserializer {
            value,
            unnamed: false,
        }
    }

    fn span(&self) -> Span {
        self.value.span
    }

    fn name(&self) -> Option<&'de Ident> {
        if self.unnamed {
            return None;
        }
        match &self.value.kind {
            ValueKind::Struct { name, .. } | ValueKind::Tuple { name, .. } => name.as_ref(),
            _ => None,
        }
    }

    fn wrap<T>(&self, result: Result<T, DeError>) -> Result<T, DeError> {
        result.map_err(|e| e.or_span(self.value.span))
    }

    fn describe(&self) -> String {
        match &self.value.kind {
            ValueKind::Unit => "`()`".to_owned(),
            ValueKind::Bool(b) => format!("`{b}`"),
            ValueKind::Int(i) => format!("integer `{i}`"),
            ValueKind::Float(f) => format!("number `{}`", crate::words::number(*f)),
            ValueKind::Char(c) => format!("character {c:?}"),
            ValueKind::Str(s) => format!("string {:?}", truncate(s, 40)),
            ValueKind::Option(None) => "`None`".to_owned(),
            ValueKind::Option(Some(_)) => "`Some(…)`".to_owned(),
            ValueKind::List(_) => "a list".to_owned(),
            ValueKind::Map(_) => "a map".to_owned(),
            ValueKind::Struct { .. } => match self.name() {
                Some(n) => format!("struct `{}`", n.name),
                None => "a struct".to_owned(),
            },
            ValueKind::Tuple { .. } => match self.name() {
                Some(n) => format!("`{}(…)`", n.name),
                None => "a tuple".to_owned(),
            },
            ValueKind::Ident(s) => format!("`{s}`"),
        }
    }

    fn type_error(&self, exp: &dyn Expected) -> DeError {
        DeError::new(
            self.span(),
            format!("expected {exp}, found {}", self.describe()),
        )
    }

    /// A name before the parentheses must be the expected one.
    fn check_name(&self, expected: &str) -> Result<(), DeError> {
        match self.name() {
            Some(n) if n.name != expected => Err(DeError::new(
                n.span,
                format!("expected `{expected}`, found `{}`", n.name),
            )
            .with_help(format!("write `{expected}(…)`, or leave the name out"))),
            _ => Ok(()),
        }
    }

    fn visit_items<V: Visitor<'de>>(
        &self,
        items: &'de [Value],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let mut seq = Items {
            iter: items.iter(),
            taken: 0,
        };
        let out = self.wrap(visitor.visit_seq(&mut seq))?;
        match seq.iter.next() {
            Some(extra) => Err(DeError::new(
                extra.span,
                format!(
                    "too many elements: expected {}, found {}",
                    seq.taken,
                    items.len()
                ),
            )),
            None => Ok(out),
        }
    }

    fn visit_fields<V: Visitor<'de>>(
        &self,
        fields: &'de [(Ident, Value)],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let mut access = StructFields {
            iter: fields.iter(),
            value: None,
            last_key: None,
        };
        let result = visitor.visit_map(&mut access);
        let out = self.wrap(result.map_err(|e| locate_duplicate(e, access.last_key)))?;
        match access.iter.next() {
            Some((extra, _)) => Err(DeError::new(
                extra.span,
                format!("unexpected field `{}`", extra.name),
            )),
            None => Ok(out),
        }
    }

    fn visit_entries<V: Visitor<'de>>(
        &self,
        entries: &'de [(Value, Value)],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let mut access = MapEntries {
            iter: entries.iter(),
            value: None,
            last_key: None,
        };
        let result = visitor.visit_map(&mut access);
        let out = self.wrap(result.map_err(|e| locate_duplicate(e, access.last_key)))?;
        match access.iter.next() {
            Some((extra, _)) => Err(DeError::new(extra.span, "unexpected map entry")),
            None => Ok(out),
        }
    }

    fn visit_int<V: Visitor<'de>>(&self, i: i128, visitor: V) -> Result<V::Value, DeError> {
        let result = if let Ok(u) = u64::try_from(i) {
            visitor.visit_u64(u)
        } else if let Ok(s) = i64::try_from(i) {
            visitor.visit_i64(s)
        } else if let Ok(u) = u128::try_from(i) {
            visitor.visit_u128(u)
        } else {
            visitor.visit_i128(i)
        };
        self.wrap(result)
    }
}

/// Serde reports a duplicate key after reading it; point at that key.
pub(super) fn locate_duplicate(e: DeError, last_key: Option<Span>) -> DeError {
    match last_key {
        Some(span) if e.span == NO_SPAN && e.kind == DeKind::DuplicateField => e.or_span(span),
        _ => e,
    }
}

macro_rules! deserialize_int {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match &self.value.kind {
                ValueKind::Int(i) => match <$ty>::try_from(*i) {
                    Ok(x) => self.wrap(visitor.$visit(x)),
                    Err(_) => Err(DeError::new(
                        self.span(),
                        format!("integer {} out of range for {}", i, stringify!($ty)),
                    )
                    .with_help(format!(
                        "`{}` holds values from {} to {}",
                        stringify!($ty),
                        <$ty>::MIN,
                        <$ty>::MAX
                    ))),
                },
                _ => Err(self.type_error(&visitor)),
            }
        }
    };
}

impl<'de> de::Deserializer<'de> for ValueDeserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match &self.value.kind {
            ValueKind::Unit => visitor.visit_unit(),
            ValueKind::Bool(b) => visitor.visit_bool(*b),
            ValueKind::Int(i) => return self.visit_int(*i, visitor),
            ValueKind::Float(f) => visitor.visit_f64(*f),
            ValueKind::Char(c) => visitor.visit_char(*c),
            ValueKind::Str(s) | ValueKind::Ident(s) => visitor.visit_borrowed_str(s),
            ValueKind::Option(None) => visitor.visit_none(),
            ValueKind::Option(Some(inner)) => visitor.visit_some(ValueDeserializer::new(inner)),
            ValueKind::List(items) | ValueKind::Tuple { items, .. } => {
                return self.visit_items(items, visitor)
            }
            ValueKind::Map(entries) => return self.visit_entries(entries, visitor),
            ValueKind::Struct { fields, .. } => return self.visit_fields(fields, visitor),
        };
        self.wrap(result)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Bool(b) => self.wrap(visitor.visit_bool(*b)),
            _ => Err(self.type_error(&visitor)),
        }
    }

    deserialize_int!(deserialize_i8, visit_i8, i8);
    deserialize_int!(deserialize_i16, visit_i16, i16);
    deserialize_int!(deserialize_i32, visit_i32, i32);
    deserialize_int!(deserialize_i64, visit_i64, i64);
    deserialize_int!(deserialize_i128, visit_i128, i128);
    deserialize_int!(deserialize_u8, visit_u8, u8);
    deserialize_int!(deserialize_u16, visit_u16, u16);
    deserialize_int!(deserialize_u32, visit_u32, u32);
    deserialize_int!(deserialize_u64, visit_u64, u64);
    deserialize_int!(deserialize_u128, visit_u128, u128);

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Float(f) => self.wrap(visitor.visit_f32(*f as f32)),
            ValueKind::Int(i) => self.wrap(visitor.visit_f32(*i as f32)),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Float(f) => self.wrap(visitor.visit_f64(*f)),
            ValueKind::Int(i) => self.wrap(visitor.visit_f64(*i as f64)),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Char(c) => self.wrap(visitor.visit_char(*c)),
            ValueKind::Str(s) if s.chars().count() == 1 => self.wrap(visitor.visit_borrowed_str(s)),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Str(s) => self.wrap(visitor.visit_borrowed_str(s)),
            ValueKind::Char(c) => self.wrap(visitor.visit_str(c.encode_utf8(&mut [0; 4]))),
            ValueKind::Ident(s) => Err(self
                .type_error(&visitor)
                .with_help(format!("strings are written in double quotes: \"{s}\""))),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Str(s) => self.wrap(visitor.visit_borrowed_bytes(s.as_bytes())),
            ValueKind::List(items) => self.visit_items(items, visitor),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let result = match &self.value.kind {
            ValueKind::Option(None) => visitor.visit_none(),
            ValueKind::Option(Some(inner)) => visitor.visit_some(ValueDeserializer::new(inner)),
            // implicit `Some`
            _ => visitor.visit_some(self),
        };
        self.wrap(result)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Unit => self.wrap(visitor.visit_unit()),
            ValueKind::Tuple { items, .. } if items.is_empty() && self.name().is_none() => {
                self.wrap(visitor.visit_unit())
            }
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Unit => self.wrap(visitor.visit_unit()),
            ValueKind::Ident(s) if s == name => self.wrap(visitor.visit_unit()),
            ValueKind::Ident(s) => Err(DeError::new(
                self.span(),
                format!("expected `{name}`, found `{s}`"),
            )),
            ValueKind::Tuple { items, .. } if items.is_empty() => {
                self.check_name(name)?;
                self.wrap(visitor.visit_unit())
            }
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value.kind {
            // `Name(v)` or `(v)`; a different name belongs to the inner value.
            ValueKind::Tuple { items, .. }
                if items.len() == 1 && self.name().is_none_or(|n| n.name == name) =>
            {
                self.wrap(visitor.visit_newtype_struct(ValueDeserializer::new(&items[0])))
            }
            // bare `v`
            _ => self.wrap(visitor.visit_newtype_struct(self)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::List(items) => self.visit_items(items, visitor),
            ValueKind::Tuple { items, .. } if self.name().is_none() => {
                self.visit_items(items, visitor)
            }
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::List(items) | ValueKind::Tuple { items, .. } => {
                self.visit_items(items, visitor)
            }
            ValueKind::Unit if len == 0 => self.visit_items(&[], visitor),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Tuple { items, .. } => {
                self.check_name(name)?;
                self.visit_items(items, visitor)
            }
            ValueKind::List(items) => self.visit_items(items, visitor),
            ValueKind::Unit if len == 0 => self.visit_items(&[], visitor),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Map(entries) => self.visit_entries(entries, visitor),
            // Named too: serde reads a struct with a `#[serde(flatten)]` field as a map,
            // without telling its name.
            ValueKind::Struct { fields, .. } => self.visit_fields(fields, visitor),
            ValueKind::Unit => self.visit_fields(&[], visitor),
            ValueKind::Tuple { items, .. } if items.is_empty() && self.name().is_none() => {
                self.visit_fields(&[], visitor)
            }
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED_NAME && fields == SPANNED_FIELDS {
            return self.wrap(visitor.visit_map(SpannedAccess::new(self.span(), self)));
        }
        match &self.value.kind {
            ValueKind::Struct { fields, .. } => {
                self.check_name(name)?;
                self.visit_fields(fields, visitor)
            }
            ValueKind::Map(entries) => self.visit_entries(entries, visitor),
            ValueKind::Tuple { items, .. } => {
                self.check_name(name)?;
                if items.is_empty() {
                    self.visit_fields(&[], visitor)
                } else {
                    self.visit_items(items, visitor)
                }
            }
            ValueKind::Unit => self.visit_fields(&[], visitor),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let v = self.value;
        let (variant, span): (&'de str, Span) = match &v.kind {
            ValueKind::Ident(s) | ValueKind::Str(s) => (s, v.span),
            ValueKind::Option(None) => ("None", v.span),
            ValueKind::Option(Some(_)) => (
                "Some",
                Span::new(v.span.file, v.span.start, v.span.start + 4),
            ),
            ValueKind::Struct { .. } | ValueKind::Tuple { .. } => match self.name() {
                Some(n) => (&n.name, n.span),
                None => {
                    return Err(DeError::new(
                        v.span,
                        format!(
                            "expected a variant of enum `{name}`, found {}",
                            self.describe()
                        ),
                    )
                    .with_help(format!(
                        "write the variant name before the parentheses, e.g. `{}(…)`",
                        variants.first().copied().unwrap_or("Variant")
                    )))
                }
            },
            _ => return Err(self.type_error(&visitor)),
        };
        self.wrap(visitor.visit_enum(EnumRef {
            de: self,
            variant,
            span,
        }))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.value.kind {
            ValueKind::Ident(s) | ValueKind::Str(s) => self.wrap(visitor.visit_borrowed_str(s)),
            _ => Err(self.type_error(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.wrap(visitor.visit_unit())
    }
}

impl<'de> IntoDeserializer<'de, DeError> for ValueDeserializer<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> IntoDeserializer<'de, DeError> for &'de Value {
    type Deserializer = ValueDeserializer<'de>;

    fn into_deserializer(self) -> ValueDeserializer<'de> {
        ValueDeserializer::new(self)
    }
}

/// List or tuple elements.
pub(super) struct Items<'de> {
    iter: slice::Iter<'de, Value>,
    taken: usize,
}

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = DeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, DeError> {
        match self.iter.next() {
            Some(v) => {
                self.taken += 1;
                seed.deserialize(ValueDeserializer::new(v))
                    .map(Some)
                    .map_err(|e| e.or_span(v.span))
            }
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// Struct fields: keys are the field names.
pub(super) struct StructFields<'de> {
    iter: slice::Iter<'de, (Ident, Value)>,
    value: Option<&'de Value>,
    last_key: Option<Span>,
}

impl<'de> MapAccess<'de> for StructFields<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                self.last_key = Some(key.span);
                seed.deserialize(KeyDeserializer {
                    name: &key.name,
                    span: key.span,
                })
                .map(Some)
                .map_err(|e| e.or_span(key.span))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        match self.value.take() {
            Some(v) => seed
                .deserialize(ValueDeserializer::new(v))
                .map_err(|e| e.or_span(v.span)),
            None => Err(DeError::unspanned(
                "a field value was requested before its name",
            )),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// Map entries: keys are values.
pub(super) struct MapEntries<'de> {
    iter: slice::Iter<'de, (Value, Value)>,
    value: Option<&'de Value>,
    last_key: Option<Span>,
}

impl<'de> MapAccess<'de> for MapEntries<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                self.last_key = Some(key.span);
                seed.deserialize(ValueDeserializer::new(key))
                    .map(Some)
                    .map_err(|e| e.or_span(key.span))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        match self.value.take() {
            Some(v) => seed
                .deserialize(ValueDeserializer::new(v))
                .map_err(|e| e.or_span(v.span)),
            None => Err(DeError::unspanned(
                "a map value was requested before its key",
            )),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// A field or variant name.
#[derive(Clone, Copy)]
pub(super) struct KeyDeserializer<'de> {
    name: &'de str,
    span: Span,
}

impl<'de> de::Deserializer<'de> for KeyDeserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor
            .visit_borrowed_str(self.name)
            .map_err(|e: DeError| e.or_span(self.span))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self).map_err(|e| e.or_span(self.span))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| e.or_span(self.span))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED_NAME && fields == SPANNED_FIELDS {
            return visitor
                .visit_map(SpannedAccess::new(self.span, self))
                .map_err(|e| e.or_span(self.span));
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor
            .visit_enum(de::value::BorrowedStrDeserializer::<DeError>::new(
                self.name,
            ))
            .map_err(|e| e.or_span(self.span))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// The variant of an enum value.
pub(super) struct EnumRef<'de> {
    de: ValueDeserializer<'de>,
    variant: &'de str,
    /// Where the variant name is written.
    span: Span,
}

impl<'de> EnumRef<'de> {
    fn shape_error(&self, message: String, help: String) -> DeError {
        DeError::new(self.de.span(), message).with_help(help)
    }
}

impl<'de> EnumAccess<'de> for EnumRef<'de> {
    type Error = DeError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), DeError> {
        let key = KeyDeserializer {
            name: self.variant,
            span: self.span,
        };
        let value = seed.deserialize(key).map_err(|e| e.or_span(self.span))?;
        Ok((value, self))
    }
}

impl<'de> VariantAccess<'de> for EnumRef<'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        match &self.de.value.kind {
            ValueKind::Ident(_) | ValueKind::Str(_) | ValueKind::Option(None) => Ok(()),
            ValueKind::Tuple { items, .. } if items.is_empty() => Ok(()),
            _ => Err(self.shape_error(
                format!("variant `{}` takes no value", self.variant),
                format!("write just `{}`", self.variant),
            )),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, DeError> {
        let de = self.de;
        match &de.value.kind {
            ValueKind::Tuple { items, .. } if items.len() == 1 => seed
                .deserialize(ValueDeserializer::new(&items[0]))
                .map_err(|e| e.or_span(items[0].span)),
            ValueKind::Option(Some(inner)) => seed
                .deserialize(ValueDeserializer::new(inner))
                .map_err(|e| e.or_span(inner.span)),
            // `Variant(a: 1)` / `Variant(1, 2)`: the parentheses belong to the inner value.
            ValueKind::Tuple { .. } | ValueKind::Struct { .. } => seed
                .deserialize(ValueDeserializer {
                    value: de.value,
                    unnamed: true,
                })
                .map_err(|e| e.or_span(de.span())),
            _ => Err(self.shape_error(
                format!("variant `{}` needs a value", self.variant),
                format!("write `{}(…)`", self.variant),
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, DeError> {
        match &self.de.value.kind {
            ValueKind::Tuple { items, .. } => self.de.visit_items(items, visitor),
            _ => Err(self.shape_error(
                format!("variant `{}` needs {len} values", self.variant),
                format!("write `{}({})`", self.variant, vec!["…"; len].join(", ")),
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.de.value.kind {
            ValueKind::Struct { fields, .. } => self.de.visit_fields(fields, visitor),
            ValueKind::Tuple { items, .. } if items.is_empty() => {
                self.de.visit_fields(&[], visitor)
            }
            _ => Err(self.shape_error(
                format!("variant `{}` has named fields", self.variant),
                format!(
                    "write `{}({}: …)`",
                    self.variant,
                    fields.first().copied().unwrap_or("field")
                ),
            )),
        }
    }
}
