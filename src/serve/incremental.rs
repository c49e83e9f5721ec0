//! Incremental rebuilds. A save that changes only items' files (the common one) reads and
//! re-models those items alone, on top of the previous handbook, when it moves no item; any
//! other change reloads and re-models the whole handbook. Then only the pages the change affects are rendered and
//! patched into the previous site.
//!
//! The affected pages of a changed entry are its own page, the pages it references and the
//! pages that reference it (they show its title, or its data: a stage shows the gates of the
//! KPIs it references), the index pages of their kinds and the roles page. Anything that could
//! change more than that — a theme, book.toml, roles, criteria, a data file, a new, deleted or
//! renamed file, a changed title or order — rebuilds everything.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::Error;
use crate::config::Config;
use crate::content::{self, Kind, ParseCache};
use crate::model::{Handbook, pending_since};
use crate::render::{self, OutputFile, Site, Templates};
use crate::urls;

/// The contents of one file of the served site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Body {
    /// Rendered in memory.
    Memory(Arc<[u8]>),
    /// An asset copied as it is, read from its source when requested.
    Disk(Arc<Path>),
}

/// The served site: path in the site → contents. Each save copies the map and changes a few
/// files, so neither paths nor contents are copied with it.
pub(super) type Files = BTreeMap<Arc<str>, Body>;

/// A successful build, kept to serve and to rebuild from.
pub(super) struct Built {
    pub handbook: Arc<Handbook>,
    /// The theme and templates the site was rendered with, kept for the next save.
    pub templates: Arc<Templates>,
    pub files: Arc<Files>,
    /// Whether `files` still has the search index of an earlier build: an incremental rebuild
    /// leaves the index and print.html to [`refresh_deferred`], so the reload goes out first.
    pub search_stale: bool,
}

/// What a rebuild did.
pub(super) struct Rebuilt {
    pub built: Built,
    /// Pages rendered.
    pub rendered: usize,
    /// Whether every page was rendered.
    pub full: bool,
    /// Whether every source was loaded and modelled again, rather than the saved items alone.
    pub whole_load: bool,
    /// Whether any served file differs from the previous build.
    pub changed: bool,
    /// Warnings of loading, linking and the governance rules.
    pub warnings: Vec<crate::Diagnostic>,
}

/// `files`, the site of `handbook`, with the pages that cover the whole handbook
/// written anew: the search index and print.html, left out of incremental rebuilds so that the
/// reload goes out first.
pub(super) fn refresh_deferred(
    templates: &Templates,
    handbook: &Handbook,
    files: &Files,
) -> Result<Arc<Files>, Error> {
    let mut files = files.clone();
    let print = templates.print_file(handbook)?;
    files.insert(print.path.into(), Body::Memory(print.bytes.into()));
    // The index's number of files may change.
    files.retain(|path, _| !Path::new(&**path).starts_with(urls::SEARCH));
    let paths: Vec<&str> = files.keys().map(|p| &**p).collect();
    let search = render::search_files(handbook, &paths)?;
    for file in search {
        files.insert(file.path.into(), Body::Memory(file.bytes.into()));
    }
    Ok(Arc::new(files))
}

/// What changed since the previous build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Change {
    /// Something every page may show (the theme, book.toml), or not known.
    Everything,
    /// Files under the content folder, relative to the root: some may be gone, some may be
    /// an editor's temporary files.
    Sources(Vec<PathBuf>),
}

impl Change {
    /// No change.
    pub fn none() -> Change {
        Change::Sources(Vec::new())
    }

    /// This change and `other`, as one.
    pub fn and(self, other: &Change) -> Change {
        match (self, other) {
            (Change::Sources(mut paths), Change::Sources(more)) => {
                paths.extend(more.iter().cloned());
                paths.sort();
                paths.dedup();
                Change::Sources(paths)
            }
            _ => Change::Everything,
        }
    }
}

/// Rebuilds the handbook at `root` after `change`, incrementally from `previous` when there is
/// one and the change allows.
pub(super) fn rebuild(
    root: &Path,
    previous: Option<&Built>,
    change: &Change,
    cache: &mut ParseCache,
) -> Result<Rebuilt, Error> {
    let quick = match (previous, change) {
        (Some(prev), Change::Sources(paths)) => remodel(root, &prev.handbook, paths, cache),
        _ => None,
    };
    let whole_load = quick.is_none();
    let handbook = match quick {
        Some(handbook) => handbook,
        None => {
            // The same stages as `crate::load`, with parsed items reused across rebuilds.
            let mut config = Config::load(root)?;
            // As with mdBook's serve: the 404 page links to the site's address, which here is
            // this server, not the published site (whose styles and pages may differ or not
            // exist yet). So there is no feed or sitemap either: they need the published address.
            config.output.html.site_url = None;
            let loaded = content::load_cached(root, &config, cache)?;
            Handbook::build(config, loaded)
        }
    };
    // The governance rules block a served site as they block a build.
    let today = crate::date::Date::build_date();
    let findings = crate::findings(&handbook, today);
    if findings
        .iter()
        .any(|d| d.severity == crate::Severity::Error)
    {
        return Err(Error::Content(findings));
    }
    let plan = previous
        .filter(|_| *change != Change::Everything)
        .and_then(|prev| affected(prev, &handbook).map(|entries| (prev, entries)));
    if let Some((
        prev,
        Affected {
            entries,
            texts,
            summaries,
        },
    )) = plan
    {
        // A save that changed no item renders nothing.
        let pages = if entries.is_empty() {
            Vec::new()
        } else {
            prev.templates
                .render_pages(&handbook, today, &entries, &texts, summaries)?
        };
        let mut files = Files::clone(&prev.files);
        let mut changed = false;
        for page in &pages {
            let body = Body::Memory(page.bytes.as_slice().into());
            changed |= prev.files.get(page.path.as_str()) != Some(&body);
            files.insert(page.path.as_str().into(), body);
        }
        return Ok(Rebuilt {
            rendered: pages.len(),
            built: Built {
                handbook: Arc::new(handbook),
                templates: Arc::clone(&prev.templates),
                files: Arc::new(files),
                // Files copied from a build whose index was stale are stale too.
                search_stale: !pages.is_empty() || prev.search_stale,
            },
            full: false,
            whole_load,
            changed,
            warnings: findings,
        });
    }
    let templates = Arc::new(Templates::load(root, &handbook)?);
    let site = templates.render(root, &handbook, today)?;
    let rendered = site.pages();
    let files = files_of(site);
    let changed = previous.is_none_or(|prev| *prev.files != files);
    Ok(Rebuilt {
        rendered,
        built: Built {
            handbook: Arc::new(handbook),
            templates,
            files: Arc::new(files),
            search_stale: false,
        },
        full: true,
        whole_load,
        changed,
        warnings: findings,
    })
}

/// The handbook after a save that changed only items' files, made from `previous` by reading
/// and re-modelling those items alone; `None` when the change needs a whole load.
fn remodel(
    root: &Path,
    previous: &Handbook,
    paths: &[PathBuf],
    cache: &mut ParseCache,
) -> Option<Handbook> {
    // A file that is not there and held no source (an editor's temporary file) changes nothing;
    // a folder moved away is reported alone, without the files it held.
    let held = |p: &Path| {
        (previous
            .sources
            .range::<Path, _>((Bound::Included(p), Bound::Unbounded)))
        .next()
        .is_some_and(|(source, _)| source.starts_with(p))
    };
    let paths: Vec<PathBuf> = paths
        .iter()
        .filter(|p| held(p) || root.join(p).exists())
        .cloned()
        .collect();
    let loaded = content::reload_items(root, &previous.config, cache, &paths)?;
    previous.with_reread_items(loaded)
}

fn files_of(site: Site) -> Files {
    let mut files = Files::new();
    for OutputFile { path, bytes } in site.files {
        files.insert(path.into(), Body::Memory(bytes.into()));
    }
    for (from, to) in site.copies {
        files.insert(to.into(), Body::Disk(from.into()));
    }
    files
}

/// What a change affects.
struct Affected {
    /// The entries whose pages must be rendered again.
    entries: Vec<usize>,
    /// Those of `entries` whose working text alone changed, and not how it stands to their
    /// releases: the pages of their archived versions stay as they are.
    texts: Vec<usize>,
    /// Whether the pages summarising the handbook must be too.
    summaries: bool,
}

/// What a change affects, or `None` when it may affect pages that cannot be rendered one by one.
fn affected(old: &Built, new: &Handbook) -> Option<Affected> {
    let before = &old.handbook;
    // Titles, urls and order appear in navigation and previous/next links on every page.
    let same_skeleton = before.entries.len() == new.entries.len()
        && before.assets == new.assets
        && before.entries.iter().zip(&new.entries).all(|(a, b)| {
            a.item.id == b.item.id
                && a.item.kind == b.item.kind
                && a.item.path.as_os_str() == b.item.path.as_os_str()
                && a.item.common.title == b.item.common.title
                && a.url == b.url
        });
    // Compared as bytes: paths compare component by component.
    let same_sources = before.sources.len() == new.sources.len()
        && (before.sources.keys().zip(new.sources.keys()))
            .all(|(a, b)| a.as_os_str() == b.as_os_str());
    if !same_skeleton || !same_sources {
        return None;
    }
    let mut pages = BTreeSet::new();
    let (mut texts, mut around) = (BTreeSet::new(), BTreeSet::new());
    let mut summaries = false;
    // The same paths, so side by side (a lookup per path compares paths by components).
    for ((path, hash), was) in new.sources.iter().zip(before.sources.values()) {
        if hash == was {
            continue;
        }
        // Only an item's own file may change; roles, criteria, data files and book.toml feed
        // pages that are not tracked here.
        let i = new.index_at_path(path)?;
        pages.insert(i);
        let (was, is) = (&before.entries[i], &new.entries[i]);
        // A body edit that makes the text equal to a release, or no longer equal, adds or removes
        // a redline page: the sitemap and the set of files change, as only a full build makes them.
        if was.item.same_as_releases != is.item.same_as_releases {
            return None;
        }
        if was.item.front.yaml == is.item.front.yaml {
            // A body edit (the common save) shows on the item's own page only, but for the
            // pages it starts or stops linking to: their lists of backlinks change. Summary
            // pages show an item's headings (its table of contents) and whether a policy has
            // pending changes, never its text.
            around.extend(was.references.iter().filter(|r| !is.references.contains(r)));
            around.extend(is.references.iter().filter(|r| !was.references.contains(r)));
            // An exception's page names the clause it cites by its number and heading.
            if was.headings != is.headings {
                around.extend(
                    is.backlinks
                        .iter()
                        .filter(|&&b| new.entries[b].item.kind == Kind::Exception),
                );
            }
            let standing = pending_since(&was.item) == pending_since(&is.item);
            if standing && was.headings == is.headings {
                texts.insert(i);
            }
            summaries |=
                was.references != is.references || was.headings != is.headings || !standing;
        } else {
            // Front matter feeds the pages around the item: titles, gates, scores, owners.
            around.insert(i);
            for entry in [was, is] {
                around.extend(&entry.references);
                around.extend(&entry.backlinks);
            }
            summaries = true;
        }
    }
    pages.extend(&around);
    Some(Affected {
        entries: pages.into_iter().collect(),
        texts: texts.difference(&around).copied().collect(),
        summaries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("walk fixture");
            let to = dir
                .path()
                .join(entry.path().strip_prefix(&from).expect("inside"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &to).expect("copy");
            }
        }
        dir
    }

    fn first_build(root: &Path, cache: &mut ParseCache) -> Built {
        rebuild(root, None, &Change::Everything, cache)
            .expect("first build")
            .built
    }

    const RISK: &str = "content/risks/leak-risk.md";
    const EXTRA: &str = "content/guide/extra.md";

    /// The change the watcher reports when the file at `rel` is saved.
    fn saved(rel: &str) -> Change {
        if rel == crate::config::FILE {
            Change::Everything
        } else {
            Change::Sources(vec![PathBuf::from(rel)])
        }
    }

    fn edit(root: &Path, rel: &str, from: &str, to: &str) {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{rel} lacks {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    }

    /// Applies each edit in turn, rebuilding incrementally, and compares with a full build.
    fn incremental_matches_full(edits: &[(&str, &str, &str)], expect_full: bool) {
        incremental_matches_full_each(edits, &vec![expect_full; edits.len()]);
    }

    /// As [`incremental_matches_full`], with whether each edit needs a full rebuild.
    fn incremental_matches_full_each(edits: &[(&str, &str, &str)], expect_full: &[bool]) {
        let dir = fixture();
        let root = dir.path();
        let mut cache = ParseCache::for_rebuilds();
        let mut built = first_build(root, &mut cache);
        for (&(rel, from, to), &expect_full) in edits.iter().zip(expect_full) {
            edit(root, rel, from, to);
            let mut rebuilt =
                rebuild(root, Some(&built), &saved(rel), &mut cache).expect("rebuild");
            if rebuilt.built.search_stale {
                let built = &rebuilt.built;
                rebuilt.built.files =
                    refresh_deferred(&built.templates, &built.handbook, &built.files)
                        .expect("search");
            }
            assert_eq!(rebuilt.full, expect_full, "after editing {rel}");
            assert!(rebuilt.changed, "after editing {rel}");
            // What a server started now would serve.
            let full = rebuild(root, None, &Change::Everything, &mut ParseCache::default())
                .expect("full")
                .built
                .files;
            for (path, body) in full.iter() {
                assert!(
                    rebuilt.built.files.get(path) == Some(body),
                    "{path} differs from a full build after editing {rel}"
                );
            }
            let extra: Vec<&Arc<str>> = rebuilt
                .built
                .files
                .keys()
                .filter(|k| !full.contains_key(*k))
                .collect();
            assert!(
                extra.is_empty(),
                "files a full build does not make, after editing {rel}: {extra:?}"
            );
            built = rebuilt.built;
        }
    }

    #[test]
    fn a_body_edit_renders_only_the_affected_pages() {
        let dir = fixture();
        let root = dir.path();
        let mut cache = ParseCache::for_rebuilds();
        let built = first_build(root, &mut cache);
        edit(
            root,
            "content/risks/leak-risk.md",
            "Leaks are costly.",
            "Leaks are very costly.",
        );
        let rebuilt = rebuild(root, Some(&built), &saved(RISK), &mut cache).expect("rebuild");
        assert!(!rebuilt.full && rebuilt.changed);
        // A body edit that keeps its headings and links: the saved file is the only one read
        // and modelled again, the risk's own page the only one rendered; the search index
        // follows.
        assert!(!rebuilt.whole_load);
        assert_eq!(rebuilt.rendered, 1);
        assert!(rebuilt.built.search_stale);

        edit(
            root,
            "content/risks/leak-risk.md",
            "Leaks are very costly.",
            "## Cost\n\nLeaks are very costly.",
        );
        let rebuilt =
            rebuild(root, Some(&rebuilt.built), &saved(RISK), &mut cache).expect("rebuild");
        // A new heading may be the target of links from other pages: a whole load.
        assert!(rebuilt.whole_load);
        // A new heading is in the risk's table of contents, which summary pages may show: the
        // seven kind indexes, roles, edition, dashboard and traceability too (no feed: serve
        // ignores site-url), and the three role pages and acknowledgements.json.
        assert_eq!(rebuilt.rendered, 1 + 7 + 4 + 3 + 1);
    }

    #[test]
    fn a_front_matter_edit_rereads_only_its_file() {
        let dir = fixture();
        let root = dir.path();
        let kpi = "content/kpis/defects.md";
        let mut cache = ParseCache::for_rebuilds();
        let built = first_build(root, &mut cache);
        edit(root, kpi, "value: 0.08", "value: 0.09");
        let rebuilt = rebuild(root, Some(&built), &saved(kpi), &mut cache).expect("rebuild");
        assert!(!rebuilt.whole_load && !rebuilt.full && rebuilt.changed);
        // A new title moves nothing here, but every page's navigation shows it.
        edit(root, kpi, "title: Defect rate", "title: Defects");
        let rebuilt =
            rebuild(root, Some(&rebuilt.built), &saved(kpi), &mut cache).expect("rebuild");
        assert!(rebuilt.full);
    }

    #[test]
    fn a_title_heading_or_a_folder_moved_away_loads_everything() {
        let dir = fixture();
        let root = dir.path();
        let intro = "content/guide/intro.md";
        let mut cache = ParseCache::for_rebuilds();
        let built = first_build(root, &mut cache);
        // The page's title heading gives the page an anchor others may link to.
        edit(root, intro, "## Overview", "# Introduction\n\n## Overview");
        let rebuilt = rebuild(root, Some(&built), &saved(intro), &mut cache).expect("rebuild");
        assert!(rebuilt.whole_load);
        // A folder moved to the trash is reported alone, without its files: the home page's
        // link into it is broken now.
        std::fs::rename(root.join("content/guide"), root.join("guide-trashed")).expect("move");
        let moved = rebuild(
            root,
            Some(&rebuilt.built),
            &saved("content/guide"),
            &mut cache,
        );
        let Err(Error::Content(found)) = moved else {
            panic!("the moved folder's pages are gone");
        };
        let index = Path::new("content/index.md");
        assert!(
            found
                .iter()
                .any(|d| d.file == index && d.message.contains("guide/intro.md")),
            "{found:?}"
        );
    }

    #[test]
    fn a_draft_edit_leaves_the_pages_of_archived_versions_alone() {
        let dir = fixture();
        let root = dir.path();
        let policy = "content/policies/data-policy.md";
        let mut cache = ParseCache::for_rebuilds();
        let built = first_build(root, &mut cache);
        edit(root, policy, "Keep data safe.", "Keep all data safe.");
        let draft = rebuild(root, Some(&built), &saved(policy), &mut cache).expect("rebuild");
        edit(
            root,
            policy,
            "Keep all data safe.",
            "Keep all the data safe.",
        );
        let rebuilt =
            rebuild(root, Some(&draft.built), &saved(policy), &mut cache).expect("rebuild");
        // Still a draft of 1.2: its page, its history and the redline from 1.2 to it; the page
        // of version 1.2 shows the archived text only.
        assert!(!rebuilt.full && !rebuilt.whole_load);
        assert_eq!(rebuilt.rendered, 3);
    }

    #[test]
    fn incremental_equals_full_for_body_and_data_edits() {
        incremental_matches_full(
            &[
                ("content/guide/intro.md", "Read the", "Please read the"),
                // A body edit that starts linking to a page adds to that page's backlinks, and
                // one that stops removes from them.
                (
                    "content/guide/intro.md",
                    "and ask",
                    "see the [pilot](stage:pilot) and ask",
                ),
                (
                    "content/guide/intro.md",
                    "see the [pilot](stage:pilot) and ask",
                    "and ask",
                ),
                // Re-wrapping a released policy's text keeps it the released text.
                (
                    "content/policies/data-policy.md",
                    "Keep data safe.",
                    "Keep data\nsafe.",
                ),
                // A KPI's data feeds the gates of the stage that uses it.
                ("content/kpis/defects.md", "value: 0.08", "value: 0.09"),
                ("content/kpis/defects.md", "target: 0.05", "target: 0.02"),
                (
                    "content/policies/data-policy.md",
                    "owner: security",
                    "owner: legal",
                ),
                ("content/risks/leak-risk.md", "impact: 5", "impact: 2"),
                ("content/vendors/acme.md", "score: 2", "score: 5"),
                // The policy names the module in `training` too, so it stays taught: the
                // edit shows through the length only.
                (
                    "content/training/basics.md",
                    "policies: [data-policy]\nrefresh_every: 1 year",
                    "policies: []\nrefresh_every: 2 years",
                ),
                ("content/index.md", "Start with", "Begin with"),
            ],
            false,
        );
    }

    #[test]
    fn a_policy_text_leaving_or_rejoining_its_release_rebuilds_everything() {
        // The first edit makes the policy a draft and adds its redline to the current text,
        // a page the sitemap lists; the second edits the draft; the third undoes the change,
        // so the redline page goes.
        incremental_matches_full_each(
            &[
                (
                    "content/policies/data-policy.md",
                    "Keep data safe.",
                    "Keep all data safe.",
                ),
                (
                    "content/policies/data-policy.md",
                    "Keep all data safe.",
                    "Keep all the data safe.",
                ),
                (
                    "content/policies/data-policy.md",
                    "Keep all the data safe.",
                    "Keep data safe.",
                ),
            ],
            &[true, false, true],
        );
    }

    #[test]
    fn incremental_equals_full_when_the_skeleton_changes() {
        incremental_matches_full(
            &[
                (
                    "content/guide/intro.md",
                    "title: Introduction",
                    "title: Intro",
                ),
                ("content/data/defects.csv", "0.04", "0.03"),
                ("content/roles.yaml", "title: Legal", "title: Legal team"),
                ("book.toml", "Fixture Handbook", "Fixture Book"),
            ],
            true,
        );
    }

    #[test]
    fn new_and_deleted_files_rebuild_everything() {
        let dir = fixture();
        let root = dir.path();
        let mut cache = ParseCache::for_rebuilds();
        let built = first_build(root, &mut cache);
        std::fs::write(
            root.join(EXTRA),
            "---\ntitle: Extra\nowner: security\n---\n\nMore.\n",
        )
        .expect("write");
        let added = rebuild(root, Some(&built), &saved(EXTRA), &mut cache).expect("rebuild");
        assert!(added.full);
        assert!(added.built.files.contains_key("guide/extra.html"));
        std::fs::remove_file(root.join(EXTRA)).expect("remove");
        let removed =
            rebuild(root, Some(&added.built), &saved(EXTRA), &mut cache).expect("rebuild");
        assert!(removed.full);
        assert_eq!(*removed.built.files, *built.files);
    }

    #[test]
    fn a_save_that_breaks_a_link_fails_as_a_whole_build_does() {
        let dir = fixture();
        let root = dir.path();
        let intro = "content/guide/intro.md";
        let mut cache = ParseCache::for_rebuilds();
        let built = first_build(root, &mut cache);
        edit(root, intro, "and ask", "see [the plan](plan.md) and ask");
        let Err(Error::Content(found)) = rebuild(root, Some(&built), &saved(intro), &mut cache)
        else {
            panic!("a broken link fails the rebuild");
        };
        let broken: Vec<String> = found
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .map(ToString::to_string)
            .collect();
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert!(
            broken[0].starts_with("content/guide/intro.md:9:") && broken[0].contains("plan.md"),
            "{}",
            broken[0]
        );
        edit(root, intro, "see [the plan](plan.md) and ask", "and ask");
        let fixed = rebuild(root, Some(&built), &saved(intro), &mut cache).expect("fixed");
        assert!(!fixed.whole_load && !fixed.changed);
    }

    #[test]
    fn a_save_without_changes_changes_nothing() {
        let dir = fixture();
        let root = dir.path();
        let mut cache = ParseCache::for_rebuilds();
        let built = first_build(root, &mut cache);
        let again = rebuild(root, Some(&built), &saved(RISK), &mut cache).expect("rebuild");
        assert!(!again.full && !again.changed);
        assert_eq!(again.rendered, 0);
    }
}
