//! End to end: `reader serve` on 127.0.0.1 and a free port, driven by the real OpenSSH client
//! (`ssh`, keys made by `ssh-keygen` in a temp folder). An authorised key reads the bundled seeds
//! in the full-screen reader (`ssh -tt` in a pseudo-terminal, its output fed to vt100); a foreign
//! key is refused; `-T` without a command gets the one-line message; an exec `list --json`
//! prints JSON; a resize reflows the remote screen; 20 sessions at once; a client killed
//! mid-session harms no other; SIGTERM closes every session with the terminal restored.
//!
//! Skipped (with a note) when `ssh` or `ssh-keygen` is missing; `.ci/run` installs them.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_reader");

fn have_ssh() -> bool {
    let ok = |p: &str| Path::new(p).exists();
    let found = ok("/usr/bin/ssh") && ok("/usr/bin/ssh-keygen");
    if !found {
        eprintln!("serve_e2e: skipped: /usr/bin/ssh or ssh-keygen missing");
    }
    found
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

/// A running server with its keys and folders.
struct Server {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        for name in ["id", "foreign"] {
            let status = Command::new("/usr/bin/ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
                .arg(dir.path().join(name))
                .status()
                .unwrap();
            assert!(status.success());
        }
        let pubkey = std::fs::read_to_string(dir.path().join("id.pub")).unwrap();
        std::fs::write(
            dir.path().join("authorized_keys"),
            format!("# readers\n{pubkey}"),
        )
        .unwrap();
        let port = free_port();
        let mut cmd = Command::new(BIN);
        cmd.arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--authorized-keys")
            .arg(dir.path().join("authorized_keys"))
            .args(extra)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        set_home(&mut cmd, dir.path());
        let mut child = cmd.spawn().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        let mut stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let server = Server {
            child,
            port,
            dir,
            log,
        };
        server.wait_log("listening on", Duration::from_secs(20));
        server
    }

    fn key(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn wait_log(&self, needle: &str, limit: Duration) {
        let start = Instant::now();
        while !self.log().contains(needle) {
            assert!(
                start.elapsed() < limit,
                "no `{needle}` in the log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `ssh` with the options every test uses, for `key`.
    fn ssh(&self, key: &str) -> Command {
        let mut cmd = Command::new("/usr/bin/ssh");
        cmd.args(ssh_options(self.port, &self.key(key)));
        cmd
    }

    fn terminate(&mut self) -> std::process::ExitStatus {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < Duration::from_secs(5), "server still up");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ssh_options(port: u16, key: &Path) -> Vec<String> {
    [
        "-p",
        &port.to_string(),
        "-i",
        &key.display().to_string(),
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "BatchMode=yes",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "LogLevel=ERROR",
        "-F",
        "/dev/null",
        "127.0.0.1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn set_home(cmd: &mut Command, dir: &Path) {
    cmd.env("HOME", dir);
    for (var, sub) in [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
    ] {
        cmd.env(var, dir.join(sub));
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `ssh -tt` in a pseudo-terminal, its output fed to a terminal emulator.
struct Remote {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Remote {
    fn open(server: &Server, cols: u16, rows: u16) -> Remote {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new("/usr/bin/ssh");
        cmd.arg("-tt");
        for o in ssh_options(server.port, &server.key("id")) {
            cmd.arg(o);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", server.dir.path());
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (sink, raw_sink) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
                raw_sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Remote {
            master: pair.master,
            writer,
            child,
            parser,
            raw,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while !self.screen().contains(needle) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no `{needle}` on the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn keys(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nz(rows), nz(cols));
    }

    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "ssh still running; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The client's terminal was put back: alternate screen left, cursor shown.
    fn assert_restored(&self) {
        // ssh may exit before the pty's last bytes reach the reading thread.
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            let screen = self.parser.lock().unwrap();
            if !screen.screen().alternate_screen() && !screen.screen().hide_cursor() {
                break;
            }
            drop(screen);
            std::thread::sleep(Duration::from_millis(25));
        }
        let parser = self.parser.lock().unwrap();
        assert!(
            !parser.screen().alternate_screen(),
            "still on the alternate screen"
        );
        assert!(!parser.screen().hide_cursor(), "cursor still hidden");
        let raw = self.raw.lock().unwrap();
        let text = String::from_utf8_lossy(&raw);
        assert!(text.contains("\x1b[?1049h"), "the reader never entered");
    }
}

#[test]
fn an_authorised_key_reads_the_seeds_and_a_resize_reflows() {
    if !have_ssh() {
        return;
    }
    let server = Server::start(&[]);
    let mut remote = Remote::open(&server, 100, 30);
    remote.wait_for("Articles 2");
    // Wide: the list and the body side by side, the body's title in full.
    remote.wait_for("COP27即將召開 美籲中重啟氣候對話");
    remote.wait_for("德國之聲 · 2022-10-26 01:34 UTC");
    remote.keys(b"j");
    remote.wait_for("观察者网 · 李丽");
    remote.resize(60, 20);
    // The remote reader lays out again for 60 columns: no line longer, the frame's corner at 60.
    let start = Instant::now();
    loop {
        let screen = remote.screen();
        let rows: Vec<&str> = screen.lines().collect();
        if rows.len() <= 20
            && rows.first().is_some_and(|r| r.trim_end().ends_with('╮'))
            && rows.iter().all(|r| unicode_width(r) <= 60)
            && screen.contains("观察者网")
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no reflow to 60x20:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    remote.keys(b"q");
    assert_eq!(remote.wait_exit(), 0);
    remote.assert_restored();
    server.wait_log("session end", Duration::from_secs(5));
    let log = server.log();
    assert!(log.contains("auth ok 127.0.0.1:"), "{log}");
    assert!(log.contains("SHA256:"), "{log}");
    assert!(log.contains(": quit"), "{log}");
    // Never article content in the log.
    assert!(!log.contains("COP27"), "{log}");
}

fn unicode_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{1100}'..='\u{115f}').contains(&c)
                || ('\u{2e80}'..='\u{a4cf}').contains(&c)
                || ('\u{ac00}'..='\u{d7a3}').contains(&c)
                || ('\u{f900}'..='\u{faff}').contains(&c)
                || ('\u{fe30}'..='\u{fe4f}').contains(&c)
                || ('\u{ff00}'..='\u{ff60}').contains(&c)
                || ('\u{ffe0}'..='\u{ffe6}').contains(&c)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn a_foreign_key_is_refused_and_no_terminal_gets_the_message() {
    if !have_ssh() {
        return;
    }
    let server = Server::start(&[]);
    let out = server.ssh("foreign").arg("list").output().unwrap();
    assert_eq!(out.status.code(), Some(255), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Permission denied"));
    assert!(out.stdout.is_empty());
    server.wait_log("auth refused", Duration::from_secs(5));
    assert!(server.log().contains("key not in authorized_keys"));

    let out = server.ssh("id").arg("-T").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no terminal: use `ssh -t`"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn exec_runs_the_plain_commands_on_the_served_library_only() {
    if !have_ssh() {
        return;
    }
    let server = Server::start(&[]);
    let out = server.ssh("id").args(["list", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["outlet"], "德國之聲");
    assert_eq!(items[1]["outlet"], "观察者网");
    // Byte for byte what the local command prints.
    let mut local = Command::new(BIN);
    local
        .args(["list", "--json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    set_home(&mut local, server.dir.path());
    assert_eq!(local.output().unwrap().stdout, out.stdout);

    let out = server
        .ssh("id")
        .args(["show", "2", "--width", "40"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("气候问题上，美国想跟中国重新走到一起"),
        "{text}"
    );

    // No shell: a `;` is an argument, and only the served library can be read.
    let out = server
        .ssh("id")
        .args(["list;", "cat", "/etc/passwd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let out = server
        .ssh("id")
        .args(["show", "/etc/passwd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an article of the served archive"));
    let out = server.ssh("id").args(["list", "/etc"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PATH arguments are not accepted"));
    let out = server.ssh("id").args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn twenty_sessions_at_once_and_a_killed_client_harms_no_other() {
    if !have_ssh() {
        return;
    }
    let server = Server::start(&[]);
    let mut remotes: Vec<Remote> = (0..20).map(|_| Remote::open(&server, 80, 24)).collect();
    for r in &remotes {
        r.wait_for("Articles 2");
    }
    // Kill one client mid-session (no goodbye: its TCP connection just drops).
    let mut victim = remotes.remove(7);
    victim.child.kill().unwrap();
    let _ = victim.child.wait();
    // Every other session still answers its keys.
    for r in &mut remotes {
        r.keys(b"j");
    }
    for r in &remotes {
        r.wait_for("观察者网 · 李丽");
    }
    server.wait_log("client gone", Duration::from_secs(10));
    for r in &mut remotes {
        r.keys(b"q");
    }
    for r in &mut remotes {
        assert_eq!(r.wait_exit(), 0);
        r.assert_restored();
    }
}

#[test]
fn sigterm_closes_every_session_with_its_terminal_restored() {
    if !have_ssh() {
        return;
    }
    let mut server = Server::start(&[]);
    let mut remotes: Vec<Remote> = (0..3).map(|_| Remote::open(&server, 80, 24)).collect();
    for r in &remotes {
        r.wait_for("Articles 2");
    }
    let start = Instant::now();
    let status = server.terminate();
    assert!(status.success(), "{status:?}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "took {:?}",
        start.elapsed()
    );
    for r in &mut remotes {
        r.wait_exit();
        r.assert_restored();
        assert!(
            r.screen().contains("the server is shutting down"),
            "{}",
            r.screen()
        );
    }
    assert!(server.log().contains("server shutdown"));
}

#[test]
fn an_idle_session_is_closed_with_a_message() {
    if !have_ssh() {
        return;
    }
    let server = Server::start(&["--idle-timeout", "1"]);
    let mut remote = Remote::open(&server, 80, 24);
    remote.wait_for("Articles 2");
    assert_eq!(remote.wait_exit(), 0);
    remote.assert_restored();
    assert!(
        remote.screen().contains("without input"),
        "{}",
        remote.screen()
    );
    server.wait_log("idle timeout", Duration::from_secs(5));
}
