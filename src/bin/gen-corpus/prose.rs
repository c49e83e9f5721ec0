//! Deterministic governance prose: a tiny PRNG and Markdown documents built from it.
//!
//! Shared with the benchmark (`benches/pipeline.rs` includes this file), which needs long policy
//! texts for its redline measurement; nothing here touches the file system.

/// splitmix64: tiny, fast and good enough for test data; a seed gives the same corpus anywhere.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.range(1, n) == 1
    }

    /// One element of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

const NOUNS: &[&str] = &[
    "assistant",
    "repository",
    "prompt",
    "reviewer",
    "policy",
    "control",
    "vendor",
    "team",
    "release",
    "incident",
    "audit",
    "model",
    "dataset",
    "pipeline",
    "change",
    "exception",
    "owner",
    "service",
    "secret",
    "licence",
    "record",
    "baseline",
    "metric",
    "workflow",
    "suggestion",
    "branch",
    "dependency",
    "contract",
    "budget",
    "report",
    "approval",
    "risk",
];
const VERBS: &[&str] = &[
    "reviews",
    "records",
    "approves",
    "limits",
    "documents",
    "escalates",
    "checks",
    "blocks",
    "tracks",
    "confirms",
    "retains",
    "publishes",
    "measures",
    "rotates",
    "restricts",
    "explains",
];
const ADJECTIVES: &[&str] = &[
    "confidential",
    "approved",
    "external",
    "internal",
    "regulated",
    "critical",
    "generated",
    "shared",
    "temporary",
    "annual",
    "quarterly",
    "independent",
    "material",
    "editorial",
    "sensitive",
    "public",
    "restricted",
    "measurable",
    "documented",
    "automated",
];
const ADVERBS: &[&str] = &[
    "promptly",
    "before merging",
    "every quarter",
    "in writing",
    "without exception",
    "where practical",
    "on request",
    "within five working days",
    "at each release",
];
const TOPICS: &[&str] = &[
    "Background",
    "Context",
    "Practice",
    "Controls",
    "Evidence",
    "Escalation",
    "Reporting",
    "Examples",
    "Responsibilities",
    "Monitoring",
    "Records",
    "Timeline",
    "Metrics",
    "Review",
    "Dependencies",
    "Tooling",
    "Communication",
    "Open questions",
];
const LANGUAGES: &[&str] = &["python", "rust", "yaml", "bash", "json", "toml"];

/// A sentence of 8–20 words ending in a full stop.
pub fn sentence(rng: &mut Rng) -> String {
    let mut words = Vec::new();
    let target = rng.range(8, 20);
    while words.len() < target {
        words.push(format!("the {}", rng.pick(ADJECTIVES)));
        words.push(rng.pick(NOUNS).to_string());
        words.push(rng.pick(VERBS).to_string());
        words.push(format!("each {}", rng.pick(NOUNS)));
        if rng.one_in(3) {
            words.push(rng.pick(ADVERBS).to_string());
        }
    }
    let mut s = words.join(" ");
    if let Some(first) = s.get(..1) {
        s.replace_range(..1, &first.to_uppercase());
    }
    s.push('.');
    s
}

/// A paragraph of 3–6 sentences.
pub fn paragraph(rng: &mut Rng) -> String {
    let n = rng.range(3, 6);
    (0..n).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

/// A block of a document.
#[derive(Clone)]
pub enum Block {
    /// A paragraph (Markdown inline text).
    Para(String),
    /// A bulleted list.
    List(Vec<String>),
    /// A table: header and rows.
    Table(Vec<String>, Vec<Vec<String>>),
    /// A fenced code block: language and code.
    Code(&'static str, String),
    /// A GFM alert.
    Note(String),
}

/// A heading and its blocks.
#[derive(Clone)]
pub struct Section {
    /// 2 or 3.
    pub level: u8,
    /// Heading text.
    pub title: String,
    /// Contents.
    pub blocks: Vec<Block>,
}

/// A Markdown document as sections, so versions can be edited block by block.
#[derive(Clone, Default)]
pub struct Doc {
    /// In reading order.
    pub sections: Vec<Section>,
}

fn list(rng: &mut Rng) -> Block {
    Block::List(
        (0..rng.range(3, 6))
            .map(|_| sentence(rng).trim_end_matches('.').to_string())
            .collect(),
    )
}

fn table(rng: &mut Rng) -> Block {
    let header = vec!["Control".into(), "Owner".into(), "Frequency".into()];
    let rows = (0..rng.range(3, 6))
        .map(|_| {
            vec![
                format!("{} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS)),
                rng.pick(NOUNS).to_string(),
                rng.pick(ADVERBS).to_string(),
            ]
        })
        .collect();
    Block::Table(header, rows)
}

fn code(rng: &mut Rng) -> Block {
    let lang = *rng.pick(LANGUAGES);
    let lines: Vec<String> = (0..rng.range(4, 10))
        .map(|i| {
            let (a, b) = (rng.pick(NOUNS), rng.pick(ADJECTIVES));
            match lang {
                "python" => format!("{a}_{i} = check(\"{b}\", limit={i})"),
                "rust" => format!("let {a}_{i} = check(\"{b}\", {i})?;"),
                "yaml" => format!("{a}-{i}: {{ level: {b}, limit: {i} }}"),
                "bash" => format!("policy-tool check --{a} {b} --limit {i}"),
                "json" => format!("{{\"{a}\": \"{b}\", \"limit\": {i}}}"),
                _ => format!("{a}_{i} = \"{b}\""),
            }
        })
        .collect();
    Block::Code(lang, lines.join("\n"))
}

/// A block chosen for variety; `code` allows code blocks.
pub fn block(rng: &mut Rng, code_ok: bool) -> Block {
    match rng.range(0, 9) {
        0 | 1 => list(rng),
        2 => table(rng),
        3 if code_ok => code(rng),
        4 => Block::Note(sentence(rng)),
        _ => Block::Para(paragraph(rng)),
    }
}

/// A document with the given H2 `headings` (plus H3 subsections), of about `words` words.
pub fn doc(rng: &mut Rng, headings: &[String], words: usize, code_ok: bool) -> Doc {
    let mut doc = Doc::default();
    for title in headings {
        doc.sections.push(Section {
            level: 2,
            title: title.clone(),
            blocks: vec![Block::Para(paragraph(rng))],
        });
        if rng.one_in(2) {
            let title = format!("{} {}", rng.pick(TOPICS), doc.sections.len());
            doc.sections.push(Section {
                level: 3,
                title,
                blocks: vec![Block::Para(paragraph(rng))],
            });
        }
    }
    let mut has_code = false;
    while doc.words() < words {
        let b = block(rng, code_ok && !has_code);
        has_code |= matches!(b, Block::Code(..));
        let i = rng.range(0, doc.sections.len() - 1);
        doc.sections[i].blocks.push(b);
    }
    if code_ok && !has_code {
        let b = code(rng);
        doc.sections[0].blocks.push(b);
    }
    doc
}

/// Topic headings for a page that is not a policy: `Overview` first, so links can target it.
pub fn headings(rng: &mut Rng) -> Vec<String> {
    let mut out = vec!["Overview".to_string()];
    let n = rng.range(3, 5);
    while out.len() < n {
        let t = rng.pick(TOPICS).to_string();
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

impl Doc {
    /// Approximate word count (whitespace-separated tokens of the text).
    pub fn words(&self) -> usize {
        self.sections
            .iter()
            .flat_map(|s| &s.blocks)
            .map(|b| match b {
                Block::Para(t) | Block::Note(t) => t.split_whitespace().count(),
                Block::List(items) => items.iter().map(|t| t.split_whitespace().count()).sum(),
                Block::Table(_, rows) => rows.len() * 6,
                Block::Code(_, c) => c.split_whitespace().count(),
            })
            .sum()
    }

    /// A later version: a few paragraphs reworded, one added, one removed.
    pub fn revise(&self, rng: &mut Rng, edits: usize) -> Doc {
        let mut next = self.clone();
        for _ in 0..edits {
            let s = rng.range(0, next.sections.len() - 1);
            let blocks = &mut next.sections[s].blocks;
            let b = rng.range(0, blocks.len() - 1);
            match rng.range(0, 3) {
                0 => blocks.insert(b, Block::Para(paragraph(rng))),
                1 if blocks.len() > 1 => {
                    blocks.remove(b);
                }
                _ => {
                    if let Block::Para(text) = &mut blocks[b] {
                        // Reword one sentence: a realistic edit the word diff has to find.
                        let mut sentences: Vec<String> =
                            text.split(". ").map(str::to_string).collect();
                        let k = rng.range(0, sentences.len() - 1);
                        let mut new = sentence(rng);
                        if k + 1 < sentences.len() {
                            new.pop();
                        }
                        sentences[k] = new;
                        *text = sentences.join(". ");
                    }
                }
            }
        }
        next
    }

    /// Appends `[text](dest)` links to paragraphs spread over the document.
    pub fn link(&mut self, rng: &mut Rng, links: &[(String, String)]) {
        for (text, dest) in links {
            let s = rng.range(0, self.sections.len() - 1);
            self.sections[s].blocks.push(Block::Para(format!(
                "{} See [{text}]({dest}).",
                sentence(rng)
            )));
        }
    }

    /// The Markdown text.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for s in &self.sections {
            out.push_str(&format!("{} {}\n\n", "#".repeat(s.level.into()), s.title));
            for b in &s.blocks {
                match b {
                    Block::Para(t) => out.push_str(&format!("{t}\n\n")),
                    Block::List(items) => {
                        items.iter().for_each(|i| out.push_str(&format!("- {i}\n")));
                        out.push('\n');
                    }
                    Block::Table(header, rows) => {
                        out.push_str(&format!("| {} |\n", header.join(" | ")));
                        out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
                        for r in rows {
                            out.push_str(&format!("| {} |\n", r.join(" | ")));
                        }
                        out.push('\n');
                    }
                    Block::Code(lang, c) => out.push_str(&format!("```{lang}\n{c}\n```\n\n")),
                    Block::Note(t) => out.push_str(&format!("> [!NOTE]\n> {t}\n\n")),
                }
            }
        }
        out
    }
}
