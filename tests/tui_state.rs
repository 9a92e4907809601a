//! Read state in the reader (issue #12): `u` and `*` in the list and the body, opening marks
//! read, the marks in the list (one column each, ASCII with --ascii), the body reopening at its
//! position, and all of it kept in the state file between two apps.

mod tui_support;

use ratatui::layout::Rect;
use reader::library::Problem;
use reader::state::{Flags, LOCAL_USER, State};
use reader::tui::app::App;
use reader::tui::layout::Pane;
use tui_support::*;
use unicode_width::UnicodeWidthStr;

fn id_of(app: &App, title: &str) -> u32 {
    app.view()
        .iter()
        .copied()
        .find(|&id| app.articles()[id as usize].title == title)
        .unwrap()
}

const DW: &str = "COP27即將召開 美國敦促中國恢復氣候對話";
const GUANCHA: &str = "美国想跟中国重新走到一起";
const EN: &str = "Climate talks resume";

fn app_with(width: u16, height: u16, ascii: bool, state: State) -> App {
    let mut config = config();
    config.ascii = ascii;
    let mut app = App::new(config, Rect::new(0, 0, width, height))
        .with_engine(fake_body, fake_render)
        .with_state(state);
    app.add(sample(), vec![]);
    app
}

/// The list's first `n` report rows (day headers left out), up to the list's right border.
fn list_rows(app: &App, n: usize) -> String {
    report_rows(app)
        .take(n)
        .map(|r| {
            r.replace("||", "││")
                .split("││")
                .next()
                .unwrap()
                .to_string()
                + "\n"
        })
        .collect()
}

/// The screen rows of the list that show a report (not a border, not a day header).
fn report_rows(app: &App) -> impl Iterator<Item = String> {
    screen(app)
        .into_iter()
        .skip(1)
        .filter(|r| !r.starts_with("│──") && !r.starts_with("|--"))
}

#[test]
fn u_and_star_toggle_the_selected_row_and_the_list_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let (state, _) = State::open(&dir.path().join("state.db"), LOCAL_USER).unwrap();
    let mut app = app_with(100, 20, false, state);
    let dw = id_of(&app, DW);
    assert_eq!(app.flags(dw), Flags::default());
    press(&mut app, "*");
    assert!(app.is_starred(dw));
    assert_eq!(app.message().unwrap().text, "starred");
    press(&mut app, "j u");
    let guancha = id_of(&app, GUANCHA);
    assert!(!app.is_unread(guancha));
    assert_eq!(app.message().unwrap().text, "marked read");
    insta::assert_snapshot!("list_marks_unicode", list_rows(&app, 3));
    // Toggled back.
    press(&mut app, "u");
    assert!(app.is_unread(guancha));
    assert_eq!(app.message().unwrap().text, "marked unread");
    press(&mut app, "k *");
    assert!(!app.is_starred(dw));
    assert_eq!(app.message().unwrap().text, "unstarred");
}

#[test]
fn ascii_marks_are_n_and_bang() {
    let mut app = app_with(100, 20, true, State::memory(LOCAL_USER));
    press(&mut app, "* j u");
    insta::assert_snapshot!("list_marks_ascii", list_rows(&app, 3));
}

#[test]
fn every_mark_is_one_column() {
    for ascii in [false, true] {
        let theme = reader::tui::theme::Theme::new(true, ascii);
        for mark in [theme.unread_mark, theme.star_mark] {
            assert_eq!(mark.width(), 1, "{mark:?}");
        }
        assert_ne!(theme.unread_mark, theme.star_mark);
    }
    // The star is one column even where East Asian ambiguous characters take two.
    let theme = reader::tui::theme::Theme::new(true, false);
    assert_eq!(theme.star_mark.width_cjk(), 1);
}

#[test]
fn the_marks_keep_the_columns_at_every_width() {
    // With CJK titles cut by display width, every row's date starts in the same column.
    for width in [30u16, 50, 80, 140] {
        let mut app = app_with(width, 12, false, State::memory(LOCAL_USER));
        press(&mut app, "* j u");
        for row in report_rows(&app).take(3) {
            let cols: usize = row
                .chars()
                .take_while(|c| !c.is_ascii_digit())
                .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                .sum();
            assert_eq!(cols, 5, "at {width}: {row}");
        }
    }
}

#[test]
fn in_the_body_the_keys_act_on_the_article_shown() {
    let mut app = app_with(100, 20, false, State::memory(LOCAL_USER));
    press(&mut app, "j Enter");
    assert_eq!(app.focus(), Pane::Body);
    let guancha = id_of(&app, GUANCHA);
    // Opening marks it read.
    assert!(!app.is_unread(guancha));
    press(&mut app, "*");
    assert!(app.is_starred(guancha));
    press(&mut app, "u");
    assert!(app.is_unread(guancha));
    assert!(!app.is_starred(id_of(&app, DW)));
    // The body's hints name the star key (once the message has gone).
    press(&mut app, "j");
    assert!(shows(&app, "* star"), "{:?}", screen(&app));
}

#[test]
fn the_help_lists_the_keys() {
    let mut app = app_with(100, 60, false, State::memory(LOCAL_USER));
    press(&mut app, "?");
    let help = screen(&app).join("\n");
    assert!(
        help.contains("u                        mark read or unread"),
        "{help}"
    );
    assert!(
        help.contains("*                        star or unstar"),
        "{help}"
    );
}

#[test]
fn next_article_and_compare_mark_read() {
    let mut app = app_with(140, 40, false, State::memory(LOCAL_USER));
    press(&mut app, "Enter J");
    assert!(!app.is_unread(id_of(&app, DW)));
    assert!(!app.is_unread(id_of(&app, GUANCHA)));
    assert!(app.is_unread(id_of(&app, EN)));
}

#[test]
fn state_lasts_between_two_apps_on_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let (state, _) = State::open(&path, LOCAL_USER).unwrap();
    let mut app = app_with(100, 20, false, state);
    // Star the first row, open (read) the second, back to the list and star the third.
    press(&mut app, "* j Enter h j *");
    assert!(app.finish(std::time::Duration::from_secs(10)));
    drop(app);

    let (state, problem) = State::open(&path, LOCAL_USER).unwrap();
    assert_eq!(problem, None);
    let app = app_with(100, 20, false, state);
    let flags = |t| app.flags(id_of(&app, t));
    assert_eq!(
        flags(DW),
        Flags {
            read: false,
            starred: true
        }
    );
    assert_eq!(
        flags(GUANCHA),
        Flags {
            read: true,
            starred: false
        }
    );
    assert_eq!(
        flags(EN),
        Flags {
            read: false,
            starred: true
        }
    );
    insta::assert_snapshot!("list_marks_reopened", list_rows(&app, 3));
}

#[test]
fn the_body_reopens_at_its_last_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let open = || State::open(&path, LOCAL_USER).unwrap().0;
    let mut app = app_with(100, 20, false, open());
    // The DW report is long (60 paragraphs): scroll it, leave it, come back.
    press(&mut app, "Enter C-d C-d j j");
    let at = app.body_scroll();
    assert!(at > 10, "{at}");
    press(&mut app, "J");
    assert_eq!(app.body_scroll(), 0, "another article starts at the top");
    press(&mut app, "K");
    assert_eq!(app.body_scroll(), at, "back where it was left");
    // Scrolled on, then the reader quits: the last position is what is kept.
    press(&mut app, "j j j");
    let lines = app.rendered().unwrap().lines.len();
    assert!(app.finish(std::time::Duration::from_secs(10)));
    drop(app);

    let mut app = app_with(100, 20, false, open());
    press(&mut app, "Enter");
    assert_eq!(app.body_scroll(), at + 3);
    drop(app);
    // In a narrower terminal the body has more lines: the same fraction of the text.
    let mut narrow = app_with(70, 20, false, open());
    press(&mut narrow, "Enter");
    let more = narrow.rendered().unwrap().lines.len();
    assert!(more > lines, "{more} > {lines}");
    assert_eq!(narrow.body_scroll(), (at + 3) * more / lines);
}

#[test]
fn changes_before_the_state_arrives_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    {
        let (mut state, _) = State::open(&path, LOCAL_USER).unwrap();
        let en = reader::state::Identity::of(&sample()[2]).unwrap();
        state.set_read(&en, true);
    }
    // The app starts with a placeholder; the loader delivers the file's state later.
    let mut app = App::new(config(), Rect::new(0, 0, 100, 20)).with_engine(fake_body, fake_render);
    app.add(sample(), vec![]);
    assert!(app.state().is_loading());
    press(&mut app, "*");
    assert_eq!(app.message().unwrap().text, "starred");
    let (state, problem) = State::open(&path, LOCAL_USER).unwrap();
    app.on_state(state, problem);
    assert!(!app.state().is_loading());
    assert!(app.is_starred(id_of(&app, DW)), "the early star survives");
    assert!(
        !app.is_unread(id_of(&app, EN)),
        "the file's read mark arrives"
    );
    assert!(app.finish(std::time::Duration::from_secs(10)));
    drop(app);
    let (state, _) = State::open(&path, LOCAL_USER).unwrap();
    let dw = reader::state::Identity::of(&sample()[1]).unwrap();
    assert!(state.flags(&dw).starred);
}

#[test]
fn a_state_problem_is_listed_and_said() {
    let mut app = app_with(100, 20, false, State::memory(LOCAL_USER));
    app.on_state(
        State::memory(LOCAL_USER),
        Some(Problem::warning(
            "/data/reader/state.db",
            "the state file was damaged (file is not a database): set aside as \
             /data/reader/state.db.corrupt-20261201T180000Z and a fresh one made",
        )),
    );
    let message = app.message().unwrap();
    assert!(message.error);
    assert!(
        message
            .text
            .starts_with("read state: the state file was damaged"),
        "{}",
        message.text
    );
    assert_eq!(app.problems().len(), 1);
    // Said for a session-only change too.
    press(&mut app, "*");
    assert_eq!(
        app.message().unwrap().text,
        "starred (for this session only: see ! for why)"
    );
}

#[test]
fn a_report_without_identity_keeps_its_flags_for_the_session() {
    let mut articles = sample();
    for a in &mut articles {
        a.url = None;
    }
    let mut app = App::new(config(), Rect::new(0, 0, 100, 20))
        .with_engine(fake_body, fake_render)
        .with_state(State::memory(LOCAL_USER));
    app.add(articles, vec![]);
    press(&mut app, "*");
    assert!(app.is_starred(app.view()[0]));
    assert_eq!(
        app.message().unwrap().text,
        "starred for this session only: the report has no URL or body to be known by"
    );
}

#[test]
fn saved_filters_on_read_state_follow_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    {
        let (mut state, _) = State::open(&path, LOCAL_USER).unwrap();
        let en = reader::state::Identity::of(&sample()[2]).unwrap();
        state.toggle_star(&en);
    }
    let filters = vec![
        reader::config::SavedFilter {
            name: "Starred".into(),
            query: "is:starred".into(),
        },
        reader::config::SavedFilter {
            name: "Unread".into(),
            query: "is:unread".into(),
        },
    ];
    let mut app = App::new(config(), Rect::new(0, 0, 140, 40))
        .with_engine(fake_body, fake_render)
        .with_filters(filters);
    app.add(sample(), vec![]);
    // Chosen while the state is still loading: nothing is starred yet.
    press(&mut app, "O j Enter");
    assert_eq!(app.view().len(), 0);
    let (state, _) = State::open(&path, LOCAL_USER).unwrap();
    app.on_state(state, None);
    let titles = |app: &App| -> Vec<String> {
        app.view()
            .iter()
            .map(|&id| app.articles()[id as usize].title.clone())
            .collect()
    };
    assert_eq!(titles(&app), [EN]);
    // Unread: all three; reading one (the selection stays on EN) keeps it in view until the
    // list is filtered again.
    press(&mut app, "O j Enter");
    assert_eq!(titles(&app).len(), 3);
    assert_eq!(app.selected_article().unwrap().title, EN);
    press(&mut app, "Enter h");
    assert!(!app.is_unread(id_of(&app, EN)));
    assert_eq!(titles(&app).len(), 3);
    press(&mut app, "/ 'a Esc");
    assert_eq!(titles(&app), [DW, GUANCHA]);
}
