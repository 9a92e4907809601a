//! The article list: articles arriving from the loader, the newest-first order, the filter,
//! the selection and the marks for comparison.

use std::sync::Arc;

use super::catalog::{Arrival, Listed};
use super::{App, Catalog, Message, offset};
use crate::article::Article;
use crate::library::{Library, LoadEvent, Problem, Severity};
use crate::tui::action::Action;
use crate::tui::keymap::Layer;
use crate::tui::layout::Pane;

/// Background loading progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files handled so far (articles plus failures).
    pub done: usize,
    /// Files found, once known.
    pub total: Option<usize>,
}

impl App {
    /// Applies a background-load event.
    pub fn on_load(&mut self, event: LoadEvent) {
        match event {
            LoadEvent::Discovered(total) => {
                let progress = self.progress.get_or_insert_with(Progress::default);
                progress.total = Some(total);
            }
            LoadEvent::Batch(articles, problems) => {
                let progress = self.progress.get_or_insert_with(Progress::default);
                progress.done += articles.len()
                    + problems
                        .iter()
                        .filter(|p| p.severity == Severity::Error)
                        .count();
                self.add(articles, problems);
            }
            LoadEvent::Removed(paths) => {
                if let Some(progress) = self.progress.as_mut() {
                    progress.done = progress.done.saturating_sub(paths.len());
                }
                self.remove(&paths);
            }
            LoadEvent::Done => {
                self.progress = None;
                self.start_deferred_search();
                self.refresh_learned();
                if self.hits_settle() {
                    let keep = self.selected_id();
                    self.refilter(keep);
                }
                self.stories_settle();
                let failed = self.failed_count();
                let mut text = format!("loaded {} articles", self.catalog.live_len());
                if failed > 0 {
                    text.push_str(&format!("; {failed} failed (press ! for the list)"));
                }
                // An error said while loading (the state file set aside) stays in front.
                let earlier = self.message.take().filter(|m| m.error);
                self.message = Some(Message {
                    error: failed > 0 || earlier.is_some(),
                    text: match earlier {
                        Some(m) => format!("{}; {text}", m.text),
                        None => text,
                    },
                });
            }
        }
        self.sync();
    }

    /// Adds a loaded library (e.g. the bundled seeds) as it is.
    pub fn add_library(&mut self, library: Library) {
        self.insert(library.articles, library.problems);
        self.stories_settle();
    }

    /// Starts from a catalog built elsewhere and shared (`reader serve`: one per library,
    /// the same `Arc` for every session) and its library's problems: nothing per article is
    /// computed again but this reader's flags.
    pub fn with_catalog(mut self, catalog: Arc<Catalog>, problems: Vec<Problem>) -> App {
        self.catalog = catalog;
        self.track_state(0, &[]);
        self.problems = problems;
        self.sort_problems();
        self.saved_arrived(0, &[]);
        self.stories_arrived(0);
        self.stories_settle();
        self.refilter(None);
        self.refresh_folder_rows();
        self.sync();
        self
    }

    /// The catalog of articles this reader lists (shared when served).
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// Adds a batch as sent by [`Library::spawn_load`]: each article's warnings become problems
    /// (as [`Library::extend`] does), so `!` lists them too.
    pub fn add(&mut self, articles: Vec<Article>, problems: Vec<Problem>) {
        let problems = super::catalog::with_warnings(&articles, problems);
        self.insert(articles, problems);
    }

    /// Adds a batch prepared off the event loop (see [`super::catalog::prepare_loads`]): the
    /// reader's path, where the UI thread only files what the loader's side derived.
    pub fn on_listed(&mut self, listed: Listed) {
        let progress = self.progress.get_or_insert_with(Progress::default);
        progress.done += listed.articles.len()
            + listed
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count();
        let mut listed = listed;
        let mut batch_problems = std::mem::take(&mut listed.problems);
        let any = !listed.articles.is_empty();
        self.file(
            any,
            |catalog| catalog.insert_listed(listed),
            &mut batch_problems,
        );
    }

    /// An arrival from [`super::catalog::prepare_loads`].
    pub fn on_arrival(&mut self, arrival: Arrival) {
        match arrival {
            Arrival::Batch(listed) => self.on_listed(listed),
            Arrival::Event(event) => self.on_load(event),
        }
    }

    pub(super) fn insert(&mut self, articles: Vec<Article>, mut problems: Vec<Problem>) {
        let any = !articles.is_empty();
        self.file(any, |catalog| catalog.insert(articles), &mut problems);
    }

    /// Files a batch into the catalog (`arrive`, run only when the batch has articles) and
    /// brings everything the list derives for this reader up to date.
    fn file(
        &mut self,
        any: bool,
        arrive: impl FnOnce(&mut Catalog) -> super::catalog::Arrived,
        problems: &mut Vec<Problem>,
    ) {
        let keep = if self.engaged {
            self.selected_id()
        } else {
            None
        };
        // A batch of problems alone (a bad config file) leaves a shared catalog shared.
        let arrived = if any {
            arrive(Arc::make_mut(&mut self.catalog))
        } else {
            super::catalog::Arrived {
                first: self.catalog.len(),
                changed: Vec::new(),
            }
        };
        let (first, changed) = (arrived.first, arrived.changed);
        self.track_state(first, &changed);
        self.problems.append(problems);
        self.sort_problems();
        if self.progress.is_none() {
            self.refresh_learned();
        }
        self.saved_arrived(first, &changed);
        self.stories_arrived(first);
        // Hits kept for reports still loading take their places (the list shows them below).
        self.hits_arrived(&changed);
        self.refilter(keep);
        self.refresh_folder_rows();
        self.sync();
    }

    /// Takes the articles with any of `paths` off the list (see [`Catalog::remove`]): the
    /// selection moves to the nearest report still listed, marks on the gone ones go, and an
    /// open gone report is closed.
    fn remove(&mut self, paths: &[std::path::PathBuf]) {
        let taken = Arc::make_mut(&mut self.catalog).remove(paths);
        if taken.is_empty() {
            return;
        }
        let catalog = &self.catalog;
        let live = |id: &u32| catalog.is_live(*id as usize);
        let keep = if self.engaged {
            let at = self.selected.min(self.view.len());
            self.view[at..]
                .iter()
                .find(|id| live(id))
                .or_else(|| self.view[..at].iter().rev().find(|id| live(id)))
                .copied()
        } else {
            None
        };
        self.marks.retain(live);
        if self.shown.as_ref().is_some_and(|s| !live(&s.id)) {
            self.shown = None;
        }
        self.refresh_learned();
        self.stories_removed();
        self.refilter(keep);
        self.refresh_folder_rows();
        self.sync();
    }

    fn sort_problems(&mut self) {
        self.problems
            .sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.reason.cmp(&b.reason)));
    }

    /// Learns the furniture from the articles counted so far; a shown body cleaned with other
    /// knowledge is read and cleaned again (keeping the reading position), so the body is the
    /// one `reader show` prints.
    pub(super) fn refresh_learned(&mut self) {
        if self.catalog.stale() {
            Arc::make_mut(&mut self.catalog).relearn();
        }
        let Some(shown) = &self.shown else { return };
        let article = &self.catalog.articles[shown.id as usize];
        let now = self.catalog.learned.for_outlet(article.outlet.as_deref());
        if shown.cleaner.learned.as_deref() == Some(&*now) || shown.loading() {
            return;
        }
        let (id, scroll) = (shown.id, self.body_scroll);
        if self.selected_id() != Some(id) {
            return;
        }
        let lines = shown.rendered().map_or(0, |r| r.lines.len());
        self.shown = None;
        self.show_selected();
        self.body_scroll = scroll;
        // Kept once the body, cleaned again, is laid out (it may be read on the worker).
        self.restore = (scroll > 0).then(|| {
            let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            (
                id,
                crate::state::Position {
                    line: clamp(scroll),
                    lines: clamp(lines),
                },
            )
        });
    }

    pub(super) fn refilter(&mut self, keep: Option<u32>) {
        // Read before `view` changes: the same index may name another article afterwards.
        let before = self.selected_id();
        // The query language of `reader search`; words are matched in the list's keys (title,
        // outlet names, author). A query that does not parse (often one half typed) keeps the
        // list as it was and says why.
        let tz = self.config.clock.tz.clone();
        let today = self.config.clock.now.to_zoned(tz.clone()).date();
        match crate::search::parse(&self.filter, today) {
            Ok(query) if query.is_empty() && self.folder == super::Folder::All => {
                self.view = self.catalog.order.clone();
            }
            Ok(query) => {
                let query = query.in_zone(tz);
                // Once the index has answered, the hits best first; until then title matches.
                let hits = self.body_hits(&query);
                let (keys, articles) = (&self.catalog.keys, &self.catalog.articles);
                self.view = match hits {
                    Some(ids) => ids
                        .into_iter()
                        .filter(|&id| self.catalog.is_live(id as usize) && self.in_folder(id))
                        .filter(|&id| {
                            query.matches_meta(&articles[id as usize], self.flags(id).into())
                        })
                        .collect(),
                    None => self
                        .catalog
                        .order
                        .iter()
                        .copied()
                        .filter(|&id| self.in_folder(id))
                        .filter(|&id| {
                            let i = id as usize;
                            query.is_empty()
                                || (query.matches_key(&keys[i])
                                    && query.matches_meta(&articles[i], self.flags(id).into()))
                        })
                        .collect(),
                };
            }
            Err(e) => self.say(e.reason),
        }
        self.follow_filter();
        let days = &self.catalog.days;
        self.day_rows = if self.shows_hits() {
            // Ranked, not by date: no day headers.
            super::DayRows::flat(self.view.len())
        } else {
            super::DayRows::new(self.view.iter().map(|&id| days[id as usize]))
        };
        // The report asked for, else (when one was asked for) the one selected before.
        let find = |id: u32| self.view.iter().position(|&v| v == id);
        let position = keep
            .and_then(find)
            .or_else(|| keep.and(before).and_then(find));
        self.selected = position.unwrap_or(0).min(self.view.len().saturating_sub(1));
        if self.shown.is_none() || (before != self.selected_id() && self.selected_id().is_some()) {
            self.selection_moved();
        }
    }

    pub(super) fn selection_moved(&mut self) {
        if self.config.defer_preview {
            self.preview_pending = true;
        } else {
            self.show_selected();
        }
    }

    /// The selection has rested (no key for a moment): show it in the body.
    pub fn settle(&mut self) {
        if self.preview_pending {
            self.preview_pending = false;
            self.show_selected();
            self.sync();
        }
    }

    /// True while the body still shows an earlier selection (see [`Config::defer_preview`]).
    pub fn preview_pending(&self) -> bool {
        self.preview_pending
    }

    pub(super) fn open(&mut self) {
        if self.view.is_empty() {
            return;
        }
        self.preview_pending = false;
        self.show_selected();
        if let Some(id) = self.selected_id() {
            self.mark_read(id);
        }
        self.focus = Pane::Body;
    }

    pub(super) fn next_article(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let target = offset(self.selected, delta, self.view.len() - 1);
        if target == self.selected {
            self.say(if delta > 0 {
                "this is the last article"
            } else {
                "this is the first article"
            });
            return;
        }
        self.selected = target;
        let focus = self.focus;
        self.open();
        self.focus = focus;
    }

    pub(super) fn toggle_mark(&mut self) {
        if let Some(id) = self.selected_id() {
            self.toggle_mark_id(id);
        }
    }

    /// Marks or unmarks `id` for comparison (at most two: a third replaces the oldest).
    pub(super) fn toggle_mark_id(&mut self, id: u32) {
        if let Some(at) = self.marks.iter().position(|&m| m == id) {
            self.marks.remove(at);
            self.say(format!("unmarked ({} marked)", self.marks.len()));
            return;
        }
        if self.marks.len() == 2 {
            self.marks.remove(0);
        }
        self.marks.push(id);
        let c = self
            .keymap
            .first_key(Layer::List, Action::Compare)
            .map(|k| k.display(self.config.ascii))
            .unwrap_or_default();
        self.say(match self.marks.len() {
            1 => "marked 1 of 2 for comparison".to_string(),
            _ => format!("marked 2 of 2: press {c} to compare"),
        });
    }
}
