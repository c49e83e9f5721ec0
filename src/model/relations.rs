//! Relations between items that more than one page or rule asks about, answered once here so
//! that `check`, the pages and search agree. Entries are named by their index in
//! [`Handbook::entries`]; results come in navigation order.

use std::collections::BTreeSet;

use super::Handbook;
use crate::content::{Data, Kind, PolicyStatus};

impl Handbook {
    /// Policies that mitigate risk `risk`: named by one of its mitigations or listing it in
    /// `mitigates`, whatever their status.
    pub fn mitigating_policies(&self, risk: usize) -> Vec<usize> {
        let entry = &self.entries[risk];
        let Data::Risk(r) = &entry.item.data else {
            return Vec::new();
        };
        let named = r
            .mitigations
            .iter()
            .filter_map(|m| m.policy.as_deref())
            .filter_map(|id| self.index(id));
        // A policy listing the risk in `mitigates` references it, so it is among its backlinks.
        let listing = entry.backlinks.iter().copied().filter(|&j| {
            matches!(&self.entries[j].item.data, Data::Policy(p) if p.mitigates.contains(&entry.item.id))
        });
        sorted(named.chain(listing).filter(|&j| self.is(j, Kind::Policy)))
    }

    /// Whether an approved policy mitigates risk `risk`: a draft or retired one does not yet,
    /// or no longer, treat it.
    pub fn is_mitigated(&self, risk: usize) -> bool {
        self.mitigating_policies(risk).into_iter().any(|p| {
            matches!(&self.entries[p].item.data, Data::Policy(p) if p.status == PolicyStatus::Approved)
        })
    }

    /// Modules that teach policy `policy`: named in its `training` or listing it in `policies`.
    pub fn teaching_modules(&self, policy: usize) -> Vec<usize> {
        let entry = &self.entries[policy];
        let named: &[String] = match &entry.item.data {
            Data::Policy(p) => &p.training,
            _ => &[],
        };
        // Modules listing the policy reference it, so they are among its backlinks.
        let listing = entry.backlinks.iter().copied().filter(|&j| {
            matches!(&self.entries[j].item.data, Data::Module(m) if m.policies.contains(&entry.item.id))
        });
        let named = named.iter().filter_map(|id| self.index(id));
        sorted(listing.chain(named).filter(|&j| self.is(j, Kind::Module)))
    }

    /// Policies that module `module` teaches: the converse of [`Handbook::teaching_modules`].
    pub fn taught_policies(&self, module: usize) -> Vec<usize> {
        let entry = &self.entries[module];
        let named: &[String] = match &entry.item.data {
            Data::Module(m) => &m.policies,
            _ => &[],
        };
        // Policies naming the module in `training` reference it, so they are among its backlinks.
        let naming = entry.backlinks.iter().copied().filter(|&j| {
            matches!(&self.entries[j].item.data, Data::Policy(p) if p.training.contains(&entry.item.id))
        });
        let named = named.iter().filter_map(|id| self.index(id));
        sorted(named.chain(naming).filter(|&j| self.is(j, Kind::Policy)))
    }

    /// Rollout stages that require policy `policy`.
    pub fn stages_requiring(&self, policy: usize) -> Vec<usize> {
        let entry = &self.entries[policy];
        // A stage requiring the policy references it, so it is among its backlinks.
        let requiring = entry.backlinks.iter().copied().filter(|&j| {
            matches!(&self.entries[j].item.data, Data::Stage(s) if s.required_policies.contains(&entry.item.id))
        });
        sorted(requiring)
    }

    /// Exceptions granted against policy `policy`: those whose `policy` cites it.
    pub fn exceptions_against(&self, policy: usize) -> Vec<usize> {
        let entry = &self.entries[policy];
        // An exception cites the policy, so it is among its backlinks.
        let citing = entry.backlinks.iter().copied().filter(|&j| {
            matches!(&self.entries[j].item.data, Data::Exception(x) if x.clause().is_some_and(|(id, _)| id == entry.item.id))
        });
        sorted(citing)
    }

    /// Modules ordered so that every prerequisite comes before the modules needing it (navigation
    /// order otherwise). A cycle is reported by `check`; here its members keep their order.
    pub fn prerequisite_order(&self) -> Vec<usize> {
        let mut placed = Vec::new();
        let mut seen = vec![false; self.entries.len()];
        fn visit(handbook: &Handbook, i: usize, placed: &mut Vec<usize>, seen: &mut [bool]) {
            if std::mem::replace(&mut seen[i], true) {
                return;
            }
            if let Data::Module(m) = &handbook.entries[i].item.data {
                for p in m.prerequisites.iter().filter_map(|id| handbook.index(id)) {
                    visit(handbook, p, placed, seen);
                }
            }
            placed.push(i);
        }
        for i in self.kind_range(Kind::Module) {
            visit(self, i, &mut placed, &mut seen);
        }
        placed
    }

    fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    fn is(&self, i: usize, kind: Kind) -> bool {
        self.entries[i].item.kind == kind
    }
}

/// Indices in navigation order, without repeats.
fn sorted(indices: impl Iterator<Item = usize>) -> Vec<usize> {
    indices.collect::<BTreeSet<_>>().into_iter().collect()
}
