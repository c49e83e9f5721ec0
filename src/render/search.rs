//! The search index of the default theme: every page split at its headings into sections, each
//! a document, with an inverted index from words to the documents that contain them.
//!
//! The index is JavaScript, not JSON: browsers refuse `fetch` of `file://` addresses, but load a
//! `<script>` from them, so the theme's `search.js` injects these files on first use and reads
//! what they add to the `window.policybookSearch` object, under their own name. The index proper
//! (`search/index.js`: pages, sections, words and postings) is all a query needs; the section
//! texts, used only to show snippets, are split into `search/index-text-N.js` chunks that are
//! loaded for the results on screen. Archived versions and redlines have an index of their own,
//! `search/archived.js`, loaded only when a reader asks to include them: most searches are for
//! the rules in force, and the archive would otherwise double the download.
//!
//! Scores are computed here, so the browser only adds them up: a word in a page's title counts
//! more than one in a heading, which counts more than a passing mention in the text.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::OutputFile;
use super::context::section_url;
use super::history::{history_url, redline_url, version_url};
use super::views::{DASHBOARD_URL, TRACEABILITY_URL};
use crate::content::{Data, Kind};
use crate::markdown::{self, Heading};
use crate::model::{Entry, Handbook, ROLES_URL};
use crate::versions::CURRENT;

/// The global object the index files add to; `search.js` reads it.
const GLOBAL: &str = "window.policybookSearch";

/// Score of a word in the page title (given to the page's first section only, which links to
/// the top of the page).
const TITLE: u32 = 10;
/// Score of a word in a section's heading or clause number.
const HEADING: u32 = 6;
/// Score of a word in the metadata: id, kind, owner, status, tags.
const META: u32 = 3;
/// Score of the page title in each of its later sections, so that "data retention" prefers the
/// Retention section of the data policy over other Retention sections.
const CONTEXT: u32 = 1;
/// Score per occurrence in the text, up to [`BODY_CAP`]: repeating a word adds little.
const BODY: u32 = 1;
const BODY_CAP: u32 = 3;
/// Section texts are split into chunks of about this many bytes.
const CHUNK_BYTES: usize = 24 * 1024;
/// Words longer than this (hashes, encoded data) are not worth indexing.
const MAX_WORD: usize = 32;

/// Frequent English words that say nothing about a section. Dropping them makes the index
/// smaller; a query made only of them matches nothing useful anyway.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with",
];

/// The words of `text` as the index and the theme's search script see them: runs of letters and
/// digits, lowercased, with dots kept between digits so that clause `3.2` and version `1.10`
/// stay one word. `search.js` implements the same rule.
pub fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if c == '.'
            && word.chars().last().is_some_and(char::is_numeric)
            && chars.peek().is_some_and(|n| n.is_numeric())
        {
            word.push('.');
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Whether a word goes into the index.
fn indexed(word: &str) -> bool {
    let chars = word.chars().count();
    chars <= MAX_WORD
        // One letter says nothing; one digit may be a clause number.
        && (chars > 1 || word.chars().all(char::is_numeric))
        && !STOP_WORDS.contains(&word)
}

/// A page of the site.
#[derive(Serialize)]
struct Page {
    url: String,
    title: String,
    /// Kind name for the result's badge.
    kind: String,
}

/// A section of a page: the search document.
struct Section {
    page: usize,
    /// Heading id; empty for the top of the page.
    anchor: String,
    /// Heading text, with its clause number.
    heading: String,
    text: String,
    /// Word number (in [`Vocabulary`]) → score.
    scores: HashMap<u32, u32>,
}

/// Every word of an index once, numbered: sections refer to words by number, so a large
/// handbook's millions of (word, section) pairs do not each hold a copy of the word.
#[derive(Default)]
struct Vocabulary {
    numbers: HashMap<String, u32>,
    words: Vec<String>,
}

impl Vocabulary {
    fn number(&mut self, word: String) -> u32 {
        if let Some(&n) = self.numbers.get(&word) {
            return n;
        }
        let n = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        self.words.push(word.clone());
        self.numbers.insert(word, n);
        n
    }

    /// Adds `score` to `scores` for each word of a field; a word counts once however often the
    /// field has it.
    fn add(&mut self, scores: &mut HashMap<u32, u32>, field: &str, score: u32) {
        let mut seen = std::collections::HashSet::new();
        for word in words(field).into_iter().filter(|w| indexed(w)) {
            let n = self.number(word);
            if seen.insert(n) {
                *scores.entry(n).or_insert(0) += score;
            }
        }
    }
}

/// The index being built.
#[derive(Default)]
struct Index {
    pages: Vec<Page>,
    sections: Vec<Section>,
    vocabulary: Vocabulary,
}

impl Index {
    fn page(&mut self, url: String, title: &str, kind: &str) -> usize {
        self.pages.push(Page {
            url,
            title: title.to_string(),
            kind: kind.to_string(),
        });
        self.pages.len() - 1
    }

    /// Adds a section; `heading` is `None` for the top of the page, which carries the title.
    fn section(&mut self, page: usize, heading: Option<&Heading>, text: String) -> &mut Section {
        let title = self.pages[page].title.clone();
        let mut section = Section {
            page,
            anchor: heading.map_or_else(String::new, |h| h.id.clone()),
            heading: heading.map_or_else(String::new, |h| match &h.number {
                Some(n) => format!("{n} {}", h.text),
                None => h.text.clone(),
            }),
            text,
            scores: HashMap::new(),
        };
        let vocabulary = &mut self.vocabulary;
        match heading {
            None => vocabulary.add(&mut section.scores, &title, TITLE),
            Some(h) => {
                let text = format!("{} {}", section.heading, h.id);
                vocabulary.add(&mut section.scores, &text, HEADING);
                vocabulary.add(&mut section.scores, &title, CONTEXT);
            }
        }
        let mut body: HashMap<u32, u32> = HashMap::new();
        for word in words(&section.text).into_iter().filter(|w| indexed(w)) {
            let n = body.entry(vocabulary.number(word)).or_insert(0);
            *n = (*n + BODY).min(BODY_CAP * BODY);
        }
        for (word, score) in body {
            *section.scores.entry(word).or_insert(0) += score;
        }
        self.sections.push(section);
        self.sections.last_mut().expect("just pushed")
    }

    /// Adds a Markdown document: its top, then a section per heading.
    fn markdown(&mut self, page: usize, intro: &str, body: &str, headings: &[Heading]) -> usize {
        let mut texts = markdown::section_texts(body).into_iter();
        let first = texts.next().unwrap_or_default();
        let top = self.sections.len();
        self.section(page, None, join(intro, &first));
        // `section_texts` and `scan` see the same headings; zip stops at the shorter if not.
        for (heading, text) in headings.iter().zip(texts) {
            self.section(page, Some(heading), text);
        }
        top
    }

    /// The site files: `search/<name>.js` and its text chunks `search/<name>-text-N.js`.
    fn files(self, name: &str) -> Vec<OutputFile> {
        let vocabulary = &self.vocabulary.words;
        let mut postings: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (doc, section) in self.sections.iter().enumerate() {
            let doc = u32::try_from(doc).unwrap_or(u32::MAX);
            for (&word, &score) in &section.scores {
                postings
                    .entry(&vocabulary[word as usize])
                    .or_default()
                    .extend([doc, score]);
            }
        }
        // Sections are visited in order, so each list is sorted by document: store the gaps,
        // which are small numbers and compress well.
        let words: Vec<&str> = postings.keys().copied().collect();
        let postings: Vec<Vec<u32>> = postings
            .values()
            .map(|list| {
                let mut previous = 0;
                list.chunks(2)
                    .flat_map(|pair| {
                        let gap = pair[0] - previous;
                        previous = pair[0];
                        [gap, pair[1]]
                    })
                    .collect()
            })
            .collect();
        let mut chunks: Vec<Vec<&str>> = vec![Vec::new()];
        let mut chunk_starts = vec![0];
        let mut size = 0;
        for (doc, section) in self.sections.iter().enumerate() {
            if size >= CHUNK_BYTES {
                chunks.push(Vec::new());
                chunk_starts.push(doc);
                size = 0;
            }
            size += section.text.len();
            if let Some(chunk) = chunks.last_mut() {
                chunk.push(&section.text);
            }
        }
        let file = IndexFile {
            version: 1,
            pages: &self.pages,
            sections: self
                .sections
                .iter()
                .map(|s| (s.page, s.anchor.as_str(), s.heading.as_str()))
                .collect(),
            chunks: chunk_starts,
            words,
            postings,
        };
        let mut files = vec![script(name, &json(&file))];
        for (n, chunk) in chunks.iter().enumerate() {
            files.push(script(&format!("{name}-text-{n}"), &json(chunk)));
        }
        files
    }
}

/// What `search/index.js` assigns, as JSON.
#[derive(Serialize)]
struct IndexFile<'a> {
    /// Format version, bumped on incompatible changes.
    version: u32,
    pages: &'a [Page],
    /// (page, anchor, heading) per section.
    sections: Vec<(usize, &'a str, &'a str)>,
    /// The first section of each text chunk.
    chunks: Vec<usize>,
    /// Every word, sorted, so that the browser finds those with a prefix by binary search.
    words: Vec<&'a str>,
    /// Per word: section gap, score, section gap, score…
    postings: Vec<Vec<u32>>,
}

fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serializing strings, numbers and lists cannot fail. `<` only occurs inside strings, where
    // `\u003c` means the same; written out, a `</script>` in content could never end a script.
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// `search/<name>.js`, which stores `json` as `window.policybookSearch[name]`.
fn script(name: &str, json: &str) -> OutputFile {
    OutputFile {
        path: format!("search/{name}.js"),
        bytes: format!("({GLOBAL}={GLOBAL}||{{}})[\"{name}\"]={json};\n").into_bytes(),
    }
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a} {b}"),
    }
}

/// The search index of the whole site. `paths` are the site's files, so that pages the render
/// stage left out (a dashboard without KPIs) are not indexed either.
pub fn files(handbook: &Handbook, paths: &[&str]) -> Vec<OutputFile> {
    let mut index = Index::default();
    let mut archive = Index::default();
    let number = handbook.config.output.html.number_clauses;
    for entry in &handbook.entries {
        item(&mut index, &mut archive, entry, number);
    }
    let exists = |url: &str| paths.contains(&url);
    for kind in Kind::ALL {
        let url = section_url(kind);
        if kind != Kind::Page && exists(&url) {
            let page = index.page(url, kind.plural_label(), "section");
            index.section(page, None, String::new());
        }
    }
    for (url, title) in [
        (DASHBOARD_URL, "Executive dashboard"),
        (TRACEABILITY_URL, "Traceability"),
        (super::history::EDITION_URL, "What changed in this edition"),
    ] {
        if exists(url) {
            let page = index.page(url.to_string(), title, "page");
            index.section(page, None, String::new());
        }
    }
    if exists(ROLES_URL) {
        let page = index.page(ROLES_URL.to_string(), "Roles and ownership", "page");
        index.section(page, None, String::new());
        for role in &handbook.roles {
            let heading = Heading {
                level: 2,
                id: role.id.clone(),
                text: role.title.clone(),
                number: None,
            };
            let mut text = role.responsibilities.join(". ");
            if let Some(d) = &role.description {
                text = join(d, &text);
            }
            index.section(page, Some(&heading), text);
        }
    }
    let mut files = index.files("index");
    files.extend(archive.files("archived"));
    files
}

/// Indexes an item, and for a policy its history; its archived versions and redlines go to
/// `archive`.
fn item(index: &mut Index, archive: &mut Index, entry: &Entry, number: bool) {
    let item = &entry.item;
    let common = &item.common;
    let kind = item.kind.name();
    let page = index.page(entry.url.clone(), &common.title, kind);
    let top = index.markdown(
        page,
        common.summary.as_deref().unwrap_or_default(),
        &item.body,
        &entry.headings,
    );
    let status = match &item.data {
        Data::Policy(p) => Some(json(&p.status)),
        Data::Risk(r) => r.status.map(|s| json(&s)),
        _ => None,
    };
    let meta = [&item.id, kind, common.owner.as_deref().unwrap_or_default()]
        .into_iter()
        .chain(status.as_deref())
        .chain(common.tags.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    let top = &mut index.sections[top];
    index.vocabulary.add(&mut top.scores, &meta, META);

    if item.releases.is_empty() {
        return;
    }
    let history = index.page(
        history_url(entry),
        &format!("{}: history", common.title),
        "history",
    );
    let summaries: Vec<&str> = item
        .releases
        .iter()
        .map(|a| a.release.summary.as_str())
        .collect();
    index.section(history, None, summaries.join(" "));

    for archived in &item.releases {
        let version = &archived.release.version.0;
        let page = archive.page(
            version_url(item, version),
            &format!("{} {version}", common.title),
            "version",
        );
        let headings = markdown::scan(&archived.body, number).headings;
        archive.markdown(page, &archived.release.summary, &archived.body, &headings);
    }
    // The same redlines as the history pages, each as one document: its title and the summary
    // of the change. Their text is the versions' text again, so it is not indexed twice.
    let labels: Vec<(&str, &str)> = item
        .releases
        .iter()
        .map(|a| (a.release.version.0.as_str(), a.release.summary.as_str()))
        .collect();
    let current = match &item.data {
        Data::Policy(p) => p.changes.as_deref().unwrap_or_default(),
        _ => "",
    };
    let pairs = labels
        .windows(2)
        .map(|w| (w[0].0, w[1]))
        .chain(labels.iter().map(|&(v, _)| (v, (CURRENT, current))));
    for (from, (to, summary)) in pairs {
        let to_label = if to == CURRENT { "current text" } else { to };
        let page = archive.page(
            redline_url(item, from, to),
            &format!("{}: {from} → {to_label}", common.title),
            "redline",
        );
        archive.section(page, None, summary.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_clause_numbers_and_lowercase() {
        assert_eq!(
            words("§3.2 Données, v1.10 ends. AI-assisted 4."),
            ["3.2", "données", "v1.10", "ends", "ai", "assisted", "4"]
        );
        assert!(indexed("3") && indexed("ai") && !indexed("x") && !indexed("the"));
        assert!(!indexed(&"a".repeat(MAX_WORD + 1)));
    }

    fn heading(id: &str, text: &str, number: Option<&str>) -> Heading {
        Heading {
            level: 2,
            id: id.into(),
            text: text.into(),
            number: number.map(Into::into),
        }
    }

    /// Section index → score of `word`, from the emitted file.
    fn lookup(file: &serde_json::Value, word: &str) -> Vec<(u64, u32)> {
        let words = file["words"].as_array().unwrap();
        let Some(i) = words.iter().position(|w| w == word) else {
            return Vec::new();
        };
        let mut doc = 0;
        file["postings"][i]
            .as_array()
            .unwrap()
            .chunks(2)
            .map(|p| {
                doc += p[0].as_u64().unwrap();
                (doc, u32::try_from(p[1].as_u64().unwrap()).unwrap())
            })
            .collect()
    }

    fn emitted(index: Index) -> (serde_json::Value, Vec<OutputFile>) {
        let files = index.files("index");
        assert_eq!(files[0].path, "search/index.js");
        let text = String::from_utf8(files[0].bytes.clone()).unwrap();
        let json = text
            .strip_prefix("(window.policybookSearch=window.policybookSearch||{})[\"index\"]=")
            .and_then(|t| t.strip_suffix(";\n"))
            .unwrap();
        (serde_json::from_str(json).unwrap(), files)
    }

    #[test]
    fn sections_link_to_headings_and_titles_outrank_mentions() {
        let mut index = Index::default();
        let body = "Intro.\n\n## Retention\n\nPrompts are kept 30 days.\n\n## Scope\n\nRetention is mentioned here.\n";
        let headings = [
            heading("retention", "Retention", Some("1")),
            heading("scope", "Scope", Some("2")),
        ];
        let page = index.page("policies/data.html".into(), "Data policy", "policy");
        index.markdown(page, "Summary words.", body, &headings);
        let other = index.page("guide/other.html".into(), "Retention", "page");
        index.markdown(other, "", "Nothing here.", &[]);
        let (file, files) = emitted(index);

        assert_eq!(
            file["sections"][1],
            serde_json::json!([0, "retention", "1 Retention"])
        );
        let hits = lookup(&file, "retention");
        let score = |doc| hits.iter().find(|h| h.0 == doc).map(|h| h.1);
        // The page titled Retention, then the heading, then the passing mention.
        assert!(score(3) > score(1) && score(1) > score(2), "{hits:?}");
        assert_eq!(lookup(&file, "kept"), [(1, BODY)]);
        assert_eq!(lookup(&file, "1"), [(1, HEADING)]);
        assert_eq!(lookup(&file, "summary"), [(0, BODY)]);
        assert!(lookup(&file, "are").is_empty(), "stop words are dropped");
        let text = String::from_utf8(files[1].bytes.clone()).unwrap();
        assert!(text.contains("\"Prompts are kept 30 days.\""), "{text}");
        assert_eq!(files[1].path, "search/index-text-0.js");
        assert!(text.starts_with(
            "(window.policybookSearch=window.policybookSearch||{})[\"index-text-0\"]=["
        ));
    }

    #[test]
    fn text_is_chunked() {
        let mut index = Index::default();
        let long = "word ".repeat(CHUNK_BYTES / 5 + 1);
        for n in 0..3 {
            let page = index.page(format!("p{n}.html"), "T", "page");
            index.section(page, None, long.clone());
        }
        let (file, files) = emitted(index);
        assert_eq!(file["chunks"], serde_json::json!([0, 1, 2]));
        assert_eq!(files.len(), 4);
        assert_eq!(files[3].path, "search/index-text-2.js");
    }
}
