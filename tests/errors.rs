//! Broken handbooks: each rule gives its exact message at file:line:col, exit code 1, no panic.

mod common;

use common::Handbook;

/// Applies one edit to the minimal fixture, builds, and returns stderr (asserting exit 1).
fn broken(file: &str, from: &str, to: &str) -> String {
    let hb = Handbook::fixture("minimal");
    hb.edit(file, from, to);
    hb.run(&["build"]).fails()
}

#[test]
fn missing_required_field() {
    let err = broken("content/policies/data-policy.md", "version: \"1.2\"\n", "");
    assert!(err.contains("content/policies/data-policy.md:2:1: error[invalid-content]: missing field `version`\n  help: add `version: ...` to the front matter"), "{err}");
    // The failed policy is not reported a second time through the links to it.
    assert!(err.contains("failed: 1 error"), "{err}");
}

#[test]
fn wrong_type() {
    let err = broken("content/stages/pilot.md", "order: 1", "order: first");
    assert!(err.contains("content/stages/pilot.md:3:8: error[invalid-content]: order: invalid type: string \"first\", expected u32"), "{err}");
    let err = broken(
        "content/policies/data-policy.md",
        "version: \"1.2\"",
        "version: 1.2",
    );
    assert!(
        err.contains(
            "content/policies/data-policy.md:3:10: error[invalid-content]: version: write the version in quotes"
        ),
        "{err}"
    );
}

#[test]
fn bad_date_and_duration() {
    let err = broken(
        "content/policies/data-policy.md",
        "effective: 2026-03-01",
        "effective: 2026-02-30",
    );
    assert!(err.contains("content/policies/data-policy.md:7:12: error[invalid-content]: invalid date `2026-02-30`: no such day in the calendar"), "{err}");
    let err = broken(
        "content/stages/pilot.md",
        "duration: 8 weeks",
        "duration: 8 weeeks",
    );
    assert!(
        err.contains(
            "content/stages/pilot.md:5:11: error[invalid-content]: invalid duration `8 weeeks`"
        ),
        "{err}"
    );
}

#[test]
fn unknown_field_lists_known_ones_and_suggests_the_nearest() {
    let err = broken(
        "content/policies/data-policy.md",
        "approvers: [legal]",
        "approvers: [legal]\naprovers: [legal]",
    );
    assert!(err.contains("content/policies/data-policy.md:7:1: error[unknown-field]: unknown field `aprovers`\n  help: did you mean `approvers`? expected one of: id, kind, title,"), "{err}");
    let err = broken(
        "content/stages/pilot.md",
        "threshold: 0.05",
        "thresold: 0.05",
    );
    assert!(err.contains("content/stages/pilot.md:8:31: error[unknown-field]: exit_gates[0]: unknown field `thresold`\n  help: did you mean `threshold`? expected one of: kpi, op, threshold, text"), "{err}");
}

#[test]
fn unknown_enum_value() {
    let err = broken(
        "content/policies/data-policy.md",
        "status: approved",
        "status: aproved",
    );
    assert!(err.contains("content/policies/data-policy.md:4:9: error[invalid-content]: status: unknown variant `aproved`\n  help: did you mean `approved`? expected one of: draft, in-review, approved, retired"), "{err}");
}

#[test]
fn duplicate_ids_across_kinds() {
    let err = broken(
        "content/risks/leak-risk.md",
        "title: Code leaks",
        "id: data-policy\ntitle: Code leaks",
    );
    assert!(err.contains("content/risks/leak-risk.md:2:1: error[duplicate-id]: duplicate id `data-policy`\n  help: `data-policy` is already the id of content/policies/data-policy.md"), "{err}");
}

#[test]
fn owner_that_is_not_a_role() {
    let err = broken(
        "content/policies/data-policy.md",
        "owner: security",
        "owner: securty",
    );
    assert!(err.contains("content/policies/data-policy.md:5:8: error[owner-not-a-role]: `securty` is not a defined role\n  help: did you mean `security`?"), "{err}");
    let err = broken(
        "content/training/basics.md",
        "audience: [developers]",
        "audience: [developers, testers]",
    );
    assert!(
        err.contains(
            "content/training/basics.md:3:24: error[unknown-role]: `testers` is not a defined role"
        ),
        "{err}"
    );
}

#[test]
fn out_of_range_scores() {
    let err = broken("content/vendors/acme.md", "score: 4,", "score: 7,");
    assert!(err.contains("content/vendors/acme.md:7:17: error[invalid-content]: scores.auditability: `7` is out of range: expected a whole number from 1 to 5"), "{err}");
    let err = broken(
        "content/risks/leak-risk.md",
        "likelihood: 4",
        "likelihood: 0",
    );
    assert!(
        err.contains(
            "content/risks/leak-risk.md:5:13: error[invalid-content]: `0` is out of range"
        ),
        "{err}"
    );
}

#[test]
fn unknown_ids_and_anchors_in_links() {
    let err = broken(
        "content/guide/intro.md",
        "policy:data-policy#retention",
        "policy:data-polcy#retention",
    );
    assert!(err.contains("content/guide/intro.md:9:10: error[broken-link]: unknown policy `data-polcy`\n  help: did you mean `data-policy`?"), "{err}");
    let err = broken(
        "content/guide/intro.md",
        "policy:data-policy#retention",
        "policy:data-policy#retentio",
    );
    assert!(err.contains("content/guide/intro.md:9:10: error[broken-anchor]: unknown anchor `#retentio` in policy `data-policy`\n  help: did you mean `#retention`?"), "{err}");
    let err = broken(
        "content/guide/intro.md",
        "policy:data-policy#retention",
        "risk:data-policy",
    );
    assert!(
        err.contains(
            "content/guide/intro.md:9:10: error[broken-link]: `data-policy` is a policy, not a risk"
        ),
        "{err}"
    );
    let err = broken(
        "content/training/basics.md",
        "../policies/data-policy.md",
        "../policies/missing.md",
    );
    assert!(err.contains("content/training/basics.md:11:12: error[broken-link]: link to `../policies/missing.md`: no such file in the handbook"), "{err}");
}

#[test]
fn unknown_ids_in_front_matter() {
    let err = broken(
        "content/stages/pilot.md",
        "required_training: [basics]",
        "required_training: [basic]",
    );
    assert!(err.contains("content/stages/pilot.md:11:21: error[unknown-reference]: unknown module `basic`\n  help: did you mean `basics`?"), "{err}");
    let err = broken("content/stages/pilot.md", "kpi: defects", "kpi: defect");
    assert!(
        err.contains("content/stages/pilot.md:8:12: error[gate-unknown-kpi]: unknown kpi `defect`"),
        "{err}"
    );
}

#[test]
fn scorecards_must_score_every_criterion() {
    let err = broken(
        "content/vendors/acme.md",
        "  retention: { score: 2, evidence: Keeps prompts for 90 days. }\n",
        "",
    );
    assert!(
        err.contains("content/vendors/acme.md:6:1: error[scorecard-missing-criterion]: criterion `retention` is not scored"),
        "{err}"
    );
    let err = broken("content/vendors/criteria.yaml", "weight: 40", "weight: 30");
    assert!(
        err.contains(
            "content/vendors/criteria.yaml:1:1: error[criteria-weights]: criteria weights sum to 90: expected 100"
        ),
        "{err}"
    );
}

#[test]
fn yaml_syntax_errors() {
    let err = broken(
        "content/policies/data-policy.md",
        "title: Data policy",
        "title: \"Data policy",
    );
    assert!(
        err.contains("content/policies/data-policy.md:3:11: error[invalid-content]: did not find expected key"),
        "{err}"
    );
    let err = broken(
        "content/policies/data-policy.md",
        "owner: security",
        "\towner: security",
    );
    assert!(
        err.contains("content/policies/data-policy.md:5:1: error[invalid-content]: "),
        "{err}"
    );
}

#[test]
fn files_without_front_matter_are_pages_and_broken_fences_are_errors() {
    let hb = Handbook::fixture("minimal");
    hb.write("content/guide/empty.md", "");
    hb.write("content/guide/no-fence.md", "# Just a heading\n");
    hb.write(
        "content/guide/open.md",
        "---\ntitle: Open\n\nNo closing fence.\n",
    );
    std::fs::write(
        hb.path("content/guide/latin1.md"),
        b"---\ntitle: Caf\xe9\n---\n",
    )
    .unwrap();
    let err = hb.run(&["build"]).fails();
    // Plain Markdown is a page, as in mdBook: only the two broken files are errors.
    assert!(
        !err.contains("empty.md") && !err.contains("no-fence.md"),
        "{err}"
    );
    assert!(err.contains("failed: 2 errors"), "{err}");
    assert!(
        err.contains(
            "content/guide/open.md:1:1: error[invalid-content]: front matter is never closed"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/guide/latin1.md:2:11: error[unreadable-file]: not valid UTF-8 text"),
        "{err}"
    );
    std::fs::remove_file(hb.path("content/guide/open.md")).unwrap();
    std::fs::remove_file(hb.path("content/guide/latin1.md")).unwrap();
    hb.run(&["build"]).ok();
    // Titled by the leading heading (which the page's own title replaces) or the file name.
    let page = hb.read("book/guide/no-fence.html");
    assert!(
        page.contains("<h1 id=\"just-a-heading\">Just a heading</h1>"),
        "{page}"
    );
    assert_eq!(page.matches("Just a heading</h1>").count(), 1);
    assert!(hb.read("book/guide/empty.html").contains("<h1>Empty</h1>"));
}

#[test]
fn crlf_and_bom_just_work() {
    let hb = Handbook::fixture("minimal");
    let text = hb.read("content/guide/intro.md").replace('\n', "\r\n");
    hb.write("content/guide/intro.md", &format!("\u{feff}{text}"));
    hb.run(&["build"]).ok();
    assert!(
        hb.read("book/guide/intro.html")
            .contains("<h2 id=\"overview\">")
    );
}

#[test]
fn every_error_of_a_build_is_reported_together() {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/policies/data-policy.md",
        "owner: security",
        "owner: nobody",
    );
    hb.edit("content/stages/pilot.md", "order: 1", "order: first");
    hb.edit("content/guide/intro.md", "#retention", "#nowhere");
    hb.edit("book.toml", "[book]", "[book]\ntitel = \"x\"");
    let err = hb.run(&["build"]).fails();
    // book.toml is read first: a broken configuration stops before content is read.
    assert!(
        err.contains("book.toml:2:1: error[invalid-config]: unknown field `titel`\n  help: did you mean `title`?"),
        "{err}"
    );
    hb.edit("book.toml", "titel = \"x\"\n", "");
    let err = hb.run(&["build"]).fails();
    assert!(
        err.contains("content/policies/data-policy.md:5:8: error[owner-not-a-role]: `nobody` is not a defined role"),
        "{err}"
    );
    assert!(
        err.contains("content/stages/pilot.md:3:8: error[invalid-content]: order:"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/guide/intro.md:9:10: error[broken-anchor]: unknown anchor `#nowhere`"
        ),
        "{err}"
    );
    assert!(err.ends_with("failed: 3 errors\n"), "{err}");
}

#[test]
fn check_reports_the_same_errors_without_writing() {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/policies/data-policy.md",
        "owner: security",
        "owner: nobody",
    );
    let err = hb.run(&["check"]).fails();
    assert!(
        err.contains("content/policies/data-policy.md:5:8: error[owner-not-a-role]: `nobody` is not a defined role"),
        "{err}"
    );
    assert!(!hb.path("book").exists());
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported() {
    let hb = Handbook::fixture("minimal");
    std::os::unix::fs::symlink(hb.path("content"), hb.path("content/guide/loop")).unwrap();
    let err = hb.run(&["build"]).fails();
    assert!(
        err.contains("content/guide/loop: error[unreadable-file]: symbolic link loop"),
        "{err}"
    );
}
