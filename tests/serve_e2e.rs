//! End to end: `reader serve` on 127.0.0.1 and a free port, driven by the real OpenSSH client
//! (`ssh`, keys made by `ssh-keygen` in a temp folder). An authorised key reads the bundled seeds
//! in the full-screen reader (`ssh -tt` in a pseudo-terminal, its output fed to vt100); a foreign
//! key is refused; `-T` without a command gets the one-line message; an exec `list --json`
//! prints JSON; a resize reflows the remote screen; 20 sessions at once; a client killed
//! mid-session harms no other; SIGTERM closes every session with the terminal restored.
//!
//! Skipped (with a note) when `ssh` or `ssh-keygen` is missing; `.ci/run` installs them.

mod pty_support;

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pty_support::{BIN, Launch, Pty};

fn have_ssh() -> bool {
    let ok = |p: &str| Path::new(p).exists();
    let found = ok("/usr/bin/ssh") && ok("/usr/bin/ssh-keygen");
    if !found {
        eprintln!("serve_e2e: skipped: /usr/bin/ssh or ssh-keygen missing");
    }
    found
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
        Server::start_with_env(extra, &[])
    }

    fn start_with_env(extra: &[&str], env: &[(&str, &str)]) -> Server {
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
        cmd.envs(env.iter().copied());
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
type Remote = Pty;

fn open(server: &Server, cols: u16, rows: u16) -> Remote {
    open_with(server, cols, rows, "xterm-256color", &[])
}

/// `ssh -tt` with the client's `TERM` and extra ssh options (before the host).
fn open_with(server: &Server, cols: u16, rows: u16, term: &str, options: &[&str]) -> Remote {
    let mut args: Vec<String> = vec!["-tt".into()];
    args.extend(options.iter().map(|o| o.to_string()));
    args.extend(ssh_options(server.port, &server.key("id")));
    Launch::program("/usr/bin/ssh", &args)
        .size(cols, rows)
        .env("TERM", term)
        .home(server.dir.path())
        .spawn()
}

/// The client's terminal was put back: alternate screen left, cursor shown.
fn assert_restored(remote: &Remote) {
    // ssh may exit before the pty's last bytes reach the reading thread.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if remote.with_screen(|s| !s.alternate_screen() && !s.hide_cursor()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    remote.with_screen(|s| {
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "cursor still hidden");
    });
    let raw = remote.raw();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("\x1b[?1049h"), "the reader never entered");
}

#[test]
fn an_authorised_key_reads_the_seeds_and_a_resize_reflows() {
    if !have_ssh() {
        return;
    }
    let server = Server::start(&[]);
    let mut remote = open(&server, 100, 30);
    remote.wait_text("Articles 2");
    // Wide: the list and the body side by side, the body's title in full.
    remote.wait_text("COP27即將召開 美籲中重啟氣候對話");
    remote.wait_text("德國之聲 · 2022-10-26 01:34 UTC");
    remote.send_bytes(b"j");
    remote.wait_text("观察者网 · 李丽");
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
    remote.send_bytes(b"q");
    assert_eq!(remote.wait_exit().exit_code(), 0);
    assert_restored(&remote);
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

/// `search` over SSH: the served archive's index, built in the server's cache folder when
/// missing, byte for byte the local `reader search`'s output; its exit codes (0 hits, 1 none, 2
/// a malformed query, said with the caret); PATH arguments refused.
#[test]
fn exec_search_uses_the_served_archives_index() {
    if !have_ssh() {
        return;
    }
    let server = Server::start(&["seeds"]);
    let index_dirs = || {
        let libraries = server.dir.path().join("cache/reader/libraries");
        std::fs::read_dir(libraries)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().join("index").is_dir())
                    .count()
            })
            .unwrap_or(0)
    };
    let out = server
        .ssh("id")
        .args(["search", "克里", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // One index: the one the server keeps for every session's `/`.
    assert_eq!(index_dirs(), 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = json.as_array().unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().any(|h| h["outlet"] == "德國之聲"));
    assert!(hits[0]["snippet"].as_str().unwrap().contains("克里"));
    let mut local = Command::new(BIN);
    local
        .args(["search", "克里", "seeds", "--json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    set_home(&mut local, server.dir.path());
    assert_eq!(local.output().unwrap().stdout, out.stdout);

    // Quoted words reach clap as one argument; a query without hits exits 1.
    let out = server
        .ssh("id")
        .args(["search", "'outlet:dw 克里'", "--limit", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("1  2022-10-26  德國之聲"), "{text}");
    let out = server
        .ssh("id")
        .args(["search", "拉布拉多"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no report matches"));
    let out = server
        .ssh("id")
        .args(["search", "after:tomorow"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("after: needs a date"), "{err}");
    assert!(err.contains("^"), "{err}");
    let out = server
        .ssh("id")
        .args(["search", "克里", "/etc"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PATH arguments are not accepted"));
}

/// Every session's `/` searches bodies too, from the one index the server keeps: two sessions
/// find a word that only a body holds, with its sentence, and the server has one index.
#[test]
fn every_sessions_slash_searches_bodies_from_one_index() {
    if !have_ssh() {
        return;
    }
    let server = Server::start(&["tests/fixtures/search"]);
    let mut sessions: Vec<Remote> = (0..2).map(|_| open(&server, 200, 30)).collect();
    for remote in &mut sessions {
        remote.wait_text("Articles 3 ");
        remote.wait_gone("indexing");
        remote.send("/公帑");
        remote.wait_text("Articles 1/3");
        remote.wait_text(" · …浪费公帑。");
    }
    let libraries = server.dir.path().join("cache/reader/libraries");
    let indexes = std::fs::read_dir(libraries)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index").is_dir())
        .count();
    assert_eq!(indexes, 1);
    for mut remote in sessions {
        remote.send("\r");
        remote.wait_gone("/公帑▏");
        remote.quit();
    }
}

/// The server groups the stories once, for every session: two sessions open the stories view
/// and both list the seeds' two stories (one outlet each), and the log has one grouping.
#[test]
fn stories_are_grouped_once_for_every_session() {
    if !have_ssh() {
        return;
    }
    let server = Server::start(&[]);
    server.wait_log("stories grouped: 2 articles", Duration::from_secs(20));
    let mut remotes: Vec<Remote> = (0..2).map(|_| open(&server, 100, 30)).collect();
    for r in &mut remotes {
        r.wait_text("Articles 2");
        r.send_bytes(b"s");
    }
    for r in &remotes {
        r.wait_text(" Stories ");
        r.wait_text("Stories across outlets 0 of 0 · 2 in all");
    }
    assert_eq!(server.log().matches("stories grouped").count(), 1);
    for r in &mut remotes {
        r.send_bytes(b"\x03");
        assert_eq!(r.wait_exit().exit_code(), 0);
        assert_restored(r);
    }
}

/// A panic in one session (here its body worker, on a report the debug build is told to panic
/// on, as a hostile body might) ends that session alone: its client's terminal is restored and
/// told, the log names the thread and place (never the message, which may quote a report), and
/// the other session keeps working.
#[test]
fn a_panic_ends_its_session_alone() {
    if !have_ssh() || !cfg!(debug_assertions) {
        return;
    }
    let server = Server::start_with_env(&[], &[("READER_DEBUG_PANIC_TITLE", "美国想跟")]);
    let mut victim = open(&server, 100, 30);
    let mut other = open(&server, 100, 30);
    for r in [&victim, &other] {
        r.wait_text("Articles 2");
        r.wait_text("德國之聲 · 2022-10-26 01:34 UTC");
    }
    // Down to the report whose body the worker panics on.
    victim.send_bytes(b"j");
    assert_eq!(victim.wait_exit().exit_code(), 70);
    assert_restored(&victim);
    let raw = String::from_utf8_lossy(&victim.raw()).into_owned();
    assert!(
        raw.contains("this session failed (the server goes on)"),
        "{raw:?}"
    );
    server.wait_log("session end", Duration::from_secs(5));
    let log = server.log();
    assert!(
        log.contains("panic in thread body at src/tui/loader.rs:"),
        "{log}"
    );
    assert!(log.contains(": panic"), "{log}");
    assert!(!log.contains("READER_DEBUG_PANIC_TITLE"), "{log}");
    // The other session still answers its keys, and a new one starts.
    other.send_bytes(b"s");
    other.wait_text(" Stories ");
    other.send_bytes(b"\x03");
    assert_eq!(other.wait_exit().exit_code(), 0);
    assert_restored(&other);
    let mut third = open(&server, 80, 24);
    third.wait_text("Articles 2");
    third.send_bytes(b"q");
    assert_eq!(third.wait_exit().exit_code(), 0);
}

/// True when `raw` holds an SGR sequence that sets a colour (foreground or background: 30–49,
/// 90–107, or an indexed or RGB colour).
fn has_colour(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw);
    text.split("\x1b[").skip(1).any(|seq| {
        let Some(end) = seq.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            return false;
        };
        seq[end..].starts_with('m')
            && seq[..end].split(';').any(|p| {
                p.parse::<u32>()
                    .is_ok_and(|n| (30..=49).contains(&n) || (90..=107).contains(&n))
            })
    })
}

/// Colours follow each session's terminal, never the server's: the server runs with
/// `NO_COLOR` and `TERM=vt100` of its own, and still an xterm session gets colours; a `vt100`
/// session gets none (attributes only), nor one whose client sends `NO_COLOR`.
#[test]
fn colours_follow_the_session_terminal_not_the_server() {
    if !have_ssh() {
        return;
    }
    let server = Server::start_with_env(&[], &[("NO_COLOR", "1"), ("TERM", "vt100")]);
    let xterm = open_with(&server, 100, 30, "xterm-256color", &[]);
    let vt100 = open_with(&server, 100, 30, "vt100", &[]);
    let no_color = open_with(
        &server,
        100,
        30,
        "xterm-256color",
        &["-o", "SetEnv=NO_COLOR=1"],
    );
    for r in [&xterm, &vt100, &no_color] {
        r.wait_text("Articles 2");
        r.wait_text("德國之聲 · 2022-10-26 01:34 UTC");
    }
    let raw = |r: &Remote| r.raw();
    assert!(has_colour(&raw(&xterm)));
    assert!(
        !has_colour(&raw(&vt100)),
        "{:?}",
        String::from_utf8_lossy(&raw(&vt100))
    );
    assert!(!has_colour(&raw(&no_color)));
    // Without colour the selection still shows: reverse video.
    assert!(String::from_utf8_lossy(&raw(&vt100)).contains("\x1b[7m"));
    assert!(!has_colour(b"\x1b[1;7mx\x1b[0m") && has_colour(b"\x1b[1;34mx"));
    for mut r in [xterm, vt100, no_color] {
        r.send_bytes(b"q");
        assert_eq!(r.wait_exit().exit_code(), 0);
    }
}

/// A theme's RGB colours reach a session whose client sends `COLORTERM=truecolor` as such,
/// and another as the nearest of the xterm 256.
#[test]
fn truecolor_follows_the_session_colorterm() {
    if !have_ssh() {
        return;
    }
    let config = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(config.path().join("reader")).unwrap();
    std::fs::write(
        config.path().join("reader/config.toml"),
        "[theme.color]\nborder = { fg = \"#ff8700\" }\n",
    )
    .unwrap();
    let home = config.path().to_str().unwrap();
    let server = Server::start_with_env(&[], &[("XDG_CONFIG_HOME", home)]);
    let deep = open_with(
        &server,
        100,
        30,
        "xterm-256color",
        &["-o", "SetEnv=COLORTERM=truecolor"],
    );
    let plain = open_with(&server, 100, 30, "xterm-256color", &[]);
    for r in [&deep, &plain] {
        r.wait_text("Articles 2");
    }
    let raw = |r: &Remote| String::from_utf8_lossy(&r.raw()).into_owned();
    assert!(raw(&deep).contains("38;2;255;135;0m"), "{:?}", raw(&deep));
    assert!(raw(&plain).contains("38;5;208m"), "{:?}", raw(&plain));
    assert!(!raw(&plain).contains("38;2;"));
    for mut r in [deep, plain] {
        r.send_bytes(b"q");
        assert_eq!(r.wait_exit().exit_code(), 0);
    }
}

#[test]
fn twenty_sessions_at_once_and_a_killed_client_harms_no_other() {
    if !have_ssh() {
        return;
    }
    let server = Server::start(&[]);
    let mut remotes: Vec<Remote> = (0..20).map(|_| open(&server, 80, 24)).collect();
    for r in &remotes {
        r.wait_text("Articles 2");
    }
    // Kill one client mid-session (no goodbye: its TCP connection just drops).
    let mut victim = remotes.remove(7);
    victim.child.kill().unwrap();
    let _ = victim.child.wait();
    // Every other session still answers its keys.
    for r in &mut remotes {
        r.send_bytes(b"j");
    }
    for r in &remotes {
        r.wait_text("观察者网 · 李丽");
    }
    server.wait_log("client gone", Duration::from_secs(10));
    for r in &mut remotes {
        r.send_bytes(b"q");
    }
    for r in &mut remotes {
        assert_eq!(r.wait_exit().exit_code(), 0);
        assert_restored(r);
    }
}

#[test]
fn sigterm_closes_every_session_with_its_terminal_restored() {
    if !have_ssh() {
        return;
    }
    let mut server = Server::start(&[]);
    let mut remotes: Vec<Remote> = (0..3).map(|_| open(&server, 80, 24)).collect();
    for r in &remotes {
        r.wait_text("Articles 2");
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
        r.wait_exit().exit_code();
        assert_restored(r);
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
    let mut remote = open(&server, 80, 24);
    remote.wait_text("Articles 2");
    assert_eq!(remote.wait_exit().exit_code(), 0);
    assert_restored(&remote);
    assert!(
        remote.screen().contains("without input"),
        "{}",
        remote.screen()
    );
    server.wait_log("idle timeout", Duration::from_secs(5));
}
