//! Render stage: the [`Handbook`] → the site's files in memory, through the theme's tera
//! templates. Nothing is written here; [`crate::output`] does that.

mod charts;
mod context;
mod frameworks;
mod history;
mod people;
mod print;
mod search;
mod sitemap;
mod theme;
mod views;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use serde::Serialize;

use crate::Error;
use crate::content::Kind;
use crate::date::Date;
use crate::markdown::{self, Renderer};
use crate::model::{Entry, Handbook};
use crate::urls;
use context::{Has, ItemView, Layout, Link, Shared, nav, root_of};

/// A file of the site, in memory.
#[derive(Debug)]
pub struct OutputFile {
    /// Path in the site, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// The rendered site.
#[derive(Debug, Default)]
pub struct Site {
    /// Generated files, sorted by path.
    pub files: Vec<OutputFile>,
    /// Files copied as they are: (absolute source, path in the site).
    pub copies: Vec<(PathBuf, String)>,
}

impl Site {
    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count()
    }
}

/// Receives each rendered file as soon as it is ready, from several threads at once.
pub type Emit<'a> = dyn Fn(OutputFile) -> Result<(), Error> + Sync + 'a;

/// Receives the next piece of a file too large to hold whole (print.html), as (path in the
/// site, bytes). A file's pieces come in order, from one thread at a time; the first creates it.
pub type Append<'a> = dyn Fn(&str, &[u8]) -> Result<(), Error> + Sync + 'a;

/// A handbook's theme, its templates compiled, and the Markdown renderer: what every page
/// needs before its own work. `serve` keeps them across the saves that change no page's title
/// or address, the theme or book.toml.
pub struct Templates {
    theme: theme::Theme,
    tera: Compiled,
    markdown: Renderer,
}

/// The theme's templates compiled for a handbook, and what every page's layout shows alike
/// ([`Shared`]).
struct Compiled {
    tera: tera::Tera,
    shared: Shared,
}

impl Templates {
    /// Loads the theme that book.toml names and compiles its templates for `handbook`.
    pub fn load(root: &Path, handbook: &Handbook) -> Result<Templates, Error> {
        let theme = theme::Theme::load(root, &handbook.config.output.html.theme)?;
        let tera = Compiled {
            tera: templates(&theme, handbook)?,
            shared: Shared::of(handbook),
        };
        let markdown = Renderer::new(handbook.config.output.html.allow_raw_html);
        Ok(Templates {
            theme,
            tera,
            markdown,
        })
    }

    /// Renders every page of the handbook at `root` into memory, with dates judged as of
    /// `today`.
    pub fn render(&self, root: &Path, handbook: &Handbook, today: Date) -> Result<Site, Error> {
        let (files, copies) =
            collect(|emit, append| self.render_into(root, handbook, today, emit, append))?;
        Ok(Site { files, copies })
    }

    /// Renders every page of the handbook at `root`, handing each file to `emit` as soon as it
    /// is ready and print.html to `append` in pieces, so that a large site is never held in
    /// memory whole. Returns the files to copy as they are: (absolute source, path in the site).
    pub fn render_into(
        &self,
        root: &Path,
        handbook: &Handbook,
        today: Date,
        emit: &Emit,
        append: &Append,
    ) -> Result<Vec<(PathBuf, String)>, Error> {
        let Templates {
            theme,
            tera,
            markdown,
        } = self;
        // The sitemap and the search index list every page, so the paths are kept (not the
        // bytes).
        let paths = Mutex::new(Vec::new());
        let emit = |file: OutputFile| {
            paths
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(file.path.clone());
            emit(file)
        };
        // The pages that summarise the handbook beside those of the entries: a kind's index
        // lists the whole kind, and one core renders it while the other renders entries.
        let summaries = Chosen {
            entries: &[],
            texts: &[],
            summaries: true,
            own_pages: true,
        };
        // The archive's search index reads the archived texts on its own: made meanwhile too.
        let ((summarised, archived), rendered) = rayon::join(
            || {
                rayon::join(
                    || pages(tera, markdown, handbook, today, &summaries, &emit),
                    || search::archive(handbook, &emit, append),
                )
            },
            || entry_pages(tera, markdown, handbook, today, &emit, append),
        );
        let index = rendered?;
        summarised?;
        archived?;
        emit(page(
            tera,
            handbook,
            "404.html",
            urls::NOT_FOUND,
            "Page not found",
            None,
            Vec::new(),
        )?)?;
        for (name, bytes) in &theme.statics {
            emit(OutputFile {
                path: urls::static_file(name),
                bytes: bytes.clone(),
            })?;
        }
        emit(OutputFile {
            path: urls::static_file("highlight.css"),
            bytes: markdown::stylesheet().into_bytes(),
        })?;
        let mut paths = std::mem::take(&mut *paths.lock().unwrap_or_else(PoisonError::into_inner));
        paths.push(urls::PRINT.to_string());
        if let Some(site_url) = public_address(handbook) {
            emit(sitemap::sitemap(tera, handbook, &site_url, &paths)?)?;
        }
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        index.finish(handbook, &paths, &emit, append)?;
        Ok(handbook
            .assets
            .iter()
            .map(|(from, to)| (root.join(from), to.to_string_lossy().replace('\\', "/")))
            .collect())
    }

    /// Renders only the pages that show `entries` (indices into `handbook.entries`): each
    /// entry's own page and, for a policy, its history, archived versions and redlines; plus, if
    /// `summaries`, every page that summarises the handbook (kind indexes, roles, edition, feed,
    /// dashboard, traceability), which are few but list whole kinds. `serve` uses it for
    /// incremental rebuilds: every file is byte-identical to the one [`Templates::render`]
    /// makes from the same handbook; the files that depend only on which entries exist
    /// (navigation, sitemap, 404 page, statics) are left to a full render, and the search index
    /// to [`search_files`].
    /// Of the policies in `texts`, a part of `entries` whose working text alone changed (not
    /// whether it is a release's), the pages that show archived texts only are left out: the
    /// versions and the redlines between releases.
    pub fn render_pages(
        &self,
        handbook: &Handbook,
        today: Date,
        entries: &[usize],
        texts: &[usize],
        summaries: bool,
    ) -> Result<Vec<OutputFile>, Error> {
        let Templates { tera, markdown, .. } = self;
        let chosen = Chosen {
            entries,
            texts,
            summaries,
            own_pages: true,
        };
        collect(|emit, _| pages(tera, markdown, handbook, today, &chosen, emit))
            .map(|(files, ())| files)
    }

    /// `print.html`, the whole handbook for print. It holds every page's text, so `serve`
    /// writes it after the reload, with the search index, rather than at every save.
    pub fn print_file(&self, handbook: &Handbook) -> Result<OutputFile, Error> {
        print::print(&self.tera, &self.markdown, handbook)
    }
}

/// Runs `render` with an [`Emit`] and an [`Append`] that keep every file, and returns them
/// sorted by path.
fn collect<T>(
    render: impl FnOnce(&Emit, &Append) -> Result<T, Error>,
) -> Result<(Vec<OutputFile>, T), Error> {
    let files = Mutex::new(Vec::new());
    let pieces: Mutex<HashMap<String, Vec<u8>>> = Mutex::default();
    let result = render(
        &|mut file: OutputFile| {
            // Pages are rendered into room for a large one; held here, they keep only their size.
            file.bytes.shrink_to_fit();
            files
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(file);
            Ok(())
        },
        &|path, bytes| {
            pieces
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(path.to_string())
                .or_default()
                .extend_from_slice(bytes);
            Ok(())
        },
    )?;
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    let pieces = pieces.into_inner().unwrap_or_else(PoisonError::into_inner);
    files.extend(
        pieces
            .into_iter()
            .map(|(path, bytes)| OutputFile { path, bytes }),
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, result))
}

/// Renders the pages of every entry, print.html and the entries' search documents, a batch of
/// entries at a time. Each entry's text is read and parsed once for its page, its part of
/// print.html and its documents. Print.html and the index grow batch by batch, in order, while
/// the next batch renders, so print.html and the index's section texts are never held whole.
/// Returns the index, to which [`search::Indexer::finish`] adds the summary pages.
fn entry_pages(
    tera: &Compiled,
    markdown: &Renderer,
    handbook: &Handbook,
    today: Date,
    emit: &Emit,
    append: &Append,
) -> Result<search::Indexer, Error> {
    let (head, tail) = print::frame(tera, handbook)?;
    append(urls::PRINT, head.as_bytes())?;
    let mut index = search::Indexer::new();
    let render = |batch: &[usize]| -> Result<Vec<_>, Error> {
        // A policy's version pages show archived texts: rendered beside its own page.
        let version_pages = Chosen {
            entries: batch,
            texts: &[],
            summaries: false,
            own_pages: false,
        };
        let (versions, own) = rayon::join(
            || pages(tera, markdown, handbook, today, &version_pages, emit),
            || {
                batch
                    .par_iter()
                    .map(|&i| {
                        let entry = &handbook.entries[i];
                        let text = entry.item.body.text()?;
                        let source = markdown::parse(&text);
                        emit(render_item(
                            tera, markdown, handbook, entry, today, &source,
                        )?)?;
                        Ok((
                            print::part(tera, markdown, handbook, entry, &source)?,
                            search::analyse(entry, &source)?,
                        ))
                    })
                    .collect()
            },
        );
        versions?;
        own
    };
    let all: Vec<usize> = (0..handbook.entries.len()).collect();
    crate::parallel::in_order(all.chunks(BATCH), render, |rendered| {
        let mut parts = String::with_capacity(rendered.iter().map(|(part, _)| part.len()).sum());
        for (part, docs) in rendered {
            parts.push_str(&part);
            index.add(docs, emit)?;
        }
        append(urls::PRINT, parts.as_bytes())
    })?;
    append(urls::PRINT, tail.as_bytes())?;
    Ok(index)
}

/// Entries rendered side by side at a time: enough to keep every core busy, few enough that
/// their parts of print.html and search documents are a small part of a large handbook.
const BATCH: usize = 128;

/// The search index (`search/*.js`) of a site whose files are at `paths`. It covers every page, so
/// `serve` writes it anew after each rebuild, once the reload has gone out.
pub fn search_files(handbook: &Handbook, paths: &[&str]) -> Result<Vec<OutputFile>, Error> {
    collect(|emit, append| search::files(handbook, paths, emit, append)).map(|(files, ())| files)
}

/// One unit of the render stage's parallel work: a page.
enum Job<'a> {
    Item(&'a Entry),
    /// A version page of a policy, with the release its working text moved on from, if any.
    Policy(&'a Entry, history::PolicyPage<'a>, history::Standing<'a>),
    Edition,
    /// The Atom feed, with the site's public address.
    Feed(String),
    Dashboard,
    Traceability,
    Section(Kind),
    /// The page index when no page has the home page's place.
    Home,
    Roles,
    /// A role's own page.
    Role(&'a crate::content::Role),
    /// `acknowledgements.json`.
    Acknowledgements,
    /// A framework's page.
    Framework(&'a crate::content::FrameworkFile),
}

/// The pages to render; see [`Templates::render_pages`].
struct Chosen<'a> {
    entries: &'a [usize],
    texts: &'a [usize],
    summaries: bool,
    /// Whether the entries' own pages are rendered (not only a policy's version pages).
    own_pages: bool,
}

/// Emits the pages `chosen`. Every page is a job of its own, so that a one-page rebuild renders
/// the summary pages (the slowest, as they list whole kinds) side by side.
fn pages(
    tera: &Compiled,
    markdown: &Renderer,
    handbook: &Handbook,
    today: Date,
    chosen: &Chosen,
    emit: &Emit,
) -> Result<(), Error> {
    // The summaries first: a kind's index lists the whole kind, and started last it would keep
    // one core busy after the other has run out of pages.
    let mut jobs: Vec<Job> = Vec::new();
    if chosen.summaries {
        jobs.extend([Job::Edition, Job::Roles]);
        jobs.extend(public_address(handbook).map(Job::Feed));
        let has = Has::of(handbook);
        if has.dashboard {
            jobs.push(Job::Dashboard);
        }
        if has.traceability {
            jobs.push(Job::Traceability);
        }
        if has.roles {
            jobs.extend(handbook.roles.iter().map(Job::Role));
            jobs.push(Job::Acknowledgements);
        }
        jobs.extend(handbook.frameworks.iter().map(Job::Framework));
        for kind in Kind::ALL {
            if handbook.of_kind(kind).any(|e| e.url != urls::HOME) {
                jobs.push(Job::Section(kind));
            }
        }
        if handbook.home().is_none() {
            jobs.push(Job::Home);
        }
    }
    let entry_jobs: Vec<Job> = chosen
        .entries
        .par_iter()
        .filter_map(|&i| Some((i, handbook.entries.get(i)?)))
        .flat_map_iter(|(i, entry)| {
            let mut jobs = Vec::new();
            if chosen.own_pages {
                jobs.push(Job::Item(entry));
            }
            if entry.item.kind == Kind::Policy && !entry.item.releases.is_empty() {
                let standing = history::standing(&entry.item);
                let text_only = chosen.texts.contains(&i);
                jobs.extend(
                    history::policy_pages(&entry.item, &standing)
                        .into_iter()
                        .filter(|page| !text_only || page.shows_working_text())
                        .map(|page| Job::Policy(entry, page, standing)),
                );
            }
            jobs
        })
        .collect();
    jobs.extend(entry_jobs);
    jobs.par_iter().try_for_each(|job| {
        emit(match job {
            Job::Item(entry) => {
                let text = entry.item.body.text()?;
                let source = markdown::parse(&text);
                render_item(tera, markdown, handbook, entry, today, &source)?
            }
            Job::Policy(entry, page, standing) => {
                history::policy_page(tera, markdown, handbook, entry, page, standing)?
            }
            Job::Edition => history::edition(tera, handbook)?,
            Job::Feed(site_url) => history::feed(tera, handbook, site_url)?,
            Job::Dashboard => views::dashboard(tera, handbook, today)?,
            Job::Traceability => views::traceability(tera, handbook)?,
            Job::Section(kind) => {
                render_section(tera, handbook, *kind, urls::section(*kind), today)?
            }
            // At the site's top, so its links start there.
            Job::Home => render_section(tera, handbook, Kind::Page, urls::HOME.into(), today)?,
            Job::Roles => page(
                tera,
                handbook,
                "roles.html",
                urls::ROLES,
                "Roles and ownership",
                None,
                vec![("roles", value(&roles(handbook)))],
            )?,
            Job::Role(role) => people::role_page(tera, handbook, role, today)?,
            Job::Acknowledgements => people::acknowledgements(handbook)?,
            Job::Framework(file) => frameworks::framework_page(tera, handbook, file)?,
        })
    })
}

/// Registers the template function `name(id=…)`: the link of `id` in `links`, or none.
fn register_lookup(tera: &mut tera::Tera, name: &'static str, links: HashMap<String, Link>) {
    let links = Arc::new(links);
    tera.register_function(
        name,
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
            let id: &str = kwargs.must_get("id")?;
            Ok(links
                .get(id)
                .map_or(tera::Value::none(), tera::Value::from_serializable))
        },
    );
}

fn templates(theme: &theme::Theme, handbook: &Handbook) -> Result<tera::Tera, Error> {
    let mut tera = tera::Tera::new();
    let links = handbook
        .entries
        .iter()
        .map(|e| (e.item.id.clone(), Link::to(e)))
        .collect();
    register_lookup(&mut tera, "lookup", links);
    let roles = handbook
        .roles
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                Link {
                    title: r.title.clone(),
                    url: urls::role(&r.id),
                    kind: "role".into(),
                },
            )
        })
        .collect();
    register_lookup(&mut tera, "role", roles);
    tera.register_filter("num", |v: f64, _: tera::Kwargs, _: &tera::State| {
        charts::number(v)
    });
    // Functions first: adding templates checks that every function they call exists.
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str())),
    )
    .map_err(|e| Error::Template(format!("{e}")))?;
    Ok(tera)
}

/// The site's public address ending in `/`, when book.toml sets `site-url`. The Atom feed and
/// the sitemap are written only then: both formats require absolute addresses, and a guessed
/// one would be wrong wherever the site is published.
fn public_address(handbook: &Handbook) -> Option<String> {
    let html = &handbook.config.output.html;
    html.site_url.is_some().then(|| html.site_base())
}

fn layout(
    tera: &Compiled,
    handbook: &Handbook,
    url: &str,
    title: &str,
    section: Option<Kind>,
    source: Option<&str>,
) -> Layout {
    let mut breadcrumbs = vec![Link {
        title: "Home".into(),
        url: urls::HOME.into(),
        kind: "page".into(),
    }];
    if let Some(kind) = section.filter(|k| *k != Kind::Page) {
        let index = urls::section(kind);
        if index != url {
            breadcrumbs.push(Link {
                title: kind.plural_label().into(),
                url: index,
                kind: "section".into(),
            });
        }
    }
    let edit_url = handbook
        .config
        .output
        .html
        .edit_url_template
        .as_ref()
        .zip(source)
        .map(|(t, s)| t.replace("{path}", s));
    Layout {
        book: tera.shared.book(),
        root: root_of(url),
        page_url: url.to_string(),
        title: title.to_string(),
        nav: nav(handbook, &tera.shared, section, url),
        breadcrumbs: if url == urls::HOME {
            Vec::new()
        } else {
            breadcrumbs
        },
        edit_url,
        has: Has::of(handbook),
        as_of: handbook.as_of.map(|d| d.to_string()),
        frameworks: tera.shared.frameworks(),
    }
}

/// Template variables beyond the layout.
type Vars = Vec<(&'static str, tera::Value)>;

fn value<T: Serialize + ?Sized>(v: &T) -> tera::Value {
    tera::Value::from_serializable(v)
}

fn render_template(
    tera: &Compiled,
    template: &str,
    layout: &Layout,
    extra: Vars,
) -> Result<String, Error> {
    let cx = tera::Context::from_serialize(layout).map_err(|e| Error::Template(e.to_string()))?;
    render_with(tera, template, cx, extra)
}

/// Renders a template that is not a page (the feed, the sitemap): no layout, only `vars`.
fn render_document(tera: &Compiled, template: &str, vars: Vars) -> Result<String, Error> {
    render_with(tera, template, tera::Context::new(), vars)
}

fn render_with(
    tera: &Compiled,
    template: &str,
    mut cx: tera::Context,
    vars: Vars,
) -> Result<String, Error> {
    for (key, value) in vars {
        cx.insert_value(key, value);
    }
    // A page is tens of kilobytes: written into room for that rather than grown from the
    // template's size by doubling.
    let mut out = Vec::with_capacity(32 << 10);
    tera.tera
        .render_to(template, &cx, &mut out)
        .map_err(|e| Error::Template(format!("{template}: {e}")))?;
    // Templates and values are UTF-8, so is what they make.
    let mut text =
        String::from_utf8(out).map_err(|e| Error::Template(format!("{template}: {e}")))?;
    // Control characters other than whitespace are errors in HTML and forbidden in XML 1.0 even
    // escaped: a title pasted from a word processor may carry one, and one such character makes
    // a feed reader refuse the whole feed.
    let forbidden = |b: u8| b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r');
    // Every page is scanned, so by blocks without an early exit, which the compiler vectorises.
    let has_forbidden = text
        .as_bytes()
        .chunks(64)
        .any(|block| block.iter().fold(false, |any, &b| any | forbidden(b)));
    if has_forbidden {
        text.retain(|c| c >= ' ' || matches!(c, '\t' | '\n' | '\r'));
    }
    Ok(text)
}

fn render_item(
    tera: &Compiled,
    md: &Renderer,
    handbook: &Handbook,
    entry: &Entry,
    today: Date,
    source: &markdown::Parsed,
) -> Result<OutputFile, Error> {
    let item = &entry.item;
    let mut layout = layout(
        tera,
        handbook,
        &entry.url,
        &item.common.title,
        Some(item.kind),
        Some(&item.path.to_string_lossy()),
    );
    let root = layout.root.clone();
    // A policy's exceptions are shown under the heading of the clause each cites; those citing
    // none, or a heading this text does not have, after the text.
    let exceptions = people::exceptions_against(handbook, entry, today);
    let notes = people::exception_notes(tera, &root, &exceptions)?;
    let mut placed = std::collections::HashSet::new();
    let content = md.render_with_notes(
        source,
        &entry.headings,
        &|dest| entry.links.get(dest).map(|url| format!("{root}{url}")),
        &mut |id| {
            let note = notes.get(id)?;
            placed.insert(id.to_string());
            Some(note.clone())
        },
    );
    let unplaced: Vec<&people::ExceptionLine> = exceptions
        .iter()
        .filter(|x| !x.anchor.as_ref().is_some_and(|a| placed.contains(a)))
        .collect();
    let view = ItemView::new(handbook, entry);
    let (prev, next) = neighbours(handbook, entry);
    // The home page offers "I am a…" links to the role pages.
    let mut audiences = Vec::new();
    if entry.url == urls::HOME {
        layout.title = handbook.config.book.title.clone();
        audiences = handbook
            .roles
            .iter()
            .map(|r| Link {
                title: r.title.clone(),
                url: urls::role(&r.id),
                kind: "role".into(),
            })
            .collect();
    }
    let html = render_template(
        tera,
        "item.html",
        &layout,
        vec![
            ("item", value(&view)),
            ("content", value(&content)),
            ("prev", value(&prev)),
            ("next", value(&next)),
            ("audiences", value(&audiences)),
            // A policy's exceptions (all of them, and those not shown under a heading of its
            // text); an exception's own line (its clause and days left).
            ("exceptions", value(&exceptions)),
            ("unplaced_exceptions", value(&unplaced)),
            (
                "exception",
                value(&people::exception_line(handbook, entry, today)),
            ),
        ],
    )?;
    Ok(OutputFile {
        path: entry.url.clone(),
        bytes: html.into_bytes(),
    })
}

/// Previous and next pages in navigation order (the home page is not in it).
fn neighbours(handbook: &Handbook, entry: &Entry) -> (Option<Link>, Option<Link>) {
    let listed = |i: &usize| handbook.entries[*i].url != urls::HOME;
    let link = |i: usize| Link::to(&handbook.entries[i]);
    if !listed(&handbook.index_of(entry)) {
        return (None, (0..handbook.entries.len()).find(listed).map(link));
    }
    let at = handbook.index_of(entry);
    let prev = (0..at).rev().find(listed).map(link);
    let next = (at + 1..handbook.entries.len()).find(listed).map(link);
    (prev, next)
}

/// The index of `kind`, at `url`.
fn render_section(
    tera: &Compiled,
    handbook: &Handbook,
    kind: Kind,
    url: String,
    today: Date,
) -> Result<OutputFile, Error> {
    let layout = layout(tera, handbook, &url, kind.plural_label(), Some(kind), None);
    let (mut vars, order) = views::section(handbook, kind, today);
    let items: Vec<ItemView> = order
        .into_iter()
        .map(|i| ItemView::listed(handbook, &handbook.entries[i]))
        .collect();
    vars.extend([
        ("kind", value(&kind.name())),
        ("items", value(&items)),
        ("criteria", value(&handbook.criteria)),
    ]);
    let html = render_template(tera, "section.html", &layout, vars)?;
    Ok(OutputFile {
        path: url,
        bytes: html.into_bytes(),
    })
}

fn page(
    tera: &Compiled,
    handbook: &Handbook,
    template: &str,
    url: &str,
    title: &str,
    section: Option<Kind>,
    extra: Vars,
) -> Result<OutputFile, Error> {
    let mut layout = layout(tera, handbook, url, title, section, None);
    if template == "404.html" {
        // Served from any depth: links must start at the site's address, not be relative.
        layout.root = handbook.config.output.html.site_base();
    }
    let html = render_template(tera, template, &layout, extra)?;
    Ok(OutputFile {
        path: url.to_string(),
        bytes: html.into_bytes(),
    })
}

/// A role with what it owns, for the roles page.
#[derive(Serialize)]
struct RoleView<'a> {
    role: &'a crate::content::Role,
    owns: Vec<Link>,
    approves: Vec<Link>,
}

fn roles(handbook: &Handbook) -> Vec<RoleView<'_>> {
    handbook
        .roles
        .iter()
        .map(|role| RoleView {
            role,
            owns: handbook.entries.iter().filter(|e| e.item.common.owner.as_deref() == Some(&role.id)).map(|e| Link::to(e)).collect(),
            approves: handbook
                .entries
                .iter()
                .filter(|e| matches!(&e.item.data, crate::content::Data::Policy(p) if p.approvers.contains(&role.id)))
                .map(|e| Link::to(e))
                .collect(),
        })
        .collect()
}
