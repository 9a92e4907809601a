//! End to end (issue #12): read state lasts between launches. The real `reader` in a
//! pseudo-terminal, read through vt100: star a report, open and scroll another, quit; launched
//! again with the same XDG_DATA_HOME, the star, the read mark and the position are there.

mod pty_support;

use std::path::Path;

use pty_support::{Launch, Pty, seeds};

/// The reader on the seeds (and `args`) with HOME and the XDG folders under `home`.
fn start(home: &Path, args: &[&str]) -> Pty {
    let mut all = vec![seeds()];
    all.extend(args.iter().map(|a| a.to_string()));
    Launch::reader(&all).home(home).spawn()
}

/// The list pane's rows: each screen line up to the border between list and body.
fn list_rows(screen: &str) -> impl Iterator<Item = &str> {
    screen
        .lines()
        .map(|l| l.split("││").next().unwrap().split("||").next().unwrap())
}

/// The list row that shows `title`, from the screen.
fn row<'a>(screen: &'a str, title: &str) -> &'a str {
    list_rows(screen)
        .find(|l| l.contains(title))
        .unwrap_or_else(|| panic!("no row with {title}:\n{screen}"))
}

/// True when the list row showing `title` starts with `start` (marks and date).
fn row_starts(screen: &str, title: &str, start: &str) -> bool {
    list_rows(screen).any(|l| l.contains(title) && l.starts_with(start))
}

const DW: &str = "COP27";
const GUANCHA: &str = "气候问题上";

#[test]
fn star_read_and_position_last_between_launches() {
    let home = tempfile::tempdir().unwrap();
    let mut s = start(home.path(), &[]);
    s.wait_text("Articles 2");
    let first = s.screen();
    // Both unread, neither starred.
    assert!(row(&first, DW).starts_with("│ •  01:34"), "{first}");
    assert!(row(&first, GUANCHA).starts_with("│ •  10:21"), "{first}");
    // Star the first (the DW report), then open the second and scroll it.
    s.send("*");
    s.wait_text("starred");
    s.wait_until("the star", |screen| row_starts(screen, DW, "│ •✦ 01:34"));
    s.send("j\r");
    s.wait_text("8月5日");
    s.send("jjjjjjj");
    s.wait_text(" 8-");
    let scrolled = s.screen();
    let position = scrolled
        .lines()
        .find_map(|l| l.split_whitespace().find(|w| w.starts_with("8-")))
        .unwrap_or_else(|| panic!("a position on the body's border:\n{scrolled}"))
        .to_string();
    // Back to the list: the opened report is read now.
    s.send("h");
    s.wait_until("the read mark gone", |screen| {
        row_starts(screen, GUANCHA, "│    10:21")
    });
    s.quit();
    assert!(home.path().join("data/reader/state.db").exists());

    // Again, with the same data folder: the star and the read mark are there.
    let mut s = start(home.path(), &[]);
    s.wait_text("Articles 2");
    s.wait_until("the star and the read mark", |screen| {
        row_starts(screen, DW, "│ •✦ 01:34") && row_starts(screen, GUANCHA, "│    10:21")
    });
    // The scrolled report reopens where it was left.
    s.send("j\r");
    s.wait_text("观察者网");
    s.wait_text(&format!(" {position} "));
    // Unstar, quit, and once more: gone.
    s.send("hk*");
    s.wait_text("unstarred");
    s.quit();
    let mut s = start(home.path(), &["--ascii"]);
    s.wait_text("Articles 2");
    s.wait_until("no star, ASCII marks", |screen| {
        row_starts(screen, DW, "| N  01:34") && row_starts(screen, GUANCHA, "|    10:21")
    });
    s.send("u");
    s.wait_text("marked read");
    s.wait_until("read", |screen| row_starts(screen, DW, "|    01:34"));
    s.quit();
}

#[test]
fn a_damaged_state_file_is_set_aside_with_a_message() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("data/reader");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("state.db"), b"not a database at all".repeat(50)).unwrap();
    let mut s = start(home.path(), &[]);
    s.wait_text("Articles 2");
    s.wait_text("read state: the state file was damaged");
    s.send("!");
    s.wait_text("state.db.corrupt-");
    s.send("q*");
    s.wait_text("starred");
    s.quit();
    let aside = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("state.db.corrupt-")
        })
        .count();
    assert_eq!(aside, 1);
    // The fresh file holds the star.
    let mut s = start(home.path(), &[]);
    s.wait_until("the star", |screen| row_starts(screen, DW, "│ •✦ 01:34"));
    s.quit();
}
