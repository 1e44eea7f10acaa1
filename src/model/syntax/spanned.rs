//! [`Spanned<T>`]: a value together with where it was written.

use super::*;

// ---------------------------------------------------------------------------------------
// Spanned
// ---------------------------------------------------------------------------------------

/// A value together with where it was written.
///
/// Works like `toml`'s `serde_spanned`: it asks the deserializer for a struct with a
/// private name, which [`ValueDeserializer`] answers with the span and the value. With
/// other deserializers, plain values (strings, numbers, …) deserialize with a default
/// span. Like every such trick it does not survive serde's buffering
/// (`#[serde(flatten)]`, untagged or internally tagged enums).
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    /// The deserialized value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// `value`, written at `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

pub(super) const SPANNED_NAME: &str = "$__revarch_private_Spanned";
pub(super) const SPANNED_FILE: &str = "$__revarch_private_file";
pub(super) const SPANNED_START: &str = "$__revarch_private_start";
pub(super) const SPANNED_END: &str = "$__revarch_private_end";
pub(super) const SPANNED_VALUE: &str = "$__revarch_private_value";
pub(super) const SPANNED_FIELDS: &[&str] =
    &[SPANNED_FILE, SPANNED_START, SPANNED_END, SPANNED_VALUE];

/// Feeds `{file, start, end, value}` to the [`Spanned`] visitor.
pub(super) struct SpannedAccess<D> {
    span: Span,
    inner: Option<D>,
    state: u8,
}

impl<D> SpannedAccess<D> {
    pub(super) fn new(span: Span, inner: D) -> Self {
        SpannedAccess {
            span,
            inner: Some(inner),
            state: 0,
        }
    }
}

impl<'de, D: de::Deserializer<'de, Error = DeError>> MapAccess<'de> for SpannedAccess<D> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let key = match self.state {
            0 => SPANNED_FILE,
            1 => SPANNED_START,
            2 => SPANNED_END,
            3 => SPANNED_VALUE,
            _ => return Ok(None),
        };
        seed.deserialize(de::value::BorrowedStrDeserializer::<DeError>::new(key))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        let state = self.state;
        self.state = self.state.saturating_add(1);
        let number = |n: u32| IntoDeserializer::<'de, DeError>::into_deserializer(n);
        match state {
            0 => seed.deserialize(number(self.span.file)),
            1 => seed.deserialize(number(self.span.start)),
            2 => seed.deserialize(number(self.span.end)),
            _ => match self.inner.take() {
                Some(inner) => seed.deserialize(inner),
                None => Err(DeError::unspanned("a spanned value was read twice")),
            },
        }
    }
}

pub(super) enum SpannedKey {
    File,
    Start,
    End,
    Value,
}

impl<'de> Deserialize<'de> for SpannedKey {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = SpannedKey;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a spanned value")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<SpannedKey, E> {
                match v {
                    SPANNED_FILE => Ok(SpannedKey::File),
                    SPANNED_START => Ok(SpannedKey::Start),
                    SPANNED_END => Ok(SpannedKey::End),
                    SPANNED_VALUE => Ok(SpannedKey::Value),
                    _ => Err(E::custom(
                        "spanned values are only supported by revarch's RON reader",
                    )),
                }
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

pub(super) struct SpannedVisitor<T>(PhantomData<T>);

impl<T> SpannedVisitor<T> {
    fn plain<E>(value: Result<T, E>) -> Result<Spanned<T>, E> {
        value.map(|value| Spanned {
            value,
            span: Span::default(),
        })
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for SpannedVisitor<T> {
    type Value = Spanned<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
        let (mut file, mut start, mut end, mut value) = (0, 0, 0, None);
        while let Some(key) = map.next_key::<SpannedKey>()? {
            match key {
                SpannedKey::File => file = map.next_value()?,
                SpannedKey::Start => start = map.next_value()?,
                SpannedKey::End => end = map.next_value()?,
                SpannedKey::Value => value = Some(map.next_value()?),
            }
        }
        match value {
            Some(value) => Ok(Spanned {
                value,
                span: Span::new(file, start, end),
            }),
            None => Err(de::Error::missing_field(SPANNED_VALUE)),
        }
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_char<E: de::Error>(self, v: char) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(de::value::BorrowedStrDeserializer::new(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(v.into_deserializer()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Spanned<T>, E> {
        Self::plain(T::deserialize(().into_deserializer()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Spanned<T>, A::Error> {
        Self::plain(T::deserialize(de::value::SeqAccessDeserializer::new(seq)))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct(SPANNED_NAME, SPANNED_FIELDS, SpannedVisitor(PhantomData))
    }
}
