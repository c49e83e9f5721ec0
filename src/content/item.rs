//! The typed front matter of every kind. Field names are the contract with authors (DESIGN.md).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer, Serialize};

use super::body::Body;
use super::front_matter::FrontMatter;
use crate::date::{Date, Period};
use crate::kind::Kind;

/// One content file, loaded and typed.
#[derive(Debug, Clone)]
pub struct Item {
    /// Stable id, unique across the handbook.
    pub id: String,
    /// What the item is.
    pub kind: Kind,
    /// Fields every kind has.
    pub common: Common,
    /// The kind's own fields.
    pub data: Data,
    /// Source path relative to the handbook root.
    pub path: PathBuf,
    /// The front matter, kept to point errors at lines.
    pub front: FrontMatter,
    /// The Markdown body.
    pub body: Body,
    /// The headings (unnumbered) and links of the body, read with it so that a reload reuses
    /// them with the rest of the parse. The model moves them into its entry.
    pub outline: crate::markdown::Scan,
    /// File line of the body's first line.
    pub body_line: usize,
    /// The anchor of a leading `# heading` that repeated the title and was taken out of the
    /// body (the page's own title heading carries it, so links to it still land).
    pub title_anchor: Option<String>,
    /// Its place in SUMMARY.md, when the handbook has one and lists it.
    pub chapter: Option<Chapter>,
    /// Released versions of a policy, oldest first (empty for other kinds).
    pub releases: Vec<Archived>,
    /// Per release, oldest first, whether the working text says the same (a redline between
    /// them would be empty). Many pages ask, so it is worked out when the releases are read,
    /// while both texts are in memory.
    pub same_as_releases: Vec<bool>,
    /// Front-matter fields of other tools that the item has, ignored (see [`super::foreign`]).
    pub foreign: Vec<String>,
}

impl Item {
    /// Lets its texts (body and archived versions) go, keeping where they are under `root`.
    pub(super) fn store_texts(&mut self, root: &std::path::Path) {
        self.body.store(root.join(&self.path), &self.path);
        for archived in &mut self.releases {
            archived
                .body
                .store(root.join(&archived.path), &archived.path);
        }
    }
}

/// A page's place in SUMMARY.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chapter {
    /// Its position among the chapters.
    pub position: usize,
    /// How deep it is nested: 0 at the top.
    pub depth: usize,
}

/// One released version of a policy, as recorded in its archive manifest.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// The version released.
    pub version: Version,
    /// When it was released.
    pub released: Date,
    /// When it takes effect.
    pub effective: Date,
    /// What changed, in the author's words.
    pub summary: String,
    /// Roles that approved it.
    #[serde(default)]
    pub approvers: Vec<String>,
    /// Whether it changes obligations (material) or only wording (editorial).
    pub material: bool,
    /// Handbook edition it was released in.
    pub edition: Option<String>,
    /// sha256 of the archived file, to detect tampering.
    pub sha256: String,
    /// Who signed it off, each for one of `approvers` (absent in manifests written before
    /// approval records existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approved_by: Vec<Approval>,
    /// When it was approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_on: Option<Date>,
    /// Where the approval is recorded: a pull request, minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// One person's sign-off of a release, for one of the policy's approver roles.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The approver role signed for.
    pub role: String,
    /// The person's name.
    pub name: String,
}

impl std::str::FromStr for Approval {
    type Err = String;

    /// Reads `ROLE=NAME`, as `release --approved-by` takes it: a role id never holds `=`, so the
    /// first one splits, and the name may hold anything else (spaces, commas, titles).
    fn from_str(s: &str) -> Result<Approval, String> {
        let expected = "expected ROLE=NAME, for example `legal=Dana Reyes`";
        let (role, name) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}`: {expected}"))?;
        let (role, name) = (role.trim(), name.trim());
        if role.is_empty() || name.is_empty() {
            return Err(format!("`{s}`: {expected}"));
        }
        Ok(Approval {
            role: role.to_string(),
            name: name.to_string(),
        })
    }
}

/// A released version with its archived text.
#[derive(Debug, Clone)]
pub struct Archived {
    /// The manifest entry.
    pub release: Release,
    /// The archived file, relative to the root.
    pub path: PathBuf,
    /// Its Markdown body.
    pub body: Body,
    /// The manifest line of its entry, to point findings about the release at it.
    pub line: usize,
}

/// Fields every kind has.
#[derive(Debug, Clone, Deserialize)]
pub struct Common {
    /// Explicit id (defaults to the file stem).
    pub id: Option<String>,
    /// Explicit kind (defaults to the folder's).
    pub kind: Option<Kind>,
    /// Title; without one, the body's leading `# heading`, else the file name.
    #[serde(default)]
    pub title: String,
    /// One-sentence summary.
    pub summary: Option<String>,
    /// The summary as Hugo, Jekyll and Docusaurus name it: taken as the summary when there is
    /// none (a file written for them often has both).
    pub description: Option<String>,
    /// The owning role.
    pub owner: Option<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Order in navigation (lower first).
    #[serde(default)]
    pub weight: i64,
    /// Free-form data for custom templates.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

/// Keys of [`Common`].
pub const COMMON_FIELDS: &[&str] = &[
    "id",
    "kind",
    "title",
    "summary",
    "description",
    "owner",
    "tags",
    "weight",
    "extra",
];

/// The kind-specific part of an item.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Data {
    /// A page has no fields of its own.
    Page,
    /// A policy.
    Policy(Policy),
    /// A rollout stage.
    Stage(Stage),
    /// A vendor scorecard.
    Scorecard(Scorecard),
    /// A training module.
    Module(Module),
    /// A risk.
    Risk(Risk),
    /// A KPI.
    Kpi(Kpi),
    /// An exception to a policy.
    Exception(Exception),
}

/// `satisfies:` framework id → control ids, as written.
pub type Satisfies = BTreeMap<String, Vec<String>>;

impl Data {
    /// The framework controls the item satisfies (policies, stages, modules and risks can).
    pub fn satisfies(&self) -> Option<&Satisfies> {
        match self {
            Data::Policy(p) => Some(&p.satisfies),
            Data::Stage(s) => Some(&s.satisfies),
            Data::Module(m) => Some(&m.satisfies),
            Data::Risk(r) => Some(&r.satisfies),
            _ => None,
        }
    }

    /// The field names `kind` accepts beyond [`COMMON_FIELDS`].
    pub fn fields(kind: Kind) -> &'static [&'static str] {
        match kind {
            Kind::Page => &[],
            Kind::Policy => &[
                "version",
                "status",
                "approvers",
                "effective",
                "review_every",
                "next_review",
                "classification",
                "applies_to",
                "mitigates",
                "training",
                "legal_review_required",
                "changes",
                "audience",
                "acknowledge",
                "satisfies",
            ],
            Kind::Stage => &[
                "order",
                "duration",
                "scope",
                "decided",
                "entry_criteria",
                "exit_gates",
                "required_policies",
                "required_training",
                "satisfies",
            ],
            Kind::Scorecard => &["vendor", "evaluated", "evaluators", "scores", "decision"],
            Kind::Module => &[
                "audience",
                "duration_minutes",
                "objectives",
                "prerequisites",
                "policies",
                "refresh_every",
                "level",
                "last_reviewed",
                "satisfies",
            ],
            Kind::Risk => &[
                "category",
                "likelihood",
                "impact",
                "residual_likelihood",
                "residual_impact",
                "status",
                "review",
                "mitigations",
                "satisfies",
            ],
            Kind::Exception => &[
                "policy",
                "approved_by",
                "granted",
                "expires",
                "reason",
                "compensating_controls",
                "risk",
                "status",
            ],
            Kind::Kpi => &[
                "unit",
                "direction",
                "pillar",
                "definition",
                "baseline",
                "target",
                "series",
            ],
        }
    }

    /// Whether `kind` requires an `owner`.
    pub fn requires_owner(kind: Kind) -> bool {
        matches!(
            kind,
            Kind::Policy | Kind::Stage | Kind::Risk | Kind::Kpi | Kind::Exception
        )
    }
}

/// Lifecycle of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyStatus {
    /// Being written.
    Draft,
    /// With approvers.
    InReview,
    /// In force.
    Approved,
    /// No longer in force.
    Retired,
}

/// Who may read a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Classification {
    /// Anyone.
    Public,
    /// Employees and contractors.
    Internal,
    /// Named groups only.
    Confidential,
}

/// A policy's own fields.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Policy {
    /// Version of the current text, such as "1.2".
    pub version: Version,
    /// Lifecycle status.
    pub status: PolicyStatus,
    /// Roles that approve it.
    #[serde(default)]
    pub approvers: Vec<String>,
    /// When it takes effect.
    pub effective: Date,
    /// Review cycle.
    pub review_every: Option<Period>,
    /// Explicit next review date.
    pub next_review: Option<Date>,
    /// Readership.
    pub classification: Option<Classification>,
    /// Who it applies to, in words.
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// Risk ids it mitigates.
    #[serde(default)]
    pub mitigates: Vec<String>,
    /// Training module ids that teach it.
    #[serde(default)]
    pub training: Vec<String>,
    /// Whether changes need legal review.
    #[serde(default)]
    pub legal_review_required: bool,
    /// What this version changed.
    pub changes: Option<String>,
    /// Roles that must follow it (role ids); `applies_to` says it in words.
    #[serde(default)]
    pub audience: Vec<String>,
    /// Whether its audience must acknowledge it; unset means yes for an approved policy with an
    /// audience (see [`Policy::needs_acknowledgement`]).
    pub acknowledge: Option<bool>,
    /// Framework id → the ids of its controls this item satisfies.
    #[serde(default)]
    pub satisfies: Satisfies,
}

impl Policy {
    /// Whether readers must acknowledge the policy: only one in force can be, and by default
    /// one with an audience is.
    pub fn needs_acknowledgement(&self) -> bool {
        self.status == PolicyStatus::Approved
            && self.acknowledge.unwrap_or(!self.audience.is_empty())
    }
}

/// A version label, written as a quoted string so `1.10` stays `1.10`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Version(pub String);

impl Version {
    fn parts(&self) -> Vec<u64> {
        self.0.split('.').map(|p| p.parse().unwrap_or(0)).collect()
    }
}

impl Ord for Version {
    /// Numeric, part by part: 1.10 > 1.9, and 1.2 = 1.2.0.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let (mut a, mut b) = (self.parts(), other.parts());
        let n = a.len().max(b.len());
        a.resize(n, 0);
        b.resize(n, 0);
        a.cmp(&b)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Version;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a version in quotes, such as \"1.2\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Version, E> {
                let ok = !v.is_empty()
                    && v.split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
                if ok {
                    Ok(Version(v.to_string()))
                } else {
                    Err(E::custom(format!(
                        "invalid version `{v}`: expected numbers separated by dots, such as \"1.2\""
                    )))
                }
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Version, E> {
                Err(E::custom(format!(
                    "write the version in quotes (version: \"{v}\") so that 1.10 is not read as 1.1"
                )))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Version, E> {
                self.visit_f64(v as f64)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A 1–5 rating (scores, likelihood, impact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Rating(pub u8);

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Rating, D::Error> {
        let n = i64::deserialize(d)?;
        match u8::try_from(n) {
            Ok(n @ 1..=5) => Ok(Rating(n)),
            _ => Err(serde::de::Error::custom(format!(
                "`{n}` is out of range: expected a whole number from 1 to 5"
            ))),
        }
    }
}

/// A rollout stage's own fields.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Stage {
    /// Position in the rollout (1 first).
    pub order: u32,
    /// Planned length.
    pub duration: Option<Period>,
    /// Who and what is in scope.
    pub scope: Option<String>,
    /// When the decision closing the stage was taken: its KPI gates are judged on that date.
    pub decided: Option<Date>,
    /// Conditions to enter the stage.
    pub entry_criteria: Vec<String>,
    /// Conditions to leave it.
    pub exit_gates: Vec<Gate>,
    /// Policy ids in force during the stage.
    #[serde(default)]
    pub required_policies: Vec<String>,
    /// Module ids participants must complete.
    #[serde(default)]
    pub required_training: Vec<String>,
    /// Framework id → the ids of its controls this item satisfies.
    #[serde(default)]
    pub satisfies: Satisfies,
}

/// An exit gate: a KPI threshold or a condition in words.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// The KPI id the gate measures.
    pub kpi: Option<String>,
    /// How the KPI's current value compares with the threshold.
    pub op: Option<Comparison>,
    /// The threshold.
    pub threshold: Option<f64>,
    /// A condition in words.
    pub text: Option<String>,
}

/// A comparison in a gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Comparison {
    /// At most.
    #[serde(rename = "<=")]
    AtMost,
    /// At least.
    #[serde(rename = ">=")]
    AtLeast,
    /// Below.
    #[serde(rename = "<")]
    Below,
    /// Above.
    #[serde(rename = ">")]
    Above,
}

impl Comparison {
    /// Whether `value` satisfies the comparison with `threshold`.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::AtMost => value <= threshold,
            Comparison::AtLeast => value >= threshold,
            Comparison::Below => value < threshold,
            Comparison::Above => value > threshold,
        }
    }
}

/// A scorecard's own fields.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Scorecard {
    /// The vendor's name.
    pub vendor: String,
    /// When it was evaluated.
    pub evaluated: Date,
    /// Roles that evaluated it.
    #[serde(default)]
    pub evaluators: Vec<String>,
    /// Criterion id → score.
    pub scores: BTreeMap<String, Score>,
    /// The outcome.
    pub decision: Option<Decision>,
}

/// One criterion's score.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// 1 (poor) to 5 (excellent).
    pub score: Rating,
    /// What the score rests on.
    pub evidence: Option<String>,
}

/// A vendor decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// Approved.
    Approve,
    /// Approved with conditions.
    Conditional,
    /// Rejected.
    Reject,
}

/// A training module's own fields.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Module {
    /// Roles that take it.
    pub audience: Vec<String>,
    /// Length in minutes.
    pub duration_minutes: u32,
    /// What a participant can do afterwards.
    pub objectives: Vec<String>,
    /// Module ids to complete first.
    #[serde(default)]
    pub prerequisites: Vec<String>,
    /// Policy ids it teaches.
    #[serde(default)]
    pub policies: Vec<String>,
    /// How often it is retaken.
    pub refresh_every: Option<Period>,
    /// Difficulty.
    pub level: Option<Level>,
    /// When the content was last reviewed.
    pub last_reviewed: Option<Date>,
    /// Framework id → the ids of its controls this item satisfies.
    #[serde(default)]
    pub satisfies: Satisfies,
}

/// A module's difficulty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// For everyone.
    Introductory,
    /// Needs practice.
    Intermediate,
    /// For specialists.
    Advanced,
}

/// A risk's own fields.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Risk {
    /// Category.
    pub category: RiskCategory,
    /// Likelihood before mitigation, 1–5.
    pub likelihood: Rating,
    /// Impact before mitigation, 1–5.
    pub impact: Rating,
    /// Likelihood after mitigation.
    pub residual_likelihood: Option<Rating>,
    /// Impact after mitigation.
    pub residual_impact: Option<Rating>,
    /// Treatment status.
    pub status: Option<RiskStatus>,
    /// Next review date.
    pub review: Option<Date>,
    /// Actions that reduce it.
    pub mitigations: Vec<Mitigation>,
    /// Framework id → the ids of its controls this item satisfies.
    #[serde(default)]
    pub satisfies: Satisfies,
}

/// Risk categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskCategory {
    /// Regulatory and contractual.
    Compliance,
    /// Software quality.
    Quality,
    /// Intellectual property.
    Ip,
    /// Security.
    Security,
    /// Operations.
    Operational,
    /// Vendors.
    Vendor,
    /// People and skills.
    People,
}

/// Risk treatment status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskStatus {
    /// Not yet treated.
    Open,
    /// Mitigations under way.
    Mitigating,
    /// Accepted as is.
    Accepted,
    /// No longer relevant.
    Closed,
}

/// One mitigation of a risk.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Mitigation {
    /// What is done.
    pub action: String,
    /// The policy id that enforces it.
    pub policy: Option<String>,
    /// Progress.
    pub status: Option<MitigationStatus>,
}

/// Progress of a mitigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MitigationStatus {
    /// Not started.
    Planned,
    /// Started.
    InProgress,
    /// Done.
    Done,
}

/// A KPI's own fields.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Kpi {
    /// Unit of the values.
    pub unit: String,
    /// Which way is better.
    pub direction: Direction,
    /// Which part of the scorecard it belongs to.
    pub pillar: Option<Pillar>,
    /// How it is measured.
    pub definition: Option<String>,
    /// The value before rollout.
    pub baseline: Point,
    /// The value aimed for.
    pub target: Option<f64>,
    /// Measurements: a list, or a CSV file (date,value) relative to the content folder.
    #[serde(default)]
    pub series: Series,
}

/// Which way a KPI should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Lower is better.
    Down,
    /// Higher is better.
    Up,
}

/// KPI pillars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pillar {
    /// Throughput.
    Productivity,
    /// Correctness.
    Quality,
    /// Exposure.
    Risk,
    /// Spend.
    Cost,
}

/// One measurement.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    /// When.
    pub date: Date,
    /// What.
    pub value: f64,
}

/// A KPI series as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Series {
    /// Points in the front matter.
    Points(Vec<Point>),
    /// A CSV file, replaced by its points when loaded.
    File(PathBuf),
}

impl Default for Series {
    fn default() -> Self {
        Series::Points(Vec::new())
    }
}

impl Series {
    /// The points (empty for a file not loaded).
    pub fn points(&self) -> &[Point] {
        match self {
            Series::Points(p) => p,
            Series::File(_) => &[],
        }
    }
}

/// An exception's own fields: a deviation from a policy clause, held by its `owner` role.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Exception {
    /// The clause it deviates from, as a cross-link: `policy:data-handling#prompt-retention`.
    pub policy: String,
    /// The role that approved it; must be among the policy's approvers.
    pub approved_by: String,
    /// When it was granted.
    pub granted: Date,
    /// When it lapses.
    pub expires: Date,
    /// Why it is needed.
    pub reason: String,
    /// What is done instead while it holds.
    #[serde(default)]
    pub compensating_controls: Vec<String>,
    /// The risk id it bears on.
    pub risk: Option<String>,
    /// Where it stands; approved when not given.
    #[serde(default)]
    pub status: ExceptionStatus,
}

impl Exception {
    /// The policy id and clause anchor of `policy`, when it is written `policy:<id>[#anchor]`.
    pub fn clause(&self) -> Option<(&str, Option<&str>)> {
        let target = self.policy.strip_prefix("policy:")?;
        Some(match target.split_once('#') {
            Some((id, anchor)) => (id, Some(anchor)),
            None => (target, None),
        })
    }
}

/// Where an exception stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionStatus {
    /// Asked for, not yet decided.
    Requested,
    /// Granted and in force until it expires.
    #[default]
    Approved,
    /// Refused.
    Rejected,
    /// Ended before or at its expiry.
    Closed,
}

/// A control framework from `content/frameworks/<id>.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Id used as a key of `satisfies`.
    pub id: String,
    /// Its name.
    pub title: String,
    /// The edition its control ids come from, as the publisher names it.
    pub edition: String,
    /// Where the publisher publishes it.
    pub url: Option<String>,
    /// Its controls, in the publisher's order.
    pub controls: Vec<Control>,
}

/// One control of a framework.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// The id exactly as the publisher numbers it (`GOVERN 1.1`).
    pub id: String,
    /// A short title.
    pub title: String,
}

/// A role from `roles.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Role id used in `owner`, `approvers`, `audience`.
    pub id: String,
    /// Display name.
    pub title: String,
    /// What the role is accountable for.
    #[serde(default)]
    pub responsibilities: Vec<String>,
    /// A longer description.
    pub description: Option<String>,
}

/// A vendor evaluation criterion from `criteria.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Id used as a key of `scores`.
    pub id: String,
    /// Display name.
    pub title: String,
    /// Weight; all weights sum to 100.
    pub weight: u32,
    /// What is assessed.
    pub description: Option<String>,
}
