//! Term marks shared by `reader compare` and the TUI's comparison view.
//!
//! [`mark_text_terms`] styles a paragraph's term occurrences ([`crate::compare::Mark`]) in lines
//! already rendered by [`crate::render::render_html`], so both views keep the renderer's wrapping
//! and safety and only add the styles. One-line text (titles, ledger items) is wrapped by
//! [`crate::render::wrap::wrap_text`], the renderer's own wrapper.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::compare;

/// How term marks look: without colour, underline for terms both articles have and bold for
/// terms only one has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkStyles {
    /// Terms found on both sides.
    pub shared: Style,
    /// Terms found on one side only.
    pub one_side: Style,
}

impl Default for MarkStyles {
    fn default() -> MarkStyles {
        MarkStyles {
            shared: Style::new().add_modifier(Modifier::UNDERLINED),
            one_side: Style::new().add_modifier(Modifier::BOLD),
        }
    }
}

/// Styles the terms of `paragraph` in its rendered `lines` (from
/// [`crate::render::render_html`] of `paragraph.html`, or of its text converted with
/// [`crate::compare::script::convert`] — pass a paragraph whose `text` and `marks` are in the
/// drawn script, see [`crate::compare::Paragraph::display`]).
///
/// Marks are found in reading order in the lines' text; a term the wrapping split across two
/// lines is styled on both. Rendered additions such as link numbers are skipped over.
pub fn mark_terms(
    lines: &mut [Line<'static>],
    paragraph: &compare::Paragraph,
    styles: &MarkStyles,
) {
    mark_text_terms(lines, &paragraph.text, &paragraph.marks, styles);
}

/// [`mark_terms`] for a text and marks given apart (e.g. from `Paragraph::display`).
pub fn mark_text_terms(
    lines: &mut [Line<'static>],
    text: &str,
    marks: &[compare::Mark],
    styles: &MarkStyles,
) {
    // The lines' characters with their (line, span, char) positions, white space left out, so
    // the text matches across wrapping.
    let mut chars: Vec<(char, usize, usize, usize)> = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        for (si, span) in line.spans.iter().enumerate() {
            for (ci, c) in span.content.chars().enumerate() {
                if !c.is_whitespace() {
                    chars.push((c, li, si, ci));
                }
            }
        }
    }
    let mut from = 0;
    let mut hits: Vec<(usize, usize, usize, Style)> = Vec::new();
    for m in marks {
        let needle: Vec<char> = text[m.range.clone()]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if needle.is_empty() {
            continue;
        }
        let Some(at) = (from..chars.len().saturating_sub(needle.len() - 1))
            .find(|&i| needle.iter().enumerate().all(|(k, &c)| chars[i + k].0 == c))
        else {
            continue;
        };
        let style = if m.presence.shared() {
            styles.shared
        } else {
            styles.one_side
        };
        let mut last: Option<(usize, usize, usize)> = None;
        for &(_, li, si, ci) in &chars[at..at + needle.len()] {
            // The spaces inside a term on one line ("Harbor City") are styled with it, so an
            // underline does not break between its words.
            if let Some((l, s, c)) = last
                && (l, s) == (li, si)
            {
                for gap in c + 1..ci {
                    hits.push((li, si, gap, style));
                }
            }
            hits.push((li, si, ci, style));
            last = Some((li, si, ci));
        }
        from = at + needle.len();
    }
    if hits.is_empty() {
        return;
    }
    hits.sort_by_key(|h| (h.0, h.1, h.2));
    let mut h = hits.into_iter().peekable();
    for (li, line) in lines.iter_mut().enumerate() {
        if h.peek().is_none_or(|x| x.0 != li) {
            continue;
        }
        let mut spans = Vec::new();
        for (si, span) in std::mem::take(&mut line.spans).into_iter().enumerate() {
            if h.peek().is_none_or(|x| (x.0, x.1) != (li, si)) {
                spans.push(span);
                continue;
            }
            // Split the span into runs of equal style.
            let mut run = String::new();
            let mut run_style = span.style;
            for (ci, c) in span.content.chars().enumerate() {
                let style = match h.peek() {
                    Some(&(l, s, k, st)) if (l, s, k) == (li, si, ci) => {
                        h.next();
                        span.style.patch(st)
                    }
                    _ => span.style,
                };
                if style != run_style && !run.is_empty() {
                    spans.push(Span::styled(std::mem::take(&mut run), run_style));
                }
                run_style = style;
                run.push(c);
            }
            if !run.is_empty() {
                spans.push(Span::styled(run, run_style));
            }
        }
        line.spans = spans;
    }
}

/// Cuts a line to `width` display columns, keeping styles: a safety net at tiny widths (the
/// renderer and [`crate::render::wrap::wrap_text`] already keep to the width).
pub fn fit(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut used = 0;
    let mut spans = Vec::new();
    for span in line.spans {
        let (s, w) = crate::columns::prefix(&span.content, width - used);
        used += w;
        spans.push(Span::styled(s.to_string(), span.style));
        if used >= width {
            break;
        }
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{Mark, Presence};

    #[test]
    fn fit_cuts_by_display_columns_and_keeps_styles() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let line = Line::from(vec![Span::raw("ab"), Span::styled("克里說", bold)]);
        let cut = fit(line, 5);
        // 克 fits (columns 3-4); 里 would need columns 5-6, so it is left out whole.
        assert_eq!(cut.width(), 4);
        assert_eq!(cut.spans[1].content, "克");
        assert_eq!(cut.spans[1].style, bold);
        let short = Line::from("ok");
        assert_eq!(fit(short.clone(), 5), short);
    }

    fn spans(lines: &[Line<'_>]) -> Vec<(String, bool)> {
        lines
            .iter()
            .flat_map(|l| l.spans.iter())
            .map(|s| {
                (
                    s.content.to_string(),
                    s.style.add_modifier.contains(Modifier::UNDERLINED),
                )
            })
            .collect()
    }

    #[test]
    fn spaces_inside_a_term_are_styled_with_it_but_not_across_lines() {
        let text = "Harbor City council voted";
        let marks = [Mark {
            range: 0..11,
            term: 0,
            presence: Presence::Both,
        }];
        let mut one = vec![Line::from(text)];
        mark_text_terms(&mut one, text, &marks, &MarkStyles::default());
        assert_eq!(
            spans(&one),
            [
                ("Harbor City".to_string(), true),
                (" council voted".to_string(), false)
            ]
        );
        let mut two = vec![Line::from("Harbor"), Line::from("City council voted")];
        mark_text_terms(&mut two, text, &marks, &MarkStyles::default());
        assert_eq!(
            spans(&two),
            [
                ("Harbor".to_string(), true),
                ("City".to_string(), true),
                (" council voted".to_string(), false)
            ]
        );
    }
}
