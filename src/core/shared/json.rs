//! Reading JSON: one way in, for every document the crate reads.
//!
//! Documents are parsed from bytes only (`from_slice`): each serde_json reader type is a copy of
//! the whole parser in the wasm modules. They are read as a [`Value`] or a [`UniqueObject`],
//! never into typed shapes, whose type errors would format the unexpected value (and so link a
//! float formatter).

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_json::{Map, Value};

/// Parses any JSON document.
pub fn parse_value(bytes: &[u8]) -> serde_json::Result<Value> {
    serde_json::from_slice(bytes)
}

/// Parses a JSON object, refusing duplicate keys.
pub fn parse_object(bytes: &[u8]) -> serde_json::Result<UniqueObject> {
    serde_json::from_slice(bytes)
}

/// A JSON object parsed with duplicate keys refused (`{"exp":1,"exp":2}` is ambiguous: parsers
/// disagree on which value wins, which is how claim-smuggling attacks work).
///
/// Its visitor answers every non-object itself: serde's default answer formats the value it
/// did not expect, which links a float formatter into the wasm modules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UniqueObject(pub Map<String, Value>);

impl<'de> Deserialize<'de> for UniqueObject {
    fn deserialize<D: de::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = UniqueObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Self::Value, E> {
                Err(not_an_object())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<Self::Value, E> {
                Err(not_an_object())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<Self::Value, E> {
                Err(not_an_object())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Self::Value, E> {
                Err(not_an_object())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<Self::Value, E> {
                Err(not_an_object())
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
                Err(not_an_object())
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                _: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                Err(not_an_object())
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut access: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut map = Map::new();
                while let Some((key, value)) = access.next_entry::<String, Value>()? {
                    if map.contains_key(&key) {
                        return Err(de::Error::custom("duplicate key"));
                    }
                    map.insert(key, value);
                }
                Ok(UniqueObject(map))
            }
        }
        fn not_an_object<E: de::Error>() -> E {
            E::custom("not an object")
        }
        deserializer.deserialize_any(ObjectVisitor)
    }
}
