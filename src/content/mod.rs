//! Load stage: the files under the content folder → typed [`Item`]s, roles and criteria.
//!
//! Every problem becomes a [`Diagnostic`]; loading goes on past errors so that one build reports
//! them all. The walk of the folder (`walk`) reads files through a cache (`cache`, `files`),
//! parses each item (`parse`, `front_matter`, TOML front matter in `toml_front`, `item`;
//! `foreign` knows other tools' fields), and reads what items point to: KPI series (`series`)
//! and policy archives (`archive`, which `release` also writes through).

pub mod archive;
mod as_of;
mod body;
mod cache;
mod files;
pub mod foreign;
mod front_matter;
mod item;
mod parse;
mod series;
pub mod summary;
mod toml_front;
mod walk;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use crate::kind::Kind;
pub use archive::{ARCHIVE_MANIFEST, ARCHIVE_SUFFIX, archive_dir, text_sha256};
pub use as_of::as_of;
pub use body::Body;
pub use cache::ParseCache;
pub use files::{hex, normalize, sha256_hex};
pub use front_matter::FrontMatter;
pub use item::*;
pub use parse::{id_from_stem, is_index_stem, is_valid_id, parse_item};
pub use series::parse_csv;
pub use walk::{load_cached, reload_items};

use crate::Error;
use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// Roles are defined in this file at the top of the content folder.
pub const ROLES_FILE: &str = "roles.yaml";
/// Vendor criteria are defined in this file in the scorecards' folder.
pub const CRITERIA_FILE: &str = "criteria.yaml";
/// GitBook keeps a book's images in `.gitbook/assets`: the one hidden folder at the top of the
/// content folder whose files (its images and documents only) are copied.
pub const GITBOOK_FOLDER: &str = ".gitbook";
/// Larger files are refused rather than risk exhausting memory.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// File endings copied to the site as they are: images, and what a handbook offers for
/// download (forms, templates, a KPI's data).
pub const ASSET_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "pdf", "docx", "xlsx", "pptx",
    "odt", "ods", "odp", "txt", "csv", "zip",
];

/// Everything read from the content folder.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Items, in path order.
    pub items: Vec<Item>,
    /// Roles from `roles.yaml`.
    pub roles: Vec<Role>,
    /// Where roles were read from, to point errors at it.
    pub roles_file: Option<(PathBuf, FrontMatter)>,
    /// Vendor criteria from `criteria.yaml`.
    pub criteria: Vec<Criterion>,
    /// Where criteria were read from.
    pub criteria_file: Option<(PathBuf, FrontMatter)>,
    /// Control frameworks from `frameworks/*.yaml`, in file order.
    pub frameworks: Vec<FrameworkFile>,
    /// Files copied as they are: (source path relative to root, path in the site).
    pub assets: Vec<(PathBuf, PathBuf)>,
    /// sha256 of every source file read (relative path → hex digest), for the manifest.
    pub sources: BTreeMap<PathBuf, String>,
    /// Paths of files that failed to load, so links to them are not reported a second time.
    pub failed: BTreeSet<PathBuf>,
    /// SUMMARY.md, when the content folder has one: navigation lists its chapters only.
    pub summary: Option<PathBuf>,
    /// Whether the walk followed a symbolic link (to a file or folder inside the content folder):
    /// a file may then be loaded under two paths.
    pub through_links: bool,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

/// The folder of the content folder holding one YAML file per control framework.
pub const FRAMEWORKS_FOLDER: &str = "frameworks";

/// A framework and the file it was read from, to point findings at its lines.
#[derive(Debug, Clone)]
pub struct FrameworkFile {
    /// The framework.
    pub framework: Framework,
    /// Its file, relative to the root.
    pub path: PathBuf,
    /// Its text, to locate lines.
    pub front: FrontMatter,
}

/// Reads the content folder of the handbook at `root`.
pub fn load(root: &Path, config: &Config) -> Result<Loaded, Error> {
    // One load keeps nothing for later: holding every file twice would double its memory.
    load_cached(root, config, &mut ParseCache::default())
}
