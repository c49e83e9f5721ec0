//! Policy releases, the archive's integrity, redlines and editions.

mod common;

use common::Handbook;

const POLICY: &str = "content/policies/data-policy.md";

/// The minimal fixture without its policy's archive, to release versions from scratch.
fn fresh() -> Handbook {
    let hb = Handbook::fixture("minimal");
    std::fs::remove_dir_all(hb.path("content/policies/data-policy.versions")).unwrap();
    hb
}

/// The fixture with the policy's body replaced and its version set.
fn with_body(hb: &Handbook, version: &str, changes: &str, body: &str) {
    let text = hb.read(POLICY);
    let end = text[4..].find("\n---\n").unwrap() + 4 + 5;
    let front = text[..end].to_string();
    let front = regex_replace(&front, "version: ", &format!("\"{version}\""));
    let front = regex_replace(&front, "changes: ", changes);
    hb.write(POLICY, &format!("{front}\n{body}"));
}

/// Replaces the value of the line starting with `key`.
fn regex_replace(text: &str, key: &str, value: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with(key) {
                format!("{key}{value}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn release(hb: &Handbook, date: &str) -> String {
    hb.run(&["release", "data-policy", "--date", date]).ok()
}

/// Releases `old` as 1.0, puts `new` in the working file as 1.1, and returns the JSON redline.
fn redline(old: &str, new: &str) -> serde_json::Value {
    let hb = fresh();
    with_body(&hb, "1.0", "First version.", old);
    release(&hb, "2026-01-10");
    with_body(&hb, "1.1", "Second version.", new);
    let out = hb.run(&["diff", "data-policy", "--format", "json"]);
    out.ok();
    serde_json::from_slice(&out.output.stdout).expect("json")
}

/// The changed rows as (status, [(op, text)]).
fn changes(json: &serde_json::Value) -> Vec<(String, Vec<(String, String)>)> {
    json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] != "unchanged")
        .map(|r| {
            let segs = r["segments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["op"].as_str().unwrap().to_string(),
                        s["text"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (r["status"].as_str().unwrap().to_string(), segs)
        })
        .collect()
}

fn seg(op: &str, text: &str) -> (String, String) {
    (op.to_string(), text.to_string())
}

const BASE: &str = "## Purpose\n\nKeep data safe.\n\n## Scope\n\nEveryone.\n\n## Roles and responsibilities\n\nSecurity owns it.\n\n## Policy\n\n### Retention\n\nPrompts are kept for at most 90 days. Logs are reviewed monthly.\n\n### Sharing\n\n| Class | Allowed |\n|---|---|\n| Public | yes |\n| Secret | no |\n\n```bash\nexport TOKEN=abc\n```\n\n## Exceptions\n\nNone.\n\n## References\n\nNone.\n";

#[test]
fn reworded_phrase() {
    let json = redline(BASE, &BASE.replace("at most 90 days", "at most 30 days"));
    assert_eq!(
        changes(&json),
        [(
            "changed".into(),
            vec![
                seg("equal", "Prompts are kept for at most"),
                seg("delete", "90"),
                seg("insert", "30"),
                seg("equal", "days. Logs are reviewed monthly.")
            ]
        )]
    );
    assert_eq!(json["summary"]["sections"][0]["title"], "Retention");
    assert_eq!(json["header"]["from"], "1.0");
    assert_eq!(json["header"]["to"], "current text (version 1.1)");
}

#[test]
fn deleted_sentence() {
    let json = redline(BASE, &BASE.replace(" Logs are reviewed monthly.", ""));
    assert_eq!(
        changes(&json),
        [(
            "changed".into(),
            vec![
                seg("equal", "Prompts are kept for at most 90 days."),
                seg("delete", "Logs are reviewed monthly.")
            ]
        )]
    );
    assert_eq!(json["summary"]["words_removed"], 4);
}

#[test]
fn inserted_clause() {
    let json = redline(
        BASE,
        &BASE.replace(
            "### Sharing",
            "### Deletion\n\nUsers may ask for deletion.\n\n### Sharing",
        ),
    );
    assert_eq!(
        changes(&json),
        [
            ("inserted".into(), vec![seg("insert", "Deletion")]),
            (
                "inserted".into(),
                vec![seg("insert", "Users may ask for deletion.")]
            )
        ]
    );
}

#[test]
fn rewrapped_paragraph_is_no_change() {
    let json = redline(
        BASE,
        &BASE.replace("at most 90 days. Logs", "at most 90\ndays. Logs"),
    );
    assert!(changes(&json).is_empty());
    assert_eq!(json["summary"]["changes"], 0);
}

#[test]
fn moved_section() {
    let moved = BASE
        .replace("## Exceptions\n\nNone.\n", "")
        .replace("## Policy\n", "## Exceptions\n\nNone.\n\n## Policy\n");
    let json = redline(BASE, &moved);
    let statuses: Vec<String> = changes(&json).into_iter().map(|c| c.0).collect();
    assert_eq!(
        statuses,
        ["moved-here", "moved-here", "moved-away", "moved-away"]
    );
    assert_eq!(json["summary"]["words_added"], 0);
}

#[test]
fn changed_table_cell_and_code_block() {
    let json = redline(
        BASE,
        &BASE
            .replace("| Secret | no |", "| Secret | never |")
            .replace("TOKEN=abc", "TOKEN=\"$(vault read token)\""),
    );
    let rows: Vec<&serde_json::Value> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] != "unchanged")
        .collect();
    assert_eq!(rows[0]["kind"]["label"], "Secret · Allowed");
    assert_eq!(
        changes(&json)[0].1,
        [seg("delete", "no"), seg("insert", "never")]
    );
    assert_eq!(rows[1]["kind"]["type"], "code");
    assert_eq!(
        changes(&json)[1].1,
        [
            seg("equal", "export"),
            seg("delete", "TOKEN=abc"),
            seg("insert", "TOKEN=\"$(vault read token)\"")
        ]
    );
}

#[test]
fn changed_link_target_is_shown() {
    let hb = fresh();
    with_body(
        &hb,
        "1.0",
        "First.",
        &BASE.replace("Keep data safe.", "See the [pilot](stage:pilot)."),
    );
    release(&hb, "2026-01-10");
    with_body(
        &hb,
        "1.1",
        "Second.",
        &BASE.replace("Keep data safe.", "See the [pilot](risk:leak-risk)."),
    );
    let out = hb.run(&["diff", "data-policy", "--format", "html"]);
    out.ok();
    let html = String::from_utf8_lossy(&out.output.stdout);
    assert!(html.contains(r#"<del><span class="sr-only">deleted: </span><span class="rl-target">[link → stage:pilot]</span></del>"#), "{html}");
    assert!(html.contains(r#"<ins><span class="sr-only">inserted: </span><span class="rl-target">[link → risk:leak-risk]</span></ins>"#));
}

#[test]
fn terminal_diff_is_readable_without_colour() {
    let hb = fresh();
    with_body(&hb, "1.0", "First.", BASE);
    release(&hb, "2026-01-10");
    with_body(
        &hb,
        "1.1",
        "Shorter retention.",
        &BASE.replace("90 days", "30 days"),
    );
    let out = hb.run(&["diff", "data-policy"]);
    out.ok();
    let text = String::from_utf8_lossy(&out.output.stdout);
    assert!(
        text.contains("§ Retention\n  §4.1: Prompts are kept for at most [-90-] {+30+} days."),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when not on a terminal");
    let md = hb.run(&[
        "diff",
        "data-policy",
        "1.0",
        "current",
        "--format",
        "markdown",
    ]);
    assert!(
        String::from_utf8_lossy(&md.output.stdout)
            .contains("at most <del>90</del> <ins>30</ins> days.")
    );
}

#[test]
fn site_has_history_archived_versions_and_redlines() {
    let hb = fresh();
    with_body(&hb, "1.0", "First version.", BASE);
    release(&hb, "2026-01-10");
    with_body(
        &hb,
        "1.1",
        "Retention cut to 30 days.",
        &BASE.replace("90 days", "30 days"),
    );
    release(&hb, "2026-02-10");
    with_body(
        &hb,
        "1.2",
        "Monthly log review dropped.",
        &BASE
            .replace("90 days", "30 days")
            .replace(" Logs are reviewed monthly.", ""),
    );
    hb.run(&["build"]).ok();

    let history = hb.read("book/policies/data-policy/history.html");
    assert!(
        history.contains(r#"<td><a href="../../policies/data-policy/1.0.html">1.0</a></td>"#),
        "{history}"
    );
    assert!(history.contains("Retention cut to 30 days."));
    assert!(history.contains(
        r#"<a href="../../policies/data-policy/redline-1.0-to-1.1.html">changes in 1.1</a>"#
    ));
    assert!(
        hb.read("book/policies/data-policy/1.0.html")
            .contains("at most 90 days"),
        "archived text is the released one"
    );

    let redline = hb.read("book/policies/data-policy/redline-1.0-to-1.1.html");
    assert!(redline.contains(r#"at most <del><span class="sr-only">deleted: </span>90</del> <ins><span class="sr-only">inserted: </span>30</ins> days."#), "{redline}");
    assert!(redline.contains("<dt>Change</dt><dd>Material: changes obligations</dd>"));
    assert!(
        redline.contains(r#"<button type="button" class="rl-toggle""#),
        "side-by-side is one click away"
    );
    assert!(redline.contains("<table class=\"rl-side\">"));

    // The working text (1.2) differs from the newest release (1.1): shown as a pending draft.
    let current = hb.read("book/policies/data-policy.html");
    assert!(current.contains("Draft with pending changes."), "{current}");
    assert!(current.contains(
        r#"<a href="../policies/data-policy/redline-1.1-to-current.html">See what changed</a>"#
    ));

    let edition = hb.read("book/edition.html");
    assert!(
        edition.contains(r#"<a href="policies/data-policy/redline-1.0-to-1.1.html">1.1</a>"#),
        "{edition}"
    );
    assert!(
        edition.contains("Training to refresh"),
        "a material release after the module's review"
    );
    let feed = hb.read("book/feed.xml");
    assert!(
        feed.contains("<title>Data policy 1.1</title>")
            && feed.contains("<updated>2026-02-10T00:00:00Z</updated>"),
        "{feed}"
    );
    assert!(
        hb.read("book/index.html")
            .contains(r#"<a href="edition.html">What changed in edition 2026.1</a>"#)
    );
}

#[test]
fn release_refuses_what_a_gate_should_refuse() {
    let hb = fresh();
    release(&hb, "2026-03-01");
    // Same version again.
    let err = hb.run(&["release", "data-policy"]).fails();
    assert!(err.contains("error: cannot release `data-policy`: version 1.2 is not greater than the newest release 1.2"), "{err}");
    // An empty summary.
    hb.edit(POLICY, "version: \"1.2\"", "version: \"1.3\"");
    hb.edit(POLICY, "changes: Added a retention limit.\n", "");
    let err = hb.run(&["release", "data-policy"]).fails();
    assert!(err.contains("the change summary is empty"), "{err}");
    // Approved without approvers.
    hb.edit(POLICY, "approvers: [legal]\n", "");
    let err = hb
        .run(&["release", "data-policy", "--summary", "x"])
        .fails();
    assert!(
        err.contains("policy `data-policy` is approved but lists no approvers"),
        "{err}"
    );
    // Not a policy.
    let err = hb.run(&["release", "pilot"]).fails();
    assert!(err.contains("`pilot` is a stage, not a policy"), "{err}");
    // A handbook with errors.
    hb.edit(POLICY, "owner: security", "owner: nobody");
    let err = hb
        .run(&["release", "data-policy", "--summary", "x"])
        .fails();
    assert!(
        err.contains("the handbook has errors") && err.contains("`nobody` is not a defined role"),
        "{err}"
    );
}

#[test]
fn release_never_overwrites_an_archived_file() {
    let hb = fresh();
    hb.write(
        "content/policies/data-policy.versions/1.2.md",
        "stray file\n",
    );
    let err = hb.run(&["release", "data-policy"]).fails();
    assert!(
        err.contains("already exists and archived versions are never overwritten"),
        "{err}"
    );
    assert_eq!(
        hb.read("content/policies/data-policy.versions/1.2.md"),
        "stray file\n"
    );
}

#[test]
fn a_tampered_archive_fails_the_build() {
    let hb = fresh();
    release(&hb, "2026-03-01");
    hb.edit(
        "content/policies/data-policy.versions/1.2.md",
        "30 days",
        "300 days",
    );
    let err = hb.run(&["build"]).fails();
    assert!(err.contains("content/policies/data-policy.versions/1.2.md: error[archive-hash-mismatch]: archived text of version 1.2 no longer matches the sha256 recorded at release"), "{err}");
}

#[test]
fn diff_without_a_release_says_so() {
    let hb = fresh();
    let err = hb.run(&["diff", "data-policy"]).fails();
    assert!(
        err.contains("`data-policy` has no released version yet"),
        "{err}"
    );
}

/// A build reads archived texts again when it needs them: one changed since the load is an error
/// (here for the editorial check), never a finding silently skipped.
#[test]
fn an_archived_text_changed_after_loading_is_an_error_not_a_skipped_check() {
    let hb = fresh();
    with_body(
        &hb,
        "1.0",
        "First version.",
        "## Retention\n\nData is kept for 30 days.\n",
    );
    release(&hb, "2026-01-10");
    with_body(
        &hb,
        "1.1",
        "Wording.",
        "## Retention\n\nData is retained for 30 days.\n",
    );
    hb.run(&[
        "release",
        "data-policy",
        "--date",
        "2026-02-10",
        "--editorial",
    ])
    .ok();
    let handbook = policybook::model(hb.root()).unwrap();
    assert!(!handbook.has_errors(), "{:?}", handbook.diagnostics);
    hb.write(
        "content/policies/data-policy.versions/1.0.md",
        "Data is kept for 90 days.\n",
    );
    let entry = handbook.get("data-policy").unwrap();
    let error = entry.changes_beyond_wording().unwrap_err();
    assert_eq!(
        error.file,
        std::path::Path::new("content/policies/data-policy.versions/1.0.md")
    );
    assert_eq!(error.message, "this file changed while the build ran");
}
