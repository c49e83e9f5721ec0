//! Watching the sources and rebuilding on change.
//!
//! notify's events are debounced (an editor's save is often write-to-temp, rename, chmod: one
//! rebuild, not three) and handed to one rebuild thread, which publishes each result; a search
//! thread then publishes the site again with its index written anew.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, RecommendedCache, new_debouncer, notify,
};

use super::incremental::{self, Built, Change, Files};
use super::{Error, Event, Shared, diagnostics_of};
use crate::Severity;
use crate::config::{Config, FILE as CONFIG_FILE};
use crate::content::ParseCache;
use crate::model::Handbook;
use crate::render::Templates;

/// How long a change must settle before a rebuild: long enough to merge an editor's
/// write-rename dance (a millisecond or two), short enough to feel instant. A burst that
/// straddles it costs a second, incremental rebuild, not a wrong page.
pub const DEBOUNCE: Duration = Duration::from_millis(20);
/// How often the debouncer looks for settled changes: a change is reported between `DEBOUNCE`
/// and `DEBOUNCE + TICK` after it settles (notify's default tick is a quarter of the timeout).
const TICK: Duration = Duration::from_millis(5);

/// The file watcher and the rebuild thread.
pub(super) struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    thread: JoinHandle<()>,
}

impl Watcher {
    /// Watches the sources of the handbook at `root` (an absolute path), builds it once, then
    /// rebuilds on every change.
    pub fn start(root: &Path, shared: Arc<Shared>) -> Result<Watcher, Error> {
        let (tx, rx) = channel();
        let mut debouncer =
            new_debouncer(DEBOUNCE, Some(TICK), tx).map_err(|source| Error::Watch {
                path: root.to_path_buf(),
                source,
            })?;
        // Watch before the first build, so that an edit made during it is not missed. A broken
        // book.toml falls back to the default content folder: fixing it triggers a rebuild.
        let content = root.join(
            Config::load(root)
                .map_or_else(|_| Config::default().book.src, |config| config.book.src),
        );
        let themes = root.join("themes");
        // book.toml is watched through its folder: an editor that saves by renaming a new file
        // over it would leave a watch on the file itself pointing at the old one.
        let mut watched = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
        for dir in [&content, &themes] {
            if dir.is_dir() {
                watched.push((dir.clone(), RecursiveMode::Recursive));
            }
        }
        for (path, mode) in watched {
            debouncer
                .watch(&path, mode)
                .map_err(|source| Error::Watch { path, source })?;
        }

        let mut builder = Builder {
            root: root.to_path_buf(),
            last: None,
            failing: false,
            unbuilt: Change::none(),
            cache: ParseCache::for_rebuilds(),
            generation: 0,
            search: SearchWorker::start(Arc::clone(&shared))?,
            shared,
        };
        builder.build(&Change::Everything, "initial build");
        let sources = Sources {
            content,
            themes,
            config: root.join(CONFIG_FILE),
        };
        let thread = std::thread::Builder::new()
            .name("policybook-rebuild".into())
            .spawn(move || rebuild_loop(&rx, &sources, &mut builder))
            .map_err(Error::Setup)?;
        Ok(Watcher { debouncer, thread })
    }

    /// Stops watching and waits for a rebuild in progress to finish.
    pub fn stop(self) {
        // Stopping the debouncer drops its sender, which ends the rebuild loop.
        self.debouncer.stop();
        let _ = self.thread.join();
    }
}

/// The paths whose changes matter.
struct Sources {
    content: PathBuf,
    themes: PathBuf,
    config: PathBuf,
}

impl Sources {
    /// Whether a change at `path` affects the site, and if so whether it affects every page.
    fn classify(&self, path: &Path) -> Option<Scope> {
        let name = path.file_name()?.to_string_lossy();
        // Hidden folders (.git) are not content, as in `content::load`, but for GitBook's
        // images in `.gitbook` at the top of the content folder.
        let hidden = path
            .strip_prefix(&self.content)
            .or_else(|_| path.strip_prefix(&self.themes))
            .is_ok_and(|rel| {
                rel.components().enumerate().any(|(i, c)| {
                    let name = c.as_os_str().to_string_lossy();
                    name.starts_with('.') && !(i == 0 && name == crate::content::GITBOOK_FOLDER)
                })
            });
        // Editors' swap, backup and temporary files.
        if hidden
            || name.ends_with('~')
            || [".swp", ".swx", ".tmp"].iter().any(|e| name.ends_with(e))
        {
            return None;
        }
        if path == self.config || path.starts_with(&self.themes) {
            Some(Scope::Everything)
        } else if path.starts_with(&self.content) {
            Some(Scope::Affected)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    Affected,
    Everything,
}

fn rebuild_loop(rx: &Receiver<DebounceEventResult>, sources: &Sources, builder: &mut Builder) {
    while let Ok(first) = rx.recv() {
        // Take what else is queued so a burst of changes becomes one rebuild.
        let batch = std::iter::once(first).chain(std::iter::from_fn(|| rx.try_recv().ok()));
        let mut everything = false;
        let mut changed = BTreeSet::new();
        for result in batch {
            match result {
                Ok(events) => {
                    for event in events {
                        // Events were lost (the system's queue overflowed): nobody knows what
                        // changed.
                        everything |= event.need_rescan();
                        if matches!(event.kind, EventKind::Access(_)) {
                            continue;
                        }
                        for path in &event.paths {
                            match sources.classify(path) {
                                Some(Scope::Everything) => everything = true,
                                Some(Scope::Affected) => {}
                                None => continue,
                            }
                            let rel = path.strip_prefix(&builder.root).unwrap_or(path);
                            changed.insert(rel.to_path_buf());
                        }
                    }
                }
                Err(errors) => {
                    for e in errors {
                        eprintln!("warning: watching the sources: {e}");
                    }
                    everything = true;
                }
            }
        }
        let why = match (changed.first(), changed.len()) {
            (None, _) if everything => "files changed unseen".to_string(),
            (None, _) => continue,
            (Some(first), 1) => format!("{} changed", first.display()),
            (Some(first), n) => format!("{} and {} more changed", first.display(), n - 1),
        };
        let change = if everything {
            Change::Everything
        } else {
            Change::Sources(changed.into_iter().collect())
        };
        builder.build(&change, &why);
    }
}

/// Rebuilds and publishes the result.
struct Builder {
    root: PathBuf,
    /// The last successful build, to rebuild from and to keep serving while errors stand.
    last: Option<Built>,
    /// Whether the latest build failed.
    failing: bool,
    /// What changed since `last` was built: the changes of failed builds wait for the next.
    unbuilt: Change,
    /// Parsed sources, so a rebuild parses only the files that changed.
    cache: ParseCache,
    /// Generation of `last` (see [`Shared::publish_site`]).
    generation: u64,
    search: SearchWorker,
    shared: Arc<Shared>,
}

/// Writes the search index of incremental rebuilds on a thread of its own: the index covers
/// every page, so on a large handbook it takes seconds, which must not delay the next save's
/// reload. So the thread does not hand its work to rayon's pool, where the next rebuild's
/// work would queue behind it, but keeps it to itself. Only the newest build's index is
/// written; one that is superseded by the time it is done is not served.
struct SearchWorker {
    requests: Sender<Request>,
    done: Arc<Mutex<Option<Written>>>,
}

/// A build's generation, its handbook, templates and site, whose search index is to be written.
type Request = (u64, Arc<Handbook>, Arc<Templates>, Arc<Files>);
/// The newest site written with its search index, and the generation of its build.
type Written = (u64, Arc<Files>);

impl SearchWorker {
    fn start(shared: Arc<Shared>) -> Result<SearchWorker, Error> {
        let (requests, rx) = channel::<Request>();
        let done = Arc::new(Mutex::new(None));
        let finished = Arc::clone(&done);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "policybook-search".into())
            .build()
            .map_err(|e| Error::Setup(std::io::Error::other(e)))?;
        std::thread::Builder::new()
            .name("policybook-search".into())
            .spawn(move || {
                // Ends when the builder, and so the sender, is dropped.
                while let Ok(mut request) = rx.recv() {
                    while let Ok(newer) = rx.try_recv() {
                        request = newer;
                    }
                    let (generation, handbook, templates, files) = request;
                    let refreshed = pool
                        .install(|| incremental::refresh_deferred(&templates, &handbook, &files));
                    match refreshed {
                        Ok(files) => {
                            shared.publish_search(generation, Arc::clone(&files));
                            *finished.lock().unwrap_or_else(PoisonError::into_inner) =
                                Some((generation, files));
                        }
                        Err(e) => eprintln!("warning: the search index was not refreshed: {e}"),
                    }
                }
            })
            .map_err(Error::Setup)?;
        Ok(SearchWorker { requests, done })
    }

    /// Asks for the index of `built`, build `generation`.
    fn refresh(&self, generation: u64, built: &Built) {
        let request = (
            generation,
            Arc::clone(&built.handbook),
            Arc::clone(&built.templates),
            Arc::clone(&built.files),
        );
        // The worker outlives the builder; a send cannot fail while it runs.
        let _ = self.requests.send(request);
    }

    /// Puts the index written for `last`, build `generation`, into it, if it is done.
    fn adopt(&self, generation: u64, last: &mut Built) {
        let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((written, files)) = done.take()
            && written == generation
        {
            last.files = files;
            last.search_stale = false;
        }
    }
}

impl Builder {
    fn build(&mut self, change: &Change, why: &str) {
        let started = Instant::now();
        // Rebuild from the freshest site: with the search index written since, if it was.
        if let Some(last) = &mut self.last {
            self.search.adopt(self.generation, last);
        }
        let change = std::mem::replace(&mut self.unbuilt, Change::none()).and(change);
        match incremental::rebuild(&self.root, self.last.as_ref(), &change, &mut self.cache) {
            Ok(rebuilt) => {
                let ms = started.elapsed().as_millis();
                let what = if rebuilt.full { "built" } else { "rebuilt" };
                let read = if rebuilt.whole_load {
                    ""
                } else {
                    ", re-reading only the saved files"
                };
                eprintln!("{why}: {what} {} pages in {ms} ms{read}", rebuilt.rendered);
                print_all(&rebuilt.warnings);
                // A page showing the errors reloads even when the fix restored the old site.
                let reload = rebuilt.changed || self.failing;
                self.generation = self.shared.publish_site(
                    Arc::clone(&rebuilt.built.files),
                    reload.then_some(Event::Reload),
                );
                self.failing = false;
                if rebuilt.built.search_stale {
                    self.search.refresh(self.generation, &rebuilt.built);
                }
                self.last = Some(rebuilt.built);
            }
            Err(error) => {
                let diagnostics = diagnostics_of(&error);
                print_all(&diagnostics);
                let errors: Vec<_> = diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect();
                let kept = if self.last.is_some() {
                    "the last good site is still served"
                } else {
                    "nothing to serve until they are fixed"
                };
                eprintln!("{why}: build failed with {} error(s); {kept}", errors.len());
                let json: Arc<str> = serde_json::to_string(&errors)
                    .unwrap_or_else(|_| "[]".into())
                    .into();
                self.shared.publish_errors(json);
                self.failing = true;
                self.unbuilt = change;
            }
        }
    }
}

fn print_all(diagnostics: &[crate::Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_changed_paths() {
        let root = Path::new("/hb");
        let sources = Sources {
            content: root.join("content"),
            themes: root.join("themes"),
            config: root.join("book.toml"),
        };
        let scope = |p: &str| sources.classify(&root.join(p));
        assert_eq!(scope("content/policies/a.md"), Some(Scope::Affected));
        assert_eq!(scope("content/data/kpi.csv"), Some(Scope::Affected));
        assert_eq!(
            scope("themes/default/templates/item.html"),
            Some(Scope::Everything)
        );
        assert_eq!(scope("book.toml"), Some(Scope::Everything));
        for ignored in [
            "content/.a.md.swp",
            "content/a.md~",
            "content/.git/objects/ab/cd",
            "content/a.md.tmp",
            "book/index.html",
            "target/debug/policybook",
            "Cargo.toml",
        ] {
            assert_eq!(scope(ignored), None, "{ignored}");
        }
    }
}
