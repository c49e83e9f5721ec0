//! `policybook check`: one broken copy of the clean `minimal` fixture per rule, each triggering
//! exactly that rule at its file:line, plus `--today` boundaries, severities and output formats.

mod common;

use common::Handbook;
use serde_json::Value;

const TODAY: &str = "2026-11-24";

/// One rule's fixture: the clean handbook changed by `setup`.
struct Case {
    rule: &'static str,
    setup: fn(&Handbook),
    /// `file:line` of a finding (`file` alone for whole-file findings).
    at: &'static str,
    /// Exit code of `check` (1 for errors, 0 for warnings).
    code: i32,
}

/// Runs `check --format json` and returns the exit code and the parsed report.
fn check_json(hb: &Handbook, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let run = hb.run(&args);
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    let stdout = String::from_utf8_lossy(&run.output.stdout).into_owned();
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (run.code(), report)
}

fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let line = f["line"].as_u64().unwrap_or(0);
            let file = f["file"].as_str().unwrap_or("").to_string();
            let at = if line > 0 {
                format!("{file}:{line}")
            } else {
                file
            };
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                at,
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn module(id: &str, prerequisites: &str) -> String {
    format!(
        "---\ntitle: {id}\nowner: security\naudience: [developers]\nduration_minutes: 30\nobjectives: [Learn]\nprerequisites: [{prerequisites}]\n---\n\nText.\n"
    )
}

/// An exception to the data policy's retention clause, held by developers.
fn exception(approved_by: &str, granted: &str, expires: &str, status: &str) -> String {
    format!(
        "---\ntitle: Legacy export\nowner: developers\npolicy: policy:data-policy#retention\napproved_by: {approved_by}\ngranted: {granted}\nexpires: {expires}\nreason: A legacy job keeps prompts longer.\nstatus: {status}\n---\n\nText.\n"
    )
}

/// Where the cases below write their exception.
const EXCEPTION: &str = "content/exceptions/legacy-export.md";

const CASES: &[Case] = &[
    Case {
        rule: "framework-gap",
        setup: |hb| {
            // Off by default, like the house-style rules.
            hb.write(
                "content/frameworks/demo.yaml",
                "id: demo\ntitle: Demo\nedition: \"1.0\"\ncontrols:\n  - { id: CTL 1.1, title: Policies exist }\n",
            );
            hb.append(
                "book.toml",
                "\n[check.severity]\nframework-gap = \"error\"\n",
            );
        },
        at: "content/frameworks/demo.yaml:5",
        code: 1,
    },
    Case {
        rule: "exception-expired",
        setup: |hb| {
            hb.write(
                EXCEPTION,
                &exception("legal", "2026-06-01", "2026-11-23", "approved"),
            )
        },
        at: "content/exceptions/legacy-export.md:7",
        code: 0,
    },
    Case {
        rule: "exception-too-long",
        setup: |hb| {
            hb.write(
                EXCEPTION,
                &exception("legal", "2026-01-01", "2027-01-02", "approved"),
            )
        },
        at: "content/exceptions/legacy-export.md:7",
        code: 1,
    },
    Case {
        rule: "exception-approver-not-policy-approver",
        setup: |hb| {
            hb.write(
                EXCEPTION,
                &exception("security", "2026-06-01", "2026-12-31", "approved"),
            )
        },
        at: "content/exceptions/legacy-export.md:5",
        code: 1,
    },
    Case {
        rule: "owner-missing",
        setup: |hb| {
            // House style: off unless book.toml turns it on.
            hb.edit("content/guide/intro.md", "owner: legal\n", "");
            hb.append(
                "book.toml",
                "\n[check.severity]\nowner-missing = \"error\"\n",
            );
        },
        at: "content/guide/intro.md:2",
        code: 1,
    },
    Case {
        rule: "owner-not-a-role",
        setup: |hb| {
            hb.edit(
                "content/policies/data-policy.md",
                "owner: security",
                "owner: securty",
            )
        },
        at: "content/policies/data-policy.md:5",
        code: 1,
    },
    Case {
        rule: "unknown-role",
        setup: |hb| {
            hb.edit(
                "content/policies/data-policy.md",
                "approvers: [legal]",
                "approvers: [lawyers]",
            )
        },
        at: "content/policies/data-policy.md:6",
        code: 1,
    },
    Case {
        rule: "roles-missing",
        setup: |hb| {
            std::fs::remove_file(hb.path("content/roles.yaml")).unwrap();
            hb.edit("content/guide/intro.md", "[Legal](role:legal)", "Legal");
        },
        at: "content/roles.yaml",
        code: 0,
    },
    Case {
        rule: "policy-review-overdue",
        setup: |hb| {
            hb.edit(
                "content/policies/data-policy.md",
                "review_every: 12 months",
                "next_review: 2026-10-01",
            )
        },
        at: "content/policies/data-policy.md:8",
        code: 0,
    },
    Case {
        rule: "policy-retired-in-use",
        setup: |hb| {
            hb.edit(
                "content/policies/data-policy.md",
                "status: approved",
                "status: retired",
            )
        },
        at: "content/stages/pilot.md:10",
        code: 0,
    },
    Case {
        rule: "policy-without-approvers",
        setup: |hb| {
            hb.edit(
                "content/policies/data-policy.md",
                "approvers: [legal]\n",
                "",
            )
        },
        at: "content/policies/data-policy.md:4",
        code: 1,
    },
    Case {
        rule: "policy-missing-section",
        setup: |hb| {
            hb.edit(
                "content/policies/data-policy.md",
                "## Exceptions\n\nNone.\n\n",
                "",
            );
            hb.append(
                "book.toml",
                "\n[check]\nrequired-sections = [\"Purpose\", \"Policy\", \"Exceptions\"]\n",
            );
        },
        at: "content/policies/data-policy.md:13",
        code: 1,
    },
    Case {
        rule: "risk-above-appetite",
        setup: |hb| {
            hb.edit(
                "content/risks/leak-risk.md",
                "residual_impact: 3",
                "residual_impact: 5",
            );
            hb.edit(
                "content/policies/data-policy.md",
                "status: approved",
                "status: in-review",
            );
        },
        at: "content/risks/leak-risk.md:7",
        code: 1,
    },
    Case {
        rule: "risk-review-overdue",
        setup: |hb| {
            hb.edit(
                "content/risks/leak-risk.md",
                "residual_impact: 3\n",
                "residual_impact: 3\nreview: 2026-06-30\n",
            )
        },
        at: "content/risks/leak-risk.md:9",
        code: 0,
    },
    Case {
        rule: "gate-unknown-kpi",
        setup: |hb| hb.edit("content/stages/pilot.md", "kpi: defects", "kpi: defect"),
        at: "content/stages/pilot.md:8",
        code: 1,
    },
    Case {
        rule: "gate-kpi-without-data",
        setup: |hb| hb.edit("content/kpis/defects.md", "series: data/defects.csv\n", ""),
        at: "content/stages/pilot.md:8",
        code: 0,
    },
    Case {
        rule: "criteria-missing",
        setup: |hb| std::fs::remove_file(hb.path("content/vendors/criteria.yaml")).unwrap(),
        at: "content/vendors/criteria.yaml",
        code: 1,
    },
    Case {
        rule: "criteria-weights",
        setup: |hb| hb.edit("content/vendors/criteria.yaml", "weight: 40", "weight: 30"),
        at: "content/vendors/criteria.yaml:1",
        code: 1,
    },
    Case {
        rule: "scorecard-missing-criterion",
        setup: |hb| {
            hb.edit(
                "content/vendors/acme.md",
                "  retention: { score: 2, evidence: Keeps prompts for 90 days. }\n",
                "",
            )
        },
        at: "content/vendors/acme.md:6",
        code: 1,
    },
    Case {
        rule: "scorecard-missing-evidence",
        setup: |hb| {
            hb.edit(
                "content/vendors/acme.md",
                ", evidence: Keeps prompts for 90 days.",
                "",
            )
        },
        at: "content/vendors/acme.md:8",
        code: 0,
    },
    Case {
        rule: "module-refresh-overdue",
        setup: |hb| {
            hb.edit(
                "content/training/basics.md",
                "refresh_every: 1 year\n",
                "refresh_every: 6 months\nlast_reviewed: 2026-05-01\n",
            )
        },
        at: "content/training/basics.md:8",
        code: 0,
    },
    Case {
        rule: "module-behind-policy",
        setup: |hb| {
            hb.edit(
                "content/training/basics.md",
                "refresh_every: 1 year\n",
                "refresh_every: 1 year\nlast_reviewed: 2026-02-01\n",
            )
        },
        at: "content/training/basics.md:6",
        code: 0,
    },
    Case {
        rule: "editorial-not-editorial",
        setup: |hb| {
            // Version 1.3 archived as editorial, though it cut the retention period.
            let policy = "content/policies/data-policy.md";
            hb.edit(policy, "version: \"1.2\"", "version: \"1.3\"");
            hb.edit(policy, "at most 30 days", "at most 14 days");
            let text = hb.read(policy);
            hb.write("content/policies/data-policy.versions/1.3.md", &text);
            hb.append(
                "content/policies/data-policy.versions/versions.yaml",
                &format!(
                    "- version: '1.3'\n  released: 2026-04-01\n  effective: 2026-04-01\n  summary: Reworded.\n  approvers:\n  - legal\n  material: false\n  edition: '2026.1'\n  sha256: {}\n",
                    policybook::content::text_sha256(text.as_bytes())
                ),
            );
        },
        at: "content/policies/data-policy.versions/versions.yaml:11",
        code: 1,
    },
    Case {
        rule: "prerequisite-cycle",
        setup: |hb| {
            hb.write(
                "content/training/advanced.md",
                &module("advanced", "basics"),
            );
            hb.edit(
                "content/training/basics.md",
                "policies: [data-policy]",
                "policies: [data-policy]\nprerequisites: [advanced]",
            );
        },
        at: "content/training/advanced.md:7",
        code: 1,
    },
    Case {
        rule: "orphan-page",
        setup: |hb| {
            // Navigation lists every page unless SUMMARY.md leaves one out.
            hb.write("content/SUMMARY.md", "- [Intro](guide/intro.md)\n");
            hb.write(
                "content/guide/faq.md",
                "---\ntitle: FAQ\nowner: legal\n---\n\nAnswers.\n",
            )
        },
        at: "content/guide/faq.md:2",
        code: 0,
    },
    Case {
        rule: "broken-link",
        setup: |hb| {
            hb.edit(
                "content/guide/intro.md",
                "policy:data-policy#retention",
                "policy:data-polcy",
            )
        },
        at: "content/guide/intro.md:9",
        code: 1,
    },
    Case {
        rule: "broken-anchor",
        setup: |hb| hb.edit("content/guide/intro.md", "#retention", "#retentio"),
        at: "content/guide/intro.md:9",
        code: 1,
    },
    Case {
        rule: "duplicate-id",
        setup: |hb| {
            hb.write(
                "content/guide/zintro.md",
                "---\nid: intro\ntitle: Again\nowner: legal\nweight: 5\n---\n",
            )
        },
        at: "content/guide/zintro.md:2",
        code: 1,
    },
    Case {
        rule: "unknown-reference",
        setup: |hb| {
            hb.edit(
                "content/stages/pilot.md",
                "required_training: [basics]",
                "required_training: [basic]",
            )
        },
        at: "content/stages/pilot.md:11",
        code: 1,
    },
    Case {
        rule: "invalid-id",
        setup: |hb| {
            // A file name becomes an id (`Bad_Name` → `bad-name`); a written id must be one.
            hb.write(
                "content/guide/bad.md",
                "---\nid: Bad_Name\ntitle: Bad\nowner: legal\n---\n",
            )
        },
        at: "content/guide/bad.md:2",
        code: 1,
    },
    Case {
        rule: "unknown-field",
        setup: |hb| hb.edit("content/guide/intro.md", "weight: 1", "wieght: 1"),
        at: "content/guide/intro.md:3",
        code: 1,
    },
    Case {
        rule: "foreign-field",
        setup: |hb| hb.edit("content/guide/intro.md", "weight: 1", "sidebar_position: 1"),
        at: "content/guide/intro.md:3",
        code: 0,
    },
    Case {
        rule: "invalid-content",
        setup: |hb| hb.edit("content/stages/pilot.md", "order: 1", "order: first"),
        at: "content/stages/pilot.md:3",
        code: 1,
    },
    Case {
        rule: "mdbook-setting",
        setup: |hb| {
            hb.edit(
                "book.toml",
                "[output.html]\n",
                "[output.html]\nadditional-css = [\"custom.css\"]\n",
            )
        },
        at: "book.toml:6",
        code: 0,
    },
    Case {
        rule: "invalid-config",
        setup: |hb| {
            hb.edit(
                "book.toml",
                "[book]",
                "[check]\nrisk-apetite = 12\n\n[book]",
            )
        },
        at: "book.toml:2",
        code: 1,
    },
];

#[test]
fn the_clean_fixture_triggers_no_rule() {
    let hb = Handbook::fixture("minimal");
    let (code, report) = check_json(&hb, &["--deny", "warnings"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(findings(&report), vec![]);
}

#[test]
fn each_rule_fixture_triggers_exactly_that_rule() {
    for case in CASES {
        let hb = Handbook::fixture("minimal");
        (case.setup)(&hb);
        let (code, report) = check_json(&hb, &[]);
        let found = findings(&report);
        assert!(!found.is_empty(), "{}: no finding", case.rule);
        for (rule, _, _) in &found {
            assert_eq!(rule, case.rule, "{}: {found:?}", case.rule);
        }
        assert!(
            found.iter().any(|(_, at, _)| at == case.at),
            "{}: expected a finding at {}, got {found:?}",
            case.rule,
            case.at
        );
        assert_eq!(code, case.code, "{}: exit code, {found:?}", case.rule);
        if code == 0 {
            let (denied, _) = check_json(&hb, &["--deny", "warnings"]);
            assert_eq!(denied, 1, "{}: --deny warnings", case.rule);
        }
    }
}

/// A module teaches the policies naming it in `training` as much as those in its `policies`:
/// the rule and the module page count the same ones.
#[test]
fn a_module_is_behind_a_policy_that_names_it_in_training() {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/training/basics.md",
        "policies: [data-policy]\nrefresh_every: 1 year\n",
        "refresh_every: 1 year\nlast_reviewed: 2026-02-01\n",
    );
    let (code, report) = check_json(&hb, &[]);
    let found = findings(&report);
    assert_eq!(code, 0, "{found:?}");
    // At `last_reviewed`: the module's own lines do not name the policy.
    let expected = (
        "module-behind-policy",
        "content/training/basics.md:7",
        "warning",
    );
    let found: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|(r, at, level)| (r.as_str(), at.as_str(), level.as_str()))
        .collect();
    assert_eq!(found, [expected]);
    hb.run(&["build", "--today", TODAY]);
    let page = hb.read("book/training/basics.html");
    assert!(
        page.contains("<dt>Policies taught</dt><dd><a href=\"../policies/data-policy.html\">Data policy</a></dd>"),
        "{page}"
    );
}

#[test]
fn every_active_rule_has_a_fixture() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(["check", "--list-rules"])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    // Covered by tests/errors.rs (file-level failures) or pending the release archive.
    let elsewhere = [
        "unreadable-file",
        "policy-unreleased",
        "archive-hash-mismatch",
    ];
    for line in list.lines() {
        let id = line.split_whitespace().next().unwrap();
        assert!(
            elsewhere.contains(&id) || CASES.iter().any(|c| c.rule == id),
            "no fixture for {id}"
        );
    }
    assert!(list.contains("policy-unreleased"), "{list}");
}

/// The policy's next review set to `date`, checked as of TODAY.
fn review_on(date: &str) -> (i32, Vec<(String, String, String)>) {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/policies/data-policy.md",
        "review_every: 12 months",
        &format!("next_review: {date}"),
    );
    hb.edit(
        "content/risks/leak-risk.md",
        "residual_impact: 3\n",
        &format!("residual_impact: 3\nreview: {date}\n"),
    );
    let (code, report) = check_json(&hb, &["--deny", "warnings"]);
    (code, findings(&report))
}

#[test]
fn a_review_due_today_is_not_overdue() {
    let (code, found) = review_on(TODAY);
    assert_eq!((code, found), (0, vec![]));
}

#[test]
fn a_review_due_yesterday_is_overdue() {
    let (code, found) = review_on("2026-11-23");
    assert_eq!(code, 1);
    assert_eq!(
        found,
        vec![
            (
                "policy-review-overdue".into(),
                "content/policies/data-policy.md:8".into(),
                "warning".into()
            ),
            (
                "risk-review-overdue".into(),
                "content/risks/leak-risk.md:9".into(),
                "warning".into()
            ),
        ]
    );
}

#[test]
fn today_defaults_to_the_real_date() {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/policies/data-policy.md",
        "review_every: 12 months",
        "next_review: 2000-01-01",
    );
    let run = hb.run(&["check"]);
    assert_eq!(run.code(), 0, "warnings do not fail");
    assert!(
        run.stderr()
            .contains("warning[policy-review-overdue]: review overdue"),
        "{}",
        run.stderr()
    );
    assert_eq!(hb.run(&["check", "--today", "2026-13-01"]).code(), 2);
}

#[test]
fn book_toml_raises_lowers_and_turns_off_rules() {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/policies/data-policy.md",
        "review_every: 12 months",
        "next_review: 2026-10-01",
    );
    hb.write(
        "content/guide/faq.md",
        "---\ntitle: FAQ\nowner: legal\n---\n",
    );
    hb.edit(
        "content/policies/data-policy.md",
        "## Exceptions\n\nNone.\n\n",
        "",
    );
    let config = hb.read("book.toml");
    hb.write(
        "book.toml",
        &format!(
            "{config}\n[check]\nrequired-sections = [\"Purpose\", \"Policy\"]\n\n[check.severity]\npolicy-review-overdue = \"error\"\norphan-page = \"off\"\npolicy-unreleased = \"warning\"\n"
        ),
    );
    let (code, report) = check_json(&hb, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&report),
        vec![(
            "policy-review-overdue".into(),
            "content/policies/data-policy.md:8".into(),
            "error".into()
        )]
    );
    // A raised date rule blocks the build, as any error does.
    let err = hb.run(&["build"]).fails();
    assert!(err.contains("error[policy-review-overdue]"), "{err}");
    assert!(!hb.path("book").exists());
}

#[test]
fn unknown_rule_ids_in_book_toml_are_errors_with_a_suggestion() {
    let hb = Handbook::fixture("minimal");
    let config = hb.read("book.toml");
    hb.write(
        "book.toml",
        &format!("{config}\n[check.severity]\norphan-pages = \"off\"\n"),
    );
    let err = hb.run(&["check"]).fails();
    assert!(
        err.contains(
            "book.toml:9:1: error[invalid-config]: unknown variant `orphan-pages`\n  help: did you mean `orphan-page`?"
        ),
        "{err}"
    );
    hb.write(
        "book.toml",
        &format!("{config}\n[check.severity]\nduplicate-id = \"off\"\n"),
    );
    let err = hb.run(&["check"]).fails();
    assert!(
        err.contains("rule `duplicate-id` cannot be lowered"),
        "{err}"
    );
}

#[test]
fn build_refuses_errors_and_reports_warnings() {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/policies/data-policy.md",
        "approvers: [legal]\n",
        "",
    );
    let err = hb.run(&["build"]).fails();
    assert!(
        err.contains("content/policies/data-policy.md:4:1: error[policy-without-approvers]: policy `data-policy` is approved but lists no approvers"),
        "{err}"
    );
    assert!(!hb.path("book").exists());

    let hb = Handbook::fixture("minimal");
    hb.write("content/SUMMARY.md", "- [Intro](guide/intro.md)\n");
    hb.write(
        "content/guide/faq.md",
        "---\ntitle: FAQ\nowner: legal\n---\n",
    );
    let out = hb.run(&["build"]).ok();
    assert!(
        out.contains("content/guide/faq.md:2:1: warning[orphan-page]"),
        "{out}"
    );
    assert!(hb.path("book/guide/faq.html").exists());
}

/// Two warnings and two errors in three files, for the output formats.
fn mixed() -> Handbook {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/policies/data-policy.md",
        "review_every: 12 months",
        "next_review: 2026-10-01",
    );
    hb.edit(
        "content/vendors/acme.md",
        ", evidence: Keeps prompts for 90 days.",
        "",
    );
    hb.edit(
        "content/policies/data-policy.md",
        "approvers: [legal]\n",
        "",
    );
    hb.write(
        "content/training/advanced.md",
        &module("advanced", "advanced"),
    );
    hb
}

#[test]
fn json_output_matches_the_documented_schema() {
    let hb = mixed();
    let run = hb.run(&["check", "--format", "json", "--today", TODAY]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let actual = String::from_utf8_lossy(&run.output.stdout).into_owned();
    let expected = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/check.json"),
    )
    .unwrap();
    assert_eq!(actual, expected, "actual:\n{actual}");
}

#[test]
fn text_output_is_grouped_by_file() {
    let hb = mixed();
    let err = hb.run(&["check", "--today", TODAY]).fails();
    assert!(
        err.contains("content/policies/data-policy.md:7:1: warning[policy-review-overdue]: review overdue: policy `data-policy` was due for review on 2026-10-01, 54 days ago\n  help: "),
        "{err}"
    );
    assert!(
        err.contains(
            "\n\ncontent/training/advanced.md:7:17: error[prerequisite-cycle]: prerequisite cycle: advanced → advanced\n"
        ),
        "{err}"
    );
    assert!(err.ends_with("failed: 2 errors, 2 warnings\n"), "{err}");
}

#[test]
fn github_output_is_workflow_annotations() {
    let hb = mixed();
    let run = hb.run(&["check", "--format", "github", "--today", TODAY]);
    assert_eq!(run.code(), 1);
    let out = String::from_utf8_lossy(&run.output.stdout).into_owned();
    assert!(
        out.lines().any(|l| l.starts_with(
            "::warning file=content/vendors/acme.md,line=8,col=3,title=scorecard-missing-evidence::score for `retention` has no evidence%0Ahelp: "
        )),
        "{out}"
    );
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
}

/// `policybook check --format json | head -1`: the reader closes the pipe after a line; the
/// output ends quietly, without a panic.
#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::io::Read as _;
    let hb = Handbook::fixture("minimal");
    // Enough findings that the JSON outgrows the pipe's buffer.
    let links: String = (0..3000)
        .map(|i| format!("[x{i}](nowhere-{i}.md)\n"))
        .collect();
    hb.write(
        "content/guide/many.md",
        &format!("---\ntitle: Many\n---\n\n{links}"),
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(["check", "--format", "json", "--root"])
        .arg(hb.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here: the rest of the output meets a closed pipe.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(first[0], b'{');
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "errors found: exit 1, {stderr}");
}
