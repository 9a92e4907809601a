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
    // The comparison view (issue #5) will draw over `areas.main` here when its layer is on top,
    // instead of the three panes below.
    if let Some(rect) = areas.list {
        panes::list::draw(frame, app, rect);
    }
    if let Some(rect) = areas.body {
        panes::body::draw(frame, app, rect);
    }
    if let Some(rect) = areas.meta {
        panes::meta::draw(frame, app, rect);
    }
    panes::status::draw(frame, app, areas.status);
    match app.overlay() {
        Some(Overlay::Help { .. }) => panes::help::draw(frame, app, areas.main),
        Some(Overlay::Problems { .. }) => panes::problems::draw(frame, app, areas.main),
        Some(Overlay::Links { .. }) => panes::links::draw(frame, app, areas.main),
        None => {}
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
