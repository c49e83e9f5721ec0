//! Re-modelling after a save that changed only items' files, text or front matter (the common
//! save in `serve`): the next handbook shares every other entry with the previous one, so its
//! cost follows the save, not the handbook's size.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{Entry, Handbook, links, order_key};
use crate::content::{Kind, Loaded};
use crate::diagnostic::adjust;
use crate::markdown;

impl Handbook {
    /// This handbook with the items of `changed` (read again from files it was loaded from) in
    /// their entries' places, their references resolved again and the backlinks of the pages
    /// they start or stop referencing updated. It equals what [`Handbook::build`] makes of the
    /// same sources, or is `None` when the change may reach further: a changed kind, id or
    /// place in navigation, changed headings (links into them), a page starting or ceasing to
    /// name an owner in a handbook without roles.yaml, a KPI's series, a finding on the file
    /// before or after, or a content folder with symbolic links.
    pub fn with_reread_items(&self, changed: Loaded) -> Option<Handbook> {
        // A file reached through a symbolic link is an entry under each of its paths, and the
        // watcher names one.
        if !changed.diagnostics.is_empty() || !changed.failed.is_empty() || self.through_links {
            return None;
        }
        let mut next = self.clone();
        let mut relink = Vec::new();
        for mut item in changed.items {
            let i = self.index_at_path(&item.path)?;
            let old = &self.entries[i];
            // What loading and modelling set beyond the file: an id made unique by its folder,
            // the place in SUMMARY.md.
            if item.common.id != old.item.common.id {
                return None;
            }
            item.id.clone_from(&old.item.id);
            item.chapter = old.item.chapter;
            let owner_named = |i: &crate::content::Item| i.common.owner.is_some();
            let same_place = item.kind == old.item.kind && order_key(&item) == order_key(&old.item);
            let roles_needed =
                self.roles_file.is_none() && owner_named(&item) != owner_named(&old.item);
            if !same_place
                || roles_needed
                || series_as_written(&item) != series_as_written(&old.item)
                || self.diagnostics.iter().any(|d| d.file == item.path)
            {
                return None;
            }
            let mut scan = std::mem::take(&mut item.outline);
            if self.config.output.html.number_clauses && item.kind == Kind::Policy {
                markdown::number_headings(&mut scan.headings);
            }
            if scan.headings != old.headings || item.title_anchor != old.item.title_anchor {
                return None;
            }
            next.entries[i] = Arc::new(Entry {
                item,
                url: old.url.clone(),
                headings: scan.headings,
                links: HashMap::new(),
                // Until linked again: the backlinks to update are those that differ from it.
                references: old.references.clone(),
                backlinks: old.backlinks.clone(),
                beyond_wording: std::sync::OnceLock::new(),
            });
            relink.push((i, scan.links));
        }
        let failed = BTreeSet::new();
        let cx = links::Context {
            failed: &failed,
            roles_file: self.roles_file.as_ref(),
            criteria_file: self.criteria_file.as_ref(),
        };
        for (i, link_refs) in relink {
            let mut found = Vec::new();
            let (links, references) = links::resolve_entry(&next, i, &link_refs, &cx, &mut found);
            if !adjust(&self.config.check.severity, found).is_empty() {
                return None;
            }
            let entry = Arc::make_mut(&mut next.entries[i]);
            entry.links = links;
            let before = std::mem::replace(&mut entry.references, references.clone());
            for &t in before.iter().filter(|t| !references.contains(t)) {
                Arc::make_mut(&mut next.entries[t])
                    .backlinks
                    .retain(|&b| b != i);
            }
            for &t in references.iter().filter(|t| !before.contains(t)) {
                let backlinks = &mut Arc::make_mut(&mut next.entries[t]).backlinks;
                // Backlinks are in navigation order, which is the entries' order.
                let at = backlinks.partition_point(|&b| b < i);
                backlinks.insert(at, i);
            }
        }
        next.sources.extend(changed.sources);
        Some(next)
    }
}

/// A KPI's `series` as written: its points, or the CSV file loading replaced by them, which is a
/// source of the handbook's own that only a whole load adds or drops.
fn series_as_written(item: &crate::content::Item) -> Option<serde_yaml::Value> {
    if item.kind != Kind::Kpi {
        return None;
    }
    let front: serde_yaml::Value = item.front.parse(&item.path).ok()?;
    front.get("series").cloned()
}
