//! Key objects made by a platform's crypto (node:crypto, WebCrypto) for the current key set.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

/// The key objects of one key set, found by a linear search: a key set holds a handful of keys,
/// and a hash map would be more code in the module than it saves in time.
pub struct PlatformKeys<K>(RefCell<Vec<(u64, K, JsValue)>>);

impl<K> Default for PlatformKeys<K> {
    fn default() -> Self {
        PlatformKeys(RefCell::new(Vec::new()))
    }
}

impl<K: PartialEq> PlatformKeys<K> {
    /// The object made for `key` of key set `set`, if any.
    pub fn get(&self, set: u64, key: &K) -> Option<JsValue> {
        self.0
            .borrow()
            .iter()
            .find(|(s, k, _)| *s == set && k == key)
            .map(|(_, _, object)| object.clone())
    }

    /// Remembers `object` for `key`, forgetting other key sets' (never used again).
    pub fn insert(&self, set: u64, key: K, object: JsValue) {
        let mut keys = self.0.borrow_mut();
        keys.retain(|(s, _, _)| *s == set);
        keys.push((set, key, object));
    }
}
