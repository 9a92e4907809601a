//! The library as the list knows it: the articles and what is derived from each of them, the
//! same for every reader of it (list keys, dates, days, outlet groups, state identities, the
//! newest-first order, copies, learned furniture).
//!
//! The app holds it as an `Arc`: the local reader, whose articles arrive in batches, is its
//! only owner and changes it in place (`Arc::make_mut` copies nothing then); `reader serve`
//! builds one for the served library and every session starts from the same `Arc`, so a
//! session costs its own state only (view, selection, flags, filters), never a copy of the
//! library or a pass over it.

use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::outlets::Groups;
use crate::article::Article;
use crate::library::{CopyIndex, Library, Problem, newest_first};
use crate::render::clean::{FurnitureCounts, Learned};
use crate::state::Identity;
use crate::tui::search;

/// The articles and their per-article data, shared read-only between readers of one library.
#[derive(Clone, Debug)]
pub struct Catalog {
    /// All articles, in load order (ids index this and every vector below).
    pub(super) articles: Vec<Article>,
    /// The list search's key of each article (title, outlet names, author).
    pub(super) keys: Vec<String>,
    /// The list's date column per article (local date).
    pub(super) dates: Vec<String>,
    /// The list's day per article (local date, as `dates`), for the day headers.
    pub(super) days: Vec<Option<Date>>,
    /// Each article's key in the state store.
    pub(super) idents: Vec<Option<Identity>>,
    /// Each article's outlet group (the outlets overlay).
    pub(super) groups: Groups,
    /// All article ids, newest first.
    pub(super) order: Vec<u32>,
    /// Finds the article a newly loaded file is a copy of, as `reader list` folds them.
    copies: CopyIndex,
    /// Edge lines counted per outlet as articles arrive (see [`crate::render::clean`]).
    furniture: FurnitureCounts,
    /// The furniture learned from `furniture`, refreshed when a load ends (not per batch: the
    /// computation covers the whole library).
    pub(super) learned: Arc<Learned>,
    /// Articles were counted since `learned` was computed.
    stale: bool,
    /// The zone of `dates` and `days`.
    tz: TimeZone,
}

/// What one [`Catalog::insert`] changed.
#[derive(Debug, Default)]
pub(super) struct Arrived {
    /// The first new id (the ids from here to the end are new).
    pub first: usize,
    /// Rows already listed whose article changed to an earlier-sorting copy.
    pub changed: Vec<usize>,
}

impl Catalog {
    /// An empty catalog whose dates are shown in `tz`.
    pub fn new(tz: TimeZone) -> Catalog {
        Catalog {
            articles: Vec::new(),
            keys: Vec::new(),
            dates: Vec::new(),
            days: Vec::new(),
            idents: Vec::new(),
            groups: Groups::default(),
            order: Vec::new(),
            copies: CopyIndex::default(),
            furniture: FurnitureCounts::default(),
            learned: Arc::default(),
            stale: false,
            tz,
        }
    }

    /// The catalog of a loaded library (its dates in `tz`, its furniture learned), shared by
    /// `Arc`, and the library's problems (its articles' warnings among them).
    pub fn of_library(library: Library, tz: TimeZone) -> (Arc<Catalog>, Vec<Problem>) {
        let mut catalog = Catalog::new(tz);
        let problems = library.problems;
        catalog.insert(library.articles);
        catalog.relearn();
        (Arc::new(catalog), problems)
    }

    /// The number of articles.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// True when there are no articles.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The zone of the list's dates.
    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// Adds articles: copies fold into the article already listed (one row per report, as
    /// `reader list` shows it); one that sorts first takes the row's place and the other's
    /// paths.
    pub(super) fn insert(&mut self, articles: Vec<Article>) -> Arrived {
        let first = self.articles.len();
        let mut fresh = Vec::with_capacity(articles.len());
        let mut changed = Vec::new();
        for a in articles {
            let at = first + fresh.len();
            match self.copies.place(&a, at) {
                Some(i) => {
                    if i < first {
                        if crate::library::fold_copy(&mut self.articles[i], a) {
                            changed.push(i);
                        }
                    } else {
                        crate::library::fold_copy(&mut fresh[i - first], a);
                    }
                }
                None => fresh.push(a),
            }
        }
        let tz = self.tz.clone();
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
            let a = &self.articles[i];
            self.days[i] = day_of(a);
            self.groups.update(i, a);
            self.keys[i] = search::article_key(a);
            self.dates[i] = date_of(a);
            self.idents[i] = Identity::of(a);
        }
        self.keys.extend(fresh.iter().map(search::article_key));
        self.dates.extend(fresh.iter().map(date_of));
        self.days.extend(fresh.iter().map(day_of));
        self.idents.extend(fresh.iter().map(Identity::of));
        for a in &fresh {
            self.groups.push(a);
            self.furniture.add(a.outlet.as_deref(), &a.furniture_keys);
        }
        self.stale |= !fresh.is_empty();
        self.articles.extend(fresh);
        let mut new_ids: Vec<u32> = (first as u32..self.articles.len() as u32).collect();
        new_ids.sort_by(|&a, &b| self.newest_first(a, b));
        // Two sorted runs: the stable sort merges them in linear time (a row whose article
        // changed to an earlier copy moves too).
        self.order.extend(new_ids);
        let (articles, days) = (&self.articles, &self.days);
        self.order.sort_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            days[b]
                .cmp(&days[a])
                .then_with(|| newest_first(&articles[a], &articles[b]))
        });
        Arrived { first, changed }
    }

    /// Learns the furniture from the articles counted so far. True when it changed.
    pub(super) fn relearn(&mut self) -> bool {
        let was = std::mem::take(&mut self.stale);
        if was {
            self.learned = self.furniture.learned();
        }
        was
    }

    /// True when articles arrived since the furniture was last learned.
    pub(super) fn stale(&self) -> bool {
        self.stale
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
}

/// `problems` with each article's warnings added, as [`Library::extend`] lists them.
pub(super) fn with_warnings(articles: &[Article], mut problems: Vec<Problem>) -> Vec<Problem> {
    for article in articles {
        for warning in &article.warnings {
            problems.push(Problem::warning(article.path(), warning.clone()));
        }
    }
    problems
}
