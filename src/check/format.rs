//! Output formats of `policybook check`: text for people, JSON for tools, GitHub annotations.

use std::fmt::Write as _;
use std::str::FromStr;

use serde::Serialize;

use super::Rule;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `file:line:col: severity[rule]: message`, grouped by file.
    #[default]
    Text,
    /// One JSON document (schema `policybook-check/1`, see the README).
    Json,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "github" => Ok(Format::Github),
            _ => Err(format!(
                "unknown format `{s}`: expected text, json or github"
            )),
        }
    }
}

/// The identifier of the JSON schema; it changes only when the schema changes incompatibly.
pub const JSON_SCHEMA: &str = "policybook-check/1";

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    today: Date,
    errors: usize,
    warnings: usize,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: Option<Rule>,
    severity: Severity,
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

/// Renders `findings` (sorted by file and position) in `format`, as of `today`.
pub fn render(format: Format, findings: &[Diagnostic], today: Date) -> String {
    let mut sorted: Vec<&Diagnostic> = findings.iter().collect();
    sorted.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    match format {
        Format::Text => text(&sorted),
        Format::Json => json(&sorted, today),
        Format::Github => github(&sorted),
    }
}

fn count(findings: &[&Diagnostic], severity: Severity) -> usize {
    findings.iter().filter(|d| d.severity == severity).count()
}

fn path(d: &Diagnostic) -> String {
    d.file.to_string_lossy().replace('\\', "/")
}

fn text(findings: &[&Diagnostic]) -> String {
    let mut out = String::new();
    let mut previous = None;
    for d in findings {
        if previous.is_some_and(|p| p != &d.file) {
            out.push('\n');
        }
        previous = Some(&d.file);
        let _ = writeln!(out, "{d}");
    }
    out
}

fn json(findings: &[&Diagnostic], today: Date) -> String {
    let report = Report {
        schema: JSON_SCHEMA,
        today,
        errors: count(findings, Severity::Error),
        warnings: count(findings, Severity::Warning),
        findings: findings
            .iter()
            .map(|d| Finding {
                rule: d.rule,
                severity: d.severity,
                file: path(d),
                line: d.line,
                column: d.col,
                message: &d.message,
                help: d.help.as_deref(),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}

/// GitHub workflow commands: data escapes `%`, CR and LF; properties also `:` and `,`.
fn github(findings: &[&Diagnostic]) -> String {
    fn data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let mut out = String::new();
    for d in findings {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = format!("file={}", property(&path(d)));
        if d.line > 0 {
            let _ = write!(props, ",line={},col={}", d.line, d.col);
        }
        if let Some(rule) = d.rule {
            let _ = write!(props, ",title={}", property(rule.id()));
        }
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let _ = writeln!(out, "::{command} {props}::{}", data(&message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_annotations_escape_their_data() {
        let d = Diagnostic::new(Rule::BrokenLink, "content/a,b.md", 3, 7, "100% broken")
            .with_help("fix:\nit");
        let out = render(Format::Github, &[d], Date::today());
        assert_eq!(
            out,
            "::error file=content/a%2Cb.md,line=3,col=7,title=broken-link::100%25 broken%0Ahelp: fix:%0Ait\n"
        );
    }

    #[test]
    fn text_groups_by_file() {
        let a = Diagnostic::new(Rule::BrokenLink, "b.md", 2, 1, "x");
        let b = Diagnostic::new(Rule::OrphanPage, "a.md", 1, 1, "y");
        let c = Diagnostic::new(Rule::BrokenAnchor, "b.md", 1, 1, "z");
        let out = render(Format::Text, &[a, b, c], Date::today());
        assert_eq!(
            out,
            "a.md:1:1: warning[orphan-page]: y\n\nb.md:1:1: error[broken-anchor]: z\nb.md:2:1: error[broken-link]: x\n"
        );
    }
}
