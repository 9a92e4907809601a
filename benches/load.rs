//! Loading benchmarks (issue #6): indexing whole generated archives, and parsing one report.
//!
//! The archives are written once per run into a temporary folder by `reader_corpus` (crates/corpus) (seed 1), so
//! nothing large is committed and every run measures the same bytes. The files stay in the page
//! cache after generation, so these figures are warm-cache figures; `scripts/measure.sh` measures
//! the whole `reader list` process instead.
//!
//! Targets (2-core machine): 10,000 files in ≤ 0.3 s, time linear in the number of files; the
//! TUI's first screen within 200 ms whatever the size (`first_batch`: the time from
//! `Library::spawn_load` to its first batch of articles, which the TUI draws at once).
//! `learned_furniture` prints the cost of the furniture learned per outlet as a ratio (target:
//! at most 10% of the load). `cargo bench --bench load` takes about four minutes.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use reader::article::{self, Origin};
use reader::library::{Library, LoadEvent};
use reader_corpus::{self as corpus, Generator};

fn library_load(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut group = c.benchmark_group("library_load");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    for count in [1_000usize, 10_000] {
        let root = dir.path().join(count.to_string());
        let entries = corpus::generate(&root, count, 1).expect("generate corpus");
        let good = entries.iter().filter(|e| e.is_good()).count();
        // A load that silently drops files would look fast: check once before timing.
        let lib = Library::load(std::slice::from_ref(&root));
        assert_eq!(
            lib.articles.len(),
            good,
            "articles loaded from {count} files"
        );
        drop(lib);
        group.throughput(Throughput::Elements(count as u64));
        group.measurement_time(Duration::from_secs(if count > 1_000 { 15 } else { 5 }));
        let paths: Vec<PathBuf> = vec![root];
        group.bench_function(format!("{count}_files"), |b| {
            b.iter(|| black_box(Library::load(black_box(&paths))))
        });
    }
    group.finish();
}

/// Time to the first screen: from `Library::spawn_load` on a 10,000-file folder to the first
/// `Batch` holding articles. Each run then drains the rest of the load, untimed, so that runs
/// do not overlap; `spawn_load_done` times a whole background load for comparison.
fn first_batch(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let count = 10_000usize;
    let root = dir.path().join(count.to_string());
    let entries = corpus::generate(&root, count, 1).expect("generate corpus");
    let good = entries.iter().filter(|e| e.is_good()).count();
    let paths: Vec<PathBuf> = vec![root];
    let mut group = c.benchmark_group("spawn_load");
    group.sample_size(20);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(8));
    group.bench_function(format!("first_batch_{count}_files"), |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let rx = Library::spawn_load(black_box(paths.clone()));
                let first = loop {
                    match rx.recv() {
                        Ok(LoadEvent::Batch(articles, _)) if !articles.is_empty() => {
                            break articles.len();
                        }
                        Ok(LoadEvent::Done) | Err(_) => panic!("no articles loaded"),
                        Ok(_) => {}
                    }
                };
                timed += start.elapsed();
                // Not a part of the first screen, but it must be small.
                assert!(first < good / 10, "first batch of {first} articles");
                let rest: usize = rx
                    .iter()
                    .map(|e| match e {
                        LoadEvent::Batch(a, _) => a.len(),
                        _ => 0,
                    })
                    .sum();
                assert_eq!(first + rest, good);
            }
            timed
        })
    });
    group.bench_function(format!("done_{count}_files"), |b| {
        b.iter(|| {
            let rx = Library::spawn_load(black_box(paths.clone()));
            black_box(rx.iter().count())
        })
    });
    group.finish();
}

/// The cost of the learned furniture (issue #10: at most 10% of loading 10,000 reports): in one
/// run, the whole load, and the furniture work alone on the same bodies (each body's edge-line
/// keys, the per-outlet counts, and the learned sets computed once at the end). The load without
/// the furniture is the difference; the ratio is printed.
fn learned_furniture(c: &mut Criterion) {
    use reader::render::clean::{FurnitureCounts, edge_keys};
    let dir = tempfile::tempdir().expect("temporary folder");
    let count = 10_000usize;
    let root = dir.path().join(count.to_string());
    corpus::generate(&root, count, 1).expect("generate corpus");
    let paths: Vec<PathBuf> = vec![root];
    let lib = Library::load(&paths);
    // The bodies the loader scans (read now, untimed), with their outlets.
    let bodies: Vec<(Option<String>, String)> = lib
        .articles
        .iter()
        .filter_map(|a| Some((a.outlet.clone(), a.load_body().ok()?.html)))
        .collect();
    let learned = lib.furniture.learned();
    let furniture_lines: usize = learned.outlets.values().map(|(_, k)| k.len()).sum();
    drop(lib);
    let furniture = || {
        let mut counts = FurnitureCounts::default();
        for (outlet, html) in &bodies {
            counts.add(outlet.as_deref(), &edge_keys(black_box(html)));
        }
        black_box(counts.learned());
    };
    let mut group = c.benchmark_group("learned_furniture");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(count as u64));
    group.bench_function(format!("load_{count}_files"), |b| {
        b.iter(|| black_box(Library::load(black_box(&paths))))
    });
    group.bench_function(format!("furniture_only_{count}_files"), |b| {
        b.iter(furniture)
    });
    group.finish();

    // The ratio from one interleaved run: medians of alternating samples, so both see the same
    // machine load.
    let mut loads = Vec::new();
    let mut extras = Vec::new();
    for _ in 0..15 {
        let t = Instant::now();
        black_box(Library::load(&paths));
        loads.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        furniture();
        extras.push(t.elapsed().as_secs_f64());
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (load, extra) = (median(&mut loads), median(&mut extras));
    let without = (load - extra).max(f64::EPSILON);
    println!(
        "learned furniture on {count} files ({} bodies, {furniture_lines} furniture lines learned): \
         load {:.1} ms, of which furniture {:.1} ms; cost {:.1}% of the load without it (target <= 10%)",
        bodies.len(),
        load * 1e3,
        extra * 1e3,
        100.0 * extra / without
    );
}

fn parse_one(c: &mut Criterion) {
    let mut generator = Generator::new(1);
    let samples = [
        ("front_matter_4k", generator.front_matter(4096).1),
        ("link_header_4k", generator.link_header(4096).1),
    ];
    let mut group = c.benchmark_group("parse");
    group.sample_size(50);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for (name, bytes) in samples {
        let bytes: Arc<[u8]> = bytes.into();
        let origin = || Origin::Memory {
            name: PathBuf::from(format!("{name}.txt")),
            bytes: Arc::clone(&bytes),
        };
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(format!("header_{name}"), |b| {
            b.iter_batched(
                origin,
                |o| black_box(article::parse(o, black_box(&bytes))),
                BatchSize::SmallInput,
            )
        });
        // Opening an article: the body is parsed only then (images, captions, links, counts).
        let parsed = article::parse(origin(), &bytes).expect("generated file parses");
        group.bench_function(format!("body_{name}"), |b| {
            b.iter(|| black_box(parsed.load_body()))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    parse_one,
    library_load,
    first_batch,
    learned_furniture
);
criterion_main!(benches);
