//! The metadata pane: every field of the shown article (issue #4), times in local time with
//! their offset and relative to the app's clock ("3 years ago"), long values wrapped by display
//! width under a label column.

use jiff::tz::TimeZone;
use jiff::{Timestamp, Unit};
use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pane_block, percent, position_title, styled, text_width, wrap_words};
use crate::article::{Article, Body, Stamp, shown_path};
use crate::sanitize::clean_line;
use crate::tui::app::{App, Clock};
use crate::tui::layout::Pane;

/// Width of the label column when labels and values share a row.
const LABEL: usize = 11;

/// Draws the metadata into `area`.
pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let focused = app.focus() == Pane::Meta && app.overlay().is_none();
    let mut block = pane_block(theme, " Info ", focused);
    let inner_width = area.width.saturating_sub(4) as usize;
    let height = area.height.saturating_sub(2) as usize;
    let lines = lines(app, inner_width);
    let top = scroll_top(app, lines.len(), height);
    if lines.len() > height {
        block = block.title_bottom(position_title(theme, percent(top, height, lines.len())));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let text_area = inner.inner(Margin::new(1, 0));
    if text_area.is_empty() {
        return;
    }
    let shown: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    frame.render_widget(Paragraph::new(shown), text_area);
}

/// The first line shown: the app's scroll, kept within the text.
pub fn scroll_top(app: &App, total: usize, height: usize) -> usize {
    app.meta_scroll.min(total.saturating_sub(height))
}

/// The metadata as lines no wider than `width` columns.
pub fn lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let Some(article) = app.shown_article() else {
        return vec![Line::from(styled("no article selected", theme.meta_dim))];
    };
    let body = app
        .shown
        .as_ref()
        .and_then(|s| s.body.as_ref())
        .and_then(|b| b.as_ref().ok());
    let mut out = Vec::new();
    for (label, values) in fields(article, body, &app.config.clock) {
        push_field(&mut out, app, label, values, width);
    }
    out
}

/// A value with its style: normal, or secondary (relative time, original text, absent).
enum Value {
    Main(String),
    Dim(String),
}

fn fields(
    article: &Article,
    body: Option<&Body>,
    clock: &Clock,
) -> Vec<(&'static str, Vec<Value>)> {
    let opt = |v: &Option<String>| match v {
        Some(s) if !s.is_empty() => vec![Value::Main(clean_line(s))],
        _ => vec![Value::Dim("—".into())],
    };
    let mut fields = vec![
        ("Title", vec![Value::Main(clean_line(&article.title))]),
        ("Outlet", opt(&article.outlet)),
        ("Author", opt(&article.author)),
        ("Published", stamp(article.published.as_ref(), clock)),
        ("Archived", stamp(article.archived.as_ref(), clock)),
        ("URL", opt(&article.url.as_deref().map(decode_url))),
        (
            "Categories",
            if article.categories.is_empty() {
                vec![Value::Dim("—".into())]
            } else {
                vec![Value::Main(clean_line(&article.categories.join(", ")))]
            },
        ),
        ("Image", opt(&article.image.as_deref().map(decode_url))),
    ];
    // The header knows the length; images and links need the body.
    fields.push((
        "Length",
        vec![Value::Main(format!(
            "{} characters, {} words",
            article.chars, article.words
        ))],
    ));
    fields.push((
        "Reading",
        vec![Value::Main(format!("{} min", article.reading_minutes()))],
    ));
    match body {
        Some(body) => {
            fields.push(("Images", vec![Value::Main(body.images.len().to_string())]));
            fields.push(("Links", vec![Value::Main(body.links.len().to_string())]));
        }
        None => fields.push(("Images", vec![Value::Dim("(body not read)".into())])),
    }
    // Paths exactly, control characters escaped (`\n`, `\t`), spaces kept.
    fields.push(("File", vec![Value::Main(shown_path(article.path()))]));
    for copy in &article.meta.copies {
        fields.push(("Copy", vec![Value::Main(shown_path(copy))]));
    }
    fields.push(("Format", vec![Value::Main(article.format.to_string())]));
    // What issue #9 reads beyond the list columns, after the fields above.
    let list = |items: &[String]| {
        if items.is_empty() {
            vec![Value::Dim("—".into())]
        } else {
            vec![Value::Main(clean_line(&items.join(", ")))]
        }
    };
    if let Some(from) = article.meta.published_from {
        let zone = article.meta.published_zone.map_or("", |z| z.as_str());
        let precision = article.meta.published_precision.map_or("", |p| p.as_str());
        fields.push((
            "Date from",
            vec![Value::Dim(format!(
                "{}, {precision}, zone {zone}",
                from.as_str()
            ))],
        ));
    }
    fields.push(("Agency", list(&article.meta.agency)));
    fields.push(("Editors", list(&article.meta.editors)));
    fields.push(("Tags", list(&article.meta.tags)));
    if let Some(original) = &article.meta.title_original {
        fields.push(("As written", vec![Value::Dim(clean_line(original))]));
    }
    for (key, value) in &article.extra {
        let _ = key;
        fields.push((
            "Extra",
            vec![Value::Main(clean_line(&format!("{key}: {value}")))],
        ));
    }
    for warning in &article.warnings {
        fields.push(("Warning", vec![Value::Main(clean_line(warning))]));
    }
    fields
}

fn stamp(stamp: Option<&Stamp>, clock: &Clock) -> Vec<Value> {
    let Some(stamp) = stamp else {
        return vec![Value::Dim("—".into())];
    };
    let local = stamp.utc.to_zoned(clock.tz.clone());
    vec![
        Value::Main(local.strftime("%Y-%m-%d %H:%M %:z").to_string()),
        Value::Dim(relative(stamp.utc, clock.now, &clock.tz)),
    ]
}

fn decode_url(url: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    clean_line(&decoded)
}

fn push_field(
    out: &mut Vec<Line<'static>>,
    app: &App,
    label: &str,
    values: Vec<Value>,
    width: usize,
) {
    let theme = &app.theme;
    let inline = width >= LABEL + 24;
    let value_width = if inline {
        width - LABEL
    } else {
        width.saturating_sub(2)
    };
    let mut first = true;
    if !inline {
        out.push(Line::from(styled(label.to_string(), theme.meta_key)));
    }
    for value in values {
        let (text, style): (String, Style) = match value {
            Value::Main(t) => (t, theme.meta_value),
            Value::Dim(t) => (t, theme.meta_dim),
        };
        for piece in wrap_words(&text, value_width) {
            let lead = if inline && first {
                let pad = LABEL.saturating_sub(text_width(label));
                styled(format!("{label}{}", " ".repeat(pad)), theme.meta_key)
            } else {
                Span::raw(" ".repeat(if inline { LABEL } else { 2 }))
            };
            first = false;
            out.push(Line::from(vec![lead, styled(piece, style)]));
        }
    }
}

/// A relative time such as "3 years ago", "in 2 days" or "just now", in calendar units of the
/// zone `tz` (so a year is a calendar year, not 365 days).
pub fn relative(then: Timestamp, now: Timestamp, tz: &TimeZone) -> String {
    let (earlier, later, past) = if then <= now {
        (then, now, true)
    } else {
        (now, then, false)
    };
    let a = earlier.to_zoned(tz.clone());
    let b = later.to_zoned(tz.clone());
    let Ok(span) = b.since((Unit::Year, &a)) else {
        return String::new();
    };
    let units = [
        (span.get_years() as i64, "year"),
        (span.get_months() as i64, "month"),
        (span.get_days() as i64 / 7, "week"),
        (span.get_days() as i64, "day"),
        (span.get_hours() as i64, "hour"),
        (span.get_minutes(), "minute"),
    ];
    match units.into_iter().find(|(n, _)| *n > 0) {
        Some((n, unit)) => {
            let plural = if n == 1 { "" } else { "s" };
            if past {
                format!("{n} {unit}{plural} ago")
            } else {
                format!("in {n} {unit}{plural}")
            }
        }
        None => "just now".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn relative_times_use_the_largest_calendar_unit() {
        let tz = TimeZone::UTC;
        let now = ts("2025-11-22T08:00:00Z");
        assert_eq!(
            relative(ts("2022-09-01T10:21:21Z"), now, &tz),
            "3 years ago"
        );
        assert_eq!(relative(ts("2024-11-22T08:00:00Z"), now, &tz), "1 year ago");
        assert_eq!(
            relative(ts("2024-11-22T08:00:01Z"), now, &tz),
            "11 months ago"
        );
        assert_eq!(
            relative(ts("2025-11-01T08:00:00Z"), now, &tz),
            "3 weeks ago"
        );
        assert_eq!(relative(ts("2025-11-20T08:00:00Z"), now, &tz), "2 days ago");
        assert_eq!(
            relative(ts("2025-11-22T05:30:00Z"), now, &tz),
            "2 hours ago"
        );
        assert_eq!(
            relative(ts("2025-11-22T07:59:00Z"), now, &tz),
            "1 minute ago"
        );
        assert_eq!(relative(ts("2025-11-22T07:59:31Z"), now, &tz), "just now");
        assert_eq!(relative(ts("2025-11-25T08:00:00Z"), now, &tz), "in 3 days");
    }

    #[test]
    fn urls_are_decoded_for_display_and_stay_safe() {
        assert_eq!(
            decode_url("https://www.dw.com/zh-hant/%E7%BE%8E%E5%9C%8B/a-1"),
            "https://www.dw.com/zh-hant/美國/a-1"
        );
        assert_eq!(decode_url("https://e.com/%1B%5B2J%07x"), "https://e.com/x");
        assert_eq!(decode_url("https://e.com/100%"), "https://e.com/100%");
    }
}
