//! The two environments: the app's (env files in Next.js precedence, then the process env on
//! top) and the deployment's (`npx convex env list`).

use std::collections::BTreeMap;

use serde::Deserialize;

/// One env file of the app, as read from disk.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EnvFile {
    /// The file name, e.g. `.env.local`.
    pub name: String,
    /// Its contents.
    pub text: String,
}

/// Where an app variable came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The process environment.
    Process,
    /// An env file, by name.
    File(String),
}

impl Source {
    /// For messages: `.env.local`, or `the process environment`.
    pub fn describe(&self) -> &str {
        match self {
            Source::Process => "the process environment",
            Source::File(name) => name,
        }
    }
}

/// The app's variables, each with where it came from.
#[derive(Debug, Default)]
pub struct AppEnv {
    vars: BTreeMap<String, (String, Source)>,
}

impl AppEnv {
    /// Next.js precedence: the process environment, then the files in the order given.
    pub fn read(files: &[EnvFile], process: &BTreeMap<String, String>) -> Self {
        let mut vars = BTreeMap::new();
        for (name, value) in process {
            vars.insert(name.clone(), (value.clone(), Source::Process));
        }
        for file in files {
            let parsed = dotenvy::from_read_iter(file.text.as_bytes());
            for (name, value) in parsed.flatten() {
                vars.entry(name)
                    .or_insert((value, Source::File(file.name.clone())));
            }
        }
        AppEnv { vars }
    }

    /// A variable's value and source.
    pub fn get(&self, name: &str) -> Option<(&str, &Source)> {
        self.vars.get(name).map(|(v, s)| (v.as_str(), s))
    }

    /// The first of `names` that is set (with its name).
    pub fn first(&self, names: &[&'static str]) -> Option<(&'static str, &str, &Source)> {
        names
            .iter()
            .find_map(|n| self.get(n).map(|(v, s)| (*n, v, s)))
    }
}

/// The deployment's variables, as `npx convex env list` prints them (`NAME=value` per line; a
/// value with real newlines continues on lines without `NAME=`). Values are taken literally:
/// quotes in them are part of the value, as the deployment sees it.
#[derive(Debug, Default)]
pub struct DeploymentEnv {
    vars: BTreeMap<String, String>,
}

impl DeploymentEnv {
    /// Parses the listing.
    pub fn parse(text: &str) -> Self {
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        let mut last: Option<String> = None;
        for line in text.lines() {
            match split_assignment(line) {
                Some((name, value)) => {
                    vars.insert(name.to_owned(), value.to_owned());
                    last = Some(name.to_owned());
                }
                None => {
                    if let Some(value) = last.as_ref().and_then(|n| vars.get_mut(n)) {
                        value.push('\n');
                        value.push_str(line);
                    }
                }
            }
        }
        DeploymentEnv { vars }
    }

    /// A variable's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }
}

fn split_assignment(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once('=')?;
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some((name, value))
}
