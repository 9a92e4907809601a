//! The comparison view (issue #5) in the reader: opening it (marks, `c`, the related pick),
//! its keys (`t`, `l`, `s`, Tab, scrolling, `?`, Esc), snapshots on the seeds at 160x45, 100x30
//! and 80x24, and the term styles checked cell by cell (snapshots do not show styles).

mod tui_support;

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use reader::compare::{Script, Side};
use reader::library::Library;
use reader::tui::app::{App, Config, Overlay};
use reader::tui::keymap::Layer;
use reader::tui::layout::Pane;
use tui_support::*;

fn seeds_app(width: u16, height: u16, config: Config) -> App {
    let mut app = App::new(config, Rect::new(0, 0, width, height));
    app.add_library(Library::bundled());
    app
}

fn text(app: &App) -> String {
    screen(app).join("\n")
}

fn outlets(app: &App) -> (String, String) {
    let c = &app.compare_view().expect("comparison open").comparison;
    (c.a.header.outlet.clone(), c.b.header.outlet.clone())
}

/// The styles of the cells showing `needle` wherever it appears above the status bar: one entry
/// per occurrence, each with the style of every character.
fn styles_of(app: &App, needle: &str) -> Vec<Vec<Style>> {
    let terminal = draw(app);
    let buffer = terminal.backend().buffer();
    let mut found = Vec::new();
    for y in 0..buffer.area.height - 1 {
        // The row's characters with their cells (continuation cells of wide characters skipped).
        let mut chars: Vec<(char, Style)> = Vec::new();
        let mut skip = 0;
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if skip == 0 {
                for c in cell.symbol().chars() {
                    chars.push((c, cell.style()));
                }
            }
            let w: usize = cell
                .symbol()
                .chars()
                .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                .sum();
            skip = skip.max(w).saturating_sub(1);
        }
        let n: Vec<char> = needle.chars().collect();
        for i in 0..chars.len().saturating_sub(n.len() - 1) {
            if (0..n.len()).all(|k| chars[i + k].0 == n[k]) {
                found.push(chars[i..i + n.len()].iter().map(|c| c.1).collect());
            }
        }
    }
    found
}

#[test]
fn c_with_nothing_marked_picks_the_most_related_and_says_which() {
    let mut app = seeds_app(160, 45, config());
    assert!(app.marked().is_empty());
    press(&mut app, "c");
    assert_eq!(app.layer(), Layer::Compare);
    // The seeds are 55 days apart, two stories of one report each: no report of the same story
    // from another outlet, so the related pick, saying why.
    // The selection is 德國之聲 (newest first); its most related article is 观察者网, which was
    // published first and so stands on the left.
    assert_eq!(outlets(&app), ("观察者网".into(), "德國之聲".into()));
    let message = &app.message().unwrap().text;
    assert!(
        message.starts_with(
            "no other outlet in its story; most related: 观察者网, 55 days apart; shares "
        ) && message.contains("克里"),
        "{message}"
    );
    assert!(shows(&app, "德國之聲 published 55 days after 观察者网"));
    assert!(shows(&app, "A 观察者网 · 2022-09-01 18:21 +08:00"));
    assert!(shows(&app, "B 德國之聲 · 2022-10-26 09:34 +08:00"));
    // Both are now read.
    assert!(app.view().iter().all(|&id| !app.is_unread(id)));
}

#[test]
fn marked_pair_is_compared_with_the_earlier_on_the_left() {
    let mut app = sample_app(140, 40);
    // Newest first: 德國之聲 (2022-10), 观察者网 (2022-09), Example Times (2020).
    press(&mut app, "Space j j Space c");
    assert_eq!(app.layer(), Layer::Compare);
    assert_eq!(outlets(&app), ("Example Times".into(), "德國之聲".into()));
    assert!(shows(
        &app,
        "德國之聲 published 1015 days after Example Times"
    ));
    // No pick to explain: the hints show instead of a message.
    assert!(app.message().is_none());
}

#[test]
fn one_mark_and_another_selection_compares_those_two() {
    let mut app = sample_app(140, 40);
    press(&mut app, "j Space j c");
    assert_eq!(outlets(&app), ("Example Times".into(), "观察者网".into()));
    // One mark on the selected article itself: compare it with its most related one.
    let mut app = sample_app(140, 40);
    press(&mut app, "j Space c");
    assert_eq!(outlets(&app), ("观察者网".into(), "德國之聲".into()));
    assert!(
        app.message()
            .unwrap()
            .text
            .starts_with("no other outlet in its story; most related: 德國之聲")
    );
}

#[test]
fn nothing_to_compare_and_unreadable_bodies_are_messages() {
    let mut app = App::new(config(), Rect::new(0, 0, 100, 30)).with_engine(fake_body, fake_render);
    app.add(sample()[..1].to_vec(), vec![]);
    press(&mut app, "c");
    assert!(app.compare_view().is_none());
    let m = app.message().unwrap();
    assert_eq!(
        (m.text.as_str(), m.error),
        ("nothing to compare with: only one article is loaded", true)
    );

    let mut app = App::new(config(), Rect::new(0, 0, 100, 30)).with_engine(fake_body, fake_render);
    let mut articles = sample();
    articles.push(article("Gone", None, None, "UNREADABLE"));
    app.add(articles, vec![]);
    press(&mut app, "Space G Space c");
    assert!(app.compare_view().is_none());
    assert_eq!(app.layer(), Layer::List);
    assert_eq!(
        app.message().unwrap().text,
        "cannot compare: cannot read mem/Gone.html: permission denied"
    );
}

#[test]
fn t_cycles_both_sides_through_simplified_traditional_and_original() {
    let mut app = seeds_app(160, 45, config());
    press(&mut app, "c");
    // A's title stands in its header; its first paragraph faces B¶14, further down.
    assert!(shows(&app, "美國氣候特使克里在接受英國《衛報》訪問時"));
    assert!(shows(&app, "气候问题上，美国想跟中国重新走到一起"));
    press(&mut app, "t");
    assert_eq!(app.compare_view().unwrap().script, Script::Simplified);
    assert_eq!(app.message().unwrap().text, "both sides in 简体");
    assert!(shows(&app, "美国气候特使克里在接受英国《卫报》访问时"));
    assert!(shows(&app, "气候问题上，美国想跟中国重新走到一起"));
    assert!(shows(&app, "COP27即将召开 美吁中重启气候对话"));
    press(&mut app, "t");
    assert_eq!(app.compare_view().unwrap().script, Script::Traditional);
    assert!(shows(&app, "美國氣候特使克里在接受英國《衛報》訪問時"));
    assert!(shows(&app, "氣候問題上，美國想跟中國重新走到一起"));
    assert!(shows(&app, "· 繁體"), "the gap line notes the script");
    press(&mut app, "t");
    assert_eq!(app.compare_view().unwrap().script, Script::Original);
    assert_eq!(app.message().unwrap().text, "each side in its own script");
    assert!(shows(&app, "气候问题上，美国想跟中国重新走到一起"));
}

#[test]
fn l_shows_the_ledger_and_the_timeline_and_esc_closes_it() {
    let mut app = seeds_app(100, 60, config());
    press(&mut app, "c l");
    assert!(app.compare_view().unwrap().ledger);
    let s = screen(&app);
    let find = |t: &str| s.iter().position(|r| r.contains(t));
    let both = find("Both mention (").expect("both group");
    let only_a = find("Only A · 观察者网 (").expect("only A group");
    let only_b = find("Only B · 德國之聲 (").expect("only B group");
    assert!(both < only_a && only_a < only_b);
    assert!(shows(&app, "克里  name · A 7 · B 12"));
    assert!(shows(&app, "8项反制措施  quantity · A 1"));
    // The ledger scrolls to the timeline.
    press(&mut app, "G");
    assert!(shows(&app, "Timeline"));
    assert!(shows(
        &app,
        "2022-09-01 10:21 UTC A    published (观察者网)"
    ));
    assert!(shows(
        &app,
        "2022-10-26 01:34 UTC   B  published (德國之聲)"
    ));
    let s = screen(&app);
    let row = |t: &str| s.iter().position(|r| r.contains(t)).unwrap();
    assert!(row("2022-08-05") < row("published (观察者网)"));
    assert!(row("published (观察者网)") < row("2022-10-25"));
    press(&mut app, "Esc");
    assert!(!app.compare_view().unwrap().ledger);
    assert_eq!(app.layer(), Layer::Compare);
}

#[test]
fn locked_scrolling_keeps_aligned_paragraphs_on_one_row() {
    let mut app = seeds_app(160, 45, config());
    press(&mut app, "c");
    let view = app.compare_view().unwrap();
    assert!(view.locked);
    assert_eq!(view.top_paragraphs(), [Some(1), None]);
    // Down to the row on renewable energy: A's paragraph and B's share the row.
    let c = view.comparison.clone();
    let a =
        c.a.paragraphs
            .iter()
            .position(|p| p.text.contains("提到可再生能源时"))
            .unwrap();
    let row = c.row_of(Side::A, a).unwrap();
    let b = c.rows[row].b.unwrap();
    let label = format!("│ A¶{} ", a + 1);
    // Until the row is well in view (a few lines below the top).
    for _ in 0..400 {
        if screen(&app).iter().position(|r| r.contains(&label)) < Some(8) && shows(&app, &label) {
            break;
        }
        press(&mut app, "j");
    }
    let s = screen(&app);
    let label_row = s
        .iter()
        .find(|r| r.contains(&label))
        .expect("label on screen");
    assert!(label_row.contains(&format!("│ B¶{}", b + 1)), "{label_row}");
    // Their first lines share a screen row too.
    let at = s.iter().position(|r| r.contains(&label)).unwrap();
    assert!(s[at + 1].contains("提到可再生能源时") && s[at + 1].contains("克里說，中國仍然"));
    // Paging and the ends.
    press(&mut app, "g");
    assert_eq!(
        app.compare_view().unwrap().top_paragraphs(),
        [Some(1), None]
    );
    press(&mut app, "Space");
    let after_page = app.compare_view().unwrap().position(Side::A).0;
    assert_eq!(after_page, app.compare_view().unwrap().body_rows() - 1);
    press(&mut app, "b C-d");
    assert_eq!(
        app.compare_view().unwrap().position(Side::A).0,
        app.compare_view().unwrap().body_rows().saturating_sub(1) / 2
    );
    press(&mut app, "C-u G");
    let view = app.compare_view().unwrap();
    let (top, total) = view.position(Side::A);
    assert_eq!(top + view.body_rows(), total);
    // At the end: A's notice, then B's last paragraphs (furniture faces no paragraph).
    let last = (c.a.paragraphs.len(), c.b.paragraphs.len());
    assert!(shows(&app, &format!("A¶{}", last.0)));
    assert!(shows(&app, &format!("B¶{}", last.1)));
}

#[test]
fn s_unlocks_tab_picks_the_side_and_locking_again_lines_up() {
    let mut app = seeds_app(100, 30, config());
    press(&mut app, "c s");
    let view = app.compare_view().unwrap();
    assert!(!view.locked);
    assert!(
        app.message()
            .unwrap()
            .text
            .starts_with("scrolling unlocked")
    );
    assert_eq!(view.focus, Side::A);
    // B was blank at the top: unlocked it starts at its own first paragraph.
    assert_eq!(view.top_paragraphs(), [Some(1), Some(1)]);
    press(&mut app, "Tab");
    assert_eq!(app.compare_view().unwrap().focus, Side::B);
    for _ in 0..60 {
        press(&mut app, "j");
    }
    let view = app.compare_view().unwrap();
    assert_eq!(view.position(Side::A).0, 0, "A stays");
    assert_eq!(view.position(Side::B).0, 60);
    let b_top = view.top_paragraphs()[1].unwrap();
    assert!(b_top > 3, "{b_top}");
    assert!(shows(&app, " unlocked "));
    // Locking again lines A up with B's paragraph.
    press(&mut app, "s");
    let view = app.compare_view().unwrap();
    assert!(view.locked);
    assert_eq!(view.top_paragraphs()[1], Some(b_top));
    let c = view.comparison.clone();
    let row = c.row_of(Side::B, b_top - 1).unwrap();
    assert_eq!(view.top_paragraphs()[0], c.rows[row].a.map(|p| p + 1));
    // h / → move the focus too.
    press(&mut app, "h");
    assert_eq!(app.compare_view().unwrap().focus, Side::A);
    press(&mut app, "Right");
    assert_eq!(app.compare_view().unwrap().focus, Side::B);
}

#[test]
fn esc_and_q_go_back_to_the_list_and_ctrl_c_still_quits() {
    let mut app = seeds_app(100, 30, config());
    press(&mut app, "Enter c");
    press(&mut app, "Esc");
    assert!(app.compare_view().is_none());
    assert_eq!((app.layer(), app.focus()), (Layer::List, Pane::List));
    assert!(!app.should_quit());
    press(&mut app, "c q");
    assert!(app.compare_view().is_none());
    assert!(
        !app.should_quit(),
        "q backs out of the comparison, it does not quit"
    );
    press(&mut app, "c C-c");
    assert!(app.should_quit());
}

#[test]
fn help_opens_at_the_comparison_keys_from_the_keymap() {
    let mut app = seeds_app(100, 30, config());
    press(&mut app, "c ?");
    assert!(matches!(app.overlay(), Some(Overlay::Help { .. })));
    assert!(shows(&app, "Comparison"));
    assert!(shows(&app, "t  "));
    assert!(shows(&app, "script: Simplified, Traditional, original"));
    assert!(shows(&app, "lock or unlock scrolling to the aligned rows"));
    assert!(shows(&app, "show or hide the ledger and timeline"));
    press(&mut app, "Esc");
    assert_eq!(app.layer(), Layer::Compare);
    // The status bar hints come from the same table.
    let status = screen(&app).pop().unwrap();
    for hint in [
        "Space page",
        "s lock",
        "Tab focus",
        "t script",
        "l ledger",
        "Esc back",
    ] {
        assert!(status.contains(hint), "{status}");
    }
}

/// Terms both reports mention and terms only one does look different: the theme's two styles,
/// with colour and without (underline vs bold).
#[test]
fn shared_and_one_sided_terms_have_their_own_styles() {
    for color in [true, false] {
        let mut config = config();
        config.color = color;
        let mut app = seeds_app(160, 45, config);
        press(&mut app, "c");
        let shared = styles_of(&app, "克里");
        assert!(shared.len() >= 4, "{shared:?}");
        let only_b = styles_of(&app, "30%");
        assert_eq!(only_b.len(), 1);
        for styles in &shared {
            for s in styles {
                assert!(s.add_modifier.contains(Modifier::UNDERLINED), "{s:?}");
                assert!(!s.add_modifier.contains(Modifier::BOLD), "{s:?}");
                let expect = if color { Color::Green } else { Color::Reset };
                assert_eq!(s.fg, Some(expect));
            }
        }
        for s in &only_b[0] {
            assert!(s.add_modifier.contains(Modifier::BOLD), "{s:?}");
            assert!(!s.add_modifier.contains(Modifier::UNDERLINED), "{s:?}");
            let expect = if color { Color::Yellow } else { Color::Reset };
            assert_eq!(s.fg, Some(expect));
        }
        // 8项反制措施 (only in 观察者网) further down.
        for _ in 0..200 {
            if !styles_of(&app, "8项反制措施").is_empty() {
                break;
            }
            press(&mut app, "j");
        }
        let only_a = styles_of(&app, "8项反制措施");
        assert!(!only_a.is_empty());
        assert!(
            only_a[0]
                .iter()
                .all(|s| s.add_modifier.contains(Modifier::BOLD))
        );
        // Plain text around the terms is not marked.
        press(&mut app, "g");
        for _ in 0..200 {
            if !styles_of(&app, "宣布暂停").is_empty() {
                break;
            }
            press(&mut app, "j");
        }
        let plain = styles_of(&app, "宣布暂停");
        assert_eq!(plain.len(), 1);
        assert!(plain[0].iter().all(|s| {
            !s.add_modifier
                .intersects(Modifier::BOLD | Modifier::UNDERLINED)
        }));
    }
}

#[test]
fn seeds_160x45() {
    let mut app = seeds_app(160, 45, config());
    press(&mut app, "c");
    insta::assert_snapshot!(text(&app));
}

#[test]
fn seeds_100x30() {
    let mut app = seeds_app(100, 30, config());
    press(&mut app, "c");
    insta::assert_snapshot!(text(&app));
}

#[test]
fn seeds_100x30_pelosi_row() {
    let mut app = seeds_app(100, 30, config());
    press(&mut app, "c");
    for _ in 0..400 {
        if shows(&app, "佩洛西专机") {
            break;
        }
        press(&mut app, "j");
    }
    press(&mut app, "j j");
    insta::assert_snapshot!(text(&app));
}

#[test]
fn seeds_80x24_and_stacked_50x20() {
    let mut app = seeds_app(80, 24, config());
    press(&mut app, "c");
    insta::assert_snapshot!("seeds_80x24", text(&app));
    app.resize(Rect::new(0, 0, 50, 20));
    insta::assert_snapshot!("seeds_stacked_50x20", text(&app));
}

#[test]
fn ledger_100x30() {
    let mut app = seeds_app(100, 30, config());
    press(&mut app, "c l");
    insta::assert_snapshot!(text(&app));
}

/// A resize re-wraps both columns and keeps the row being read.
#[test]
fn resize_keeps_the_row() {
    let mut app = seeds_app(160, 45, config());
    press(&mut app, "c");
    for _ in 0..40 {
        press(&mut app, "j");
    }
    let before = app.compare_view().unwrap().top_paragraphs();
    app.resize(Rect::new(0, 0, 100, 30));
    assert_eq!(app.compare_view().unwrap().top_paragraphs(), before);
    app.resize(Rect::new(0, 0, 70, 20));
    assert_eq!(app.compare_view().unwrap().top_paragraphs(), before);
}

/// Any two articles, not only the seeds: the English pair written for the tests, with its terms
/// marked and its paragraphs aligned, in the narrowest side-by-side layout.
#[test]
fn english_pair_side_by_side_at_60x24() {
    let paths = [
        std::path::PathBuf::from("tests/fixtures/compare/harbor-gazette-ferry-contract.txt"),
        std::path::PathBuf::from("tests/fixtures/compare/coastal-daily-ferry-dispute.txt"),
    ];
    let mut app = App::new(config(), Rect::new(0, 0, 60, 24));
    app.add_library(Library::load(&paths));
    press(&mut app, "Space j Space c");
    let (a, b) = outlets(&app);
    assert_eq!(a, "Harbor Gazette");
    assert!(!b.is_empty() && b != a, "{b}");
    let view = app.compare_view().unwrap();
    assert!(
        !view
            .comparison
            .rows
            .iter()
            .all(|r| r.a.is_none() || r.b.is_none())
    );
    let s = screen(&app);
    assert!(s[0].contains(" published "), "{}", s[0]);
    // Side by side from 60 columns: both column borders on the header row.
    assert_eq!(s[1].matches('╭').count(), 2, "{}", s[1]);
    assert!(shows(&app, "Harbor City council voted"));
    // Shared terms are underlined (the no-colour distinction is kept in colour too).
    let shared: Vec<_> = view
        .comparison
        .terms
        .iter()
        .filter(|t| t.presence.shared())
        .filter_map(|t| t.a.clone())
        .collect();
    assert!(!shared.is_empty());
    let on_screen: Vec<_> = shared.iter().flat_map(|t| styles_of(&app, t)).collect();
    assert!(!on_screen.is_empty(), "{shared:?}");
    assert!(
        on_screen
            .iter()
            .flatten()
            .all(|s| s.add_modifier.contains(Modifier::UNDERLINED))
    );
    // One column less and the sides are stacked.
    app.resize(Rect::new(0, 0, 59, 24));
    let s = screen(&app);
    assert_eq!(s[1].matches('╭').count(), 1, "{}", s[1]);
    assert!(s.iter().filter(|r| r.contains('╭')).count() == 2);
}

/// `c` works while reading too: the article read is compared with its most related one.
#[test]
fn c_while_reading_compares_the_article_read() {
    let mut app = seeds_app(100, 30, config());
    press(&mut app, "j Enter");
    assert_eq!(app.focus(), Pane::Body);
    press(&mut app, "c");
    assert_eq!(outlets(&app), ("观察者网".into(), "德國之聲".into()));
    assert!(
        app.message()
            .unwrap()
            .text
            .starts_with("no other outlet in its story; most related: 德國之聲")
    );
    press(&mut app, "Esc");
    assert_eq!(app.layer(), Layer::List);
}

/// `x` follows a cross-reference: 观察者网 opens with the suspension after Pelosi's visit, which
/// 德國之聲 tells near its end (`A¶1  ↔ B¶14`); and back.
#[test]
fn x_jumps_to_the_cross_referenced_paragraph_and_back() {
    let mut app = seeds_app(100, 30, config());
    press(&mut app, "c x");
    assert_eq!(app.message().unwrap().text, "B¶14 (↔ A¶1)");
    let view = app.compare_view().unwrap();
    assert_eq!(view.focus, Side::B);
    assert_eq!(view.top_paragraphs()[1], Some(14));
    assert!(shows(&app, "B¶14  ↔ A¶1"));
    press(&mut app, "x");
    assert_eq!(app.message().unwrap().text, "A¶1 (↔ B¶14)");
    assert_eq!(app.compare_view().unwrap().top_paragraphs()[0], Some(1));
    // Unlocked, each side jumps alone.
    press(&mut app, "s x");
    let view = app.compare_view().unwrap();
    assert_eq!(view.top_paragraphs(), [Some(1), Some(14)]);
    // A paragraph without a cross-reference says so.
    let mut app = seeds_app(100, 30, config());
    press(&mut app, "c s Tab x");
    assert_eq!(
        app.message().unwrap().text,
        "no cross-reference (↔) in view on this side"
    );
}

/// The seeds with comparisons computed on a thread, their results collected here.
fn background_app() -> (
    App,
    std::sync::mpsc::Receiver<reader::tui::app::CompareReady>,
) {
    let (tx, rx) = std::sync::mpsc::channel();
    let app = seeds_app(160, 45, config()).with_compare_worker(move |ready| {
        let _ = tx.send(ready);
    });
    (app, rx)
}

fn next(
    rx: &std::sync::mpsc::Receiver<reader::tui::app::CompareReady>,
) -> reader::tui::app::CompareReady {
    rx.recv_timeout(std::time::Duration::from_secs(30))
        .expect("the comparison thread answers")
}

#[test]
fn a_background_comparison_says_it_is_working_and_keys_keep_working() {
    let (mut app, rx) = background_app();
    press(&mut app, "c");
    // Not open yet: the list keeps the keys and the status bar says what runs.
    assert_eq!(app.layer(), Layer::List);
    assert!(app.compare_view().is_none());
    assert_eq!(app.working(), Some("comparing…"));
    assert!(shows(&app, "comparing…"));
    let before = app.selected_id();
    press(&mut app, "j");
    assert_ne!(app.selected_id(), before);
    app.on_compare(next(&rx));
    assert_eq!(app.layer(), Layer::Compare);
    assert_eq!(app.working(), None);
    assert!(!shows(&app, "comparing…"));
    assert_eq!(outlets(&app), ("观察者网".into(), "德國之聲".into()));
    let message = &app.message().unwrap().text;
    assert!(
        message.starts_with("no other outlet in its story; most related: 观察者网"),
        "{message}"
    );
}

#[test]
fn esc_cancels_a_background_comparison_and_its_result_is_dropped() {
    let (mut app, rx) = background_app();
    press(&mut app, "c");
    press(&mut app, "Esc");
    assert_eq!(app.working(), None);
    assert_eq!(app.message().unwrap().text, "comparison cancelled");
    // The thread stops at its next checkpoint without answering; had it finished first, its
    // answer is stale and dropped.
    if let Ok(late) = rx.recv_timeout(std::time::Duration::from_secs(5)) {
        app.on_compare(late);
    }
    assert!(app.compare_view().is_none());
    assert_eq!(app.layer(), Layer::List);
}

#[test]
fn a_second_c_replaces_the_first_comparison_whose_result_is_stale() {
    let (mut app, rx) = background_app();
    press(&mut app, "c");
    press(&mut app, "c");
    // The first request is cancelled by the second: it answers only if it finished before,
    // and that answer is dropped.
    let first = next(&rx);
    let ticket = first.ticket;
    app.on_compare(first);
    if app.layer() != Layer::Compare {
        assert!(app.compare_view().is_none());
        assert_eq!(app.working(), Some("comparing…"));
        let second = next(&rx);
        assert!(second.ticket > ticket);
        app.on_compare(second);
    }
    assert_eq!(app.layer(), Layer::Compare);
    assert_eq!(app.working(), None);
    if let Ok(late) = rx.recv_timeout(std::time::Duration::from_millis(500)) {
        app.on_compare(late);
        assert_eq!(app.layer(), Layer::Compare);
    }
}

#[test]
fn mouse_wheel_scrolls_the_side_under_the_pointer() {
    use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mouse = |kind, column, row| {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut config = config();
    config.mouse = true;
    let mut app = seeds_app(100, 30, config);
    press(&mut app, "c");
    app.handle(&mouse(MouseEventKind::ScrollDown, 70, 10));
    let view = app.compare_view().unwrap();
    assert_eq!(view.position(Side::A).0, 3, "locked: both sides move");
    press(&mut app, "g s");
    app.handle(&mouse(MouseEventKind::ScrollDown, 70, 10));
    let view = app.compare_view().unwrap();
    assert_eq!(view.focus, Side::B);
    assert_eq!((view.position(Side::A).0, view.position(Side::B).0), (0, 3));
    app.handle(&mouse(MouseEventKind::Down(MouseButton::Left), 10, 10));
    assert_eq!(app.compare_view().unwrap().focus, Side::A);
}

/// An overlay over wide characters keeps its border: a CJK character cut by the overlay's edge is
/// blanked rather than hiding the border cell (ratatui's diff skips the cell a wide one covers).
#[test]
fn help_over_the_columns_keeps_its_left_border() {
    let mut app = seeds_app(80, 24, config());
    press(&mut app, "c x ?");
    let s = screen(&app);
    // The overlay's top-left corner, then its left border on every row below it.
    let (top, x) = s
        .iter()
        .enumerate()
        .find_map(|(y, r)| r.find("╭ Keys").map(|_| (y, ())))
        .map(|(y, _)| (y, 3))
        .unwrap();
    let terminal = draw(&app);
    let b = terminal.backend().buffer();
    assert_eq!(b[(x as u16, top as u16)].symbol(), "╭");
    for y in top + 1..top + 20 {
        assert_eq!(b[(x as u16, y as u16)].symbol(), "│", "row {y}: {}", s[y]);
    }
}

/// The seeds with every comparison laid out on a thread (however small), the layouts collected
/// here.
fn layout_worker_app(
    width: u16,
    height: u16,
) -> (
    App,
    std::sync::mpsc::Receiver<reader::tui::compare_view::LaidOut>,
) {
    let (tx, rx) = std::sync::mpsc::channel();
    let app = seeds_app(width, height, config()).with_compare_layout_worker(0, move |laid| {
        let _ = tx.send(laid);
    });
    (app, rx)
}

fn next_layout(
    rx: &std::sync::mpsc::Receiver<reader::tui::compare_view::LaidOut>,
) -> reader::tui::compare_view::LaidOut {
    rx.recv_timeout(std::time::Duration::from_secs(30))
        .expect("the layout thread answers")
}

#[test]
fn a_comparison_laid_out_on_a_thread_says_so_then_shows_what_in_place_shows() {
    let mut inline = seeds_app(160, 45, config());
    press(&mut inline, "c j j");
    let (mut app, rx) = layout_worker_app(160, 45);
    press(&mut app, "c");
    // Open, but nothing laid out yet: the status bar says so and keys answer.
    assert_eq!(app.layer(), Layer::Compare);
    assert_eq!(app.working(), Some("laying out…"));
    assert!(shows(&app, "laying out…"));
    assert_eq!(app.compare_view().unwrap().position(Side::A), (0, 0));
    press(&mut app, "j j");
    app.on_compare_layout(next_layout(&rx));
    assert_eq!(app.working(), None);
    // Same lines as laid out in place; the scroll asked for before the layout came is kept
    // only as far as there was anything to scroll then (nothing).
    press(&mut app, "j j");
    assert_eq!(screen(&app), screen(&inline));
}

#[test]
fn a_resize_lays_the_comparison_out_again_on_the_thread_and_the_newest_request_wins() {
    let (mut app, rx) = layout_worker_app(160, 45);
    press(&mut app, "c");
    app.on_compare_layout(next_layout(&rx));
    press(&mut app, "j j j");
    // A resize asks for a new layout; the old one shows meanwhile, scrolled where it was.
    app.resize(Rect::new(0, 0, 100, 30));
    assert_eq!(app.working(), Some("laying out…"));
    let first = next_layout(&rx);
    // A second resize before the answer is taken: that answer is stale and dropped.
    app.resize(Rect::new(0, 0, 120, 40));
    app.on_compare_layout(first);
    assert_eq!(app.working(), Some("laying out…"));
    app.on_compare_layout(next_layout(&rx));
    assert_eq!(app.working(), None);
    let mut inline = seeds_app(160, 45, config());
    press(&mut inline, "c j j j");
    for size in [(100, 30), (120, 40)] {
        inline.resize(Rect::new(0, 0, size.0, size.1));
    }
    assert_eq!(screen(&app), screen(&inline));
    // Back to the first size: laid out again, where the same resizes in place leave it.
    app.resize(Rect::new(0, 0, 160, 45));
    app.on_compare_layout(next_layout(&rx));
    for size in [(100, 30), (120, 40), (160, 45)] {
        inline.resize(Rect::new(0, 0, size.0, size.1));
    }
    assert_eq!(screen(&app), screen(&inline));
    // Closing the view drops a layout still under way, and its answer with it.
    app.resize(Rect::new(0, 0, 100, 30));
    press(&mut app, "Esc");
    assert_eq!(app.working(), None);
    if let Ok(late) = rx.recv_timeout(std::time::Duration::from_secs(5)) {
        app.on_compare_layout(late);
    }
    assert!(app.compare_view().is_none());
}
