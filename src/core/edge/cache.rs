//! A bounded cache of already-verified tokens, keyed by the exact token string.
//!
//! Each entry remembers the instant it stops being acceptable (`exp` or `maxTokenAge`, with the
//! tolerance), checked on every hit. The whole cache is dropped when the key set changes.
//! Keys are hashed with FxHash, not a keyed hash: only tokens whose signature verified are
//! stored, so nobody can choose colliding keys (a lookup of any string costs one hash).

use std::collections::{HashMap, VecDeque};

use rustc_hash::FxBuildHasher;

/// Verified tokens → `V`, oldest evicted first once `capacity` is reached.
#[derive(Debug)]
pub struct VerifiedCache<V> {
    capacity: usize,
    entries: HashMap<String, (V, i64), FxBuildHasher>,
    order: VecDeque<String>,
    key_set_id: Option<u64>,
}

impl<V> VerifiedCache<V> {
    /// A cache of at most `capacity` tokens; 0 disables caching.
    pub fn new(capacity: usize) -> Self {
        VerifiedCache {
            capacity,
            entries: HashMap::default(),
            order: VecDeque::new(),
            key_set_id: None,
        }
    }

    /// The value for `token` if it was verified under key set `key_set_id` and is still
    /// acceptable at `now`; an entry past its instant is dropped.
    pub fn get(&mut self, token: &str, key_set_id: u64, now: i64) -> Option<&V> {
        if self.key_set_id != Some(key_set_id) {
            self.clear();
            self.key_set_id = Some(key_set_id);
            return None;
        }
        let valid_until = self.entries.get(token)?.1;
        if now >= valid_until {
            self.entries.remove(token);
            return None;
        }
        self.entries.get(token).map(|(v, _)| v)
    }

    /// Remembers `token` as verified under `key_set_id` until `valid_until` (exclusive).
    pub fn insert(&mut self, token: &str, value: V, key_set_id: u64, valid_until: i64) {
        if self.capacity == 0 {
            return;
        }
        if self.key_set_id != Some(key_set_id) {
            self.clear();
            self.key_set_id = Some(key_set_id);
        }
        while self.entries.len() >= self.capacity {
            match self.order.pop_front() {
                Some(oldest) => {
                    self.entries.remove(&oldest);
                }
                None => break,
            }
        }
        if self
            .entries
            .insert(token.to_owned(), (value, valid_until))
            .is_none()
        {
            self.order.push_back(token.to_owned());
        }
        // Entries dropped on expiry leave names behind in `order`; compact now and then.
        if self.order.len() > 2 * self.capacity {
            let entries = &self.entries;
            self.order.retain(|t| entries.contains_key(t));
        }
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
    }

    /// Number of cached tokens.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
