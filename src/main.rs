//! The `policybook` command line: a thin layer over the library.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use policybook::content::Kind;
use policybook::date::Date;
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
    },
    /// Validate the handbook without writing anything (exit 1 on errors): a CI gate.
    Check {
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

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        format!("expected one of: {}", names.join(", "))
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { root, dest } => {
            policybook::build(&root, &BuildOptions { dest }).map(|report| {
                print_all(&report.warnings);
                eprintln!(
                    "built {} pages into {}",
                    report.pages,
                    report.dest.display()
                );
            })
        }
        Command::Check { root } => policybook::load(&root).map(|handbook| {
            print_all(&handbook.warnings);
            eprintln!(
                "{} items checked, no errors ({} warnings)",
                handbook.entries.len(),
                handbook.warnings.len()
            );
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

fn print_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}
