//! Story grouping speed on generated reports (crates/corpus): signal extraction (body parse,
//! script folding, segmentation) on all threads, then the single-pass grouping. Targets (#11):
//! 5,000 reports in at most 3 s and 100,000 in at most 60 s on 2 cores, memory linear.
//!
//! `cargo bench --bench stories` times 1,000 and 5,000 reports, and the grouping pass alone on
//! 5,000 prepared items. `STORIES_BENCH_LARGE=100000 cargo bench --bench stories` also runs the
//! whole pipeline once on that many reports and prints the time per report at both sizes, the
//! ratio that shows whether time is linear.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use reader::article::{self, Article, Origin};
use reader::stories::{self, Params};
use reader_corpus::Generator;

fn articles(n: usize) -> Vec<Article> {
    let mut g = Generator::new(11);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let (entry, bytes) = g.next_file();
        let bytes: Arc<[u8]> = bytes.into();
        let origin = Origin::Memory {
            name: PathBuf::from(&entry.path),
            bytes: bytes.clone(),
        };
        if let Ok(a) = article::parse(origin, &bytes) {
            out.push(a);
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    stories::signals::warm_up();
    let mut group = c.benchmark_group("stories");
    group.sample_size(10);
    for n in [1_000, 5_000] {
        let a = articles(n);
        group.bench_function(format!("group {n} reports"), |b| {
            b.iter(|| stories::group(&a, Params::default()))
        });
    }
    let a = articles(5_000);
    let items = stories::items_of(&a, 2);
    group.bench_function("grouping pass only, 5000 items", |b| {
        b.iter(|| stories::group_items(&items, Params::default()))
    });
    group.finish();

    if let Some(n) = std::env::var("STORIES_BENCH_LARGE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let mut per = Vec::new();
        let mut grew = Vec::new();
        for size in [n / 20, n] {
            let a = articles(size);
            // Resets the high-water mark to the current RSS (Linux), so VmHWM after the run is
            // this run's peak.
            let _ = std::fs::write("/proc/self/clear_refs", "5");
            let base = rss_kib("VmRSS");
            let start = Instant::now();
            let s = stories::group(&a, Params::default());
            let secs = start.elapsed().as_secs_f64();
            // The grouping's own memory: its peak less what the reports held before.
            let peak = rss_kib("VmHWM");
            let delta = peak.saturating_sub(base);
            println!(
                "stories: {size} reports in {secs:.2} s ({} stories, {:.1} µs per report); \
                 RSS {} MiB before grouping, peak {} MiB (+{} KiB, {:.2} KiB per report)",
                s.len(),
                secs * 1e6 / size as f64,
                base / 1024,
                peak / 1024,
                delta,
                delta as f64 / size as f64
            );
            per.push(secs / size as f64);
            grew.push(delta as f64 / size as f64);
        }
        println!("time per report, large / small: {:.2}", per[1] / per[0]);
        println!(
            "grouping memory per report, large / small: {:.2}",
            grew[1] / grew[0].max(1e-9)
        );
    }
}

/// A line of /proc/self/status in KiB (`VmRSS` now, `VmHWM` the peak so far); 0 where there
/// is no /proc.
fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

criterion_group!(benches, bench);
criterion_main!(benches);
