//! `reader serve` under load, with the real OpenSSH client on loopback (issue #13):
//!
//! 1. memory per idle session: the server's RSS with N idle sessions minus its RSS with none,
//!    over N, on 10,000 generated reports (target: at most 5 MiB);
//! 2. key to frame: 20 sessions typing at once (`j`/`k`, 40 keys each, 30 ms apart), the time
//!    from a key written into `ssh -tt`'s terminal to the first byte of the frame it causes,
//!    p50 and p99 over all keys (target: p99 at most 10 ms);
//! 3. 64 sessions at once: every one draws the list (none refused or failed).
//!
//! Run: `cargo bench --bench serve` (SERVE_BENCH_REPORTS, SERVE_BENCH_IDLE to change 10,000 and
//! 20). Skips when /usr/bin/ssh is missing. Figures are printed, not asserted.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};
use reader_corpus as corpus;

const BIN: &str = env!("CARGO_BIN_EXE_reader");

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Server {
    child: Child,
    port: u16,
    key: PathBuf,
    home: PathBuf,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(dir: &Path, archive: &Path) -> Server {
        let key = dir.join("id");
        let _ = std::fs::remove_file(&key);
        let _ = std::fs::remove_file(dir.join("id.pub"));
        Command::new("/usr/bin/ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(&key)
            .status()
            .unwrap();
        std::fs::copy(dir.join("id.pub"), dir.join("authorized_keys")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let home = dir.join("home");
        let mut cmd = Command::new(BIN);
        cmd.arg("serve")
            .arg(archive)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .arg("--authorized-keys")
            .arg(dir.join("authorized_keys"))
            .args(["--max-connections-per-minute", "1000"])
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_DATA_HOME", home.join("data"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
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
            key,
            home,
            log,
        };
        let start = Instant::now();
        while !server.log.lock().unwrap().contains("listening on") {
            assert!(
                start.elapsed() < Duration::from_secs(300),
                "server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// Waits until the log holds `needle`; false after `limit`.
    fn wait_log(&self, needle: &str, limit: Duration) -> bool {
        let start = Instant::now();
        while !self.log.lock().unwrap().contains(needle) {
            if start.elapsed() > limit {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        true
    }

    fn rss_kib(&self) -> usize {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Remote {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Bytes received so far, and the time of the last chunk.
    received: Arc<AtomicUsize>,
    arrivals: Arc<Mutex<Vec<(Instant, usize)>>>,
    text: Arc<Mutex<String>>,
}

impl Remote {
    fn open(server: &Server) -> Remote {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new("/usr/bin/ssh");
        let port = server.port.to_string();
        let key = server.key.display().to_string();
        for a in [
            "-tt",
            "-p",
            &port,
            "-i",
            &key,
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "127.0.0.1",
        ] {
            cmd.arg(a);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", &server.home);
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let received = Arc::new(AtomicUsize::new(0));
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let text = Arc::new(Mutex::new(String::new()));
        let (r, a, t) = (received.clone(), arrivals.clone(), text.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let total = r.fetch_add(n, Ordering::SeqCst) + n;
                a.lock().unwrap().push((Instant::now(), total));
                let mut t = t.lock().unwrap();
                if t.len() < 1 << 20 {
                    t.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
        Remote {
            _master: pair.master,
            writer,
            child,
            received,
            arrivals,
            text,
        }
    }

    fn drawn(&self) -> bool {
        self.text.lock().unwrap().contains("Articles")
    }

    fn wait_drawn(&self, limit: Duration) -> bool {
        let start = Instant::now();
        while !self.drawn() {
            if start.elapsed() > limit {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }

    /// Writes `key` and returns the time until the first output byte after it.
    fn key_to_frame(&mut self, key: &[u8]) -> Option<Duration> {
        let before = self.received.load(Ordering::SeqCst);
        let sent = Instant::now();
        self.writer.write_all(key).ok()?;
        self.writer.flush().ok()?;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(2) {
            if let Some(&(at, _)) = self
                .arrivals
                .lock()
                .unwrap()
                .iter()
                .find(|(_, total)| *total > before)
            {
                return Some(at.saturating_duration_since(sent));
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        None
    }
}

impl Drop for Remote {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    if !Path::new("/usr/bin/ssh").exists() {
        eprintln!("serve bench: skipped: /usr/bin/ssh missing");
        return;
    }
    let reports = env_usize("SERVE_BENCH_REPORTS", 10_000);
    let idle = env_usize("SERVE_BENCH_IDLE", 20);
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    corpus::generate(&archive, reports, 1).unwrap();
    let started = Instant::now();
    let server = Server::start(dir.path(), &archive);
    // The baseline once the library is loaded and its stories grouped (both once, shared).
    let ready = server.wait_log("stories grouped", Duration::from_secs(600));
    println!(
        "serve/start: {reports} reports loaded and grouped in {:.1} s{}",
        started.elapsed().as_secs_f64(),
        if ready {
            ""
        } else {
            " (grouping not done: the baseline is early)"
        }
    );
    std::thread::sleep(Duration::from_secs(1));
    let rss0 = server.rss_kib();

    // 1. Idle sessions.
    let mut remotes: Vec<Remote> = (0..idle).map(|_| Remote::open(&server)).collect();
    let drawn = remotes
        .iter()
        .filter(|r| r.wait_drawn(Duration::from_secs(120)))
        .count();
    std::thread::sleep(Duration::from_secs(3));
    let rss_n = server.rss_kib();
    let per = (rss_n.saturating_sub(rss0)) as f64 / idle.max(1) as f64 / 1024.0;
    println!(
        "serve/idle: {reports} reports; RSS {:.1} MiB with no session, {:.1} MiB with {idle} \
         idle ({drawn} drawn): {per:.2} MiB per session",
        rss0 as f64 / 1024.0,
        rss_n as f64 / 1024.0
    );

    // 2. Key to frame, 20 sessions typing at once.
    let active: Vec<Remote> = remotes.drain(..idle.min(20)).collect();
    let samples = Arc::new(Mutex::new(Vec::new()));
    let lost = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = active
        .into_iter()
        .map(|mut r| {
            let (samples, lost) = (samples.clone(), lost.clone());
            std::thread::spawn(move || {
                for i in 0..40 {
                    let key: &[u8] = if i % 2 == 0 { b"j" } else { b"k" };
                    match r.key_to_frame(key) {
                        Some(d) => samples.lock().unwrap().push(d),
                        None => {
                            lost.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    std::thread::sleep(Duration::from_millis(30));
                }
                r
            })
        })
        .collect();
    let active: Vec<Remote> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let mut all = samples.lock().unwrap().clone();
    all.sort();
    println!(
        "serve/key-to-frame: 20 sessions, {} keys: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, \
         {} without a frame",
        all.len(),
        percentile(&all, 0.5).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
        all.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        lost.load(Ordering::SeqCst)
    );
    drop(active);
    drop(remotes);
    std::thread::sleep(Duration::from_secs(2));

    // 3. 64 sessions at once.
    let many: Vec<Remote> = (0..64).map(|_| Remote::open(&server)).collect();
    let ok = many
        .iter()
        .filter(|r| r.wait_drawn(Duration::from_secs(180)))
        .count();
    let busy = server.log.lock().unwrap().matches("refused").count();
    println!(
        "serve/64: {ok} of 64 sessions drew the list; {busy} refusals in the log; RSS {:.1} MiB",
        server.rss_kib() as f64 / 1024.0
    );
}
