//! sitemap.xml.

use super::OutputFile;
use crate::markdown::escape;
use crate::model::Handbook;

/// A sitemap of every HTML page but 404.html. Locations are absolute when `site-url` is set,
/// root-relative otherwise.
pub fn sitemap(handbook: &Handbook, paths: &[String]) -> OutputFile {
    let base = handbook.config.output.html.site_base();
    let mut paths: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .collect();
    paths.sort_unstable();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape(&format!("{base}{path}"))
        ));
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}
