//! The comparison's ledger (`l`): terms both articles mention, those only A or only B does, and
//! the timeline of dates mentioned and publication times, each marked with its side. The lines
//! come from [`CompareView::ledger_lines`]; this only scrolls and frames them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use super::{pane_block, percent, position_title};
use crate::tui::app::App;
use crate::tui::compare_view::{CompareView, Geometry};

/// Draws the ledger into `rect`.
pub fn draw(frame: &mut Frame, app: &App, view: &CompareView, rect: Rect) {
    if rect.is_empty() {
        return;
    }
    let theme = &app.theme;
    let lines = view.ledger_lines();
    let area = Geometry::text_area(rect);
    let rows = area.height as usize;
    let top = view.ledger_scroll();
    let block = pane_block(
        theme,
        " Ledger · terms and timeline ",
        app.overlay().is_none(),
    )
    .title_bottom(position_title(theme, percent(top, rows, lines.len())));
    frame.render_widget(block, rect);
    if area.is_empty() {
        return;
    }
    let shown: Vec<_> = lines.iter().skip(top).take(rows).cloned().collect();
    frame.render_widget(Paragraph::new(shown), area);
}
