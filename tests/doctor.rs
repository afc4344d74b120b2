//! The doctor's rules: a correct setup has no findings; each misconfiguration from the common
//! issues is named with its code and fix. The network and the platform's key import are given
//! as observations (what the CLI's probes and node:crypto would report).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(feature = "doctor")]

use std::collections::BTreeMap;

use convex_auth_wasm::core::doctor::{
    CODES, EnvFile, Input, KeyFacts, MAX_PROBE_BODY_BYTES, Observation, Report, judge, plan,
    render_text,
};
use serde_json::Value;

const PEM: &str = include_str!("fixtures/test-rsa-2048.pem");
const JWKS: &str = include_str!("fixtures/test-rsa-2048.jwks.json");
const CLOUD: &str = "https://happy-otter-123.convex.cloud";
const SITE: &str = "https://happy-otter-123.convex.site";
const APP: &str = "http://localhost:3000";
const NOW_MS: f64 = 1_700_000_100_000.0;

/// The key on one line, newlines replaced by spaces: how `npx @convex-dev/auth` stores it.
fn one_line_key() -> String {
    PEM.trim().replace('\n', " ")
}

fn modulus(jwks: &str) -> String {
    let doc: Value = serde_json::from_str(jwks).unwrap();
    doc["keys"][0]["n"].as_str().unwrap().to_owned()
}

/// A setup with nothing wrong; tests break one thing each.
struct Case {
    app_env: String,
    deployment_env: Option<String>,
    routes: Vec<String>,
    sample_token: Option<String>,
    observations: Vec<Observation>,
    key: Option<KeyFacts>,
}

impl Case {
    fn healthy() -> Self {
        let deployment = format!(
            "JWKS={}\nJWT_PRIVATE_KEY={}\nSITE_URL={APP}\n",
            JWKS.trim(),
            one_line_key()
        );
        Case {
            app_env: format!(
                "# written by npx convex dev\nCONVEX_DEPLOYMENT=dev:happy-otter-123\nNEXT_PUBLIC_CONVEX_URL={CLOUD}\n"
            ),
            deployment_env: Some(deployment),
            routes: vec!["/whoami".into()],
            sample_token: None,
            observations: vec![
                answer(
                    "openid",
                    200,
                    &format!(r#"{{"issuer":"{SITE}","jwks_uri":"{SITE}/.well-known/jwks.json"}}"#),
                ),
                answer("jwks", 200, JWKS),
                preflight("route:0", 204, APP, "Authorization, Content-Type"),
            ],
            key: Some(KeyFacts {
                parsed: true,
                key_type: Some("rsa".into()),
                n: Some(modulus(JWKS)),
                error: None,
            }),
        }
    }

    fn input(&self) -> Input {
        Input {
            app_files: vec![EnvFile {
                name: ".env.local".into(),
                text: self.app_env.clone(),
            }],
            deployment_env: self.deployment_env.clone(),
            app_origin: Some(APP.into()),
            routes: self.routes.clone(),
            sample_token: self.sample_token.clone(),
            ..Input::default()
        }
    }

    fn run(&self) -> Report {
        judge(&self.input(), &self.observations, self.key.as_ref())
    }

    fn codes(&self) -> Vec<&'static str> {
        self.run().findings.iter().map(|f| f.code).collect()
    }

    fn observe(mut self, id: &str, seen: Observation) -> Self {
        self.observations.retain(|o| o.id != id);
        self.observations.push(seen);
        self
    }

    fn deployment_var(mut self, name: &str, value: Option<&str>) -> Self {
        let env = self.deployment_env.take().unwrap();
        let mut lines: Vec<String> = env
            .lines()
            .filter(|l| !l.starts_with(&format!("{name}=")))
            .map(str::to_owned)
            .collect();
        if let Some(value) = value {
            lines.push(format!("{name}={value}"));
        }
        self.deployment_env = Some(lines.join("\n"));
        self
    }
}

fn answer(id: &str, status: u16, body: &str) -> Observation {
    Observation {
        id: id.into(),
        status: Some(status),
        headers: BTreeMap::from([("date".into(), "Tue, 14 Nov 2023 22:15:00 GMT".into())]),
        body: Some(body.into()),
        body_truncated: false,
        error: None,
        received_at_ms: NOW_MS,
    }
}

/// An answer whose body went on past the cap: `body` is only the start the caller read.
fn cut_short(id: &str, start: &str) -> Observation {
    Observation {
        body_truncated: true,
        ..answer(id, 200, start)
    }
}

fn preflight(id: &str, status: u16, origin: &str, headers: &str) -> Observation {
    let mut seen = answer(id, status, "");
    seen.headers
        .insert("access-control-allow-origin".into(), origin.into());
    seen.headers
        .insert("access-control-allow-headers".into(), headers.into());
    seen
}

fn failed(id: &str, error: &str) -> Observation {
    Observation {
        id: id.into(),
        error: Some(error.into()),
        received_at_ms: NOW_MS,
        ..Observation::default()
    }
}

#[test]
fn a_correct_setup_has_no_findings() {
    let report = Case::healthy().run();
    assert_eq!(report.findings, vec![], "{}", render_text(&report));
    assert!(render_text(&report).contains("No problems found."));
    assert_eq!(report.summary.site_url.as_deref(), Some(SITE), "derived");
}

#[test]
fn the_plan_probes_discovery_keys_and_routes_and_hands_over_the_key() {
    let case = Case::healthy();
    let plan = plan(&case.input());
    let urls: Vec<_> = plan
        .probes
        .iter()
        .map(|p| (p.id.as_str(), p.method, p.url.as_str()))
        .collect();
    assert_eq!(
        urls,
        vec![
            (
                "openid",
                "GET",
                "https://happy-otter-123.convex.site/.well-known/openid-configuration"
            ),
            (
                "jwks",
                "GET",
                "https://happy-otter-123.convex.site/.well-known/jwks.json"
            ),
            (
                "route:0",
                "OPTIONS",
                "https://happy-otter-123.convex.site/whoami"
            ),
        ]
    );
    assert_eq!(plan.probes[2].headers["origin"], APP);
    assert!(plan.probes.iter().all(|p| p.timeout_ms > 0));
    assert!(
        plan.probes
            .iter()
            .all(|p| p.max_body_bytes == MAX_PROBE_BODY_BYTES)
    );
    assert_eq!(
        MAX_PROBE_BODY_BYTES,
        256 * 1024,
        "the verifier's JWKS limit"
    );
    let der = plan.private_key_pkcs8.unwrap();
    assert!(
        der.starts_with("MIIE") && !der.contains(' '),
        "the PEM body, as Convex Auth reads it"
    );
}

#[test]
fn url_mistakes_are_named_with_the_value_to_set() {
    let cases = [
        (
            format!("NEXT_PUBLIC_CONVEX_URL={SITE}"),
            "CONVEX_URL_NOT_CLOUD",
            format!("NEXT_PUBLIC_CONVEX_URL={CLOUD}"),
        ),
        (
            format!("NEXT_PUBLIC_CONVEX_URL={SITE}\nNEXT_PUBLIC_CONVEX_SITE_URL={CLOUD}"),
            "URLS_SWAPPED",
            format!("NEXT_PUBLIC_CONVEX_URL={CLOUD}\nNEXT_PUBLIC_CONVEX_SITE_URL={SITE}"),
        ),
        (
            format!("NEXT_PUBLIC_CONVEX_URL={CLOUD}\nNEXT_PUBLIC_CONVEX_SITE_URL={CLOUD}"),
            "SITE_URL_NOT_SITE",
            format!("NEXT_PUBLIC_CONVEX_SITE_URL={SITE}"),
        ),
        (
            format!(
                "NEXT_PUBLIC_CONVEX_URL={CLOUD}\nNEXT_PUBLIC_CONVEX_SITE_URL=https://other-fox-9.convex.site"
            ),
            "URLS_DIFFERENT_DEPLOYMENTS",
            format!("NEXT_PUBLIC_CONVEX_SITE_URL={SITE}"),
        ),
        (
            format!("NEXT_PUBLIC_CONVEX_URL={CLOUD}/api"),
            "URL_HAS_PATH",
            format!("NEXT_PUBLIC_CONVEX_URL={CLOUD}"),
        ),
        (
            format!("NEXT_PUBLIC_CONVEX_URL={CLOUD}/"),
            "URL_HAS_PATH",
            format!("NEXT_PUBLIC_CONVEX_URL={CLOUD}"),
        ),
        (
            "NEXT_PUBLIC_CONVEX_URL=http://happy-otter-123.convex.cloud".into(),
            "URL_INSECURE_HTTP",
            format!("NEXT_PUBLIC_CONVEX_URL={CLOUD}"),
        ),
        (
            "NEXT_PUBLIC_CONVEX_URL=https://convex.example.com".into(),
            "SITE_URL_UNKNOWN",
            String::new(),
        ),
        (
            "CONVEX_DEPLOYMENT=dev:x".into(),
            "CONVEX_URL_MISSING",
            String::new(),
        ),
    ];
    for (env, code, fix) in cases {
        let case = Case {
            app_env: env.clone(),
            ..Case::healthy()
        };
        let report = case.run();
        let finding = report.findings.iter().find(|f| f.code == code);
        let finding =
            finding.unwrap_or_else(|| panic!("{env}: no {code} in\n{}", render_text(&report)));
        assert!(finding.fix.contains(&fix), "{env}: fix {:?}", finding.fix);
    }
}

#[test]
fn quoted_env_file_values_are_read_as_next_js_reads_them() {
    // dotenv strips quotes in .env files: a quoted URL there is fine.
    let case = Case {
        app_env: format!("NEXT_PUBLIC_CONVEX_URL=\"{CLOUD}\"\n"),
        ..Case::healthy()
    };
    assert_eq!(case.codes(), Vec::<&str>::new());
}

#[test]
fn key_mistakes_in_the_deployment_environment() {
    let quoted = format!("\"{}\"", one_line_key());
    let escaped = PEM.trim().replace('\n', "\\n");
    let pkcs1 = "-----BEGIN RSA PRIVATE KEY----- MIIEow -----END RSA PRIVATE KEY-----";
    let weak = r#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}"#;
    let other = r#"{"keys":[{"kty":"RSA","use":"sig","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB"}]}"#;
    let cases: Vec<(&str, Option<&str>, &str)> = vec![
        ("JWT_PRIVATE_KEY", None, "JWT_PRIVATE_KEY_MISSING"),
        ("JWT_PRIVATE_KEY", Some(&quoted), "JWT_PRIVATE_KEY_QUOTED"),
        (
            "JWT_PRIVATE_KEY",
            Some(&escaped),
            "JWT_PRIVATE_KEY_ESCAPED_NEWLINES",
        ),
        ("JWT_PRIVATE_KEY", Some(pkcs1), "JWT_PRIVATE_KEY_NOT_PKCS8"),
        (
            "JWT_PRIVATE_KEY",
            Some("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
            "JWT_PRIVATE_KEY_INVALID",
        ),
        ("JWKS", None, "JWKS_MISSING"),
        ("JWKS", Some("'{\"keys\":[]}'"), "JWKS_NOT_JSON"),
        (
            "JWKS",
            Some(r#"{"keys":[{"kty":"RSA"}]}"#),
            "JWKS_MALFORMED",
        ),
        ("JWKS", Some(weak), "JWKS_WEAK_KEY"),
        ("JWKS", Some(other), "JWKS_KEY_MISMATCH"),
        ("SITE_URL", None, "SITE_URL_ENV_MISSING"),
        (
            "SITE_URL",
            Some("https://app.example.com"),
            "SITE_URL_ENV_MISMATCH",
        ),
    ];
    for (name, value, code) in cases {
        let codes = Case::healthy().deployment_var(name, value).codes();
        assert!(codes.contains(&code), "{name}={value:?}: {codes:?}");
    }
    // The platform could not import it.
    let mut case = Case::healthy();
    case.key = Some(KeyFacts {
        parsed: false,
        error: Some("error:1E08010C:DECODER routines::unsupported".into()),
        ..KeyFacts::default()
    });
    assert_eq!(case.codes(), vec!["JWT_PRIVATE_KEY_INVALID"]);
}

#[test]
fn no_secret_is_ever_echoed() {
    let quoted = format!("\"{}\"", one_line_key());
    let case = Case::healthy().deployment_var("JWT_PRIVATE_KEY", Some(&quoted));
    let report = case.run();
    let body = PEM.lines().nth(1).unwrap().get(..20).unwrap();
    assert!(!render_text(&report).contains(body));
    assert!(!serde_json::to_string(&report).unwrap().contains(body));
}

#[test]
fn a_private_key_in_the_app_env_files_is_named() {
    let mut case = Case::healthy().deployment_var("JWT_PRIVATE_KEY", None);
    case.app_env
        .push_str(&format!("JWT_PRIVATE_KEY=\"{}\"\n", one_line_key()));
    let report = case.run();
    let codes: Vec<_> = report.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec!["SECRET_IN_APP_ENV", "JWT_PRIVATE_KEY_MISSING"]);
    assert!(
        report.findings[1].problem.contains(".env.local"),
        "{:?}",
        report.findings[1]
    );
}

#[test]
fn discovery_keys_and_the_clock_over_the_network() {
    let cloud_issuer = format!(r#"{{"issuer":"{CLOUD}"}}"#);
    let cases = vec![
        (
            failed("openid", "connect ECONNREFUSED 127.0.0.1:3211"),
            "DEPLOYMENT_UNREACHABLE",
        ),
        (
            failed("openid", "timeout after 5000 ms"),
            "DEPLOYMENT_UNREACHABLE",
        ),
        (
            answer("openid", 404, "No matching routes found"),
            "OPENID_CONFIG_INVALID",
        ),
        (answer("openid", 200, &cloud_issuer), "ISSUER_MISMATCH"),
        (answer("jwks", 500, ""), "JWKS_UNREACHABLE"),
        (failed("jwks", "timeout after 5000 ms"), "JWKS_UNREACHABLE"),
    ];
    for (seen, code) in cases {
        let id = seen.id.clone();
        let report = Case::healthy().observe(&id, seen).run();
        let codes: Vec<_> = report.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, vec![code], "{}", render_text(&report));
    }
    let issuer = Case::healthy()
        .observe("openid", answer("openid", 200, &cloud_issuer))
        .run();
    assert!(
        issuer.findings[0]
            .fix
            .contains("process.env.CONVEX_SITE_URL")
    );
    // A listing from another deployment: the served keys are not the listed ones.
    let other = Case::healthy().observe(
        "jwks",
        answer("jwks", 200, &JWKS.replace("\"n\":\"t", "\"n\":\"u")),
    );
    assert!(
        other.codes().contains(&"JWKS_SERVED_MISMATCH"),
        "{:?}",
        other.codes()
    );
    // Without the deployment's environment, the served keys alone are checked.
    let mut case = Case::healthy();
    case.deployment_env = None;
    case.key = None;
    assert_eq!(case.codes(), Vec::<&str>::new());
    // Ten seconds of skew (the Date header is 22:15:00; this machine says 22:15:10).
    let mut seen = answer("openid", 200, &format!(r#"{{"issuer":"{SITE}"}}"#));
    seen.received_at_ms = 1_700_000_110_000.0;
    assert_eq!(
        Case::healthy().observe("openid", seen).codes(),
        vec!["CLOCK_SKEW"]
    );
}

/// The report names exactly one finding, `code`, whose problem says `says`.
fn only_finding(report: &Report, code: &str, says: &str) {
    let codes: Vec<_> = report.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec![code]);
    assert!(
        report.findings[0].problem.contains(says),
        "{}",
        report.findings[0].problem
    );
}

#[test]
fn a_body_cut_at_the_cap_is_named_not_judged() {
    // The start of a good document is not read as the document.
    let discovery = format!(r#"{{"issuer":"{SITE}"}}"#);
    let report = Case::healthy()
        .observe("openid", cut_short("openid", &discovery))
        .run();
    only_finding(
        &report,
        "OPENID_CONFIG_INVALID",
        "its body is over the 256 KiB limit",
    );
    // A token with a broken signature: judged only against a whole key set.
    let token = include_str!("fixtures/test-rsa-2048.jwt").trim();
    let case = Case {
        sample_token: Some(format!("{token}x")),
        ..Case::healthy()
    }
    .observe("jwks", cut_short("jwks", JWKS));
    let report = case.run();
    // (and the token is not judged)
    only_finding(
        &report,
        "JWKS_MALFORMED",
        "is not a usable key set: its body is over the 256 KiB limit",
    );
    // Cut short with an error status: the status is the news.
    let mut gone = cut_short("jwks", "");
    gone.status = Some(502);
    assert_eq!(
        Case::healthy().observe("jwks", gone).codes(),
        vec!["JWKS_UNREACHABLE"]
    );
}

#[test]
fn http_action_routes_and_their_preflights() {
    let cases = vec![
        (preflight("route:0", 404, "", ""), "ROUTE_NOT_FOUND"),
        (
            preflight("route:0", 204, "https://elsewhere.example", "authorization"),
            "ROUTE_CORS_ORIGIN",
        ),
        (
            preflight("route:0", 204, APP, "content-type"),
            "ROUTE_CORS_AUTH_HEADER",
        ),
        (
            preflight("route:0", 204, APP, "*"),
            "ROUTE_CORS_AUTH_HEADER",
        ),
        (
            failed("route:0", "timeout after 5000 ms"),
            "ROUTE_UNREACHABLE",
        ),
    ];
    for (seen, code) in cases {
        assert_eq!(Case::healthy().observe("route:0", seen).codes(), vec![code]);
    }
    let case = Case {
        routes: vec![format!("{CLOUD}/whoami")],
        ..Case::healthy()
    };
    let report = case.run();
    assert_eq!(
        report.findings.iter().map(|f| f.code).collect::<Vec<_>>(),
        vec!["ROUTE_ON_CLOUD_ORIGIN"]
    );
    assert!(report.findings[0].fix.contains(&format!("{SITE}/whoami")));
    assert_eq!(
        plan(&case.input()).probes[2].url,
        format!("{SITE}/whoami"),
        "the site route is probed instead"
    );
}

#[test]
fn a_sample_token_is_verified_with_the_verifiers_own_code() {
    let token = include_str!("fixtures/test-rsa-2048.jwt").trim().to_owned();
    let with = |token: String| Case {
        sample_token: Some(token),
        ..Case::healthy()
    };
    assert_eq!(
        with(token.clone()).codes(),
        Vec::<&str>::new(),
        "signed by this deployment's key"
    );
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let flipped = if parts[2].starts_with('A') { "B" } else { "A" };
    parts[2].replace_range(0..1, flipped);
    let report = with(parts.join(".")).run();
    let finding = &report.findings[0];
    assert_eq!(finding.code, "SAMPLE_TOKEN_INVALID");
    assert_eq!(
        finding.cause,
        Some("ERR_JWT_SIGNATURE_INVALID"),
        "{finding:?}"
    );
    assert!(finding.problem.contains("ERR_JWT_SIGNATURE_INVALID"));
}

#[test]
fn every_code_is_listed_and_reports_sort_errors_first() {
    let case = Case::healthy()
        .deployment_var("SITE_URL", None)
        .observe("route:0", preflight("route:0", 204, APP, "content-type"));
    let report = case.run();
    for finding in &report.findings {
        assert!(CODES.contains(&finding.code), "{}", finding.code);
    }
    assert_eq!(report.errors, 2);
    let text = render_text(&report);
    assert!(
        text.find("Deployment environment").unwrap() < text.find("HTTP actions").unwrap(),
        "{text}"
    );
    assert!(
        text.contains("fix: npx convex env set SITE_URL http://localhost:3000"),
        "{text}"
    );
}
