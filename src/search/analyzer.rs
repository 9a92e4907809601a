//! The analyzer: how text becomes index terms, the same way for reports and for queries.
//!
//! Text is [`normalize`]d first (Simplified script, lower case), so a Traditional query finds
//! Simplified text and back; the index normalises each report's text once and hands the
//! normalised text to both tokenizers. Then it is split into tokens, numbered by position:
//! - a run of letters and digits of a word-spaced script is one token (`cop27`, `kerry`), one
//!   position;
//! - a run of CJK characters (ideographs, kana, hangul) of n ≥ 2 characters becomes its n − 1
//!   overlapping bigrams (`美国气候` → `美国 国气 气候`) in the [`BIGRAMS`] tokenizer, followed
//!   by one unused position, so that every CJK character takes exactly one position and two
//!   runs split by punctuation never meet in a phrase; a one-character run is itself;
//! - the [`CHARS`] tokenizer gives the CJK characters alone (indexed with frequencies only,
//!   for one-character queries).
//!
//! A query word of n ≥ 2 CJK characters is then the phrase of its n − 1 bigrams (one term for
//! two characters), a one-character word a term of the character field: exactly the reports
//! holding the word as a substring. See [`lookup`] for mixed words and phrases.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::normalize;
use crate::article::scan::is_cjk;

/// The name of the tokenizer of Latin words and CJK bigrams, with positions.
pub const BIGRAMS: &str = "reader_bigrams";
/// The name of the tokenizer of single CJK characters.
pub const CHARS: &str = "reader_chars";

/// Tokens longer than this (in bytes) are noise (base64, long URLs) and are not indexed.
const MAX_TOKEN: usize = 96;

/// Which tokens a [`Analyzer`] gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grams {
    /// Latin words and CJK bigrams (a one-character run as itself), with positions.
    Bigrams,
    /// CJK single characters only.
    Chars,
}

/// A tantivy tokenizer of text already [`normalize`]d (the index normalises each report once
/// for both fields), splitting as the module describes.
#[derive(Clone, Debug)]
pub struct Analyzer(pub Grams);

/// The tokens of one text: spans found up front, each copied into one reused token as the
/// stream advances (an allocation per token cost more than the splitting).
pub struct Tokens<'a> {
    text: &'a str,
    spans: Vec<Span>,
    next: usize,
    token: Token,
}

/// A token's byte range and position.
#[derive(Clone, Copy)]
struct Span {
    from: usize,
    to: usize,
    position: usize,
}

impl TokenStream for Tokens<'_> {
    fn advance(&mut self) -> bool {
        let Some(&Span { from, to, position }) = self.spans.get(self.next) else {
            return false;
        };
        self.next += 1;
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = position;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for Analyzer {
    type TokenStream<'a> = Tokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens<'a> {
        Tokens {
            text,
            spans: spans(text, self.0),
            next: 0,
            token: Token::default(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Cjk,
    Other,
}

fn kind(c: char) -> Kind {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            Kind::Word
        } else {
            Kind::Other
        }
    } else if is_cjk(c) {
        Kind::Cjk
    } else if c.is_alphanumeric() {
        Kind::Word
    } else {
        Kind::Other
    }
}

/// The tokens of `text`, normalised here; offsets are into the normalised text.
pub fn tokens(text: &str, grams: Grams) -> Vec<Token> {
    let norm = normalize(text);
    spans(&norm, grams)
        .into_iter()
        .map(|s| Token {
            offset_from: s.from,
            offset_to: s.to,
            position: s.position,
            text: norm[s.from..s.to].to_string(),
            position_length: 1,
        })
        .collect()
}

/// The token spans of `norm`, already normalised.
fn spans(norm: &str, grams: Grams) -> Vec<Span> {
    let mut out = Vec::with_capacity(norm.len() / 3);
    let mut position = 0;
    let mut push = |from: usize, to: usize, position: usize| {
        if to - from <= MAX_TOKEN {
            out.push(Span { from, to, position });
        }
    };
    let mut chars = norm.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match kind(c) {
            Kind::Other => {}
            Kind::Word => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, c)) = chars.peek() {
                    if kind(c) != Kind::Word {
                        break;
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
                if grams == Grams::Bigrams {
                    push(start, end, position);
                    position += 1;
                }
            }
            Kind::Cjk => {
                let mut from = start;
                let mut to = start + c.len_utf8();
                let mut n = 1;
                if grams == Grams::Chars {
                    push(from, to, position);
                }
                while let Some(&(i, c)) = chars.peek() {
                    if kind(c) != Kind::Cjk {
                        break;
                    }
                    chars.next();
                    let end = i + c.len_utf8();
                    match grams {
                        Grams::Chars => push(i, end, position + n),
                        Grams::Bigrams => push(from, end, position + n - 1),
                    }
                    from = i;
                    to = end;
                    n += 1;
                }
                if grams == Grams::Bigrams && n == 1 {
                    push(from, to, position);
                }
                // Every character one position: a run of n ≥ 2 leaves its last unused.
                position += n;
            }
        }
    }
    out
}

/// How a word or phrase of a query is looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Nothing searchable (punctuation only).
    Nothing,
    /// One CJK character: a term of the character field.
    Char(String),
    /// Terms of the bigram field at their offsets (relative positions).
    Phrase {
        /// Terms, each at its offset; one term alone is a term query.
        terms: Vec<(usize, String)>,
        /// A one-character run ending the phrase: a prefix of the term at its offset (the
        /// character alone, or the first of a bigram).
        prefix: Option<(usize, String)>,
        /// Other one-character runs of the phrase, which a bigram cannot place (`气` of
        /// `气COP27` may end a bigram): required in the character field, so the phrase finds
        /// a superset of the exact matches there.
        chars: Vec<String>,
    },
}

/// How `text` (a query word or phrase, not yet normalised) is looked up.
pub fn lookup(text: &str) -> Lookup {
    let tokens = tokens(text, Grams::Bigrams);
    let single = |t: &Token| {
        let mut cs = t.text.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if is_cjk(c))
    };
    match tokens.as_slice() {
        [] => return Lookup::Nothing,
        [t] if single(t) => return Lookup::Char(t.text.clone()),
        _ => {}
    }
    let base = tokens[0].position;
    let last = tokens.len() - 1;
    let mut terms = Vec::new();
    let mut prefix = None;
    let mut chars = Vec::new();
    for (i, t) in tokens.into_iter().enumerate() {
        let at = t.position - base;
        if !single(&t) {
            terms.push((at, t.text));
        } else if i == last {
            prefix = Some((at, t.text));
        } else {
            chars.push(t.text);
        }
    }
    if terms.is_empty()
        && let Some((_, c)) = prefix.take()
    {
        chars.push(c);
    }
    Lookup::Phrase {
        terms,
        prefix,
        chars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, grams: Grams) -> Vec<String> {
        tokens(text, grams).into_iter().map(|t| t.text).collect()
    }

    fn positioned(text: &str, grams: Grams) -> Vec<(String, usize)> {
        tokens(text, grams)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    fn owned(v: &[(&str, usize)]) -> Vec<(String, usize)> {
        v.iter().map(|(s, p)| ((*s).to_string(), *p)).collect()
    }

    #[test]
    fn cjk_runs_become_bigrams_and_single_characters() {
        assert_eq!(
            texts("美国气候特使", Grams::Bigrams),
            ["美国", "国气", "气候", "候特", "特使"]
        );
        assert_eq!(
            texts("美国气候特使", Grams::Chars),
            ["美", "国", "气", "候", "特", "使"]
        );
        // A one-character run is itself in both.
        assert_eq!(texts("在 京 说", Grams::Bigrams), ["在", "京", "说"]);
        assert_eq!(texts("在 京 说", Grams::Chars), ["在", "京", "说"]);
        // Kana and hangul are CJK too; Latin words are not in the character field.
        assert_eq!(texts("東京です", Grams::Bigrams), ["东京", "京で", "です"]);
        assert_eq!(texts("COP27气候 Kerry", Grams::Chars), ["气", "候"]);
    }

    #[test]
    fn every_cjk_character_takes_one_position() {
        assert_eq!(
            positioned("COP27气候大会, Kerry說", Grams::Bigrams),
            owned(&[
                ("cop27", 0),
                ("气候", 1),
                ("候大", 2),
                ("大会", 3),
                // 4: the run's last character
                ("kerry", 5),
                ("说", 6)
            ])
        );
        // Two runs split by punctuation: 美国 and 国气 are not adjacent, so 美国气 is not found
        // in 美国，国气.
        assert_eq!(
            positioned("美国，国气。美", Grams::Bigrams),
            owned(&[("美国", 0), ("国气", 2), ("美", 4)])
        );
        assert_eq!(
            positioned("美国，国", Grams::Chars),
            owned(&[("美", 0), ("国", 1), ("国", 2)])
        );
        // Offsets are byte ranges of the normalised text.
        let t = tokens("COP27气候大会", Grams::Bigrams);
        assert_eq!((t[1].offset_from, t[1].offset_to), (5, 11));
    }

    #[test]
    fn scripts_and_case_fold_to_one_form() {
        assert_eq!(
            texts("德國之聲", Grams::Bigrams),
            texts("德国之声", Grams::Bigrams)
        );
        assert_eq!(texts("德國之聲", Grams::Bigrams), ["德国", "国之", "之声"]);
        assert_eq!(texts("美國", Grams::Chars), ["美", "国"]);
        assert_eq!(texts("Climate ENVOY", Grams::Bigrams), ["climate", "envoy"]);
        assert_eq!(
            texts("Ünïcode Straße", Grams::Bigrams),
            ["ünïcode", "straße"]
        );
    }

    #[test]
    fn punctuation_separates_and_long_noise_is_dropped() {
        assert_eq!(
            texts("“拉布”——拉布！e-mail", Grams::Bigrams),
            ["拉布", "拉布", "e", "mail"]
        );
        let noise = "a".repeat(200);
        assert_eq!(texts(&format!("x {noise} y"), Grams::Bigrams), ["x", "y"]);
        assert!(texts("…，。！", Grams::Bigrams).is_empty());
        assert!(texts("…，。！", Grams::Chars).is_empty());
    }

    fn phrase(terms: &[(&str, usize)], prefix: Option<(&str, usize)>, chars: &[&str]) -> Lookup {
        Lookup::Phrase {
            terms: terms.iter().map(|(t, p)| (*p, (*t).to_string())).collect(),
            prefix: prefix.map(|(t, p)| (p, t.to_string())),
            chars: chars.iter().map(|c| (*c).to_string()).collect(),
        }
    }

    #[test]
    fn lookups_give_substring_semantics() {
        assert_eq!(lookup("美"), Lookup::Char("美".into()));
        assert_eq!(lookup("國"), Lookup::Char("国".into()));
        // Two characters: one bigram.
        assert_eq!(lookup("美國"), phrase(&[("美国", 0)], None, &[]));
        // n characters: the phrase of n − 1 bigrams.
        assert_eq!(
            lookup("拉布議員"),
            phrase(&[("拉布", 0), ("布议", 1), ("议员", 2)], None, &[])
        );
        assert_eq!(lookup("Kerry"), phrase(&[("kerry", 0)], None, &[]));
        assert_eq!(
            lookup("climate envoy"),
            phrase(&[("climate", 0), ("envoy", 1)], None, &[])
        );
        // Runs keep their distance: 美国 总统 is found in 美国总统 (总统 two positions on).
        assert_eq!(
            lookup("美国 总统"),
            phrase(&[("美国", 0), ("总统", 2)], None, &[])
        );
        assert_eq!(lookup("——"), Lookup::Nothing);
    }

    #[test]
    fn single_characters_in_mixed_phrases() {
        // Last: a prefix (A股 is in A股市 as a + 股市, and in A股。 as a + 股).
        assert_eq!(lookup("A股"), phrase(&[("a", 0)], Some(("股", 1)), &[]));
        // Elsewhere: required in the character field.
        assert_eq!(lookup("股A"), phrase(&[("a", 1)], None, &["股"]));
        assert_eq!(lookup("在 京"), phrase(&[], None, &["在", "京"]));
    }
}
