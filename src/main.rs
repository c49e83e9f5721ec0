//! The `policybook` command line: a thin layer over the library.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use clap::{Parser, Subcommand};

mod cli {
    pub mod progress;
}
use cli::progress;

use policybook::check::{self, Format};
use policybook::content::{Approval, Kind};
use policybook::date::Date;
use policybook::diagnostic::Rule;
use policybook::diff;
use policybook::versions::ReleaseOptions;
use policybook::{BuildOptions, Diagnostic, Error, Severity, serve};

/// Build a versioned, cross-linked governance handbook from structured Markdown.
#[derive(Parser)]
#[command(name = "policybook", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a handbook: book.toml with the governance settings written out, roles, a home page
    /// and one example of every kind, all valid, so `serve` shows a working site at once.
    ///
    /// Refuses a folder that has files unless --force, and never overwrites a file.
    Init {
        /// The folder to create the handbook in.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The handbook's title.
        #[arg(long, default_value = "Handbook")]
        title: String,
        /// Add the starter files to a folder that already has files (none is overwritten).
        #[arg(long)]
        force: bool,
    },
    /// Build the site into the output folder (default: `book/`, or `[build] build-dir`).
    ///
    /// The previous site is replaced only when the new one is complete; on any error in the
    /// content, every error is printed with file:line:col and nothing is written (exit 1).
    Build {
        /// The handbook folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site.
        #[arg(long)]
        dest: Option<PathBuf>,
        /// The date reviews and risks are judged by (default: SOURCE_DATE_EPOCH, else today,
        /// UTC); the same sources and date give byte-identical output.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = Date::from_str)]
        today: Option<Date>,
        /// Build the handbook as it stood on this day: each policy's version then in force,
        /// nothing released later, and a banner on every page.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = Date::from_str)]
        as_of: Option<Date>,
    },
    /// Run every validation of the build and the governance rules without writing anything.
    ///
    /// Exit 1 when a finding is an error (or a warning, with `--deny warnings`): a CI gate.
    Check {
        /// The handbook folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// text (grouped by file), json (schema in the README) or github (workflow annotations).
        #[arg(long, default_value = "text", value_parser = Format::from_str)]
        format: Format,
        /// The date that reviews and refreshes are judged against (default: today, UTC).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = Date::from_str)]
        today: Option<Date>,
        /// `warnings`: fail on warnings too.
        #[arg(long, value_name = "warnings", value_parser = ["warnings"])]
        deny: Option<String>,
        /// List every rule with its default severity and explanation, and exit.
        #[arg(long)]
        list_rules: bool,
    },
    /// Archive a policy's current text as an immutable released version.
    ///
    /// Refuses when the handbook has errors, the version was not raised above the newest release,
    /// the change summary is empty, or an approved policy has no approvers. Never overwrites.
    Release {
        /// The policy's id.
        id: String,
        /// What changed (defaults to the policy's `changes` field).
        #[arg(long)]
        summary: Option<String>,
        /// The change is editorial (wording only); by default a release is material.
        #[arg(long)]
        editorial: bool,
        /// The release date (default: today), YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// A sign-off, as ROLE=NAME (`legal=Dana Reyes`), one per approver role; repeatable.
        #[arg(long, value_name = "ROLE=NAME", value_parser = Approval::from_str)]
        approved_by: Vec<Approval>,
        /// The approval date, YYYY-MM-DD.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        approved_on: Option<Date>,
        /// Where the approval is recorded: a pull request or minutes.
        #[arg(long, value_name = "URL")]
        reference: Option<String>,
        /// The handbook folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Show the redline between two versions of a policy.
    ///
    /// FROM and TO are released versions or `current`; they default to the newest release and
    /// the current text, so a pending change can be reviewed before it is released.
    Diff {
        /// The policy's id.
        id: String,
        /// The old version (default: the newest release).
        from: Option<String>,
        /// The new version (default: current).
        to: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Terminal)]
        format: DiffFormat,
        /// The handbook folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Serve the site with live reload: every save rebuilds what it affects and reloads the page.
    ///
    /// Build errors are printed here and shown over the page; the last good site stays served.
    Serve {
        /// The handbook folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on; another than loopback makes the site visible to others.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new item whose front matter is valid for its kind, with status draft.
    New {
        /// page, policy, stage, scorecard, module, risk or kpi.
        #[arg(value_parser = parse_kind)]
        kind: Kind,
        /// The new item's id: lowercase letters, digits and `-`.
        id: String,
        /// The handbook folder, holding book.toml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// How `diff` prints a redline.
#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    /// Coloured on a terminal; `[-deleted-]` and `{+inserted+}` markers otherwise.
    Terminal,
    /// An HTML fragment.
    Html,
    /// JSON: header, rows and summary.
    Json,
    /// Markdown with <del> and <ins>, for a pull-request comment.
    Markdown,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse()
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        format!("expected one of: {}", names.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Init { dir, title, force } => {
            let options = policybook::scaffold::InitOptions {
                title,
                force,
                today: Date::today(),
            };
            policybook::scaffold::init(&dir, &options).map(|written| {
                eprintln!(
                    "created a handbook of {} files in {}",
                    written.len(),
                    dir.display()
                );
                let cd = if dir == std::path::Path::new(".") {
                    String::new()
                } else {
                    format!("cd {} && ", dir.display())
                };
                eprintln!("next: {cd}policybook serve   (then edit content/, the page reloads)");
            })
        }
        Command::Build { root, dest, today, as_of } => {
            let bar = progress::Bar::new();
            let options = BuildOptions { dest, today, as_of };
            let built = policybook::build_with_progress(&root, &options, &|p| {
                bar.update(p)
            });
            bar.finish();
            built.map(|report| {
                print_all(&report.warnings);
                eprintln!(
                    "built {} pages into {}",
                    report.pages,
                    report.dest.display()
                );
            })
        }
        Command::Check {
            root,
            format,
            today,
            deny,
            list_rules,
        } => {
            if list_rules {
                for rule in Rule::ALL {
                    let severity = format!("{:?}", rule.default_level()).to_lowercase();
                    stdout(&format!(
                        "{:<28} {severity:<8} {}\n",
                        rule.id(),
                        rule.explanation()
                    ));
                }
                return ExitCode::SUCCESS;
            }
            let today = today.unwrap_or_else(Date::build_date);
            return match policybook::check(&root, today) {
                Ok(findings) => report_check(&findings, format, today, deny.is_some()),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            };
        }
        Command::Release { id, summary, editorial, date, approved_by, approved_on, reference, root } => {
            let options = ReleaseOptions { summary, editorial, date: date.unwrap_or_else(Date::today), approved_by, approved_on, reference };
            policybook::versions::release(&root, &id, &options).map(|path| eprintln!("released {id}: archived as {}", path.display()))
        }
        Command::Diff { id, from, to, format, root } => policybook::load(&root)
            .and_then(|handbook| policybook::model::compare(&handbook, &id, from.as_deref(), to.as_deref()))
            .map(|(header, redline)| {
                let colour = colour(&std::io::stdout());
                match format {
                    DiffFormat::Terminal => stdout(&format!("{}\n", diff::to_terminal(&header, &redline, colour))),
                    DiffFormat::Html => stdout(&format!("{}\n", diff::to_html(&header, &redline))),
                    DiffFormat::Markdown => stdout(&format!("{}\n", diff::to_markdown(&header, &redline))),
                    DiffFormat::Json => {
                        let json = serde_json::json!({ "header": header, "summary": redline.summary, "rows": redline.rows });
                        stdout(&format!("{}\n", serde_json::to_string_pretty(&json).unwrap_or_default()));
                    }
                }
            }),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => return serve(&root, &serve::Options { bind, port }, open),
        Command::New { kind, id, root } => {
            policybook::scaffold::new_item(&root, kind, &id, Date::today()).map(|path| {
                eprintln!("created {}", path.display());
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Content(diagnostics)) => {
            print_all(&diagnostics);
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            eprintln!(
                "failed: {errors} error{}",
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Prints `check`'s findings (text on stderr, json and github on stdout) and its exit code.
fn report_check(findings: &[Diagnostic], format: Format, today: Date, deny: bool) -> ExitCode {
    let out = match format {
        Format::Text => check::text(findings, colour(&std::io::stderr())),
        _ => check::render(format, findings, today),
    };
    match format {
        Format::Text => eprint!("{out}"),
        Format::Json | Format::Github => stdout(&out),
    }
    let count = |s: Severity| findings.iter().filter(|d| d.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let failed = check::fails(findings, deny);
    if format == Format::Text || failed {
        eprintln!(
            "{}: {errors} error{}, {warnings} warning{}{}",
            if failed { "failed" } else { "checked" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
            if deny && warnings > 0 {
                " (warnings denied)"
            } else {
                ""
            }
        );
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn serve(root: &std::path::Path, options: &serve::Options, open: bool) -> ExitCode {
    let server = match serve::Server::start(root, options) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let url = server.url();
    eprintln!("serving {url} (Ctrl-C stops)");
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines can read this handbook",
            options.bind
        );
    }
    if open && let Err(e) = serve::open_in_browser(&url) {
        eprintln!("warning: cannot open a browser: {e}");
    }
    match server.run_until_ctrl_c() {
        Ok(()) => {
            eprintln!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Writes `text` to stdout. A reader that stops early (`| head`) closes the pipe: that ends the
/// output quietly instead of panicking as `print!` does.
fn stdout(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the output: {e}");
    }
}

/// Prints findings on stderr for a person: grouped by file, repeated rules summarised, in
/// colour when stderr is a terminal (NO_COLOR and CLICOLOR_FORCE are honoured).
fn print_all(diagnostics: &[Diagnostic]) {
    eprint!("{}", check::text(diagnostics, colour(&std::io::stderr())));
}

/// Whether to colour what goes to `stream`: a terminal, unless NO_COLOR; or CLICOLOR_FORCE.
fn colour(stream: &impl anstream::stream::RawStream) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}
