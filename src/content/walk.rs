//! The walk of the content folder: which file is an item, an asset, roles, criteria, a framework
//! or SUMMARY.md; items are parsed in batches side by side.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::archive::{ARCHIVE_SUFFIX, ArchiveRead, compare_releases, read_releases};
use super::cache::{ItemFile, ParseCache, ParseResult, Read};
use super::files::{decode, is_hidden, read_file, read_file_shared, relative, sha256_hex};
use super::parse::parse_item;
use super::series::load_series;
use super::{
    ASSET_EXTENSIONS, CRITERIA_FILE, Chapter, Criterion, FRAMEWORKS_FOLDER, Framework,
    FrameworkFile, FrontMatter, GITBOOK_FOLDER, Item, Kind, Loaded, ROLES_FILE, Role, summary,
};
use crate::Error;
use crate::config::{Config, FILE as CONFIG_FILE};
use crate::diagnostic::{Diagnostic, Rule};

/// What the walk has of an item file: its text to parse, or the cache's parse of it.
pub(super) enum Contents {
    Text(String),
    Parsed(Box<ParseResult>),
}

/// An item file found by the walk, not read yet.
struct Pending {
    path: PathBuf,
    rel: PathBuf,
    default_kind: Kind,
}

/// Loads the item files of `pending`, a batch at a time: each file of a batch is read, decoded
/// and parsed (or its parse taken from the cache, if unchanged) side by side, and a policy's
/// archive read, while the batch before is added to `loaded` in order. What the cache keeps is
/// handed to it at the end, as it is read from meanwhile.
fn load_items(
    root: &Path,
    src: &Path,
    pending: &[Pending],
    loaded: &mut Loaded,
    cache: &mut ParseCache,
) {
    let shared = &*cache;
    let mut kept = Kept::default();
    let loading = crate::parallel::in_order(
        pending.chunks(PARSE_BATCH),
        |batch| {
            Ok::<_, std::convert::Infallible>(
                batch
                    .par_iter()
                    .map(|file| (file, read_and_parse(root, shared, file)))
                    .collect::<Vec<_>>(),
            )
        },
        |batch| {
            for (file, read) in batch {
                match read {
                    Ok((parsed, fresh)) => {
                        if let Some(fresh) = fresh {
                            kept.reads.push((file.path.clone(), fresh));
                        }
                        loaded
                            .sources
                            .insert(file.rel.clone(), parsed.file.sha256.clone());
                        parsed.record(root, src, loaded, &mut kept);
                    }
                    Err(d) => {
                        loaded.diagnostics.push(d);
                        loaded.failed.insert(file.rel.clone());
                    }
                }
            }
            Ok(())
        },
    );
    let Ok(()) = loading;
    kept.record(loaded, cache);
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
    let build_dir = root.join(&config.build.build_dir);
    let mut walker = WalkDir::new(&src)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            // The content folder itself, even when book.toml names it `.`.
            if e.depth() == 0 {
                return true;
            }
            // A content folder at the top (`src = "."`) holds the site built from it.
            if e.path() == build_dir {
                return false;
            }
            let leaves = e.path_is_symlink()
                && e.path()
                    .canonicalize()
                    .is_ok_and(|target| !target.starts_with(&canonical_src));
            if leaves {
                outside.push(e.path().to_path_buf());
            }
            // Hidden files and folders are left out, but for GitBook's `.gitbook/assets`; so
            // are a JavaScript project's packages, when the content folder is its top.
            !leaves
                && (!is_hidden(e.file_name())
                    || (e.depth() == 1 && e.file_name() == GITBOOK_FOLDER))
                && e.file_name() != "node_modules"
                && !e
                    .file_name()
                    .to_string_lossy()
                    .ends_with(&format!(".{ARCHIVE_SUFFIX}"))
        });
    let mut pending = Vec::new();
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
        loaded.through_links |= entry.path_is_symlink();
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
        if in_src.starts_with(GITBOOK_FOLDER) {
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
        if !(is_roles || is_criteria || is_framework) {
            pending.push(Pending {
                path: path.to_path_buf(),
                default_kind: default_kind(config, &in_src),
                rel,
            });
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
    }
    load_items(root, &src, &pending, &mut loaded, cache);
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

/// The kind of the items in the file at `in_src` (relative to the content folder) that do not
/// say theirs: the kind of the folder it is in, if that folder is a kind's.
fn default_kind(config: &Config, in_src: &Path) -> Kind {
    in_src
        .components()
        .next()
        .filter(|_| in_src.components().count() > 1)
        .and_then(|c| config.kind_of_folder(&c.as_os_str().to_string_lossy()))
        .unwrap_or(Kind::Page)
}

/// The items of the Markdown files at `changed` (relative to `root`) read again, as
/// [`load_cached`] reads them, without walking the folder: `serve` calls it when a save touched
/// only item files. `None` when a path is not such a file (SUMMARY.md, an archive, a hidden file,
/// a symbolic link, a file that went away): only a whole load knows what that changes. The
/// result holds those items, their series and archives, their sources, and the problems found.
pub fn reload_items(
    root: &Path,
    config: &Config,
    cache: &mut ParseCache,
    changed: &[PathBuf],
) -> Option<Loaded> {
    let src = root.join(&config.book.src);
    let mut loaded = Loaded::default();
    let mut files = Vec::new();
    for rel in changed {
        let in_src = rel.strip_prefix(&config.book.src).ok()?;
        let archived = format!(".{ARCHIVE_SUFFIX}");
        let item_file = rel
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
            && in_src != Path::new(summary::FILE)
            && in_src.components().all(|c| {
                !is_hidden(c.as_os_str()) && !c.as_os_str().to_string_lossy().ends_with(&archived)
            });
        let path = root.join(rel);
        let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        if !item_file || !regular {
            return None;
        }
        files.push(Pending {
            path,
            rel: rel.clone(),
            default_kind: default_kind(config, in_src),
        });
    }
    load_items(root, &src, &files, &mut loaded, cache);
    Some(loaded)
}

/// Gives each item listed in SUMMARY.md its place in navigation; a chapter whose file is not
/// in the handbook is a broken link at its line of SUMMARY.md.
pub(super) fn place_chapters(
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

/// Item files parsed side by side at a time, while the batch before is added in order: enough
/// to keep every core busy, few enough that the parsed items waiting are few.
const PARSE_BATCH: usize = 256;

/// Reads the item file `file` through `cache` and parses it as [`parse_file`] does; with what
/// the cache is to keep of the read.
fn read_and_parse(
    root: &Path,
    cache: &ParseCache,
    file: &Pending,
) -> Result<(ParsedFile, Option<Read>), Diagnostic> {
    let (bytes, sha256, fresh) = read_file_shared(cache, &file.path, &file.rel)?;
    let contents = match cache.cached(&file.rel, &sha256, file.default_kind) {
        Some(parse) => Contents::Parsed(Box::new(parse)),
        None => Contents::Text(decode(&bytes, &file.rel)?),
    };
    let file = ItemFile {
        rel: file.rel.clone(),
        sha256,
        default_kind: file.default_kind,
    };
    Ok((parse_file(root, cache, file, contents), fresh))
}

/// An item file parsed side by side with others (parsing, YAML then the Markdown outline, is
/// most of a load's time), and if it is a policy, its archive read (its manifest and every
/// archived text) and its text compared with its releases'. Then the texts are let go, to be
/// read again when a page needs them, unless the cache keeps parses for the next load.
struct ParsedFile {
    file: ItemFile,
    result: ParseResult,
    /// The parse for the cache, when it keeps parses and this one is new.
    remember: Option<ParseResult>,
    archive: Option<ArchiveRead>,
    compared: Option<Diagnostic>,
}

/// Parses `contents`, the text of `file` or the cache's parse of it, as [`ParsedFile`] says.
fn parse_file(root: &Path, cache: &ParseCache, file: ItemFile, contents: Contents) -> ParsedFile {
    let (mut result, remember) = match contents {
        Contents::Text(text) => {
            let result = parse_item(&file.rel, &text, file.default_kind);
            let remember = cache.keep.then(|| result.clone());
            (result, remember)
        }
        Contents::Parsed(parse) => (*parse, None),
    };
    let (mut archive, mut compared) = (None, None);
    if let Ok(item) = &mut result {
        archive = read_releases(root, item, cache);
        compared = compare_releases(item).err();
        if !cache.keep {
            item.store_texts(root);
        }
    }
    ParsedFile {
        file,
        result,
        remember,
        archive,
        compared,
    }
}

impl ParsedFile {
    /// Adds the item, with its series, or its problems to `loaded`; what the cache keeps of it
    /// goes to `kept`.
    fn record(self, root: &Path, src: &Path, loaded: &mut Loaded, kept: &mut Kept) {
        match self.result {
            Ok(mut item) => {
                load_series(root, src, &mut item, loaded);
                loaded.items.push(item);
            }
            Err(mut ds) => {
                loaded.diagnostics.append(&mut ds);
                loaded.failed.insert(self.file.rel.clone());
            }
        }
        if let Some(parse) = self.remember {
            kept.parses.push((self.file, parse));
        }
        kept.archives.extend(self.archive);
        loaded.diagnostics.extend(self.compared);
    }
}

/// What a load hands the cache once it is done reading from it, in the order of the files.
#[derive(Default)]
struct Kept {
    reads: Vec<(PathBuf, Read)>,
    parses: Vec<(ItemFile, ParseResult)>,
    archives: Vec<ArchiveRead>,
}

impl Kept {
    /// Hands the reads and parses to `cache`, and the archives to `loaded` and `cache`.
    fn record(self, loaded: &mut Loaded, cache: &mut ParseCache) {
        cache.keep_reads(self.reads);
        for (file, parse) in self.parses {
            cache.remember(file, parse);
        }
        for archive in self.archives {
            archive.record(loaded, cache);
        }
    }
}
