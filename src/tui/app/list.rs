//! The article list: articles arriving from the loader, the newest-first order, the filter,
//! the selection and the marks for comparison.

use super::{App, Message, offset};
use crate::article::Article;
use crate::library::{Library, LoadEvent, Problem, Severity, newest_first};
use crate::tui::action::Action;
use crate::tui::keymap::Layer;
use crate::tui::layout::Pane;
use crate::tui::search;

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
            LoadEvent::Done => {
                self.progress = None;
                self.refresh_learned();
                self.stories_settle();
                let failed = self.failed_count();
                let mut text = format!("loaded {} articles", self.articles.len());
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

    /// Adds a batch as sent by [`Library::spawn_load`]: each article's warnings become problems
    /// (as [`Library::extend`] does), so `!` lists them too.
    pub fn add(&mut self, articles: Vec<Article>, mut problems: Vec<Problem>) {
        for article in &articles {
            for warning in &article.warnings {
                problems.push(Problem::warning(article.path(), warning.clone()));
            }
        }
        self.insert(articles, problems);
    }

    pub(super) fn insert(&mut self, articles: Vec<Article>, mut problems: Vec<Problem>) {
        let keep = if self.engaged {
            self.selected_id()
        } else {
            None
        };
        let first = self.articles.len() as u32;
        // Copies fold into the article already listed (one row per report, as `reader list`
        // shows it); one that sorts first takes the row's place and the other's paths.
        let mut fresh_articles = Vec::with_capacity(articles.len());
        let mut changed = Vec::new();
        for a in articles {
            let at = first as usize + fresh_articles.len();
            match self.copies.original_of(&a) {
                Some(i) => {
                    self.copies.insert(&a, i);
                    if i < first as usize {
                        if crate::library::fold_copy(&mut self.articles[i], a) {
                            changed.push(i);
                        }
                    } else {
                        crate::library::fold_copy(&mut fresh_articles[i - first as usize], a);
                    }
                }
                None => {
                    self.copies.insert(&a, at);
                    fresh_articles.push(a);
                }
            }
        }
        let articles = fresh_articles;
        let tz = self.config.clock.tz.clone();
        let date_of = |a: &Article| match a.list_time() {
            // 11 columns: the date and its archive-time mark, else a space.
            Some(t) => format!("{:<11}", t.date_label_in(&tz)),
            None => " ".repeat(11),
        };
        let day_of = |a: &Article| {
            a.list_time()
                .map(|t| t.day.unwrap_or_else(|| t.utc.to_zoned(tz.clone()).date()))
        };
        for &i in &changed {
            self.days[i] = day_of(&self.articles[i]);
            self.groups.update(i, &self.articles[i]);
            self.keys[i] = search::article_key(&self.articles[i]);
            self.dates[i] = date_of(&self.articles[i]);
        }
        self.keys.extend(articles.iter().map(search::article_key));
        self.dates.extend(articles.iter().map(date_of));
        self.days.extend(articles.iter().map(day_of));
        for a in &articles {
            self.groups.push(a);
        }
        for a in &articles {
            self.furniture.add(a.outlet.as_deref(), &a.furniture_keys);
        }
        self.articles.extend(articles);
        self.track_state(first as usize, &changed);
        let mut fresh: Vec<u32> = (first..self.articles.len() as u32).collect();
        fresh.sort_by(|&a, &b| self.newest_first(a, b));
        // Two sorted runs: the stable sort merges them in linear time (a row whose article
        // changed to an earlier copy moves too).
        self.order.extend(fresh);
        let (articles, days) = (&self.articles, &self.days);
        self.order.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            days[b]
                .cmp(&days[a])
                .then_with(|| newest_first(&articles[a], &articles[b]))
        });
        self.problems.append(&mut problems);
        self.problems
            .sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.reason.cmp(&b.reason)));
        if self.progress.is_none() {
            self.refresh_learned();
        }
        self.saved_arrived(first as usize, &changed);
        self.stories_arrived(first as usize);
        self.refilter(keep);
        self.refresh_folder_rows();
        self.sync();
    }

    /// Learns the furniture from the articles counted so far; a shown body cleaned with other
    /// knowledge is read and cleaned again (keeping the reading position), so the body is the
    /// one `reader show` prints.
    pub(super) fn refresh_learned(&mut self) {
        self.learned = self.furniture.learned();
        let Some(shown) = &self.shown else { return };
        let article = &self.articles[shown.id as usize];
        let now = self.learned.for_outlet(article.outlet.as_deref());
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

    /// The list's order: by day (as the day headers show it), newest first, then by time.
    /// For reports timed to the minute this is `reader list`'s order; a report known only by
    /// its day sorts as that day's midnight in the outlet's zone, which may fall on the day
    /// before in the list's zone: it goes under its own day's header all the same.
    pub(super) fn newest_first(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let (a, b) = (a as usize, b as usize);
        self.days[b]
            .cmp(&self.days[a])
            .then_with(|| newest_first(&self.articles[a], &self.articles[b]))
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
                self.view = self.order.clone();
            }
            Ok(query) => {
                let query = query.in_zone(tz);
                let (keys, articles) = (&self.keys, &self.articles);
                self.view = self
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
                    .collect();
            }
            Err(e) => self.say(e.reason),
        }
        let days = &self.days;
        self.day_rows = super::DayRows::new(self.view.iter().map(|&id| days[id as usize]));
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
