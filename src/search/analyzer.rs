//! The analyzer: how text becomes index terms, the same way for reports and for queries.
//!
//! Text is [`normalize`]d first (Simplified script, lower case), so a Traditional query finds
//! Simplified text and back. Then it is split into tokens:
//! - a run of letters and digits of a word-spaced script is one token (`cop27`, `kerry`);
//! - a run of CJK characters (ideographs, kana, hangul) becomes its overlapping character
//!   bigrams (`美国气候` → `美国 国气 气候`) in the [`BIGRAMS`] analyzer, and its single
//!   characters in the [`UNIGRAMS`] analyzer (a one-character run is a unigram in both).
//!
//! A query word of n ≥ 2 CJK characters is then the phrase of its bigrams and a one-character
//! word is a unigram term: exactly the reports that contain the word as a substring.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::normalize;
use crate::article::scan::is_cjk;

/// The name under which the bigram analyzer is registered with the index.
pub const BIGRAMS: &str = "reader_bigrams";
/// The name under which the unigram analyzer is registered with the index.
pub const UNIGRAMS: &str = "reader_unigrams";

/// Tokens longer than this (in bytes) are noise (base64, long URLs) and are not indexed.
const MAX_TOKEN: usize = 96;

/// Which tokens an [`Analyzer`] gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grams {
    /// Latin words and CJK bigrams (one-character CJK runs as themselves), with positions.
    Bigrams,
    /// CJK single characters only.
    Unigrams,
}

/// A tantivy tokenizer applying [`normalize`] and splitting as the module describes.
#[derive(Clone, Debug)]
pub struct Analyzer(pub Grams);

/// The tokens of one text.
pub struct Tokens {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for Analyzer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens {
            tokens: tokens(text, self.0),
            next: 0,
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

/// The tokens of `text` (normalised here); offsets are into the normalised text.
pub fn tokens(text: &str, grams: Grams) -> Vec<Token> {
    let norm = normalize(text);
    let mut out = Vec::new();
    let mut position = 0;
    let push = |out: &mut Vec<Token>, from: usize, to: usize, position: &mut usize| {
        if to - from <= MAX_TOKEN {
            out.push(Token {
                offset_from: from,
                offset_to: to,
                position: *position,
                text: norm[from..to].to_string(),
                position_length: 1,
            });
            *position += 1;
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
                    push(&mut out, start, end, &mut position);
                }
            }
            Kind::Cjk => {
                // Char boundaries of the run.
                let mut bounds = vec![start, start + c.len_utf8()];
                while let Some(&(i, c)) = chars.peek() {
                    if kind(c) != Kind::Cjk {
                        break;
                    }
                    bounds.push(i + c.len_utf8());
                    chars.next();
                }
                let n = bounds.len() - 1;
                match grams {
                    Grams::Unigrams => {
                        for w in bounds.windows(2) {
                            push(&mut out, w[0], w[1], &mut position);
                        }
                    }
                    Grams::Bigrams if n == 1 => push(&mut out, bounds[0], bounds[1], &mut position),
                    Grams::Bigrams => {
                        for w in bounds.windows(3) {
                            push(&mut out, w[0], w[2], &mut position);
                        }
                    }
                }
            }
        }
    }
    out
}

/// How a word or phrase of a query is looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// One CJK character: a term of the unigram field.
    Unigram(String),
    /// Terms of the bigram field, to be found at consecutive positions (one term: a term query).
    Bigrams(Vec<String>),
    /// Nothing searchable (punctuation only).
    Nothing,
}

/// How `text` (a query word or phrase, not yet normalised) is looked up.
pub fn lookup(text: &str) -> Lookup {
    let uni = tokens(text, Grams::Unigrams);
    let bi = tokens(text, Grams::Bigrams);
    if bi.len() == 1 && uni.len() == 1 && bi[0].text == uni[0].text {
        return Lookup::Unigram(uni[0].text.clone());
    }
    if bi.is_empty() {
        return Lookup::Nothing;
    }
    Lookup::Bigrams(bi.into_iter().map(|t| t.text).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, grams: Grams) -> Vec<String> {
        tokens(text, grams).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn cjk_runs_become_bigrams_and_unigrams() {
        assert_eq!(
            texts("美国气候特使", Grams::Bigrams),
            ["美国", "国气", "气候", "候特", "特使"]
        );
        assert_eq!(texts("美国气候", Grams::Unigrams), ["美", "国", "气", "候"]);
        // A one-character run is a unigram in both.
        assert_eq!(texts("在 京 说", Grams::Bigrams), ["在", "京", "说"]);
    }

    #[test]
    fn positions_are_consecutive_across_scripts() {
        let t = tokens("COP27气候大会, Kerry說", Grams::Bigrams);
        let got: Vec<_> = t.iter().map(|t| (t.text.as_str(), t.position)).collect();
        assert_eq!(
            got,
            [
                ("cop27", 0),
                ("气候", 1),
                ("候大", 2),
                ("大会", 3),
                ("kerry", 4),
                ("说", 5)
            ]
        );
    }

    #[test]
    fn scripts_and_case_fold_to_one_form() {
        assert_eq!(
            texts("德國之聲", Grams::Bigrams),
            texts("德国之声", Grams::Bigrams)
        );
        assert_eq!(texts("美國", Grams::Unigrams), ["美", "国"]);
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
    }

    #[test]
    fn lookups_give_substring_semantics() {
        assert_eq!(lookup("美"), Lookup::Unigram("美".into()));
        assert_eq!(lookup("國"), Lookup::Unigram("国".into()));
        assert_eq!(lookup("美國"), Lookup::Bigrams(vec!["美国".into()]));
        assert_eq!(
            lookup("拉布議員"),
            Lookup::Bigrams(vec!["拉布".into(), "布议".into(), "议员".into()])
        );
        assert_eq!(lookup("Kerry"), Lookup::Bigrams(vec!["kerry".into()]));
        assert_eq!(
            lookup("climate envoy"),
            Lookup::Bigrams(vec!["climate".into(), "envoy".into()])
        );
        assert_eq!(lookup("——"), Lookup::Nothing);
    }
}
