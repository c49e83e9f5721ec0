//! Governance views on fixture data with hand-computed expectations.

mod common;

use common::Handbook;

#[test]
fn vendor_totals_rank_with_ties() {
    let hb = Handbook::fixture("minimal");
    // Acme: 60×4/5 + 40×2/5 = 64. Globex: 60×3/5 + 40×3.5… use 60×2/5 + 40×5/5 = 24 + 40 = 64 (a tie).
    hb.write(
        "content/vendors/globex.md",
        "---\ntitle: Globex evaluation\nowner: security\nvendor: Globex\nevaluated: 2026-02-11\nscores:\n  auditability: { score: 2 }\n  retention: { score: 5, evidence: Zero retention. }\n---\n\nIllustrative.\n",
    );
    hb.write(
        "content/vendors/initech.md",
        "---\ntitle: Initech evaluation\nowner: security\nvendor: Initech\nevaluated: 2026-02-12\nscores:\n  auditability: { score: 5, evidence: Full export. }\n  retention: { score: 5, evidence: Zero retention. }\n---\n\nIllustrative.\n",
    );
    hb.run(&["build"]).ok();
    let html = hb.read("book/vendors/index.html");
    assert!(html.contains("<td><strong>64</strong> (rank =2)</td><td><strong>64</strong> (rank =2)</td><td><strong>100</strong> (rank 1)</td>"), "{html}");
    // Best per row: auditability 5 (Initech), retention 5 (Globex and Initech, a tie).
    assert!(html.contains(r#"<th scope="row">Auditability</th><td>60</td><td>4</td><td>2 <span class="bad" title="no evidence given">(no evidence)</span></td><td class="best">5 <span role="img" aria-label="best in this row">★</span></td>"#), "{html}");
    assert!(html.contains(r#"<th scope="row">Data retention</th><td>40</td><td>2</td><td class="best">5 <span role="img" aria-label="best in this row">★</span></td><td class="best">5 <span role="img" aria-label="best in this row">★</span></td>"#), "{html}");
    assert!(html.contains("<title>Weighted total of each vendor, out of 100</title>"));
}

#[test]
fn heat_map_places_each_risk_in_its_cell() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    let html = hb.read("book/risks/index.html");
    // Inherent: likelihood 4, impact 5 → column 5 (x = 346), row 2 from the top (y = 74).
    assert!(html.contains(r#"<rect x="346" y="74" width="64" height="64" class="heat heat-critical"/><a href="../risks/leak-risk.html"><title>Code leaks through prompts</title>"#), "{html}");
    // Residual: likelihood 2, impact 3 → x = 218, y = 202.
    assert!(html.contains(r#"<rect x="218" y="202" width="64" height="64" class="heat heat-medium"/><a href="../risks/leak-risk.html">"#));
}

/// Builds with the defect KPI's latest value and a gate, and returns the gate's status cell.
fn gate(direction: &str, op: &str, threshold: &str, latest: &str) -> String {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "content/kpis/defects.md",
        "direction: down",
        &format!("direction: {direction}"),
    );
    hb.write(
        "content/data/defects.csv",
        &format!("date,value\n2026-02-01,0.07\n2026-03-01,{latest}\n"),
    );
    hb.edit(
        "content/stages/pilot.md",
        "op: \"<=\", threshold: 0.05",
        &format!("op: \"{op}\", threshold: {threshold}"),
    );
    hb.run(&["build"]).ok();
    let html = hb.read("book/stages/pilot.html");
    html.split("<tr>")
        .find(|r| r.contains("Defect rate"))
        .unwrap()
        .to_string()
}

#[test]
fn gates_on_boundary_values_in_both_directions() {
    assert!(
        gate("down", "<=", "0.05", "0.05").contains("✓ met"),
        "equal to an at-most threshold is met"
    );
    assert!(gate("down", "<=", "0.05", "0.051").contains("✗ not met"));
    assert!(
        gate("down", "<", "0.05", "0.05").contains("✗ not met"),
        "strictly below"
    );
    assert!(gate("up", ">=", "0.05", "0.05").contains("✓ met"));
    assert!(gate("up", ">", "0.05", "0.05").contains("✗ not met"));
    assert!(
        gate("up", ">=", "0.05", "0.049").contains("<td>0.05</td>"),
        "values are rounded to two decimals on screen"
    );
}

#[test]
fn kpi_improvement_follows_its_direction() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    // Defects went from 0.08 to 0.04 and lower is better.
    let html = hb.read("book/dashboard.html");
    assert!(
        html.contains(r#"<strong>0.04</strong> ratio <span class="good">▲ improving</span>"#),
        "{html}"
    );
    assert!(html.contains("<dt>Target</dt><dd>0.05 (100% there)</dd>"));
    hb.edit(
        "content/kpis/defects.md",
        "direction: down",
        "direction: up",
    );
    hb.run(&["build"]).ok();
    assert!(
        hb.read("book/dashboard.html")
            .contains(r#"<span class="bad">▼ not improving</span>"#)
    );
}

#[test]
fn csv_errors_name_their_line() {
    let hb = Handbook::fixture("minimal");
    hb.write(
        "content/data/defects.csv",
        "date,value\n2026-02-01,0.07\n2026-03-01,lots\n",
    );
    let err = hb.run(&["build"]).fails();
    assert!(
        err.contains(
            "content/data/defects.csv:3:12: error[invalid-content]: expected a number, found `lots`"
        ),
        "{err}"
    );
    hb.write("content/data/defects.csv", "date,value\n2026-02-30,0.07\n");
    let err = hb.run(&["build"]).fails();
    assert!(
        err.contains(
            "content/data/defects.csv:2:1: error[invalid-content]: invalid date `2026-02-30`"
        ),
        "{err}"
    );
    hb.write("content/data/defects.csv", "when,how much\n");
    let err = hb.run(&["build"]).fails();
    assert!(
        err.contains(
            "content/data/defects.csv:1:1: error[invalid-content]: expected the header `date,value`"
        ),
        "{err}"
    );
}

#[test]
fn traceability_joins_risks_to_policies_training_stages_and_kpis() {
    let hb = Handbook::fixture("minimal");
    hb.run(&["build"]).ok();
    let html = hb.read("book/traceability.html");
    let row = html
        .split("<tr>")
        .skip(1)
        .find(|r| r.contains("leak-risk.html"))
        .unwrap();
    for link in [
        "policies/data-policy.html",
        "training/basics.html",
        "stages/pilot.html",
        "kpis/defects.html",
    ] {
        assert!(row.contains(link), "{link} missing from {row}");
    }
    assert!(html.contains("No gaps"));
    // A risk nobody mitigates is a gap when it is high (and above the appetite, which `check`
    // reports as an error unless book.toml lowers it, as here).
    hb.edit(
        "book.toml",
        "[output.html]",
        "[check.severity]\nrisk-above-appetite = \"warning\"\n\n[output.html]",
    );
    hb.write("content/risks/lock-in.md", "---\ntitle: Vendor lock-in\ncategory: vendor\nowner: legal\nlikelihood: 4\nimpact: 4\nmitigations:\n  - { action: Keep an exit plan }\n---\n\nText.\n");
    hb.run(&["build"]).ok();
    let html = hb.read("book/traceability.html");
    assert!(
        html.contains("Risk “Vendor lock-in” is critical and no policy mitigates it."),
        "{html}"
    );
    assert!(hb.read("book/risks/index.html").contains(
        "Vendor lock-in</a> <span class=\"badge level-high\">no approved mitigating policy</span>"
    ));
}

/// The heat map's flag and `risk-above-appetite` agree: a draft policy does not yet mitigate.
#[test]
fn a_risk_mitigated_only_by_a_draft_is_flagged_on_the_register_and_by_check() {
    let hb = Handbook::fixture("minimal");
    hb.edit(
        "book.toml",
        "[output.html]",
        "[check.severity]\nrisk-above-appetite = \"warning\"\n\n[output.html]",
    );
    hb.write("content/risks/lock-in.md", "---\ntitle: Vendor lock-in\ncategory: vendor\nowner: legal\nlikelihood: 4\nimpact: 4\nmitigations:\n  - { action: Keep an exit plan, policy: exit-plan }\n---\n\nText.\n");
    hb.write("content/policies/exit-plan.md", "---\ntitle: Exit plan\nversion: \"0.1\"\nstatus: draft\nowner: legal\neffective: 2027-01-01\nreview_every: 12 months\n---\n\n## Purpose\n\nLeave cleanly.\n");
    let run = hb.run(&["build", "--today", "2026-11-24"]);
    assert!(
        run.stderr()
            .contains("risk `lock-in` has residual score 16"),
        "{}",
        run.stderr()
    );
    let flagged = |html: &str| {
        html.contains(
            "Vendor lock-in</a> <span class=\"badge level-high\">no approved mitigating policy</span>",
        )
    };
    assert!(flagged(&hb.read("book/risks/index.html")));
    // Approved, the policy mitigates: neither the rule nor the register flags the risk.
    hb.edit(
        "content/policies/exit-plan.md",
        "status: draft",
        "status: approved\napprovers: [legal]",
    );
    let run = hb.run(&["build", "--today", "2026-11-24"]);
    assert!(!run.stderr().contains("risk `lock-in`"), "{}", run.stderr());
    assert!(!flagged(&hb.read("book/risks/index.html")));
}

#[test]
fn training_catalogue_orders_prerequisites_first() {
    let hb = Handbook::fixture("minimal");
    hb.write("content/training/advanced.md", "---\ntitle: Advanced\nowner: security\naudience: [developers]\nduration_minutes: 30\nobjectives: [Go further]\nprerequisites: [basics]\nweight: -1\n---\n\nText.\n");
    hb.run(&["build"]).ok();
    let html = hb.read("book/training/index.html");
    let section = &html[html.find("id=\"audience-developers\"").unwrap()..];
    let (basics, advanced) = (
        section.find("Basics").unwrap(),
        section.find("Advanced").unwrap(),
    );
    assert!(
        basics < advanced,
        "Basics comes before the module that needs it, whatever the weights"
    );
    assert!(section.contains("after Basics"));
}
