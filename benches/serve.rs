//! Save-to-reload time of `policybook serve` on a generated 1,000-item handbook.
//!
//! Run with `cargo bench --bench serve [-- CORPUS]`. It writes a deterministic handbook to a
//! temporary folder (or copies the handbook folder CORPUS there, such as one made by
//! `gen-corpus`), starts the server on a free loopback port, subscribes to the reload channel like a
//! browser does, then saves a policy 20 times and measures, for each save, the time from just
//! before the write to the arrival of the `reload` event (debounce, reload, re-model,
//! incremental render and the SSE message all included). It prints the median; the target is
//! under 100 ms.

#[path = "../tests/common/http.rs"]
mod http;

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::time::{Duration, Instant};

use policybook::serve::{Options, Server};

const SAVES: usize = 20;
const POLICIES: usize = 200;
const RISKS: usize = 150;
const MODULES: usize = 100;
const KPIS: usize = 50;
const STAGES: usize = 10;
const SCORECARDS: usize = 20;
const PAGES: usize = 470;
const ROLES: [&str; 5] = [
    "security",
    "legal",
    "platform-team",
    "developers",
    "sponsor",
];

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let corpus = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let items = match &corpus {
        Some(corpus) => copy(Path::new(corpus), root),
        None => generate(root),
    };
    eprintln!(
        "generated a handbook of {items} items in {}",
        root.display()
    );

    let started = Instant::now();
    let options = Options {
        bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
    };
    let server = Server::start(root, &options).expect("server starts");
    eprintln!(
        "first build and start: {} ms",
        started.elapsed().as_millis()
    );
    let (file, url) = page_to_edit(root);
    let page = http::get(server.addr(), &url);
    assert_eq!(page.status, 200, "the handbook builds");
    let mut events = http::Events::open(server.addr());

    let file = root.join(file);
    let original = std::fs::read_to_string(&file).expect("read policy");
    let mut times = Vec::with_capacity(SAVES);
    for save in 0..SAVES {
        let text = format!("{original}\nKeep records, edit {save}.\n");
        let before = Instant::now();
        std::fs::write(&file, text).expect("save");
        events
            .wait_for("reload", Duration::from_secs(10))
            .expect("reload event");
        times.push(before.elapsed());
        let page = http::get(server.addr(), &url);
        assert!(
            page.text().contains(&format!("edit {save}.")),
            "page updated"
        );
        // Let the watcher settle, and the search index that follows each reload be written, so
        // each save is measured on its own, as a writer's saves seconds apart are.
        std::thread::sleep(Duration::from_millis(1000));
    }
    server.stop();

    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "save-to-reload over {SAVES} saves on {items} items: median {:.1} ms (min {:.1}, max {:.1}; target < 100 ms, {} ms debounce included)",
        ms(times[SAVES / 2]),
        ms(times[0]),
        ms(times[SAVES - 1]),
        policybook::serve::DEBOUNCE.as_millis(),
    );
}

/// Copies the handbook at `from` to `to`; returns the number of its Markdown files.
fn copy(from: &Path, to: &Path) -> usize {
    let mut items = 0;
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the corpus");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
            items += usize::from(
                target.extension().is_some_and(|e| e == "md")
                    && !target.to_string_lossy().contains(".versions"),
            );
        }
    }
    items
}

/// The id of the first policy (by file name) whose page the bench watches.
/// The file saved and the address of its page: the first policy, or in a handbook without
/// policies (`gen-corpus --shape plain`) the first page of the first part.
fn page_to_edit(root: &Path) -> (String, String) {
    let mut ids: Vec<String> = std::fs::read_dir(root.join("content/policies"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
        .collect();
    ids.sort();
    match ids.into_iter().next() {
        Some(policy) => (
            format!("content/policies/{policy}.md"),
            format!("/policies/{policy}.html"),
        ),
        None => (
            "content/part-0/page-00000.md".into(),
            "/part-0/page-00000.html".into(),
        ),
    }
}

/// Writes a handbook of 1,000 cross-linked items under `root`; returns the number of items.
fn generate(root: &Path) -> usize {
    let put = |rel: &str, text: String| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    let role = |i: usize| ROLES[i % ROLES.len()];
    put(
        "book.toml",
        "[book]\ntitle = \"Generated handbook\"\nversion = \"2026.1\"\n".into(),
    );
    let mut roles = String::new();
    for r in ROLES {
        writeln!(roles, "- id: {r}\n  title: {}", r.replace('-', " ")).expect("fmt");
    }
    put("content/roles.yaml", roles);
    put(
        "content/vendors/criteria.yaml",
        "- { id: auditability, title: Auditability, weight: 40 }\n- { id: retention, title: Data retention, weight: 35 }\n- { id: support, title: Enterprise support, weight: 25 }\n".into(),
    );
    put(
        "content/index.md",
        "---\ntitle: Welcome\nowner: security\n---\n\nStart with the [first policy](policy:policy-0).\n".into(),
    );

    for i in 0..POLICIES {
        put(
            &format!("content/policies/policy-{i}.md"),
            format!(
                "---\ntitle: Policy {i}\nversion: \"1.{v}\"\nstatus: approved\nowner: {owner}\napprovers: [legal]\neffective: 2026-03-01\nreview_every: 12 months\nmitigates: [risk-{r}]\ntraining: [module-{m}]\nchanges: Generated.\n---\n\n{body}",
                v = i % 7,
                owner = role(i),
                r = i % RISKS,
                m = i % MODULES,
                body = sections(i, "Keep records."),
            ),
        );
    }
    for i in 0..RISKS {
        put(
            &format!("content/risks/risk-{i}.md"),
            format!(
                "---\ntitle: Risk {i}\ncategory: security\nowner: {owner}\nlikelihood: {l}\nimpact: {im}\nmitigations:\n  - {{ action: Apply policy {p}, policy: policy-{p}, status: done }}\n---\n\nWhy risk {i} matters.\n",
                owner = role(i + 1),
                l = i % 5 + 1,
                im = (i / 5) % 5 + 1,
                p = (i * 7) % POLICIES,
            ),
        );
    }
    for i in 0..MODULES {
        put(
            &format!("content/training/module-{i}.md"),
            format!(
                "---\ntitle: Module {i}\nowner: security\naudience: [developers]\nduration_minutes: {d}\nobjectives: [Apply policy {p}]\npolicies: [policy-{p}]\n---\n\nCovers [policy {p}](policy:policy-{p}#scope).\n",
                d = 15 + i % 60,
                p = (i * 3) % POLICIES,
            ),
        );
    }
    for i in 0..KPIS {
        let mut series = String::new();
        for month in 1..=12 {
            writeln!(
                series,
                "  - {{ date: 2026-{month:02}-01, value: {} }}",
                20 + (i + month) % 9
            )
            .expect("fmt");
        }
        put(
            &format!("content/kpis/kpi-{i}.md"),
            format!(
                "---\ntitle: KPI {i}\nunit: hours\ndirection: down\nowner: {owner}\nbaseline: {{ value: 30, date: 2026-01-15 }}\ntarget: 22\nseries:\n{series}---\n\nHow KPI {i} is measured.\n",
                owner = role(i),
            ),
        );
    }
    for i in 0..STAGES {
        put(
            &format!("content/stages/stage-{i}.md"),
            format!(
                "---\ntitle: Stage {i}\norder: {i}\nowner: platform-team\nentry_criteria: [Previous stage done]\nexit_gates:\n  - {{ kpi: kpi-{k}, op: \"<=\", threshold: 25 }}\n  - {{ text: Sign-off }}\nrequired_policies: [policy-{i}]\nrequired_training: [module-{i}]\n---\n\nStage {i} of the rollout.\n",
                k = i % KPIS,
            ),
        );
    }
    for i in 0..SCORECARDS {
        put(
            &format!("content/vendors/vendor-{i}.md"),
            format!(
                "---\ntitle: Vendor {i} evaluation\nowner: security\nvendor: Vendor {i}\nevaluated: 2026-02-10\nevaluators: [security]\nscores:\n  auditability: {{ score: {a} }}\n  retention: {{ score: {b} }}\n  support: {{ score: {c} }}\ndecision: conditional\n---\n\nNotes on vendor {i}.\n",
                a = i % 5 + 1,
                b = (i + 2) % 5 + 1,
                c = (i + 4) % 5 + 1,
            ),
        );
    }
    for i in 0..PAGES {
        put(
            &format!("content/guide/part-{}/page-{i}.md", i / 50),
            format!(
                "---\ntitle: Guide page {i}\nowner: security\nweight: {i}\n---\n\nSee [policy {p}](policy:policy-{p}) and [risk {r}](risk:risk-{r}).\n\n{body}",
                p = (i * 11) % POLICIES,
                r = i % RISKS,
                body = sections(i, "Read on."),
            ),
        );
    }
    POLICIES + RISKS + MODULES + KPIS + STAGES + SCORECARDS + PAGES + 1
}

/// A few sections of prose, so pages have the size of real ones.
fn sections(seed: usize, first: &str) -> String {
    let mut text = String::new();
    // The sections `check` requires of a policy.
    for (n, heading) in [
        "Scope",
        "Purpose",
        "Roles and responsibilities",
        "Policy",
        "Exceptions",
        "References",
    ]
    .iter()
    .enumerate()
    {
        write!(text, "## {heading}\n\n").expect("fmt");
        if n == 0 {
            text.push_str(first);
            text.push(' ');
        }
        for s in 0..6 {
            write!(
                text,
                "Sentence {s} of section {n} in item {seed} explains what people do and why it matters. "
            )
            .expect("fmt");
        }
        text.push_str("\n\n- A first point\n- A second point\n\n");
    }
    text
}
