//! A page per control framework: each control with the items that satisfy it, and its gaps.

use serde::Serialize;

use super::context::Link;
use super::{Compiled, OutputFile, layout, render_template, value};
use crate::Error;
use crate::content::{Data, FrameworkFile, PolicyStatus};
use crate::model::Handbook;
use crate::urls;

/// One control and what satisfies it.
#[derive(Serialize)]
struct ControlRow<'a> {
    id: &'a str,
    /// The row's anchor: `govern-1-1` for `GOVERN 1.1`.
    anchor: String,
    title: &'a str,
    /// Approved policies first, then the other items in navigation order.
    items: Vec<Link>,
}

/// The page of `file`'s framework.
pub fn framework_page(
    tera: &Compiled,
    handbook: &Handbook,
    file: &FrameworkFile,
) -> Result<OutputFile, Error> {
    let fw = &file.framework;
    let url = urls::framework(&fw.id);
    let layout = layout(tera, handbook, &url, &fw.title, None, None);
    // Entries are in navigation order; a stable sort keeps it within each rank.
    let mut claims: Vec<(usize, &str, Link)> = handbook
        .entries
        .iter()
        .filter_map(|e| {
            let controls = e.item.data.satisfies()?.get(&fw.id)?;
            let rank = match &e.item.data {
                Data::Policy(p) if p.status == PolicyStatus::Approved => 0,
                Data::Policy(_) => 2,
                _ => 1,
            };
            Some(
                controls
                    .iter()
                    .map(move |c| (rank, c.as_str(), Link::to(e))),
            )
        })
        .flatten()
        .collect();
    claims.sort_by_key(|(rank, _, _)| *rank);
    let rows: Vec<ControlRow> = fw
        .controls
        .iter()
        .map(|c| ControlRow {
            id: &c.id,
            anchor: anchor(&c.id),
            title: &c.title,
            items: claims
                .iter()
                .filter(|(_, id, _)| *id == c.id)
                .map(|(_, _, link)| link.clone())
                .collect(),
        })
        .collect();
    let gaps: Vec<&ControlRow> = rows.iter().filter(|r| r.items.is_empty()).collect();
    let html = render_template(
        tera,
        "framework.html",
        &layout,
        vec![
            ("framework", value(fw)),
            ("controls", value(&rows)),
            ("gaps", value(&gaps)),
        ],
    )?;
    Ok(OutputFile {
        path: url,
        bytes: html.into_bytes(),
    })
}

/// A control id as an anchor: lowercase letters and digits, other runs as one `-`.
pub(super) fn anchor(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}
