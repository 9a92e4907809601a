//! One file per pane or overlay. Each draws from [`App`](super::app::App) state only and never
//! changes it; text is measured in display columns (CJK = 2) everywhere.

use ratatui::layout::Alignment;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};
use unicode_width::UnicodeWidthChar;

use super::theme::Theme;

pub mod body;
pub mod compare;
pub mod help;
pub mod ledger;
pub mod links;
pub mod list;
pub mod meta;
pub mod problems;
pub mod status;
pub mod stories;

/// Display width of one character; control characters (which never reach here) count 0.
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

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

/// Breaks `s` into pieces of at most `width` columns, anywhere (URLs and paths have no spaces
/// worth waiting for); at least one piece.
pub fn wrap_chars(s: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > width {
            lines.push(String::new());
            used = 0;
        }
        used += w;
        lines.last_mut().expect("never empty").push(c);
    }
    lines
}

/// Breaks `s` into lines of at most `width` columns at spaces, and inside words (URLs, paths,
/// CJK runs) only where a word is longer than a line; at least one line.
pub fn wrap_words(s: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines: Vec<String> = vec![String::new()];
    for word in s.split(' ') {
        let line = lines.last_mut().expect("never empty");
        let used = text_width(line);
        let need = text_width(word) + usize::from(used > 0);
        if used + need <= width {
            if used > 0 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if text_width(word) <= width {
            lines.push(word.to_string());
            continue;
        }
        // A word longer than a line starts a line of its own and is broken by characters.
        if used == 0 {
            lines.pop();
        }
        let pieces = wrap_chars(word, width);
        lines.extend(pieces);
    }
    lines
}

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
    fn wrap_chars_never_exceeds_the_width() {
        let pieces = wrap_chars("https://例子.com/一二三四五", 8);
        assert!(pieces.iter().all(|p| text_width(p) <= 8), "{pieces:?}");
        assert_eq!(pieces.concat(), "https://例子.com/一二三四五");
        assert_eq!(wrap_chars("", 5), [""]);
    }

    #[test]
    fn wrap_words_prefers_spaces_and_breaks_long_words() {
        assert_eq!(
            wrap_words("1357 characters, 17 words", 24),
            ["1357 characters, 17", "words"]
        );
        assert_eq!(
            wrap_words("see https://example.com/a/very/long/path", 16),
            ["see", "https://example.", "com/a/very/long/", "path"]
        );
        assert_eq!(
            wrap_words("新媒体, 观察者网, 头条", 12),
            ["新媒体,", "观察者网,", "头条"]
        );
        for text in [
            "a bb ccc dddd",
            "https://例子.com/一二三 四五六七八九十",
            "",
        ] {
            for width in 2..20 {
                for line in wrap_words(text, width) {
                    assert!(text_width(&line) <= width, "{line:?} > {width}");
                }
            }
        }
    }

    #[test]
    fn percent_reads_like_a_pager() {
        assert_eq!(percent(0, 10, 5), "All");
        assert_eq!(percent(0, 10, 30), "0%");
        assert_eq!(percent(10, 10, 30), "50%");
        assert_eq!(percent(25, 10, 30), "100%");
    }
}
