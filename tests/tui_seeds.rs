//! The reader on the bundled seeds with the real loader and renderer: `TestBackend` snapshots of
//! the three layouts (140x40, 80x24, 50x20), colours checked explicitly (snapshots do not show
//! them), and the README picture (`assets/screenshot.svg`) kept in step with the real screen.

mod tui_support;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use reader::library::Library;
use reader::tui::app::{App, Config};
use reader::tui::ui;
use tui_support::*;

fn seeds_app(width: u16, height: u16, config: Config) -> App {
    let mut app = App::new(config, Rect::new(0, 0, width, height));
    app.add_library(Library::bundled());
    app
}

/// The screen as text for a snapshot: one line per row, wide characters once.
fn text(app: &App) -> String {
    screen(app).join("\n")
}

fn snapshot(app: &App) -> Terminal<TestBackend> {
    let size = app.size();
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal
}

#[test]
fn wide_140x40_list_body_and_metadata() {
    let app = seeds_app(140, 40, config());
    insta::assert_snapshot!(text(&app));
}

#[test]
fn wide_140x40_reading_the_second_report() {
    let mut app = seeds_app(140, 40, config());
    press(&mut app, "j Enter");
    insta::assert_snapshot!(text(&app));
}

#[test]
fn medium_80x24_reading() {
    let mut app = seeds_app(80, 24, config());
    press(&mut app, "Enter");
    insta::assert_snapshot!(text(&app));
}

#[test]
fn medium_80x24_metadata_on_i() {
    let mut app = seeds_app(80, 24, config());
    press(&mut app, "i");
    insta::assert_snapshot!(text(&app));
}

#[test]
fn single_50x20_list_then_body() {
    let mut app = seeds_app(50, 20, config());
    insta::assert_snapshot!("single_50x20_list", text(&app));
    press(&mut app, "Enter");
    insta::assert_snapshot!("single_50x20_body", text(&app));
}

#[test]
fn ascii_borders_and_help_at_80x24() {
    let mut config = config();
    config.ascii = true;
    config.color = false;
    let mut app = seeds_app(80, 24, config);
    press(&mut app, "?");
    insta::assert_snapshot!(text(&app));
}

/// Cells of a row whose style matches `pred`, as text.
fn styled_text(buffer: &Buffer, y: u16, pred: impl Fn(&ratatui::buffer::Cell) -> bool) -> String {
    (0..buffer.area.width)
        .map(|x| &buffer[(x, y)])
        .filter(|c| pred(c))
        .map(|c| c.symbol())
        .collect()
}

#[test]
fn selection_shows_in_colour_and_without() {
    let app = seeds_app(140, 40, config());
    let terminal = snapshot(&app);
    let buffer = terminal.backend().buffer();
    // Row 1 is the first day's header, row 2 the first article: the whole row inside the
    // border in black on cyan.
    let selected = styled_text(buffer, 2, |c| c.bg == Color::Cyan);
    assert!(selected.starts_with(" •  09:34 德國之聲"), "{selected}");
    // Every cell of the row inside the list's borders (the second half of a wide character
    // is not a cell of its own).
    let mut x = 1;
    while x < 41 {
        let cell = &buffer[(x, 2)];
        assert_eq!(cell.bg, Color::Cyan, "at {x}");
        x += unicode_width::UnicodeWidthStr::width(cell.symbol()).max(1) as u16;
    }
    // The focused pane's border is cyan, the others dark grey.
    assert_eq!(buffer[(0, 0)].fg, Color::Cyan);
    assert_eq!(buffer[(42, 0)].fg, Color::DarkGray);

    let mut mono = config();
    mono.color = false;
    let app = seeds_app(140, 40, mono);
    let terminal = snapshot(&app);
    let buffer = terminal.backend().buffer();
    for y in 0..40 {
        for x in 0..140 {
            let cell = &buffer[(x, y)];
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "colour at {x},{y}"
            );
        }
    }
    let reversed = styled_text(buffer, 2, |c| c.modifier.contains(Modifier::REVERSED));
    assert!(reversed.starts_with(" •  09:34 德國之聲"), "{reversed}");
    assert!(buffer[(0, 0)].modifier.contains(Modifier::BOLD));
    assert!(!buffer[(42, 0)].modifier.contains(Modifier::BOLD));
    // Body find highlights stay visible without colour: underline, the current one reversed.
    let mut app = app;
    press(&mut app, "Enter / '克里 Enter");
    let terminal = snapshot(&app);
    let buffer = terminal.backend().buffer();
    let mut current = String::new();
    let mut other = String::new();
    // Above the status bar (whose message is reversed and bold too).
    for y in 0..39 {
        current += &styled_text(buffer, y, |c| {
            c.modifier.contains(Modifier::REVERSED) && c.modifier.contains(Modifier::BOLD)
        });
        other += &styled_text(buffer, y, |c| {
            c.modifier.contains(Modifier::UNDERLINED) && !c.modifier.contains(Modifier::REVERSED)
        });
    }
    assert_eq!(current, "克里");
    assert!(other.contains("克里"), "{other}");
}

// ----- the README picture ------------------------------------------------------------------

/// The 16-colour palette of the picture (a dark terminal).
fn rgb(color: Color, fg: bool) -> &'static str {
    match color {
        Color::Reset => {
            if fg {
                "#d8dee9"
            } else {
                "#1d2129"
            }
        }
        Color::Black => "#1d2129",
        Color::Red => "#e06c75",
        Color::Green => "#98c379",
        Color::Yellow => "#e5c07b",
        Color::Blue => "#61afef",
        Color::Magenta => "#c678dd",
        Color::Cyan => "#56b6c2",
        Color::Gray => "#abb2bf",
        Color::DarkGray => "#5c6370",
        Color::White => "#ffffff",
        _ => "#d8dee9",
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An SVG of a buffer: one rectangle per run of background; text in runs of one style of narrow
/// characters (a monospace font at 15 px advances 9 px, one cell), and each wide character
/// placed on its own cells, so that columns line up in any SVG viewer.
fn svg(buffer: &Buffer) -> String {
    const CW: f32 = 9.0;
    const CH: f32 = 19.0;
    let (w, h) = (buffer.area.width, buffer.area.height);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" font-family=\"'DejaVu Sans Mono','Noto Sans Mono CJK SC',monospace\" font-size=\"15\">\n<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>\n",
        w as f32 * CW,
        h as f32 * CH,
        w as f32 * CW,
        h as f32 * CH,
        rgb(Color::Reset, false)
    );
    let colours = |cell: &ratatui::buffer::Cell| {
        if cell.modifier.contains(Modifier::REVERSED) {
            (rgb(cell.bg, false), rgb(cell.fg, true))
        } else {
            (rgb(cell.fg, true), rgb(cell.bg, false))
        }
    };
    for y in 0..h {
        // Backgrounds; the second cell of a wide character is painted like the first.
        let mut backgrounds = Vec::with_capacity(w as usize);
        let mut x = 0;
        while x < w {
            let cell = &buffer[(x, y)];
            let span = unicode_width::UnicodeWidthStr::width(cell.symbol()).clamp(1, 2) as u16;
            for _ in 0..span.min(w - x) {
                backgrounds.push(colours(cell).1);
            }
            x += span;
        }
        let mut x = 0;
        while x < w {
            let bg = backgrounds[x as usize];
            let start = x;
            while x < w && backgrounds[x as usize] == bg {
                x += 1;
            }
            if bg != rgb(Color::Reset, false) {
                out += &format!(
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{CH}\" fill=\"{bg}\"/>\n",
                    start as f32 * CW,
                    y as f32 * CH,
                    (x - start) as f32 * CW
                );
            }
        }
        // Text: pieces of same style and width, split at spaces.
        let mut x = 0;
        while x < w {
            let cell = &buffer[(x, y)];
            let symbol = cell.symbol();
            let width = unicode_width::UnicodeWidthStr::width(symbol) as u16;
            if symbol == " " || symbol.is_empty() || width == 0 {
                x += 1;
                continue;
            }
            let start = x;
            let mut text = String::new();
            while x < w {
                let c = &buffer[(x, y)];
                let sym = c.symbol();
                if sym == " "
                    || c.fg != cell.fg
                    || c.bg != cell.bg
                    || c.modifier != cell.modifier
                    || unicode_width::UnicodeWidthStr::width(sym) as u16 != width
                    || (width > 1 && x > start)
                {
                    break;
                }
                text.push_str(&escape(sym));
                x += width;
            }
            let (fg, _) = colours(cell);
            let mut attrs = format!("fill=\"{fg}\"");
            if cell.modifier.contains(Modifier::BOLD) {
                attrs += " font-weight=\"bold\"";
            }
            if cell.modifier.contains(Modifier::UNDERLINED) {
                attrs += " text-decoration=\"underline\"";
            }
            out += &format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" {attrs}>{text}</text>\n",
                start as f32 * CW + if width > 1 { 1.5 } else { 0.0 },
                y as f32 * CH + 14.0,
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

/// `assets/screenshot.svg` is the reader on the seeds at 140x40, reading the 观察者网 report.
/// Regenerate with `READER_UPDATE_SCREENSHOT=1 cargo test --test tui_seeds screenshot`.
#[test]
fn screenshot_svg_is_current() {
    let mut app = seeds_app(140, 40, config());
    press(&mut app, "j Enter");
    let terminal = snapshot(&app);
    let picture = svg(terminal.backend().buffer());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/screenshot.svg");
    if std::env::var_os("READER_UPDATE_SCREENSHOT").is_some() {
        std::fs::write(path, &picture).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == picture,
        "assets/screenshot.svg is out of date: run READER_UPDATE_SCREENSHOT=1 cargo test --test tui_seeds screenshot"
    );
}
