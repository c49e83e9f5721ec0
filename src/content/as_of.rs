//! The handbook as it stood on a day, for `build --as-of`: each policy reads as the version in
//! force then, and versions released or taking effect later are left out.

use std::path::Path;

use super::archive::compare_releases;
use super::files::decode;
use super::{Kind, Loaded, parse_item};
use crate::date::Date;

/// Puts each released policy of `loaded` back to the version in force on `day`: its archived
/// text and front matter replace the working file's, and later releases are dropped. A policy
/// with no version in force that day keeps its working text, shown as not yet released.
pub fn as_of(root: &Path, loaded: &mut Loaded, day: Date) {
    for item in loaded.items.iter_mut().filter(|i| i.kind == Kind::Policy) {
        item.releases
            .retain(|a| a.release.released <= day && a.release.effective <= day);
        if let Some(in_force) = item.releases.last() {
            let then = std::fs::read(root.join(&in_force.path))
                .map_err(|e| {
                    crate::Diagnostic::error(
                        &in_force.path,
                        0,
                        0,
                        format!("cannot read the version in force on {day}: {e}"),
                    )
                })
                .and_then(|bytes| decode(&bytes, &in_force.path))
                .map_err(|d| vec![d])
                // Parsed as the working file, so that its id, address and errors stay the
                // policy's; its text is read again from the archived file, as a build's are.
                .and_then(|text| parse_item(&item.path, &text, Kind::Policy));
            match then {
                Ok(mut then) => {
                    then.body.store(root.join(&in_force.path), &in_force.path);
                    then.releases = std::mem::take(&mut item.releases);
                    then.chapter = item.chapter;
                    *item = then;
                }
                Err(ds) => {
                    loaded.diagnostics.extend(ds);
                    continue;
                }
            }
        }
        if let Err(d) = compare_releases(item) {
            loaded.diagnostics.push(d);
        }
    }
}
