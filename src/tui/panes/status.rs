//! The status bar: position (article i/n, body scroll %), loading progress, the failed-files
//! count, then a message or the key hints of the layer on top (from the keymap); while a search
//! is typed, the prompt with its result count.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{percent, styled, text_width, truncate};
use crate::tui::app::{App, SearchTarget};

/// Draws the status bar into `area` (one row).
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    if area.is_empty() {
        return;
    }
    let line = line(app, area.width as usize);
    frame.render_widget(Paragraph::new(line).style(app.theme.status), area);
}

/// The status bar's content for a width.
pub fn line(app: &App, width: usize) -> Line<'static> {
    let theme = &app.theme;
    if let Some(input) = app.input() {
        let count = match input.target {
            SearchTarget::List => {
                let mut count = format!("  {} of {}", app.view().len(), app.listed_count());
                if app.body_search_pending() {
                    // Bodies are searched once the index is built; titles until then.
                    count.push_str("  titles only: body search pending (indexing)");
                }
                count
            }
            SearchTarget::Body => match app.find() {
                Some(f) if !f.matches.is_empty() => {
                    format!("  {} matches", f.matches.len())
                }
                Some(_) => "  not found".to_string(),
                None => String::new(),
            },
            SearchTarget::Stories => {
                format!(
                    "  {} of {}",
                    app.stories_view().0.len(),
                    app.stories().len()
                )
            }
            SearchTarget::Date => format!("  {}", app.date_preview(&input.text)),
        };
        let cursor = if theme.ascii { "_" } else { "▏" };
        let sigil = if input.target == SearchTarget::Date {
            "date: "
        } else {
            "/"
        };
        let prompt = format!("{sigil}{}{cursor}", input.text);
        // Keep the end of a long query visible.
        let room = width.saturating_sub(text_width(&count));
        let shown = if text_width(&prompt) > room {
            let rev: String = prompt.chars().rev().collect();
            truncate(&rev, room, "").chars().rev().collect()
        } else {
            prompt
        };
        return Line::from(vec![styled(shown, theme.prompt), Span::raw(count)]);
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let total = app.view().len();
    let position = if total == 0 {
        " 0/0 ".to_string()
    } else {
        format!(" {}/{} ", app.selected + 1, total)
    };
    if app.compare_view().is_none()
        && let Some(position) = crate::tui::panes::stories::position(app)
    {
        spans.push(Span::raw(position));
        if let Some(p) = app.grouping_progress() {
            spans.push(styled(format!("{p}… "), theme.status_message));
        }
    } else if let Some(view) = app.compare_view() {
        // The comparison: the paragraphs at the top of each side and the lock state.
        let [a, b] = view.top_paragraphs();
        let at = |p: Option<usize>| p.map_or("–".to_string(), |p| p.to_string());
        let lock = if view.locked { "" } else { " unlocked" };
        spans.push(Span::raw(format!(" A¶{} B¶{}{lock} ", at(a), at(b))));
    } else {
        spans.push(Span::raw(position));
        if app.areas().body.is_some()
            && let Some(rendered) = app.rendered()
        {
            spans.push(Span::raw(format!(
                "{} ",
                percent(app.body_scroll(), app.body_height(), rendered.lines.len())
            )));
        }
    }
    if let Some(progress) = app.progress() {
        let text = match progress.total {
            Some(t) => format!("loading {}/{t} ", progress.done),
            None => format!("loading {} ", progress.done),
        };
        spans.push(Span::raw(text));
    }
    if let crate::tui::app::IndexStatus::Indexing { done, to_index } = app.index_status() {
        spans.push(Span::raw(format!("indexing {done}/{to_index} ")));
        if app.body_search_pending() {
            spans.push(styled("body search pending ", theme.status_message));
        }
    }
    if let Some(work) = app.working() {
        spans.push(styled(format!("{work} "), theme.status_message));
    }
    let failed = app.failed_count();
    if failed > 0 {
        let key = app
            .keymap
            .first_key(app.layer(), crate::tui::action::Action::Problems)
            .or_else(|| {
                app.keymap.first_key(
                    crate::tui::keymap::Layer::Global,
                    crate::tui::action::Action::Problems,
                )
            })
            .map(|k| k.display(theme.ascii))
            .unwrap_or_default();
        spans.push(styled(
            format!(" {failed} failed ({key}) "),
            theme.status_error,
        ));
    }
    spans.push(Span::raw(" "));
    let used: usize = spans.iter().map(|s| text_width(&s.content)).sum();
    let room = width.saturating_sub(used);
    match app.message() {
        Some(message) => {
            let style = if message.error {
                theme.status_error
            } else {
                theme.status_message
            };
            spans.push(styled(truncate(&message.text, room, theme.ellipsis), style));
        }
        None => {
            let mut left = room;
            for (key, label) in app.keymap.hints(app.layer(), theme.ascii) {
                let needed = text_width(&key) + 1 + text_width(label) + 2;
                if needed > left {
                    break;
                }
                left -= needed;
                spans.push(styled(key, theme.status_key));
                spans.push(Span::raw(format!(" {label}  ")));
            }
        }
    }
    Line::from(spans)
}
