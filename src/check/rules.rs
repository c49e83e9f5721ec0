//! The governance rules that need the whole, cross-linked handbook.

use std::collections::BTreeSet;

use crate::content::{
    ARCHIVE_MANIFEST, Data, ExceptionStatus, Item, Kind, PolicyStatus, RiskStatus, archive_dir,
    foreign,
};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Rule, is_off};

use crate::model::{Entry, Handbook, next_review, risk_score};
use rayon::prelude::*;

/// Every governance finding, with the rules' default severities.
/// Rules turned off are not looked for: `owner-missing`, off by default, would otherwise make
/// a finding for every page of a book of plain pages.
pub(super) fn run(handbook: &Handbook, today: Date) -> Vec<Diagnostic> {
    let off = |rule| is_off(&handbook.config.check.severity, rule);
    let owners = !off(Rule::OwnerMissing);
    let foreign = !off(Rule::ForeignField);
    // Entry by entry side by side; rayon's collect keeps the entries' order.
    let mut out: Vec<Diagnostic> = handbook
        .entries
        .par_iter()
        .flat_map_iter(|entry| {
            let mut out = Vec::new();
            let item = &entry.item;
            if owners {
                owner_missing(item, &mut out);
            }
            if foreign {
                foreign_fields(item, &mut out);
            }
            match &item.data {
                Data::Policy(_) => policy(handbook, entry, today, &mut out),
                Data::Stage(_) => stage(handbook, item, &mut out),
                Data::Scorecard(_) => scorecard(item, &mut out),
                Data::Module(_) => module(handbook, item, today, &mut out),
                Data::Risk(_) => risk(handbook, item, today, &mut out),
                Data::Exception(_) => exception(handbook, item, today, &mut out),
                Data::Page | Data::Kpi(_) => {}
            }
            out
        })
        .collect();
    retired_in_use(handbook, today, &mut out);
    prerequisite_cycles(handbook, &mut out);
    if !off(Rule::FrameworkGap) {
        framework_gaps(handbook, &mut out);
    }
    orphan_pages(handbook, &mut out);
    out
}

/// A finding at the top-level front-matter `key` of `item` (or at `needle` inside its value).
fn at(rule: Rule, item: &Item, key: &str, needle: Option<&str>, message: String) -> Diagnostic {
    let (line, col) = match needle {
        Some(needle) => item.front.locate_in(key, needle),
        None => item.front.locate(key),
    };
    Diagnostic::new(rule, &item.path, line, col, message)
}

fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

fn foreign_fields(item: &Item, out: &mut Vec<Diagnostic>) {
    for field in &item.foreign {
        let tools = foreign::tools(field).unwrap_or("another tool");
        out.push(
            at(
                Rule::ForeignField,
                item,
                field,
                None,
                format!("`{field}` is a {tools} field: policybook ignores it"),
            )
            .with_help(foreign::instead(field)),
        );
    }
}

fn owner_missing(item: &Item, out: &mut Vec<Diagnostic>) {
    if item.common.owner.is_none() {
        out.push(
            at(
                Rule::OwnerMissing,
                item,
                "title",
                None,
                format!("{} `{}` has no owner", item.kind, item.id),
            )
            .with_help("add `owner: <role id>`: every item is owned by a role from roles.yaml"),
        );
    }
}

fn policy(handbook: &Handbook, entry: &Entry, today: Date, out: &mut Vec<Diagnostic>) {
    let item = &entry.item;
    let Data::Policy(p) = &item.data else {
        return;
    };
    if p.status != PolicyStatus::Retired
        && let Some(due) = next_review(p)
        && due < today
    {
        let key = if p.next_review.is_some() {
            "next_review"
        } else {
            "review_every"
        };
        out.push(
            at(
                Rule::PolicyReviewOverdue,
                item,
                key,
                None,
                format!(
                    "review overdue: policy `{}` was due for review on {due}, {} ago",
                    item.id,
                    days(today.days() - due.days())
                ),
            )
            .with_help("review it, then set a new `effective` date or `next_review`"),
        );
    }
    if p.status == PolicyStatus::Approved && item.releases.is_empty() {
        out.push(
            at(
                Rule::PolicyUnreleased,
                item,
                "status",
                None,
                format!(
                    "policy `{}` is approved but has no released version",
                    item.id
                ),
            )
            .with_help(format!(
                "archive the approved text with `policybook release {}`",
                item.id
            )),
        );
    }
    if p.status == PolicyStatus::Approved && p.approvers.is_empty() {
        out.push(
            at(
                Rule::PolicyWithoutApprovers,
                item,
                "status",
                None,
                format!("policy `{}` is approved but lists no approvers", item.id),
            )
            .with_help("add `approvers: [<role id>, ...]`, or set `status: in-review`"),
        );
    }
    editorial_not_editorial(entry, out);
    let required = &handbook.config.check.required_sections;
    for section in required {
        let found = entry
            .headings
            .iter()
            .any(|h| h.text.trim().eq_ignore_ascii_case(section.trim()));
        if !found {
            out.push(
                Diagnostic::new(
                    Rule::PolicyMissingSection,
                    &item.path,
                    item.body_line,
                    1,
                    format!("policy `{}` has no `{section}` section", item.id),
                )
                .with_help(format!(
                    "add a `## {section}` heading; required sections: {}",
                    required.join(", ")
                )),
            );
        }
    }
}

/// Archived releases marked editorial whose redline from the release before changes more than
/// wording: reported at their manifest entry, where `material: true` corrects the record.
fn editorial_not_editorial(entry: &Entry, out: &mut Vec<Diagnostic>) {
    let item = &entry.item;
    let changes = match entry.changes_beyond_wording() {
        Ok(changes) => changes,
        Err(d) => return out.push(d.clone()),
    };
    let changes = item.releases.windows(2).zip(changes);
    for (pair, found) in changes {
        let (before, release) = (&pair[0], &pair[1]);
        if found.is_empty() {
            continue;
        }
        let list: Vec<String> = found.iter().map(ToString::to_string).collect();
        let manifest = archive_dir(&item.path).join(ARCHIVE_MANIFEST);
        out.push(
            Diagnostic::new(
                Rule::EditorialNotEditorial,
                &manifest,
                release.line,
                1,
                format!(
                    "version {} of `{}` is recorded as editorial but changes more than wording since {}: {}",
                    release.release.version,
                    item.id,
                    before.release.version,
                    list.join("; ")
                ),
            )
            .with_help("set `material: true` for this version: its text is unchanged, only its record"),
        );
    }
}

/// Each framework control that no item claims to satisfy, at its line in the framework file.
fn framework_gaps(handbook: &Handbook, out: &mut Vec<Diagnostic>) {
    for file in &handbook.frameworks {
        let fw = &file.framework;
        let claimed: BTreeSet<&str> = handbook
            .entries
            .iter()
            .filter_map(|e| e.item.data.satisfies()?.get(&fw.id))
            .flatten()
            .map(String::as_str)
            .collect();
        for control in fw
            .controls
            .iter()
            .filter(|c| !claimed.contains(c.id.as_str()))
        {
            let (line, col) = file.front.locate_in_file(&control.id);
            out.push(
                Diagnostic::new(
                    Rule::FrameworkGap,
                    &file.path,
                    line,
                    col,
                    format!(
                        "nothing satisfies control `{}` of framework `{}`",
                        control.id, fw.id
                    ),
                )
                .with_help(format!(
                    "add `satisfies: {{ {}: [{}] }}` to the policy, stage, module or risk that meets it",
                    fw.id, control.id
                )),
            );
        }
    }
}

/// An exception past its expiry while still approved (date-driven, so a warning), granted for
/// longer than `[check] max-exception`, or approved by a role that does not approve its policy.
fn exception(handbook: &Handbook, item: &Item, today: Date, out: &mut Vec<Diagnostic>) {
    let Data::Exception(x) = &item.data else {
        return;
    };
    if x.status == ExceptionStatus::Approved && x.expires < today {
        out.push(
            at(
                Rule::ExceptionExpired,
                item,
                "expires",
                None,
                format!(
                    "exception `{}` expired on {}, {} ago",
                    item.id,
                    x.expires,
                    days(today.days() - x.expires.days())
                ),
            )
            .with_help("renew it with a new `expires` date, or set `status: closed`"),
        );
    }
    if x.expires < x.granted {
        out.push(
            at(
                Rule::InvalidContent,
                item,
                "expires",
                None,
                format!(
                    "exception `{}` expires on {}, before it was granted on {}",
                    item.id, x.expires, x.granted
                ),
            )
            .with_help("`expires` is the last day the exception holds: on or after `granted`"),
        );
    }
    let max = handbook.config.check.max_exception;
    if x.expires > x.granted.plus(max) {
        out.push(
            at(
                Rule::ExceptionTooLong,
                item,
                "expires",
                None,
                format!(
                    "exception `{}` runs from {} to {}, longer than {max}",
                    item.id, x.granted, x.expires
                ),
            )
            .with_help(format!(
                "set `expires` on or before {}, or raise `max-exception` under [check]",
                x.granted.plus(max)
            )),
        );
    }
    let approvers = x.clause().and_then(|(id, _)| match handbook.get(id) {
        Some(e) => match &e.item.data {
            Data::Policy(p) => Some(&p.approvers),
            _ => None,
        },
        None => None,
    });
    if let Some(approvers) = approvers
        && !approvers.contains(&x.approved_by)
    {
        out.push(
            at(
                Rule::ExceptionApproverNotPolicyApprover,
                item,
                "approved_by",
                None,
                format!(
                    "`{}` approved exception `{}` but does not approve the policy it departs from",
                    x.approved_by, item.id
                ),
            )
            .with_help(format!(
                "an exception is approved by one of the policy's approvers: {}",
                approvers.join(", ")
            )),
        );
    }
}

/// A retired policy whose effective date has passed, still relied on by a stage, a module or a
/// risk mitigation: reported where it is relied on, since that is what needs changing.
fn retired_in_use(handbook: &Handbook, today: Date, out: &mut Vec<Diagnostic>) {
    let retired = |id: &str| match handbook.get(id).map(|e| &e.item.data) {
        Some(Data::Policy(p)) if p.status == PolicyStatus::Retired && p.effective <= today => {
            Some(p.effective)
        }
        _ => None,
    };
    for entry in &handbook.entries {
        let item = &entry.item;
        let uses: Vec<(&str, &str, &str)> = match &item.data {
            Data::Stage(s) => s
                .required_policies
                .iter()
                .map(|id| ("required_policies", id.as_str(), "requires"))
                .collect(),
            Data::Module(m) => m
                .policies
                .iter()
                .map(|id| ("policies", id.as_str(), "teaches"))
                .collect(),
            Data::Risk(r) => r
                .mitigations
                .iter()
                .filter_map(|m| m.policy.as_deref())
                .map(|id| ("mitigations", id, "is mitigated by"))
                .collect(),
            _ => Vec::new(),
        };
        for (key, id, verb) in uses {
            if let Some(effective) = retired(id) {
                out.push(
                    at(
                        Rule::PolicyRetiredInUse,
                        item,
                        key,
                        Some(id),
                        format!(
                            "{} `{}` {verb} policy `{id}`, retired (effective {effective})",
                            item.kind, item.id
                        ),
                    )
                    .with_help("name the policy that replaces it, or remove the reference"),
                );
            }
        }
    }
}

fn stage(handbook: &Handbook, item: &Item, out: &mut Vec<Diagnostic>) {
    let Data::Stage(s) = &item.data else {
        return;
    };
    for kpi_id in s.exit_gates.iter().filter_map(|g| g.kpi.as_deref()) {
        // Unknown KPIs are reported while linking (gate-unknown-kpi).
        if let Some(Data::Kpi(kpi)) = handbook.get(kpi_id).map(|e| &e.item.data)
            && kpi.series.points().is_empty()
        {
            out.push(
                at(
                    Rule::GateKpiWithoutData,
                    item,
                    "exit_gates",
                    Some(kpi_id),
                    format!("exit gate on KPI `{kpi_id}`, which has no measurements yet"),
                )
                .with_help(format!(
                    "add points to the `series` of `{kpi_id}`: the gate is judged on its baseline only"
                )),
            );
        }
    }
}

fn scorecard(item: &Item, out: &mut Vec<Diagnostic>) {
    let Data::Scorecard(s) = &item.data else {
        return;
    };
    for (criterion, score) in &s.scores {
        if score
            .evidence
            .as_deref()
            .is_none_or(|e| e.trim().is_empty())
        {
            out.push(
                at(
                    Rule::ScorecardMissingEvidence,
                    item,
                    "scores",
                    Some(criterion),
                    format!("score for `{criterion}` has no evidence"),
                )
                .with_help(format!(
                    "write what the score rests on: `{criterion}: {{ score: {}, evidence: ... }}`",
                    score.score.0
                )),
            );
        }
    }
}

fn module(handbook: &Handbook, item: &Item, today: Date, out: &mut Vec<Diagnostic>) {
    let Data::Module(m) = &item.data else {
        return;
    };
    // Without `last_reviewed` there is no date to measure a refresh or a policy change against.
    let Some(reviewed) = m.last_reviewed else {
        return;
    };
    if let Some(cycle) = m.refresh_every {
        let due = reviewed.plus(cycle);
        if due < today {
            out.push(
                at(
                    Rule::ModuleRefreshOverdue,
                    item,
                    "last_reviewed",
                    None,
                    format!(
                        "refresh overdue: module `{}` was last reviewed on {reviewed} and was due on {due} (every {cycle}), {} ago",
                        item.id,
                        days(today.days() - due.days())
                    ),
                )
                .with_help("review the module, then update `last_reviewed`"),
            );
        }
    }
    let Some(me) = handbook.get(&item.id) else {
        return;
    };
    for policy in handbook.taught_policies(handbook.index_of(me)) {
        let policy = &handbook.entries[policy].item;
        let Data::Policy(p) = &policy.data else {
            continue;
        };
        if p.effective <= reviewed {
            continue;
        }
        let id = &policy.id;
        // A policy naming the module in its `training` is not on the module's lines.
        let (key, needle) = if m.policies.contains(id) {
            ("policies", Some(id.as_str()))
        } else {
            ("last_reviewed", None)
        };
        out.push(
            at(
                Rule::ModuleBehindPolicy,
                item,
                key,
                needle,
                format!(
                    "policy `{id}` version {} took effect on {}, after this module was last reviewed on {reviewed}",
                    p.version.0, p.effective
                ),
            )
            .with_help("review the module against the policy, then update `last_reviewed`"),
        );
    }
}

fn risk(handbook: &Handbook, item: &Item, today: Date, out: &mut Vec<Diagnostic>) {
    let Data::Risk(r) = &item.data else {
        return;
    };
    if r.status == Some(RiskStatus::Closed) {
        return;
    }
    if let Some(review) = r.review
        && review < today
    {
        out.push(
            at(
                Rule::RiskReviewOverdue,
                item,
                "review",
                None,
                format!(
                    "review overdue: risk `{}` was due for review on {review}, {} ago",
                    item.id,
                    days(today.days() - review.days())
                ),
            )
            .with_help("review the risk, then set the next `review` date"),
        );
    }
    let appetite = handbook.config.check.risk_appetite;
    let score = risk_score(r);
    if score.residual > appetite {
        let mitigated = handbook
            .get(&item.id)
            .is_some_and(|me| handbook.is_mitigated(handbook.index_of(me)));
        if !mitigated {
            let key = if r.residual_likelihood.is_some() {
                "residual_likelihood"
            } else {
                "likelihood"
            };
            out.push(
                at(
                    Rule::RiskAboveAppetite,
                    item,
                    key,
                    None,
                    format!(
                        "risk `{}` has residual score {} (above the risk appetite of {appetite}) and no approved policy mitigates it",
                        item.id, score.residual
                    ),
                )
                .with_help("name an approved policy in a mitigation (`policy: <id>`), or lower the residual rating once treated"),
            );
        }
    }
}

/// Reports each cycle of module prerequisites once, at the module whose id is the smallest in
/// the cycle, on the line of the prerequisite that starts it.
fn prerequisite_cycles(handbook: &Handbook, out: &mut Vec<Diagnostic>) {
    let prerequisites = |id: &str| -> Vec<&str> {
        match handbook.get(id).map(|e| &e.item.data) {
            Some(Data::Module(m)) => m.prerequisites.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    };
    for entry in handbook.of_kind(Kind::Module) {
        let start = entry.item.id.as_str();
        // Breadth-first search for the shortest way back to `start` through larger ids only.
        let mut parent: Vec<(&str, &str)> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut closing = None;
        'search: while let Some(at_id) = queue.pop_front() {
            for next in prerequisites(at_id) {
                if next == start {
                    closing = Some(at_id);
                    break 'search;
                }
                if next > start && handbook.get(next).is_some() && seen.insert(next) {
                    parent.push((next, at_id));
                    queue.push_back(next);
                }
            }
        }
        let Some(mut node) = closing else {
            continue;
        };
        let mut path = vec![start];
        while node != start {
            path.push(node);
            node = parent
                .iter()
                .find(|(child, _)| *child == node)
                .map_or(start, |(_, p)| p);
        }
        // `path` is start, then the cycle backwards: reverse all but the start.
        path[1..].reverse();
        let first = path.get(1).copied().unwrap_or(start);
        path.push(start);
        out.push(
            at(
                Rule::PrerequisiteCycle,
                &entry.item,
                "prerequisites",
                Some(first),
                format!("prerequisite cycle: {}", path.join(" → ")),
            )
            .with_help("remove one of these prerequisites: no module can be taken first"),
        );
    }
}

/// Pages no chain of links reaches from the home page or from an item of another kind (those
/// are listed by their section's index, which navigation links to).
/// Pages that a reader cannot reach: neither navigation lists them (SUMMARY.md, when there is
/// one, lists only its chapters) nor a chain of links leads to them from a page it lists.
fn orphan_pages(handbook: &Handbook, out: &mut Vec<Diagnostic>) {
    let home = handbook.home().map(|e| e.url.as_str());
    let mut reached = vec![false; handbook.entries.len()];
    let mut stack: Vec<usize> = handbook
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| handbook.in_navigation(e) || Some(e.url.as_str()) == home)
        .map(|(i, _)| i)
        .collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut reached[i], true) {
            continue;
        }
        stack.extend(handbook.entries[i].references.iter().copied());
    }
    for (entry, reached) in handbook.entries.iter().zip(reached) {
        if !reached {
            out.push(
                at(
                    Rule::OrphanPage,
                    &entry.item,
                    "title",
                    None,
                    format!(
                        "page `{}` is neither in SUMMARY.md nor linked from a page that is",
                        entry.item.id
                    ),
                )
                .with_help("list it in SUMMARY.md, or link to it from a page readers reach"),
            );
        }
    }
}
