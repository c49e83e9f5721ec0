//! Check stage: governance rules over a validated [`Handbook`] → findings.
//!
//! Every finding of policybook, from a malformed file to an overdue review, carries a
//! [`Rule`](crate::diagnostic::Rule) (defined in the leaf `diagnostic`, so every stage can name
//! one). Structural rules run while loading and linking (content and model stages); the
//! governance rules of [`run`] need the whole, cross-linked handbook.

mod format;
mod rules;

pub use format::{Format, TEXT_LIMIT_PER_RULE, render, text};

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity, adjust};
use crate::model::Handbook;

/// Runs the governance rules over `handbook` as of `today`, with book.toml's severities applied.
/// The structural findings of loading are not repeated: they are in `handbook.diagnostics`.
pub fn run(handbook: &Handbook, today: Date) -> Vec<Diagnostic> {
    adjust(&handbook.config.check.severity, rules::run(handbook, today))
}

/// Whether `findings` should fail a CI gate: any error, or any warning when `deny_warnings`.
pub fn fails(findings: &[Diagnostic], deny_warnings: bool) -> bool {
    findings
        .iter()
        .any(|d| d.severity == Severity::Error || deny_warnings)
}
