//! Every site path the build writes, spelled once. The model places items by these and keeps a
//! page from taking a path the site makes; the render stage writes and links to them.

use crate::kind::Kind;

/// The home page.
pub const HOME: &str = "index.html";
/// The page served for an address that does not exist.
pub const NOT_FOUND: &str = "404.html";
/// The executive dashboard.
pub const DASHBOARD: &str = "dashboard.html";
/// The traceability matrix.
pub const TRACEABILITY: &str = "traceability.html";
/// What changed in this edition.
pub const EDITION: &str = "edition.html";
/// The whole handbook on one page, for print.
pub const PRINT: &str = "print.html";
/// Roles and ownership.
pub const ROLES: &str = "roles.html";
/// The Atom feed of policy changes.
pub const FEED: &str = "feed.xml";
/// The sitemap.
pub const SITEMAP: &str = "sitemap.xml";
/// The acknowledgements file for HR and learning systems.
pub const ACKNOWLEDGEMENTS: &str = "acknowledgements.json";

/// A file of the theme: `static/<name>`.
pub fn static_file(name: &str) -> String {
    format!("static/{name}")
}

/// The folder of the search index.
pub const SEARCH: &str = "search";

/// A shard of the search index: `search/<name>.js`.
pub fn search_file(name: &str) -> String {
    format!("{SEARCH}/{name}.js")
}

/// The index page of a kind's section, such as `policies/index.html`.
pub fn section(kind: Kind) -> String {
    format!("{}/{HOME}", kind.folder())
}

/// The page of an item of a kind other than a plain page, such as `policies/data-handling.html`.
pub fn item(kind: Kind, id: &str) -> String {
    format!("{}/{id}.html", kind.folder())
}

/// A role's own page ("what applies to me").
pub fn role(id: &str) -> String {
    format!("roles/{id}.html")
}

/// A framework's page: its controls and what satisfies them.
pub fn framework(id: &str) -> String {
    format!("frameworks/{id}.html")
}

/// The history page of policy `id`.
pub fn history(id: &str) -> String {
    format!("{}/{id}/history.html", Kind::Policy.folder())
}

/// The archived text of `version` of policy `id`.
pub fn version(id: &str, version: &str) -> String {
    format!("{}/{id}/{version}.html", Kind::Policy.folder())
}

/// The redline of policy `id` from `from` to `to` (a version or `current`).
pub fn redline(id: &str, from: &str, to: &str) -> String {
    format!("{}/{id}/redline-{from}-to-{to}.html", Kind::Policy.folder())
}

/// Whether the site makes a page at `path` itself, so that no handbook page may take it.
pub fn is_generated(path: &str) -> bool {
    [NOT_FOUND, DASHBOARD, TRACEABILITY, EDITION, PRINT, ROLES].contains(&path)
        || Kind::ALL.iter().any(|&kind| path == section(kind))
}
