//! Load stage: the files under the content folder → typed [`Item`]s, roles and criteria.
//!
//! Every problem becomes a [`Diagnostic`]; loading goes on past errors so that one build reports
//! them all.

mod as_of;
mod front_matter;
mod item;
pub mod summary;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

pub use crate::kind::Kind;
pub use as_of::as_of;
pub use front_matter::FrontMatter;
pub use item::*;

use crate::Error;
use crate::config::{Config, FILE as CONFIG_FILE};
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, line_col};
use crate::markdown;

/// Roles are defined in this file at the top of the content folder.
pub const ROLES_FILE: &str = "roles.yaml";
/// Vendor criteria are defined in this file in the scorecards' folder.
pub const CRITERIA_FILE: &str = "criteria.yaml";
/// Larger files are refused rather than risk exhausting memory.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// File endings copied to the site as they are.
const ASSET_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp", "pdf"];

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

/// Items parsed by an earlier [`load_cached`], by source path, with the sha256 and default kind
/// they were parsed from: parsing depends on nothing else, so an unchanged file is neither
/// decoded nor parsed again. `serve` keeps one across rebuilds; parsing is most of a load.
#[derive(Debug, Default)]
pub struct ParseCache {
    items: HashMap<PathBuf, Parsed>,
    /// File contents and their sha256, by path, with the size and modification time they were
    /// read at: an unchanged file (most of them, at every save) is neither read nor hashed again.
    files: HashMap<PathBuf, Read>,
    /// Policy archives by manifest path.
    archives: HashMap<PathBuf, Archive>,
    /// Whether to keep anything: only a cache made by [`ParseCache::for_rebuilds`] does.
    keep: bool,
}

/// A file as read by [`ParseCache::read`].
#[derive(Debug, Clone)]
struct Read {
    len: u64,
    modified: Option<std::time::SystemTime>,
    bytes: std::sync::Arc<[u8]>,
    sha256: String,
}

/// One file's parse and what it was parsed from.
#[derive(Debug)]
struct Parsed {
    sha256: String,
    default_kind: Kind,
    result: Result<Item, Vec<Diagnostic>>,
}

impl ParseCache {
    /// A cache that keeps what it reads and parses, for loads that follow one another.
    pub fn for_rebuilds() -> ParseCache {
        ParseCache {
            keep: true,
            ..ParseCache::default()
        }
    }

    /// The bytes of the file at `path` and their sha256.
    fn read(&mut self, path: &Path) -> std::io::Result<(std::sync::Arc<[u8]>, String)> {
        let meta = std::fs::metadata(path)?;
        let (len, modified) = (meta.len(), meta.modified().ok());
        if let Some(read) = self.files.get(path)
            && read.len == len
            && read.modified == modified
            && modified.is_some()
        {
            return Ok((read.bytes.clone(), read.sha256.clone()));
        }
        let bytes: std::sync::Arc<[u8]> = std::fs::read(path)?.into();
        let sha256 = sha256_hex(&bytes);
        if !self.keep {
            return Ok((bytes, sha256));
        }
        self.files.insert(
            path.to_path_buf(),
            Read {
                len,
                modified,
                bytes: bytes.clone(),
                sha256: sha256.clone(),
            },
        );
        Ok((bytes, sha256))
    }

    /// The earlier parse of the file at `rel`, if its bytes (by sha256) and folder are the same.
    fn cached(&self, rel: &Path, sha256: &str, default_kind: Kind) -> Option<ParseResult> {
        self.items
            .get(rel)
            .filter(|p| p.sha256 == sha256 && p.default_kind == default_kind)
            .map(|p| p.result.clone())
    }

    fn remember(&mut self, file: &ItemFile, result: &ParseResult) {
        if self.keep {
            let parsed = Parsed {
                sha256: file.sha256.clone(),
                default_kind: file.default_kind,
                result: result.clone(),
            };
            self.items.insert(file.rel.clone(), parsed);
        }
    }
}

/// What parsing one item file gives.
type ParseResult = Result<Item, Vec<Diagnostic>>;

/// An item file found by the walk of the content folder.
struct ItemFile {
    rel: PathBuf,
    sha256: String,
    default_kind: Kind,
}

/// What the walk has of an item file: its text to parse, or the cache's parse of it.
enum Contents {
    Text(String),
    Parsed(Box<ParseResult>),
}

/// Like [`load`], reusing the items of `cache` whose files did not change.
pub fn load_cached(root: &Path, config: &Config, cache: &mut ParseCache) -> Result<Loaded, Error> {
    let src = root.join(&config.book.src);
    if !src.is_dir() {
        return Err(Error::Content(vec![
            Diagnostic::new(
                Rule::InvalidConfig,
                CONFIG_FILE,
                0,
                0,
                format!("content folder `{}` not found", config.book.src.display()),
            )
            .with_help("create it, or set `src` under [book] in book.toml"),
        ]));
    }
    let mut loaded = Loaded::default();
    let src_rel = config.book.src.clone();
    let mut chapters = Vec::new();
    if let Ok(text) = std::fs::read(root.join(CONFIG_FILE)) {
        loaded.sources.insert(CONFIG_FILE.into(), sha256_hex(&text));
    }
    // Symbolic links are followed, but only to places inside the content folder: a link to
    // `~/.ssh/id_rsa` named `key.png` must not publish the key.
    let canonical_src = src.canonicalize().map_err(|e| Error::io(&src, e))?;
    let mut outside = Vec::new();
    let mut walker = WalkDir::new(&src)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let leaves = e.path_is_symlink()
                && e.path()
                    .canonicalize()
                    .is_ok_and(|target| !target.starts_with(&canonical_src));
            if leaves {
                outside.push(e.path().to_path_buf());
            }
            !leaves
                && !is_hidden(e.file_name())
                && !e
                    .file_name()
                    .to_string_lossy()
                    .ends_with(&format!(".{ARCHIVE_SUFFIX}"))
        });
    let (mut files, mut contents) = (Vec::new(), Vec::new());
    for entry in walker.by_ref() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map_or_else(|| src.clone(), Path::to_path_buf);
                let rel = relative(root, &path);
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop: this folder links back to one of its parents".to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    )
                };
                loaded
                    .diagnostics
                    .push(Diagnostic::new(Rule::UnreadableFile, rel, 0, 0, message));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let in_src = path.strip_prefix(&src).unwrap_or(path).to_path_buf();
        let rel = relative(root, path);
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if ASSET_EXTENSIONS.contains(&ext.as_str()) {
            loaded.assets.push((rel, in_src));
            continue;
        }
        if in_src == Path::new(summary::FILE) {
            match read_file(cache, path, &rel)
                .and_then(|(bytes, sha)| Ok((decode(&bytes, &rel)?, sha)))
            {
                Ok((text, sha256)) => {
                    let (found, mut errors) = summary::parse(&rel, &src_rel, &text);
                    chapters = found;
                    loaded.diagnostics.append(&mut errors);
                    loaded.sources.insert(rel.clone(), sha256);
                    loaded.summary = Some(rel);
                }
                Err(d) => loaded.diagnostics.push(d),
            }
            continue;
        }
        let is_roles = in_src == Path::new(ROLES_FILE);
        let is_criteria = name == CRITERIA_FILE;
        let is_framework = (ext == "yaml" || ext == "yml")
            && in_src.parent() == Some(Path::new(FRAMEWORKS_FOLDER));
        if ext != "md" && !is_roles && !is_criteria && !is_framework {
            continue;
        }
        let (bytes, sha256) = match read_file(cache, path, &rel) {
            Ok(read) => read,
            Err(d) => {
                loaded.diagnostics.push(d);
                loaded.failed.insert(rel);
                continue;
            }
        };
        if is_roles || is_criteria || is_framework {
            let text = match decode(&bytes, &rel) {
                Ok(text) => text,
                Err(d) => {
                    loaded.diagnostics.push(d);
                    loaded.failed.insert(rel);
                    continue;
                }
            };
            loaded.sources.insert(rel.clone(), sha256);
            let front = FrontMatter::whole_file(text);
            if is_framework {
                match front.parse::<Framework>(&rel) {
                    Ok(framework) => loaded.frameworks.push(FrameworkFile {
                        framework,
                        path: rel,
                        front,
                    }),
                    Err(d) => {
                        // Its error is enough: references to it are not reported as unknown.
                        loaded.diagnostics.push(d);
                        loaded.failed.insert(rel);
                    }
                }
            } else if is_roles {
                match front.parse::<Vec<Role>>(&rel) {
                    Ok(roles) => loaded.roles = roles,
                    Err(d) => loaded.diagnostics.push(d),
                }
                loaded.roles_file = Some((rel, front));
            } else {
                match front.parse::<Vec<Criterion>>(&rel) {
                    Ok(criteria) => loaded.criteria = criteria,
                    Err(d) => loaded.diagnostics.push(d),
                }
                loaded.criteria_file = Some((rel, front));
            }
            continue;
        }
        let default_kind = in_src
            .components()
            .next()
            .filter(|_| in_src.components().count() > 1)
            .and_then(|c| config.kind_of_folder(&c.as_os_str().to_string_lossy()))
            .unwrap_or(Kind::Page);
        // An unchanged file keeps its parse; the others are decoded here and parsed below.
        let text = match cache.cached(&rel, &sha256, default_kind) {
            Some(parse) => Contents::Parsed(Box::new(parse)),
            None => match decode(&bytes, &rel) {
                Ok(text) => Contents::Text(text),
                Err(d) => {
                    loaded.diagnostics.push(d);
                    loaded.failed.insert(rel);
                    continue;
                }
            },
        };
        loaded.sources.insert(rel.clone(), sha256.clone());
        files.push(ItemFile {
            rel,
            sha256,
            default_kind,
        });
        contents.push(text);
        if files.len() == PARSE_BATCH {
            parse_items(root, &src, (&mut files, &mut contents), &mut loaded, cache);
        }
    }
    parse_items(root, &src, (&mut files, &mut contents), &mut loaded, cache);
    drop(walker);
    if let Some(summary) = &loaded.summary {
        place_chapters(
            summary,
            &chapters,
            &mut loaded.items,
            &mut loaded.diagnostics,
        );
    }
    for path in outside {
        loaded.diagnostics.push(
            Diagnostic::new(
                Rule::UnreadableFile,
                relative(root, &path),
                0,
                0,
                "symbolic link to a place outside the content folder",
            )
            .with_help("copy the file into the content folder, or remove the link"),
        );
    }
    Ok(loaded)
}

/// Gives each item listed in SUMMARY.md its place in navigation; a chapter whose file is not
/// in the handbook is a broken link at its line of SUMMARY.md.
fn place_chapters(
    summary: &Path,
    chapters: &[summary::Chapter],
    items: &mut [Item],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let at: HashMap<&Path, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.path.as_path(), i))
        .collect();
    let mut places = Vec::new();
    for (position, chapter) in chapters.iter().enumerate() {
        match at.get(chapter.path.as_path()) {
            Some(&i) => places.push((i, position, chapter.depth)),
            None => diagnostics.push(
                Diagnostic::new(
                    Rule::BrokenLink,
                    summary,
                    chapter.at.0,
                    chapter.at.1,
                    format!("chapter `{}` does not exist", chapter.path.display()),
                )
                .with_help("create the file, or make it a draft chapter: `- [Title]()`"),
            ),
        }
    }
    for (i, position, depth) in places {
        // A chapter listed twice keeps its first place.
        items[i].chapter.get_or_insert(Chapter { position, depth });
    }
}

/// Item files read before they are parsed together: enough to keep every core busy, few enough
/// that their texts are a small part of a large handbook.
const PARSE_BATCH: usize = 256;

/// Parses the walked item `files` (their `contents` alongside) and adds them to `loaded`, with
/// their series and archives. Parsing (YAML, then the Markdown outline) is most of a load's
/// time, so the files are parsed side by side; what follows reads more files, in order.
fn parse_items(
    root: &Path,
    src: &Path,
    (files, contents): (&mut Vec<ItemFile>, &mut Vec<Contents>),
    loaded: &mut Loaded,
    cache: &mut ParseCache,
) {
    let parsed: Vec<(ParseResult, bool)> = files
        .par_iter()
        .zip(contents.par_drain(..))
        .map(|(file, contents)| match contents {
            Contents::Text(text) => (parse_item(&file.rel, &text, file.default_kind), true),
            Contents::Parsed(parse) => (*parse, false),
        })
        .collect();
    for (file, (result, fresh)) in files.drain(..).zip(parsed) {
        if fresh {
            cache.remember(&file, &result);
        }
        match result {
            Ok(mut item) => {
                load_series(root, src, &mut item, loaded);
                load_releases(root, &mut item, loaded, cache);
                loaded.items.push(item);
            }
            Err(mut ds) => {
                loaded.diagnostics.append(&mut ds);
                loaded.failed.insert(file.rel);
            }
        }
    }
}

/// Parses one Markdown file; `default_kind` comes from its folder.
pub fn parse_item(rel: &Path, text: &str, default_kind: Kind) -> Result<Item, Vec<Diagnostic>> {
    let split = front_matter::split(rel, text).map_err(|d| vec![d])?;
    let front = split.front;
    // Plain Markdown (no fields) is a page wherever it is, as in mdBook.
    let default_kind = if front.is_empty() {
        Kind::Page
    } else {
        default_kind
    };
    // Common fields first (unknown keys tolerated) to learn the kind, then every key is checked.
    let common: Common = match front.parse(rel) {
        Ok(common) => common,
        Err(d) => {
            let mut errors = match front.check_keys(rel, &known_fields(default_kind)) {
                Err(unknown)
                    if unknown
                        .iter()
                        .all(|u| u.message.starts_with("unknown field")) =>
                {
                    unknown
                }
                _ => Vec::new(),
            };
            errors.push(d);
            return Err(errors);
        }
    };
    let mut common = common;
    let kind = common.kind.unwrap_or(default_kind);
    let mut errors = front
        .check_keys(rel, &known_fields(kind))
        .err()
        .unwrap_or_default();

    let id = common
        .id
        .clone()
        .unwrap_or_else(|| id_from_stem(&stem(rel)));
    if !is_valid_id(&id) {
        let (line, col) = if common.id.is_some() {
            front.locate("id")
        } else {
            (1, 1)
        };
        errors.push(
            Diagnostic::new(
                Rule::InvalidId,
                rel,
                line,
                col,
                format!("invalid id `{id}`: use lowercase letters, digits and `-`"),
            )
            .with_help(if common.id.is_some() {
                "change the `id:` field"
            } else {
                "rename the file or set `id:`"
            }),
        );
    }
    if Data::requires_owner(kind) && common.owner.is_none() {
        errors.push(Diagnostic::new(
            Rule::InvalidContent,
            rel,
            front.first_line,
            1,
            format!("missing field `owner`: every {kind} names its owning role"),
        ));
    }
    let data = match kind {
        Kind::Page => Ok(Data::Page),
        Kind::Policy => front.parse(rel).map(Data::Policy),
        Kind::Stage => front.parse(rel).map(Data::Stage),
        Kind::Scorecard => front.parse(rel).map(Data::Scorecard),
        Kind::Module => front.parse(rel).map(Data::Module),
        Kind::Risk => front.parse(rel).map(Data::Risk),
        Kind::Kpi => front.parse(rel).map(Data::Kpi),
        Kind::Exception => front.parse(rel).map(Data::Exception),
    };
    let data = match data {
        Ok(data) => data,
        Err(d) => {
            errors.push(d);
            Data::Page
        }
    };
    if let Data::Policy(p) = &data
        && p.review_every.is_none()
        && p.next_review.is_none()
    {
        errors.push(
            Diagnostic::new(
                Rule::InvalidContent,
                rel,
                front.first_line,
                1,
                "missing review cycle: a policy needs `review_every` or `next_review`",
            )
            .with_help("for example `review_every: 12 months`"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let titled = strip_title_heading(split.body, &common.title);
    if common.title.trim().is_empty() {
        common.title = titled
            .heading
            .clone()
            .unwrap_or_else(|| title_from_stem(&stem(rel)));
    }
    Ok(Item {
        id,
        kind,
        common,
        data,
        path: rel.to_path_buf(),
        front,
        body: titled.body.to_string(),
        outline: markdown::scan(titled.body, false),
        body_line: split.body_line + titled.lines,
        title_anchor: titled.anchor,
        chapter: None,
        releases: Vec::new(),
    })
}

/// A body whose leading `# heading` repeats the title (or stands for a missing one), without it.
#[derive(Debug, PartialEq)]
struct Titled<'a> {
    /// The text of the leading heading, when the body starts with one.
    heading: Option<String>,
    /// The heading's anchor, when it was taken out.
    anchor: Option<String>,
    /// The body without it.
    body: &'a str,
    /// Lines taken out.
    lines: usize,
}

/// Takes a leading level-1 ATX heading out of `body` when it is the title (`title` is empty or
/// the same text): imported Markdown starts with its title, and the page shows the title itself.
fn strip_title_heading<'a>(body: &'a str, title: &str) -> Titled<'a> {
    let untouched = Titled {
        heading: None,
        anchor: None,
        body,
        lines: 0,
    };
    let blank = body.len() - body.trim_start_matches(['\n', ' ', '\t']).len();
    let blank = body[..blank].rfind('\n').map_or(0, |i| i + 1);
    let rest = &body[blank..];
    let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let line = &rest[..line_end];
    if !line.starts_with("# ") {
        return untouched;
    }
    let Some(heading) = markdown::scan(line, false).headings.into_iter().next() else {
        return untouched;
    };
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    if !title.trim().is_empty() && !same(&heading.text, title) {
        return Titled {
            heading: Some(heading.text),
            ..untouched
        };
    }
    let taken = blank + line_end;
    Titled {
        heading: Some(heading.text),
        anchor: Some(heading.id),
        body: &body[taken..],
        lines: body[..taken].matches('\n').count(),
    }
}

/// The id of an item whose front matter gives none: its file stem in lowercase, with every run
/// of other characters than letters and digits as one `-` (`Data_Handling` → `data-handling`).
pub fn id_from_stem(stem: &str) -> String {
    let mut id = String::with_capacity(stem.len());
    for c in stem.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        "page".into()
    } else {
        id.into()
    }
}

/// A title from a file name: `data_handling` → `Data handling`.
fn title_from_stem(stem: &str) -> String {
    let words = stem.replace(['_', '-'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    chars.next().map_or_else(
        || "Untitled".into(),
        |c| c.to_uppercase().chain(chars).collect(),
    )
}

/// The archive folder of the policy at `path`: `data-handling.md` → `data-handling.versions/`.
pub fn archive_dir(path: &Path) -> PathBuf {
    path.with_extension(ARCHIVE_SUFFIX)
}

/// The archive folder's extension.
pub const ARCHIVE_SUFFIX: &str = "versions";
/// The manifest of released versions inside an archive folder.
pub const ARCHIVE_MANIFEST: &str = "versions.yaml";

/// A policy's archive as read: its released versions, the files read with their sha256, and
/// the problems found.
#[derive(Debug, Clone, Default)]
struct Archive {
    releases: Vec<Archived>,
    sources: Vec<(PathBuf, String)>,
    diagnostics: Vec<Diagnostic>,
}

/// Reads a policy's archive into the item, reusing the one read at an earlier load when none of
/// its files changed (serve reloads every archive at each save otherwise).
fn load_releases(root: &Path, item: &mut Item, loaded: &mut Loaded, cache: &mut ParseCache) {
    if item.kind != Kind::Policy {
        return;
    }
    let manifest = archive_dir(&item.path).join(ARCHIVE_MANIFEST);
    let archive = match cache.archives.get(&manifest).cloned() {
        Some(known)
            if known.sources.iter().all(|(path, sha)| {
                cache
                    .read(&root.join(path))
                    .is_ok_and(|(_, now)| now == *sha)
            }) =>
        {
            known
        }
        _ => {
            let archive = read_archive(root, &item.path, cache);
            // A policy without an archive is looked for again next time.
            if cache.keep && !archive.sources.is_empty() {
                cache.archives.insert(manifest, archive.clone());
            }
            archive
        }
    };
    item.releases = archive.releases;
    loaded.sources.extend(archive.sources);
    loaded.diagnostics.extend(archive.diagnostics);
}

/// Reads a policy's archive: the manifest and every archived text, checking each hash.
fn read_archive(root: &Path, policy: &Path, cache: &mut ParseCache) -> Archive {
    let mut archive = Archive::default();
    let dir = archive_dir(policy);
    let manifest_rel = dir.join(ARCHIVE_MANIFEST);
    let Ok((bytes, sha256)) = cache.read(&root.join(&manifest_rel)) else {
        return archive;
    };
    archive.sources.push((manifest_rel.clone(), sha256));
    let front = match decode(&bytes, &manifest_rel) {
        Ok(text) => FrontMatter::whole_file(text),
        Err(d) => {
            archive.diagnostics.push(d);
            return archive;
        }
    };
    let releases: Vec<Release> = match front.parse(&manifest_rel) {
        Ok(releases) => releases,
        Err(d) => {
            archive.diagnostics.push(d);
            return archive;
        }
    };
    let mut previous: Option<&Version> = None;
    for release in &releases {
        let version = &release.version;
        let (line, col) = front
            .yaml
            .lines()
            .position(|l| l.contains("version:") && l.contains(version.0.as_str()))
            .map_or((1, 1), |i| (i + 1, 1));
        if previous.is_some_and(|p| p >= version) {
            archive.diagnostics.push(Diagnostic::new(Rule::InvalidContent, &manifest_rel, line, col, format!("version {version} is listed after a version at least as high: releases must be in increasing order")));
        }
        previous = Some(version);
        // A sign-off counts only for a role that had to approve this release.
        for approval in &release.approved_by {
            if !release.approvers.contains(&approval.role) {
                archive.diagnostics.push(
                    Diagnostic::new(Rule::InvalidContent, &manifest_rel, line, col, format!("version {version} is approved by {} for `{}`, which is not one of its approvers", approval.name, approval.role))
                        .with_help(format!("approvers of {version}: {}", release.approvers.join(", "))),
                );
            }
        }
        let path = dir.join(format!("{version}.md"));
        let (bytes, hash) = match cache.read(&root.join(&path)) {
            Ok(read) => read,
            Err(e) => {
                archive.diagnostics.push(Diagnostic::new(
                    Rule::InvalidContent,
                    &manifest_rel,
                    line,
                    col,
                    format!(
                        "archived text of version {version} is missing: {}: {e}",
                        path.display()
                    ),
                ));
                continue;
            }
        };
        archive.sources.push((path.clone(), hash.clone()));
        // The recorded hash is of the text (see `text_sha256`); a manifest written before
        // that hashed the bytes, which is the same for an LF file without a byte-order mark.
        let text_hash = text_sha256(&bytes);
        if text_hash != release.sha256 && hash != release.sha256 {
            archive.diagnostics.push(
                Diagnostic::new(Rule::ArchiveHashMismatch, &path, 0, 0, format!("archived text of version {version} no longer matches the sha256 recorded at release"))
                    .with_help(format!("released versions are immutable: restore this file from version control (recorded {}, found {text_hash})", release.sha256)),
            );
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        // Taken out of the body as in the working text, so that redlines compare like with like.
        let body = front_matter::split(&path, text).map_or_else(
            |_| text.to_string(),
            |s| {
                let title = s.front.parse::<Common>(&path).map(|c| c.title);
                strip_title_heading(s.body, &title.unwrap_or_default())
                    .body
                    .to_string()
            },
        );
        archive.releases.push(Archived {
            release: release.clone(),
            path,
            body,
            line,
        });
    }
    archive
}

fn known_fields(kind: Kind) -> Vec<&'static str> {
    COMMON_FIELDS
        .iter()
        .chain(Data::fields(kind))
        .copied()
        .collect()
}

/// Replaces a KPI's `series: file.csv` with the file's points.
fn load_series(root: &Path, src: &Path, item: &mut Item, loaded: &mut Loaded) {
    let Data::Kpi(kpi) = &mut item.data else {
        return;
    };
    let Series::File(file) = &kpi.series else {
        return;
    };
    let (line, col) = item.front.locate("series");
    if file
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        loaded.diagnostics.push(Diagnostic::new(
            Rule::InvalidContent,
            &item.path,
            line,
            col,
            format!(
                "series file `{}` must be a relative path inside the content folder",
                file.display()
            ),
        ));
        return;
    }
    let path = src.join(file);
    let rel = relative(root, &path);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match decode(&bytes, &rel) {
            Ok(text) => text,
            Err(d) => {
                loaded.diagnostics.push(d);
                return;
            }
        },
        Err(e) => {
            loaded.diagnostics.push(Diagnostic::new(
                Rule::InvalidContent,
                &item.path,
                line,
                col,
                format!("cannot read series file `{}`: {e}", file.display()),
            ));
            return;
        }
    };
    loaded
        .sources
        .insert(rel.clone(), sha256_hex(text.as_bytes()));
    match parse_csv(&rel, &text) {
        Ok(points) => kpi.series = Series::Points(points),
        Err(d) => loaded.diagnostics.push(d),
    }
}

/// Parses a `date,value` CSV with a header line.
pub fn parse_csv(rel: &Path, text: &str) -> Result<Vec<Point>, Diagnostic> {
    let mut points = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if i == 0 {
            if line.replace(' ', "") != "date,value" {
                return Err(Diagnostic::new(
                    Rule::InvalidContent,
                    rel,
                    1,
                    1,
                    format!("expected the header `date,value`, found `{line}`"),
                ));
            }
            continue;
        }
        let Some((date, value)) = line.split_once(',') else {
            return Err(Diagnostic::new(
                Rule::InvalidContent,
                rel,
                line_no,
                1,
                format!("expected `date,value`, found `{line}`"),
            ));
        };
        let date = date
            .trim()
            .parse()
            .map_err(|e: String| Diagnostic::new(Rule::InvalidContent, rel, line_no, 1, e))?;
        let value = value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                Diagnostic::new(
                    Rule::InvalidContent,
                    rel,
                    line_no,
                    line.find(',').unwrap_or(0) + 2,
                    format!("expected a number, found `{}`", value.trim()),
                )
            })?;
        points.push(Point { date, value });
    }
    Ok(points)
}

/// Reads a file (through the cache) and the sha256 of its bytes, refusing one too large.
fn read_file(
    cache: &mut ParseCache,
    path: &Path,
    rel: &Path,
) -> Result<(std::sync::Arc<[u8]>, String), Diagnostic> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            Rule::UnreadableFile,
            rel,
            0,
            0,
            format!(
                "file is {} MiB, larger than the {} MiB a content file may have",
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_help("split it into several pages"));
    }
    cache
        .read(path)
        .map_err(|e| Diagnostic::new(Rule::UnreadableFile, rel, 0, 0, format!("cannot read: {e}")))
}

/// A file's bytes as UTF-8 text, with a BOM and CRLF line endings normalised away.
fn decode(bytes: &[u8], rel: &Path) -> Result<String, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let (line, col) = line_col(&String::from_utf8_lossy(&bytes[..valid]), valid);
        Diagnostic::new(Rule::UnreadableFile, rel, line, col, "not valid UTF-8 text")
            .with_help("save the file as UTF-8")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

/// Resolves `.` and `..` in a relative path; `None` if it climbs above its start or is absolute.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::Normal(part) => out.push(part),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            std::path::Component::RootDir | std::path::Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Whether `id` is lowercase letters, digits and inner hyphens.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// The sha256 recorded for an archived text: of the text with a leading byte-order mark removed
/// and line endings normalised to LF, so a checkout that converts line endings (git's
/// `core.autocrlf` on Windows) still matches. Bytes that are not UTF-8 are hashed as they are.
pub fn text_sha256(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            sha256_hex(text.replace("\r\n", "\n").as_bytes())
        }
        Err(_) => sha256_hex(bytes),
    }
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
