//! Re-modelling after a save that changed only the text of some items (the common save in
//! `serve`): the next handbook shares every other entry with the previous one, so its cost
//! follows the save, not the handbook's size.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{Entry, Handbook, links};
use crate::content::{Kind, Loaded};
use crate::diagnostic::adjust;
use crate::markdown;

impl Handbook {
    /// This handbook with the items of `changed` (read again from files it was loaded from) in
    /// their entries' places, their links resolved again and the backlinks of the pages they
    /// start or stop linking to updated. It equals what [`Handbook::build`] makes of the same
    /// sources, or is `None` when the change may reach further: a change of front matter
    /// (order, ids, data that other pages show) or of headings (links into them), or a finding
    /// on the file before or after.
    pub fn with_new_texts(&self, changed: Loaded) -> Option<Handbook> {
        if !changed.diagnostics.is_empty() || !changed.failed.is_empty() {
            return None;
        }
        let mut next = self.clone();
        let mut relink = Vec::new();
        for mut item in changed.items {
            let i = self.index_at_path(&item.path)?;
            let old = &self.entries[i];
            let same_front = item.kind == old.item.kind && item.front.yaml == old.item.front.yaml;
            if !same_front || self.diagnostics.iter().any(|d| d.file == item.path) {
                return None;
            }
            // What loading and modelling set beyond the file: an id made unique by its folder,
            // the place in SUMMARY.md.
            item.id.clone_from(&old.item.id);
            item.chapter = old.item.chapter;
            let mut scan = std::mem::take(&mut item.outline);
            if self.config.output.html.number_clauses && item.kind == Kind::Policy {
                markdown::number_headings(&mut scan.headings);
            }
            if scan.headings != old.headings {
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
            roles_file: None,
            criteria_file: None,
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
