//! The search index `policybook build` writes: what a word leads to, and what is left out.

mod common;

use common::Handbook;
use serde_json::Value;

/// The value a `search/<name>.js` file stores in `window.policybookSearch[name]`.
fn load(hb: &Handbook, name: &str) -> Value {
    let text = hb.read(&format!("book/search/{name}.js"));
    let prefix = format!("(window.policybookSearch=window.policybookSearch||{{}})[\"{name}\"]=");
    let json = text
        .strip_prefix(&prefix)
        .and_then(|t| t.strip_suffix(";\n"))
        .unwrap_or_else(|| panic!("unexpected search/{name}.js: {text}"));
    serde_json::from_str(json).expect("valid JSON")
}

/// The (page URL#anchor, heading, score) of every section containing `word`, best first.
fn sections_with(index: &Value, word: &str) -> Vec<(String, String, u64)> {
    let words = index["words"].as_array().expect("words");
    let Some(i) = words.iter().position(|w| w == word) else {
        return Vec::new();
    };
    let mut section = 0;
    let mut hits: Vec<(String, String, u64)> = index["postings"][i]
        .as_array()
        .expect("postings")
        .chunks(2)
        .map(|pair| {
            section += pair[0].as_u64().unwrap();
            let s = &index["sections"][section as usize];
            let page = &index["pages"][s[0].as_u64().unwrap() as usize];
            let anchor = s[1].as_str().unwrap();
            let url = page["url"].as_str().unwrap().to_string();
            let url = if anchor.is_empty() {
                url
            } else {
                format!("{url}#{anchor}")
            };
            (
                url,
                s[2].as_str().unwrap().to_string(),
                pair[1].as_u64().unwrap(),
            )
        })
        .collect();
    hits.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    hits
}

#[test]
fn a_word_leads_to_its_page_and_heading() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    let index = load(&hb, "index");
    let hits = sections_with(&index, "retention");
    // The heading outranks the intro page that mentions it in passing.
    assert_eq!(
        hits[0],
        (
            "policies/data-policy.html#retention".to_string(),
            "2.1 Retention".to_string(),
            hits[0].2
        ),
        "{hits:?}"
    );
    // Clause numbers are words too: legal cites "§2.1".
    assert_eq!(
        sections_with(&index, "2.1")[0].0,
        "policies/data-policy.html#retention"
    );
    assert!(
        hits.iter().any(|h| h.0 == "guide/intro.html#overview"),
        "{hits:?}"
    );
    // Metadata: owner and status find the policy's top section.
    for word in ["security", "approved", "policy"] {
        assert!(
            sections_with(&index, word)
                .iter()
                .any(|h| h.0 == "policies/data-policy.html"),
            "{word}"
        );
    }
    // Section texts for snippets are in the chunks, in section order.
    let text = load(&hb, "index-text-0");
    let chunks = index["chunks"].as_array().unwrap();
    assert_eq!(chunks[0], 0);
    let at = index["sections"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| s[1] == "retention")
        .unwrap();
    assert!(
        text[at].as_str().unwrap().contains("at most 30 days"),
        "{}",
        text[at]
    );
}

#[test]
fn archived_versions_and_redlines_have_their_own_index() {
    let hb = Handbook::fixture("minimal");
    // A word only the released 1.2 text still has.
    hb.edit(
        "content/policies/data-policy.md",
        "Keep data safe.",
        "Keep data secure.",
    );
    hb.run(&["build"]).ok();
    let index = load(&hb, "index");
    let pages = index["pages"].as_array().unwrap();
    assert!(
        pages
            .iter()
            .all(|p| !matches!(p["kind"].as_str(), Some("version" | "redline"))),
        "{pages:?}"
    );
    assert!(sections_with(&index, "safe").is_empty());
    assert_eq!(
        sections_with(&index, "secure")[0].0,
        "policies/data-policy.html#purpose"
    );

    let archived = load(&hb, "archived");
    assert_eq!(
        sections_with(&archived, "safe")[0].0,
        "policies/data-policy/1.2.html#purpose"
    );
    let kinds: Vec<&str> = archived["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["version", "redline"]);
}
