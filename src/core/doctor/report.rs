//! The report as text: what was checked, then each section's findings with their fixes.

use std::fmt::Write;

use super::finding::{Report, Severity};

/// The readable report (the CLI prints it; `--json` prints the [`Report`] instead).
pub fn render_text(report: &Report) -> String {
    let mut text = String::new();
    let s = &report.summary;
    let or_unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(unknown)".into());
    let _ = writeln!(
        text,
        "convex-auth-wasm doctor (Convex Auth {})",
        s.generation
    );
    let _ = writeln!(text, "  functions URL: {}", or_unknown(&s.convex_url));
    let _ = writeln!(text, "  site URL:      {}", or_unknown(&s.site_url));
    let _ = writeln!(text, "  app origin:    {}", or_unknown(&s.app_origin));
    if !s.deployment_env {
        let _ = writeln!(
            text,
            "  deployment environment: not given (pipe `npx convex env list` into --deployment-env -)"
        );
    }
    let mut group = None;
    for finding in &report.findings {
        if group != Some(finding.group) {
            group = Some(finding.group);
            let _ = writeln!(text, "\n{}", finding.group.title());
        }
        let mark = match finding.severity {
            Severity::Error => "✗ error  ",
            Severity::Warning => "! warning",
        };
        let _ = writeln!(text, "  {mark} {}", finding.code);
        let _ = writeln!(text, "      {}", finding.problem);
        for (i, line) in finding.fix.lines().enumerate() {
            let label = if i == 0 { "fix:" } else { "    " };
            let _ = writeln!(text, "      {label} {line}");
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = match (report.errors, report.warnings) {
        (0, 0) => writeln!(text, "\nNo problems found."),
        (e, w) => writeln!(text, "\n{}, {}.", plural(e, "error"), plural(w, "warning")),
    };
    text
}
