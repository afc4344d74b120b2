//! The doctor on Convex Auth 2 apps: the generation comes from the app's package.json and
//! convex/auth.config.ts; a 2.x setup is checked for what 2.x needs (convex ≥ 1.48, the
//! provider, the JWKS on the cloud origin) and never for what it no longer has; `--migrate`
//! prints the steps for a 0.x app.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(all(feature = "doctor", feature = "es256"))]

use std::collections::BTreeMap;

use convex_auth_wasm::core::doctor::{AppFacts, EnvFile, Input, Observation, judge, migrate, plan};
use convex_auth_wasm::core::edge::generation::Generation;

const CLOUD: &str = "https://happy-otter-123.convex.cloud";
const EC_JWKS: &str = include_str!("fixtures/test-ec-p256.jwks.json");
const RSA_JWKS: &str = include_str!("fixtures/test-rsa-2048.jwks.json");
/// Signed by the test EC key: exp in 2100, iss `${CLOUD}/components/auth`.
const EC_TOKEN: &str = include_str!("fixtures/test-ec-p256.jwt");
const NOW_MS: f64 = 1_700_000_100_000.0;

fn package(auth: &str, convex: &str) -> String {
    format!(
        r#"{{"dependencies":{{"@convex-dev/auth":"{auth}","convex":"{convex}","next":"16.0.0"}}}}"#
    )
}

const V2_CONFIG: &str = "import { convexAuthProvider } from \"@convex-dev/auth/server\";\nexport default { providers: [convexAuthProvider()] };\n";

fn input(package_json: &str, auth_config: Option<&str>, deployment_env: Option<&str>) -> Input {
    Input {
        app_files: vec![EnvFile {
            name: ".env.local".into(),
            text: format!(
                "CONVEX_DEPLOYMENT=dev:happy-otter-123\nNEXT_PUBLIC_CONVEX_URL={CLOUD}\n"
            ),
        }],
        deployment_env: deployment_env.map(str::to_owned),
        package_json: Some(package_json.to_owned()),
        auth_config: auth_config.map(str::to_owned),
        ..Input::default()
    }
}

fn jwks_answer(status: u16, body: &str) -> Observation {
    Observation {
        id: "jwks".into(),
        status: Some(status),
        headers: BTreeMap::new(),
        body: Some(body.into()),
        body_truncated: false,
        error: None,
        received_at_ms: NOW_MS,
    }
}

fn codes(input: &Input, observations: &[Observation]) -> Vec<&'static str> {
    judge(input, observations, None)
        .findings
        .iter()
        .map(|f| f.code)
        .collect()
}

#[test]
fn the_generation_comes_from_package_json_then_auth_config() {
    let v2 = |pkg: Option<&str>, config: Option<&str>| AppFacts::read(pkg, config).generation;
    assert_eq!(
        v2(Some(&package("^2.0.0", "^1.51.0")), None),
        Generation::V2
    );
    assert_eq!(
        v2(Some(&package("0.0.95", "^1.17.0")), None),
        Generation::V0
    );
    assert_eq!(
        v2(Some(&package("~0.0.90", "1.17.4")), Some(V2_CONFIG)),
        Generation::V0,
        "package.json decides first"
    );
    assert_eq!(
        v2(
            Some(r#"{"dependencies":{"convex":"1.51.0"}}"#),
            Some(V2_CONFIG)
        ),
        Generation::V2
    );
    assert_eq!(
        v2(None, None),
        Generation::V0,
        "nothing known: the 0.x checks, as before"
    );
    assert_eq!(v2(Some("not json"), None), Generation::V0);
    let facts = AppFacts::read(Some(&package("^2.0.0", ">=1.48.2")), None);
    assert_eq!(
        (
            facts.auth_version.as_deref(),
            facts.convex_version.as_deref()
        ),
        (Some("^2.0.0"), Some(">=1.48.2"))
    );
}

#[test]
fn a_correct_v2_setup_has_no_findings_and_no_0x_checks() {
    let setup = input(
        &package("^2.0.0", "^1.51.0"),
        Some(V2_CONFIG),
        Some("AUTH_RESEND_KEY=x\n"),
    );
    let probes = plan(&setup).probes;
    assert_eq!(probes.len(), 1);
    assert_eq!(
        probes[0].url,
        format!("{CLOUD}/.well-known/jwks.json"),
        "the JWKS on the cloud origin"
    );
    assert_eq!(plan(&setup).private_key_pkcs8, None);
    let report = judge(&setup, &[jwks_answer(200, EC_JWKS)], None);
    assert_eq!(report.findings, vec![], "{:#?}", report.findings);
    assert_eq!(report.summary.generation, "2");
    // No JWT_PRIVATE_KEY, JWKS or SITE_URL on the deployment is right for 2.x.
}

#[test]
fn v2_mistakes_are_named_with_their_fix() {
    let ok_jwks = [jwks_answer(200, EC_JWKS)];
    let old = input(&package("^2.0.0", "^1.47.0"), Some(V2_CONFIG), None);
    assert_eq!(codes(&old, &ok_jwks), ["V2_CONVEX_TOO_OLD"]);
    let spaced = input(
        &package("^2.0.0", "^1.51.0"),
        Some("export default { providers: [convexAuthProvider ()] };"),
        None,
    );
    assert_eq!(
        codes(&spaced, &ok_jwks),
        Vec::<&str>::new(),
        "a call with a space is a call"
    );
    let mut installed = input(&package("^2.0.0", "^1.17.0"), Some(V2_CONFIG), None);
    installed.convex_installed = Some("1.51.0".into());
    assert_eq!(
        codes(&installed, &ok_jwks),
        Vec::<&str>::new(),
        "the installed version wins over the range"
    );
    installed.convex_installed = Some("1.47.2".into());
    assert_eq!(codes(&installed, &ok_jwks), ["V2_CONVEX_TOO_OLD"]);
    let no_provider = input(
        &package("^2.0.0", "^1.51.0"),
        Some("export default { providers: [] };"),
        None,
    );
    assert_eq!(codes(&no_provider, &ok_jwks), ["V2_PROVIDER_MISSING"]);
    let leftovers = input(
        &package("^2.0.0", "^1.51.0"),
        Some(V2_CONFIG),
        Some("JWT_PRIVATE_KEY=\"-----BEGIN\"\nJWKS={}\nSITE_URL=http://localhost:3000\n"),
    );
    let report = judge(&leftovers, &ok_jwks, None);
    assert_eq!(
        report.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        ["V2_UNUSED_ENV"; 3]
    );
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.fix.starts_with("npx convex env remove "))
    );
    assert!(!format!("{report:?}").contains("BEGIN"), "no secret echoed");
    let healthy = input(&package("^2.0.0", "^1.51.0"), Some(V2_CONFIG), None);
    for (seen, says) in [
        (jwks_answer(404, "not found"), "HTTP 404"),
        (jwks_answer(200, RSA_JWKS), "no EC P-256 key"),
        (
            Observation {
                error: Some("ECONNREFUSED".into()),
                status: None,
                body: None,
                ..jwks_answer(0, "")
            },
            "ECONNREFUSED",
        ),
    ] {
        let report = judge(&healthy, &[seen], None);
        assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
        assert_eq!(report.findings[0].code, "V2_JWKS_UNUSABLE");
        assert!(
            report.findings[0].problem.contains(says),
            "{}",
            report.findings[0].problem
        );
    }
}

#[test]
fn a_v2_sample_token_is_verified_as_createverifier_convexurl_would() {
    let mut setup = input(&package("^2.0.0", "^1.51.0"), Some(V2_CONFIG), None);
    setup.sample_token = Some(EC_TOKEN.to_owned());
    assert_eq!(
        codes(&setup, &[jwks_answer(200, EC_JWKS)]),
        Vec::<&str>::new()
    );
    let tampered = EC_TOKEN.replacen("eyJ", "eyK", 1);
    setup.sample_token = Some(tampered);
    let report = judge(&setup, &[jwks_answer(200, EC_JWKS)], None);
    assert_eq!(report.findings[0].code, "SAMPLE_TOKEN_INVALID");
    // A 0.x token given to a 2.x app's doctor names the generation.
    setup.sample_token = Some(include_str!("fixtures/test-rsa-2048.jwt").to_owned());
    let report = judge(&setup, &[jwks_answer(200, EC_JWKS)], None);
    assert_eq!(
        report.findings[0].cause,
        Some("ERR_JWT_GENERATION_MISMATCH")
    );
}

#[test]
fn migrate_prints_the_steps_for_a_0x_app() {
    let app = input(
        &package("0.0.95", "^1.17.0"),
        None,
        Some("JWT_PRIVATE_KEY=k\nJWKS={}\nSITE_URL=http://localhost:3000\n"),
    );
    let steps = migrate(&app);
    for says in [
        "@convex-dev/auth 0.0.95 → ^2.0.0",
        "convex ^1.17.0 → ^1.48 (",
        "convexAuthProvider()",
        "setupConvexAuth",
        "createVerifier({ convexUrl })",
        "remove JWT_PRIVATE_KEY, JWKS, SITE_URL",
        "Every user signs in again",
    ] {
        assert!(steps.contains(says), "{says}:\n{steps}");
    }
    // Only the variables the deployment really has are named; a recent convex is left alone.
    let partial = input(&package("0.0.95", "^1.49.0"), None, Some("JWKS={}\n"));
    assert!(
        migrate(&partial).contains("convex ^1.49.0 (already ≥ 1.48)"),
        "{}",
        migrate(&partial)
    );
    assert!(
        migrate(&partial).contains("remove JWKS (npx"),
        "{}",
        migrate(&partial)
    );
}

/// The SSR routes' answers: `(status, set-cookie)` for refresh, sign-out and sign-in, in order.
fn ssr_answers(answers: [(u16, Option<&str>); 3]) -> Vec<Observation> {
    let ids = ["ssr:refresh", "ssr:signout", "ssr:signin"];
    let mut seen = vec![jwks_answer(200, EC_JWKS)];
    for (id, (status, cookie)) in ids.into_iter().zip(answers) {
        let mut answer = jwks_answer(status, "{\"tokens\":null}");
        answer.id = id.into();
        if let Some(cookie) = cookie {
            answer.headers.insert("set-cookie".into(), cookie.into());
        }
        seen.push(answer);
    }
    seen
}

fn with_origin(origin: &str) -> Input {
    let mut given = input(&package("^2.0.0", "^1.48.0"), Some(V2_CONFIG), None);
    given.app_origin = Some(origin.into());
    given
}

/// A session cookie as a route writes it (without `Secure`), and one as the official 2.0.0 clears it.
const WRITTEN: &str = "__convexAuthJWT=eyJ.eyJ.sig; Path=/; Expires=Tue, 07 Dec 2100 00:00:00 GMT; HttpOnly; SameSite=Lax";
const CLEARED: &str = "__convexAuthJWT=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT";

#[test]
fn the_ssr_routes_are_probed_only_on_an_origin_that_was_given() {
    let plain = input(&package("^2.0.0", "^1.48.0"), Some(V2_CONFIG), None);
    assert!(
        plan(&plain)
            .probes
            .iter()
            .all(|p| !p.id.starts_with("ssr:"))
    );
    let probes = plan(&with_origin("https://app.example.com/some/page")).probes;
    let ssr: Vec<_> = probes.iter().filter(|p| p.id.starts_with("ssr:")).collect();
    assert_eq!(ssr.len(), 3);
    for probe in ssr {
        assert_eq!(probe.method, "POST");
        assert!(
            probe.url.starts_with("https://app.example.com/auth/"),
            "{}",
            probe.url
        );
        assert_eq!(
            probe.headers.get("origin").map(String::as_str),
            Some("https://app.example.com")
        );
    }
}

#[test]
fn ssr_routes_each_answer_is_named() {
    let https = with_origin("https://app.example.com");
    let secure = format!("{WRITTEN}; Secure");
    // Mounted, origin accepted, Secure on https: nothing to say.
    let ok = ssr_answers([(401, None), (200, Some(&secure)), (403, None)]);
    assert_eq!(codes(&https, &ok), Vec::<&str>::new());
    // None mounted: a warning (right for spa mode).
    let none = ssr_answers([(404, None), (404, None), (404, None)]);
    assert_eq!(codes(&https, &none), ["V2_SSR_ROUTES_MISSING"]);
    // Some mounted: the others are errors, a redirect (a proxy guarding /auth/*) included.
    let mut redirect = ssr_answers([(401, None), (307, None), (405, None)]);
    redirect[2]
        .headers
        .insert("location".into(), "/signin".into());
    let report = judge(&https, &redirect, None);
    let found: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.code, f.problem.clone()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(code, _)| *code == "V2_SSR_ROUTE_MISSING")
    );
    // The app's own origin refused: a Host-rewriting proxy without allowedOrigins.
    let refused = ssr_answers([(403, None), (200, Some(&secure)), (403, None)]);
    let report = judge(&https, &refused, None);
    assert_eq!(report.findings[0].code, "V2_SSR_ORIGIN_REFUSED");
    assert!(
        report.findings[0]
            .fix
            .contains("allowedOrigins: [\"https://app.example.com\"]")
    );
    // A refresh route that fails with no cookie at all.
    assert_eq!(
        codes(
            &https,
            &ssr_answers([(500, None), (200, None), (403, None)])
        ),
        ["V2_SSR_ROUTE_FAILING"]
    );
    // Unreachable: one finding, no guesses about the routes.
    let mut down = ssr_answers([(0, None), (0, None), (0, None)]);
    for o in &mut down[1..] {
        o.status = None;
        o.error = Some("ECONNREFUSED".into());
    }
    assert_eq!(codes(&https, &down), ["V2_APP_UNREACHABLE"]);
}

#[test]
fn the_cookies_secure_attribute_must_fit_the_origins_scheme() {
    let secure = format!("{WRITTEN}; Secure");
    let answers = |cookie: &str| ssr_answers([(401, None), (200, Some(cookie)), (403, None)]);
    let severity = |origin: &str, cookie: &str| {
        let report = judge(&with_origin(origin), &answers(cookie), None);
        report
            .findings
            .iter()
            .map(|f| (f.code, format!("{:?}", f.severity)))
            .collect::<Vec<_>>()
    };
    let mismatch = "V2_COOKIE_SECURE_MISMATCH";
    assert_eq!(
        severity("http://app.example.com", &secure),
        [(mismatch, "Error".to_owned())]
    );
    assert_eq!(
        severity("https://app.example.com", WRITTEN),
        [(mismatch, "Warning".to_owned())]
    );
    // A deletion says nothing of the attributes the app sets (the official 2.0.0 clears cookies
    // with none), nor does another cookie; a written one among deletions does.
    assert!(severity("https://app.example.com", CLEARED).is_empty());
    assert!(severity("https://app.example.com", "theme=dark; Path=/").is_empty());
    assert_eq!(
        severity("https://app.example.com", &format!("{CLEARED}\n{WRITTEN}")),
        [(mismatch, "Warning".to_owned())]
    );
    // A deletion with the attributes (this package's `/ssr`) says what the app sets.
    let cleared_with_attributes = "__convexAuthJWT=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax";
    assert_eq!(
        severity("https://app.example.com", cleared_with_attributes),
        [(mismatch, "Warning".to_owned())]
    );
    assert!(
        severity(
            "https://app.example.com",
            &format!("{cleared_with_attributes}; Secure")
        )
        .is_empty()
    );
    // Browsers keep Secure cookies on loopback http, and plain ones on plain http.
    assert!(severity("http://localhost:3000", &secure).is_empty());
    assert!(severity("http://app.example.com", WRITTEN).is_empty());
}
