//! The pipeline runs one way: a module imports only from its own stage and the stages upstream
//! of it (README, Development). This test reads every `crate::…` path in `src/` and fails when
//! an upstream module names a downstream one.

use std::path::Path;

/// The stages, upstream first; modules on one line may import each other.
const LAYERS: &[&[&str]] = &[
    // Leaves: dates, the kinds of item, site paths, work side by side taken in order, findings
    // and their rules, and the crate's error type.
    &[
        "date",
        "kind",
        "urls",
        "parallel",
        "diagnostic",
        "Error",
        "Diagnostic",
        "Severity",
    ],
    &["config"],
    &["markdown"],
    &["diff"],
    &["content"],
    &["model"],
    &["check"],
    &["render"],
    &["output"],
    // The library's entry points and the commands built on them.
    &[
        "load", "model_of", "findings", "check_fn", "build", "versions", "scaffold",
    ],
    &["serve"],
];

fn layer(name: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&name))
}

/// The names a file reaches through `crate::`: `crate::model::x` gives `model`, and
/// `crate::{Diagnostic, Error}` gives both.
fn imports(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for name in group[..end].split(',') {
                let name = name.trim().split("::").next().unwrap_or("").trim();
                if !name.is_empty() {
                    out.push(name.to_string());
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn no_stage_imports_a_stage_downstream_of_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&src).unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        // The binaries and the crate root sit above every stage.
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = top.trim_end_matches(".rs");
        if ["bin", "cli", "main", "lib"].contains(&module) {
            continue;
        }
        let own = layer(module).unwrap_or_else(|| panic!("{module} is in no layer of LAYERS"));
        // Comments may mention any module; code may not import it.
        let text: String = std::fs::read_to_string(entry.path())
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for name in imports(&text) {
            let name = match name.as_str() {
                // Root functions named like modules.
                "check" if text.contains(&format!("crate::{name}(")) => "check_fn".to_string(),
                "model" if text.contains(&format!("crate::{name}(")) => "model_of".to_string(),
                _ => name,
            };
            let Some(theirs) = layer(&name) else {
                wrong.push(format!("{}: crate::{name} is in no layer", rel.display()));
                continue;
            };
            if theirs > own {
                wrong.push(format!(
                    "{}: {module} imports {name}, which is downstream of it",
                    rel.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_reader_of_imports_sees_groups_and_paths() {
    assert_eq!(
        imports("use crate::{Diagnostic, Error};\nuse crate::model::Handbook; crate::load(x)"),
        ["Diagnostic", "Error", "model", "load"]
    );
}
