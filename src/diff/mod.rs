//! Redlines: two versions of a policy → aligned blocks with word-level changes.
//!
//! Blocks are aligned first (patience diff over whole blocks, so a moved section stays a move and
//! does not turn the rest of the document red), then the words of each changed block are diffed.

mod blocks;
mod editorial;
mod format;

use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

pub use blocks::{Block, BlockKind, TARGET, blocks};
pub use editorial::{NotEditorial, not_editorial};
pub use format::{Approver, Header, to_html, to_json, to_markdown, to_terminal};

/// What happened to a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The same in both versions.
    Unchanged,
    /// Only in the new version.
    Inserted,
    /// Only in the old version.
    Deleted,
    /// In both, with different words.
    Changed,
    /// The same words at another place: shown where it left and where it arrived.
    MovedAway,
    /// The arriving end of a move.
    MovedHere,
}

/// A run of words in a changed block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// `equal`, `insert` or `delete`.
    pub op: SegmentOp,
    /// The words, space-separated (link targets start with [`TARGET`]).
    pub text: String,
}

/// The operation of a [`Segment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentOp {
    /// Kept.
    Equal,
    /// Added.
    Insert,
    /// Removed.
    Delete,
}

/// One row of a redline.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// What happened.
    pub status: Status,
    /// The block's kind (the new one's when both exist).
    pub kind: BlockKind,
    /// The heading it sits under.
    pub section: String,
    /// Old text, if the old version has the block.
    pub old: Option<String>,
    /// New text, if the new version has it.
    pub new: Option<String>,
    /// Word-level changes (for `changed` rows; a single segment otherwise).
    pub segments: Vec<Segment>,
    /// Number of the change (1-based) for rows that are not unchanged, for `#change-N` links.
    pub change: Option<usize>,
    /// Where the block is in the old version, as a clause citation ("4.5", "4.5 item 3");
    /// for a block moved here, where it came from.
    pub old_clause: Option<String>,
    /// Where it is in the new version; for a block moved away, where it went.
    pub new_clause: Option<String>,
}

impl Row {
    /// Its clause citation: `§4.6`, `§4.6, was §4.5` when moved or renumbered, `§4.5, moved to
    /// §4.6` where a move left, `was §4.5` when deleted; `None` for a block before any heading
    /// outside a list.
    pub fn clause(&self) -> Option<String> {
        match (&self.old_clause, &self.new_clause) {
            (Some(o), Some(n)) if o == n => Some(format!("§{n}")),
            (Some(o), Some(n)) if self.status == Status::MovedAway => {
                Some(format!("§{o}, moved to §{n}"))
            }
            (Some(o), Some(n)) => Some(format!("§{n}, was §{o}")),
            (None, Some(c)) => Some(format!("§{c}")),
            // Deleted: only the old version has it, so its number is the old one.
            (Some(c), None) => Some(format!("was §{c}")),
            (None, None) => None,
        }
    }

    /// Where the block is, for messages: its clause and its section's heading.
    pub fn citation(&self) -> String {
        let section = if self.section.is_empty() {
            "Preamble".to_string()
        } else {
            format!("“{}”", self.section)
        };
        match self.clause() {
            Some(clause) => format!("{clause} {section}"),
            None => section,
        }
    }
}

/// Totals of a redline.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Words added.
    pub words_added: usize,
    /// Words removed.
    pub words_removed: usize,
    /// Sections with a change, in order, each with the first change's number.
    pub sections: Vec<SectionChange>,
    /// Number of changes.
    pub changes: usize,
}

/// A section that changed.
#[derive(Debug, Clone, Serialize)]
pub struct SectionChange {
    /// The heading text.
    pub title: String,
    /// The section's clause number in the new version (`None` when its first change is a
    /// deletion, which only the old version numbers).
    pub clause: Option<String>,
    /// The citation of each change in it, in order, with its change number.
    pub changes: Vec<(usize, String)>,
    /// The first change in it.
    pub first_change: usize,
    /// Words added in it.
    pub words_added: usize,
    /// Words removed in it.
    pub words_removed: usize,
}

/// A comparison of two versions of a document.
#[derive(Debug, Clone, Serialize)]
pub struct Redline {
    /// Every block of both versions, in reading order.
    pub rows: Vec<Row>,
    /// Totals.
    pub summary: Summary,
}

impl Redline {
    /// Whether the versions say the same thing (formatting-only edits count as no change).
    pub fn is_empty(&self) -> bool {
        self.summary.changes == 0
    }
}

/// Whether two texts of a policy say the same thing: a redline between them would be empty
/// (formatting, such as re-wrapping a paragraph, is no change).
pub fn same_wording(a: &str, b: &str) -> bool {
    a == b || blocks(a) == blocks(b)
}

/// Compares two Markdown documents.
pub fn redline(old: &str, new: &str) -> Redline {
    let (old, new) = (blocks(old), blocks(new));
    let mut rows = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &old, &new) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                rows.extend(
                    old[old_index..old_index + len]
                        .iter()
                        .zip(&new[new_index..new_index + len])
                        .map(|(o, n)| Row {
                            new_clause: n.citation.clone(),
                            ..whole(Status::Unchanged, o)
                        }),
                );
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                rows.extend(
                    old[old_index..old_index + old_len]
                        .iter()
                        .map(|b| whole(Status::Deleted, b)),
                );
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                rows.extend(
                    new[new_index..new_index + new_len]
                        .iter()
                        .map(|b| whole(Status::Inserted, b)),
                );
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                pair(
                    &old[old_index..old_index + old_len],
                    &new[new_index..new_index + new_len],
                    &mut rows,
                );
            }
        }
    }
    mark_moves(&mut rows);
    let summary = summarise(&mut rows);
    Redline { rows, summary }
}

fn whole(status: Status, block: &Block) -> Row {
    let (old, new, op) = match status {
        Status::Deleted | Status::MovedAway => (Some(block.text.clone()), None, SegmentOp::Delete),
        Status::Inserted | Status::MovedHere => (None, Some(block.text.clone()), SegmentOp::Insert),
        _ => (
            Some(block.text.clone()),
            Some(block.text.clone()),
            SegmentOp::Equal,
        ),
    };
    let citation = || block.citation.clone();
    let (old_clause, new_clause) = (
        old.is_some().then(citation).flatten(),
        new.is_some().then(citation).flatten(),
    );
    Row {
        status,
        kind: block.kind.clone(),
        section: block.section.clone(),
        old,
        new,
        segments: vec![Segment {
            op,
            text: block.text.clone(),
        }],
        change: None,
        old_clause,
        new_clause,
    }
}

/// Pairs the blocks of a replaced range: each old block with the most similar new block of the
/// same kind further on, in order; the rest are deletions and insertions.
fn pair(old: &[Block], new: &[Block], rows: &mut Vec<Row>) {
    // Edits in place (as many blocks, of the same kinds, on both sides) pair up one to one, however
    // different their words: a table cell "no" that became "never" is a change, not two.
    if old.len() == new.len() && old.iter().zip(new).all(|(o, n)| o.kind == n.kind) {
        for (o, n) in old.iter().zip(new) {
            rows.push(changed(o, n));
        }
        return;
    }
    let mut next_new = 0;
    for o in old {
        let best = (next_new..new.len())
            .filter(|&j| same_kind(&o.kind, &new[j].kind))
            .filter_map(|j| Some((j, similarity(&o.text, &new[j].text)?)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        match best {
            Some((j, _)) => {
                rows.extend(new[next_new..j].iter().map(|b| whole(Status::Inserted, b)));
                rows.push(changed(o, &new[j]));
                next_new = j + 1;
            }
            None => rows.push(whole(Status::Deleted, o)),
        }
    }
    rows.extend(new[next_new..].iter().map(|b| whole(Status::Inserted, b)));
}

fn changed(old: &Block, new: &Block) -> Row {
    Row {
        status: Status::Changed,
        kind: new.kind.clone(),
        section: new.section.clone(),
        old: Some(old.text.clone()),
        new: Some(new.text.clone()),
        segments: words(&old.text, &new.text),
        change: None,
        old_clause: old.citation.clone(),
        new_clause: new.citation.clone(),
    }
}

fn same_kind(a: &BlockKind, b: &BlockKind) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Share of words two texts have in common, in order (0–1), when it is at least
/// [`SIMILAR`]: below that, two blocks are a deletion and an insertion, not a change.
fn similarity(a: &str, b: &str) -> Option<f64> {
    let (a, b) = (split_words(a), split_words(b));
    let share = |same: usize| 2.0 * same as f64 / (a.len() + b.len()).max(1) as f64;
    // The words they share in any order bound those they share in order, and cost a count
    // rather than a diff: most pairs tried in a rewritten range are far apart.
    let mut counts: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(a.len(), Default::default());
    for word in &a {
        *counts.entry(word).or_default() += 1;
    }
    let mut shared = 0;
    for word in &b {
        if let Some(n) = counts.get_mut(word)
            && *n > 0
        {
            *n -= 1;
            shared += 1;
        }
    }
    if share(shared) < SIMILAR {
        return None;
    }
    let same: usize = capture_diff_slices(Algorithm::Myers, &a, &b)
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    Some(share(same)).filter(|s| *s >= SIMILAR)
}

/// The words of a block's text (one space apart), in a list made to size: redlines split
/// millions of texts, on every core, and a growing list takes the allocator's lock.
fn split_words(text: &str) -> Vec<&str> {
    let mut words = Vec::with_capacity(text.bytes().filter(|&b| b == b' ').count() + 1);
    words.extend(text.split(' '));
    words
}

/// The least [`similarity`] of an old and a new block shown as one changed block.
const SIMILAR: f64 = 0.4;

/// Word-level diff of two block texts, with short kept words between two changes folded into
/// the change so the result reads as phrases rather than confetti.
fn words(old: &str, new: &str) -> Vec<Segment> {
    let (a, b) = (split_words(old), split_words(new));
    // Each part as the words of `a` and of `b` it covers (an equal part shows only its old
    // words). The diff never gives two equal parts in a row, so a part merged with the ones
    // after it still covers words next to each other.
    let ops = capture_diff_slices(Algorithm::Patience, &a, &b);
    let mut merged: Vec<(SegmentOp, Range<usize>, Range<usize>)> = Vec::with_capacity(ops.len());
    let mut i = 0;
    while i < ops.len() {
        let (o, n) = (ops[i].old_range(), ops[i].new_range());
        let equal = matches!(ops[i], DiffOp::Equal { .. });
        let after_change = merged.last().is_some_and(|m| m.0 != SegmentOp::Equal);
        match merged.last_mut() {
            // A single short kept word between two changes is folded into them.
            Some(last)
                if equal
                    && after_change
                    && o.len() == 1
                    && a[o.start].chars().count() <= 3
                    && i + 1 < ops.len() =>
            {
                last.1.end = ops[i + 1].old_range().end;
                last.2.end = ops[i + 1].new_range().end;
                i += 2;
                continue;
            }
            Some(last) if after_change && !equal => {
                last.1.end = o.end;
                last.2.end = n.end;
            }
            _ if equal => merged.push((SegmentOp::Equal, o, n.start..n.start)),
            _ => merged.push((SegmentOp::Delete, o, n)),
        }
        i += 1;
    }
    let mut segments = Vec::with_capacity(merged.len() * 2);
    for (op, del, ins) in merged {
        if op == SegmentOp::Equal {
            segments.push(Segment {
                op,
                text: a[del].join(" "),
            });
            continue;
        }
        if !del.is_empty() {
            segments.push(Segment {
                op: SegmentOp::Delete,
                text: a[del].join(" "),
            });
        }
        if !ins.is_empty() {
            segments.push(Segment {
                op: SegmentOp::Insert,
                text: b[ins].join(" "),
            });
        }
    }
    segments
}

/// A deleted block whose exact text is inserted elsewhere is a move, not a deletion.
fn mark_moves(rows: &mut [Row]) {
    for i in 0..rows.len() {
        if rows[i].status != Status::Deleted {
            continue;
        }
        let text = rows[i].old.clone();
        if let Some(j) = rows.iter().position(|r| {
            r.status == Status::Inserted && r.new == text && same_kind(&r.kind, &rows[i].kind)
        }) {
            rows[i].status = Status::MovedAway;
            rows[j].status = Status::MovedHere;
            // Each end of a move cites the other.
            rows[i].new_clause = rows[j].new_clause.clone();
            rows[j].old_clause = rows[i].old_clause.clone();
        }
    }
}

fn count(text: &str) -> usize {
    text.split(' ')
        .filter(|w| !w.is_empty() && !w.starts_with(TARGET))
        .count()
}

fn summarise(rows: &mut [Row]) -> Summary {
    let mut summary = Summary::default();
    for row in rows.iter_mut() {
        if row.status == Status::Unchanged {
            continue;
        }
        summary.changes += 1;
        row.change = Some(summary.changes);
        let (added, removed) = match row.status {
            Status::MovedAway | Status::MovedHere => (0, 0),
            _ => row.segments.iter().fold((0, 0), |(a, r), s| match s.op {
                SegmentOp::Insert => (a + count(&s.text), r),
                SegmentOp::Delete => (a, r + count(&s.text)),
                SegmentOp::Equal => (a, r),
            }),
        };
        summary.words_added += added;
        summary.words_removed += removed;
        let title = if row.section.is_empty() {
            "Preamble".to_string()
        } else {
            row.section.clone()
        };
        let cited = (
            summary.changes,
            row.clause().unwrap_or_else(|| "Preamble".into()),
        );
        match summary.sections.iter_mut().find(|s| s.title == title) {
            Some(s) => {
                s.words_added += added;
                s.words_removed += removed;
                s.changes.push(cited);
            }
            None => summary.sections.push(SectionChange {
                title,
                // The section's number: the citation of the block without its list item.
                clause: row
                    .new_clause
                    .as_ref()
                    .and_then(|c| c.split(" item ").next())
                    .filter(|c| !c.starts_with("item"))
                    .map(str::to_string),
                first_change: summary.changes,
                changes: vec![cited],
                words_added: added,
                words_removed: removed,
            }),
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(r: &Redline) -> Vec<(Status, Vec<(SegmentOp, &str)>)> {
        r.rows
            .iter()
            .filter(|row| row.status != Status::Unchanged)
            .map(|row| {
                (
                    row.status,
                    row.segments
                        .iter()
                        .map(|s| (s.op, s.text.as_str()))
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn rewrap_is_no_change() {
        let r = redline(
            "## A\n\nOne two\nthree four.\n",
            "## A\n\nOne two three\nfour.\n",
        );
        assert!(r.is_empty());
    }

    #[test]
    fn reworded_phrase_is_marked_inline() {
        let r = redline(
            "Prompts are kept for 90 days.\n",
            "Prompts are kept for 30 days.\n",
        );
        assert_eq!(
            changed(&r),
            [(
                Status::Changed,
                vec![
                    (SegmentOp::Equal, "Prompts are kept for"),
                    (SegmentOp::Delete, "90"),
                    (SegmentOp::Insert, "30"),
                    (SegmentOp::Equal, "days.")
                ]
            )]
        );
        assert_eq!((r.summary.words_added, r.summary.words_removed), (1, 1));
    }

    #[test]
    fn inserted_clause_leaves_the_rest_alone() {
        let old = "## Policy\n\n### A\n\nAlpha text.\n\n### C\n\nGamma text.\n";
        let new = "## Policy\n\n### A\n\nAlpha text.\n\n### B\n\nBeta text here.\n\n### C\n\nGamma text.\n";
        let r = redline(old, new);
        assert_eq!(
            changed(&r),
            [
                (Status::Inserted, vec![(SegmentOp::Insert, "B")]),
                (
                    Status::Inserted,
                    vec![(SegmentOp::Insert, "Beta text here.")]
                )
            ]
        );
        assert_eq!(r.summary.sections[0].title, "B");
    }

    #[test]
    fn moved_section_is_a_move() {
        let old = "## One\n\nFirst paragraph here.\n\n## Two\n\nSecond paragraph here.\n\n## Three\n\nThird.\n";
        let new = "## Two\n\nSecond paragraph here.\n\n## Three\n\nThird.\n\n## One\n\nFirst paragraph here.\n";
        let r = redline(old, new);
        let statuses: Vec<Status> = r
            .rows
            .iter()
            .map(|r| r.status)
            .filter(|s| *s != Status::Unchanged)
            .collect();
        assert_eq!(
            statuses,
            [
                Status::MovedAway,
                Status::MovedAway,
                Status::MovedHere,
                Status::MovedHere
            ]
        );
        assert_eq!(r.summary.words_added + r.summary.words_removed, 0);
    }

    #[test]
    fn changed_link_target_shows() {
        let r = redline("See [rules](policy:a).\n", "See [rules](policy:b).\n");
        let segs = &changed(&r)[0].1;
        assert!(
            segs.contains(&(SegmentOp::Delete, "\u{1}policy:a"))
                && segs.contains(&(SegmentOp::Insert, "\u{1}policy:b")),
            "{segs:?}"
        );
    }
}
