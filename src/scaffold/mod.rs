//! Starting things: `policybook init` (a whole handbook) and `policybook new` (one item whose
//! front matter is already valid for its kind, shaped by the handbook's own settings).

mod init;

use std::path::{Path, PathBuf};

pub use init::{InitOptions, init};

use crate::config::{Config, SUGGESTED_SECTIONS};
use crate::content::{self, Kind, is_valid_id};
use crate::date::Date;
use crate::{Diagnostic, Error};

/// Writes `content/<folder>/<id>.md` for a new item of `kind`, dated `today`, and returns its path.
/// Owner, approvers and audience name the first role of roles.yaml; a policy has the sections
/// book.toml requires (or the usual ones when it requires none); a scorecard scores every
/// criterion; the status is draft.
pub fn new_item(root: &Path, kind: Kind, id: &str, today: Date) -> Result<PathBuf, Error> {
    let usage = |message: String| Error::Content(vec![Diagnostic::error("", 0, 0, message)]);
    if !is_valid_id(id) {
        return Err(usage(format!(
            "invalid id `{id}`: use lowercase letters, digits and `-`"
        )));
    }
    // `readme.md` and `index.md` introduce their folder: a page, not an item of its kind.
    if kind != Kind::Page && (id == "readme" || id == "index") {
        return Err(usage(format!(
            "id `{id}` is reserved: `readme.md` and `index.md` introduce their folder as a page; choose another id for the {kind}"
        )));
    }
    let config = Config::load(root)?;
    let loaded = content::load(root, &config)?;
    if let Some(existing) = loaded.items.iter().find(|i| i.id == id) {
        return Err(usage(format!(
            "id `{id}` is already used by {}",
            existing.path.display()
        )));
    }
    let role = loaded.roles.first().map_or("owner-role", |r| r.id.as_str());
    let path = root
        .join(&config.book.src)
        .join(config.folder_of_kind(kind))
        .join(format!("{id}.md"));
    if path.exists() {
        return Err(usage(format!("{} already exists", path.display())));
    }
    let title = id
        .split('-')
        .filter(|w| !w.is_empty())
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ");
    let fields = match kind {
        Kind::Page => format!("owner: {role}\nweight: 100\n"),
        Kind::Policy => format!(
            "version: \"0.1\"\nstatus: draft\nowner: {role}\napprovers: [{role}]\neffective: {today}\nreview_every: 12 months\napplies_to: [All engineers]\nchanges: First draft.\n"
        ),
        Kind::Stage => format!(
            "order: {}\nowner: {role}\nduration: 8 weeks\nscope: Who takes part\nentry_criteria: [What must be true before the stage starts]\nexit_gates:\n  - {{ text: What must be true before the next stage }}\n",
            loaded
                .items
                .iter()
                .filter(|i| i.kind == Kind::Stage)
                .count()
                + 1
        ),
        Kind::Scorecard => {
            let scores: String = loaded
                .criteria
                .iter()
                .map(|c| format!("  {}: {{ score: 3, evidence: To be assessed. }}\n", c.id))
                .collect();
            format!(
                "vendor: Vendor name\nevaluated: {today}\nevaluators: [{role}]\nowner: {role}\nscores:{}\n{scores}",
                if scores.is_empty() { " {}" } else { "" }
            )
        }
        Kind::Module => format!(
            "owner: {role}\naudience: [{role}]\nduration_minutes: 30\nobjectives: [What participants can do afterwards]\nrefresh_every: 1 year\nlevel: introductory\n"
        ),
        Kind::Risk => format!(
            "category: operational\nowner: {role}\nlikelihood: 3\nimpact: 3\nstatus: open\nreview: {}\nmitigations:\n  - {{ action: What reduces the risk, status: planned }}\n",
            today.plus("3 months".parse().expect("valid period"))
        ),
        Kind::Exception => {
            // The first policy and one of its approvers, so that the scaffold passes `check`.
            let policy = loaded.items.iter().find_map(|i| match &i.data {
                content::Data::Policy(p) => Some((i.id.as_str(), p.approvers.first())),
                _ => None,
            });
            let (policy, approver) = match policy {
                Some((id, approver)) => (id, approver.map_or(role, String::as_str)),
                None => ("policy-id", role),
            };
            format!(
                "policy: policy:{policy}\nowner: {role}\napproved_by: {approver}\nstatus: requested\ngranted: {today}\nexpires: {}\nreason: Why the policy cannot be followed yet.\ncompensating_controls: [What is done instead]\n",
                today.plus("3 months".parse().expect("valid period"))
            )
        }
        Kind::Kpi => format!(
            "unit: count\ndirection: down\nowner: {role}\ndefinition: How it is measured.\nbaseline: {{ value: 0, date: {today} }}\n"
        ),
    };
    let body = match kind {
        Kind::Policy => {
            let required = &config.check.required_sections;
            let sections: Vec<&str> = if required.is_empty() {
                SUGGESTED_SECTIONS.to_vec()
            } else {
                required.iter().map(String::as_str).collect()
            };
            sections
                .iter()
                .map(|s| format!("## {s}\n\nWrite here.\n"))
                .collect::<Vec<_>>()
                .join("\n")
        }
        _ => "Write here.\n".to_string(),
    };
    let text = format!(
        "---\ntitle: {title}\nsummary: One sentence on what this is.\n{fields}---\n\n{body}"
    );
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
