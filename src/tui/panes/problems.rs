//! The problems overlay: each file that failed to load (or loaded with a warning), with its
//! reason, wrapped at spaces to the overlay's width (paths, having none, are cut anywhere).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{pane_block, position_title, styled, wrap_words};
use crate::library::Severity;
use crate::sanitize::clean_line;
use crate::tui::app::{App, Overlay};
use crate::tui::layout::centered;

/// Draws the problems overlay over `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(Overlay::Problems { scroll }) = app.overlay() else {
        return;
    };
    let theme = &app.theme;
    let problems = app.problems();
    let rect = centered(area, 100, area.height);
    let title = format!(
        " {} failed, {} warnings ",
        app.failed_count(),
        problems.len() - app.failed_count()
    );
    let first = (*scroll).min(problems.len().saturating_sub(1));
    let block = pane_block(theme, title, true).title_bottom(position_title(
        theme,
        format!("{}/{}", first + 1, problems.len()),
    ));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let width = inner.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for problem in problems.iter().skip(first) {
        if lines.len() >= inner.height as usize {
            break;
        }
        let (tag, style) = match problem.severity {
            Severity::Error => ("error ", theme.error),
            Severity::Warning => ("warn  ", theme.warning),
        };
        let text = format!(
            "{}: {}",
            clean_line(&problem.path.display().to_string()),
            clean_line(&problem.reason)
        );
        for (i, piece) in wrap_words(&text, width.saturating_sub(6))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                styled(tag, style)
            } else {
                Span::raw("      ")
            };
            lines.push(Line::from(vec![Span::raw(" "), lead, Span::raw(piece)]));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
