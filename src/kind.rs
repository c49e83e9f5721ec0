//! The kinds of item a handbook holds.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What an item is; decides its fields, its folder and its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A plain page (introduction, guides).
    Page,
    /// A policy with versions, owner, approvers and review cycle.
    Policy,
    /// A rollout stage with entry criteria and exit gates.
    Stage,
    /// A vendor evaluation scorecard.
    Scorecard,
    /// A training module.
    Module,
    /// An entry of the risk register.
    Risk,
    /// A key performance indicator with its series.
    Kpi,
    /// An approved deviation from a policy clause, with its expiry.
    Exception,
}

impl Kind {
    /// Every kind, in navigation order.
    pub const ALL: [Kind; 8] = [
        Kind::Page,
        Kind::Policy,
        Kind::Exception,
        Kind::Stage,
        Kind::Module,
        Kind::Risk,
        Kind::Kpi,
        Kind::Scorecard,
    ];

    /// The name used in `kind:`, in `policy:id` links and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Policy => "policy",
            Kind::Stage => "stage",
            Kind::Scorecard => "scorecard",
            Kind::Module => "module",
            Kind::Risk => "risk",
            Kind::Kpi => "kpi",
            Kind::Exception => "exception",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The default content folder of the kind, which is also its folder in the site.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Page => "guide",
            Kind::Policy => "policies",
            Kind::Stage => "stages",
            Kind::Scorecard => "vendors",
            Kind::Module => "training",
            Kind::Risk => "risks",
            Kind::Kpi => "kpis",
            Kind::Exception => "exceptions",
        }
    }

    /// The heading of the kind's section in navigation.
    pub fn plural_label(self) -> &'static str {
        match self {
            Kind::Page => "Guide",
            Kind::Policy => "Policies",
            Kind::Stage => "Rollout stages",
            Kind::Scorecard => "Vendor evaluation",
            Kind::Module => "Training",
            Kind::Risk => "Risk register",
            Kind::Kpi => "KPIs",
            Kind::Exception => "Exceptions",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
