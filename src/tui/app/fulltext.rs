//! The list's full-text search (issue #12): `/` words answered from the library's index.
//!
//! A [`SearchWorker`] builds or updates the index when the reader opens a folder ("indexing
//! n/m" in the status bar) and answers queries on its own threads. Until it is ready, `/`
//! matches titles, outlets and authors as before and the status bar says the body search is
//! pending. Once ready, a query with words is sent with a ticket; the list keeps its title
//! matches until the answer comes, then shows the hits best first (those in the folder that
//! pass the query's other conditions), each with its matching sentence. Keys never wait: an
//! answer for an older filter is dropped.

use std::collections::HashMap;
use std::path::PathBuf;

use super::App;
use crate::search::Query;
use crate::search::snippet::Snippet;
use crate::search::worker::{Corpus, Event, SearchWorker};

/// Hits asked of the index for one query.
const LIMIT: usize = 1_000;

/// Tickets of the saved filters' queries start here, apart from those of `/`; a saved filter
/// asks for every hit, since its count and members are all of them.
const SAVED_TICKETS: u64 = 1 << 62;

/// How far the index is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IndexStatus {
    /// No index (tests, or no worker was started).
    #[default]
    Off,
    /// Being built or updated: this many files of so many.
    Indexing {
        /// Files indexed so far.
        done: usize,
        /// Files to index.
        to_index: usize,
    },
    /// Complete: `/` words are looked up in bodies.
    Ready,
}

/// The answer the list shows.
struct Answer {
    /// The filter text it answers.
    filter: String,
    /// Article ids, best first (the hits whose article has arrived, each article once).
    ids: Vec<u32>,
    snippets: HashMap<u32, Snippet>,
    /// Every hit in rank order: its article once it has arrived, else its path. A hit on a
    /// report still loading (the index knows the folder before the list does) is kept and
    /// takes its place among `ids` when its article arrives.
    ranked: Vec<Ranked>,
    /// Hits in `ranked` whose article has not arrived.
    pending: usize,
}

/// One hit of an [`Answer`], in rank order.
struct Ranked {
    id: Option<u32>,
    path: PathBuf,
    snippet: Option<Snippet>,
}

impl Answer {
    /// Places the pending hits whose path `id_of` now knows; true when any was placed.
    fn place(&mut self, id_of: impl Fn(&std::path::Path) -> Option<u32>) -> bool {
        if self.pending == 0 {
            return false;
        }
        let mut placed = false;
        for hit in self.ranked.iter_mut().filter(|h| h.id.is_none()) {
            if let Some(id) = id_of(&hit.path) {
                hit.id = Some(id);
                self.pending -= 1;
                placed = true;
            }
        }
        if placed {
            self.rebuild();
        }
        placed
    }

    /// `ids` and `snippets` from `ranked`: an article found by two of its files (copies) is
    /// listed once, at its better rank.
    fn rebuild(&mut self) {
        self.ids.clear();
        self.snippets.clear();
        let mut seen = std::collections::HashSet::new();
        for hit in &self.ranked {
            let Some(id) = hit.id else { continue };
            if !seen.insert(id) {
                continue;
            }
            self.ids.push(id);
            if let Some(s) = &hit.snippet {
                self.snippets.insert(id, s.clone());
            }
        }
    }
}

/// The worker, its state and the last answer.
#[derive(Default)]
pub(crate) struct FullText {
    worker: Option<SearchWorker>,
    /// A worker to start once the library has loaded (see [`App::with_search_worker_after_load`]).
    deferred: Option<Box<dyn FnOnce() -> SearchWorker + Send>>,
    status: IndexStatus,
    ticket: u64,
    /// The filter text the newest query was sent for.
    asked: Option<String>,
    answer: Option<Answer>,
    /// Article ids by path, for the first `mapped` articles (articles only arrive).
    ids: HashMap<PathBuf, u32>,
    mapped: usize,
}

impl App {
    /// Starts indexing `corpus` for `/`; the worker's events go to `notify`, which hands them to
    /// [`App::on_search`] on the event loop.
    pub fn with_search_worker(
        mut self,
        corpus: Corpus,
        notify: impl Fn(Event) + Send + Sync + 'static,
    ) -> App {
        self.fulltext.worker = Some(SearchWorker::spawn(corpus, notify));
        self.fulltext.status = IndexStatus::Indexing {
            done: 0,
            to_index: 0,
        };
        self
    }

    /// As [`App::with_search_worker`], answered from `hub`'s index, which other sessions
    /// share (`reader serve`).
    pub fn with_search_hub(
        mut self,
        hub: &crate::search::worker::SearchHub,
        notify: impl Fn(Event) + Send + Sync + 'static,
    ) -> App {
        self.fulltext.status = IndexStatus::Indexing {
            done: 0,
            to_index: 0,
        };
        self.fulltext.worker = Some(hub.attach(notify));
        self
    }

    /// As [`App::with_search_worker`], but the worker starts when the library's loading ends
    /// ([`crate::library::LoadEvent::Done`]): its walk and stat of every file would otherwise
    /// share the cores with the loader's, and the list comes first. `/` says the body search
    /// is pending meanwhile.
    pub fn with_search_worker_after_load(
        mut self,
        corpus: Corpus,
        notify: impl Fn(Event) + Send + Sync + 'static,
    ) -> App {
        self.fulltext.deferred = Some(Box::new(move || SearchWorker::spawn(corpus, notify)));
        self.fulltext.status = IndexStatus::Indexing {
            done: 0,
            to_index: 0,
        };
        self
    }

    /// Starts the deferred search worker, if any: the library has loaded.
    pub(super) fn start_deferred_search(&mut self) {
        if let Some(spawn) = self.fulltext.deferred.take() {
            self.fulltext.worker = Some(spawn());
        }
    }

    /// How far the index is.
    pub fn index_status(&self) -> IndexStatus {
        self.fulltext.status
    }

    /// True while the list shows full-text hits (best first, no day headers).
    pub fn shows_hits(&self) -> bool {
        self.fulltext
            .answer
            .as_ref()
            .is_some_and(|a| a.filter == self.filter)
    }

    /// The matching sentence of article `id` while the list shows hits.
    pub fn snippet(&self, id: u32) -> Option<&Snippet> {
        self.fulltext
            .answer
            .as_ref()
            .filter(|a| a.filter == self.filter)
            .and_then(|a| a.snippets.get(&id))
    }

    /// True when `/` has words the index has not looked up yet (it is still being built).
    pub fn body_search_pending(&self) -> bool {
        matches!(self.fulltext.status, IndexStatus::Indexing { .. })
            && (self.fulltext.worker.is_some() || self.fulltext.deferred.is_some())
            && !self.filter.trim().is_empty()
    }

    /// An event of the search worker.
    pub fn on_search(&mut self, event: Event) {
        match event {
            Event::Message(m) => self.say(m),
            Event::Progress { done, to_index } => {
                self.fulltext.status = IndexStatus::Indexing { done, to_index };
            }
            Event::Ready => {
                self.fulltext.status = IndexStatus::Ready;
                self.fulltext.asked = None;
                if let Some(worker) = &self.fulltext.worker {
                    for (i, query) in self.saved_text_queries() {
                        worker.query_all(SAVED_TICKETS + i as u64, query);
                    }
                }
                if !self.filter.trim().is_empty() {
                    // Asks the index; the list changes when it answers.
                    let keep = self.selected_id();
                    self.refilter(keep);
                }
            }
            Event::Hits { ticket, hits } if ticket >= SAVED_TICKETS => {
                let files = hits.into_iter().map(|hit| hit.path).collect();
                self.on_saved_hits((ticket - SAVED_TICKETS) as usize, files);
            }
            Event::Hits { ticket, hits } if ticket == self.fulltext.ticket => {
                self.map_paths();
                let ranked: Vec<Ranked> = hits
                    .into_iter()
                    .map(|hit| Ranked {
                        id: self.fulltext.ids.get(&hit.path).copied(),
                        path: hit.path,
                        snippet: hit.snippet,
                    })
                    .collect();
                let mut answer = Answer {
                    filter: self.fulltext.asked.clone().unwrap_or_default(),
                    ids: Vec::with_capacity(ranked.len()),
                    snippets: HashMap::new(),
                    pending: ranked.iter().filter(|h| h.id.is_none()).count(),
                    ranked,
                };
                answer.rebuild();
                self.fulltext.answer = Some(answer);
                // The best hit is selected, as the list now shows hits best first.
                self.refilter(None);
            }
            Event::Failed { ticket, error } if ticket == self.fulltext.ticket => self.say(error),
            Event::Hits { .. } | Event::Failed { .. } => {}
        }
        self.sync();
    }

    /// The hits answering the filter `query` (best first), once they have come; asks the worker
    /// when the filter has changed. `None` while there is no answer (the caller matches titles).
    pub(super) fn body_hits(&mut self, query: &Query) -> Option<Vec<u32>> {
        if self.fulltext.status != IndexStatus::Ready || !query.has_text() {
            return None;
        }
        let worker = self.fulltext.worker.as_ref()?;
        if self.fulltext.asked.as_deref() != Some(self.filter.as_str()) {
            self.fulltext.ticket += 1;
            self.fulltext.asked = Some(self.filter.clone());
            worker.query(self.fulltext.ticket, query.clone(), LIMIT);
        }
        self.fulltext
            .answer
            .as_ref()
            .filter(|a| a.filter == self.filter)
            .map(|a| a.ids.clone())
    }

    /// Articles arrived (ids from `first`, and the rows in `changed`, which changed to an
    /// earlier-sorting copy): hits kept for them take their place (the caller filters the
    /// list again).
    pub(super) fn hits_arrived(&mut self, changed: &[usize]) {
        if self.fulltext.answer.as_ref().is_none_or(|a| a.pending == 0) {
            return;
        }
        self.map_paths();
        let (articles, ft) = (&self.catalog.articles, &mut self.fulltext);
        for &i in changed {
            for p in articles[i].paths() {
                ft.ids.insert(p.to_path_buf(), i as u32);
            }
        }
        let ids = &ft.ids;
        if let Some(answer) = ft.answer.as_mut() {
            answer.place(|p| ids.get(p).copied());
        }
    }

    /// Loading is over: a hit still pending may name a copy folded into an article that had
    /// already arrived; one pass over every article's paths places it. True when the answer
    /// the list shows gained hits.
    pub(super) fn hits_settle(&mut self) -> bool {
        let Some(answer) = self.fulltext.answer.as_mut().filter(|a| a.pending > 0) else {
            return false;
        };
        let wanted: std::collections::HashSet<&std::path::Path> = answer
            .ranked
            .iter()
            .filter(|h| h.id.is_none())
            .map(|h| h.path.as_path())
            .collect();
        let mut found: HashMap<PathBuf, u32> = HashMap::new();
        for (i, a) in self.catalog.articles.iter().enumerate() {
            if !self.catalog.is_live(i) {
                continue;
            }
            for p in a.paths().filter(|p| wanted.contains(p)) {
                found.entry(p.to_path_buf()).or_insert(i as u32);
            }
        }
        drop(wanted);
        answer.place(|p| found.get(p).copied()) && answer.filter == self.filter
    }

    /// Maps every path (copies too) of the articles arrived since the last call to its id.
    fn map_paths(&mut self) {
        let (articles, ft) = (&self.catalog.articles, &mut self.fulltext);
        for (i, a) in articles.iter().enumerate().skip(ft.mapped) {
            for p in a.paths() {
                ft.ids.insert(p.to_path_buf(), i as u32);
            }
        }
        ft.mapped = articles.len();
    }
}
