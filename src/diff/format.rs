//! A redline as HTML (inline and side by side), terminal text and Markdown.

use std::fmt::Write;

use serde::Serialize;

use super::{BlockKind, Redline, Row, SegmentOp, Status, TARGET};
use crate::markdown::{escape, escape_into};

/// What a redline compares, for its header block.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// Policy id.
    pub policy: String,
    /// Policy title.
    pub title: String,
    /// Old version label.
    pub from: String,
    /// New version label (`current` for the working text).
    pub to: String,
    /// When the new version takes effect.
    pub effective: String,
    /// Roles approving the new version, with who signed for each.
    pub approvers: Vec<Approver>,
    /// When the new version was approved, if recorded.
    pub approved_on: Option<String>,
    /// Where the approval is recorded (a pull request, minutes), if given.
    pub reference: Option<String>,
    /// Whether the change is material (changes obligations) rather than editorial.
    pub material: Option<bool>,
    /// What the new version changed, in the author's words.
    pub summary: String,
}

/// An approver role of a version and the people who signed for it.
#[derive(Debug, Clone, Serialize)]
pub struct Approver {
    /// The role id.
    pub role: String,
    /// The role's title, as readers know it.
    pub title: String,
    /// Who signed for it (empty when the release recorded no names).
    pub names: Vec<String>,
}

impl Approver {
    /// "Legal (Dana Reyes)", or the title alone when nobody is named.
    pub fn label(&self) -> String {
        if self.names.is_empty() {
            self.title.clone()
        } else {
            format!("{} ({})", self.title, self.names.join(", "))
        }
    }
}

/// The approvers, approval date and reference as one line of plain text.
fn approval_text(header: &Header) -> String {
    let mut text = if header.approvers.is_empty() {
        "none".to_string()
    } else {
        header
            .approvers
            .iter()
            .map(Approver::label)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(on) = &header.approved_on {
        text.push_str(&format!(", approved on {on}"));
    }
    if let Some(reference) = &header.reference {
        text.push_str(&format!(", reference {reference}"));
    }
    text
}

/// A reference as a link when it is a web address, as text otherwise.
fn reference_html(reference: &str) -> String {
    if reference.starts_with("https://") || reference.starts_with("http://") {
        format!("<a href=\"{0}\">{0}</a>", escape(reference))
    } else {
        escape(reference)
    }
}

/// The redline as an HTML fragment: header, summary, inline view and side-by-side view.
pub fn to_html(header: &Header, redline: &Redline) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<section class=\"rl-header\" aria-label=\"What this redline compares\"><dl>\
         <dt>Policy</dt><dd><code>{}</code> {}</dd>\
         <dt>Versions</dt><dd>{} → {}</dd>\
         <dt>Effective</dt><dd>{}</dd>\
         <dt>Approvers</dt><dd>{}</dd>{}\
         <dt>Change</dt><dd>{}</dd>\
         <dt>Summary</dt><dd>{}</dd></dl></section>",
        escape(&header.policy),
        escape(&header.title),
        escape(&header.from),
        escape(&header.to),
        escape(&header.effective),
        if header.approvers.is_empty() {
            "none".to_string()
        } else {
            escape(
                &header
                    .approvers
                    .iter()
                    .map(Approver::label)
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        },
        approval_html(header),
        match header.material {
            Some(true) => "Material: changes obligations",
            Some(false) => "Editorial: wording only",
            None => "Not yet released",
        },
        escape(&header.summary),
    );
    let s = &redline.summary;
    if redline.is_empty() {
        h.push_str("<p class=\"rl-summary\">No change in wording: the two versions say the same thing.</p>\n");
    } else {
        let _ = write!(
            h,
            "<section class=\"rl-summary\" aria-label=\"Summary of changes\"><p><strong>{} change{}</strong>: {} word{} added, {} removed.</p><ul>",
            s.changes,
            plural(s.changes),
            s.words_added,
            plural(s.words_added),
            s.words_removed
        );
        for section in &s.sections {
            let number = section
                .clause
                .as_ref()
                .map_or_else(String::new, |c| format!("§{c} "));
            let cited: Vec<String> = section
                .changes
                .iter()
                .map(|(n, at)| format!("<a href=\"#change-{n}\">{}</a>", escape(at)))
                .collect();
            let _ = write!(
                h,
                "<li><a href=\"#change-{}\">{}{}</a> <span class=\"muted\">+{} −{}</span> <span class=\"rl-cites\">{}</span></li>",
                section.first_change,
                escape(&number),
                escape(&section.title),
                section.words_added,
                section.words_removed,
                cited.join(", ")
            );
        }
        h.push_str("</ul></section>\n");
    }
    h.push_str("<p class=\"rl-views\"><button type=\"button\" class=\"rl-toggle\" aria-pressed=\"false\" data-target=\"rl-side\">Side by side</button></p>\n");
    h.push_str("<div class=\"rl-inline\" id=\"rl-inline\">\n");
    for row in &redline.rows {
        inline_row(&mut h, row);
    }
    h.push_str("</div>\n");
    let _ = writeln!(
        h,
        "<div class=\"rl-side-wrap\" id=\"rl-side\"><table class=\"rl-side\"><caption>Side by side: {} and {}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        escape(&header.from),
        escape(&header.to),
        escape(&header.from),
        escape(&header.to)
    );
    for row in &redline.rows {
        let class = status_class(row.status);
        let cited = cited(row);
        let number = |c: &Option<String>| match c {
            Some(c) if cited && !side_empty(row, c) => {
                format!("<span class=\"rl-clause\">§{}</span> ", escape(c))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            h,
            "<tr class=\"{class}\"><td>{}{}</td><td>{}{}</td></tr>",
            number(&row.old_clause),
            side_cell(row, SegmentOp::Delete),
            number(&row.new_clause),
            side_cell(row, SegmentOp::Insert)
        );
    }
    h.push_str("</tbody></table></div>\n");
    h
}

/// The approval date and reference rows of the header, when recorded.
fn approval_html(header: &Header) -> String {
    let mut h = String::new();
    if let Some(on) = &header.approved_on {
        let _ = write!(
            h,
            "<dt>Approved on</dt><dd><time datetime=\"{0}\">{0}</time></dd>",
            escape(on)
        );
    }
    if let Some(reference) = &header.reference {
        let _ = write!(
            h,
            "<dt>Approval record</dt><dd>{}</dd>",
            reference_html(reference)
        );
    }
    h
}

/// Whether a row shows its clause number: every change, and every heading (an unchanged
/// heading may still have been renumbered).
fn cited(row: &Row) -> bool {
    row.status != Status::Unchanged || matches!(row.kind, BlockKind::Heading { .. })
}

/// Whether the side-by-side cell for clause `c` is the empty side of an insertion or deletion.
fn side_empty(row: &Row, c: &str) -> bool {
    match row.status {
        Status::Inserted | Status::MovedHere => {
            row.old_clause.as_deref() == Some(c) && row.new_clause.as_deref() != Some(c)
        }
        Status::Deleted | Status::MovedAway => {
            row.new_clause.as_deref() == Some(c) && row.old_clause.as_deref() != Some(c)
        }
        _ => false,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Unchanged => "rl-unchanged",
        Status::Inserted => "rl-inserted",
        Status::Deleted => "rl-deleted",
        Status::Changed => "rl-changed",
        Status::MovedAway | Status::MovedHere => "rl-moved",
    }
}

fn inline_row(h: &mut String, row: &Row) {
    let id = row
        .change
        .map_or_else(String::new, |n| format!(" id=\"change-{n}\""));
    let note = match row.status {
        Status::MovedAway => "<span class=\"rl-note\">moved from here</span> ",
        Status::MovedHere => "<span class=\"rl-note\">moved here</span> ",
        _ => "",
    };
    let mut body = String::new();
    for segment in &row.segments {
        match (segment.op, row.status) {
            (_, Status::MovedAway | Status::MovedHere) | (SegmentOp::Equal, _) => {
                body.push_str(&words_html(&segment.text, false))
            }
            (SegmentOp::Insert, _) => {
                let _ = write!(
                    body,
                    "<ins><span class=\"sr-only\">inserted: </span>{}</ins>",
                    words_html(&segment.text, true)
                );
            }
            (SegmentOp::Delete, _) => {
                let _ = write!(
                    body,
                    "<del><span class=\"sr-only\">deleted: </span>{}</del>",
                    words_html(&segment.text, true)
                );
            }
        }
        body.push(' ');
    }
    let clause = match row.clause() {
        Some(c) if cited(row) => format!("<span class=\"rl-clause\">{}</span> ", escape(&c)),
        _ => String::new(),
    };
    let body = format!("{clause}{}", body.trim_end());
    let class = status_class(row.status);
    let _ = match &row.kind {
        BlockKind::Heading { level } => writeln!(
            h,
            "<h{l} class=\"{class}\"{id}>{note}{body}</h{l}>",
            l = (*level).clamp(2, 6)
        ),
        BlockKind::Paragraph => writeln!(h, "<p class=\"{class}\"{id}>{note}{body}</p>"),
        BlockKind::ListItem => writeln!(h, "<p class=\"rl-li {class}\"{id}>{note}{body}</p>"),
        BlockKind::TableCell { label } => writeln!(
            h,
            "<p class=\"rl-cell {class}\"{id}><span class=\"rl-label\">{}</span> {note}{body}</p>",
            escape(label)
        ),
        BlockKind::Code { .. } => writeln!(
            h,
            "<pre class=\"rl-code {class}\"{id}>{note}<code>{body}</code></pre>"
        ),
    };
}

fn side_cell(row: &Row, side: SegmentOp) -> String {
    let mut out = String::new();
    for segment in &row.segments {
        let shown = segment.op == SegmentOp::Equal || segment.op == side;
        if !shown {
            continue;
        }
        let marked = segment.op != SegmentOp::Equal
            && !matches!(row.status, Status::MovedAway | Status::MovedHere);
        let text = words_html(&segment.text, marked);
        match (marked, side) {
            (false, _) => out.push_str(&text),
            (true, SegmentOp::Insert) => {
                let _ = write!(
                    out,
                    "<ins><span class=\"sr-only\">inserted: </span>{text}</ins>"
                );
            }
            (true, _) => {
                let _ = write!(
                    out,
                    "<del><span class=\"sr-only\">deleted: </span>{text}</del>"
                );
            }
        }
        out.push(' ');
    }
    if let BlockKind::TableCell { label } = &row.kind
        && !out.is_empty()
    {
        out = format!("<span class=\"rl-label\">{}</span> {out}", escape(label));
    }
    out.trim_end().to_string()
}

/// Escaped words; link targets are shown only inside a change (`show_targets`).
fn words_html(text: &str, show_targets: bool) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Most texts have no link: escaped whole rather than word by word.
    if !text.contains(TARGET) {
        escape_into(&mut out, text);
        return out;
    }
    let mut first = true;
    for w in text.split(' ') {
        let target = w.strip_prefix(TARGET);
        if target.is_some() && !show_targets {
            continue;
        }
        if !first {
            out.push(' ');
        }
        first = false;
        match target {
            Some(target) => {
                out.push_str("<span class=\"rl-target\">[link → ");
                escape_into(&mut out, target);
                out.push_str("]</span>");
            }
            None => escape_into(&mut out, w),
        }
    }
    out
}

fn words_plain(text: &str, show_targets: bool) -> String {
    text.split(' ')
        .filter_map(|w| match w.strip_prefix(TARGET) {
            Some(target) => show_targets.then(|| format!("[link → {target}]")),
            None => Some(w.to_string()),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn header_lines(header: &Header) -> Vec<String> {
    vec![
        format!(
            "policy {} ({}): {} → {}",
            header.policy, header.title, header.from, header.to
        ),
        format!(
            "effective {} · approvers: {} · {}",
            header.effective,
            approval_text(header),
            match header.material {
                Some(true) => "material change",
                Some(false) => "editorial change",
                None => "not yet released",
            }
        ),
        format!("summary: {}", header.summary),
    ]
}

/// How a plain-text format marks changes.
struct Marks<'a> {
    /// A section heading line; `{}` is the title.
    section: &'a str,
    /// What starts a changed line.
    line: &'a str,
    moved_away: &'a str,
    moved_here: &'a str,
    delete: (&'a str, &'a str),
    insert: (&'a str, &'a str),
    escape: fn(&str) -> String,
}

/// The changed blocks under their section headings, one line each, marked as `marks` says.
fn changed_lines(redline: &Redline, marks: &Marks) -> String {
    let mut out = String::new();
    let mut section = None;
    for row in redline
        .rows
        .iter()
        .filter(|r| r.status != Status::Unchanged)
    {
        if section != Some(&row.section) {
            let title = if row.section.is_empty() {
                "Preamble"
            } else {
                &row.section
            };
            let _ = write!(out, "{}", marks.section.replace("{}", title));
            section = Some(&row.section);
        }
        let moved = match row.status {
            Status::MovedAway => Some(marks.moved_away),
            Status::MovedHere => Some(marks.moved_here),
            _ => None,
        };
        let mut line = String::new();
        for segment in &row.segments {
            let text = (marks.escape)(&words_plain(&segment.text, segment.op != SegmentOp::Equal));
            let (open, close) = match (segment.op, moved) {
                (SegmentOp::Equal, _) | (_, Some(_)) => ("", ""),
                (SegmentOp::Delete, None) => marks.delete,
                (SegmentOp::Insert, None) => marks.insert,
            };
            let _ = write!(line, "{open}{text}{close} ");
        }
        let clause = row.clause().map_or_else(String::new, |c| format!("{c}: "));
        let _ = writeln!(
            out,
            "{}{}{}",
            moved.unwrap_or(marks.line),
            (marks.escape)(&clause),
            line.trim_end()
        );
    }
    out
}

/// The redline for a terminal: changed blocks under their section, deletions as `[-…-]` and
/// insertions as `{+…+}`, with colour (red strike-through, green underline) when `colour`.
pub fn to_terminal(header: &Header, redline: &Redline, colour: bool) -> String {
    let (del, ins, off) = if colour {
        ("\x1b[9;31m[-", "\x1b[4;32m{+", "\x1b[0m")
    } else {
        ("[-", "{+", "")
    };
    let (del_end, ins_end) = (format!("-]{off}"), format!("+}}{off}"));
    let marks = Marks {
        section: "\n§ {}\n",
        line: "  ",
        moved_away: "  moved from here: ",
        moved_here: "  moved here: ",
        delete: (del, &del_end),
        insert: (ins, &ins_end),
        escape: str::to_string,
    };
    let s = &redline.summary;
    format!(
        "{}\n{} change{}, +{} −{} words\n{}",
        header_lines(header).join("\n"),
        s.changes,
        plural(s.changes),
        s.words_added,
        s.words_removed,
        changed_lines(redline, &marks)
    )
}

/// The redline as Markdown for a pull-request comment, with `<del>` and `<ins>`.
pub fn to_markdown(header: &Header, redline: &Redline) -> String {
    let lines = header_lines(header);
    let marks = Marks {
        section: "\n#### {}\n\n",
        line: "- ",
        moved_away: "- *(moved from here)* ",
        moved_here: "- *(moved here)* ",
        delete: ("<del>", "</del>"),
        insert: ("<ins>", "</ins>"),
        escape: |t| t.replace('<', "&lt;"),
    };
    let s = &redline.summary;
    format!(
        "### {}\n\n{}  \n{}\n\n**{} change{}**, +{} −{} words\n{}",
        lines[0],
        lines[1],
        lines[2],
        s.changes,
        plural(s.changes),
        s.words_added,
        s.words_removed,
        changed_lines(redline, &marks)
    )
}

/// The redline as JSON: its header, summary and rows, for tools.
pub fn to_json(header: &Header, redline: &Redline) -> String {
    let json =
        serde_json::json!({ "header": header, "summary": redline.summary, "rows": redline.rows });
    serde_json::to_string_pretty(&json).unwrap_or_default()
}
