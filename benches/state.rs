//! The read-state store (issue #12): what a launch and a key press cost.
//!
//! - `load_100k`: opening a state file of 100,000 rows and loading one user's rows into
//!   memory (the TUI does this on a thread of its own while the library loads), against
//!   10,000 rows in the same run, so the ratio shows the time is linear.
//! - `toggle`: one `toggle_star` on the loaded state, the cost a key press pays on the UI
//!   thread (a map update and a channel send; the write happens on the writer thread).
//! - `write_100k`: the writer's throughput, 100,000 changes queued then flushed.
//! - `identity`: `Identity::of` per article (canonical URL), paid once per article as the
//!   list fills.
//!
//! `cargo bench --bench state` prints each figure; about a minute.

use std::hint::black_box;
use std::time::{Duration, Instant};

use reader::state::{Identity, LOCAL_USER, Position, State};

fn identity(i: usize) -> Identity {
    Identity::from_stored(format!(
        "url:www.example-news.com/zh/world/2020/07/{i:08}-a-report-title-of-some-length"
    ))
}

/// A state file with `rows` rows for the local user (and as many for another user).
fn make(path: &std::path::Path, rows: usize) -> Duration {
    let (mut state, _) = State::open(path, LOCAL_USER).expect("state file");
    let (mut other, _) = State::open(path, "SHA256:another-user").expect("state file");
    let start = Instant::now();
    for i in 0..rows {
        let id = identity(i);
        state.set_read(&id, true);
        if i % 7 == 0 {
            state.toggle_star(&id);
        }
        if i % 3 == 0 {
            state.set_position(
                &id,
                Some(Position {
                    line: i as u32 % 200,
                    lines: 400,
                }),
            );
        }
        other.set_read(&id, true);
    }
    assert!(state.flush(Duration::from_secs(600)) && other.flush(Duration::from_secs(600)));
    start.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn load_time(path: &std::path::Path, rows: usize) -> Duration {
    let runs = (0..7)
        .map(|_| {
            let start = Instant::now();
            let (state, problem) = State::open(path, LOCAL_USER).expect("state file");
            let took = start.elapsed();
            assert_eq!(problem, None);
            assert_eq!(state.len(), rows);
            black_box(&state);
            took
        })
        .collect();
    median(runs)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and wants it quick.
    let full = std::env::args().any(|a| a == "--bench");
    let (small, large) = if full {
        (10_000, 100_000)
    } else {
        (100, 1_000)
    };
    let dir = tempfile::tempdir().expect("temporary folder");

    let small_path = dir.path().join("small.db");
    make(&small_path, small);
    let large_path = dir.path().join("large.db");
    let wrote = make(&large_path, large);
    // Changes per second through the writer thread: three kinds of change per row for the
    // local user (read, every 7th a star, every 3rd a position) and one for the other user.
    let changes = large + large / 7 + 1 + large / 3 + 1 + large;
    println!(
        "write_{large}: {changes} changes queued and committed in {:.2} s ({:.0} changes/s)",
        wrote.as_secs_f64(),
        changes as f64 / wrote.as_secs_f64()
    );
    let size = std::fs::metadata(&large_path).map(|m| m.len()).unwrap_or(0);
    println!("file: {:.1} MB for 2 × {large} rows", size as f64 / 1e6);

    let t_small = load_time(&small_path, small);
    let t_large = load_time(&large_path, large);
    println!(
        "load_{small}: {:.1} ms; load_{large}: {:.1} ms (median of 7 opens; ratio {:.1} for 10× the rows)",
        t_small.as_secs_f64() * 1e3,
        t_large.as_secs_f64() * 1e3,
        t_large.as_secs_f64() / t_small.as_secs_f64()
    );

    let (mut state, _) = State::open(&large_path, LOCAL_USER).expect("state file");
    let n = if full { 100_000 } else { 1_000 };
    let ids: Vec<Identity> = (0..n).map(|i| identity(i % large)).collect();
    let start = Instant::now();
    for id in &ids {
        black_box(state.toggle_star(id));
    }
    let per = start.elapsed() / n as u32;
    let flushed = Instant::now();
    assert!(state.flush(Duration::from_secs(600)));
    println!(
        "toggle: {} ns per key press on the UI thread ({n} toggles; the writer committed them {:.0} ms later)",
        per.as_nanos(),
        flushed.elapsed().as_secs_f64() * 1e3
    );
    let start = Instant::now();
    for id in &ids {
        black_box(state.flags(id));
    }
    println!(
        "flags: {} ns per lookup (a list row drawn)",
        (start.elapsed() / n as u32).as_nanos()
    );

    let seeds = reader::library::Library::bundled();
    let articles: Vec<_> = (0..n)
        .map(|i| {
            let mut a = seeds.articles[i % seeds.articles.len()].clone();
            a.url = Some(format!(
                "https://www.dw.com/zh/%E5%8D%B3%E5%B0%86-{i}/a-{i}?utm_source=rss&maca=chi"
            ));
            a
        })
        .collect();
    let start = Instant::now();
    for a in &articles {
        black_box(Identity::of(a));
    }
    println!(
        "identity: {} ns per article (canonical URL with escapes and a query)",
        (start.elapsed() / n as u32).as_nanos()
    );
}
