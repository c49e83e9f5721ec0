//! The shipped handbook: every part of the blueprint is there, and its built site has no broken
//! link or anchor.

mod common;

use std::path::Path;

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

    let broken = common::broken_links(dest.path());
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    let pages = common::snapshot(dest.path())
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert!(pages > 100);
}
