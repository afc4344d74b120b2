//! JSON in and out, one way each, chosen for what they keep out of the wasm modules (each
//! alternative links code the modules otherwise do without):
//! - read from bytes only ([`parse_value`], [`parse_object`]): each serde_json reader type is
//!   another copy of the parser;
//! - read as a [`Value`] or a [`JsonObject`], never into typed shapes: type errors format the
//!   value they did not expect (a float formatter), and serde_json's custom errors search their
//!   own text for a position (a string searcher);
//! - written by [`to_text`], never `Value`'s `Display` (a pretty printer, an `io::Error` adapter);
//! - objects built by [`object`], never `json!` with values or `value["key"] = …` (panic paths
//!   that format with `Debug`, and the Unicode tables behind it);
//! - objects handed to JS written by [`ObjectText`]: fields in order, no map and no serde derive
//!   (each derived `Serialize` is its own copy of the serializer's struct path).

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_json::{Map, Value};

/// A value's JSON text (compact).
pub fn to_text(value: &Value) -> String {
    // Cannot fail: a `Value`'s keys are strings.
    serde_json::to_string(value).unwrap_or_default()
}

/// An object's JSON text (compact).
pub fn object_text(map: &Map<String, Value>) -> String {
    // Cannot fail: the keys are strings.
    serde_json::to_string(map).unwrap_or_default()
}

/// A string's JSON text (quoted and escaped).
pub fn string_text(value: &str) -> String {
    // Cannot fail: a string always serializes.
    serde_json::to_string(value).unwrap_or_default()
}

/// A JSON object's text, written field by field in the order given (as JS shows them).
#[derive(Debug)]
pub struct ObjectText(String);

impl Default for ObjectText {
    fn default() -> Self {
        ObjectText(String::from("{"))
    }
}

impl ObjectText {
    /// `"key":` then `json`, which must be JSON text (a value serialised here or checked JSON).
    pub fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0.push_str(&string_text(key));
        self.0.push(':');
        self.0.push_str(json);
        self
    }

    /// A string field, `null` for `None`.
    pub fn string(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        let json = value.map_or_else(|| "null".to_owned(), string_text);
        self.raw(key, &json)
    }

    /// An integer field, `null` for `None`.
    pub fn integer(&mut self, key: &str, value: Option<i64>) -> &mut Self {
        let json = value.map_or_else(|| "null".to_owned(), |n| n.to_string());
        self.raw(key, &json)
    }

    /// An array of strings.
    pub fn strings<'a>(
        &mut self,
        key: &str,
        values: impl IntoIterator<Item = &'a str>,
    ) -> &mut Self {
        let items: Vec<String> = values.into_iter().map(string_text).collect();
        self.raw(key, &format!("[{}]", items.join(",")))
    }

    /// A boolean field.
    pub fn boolean(&mut self, key: &str, value: bool) -> &mut Self {
        self.raw(key, if value { "true" } else { "false" })
    }

    /// The text, closed.
    pub fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
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
    fn object_text_keeps_the_order_and_escapes_keys_and_strings() {
        let mut text = ObjectText::default();
        text.string("z\"", Some("a\u{2028}\n\"\\"))
            .string("none", None)
            .integer("n", Some(-12))
            .integer("absent", None)
            .boolean("t", true)
            .raw("list", "[1,{\"a\":null}]")
            .strings("none", [])
            .strings("some", ["a", "\""]);
        let text = text.finish();
        assert_eq!(
            text,
            concat!(
                r#"{"z\"":"a"#,
                "\u{2028}",
                r#"\n\"\\","none":null,"n":-12,"absent":null,"t":true,"list":[1,{"a":null}],"none":[],"some":["a","\""]}"#
            )
        );
        assert!(parse_value(text.as_bytes()).is_ok());
        assert_eq!(ObjectText::default().finish(), "{}");
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
