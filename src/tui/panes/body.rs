//! The body: the shown article through the renderer, scrolled, find matches highlighted, with
//! its position (lines and percent) on the bottom border.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pane_block, percent, position_title};
use crate::tui::app::App;
use crate::tui::layout::Pane;

/// Draws the body into `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let focused = app.focus() == Pane::Body && app.overlay().is_none();
    let title = match app.shown_article() {
        Some(a) => match &a.outlet {
            Some(outlet) => format!(" {outlet} "),
            None => " Article ".to_string(),
        },
        None => " Article ".to_string(),
    };
    let mut block = pane_block(theme, title, focused);
    let height = area.height.saturating_sub(2) as usize;
    if let Some(rendered) = app.rendered() {
        let total = rendered.lines.len();
        let top = app.body_scroll();
        let last = (top + height).min(total);
        let position = format!(
            "{}-{}/{} {}",
            (top + 1).min(total),
            last,
            total,
            percent(top, height, total)
        );
        block = block.title_bottom(position_title(theme, position));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let text_area = inner.inner(Margin::new(1, 0));
    if text_area.is_empty() {
        return;
    }
    let Some(shown) = app.shown.as_ref() else {
        let text = if app.comparing() {
            // A large body is let go while the comparison is computed (see `release_shown`).
            "Comparing…"
        } else if app.progress().is_some() {
            "loading…"
        } else {
            "no article selected"
        };
        frame.render_widget(Paragraph::new(text).style(theme.meta_dim), text_area);
        return;
    };
    let Some(loaded) = &shown.body else {
        // A large article is still being read and parsed off the UI thread.
        frame.render_widget(Paragraph::new("Loading…").style(theme.meta_dim), text_area);
        return;
    };
    if let Err(reason) = loaded {
        let path = app
            .shown_article()
            .map(|a| a.path().display().to_string())
            .unwrap_or_default();
        let text = crate::sanitize::clean_line(&format!("cannot read {path}: {reason}"));
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.error)
                .wrap(ratatui::widgets::Wrap { trim: false }),
            text_area,
        );
        return;
    }
    let Some(rendered) = app.rendered() else {
        return;
    };
    let top = app.body_scroll();
    let find = app.find();
    let lines: Vec<Line> = rendered
        .lines
        .iter()
        .enumerate()
        .skip(top)
        .take(text_area.height as usize)
        .map(|(index, line)| {
            let Some(find) = find else {
                return borrowed(line);
            };
            let ranges: Vec<(Range<usize>, Style)> = find
                .matches
                .iter()
                .enumerate()
                .filter(|(_, (l, _))| *l == index)
                .map(|(i, (_, r))| {
                    let style = if i == find.current {
                        theme.find_current
                    } else {
                        theme.find_match
                    };
                    (r.clone(), style)
                })
                .collect();
            if ranges.is_empty() {
                borrowed(line)
            } else {
                highlight(line, &ranges)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), text_area);
}

/// A line that borrows the rendered text: drawing a frame copies no strings.
fn borrowed<'a>(line: &'a Line<'_>) -> Line<'a> {
    let mut out = Line::from(
        line.spans
            .iter()
            .map(|s| Span::styled(s.content.as_ref(), s.style))
            .collect::<Vec<_>>(),
    )
    .style(line.style);
    out.alignment = line.alignment;
    out
}

/// Splits the spans of `line` so that each char range in `ranges` (sorted, disjoint) gets its
/// style patched over the span's own.
pub fn highlight(line: &Line<'_>, ranges: &[(Range<usize>, Style)]) -> Line<'static> {
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut pos = 0; // char index at the start of the current span
    for span in &line.spans {
        let chars: Vec<char> = span.content.chars().collect();
        let mut start = 0;
        while start < chars.len() {
            let at = pos + start;
            // The range covering `at`, or the next one to start inside this span.
            let covering = ranges.iter().find(|(r, _)| r.start <= at && at < r.end);
            let (end, style) = match covering {
                Some((r, style)) => ((r.end - pos).min(chars.len()), span.style.patch(*style)),
                None => {
                    let next = ranges
                        .iter()
                        .map(|(r, _)| r.start)
                        .filter(|&s| s > at)
                        .min()
                        .map_or(chars.len(), |s| (s - pos).min(chars.len()));
                    (next, span.style)
                }
            };
            out.push(Span::styled(
                chars[start..end].iter().collect::<String>(),
                style,
            ));
            start = end;
        }
        pos += chars.len();
    }
    let mut highlighted = Line::from(out).style(line.style);
    highlighted.alignment = line.alignment;
    highlighted
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Modifier, Stylize};

    #[test]
    fn highlight_splits_spans_at_match_edges() {
        let line = Line::from(vec![Span::raw("美國氣候"), "特使克裡".bold()]);
        let mark = Style::new().add_modifier(Modifier::UNDERLINED);
        let out = highlight(&line, &[(3..6, mark)]);
        let parts: Vec<(&str, Style)> = out
            .spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style))
            .collect();
        assert_eq!(
            parts,
            [
                ("美國氣", Style::new()),
                ("候", mark),
                (
                    "特使",
                    Style::new().bold().add_modifier(Modifier::UNDERLINED)
                ),
                ("克裡", Style::new().bold()),
            ]
        );
    }

    #[test]
    fn highlight_keeps_text_and_alignment() {
        let line = Line::from("abcabc").centered();
        let mark = Style::new().add_modifier(Modifier::REVERSED);
        let out = highlight(&line, &[(0..3, mark), (3..6, mark)]);
        assert_eq!(out.to_string(), "abcabc");
        assert_eq!(out.alignment, Some(ratatui::layout::Alignment::Center));
        assert_eq!(out.spans.len(), 2);
    }
}
