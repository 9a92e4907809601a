//! The analyzer: how text becomes index terms, the same way for reports and for queries.
//!
//! Text is [`normalize`]d first (Simplified script, lower case), so a Traditional query finds
//! Simplified text and back. Then it is split into tokens, numbered by position:
//! - a run of letters and digits of a word-spaced script is one token (`cop27`, `kerry`);
//! - each CJK character (ideographs, kana, hangul) is a token of its own (`美国气候` →
//!   `美 国 气 候`).
//!
//! A query word of n ≥ 2 CJK characters is then the phrase of its characters (consecutive
//! positions), and a one-character word a single term: exactly the reports that hold the word
//! as a substring. Single characters with positions cost far less than overlapping bigrams
//! (whose dictionary of distinct pairs dominated the index on real text), at the price of
//! position checks for every CJK word.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::normalize;
use crate::article::scan::is_cjk;

/// The name under which the analyzer is registered with the index.
pub const CHARS: &str = "reader_chars";

/// Tokens longer than this (in bytes) are noise (base64, long URLs) and are not indexed.
const MAX_TOKEN: usize = 96;

/// A tantivy tokenizer applying [`normalize`] and splitting as the module describes.
#[derive(Clone, Debug, Default)]
pub struct Analyzer;

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
            tokens: tokens(text),
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
pub fn tokens(text: &str) -> Vec<Token> {
    let norm = normalize(text);
    let mut out = Vec::new();
    let mut position = 0;
    let mut push = |from: usize, to: usize| {
        if to - from <= MAX_TOKEN {
            out.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: norm[from..to].to_string(),
                position_length: 1,
            });
            position += 1;
        }
    };
    let mut chars = norm.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        match kind(c) {
            Kind::Other => {}
            Kind::Cjk => push(start, start + c.len_utf8()),
            Kind::Word => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, c)) = chars.peek() {
                    if kind(c) != Kind::Word {
                        break;
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
                push(start, end);
            }
        }
    }
    out
}

/// The index terms of `text` (a query word or phrase, not yet normalised), to be found at
/// consecutive positions; one term is a term query, none means nothing searchable
/// (punctuation only).
pub fn lookup(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|t| t.text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn cjk_runs_become_characters() {
        assert_eq!(texts("美国气候特使"), ["美", "国", "气", "候", "特", "使"]);
        assert_eq!(texts("在 京 说"), ["在", "京", "说"]);
        // Kana and hangul are characters too.
        assert_eq!(texts("東京です"), ["东", "京", "で", "す"]);
    }

    #[test]
    fn positions_are_consecutive_across_scripts() {
        let t = tokens("COP27气候大会, Kerry說");
        let got: Vec<_> = t.iter().map(|t| (t.text.as_str(), t.position)).collect();
        assert_eq!(
            got,
            [
                ("cop27", 0),
                ("气", 1),
                ("候", 2),
                ("大", 3),
                ("会", 4),
                ("kerry", 5),
                ("说", 6)
            ]
        );
        // Offsets are byte ranges of the normalised text.
        assert_eq!((t[1].offset_from, t[1].offset_to), (5, 8));
    }

    #[test]
    fn scripts_and_case_fold_to_one_form() {
        assert_eq!(texts("德國之聲"), texts("德国之声"));
        assert_eq!(texts("美國"), ["美", "国"]);
        assert_eq!(texts("Climate ENVOY"), ["climate", "envoy"]);
        assert_eq!(texts("Ünïcode Straße"), ["ünïcode", "straße"]);
    }

    #[test]
    fn punctuation_separates_and_long_noise_is_dropped() {
        assert_eq!(
            texts("“拉布”——拉布！e-mail"),
            ["拉", "布", "拉", "布", "e", "mail"]
        );
        let noise = "a".repeat(200);
        assert_eq!(texts(&format!("x {noise} y")), ["x", "y"]);
        assert!(texts("…，。！").is_empty());
    }

    #[test]
    fn lookups_give_substring_semantics() {
        assert_eq!(lookup("美"), ["美"]);
        assert_eq!(lookup("國"), ["国"]);
        assert_eq!(lookup("美國"), ["美", "国"]);
        assert_eq!(lookup("拉布議員"), ["拉", "布", "议", "员"]);
        assert_eq!(lookup("Kerry"), ["kerry"]);
        assert_eq!(lookup("climate envoy"), ["climate", "envoy"]);
        assert!(lookup("——").is_empty());
    }
}
