//! What applies to whom: a page per role ("what applies to me") and `acknowledgements.json`,
//! which HR and learning systems import.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::Link;
use super::{Compiled, OutputFile, layout, render_document, render_template, value};
use crate::Error;
use crate::content::{Data, Kind, Role};
use crate::date::Date;
use crate::model::{self, Entry, Handbook};
use crate::urls;

/// The schema id of `acknowledgements.json`; fields are only added under it, never renamed.
pub const ACKNOWLEDGEMENTS_SCHEMA: &str = "policybook-acknowledgements/1";

/// A policy a role must follow, as its role page lists it.
#[derive(Serialize)]
struct PolicyLine {
    link: Link,
    version: String,
    effective: Date,
    status: &'static str,
    /// The release the working text moved on from, when it has pending changes.
    pending_since: Option<String>,
    /// Whether readers must acknowledge it, and since which release an acknowledgement holds.
    acknowledge: Option<model::Acknowledgement>,
}

/// A module a role must take, in prerequisite order.
#[derive(Serialize)]
pub(super) struct ModuleLine {
    link: Link,
    minutes: u32,
    refresh: Option<String>,
    prerequisites: Vec<Link>,
}

/// The modules whose audience includes `role`, in `order` (the handbook's prerequisite order):
/// on the role's page and in the training catalogue.
pub(super) fn training(handbook: &Handbook, order: &[usize], role: &str) -> Vec<ModuleLine> {
    order
        .iter()
        .map(|&i| &handbook.entries[i])
        .filter_map(|e| match &e.item.data {
            Data::Module(m) if m.audience.iter().any(|a| a == role) => Some(ModuleLine {
                link: Link::to(e),
                minutes: m.duration_minutes,
                refresh: m.refresh_every.map(|p| p.to_string()),
                prerequisites: m
                    .prerequisites
                    .iter()
                    .filter_map(|p| handbook.get(p).map(Link::to))
                    .collect(),
            }),
            _ => None,
        })
        .collect()
}

/// What one rollout stage requires of a role.
#[derive(Serialize)]
struct StageLine {
    link: Link,
    order: u32,
    policies: Vec<Link>,
    training: Vec<Link>,
}

/// `acknowledgements.json`: every policy readers must acknowledge, in navigation order.
pub fn acknowledgements(handbook: &Handbook) -> Result<OutputFile, Error> {
    #[derive(Serialize)]
    struct File<'a> {
        schema: &'a str,
        edition: Option<&'a str>,
        policies: Vec<model::Acknowledgement>,
    }
    let file = File {
        schema: ACKNOWLEDGEMENTS_SCHEMA,
        edition: handbook.config.book.version.as_deref(),
        policies: handbook
            .of_kind(Kind::Policy)
            .filter_map(|e| model::acknowledgement(handbook, e))
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).map_err(|e| Error::Template(e.to_string()))?;
    bytes.push(b'\n');
    Ok(OutputFile {
        path: urls::ACKNOWLEDGEMENTS.into(),
        bytes,
    })
}

/// The page of `role`: the policies it must follow, its training in prerequisite order, what
/// each rollout stage requires of it, the exceptions it holds (as of `today`), and what it owns
/// and approves.
pub fn role_page(
    tera: &Compiled,
    handbook: &Handbook,
    role: &Role,
    today: Date,
) -> Result<OutputFile, Error> {
    let url = urls::role(&role.id);
    let mut layout = layout(tera, handbook, &url, &role.title, None, None);
    layout.breadcrumbs.push(Link {
        title: "Roles and ownership".into(),
        url: urls::ROLES.into(),
        kind: "page".into(),
    });
    let concerns = |id: &String| -> bool {
        handbook.get(id).is_some_and(|e| match &e.item.data {
            Data::Policy(p) => p.audience.contains(&role.id),
            Data::Module(m) => m.audience.contains(&role.id),
            _ => false,
        })
    };
    let links = |ids: &[String]| -> Vec<Link> {
        ids.iter()
            .filter(|id| concerns(id))
            .filter_map(|id| handbook.get(id).map(Link::to))
            .collect()
    };
    let policies: Vec<PolicyLine> = handbook
        .of_kind(Kind::Policy)
        .filter_map(|e| match &e.item.data {
            Data::Policy(p) if p.audience.contains(&role.id) => Some(PolicyLine {
                link: Link::to(e),
                version: p.version.0.clone(),
                effective: p.effective,
                status: match p.status {
                    crate::content::PolicyStatus::Draft => "draft",
                    crate::content::PolicyStatus::InReview => "in review",
                    crate::content::PolicyStatus::Approved => "approved",
                    crate::content::PolicyStatus::Retired => "retired",
                },
                pending_since: model::pending_since(&e.item).map(|v| v.0.clone()),
                acknowledge: model::acknowledgement(handbook, e),
            }),
            _ => None,
        })
        .collect();
    let training = training(handbook, &handbook.prerequisite_order(), &role.id);
    let stages: Vec<StageLine> = handbook
        .of_kind(Kind::Stage)
        .filter_map(|e| match &e.item.data {
            Data::Stage(s) => Some(StageLine {
                link: Link::to(e),
                order: s.order,
                policies: links(&s.required_policies),
                training: links(&s.required_training),
            }),
            _ => None,
        })
        .filter(|s| !s.policies.is_empty() || !s.training.is_empty())
        .collect();
    let owned = || {
        handbook
            .entries
            .iter()
            .filter(|e| e.item.common.owner.as_deref() == Some(&role.id))
    };
    let exceptions: Vec<ExceptionLine> = owned()
        .filter_map(|e| exception_line(handbook, e, today))
        .collect();
    let owns: Vec<Link> = owned()
        .filter(|e| e.item.kind != Kind::Exception)
        .map(|e| Link::to(e))
        .collect();
    let approves: Vec<Link> = handbook
        .of_kind(Kind::Policy)
        .filter(|e| matches!(&e.item.data, Data::Policy(p) if p.approvers.contains(&role.id)))
        .map(Link::to)
        .collect();
    let html = render_template(
        tera,
        "role.html",
        &layout,
        vec![
            ("role", value(role)),
            ("policies", value(&policies)),
            ("training", value(&training)),
            ("stages", value(&stages)),
            ("exceptions", value(&exceptions)),
            ("owns", value(&owns)),
            ("approves", value(&approves)),
        ],
    )?;
    Ok(OutputFile {
        path: url,
        bytes: html.into_bytes(),
    })
}

/// The days before expiry from which an approved exception is listed as expiring.
const EXPIRING_WITHIN_DAYS: i64 = 30;

/// An exception as the register, role pages and policy pages list it.
#[derive(Serialize)]
pub struct ExceptionLine {
    /// The exception's page.
    pub link: Link,
    /// The clause it departs from.
    pub clause: Option<Link>,
    /// The anchor of that clause's heading in the policy, if it cites one.
    pub anchor: Option<String>,
    /// Where it stands today: `requested`, `holds`, `expiring` (within 30 days), `expired`
    /// (still approved past `expires`), `closed` or `rejected`.
    pub state: &'static str,
    /// The role holding it.
    pub owner: Option<String>,
    /// The role that approved it.
    pub approved_by: String,
    /// When it was granted.
    pub granted: Date,
    /// When it lapses.
    pub expires: Date,
    /// requested, approved, rejected or closed.
    pub status: crate::content::ExceptionStatus,
    /// Days from today to expiry (negative once expired).
    pub days_left: i64,
    /// Days since it expired (0 before).
    pub days_expired: i64,
}

/// The policy clause an exception cites, as a link titled with the policy and the clause's
/// number and heading (`Data handling §3.2 Prompt retention`).
pub fn clause_link(handbook: &Handbook, x: &crate::content::Exception) -> Option<Link> {
    let (id, anchor) = x.clause()?;
    let policy = handbook.get(id)?;
    let mut link = Link::to(policy);
    if let Some(anchor) = anchor {
        link.url = format!("{}#{anchor}", policy.url);
        if let Some(h) = policy.headings.iter().find(|h| h.id == anchor) {
            let number = h
                .number
                .as_ref()
                .map_or(String::new(), |n| format!("§{n} "));
            link.title = format!("{} {number}{}", link.title, h.text);
        }
    }
    Some(link)
}

/// The register's line for the exception `entry`, judged as of `today`.
pub fn exception_line(handbook: &Handbook, entry: &Entry, today: Date) -> Option<ExceptionLine> {
    let Data::Exception(x) = &entry.item.data else {
        return None;
    };
    let title = |id: &str| {
        handbook
            .role(id)
            .map_or(id.to_string(), |r| r.title.clone())
    };
    use crate::content::ExceptionStatus as S;
    let days_left = x.expires.days() - today.days();
    Some(ExceptionLine {
        link: Link::to(entry),
        clause: clause_link(handbook, x),
        anchor: x
            .clause()
            .and_then(|(_, anchor)| anchor)
            .filter(|a| !a.is_empty())
            .map(str::to_string),
        state: match x.status {
            S::Requested => "requested",
            S::Rejected => "rejected",
            S::Closed => "closed",
            S::Approved if days_left < 0 => "expired",
            S::Approved if days_left <= EXPIRING_WITHIN_DAYS => "expiring",
            S::Approved => "holds",
        },
        owner: entry.item.common.owner.as_deref().map(title),
        approved_by: title(&x.approved_by),
        granted: x.granted,
        expires: x.expires,
        status: x.status,
        days_left,
        days_expired: (-days_left).max(0),
    })
}

/// One section of the exceptions register.
#[derive(Serialize)]
pub struct RegisterGroup {
    /// Anchor of its heading.
    pub id: &'static str,
    /// Its heading.
    pub title: &'static str,
    /// Its exceptions, soonest expiry first.
    pub exceptions: Vec<ExceptionLine>,
}

/// The exceptions register as of `today`: open, expiring within 30 days, expired (still
/// approved past `expires`), and closed or rejected.
pub fn register(handbook: &Handbook, today: Date) -> Vec<RegisterGroup> {
    let mut groups = [
        ("pb-open", "Open", Vec::new()),
        ("pb-expiring", "Expiring within 30 days", Vec::new()),
        ("pb-expired", "Expired", Vec::new()),
        ("pb-closed", "Closed and rejected", Vec::new()),
    ];
    for line in handbook
        .of_kind(Kind::Exception)
        .filter_map(|e| exception_line(handbook, e, today))
    {
        let group = match line.state {
            "closed" | "rejected" => 3,
            "expired" => 2,
            "expiring" => 1,
            _ => 0,
        };
        groups[group].2.push(line);
    }
    groups
        .into_iter()
        .map(|(id, title, mut exceptions)| {
            exceptions.sort_by_key(|l| l.expires);
            RegisterGroup {
                id,
                title,
                exceptions,
            }
        })
        .collect()
}

/// The exceptions granted against the policy `entry`, judged as of `today`: those still open (requested, holding or expired) first,
/// then the closed and rejected ones, each soonest expiry first.
pub fn exceptions_against(handbook: &Handbook, entry: &Entry, today: Date) -> Vec<ExceptionLine> {
    use crate::content::ExceptionStatus as S;
    let mut lines: Vec<ExceptionLine> = handbook
        .exceptions_against(handbook.index_of(entry))
        .into_iter()
        .filter_map(|e| exception_line(handbook, &handbook.entries[e], today))
        .collect();
    lines.sort_by_key(|l| (matches!(l.status, S::Closed | S::Rejected), l.expires));
    lines
}

/// The notes a policy page shows under the headings that `exceptions` cite: heading id → the
/// rendered `exception-note.html`, listing the exceptions to that section. Exceptions that cite
/// no section are not among them.
pub fn exception_notes(
    tera: &Compiled,
    root: &str,
    exceptions: &[ExceptionLine],
) -> Result<BTreeMap<String, String>, Error> {
    let mut by_anchor: BTreeMap<&str, Vec<&ExceptionLine>> = BTreeMap::new();
    for x in exceptions {
        if let Some(anchor) = &x.anchor {
            by_anchor.entry(anchor).or_default().push(x);
        }
    }
    by_anchor
        .into_iter()
        .map(|(anchor, lines)| {
            let html = render_document(
                tera,
                "exception-note.html",
                vec![("root", value(&root)), ("exceptions", value(&lines))],
            )?;
            Ok((anchor.to_string(), html))
        })
        .collect()
}
