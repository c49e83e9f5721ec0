//! `policybook build` on fixture handbooks: the HTML produced, links, determinism, atomicity.

mod common;

use common::{Handbook, snapshot};

#[test]
fn builds_a_page_for_every_kind_and_an_index_per_kind() {
    let hb = Handbook::fixture("minimal");
    let stderr = hb.run(&["build"]).ok();
    // The policy's working text is its release 1.2: no empty redline 1.2 → current is built;
    // print.html holds the whole handbook; one page per role (security, legal, developers).
    assert!(stderr.contains("built 26 pages"), "{stderr}");
    for page in [
        "index.html",
        "guide/intro.html",
        "policies/data-policy.html",
        "stages/pilot.html",
        "vendors/acme.html",
        "training/basics.html",
        "risks/leak-risk.html",
        "kpis/defects.html",
        "policies/index.html",
        "stages/index.html",
        "vendors/index.html",
        "training/index.html",
        "risks/index.html",
        "kpis/index.html",
        "roles.html",
        "roles/developers.html",
        "404.html",
        "edition.html",
        "dashboard.html",
        "traceability.html",
        "print.html",
    ] {
        let html = hb.read(&format!("book/{page}"));
        assert!(html.starts_with("<!DOCTYPE html>"), "{page}");
        assert!(
            html.contains("<main id=\"pb-main\""),
            "{page} has no main landmark"
        );
    }
}

#[test]
fn resolves_cross_links_and_lists_backlinks() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    let intro = hb.read("book/guide/intro.html");
    assert!(
        intro.contains(r#"<a href="../policies/data-policy.html#retention">retention clause</a>"#),
        "{intro}"
    );
    assert!(intro.contains(r#"<a href="../roles/legal.html">Legal</a>"#));
    // A relative .md link resolves like an id link.
    let module = hb.read("book/training/basics.html");
    assert!(module.contains(r#"<a href="../policies/data-policy.html#retention">data policy</a>"#));

    let policy = hb.read("book/policies/data-policy.html");
    let backlinks = &policy[policy.find("Referenced by").expect("backlinks section")..];
    for (title, href) in [
        ("Introduction", "../guide/intro.html"),
        ("Pilot", "../stages/pilot.html"),
        ("Basics", "../training/basics.html"),
        ("Code leaks through prompts", "../risks/leak-risk.html"),
        ("Welcome", "../index.html"),
    ] {
        assert!(
            backlinks.contains(&format!(r#"<a href="{href}">{title}</a>"#)),
            "missing backlink {title}"
        );
    }
}

#[test]
fn renders_policy_badges_clauses_code_and_alerts() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    let html = hb.read("book/policies/data-policy.html");
    assert!(html.contains(r#"<li class="badge status-approved">Approved</li>"#));
    assert!(html.contains("<li class=\"badge\">Version 1.2</li>"));
    assert!(
        html.contains(r#"<time datetime="2027-03-01">2027-03-01</time> (every 12 months)"#),
        "next review = effective + cycle"
    );
    assert!(
        html.contains(r#"<h3 id="retention"><span class="clause">2.1</span> Retention"#),
        "{html}"
    );
    assert!(html.contains(
        r#"<pre class="code" data-lang="python" tabindex="0"><code><span class="hl-source hl-python">"#
    ));
    assert!(html.contains(r#"<div class="admonition admonition-warning" role="note""#));
    let css = hb.read("book/static/highlight.css");
    assert!(css.contains(".hl-source") && css.contains("html[data-theme=\"dark\"] .hl-"));
}

#[test]
fn computes_gates_scores_and_kpi_values() {
    let hb = Handbook::fixture("minimal");
    // A score without evidence is a warning: the build goes on and the page says so.
    hb.edit(
        "content/vendors/acme.md",
        ", evidence: Keeps prompts for 90 days.",
        "",
    );
    let stderr = hb.run(&["build"]).ok();
    assert!(
        stderr.contains("content/vendors/acme.md:8:3: warning[scorecard-missing-evidence]"),
        "{stderr}"
    );
    let stage = hb.read("book/stages/pilot.html");
    assert!(
        stage.contains(r#"<td>≤ 0.05</td><td>0.04</td><td><span class="good">✓ met</span>"#),
        "{stage}"
    );
    let scorecard = hb.read("book/vendors/acme.html");
    // 60 × 4/5 + 40 × 2/5 = 48 + 16
    assert!(
        scorecard.contains("<dt>Weighted total</dt><dd><strong>64</strong> of 100</dd>"),
        "{scorecard}"
    );
    assert!(scorecard.contains("no evidence given"));
    let risk = hb.read("book/risks/leak-risk.html");
    assert!(risk.contains("<dd>20 (likelihood 4 × impact 5)</dd>"));
    let kpi = hb.read("book/kpis/defects.html");
    assert!(
        kpi.contains("<strong>0.04</strong> ratio"),
        "series read from the CSV file"
    );
}

#[test]
fn repeated_headings_get_unique_ids_and_links_reach_the_rendered_one() {
    let hb = Handbook::fixture("minimal");
    hb.write(
        "content/guide/faq.md",
        "---\ntitle: FAQ\nowner: legal\n---\n\n## A\n\nOne.\n\n## A\n\nTwo.\n\n## A 1\n\nThree.\n\n## Main\n\nFour.\n\n## Search input\n\nFive.\n\n## PB main\n\nSix.\n",
    );
    hb.edit(
        "content/guide/intro.md",
        "ask [Legal](role:legal).",
        "ask [Legal](role:legal). See [the third answer](faq.md#a-1-1).",
    );
    hb.run(&["build"]).ok();
    let faq = hb.read("book/guide/faq.html");
    let ids: Vec<&str> = faq
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    // Headings named like the theme's elements keep their ids; the theme's are its own.
    assert_eq!(unique.len(), ids.len(), "an id repeats: {ids:?}");
    assert!(faq.contains(r##"<a class="skip-link" href="#pb-main">"##));
    for (id, text) in [
        ("a", "One."),
        ("a-1", "Two."),
        ("a-1-1", "Three."),
        ("main", "Four."),
        ("search-input", "Five."),
        ("h-pb-main", "Six."),
    ] {
        let heading = faq
            .find(&format!("<h2 id=\"{id}\">"))
            .unwrap_or_else(|| panic!("no heading #{id} in {faq}"));
        assert!(
            faq[heading..]
                .split("</h2>")
                .nth(1)
                .unwrap()
                .trim_start()
                .starts_with(&format!("<p>{text}")),
            "#{id}"
        );
    }
    let intro = hb.read("book/guide/intro.html");
    assert!(
        intro.contains(r#"<a href="../guide/faq.html#a-1-1">the third answer</a>"#),
        "{intro}"
    );

    // The anchor checker knows the ids the page has, and only those.
    hb.edit("content/guide/intro.md", "faq.md#a-1-1", "faq.md#a-2");
    let err = hb.run(&["check"]).fails();
    assert!(
        err.contains("error[broken-anchor]: unknown anchor `#a-2` in page `faq`"),
        "{err}"
    );
}

/// The text of every `<tag>…</tag>` in `xml`.
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    xml.split(&format!("<{tag}>"))
        .skip(1)
        .filter_map(|rest| rest.split(&format!("</{tag}>")).next())
        .collect()
}

#[test]
fn feed_and_sitemap_are_absolute_and_escaped_under_site_url() {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "book.toml",
        "title = \"Fixture Handbook\"",
        // A control character, as pasted from a word processor, is not valid XML.
        "title = \"R&D <Fixture> Handbook\"\nauthors = [\"Legal \\u0001& Risk\"]",
    );
    hb.run(&["build"]).ok();
    let sitemap = hb.read("book/sitemap.xml");
    let locs = elements(&sitemap, "loc");
    assert!(
        locs.contains(&"https://handbook.example.com/policies/data-policy.html"),
        "{sitemap}"
    );
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://handbook.example.com/")),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404.html"));

    let feed = hb.read("book/feed.xml");
    assert!(!feed.contains('\u{1}'), "{feed}");
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"), "{feed}");
    assert!(
        feed.contains("<title>R&amp;D &lt;Fixture&gt; Handbook — policy changes</title>"),
        "{feed}"
    );
    assert!(
        feed.contains("<author><name>Legal &amp; Risk</name></author>"),
        "{feed}"
    );
    let ids = elements(&feed, "id");
    assert!(
        ids.contains(&"https://handbook.example.com/feed.xml"),
        "{feed}"
    );
    assert!(
        ids.contains(&"https://handbook.example.com/policies/data-policy.html#1.2"),
        "{feed}"
    );
    let hrefs: Vec<&str> = feed
        .split("href=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .collect();
    assert!(
        hrefs.contains(&"https://handbook.example.com/policies/data-policy/1.2.html"),
        "{feed}"
    );
    for address in ids.iter().chain(&hrefs) {
        assert!(
            address.starts_with("https://handbook.example.com/"),
            "{address} in {feed}"
        );
    }
    assert!(
        hb.read("book/edition.html")
            .contains(r#"<a href="feed.xml">Atom feed of policy changes</a>"#)
    );
}

#[test]
fn without_site_url_neither_feed_nor_sitemap_is_written_or_linked() {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "book.toml",
        "site-url = \"https://handbook.example.com/\"",
        "",
    );
    hb.run(&["build"]).ok();
    for file in ["feed.xml", "sitemap.xml"] {
        assert!(!hb.path("book").join(file).exists(), "{file} written");
    }
    let pages = snapshot(&hb.path("book"));
    assert!(pages.len() > 20);
    for (path, bytes) in pages {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("feed.xml") && !text.contains("sitemap.xml"),
            "{} names a file that is not there",
            path.display()
        );
    }
}

#[test]
fn writes_404_and_manifest() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    let not_found = hb.read("book/404.html");
    assert!(
        not_found.contains(r#"href="https://handbook.example.com/static/style.css""#),
        "404 links are absolute"
    );
    let manifest: serde_json::Value = serde_json::from_str(&hb.read("book/manifest.json")).unwrap();
    assert_eq!(manifest["edition"], "2026.1");
    assert_eq!(manifest["policies"]["data-policy"], "1.2");
    let policy_source = std::fs::read(hb.path("content/policies/data-policy.md")).unwrap();
    assert_eq!(
        manifest["sources"]["content/policies/data-policy.md"],
        policybook::content::sha256_hex(&policy_source)
    );
    // Every output's hash, print.html's too, which is written in pieces.
    let outputs = manifest["outputs"].as_object().unwrap();
    assert!(outputs.contains_key("index.html") && outputs.contains_key("print.html"));
    for (path, hash) in outputs {
        let bytes = std::fs::read(hb.path("book").join(path)).unwrap();
        assert_eq!(hash, &policybook::content::sha256_hex(&bytes), "{path}");
    }
    assert!(manifest["sources"]["content/data/defects.csv"].is_string());
}

#[test]
fn two_builds_are_byte_identical() {
    let hb = Handbook::fixture("minimal");
    for dest in ["one", "two"] {
        hb.run(&["build", "--dest", hb.path(dest).to_str().unwrap()])
            .ok();
    }
    let (one, two) = (snapshot(&hb.path("one")), snapshot(&hb.path("two")));
    assert!(one.len() > 20);
    assert_eq!(one, two);
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    let before = snapshot(&hb.path("book"));
    hb.edit(
        "content/policies/data-policy.md",
        "owner: security",
        "owner: nobody",
    );
    hb.run(&["build"]).fails();
    assert_eq!(snapshot(&hb.path("book")), before);
    assert_no_staging_left(&hb);
}

fn assert_no_staging_left(hb: &Handbook) {
    let leftovers: Vec<_> = std::fs::read_dir(hb.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with(".book"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

/// print.html is written in pieces while the pages render: a template that fails halfway
/// through it still leaves the previous site whole and no staging folder behind.
#[test]
fn a_theme_error_in_print_html_leaves_the_previous_site_untouched() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    let before = snapshot(&hb.path("book"));
    override_template(
        &hb,
        "print-page.html",
        "<section>{{ p.nosuch.deeper }}</section>",
    );
    let stderr = hb.run(&["build"]).fails();
    assert!(
        stderr.contains("print-page.html") && stderr.contains("nosuch"),
        "{stderr}"
    );
    assert_eq!(snapshot(&hb.path("book")), before);
    assert_no_staging_left(&hb);
}

#[test]
fn refuses_to_overwrite_a_folder_that_is_not_a_site() {
    let hb = Handbook::fixture("minimal");
    let stderr = hb
        .run(&["build", "--dest", hb.path("content").to_str().unwrap()])
        .fails();
    assert!(
        stderr.contains("refusing to write the site here"),
        "{stderr}"
    );
    assert!(hb.path("content/policies/data-policy.md").is_file());
}

/// Sets the theme to the project's `custom` one, whose only template is `name`.
fn override_template(hb: &Handbook, name: &str, text: &str) {
    hb.edit(
        "book.toml",
        "[output.html]",
        "[output.html]\ntheme = \"custom\"",
    );
    hb.write(&format!("themes/custom/templates/{name}"), text);
}

#[test]
fn a_project_theme_overrides_single_templates() {
    let hb = Handbook::fixture("minimal");
    override_template(
        &hb,
        "404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Custom lost page</p>{% endblock main %}",
    );
    hb.run(&["build"]).ok();
    assert!(hb.read("book/404.html").contains("<p>Custom lost page</p>"));
    assert!(
        hb.read("book/index.html").contains("Skip to content"),
        "other templates fall back to the default theme"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let hb = Handbook::fixture("minimal");
    assert_eq!(hb.run(&["build", "--no-such-flag"]).code(), 2);
    assert_eq!(hb.run(&["new", "gadget", "x"]).code(), 2);
}

#[test]
fn help_explains_every_command() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_policybook"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for command in ["build", "check", "new"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn new_scaffolds_items_that_build() {
    let hb = Handbook::fixture("minimal");
    for (kind, id) in [
        ("page", "faq"),
        ("policy", "new-policy"),
        ("stage", "expansion"),
        ("scorecard", "globex"),
        ("module", "advanced"),
        ("risk", "lock-in"),
        ("kpi", "cost"),
        ("exception", "late-migration"),
    ] {
        let stderr = hb.run(&["new", kind, id]).ok();
        assert!(stderr.contains("created"), "{stderr}");
    }
    hb.run(&["build"]).ok();
    let policy = hb.read("content/policies/new-policy.md");
    assert!(policy.contains("status: draft"));
    assert!(
        hb.read("content/vendors/globex.md")
            .contains("retention: { score: 3"),
        "scores every criterion"
    );
    assert!(
        hb.read("book/policies/new-policy.html")
            .contains("status-draft")
    );
    // The same id twice is refused.
    let stderr = hb.run(&["new", "risk", "lock-in"]).fails();
    assert!(stderr.contains("already used"), "{stderr}");
    // So is a name that would make the file its folder's intro page.
    let stderr = hb.run(&["new", "exception", "readme"]).fails();
    assert!(
        stderr.contains(
            "id `readme` is reserved: `readme.md` and `index.md` introduce their folder as a page"
        ),
        "{stderr}"
    );
    assert!(!hb.path("content/exceptions/readme.md").exists());
}

/// The date a build judges by is an input like the sources: `--today` or `SOURCE_DATE_EPOCH`
/// (the reproducible-builds convention) give the same bytes for the same date, whatever the
/// clock says; another date changes what is due, and the manifest records which date it was.
#[test]
fn the_build_date_comes_from_today_or_source_date_epoch() {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/risks/leak-risk.md",
        "residual_impact: 3\n",
        "residual_impact: 3\nstatus: open\nreview: 2027-01-31\n",
    );
    let build = |dest: &str, args: &[&str], epoch: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_policybook"));
        command
            .args(["build", "--root"])
            .arg(hb.root())
            .arg("--dest")
            .arg(hb.path(dest))
            .args(args);
        if let Some(epoch) = epoch {
            command.env("SOURCE_DATE_EPOCH", epoch);
        }
        let out = command.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        snapshot(&hb.path(dest))
    };
    // 1795996800 is 2026-11-30T00:00:00Z; an hour later is the same day.
    let flag = build("a", &["--today", "2026-11-30"], None);
    let epoch = build("b", &[], Some("1796000400"));
    assert_eq!(flag, epoch);
    let manifest = String::from_utf8(flag[std::path::Path::new("manifest.json")].clone()).unwrap();
    assert!(manifest.contains("\"today\": \"2026-11-30\""), "{manifest}");

    let later = build("c", &["--today", "2027-03-01"], Some("1796000400"));
    let risks = |site: &std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        String::from_utf8(site[std::path::Path::new("risks/index.html")].clone()).unwrap()
    };
    assert!(!risks(&flag).contains("review overdue"));
    assert!(
        risks(&later).contains("review overdue"),
        "--today wins over SOURCE_DATE_EPOCH"
    );
}

/// A folder of Markdown with no page at its top (no README.md or index.md there): the home page
/// is the page index, with links that start from the site's top, not from the index's folder,
/// so that the site works published under a path or opened from disk.
#[test]
fn without_a_home_page_the_page_index_is_the_home_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("book.toml"), "").unwrap();
    std::fs::create_dir_all(root.join("content/guide")).unwrap();
    std::fs::write(
        root.join("content/guide/setup.md"),
        "# Setup\n\nSee [use](use.md).\n",
    )
    .unwrap();
    std::fs::write(root.join("content/guide/use.md"), "# Use\n\nText.\n").unwrap();
    common::run_in(root, &["build"]).ok();
    let home = std::fs::read_to_string(root.join("book/index.html")).unwrap();
    assert!(home.contains(r#"href="static/style.css""#), "{home}");
    assert!(home.contains(r#"href="guide/setup.html""#), "{home}");
    let broken = common::broken_links(&root.join("book"));
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// A handbook of policies alone, without roles.yaml: the roles its policies name are shown as
/// written (a warning says they cannot be checked), and every link leads to a built page.
#[test]
fn policies_without_roles_yaml_build_and_name_their_roles_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("book.toml"), "").unwrap();
    std::fs::create_dir_all(root.join("content/policies")).unwrap();
    std::fs::write(
        root.join("content/policies/acceptable-use.md"),
        "---\ntitle: Acceptable use\nowner: security\nstatus: approved\nversion: \"1.0\"\neffective: 2026-01-01\nreview_every: 12 months\napprovers: [legal]\naudience: [engineers]\n---\n## Scope\n\nAll staff.\n",
    )
    .unwrap();
    common::run_in(root, &["build", "--today", "2026-11-24"]).ok();
    let page = std::fs::read_to_string(root.join("book/policies/acceptable-use.html")).unwrap();
    assert!(page.contains("<dt>Approvers</dt><dd>legal</dd>"), "{page}");
    let broken = common::broken_links(&root.join("book"));
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Markdown written for Docusaurus, Hugo or Jekyll carries their front-matter fields. They are
/// not typos: the pages build, each field is a `foreign-field` warning at its line, `description`
/// is the summary, and a policybook field misspelt next to them is still an error.
#[test]
fn other_tools_fields_are_warnings_and_typos_still_errors() {
    let hb = common::Handbook::empty();
    let root = hb.root();
    hb.write("book.toml", "[book]\ntitle = \"Docs\"\nsrc = \"docs\"\n");
    hb.write("docs/intro.md", "---\nsidebar_position: 1\nslug: /\ntitle: Welcome\n---\n\nRead the [onboarding guide](guides/onboarding.md).\n");
    hb.write("docs/guides/onboarding.md", "---\ntitle: Onboarding\ndate: 2024-01-05\ndraft: false\ndescription: What to do on day one\n---\n\nDay one.\n");
    // Hugo files often have both: the summary is the summary.
    hb.write("docs/guides/checklist.md", "---\ntitle: Checklist\nsummary: The list\ndescription: A list for search engines\n---\n\nItems.\n");
    let stderr = hb.run(&["build", "--today", "2026-11-24"]).ok();
    for expected in [
        "docs/intro.md:2:1: warning[foreign-field]: `sidebar_position` is a Docusaurus field: policybook ignores it",
        "help: order pages with `weight` (lower first)",
        "docs/intro.md:3:1: warning[foreign-field]: `slug`",
        "docs/guides/onboarding.md:3:1: warning[foreign-field]: `date`",
        "docs/guides/onboarding.md:4:1: warning[foreign-field]: `draft`",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert!(!stderr.contains("description"), "{stderr}");
    let index = hb.read("book/index.html");
    assert!(index.contains("What to do on day one"), "{index}");
    assert!(
        index.contains("The list") && !index.contains("A list for search engines"),
        "{index}"
    );
    let broken = common::broken_links(&root.join("book"));
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    // A CI gate that denies warnings sees them; a handbook that serves both tools turns them off.
    hb.run(&["check", "--deny", "warnings"]).fails();
    hb.write(
        "book.toml",
        "[book]\ntitle = \"Docs\"\nsrc = \"docs\"\n\n[check.severity]\nforeign-field = \"off\"\n",
    );
    hb.run(&["check", "--deny", "warnings"]).ok();

    hb.write(
        "docs/guides/onboarding.md",
        "---\ntitle: Onboarding\ndraft: false\nsumary: What to do on day one\n---\n\nDay one.\n",
    );
    let stderr = hb.run(&["build"]).fails();
    assert!(
        stderr.contains(
            "docs/guides/onboarding.md:4:1: error[unknown-field]: unknown field `sumary`"
        ),
        "{stderr}"
    );
}

/// A Hugo content folder: TOML front matter between `+++` lines and `_index.md` as a folder's
/// index page. Fields are read from TOML (dates included), findings point at their TOML line,
/// and a TOML mistake is an error at its line, not text on the page.
#[test]
fn a_hugo_folder_with_toml_front_matter_builds() {
    let hb = common::Handbook::empty();
    let root = hb.root();
    hb.write("book.toml", "[book]\ntitle = \"Team\"\n");
    hb.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n\nWelcome. See [setup](docs/setup.md) and [all docs](docs/_index.md).\n");
    hb.write(
        "content/docs/_index.md",
        "+++\ntitle = \"Docs\"\n+++\n\nAll docs.\n",
    );
    hb.write("content/docs/setup.md", "+++\ntitle = \"Setup\"\ndate = 2024-01-05T10:00:00Z\n\n[menu.main]\n  weight = 10\n+++\n\nBack [home](../_index.md).\n");
    hb.write("content/policies/access.md", "+++\ntitle = \"Access\"\nowner = \"security\"\nstatus = \"draft\"\nversion = \"0.1\"\neffective = 2026-01-01\nreview_every = \"12 months\"\n+++\n\n## Scope\n\nEveryone.\n");
    let stderr = hb.run(&["build", "--today", "2026-11-24"]).ok();
    assert!(
        stderr.contains("content/docs/setup.md:3:1: warning[foreign-field]: `date`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/docs/setup.md:5:1: warning[foreign-field]: `menu`"),
        "{stderr}"
    );
    let home = hb.read("book/index.html");
    assert!(
        home.contains(
            r#"See <a href="docs/setup.html">setup</a> and <a href="docs/index.html">all docs</a>"#
        ),
        "{home}"
    );
    let policy = hb.read("book/policies/access.html");
    assert!(policy.contains("2026-01-01"), "{policy}");
    for page in [
        "index.html",
        "docs/index.html",
        "docs/setup.html",
        "policies/access.html",
    ] {
        let html = hb.read(&format!("book/{page}"));
        assert!(
            !html.contains("+++"),
            "{page} shows its front matter:\n{html}"
        );
    }
    let broken = common::broken_links(&root.join("book"));
    assert!(broken.is_empty(), "{}", broken.join("\n"));

    hb.write(
        "content/docs/setup.md",
        "+++\ntitle = \"Setup\"\nweight = = 3\n+++\n\nText.\n",
    );
    let stderr = hb.run(&["build"]).fails();
    assert!(stderr.contains("content/docs/setup.md:3:"), "{stderr}");
    assert!(
        stderr.contains("error[invalid-content]: TOML front matter:"),
        "{stderr}"
    );
}

/// A link to a file that is not a page works only if the site has the file: a form to download
/// is copied, and a link to a missing image or to an `.mdx` page (which is not read) is a
/// `broken-link` at its line, never a dead link on the site.
#[test]
fn links_to_files_resolve_only_to_files_the_site_has() {
    let hb = common::Handbook::empty();
    let root = hb.root();
    hb.write("book.toml", "");
    hb.write("content/forms/request.docx", "PK");
    hb.write("content/tour.mdx", "# Tour\n");
    hb.write(
        "content/index.md",
        "# Home\n\nFill in the [request form](forms/request.docx).\n",
    );
    hb.run(&["build"]).ok();
    assert!(root.join("book/forms/request.docx").is_file());
    let home = hb.read("book/index.html");
    assert!(
        home.contains(r#"<a href="forms/request.docx">request form</a>"#),
        "{home}"
    );

    // A query, a folder with a dot, a page named in capitals: none is a file to look for.
    std::fs::create_dir_all(root.join("content/v1.2")).unwrap();
    hb.write("content/Guide.MD", "# Guide\n");
    hb.write(
        "content/index.md",
        "# Home\n\n[form](forms/request.docx?v=2), [old](v1.2/), [guide](Guide.MD)\n",
    );
    hb.run(&["build"]).ok();
    let home = hb.read("book/index.html");
    assert!(home.contains(r#"<a href="Guide.html">guide</a>"#), "{home}");

    hb.write("content/index.md", "# Home\n\nFill in the [request form](forms/request.docx).\n\nTake the [tour](tour.mdx).\n\n![Chart](img/chart.png)\n");
    let stderr = hb.run(&["build"]).fails();
    for expected in [
        "content/index.md:5:10: error[broken-link]: link to `tour.mdx`: no such file in the site",
        "help: pages are read from `.md` files: rename it to `.md`",
        "content/index.md:7:1: error[broken-link]: link to `img/chart.png`: no such file in the site",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
}

/// A GitBook: the content at the top of the repository (`src = "."`), SUMMARY.md there, and
/// images in `.gitbook/assets`. Every chapter is built, the images are copied, and the site
/// built into `book/` is not read back as content on the next build.
#[test]
fn a_gitbook_at_the_top_of_its_folder_builds_twice_the_same() {
    let hb = common::Handbook::empty();
    let root = hb.root();
    hb.write("book.toml", "[book]\ntitle = \"GitBook\"\nsrc = \".\"\n");
    hb.write(".gitbook/assets/org.png", "PNG");
    hb.write(
        "SUMMARY.md",
        "# Table of contents\n\n* [Handbook](README.md)\n* [Security](policies/security.md)\n",
    );
    hb.write(
        "README.md",
        "# Handbook\n\n![Org chart](.gitbook/assets/org.png)\n",
    );
    hb.write(
        "policies/security.md",
        "# Security\n\nSee the [chart](../.gitbook/assets/org.png).\n",
    );
    let first = hb.run(&["build"]).ok();
    assert!(first.contains("built 7 pages"), "{first}");
    assert!(root.join("book/policies/security.html").is_file());
    assert!(root.join("book/.gitbook/assets/org.png").is_file());
    let broken = common::broken_links(&root.join("book"));
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    let site = common::snapshot(&root.join("book"));
    let second = hb.run(&["build"]).ok();
    assert_eq!(first, second);
    assert!(!root.join("book/book").exists());
    assert!(
        site == common::snapshot(&root.join("book")),
        "the second build differs"
    );
}
