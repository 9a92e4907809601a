//! The search worker: brings a library's index up to date and answers queries on threads of
//! its own, so the caller (the reader's event loop) never waits on the disk or on tantivy.
//!
//! One thread updates the index (progress as events); another answers queries, each with a
//! ticket, from what the index has committed: only the newest query waiting is answered, so a
//! burst of keystrokes costs one search. Each answer carries, for its first hits, the sentence
//! that matches as a [`Snippet`], read from the hit's own file.
//!
//! Invariant: no call on [`SearchWorker`] blocks; events go to the `notify` callback given at
//! spawn (the reader's event loop forwards them to its queue).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

/// Where the worker's events go.
pub type Notify = Arc<dyn Fn(Event) + Send + Sync>;
use std::sync::{Arc, Mutex, OnceLock};

use super::index::{self, IndexError, Progress, SearchIndex};
use super::query::Query;
use super::snippet::{Snippet, snippet};
use crate::article::{self, Article, Origin};

/// Snippets are made for this many hits of an answer (the rest come without).
pub const SNIPPETS: usize = 50;
/// Snippets are cut to this many characters.
const SNIPPET_CHARS: usize = 200;

/// What to index.
pub enum Corpus {
    /// The files under `paths` (as a library opens them), indexed in `index_dir` (usually
    /// [`index::dir_for`] the paths), in memory when there is none.
    Library {
        /// The library's paths.
        paths: Vec<PathBuf>,
        /// Where its index lives.
        index_dir: Option<PathBuf>,
    },
    /// Articles whose bytes are at hand (the bundled seeds), indexed in memory.
    Articles(Vec<Article>),
}

/// One hit of an answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// The hit's path, as the library names it.
    pub path: PathBuf,
    /// The BM25 score (higher is better).
    pub score: f32,
    /// The matching sentence, for the first [`SNIPPETS`] hits.
    pub snippet: Option<Snippet>,
}

/// What the worker says.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// Something to tell the user (an index rebuilt, a lock held by another reader).
    Message(String),
    /// Indexing has come this far.
    Progress {
        /// Files indexed so far.
        done: usize,
        /// Files to index.
        to_index: usize,
    },
    /// The index holds every file; answers are complete from now on.
    Ready,
    /// The answer to the query of `ticket`, best first.
    Hits {
        /// The ticket the query was sent with.
        ticket: u64,
        /// The hits, at most the limit asked for.
        hits: Vec<Found>,
    },
    /// The query of `ticket` failed.
    Failed {
        /// The ticket the query was sent with.
        ticket: u64,
        /// Why, in words for a user.
        error: String,
    },
}

struct Job {
    ticket: u64,
    query: Query,
    limit: usize,
    /// Every hit, without snippets, and never replaced by a newer query (a saved filter's).
    all: bool,
}

/// The handle: dropping it stops the threads (the update at its next commit); a worker
/// attached to a [`SearchHub`] stops only its own answers.
pub struct SearchWorker {
    jobs: Sender<Job>,
    /// Set on drop; `None` for a hub's worker, whose index update is the hub's.
    cancel: Option<Arc<AtomicBool>>,
    /// A hub's worker: its place among the hub's listeners, left on drop.
    listening: Option<(Arc<Mutex<Listeners>>, u64)>,
}

impl Drop for SearchWorker {
    fn drop(&mut self) {
        if let Some(cancel) = &self.cancel {
            cancel.store(true, Ordering::Relaxed);
        }
        if let Some((listeners, id)) = &self.listening
            && let Ok(mut l) = listeners.lock()
        {
            l.list.retain(|(i, _)| i != id);
        }
    }
}

impl SearchWorker {
    /// Starts indexing `corpus` and answering queries; every event goes to `notify`, on the
    /// worker's threads.
    pub fn spawn(corpus: Corpus, notify: impl Fn(Event) + Send + Sync + 'static) -> SearchWorker {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let tx: Notify = Arc::new(notify);
        let cancel = Arc::new(AtomicBool::new(false));
        let shared: Arc<OnceLock<Shared>> = Arc::new(OnceLock::new());
        {
            let (tx, cancel, shared) = (tx.clone(), cancel.clone(), shared.clone());
            std::thread::spawn(move || build(corpus, &shared, &tx, &cancel));
        }
        std::thread::spawn(move || answer(&job_rx, &shared, &tx));
        SearchWorker {
            jobs,
            cancel: Some(cancel),
            listening: None,
        }
    }

    /// Asks for the best `limit` hits of `query`; the answer comes as [`Event::Hits`] with this
    /// ticket (or not at all when a newer query was sent meanwhile).
    pub fn query(&self, ticket: u64, query: Query, limit: usize) {
        let _ = self.jobs.send(Job {
            ticket,
            query,
            limit,
            all: false,
        });
    }

    /// Asks for every hit of `query`, without snippets (a saved filter's members); answered
    /// as [`Event::Hits`] with this ticket even when other queries follow.
    pub fn query_all(&self, ticket: u64, query: Query) {
        let _ = self.jobs.send(Job {
            ticket,
            query,
            limit: usize::MAX,
            all: true,
        });
    }
}

/// One index shared by many workers (the sessions of `reader serve`): brought up to date once,
/// on threads of its own, while each attached [`SearchWorker`] answers its own queries from it.
/// Dropping the last handle stops the update.
#[derive(Clone)]
pub struct SearchHub(Arc<Hub>);

impl std::fmt::Debug for SearchHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchHub")
    }
}

struct Hub {
    shared: Arc<OnceLock<Shared>>,
    listeners: Arc<Mutex<Listeners>>,
    cancel: Arc<AtomicBool>,
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// Who hears the hub's update, and where it stands, for workers attached later.
#[derive(Default)]
struct Listeners {
    next: u64,
    list: Vec<(u64, Notify)>,
    /// The newest `Progress` or `Ready`.
    status: Option<Event>,
}

impl SearchHub {
    /// Starts bringing `corpus`'s index up to date; workers attach with [`SearchHub::attach`].
    pub fn spawn(corpus: Corpus) -> SearchHub {
        let listeners = Arc::new(Mutex::new(Listeners::default()));
        let cancel = Arc::new(AtomicBool::new(false));
        let shared: Arc<OnceLock<Shared>> = Arc::new(OnceLock::new());
        let tell: Notify = {
            let listeners = listeners.clone();
            Arc::new(move |e: Event| {
                let Ok(mut l) = listeners.lock() else { return };
                if matches!(e, Event::Progress { .. } | Event::Ready) {
                    l.status = Some(e.clone());
                }
                for (_, notify) in &l.list {
                    notify(e.clone());
                }
            })
        };
        {
            let (cancel, shared) = (cancel.clone(), shared.clone());
            std::thread::spawn(move || build(corpus, &shared, &tell, &cancel));
        }
        SearchHub(Arc::new(Hub {
            shared,
            listeners,
            cancel,
        }))
    }

    /// A worker answering queries from the hub's index, its events (the update's progress
    /// first, as it stands) to `notify`.
    pub fn attach(&self, notify: impl Fn(Event) + Send + Sync + 'static) -> SearchWorker {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let tx: Notify = Arc::new(notify);
        let id = {
            let mut l = self.0.listeners.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(status) = &l.status {
                tx(status.clone());
            }
            l.next += 1;
            let id = l.next;
            l.list.push((id, tx.clone()));
            id
        };
        let shared = self.0.shared.clone();
        std::thread::spawn(move || answer(&job_rx, &shared, &tx));
        SearchWorker {
            jobs,
            cancel: None,
            listening: Some((self.0.listeners.clone(), id)),
        }
    }
}

/// The index and how to read a hit's text, once the index is open.
struct Shared {
    index: SearchIndex,
    /// For in-memory corpora: the articles, by path.
    articles: HashMap<PathBuf, Article>,
}

fn build(corpus: Corpus, shared: &OnceLock<Shared>, tx: &Notify, cancel: &AtomicBool) {
    let say = |e: Event| tx(e);
    match corpus {
        Corpus::Articles(articles) => {
            say(Event::Progress {
                done: 0,
                to_index: articles.len(),
            });
            let index = SearchIndex::in_memory();
            let sources: Vec<String> = articles.iter().map(source_text).collect();
            let bodies: Vec<String> = articles
                .iter()
                .zip(&sources)
                .map(|(a, s)| index::body_text(s, a))
                .collect();
            if let Err(e) =
                index.add_articles(articles.iter().zip(bodies.iter().map(String::as_str)))
            {
                say(Event::Message(e.to_string()));
            }
            let articles = articles
                .into_iter()
                .map(|a| (a.path().to_path_buf(), a))
                .collect();
            let _ = shared.set(Shared { index, articles });
            say(Event::Ready);
        }
        Corpus::Library { paths, index_dir } => {
            let index = match index_dir {
                None => {
                    say(Event::Message(
                        "no cache folder (neither XDG_CACHE_HOME nor HOME is set); indexing in memory"
                            .into(),
                    ));
                    SearchIndex::in_memory()
                }
                Some(dir) => match SearchIndex::open(&dir) {
                    Ok((index, message)) => {
                        if let Some(m) = message {
                            say(Event::Message(m));
                        }
                        index
                    }
                    Err(e) => {
                        say(Event::Message(format!("{e}; indexing in memory")));
                        SearchIndex::in_memory()
                    }
                },
            };
            let shared = shared.get_or_init(|| Shared {
                index,
                articles: HashMap::new(),
            });
            let mut progress = |p: Progress| match p {
                Progress::Started { to_index, .. } => say(Event::Progress { done: 0, to_index }),
                Progress::Indexed { done, to_index } => say(Event::Progress { done, to_index }),
            };
            // Another reader updating the same index: search what it has committed, and try
            // again now and then until it is done.
            let mut told = false;
            let (mut outcome, files, _) = shared.index.update_paths(&paths, &mut progress, cancel);
            loop {
                match outcome {
                    Err(IndexError::Locked) if !cancel.load(Ordering::Relaxed) => {
                        if !told {
                            say(Event::Message(IndexError::Locked.to_string()));
                            told = true;
                        }
                        let _ = shared.index.reload();
                        std::thread::sleep(std::time::Duration::from_millis(500));
                        outcome = shared.index.update(&files, &mut progress, cancel);
                    }
                    Err(e) => {
                        say(Event::Message(e.to_string()));
                        return;
                    }
                    Ok(_) => break,
                }
            }
            if !cancel.load(Ordering::Relaxed) {
                say(Event::Ready);
            }
        }
    }
}

fn answer(jobs: &Receiver<Job>, shared: &OnceLock<Shared>, tx: &Notify) {
    while let Ok(first) = jobs.recv() {
        // Of the queries waiting, every saved filter's and the newest other one.
        let mut waiting = vec![first];
        waiting.extend(jobs.try_iter());
        let newest = waiting.iter().rposition(|j| !j.all);
        let mut batch: Vec<Job> = waiting
            .into_iter()
            .enumerate()
            .filter(|(i, j)| j.all || Some(*i) == newest)
            .map(|(_, j)| j)
            .collect();
        let Some(shared) = wait_for(shared, jobs, &mut batch) else {
            return;
        };
        let _ = shared.index.reload();
        for job in batch {
            tx(run(shared, &job));
        }
    }
}

/// Runs one query on the open index.
fn run(shared: &Shared, job: &Job) -> Event {
    let limit = job
        .limit
        .min(usize::try_from(shared.index.len()).unwrap_or(usize::MAX));
    match shared.index.search(&job.query, limit) {
        Ok(hits) => Event::Hits {
            ticket: job.ticket,
            hits: hits
                .into_iter()
                .enumerate()
                .map(|(i, h)| Found {
                    snippet: (i < SNIPPETS && !job.all)
                        .then(|| hit_snippet(shared, &h.path, &job.query))
                        .flatten(),
                    path: h.path,
                    score: h.score,
                })
                .collect(),
        },
        Err(e) => Event::Failed {
            ticket: job.ticket,
            error: e.to_string(),
        },
    }
}

/// The index, once open; a newer query replaces the other (not saved filters') one in `batch`
/// meanwhile. `None` when the handle is gone.
fn wait_for<'a>(
    shared: &'a OnceLock<Shared>,
    jobs: &Receiver<Job>,
    batch: &mut Vec<Job>,
) -> Option<&'a Shared> {
    loop {
        if let Some(s) = shared.get() {
            return Some(s);
        }
        match jobs.recv_timeout(std::time::Duration::from_millis(20)) {
            Ok(newer) => {
                if !newer.all {
                    batch.retain(|j| j.all);
                }
                batch.push(newer);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return shared.get(),
        }
    }
}

fn source_text(a: &Article) -> String {
    a.origin
        .bytes()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// The snippet of the hit at `path`: from the article at hand, else from its file.
fn hit_snippet(shared: &Shared, path: &Path, query: &Query) -> Option<Snippet> {
    let body = match shared.articles.get(path) {
        Some(a) => index::body_text(&source_text(a), a),
        None => {
            let bytes = article::read_capped(path, article::max_size()).ok()?;
            let a = article::parse(Origin::File(path.to_path_buf()), &bytes).ok()?;
            index::body_text(&String::from_utf8_lossy(&bytes), &a)
        }
    };
    snippet(&body, query, SNIPPET_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn q(text: &str) -> Query {
        crate::search::parse(text, jiff::civil::date(2026, 12, 1)).unwrap()
    }

    /// A `notify` callback that queues every event, and the queue.
    fn listener() -> (
        impl Fn(Event) + Send + Sync + 'static,
        mpsc::Receiver<Event>,
    ) {
        let (tx, rx) = mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        (
            move |e| {
                let _ = tx.lock().unwrap().send(e);
            },
            rx,
        )
    }

    fn spawn(corpus: Corpus) -> (SearchWorker, mpsc::Receiver<Event>) {
        let (notify, rx) = listener();
        (SearchWorker::spawn(corpus, notify), rx)
    }

    /// Events until `stop` says so (or 20 s pass, which fails).
    fn until(events: &mpsc::Receiver<Event>, mut stop: impl FnMut(&Event) -> bool) -> Vec<Event> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Ok(e) = events.recv_timeout(Duration::from_millis(50)) {
                let done = stop(&e);
                seen.push(e);
                if done {
                    return seen;
                }
            }
        }
        panic!("no final event; saw {seen:?}");
    }

    #[test]
    fn a_library_is_indexed_with_progress_then_answered_with_snippets() {
        let tmp = tempfile::tempdir().unwrap();
        let files = tmp.path().join("files");
        std::fs::create_dir(&files).unwrap();
        std::fs::write(
            files.join("a.html"),
            "<title>Envoy</title><p>Nothing here.</p><p>议员拉布发言。</p>",
        )
        .unwrap();
        std::fs::write(files.join("b.html"), "<title>Other</title><p>气候。</p>").unwrap();
        let (worker, rx) = spawn(Corpus::Library {
            paths: vec![files.clone()],
            index_dir: Some(tmp.path().join("index")),
        });
        let events = until(&rx, |e| *e == Event::Ready);
        assert!(
            events.contains(&Event::Progress {
                done: 2,
                to_index: 2
            }),
            "{events:?}"
        );
        worker.query(7, q("拉布"), 10);
        let events = until(&rx, |e| matches!(e, Event::Hits { .. }));
        let Some(Event::Hits { ticket, hits }) = events.last() else {
            unreachable!()
        };
        assert_eq!(*ticket, 7);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].path, files.join("a.html"));
        let s = hits[0].snippet.as_ref().unwrap();
        assert_eq!(s.text, "议员拉布发言。");
        assert_eq!(s.marks, vec![(2..4)]);
    }

    fn attach(hub: &SearchHub) -> (SearchWorker, mpsc::Receiver<Event>) {
        let (notify, rx) = listener();
        (hub.attach(notify), rx)
    }

    #[test]
    fn a_hub_indexes_once_for_every_worker_attached_before_or_after() {
        let tmp = tempfile::tempdir().unwrap();
        let files = tmp.path().join("files");
        std::fs::create_dir(&files).unwrap();
        std::fs::write(
            files.join("a.html"),
            "<title>A</title><p>议员拉布发言。</p>",
        )
        .unwrap();
        std::fs::write(files.join("b.html"), "<title>B</title><p>气候特使。</p>").unwrap();
        let hub = SearchHub::spawn(Corpus::Library {
            paths: vec![files.clone()],
            index_dir: Some(tmp.path().join("index")),
        });
        let (early, early_rx) = attach(&hub);
        let events = until(&early_rx, |e| *e == Event::Ready);
        let indexed: Vec<&Event> = events
            .iter()
            .filter(|e| matches!(e, Event::Progress { done: 2, .. }))
            .collect();
        assert_eq!(
            indexed,
            vec![&Event::Progress {
                done: 2,
                to_index: 2
            }]
        );
        // Attached after the update: told it is ready at once, nothing indexed again.
        let (late, late_rx) = attach(&hub);
        assert_eq!(
            late_rx.recv_timeout(Duration::from_secs(5)).unwrap(),
            Event::Ready
        );
        late.query(3, q("气候"), 10);
        early.query(4, q("拉布"), 10);
        let hits_of = |rx: &mpsc::Receiver<Event>, want: u64| {
            let events = until(rx, |e| matches!(e, Event::Hits { .. }));
            match events.last() {
                Some(Event::Hits { ticket, hits }) if *ticket == want => {
                    hits.iter().map(|h| h.path.clone()).collect::<Vec<_>>()
                }
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(hits_of(&late_rx, 3), vec![files.join("b.html")]);
        assert_eq!(hits_of(&early_rx, 4), vec![files.join("a.html")]);
        // One session leaving stops neither the hub nor the other session's answers.
        drop(early);
        late.query(5, q("拉布"), 10);
        assert_eq!(hits_of(&late_rx, 5), vec![files.join("a.html")]);
        assert_eq!(hub.0.listeners.lock().unwrap().list.len(), 1);
    }

    #[test]
    fn only_the_newest_waiting_query_is_answered() {
        let text = "<title>T</title><p>美国气候特使。</p>";
        let a = article::parse(
            Origin::Memory {
                name: "m.html".into(),
                bytes: Arc::from(text.as_bytes()),
            },
            text.as_bytes(),
        )
        .unwrap();
        let (worker, rx) = spawn(Corpus::Articles(vec![a]));
        for t in 1..=20 {
            worker.query(t, q(if t == 20 { "气候" } else { "nothing" }), 5);
        }
        let events = until(&rx, |e| matches!(e, Event::Hits { ticket: 20, .. }));
        let answered: Vec<u64> = events
            .iter()
            .filter_map(|e| match e {
                Event::Hits { ticket, .. } => Some(*ticket),
                _ => None,
            })
            .collect();
        assert!(
            answered.len() < 20,
            "a burst is not answered query by query"
        );
        let Some(Event::Hits { hits, .. }) = events.last() else {
            unreachable!()
        };
        assert_eq!(hits.len(), 1);
        assert_eq!(
            hits[0].snippet.as_ref().map(|s| s.text.as_str()),
            Some("美国气候特使。")
        );
    }

    #[test]
    fn every_saved_filters_query_is_answered_whole_and_without_snippets() {
        let articles: Vec<Article> = (0..30)
            .map(|i| {
                let text = format!("<title>T{i}</title><p>第{i}段：美国气候特使。</p>");
                article::parse(
                    Origin::Memory {
                        name: format!("m{i}.html").into(),
                        bytes: Arc::from(text.as_bytes()),
                    },
                    text.as_bytes(),
                )
                .unwrap()
            })
            .collect();
        let (worker, rx) = spawn(Corpus::Articles(articles));
        // Two saved filters' queries among a burst of others: both answered, in full.
        worker.query_all(100, q("气候"));
        for t in 1..=10 {
            worker.query(t, q("nothing"), 5);
        }
        worker.query_all(101, q("第7段"));
        worker.query(11, q("特使"), 5);
        let mut answered = std::collections::HashMap::new();
        until(&rx, |e| {
            if let Event::Hits { ticket, hits } = e {
                answered.insert(*ticket, hits.clone());
            }
            [100, 101, 11].iter().all(|t| answered.contains_key(t))
        });
        assert_eq!(answered[&100].len(), 30, "every hit, past any limit");
        assert!(answered[&100].iter().all(|h| h.snippet.is_none()));
        assert_eq!(answered[&101].len(), 1);
        assert_eq!(answered[&11].len(), 5, "the limit asked for");
        assert!(answered[&11][0].snippet.is_some());
    }
}
