//! sitemap.xml, from the theme's `sitemap.xml` template.

use super::{Compiled, OutputFile, render_document, value};
use crate::Error;
use crate::model::Handbook;
use crate::urls;

/// A sitemap of every HTML page but 404.html, at `site_url` (the public address, ending in
/// `/`): the sitemap protocol allows only absolute locations.
pub fn sitemap(
    tera: &Compiled,
    handbook: &Handbook,
    site_url: &str,
    paths: &[String],
) -> Result<OutputFile, Error> {
    let mut paths: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html") && *p != urls::NOT_FOUND)
        .collect();
    paths.sort_unstable();
    let xml = render_document(
        tera,
        "sitemap.xml",
        vec![
            ("book", value(&handbook.config.book)),
            ("site_url", value(site_url)),
            ("paths", value(&paths)),
        ],
    )?;
    Ok(OutputFile {
        path: urls::SITEMAP.into(),
        bytes: xml.into_bytes(),
    })
}
