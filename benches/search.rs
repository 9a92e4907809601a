//! Search benchmarks (issue #12): building the index of a generated archive, query latency in
//! process, and a whole `reader search` process on the built index.
//!
//! Targets (2-core machine): 100,000 reports indexed in ≤ 60 s, the index ≤ 0.6× the files'
//! bytes; query p50 ≤ 10 ms and p99 ≤ 50 ms; a `reader search` process ≤ 0.25 s.
//!
//! `READER_BENCH_SEARCH_N` sets the archive size (default 100,000; 10,000 for a quick run on a
//! loaded machine). The build and the percentiles are measured once and printed; criterion
//! then times two representative queries. Run: `cargo bench --bench search`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::Criterion;
use reader::search::index::SearchIndex;
use reader::search::{Query, parse};
use reader_corpus as corpus;

fn dir_size(dir: &Path) -> u64 {
    walkdir(dir)
        .iter()
        .map(|p| p.metadata().map_or(0, |m| m.len()))
        .sum()
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Queries drawn from the generated titles: CJK words of 2–4 characters, two-word queries,
/// phrases, single characters and a date-limited one, so every query has hits.
fn queries(titles: &[String], n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    let mut rng = corpus::Rng::new(7);
    while out.len() < n {
        let t: Vec<char> = titles[rng.below(titles.len())]
            .chars()
            .filter(|c| *c as u32 >= 0x4E00 && (*c as u32) <= 0x9FFF)
            .collect();
        if t.len() < 6 {
            continue;
        }
        let at = rng.below(t.len() - 5);
        let word = |from: usize, len: usize| t[from..from + len].iter().collect::<String>();
        out.push(match out.len() % 6 {
            0 => word(at, 2),
            1 => word(at, 3),
            2 => format!("{} {}", word(at, 2), word(at + 3, 2)),
            3 => format!("\"{}\"", word(at, 4)),
            4 => word(at, 1),
            _ => format!("{} after:2020-01-01", word(at, 2)),
        });
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let count: usize = std::env::var("READER_BENCH_SEARCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let tmp = tempfile::tempdir().expect("temporary folder");
    // The index goes where `reader search` looks for it.
    let cache = tmp.path().join("cache");
    // SAFETY: set before any thread is started; nothing else reads the environment meanwhile.
    unsafe {
        std::env::set_var("XDG_CACHE_HOME", &cache);
        std::env::set_var("HOME", tmp.path());
    }
    let root = tmp.path().join("archive");
    let started = Instant::now();
    let entries = corpus::generate(&root, count, 1).expect("generate corpus");
    eprintln!("generated {count} reports in {:.1?}", started.elapsed());
    let titles: Vec<String> = entries.iter().filter_map(|e| e.title.clone()).collect();
    let text_bytes = dir_size(&root);
    let paths = vec![root.clone()];
    let (files, _) = reader::library::discover(&paths);
    let dir = reader::search::index::dir_for(&paths).expect("cache folder");

    // Build.
    let started = Instant::now();
    let (index, _) = SearchIndex::open(&dir).expect("open index");
    let cancel = AtomicBool::new(false);
    let done = index
        .update(&files, &mut |_| {}, &cancel)
        .expect("build index");
    let build = started.elapsed();
    let index_bytes = dir_size(&dir);
    println!(
        "search/build: {count} reports ({} added) in {:.2} s = {:.0} reports/s; files {:.1} MB, index {:.1} MB = {:.3}x",
        done.added,
        build.as_secs_f64(),
        count as f64 / build.as_secs_f64(),
        text_bytes as f64 / 1e6,
        index_bytes as f64 / 1e6,
        index_bytes as f64 / text_bytes as f64
    );

    // An unchanged update (what every `reader search` does first).
    let started = Instant::now();
    let again = index
        .update(&files, &mut |_| {}, &cancel)
        .expect("update index");
    assert_eq!(again.unchanged, files.len());
    println!(
        "search/update_unchanged: {:.1} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    // In-process latency: parse, search, top 20.
    let today = jiff::civil::date(2026, 12, 1);
    let texts = queries(&titles, 1_000);
    let mut times = Vec::with_capacity(texts.len());
    let mut empty = 0;
    for text in &texts {
        let started = Instant::now();
        let q: Query = parse(text, today).expect("query");
        let hits = index.search(&q, 20).expect("search");
        times.push(started.elapsed());
        empty += usize::from(hits.is_empty());
    }
    times.sort();
    println!(
        "search/query: {} queries, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({empty} without hits)",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.9).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
    );

    // A whole process on the built index.
    let exe = env!("CARGO_BIN_EXE_reader");
    let mut runs = Vec::new();
    for text in texts.iter().take(15) {
        let started = Instant::now();
        let out = std::process::Command::new(exe)
            .args(["search", text])
            .arg(&root)
            .env("XDG_CACHE_HOME", &cache)
            .env("HOME", tmp.path())
            .output()
            .expect("run reader search");
        runs.push(started.elapsed());
        assert!(
            out.status.code() == Some(0),
            "{text}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    runs.sort();
    println!(
        "search/process: {} runs of `reader search WORD ARCHIVE`, p50 {:.0} ms, max {:.0} ms",
        runs.len(),
        percentile(&runs, 0.5).as_secs_f64() * 1e3,
        runs.last().unwrap().as_secs_f64() * 1e3,
    );

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(50)
        .measurement_time(Duration::from_secs(5));
    let word = parse(&texts[0], today).unwrap();
    let phrase = parse(&texts[3], today).unwrap();
    c.bench_function("search/query_word", |b| {
        b.iter(|| black_box(index.search(black_box(&word), 20).unwrap()))
    });
    c.bench_function("search/query_phrase", |b| {
        b.iter(|| black_box(index.search(black_box(&phrase), 20).unwrap()))
    });
    c.final_summary();
}
