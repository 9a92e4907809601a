//! Paragraph similarity: TF-IDF weighted cosine over script-neutral tokens.
//!
//! Tokens are taken from the pivot (Simplified) text: character bigrams inside runs of CJK
//! ideographs, lower-cased Latin words (minus a small English stop-word list and a crude plural
//! fold), and numbers. Document frequencies are counted over the paragraphs of both articles, so
//! words every paragraph uses weigh little and rare shared words weigh much.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use super::script::is_han;

/// English words too common to say anything about a paragraph's topic.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me",
    "more", "most", "my", "no", "not", "of", "on", "one", "or", "our", "out", "over", "said",
    "says", "she", "so", "some", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "those", "to", "up", "us", "was", "we", "were", "what", "when", "which",
    "while", "who", "will", "with", "would", "you", "your",
];

/// True for an English stop word (lower case).
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Calls `f` with each token of `text` (pivot script) as a 64-bit key.
pub fn tokens(text: &str, mut f: impl FnMut(u64)) {
    let mut prev_han: Option<char> = None;
    let mut word = String::new();
    let flush_word = |word: &mut String, f: &mut dyn FnMut(u64)| {
        if word.is_empty() {
            return;
        }
        let w = word.as_str();
        let keep = if w.bytes().all(|b| b.is_ascii_digit()) {
            true
        } else {
            w.chars().count() > 1 && !is_stop_word(w)
        };
        if keep {
            let folded = w
                .strip_suffix('s')
                .filter(|s| s.len() > 3 && !s.ends_with('s'))
                .unwrap_or(w);
            f(hash_str(folded) & !(1 << 63));
        }
        word.clear();
    };
    for c in text.chars() {
        if is_han(c) {
            flush_word(&mut word, &mut f);
            if let Some(p) = prev_han {
                f((1 << 63) | ((p as u64) << 21) | c as u64);
            }
            prev_han = Some(c);
        } else if c.is_alphanumeric() {
            prev_han = None;
            word.extend(c.to_lowercase());
        } else {
            prev_han = None;
            flush_word(&mut word, &mut f);
        }
    }
    flush_word(&mut word, &mut f);
}

fn hash_str(s: &str) -> u64 {
    let mut h = FIXED.build_hasher();
    h.write(s.as_bytes());
    h.finish()
}

/// A fixed-key hasher so token keys are the same in every run.
const FIXED: std::hash::BuildHasherDefault<Fnv> = std::hash::BuildHasherDefault::new();

/// FNV-1a: tiny, fast on short keys, deterministic.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }
}

/// How many times an extra token counts.
pub const EXTRA_WEIGHT: u32 = 3;

/// A sparse, L2-normalised TF-IDF vector: (token id, weight), sorted by id.
pub type Vector = Vec<(u32, f32)>;

/// Builds TF-IDF vectors for two lists of texts, with document frequencies over both.
pub fn vectors(a: &[&str], b: &[&str]) -> (Vec<Vector>, Vec<Vector>) {
    vectors_with(a, &[], b, &[])
}

/// A key for an extra token such as a term key, apart from text tokens.
pub fn extra_key(s: &str) -> u64 {
    hash_str(s) ^ 0x5bd1_e995_0000_0000
}

/// Like [`vectors`], with extra tokens per text (e.g. the keys of the terms found in it; missing
/// entries mean none), each counted [`EXTRA_WEIGHT`] times: a shared name or date says more
/// about two paragraphs than a shared pair of characters.
pub fn vectors_with(
    a: &[&str],
    a_extra: &[Vec<u64>],
    b: &[&str],
    b_extra: &[Vec<u64>],
) -> (Vec<Vector>, Vec<Vector>) {
    let never = std::sync::atomic::AtomicBool::new(false);
    vectors_with_until(a, a_extra, b, b_extra, &never).expect("the flag is never set")
}

/// [`vectors_with`] that gives up (`None`) once `cancel` is set, checked for every text.
pub fn vectors_with_until(
    a: &[&str],
    a_extra: &[Vec<u64>],
    b: &[&str],
    b_extra: &[Vec<u64>],
    cancel: &std::sync::atomic::AtomicBool,
) -> Option<(Vec<Vector>, Vec<Vector>)> {
    // Sized for the distinct tokens a pair of reports has, then grown as needed: sized by the
    // text's length, a 16 MB paragraph made the table 142 MB (9x the input) before any token
    // was added, the peak of `reader compare` on it (issue #15).
    let total: usize = a.iter().chain(b).map(|t| t.len()).sum();
    let mut ids: HashMap<u64, u32, std::hash::BuildHasherDefault<Fnv>> =
        HashMap::with_capacity_and_hasher((total / 3).min(1 << 14), Default::default());
    let mut df: Vec<u32> = Vec::new();
    // For each token id: the text that last saw it (+1, 0 = none) and its slot in that text's tf.
    let mut seen_in: Vec<u32> = Vec::new();
    let mut slot: Vec<u32> = Vec::new();
    let mut doc: u32 = 0;
    let mut counts = |texts: &[&str], extra: &[Vec<u64>]| -> Option<Vec<Vec<(u32, u32)>>> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                    return None;
                }
                doc += 1;
                let mut tf: Vec<(u32, u32)> = Vec::new();
                let mut add = |k: u64, n: u32| {
                    let next = ids.len() as u32;
                    let id = *ids.entry(k).or_insert(next);
                    if id as usize == df.len() {
                        df.push(0);
                        seen_in.push(0);
                        slot.push(0);
                    }
                    let u = id as usize;
                    if seen_in[u] == doc {
                        tf[slot[u] as usize].1 += n;
                    } else {
                        seen_in[u] = doc;
                        slot[u] = tf.len() as u32;
                        tf.push((id, n));
                        df[u] += 1;
                    }
                };
                tokens(t, |k| add(k, 1));
                for &k in extra.get(i).map_or(&[][..], Vec::as_slice) {
                    add(k, EXTRA_WEIGHT);
                }
                tf.sort_unstable();
                Some(tf)
            })
            .collect()
    };
    let ca = counts(a, a_extra)?;
    let cb = counts(b, b_extra)?;
    let n = (a.len() + b.len()).max(1) as f32;
    let weigh = |c: Vec<Vec<(u32, u32)>>| -> Vec<Vector> {
        c.into_iter()
            .map(|tf| {
                let mut v: Vector = tf
                    .into_iter()
                    .map(|(id, k)| {
                        let idf = (1.0 + n / df[id as usize] as f32).ln();
                        (id, (1.0 + (k as f32).ln()) * idf)
                    })
                    .collect();
                let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
                if norm > 0.0 {
                    v.iter_mut().for_each(|(_, w)| *w /= norm);
                }
                v
            })
            .collect()
    };
    Some((weigh(ca), weigh(cb)))
}

/// The cosine similarity of every A paragraph with every B paragraph, row-major (`a.len()` rows of
/// `b.len()`), computed through an inverted index of B.
pub fn matrix(a: &[Vector], b: &[Vector]) -> Vec<f32> {
    let m = b.len();
    let mut postings: HashMap<u32, Vec<(u32, f32)>, std::hash::BuildHasherDefault<Fnv>> =
        HashMap::default();
    for (j, v) in b.iter().enumerate() {
        for &(id, w) in v {
            postings.entry(id).or_default().push((j as u32, w));
        }
    }
    let mut out = vec![0.0f32; a.len() * m];
    for (i, v) in a.iter().enumerate() {
        let row = &mut out[i * m..(i + 1) * m];
        for (id, w) in v {
            if let Some(list) = postings.get(id) {
                for &(j, wb) in list {
                    row[j as usize] += w * wb;
                }
            }
        }
    }
    out
}

/// Sparse similarities: for each A vector, `(B index, cosine)` for the B vectors at least
/// `floor` similar, at most `per_row` of them (the most similar), sorted by B index.
pub type Sparse = Vec<Vec<(u32, f32)>>;

/// Like [`matrix`] but sparse, in memory proportional to the pairs kept, so long articles do not
/// need an A × B matrix. When B is large (over 1,000 texts), tokens in more than a fiftieth of its
/// texts (at least 100) are skipped: their weight is small and their posting lists would make
/// the work quadratic.
pub fn sparse(a: &[Vector], b: &[Vector], floor: f32, per_row: usize) -> Sparse {
    let never = std::sync::atomic::AtomicBool::new(false);
    sparse_until(a, b, floor, per_row, &never).expect("the flag is never set")
}

/// [`sparse`] that gives up (`None`) once `cancel` is set, checked for every A vector.
pub fn sparse_until(
    a: &[Vector],
    b: &[Vector],
    floor: f32,
    per_row: usize,
    cancel: &std::sync::atomic::AtomicBool,
) -> Option<Sparse> {
    let per_row = per_row.max(1);
    let m = b.len();
    let mut postings: HashMap<u32, Vec<(u32, f32)>, std::hash::BuildHasherDefault<Fnv>> =
        HashMap::default();
    for (j, v) in b.iter().enumerate() {
        for &(id, w) in v {
            postings.entry(id).or_default().push((j as u32, w));
        }
    }
    if m > 1000 {
        let cap = (m / 50).max(100);
        postings.retain(|_, list| list.len() <= cap);
    }
    let mut acc = vec![0.0f32; m];
    let mut touched: Vec<u32> = Vec::new();
    a.iter()
        .map(|v| {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return None;
            }
            for (id, w) in v {
                if let Some(list) = postings.get(id) {
                    for &(j, wb) in list {
                        let cell = &mut acc[j as usize];
                        if *cell == 0.0 {
                            touched.push(j);
                        }
                        *cell += w * wb;
                    }
                }
            }
            let mut row: Vec<(u32, f32)> = touched
                .drain(..)
                .filter_map(|j| {
                    let s = std::mem::take(&mut acc[j as usize]);
                    (s >= floor).then_some((j, s))
                })
                .collect();
            if row.len() > per_row {
                row.select_nth_unstable_by(per_row - 1, |x, y| y.1.total_cmp(&x.1));
                row.truncate(per_row);
            }
            row.sort_unstable_by_key(|&(j, _)| j);
            Some(row)
        })
        .collect()
}

/// Cosine of two vectors.
pub fn cosine(a: &Vector, b: &Vector) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(t: &str) -> usize {
        let mut n = 0;
        tokens(t, |_| n += 1);
        n
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_stop_word("the") && !is_stop_word("climate"));
    }

    #[test]
    fn tokens_are_bigrams_and_words() {
        assert_eq!(toks("气候谈判"), 3);
        assert_eq!(toks("气候，谈判"), 2);
        assert_eq!(toks("The climate talks resumed in 2022"), 4);
        let mut a = Vec::new();
        tokens("talks", |k| a.push(k));
        let mut b = Vec::new();
        tokens("Talk", |k| b.push(k));
        assert_eq!(a, b);
    }

    #[test]
    fn sparse_until_gives_up_once_the_flag_is_set() {
        let (va, vb) = vectors(&["北京会议", "气候谈判"], &["北京会议", "气候"]);
        let set = std::sync::atomic::AtomicBool::new(true);
        assert_eq!(sparse_until(&va, &vb, 0.01, 8, &set), None);
        let unset = std::sync::atomic::AtomicBool::new(false);
        assert_eq!(
            sparse_until(&va, &vb, 0.01, 8, &unset),
            Some(sparse(&va, &vb, 0.01, 8))
        );
    }

    #[test]
    fn related_texts_score_higher_than_unrelated() {
        let a = ["中方宣布暂停与美国的气候谈判", "今天天气很好"];
        let b = ["中国宣布暂停与美国的气候合作与谈判", "股市大涨"];
        let (va, vb) = vectors(&a, &b);
        let m = matrix(&va, &vb);
        assert!(m[0] > 0.5, "{m:?}");
        assert!(m[1] < 0.01 && m[2] < 0.01 && m[3] < 0.01, "{m:?}");
        assert!((cosine(&va[0], &vb[0]) - m[0]).abs() < 1e-5);
        let sp = sparse(&va, &vb, 0.01, 8);
        assert_eq!(sp.len(), 2);
        assert_eq!(sp[0].len(), 1);
        assert_eq!(sp[0][0].0, 0);
        assert!((sp[0][0].1 - m[0]).abs() < 1e-5);
        assert!(sp[1].is_empty());
        assert!((cosine(&va[0], &va[0]) - 1.0).abs() < 1e-5);
    }
}
