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
use crate::library::{CopyIndex, Library, LoadEvent, Problem, newest_first};
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
    /// Each article's sort time (published, else archived), for the order.
    times: Vec<Option<jiff::Timestamp>>,
    /// Each article's outlet group (the outlets overlay).
    pub(super) groups: Groups,
    /// All article ids, newest first (the gone ones left out).
    pub(super) order: Vec<u32>,
    /// Per article id: taken off the list (its file gone or changed since the cache that
    /// listed it, see [`Catalog::remove`]). Ids stay valid; such articles are in no list.
    gone: Vec<bool>,
    /// How many articles are not gone.
    live: usize,
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
            times: Vec::new(),
            groups: Groups::default(),
            order: Vec::new(),
            gone: Vec::new(),
            live: 0,
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

    /// The articles, in load order (ids index this).
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The number of article ids (the gone ones included: see [`Catalog::live_len`]).
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// The number of articles listed: all but the gone ones.
    pub fn live_len(&self) -> usize {
        self.live
    }

    /// True unless article `id` was taken off the list ([`Catalog::remove`]).
    pub fn is_live(&self, id: usize) -> bool {
        !self.gone[id]
    }

    /// Takes off the list every article with one of `paths` among its paths (its own or a
    /// copy's): their ids stay, in no list, counted nowhere. Returns the ids taken off.
    /// Linear in the articles. A relaunch sends whole copy groups
    /// ([`LoadEvent::Removed`]), whose files still there arrive again.
    pub(super) fn remove(&mut self, paths: &[std::path::PathBuf]) -> Vec<u32> {
        let paths: rustc_hash::FxHashSet<&std::path::Path> =
            paths.iter().map(|p| p.as_path()).collect();
        let mut taken = Vec::new();
        for (id, a) in self.articles.iter().enumerate() {
            if !self.gone[id] && a.paths().any(|p| paths.contains(p)) {
                taken.push(id as u32);
            }
        }
        if taken.is_empty() {
            return taken;
        }
        for &id in &taken {
            let a = &self.articles[id as usize];
            self.gone[id as usize] = true;
            self.furniture
                .remove(a.outlet.as_deref(), &a.furniture_keys);
        }
        self.live -= taken.len();
        let gone = &self.gone;
        self.copies.forget(|at| gone[at]);
        self.order.retain(|&id| !gone[id as usize]);
        self.stale = true;
        taken
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
    /// paths. What the list derives from each article is computed here, on this thread: a
    /// large batch is better prepared beforehand ([`Listed::prepare`], [`App::on_listed`]).
    ///
    /// [`App::on_listed`]: super::App::on_listed
    pub(super) fn insert(&mut self, articles: Vec<Article>) -> Arrived {
        let derived = articles.iter().map(|a| Derived::of(a, &self.tz)).collect();
        self.insert_derived(articles, derived)
    }

    /// [`Catalog::insert`] of a prepared batch: nothing per article is computed again unless
    /// it was prepared for another zone.
    pub(super) fn insert_listed(&mut self, listed: Listed) -> Arrived {
        if listed.tz != self.tz {
            return self.insert(listed.articles);
        }
        self.insert_derived(listed.articles, listed.derived)
    }

    fn insert_derived(&mut self, articles: Vec<Article>, derived: Vec<Derived>) -> Arrived {
        debug_assert_eq!(articles.len(), derived.len());
        let first = self.articles.len();
        let mut fresh = Vec::with_capacity(articles.len());
        let mut fresh_derived: Vec<Derived> = Vec::with_capacity(articles.len());
        let mut changed = Vec::new();
        let mut changed_derived = Vec::new();
        for (a, mut d) in articles.into_iter().zip(derived) {
            let at = first + fresh.len();
            match self.copies.place_canonical(&a, d.url.take(), at) {
                Some(i) => {
                    if i < first {
                        if crate::library::fold_copy(&mut self.articles[i], a) {
                            // Swapped: the row shows the copy, so it takes the copy's data.
                            changed.push(i);
                            changed_derived.push(d);
                        }
                    } else if crate::library::fold_copy(&mut fresh[i - first], a) {
                        fresh_derived[i - first] = d;
                    }
                }
                None => {
                    fresh.push(a);
                    fresh_derived.push(d);
                }
            }
        }
        // A row may change twice in one batch: the last copy to take it wins.
        for (&i, d) in changed.iter().zip(changed_derived) {
            let a = &self.articles[i];
            self.groups.update_named(i, d.group);
            self.keys[i] = d.key;
            self.dates[i] = d.date;
            self.days[i] = d.day;
            self.times[i] = a.sort_time();
            self.idents[i] = d.ident;
        }
        changed.sort_unstable();
        changed.dedup();
        self.keys.reserve(fresh.len());
        self.dates.reserve(fresh.len());
        self.days.reserve(fresh.len());
        self.idents.reserve(fresh.len());
        self.times.reserve(fresh.len());
        for (a, d) in fresh.iter().zip(fresh_derived) {
            self.keys.push(d.key);
            self.dates.push(d.date);
            self.days.push(d.day);
            self.idents.push(d.ident);
            self.times.push(a.sort_time());
            self.groups.push_named(d.group);
            self.furniture.add(a.outlet.as_deref(), &a.furniture_keys);
        }
        self.stale |= !fresh.is_empty();
        self.live += fresh.len();
        self.gone.resize(first + fresh.len(), false);
        self.articles.extend(fresh);
        let mut new_ids: Vec<u32> = (first as u32..self.articles.len() as u32).collect();
        new_ids.sort_by(|&a, &b| self.newest_first(a, b));
        // Two sorted runs: the stable sort merges them in linear time (a row whose article
        // changed to an earlier copy moves too).
        let mut order = std::mem::take(&mut self.order);
        if order.is_empty() {
            order = new_ids;
        } else {
            order.extend(new_ids);
            order.sort_by(|&a, &b| self.newest_first(a, b));
        }
        self.order = order;
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
        // The days and times are read from their own vectors: a sort then touches an article
        // only on a tie (as `reader list` does, by path).
        self.days[b]
            .cmp(&self.days[a])
            .then_with(|| match (self.times[a], self.times[b]) {
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| newest_first(&self.articles[a], &self.articles[b]))
    }
}

/// What the list derives from one article: computed where the article is loaded (the
/// loader's side of the channel, on all cores), so the UI thread only files it.
#[derive(Clone, Debug)]
pub struct Derived {
    key: String,
    date: String,
    day: Option<Date>,
    ident: Option<Identity>,
    group: String,
    /// The canonical URL copies are folded by (taken when filed).
    url: Option<String>,
}

impl Derived {
    /// The data of `a`, its dates in `tz`.
    pub fn of(a: &Article, tz: &TimeZone) -> Derived {
        let time = a.list_time();
        // The local day once (a zone lookup each): the column and the headers both show it.
        let day = time
            .as_ref()
            .map(|t| t.day.unwrap_or_else(|| t.utc.to_zoned(tz.clone()).date()));
        let url = crate::library::canonical_url_of(a);
        Derived {
            key: search::article_key(a),
            date: date_column(day, time.is_some_and(|t| t.archived)),
            day,
            ident: Identity::of_canonical(a, url.as_deref()),
            group: super::outlets::group_name(a),
            url,
        }
    }
}

/// The list's date column, 11 columns: the day (as [`crate::article::ListTime::date_label_in`]
/// writes it) and its archive-time mark, else blank. Written by hand: `strftime` reads its
/// format on every call, 100,000 times on a relaunch.
fn date_column(day: Option<Date>, archived: bool) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(12);
    if let Some(d) = day {
        if (0..=9999).contains(&d.year()) {
            let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        } else {
            out.push_str(&d.strftime("%Y-%m-%d").to_string());
        }
        if archived {
            out.push(crate::article::ARCHIVE_MARK);
        }
    }
    let width = out.chars().count();
    out.extend(std::iter::repeat_n(' ', 11usize.saturating_sub(width)));
    out
}

/// A batch of loaded articles with their [`Derived`] data and the batch's problems (its
/// articles' warnings among them), ready for [`App::on_listed`].
///
/// [`App::on_listed`]: super::App::on_listed
#[derive(Debug)]
pub struct Listed {
    pub(super) articles: Vec<Article>,
    derived: Vec<Derived>,
    pub(super) problems: Vec<Problem>,
    tz: TimeZone,
}

impl Listed {
    /// Derives the list's data of each article, dates in `tz`, on every core (a batch of
    /// 100,000 on a relaunch), and adds the articles' warnings to `problems`.
    pub fn prepare(articles: Vec<Article>, problems: Vec<Problem>, tz: TimeZone) -> Listed {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let derived = if articles.len() < 2_048 || threads < 2 {
            articles.iter().map(|a| Derived::of(a, &tz)).collect()
        } else {
            let chunk = articles.len().div_ceil(threads);
            std::thread::scope(|s| {
                let parts: Vec<_> = articles
                    .chunks(chunk)
                    .map(|part| {
                        let tz = &tz;
                        s.spawn(move || part.iter().map(|a| Derived::of(a, tz)).collect::<Vec<_>>())
                    })
                    .collect();
                let mut all = Vec::with_capacity(articles.len());
                for p in parts {
                    all.extend(p.join().expect("a list thread panicked"));
                }
                all
            })
        };
        let problems = with_warnings(&articles, problems);
        Listed {
            articles,
            derived,
            problems,
            tz,
        }
    }

    /// The articles of the batch.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }
}

/// What arrives from a background load, prepared for the list: a batch (see [`Listed`]) or
/// one of the load's other events.
#[derive(Debug)]
pub enum Arrival {
    /// Articles and problems, prepared.
    Batch(Listed),
    /// [`LoadEvent::Discovered`] or [`LoadEvent::Done`].
    Event(LoadEvent),
}

/// Prepares each batch of `loads` for the list (dates in `tz`), on this thread and the
/// others it starts, and hands every arrival to `send` in order, until the load ends or
/// `send` returns false. The reader runs this on a thread of its own between the loader and
/// the event loop.
pub fn prepare_loads(
    loads: std::sync::mpsc::Receiver<LoadEvent>,
    tz: TimeZone,
    mut send: impl FnMut(Arrival) -> bool,
) {
    for event in loads {
        let arrival = match event {
            LoadEvent::Batch(articles, problems) => {
                Arrival::Batch(Listed::prepare(articles, problems, tz.clone()))
            }
            other => Arrival::Event(other),
        };
        if !send(arrival) {
            return;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Origin;

    fn report(name: &str, epoch_ms: i64, title: &str, url: &str, body: &str) -> Article {
        let text = if epoch_ms == 0 {
            format!("<html><head><title>{title}</title></head><body><p>{body}</p></body></html>")
        } else {
            format!("<!--{epoch_ms}-->\n[{title}]({url})\n------\n\n<p>{body}</p>\n")
        };
        crate::article::parse(
            Origin::Memory {
                name: name.into(),
                bytes: Arc::from(text.as_bytes()),
            },
            text.as_bytes(),
        )
        .unwrap()
    }

    /// Batches with copies (one sorting first, taking its row; one sorting later, folded),
    /// Traditional titles, two days and an undated report.
    fn batches() -> Vec<Vec<Article>> {
        let url = "https://www.dw.com/zh/a-1";
        vec![
            vec![
                report("b/2.txt", 1_594_296_000_000, "美國氣候特使", url, "一"),
                report(
                    "a/1.txt",
                    1_594_209_600_000,
                    "香港立法會",
                    "https://www.dw.com/zh/a-2",
                    "二",
                ),
                report("c/3.txt", 1_594_296_000_000, "美國氣候特使", url, "一"),
            ],
            vec![
                // The same report at an earlier path: it takes the row of b/2.txt.
                report("a/0.txt", 1_594_296_000_000, "美國氣候特使", url, "一"),
                report("d/4.html", 0, "無日期", "", "無日期"),
                report(
                    "e/5.txt",
                    1_594_300_000_000,
                    "Climate envoy",
                    "https://www.dw.com/en/a-3",
                    "x",
                ),
            ],
        ]
    }

    fn snapshot(c: &Catalog) -> Vec<String> {
        c.order
            .iter()
            .map(|&id| {
                let i = id as usize;
                let a = &c.articles[i];
                format!(
                    "{} {:?} {:?} {:?} {:?} {} {}",
                    a.path().display(),
                    a.meta.copies,
                    c.keys[i],
                    c.dates[i],
                    c.days[i],
                    c.idents[i].as_ref().map_or("-", |x| x.as_str()),
                    c.groups.name(c.groups.of(id)),
                )
            })
            .collect()
    }

    /// A batch prepared off the UI thread files into the same catalog as one derived in place:
    /// keys, dates, days, identities, groups, the order and the folded copies.
    #[test]
    fn prepared_batches_file_as_batches_derived_in_place() {
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        let (mut plain, mut prepared) = (Catalog::new(tz.clone()), Catalog::new(tz.clone()));
        for batch in batches() {
            let a = plain.insert(batch.clone());
            let b = prepared.insert_listed(Listed::prepare(batch, vec![], tz.clone()));
            assert_eq!((a.first, a.changed), (b.first, b.changed));
        }
        let got = snapshot(&prepared);
        assert_eq!(got, snapshot(&plain));
        assert_eq!(got.len(), 4, "{got:#?}");
        // The copy at the earliest path holds the row, its copies sorted.
        assert!(
            got.iter()
                .any(|r| r.starts_with("a/0.txt [\"b/2.txt\", \"c/3.txt\"]")),
            "{got:#?}"
        );
        // Keys folded to one script and case; dates in the catalog's zone; undated last.
        assert!(got[0].contains("\"climate envoy"), "{got:#?}");
        assert!(got[1].contains("美国气候特使"), "{got:#?}");
        assert!(got[1].contains("\"2020-07-09~\""), "{got:#?}");
        assert!(got[3].starts_with("d/4.html"), "{got:#?}");
    }

    /// The date column is what the article's own label gives, padded to 11 columns.
    #[test]
    fn the_date_column_is_the_label_padded() {
        use crate::article::ListTime;
        let tz = TimeZone::get("Asia/Shanghai").unwrap();
        for (y, m, d) in [
            (2020, 7, 9),
            (5, 1, 2),
            (999, 12, 31),
            (-44, 3, 15),
            (9999, 1, 1),
        ] {
            let day = jiff::civil::date(y, m, d);
            for archived in [false, true] {
                let t = ListTime {
                    utc: day.to_zoned(tz.clone()).unwrap().timestamp(),
                    archived,
                    day: Some(day),
                };
                let want = format!("{:<11}", t.date_label_in(&tz));
                assert_eq!(date_column(Some(day), archived), want, "{day}");
            }
        }
        let day = Some(jiff::civil::date(2020, 7, 9));
        assert_eq!(date_column(day, true), "2020-07-09~");
        assert_eq!(date_column(day, false), "2020-07-09 ");
        assert_eq!(date_column(None, false), " ".repeat(11));
    }

    /// A batch prepared in another zone is derived again in the catalog's.
    #[test]
    fn a_batch_prepared_in_another_zone_is_derived_again() {
        let shanghai = TimeZone::get("Asia/Shanghai").unwrap();
        let mut c = Catalog::new(shanghai);
        // 2020-07-09 16:00 UTC: the 10th in Shanghai, the 9th in New York.
        let a = report("a.txt", 1_594_310_400_000, "t", "https://x.example/1", "b");
        let ny = TimeZone::get("America/New_York").unwrap();
        c.insert_listed(Listed::prepare(vec![a], vec![], ny));
        assert_eq!(c.dates[0], "2020-07-10~");
        assert_eq!(c.days[0], Some(jiff::civil::date(2020, 7, 10)));
    }
}
