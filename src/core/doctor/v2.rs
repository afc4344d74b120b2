//! Convex Auth 2: which generation the app runs (from its `package.json` and
//! `convex/auth.config.ts`), and the checks of a 2.x setup — the `convex` version, the provider,
//! 0.x variables left on the deployment, the JWKS on the cloud origin, a sample token — plus the
//! steps that take a 0.x app to 2.0 (`doctor --migrate`).

use super::Setup;
use super::finding::{Finding, Group};
use super::probes::{Observation, Plan, get, route_probes};
use super::ssr;
use crate::core::edge::algorithm::KeyKind;
use crate::core::edge::generation::Generation;
use crate::core::edge::jwks::KeySet;
use crate::core::edge::verify::verify;
use crate::core::shared::web_url::WebUrl;

/// The oldest `convex` Convex Auth 2 runs on (`ctx.auth.signJwt`).
const MIN_CONVEX: (u64, u64) = (1, 48);
/// The variables Convex Auth 0.x needed on the deployment and 2.x no longer reads.
const V0_ONLY_ENV: [&str; 3] = ["JWT_PRIVATE_KEY", "JWKS", "SITE_URL"];

/// What the app's files say about its Convex Auth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppFacts {
    /// The generation: 2 when `@convex-dev/auth` is ≥ 1 or `auth.config.ts` calls
    /// `convexAuthProvider()`, else 0.x.
    pub generation: Generation,
    /// The `@convex-dev/auth` version range in `package.json`, if any.
    pub auth_version: Option<String>,
    /// The `convex` version range in `package.json`, if any.
    pub convex_version: Option<String>,
}

impl AppFacts {
    /// Reads `package.json` and `convex/auth.config.ts` (either may be absent).
    pub fn read(package_json: Option<&str>, auth_config: Option<&str>) -> Self {
        let dependency = |name: &str| package_json.and_then(|text| dependency(text, name));
        let auth_version = dependency("@convex-dev/auth");
        let convex_version = dependency("convex");
        let by_package = auth_version
            .as_deref()
            .and_then(min_version)
            .map(|(major, _)| major >= 1);
        let by_config = auth_config.map(mentions_provider);
        let v2 = by_package.or(by_config).unwrap_or(false);
        AppFacts {
            generation: if v2 { Generation::V2 } else { Generation::V0 },
            auth_version,
            convex_version,
        }
    }
}

/// Whether `auth.config.ts` calls `convexAuthProvider(…)` (read as text: a call, spaces allowed
/// before the parenthesis).
fn mentions_provider(text: &str) -> bool {
    text.match_indices("convexAuthProvider").any(|(at, name)| {
        text.get(at + name.len()..)
            .is_some_and(|rest| rest.trim_start().starts_with('('))
    })
}

/// A dependency's version range from `package.json` text (`dependencies`, then `devDependencies`).
fn dependency(package_json: &str, name: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(package_json).ok()?;
    ["dependencies", "devDependencies"]
        .iter()
        .find_map(|group| doc.get(group)?.get(name)?.as_str().map(str::to_owned))
}

/// The lowest `major.minor` a range like `^1.48.0`, `~1.49`, `>=1.50.1` or `1.51.0` allows.
fn min_version(range: &str) -> Option<(u64, u64)> {
    let mut numbers = range
        .split(|c: char| !c.is_ascii_digit())
        .skip_while(|p| p.is_empty())
        .map(|p| p.parse::<u64>());
    let major = numbers.next()?.ok()?;
    Some((major, numbers.next().and_then(Result::ok).unwrap_or(0)))
}

/// The requests for a 2.x setup: the JWKS on the cloud origin, and the routes' preflights.
pub(super) fn plan(setup: &Setup) -> Plan {
    let mut probes = Vec::new();
    if let Some(convex) = &setup.urls.convex {
        probes.push(get("jwks", convex, "/.well-known/jwks.json"));
    }
    if let Some(site) = &setup.urls.site {
        probes.extend(route_probes(setup, site));
    }
    if let Some(origin) = app_origin(setup) {
        probes.extend(ssr::probes(&origin));
    }
    Plan {
        probes,
        private_key_pkcs8: None,
    }
}

/// The app's origin when it was given (`--origin`): Convex Auth 2 has no `SITE_URL` to
/// default to, and the SSR routes are the app's, not the deployment's.
fn app_origin(setup: &Setup) -> Option<String> {
    let given = setup.input.app_origin.as_deref()?;
    WebUrl::parse(given.trim()).ok()?.origin()
}

/// The findings of a 2.x setup's own rules.
pub(super) fn check(setup: &Setup, observations: &[Observation], out: &mut Vec<Finding>) {
    check_versions(setup, out);
    if let Some(origin) = app_origin(setup) {
        ssr::check(&origin, observations, out);
    }
    let config = setup.input.auth_config.as_deref();
    if config.is_some_and(|text| !mentions_provider(text)) {
        // A warning: the file is read as text, and an aliased import would not be seen.
        out.push(Finding::warning(
            "V2_PROVIDER_MISSING",
            Group::Keys,
            "convex/auth.config.ts does not call convexAuthProvider(): unless it is imported under another name, the deployment will not accept the tokens it signs".into(),
            "export default { providers: [convexAuthProvider()] } (import { convexAuthProvider } from \"@convex-dev/auth/server\")".into(),
        ));
    }
    if let Some(deployment) = &setup.deployment {
        for name in V0_ONLY_ENV.iter().filter(|n| deployment.get(n).is_some()) {
            out.push(Finding::warning(
                "V2_UNUSED_ENV",
                Group::DeploymentEnv,
                format!("{name} is set on the deployment, and Convex Auth 2 never reads it (the deployment signs its own tokens)"),
                format!("npx convex env remove {name}"),
            ));
        }
    }
    let (Some(convex), Some(jwks)) = (
        &setup.urls.convex,
        observations.iter().find(|o| o.id == "jwks"),
    ) else {
        return;
    };
    let url = format!("{}/.well-known/jwks.json", convex.as_str());
    let keys = match (jwks.status, jwks.body.as_deref(), &jwks.error) {
        (Some(200), Some(body), None) if !jwks.body_truncated => KeySet::parse(body).ok(),
        _ => None,
    };
    let Some(keys) = keys.filter(|k| k.keys().iter().any(|key| key.kind() == KeyKind::EcP256))
    else {
        let seen = jwks.error.clone().unwrap_or_else(|| match jwks.status {
            Some(200) => "no EC P-256 key in it".into(),
            Some(status) => format!("HTTP {status}"),
            None => "no answer".into(),
        });
        out.push(Finding::error(
            "V2_JWKS_UNUSABLE",
            Group::Keys,
            format!("{url} does not serve the deployment's EC P-256 signing key ({seen}): no Convex Auth 2 token can be verified"),
            "Check NEXT_PUBLIC_CONVEX_URL (the .convex.cloud URL), that convex is ≥ 1.48, and that the deployment is up".into(),
        ));
        return;
    };
    if let Some(token) = &setup.input.sample_token {
        let now = (jwks.received_at_ms / 1000.0) as i64;
        let policy = Generation::V2.policy(convex.as_str());
        if let Err(e) = verify(token.trim(), &keys, &policy, now) {
            let mut finding = Finding::error(
                "SAMPLE_TOKEN_INVALID",
                Group::Token,
                format!("the verifier refuses the sample token: {}: {e}", e.code()),
                "See the verifier's message; a fresh token comes from the app in the browser"
                    .into(),
            );
            finding.cause = Some(e.code());
            out.push(finding);
        }
    }
}

/// `convex` as installed when the CLI found it, else the lowest version `package.json` allows.
fn check_versions(setup: &Setup, out: &mut Vec<Finding>) {
    let installed = setup.input.convex_installed.as_deref();
    let Some(range) = installed.or(setup.facts.convex_version.as_deref()) else {
        return;
    };
    if min_version(range).is_some_and(|v| v < MIN_CONVEX) {
        let (major, minor) = MIN_CONVEX;
        out.push(Finding::error(
            "V2_CONVEX_TOO_OLD",
            Group::Deployment,
            format!("{} convex {range}; Convex Auth 2 needs convex ≥ {major}.{minor} (the deployment signs its tokens with ctx.auth.signJwt)", if installed.is_some() { "the app has" } else { "package.json asks for" }),
            format!("npm install convex@^{major}.{minor}"),
        ));
    }
}

/// The steps from a 0.x app to Convex Auth 2, by file (`doctor --migrate`); the official release
/// ships none.
pub(super) fn migration_steps(setup: &Setup) -> String {
    let facts = &setup.facts;
    let (major, minor) = MIN_CONVEX;
    let convex = match facts.convex_version.as_deref() {
        Some(range) if min_version(range).is_some_and(|v| v >= MIN_CONVEX) => {
            format!("convex {range} (already ≥ {major}.{minor})")
        }
        range => format!(
            "convex {} → ^{major}.{minor} (Convex Auth 2 needs ctx.auth.signJwt)",
            range.unwrap_or("(none)")
        ),
    };
    let mut steps = vec![
        format!(
            "1. package.json: @convex-dev/auth {} → ^2.0.0, {convex}.",
            facts.auth_version.as_deref().unwrap_or("(none)")
        ),
        "2. convex/convex.config.ts: use the auth component (app.use(auth) from \"@convex-dev/auth/convex.config\").".into(),
        "3. convex/auth.config.ts: providers: [convexAuthProvider()] in place of the CONVEX_SITE_URL / \"convex\" provider.".into(),
        "4. convex/auth.ts: export refreshSession, signOut and isAuthenticated from setupConvexAuth(...) in place of convexAuth({ providers }); each sign-in method brings its own mutations (e.g. signInWithUsernamePassword).".into(),
        "5. convex/http.ts: drop auth.addHttpRoutes(http) (the JWKS is served on the .convex.cloud URL by the deployment).".into(),
        "6. Next.js: @convex-dev/auth/nextjs/server's middleware becomes setupConvexAuthNextjs (routes /auth/refresh, /auth/signout, /auth/signin). Server-side verification with convex-auth-wasm: createVerifier({ convexUrl }) in place of { siteUrl }.".into(),
        "7. React: ConvexAuthProvider's signIn(provider, params) becomes the method's own mutation, then setSession(tokens).".into(),
    ];
    let leftovers: Vec<&str> = V0_ONLY_ENV
        .iter()
        .copied()
        .filter(|n| {
            setup
                .deployment
                .as_ref()
                .is_none_or(|env| env.get(n).is_some())
        })
        .collect();
    if !leftovers.is_empty() {
        steps.push(format!(
            "8. Deployment environment: once 2.0 is deployed, remove {} (npx convex env remove NAME).",
            leftovers.join(", ")
        ));
    }
    steps.push("Every user signs in again: 0.x sessions and refresh tokens are not carried over, and 0.x JWTs are refused by 2.0.".into());
    steps.join("\n")
}
