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
    /// Article ids, best first.
    ids: Vec<u32>,
    snippets: HashMap<u32, Snippet>,
}

/// The worker, its state and the last answer.
#[derive(Default)]
pub(crate) struct FullText {
    worker: Option<SearchWorker>,
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
            && self.fulltext.worker.is_some()
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
                let (mut ids, mut snippets) = (Vec::with_capacity(hits.len()), HashMap::new());
                for hit in hits {
                    if let Some(&id) = self.fulltext.ids.get(&hit.path) {
                        ids.push(id);
                        if let Some(s) = hit.snippet {
                            snippets.insert(id, s);
                        }
                    }
                }
                self.fulltext.answer = Some(Answer {
                    filter: self.fulltext.asked.clone().unwrap_or_default(),
                    ids,
                    snippets,
                });
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

    fn map_paths(&mut self) {
        let (articles, ft) = (&self.catalog.articles, &mut self.fulltext);
        for (i, a) in articles.iter().enumerate().skip(ft.mapped) {
            ft.ids.insert(a.path().to_path_buf(), i as u32);
        }
        ft.mapped = articles.len();
    }
}
