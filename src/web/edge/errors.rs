//! The JS fields of the verifier's errors.

use crate::core::edge::EdgeError;
use crate::core::shared::json::ObjectText;

/// Adds the structured fields of an [`EdgeError`].
pub fn fields(kind: &EdgeError, fields: &mut ObjectText) {
    match kind {
        EdgeError::AlgNotAllowed { alg, .. } => {
            fields.string("alg", Some(alg));
        }
        EdgeError::GenerationMismatch { token, .. } => {
            fields.string("option", Some(token.option()));
        }
        EdgeError::CritUnsupported
        | EdgeError::SignatureInvalid { .. }
        | EdgeError::JwksInvalid { .. } => {}
        EdgeError::Expired { exp, now, .. } => {
            fields
                .string("claim", Some("exp"))
                .integer("expiresAt", Some(*exp))
                .integer("now", Some(*now));
        }
        EdgeError::NotYetValid { claim, value, now } => {
            fields
                .string("claim", Some(claim))
                .string("actual", Some(&value.to_string()))
                .integer("now", Some(*now));
        }
        EdgeError::TooOld { iat, now, .. } => {
            fields
                .string("claim", Some("iat"))
                .string("actual", Some(&iat.to_string()))
                .integer("now", Some(*now));
        }
        EdgeError::IssuerMismatch { expected, actual } => {
            fields
                .string("claim", Some("iss"))
                .string("expected", Some(expected))
                .string("actual", Some(actual));
        }
        EdgeError::AudienceMismatch { expected, actual } => {
            fields
                .string("claim", Some("aud"))
                .string("expected", Some(&expected.join(", ")))
                .string("actual", Some(&actual.join(", ")));
        }
        EdgeError::JwksFetchFailed { url, status, .. } => {
            fields
                .string("url", Some(url))
                .integer("status", status.map(i64::from));
        }
        EdgeError::NoMatchingKey { kid, .. } => {
            fields.string("kid", kid.as_deref());
        }
    }
}
