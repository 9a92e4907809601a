//! Alignment and term analysis of two articles, independent of any UI.

use crate::article::{Article, Body};

/// The comparison of two articles (A and B).
#[derive(Clone, Debug, Default)]
pub struct Comparison {}

/// Compares two articles.
pub fn compare(a: &Article, a_body: &Body, b: &Article, b_body: &Body) -> Comparison {
    let _ = (a, a_body, b, b_body);
    todo!("issue #5")
}
