//! Write stage: the rendered site → the output folder, atomically, with `manifest.json`.
//!
//! The site is written to a sibling staging folder first and swapped into place only when
//! every file is written, so a failed build leaves the previous site untouched.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use crate::Error;
use crate::content::{Data, sha256_hex};
use crate::model::Handbook;
use crate::render::{Emit, OutputFile, Site};

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = "manifest.json";

/// What an auditor needs to verify a published site.
#[derive(Serialize)]
struct Manifest<'a> {
    generator: String,
    edition: Option<&'a str>,
    policies: BTreeMap<&'a str, &'a str>,
    sources: BTreeMap<String, &'a str>,
    outputs: BTreeMap<String, String>,
}

/// Writes `site` to `dest`, replacing the previous site only once the new one is complete.
pub fn write(dest: &Path, handbook: &Handbook, site: &Site) -> Result<(), Error> {
    write_with(dest, handbook, |stage| {
        for file in &site.files {
            stage.put(&file.path, &file.bytes)?;
        }
        Ok(site.copies.clone())
    })
    .map(|_| ())
}

/// Writes the files that `render` hands over (see [`crate::render::render_into`]) to `dest` as
/// they come, replacing the previous site only once the new one is complete. Returns the number
/// of HTML pages.
pub fn write_rendered(
    dest: &Path,
    handbook: &Handbook,
    render: impl FnOnce(&Emit) -> Result<Vec<(PathBuf, String)>, Error>,
) -> Result<usize, Error> {
    write_with(dest, handbook, |stage| {
        render(&|file: OutputFile| stage.put(&file.path, &file.bytes))
    })
}

fn write_with(
    dest: &Path,
    handbook: &Handbook,
    fill: impl FnOnce(&Staging) -> Result<Vec<(PathBuf, String)>, Error>,
) -> Result<usize, Error> {
    check_dest(dest)?;
    let parent = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let name = dest
        .file_name()
        .map_or_else(|| "book".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let stage = Staging::new(staging.clone(), dest);
    let result = fill(&stage)
        .and_then(|copies| finish(&stage, handbook, &copies))
        .and_then(|pages| swap(&staging, dest, parent, &name).map(|()| pages));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
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
        }
    }

    /// Stages one file. A file whose bytes the previous site already has (same sha256 in its
    /// manifest, same length on disk) is hard-linked from it instead of written: an unchanged
    /// page keeps its modification time and costs no write. The previous site is never modified,
    /// so a failed build still leaves it as it was.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let hash = sha256_hex(bytes);
        let target = self.dir.join(path);
        if let Some(dir) = target.parent() {
            let mut dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
            if !dirs.contains(dir) {
                fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                dirs.insert(dir.to_path_buf());
            }
        }
        let old = self.old.join(path);
        let unchanged = self.old_outputs.get(path) == Some(&hash)
            && fs::symlink_metadata(&old)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        if !(unchanged && fs::hard_link(&old, &target).is_ok()) {
            fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
        }
        self.outputs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), hash);
        Ok(())
    }
}

/// Stages the copied files and the manifest; returns the number of HTML pages.
fn finish(
    stage: &Staging,
    handbook: &Handbook,
    copies: &[(PathBuf, String)],
) -> Result<usize, Error> {
    for (from, to) in copies {
        let bytes = fs::read(from).map_err(|e| Error::io(from, e))?;
        stage.put(to, &bytes)?;
    }
    let outputs =
        std::mem::take(&mut *stage.outputs.lock().unwrap_or_else(PoisonError::into_inner));
    let pages = outputs.keys().filter(|p| p.ends_with(".html")).count();
    let manifest = Manifest {
        generator: format!("policybook {}", env!("CARGO_PKG_VERSION")),
        edition: handbook.config.book.version.as_deref(),
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
    let mut json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    json.push('\n');
    let target = stage.dir.join(MANIFEST);
    fs::write(&target, json).map_err(|e| Error::io(&target, e))?;
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
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
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

/// The default output folder for `root` and a configured build dir.
pub fn default_dest(root: &Path, build_dir: &Path) -> PathBuf {
    root.join(build_dir)
}
