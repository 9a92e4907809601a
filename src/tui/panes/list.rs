//! The article list: one row per article — comparison mark, unread mark, star, time of day
//! under its day's header (the date for ranked hits), outlet,
//! title cut with an ellipsis by display width — newest first, the selected row highlighted.
//! Each mark is one column wide (see [`crate::tui::theme::Theme::star_mark`]).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, highlight, pane_block, styled, truncate};
use crate::article::Article;
use crate::tui::app::{App, ListRow};
use crate::tui::layout::Pane;

/// Draws the list into `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let focused = app.focus() == Pane::List && app.overlay().is_none();
    let mut title = format!(" Articles {}", app.view().len());
    if app.view().len() != app.listed_count() {
        title.push_str(&format!("/{}", app.listed_count()));
    }
    if let Some(folder) = app.folder_label() {
        title.push_str(&format!(" · {folder}"));
    }
    if !app.filter().is_empty() {
        title.push_str(&format!(" /{}", app.filter()));
    }
    if app.progress().is_some() {
        title.push_str(" loading…");
    }
    title.push(' ');
    let block = pane_block(theme, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return;
    }
    if app.view().is_empty() {
        let text = if app.progress().is_some() {
            "loading…".to_string()
        } else if !app.filter().is_empty() {
            let mut text = if app.index_status() == crate::tui::app::IndexStatus::Ready {
                format!("no report matches “{}”", app.filter())
            } else {
                format!("no title, outlet or author matches “{}”", app.filter())
            };
            if let Some(folder) = app.folder_label() {
                text.push_str(&format!(" in {folder}"));
            }
            text
        } else {
            "no articles".to_string()
        };
        frame.render_widget(
            Paragraph::new(truncate(&text, inner.width as usize, theme.ellipsis))
                .style(theme.meta_dim),
            inner,
        );
        return;
    }
    let width = inner.width as usize;
    // Only the rows on screen are looked at: the list may hold 100,000 reports.
    let days = app.day_rows();
    let rows = (app.list_offset()..app.list_offset() + inner.height as usize)
        .map_while(|r| days.at(r))
        .map(|r| match r {
            ListRow::Header(k) => header(app, k, width),
            ListRow::Item(index) => {
                let id = app.view()[index];
                row(app, id, index == app.selected, focused, width)
            }
        })
        .collect::<Vec<_>>();
    frame.render_widget(Paragraph::new(rows), inner);
}

/// The columns shown at a width: (date, outlet width).
fn columns(width: usize) -> (bool, usize) {
    match width {
        0..24 => (false, 0),
        24..40 => (true, 0),
        40..64 => (true, 8),
        _ => (true, 10),
    }
}

/// A day header: `── 2020-07-09 Thu · 12 ───…` across the row.
fn header(app: &App, k: usize, width: usize) -> Line<'static> {
    let theme = &app.theme;
    let rule = if theme.ascii { "-" } else { "─" };
    let text = format!(
        "{rule}{rule} {} · {} ",
        app.day_label(k),
        app.day_rows().count(k)
    );
    let text = truncate(&text, width, theme.ellipsis);
    let fill = width.saturating_sub(super::text_width(&text));
    Line::from(styled(text + &rule.repeat(fill), theme.day_header))
}

fn row(app: &App, id: u32, selected: bool, focused: bool, width: usize) -> Line<'static> {
    let theme = &app.theme;
    let article: &Article = &app.articles()[id as usize];
    let mut spans: Vec<Span<'static>> = Vec::with_capacity(8);
    // Unstyled blanks where there is no mark: style changes cost bytes on every redraw.
    match app.marked().iter().position(|&m| m == id) {
        Some(0) => spans.push(styled("1", theme.marked)),
        Some(_) => spans.push(styled("2", theme.marked)),
        None => spans.push(Span::raw(" ")),
    }
    if app.is_unread(id) {
        spans.push(styled(theme.unread_mark, theme.unread));
    } else {
        spans.push(Span::raw(" "));
    }
    if app.is_starred(id) {
        spans.push(styled(theme.star_mark, theme.starred));
    } else {
        spans.push(Span::raw(" "));
    }
    spans.push(Span::raw(" "));
    let mut used = 4;
    let (show_date, outlet_width) = columns(width);
    if show_date && app.day_rows().days() > 0 {
        // Under its day's header a row needs only the time (the header has the date).
        spans.push(styled(app.list_time_of_day(id), theme.date));
        used += 6;
    } else if show_date {
        // The label carries its own trailing column: a space, or the archive-time mark.
        spans.push(styled(app.list_date(id), theme.date));
        used += 11;
    }
    if outlet_width > 0 {
        let outlet = article.outlet.as_deref().unwrap_or("");
        spans.push(styled(
            fit(outlet, outlet_width, theme.ellipsis),
            theme.outlet,
        ));
        spans.push(Span::raw(" "));
        used += outlet_width + 1;
    }
    let room = width.saturating_sub(used);
    match app.snippet(id) {
        // A full-text hit: the title, then the matching sentence with the query's words marked.
        Some(snippet) if room >= 24 => {
            let title = truncate(&article.title, room / 2, theme.ellipsis);
            let left = room.saturating_sub(super::text_width(&title) + 3);
            spans.push(styled(title, theme.list_title));
            spans.push(styled(" · ", theme.meta_dim));
            spans.extend(marked(&snippet.text, &snippet.marks, left, app));
        }
        _ => spans.push(styled(
            fit(&article.title, room, theme.ellipsis),
            theme.list_title,
        )),
    }
    let line = Line::from(spans);
    if selected {
        let style = if focused {
            theme.selected
        } else {
            theme.selected_unfocused
        };
        // The row style goes over every span so the highlight fills the row in any theme.
        Line::from(highlight(line.spans, style))
    } else {
        line
    }
}

/// `text` cut to `width` display columns, the char ranges `marks` in the find style.
fn marked(
    text: &str,
    marks: &[std::ops::Range<usize>],
    width: usize,
    app: &App,
) -> Vec<Span<'static>> {
    let theme = &app.theme;
    // When the first match would be cut off, start a little before it.
    let chars: Vec<char> = text.chars().collect();
    let (first, end) = marks
        .first()
        .map_or((0, 0), |r| (r.start, r.end.min(chars.len())));
    let upto = super::text_width(&chars[..end].iter().collect::<String>());
    let skip = if upto > width && first > 2 {
        first - 2
    } else {
        0
    };
    let mut shown: String = chars[skip..].iter().collect();
    if skip > 0 {
        shown.insert_str(0, theme.ellipsis);
    }
    let lead = if skip > 0 {
        theme.ellipsis.chars().count()
    } else {
        0
    };
    let text = truncate(&shown, width, theme.ellipsis);
    let mut out = Vec::new();
    let mut run = String::new();
    let mut in_mark = false;
    for (i, c) in text.chars().enumerate() {
        let at = (i + skip).checked_sub(lead);
        let m = at.is_some_and(|at| i >= lead && marks.iter().any(|r| r.contains(&at)));
        if m != in_mark && !run.is_empty() {
            let style = if in_mark {
                theme.find_match
            } else {
                theme.meta_dim
            };
            out.push(styled(std::mem::take(&mut run), style));
        }
        in_mark = m;
        run.push(c);
    }
    if !run.is_empty() {
        let style = if in_mark {
            theme.find_match
        } else {
            theme.meta_dim
        };
        out.push(styled(run, style));
    }
    out
}
