//! `book.toml`: mdBook's `[book]` and `[build]` keys plus policybook's own sections.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Error;
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
}

impl Default for Html {
    fn default() -> Self {
        Html {
            theme: "default".into(),
            site_url: None,
            edit_url_template: None,
            number_clauses: true,
        }
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
            let d = Diagnostic::error(FILE, line, col, message);
            match help {
                Some(help) => d.with_help(help),
                None => d,
            }
        })?;
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
}
