//! Search: the query language shared by `/`, `reader search` and saved filters, the analyzer
//! that folds scripts and splits CJK into bigrams, and the full-text index.
//!
//! Invariant: [`normalize`] (or the analyzer, which applies it) is applied to both sides of
//! every comparison, so Traditional and Simplified, upper and lower case meet.

pub mod query;

pub use query::{DayRange, Flags, Query, QueryError, parse, parse_day};

use crate::compare::script::{Script, convert_phrases};

/// Simplified script, lower case: the form in which all text is compared.
pub fn normalize(text: &str) -> String {
    convert_phrases(text, Script::Simplified).to_lowercase()
}
