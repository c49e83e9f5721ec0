//! What an editorial (wording-only) change may not touch: numbers, dates, durations, obligation
//! words and whole clauses. `release --editorial` refuses such a change and `check` reports an
//! archived editorial release that made one, since the edition page calls it wording only.

use super::{Redline, Row, Status, TARGET};

/// Words that set what a policy requires; changing one changes an obligation.
const OBLIGATIONS: &[&str] = &[
    "must",
    "shall",
    "may",
    "never",
    "only",
    "required",
    "prohibited",
];

/// Words that state a date or a duration without digits.
const TIME_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "fortnight",
    "fortnights",
    "month",
    "months",
    "quarter",
    "quarters",
    "year",
    "years",
    "hourly",
    "daily",
    "weekly",
    "fortnightly",
    "monthly",
    "quarterly",
    "annually",
    "yearly",
];

/// Numbers written as words (not "one", which is as often a pronoun: "a recorded one").
const NUMBER_WORDS: &[&str] = &[
    "zero",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "once",
    "twice",
    "half",
];

/// A change that an editorial release may not make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotEditorial {
    /// Where: the block's clause citation or section.
    pub at: String,
    /// What changed, naming the words: "`90` → `30`", "removes `must`", "adds a clause: …".
    pub what: String,
}

impl std::fmt::Display for NotEditorial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.what)
    }
}

/// The changes of `redline` that are more than wording, in reading order. Moves are wording:
/// the same words at another place.
pub fn not_editorial(redline: &Redline) -> Vec<NotEditorial> {
    let mut out = Vec::new();
    for row in &redline.rows {
        let at = row.citation();
        match row.status {
            Status::Inserted => out.push(NotEditorial {
                at,
                what: format!("adds a clause: “{}”", opening(row.new.as_deref())),
            }),
            Status::Deleted => out.push(NotEditorial {
                at,
                what: format!("removes a clause: “{}”", opening(row.old.as_deref())),
            }),
            Status::Changed => {
                if let Some(what) = changed_terms(row) {
                    out.push(NotEditorial { at, what });
                }
            }
            Status::Unchanged | Status::MovedAway | Status::MovedHere => {}
        }
    }
    out
}

/// The first words of a block, to name it.
fn opening(text: Option<&str>) -> String {
    let words: Vec<&str> = text
        .unwrap_or("")
        .split(' ')
        .filter(|w| !w.starts_with(TARGET))
        .collect();
    if words.len() > 8 {
        format!("{} …", words[..8].join(" "))
    } else {
        words.join(" ")
    }
}

/// The numbers, dates, durations and obligation words a changed block lost and gained, if any.
fn changed_terms(row: &Row) -> Option<String> {
    let (mut old, mut new) = (terms(row.old.as_deref()), terms(row.new.as_deref()));
    // Terms on both sides are kept, however they moved within the block.
    let mut i = 0;
    while i < old.len() {
        match new
            .iter()
            .position(|n| n.to_lowercase() == old[i].to_lowercase())
        {
            Some(j) => {
                new.remove(j);
                old.remove(i);
            }
            None => i += 1,
        }
    }
    let quote = |ts: &[String]| {
        ts.iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (old.is_empty(), new.is_empty()) {
        (true, true) => None,
        (false, false) => Some(format!("{} → {}", quote(&old), quote(&new))),
        (false, true) => Some(format!("removes {}", quote(&old))),
        (true, false) => Some(format!("adds {}", quote(&new))),
    }
}

/// The terms of a block that an editorial change must keep, as written (punctuation trimmed).
fn terms(text: Option<&str>) -> Vec<String> {
    let words: Vec<&str> = text
        .unwrap_or("")
        .split(' ')
        .filter(|w| !w.is_empty() && !w.starts_with(TARGET))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        let lower = word.to_lowercase();
        // "must not" is one obligation: "must" → "must not" reverses it.
        if lower == "must"
            && words
                .get(i + 1)
                .is_some_and(|n| n.eq_ignore_ascii_case("not"))
        {
            out.push(format!("{word} {}", words[i + 1]));
            i += 2;
            continue;
        }
        let counts = word.chars().any(|c| c.is_ascii_digit())
            || OBLIGATIONS.contains(&lower.as_str())
            || TIME_WORDS.contains(&lower.as_str())
            || NUMBER_WORDS.contains(&lower.as_str());
        if counts {
            out.push(word.to_string());
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::redline;

    fn found(old: &str, new: &str) -> Vec<String> {
        not_editorial(&redline(old, new))
            .into_iter()
            .map(|n| n.what)
            .collect()
    }

    #[test]
    fn rewording_is_editorial() {
        assert!(
            found(
                "Logs are kept for 30 days.",
                "Logs are retained for 30 days."
            )
            .is_empty()
        );
        assert!(found("You must ask first.", "First, you must ask.").is_empty());
    }

    #[test]
    fn numbers_durations_and_obligations_are_not() {
        assert_eq!(
            found("Logs are kept for 90 days.", "Logs are kept for 30 days."),
            ["`90` → `30`"]
        );
        assert_eq!(
            found(
                "Logs are kept for two weeks.",
                "Logs are kept for two months."
            ),
            ["`weeks` → `months`"]
        );
        assert_eq!(
            found("Staff must report it.", "Staff should report it."),
            ["removes `must`"]
        );
        assert_eq!(
            found("Staff must report it.", "Staff must not report it."),
            ["`must` → `must not`"]
        );
        assert_eq!(
            found("Reviewed in March.", "Reviewed in April."),
            ["`March` → `April`"]
        );
    }

    #[test]
    fn whole_clauses_are_not() {
        assert_eq!(
            found("## A\n\nOne.\n", "## A\n\nOne.\n\n- Another rule here.\n"),
            ["adds a clause: “Another rule here.”"]
        );
    }
}
