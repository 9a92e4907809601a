//! Order-preserving paragraph alignment, and cross-references for strong matches out of order.
//!
//! The alignment maximises the total similarity of matched pairs under the constraint that both
//! columns keep their order (a weighted longest common subsequence, i.e. Needleman–Wunsch where
//! a pair scores its similarity less a small cost and only pairs above a threshold may match).
//! Every paragraph appears in exactly one row; an unmatched one faces a blank.

use serde::Serialize;

/// Pairs below this similarity never share a row.
pub const MATCH_THRESHOLD: f32 = 0.04;
/// Subtracted from each matched pair's similarity, so weak pairs only match when they cost
/// nothing stronger.
const PAIR_COST: f32 = 0.01;
/// A pair left out of the alignment is cross-referenced when it is at least this similar.
pub const CROSS_REF_THRESHOLD: f32 = 0.1;

/// One row of the side-by-side view: a paragraph of A, of B, or both.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Index of the A paragraph (0-based), or none (blank).
    pub a: Option<usize>,
    /// Index of the B paragraph (0-based), or none (blank).
    pub b: Option<usize>,
    /// Similarity of the pair (0–1) when both are present.
    pub score: Option<f32>,
}

/// A strong match the alignment could not place on one row without breaking the order; shown on
/// both paragraphs as `↔ B¶7` / `↔ A¶2` (1-based numbers in the view).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CrossRef {
    /// The A paragraph (0-based).
    pub a: usize,
    /// The B paragraph (0-based).
    pub b: usize,
    /// Their similarity (0–1).
    pub score: f32,
}

/// Aligns `n` A paragraphs with `m` B paragraphs given the row-major similarity matrix.
pub fn align(sim: &[f32], n: usize, m: usize) -> (Vec<Row>, Vec<CrossRef>) {
    assert_eq!(sim.len(), n * m);
    let w = m + 1;
    // dp[i][j]: best total for A[..i] and B[..j].
    let mut dp = vec![0.0f32; (n + 1) * w];
    for i in 1..=n {
        for j in 1..=m {
            let s = sim[(i - 1) * m + (j - 1)];
            let mut best = dp[(i - 1) * w + j].max(dp[i * w + j - 1]);
            if s >= MATCH_THRESHOLD {
                best = best.max(dp[(i - 1) * w + j - 1] + s - PAIR_COST);
            }
            dp[i * w + j] = best;
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        let s = sim[(i - 1) * m + (j - 1)];
        let here = dp[i * w + j];
        if s >= MATCH_THRESHOLD && here == dp[(i - 1) * w + j - 1] + s - PAIR_COST {
            pairs.push((i - 1, j - 1, s));
            i -= 1;
            j -= 1;
        } else if here == dp[(i - 1) * w + j] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    pairs.reverse();

    let mut rows = Vec::with_capacity(n + m);
    let (mut ai, mut bj) = (0, 0);
    let push_gap = |rows: &mut Vec<Row>, ai: &mut usize, bj: &mut usize, ua: usize, ub: usize| {
        while *ai < ua {
            rows.push(Row {
                a: Some(*ai),
                b: None,
                score: None,
            });
            *ai += 1;
        }
        while *bj < ub {
            rows.push(Row {
                a: None,
                b: Some(*bj),
                score: None,
            });
            *bj += 1;
        }
    };
    for &(pa, pb, s) in &pairs {
        push_gap(&mut rows, &mut ai, &mut bj, pa, pb);
        rows.push(Row {
            a: Some(pa),
            b: Some(pb),
            score: Some(s),
        });
        ai = pa + 1;
        bj = pb + 1;
    }
    push_gap(&mut rows, &mut ai, &mut bj, n, m);

    (rows, cross_refs(sim, n, m, &pairs))
}

/// Mutual best matches left out of the alignment that beat what each side got instead.
fn cross_refs(sim: &[f32], n: usize, m: usize, pairs: &[(usize, usize, f32)]) -> Vec<CrossRef> {
    let mut got_a = vec![0.0f32; n];
    let mut got_b = vec![0.0f32; m];
    let mut partner_a = vec![usize::MAX; n];
    for &(a, b, s) in pairs {
        got_a[a] = s;
        got_b[b] = s;
        partner_a[a] = b;
    }
    let best_b_for = |j: usize| {
        (0..n)
            .max_by(|&x, &y| sim[x * m + j].total_cmp(&sim[y * m + j]))
            .unwrap_or(0)
    };
    let mut out = Vec::new();
    for a in 0..n {
        let row = &sim[a * m..(a + 1) * m];
        let Some(b) = (0..m).max_by(|&x, &y| row[x].total_cmp(&row[y])) else {
            continue;
        };
        let s = row[b];
        if s < CROSS_REF_THRESHOLD || partner_a[a] == b || best_b_for(b) != a {
            continue;
        }
        if s > got_a[a] && s > got_b[b] {
            out.push(CrossRef { a, b, score: s });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(rows: &[Row]) -> Vec<(Option<usize>, Option<usize>)> {
        rows.iter().map(|r| (r.a, r.b)).collect()
    }

    #[test]
    fn matches_keep_order_and_gaps_face_blanks() {
        // A0~B1, A1 unmatched, A2~B2; B0 unmatched.
        #[rustfmt::skip]
        let sim = [
            0.0, 0.9, 0.0,
            0.0, 0.0, 0.05,
            0.0, 0.0, 0.8,
        ];
        let (rows, refs) = align(&sim, 3, 3);
        assert_eq!(
            pairs(&rows),
            [
                (None, Some(0)),
                (Some(0), Some(1)),
                (Some(1), None),
                (Some(2), Some(2))
            ]
        );
        assert!(refs.is_empty());
        assert_eq!(rows[1].score, Some(0.9));
    }

    #[test]
    fn crossing_strong_match_becomes_a_cross_reference() {
        // A0~B2 strongly, but A1~B0 and A2~B1 together outweigh it.
        #[rustfmt::skip]
        let sim = [
            0.0, 0.0, 0.7,
            0.6, 0.0, 0.0,
            0.0, 0.6, 0.0,
        ];
        let (rows, refs) = align(&sim, 3, 3);
        assert_eq!(
            pairs(&rows),
            [
                (Some(0), None),
                (Some(1), Some(0)),
                (Some(2), Some(1)),
                (None, Some(2))
            ]
        );
        assert_eq!(
            refs,
            [CrossRef {
                a: 0,
                b: 2,
                score: 0.7
            }]
        );
    }

    #[test]
    fn weak_pairs_do_not_match() {
        let (rows, _) = align(&[0.03], 1, 1);
        assert_eq!(pairs(&rows), [(Some(0), None), (None, Some(0))]);
    }

    #[test]
    fn empty_sides() {
        let (rows, refs) = align(&[], 0, 2);
        assert_eq!(pairs(&rows), [(None, Some(0)), (None, Some(1))]);
        assert!(refs.is_empty());
        assert!(align(&[], 0, 0).0.is_empty());
    }
}
