//! Findings about the handbook's sources, each pointing at file:line:col.

use std::fmt;
use std::path::PathBuf;

mod rule;

pub use rule::{Level, Rule, adjust, is_off};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported; the build goes on.
    Warning,
}

/// One finding at a place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the handbook root.
    pub file: PathBuf,
    /// 1-based line (0 when the whole file is meant).
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when known (a suggestion, the accepted values).
    pub help: Option<String>,
    /// The rule that found it (`None` for problems outside the rule set, such as I/O errors).
    pub rule: Option<Rule>,
}

impl Diagnostic {
    /// A finding of `rule` at `file:line:col`, with the rule's default severity.
    pub fn new(
        rule: Rule,
        file: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: rule.default_severity(),
            rule: Some(rule),
            ..Diagnostic::error(file, line, col, message)
        }
    }

    /// An error at `file:line:col`.
    pub fn error(
        file: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            col,
            message: message.into(),
            help: None,
            rule: None,
        }
    }

    /// A warning at `file:line:col`.
    pub fn warning(
        file: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, col, message)
        }
    }

    /// Adds a hint shown under the message.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if !self.file.as_os_str().is_empty() {
            write!(f, "{}", self.file.display())?;
            if self.line > 0 {
                write!(f, ":{}:{}", self.line, self.col)?;
            }
            f.write_str(": ")?;
        }
        write!(f, "{severity}")?;
        if let Some(rule) = self.rule {
            write!(f, "[{rule}]")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A "did you mean" hint for an unknown name, listing the accepted ones.
pub fn suggestion<'a>(word: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let list = known.clone().into_iter().collect::<Vec<_>>().join(", ");
    match nearest(word, known) {
        Some(near) => format!("did you mean `{near}`? expected one of: {list}"),
        None => format!("expected one of: {list}"),
    }
}

/// Line and column (1-based) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Splits a serde error message into the message proper and a help line: serde's "unknown field
/// `x`, expected one of `a`, `b`" becomes a did-you-mean suggestion.
pub fn explain_serde(message: &str) -> (String, Option<String>) {
    // serde_yaml puts the path of a nested value first: "exit_gates[0]: unknown field ...".
    let (path, message) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (format!("{path}: "), rest),
        _ => (String::new(), message),
    };
    for prefix in ["unknown field `", "unknown variant `"] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((word, expected)) = rest.split_once("`, expected ")
        {
            let known: Vec<&str> = expected
                .split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .map(|(_, s)| s)
                .collect();
            let what = prefix.trim_end_matches(" `");
            return (
                format!("{path}{what} `{word}`"),
                Some(suggestion(word, known.iter().copied())),
            );
        }
    }
    (format!("{path}{message}"), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_unknown_field_gets_a_suggestion() {
        let (msg, help) = explain_serde(
            "unknown field `thresold`, expected one of `kpi`, `op`, `threshold`, `text`",
        );
        assert_eq!(msg, "unknown field `thresold`");
        assert_eq!(
            help.unwrap(),
            "did you mean `threshold`? expected one of: kpi, op, threshold, text"
        );
    }

    #[test]
    fn keeps_the_path_of_nested_values() {
        let (msg, help) = explain_serde(
            "exit_gates[0]: unknown field `thresold`, expected one of `kpi`, `threshold`",
        );
        assert_eq!(msg, "exit_gates[0]: unknown field `thresold`");
        assert!(help.unwrap().starts_with("did you mean `threshold`?"));
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncdé f", 9), (2, 6));
        assert_eq!(line_col("x", 0), (1, 1));
    }
}
