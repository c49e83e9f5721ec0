//! Write stage: the rendered site → the output folder, atomically, with `manifest.json`.
//!
//! The site is written to a sibling staging folder first and swapped into place only when
//! every file is written, so a failed build leaves the previous site untouched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::Error;
use crate::content::{Data, sha256_hex};
use crate::model::Handbook;
use crate::render::Site;

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
    let result =
        write_all(&staging, handbook, site).and_then(|()| swap(&staging, dest, parent, &name));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(staging: &Path, handbook: &Handbook, site: &Site) -> Result<(), Error> {
    let mut outputs = BTreeMap::new();
    for file in &site.files {
        put(staging, &file.path, &file.bytes)?;
        outputs.insert(file.path.clone(), sha256_hex(&file.bytes));
    }
    for (from, to) in &site.copies {
        let bytes = fs::read(from).map_err(|e| Error::io(from, e))?;
        put(staging, to, &bytes)?;
        outputs.insert(to.clone(), sha256_hex(&bytes));
    }
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
    put(staging, MANIFEST, json.as_bytes())
}

fn put(staging: &Path, path: &str, bytes: &[u8]) -> Result<(), Error> {
    let target = staging.join(path);
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    fs::write(&target, bytes).map_err(|e| Error::io(&target, e))
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
