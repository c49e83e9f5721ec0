//! The `policybook` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use clap::{Parser, Subcommand};

use policybook::check::{self, Format, Rule};
use policybook::content::Kind;
use policybook::date::Date;
use policybook::{BuildOptions, Diagnostic, Error, Severity};

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
        Command::Check {
            root,
            format,
            today,
            deny,
            list_rules,
        } => {
            if list_rules {
                for rule in Rule::ALL {
                    let severity = format!("{:?}", rule.default_severity()).to_lowercase();
                    println!("{:<28} {severity:<8} {}", rule.id(), rule.explanation());
                }
                return ExitCode::SUCCESS;
            }
            let today = today.unwrap_or_else(Date::today);
            return match policybook::check(&root, today) {
                Ok(findings) => report_check(&findings, format, today, deny.is_some()),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            };
        }
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
    let out = check::render(format, findings, today);
    match format {
        Format::Text => eprint!("{out}"),
        Format::Json | Format::Github => print!("{out}"),
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

fn print_all(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}
