//! Markdown → the blocks a redline aligns: headings, paragraphs, list items, table cells, code.
//!
//! Text is normalised (whitespace collapsed), so re-wrapping a paragraph changes nothing. Link
//! targets become tokens of their own, so a changed target shows even though rendered text hides it.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// What a block is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum BlockKind {
    /// A heading of level 1–6.
    Heading {
        /// Its level.
        level: u8,
    },
    /// A paragraph.
    Paragraph,
    /// A list item (its own text, without nested items).
    ListItem,
    /// A table cell, labelled by its row's first cell and its column header.
    TableCell {
        /// "Row label · Column header".
        label: String,
    },
    /// A fenced or indented code block.
    Code {
        /// The info string's language.
        lang: String,
    },
}

/// One block of a document.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Its words (code keeps its lines, joined by newlines).
    pub text: String,
    /// The heading it sits under (its own text for a heading).
    #[serde(skip)]
    pub section: String,
    /// Where it is, as counsel cites it: "4.6", "4.6 item 3" (see [`Block::citation`]).
    #[serde(skip)]
    pub citation: Option<String>,
}

// Blocks align by what they say, not where they are: a clause renumbered by an insertion above
// it is the same clause.
impl PartialEq for Block {
    fn eq(&self, other: &Block) -> bool {
        (&self.kind, &self.text, &self.section) == (&other.kind, &other.text, &other.section)
    }
}

impl Eq for Block {}

impl std::hash::Hash for Block {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (&self.kind, &self.text, &self.section).hash(state);
    }
}

/// Numbers headings as clauses the way policy pages do (`number-clauses`: 1, 1.1, 1.1.1 from
/// the shallowest level present) and cites every other block by its heading's number, list items
/// also by their number in the list ("4.6 item 3"; "item 3" before the first heading).
fn cite(blocks: &mut [Block], items: &[Option<String>]) {
    let Some(top) = blocks
        .iter()
        .filter_map(|b| match b.kind {
            BlockKind::Heading { level } => Some(level),
            _ => None,
        })
        .min()
    else {
        for (block, item) in blocks.iter_mut().zip(items) {
            block.citation = item.as_ref().map(|i| format!("item {i}"));
        }
        return;
    };
    let mut counters = [0usize; 7];
    let mut clause: Option<String> = None;
    for (block, item) in blocks.iter_mut().zip(items) {
        if let BlockKind::Heading { level } = block.kind {
            let depth = usize::from(level - top);
            counters[depth] += 1;
            counters[depth + 1..].iter_mut().for_each(|c| *c = 0);
            let parts: Vec<String> = counters[..=depth].iter().map(|c| c.to_string()).collect();
            clause = Some(parts.join("."));
        }
        block.citation = match (&clause, item) {
            (Some(c), Some(i)) => Some(format!("{c} item {i}")),
            (Some(c), None) => Some(c.clone()),
            (None, Some(i)) => Some(format!("item {i}")),
            (None, None) => None,
        };
    }
}

/// Marks a link target token: `\u{1}policy:a#b`.
pub const TARGET: char = '\u{1}';

/// Splits Markdown into blocks in document order.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let mut out: Vec<Option<Block>> = Vec::new();
    // Open blocks: (slot in `out`, kind, text so far).
    let mut open: Vec<(usize, BlockKind, String)> = Vec::new();
    let mut section = String::new();
    let mut in_item = 0usize;
    let mut header: Vec<String> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut in_head = false;
    let mut cell = 0usize;
    // Open lists: (number of their first item, items so far); and each slot's item number.
    let mut lists: Vec<(u64, u64)> = Vec::new();
    let mut numbers: Vec<Option<String>> = Vec::new();

    let start = |out: &mut Vec<Option<Block>>,
                 open: &mut Vec<(usize, BlockKind, String)>,
                 kind: BlockKind| {
        out.push(None);
        open.push((out.len() - 1, kind, String::new()));
    };
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => start(
                &mut out,
                &mut open,
                BlockKind::Heading { level: level as u8 },
            ),
            Event::Start(Tag::Paragraph) if in_item == 0 => {
                start(&mut out, &mut open, BlockKind::Paragraph)
            }
            Event::Start(Tag::List(first)) => lists.push((first.unwrap_or(1), 0)),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                in_item += 1;
                if let Some(list) = lists.last_mut() {
                    list.1 += 1;
                }
                // A nested item is numbered within its parent: "3.1".
                let number: Vec<String> =
                    lists.iter().map(|(f, n)| (f + n - 1).to_string()).collect();
                numbers.resize(out.len(), None);
                numbers.push(Some(number.join(".")));
                start(&mut out, &mut open, BlockKind::ListItem);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',']).next().unwrap_or("").to_string()
                    }
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                start(&mut out, &mut open, BlockKind::Code { lang });
            }
            Event::Start(Tag::TableHead) => {
                in_head = true;
                header.clear();
            }
            Event::Start(Tag::TableRow) => {
                row.clear();
                cell = 0;
            }
            Event::Start(Tag::TableCell) => start(
                &mut out,
                &mut open,
                BlockKind::TableCell {
                    label: String::new(),
                },
            ),
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some((_, _, text)) = open.last_mut() {
                    // Spaces around the target keep it a word of its own; punctuation after the
                    // link text still attaches to it.
                    text.push_str(&format!(" {TARGET}{dest_url} "));
                }
            }
            Event::Text(t)
            | Event::Code(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t)
            | Event::Html(t)
            | Event::InlineHtml(t) => {
                if let Some((_, _, text)) = open.last_mut() {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, text)) = open.last_mut() {
                    text.push(' ');
                }
            }
            Event::TaskListMarker(done) => {
                if let Some((_, _, text)) = open.last_mut() {
                    text.push_str(if done { "[x] " } else { "[ ] " });
                }
            }
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::End(TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::TableCell)
            | Event::End(TagEnd::Paragraph)
                if !open.is_empty() =>
            {
                if matches!(event, Event::End(TagEnd::Paragraph)) && in_item > 0 {
                    continue;
                }
                let (slot, mut kind, mut text) = open.pop().expect("checked non-empty");
                if !matches!(kind, BlockKind::Code { .. }) {
                    text = normalise(&text);
                }
                match &mut kind {
                    BlockKind::Heading { .. } => section = plain(&text),
                    BlockKind::Code { .. } => text = text.trim_end().to_string(),
                    BlockKind::TableCell { label } => {
                        if in_head {
                            header.push(plain(&text));
                        } else {
                            let column = header.get(cell).cloned().unwrap_or_default();
                            *label = if cell == 0 {
                                column
                            } else {
                                format!("{} · {column}", row.first().map_or("", String::as_str))
                            };
                        }
                        row.push(plain(&text));
                        cell += 1;
                    }
                    _ => {}
                }
                out[slot] = Some(Block {
                    kind,
                    text,
                    section: section.clone(),
                    citation: None,
                });
            }
            Event::End(TagEnd::Item) => {
                in_item = in_item.saturating_sub(1);
                if let Some((slot, kind, text)) = open.pop() {
                    out[slot] = Some(Block {
                        kind,
                        text: normalise(&text),
                        section: section.clone(),
                        citation: None,
                    });
                }
            }
            _ => {}
        }
    }
    numbers.resize(out.len(), None);
    // An item holding only a nested list has no text of its own.
    let (mut blocks, items): (Vec<Block>, Vec<Option<String>>) = out
        .into_iter()
        .zip(numbers)
        .filter_map(|(b, n)| b.filter(|b| !b.text.is_empty()).map(|b| (b, n)))
        .unzip();
    cite(&mut blocks, &items);
    blocks
}

/// Collapses whitespace, so re-wrapped text compares equal.
fn normalise(text: &str) -> String {
    joined(text.split_whitespace(), text.len())
}

/// The text without link-target tokens.
pub fn plain(text: &str) -> String {
    if !text.contains(TARGET) {
        return text.to_string();
    }
    joined(
        text.split(' ').filter(|w| !w.starts_with(TARGET)),
        text.len(),
    )
}

/// `words` joined by spaces, in one string of `capacity`: every block of both texts of every
/// redline goes through here.
fn joined<'a>(words: impl Iterator<Item = &'a str>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    for (i, word) in words.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrapping_does_not_change_blocks() {
        let a = blocks("A long\nparagraph here.\n");
        let b = blocks("A long paragraph\nhere.\n");
        assert_eq!(a, b);
    }

    #[test]
    fn lists_tables_and_links() {
        let md = "## Rules\n\n- one [x](policy:a).\n  - nested\n\n| Class | Allowed |\n|---|---|\n| Public | yes |\n";
        let b = blocks(md);
        let texts: Vec<&str> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Rules",
                "one \u{1}policy:a x.",
                "nested",
                "Class",
                "Allowed",
                "Public",
                "yes"
            ]
        );
        assert_eq!(
            b[6].kind,
            BlockKind::TableCell {
                label: "Public · Allowed".into()
            }
        );
        assert_eq!(b[6].section, "Rules");
    }

    #[test]
    fn blocks_are_cited_by_clause_and_list_number() {
        let md = "Intro.\n\n## Purpose\n\nWhy.\n\n## Policy\n\n### Logs\n\n3. kept\n4. read\n   - by security\n\n### Backups\n\n- encrypted\n";
        let blocks = blocks(md);
        let cited: Vec<Option<&str>> = blocks.iter().map(|b| b.citation.as_deref()).collect();
        assert_eq!(
            cited,
            [
                None,
                Some("1"),
                Some("1"),
                Some("2"),
                Some("2.1"),
                Some("2.1 item 3"),
                Some("2.1 item 4"),
                Some("2.1 item 4.1"),
                Some("2.2"),
                Some("2.2 item 1"),
            ]
        );
    }
}
