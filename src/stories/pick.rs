//! `c` with nothing marked: the best report of the same story from another outlet.
//!
//! Among the story's other members, copies of the report (same canonical URL, same fingerprint,
//! or one of its files) and reports of its own outlet are left out; the rest are ranked by the
//! weighted overlap of their signals (names, places, organisations, numbers, quotes, title
//! words) with the report's, plus a little for nearness in time. `None` when no member is left:
//! the caller then falls back to the related pick ([`crate::compare::most_related`]).

use std::borrow::Borrow;
use std::collections::HashMap;

use super::{Item, Kind, Story};
use crate::article::Article;
use crate::library::canonical_url_of;

/// The report picked, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct StoryPick {
    /// Index of the picked article.
    pub index: usize,
    /// Its score (higher is better; roughly 0–1.3).
    pub score: f32,
    /// Names, places, numbers and quotes both have, most telling first, at most 5.
    pub shared: Vec<String>,
    /// Seconds from the report to the pick (negative: the pick is earlier), when both are dated.
    pub apart: Option<i64>,
    /// Reports in the story.
    pub reports: usize,
    /// Outlets in the story.
    pub outlets: usize,
}

impl StoryPick {
    /// A one-line explanation for the status bar, e.g.
    /// `same story (5 reports, 3 outlets): 路透, 3 hours later; shares 特鲁多, 孟晚舟`.
    pub fn reason(&self, articles: &[Article]) -> String {
        let a = &articles[self.index];
        let who = a.outlet.clone().unwrap_or_else(|| a.title.clone());
        let mut s = format!(
            "same story ({} reports, {} outlets): {who}",
            self.reports, self.outlets
        );
        if let Some(d) = self.apart {
            s.push_str(&format!(", {}", apart_text(d)));
        }
        if !self.shared.is_empty() {
            s.push_str("; shares ");
            s.push_str(&self.shared.join(", "));
        }
        crate::sanitize::clean_line(&s)
    }
}

/// "3 hours later", "2 days earlier", "the same hour".
fn apart_text(secs: i64) -> String {
    let n = secs.unsigned_abs();
    let (count, unit) = if n < 3_600 {
        return "within the hour".to_string();
    } else if n < 2 * 86_400 {
        (n / 3_600, "hour")
    } else {
        (n / 86_400, "day")
    };
    let plural = if count == 1 { "" } else { "s" };
    let side = if secs > 0 { "later" } else { "earlier" };
    format!("{count} {unit}{plural} {side}")
}

/// True when `a` and `b` are one report in two files.
pub fn is_copy(a: &Article, b: &Article) -> bool {
    if a.meta.fingerprint != 0 && a.meta.fingerprint == b.meta.fingerprint {
        return true;
    }
    if let (Some(x), Some(y)) = (canonical_url_of(a), canonical_url_of(b))
        && x == y
    {
        return true;
    }
    a.paths().any(|p| b.paths().any(|q| p == q))
        || (a.outlet == b.outlet && a.outlet.is_some() && a.title == b.title)
}

/// The kinds that say who and what (listed as shared terms); title words and bigrams only score.
pub fn telling(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Person
            | Kind::Place
            | Kind::Organisation
            | Kind::Proper
            | Kind::Latin
            | Kind::Number
            | Kind::Quote
    )
}

/// The best member of `story` for comparing with `articles[selected]`: another outlet's report,
/// never a copy. `items` are the grouping's items, indexed like `articles`.
pub fn best_in_story<I: Borrow<Item>>(
    selected: usize,
    story: &Story,
    articles: &[Article],
    items: &[I],
) -> Option<StoryPick> {
    let target = articles.get(selected)?;
    let weights = |i: usize| -> HashMap<&str, (f32, Kind)> {
        let mut m = HashMap::new();
        if let Some(item) = items.get(i) {
            for s in &item.borrow().signals {
                let w = s.kind.weight() * if s.in_title { 1.5 } else { 1.0 };
                let e = m.entry(s.term.as_str()).or_insert((0.0, s.kind));
                e.0 = f32::max(e.0, w);
            }
        }
        m
    };
    let mine = weights(selected);
    let norm = |m: &HashMap<&str, (f32, Kind)>| m.values().map(|(w, _)| w * w).sum::<f32>().sqrt();
    let my_norm = norm(&mine);
    let mut outlets: Vec<&str> = story
        .members
        .iter()
        .map(|&i| articles[i].outlet.as_deref().unwrap_or(""))
        .collect();
    outlets.sort_unstable();
    outlets.dedup();
    let time = |a: &Article| a.sort_time().map(|t| t.as_second());
    story
        .members
        .iter()
        .copied()
        .filter(|&i| i != selected && i < articles.len())
        .filter(|&i| {
            let other = &articles[i];
            other.outlet.is_some() && other.outlet != target.outlet && !is_copy(target, other)
        })
        .map(|i| {
            let theirs = weights(i);
            let dot: f32 = mine
                .iter()
                .filter_map(|(t, (w, _))| theirs.get(t).map(|(v, _)| w * v))
                .sum();
            let cos = if my_norm > 0.0 {
                dot / (my_norm * norm(&theirs).max(f32::MIN_POSITIVE))
            } else {
                0.0
            };
            let apart = match (time(target), time(&articles[i])) {
                (Some(a), Some(b)) => Some(b - a),
                _ => None,
            };
            let days = apart.map_or(7.0, |d| d.unsigned_abs() as f32 / 86_400.0);
            let score = cos + 0.3 / (1.0 + days);
            let mut shared: Vec<(&str, f32)> = mine
                .iter()
                .filter(|(_, (_, k))| telling(*k))
                .filter_map(|(t, (w, _))| theirs.get(t).map(|(v, _)| (*t, w * v)))
                .collect();
            shared.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(y.0)));
            StoryPick {
                index: i,
                score,
                shared: shared.iter().take(5).map(|(t, _)| t.to_string()).collect(),
                apart,
                reports: story.members.len(),
                outlets: outlets.len(),
            }
        })
        .max_by(|x, y| x.score.total_cmp(&y.score).then(y.index.cmp(&x.index)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stories::signals;

    fn article(title: &str, outlet: &str, published: &str, url: &str) -> Article {
        let html = format!("<p>{title}</p>");
        let bytes: std::sync::Arc<[u8]> = html.as_bytes().into();
        Article {
            title: title.to_string(),
            outlet: Some(outlet.to_string()),
            author: None,
            published: Some(crate::article::Stamp {
                utc: published.parse().unwrap(),
                original: published.to_string(),
            }),
            archived: None,
            url: Some(url.to_string()),
            categories: vec![],
            image: None,
            extra: vec![],
            format: crate::article::Format::Html,
            origin: crate::article::Origin::Memory {
                name: format!("mem/{outlet}-{}.html", title.len()).into(),
                bytes: bytes.clone(),
            },
            body_range: 0..bytes.len(),
            chars: 0,
            words: 0,
            cjk: 0,
            warnings: vec![],
            furniture_keys: Default::default(),
            meta: crate::article::Meta {
                fingerprint: title.len() as u64 * 31 + outlet.len() as u64,
                ..Default::default()
            },
        }
    }

    fn item(a: &Article, lead: &str) -> Item {
        Item::new(a, &format!("<p>{lead}</p>"))
    }

    #[test]
    fn picks_another_outlet_never_a_copy_and_says_why() {
        let arts = vec![
            article(
                "加拿大暂停与香港的引渡条约",
                "路透",
                "2020-07-03T10:00:00Z",
                "https://a.example/1",
            ),
            // A copy (same URL) from another "outlet" field: never picked.
            article(
                "加拿大暂停与香港的引渡条约 更新",
                "法广",
                "2020-07-03T10:30:00Z",
                "https://a.example/1",
            ),
            // The same outlet: never picked while another outlet has a report.
            article(
                "特鲁多：加拿大暂停与香港引渡条约",
                "路透",
                "2020-07-03T11:00:00Z",
                "https://a.example/2",
            ),
            article(
                "加拿大宣布暫停與香港的引渡協議",
                "德國之聲",
                "2020-07-03T13:00:00Z",
                "https://b.example/9",
            ),
        ];
        let lead = "加拿大总理特鲁多宣布暂停与香港的引渡条约，因为国安法。";
        let items: Vec<Item> = arts.iter().map(|a| item(a, lead)).collect();
        let story = Story {
            members: vec![3, 2, 1, 0],
            headline: 0,
            first: None,
            last: None,
        };
        let pick = best_in_story(0, &story, &arts, &items).unwrap();
        assert_eq!(pick.index, 3);
        assert_eq!(pick.apart, Some(3 * 3_600));
        let reason = pick.reason(&arts);
        assert!(
            reason
                .starts_with("same story (4 reports, 3 outlets): 德國之聲, 3 hours later; shares "),
            "{reason}"
        );
        assert!(
            pick.shared.iter().any(|t| t == "特鲁多"),
            "{:?}",
            pick.shared
        );
        // A story of one outlet has no pick.
        let alone = Story {
            members: vec![2, 0],
            ..story
        };
        assert_eq!(best_in_story(0, &alone, &arts, &items), None);
        signals::warm_up();
    }

    #[test]
    fn apart_reads_naturally() {
        assert_eq!(apart_text(600), "within the hour");
        assert_eq!(apart_text(-3 * 3_600), "3 hours earlier");
        assert_eq!(apart_text(3_600), "1 hour later");
        assert_eq!(apart_text(5 * 86_400), "5 days later");
    }
}
