//! Model stage: typed items → a [`Handbook`] with ids, URLs, resolved links, backlinks and
//! computed values. Every reference is checked here; the render stage can trust the model.

mod computed;
mod links;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use computed::{
    GateStatus, KpiValue, RiskScore, ScoreLine, gate_status, kpi_value, next_review, pending_since,
    refresh_due, risk_score, score_lines, scorecard_total,
};

use crate::Error;
use crate::check::{self, Rule};
use crate::config::Config;
use crate::content::{Criterion, Data, Item, Kind, Loaded, Role};
use crate::diagnostic::{Diagnostic, Severity};
use crate::markdown::{self, Heading};

/// An item placed in the site.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The item as loaded.
    pub item: Item,
    /// Path of its page in the site, such as `policies/data-handling.html`.
    pub url: String,
    /// Headings of its body.
    pub headings: Vec<Heading>,
    /// Markdown link destination as written → site path (with `#anchor`).
    pub links: HashMap<String, String>,
    /// Indices of the entries it references (front matter and body), in order, without repeats.
    pub references: Vec<usize>,
    /// Indices of the entries that reference it, in navigation order.
    pub backlinks: Vec<usize>,
}

/// The whole handbook, validated and cross-linked.
#[derive(Debug)]
pub struct Handbook {
    /// book.toml.
    pub config: Config,
    /// Items in navigation order: by kind, then stage order, weight and title.
    pub entries: Vec<Entry>,
    /// Roles from roles.yaml.
    pub roles: Vec<Role>,
    /// Vendor criteria.
    pub criteria: Vec<Criterion>,
    /// Files copied as they are: (source, site path).
    pub assets: Vec<(PathBuf, PathBuf)>,
    /// sha256 of every source file.
    pub sources: BTreeMap<PathBuf, String>,
    /// Warnings (the build goes on).
    pub warnings: Vec<Diagnostic>,
    by_id: HashMap<String, usize>,
}

/// The site path of the roles page.
pub const ROLES_URL: &str = "roles.html";

impl Handbook {
    /// Builds the model, reporting every problem of the sources at once.
    pub fn build(config: Config, loaded: Loaded) -> Result<Handbook, Error> {
        let Loaded {
            mut items,
            roles,
            roles_file,
            criteria,
            criteria_file,
            assets,
            sources,
            failed,
            mut diagnostics,
        } = loaded;
        items.sort_by_cached_key(order_key);
        let number = config.output.html.number_clauses;
        let (entries, link_refs): (Vec<Entry>, Vec<_>) = items
            .into_par_iter()
            .map(|mut item| {
                let mut scan = std::mem::take(&mut item.outline);
                if number && item.kind == Kind::Policy {
                    markdown::number_headings(&mut scan.headings);
                }
                let url = url_of(&config, &item);
                let entry = Entry {
                    item,
                    url,
                    headings: scan.headings,
                    links: HashMap::new(),
                    references: Vec::new(),
                    backlinks: Vec::new(),
                };
                (entry, scan.links)
            })
            .unzip();

        let mut by_id = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            if let Some(&first) = by_id.get(&entry.item.id) {
                let first: &Entry = &entries[first];
                let (line, col) = entry
                    .item
                    .common
                    .id
                    .as_ref()
                    .map_or((1, 1), |_| entry.item.front.locate("id"));
                diagnostics.push(
                    Diagnostic::new(
                        Rule::DuplicateId,
                        &entry.item.path,
                        line,
                        col,
                        format!("duplicate id `{}`", entry.item.id),
                    )
                    .with_help(format!(
                        "`{}` is already the id of {}; ids are unique across all kinds",
                        entry.item.id,
                        first.item.path.display()
                    )),
                );
            } else {
                by_id.insert(entry.item.id.clone(), i);
            }
        }

        let mut handbook = Handbook {
            config,
            entries,
            roles,
            criteria,
            assets,
            sources,
            warnings: Vec::new(),
            by_id,
        };
        let context = links::Context {
            failed: &failed,
            roles_file: roles_file.as_ref(),
            criteria_file: criteria_file.as_ref(),
        };
        links::resolve(&mut handbook, &link_refs, &context, &mut diagnostics);

        let mut diagnostics = check::adjust(&handbook.config.check, diagnostics);
        diagnostics.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        diagnostics.dedup();
        let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics
            .into_iter()
            .partition(|d| d.severity == Severity::Error);
        if !errors.is_empty() {
            return Err(Error::Content(errors.into_iter().chain(warnings).collect()));
        }
        handbook.warnings = warnings;
        Ok(handbook)
    }

    /// The entry with `id`.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// The role with `id`.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// The home page: the page at the top of the content folder named `index.md`.
    pub fn home(&self) -> Option<&Entry> {
        self.entries.iter().find(|e| e.url == "index.html")
    }

    /// The site path a link in the archived text of entry `from` points to today, if any.
    pub fn resolve_archived_link(&self, from: usize, dest: &str) -> Option<String> {
        links::resolve_quietly(self, from, dest)
    }

    /// The index of an entry (entries are compared by address).
    pub fn index_of(&self, entry: &Entry) -> usize {
        self.by_id[&entry.item.id]
    }

    /// Entries of `kind`, in navigation order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Entry> {
        self.entries[self.kind_range(kind)].iter()
    }

    /// Where the entries of `kind` are: entries are sorted by kind first, so they are contiguous
    /// and found by binary search rather than a scan per call (callers run once per page).
    pub fn kind_range(&self, kind: Kind) -> std::ops::Range<usize> {
        let rank = kind_rank(kind);
        let start = self
            .entries
            .partition_point(|e| kind_rank(e.item.kind) < rank);
        let end = self
            .entries
            .partition_point(|e| kind_rank(e.item.kind) <= rank);
        start..end
    }
}

/// The site path of an item: kinds live in their folder by id; pages mirror their source path.
fn url_of(config: &Config, item: &Item) -> String {
    if item.kind != Kind::Page {
        return format!("{}/{}.html", item.kind.folder(), item.id);
    }
    let in_src = item
        .path
        .strip_prefix(&config.book.src)
        .unwrap_or(&item.path);
    let parent = in_src.parent().unwrap_or(Path::new(""));
    let mut url: String = parent
        .components()
        .map(|c| format!("{}/", c.as_os_str().to_string_lossy()))
        .collect();
    url.push_str(&item.id);
    url.push_str(".html");
    url
}

/// A kind's place in navigation order.
fn kind_rank(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

fn order_key(item: &Item) -> (usize, u32, i64, String, String) {
    let kind = kind_rank(item.kind);
    let stage = match &item.data {
        Data::Stage(s) => s.order,
        _ => 0,
    };
    (
        kind,
        stage,
        item.common.weight,
        item.common.title.to_lowercase(),
        item.id.clone(),
    )
}
