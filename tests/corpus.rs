//! The benchmark's corpus generator writes a valid handbook, the same for the same seed.

mod common;

use std::path::Path;
use std::process::Command;

use policybook::Severity;

fn generate(out: &Path, seed: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_gen-corpus"))
        .args(["--items", "60", "--seed", seed])
        .arg(out)
        .status()
        .expect("gen-corpus runs");
    assert!(status.success());
}

/// Every file under `root`, relative, with its bytes, in path order.
fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn generated_corpus_checks_clean_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    generate(&root, "1");
    let today = "2026-11-24".parse().unwrap();
    let findings = policybook::check(&root, today).unwrap();
    let errors: Vec<_> = findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let all = files(&root);
    assert!(
        all.iter().any(|(p, _)| p.ends_with("versions.yaml")),
        "no released versions"
    );
    let options = policybook::BuildOptions {
        dest: Some(dir.path().join("site")),
        ..Default::default()
    };
    assert!(policybook::build(&root, &options).unwrap().pages > 60);
}

#[test]
fn same_seed_same_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    generate(&a, "7");
    generate(&b, "7");
    generate(&c, "8");
    assert_eq!(files(&a), files(&b));
    assert_ne!(files(&a), files(&c));
}

/// A rebuild links the files whose bytes did not change from the previous site instead of
/// writing them again, and writes the ones that did.
#[cfg(unix)]
#[test]
fn rebuild_keeps_unchanged_files() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    generate(&root, "3");
    let site = dir.path().join("site");
    let options = policybook::BuildOptions {
        dest: Some(site.clone()),
        ..Default::default()
    };
    policybook::build(&root, &options).unwrap();
    let inode = |p: &str| std::fs::metadata(site.join(p)).unwrap().ino();
    // print.html, written in pieces, is kept as well when it comes out the same.
    let print = inode("print.html");
    policybook::build(&root, &options).unwrap();
    assert_eq!(inode("print.html"), print);
    let (kpi, page) = (
        inode("kpis/kpi-00000.html"),
        inode("guide/part-00/page-00000.html"),
    );
    let source = root.join("content/guide/part-00/page-00000.md");
    let text = std::fs::read_to_string(&source).unwrap() + "\nOne more sentence.\n";
    std::fs::write(&source, text).unwrap();
    policybook::build(&root, &options).unwrap();
    assert_eq!(inode("kpis/kpi-00000.html"), kpi);
    assert_ne!(inode("guide/part-00/page-00000.html"), page);
    assert_ne!(inode("print.html"), print);
    let html = std::fs::read_to_string(site.join("guide/part-00/page-00000.html")).unwrap();
    assert!(html.contains("One more sentence."));
}

/// The plain shape, linked by relative `.md` paths, builds with every link resolved to a page
/// that exists (and every `#overview` to its heading).
#[test]
fn plain_corpus_links_resolve_to_built_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("plain");
    let status = Command::new(env!("CARGO_BIN_EXE_gen-corpus"))
        .args(["--shape", "plain", "--items", "120"])
        .arg(&root)
        .status()
        .expect("gen-corpus runs");
    assert!(status.success());
    let findings = policybook::check(&root, "2026-11-24".parse().unwrap()).unwrap();
    assert!(findings.is_empty(), "{findings:#?}");
    let site = dir.path().join("site");
    let options = policybook::BuildOptions {
        dest: Some(site.clone()),
        ..Default::default()
    };
    assert!(policybook::build(&root, &options).unwrap().pages > 120);
    let html = std::fs::read_to_string(site.join("part-3/page-00003.html")).unwrap();
    assert!(
        html.contains("href=\"../part-4/page-00004.html\""),
        "{html}"
    );
    let broken = common::broken_links(&site);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
