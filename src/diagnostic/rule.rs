//! The rules every finding belongs to: stable ids, explanations, default levels, and the
//! severity adjustment of `[check.severity]`. A leaf module, so that every stage can name a
//! rule without depending on the check stage.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Diagnostic, Severity};

macro_rules! rules {
    ($( $variant:ident = $id:literal, $severity:ident, $fixed:literal, $explanation:literal; )*) => {
        /// A check rule. Its id is stable: it is what book.toml, JSON output and CI scripts name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $( #[doc = $explanation] $variant, )*
        }

        impl Rule {
            /// Every rule, in documentation order.
            pub const ALL: &[Rule] = &[$( Rule::$variant ),*];
            const IDS: &[&str] = &[$( $id ),*];

            /// The stable id, such as `policy-review-overdue`.
            pub fn id(self) -> &'static str {
                match self { $( Rule::$variant => $id, )* }
            }

            /// One line on what the rule checks.
            pub fn explanation(self) -> &'static str {
                match self { $( Rule::$variant => $explanation, )* }
            }

            /// The level when book.toml does not set one: house-style rules are `Off` until a
            /// handbook opts in (`policybook init` writes them in).
            pub fn default_level(self) -> Level {
                match self { $( Rule::$variant => Level::$severity, )* }
            }

            /// Whether the rule must stay an error: without it the handbook cannot be modelled.
            pub fn fixed(self) -> bool {
                match self { $( Rule::$variant => $fixed, )* }
            }
        }
    };
}

rules! {
    InvalidConfig = "invalid-config", Error, true,
        "book.toml is malformed, has an unknown key or names an unknown rule";
    UnreadableFile = "unreadable-file", Error, true,
        "a content file cannot be read: not UTF-8, too large, or a symbolic link loop";
    InvalidContent = "invalid-content", Error, true,
        "front matter or a data file is malformed, or a field is missing or has a wrong value";
    UnknownField = "unknown-field", Error, true,
        "a front-matter field that the item's kind does not have";
    ForeignField = "foreign-field", Warning, false,
        "a front-matter field of another site generator (Hugo, Jekyll, Docusaurus, MkDocs), which policybook ignores";
    InvalidId = "invalid-id", Error, true,
        "an item, role or criterion id that is not lowercase letters, digits and `-`";
    DuplicateId = "duplicate-id", Error, true,
        "two items, roles or criteria share an id";
    MdbookSetting = "mdbook-setting", Warning, false,
        "book.toml has an mdBook setting that policybook does not use (it is ignored)";
    RolesMissing = "roles-missing", Warning, false,
        "content/roles.yaml is missing, so owners and approvers cannot be checked";
    OwnerMissing = "owner-missing", Off, false,
        "a page, module or scorecard names no owning role (the other kinds require `owner`); house style, off unless book.toml sets it";
    OwnerNotARole = "owner-not-a-role", Error, false,
        "an `owner` that is not a role defined in roles.yaml";
    UnknownRole = "unknown-role", Error, false,
        "an approver, audience or evaluator that is not a role defined in roles.yaml";
    UnknownReference = "unknown-reference", Error, false,
        "a front-matter id (mitigates, training, prerequisites, scores…) naming no item of that kind";
    BrokenLink = "broken-link", Error, false,
        "a Markdown link to an unknown id, role or file";
    BrokenAnchor = "broken-anchor", Error, false,
        "a Markdown link to a heading anchor that does not exist";
    PolicyReviewOverdue = "policy-review-overdue", Warning, false,
        "a policy in force is past its next review date";
    PolicyRetiredInUse = "policy-retired-in-use", Warning, false,
        "a retired policy whose effective date has passed is still required, taught or relied on";
    PolicyWithoutApprovers = "policy-without-approvers", Error, false,
        "an approved policy lists no approvers";
    PolicyUnreleased = "policy-unreleased", Warning, false,
        "an approved policy has no released version (`policybook release` archives one)";
    PolicyMissingSection = "policy-missing-section", Error, false,
        "a policy lacks a required section ([check] required-sections)";
    ArchiveHashMismatch = "archive-hash-mismatch", Error, false,
        "an archived policy version no longer matches the sha256 recorded when it was released";
    EditorialNotEditorial = "editorial-not-editorial", Error, false,
        "a release marked editorial whose redline changes a number, date, duration, obligation word or a whole clause";
    RiskAboveAppetite = "risk-above-appetite", Error, false,
        "a risk's residual score exceeds [check] risk-appetite and no approved policy mitigates it";
    RiskReviewOverdue = "risk-review-overdue", Warning, false,
        "an open risk is past its review date";
    GateUnknownKpi = "gate-unknown-kpi", Error, false,
        "a stage exit gate names an unknown KPI";
    GateKpiWithoutData = "gate-kpi-without-data", Warning, false,
        "a stage exit gate names a KPI that has no measurements beyond its baseline";
    CriteriaMissing = "criteria-missing", Error, false,
        "scorecards exist but the vendor criteria file does not";
    CriteriaWeights = "criteria-weights", Error, false,
        "the vendor criteria weights do not sum to 100";
    ScorecardMissingCriterion = "scorecard-missing-criterion", Error, false,
        "a scorecard does not score every criterion";
    ScorecardMissingEvidence = "scorecard-missing-evidence", Warning, false,
        "a scorecard gives a score without evidence";
    ModuleRefreshOverdue = "module-refresh-overdue", Warning, false,
        "a training module is past its refresh cycle since it was last reviewed";
    ModuleBehindPolicy = "module-behind-policy", Warning, false,
        "a training module teaches a policy whose current version took effect after the module's last review";
    PrerequisiteCycle = "prerequisite-cycle", Error, false,
        "training modules that are, directly or not, prerequisites of themselves";
    ExceptionExpired = "exception-expired", Warning, false,
        "an approved exception is past its `expires` date";
    ExceptionTooLong = "exception-too-long", Error, false,
        "an exception granted for longer than [check] max-exception (default 1 year)";
    ExceptionApproverNotPolicyApprover = "exception-approver-not-policy-approver", Error, false,
        "an exception's `approved_by` is not among the approvers of the policy it departs from";
    FrameworkGap = "framework-gap", Off, false,
        "a framework control that no policy, stage, module or risk satisfies; off unless book.toml sets it";
    OrphanPage = "orphan-page", Warning, false,
        "a page that navigation does not list (SUMMARY.md leaves it out) and no chain of links reaches";
}

impl Rule {
    /// The severity of its findings when book.toml does not set one (an `Off` rule's findings
    /// are dropped by [`adjust`] unless book.toml turns it on).
    pub fn default_severity(self) -> Severity {
        match self.default_level() {
            Level::Error => Severity::Error,
            Level::Warning | Level::Off => Severity::Warning,
        }
    }

    /// The rule with `id`.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Rule, D::Error> {
        let id = String::deserialize(d)?;
        Rule::from_id(&id).ok_or_else(|| serde::de::Error::unknown_variant(&id, Rule::IDS))
    }
}

/// A severity set in `[check.severity]`, or a rule's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Reported and fails the build and `check`.
    Error,
    /// Reported; fails `check` only with `--deny warnings`.
    Warning,
    /// Not reported.
    Off,
}

/// The level of `rule` under the severities of `[check.severity]`, when they change it.
fn level(severities: &std::collections::BTreeMap<Rule, Level>, rule: Rule) -> Option<Level> {
    severities
        .get(&rule)
        .copied()
        .or((rule.default_level() == Level::Off).then_some(Level::Off))
}

/// Whether `[check.severity]` turns `rule` off (or leaves it off), so that its findings need
/// not be looked for.
pub fn is_off(severities: &std::collections::BTreeMap<Rule, Level>, rule: Rule) -> bool {
    level(severities, rule) == Some(Level::Off)
}

/// Applies the severities of `[check.severity]`, dropping findings of rules turned off.
pub fn adjust(
    severities: &std::collections::BTreeMap<Rule, Level>,
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter_map(|mut d| {
            match d.rule.and_then(|r| level(severities, r)) {
                Some(Level::Off) => return None,
                Some(Level::Error) => d.severity = Severity::Error,
                Some(Level::Warning) => d.severity = Severity::Warning,
                None => {}
            }
            Some(d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for &rule in Rule::ALL {
            assert!(seen.insert(rule.id()), "{rule}");
            assert!(
                rule.id()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{rule}"
            );
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
            assert!(!rule.explanation().is_empty());
        }
    }
}
