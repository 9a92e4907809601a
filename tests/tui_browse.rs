//! Browsing (issue #12): the outlets overlay (`O`), day headers in the list, jump to a date
//! (`d`) and saved filters as virtual folders. Headless: the stand-in engine of `tui_support`,
//! key presses in, state and screens out; snapshots at 80x24 and wide.

mod tui_support;

use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use reader::article::Article;
use reader::config::SavedFilter;
use reader::tui::app::{App, Folder, ListRow, Overlay, TITLES_ONLY};
use reader::tui::keymap::Layer;
use tui_support::*;

/// Reports over four days (shown in UTC+8, the test clock's zone) from outlets written under
/// several names: 德國之聲 / 德国之声 / DW are one outlet, 路透 / Reuters another; one unknown
/// outlet, one report known only by its URL's host, one with neither.
fn library() -> Vec<Article> {
    let mut v = Vec::new();
    let mut add = |title: &str, outlet: Option<&str>, at: &str| {
        v.push(article(title, outlet, Some(at), "<p>text</p>"));
    };
    // 2020-07-09 (Thu): three reports.
    add("德國之聲報道一", Some("德國之聲"), "2020-07-09T06:00:00Z");
    add("德国之声报道二", Some("德国之声"), "2020-07-09T05:00:00Z");
    add(
        "Reuters report one",
        Some("Reuters"),
        "2020-07-09T04:00:00Z",
    );
    // 2020-07-08 (Wed): two.
    add("DW report three", Some("DW"), "2020-07-08T06:00:00Z");
    add("路透报道二", Some("路透"), "2020-07-08T05:00:00Z");
    // 2020-07-06 (Mon): three.
    add(
        "香港报道 Example",
        Some("Example Times"),
        "2020-07-06T06:00:00Z",
    );
    add("香港報道 DW", Some("德國之聲"), "2020-07-06T05:00:00Z");
    add("Climate 路透", Some("路透社"), "2020-07-06T04:00:00Z");
    // 2020-07-01 (Wed): by host, and with nothing.
    let mut by_host = article("Host only", None, Some("2020-07-01T06:00:00Z"), "<p>x</p>");
    by_host.url = Some("https://news.example.org/a/1".into());
    v.push(by_host);
    let mut nothing = article(
        "Nothing known",
        None,
        Some("2020-07-01T05:00:00Z"),
        "<p>x</p>",
    );
    nothing.url = None;
    v.push(nothing);
    v
}

fn app(width: u16, height: u16) -> App {
    let mut app =
        App::new(config(), Rect::new(0, 0, width, height)).with_engine(fake_body, fake_render);
    app.add(library(), vec![]);
    app
}

fn saved() -> Vec<SavedFilter> {
    let f = |name: &str, query: &str| SavedFilter {
        name: name.into(),
        query: query.into(),
    };
    vec![
        f("DW July", "outlet:dw after:2020-07-07"),
        f("香港", "香港 -outlet:dw"),
        f("broken", "after:someday"),
    ]
}

fn selected_title(app: &App) -> String {
    app.selected_article().unwrap().title.clone()
}

fn titles(app: &App) -> Vec<String> {
    app.view()
        .iter()
        .map(|&id| app.articles()[id as usize].title.clone())
        .collect()
}

fn rows(app: &App) -> Vec<(String, Option<usize>)> {
    app.folder_rows()
        .iter()
        .map(|r| (r.label.clone(), r.count))
        .collect()
}

fn text(app: &App) -> String {
    screen(app).join("\n")
}

// ----- the outlets overlay -----------------------------------------------------------------

#[test]
fn outlets_are_counted_once_under_their_table_name_most_first() {
    let mut app = app(140, 40);
    press(&mut app, "O");
    assert_eq!(app.layer(), Layer::Outlets);
    let s = |x: &str| x.to_string();
    assert_eq!(
        rows(&app),
        [
            (s("All outlets"), Some(10)),
            (s("德國之聲"), Some(4)),
            (s("路透"), Some(3)),
            (s("(no outlet)"), Some(1)),
            (s("Example Times"), Some(1)),
            (s("news.example.org"), Some(1)),
        ]
    );
    assert!(shows(&app, "Outlets"));
}

#[test]
fn an_unknown_outlet_counts_once_whatever_its_case_or_script() {
    let mut app = App::new(config(), Rect::new(0, 0, 140, 40)).with_engine(fake_body, fake_render);
    app.add(
        vec![
            article(
                "a",
                Some("Example Times"),
                Some("2020-07-09T04:00:00Z"),
                "<p>a</p>",
            ),
            article(
                "b",
                Some("EXAMPLE TIMES"),
                Some("2020-07-08T04:00:00Z"),
                "<p>b</p>",
            ),
            article(
                "c",
                Some("臺灣日報"),
                Some("2020-07-07T04:00:00Z"),
                "<p>c</p>",
            ),
            article(
                "d",
                Some("台湾日报"),
                Some("2020-07-06T04:00:00Z"),
                "<p>d</p>",
            ),
        ],
        vec![],
    );
    press(&mut app, "O");
    let s = |x: &str| x.to_string();
    assert_eq!(
        rows(&app),
        [
            (s("All outlets"), Some(4)),
            (s("Example Times"), Some(2)),
            (s("臺灣日報"), Some(2)),
        ]
    );
    press(&mut app, "j j Enter");
    assert_eq!(titles(&app), ["c", "d"]);
}

#[test]
fn choosing_an_outlet_filters_the_list_and_esc_or_all_clears_it() {
    let mut app = app(140, 40);
    press(&mut app, "O j Enter");
    assert_eq!(app.overlay(), None);
    assert_eq!(app.folder_label(), Some("德國之聲"));
    assert_eq!(
        titles(&app),
        [
            "德國之聲報道一",
            "德国之声报道二",
            "DW report three",
            "香港報道 DW"
        ]
    );
    assert!(
        screen(&app)[0].contains("Articles 4/10 · 德國之聲"),
        "{}",
        screen(&app)[0]
    );
    assert_eq!(app.message().unwrap().text, "4 reports from 德國之聲");
    // The overlay marks the chosen outlet and opens on it.
    press(&mut app, "O");
    assert_eq!(
        app.overlay(),
        Some(&Overlay::Outlets {
            selected: 1,
            offset: 0
        })
    );
    // "All outlets" clears it, keeping the selected report.
    press(&mut app, "j Esc O k Enter");
    assert_eq!(app.folder(), Folder::All);
    assert_eq!(app.view().len(), 10);
    // Esc in the list clears it too.
    press(&mut app, "O j j Enter");
    assert_eq!(app.folder_label(), Some("路透"));
    press(&mut app, "Esc");
    assert_eq!(app.folder(), Folder::All);
    assert_eq!(selected_title(&app), "Reuters report one");
}

#[test]
fn the_outlet_composes_with_the_text_filter() {
    let mut app = app(140, 40);
    press(&mut app, "O j Enter / '香港 Enter");
    assert_eq!(titles(&app), ["香港報道 DW"]);
    assert!(screen(&app)[0].contains("Articles 1/10 · 德國之聲 /香港"));
    // The first Esc clears the text, the second the outlet.
    press(&mut app, "Esc");
    assert_eq!(app.view().len(), 4);
    assert_eq!(selected_title(&app), "香港報道 DW");
    press(&mut app, "Esc");
    assert_eq!(app.view().len(), 10);
    assert_eq!(selected_title(&app), "香港報道 DW");
    // Nothing matching names both.
    let mut app = self::app(50, 20);
    press(&mut app, "O j Enter / 'zz Enter");
    assert!(shows(
        &app,
        "no title, outlet or author matches “zz” in 德國…"
    ));
}

#[test]
fn outlets_overlay_snapshots_with_cjk_names_and_saved_filters() {
    let mut app = app(80, 24).with_filters(saved());
    press(&mut app, "O");
    insta::assert_snapshot!("outlets_80x24", text(&app));
    // Counts line up in one column whatever the script of the name: each overlay row ends its
    // count at the same display column.
    let screen = screen(&app);
    let top = screen.iter().position(|r| r.contains("Outlets")).unwrap();
    let ends: Vec<usize> = screen[top + 1..]
        .iter()
        .take_while(|r| !r.contains('╰'))
        .map(|r| {
            let end = r.rfind(|c: char| c.is_ascii_digit() || c == '–').unwrap();
            unicode_width::UnicodeWidthStr::width(&r[..end])
        })
        .collect();
    assert_eq!(ends.len(), 9, "{screen:?}");
    assert!(
        ends.windows(2).all(|w| w[0] == w[1]),
        "{ends:?}\n{screen:?}"
    );

    let mut wide = self::app(160, 40).with_filters(saved());
    press(&mut wide, "O j j j j Enter O");
    insta::assert_snapshot!("outlets_160x40", text(&wide));
}

// ----- saved filters -----------------------------------------------------------------------

#[test]
fn saved_filters_are_folders_with_counts_and_errors_in_their_rows() {
    let mut app = app(140, 40).with_filters(saved());
    press(&mut app, "O");
    let r = app.folder_rows();
    assert_eq!(r[0].label, "All outlets");
    assert_eq!((r[1].label.as_str(), r[1].count), ("DW July", Some(3)));
    assert_eq!(r[1].note, None);
    assert_eq!((r[2].label.as_str(), r[2].count), ("香港", Some(1)));
    assert_eq!(r[2].note.as_deref(), Some(TITLES_ONLY));
    assert_eq!((r[3].label.as_str(), r[3].count), ("broken", None));
    assert!(r[3].error);
    let error = r[3].note.clone().unwrap();
    assert!(error.contains("after:"), "{error}");
    assert_eq!(r[4].label, "德國之聲");
    // Choosing the broken one says why and changes nothing.
    press(&mut app, "j j j Enter");
    let message = app.message().unwrap();
    assert!(message.error);
    assert_eq!(message.text, format!("saved filter “broken”: {error}"));
    assert_eq!(app.folder(), Folder::All);
    // Choosing a good one narrows the list; it composes with `/`.
    press(&mut app, "O j Enter");
    assert_eq!(
        titles(&app),
        ["德國之聲報道一", "德国之声报道二", "DW report three"]
    );
    assert_eq!(
        app.message().unwrap().text,
        "3 reports match the saved filter DW July"
    );
    assert!(screen(&app)[0].contains("Articles 3/10 · DW July"));
    press(&mut app, "/ 'three Enter");
    assert_eq!(titles(&app), ["DW report three"]);
    // The overlay opens on the chosen folder (DW July); the next row is 香港.
    press(&mut app, "Esc O j Enter");
    assert_eq!(titles(&app), ["香港报道 Example"]);
}

#[test]
fn a_chosen_saved_filter_takes_in_reports_that_arrive_later() {
    let mut app = App::new(config(), Rect::new(0, 0, 140, 40))
        .with_engine(fake_body, fake_render)
        .with_filters(saved());
    let mut all = library();
    let later = all.split_off(5);
    app.add(all, vec![]);
    press(&mut app, "O j Enter");
    assert_eq!(app.view().len(), 3);
    app.add(later, vec![]);
    // 香港報道 DW is from 07-06, before the filter's after:2020-07-07.
    assert_eq!(app.view().len(), 3);
    let mut more = article(
        "DW new",
        Some("DW"),
        Some("2020-07-10T04:00:00Z"),
        "<p>x</p>",
    );
    more.url = Some("https://www.dw.com/zh/new".into());
    app.add(vec![more], vec![]);
    assert_eq!(app.view().len(), 4);
    assert!(titles(&app).contains(&"DW new".to_string()));
}

// ----- day headers -------------------------------------------------------------------------

#[test]
fn day_headers_stand_between_days_in_the_list_zone() {
    let app = app(80, 24);
    let screen = screen(&app);
    assert!(
        screen[1].starts_with("│── 2020-07-09 Thu · 3 ──"),
        "{}",
        screen[1]
    );
    assert!(
        screen[5].starts_with("│── 2020-07-08 Wed · 2 ──"),
        "{}",
        screen[5]
    );
    assert!(
        screen[8].starts_with("│── 2020-07-06 Mon · 3 ──"),
        "{}",
        screen[8]
    );
    assert!(
        screen[12].starts_with("│── 2020-07-01 Wed · 2 ──"),
        "{}",
        screen[12]
    );
    insta::assert_snapshot!("list_with_day_headers_80x24", text(&app));
    let wide = self::app(160, 40);
    insta::assert_snapshot!("list_with_day_headers_160x40", text(&wide));

    // In the zone the list shows dates in: 2020-07-08T20:00Z is the 9th at UTC+8.
    let mut app = App::new(config(), Rect::new(0, 0, 80, 24)).with_engine(fake_body, fake_render);
    app.add(
        vec![
            article(
                "late",
                Some("路透"),
                Some("2020-07-08T20:00:00Z"),
                "<p>x</p>",
            ),
            article(
                "early",
                Some("路透"),
                Some("2020-07-08T10:00:00Z"),
                "<p>x</p>",
            ),
        ],
        vec![],
    );
    let screen = self::screen(&app);
    assert!(screen[1].contains("2020-07-09 Thu · 1"), "{}", screen[1]);
    assert!(screen[3].contains("2020-07-08 Wed · 1"), "{}", screen[3]);
}

/// The selected row on screen: the one in the selection's colours.
fn highlighted_row(app: &App) -> String {
    let terminal = draw(app);
    let buffer = terminal.backend().buffer();
    let area = app.areas().list.unwrap();
    for y in area.y + 1..area.y + area.height - 1 {
        let cell = &buffer[(area.x + 2, y)];
        if cell.bg == ratatui::style::Color::Cyan {
            return screen(app)[y as usize].clone();
        }
    }
    panic!("no highlighted row:\n{}", screen(app).join("\n"));
}

#[test]
fn every_movement_key_skips_the_headers() {
    let mut app = app(80, 24);
    let order = titles(&app);
    // j and k: one report at a time, across a header in one press.
    for (i, want) in order.iter().enumerate() {
        assert_eq!(&selected_title(&app), want);
        let row = highlighted_row(&app);
        let start: String = want.chars().take(4).collect();
        assert!(row.contains(&start), "{row}");
        assert!(!row.contains("──"), "{row}");
        if i + 1 < order.len() {
            press(&mut app, "j");
        }
    }
    for want in order.iter().rev().skip(1) {
        press(&mut app, "k");
        assert_eq!(&selected_title(&app), want);
    }
    // Pages, half pages, wheel, top and end land on reports, never on a header.
    for keys in [
        "G", "g", "C-d", "C-u", "PageDown", "PageUp", "C-f", "C-b", "End", "Home",
    ] {
        press(&mut app, keys);
        let row = highlighted_row(&app);
        assert!(!row.contains("──"), "{keys}: {row}");
        assert!(app.selected_id().is_some());
    }
    // A small terminal: pages move by screenfuls of rows, headers counted.
    let mut small = self::app(80, 9);
    assert_eq!(small.areas().list.unwrap().height - 2, 6);
    let mut seen = vec![selected_title(&small)];
    for _ in 0..5 {
        press(&mut small, "PageDown");
        seen.push(selected_title(&small));
        assert!(!highlighted_row(&small).contains("──"));
    }
    // Rows: H a b c H d e H f g h H i j. From a (row 1) a page of 6 rows is row 7: header of
    // 07-06, so f; then row 14 is past the end: j.
    assert_eq!(
        seen,
        [
            "德國之聲報道一",
            "香港报道 Example",
            "Nothing known",
            "Nothing known",
            "Nothing known",
            "Nothing known"
        ]
    );
    // Up from j (row 13) by 6 rows is row 7, the header of 07-06: the report under it.
    press(&mut small, "PageUp");
    assert_eq!(selected_title(&small), "香港报道 Example");
    assert!(small.day_rows().at(small.list_offset()).is_some());
}

#[test]
fn a_click_on_a_header_selects_nothing_and_on_a_report_selects_it() {
    let mut config = config();
    config.mouse = true;
    let mut app = App::new(config, Rect::new(0, 0, 80, 24)).with_engine(fake_body, fake_render);
    app.add(library(), vec![]);
    let click = |x, y| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    press(&mut app, "j");
    let before = selected_title(&app);
    // Row 5 is the header of 07-08.
    assert!(screen(&app)[5].contains("2020-07-08"));
    app.handle(&click(5, 5));
    assert_eq!(selected_title(&app), before);
    app.handle(&click(5, 6));
    assert_eq!(selected_title(&app), "DW report three");
    assert_eq!(app.day_rows().at(5), Some(ListRow::Item(3)));
}

#[test]
fn the_selection_stays_through_filters_folders_and_resizes() {
    let mut app = app(140, 40);
    press(&mut app, "j j j j j j");
    assert_eq!(selected_title(&app), "香港報道 DW");
    // A search that hides it and one that shows it again: the same report comes back.
    press(&mut app, "/ 'x");
    assert_ne!(selected_title(&app), "香港報道 DW");
    press(&mut app, "Backspace '香");
    assert_eq!(selected_title(&app), "香港報道 DW");
    press(&mut app, "Enter");
    assert_eq!(app.view().len(), 2);
    // Folders.
    press(&mut app, "Esc O j Enter");
    assert_eq!(selected_title(&app), "香港報道 DW");
    press(&mut app, "O Home Enter");
    assert_eq!(selected_title(&app), "香港報道 DW");
    // Esc out of a search goes back to the report selected before it.
    press(&mut app, "/ 'Reuters Esc");
    assert_eq!(selected_title(&app), "香港報道 DW");
    // Resizes through every layout.
    for (w, h) in [(80, 24), (50, 12), (200, 60), (60, 8)] {
        app.handle(&Event::Resize(w, h));
        assert_eq!(selected_title(&app), "香港報道 DW", "{w}x{h}");
        let row = highlighted_row(&app);
        assert!(row.contains("香港報道"), "{w}x{h}: {row}");
    }
}

// ----- jump to a date ----------------------------------------------------------------------

#[test]
fn d_jumps_to_the_first_report_of_a_day_with_its_header_on_top() {
    let mut app = app(80, 9);
    press(&mut app, "d '2020-07-06");
    assert_eq!(app.layer(), Layer::Search);
    assert!(
        screen(&app)[8].contains("date: 2020-07-06"),
        "{}",
        screen(&app)[8]
    );
    assert!(
        screen(&app)[8].contains("2020-07-06 Mon"),
        "{}",
        screen(&app)[8]
    );
    press(&mut app, "Enter");
    assert_eq!(selected_title(&app), "香港报道 Example");
    assert_eq!(app.message().unwrap().text, "2020-07-06 Mon: 3 reports");
    assert!(
        screen(&app)[1].contains("── 2020-07-06 Mon"),
        "{}",
        screen(&app)[1]
    );
    // Dates as users type them; a year-less one in the archive's year, not this year's.
    for (typed, want) in [
        ("7月8日", "DW report three"),
        ("9 July", "德國之聲報道一"),
        ("2020年7月1日", "Host only"),
        ("July 2020", "德國之聲報道一"),
    ] {
        let typed = typed.replace(' ', " Space '");
        press(&mut app, &format!("g d '{typed} Enter"));
        assert_eq!(selected_title(&app), want, "{typed}");
    }
}

#[test]
fn a_day_without_reports_jumps_to_the_nearest_and_says_so() {
    let mut app = app(80, 24);
    // 07-07 is one day from both 07-06 and 07-08: the later wins.
    press(&mut app, "d '2020-07-07 Enter");
    assert_eq!(selected_title(&app), "DW report three");
    assert_eq!(
        app.message().unwrap().text,
        "no reports on 2020-07-07 Tue; nearest: 2020-07-08 Wed (2 reports)"
    );
    press(&mut app, "d '2020-07-03 Enter");
    assert_eq!(selected_title(&app), "Host only");
    press(&mut app, "d '2019-01-01 Enter");
    assert_eq!(selected_title(&app), "Host only");
    press(&mut app, "d '2030-01-01 Enter");
    assert_eq!(selected_title(&app), "德國之聲報道一");
    // Within the filtered list.
    press(&mut app, "O j j Enter d '2020-07-09 Enter");
    assert_eq!(selected_title(&app), "Reuters report one");
    press(&mut app, "d '2020-07-01 Enter");
    assert_eq!(selected_title(&app), "Climate 路透");
    assert!(
        app.message()
            .unwrap()
            .text
            .contains("nearest: 2020-07-06 Mon")
    );
}

#[test]
fn a_bad_date_is_an_error_and_esc_cancels() {
    let mut app = app(80, 24);
    press(&mut app, "j d 'someday");
    assert!(
        screen(&app)[23].contains("not a date"),
        "{}",
        screen(&app)[23]
    );
    press(&mut app, "Enter");
    let message = app.message().unwrap();
    assert!(message.error);
    assert_eq!(
        message.text,
        "“someday” is not a date (try 2020-07-09, 7月9日 or 9 July)"
    );
    assert_eq!(selected_title(&app), "德国之声报道二");
    press(&mut app, "d '2020-07-01 Esc");
    assert_eq!(app.layer(), Layer::List);
    assert_eq!(selected_title(&app), "德国之声报道二");
}

#[test]
fn the_keys_are_in_the_help_and_the_hints() {
    let mut app = app(200, 40);
    assert!(shows(&app, "O outlets"));
    press(&mut app, "?");
    assert!(shows(&app, "outlets and saved filters: narrow the list"));
    assert!(shows(&app, "jump to a date (2020-07-09, 7月9日, 9 July)"));
    press(&mut app, "Esc O");
    assert!(shows(&app, "Enter open"));
}
