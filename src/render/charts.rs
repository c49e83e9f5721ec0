//! SVG charts made at build time: readable without JavaScript, each with a title and a
//! description for screen readers. Every chart is shown next to a table with the same data.

use std::fmt::Write;

use crate::markdown::escape;

/// One bar of a horizontal bar chart.
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// Value (0..=max).
    pub value: f64,
}

/// A horizontal bar chart of values out of `max`.
pub fn bars(title: &str, bars: &[Bar], max: f64) -> String {
    let (label_w, bar_w, row_h) = (170.0, 360.0, 30.0);
    let height = row_h * bars.len() as f64 + 10.0;
    let desc: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, number(b.value)))
        .collect();
    let mut svg = open(label_w + bar_w + 60.0, height, title, &desc.join("; "));
    for (i, b) in bars.iter().enumerate() {
        let y = 5.0 + i as f64 * row_h;
        let w = if max > 0.0 {
            (b.value / max).clamp(0.0, 1.0) * bar_w
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text><rect x="{label_w}" y="{}" width="{w:.1}" height="{}" class="chart-bar"/><text x="{}" y="{}" class="chart-value">{}</text>"#,
            label_w - 8.0,
            y + row_h / 2.0 + 4.0,
            escape(&b.label),
            y + 4.0,
            row_h - 10.0,
            label_w + w + 6.0,
            y + row_h / 2.0 + 4.0,
            number(b.value)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A risk placed on the heat map.
pub struct Placed {
    /// Short label (its rank in the register).
    pub label: String,
    /// Full title, for the tooltip.
    pub title: String,
    /// Link to the risk, relative to the page.
    pub href: String,
    /// 1–5.
    pub likelihood: u8,
    /// 1–5.
    pub impact: u8,
}

/// A 5×5 likelihood × impact grid; each risk is a linked marker in its cell.
pub fn heat_map(title: &str, risks: &[Placed]) -> String {
    let (cell, left, top) = (64.0, 90.0, 10.0);
    let desc: Vec<String> = risks
        .iter()
        .map(|r| {
            format!(
                "{} likelihood {} impact {}",
                r.title, r.likelihood, r.impact
            )
        })
        .collect();
    let mut svg = open_linked(
        left + cell * 5.0 + 10.0,
        top + cell * 5.0 + 50.0,
        title,
        &desc.join("; "),
    );
    for likelihood in 1..=5u8 {
        for impact in 1..=5u8 {
            let x = left + f64::from(impact - 1) * cell;
            let y = top + f64::from(5 - likelihood) * cell;
            let band = match likelihood * impact {
                0..=4 => "low",
                5..=9 => "medium",
                10..=15 => "high",
                _ => "critical",
            };
            let _ = write!(
                svg,
                r#"<rect x="{x}" y="{y}" width="{cell}" height="{cell}" class="heat heat-{band}"/>"#
            );
            let here: Vec<&Placed> = risks
                .iter()
                .filter(|r| r.likelihood == likelihood && r.impact == impact)
                .collect();
            for (k, r) in here.iter().enumerate() {
                let (cx, cy) = (
                    x + 14.0 + (k % 3) as f64 * 18.0,
                    y + 16.0 + (k / 3) as f64 * 18.0,
                );
                let _ = write!(
                    svg,
                    r#"<a href="{}"><title>{}</title><circle cx="{cx}" cy="{cy}" r="8" class="heat-marker"/><text x="{cx}" y="{}" text-anchor="middle" class="heat-label">{}</text></a>"#,
                    escape(&r.href),
                    escape(&r.title),
                    cy + 3.5,
                    escape(&r.label)
                );
            }
        }
    }
    for n in 1..=5u8 {
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end" class="chart-label">{n}</text><text x="{}" y="{}" text-anchor="middle" class="chart-label">{n}</text>"#,
            left - 8.0,
            top + f64::from(5 - n) * cell + cell / 2.0 + 4.0,
            left + f64::from(n - 1) * cell + cell / 2.0,
            top + 5.0 * cell + 16.0
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle" class="chart-axis">Impact →</text><text x="14" y="{}" class="chart-axis" transform="rotate(-90 14 {})" text-anchor="middle">Likelihood →</text></svg>"#,
        left + 2.5 * cell,
        top + 5.0 * cell + 38.0,
        top + 2.5 * cell,
        top + 2.5 * cell
    );
    svg
}

/// A small line of a series, with the target as a dashed line when given.
pub fn sparkline(title: &str, values: &[f64], target: Option<f64>) -> String {
    let (w, h, pad) = (160.0, 40.0, 4.0);
    let all: Vec<f64> = values.iter().copied().chain(target).collect();
    let (lo, hi) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let y = |v: f64| pad + (hi - v) / span * (h - 2.0 * pad);
    let x = |i: usize| {
        if values.len() > 1 {
            pad + i as f64 * (w - 2.0 * pad) / (values.len() - 1) as f64
        } else {
            w / 2.0
        }
    };
    let desc = values
        .iter()
        .map(|v| number(*v))
        .collect::<Vec<_>>()
        .join(", ");
    let mut svg = open(w, h, title, &desc);
    if let Some(t) = target {
        let _ = write!(
            svg,
            r#"<line x1="0" x2="{w}" y1="{0:.1}" y2="{0:.1}" class="spark-target"/>"#,
            y(t)
        );
    }
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    let _ = write!(
        svg,
        r#"<polyline points="{}" class="spark-line"/>"#,
        points.join(" ")
    );
    if let Some((i, v)) = values.iter().enumerate().next_back() {
        let _ = write!(
            svg,
            r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" class="spark-dot"/>"#,
            x(i),
            y(*v)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One stage on the rollout timeline.
pub struct Step {
    /// Stage title.
    pub label: String,
    /// Its duration in words.
    pub duration: String,
    /// Link to the stage, relative to the page.
    pub href: String,
    /// Whether every KPI gate of the stage is met.
    pub gates_met: bool,
}

/// The rollout stages left to right, in order.
pub fn timeline(title: &str, steps: &[Step]) -> String {
    let (box_w, gap, h) = (190.0, 30.0, 70.0);
    let width = steps.len() as f64 * (box_w + gap) + 4.0;
    let desc: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {} ({})", i + 1, s.label, s.duration))
        .collect();
    let mut svg = open_linked(width.max(1.0), h + 10.0, title, &desc.join("; "));
    for (i, s) in steps.iter().enumerate() {
        let x = 2.0 + i as f64 * (box_w + gap);
        let _ = write!(
            svg,
            r#"<a href="{}"><rect x="{x}" y="5" width="{box_w}" height="{h}" rx="8" class="step{}"/><text x="{}" y="32" text-anchor="middle" class="step-title">{}. {}</text><text x="{}" y="54" text-anchor="middle" class="chart-label">{}{}</text></a>"#,
            escape(&s.href),
            if s.gates_met { " step-met" } else { "" },
            x + box_w / 2.0,
            i + 1,
            escape(&s.label),
            x + box_w / 2.0,
            escape(&s.duration),
            if s.gates_met {
                " · gates met"
            } else {
                " · gates open"
            }
        );
        if i + 1 < steps.len() {
            let _ = write!(
                svg,
                r#"<path d="M{} {} l{} 0" class="step-arrow"/>"#,
                x + box_w + 4.0,
                5.0 + h / 2.0,
                gap - 10.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn open(width: f64, height: f64, title: &str, desc: &str) -> String {
    open_as("img", width, height, title, desc)
}

/// A chart whose marks are links: an `img` would hide them from assistive technology (its
/// children are presentational), so it is a named group whose links stay reachable.
fn open_linked(width: f64, height: f64, title: &str, desc: &str) -> String {
    open_as("group", width, height, title, desc)
}

fn open_as(role: &str, width: f64, height: f64, title: &str, desc: &str) -> String {
    format!(
        r#"<svg class="chart" role="{role}" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg"><title>{}</title><desc>{}</desc>"#,
        escape(title),
        escape(desc)
    )
}

/// A number as people write it: `64` rather than `64.0`, at most two decimals.
pub fn number(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        rounded.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_map_places_risks_in_their_cell() {
        let svg = heat_map(
            "Inherent",
            &[Placed {
                label: "1".into(),
                title: "Leak".into(),
                href: "r.html".into(),
                likelihood: 4,
                impact: 5,
            }],
        );
        // Impact 5 is the fifth column (x = 90 + 4 × 64), likelihood 4 the second row (y = 10 + 64).
        assert!(svg.contains(r#"<rect x="346" y="74" width="64" height="64" class="heat heat-critical"/><a href="r.html"><title>Leak</title><circle cx="360" cy="90""#), "{svg}");

        // Its markers are links, which an `img` role would hide from assistive technology.
        assert!(
            svg.starts_with(r#"<svg class="chart" role="group""#),
            "{svg}"
        );
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(number(64.0), "64");
        assert_eq!(number(2.956), "2.96");
    }
}
