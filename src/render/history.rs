//! Pages of released policy versions: history, archived texts, redlines, the edition page and
//! the Atom feed of policy changes.

use serde::Serialize;

use super::context::{ItemView, Link, root_of};
use super::{Compiled, OutputFile, Vars, layout, render_document, render_template, value};
use crate::Error;
use crate::content::{Archived, Item, Kind, Version};
use crate::date::Date;
use crate::diff;
use crate::diff::Approver;
use crate::markdown::{self, Renderer, Target};
use crate::model::{CURRENT, approvers, compare};
use crate::model::{Entry, Handbook, in_force, pending_since};
use crate::urls;

/// One release as templates see it.
#[derive(Serialize)]
struct ReleaseView<'a> {
    version: &'a str,
    released: String,
    effective: String,
    summary: &'a str,
    approvers: Vec<Approver>,
    approved_on: Option<String>,
    reference: Option<&'a str>,
    /// Whether the reference is a web address, to link it.
    reference_is_url: bool,
    material: bool,
    edition: Option<&'a str>,
    sha256: &'a str,
    url: String,
    /// The day the next release took effect, ending this one's period in force.
    in_force_until: Option<String>,
    /// The next release.
    superseded_by: Option<&'a str>,
    /// Redline from the previous release, if any.
    changes_url: Option<String>,
    /// Redline to the current text; `None` when the current text says the same, so that no
    /// empty redline is made.
    to_current_url: Option<String>,
}

/// How a released policy's working text stands against its releases, which all of its version
/// pages show.
#[derive(Clone, Copy)]
pub struct Standing<'a> {
    /// The release its working text moved on from, if any (see [`pending_since`]).
    pub pending: Option<&'a Version>,
    /// Per release, oldest first: whether the working text says the same.
    pub current: &'a [bool],
}

/// The [`Standing`] of a policy.
pub fn standing(item: &Item) -> Standing<'_> {
    Standing {
        pending: pending_since(item),
        current: &item.same_as_releases,
    }
}

fn release_views<'a>(
    handbook: &Handbook,
    item: &'a Item,
    standing: &Standing,
) -> Vec<ReleaseView<'a>> {
    item.releases
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let r = &a.release;
            ReleaseView {
                version: &r.version.0,
                released: r.released.to_string(),
                effective: r.effective.to_string(),
                summary: &r.summary,
                approvers: approvers(handbook, &r.approvers, &r.approved_by),
                approved_on: r.approved_on.map(|d| d.to_string()),
                reference: r.reference.as_deref(),
                reference_is_url: r
                    .reference
                    .as_deref()
                    .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://")),
                material: r.material,
                edition: r.edition.as_deref(),
                sha256: &r.sha256,
                url: urls::version(&item.id, &r.version.0),
                in_force_until: item
                    .releases
                    .get(i + 1)
                    .map(|n| n.release.effective.to_string()),
                superseded_by: item
                    .releases
                    .get(i + 1)
                    .map(|n| n.release.version.0.as_str()),
                changes_url: i.checked_sub(1).map(|p| {
                    urls::redline(&item.id, &item.releases[p].release.version.0, &r.version.0)
                }),
                to_current_url: (!standing.current[i])
                    .then(|| urls::redline(&item.id, &r.version.0, CURRENT)),
            }
        })
        .collect()
}

/// One page of a released policy's versions.
pub enum PolicyPage<'a> {
    /// Its history: every release, with links to the texts and redlines.
    History,
    /// The exact text of a release.
    Version(&'a Archived),
    /// The redline from a release to a later one or to the current text ([`CURRENT`]).
    Redline(&'a str, &'a str),
}

impl PolicyPage<'_> {
    /// Whether the page shows the working text itself; the others show archived texts (and
    /// whether the working text still says the same).
    pub fn shows_working_text(&self) -> bool {
        match self {
            PolicyPage::History => true,
            PolicyPage::Version(_) => false,
            PolicyPage::Redline(_, to) => *to == CURRENT,
        }
    }
}

/// Every pair of a policy's versions that has a redline, older first: each release with every
/// later release, and with the current text unless the two say the same
/// ([`Standing::current`]). Built as pages rather than computed in the browser, so that every
/// comparison works without JavaScript, has a stable address to cite, and comes from the one
/// diff that `policybook diff` also prints.
pub fn redline_pairs<'a>(item: &'a Item, standing: &Standing) -> Vec<(&'a str, &'a str)> {
    let labels: Vec<&str> = item
        .releases
        .iter()
        .map(|a| a.release.version.0.as_str())
        .collect();
    let mut pairs = Vec::new();
    for (i, &from) in labels.iter().enumerate() {
        pairs.extend(labels[i + 1..].iter().map(|&to| (from, to)));
        if !standing.current[i] {
            pairs.push((from, CURRENT));
        }
    }
    pairs
}

/// The version pages of a policy: none until it is released; then its history, each archived
/// text and the redlines of its [`redline_pairs`].
pub fn policy_pages<'a>(item: &'a Item, standing: &Standing) -> Vec<PolicyPage<'a>> {
    if item.kind != Kind::Policy || item.releases.is_empty() {
        return Vec::new();
    }
    std::iter::once(PolicyPage::History)
        .chain(item.releases.iter().map(PolicyPage::Version))
        .chain(
            redline_pairs(item, standing)
                .into_iter()
                .map(|(from, to)| PolicyPage::Redline(from, to)),
        )
        .collect()
}

/// One comparison offered by the history's compare control.
#[derive(Serialize)]
struct PairView<'a> {
    from: &'a str,
    to: &'a str,
    url: String,
}

/// Renders one of the [`policy_pages`] of `entry`, whose working text stands as `standing` says.
pub fn policy_page(
    tera: &Compiled,
    md: &Renderer,
    handbook: &Handbook,
    entry: &Entry,
    page: &PolicyPage,
    standing: &Standing,
) -> Result<OutputFile, Error> {
    let item = &entry.item;
    let crumbs = |url: &str, title: &str| {
        let mut l = layout(tera, handbook, url, title, Some(Kind::Policy), None);
        l.breadcrumbs.push(Link {
            title: item.common.title.clone(),
            url: entry.url.clone(),
            kind: "policy".into(),
        });
        l
    };
    let vars = |extra: Vars| -> Vars {
        let mut v: Vars = vec![
            ("policy", value(&Link::to(entry))),
            ("releases", value(&release_views(handbook, item, standing))),
            ("history_url", value(&urls::history(&entry.item.id))),
            (
                "pending_url",
                value(&standing.pending.map(|p| {
                    if standing.current.last() == Some(&true) {
                        urls::history(&entry.item.id)
                    } else {
                        urls::redline(&item.id, &p.0, CURRENT)
                    }
                })),
            ),
        ];
        v.extend(extra);
        v
    };
    let (url, html) = match *page {
        PolicyPage::History => {
            let url = urls::history(&entry.item.id);
            let title = format!("{}: history", item.common.title);
            let pairs: Vec<PairView> = redline_pairs(item, standing)
                .into_iter()
                .map(|(from, to)| PairView {
                    from,
                    to,
                    url: urls::redline(&item.id, from, to),
                })
                .collect();
            let html = render_template(
                tera,
                "history.html",
                &crumbs(&url, &title),
                vars(vec![("pairs", value(&pairs))]),
            )?;
            (url, html)
        }
        PolicyPage::Version(archived) => {
            let version = &archived.release.version.0;
            let url = urls::version(&item.id, version);
            let root = root_of(&url);
            let number = handbook.config.output.html.number_clauses;
            let from = handbook.index_of(entry);
            let text = archived.body.text()?;
            let headings = markdown::scan(&text, number).headings;
            let day = archived.release.effective;
            let content = md.render_titled(&markdown::parse(&text), &headings, &|dest| {
                let url = handbook.resolve_archived_link(from, dest)?;
                if url.starts_with('#') {
                    return Some(Target {
                        href: url,
                        title: None,
                    });
                }
                let (href, title) = as_in_force(handbook, &url, day);
                Some(Target {
                    href: format!("{root}{href}"),
                    title,
                })
            });
            let layout = crumbs(&url, &format!("{} {version}", item.common.title));
            let html = render_template(
                tera,
                "version.html",
                &layout,
                vars(vec![
                    ("release", value(&archived.release)),
                    ("content", value(&content)),
                ]),
            )?;
            (url, html)
        }
        PolicyPage::Redline(from, to) => {
            let (header, redline) = compare(handbook, &item.id, Some(from), Some(to))?;
            let url = urls::redline(&item.id, from, to);
            let title = format!("{}: {from} → {}", item.common.title, header.to);
            let diff_html = diff::to_html(&header, &redline);
            let html = render_template(
                tera,
                "redline.html",
                &crumbs(&url, &title),
                vars(vec![("redline", value(&diff_html))]),
            )?;
            (url, html)
        }
    };
    Ok(OutputFile {
        path: url,
        bytes: html.into_bytes(),
    })
}

/// Where a link from a version in force from `day` leads: a link to a policy goes to the
/// version of it in force that day, or to its current text when none was, with a title saying
/// which; any other link as it is.
fn as_in_force(handbook: &Handbook, url: &str, day: Date) -> (String, Option<String>) {
    let (page, anchor) = url
        .split_once('#')
        .map_or((url, None), |(p, a)| (p, Some(a)));
    let Some(cited) = handbook
        .at_url(page)
        .filter(|e| e.item.kind == Kind::Policy && !e.item.releases.is_empty())
    else {
        return (url.to_string(), None);
    };
    let title = &cited.item.common.title;
    match in_force(&cited.item, day) {
        Some(version) => {
            let v = &version.release.version.0;
            let href = urls::version(&cited.item.id, v);
            // A section the cited version did not have yet: its top rather than a dead anchor.
            let anchor = anchor.filter(|a| {
                version.body.text().is_ok_and(|text| {
                    markdown::scan(&text, false)
                        .headings
                        .iter()
                        .any(|h| h.id == *a)
                })
            });
            (
                anchor.map_or_else(|| href.clone(), |a| format!("{href}#{a}")),
                Some(format!("{title} version {v}, in force on {day}")),
            )
        }
        None => (
            url.to_string(),
            Some(format!(
                "{title}: current text; no version of it was in force on {day}"
            )),
        ),
    }
}

/// A policy change listed on the edition page and in the feed.
#[derive(Serialize)]
struct ChangeView {
    policy: Link,
    version: String,
    released: String,
    effective: String,
    summary: String,
    material: bool,
    edition: Option<String>,
    redline_url: String,
}

/// Every release of every policy, newest first.
fn changes(handbook: &Handbook) -> Vec<ChangeView> {
    let mut changes: Vec<ChangeView> = handbook
        .of_kind(Kind::Policy)
        .flat_map(|e| {
            let item = &e.item;
            item.releases.iter().enumerate().map(move |(i, a)| {
                let r = &a.release;
                let redline_url = match i.checked_sub(1) {
                    Some(p) => {
                        urls::redline(&item.id, &item.releases[p].release.version.0, &r.version.0)
                    }
                    None => urls::version(&item.id, &r.version.0),
                };
                ChangeView {
                    policy: Link::to(e),
                    version: r.version.0.clone(),
                    released: r.released.to_string(),
                    effective: r.effective.to_string(),
                    summary: r.summary.clone(),
                    material: r.material,
                    edition: r.edition.clone(),
                    redline_url,
                }
            })
        })
        .collect();
    changes.sort_by(|a, b| {
        b.released
            .cmp(&a.released)
            .then(a.policy.title.cmp(&b.policy.title))
    });
    changes
}

/// A training module due for a refresh because a policy it covers changed materially.
#[derive(Serialize)]
struct RefreshView {
    module: Link,
    policy: Link,
    version: String,
}

pub fn edition(tera: &Compiled, handbook: &Handbook) -> Result<OutputFile, Error> {
    let edition = handbook.config.book.version.as_deref();
    let title = edition.map_or_else(
        || "Policy changes".to_string(),
        |e| format!("What changed in edition {e}"),
    );
    let pending: Vec<Link> = handbook
        .of_kind(Kind::Policy)
        .filter_map(|e| {
            pending_since(&e.item).map(|since| Link {
                url: urls::redline(&e.item.id, &since.0, CURRENT),
                ..Link::to(e)
            })
        })
        .collect();
    let refresh: Vec<RefreshView> = handbook
        .of_kind(Kind::Module)
        .flat_map(|m| {
            ItemView::new(handbook, m)
                .refresh_due
                .into_iter()
                .map(move |due| RefreshView {
                    module: Link::to(m),
                    policy: due.policy,
                    version: due.version,
                })
        })
        .collect();
    let (current, earlier): (Vec<ChangeView>, Vec<ChangeView>) = changes(handbook)
        .into_iter()
        .partition(|c| edition.is_some() && c.edition.as_deref() == edition);
    let vars: Vars = vec![
        ("edition", value(&edition)),
        ("changes", value(&current)),
        ("earlier", value(&earlier)),
        ("pending", value(&pending)),
        ("refresh", value(&refresh)),
    ];
    let html = render_template(
        tera,
        "edition.html",
        &layout(tera, handbook, urls::EDITION, &title, None, None),
        vars,
    )?;
    Ok(OutputFile {
        path: urls::EDITION.into(),
        bytes: html.into_bytes(),
    })
}

/// An Atom feed of every policy release, newest first, from the theme's `feed.xml` template,
/// with ids and links under `site_url` (the public address, ending in `/`): Atom ids must be
/// absolute. Dates are release dates, so the feed only changes when the handbook does.
pub fn feed(tera: &Compiled, handbook: &Handbook, site_url: &str) -> Result<OutputFile, Error> {
    let changes = changes(handbook);
    let updated = changes
        .first()
        .map_or_else(|| "1970-01-01".to_string(), |c| c.released.clone());
    let xml = render_document(
        tera,
        "feed.xml",
        vec![
            ("book", value(&handbook.config.book)),
            ("site_url", value(site_url)),
            ("updated", value(&updated)),
            ("changes", value(&changes)),
        ],
    )?;
    Ok(OutputFile {
        path: urls::FEED.into(),
        bytes: xml.into_bytes(),
    })
}
