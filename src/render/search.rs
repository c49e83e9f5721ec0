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

use std::hash::BuildHasher;
use std::ops::Range;

use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

use rayon::prelude::*;
use serde::Serialize;

use super::{Append, Emit, OutputFile};
use crate::Error;
use crate::content::{Data, Kind};
use crate::markdown::{self, Heading, Parsed};
use crate::model::CURRENT;
use crate::model::{Entry, Handbook};
use crate::urls;

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

/// Calls `f` with each word of `text` as the index and the theme's search script see them: runs
/// of letters and digits, lowercased, with dots kept between digits so that clause `3.2` and
/// version `1.10` stay one word. `search.js` implements the same rule. The words are lowercased
/// into one reused buffer: a large handbook has millions of words, and most are seen before.
fn each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if c == '.'
            && word.chars().last().is_some_and(char::is_numeric)
            && chars.peek().is_some_and(|n| n.is_numeric())
        {
            word.push('.');
        } else if !word.is_empty() {
            f(&word);
            word.clear();
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

/// Whether a word goes into the index.
fn is_indexed(word: &str) -> bool {
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

/// A page split into its sections, each a search document with the scores of its words. Pages
/// are analysed independently of each other, so in parallel; [`Index::add`] then numbers them,
/// each as [`PageDocs::done`] leaves it.
struct PageDocs {
    page: Page,
    words: Words,
    /// The sections' texts, back to back.
    text: String,
    sections: Vec<Doc>,
}

/// A page analysed, as it waits for [`Index::add`]: its indexed words by position, without the
/// table that found them, since a build holds a few hundred pages' worth at a time. What the
/// index writes of it is JSON already, made on the thread that analysed it, so the thread that
/// adds the pages in order only copies bytes and frees a few buffers per page.
struct Analysed {
    /// The page's entry in the index's pages.
    page: String,
    words: Spellings,
    /// The indexed words in order of position, by their number in `words`.
    indexed: Vec<u32>,
    /// Each section's text as a JSON string, then the rest of its entry in the index's sections
    /// (`,"anchor","heading"]`).
    json: Vec<u8>,
    sections: Vec<Section>,
    /// Each section's words, by position in `indexed`, and their scores.
    scores: Vec<(u32, u32)>,
}

/// Where a section's parts are in its [`Analysed`].
struct Section {
    text_json: Range<usize>,
    /// The length of the text itself, unescaped.
    text_len: usize,
    rest: Range<usize>,
    scores: Range<usize>,
}

/// Words back to back in one string, each known by its number: a page has hundreds of distinct
/// words, and a large handbook millions of pages' worth, so they are not a string each.
#[derive(Default)]
struct Spellings {
    text: String,
    /// Where each word ends in `text`.
    ends: Vec<usize>,
}

impl Spellings {
    fn push(&mut self, word: &str) -> u32 {
        self.text.push_str(word);
        self.ends.push(self.text.len());
        u32::try_from(self.ends.len() - 1).unwrap_or(u32::MAX)
    }

    fn get(&self, n: u32) -> &str {
        let n = n as usize;
        let start = n.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.text[start..self.ends[n]]
    }
}

/// A page's words, each once: its sections score the indexed ones by position here, so that
/// the index looks a word up once per page, not once per section.
#[derive(Default)]
struct Words {
    /// Each distinct word, in the order first seen.
    seen: Spellings,
    /// The numbers in `seen`, hashed by their word.
    table: HashTable<u32>,
    /// Each seen word's position, counted from 0 among the indexed words, or [`NOT_INDEXED`].
    positions: Vec<u32>,
    /// Position → its word's number in `seen`: the indexed words, in order.
    indexed: Vec<u32>,
    /// Position → its place in the scores of the section being scored ([`UNSCORED`] if none),
    /// so that counting a word is an index, not a hash lookup.
    slots: Vec<u32>,
}

/// The position of a word that is not indexed.
const NOT_INDEXED: u32 = u32::MAX;
/// A position's slot before the section being scored has the word.
const UNSCORED: u32 = u32::MAX;

impl Words {
    /// Makes room for `words` distinct words, rather than growing from none a page at a time.
    fn reserve(&mut self, words: usize) {
        self.seen.text.reserve(words * 8);
        self.seen.ends.reserve(words);
        let seen = &self.seen;
        self.table
            .reserve(words, |&n| FxBuildHasher.hash_one(seen.get(n)));
        self.positions.reserve(words);
        self.indexed.reserve(words);
        self.slots.reserve(words);
    }

    /// The position of `word`, added when first seen; `None` if it is not indexed.
    fn position(&mut self, word: &str) -> Option<u32> {
        let Words {
            seen,
            table,
            positions,
            indexed,
            slots,
        } = self;
        let hash = FxBuildHasher.hash_one(word);
        let n = match table.find(hash, |&n| seen.get(n) == word) {
            Some(&n) => n,
            None => {
                let n = seen.push(word);
                table.insert_unique(hash, n, |&n| FxBuildHasher.hash_one(seen.get(n)));
                positions.push(if is_indexed(word) {
                    indexed.push(n);
                    slots.push(UNSCORED);
                    u32::try_from(indexed.len() - 1).unwrap_or(NOT_INDEXED)
                } else {
                    NOT_INDEXED
                });
                n
            }
        };
        let position = positions[n as usize];
        (position != NOT_INDEXED).then_some(position)
    }

    /// Calls `score` with each indexed word of `text`: its position, and its entry in `scores`
    /// (added if the section did not have the word yet).
    fn score_words(
        &mut self,
        scores: &mut Vec<(u32, Score)>,
        text: &str,
        mut score: impl FnMut(u32, &mut Score),
    ) {
        for (slot, (position, _)) in (0..).zip(scores.iter()) {
            self.slots[*position as usize] = slot;
        }
        each_word(text, |word| {
            let Some(position) = self.position(word) else {
                return;
            };
            let slot = &mut self.slots[position as usize];
            if *slot == UNSCORED {
                *slot = u32::try_from(scores.len()).unwrap_or(UNSCORED);
                scores.push((position, Score::default()));
            }
            score(position, &mut scores[*slot as usize].1);
        });
        for (position, _) in scores.iter() {
            self.slots[*position as usize] = UNSCORED;
        }
    }

    /// Adds `score` to `doc` for each word of a field; a word counts once however often the
    /// field has it.
    fn add_field(&mut self, doc: &mut Doc, field: &str, score: u32) {
        // A field is a title or a heading: a few words.
        let mut seen = Vec::new();
        self.score_words(&mut doc.scores, field, |position, s| {
            if !seen.contains(&position) {
                seen.push(position);
                s.fields += score;
            }
        });
    }

    /// Counts the words of `doc`'s `text`, up to [`BODY_CAP`] times each.
    fn add_text(&mut self, doc: &mut Doc, text: &str) {
        // Sized for a distinct word per 16 bytes or so, rather than grown from a few.
        doc.scores.reserve(text.len() / 16);
        self.score_words(&mut doc.scores, text, |_, s| {
            s.body = (s.body + BODY).min(BODY_CAP * BODY);
        });
    }
}

/// A section of a page: the search document.
struct Doc {
    /// Heading id; empty for the top of the page.
    anchor: String,
    /// Heading text, with its clause number.
    heading: String,
    /// Where its text is in its page's.
    text: Range<usize>,
    /// Position of each word in the page's [`Words`], and its score, in the order first seen.
    scores: Vec<(u32, Score)>,
}

/// A word's score in a section: from the fields (title, heading, metadata) that have it, plus
/// from its occurrences in the text.
#[derive(Default)]
struct Score {
    fields: u32,
    body: u32,
}

impl Score {
    fn total(&self) -> u32 {
        self.fields + self.body
    }
}

impl PageDocs {
    fn new(url: String, title: &str, kind: &str) -> PageDocs {
        PageDocs {
            page: Page {
                url,
                title: title.to_string(),
                kind: kind.to_string(),
            },
            words: Words::default(),
            text: String::new(),
            sections: Vec::new(),
        }
    }

    /// Adds a section; `heading` is `None` for the top of the page, which carries the title.
    fn section(&mut self, heading: Option<&Heading>, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        let mut doc = Doc {
            anchor: heading.map_or_else(String::new, |h| h.id.clone()),
            heading: heading.map_or_else(String::new, |h| match &h.number {
                Some(n) => format!("{n} {}", h.text),
                None => h.text.clone(),
            }),
            text: start..self.text.len(),
            scores: Vec::new(),
        };
        let title = &self.page.title;
        match heading {
            None => self.words.add_field(&mut doc, title, TITLE),
            Some(h) => {
                let field = format!("{} {}", doc.heading, h.id);
                self.words.add_field(&mut doc, &field, HEADING);
                self.words.add_field(&mut doc, title, CONTEXT);
            }
        }
        self.words.add_text(&mut doc, text);
        self.sections.push(doc);
    }

    /// Adds a Markdown document: its top, then a section per heading. Returns the top's
    /// position in `sections`.
    fn markdown(&mut self, intro: &str, body: &Parsed, headings: &[Heading]) -> usize {
        let texts = markdown::section_texts(body);
        // Sized from the text: a handbook's page has a distinct word per 16 bytes or more.
        let len = intro.len() + texts.iter().map(str::len).sum::<usize>();
        self.text.reserve(len + 1);
        self.words.reserve(len / 16);
        let mut texts = texts.iter();
        let first = texts.next().unwrap_or_default();
        let top = self.sections.len();
        self.section(None, &join(intro, first));
        // `section_texts` and `scan` see the same headings; zip stops at the shorter if not.
        for (heading, text) in headings.iter().zip(texts) {
            self.section(Some(heading), text);
        }
        top
    }

    /// Adds the words of a field to the section at `doc`.
    fn add_field(&mut self, doc: usize, field: &str, score: u32) {
        self.words.add_field(&mut self.sections[doc], field, score);
    }

    /// The page as the index takes it.
    fn done(self) -> Analysed {
        let mut out = Vec::with_capacity(self.text.len() + self.text.len() / 8 + 64);
        let mut scores = Vec::new();
        let sections = self
            .sections
            .into_iter()
            .map(|doc| {
                let text = &self.text[doc.text];
                let start = out.len();
                json_into(&mut out, text);
                let text_end = out.len();
                for part in [&doc.anchor, &doc.heading] {
                    out.push(b',');
                    json_into(&mut out, part);
                }
                out.push(b']');
                let first = scores.len();
                scores.extend(doc.scores.iter().map(|(n, score)| (*n, score.total())));
                Section {
                    text_json: start..text_end,
                    text_len: text.len(),
                    rest: text_end..out.len(),
                    scores: first..scores.len(),
                }
            })
            .collect();
        Analysed {
            page: json(&self.page),
            words: self.words.seen,
            indexed: self.words.indexed,
            json: out,
            sections,
            scores,
        }
    }
}

/// The documents of one word, in the order they were added, as LEB128 numbers: the gap from
/// the previous document, then the score. A large handbook has millions of (word, section)
/// pairs, which this keeps to about two bytes each.
#[derive(Default)]
struct Postings {
    last: u32,
    bytes: Vec<u8>,
}

impl Postings {
    fn push(&mut self, doc: u32, score: u32) {
        for mut n in [doc - self.last, score] {
            while n >= 0x80 {
                self.bytes.push((n & 0x7f) as u8 | 0x80);
                n >>= 7;
            }
            self.bytes.push(n as u8);
        }
        self.last = doc;
    }

    /// The numbers, as written: gap, score, gap, score…
    fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        let mut bytes = self.bytes.iter();
        std::iter::from_fn(move || {
            let mut n = 0;
            let mut shift = 0;
            loop {
                let b = *bytes.next()?;
                n |= u32::from(b & 0x7f) << shift;
                if b < 0x80 {
                    return Some(n);
                }
                shift += 7;
            }
        })
    }
}

/// The index being built. Pages are added in order, and what is known of them is kept in the
/// form the index file has: JSON for pages and sections, compact postings. Each full chunk of
/// section texts is emitted as soon as it is complete, so the texts of a large handbook are
/// never all held at once.
struct Index {
    name: &'static str,
    /// JSON of each page, comma-separated.
    pages: Vec<u8>,
    page_count: usize,
    /// JSON of each section, `[page,anchor,heading]`, comma-separated.
    sections: Vec<u8>,
    section_count: u32,
    /// Word → its number in `postings`.
    vocabulary: HashMap<String, u32>,
    postings: Vec<Postings>,
    /// The first section of each text chunk.
    chunk_starts: Vec<u32>,
    /// The texts of the chunk being filled, as JSON strings, comma-separated.
    chunk: Vec<u8>,
    /// The length of those texts, unescaped.
    chunk_bytes: usize,
}

impl Index {
    fn new(name: &'static str) -> Index {
        Index {
            name,
            pages: Vec::new(),
            page_count: 0,
            sections: Vec::new(),
            section_count: 0,
            vocabulary: HashMap::default(),
            postings: Vec::new(),
            chunk_starts: vec![0],
            chunk: Vec::new(),
            chunk_bytes: 0,
        }
    }

    fn add(&mut self, page: Analysed, emit: &Emit) -> Result<(), Error> {
        let number = self.page_count;
        self.page_count += 1;
        separate(&mut self.pages);
        self.pages.extend_from_slice(page.page.as_bytes());
        // The page's words by position → their numbers in `postings`.
        let numbers: Vec<u32> = page
            .indexed
            .iter()
            .map(|&n| {
                let word = page.words.get(n);
                if let Some(&n) = self.vocabulary.get(word) {
                    return n;
                }
                let n = u32::try_from(self.postings.len()).unwrap_or(u32::MAX);
                self.vocabulary.insert(word.to_string(), n);
                self.postings.push(Postings::default());
                n
            })
            .collect();
        let mut digits = itoa::Buffer::new();
        let page_number = digits.format(number).as_bytes();
        for doc in &page.sections {
            let section = self.section_count;
            self.section_count += 1;
            if self.chunk_bytes >= CHUNK_BYTES {
                self.emit_chunk(emit)?;
                self.chunk_starts.push(section);
            }
            separate(&mut self.sections);
            self.sections.push(b'[');
            self.sections.extend_from_slice(page_number);
            self.sections
                .extend_from_slice(&page.json[doc.rest.clone()]);
            for &(position, score) in &page.scores[doc.scores.clone()] {
                let n = numbers[position as usize];
                self.postings[n as usize].push(section, score);
            }
            self.chunk_bytes += doc.text_len;
            if !self.chunk.is_empty() {
                self.chunk.push(b',');
            }
            self.chunk
                .extend_from_slice(&page.json[doc.text_json.clone()]);
        }
        Ok(())
    }

    /// Emits `search/<name>-text-N.js`, the texts of the sections since the last chunk.
    fn emit_chunk(&mut self, emit: &Emit) -> Result<(), Error> {
        let name = format!("{}-text-{}", self.name, self.chunk_starts.len() - 1);
        let mut script = Script::new(&name);
        script.text.push(b'[');
        script.text.extend_from_slice(&self.chunk);
        script.text.push(b']');
        emit(script.finish())?;
        self.chunk.clear();
        self.chunk_bytes = 0;
        Ok(())
    }

    /// Emits the last text chunk and `search/<name>.js`, the index proper: pages, sections,
    /// chunks, and per word, sorted so that the browser finds those with a prefix by binary
    /// search, its postings. The index is written in pieces: at 10,000 pages it is tens of
    /// megabytes, and held whole beside the archived versions' it was a build's peak of memory.
    fn finish(mut self, emit: &Emit, append: &Append) -> Result<(), Error> {
        self.emit_chunk(emit)?;
        let mut words: Vec<(&str, u32)> = self
            .vocabulary
            .iter()
            .map(|(word, &n)| (word.as_str(), n))
            .collect();
        words.sort_unstable();
        let only_words: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
        // Format version 1; the field order is the one `search.js` has always read.
        let mut out = Script::new(self.name);
        for part in [
            b"{\"version\":1,\"pages\":[".as_slice(),
            &self.pages,
            b"],\"sections\":[",
            &self.sections,
            b"],\"chunks\":",
            json(&self.chunk_starts).as_bytes(),
            b",\"words\":",
            json(&only_words).as_bytes(),
            b",\"postings\":[",
        ] {
            out.put(part, append)?;
        }
        drop((self.pages, self.sections, only_words));
        // Formatted side by side a block of words at a time: on one thread this was the end of
        // a large build, with the other core idle. A block is as many words as have about
        // `BLOCK` bytes of postings (a few times that formatted), however few words the
        // handbook has: formatted whole, the postings were the build's peak of memory.
        const BLOCK: usize = 1 << 20;
        let mut first = true;
        let mut rest = words.as_slice();
        while !rest.is_empty() {
            let mut bytes = 0;
            let end = rest
                .iter()
                .position(|(_, n)| {
                    bytes += self.postings[*n as usize].bytes.len();
                    bytes > BLOCK
                })
                .map_or(rest.len(), |i| i.max(1));
            let (block, next) = rest.split_at(end);
            rest = next;
            let lists: Vec<String> = block
                .par_iter()
                .map(|(_, n)| {
                    let mut list = String::from(",[");
                    let mut digits = itoa::Buffer::new();
                    for (j, number) in self.postings[*n as usize].numbers().enumerate() {
                        if j > 0 {
                            list.push(',');
                        }
                        list.push_str(digits.format(number));
                    }
                    list.push(']');
                    list
                })
                .collect();
            for list in &lists {
                // Each list after a comma, but the first.
                let list = if first { &list[1..] } else { list };
                first = false;
                out.put(list, append)?;
            }
        }
        out.put("]}", append)?;
        out.end(append)
    }
}

/// Appends the comma before a list's next element.
fn separate(list: &mut Vec<u8>) {
    if !list.is_empty() {
        list.push(b',');
    }
}

/// A `search/<name>.js` being written: it stores its JSON as `window.policybookSearch[name]`.
/// What goes in is UTF-8: serde_json's output and ASCII.
struct Script {
    path: String,
    text: Vec<u8>,
}

impl Script {
    fn new(name: &str) -> Script {
        Script {
            path: urls::search_file(name),
            text: format!("({GLOBAL}={GLOBAL}||{{}})[\"{name}\"]=").into_bytes(),
        }
    }

    fn finish(mut self) -> OutputFile {
        self.text.extend_from_slice(b";\n");
        OutputFile {
            path: self.path,
            bytes: self.text,
        }
    }

    /// Adds `part`, handing what has gathered to `append` once it is a piece's worth.
    fn put(&mut self, part: impl AsRef<[u8]>, append: &Append) -> Result<(), Error> {
        const PIECE: usize = 1 << 16;
        let part = part.as_ref();
        if self.text.len() + part.len() > PIECE {
            append(&self.path, &self.text)?;
            self.text.clear();
            if part.len() > PIECE {
                return append(&self.path, part);
            }
        }
        self.text.extend_from_slice(part);
        Ok(())
    }

    /// Ends the file written by [`Script::put`].
    fn end(mut self, append: &Append) -> Result<(), Error> {
        self.text.extend_from_slice(b";\n");
        append(&self.path, &self.text)
    }
}

/// Appends `text` to `out` as [`json`] writes it.
fn json_into(out: &mut Vec<u8>, text: &str) {
    if text.contains('<') {
        out.extend_from_slice(json(text).as_bytes());
    } else {
        // Writing a string to a vector cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
    }
}

fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serializing strings, numbers and lists cannot fail. `<` only occurs inside strings, where
    // `\u003c` means the same; written out, a `</script>` in content could never end a script.
    let text = serde_json::to_string(value).unwrap_or_default();
    // Most texts have no `<`: copied only when one does.
    if text.contains('<') {
        text.replace('<', "\\u003c")
    } else {
        text
    }
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a} {b}"),
    }
}

/// Entries analysed in parallel at a time: enough to keep every core busy, few enough that
/// their texts are a small part of a large handbook.
const BATCH: usize = 64;

/// The current search index of the whole site (`search/index.js`), built from each entry's
/// documents ([`analyse`]) added in order, then the summary pages. The archive's
/// (`search/archived.js`) is made apart, by [`archive`].
pub struct Indexer(Index);

/// What an entry adds to the current index: its own page and a policy's history.
pub struct EntryDocs(Vec<Analysed>);

impl Indexer {
    /// An empty index.
    pub fn new() -> Indexer {
        Indexer(Index::new("index"))
    }

    /// Adds an entry's documents; entries are added in the handbook's order.
    pub fn add(&mut self, docs: EntryDocs, emit: &Emit) -> Result<(), Error> {
        docs.0
            .into_iter()
            .try_for_each(|page| self.0.add(page, emit))
    }

    /// Adds the summary pages and emits the index files. `paths` are the site's files, so that
    /// pages the render stage left out (a dashboard without KPIs) are not indexed either.
    pub fn finish(
        self,
        handbook: &Handbook,
        paths: &[&str],
        emit: &Emit,
        append: &Append,
    ) -> Result<(), Error> {
        let Indexer(mut index) = self;
        let exists = |url: &str| paths.contains(&url);
        let mut title_only = |url: String, title: &str, kind: &str| {
            let mut page = PageDocs::new(url, title, kind);
            page.section(None, "");
            index.add(page.done(), emit)
        };
        for kind in Kind::ALL {
            let url = urls::section(kind);
            if kind != Kind::Page && exists(&url) {
                title_only(url, kind.plural_label(), "section")?;
            }
        }
        for (url, title) in [
            (urls::DASHBOARD, "Executive dashboard"),
            (urls::TRACEABILITY, "Traceability"),
            (urls::EDITION, "What changed in this edition"),
        ] {
            if exists(url) {
                title_only(url.to_string(), title, "page")?;
            }
        }
        if exists(urls::ROLES) {
            let mut page = PageDocs::new(urls::ROLES.to_string(), "Roles and ownership", "page");
            page.section(None, "");
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
                page.section(Some(&heading), &text);
            }
            index.add(page.done(), emit)?;
        }
        index.finish(emit, append)
    }
}

/// Emits the search index of the whole site, reading each entry's text: for `serve`, which
/// writes the index after the pages; a build makes it with them ([`analyse`]).
pub fn files(
    handbook: &Handbook,
    paths: &[&str],
    emit: &Emit,
    append: &Append,
) -> Result<(), Error> {
    let mut indexer = Indexer::new();
    add_in_batches(
        handbook,
        |e| analyse(e, &markdown::parse(&e.item.body.text()?)),
        |docs| indexer.add(docs, emit),
    )?;
    indexer.finish(handbook, paths, emit, append)?;
    archive(handbook, emit, append)
}

/// Emits the archive's index: every policy's archived versions and redlines. It reads the
/// archived texts itself, so it is made beside the pages and the current index.
pub fn archive(handbook: &Handbook, emit: &Emit, append: &Append) -> Result<(), Error> {
    let mut index = Index::new("archived");
    let number = handbook.config.output.html.number_clauses;
    add_in_batches(
        handbook,
        |e| archived(e, number),
        |pages| pages.into_iter().try_for_each(|page| index.add(page, emit)),
    )?;
    index.finish(emit, append)
}

/// Calls `add` with what `analyse` makes of each entry, in order; entries are analysed side by
/// side a batch at a time.
fn add_in_batches<T: Send>(
    handbook: &Handbook,
    analyse: impl Fn(&Entry) -> Result<T, Error> + Sync,
    mut add: impl FnMut(T) -> Result<(), Error> + Send,
) -> Result<(), Error> {
    crate::parallel::in_order(
        handbook.entries.chunks(BATCH),
        |batch| {
            batch
                .par_iter()
                .map(|e| analyse(e))
                .collect::<Result<Vec<_>, _>>()
        },
        |analysed| analysed.into_iter().try_for_each(&mut add),
    )
}

/// The documents of `entry`, whose text is `source`, for the current index: its page and a
/// policy's history. Entries are analysed independently, so side by side.
pub fn analyse(entry: &Entry, source: &Parsed) -> Result<EntryDocs, Error> {
    let item = &entry.item;
    let common = &item.common;
    let kind = item.kind.name();
    let mut page = PageDocs::new(entry.url.clone(), &common.title, kind);
    let top = page.markdown(
        common.summary.as_deref().unwrap_or_default(),
        source,
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
    page.add_field(top, &meta, META);
    let mut pages = vec![page.done()];
    if !item.releases.is_empty() {
        let mut history = PageDocs::new(
            urls::history(&entry.item.id),
            &format!("{}: history", common.title),
            "history",
        );
        let summaries: Vec<&str> = item
            .releases
            .iter()
            .map(|a| a.release.summary.as_str())
            .collect();
        history.section(None, &summaries.join(" "));
        pages.push(history.done());
    }
    Ok(EntryDocs(pages))
}

/// The documents of `entry` for the archive index: a policy's archived versions and redlines.
fn archived(entry: &Entry, number: bool) -> Result<Vec<Analysed>, Error> {
    let item = &entry.item;
    let title = &item.common.title;
    let mut pages = Vec::new();
    for release in &item.releases {
        let version = &release.release.version.0;
        let mut page = PageDocs::new(
            urls::version(&item.id, version),
            &format!("{title} {version}"),
            "version",
        );
        let text = release.body.text()?;
        let headings = markdown::scan(&text, number).headings;
        page.markdown(&release.release.summary, &markdown::parse(&text), &headings);
        pages.push(page.done());
    }
    // The same redlines as the history pages, each as one document: its title and the summary
    // of the change. Their text is the versions' text again, so it is not indexed twice.
    let labels: Vec<(&str, &str)> = item
        .releases
        .iter()
        .map(|a| (a.release.version.0.as_str(), a.release.summary.as_str()))
        .collect();
    let changes = match &item.data {
        Data::Policy(p) => p.changes.as_deref().unwrap_or_default(),
        _ => "",
    };
    let pairs = labels
        .windows(2)
        .map(|w| (w[0].0, w[1]))
        .chain(labels.iter().map(|&(v, _)| (v, (CURRENT, changes))));
    for (from, (to, summary)) in pairs {
        let to_label = if to == CURRENT { "current text" } else { to };
        let mut page = PageDocs::new(
            urls::redline(&item.id, from, to),
            &format!("{title}: {from} → {to_label}"),
            "redline",
        );
        page.section(None, summary);
        pages.push(page.done());
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut words = Vec::new();
        each_word(text, |w| words.push(w.to_string()));
        words
    }

    #[test]
    fn words_keep_clause_numbers_and_lowercase() {
        assert_eq!(
            words("§3.2 Données, v1.10 ends. AI-assisted 4."),
            ["3.2", "données", "v1.10", "ends", "ai", "assisted", "4"]
        );
        assert!(is_indexed("3") && is_indexed("ai") && !is_indexed("x") && !is_indexed("the"));
        assert!(!is_indexed(&"a".repeat(MAX_WORD + 1)));
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

    /// The index of `pages`: its JSON, and every file by path.
    fn emitted(pages: Vec<PageDocs>) -> (serde_json::Value, BTreeMap<String, String>) {
        let mut index = Index::new("index");
        let (files, ()) = super::super::collect(|emit, append| {
            for page in pages {
                index.add(page.done(), emit)?;
            }
            index.finish(emit, append)
        })
        .unwrap();
        let files: BTreeMap<String, String> = files
            .into_iter()
            .map(|f| (f.path, String::from_utf8(f.bytes).unwrap()))
            .collect();
        let text = &files["search/index.js"];
        let json = text
            .strip_prefix("(window.policybookSearch=window.policybookSearch||{})[\"index\"]=")
            .and_then(|t| t.strip_suffix(";\n"))
            .unwrap();
        (serde_json::from_str(json).unwrap(), files)
    }

    #[test]
    fn sections_link_to_headings_and_titles_outrank_mentions() {
        let body = "Intro.\n\n## Retention\n\nPrompts are kept 30 days.\n\n## Scope\n\nRetention is mentioned here.\n";
        let headings = [
            heading("retention", "Retention", Some("1")),
            heading("scope", "Scope", Some("2")),
        ];
        let mut page = PageDocs::new("policies/data.html".into(), "Data policy", "policy");
        page.markdown("Summary words.", &markdown::parse(body), &headings);
        let mut other = PageDocs::new("guide/other.html".into(), "Retention", "page");
        other.markdown("", &markdown::parse("Nothing here."), &[]);
        let (file, files) = emitted(vec![page, other]);

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
        let text = &files["search/index-text-0.js"];
        assert!(text.contains("\"Prompts are kept 30 days.\""), "{text}");
        assert!(text.starts_with(
            "(window.policybookSearch=window.policybookSearch||{})[\"index-text-0\"]=["
        ));
    }

    #[test]
    fn text_is_chunked() {
        let long = "word ".repeat(CHUNK_BYTES / 5 + 1);
        let mut pages = Vec::new();
        for n in 0..3 {
            let mut page = PageDocs::new(format!("p{n}.html"), "T", "page");
            page.section(None, &long);
            pages.push(page);
        }
        let (file, files) = emitted(pages);
        assert_eq!(file["chunks"], serde_json::json!([0, 1, 2]));
        let paths: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "search/index-text-0.js",
                "search/index-text-1.js",
                "search/index-text-2.js",
                "search/index.js"
            ]
        );
    }
}
