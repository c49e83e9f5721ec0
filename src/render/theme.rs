//! The theme: tera templates and static files. The default theme is built into the binary; a
//! handbook's `themes/<name>/` overrides it file by file.

use std::path::Path;

use crate::Error;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $name)))),*]
    };
}

/// The default theme's files: (path under the theme folder, contents).
const DEFAULT: &[(&str, &str)] = embed!(
    "templates/base.html",
    "templates/item.html",
    "templates/section.html",
    "templates/roles.html",
    "templates/role.html",
    "templates/framework.html",
    "templates/404.html",
    "templates/history.html",
    "templates/version.html",
    "templates/redline.html",
    "templates/approval.html",
    "templates/control.html",
    "templates/exception-note.html",
    "templates/exception-line.html",
    "templates/print.html",
    "templates/print-page.html",
    "templates/edition.html",
    "templates/dashboard.html",
    "templates/traceability.html",
    "templates/feed.xml",
    "templates/sitemap.xml",
    "static/style.css",
    "static/app.js",
    "static/search.js",
);

/// A loaded theme.
pub struct Theme {
    /// Template name → source.
    pub templates: Vec<(String, String)>,
    /// Static file name (under `static/`) → contents.
    pub statics: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The default theme with the overrides of `root/themes/<name>/` applied.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Error> {
        let mut theme = Theme {
            templates: Vec::new(),
            statics: Vec::new(),
        };
        for (path, text) in DEFAULT {
            theme.put(path, text.as_bytes().to_vec());
        }
        let dir = root.join("themes").join(name);
        if name != "default" && !dir.is_dir() {
            return Err(Error::Content(vec![crate::Diagnostic::error(
                crate::config::FILE,
                0,
                0,
                format!("theme `{name}` not found: expected the folder themes/{name}"),
            )]));
        }
        for sub in ["templates", "static"] {
            let Ok(read) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            let mut files: Vec<_> = read
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            for file in files {
                let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
                let name = file
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                theme.put(&format!("{sub}/{name}"), bytes);
            }
        }
        Ok(theme)
    }

    fn put(&mut self, path: &str, bytes: Vec<u8>) {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            match self.templates.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = text,
                None => self.templates.push((name.to_string(), text)),
            }
        } else if let Some(name) = path.strip_prefix("static/") {
            match self.statics.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = bytes,
                None => self.statics.push((name.to_string(), bytes)),
            }
        }
    }
}
