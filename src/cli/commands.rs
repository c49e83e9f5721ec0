//! One function per command: it calls the library and says what happened.

use std::path::Path;
use std::process::ExitCode;

use policybook::check::Format;
use policybook::content::Kind;
use policybook::date::Date;
use policybook::diagnostic::Rule;
use policybook::scaffold::InitOptions;
use policybook::versions::ReleaseOptions;
use policybook::{BuildOptions, Error, diff, serve};

use super::args::DiffFormat;
use super::output::{colour, print_all, report_check, stdout};
use super::progress;

/// `init`: writes a starter handbook and says what to do next.
pub fn init(dir: &Path, options: &InitOptions) -> Result<(), Error> {
    let written = policybook::scaffold::init(dir, options)?;
    eprintln!(
        "created a handbook of {} files in {}",
        written.len(),
        dir.display()
    );
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    eprintln!("next: {cd}policybook serve   (then edit content/, the page reloads)");
    Ok(())
}

/// `build`: the site, with a progress bar on a terminal.
pub fn build(root: &Path, options: &BuildOptions) -> Result<(), Error> {
    let bar = progress::Bar::new();
    let built = policybook::build_with_progress(root, options, &|p| bar.update(p));
    bar.finish();
    let report = built?;
    print_all(&report.warnings);
    eprintln!(
        "built {} pages into {}",
        report.pages,
        report.dest.display()
    );
    Ok(())
}

/// `check`: the findings in `format`; fails on errors, and on warnings when `deny`.
pub fn check(root: &Path, format: Format, today: Option<Date>, deny: bool) -> ExitCode {
    let today = today.unwrap_or_else(Date::build_date);
    match policybook::check(root, today) {
        Ok(findings) => report_check(&findings, format, today, deny),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `check --list-rules`: every rule with its default level.
pub fn list_rules() -> ExitCode {
    for rule in Rule::ALL {
        let severity = format!("{:?}", rule.default_level()).to_lowercase();
        stdout(&format!(
            "{:<28} {severity:<8} {}\n",
            rule.id(),
            rule.explanation()
        ));
    }
    ExitCode::SUCCESS
}

/// `release`: archives the policy's current text.
pub fn release(root: &Path, id: &str, options: &ReleaseOptions) -> Result<(), Error> {
    let path = policybook::versions::release(root, id, options)?;
    eprintln!("released {id}: archived as {}", path.display());
    Ok(())
}

/// `diff`: the redline between two versions of a policy, in `format`.
pub fn diff(
    root: &Path,
    id: &str,
    from: Option<&str>,
    to: Option<&str>,
    format: DiffFormat,
) -> Result<(), Error> {
    let handbook = policybook::load(root)?;
    let (header, redline) = policybook::model::compare(&handbook, id, from, to)?;
    let text = match format {
        DiffFormat::Terminal => diff::to_terminal(&header, &redline, colour(&std::io::stdout())),
        DiffFormat::Html => diff::to_html(&header, &redline),
        DiffFormat::Markdown => diff::to_markdown(&header, &redline),
        DiffFormat::Json => diff::to_json(&header, &redline),
    };
    stdout(&format!("{text}\n"));
    Ok(())
}

/// `new`: a new item of `kind` from its template.
pub fn new(root: &Path, kind: Kind, id: &str) -> Result<(), Error> {
    let path = policybook::scaffold::new_item(root, kind, id, Date::today())?;
    eprintln!("created {}", path.display());
    Ok(())
}

/// `serve`: builds, serves and rebuilds on every save until Ctrl-C.
pub fn serve(root: &Path, options: &serve::Options, open: bool) -> ExitCode {
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
