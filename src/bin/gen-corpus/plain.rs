//! The plain shape: a handbook as users bring one — N pages in 10 folders with only a title in
//! their front matter, linked to each other by relative `.md` paths (3–5 links a page, some to a
//! heading), 600–1000 words of prose with tables and lists, code on about a third.

use std::path::PathBuf;

use crate::prose::{self, Rng};

/// Folders the pages are spread over.
const FOLDERS: usize = 10;

const BOOK_TOML: &str = "[book]\ntitle = \"Plain Handbook\"\n\n[output.html]\nsite-url = \"https://handbook.example.com/\"\n";

/// Every file of a plain handbook of `n` pages: (path under the root, text).
pub fn files(n: usize, seed: u64) -> Vec<(PathBuf, String)> {
    let path = |i: usize| format!("part-{}/page-{i:05}.md", i % FOLDERS);
    let mut files = vec![(PathBuf::from("book.toml"), BOOK_TOML.to_string())];
    let mut home = String::from("---\ntitle: Plain Handbook\n---\n\n## Parts\n\n");
    for i in 0..n.min(FOLDERS) {
        home.push_str(&format!("- [Part {i}]({})\n", path(i)));
    }
    files.push((PathBuf::from("content/index.md"), home));
    for i in 0..n {
        let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let headings = prose::headings(&mut rng);
        let words = rng.range(600, 1000);
        let code = rng.one_in(3);
        let mut doc = prose::doc(&mut rng, &headings, words, code);
        // Links leave the page's folder: `../part-3/page-00013.md`, the next page always among
        // them so that every page is reached from the home page.
        let mut links = vec![(format!("page {}", (i + 1) % n), (i + 1) % n)];
        for _ in 0..rng.range(2, 4) {
            let j = rng.range(0, n - 1);
            links.push((format!("page {j}"), j));
        }
        let links: Vec<(String, String)> = links
            .into_iter()
            .enumerate()
            .map(|(k, (text, j))| {
                let anchor = if k % 2 == 1 { "#overview" } else { "" };
                (text, format!("../{}{anchor}", path(j)))
            })
            .collect();
        doc.link(&mut rng, &links);
        let text = format!("---\ntitle: Page {i}\n---\n\n{}", doc.markdown());
        files.push((PathBuf::from("content").join(path(i)), text));
    }
    files
}
