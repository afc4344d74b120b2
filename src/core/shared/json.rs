//! JSON in and out, one way each, chosen for what they keep out of the wasm modules (each
//! alternative links code the modules otherwise do without):
//! - read from bytes only ([`parse_value`], [`parse_object`]): each serde_json reader type is
//!   another copy of the parser;
//! - read as a [`Value`] or a [`JsonObject`], never into typed shapes: type errors format the
//!   value they did not expect (a float formatter), and serde_json's custom errors search their
//!   own text for a position (a string searcher);
//! - written by [`to_text`], never `Value`'s `Display` (a pretty printer, an `io::Error` adapter);
//! - objects built by [`object`], never `json!` with values or `value["key"] = …` (panic paths
//!   that format with `Debug`, and the Unicode tables behind it).

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_json::{Map, Value};

/// A value's JSON text (compact).
pub fn to_text(value: &Value) -> String {
    // Cannot fail: a `Value`'s keys are strings.
    serde_json::to_string(value).unwrap_or_default()
}

/// A string's JSON text (quoted and escaped).
pub fn string_text(value: &str) -> String {
    // Cannot fail: a string always serializes.
    serde_json::to_string(value).unwrap_or_default()
}

/// A JSON object from its entries.
pub fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    // Inserted one by one: collecting would link the map's sort-and-bulk-build as well.
    let mut map = Map::new();
    for (key, value) in entries {
        map.insert(key.to_owned(), value);
    }
    Value::Object(map)
}

/// Parses any JSON document.
pub fn parse_value(bytes: &[u8]) -> serde_json::Result<Value> {
    serde_json::from_slice(bytes)
}

/// A document that had to be a JSON object without duplicate keys. Duplicates are refused:
/// `{"exp":1,"exp":2}` is ambiguous (parsers disagree on which value wins, which is how
/// claim-smuggling attacks work).
#[derive(Debug, Clone, PartialEq)]
pub enum JsonObject {
    /// The object.
    Unique(Map<String, Value>),
    /// An object that names a key twice.
    DuplicateKey,
    /// Well-formed JSON of another type.
    NotAnObject,
}

/// Parses a JSON object; the `Err` is for text that is not JSON at all.
pub fn parse_object(bytes: &[u8]) -> serde_json::Result<JsonObject> {
    serde_json::from_slice(bytes)
}

impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ObjectVisitor)
    }
}

/// Reads every entry (a duplicate is noted, not raised, so the rest is still checked to be
/// JSON) and answers every non-object with a value rather than a serde error.
struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = JsonObject;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<JsonObject, A::Error> {
        let mut map = Map::new();
        let mut duplicate = false;
        while let Some((key, value)) = access.next_entry::<String, Value>()? {
            duplicate |= map.insert(key, value).is_some();
        }
        Ok(if duplicate {
            JsonObject::DuplicateKey
        } else {
            JsonObject::Unique(map)
        })
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<JsonObject, E> {
        Ok(JsonObject::NotAnObject)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<JsonObject, E> {
        Ok(JsonObject::NotAnObject)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<JsonObject, E> {
        Ok(JsonObject::NotAnObject)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<JsonObject, E> {
        Ok(JsonObject::NotAnObject)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<JsonObject, E> {
        Ok(JsonObject::NotAnObject)
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonObject, E> {
        Ok(JsonObject::NotAnObject)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut access: A) -> Result<JsonObject, A::Error> {
        // Read as values (the parser's value path is linked anyway; skipping is another copy).
        while access.next_element::<Value>()?.is_some() {}
        Ok(JsonObject::NotAnObject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<JsonObject> {
        parse_object(text.as_bytes()).ok()
    }

    #[test]
    fn objects_duplicates_and_other_types_each_have_their_answer() {
        let Some(JsonObject::Unique(map)) = read(r#"{"a":[1,{"a":2}],"b":{"a":1}}"#) else {
            panic!("a valid object");
        };
        assert_eq!(map.len(), 2);
        assert_eq!(
            read(r#"{"a":1,"b":2,"a":3}"#),
            Some(JsonObject::DuplicateKey)
        );
        for other in ["[]", "[1,[2]]", "1", "-1", "1.5", "\"x\"", "true", "null"] {
            assert_eq!(read(other), Some(JsonObject::NotAnObject), "{other}");
        }
        // Not JSON at all, even after a duplicate: the whole document is still read.
        for broken in ["{", r#"{"a":1,"a":2"#, "[1,", "{}x", r#"{"a":1,"a":2}x"#] {
            assert_eq!(read(broken), None, "{broken}");
        }
    }
}
