//! Property test: any terminal size from 1x1 to 400x150 and any key sequence (with resizes in
//! between) neither panics nor breaks the app's invariants, on the real seeds and renderer.

mod tui_support;

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use reader::compare::Side;
use reader::library::Library;
use reader::tui::app::App;
use reader::tui::compare_view::Geometry;
use reader::tui::ui;
use tui_support::*;

const KEYS: &[&str] = &[
    "j",
    "k",
    "J",
    "K",
    "g",
    "G",
    "Home",
    "End",
    "Space",
    "PageDown",
    "PageUp",
    "b",
    "C-f",
    "C-b",
    "C-d",
    "C-u",
    "Enter",
    "Tab",
    "BackTab",
    "h",
    "l",
    "Left",
    "Right",
    "/",
    "n",
    "N",
    "Esc",
    "i",
    "o",
    "?",
    "!",
    "Backspace",
    "c",
    "s",
    "t",
    "y",
    "q",
    "Down",
    "Up",
    "x",
    "美",
    "國",
];

#[derive(Clone, Debug)]
enum Step {
    Key(usize),
    Resize(u16, u16),
    Settle,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => (0..KEYS.len()).prop_map(Step::Key),
        1 => (1u16..=400, 1u16..=150).prop_map(|(w, h)| Step::Resize(w, h)),
        1 => Just(Step::Settle),
    ]
}

fn apply(app: &mut App, step: &Step) {
    match step {
        Step::Key(i) => {
            let spec = KEYS[*i];
            let event = if spec.chars().count() == 1 && !spec.is_ascii() {
                KeyEvent::new(
                    KeyCode::Char(spec.chars().next().unwrap()),
                    KeyModifiers::NONE,
                )
            } else {
                key_event(spec)
            };
            // `q` in the list quits; the loop would stop, so the test goes on as if restarted.
            app.handle(&Event::Key(event));
        }
        Step::Resize(w, h) => {
            app.handle(&Event::Resize(*w, *h));
        }
        Step::Settle => app.settle(),
    }
}

fn check(app: &App, terminal: &mut Terminal<TestBackend>) {
    let size = app.size();
    terminal.backend_mut().resize(size.width, size.height);
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    if !app.view().is_empty() {
        assert!(app.selected_id().is_some());
    }
    if let (Some(width), Some(rendered)) = (app.body_width(), app.rendered()) {
        for line in &rendered.lines {
            assert!(line.width() <= width as usize, "line wider than {width}");
        }
        assert!(app.body_scroll() <= rendered.lines.len());
    }
    let areas = app.areas();
    for rect in [areas.list, areas.body, areas.meta].into_iter().flatten() {
        assert!(rect.right() <= size.width && rect.bottom() <= size.height);
    }
    // The comparison: every shown line fits its column, positions stay inside the text.
    if let Some(view) = app.compare_view() {
        let g = Geometry::new(areas.main);
        for (i, side) in [Side::A, Side::B].into_iter().enumerate() {
            let rect = g.columns[i];
            assert!(rect.right() <= size.width && rect.bottom() <= size.height);
            let width = Geometry::text_area(rect).width as usize;
            for line in view.visible(side, view.body_rows()).into_iter().flatten() {
                assert!(line.width() <= width, "compare line wider than {width}");
            }
            for line in view.title(side) {
                assert!(line.width() <= width);
            }
            let (top, total) = view.position(side);
            assert!(top <= total);
        }
        let width = Geometry::text_area(g.ledger).width as usize;
        for line in view.ledger_lines() {
            assert!(line.width() <= width, "ledger line wider than {width}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_size_and_keys_never_panic(
        w in 1u16..=400,
        h in 1u16..=150,
        color in any::<bool>(),
        ascii in any::<bool>(),
        steps in proptest::collection::vec(step(), 0..40),
    ) {
        let mut config = config();
        config.color = color;
        config.ascii = ascii;
        config.defer_preview = true;
        let mut app = App::new(config, Rect::new(0, 0, w, h));
        app.add_library(Library::bundled());
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        check(&app, &mut terminal);
        for step in &steps {
            apply(&mut app, step);
            check(&app, &mut terminal);
        }
    }
}

/// Every size on a coarse grid, plus all the small ones, in every pane and overlay.
#[test]
fn small_and_odd_sizes_draw_in_every_state() {
    let states = [
        "",
        "Enter",
        "Enter i",
        "?",
        "!",
        "Enter o",
        "/ '美",
        "Enter / '美",
        "c",
        "c l",
        "c s Tab j j",
        "c t G",
        "c ?",
    ];
    let mut sizes: Vec<(u16, u16)> = Vec::new();
    for w in 1..=30 {
        for h in 1..=16 {
            sizes.push((w, h));
        }
    }
    for w in (31..=400).step_by(37) {
        for h in (17..=150).step_by(19) {
            sizes.push((w, h));
        }
    }
    for state in states {
        let mut app = App::new(config(), Rect::new(0, 0, 140, 40));
        app.add_library(Library::bundled());
        press(&mut app, state);
        let mut terminal = Terminal::new(TestBackend::new(1, 1)).unwrap();
        for &(w, h) in &sizes {
            app.resize(Rect::new(0, 0, w, h));
            check(&app, &mut terminal);
        }
    }
}
