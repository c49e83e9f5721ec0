//! The handbook as it stood on a day, for `build --as-of`: each policy reads as the version in
//! force then, and versions released or taking effect later are left out.

use std::path::Path;

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
        let Some(in_force) = item.releases.last() else {
            continue;
        };
        let text = std::fs::read(root.join(&in_force.path))
            .map_err(|e| {
                crate::Diagnostic::error(
                    &in_force.path,
                    0,
                    0,
                    format!("cannot read the version in force on {day}: {e}"),
                )
            })
            .and_then(|bytes| decode(&bytes, &in_force.path));
        let text = match text {
            Ok(text) => text.replace("\r\n", "\n"),
            Err(d) => {
                loaded.diagnostics.push(d);
                continue;
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        // Parsed as the working file, so that its id, address and errors stay the policy's.
        match parse_item(&item.path, text, Kind::Policy) {
            Ok(mut then) => {
                then.releases = std::mem::take(&mut item.releases);
                then.chapter = item.chapter;
                *item = then;
            }
            Err(ds) => loaded.diagnostics.extend(ds),
        }
    }
}
