//! End to end (issue #12): read state lasts between launches. The real `reader` in a
//! pseudo-terminal, read through vt100: star a report, open and scroll another, quit; launched
//! again with the same XDG_DATA_HOME, the star, the read mark and the position are there.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_reader");
const ROWS: u16 = 30;
const COLS: u16 = 100;

struct Session {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Session {
    /// The reader on the seeds with HOME and the XDG folders under `home`.
    fn start(home: &Path, args: &[&str]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg(format!("{}/seeds", env!("CARGO_MANIFEST_DIR")));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(ROWS), nz(COLS), 0)));
        let sink = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        Session {
            _master: pair.master,
            writer,
            child,
            parser,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if pred(&self.screen()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {what}; screen:\n{}", self.screen());
    }

    fn wait_text(&self, text: &str) {
        self.wait_for(text, |s| s.contains(text));
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn quit(&mut self) {
        self.send("q");
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status:?}");
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "reader did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
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
    let mut s = Session::start(home.path(), &[]);
    s.wait_text("Articles 2");
    let first = s.screen();
    // Both unread, neither starred.
    assert!(row(&first, DW).starts_with("│ •  2022-10-26"), "{first}");
    assert!(
        row(&first, GUANCHA).starts_with("│ •  2022-09-01"),
        "{first}"
    );
    // Star the first (the DW report), then open the second and scroll it.
    s.send("*");
    s.wait_text("starred");
    s.wait_for("the star", |screen| {
        row_starts(screen, DW, "│ •✦ 2022-10-26")
    });
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
    s.wait_for("the read mark gone", |screen| {
        row_starts(screen, GUANCHA, "│    2022-09-01")
    });
    s.quit();
    assert!(home.path().join("data/reader/state.db").exists());

    // Again, with the same data folder: the star and the read mark are there.
    let mut s = Session::start(home.path(), &[]);
    s.wait_text("Articles 2");
    s.wait_for("the star and the read mark", |screen| {
        row_starts(screen, DW, "│ •✦ 2022-10-26") && row_starts(screen, GUANCHA, "│    2022-09-01")
    });
    // The scrolled report reopens where it was left.
    s.send("j\r");
    s.wait_text("观察者网");
    s.wait_text(&format!(" {position} "));
    // Unstar, quit, and once more: gone.
    s.send("hk*");
    s.wait_text("unstarred");
    s.quit();
    let mut s = Session::start(home.path(), &["--ascii"]);
    s.wait_text("Articles 2");
    s.wait_for("no star, ASCII marks", |screen| {
        row_starts(screen, DW, "| N  2022-10-26") && row_starts(screen, GUANCHA, "|    2022-09-01")
    });
    s.send("u");
    s.wait_text("marked read");
    s.wait_for("read", |screen| row_starts(screen, DW, "|    2022-10-26"));
    s.quit();
}

#[test]
fn a_damaged_state_file_is_set_aside_with_a_message() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("data/reader");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("state.db"), b"not a database at all".repeat(50)).unwrap();
    let mut s = Session::start(home.path(), &[]);
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
    let mut s = Session::start(home.path(), &[]);
    s.wait_for("the star", |screen| {
        row_starts(screen, DW, "│ •✦ 2022-10-26")
    });
    s.quit();
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}
