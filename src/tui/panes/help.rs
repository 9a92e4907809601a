//! The help overlay, generated from the keymap table: every layer, every action with its keys
//! and description. Nothing here is written by hand, so it cannot drift from dispatch.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Padding, Paragraph};

use super::{fit, pane_block, percent, position_title, styled};
use crate::tui::app::{App, Overlay};
use crate::tui::keymap::Layer;
use crate::tui::layout::centered;

/// Width of the keys column.
const KEYS: usize = 24;

/// The help text, one line per binding under a heading per layer.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut out = Vec::new();
    for layer in Layer::ALL {
        let bindings = app.keymap.bindings(layer);
        if bindings.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::default());
        }
        out.push(Line::from(styled(layer.title(), theme.help_heading)));
        for binding in bindings {
            let keys = binding
                .keys
                .iter()
                .map(|k| k.display(theme.ascii))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Line::from(vec![
                styled(fit(&keys, KEYS, theme.ellipsis), theme.help_key),
                Span::raw(" "),
                Span::raw(binding.action.description()),
            ]));
        }
    }
    out.push(Line::default());
    out.push(Line::from(styled("Search queries (/)", theme.help_heading)));
    for (syntax, meaning) in QUERY_HELP {
        out.push(Line::from(vec![
            styled(fit(syntax, KEYS, theme.ellipsis), theme.help_key),
            Span::raw(" "),
            Span::raw(meaning.to_string()),
        ]));
    }
    out
}

/// The query language in brief (see `crate::search::query`).
const QUERY_HELP: [(&str, &str); 10] = [
    ("kerry 气候", "every word (bodies too, once indexed)"),
    ("\"climate envoy\"", "the words together, in order"),
    ("-word  -\"a phrase\"", "must not occur"),
    ("outlet:dw", "the outlet by any name, either script"),
    ("author:洪沙  tag:气候", "byline contains; a tag equals"),
    (
        "on:2020-07-09  on:7月9日",
        "that day (or on:2020-07, a month)",
    ),
    ("after:DATE  before:DATE", "on or after / on or before"),
    ("is:unread  is:read", "read state"),
    ("is:starred", "starred reports"),
    ("dates", "2020/7/9 20200709 2020年7月9日 9 July 2020 July 9"),
];

/// Draws the help overlay over `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(Overlay::Help { scroll }) = app.overlay() else {
        return;
    };
    let lines = lines(app);
    let rect = centered(area, 74, lines.len() as u16 + 2);
    let height = rect.height.saturating_sub(2) as usize;
    let top = (*scroll).min(lines.len().saturating_sub(height));
    let block = pane_block(&app.theme, " Keys ", true)
        .title_bottom(position_title(
            &app.theme,
            percent(top, height, lines.len()),
        ))
        .padding(Padding::horizontal(1));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let shown: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
