//! The snippet of a hit: the sentence of the body that holds the most of the query's words.

use std::ops::Range;

use super::find_all;
use super::query::Query;

/// A sentence to show under a hit, with the query's matches in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// One line of sanitised text (no control characters), at most the width asked for, cut
    /// with `…` around the first match when longer.
    pub text: String,
    /// Char ranges of `text` that match a required word or phrase, in order.
    pub marks: Vec<Range<usize>>,
}

/// Where sentences end: CJK and Latin end marks, and line breaks (paragraphs).
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | '\n' | '.' | '…')
}

/// The sentences of `text`, trimmed, empty ones left out. A `.` ends a sentence only before
/// white space (so `3.5` and `U.S.` stay whole).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !ends_sentence(c) {
            continue;
        }
        let next = chars.peek().map(|&(_, n)| n);
        if c == '.' && !next.is_none_or(char::is_whitespace) {
            continue;
        }
        // Closing quotes and brackets belong to the sentence they close.
        let mut end = i + c.len_utf8();
        while let Some(&(j, n)) = chars.peek() {
            if matches!(n, '”' | '」' | '』' | '"' | '）' | ')' | '’') {
                end = j + n.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let s = text[start..end].trim();
        if !s.is_empty() {
            out.push(s);
        }
        start = end;
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// The sentence of `body` (visible text) with the most distinct required words of `query`
/// (the earliest among equals), at most `width` characters; the body's first sentence when no
/// sentence has one (the words were in the title or the byline). `None` for an empty body.
pub fn snippet(body: &str, query: &Query, width: usize) -> Option<Snippet> {
    let needles: Vec<String> = query
        .required_text()
        .map(|t| t.normalized.clone())
        .filter(|n| !n.is_empty())
        .collect();
    let mut best: Option<(usize, String, Vec<Range<usize>>)> = None;
    for sentence in sentences(body) {
        let line = one_line(sentence);
        if line.is_empty() {
            continue;
        }
        let mut marks = Vec::new();
        let mut found = 0;
        for n in &needles {
            let at = find_all(&line, n);
            if !at.is_empty() {
                found += 1;
            }
            marks.extend(at);
        }
        if best.as_ref().is_none_or(|(f, ..)| found > *f) {
            best = Some((found, line, marks));
            if found == needles.len() && found > 0 {
                break;
            }
        }
    }
    let (_, line, mut marks) = best?;
    marks.sort_by_key(|r| (r.start, r.end));
    marks.dedup();
    Some(cut(&line, marks, width.max(8)))
}

/// White space runs as one space, control characters removed.
fn one_line(s: &str) -> String {
    let clean = crate::sanitize::clean_line(s);
    clean.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `width` chars of `line`, around the first mark.
fn cut(line: &str, marks: Vec<Range<usize>>, width: usize) -> Snippet {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= width {
        return Snippet {
            text: line.to_string(),
            marks,
        };
    }
    let first = marks.first().map_or(0, |r| r.start);
    // Start a little before the first match so it has context, never past the end.
    let mut start = first
        .saturating_sub(width / 4)
        .min(chars.len() - (width - 1));
    if start <= 1 {
        start = 0;
    }
    let lead = usize::from(start > 0);
    let room = width - lead;
    let end = (start + room).min(chars.len());
    let (end, tail) = if end < chars.len() {
        (end - 1, true)
    } else {
        (end, false)
    };
    let mut text = String::new();
    if lead == 1 {
        text.push('…');
    }
    text.extend(&chars[start..end]);
    if tail {
        text.push('…');
    }
    let shift = |i: usize| i - start + lead;
    let marks = marks
        .into_iter()
        .filter(|r| r.start >= start && r.end <= end)
        .map(|r| shift(r.start)..shift(r.end))
        .collect();
    Snippet { text, marks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Query {
        super::super::parse(text, jiff::civil::date(2026, 12, 1)).unwrap()
    }

    #[test]
    fn the_sentence_with_the_most_words() {
        let body =
            "美国总统发表讲话。\n美國氣候特使克裡說，氣候問題緊迫！Kerry met envoys. 3.5 percent.";
        let s = snippet(body, &q("克里 气候"), 80).unwrap();
        assert_eq!(s.text, "美國氣候特使克裡說，氣候問題緊迫！");
        let marked: Vec<String> = s
            .marks
            .iter()
            .map(|r| s.text.chars().skip(r.start).take(r.len()).collect())
            .collect();
        assert_eq!(marked, ["氣候", "克裡", "氣候"]);
        let s = snippet(body, &q("kerry"), 80).unwrap();
        assert_eq!(s.text, "Kerry met envoys.");
        assert_eq!(s.marks, vec![(0..5)]);
        assert_eq!(
            snippet(body, &q("percent"), 80).unwrap().text,
            "3.5 percent."
        );
    }

    #[test]
    fn without_a_match_the_first_sentence() {
        let s = snippet("First one. Second one.", &q("elsewhere"), 80).unwrap();
        assert_eq!(s.text, "First one.");
        assert!(s.marks.is_empty());
        assert_eq!(snippet("  \n ", &q("x"), 80), None);
    }

    #[test]
    fn long_sentences_are_cut_around_the_match_and_cleaned() {
        let body = format!("{} needle {}", "a ".repeat(100), "b ".repeat(100));
        let s = snippet(&body, &q("needle"), 40).unwrap();
        assert_eq!(s.text.chars().count(), 40);
        assert!(
            s.text.starts_with('…') && s.text.ends_with('…'),
            "{}",
            s.text
        );
        let m = &s.marks[0];
        let marked: String = s.text.chars().skip(m.start).take(m.len()).collect();
        assert_eq!(marked, "needle");
        let s = snippet("bad\u{1b}[31m escape\u{7} here", &q("escape"), 80).unwrap();
        assert!(!s.text.chars().any(char::is_control), "{:?}", s.text);
    }
}
