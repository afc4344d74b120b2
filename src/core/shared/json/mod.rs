//! JSON in and out, one way each. The reader and writer are this crate's own (`read.rs`,
//! `write.rs`), held to serde_json by differential tests (`tests/json.rs`): serde_json's
//! generic reader, writer, `BTreeMap` objects and float formatting were a fifth of the client
//! module. What they do here:
//! - read from bytes ([`parse_value`], [`parse_object`]) into a [`Value`], never into typed
//!   shapes (a typed read is code per shape; the checks are written where the values are used);
//! - objects keep their members in the order written, each key once (the last value of a
//!   repeated key, as `JSON.parse` keeps it), and [`parse_object`] reports a repeated top-level
//!   key instead (claim smuggling: parsers disagree on which value wins);
//! - numbers keep their literal: what was read is written back exactly;
//! - written by [`to_text`]; objects built by [`object`]; objects handed to JS written by
//!   [`ObjectText`] (fields in order, one `JSON.parse` on the JS side).

pub mod hash_keys;
mod read;
mod value;
mod write;

pub use read::JsonError;
pub use value::{Map, Number, Value};

/// A value's JSON text (compact).
pub fn to_text(value: &Value) -> String {
    let mut out = String::new();
    write::write_value(&mut out, value);
    out
}

/// An object's JSON text (compact).
pub fn object_text(map: &Map) -> String {
    let mut out = String::new();
    write::write_object(&mut out, map);
    out
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
    /// Starts a member: the separator, `"key":`; the value is written into what is returned.
    fn member(&mut self, key: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        write::write_string(&mut self.0, key);
        self.0.push(':');
        &mut self.0
    }

    /// `"key":` then `json`, which must be JSON text (a value serialised here or checked JSON).
    pub fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.member(key).push_str(json);
        self
    }

    /// A string field, `null` for `None`.
    pub fn string(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        let out = self.member(key);
        match value {
            Some(text) => write::write_string(out, text),
            None => out.push_str("null"),
        }
        self
    }

    /// An integer field, `null` for `None`.
    pub fn integer(&mut self, key: &str, value: Option<i64>) -> &mut Self {
        let out = self.member(key);
        match value {
            Some(n) => write::write_integer(out, n),
            None => out.push_str("null"),
        }
        self
    }

    /// An array of strings.
    pub fn strings<'a>(
        &mut self,
        key: &str,
        values: impl IntoIterator<Item = &'a str>,
    ) -> &mut Self {
        let out = self.member(key);
        out.push('[');
        for (i, text) in values.into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write::write_string(out, text);
        }
        out.push(']');
        self
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

/// A JSON object from its entries (a repeated key keeps its last value).
pub fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    let mut map = Map::new();
    for (key, value) in entries {
        map.insert(key.to_owned(), value);
    }
    Value::Object(map)
}

/// Parses any JSON document.
pub fn parse_value(bytes: &[u8]) -> Result<Value, JsonError> {
    read::document(bytes).map(|(value, _)| value)
}

/// A document that had to be a JSON object without duplicate keys. Duplicates are refused:
/// `{"exp":1,"exp":2}` is ambiguous (parsers disagree on which value wins, which is how
/// claim-smuggling attacks work).
#[derive(Debug, Clone, PartialEq)]
pub enum JsonObject {
    /// The object.
    Unique(Map),
    /// An object that names a key twice.
    DuplicateKey,
    /// Well-formed JSON of another type.
    NotAnObject,
}

/// Parses a JSON object; the `Err` is for text that is not JSON at all.
pub fn parse_object(bytes: &[u8]) -> Result<JsonObject, JsonError> {
    Ok(match read::document(bytes)? {
        (Value::Object(_), true) => JsonObject::DuplicateKey,
        (Value::Object(map), false) => JsonObject::Unique(map),
        _ => JsonObject::NotAnObject,
    })
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
