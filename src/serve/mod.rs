//! `reader serve`: the reader over SSH to the keys of an authorized_keys file, with no shell
//! account and nothing else reachable (the way Go apps are served with charmbracelet's wish).
//!
//! - One library, loaded once at start and shared read-only; each session is its own reader
//!   ([`crate::tui::run_session`] on a thread of its own) with its own selection, filters, size
//!   and colours from the client's `TERM` and pty request, never from the server's terminal.
//! - Public-key authentication only, decided in `auth_publickey`, which russh calls after it has
//!   verified the signature (`auth_publickey_offered` only spares the client a signature for a
//!   key that would be refused); russh pads every rejection to one fixed time.
//! - An exec request (`ssh host list --json`) runs one of the plain commands on the served
//!   library, parsed by clap from the words of the command ([`command::split`]): never a shell.
//! - Isolation: a session's panic is caught on its thread and ends that session alone; the
//!   client's terminal is restored (alternate screen left, cursor shown) whatever ends it.
//! - Output to a slow client is bounded ([`outbox`]): frames it cannot take are dropped and the
//!   next one is drawn whole.
//! - One log line on stderr per connection, authentication and disconnect (address, key
//!   fingerprint, reason), never any article content.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use russh::server::{Auth, ChannelOpenHandle, Msg as SshMsg, Session};
use russh::{Channel, ChannelId, ChannelWriteHalf, MethodKind, MethodSet};

use crate::cli::{ServeArgs, exit};
use crate::library::Library;
use crate::tui::grouping::{Grouping, Snapshot, StoriesReady};
use crate::tui::{self, Ending, Msg as TuiMsg, SessionSpec};

pub mod command;
pub mod keys;
pub mod outbox;

use keys::AuthorizedKeys;

/// How long a connection may take to log in.
pub const LOGIN_GRACE: Duration = Duration::from_secs(30);

/// How long the server waits, after SIGTERM, for its sessions to close.
pub const SHUTDOWN_GRACE: Duration = Duration::from_millis(1500);

/// Input bytes a session may have queued before more are dropped (a client that types faster
/// than the reader can draw is hostile or stuck).
const MAX_QUEUED_INPUT: usize = 64 * 1024;

/// Everything the connections share.
struct Shared {
    /// The served library, for the plain commands.
    library: Library,
    /// Its paths as given (the search index is the one `reader search` keeps for them).
    paths: Vec<PathBuf>,
    /// The same library as the reader lists it, built once: every session shares it.
    catalog: Arc<tui::app::Catalog>,
    /// The served archive's full-text index, shared by every session's `/`.
    search: crate::search::worker::SearchHub,
    /// The library's problems, as each session's `!` lists them.
    problems: Vec<crate::library::Problem>,
    keys: AuthorizedKeys,
    limits: Limits,
    settings: crate::config::Loaded,
    /// Sessions (pty or exec) running now.
    sessions: AtomicUsize,
    next_session: AtomicU64,
    /// The running readers, to be told of a shutdown and sent the stories.
    live: Mutex<HashMap<u64, mpsc::Sender<TuiMsg>>>,
    /// The stories of the library, grouped once for every session (see [`group_stories`]).
    /// Locked before `live` whenever both are.
    stories: Mutex<StoriesNow>,
    stopping: AtomicBool,
    runtime: tokio::runtime::Handle,
}

/// How far the server's one story grouping has come.
#[derive(Default)]
struct StoriesNow {
    /// Articles whose signals are read.
    progress: usize,
    /// The latest stories.
    latest: Option<Arc<Snapshot>>,
}

/// The configurable limits.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most sessions at once.
    pub sessions: usize,
    /// Most new connections per source address per minute.
    pub per_minute: usize,
    /// Most authentication attempts per connection.
    pub auth_attempts: usize,
    /// Idle time after which a session is closed.
    pub idle: Duration,
}

impl Limits {
    fn from_args(args: &ServeArgs) -> Limits {
        Limits {
            sessions: args.max_sessions.max(1),
            per_minute: args.max_connections_per_minute.max(1),
            auth_attempts: args.max_auth_attempts.max(1),
            idle: Duration::from_secs(args.idle_timeout.max(1)),
        }
    }
}

/// One log line on stderr, with the time. Never article content: only addresses, key
/// fingerprints and reasons.
fn log(line: std::fmt::Arguments) {
    let now = jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ");
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{now} reader serve: {line}");
}

/// Runs `reader serve` until SIGTERM or SIGINT.
pub fn run(args: &ServeArgs) -> io::Result<ExitCode> {
    let (keys, problems) = match AuthorizedKeys::load(&args.authorized_keys) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("reader: {e}");
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    let shown_keys = crate::article::shown_path(&args.authorized_keys);
    for p in &problems {
        eprintln!("reader: {shown_keys}: {p}");
    }
    if keys.is_empty() {
        eprintln!("reader: {shown_keys}: no usable key: nobody could log in");
        return Ok(ExitCode::from(exit::USAGE));
    }
    let host_path = match &args.host_key {
        Some(p) => p.clone(),
        None => match crate::config::data_dir() {
            Some(dir) => dir.join("ssh_host_ed25519_key"),
            None => {
                eprintln!("reader: no data folder (set XDG_DATA_HOME or HOME, or --host-key)");
                return Ok(ExitCode::from(exit::USAGE));
            }
        },
    };
    let (host_key, created) = match keys::host_key(&host_path) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("reader: host key: {e}");
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    let listen: SocketAddr = match args.listen.parse() {
        Ok(a) => a,
        Err(_) => {
            eprintln!(
                "reader: --listen {}: not ADDR:PORT (e.g. 0.0.0.0:2222)",
                crate::sanitize::clean_line(&args.listen)
            );
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    install_panic_hook();
    let library = crate::commands::load_quietly(&args.paths);
    let errors = library.has_errors();
    let settings = crate::config::load();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("serve")
        .build()?;
    let listener = match runtime.block_on(tokio::net::TcpListener::bind(listen)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("reader: --listen {listen}: {e}");
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    let bound = listener.local_addr()?;
    log(format_args!(
        "listening on {bound}; {} articles{}; {} keys from {shown_keys}; host key {} ({}{})",
        library.articles.len(),
        if errors {
            " (some files failed: `reader check`)"
        } else {
            ""
        },
        keys.len(),
        crate::article::shown_path(&host_path),
        keys::fingerprint(host_key.public_key()),
        if created { ", created" } else { "" },
    ));
    let limits = Limits::from_args(args);
    let config = Arc::new(russh::server::Config {
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        auth_rejection_time: Duration::from_secs(1),
        // OpenSSH asks with "none" first to learn the methods: no need to pad that.
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![host_key],
        max_auth_attempts: limits.auth_attempts,
        inactivity_timeout: Some(limits.idle + Duration::from_secs(60)),
        keepalive_interval: Some(Duration::from_secs(60)),
        nodelay: true,
        ..Default::default()
    });
    let (catalog, problems) =
        tui::app::Catalog::of_library(library.clone(), jiff::tz::TimeZone::system());
    // Brought up to date once, beside the sessions (the index `reader search` keeps too).
    let search = crate::search::worker::SearchHub::spawn(if args.paths.is_empty() {
        crate::search::worker::Corpus::Articles(catalog.articles().to_vec())
    } else {
        crate::search::worker::Corpus::Library {
            paths: args.paths.clone(),
            index_dir: crate::search::index::dir_for(&args.paths),
        }
    });
    let shared = Arc::new(Shared {
        library,
        paths: args.paths.clone(),
        catalog,
        search,
        problems,
        keys,
        limits,
        settings,
        sessions: AtomicUsize::new(0),
        next_session: AtomicU64::new(0),
        live: Mutex::new(HashMap::new()),
        stories: Mutex::new(StoriesNow::default()),
        stopping: AtomicBool::new(false),
        runtime: runtime.handle().clone(),
    });
    group_stories(&shared)?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ])?;
    std::thread::Builder::new()
        .name("serve-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                log(format_args!("signal {signal}: closing every session"));
                let _ = stop_tx.send(true);
            }
        })?;
    runtime.block_on(accept_loop(listener, config, shared.clone(), stop_rx));
    // Tell every reader, then wait for them to restore their terminals and close.
    shared.stopping.store(true, Ordering::SeqCst);
    for tx in shared
        .live
        .lock()
        .map(|l| l.values().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        let _ = tx.send(TuiMsg::Signal(signal_hook::consts::SIGTERM));
    }
    let start = Instant::now();
    while shared.sessions.load(Ordering::SeqCst) > 0 && start.elapsed() < SHUTDOWN_GRACE {
        std::thread::sleep(Duration::from_millis(20));
    }
    // The closing messages need the runtime a moment longer to reach the clients.
    std::thread::sleep(Duration::from_millis(100));
    let left = shared.sessions.load(Ordering::SeqCst);
    log(format_args!(
        "stopped{}",
        if left > 0 {
            format!(" ({left} sessions cut off)")
        } else {
            String::new()
        }
    ));
    runtime.shutdown_timeout(Duration::from_millis(300));
    Ok(ExitCode::SUCCESS)
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut recent: HashMap<IpAddr, VecDeque<Instant>> = HashMap::new();
    let connections = Arc::new(AtomicUsize::new(0));
    // Connections before authentication hold no session, but a flood of them must not grow
    // without bound either.
    let max_connections = shared.limits.sessions * 2 + 8;
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    log(format_args!("accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => return,
        };
        let now = Instant::now();
        let times = recent.entry(addr.ip()).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(60))
        {
            times.pop_front();
        }
        if times.len() >= shared.limits.per_minute {
            log(format_args!(
                "refused {addr}: more than {} connections in a minute",
                shared.limits.per_minute
            ));
            drop(stream);
            continue;
        }
        times.push_back(now);
        if recent.len() > 4096 {
            recent.retain(|_, t| {
                t.back()
                    .is_some_and(|b| now.duration_since(*b) < Duration::from_secs(60))
            });
        }
        if connections.load(Ordering::SeqCst) >= max_connections {
            log(format_args!(
                "refused {addr}: {max_connections} connections open"
            ));
            drop(stream);
            continue;
        }
        connections.fetch_add(1, Ordering::SeqCst);
        log(format_args!("connect {addr}"));
        let shared = shared.clone();
        let config = config.clone();
        let connections = connections.clone();
        tokio::spawn(async move {
            let who = Arc::new(Mutex::new(None::<String>));
            let handler = Conn {
                shared,
                addr,
                who: who.clone(),
                attempts: 0,
                channels: HashMap::new(),
            };
            let reason = match russh::server::run_stream(config, stream, handler).await {
                Ok(running) => {
                    // A connection that has not logged in within the grace time is closed, so
                    // idle unauthenticated connections cannot hold the slots.
                    let handle = running.handle();
                    let watched = who.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(LOGIN_GRACE).await;
                        if watched.lock().map(|w| w.is_none()).unwrap_or(true) {
                            let _ = handle
                                .disconnect(
                                    russh::Disconnect::ByApplication,
                                    "login timeout".into(),
                                    "en".into(),
                                )
                                .await;
                        }
                    });
                    running.await
                }
                Err(e) => Err(e),
            };
            let reason = match reason {
                Ok(()) => "closed".to_string(),
                Err(e) => format!("{e}"),
            };
            connections.fetch_sub(1, Ordering::SeqCst);
            let who = who.lock().ok().and_then(|w| w.clone());
            log(format_args!(
                "disconnect {addr} {}: {}",
                who.as_deref().unwrap_or("(not authenticated)"),
                crate::sanitize::clean_line(&reason)
            ));
        });
    }
}

/// The client's terminal, from its pty request.
#[derive(Clone, Debug)]
pub struct Pty {
    /// Its `TERM`.
    pub term: String,
    /// Columns.
    pub cols: u16,
    /// Rows.
    pub rows: u16,
}

/// One session channel of a connection.
struct Chan {
    write: Arc<ChannelWriteHalf<SshMsg>>,
    pty: Option<Pty>,
    /// Environment the client sent that the reader heeds (`COLORTERM`, `NO_COLOR`).
    no_color: bool,
    /// 24-bit colour: the client sent `COLORTERM=truecolor` (or `24bit`).
    truecolor: bool,
    /// The running reader's inbox, once the shell started.
    session: Option<mpsc::Sender<TuiMsg>>,
    /// Input bytes sent to the reader and not yet taken.
    queued: Arc<AtomicUsize>,
    /// A shell or command already runs on this channel.
    started: bool,
}

/// One connection's handler.
struct Conn {
    shared: Arc<Shared>,
    addr: SocketAddr,
    /// The authenticated key's fingerprint, for the disconnect line.
    who: Arc<Mutex<Option<String>>>,
    attempts: usize,
    channels: HashMap<ChannelId, Chan>,
}

impl Drop for Conn {
    fn drop(&mut self) {
        // The connection is gone: its readers end (and their threads with them).
        for chan in self.channels.values() {
            if let Some(tx) = &chan.session {
                let _ = tx.send(TuiMsg::InputGone);
            }
        }
    }
}

impl Conn {
    fn fingerprint(&self) -> String {
        self.who
            .lock()
            .ok()
            .and_then(|w| w.clone())
            .unwrap_or_else(|| "(not authenticated)".into())
    }

    /// Takes a session slot, or refuses the channel with a message.
    fn take_slot(&self, write: &Arc<ChannelWriteHalf<SshMsg>>) -> bool {
        let max = self.shared.limits.sessions;
        if self.shared.stopping.load(Ordering::SeqCst)
            || self.shared.sessions.fetch_add(1, Ordering::SeqCst) >= max
        {
            if !self.shared.stopping.load(Ordering::SeqCst) {
                self.shared.sessions.fetch_sub(1, Ordering::SeqCst);
            }
            log(format_args!(
                "refused session {} {}: {max} sessions running",
                self.addr,
                self.fingerprint()
            ));
            let write = write.clone();
            self.shared.runtime.spawn(async move {
                let _ = write
                    .extended_data_bytes(
                        1,
                        format!("reader serve: busy ({max} sessions); try again later\r\n")
                            .into_bytes(),
                    )
                    .await;
                finish(&write, 1).await;
            });
            return false;
        }
        true
    }

    fn start_reader(&mut self, id: ChannelId) {
        let Some(chan) = self.channels.get_mut(&id) else {
            return;
        };
        chan.started = true;
        let Some(pty) = chan.pty.clone() else {
            let write = chan.write.clone();
            self.shared.runtime.spawn(async move {
                let _ = write
                    .extended_data_bytes(
                        1,
                        b"reader serve: no terminal: use `ssh -t` for the reader, or give a \
                          command (`ssh HOST list`, `ssh HOST --help`)\n"
                            .to_vec(),
                    )
                    .await;
                finish(&write, u32::from(exit::USAGE)).await;
            });
            return;
        };
        let write = chan.write.clone();
        if !self.take_slot(&write) {
            return;
        }
        let (tx, rx) = mpsc::channel::<TuiMsg>();
        let chan = self
            .channels
            .get_mut(&id)
            .expect("the channel was just seen");
        chan.session = Some(tx.clone());
        let no_color = chan.no_color;
        let truecolor = chan.truecolor;
        let queued = chan.queued.clone();
        let key = self.shared.next_session.fetch_add(1, Ordering::SeqCst);
        {
            // Under the stories' lock: no snapshot is sent between these two steps.
            let stories = self
                .shared
                .stories
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(snap) = &stories.latest {
                let _ = tx.send(TuiMsg::Stories(Box::new(StoriesReady::Grouped(
                    snap.clone(),
                ))));
            } else if stories.progress > 0 {
                let _ = tx.send(TuiMsg::Stories(Box::new(StoriesReady::Progress(
                    stories.progress,
                ))));
            }
            if let Ok(mut live) = self.shared.live.lock() {
                live.insert(key, tx.clone());
            }
        }
        let vt100 = tui::is_vt100(&pty.term);
        // Each key has its own read state, named by its fingerprint.
        let who_for_state = self.fingerprint();
        let spec = SessionSpec {
            size: (pty.cols, pty.rows),
            remote: true,
            color: !no_color && !vt100 && !matches!(pty.term.as_str(), "" | "dumb"),
            term: pty.term.clone(),
            ascii: false,
            mouse: false,
            settings: self.shared.settings.clone(),
            user: who_for_state.clone(),
            idle: Some(self.shared.limits.idle),
            input_queued: Some(queued),
            truecolor,
            // Every session answers `/` from the server's one index.
            search: None,
            search_hub: Some(self.shared.search.clone()),
        };
        let shared = self.shared.clone();
        let who = self.fingerprint();
        let addr = self.addr;
        let out = outbox::Outbox::start(write, tx.clone(), &shared.runtime);
        let spawned = std::thread::Builder::new()
            .name("session".into())
            .spawn(move || {
                let mut out = out;
                out.raw(tui::terminal::ENTER.as_bytes());
                let library = tui::Preloaded {
                    catalog: shared.catalog.clone(),
                    problems: shared.problems.clone(),
                    shared_stories: true,
                };
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    tui::run_session(&mut out, &spec, tx, rx, Some(library), |out| {
                        out.raw(tui::terminal::LEAVE.as_bytes())
                    })
                }));
                if result.is_err() {
                    // A panic skipped `leave`: restore the client's terminal here.
                    out.raw(tui::terminal::LEAVE.as_bytes());
                }
                let (status, reason) = match result {
                    Ok(Ok(Ending::Quit)) => (0, "quit".to_string()),
                    Ok(Ok(Ending::InputGone)) => (0, "client gone".to_string()),
                    Ok(Ok(Ending::Signal(_))) => {
                        out.raw(b"reader serve: the server is shutting down\r\n");
                        (143, "server shutdown".to_string())
                    }
                    Ok(Ok(Ending::Idle)) => {
                        let minutes = spec.idle.unwrap_or_default().as_secs().div_ceil(60);
                        out.raw(
                            format!("reader serve: closed after {minutes} min without input\r\n")
                                .as_bytes(),
                        );
                        (0, "idle timeout".to_string())
                    }
                    Ok(Err(e)) => (1, format!("error: {e}")),
                    Err(_) => {
                        out.raw(b"reader serve: this session failed (the server goes on)\r\n");
                        (70, "panic".to_string())
                    }
                };
                out.finish(status);
                if let Ok(mut live) = shared.live.lock() {
                    live.remove(&key);
                }
                shared.sessions.fetch_sub(1, Ordering::SeqCst);
                log(format_args!(
                    "session end {addr} {who}: {}",
                    crate::sanitize::clean_line(&reason)
                ));
            });
        if spawned.is_err() {
            self.shared.sessions.fetch_sub(1, Ordering::SeqCst);
        }
    }

    fn start_command(&mut self, id: ChannelId, line: String) {
        let Some(chan) = self.channels.get_mut(&id) else {
            return;
        };
        chan.started = true;
        let write = chan.write.clone();
        let pty = chan.pty.clone();
        if !self.take_slot(&write) {
            return;
        }
        let shared = self.shared.clone();
        let runtime = shared.runtime.clone();
        // `search`'s `is:unread` reads this key's read state.
        let user = self.fingerprint();
        let spawned = std::thread::Builder::new()
            .name("command".into())
            .spawn(move || {
                let crlf = pty.is_some();
                let mut out = outbox::Blocking::new(write.clone(), None, crlf, runtime.clone());
                let mut err = outbox::Blocking::new(write.clone(), Some(1), crlf, runtime.clone());
                let status = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let served = Served {
                        library: &shared.library,
                        paths: &shared.paths,
                        user: &user,
                    };
                    run_command(&line, &served, pty.as_ref(), &mut out, &mut err)
                }))
                .unwrap_or_else(|_| {
                    let _ = err.write_all(b"reader: the command failed\n");
                    70
                });
                let _ = out.flush();
                let _ = err.flush();
                runtime.block_on(finish(&write, u32::from(status)));
                shared.sessions.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            self.shared.sessions.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Sends the exit status and closes the channel.
async fn finish(write: &ChannelWriteHalf<SshMsg>, status: u32) {
    let _ = write.exit_status(status).await;
    let _ = write.eof().await;
    let _ = write.close().await;
}

/// Logs a panic by thread and place only: its message may quote a report (a string sliced in
/// the wrong place), and the log never holds article content. The panicking session ends (its
/// thread catches it); the server goes on.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "an unknown place".into());
        log(format_args!(
            "panic in thread {} at {place}",
            thread.name().unwrap_or("unnamed")
        ));
    }));
}

/// Groups the served library's stories once, on a thread of its own, for every session: each
/// hears the progress and the stories (one `Arc`, never a copy) as they come, and a session
/// that starts later gets the latest at once. A panic here (a hostile body) is logged and
/// leaves the stories view saying it is grouping; the server and its sessions go on.
fn group_stories(shared: &Arc<Shared>) -> io::Result<()> {
    let weak = Arc::downgrade(shared);
    let catalog = shared.catalog.clone();
    let tell = move |ready: StoriesReady| {
        let Some(shared) = weak.upgrade() else {
            return;
        };
        let mut now = shared.stories.lock().unwrap_or_else(|e| e.into_inner());
        match &ready {
            StoriesReady::Progress(n) => now.progress = *n,
            StoriesReady::Grouped(snap) => now.latest = Some(snap.clone()),
            StoriesReady::Timeline { .. } => return,
        }
        let live = shared.live.lock().unwrap_or_else(|e| e.into_inner());
        for tx in live.values() {
            let copy = match &ready {
                StoriesReady::Progress(n) => StoriesReady::Progress(*n),
                StoriesReady::Grouped(snap) => StoriesReady::Grouped(snap.clone()),
                StoriesReady::Timeline { .. } => unreachable!("returned above"),
            };
            let _ = tx.send(TuiMsg::Stories(Box::new(copy)));
        }
    };
    std::thread::Builder::new()
        .name("serve-stories".into())
        .spawn(move || {
            let work = std::panic::AssertUnwindSafe(|| {
                crate::stories::signals::warm_up();
                let mut grouping = Grouping::default();
                let load_body = crate::article::Article::load_body;
                let (mut done, mut told) = (0, Instant::now());
                for part in catalog.articles().chunks(256) {
                    grouping.add(part, load_body, || {
                        done += 1;
                        if told.elapsed() >= Duration::from_millis(250) {
                            told = Instant::now();
                            tell(StoriesReady::Progress(done));
                        }
                    });
                }
                tell(StoriesReady::Progress(grouping.len()));
                grouping.settle();
                tell(StoriesReady::Grouped(Arc::new(grouping.snapshot())));
            });
            let start = Instant::now();
            match std::panic::catch_unwind(work) {
                Ok(()) => log(format_args!(
                    "stories grouped: {} articles in {:.1} s",
                    catalog.len(),
                    start.elapsed().as_secs_f64()
                )),
                Err(_) => log(format_args!(
                    "story grouping failed (a panic); serving goes on"
                )),
            }
        })?;
    Ok(())
}

/// Runs one exec request's command line on the served library; returns the exit status.
pub fn run_command(
    line: &str,
    served: &Served,
    pty: Option<&Pty>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    use clap::Parser;
    let words = match command::split(line) {
        Ok(w) => w,
        Err(e) => {
            let _ = writeln!(err, "reader: {e}");
            return exit::USAGE;
        }
    };
    let parsed =
        command::Remote::try_parse_from(std::iter::once("reader".to_string()).chain(words));
    let remote = match parsed {
        Ok(r) => r,
        Err(e) => {
            let text = e.render().to_string();
            let status = e.exit_code().clamp(0, 255) as u8;
            let sink: &mut dyn Write = if e.use_stderr() { err } else { out };
            let _ = sink.write_all(text.as_bytes());
            return if status == 0 { 0 } else { exit::USAGE };
        }
    };
    let terminal = pty.map(|p| crate::commands::Terminal {
        width: Some(p.cols),
        term: Some(p.term.clone()),
    });
    let mut io = crate::commands::Io {
        out,
        err,
        terminal,
        served: Some(served.library),
    };
    use command::RemoteCommand as C;
    let result = match remote.command {
        C::List(args) => crate::commands::list::run(&args, &mut io),
        C::Show(args) => crate::commands::show::run(&args, remote.color, &mut io),
        C::Compare(args) => crate::commands::compare::run(&args, remote.color, &mut io),
        C::Stories(args) => crate::commands::stories::run(&args, &mut io),
        C::Search(args) if !args.paths.is_empty() => {
            let _ = writeln!(
                io.err,
                "reader: search: PATH arguments are not accepted: the served archive is searched"
            );
            return exit::USAGE;
        }
        C::Search(args) => {
            crate::commands::search::search(&args, served.paths, served.user, false, io.out, io.err)
        }
    };
    let code = crate::commands::finish(result, &mut io);
    exit_status(code)
}

/// What an exec command runs on.
pub struct Served<'a> {
    /// The served library.
    pub library: &'a Library,
    /// Its paths as given to `reader serve` (none: the bundled seeds).
    pub paths: &'a [PathBuf],
    /// Whose read state `search`'s `is:` reads (the key's fingerprint).
    pub user: &'a str,
}

/// The number in an [`ExitCode`] (which has no getter).
fn exit_status(code: ExitCode) -> u8 {
    (0..=255u8)
        .find(|&c| ExitCode::from(c) == code)
        .unwrap_or(exit::USAGE)
}

impl russh::server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        key: &russh::keys::PublicKey,
    ) -> Result<Auth, Self::Error> {
        // Only spares the client a signature for a key that would be refused: the decision is
        // in `auth_publickey`, after the signature is verified.
        if self.shared.keys.allows(key) {
            return Ok(Auth::Accept);
        }
        log(format_args!(
            "auth refused {} {}: key not in authorized_keys",
            self.addr,
            keys::fingerprint(key)
        ));
        Ok(Auth::reject())
    }

    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: &russh::keys::PublicKey,
    ) -> Result<Auth, Self::Error> {
        self.attempts += 1;
        let fingerprint = keys::fingerprint(key);
        if self.attempts <= self.shared.limits.auth_attempts && self.shared.keys.allows(key) {
            log(format_args!("auth ok {} {fingerprint}", self.addr));
            if let Ok(mut who) = self.who.lock() {
                *who = Some(fingerprint);
            }
            Ok(Auth::Accept)
        } else {
            log(format_args!(
                "auth refused {} {fingerprint}: {}",
                self.addr,
                if self.attempts > self.shared.limits.auth_attempts {
                    "too many attempts"
                } else {
                    "key not in authorized_keys"
                }
            ));
            Ok(Auth::reject())
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<SshMsg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let id = channel.id();
        // The reading half is dropped: input comes through `data` below, and a half nobody
        // reads would stall the connection once its buffer filled.
        let (_read, write) = channel.split();
        self.channels.insert(
            id,
            Chan {
                write: Arc::new(write),
                pty: None,
                no_color: false,
                truecolor: false,
                session: None,
                queued: Arc::new(AtomicUsize::new(0)),
                started: false,
            },
        );
        reply.accept().await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(chan) if !chan.started => {
                chan.pty = Some(Pty {
                    term: crate::sanitize::clean_line(term).chars().take(64).collect(),
                    cols: clamp_size(col_width, 80),
                    rows: clamp_size(row_height, 24),
                });
                session.channel_success(channel)?;
            }
            _ => session.channel_failure(channel)?,
        }
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match self.channels.get_mut(&channel) {
            Some(chan) if name == "NO_COLOR" && !value.is_empty() => {
                chan.no_color = true;
                session.channel_success(channel)?;
            }
            Some(chan) if name == "COLORTERM" => {
                chan.truecolor = tui::is_truecolor(value);
                session.channel_success(channel)?;
            }
            _ => session.channel_failure(channel)?,
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channels.get(&channel).is_some_and(|c| !c.started) {
            session.channel_success(channel)?;
            self.start_reader(channel);
        } else {
            session.channel_failure(channel)?;
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channels.get(&channel).is_none_or(|c| c.started) {
            session.channel_failure(channel)?;
            return Ok(());
        }
        session.channel_success(channel)?;
        let line = String::from_utf8_lossy(data).into_owned();
        if line.trim().is_empty() {
            self.start_reader(channel);
        } else {
            self.start_command(channel, line);
        }
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // No sftp, nothing else reachable.
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(chan) = self.channels.get(&channel)
            && let Some(tx) = &chan.session
            && chan.queued.load(Ordering::SeqCst) + data.len() <= MAX_QUEUED_INPUT
        {
            // Counted down by the reader as it takes them.
            chan.queued.fetch_add(data.len(), Ordering::SeqCst);
            let _ = tx.send(TuiMsg::Input(data.to_vec()));
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(chan) = self.channels.get_mut(&channel) {
            let cols = clamp_size(col_width, 80);
            let rows = clamp_size(row_height, 24);
            if let Some(pty) = &mut chan.pty {
                pty.cols = cols;
                pty.rows = rows;
            }
            if let Some(tx) = &chan.session {
                let _ = tx.send(TuiMsg::Resize(cols, rows));
            }
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = self.channels.get(&channel).and_then(|c| c.session.as_ref()) {
            let _ = tx.send(TuiMsg::InputGone);
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(chan) = self.channels.remove(&channel)
            && let Some(tx) = chan.session
        {
            let _ = tx.send(TuiMsg::InputGone);
        }
        Ok(())
    }
}

/// A terminal dimension from a request: 0 (unknown) gives `default`; absurd sizes are capped,
/// since every cell costs memory.
fn clamp_size(value: u32, default: u16) -> u16 {
    match value {
        0 => default,
        v => v.min(1000) as u16,
    }
}

/// The default host key path, for the README and `--help`.
pub fn default_host_key() -> Option<PathBuf> {
    crate::config::data_dir().map(|d| d.join("ssh_host_ed25519_key"))
}
