//! The side-by-side comparison (issue #5): the gap sentence on top, then two columns (A left,
//! B right; A above B below 60 columns), each headed by outlet and publication time (border)
//! and title, showing the aligned paragraphs from [`CompareView`]. Draws state only.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pane_block, percent, position_title, styled, truncate};
use crate::compare::{Script, Side};
use crate::tui::app::App;
use crate::tui::compare_view::{CompareView, Geometry};

/// Draws the comparison over `area` (the main area above the status bar).
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(view) = app.compare_view() else {
        return;
    };
    let g = Geometry::new(area);
    if !g.gap.is_empty() {
        frame.render_widget(Paragraph::new(gap_line(app, view, g.gap.width)), g.gap);
    }
    if view.ledger {
        super::ledger::draw(frame, app, view, g.ledger);
        return;
    }
    for side in [Side::A, Side::B] {
        column(frame, app, view, side, g.columns[side_index(side)]);
    }
}

fn side_index(side: Side) -> usize {
    match side {
        Side::A => 0,
        Side::B => 1,
    }
}

/// ` 德國之聲 published 55 days after 观察者网 · 繁體 · unlocked`
fn gap_line(app: &App, view: &CompareView, width: u16) -> Line<'static> {
    let theme = &app.theme;
    let mut notes: Vec<&str> = Vec::new();
    if view.script != Script::Original {
        notes.push(view.script.label());
    }
    if !view.locked {
        notes.push("scrolling unlocked");
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" · {}", notes.join(" · "))
    };
    let room = (width as usize).saturating_sub(1 + super::text_width(&notes));
    let gap = truncate(&view.comparison.gap, room, theme.ellipsis);
    let notes = truncate(
        &notes,
        (width as usize).saturating_sub(1 + super::text_width(&gap)),
        "",
    );
    Line::from(vec![
        Span::raw(" "),
        styled(gap, theme.gap),
        styled(notes, theme.para_label),
    ])
}

/// The border title: `A 观察者网 · 2022-09-01 18:21 +08:00`.
fn heading(app: &App, view: &CompareView, side: Side) -> String {
    let h = &view.comparison.column(side).header;
    let when = h.label_in(&app.config.clock.tz, "%Y-%m-%d %H:%M %:z");
    format!(" {} {} · {when} ", side.letter(), h.outlet)
}

fn column(frame: &mut Frame, app: &App, view: &CompareView, side: Side, rect: Rect) {
    if rect.is_empty() {
        return;
    }
    let theme = &app.theme;
    let focused = view.focus == side && app.overlay().is_none();
    let title = truncate(
        &heading(app, view, side),
        rect.width.saturating_sub(2) as usize,
        theme.ellipsis,
    );
    let rows = view.body_rows();
    let (top, total) = view.position(side);
    let mut note = percent(top, rows, total);
    if let Some(p) = view.top_paragraphs()[side_index(side)] {
        note = format!("{}¶{p} {note}", side.letter());
    }
    let block = pane_block(theme, title, focused).title_bottom(position_title(theme, note));
    frame.render_widget(block, rect);
    let area = Geometry::text_area(rect);
    if area.is_empty() {
        return;
    }
    let mut lines: Vec<Line> = view.title(side).to_vec();
    let header = view.header_rows();
    if header > 0 {
        lines.resize(header - 1, Line::default());
        let rule = if theme.ascii { "-" } else { "─" };
        lines.push(Line::styled(rule.repeat(area.width as usize), theme.border));
    }
    lines.extend(
        view.visible(side, rows)
            .into_iter()
            .map(|l| l.cloned().unwrap_or_default()),
    );
    frame.render_widget(Paragraph::new(lines), area);
}
