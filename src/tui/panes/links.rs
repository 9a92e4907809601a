//! The links overlay: the shown article's numbered links; `Enter` copies the selected URL.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Padding, Paragraph};

use super::{fit, highlight, pane_block, position_title, styled, text_width, truncate};
use crate::tui::app::{App, Overlay};
use crate::tui::layout::centered;

/// Draws the links overlay over `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(Overlay::Links { selected, offset }) = app.overlay() else {
        return;
    };
    let Some(rendered) = app.rendered() else {
        return;
    };
    let theme = &app.theme;
    let links = &rendered.links;
    let rect = centered(area, 112, links.len() as u16 + 2);
    let block = pane_block(theme, " Links ", true)
        .title_bottom(position_title(
            theme,
            format!("{}/{}", selected + 1, links.len()),
        ))
        .padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let width = inner.width as usize;
    let number_width = links.last().map_or(1, |l| l.number.to_string().len()) + 3;
    let text_room = (width.saturating_sub(number_width) * 2 / 5).max(1);
    let rows: Vec<Line> = links
        .iter()
        .enumerate()
        .skip(*offset)
        .take(inner.height as usize)
        .map(|(i, link)| {
            let number = format!(
                "{:>w$} ",
                format!("[{}]", link.number),
                w = number_width - 1
            );
            let text = fit(&link.text, text_room, theme.ellipsis);
            let used = text_width(&number) + text_room + 1;
            let url = fit(
                &truncate(&link.url, width.saturating_sub(used), theme.ellipsis),
                width.saturating_sub(used),
                "",
            );
            let line = Line::from(vec![
                styled(number, theme.help_key),
                Span::raw(text),
                Span::raw(" "),
                styled(url, theme.meta_dim),
            ]);
            if i == *selected {
                Line::from(highlight(line.spans, theme.selected))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), inner);
}
