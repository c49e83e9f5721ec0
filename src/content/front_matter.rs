//! Splitting a Markdown file into YAML front matter and body, and mapping YAML errors and
//! fields back to lines of the file.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::Rule;
use crate::diagnostic::{Diagnostic, explain_serde, suggestion};

/// The YAML between the `---` fences, with where it sits in its file.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// The YAML text.
    pub yaml: String,
    /// The file line of the YAML's first line (1-based).
    pub first_line: usize,
}

/// A file split at its fences.
#[derive(Debug)]
pub struct Split<'a> {
    /// The front matter.
    pub front: FrontMatter,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// The file line of the body's first line.
    pub body_line: usize,
}

/// Splits `text` (BOM and CRLF already removed) into front matter and body. A file that does not
/// start with a `---` line (YAML) or a `+++` line (TOML, as Hugo writes it) has no front matter:
/// all of it is the body (plain Markdown, as in an mdBook), and [`Split::front`] is empty.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let fence = ["---", "+++"].into_iter().find(|f| {
        text.strip_prefix(f)
            .is_some_and(|r| r.is_empty() || r.starts_with('\n'))
    });
    let Some(fence) = fence else {
        return Ok(Split {
            front: FrontMatter {
                yaml: String::new(),
                first_line: 1,
            },
            body: text,
            body_line: 1,
        });
    };
    let rest = text[fence.len()..].strip_prefix('\n').unwrap_or("");
    let close = if rest
        .strip_prefix(fence)
        .is_some_and(|r| r.is_empty() || r.starts_with('\n'))
    {
        Some(0)
    } else {
        rest.find(&format!("\n{fence}\n"))
            .map(|i| i + 1)
            .or_else(|| {
                rest.ends_with(&format!("\n{fence}"))
                    .then(|| rest.len() - 3)
            })
    };
    let Some(close) = close else {
        return Err(Diagnostic::new(
            Rule::InvalidContent,
            file,
            1,
            1,
            format!("front matter is never closed: expected a `{fence}` line after the fields"),
        ));
    };
    let fields = &rest[..close];
    let body_start = (close + 4).min(rest.len());
    let yaml = if fence == "+++" {
        super::toml_front::to_yaml(file, fields, 2)?
    } else {
        fields.to_string()
    };
    Ok(Split {
        front: FrontMatter {
            yaml,
            first_line: 2,
        },
        body: &rest[body_start..],
        body_line: 2 + fields.matches('\n').count() + 1,
    })
}

impl FrontMatter {
    /// Wraps a whole YAML file (roles.yaml, criteria.yaml).
    pub fn whole_file(yaml: String) -> FrontMatter {
        FrontMatter {
            yaml,
            first_line: 1,
        }
    }

    /// Deserializes the YAML into `T`, mapping an error to its file line. Empty front matter
    /// (or none) is an empty mapping.
    pub fn parse<T: DeserializeOwned>(&self, file: &Path) -> Result<T, Diagnostic> {
        let yaml = if self.is_empty() { "{}" } else { &self.yaml };
        serde_yaml::from_str(yaml).map_err(|e| self.yaml_error(file, &e))
    }

    /// Whether there are no fields: no front matter, or only blank lines and comments.
    pub fn is_empty(&self) -> bool {
        self.yaml
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    }

    fn yaml_error(&self, file: &Path, e: &serde_yaml::Error) -> Diagnostic {
        let text = e.to_string();
        // The crate appends its own position ("... at line 3 column 5"); ours is file-relative.
        let text = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m);
        let (message, help) = explain_serde(text);
        // Errors raised by our own types (a bad date) point at the start of the mapping, or
        // nowhere: the value quoted in the message says where they are.
        // A repeated key is reported where the mapping starts; the second occurrence is the news.
        let duplicate = message
            .strip_prefix("duplicate field `")
            .map(|f| f.trim_end_matches('`').to_string());
        if let Some(field) = duplicate
            && let Some(line) = self
                .yaml
                .lines()
                .enumerate()
                .filter(|(_, l)| {
                    l.strip_prefix(field.as_str())
                        .is_some_and(|r| r.trim_start().starts_with(':'))
                })
                .nth(1)
                .map(|(i, _)| self.first_line + i)
        {
            return Diagnostic::new(Rule::InvalidContent, file, line, 1, message).with_help(
                format!("`{field}` is given twice: keep one of the two lines"),
            );
        }
        let (line, col) = match (e.location(), self.locate_quoted(&message)) {
            (Some(l), _) if l.line() > 1 || l.column() > 1 => {
                (l.line() + self.first_line - 1, l.column())
            }
            (_, Some(found)) => found,
            (Some(l), None) => (l.line() + self.first_line - 1, l.column()),
            (None, None) => (self.first_line, 1),
        };
        let help = help.or_else(|| {
            if let Some(field) = message.strip_prefix("missing field `") {
                Some(format!("add `{}: ...` to the front matter", field.trim_end_matches('`')))
            } else if e.location().is_some() && !message.contains(':') {
                Some("check the YAML: `field: value` lines, spaces (not tabs) for indentation, matching quotes".into())
            } else {
                None
            }
        });
        // A nested unknown field (`exit_gates[0]: unknown field ...`) is reported by serde.
        let rule = if message.contains("unknown field `") {
            Rule::UnknownField
        } else {
            Rule::InvalidContent
        };
        let d = Diagnostic::new(rule, file, line, col, message);
        match help {
            Some(help) => d.with_help(help),
            None => d,
        }
    }

    /// File line and column of the first occurrence of `needle` anywhere in the YAML.
    pub fn locate_in_file(&self, needle: &str) -> (usize, usize) {
        self.yaml
            .lines()
            .enumerate()
            .find_map(|(i, l)| {
                l.find(needle)
                    .map(|c| (self.first_line + i, l[..c].chars().count() + 1))
            })
            .unwrap_or((self.first_line, 1))
    }

    /// Where the first `quoted` value of `message` appears in the YAML.
    fn locate_quoted(&self, message: &str) -> Option<(usize, usize)> {
        let quoted = message.split('`').nth(1).filter(|q| !q.is_empty())?;
        self.yaml.lines().enumerate().find_map(|(i, l)| {
            find_word(l, quoted).map(|c| (self.first_line + i, l[..c].chars().count() + 1))
        })
    }

    /// Checks the top-level keys against `known`, reporting every unknown one at its line;
    /// another tool's fields (see [`super::foreign`]) pass, and are returned.
    pub fn check_keys(&self, file: &Path, known: &[&str]) -> Result<Vec<String>, Vec<Diagnostic>> {
        let value: serde_yaml::Value = self.parse(file).map_err(|d| vec![d])?;
        let mapping = match value {
            serde_yaml::Value::Mapping(m) => m,
            serde_yaml::Value::Null => serde_yaml::Mapping::new(),
            _ => {
                return Err(vec![Diagnostic::new(
                    Rule::InvalidContent,
                    file,
                    self.first_line,
                    1,
                    "front matter must be a mapping of `field: value` lines",
                )]);
            }
        };
        let mut foreign = Vec::new();
        let errors: Vec<Diagnostic> = mapping
            .keys()
            .filter_map(|key| {
                let name = key
                    .as_str()
                    .map_or_else(|| format!("{key:?}"), str::to_string);
                if known.contains(&name.as_str()) {
                    return None;
                }
                if super::foreign::tools(&name).is_some() {
                    foreign.push(name);
                    return None;
                }
                Some({
                    let (line, col) = self.locate(&name);
                    Diagnostic::new(
                        Rule::UnknownField,
                        file,
                        line,
                        col,
                        format!("unknown field `{name}`"),
                    )
                    .with_help(suggestion(&name, known.iter().copied()))
                })
            })
            .collect();
        if errors.is_empty() {
            Ok(foreign)
        } else {
            Err(errors)
        }
    }

    /// File line and column of a top-level `key:`; the first line of the front matter if absent.
    pub fn locate(&self, key: &str) -> (usize, usize) {
        self.yaml
            .lines()
            .position(|l| {
                l.strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .map_or((self.first_line, 1), |i| (self.first_line + i, 1))
    }

    /// File line and column of `needle` inside the value of the top-level `key` (for list entries
    /// and nested fields); falls back to the key itself.
    pub fn locate_in(&self, key: &str, needle: &str) -> (usize, usize) {
        let (key_line, _) = self.locate(key);
        let start = key_line - self.first_line;
        for (i, line) in self.yaml.lines().enumerate().skip(start) {
            if i > start && !line.starts_with([' ', '\t', '-']) {
                break;
            }
            let from = if i == start {
                line.find(':').map_or(0, |c| c + 1)
            } else {
                0
            };
            if let Some(col) = find_word(&line[from..], needle) {
                return (self.first_line + i, line[..from + col].chars().count() + 1);
            }
        }
        (key_line, 1)
    }
}

/// Byte offset of `needle` in `line` where it is not part of a longer id.
fn find_word(line: &str, needle: &str) -> Option<usize> {
    let is_id = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    line.match_indices(needle)
        .map(|(i, _)| i)
        .find(|&i| !line[..i].ends_with(is_id) && !line[i + needle.len()..].starts_with(is_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split(Path::new("a.md"), "---\ntitle: A\nowner: x\n---\n# Body\n").unwrap();
        assert_eq!(s.front.yaml, "title: A\nowner: x\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 5);
        assert_eq!(s.front.locate("owner"), (3, 1));
    }

    #[test]
    fn unclosed_fence_is_an_error() {
        let e = split(Path::new("a.md"), "---\ntitle: A\n").unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn locates_list_entries() {
        let f = FrontMatter {
            yaml: "title: A\napprovers: [legal, sec]\ntraining:\n  - sec-basics\n  - sec\n".into(),
            first_line: 2,
        };
        assert_eq!(f.locate_in("approvers", "sec"), (3, 20));
        assert_eq!(f.locate_in("training", "sec"), (6, 5));
    }
}
