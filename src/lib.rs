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
//! check    Handbook             -> findings (governance rules)
//! serve    watch -> incremental rebuild -> HTTP + reload channel
//! ```
//!
//! [`build`] runs the whole pipeline, [`check`] every validation without writing; the CLI in
//! `main.rs` is a thin layer over them.

pub mod check;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod kind;
pub mod markdown;
pub mod model;
pub mod output;
mod parallel;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod urls;
pub mod versions;

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
    /// The folder has no book.toml (and no content folder): it is not a handbook.
    #[error(
        "no book.toml found in {}: this is not a handbook folder\n  help: run `policybook init` to start a handbook here, or pass --root with the folder that holds book.toml",
        .0.display()
    )]
    NotAHandbook(PathBuf),
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Content(vec![d])
    }
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
    /// The date that reviews, refreshes and risk flags are judged by; defaults to
    /// [`date::Date::build_date`] (`SOURCE_DATE_EPOCH`, else the clock). The same sources and
    /// date give the same bytes.
    pub today: Option<date::Date>,
    /// Build the handbook as it stood on this day: each policy's version then in force.
    pub as_of: Option<date::Date>,
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

/// Loads and models the handbook at `root`, keeping every finding of loading and linking in
/// [`model::Handbook::diagnostics`]; only I/O and configuration failures are `Err`.
pub fn model(root: &Path) -> Result<model::Handbook, Error> {
    let config = config::Config::load(root)?;
    let loaded = content::load(root, &config)?;
    Ok(model::Handbook::build(config, loaded))
}

/// Loads and validates the handbook at `root` without writing anything: its errors are `Err`.
pub fn load(root: &Path) -> Result<model::Handbook, Error> {
    let handbook = model(root)?;
    if handbook.has_errors() {
        return Err(Error::Content(handbook.diagnostics));
    }
    Ok(handbook)
}

/// Runs every validation of the build and the governance rules as of `today`, without writing
/// anything. Problems in the content are findings (`Ok`); only I/O and theme failures are `Err`.
pub fn check(root: &Path, today: date::Date) -> Result<Vec<Diagnostic>, Error> {
    match model(root) {
        Ok(handbook) => Ok(findings(&handbook, today)),
        Err(Error::Content(diagnostics)) => Ok(diagnostics),
        Err(e) => Err(e),
    }
}

/// Every finding about a modelled handbook: those of loading and linking, and the governance
/// rules run over what resolved, so that broken links do not hide the rest until they are fixed.
pub(crate) fn findings(handbook: &model::Handbook, today: date::Date) -> Vec<Diagnostic> {
    let mut all = handbook.diagnostics.clone();
    all.extend(check::run(handbook, today));
    all.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    all
}

/// Where a build is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Reading and modelling the content.
    Loading,
    /// Running the governance rules.
    Checking,
    /// Rendering and writing pages; the number is the files written so far.
    Writing(usize),
}

/// Builds the handbook at `root` into its output folder. Every finding is reported at once:
/// any error stops the build before anything is written; warnings are returned.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport, Error> {
    build_with_progress(root, options, &|_| {})
}

/// [`build`], telling `progress` where it is (from several threads while writing).
pub fn build_with_progress(
    root: &Path,
    options: &BuildOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<BuildReport, Error> {
    progress(Progress::Loading);
    let config = config::Config::load(root)?;
    let dest = match &options.dest {
        Some(dest) => dest.clone(),
        None => root.join(&config.build.build_dir),
    };
    // First put back a site that a killed build left aside, so even a failing build leaves one.
    output::recover(&dest)?;
    let mut loaded = content::load(root, &config)?;
    if let Some(day) = options.as_of {
        content::as_of(root, &mut loaded, day);
    }
    let mut handbook = model::Handbook::build(config, loaded);
    handbook.as_of = options.as_of;
    progress(Progress::Checking);
    // A handbook as it stood is judged as it was that day: reviews due later were not overdue.
    let today = options
        .as_of
        .or(options.today)
        .unwrap_or_else(date::Date::build_date);
    let warnings = findings(&handbook, today);
    if warnings.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::Content(warnings));
    }
    let mut templates = None;
    let written = std::sync::atomic::AtomicUsize::new(0);
    let pages = output::write_rendered(&dest, &handbook, today, |emit, append| {
        let emit = |file| {
            let n = written.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(Progress::Writing(n));
            emit(file)
        };
        let templates = templates.insert(render::Templates::load(root, &handbook)?);
        templates.render_into(root, &handbook, today, &emit, append)
    })?;
    // Freeing a large handbook and the compiled grammars takes a tenth of a second at the end
    // of a build; nothing waits on it. Without a thread, they are freed here.
    let _ = std::thread::Builder::new().spawn(move || drop((handbook, templates)));
    Ok(BuildReport {
        dest,
        pages,
        warnings,
    })
}
