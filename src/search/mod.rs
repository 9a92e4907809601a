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

use std::borrow::Cow;
use std::ops::Range;

use crate::compare::script::{Script, convert_phrases};

/// `article`'s title and author [`normalize`]d: what the article carries
/// ([`crate::article::Meta::folded`], from the metadata cache) while its title and author
/// are the ones it was folded from, else folded now.
pub fn folded(article: &crate::article::Article) -> (Cow<'_, str>, Option<Cow<'_, str>>) {
    let author = article.author.as_deref();
    match &article.meta.folded {
        Some(f) if f.of == crate::article::Folded::source(&article.title, author) => (
            Cow::Borrowed(f.title.as_str()),
            f.author.as_deref().map(Cow::Borrowed),
        ),
        _ => (
            Cow::Owned(normalize(&article.title)),
            author.map(|a| Cow::Owned(normalize(a))),
        ),
    }
}

/// The [`crate::article::Folded`] of `article` (see [`folded`]).
pub fn fold(article: &crate::article::Article) -> crate::article::Folded {
    let (title, author) = folded(article);
    crate::article::Folded {
        of: crate::article::Folded::source(&article.title, article.author.as_deref()),
        title: title.into_owned(),
        author: author.map(Cow::into_owned),
    }
}

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
