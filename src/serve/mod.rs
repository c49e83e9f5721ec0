//! Serve stage: watch → incremental rebuild → HTTP + reload channel.
//!
//! [`Server::start`] builds the handbook, serves the site from memory and watches its sources.
//! Each change rebuilds what it affects and tells open pages to reload over server-sent events;
//! a build error leaves the last good site served and shows every error in an overlay.
//!
//! Threads: the HTTP server runs on a small tokio runtime; rebuilds run on a plain thread fed
//! by the file watcher (rendering is CPU work for rayon, not for the async runtime), and the
//! search index of an incremental rebuild is written on a thread of its own, after the reload.
//! They share only a snapshot of the site (swapped whole after each build, then once more with
//! the fresh search index) and a broadcast channel.

mod http;
mod incremental;
mod watch;

pub use watch::DEBOUNCE;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use tokio::sync::{broadcast, watch as signal};

use crate::Diagnostic;
use incremental::Files;

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// Address to listen on; loopback unless the author asks otherwise.
    pub bind: IpAddr,
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 3000,
        }
    }
}

/// Why the server could not start. Problems in the handbook are not among them: they are shown
/// in the terminal and the browser while the server keeps running.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Another program listens on the port.
    #[error(
        "cannot listen on {addr}: the port is already in use; stop the other server, choose another port with --port, or use --port 0 to pick a free one"
    )]
    PortInUse {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// The address could not be bound for another reason (not an address of this machine, no
    /// permission for a low port…).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A source folder could not be watched.
    #[error("cannot watch {}: {source}", path.display())]
    Watch {
        /// The folder or file.
        path: PathBuf,
        /// The underlying error.
        source: notify_debouncer_full::notify::Error,
    },
    /// The handbook folder or the server's runtime could not be set up.
    #[error("cannot start the server: {0}")]
    Setup(std::io::Error),
}

/// A message to open pages.
#[derive(Debug, Clone)]
enum Event {
    /// The site changed: reload.
    Reload,
    /// The build failed: show these errors (a JSON array of diagnostics).
    Errors(Arc<str>),
}

/// What the HTTP side serves, replaced as a whole after each build.
#[derive(Default)]
struct Snapshot {
    /// Number of the successful build whose site it serves.
    generation: u64,
    /// The last good site; `None` until a build succeeds.
    files: Option<Arc<Files>>,
    /// The errors of the latest build as a JSON array (`[]` when it succeeded).
    errors: Arc<str>,
}

/// State shared by the rebuild thread and the HTTP handlers.
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<Event>,
}

impl Shared {
    fn snapshot(&self) -> Arc<Snapshot> {
        // A panic elsewhere cannot leave a half-written Arc behind, so a poisoned lock is fine.
        Arc::clone(&self.snapshot.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Serves the site of a new, successful build and sends `event`; returns the build's
    /// generation.
    fn publish_site(&self, files: Arc<Files>, event: Option<Event>) -> u64 {
        let generation = self.replace(|current| Snapshot {
            generation: current.generation + 1,
            files: Some(files),
            errors: "[]".into(),
        });
        self.send(event);
        generation
    }

    /// Shows the errors of a failed build (a JSON array) over the site served until now.
    fn publish_errors(&self, errors: Arc<str>) {
        self.replace(|current| Snapshot {
            generation: current.generation,
            files: current.files.clone(),
            errors: Arc::clone(&errors),
        });
        self.send(Some(Event::Errors(errors)));
    }

    /// Serves `files`, the site of build `generation` with its search index refreshed, unless
    /// a later build is served by now.
    fn publish_search(&self, generation: u64, files: Arc<Files>) {
        let mut current = self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if current.generation == generation {
            let errors = Arc::clone(&current.errors);
            *current = Arc::new(Snapshot {
                generation,
                files: Some(files),
                errors,
            });
        }
    }

    /// Replaces the snapshot by `next(current)`, atomically; returns the new generation.
    fn replace(&self, next: impl FnOnce(&Snapshot) -> Snapshot) -> u64 {
        let mut current = self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let snapshot = next(&current);
        let generation = snapshot.generation;
        *current = Arc::new(snapshot);
        generation
    }

    fn send(&self, event: Option<Event>) {
        if let Some(event) = event {
            // Sending fails only when no page is listening, which is fine.
            let _ = self.events.send(event);
        }
    }
}

/// A running server; dropping it stops it (see [`Server::stop`]).
pub struct Server {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    stop: signal::Sender<bool>,
    http: Option<tokio::task::JoinHandle<()>>,
    watcher: Option<watch::Watcher>,
}

impl Server {
    /// Builds the handbook at `root`, starts serving it and watching its sources. Returns once
    /// the first build is done (successful or not) and the server accepts connections.
    pub fn start(root: &Path, options: &Options) -> Result<Server, Error> {
        let root = std::fs::canonicalize(root).map_err(Error::Setup)?;
        let addr = SocketAddr::new(options.bind, options.port);
        let listener = std::net::TcpListener::bind(addr).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AddrInUse {
                Error::PortInUse { addr }
            } else {
                Error::Bind { addr, source }
            }
        })?;
        let addr = listener.local_addr().map_err(Error::Setup)?;
        listener.set_nonblocking(true).map_err(Error::Setup)?;

        let (events, _) = broadcast::channel(16);
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(Arc::new(Snapshot {
                generation: 0,
                files: None,
                errors: "[]".into(),
            })),
            events,
        });
        let watcher = watch::Watcher::start(&root, Arc::clone(&shared))?;

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("policybook-http")
            .enable_io()
            .enable_time()
            .build()
            .map_err(Error::Setup)?;
        let (stop, stopped) = signal::channel(false);
        let listener = {
            let _guard = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(Error::Setup)?
        };
        let http = runtime.spawn(http::serve(listener, shared, stopped));
        Ok(Server {
            addr,
            runtime: Some(runtime),
            stop,
            http: Some(http),
            watcher: Some(watcher),
        })
    }

    /// The address the server listens on (with the port picked when 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's address, for people.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Serves until Ctrl-C, then stops.
    pub fn run_until_ctrl_c(mut self) -> Result<(), Error> {
        if let Some(runtime) = &self.runtime {
            runtime
                .block_on(tokio::signal::ctrl_c())
                .map_err(Error::Setup)?;
        }
        self.shutdown();
        Ok(())
    }

    /// Stops watching, closes the reload channels of open pages and stops the HTTP server.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        // Closing the reload streams first lets the graceful shutdown finish promptly.
        let _ = self.stop.send(true);
        if let Some(watcher) = self.watcher.take() {
            watcher.stop();
        }
        if let Some(runtime) = self.runtime.take() {
            if let Some(http) = self.http.take() {
                let _ = runtime
                    .block_on(async { tokio::time::timeout(Duration::from_secs(2), http).await });
            }
            runtime.shutdown_timeout(Duration::from_millis(500));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Every error of a failed build as diagnostics, for the terminal and the overlay.
fn diagnostics_of(error: &crate::Error) -> Vec<Diagnostic> {
    match error {
        crate::Error::Content(diagnostics) => diagnostics.clone(),
        crate::Error::Io { path, source } => {
            vec![Diagnostic::error(path, 0, 0, source.to_string())]
        }
        crate::Error::Template(message) => vec![Diagnostic::error("theme", 0, 0, message)],
        crate::Error::NotAHandbook(_) => vec![Diagnostic::error("", 0, 0, error.to_string())],
    }
}

/// Opens `url` in the default browser, for `--open`.
pub fn open_in_browser(url: &str) -> std::io::Result<()> {
    open::that_detached(url)
}
