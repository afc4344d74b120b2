//! Deployment URL rules: validation, cloud ↔ site, and origin checks that cannot be fooled.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly
#![cfg(not(target_arch = "wasm32"))]

use convex_auth_wasm::core::client::ClientError;
use convex_auth_wasm::core::client::fetch_policy::resolve_site_request;
use convex_auth_wasm::core::shared::deployment::{
    BaseUrl, Deployment, UrlRole, check_v2_issuer, parse_fetch_url, same_origin,
};
use convex_auth_wasm::core::shared::error::{ConfigProblem, ErrorKind};

const CLOUD: &str = "https://happy-otter-123.convex.cloud";
const SITE: &str = "https://happy-otter-123.convex.site";

fn problem(err: convex_auth_wasm::core::Error) -> ConfigProblem {
    assert_eq!(err.code(), "ERR_CONFIG_INVALID", "{err}");
    match err.kind() {
        ErrorKind::ConfigInvalid { problem, .. } => problem.clone(),
        other => panic!("unexpected {other:?}"),
    }
}

fn site_problem(input: &str) -> ConfigProblem {
    problem(BaseUrl::parse(input, "siteUrl", UrlRole::Site).unwrap_err())
}

#[test]
fn derives_site_from_cloud() {
    let d = Deployment::new(CLOUD, None).unwrap();
    assert_eq!(d.convex_url().as_str(), CLOUD);
    assert_eq!(d.site_url().as_str(), SITE);
}

#[test]
fn derives_with_region_and_normalises_case_and_trailing_slash() {
    let d = Deployment::new(" HTTPS://Happy-Otter-123.EU-West-1.Convex.Cloud/\n", None).unwrap();
    assert_eq!(
        d.convex_url().as_str(),
        "https://happy-otter-123.eu-west-1.convex.cloud"
    );
    assert_eq!(
        d.site_url().as_str(),
        "https://happy-otter-123.eu-west-1.convex.site"
    );
}

#[test]
fn explicit_pair_for_local_backend_any_port() {
    let d = Deployment::new("http://127.0.0.1:3210", Some("http://127.0.0.1:3211/")).unwrap();
    assert_eq!(d.convex_url().as_str(), "http://127.0.0.1:3210");
    assert_eq!(d.site_url().as_str(), "http://127.0.0.1:3211");
    let d = Deployment::new(
        "https://convex.example.com",
        Some("https://actions.example.com:8443"),
    )
    .unwrap();
    assert_eq!(d.site_url().as_str(), "https://actions.example.com:8443");
}

#[test]
fn a_local_backend_without_site_url_has_its_site_on_the_next_port() {
    // The Convex CLI's layout of a local deployment: functions on :3210, HTTP actions on :3211.
    for (convex, site) in [
        ("http://127.0.0.1:3210", "http://127.0.0.1:3211"),
        ("http://localhost:3210/", "http://localhost:3211"),
        ("http://[::1]:4000", "http://[::1]:4001"),
    ] {
        let d = Deployment::new(convex, None).unwrap();
        assert_eq!(d.site_url().as_str(), site, "{convex}");
    }
}

#[test]
fn self_hosted_without_site_url_says_which_variable_to_set() {
    for convex in [
        "https://convex.example.com",
        "http://127.0.0.1",
        "https://10.0.0.5:3210",
    ] {
        let err = Deployment::new(convex, None).unwrap_err();
        assert_eq!(
            problem(err.clone()),
            ConfigProblem::SiteUrlRequired,
            "{convex}"
        );
        let text = err.to_string();
        assert!(
            text.contains("pass siteUrl") && text.contains("NEXT_PUBLIC_CONVEX_SITE_URL"),
            "{text}"
        );
    }
}

#[test]
fn site_url_given_as_convex_url_is_refused_with_the_cloud_url() {
    let err = Deployment::new(SITE, None).unwrap_err();
    assert_eq!(
        problem(err.clone()),
        ConfigProblem::SiteWhereCloudExpected {
            suggestion: CLOUD.into()
        }
    );
    assert!(err.to_string().contains(CLOUD), "{err}");
}

#[test]
fn cloud_url_given_as_site_is_refused_with_the_site_url() {
    let err = BaseUrl::parse(CLOUD, "issuer", UrlRole::Site).unwrap_err();
    assert!(
        err.to_string().contains("always on the .convex.site URL"),
        "{err}"
    );
    assert!(err.to_string().contains(SITE), "{err}");
    assert_eq!(
        site_problem(CLOUD),
        ConfigProblem::CloudWhereSiteExpected {
            suggestion: SITE.into()
        }
    );
}

#[test]
fn mismatched_deployments_are_refused() {
    let err = Deployment::new(CLOUD, Some("https://sad-cat-1.convex.site")).unwrap_err();
    assert_eq!(
        problem(err),
        ConfigProblem::DeploymentMismatch {
            suggestion: SITE.into()
        }
    );
}

#[test]
fn url_mistakes_each_have_their_own_problem() {
    assert_eq!(site_problem(""), ConfigProblem::Empty);
    assert_eq!(site_problem("   "), ConfigProblem::Empty);
    assert_eq!(
        site_problem("\"https://a.convex.site\""),
        ConfigProblem::Quoted
    );
    assert!(matches!(
        site_problem("happy-otter-123.convex.site"),
        ConfigProblem::NotAUrl(_)
    ));
    assert!(matches!(
        site_problem("https://"),
        ConfigProblem::NotAUrl(_)
    ));
    assert_eq!(
        site_problem("http://happy-otter-123.convex.site"),
        ConfigProblem::InsecureHttp
    );
    assert_eq!(
        site_problem("http://192.168.1.2:3211"),
        ConfigProblem::InsecureHttp
    );
    assert_eq!(
        site_problem("ftp://a.example"),
        ConfigProblem::UnsupportedScheme("ftp:".into())
    );
    assert_eq!(
        site_problem("https://u:p@a.example"),
        ConfigProblem::HasCredentials
    );
    assert_eq!(
        site_problem("https://a.example/api"),
        ConfigProblem::HasPath("/api".into())
    );
    assert_eq!(
        site_problem("https://a.example//"),
        ConfigProblem::HasPath("//".into())
    );
    assert_eq!(
        site_problem("https://a.example/?x=1"),
        ConfigProblem::HasQueryOrFragment
    );
    assert_eq!(
        site_problem("https://a.example/#x"),
        ConfigProblem::HasQueryOrFragment
    );
    assert_eq!(
        site_problem("https://happy-otter-123.convex.site."),
        ConfigProblem::TrailingDot
    );
}

#[test]
fn http_is_allowed_on_every_loopback_spelling() {
    for url in [
        "http://localhost:3211",
        "http://127.0.0.1:3211",
        "http://127.1.2.3",
        "http://[::1]:3211",
        "http://app.localhost",
    ] {
        BaseUrl::parse(url, "siteUrl", UrlRole::Site).unwrap_or_else(|e| panic!("{url}: {e}"));
    }
}

#[test]
fn same_origin_cannot_be_fooled() {
    let foreign = [
        "https://happy-otter-123.convex.site.evil.com",
        "https://happy-otter-123.convex.site@evil.com",
        "https://happy-otter-123.convex.site:444",
        "http://happy-otter-123.convex.site",
        "https://happy-otter-123.convex.site.",
        "https://happy-otter-123.convex.cloud",
        "https://evil.com/https://happy-otter-123.convex.site",
        "https:\\\\evil.com",
        "https://evil.com#https://happy-otter-123.convex.site",
        "https://happy-otter-123%2econvex%2esite.evil.com",
        "javascript:alert(1)",
        "data:text/plain,hi",
        "not a url",
    ];
    for url in foreign {
        assert!(!same_origin(SITE, url), "{url} must be foreign");
    }
    let same = [
        "https://HAPPY-OTTER-123.CONVEX.SITE/x",
        "https://happy-otter-123.convex.site:443/",
        "https://happy-otter-123.convex.site/a?b#c",
        "https://happy-otter-123.convex.si\tte/tab-is-stripped-like-browsers-do",
    ];
    for url in same {
        assert!(same_origin(SITE, url), "{url} must be same-origin");
    }
}

#[test]
fn site_requests_resolve_relative_paths_and_refuse_everything_foreign() {
    let d = Deployment::new(CLOUD, None).unwrap();
    assert_eq!(
        resolve_site_request(&d, "/api/upload").unwrap().as_str(),
        format!("{SITE}/api/upload")
    );
    assert_eq!(
        resolve_site_request(&d, "whoami?x=1").unwrap().as_str(),
        format!("{SITE}/whoami?x=1")
    );
    assert_eq!(
        resolve_site_request(&d, &format!("{SITE}/x"))
            .unwrap()
            .as_str(),
        format!("{SITE}/x")
    );
    // Same scheme without slashes is a relative path under WHATWG rules, as in browsers.
    assert_eq!(
        resolve_site_request(&d, "https:evil.com").unwrap().as_str(),
        format!("{SITE}/evil.com")
    );
    for target in [
        "//evil.com/x",
        "https://evil.com/x",
        "https://happy-otter-123.convex.site.evil.com/x",
        "https://happy-otter-123.convex.site@evil.com/x",
        "/\\evil.com",
        "\\\\evil.com",
        "http://happy-otter-123.convex.site/x",
    ] {
        let err = resolve_site_request(&d, target).unwrap_err();
        assert_eq!(err.code(), "ERR_FOREIGN_ORIGIN", "{target}: {err}");
    }
    let err = resolve_site_request(&d, &format!("{CLOUD}/api/action")).unwrap_err();
    assert!(matches!(
        err.client(),
        Some(ClientError::ForeignOrigin {
            cloud_origin: true,
            ..
        })
    ));
    assert!(
        err.to_string()
            .contains(".convex.site URL, not .convex.cloud"),
        "{err}"
    );
    let err =
        resolve_site_request(&d, "https://user:pw@happy-otter-123.convex.site/x").unwrap_err();
    assert_eq!(err.code(), "ERR_URL_INVALID");
}

#[test]
fn convex_auth_2_issuer_overrides_and_fetch_urls_name_the_right_origin() {
    // The Convex Auth 2 issuer: not on .convex.site, not the bare cloud origin.
    let suggested = format!("{CLOUD}/components/auth");
    for (issuer, expected) in [
        (
            SITE.to_owned(),
            ConfigProblem::SiteWhereCloudExpected {
                suggestion: suggested.clone(),
            },
        ),
        (
            CLOUD.to_owned(),
            ConfigProblem::NotTheAuthIssuer {
                suggestion: suggested.clone(),
            },
        ),
        (
            format!("{CLOUD}/"),
            ConfigProblem::NotTheAuthIssuer {
                suggestion: suggested.clone(),
            },
        ),
    ] {
        assert_eq!(
            problem(check_v2_issuer(&issuer).unwrap_err()),
            expected,
            "{issuer}"
        );
    }
    for fine in [
        suggested.as_str(),
        "https://auth.example/issuer",
        "not a url",
    ] {
        assert!(check_v2_issuer(fine).is_ok(), "{fine}");
    }
    assert_eq!(
        problem(check_v2_issuer(" ").unwrap_err()),
        ConfigProblem::Empty
    );
    // A trailing dot names the same host: the origin guard of fetched URLs sees through it.
    let site_dot = "https://happy-otter-123.convex.site./.well-known/jwks.json";
    let cloud_dot = "https://happy-otter-123.convex.cloud./.well-known/jwks.json";
    assert!(matches!(
        problem(parse_fetch_url(site_dot, "jwksUrl", UrlRole::Functions).unwrap_err()),
        ConfigProblem::SiteWhereCloudExpected { .. }
    ));
    assert!(matches!(
        problem(parse_fetch_url(cloud_dot, "jwksUrl", UrlRole::Site).unwrap_err()),
        ConfigProblem::CloudWhereSiteExpected { .. }
    ));
    assert!(parse_fetch_url(cloud_dot, "jwksUrl", UrlRole::Functions).is_ok());
}
