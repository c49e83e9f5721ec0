//! What counsel needs from versions, on the `redlines` fixture: two policies citing each other
//! across releases (retention 1.0, 1.1, 2.0 with the current text equal to 2.0; access 1.0,
//! 1.1 editorial, and a pending 1.2): approval records, no redline between identical texts.

mod common;

use common::Handbook;

const ACCESS: &str = "content/policies/access.md";

fn built() -> Handbook {
    let hb = Handbook::fixture("redlines");
    hb.run(&["build"]).ok();
    hb
}

#[test]
fn approval_records_show_role_titles_names_date_and_reference() {
    let hb = built();
    let signed = r#"<span class="approval"><a href="../../roles/legal.html">Legal counsel</a>: Dana Reyes</span>; <span class="approval"><a href="../../roles/security.html">Information security</a>: Sam Okafor</span><br>Approved on <time datetime="2026-03-18">2026-03-18</time><br>Record: <a href="https://git.example.com/handbook/pull/31">https://git.example.com/handbook/pull/31</a>"#;
    let history = hb.read("book/policies/retention/history.html");
    assert!(history.contains(signed), "{history}");
    assert!(hb.read("book/policies/retention/1.1.html").contains(signed));
    let redline = hb.read("book/policies/retention/redline-1.0-to-1.1.html");
    assert!(
        redline.contains("<dt>Approvers</dt><dd>Legal counsel (Dana Reyes), Information security (Sam Okafor)</dd><dt>Approved on</dt><dd><time datetime=\"2026-03-18\">2026-03-18</time></dd><dt>Approval record</dt><dd><a href=\"https://git.example.com/handbook/pull/31\">https://git.example.com/handbook/pull/31</a></dd>"),
        "{redline}"
    );
    // A reference that is not a web address is kept as text.
    assert!(
        hb.read("book/policies/access/history.html")
            .contains("<br>Record: Minutes of the policy board, 19 January 2026")
    );
    // A release recorded without names still shows its roles by title.
    let editorial = hb.read("book/policies/access/redline-1.0-to-1.1.html");
    assert!(
        editorial.contains("<dt>Approvers</dt><dd>Legal counsel</dd><dt>Change</dt>"),
        "{editorial}"
    );
    let json = hb.run(&["diff", "retention", "1.0", "1.1", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.output.stdout).unwrap();
    assert_eq!(
        json["header"]["approvers"][1]["title"],
        "Information security"
    );
    assert_eq!(json["header"]["approvers"][1]["names"][0], "Sam Okafor");
    assert_eq!(json["header"]["approved_on"], "2026-03-18");
}

#[test]
fn release_records_sign_offs_and_refuses_incomplete_ones() {
    let hb = Handbook::fixture("redlines");
    let release = |extra: &[&str]| {
        let mut args = vec!["release", "access", "--date", "2026-11-20"];
        args.extend_from_slice(extra);
        hb.run(&args)
    };
    let err = release(&["--approved-by", "security=Sam Okafor"]).fails();
    assert!(
        err.contains("cannot release `access`: --approved-by security=Sam Okafor: `security` is not one of the policy's approvers")
            && err.contains("its approvers are: legal"),
        "{err}"
    );
    hb.edit(ACCESS, "approvers: [legal]", "approvers: [legal, security]");
    let err = release(&["--approved-by", "legal=Dana Reyes"]).fails();
    assert!(err.contains("no --approved-by for security"), "{err}");
    let err = release(&[
        "--approved-by",
        "legal=Dana Reyes",
        "--approved-by",
        "security=Sam Okafor",
        "--approved-on",
        "2026-11-21",
    ])
    .fails();
    assert!(
        err.contains("--approved-on 2026-11-21 is after the release date 2026-11-20"),
        "{err}"
    );
    let usage = release(&["--approved-by", "Dana Reyes"]);
    assert_eq!(usage.code(), 2, "{}", usage.stderr());
    assert!(
        usage
            .stderr()
            .contains("expected ROLE=NAME, for example `legal=Dana Reyes`"),
        "{}",
        usage.stderr()
    );
    release(&[
        "--approved-by",
        "legal=Dana Reyes",
        "--approved-by",
        "security=Sam Okafor, CISO",
        "--approved-on",
        "2026-11-19",
        "--reference",
        "https://git.example.com/handbook/pull/77",
    ])
    .ok();
    let manifest = hb.read("content/policies/access.versions/versions.yaml");
    assert!(
        manifest.ends_with("  approved_by:\n  - role: legal\n    name: Dana Reyes\n  - role: security\n    name: Sam Okafor, CISO\n  approved_on: 2026-11-19\n  reference: https://git.example.com/handbook/pull/77\n"),
        "{manifest}"
    );
}

#[test]
fn a_sign_off_for_a_role_that_did_not_approve_is_an_error_at_its_line() {
    let hb = Handbook::fixture("redlines");
    hb.edit(
        "content/policies/retention.versions/versions.yaml",
        "  - role: security\n    name: Lee Park",
        "  - role: records\n    name: Lee Park",
    );
    let err = hb.run(&["build"]).fails();
    assert!(
        err.contains("content/policies/retention.versions/versions.yaml:37:1: error[invalid-content]: version 2.0 is approved by Lee Park for `records`, which is not one of its approvers"),
        "{err}"
    );
}

#[test]
fn no_redline_is_made_between_identical_texts() {
    let hb = built();
    // Retention's working text is its release 2.0, re-wrapped: the same wording.
    let history = hb.read("book/policies/retention/history.html");
    assert!(
        history.contains(r#"<span class="rl-same">current text = version 2.0</span>"#),
        "{history}"
    );
    assert!(!history.contains("redline-2.0-to-current.html"));
    assert!(
        !hb.path("book/policies/retention/redline-2.0-to-current.html")
            .exists()
    );
    assert!(history.contains(
        r#"<a href="../../policies/retention/redline-1.1-to-current.html">1.1 → current</a>"#
    ));
    assert!(
        hb.path("book/policies/retention/redline-1.1-to-current.html")
            .exists()
    );
    // A version raised without a change in wording is pending, but points at the history.
    hb.edit(
        "content/policies/retention.md",
        "version: \"2.0\"",
        "version: \"2.1\"",
    );
    hb.run(&["build"]).ok();
    let page = hb.read("book/policies/retention.html");
    assert!(
        page.contains(r#"<a href="../policies/retention/history.html">See what changed</a>"#),
        "{page}"
    );
    assert!(
        !hb.path("book/policies/retention/redline-2.0-to-current.html")
            .exists()
    );
}

/// Puts `from` → `to` in the access policy's working text and releases it as editorial.
fn release_editorial(hb: &Handbook, from: &str, to: &str) -> common::Run {
    hb.edit(ACCESS, from, to);
    hb.run(&[
        "release",
        "access",
        "--editorial",
        "--date",
        "2026-11-20",
        "--summary",
        "Reworded.",
    ])
}

#[test]
fn an_editorial_release_that_changes_a_number_or_an_obligation_is_refused() {
    let hb = Handbook::fixture("redlines");
    let err = release_editorial(
        &hb,
        "Access must be approved by the team lead and by security.",
        "Access may be approved by the team lead and by security.",
    )
    .fails();
    assert!(
        err.contains("error: cannot release `access`: --editorial, but the change from 1.1 is more than wording: §2.1 “Granting access”: `must` → `may`"),
        "{err}"
    );
    assert!(!hb.path("content/policies/access.versions/1.2.md").exists());

    let hb = Handbook::fixture("redlines");
    let err = release_editorial(
        &hb,
        "## Exceptions\n\nNone.",
        "## Exceptions\n\nNone for 30 days.",
    )
    .fails();
    assert!(err.contains("§3 “Exceptions”: adds `30`, `days`"), "{err}");

    // Rewording that keeps every number and obligation word goes through.
    let hb = Handbook::fixture("redlines");
    hb.edit(
        ACCESS,
        "Access must be approved by the team lead and by security.",
        "Access must be approved by the lead of the team and by security.",
    );
    hb.edit(
        ACCESS,
        "Control who can use the coding assistant and its logs.",
        "Control who can use the coding assistant and its logs here.",
    );
    release_editorial(&hb, "None.", "None at all.").ok();
}

/// The redline JSON of retention `from` → `to`.
fn diff_json(hb: &Handbook, from: &str, to: &str) -> serde_json::Value {
    let out = hb.run(&["diff", "retention", from, to, "--format", "json"]);
    out.ok();
    serde_json::from_slice(&out.output.stdout).expect("json")
}

/// The changed rows as (status, old clause, new clause).
fn clauses(json: &serde_json::Value) -> Vec<(String, String, String)> {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_string();
    json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] != "unchanged")
        .map(|r| (s(&r["status"]), s(&r["old_clause"]), s(&r["new_clause"])))
        .collect()
}

fn row(status: &str, old: &str, new: &str) -> (String, String, String) {
    (status.into(), old.into(), new.into())
}

#[test]
fn redlines_cite_clause_numbers_for_insertions_deletions_and_moves() {
    let hb = built();
    // 1.1 inserted §2.2 (so Backups went from §2.2 to §2.3) and deleted Backups' item 3.
    let json = diff_json(&hb, "1.0", "1.1");
    assert_eq!(
        clauses(&json),
        [
            row("changed", "2.1", "2.1"),
            row("inserted", "-", "2.2"),
            row("inserted", "-", "2.2"),
            row("deleted", "2.2 item 3", "-"),
        ]
    );
    let renumbered = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["new"] == "Backups")
        .unwrap();
    assert_eq!(
        (&renumbered["old_clause"], &renumbered["new_clause"]),
        (&"2.2".into(), &"2.3".into())
    );
    assert_eq!(json["summary"]["sections"][1]["clause"], "2.2");
    // 2.0 moved Prompt logs from §2.1 to §2.3.
    assert_eq!(
        clauses(&diff_json(&hb, "1.1", "2.0")),
        [
            row("moved-away", "2.1", "2.3"),
            row("moved-away", "2.1", "2.3"),
            row("moved-here", "2.1", "2.3"),
            row("moved-here", "2.1", "2.3"),
        ]
    );

    let html = hb.read("book/policies/retention/redline-1.0-to-1.1.html");
    for expected in [
        r##"<p class="rl-changed" id="change-1"><span class="rl-clause">§2.1</span> Prompt logs must be deleted after"##,
        r##"<h3 class="rl-inserted" id="change-2"><span class="rl-clause">§2.2</span> <ins>"##,
        r##"<h3 class="rl-unchanged"><span class="rl-clause">§2.3, was §2.2</span> Backups</h3>"##,
        r##"<p class="rl-li rl-deleted" id="change-4"><span class="rl-clause">was §2.2 item 3</span> <del>"##,
        r##"<li><a href="#change-2">§2.2 Chat transcripts</a> <span class="muted">+10 −0</span> <span class="rl-cites"><a href="#change-2">§2.2</a>, <a href="#change-3">§2.2</a></span></li>"##,
        r##"<span class="rl-cites"><a href="#change-4">was §2.2 item 3</a></span>"##,
    ] {
        assert!(html.contains(expected), "{expected}\n{html}");
    }
    let moved = hb.read("book/policies/retention/redline-1.1-to-2.0.html");
    assert!(
        moved.contains(r#"<span class="rl-note">moved here</span> <span class="rl-clause">§2.3, was §2.1</span> Prompt logs must be deleted after 30 days."#),
        "{moved}"
    );
    assert!(moved.contains(r#"<span class="rl-clause">§2.1, moved to §2.3</span>"#));

    let text = hb.run(&["diff", "retention", "1.0", "1.1"]);
    let text = String::from_utf8_lossy(&text.output.stdout);
    assert!(
        text.contains("§ Backups\n  was §2.2 item 3: [-Backup copies may leave the region.-]"),
        "{text}"
    );
    let md = hb.run(&["diff", "retention", "1.1", "2.0", "--format", "markdown"]);
    assert!(
        String::from_utf8_lossy(&md.output.stdout).contains(
            "- *(moved here)* §2.3, was §2.1: Prompt logs must be deleted after 30 days."
        )
    );
}

#[test]
fn archived_versions_show_when_they_were_in_force_and_cite_the_rules_of_their_day() {
    let hb = built();
    let v10 = hb.read("book/policies/retention/1.0.html");
    assert!(
        v10.contains(r#"<dt>In force</dt><dd class="in-force">from <time datetime="2026-01-15">2026-01-15</time> until <time datetime="2026-04-01">2026-04-01</time>, when version 1.1 took effect</dd>"#),
        "{v10}"
    );
    assert!(
        hb.read("book/policies/retention/2.0.html")
            .contains(r#"<dd class="in-force">from <time datetime="2026-07-01">2026-07-01</time>: the newest release</dd>"#)
    );
    // Retention 1.0 took effect on 2026-01-15, before any access policy: its current text.
    assert!(
        v10.contains(r##"<a href="../../policies/access.html#granting-access" title="Access policy: current text; no version of it was in force on 2026-01-15">access policy</a>"##),
        "{v10}"
    );
    // Access 1.0 (2026-02-01) cites retention 1.0; access 1.1 (2026-05-01) cites retention 1.1.
    assert!(
        hb.read("book/policies/access/1.0.html")
            .contains(r##"<a href="../../policies/retention/1.0.html#prompt-logs" title="Retention policy version 1.0, in force on 2026-02-01">retention policy</a>"##)
    );
    assert!(
        hb.read("book/policies/access/1.1.html")
            .contains(r##"<a href="../../policies/retention/1.1.html#prompt-logs" title="Retention policy version 1.1, in force on 2026-05-01">retention policy</a>"##)
    );
    // The current text links to the current text.
    assert!(
        hb.read("book/policies/access.html")
            .contains(r##"<a href="../policies/retention.html#prompt-logs">retention policy</a>"##)
    );
    let history = hb.read("book/policies/retention/history.html");
    assert!(
        history.contains(r#"<td><time datetime="2026-01-15">2026-01-15</time> to <time datetime="2026-04-01">2026-04-01</time></td>"#),
        "{history}"
    );
}

#[test]
fn build_as_of_a_day_shows_the_versions_then_in_force() {
    let hb = Handbook::fixture("redlines");
    let banner = |day: &str| {
        format!(
            r#"<p class="notice notice-as-of" role="note"><strong>The handbook as it stood on <time datetime="{day}">{day}</time>.</strong>"#
        )
    };
    // The day before retention 1.1 took effect (2026-04-01): 1.0, with 90 days.
    hb.run(&["build", "--as-of", "2026-03-31"]).ok();
    let page = hb.read("book/policies/retention.html");
    assert!(
        page.contains("Prompt logs must be deleted after 90 days."),
        "{page}"
    );
    assert!(!page.contains("Chat transcripts"));
    assert!(page.contains(&banner("2026-03-31")));
    assert!(hb.read("book/index.html").contains(&banner("2026-03-31")));
    assert!(!hb.path("book/policies/retention/1.1.html").exists());
    let history = hb.read("book/policies/retention/history.html");
    assert!(
        !history.contains("1.1"),
        "nothing released later: {history}"
    );
    // Access 1.0 was in force; its 1.1 (2026-05-01) and draft 1.2 were not.
    let access = hb.read("book/policies/access.html");
    assert!(
        access.contains("Access must be approved by the team lead.")
            && !access.contains("and by security"),
        "{access}"
    );
    // The day it took effect: 1.1, with 30 days and the new clause.
    hb.run(&["build", "--as-of", "2026-04-01"]).ok();
    let page = hb.read("book/policies/retention.html");
    assert!(
        page.contains("Prompt logs must be deleted after 30 days."),
        "{page}"
    );
    assert!(page.contains("Chat transcripts"));
    assert!(hb.path("book/policies/retention/1.1.html").exists());
    assert!(!hb.path("book/policies/retention/2.0.html").exists());
    // Without --as-of, no banner.
    hb.run(&["build"]).ok();
    assert!(!hb.read("book/index.html").contains("notice-as-of"));

    let bad = hb.run(&["build", "--as-of", "2026-13-01"]);
    assert_eq!(bad.code(), 2, "{}", bad.stderr());
    assert!(bad.stderr().contains("--as-of"), "{}", bad.stderr());
}

#[test]
fn any_two_versions_can_be_compared_without_javascript() {
    let hb = built();
    let history = hb.read("book/policies/retention/history.html");
    let list: Vec<&str> = history
        .split("<li><a href=\"../../policies/retention/redline-")
        .skip(1)
        .map(|l| l.split('"').next().unwrap())
        .collect();
    assert_eq!(
        list,
        [
            "1.0-to-1.1.html",
            "1.0-to-2.0.html",
            "1.0-to-current.html",
            "1.1-to-2.0.html",
            "1.1-to-current.html"
        ],
        "every pair but the identical 2.0 → current: {history}"
    );
    assert!(history.contains(r#"<summary>Every comparison (5)</summary>"#));
    assert!(
        history.contains(r#"<form class="compare-form" hidden>"#),
        "shown by script"
    );
    for pair in &list {
        assert!(
            hb.path(&format!("book/policies/retention/redline-{pair}"))
                .exists(),
            "{pair}"
        );
    }
    let skip = hb.read("book/policies/retention/redline-1.0-to-2.0.html");
    // Two releases apart: 1.1's deletion and 2.0's new place of the prompt-logs clause.
    assert!(
        skip.contains("<dt>Versions</dt><dd>1.0 → 2.0</dd>")
            && skip.contains(r#"<span class="rl-clause">was §2.2 item 3</span>"#)
            && skip.contains(r#"<span class="rl-clause">§2.3</span> <ins><span class="sr-only">inserted: </span>Prompt logs must be deleted after 30 days.</ins>"#),
        "{skip}"
    );
}

#[test]
fn print_html_holds_the_handbook_with_a_document_control_block_per_policy() {
    let hb = built();
    let print = hb.read("book/print.html");
    let order: Vec<&str> = print
        .split("<section class=\"print-page print-kind-")
        .skip(1)
        .map(|s| s.split('"').nth(2).unwrap())
        .collect();
    assert_eq!(order, ["print-index", "print-access", "print-retention"]);
    // Retention's text is its release 2.0: the approved text's hash and who signed it.
    let control = r#"<tr><th scope="row">Document</th><td><code>retention</code></td><th scope="row">Version</th><td>2.0</td></tr>
<tr><th scope="row">Status</th><td>Approved</td><th scope="row">Classification</th><td>Not classified</td></tr>
<tr><th scope="row">Owner</th><td>Records management</td><th scope="row">Approvers</th><td>Legal counsel: Dana Reyes; Information security: Lee Park</td></tr>
<tr><th scope="row">Effective</th><td><time datetime="2026-07-01">2026-07-01</time></td><th scope="row">Next review</th><td><time datetime="2027-07-01">2027-07-01</time></td></tr>
<tr><th scope="row">sha256</th><td colspan="3"><code class="hash">f9d868a6c3e0a4f64202db6e09c16f412933641d8c542c874d081ca47a4813ed</code> <span class="muted">of the approved text of version 2.0</span></td></tr>"#;
    assert!(print.contains(control), "{print}");
    // The same block heads the policy's own page (shown in print by the stylesheet).
    assert!(hb.read("book/policies/retention.html").contains(control));
    // Access's working text (1.2) is not released: the working file's hash, no names.
    assert!(
        print.contains(r#"<td>Legal counsel</td></tr>"#)
            && print.contains("of the working file: this text is not released"),
        "{print}"
    );
    // Anchors are the page's own, prefixed: no two pages share one.
    assert!(print.contains(r#"id="print-retention-prompt-logs""#));
    assert!(
        print.contains(r#"id="print-access-purpose""#)
            && print.contains(r#"id="print-retention-purpose""#)
    );
    let css = hb.read("book/static/style.css");
    assert!(css.contains("@media print {\n  .item .doc-control { display: block;"));
    assert!(css.contains(
        ".rl-inline > .rl-changed, .rl-inline > .rl-moved { border-left: 3px solid #000 !important;"
    ));
}
