//! Headless app tests: key sequences in, state and screen text out. The body reader and the
//! renderer are stand-ins here (see `tui_support`), so these tests pin the app's own behaviour;
//! `tui_seeds.rs` runs the real ones on the seeds.

mod tui_support;

use ratatui::crossterm::event::KeyModifiers;
use ratatui::crossterm::event::{Event, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use reader::library::{LoadEvent, Problem, Severity};
use reader::tui::action::Effect;
use reader::tui::app::{App, Overlay};
use reader::tui::keymap::Layer;
use reader::tui::layout::Pane;
use tui_support::*;

fn titles(app: &App) -> Vec<String> {
    app.view()
        .iter()
        .map(|&id| app.articles()[id as usize].title.clone())
        .collect()
}

fn selected_title(app: &App) -> String {
    app.selected_article().unwrap().title.clone()
}

#[test]
fn list_is_newest_first_and_the_first_is_previewed() {
    let app = sample_app(140, 40);
    assert_eq!(
        titles(&app),
        [
            "COP27即將召開 美國敦促中國恢復氣候對話",
            "美国想跟中国重新走到一起",
            "Climate talks resume"
        ]
    );
    assert_eq!(app.focus(), Pane::List);
    assert_eq!(app.shown_article().unwrap().title, titles(&app)[0]);
    // Previewing does not mark as read.
    assert!(app.is_unread(app.view()[0]));
}

#[test]
fn moving_in_the_list_saturates_at_both_ends() {
    let mut app = sample_app(140, 40);
    press(&mut app, "k");
    assert_eq!(app.selected_id(), Some(app.view()[0]));
    press(&mut app, "j j j j");
    assert_eq!(selected_title(&app), "Climate talks resume");
    press(&mut app, "g");
    assert_eq!(selected_title(&app), titles(&app)[0]);
    press(&mut app, "End");
    assert_eq!(selected_title(&app), "Climate talks resume");
    press(&mut app, "Home Down");
    assert_eq!(selected_title(&app), "美国想跟中国重新走到一起");
    assert_eq!(
        app.shown_article().unwrap().title,
        "美国想跟中国重新走到一起"
    );
}

#[test]
fn enter_opens_marks_read_and_esc_goes_back() {
    let mut app = sample_app(140, 40);
    press(&mut app, "j Enter");
    assert_eq!(app.focus(), Pane::Body);
    assert_eq!(app.layer(), Layer::Body);
    let id = app.selected_id().unwrap();
    assert!(!app.is_unread(id));
    assert!(app.is_unread(app.view()[0]));
    press(&mut app, "Esc");
    assert_eq!(app.focus(), Pane::List);
}

#[test]
fn q_quits_from_the_list_only_and_ctrl_c_from_anywhere() {
    let mut app = sample_app(140, 40);
    press(&mut app, "Enter");
    assert_eq!(press(&mut app, "q"), []);
    assert_eq!(app.focus(), Pane::List);
    assert!(!app.should_quit());
    assert_eq!(press(&mut app, "q"), [Effect::Quit]);
    assert!(app.should_quit());

    for setup in ["?", "/ 'abc", "Enter o", "Enter /"] {
        let mut app = sample_app(140, 40);
        press(&mut app, setup);
        assert_eq!(press(&mut app, "C-c"), [Effect::Quit], "after {setup}");
    }
}

#[test]
fn body_scrolls_by_line_page_and_half_page_within_bounds() {
    let mut app = sample_app(140, 40);
    press(&mut app, "Enter");
    let height = app.body_height();
    let total = app.rendered().unwrap().lines.len();
    assert_eq!(height, 37);
    assert!(total > 2 * height, "{total}");
    press(&mut app, "j j");
    assert_eq!(app.body_scroll(), 2);
    press(&mut app, "Space");
    assert_eq!(app.body_scroll(), 2 + height - 1);
    press(&mut app, "b");
    assert_eq!(app.body_scroll(), 2);
    press(&mut app, "C-d");
    assert_eq!(app.body_scroll(), 2 + height / 2);
    press(&mut app, "C-u C-u");
    assert_eq!(app.body_scroll(), 0);
    press(&mut app, "G");
    assert_eq!(app.body_scroll(), total - height);
    press(&mut app, "j PageDown C-f");
    assert_eq!(app.body_scroll(), total - height);
    assert!(shows(
        &app,
        &format!("{}-{total}/{total} 100%", total - height + 1)
    ));
}

#[test]
fn j_and_k_capital_read_the_next_and_previous_article() {
    let mut app = sample_app(140, 40);
    press(&mut app, "Enter J");
    assert_eq!(
        app.shown_article().unwrap().title,
        "美国想跟中国重新走到一起"
    );
    assert_eq!(app.focus(), Pane::Body);
    assert!(!app.is_unread(app.selected_id().unwrap()));
    press(&mut app, "J J");
    assert_eq!(app.shown_article().unwrap().title, "Climate talks resume");
    assert_eq!(app.message().unwrap().text, "this is the last article");
    press(&mut app, "K");
    assert_eq!(
        app.shown_article().unwrap().title,
        "美国想跟中国重新走到一起"
    );
}

#[test]
fn list_filter_matches_traditional_and_simplified_as_you_type() {
    let mut app = sample_app(140, 40);
    press(&mut app, "/");
    assert_eq!(app.layer(), Layer::Search);
    // Simplified query, Traditional outlet.
    press(&mut app, "'德国");
    assert_eq!(titles(&app), ["COP27即將召開 美國敦促中國恢復氣候對話"]);
    press(&mut app, "Backspace Backspace");
    assert_eq!(titles(&app).len(), 3);
    // Traditional query matches a Simplified title, and the Traditional one.
    press(&mut app, "'美國");
    assert_eq!(
        titles(&app),
        [
            "COP27即將召開 美國敦促中國恢復氣候對話",
            "美国想跟中国重新走到一起"
        ]
    );
    assert!(shows(&app, "/美國"));
    assert!(shows(&app, "2 of 3"));
    press(&mut app, "Enter");
    assert_eq!(app.layer(), Layer::List);
    assert_eq!(app.filter(), "美國");
    assert!(shows(&app, "Articles 2/3 /美國"));
    press(&mut app, "j");
    assert_eq!(selected_title(&app), "美国想跟中国重新走到一起");
    // Esc clears the filter and keeps the selection.
    press(&mut app, "Esc");
    assert_eq!(titles(&app).len(), 3);
    assert_eq!(selected_title(&app), "美国想跟中国重新走到一起");
    // Case-insensitive Latin, and outlet matching.
    press(&mut app, "/ 'EXAMPLE Enter");
    assert_eq!(titles(&app), ["Climate talks resume"]);
    press(&mut app, "/ C-u 'zzz");
    assert!(titles(&app).is_empty());
    assert!(shows(&app, "no title, outlet or author matches “zzz”"));
    press(&mut app, "Esc");
    assert_eq!(titles(&app).len(), 3);
}

#[test]
fn body_find_highlights_and_cycles_with_n() {
    let mut app = sample_app(140, 40);
    press(&mut app, "Enter / '克里");
    let find = app.find().unwrap();
    // 克裡 in Traditional text is found by the Simplified query: once per paragraph.
    assert_eq!(find.matches.len(), 60);
    assert_eq!(find.current, 0);
    press(&mut app, "Enter");
    assert_eq!(app.layer(), Layer::Body);
    assert_eq!(app.message().unwrap().text, "match 1 of 60");
    press(&mut app, "n n");
    assert_eq!(app.find().unwrap().current, 2);
    press(&mut app, "N N N");
    assert_eq!(app.find().unwrap().current, 59);
    assert_eq!(
        app.message().unwrap().text,
        "match 60 of 60 (wrapped to the bottom)"
    );
    let (line, _) = app.find().unwrap().matches[59].clone();
    assert!(line >= app.body_scroll() && line < app.body_scroll() + app.body_height());
    // The current match is drawn in its own style.
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let mut current = Vec::new();
    let mut others = 0;
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if cell.bg == ratatui::style::Color::Magenta {
                current.push(cell.symbol().to_string());
            } else if cell.bg == ratatui::style::Color::Yellow {
                others += 1;
            }
        }
    }
    assert_eq!(current, ["克", "裡"]);
    assert!(others >= 2, "other visible matches are marked too");
    press(&mut app, "Esc");
    assert!(app.find().is_none());
    assert_eq!(app.focus(), Pane::Body);
    press(&mut app, "/ 'nothing-like-this Enter");
    assert_eq!(app.message().unwrap().text, "not found: nothing-like-this");
    assert!(app.message().unwrap().error);
}

#[test]
fn focus_moves_with_tab_and_h_l() {
    let mut app = sample_app(140, 40);
    press(&mut app, "Tab");
    assert_eq!(app.focus(), Pane::Body);
    press(&mut app, "Tab");
    assert_eq!(app.focus(), Pane::Meta);
    press(&mut app, "Tab");
    assert_eq!(app.focus(), Pane::List);
    press(&mut app, "BackTab");
    assert_eq!(app.focus(), Pane::Meta);
    press(&mut app, "h");
    assert_eq!(app.focus(), Pane::Body);
    press(&mut app, "h h");
    assert_eq!(app.focus(), Pane::List);
    press(&mut app, "l Right");
    assert_eq!(app.focus(), Pane::Meta);
}

#[test]
fn info_key_adapts_to_the_layout() {
    // Wide: metadata shown; `i` hides it and gives the body the room.
    let mut app = sample_app(140, 40);
    assert!(app.areas().meta.is_some());
    let narrow = app.body_width().unwrap();
    press(&mut app, "i");
    assert!(app.areas().meta.is_none());
    assert!(app.body_width().unwrap() > narrow);
    // 80x24: list and body; `i` puts the metadata where the list was.
    let mut app = sample_app(80, 24);
    assert_eq!(app.areas().visible(), [Pane::List, Pane::Body]);
    press(&mut app, "i");
    assert_eq!(app.areas().visible(), [Pane::Meta, Pane::Body]);
    assert_eq!(app.focus(), Pane::Meta);
    assert!(shows(&app, "Outlet"));
    press(&mut app, "Esc");
    assert_eq!(app.areas().visible(), [Pane::List, Pane::Body]);
    // One pane at a time: `i` shows the metadata, again goes back.
    let mut app = sample_app(50, 20);
    assert_eq!(app.areas().visible(), [Pane::List]);
    press(&mut app, "Enter");
    assert_eq!(app.areas().visible(), [Pane::Body]);
    press(&mut app, "i");
    assert_eq!(app.areas().visible(), [Pane::Meta]);
    press(&mut app, "i");
    assert_eq!(app.areas().visible(), [Pane::Body]);
    press(&mut app, "Esc");
    assert_eq!(app.areas().visible(), [Pane::List]);
}

#[test]
fn metadata_shows_local_and_relative_times() {
    let mut app = sample_app(140, 40);
    press(&mut app, "j");
    // 30 columns: labels above values.
    let rows: Vec<String> = screen(&app)
        .iter()
        .map(|r| r.split('│').nth(5).unwrap_or("").trim_end().to_string())
        .collect();
    let at = |label: &str| rows.iter().position(|r| r == &format!(" {label}")).unwrap();
    assert_eq!(rows[at("Outlet") + 1], "   观察者网");
    assert_eq!(rows[at("Published") + 1], "   2022-09-01 18:21 +08:00");
    assert_eq!(rows[at("Published") + 2], "   3 years ago");
    assert_eq!(rows[at("Archived") + 1], "   —");
    assert_eq!(rows[at("Format") + 1], "   html");
    assert_eq!(rows[at("Links") + 1], "   1");
    // 200 columns: labels beside values.
    app.resize(Rect::new(0, 0, 200, 50));
    assert!(shows(&app, "Published  2022-09-01 18:21 +08:00"));
    assert!(shows(&app, "           3 years ago"));
    assert!(shows(&app, "Outlet     观察者网"));
}

#[test]
fn links_overlay_copies_with_osc52_and_shows_the_url() {
    let mut app = sample_app(140, 40);
    press(&mut app, "o");
    assert_eq!(app.layer(), Layer::Links);
    assert!(shows(&app, "[1] 德國之聲"));
    assert!(shows(&app, "https://b.example/2"));
    press(&mut app, "j");
    let effects = press(&mut app, "Enter");
    assert_eq!(effects, [Effect::Copy("https://b.example/2".into())]);
    assert_eq!(
        app.message().unwrap().text,
        "copied [2] https://b.example/2"
    );
    assert!(shows(&app, "copied [2] https://b.example/2"));
    press(&mut app, "Esc");
    assert_eq!(app.overlay(), None);
    // An article without links says so.
    press(&mut app, "G o");
    assert_eq!(app.overlay(), None);
    assert_eq!(app.message().unwrap().text, "this article has no links");
}

#[test]
fn problems_overlay_lists_reasons_and_the_count_shows() {
    let mut app = sample_app(140, 40);
    press(&mut app, "!");
    assert_eq!(
        app.message().unwrap().text,
        "no problems: every file loaded"
    );
    app.add(
        vec![],
        vec![
            Problem {
                path: "bad/empty.txt".into(),
                reason: "empty file".into(),
                severity: Severity::Error,
            },
            Problem {
                path: "bad/latin1.txt".into(),
                reason: "invalid UTF-8, decoded lossily".into(),
                severity: Severity::Warning,
            },
        ],
    );
    assert_eq!(app.failed_count(), 1);
    assert!(shows(&app, "1 failed (!)"));
    press(&mut app, "!");
    assert!(matches!(app.overlay(), Some(Overlay::Problems { .. })));
    assert!(shows(&app, "error bad/empty.txt: empty file"));
    assert!(shows(
        &app,
        "warn  bad/latin1.txt: invalid UTF-8, decoded lossily"
    ));
    assert!(shows(&app, "1 failed, 1 warnings"));
    press(&mut app, "!");
    assert_eq!(app.overlay(), None);
}

#[test]
fn problems_overlay_wraps_reasons_at_spaces() {
    let mut app = sample_app(60, 20);
    app.add(
        vec![],
        vec![Problem {
            path: "bad/malformed-yaml.txt".into(),
            reason: "YAML front matter: mapping values are not allowed in this context".into(),
            severity: Severity::Error,
        }],
    );
    press(&mut app, "!");
    let rows = screen(&app);
    let first = rows
        .iter()
        .position(|r| r.contains("error bad/malformed-yaml.txt:"))
        .unwrap();
    // The reason breaks before a word, never inside one (by characters it would end in "valu").
    assert!(
        rows[first].ends_with("YAML front matter: mapping │"),
        "{rows:#?}"
    );
    assert!(rows[first + 1].starts_with("│       values are not allowed in this context "));
}

#[test]
fn help_is_generated_from_the_keymap() {
    let mut app = sample_app(140, 40);
    press(&mut app, "?");
    assert_eq!(app.layer(), Layer::Help);
    assert!(shows(&app, "Article list"));
    assert!(shows(&app, "j, ↓"));
    assert!(shows(&app, "open the article"));
    // Every action of every layer is in the help text.
    let text: Vec<String> = reader::tui::panes::help::lines(&app)
        .iter()
        .map(|l| l.to_string())
        .collect();
    for layer in Layer::ALL {
        for binding in app.keymap.bindings(layer) {
            assert!(
                text.iter()
                    .any(|l| l.contains(binding.action.description())),
                "{:?}",
                binding.action
            );
        }
    }
    press(&mut app, "G ?");
    assert_eq!(app.overlay(), None);
}

#[test]
fn status_bar_shows_position_scroll_and_hints() {
    let mut app = sample_app(140, 40);
    let status = screen(&app).pop().unwrap();
    assert!(status.starts_with(" 1/3 0% "), "{status}");
    assert!(status.contains("Enter open"), "{status}");
    assert!(status.contains("/ search"), "{status}");
    assert!(status.contains("q quit"), "{status}");
    press(&mut app, "Enter G");
    let status = screen(&app).pop().unwrap();
    assert!(status.starts_with(" 1/3 100% "), "{status}");
    assert!(status.contains("Space page"), "{status}");
    assert!(status.contains("J next"), "{status}");
}

#[test]
fn marks_up_to_two_for_comparison() {
    let mut app = sample_app(140, 40);
    press(&mut app, "Space");
    assert_eq!(app.marked(), [app.view()[0]]);
    assert_eq!(app.message().unwrap().text, "marked 1 of 2 for comparison");
    press(&mut app, "j Space");
    assert_eq!(
        app.message().unwrap().text,
        "marked 2 of 2: press c to compare"
    );
    press(&mut app, "j Space");
    assert_eq!(app.marked(), [app.view()[1], app.view()[2]]);
    press(&mut app, "Space");
    assert_eq!(app.marked(), [app.view()[1]]);
    // Rows: a day header above each report (the three are on three days).
    assert!(screen(&app)[4].starts_with("│1•"), "{}", screen(&app)[4]);
}

#[test]
fn resize_rewraps_the_body_and_keeps_the_place() {
    let mut app = sample_app(140, 40);
    press(&mut app, "Enter");
    let wide_lines = app.rendered().unwrap().lines.len();
    press(&mut app, "C-d C-d");
    let fraction = app.body_scroll() as f64 / wide_lines as f64;
    app.resize(Rect::new(0, 0, 80, 24));
    let lines = app.rendered().unwrap().lines.len();
    assert!(lines > wide_lines);
    let now = app.body_scroll() as f64 / lines as f64;
    assert!((now - fraction).abs() < 0.02, "{fraction} vs {now}");
    assert!(
        app.rendered()
            .unwrap()
            .lines
            .iter()
            .all(|l| l.width() <= app.body_width().unwrap() as usize)
    );
    app.handle(&Event::Resize(15, 4));
    let text = screen(&app)
        .iter()
        .map(|r| r.trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.starts_with("terminal too small (15x4); needs 20x5"),
        "{text}"
    );
    app.handle(&Event::Resize(140, 40));
    assert_eq!(app.areas().visible(), [Pane::List, Pane::Body, Pane::Meta]);
}

#[test]
fn deferred_preview_follows_when_the_selection_rests() {
    let mut config = config();
    config.defer_preview = true;
    let mut app = App::new(config, Rect::new(0, 0, 140, 40)).with_engine(fake_body, fake_render);
    app.add(sample(), vec![]);
    let first = app.shown_article().unwrap().title.clone();
    press(&mut app, "j j");
    assert!(app.preview_pending());
    assert_eq!(app.shown_article().unwrap().title, first);
    app.settle();
    assert!(!app.preview_pending());
    assert_eq!(app.shown_article().unwrap().title, "Climate talks resume");
    // Enter never waits.
    press(&mut app, "k Enter");
    assert_eq!(
        app.shown_article().unwrap().title,
        "美国想跟中国重新走到一起"
    );
}

#[test]
fn background_loading_shows_progress_and_keeps_the_selection() {
    let mut app = App::new(config(), Rect::new(0, 0, 140, 40)).with_engine(fake_body, fake_render);
    app.on_load(LoadEvent::Discovered(5));
    assert!(shows(&app, "loading 0/5"));
    assert!(shows(&app, "loading…"));
    let mut articles = sample();
    let newest = articles.remove(1);
    app.on_load(LoadEvent::Batch(articles, vec![]));
    assert!(shows(&app, "loading 2/5"));
    press(&mut app, "j");
    assert_eq!(selected_title(&app), "Climate talks resume");
    // A newer article arrives: the selection stays on the same article.
    app.on_load(LoadEvent::Batch(
        vec![newest],
        vec![Problem {
            path: "x".into(),
            reason: "binary file".into(),
            severity: Severity::Error,
        }],
    ));
    assert_eq!(selected_title(&app), "Climate talks resume");
    assert_eq!(titles(&app)[0], "COP27即將召開 美國敦促中國恢復氣候對話");
    assert!(shows(&app, "loading 4/5"));
    app.on_load(LoadEvent::Done);
    assert_eq!(app.progress(), None);
    assert_eq!(
        app.message().unwrap().text,
        "loaded 3 articles; 1 failed (press ! for the list)"
    );
}

#[test]
fn until_the_user_acts_the_newest_article_stays_selected_while_loading() {
    let mut app = App::new(config(), Rect::new(0, 0, 140, 40)).with_engine(fake_body, fake_render);
    let mut articles = sample();
    let at = articles
        .iter()
        .position(|a| a.title == "COP27即將召開 美國敦促中國恢復氣候對話")
        .unwrap();
    let newest = articles.remove(at);
    app.on_load(LoadEvent::Batch(articles, vec![]));
    assert_eq!(selected_title(&app), "美国想跟中国重新走到一起");
    // A newer article arrives before any key: the top row (the newest) is selected and shown.
    app.on_load(LoadEvent::Batch(vec![newest], vec![]));
    assert_eq!(
        selected_title(&app),
        "COP27即將召開 美國敦促中國恢復氣候對話"
    );
    assert_eq!(
        app.shown_article().unwrap().title,
        "COP27即將召開 美國敦促中國恢復氣候對話"
    );
}

#[test]
fn unreadable_body_is_reported_in_the_pane() {
    let mut app = App::new(config(), Rect::new(0, 0, 140, 40)).with_engine(fake_body, fake_render);
    app.add(vec![article("Gone", None, None, "UNREADABLE")], vec![]);
    assert!(shows(&app, "cannot read mem/Gone.html: permission denied"));
}

#[test]
fn mouse_is_ignored_unless_enabled() {
    let click = |x, y| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    let wheel = |x, y| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut app = sample_app(140, 40);
    app.handle(&click(5, 3));
    assert_eq!(app.selected_id(), Some(app.view()[0]));
    let mut config = config();
    config.mouse = true;
    let mut app = App::new(config, Rect::new(0, 0, 140, 40)).with_engine(fake_body, fake_render);
    app.add(sample(), vec![]);
    // Row 6 of the screen is the third article (border, then rows from y = 1, each report
    // under its day's header); row 5 is its day header, which selects nothing.
    app.handle(&click(5, 5));
    assert_eq!(selected_title(&app), titles(&app)[0]);
    app.handle(&click(5, 6));
    assert_eq!(selected_title(&app), "Climate talks resume");
    app.handle(&click(60, 10));
    assert_eq!(app.focus(), Pane::Body);
    app.handle(&wheel(60, 10));
    assert_eq!(app.body_scroll(), 0, "short article does not scroll");
    app.handle(&click(5, 2));
    app.handle(&wheel(60, 10));
    assert_eq!(app.body_scroll(), 3);
    assert_eq!(app.focus(), Pane::List);
}

#[test]
fn quitting_after_resizes_through_every_mode() {
    let mut app = sample_app(80, 24);
    press(&mut app, "j Enter Space o Enter");
    for (w, h) in [(140, 40), (45, 12), (15, 4), (100, 30)] {
        app.handle(&Event::Resize(w, h));
    }
    assert_eq!(press(&mut app, "q"), []);
    assert_eq!(app.overlay(), None);
    assert_eq!(press(&mut app, "q"), []);
    assert_eq!(app.focus(), Pane::List);
    assert_eq!(press(&mut app, "q"), [Effect::Quit]);
}

#[test]
fn control_characters_never_reach_the_search_prompt() {
    let mut app = sample_app(140, 40);
    press(&mut app, "/");
    for c in ['\u{1b}', '\u{9b}', '\u{7}', '\u{202e}', 'a'] {
        app.update(reader::tui::action::Action::Insert(c));
    }
    assert_eq!(app.input().unwrap().text, "a");
}

#[test]
fn the_list_turns_pages_keeping_a_row_of_context() {
    let articles: Vec<_> = (0..100)
        .map(|i| {
            article(
                &format!("report {i:03}"),
                Some("Example"),
                Some(&format!("2020-01-01T00:{:02}:{:02}Z", i / 60, i % 60)),
                "<p>x</p>",
            )
        })
        .collect();
    let mut app = App::new(config(), Rect::new(0, 0, 80, 24)).with_engine(fake_body, fake_render);
    app.add(articles, vec![]);
    // 21 rows inside the borders at 80x24: the day's header, then the newest (099) first.
    let rows = |app: &App| {
        screen(app)[1..22]
            .iter()
            .map(|r| {
                let row = r.split('│').nth(1).unwrap();
                match row.find("report") {
                    Some(at) => row[at..].trim().to_string(),
                    None => row.trim_end_matches('─').trim().to_string(),
                }
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&app)[0], "── 2020-01-01 Wed · 100");
    press(&mut app, &"j ".repeat(19));
    assert_eq!(rows(&app)[1], "report 099");
    assert_eq!(selected_title(&app), "report 080");
    press(&mut app, "j");
    // The page turned: the previous selection stays as the first row.
    assert_eq!(rows(&app)[0], "report 080");
    assert_eq!(rows(&app)[1], "report 079");
    assert_eq!(selected_title(&app), "report 079");
    press(&mut app, "k k");
    // Back up past the top: the page turns back, with the row after the selection in view.
    assert_eq!(selected_title(&app), "report 081");
    assert_eq!(rows(&app)[19], "report 081");
    assert_eq!(rows(&app)[20], "report 080");
    press(&mut app, "G");
    assert_eq!(rows(&app)[20], "report 000");
}

/// `reader serve`'s sharing: readers started from one catalog list the same articles through
/// the same allocation, each with its own selection, filter and flags; a problems-only batch
/// (a bad config file) leaves the catalog shared, and a reader whose articles arrive in batches
/// alone changes its catalog in place.
#[test]
fn readers_of_one_catalog_share_it_and_keep_their_own_state() {
    use reader::library::Library;
    use reader::tui::app::Catalog;
    use std::sync::Arc;

    let mut library = Library::default();
    library.extend(sample(), vec![]);
    let (catalog, problems) = Catalog::of_library(library, clock().tz);
    let new = || {
        App::new(config(), ratatui::layout::Rect::new(0, 0, 120, 30))
            .with_engine(fake_body, fake_render)
            .with_catalog(catalog.clone(), problems.clone())
    };
    let (mut a, mut b) = (new(), new());
    assert!(Arc::ptr_eq(a.catalog(), &catalog) && Arc::ptr_eq(b.catalog(), &catalog));
    assert_eq!(Arc::strong_count(&catalog), 3);
    assert_eq!(titles(&a), titles(&b));
    assert_eq!(titles(&a).len(), 3);

    press(&mut a, "j");
    press(&mut a, "u");
    press(&mut b, "/");
    press(&mut b, "'Climate");
    press(&mut b, "Enter");
    assert_eq!(selected_title(&a), "美国想跟中国重新走到一起");
    assert_eq!(selected_title(&b), "Climate talks resume");
    assert_eq!(b.view().len(), 1);
    assert_eq!(a.view().len(), 3);
    let id = a.selected_id().unwrap();
    assert!(a.flags(id).read);
    assert!(!b.flags(id).read);

    b.add(
        vec![],
        vec![reader::library::Problem::warning(
            "config.toml",
            "line 3: bad",
        )],
    );
    assert!(Arc::ptr_eq(b.catalog(), &catalog));
    assert_eq!(b.problems().len(), 1);
    assert!(a.problems().is_empty());

    let mut local = sample_app(120, 30);
    let before = Arc::as_ptr(local.catalog());
    local.add(
        vec![article(
            "Later",
            Some("观察者网"),
            Some("2023-01-01T00:00:00Z"),
            "<p>x</p>",
        )],
        vec![],
    );
    assert_eq!(Arc::as_ptr(local.catalog()), before);
    assert_eq!(local.articles().len(), 4);
    assert_eq!(selected_title(&local), "Later");
}
