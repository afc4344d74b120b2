//! The differential tests' shared pieces: tokens signed by `jsonwebtoken`, its clock, and the
//! comparison of the shipped verifier with it as an oracle.

use jsonwebtoken::{Algorithm, EncodingKey};

use super::b64;

/// A case: its name, the token, and — where the shipped verifier is deliberately stricter — why.
pub type Case = (&'static str, String, Option<&'static str>);

/// The system clock in seconds: jsonwebtoken reads it, so corpora are made relative to it.
#[allow(clippy::disallowed_methods)] // the oracle has no clock parameter
pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `header.payload.signature` with the texts as given (duplicate keys and all), signed by `key`.
pub fn sign_text(header: &str, payload: &str, alg: Algorithm, key: &EncodingKey) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let signature = jsonwebtoken::crypto::sign(input.as_bytes(), key, alg).unwrap();
    format!("{input}.{signature}")
}

/// Judges every case with both: they must agree, except on the cases that name a deliberate
/// difference, where the shipped verifier must refuse what the oracle accepts (so the list stays
/// true). Returns those differences, `name: reason`.
pub fn compare(
    cases: &[Case],
    ours: impl Fn(&str) -> Result<(), String>,
    theirs: impl Fn(&str) -> Result<(), String>,
) -> Vec<String> {
    let mut differences = Vec::new();
    for (name, token, stricter) in cases {
        let (ours, theirs) = (ours(token), theirs(token));
        match stricter {
            None => assert_eq!(
                ours.is_ok(),
                theirs.is_ok(),
                "{name}: ours {ours:?}, jsonwebtoken {theirs:?}"
            ),
            Some(reason) => {
                assert!(
                    ours.is_err() && theirs.is_ok(),
                    "{name} ({reason}): ours {ours:?}, jsonwebtoken {theirs:?}"
                );
                differences.push(format!("{name}: {reason}"));
            }
        }
    }
    differences
}
