//! Helpers shared by the integration tests: run the real binary on a copy of a fixture.

#![allow(dead_code)]

pub mod http;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A copy of a fixture handbook in a temporary folder, removed on drop.
pub struct Handbook {
    pub dir: tempfile::TempDir,
}

impl Handbook {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Handbook {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            dir.path(),
        );
        Handbook { dir }
    }

    /// An empty folder, for a handbook a test writes file by file.
    pub fn empty() -> Handbook {
        Handbook {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Adds `text` at the end of a file.
    pub fn append(&self, rel: &str, text: &str) {
        let old = self.read(rel);
        self.write(rel, &format!("{old}{text}"));
    }

    /// Replaces `from` with `to` in a file, failing if `from` is absent.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Runs `policybook <args> --root <copy>`.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }
}

/// Runs the binary with `--root root` appended.
pub fn run_in(root: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run policybook");
    Run { output }
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    /// Asserts success and returns stderr.
    pub fn ok(&self) -> String {
        assert_eq!(
            self.code(),
            0,
            "expected success, stderr:\n{}",
            self.stderr()
        );
        self.stderr()
    }
    /// Asserts exit code 1 and returns stderr.
    pub fn fails(&self) -> String {
        assert_eq!(
            self.code(),
            1,
            "expected exit 1, stderr:\n{}",
            self.stderr()
        );
        assert!(
            !self.stderr().contains("panicked"),
            "panic: {}",
            self.stderr()
        );
        self.stderr()
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Every internal link or image of the site at `dest` whose file or anchor does not exist, as
/// `page: target`. `#` alone is the top of the page; the 404 page is skipped (its links are
/// absolute, for any depth).
pub fn broken_links(dest: &Path) -> Vec<String> {
    let pages: BTreeMap<PathBuf, String> = snapshot(dest)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, bytes)| (p, String::from_utf8(bytes).unwrap()))
        .collect();
    let ids = |html: &str| -> Vec<String> { attribute_values(html, "id=\"") };
    let mut broken = Vec::new();
    for (page, html) in &pages {
        if page == Path::new("404.html") {
            continue;
        }
        for target in attribute_values(html, "href=\"")
            .into_iter()
            .chain(attribute_values(html, "src=\""))
        {
            if target.contains("://")
                || target.starts_with("mailto:")
                || target.starts_with("data:")
            {
                continue;
            }
            let (path, anchor) = target
                .split_once('#')
                .map_or((target.as_str(), None), |(p, a)| (p, Some(a)));
            let anchor = anchor.filter(|a| !a.is_empty());
            let file = if path.is_empty() {
                Some(page.clone())
            } else {
                normalise(&page.parent().unwrap().join(path))
            };
            // A link that climbs above the site's folder breaks where the site is published
            // under a path (`https://example.com/handbook/`) or opened from disk.
            let Some(file) = file else {
                broken.push(format!("{}: {target} (above the site)", page.display()));
                continue;
            };
            let ok = if path.is_empty() || file.extension().is_some_and(|e| e == "html") {
                pages
                    .get(&file)
                    .is_some_and(|t| anchor.is_none_or(|a| ids(t).iter().any(|id| id == a)))
            } else {
                dest.join(&file).is_file()
            };
            if !ok {
                broken.push(format!("{}: {target}", page.display()));
            }
        }
    }
    broken
}

/// The values of every `name="…"` attribute in `html` (entities in URLs are not expected).
pub fn attribute_values(html: &str, name: &str) -> Vec<String> {
    html.match_indices(name)
        .filter(|(i, _)| html[..*i].ends_with(' '))
        .filter_map(|(i, _)| {
            let rest = &html[i + name.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}
