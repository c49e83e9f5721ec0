//! KPI series: a KPI's `series: file.csv` replaced by the file's dated values.

use std::path::Path;

use super::files::{decode, relative, sha256_hex};
use super::{Data, Item, Loaded, Point, Series};
use crate::diagnostic::{Diagnostic, Rule};

/// Replaces a KPI's `series: file.csv` with the file's points.
pub(super) fn load_series(root: &Path, src: &Path, item: &mut Item, loaded: &mut Loaded) {
    let Data::Kpi(kpi) = &mut item.data else {
        return;
    };
    let Series::File(file) = &kpi.series else {
        return;
    };
    let (line, col) = item.front.locate("series");
    if file
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        loaded.diagnostics.push(Diagnostic::new(
            Rule::InvalidContent,
            &item.path,
            line,
            col,
            format!(
                "series file `{}` must be a relative path inside the content folder",
                file.display()
            ),
        ));
        return;
    }
    let path = src.join(file);
    let rel = relative(root, &path);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match decode(&bytes, &rel) {
            Ok(text) => text,
            Err(d) => {
                loaded.diagnostics.push(d);
                return;
            }
        },
        Err(e) => {
            loaded.diagnostics.push(Diagnostic::new(
                Rule::InvalidContent,
                &item.path,
                line,
                col,
                format!("cannot read series file `{}`: {e}", file.display()),
            ));
            return;
        }
    };
    loaded
        .sources
        .insert(rel.clone(), sha256_hex(text.as_bytes()));
    match parse_csv(&rel, &text) {
        Ok(points) => kpi.series = Series::Points(points),
        Err(d) => loaded.diagnostics.push(d),
    }
}

/// Parses a `date,value` CSV with a header line.
pub fn parse_csv(rel: &Path, text: &str) -> Result<Vec<Point>, Diagnostic> {
    let mut points = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if i == 0 {
            if line.replace(' ', "") != "date,value" {
                return Err(Diagnostic::new(
                    Rule::InvalidContent,
                    rel,
                    1,
                    1,
                    format!("expected the header `date,value`, found `{line}`"),
                ));
            }
            continue;
        }
        let Some((date, value)) = line.split_once(',') else {
            return Err(Diagnostic::new(
                Rule::InvalidContent,
                rel,
                line_no,
                1,
                format!("expected `date,value`, found `{line}`"),
            ));
        };
        let date = date
            .trim()
            .parse()
            .map_err(|e: String| Diagnostic::new(Rule::InvalidContent, rel, line_no, 1, e))?;
        let value = value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                Diagnostic::new(
                    Rule::InvalidContent,
                    rel,
                    line_no,
                    line.find(',').unwrap_or(0) + 2,
                    format!("expected a number, found `{}`", value.trim()),
                )
            })?;
        points.push(Point { date, value });
    }
    Ok(points)
}
