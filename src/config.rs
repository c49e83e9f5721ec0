//! `book.toml`: mdBook's `[book]` and `[build]` keys plus policybook's own sections.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::check::{Level, Rule};
use crate::content::Kind;
use crate::diagnostic::{Diagnostic, explain_serde, line_col};

/// The handbook's configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// `[book]`: what the handbook is.
    pub book: Book,
    /// `[build]`: where it goes.
    pub build: Build,
    /// `[output.html]`: how the site looks.
    pub output: Output,
    /// `[kinds]`: content folder name → kind of the items in it.
    #[serde(rename = "kinds")]
    pub kind_folders: BTreeMap<String, Kind>,
    /// `[check]`: the governance rules' settings.
    pub check: Check,
}

/// `[book]`, with mdBook's key names.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Book {
    /// The handbook's title.
    pub title: String,
    /// Its authors.
    pub authors: Vec<String>,
    /// One sentence on what it is.
    pub description: String,
    /// The language of the content (`lang` attribute).
    pub language: String,
    /// The content folder, relative to the root.
    pub src: PathBuf,
    /// The edition, such as `2026.2`.
    pub version: Option<String>,
}

impl Default for Book {
    fn default() -> Self {
        Book {
            title: "Handbook".into(),
            authors: Vec::new(),
            description: String::new(),
            language: "en".into(),
            src: "content".into(),
            version: None,
        }
    }
}

/// `[build]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct Build {
    /// The output folder, relative to the root.
    pub build_dir: PathBuf,
}

impl Default for Build {
    fn default() -> Self {
        Build {
            build_dir: "book".into(),
        }
    }
}

/// `[output]`: holds `[output.html]`, as in mdBook.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Output {
    /// `[output.html]`.
    pub html: Html,
}

/// `[output.html]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct Html {
    /// Theme folder name under `themes/`; its templates override the default theme's one by one.
    pub theme: String,
    /// The public address of the site (`https://handbook.example.com/`), for sitemap.xml and 404.html.
    pub site_url: Option<String>,
    /// "Edit this page" link; `{path}` is replaced by the source path relative to the root.
    pub edit_url_template: Option<String>,
    /// Number policy sections and clauses (1, 1.1, 1.1.1) so they can be cited.
    pub number_clauses: bool,
    /// Pass raw HTML in Markdown through as written; by default it is sanitised (no script,
    /// event handlers, style, iframes, or `javascript:` and `data:` URLs). Only for trusted authors.
    pub allow_raw_html: bool,
}

impl Default for Html {
    fn default() -> Self {
        Html {
            theme: "default".into(),
            site_url: None,
            edit_url_template: None,
            number_clauses: true,
            allow_raw_html: false,
        }
    }
}

/// `[check]`: settings of the governance rules run by `check` and `build`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
pub struct Check {
    /// The highest residual risk score (likelihood × impact, 1–25) tolerated without an
    /// approved mitigating policy.
    pub risk_appetite: u8,
    /// Headings every policy must have (compared without regard to case).
    pub required_sections: Vec<String>,
    /// `[check.severity]`: rule id → `error`, `warning` or `off`.
    pub severity: BTreeMap<Rule, Level>,
}

impl Default for Check {
    fn default() -> Self {
        Check {
            risk_appetite: 9,
            required_sections: [
                "Purpose",
                "Scope",
                "Roles and responsibilities",
                "Policy",
                "Exceptions",
                "References",
            ]
            .map(String::from)
            .to_vec(),
            severity: BTreeMap::new(),
        }
    }
}

impl Html {
    /// The address pages are served from, ending in `/`: `site-url`, or `/` when it is not set.
    pub fn site_base(&self) -> String {
        self.site_url.as_deref().map_or_else(
            || "/".to_string(),
            |u| format!("{}/", u.trim_end_matches('/')),
        )
    }
}

/// The file name of the configuration.
pub const FILE: &str = "book.toml";

impl Config {
    /// Reads `book.toml` from `root`; a missing file means the defaults.
    pub fn load(root: &Path) -> Result<Config, Error> {
        let path = root.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io(path, e)),
        };
        Config::parse(&text).map_err(|d| Error::Content(vec![d]))
    }

    /// Parses the text of `book.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
            let (message, help) = explain_serde(e.message());
            let d = Diagnostic::new(Rule::InvalidConfig, FILE, line, col, message);
            match help {
                Some(help) => d.with_help(help),
                None => d,
            }
        })?;
        config.check.validate(text)?;
        Ok(config)
    }

    /// The kind of the items in a top-level content folder, if the folder has one.
    pub fn kind_of_folder(&self, folder: &str) -> Option<Kind> {
        self.kind_folders
            .get(folder)
            .copied()
            .or_else(|| Kind::ALL.iter().copied().find(|k| k.folder() == folder))
    }

    /// The folder new items of `kind` are written to.
    pub fn folder_of_kind(&self, kind: Kind) -> String {
        self.kind_folders
            .iter()
            .find(|(_, k)| **k == kind)
            .map_or_else(|| kind.folder().to_string(), |(folder, _)| folder.clone())
    }
}

impl Check {
    /// Refuses settings the pipeline cannot honour; `text` is book.toml, to point at the line.
    fn validate(&self, text: &str) -> Result<(), Diagnostic> {
        let at = |needle: &str, message: String, help: &str| {
            let (line, col) = text
                .lines()
                .enumerate()
                .find_map(|(i, l)| {
                    let t = l.trim_start();
                    t.starts_with(needle)
                        .then(|| (i + 1, l.len() - t.len() + 1))
                })
                .unwrap_or((0, 0));
            Diagnostic::new(Rule::InvalidConfig, FILE, line, col, message).with_help(help)
        };
        if !(1..=25).contains(&self.risk_appetite) {
            return Err(at(
                "risk-appetite",
                format!(
                    "risk-appetite {} is out of range: expected a score from 1 to 25",
                    self.risk_appetite
                ),
                "a residual score is likelihood × impact, each 1–5",
            ));
        }
        for (rule, level) in &self.severity {
            if rule.fixed() && *level != Level::Error {
                return Err(at(
                    rule.id(),
                    format!(
                        "rule `{rule}` cannot be lowered: without it the handbook cannot be built"
                    ),
                    "only rules that do not stop the model from loading can be set to `warning` or `off`",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_points_at_its_line_with_a_suggestion() {
        let err = Config::parse("[book]\ntitle = \"x\"\ntitel = \"y\"\n").unwrap_err();
        assert_eq!((err.line, err.col), (3, 1));
        assert_eq!(err.message, "unknown field `titel`");
        assert!(err.help.unwrap().starts_with("did you mean `title`?"));
    }

    #[test]
    fn defaults_follow_mdbook() {
        let c = Config::parse("").unwrap();
        assert_eq!(c.book.src, PathBuf::from("content"));
        assert_eq!(c.build.build_dir, PathBuf::from("book"));
    }

    #[test]
    fn check_severities_name_known_rules() {
        let c = Config::parse("[check.severity]\npolicy-review-overdue = \"error\"\n").unwrap();
        assert_eq!(
            c.check.severity.get(&Rule::PolicyReviewOverdue),
            Some(&Level::Error)
        );
        let err =
            Config::parse("[check.severity]\npolicy-review-overdu = \"error\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(
            err.help
                .unwrap()
                .starts_with("did you mean `policy-review-overdue`?")
        );
        let err = Config::parse("[check]\nseverity = { duplicate-id = \"off\" }\n").unwrap_err();
        assert!(err.message.contains("cannot be lowered"), "{}", err.message);
    }
}
