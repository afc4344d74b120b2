//! Decoding a compact JWT without verifying it: header, claims, Convex Auth's subject, lifetime.
//!
//! Decoding is strict: exactly three segments, canonical unpadded base64url, JSON objects without
//! duplicate keys, and typed registered claims. Nothing here trusts the token; the edge verifier
//! checks the signature and the policy on top of this.

use crate::core::shared::json::{Map, Value};

use super::base64url::{self, NotBase64Url};
use super::error::{Error, ErrorKind, Result, TokenPart, truncate};
use super::json::{JsonObject, parse_object, to_text};

/// Default cap on the token length, checked before any parsing.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 8 * 1024;

/// The JOSE header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// `alg`, required.
    pub alg: String,
    /// `kid`, if present.
    pub kid: Option<String>,
    /// `typ`, if present.
    pub typ: Option<String>,
    /// Every header parameter, including the ones above.
    pub raw: Map,
}

/// The `aud` claim: one audience or several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// `"aud": "convex"`
    One(String),
    /// `"aud": ["convex", "other"]`
    Many(Vec<String>),
}

impl Audience {
    /// Every audience named.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let slice = match self {
            Audience::One(a) => std::slice::from_ref(a),
            Audience::Many(list) => list.as_slice(),
        };
        slice.iter().map(String::as_str)
    }
}

/// The registered claims, typed, plus every claim as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims {
    /// `sub`
    pub sub: Option<String>,
    /// `iss`
    pub iss: Option<String>,
    /// `aud`
    pub aud: Option<Audience>,
    /// `exp`, seconds since the epoch.
    pub exp: Option<i64>,
    /// `iat`, seconds since the epoch.
    pub iat: Option<i64>,
    /// `nbf`, seconds since the epoch.
    pub nbf: Option<i64>,
    /// Every claim, including the ones above.
    pub raw: Map,
}

/// Convex Auth's subject: `"<userId>|<sessionId>"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject<'a> {
    /// The `users` document id.
    pub user_id: &'a str,
    /// The `authSessions` document id; `None` for subjects without a `|` (other issuers).
    pub session_id: Option<&'a str>,
}

/// A decoded, unverified JWT.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedToken {
    /// The header.
    pub header: Header,
    /// The claims.
    pub claims: Claims,
    /// The payload's JSON text, as signed (what results for JS are parsed from).
    pub payload_json: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
    /// Length of `header.payload`, the signed input, as a prefix of the token.
    pub signing_input_len: usize,
}

impl DecodedToken {
    /// Splits `sub` the way Convex Auth builds it.
    pub fn subject(&self) -> Option<Subject<'_>> {
        self.claims.sub.as_deref().map(split_subject)
    }

    /// Seconds from `now` until `exp` (negative once expired); `None` without `exp`.
    pub fn remaining_lifetime(&self, now: i64) -> Option<i64> {
        self.claims.exp.map(|exp| exp.saturating_sub(now))
    }

    /// `exp - iat`: the lifetime the issuer granted, independent of any clock skew.
    pub fn issued_lifetime(&self) -> Option<i64> {
        Some(self.claims.exp?.saturating_sub(self.claims.iat?))
    }
}

/// Splits a Convex Auth subject at the first `|`.
pub fn split_subject(sub: &str) -> Subject<'_> {
    match sub.split_once('|') {
        Some((user_id, session_id)) => Subject {
            user_id,
            session_id: Some(session_id),
        },
        None => Subject {
            user_id: sub,
            session_id: None,
        },
    }
}

/// A compact JWS split and decoded, with its header typed and its payload still raw JSON: what
/// the verifier checks the signature of before any claim is interpreted.
#[derive(Debug, Clone, PartialEq)]
pub struct RawToken {
    /// The header.
    pub header: Header,
    /// The payload, a JSON object without duplicate keys; its claims are not typed yet.
    pub payload: Map,
    /// The payload's JSON text.
    pub payload_json: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
    /// Length of `header.payload`, the signed input, as a prefix of the token.
    pub signing_input_len: usize,
}

impl RawToken {
    /// Types the registered claims (after the signature is verified, for the verifier).
    pub fn into_decoded(self) -> Result<DecodedToken> {
        Ok(DecodedToken {
            claims: parse_claims(self.payload)?,
            header: self.header,
            payload_json: self.payload_json,
            signature: self.signature,
            signing_input_len: self.signing_input_len,
        })
    }
}

/// Decodes `token` without verifying it. Tokens longer than `max_bytes` are refused first.
pub fn decode(token: &str, max_bytes: usize) -> Result<DecodedToken> {
    decode_structure(token, max_bytes)?.into_decoded()
}

/// Splits and decodes `token` (size, segments, base64url, JSON objects, header) without typing
/// its claims.
pub fn decode_structure(token: &str, max_bytes: usize) -> Result<RawToken> {
    if token.len() > max_bytes {
        return Err(ErrorKind::JwtTooLarge {
            size: token.len(),
            limit: max_bytes,
        }
        .into());
    }
    let mut segments = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) else {
        let count = token.split('.').count();
        return Err(malformed(
            TokenPart::Token,
            format!("expected 3 dot-separated segments, found {count}"),
        ));
    };
    let signing_input_len = header.len() + 1 + payload.len();
    let header = parse_header(decode_object(header, TokenPart::Header)?.0)?;
    let (payload, payload_json) = decode_object(payload, TokenPart::Payload)?;
    let signature = decode_segment(signature, TokenPart::Signature)?;
    if signature.is_empty() {
        return Err(malformed(
            TokenPart::Signature,
            "the signature is empty".into(),
        ));
    }
    Ok(RawToken {
        header,
        payload,
        payload_json,
        signature,
        signing_input_len,
    })
}

fn malformed(part: TokenPart, reason: String) -> Error {
    ErrorKind::JwtMalformed { part, reason }.into()
}

/// Encodes bytes as unpadded base64url (the JOSE encoding).
pub fn encode_base64url(bytes: &[u8]) -> String {
    base64url::encode(bytes)
}

/// Decodes canonical unpadded base64url (the JOSE encoding).
pub fn decode_base64url(text: &str) -> std::result::Result<Vec<u8>, NotBase64Url> {
    base64url::decode(text)
}

fn decode_segment(segment: &str, part: TokenPart) -> Result<Vec<u8>> {
    if segment.is_empty() {
        return Err(malformed(part, "the segment is empty".into()));
    }
    decode_base64url(segment)
        .map_err(|_| malformed(part, "not canonical unpadded base64url".into()))
}

/// The object a segment encodes, and its JSON text.
fn decode_object(segment: &str, part: TokenPart) -> Result<(Map, String)> {
    let bytes = decode_segment(segment, part)?;
    match parse_object(&bytes) {
        // JSON that parsed is UTF-8 (the reader checks the strings; the rest is ASCII).
        Ok(JsonObject::Unique(map)) => Ok((map, String::from_utf8(bytes).unwrap_or_default())),
        Ok(JsonObject::DuplicateKey) => {
            Err(malformed(part, "a JSON object with a duplicate key".into()))
        }
        Ok(JsonObject::NotAnObject) => Err(malformed(part, "JSON, but not an object".into())),
        Err(error) => {
            let what = if error.is_eof() {
                "truncated JSON"
            } else {
                "not JSON"
            };
            let (line, column) = (error.line(), error.column());
            Err(malformed(
                part,
                format!("{what} (line {line} column {column})"),
            ))
        }
    }
}

fn parse_header(raw: Map) -> Result<Header> {
    let alg = match raw.get("alg") {
        Some(Value::String(alg)) => alg.clone(),
        Some(_) => {
            return Err(malformed(
                TokenPart::Header,
                "\"alg\" is not a string".into(),
            ));
        }
        None => return Err(malformed(TokenPart::Header, "\"alg\" is missing".into())),
    };
    let optional_string = |name: &str| match raw.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(malformed(
            TokenPart::Header,
            format!("\"{name}\" is not a string"),
        )),
    };
    Ok(Header {
        kid: optional_string("kid")?,
        typ: optional_string("typ")?,
        alg,
        raw,
    })
}

fn parse_claims(raw: Map) -> Result<Claims> {
    Ok(Claims {
        sub: string_claim(&raw, "sub")?,
        iss: string_claim(&raw, "iss")?,
        aud: audience_claim(&raw)?,
        exp: numeric_date(&raw, "exp")?,
        iat: numeric_date(&raw, "iat")?,
        nbf: numeric_date(&raw, "nbf")?,
        raw,
    })
}

fn invalid(claim: &'static str, expected: &'static str, actual: &Value) -> Error {
    ErrorKind::ClaimInvalid {
        claim,
        expected,
        actual: truncate(&to_text(actual), 100),
    }
    .into()
}

fn string_claim(raw: &Map, claim: &'static str) -> Result<Option<String>> {
    match raw.get(claim) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(invalid(claim, "a string", other)),
    }
}

fn audience_claim(raw: &Map) -> Result<Option<Audience>> {
    const EXPECTED: &str = "a string or an array of strings";
    match raw.get("aud") {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(Audience::One(s.clone()))),
        Some(list @ Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| invalid("aud", EXPECTED, list))
            })
            .collect::<Result<Vec<_>>>()
            .map(|list| Some(Audience::Many(list))),
        Some(other) => Err(invalid("aud", EXPECTED, other)),
    }
}

/// Latest NumericDate accepted: year 9999. Larger values are nonsense and risk overflow.
const MAX_NUMERIC_DATE: i64 = 253_402_300_799;

fn numeric_date(raw: &Map, claim: &'static str) -> Result<Option<i64>> {
    const EXPECTED: &str = "a NumericDate (seconds since 1970 as a JSON number)";
    let Some(value) = raw.get(claim) else {
        return Ok(None);
    };
    let seconds = match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite())
                .map(|f| f.floor() as i64)
        }),
        _ => None,
    };
    match seconds {
        Some(s) if (0..=MAX_NUMERIC_DATE).contains(&s) => Ok(Some(s)),
        _ => Err(invalid(claim, EXPECTED, value)),
    }
}
