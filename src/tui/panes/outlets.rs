//! The outlets overlay (issue #12): "All outlets", the saved filters of the config file (name,
//! query, and an error or note), then each outlet with its report count, most reports first;
//! the folder the list is narrowed to is marked. Names are fitted by display columns, so CJK
//! names line their counts up with Latin ones.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Padding, Paragraph};

use super::{fit, highlight, pane_block, position_title, styled, text_width, truncate};
use crate::tui::app::{App, FolderRow, Overlay};
use crate::tui::layout::centered;

/// Widest the overlay grows (columns, borders included).
const WIDTH: u16 = 72;

/// Draws the outlets overlay over `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(Overlay::Outlets { selected, offset }) = app.overlay() else {
        return;
    };
    let theme = &app.theme;
    let rows = app.folder_rows();
    let rect = centered(area, WIDTH, rows.len() as u16 + 2);
    let block = pane_block(theme, " Outlets ", true)
        .title_bottom(position_title(
            theme,
            format!("{}/{}", selected + 1, rows.len()),
        ))
        .padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let width = inner.width as usize;
    let count_width = rows
        .iter()
        .map(|r| r.count.map_or(1, |c| c.to_string().len()))
        .max()
        .unwrap_or(1);
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(*offset)
        .take(inner.height as usize)
        .map(|(i, row)| {
            let line = folder_line(app, row, width, count_width);
            if i == *selected {
                Line::from(highlight(line.spans, theme.selected))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One row: the mark of the chosen folder, the name (for a saved filter, then its query and
/// note, or its error), the count right-aligned.
fn folder_line(app: &App, row: &FolderRow, width: usize, count_width: usize) -> Line<'static> {
    let theme = &app.theme;
    let mark = if row.folder == app.folder() {
        styled(if theme.ascii { "* " } else { "● " }, theme.marked)
    } else {
        Span::raw("  ")
    };
    let room = width.saturating_sub(2 + 1 + count_width);
    let mut spans = vec![mark];
    match &row.query {
        None => spans.push(Span::raw(fit(&row.label, room, theme.ellipsis))),
        Some(query) => {
            // The name whole when it can be (up to half the room), then the detail.
            let name = truncate(&row.label, (room / 2).max(1), theme.ellipsis);
            let used = text_width(&name);
            spans.push(styled(name, theme.help_key));
            let rest = room.saturating_sub(used);
            let (detail, style) = match (&row.note, row.error) {
                (Some(e), true) => (format!("  {e}"), theme.error),
                (Some(n), false) => (format!("  {query} · {n}"), theme.meta_dim),
                (None, _) => (format!("  {query}"), theme.meta_dim),
            };
            spans.push(styled(fit(&detail, rest, theme.ellipsis), style));
        }
    }
    let count = row.count.map_or_else(|| "–".to_string(), |c| c.to_string());
    spans.push(Span::raw(" "));
    spans.push(styled(format!("{count:>count_width$}"), theme.meta_dim));
    Line::from(spans)
}
