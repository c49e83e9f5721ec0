//! Comparing versions of a policy: released versions and the working text, as `policybook diff`,
//! the history pages and search see them.

use std::borrow::Cow;

use crate::content::{Approval, Data, Policy, Release};
use crate::diff::{Approver, Header, NotEditorial, Redline, not_editorial, redline};
use crate::{Diagnostic, Error};

use super::{Entry, Handbook};

impl Entry {
    /// For each archived release after the first, in order, the changes of its redline from
    /// the release before that are more than wording, if it is recorded as editorial (none if
    /// material). Comparing texts is not free, so it is done once per entry, which `serve`
    /// shares between saves that leave it unchanged. An archived text that cannot be read again
    /// is the error.
    pub fn changes_beyond_wording(&self) -> Result<&[Vec<NotEditorial>], &Diagnostic> {
        self.beyond_wording
            .get_or_init(|| {
                self.item
                    .releases
                    .windows(2)
                    .map(|pair| {
                        Ok(if pair[1].release.material {
                            Vec::new()
                        } else {
                            not_editorial(&redline(&pair[0].body.text()?, &pair[1].body.text()?))
                        })
                    })
                    .collect()
            })
            .as_deref()
    }
}

/// The working text, in `policybook diff`.
pub const CURRENT: &str = "current";

/// Compares two versions of policy `id`: released versions or [`CURRENT`]. `from` defaults to the
/// newest release and `to` to the current text, so a reviewer sees what a release would change.
pub fn compare(
    handbook: &Handbook,
    id: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Header, Redline), Error> {
    let fail = |message: String| Error::Content(vec![Diagnostic::error("", 0, 0, message)]);
    let (entry, policy) = find_policy(handbook, id).map_err(fail)?;
    let item = &entry.item;
    let newest = item.releases.last().map(|a| a.release.version.0.as_str());
    let from = from.or(newest).ok_or_else(|| {
        fail(format!(
            "`{id}` has no released version yet: nothing to compare the current text with"
        ))
    })?;
    let to = to.unwrap_or(CURRENT);
    let text = |label: &str| -> Result<(Cow<str>, Option<&Release>), Error> {
        if label == CURRENT {
            // A working text still at the newest release's version is that release.
            let released = item
                .releases
                .last()
                .map(|a| &a.release)
                .filter(|r| r.version == policy.version);
            return Ok((item.body.text()?, released));
        }
        let archived = item
            .releases
            .iter()
            .find(|a| a.release.version.0 == label)
            .ok_or_else(|| {
                let known: Vec<&str> = item
                    .releases
                    .iter()
                    .map(|a| a.release.version.0.as_str())
                    .chain([CURRENT])
                    .collect();
                fail(format!(
                    "`{id}` has no version {label}; versions: {}",
                    known.join(", ")
                ))
            })?;
        Ok((archived.body.text()?, Some(&archived.release)))
    };
    let ((old, _), (new, release)) = (text(from)?, text(to)?);
    let header = match release {
        Some(r) => Header {
            policy: id.to_string(),
            title: item.common.title.clone(),
            from: from.to_string(),
            to: to.to_string(),
            effective: r.effective.to_string(),
            approvers: approvers(handbook, &r.approvers, &r.approved_by),
            approved_on: r.approved_on.map(|d| d.to_string()),
            reference: r.reference.clone(),
            material: Some(r.material),
            summary: r.summary.clone(),
        },
        None => Header {
            policy: id.to_string(),
            title: item.common.title.clone(),
            from: from.to_string(),
            to: format!("current text (version {})", policy.version),
            effective: policy.effective.to_string(),
            approvers: approvers(handbook, &policy.approvers, &[]),
            approved_on: None,
            reference: None,
            material: None,
            summary: policy.changes.clone().unwrap_or_default(),
        },
    };
    Ok((header, redline(&old, &new)))
}

/// The approver `roles` of a version with their titles and the people who signed for each.
pub fn approvers(handbook: &Handbook, roles: &[String], signed: &[Approval]) -> Vec<Approver> {
    roles
        .iter()
        .map(|role| Approver {
            role: role.clone(),
            title: handbook
                .role(role)
                .map_or_else(|| role.clone(), |r| r.title.clone()),
            names: signed
                .iter()
                .filter(|a| &a.role == role)
                .map(|a| a.name.clone())
                .collect(),
        })
        .collect()
}

/// Policy `id` of the handbook, or why it is not one.
pub fn find_policy<'a>(
    handbook: &'a Handbook,
    id: &str,
) -> Result<(&'a Entry, &'a Policy), String> {
    let entry = handbook
        .get(id)
        .ok_or_else(|| format!("no policy has the id `{id}`"))?;
    match &entry.item.data {
        Data::Policy(p) => Ok((entry, p)),
        _ => Err(format!("`{id}` is a {}, not a policy", entry.item.kind)),
    }
}
