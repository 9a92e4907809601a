//! Story grouping for the reader (issue #11), off the UI thread.
//!
//! [`Grouping`] holds what the grouping keeps per report (its signals) and the incremental
//! [`Grouper`]: new articles join existing stories without regrouping the others, and once
//! loading is done ([`Grouping::settle`]) the stories are regrouped from the kept signals in
//! time order, cheaply (no body is read again), so the reader's stories are those of
//! `reader stories`. [`Worker`] runs it on a thread of its own: the app sends each loaded batch,
//! the thread reads the bodies, groups, and sends back progress and snapshots. The coverage
//! pane's timeline (dates the reports mention, which needs their bodies) is computed on a
//! thread too ([`timeline`]).

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use super::loader::BodyLoader;
use crate::article::Article;
use crate::compare::PartialDate;
use crate::stories::{Grouper, Item, Params, Story, stories_of};

/// The stories at some point of the grouping.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// Stories, newest first; members index the app's articles.
    pub stories: Vec<Story>,
    /// The grouping's item of each article grouped so far, by article id.
    pub items: Vec<Arc<Item>>,
    /// True once every article loaded so far is grouped and the grouping settled.
    pub settled: bool,
}

/// A date the reports of a story mention, with who mentions it.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// The date (month precision or finer).
    pub date: PartialDate,
    /// How the first report to mention it writes it.
    pub text: String,
    /// The outlets that mention it, by name.
    pub outlets: Vec<String>,
}

/// What the grouping thread (or a timeline thread) sends back.
#[derive(Debug)]
pub enum StoriesReady {
    /// So many articles have their signals (of those sent).
    Progress(usize),
    /// A new state of the stories.
    Grouped(Arc<Snapshot>),
    /// The timeline of the coverage pane asked for with this ticket.
    Timeline {
        /// The request.
        ticket: u64,
        /// The dates, in order.
        mentions: Vec<Mention>,
    },
}

/// The grouping state: kept signals and the incremental grouper.
#[derive(Debug, Default)]
pub struct Grouping {
    grouper: Grouper,
    items: Vec<Arc<Item>>,
    story_of: Vec<usize>,
    settled: bool,
}

impl Grouping {
    /// Articles grouped so far.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True before any article is grouped.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Reads the bodies of `articles` (the next ids after those added before) and adds them
    /// oldest first; `progress` hears after each read.
    pub fn add(&mut self, articles: &[Article], load_body: BodyLoader, progress: impl FnMut()) {
        let mut progress = progress;
        let first = self.items.len();
        for a in articles {
            let html = load_body(a).map(|b| b.html).unwrap_or_default();
            self.items.push(Arc::new(Item::new(a, &html)));
            progress();
        }
        self.story_of.resize(self.items.len(), 0);
        let mut order: Vec<usize> = (first..self.items.len()).collect();
        for &i in &order {
            self.grouper.observe(&self.items[i]);
        }
        order.sort_by_key(|&i| (self.items[i].time.is_none(), self.items[i].time, i));
        for i in order {
            self.story_of[i] = self.grouper.add(&self.items[i], true);
        }
        self.settled = false;
    }

    /// Regroups every article from the kept signals, oldest first with shared rarity: the
    /// grouping of `reader stories` on the same library.
    pub fn settle(&mut self) {
        if self.settled {
            return;
        }
        let mut g = Grouper::new(Params::default());
        for it in &self.items {
            g.observe(it);
        }
        let mut order: Vec<usize> = (0..self.items.len()).collect();
        order.sort_by_key(|&i| (self.items[i].time.is_none(), self.items[i].time, i));
        for i in order {
            self.story_of[i] = g.add(&self.items[i], true);
        }
        self.grouper = g;
        self.settled = true;
    }

    /// The stories now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            stories: stories_of(&self.items, &self.story_of),
            items: self.items.clone(),
            settled: self.settled,
        }
    }
}

enum Job {
    Add(Vec<Article>),
    Settle,
}

/// The grouping thread's handle.
pub struct Worker {
    jobs: Sender<Job>,
}

/// How often at most the thread sends progress, and a snapshot while batches keep coming.
const PROGRESS_EVERY: Duration = Duration::from_millis(150);
const SNAPSHOT_EVERY: Duration = Duration::from_secs(2);

impl Worker {
    /// Starts the thread; it hands every result to `notify`.
    pub fn spawn(
        load_body: BodyLoader,
        notify: Arc<dyn Fn(StoriesReady) + Send + Sync>,
    ) -> std::io::Result<Worker> {
        let (jobs, rx) = channel();
        std::thread::Builder::new()
            .name("stories".into())
            .spawn(move || {
                let work = std::panic::AssertUnwindSafe(|| run(rx, load_body, &*notify));
                if std::panic::catch_unwind(work).is_err() {
                    // As for the body worker: the panic hook restored the terminal.
                    std::process::exit(101);
                }
            })?;
        Ok(Worker { jobs })
    }

    /// Sends newly loaded articles (copies of their headers) to be grouped.
    pub fn add(&self, articles: Vec<Article>) {
        let _ = self.jobs.send(Job::Add(articles));
    }

    /// Loading is done: regroup once the queue is empty.
    pub fn settle(&self) {
        let _ = self.jobs.send(Job::Settle);
    }
}

fn run(rx: Receiver<Job>, load_body: BodyLoader, notify: &(dyn Fn(StoriesReady) + Send + Sync)) {
    crate::stories::signals::warm_up();
    let mut g = Grouping::default();
    let mut last_snapshot = Instant::now();
    let mut settle = false;
    while let Ok(first) = rx.recv() {
        let mut next = Some(first);
        while let Some(job) = next {
            match job {
                Job::Add(articles) => {
                    let mut done = g.len();
                    let mut told = Instant::now();
                    // In pieces, so progress and snapshots keep coming on a large library.
                    for part in articles.chunks(256) {
                        g.add(part, load_body, || {
                            done += 1;
                            if told.elapsed() >= PROGRESS_EVERY {
                                told = Instant::now();
                                notify(StoriesReady::Progress(done));
                            }
                        });
                        if last_snapshot.elapsed() >= SNAPSHOT_EVERY {
                            last_snapshot = Instant::now();
                            notify(StoriesReady::Grouped(Arc::new(g.snapshot())));
                        }
                    }
                    notify(StoriesReady::Progress(g.len()));
                }
                Job::Settle => settle = true,
            }
            next = rx.try_recv().ok();
        }
        if settle {
            g.settle();
        }
        last_snapshot = Instant::now();
        notify(StoriesReady::Grouped(Arc::new(g.snapshot())));
    }
}

/// The dates `articles` mention (month precision or finer), merged: one entry per date with the
/// outlets that mention it, in date order. Reads every body with `load_body`.
pub fn timeline(articles: &[Article], load_body: BodyLoader) -> Vec<Mention> {
    use crate::compare::terms::{self, DateContext, TermKind};
    let mut out: Vec<Mention> = Vec::new();
    for a in articles {
        let Ok(body) = load_body(a) else { continue };
        let text: String = crate::compare::paragraphs::paragraphs(&body.html)
            .into_iter()
            .map(|p| p.text)
            .collect::<Vec<_>>()
            .join("\n");
        let mut ctx = DateContext {
            // Dates without a year take it from the publication (else the archiving).
            published: a
                .sort_time()
                .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date()),
            last: None,
        };
        let outlet = a.outlet.clone().unwrap_or_else(|| "?".to_string());
        for f in terms::extract(&text, &mut ctx) {
            let Some(date) = f.date.filter(|d| d.year.is_some() && d.month.is_some()) else {
                continue;
            };
            if f.kind != TermKind::Date {
                continue;
            }
            match out.iter_mut().find(|m| m.date == date) {
                Some(m) => {
                    if !m.outlets.contains(&outlet) {
                        m.outlets.push(outlet.clone());
                    }
                }
                None => out.push(Mention {
                    date,
                    text: crate::sanitize::clean_line(&text[f.range.clone()]),
                    outlets: vec![outlet.clone()],
                }),
            }
        }
    }
    out.sort_by_key(|m| (m.date.year, m.date.month, m.date.day.unwrap_or(0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Origin;

    /// A DW-format report in memory, archived at `secs` (its time).
    fn report(n: usize, secs: i64, host: &str, title: &str, lead: &str) -> Article {
        let text = format!(
            "<!--{}000-->\n[{title}](https://{host}/a-{n})\n------\n\n<p>{lead}</p><p>{lead}</p>\n",
            1_593_000_000 + secs
        );
        let bytes: Arc<[u8]> = text.as_bytes().into();
        crate::article::parse(
            Origin::Memory {
                name: format!("mem/{n}.txt").into(),
                bytes: bytes.clone(),
            },
            &bytes,
        )
        .expect("a DW-format report parses")
    }

    fn reports() -> Vec<Article> {
        let mine = "缅甸克钦邦帕敢玉石矿区发生山体滑坡，至少126名矿工丧生。";
        let canada = "加拿大总理特鲁多宣布暂停与香港的引渡条约，因为国安法。";
        vec![
            report(1, 86_400, "www.dw.com", "缅甸玉石矿区山体滑坡", mine),
            report(2, 0, "www.rfi.fr", "加拿大暂停与香港的引渡条约", canada),
            report(
                3,
                90_000,
                "www.voachinese.com",
                "缅甸帕敢矿难 126人死亡",
                mine,
            ),
            report(4, 3_600, "www.dw.com", "特鲁多：暂停与香港引渡条约", canada),
        ]
    }

    #[test]
    fn batches_join_the_stories_so_far_and_settling_matches_one_pass() {
        let articles = reports();
        let mut g = Grouping::default();
        g.add(&articles[..2], Article::load_body, || {});
        assert_eq!(g.len(), 2);
        let mut heard = 0;
        g.add(&articles[2..], Article::load_body, || heard += 1);
        assert_eq!(heard, 2);
        let before = g.snapshot();
        assert!(!before.settled);
        g.settle();
        let after = g.snapshot();
        assert!(after.settled);
        for snap in [&before, &after] {
            let mut members: Vec<usize> = snap
                .stories
                .iter()
                .flat_map(|s| s.members.clone())
                .collect();
            members.sort();
            assert_eq!(members, [0, 1, 2, 3]);
            let of = |i: usize| snap.stories.iter().position(|s| s.members.contains(&i));
            assert_eq!(of(0), of(2), "the mine disaster is one story");
            assert_eq!(of(1), of(3), "Canada's treaty is one story");
            assert_ne!(of(0), of(1));
        }
        // Settled, the stories are those of one pass over everything (`reader stories`).
        let items: Vec<Item> = after.items.iter().map(|i| (**i).clone()).collect();
        let one_pass = crate::stories::stories_of(
            &items,
            &crate::stories::group_items(&items, Params::default()),
        );
        assert_eq!(after.stories, one_pass);
        // The newest story first: the mine disaster.
        assert_eq!(after.stories[0].members, [2, 0]);
    }

    #[test]
    fn the_timeline_merges_the_dates_each_outlet_mentions() {
        let a = report(
            1,
            0,
            "www.dw.com",
            "矿难",
            "7月2日，缅甸发生矿难。2020年6月30日已有预警。",
        );
        let b = report(2, 0, "www.rfi.fr", "矿难", "缅甸7月2日发生矿难。");
        let t = timeline(&[a.clone(), b.clone()], Article::load_body);
        let dates: Vec<String> = t.iter().map(|m| m.date.iso()).collect();
        assert_eq!(dates, ["2020-06-30", "2020-07-02"]);
        let who = |m: &Mention| m.outlets.clone();
        assert_eq!(who(&t[1]).len(), 2, "{t:?}");
        assert_eq!(who(&t[0]), [a.outlet.clone().unwrap()]);
        assert_eq!(t[1].text, "7月2日");
    }

    #[test]
    fn snapshot_of_nothing_is_empty() {
        let g = Grouping::default();
        let s = g.snapshot();
        assert!(s.stories.is_empty() && s.items.is_empty() && !s.settled);
        assert!(g.is_empty());
    }
}
