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

// The handbook's text is read by counsel: the tests below hold it to one consistent set of rules
// and an honest history (each would have caught a contradiction the shipped handbook once had).

fn handbook() -> policybook::model::Handbook {
    policybook::load(root()).expect("the shipped handbook loads")
}

fn policy(e: &policybook::model::Entry) -> &policybook::content::Policy {
    match &e.item.data {
        Data::Policy(p) => p,
        _ => unreachable!("{} is not a policy", e.item.id),
    }
}

/// The edition current on `date` (`YYYY-MM-DD`): `YYYY.1` for January to June, `YYYY.2` after.
fn edition_of(date: &str) -> String {
    let month: u32 = date[5..7].parse().unwrap();
    format!("{}.{}", &date[..4], if month <= 6 { 1 } else { 2 })
}

/// The value of front-matter field `field` in a Markdown file's text (a one-line scalar).
fn front_field(text: &str, field: &str) -> Option<String> {
    let front = text.strip_prefix("---\n")?.split("\n---\n").next()?;
    front.lines().find_map(|l| {
        l.strip_prefix(&format!("{field}: "))
            .map(|v| v.trim().trim_matches('"').to_string())
    })
}

/// The ids of the items of `scheme` (`policy`, `stage`, …) that Markdown `text` links to.
fn linked_ids(text: &str, scheme: &str) -> BTreeSet<String> {
    let needle = format!("]({scheme}:");
    text.match_indices(&needle)
        .map(|(i, _)| {
            text[i + needle.len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                .collect()
        })
        .collect()
}

/// The body of the section under heading `heading` (any level) up to the next heading of the
/// same or a higher level.
fn section<'a>(body: &'a str, heading: &str) -> &'a str {
    let start = body
        .lines()
        .position(|l| l.trim_start_matches('#').trim() == heading && l.starts_with('#'))
        .unwrap_or_else(|| panic!("no heading `{heading}`"));
    let lines: Vec<&str> = body.lines().collect();
    let level = lines[start].chars().take_while(|&c| c == '#').count();
    let from = body.find(lines[start]).unwrap() + lines[start].len();
    let rest = &body[from..];
    let end = rest
        .lines()
        .filter(|l| l.starts_with('#'))
        .find(|l| l.chars().take_while(|&c| c == '#').count() <= level)
        .and_then(|l| rest.find(&format!("\n{l}")))
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn every_released_policy_starts_at_its_first_version_and_skips_none() {
    let handbook = handbook();
    for e in handbook.of_kind(Kind::Policy) {
        let versions: Vec<(u32, u32)> = e
            .item
            .releases
            .iter()
            .map(|a| {
                let (major, minor) = a.release.version.0.split_once('.').unwrap();
                (major.parse().unwrap(), minor.parse().unwrap())
            })
            .collect();
        assert_eq!(
            versions.first(),
            Some(&(1, 0)),
            "{}: the history must start at its first version, 1.0",
            e.item.id
        );
        for pair in versions.windows(2) {
            let ((a, b), next) = (pair[0], pair[1]);
            assert!(
                next == (a, b + 1) || next == (a + 1, 0),
                "{}: {a}.{b} is followed by {}.{}, so a version is missing",
                e.item.id,
                next.0,
                next.1
            );
        }
    }
}

#[test]
fn every_release_carries_the_edition_current_on_its_release_date() {
    let handbook = handbook();
    let mut all = Vec::new();
    for e in handbook.of_kind(Kind::Policy) {
        for a in &e.item.releases {
            let released = a.release.released.to_string();
            assert_eq!(
                a.release.edition.as_deref(),
                Some(edition_of(&released).as_str()),
                "{} {} released on {released}",
                e.item.id,
                a.release.version
            );
            assert!(
                a.release.released <= a.release.effective,
                "{} {} takes effect before its release",
                e.item.id,
                a.release.version
            );
            all.push((
                released,
                a.release.edition.clone().unwrap(),
                e.item.id.clone(),
            ));
        }
    }
    // Releases of an earlier edition never postdate those of a later one.
    all.sort();
    for pair in all.windows(2) {
        assert!(
            pair[0].1 <= pair[1].1,
            "{} ({}) is released after {} ({}) of a later edition",
            pair[0].2,
            pair[0].0,
            pair[1].2,
            pair[1].0
        );
    }
    // The book's edition is the newest one released in.
    let newest = all.iter().map(|r| r.1.clone()).max().unwrap();
    assert_eq!(
        handbook.config.book.version.as_deref(),
        Some(newest.as_str())
    );
}

#[test]
fn the_newest_releases_record_who_approved_them_when_and_where() {
    let handbook = handbook();
    let mut signed = 0;
    for e in handbook.of_kind(Kind::Policy) {
        let newest = &e.item.releases.last().expect("released").release;
        if newest.released.to_string() != "2026-11-11" {
            continue;
        }
        signed += 1;
        let what = format!("{} {}", e.item.id, newest.version);
        for role in &newest.approvers {
            assert!(
                newest
                    .approved_by
                    .iter()
                    .any(|a| &a.role == role && !a.name.is_empty()),
                "{what}: nobody signed for {role}"
            );
        }
        let on = newest.approved_on.expect("approval date");
        assert!(on <= newest.released, "{what}: approved after release");
        assert!(
            newest
                .reference
                .as_deref()
                .is_some_and(|r| r.starts_with("https://")),
            "{what}: reference"
        );
    }
    assert_eq!(signed, 6, "the six releases of 2026-11-11");
}

/// Releases once recorded as editorial and set to material (`material: true`) after
/// `editorial-not-editorial` found them changing obligation words: acceptable-use 1.1 replaced
/// the basis on which tools are approved and added "never" and "only".
const RECLASSIFIED: &[(&str, &str)] = &[("acceptable-use", "1.1")];

#[test]
fn archived_texts_agree_with_their_release_and_no_approved_policy_has_a_hidden_draft() {
    let handbook = handbook();
    for e in handbook.of_kind(Kind::Policy) {
        for a in &e.item.releases {
            let text = std::fs::read_to_string(root().join(&a.path)).unwrap();
            let what = format!("{} {}", e.item.id, a.release.version);
            assert_eq!(
                front_field(&text, "version"),
                Some(a.release.version.0.clone()),
                "{what}"
            );
            assert_eq!(
                front_field(&text, "effective"),
                Some(a.release.effective.to_string()),
                "{what}: the archived text's effective date"
            );
            if let Some(changes) = front_field(&text, "changes") {
                assert_eq!(
                    changes, a.release.summary,
                    "{what}: `changes` and the summary"
                );
            }
            // An editorial release says so in its summary, and a material one does not; but for
            // a release recorded as editorial that `editorial-not-editorial` found to change
            // obligation words, whose summary is the archived text's own and cannot change.
            let reclassified =
                RECLASSIFIED.contains(&(e.item.id.as_str(), a.release.version.0.as_str()));
            assert_eq!(
                a.release.material,
                reclassified || !a.release.summary.contains("no change in obligations"),
                "{what}: material is {}, but the summary says {:?}",
                a.release.material,
                a.release.summary
            );
        }
        if policy(e).status == policybook::content::PolicyStatus::Approved {
            assert!(
                policybook::model::pending_since(&e.item).is_none(),
                "{}: the working text differs from its newest release",
                e.item.id
            );
        }
    }
}

#[test]
fn a_policy_version_cites_only_policies_in_force_when_it_took_effect() {
    let handbook = handbook();
    for e in handbook.of_kind(Kind::Policy) {
        for a in &e.item.releases {
            for cited in linked_ids(&a.body.text().unwrap(), "policy") {
                let target = handbook.get(&cited).unwrap();
                assert!(
                    target
                        .item
                        .releases
                        .iter()
                        .any(|t| t.release.effective <= a.release.effective),
                    "{} {} (effective {}) cites `{cited}`, which was not yet in force",
                    e.item.id,
                    a.release.version,
                    a.release.effective
                );
            }
        }
    }
}

#[test]
fn risk_mitigations_marked_done_name_an_approved_policy_and_the_appetite_covers_every_category() {
    use policybook::content::MitigationStatus;
    let handbook = handbook();
    let mut used = BTreeSet::new();
    for e in handbook.of_kind(Kind::Risk) {
        let Data::Risk(r) = &e.item.data else {
            unreachable!()
        };
        used.insert(
            serde_json::to_value(r.category)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string(),
        );
        for m in r
            .mitigations
            .iter()
            .filter(|m| m.status == Some(MitigationStatus::Done))
        {
            let id = m.policy.as_deref().unwrap_or_else(|| {
                panic!(
                    "{}: done mitigation {:?} names no policy",
                    e.item.id, m.action
                )
            });
            let p = handbook.get(id).unwrap();
            assert_eq!(
                policy(p).status,
                policybook::content::PolicyStatus::Approved,
                "{}: {id}",
                e.item.id
            );
        }
    }
    // The operating model's appetite table names exactly the register's categories.
    let model = handbook.get("operating-model").unwrap();
    let body = model.item.body.text().unwrap();
    let table = section(&body, "Risk appetite");
    let named: BTreeSet<String> = table
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .map(|l| l.split(" |").next().unwrap().trim().to_string())
        .filter(|c| c != "Category" && !c.starts_with('-'))
        .collect();
    let all: BTreeSet<String> = [
        "compliance",
        "quality",
        "ip",
        "security",
        "operational",
        "vendor",
        "people",
    ]
    .map(String::from)
    .into();
    assert_eq!(
        named, all,
        "the appetite table covers every category, and only those"
    );
    assert!(used.is_subset(&all));
}

#[test]
fn agent_mode_is_ruled_once_in_acceptable_use() {
    let handbook = handbook();
    let rule = section(
        &handbook
            .get("acceptable-use")
            .unwrap()
            .item
            .body
            .text()
            .unwrap(),
        "Agent mode and autonomous actions",
    )
    .to_string();
    assert!(rule.contains("only in tier A repositories"), "{rule}");
    // The tier table and the classification table must not carry agent-mode rules of their own.
    let allowlist = &handbook
        .get("repository-allowlist")
        .unwrap()
        .item
        .body
        .text()
        .unwrap();
    for row in section(allowlist, "Repository tiers")
        .lines()
        .filter(|l| l.starts_with("| A |") || l.starts_with("| B |") || l.starts_with("| C |"))
    {
        assert!(
            !row.to_lowercase().contains("agent"),
            "allowlist tier row: {row}"
        );
    }
    let data = &handbook
        .get("data-handling")
        .unwrap()
        .item
        .body
        .text()
        .unwrap();
    assert!(
        !section(data, "Classification rules").contains("agent mode"),
        "data handling restates an agent-mode rule"
    );
    // Stages and scorecards that speak of agent mode point at the rule.
    for kind in [Kind::Stage, Kind::Scorecard, Kind::Module] {
        for e in handbook.of_kind(kind) {
            if e.item.body.text().unwrap().contains("gent mode") {
                assert!(
                    e.item
                        .body
                        .text()
                        .unwrap()
                        .contains("(policy:acceptable-use#agent-mode-and-autonomous-actions)"),
                    "{} speaks of agent mode without citing the rule",
                    e.item.id
                );
            }
            if let Data::Stage(s) = &e.item.data {
                let scope = s.scope.as_deref().unwrap_or("");
                if scope.contains("agent mode") {
                    assert!(
                        scope.contains("agent mode in tier A only"),
                        "{}: {scope}",
                        e.item.id
                    );
                }
            }
        }
    }
}

#[test]
fn closed_stages_are_judged_on_their_decision_date() {
    let handbook = handbook();
    let mut stages: Vec<_> = handbook
        .of_kind(Kind::Stage)
        .map(|e| match &e.item.data {
            Data::Stage(s) => (s.order, e, s),
            _ => unreachable!(),
        })
        .collect();
    stages.sort_by_key(|s| s.0);
    let (open, closed) = stages.split_last().unwrap();
    let Data::Stage(current) = &open.1.item.data else {
        unreachable!()
    };
    assert!(current.decided.is_none(), "the current stage is still open");
    let mut previous = None;
    for (_, e, s) in closed {
        let decided = s
            .decided
            .unwrap_or_else(|| panic!("{} led to a later stage but has no `decided`", e.item.id));
        assert!(
            previous < Some(decided),
            "{}: decisions are in order",
            e.item.id
        );
        previous = Some(decided);
        for g in s.exit_gates.iter().filter(|g| g.kpi.is_some()) {
            let Data::Kpi(k) = &handbook.get(g.kpi.as_deref().unwrap()).unwrap().item.data else {
                unreachable!()
            };
            let status = policybook::model::gate_status(g, k, Some(decided)).unwrap();
            assert!(
                status.date <= decided,
                "{}: a value from after the decision",
                e.item.id
            );
            assert!(
                status.met,
                "{}: the gate on {:?} was not met on {decided}, although the stage closed then",
                e.item.id, g.kpi
            );
        }
    }
    // Controlled expansion was decided on September's figures, not on a later month's.
    let ce = handbook.get("controlled-expansion").unwrap();
    let Data::Stage(s) = &ce.item.data else {
        unreachable!()
    };
    let gate = s
        .exit_gates
        .iter()
        .find(|g| g.kpi.as_deref() == Some("review-latency"))
        .unwrap();
    let Data::Kpi(k) = &handbook.get("review-latency").unwrap().item.data else {
        unreachable!()
    };
    let at = policybook::model::gate_status(gate, k, s.decided).unwrap();
    let now = policybook::model::gate_status(gate, k, None).unwrap();
    assert_eq!(at.date.to_string(), "2026-09-30");
    assert_ne!(
        at.current, now.current,
        "the decision date's value, not today's"
    );
}

#[test]
fn kpi_baselines_are_recorded_after_their_period_and_before_the_first_measurement() {
    let handbook = handbook();
    for e in handbook.of_kind(Kind::Kpi) {
        let Data::Kpi(k) = &e.item.data else {
            unreachable!()
        };
        if let Some(first) = k.series.points().iter().map(|p| p.date).min() {
            assert!(k.baseline.date <= first, "{}", e.item.id);
        }
        let baseline = k.baseline.date.to_string();
        for (period, ends) in [
            ("October to December 2025", "2025-12-31"),
            ("September to November 2025", "2025-11-30"),
        ] {
            if e.item.body.text().unwrap().contains(period)
                && e.item.body.text().unwrap().contains("baseline")
            {
                assert!(
                    baseline.as_str() > ends,
                    "{}: a baseline over {period} recorded on {baseline}",
                    e.item.id
                );
            }
        }
    }
}

#[test]
fn the_developers_role_lists_the_policies_and_training_that_apply_to_developers() {
    let handbook = handbook();
    let developers = handbook
        .roles
        .iter()
        .find(|r| r.id == "developers")
        .unwrap();
    let text = developers.responsibilities.join("\n").to_lowercase();
    for e in handbook.of_kind(Kind::Policy) {
        if e.item.body.text().unwrap().contains("(role:developers)") {
            let name = e.item.id.replace('-', " ");
            assert!(
                text.contains(&name),
                "developers' duties omit the policy `{name}`"
            );
        }
    }
    for e in handbook.of_kind(Kind::Module) {
        let Data::Module(m) = &e.item.data else {
            unreachable!()
        };
        if m.audience.iter().any(|a| a == "developers") {
            let name = e.item.id.replace('-', " ");
            assert!(
                text.contains(&name),
                "developers' duties omit the module `{name}`"
            );
        }
    }
}

#[test]
fn the_question_channel_is_named_the_same_everywhere() {
    let mut channels = BTreeMap::<String, Vec<PathBuf>>::new();
    let mut stack = vec![root().join("content")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            // Archived versions are history, not current text.
            if path
                .components()
                .any(|c| c.as_os_str().to_string_lossy().ends_with(".versions"))
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("#ai-") {
                let name: String = text[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                    .collect();
                channels.entry(name).or_default().push(path.clone());
            }
        }
    }
    assert_eq!(
        channels.keys().collect::<Vec<_>>(),
        ["ai-governance"],
        "{channels:?}"
    );
}

#[test]
fn every_training_module_is_mapped_to_the_ai_literacy_article_of_the_eu_ai_act() {
    let handbook = handbook();
    let eu = handbook
        .frameworks
        .iter()
        .find(|f| f.framework.id == "eu-ai-act")
        .expect("the shipped handbook maps to the EU AI Act");
    assert!(
        eu.framework.edition.contains("2024/1689"),
        "{}",
        eu.framework.edition
    );
    // Training is how the handbook meets Article 4: a module added without the claim would
    // leave the framework page understating the coverage.
    for e in handbook.of_kind(Kind::Module) {
        let claims = e.item.data.satisfies().and_then(|s| s.get("eu-ai-act"));
        assert!(
            claims.is_some_and(|c| c.iter().any(|id| id == "Article 4")),
            "module `{}` does not claim EU AI Act Article 4",
            e.item.id
        );
    }
}
