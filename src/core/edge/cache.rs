//! A bounded cache of already-verified tokens, keyed by the exact token string.
//!
//! Each entry remembers the instant it stops being acceptable (`exp` or `maxTokenAge`, with the
//! tolerance), checked on every hit. The whole cache is dropped when the key set changes.
//! Keys are hashed with FxHash, not a keyed hash: only tokens whose signature verified are
//! stored, so nobody can choose colliding keys (a lookup of any string costs one hash).

use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use rustc_hash::FxBuildHasher;

/// Verified tokens → `V`, oldest evicted first once `capacity` is reached.
#[derive(Debug)]
pub struct VerifiedCache<V> {
    capacity: usize,
    /// Each token is stored once, shared by the map and the eviction order.
    entries: HashMap<Rc<str>, (V, i64), FxBuildHasher>,
    order: VecDeque<Rc<str>>,
    key_set_id: Option<u64>,
    /// Bumped whenever the entries are dropped (a new key set, a clear): a copy of an entry held
    /// elsewhere is good only while the generation it was taken at is current.
    generation: u64,
}

impl<V> VerifiedCache<V> {
    /// A cache of at most `capacity` tokens; 0 disables caching.
    pub fn new(capacity: usize) -> Self {
        VerifiedCache {
            capacity,
            entries: HashMap::default(),
            order: VecDeque::new(),
            key_set_id: None,
            generation: 0,
        }
    }

    /// Drops everything when `key_set_id` is not the key set the entries were verified under.
    pub fn follow_key_set(&mut self, key_set_id: u64) {
        if self.key_set_id != Some(key_set_id) {
            self.clear();
            self.key_set_id = Some(key_set_id);
        }
    }

    /// The most tokens it holds (0: caching is off).
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The current generation (see the field).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The generation an entry inserted now under `key_set_id` will belong to; `None` when
    /// caching is off (nothing will be stored).
    pub fn generation_for_insert(&mut self, key_set_id: u64) -> Option<u64> {
        if self.capacity == 0 {
            return None;
        }
        self.follow_key_set(key_set_id);
        Some(self.generation)
    }

    /// The value for `token` if it was verified under key set `key_set_id` and is still
    /// acceptable at `now`; an entry past its instant is dropped.
    pub fn get(&mut self, token: &str, key_set_id: u64, now: i64) -> Option<&V> {
        self.follow_key_set(key_set_id);
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
        self.follow_key_set(key_set_id);
        while self.entries.len() >= self.capacity {
            match self.order.pop_front() {
                Some(oldest) => {
                    self.entries.remove(&oldest);
                }
                None => break,
            }
        }
        let token: Rc<str> = Rc::from(token);
        if self
            .entries
            .insert(Rc::clone(&token), (value, valid_until))
            .is_none()
        {
            self.order.push_back(token);
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
        self.generation += 1;
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
