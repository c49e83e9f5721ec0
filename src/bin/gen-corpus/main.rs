//! Writes a synthetic handbook for benchmarks:
//! `gen-corpus [--items N] [--seed S] [--shape items|plain] OUT`.
//!
//! `items` (the default): N items spread over every kind, 600–1000 words of prose each with headings, lists, tables,
//! code on about a third of the pages and 3–5 cross-links; approved policies have two to four
//! released versions made by the library's own `release`. The same seed writes the same bytes,
//! and the result passes `policybook check` without errors. `plain`: N plain pages linked by
//! relative paths, the shape of handbooks users bring (see `plain.rs`).

mod plain;
mod prose;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use policybook::content::Kind;
use policybook::versions::{ReleaseOptions, release};
use prose::{Doc, Rng};
use rayon::prelude::*;

const ROLES: &[&str] = &[
    "security",
    "legal",
    "engineering",
    "developers",
    "procurement",
    "compliance",
];
const CRITERIA: &[(&str, u32)] = &[
    ("security", 30),
    ("privacy", 30),
    ("cost", 20),
    ("quality", 20),
];
const BOOK_TOML: &str = "[book]\ntitle = \"Generated Handbook\"\nversion = \"2026.1\"\n\n[output.html]\nsite-url = \"https://handbook.example.com/\"\n";

/// Share of the items per kind, in percent; pages take the rest.
const SHARES: &[(Kind, usize)] = &[
    (Kind::Policy, 20),
    (Kind::Stage, 5),
    (Kind::Scorecard, 10),
    (Kind::Module, 15),
    (Kind::Risk, 15),
    (Kind::Kpi, 10),
];

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-corpus: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let (mut items, mut seed, mut out) = (1000usize, 1u64, None);
    let mut shape = String::from("items");
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--items" => items = value("--items")?.parse().map_err(|e| format!("{e}"))?,
            "--seed" => seed = value("--seed")?.parse().map_err(|e| format!("{e}"))?,
            "--shape" => shape = value("--shape")?,
            "-h" | "--help" => {
                println!("usage: gen-corpus [--items N] [--seed S] [--shape items|plain] OUT");
                return Ok(());
            }
            _ if out.is_none() && !arg.starts_with('-') => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    let out = out.ok_or("usage: gen-corpus [--items N] [--seed S] [--shape items|plain] OUT")?;
    if fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some()) {
        return Err(format!("{} is not empty", out.display()));
    }
    match shape.as_str() {
        "items" => {}
        "plain" => {
            let files = plain::files(items.max(2), seed);
            files
                .par_iter()
                .try_for_each(|(path, text)| write(&out.join(path), text))?;
            eprintln!(
                "gen-corpus: {} plain pages in {}",
                files.len() - 2,
                out.display()
            );
            return Ok(());
        }
        _ => return Err(format!("unknown shape `{shape}`: expected items or plain")),
    }
    let plan = Plan::new(items.max(SHARES.len() + 1));
    let files = plan.files(seed);
    for (path, text) in &files {
        write(&out.join(path), text)?;
    }
    let staging = out.join(".gen-releases");
    let released: Result<Vec<()>, String> = plan
        .released
        .par_iter()
        .map(|&i| release_history(&out, &staging, &plan, i, seed))
        .collect();
    let _ = fs::remove_dir_all(&staging);
    released?;
    eprintln!(
        "gen-corpus: {} items, {} policies with released versions, in {}",
        plan.ids.len(),
        plan.released.len(),
        out.display()
    );
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Which items exist: their kinds and ids, decided before any text so links can point anywhere.
struct Plan {
    /// (kind, id) of every item.
    ids: Vec<(Kind, String)>,
    /// The ids of each kind.
    by_kind: Vec<(Kind, Vec<String>)>,
    /// Indices (into `ids`) of the approved policies, which get released versions.
    released: Vec<usize>,
}

impl Plan {
    fn new(n: usize) -> Plan {
        let mut by_kind = Vec::new();
        let mut left = n;
        for &(kind, share) in SHARES {
            let count = (n * share / 100).max(1);
            left -= count;
            by_kind.push((
                kind,
                (0..count)
                    .map(|i| format!("{}-{i:05}", kind.name()))
                    .collect(),
            ));
        }
        by_kind.push((
            Kind::Page,
            (0..left).map(|i| format!("page-{i:05}")).collect(),
        ));
        let ids: Vec<(Kind, String)> = by_kind
            .iter()
            .flat_map(|(k, ids): &(Kind, Vec<String>)| ids.iter().map(|id| (*k, id.clone())))
            .collect();
        let released = (0..ids.len())
            .filter(|&i| ids[i].0 == Kind::Policy && approved(&ids[i].1))
            .collect();
        Plan {
            ids,
            by_kind,
            released,
        }
    }

    fn of(&self, kind: Kind) -> &[String] {
        self.by_kind
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, ids)| ids.as_slice())
    }

    /// Every file of the handbook but the release archives: (path under the root, text).
    fn files(&self, seed: u64) -> Vec<(PathBuf, String)> {
        let mut files = vec![
            (PathBuf::from("book.toml"), BOOK_TOML.to_string()),
            (PathBuf::from("content/roles.yaml"), roles_yaml()),
            (PathBuf::from("content/vendors/criteria.yaml"), criteria()),
            (
                PathBuf::from("content/index.md"),
                "---\ntitle: Generated Handbook\nowner: compliance\n---\n\nStart with the [guide](page:page-00000) and the [first policy](policy:policy-00000#purpose).\n".into(),
            ),
        ];
        let items: Vec<(PathBuf, String)> = (0..self.ids.len())
            .into_par_iter()
            .map(|i| {
                self.item(
                    i,
                    &mut Rng::new(seed ^ (i as u64).wrapping_mul(0x2545_F491)),
                )
            })
            .collect();
        files.extend(items);
        files
    }

    /// The path and text of item `i`.
    fn item(&self, i: usize, rng: &mut Rng) -> (PathBuf, String) {
        let (kind, id) = (&self.ids[i].0, self.ids[i].1.as_str());
        let path = match kind {
            Kind::Page => {
                let n: usize = id[5..].parse().unwrap_or(0);
                PathBuf::from(format!("content/guide/part-{:02}/{id}.md", n / 100))
            }
            _ => PathBuf::from(format!("content/{}/{id}.md", kind.folder())),
        };
        let mut links = self.links(i, rng);
        if *kind == Kind::Page {
            // A chain through the guide, so every page is reachable from the home page.
            let n: usize = id[5..].parse().unwrap_or(0);
            if let Some(next) = self.of(Kind::Page).get(n + 1) {
                links.push(("next page".into(), format!("page:{next}")));
            }
        }
        let code = rng.one_in(3);
        let words = rng.range(600, 1000);
        let (front, doc) = match kind {
            Kind::Policy => {
                let sections = policybook::config::SUGGESTED_SECTIONS.map(String::from);
                let history = policy_history(id, &sections, words, code, rng);
                let mut doc = history.last().cloned().unwrap_or_default();
                doc.link(rng, &links);
                (self.policy_front(id, history.len() - 1, true, rng), doc)
            }
            _ => {
                let headings = prose::headings(rng);
                let mut doc = prose::doc(rng, &headings, words, code);
                doc.link(rng, &links);
                (self.front(*kind, id, rng), doc)
            }
        };
        (path, format!("---\n{front}---\n\n{}", doc.markdown()))
    }

    /// 3–5 links to other items, some to a heading.
    fn links(&self, i: usize, rng: &mut Rng) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for _ in 0..rng.range(3, 5) {
            let j = rng.range(0, self.ids.len() - 1);
            let (kind, id) = &self.ids[if j == i { (j + 1) % self.ids.len() } else { j }];
            let anchor = match (kind, rng.range(0, 2)) {
                (Kind::Policy, 0) => "#scope",
                (Kind::Policy, 1) => "#roles-and-responsibilities",
                (_, 0) => "#overview",
                _ => "",
            };
            out.push((
                format!("{} {id}", kind.name()),
                format!("{}:{id}{anchor}", kind.name()),
            ));
        }
        if rng.one_in(4) {
            let role = rng.pick(ROLES);
            out.push((format!("the {role} team"), format!("role:{role}")));
        }
        out
    }

    /// Front matter of a policy: `versions` released before this text.
    fn policy_front(&self, id: &str, versions: usize, working: bool, rng: &mut Rng) -> String {
        let mut f = title(id, rng);
        let status = if approved(id) {
            "approved"
        } else if rng.one_in(2) {
            "in-review"
        } else {
            "draft"
        };
        let _ = write!(
            f,
            "version: \"1.{versions}\"\nstatus: {status}\nowner: {}\napprovers: [legal, {}]\neffective: {}\n{}\nchanges: Revised clauses and examples for version 1.{versions}.\n",
            rng.pick(ROLES),
            rng.pick(&ROLES[2..]),
            release_date(versions, 15),
            // The working text is reviewed well ahead, so a corpus checks clean for a while.
            if working {
                "next_review: 2030-01-01"
            } else {
                "review_every: 1 year"
            },
        );
        if working {
            let _ = writeln!(f, "mitigates: [{}]", self.some(Kind::Risk, 2, rng));
            let _ = writeln!(f, "training: [{}]", self.some(Kind::Module, 2, rng));
        }
        f
    }

    /// Up to `n` distinct ids of `kind`, comma-separated.
    fn some(&self, kind: Kind, n: usize, rng: &mut Rng) -> String {
        let ids = self.of(kind);
        let mut picked: Vec<&str> = (0..n).map(|_| rng.pick(ids).as_str()).collect();
        picked.sort_unstable();
        picked.dedup();
        picked.join(", ")
    }

    fn front(&self, kind: Kind, id: &str, rng: &mut Rng) -> String {
        let mut f = title(id, rng);
        let owner = rng.pick(ROLES);
        let _ = writeln!(f, "owner: {owner}");
        let n: usize = id
            .rsplit('-')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let _ = match kind {
            Kind::Page => writeln!(f, "weight: {}", n % 10),
            // The corpus holds no exceptions (see SHARES); a policy's fields come from policy_front.
            Kind::Policy | Kind::Exception => Ok(()),
            Kind::Stage => writeln!(
                f,
                "order: {}\nduration: 8 weeks\nentry_criteria: [Baselines recorded, Owners named]\nexit_gates:\n  - {{ kpi: {}, op: \"<=\", threshold: {} }}\n  - {{ text: Security review signed off }}\nrequired_policies: [{}]\nrequired_training: [{}]",
                n + 1,
                rng.pick(self.of(Kind::Kpi)),
                rng.range(10, 90),
                self.some(Kind::Policy, 3, rng),
                self.some(Kind::Module, 2, rng),
            ),
            Kind::Scorecard => {
                let scores: String = CRITERIA
                    .iter()
                    .map(|(c, _)| {
                        format!(
                            "  {c}: {{ score: {}, evidence: {} }}\n",
                            rng.range(1, 5),
                            prose::sentence(rng)
                        )
                    })
                    .collect();
                writeln!(
                    f,
                    "vendor: Vendor {n}\nevaluated: 2026-02-{:02}\nevaluators: [security, procurement]\ndecision: {}\nscores:\n{}",
                    n % 28 + 1,
                    rng.pick(&["approve", "conditional", "reject"]),
                    scores.trim_end()
                )
            }
            Kind::Module => {
                let prerequisites = match n.checked_sub(1) {
                    // Only earlier modules, so prerequisites never form a cycle.
                    Some(p) if rng.one_in(3) => format!("prerequisites: [module-{p:05}]\n"),
                    _ => String::new(),
                };
                write!(
                    f,
                    "audience: [developers, engineering]\nduration_minutes: {}\nobjectives: [Apply the policy, Recognise the risks]\npolicies: [{}]\n{prerequisites}refresh_every: 1 year\nlevel: {}\nlast_reviewed: 2026-01-{:02}\n",
                    rng.range(2, 12) * 5,
                    self.some(Kind::Policy, 2, rng),
                    rng.pick(&["introductory", "intermediate", "advanced"]),
                    n % 28 + 1,
                )
            }
            Kind::Risk => writeln!(
                f,
                "category: {}\nlikelihood: {}\nimpact: {}\nresidual_likelihood: {}\nresidual_impact: {}\nstatus: mitigating\nreview: 2027-0{}-01\nmitigations:\n  - {{ action: {}, policy: {}, status: in-progress }}",
                rng.pick(&[
                    "compliance",
                    "quality",
                    "ip",
                    "security",
                    "operational",
                    "vendor",
                    "people"
                ]),
                rng.range(1, 5),
                rng.range(1, 5),
                rng.range(1, 3),
                rng.range(1, 3),
                rng.range(1, 9),
                prose::sentence(rng).trim_end_matches('.'),
                rng.pick(self.of(Kind::Policy)),
            ),
            Kind::Kpi => {
                let series: String = (1..=12)
                    .map(|m| {
                        format!(
                            "  - {{ date: 2025-{m:02}-15, value: {} }}\n",
                            rng.range(10, 90)
                        )
                    })
                    .collect();
                writeln!(
                    f,
                    "unit: percent\ndirection: {}\npillar: {}\ndefinition: {}\nbaseline: {{ value: {}, date: 2024-12-15 }}\ntarget: {}\nseries:\n{}",
                    rng.pick(&["up", "down"]),
                    rng.pick(&["productivity", "quality", "risk", "cost"]),
                    prose::sentence(rng),
                    rng.range(10, 90),
                    rng.range(10, 90),
                    series.trim_end()
                )
            }
        };
        f
    }
}

/// Policies whose number is not a multiple of 5 or 5 + 1 are approved (60%).
fn approved(id: &str) -> bool {
    id.rsplit('-')
        .next()
        .and_then(|n| n.parse::<usize>().ok())
        .is_some_and(|n| n % 5 < 3)
}

/// `title:` and `summary:` lines.
fn title(id: &str, rng: &mut Rng) -> String {
    let s = prose::sentence(rng);
    let words: Vec<&str> = s.trim_end_matches('.').split(' ').take(5).collect();
    format!("title: {} ({id})\nsummary: {s}\n", words.join(" "))
}

/// The date of release `v` (0-based), on `day` of every other month of 2025.
fn release_date(v: usize, day: usize) -> String {
    format!("2025-{:02}-{day:02}", (v * 2 + 1).min(12))
}

/// The texts of a policy: released versions 1.0, 1.1, … then the working text (last).
fn policy_history(
    id: &str,
    sections: &[String],
    words: usize,
    code: bool,
    rng: &mut Rng,
) -> Vec<Doc> {
    let first = prose::doc(rng, sections, words, code);
    let count = if approved(id) { rng.range(3, 5) } else { 1 };
    let mut out = vec![first];
    while out.len() < count {
        let edits = rng.range(2, 6);
        let next = out[out.len() - 1].revise(rng, edits);
        out.push(next);
    }
    out
}

/// Releases the earlier versions of policy `i` in a handbook of its own (so each release loads
/// one policy, not the whole corpus) and moves the archive into place.
fn release_history(
    out: &Path,
    staging: &Path,
    plan: &Plan,
    i: usize,
    seed: u64,
) -> Result<(), String> {
    let id = &plan.ids[i].1;
    // The same generator state as `Plan::item`, so the histories match the working text.
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0x2545_F491));
    let _ = plan.links(i, &mut rng);
    let code = rng.one_in(3);
    let words = rng.range(600, 1000);
    let sections = policybook::config::SUGGESTED_SECTIONS.map(String::from);
    let history = policy_history(id, &sections, words, code, &mut rng);
    let root = staging.join(id);
    write(&root.join("book.toml"), BOOK_TOML)?;
    write(&root.join("content/roles.yaml"), &roles_yaml())?;
    let file = root.join(format!("content/policies/{id}.md"));
    for (v, doc) in history[..history.len() - 1].iter().enumerate() {
        let front = plan.policy_front(id, v, false, &mut Rng::new(seed ^ v as u64));
        write(&file, &format!("---\n{front}---\n\n{}", doc.markdown()))?;
        let date = release_date(v, 1).parse().map_err(|e: String| e)?;
        let options = ReleaseOptions {
            summary: Some(format!("Version 1.{v}: clauses revised after review.")),
            // Every third release is editorial, when its revision happens to be wording only:
            // `release` refuses an editorial release that changes numbers or obligations.
            editorial: v % 3 == 2
                && policybook::diff::not_editorial(&policybook::diff::redline(
                    &history[v - 1].markdown(),
                    &doc.markdown(),
                ))
                .is_empty(),
            date,
            approved_by: Vec::new(),
            approved_on: None,
            reference: None,
        };
        release(&root, id, &options).map_err(|e| format!("releasing {id} 1.{v}: {e}"))?;
    }
    let archive = format!("content/policies/{id}.versions");
    fs::rename(root.join(&archive), out.join(&archive)).map_err(|e| format!("{archive}: {e}"))?;
    let _ = fs::remove_dir_all(&root);
    Ok(())
}

fn roles_yaml() -> String {
    ROLES
        .iter()
        .map(|r| format!("- id: {r}\n  title: {}\n", r[..1].to_uppercase() + &r[1..]))
        .collect()
}

fn criteria() -> String {
    CRITERIA
        .iter()
        .map(|(c, w)| {
            format!(
                "- {{ id: {c}, title: {}, weight: {w} }}\n",
                c[..1].to_uppercase() + &c[1..]
            )
        })
        .collect()
}
