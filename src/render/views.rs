//! Governance views computed from the model: vendor comparison, risk heat maps, rollout
//! timeline, training catalogue, KPI dashboard and traceability.

use std::collections::BTreeSet;

use serde::Serialize;

use super::charts::{self, Bar, Placed, Step};
use super::context::{ItemView, Link, root_of};
use super::{Compiled, OutputFile, Vars, layout, render_template, value};
use crate::Error;
use crate::content::{Data, Kind};
use crate::date::Date;
use crate::model::{self, Entry, Handbook};
use crate::urls;

/// Extra variables for a kind's index page, and the order its items are listed in.
pub fn section(handbook: &Handbook, kind: Kind, today: Date) -> (Vars, Vec<usize>) {
    let root = root_of(&urls::section(kind));
    let mut order: Vec<usize> = (0..handbook.entries.len())
        .filter(|&i| {
            let e = &handbook.entries[i];
            e.item.kind == kind && e.url != urls::HOME && handbook.in_navigation(e)
        })
        .collect();
    let vars = match kind {
        Kind::Scorecard => vec![("comparison", value(&comparison(handbook, &root)))],
        Kind::Risk => {
            order.sort_by_key(|&i| match &handbook.entries[i].item.data {
                Data::Risk(r) => {
                    let s = model::risk_score(r);
                    (std::cmp::Reverse(s.residual), std::cmp::Reverse(s.inherent))
                }
                _ => (std::cmp::Reverse(0), std::cmp::Reverse(0)),
            });
            let (inherent, residual, flags) = heat_maps(handbook, &order, &root, today);
            vec![
                ("heat_inherent", value(&inherent)),
                ("heat_residual", value(&residual)),
                ("flags", value(&flags)),
            ]
        }
        Kind::Stage => vec![("timeline", value(&timeline(handbook, &root)))],
        Kind::Module => vec![("catalogue", value(&catalogue(handbook)))],
        Kind::Exception => vec![("register", value(&super::people::register(handbook, today)))],
        _ => Vec::new(),
    };
    (vars, order)
}

/// The vendor matrix: criteria × vendors, best score per row marked, totals ranked.
#[derive(Serialize)]
struct Comparison {
    vendors: Vec<VendorColumn>,
    rows: Vec<CriterionRow>,
    chart: String,
}

#[derive(Serialize)]
struct VendorColumn {
    link: Link,
    total: f64,
    /// `1`, or `=2` for a tie.
    rank: String,
}

#[derive(Serialize)]
struct CriterionRow {
    title: String,
    weight: u32,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Cell {
    score: Option<u8>,
    best: bool,
    evidence: bool,
}

fn comparison(handbook: &Handbook, root: &str) -> Comparison {
    let cards: Vec<(&Entry, &crate::content::Scorecard)> = handbook
        .of_kind(Kind::Scorecard)
        .filter_map(|e| match &e.item.data {
            Data::Scorecard(s) => Some((e, s)),
            _ => None,
        })
        .collect();
    let totals: Vec<f64> = cards
        .iter()
        .map(|(_, s)| model::scorecard_total(s, &handbook.criteria))
        .collect();
    let mut vendors: Vec<VendorColumn> = cards
        .iter()
        .zip(&totals)
        .map(|((e, _), &total)| {
            let better = totals.iter().filter(|&&t| t > total).count();
            let tied = totals.iter().filter(|&&t| t == total).count() > 1;
            VendorColumn {
                link: Link::to(e),
                total,
                rank: format!("{}{}", if tied { "=" } else { "" }, better + 1),
            }
        })
        .collect();
    let rows = handbook
        .criteria
        .iter()
        .map(|c| {
            let scores: Vec<Option<&crate::content::Score>> =
                cards.iter().map(|(_, s)| s.scores.get(&c.id)).collect();
            let best = scores.iter().flatten().map(|s| s.score.0).max();
            CriterionRow {
                title: c.title.clone(),
                weight: c.weight,
                cells: scores
                    .iter()
                    .map(|s| Cell {
                        score: s.map(|s| s.score.0),
                        best: s.is_some_and(|s| Some(s.score.0) == best),
                        evidence: s.is_some_and(|s| s.evidence.is_some()),
                    })
                    .collect(),
            }
        })
        .collect();
    let mut ranked: Vec<Bar> = vendors
        .iter()
        .map(|v| Bar {
            label: v.link.title.clone(),
            value: v.total,
        })
        .collect();
    ranked.sort_by(|a, b| b.value.total_cmp(&a.value));
    let chart = charts::bars("Weighted total of each vendor, out of 100", &ranked, 100.0);
    vendors
        .iter_mut()
        .for_each(|v| v.link.url = format!("{root}{}", v.link.url));
    Comparison {
        vendors,
        rows,
        chart,
    }
}

/// Why a risk is flagged in the register.
#[derive(Serialize)]
struct RiskFlags {
    id: String,
    /// No approved policy mitigates it, as the `risk-above-appetite` rule counts.
    unmitigated: bool,
    /// Its review date has passed.
    review_overdue: bool,
}

fn heat_maps(
    handbook: &Handbook,
    order: &[usize],
    root: &str,
    today: Date,
) -> (String, String, Vec<RiskFlags>) {
    let mut inherent = Vec::new();
    let mut residual = Vec::new();
    let mut flags = Vec::new();
    for (rank, &i) in order.iter().enumerate() {
        let e = &handbook.entries[i];
        let Data::Risk(r) = &e.item.data else {
            continue;
        };
        let place = |likelihood: u8, impact: u8| Placed {
            label: (rank + 1).to_string(),
            title: e.item.common.title.clone(),
            href: format!("{root}{}", e.url),
            likelihood,
            impact,
        };
        inherent.push(place(r.likelihood.0, r.impact.0));
        residual.push(place(
            r.residual_likelihood.unwrap_or(r.likelihood).0,
            r.residual_impact.unwrap_or(r.impact).0,
        ));
        flags.push(RiskFlags {
            id: e.item.id.clone(),
            unmitigated: !handbook.is_mitigated(i),
            review_overdue: r.review.is_some_and(|d| d < today),
        });
    }
    (
        charts::heat_map(
            "Inherent risk: likelihood × impact before mitigation",
            &inherent,
        ),
        charts::heat_map(
            "Residual risk: likelihood × impact after mitigation",
            &residual,
        ),
        flags,
    )
}

fn timeline(handbook: &Handbook, root: &str) -> String {
    let steps: Vec<Step> = handbook
        .of_kind(Kind::Stage)
        .filter_map(|e| match &e.item.data {
            Data::Stage(s) => Some(Step {
                label: e.item.common.title.clone(),
                duration: s
                    .duration
                    .map_or_else(|| "open-ended".to_string(), |d| d.to_string()),
                href: format!("{root}{}", e.url),
                gates_met: ItemView::new(handbook, e)
                    .gates
                    .iter()
                    .flatten()
                    .all(|g| g.met),
            }),
            _ => None,
        })
        .collect();
    charts::timeline("Rollout stages in order", &steps)
}

/// Modules for one audience, prerequisites first.
#[derive(Serialize)]
struct AudienceModules {
    role: String,
    role_id: String,
    modules: Vec<super::people::ModuleLine>,
}

fn catalogue(handbook: &Handbook) -> Vec<AudienceModules> {
    let order = handbook.prerequisite_order();
    handbook
        .roles
        .iter()
        .filter_map(|role| {
            let modules = super::people::training(handbook, &order, &role.id);
            (!modules.is_empty()).then(|| AudienceModules {
                role: role.title.clone(),
                role_id: role.id.clone(),
                modules,
            })
        })
        .collect()
}

/// A KPI tile on the dashboard.
#[derive(Serialize)]
struct Tile {
    link: Link,
    unit: String,
    current: f64,
    baseline: f64,
    target: Option<f64>,
    direction: &'static str,
    improving: bool,
    progress: Option<f64>,
    sparkline: String,
}

/// The dashboard's KPI groups.
#[derive(Serialize)]
struct Pillar {
    title: &'static str,
    tiles: Vec<Tile>,
}

/// The executive dashboard: KPI tiles by pillar, productivity and quality first and side by side,
/// and the exceptions register's counts as of `today`.
pub fn dashboard(tera: &Compiled, handbook: &Handbook, today: Date) -> Result<OutputFile, Error> {
    use crate::content::Pillar as P;
    let pillars = [
        (Some(P::Productivity), "Productivity"),
        (Some(P::Quality), "Quality"),
        (Some(P::Risk), "Risk"),
        (Some(P::Cost), "Cost"),
        (None, "Other"),
    ];
    let groups: Vec<Pillar> = pillars
        .iter()
        .map(|(pillar, title)| Pillar {
            title,
            tiles: handbook
                .of_kind(Kind::Kpi)
                .filter_map(|e| match &e.item.data {
                    Data::Kpi(k) if k.pillar == *pillar => {
                        let v = model::kpi_value(k);
                        let values: Vec<f64> = std::iter::once(k.baseline.value)
                            .chain(k.series.points().iter().map(|p| p.value))
                            .collect();
                        Some(Tile {
                            link: Link::to(e),
                            unit: k.unit.clone(),
                            current: v.current,
                            baseline: k.baseline.value,
                            target: k.target,
                            direction: match k.direction {
                                crate::content::Direction::Down => "lower is better",
                                crate::content::Direction::Up => "higher is better",
                            },
                            improving: v.improving,
                            progress: v.progress,
                            sparkline: charts::sparkline(
                                &format!("{} from baseline to latest", e.item.common.title),
                                &values,
                                k.target,
                            ),
                        })
                    }
                    _ => None,
                })
                .collect(),
        })
        .filter(|g| !g.tiles.is_empty())
        .collect();
    let html = render_template(
        tera,
        "dashboard.html",
        &layout(
            tera,
            handbook,
            urls::DASHBOARD,
            "Executive dashboard",
            Some(Kind::Kpi),
            None,
        ),
        vec![
            ("pillars", value(&groups)),
            // The register's sections with their counts, when the handbook has exceptions.
            (
                "exceptions",
                value(&if handbook.of_kind(Kind::Exception).next().is_some() {
                    super::people::register(handbook, today)
                } else {
                    Vec::new()
                }),
            ),
        ],
    )?;
    Ok(OutputFile {
        path: urls::DASHBOARD.into(),
        bytes: html.into_bytes(),
    })
}

/// One row of the traceability matrix.
#[derive(Serialize)]
struct Trace {
    risk: Link,
    level: &'static str,
    policies: Vec<Link>,
    training: Vec<Link>,
    stages: Vec<Link>,
    kpis: Vec<Link>,
    /// Framework controls the risk or its mitigating policies satisfy, as `framework control`
    /// links to the framework page's row.
    controls: Vec<Link>,
}

/// The traceability page: risk → policies → training → stages and KPIs, with the gaps.
pub fn traceability(tera: &Compiled, handbook: &Handbook) -> Result<OutputFile, Error> {
    let links = |ids: BTreeSet<usize>| -> Vec<Link> {
        ids.into_iter()
            .map(|i| Link::to(&handbook.entries[i]))
            .collect()
    };
    let mut rows = Vec::new();
    for (i, e) in handbook.entries.iter().enumerate() {
        let Data::Risk(r) = &e.item.data else {
            continue;
        };
        let policies: BTreeSet<usize> = handbook.mitigating_policies(i).into_iter().collect();
        let training: BTreeSet<usize> = policies
            .iter()
            .flat_map(|&p| handbook.teaching_modules(p))
            .collect();
        let stages: BTreeSet<usize> = policies
            .iter()
            .flat_map(|&p| handbook.stages_requiring(p))
            .collect();
        let kpis: BTreeSet<usize> = stages
            .iter()
            .filter_map(|&s| match &handbook.entries[s].item.data {
                Data::Stage(st) => Some(
                    st.exit_gates
                        .iter()
                        .filter_map(|g| handbook.get(g.kpi.as_deref()?))
                        .map(|k| handbook.index_of(k))
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            })
            .flatten()
            .collect();
        let mut controls: Vec<Link> = std::iter::once(i)
            .chain(policies.iter().copied())
            .filter_map(|j| handbook.entries[j].item.data.satisfies())
            .flat_map(|sat| sat.iter())
            .flat_map(|(fw, ids)| {
                ids.iter().map(move |id| Link {
                    title: id.clone(),
                    url: format!("{}#{}", urls::framework(fw), super::frameworks::anchor(id)),
                    kind: fw.clone(),
                })
            })
            .collect();
        controls.sort_by(|a, b| (&a.kind, &a.url).cmp(&(&b.kind, &b.url)));
        controls.dedup_by(|a, b| a.url == b.url);
        rows.push(Trace {
            risk: Link::to(e),
            level: model::risk_score(r).level,
            policies: links(policies),
            training: links(training),
            stages: links(stages),
            kpis: links(kpis),
            controls,
        });
    }
    let mut gaps: Vec<String> = Vec::new();
    for row in rows
        .iter()
        .filter(|r| r.policies.is_empty() && matches!(r.level, "high" | "critical"))
    {
        gaps.push(format!(
            "Risk “{}” is {} and no policy mitigates it.",
            row.risk.title, row.level
        ));
    }
    for (i, p) in handbook
        .entries
        .iter()
        .enumerate()
        .filter(|(_, p)| p.item.kind == Kind::Policy)
    {
        if handbook.teaching_modules(i).is_empty() {
            gaps.push(format!(
                "Policy “{}” is not covered by any training module.",
                p.item.common.title
            ));
        }
    }
    for s in handbook.of_kind(Kind::Stage) {
        if let Data::Stage(st) = &s.item.data {
            for kpi in st
                .exit_gates
                .iter()
                .filter_map(|g| handbook.get(g.kpi.as_deref()?))
            {
                if matches!(&kpi.item.data, Data::Kpi(k) if k.series.points().is_empty()) {
                    gaps.push(format!(
                        "Stage “{}” gates on “{}”, which has no measurements yet.",
                        s.item.common.title, kpi.item.common.title
                    ));
                }
            }
        }
    }
    let html = render_template(
        tera,
        "traceability.html",
        &layout(
            tera,
            handbook,
            urls::TRACEABILITY,
            "Traceability",
            Some(Kind::Risk),
            None,
        ),
        vec![("rows", value(&rows)), ("gaps", value(&gaps))],
    )?;
    Ok(OutputFile {
        path: urls::TRACEABILITY.into(),
        bytes: html.into_bytes(),
    })
}
