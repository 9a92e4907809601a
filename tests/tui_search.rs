//! The reader's `/` with the search language: metadata terms filter the list live, a malformed
//! query keeps the list and says why, and the list's words become the body's find (`n`/`N`).

mod tui_support;

use reader::tui::app::App;
use tui_support::*;

fn titles(app: &App) -> Vec<String> {
    app.view()
        .iter()
        .map(|&id| app.articles()[id as usize].title.clone())
        .collect()
}

const DW: &str = "COP27即將召開 美國敦促中國恢復氣候對話";
const GCW: &str = "美国想跟中国重新走到一起";
const EN: &str = "Climate talks resume";

#[test]
fn fields_dates_and_negation_filter_the_list() {
    let mut app = sample_app(140, 40);
    press(&mut app, "/ 'outlet:dw Enter");
    assert_eq!(titles(&app), [DW]);
    press(&mut app, "/ C-u 'outlet:觀察者 Enter");
    assert_eq!(titles(&app), [GCW]);
    press(&mut app, "/ C-u 'on:2022-09-01 Enter");
    assert_eq!(titles(&app), [GCW]);
    press(&mut app, "/ C-u 'after:2022-01-01 Space '-outlet:dw Enter");
    assert_eq!(titles(&app), [GCW]);
    press(&mut app, "/ C-u 'before:2021-12-31 Enter");
    assert_eq!(titles(&app), [EN]);
    // Words are all required, in either script, with the metadata.
    press(
        &mut app,
        "/ C-u '美國 Space '中國 Space 'outlet:德国之声 Enter",
    );
    assert_eq!(titles(&app), [DW]);
    press(&mut app, "/ C-u '美国 Space '-中國 Enter");
    assert!(titles(&app).is_empty());
    press(&mut app, "Esc");
    assert_eq!(titles(&app).len(), 3);
}

#[test]
fn a_malformed_query_keeps_the_list_and_says_why() {
    let mut app = sample_app(140, 40);
    press(&mut app, "/ 'outlet:dw");
    assert_eq!(titles(&app), [DW]);
    press(&mut app, "Space '\"climate");
    assert_eq!(titles(&app), [DW], "the last good list stays");
    assert_eq!(
        app.message().unwrap().text,
        "the quote \" here is never closed"
    );
}

#[test]
fn the_lists_words_are_found_in_the_body_with_n() {
    let mut app = sample_app(140, 40);
    press(&mut app, "/ '美國 Enter");
    assert_eq!(titles(&app), [DW, GCW]);
    press(&mut app, "Enter");
    let find = app.find().expect("the list's words are the find");
    assert_eq!(find.terms, ["美国"]);
    // 美國 in the title line and once per paragraph of the DW stand-in body.
    assert_eq!(find.matches.len(), 61);
    press(&mut app, "n n");
    assert_eq!(app.find().unwrap().current, 2);
    assert_eq!(app.message().unwrap().text, "match 3 of 61");
    // Two words: matches of either, in reading order.
    let mut app = sample_app(140, 40);
    press(&mut app, "/ '美國 Space '恢复 Enter");
    assert_eq!(titles(&app), [DW]);
    press(&mut app, "Enter");
    let find = app.find().unwrap();
    assert_eq!(find.matches.len(), 122);
    let order: Vec<(usize, usize)> = find.matches.iter().map(|(l, r)| (*l, r.start)).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}
