//! Search: the query language shared by `/`, `reader search` and saved filters, the analyzer
//! that folds scripts and splits CJK into bigrams and characters, and the full-text index.
//!
//! Invariant: [`normalize`] (or the analyzer, which applies it) is applied to both sides of
//! every comparison, so Traditional and Simplified, upper and lower case meet.

pub mod analyzer;
pub mod index;
pub mod query;
pub mod snippet;
pub mod worker;

pub use query::{DayRange, Flags, Query, QueryError, parse, parse_day};

use std::ops::Range;

use crate::compare::script::{Script, convert_phrases};

/// Simplified script, lower case: the form in which all text is compared.
pub fn normalize(text: &str) -> String {
    convert_phrases(text, Script::Simplified).to_lowercase()
}

/// Char ranges of `query` (already normalised, not empty) in `text`, which is normalised here.
///
/// Positions refer to the characters of `text` as given. When normalising changes the number of
/// characters (a rare phrase conversion or a case mapping such as `İ`), matching falls back to a
/// per-character comparison of the lower-cased text, so positions stay exact.
pub fn find_all(text: &str, query: &str) -> Vec<Range<usize>> {
    if query.is_empty() {
        return Vec::new();
    }
    let normalized = normalize(text);
    let chars: Vec<char> = if normalized.chars().count() == text.chars().count() {
        normalized.chars().collect()
    } else {
        text.chars()
            .map(|c| c.to_lowercase().next().unwrap_or(c))
            .collect()
    };
    let needle: Vec<char> = query.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i + needle.len() <= chars.len() {
        if chars[i..i + needle.len()] == needle[..] {
            found.push(i..i + needle.len());
            i += needle.len();
        } else {
            i += 1;
        }
    }
    found
}
