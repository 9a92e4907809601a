//! End to end: the real `reader` binary in a pseudo-terminal, its output fed to a terminal
//! emulator (vt100). Opens the seeds, moves, opens an article, checks the screen text, quits, and
//! checks that the terminal was restored (alternate screen left, cursor shown, cooked mode back)
//! — and the same after SIGTERM and SIGHUP. Also: not a terminal means exit 2 with a hint.

mod pty_support;

use std::process::{Command, Stdio};
use std::time::Duration;

use pty_support::{BIN, Launch, Pty, seeds};

const ROWS: u16 = 30;
const COLS: u16 = 100;

/// The reader with `args` in a `cols`x`rows` terminal.
fn start(args: &[&str], cols: u16, rows: u16) -> Pty {
    Launch::reader(args).size(cols, rows).spawn()
}

#[test]
fn open_move_read_and_quit_restores_the_terminal() {
    let mut s = start(&[&seeds()], COLS, ROWS);
    s.wait_text("Articles 2");
    s.wait_for("the alternate screen", |screen| {
        screen.alternate_screen() && screen.hide_cursor()
    });
    assert!(s.in_raw_mode());
    let screen = s.screen();
    // 100 columns: list and body; newest first.
    let dw = screen.find("COP27").expect("the DW report is listed");
    let guancha = screen
        .find("气候问题上")
        .expect("the Guancha report is listed");
    assert!(dw < guancha, "newest first:\n{screen}");
    assert!(screen.contains("2022-10-26") && screen.contains("2022-09-01"));
    s.wait_text(" 1/2 ");
    s.send("j");
    s.wait_text(" 2/2 ");
    s.send("\r");
    // The body of the Guancha report, rendered.
    s.wait_text("8月5日");
    s.wait_text("观察者网");
    s.send("i");
    s.wait_text("Published");
    // The body keeps the focus; move it to the metadata and scroll to its end.
    s.send("hG");
    s.wait_text("front-matter");
    s.send("?");
    s.wait_text("Keys");
    // Esc alone: followed at once by a key, a terminal's Esc reads as Alt-key.
    s.send("\x1b");
    s.wait_for("the help closed", |screen| {
        !screen.contents().contains("Keys")
    });
    // Back to the list, then quit.
    s.send("q");
    s.wait_for("focus back in the list", |screen| {
        screen.contents().contains("Enter open")
    });
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    s.assert_restored();
}

/// The stories view (issue #11) on the trimmed labelled reports: grouped on the worker while
/// keys work, filtered, a story's coverage, `c` from it, and back out.
#[test]
fn stories_view_groups_filters_shows_coverage_and_compares() {
    let mut s = start(&["tests/fixtures/stories/archive"], COLS, ROWS);
    s.wait_text("loaded ");
    s.send("s");
    s.wait_text("Stories across outlets");
    // Grouping reads every report on its thread; the title says so until it is done.
    s.wait_within(
        Duration::from_secs(90),
        "the grouping to finish",
        |screen| {
            let text = screen.contents();
            text.contains("Stories across outlets") && !text.contains("grouping")
        },
    );
    s.send("/陈方安生\r");
    s.wait_text("香港泛民主派精神领袖之一陈方安生宣布退出政坛");
    s.wait_text("1 of ");
    s.send("\r");
    s.wait_text("Coverage by outlet");
    s.wait_text("Not reported by: BBC中文, 德國之聲, 路透");
    s.send("c");
    s.wait_text("same story (2 reports, 2 outlets)");
    // Back: the comparison, the coverage, the filter, the view; then quit.
    s.send("\x1b");
    s.wait_text("Coverage by outlet");
    s.send("\x1b");
    s.wait_text("story 1/1");
    s.send("s");
    s.wait_text("Articles ");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    s.assert_restored();
}

#[test]
fn ctrl_c_quits_from_a_search() {
    let mut s = start(&[], 80, 24);
    s.wait_text("Articles 2");
    s.send("/美國");
    // Titles first (only the Simplified one has 美国), then both bodies once the seeds'
    // in-memory index answers: either way the search is applied when Ctrl-C comes.
    s.wait_for("the search applied", |screen| {
        let text = screen.contents();
        text.contains("Articles 1/2 /美國") || text.contains("Articles 2 /美國")
    });
    s.send("\x03");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    s.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = start(&[&seeds()], COLS, ROWS);
    s.wait_text("Articles 2");
    s.send("\r");
    s.wait_text("10月25日");
    assert!(s.in_raw_mode());
    s.signal("TERM");
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 143, "128 + SIGTERM");
    s.assert_restored();
}

#[test]
fn sighup_restores_the_terminal() {
    let mut s = start(&[], COLS, ROWS);
    s.wait_text("Articles 2");
    s.signal("HUP");
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 129, "128 + SIGHUP");
    s.assert_restored();
}

#[test]
fn resize_lays_out_again() {
    let mut s = start(&[], 140, 40);
    s.wait_text("Info");
    s.resize(50, 20);
    s.wait_for("one pane at 50 columns", |screen| {
        let text = screen.contents();
        !text.contains("Info") && text.contains("Articles 2")
    });
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn without_a_terminal_it_says_so_and_exits_2() {
    let out = Command::new(BIN)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(err.contains("reader list"), "{err}");
    assert!(err.contains("reader show"), "{err}");
}

/// A DW-style report of about `paragraphs` × 60 bytes whose body starts with `first`.
fn dw_report(stamp_ms: u64, title: &str, first: &str, paragraphs: usize) -> String {
    let mut text =
        format!("<!--{stamp_ms}-->\n[{title}](https://example.com/{stamp_ms})\n------\n\n");
    text.push_str(&format!("<p>{first}</p>"));
    for i in 0..paragraphs {
        text.push_str(&format!(
            "<p>第{i}段：美國氣候特使克里表示，中美應恢復氣候對話。</p>"
        ));
    }
    text
}

#[test]
fn a_large_article_loads_in_the_background_and_keys_keep_working() {
    let dir = tempfile::tempdir().unwrap();
    // Well above the worker's threshold (256 KiB).
    let big = dw_report(1_700_000_000_000, "Big report", "BIGSTART here", 12_000);
    assert!(big.len() > 512 * 1024);
    std::fs::write(dir.path().join("big.txt"), big).unwrap();
    let small = dw_report(1_600_000_000_000, "Small report", "SMALLBODY here", 3);
    std::fs::write(dir.path().join("small.txt"), small).unwrap();

    let mut s = start(&[dir.path().to_str().unwrap()], COLS, ROWS);
    s.wait_text("Big report");
    s.wait_text("BIGSTART here");
    // Away to the small one and back: each shows its own body, never the other's.
    s.send("j");
    s.wait_text("SMALLBODY here");
    assert!(!s.screen().contains("BIGSTART"));
    s.send("k");
    s.wait_text("BIGSTART here");
    assert!(!s.screen().contains("SMALLBODY"));
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// Waits until the reader has exited, for at most `limit`; panics with the screen otherwise.
#[test]
fn a_file_replaced_by_a_fifo_while_open_does_not_block_the_reader() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.txt");
    let older = dir.path().join("older.txt");
    std::fs::write(
        &newer,
        dw_report(1_700_000_000_000, "Newer", "NEWERBODY", 3),
    )
    .unwrap();
    std::fs::write(
        &older,
        dw_report(1_600_000_000_000, "Older", "OLDERBODY", 3),
    )
    .unwrap();
    let mut s = start(&[dir.path().to_str().unwrap()], COLS, ROWS);
    s.wait_text("NEWERBODY");
    // The older report becomes a FIFO nobody writes to: opening it blocks forever.
    std::fs::remove_file(&older).unwrap();
    let made = Command::new("mkfifo").arg(&older).status().unwrap();
    assert!(made.success());
    s.send("j");
    // The selection rests, the body is asked for (and hangs, or is refused by the core read).
    s.wait_for("the older report selected", |screen| {
        !screen.contents().contains("NEWERBODY")
    });
    std::thread::sleep(Duration::from_millis(300));
    // Keys still answer: the other report shows again, then `q` ends the reader.
    s.send("k");
    s.wait_text("NEWERBODY");
    s.send("q");
    assert!(s.exits_within(Duration::from_secs(2)).success());
    s.assert_restored();
}

/// A report of `paragraphs` paragraphs of shuffled words: a pair of them takes the comparison
/// seconds (alignment and term ledger over thousands of paragraphs).
fn hostile_report(stamp_ms: u64, title: &str, paragraphs: usize, seed: u64) -> String {
    const WORDS: [&str; 12] = [
        "气候",
        "谈判",
        "美国",
        "中方",
        "特使",
        "表示",
        "恢复",
        "对话",
        "北京",
        "华盛顿",
        "会议",
        "声明",
    ];
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut text =
        format!("<!--{stamp_ms}-->\n[{title}](https://example.com/{stamp_ms})\n------\n\n");
    for i in 0..paragraphs {
        text.push_str("<p>");
        for _ in 0..30 {
            text.push_str(WORDS[next() % WORDS.len()]);
        }
        text.push_str(&format!("第{i}段</p>"));
    }
    text
}

fn hostile_pair() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let a = hostile_report(1_700_000_000_000, "Hostile A", 4000, 1);
    let b = hostile_report(1_700_000_100_000, "Hostile B", 4000, 2);
    std::fs::write(dir.path().join("a.txt"), a).unwrap();
    std::fs::write(dir.path().join("b.txt"), b).unwrap();
    dir
}

#[test]
fn ctrl_c_during_a_slow_comparison_ends_the_reader_at_once() {
    let dir = hostile_pair();
    let mut s = start(&[dir.path().to_str().unwrap()], COLS, ROWS);
    s.wait_text("Hostile A");
    // Mark both, compare: the status bar says the work is under way.
    s.send(" j c");
    s.wait_text("comparing…");
    s.send("\x03");
    let status = s.exits_within(Duration::from_secs(2));
    // Ctrl-C is the quit key, not a signal: a normal exit.
    assert!(status.success(), "{status:?}");
    s.assert_restored();
}

/// CPU time (user + system, in clock ticks) the process has used so far, from /proc.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may hold spaces) closed by ')'.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn a_cancelled_comparison_stops_using_the_cpu() {
    let dir = hostile_pair();
    let mut s = start(&[dir.path().to_str().unwrap()], COLS, ROWS);
    s.wait_text("Hostile A");
    // The full-text index of the folder is built in the background: let it end first, so that
    // the CPU measured below is the comparison's alone.
    s.wait_gone("indexing");
    s.send(" j c");
    s.wait_text("comparing…");
    s.send("\x1b");
    s.wait_text("comparison cancelled");
    let pid = s.pid();
    // The thread stops at its next checkpoint (reading and parsing each body is one step);
    // then the idle reader uses next to no CPU. The whole comparison takes several seconds of
    // CPU here, so one left running would use a whole core (100 ticks a second) in each of
    // these windows. Several windows: on a loaded machine the next checkpoint comes later.
    std::thread::sleep(Duration::from_millis(1500));
    let mut used = Vec::new();
    for _ in 0..3 {
        let before = cpu_ticks(pid);
        std::thread::sleep(Duration::from_secs(1));
        used.push(cpu_ticks(pid) - before);
        if used.last() < Some(&10) {
            break;
        }
    }
    assert!(
        used.last() < Some(&10),
        "CPU ticks in each 1 s window after the cancel: {used:?}"
    );
    s.send("q");
    assert!(s.exits_within(Duration::from_secs(2)).success());
    s.assert_restored();
}

#[test]
fn sigterm_during_a_slow_comparison_ends_the_reader_at_once() {
    let dir = hostile_pair();
    let mut s = start(&[dir.path().to_str().unwrap()], COLS, ROWS);
    s.wait_text("Hostile A");
    s.send(" j c");
    s.wait_text("comparing…");
    // Keys answer meanwhile: Esc cancels, and `c` starts it again.
    s.send("\x1b");
    s.wait_text("comparison cancelled");
    s.send("c");
    s.wait_text("comparing…");
    s.signal("TERM");
    s.exits_within(Duration::from_secs(2));
    s.assert_restored();
}

#[test]
fn a_resize_after_a_malformed_mouse_report_is_redrawn() {
    let mut s = start(&[], 140, 40);
    s.wait_text("Info");
    // `ESC [ M` and three 0xff bytes: no valid mouse report (issue #15).
    s.send_bytes(b"\x1b[M\xff\xff\xff");
    std::thread::sleep(Duration::from_millis(300));
    s.resize(50, 20);
    s.wait_for("one pane at 50 columns, without a key", |screen| {
        let text = screen.contents();
        !text.contains("Info") && text.contains("Articles 2")
    });
    // And keys after it still arrive.
    s.send("q");
    assert!(s.exits_within(Duration::from_secs(2)).success());
    s.assert_restored();
}
