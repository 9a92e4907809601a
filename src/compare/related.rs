//! Picking the article most related to a given one (for `c` with nothing marked).
//!
//! Two stages keep it cheap on large libraries: headers only (title tokens in the pivot script,
//! and nearness of publication dates) shortlist candidates; then the bodies of the shortlist are
//! compared by TF-IDF cosine over the whole text plus the names and titles of works they share.

use std::collections::HashSet;

use super::script::Pivot;
use super::similarity::{self, tokens};
use super::terms::{self, DateContext, TermKind};
use crate::article::{Article, Body};

/// How many articles the header stage passes on to the body stage.
pub const SHORTLIST: usize = 12;

/// The article picked, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    /// Index of the picked article in the slice given.
    pub index: usize,
    /// The score (higher is more related; cosine-like, roughly 0–1.5).
    pub score: f32,
    /// Names and titles of works both mention (pivot script), most telling first, at most 8.
    pub shared: Vec<String>,
    /// Calendar days between the publications, when both are dated.
    pub days_apart: Option<i64>,
}

impl Related {
    /// A one-line explanation for the status bar, e.g.
    /// `most related: 德國之聲, 55 days apart; shares 克里, 佩洛西, 《卫报》`.
    pub fn reason(&self, articles: &[Article]) -> String {
        let a = &articles[self.index];
        let who = a
            .outlet
            .clone()
            .unwrap_or_else(|| crate::sanitize::clean_line(&a.title));
        let mut s = format!("most related: {who}");
        if let Some(d) = self.days_apart {
            s.push_str(&format!(", {d} day{} apart", if d == 1 { "" } else { "s" }));
        }
        if !self.shared.is_empty() {
            s.push_str("; shares ");
            s.push_str(&self.shared.join(", "));
        }
        crate::sanitize::clean_line(&s)
    }
}

/// Ranks the other articles by title overlap and date nearness; returns up to `limit` indexes,
/// best first. Reads headers only.
pub fn shortlist(selected: usize, articles: &[Article], limit: usize) -> Vec<usize> {
    let Some(target) = articles.get(selected) else {
        return Vec::new();
    };
    let title_tokens = |a: &Article| {
        let mut set = HashSet::new();
        tokens(&Pivot::new(&a.title).text, |k| {
            set.insert(k);
        });
        set
    };
    let t = title_tokens(target);
    let mut scored: Vec<(f32, usize)> = articles
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != selected)
        .map(|(i, a)| {
            let o = title_tokens(a);
            let shared = t.intersection(&o).count() as f32;
            let overlap = shared / ((t.len().max(1) * o.len().max(1)) as f32).sqrt();
            (overlap + date_nearness(target, a), i)
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    scored.into_iter().take(limit).map(|(_, i)| i).collect()
}

fn days_between(a: &Article, b: &Article) -> Option<i64> {
    let utc = jiff::tz::TimeZone::UTC;
    let da = a.published.as_ref()?.utc.to_zoned(utc.clone()).date();
    let db = b.published.as_ref()?.utc.to_zoned(utc).date();
    da.until(db).ok().map(|s| i64::from(s.get_days()).abs())
}

/// 0.3 for the same day, falling off over about a month; 0 when undated.
fn date_nearness(a: &Article, b: &Article) -> f32 {
    days_between(a, b).map_or(0.0, |d| 0.3 / (1.0 + d as f32 / 30.0))
}

/// Picks the most related of `candidates` (index into `articles`, with its body) for the target.
pub fn pick(target: (&Article, &Body), candidates: &[(usize, &Article, &Body)]) -> Option<Related> {
    let text = |body: &Body| {
        super::paragraphs::paragraphs(&body.html)
            .into_iter()
            .map(|p| p.text)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let tp = Pivot::new(&text(target.1)).text;
    let cps: Vec<String> = candidates
        .iter()
        .map(|(_, _, b)| Pivot::new(&text(b)).text)
        .collect();
    let (tv, cv) = similarity::vectors(
        &[tp.as_str()],
        &cps.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let key_terms = |t: &str| -> HashSet<String> {
        let mut ctx = DateContext::default();
        terms::extract(t, &mut ctx)
            .into_iter()
            .filter(|f| matches!(f.kind, TermKind::Name | TermKind::Work))
            .map(|f| f.key)
            .collect()
    };
    let tk = key_terms(&tp);
    candidates
        .iter()
        .zip(cv.iter().zip(&cps))
        .map(|(&(index, article, _), (v, ctext))| {
            let ck = key_terms(ctext);
            let mut shared: Vec<String> = tk.intersection(&ck).cloned().collect();
            shared.sort_by(|x, y| y.chars().count().cmp(&x.chars().count()).then(x.cmp(y)));
            shared.truncate(8);
            let score = similarity::cosine(&tv[0], v)
                + 0.03 * shared.len() as f32
                + date_nearness(target.0, article);
            Related {
                index,
                score,
                shared,
                days_apart: days_between(target.0, article),
            }
        })
        .max_by(|x, y| x.score.total_cmp(&y.score).then(y.index.cmp(&x.index)))
}

/// The article most related to `articles[selected]`: [`shortlist`], then [`pick`] over the
/// bodies (read with [`Article::load_body`]; articles whose body fails to load are skipped).
/// `None` when there is no other article.
pub fn most_related(selected: usize, articles: &[Article]) -> Option<Related> {
    let target = articles.get(selected)?;
    let target_body = target.load_body().ok()?;
    let list = shortlist(selected, articles, SHORTLIST);
    let bodies: Vec<(usize, Body)> = list
        .into_iter()
        .filter_map(|i| articles[i].load_body().ok().map(|b| (i, b)))
        .collect();
    let candidates: Vec<(usize, &Article, &Body)> =
        bodies.iter().map(|(i, b)| (*i, &articles[*i], b)).collect();
    pick((target, &target_body), &candidates)
}
