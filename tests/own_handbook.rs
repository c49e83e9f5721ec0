//! Handbooks nobody tuned the code to: one made by `init`, an mdBook as it is, a folder of plain
//! policies in the style of public templates, a handbook of policies alone, and the shipped
//! handbook as a Windows checkout (CRLF, byte-order marks). Each asserts the exit code, the
//! exact findings and that the built site has no broken internal link.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Handbook, broken_links, run_in, snapshot};

const TODAY: &str = "2026-11-24";

/// `check --today TODAY` in `root`: the exit code and the findings as `rule file:line`.
fn findings(root: &Path) -> (i32, Vec<String>) {
    let run = run_in(root, &["check", "--format", "json", "--today", TODAY]);
    let report: serde_json::Value = serde_json::from_slice(&run.output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", run.stderr()));
    let found = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule"].as_str().unwrap_or(""),
                f["file"].as_str().unwrap(),
                f["line"]
            )
        })
        .collect();
    (run.code(), found)
}

/// Builds `root` into a new folder, asserting success and that no internal link is broken.
fn build_clean(root: &Path) -> tempfile::TempDir {
    let dest = tempfile::tempdir().unwrap();
    let run = run_in(root, &["build", "--dest", dest.path().to_str().unwrap()]);
    run.ok();
    let broken = broken_links(dest.path());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    dest
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn policybook(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn init_makes_a_strict_handbook_that_passes_check_and_builds() {
    let parent = tempfile::tempdir().unwrap();
    let out = policybook(
        &["init", "acme", "--title", "Acme \"AI\" Handbook"],
        parent.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = parent.path().join("acme");
    // Strict from day one: the house-style rules are written into book.toml.
    let config = read(&root, "book.toml");
    assert!(
        config.contains("required-sections = [\"Purpose\""),
        "{config}"
    );
    assert!(config.contains("owner-missing = \"error\""), "{config}");
    assert!(
        root.join("content/policies/acceptable-use.versions/1.0.md")
            .is_file()
    );

    let run = run_in(&root, &["check", "--deny", "warnings"]);
    assert!(
        run.ok().contains("checked: 0 errors, 0 warnings"),
        "{}",
        run.stderr()
    );
    let site = build_clean(&root);
    for page in [
        "policies/acceptable-use.html",
        "policies/acceptable-use/history.html",
        "stages/pilot.html",
        "vendors/example-vendor.html",
        "training/policy-basics.html",
        "risks/data-leak.html",
        "kpis/review-time.html",
        "guide/writing.html",
        "dashboard.html",
        "traceability.html",
        "exceptions/tool-trial.html",
        "frameworks/internal-controls.html",
        "roles/engineers.html",
    ] {
        assert!(site.path().join(page).is_file(), "{page}");
    }
    assert!(read(site.path(), "index.html").contains("Acme &quot;AI&quot; Handbook"));

    // `new` follows the handbook's settings: its required sections, so its first check passes.
    let run = run_in(&root, &["new", "policy", "travel"]);
    run.ok();
    let travel = read(&root, "content/policies/travel.md");
    assert!(travel.contains("## Roles and responsibilities"), "{travel}");
    run_in(&root, &["check", "--deny", "warnings"]).ok();

    // Never over an existing handbook.
    let out = policybook(&["init", "acme"], parent.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"));
}

#[test]
fn new_uses_the_sections_book_toml_requires() {
    let hb = Handbook::fixture("minimal");
    hb.append(
        "book.toml",
        "\n[check]\nrequired-sections = [\"Purpose\", \"Rules\", \"Exceptions\"]\n",
    );
    hb.run(&["new", "policy", "travel"]).ok();
    let text = hb.read("content/policies/travel.md");
    assert!(
        text.contains("## Purpose\n\nWrite here.\n\n## Rules\n\nWrite here.\n\n## Exceptions\n"),
        "{text}"
    );
    assert!(!text.contains("## Scope"), "{text}");
    // The fixture's own policy lacks `Rules`; the new one passes its first check.
    let (_, found) = findings(hb.root());
    assert_eq!(
        found,
        ["policy-missing-section content/policies/data-policy.md:13"]
    );
}

#[test]
fn commands_outside_a_handbook_point_to_init() {
    let empty = tempfile::tempdir().unwrap();
    for args in [vec!["new", "policy", "x"], vec!["build"], vec!["check"]] {
        let out = policybook(&args, empty.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("no book.toml found in ."), "{args:?}: {err}");
        assert!(err.contains("run `policybook init`"), "{args:?}: {err}");
    }
    assert!(!empty.path().join("content").exists());
}

/// mdBook reads `src/` when book.toml does not name a folder: so does policybook, when there is
/// no `content/`.
#[test]
fn an_mdbook_whose_book_toml_names_no_folder_builds_from_src() {
    let hb = Handbook::fixture("mdbook");
    hb.edit("book.toml", "src = \"src\"\n", "");
    let site = build_clean(hb.root());
    let home = read(site.path(), "index.html");
    assert!(
        home.contains("This handbook collects the security rules"),
        "{home}"
    );
    assert!(site.path().join("access-control/passwords.html").is_file());
}

#[test]
fn an_mdbook_builds_as_it_is() {
    let hb = Handbook::fixture("mdbook");
    let (code, found) = findings(hb.root());
    assert_eq!(code, 0);
    assert_eq!(
        found,
        [
            "mdbook-setting book.toml:4",
            "mdbook-setting book.toml:9",
            "orphan-page src/old-notes.md:1",
        ]
    );
    let site = build_clean(hb.root());
    // README.md is the home page; chapter files keep their names, as in mdBook.
    let home = read(site.path(), "index.html");
    assert!(
        home.contains("This handbook collects the security rules"),
        "{home}"
    );
    assert!(site.path().join("incident_response.html").is_file());
    assert!(site.path().join("access-control/passwords.html").is_file());
    // SUMMARY.md orders and nests the navigation; its draft chapter is left out.
    let page = read(site.path(), "access-control/mfa.html");
    let order: Vec<usize> = [
        "<li><a href=\"../access-control.html\">Access control",
        "<li class=\"depth-1\"><a href=\"../access-control/passwords.html\">Passwords",
        "<li class=\"depth-1\"><a href=\"../access-control/mfa.html\" aria-current=\"page\">Multi-factor",
        "<li><a href=\"../incident_response.html\">Incident Response",
        "<li><a href=\"../glossary.html\">Glossary",
    ]
    .iter()
    .map(|s| page.find(s).unwrap_or_else(|| panic!("{s} not in the sidebar")))
    .collect();
    assert!(order.is_sorted(), "{order:?}");
    assert!(!page.contains("Vendor review") && !page.contains("Old notes"));
    // The leading `# heading` is the title, shown once, and keeps its anchor.
    let incident = read(site.path(), "incident_response.html");
    assert_eq!(
        incident.matches(">Incident Response</h1>").count(),
        1,
        "{incident}"
    );
    assert!(incident.contains("<h1 id=\"incident-response\">"));
    // No summary page links to a page this book does not have.
    for absent in [
        "dashboard.html",
        "traceability.html",
        "edition.html",
        "roles.html\"",
    ] {
        assert!(!page.contains(absent), "{absent}");
    }
}

#[test]
fn plain_policies_report_every_finding_at_once_and_suggest_the_file() {
    let hb = Handbook::fixture("plain-policies");
    let (code, found) = findings(hb.root());
    assert_eq!(code, 1);
    // The broken link does not hold back the governance rules; no house-style rule fires.
    assert_eq!(
        found,
        [
            "broken-link content/policies/j1-acceptable-use.md:19",
            "policy-review-overdue content/policies/j1-data-mgmt.md:7",
        ]
    );
    let err = hb.run(&["check", "--today", TODAY]).fails();
    assert!(
        err.contains("content/policies/j1-acceptable-use.md:19:1: error[broken-link]: link to `data-mgmt.md`: no such file in the handbook\n  help: did you mean `j1-data-mgmt.md`?"),
        "{err}"
    );
    hb.edit(
        "content/policies/j1-acceptable-use.md",
        "(data-mgmt.md)",
        "(j1-data-mgmt.md)",
    );
    let site = build_clean(hb.root());
    // The folder's README.md is a page of its own beside the policies' index.
    let index = read(site.path(), "policies/index-page.html");
    assert!(index.contains("Policy index"), "{index}");
    let policy = read(site.path(), "policies/j1-acceptable-use.html");
    assert_eq!(policy.matches(">Acceptable Use Policy</h1>").count(), 1);
    assert!(policy.contains("href=\"#\""), "`#` is the top of the page");
}

#[test]
fn a_handbook_of_policies_alone_links_to_no_missing_page() {
    let hb = Handbook::fixture("plain-policies");
    std::fs::remove_file(hb.path("content/index.md")).unwrap();
    std::fs::remove_file(hb.path("content/policies/README.md")).unwrap();
    hb.edit(
        "content/policies/j1-acceptable-use.md",
        "(data-mgmt.md)",
        "(j1-data-mgmt.md)",
    );
    let site = build_clean(hb.root());
    assert!(!site.path().join("dashboard.html").exists());
    assert!(!site.path().join("traceability.html").exists());
    for (path, bytes) in snapshot(site.path()) {
        let html = String::from_utf8_lossy(&bytes);
        for page in ["dashboard.html", "traceability.html", "vendors/index.html"] {
            assert!(!html.contains(page), "{} links to {page}", path.display());
        }
    }
}

/// The shipped handbook as git checks it out on Windows with `core.autocrlf=true`, some files
/// saved by Notepad with a byte-order mark: the same findings and the same pages.
#[test]
fn a_windows_checkout_of_the_shipped_handbook_is_the_same_handbook() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (lf, crlf) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [lf.path(), crlf.path()] {
        common::copy_dir(&repo.join("content"), &dir.join("content"));
        std::fs::copy(repo.join("book.toml"), dir.join("book.toml")).unwrap();
    }
    let mut converted = 0;
    for (rel, bytes) in snapshot(&crlf.path().join("content")) {
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["md", "yaml", "csv"].contains(&ext) {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap().replace('\n', "\r\n");
        // Every third file, archived versions and manifests included, gains a BOM.
        let bom = if converted % 3 == 0 { "\u{feff}" } else { "" };
        std::fs::write(
            crlf.path().join("content").join(&rel),
            format!("{bom}{text}"),
        )
        .unwrap();
        converted += 1;
    }
    assert!(converted > 50);
    let check = ["check", "--deny", "warnings", "--today", TODAY];
    assert!(
        run_in(crlf.path(), &check)
            .ok()
            .contains("checked: 0 errors, 0 warnings")
    );
    let (a, b) = (build_clean(lf.path()), build_clean(crlf.path()));
    let pages = |dir: &Path| {
        snapshot(dir)
            .into_iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
            .collect::<Vec<_>>()
    };
    let (a, b) = (pages(a.path()), pages(b.path()));
    assert_eq!(a.len(), b.len());
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{} differs", path.display());
    }
}

#[test]
fn a_kpi_series_saved_as_excel_csv_utf8_loads() {
    let hb = Handbook::fixture("minimal");
    let csv = hb.read("content/data/defects.csv").replace('\n', "\r\n");
    hb.write("content/data/defects.csv", &format!("\u{feff}{csv}"));
    hb.run(&["check", "--today", TODAY]).ok();
}
