//! The secret keys of the reader's duplicate-key table. With an unkeyed hash anyone can craft
//! keys that share a slot, and an object of such keys costs time quadratic in its size (16,000
//! keys: 200 ms). SipHash keyed per process, as the standard `HashMap` does, leaves an attacker
//! nothing to aim at. Native builds key it from the standard library's random state; the wasm
//! modules are keyed at start-up from the runtime's `crypto.getRandomValues` (`web/mod.rs`).

use std::hash::Hasher;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

static KEY_0: AtomicU64 = AtomicU64::new(0x736f_6d65_7073_6575);
static KEY_1: AtomicU64 = AtomicU64::new(0x646f_7261_6e64_6f6d);
static SEEDED: AtomicBool = AtomicBool::new(false);

/// Keys the table (once per process, before any untrusted input is read).
pub fn seed(key_0: u64, key_1: u64) {
    KEY_0.store(key_0, Ordering::Relaxed);
    KEY_1.store(key_1, Ordering::Relaxed);
    SEEDED.store(true, Ordering::Relaxed);
}

/// SipHash-2-4 of `bytes` under the process's keys.
pub(super) fn keyed_hash(bytes: &[u8]) -> usize {
    #[cfg(not(target_arch = "wasm32"))]
    if !SEEDED.load(Ordering::Relaxed) {
        use std::hash::BuildHasher;
        let random = std::collections::hash_map::RandomState::new();
        seed(random.hash_one(0_u8), random.hash_one(1_u8));
    }
    // The standard library's keyed SipHash; deprecated only in favour of `HashMap`'s own
    // (unstable) hasher, which cannot be given keys.
    #[allow(deprecated)]
    let mut hasher = std::hash::SipHasher::new_with_keys(
        KEY_0.load(Ordering::Relaxed),
        KEY_1.load(Ordering::Relaxed),
    );
    hasher.write(bytes);
    hasher.finish() as usize
}
