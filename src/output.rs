//! Write stage: the rendered site → the output folder, atomically, with `manifest.json`.
//!
//! The site is written to a sibling staging folder first and swapped into place only when
//! every file is written, so a failed build leaves the previous site untouched.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::Error;
use crate::content::{Data, hex, sha256_hex};
use crate::date::Date;
use crate::model::Handbook;
use crate::render::{Append, Emit, OutputFile, Site};

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = "manifest.json";

/// What an auditor needs to verify a published site.
#[derive(Serialize)]
struct Manifest<'a> {
    generator: String,
    edition: Option<&'a str>,
    /// The date the build judged reviews and risks by (`--today`, `SOURCE_DATE_EPOCH` or the
    /// clock): with the sources, it determines every byte of the site.
    today: Date,
    policies: BTreeMap<&'a str, &'a str>,
    sources: BTreeMap<String, &'a str>,
    outputs: BTreeMap<String, String>,
}

/// Writes `site` to `dest`, replacing the previous site only once the new one is complete.
pub fn write(dest: &Path, handbook: &Handbook, today: Date, site: &Site) -> Result<(), Error> {
    write_with(dest, handbook, today, |stage| {
        for file in &site.files {
            stage.put(&file.path, &file.bytes)?;
        }
        Ok(site.copies.clone())
    })
    .map(|_| ())
}

/// Writes the files that `render` hands over (see [`crate::render::Templates::render_into`])
/// to `dest` as they come, whole or in pieces, replacing the previous site only once the new
/// one is complete. Returns the number of HTML pages.
pub fn write_rendered(
    dest: &Path,
    handbook: &Handbook,
    today: Date,
    render: impl FnOnce(&Emit, &Append) -> Result<Vec<(PathBuf, String)>, Error>,
) -> Result<usize, Error> {
    write_with(dest, handbook, today, |stage| {
        render(
            &|file: OutputFile| stage.put(&file.path, &file.bytes),
            &|path: &str, bytes: &[u8]| stage.append(path, bytes),
        )
    })
}

fn write_with(
    dest: &Path,
    handbook: &Handbook,
    today: Date,
    fill: impl FnOnce(&Staging) -> Result<Vec<(PathBuf, String)>, Error>,
) -> Result<usize, Error> {
    recover(dest)?;
    check_dest(dest)?;
    let (parent, name) = parent_and_name(dest);
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let stage = Staging::new(staging.clone(), dest);
    let result = fill(&stage)
        .and_then(|copies| finish(&stage, handbook, today, &copies))
        .and_then(|pages| swap(&staging, dest, parent, &name).map(|()| pages));
    // Files still being written are closed first: some filesystems (NFS, SMB) keep an open
    // file's folder from being removed.
    drop(stage);
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn parent_and_name(dest: &Path) -> (&Path, String) {
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map_or_else(|| "book".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

/// Repairs what a build killed while writing `dest` left behind. Killed between the two renames
/// of the swap, there is no `dest` but a complete previous site in `.NAME.old-PID`: that is put
/// back. Leftover staging folders and previous sites of killed builds are removed. So after a
/// kill at any point, the next build (even a failing one) starts from the old or the new site.
pub fn recover(dest: &Path) -> Result<(), Error> {
    let (parent, name) = parent_and_name(dest);
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let (old, staging) = (format!(".{name}.old-"), format!(".{name}.staging-"));
    let mut olds = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&old) {
            olds.push(entry.path());
        } else if file_name.starts_with(&staging) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
    // Only one swap runs at a time, so there is at most one previous site; the newest wins anyway.
    olds.sort_by_key(|p| fs::metadata(p).and_then(|m| m.modified()).ok());
    if fs::symlink_metadata(dest).is_err()
        && let Some(newest) = olds.pop()
    {
        fs::rename(&newest, dest).map_err(|e| Error::io(dest, e))?;
    }
    for old in olds {
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}

/// The staging folder being filled, and what the previous site holds.
struct Staging {
    dir: PathBuf,
    /// The previous site, whose unchanged files are linked rather than written again.
    old: PathBuf,
    /// The previous manifest's outputs: site path → sha256.
    old_outputs: HashMap<String, String>,
    /// What has been staged: site path → sha256.
    outputs: Mutex<BTreeMap<String, String>>,
    /// Folders already created, to spare a system call per file.
    dirs: Mutex<HashSet<PathBuf>>,
    /// Files being written in pieces: site path → the file and the hash so far.
    streams: Mutex<HashMap<String, (fs::File, Sha256)>>,
}

impl Staging {
    fn new(dir: PathBuf, old: &Path) -> Staging {
        #[derive(serde::Deserialize)]
        struct OldManifest {
            outputs: HashMap<String, String>,
        }
        let old_outputs = fs::read(old.join(MANIFEST))
            .ok()
            .and_then(|b| serde_json::from_slice::<OldManifest>(&b).ok())
            .map(|m| m.outputs)
            .unwrap_or_default();
        Staging {
            dir,
            old: old.to_path_buf(),
            old_outputs,
            outputs: Mutex::new(BTreeMap::new()),
            dirs: Mutex::new(HashSet::new()),
            streams: Mutex::new(HashMap::new()),
        }
    }

    /// Stages one file. A file whose bytes the previous site already has (same sha256 in its
    /// manifest, same length on disk) is hard-linked from it instead of written: an unchanged
    /// page keeps its modification time and costs no write. The previous site is never modified,
    /// so a failed build still leaves it as it was.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let hash = sha256_hex(bytes);
        let target = self.target(path)?;
        if !self.link_unchanged(path, &hash, bytes.len() as u64, &target) {
            fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
        }
        self.outputs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), hash);
        Ok(())
    }

    /// Hard-links the previous site's file at `path` to `target` if it has the same `hash`
    /// (by the previous manifest) and length; whether it did. An existing `target` is replaced.
    fn link_unchanged(&self, path: &str, hash: &str, len: u64, target: &Path) -> bool {
        let old = within(&self.old, path);
        let unchanged = self.old_outputs.get(path).is_some_and(|h| h == hash)
            && fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && m.len() == len);
        if !unchanged {
            return false;
        }
        if fs::hard_link(&old, target).is_ok() {
            return true;
        }
        // `target` exists (a file written in pieces): linked beside and renamed over it, so
        // that it stays whole whatever fails.
        let mut beside = target.as_os_str().to_owned();
        beside.push(".linking");
        let beside = PathBuf::from(beside);
        let linked = fs::hard_link(&old, &beside).is_ok() && fs::rename(&beside, target).is_ok();
        if !linked {
            let _ = fs::remove_file(&beside);
        }
        linked
    }

    /// Stages the next piece of a file written in pieces; the first piece creates it.
    fn append(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        let (file, hash) = match streams.entry(path.to_string()) {
            std::collections::hash_map::Entry::Occupied(open) => open.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => {
                let target = self.target(path)?;
                // Never truncates a file already there: it may be a link to the previous site's.
                let file = fs::File::create_new(&target).map_err(|e| Error::io(&target, e))?;
                new.insert((file, Sha256::new()))
            }
        };
        hash.update(bytes);
        file.write_all(bytes)
            .map_err(|e| Error::io(self.dir.join(path), e))
    }

    /// Where `path` is staged, its folder created. Ids and slugs are validated long before
    /// this; this is the last line: whatever a path says, nothing is written outside the output
    /// folder.
    fn target(&self, path: &str) -> Result<PathBuf, Error> {
        let inside = Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside || path.is_empty() {
            return Err(Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "refusing to write outside the output folder",
                ),
            ));
        }
        let target = within(&self.dir, path);
        if let Some(dir) = target.parent() {
            let mut dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
            if !dirs.contains(dir) {
                fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                dirs.insert(dir.to_path_buf());
            }
        }
        Ok(target)
    }
}

/// `dir` joined with the site path `path`, in one allocation: this runs for every file, on
/// every core, and a growing path takes the allocator's lock that another thread may hold.
fn within(dir: &Path, path: &str) -> PathBuf {
    let mut joined = PathBuf::with_capacity(dir.as_os_str().len() + 1 + path.len());
    joined.push(dir);
    joined.push(path);
    joined
}

/// Stages the copied files and the manifest; returns the number of HTML pages.
fn finish(
    stage: &Staging,
    handbook: &Handbook,
    today: Date,
    copies: &[(PathBuf, String)],
) -> Result<usize, Error> {
    for (from, to) in copies {
        let bytes = fs::read(from).map_err(|e| Error::io(from, e))?;
        stage.put(to, &bytes)?;
    }
    let streams =
        std::mem::take(&mut *stage.streams.lock().unwrap_or_else(PoisonError::into_inner));
    for (path, (file, hash)) in streams {
        let target = stage.dir.join(&path);
        let len = file.metadata().map_err(|e| Error::io(&target, e))?.len();
        drop(file);
        // An unchanged file keeps the previous site's copy, as in `put`.
        let hash = hex(&hash.finalize());
        stage.link_unchanged(&path, &hash, len, &target);
        stage
            .outputs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path, hash);
    }
    let outputs =
        std::mem::take(&mut *stage.outputs.lock().unwrap_or_else(PoisonError::into_inner));
    let pages = outputs.keys().filter(|p| p.ends_with(".html")).count();
    let manifest = Manifest {
        generator: format!("policybook {}", env!("CARGO_PKG_VERSION")),
        edition: handbook.config.book.version.as_deref(),
        today,
        policies: handbook
            .entries
            .iter()
            .filter_map(|e| match &e.item.data {
                Data::Policy(p) => Some((e.item.id.as_str(), p.version.0.as_str())),
                _ => None,
            })
            .collect(),
        sources: handbook
            .sources
            .iter()
            .map(|(p, h)| (p.to_string_lossy().replace('\\', "/"), h.as_str()))
            .collect(),
        outputs,
    };
    // Written as it is formatted: at 10,000 pages the text is megabytes, made at the end of a
    // build, when most of its memory is still held.
    let target = stage.dir.join(MANIFEST);
    let write = || -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(fs::File::create(&target)?);
        serde_json::to_writer_pretty(&mut out, &manifest)?;
        out.write_all(b"\n")?;
        out.flush()
    };
    write().map_err(|e| Error::io(&target, e))?;
    Ok(pages)
}

fn swap(staging: &Path, dest: &Path, parent: &Path, name: &str) -> Result<(), Error> {
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = dest.exists();
    if had_old {
        fs::rename(dest, &old).map_err(|e| Error::io(dest, e))?;
    }
    if let Err(e) = fs::rename(staging, dest) {
        if had_old {
            let _ = fs::rename(&old, dest);
        }
        return Err(Error::io(dest, e));
    }
    if had_old {
        remove_site(&old);
    }
    Ok(())
}

/// Removes a previous site, side by side: a large one has tens of thousands of files, mostly
/// one folder down (`policies/`), and this is the end of a build, with no other work left.
fn remove_site(dir: &Path) {
    // Entries by their own type: a link to a folder is removed, never followed.
    let children = |dir: &Path| -> Vec<(PathBuf, bool)> {
        fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (folders, files): (Vec<_>, Vec<_>) = children(dir).into_iter().partition(|(_, d)| *d);
    let inside: Vec<(PathBuf, bool)> = folders
        .iter()
        .flat_map(|(folder, _)| children(folder))
        .chain(files)
        .collect();
    inside.par_iter().for_each(|(path, is_dir)| {
        let _ = if *is_dir {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        };
    });
    let _ = fs::remove_dir_all(dir);
}

/// Refuses to replace a folder that is not a site this tool wrote: the output folder is deleted
/// and rewritten on every build, so pointing `--dest` at sources must not destroy them.
fn check_dest(dest: &Path) -> Result<(), Error> {
    let refuse = |why: &str| {
        Err(Error::Content(vec![
            crate::Diagnostic::error(
                dest,
                0,
                0,
                format!("refusing to write the site here: {why}"),
            )
            .with_help("choose an empty or new folder with --dest, or remove this one"),
        ]))
    };
    if dest.is_file() {
        return refuse("it is a file");
    }
    let Ok(mut entries) = fs::read_dir(dest) else {
        return Ok(());
    };
    if entries.next().is_none() || dest.join(MANIFEST).is_file() {
        return Ok(());
    }
    refuse("the folder is not empty and holds no manifest.json from an earlier build")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path, marker: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join(MANIFEST), "{}").unwrap();
        fs::write(dir.join("index.html"), marker).unwrap();
    }

    #[test]
    fn a_build_killed_between_the_renames_gets_the_previous_site_back() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("book");
        // Killed after `book` → `.book.old-PID` and before the staging folder took its place.
        site(&tmp.path().join(".book.old-4242"), "old");
        site(&tmp.path().join(".book.staging-4242"), "half");
        recover(&dest).unwrap();
        assert_eq!(fs::read_to_string(dest.join("index.html")).unwrap(), "old");
        let left: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, ["book"]);
    }

    #[test]
    fn a_build_killed_after_the_swap_keeps_the_new_site() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("book");
        // Killed while removing the previous site: the new one is in place.
        site(&dest, "new");
        site(&tmp.path().join(".book.old-4242"), "old");
        recover(&dest).unwrap();
        assert_eq!(fs::read_to_string(dest.join("index.html")).unwrap(), "new");
        assert!(!tmp.path().join(".book.old-4242").exists());
        // Other folders' leftovers are not touched.
        site(&tmp.path().join(".other.old-1"), "x");
        recover(&dest).unwrap();
        assert!(tmp.path().join(".other.old-1").exists());
    }

    #[test]
    fn nothing_is_written_outside_the_output_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let stage = Staging::new(tmp.path().join("staging"), &tmp.path().join("old"));
        for path in [
            "../escape.html",
            "/etc/escape.html",
            "a/../../escape.html",
            "",
        ] {
            assert!(stage.put(path, b"x").is_err(), "{path}");
        }
        assert!(!tmp.path().join("escape.html").exists());
        stage.put("a/b.html", b"x").unwrap();
    }
}
