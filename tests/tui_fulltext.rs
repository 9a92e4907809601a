//! `/` answered from the full-text index (issue #12): while the index is built the list filter
//! matches titles and says the body search is pending; once it is ready, a word found only in
//! a body lists its reports best first, each with the matching sentence, the query's words
//! marked. A PTY test runs the real binary on the same fixtures.

mod tui_support;

use std::path::PathBuf;
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use ratatui::layout::Rect;
use reader::article::{self, Article, Origin};
use reader::search::worker::{Corpus, Event};
use reader::tui::app::{App, IndexStatus};
use tui_support::*;

const FIXTURES: &str = "tests/fixtures/search";

fn fixtures() -> Vec<Article> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            article::parse(Origin::File(p), &bytes).unwrap()
        })
        .collect()
}

/// An app on the fixtures with an index worker over them, and the worker's events.
fn app_with_index(width: u16, height: u16) -> (App, mpsc::Receiver<Event>) {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let articles = fixtures();
    let mut app = App::new(config(), Rect::new(0, 0, width, height)).with_search_worker(
        Corpus::Articles(articles.clone()),
        move |e| {
            let _ = tx.lock().unwrap().send(e);
        },
    );
    app.add(articles, vec![]);
    (app, rx)
}

/// Hands the worker's events to the app until `done` holds; fails after 20 s.
fn pump(app: &mut App, rx: &mpsc::Receiver<Event>, done: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done(app) {
        assert!(
            Instant::now() < deadline,
            "no answer; screen:\n{}",
            screen(app).join("\n")
        );
        if let Ok(e) = rx.recv_timeout(Duration::from_millis(50)) {
            app.on_search(e);
        }
    }
}

fn titles(app: &App) -> Vec<String> {
    app.view()
        .iter()
        .map(|&id| app.articles()[id as usize].title.clone())
        .collect()
}

#[test]
fn while_indexing_the_list_matches_titles_and_says_the_body_search_is_pending() {
    let (mut app, _rx) = app_with_index(160, 20);
    press(&mut app, "/ '公帑");
    assert!(titles(&app).is_empty(), "公帑 is in a body only");
    assert!(
        shows(&app, "body search pending"),
        "{}",
        screen(&app).join("\n")
    );
    assert!(shows(&app, "no title, outlet or author matches “公帑”"));
}

#[test]
fn a_body_word_lists_its_reports_with_the_matching_sentence() {
    // Wide: the list has room for the snippet beside the title.
    let (mut app, rx) = app_with_index(200, 14);
    pump(&mut app, &rx, |a| a.index_status() == IndexStatus::Ready);
    press(&mut app, "/ '公帑");
    pump(&mut app, &rx, App::shows_hits);
    assert_eq!(titles(&app), ["香港立法会拉布议员再度发言"]);
    let id = app.view()[0];
    let snippet = app.snippet(id).expect("a snippet");
    assert_eq!(snippet.text, "建制派批评拉布浪费公帑。");
    assert_eq!(snippet.marks, vec![(9..11)]);
    insta::assert_snapshot!("fulltext_results_200", screen(&app).join("\n"));

    // Two bodies hold `talks`: both, each with its own sentence; typing on asks again.
    press(&mut app, "C-u 'talks");
    pump(&mut app, &rx, App::shows_hits);
    let mut got = titles(&app);
    got.sort();
    assert_eq!(
        got,
        [
            "Climate envoy meets ministers in Paris",
            "美國氣候特使克里訪問北京"
        ]
    );
    for &id in app.view() {
        let s = app.snippet(id).unwrap();
        assert!(s.text.contains("talks"), "{}", s.text);
        assert_eq!(s.marks.len(), 1);
    }
    // Other conditions still apply to the hits.
    press(&mut app, "Space 'outlet:dw");
    pump(&mut app, &rx, App::shows_hits);
    assert_eq!(titles(&app), ["美國氣候特使克里訪問北京"]);
    // Esc: the whole list, newest first, with its day headers again.
    press(&mut app, "Esc");
    assert_eq!(titles(&app).len(), 3);
    assert!(!app.shows_hits());
}

/// The index may know the folder before the list does (a cold load of a large archive): a hit
/// on a report still loading is kept, and takes its place among the hits (in rank order, with
/// its sentence) when the report arrives, whichever way the batch comes.
#[test]
fn hits_on_reports_still_loading_take_their_place_when_they_arrive() {
    use reader::tui::app::{Arrival, Listed};
    // The reference: every report listed before the query; its hits in rank order.
    let (mut all, rx_all) = app_with_index(200, 14);
    pump(&mut all, &rx_all, |a| {
        a.index_status() == IndexStatus::Ready
    });
    press(&mut all, "/ 'talks");
    pump(&mut all, &rx_all, App::shows_hits);
    let ranked = titles(&all);
    assert_eq!(ranked.len(), 2, "{ranked:?}");

    // Now the index holds all three while the list has only the Chinese report so far.
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let articles = fixtures();
    let (early, late): (Vec<Article>, Vec<Article>) = articles
        .iter()
        .cloned()
        .partition(|a| a.title == "美國氣候特使克里訪問北京");
    let mut app = App::new(config(), Rect::new(0, 0, 200, 14)).with_search_worker(
        Corpus::Articles(articles),
        move |e| {
            let _ = tx.lock().unwrap().send(e);
        },
    );
    app.on_load(reader::library::LoadEvent::Discovered(3));
    app.add(early, vec![]);
    pump(&mut app, &rx, |a| a.index_status() == IndexStatus::Ready);
    press(&mut app, "/ 'talks");
    pump(&mut app, &rx, App::shows_hits);
    assert_eq!(titles(&app), ["美國氣候特使克里訪問北京"]);

    // The rest arrive, prepared off the loop as the reader does: the kept hit is placed.
    let listed = Listed::prepare(late, vec![], clock().tz);
    app.on_arrival(Arrival::Batch(listed));
    assert!(app.shows_hits());
    assert_eq!(titles(&app), ranked, "the late hit takes its rank");
    let envoy = app
        .view()
        .iter()
        .copied()
        .find(|&id| app.articles()[id as usize].title == "Climate envoy meets ministers in Paris")
        .unwrap();
    assert!(app.snippet(envoy).unwrap().text.contains("talks"));
    // A report that matches nothing stays out: only the two hits are listed.
    app.on_load(reader::library::LoadEvent::Done);
    assert_eq!(titles(&app), ranked);
}

/// `d` jumps on the list as shown: with ranked hits (no day headers) it selects the best hit
/// on the day asked for, or on the nearest day among the hits, and says how many hits it has.
#[test]
fn jump_to_a_date_works_on_the_hits_shown() {
    let (mut app, rx) = app_with_index(200, 14);
    pump(&mut app, &rx, |a| a.index_status() == IndexStatus::Ready);
    press(&mut app, "/ 'talks");
    pump(&mut app, &rx, App::shows_hits);
    press(&mut app, "Enter");
    let selected = |app: &App| app.selected_article().unwrap().title.clone();
    // The undated hit selected first, so the jump has to move.
    let envoy = app
        .view()
        .iter()
        .position(|&id| app.articles()[id as usize].title.starts_with("Climate"))
        .unwrap();
    press(&mut app, if envoy == 0 { "g" } else { "G" });
    assert_eq!(selected(&app), "Climate envoy meets ministers in Paris");
    press(&mut app, "d '2020-07-09 Enter");
    assert!(app.shows_hits(), "the hits stay listed");
    assert_eq!(selected(&app), "美國氣候特使克里訪問北京");
    assert!(
        shows(&app, "2020-07-09 Thu: 1 of 2 hits"),
        "{}",
        screen(&app).join("\n")
    );
    // A day without hits: the nearest day that has one.
    press(&mut app, if envoy == 0 { "g" } else { "G" });
    press(&mut app, "d '2020-07-01 Enter");
    assert_eq!(selected(&app), "美國氣候特使克里訪問北京");
    assert!(
        shows(
            &app,
            "no reports on 2020-07-01 Wed; nearest: 2020-07-09 Thu (1 of 2 hits)"
        ),
        "{}",
        screen(&app).join("\n")
    );
}

#[test]
fn a_saved_filter_with_a_body_word_counts_and_lists_its_hits_once_the_index_answers() {
    let saved = |name: &str, query: &str| reader::config::SavedFilter {
        name: name.into(),
        query: query.into(),
    };
    let (app, rx) = app_with_index(120, 20);
    let mut app = app.with_filters(vec![saved("envoy talks", "talks -outlet:dw")]);
    // Before the index: words on titles, outlets and authors only, and the row says so.
    press(&mut app, "O");
    let row = |app: &App| app.folder_rows()[1].clone();
    assert_eq!(
        row(&app).note.as_deref(),
        Some("words: titles, outlets, authors only")
    );
    assert_eq!(row(&app).count, Some(0), "no title holds `talks`");
    // Chosen meanwhile: empty, then the index's hits once it answers.
    press(&mut app, "j Enter");
    assert!(titles(&app).is_empty());
    pump(&mut app, &rx, |a| !titles(a).is_empty());
    assert_eq!(titles(&app), ["Climate envoy meets ministers in Paris"]);
    press(&mut app, "O");
    assert_eq!(row(&app).count, Some(1), "two bodies hold it, one is DW's");
    assert_eq!(row(&app).note, None);
}

#[test]
fn a_folders_index_is_started_once_the_list_has_loaded() {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    let articles = fixtures();
    let mut app = App::new(config(), Rect::new(0, 0, 120, 20)).with_search_worker_after_load(
        Corpus::Articles(articles.clone()),
        move |e| {
            let _ = tx.lock().unwrap().send(e);
        },
    );
    app.on_load(reader::library::LoadEvent::Batch(articles, vec![]));
    press(&mut app, "/ '公帑");
    assert!(shows(&app, "body search pending"));
    // Nothing is indexed while the list loads.
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
    app.on_load(reader::library::LoadEvent::Done);
    pump(&mut app, &rx, App::shows_hits);
    assert_eq!(titles(&app), ["香港立法会拉布议员再度发言"]);
}
