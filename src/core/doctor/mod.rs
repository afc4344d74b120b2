//! `doctor`: names the misconfigurations behind most Convex Auth breakage before a user hits
//! them. Pure rules: the caller (the CLI, or `diagnose()` in Node) reads the env files, runs the
//! network probes this module plans, imports the private key with the platform's crypto, and
//! hands every observation back; [`judge`] turns them into findings, each with a stable code, a
//! severity and the exact fix. Secret values are never echoed.

mod env;
mod finding;
mod keys;
mod probes;
mod report;
mod ssr;
mod urls;
mod v2;

use serde::Deserialize;

pub use env::{EnvFile, Source};
pub use finding::{CODES, Finding, Group, Report, Severity};
pub use keys::KeyFacts;
pub use probes::{MAX_PROBE_BODY_BYTES, Observation, Plan, Probe};
pub use report::render_text;
pub use v2::AppFacts;

use crate::core::edge::generation::Generation;

/// What the doctor is told about the setup.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Input {
    /// The app's env files, highest precedence first (e.g. `.env.local`, then `.env`).
    pub app_files: Vec<EnvFile>,
    /// The app's process environment (only the names the doctor knows are read).
    pub process_env: std::collections::BTreeMap<String, String>,
    /// The deployment's environment: the output of `npx convex env list`, if given.
    pub deployment_env: Option<String>,
    /// The app's origin, e.g. `http://localhost:3000` (default: the deployment's `SITE_URL`).
    pub app_origin: Option<String>,
    /// HTTP action routes to probe: paths (`/upload`) or absolute URLs.
    pub routes: Vec<String>,
    /// A JWT to verify, if given.
    pub sample_token: Option<String>,
    /// The app's `package.json` text (which Convex Auth and `convex` it depends on).
    pub package_json: Option<String>,
    /// The app's `convex/auth.config.ts` text.
    pub auth_config: Option<String>,
    /// The version of `convex` installed in the app (`node_modules/convex/package.json`), which
    /// the version check prefers to `package.json`'s range.
    pub convex_installed: Option<String>,
}

/// What the caller must do before judging: the requests to make, the key to import.
pub fn plan(input: &Input) -> Plan {
    let setup = Setup::read(input);
    match setup.facts.generation {
        Generation::V0 => probes::plan(&setup),
        Generation::V2 => v2::plan(&setup),
    }
}

/// The findings for `input`, given what the planned probes observed and what the platform's
/// crypto made of `JWT_PRIVATE_KEY` (`None` when it was not imported).
pub fn judge(input: &Input, observations: &[Observation], key: Option<&KeyFacts>) -> Report {
    let setup = Setup::read(input);
    let mut findings = Vec::new();
    urls::check(&setup, &mut findings);
    match setup.facts.generation {
        Generation::V0 => {
            let private_n = keys::check_deployment_env(&setup, key, &mut findings);
            probes::check(&setup, observations, private_n.as_deref(), &mut findings);
        }
        Generation::V2 => {
            // Convex Auth 2 needs the site URL only for HTTP actions.
            if input.routes.is_empty() {
                findings.retain(|f| f.code != "SITE_URL_UNKNOWN");
            }
            v2::check(&setup, observations, &mut findings);
            probes::check_routes(&setup, observations, &mut findings);
        }
    }
    Report::new(findings, setup.summary())
}

/// The steps that take this app from Convex Auth 0.x to 2.0, as text (`doctor --migrate`).
pub fn migrate(input: &Input) -> String {
    let setup = Setup::read(input);
    v2::migration_steps(&setup)
}

/// The setup as the rules see it: the app's variables (with where each came from), the
/// deployment's, and the URLs resolved from them.
pub(crate) struct Setup<'a> {
    pub input: &'a Input,
    pub app: env::AppEnv,
    pub deployment: Option<env::DeploymentEnv>,
    pub urls: urls::Resolved,
    pub facts: AppFacts,
}

impl<'a> Setup<'a> {
    fn read(input: &'a Input) -> Self {
        let app = env::AppEnv::read(&input.app_files, &input.process_env);
        let deployment = input
            .deployment_env
            .as_deref()
            .map(env::DeploymentEnv::parse);
        let urls = urls::Resolved::from(&app, deployment.as_ref(), input.app_origin.as_deref());
        let facts = AppFacts::read(input.package_json.as_deref(), input.auth_config.as_deref());
        Setup {
            input,
            app,
            deployment,
            urls,
            facts,
        }
    }

    fn summary(&self) -> finding::Summary {
        finding::Summary {
            convex_url: self.urls.convex.as_ref().map(|u| u.as_str().to_owned()),
            site_url: self.urls.site.as_ref().map(|u| u.as_str().to_owned()),
            app_origin: self.urls.app_origin.clone(),
            deployment_env: self.deployment.is_some(),
            generation: match self.facts.generation {
                Generation::V0 => "0.x",
                Generation::V2 => "2",
            },
        }
    }
}
