//! The deployment's signing key and key set: present, in the shape Convex Auth reads, strong,
//! and matching each other. What the platform's crypto made of the private key comes in as
//! [`KeyFacts`] (the doctor never parses or prints the secret itself).

use crate::core::shared::json::Value;
use serde::Deserialize;

use super::Setup;
use super::env::Source;
use super::finding::{Finding, Group};
use crate::core::edge::jwks::{KeySet, MIN_RSA_BITS, RsaPublicKey};
use crate::core::shared::json::parse_value;
use crate::core::shared::token::decode_base64url;

const PKCS8_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PKCS8_END: &str = "-----END PRIVATE KEY-----";
const SETUP_COMMAND: &str = "Run `npx @convex-dev/auth` in the project: it generates the key pair and sets JWT_PRIVATE_KEY and JWKS on the deployment";

/// What the platform's crypto (node:crypto in the CLI) made of `JWT_PRIVATE_KEY`'s PKCS#8 bytes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeyFacts {
    /// It imported as a private key.
    pub parsed: bool,
    /// Why not, if it did not.
    pub error: Option<String>,
    /// `rsa`, `ec`, …
    pub key_type: Option<String>,
    /// The RSA modulus, base64url (the public half, comparable with the JWKS `n`).
    pub n: Option<String>,
}

/// The PKCS#8 DER of `JWT_PRIVATE_KEY` in standard base64, read as Convex Auth reads it (the PEM
/// body with every space and newline dropped), when the text has the PKCS#8 markers.
pub fn pkcs8_der_base64(value: &str) -> Option<String> {
    let (_, rest) = value.split_once(PKCS8_BEGIN)?;
    let (body, _) = rest.split_once(PKCS8_END)?;
    Some(body.split_whitespace().collect())
}

/// Findings about `JWT_PRIVATE_KEY`, `JWKS` and `SITE_URL` in the deployment's environment, and
/// about secrets in the app's. Returns the private key's modulus when it is usable.
pub(super) fn check_deployment_env(
    setup: &Setup,
    key: Option<&KeyFacts>,
    out: &mut Vec<Finding>,
) -> Option<String> {
    let in_app = setup.app.get("JWT_PRIVATE_KEY").and_then(|(_, s)| match s {
        Source::File(name) => Some(name.clone()),
        Source::Process => None,
    });
    let Some(deployment) = &setup.deployment else {
        if let Some(file) = in_app {
            out.push(Finding::warning(
                "SECRET_IN_APP_ENV",
                Group::AppEnv,
                format!("JWT_PRIVATE_KEY is in {file}; Convex functions never read the app's env files, and the app never needs the private key"),
                format!("Check the deployment has it (`npx convex env list | npx convex-auth-wasm doctor --deployment-env -`), then delete it from {file}"),
            ));
        }
        return None;
    };
    if let Some(file) = &in_app {
        out.push(Finding::warning(
            "SECRET_IN_APP_ENV",
            Group::AppEnv,
            format!("JWT_PRIVATE_KEY is in {file}: the app never needs the private key"),
            format!("Delete JWT_PRIVATE_KEY from {file} (the deployment keeps its own)"),
        ));
    }
    let private = check_private_key(
        deployment.get("JWT_PRIVATE_KEY"),
        in_app.as_deref(),
        key,
        out,
    );
    let jwks = check_jwks_env(deployment.get("JWKS"), out);
    if let (Some(jwks), Some(n)) = (&jwks, &private) {
        check_match(jwks, n, "the deployment's JWKS", out);
    }
    check_site_url(setup, deployment, out);
    private
}

/// The deployment's `SITE_URL`: set, and the app's origin.
fn check_site_url(setup: &Setup, deployment: &super::env::DeploymentEnv, out: &mut Vec<Finding>) {
    match deployment.get("SITE_URL") {
        None => out.push(Finding::error(
            "SITE_URL_ENV_MISSING",
            Group::DeploymentEnv,
            "SITE_URL is not set on the deployment: OAuth callbacks and magic links have nowhere to return to".into(),
            format!(
                "npx convex env set SITE_URL {}",
                setup.input.app_origin.as_deref().unwrap_or("http://localhost:3000")
            ),
        )),
        Some(site) => {
            let given = setup.input.app_origin.as_deref().map(|o| o.trim_end_matches('/'));
            if let Some(origin) = given.filter(|o| *o != site.trim().trim_end_matches('/')) {
                out.push(Finding::error(
                    "SITE_URL_ENV_MISMATCH",
                    Group::DeploymentEnv,
                    format!("the deployment's SITE_URL ({site}) is not the app's origin ({origin}): OAuth and magic links send users elsewhere"),
                    format!("npx convex env set SITE_URL {origin}"),
                ));
            }
        }
    }
}

/// The private key's text, then what the platform made of it; the modulus when usable.
fn check_private_key(
    value: Option<&str>,
    in_app: Option<&str>,
    key: Option<&KeyFacts>,
    out: &mut Vec<Finding>,
) -> Option<String> {
    let error = |code, problem: &str, fix: String| {
        Finding::error(code, Group::DeploymentEnv, problem.to_owned(), fix)
    };
    let Some(value) = value else {
        let problem = match in_app {
            Some(file) => format!("JWT_PRIVATE_KEY is missing from the deployment (it is in {file}, which Convex functions never read): sign-in fails with \"Missing environment variable JWT_PRIVATE_KEY\""),
            None => "JWT_PRIVATE_KEY is missing from the deployment: sign-in fails with \"Missing environment variable JWT_PRIVATE_KEY\"".to_owned(),
        };
        out.push(error(
            "JWT_PRIVATE_KEY_MISSING",
            &problem,
            SETUP_COMMAND.into(),
        ));
        return None;
    };
    let trimmed = value.trim();
    let reset = "Set it again without them: `npx convex env set JWT_PRIVATE_KEY -- \"$(tr '\\n' ' ' < private.pem)\"`, or run `npx @convex-dev/auth`";
    if trimmed.len() >= 2
        && (trimmed.starts_with('"') && trimmed.ends_with('"')
            || trimmed.starts_with('\'') && trimmed.ends_with('\''))
    {
        out.push(error(
            "JWT_PRIVATE_KEY_QUOTED",
            "JWT_PRIVATE_KEY on the deployment is wrapped in quotes, which become part of the key",
            reset.into(),
        ));
        return None;
    }
    if value.contains("\\n") {
        out.push(error("JWT_PRIVATE_KEY_ESCAPED_NEWLINES", "JWT_PRIVATE_KEY on the deployment holds literal \\n sequences (copied from JSON?); the key cannot be read", reset.into()));
        return None;
    }
    if value.contains("-----BEGIN RSA PRIVATE KEY-----")
        || value.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    {
        out.push(error(
            "JWT_PRIVATE_KEY_NOT_PKCS8",
            "JWT_PRIVATE_KEY on the deployment is not an unencrypted PKCS#8 key (\"BEGIN PRIVATE KEY\"); Convex Auth imports PKCS#8 only",
            "Convert it: `openssl pkcs8 -topk8 -nocrypt -in key.pem -out private.pem`, then set JWT_PRIVATE_KEY from private.pem (and JWKS to match), or run `npx @convex-dev/auth`".into(),
        ));
        return None;
    }
    if pkcs8_der_base64(value).is_none() {
        out.push(error("JWT_PRIVATE_KEY_INVALID", "JWT_PRIVATE_KEY on the deployment has no \"-----BEGIN PRIVATE KEY-----\" … \"-----END PRIVATE KEY-----\" block", SETUP_COMMAND.into()));
        return None;
    }
    let facts = key?;
    if !facts.parsed || facts.key_type.as_deref() != Some("rsa") {
        let why = facts.error.clone().unwrap_or_else(|| {
            format!(
                "a {} key, not RSA",
                facts.key_type.as_deref().unwrap_or("non-RSA")
            )
        });
        out.push(error(
            "JWT_PRIVATE_KEY_INVALID",
            &format!("JWT_PRIVATE_KEY on the deployment is not a usable RSA private key: {why}"),
            SETUP_COMMAND.into(),
        ));
        return None;
    }
    facts.n.clone()
}

/// The deployment's `JWKS` variable: present, JSON, well formed and strong.
fn check_jwks_env(value: Option<&str>, out: &mut Vec<Finding>) -> Option<Vec<RsaPublicKey>> {
    let Some(value) = value else {
        out.push(Finding::error(
            "JWKS_MISSING",
            Group::DeploymentEnv,
            "JWKS is missing from the deployment: /.well-known/jwks.json cannot serve the public key".into(),
            SETUP_COMMAND.into(),
        ));
        return None;
    };
    if parse_value(value.trim().as_bytes()).is_err() {
        out.push(Finding::error(
            "JWKS_NOT_JSON",
            Group::DeploymentEnv,
            "JWKS on the deployment is not JSON (quoted, truncated, or the PEM pasted instead?)".into(),
            "Set it to the JSON key set that matches JWT_PRIVATE_KEY: `npx convex env set JWKS '{\"keys\":[…]}'`, or run `npx @convex-dev/auth`".into(),
        ));
        return None;
    }
    key_set(value, "the deployment's JWKS", Group::DeploymentEnv, out)
}

/// The fix for a key set that cannot be used (`JWKS_MALFORMED`).
pub(super) const JWKS_FIX: &str =
    "Set JWKS to the key set printed by `npx @convex-dev/auth` (or generated with the private key)";

/// A JWKS document's RSA keys, after the strength and shape checks (findings in `group`).
pub(super) fn key_set(
    json: &str,
    what: &str,
    group: Group,
    out: &mut Vec<Finding>,
) -> Option<Vec<RsaPublicKey>> {
    let keys = rsa_keys(json);
    if let Some(weak) = keys.iter().find(|k| k.bits() < MIN_RSA_BITS) {
        out.push(Finding::error(
            "JWKS_WEAK_KEY",
            group,
            format!("{what} holds a {}-bit RSA key; verifiers refuse keys under {MIN_RSA_BITS} bits", weak.bits()),
            "Generate a new 2048-bit pair: `npx @convex-dev/auth` (it sets JWT_PRIVATE_KEY and JWKS together)".into(),
        ));
        return None;
    }
    if let Err(e) = KeySet::parse(json) {
        out.push(Finding::error(
            "JWKS_MALFORMED",
            group,
            format!("{what} is not a usable key set: {e}"),
            JWKS_FIX.into(),
        ));
        return None;
    }
    Some(keys)
}

/// `JWKS_KEY_MISMATCH` unless one of `keys` has the private key's modulus.
pub(super) fn check_match(
    keys: &[RsaPublicKey],
    private_n: &str,
    what: &str,
    out: &mut Vec<Finding>,
) {
    let Ok(n) = decode_base64url(private_n) else {
        return;
    };
    let n = strip_zeros(&n);
    if !keys.iter().any(|k| strip_zeros(&k.n) == n) {
        out.push(Finding::error(
            "JWKS_KEY_MISMATCH",
            Group::Keys,
            format!("{what} does not hold the public half of JWT_PRIVATE_KEY: every token the deployment signs fails verification"),
            "Regenerate both together with `npx @convex-dev/auth`, or set JWKS to the public key of the current JWT_PRIVATE_KEY".into(),
        ));
    }
}

/// True when the JWKS document `json` holds exactly the moduli of `keys`.
pub(super) fn same_keys(keys: &[RsaPublicKey], json: &str) -> bool {
    let mut a: Vec<&[u8]> = keys.iter().map(|k| k.n.as_slice()).collect();
    let other = rsa_keys(json);
    let mut b: Vec<&[u8]> = other.iter().map(|k| k.n.as_slice()).collect();
    a.sort();
    b.sort();
    a == b
}

/// The RSA keys of a JWKS document (whatever else it holds).
fn rsa_keys(json: &str) -> Vec<RsaPublicKey> {
    let Ok(Value::Object(doc)) = parse_value(json.as_bytes()) else {
        return Vec::new();
    };
    let Some(Value::Array(keys)) = doc.get("keys") else {
        return Vec::new();
    };
    keys.iter()
        .filter(|k| k.get("kty").and_then(Value::as_str) == Some("RSA"))
        .filter_map(|k| {
            let part = |name| {
                k.get(name)
                    .and_then(Value::as_str)
                    .and_then(|v| decode_base64url(v).ok())
            };
            Some(RsaPublicKey {
                n: strip_zeros(&part("n")?).to_vec(),
                e: strip_zeros(&part("e")?).to_vec(),
            })
        })
        .collect()
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}
