//! The command line's definitions: every command, argument and help text, as clap reads them.

use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Parser, Subcommand};

use policybook::check::Format;
use policybook::content::{Approval, Kind};
use policybook::date::Date;

/// Build a versioned, cross-linked governance handbook from structured Markdown.
#[derive(Parser)]
#[command(name = "policybook", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
pub enum DiffFormat {
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
