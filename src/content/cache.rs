//! What one load keeps for the next (`serve` loads at every save): file bytes by size and
//! modification time, parses by sha256, archives by their files' hashes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::archive::Archive;
use super::files::sha256_hex;
use super::{Item, Kind};
use crate::diagnostic::Diagnostic;

/// Items parsed by an earlier [`super::load_cached`], by source path, with the sha256 and default kind
/// they were parsed from: parsing depends on nothing else, so an unchanged file is neither
/// decoded nor parsed again. `serve` keeps one across rebuilds; parsing is most of a load.
#[derive(Debug, Default)]
pub struct ParseCache {
    items: HashMap<PathBuf, Parsed>,
    /// File contents and their sha256, by path, with the size and modification time they were
    /// read at: an unchanged file (most of them, at every save) is neither read nor hashed again.
    files: HashMap<PathBuf, Read>,
    /// Policy archives by manifest path.
    pub(super) archives: HashMap<PathBuf, Archive>,
    /// Whether to keep anything: only a cache made by [`ParseCache::for_rebuilds`] does.
    pub(super) keep: bool,
}

/// A file as read by [`ParseCache::read_shared`].
#[derive(Debug, Clone)]
pub(super) struct Read {
    len: u64,
    modified: Option<std::time::SystemTime>,
    bytes: std::sync::Arc<[u8]>,
    sha256: String,
}

/// A file's bytes, their sha256, and what to keep of it if it was read anew (see
/// [`ParseCache::read_shared`]).
pub(super) type SharedRead = (std::sync::Arc<[u8]>, String, Option<Read>);

/// Reads through a cache shared by several threads, gathering what was read anew for
/// [`ParseCache::keep_reads`] once they are done.
pub(super) struct Reads<'a> {
    cache: &'a ParseCache,
    /// The files read anew, by path.
    fresh: Vec<(PathBuf, Read)>,
}

impl<'a> Reads<'a> {
    /// Reads through `cache`.
    pub(super) fn new(cache: &'a ParseCache) -> Reads<'a> {
        Reads {
            cache,
            fresh: Vec::new(),
        }
    }

    /// The bytes of the file at `path` and their sha256.
    pub(super) fn read(&mut self, path: &Path) -> std::io::Result<(std::sync::Arc<[u8]>, String)> {
        // A policy's archive is checked, then read when it changed: its few files once each.
        if let Some((_, read)) = self.fresh.iter().find(|(p, _)| p == path) {
            return Ok((read.bytes.clone(), read.sha256.clone()));
        }
        let (bytes, sha256, fresh) = self.cache.read_shared(path)?;
        if let Some(fresh) = fresh {
            self.fresh.push((path.to_path_buf(), fresh));
        }
        Ok((bytes, sha256))
    }

    /// What was read anew, for [`ParseCache::keep_reads`].
    pub(super) fn into_fresh(self) -> Vec<(PathBuf, Read)> {
        self.fresh
    }
}

/// One file's parse and what it was parsed from.
#[derive(Debug)]
pub(super) struct Parsed {
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

    /// The bytes of the file at `path` and their sha256, from several threads at once: what was
    /// read anew comes back for [`ParseCache::keep_read`] (`None` for a file unchanged since the
    /// cache read it, and when the cache keeps nothing).
    pub(super) fn read_shared(&self, path: &Path) -> std::io::Result<SharedRead> {
        let meta = std::fs::metadata(path)?;
        let (len, modified) = (meta.len(), meta.modified().ok());
        if let Some(read) = self.files.get(path)
            && read.len == len
            && read.modified == modified
            && modified.is_some()
        {
            return Ok((read.bytes.clone(), read.sha256.clone(), None));
        }
        let bytes: std::sync::Arc<[u8]> = std::fs::read(path)?.into();
        let sha256 = sha256_hex(&bytes);
        let fresh = self.keep.then(|| Read {
            len,
            modified,
            bytes: bytes.clone(),
            sha256: sha256.clone(),
        });
        Ok((bytes, sha256, fresh))
    }

    /// Keeps a file [`ParseCache::read_shared`] read anew.
    pub(super) fn keep_read(&mut self, path: &Path, read: Read) {
        self.files.insert(path.to_path_buf(), read);
    }

    /// Keeps the files that `reads` read anew.
    pub(super) fn keep_reads(&mut self, reads: Vec<(PathBuf, Read)>) {
        self.files.extend(reads);
    }

    /// The earlier parse of the file at `rel`, if its bytes (by sha256) and folder are the same.
    pub(super) fn cached(
        &self,
        rel: &Path,
        sha256: &str,
        default_kind: Kind,
    ) -> Option<ParseResult> {
        self.items
            .get(rel)
            .filter(|p| p.sha256 == sha256 && p.default_kind == default_kind)
            .map(|p| p.result.clone())
    }

    /// Keeps the parse of `file` for the next load, if the cache keeps parses.
    pub(super) fn remember(&mut self, file: ItemFile, result: ParseResult) {
        if self.keep {
            let parsed = Parsed {
                sha256: file.sha256,
                default_kind: file.default_kind,
                result,
            };
            self.items.insert(file.rel, parsed);
        }
    }
}

/// What parsing one item file gives.
pub(super) type ParseResult = Result<Item, Vec<Diagnostic>>;

/// An item file found by the walk of the content folder.
pub(super) struct ItemFile {
    pub(super) rel: PathBuf,
    pub(super) sha256: String,
    pub(super) default_kind: Kind,
}
