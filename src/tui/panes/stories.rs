//! The stories view (issue #11): one row per story — number of outlets, span, short outlet
//! names, headline — newest first; and a story's coverage: its reports grouped by outlet, a bar
//! of coverage by outlet, the library's outlets that did not report it, who names which terms,
//! and the dates the reports mention.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, highlight, pane_block, position_title, styled, text_width, truncate, wrap_words};
use crate::stories::{Kind, Story};
use crate::tui::app::{App, Coverage};

/// Columns of the span: `2020-06-24–06-26`.
const SPAN: usize = 16;

/// Draws the stories list, or the coverage of the story opened, into `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    match app.coverage() {
        Some(c) => draw_coverage(frame, app, c, area),
        None => draw_list(frame, app, area),
    }
}

/// The status bar's position: story i/n in the list, report i/n in a coverage.
pub fn position(app: &App) -> Option<String> {
    if !app.stories_open() {
        return None;
    }
    Some(match app.coverage() {
        Some(c) => format!(" report {}/{} ", c.selected + 1, c.reports.len()),
        None => {
            let (view, selected) = app.stories_view();
            if view.is_empty() {
                " 0/0 ".to_string()
            } else {
                format!(" story {}/{} ", selected + 1, view.len())
            }
        }
    })
}

/// A short name for an outlet: its display name when short, else the shortest name the
/// outlet table gives it (DW, VOA), else the name cut to 6 columns.
pub fn short_outlet(name: &str) -> String {
    if text_width(name) <= 6 {
        return name.to_string();
    }
    let table = crate::article::outlet::table();
    if let Some(o) = table.find(name)
        && let Some(short) = o
            .names()
            .filter(|n| text_width(n) >= 2 && text_width(n) <= 6)
            .min_by_key(|n| text_width(n))
    {
        return short.to_string();
    }
    truncate(name, 6, "")
}

/// The span of a story in local dates: `2020-06-24`, `2020-06-24–26`, `2020-06-24–07-02`.
pub fn span(app: &App, story: &Story) -> String {
    let tz = &app.config.clock.tz;
    let day = |s: i64| {
        jiff::Timestamp::from_second(s)
            .ok()
            .map(|t| t.to_zoned(tz.clone()).date())
    };
    match (story.first.and_then(day), story.last.and_then(day)) {
        (Some(f), Some(l)) if f == l => f.to_string(),
        (Some(f), Some(l)) if f.year() == l.year() && f.month() == l.month() => {
            format!("{f}–{:02}", l.day())
        }
        (Some(f), Some(l)) if f.year() == l.year() => {
            format!("{f}–{:02}-{:02}", l.month(), l.day())
        }
        (Some(f), Some(l)) => format!("{f}–{}", l.year()),
        _ => "undated".to_string(),
    }
}

fn draw_list(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let (view, selected) = app.stories_view();
    let all = app.stories().len();
    let multi = app.stories_across_outlets();
    let mut title = if app.all_stories() {
        format!(" Stories {} of {all} · {multi} across outlets", view.len())
    } else {
        format!(
            " Stories across outlets {} of {multi} · {all} in all",
            view.len()
        )
    };
    if !app.stories_filter().is_empty() {
        title.push_str(&format!(" /{}", app.stories_filter()));
    }
    if let Some(p) = app.grouping_progress() {
        title.push_str(&format!(" · {p}…"));
    }
    title.push(' ');
    let block = pane_block(theme, title, app.overlay().is_none());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return;
    }
    let width = inner.width as usize;
    if view.is_empty() {
        let text = match app.grouping_progress() {
            Some(p) if all == 0 => format!("{p}…"),
            _ if !app.stories_filter().is_empty() => {
                format!("no story matches “{}”", app.stories_filter())
            }
            _ if !app.all_stories() && all > 0 => {
                let key = app
                    .keymap
                    .first_key(
                        crate::tui::keymap::Layer::Stories,
                        crate::tui::action::Action::ToggleAllStories,
                    )
                    .map(|k| k.display(theme.ascii))
                    .unwrap_or_default();
                format!("no story from two outlets or more yet ({key} shows all)")
            }
            _ => "no stories".to_string(),
        };
        frame.render_widget(
            Paragraph::new(truncate(&text, width, theme.ellipsis)).style(theme.meta_dim),
            inner,
        );
        return;
    }
    let mut rows: Vec<Line<'static>> = vec![header_row(app, width)];
    rows.extend(
        view.iter()
            .enumerate()
            .skip(app.stories_offset())
            .take((inner.height as usize).saturating_sub(1))
            .map(|(i, &n)| story_row(app, &app.stories()[n as usize], i == selected, width)),
    );
    frame.render_widget(Paragraph::new(rows), inner);
}

/// The column widths at a width: (span shown, outlet names' width).
fn columns(width: usize) -> (bool, usize) {
    let names = match width {
        0..50 => 0,
        50..100 => 14,
        100..160 => 24,
        _ => 32,
    };
    (width >= 60, names)
}

/// The column headings above the stories.
fn header_row(app: &App, width: usize) -> Line<'static> {
    let (show_span, names) = columns(width);
    let mut text = " out ".to_string();
    if show_span {
        text.push_str(&fit("span", SPAN + 2, ""));
    }
    if names > 0 {
        text.push_str(&fit("outlets", names + 2, ""));
    }
    text.push_str("headline (reports)");
    Line::from(styled(fit(&text, width, ""), app.theme.meta_dim))
}

fn story_row(app: &App, story: &Story, selected: bool, width: usize) -> Line<'static> {
    let theme = &app.theme;
    let outlets = crate::tui::app::outlet_counts(app.articles(), story);
    let names: Vec<String> = outlets.iter().map(|(n, _)| short_outlet(n)).collect();
    let mut spans = vec![
        Span::raw(" "),
        styled(format!("{:>2}  ", outlets.len()), theme.marked),
    ];
    let mut used = 5;
    let (show_span, names_width) = columns(width);
    if show_span {
        spans.push(styled(fit(&span(app, story), SPAN, ""), theme.date));
        spans.push(Span::raw("  "));
        used += SPAN + 2;
    }
    if names_width > 0 {
        spans.push(styled(
            fit(&names.join(" "), names_width, theme.ellipsis),
            theme.outlet,
        ));
        spans.push(Span::raw("  "));
        used += names_width + 2;
    }
    let headline = &app.articles()[story.headline].title;
    let count = format!(" ({})", story.members.len());
    let room = width.saturating_sub(used);
    let head = truncate(
        headline,
        room.saturating_sub(text_width(&count)),
        theme.ellipsis,
    );
    let pad = room.saturating_sub(text_width(&head) + text_width(&count));
    spans.push(styled(head, theme.list_title));
    spans.push(styled(count, theme.meta_dim));
    spans.push(Span::raw(" ".repeat(pad)));
    let line = Line::from(spans);
    if selected {
        let style = if app.overlay().is_none() {
            theme.selected
        } else {
            theme.selected_unfocused
        };
        Line::from(highlight(line.spans, style))
    } else {
        line
    }
}

fn draw_coverage(frame: &mut Frame, app: &App, c: &Coverage, area: Rect) {
    let theme = &app.theme;
    let title = format!(
        " Story · {} reports · {} outlets ",
        c.reports.len(),
        c.outlets.len()
    );
    let lines = coverage_lines(app, c, area.width.saturating_sub(2));
    let inner_h = area.height.saturating_sub(2) as usize;
    let scroll = c.scroll.min(lines.len().saturating_sub(inner_h));
    let block = pane_block(theme, title, app.overlay().is_none()).title_bottom(position_title(
        theme,
        super::percent(scroll, inner_h, lines.len()),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let shown: Vec<Line<'static>> = lines.into_iter().skip(scroll).take(inner_h).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "person",
        Kind::Place => "place",
        Kind::Organisation => "org",
        Kind::Proper => "name",
        Kind::Latin => "latin",
        Kind::Number => "number",
        Kind::Quote => "quote",
        Kind::TitleWord | Kind::Bigram | Kind::Word => "word",
    }
}

/// The coverage pane's lines at an inner `width`: headline and span, the reports (one row each,
/// starting at line [`App::COVERAGE_HEAD`]), the coverage bars, the outlets that did not report
/// it, the terms table and the timeline.
pub fn coverage_lines(app: &App, c: &Coverage, width: u16) -> Vec<Line<'static>> {
    let width = width as usize;
    if width < WIDE_COVERAGE {
        let mut out = reports_part(app, c, width);
        out.push(Line::raw(""));
        out.extend(terms_part(app, c, width));
        return out;
    }
    // Wide: reports and coverage on the left, terms and dates on the right, from the
    // "Reports" heading down.
    let left_w = width * 11 / 20;
    let left = reports_part(app, c, left_w);
    let mut right = vec![Line::raw(""); App::COVERAGE_HEAD - 1];
    right.extend(terms_part(app, c, width - left_w - 2));
    let rows = left.len().max(right.len());
    let mut left = left.into_iter();
    let mut right = right.into_iter();
    (0..rows)
        .map(|_| {
            let l = left.next().unwrap_or_default();
            let pad = left_w.saturating_sub(l.width()) + 2;
            let mut spans = l.spans;
            spans.push(Span::raw(" ".repeat(pad)));
            spans.extend(right.next().unwrap_or_default().spans);
            Line::from(spans)
        })
        .collect()
}

/// From this inner width the coverage shows two columns.
pub const WIDE_COVERAGE: usize = 150;

/// The headline, the reports, the coverage bars and the outlets that did not report it.
fn reports_part(app: &App, c: &Coverage, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let articles = app.articles();
    let tz = &app.config.clock.tz;
    let mut out: Vec<Line<'static>> = Vec::new();
    let headline = &articles[c.story.headline].title;
    out.push(Line::from(styled(
        fit(&format!(" {headline}"), width, theme.ellipsis),
        theme.title_focused,
    )));
    out.push(Line::from(styled(
        fit(
            &format!(
                " {} · {} reports from {} outlets",
                span(app, &c.story),
                c.reports.len(),
                c.outlets.len()
            ),
            width,
            theme.ellipsis,
        ),
        theme.meta_dim,
    )));
    out.push(Line::raw(""));
    out.push(Line::from(styled(
        fit(" Reports", width, ""),
        theme.help_heading,
    )));
    debug_assert_eq!(out.len(), App::COVERAGE_HEAD);
    // Reports grouped by outlet: the name on the first row of its group.
    let outlet_w = c
        .outlets
        .iter()
        .map(|(n, _)| text_width(n))
        .max()
        .unwrap_or(0)
        .clamp(4, if width < 100 { 10 } else { 16 });
    let mut previous: Option<String> = None;
    for (i, &id) in c.reports.iter().enumerate() {
        let a = &articles[id as usize];
        let name = crate::tui::app::outlet_name(a);
        let mark = match app.marked().iter().position(|&m| m == id) {
            Some(0) => styled("1", theme.marked),
            Some(_) => styled("2", theme.marked),
            None => Span::raw(" "),
        };
        let when = a
            .sort_time()
            .map(|t| t.to_zoned(tz.clone()).strftime("%m-%d %H:%M").to_string())
            .unwrap_or_else(|| " ".repeat(11));
        let shown_name = if previous.as_deref() == Some(name.as_str()) {
            String::new()
        } else {
            name.clone()
        };
        previous = Some(name);
        let used = 3 + 11 + 1 + outlet_w + 1;
        let mut spans = vec![
            Span::raw(" "),
            mark,
            Span::raw(" "),
            styled(fit(&when, 11, ""), theme.date),
            Span::raw(" "),
            styled(fit(&shown_name, outlet_w, theme.ellipsis), theme.outlet),
            Span::raw(" "),
            styled(
                fit(&a.title, width.saturating_sub(used), theme.ellipsis),
                theme.list_title,
            ),
        ];
        if i == c.selected {
            let style = if app.overlay().is_none() {
                theme.selected
            } else {
                theme.selected_unfocused
            };
            spans = highlight(spans, style);
        }
        out.push(Line::from(spans));
    }
    out.push(Line::raw(""));
    // Coverage by outlet: one bar per outlet, scaled to the outlet with most reports.
    out.push(Line::from(styled(
        " Coverage by outlet",
        theme.help_heading,
    )));
    let most = c.outlets.first().map_or(1, |o| o.1).max(1);
    let bar_room = width.saturating_sub(outlet_w + 10).clamp(4, 40);
    let full = if theme.ascii { "#" } else { "█" };
    for (name, n) in &c.outlets {
        let len = (n * bar_room).div_ceil(most).max(1);
        out.push(Line::from(vec![
            Span::raw("   "),
            styled(fit(name, outlet_w, theme.ellipsis), theme.outlet),
            Span::raw(" "),
            styled(full.repeat(len), theme.term_shared),
            Span::raw(format!(" {n}")),
        ]));
    }
    if c.missing.is_empty() {
        out.push(Line::from(styled(
            "   every outlet of the library reported it",
            theme.meta_dim,
        )));
    } else {
        let text = format!("Not reported by: {}", c.missing.join(", "));
        for piece in wrap_words(&text, width.saturating_sub(3)) {
            out.push(Line::from(vec![
                Span::raw("   "),
                styled(piece, theme.meta_dim),
            ]));
        }
    }
    out
}

/// The terms table and the dates the reports mention.
fn terms_part(app: &App, c: &Coverage, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut out: Vec<Line<'static>> = Vec::new();
    // Terms by outlet: who names which people, places, numbers and quotes.
    out.push(Line::from(styled(" Terms by outlet", theme.help_heading)));
    let term_w = 14;
    let col_w = 7;
    let cols = (width.saturating_sub(3 + term_w + 7) / col_w).clamp(1, c.outlets.len().max(1));
    let mut head = vec![Span::raw(" ".repeat(3 + term_w + 7))];
    for (name, _) in c.outlets.iter().take(cols) {
        head.push(styled(fit(&short_outlet(name), col_w, ""), theme.outlet));
    }
    out.push(Line::from(head));
    let (yes, no) = if theme.ascii {
        ("x", ".")
    } else {
        ("●", "·")
    };
    if c.terms.is_empty() {
        out.push(Line::from(styled(
            "   no names, places or numbers found",
            theme.meta_dim,
        )));
    }
    for row in &c.terms {
        let mut spans = vec![
            Span::raw("   "),
            styled(fit(&row.term, term_w - 1, theme.ellipsis), theme.list_title),
            Span::raw(" "),
            styled(fit(kind_label(row.kind), 7, ""), theme.meta_dim),
        ];
        for &b in row.by.iter().take(cols) {
            spans.push(if b {
                styled(fit(&format!("  {yes}"), col_w, ""), theme.term_shared)
            } else {
                styled(fit(&format!("  {no}"), col_w, ""), theme.meta_dim)
            });
        }
        out.push(Line::from(spans));
    }
    if c.outlets.len() > cols {
        out.push(Line::from(styled(
            format!(
                "   ({} more outlets not shown at this width)",
                c.outlets.len() - cols
            ),
            theme.meta_dim,
        )));
    }
    out.push(Line::raw(""));
    // The merged timeline of the dates the reports mention.
    out.push(Line::from(styled(
        " Dates the reports mention",
        theme.help_heading,
    )));
    match &c.timeline {
        None => out.push(Line::from(styled(
            "   reading the reports…",
            theme.meta_dim,
        ))),
        Some(t) if t.is_empty() => out.push(Line::from(styled(
            "   no dates with a month",
            theme.meta_dim,
        ))),
        Some(t) => {
            for m in t {
                let who: Vec<String> = m.outlets.iter().map(|o| short_outlet(o)).collect();
                let used = 3 + 11;
                let rest = format!("{} {}", fit(&m.text, 14, theme.ellipsis), who.join(" "));
                out.push(Line::from(vec![
                    Span::raw("   "),
                    styled(fit(&m.date.iso(), 11, ""), theme.date),
                    styled(
                        truncate(&rest, width.saturating_sub(used), theme.ellipsis),
                        theme.list_title,
                    ),
                ]));
            }
        }
    }
    out
}
