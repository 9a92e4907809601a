//! Stories: reports of one event across outlets and scripts, grouped without any UI.
//!
//! A story is one specific event. Each report becomes a weighted term vector from its
//! [`signals`] (names, places, organisations, Latin names, numbers, quotes, title words; weight =
//! kind × rarity). Reports are taken oldest first and each joins the story it matches best (cosine
//! against the story's running centroid, discounted by the time gap), or starts a new one when
//! none reaches [`Params::threshold`]. Candidates come from an inverted index of term → stories
//! that used it, only the reports' strongest terms are looked up and only the most recent stories
//! per term are tried, so each report costs a bounded amount of work: time and memory are linear.
//! A new report joins with [`Grouper::add`] without regrouping the others.

pub mod eval;
pub mod pick;
pub mod signals;

use std::borrow::Borrow;
use std::collections::HashMap;

use crate::article::Article;

pub use signals::{Kind, Signal};

/// Tunable constants of the grouping (tuned on the dev half of the labelled set only).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// The least score for a report to join a story.
    pub threshold: f32,
    /// Reports further than this from a story's time span never join it (seconds).
    pub window: i64,
    /// The score is multiplied by `1 / (1 + gap_days / decay_days)`.
    pub decay_days: f32,
    /// Extra weight of a term the title has.
    pub title_boost: f32,
    /// How many of a report's strongest terms look up candidate stories.
    pub probe_terms: usize,
    /// How many recent stories per term are tried.
    pub probe_stories: usize,
    /// How many terms a story's centroid keeps.
    pub centroid_terms: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            threshold: 0.12,
            window: 4 * 86_400,
            decay_days: 2.0,
            title_boost: 1.6,
            probe_terms: 12,
            probe_stories: 24,
            centroid_terms: 80,
        }
    }
}

/// One report as the grouping sees it.
#[derive(Clone, Debug, Default)]
pub struct Item {
    /// Seconds since the epoch (published, else archived); `None` when undated.
    pub time: Option<i64>,
    /// The outlet, if known.
    pub outlet: Option<String>,
    /// Its signals.
    pub signals: Vec<Signal>,
}

impl Item {
    /// The item of an article whose body HTML is `html`.
    pub fn new(article: &Article, html: &str) -> Item {
        Item {
            time: article.sort_time().map(|t| t.as_second()),
            outlet: article.outlet.clone(),
            signals: signals::extract(&article.title, html),
        }
    }
}

#[derive(Debug)]
struct StoryState {
    centroid: HashMap<u32, f32>,
    norm: f32,
    first: Option<i64>,
    last: Option<i64>,
    members: Vec<usize>,
}

/// Groups items into stories, one at a time.
#[derive(Debug, Default)]
pub struct Grouper {
    params: Params,
    ids: HashMap<String, u32>,
    df: Vec<u32>,
    docs: u32,
    stories: Vec<StoryState>,
    index: HashMap<u32, Vec<u32>>,
    of_item: Vec<usize>,
}

impl Grouper {
    /// An empty grouper with `params`.
    pub fn new(params: Params) -> Grouper {
        Grouper {
            params,
            ..Grouper::default()
        }
    }

    fn id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(term.to_string(), id);
        self.df.push(0);
        id
    }

    /// Counts an item's terms for rarity without grouping it. Observing a batch before adding it
    /// gives every item of the batch the same rarity figures; [`Grouper::add`] observes items not
    /// observed before (pass `observed = false`).
    pub fn observe(&mut self, item: &Item) {
        self.docs += 1;
        for s in &item.signals {
            let id = self.id(&s.term);
            self.df[id as usize] += 1;
        }
    }

    fn vector(&mut self, item: &Item) -> Vec<(u32, f32)> {
        let n = self.docs.max(1) as f32;
        let mut v: Vec<(u32, f32)> = item
            .signals
            .iter()
            .map(|s| {
                let id = self.id(&s.term);
                let df = self.df[id as usize].max(1) as f32;
                let idf = ((n + 1.0) / df).ln().max(0.05);
                let boost = if s.in_title {
                    self.params.title_boost
                } else {
                    1.0
                };
                (id, s.kind.weight() * idf * boost)
            })
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v
    }

    /// Adds the next item (in time order for best results) and returns its story's index.
    /// `observed` says whether [`Grouper::observe`] already counted it.
    pub fn add(&mut self, item: &Item, observed: bool) -> usize {
        if !observed {
            self.observe(item);
        }
        let item_index = self.of_item.len();
        let v = self.vector(item);
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        let mut best: Option<(usize, f32)> = None;
        if norm > 0.0 {
            let mut tried: Vec<u32> = Vec::new();
            for &(term, _) in v.iter().take(self.params.probe_terms) {
                let Some(post) = self.index.get(&term) else {
                    continue;
                };
                for &s in post.iter().rev().take(self.params.probe_stories) {
                    if tried.contains(&s) {
                        continue;
                    }
                    tried.push(s);
                    if let Some(score) = self.score(&v, norm, item.time, &self.stories[s as usize])
                        && best.is_none_or(|(_, b)| score > b)
                    {
                        best = Some((s as usize, score));
                    }
                }
            }
        }
        let story = match best {
            Some((s, score)) if score >= self.params.threshold => s,
            _ => {
                self.stories.push(StoryState {
                    centroid: HashMap::new(),
                    norm: 0.0,
                    first: None,
                    last: None,
                    members: Vec::new(),
                });
                self.stories.len() - 1
            }
        };
        self.join(story, item_index, &v, item.time);
        self.of_item.push(story);
        story
    }

    fn score(&self, v: &[(u32, f32)], norm: f32, time: Option<i64>, s: &StoryState) -> Option<f32> {
        let gap = match (time, s.first, s.last) {
            (Some(t), Some(a), Some(b)) => {
                if t < a {
                    a - t
                } else {
                    (t - b).max(0)
                }
            }
            _ => 0,
        };
        if gap > self.params.window || s.norm == 0.0 {
            return None;
        }
        let dot: f32 = v
            .iter()
            .filter_map(|(t, w)| s.centroid.get(t).map(|c| c * w))
            .sum();
        let cos = dot / (norm * s.norm);
        let days = gap as f32 / 86_400.0;
        Some(cos / (1.0 + days / self.params.decay_days))
    }

    fn join(&mut self, story: usize, item: usize, v: &[(u32, f32)], time: Option<i64>) {
        let probe = self.params.probe_terms;
        let keep = self.params.centroid_terms;
        let s = &mut self.stories[story];
        s.members.push(item);
        for &(t, w) in v {
            *s.centroid.entry(t).or_insert(0.0) += w;
        }
        if s.centroid.len() > keep {
            let mut all: Vec<(u32, f32)> = s.centroid.drain().collect();
            all.sort_by(|a, b| b.1.total_cmp(&a.1));
            all.truncate(keep);
            s.centroid = all.into_iter().collect();
        }
        s.norm = s.centroid.values().map(|w| w * w).sum::<f32>().sqrt();
        if let Some(t) = time {
            s.first = Some(s.first.map_or(t, |f| f.min(t)));
            s.last = Some(s.last.map_or(t, |l| l.max(t)));
        }
        for &(t, _) in v.iter().take(probe) {
            let post = self.index.entry(t).or_default();
            if post.last() != Some(&(story as u32)) {
                post.push(story as u32);
            }
        }
    }

    /// The story of each item added so far, in the order they were added.
    pub fn assignments(&self) -> &[usize] {
        &self.of_item
    }

    /// The items of each story, stories in the order they started.
    pub fn stories(&self) -> impl Iterator<Item = &[usize]> {
        self.stories.iter().map(|s| s.members.as_slice())
    }

    /// The weight of `term` in story `story`'s centroid (0 when absent).
    pub fn centroid_weight(&self, story: usize, term: &str) -> f32 {
        self.ids
            .get(term)
            .and_then(|id| self.stories[story].centroid.get(id))
            .copied()
            .unwrap_or(0.0)
    }
}

/// Groups items: observes them all (shared rarity), then adds them oldest first (undated last,
/// ties by input order). Returns the story index of each item, in input order.
pub fn group_items(items: &[Item], params: Params) -> Vec<usize> {
    let mut g = Grouper::new(params);
    for it in items {
        g.observe(it);
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (items[i].time.is_none(), items[i].time, i));
    let mut out = vec![0; items.len()];
    for &i in &order {
        out[i] = g.add(&items[i], true);
    }
    out
}

/// Builds the items of `articles`, reading their bodies on up to `threads` threads. A body that
/// cannot be read groups by its title alone.
pub fn items_of(articles: &[Article], threads: usize) -> Vec<Item> {
    let threads = threads.clamp(1, 16);
    let chunk = articles.len().div_ceil(threads).max(1);
    let mut out: Vec<Item> = Vec::with_capacity(articles.len());
    std::thread::scope(|scope| {
        let handles: Vec<_> = articles
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|a| {
                            let html = a.load_body().map(|b| b.html).unwrap_or_default();
                            Item::new(a, &html)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            out.extend(h.join().expect("signal extraction does not panic"));
        }
    });
    out
}

/// A story of a library: indices into the article slice, newest report first.
#[derive(Clone, Debug, PartialEq)]
pub struct Story {
    /// The articles, newest first (undated last).
    pub members: Vec<usize>,
    /// The member whose title best represents the story.
    pub headline: usize,
    /// Earliest and latest report time (seconds), if any member is dated.
    pub first: Option<i64>,
    /// Latest report time.
    pub last: Option<i64>,
}

/// Groups a library's articles into stories, newest story first; every article is in exactly
/// one story.
pub fn group(articles: &[Article], params: Params) -> Vec<Story> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let items = items_of(articles, threads);
    stories_of(&items, &group_items(&items, params))
}

/// Turns per-item story indices into [`Story`]s, newest first.
pub fn stories_of<I: Borrow<Item>>(items: &[I], assignment: &[usize]) -> Vec<Story> {
    let time = |i: usize| items[i].borrow().time;
    let n = assignment.iter().max().map_or(0, |m| m + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &s) in assignment.iter().enumerate() {
        members[s].push(i);
    }
    let mut stories: Vec<Story> = members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|mut m| {
            m.sort_by_key(|&i| (time(i).is_none(), std::cmp::Reverse(time(i)), i));
            let first = m.iter().filter_map(|&i| time(i)).min();
            let last = m.iter().filter_map(|&i| time(i)).max();
            let headline = representative(items, &m);
            Story {
                members: m,
                headline,
                first,
                last,
            }
        })
        .collect();
    stories.sort_by_key(|s| (s.last.is_none(), std::cmp::Reverse(s.last), s.members[0]));
    stories
}

/// The member whose title terms are most common in the story (ties: earliest).
fn representative<I: Borrow<Item>>(items: &[I], members: &[usize]) -> usize {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for &i in members {
        for s in &items[i].borrow().signals {
            *count.entry(s.term.as_str()).or_default() += 1;
        }
    }
    *members
        .iter()
        .rev()
        .max_by_key(|&&i| {
            items[i]
                .borrow()
                .signals
                .iter()
                .filter(|s| s.in_title)
                .map(|s| count[s.term.as_str()])
                .sum::<usize>()
        })
        .expect("a story has members")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(time: i64, title: &str, lead: &str) -> Item {
        Item {
            time: Some(time),
            outlet: None,
            signals: signals::extract(title, &format!("<p>{lead}</p>")),
        }
    }

    #[test]
    fn same_event_joins_and_another_stays_apart() {
        let day = 86_400;
        let items = vec![
            item(
                0,
                "加拿大暂停与香港的引渡条约",
                "加拿大总理特鲁多宣布暂停与香港的引渡条约，因为国安法。",
            ),
            item(
                day / 2,
                "加拿大宣布暂停與香港的引渡協議",
                "特魯多說加拿大暫停與香港的引渡協議。",
            ),
            item(
                day,
                "缅甸玉石矿场山崩 至少126矿工丧生",
                "缅甸克钦邦帕敢玉石矿区发生山体滑坡。",
            ),
            item(
                day * 2,
                "缅甸北部矿区发生山体滑坡",
                "缅甸克钦邦帕敢矿区山体滑坡造成160多人死亡。",
            ),
        ];
        let a = group_items(&items, Params::default());
        assert_eq!(a[0], a[1]);
        assert_eq!(a[2], a[3]);
        assert_ne!(a[0], a[2]);
    }

    #[test]
    fn far_apart_in_time_never_joins() {
        let items = vec![
            item(
                0,
                "缅甸玉石矿场山崩",
                "缅甸克钦邦帕敢玉石矿区发生山体滑坡。",
            ),
            item(
                30 * 86_400,
                "缅甸玉石矿场山崩",
                "缅甸克钦邦帕敢玉石矿区发生山体滑坡。",
            ),
        ];
        let a = group_items(&items, Params::default());
        assert_ne!(a[0], a[1]);
    }

    #[test]
    fn incremental_add_joins_an_existing_story() {
        let mut g = Grouper::new(Params::default());
        let first = g.add(
            &item(0, "缅甸玉石矿场山崩", "缅甸克钦邦帕敢玉石矿区山体滑坡。"),
            false,
        );
        let other = g.add(
            &item(
                10,
                "法国政府集体辞职",
                "法国总理菲利普辞职，马克龙任命卡斯泰。",
            ),
            false,
        );
        let again = g.add(
            &item(20, "缅甸帕敢玉石矿区山体滑坡", "克钦邦帕敢矿难。"),
            false,
        );
        assert_eq!(first, again);
        assert_ne!(first, other);
        assert_eq!(g.stories().count(), 2);
    }
}
