//! Output formats of `policybook check`: text for people, JSON for tools, GitHub annotations.

use std::fmt::Write as _;
use std::str::FromStr;

use serde::Serialize;

use crate::date::Date;
use crate::diagnostic::Rule;
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
        Format::Text => text_sorted(&sorted, false),
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

/// After this many findings of one rule, the text format prints one line with the count of the
/// rest (the JSON format lists them all).
pub const TEXT_LIMIT_PER_RULE: usize = 20;

/// The findings as text for a person, sorted and grouped by file, with at most
/// [`TEXT_LIMIT_PER_RULE`] of each rule; `colour` adds ANSI styles (the caller decides, from the
/// terminal, NO_COLOR and CLICOLOR_FORCE).
pub fn text(findings: &[Diagnostic], colour: bool) -> String {
    let mut sorted: Vec<&Diagnostic> = findings.iter().collect();
    sorted.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    text_sorted(&sorted, colour)
}

fn text_sorted(findings: &[&Diagnostic], colour: bool) -> String {
    let mut out = String::new();
    let mut previous = None;
    let mut shown: std::collections::BTreeMap<(Option<Rule>, Severity), usize> =
        std::collections::BTreeMap::new();
    for d in findings {
        let seen = shown.entry((d.rule, d.severity)).or_default();
        *seen += 1;
        if d.rule.is_some() && *seen > TEXT_LIMIT_PER_RULE {
            continue;
        }
        if previous.is_some_and(|p| p != &d.file) {
            out.push('\n');
        }
        previous = Some(&d.file);
        let _ = writeln!(out, "{}", styled(d, colour));
    }
    for ((rule, severity), n) in shown {
        if let Some(rule) = rule.filter(|_| n > TEXT_LIMIT_PER_RULE) {
            let more = n - TEXT_LIMIT_PER_RULE;
            let kind = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(
                out,
                "\n… and {more} more {kind}{} of `{rule}` ({n} in all; `policybook check --format json` lists every one)",
                if more == 1 { "" } else { "s" }
            );
        }
    }
    out
}

/// One finding as `Display` writes it, with ANSI styles when `colour`.
fn styled(d: &Diagnostic, colour: bool) -> String {
    if !colour {
        return d.to_string();
    }
    use anstyle::{AnsiColor, Style};
    let bold = Style::new().bold();
    let level = match d.severity {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
    };
    let help = AnsiColor::Cyan.on_default().bold();
    let plain = Diagnostic {
        help: None,
        ..d.clone()
    }
    .to_string();
    // `path:line:col: severity[rule]: message`: the place in bold, the severity in its colour.
    let (place, rest) = match plain.split_once(match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }) {
        Some((place, rest)) => (place, rest),
        None => ("", plain.as_str()),
    };
    let word = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{bold}{place}{bold:#}{level}{word}{level:#}{rest}");
    if let Some(h) = &d.help {
        let _ = write!(out, "\n  {help}help:{help:#} {h}");
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
    fn text_summarises_a_rule_after_twenty_findings() {
        let many: Vec<Diagnostic> = (1..=25)
            .map(|i| Diagnostic::new(Rule::OrphanPage, format!("p{i:02}.md"), 1, 1, "y"))
            .collect();
        let out = text(&many, false);
        assert_eq!(out.matches("warning[orphan-page]").count(), 20);
        assert!(out.contains("p20.md") && !out.contains("p21.md"), "{out}");
        assert!(
            out.ends_with("\n… and 5 more warnings of `orphan-page` (25 in all; `policybook check --format json` lists every one)\n"),
            "{out}"
        );
        let json = render(Format::Json, &many, Date::today());
        assert_eq!(json.matches("\"orphan-page\"").count(), 25);
    }

    #[test]
    fn colour_styles_the_severity_and_keeps_the_text() {
        let d = Diagnostic::new(Rule::BrokenLink, "a.md", 2, 3, "x").with_help("h");
        let out = text(std::slice::from_ref(&d), true);
        assert!(out.contains("\u{1b}[") && out.contains("error"), "{out:?}");
        let stripped: String = anstream::adapter::strip_str(&out).to_string();
        assert_eq!(stripped, format!("{d}\n"));
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
