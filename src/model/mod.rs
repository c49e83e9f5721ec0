//! Model stage: typed items → a [`Handbook`] with ids, URLs, resolved links, backlinks and
//! computed values. Every reference is checked here; the render stage can trust the model.

mod acknowledgement;
mod computed;
mod links;
mod relations;
mod update;
mod versions;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use acknowledgement::{Acknowledgement, acknowledgement};
pub use computed::{
    GateStatus, KpiValue, RiskScore, ScoreLine, acknowledged_since, gate_status, in_force,
    kpi_value, next_review, pending_since, refresh_due, risk_score, score_lines, scorecard_total,
};
pub use versions::{CURRENT, approvers, compare, find_policy};

use crate::config::Config;
use crate::content::{Criterion, Data, Framework, FrameworkFile, Item, Kind, Loaded, Role};
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::markdown::{self, Heading};
use crate::urls;

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
    /// What each release changes beyond wording, once asked (see
    /// [`Entry::changes_beyond_wording`]).
    beyond_wording: std::sync::OnceLock<Result<Vec<Vec<crate::diff::NotEditorial>>, Diagnostic>>,
}

/// The whole handbook, validated and cross-linked.
#[derive(Debug, Clone)]
pub struct Handbook {
    /// book.toml.
    pub config: Config,
    /// Items in navigation order: by kind, then stage order, weight and title. Shared, so that
    /// `serve` makes the next handbook from this one by replacing only the entries a save changed.
    pub entries: Vec<Arc<Entry>>,
    /// Roles from roles.yaml.
    pub roles: Vec<Role>,
    /// Vendor criteria.
    pub criteria: Vec<Criterion>,
    /// Control frameworks, with the files they were read from.
    pub frameworks: Vec<FrameworkFile>,
    /// SUMMARY.md, when there is one: navigation lists its chapters, in its order.
    pub summary: Option<PathBuf>,
    /// Files copied as they are: (source, site path), by source path.
    pub assets: Vec<(PathBuf, PathBuf)>,
    /// sha256 of every source file.
    pub sources: BTreeMap<PathBuf, String>,
    /// What loading and linking found, errors and warnings, with book.toml's severities
    /// applied. The model is complete even with errors (what did not resolve is left out), so
    /// the governance rules can run over it and one run reports every finding.
    pub diagnostics: Vec<Diagnostic>,
    /// The day the handbook is shown as it stood (`build --as-of`), if not as it is.
    pub as_of: Option<crate::date::Date>,
    by_id: HashMap<String, usize>,
    by_url: HashMap<String, usize>,
    by_path: HashMap<PathBuf, usize>,
    /// Whether the content folder has symbolic links (see [`Loaded::through_links`]).
    through_links: bool,
    /// roles.yaml and criteria.yaml as loaded, to check a changed item's references again.
    roles_file: Option<(PathBuf, crate::content::FrontMatter)>,
    criteria_file: Option<(PathBuf, crate::content::FrontMatter)>,
}

impl Handbook {
    /// Builds the model, collecting every problem of the sources in `diagnostics`.
    pub fn build(config: Config, loaded: Loaded) -> Handbook {
        let Loaded {
            mut items,
            roles,
            roles_file,
            criteria,
            criteria_file,
            frameworks,
            mut assets,
            sources,
            failed,
            summary,
            through_links,
            mut diagnostics,
        } = loaded;
        // By source path, so that a link to a file finds it by binary search.
        assets.sort();
        diagnostics.extend(config.ignored.iter().cloned());
        items.sort_by_cached_key(order_key);
        let number = config.output.html.number_clauses;
        // The pages the site makes per role and per framework, which no page may replace.
        let made: std::collections::HashSet<String> = roles
            .iter()
            .map(|r| urls::role(&r.id))
            .chain(frameworks.iter().map(|f| urls::framework(&f.framework.id)))
            .collect();
        let (entries, link_refs): (Vec<Entry>, Vec<_>) = items
            .into_par_iter()
            .map(|mut item| {
                let mut scan = std::mem::take(&mut item.outline);
                if number && item.kind == Kind::Policy {
                    markdown::number_headings(&mut scan.headings);
                }
                let url = url_of(&config, &item, &made);
                let entry = Entry {
                    item,
                    url,
                    headings: scan.headings,
                    links: HashMap::new(),
                    references: Vec::new(),
                    backlinks: Vec::new(),
                    beyond_wording: std::sync::OnceLock::new(),
                };
                (entry, scan.links)
            })
            .unzip();

        let mut entries = entries;
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut by_url: HashMap<String, usize> = HashMap::new();
        for i in 0..entries.len() {
            // Two pages named alike in different folders (`a/intro.md`, `b/intro.md`) are
            // usual in a book: a page whose id comes from its file name takes its folder's too.
            // The page at the top (`index.md` beside `policies/index.md`) keeps its name.
            let named_by_file = |e: &Entry| e.item.common.id.is_none() && e.item.kind == Kind::Page;
            let with_folder = |e: &Entry| {
                let path = e.item.path.with_extension("");
                let in_src = path.strip_prefix(&config.book.src).unwrap_or(&path);
                crate::content::id_from_stem(&in_src.to_string_lossy())
            };
            let entry = &entries[i];
            if let Some(&first) = by_id.get(&entry.item.id)
                && named_by_file(entry)
            {
                let id = with_folder(entry);
                if id != entry.item.id {
                    entries[i].item.id = id;
                } else if named_by_file(&entries[first]) && with_folder(&entries[first]) != id {
                    let renamed = with_folder(&entries[first]);
                    by_id.remove(&id);
                    by_id.insert(renamed.clone(), first);
                    entries[first].item.id = renamed;
                }
            }
            let entry = &entries[i];
            if let Some(&first) = by_url.get(&entry.url) {
                let first: &Entry = &entries[first];
                diagnostics.push(
                    Diagnostic::new(
                        Rule::DuplicateId,
                        &entry.item.path,
                        1,
                        1,
                        format!("`{}` would be written to {}, as {} is", entry.item.path.display(), entry.url, first.item.path.display()),
                    )
                    .with_help("a folder's README.md, index.md and _index.md are each its index page: keep one, or give one an `id:`"),
                );
            } else {
                by_url.insert(entry.url.clone(), i);
            }
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

        let by_path = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.item.path.clone(), i))
            .collect();
        let mut handbook = Handbook {
            config,
            entries: entries.into_iter().map(Arc::new).collect(),
            roles,
            criteria,
            frameworks,
            summary,
            assets,
            sources,
            diagnostics: Vec::new(),
            as_of: None,
            by_id,
            by_url,
            by_path,
            through_links,
            roles_file,
            criteria_file,
        };
        let (roles_file, criteria_file) =
            (handbook.roles_file.clone(), handbook.criteria_file.clone());
        let context = links::Context {
            failed: &failed,
            roles_file: roles_file.as_ref(),
            criteria_file: criteria_file.as_ref(),
        };
        links::resolve(&mut handbook, &link_refs, &context, &mut diagnostics);

        let mut diagnostics =
            crate::diagnostic::adjust(&handbook.config.check.severity, diagnostics);
        diagnostics.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        diagnostics.dedup();
        handbook.diagnostics = diagnostics;
        handbook
    }

    /// Whether loading or linking found an error: such a handbook is checked, never rendered.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The entry with `id`.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &*self.entries[i])
    }

    /// The role with `id`.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    /// The framework with `id`.
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks
            .iter()
            .map(|f| &f.framework)
            .find(|f| f.id == id)
    }

    /// The home page: the page at the top of the content folder named `index.md`, `README.md` or
    /// `_index.md`.
    pub fn home(&self) -> Option<&Entry> {
        self.at_url(urls::HOME)
    }

    /// Whether the sidebar lists the entry: every item does, except pages that SUMMARY.md,
    /// when there is one, leaves out.
    pub fn in_navigation(&self, entry: &Entry) -> bool {
        entry.item.kind != Kind::Page || self.summary.is_none() || entry.item.chapter.is_some()
    }

    /// The entry whose page is at site path `url`.
    pub fn at_url(&self, url: &str) -> Option<&Entry> {
        self.by_url.get(url).map(|&i| &*self.entries[i])
    }

    /// The index of the entry loaded from `path` (relative to the root).
    pub fn index_at_path(&self, path: &Path) -> Option<usize> {
        self.by_path.get(path).copied()
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
        self.entries[self.kind_range(kind)].iter().map(|e| &**e)
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

/// The site path of an item: kinds live in their folder by id; pages mirror their source path,
/// as in mdBook (`README.md`, `index.md` or Hugo's `_index.md` is its folder's `index.html`; a
/// name that is not safe in an address is spelled as its id). `made` holds the site paths of
/// the pages made per role and framework.
fn url_of(config: &Config, item: &Item, made: &std::collections::HashSet<String>) -> String {
    if item.kind != Kind::Page {
        return urls::item(item.kind, &item.id);
    }
    let in_src = item
        .path
        .strip_prefix(&config.book.src)
        .unwrap_or(&item.path);
    let parent = in_src.parent().unwrap_or(Path::new(""));
    let url: String = parent
        .components()
        .map(|c| format!("{}/", segment(&c.as_os_str().to_string_lossy())))
        .collect();
    let stem = item
        .path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let name = if item.common.id.is_some() {
        item.id.clone()
    } else if crate::content::is_index_stem(&stem) {
        "index".into()
    } else {
        segment(&stem)
    };
    let page = format!("{url}{name}.html");
    // A page never takes the place of a page the site makes (`guide/index.html` lists the guide,
    // `roles/legal.html` is what applies to legal).
    if urls::is_generated(&page) || made.contains(&page) {
        return format!("{url}{name}-page.html");
    }
    page
}

/// A file or folder name as it appears in a site path: as written when it is safe in an
/// address, else as an id.
fn segment(name: &str) -> String {
    if !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        name.to_string()
    } else {
        crate::content::id_from_stem(name)
    }
}

/// A kind's place in navigation order.
fn kind_rank(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

fn order_key(item: &Item) -> (usize, u32, usize, i64, String, String) {
    let kind = kind_rank(item.kind);
    let stage = match &item.data {
        Data::Stage(s) => s.order,
        _ => 0,
    };
    // SUMMARY.md's chapters first, in its order; the other pages after them.
    let chapter = item.chapter.map_or(usize::MAX, |c| c.position);
    (
        kind,
        stage,
        chapter,
        item.common.weight,
        item.common.title.to_lowercase(),
        item.id.clone(),
    )
}
