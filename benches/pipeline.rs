//! `cargo bench --bench pipeline [-- --items N]`: in-process timings of the pipeline's stages on a
//! generated handbook, and of a redline of two 20,000-word policy versions.
//!
//! A plain `harness = false` bench with a median and interquartile range: criterion's statistics
//! are not needed for stages that take milliseconds to seconds, and it would double the
//! project's compile time. Wall-clock figures of the CLI, memory and the Hugo comparison come
//! from `bench/run.sh`. Nothing here asserts a time.

#[allow(dead_code)] // Shared with the corpus generator, which uses all of it.
#[path = "../src/bin/gen-corpus/prose.rs"]
mod prose;

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut items = 1000usize;
    while let Some(arg) = args.next() {
        if arg == "--items" {
            items = args.next().and_then(|n| n.parse().ok()).unwrap_or(items);
        }
    }
    redline();
    pipeline(items);
}

/// Runs `f` `runs` times and prints the median and interquartile range.
fn measure(name: &str, runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let (q1, median, q3) = (times[runs / 4], times[runs / 2], times[runs * 3 / 4]);
    println!(
        "{name:<44} median {:>10.3} ms   IQR {:.3}–{:.3} ms   ({runs} runs)",
        ms(median),
        ms(q1),
        ms(q3)
    );
    median
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Two versions of a 20,000-word policy, about 40 edits apart.
fn redline() {
    let mut rng = prose::Rng::new(7);
    let headings: Vec<String> = (1..=40).map(|i| format!("Clause {i}")).collect();
    let old = prose::doc(&mut rng, &headings, 20_000, true);
    let new = old.revise(&mut rng, 40);
    let (old, new) = (old.markdown(), new.markdown());
    println!(
        "redline: {} and {} words",
        old.split_whitespace().count(),
        new.split_whitespace().count()
    );
    measure("redline of two 20,000-word versions", 31, || {
        black_box(policybook::diff::redline(black_box(&old), black_box(&new)));
    });
}

/// Load + check and a full build of a generated handbook of `items` items.
fn pipeline(items: usize) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("corpus");
    let status = Command::new(env!("CARGO_BIN_EXE_gen-corpus"))
        .args(["--items", &items.to_string()])
        .arg(&root)
        .status()
        .expect("gen-corpus runs");
    assert!(status.success(), "gen-corpus failed");
    let today = "2026-11-24".parse().expect("a date");
    measure(&format!("check ({items} items)"), 5, || {
        black_box(policybook::check(&root, today).expect("check runs"));
    });
    let dest = dir.path().join("site");
    let build = |dest: &Path| {
        let options = policybook::BuildOptions {
            dest: Some(dest.to_path_buf()),
            ..Default::default()
        };
        policybook::build(&root, &options).expect("the corpus builds")
    };
    let pages = build(&dest).pages;
    let median = measure(&format!("build, unchanged site ({items} items)"), 5, || {
        black_box(build(&dest));
    });
    println!(
        "{pages} pages: {:.0} pages/s",
        pages as f64 / median.as_secs_f64()
    );
}
