//! What applies to whom: role pages, acknowledgements, the exceptions register and framework
//! pages, as a reader (or an HR system) sees them.

mod common;

use common::Handbook;
use serde_json::Value;

const TODAY: &str = "2026-11-24";

/// The minimal fixture with a policy for developers, one for legal, and modules for each,
/// `advanced` needing `basics` (navigation order would put it first: "Advanced" < "Basics").
fn people() -> Handbook {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/policies/data-policy.md",
        "approvers: [legal]\n",
        "approvers: [legal]\naudience: [developers]\n",
    );
    hb.write(
        "content/policies/contract-policy.md",
        "---\ntitle: Contract policy\nversion: \"0.1\"\nstatus: draft\nowner: legal\neffective: 2026-06-01\nreview_every: 12 months\naudience: [legal]\n---\n\n## Purpose\n\nContracts.\n",
    );
    hb.write(
        "content/training/advanced.md",
        "---\ntitle: Advanced\nowner: security\naudience: [developers]\nduration_minutes: 60\nobjectives: [Review generated code]\nprerequisites: [basics]\nrefresh_every: 2 years\n---\n\nText.\n",
    );
    hb.write(
        "content/training/contracts.md",
        "---\ntitle: Contracts module\nowner: legal\naudience: [legal]\nduration_minutes: 20\nobjectives: [Read contracts]\n---\n\nText.\n",
    );
    hb
}

fn build(hb: &Handbook) {
    hb.run(&["build", "--today", TODAY]).ok();
}

/// The hrefs of `<a>` elements inside the section of `html` that starts at `heading`.
fn section_links(html: &str, heading: &str) -> Vec<String> {
    let start = html
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading}: {html}"));
    let section = &html[start..];
    let end = ["</section>", "</nav>"]
        .iter()
        .filter_map(|t| section.find(t))
        .min()
        .unwrap_or(section.len());
    common::attribute_values(&section[..end], "href=\"")
}

#[test]
fn a_role_page_lists_exactly_its_policies_and_training_in_prerequisite_order() {
    let hb = people();
    build(&hb);
    let page = hb.read("book/roles/developers.html");
    assert_eq!(
        section_links(&page, "Policies you must follow"),
        vec!["../policies/data-policy.html"],
        "{page}"
    );
    // Prerequisites first, with the refresh cycle of each module.
    assert_eq!(
        section_links(&page, "Training to take, in order"),
        vec![
            "../training/basics.html",
            "../training/advanced.html",
            "../training/basics.html"
        ],
        "{page}"
    );
    assert!(page.contains("45 minutes · retake every 1 year"), "{page}");
    assert!(page.contains("60 minutes · retake every 2 years · after"));
    // Version, effective date and acknowledgement of the policy in force.
    assert!(page.contains("<td>1.2</td>"), "{page}");
    assert!(page.contains(r#"<time datetime="2026-03-01">"#));
    assert!(page.contains("Required for version 1.2"));
    // Adding `audience` changed only the front matter: no pending changes.
    assert!(!page.contains("pending changes"), "{page}");
    // The pilot requires the policy and the module, both for developers.
    assert_eq!(
        section_links(&page, "What each rollout stage requires of you"),
        vec![
            "../stages/pilot.html",
            "../policies/data-policy.html",
            "../training/basics.html"
        ]
    );

    let legal = hb.read("book/roles/legal.html");
    assert_eq!(
        section_links(&legal, "Policies you must follow"),
        vec!["../policies/contract-policy.html"]
    );
    assert_eq!(
        section_links(&legal, "Training to take, in order"),
        vec!["../training/contracts.html"]
    );
    // A draft needs no acknowledgement; legal approves the data policy and requires nothing
    // in the pilot.
    assert!(legal.contains("<td>Not required</td>"), "{legal}");
    assert_eq!(
        section_links(&legal, r#"id="pb-approves""#),
        vec!["../policies/data-policy.html"]
    );
    assert!(!legal.contains("What each rollout stage requires of you"));
}

#[test]
fn role_links_lead_to_role_pages_and_the_home_page_offers_them() {
    let hb = people();
    build(&hb);
    let home = hb.read("book/index.html");
    assert_eq!(
        section_links(&home, "I am a…")
            .into_iter()
            .filter(|h| h.starts_with("roles/"))
            .collect::<Vec<_>>(),
        vec![
            "roles/security.html",
            "roles/legal.html",
            "roles/developers.html"
        ],
        "{home}"
    );
    let roles = hb.read("book/roles.html");
    assert!(roles.contains(r#"<a href="roles/developers.html">Developers</a>"#));
    let policy = hb.read("book/policies/data-policy.html");
    assert!(policy.contains(r#"<dt>Owner</dt><dd><a href="../roles/security.html">Security</a>"#));
    assert!(
        policy.contains(
            r#"<dt>Audience</dt><dd><a href="../roles/developers.html">Developers</a></dd>"#
        ),
        "{policy}"
    );
    assert!(common::broken_links(&hb.path("book")).is_empty());
    // Without frameworks, no framework column and no framework pages.
    assert!(
        !hb.read("book/traceability.html")
            .contains("Framework controls")
    );
    assert!(!hb.path("book/frameworks").exists());
    assert!(!hb.read("book/dashboard.html").contains("Exceptions"));
}

#[test]
fn an_unknown_audience_role_is_reported_at_its_line() {
    let hb = people();
    hb.edit(
        "content/policies/data-policy.md",
        "audience: [developers]",
        "audience: [developpers]",
    );
    let run = hb.run(&["check", "--today", TODAY]);
    let err = run.fails();
    assert!(
        err.contains("content/policies/data-policy.md:7:12: error[unknown-role]: `developpers` is not a defined role"),
        "{err}"
    );
    assert!(err.contains("did you mean `developers`?"), "{err}");
}

fn acknowledgements(hb: &Handbook) -> Value {
    serde_json::from_str(&hb.read("book/acknowledgements.json")).unwrap()
}

/// The sha256 recorded for `version` in the data policy's archive manifest.
fn sha(hb: &Handbook, version: &str) -> String {
    let manifest = hb.read("content/policies/data-policy.versions/versions.yaml");
    let at = manifest
        .find(&format!("version: '{version}'"))
        .unwrap_or_else(|| panic!("{manifest}"));
    let line = manifest[at..]
        .lines()
        .find(|l| l.trim_start().starts_with("sha256:"))
        .unwrap();
    line.trim_start()["sha256:".len()..].trim().to_string()
}

/// Bumps the data policy to `version` with `from` replaced by `to` in its text.
fn bump(hb: &Handbook, old: &str, version: &str, from: &str, to: &str) {
    hb.edit(
        "content/policies/data-policy.md",
        &format!("version: \"{old}\""),
        &format!("version: \"{version}\""),
    );
    hb.edit("content/policies/data-policy.md", from, to);
}

#[test]
fn acknowledgements_json_follows_material_releases_only() {
    let hb = people();
    hb.append(
        "book.toml",
        "acknowledge-url-template = \"https://hr.example.com/ack?policy={id}&v={version}&h={sha256}\"\n",
    );
    build(&hb);
    let sha12 = sha(&hb, "1.2");
    let record = |version: &str, sha: &str, since: &str| {
        serde_json::json!({
            "id": "data-policy",
            "title": "Data policy",
            "version": version,
            "sha256": sha,
            "effective": "2026-03-01",
            "audience": ["developers"],
            "valid_since": since,
            "url": "policies/data-policy.html",
            "acknowledge_url": format!("https://hr.example.com/ack?policy=data-policy&v={version}&h={sha}"),
        })
    };
    assert_eq!(
        acknowledgements(&hb),
        serde_json::json!({
            "schema": "policybook-acknowledgements/1",
            "edition": "2026.1",
            "policies": [record("1.2", &sha12, "1.2")],
        })
    );
    let policy = hb.read("book/policies/data-policy.html");
    assert!(
        policy.contains(&format!(
            r#"<a class="button acknowledge" href="https://hr.example.com/ack?policy=data-policy&amp;v=1.2&amp;h={sha12}">Acknowledge</a>"#
        )),
        "{policy}"
    );

    // An editorial release: a new version to read, but earlier acknowledgements still hold.
    bump(&hb, "1.2", "1.3", "Keep data safe.", "Keep the data safe.");
    hb.run(&[
        "release",
        "data-policy",
        "--editorial",
        "--summary",
        "Wording.",
        "--date",
        "2026-04-01",
    ])
    .ok();
    build(&hb);
    let sha13 = sha(&hb, "1.3");
    assert_eq!(
        acknowledgements(&hb)["policies"],
        serde_json::json!([record("1.3", &sha13, "1.2")])
    );

    // A material release: everyone acknowledges again.
    bump(&hb, "1.3", "1.4", "at most 30 days", "at most 7 days");
    hb.run(&[
        "release",
        "data-policy",
        "--summary",
        "Shorter retention.",
        "--date",
        "2026-05-01",
    ])
    .ok();
    build(&hb);
    let sha14 = sha(&hb, "1.4");
    assert_eq!(
        acknowledgements(&hb)["policies"],
        serde_json::json!([record("1.4", &sha14, "1.4")])
    );

    // `acknowledge: false` leaves the policy out.
    hb.edit(
        "content/policies/data-policy.md",
        "audience: [developers]",
        "audience: [developers]\nacknowledge: false",
    );
    build(&hb);
    assert_eq!(acknowledgements(&hb)["policies"], serde_json::json!([]));
}

#[test]
fn a_handbook_without_roles_has_no_role_pages_and_links_to_none() {
    let hb = Handbook::fixture("mdbook");
    hb.run(&["build"]).ok();
    let dest = hb.path("book");
    assert!(!dest.join("roles").exists());
    assert!(!dest.join("acknowledgements.json").exists());
    assert!(!hb.read("book/index.html").contains("I am a"));
    assert!(common::broken_links(&dest).is_empty());
}

/// An exception to the data policy's retention clause, held by developers.
fn exception(approved_by: &str, granted: &str, expires: &str, status: &str) -> String {
    format!(
        "---\ntitle: Legacy export\nowner: developers\npolicy: policy:data-policy#retention\napproved_by: {approved_by}\ngranted: {granted}\nexpires: {expires}\nreason: A legacy job keeps prompts longer.\nstatus: {status}\n---\n\nText.\n"
    )
}

/// `check --format json --today TODAY` on `hb`: the (rule, file:line) of each finding.
fn check(hb: &Handbook) -> Vec<(String, String)> {
    let run = hb.run(&["check", "--format", "json", "--today", TODAY]);
    let report: Value = serde_json::from_slice(&run.output.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                format!("{}:{}", f["file"].as_str().unwrap(), f["line"]),
            )
        })
        .collect()
}

const EXCEPTION: &str = "content/exceptions/legacy-export.md";

#[test]
fn an_exception_expires_the_day_after_its_expiry_date_unless_closed() {
    let hb = Handbook::fixture("minimal");
    hb.write(
        EXCEPTION,
        &exception("legal", "2026-06-01", TODAY, "approved"),
    );
    assert_eq!(check(&hb), vec![], "due today is not yet expired");
    hb.write(
        EXCEPTION,
        &exception("legal", "2026-06-01", "2026-11-23", "approved"),
    );
    assert_eq!(
        check(&hb),
        vec![("exception-expired".into(), format!("{EXCEPTION}:7"))]
    );
    hb.write(
        EXCEPTION,
        &exception("legal", "2026-06-01", "2026-11-23", "closed"),
    );
    assert_eq!(check(&hb), vec![]);
}

#[test]
fn an_exception_may_run_for_max_exception_and_not_a_day_more() {
    let hb = Handbook::fixture("minimal");
    hb.write(
        EXCEPTION,
        &exception("legal", "2026-01-01", "2027-01-01", "approved"),
    );
    assert_eq!(check(&hb), vec![], "exactly one year");
    hb.write(
        EXCEPTION,
        &exception("legal", "2026-01-01", "2027-01-02", "approved"),
    );
    assert_eq!(
        check(&hb),
        vec![("exception-too-long".into(), format!("{EXCEPTION}:7"))]
    );
    hb.append("book.toml", "\n[check]\nmax-exception = \"2 years\"\n");
    assert_eq!(check(&hb), vec![]);
    hb.write(
        EXCEPTION,
        &exception("legal", "2026-01-01", "2025-12-31", "requested"),
    );
    assert_eq!(
        check(&hb),
        vec![("invalid-content".into(), format!("{EXCEPTION}:7"))]
    );
}

#[test]
fn an_exception_cites_an_existing_clause() {
    let hb = Handbook::fixture("minimal");
    hb.write(
        EXCEPTION,
        &exception("legal", "2026-06-01", "2026-12-31", "approved")
            .replace("#retention", "#retenton"),
    );
    let err = hb.run(&["check", "--today", TODAY]).fails();
    assert!(
        err.contains(&format!("{EXCEPTION}:4:9: error[broken-anchor]: unknown anchor `#retenton` in policy `data-policy`")),
        "{err}"
    );
    assert!(err.contains("did you mean `#retention`?"), "{err}");
}

#[test]
fn the_register_sorts_exceptions_by_where_they_stand() {
    let hb = people();
    let write = |id: &str, expires: &str, status: &str| {
        hb.write(
            &format!("content/exceptions/{id}.md"),
            &exception("legal", "2026-06-01", expires, status).replace("Legacy export", id),
        )
    };
    write("open-one", "2027-03-01", "approved");
    write("requested-one", "2027-02-01", "requested");
    write("soon-one", "2026-12-24", "approved");
    write("late-one", "2026-11-20", "approved");
    write("closed-one", "2026-10-01", "closed");
    write("rejected-one", "2026-12-01", "rejected");
    hb.run(&["build", "--today", TODAY]).ok();
    let register = hb.read("book/exceptions/index.html");
    let group = |heading: &str| -> Vec<String> {
        section_links(&register, heading)
            .into_iter()
            .filter(|h| h.starts_with("../exceptions/"))
            .collect()
    };
    assert_eq!(
        group(r#"id="pb-open""#),
        vec![
            "../exceptions/requested-one.html",
            "../exceptions/open-one.html"
        ]
    );
    assert_eq!(
        group(r#"id="pb-expiring""#),
        vec!["../exceptions/soon-one.html"]
    );
    assert!(register.contains("2026-12-24 <span class=\"muted\">(in 30 days)</span>"));
    assert_eq!(
        group(r#"id="pb-expired""#),
        vec!["../exceptions/late-one.html"]
    );
    assert!(register.contains("(4 days ago)"), "{register}");
    assert_eq!(
        group(r#"id="pb-closed""#),
        vec![
            "../exceptions/closed-one.html",
            "../exceptions/rejected-one.html"
        ]
    );
    // Each clause is cited with its number and heading, and each exception is on its policy's
    // page and on the page of the role holding it.
    assert!(
        register.contains(
            r#"<a href="../policies/data-policy.html#retention">Data policy §2.1 Retention</a>"#
        ),
        "{register}"
    );
    let policy = hb.read("book/policies/data-policy.html");
    assert_eq!(
        common::attribute_values(&note_after(&policy, "retention"), "href=\"").len(),
        6,
        "{policy}"
    );
    let developers = hb.read("book/roles/developers.html");
    assert!(developers.contains("Exceptions you hold"));
    assert!(developers.contains(r#"<a href="../exceptions/late-one.html">late-one</a>"#));
    // The dashboard counts each section.
    let dashboard = hb.read("book/dashboard.html");
    assert!(
        dashboard.contains(
            r#"<a href="exceptions/index.html#pb-expired">Expired</a>: <strong>1</strong>"#
        ),
        "{dashboard}"
    );
    assert!(dashboard.contains("Closed and rejected</a>: <strong>2</strong>"));
    let page = hb.read("book/exceptions/late-one.html");
    assert!(page.contains("expired 4 days ago"), "{page}");
}

#[test]
fn a_readme_or_index_in_a_kind_folder_is_its_intro_page_not_an_item() {
    let hb = Handbook::fixture("minimal");
    hb.write(
        EXCEPTION,
        &exception("legal", "2026-06-01", "2026-12-31", "approved"),
    );
    hb.write(
        "content/exceptions/README.md",
        "---\ntitle: How exceptions are granted\n---\n\nAsk the policy's approvers.\n",
    );
    // `index.md` names the home page too: the one at the top keeps its id.
    hb.write(
        "content/policies/index.md",
        "---\ntitle: About our policies\n---\n\nRead them all.\n",
    );
    assert_eq!(check(&hb), vec![]);
    build(&hb);
    let register = hb.read("book/exceptions/index.html");
    assert!(register.contains(r#"id="pb-open""#), "{register}");
    assert!(!register.contains("Ask the policy's approvers"));
    let intro = hb.read("book/exceptions/index-page.html");
    assert!(
        intro.contains(">How exceptions are granted</h1>"),
        "{intro}"
    );
    assert!(intro.contains("Ask the policy's approvers."));
    let about = hb.read("book/policies/index-page.html");
    assert!(about.contains("Read them all."), "{about}");
    assert!(hb.read("book/index.html").contains("Start with the"));

    // Fields of the folder's kind on its intro page: an error at the field, saying how to make
    // it an item of that kind.
    hb.write(
        "content/exceptions/README.md",
        "---\ntitle: How exceptions are granted\nowner: developers\npolicy: policy:data-policy\n---\n\nText.\n",
    );
    let err = hb.run(&["check", "--today", TODAY]).fails();
    assert!(
        err.contains("content/exceptions/README.md:4:1: error[unknown-field]: unknown field `policy`\n  help: `README.md` introduces its folder and is read as a page; add `kind: exception` if it is meant to be one"),
        "{err}"
    );
    hb.edit(
        "content/exceptions/README.md",
        "owner:",
        "kind: exception\napproved_by: legal\ngranted: 2026-06-01\nexpires: 2026-12-31\nreason: Legacy.\nowner:",
    );
    assert_eq!(check(&hb), vec![]);
    build(&hb);
    assert!(
        hb.read("book/exceptions/index.html")
            .contains(r#"href="../exceptions/readme.html""#)
    );
}

/// The exception note placed right after the heading `id` of a rendered page (empty if none).
fn note_after(html: &str, id: &str) -> String {
    let heading = html
        .find(&format!(" id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no heading #{id}: {html}"));
    let after = &html[heading..];
    let after = &after[after.find("</h").unwrap()..];
    let after = &after[after.find(">\n").unwrap() + 2..];
    if !after.starts_with(r#"<div class="exception-note" role="note""#) {
        return String::new();
    }
    after[..after.find("</div>").unwrap() + 6].to_string()
}

#[test]
fn a_policy_page_shows_each_exception_under_the_clause_it_cites() {
    let hb = people();
    let write = |id: &str, clause: &str, expires: &str, status: &str| {
        hb.write(
            &format!("content/exceptions/{id}.md"),
            &exception("legal", "2026-06-01", expires, status)
                .replace("Legacy export", id)
                .replace("policy:data-policy#retention", clause),
        )
    };
    write(
        "closed-one",
        "policy:data-policy#retention",
        "2026-10-01",
        "closed",
    );
    write(
        "soon-one",
        "policy:data-policy#retention",
        "2026-12-24",
        "approved",
    );
    write(
        "scope-one",
        "policy:data-policy#scope",
        "2026-11-20",
        "approved",
    );
    write("whole-one", "policy:data-policy", "2027-03-01", "approved");
    build(&hb);
    let page = hb.read("book/policies/data-policy.html");

    // Right under the Retention heading: its two exceptions, the one in force first, with the
    // role holding it and its expiry; nothing under the headings no exception cites.
    let retention = note_after(&page, "retention");
    assert!(
        retention.contains(r#"aria-label="Exceptions to this section""#),
        "{page}"
    );
    assert_eq!(
        common::attribute_values(&retention, "href=\""),
        vec![
            "../exceptions/soon-one.html",
            "../exceptions/closed-one.html"
        ],
        "{retention}"
    );
    assert!(
        retention.contains(
            r#"expires <time datetime="2026-12-24">2026-12-24</time>, in 30 days; held by Developers"#
        ),
        "{retention}"
    );
    assert!(
        retention.contains("closed; was held by Developers"),
        "{retention}"
    );
    let scope = note_after(&page, "scope");
    assert_eq!(
        common::attribute_values(&scope, "href=\""),
        vec!["../exceptions/scope-one.html"]
    );
    assert!(scope.contains(r#"aria-label="Exception to this section""#));
    assert!(
        scope.contains("<strong class=\"bad\">expired</strong>"),
        "{scope}"
    );
    assert_eq!(note_after(&page, "purpose"), "");
    assert_eq!(page.matches(r#"class="exception-note""#).count(), 2);

    // The exception to the whole policy, and only it, after the text.
    assert_eq!(
        section_links(&page, r#"<h2 id="pb-exceptions">Other exceptions</h2>"#)
            .into_iter()
            .filter(|h| h.contains("exceptions/"))
            .collect::<Vec<_>>(),
        vec!["../exceptions/whole-one.html"],
        "{page}"
    );
    assert!(page.contains(r#"holds until <time datetime="2027-03-01">2027-03-01</time>"#));

    // With no exception to a section, the section at the end is all there is.
    for id in ["closed-one", "soon-one", "scope-one"] {
        std::fs::remove_file(hb.path(&format!("content/exceptions/{id}.md"))).unwrap();
    }
    build(&hb);
    let page = hb.read("book/policies/data-policy.html");
    assert!(!page.contains(r#"class="exception-note""#), "{page}");
    assert!(
        page.contains(r#"<h2 id="pb-exceptions">Exceptions</h2>"#),
        "{page}"
    );
}

#[test]
fn new_exception_scaffolds_one_that_passes_check() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["new", "exception", "late-migration"]).ok();
    let text = hb.read("content/exceptions/late-migration.md");
    assert!(text.contains("policy: policy:data-policy\n"), "{text}");
    assert!(text.contains("approved_by: legal\n"), "{text}");
    assert_eq!(check(&hb), vec![]);
}

/// `people()` with a two-control framework; the data policy, the basics module and the draft
/// contract policy satisfy its first control, nothing its second.
fn framework() -> Handbook {
    let hb = people();
    hb.write(
        "content/frameworks/demo.yaml",
        "id: demo\ntitle: Demo framework\nedition: \"1.0\"\nurl: https://example.com/demo\ncontrols:\n  - { id: CTL 1.1, title: Policies exist }\n  - { id: CTL 2.1, title: Incidents are drilled }\n",
    );
    for (file, after) in [
        (
            "content/policies/data-policy.md",
            "audience: [developers]\n",
        ),
        ("content/policies/contract-policy.md", "audience: [legal]\n"),
        ("content/training/basics.md", "refresh_every: 1 year\n"),
    ] {
        hb.edit(
            file,
            after,
            &format!("{after}satisfies: {{ demo: [CTL 1.1] }}\n"),
        );
    }
    hb
}

#[test]
fn a_framework_page_lists_what_satisfies_each_control_and_the_gaps() {
    let hb = framework();
    assert_eq!(check(&hb), vec![], "framework-gap is off by default");
    build(&hb);
    let page = hb.read("book/frameworks/demo.html");
    let row = |id: &str| -> Vec<String> {
        let start = page.find(&format!(r#"<tr id="{id}">"#)).unwrap();
        let row = &page[start..start + page[start..].find("</tr>").unwrap()];
        common::attribute_values(row, "href=\"")
    };
    // Approved policies first, then other items, then policies not in force.
    assert_eq!(
        row("ctl-1-1"),
        vec![
            "../policies/data-policy.html",
            "../training/basics.html",
            "../policies/contract-policy.html"
        ]
    );
    assert_eq!(row("ctl-2-1"), Vec::<String>::new());
    assert_eq!(section_links(&page, r#"id="pb-gaps""#), vec!["#ctl-2-1"]);
    assert!(page.contains("Edition: 1.0"));
    // The traceability matrix shows the controls a risk's mitigating policies satisfy.
    assert!(
        hb.read("book/traceability.html")
            .contains(r#"<td><a href="frameworks/demo.html#ctl-1-1">CTL 1.1</a></td>"#)
    );
    // Every page links to it from the sidebar.
    assert!(
        hb.read("book/index.html")
            .contains(r#"<a href="frameworks/demo.html">Demo framework</a>"#)
    );

    hb.append(
        "book.toml",
        "\n[check.severity]\nframework-gap = \"error\"\n",
    );
    assert_eq!(
        check(&hb),
        vec![(
            "framework-gap".to_string(),
            "content/frameworks/demo.yaml:7".to_string()
        )]
    );
}

#[test]
fn an_unknown_framework_or_control_is_an_error_with_the_nearest_suggested() {
    let hb = framework();
    hb.edit(
        "content/policies/data-policy.md",
        "demo: [CTL 1.1]",
        "demo: [CTL 1.2]",
    );
    hb.edit(
        "content/training/basics.md",
        "{ demo: [CTL 1.1] }",
        "{ dmeo: [CTL 1.1] }",
    );
    let err = hb.run(&["check", "--today", TODAY]).fails();
    assert!(
        err.contains("content/policies/data-policy.md:8:21: error[unknown-reference]: unknown control `CTL 1.2` of framework `demo`"),
        "{err}"
    );
    assert!(err.contains("did you mean `CTL 1.1`?"), "{err}");
    assert!(
        err.contains(
            "content/training/basics.md:8:14: error[unknown-reference]: unknown framework `dmeo`"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean `demo`?"), "{err}");
}

#[test]
fn a_malformed_framework_is_reported_once_not_at_every_item_mapping_to_it() {
    let hb = framework();
    hb.edit("content/frameworks/demo.yaml", "edition: \"1.0\"\n", "");
    let err = hb.run(&["check", "--today", TODAY]).fails();
    assert!(err.contains("content/frameworks/demo.yaml"), "{err}");
    assert!(err.contains("failed: 1 error,"), "{err}");
}

#[test]
fn a_page_named_like_a_role_or_framework_page_never_takes_its_place() {
    let hb = framework();
    hb.write(
        "content/roles/developers.md",
        "# Developers' corner\n\nWhere developers meet.\n",
    );
    hb.write(
        "content/frameworks/demo.md",
        "# About the demo framework\n\nWhy we follow it.\n",
    );
    hb.append(
        "content/index.md",
        "\nSee the [corner](roles/developers.md) and [why](frameworks/demo.md).\n",
    );
    build(&hb);
    // The pages the site makes stay where role and framework links lead.
    let role = hb.read("book/roles/developers.html");
    assert!(role.contains("Policies you must follow"), "{role}");
    assert!(!role.contains("Where developers meet"));
    let demo = hb.read("book/frameworks/demo.html");
    assert!(demo.contains("CTL 1.1"), "{demo}");
    assert!(!demo.contains("Why we follow it"));
    // The pages are built beside them, and links to their files lead there.
    let corner = hb.read("book/roles/developers-page.html");
    assert!(corner.contains("Where developers meet."), "{corner}");
    let about = hb.read("book/frameworks/demo-page.html");
    assert!(about.contains("Why we follow it."), "{about}");
    let home = hb.read("book/index.html");
    assert!(
        home.contains(r#"<a href="roles/developers-page.html">corner</a>"#),
        "{home}"
    );
    assert!(
        home.contains(r#"<a href="frameworks/demo-page.html">why</a>"#),
        "{home}"
    );
}
