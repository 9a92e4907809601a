//! The comparison view (issue #5) on the seeds at 200x60: opening it (`c`: most related article,
//! comparison, layout of both columns and the ledger) and a key (page down, locked) to a drawn
//! frame. `cargo bench --bench tui_compare`.

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use reader::library::Library;
use reader::tui::app::{App, Clock, Config};
use reader::tui::ui;

fn app() -> App {
    let config = Config {
        color: true,
        ascii: false,
        mouse: false,
        defer_preview: false,
        clock: Clock {
            now: "2025-11-22T08:00:00Z".parse().unwrap(),
            tz: jiff::tz::TimeZone::UTC,
        },
    };
    let mut app = App::new(config, Rect::new(0, 0, 200, 60));
    app.add_library(Library::bundled());
    app
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn benches(c: &mut Criterion) {
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    c.bench_function(
        "compare view: open with c (related pick, compare, layout) + frame",
        |b| {
            b.iter_batched(
                app,
                |mut app| {
                    app.handle_key(&key(KeyCode::Char('c')));
                    terminal.draw(|f| ui::draw(f, &app)).unwrap();
                    app
                },
                criterion::BatchSize::LargeInput,
            )
        },
    );
    let mut app = app();
    app.handle_key(&key(KeyCode::Char('c')));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    c.bench_function("compare view: page down/up + frame", |b| {
        let mut down = true;
        b.iter(|| {
            let k = if down {
                KeyCode::PageDown
            } else {
                KeyCode::PageUp
            };
            down = !down;
            app.handle_key(&key(k));
            terminal.draw(|f| ui::draw(f, &app)).unwrap();
        })
    });
    c.bench_function(
        "compare view: t (re-lay out both columns in another script) + frame",
        |b| {
            b.iter(|| {
                app.handle_key(&key(KeyCode::Char('t')));
                terminal.draw(|f| ui::draw(f, &app)).unwrap();
            })
        },
    );
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(group);
