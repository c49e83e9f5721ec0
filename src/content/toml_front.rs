//! TOML front matter (`+++` fences), as Hugo writes it, read as the YAML the rest of loading
//! knows: each top-level field becomes one YAML line at the line it has in the TOML, so that
//! findings about a field point at its line in the file.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Rule, line_col};

/// The YAML equivalent of `toml`, the text between the fences; `first_line` is the file line
/// of its first line.
pub fn to_yaml(file: &Path, toml: &str, first_line: usize) -> Result<String, Diagnostic> {
    let table: toml::Table = toml::from_str(toml).map_err(|e| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(toml, s.start));
        Diagnostic::new(
            Rule::InvalidContent,
            file,
            first_line + line - 1,
            col,
            format!("TOML front matter: {}", e.message()),
        )
        .with_help("check the TOML: `field = value` lines, quoted strings, `[a, b]` lists")
    })?;
    let source: Vec<&str> = toml.lines().collect();
    let mut lines = vec![String::new(); source.len()];
    for (key, value) in &table {
        let line = format!("{}: {}", plain_key(key), flow(value));
        // A field sits on the line that names it (`key = …` or `[key]`); lines without one
        // stay blank.
        match source.iter().position(|l| names(l, key)) {
            Some(i) if lines[i].is_empty() => lines[i] = line,
            _ => lines.push(line),
        }
    }
    Ok(lines.join("\n"))
}

/// Whether a TOML line starts the field `key`.
fn names(line: &str, key: &str) -> bool {
    let line = line.trim_start();
    let rest = line
        .strip_prefix(key)
        .or_else(|| line.strip_prefix(&format!("\"{key}\"")));
    match rest {
        Some(rest) => rest.trim_start().starts_with('='),
        None => line.strip_prefix('[').is_some_and(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with([']', '.']))
        }),
    }
}

/// A key as written when it is a plain name, so that findings find its `key:` line; else quoted.
fn plain_key(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain { key.to_string() } else { quoted(key) }
}

/// A string as a YAML double-quoted scalar (a JSON string is one).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `value` as YAML flow syntax, on one line.
fn flow(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => quoted(s),
        toml::Value::Integer(n) => n.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        // `2026-01-01` unquoted: read as the date string it is.
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(flow).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::Table(table) => {
            let fields: Vec<String> = table
                .iter()
                .map(|(k, v)| format!("{}: {}", quoted(k), flow(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_lines_and_values() {
        let toml = "title = \"Data: \\\"retention\\\"\"\n\n# a comment\nweight = 3\ntags = [\"a\", \"b\"]\ndate = 2024-01-05\n\n[extra]\nteam = \"platform\"\n";
        let yaml = to_yaml(Path::new("x.md"), toml, 2).unwrap();
        let lines: Vec<&str> = yaml.lines().collect();
        assert_eq!(lines[0], r#"title: "Data: \"retention\"""#);
        assert_eq!(lines[3], "weight: 3");
        assert_eq!(lines[4], r#"tags: ["a", "b"]"#);
        assert_eq!(lines[5], "date: 2024-01-05");
        assert_eq!(lines[7], r#"extra: {"team": "platform"}"#);
        let value: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(value["title"].as_str(), Some("Data: \"retention\""));
        assert_eq!(value["date"].as_str(), Some("2024-01-05"));
    }

    #[test]
    fn a_toml_error_points_at_its_file_line() {
        let err = to_yaml(Path::new("x.md"), "title = \"a\"\nweight = = 3\n", 2).unwrap_err();
        assert_eq!((err.line, err.rule), (3, Some(Rule::InvalidContent)));
        assert!(err.message.starts_with("TOML front matter:"), "{err}");
    }
}
