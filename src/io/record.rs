//! One JSON Lines record: a line parsed straight into a [`Document`] by a
//! serde visitor that keeps the used fields and skips the rest unparsed.

use serde::de::{self, MapAccess, SeqAccess, Visitor};

use crate::document::Document;
use crate::text::Date;

/// A value read through and dropped. Its strings are decoded (into the
/// parser's scratch space, no allocation), so an invalid escape in a field
/// the reader does not use is still invalid JSON, as in a used one.
struct Skip;

impl<'de> de::Deserialize<'de> for Skip {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Skip;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_unit<E>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_none<E>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
                while seq.next_element::<Skip>()?.is_some() {}
                Ok(Skip)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
                while map.next_entry::<Skip, Skip>()?.is_some() {}
                Ok(Skip)
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON value as the reader sees it: a string, an integer (kept as its
/// decimal text), null, an object (its used fields), or the kind of anything
/// else (for the error).
enum Field {
    Str(String),
    Int(String),
    Null,
    Object(Box<Record>),
    Other(&'static str),
}

impl<'de> de::Deserialize<'de> for Field {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Field;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Field, E> {
                Ok(Field::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Field, E> {
                Ok(Field::Str(v))
            }
            fn visit_unit<E>(self) -> Result<Field, E> {
                Ok(Field::Null)
            }
            fn visit_none<E>(self) -> Result<Field, E> {
                Ok(Field::Null)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Field, E> {
                Ok(Field::Other("a boolean"))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Field, E> {
                Ok(Field::Int(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Field, E> {
                Ok(Field::Int(v.to_string()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Field, E> {
                Ok(Field::Other("a number"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field, A::Error> {
                while seq.next_element::<Skip>()?.is_some() {}
                Ok(Field::Other("an array"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field, A::Error> {
                let mut r = Record::default();
                while let Some(key) = map.next_key::<Key>()? {
                    let slot = match key {
                        Key::Id => &mut r.id,
                        Key::Text => &mut r.text,
                        Key::Title => &mut r.title,
                        Key::Date => &mut r.date,
                        Key::Source => &mut r.source,
                        Key::Other => {
                            map.next_value::<Skip>()?;
                            continue;
                        }
                    };
                    *slot = Some(map.next_value::<Field>()?);
                }
                Ok(Field::Object(Box::new(r)))
            }
        }
        d.deserialize_any(V)
    }
}

impl Field {
    fn kind(&self) -> &'static str {
        match self {
            Field::Str(_) => "a string",
            Field::Int(_) => "a number",
            Field::Null => "null",
            Field::Object(_) => "an object",
            Field::Other(k) => k,
        }
    }
}

/// The fields the reader uses, by name (any other is skipped unparsed).
enum Key {
    Id,
    Text,
    Title,
    Date,
    Source,
    Other,
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "id" => Key::Id,
                    "text" => Key::Text,
                    "title" => Key::Title,
                    "date" => Key::Date,
                    "source" => Key::Source,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// The fields of an object the reader uses (a repeated field: its last
/// value, as a JSON object map keeps it).
#[derive(Default)]
struct Record {
    id: Option<Field>,
    text: Option<Field>,
    title: Option<Field>,
    date: Option<Field>,
    source: Option<Field>,
}

/// A document read from a line, with what was wrong in its optional fields
/// (`title`, `date`, `source`): such a field is ignored and the document kept.
pub(crate) type Parsed = (Document, Vec<String>);

/// Parses one line straight into a document: the used fields are read into
/// their strings (one allocation each), the others skipped without building
/// a JSON tree.
pub(crate) fn parse_line(bytes: &[u8], line_no: u64) -> Result<Option<Parsed>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: Field = de::Deserialize::deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| format!("invalid JSON: {e}"))?;
    let Field::Object(record) = value else {
        return Err("expected a JSON object".into());
    };
    let id = match record.id {
        None | Some(Field::Null) => line_no.to_string(),
        Some(Field::Str(s) | Field::Int(s)) => s,
        Some(other) => return Err(format!("field `id` must be a string or an integer, got {}", other.kind())),
    };
    let string = |name: &str, f: Option<Field>| -> Result<Option<String>, String> {
        match f {
            None | Some(Field::Null) => Ok(None),
            Some(Field::Str(s)) => Ok(Some(s)),
            Some(other) => Err(format!("field `{name}` must be a string, got {}", other.kind())),
        }
    };
    let body = string("text", record.text)?.ok_or_else(|| "missing field `text`".to_string())?;
    let mut warnings = Vec::new();
    let mut optional = |name: &str, f: Option<Field>| {
        string(name, f).unwrap_or_else(|w| {
            warnings.push(format!("{w}; the field is ignored"));
            None
        })
    };
    let title = optional("title", record.title);
    let source = optional("source", record.source);
    let date = optional("date", record.date).and_then(|d| date_field(&d, &mut warnings));
    Ok(Some((Document { id, text: body, title, date, source }, warnings)))
}

/// The `date` field's value: empty is none; a value that is not a
/// `YYYY-MM-DD` calendar date is ignored with a warning.
fn date_field(d: &str, warnings: &mut Vec<String>) -> Option<Date> {
    if d.trim().is_empty() {
        return None;
    }
    Date::parse(d)
        .map_err(|_| {
            warnings.push(format!("field `date`: {d:?} is not a YYYY-MM-DD calendar date; the field is ignored"))
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader as first written, through a `serde_json::Value` tree: the
    /// oracle for the streaming [`parse_line`].
    fn parse_line_via_value(bytes: &[u8], line_no: u64) -> Result<Option<Parsed>, String> {
        use serde_json::Value;
        fn kind(v: &Value) -> &'static str {
            match v {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
            }
        }
        let text = std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        let Value::Object(map) = value else {
            return Err("expected a JSON object".into());
        };
        let id = match map.get("id") {
            None | Some(Value::Null) => line_no.to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            Some(other) => return Err(format!("field `id` must be a string or an integer, got {}", kind(other))),
        };
        let string = |name: &str| -> Result<Option<String>, String> {
            match map.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(format!("field `{name}` must be a string, got {}", kind(other))),
            }
        };
        let body = string("text")?.ok_or_else(|| "missing field `text`".to_string())?;
        let mut warnings = Vec::new();
        let mut optional = |name: &str| {
            string(name).unwrap_or_else(|w| {
                warnings.push(format!("{w}; the field is ignored"));
                None
            })
        };
        let (title, source) = (optional("title"), optional("source"));
        let date = optional("date").and_then(|d| date_field(&d, &mut warnings));
        Ok(Some((Document { id, text: body, title, date, source }, warnings)))
    }

    /// JSON values of every kind, and pieces that are not JSON.
    #[rustfmt::skip]
    const VALUES: &[&str] = &[
        "\"a\"", "\"x\\ny \\\"q\\\" \\u00e9\"", "\"2023-09-13\"", "\" \"", "\"13/09/2023\"", "\"\"", "7", "-3",
        "18446744073709551615", "99999999999999999999", "1.5", "-0", "1e3", "true", "false", "null", "[]", "[1,[2,{}]]",
        "{}", "{\"text\":\"in\"}", "\"caf\u{e9}\"", "\"\\ud800\"", "tru", "\"open", "{", "]", "0x1",
    ];
    const KEYS: &[&str] =
        &["\"id\"", "\"text\"", "\"title\"", "\"date\"", "\"source\"", "\"topic\"", "\"te\\u0078t\"", "\"\""];

    proptest::proptest! {
        #[test]
        fn streaming_parse_equals_value_parse(
            fields in proptest::collection::vec((proptest::sample::select(KEYS), proptest::sample::select(VALUES)), 0..7),
            wrap in 0..6u8,
            line_no in 1..1000u64,
        ) {
            let body = fields.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(",");
            let line = match wrap {
                0 => format!("{{{body}}}"),
                1 => format!("  {{{body}}}  "),
                2 => format!("[{body}]"),
                3 => format!("{{{body}}} x"),
                4 => body.clone(),
                _ => format!("{{{body}}}\r\n"),
            };
            proptest::prop_assert_eq!(parse_line(line.as_bytes(), line_no), parse_line_via_value(line.as_bytes(), line_no), "{}", line);
        }

        #[test]
        fn streaming_parse_equals_value_parse_on_any_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            proptest::prop_assert_eq!(parse_line(&bytes, 1), parse_line_via_value(&bytes, 1));
        }
    }
}
