//! Helpers shared by the TUI tests: hand-built articles, keys by name, screens as text.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use reader::article::{Article, Format, Origin, Stamp};
use reader::article::{Body, Link, LoadError};
use reader::render::{NumberedLink, RenderOptions, Rendered};
use reader::tui::action::Effect;
use reader::tui::app::{App, Clock, Config};
use reader::tui::keymap::Key;
use reader::tui::ui;

/// A fixed clock: 2025-11-22 08:00 UTC, shown in UTC+8.
pub fn clock() -> Clock {
    Clock {
        now: "2025-11-22T08:00:00Z".parse().unwrap(),
        tz: TimeZone::fixed(Offset::constant(8)),
    }
}

/// A config for tests: colour, no deferral, fixed clock.
pub fn config() -> Config {
    Config {
        color: true,
        ascii: false,
        mouse: false,
        defer_preview: false,
        clock: clock(),
    }
}

/// An article held in memory, with `html` as its body.
pub fn article(title: &str, outlet: Option<&str>, published: Option<&str>, html: &str) -> Article {
    let bytes: Arc<[u8]> = Arc::from(html.as_bytes());
    let name = PathBuf::from(format!("mem/{}.html", title.replace(' ', "-")));
    Article {
        title: title.to_string(),
        outlet: outlet.map(str::to_string),
        author: None,
        published: published.map(|p| Stamp {
            utc: p.parse::<Timestamp>().unwrap(),
            original: p.to_string(),
        }),
        archived: None,
        // One page per title: articles with the same URL are copies of one report.
        url: Some(format!(
            "https://example.com/{}",
            percent_encoding::utf8_percent_encode(title, percent_encoding::NON_ALPHANUMERIC)
        )),
        categories: vec![],
        image: None,
        extra: vec![],
        format: Format::Html,
        origin: Origin::Memory {
            name,
            bytes: bytes.clone(),
        },
        body_range: 0..bytes.len(),
        chars: html.chars().filter(|c| !c.is_whitespace()).count(),
        words: html.split_whitespace().count(),
        cjk: 0,
        warnings: vec![],
        furniture_keys: Default::default(),
        meta: Default::default(),
    }
}

/// A key event from a keymap spec ("j", "J", "C-c", "Enter").
pub fn key_event(spec: &str) -> KeyEvent {
    let key = Key::parse(spec).unwrap();
    let mut mods = key.mods;
    if let KeyCode::Char(c) = key.code
        && c.is_uppercase()
    {
        mods |= KeyModifiers::SHIFT;
    }
    KeyEvent::new(key.code, mods)
}

/// Presses keys given as specs separated by spaces; text after `'` is typed char by char.
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for spec in keys.split(' ').filter(|s| !s.is_empty()) {
        if let Some(text) = spec.strip_prefix('\'') {
            for c in text.chars() {
                effects
                    .extend(app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
            }
        } else {
            effects.extend(app.handle_key(&key_event(spec)));
        }
    }
    effects
}

/// Draws the app on a TestBackend of its size and returns the terminal.
pub fn draw(app: &App) -> Terminal<TestBackend> {
    let size = app.size();
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal
}

/// The screen as plain text, one string per row, wide characters once.
pub fn screen(app: &App) -> Vec<String> {
    let terminal = draw(app);
    let buffer = terminal.backend().buffer();
    let mut rows = Vec::new();
    for y in 0..buffer.area.height {
        let mut row = String::new();
        let mut skip = 0;
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if skip == 0 {
                row.push_str(cell.symbol());
            }
            skip = skip
                .max(
                    cell.symbol()
                        .chars()
                        .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                        .sum::<usize>(),
                )
                .saturating_sub(1);
        }
        rows.push(row);
    }
    rows
}

/// True when some row of the screen contains `text`.
pub fn shows(app: &App, text: &str) -> bool {
    screen(app).iter().any(|r| r.contains(text))
}

/// A stand-in body reader: the bytes as HTML, links found by scraper, counts of characters.
pub fn fake_body(article: &Article) -> Result<Body, LoadError> {
    let Origin::Memory { bytes, .. } = &article.origin else {
        return Err(LoadError {
            path: article.path().to_path_buf(),
            reason: "not in memory".into(),
        });
    };
    let html = String::from_utf8_lossy(&bytes[article.body_range.clone()]).into_owned();
    if html.contains("UNREADABLE") {
        return Err(LoadError {
            path: article.path().to_path_buf(),
            reason: "permission denied".into(),
        });
    }
    let doc = scraper::Html::parse_fragment(&html);
    let selector = scraper::Selector::parse("a[href]").unwrap();
    let links = doc
        .select(&selector)
        .map(|a| Link {
            text: a.text().collect(),
            url: a.value().attr("href").unwrap_or_default().to_string(),
        })
        .collect();
    let text: String = doc.root_element().text().collect();
    Ok(Body {
        chars: text.chars().filter(|c| !c.is_whitespace()).count(),
        words: text.split_whitespace().count(),
        reading_minutes: 1,
        images: vec![],
        links,
        html,
    })
}

/// A stand-in renderer: title, blank line, then each `<p>` cut into pieces of `width` columns.
pub fn fake_render(article: &Article, body: &Body, width: u16, _: &RenderOptions) -> Rendered {
    let width = width as usize;
    let mut lines = vec![Line::from(article.title.clone()), Line::default()];
    let doc = scraper::Html::parse_fragment(&body.html);
    let p = scraper::Selector::parse("p").unwrap();
    for para in doc.select(&p) {
        let text: String = para.text().collect();
        let mut line = String::new();
        let mut used = 0;
        for c in text.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + w > width {
                lines.push(Line::from(std::mem::take(&mut line)));
                used = 0;
            }
            used += w;
            line.push(c);
        }
        lines.push(Line::from(line));
        lines.push(Line::default());
    }
    let links = body
        .links
        .iter()
        .enumerate()
        .map(|(i, l)| NumberedLink {
            number: i + 1,
            text: l.text.clone(),
            url: l.url.clone(),
            href: l.url.clone(),
        })
        .collect();
    Rendered {
        lines,
        links,
        link_spans: Vec::new(),
    }
}

/// Three articles of two outlets over three years, with paragraphs and links.
pub fn sample() -> Vec<Article> {
    let long: String = (1..=60)
        .map(|i| format!("<p>第{i}段：美國氣候特使克裡表示，中美應恢復氣候對話。</p>"))
        .collect();
    vec![
        article(
            "美国想跟中国重新走到一起",
            Some("观察者网"),
            Some("2022-09-01T10:21:21Z"),
            "<p>美国气候特使克里说，美国希望恢复对话。</p><p>见<a href=\"https://a.example/1\">报道</a>。</p>",
        ),
        article(
            "COP27即將召開 美國敦促中國恢復氣候對話",
            Some("德國之聲"),
            Some("2022-10-26T01:34:17Z"),
            &format!(
                "{long}<p><a href=\"https://www.dw.com/zh/a-1\">德國之聲</a> <a href=\"https://b.example/2\">聯合國</a></p>"
            ),
        ),
        article(
            "Climate talks resume",
            Some("Example Times"),
            Some("2020-01-15T00:00:00Z"),
            "<p>Kerry met Xie in Beijing.</p>",
        ),
    ]
}

/// An app of the given size on [`sample`] with the stand-in engine.
pub fn sample_app(width: u16, height: u16) -> App {
    let mut app =
        App::new(config(), Rect::new(0, 0, width, height)).with_engine(fake_body, fake_render);
    app.add(sample(), vec![]);
    app
}
