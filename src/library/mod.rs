//! A set of articles, with the problems met while loading kept beside them.
//!
//! Loading never stops at a bad file: each problem is recorded with its path and reason, and
//! every other file still loads. Articles are kept newest first.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};

use crate::article::{self, Article, Origin};
use crate::cache;

mod walk;

pub use walk::{discover, walk_chunked};

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
            crate::article::shown_path(&self.path),
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
    /// Recurring lines per outlet, counted as articles come in: the learned furniture.
    pub furniture: crate::render::clean::FurnitureCounts,
}

/// Progress of a background load. Files are parsed as the walk finds them, so results start
/// arriving within milliseconds whatever the size of the folder. Order: any number of `Batch`,
/// with `Discovered` once among them (when the walk ends), then `Done` last.
#[derive(Debug)]
pub enum LoadEvent {
    /// The walk is over: the number of files found (the total the batches add up to, counting
    /// each file that failed as an error problem). Sent once, possibly after some batches.
    Discovered(usize),
    /// Some articles and problems, in no particular order. Hand them to [`Library::extend`],
    /// which sorts them in and turns the articles' warnings into problems. Batches grow as
    /// loading goes on (64 files at first, then a quarter of what is done so far, up to
    /// 16,384), so the first arrive within milliseconds while a receiver that merges each batch
    /// into a sorted list does O(log n) merges, not O(n). The walk's own problems (symlink
    /// loops, unreadable folders) come in one batch without articles.
    Batch(Vec<Article>, Vec<Problem>),
    /// Files of an earlier batch that are gone or changed, with every file listed as a copy
    /// of the same report as one of them: drop their rows. Those still there come again in
    /// the next batch (a changed file, once parsed, later). Only a relaunch sends this: it
    /// lists what the cache holds at once and checks the files afterwards.
    Removed(Vec<PathBuf>),
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

/// What to open: `given` when any, else the config file's `[library] paths`. Empty means the
/// bundled seeds. The one place that decides, for the reader and the plain commands alike.
pub fn chosen_paths(given: &[PathBuf], settings: &crate::config::Settings) -> Vec<PathBuf> {
    if given.is_empty() {
        settings.library.clone()
    } else {
        given.to_vec()
    }
}

/// The size of the first `Batch` events: small, so the first screen fills within milliseconds.
const FIRST_BATCH: usize = 64;
/// The largest batch.
const MAX_BATCH: usize = 16 * 1024;

/// How many articles a parser gathers before sending a batch, once `done` files are parsed in
/// all: a quarter of that (so batch sizes grow geometrically), between the two bounds.
fn batch_target(done: usize) -> usize {
    (done / 4).clamp(FIRST_BATCH, MAX_BATCH)
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
        Library::load_cached(paths, None)
    }

    /// [`Library::load`] through the metadata cache at `cache` (see [`crate::cache`]): files
    /// whose size and mtime the cache knows are not read; the cache is rewritten when anything
    /// changed. `None`: no cache. The result is the same either way.
    pub fn load_cached(paths: &[PathBuf], cache: Option<&Path>) -> Library {
        let mut run = load_streaming(paths, None, cache);
        let mut library = Library::default();
        library.extend(
            std::mem::take(&mut run.articles),
            std::mem::take(&mut run.problems),
        );
        run.save(cache);
        library
    }

    /// Starts loading on background threads and returns the stream of progress events (see
    /// [`LoadEvent`] for their order). Dropping the receiver stops the loading soon after.
    pub fn spawn_load(paths: Vec<PathBuf>) -> Receiver<LoadEvent> {
        Library::spawn_load_cached(paths, None)
    }

    /// [`Library::spawn_load`] through the metadata cache at `cache`: everything the cache
    /// holds arrives in the first batch, before any file is looked at (the whole list at once
    /// on a relaunch); then the files are stat'ed, the gone and changed ones taken back
    /// ([`LoadEvent::Removed`]), and the new and changed ones parsed. The cache is written on
    /// the loader thread after `Done`.
    pub fn spawn_load_cached(paths: Vec<PathBuf>, cache: Option<PathBuf>) -> Receiver<LoadEvent> {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("reader-load".into())
            .spawn(move || {
                let run = load_streaming(&paths, Some(&tx), cache.as_deref());
                if run.completed {
                    let _ = tx.send(LoadEvent::Done);
                    run.save(cache.as_deref());
                }
            })
            .expect("spawn the loader thread");
        rx
    }

    /// Adds a batch and keeps the newest-first order.
    pub fn extend(&mut self, articles: Vec<Article>, problems: Vec<Problem>) {
        for a in &articles {
            self.furniture.add(a.outlet.as_deref(), &a.furniture_keys);
            for w in &a.warnings {
                self.problems.push(Problem::warning(a.path(), w.clone()));
            }
        }
        self.articles.extend(articles);
        sort_newest_first(&mut self.articles);
        merge_copies(&mut self.articles);
        self.problems.extend(problems);
        self.problems
            .sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.reason.cmp(&b.reason)));
    }

    /// The furniture learned for `article`'s outlet, for [`crate::render::clean::Cleaner`].
    pub fn learned_furniture(
        &self,
        article: &Article,
    ) -> std::sync::Arc<std::collections::HashSet<u64>> {
        self.furniture
            .learned()
            .for_outlet(article.outlet.as_deref())
    }

    /// Finds an article by path (its own or a copy's).
    pub fn find(&self, path: &Path) -> Option<usize> {
        self.articles
            .iter()
            .position(|a| a.path() == path)
            .or_else(|| {
                self.articles
                    .iter()
                    .position(|a| a.paths().any(|p| p == path))
            })
    }

    /// True when any problem is an error (a file that did not load).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// A URL reduced to what names the page, for finding copies: the read state's normalisation
/// (scheme, `www.`, port, tracking parameters and fragment dropped, escapes decoded), which
/// keeps a query that names the page, so `article.php?id=1` and `?id=2` stay two reports.
pub use crate::state::identity::{canonical_url, canonical_url_of};

/// The fingerprint of an article built by hand rather than parsed ([`article::Meta`]'s default):
/// no body was hashed, so it matches nothing.
const NO_FINGERPRINT: u64 = 0;

/// Finds, for an article as it arrives, the article it is a copy of (same canonical URL, or
/// same outlet, title and body): one hash lookup each way. Used by [`Library::extend`] and by the
/// TUI's list as batches arrive, so both fold copies the same way.
#[derive(Clone, Debug, Default)]
pub struct CopyIndex {
    by_url: rustc_hash::FxHashMap<String, usize>,
    by_print: rustc_hash::FxHashMap<u64, usize>,
}

impl CopyIndex {
    /// The index (as given earlier as `new_at`) of the article `a` is a copy of, with `a`'s
    /// keys recorded under it; else none, with them recorded at `new_at`. Keys already taken
    /// keep their article.
    pub fn place(&mut self, a: &Article, new_at: usize) -> Option<usize> {
        self.place_canonical(a, canonical_url_of(a), new_at)
    }

    /// [`CopyIndex::place`] with `a`'s [`canonical_url`] computed already (on another thread).
    pub fn place_canonical(
        &mut self,
        a: &Article,
        url: Option<String>,
        new_at: usize,
    ) -> Option<usize> {
        let found = self.lookup(url.as_deref(), a);
        self.record(url, a, found.unwrap_or(new_at));
        found
    }

    /// Forgets every key recorded under an index for which `gone` is true (its article was
    /// taken off the list): later copies of it are new articles.
    pub fn forget(&mut self, gone: impl Fn(usize) -> bool) {
        self.by_url.retain(|_, &mut at| !gone(at));
        self.by_print.retain(|_, &mut at| !gone(at));
    }

    fn lookup(&self, url: Option<&str>, a: &Article) -> Option<usize> {
        url.and_then(|u| self.by_url.get(u))
            .or_else(|| {
                (a.meta.fingerprint != NO_FINGERPRINT)
                    .then(|| self.by_print.get(&a.meta.fingerprint))
                    .flatten()
            })
            .copied()
    }

    fn record(&mut self, url: Option<String>, a: &Article, at: usize) {
        if let Some(u) = url {
            self.by_url.entry(u).or_insert(at);
        }
        if a.meta.fingerprint != NO_FINGERPRINT {
            self.by_print.entry(a.meta.fingerprint).or_insert(at);
        }
    }
}

/// Folds `copy` into `kept`: the one first in list order ([`newest_first`]) stays the article,
/// and every path of the other joins its `copies` (sorted, each once). True when the two were
/// swapped, so what the list shows for `kept` changed.
pub fn fold_copy(kept: &mut Article, mut copy: Article) -> bool {
    let swapped = newest_first(&copy, kept) == std::cmp::Ordering::Less;
    if swapped {
        std::mem::swap(kept, &mut copy);
    }
    let paths: Vec<PathBuf> = copy.paths().map(Path::to_path_buf).collect();
    for p in paths {
        if kept.path() != p && !kept.meta.copies.contains(&p) {
            kept.meta.copies.push(p);
        }
    }
    kept.meta.copies.sort();
    swapped
}

/// Folds files of the same report into one article (the first in list order), keeping every
/// other file's path in its `copies`. Linear: one hash lookup per article.
fn merge_copies(articles: &mut Vec<Article>) {
    let urls = canonical_urls(articles);
    let mut index = CopyIndex::default();
    let mut kept: Vec<Article> = Vec::with_capacity(articles.len());
    for (a, url) in articles.drain(..).zip(urls) {
        match index.place_canonical(&a, url, kept.len()) {
            Some(i) => {
                fold_copy(&mut kept[i], a);
            }
            None => kept.push(a),
        }
    }
    *articles = kept;
}

/// The [`canonical_url`] of each article, on every core for a large list (100,000 on a
/// relaunch: most of what folding copies costs).
fn canonical_urls(articles: &[Article]) -> Vec<Option<String>> {
    let url = canonical_url_of;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    if articles.len() < 4_096 || threads < 2 {
        return articles.iter().map(url).collect();
    }
    std::thread::scope(|s| {
        let parts: Vec<_> = articles
            .chunks(articles.len().div_ceil(threads))
            .map(|part| s.spawn(move || part.iter().map(url).collect::<Vec<_>>()))
            .collect();
        let mut all = Vec::with_capacity(articles.len());
        for p in parts {
            all.extend(p.join().expect("a copy-folding thread panicked"));
        }
        all
    })
}

/// Sorts `articles` by [`newest_first`], moving each article once: an article is hundreds of
/// bytes, so sorting the articles themselves would move each O(log n) times.
fn sort_newest_first(articles: &mut Vec<Article>) {
    if articles.is_sorted_by(|a, b| newest_first(a, b) != std::cmp::Ordering::Greater) {
        return;
    }
    // The times read once: the comparison then touches an article only on a tie.
    let times: Vec<Option<jiff::Timestamp>> = articles.iter().map(Article::sort_time).collect();
    let mut order: Vec<u32> = (0..articles.len() as u32).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        match (times[a], times[b]) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| articles[a].path().cmp(articles[b].path()))
    });
    let mut slots: Vec<Option<Article>> = articles.drain(..).map(Some).collect();
    articles.extend(order.into_iter().filter_map(|i| slots[i as usize].take()));
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

/// What a load gives: with a sender, `articles` and `problems` are empty (they went out as
/// events). `completed` is false when the receiver went away (the work was cut short).
struct Run {
    articles: Vec<Article>,
    problems: Vec<Problem>,
    completed: bool,
    /// With a cache: every file's record, and whether they differ from what the cache held.
    records: Option<(Vec<cache::Record>, bool)>,
    /// When the load began ([`cache::now`]).
    started: i128,
    /// The cache read at the start, which kept records point into.
    prior: Option<cache::Prior>,
}

impl Run {
    /// Writes the cache when it changed (a failure only costs the next launch its speed).
    fn save(self, cache: Option<&Path>) {
        if let (Some(file), Some((records, true)), true) = (cache, self.records, self.completed) {
            let _ = cache::write(file, &records, self.prior.as_ref(), self.started);
        }
    }
}

/// Walks `paths` and parses each file on all cores as soon as the walk finds it. With `tx`,
/// results go out as `Batch` events (with `Discovered` when the walk ends). With a cache file
/// and `tx`, see [`load_optimistic`]; with a cache file alone, the walk comes first: every
/// file is stat'ed, the unchanged ones are taken from the cache, then the rest are parsed.
fn load_streaming(paths: &[PathBuf], tx: Option<&Sender<LoadEvent>>, cache: Option<&Path>) -> Run {
    let started = cache::now();
    // Without a cache file (a first launch) nothing waits for the walk: files are parsed as it
    // finds them.
    let Some(cache) = cache.filter(|c| std::fs::metadata(c).is_ok_and(|m| m.len() > 0)) else {
        return load_uncached(paths, tx, cache.is_some(), started);
    };
    // The reader lists what the cache holds before it checks a single file (a relaunch shows
    // the whole list at once), then applies what changed.
    let read: std::sync::OnceLock<Option<cache::Prior>> = std::sync::OnceLock::new();
    if let Some(tx) = tx {
        match cache::Prior::read(cache) {
            Some(prior) => return load_optimistic(paths, tx, prior, started),
            None => {
                let _ = read.set(None);
            }
        }
    }
    load_checked(paths, tx, cache, read, started)
}

/// [`load_streaming`] without a cache file to read: with `records`, the records of a new one.
fn load_uncached(
    paths: &[PathBuf],
    tx: Option<&Sender<LoadEvent>>,
    records: bool,
    started: i128,
) -> Run {
    let records = records.then(|| std::sync::Mutex::new(Vec::new()));
    let (articles, problems, completed) = load_pipeline(
        |on_file| walk::walk(paths, on_file),
        tx,
        records.as_ref(),
        true,
    );
    Run {
        articles,
        problems,
        completed,
        records: records.map(|r| (r.into_inner().unwrap_or_default(), true)),
        started,
        prior: None,
    }
}

/// [`load_streaming`] with the cache at `cache` (read into `read` unless it was already):
/// every file is stat'ed before any is listed.
fn load_checked(
    paths: &[PathBuf],
    tx: Option<&Sender<LoadEvent>>,
    cache: &Path,
    read: std::sync::OnceLock<Option<cache::Prior>>,
    started: i128,
) -> Run {
    // The walk hands out files in chunks as it finds them; every core stats and decodes them
    // meanwhile, the first to take a chunk reading the cache (a relaunch on 100,000 files is
    // mostly system calls and decoding).
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let empty = cache::Prior::default();
    // A damaged or foreign cache holds nothing: every file is parsed, and it is rewritten.
    let prior = || {
        read.get_or_init(|| cache::Prior::read(cache))
            .as_ref()
            .unwrap_or(&empty)
    };
    let (sorted, found, walk_problems) = walk::walk_chunked(
        paths,
        CLASSIFY_CHUNK,
        threads,
        |out: &mut Classified, _, part| classify(&part, prior(), out),
    );
    // Read even when the walk found nothing, so that an unchanged empty library keeps its cache.
    prior();
    let prior = read.into_inner().flatten();
    let valid = prior.is_some();
    let prior = prior.unwrap_or(empty);
    let (mut hits, mut kept, mut misses) = (Vec::new(), Vec::new(), Vec::new());
    for (mut a, mut r, mut m) in sorted {
        // The largest part is moved, not copied.
        if hits.is_empty() {
            (hits, kept) = (a, r);
        } else {
            hits.append(&mut a);
            kept.append(&mut r);
        }
        misses.append(&mut m);
    }
    let mut changed = !valid || hits.len() != prior.len();
    let (mut articles, mut problems) = (Vec::new(), Vec::new());
    let mut completed = true;
    match tx {
        Some(tx) => {
            completed = tx.send(LoadEvent::Batch(hits, walk_problems)).is_ok()
                && tx.send(LoadEvent::Discovered(found)).is_ok();
        }
        None => {
            articles = hits;
            problems = walk_problems;
        }
    }
    if completed && !misses.is_empty() {
        let (mut a, mut p, done, mut fresh) = parse_misses(misses, tx);
        completed = done;
        articles.append(&mut a);
        problems.append(&mut p);
        changed |= !fresh.is_empty();
        kept.append(&mut fresh);
    }
    Run {
        articles,
        problems,
        completed,
        records: Some((kept, changed)),
        started,
        prior: Some(prior),
    }
}

/// [`load_streaming`] for a reader, with the cache `prior` read: every article the cache
/// holds goes out at once, in one batch (a relaunch on 100,000 files shows the whole list in a
/// fraction of what stat'ing them takes). Then the files are walked and stat'ed, on threads
/// that yield to the reader's: the gone and changed ones go out as [`LoadEvent::Removed`] (with
/// the copies of the same reports, which come again), the new and changed ones are parsed.
fn load_optimistic(
    paths: &[PathBuf],
    tx: &Sender<LoadEvent>,
    prior: cache::Prior,
    started: i128,
) -> Run {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut listed = Vec::with_capacity(prior.len());
    let decoded: Vec<bool> = prior
        .articles(threads)
        .into_iter()
        .map(|a| {
            let ok = a.is_some();
            listed.extend(a);
            ok
        })
        .collect();
    let mut run = Run {
        articles: Vec::new(),
        problems: Vec::new(),
        completed: false,
        records: None,
        started,
        prior: None,
    };
    if tx.send(LoadEvent::Batch(listed, Vec::new())).is_err() {
        return run;
    }
    // The check is background work: the list is being filed and drawn meanwhile.
    yield_cpu();
    let (parts, found, walk_problems) = walk::walk_chunked(
        paths,
        CLASSIFY_CHUNK,
        threads,
        |(seen, misses): &mut Checked, _, part| {
            let cap = article::max_size();
            for (f, stat) in part.iter().zip(cache::Stat::of_each(&part)) {
                let hit = stat
                    .filter(|s| s.size <= cap)
                    .and_then(|s| prior.find(f, s))
                    .filter(|&i| decoded[i]);
                match hit {
                    Some(i) => seen.push(i),
                    None => misses.push(f.clone()),
                }
            }
        },
    );
    let mut kept = vec![false; prior.len()];
    let mut misses = Vec::new();
    let mut records = Vec::with_capacity(prior.len());
    for (seen, mut m) in parts {
        for i in seen {
            kept[i] = true;
            records.push(prior.record(i));
        }
        misses.append(&mut m);
    }
    let gone: Vec<usize> = (0..prior.len())
        .filter(|&i| decoded[i] && !kept[i])
        .collect();
    let mut changed = records.len() != prior.len();
    let mut completed = true;
    if !gone.is_empty() {
        let (removed, again) = copy_closure(&prior, &decoded, &kept, &gone);
        completed = tx.send(LoadEvent::Removed(removed)).is_ok()
            && (again.is_empty() || tx.send(LoadEvent::Batch(again, Vec::new())).is_ok());
    }
    completed = completed
        && (walk_problems.is_empty()
            || tx.send(LoadEvent::Batch(Vec::new(), walk_problems)).is_ok())
        && tx.send(LoadEvent::Discovered(found)).is_ok();
    if completed && !misses.is_empty() {
        let (_, _, done, mut fresh) = parse_misses(misses, Some(tx));
        completed = done;
        changed |= !fresh.is_empty();
        records.append(&mut fresh);
    }
    run.completed = completed;
    run.records = Some((records, changed));
    run.prior = Some(prior);
    run
}

/// Parses the files a cache did not hold unchanged, as [`load_pipeline`] does (with `tx`, the
/// results go out as batches), and returns what it gives with the new cache records.
fn parse_misses(
    misses: Vec<PathBuf>,
    tx: Option<&Sender<LoadEvent>>,
) -> (Vec<Article>, Vec<Problem>, bool, Vec<cache::Record>) {
    let records = std::sync::Mutex::new(Vec::new());
    let (articles, problems, done) = load_pipeline(
        |on_file| {
            for f in misses {
                if !on_file(f) {
                    break;
                }
            }
            Vec::new()
        },
        tx,
        Some(&records),
        false,
    );
    let fresh = records.into_inner().unwrap_or_default();
    (articles, problems, done, fresh)
}

/// Lowers this thread's scheduling priority (threads it starts inherit it): a reader's
/// background work then takes the cores only when the list and the screen do not.
fn yield_cpu() {
    // SAFETY: setpriority with PRIO_PROCESS and who = 0 changes the calling thread (on Linux
    // a "process" here is a thread) and reads no memory.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// Per thread of a relaunch's check: the cache entries found unchanged, and the files to parse.
type Checked = (Vec<usize>, Vec<PathBuf>);

/// What a relaunch takes back of the cached list when the cache entries `gone` (of those that
/// `decoded`) are gone or changed: the paths of every entry in the same copy group as one of
/// them (the catalog folds copies into one row by URL or body fingerprint, so the group is
/// the closure over those keys), and the articles of the entries in those groups still there
/// (`kept`), to be listed again. Linear: two hash lookups per entry.
fn copy_closure(
    prior: &cache::Prior,
    decoded: &[bool],
    kept: &[bool],
    gone: &[usize],
) -> (Vec<PathBuf>, Vec<Article>) {
    let n = prior.len();
    let mut articles: Vec<Option<Article>> = (0..n)
        .map(|i| decoded[i].then(|| prior.article(i)).flatten())
        .collect();
    let urls: Vec<Option<String>> = articles
        .iter()
        .map(|a| canonical_url_of(a.as_ref()?))
        .collect();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut by_url: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    let mut by_print: rustc_hash::FxHashMap<u64, usize> = rustc_hash::FxHashMap::default();
    for i in 0..n {
        let Some(a) = &articles[i] else { continue };
        let mut firsts = Vec::with_capacity(2);
        if let Some(u) = urls[i].as_deref() {
            firsts.push(*by_url.entry(u).or_insert(i));
        }
        if a.meta.fingerprint != NO_FINGERPRINT {
            firsts.push(*by_print.entry(a.meta.fingerprint).or_insert(i));
        }
        for j in firsts {
            let (x, y) = (root(&mut parent, i), root(&mut parent, j));
            parent[x] = y;
        }
    }
    let hit: rustc_hash::FxHashSet<usize> = gone.iter().map(|&g| root(&mut parent, g)).collect();
    let (mut removed, mut again) = (Vec::new(), Vec::new());
    for i in 0..n {
        if !decoded[i] || !hit.contains(&root(&mut parent, i)) {
            continue;
        }
        removed.push(prior.path(i));
        if kept[i] {
            again.extend(articles[i].take());
        }
    }
    (removed, again)
}

/// Files the cache holds unchanged (their articles and records) and the rest, to parse.
type Classified = (Vec<Article>, Vec<cache::Record>, Vec<PathBuf>);

/// Files a walk hands to the threads that check them against the cache at a time.
const CLASSIFY_CHUNK: usize = 512;

/// Adds `files` to `out`: the ones `prior` holds unchanged (their articles and records) and
/// the rest, to parse.
fn classify(files: &[PathBuf], prior: &cache::Prior, out: &mut Classified) {
    let cap = article::max_size();
    let (hits, records, misses) = out;
    for (f, stat) in files.iter().zip(cache::Stat::of_each(files)) {
        let hit = stat.filter(|s| s.size <= cap).and_then(|s| prior.get(f, s));
        match hit {
            Some((a, r)) => {
                hits.push(a);
                records.push(r);
            }
            None => misses.push(f.clone()),
        }
    }
}

/// Hands one file to the parsers; false when they want no more.
type OnFile<'a> = &'a mut dyn FnMut(PathBuf) -> bool;

/// [`load_streaming`] with the walk given: `walk` calls its argument with each file found and
/// returns the problems met walking.
fn load_pipeline(
    walk: impl FnOnce(OnFile<'_>) -> Vec<Problem>,
    tx: Option<&Sender<LoadEvent>>,
    records: Option<&std::sync::Mutex<Vec<cache::Record>>>,
    announce: bool,
) -> (Vec<Article>, Vec<Problem>, bool) {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Mutex, mpsc};
    // Both cores pay: reading is cheap, so parsing dominates. The walk (mostly system calls)
    // runs beside the parsers.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (work_tx, work_rx) = mpsc::channel::<PathBuf>();
    let work_rx = Mutex::new(work_rx);
    let done = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let parse = || {
        let mut batch = Vec::new();
        let mut batch_problems = Vec::new();
        let mut made = Vec::new();
        loop {
            // The lock is held only to take one path; parsing happens outside it.
            let next = work_rx.lock().map_or(None, |rx| rx.recv().ok());
            let Some(path) = next else { break };
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if records.is_some() {
                // Stat'ed before the read: a file changed meanwhile is parsed again next time.
                let stat = cache::Stat::of(&path);
                let mut loaded = article::load_file(&path);
                if let (Ok(a), Some(stat)) = (&mut loaded, stat) {
                    made.push(cache::Record::new(a, stat));
                }
                collect(loaded, &mut batch, &mut batch_problems);
            } else {
                collect(article::load_file(&path), &mut batch, &mut batch_problems);
            }
            let so_far = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(tx) = tx {
                if batch.len() + batch_problems.len() >= batch_target(so_far) {
                    let full = LoadEvent::Batch(
                        std::mem::take(&mut batch),
                        std::mem::take(&mut batch_problems),
                    );
                    if tx.send(full).is_err() {
                        stop.store(true, Ordering::Relaxed);
                        break;
                    }
                }
            }
        }
        if let Some(records) = records {
            if let Ok(mut all) = records.lock() {
                all.append(&mut made);
            }
        }
        // What is left goes back to the caller, which sends the parsers' remainders as one
        // batch: a small folder arrives in one piece, and there are fewer small batches.
        (batch, batch_problems)
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                std::thread::Builder::new()
                    .name(format!("reader-parse-{i}"))
                    .spawn_scoped(s, parse)
                    .expect("spawn a parser thread")
            })
            .collect();
        let mut found = 0;
        let walk_problems = walk(&mut |file| {
            found += 1;
            !stop.load(Ordering::Relaxed) && work_tx.send(file).is_ok()
        });
        // No more work: the parsers finish what is queued, then stop.
        drop(work_tx);
        let mut articles = Vec::new();
        let mut problems = Vec::new();
        if let Some(tx) = tx {
            let sent = (walk_problems.is_empty()
                || tx.send(LoadEvent::Batch(Vec::new(), walk_problems)).is_ok())
                && (!announce || tx.send(LoadEvent::Discovered(found)).is_ok());
            if !sent {
                stop.store(true, Ordering::Relaxed);
            }
        } else {
            problems = walk_problems;
        }
        for h in handles {
            let (mut a, mut p) = h.join().expect("loader thread panicked");
            if articles.is_empty() {
                articles = a;
            } else {
                articles.append(&mut a);
            }
            problems.append(&mut p);
        }
        if let Some(tx) = tx {
            if (!articles.is_empty() || !problems.is_empty())
                && tx
                    .send(LoadEvent::Batch(
                        std::mem::take(&mut articles),
                        std::mem::take(&mut problems),
                    ))
                    .is_err()
            {
                stop.store(true, Ordering::Relaxed);
            }
        }
        (articles, problems, !stop.load(Ordering::Relaxed))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_found_by_url_but_a_query_that_names_the_page_keeps_reports_apart() {
        let dir = tempfile::tempdir().unwrap();
        let report = |name: &str, url: &str, title: &str, body: &str| {
            let text = format!("<!--1594296000000-->\n[{title}]({url})\n----\n\n<p>{body}</p>");
            std::fs::write(dir.path().join(name), text).unwrap();
        };
        report(
            "a.txt",
            "https://news.example.com/article.php?id=1",
            "第一篇",
            "正文。",
        );
        report(
            "b.txt",
            "https://news.example.com/article.php?id=2",
            "第二篇",
            "正文。",
        );
        // The same page saved again through a tracking link, its text since corrected: a copy
        // by its URL alone.
        let tracked = "https://www.news.example.com/article.php?id=1&utm_source=x#top";
        report("c.txt", tracked, "第一篇", "正文（更正）。");
        let library = Library::load(&[dir.path().to_path_buf()]);
        let mut titles: Vec<(&str, usize)> = library
            .articles
            .iter()
            .map(|a| (a.title.as_str(), a.meta.copies.len()))
            .collect();
        titles.sort();
        assert_eq!(titles, [("第一篇", 1), ("第二篇", 0)]);
    }

    #[test]
    fn batches_grow_then_cap_and_stay_few() {
        assert_eq!(batch_target(1), FIRST_BATCH);
        assert_eq!(batch_target(1_000), 250);
        assert_eq!(batch_target(10_000_000), MAX_BATCH);
        // Geometric growth: with one parser sending whenever its batch is full, 200,000 files
        // come in a few dozen batches, not 200,000 / 64 = 3,125.
        let (mut done, mut batches) = (0, 0);
        while done < 200_000 {
            done += batch_target(done + 1);
            batches += 1;
        }
        assert!(batches < 80, "{batches}");
    }

    /// The first batch goes out while the walk is still going: the walk below hands out 200
    /// files, then waits until the receiver has a batch before it hands out the rest.
    #[test]
    fn first_batch_arrives_before_the_walk_ends() {
        use std::sync::mpsc;
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<PathBuf> = (0..400)
            .map(|i| {
                let p = dir.path().join(format!("{i:03}.md"));
                std::fs::write(&p, format!("# 第{i}篇\n\n正文。\n")).unwrap();
                p
            })
            .collect();
        let (tx, rx) = mpsc::channel();
        let (go_on_tx, go_on_rx) = mpsc::channel::<()>();
        let walker = {
            let files = files.clone();
            std::thread::spawn(move || {
                load_pipeline(
                    |on_file| {
                        for f in &files[..200] {
                            assert!(on_file(f.clone()));
                        }
                        // A guard against hanging, not a timing assertion.
                        go_on_rx
                            .recv_timeout(std::time::Duration::from_secs(120))
                            .expect("a batch arrived while the walk was paused");
                        for f in &files[200..] {
                            assert!(on_file(f.clone()));
                        }
                        Vec::new()
                    },
                    Some(&tx),
                    None,
                    true,
                )
            })
        };
        let first = rx.recv().unwrap();
        let LoadEvent::Batch(articles, problems) = first else {
            panic!("the first event is a batch, got {first:?}");
        };
        assert!(problems.is_empty());
        assert!(articles.len() >= FIRST_BATCH && articles.len() <= 200);
        go_on_tx.send(()).unwrap();
        let (_, _, completed) = walker.join().unwrap();
        assert!(completed);
        let rest: Vec<LoadEvent> = rx.iter().collect();
        let total: usize = articles.len()
            + rest
                .iter()
                .map(|e| match e {
                    LoadEvent::Batch(a, _) => a.len(),
                    _ => 0,
                })
                .sum::<usize>();
        assert_eq!(total, 400);
        let discovered: Vec<&LoadEvent> = rest
            .iter()
            .filter(|e| matches!(e, LoadEvent::Discovered(_)))
            .collect();
        assert!(
            matches!(discovered[..], [LoadEvent::Discovered(400)]),
            "{discovered:?}"
        );
    }
}
