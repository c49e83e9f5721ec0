//! The `policybook` command line: a thin layer over the library. `cli::args` defines the
//! commands, `cli::commands` runs each, `cli::output` prints what they found.

use std::process::ExitCode;

use clap::Parser;

mod cli {
    pub mod args;
    pub mod commands;
    pub mod output;
    pub mod progress;
}
use cli::args::{Cli, Command};
use cli::commands;

use policybook::date::Date;
use policybook::scaffold::InitOptions;
use policybook::versions::ReleaseOptions;
use policybook::{BuildOptions, Error, Severity, serve};

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Init { dir, title, force } => {
            let options = InitOptions {
                title,
                force,
                today: Date::today(),
            };
            commands::init(&dir, &options)
        }
        Command::Build {
            root,
            dest,
            today,
            as_of,
        } => commands::build(&root, &BuildOptions { dest, today, as_of }),
        Command::Check {
            list_rules: true, ..
        } => return commands::list_rules(),
        Command::Check {
            root,
            format,
            today,
            deny,
            ..
        } => return commands::check(&root, format, today, deny.is_some()),
        Command::Release {
            id,
            summary,
            editorial,
            date,
            approved_by,
            approved_on,
            reference,
            root,
        } => {
            let options = ReleaseOptions {
                summary,
                editorial,
                date: date.unwrap_or_else(Date::today),
                approved_by,
                approved_on,
                reference,
            };
            commands::release(&root, &id, &options)
        }
        Command::Diff {
            id,
            from,
            to,
            format,
            root,
        } => commands::diff(&root, &id, from.as_deref(), to.as_deref(), format),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => return commands::serve(&root, &serve::Options { bind, port }, open),
        Command::New { kind, id, root } => commands::new(&root, kind, &id),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Content(diagnostics)) => {
            cli::output::print_all(&diagnostics);
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
