//! Policy versions: `policybook release` archives a policy's current text as an immutable
//! released version (comparing versions is the model's job: [`crate::model::compare`]).
//!
//! The archive is `content/policies/<id>.versions/`: one file per version (the exact bytes of the
//! working file at release time) and `versions.yaml`, the manifest with each version's sha256.

use std::path::{Path, PathBuf};

use crate::content::{Approval, Policy, PolicyStatus, Release, archive, text_sha256};
use crate::date::Date;
use crate::diff::{not_editorial, redline};
use crate::model::find_policy;
use crate::{Diagnostic, Error};

/// What to release.
#[derive(Debug, Clone)]
pub struct ReleaseOptions {
    /// The change summary; defaults to the policy's `changes` field.
    pub summary: Option<String>,
    /// An editorial release (wording only) rather than a material one.
    pub editorial: bool,
    /// The release date.
    pub date: Date,
    /// Who signed it off, each for one of the policy's approver roles.
    pub approved_by: Vec<Approval>,
    /// When it was approved (not after the release date).
    pub approved_on: Option<Date>,
    /// Where the approval is recorded (a pull request, minutes).
    pub reference: Option<String>,
}

/// Archives the current text of policy `id` and returns the archived file's path.
///
/// Refuses when the handbook has errors, the version is not greater than the newest release, the
/// summary is empty, or an approved policy has no approvers; never overwrites an archived file.
pub fn release(root: &Path, id: &str, options: &ReleaseOptions) -> Result<PathBuf, Error> {
    let refuse = |message: String, help: &str| {
        Error::Content(vec![
            Diagnostic::error("", 0, 0, format!("cannot release `{id}`: {message}"))
                .with_help(help),
        ])
    };
    let handbook = crate::load(root).map_err(|e| match e {
        Error::Content(mut ds) => {
            ds.insert(
                0,
                Diagnostic::error(
                    "",
                    0,
                    0,
                    format!("cannot release `{id}`: the handbook has errors; fix them first"),
                ),
            );
            Error::Content(ds)
        }
        other => other,
    })?;
    let (entry, policy) =
        find_policy(&handbook, id).map_err(|m| refuse(m, "give the id of a policy"))?;
    let item = &entry.item;
    // The governance rules gate a release too; the missing release itself is what this fixes.
    let blocking: Vec<Diagnostic> = crate::check::run(&handbook, options.date)
        .into_iter()
        .filter(|d| {
            d.file == item.path
                && d.severity == crate::Severity::Error
                && d.rule != Some(crate::diagnostic::Rule::PolicyUnreleased)
        })
        .collect();
    if !blocking.is_empty() {
        let mut all = vec![Diagnostic::error(
            "",
            0,
            0,
            format!("cannot release `{id}`: `policybook check` finds errors in it"),
        )];
        all.extend(blocking);
        return Err(Error::Content(all));
    }
    if let Some(newest) = item.releases.last()
        && policy.version <= newest.release.version
    {
        return Err(refuse(
            format!(
                "version {} is not greater than the newest release {}",
                policy.version, newest.release.version
            ),
            "raise `version` in the front matter first",
        ));
    }
    let summary = options
        .summary
        .clone()
        .or_else(|| policy.changes.clone())
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    if summary.is_empty() {
        return Err(refuse(
            "the change summary is empty".into(),
            "describe the change in `changes:` or pass --summary",
        ));
    }
    if policy.status == PolicyStatus::Approved && policy.approvers.is_empty() {
        return Err(refuse(
            "it is approved but names no approvers".into(),
            "list the approving roles in `approvers:`",
        ));
    }
    approval_record(policy, options).map_err(|(m, help)| refuse(m, &help))?;
    if options.editorial
        && let Some(newest) = item.releases.last()
    {
        let found = not_editorial(&redline(&newest.body.text()?, &item.body.text()?));
        if !found.is_empty() {
            let list: Vec<String> = found.iter().map(ToString::to_string).collect();
            return Err(refuse(
                format!(
                    "--editorial, but the change from {} is more than wording: {}",
                    newest.release.version,
                    list.join("; ")
                ),
                "numbers, dates, durations, obligation words and whole clauses change what a policy says: release it as material (without --editorial)",
            ));
        }
    }
    let exists = |target: &Path| {
        refuse(
            format!(
                "{} already exists and archived versions are never overwritten",
                target.display()
            ),
            "raise `version`",
        )
    };
    let target = root.join(archive::version_path(&item.path, &policy.version));
    if target.exists() {
        return Err(exists(&target));
    }
    let source = root.join(&item.path);
    let bytes = std::fs::read(&source).map_err(|e| Error::io(&source, e))?;
    let earlier: Vec<Release> = item.releases.iter().map(|a| a.release.clone()).collect();
    let release = Release {
        version: policy.version.clone(),
        released: options.date,
        effective: policy.effective,
        summary,
        approvers: policy.approvers.clone(),
        material: !options.editorial,
        edition: handbook.config.book.version.clone(),
        sha256: text_sha256(&bytes),
        approved_by: options.approved_by.clone(),
        approved_on: options.approved_on,
        reference: options.reference.clone(),
    };
    archive::write(root, (id, &item.path), &earlier, &release, &bytes).map_err(|e| match e {
        archive::WriteError::Exists(target) => exists(&target),
        archive::WriteError::Io(e) => e,
    })
}

/// Checks the sign-offs given to `release`: each for one of the policy's approver roles and,
/// once any is recorded, one for every role, since a partial record reads as a full approval.
fn approval_record(policy: &Policy, options: &ReleaseOptions) -> Result<(), (String, String)> {
    let roles = policy.approvers.join(", ");
    if let Some(stray) = options
        .approved_by
        .iter()
        .find(|a| !policy.approvers.contains(&a.role))
    {
        return Err((
            format!(
                "--approved-by {}={}: `{}` is not one of the policy's approvers",
                stray.role, stray.name, stray.role
            ),
            format!("its approvers are: {roles}"),
        ));
    }
    if !options.approved_by.is_empty() {
        let unsigned: Vec<&str> = policy
            .approvers
            .iter()
            .filter(|r| !options.approved_by.iter().any(|a| &a.role == *r))
            .map(String::as_str)
            .collect();
        if !unsigned.is_empty() {
            return Err((
                format!("no --approved-by for {}", unsigned.join(", ")),
                "record one sign-off per approver role, as ROLE=NAME".into(),
            ));
        }
    }
    if let Some(on) = options.approved_on
        && on > options.date
    {
        return Err((
            format!(
                "--approved-on {on} is after the release date {}",
                options.date
            ),
            "a version is approved before it is released".into(),
        ));
    }
    if options
        .reference
        .as_deref()
        .is_some_and(|r| r.trim().is_empty())
    {
        return Err((
            "--reference is empty".into(),
            "give the pull request or minutes that record the approval".into(),
        ));
    }
    Ok(())
}
