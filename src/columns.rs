//! Display columns of text, counted and cut by grapheme cluster, as the terminal draws it.
//!
//! A joined emoji sequence (👨‍👩‍👧, 🏳️‍🌈) or a base letter with combining marks is one cluster
//! and one cell run on screen: counting it character by character (6 columns for 👨‍👩‍👧
//! instead of 2) or cutting inside it shifts everything after it on the row. Every width and
//! every cut of text for the screen goes through here.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width of one grapheme cluster (as ratatui places it).
pub fn grapheme_width(g: &str) -> usize {
    g.width()
}

/// Display width of `s`: the sum of its clusters' widths.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// The longest prefix of `s` of at most `max` columns that ends at a cluster boundary, and its
/// width.
pub fn prefix(s: &str, max: usize) -> (&str, usize) {
    let mut used = 0;
    let mut end = 0;
    for (i, g) in s.grapheme_indices(true) {
        let w = grapheme_width(g);
        if used + w > max {
            break;
        }
        used += w;
        end = i + g.len();
    }
    (&s[..end], used)
}

/// `s` cut to at most `max` columns at a cluster boundary, ending with `ellipsis` when cut (the
/// ellipsis is left out when even it does not fit).
pub fn truncate(s: &str, max: usize, ellipsis: &str) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let ew = width(ellipsis);
    let (head, _) = prefix(s, max.saturating_sub(ew));
    let mut out = head.to_string();
    if ew <= max {
        out.push_str(ellipsis);
    }
    out
}

/// `s` cut (see [`truncate`]) or padded with spaces to exactly `max` columns.
pub fn fit(s: &str, max: usize, ellipsis: &str) -> String {
    let mut out = truncate(s, max, ellipsis);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', max.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAMILY: &str = "👨\u{200d}👩\u{200d}👧";

    #[test]
    fn joined_sequences_are_one_cluster() {
        assert_eq!(width(FAMILY), 2);
        assert_eq!(width("e\u{301}x"), 2);
        assert_eq!(width("美國"), 4);
        let title = format!("ab{FAMILY}cd");
        assert_eq!(truncate(&title, 4, "…"), "ab…");
        assert_eq!(truncate(&title, 5, "…"), format!("ab{FAMILY}…"));
        for max in 0..8 {
            let cut = fit(&title, max, "…");
            assert_eq!(width(&cut), max, "{cut:?}");
            assert!(!cut.contains("\u{200d}…") && !cut.ends_with('\u{200d}'));
        }
    }

    #[test]
    fn prefixes_end_at_cluster_boundaries() {
        assert_eq!(prefix("a美國", 2), ("a", 1));
        assert_eq!(prefix(&format!("{FAMILY}x"), 1), ("", 0));
        assert_eq!(prefix("e\u{301}x", 1), ("e\u{301}", 1));
    }
}
