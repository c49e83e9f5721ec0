//! Values the build computes from front matter: review dates, risk scores, weighted vendor
//! totals, KPI progress and gate status.

use serde::Serialize;

use crate::content::{
    Comparison, Criterion, Data, Direction, Gate, Item, Kpi, Module, Point, Policy, Risk, Scorecard,
};
use crate::date::Date;

/// When a policy is next due for review: `next_review`, else `effective` + `review_every`.
pub fn next_review(policy: &Policy) -> Option<Date> {
    policy
        .next_review
        .or_else(|| policy.review_every.map(|p| policy.effective.plus(p)))
}

/// A risk's inherent and residual scores (likelihood × impact, 1–25).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RiskScore {
    /// Before mitigation.
    pub inherent: u8,
    /// After mitigation (the inherent score when no residual rating is given).
    pub residual: u8,
    /// `low`, `medium`, `high` or `critical`, from the residual score.
    pub level: &'static str,
}

/// Scores a risk.
pub fn risk_score(risk: &Risk) -> RiskScore {
    let inherent = risk.likelihood.0 * risk.impact.0;
    let residual = risk.residual_likelihood.unwrap_or(risk.likelihood).0
        * risk.residual_impact.unwrap_or(risk.impact).0;
    let level = match residual {
        0..=4 => "low",
        5..=9 => "medium",
        10..=15 => "high",
        _ => "critical",
    };
    RiskScore {
        inherent,
        residual,
        level,
    }
}

/// One criterion's line on a scorecard.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreLine {
    /// Criterion id.
    pub id: String,
    /// Criterion title.
    pub title: String,
    /// Its weight (of 100).
    pub weight: u32,
    /// The score, 1–5.
    pub score: u8,
    /// Weighted points: weight × score / 5.
    pub points: f64,
    /// The evidence, if given.
    pub evidence: Option<String>,
}

/// The scorecard's lines in criteria order.
pub fn score_lines(scorecard: &Scorecard, criteria: &[Criterion]) -> Vec<ScoreLine> {
    criteria
        .iter()
        .filter_map(|c| {
            let s = scorecard.scores.get(&c.id)?;
            Some(ScoreLine {
                id: c.id.clone(),
                title: c.title.clone(),
                weight: c.weight,
                score: s.score.0,
                points: f64::from(c.weight) * f64::from(s.score.0) / 5.0,
                evidence: s.evidence.clone(),
            })
        })
        .collect()
}

/// The weighted total out of 100.
pub fn scorecard_total(scorecard: &Scorecard, criteria: &[Criterion]) -> f64 {
    let total: f64 = score_lines(scorecard, criteria)
        .iter()
        .map(|l| l.points)
        .sum();
    (total * 10.0).round() / 10.0
}

/// A KPI's latest value and its progress.
#[derive(Debug, Clone, Serialize)]
pub struct KpiValue {
    /// The latest measurement (the baseline when there is none).
    pub current: f64,
    /// Its date.
    pub date: Date,
    /// Change from the baseline, signed.
    pub change: f64,
    /// Whether the change goes the right way.
    pub improving: bool,
    /// Share of the way from baseline to target, 0–100 (None without a target).
    pub progress: Option<f64>,
}

/// Computes a KPI's current value and progress.
pub fn kpi_value(kpi: &Kpi) -> KpiValue {
    let latest = kpi
        .series
        .points()
        .iter()
        .max_by_key(|p| p.date)
        .copied()
        .unwrap_or(kpi.baseline);
    let change = latest.value - kpi.baseline.value;
    let improving = match kpi.direction {
        Direction::Down => change < 0.0,
        Direction::Up => change > 0.0,
    };
    let progress = kpi.target.and_then(|target| {
        let span = target - kpi.baseline.value;
        (span != 0.0).then(|| (change / span * 100.0).clamp(0.0, 100.0).round())
    });
    KpiValue {
        current: latest.value,
        date: latest.date,
        change,
        improving,
        progress,
    }
}

/// Whether a KPI gate is met, now or on the stage's decision date.
#[derive(Debug, Clone, Serialize)]
pub struct GateStatus {
    /// The KPI value the gate is judged on.
    pub current: f64,
    /// When that value was measured.
    pub date: Date,
    /// Whether the comparison holds.
    pub met: bool,
}

/// Evaluates a KPI gate against the KPI's latest value, or, for a stage decided on `at`, against
/// the latest value measured on or before that date (the baseline when none is). `None` when
/// the gate names no comparison, or when nothing, not even the baseline, was measured by `at`.
pub fn gate_status(gate: &Gate, kpi: &Kpi, at: Option<Date>) -> Option<GateStatus> {
    let (op, threshold): (Comparison, f64) = (gate.op?, gate.threshold?);
    let point = match at {
        None => {
            let v = kpi_value(kpi);
            Point {
                date: v.date,
                value: v.current,
            }
        }
        Some(at) => kpi
            .series
            .points()
            .iter()
            .filter(|p| p.date <= at)
            .max_by_key(|p| p.date)
            .copied()
            .or((kpi.baseline.date <= at).then_some(kpi.baseline))?,
    };
    Some(GateStatus {
        current: point.value,
        date: point.date,
        met: op.holds(point.value, threshold),
    })
}

/// The release of a policy in force on `day`: the newest one released and effective by then.
pub fn in_force(item: &Item, day: Date) -> Option<&crate::content::Archived> {
    item.releases
        .iter()
        .rev()
        .find(|a| a.release.effective <= day && a.release.released <= day)
}

/// The newest release of a policy whose working text or version moved on since, if any; `None`
/// when it has no release or says the same (re-wrapping a paragraph is no change).
pub fn pending_since(item: &Item) -> Option<&crate::content::Version> {
    let Data::Policy(policy) = &item.data else {
        return None;
    };
    let newest = item.releases.last()?;
    let pending =
        policy.version != newest.release.version || item.same_as_releases.last() != Some(&true);
    pending.then_some(&newest.release.version)
}

/// The release since which an acknowledgement of the policy's newest release holds: the newest
/// material release, as an editorial one changes no obligation (the first release otherwise).
/// `None` for a policy never released.
pub fn acknowledged_since(item: &Item) -> Option<&crate::content::Archived> {
    item.releases
        .iter()
        .rev()
        .find(|a| a.release.material)
        .or(item.releases.first())
}

/// The material releases of `policies` made after `module` was last reviewed: each one means the
/// module needs a refresh. Returns (policy item, release version).
pub fn refresh_due<'a>(
    module: &Module,
    policies: impl Iterator<Item = &'a Item>,
) -> Vec<(&'a Item, &'a crate::content::Version)> {
    policies
        .flat_map(|p| p.releases.iter().map(move |a| (p, a)))
        .filter(|(_, a)| {
            a.release.material
                && module
                    .last_reviewed
                    .is_none_or(|reviewed| a.release.released > reviewed)
        })
        .map(|(p, a)| (p, &a.release.version))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Series;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn point(d: &str, value: f64) -> Point {
        Point {
            date: date(d),
            value,
        }
    }

    #[test]
    fn a_decided_stage_is_judged_on_the_values_measured_by_its_decision_date() {
        let kpi = Kpi {
            unit: "hours".into(),
            direction: Direction::Down,
            pillar: None,
            definition: None,
            baseline: point("2026-01-09", 12.0),
            target: None,
            series: Series::Points(vec![
                point("2026-02-28", 10.0),
                point("2026-03-31", 8.0),
                point("2026-04-30", 9.5),
            ]),
        };
        let gate = Gate {
            kpi: Some("k".into()),
            op: Some(Comparison::AtMost),
            threshold: Some(9.0),
            text: None,
        };
        // Today the latest value (9.5) misses the gate...
        let now = gate_status(&gate, &kpi, None).unwrap();
        assert_eq!(
            (now.current, now.date, now.met),
            (9.5, date("2026-04-30"), false)
        );
        // ...but on the decision date the latest measurement was 8.0, which met it.
        let decided = gate_status(&gate, &kpi, Some(date("2026-04-06"))).unwrap();
        assert_eq!(
            (decided.current, decided.date, decided.met),
            (8.0, date("2026-03-31"), true)
        );
        // The baseline stands in before the first measurement, and nothing before it.
        let early = gate_status(&gate, &kpi, Some(date("2026-02-01"))).unwrap();
        assert_eq!((early.current, early.met), (12.0, false));
        assert!(gate_status(&gate, &kpi, Some(date("2025-12-31"))).is_none());
    }
}
