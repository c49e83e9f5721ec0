//! Hostile input: markup in every field, the bad-input matrix beyond tests/errors.rs, paths that
//! try to leave their folders, and output that survives interruptions.

mod common;

use common::Handbook;

/// Markup that would run, or break out of an attribute, if any template printed it raw.
const PAYLOAD: &str = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";

#[test]
fn every_template_value_is_escaped() {
    let hb = Handbook::fixture("minimal");
    // JSON strings are valid YAML and TOML strings.
    let q = serde_json::to_string(PAYLOAD).unwrap();
    let edits: &[(&str, &str, String)] = &[
        (
            "book.toml",
            "title = \"Fixture Handbook\"",
            format!("title = {q}\ndescription = {q}"),
        ),
        (
            "content/policies/data-policy.md",
            "title: Data policy",
            format!("title: {q}\nsummary: {q}\ntags: [{q}]\napplies_to: [{q}]"),
        ),
        (
            "content/policies/data-policy.md",
            "changes: Added a retention limit.",
            format!("changes: {q}"),
        ),
        (
            "content/roles.yaml",
            "title: Security",
            format!("title: {q}\n  description: {q}"),
        ),
        (
            "content/roles.yaml",
            "[Own security policies]",
            format!("[{q}]"),
        ),
        (
            "content/vendors/acme.md",
            "vendor: Acme",
            format!("vendor: {q}"),
        ),
        (
            "content/vendors/acme.md",
            "evidence: Exports audit logs.",
            format!("evidence: {q}"),
        ),
        (
            "content/vendors/criteria.yaml",
            "title: Auditability",
            format!("title: {q}"),
        ),
        (
            "content/risks/leak-risk.md",
            "action: Block confidential repositories",
            format!("action: {q}"),
        ),
        (
            "content/kpis/defects.md",
            "unit: ratio",
            format!("unit: {q}\ndefinition: {q}"),
        ),
        (
            "content/training/basics.md",
            "[Never include secrets in prompts]",
            format!("[{q}]"),
        ),
        (
            "content/stages/pilot.md",
            "[Baselines recorded]",
            format!("[{q}]\nscope: {q}"),
        ),
        (
            "content/stages/pilot.md",
            "text: Security review signed off",
            format!("text: {q}"),
        ),
        (
            "content/guide/intro.md",
            "title: ",
            format!("summary: {q}\ntitle: "),
        ),
    ];
    for (file, from, to) in edits {
        hb.edit(file, from, to);
    }
    // In the body too: a heading and a paragraph of raw HTML (sanitised by default).
    let intro = hb.read("content/guide/intro.md");
    hb.write(
        "content/guide/intro.md",
        &format!("{intro}\n## Heading {PAYLOAD}\n\n{PAYLOAD}\n"),
    );
    hb.run(&["build"]).ok();
    let site = common::snapshot(&hb.path("book"));
    let mut pages_with_payload = 0;
    for (path, bytes) in &site {
        let text = String::from_utf8_lossy(bytes);
        // The search index holds the text as JSON strings in .js files, where `"` is escaped
        // as `\"` and a `"'>` breakout is inert; markup must not appear there either.
        let breakouts: &[&str] = if path.starts_with("search") {
            &["<script>alert", "<img src=x"]
        } else {
            &["<script>alert", "<img src=x", "\"'>"]
        };
        for raw in breakouts {
            assert!(!text.contains(raw), "{}: unescaped {raw:?}", path.display());
        }
        pages_with_payload += usize::from(text.contains("&lt;script&gt;alert(1)"));
    }
    // The values are shown (escaped), not dropped.
    assert!(pages_with_payload > 10, "{pages_with_payload}");
}

/// Applies one edit to the minimal fixture, builds, and returns stderr (asserting exit 1, no panic).
fn broken(file: &str, from: &str, to: &str) -> String {
    let hb = Handbook::fixture("minimal");
    hb.edit(file, from, to);
    hb.run(&["build"]).fails()
}

#[test]
fn duplicate_yaml_keys_point_at_the_second() {
    let err = broken(
        "content/policies/data-policy.md",
        "owner: security\n",
        "owner: security\nowner: legal\n",
    );
    assert!(err.contains("content/policies/data-policy.md:6:1: error[invalid-content]: duplicate field `owner`\n  help: `owner` is given twice: keep one of the two lines"), "{err}");
}

#[test]
fn a_file_with_only_front_matter_is_an_empty_page() {
    let hb = Handbook::fixture("minimal");
    hb.write(
        "content/guide/only.md",
        "---\ntitle: Only\nowner: legal\n---\n",
    );
    hb.write(
        "content/guide/bare.md",
        "---\ntitle: Bare\nowner: legal\n---",
    );
    hb.run(&["build"]).ok();
    assert!(hb.read("book/guide/only.html").contains("<h1"));
    assert!(hb.read("book/guide/bare.html").contains("<h1"));
}

#[test]
fn ids_with_spaces_or_slashes_are_refused() {
    for id in ["my module", "../../etc", "a/b"] {
        let err = broken(
            "content/training/basics.md",
            "title: Basics",
            &format!("id: \"{id}\"\ntitle: Basics"),
        );
        assert!(err.contains(&format!("content/training/basics.md:2:1: error[invalid-id]: invalid id `{id}`: use lowercase letters, digits and `-`")), "{err}");
    }
}

#[test]
fn wrong_types_and_unknown_keys_in_book_toml() {
    for (toml, want) in [
        (
            "[book]\ntitle = 3\n",
            "book.toml:2:9: error[invalid-config]: invalid type: integer `3`, expected a string",
        ),
        (
            "[output.html]\nallow-raw-html = \"yes\"\n",
            "book.toml:2:18: error[invalid-config]: invalid type: string \"yes\", expected a boolean",
        ),
        (
            "[output.html]\nallow-raw-htm = true\n",
            "book.toml:2:1: error[invalid-config]: unknown field `allow-raw-htm`\n  help: did you mean `allow-raw-html`?",
        ),
        (
            "[book\ntitle = \"x\"\n",
            "book.toml:1:6: error[invalid-config]: unclosed table, expected `]`",
        ),
        (
            "[build]\nbuild-dir = [\"a\"]\n",
            "book.toml:2:13: error[invalid-config]: invalid type: sequence, expected path string",
        ),
    ] {
        let hb = Handbook::fixture("minimal");
        hb.write("book.toml", toml);
        let err = hb.run(&["build"]).fails();
        assert!(err.contains(want), "{toml}: {err}");
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let hb = Handbook::fixture("minimal");
    // A sparse 50 MB file: the limit is judged from its size, before anything is read.
    let file = std::fs::File::create(hb.path("content/guide/huge.md")).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let err = hb.run(&["build"]).fails();
    assert!(err.contains("content/guide/huge.md: error[unreadable-file]: file is 50 MiB, larger than the 32 MiB a content file may have\n  help: split it into several pages"), "{err}");
}

#[test]
fn ten_thousand_levels_of_nesting_build() {
    let hb = Handbook::fixture("minimal");
    let page =
        |title: &str, body: String| format!("---\ntitle: {title}\nowner: legal\n---\n{body}\n");
    hb.write(
        "content/guide/lists.md",
        &page("Lists", format!("{}deep", "- ".repeat(10_000))),
    );
    hb.write(
        "content/guide/quotes.md",
        &page("Quotes", format!("{} deep", ">".repeat(10_000))),
    );
    hb.write(
        "content/guide/mixed.md",
        &page("Mixed", format!("{}deep", "> - ".repeat(5_000))),
    );
    // Raw HTML goes through the sanitiser, whose parser is slower on deep trees.
    hb.write(
        "content/guide/divs.md",
        &page(
            "Divs",
            format!("{}x{}", "<div>".repeat(3_000), "</div>".repeat(3_000)),
        ),
    );
    hb.run(&["build"]).ok();
    assert!(hb.read("book/guide/lists.html").contains("deep"));
    assert!(hb.read("book/guide/quotes.html").contains("deep"));
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let hb = Handbook::fixture("minimal");
    std::os::unix::fs::symlink("missing.md", hb.path("content/guide/dangling.md")).unwrap();
    let locked = hb.path("content/guide/locked.md");
    hb.write("content/guide/locked.md", "---\ntitle: Locked\n---\n");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let err = hb.run(&["build"]).fails();
    assert!(err.contains("content/guide/dangling.md: error[unreadable-file]: cannot read: No such file or directory"), "{err}");
    // root reads every file: then there is nothing to refuse.
    if std::fs::read(&locked).is_err() {
        assert!(
            err.contains(
                "content/guide/locked.md: error[unreadable-file]: cannot read: Permission denied"
            ),
            "{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_content_folder_are_refused() {
    let hb = Handbook::fixture("minimal");
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::os::unix::fs::symlink(secret.path(), hb.path("content/guide/key.png")).unwrap();
    std::os::unix::fs::symlink(
        secret.path().parent().unwrap(),
        hb.path("content/guide/tmp"),
    )
    .unwrap();
    // A link that stays inside is followed as before.
    std::os::unix::fs::symlink("../data", hb.path("content/guide/data")).unwrap();
    let err = hb.run(&["build"]).fails();
    for link in ["key.png", "tmp"] {
        assert!(err.contains(&format!("content/guide/{link}: error[unreadable-file]: symbolic link to a place outside the content folder")), "{err}");
    }
    assert!(err.ends_with("failed: 2 errors\n"), "{err}");
}

#[test]
fn links_that_climb_out_of_the_content_folder_are_errors() {
    let hb = Handbook::fixture("minimal");
    let intro = hb.read("content/guide/intro.md");
    hb.write(
        "content/guide/intro.md",
        &format!("{intro}\n[a](../../../etc/passwd.md) [b](../../book.toml.md)\n\n![c](../../../secret.png) [d](%2e%2e/%2e%2e/x.png) [ok](../data/defects.csv)\n"),
    );
    let line = intro.lines().count() + 2;
    let err = hb.run(&["build"]).fails();
    for (col, target) in [(1, "../../../etc/passwd.md"), (29, "../../book.toml.md")] {
        assert!(err.contains(&format!("content/guide/intro.md:{line}:{col}: error[broken-link]: link `{target}` leaves the content folder")), "{err}");
    }
    for (col, target) in [(1, "../../../secret.png"), (27, "%2e%2e/%2e%2e/x.png")] {
        assert!(err.contains(&format!("content/guide/intro.md:{}:{col}: error[broken-link]: link `{target}` leaves the content folder", line + 2)), "{err}");
    }
    assert!(err.ends_with("failed: 4 errors\n"), "{err}");
}

#[test]
fn cross_link_cycles_are_fine_prerequisite_cycles_are_not() {
    let hb = Handbook::fixture("minimal");
    // basics → data-policy (already) and data-policy → basics: a cycle of links is just a web.
    let policy = hb.read("content/policies/data-policy.md");
    hb.write(
        "content/policies/data-policy.md",
        &format!("{policy}\nTaught in [basics](../training/basics.md).\n"),
    );
    hb.run(&["build"]).ok();
    hb.edit(
        "content/training/basics.md",
        "title: Basics",
        "title: Basics\nprerequisites: [advanced]",
    );
    hb.write(
        "content/training/advanced.md",
        "---\ntitle: Advanced\naudience: [developers]\nduration_minutes: 30\nobjectives: [More]\nprerequisites: [basics]\nowner: security\n---\n",
    );
    let err = hb.run(&["build"]).fails();
    assert!(err.contains("content/training/advanced.md:6:17: error[prerequisite-cycle]: prerequisite cycle: advanced → basics → advanced"), "{err}");
}

#[test]
fn raw_html_is_sanitised_unless_book_toml_allows_it() {
    let hb = Handbook::fixture("minimal");
    let intro = hb.read("content/guide/intro.md");
    hb.write(
        "content/guide/intro.md",
        &format!("{intro}\nPress <kbd>Ctrl</kbd>.<script>alert(1)</script>\n\n<a href=\"javascript:alert(2)\" onclick=\"alert(3)\">x</a>\n\n[y](javascript:alert(4))\n"),
    );
    hb.run(&["build"]).ok();
    let html = hb.read("book/guide/intro.html");
    assert!(html.contains("<kbd>Ctrl</kbd>"), "{html}");
    assert!(
        !html.contains("<script>alert")
            && !html.contains("alert(2)")
            && !html.contains("alert(3)")
            && !html.contains("alert(4)"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    hb.edit(
        "book.toml",
        "[output.html]",
        "[output.html]\nallow-raw-html = true",
    );
    hb.run(&["build"]).ok();
    let html = hb.read("book/guide/intro.html");
    assert!(html.contains("<script>alert(1)</script>"), "{html}");
    assert!(html.contains("onclick=\"alert(3)\""), "{html}");
    // A Markdown link is never a script, allowed HTML or not.
    assert!(!html.contains("alert(4)"), "{html}");
}

#[test]
fn a_build_killed_mid_swap_is_repaired_by_the_next_even_a_failing_one() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    let site = common::snapshot(&hb.path("book"));
    // What a kill between the swap's two renames leaves: the previous site aside, a staging
    // folder, no `book/`.
    std::fs::rename(hb.path("book"), hb.path(".book.old-999999")).unwrap();
    hb.write(".book.staging-999999/index.html", "half a site");
    hb.edit("content/stages/pilot.md", "order: 1", "order: first");
    hb.run(&["build"]).fails();
    assert_eq!(common::snapshot(&hb.path("book")), site);
    assert!(!hb.path(".book.old-999999").exists());
    assert!(!hb.path(".book.staging-999999").exists());
}
