//! The view: draws the whole screen from the app state, base panes first, then the status bar,
//! then at most one overlay. No state changes here.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use super::app::{App, Overlay};
use super::layout::{MIN_COLS, MIN_ROWS, Mode};
use super::panes;

/// Draws one frame.
pub fn draw(frame: &mut Frame, app: &App) {
    let areas = app.areas();
    if areas.mode == Mode::TooSmall {
        too_small(frame, app, frame.area());
        return;
    }
    // The comparison view (issue #5), when open, takes the main area instead of the panes.
    if app.compare_view().is_some() {
        panes::compare::draw(frame, app, areas.main);
    } else if app.stories_open() {
        panes::stories::draw(frame, app, areas.main);
    } else {
        draw_panes(frame, app, &areas);
    }
    panes::status::draw(frame, app, areas.status);
    match app.overlay() {
        Some(Overlay::Help { .. }) => panes::help::draw(frame, app, areas.main),
        Some(Overlay::Problems { .. }) => panes::problems::draw(frame, app, areas.main),
        Some(Overlay::Links { .. }) => panes::links::draw(frame, app, areas.main),
        Some(Overlay::Outlets { .. }) => panes::outlets::draw(frame, app, areas.main),
        None => {}
    }
    if app.overlay().is_some() {
        repair_cut_wide_chars(frame.buffer_mut());
    }
}

/// Blanks a wide character whose right half an overlay drew over. Otherwise the terminal still
/// shows the whole character, and ratatui's diff skips the cell it covers: the overlay's border
/// (drawn there) would never reach the screen. A widget drawing a wide character leaves the
/// next cell blank, so a non-blank cell after one was drawn later, over it.
fn repair_cut_wide_chars(buffer: &mut ratatui::buffer::Buffer) {
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right().saturating_sub(1) {
            let wide = panes::text_width(buffer[(x, y)].symbol()) > 1;
            if wide && !matches!(buffer[(x + 1, y)].symbol(), " " | "") {
                buffer[(x, y)].set_symbol(" ");
            }
        }
    }
}

fn draw_panes(frame: &mut Frame, app: &App, areas: &super::layout::Areas) {
    if let Some(rect) = areas.list {
        panes::list::draw(frame, app, rect);
    }
    if let Some(rect) = areas.body {
        panes::body::draw(frame, app, rect);
    }
    if let Some(rect) = areas.meta {
        panes::meta::draw(frame, app, rect);
    }
}

fn too_small(frame: &mut Frame, app: &App, area: Rect) {
    let text = format!(
        "terminal too small ({}x{}); needs {MIN_COLS}x{MIN_ROWS}",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(app.theme.error)
            .wrap(Wrap { trim: true }),
        area,
    );
}
