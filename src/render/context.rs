//! What templates see: typed views of the model, serialized into tera contexts.

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Data, Kind};
use crate::date::Date;
use crate::markdown::Heading;
use crate::model::{
    self, CURRENT, Entry, GateStatus, Handbook, KpiValue, RiskScore, ScoreLine, pending_since,
};
use crate::urls;

/// Fields every page has.
#[derive(Serialize)]
pub struct Layout {
    /// `[book]`.
    pub book: tera::Value,
    /// Prefix from this page to the site root (`""` or `"../"`).
    pub root: String,
    /// This page's path in the site.
    pub page_url: String,
    /// The page title.
    pub title: String,
    /// Sidebar sections.
    pub nav: Vec<NavSection>,
    /// Breadcrumbs above the title.
    pub breadcrumbs: Vec<Link>,
    /// "Edit this page" address.
    pub edit_url: Option<String>,
    /// Which summary pages this handbook has, so that no page links to one that is not built.
    pub has: Has,
    /// The day this site shows the handbook as it stood (`build --as-of`), for the banner.
    pub as_of: Option<String>,
    /// The framework pages, for the sidebar (a handbook has few frameworks), as [`Link`]s.
    pub frameworks: tera::Value,
}

/// The summary pages a handbook has: each needs items of some kind.
#[derive(Serialize, Clone, Copy)]
pub struct Has {
    /// The KPI dashboard (`dashboard.html`): KPIs.
    pub dashboard: bool,
    /// The traceability matrix (`traceability.html`): risks.
    pub traceability: bool,
    /// What changed in the edition (`edition.html`): policies.
    pub edition: bool,
    /// The roles page (`roles.html`), a page per role and `acknowledgements.json`: roles.
    pub roles: bool,
    /// The Atom feed (`feed.xml`): only with `site-url`, for its absolute addresses.
    pub feed: bool,
}

impl Has {
    /// The summary pages of `handbook`.
    pub fn of(handbook: &Handbook) -> Has {
        let any = |kind| handbook.of_kind(kind).next().is_some();
        Has {
            dashboard: any(Kind::Kpi),
            traceability: any(Kind::Risk),
            edition: any(Kind::Policy),
            roles: !handbook.roles.is_empty(),
            feed: handbook.config.output.html.site_url.is_some(),
        }
    }
}

/// A sidebar section; its items are listed only when the page is inside it, so a page's size
/// does not grow with the handbook.
#[derive(Serialize)]
pub struct NavSection {
    /// Heading.
    pub title: &'static str,
    /// The section's index page.
    pub url: String,
    /// Whether the current page is in it.
    pub active: bool,
    /// Its pages (empty when collapsed), as [`NavItem`]s.
    pub items: Vec<tera::Value>,
    /// How many pages it has.
    pub count: usize,
    /// Pages before the listed ones, left out to keep the page small (see [`NAV_WINDOW`]).
    pub skipped_before: usize,
    /// Pages after the listed ones, left out.
    pub skipped_after: usize,
}

/// What every page's layout shows alike, made into template values once rather than for each
/// page: `[book]`, the framework links, and each entry's sidebar link ([`NavItem`], not the
/// current page), by index, of which a page lists up to [`NAV_WINDOW`].
pub struct Shared {
    book: tera::Value,
    frameworks: tera::Value,
    nav: Vec<tera::Value>,
}

impl Shared {
    /// What `handbook`'s pages share.
    pub fn of(handbook: &Handbook) -> Shared {
        let frameworks: Vec<Link> = handbook
            .frameworks
            .iter()
            .map(|f| Link {
                title: f.framework.title.clone(),
                url: urls::framework(&f.framework.id),
                kind: "framework".into(),
            })
            .collect();
        Shared {
            book: tera::Value::from_serializable(&handbook.config.book),
            frameworks: tera::Value::from_serializable(&frameworks),
            nav: handbook
                .entries
                .par_iter()
                .map(|e| tera::Value::from_serializable(&NavItem::to(e, false)))
                .collect(),
        }
    }

    /// `[book]`.
    pub fn book(&self) -> tera::Value {
        self.book.clone()
    }

    /// The framework pages' links.
    pub fn frameworks(&self) -> tera::Value {
        self.frameworks.clone()
    }
}

/// A sidebar link.
#[derive(Serialize)]
pub struct NavItem<'a> {
    /// Text.
    pub title: &'a str,
    /// Site path.
    pub url: &'a str,
    /// Whether it is the current page.
    pub current: bool,
    /// How deep SUMMARY.md nests it (0 at the top).
    pub depth: usize,
}

impl NavItem<'_> {
    fn to(entry: &Entry, current: bool) -> NavItem<'_> {
        NavItem {
            title: &entry.item.common.title,
            url: &entry.url,
            current,
            depth: entry.item.chapter.map_or(0, |c| c.depth),
        }
    }
}

/// A link to another page.
#[derive(Serialize, Clone)]
pub struct Link {
    /// Text.
    pub title: String,
    /// Site path.
    pub url: String,
    /// Kind name, for a badge.
    pub kind: String,
}

impl Link {
    /// A link to an entry.
    pub fn to(entry: &Entry) -> Link {
        Link {
            title: entry.item.common.title.clone(),
            url: entry.url.clone(),
            kind: entry.item.kind.name().to_string(),
        }
    }
}

/// One item as templates see it.
#[derive(Serialize)]
pub struct ItemView<'a> {
    /// Id.
    pub id: &'a str,
    /// Kind name.
    pub kind: &'static str,
    /// The kind's section label.
    pub kind_label: &'static str,
    /// Title.
    pub title: &'a str,
    /// The anchor of the body's title heading, which the page's title heading takes over.
    pub title_anchor: Option<&'a str>,
    /// Summary.
    pub summary: Option<&'a str>,
    /// Owning role id.
    pub owner: Option<&'a str>,
    /// Tags.
    pub tags: &'a [String],
    /// Site path.
    pub url: &'a str,
    /// Source path relative to the root.
    pub source: String,
    /// The kind's own fields as written.
    pub fields: &'a Data,
    /// Free-form `extra` data.
    pub extra: &'a std::collections::BTreeMap<String, serde_yaml::Value>,
    /// Policy: next review date.
    pub next_review: Option<Date>,
    /// Risk: scores.
    pub risk: Option<RiskScore>,
    /// Scorecard: per-criterion lines.
    pub score_lines: Vec<ScoreLine>,
    /// Scorecard: weighted total of 100.
    pub total: Option<f64>,
    /// KPI: current value and progress.
    pub kpi: Option<KpiValue>,
    /// Stage: status of each exit gate (None for a gate in words or an unloadable KPI).
    pub gates: Vec<Option<GateStatus>>,
    /// Headings for the table of contents (levels 2 and 3).
    pub toc: Vec<&'a Heading>,
    /// Pages that reference this one.
    pub backlinks: Vec<Link>,
    /// Policy: its released versions, if any.
    pub versions: Option<VersionsView>,
    /// Module: policies that changed materially since the module's last review.
    pub refresh_due: Vec<RefreshDue>,
    /// Module: the policies it teaches, named by it or naming it in their `training`.
    pub taught: Vec<Link>,
    /// Policy: its document control block, shown in print.
    pub control: Option<super::print::Control<'a>>,
    /// Policy: what its readers acknowledge, when they must.
    pub acknowledgement: Option<model::Acknowledgement>,
    /// Policy: its audience as role links.
    pub audience: Vec<Link>,
}

/// A released policy's version links.
#[derive(Serialize)]
pub struct VersionsView {
    /// The newest released version.
    pub newest: String,
    /// Its history page.
    pub history_url: String,
    /// The redline from the newest release to the working text, when they differ.
    pub pending_url: Option<String>,
}

/// A policy change a module has not caught up with.
#[derive(Serialize)]
pub struct RefreshDue {
    /// The policy.
    pub policy: Link,
    /// The material release.
    pub version: String,
}

impl<'a> ItemView<'a> {
    /// The view of `entry` in a list of many (a kind's index): without what only its own page
    /// shows, its table of contents and backlinks, so that an index of thousands stays small.
    pub fn listed(handbook: &'a Handbook, entry: &'a Entry) -> ItemView<'a> {
        ItemView::with(handbook, entry, false)
    }

    /// The view of `entry`.
    pub fn new(handbook: &'a Handbook, entry: &'a Entry) -> ItemView<'a> {
        ItemView::with(handbook, entry, true)
    }

    fn with(handbook: &'a Handbook, entry: &'a Entry, own_page: bool) -> ItemView<'a> {
        let item = &entry.item;
        let (headings, backlinks) = if own_page {
            (&entry.headings[..], &entry.backlinks[..])
        } else {
            (&[][..], &[][..])
        };
        let mut view = ItemView {
            id: &item.id,
            kind: item.kind.name(),
            kind_label: item.kind.plural_label(),
            title: &item.common.title,
            title_anchor: item.title_anchor.as_deref(),
            summary: item.common.summary.as_deref(),
            owner: item.common.owner.as_deref(),
            tags: &item.common.tags,
            url: &entry.url,
            source: item.path.to_string_lossy().replace('\\', "/"),
            fields: &item.data,
            extra: &item.common.extra,
            next_review: None,
            risk: None,
            score_lines: Vec::new(),
            total: None,
            kpi: None,
            gates: Vec::new(),
            toc: headings
                .iter()
                .filter(|h| (2..=3).contains(&h.level))
                .collect(),
            backlinks: backlinks
                .iter()
                .map(|&i| Link::to(&handbook.entries[i]))
                .collect(),
            versions: None,
            refresh_due: Vec::new(),
            taught: Vec::new(),
            control: super::print::control(handbook, entry),
            acknowledgement: None,
            audience: Vec::new(),
        };
        match &item.data {
            Data::Policy(p) => {
                view.next_review = model::next_review(p);
                view.versions = item.releases.last().map(|newest| VersionsView {
                    newest: newest.release.version.0.clone(),
                    history_url: urls::history(&entry.item.id),
                    pending_url: pending_url(entry),
                });
                view.acknowledgement = model::acknowledgement(handbook, entry);
                view.audience = p
                    .audience
                    .iter()
                    .filter_map(|id| {
                        let role = handbook.role(id)?;
                        Some(Link {
                            title: role.title.clone(),
                            url: urls::role(id),
                            kind: "role".into(),
                        })
                    })
                    .collect();
            }
            Data::Module(m) => {
                let covered = handbook.taught_policies(handbook.index_of(entry));
                view.taught = covered
                    .iter()
                    .map(|&p| Link::to(&handbook.entries[p]))
                    .collect();
                view.refresh_due =
                    model::refresh_due(m, covered.iter().map(|&p| &handbook.entries[p].item))
                        .into_iter()
                        .filter_map(|(p, v)| {
                            Some(RefreshDue {
                                policy: Link::to(handbook.get(&p.id)?),
                                version: v.0.clone(),
                            })
                        })
                        .collect();
            }
            Data::Risk(r) => view.risk = Some(model::risk_score(r)),
            Data::Scorecard(s) => {
                view.score_lines = model::score_lines(s, &handbook.criteria);
                view.total = Some(model::scorecard_total(s, &handbook.criteria));
            }
            Data::Kpi(k) => view.kpi = Some(model::kpi_value(k)),
            Data::Stage(s) => {
                view.gates = s
                    .exit_gates
                    .iter()
                    .map(|g| {
                        let kpi = handbook.get(g.kpi.as_deref()?)?;
                        match &kpi.item.data {
                            Data::Kpi(k) => model::gate_status(g, k, s.decided),
                            _ => None,
                        }
                    })
                    .collect();
            }
            Data::Page | Data::Exception(_) => {}
        }
        view
    }
}

/// A section with more items than this lists a window of them around the current page, so a
/// page's size does not grow with the handbook; the section's index lists them all.
pub const NAV_WINDOW: usize = 50;

/// Sidebar sections for a page at `page_url` in section `current`; `shared` is `handbook`'s.
pub fn nav(
    handbook: &Handbook,
    shared: &Shared,
    current: Option<Kind>,
    page_url: &str,
) -> Vec<NavSection> {
    let mut sections = Vec::new();
    for kind in Kind::ALL {
        // Positions rather than a list of entries: this runs for every page. The home page
        // (id `index`, at most one) is left out of its section.
        let mut range = handbook.kind_range(kind);
        // With SUMMARY.md, its chapters come first among the pages and only they are listed.
        let entries = &handbook.entries[range.clone()];
        range.end = range.start + entries.partition_point(|e| handbook.in_navigation(e));
        let home = handbook
            .home()
            .map(|e| handbook.index_of(e))
            .filter(|h| range.contains(h));
        let listed = || range.clone().filter(move |&i| Some(i) != home);
        let count = range.len() - usize::from(home.is_some());
        if count == 0 {
            continue;
        }
        let active = current == Some(kind);
        let (mut skipped_before, mut skipped_after) = (0, 0);
        let items = if active {
            // The current page's place; a section index has none.
            let at = handbook
                .at_url(page_url)
                .map(|e| handbook.index_of(e))
                .filter(|i| range.contains(i))
                .map_or(0, |i| {
                    i - range.start - usize::from(home.is_some_and(|h| h < i))
                });
            let start = at
                .saturating_sub(NAV_WINDOW / 2)
                .min(count.saturating_sub(NAV_WINDOW));
            let end = (start + NAV_WINDOW).min(count);
            (skipped_before, skipped_after) = (start, count - end);
            listed()
                .skip(start)
                .take(end - start)
                .map(|i| {
                    let e = &handbook.entries[i];
                    if e.url == page_url {
                        tera::Value::from_serializable(&NavItem::to(e, true))
                    } else {
                        shared.nav[i].clone()
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        sections.push(NavSection {
            title: kind.plural_label(),
            url: urls::section(kind),
            active,
            count,
            items,
            skipped_before,
            skipped_after,
        });
    }
    sections
}

/// The prefix from `page_url` to the site root.
pub fn root_of(page_url: &str) -> String {
    "../".repeat(page_url.matches('/').count())
}

/// Where the notice of pending changes points: the redline from the newest release, or the
/// history when only the version or front matter moved on and that redline would be empty.
pub fn pending_url(entry: &Entry) -> Option<String> {
    let item = &entry.item;
    let since = pending_since(item)?;
    Some(if item.same_as_releases.last() == Some(&true) {
        urls::history(&entry.item.id)
    } else {
        urls::redline(&item.id, &since.0, CURRENT)
    })
}
