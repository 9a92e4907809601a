//! Scoring a grouping against hand labels: BCubed precision, recall and F1.
//!
//! BCubed looks at each labelled item: precision is the share of the labelled items in its
//! predicted story that share its gold story, recall the share of its gold story that the
//! predicted story holds; both are averaged over labelled items. Unlabelled items are ignored
//! (they may sit in any predicted story without counting for or against).

use std::collections::HashMap;

use serde::Deserialize;

/// BCubed figures over some labelled items.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scores {
    /// Mean BCubed precision.
    pub precision: f64,
    /// Mean BCubed recall.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
    /// How many labelled items were scored.
    pub items: usize,
}

/// BCubed over `items`: pairs of (gold story, predicted story) per labelled item.
pub fn bcubed<G: Eq + std::hash::Hash, P: Eq + std::hash::Hash>(items: &[(G, P)]) -> Scores {
    let mut both: HashMap<(&G, &P), usize> = HashMap::new();
    let mut gold: HashMap<&G, usize> = HashMap::new();
    let mut pred: HashMap<&P, usize> = HashMap::new();
    for (g, p) in items {
        *both.entry((g, p)).or_default() += 1;
        *gold.entry(g).or_default() += 1;
        *pred.entry(p).or_default() += 1;
    }
    let (mut pr, mut rc) = (0.0, 0.0);
    for (g, p) in items {
        let common = both[&(g, p)] as f64;
        pr += common / pred[p] as f64;
        rc += common / gold[g] as f64;
    }
    let n = items.len().max(1) as f64;
    let (precision, recall) = (pr / n, rc / n);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Scores {
        precision,
        recall,
        f1,
        items: items.len(),
    }
}

/// One labelled story of a labels file.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Labelled {
    /// `dev` (tuned on) or `held-out` (never tuned on).
    pub set: String,
    /// Paths relative to the archive root, exactly as on disk.
    pub files: Vec<String>,
}

/// Parses a labels file: story id → [`Labelled`], in file order.
pub fn parse_labels(text: &str) -> Result<Vec<(String, Labelled)>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    table
        .into_iter()
        .map(|(id, v)| {
            v.try_into::<Labelled>()
                .map(|l| (id.clone(), l))
                .map_err(|e| format!("story {id}: {e}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_grouping_scores_one() {
        let s = bcubed(&[("a", 1), ("a", 1), ("b", 2)]);
        assert_eq!((s.precision, s.recall, s.f1), (1.0, 1.0, 1.0));
    }

    #[test]
    fn merged_and_split_stories_lose_precision_and_recall() {
        // Everything in one predicted story: recall 1, precision (2/3·2 + 1/3)/3 = 5/9.
        let s = bcubed(&[("a", 0), ("a", 0), ("b", 0)]);
        assert!((s.precision - 5.0 / 9.0).abs() < 1e-9);
        assert_eq!(s.recall, 1.0);
        // Every item alone: precision 1, recall (1/2 + 1/2 + 1)/3 = 2/3.
        let s = bcubed(&[("a", 0), ("a", 1), ("b", 2)]);
        assert_eq!(s.precision, 1.0);
        assert!((s.recall - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.f1 - 0.8).abs() < 1e-9);
    }

    #[test]
    fn labels_parse_with_sets() {
        let l = parse_labels("[x]\nset = \"dev\"\nfiles = [\"a/1.md\", \"b/2.md\"]\n").unwrap();
        assert_eq!(l[0].0, "x");
        assert_eq!(l[0].1.files, ["a/1.md", "b/2.md"]);
        assert!(parse_labels("[x]\nfiles = 3\n").is_err());
    }
}

/// The figures of one labelled set, from [`evaluate`].
#[derive(Clone, Debug, PartialEq)]
pub struct SetScores {
    /// `dev` or `held-out`.
    pub set: String,
    /// Its BCubed figures.
    pub scores: Scores,
    /// Labelled files that were not found under the root (should be none).
    pub missing: Vec<String>,
}

/// Groups every report under `root` and scores the grouping on each labelled set.
///
/// Labelled paths are relative to `root`; unlabelled reports under `root` are grouped too (they
/// are the distractors a real archive has) but not scored.
pub fn evaluate(
    root: &std::path::Path,
    labels: &[(String, Labelled)],
    params: super::Params,
) -> Vec<SetScores> {
    let library = crate::library::Library::load(&[root.to_path_buf()]);
    let stories = super::group(&library.articles, params);
    let mut story_of: HashMap<String, usize> = HashMap::new();
    for (s, story) in stories.iter().enumerate() {
        for &i in &story.members {
            let p = library.articles[i].path();
            let rel = p.strip_prefix(root).unwrap_or(p);
            story_of.insert(rel.to_string_lossy().into_owned(), s);
        }
    }
    let mut sets: Vec<String> = labels.iter().map(|(_, l)| l.set.clone()).collect();
    sets.sort();
    sets.dedup();
    sets.into_iter()
        .map(|set| {
            let mut pairs = Vec::new();
            let mut missing = Vec::new();
            for (id, l) in labels.iter().filter(|(_, l)| l.set == set) {
                for f in &l.files {
                    match story_of.get(f) {
                        Some(&s) => pairs.push((id.as_str(), s)),
                        None => missing.push(f.clone()),
                    }
                }
            }
            SetScores {
                set,
                scores: bcubed(&pairs),
                missing,
            }
        })
        .collect()
}

/// How often `c` with nothing marked picks another outlet's report of the same labelled story,
/// on one labelled set (from [`evaluate_picks`]).
#[derive(Clone, Debug, PartialEq)]
pub struct PickFigures {
    /// `dev` or `held-out`.
    pub set: String,
    /// Labelled reports whose story has a report of another outlet in the library.
    pub asked: usize,
    /// Of those, how many `c` answered from the report's own grouped story (the rest fell back
    /// to the related pick).
    pub from_story: usize,
    /// How many of `c`'s picks are of the same labelled story and another outlet.
    pub hits: usize,
    /// The same count for the related pick alone (`c` before stories).
    pub related_hits: usize,
}

/// Groups every report under `root` and, for each labelled report, makes `c`'s pick as the
/// reader does ([`super::pick::best_in_story`], else [`crate::compare::most_related`]), and the
/// related pick alone, and counts how often each is another outlet's report of its story.
pub fn evaluate_picks(
    root: &std::path::Path,
    labels: &[(String, Labelled)],
    params: super::Params,
) -> Vec<PickFigures> {
    let library = crate::library::Library::load(&[root.to_path_buf()]);
    let a = &library.articles;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let items = super::items_of(a, threads);
    let stories = super::stories_of(&items, &super::group_items(&items, params));
    let mut story_of = vec![0; a.len()];
    for (s, story) in stories.iter().enumerate() {
        for &i in &story.members {
            story_of[i] = s;
        }
    }
    let rel = |i: usize| -> Vec<String> {
        a[i].paths()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    let mut gold: HashMap<String, &str> = HashMap::new();
    for (id, l) in labels {
        for f in &l.files {
            gold.insert(f.clone(), id.as_str());
        }
    }
    let gold_of = |i: usize| rel(i).iter().find_map(|p| gold.get(p).copied());
    let mut sets: Vec<String> = labels.iter().map(|(_, l)| l.set.clone()).collect();
    sets.sort();
    sets.dedup();
    sets.into_iter()
        .map(|set| {
            let ids: std::collections::HashSet<&str> = labels
                .iter()
                .filter(|(_, l)| l.set == set)
                .map(|(id, _)| id.as_str())
                .collect();
            let mut f = PickFigures {
                set: set.clone(),
                asked: 0,
                from_story: 0,
                hits: 0,
                related_hits: 0,
            };
            for i in 0..a.len() {
                let Some(g) = gold_of(i).filter(|g| ids.contains(g)) else {
                    continue;
                };
                let good = |j: usize| gold_of(j) == Some(g) && a[j].outlet != a[i].outlet;
                if !(0..a.len()).any(|j| j != i && good(j)) {
                    continue;
                }
                f.asked += 1;
                let related = crate::compare::most_related(i, a).map(|r| r.index);
                let pick = match super::pick::best_in_story(i, &stories[story_of[i]], a, &items) {
                    Some(p) => {
                        f.from_story += 1;
                        Some(p.index)
                    }
                    None => related,
                };
                f.hits += usize::from(pick.is_some_and(good));
                f.related_hits += usize::from(related.is_some_and(good));
            }
            f
        })
        .collect()
}
