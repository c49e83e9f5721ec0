//! `book.toml`: mdBook's `[book]` and `[build]` keys plus policybook's own sections.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::diagnostic::{Diagnostic, explain_serde, line_col};
use crate::diagnostic::{Level, Rule};
use crate::kind::Kind;

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
    /// mdBook settings found in book.toml that policybook does not use: one warning each.
    #[serde(skip)]
    pub ignored: Vec<Diagnostic>,
}

/// Keys of an mdBook's book.toml that mean nothing to policybook, by table; `*` is the whole
/// table. They are accepted, so that an mdBook builds as it is, and reported once as warnings.
const MDBOOK_KEYS: &[(&str, &[&str])] = &[
    ("book", &["multilingual", "text-direction"]),
    (
        "build",
        &[
            "create-missing",
            "use-default-preprocessors",
            "extra-watch-dirs",
        ],
    ),
    ("rust", &["*"]),
    ("preprocessor", &["*"]),
    (
        "output.html",
        &[
            "default-theme",
            "preferred-dark-theme",
            "smart-punctuation",
            "curly-quotes",
            "mathjax-support",
            "copy-fonts",
            "additional-css",
            "additional-js",
            "no-section-label",
            "git-repository-url",
            "git-repository-icon",
            "input-404",
            "cname",
            "live-reload-endpoint",
            "hash-files",
            "sidebar-header-nav",
            "print",
            "fold",
            "playground",
            "code",
            "search",
            "redirect",
        ],
    ),
];

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
    /// "Acknowledge" link on policies readers must acknowledge; `{id}`, `{version}` and
    /// `{sha256}` are replaced by the policy's id and its newest release's version and sha256.
    pub acknowledge_url_template: Option<String>,
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
            acknowledge_url_template: None,
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
    /// Headings every policy must have (compared without regard to case); none unless
    /// book.toml lists them.
    pub required_sections: Vec<String>,
    /// The longest an exception may be granted for, from `granted` to `expires`.
    pub max_exception: crate::date::Period,
    /// `[check.severity]`: rule id → `error`, `warning` or `off`.
    pub severity: BTreeMap<Rule, Level>,
}

impl Default for Check {
    fn default() -> Self {
        Check {
            risk_appetite: 9,
            required_sections: Vec::new(),
            max_exception: "1 year".parse().expect("a valid period"),
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

/// The sections `policybook init` requires of every policy and `new` writes when a handbook
/// requires none: the usual skeleton of a policy document.
pub const SUGGESTED_SECTIONS: [&str; 6] = [
    "Purpose",
    "Scope",
    "Roles and responsibilities",
    "Policy",
    "Exceptions",
    "References",
];

/// The file name of the configuration.
pub const FILE: &str = "book.toml";

impl Config {
    /// Reads `book.toml` from `root`. Without one, a folder that has the default content folder
    /// is built with the defaults; any other is not a handbook, and the error says how to start one.
    pub fn load(root: &Path) -> Result<Config, Error> {
        let path = root.join(FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes)
                .trim_start_matches('\u{feff}')
                .to_string(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if root.join(Book::default().src).is_dir() {
                    String::new()
                } else {
                    return Err(Error::NotAHandbook(root.to_path_buf()));
                }
            }
            Err(e) => return Err(Error::io(path, e)),
        };
        let mut config = Config::parse(&text).map_err(|d| Error::Content(vec![d]))?;
        // `./content` is `content`, and `.` (the top, as a GitBook has it) is the empty path, so
        // that paths under the content folder start with it as the walk makes them.
        config.book.src = config
            .book
            .src
            .components()
            .filter(|c| c != &std::path::Component::CurDir)
            .collect();
        // mdBook reads `src/` when book.toml names no folder; so does a handbook without `content/`.
        let mdbook_src = Path::new("src");
        if config.book.src == Book::default().src
            && !root.join(&config.book.src).is_dir()
            && root.join(mdbook_src).is_dir()
        {
            config.book.src = mdbook_src.into();
        }
        // mdBook's `theme` is a folder of Handlebars templates beside book.toml, not a name.
        let theme = &config.output.html.theme;
        if theme != "default"
            && !root.join("themes").join(theme).is_dir()
            && root.join(theme).is_dir()
        {
            let (line, col) = locate(&text, "theme");
            config.ignored.push(Diagnostic::new(
                Rule::MdbookSetting,
                FILE,
                line,
                col,
                format!("`theme = \"{theme}\"` is an mdBook theme folder: policybook uses its default theme"),
            ).with_help("a policybook theme is a folder themes/<name>/ of tera templates; remove the key to silence this"));
            config.output.html.theme = "default".into();
        }
        Ok(config)
    }

    /// Parses the text of `book.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let invalid = |message: &str, at: (usize, usize)| {
            let (message, help) = explain_serde(message);
            let d = Diagnostic::new(Rule::InvalidConfig, FILE, at.0, at.1, message);
            match help {
                Some(help) => d.with_help(help),
                None => d,
            }
        };
        let spanned = |e: &toml::de::Error| e.span().map_or((0, 0), |s| line_col(text, s.start));
        let mut config = match toml::from_str::<Config>(text) {
            Ok(config) => config,
            Err(first) => {
                // Perhaps an mdBook's book.toml: without mdBook's own settings, it may be ours.
                let Ok(mut table) = toml::from_str::<toml::Table>(text) else {
                    return Err(invalid(first.message(), spanned(&first)));
                };
                let ignored = take_mdbook_keys(&mut table, text);
                if ignored.is_empty() {
                    return Err(invalid(first.message(), spanned(&first)));
                }
                let mut config = Config::deserialize(toml::Value::Table(table)).map_err(|e| {
                    // No span from a value: the quoted name finds the line.
                    let at = e
                        .message()
                        .split('`')
                        .nth(1)
                        .map_or((0, 0), |name| locate(text, name));
                    invalid(e.message(), at)
                })?;
                config.ignored = ignored;
                config
            }
        };
        config.check.validate(text)?;
        config.ignored.sort_by_key(|d| (d.line, d.col));
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

/// Line and column of the first line of `text` that starts with `key` (after indentation, or
/// a `[` for a table), or `(0, 0)`.
fn locate(text: &str, key: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| {
            let t = l.trim_start();
            (t.starts_with(key) || t.strip_prefix('[').is_some_and(|t| t.starts_with(key)))
                .then(|| (i + 1, l.len() - t.len() + 1))
        })
        .unwrap_or((0, 0))
}

/// Removes the mdBook settings of [`MDBOOK_KEYS`] (and `[output.<renderer>]` tables of other
/// renderers) from `table`, with a warning for each, at its line of `text`.
fn take_mdbook_keys(table: &mut toml::Table, text: &str) -> Vec<Diagnostic> {
    let mut taken = Vec::new();
    let mut note = |name: String, key: &str| {
        let (line, col) = locate(text, key);
        taken.push(
            Diagnostic::new(
                Rule::MdbookSetting,
                FILE,
                line,
                col,
                format!("`{name}` is an mdBook setting that policybook does not use"),
            )
            .with_help("remove it once the book has moved over, or set `mdbook-setting = \"off\"` under [check.severity]"),
        );
    };
    for (path, keys) in MDBOOK_KEYS {
        if keys == &["*"] {
            if table.remove(*path).is_some() {
                note(format!("[{path}]"), path);
            }
            continue;
        }
        let nested = path.split('.').try_fold(&mut *table, |t, name| {
            t.get_mut(name).and_then(toml::Value::as_table_mut)
        });
        let Some(nested) = nested else { continue };
        for key in *keys {
            if nested.remove(*key).is_some() {
                note(format!("{path}.{key}"), key);
            }
        }
    }
    if let Some(output) = table.get_mut("output").and_then(toml::Value::as_table_mut) {
        let others: Vec<String> = output.keys().filter(|k| *k != "html").cloned().collect();
        for renderer in others {
            output.remove(&renderer);
            note(
                format!("[output.{renderer}]"),
                &format!("output.{renderer}"),
            );
        }
    }
    taken
}

impl Check {
    /// Refuses settings the pipeline cannot honour; `text` is book.toml, to point at the line.
    fn validate(&self, text: &str) -> Result<(), Diagnostic> {
        let at = |needle: &str, message: String, help: &str| {
            let (line, col) = locate(text, needle);
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
