//! Article HTML to styled, wrapped, sanitised lines for a given width. Pure: no terminal I/O.
//!
//! Invariants every caller may rely on: no line is wider than the width in display columns
//! (CJK counts 2), and no span contains a control character or bidi override.

use ratatui::text::Line;

use crate::article::{Article, Body};

/// What the renderer needs besides the HTML.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Draw styles with colour; when false only modifiers (bold, underline, reverse) are used.
    pub color: bool,
}

/// A link as numbered in the rendered text (`[1]`) and listed in the closing Links section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberedLink {
    /// The number shown after the link text, from 1.
    pub number: usize,
    /// The link text (one line, sanitised).
    pub text: String,
    /// The URL, percent-decoded for display and sanitised.
    pub url: String,
}

/// The result of rendering: lines ready to draw, and the links they number.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// Styled lines, each at most `width` display columns.
    pub lines: Vec<Line<'static>>,
    /// The links, in the order of their numbers.
    pub links: Vec<NumberedLink>,
}

/// Renders a whole article: title heading, then the body, then the Links section.
pub fn render_article(
    article: &Article,
    body: &Body,
    width: u16,
    options: &RenderOptions,
) -> Rendered {
    let _ = (article, body, width, options);
    todo!("issue #3")
}

/// Renders an HTML fragment (e.g. one paragraph in the comparison view) without title or Links
/// section.
pub fn render_html(html: &str, width: u16, options: &RenderOptions) -> Rendered {
    let _ = (html, width, options);
    todo!("issue #3")
}
