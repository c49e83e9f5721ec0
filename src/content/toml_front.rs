//! TOML front matter (`+++` fences), as Hugo writes it, read as the YAML the rest of loading
//! knows: each top-level field becomes one YAML line at the line it has in the TOML, so that
//! findings about a field point at its line in the file.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Rule, line_col};

/// The YAML equivalent of `toml`, the text between the fences; `first_line` is the file line
/// of its first line.
pub fn to_yaml(file: &Path, toml: &str, first_line: usize) -> Result<String, Diagnostic> {
    let error = |e: toml::de::Error| {
        let (line, col) = e.span().map_or((1, 1), |s| line_col(toml, s.start));
        Diagnostic::new(
            Rule::InvalidContent,
            file,
            first_line + line - 1,
            col,
            format!("TOML front matter: {}", e.message()),
        )
        .with_help("check the TOML: `field = value` lines, quoted strings, `[a, b]` lists")
    };
    let table: toml::Table = toml::from_str(toml).map_err(error)?;
    // Where each top-level field is first named (`key =`, `a.b =`, `[key]`, `[[key]]`).
    let spans = toml::de::DeTable::parse(toml).map_err(error)?;
    let line_of = |key: &str| {
        spans
            .get_ref()
            .keys()
            .find(|k| k.get_ref() == key)
            .map(|k| line_col(toml, k.span().start).0 - 1)
    };
    let mut lines = vec![String::new(); toml.lines().count()];
    for (key, value) in &table {
        let line = format!("{}: {}", plain_key(key), flow(value));
        match line_of(key) {
            Some(i) if lines.get(i).is_some_and(String::is_empty) => lines[i] = line,
            _ => lines.push(line),
        }
    }
    Ok(lines.join("\n"))
}

/// A key as written when it is a plain name, so that findings find its `key:` line; else quoted.
fn plain_key(key: &str) -> String {
    // Words YAML reads as something else than a string (`true`, `null`, `123`) are quoted.
    const WORDS: &[&str] = &["true", "false", "null", "yes", "no", "on", "off", "y", "n"];
    let plain = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !WORDS.contains(&key.to_ascii_lowercase().as_str());
    if plain { key.to_string() } else { quoted(key) }
}

/// A string as a YAML double-quoted scalar (a JSON string is one).
fn quoted(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_default();
    // JSON leaves these as they are; YAML refuses them, or reads them as line breaks.
    let unsafe_in_yaml = |c: char| matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}');
    if !json.contains(unsafe_in_yaml) {
        return json;
    }
    json.chars().fold(String::new(), |mut out, c| {
        if unsafe_in_yaml(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
        out
    })
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
    fn tables_dotted_keys_and_strings_keep_their_lines() {
        let toml = "note = \"\"\"\nowner = not a field\n\"\"\"\n[[links]]\nurl = \"a\"\nsite.name = \"x\"\n";
        let yaml = to_yaml(Path::new("x.md"), toml, 2).unwrap();
        let lines: Vec<&str> = yaml.lines().collect();
        assert_eq!(lines[0], r#"note: "owner = not a field\n""#);
        assert_eq!(lines[3], r#"links: [{"site": {"name": "x"}, "url": "a"}]"#);
        let toml = "\"true\" = 1\nodd = \"a\\u2028b\"\n";
        let value: serde_yaml::Value =
            serde_yaml::from_str(&to_yaml(Path::new("x.md"), toml, 2).unwrap()).unwrap();
        assert_eq!(value["true"].as_i64(), Some(1));
        assert_eq!(value["odd"].as_str(), Some("a\u{2028}b"));
    }

    #[test]
    fn a_toml_error_points_at_its_file_line() {
        let err = to_yaml(Path::new("x.md"), "title = \"a\"\nweight = = 3\n", 2).unwrap_err();
        assert_eq!((err.line, err.rule), (3, Some(Rule::InvalidContent)));
        assert!(err.message.starts_with("TOML front matter:"), "{err}");
    }
}
