//! End to end (issue #12 browsing): the real `reader` binary in a pseudo-terminal on a small
//! archive of five outlets, with a config file holding saved filters: `O` lists the outlets
//! with counts, choosing one filters the list, `d` jumps to a date, a saved filter (and a
//! broken one) shows in the overlay. Every spawned process gets its own XDG folders.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_reader");

struct Session {
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    _home: tempfile::TempDir,
}

impl Session {
    /// The reader on `path` in a `cols`x`rows` terminal, with `config` as its config.toml.
    fn start(path: &str, config: &str, cols: u16, rows: u16) -> Session {
        let home = tempfile::tempdir().unwrap();
        let config_dir = home.path().join("config");
        std::fs::create_dir_all(config_dir.join("reader")).unwrap();
        std::fs::write(config_dir.join("reader/config.toml"), config).unwrap();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg(path);
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("TZ", "UTC");
        cmd.env("HOME", home.path());
        cmd.env("XDG_CONFIG_HOME", &config_dir);
        cmd.env("XDG_CACHE_HOME", home.path().join("cache"));
        cmd.env("XDG_DATA_HOME", home.path().join("data"));
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let sink = parser.clone();
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        Session {
            writer,
            child,
            parser,
            _home: home,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; panics with the screen after 15 s.
    fn wait_text(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn quit(&mut self) {
        self.send("q");
        let start = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "reader did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

const ARCHIVE: &str = "tests/fixtures/stories/archive";

const CONFIG: &str = r#"
[filters]
"Reuters June" = "outlet:reuters before:2020-06-30"
broken = "on:notaday"
"#;

#[test]
fn o_then_an_outlet_filters_the_list_and_d_jumps_to_a_date() {
    let mut s = Session::start(ARCHIVE, CONFIG, 100, 30);
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
