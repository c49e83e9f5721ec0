//! A Markdown text of the handbook (an item's body, an archived version's): held in memory, or
//! only where it sits in its file. A build keeps the place, not the text, so that a large
//! handbook's texts are not all in memory at once: each is read again when a page needs it.

use std::borrow::Cow;
use std::hash::Hasher;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::files::lossy_text;
use crate::diagnostic::Diagnostic;

/// A Markdown text; [`Body::text`] gives it.
#[derive(Debug, Clone)]
pub struct Body(Kept);

#[derive(Debug, Clone)]
enum Kept {
    /// In memory, with where it starts in its file's text and that text's fingerprint (for
    /// [`Body::store`]; `None` when it is not part of one, and then it stays held).
    Held {
        text: String,
        start: Option<(usize, u64)>,
    },
    /// In its file: the fingerprint of the file's text at load, and the range of this text.
    Stored {
        file: PathBuf,
        rel: PathBuf,
        fingerprint: u64,
        range: Range<usize>,
    },
}

impl Body {
    /// The part `body` of a file's decoded text `file_text`, held.
    pub(super) fn within(file_text: &str, body: &str) -> Body {
        let start = (body.as_ptr() as usize)
            .checked_sub(file_text.as_ptr() as usize)
            .filter(|start| start + body.len() <= file_text.len())
            .map(|start| (start, fingerprint(file_text)));
        Body(Kept::Held {
            text: body.to_string(),
            start,
        })
    }

    /// Lets the text go, keeping where it is: in `file` (at `rel` under the root).
    pub(super) fn store(&mut self, file: PathBuf, rel: &Path) {
        if let Kept::Held {
            text,
            start: Some((start, fingerprint)),
        } = &self.0
        {
            self.0 = Kept::Stored {
                file,
                rel: rel.to_path_buf(),
                fingerprint: *fingerprint,
                range: *start..start + text.len(),
            };
        }
    }

    /// The text. A stored one is read again from its file, which must still hold the bytes it
    /// was loaded from: a page never shows a text that the checks and the manifest did not see.
    pub fn text(&self) -> Result<Cow<'_, str>, Diagnostic> {
        let (file, rel, loaded, range) = match &self.0 {
            Kept::Held { text, .. } => return Ok(Cow::Borrowed(text)),
            Kept::Stored {
                file,
                rel,
                fingerprint,
                range,
            } => (file, rel, *fingerprint, range),
        };
        let failed = |what: String| {
            Diagnostic::error(rel, 0, 0, what).with_help("build again once the file is saved")
        };
        let changed = || failed("this file changed while the build ran".to_string());
        let bytes = std::fs::read(file).map_err(|e| {
            failed(format!(
                "this file could not be read again while the build ran: {e}"
            ))
        })?;
        let text = lossy_text(&bytes);
        if fingerprint(&text) != loaded {
            return Err(changed());
        }
        text.get(range.clone())
            .map(|body| Cow::Owned(body.to_string()))
            .ok_or_else(changed)
    }
}

/// Tells a file's text from an edited one. Not a guard against tampering (the manifest's
/// sha256 is): it only has to notice a save while the build runs, and a fast hash costs
/// little beside reading the file again.
fn fingerprint(text: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish() ^ text.len() as u64
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::config::Config;

    /// A handbook with one page saved by a Windows editor (byte-order mark, CRLF), loaded as a
    /// build loads it.
    fn load_windows_page() -> (tempfile::TempDir, crate::content::Loaded) {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("book.toml"), "").unwrap();
        fs::create_dir(tmp.path().join("content")).unwrap();
        let page =
            "\u{feff}---\r\nsummary: Tiers.\r\n---\r\n# Repository tiers\r\n\r\nTier 1 — é.\r\n";
        fs::write(tmp.path().join("content/tiers.md"), page).unwrap();
        let config = Config::load(tmp.path()).unwrap();
        let loaded = crate::content::load(tmp.path(), &config).unwrap();
        (tmp, loaded)
    }

    #[test]
    fn a_stored_body_reads_back_as_loaded() {
        let (_tmp, loaded) = load_windows_page();
        let item = &loaded.items[0];
        assert_eq!(item.common.title, "Repository tiers");
        assert_eq!(item.body.text().unwrap(), "\nTier 1 — é.\n");
    }

    #[test]
    fn a_body_changed_after_loading_is_an_error_not_a_different_page() {
        let (tmp, loaded) = load_windows_page();
        fs::write(
            tmp.path().join("content/tiers.md"),
            "# Repository tiers\n\nTier 2.\n",
        )
        .unwrap();
        let error = loaded.items[0].body.text().unwrap_err();
        assert_eq!(error.file, std::path::Path::new("content/tiers.md"));
        assert!(
            error.message.contains("changed while the build ran"),
            "{}",
            error.message
        );
        fs::remove_file(tmp.path().join("content/tiers.md")).unwrap();
        let error = loaded.items[0].body.text().unwrap_err();
        assert!(
            error.message.contains("could not be read again"),
            "{}",
            error.message
        );
    }
}
