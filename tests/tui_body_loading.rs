//! How the shown article's body is read and rendered: parsed once per article (a resize only
//! lays it out again), and, for large articles, off the UI thread with a "Loading…" placeholder
//! and results for a selection the user has left dropped.

mod tui_support;

use std::cell::Cell;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use ratatui::layout::Rect;
use reader::article::{Article, Body, LoadError};
use reader::library::Library;
use reader::render::clean::Cleaner;
use reader::render::{self, Prepared, RenderOptions, Rendered};
use reader::tui::app::{App, BodyReady};
use tui_support::*;

thread_local! {
    // Per test thread: the synchronous path calls the engine on the test's own thread.
    static LOADS: Cell<usize> = const { Cell::new(0) };
    static PARSES: Cell<usize> = const { Cell::new(0) };
    static LAYOUTS: Cell<usize> = const { Cell::new(0) };
}

fn counting_body(article: &Article) -> Result<Body, LoadError> {
    LOADS.with(|c| c.set(c.get() + 1));
    fake_body(article)
}

fn counting_prepare(html: &str, cleaner: &Cleaner) -> Prepared {
    PARSES.with(|c| c.set(c.get() + 1));
    render::prepare_with(html, cleaner)
}

fn counting_layout(a: &Article, p: &Prepared, width: u16, o: &RenderOptions) -> Rendered {
    LAYOUTS.with(|c| c.set(c.get() + 1));
    render::layout_article(a, p, width, o)
}

/// (body loads, HTML parses, layouts) so far on this thread.
fn counts() -> (usize, usize, usize) {
    (
        LOADS.with(Cell::get),
        PARSES.with(Cell::get),
        LAYOUTS.with(Cell::get),
    )
}

fn widest(app: &App) -> usize {
    app.rendered()
        .unwrap()
        .lines
        .iter()
        .map(|l| l.width())
        .max()
        .unwrap()
}

#[test]
fn a_resize_lays_out_again_without_reading_or_parsing_the_body() {
    let mut app = App::new(config(), Rect::new(0, 0, 140, 40)).with_split_engine(
        counting_body,
        counting_prepare,
        counting_layout,
    );
    app.add(sample(), vec![]);
    assert_eq!(counts(), (1, 1, 1));
    let wide = app.rendered().unwrap().lines.len();
    assert!(widest(&app) <= app.body_width().unwrap() as usize);

    app.resize(Rect::new(0, 0, 80, 24));
    assert_eq!(counts(), (1, 1, 2), "a new width costs one layout only");
    assert!(app.rendered().unwrap().lines.len() > wide);
    assert!(widest(&app) <= app.body_width().unwrap() as usize);

    // Back to a width seen before: the kept rendering, no work at all.
    app.resize(Rect::new(0, 0, 140, 40));
    assert_eq!(counts(), (1, 1, 2));
    assert_eq!(app.rendered().unwrap().lines.len(), wide);

    // Another article is read and parsed once.
    press(&mut app, "j");
    assert_eq!(counts(), (2, 2, 3));
}

/// An app whose bodies all load on the worker, and the channel its results arrive on.
fn worker_app() -> (App, Receiver<BodyReady>) {
    let (tx, rx) = mpsc::channel();
    let app = App::new(config(), Rect::new(0, 0, 140, 40))
        .with_engine(fake_body, fake_render)
        .with_worker(0, move |ready| {
            let _ = tx.send(ready);
        })
        .unwrap();
    (app, rx)
}

/// The worker's next result (the timeout only keeps a broken worker from hanging the test).
fn next(rx: &Receiver<BodyReady>) -> BodyReady {
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the worker answers")
}

#[test]
fn the_placeholder_shows_while_loading_and_the_result_is_used() {
    let (mut app, rx) = worker_app();
    app.add(sample(), vec![]);
    let title = app.shown_article().unwrap().title.clone();
    assert_eq!(title, "COP27即將召開 美國敦促中國恢復氣候對話");
    assert!(app.rendered().is_none());
    assert!(shows(&app, "Loading…"));
    assert!(!shows(&app, "第1段"));

    let before = app.generation();
    app.on_body(next(&rx));
    assert!(app.generation() > before, "the result asks for a redraw");
    assert!(!shows(&app, "Loading…"));
    assert!(shows(&app, "第1段：美國氣候特使克裡表示"));
    // The worker's layout was for this width: the body scrolls over the whole text.
    assert_eq!(
        app.rendered().unwrap().lines.len(),
        fake_render(
            app.shown_article().unwrap(),
            &fake_body(app.shown_article().unwrap()).unwrap(),
            app.body_width().unwrap(),
            &RenderOptions::default()
        )
        .lines
        .len()
    );
}

#[test]
fn a_result_for_a_selection_left_behind_is_ignored() {
    let (mut app, rx) = worker_app();
    app.add(sample(), vec![]);
    let first = next(&rx);
    // Keys keep working while the body loads: move on before the result is applied.
    press(&mut app, "j");
    assert_eq!(
        app.shown_article().unwrap().title,
        "美国想跟中国重新走到一起"
    );
    let before = app.generation();
    app.on_body(first);
    assert_eq!(app.generation(), before, "a stale result changes nothing");
    assert!(shows(&app, "Loading…"));
    assert!(!shows(&app, "第1段"));

    let second = next(&rx);
    app.on_body(second);
    assert!(shows(&app, "美国气候特使克里说"));
    assert!(!shows(&app, "Loading…"));
}

#[test]
fn an_older_request_for_the_same_article_is_ignored() {
    let (mut app, rx) = worker_app();
    app.add(sample(), vec![]);
    let old = next(&rx);
    press(&mut app, "j k");
    assert_eq!(
        app.shown_article().unwrap().title,
        "COP27即將召開 美國敦促中國恢復氣候對話"
    );
    app.on_body(old);
    assert!(shows(&app, "Loading…"));
    // The worker skips the request for the article passed over; the newest one arrives.
    while app.rendered().is_none() {
        app.on_body(next(&rx));
    }
    assert!(shows(&app, "第1段：美國氣候特使克裡表示"));
}

#[test]
fn a_body_that_cannot_be_read_shows_its_error_after_loading() {
    let (mut app, rx) = worker_app();
    app.add(vec![article("Gone", None, None, "UNREADABLE")], vec![]);
    assert!(shows(&app, "Loading…"));
    app.on_body(next(&rx));
    assert!(shows(&app, "cannot read mem/Gone.html: permission denied"));
    assert!(!shows(&app, "Loading…"));
}

#[test]
fn small_bodies_load_in_place_even_with_a_worker() {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(config(), Rect::new(0, 0, 140, 40))
        .with_engine(fake_body, fake_render)
        .with_worker(1 << 20, move |ready| {
            let _ = tx.send(ready);
        })
        .unwrap();
    app.add(sample(), vec![]);
    assert!(shows(&app, "第1段：美國氣候特使克裡表示"));
    assert!(!shows(&app, "Loading…"));
    assert!(rx.try_recv().is_err(), "nothing was sent to the worker");
}

#[test]
fn the_real_engine_on_the_worker_draws_what_the_synchronous_path_draws() {
    let mut direct = App::new(config(), Rect::new(0, 0, 140, 40));
    direct.add_library(Library::bundled());
    let (tx, rx) = mpsc::channel();
    let mut background = App::new(config(), Rect::new(0, 0, 140, 40))
        .with_worker(0, move |ready| {
            let _ = tx.send(ready);
        })
        .unwrap();
    background.add_library(Library::bundled());
    assert!(shows(&background, "Loading…"));
    background.on_body(next(&rx));
    assert_eq!(screen(&background), screen(&direct));
    // A resize after a background load lays out from the kept parse, like the direct path.
    direct.resize(Rect::new(0, 0, 80, 24));
    background.resize(Rect::new(0, 0, 80, 24));
    assert_eq!(screen(&background), screen(&direct));
}

#[test]
fn a_resize_of_a_large_body_is_laid_out_on_the_worker_while_the_old_layout_shows() {
    let (tx, rx) = mpsc::channel();
    let mut app = App::new(config(), Rect::new(0, 0, 140, 40))
        .with_split_engine(fake_body, render::prepare_with, render::layout_article)
        .with_worker(0, move |ready| {
            let _ = tx.send(ready);
        })
        .unwrap();
    let mut html = String::from("<p>FIRSTPARA begins here.</p>");
    while html.len() < reader::tui::loader::RELAYOUT_MIN_BYTES + 1024 {
        html.push_str("<p>第一段：美國氣候特使克里表示，中美應恢復氣候對話。</p>");
    }
    app.add(
        vec![article(
            "Large",
            Some("德國之聲"),
            Some("2022-11-01T00:00:00Z"),
            &html,
        )],
        vec![],
    );
    app.on_body(next(&rx));
    let wide = app.rendered().unwrap().lines.len();
    assert_eq!(app.working(), None);

    app.resize(Rect::new(0, 0, 80, 24));
    // The old layout stays (no blank body), and the status bar says the new one is coming.
    assert_eq!(app.rendered().unwrap().lines.len(), wide);
    assert_eq!(app.working(), Some("laying out…"));
    assert!(shows(&app, "laying out…"));
    assert!(shows(&app, "FIRSTPARA"));

    app.on_body(next(&rx));
    assert_eq!(app.working(), None);
    assert!(app.rendered().unwrap().lines.len() > wide);
    assert!(widest(&app) <= app.body_width().unwrap() as usize);

    // A resize and a resize back before the worker answers: the stale answer is dropped and
    // the kept layout of the first width is used at once.
    app.resize(Rect::new(0, 0, 100, 30));
    assert_eq!(app.working(), Some("laying out…"));
    app.resize(Rect::new(0, 0, 140, 40));
    assert_eq!(app.working(), None);
    assert_eq!(app.rendered().unwrap().lines.len(), wide);
    app.on_body(next(&rx));
    assert_eq!(app.rendered().unwrap().lines.len(), wide);
    // The same from the width shown: back to it before the worker answers.
    app.resize(Rect::new(0, 0, 100, 30));
    assert_eq!(app.working(), Some("laying out…"));
    app.resize(Rect::new(0, 0, 140, 40));
    assert_eq!(app.working(), None);
    app.on_body(next(&rx));
    assert_eq!(app.working(), None);
    assert_eq!(app.rendered().unwrap().lines.len(), wide);
}
