//! Findings and the report: a stable code, a severity, a group, what is wrong and the fix.

use serde::Serialize;

/// How bad a finding is. Any `Error` makes the CLI exit with status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Auth is broken, or will be.
    Error,
    /// Works today, breaks under a common change, or leaks.
    Warning,
}

/// Which part of the setup a finding is about (the report's sections).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// The Next.js app's environment (`.env.local`, `.env`, process env).
    AppEnv,
    /// The Convex deployment's environment (`npx convex env list`).
    DeploymentEnv,
    /// OIDC discovery, the JWKS and the signing key.
    Keys,
    /// HTTP action routes and their CORS preflights.
    HttpActions,
    /// The sample token.
    Token,
    /// Reaching the deployment, and its clock.
    Deployment,
    /// Convex Auth 2's SSR routes on the app's origin, and their cookies.
    Ssr,
}

impl Group {
    /// The section title.
    pub fn title(self) -> &'static str {
        match self {
            Group::AppEnv => "App environment",
            Group::DeploymentEnv => "Deployment environment",
            Group::Keys => "Issuer and keys",
            Group::HttpActions => "HTTP actions",
            Group::Token => "Sample token",
            Group::Deployment => "Deployment",
            Group::Ssr => "SSR routes (Convex Auth 2)",
        }
    }
}

/// One thing that is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable, e.g. `"CONVEX_URL_NOT_CLOUD"` (see [`CODES`]).
    pub code: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The report section.
    pub group: Group,
    /// What is wrong, naming the variable or URL (never a secret's value).
    pub problem: String,
    /// The exact fix: a command to run or the value to set.
    pub fix: String,
    /// The underlying error code, when another check's (the verifier's `ERR_…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<&'static str>,
}

impl Finding {
    /// An error.
    pub fn error(code: &'static str, group: Group, problem: String, fix: String) -> Self {
        Finding {
            code,
            severity: Severity::Error,
            group,
            problem,
            fix,
            cause: None,
        }
    }

    /// A warning.
    pub fn warning(code: &'static str, group: Group, problem: String, fix: String) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(code, group, problem, fix)
        }
    }
}

/// What was checked against (shown at the top of the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The functions URL in use, if one could be read.
    pub convex_url: Option<String>,
    /// The site URL in use (given or derived).
    pub site_url: Option<String>,
    /// The app's origin checked against `SITE_URL` and CORS.
    pub app_origin: Option<String>,
    /// Whether the deployment's environment was given.
    pub deployment_env: bool,
    /// The Convex Auth generation the app runs: "0.x" or "2" (from its package.json and
    /// convex/auth.config.ts).
    pub generation: &'static str,
}

/// The doctor's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// What was checked against.
    pub summary: Summary,
    /// Errors first, then warnings, each group together.
    pub findings: Vec<Finding>,
    /// The number of errors.
    pub errors: usize,
    /// The number of warnings.
    pub warnings: usize,
}

impl Report {
    /// Sorts `findings` (errors first, then by group) and counts them.
    pub fn new(mut findings: Vec<Finding>, summary: Summary) -> Self {
        findings.sort_by_key(|f| (f.group, f.severity));
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Report {
            summary,
            warnings: findings.len() - errors,
            errors,
            findings,
        }
    }
}

/// Every finding code.
pub const CODES: &[&str] = &[
    "CONVEX_URL_MISSING",
    "CONVEX_URL_INVALID",
    "CONVEX_URL_NOT_CLOUD",
    "SITE_URL_INVALID",
    "SITE_URL_NOT_SITE",
    "SITE_URL_UNKNOWN",
    "URLS_SWAPPED",
    "URLS_DIFFERENT_DEPLOYMENTS",
    "URL_HAS_PATH",
    "URL_INSECURE_HTTP",
    "SECRET_IN_APP_ENV",
    "DEPLOYMENT_ENV_NOT_GIVEN",
    "JWT_PRIVATE_KEY_MISSING",
    "JWT_PRIVATE_KEY_QUOTED",
    "JWT_PRIVATE_KEY_ESCAPED_NEWLINES",
    "JWT_PRIVATE_KEY_NOT_PKCS8",
    "JWT_PRIVATE_KEY_INVALID",
    "JWKS_MISSING",
    "JWKS_NOT_JSON",
    "JWKS_MALFORMED",
    "JWKS_WEAK_KEY",
    "JWKS_KEY_MISMATCH",
    "SITE_URL_ENV_MISSING",
    "SITE_URL_ENV_MISMATCH",
    "DEPLOYMENT_UNREACHABLE",
    "OPENID_CONFIG_INVALID",
    "ISSUER_MISMATCH",
    "JWKS_UNREACHABLE",
    "JWKS_SERVED_MISMATCH",
    "ROUTE_ON_CLOUD_ORIGIN",
    "ROUTE_UNREACHABLE",
    "ROUTE_NOT_FOUND",
    "ROUTE_CORS_ORIGIN",
    "ROUTE_CORS_AUTH_HEADER",
    "SAMPLE_TOKEN_INVALID",
    "CLOCK_SKEW",
    "V2_CONVEX_TOO_OLD",
    "V2_PROVIDER_MISSING",
    "V2_UNUSED_ENV",
    "V2_JWKS_UNUSABLE",
    "V2_APP_UNREACHABLE",
    "V2_SSR_ROUTES_MISSING",
    "V2_SSR_ROUTE_MISSING",
    "V2_SSR_ORIGIN_REFUSED",
    "V2_SSR_ROUTE_FAILING",
    "V2_COOKIE_SECURE_MISMATCH",
];
