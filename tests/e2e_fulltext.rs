//! End to end (issue #12 full-text search): the real `reader` binary in a pseudo-terminal on
//! the search fixtures; once the index is built, `/` and a word found only in a body list that
//! report with its matching sentence. Every spawned process gets its own XDG folders.

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

    /// Waits until the screen no longer shows `text`; panics with the screen after 15 s.
    fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(15) {
            if !self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "timed out waiting for {text:?} to go; screen:\n{}",
            self.screen()
        );
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

#[test]
fn slash_and_a_body_only_word_find_the_report_with_its_sentence() {
    // Wide enough for the list to show a snippet beside the title.
    let mut s = Session::start("tests/fixtures/search", "", 200, 30);
    s.wait_text("Articles 3 ");
    // The index is built in the background: the status bar says so until it is ready.
    s.wait_gone("indexing");
    s.send("/公帑");
    s.wait_text("Articles 1/3");
    // The title, then the sentence that holds the word, from just before the word when the
    // sentence is longer than the room.
    s.wait_text(" · …浪费公帑。");
    // Enter keeps the hits and leaves the prompt.
    s.send("\r");
    s.wait_gone("/公帑▏");
    s.quit();
}
