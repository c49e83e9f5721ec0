//! Released policy versions on disk: `<policy>.versions/` holds one file per version and
//! `versions.yaml`, the manifest with each version's sha256. Read here at every load; written
//! by `policybook release`.

use std::path::{Path, PathBuf};

use super::cache::{ParseCache, Read, Reads};
use super::files::{decode, lossy_text, sha256_hex};
use super::front_matter;
use super::parse::strip_title_heading;
use super::{Archived, Body, Common, FrontMatter, Item, Kind, Loaded, Release, Version};
use crate::Error;
use crate::diagnostic::{Diagnostic, Rule};
use crate::diff::same_wording;

/// The archive folder of the policy at `path`: `data-handling.md` → `data-handling.versions/`.
pub fn archive_dir(path: &Path) -> PathBuf {
    path.with_extension(ARCHIVE_SUFFIX)
}

/// The archived text of `version` of the policy at `path`.
pub fn version_path(path: &Path, version: &Version) -> PathBuf {
    archive_dir(path).join(format!("{version}.md"))
}

/// The archive folder's extension.
pub const ARCHIVE_SUFFIX: &str = "versions";
/// The manifest of released versions inside an archive folder.
pub const ARCHIVE_MANIFEST: &str = "versions.yaml";

/// A policy's archive as read: its released versions, the files read with their sha256, and
/// the problems found.
#[derive(Debug, Clone, Default)]
pub(super) struct Archive {
    releases: Vec<Archived>,
    sources: Vec<(PathBuf, String)>,
    diagnostics: Vec<Diagnostic>,
}

/// A policy's archive as [`read_releases`] found it, for [`ArchiveRead::record`].
pub(super) struct ArchiveRead {
    manifest: PathBuf,
    archive: Archive,
    /// Whether the cache is to keep `archive` for the next load.
    remember: bool,
    /// The files read anew, for the cache.
    fresh: Vec<(PathBuf, Read)>,
}

/// Reads a policy's archive into the item, reusing the one read at an earlier load when none of
/// its files changed (serve reloads every archive at each save otherwise); `None` for an item
/// that is not a policy. Policies are read side by side, so what the load keeps of an archive is
/// recorded afterwards, in order.
pub(super) fn read_releases(
    root: &Path,
    item: &mut Item,
    cache: &ParseCache,
) -> Option<ArchiveRead> {
    if item.kind != Kind::Policy {
        return None;
    }
    let manifest = archive_dir(&item.path).join(ARCHIVE_MANIFEST);
    let mut reads = Reads::new(cache);
    let (mut archive, known) = match cache.archives.get(&manifest) {
        Some(known)
            if known.sources.iter().all(|(path, sha)| {
                reads
                    .read(&root.join(path))
                    .is_ok_and(|(_, now)| now == *sha)
            }) =>
        {
            (known.clone(), true)
        }
        // A policy without an archive is looked for again next time.
        _ => (read_archive(root, &item.path, &mut reads), false),
    };
    let remember = !known && cache.keep && !archive.sources.is_empty();
    item.releases = if remember {
        archive.releases.clone()
    } else {
        std::mem::take(&mut archive.releases)
    };
    Some(ArchiveRead {
        manifest,
        archive,
        remember,
        fresh: reads.into_fresh(),
    })
}

impl ArchiveRead {
    /// Adds the archive's files and problems to `loaded`, and keeps what the cache keeps.
    pub(super) fn record(self, loaded: &mut Loaded, cache: &mut ParseCache) {
        cache.keep_reads(self.fresh);
        if self.remember {
            loaded.sources.extend(self.archive.sources.iter().cloned());
            loaded
                .diagnostics
                .extend(self.archive.diagnostics.iter().cloned());
            cache.archives.insert(self.manifest, self.archive);
        } else {
            loaded.sources.extend(self.archive.sources);
            loaded.diagnostics.extend(self.archive.diagnostics);
        }
    }
}

/// Works out [`Item::same_as_releases`] (after its releases or its body changed).
pub(super) fn compare_releases(item: &mut Item) -> Result<(), Diagnostic> {
    let current = item.body.text()?;
    let same = item
        .releases
        .iter()
        .map(|a| Ok(same_wording(&a.body.text()?, &current)))
        .collect::<Result<_, Diagnostic>>()?;
    drop(current);
    item.same_as_releases = same;
    Ok(())
}

/// Reads a policy's archive: the manifest and every archived text, checking each hash.
fn read_archive(root: &Path, policy: &Path, reads: &mut Reads) -> Archive {
    let mut archive = Archive::default();
    let dir = archive_dir(policy);
    let manifest_rel = dir.join(ARCHIVE_MANIFEST);
    let Ok((bytes, sha256)) = reads.read(&root.join(&manifest_rel)) else {
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
        let (bytes, hash) = match reads.read(&root.join(&path)) {
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
        let text = lossy_text(&bytes);
        // Taken out of the body as in the working text, so that redlines compare like with like.
        let body = front_matter::split(&path, &text).map_or_else(
            |_| Body::within(&text, &text),
            |s| {
                let title = s.front.parse::<Common>(&path).map(|c| c.title);
                Body::within(
                    &text,
                    strip_title_heading(s.body, &title.unwrap_or_default()).body,
                )
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

/// The sha256 recorded for an archived text: of the text with a leading byte-order mark removed
/// and line endings normalised to LF, so a checkout that converts line endings (git's
/// `core.autocrlf` on Windows) still matches. Bytes that are not UTF-8 are hashed as they are.
pub fn text_sha256(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(_) => sha256_hex(lossy_text(bytes).as_bytes()),
        Err(_) => sha256_hex(bytes),
    }
}

/// What `release` writes beside an archive's files.
const GITATTRIBUTES: &str =
    "# Written by `policybook release`: archived versions are kept byte-exact.\n* -text\n";

/// Why [`write`] wrote nothing.
#[derive(Debug)]
pub enum WriteError {
    /// The version's file is there already: archived versions are never overwritten.
    Exists(PathBuf),
    /// The file system refused.
    Io(Error),
}

/// Archives `bytes` as `release` of policy `id` (its file at `policy`, its `earlier` releases in
/// order) and returns the archived file's path, under `root`.
pub fn write(
    root: &Path,
    (id, policy): (&str, &Path),
    earlier: &[Release],
    release: &Release,
    bytes: &[u8],
) -> Result<PathBuf, WriteError> {
    let io = |path: &Path, e| WriteError::Io(Error::io(path, e));
    let dir = root.join(archive_dir(policy));
    let target = root.join(version_path(policy, &release.version));
    let releases: Vec<&Release> = earlier.iter().chain([release]).collect();
    let manifest = format!(
        "# Released versions of `{id}`, written by `policybook release`. Do not edit: each file's sha256\n# (of its text, line endings normalised to LF) is checked.\n{}\n",
        serde_yaml::to_string(&releases)
            .map_err(|e| WriteError::Io(Error::Template(e.to_string())))?
            .trim_end()
    );
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    // The text first, then the manifest through a rename, so an interrupted release never leaves a
    // manifest that names a missing file. The text is written aside and published by a hard link,
    // which fails rather than replace an existing file: no half-written version, no overwrite,
    // even against a release running at the same time.
    let aside = dir.join(format!(
        ".{}.md.tmp-{}",
        release.version,
        std::process::id()
    ));
    std::fs::write(&aside, bytes).map_err(|e| io(&aside, e))?;
    let published = std::fs::hard_link(&aside, &target);
    let _ = std::fs::remove_file(&aside);
    published.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => WriteError::Exists(target.clone()),
        _ => io(&target, e),
    })?;
    // Archived texts are the approved ones, byte for byte: git must not convert their line endings.
    let attributes = dir.join(".gitattributes");
    if !attributes.exists() {
        std::fs::write(&attributes, GITATTRIBUTES).map_err(|e| io(&attributes, e))?;
    }
    let manifest_path = dir.join(ARCHIVE_MANIFEST);
    let staging = dir.join(format!(".{ARCHIVE_MANIFEST}.tmp"));
    std::fs::write(&staging, manifest).map_err(|e| io(&staging, e))?;
    std::fs::rename(&staging, &manifest_path).map_err(|e| io(&manifest_path, e))?;
    Ok(target)
}
