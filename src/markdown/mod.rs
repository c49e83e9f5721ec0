//! Markdown → HTML fragments: stable heading ids, clause numbers, resolved links, highlighted
//! code and GFM alerts as admonitions.
//!
//! [`scan`] reads what the model needs (headings, link destinations with their offsets);
//! [`Renderer::render`] turns the same source into HTML once links are resolved. The render
//! stage [`parse`]s a text once for all it makes of it: a page, its part of print.html, its
//! search documents.

mod highlight;

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

pub use highlight::{escape, escape_into, stylesheet};

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

/// A Markdown text parsed, for [`Renderer::render`] and [`section_texts`].
pub struct Parsed<'a> {
    events: Vec<Event<'a>>,
    /// The text's length, from which its HTML's is guessed.
    len: usize,
}

/// Parses `source`. A page is shown several times (on its page, in print.html, in the search
/// index): each reads these events instead of parsing the text again.
pub fn parse(source: &str) -> Parsed<'_> {
    // Prose has an event per 60 to 100 bytes: sized near that rather than grown from nothing.
    let mut events = Vec::with_capacity(source.len() / 64);
    events.extend(Parser::new_ext(source, options()));
    Parsed {
        events,
        len: source.len(),
    }
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
                    let id = id.unwrap_or_else(|| heading_slug(&text));
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

/// The prefix of every id the theme gives its own elements (`pb-main`, `pb-sidebar`), so that
/// no heading takes one.
pub const THEME_ID_PREFIX: &str = "pb-";

/// A heading's anchor from its text: its slug, moved out of the theme's ids ("PB main" gets
/// `h-pb-main`, since `pb-main` is the page's main element).
fn heading_slug(text: &str) -> String {
    let id = slug(text);
    if id.starts_with(THEME_ID_PREFIX) {
        format!("h-{id}")
    } else {
        id
    }
}

/// Makes every heading id unique as mdBook does: a repeated id takes the first suffix `-1`,
/// `-2`, … that no earlier heading uses, so "A", "A", "A 1" give `a`, `a-1`, `a-1-1`.
fn dedupe_ids(headings: &mut [Heading]) {
    let mut used: HashSet<String> = HashSet::with_capacity(headings.len());
    // The last suffix tried for each id: the ones below it are taken for good, so a page of
    // thousands of equal headings is not quadratic.
    let mut last: HashMap<String, usize> = HashMap::new();
    for h in headings {
        let mut unique = h.id.clone();
        if used.contains(&unique) {
            let n = last.entry(h.id.clone()).or_insert(0);
            while used.contains(&unique) {
                *n += 1;
                unique = format!("{}-{n}", h.id);
            }
        }
        used.insert(unique.clone());
        h.id = unique;
    }
}

/// Numbers headings as clauses, 1, 1.1, 1.1.1, from the shallowest level present.
pub fn number_headings(headings: &mut [Heading]) {
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

/// Where a rendered link leads: its href and, if any, a title saying what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The href.
    pub href: String,
    /// The title attribute.
    pub title: Option<String>,
}

/// Renders Markdown to HTML; holds what is loaded once per build.
pub struct Renderer {
    highlighter: highlight::Highlighter,
    /// Cleans fragments that hold raw HTML; `None` when book.toml allows raw HTML as written.
    sanitiser: Option<ammonia::Builder<'static>>,
}

impl Renderer {
    /// A renderer; `allow_raw_html` (`[output.html] allow-raw-html`) passes raw HTML through
    /// unchanged instead of sanitising it.
    pub fn new(allow_raw_html: bool) -> Renderer {
        Renderer {
            highlighter: highlight::Highlighter::default(),
            sanitiser: (!allow_raw_html).then(sanitiser),
        }
    }

    /// Renders `source`. `headings` are the ones [`scan`] found (same order); `link` maps a
    /// destination as written to its href (`None` leaves it as written).
    pub fn render(
        &self,
        source: &Parsed,
        headings: &[Heading],
        link: &dyn Fn(&str) -> Option<String>,
    ) -> String {
        self.render_titled(source, headings, &|dest| {
            link(dest).map(|href| Target { href, title: None })
        })
    }

    /// As [`Renderer::render`], where `link` may also give a link a title (shown on hover).
    pub fn render_titled(
        &self,
        source: &Parsed,
        headings: &[Heading],
        link: &dyn Fn(&str) -> Option<Target>,
    ) -> String {
        self.render_noted(source, headings, link, &mut |_| None)
    }

    /// As [`Renderer::render`], with `note` asked at the end of each heading, by its id, for
    /// markup to place right after it (a note on that section). The markup is the caller's own;
    /// when the source holds raw HTML it is sanitised with the rest, so it should keep to what
    /// the sanitiser allows (elements with `class`, `role`, `aria-label`, links, `<time
    /// datetime>`).
    pub fn render_with_notes(
        &self,
        source: &Parsed,
        headings: &[Heading],
        link: &dyn Fn(&str) -> Option<String>,
        note: &mut dyn FnMut(&str) -> Option<String>,
    ) -> String {
        self.render_noted(
            source,
            headings,
            &|dest| link(dest).map(|href| Target { href, title: None }),
            note,
        )
    }

    fn render_noted(
        &self,
        source: &Parsed,
        headings: &[Heading],
        link: &dyn Fn(&str) -> Option<Target>,
        note: &mut dyn FnMut(&str) -> Option<String>,
    ) -> String {
        let mut html = String::with_capacity(source.len * 3 / 2);
        let mut events = Vec::with_capacity(source.events.len());
        let mut headings = headings.iter();
        let mut open_heading: Option<&Heading> = None;
        let mut code: Option<(String, String)> = None;
        let mut raw_html = false;
        for event in source.events.iter().cloned() {
            if let Some((lang, text)) = &mut code {
                match event {
                    Event::Text(t) => text.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        events.push(Event::Html(
                            String::from(&*self.highlighter.block(lang, text)).into(),
                        ));
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
                    let heading = open_heading.take();
                    let id = heading.map_or_else(String::new, |h| escape(&h.id));
                    events.push(Event::Html(
                        format!(" <a class=\"anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{}>\n", level_number(level)).into(),
                    ));
                    if let Some(markup) = heading.and_then(|h| note(&h.id)) {
                        events.push(Event::Html(markup.into()));
                    }
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let target = link(&dest_url);
                    let title = match target.as_ref().and_then(|t| t.title.clone()) {
                        Some(said) => CowStr::from(said),
                        None => title,
                    };
                    let dest_url =
                        target.map_or_else(|| safe_url(dest_url), |t| CowStr::from(t.href));
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
                    let dest_url = link(&dest_url)
                        .map_or_else(|| safe_url(dest_url), |t| CowStr::from(t.href));
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
                // pulldown-cmark hands raw HTML over in pieces (a tag, then text, then the closing
                // tag), so it is kept as written here and the whole fragment is cleaned below.
                // A piece that would change how the rest is parsed (an unclosed quote or comment,
                // a `<script>` whose text runs to the end) is shown as text: sanitising the whole
                // fragment must not swallow the page after it.
                Event::Html(raw) | Event::InlineHtml(raw) => {
                    raw_html = true;
                    if self.sanitiser.is_some() && !self_contained(&raw) {
                        events.push(Event::Text(raw));
                    } else {
                        events.push(Event::Html(raw));
                    }
                }
                other => events.push(other),
            }
        }
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        match &self.sanitiser {
            // Without raw HTML the fragment is this renderer's own markup, with every text
            // escaped and every URL checked: cleaning it would only cost time.
            Some(sanitiser) if raw_html => sanitiser.clean(&html).to_string(),
            _ => html,
        }
    }
}

/// The sanitiser of raw HTML: ammonia's safe subset (no script, style, iframe, event handlers,
/// or URLs other than http(s), mailto, tel and relative ones) plus what this renderer emits
/// itself, so that its own markup in a fragment that also holds raw HTML comes through whole.
fn sanitiser() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"])
        // Heading ids, anchors, admonitions, footnotes, highlighted code (`hl-*`), table wrap.
        .add_generic_attributes(["id", "class", "role", "aria-label"])
        .add_tag_attributes("pre", ["data-lang", "tabindex"])
        // Notes placed after headings date what they say.
        .add_tag_attributes("time", ["datetime"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .url_schemes(["http", "https", "mailto", "tel"].into())
        // The renderer's links are relative; a rel attribute would only change them.
        .link_rel(None)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // Table column alignment is the only style kept: no expressions, no urls.
            (_, "style") => ALIGNMENTS
                .contains(&value)
                .then_some(std::borrow::Cow::Borrowed(value)),
            // Only the task list's read-only checkboxes.
            ("input", "type") => (value == "checkbox").then_some(value.into()),
            // A code block joins the tab order where it is; nothing may reorder it.
            ("pre", "tabindex") => (value == "0").then_some(value.into()),
            _ => Some(value.into()),
        });
    b
}

/// Elements whose content the HTML parser reads as raw text (or as foreign markup) up to their
/// end tag; ammonia drops them all, so their tags are never needed.
const RAW_TEXT_ELEMENTS: [&str; 12] = [
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "svg",
    "math",
];

/// Whether a piece of raw HTML leaves the HTML tokenizer where it found it: every tag, quote
/// and comment closed, and no element that reads the rest of the document as raw text.
fn self_contained(piece: &str) -> bool {
    let mut rest = piece;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            let Some(end) = after.find("-->") else {
                return false;
            };
            rest = &after[end + 3..];
            continue;
        }
        let name: String = rest
            .strip_prefix('/')
            .unwrap_or(rest)
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_ascii_lowercase();
        // `<!`, `<?` and `</` not followed by a letter open a bogus comment that the next `>`
        // closes, wherever that is (also found by the property tests: `</` then a heading).
        if name.is_empty() && rest.starts_with(['!', '?', '/']) {
            match rest.find('>') {
                Some(end) => {
                    rest = &rest[end + 1..];
                    continue;
                }
                None => return false,
            }
        }
        if name.is_empty() {
            continue; // a lone `<` is text
        }
        if RAW_TEXT_ELEMENTS.contains(&name.as_str()) {
            return false;
        }
        // Up to the `>` that closes the tag, outside quoted attribute values.
        let mut quote = None;
        let end = rest.char_indices().find(|&(_, c)| match quote {
            Some(q) if c == q => {
                quote = None;
                false
            }
            Some(_) => false,
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                false
            }
            None => c == '>',
        });
        let Some((end, _)) = end else {
            return false;
        };
        rest = &rest[end + 1..];
    }
    true
}

/// The `style` values pulldown-cmark writes on aligned table cells.
const ALIGNMENTS: [&str; 3] = [
    "text-align: left",
    "text-align: center",
    "text-align: right",
];

/// `dest` unless it runs script or embeds a document (`javascript:`, `vbscript:`, `data:`),
/// which becomes `#`. Browsers ignore leading spaces, control characters, tabs and newlines
/// inside the scheme and its case, so the check does too.
fn safe_url(dest: CowStr<'_>) -> CowStr<'_> {
    let scheme: String = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take_while(|c| *c != ':' && *c != '/' && *c != '?' && *c != '#')
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let has_colon = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .nth(scheme.chars().count())
        == Some(':');
    if has_colon && ["javascript", "vbscript", "data"].contains(&scheme.as_str()) {
        CowStr::Borrowed("#")
    } else {
        dest
    }
}

/// The plain text of a Markdown text split at its headings ([`section_texts`]), back to back in
/// one string: a large handbook has hundreds of thousands of sections.
#[derive(Debug, Default)]
pub struct SectionTexts {
    text: String,
    /// Where each section's text ends in `text`.
    ends: Vec<usize>,
}

impl SectionTexts {
    /// Each section's text, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.text[start..end])
    }

    /// Ends the section being gathered (without its trailing space) and starts the next.
    fn end_section(&mut self) {
        if self.text.ends_with(' ') && self.text.len() > self.start() {
            self.text.pop();
        }
        self.ends.push(self.text.len());
    }

    /// Where the section being gathered starts.
    fn start(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// Appends `s` to the section being gathered with each run of whitespace as one space, and
    /// none at its start: its words as `split_whitespace` sees them, joined by spaces, one
    /// trailing space aside.
    fn push_words(&mut self, s: &str) {
        let start = self.start();
        let text = &mut self.text;
        // Bytes, not chars: most text is ASCII, and only a non-ASCII character is decoded.
        let mut word = 0;
        let mut i = 0;
        while let Some(&b) = s.as_bytes().get(i) {
            let (space, len) = if b.is_ascii() {
                // `char::is_whitespace` of ASCII: tab to carriage return, and space.
                (matches!(b, b'\t'..=b'\r' | b' '), 1)
            } else {
                let c = s[i..].chars().next().unwrap_or_default();
                (c.is_whitespace(), c.len_utf8())
            };
            if space {
                text.push_str(&s[word..i]);
                if text.len() > start && !text.ends_with(' ') {
                    text.push(' ');
                }
                word = i + len;
            }
            i += len;
        }
        text.push_str(&s[word..]);
    }
}

/// The plain text of `source` split at its headings, for the search index: the text before the
/// first heading, then one entry per heading (the same headings, in the same order, as [`scan`]
/// finds), without the heading's own text. Raw HTML tags are left out; the text between them stays.
pub fn section_texts(source: &Parsed) -> SectionTexts {
    let mut sections = SectionTexts {
        text: String::with_capacity(source.len),
        ends: Vec::new(),
    };
    let mut in_heading = false;
    for event in &source.events {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                sections.end_section();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if !in_heading => sections.push_words(t),
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
                sections.push_words(" ");
            }
            _ => {}
        }
    }
    sections.end_section();
    sections
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
    fn heading_ids_keep_out_of_the_themes_ids() {
        let ids = |md: &str| -> Vec<String> {
            scan(md, false).headings.into_iter().map(|h| h.id).collect()
        };
        assert_eq!(ids("# Main\n\n# PB main\n"), ["main", "h-pb-main"]);
    }

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
    fn a_heading_never_takes_the_id_of_a_renamed_duplicate() {
        let ids = |source: &str| -> Vec<String> {
            scan(source, false)
                .headings
                .into_iter()
                .map(|h| h.id)
                .collect()
        };
        assert_eq!(ids("# A\n# A\n# A 1\n"), ["a", "a-1", "a-1-1"]);
        assert_eq!(ids("# A 1\n# A\n# A\n# A\n"), ["a-1", "a", "a-2", "a-3"]);
        assert_eq!(ids("# A {#x}\n# B {#x}\n# x\n"), ["x", "x-1", "x-2"]);
    }

    #[test]
    fn splits_plain_text_at_headings() {
        let src = "Intro *text*.\n\n## Scope {#scope}\n\nAll [staff](policy:a)\nand `bots`.\n\n<b>raw</b>\n\n### Detail\n\n- one\n- two\n";
        assert_eq!(
            scan(src, false).headings.len() + 1,
            section_texts(&parse(src)).iter().count()
        );
        assert_eq!(
            section_texts(&parse(src)).iter().collect::<Vec<_>>(),
            ["Intro text.", "All staff and bots. raw", "one two"]
        );
    }

    proptest::proptest! {
        // Failures become named tests, as in tests/properties.rs, not files in the repository.
        #![proptest_config(proptest::prelude::ProptestConfig {
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Texts gathered piece by piece read as the whole text's words, one space apart.
        #[test]
        fn pieces_join_as_their_words(pieces in proptest::collection::vec("[a\\- \t\n\u{b}\u{85}\u{a0}\u{2003}é]{0,8}", 0..6)) {
            let mut texts = SectionTexts::default();
            // A section before, so that this one does not start the string.
            texts.push_words("before");
            texts.end_section();
            for piece in &pieces {
                texts.push_words(piece);
            }
            texts.end_section();
            let whole = pieces.concat();
            let words = whole.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(texts.iter().collect::<Vec<_>>(), ["before", &words]);
        }
    }

    #[test]
    fn section_text_has_one_space_between_words_and_none_around() {
        let src = "  Tabs\tand\u{a0}spaces *a*b  \n\n| x | y |\n|---|---|\n| 1 |  2 |\n\n## H\n\n```\n  code  \n```\n";
        assert_eq!(
            section_texts(&parse(src)).iter().collect::<Vec<_>>(),
            ["Tabs and spaces ab x y 1 2", "code"]
        );
    }

    #[test]
    fn renders_links_alerts_and_escapes_raw_html() {
        let src = "## Scope {#scope}\n\nSee [x](policy:a#b).\n\n> [!WARNING]\n> Careful.\n\n<script>alert(1)</script>\n";
        let s = scan(src, false);
        assert_eq!(s.links[0].dest, "policy:a#b");
        let html = Renderer::new(false).render(&parse(src), &s.headings, &|d| {
            (d == "policy:a#b").then(|| "../policies/a.html#b".to_string())
        });
        assert!(html.contains("<h2 id=\"scope\">"), "{html}");
        assert!(html.contains("href=\"../policies/a.html#b\""));
        assert!(html.contains("<div class=\"admonition admonition-warning\""));
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    fn render(src: &str, allow_raw_html: bool) -> String {
        let s = scan(src, true);
        Renderer::new(allow_raw_html).render(&parse(src), &s.headings, &|_| None)
    }

    #[test]
    fn sanitises_raw_html() {
        let src = "Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, x<sup>2</sup>.<br>\n\n\
            <details><summary>More</summary>\n\nHidden.\n\n</details>\n\n\
            <script>alert(1)</script>\n\n\
            <img src=x onerror=alert(2)> <a href=\"javascript:alert(3)\">a</a> \
            <a href=\"data:text/html,<script>alert(4)</script>\">b</a>\n\n\
            <iframe src=\"https://evil.example\"></iframe>\n\n\
            <p style=\"background: expression(alert(5))\" onclick=\"alert(6)\">styled</p>\n\n\
            <style>body { display: none }</style>\n\n<!-- a comment -->\n";
        let html = render(src, false);
        for kept in [
            "<kbd>Ctrl</kbd>",
            "<sub>2</sub>",
            "<sup>2</sup>",
            "<br>",
            "<details>",
            "<summary>More</summary>",
            "<p>styled</p>",
        ] {
            assert!(html.contains(kept), "{kept} missing from {html}");
        }
        for gone in [
            "<script",
            "alert(2)",
            "alert(3)",
            "alert(4)",
            "alert(5)",
            "alert(6)",
            "onerror",
            "javascript:",
            "data:",
            "<iframe",
            "style=",
            "<style",
            "onclick",
            "<!--",
        ] {
            assert!(!html.contains(gone), "{gone} left in {html}");
        }
        // Elements that would swallow the rest of the page are shown as text, inert.
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;iframe"), "{html}");
        // Allowed explicitly, raw HTML is passed through as written.
        let html = render(src, true);
        assert!(html.contains("<script>alert(1)</script>"), "{html}");
        assert!(html.contains("onclick=\"alert(6)\""), "{html}");
    }

    /// Found by the property tests: an unclosed `<script>` (or quote, or comment) in raw HTML
    /// swallowed the rest of the page when the fragment was sanitised as a whole.
    #[test]
    fn unclosed_raw_html_does_not_swallow_the_page() {
        for raw in [
            "`~~~<script>",
            "a <style>",
            "<div title=\"open\n\n",
            "a <textarea>",
            "<svg>",
        ] {
            let html = render(&format!("{raw}\n\n## Kept\n\nText kept.\n"), false);
            assert!(html.contains("<h2 id=\"kept\">"), "{raw}: {html}");
            assert!(html.contains("Text kept."), "{raw}: {html}");
        }
        assert!(self_contained(
            "<kbd title='a>b'>x</kbd> a < b <!-- c --> <br/>"
        ));
        assert!(!self_contained("<a title=\"x>"));
        assert!(!self_contained("<!-- open"));
        assert!(!self_contained("</SCRIPT >"));
        assert!(!self_contained("<div></\n"));
        assert!(self_contained("<div></>x<!DOCTYPE html>"));
    }

    #[test]
    fn script_urls_in_markdown_links_are_neutralised() {
        for dest in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "<java\tscript:alert(1)>",
            "%20javascript:alert(1)",
            "vbscript:msgbox",
            "data:text/html;base64,PHNjcmlwdD4=",
        ] {
            for allow in [false, true] {
                let html = render(&format!("[x]({dest}) ![i]({dest})\n"), allow);
                let expect_neutral = !dest.starts_with('%');
                assert_eq!(
                    html.contains("href=\"#\"") && html.contains("src=\"#\""),
                    expect_neutral,
                    "{dest}: {html}"
                );
            }
        }
        // Ordinary destinations are untouched.
        let html = render(
            "[a](https://example.com/data:x) [b](notes/data.html) [c](mailto:x@example.com)\n",
            false,
        );
        assert!(
            html.contains("href=\"https://example.com/data:x\""),
            "{html}"
        );
        assert!(html.contains("href=\"notes/data.html\""), "{html}");
        assert!(html.contains("href=\"mailto:x@example.com\""), "{html}");
    }

    /// Everything the renderer emits itself survives the sanitiser: a fragment with raw HTML in
    /// it (cleaned) renders the rest exactly as a fragment without (not cleaned).
    #[test]
    fn renderer_markup_survives_sanitising() {
        let doc = "# Title\n\n## Scope {#scope}\n\nText with `code`, *em*, **strong**, ~~gone~~ and \
            [a link](other.html#x \"a title\") and ![an image](pic.png \"pic\").[^1]\n\n\
            > [!NOTE]\n> A note.\n\n> A quote.\n\n\
            ```rust\nfn main() { let x = \"<y>\"; }\n```\n\n    indented code\n\n\
            | Left | Centre | Right |\n|:--|:-:|--:|\n| a | b | c |\n\n\
            - [x] done\n- [ ] open\n  1. nested\n\n---\n\n[^1]: The footnote.\n";
        let plain = render(doc, false);
        let raw = render(&format!("{doc}\n<kbd>K</kbd>\n"), false);
        let raw = raw.replace("<p><kbd>K</kbd></p>\n", "");
        // html5ever writes void elements without the slash and quotes only where needed.
        let normal = |s: &str| {
            s.replace(" />", ">")
                .replace("/>", ">")
                .replace("&quot;", "\"")
        };
        assert_eq!(normal(&raw), normal(&plain));
        for feature in [
            "<h2 id=\"scope\">",
            "class=\"anchor\"",
            "class=\"hl-",
            "data-lang=\"rust\"",
            "admonition-note",
            "table-wrap",
            "style=\"text-align: center\"",
            "footnote-definition",
            "type=\"checkbox\"",
            "<blockquote>",
        ] {
            assert!(raw.contains(feature), "{feature} missing from {raw}");
        }
    }

    /// A note goes right after the heading it is given for, and only there; it comes through
    /// the sanitiser whole when the source also holds raw HTML.
    #[test]
    fn places_notes_after_their_heading() {
        let note = "<div class=\"note\" role=\"note\" aria-label=\"On this\"><p><a href=\"../x.html\">X</a> until <time datetime=\"2027-01-30\">2027-01-30</time></p></div>\n";
        for raw in ["", "\n<kbd>K</kbd>\n"] {
            let src = format!("## One\n\nFirst.\n\n## Two {{#two}}\n\nSecond.{raw}");
            let s = scan(&src, false);
            let mut asked = Vec::new();
            let html = Renderer::new(false).render_with_notes(
                &parse(&src),
                &s.headings,
                &|_| None,
                &mut |id| {
                    asked.push(id.to_string());
                    (id == "two").then(|| note.to_string())
                },
            );
            assert_eq!(asked, ["one", "two"]);
            let normal = html.replace("&quot;", "\"");
            let at = normal.find(note).unwrap_or_else(|| panic!("{normal}"));
            assert!(normal[..at].ends_with("</h2>\n"), "{normal}");
            assert!(normal[..at].contains("<h2 id=\"two\">"), "{normal}");
            assert!(
                normal[at..].starts_with(&format!("{note}<p>Second.")),
                "{normal}"
            );
            assert_eq!(normal.matches("role=\"note\"").count(), 1, "{normal}");
        }
    }
}
