//! One file per pane or overlay. Each draws from [`App`](super::app::App) state only and never
//! changes it; text is measured in display columns (CJK = 2) everywhere.

use ratatui::layout::Alignment;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::theme::Theme;

pub mod body;
pub mod compare;
pub mod help;
pub mod ledger;
pub mod links;
pub mod list;
pub mod meta;
pub mod outlets;
pub mod problems;
pub mod status;
pub mod stories;

/// Display width of a string, by grapheme cluster ([`crate::columns::width`]).
pub fn text_width(s: &str) -> usize {
    crate::columns::width(s)
}

/// `s` cut to at most `width` columns at a grapheme-cluster boundary, ending with `ellipsis`
/// when cut ([`crate::columns::truncate`]).
pub fn truncate(s: &str, width: usize, ellipsis: &str) -> String {
    crate::columns::truncate(s, width, ellipsis)
}

/// `s` cut or padded with spaces to exactly `width` columns.
pub fn fit(s: &str, width: usize, ellipsis: &str) -> String {
    let mut out = truncate(s, width, ellipsis);
    let w = text_width(&out);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// Lines of at most `width` columns, broken at spaces first: the renderer's wrapper
/// ([`crate::render::wrap::wrap_words`]).
pub use crate::render::wrap::wrap_words;

/// The bordered block every pane sits in; the focused one stands out (colour, or bold).
pub fn pane_block<'a>(theme: &Theme, title: impl Into<Line<'a>>, focused: bool) -> Block<'a> {
    let (border, title_style) = if focused {
        (theme.border_focused, theme.title_focused)
    } else {
        (theme.border, theme.title)
    };
    Block::new()
        .borders(Borders::ALL)
        .border_set(theme.border_set)
        .border_style(border)
        .title(title.into().style(title_style))
}

/// A right-aligned position note for a block's bottom border.
pub fn position_title(theme: &Theme, text: String) -> Line<'static> {
    Line::from(Span::styled(format!(" {text} "), theme.position)).alignment(Alignment::Right)
}

/// A percentage position for a view of `height` rows at `top` in `total` rows.
pub fn percent(top: usize, height: usize, total: usize) -> String {
    if total <= height {
        "All".to_string()
    } else {
        let max = total - height;
        format!("{}%", top.min(max) * 100 / max)
    }
}

/// A span with the style, for brevity.
pub fn styled(text: impl Into<String>, style: Style) -> Span<'static> {
    Span::styled(text.into(), style)
}

/// `spans` with `style` patched over each one's own style: a selected row's highlight fills the
/// row in any theme while the spans keep what the highlight does not set.
pub fn highlight(spans: Vec<Span<'static>>, style: Style) -> Vec<Span<'static>> {
    spans
        .into_iter()
        .map(|s| {
            let patched = s.style.patch(style);
            s.style(patched)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_counts_display_columns() {
        assert_eq!(truncate("美國氣候特使", 7, "…"), "美國氣…");
        assert_eq!(text_width(&truncate("美國氣候特使", 7, "…")), 7);
        assert_eq!(truncate("美國氣候特使", 12, "…"), "美國氣候特使");
        assert_eq!(truncate("abcdef", 4, "…"), "abc…");
        assert_eq!(truncate("美國", 1, "…"), "…");
        assert_eq!(truncate("美國", 0, "…"), "");
        // A wide character that does not fit whole is left out, not split.
        assert_eq!(truncate("a美國", 3, "…"), "a…");
    }

    #[test]
    fn fit_pads_to_the_width() {
        assert_eq!(fit("德國之聲", 10, "…"), "德國之聲  ");
        assert_eq!(fit("德國之聲", 5, "…"), "德國…");
        assert_eq!(text_width(&fit("德國之聲", 6, "…")), 6);
    }

    #[test]
    fn percent_reads_like_a_pager() {
        assert_eq!(percent(0, 10, 5), "All");
        assert_eq!(percent(0, 10, 30), "0%");
        assert_eq!(percent(10, 10, 30), "50%");
        assert_eq!(percent(25, 10, 30), "100%");
    }
}
