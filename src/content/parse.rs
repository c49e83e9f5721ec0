//! One Markdown file → an [`Item`]: front matter by kind, a plain page's title from its first
//! heading, ids from file names.

use std::path::Path;

use super::front_matter;
use super::{Body, COMMON_FIELDS, Common, Data, Item, Kind};
use crate::diagnostic::{Diagnostic, Rule};
use crate::markdown;

/// Parses one Markdown file; `default_kind` comes from its folder.
pub fn parse_item(rel: &Path, text: &str, default_kind: Kind) -> Result<Item, Vec<Diagnostic>> {
    let split = front_matter::split(rel, text).map_err(|d| vec![d])?;
    let front = split.front;
    // Plain Markdown (no fields) is a page wherever it is, as in mdBook.
    let default_kind = if front.is_empty() {
        Kind::Page
    } else {
        default_kind
    };
    // Common fields first (unknown keys tolerated) to learn the kind, then every key is checked.
    let common: Common = match front.parse(rel) {
        Ok(common) => common,
        Err(d) => {
            let mut errors = match front.check_keys(rel, &known_fields(default_kind)) {
                Err(unknown)
                    if unknown
                        .iter()
                        .all(|u| u.message.starts_with("unknown field")) =>
                {
                    unknown
                }
                _ => Vec::new(),
            };
            errors.push(d);
            return Err(errors);
        }
    };
    let mut common = common;
    if common.summary.is_none() {
        common.summary = common.description.take();
    }
    // A folder's README.md or index.md introduces the folder, as in mdBook: a page, not an item
    // of the folder's kind, unless `kind:` says so.
    let intro = default_kind != Kind::Page && is_folder_intro(rel);
    let kind = common
        .kind
        .unwrap_or(if intro { Kind::Page } else { default_kind });
    let (foreign, mut errors) = match front.check_keys(rel, &known_fields(kind)) {
        Ok(foreign) => (foreign, Vec::new()),
        Err(errors) => (Vec::new(), errors),
    };
    if intro && common.kind.is_none() {
        let fields = known_fields(default_kind);
        for e in &mut errors {
            if fields
                .iter()
                .any(|f| e.message == format!("unknown field `{f}`"))
            {
                e.help = Some(format!(
                    "`{}` introduces its folder and is read as a page; add `kind: {default_kind}` if it is meant to be one",
                    rel.file_name().unwrap_or_default().to_string_lossy()
                ));
            }
        }
    }

    let id = common
        .id
        .clone()
        .unwrap_or_else(|| id_from_stem(&stem(rel)));
    if !is_valid_id(&id) {
        let (line, col) = if common.id.is_some() {
            front.locate("id")
        } else {
            (1, 1)
        };
        errors.push(
            Diagnostic::new(
                Rule::InvalidId,
                rel,
                line,
                col,
                format!("invalid id `{id}`: use lowercase letters, digits and `-`"),
            )
            .with_help(if common.id.is_some() {
                "change the `id:` field"
            } else {
                "rename the file or set `id:`"
            }),
        );
    }
    if Data::requires_owner(kind) && common.owner.is_none() {
        errors.push(Diagnostic::new(
            Rule::InvalidContent,
            rel,
            front.first_line,
            1,
            format!("missing field `owner`: every {kind} names its owning role"),
        ));
    }
    let data = match kind {
        Kind::Page => Ok(Data::Page),
        Kind::Policy => front.parse(rel).map(Data::Policy),
        Kind::Stage => front.parse(rel).map(Data::Stage),
        Kind::Scorecard => front.parse(rel).map(Data::Scorecard),
        Kind::Module => front.parse(rel).map(Data::Module),
        Kind::Risk => front.parse(rel).map(Data::Risk),
        Kind::Kpi => front.parse(rel).map(Data::Kpi),
        Kind::Exception => front.parse(rel).map(Data::Exception),
    };
    let data = match data {
        Ok(data) => data,
        Err(d) => {
            errors.push(d);
            Data::Page
        }
    };
    if let Data::Policy(p) = &data
        && p.review_every.is_none()
        && p.next_review.is_none()
    {
        errors.push(
            Diagnostic::new(
                Rule::InvalidContent,
                rel,
                front.first_line,
                1,
                "missing review cycle: a policy needs `review_every` or `next_review`",
            )
            .with_help("for example `review_every: 12 months`"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let titled = strip_title_heading(split.body, &common.title);
    if common.title.trim().is_empty() {
        common.title = titled
            .heading
            .clone()
            .unwrap_or_else(|| title_from_stem(&stem(rel)));
    }
    Ok(Item {
        id,
        kind,
        common,
        data,
        path: rel.to_path_buf(),
        front,
        body: Body::within(text, titled.body),
        outline: markdown::scan(titled.body, false),
        body_line: split.body_line + titled.lines,
        title_anchor: titled.anchor,
        chapter: None,
        releases: Vec::new(),
        same_as_releases: Vec::new(),
        foreign,
    })
}

/// A body whose leading `# heading` repeats the title (or stands for a missing one), without it.
#[derive(Debug, PartialEq)]
pub(super) struct Titled<'a> {
    /// The text of the leading heading, when the body starts with one.
    pub(super) heading: Option<String>,
    /// The heading's anchor, when it was taken out.
    pub(super) anchor: Option<String>,
    /// The body without it.
    pub(super) body: &'a str,
    /// Lines taken out.
    pub(super) lines: usize,
}

/// Takes a leading level-1 ATX heading out of `body` when it is the title (`title` is empty or
/// the same text): imported Markdown starts with its title, and the page shows the title itself.
pub(super) fn strip_title_heading<'a>(body: &'a str, title: &str) -> Titled<'a> {
    let untouched = Titled {
        heading: None,
        anchor: None,
        body,
        lines: 0,
    };
    let blank = body.len() - body.trim_start_matches(['\n', ' ', '\t']).len();
    let blank = body[..blank].rfind('\n').map_or(0, |i| i + 1);
    let rest = &body[blank..];
    let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let line = &rest[..line_end];
    if !line.starts_with("# ") {
        return untouched;
    }
    let Some(heading) = markdown::scan(line, false).headings.into_iter().next() else {
        return untouched;
    };
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    if !title.trim().is_empty() && !same(&heading.text, title) {
        return Titled {
            heading: Some(heading.text),
            ..untouched
        };
    }
    let taken = blank + line_end;
    Titled {
        heading: Some(heading.text),
        anchor: Some(heading.id),
        body: &body[taken..],
        lines: body[..taken].matches('\n').count(),
    }
}

/// The id of an item whose front matter gives none: its file stem in lowercase, with every run
/// of other characters than letters and digits as one `-` (`Data_Handling` → `data-handling`).
pub fn id_from_stem(stem: &str) -> String {
    let mut id = String::with_capacity(stem.len());
    for c in stem.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        "page".into()
    } else {
        id.into()
    }
}

/// A title from a file name: `data_handling` → `Data handling`.
pub(super) fn title_from_stem(stem: &str) -> String {
    let words = stem.replace(['_', '-'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    chars.next().map_or_else(
        || "Untitled".into(),
        |c| c.to_uppercase().chain(chars).collect(),
    )
}

pub(super) fn known_fields(kind: Kind) -> Vec<&'static str> {
    COMMON_FIELDS
        .iter()
        .chain(Data::fields(kind))
        .copied()
        .collect()
}

/// Whether `id` is lowercase letters, digits and inner hyphens.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `path` is a folder's intro page (see [`is_index_stem`]), which the site builds as
/// the folder's `index.html` (beside the kind index, in a kind's folder).
fn is_folder_intro(path: &Path) -> bool {
    is_index_stem(&stem(path))
}

/// Whether a file named `stem` introduces its folder: `README` (in any case) as in mdBook,
/// `index`, or `_index` as in Hugo.
pub fn is_index_stem(stem: &str) -> bool {
    stem.eq_ignore_ascii_case("readme") || stem == "index" || stem == "_index"
}

pub(super) fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}
