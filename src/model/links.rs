//! Resolving references: front-matter ids, role names, criteria, and Markdown links.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::Handbook;
use crate::content::{Data, FrontMatter, Kind, is_valid_id, normalize};
use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, line_col, nearest, suggestion};
use crate::markdown::LinkRef;
use crate::urls;

/// What the model needs from loading beyond the items.
pub(super) struct Context<'a> {
    pub failed: &'a BTreeSet<PathBuf>,
    pub roles_file: Option<&'a (PathBuf, FrontMatter)>,
    pub criteria_file: Option<&'a (PathBuf, FrontMatter)>,
}

/// Checks every reference, fills `links`, `references` and `backlinks`.
pub(super) fn resolve(
    handbook: &mut Handbook,
    link_refs: &[Vec<LinkRef>],
    cx: &Context,
    out: &mut Vec<Diagnostic>,
) {
    check_roles(handbook, cx, out);
    check_criteria(handbook, cx, out);
    check_frameworks(handbook, out);
    // Each entry's links resolve on their own; their findings keep the entries' order.
    let resolved: Vec<_> = link_refs
        .par_iter()
        .enumerate()
        .map(|(i, link_refs)| {
            let mut found = Vec::new();
            let resolved = resolve_entry(handbook, i, link_refs, cx, &mut found);
            (resolved, found)
        })
        .collect();
    for (i, ((links, references), found)) in resolved.into_iter().enumerate() {
        out.extend(found);
        let entry = Arc::make_mut(&mut handbook.entries[i]);
        entry.links = links;
        entry.references = references;
    }
    for i in 0..handbook.entries.len() {
        for t in handbook.entries[i].references.clone() {
            Arc::make_mut(&mut handbook.entries[t]).backlinks.push(i);
        }
    }
}

/// The links of entry `i` (destination as written → site path) and the entries it references
/// (front matter and body), in order, without repeats.
pub(super) fn resolve_entry(
    handbook: &Handbook,
    i: usize,
    link_refs: &[LinkRef],
    cx: &Context,
    out: &mut Vec<Diagnostic>,
) -> (HashMap<String, String>, Vec<usize>) {
    let mut refs = Resolver {
        handbook,
        cx,
        index: i,
        found: Vec::new(),
        out,
    };
    refs.front_matter();
    let links = refs.markdown(link_refs);
    let mut references = Vec::new();
    for target in refs.found {
        if target != i && !references.contains(&target) {
            references.push(target);
        }
    }
    (links, references)
}

fn check_roles(handbook: &Handbook, cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some((file, front)) = cx.roles_file else {
        // Plain pages name no role: a book of them needs no roles.yaml.
        let names_roles = handbook
            .entries
            .iter()
            .any(|e| e.item.kind != Kind::Page || e.item.common.owner.is_some());
        if names_roles {
            out.push(Diagnostic::new(
                Rule::RolesMissing,
                handbook.config.book.src.join(crate::content::ROLES_FILE),
                0,
                0,
                "no roles defined: owners, approvers and audiences cannot be checked",
            ));
        }
        return;
    };
    let mut seen = BTreeSet::new();
    for role in &handbook.roles {
        let (line, col) = front.locate_in_file(&role.id);
        if !is_valid_id(&role.id) {
            out.push(Diagnostic::new(
                Rule::InvalidId,
                file,
                line,
                col,
                format!(
                    "invalid role id `{}`: use lowercase letters, digits and `-`",
                    role.id
                ),
            ));
        }
        if !seen.insert(role.id.as_str()) {
            out.push(Diagnostic::new(
                Rule::DuplicateId,
                file,
                line,
                col,
                format!("duplicate role `{}`", role.id),
            ));
        }
    }
}

fn check_criteria(handbook: &Handbook, cx: &Context, out: &mut Vec<Diagnostic>) {
    let Some((file, front)) = cx.criteria_file else {
        if handbook.of_kind(Kind::Scorecard).next().is_some() {
            out.push(Diagnostic::new(
                Rule::CriteriaMissing,
                handbook
                    .config
                    .book
                    .src
                    .join(Kind::Scorecard.folder())
                    .join(crate::content::CRITERIA_FILE),
                0,
                0,
                "scorecards need criteria: this file is missing",
            ));
        }
        return;
    };
    let total: u32 = handbook.criteria.iter().map(|c| c.weight).sum();
    if total != 100 && !handbook.criteria.is_empty() {
        out.push(Diagnostic::new(
            Rule::CriteriaWeights,
            file,
            1,
            1,
            format!("criteria weights sum to {total}: expected 100"),
        ));
    }
    let mut seen = BTreeSet::new();
    for c in &handbook.criteria {
        if !is_valid_id(&c.id) || !seen.insert(c.id.as_str()) {
            let (line, col) = front.locate_in_file(&c.id);
            let rule = if is_valid_id(&c.id) {
                Rule::DuplicateId
            } else {
                Rule::InvalidId
            };
            out.push(Diagnostic::new(
                rule,
                file,
                line,
                col,
                format!("invalid or duplicate criterion id `{}`", c.id),
            ));
        }
    }
}

fn check_frameworks(handbook: &Handbook, out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for file in &handbook.frameworks {
        let id = &file.framework.id;
        let (line, col) = file.front.locate("id");
        if !is_valid_id(id) {
            out.push(Diagnostic::new(
                Rule::InvalidId,
                &file.path,
                line,
                col,
                format!("invalid framework id `{id}`: use lowercase letters, digits and `-`"),
            ));
        } else if !seen.insert(id.as_str()) {
            out.push(Diagnostic::new(
                Rule::DuplicateId,
                &file.path,
                line,
                col,
                format!("duplicate framework `{id}`"),
            ));
        }
        let mut controls = BTreeSet::new();
        for c in &file.framework.controls {
            if !controls.insert(c.id.as_str()) {
                let (line, col) = file.front.locate_in_file(&c.id);
                out.push(Diagnostic::new(
                    Rule::DuplicateId,
                    &file.path,
                    line,
                    col,
                    format!("duplicate control `{}` in framework `{id}`", c.id),
                ));
            }
        }
    }
}

/// Resolves a link written in `from`'s archived text against today's handbook: the target's
/// site path, or `None` when it no longer resolves (an archive is never an error).
pub(super) fn resolve_quietly(handbook: &Handbook, from: usize, dest: &str) -> Option<String> {
    let failed = BTreeSet::new();
    let cx = Context {
        failed: &failed,
        roles_file: None,
        criteria_file: None,
    };
    let mut out = Vec::new();
    let mut resolver = Resolver {
        handbook,
        cx: &cx,
        index: from,
        found: Vec::new(),
        out: &mut out,
    };
    match resolver.link(dest) {
        Ok(Some(url)) => Some(url),
        Ok(None) if dest.starts_with('#') => Some(dest.to_string()),
        _ => None,
    }
}

/// A broken link: the rule, the message and a hint.
type LinkError = (Rule, String, Option<String>);

struct Resolver<'a> {
    handbook: &'a Handbook,
    cx: &'a Context<'a>,
    index: usize,
    found: Vec<usize>,
    out: &'a mut Vec<Diagnostic>,
}

impl Resolver<'_> {
    fn front_matter(&mut self) {
        let item = &self.handbook.entries[self.index].item;
        if let Some(owner) = &item.common.owner {
            self.role("owner", owner);
        }
        if let Some(satisfies) = item.data.satisfies() {
            self.satisfies(satisfies);
        }
        match &item.data {
            Data::Page => {}
            Data::Policy(p) => {
                p.approvers.iter().for_each(|r| self.role("approvers", r));
                p.audience.iter().for_each(|r| self.role("audience", r));
                p.mitigates
                    .iter()
                    .for_each(|id| self.item("mitigates", id, Kind::Risk, Rule::UnknownReference));
                p.training
                    .iter()
                    .for_each(|id| self.item("training", id, Kind::Module, Rule::UnknownReference));
            }
            Data::Stage(s) => {
                s.required_policies.iter().for_each(|id| {
                    self.item(
                        "required_policies",
                        id,
                        Kind::Policy,
                        Rule::UnknownReference,
                    )
                });
                s.required_training.iter().for_each(|id| {
                    self.item(
                        "required_training",
                        id,
                        Kind::Module,
                        Rule::UnknownReference,
                    )
                });
                for gate in &s.exit_gates {
                    match (&gate.kpi, gate.op, gate.threshold, &gate.text) {
                        (Some(kpi), Some(_), Some(_), None) => {
                            self.item("exit_gates", kpi, Kind::Kpi, Rule::GateUnknownKpi)
                        }
                        (None, None, None, Some(_)) => {}
                        _ => {
                            let needle = gate
                                .kpi
                                .as_deref()
                                .or(gate.text.as_deref())
                                .unwrap_or("exit_gates");
                            self.error_at(Rule::InvalidContent, "exit_gates", needle, "an exit gate needs either `kpi`, `op` and `threshold`, or `text`".into(), Some("for example `{ kpi: defect-rate, op: \"<=\", threshold: 0.05 }` or `{ text: Security review signed off }`".into()));
                        }
                    }
                }
            }
            Data::Scorecard(s) => {
                s.evaluators.iter().for_each(|r| self.role("evaluators", r));
                let known: Vec<&str> = self
                    .handbook
                    .criteria
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect();
                for key in s.scores.keys() {
                    if !known.contains(&key.as_str()) && self.cx.criteria_file.is_some() {
                        self.error_at(
                            Rule::UnknownReference,
                            "scores",
                            key,
                            format!("unknown criterion `{key}`"),
                            Some(suggestion(key, known.iter().copied())),
                        );
                    }
                }
                for c in &self.handbook.criteria {
                    if !s.scores.contains_key(&c.id) {
                        self.error_at(
                            Rule::ScorecardMissingCriterion,
                            "scores",
                            "scores",
                            format!("criterion `{}` is not scored", c.id),
                            Some(format!(
                                "add `{}: {{ score: 1-5, evidence: ... }}` under `scores`",
                                c.id
                            )),
                        );
                    }
                }
            }
            Data::Module(m) => {
                m.audience.iter().for_each(|r| self.role("audience", r));
                m.prerequisites.iter().for_each(|id| {
                    self.item("prerequisites", id, Kind::Module, Rule::UnknownReference)
                });
                m.policies
                    .iter()
                    .for_each(|id| self.item("policies", id, Kind::Policy, Rule::UnknownReference));
            }
            Data::Risk(r) => {
                for policy in r.mitigations.iter().filter_map(|m| m.policy.as_ref()) {
                    self.item("mitigations", policy, Kind::Policy, Rule::UnknownReference);
                }
            }
            Data::Kpi(_) => {}
            Data::Exception(x) => {
                self.role("approved_by", &x.approved_by);
                if let Some(risk) = &x.risk {
                    self.item("risk", risk, Kind::Risk, Rule::UnknownReference);
                }
                match x.clause() {
                    Some((id, anchor)) => {
                        let Ok(Some(i)) = self.lookup(id, Kind::Policy) else {
                            return self.item("policy", id, Kind::Policy, Rule::UnknownReference);
                        };
                        self.found.push(i);
                        if let Some(Err((rule, message, help))) = anchor.map(|a| self.anchor(i, a))
                        {
                            self.error_at(rule, "policy", &x.policy, message, help);
                        }
                    }
                    None => self.error_at(
                        Rule::InvalidContent,
                        "policy",
                        &x.policy,
                        format!("`{}` is not a link to a policy", x.policy),
                        Some("write the clause as `policy:<id>#<anchor>`, such as `policy:data-handling#prompt-retention`".into()),
                    ),
                }
            }
        }
    }

    fn error_at(
        &mut self,
        rule: Rule,
        field: &str,
        needle: &str,
        message: String,
        help: Option<String>,
    ) {
        let item = &self.handbook.entries[self.index].item;
        let (line, col) = item.front.locate_in(field, needle);
        let d = Diagnostic::new(rule, &item.path, line, col, message);
        self.out.push(match help {
            Some(help) => d.with_help(help),
            None => d,
        });
    }

    /// Checks `satisfies`: each framework exists and lists each control named.
    fn satisfies(&mut self, satisfies: &crate::content::Satisfies) {
        let handbook = self.handbook;
        for (id, controls) in satisfies {
            let Some(framework) = handbook.framework(id) else {
                let failed = self.cx.failed.iter().any(|p| {
                    p.file_stem().is_some_and(|s| s == id.as_str())
                        && p.parent().and_then(Path::file_name)
                            == Some(crate::content::FRAMEWORKS_FOLDER.as_ref())
                });
                if failed {
                    continue;
                }
                let known = handbook.frameworks.iter().map(|f| f.framework.id.as_str());
                let help = match nearest(id, known) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "frameworks are defined in content/frameworks/<id>.yaml".into(),
                };
                self.error_at(
                    Rule::UnknownReference,
                    "satisfies",
                    id,
                    format!("unknown framework `{id}`"),
                    Some(help),
                );
                continue;
            };
            for control in controls {
                if framework.controls.iter().all(|c| &c.id != control) {
                    let help = match nearest_control(control, &framework.controls) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("`{id}` lists no control with this id"),
                    };
                    self.error_at(
                        Rule::UnknownReference,
                        "satisfies",
                        control,
                        format!("unknown control `{control}` of framework `{id}`"),
                        Some(help),
                    );
                }
            }
        }
    }

    fn role(&mut self, field: &str, id: &str) {
        if self.cx.roles_file.is_none() || self.handbook.role(id).is_some() {
            return;
        }
        let known: Vec<&str> = self.handbook.roles.iter().map(|r| r.id.as_str()).collect();
        let rule = if field == "owner" {
            Rule::OwnerNotARole
        } else {
            Rule::UnknownRole
        };
        self.error_at(
            rule,
            field,
            id,
            format!("`{id}` is not a defined role"),
            Some(suggestion(id, known.iter().copied())),
        );
    }

    fn item(&mut self, field: &str, id: &str, want: Kind, rule: Rule) {
        match self.lookup(id, want) {
            Ok(Some(i)) => self.found.push(i),
            Ok(None) => {}
            Err((message, help)) => self.error_at(rule, field, id, message, Some(help)),
        }
    }

    /// The entry `id` of kind `want`; `Ok(None)` when it failed to load (already reported).
    fn lookup(&self, id: &str, want: Kind) -> Result<Option<usize>, (String, String)> {
        match self.handbook.by_id.get(id) {
            Some(&i) if self.handbook.entries[i].item.kind == want => Ok(Some(i)),
            Some(&i) => {
                let actual = self.handbook.entries[i].item.kind;
                Err((
                    format!("`{id}` is a {actual}, not a {want}"),
                    format!("link it as `{actual}:{id}`, or name a {want}"),
                ))
            }
            None if self
                .cx
                .failed
                .iter()
                .any(|p| p.file_stem().is_some_and(|s| s == id)) =>
            {
                Ok(None)
            }
            None => {
                let ids = self.handbook.of_kind(want).map(|e| e.item.id.as_str());
                let help = match nearest(id, ids) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("no {want} has this id"),
                };
                Err((format!("unknown {want} `{id}`"), help))
            }
        }
    }

    /// Resolves Markdown links to site paths, reporting broken ones at their line.
    fn markdown(&mut self, links: &[LinkRef]) -> std::collections::HashMap<String, String> {
        let mut resolved = std::collections::HashMap::new();
        for link in links {
            match self.link(&link.dest) {
                Ok(Some(url)) => {
                    resolved.insert(link.dest.clone(), url);
                }
                Ok(None) => {}
                Err((rule, message, help)) => {
                    let item = &self.handbook.entries[self.index].item;
                    // A broken link is rare: its text is read again only to place it.
                    let (line, col) = item
                        .body
                        .text()
                        .map_or((1, 1), |body| line_col(&body, link.offset));
                    let d =
                        Diagnostic::new(rule, &item.path, item.body_line + line - 1, col, message);
                    self.out.push(match help {
                        Some(help) => d.with_help(help),
                        None => d,
                    });
                }
            }
        }
        resolved
    }

    fn link(&mut self, dest: &str) -> Result<Option<String>, LinkError> {
        let (target, anchor) = dest
            .split_once('#')
            .map_or((dest, None), |(t, a)| (t, Some(a)));
        if target.is_empty() {
            // `#` alone is the top of the page, as in browsers.
            let anchor = anchor.unwrap_or("");
            if !anchor.is_empty() {
                self.anchor(self.index, anchor)?;
            }
            return Ok(None);
        }
        if let Some((scheme, id)) = target.split_once(':') {
            if scheme == "role" {
                if self.handbook.role(id).is_none() {
                    let known = self.handbook.roles.iter().map(|r| r.id.as_str());
                    return Err((
                        Rule::BrokenLink,
                        format!("unknown role `{id}`"),
                        Some(suggestion(id, known)),
                    ));
                }
                return Ok(Some(urls::role(id)));
            }
            let Some(kind) = Kind::from_name(scheme) else {
                return Ok(None);
            };
            let Some(i) = self
                .lookup(id, kind)
                .map_err(|(m, h)| (Rule::BrokenLink, m, Some(h)))?
            else {
                return Ok(None);
            };
            return self.link_entry(i, anchor).map(Some);
        }
        if target.contains("//") {
            return Ok(None);
        }
        let here = self.handbook.entries[self.index]
            .item
            .path
            .parent()
            .unwrap_or(Path::new(""));
        // Browsers decode `%2e%2e` to `..`, so a climb spelled that way is one too; `%20` is
        // how Markdown spells a space in a file name.
        let decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
        let decoded: &str = &decoded;
        let src = normalize(&self.handbook.config.book.src).unwrap_or_default();
        let Some(path) = normalize(&here.join(decoded)).filter(|p| p.starts_with(&src)) else {
            return Err((
                Rule::BrokenLink,
                format!("link `{target}` leaves the content folder"),
                Some(
                    "link to pages and files inside the content folder, by a relative path".into(),
                ),
            ));
        };
        let is_page = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if !is_page {
            return self.file(target, &path, &src);
        }
        match self.handbook.index_at_path(&path) {
            Some(i) => self.link_entry(i, anchor).map(Some),
            None if self.cx.failed.contains(&path) => Ok(None),
            None => {
                let help = match self.nearest_file(&path) {
                    Some(near) => format!(
                        "did you mean `{}`? (no file at {})",
                        relative_link(here, &near),
                        path.display()
                    ),
                    None => format!("looked for {}", path.display()),
                };
                Err((
                    Rule::BrokenLink,
                    format!("link to `{target}`: no such file in the handbook"),
                    Some(help),
                ))
            }
        }
    }

    /// The handbook file most like `missing`: by file name, preferring its own folder. Runs only
    /// for broken links, so scanning every entry is fine.
    fn nearest_file(&self, missing: &Path) -> Option<PathBuf> {
        let name = missing.file_name()?.to_string_lossy();
        let paths: Vec<&Path> = self
            .handbook
            .entries
            .iter()
            .map(|e| e.item.path.as_path())
            .collect();
        let names: Vec<String> = paths
            .iter()
            .map(|p| {
                p.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            })
            .collect();
        let near = nearest(&name, names.iter().map(String::as_str))?;
        let same = |p: &&&Path| p.file_name().is_some_and(|n| n.to_string_lossy() == near);
        let in_folder = paths
            .iter()
            .filter(same)
            .find(|p| p.parent() == missing.parent());
        in_folder
            .or_else(|| paths.iter().find(same))
            .map(|p| p.to_path_buf())
    }

    /// A relative link to a file that is not a page (`path` from the root, in the content
    /// folder `src`): it works when the site copies the file or makes it. Left as written:
    /// folders (`v1.2/`), addresses with a query (`form.pdf?v=2`), and `.html` addresses (an
    /// author's link to a page the site makes, such as `../dashboard.html`).
    fn file(&self, target: &str, path: &Path, src: &Path) -> Result<Option<String>, LinkError> {
        if target.ends_with('/') || target.contains('?') {
            return Ok(None);
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let site = path.strip_prefix(src).unwrap_or(path).to_string_lossy();
        let made = [urls::FEED, urls::SITEMAP, urls::ACKNOWLEDGEMENTS].contains(&&*site);
        let copied = self
            .handbook
            .assets
            .binary_search_by(|(source, _)| source.as_path().cmp(path))
            .is_ok();
        if ext.is_empty() || ext == "html" || ext == "htm" || made || copied {
            return Ok(None);
        }
        let help = if ext == "mdx" || ext == "markdown" {
            "pages are read from `.md` files: rename it to `.md`".to_string()
        } else {
            format!(
                "the site has the `.md` pages and copies files ending in {}",
                crate::content::ASSET_EXTENSIONS.join(", ")
            )
        };
        Err((
            Rule::BrokenLink,
            format!("link to `{target}`: no such file in the site"),
            Some(help),
        ))
    }

    fn link_entry(&mut self, i: usize, anchor: Option<&str>) -> Result<String, LinkError> {
        self.found.push(i);
        let url = self.handbook.entries[i].url.clone();
        match anchor {
            Some(anchor) => {
                self.anchor(i, anchor)?;
                Ok(format!("{url}#{anchor}"))
            }
            None => Ok(url),
        }
    }

    fn anchor(&self, i: usize, anchor: &str) -> Result<(), LinkError> {
        let entry = &self.handbook.entries[i];
        if entry.headings.iter().any(|h| h.id == anchor)
            || entry.item.title_anchor.as_deref() == Some(anchor)
        {
            return Ok(());
        }
        let ids = entry.headings.iter().map(|h| h.id.as_str());
        let help = match nearest(anchor, ids) {
            Some(near) => format!("did you mean `#{near}`?"),
            None => format!("{} has no heading with this anchor", entry.item.id),
        };
        Err((
            Rule::BrokenAnchor,
            format!(
                "unknown anchor `#{anchor}` in {} `{}`",
                entry.item.kind, entry.item.id
            ),
            Some(help),
        ))
    }
}

/// The control id most like `wanted`. Ids are numbered (`GOVERN 1.2`), and string similarity
/// alone ranks `GOVERN 2.1` (the same characters) above `GOVERN 1.1`: the ids sharing the longest
/// prefix with `wanted` are preferred, then the most similar of them.
fn nearest_control<'a>(wanted: &str, controls: &'a [crate::content::Control]) -> Option<&'a str> {
    let shared = |id: &str| {
        id.chars()
            .zip(wanted.chars())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count()
    };
    let longest = controls.iter().map(|c| shared(&c.id)).max()?;
    nearest(
        wanted,
        controls
            .iter()
            .filter(|c| shared(&c.id) == longest)
            .map(|c| c.id.as_str()),
    )
}

/// `to` as a link written in a file in folder `from`: `../policies/x.md`.
fn relative_link(from: &Path, to: &Path) -> String {
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = from.components().count() - common;
    let mut parts: Vec<String> = vec!["..".into(); ups];
    parts.extend(
        to.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}
