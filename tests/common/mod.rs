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
