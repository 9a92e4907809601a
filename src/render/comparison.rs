//! A comparison's paragraphs as styled lines for one column: the one rendering behind both
//! `reader compare` ([`crate::commands::compare`]) and the TUI's comparison view
//! ([`crate::tui::compare_view`]), so the two shells show the same text, wrapping and marks.

use ratatui::style::{Modifier, Style};
use ratatui::text::Line;

use super::marks::{MarkStyles, fit, mark_text_terms};
use super::wrap::wrap_text;
use super::{RenderOptions, render_html};
use crate::compare::{self, Comparison, Script, Side};

/// The label above a paragraph: `A¶3`, with its cross-references (`A¶1  ↔ B¶14`).
pub fn paragraph_label(c: &Comparison, side: Side, index: usize) -> String {
    let mut label = format!("{}¶{}", side.letter(), index + 1);
    for other in c.cross_refs_of(side, index) {
        label.push_str(&format!("  ↔ {}¶{}", side.other().letter(), other + 1));
    }
    label
}

/// One paragraph of the comparison drawn for a column `width` wide: the renderer's lines for its
/// HTML in `script` (converted only when asked), blank lines trimmed, terms styled with `marks`
/// (none when `None`), then the paragraph's links as `[n] url` lines (the renderer numbers each
/// paragraph's links from 1). No line is wider than `width`; nothing unsafe is in the text.
///
/// This is what `reader compare` prints in each column and what a comparison pane can draw.
pub fn paragraph_lines(
    c: &Comparison,
    side: Side,
    index: usize,
    width: u16,
    script: Script,
    options: &RenderOptions,
    marks: Option<&MarkStyles>,
) -> Vec<Line<'static>> {
    let p = &c.column(side).paragraphs[index];
    let w = width.max(1);
    let html = compare::script::convert(&p.html, script);
    let rendered = render_html(&html, w, options);
    let (text, text_marks) = p.display(script);
    let mut body: Vec<Line<'static>> = if rendered.lines.iter().all(|l| l.width() == 0) {
        wrap_text(&text, w as usize)
            .into_iter()
            .map(Line::from)
            .collect()
    } else {
        rendered.lines
    };
    if let Some(styles) = marks {
        mark_text_terms(&mut body, &text, &text_marks, styles);
    }
    // One drain, not a remove per blank line (each of which moves the whole rest).
    let blank = body.iter().take_while(|l| l.width() == 0).count();
    body.drain(..blank);
    while body.last().is_some_and(|l| l.width() == 0) {
        body.pop();
    }
    let dim = Style::new().add_modifier(Modifier::DIM);
    for link in &rendered.links {
        let text = format!("[{}] {}", link.number, link.url);
        body.extend(
            wrap_text(&text, w as usize)
                .into_iter()
                .map(|l| Line::styled(l, dim)),
        );
    }
    body.into_iter().map(|l| fit(l, w as usize)).collect()
}
