//! `policybook init`: a new handbook that builds, serves and passes `check --deny warnings` at
//! once, with strict settings written out and one example of every kind.

use std::path::{Path, PathBuf};

use crate::date::Date;
use crate::versions::{ReleaseOptions, release};
use crate::{Diagnostic, Error};

/// The starter handbook: (path in the new handbook, text with `{{…}}` placeholders).
const FILES: &[(&str, &str)] = &[
    ("book.toml", include_str!("handbook/book.toml")),
    (".gitignore", include_str!("handbook/gitignore")),
    (
        "content/roles.yaml",
        include_str!("handbook/content/roles.yaml"),
    ),
    (
        "content/index.md",
        include_str!("handbook/content/index.md"),
    ),
    (
        "content/guide/writing.md",
        include_str!("handbook/content/guide/writing.md"),
    ),
    (
        "content/policies/acceptable-use.md",
        include_str!("handbook/content/policies/acceptable-use.md"),
    ),
    (
        "content/stages/pilot.md",
        include_str!("handbook/content/stages/pilot.md"),
    ),
    (
        "content/vendors/criteria.yaml",
        include_str!("handbook/content/vendors/criteria.yaml"),
    ),
    (
        "content/vendors/example-vendor.md",
        include_str!("handbook/content/vendors/example-vendor.md"),
    ),
    (
        "content/training/policy-basics.md",
        include_str!("handbook/content/training/policy-basics.md"),
    ),
    (
        "content/risks/data-leak.md",
        include_str!("handbook/content/risks/data-leak.md"),
    ),
    (
        "content/kpis/review-time.md",
        include_str!("handbook/content/kpis/review-time.md"),
    ),
    (
        "content/exceptions/tool-trial.md",
        include_str!("handbook/content/exceptions/tool-trial.md"),
    ),
    (
        "content/frameworks/internal-controls.yaml",
        include_str!("handbook/content/frameworks/internal-controls.yaml"),
    ),
];

/// The example policy, released as version 1.0 so its history and archive are there too.
const RELEASED: &str = "acceptable-use";

/// Options of `policybook init`.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The handbook's title.
    pub title: String,
    /// Write into a folder that already has files (never over one of them).
    pub force: bool,
    /// The date the examples take effect, are reviewed and measured.
    pub today: Date,
}

/// Writes a new handbook into `dir` (created if needed) and returns the files written.
///
/// Refuses a folder that has files unless `force`, and never overwrites a file.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Vec<PathBuf>, Error> {
    let refuse = |message: String, help: &str| {
        Error::Content(vec![Diagnostic::error("", 0, 0, message).with_help(help)])
    };
    let has_files = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if has_files && !options.force {
        return Err(refuse(
            format!("{} is not empty", dir.display()),
            "start the handbook in a new folder (`policybook init my-handbook`), or pass --force to add the starter files beside the ones there",
        ));
    }
    let existing: Vec<String> = FILES
        .iter()
        .filter(|(path, _)| dir.join(path).exists())
        .map(|(path, _)| path.to_string())
        .collect();
    if !existing.is_empty() {
        return Err(refuse(
            format!("would overwrite {}", existing.join(", ")),
            "init never overwrites a file: move these aside first",
        ));
    }
    let title = if options.title.trim().is_empty() {
        "Handbook"
    } else {
        options.title.trim()
    };
    let today = options.today;
    let year = today.to_string()[..4].to_string();
    let fill = |text: &str| {
        text.replace("{{title_toml}}", &toml::Value::from(title).to_string())
            .replace(
                "{{title_yaml}}",
                &serde_json::Value::from(title).to_string(),
            )
            .replace("{{title}}", title)
            .replace("{{edition}}", &format!("{year}.1"))
            .replace("{{year}}", &year)
            .replace("{{today}}", &today.to_string())
            .replace(
                "{{review}}",
                &today
                    .plus("3 months".parse().expect("a valid period"))
                    .to_string(),
            )
    };
    let mut written = Vec::new();
    for (path, text) in FILES {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, fill(text)).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    let release_options = ReleaseOptions {
        summary: None,
        editorial: false,
        date: today,
        approved_by: Vec::new(),
        approved_on: None,
        reference: None,
    };
    match release(dir, RELEASED, &release_options) {
        Ok(archived) => {
            written.push(archived);
            Ok(written)
        }
        Err(e) => {
            // Leave the folder as it was: a half-made handbook is worse than none.
            for path in written.iter().rev() {
                let _ = std::fs::remove_file(path);
                let mut parent = path.parent();
                while let Some(p) = parent.filter(|p| p.starts_with(dir) && *p != dir) {
                    if std::fs::remove_dir(p).is_err() {
                        break;
                    }
                    parent = p.parent();
                }
            }
            Err(e)
        }
    }
}
