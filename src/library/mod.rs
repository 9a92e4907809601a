//! A set of articles, with the problems met while loading kept beside them.
//!
//! Loading never stops at a bad file: each problem is recorded with its path and reason, and
//! every other file still loads. Articles are kept newest first.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};

use crate::article::{self, Article, Origin};

mod walk;

pub use walk::discover;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The file did not load.
    Error,
    /// The file loaded, with something to know (e.g. invalid UTF-8 decoded lossily).
    Warning,
}

/// A problem with one file. Displays as `PATH: reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file (or folder) concerned.
    pub path: PathBuf,
    /// What is wrong, in words for a user (sanitised).
    pub reason: String,
    /// Error or warning.
    pub severity: Severity,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            crate::sanitize::clean_line(&self.path.display().to_string()),
            self.reason
        )
    }
}

/// Articles, newest first, and the problems met loading them.
#[derive(Clone, Debug, Default)]
pub struct Library {
    /// Loaded articles, newest first (by published, else archived time; undated last).
    pub articles: Vec<Article>,
    /// Every problem met, in path order.
    pub problems: Vec<Problem>,
}

/// Progress of a background load, sent in order: `Discovered`, any number of `Batch`, `Done`.
#[derive(Debug)]
pub enum LoadEvent {
    /// The number of candidate files found (folders walked).
    Discovered(usize),
    /// Some articles and problems, in no particular order. Hand them to [`Library::extend`],
    /// which sorts them in and turns the articles' warnings into problems. Batches grow as
    /// loading goes on (256 files at first, up to 16,384), so the first arrive within
    /// milliseconds and merging stays cheap.
    Batch(Vec<Article>, Vec<Problem>),
    /// All files are done.
    Done,
}

/// The seeds compiled into the binary: display name and bytes.
pub const SEEDS: &[(&str, &[u8])] = &[
    (
        "seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt",
        include_bytes!("../../seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt"),
    ),
    (
        "seeds/guancha-2022-09-01-us-wants-climate-talks.txt",
        include_bytes!("../../seeds/guancha-2022-09-01-us-wants-climate-talks.txt"),
    ),
];

/// Files handed to one worker at a time at first, and the size of the first `Batch` events.
const BATCH: usize = 256;
/// The largest batch. Batches grow with progress (a quarter of what is done so far), so a
/// receiver that merges each batch into a sorted list does O(log n) merges, not O(n), while the
/// first results still arrive within milliseconds.
const MAX_BATCH: usize = 16 * 1024;

/// Claims the next range of `len` files for a worker; `None` when all are claimed.
fn claim(next: &std::sync::atomic::AtomicUsize, len: usize) -> Option<std::ops::Range<usize>> {
    use std::sync::atomic::Ordering;
    let mut start = next.load(Ordering::Relaxed);
    loop {
        if start >= len {
            return None;
        }
        let size = (start / 4).clamp(BATCH, MAX_BATCH);
        let end = (start + size).min(len);
        match next.compare_exchange_weak(start, end, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return Some(start..end),
            Err(now) => start = now,
        }
    }
}

impl Problem {
    /// An error (the file did not load).
    pub fn error(path: impl Into<PathBuf>, reason: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            reason: reason.into(),
            severity: Severity::Error,
        }
    }

    /// A warning (the file loaded).
    pub fn warning(path: impl Into<PathBuf>, reason: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            reason: reason.into(),
            severity: Severity::Warning,
        }
    }
}

impl From<article::LoadError> for Problem {
    fn from(e: article::LoadError) -> Problem {
        Problem::error(e.path, e.reason)
    }
}

impl Library {
    /// The seeds compiled into the binary.
    pub fn bundled() -> Library {
        let mut library = Library::default();
        let (articles, problems) = SEEDS
            .iter()
            .map(|&(name, bytes)| article::parse(Origin::Embedded { name, bytes }, bytes))
            .fold((Vec::new(), Vec::new()), |(mut a, mut p), r| {
                collect(r, &mut a, &mut p);
                (a, p)
            });
        library.extend(articles, problems);
        library
    }

    /// Loads files and folders (recursively; hidden entries skipped; symlink loops reported).
    pub fn load(paths: &[PathBuf]) -> Library {
        let (files, walk_problems) = discover(paths);
        let mut library = Library::default();
        library.extend(Vec::new(), walk_problems);
        let (articles, problems) = load_files(&files, None);
        library.extend(articles, problems);
        library
    }

    /// Starts loading on background threads and returns the stream of progress events.
    pub fn spawn_load(paths: Vec<PathBuf>) -> Receiver<LoadEvent> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("reader-load".into())
            .spawn(move || {
                let (files, walk_problems) = discover(&paths);
                if tx.send(LoadEvent::Discovered(files.len())).is_err() {
                    return;
                }
                if !walk_problems.is_empty()
                    && tx
                        .send(LoadEvent::Batch(Vec::new(), walk_problems))
                        .is_err()
                {
                    return;
                }
                load_files(&files, Some(&tx));
                let _ = tx.send(LoadEvent::Done);
            })
            .expect("spawn the loader thread");
        rx
    }

    /// Adds a batch and keeps the newest-first order.
    pub fn extend(&mut self, articles: Vec<Article>, problems: Vec<Problem>) {
        for a in &articles {
            for w in &a.warnings {
                self.problems.push(Problem::warning(a.path(), w.clone()));
            }
        }
        self.articles.extend(articles);
        self.articles.sort_by(newest_first);
        self.problems.extend(problems);
        self.problems
            .sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.reason.cmp(&b.reason)));
    }

    /// Finds an article by path.
    pub fn find(&self, path: &Path) -> Option<usize> {
        self.articles.iter().position(|a| a.path() == path)
    }

    /// True when any problem is an error (a file that did not load).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// The list order: newest first by published (else archived) time, undated last, then by path
/// so the order (and so `list` indexes) is stable.
pub fn newest_first(a: &Article, b: &Article) -> std::cmp::Ordering {
    match (a.sort_time(), b.sort_time()) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a.path().cmp(b.path()))
}

fn collect(
    r: Result<Article, article::LoadError>,
    articles: &mut Vec<Article>,
    problems: &mut Vec<Problem>,
) {
    match r {
        Ok(a) => articles.push(a),
        Err(e) => problems.push(e.into()),
    }
}

/// Parses `files` on all cores. With `tx`, results are sent as `Batch` events as they come
/// and the returned vectors are empty; without, everything is returned.
fn load_files(files: &[PathBuf], tx: Option<&Sender<LoadEvent>>) -> (Vec<Article>, Vec<Problem>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Both cores pay: reading is cheap, so parsing dominates.
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(files.len().div_ceil(BATCH).max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut articles = Vec::new();
        let mut problems = Vec::new();
        while let Some(range) = claim(&next, files.len()) {
            let chunk = &files[range];
            let mut batch = Vec::with_capacity(chunk.len());
            let mut batch_problems = Vec::new();
            for path in chunk {
                collect(article::load_file(path), &mut batch, &mut batch_problems);
            }
            match tx {
                Some(tx) => {
                    if tx.send(LoadEvent::Batch(batch, batch_problems)).is_err() {
                        // The receiver is gone: stop early.
                        next.store(files.len(), Ordering::Relaxed);
                    }
                }
                None => {
                    articles.append(&mut batch);
                    problems.append(&mut batch_problems);
                }
            }
        }
        (articles, problems)
    };
    if threads <= 1 {
        return work();
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
        let mut articles = Vec::with_capacity(if tx.is_some() { 0 } else { files.len() });
        let mut problems = Vec::new();
        for h in handles {
            let (mut a, mut p) = h.join().expect("loader thread panicked");
            articles.append(&mut a);
            problems.append(&mut p);
        }
        (articles, problems)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn batches_grow_then_cap_and_cover_everything_once() {
        let next = AtomicUsize::new(0);
        let mut ranges = Vec::new();
        while let Some(r) = claim(&next, 200_000) {
            ranges.push(r);
        }
        assert_eq!(ranges[0], 0..256);
        assert_eq!(ranges[4], 1024..1280);
        assert_eq!(ranges[5], 1280..1600);
        assert!(ranges.iter().all(|r| r.len() <= MAX_BATCH));
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(ranges.last().unwrap().end, 200_000);
        // Geometric growth: a few dozen batches, not 200,000 / 256 = 782.
        assert!(ranges.len() < 60, "{}", ranges.len());
    }
}
