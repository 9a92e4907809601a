//! End to end (issue #12 browsing): the real `reader` binary in a pseudo-terminal on a small
//! archive of five outlets, with a config file holding saved filters: `O` lists the outlets
//! with counts, choosing one filters the list, `d` jumps to a date, a saved filter (and a
//! broken one) shows in the overlay. Every spawned process gets its own XDG folders.

mod pty_support;

use pty_support::Launch;

const ARCHIVE: &str = "tests/fixtures/stories/archive";

const CONFIG: &str = r#"
[filters]
"Reuters June" = "outlet:reuters before:2020-06-30"
broken = "on:notaday"
"#;

#[test]
fn o_then_an_outlet_filters_the_list_and_d_jumps_to_a_date() {
    let mut s = Launch::reader(&[ARCHIVE]).config(CONFIG).spawn();
    s.wait_text("Articles 217 ");
    // The newest day's header heads the list.
    s.wait_text("── 2020-07-05 Sun · 9 ──");
    s.send("O");
    s.wait_text("Outlets");
    let screen = s.screen();
    for row in [
        "All outlets",
        "Reuters June  outlet:reuters before:2020-06-30",
        "broken  on: needs a date",
        "法广",
        "美国之音",
        "德國之聲",
        "路透",
        "BBC中文",
    ] {
        assert!(screen.contains(row), "{row}:\n{screen}");
    }
    // Rows: All, the two saved filters, then 法广 93, 美国之音 48, 德國之聲 37, 路透 24.
    s.send("jjjjjj\r");
    s.wait_text("Articles 24/217 · 路透");
    s.wait_text("24 reports from 路透");
    // Reuters has nothing on 06-28: the nearer later day.
    s.send("d2020-06-28");
    s.wait_text("date: 2020-06-28");
    s.send("\r");
    s.wait_text("no reports on 2020-06-28 Sun; nearest: 2020-06-29 Mon (3 reports)");
    // The saved filter narrows the list to Reuters up to 06-30 (inclusive): 3 + 3 + 3 + 2;
    // the selected report (06-29) is in it and stays selected.
    s.send("O");
    s.wait_text("Outlets");
    s.send("gj\r");
    s.wait_text("Articles 11/217 · Reuters June");
    s.wait_text(" 3/11 ");
    s.send("\x1b");
    s.wait_text("Articles 217 ");
    s.quit();
}
