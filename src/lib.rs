//! policybook: a static site generator for versioned, cross-linked governance handbooks.
//!
//! The pipeline runs in one direction, one module per stage:
//!
//! ```text
//! config   book.toml            -> Config
//! content  content/**           -> typed items (front matter + Markdown source)
//! model    items                -> Handbook (ids, links, backlinks, computed values)
//! markdown Markdown             -> HTML fragments (links resolved against the model)
//! render   Handbook             -> pages (tera templates)
//! output   pages                -> files (atomic swap, manifest)
//! serve    watch -> incremental rebuild -> HTTP + reload channel
//! ```
//!
//! [`build`] runs the whole pipeline; the CLI in `main.rs` is a thin layer over it.

pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Severity};

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The handbook's sources have problems; every one found is listed.
    #[error("{} error(s) in the handbook", .0.iter().filter(|d| d.severity == Severity::Error).count())]
    Content(Vec<Diagnostic>),
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A theme template failed to parse or render.
    #[error("theme: {0}")]
    Template(String),
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Where to write the site; defaults to `[build] build-dir` of book.toml, relative to the root.
    pub dest: Option<PathBuf>,
}

/// What a successful build produced.
#[derive(Debug)]
pub struct BuildReport {
    /// The output folder.
    pub dest: PathBuf,
    /// Number of HTML pages written.
    pub pages: usize,
    /// Warnings found while building (the build still succeeded).
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates the handbook at `root` without writing anything.
pub fn load(root: &Path) -> Result<model::Handbook, Error> {
    let config = config::Config::load(root)?;
    let loaded = content::load(root, &config)?;
    model::Handbook::build(config, loaded)
}

/// Builds the handbook at `root` into its output folder.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport, Error> {
    let handbook = load(root)?;
    let dest = match &options.dest {
        Some(dest) => dest.clone(),
        None => root.join(&handbook.config.build.build_dir),
    };
    let site = render::render(root, &handbook)?;
    let pages = site.pages();
    output::write(&dest, &handbook, &site)?;
    Ok(BuildReport {
        dest,
        pages,
        warnings: handbook.warnings.clone(),
    })
}
