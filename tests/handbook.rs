//! The shipped handbook: every part of the blueprint is there, and its built site has no broken
//! link or anchor.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use policybook::content::{Data, Kind};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_kind_is_present_in_the_counts_the_blueprint_needs() {
    let handbook = policybook::load(root()).expect("the shipped handbook loads");
    let count = |kind| handbook.of_kind(kind).count();
    assert!(count(Kind::Policy) >= 8, "policies");
    assert_eq!(
        count(Kind::Stage),
        3,
        "pilot, controlled expansion, KPI-driven scale"
    );
    assert!(count(Kind::Scorecard) >= 3, "scorecards");
    assert!(count(Kind::Module) >= 4, "training modules");
    assert!(count(Kind::Risk) >= 10, "risks");
    assert!(count(Kind::Kpi) >= 7, "KPIs");
    assert!(count(Kind::Page) >= 8, "pages");
    assert!(handbook.roles.len() >= 7, "roles");
    for kpi in [
        "pr-cycle-time",
        "review-latency",
        "defect-rate",
        "success-rate",
        "escalation-rate",
        "cost-per-task",
        "incident-frequency",
    ] {
        assert!(
            matches!(handbook.get(kpi).map(|e| e.item.kind), Some(Kind::Kpi)),
            "KPI {kpi}"
        );
    }
    let with_history = handbook
        .of_kind(Kind::Policy)
        .filter(|e| e.item.releases.len() >= 2)
        .count();
    assert!(
        with_history >= 3,
        "at least three policies have two or more released versions"
    );
    // Every policy is released, owned, approved and cited by a risk it mitigates.
    for e in handbook.of_kind(Kind::Policy) {
        let Data::Policy(p) = &e.item.data else {
            unreachable!()
        };
        assert!(
            !e.item.releases.is_empty() && !p.approvers.is_empty(),
            "{}",
            e.item.id
        );
    }
}

#[test]
fn the_built_site_has_no_broken_link_or_anchor() {
    let dest = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(["build", "--root"])
        .arg(root())
        .arg("--dest")
        .arg(dest.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let pages: BTreeMap<PathBuf, String> = common::snapshot(dest.path())
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, bytes)| (p, String::from_utf8(bytes).unwrap()))
        .collect();
    let ids =
        |html: &str| -> BTreeSet<String> { attribute_values(html, "id=\"").into_iter().collect() };
    let mut broken = Vec::new();
    for (page, html) in &pages {
        if page == Path::new("404.html") {
            continue; // its links are absolute, for any depth
        }
        for target in attribute_values(html, "href=\"")
            .into_iter()
            .chain(attribute_values(html, "src=\""))
        {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = target
                .split_once('#')
                .map_or((target.as_str(), None), |(p, a)| (p, Some(a)));
            let file = if path.is_empty() {
                page.clone()
            } else {
                normalise(&page.parent().unwrap().join(path))
            };
            let ok = if path.is_empty() || file.extension().is_some_and(|e| e == "html") {
                pages
                    .get(&file)
                    .is_some_and(|t| anchor.is_none_or(|a| ids(t).contains(a)))
            } else {
                dest.path().join(&file).is_file()
            };
            if !ok {
                broken.push(format!("{}: {target}", page.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(pages.len() > 100);
}

/// The values of every `name="…"` attribute in `html` (entities in URLs are not expected).
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    html.match_indices(name)
        .filter(|(i, _)| html[..*i].ends_with(' '))
        .filter_map(|(i, _)| {
            let rest = &html[i + name.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
