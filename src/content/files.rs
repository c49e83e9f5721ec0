//! Reading source files: size limit, decoding to UTF-8 text, hashing, and path arithmetic.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::MAX_FILE_BYTES;
use super::cache::{ParseCache, SharedRead};
use crate::diagnostic::{Diagnostic, Rule, line_col};

/// Reads a file (through the cache) and the sha256 of its bytes, refusing one too large.
pub(super) fn read_file(
    cache: &mut ParseCache,
    path: &Path,
    rel: &Path,
) -> Result<(std::sync::Arc<[u8]>, String), Diagnostic> {
    let (bytes, sha256, fresh) = read_file_shared(cache, path, rel)?;
    if let Some(fresh) = fresh {
        cache.keep_read(path, fresh);
    }
    Ok((bytes, sha256))
}

/// As [`read_file`], from several threads at once (see [`ParseCache::read_shared`]).
pub(super) fn read_file_shared(
    cache: &ParseCache,
    path: &Path,
    rel: &Path,
) -> Result<SharedRead, Diagnostic> {
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
        .read_shared(path)
        .map_err(|e| Diagnostic::new(Rule::UnreadableFile, rel, 0, 0, format!("cannot read: {e}")))
}

/// A file's bytes as UTF-8 text, with a BOM and CRLF line endings normalised away.
pub(super) fn decode(bytes: &[u8], rel: &Path) -> Result<String, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let (line, col) = line_col(&String::from_utf8_lossy(&bytes[..valid]), valid);
        Diagnostic::new(Rule::UnreadableFile, rel, line, col, "not valid UTF-8 text")
            .with_help("save the file as UTF-8")
    })?;
    Ok(normalised(Cow::Borrowed(text)).into_owned())
}

/// A file's text as the handbook reads it: UTF-8 (bytes that are not become U+FFFD), without a
/// leading byte-order mark, lines ending in LF.
pub(super) fn lossy_text(bytes: &[u8]) -> Cow<'_, str> {
    // `str::from_utf8` checks a valid text several times faster than `from_utf8_lossy` does.
    normalised(
        std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed),
    )
}

/// `text` without a leading byte-order mark, lines ending in LF.
fn normalised(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.starts_with('\u{feff}') && !text.contains('\r') {
        return text;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Cow::Owned(text.replace("\r\n", "\n"))
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

pub(super) fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

pub(super) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of a digest.
pub fn hex(digest: &[u8]) -> String {
    // Every source and output is hashed: one allocation per digest, not one per byte.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}
