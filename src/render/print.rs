//! The printed handbook: `print.html` with every page in navigation order, and the document
//! control block that opens each printed policy (there and on the policy's own page in print).

use rayon::prelude::*;
use serde::Serialize;

use super::{Compiled, OutputFile, layout, render_document, render_template, value};
use crate::Error;
use crate::content::{Classification, Data, PolicyStatus};
use crate::diff::Approver;
use crate::markdown::{self, Heading, Parsed, Renderer};
use crate::model::approvers;
use crate::model::{Entry, Handbook, next_review};
use crate::urls;

/// What an auditor looks for first on a printed policy.
#[derive(Serialize)]
pub struct Control<'a> {
    /// The policy's id.
    pub id: &'a str,
    /// The version of this text.
    pub version: &'a str,
    /// Its status.
    pub status: PolicyStatus,
    /// The owning role's title.
    pub owner: Option<String>,
    /// Approver roles by title, with who signed this version when its release records it.
    pub approvers: Vec<Approver>,
    /// When it takes effect.
    pub effective: String,
    /// When it is next reviewed.
    pub next_review: Option<String>,
    /// Who may read it.
    pub classification: Option<Classification>,
    /// The sha256 of the approved text when this text is a release; else of its source file.
    pub sha256: String,
    /// What the sha256 is of.
    pub sha256_of: String,
}

/// The document control block of a policy's current text (`None` for other kinds).
pub fn control<'a>(handbook: &Handbook, entry: &'a Entry) -> Option<Control<'a>> {
    let item = &entry.item;
    let Data::Policy(policy) = &item.data else {
        return None;
    };
    // The current text is a release when its version and wording are that release's.
    let released = item
        .releases
        .iter()
        .zip(&item.same_as_releases)
        .rev()
        .find(|(a, _)| a.release.version == policy.version)
        .filter(|(_, same)| **same)
        .map(|(a, _)| a);
    let (sha256, sha256_of, signed) = match released {
        Some(a) => (
            a.release.sha256.clone(),
            format!("the approved text of version {}", a.release.version),
            a.release.approved_by.as_slice(),
        ),
        None => (
            handbook
                .sources
                .get(&item.path)
                .cloned()
                .unwrap_or_default(),
            "the working file: this text is not released".to_string(),
            &[][..],
        ),
    };
    Some(Control {
        id: &item.id,
        version: &policy.version.0,
        status: policy.status,
        owner: item.common.owner.as_deref().map(|o| {
            handbook
                .role(o)
                .map_or_else(|| o.to_string(), |r| r.title.clone())
        }),
        approvers: approvers(handbook, &policy.approvers, signed),
        effective: policy.effective.to_string(),
        next_review: next_review(policy).map(|d| d.to_string()),
        classification: policy.classification,
        sha256,
        sha256_of,
    })
}

/// One page of the printed handbook, as `print-page.html` shows it.
#[derive(Serialize)]
struct Printed<'a> {
    /// The anchor of its part of print.html.
    anchor: String,
    title: &'a str,
    kind: &'static str,
    control: Option<Control<'a>>,
    content: String,
}

/// Where the pages' parts go in the frame `print.html` renders.
const SECTIONS: &str = "<!--policybook:print-sections-->";

/// Pages whose parts are rendered side by side and then appended: enough to keep every core
/// busy, few enough that only print.html holds every page's text.
const BATCH: usize = 128;

/// `print.html` whole: every page of the current handbook in navigation order (see [`frame`]
/// and [`parts`]).
pub fn print(tera: &Compiled, md: &Renderer, handbook: &Handbook) -> Result<OutputFile, Error> {
    let (mut html, tail) = frame(tera, handbook)?;
    let all: Vec<usize> = (0..handbook.entries.len()).collect();
    for batch in all.chunks(BATCH) {
        html.push_str(&parts(tera, md, handbook, batch)?);
    }
    html.push_str(&tail);
    Ok(OutputFile {
        path: urls::PRINT.into(),
        bytes: html.into_bytes(),
    })
}

/// What `print.html` shows before the pages' parts (its table of contents) and after them.
/// Heading anchors are prefixed with the page's id, since many pages share section names.
pub fn frame(tera: &Compiled, handbook: &Handbook) -> Result<(String, String), Error> {
    #[derive(Serialize)]
    struct Contents<'a> {
        anchor: String,
        title: &'a str,
    }
    let contents: Vec<Contents> = handbook
        .entries
        .iter()
        .map(|e| Contents {
            anchor: anchor(e),
            title: &e.item.common.title,
        })
        .collect();
    let title = format!("{} (print)", handbook.config.book.title);
    let frame = render_template(
        tera,
        "print.html",
        &layout(tera, handbook, urls::PRINT, &title, None, None),
        vec![("pages", value(&contents)), ("sections", value(SECTIONS))],
    )?;
    let (head, tail) = frame.split_once(SECTIONS).ok_or_else(|| {
        Error::Template("print.html: the template must show `{{ sections | safe }}`".into())
    })?;
    Ok((head.to_string(), tail.to_string()))
}

/// The parts of `print.html` of `entries` (indices into `handbook.entries`), in their order,
/// each policy opening with its document control block; rendered side by side.
fn parts(
    tera: &Compiled,
    md: &Renderer,
    handbook: &Handbook,
    entries: &[usize],
) -> Result<String, Error> {
    let parts: Vec<String> = entries
        .par_iter()
        .map(|&i| {
            let entry = &handbook.entries[i];
            let text = entry.item.body.text()?;
            part(tera, md, handbook, entry, &markdown::parse(&text))
        })
        .collect::<Result<_, _>>()?;
    Ok(parts.concat())
}

/// The anchor of `entry`'s part of print.html.
fn anchor(entry: &Entry) -> String {
    format!("print-{}", entry.item.id)
}

/// `entry`'s part of print.html; `source` is its text.
pub fn part(
    tera: &Compiled,
    md: &Renderer,
    handbook: &Handbook,
    entry: &Entry,
    source: &Parsed,
) -> Result<String, Error> {
    let item = &entry.item;
    let anchor = anchor(entry);
    let headings: Vec<Heading> = entry
        .headings
        .iter()
        .map(|h| Heading {
            id: format!("{anchor}-{}", h.id),
            ..h.clone()
        })
        .collect();
    // A link within the page leads to its part of print.html.
    let content = md.render(source, &headings, &|dest| {
        let url = entry.links.get(dest).map_or(dest, String::as_str);
        match url.strip_prefix('#') {
            // "#" (the top) and the title's anchor lead to the start of its part.
            Some(within) if within.is_empty() || item.title_anchor.as_deref() == Some(within) => {
                Some(format!("#{anchor}"))
            }
            Some(within) => Some(format!("#{anchor}-{within}")),
            None => entry
                .links
                .get(dest)
                .cloned()
                .or_else(|| from_top(&entry.url, dest)),
        }
    });
    let printed = Printed {
        title: &item.common.title,
        kind: item.kind.name(),
        control: control(handbook, entry),
        content,
        anchor,
    };
    render_document(tera, "print-page.html", vec![("p", value(&printed))])
}

/// `dest`, a link the author wrote relative to the page at `page_url` (to a generated page such
/// as `../dashboard.html`), as seen from the site's top, where print.html is. `None` for
/// addresses with a scheme, absolute paths, and links that climb above the site.
fn from_top(page_url: &str, dest: &str) -> Option<String> {
    if dest.contains(':') || dest.starts_with('/') {
        return None;
    }
    let split = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(split);
    if path.is_empty() {
        return None;
    }
    let folder = std::path::Path::new(page_url).parent()?;
    let path = crate::content::normalize(&folder.join(path))?;
    Some(format!(
        "{}{rest}",
        path.to_string_lossy().replace('\\', "/")
    ))
}

#[cfg(test)]
mod tests {
    use super::from_top;

    #[test]
    fn a_link_written_from_a_page_is_rebased_to_the_top() {
        let rebased = |dest| from_top("guide/reporting.html", dest);
        assert_eq!(
            rebased("../dashboard.html").as_deref(),
            Some("dashboard.html")
        );
        assert_eq!(
            rebased("img/chart.png?v=2").as_deref(),
            Some("guide/img/chart.png?v=2")
        );
        assert_eq!(
            rebased("../kpis/index.html#cycle-time").as_deref(),
            Some("kpis/index.html#cycle-time")
        );
        assert_eq!(
            from_top("index.html", "guide/setup.html").as_deref(),
            Some("guide/setup.html")
        );
        for kept in [
            "https://example.com/a",
            "mailto:a@example.com",
            "/static/x.css",
            "../../outside.html",
        ] {
            assert_eq!(rebased(kept), None, "{kept}");
        }
    }
}
