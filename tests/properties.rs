//! Property tests: the parsers and the redline engine on generated, often broken, input. They
//! stand in for cargo-fuzz targets, which need a nightly toolchain.
//!
//! Each target runs 64 cases in `cargo test`; for a long run set `PROPTEST_CASES`, e.g.
//! `PROPTEST_CASES=100000 cargo test --release --test properties`.

use std::path::Path;

use policybook::config::Config;
use policybook::content::{Kind, parse_csv, parse_item};
use policybook::diff::{blocks, redline};
use policybook::markdown::{Renderer, parse, scan};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        // Failures are turned into named regression tests below, not persisted files.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One renderer for every case: loading the syntaxes is the slow part.
fn renderer() -> &'static Renderer {
    static RENDERER: std::sync::OnceLock<Renderer> = std::sync::OnceLock::new();
    RENDERER.get_or_init(|| Renderer::new(false))
}

/// Text built from pieces that matter to the parser at hand, and arbitrary characters between.
fn text_of(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(pieces).prop_map(str::to_string),
            1 => "[a-z0-9 ]{0,6}",
            1 => any::<char>().prop_map(String::from),
        ],
        0..max,
    )
    .prop_map(|parts| parts.concat())
}

const MARKDOWN: &[&str] = &[
    "\n",
    "\n\n",
    "# ",
    "## ",
    "### Heading {#id}",
    // Repeated headings, and one whose id is another's first suffix.
    "# A\n",
    "## A 1\n",
    "- ",
    "1. ",
    "  ",
    "    ",
    "> ",
    "> [!NOTE]\n",
    "```",
    "```rust\n",
    "~~~",
    "`",
    "*",
    "**",
    "_",
    "~~",
    "[",
    "]",
    "(",
    ")",
    "](",
    "![",
    "[^1]",
    "[^1]: ",
    "<",
    ">",
    "</",
    "<div>",
    "</div>",
    "<script>",
    "</script>",
    "<kbd>",
    "<!--",
    "-->",
    " onclick=\"x\"",
    "javascript:alert(1)",
    "data:text/html,x",
    "policy:a#b",
    "../x.md",
    "#",
    "|",
    "|---|",
    ":-:",
    "- [x] ",
    "- [ ] ",
    "&amp;",
    "&#",
    "\\",
    "\t",
    "\r\n",
    "é",
    "\u{0}",
    "---",
    "***",
    "<img src=x onerror=y>",
    "{",
    "}",
    "=",
    "'",
    "\"",
];

const FRONT_MATTER: &[&str] = &[
    "---\n",
    "---",
    "\n",
    "title: ",
    "owner: ",
    "id: ",
    "kind: ",
    "version: ",
    "\"1.2\"",
    "effective: ",
    "2026-02-30",
    "2026-03-01",
    "review_every: ",
    "12 months",
    "status: ",
    "approved",
    "tags: ",
    "[",
    "]",
    "{",
    "}",
    ",",
    ": ",
    "- ",
    "  ",
    "\t",
    "\"",
    "'",
    "#",
    "&a",
    "*a",
    "!!str ",
    "|",
    ">",
    "~",
    "null",
    "extra:",
    "scores:",
    "policy",
    "page",
    "\u{feff}",
    "\r\n",
    "%YAML 1.2\n",
    "<<: ",
    "? ",
];

const CSV: &[&str] = &[
    "date,value\n",
    "date, value\n",
    "\n",
    "2026-01-15",
    "2026-02-30",
    ",",
    "0.5",
    "-1",
    "1e308",
    "1e309",
    "NaN",
    "inf",
    " ",
    "\r\n",
    "\"",
    "x",
];

const TOML: &[&str] = &[
    "[book]\n",
    "[build]\n",
    "[output.html]\n",
    "[output]\n",
    "[kinds]\n",
    "[check]\n",
    "[check.severity]\n",
    "[[book]]\n",
    "title = ",
    "src = ",
    "build-dir = ",
    "theme = ",
    "allow-raw-html = ",
    "risk-appetite = ",
    "required-sections = ",
    "orphan-page = ",
    "duplicate-id = ",
    "procedures = ",
    "\"policy\"",
    "\"off\"",
    "\"error\"",
    "true",
    "0",
    "30",
    "9",
    "-1",
    "99999999999999999999",
    "\"x\"",
    "'x'",
    "\"\"\"",
    "[",
    "]",
    "{",
    "}",
    ",",
    "=",
    "\n",
    "#",
    ".",
    "\\",
    "\"\\u0000\"",
    "1979-05-27",
];

proptest! {
    #![proptest_config(config())]

    /// Front matter: any text gives an item or diagnostics inside the file, never a panic.
    #[test]
    fn front_matter(text in text_of(FRONT_MATTER, 40), kind in prop::sample::select(Kind::ALL.to_vec())) {
        let path = Path::new("content/policies/x.md");
        if let Err(diagnostics) = parse_item(path, &text, kind) {
            prop_assert!(!diagnostics.is_empty());
            let lines = text.lines().count().max(1) + 1;
            for d in diagnostics {
                prop_assert!(d.line <= lines, "{d} past the end of {text:?}");
            }
        }
    }

    /// Markdown: scanning and rendering with links rewritten never panics, keeps the scanned
    /// heading ids (each one once), and never lets a script through.
    #[test]
    fn markdown(source in text_of(MARKDOWN, 60), resolve in any::<bool>()) {
        let found = scan(&source, true);
        let html = renderer().render(&parse(&source), &found.headings, &|dest| {
            resolve.then(|| format!("../policies/{}.html", dest.len()))
        });
        prop_assert!(!html.contains("<script"), "{html}");
        for url in ["href=\"javascript", "src=\"javascript", "href=\"data", "src=\"data"] {
            prop_assert!(!html.contains(url), "{html}");
        }
        for h in &found.headings {
            prop_assert!(html.contains(&format!(" id=\"{}\"", policybook::markdown::escape(&h.id))), "heading {} missing from {html}", h.id);
        }
        let ids: std::collections::HashSet<&str> = found.headings.iter().map(|h| h.id.as_str()).collect();
        prop_assert_eq!(ids.len(), found.headings.len(), "repeated heading id in {:?}", found.headings);
    }

    /// Redlines: any two documents compare; a document against itself has no change; each side's
    /// blocks are read back, in order, from the rows.
    #[test]
    fn redlines(old in text_of(MARKDOWN, 40), new in text_of(MARKDOWN, 40)) {
        prop_assert!(redline(&old, &old).is_empty());
        let r = redline(&old, &new);
        let olds: Vec<&str> = r.rows.iter().filter_map(|row| row.old.as_deref()).collect();
        let news: Vec<&str> = r.rows.iter().filter_map(|row| row.new.as_deref()).collect();
        let want_old: Vec<String> = blocks(&old).into_iter().map(|b| b.text).collect();
        let want_new: Vec<String> = blocks(&new).into_iter().map(|b| b.text).collect();
        prop_assert_eq!(olds, want_old);
        prop_assert_eq!(news, want_new);
    }

    /// KPI series: any CSV gives points or one diagnostic on one of its lines.
    #[test]
    fn csv(text in text_of(CSV, 40)) {
        let lines = text.lines().count().max(1);
        match parse_csv(Path::new("content/data/x.csv"), &text) {
            Ok(points) => prop_assert!(points.len() < lines),
            Err(d) => prop_assert!((1..=lines).contains(&d.line), "{d} for {text:?}"),
        }
    }

    /// book.toml: any text gives a configuration or one diagnostic inside the file.
    #[test]
    fn book_toml(text in text_of(TOML, 40)) {
        if let Err(d) = Config::parse(&text) {
            prop_assert!(d.line <= text.lines().count() + 1, "{d} for {text:?}");
        }
    }
}
