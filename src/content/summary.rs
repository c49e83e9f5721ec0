//! mdBook's `SUMMARY.md`: the order and nesting of the pages in navigation.
//!
//! The format is mdBook's: links in nested lists are chapters, a link with an empty destination
//! is a draft chapter (not built yet, so left out), and `# headings` (part titles), `---`
//! separators and prefix or suffix links outside the lists are read for their links alone.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, line_col};

/// The file name, at the top of the content folder.
pub const FILE: &str = "SUMMARY.md";

/// A chapter listed in SUMMARY.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// The chapter's file, relative to the handbook root.
    pub path: PathBuf,
    /// 0 for a top-level chapter, 1 for one nested under it, and so on.
    pub depth: usize,
    /// Line and column of its link in SUMMARY.md.
    pub at: (usize, usize),
}

/// Reads the chapters of `text`, the SUMMARY.md at `rel` (relative to the root) in the content
/// folder `src`; a link that leaves the content folder is an error at its line.
pub fn parse(rel: &Path, src: &Path, text: &str) -> (Vec<Chapter>, Vec<Diagnostic>) {
    let (mut chapters, mut errors) = (Vec::new(), Vec::new());
    let mut depth = 0usize;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let dest = dest_url.split('#').next().unwrap_or("");
                if dest.is_empty() || dest.contains("//") {
                    continue;
                }
                let decoded = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
                match super::normalize(Path::new(&*decoded)).map(|p| src.join(p)) {
                    Some(path) => chapters.push(Chapter {
                        path,
                        depth: depth.saturating_sub(1),
                        at: line_col(text, range.start),
                    }),
                    None => {
                        let (line, col) = line_col(text, range.start);
                        errors.push(Diagnostic::new(
                            Rule::BrokenLink,
                            rel,
                            line,
                            col,
                            format!("chapter `{dest}` is outside the content folder"),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    (chapters, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_keep_their_order_and_nesting_and_drafts_are_left_out() {
        let text = "# Summary\n\n[Introduction](README.md)\n\n# Part one\n\n- [One](one.md)\n    - [One a](one/a.md)\n    - [Draft]()\n- [Two](two.md#top)\n\n---\n\n[Appendix](appendix.md)\n";
        let (chapters, errors) = parse(Path::new("src/SUMMARY.md"), Path::new("src"), text);
        assert!(errors.is_empty());
        let got: Vec<(String, usize)> = chapters
            .iter()
            .map(|c| (c.path.display().to_string(), c.depth))
            .collect();
        assert_eq!(
            got,
            [
                ("src/README.md", 0),
                ("src/one.md", 0),
                ("src/one/a.md", 1),
                ("src/two.md", 0),
                ("src/appendix.md", 0)
            ]
            .map(|(p, d)| (p.to_string(), d))
        );
    }

    #[test]
    fn a_chapter_outside_the_content_folder_is_an_error_at_its_line() {
        let (chapters, errors) = parse(
            Path::new("src/SUMMARY.md"),
            Path::new("src"),
            "- [Ok](ok.md)\n- [Out](../secret.md)\n",
        );
        assert_eq!(chapters.len(), 1);
        assert_eq!((errors[0].line, errors[0].col), (2, 3));
    }
}
