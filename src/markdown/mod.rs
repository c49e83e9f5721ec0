//! Markdown → HTML fragments: stable heading ids, clause numbers, resolved links, highlighted
//! code and GFM alerts as admonitions.
//!
//! [`scan`] reads what the model needs (headings, link destinations with their offsets);
//! [`Renderer::render`] turns the same source into HTML once links are resolved.

mod highlight;

use std::collections::HashMap;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

pub use highlight::{escape, stylesheet};

/// A heading of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The anchor id (slug of the text, or `{#custom}`).
    pub id: String,
    /// Plain text.
    pub text: String,
    /// Clause number such as `3.2`, when numbering is on.
    pub number: Option<String>,
}

/// A link destination in a document, with the byte offset of the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The destination as written.
    pub dest: String,
    /// Byte offset of the link in the source.
    pub offset: usize,
}

/// What [`scan`] finds.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links and images in order.
    pub links: Vec<LinkRef>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Reads the headings and links of `source`; `number` numbers headings as clauses.
pub fn scan(source: &str, number: bool) -> Scan {
    let mut scan = Scan::default();
    let mut current: Option<(u8, Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((
                    level_number(level),
                    id.map(|i| i.to_string()),
                    String::new(),
                ))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = &mut current {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, text)) = current.take() {
                    let id = id.unwrap_or_else(|| slug(&text));
                    scan.headings.push(Heading {
                        level,
                        id,
                        text,
                        number: None,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    offset: range.start,
                });
            }
            _ => {}
        }
    }
    dedupe_ids(&mut scan.headings);
    if number {
        number_headings(&mut scan.headings);
    }
    scan
}

/// The anchor of a heading's text: lowercase letters and digits, words joined by `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "section".to_string()
    } else {
        out.to_string()
    }
}

fn dedupe_ids(headings: &mut [Heading]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for h in headings {
        let n = seen.entry(h.id.clone()).or_insert(0);
        if *n > 0 {
            h.id = format!("{}-{n}", h.id);
        }
        *n += 1;
    }
}

/// Numbers headings 1, 1.1, 1.1.1 from the shallowest level present.
fn number_headings(headings: &mut [Heading]) {
    let Some(top) = headings.iter().map(|h| h.level).min() else {
        return;
    };
    let mut counters = [0usize; 6];
    for h in headings {
        let depth = usize::from(h.level - top);
        counters[depth] += 1;
        counters[depth + 1..].iter_mut().for_each(|c| *c = 0);
        let parts: Vec<String> = counters[..=depth].iter().map(|c| c.to_string()).collect();
        h.number = Some(parts.join("."));
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// Renders Markdown to HTML; holds what is loaded once per build.
#[derive(Default)]
pub struct Renderer {
    highlighter: highlight::Highlighter,
}

impl Renderer {
    /// Renders `source`. `headings` are the ones [`scan`] found (same order); `link` maps a
    /// destination as written to its href (`None` leaves it as written).
    pub fn render(
        &self,
        source: &str,
        headings: &[Heading],
        link: &dyn Fn(&str) -> Option<String>,
    ) -> String {
        let mut html = String::with_capacity(source.len() * 3 / 2);
        let mut events = Vec::new();
        let mut headings = headings.iter();
        let mut open_heading: Option<&Heading> = None;
        let mut code: Option<(String, String)> = None;
        for event in Parser::new_ext(source, options()) {
            if let Some((lang, text)) = &mut code {
                match event {
                    Event::Text(t) => text.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        events.push(Event::Html(self.highlighter.block(lang, text).into()));
                        code = None;
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    let Some(h) = headings.next() else { continue };
                    open_heading = Some(h);
                    let number = h.number.as_ref().map_or_else(String::new, |n| {
                        format!("<span class=\"clause\">{n}</span> ")
                    });
                    events.push(Event::Html(
                        format!(
                            "<h{} id=\"{}\">{number}",
                            level_number(level),
                            escape(&h.id)
                        )
                        .into(),
                    ));
                }
                Event::End(TagEnd::Heading(level)) => {
                    let id = open_heading
                        .take()
                        .map_or_else(String::new, |h| escape(&h.id));
                    events.push(Event::Html(
                        format!(" <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{}>\n", level_number(level)).into(),
                    ));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest_url = link(&dest_url).map_or(dest_url, CowStr::from);
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest_url = link(&dest_url).map_or(dest_url, CowStr::from);
                    events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(lang) => lang.to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let (class, title) = alert(kind);
                    events.push(Event::Html(
                        format!("<div class=\"admonition admonition-{class}\" role=\"note\" aria-label=\"{title}\"><p class=\"admonition-title\">{title}</p>\n").into(),
                    ));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    events.push(Event::Html("</div>\n".into()))
                }
                Event::Start(Tag::Table(alignments)) => {
                    events.push(Event::Html("<div class=\"table-wrap\">".into()));
                    events.push(Event::Start(Tag::Table(alignments)));
                }
                Event::End(TagEnd::Table) => {
                    events.push(Event::End(TagEnd::Table));
                    events.push(Event::Html("</div>\n".into()));
                }
                // Raw HTML is shown as text, never run; comments are dropped.
                Event::Html(raw) | Event::InlineHtml(raw) => {
                    if !raw.trim_start().starts_with("<!--") {
                        events.push(Event::Text(raw));
                    }
                }
                other => events.push(other),
            }
        }
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }
}

/// The plain text of `source` split at its headings, for the search index: the text before the
/// first heading, then one entry per heading (the same headings, in the same order, as [`scan`]
/// finds), without the heading's own text. Raw HTML tags are left out; the text between them stays.
pub fn section_texts(source: &str) -> Vec<String> {
    let mut sections = vec![String::new()];
    let mut in_heading = false;
    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                sections.push(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if !in_heading => {
                if let Some(text) = sections.last_mut() {
                    text.push_str(&t);
                }
            }
            // The end of an inline span (`*a*b`) joins; block and line ends separate words.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::End(_) | Event::SoftBreak | Event::HardBreak if !in_heading => {
                if let Some(text) = sections.last_mut().filter(|t| !t.ends_with(' ')) {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    sections
        .into_iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable() {
        assert_eq!(
            slug("Roles and responsibilities"),
            "roles-and-responsibilities"
        );
        assert_eq!(slug("  Legal review — triggers!"), "legal-review-triggers");
        assert_eq!(slug("Prompt_retention (v2)"), "promptretention-v2");
    }

    #[test]
    fn numbers_clauses_and_dedupes_ids() {
        let s = scan(
            "## Purpose\n## Policy\n### Retention\n### Retention\n#### Detail\n## Exceptions\n",
            true,
        );
        let got: Vec<(String, String)> = s
            .headings
            .iter()
            .map(|h| (h.id.clone(), h.number.clone().unwrap()))
            .collect();
        let want = [
            ("purpose", "1"),
            ("policy", "2"),
            ("retention", "2.1"),
            ("retention-1", "2.2"),
            ("detail", "2.2.1"),
            ("exceptions", "3"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn splits_plain_text_at_headings() {
        let src = "Intro *text*.\n\n## Scope {#scope}\n\nAll [staff](policy:a)\nand `bots`.\n\n<b>raw</b>\n\n### Detail\n\n- one\n- two\n";
        assert_eq!(
            scan(src, false).headings.len() + 1,
            section_texts(src).len()
        );
        assert_eq!(
            section_texts(src),
            ["Intro text.", "All staff and bots. raw", "one two"]
        );
    }

    #[test]
    fn renders_links_alerts_and_escapes_raw_html() {
        let src = "## Scope {#scope}\n\nSee [x](policy:a#b).\n\n> [!WARNING]\n> Careful.\n\n<script>alert(1)</script>\n";
        let s = scan(src, false);
        assert_eq!(s.links[0].dest, "policy:a#b");
        let html = Renderer::default().render(src, &s.headings, &|d| {
            (d == "policy:a#b").then(|| "../policies/a.html#b".to_string())
        });
        assert!(html.contains("<h2 id=\"scope\">"), "{html}");
        assert!(html.contains("href=\"../policies/a.html#b\""));
        assert!(html.contains("<div class=\"admonition admonition-warning\""));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<script>"));
    }
}
