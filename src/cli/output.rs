//! What the command line prints: findings for a person, machine output on stdout, colour.

use std::process::ExitCode;

use policybook::check::{self, Format};
use policybook::date::Date;
use policybook::{Diagnostic, Severity};

/// Prints `check`'s findings (text on stderr, json and github on stdout) and its exit code.
pub fn report_check(findings: &[Diagnostic], format: Format, today: Date, deny: bool) -> ExitCode {
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

/// Writes `text` to stdout. A reader that stops early (`| head`) closes the pipe: that ends the
/// output quietly instead of panicking as `print!` does.
pub fn stdout(text: &str) {
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
pub fn print_all(diagnostics: &[Diagnostic]) {
    eprint!("{}", check::text(diagnostics, colour(&std::io::stderr())));
}

/// Whether to colour what goes to `stream`: a terminal, unless NO_COLOR; or CLICOLOR_FORCE.
pub fn colour(stream: &impl anstream::stream::RawStream) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}
