//! The stories view (issue #11) in the reader, on trimmed real reports of archive-dev
//! (`tests/fixtures/stories/archive`): opening it (`s`), the list of stories, filtering (`/`),
//! a story's coverage (Enter), marking two of its reports and comparing them, `c`'s pick from
//! the same story, reading a report from the coverage; snapshots at 80x24 and 200x50.

mod tui_support;

use std::path::PathBuf;
use std::sync::OnceLock;

use ratatui::layout::Rect;
use reader::library::Library;
use reader::tui::app::App;
use reader::tui::keymap::Layer;
use reader::tui::layout::Pane;
use tui_support::*;

const ROOT: &str = "tests/fixtures/stories/archive";

/// The trimmed labelled reports: 217 files of five outlets. Loaded once.
fn library() -> Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY
        .get_or_init(|| {
            let library = Library::load(&[PathBuf::from(ROOT)]);
            assert!(library.articles.len() > 200, "{:?}", library.problems);
            library
        })
        .clone()
}

fn app(width: u16, height: u16) -> App {
    let mut app = App::new(config(), Rect::new(0, 0, width, height));
    app.add_library(library());
    app
}

fn id_of(app: &App, needle: &str) -> u32 {
    app.articles()
        .iter()
        .position(|a| a.path().to_string_lossy().contains(needle))
        .unwrap_or_else(|| panic!("no file {needle}")) as u32
}

fn text(app: &App) -> String {
    screen(app).join("\n")
}

fn story_titles(app: &App) -> Vec<String> {
    let (view, _) = app.stories_view();
    view.iter()
        .map(|&n| {
            app.articles()[app.stories()[n as usize].headline]
                .title
                .clone()
        })
        .collect()
}

fn outlet(app: &App, id: u32) -> String {
    app.articles()[id as usize]
        .outlet
        .clone()
        .unwrap_or_default()
}

/// Selects the story whose headline contains `needle` in the stories list.
fn select_story(app: &mut App, needle: &str) {
    press(app, "g");
    for _ in 0..story_titles(app).len() {
        let (view, selected) = app.stories_view();
        let n = view[selected] as usize;
        if app.articles()[app.stories()[n].headline]
            .title
            .contains(needle)
        {
            return;
        }
        press(app, "j");
    }
    panic!("no story titled like {needle}: {:?}", story_titles(app));
}

#[test]
fn s_opens_the_stories_grouped_across_outlets_and_esc_closes() {
    let mut app = app(200, 50);
    press(&mut app, "s");
    assert_eq!(app.layer(), Layer::Stories);
    // Every report is in exactly one story.
    let mut members: Vec<usize> = app
        .stories()
        .iter()
        .flat_map(|s| s.members.clone())
        .collect();
    members.sort();
    assert_eq!(members, (0..app.articles().len()).collect::<Vec<_>>());
    // Reports of one event from two outlets are one story.
    let story_of = |app: &App, needle: &str| {
        let id = id_of(app, needle) as usize;
        app.stories()
            .iter()
            .position(|s| s.members.contains(&id))
            .unwrap()
    };
    assert_eq!(story_of(&app, "1048460_"), story_of(&app, "1048401_"));
    // Only stories of two outlets or more are listed, until `a`.
    let (view, _) = app.stories_view();
    let shown = view.len();
    assert!(view.iter().all(|&n| {
        reader::tui::app::outlet_counts(app.articles(), &app.stories()[n as usize]).len() > 1
    }));
    press(&mut app, "a");
    assert_eq!(app.stories_view().0.len(), app.stories().len());
    assert!(app.stories().len() > shown);
    press(&mut app, "a");
    assert_eq!(app.stories_view().0.len(), shown);
    // The stories are newest first.
    let lasts: Vec<i64> = app.stories().iter().filter_map(|s| s.last).collect();
    assert!(lasts.windows(2).all(|w| w[0] >= w[1]));
    let screen = text(&app);
    assert!(screen.contains(" Stories "), "{screen}");
    assert!(screen.contains("across outlets"), "{screen}");
    press(&mut app, "Esc");
    assert_eq!(app.layer(), Layer::List);
    assert!(!app.stories_open());
    // `s` again, and `s` closes too.
    press(&mut app, "s");
    assert_eq!(app.layer(), Layer::Stories);
    press(&mut app, "s");
    assert_eq!(app.layer(), Layer::List);
}

#[test]
fn stories_list_snapshots_at_80x24_and_200x50() {
    let mut small = app(80, 24);
    press(&mut small, "s");
    insta::assert_snapshot!("stories_80x24", text(&small));
    let mut wide = app(200, 50);
    press(&mut wide, "s");
    insta::assert_snapshot!("stories_200x50", text(&wide));
}

#[test]
fn slash_filters_the_stories_in_either_script() {
    let mut app = app(120, 30);
    press(&mut app, "s");
    let all = story_titles(&app).len();
    // Traditional characters find the Simplified reports.
    press(&mut app, "/ '陳方安生");
    assert_eq!(app.layer(), Layer::Search);
    press(&mut app, "Enter");
    assert_eq!(app.layer(), Layer::Stories);
    let shown = story_titles(&app);
    assert_eq!(shown, ["香港泛民主派精神领袖之一陈方安生宣布退出政坛"]);
    assert_eq!(
        app.message().unwrap().text,
        format!("1 of {all} stories match")
    );
    // A member's title matches even when the headline is another's.
    press(&mut app, "/ C-u '不堪丧女 Enter");
    assert_eq!(story_titles(&app).len(), 1);
    // Esc clears the filter first, then closes.
    press(&mut app, "Esc");
    assert_eq!(story_titles(&app).len(), all);
    assert_eq!(app.layer(), Layer::Stories);
    press(&mut app, "/ 'nothing-like-this Enter");
    assert!(text(&app).contains("no story matches “nothing-like-this”"));
    // `s` closes the view even with a filter (kept for the next time).
    press(&mut app, "s");
    assert_eq!(app.layer(), Layer::List);
    press(&mut app, "s");
    assert_eq!(app.stories_filter(), "nothing-like-this");
}

#[test]
fn enter_shows_the_coverage_by_outlet_with_terms_and_the_missing_outlets() {
    let mut app = app(200, 50);
    press(&mut app, "s");
    select_story(&mut app, "陈方安生");
    press(&mut app, "Enter");
    assert_eq!(app.layer(), Layer::Coverage);
    let c = app.coverage().unwrap();
    assert_eq!(c.reports.len(), 2);
    let outlets: Vec<(&str, usize)> = c.outlets.iter().map(|(n, k)| (n.as_str(), *k)).collect();
    assert_eq!(outlets, [("法广", 1), ("美国之音", 1)]);
    let by: Vec<String> = c.reports.iter().map(|&id| outlet(&app, id)).collect();
    assert_eq!(by, ["法广", "美国之音"]);
    assert_eq!(c.missing, ["BBC中文", "德國之聲", "路透"]);
    // Who names whom: both quote 祸港四人帮; only 美国之音 names 何俊仁. (The segmenter cuts
    // 陈方安生 into 陈方 and 安生.)
    let row = |t: &str| c.terms.iter().find(|r| r.term == t).map(|r| r.by.clone());
    assert_eq!(row("祸港四人帮"), Some(vec![true, true]), "{:?}", c.terms);
    assert_eq!(row("何俊仁"), Some(vec![false, true]), "{:?}", c.terms);
    let screen = text(&app);
    for needle in [
        "Reports",
        "Coverage by outlet",
        "Not reported by: BBC中文, 德國之聲, 路透",
        "Terms by outlet",
        "Dates the reports mention",
    ] {
        assert!(screen.contains(needle), "{needle} not in\n{screen}");
    }
    press(&mut app, "Esc");
    assert_eq!(app.layer(), Layer::Stories);
}

#[test]
fn coverage_snapshots_at_80x24_and_200x50() {
    for (w, h, name) in [(80, 24, "coverage_80x24"), (200, 50, "coverage_200x50")] {
        let mut app = app(w, h);
        press(&mut app, "s");
        select_story(&mut app, "郑雁雄");
        press(&mut app, "Enter");
        insta::assert_snapshot!(name, text(&app));
    }
}

#[test]
fn the_coverage_scrolls_to_its_terms_and_timeline() {
    let mut app = app(80, 24);
    press(&mut app, "s");
    select_story(&mut app, "郑雁雄");
    press(&mut app, "Enter");
    let n = app.coverage().unwrap().reports.len();
    assert!(n >= 5, "{n}");
    press(&mut app, "j j");
    assert_eq!(app.coverage().unwrap().selected, 2);
    assert_eq!(app.coverage().unwrap().scroll, 0);
    press(&mut app, "G");
    let c = app.coverage().unwrap();
    assert_eq!(c.selected, n - 1);
    assert!(c.scroll > 0);
    assert!(text(&app).contains("Dates the reports mention"));
    press(&mut app, "g");
    assert_eq!(app.coverage().unwrap().scroll, 0);
    assert_eq!(app.coverage().unwrap().selected, 0);
}

#[test]
fn mark_two_reports_in_the_coverage_and_compare_them() {
    let mut app = app(200, 50);
    press(&mut app, "s");
    select_story(&mut app, "郑雁雄");
    press(&mut app, "Enter");
    // The first report and the last.
    press(&mut app, "Space G Space");
    let c = app.coverage().unwrap();
    let (first, last) = (c.reports[0], *c.reports.last().unwrap());
    assert_eq!(app.marked(), [first, last]);
    let (oa, ob) = (outlet(&app, first), outlet(&app, last));
    press(&mut app, "c");
    assert_eq!(app.layer(), Layer::Compare);
    let cmp = &app.compare_view().unwrap().comparison;
    let mut pair = [cmp.a.header.outlet.clone(), cmp.b.header.outlet.clone()];
    pair.sort();
    let mut want = [oa, ob];
    want.sort();
    assert_eq!(pair, want);
    // Back from the comparison to the coverage.
    press(&mut app, "Esc");
    assert_eq!(app.layer(), Layer::Coverage);
}

#[test]
fn c_with_nothing_marked_picks_the_same_story_from_another_outlet() {
    let mut app = app(200, 50);
    // In the list: the 美国之音 report of Anson Chan's retirement.
    let id = id_of(&app, "1048460_");
    let at = app.view().iter().position(|&v| v == id).unwrap();
    press(&mut app, "g");
    for _ in 0..at {
        press(&mut app, "j");
    }
    assert_eq!(app.selected_id(), Some(id));
    press(&mut app, "c");
    assert_eq!(app.layer(), Layer::Compare);
    let message = app.message().unwrap().text.clone();
    assert!(
        message.starts_with("same story (2 reports, 2 outlets): 法广, "),
        "{message}"
    );
    assert!(message.contains("shares 陈方"), "{message}");
    let cmp = &app.compare_view().unwrap().comparison;
    let mut outlets = [cmp.a.header.outlet.as_str(), cmp.b.header.outlet.as_str()];
    outlets.sort();
    assert_eq!(outlets, ["法广", "美国之音"]);
}

#[test]
fn c_in_a_story_of_one_outlet_falls_back_to_the_related_pick_and_says_so() {
    let mut app = app(200, 50);
    // Stories of one outlet are listed after `a`.
    press(&mut app, "s a");
    assert!(app.all_stories());
    // A story all of one outlet.
    let (view, _) = app.stories_view();
    let at = view
        .iter()
        .position(|&n| {
            let s = &app.stories()[n as usize];
            reader::tui::app::outlet_counts(app.articles(), s).len() == 1
        })
        .unwrap();
    press(&mut app, "g");
    for _ in 0..at {
        press(&mut app, "j");
    }
    press(&mut app, "Enter c");
    assert_eq!(app.layer(), Layer::Compare);
    let message = app.message().unwrap().text.clone();
    assert!(
        message.starts_with("no other outlet in its story; most related: "),
        "{message}"
    );
}

#[test]
fn enter_on_a_report_reads_it_and_s_comes_back() {
    let mut app = app(200, 50);
    press(&mut app, "s");
    select_story(&mut app, "郑雁雄");
    press(&mut app, "Enter j");
    let id = app.coverage().unwrap().reports[1];
    press(&mut app, "Enter");
    assert_eq!(app.layer(), Layer::Body);
    assert_eq!(app.focus(), Pane::Body);
    assert_eq!(
        app.shown_article().unwrap().title,
        app.articles()[id as usize].title
    );
    assert!(!app.is_unread(id));
    press(&mut app, "s");
    assert_eq!(app.layer(), Layer::Coverage);
    assert_eq!(app.coverage().unwrap().selected, 1);
}

#[test]
fn help_lists_the_stories_keys() {
    let mut app = app(120, 40);
    press(&mut app, "s ?");
    let screen = text(&app);
    assert!(screen.contains("Stories"), "{screen}");
    press(&mut app, "Esc Enter ?");
    assert!(text(&app).contains("A story's coverage"));
}
