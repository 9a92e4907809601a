//! The ledger and the alignment on real pairs of independently written reports
//! (tests/fixtures/compare_pairs/, labelled by hand): precision and recall of the "both" terms,
//! no dateline, credit or footer ever a term, and the alignment threshold against the labelled
//! paragraph pairs.
//!
//! `cargo test --test compare_pairs -- --nocapture` prints the figures.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use reader::compare::align::{MATCH_THRESHOLD, align_sparse_at};
use reader::compare::{self, Comparison, Presence};
use serde::Deserialize;

#[derive(Deserialize)]
struct Labels {
    shared: Vec<String>,
    also: Vec<String>,
    never: Vec<String>,
    rows: Vec<[usize; 2]>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compare_pairs")
}

fn pairs() -> BTreeMap<String, Labels> {
    let text = std::fs::read_to_string(root().join("pairs.toml")).unwrap();
    toml::from_str(&text).unwrap()
}

type Loaded = (reader::article::Article, reader::article::Body);

/// Each pair's candidate paragraph pairs `(a, b, score)`, 0-based.
type Scored = Vec<(String, Vec<(usize, usize, f32)>)>;

fn load(id: &str, side: &str) -> Loaded {
    let a = reader::article::load_file(&root().join(id).join(format!("{side}.md"))).unwrap();
    let body = a.load_body().unwrap();
    (a, body)
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !"“”「」『』《》\"‘’".contains(*c))
        .collect::<String>()
        .trim()
        .to_lowercase()
}

/// The spellings of each "both" term (key, A's, B's), normalised.
fn both(c: &Comparison) -> Vec<HashSet<String>> {
    c.terms
        .iter()
        .filter(|t| t.presence == Presence::Both)
        .map(|t| {
            let key = t.key.strip_prefix("date:").unwrap_or(&t.key);
            [Some(key), t.a.as_deref(), t.b.as_deref()]
                .into_iter()
                .flatten()
                .map(norm)
                .collect()
        })
        .collect()
}

struct Score {
    listed: usize,
    good: usize,
    expected: usize,
    found: usize,
}

#[test]
fn both_terms_on_labelled_pairs() {
    let mut total = Score {
        listed: 0,
        good: 0,
        expected: 0,
        found: 0,
    };
    let mut never_listed = Vec::new();
    for (id, l) in pairs() {
        let (a, ab) = load(&id, "a");
        let (b, bb) = load(&id, "b");
        let c = compare::compare(&a, &ab, &b, &bb);
        let terms = both(&c);
        let shared: Vec<String> = l.shared.iter().map(|s| norm(s)).collect();
        let ok: HashSet<String> = l.shared.iter().chain(&l.also).map(|s| norm(s)).collect();
        let good = terms
            .iter()
            .filter(|t| t.iter().any(|s| ok.contains(s)))
            .count();
        let found: Vec<&String> = shared
            .iter()
            .filter(|s| terms.iter().any(|t| t.contains(*s)))
            .collect();
        let missed: Vec<&String> = shared.iter().filter(|s| !found.contains(s)).collect();
        let extra: Vec<String> = terms
            .iter()
            .filter(|t| !t.iter().any(|s| ok.contains(s)))
            .map(|t| t.iter().min().cloned().unwrap_or_default())
            .collect();
        for n in &l.never {
            if terms.iter().any(|t| t.contains(&norm(n))) {
                never_listed.push(format!("{id}: {n}"));
            }
        }
        println!(
            "{id}: {good}/{} listed good, {}/{} expected found; missed {missed:?}; unlabelled {extra:?}",
            terms.len(),
            found.len(),
            shared.len()
        );
        total.listed += terms.len();
        total.good += good;
        total.expected += shared.len();
        total.found += found.len();
    }
    let precision = total.good as f64 / total.listed as f64;
    let recall = total.found as f64 / total.expected as f64;
    println!(
        "both terms over {} pairs: precision {precision:.3} ({}/{}), recall {recall:.3} ({}/{})",
        pairs().len(),
        total.good,
        total.listed,
        total.found,
        total.expected
    );
    assert!(
        never_listed.is_empty(),
        "furniture listed as terms: {never_listed:?}"
    );
    assert!(pairs().len() >= 5);
    // Measured on this branch (see the closing note of issue #11); a regression fails here.
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.95, "recall {recall:.3}");
}

/// Pair-level precision and recall of "these two paragraphs say the same" at a threshold.
fn pair_scores(
    scored: &Scored,
    labels: &BTreeMap<String, Labels>,
    threshold: f32,
) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut total) = (0usize, 0usize, 0usize);
    for (id, cands) in scored {
        let truth: HashSet<(usize, usize)> = labels[id]
            .rows
            .iter()
            .map(|&[a, b]| (a - 1, b - 1))
            .collect();
        total += truth.len();
        for &(a, b, s) in cands {
            if s >= threshold {
                if truth.contains(&(a, b)) {
                    tp += 1;
                } else {
                    fp += 1;
                }
            }
        }
    }
    let p = if tp + fp == 0 {
        1.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let r = tp as f64 / total as f64;
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}

/// Precision and recall of the rows the alignment shows at a threshold (what the reader sees).
fn shown_rows(
    scored: &Scored,
    sizes: &BTreeMap<String, (usize, usize)>,
    labels: &BTreeMap<String, Labels>,
    threshold: f32,
) -> (f64, f64, f64) {
    let (mut tp, mut shown, mut total) = (0usize, 0usize, 0usize);
    for (id, cands) in scored {
        let (n, m) = sizes[id];
        let mut sparse = vec![Vec::new(); n];
        for &(a, b, s) in cands {
            sparse[a].push((b as u32, s));
        }
        let (rows, _) = align_sparse_at(&sparse, n, m, threshold);
        let truth: HashSet<(usize, usize)> = labels[id]
            .rows
            .iter()
            .map(|&[a, b]| (a - 1, b - 1))
            .collect();
        // One row per paragraph: a paragraph labelled with several partners can match one.
        let a_side: HashSet<usize> = truth.iter().map(|p| p.0).collect();
        let b_side: HashSet<usize> = truth.iter().map(|p| p.1).collect();
        total += a_side.len().min(b_side.len());
        for r in &rows {
            if let (Some(a), Some(b)) = (r.a, r.b) {
                shown += 1;
                tp += usize::from(truth.contains(&(a, b)));
            }
        }
    }
    let p = if shown == 0 {
        1.0
    } else {
        tp as f64 / shown as f64
    };
    let r = tp as f64 / total as f64;
    // F0.5: a wrong row claims a correspondence that is not there, a missing one only hides
    // one, so precision weighs double.
    let f = if p + r == 0.0 {
        0.0
    } else {
        1.25 * p * r / (0.25 * p + r)
    };
    (p, r, f)
}

#[test]
fn alignment_threshold_is_the_best_on_labelled_pairs() {
    let labels = pairs();
    let scored: Scored = labels
        .keys()
        .map(|id| {
            let (a, ab) = load(id, "a");
            let (b, bb) = load(id, "b");
            (id.clone(), compare::candidate_pairs(&a, &ab, &b, &bb))
        })
        .collect();
    let sizes: BTreeMap<String, (usize, usize)> = labels
        .keys()
        .map(|id| {
            let (a, ab) = load(id, "a");
            let (b, bb) = load(id, "b");
            let c = compare::compare(&a, &ab, &b, &bb);
            (id.clone(), (c.a.paragraphs.len(), c.b.paragraphs.len()))
        })
        .collect();
    let mut best = (0.0f64, 0.0f32);
    for step in 1..=40 {
        let t = step as f32 * 0.01;
        let (p, r, f) = shown_rows(&scored, &sizes, &labels, t);
        let (pp, pr, pf) = pair_scores(&scored, &labels, t);
        println!(
            "threshold {t:.2}: shown rows precision {p:.3} recall {r:.3} F0.5 {f:.3}; \
             all candidate pairs precision {pp:.3} recall {pr:.3} F1 {pf:.3}"
        );
        if f > best.0 + 1e-9 {
            best = (f, t);
        }
    }
    let (p, r, f) = shown_rows(&scored, &sizes, &labels, MATCH_THRESHOLD);
    println!(
        "MATCH_THRESHOLD {MATCH_THRESHOLD:.2}: shown rows precision {p:.3} recall {r:.3} F0.5 {f:.3}; best F0.5 {:.3} at {:.2}",
        best.0, best.1
    );
    // The shipped threshold is within 0.02 of F1 of the best on the labelled pairs.
    assert!(
        f >= best.0 - 0.02,
        "F1 {f:.3} at {MATCH_THRESHOLD}, {:.3} at {}",
        best.0,
        best.1
    );

    // Every shown row is one the threshold allows; shown rows and cross-references are mostly
    // labelled pairs.
    let (mut rows, mut rows_good, mut refs, mut refs_good) = (0, 0, 0, 0);
    for (id, l) in &labels {
        let (a, ab) = load(id, "a");
        let (b, bb) = load(id, "b");
        let c = compare::compare(&a, &ab, &b, &bb);
        let truth: HashSet<(usize, usize)> = l.rows.iter().map(|&[a, b]| (a - 1, b - 1)).collect();
        for r in &c.rows {
            if let (Some(a), Some(b), Some(s)) = (r.a, r.b, r.score) {
                assert!(s >= MATCH_THRESHOLD, "{id}: {r:?}");
                rows += 1;
                rows_good += usize::from(truth.contains(&(a, b)));
            }
        }
        for x in &c.cross_refs {
            refs += 1;
            refs_good += usize::from(truth.contains(&(x.a, x.b)));
        }
    }
    println!(
        "aligned rows: {rows_good}/{rows} labelled; cross-references: {refs_good}/{refs} labelled"
    );
    assert!(
        rows_good * 10 >= rows * 8,
        "{rows_good}/{rows} aligned rows labelled"
    );
    assert!(
        refs_good * 10 >= refs * 6,
        "{refs_good}/{refs} cross-references labelled"
    );
}

#[test]
fn a_caption_is_never_paired_with_a_lead_paragraph() {
    // B¶2 of the India pair is a picture caption (藏人对印度禁止……), A¶2 the lead.
    let (a, ab) = load("india-bans-apps", "a");
    let (b, bb) = load("india-bans-apps", "b");
    let c = compare::compare(&a, &ab, &b, &bb);
    assert!(
        c.rows.iter().all(|r| r.b != Some(1) || r.a.is_none()),
        "{:?}",
        c.rows
    );
    assert!(
        compare::candidate_pairs(&a, &ab, &b, &bb)
            .iter()
            .all(|&(_, j, _)| j != 1)
    );
}
