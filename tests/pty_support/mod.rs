//! One harness for the end-to-end tests that drive a real program in a pseudo-terminal: the
//! `reader` binary (or `ssh` into `reader serve`), its output fed to a terminal emulator (vt100),
//! keys written as a user types them, the screen read back as text.
//!
//! Every reader started here gets HOME and the XDG folders in a fresh temporary folder (or one the
//! test names), so no test touches a real home, and `TZ=UTC` unless the test sets another.
#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// The reader binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_reader");

/// How long a wait lasts before the test fails with the screen.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// What to start in the pseudo-terminal: program, arguments, size, environment, home.
pub struct Launch {
    program: OsString,
    args: Vec<OsString>,
    cols: u16,
    rows: u16,
    env: Vec<(OsString, OsString)>,
    home: Option<PathBuf>,
    config: Option<String>,
    cwd: PathBuf,
}

impl Launch {
    /// The reader with `args`, 100x30 unless [`Launch::size`] says otherwise.
    pub fn reader<S: AsRef<OsStr>>(args: &[S]) -> Launch {
        Launch::program(BIN, args)
    }

    /// Any program (e.g. `ssh`) with `args`.
    pub fn program<S: AsRef<OsStr>>(program: impl AsRef<OsStr>, args: &[S]) -> Launch {
        Launch {
            program: program.as_ref().to_owned(),
            args: args.iter().map(|a| a.as_ref().to_owned()).collect(),
            cols: 100,
            rows: 30,
            env: vec![
                ("TERM".into(), "xterm-256color".into()),
                ("TZ".into(), "UTC".into()),
            ],
            home: None,
            config: None,
            cwd: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        }
    }

    pub fn size(mut self, cols: u16, rows: u16) -> Launch {
        self.cols = cols;
        self.rows = rows;
        self
    }

    /// Sets (or, with a later call, overrides) one environment variable.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Launch {
        let key = key.as_ref().to_owned();
        self.env.retain(|(k, _)| *k != key);
        self.env.push((key, value.as_ref().to_owned()));
        self
    }

    /// HOME and the XDG folders under `home` (kept by the test, e.g. across two launches)
    /// instead of a fresh temporary folder.
    pub fn home(mut self, home: &Path) -> Launch {
        self.home = Some(home.to_owned());
        self
    }

    /// `text` as the reader's `config.toml` (under the home's `config/reader/`).
    pub fn config(mut self, text: &str) -> Launch {
        self.config = Some(text.to_owned());
        self
    }

    /// Starts the program and the thread feeding its output to the emulator.
    pub fn spawn(self) -> Pty {
        let (home, temp) = match self.home {
            Some(home) => (home, None),
            None => {
                let temp = tempfile::tempdir().unwrap();
                (temp.path().to_owned(), Some(temp))
            }
        };
        if let Some(config) = &self.config {
            let dir = home.join("config/reader");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("config.toml"), config).unwrap();
        }
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: self.rows,
                cols: self.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let cooked = format!(
            "{:?}",
            pair.master.get_termios().expect("termios of the pty")
        );
        let mut cmd = CommandBuilder::new(&self.program);
        cmd.args(&self.args);
        cmd.cwd(&self.cwd);
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("COLORTERM");
        cmd.env("HOME", &home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            nz(self.rows),
            nz(self.cols),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (sink, raw_sink) = (parser.clone(), raw.clone());
        let output = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
                raw_sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master: pair.master,
            writer,
            child,
            parser,
            raw,
            output: Some(output),
            cooked,
            home,
            _temp: temp,
        }
    }
}

/// A running program in a pseudo-terminal.
pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for tests that look at escape sequences themselves.
    raw: Arc<Mutex<Vec<u8>>>,
    /// The thread feeding the emulator; it ends when the program's side of the pty closes.
    output: Option<std::thread::JoinHandle<()>>,
    /// The pty's settings before the program started (Debug form: the type lives in `nix`).
    cooked: String,
    home: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

impl Pty {
    /// The screen as text, rows joined by newlines.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Runs `f` on the emulator's screen (colours, cursor, modes).
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.parser.lock().unwrap().screen())
    }

    /// Every byte the program has written so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// The folder holding HOME and the XDG folders.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// Waits until the screen satisfies `pred`; fails with the screen after [`PATIENCE`].
    pub fn wait_for(&self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        self.wait_within(PATIENCE, what, pred)
    }

    /// Waits until the screen satisfies `pred`; fails with the screen after `limit`.
    pub fn wait_within(&self, limit: Duration, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        while start.elapsed() < limit {
            if pred(self.parser.lock().unwrap().screen()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "timed out waiting for {what}{}; screen:\n{}",
            self.terminal_note(),
            self.screen()
        );
    }

    /// Waits until the screen's text satisfies `pred`.
    pub fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) {
        self.wait_for(what, |s| pred(&s.contents()))
    }

    /// Waits until the screen shows `text`.
    pub fn wait_text(&self, text: &str) {
        self.wait_for(&format!("{text:?}"), |s| s.contents().contains(text));
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) {
        self.wait_for(&format!("{text:?} to go"), |s| !s.contents().contains(text));
    }

    /// Types `keys`.
    pub fn send(&mut self, keys: &str) {
        self.send_bytes(keys.as_bytes());
    }

    /// Writes `bytes` to the terminal as input, whatever they are.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the emulator with it.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser.lock().unwrap().set_size(nz(rows), nz(cols));
    }

    /// Waits for the program to end, for at most [`PATIENCE`].
    pub fn wait_exit(&mut self) -> ExitStatus {
        self.exits_within(PATIENCE)
    }

    /// Waits for the program to end, for at most `limit`; kills it and fails with the screen
    /// (and whether the terminal was still raw) otherwise.
    pub fn exits_within(&mut self, limit: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the output thread take in the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            if start.elapsed() > limit {
                let note = self.terminal_note();
                let _ = self.child.kill();
                panic!(
                    "still running after {limit:?}{note}; screen:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the program to end and for its last byte to arrive; its status and all it
    /// wrote.
    pub fn finish(mut self) -> (ExitStatus, Vec<u8>) {
        let status = self.wait_exit();
        if let Some(output) = self.output.take() {
            output.join().unwrap();
        }
        (status, self.raw())
    }

    /// `q`, then the program ends with success.
    pub fn quit(&mut self) {
        self.send("q");
        let status = self.wait_exit();
        assert!(status.success(), "{status:?}");
    }

    /// The process id, for signals and /proc.
    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    /// Sends the signal `name` (e.g. "TERM") to the program.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// The terminal's settings differ from those before the program started (raw mode).
    pub fn in_raw_mode(&self) -> bool {
        format!("{:?}", self.master.get_termios().unwrap()) != self.cooked
    }

    /// The terminal as the program found it: main screen, cursor shown, no mouse reporting,
    /// cooked mode.
    pub fn assert_restored(&self) {
        self.with_screen(|screen| {
            assert!(!screen.alternate_screen(), "alternate screen left");
            assert!(!screen.hide_cursor(), "cursor shown");
            assert_eq!(
                screen.mouse_protocol_mode(),
                vt100::MouseProtocolMode::None,
                "mouse reporting off"
            );
        });
        assert!(!self.in_raw_mode(), "terminal back in cooked mode");
    }

    /// Facts for a failure message: a program waiting for keys in cooked mode never sees one.
    fn terminal_note(&self) -> String {
        match self.master.get_termios() {
            Some(_) if self.in_raw_mode() => " (terminal raw)".into(),
            Some(_) => " (terminal in cooked mode: keys wait for a newline)".into(),
            None => String::new(),
        }
    }
}

pub fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

/// The bundled seeds folder.
pub fn seeds() -> String {
    format!("{}/seeds", env!("CARGO_MANIFEST_DIR"))
}
