//! What readers must acknowledge: per policy in force, the release an acknowledgement holds for,
//! as `acknowledgements.json`, role pages and policy pages show it.

use serde::Serialize;

use super::{Entry, Handbook, acknowledged_since};
use crate::content::Data;
use crate::date::Date;

/// One acknowledgement record, as written to `acknowledgements.json` and shown on role pages.
#[derive(Serialize, Clone)]
pub struct Acknowledgement {
    /// Policy id.
    pub id: String,
    /// Policy title.
    pub title: String,
    /// The newest released version, the text readers acknowledge.
    pub version: String,
    /// sha256 of that release's text, as recorded in its archive manifest.
    pub sha256: String,
    /// When that release takes effect.
    pub effective: Date,
    /// Role ids that must acknowledge it.
    pub audience: Vec<String>,
    /// The newest material release: an acknowledgement of it or of any later version is
    /// current, as editorial releases change no obligation.
    pub valid_since: String,
    /// The policy page, relative to the site root.
    pub url: String,
    /// The "Acknowledge" address from `acknowledge-url-template`, if set.
    pub acknowledge_url: Option<String>,
}

/// The acknowledgement record of the policy `entry`, when its readers must acknowledge it: an
/// approved policy with a release, whose `acknowledge` is true (by default, when it has an
/// audience).
pub fn acknowledgement(handbook: &Handbook, entry: &Entry) -> Option<Acknowledgement> {
    let Data::Policy(p) = &entry.item.data else {
        return None;
    };
    if !p.needs_acknowledgement() {
        return None;
    }
    let newest = entry.item.releases.last()?;
    let since = acknowledged_since(&entry.item)?;
    let release = &newest.release;
    let acknowledge_url = handbook
        .config
        .output
        .html
        .acknowledge_url_template
        .as_ref()
        .map(|t| {
            t.replace("{id}", &entry.item.id)
                .replace("{version}", &release.version.0)
                .replace("{sha256}", &release.sha256)
        });
    Some(Acknowledgement {
        id: entry.item.id.clone(),
        title: entry.item.common.title.clone(),
        version: release.version.0.clone(),
        sha256: release.sha256.clone(),
        effective: release.effective,
        audience: p.audience.clone(),
        valid_since: since.release.version.0.clone(),
        url: entry.url.clone(),
        acknowledge_url,
    })
}
