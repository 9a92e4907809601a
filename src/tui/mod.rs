//! The full-screen reader: app state driven by actions, panes that only draw state, and one
//! keymap table for dispatch, help and hints.
//!
//! Where things are:
//! - [`action`]: every user request, documented; [`keymap`]: keys → actions per layer, from
//!   `assets/keymap.toml`; [`app`]: the state and `update`; [`ui`] and [`panes`]: drawing, one
//!   file per pane; [`layout`]: pane rectangles per size; [`theme`]: all styles, from
//!   `assets/theme.toml`; [`search`]: Traditional/Simplified-blind matching; [`terminal`]:
//!   setup and guaranteed restore; [`compare_view`]: the side-by-side comparison's state
//!   (drawn by `panes::compare` and `panes::ledger`).
//! - This file is the event loop: one channel carries terminal input, load progress and
//!   signals; the loop blocks on it (no polling: 0% CPU while idle), applies everything queued,
//!   then draws once if anything changed. ratatui sends only the cells that differ, and
//!   [`backend::LeanBackend`] encodes them in few bytes.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::crossterm::event::Event;
use ratatui::layout::Rect;

use crate::cli::{ColorChoice, TuiArgs, exit};
use crate::library::{Library, LoadEvent, Problem};

pub mod action;
pub mod app;
pub mod backend;
pub mod compare_view;
pub mod grouping;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod loader;
pub mod panes;
pub mod search;
pub mod terminal;
pub mod theme;
pub mod ui;

use action::Effect;
use app::{App, Clock, Config};

/// How long the selection must rest before the body follows it.
pub const PREVIEW_REST: Duration = Duration::from_millis(120);

/// Bodies from this size on are read and parsed off the UI thread: all of them, since even a
/// small file can block in `open` (replaced by a FIFO, on a hung disk; issue #15).
pub const WORKER_MIN_BYTES: usize = 0;

/// What the event loop waits for.
#[derive(Debug)]
pub enum Msg {
    /// Reading terminal input failed (the terminal is gone).
    InputGone,
    /// Background loading progress.
    Load(LoadEvent),
    /// Background loading progress, each batch prepared for the list off the loop.
    Arrival(Box<app::Arrival>),
    /// A large article's body, read and laid out by the worker.
    Body(Box<app::BodyReady>),
    /// A comparison computed in the background.
    Compare(Box<app::CompareReady>),
    /// A large comparison laid out in the background.
    CompareLayout(Box<compare_view::LaidOut>),
    /// Story grouping progress, stories, or a story's timeline (issue #11).
    Stories(Box<grouping::StoriesReady>),
    /// The read state, loaded off the loop (issue #12), and what went wrong opening it.
    State(Box<(crate::state::State, Option<Problem>)>),
    /// The local terminal's size changed (SIGWINCH: see [`terminal::forward_resizes`]).
    Winch,
    /// A signal that ends the reader.
    Signal(i32),
    /// Input bytes from the terminal, the local one or a remote session's (decoded by
    /// [`input::Decoder`]).
    Input(Vec<u8>),
    /// A remote terminal's new size (columns, rows).
    Resize(u16, u16),
    /// Frames were dropped on the way to the terminal: draw the next one whole.
    Repaint,
    /// A worker thread of a remote session panicked: the session ends (a panic on its
    /// thread, which `reader serve` catches), the others go on.
    WorkerPanicked,
    /// The full-text index's progress or an answer to `/` (issue #12).
    Search(Box<crate::search::worker::Event>),
}

/// Sends what `from` reads to the loop as [`Msg::Input`], until it ends ([`Msg::InputGone`])
/// or the loop is gone.
fn forward_input(mut from: impl io::Read, to: &mpsc::Sender<Msg>) {
    let mut buf = [0u8; 4096];
    loop {
        let msg = match from.read(&mut buf) {
            Ok(0) => Msg::InputGone,
            Ok(n) => Msg::Input(buf[..n].to_vec()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => Msg::InputGone,
        };
        let gone = matches!(msg, Msg::InputGone);
        if to.send(msg).is_err() || gone {
            break;
        }
    }
}

/// True for `TERM` values of the VT100 family, which lack colour and some ECMA-48 sequences.
pub fn is_vt100(term: &str) -> bool {
    matches!(term, "vt100" | "vt102" | "vt100-am" | "vt102-nsgr" | "vt52")
}

/// Where a session's frames go and what it is like: the local terminal's or a remote one's
/// (`reader serve`), whose size and `TERM` come with its pty request.
#[derive(Clone, Debug)]
pub struct SessionSpec {
    /// The terminal's size; for a remote terminal also the size the backend reports until a
    /// [`Msg::Resize`] changes it.
    pub size: (u16, u16),
    /// True for a terminal that is not this process's own: its size is never asked of the
    /// local terminal.
    pub remote: bool,
    /// The terminal's `TERM`.
    pub term: String,
    /// Colour resolved for this terminal (`--color`, `NO_COLOR`, a VT100's lack of it).
    pub color: bool,
    /// ASCII borders.
    pub ascii: bool,
    /// Mouse reporting is on.
    pub mouse: bool,
    /// The config file's settings (display, saved filters, keys and theme overrides) and its
    /// problems, listed with the others (`!`).
    pub settings: crate::config::Loaded,
    /// Whose read state this session reads and writes ([`crate::state::LOCAL_USER`] for the
    /// local reader; a key fingerprint over `reader serve`).
    pub user: String,
    /// The session ends after this long without input (`None`: never).
    pub idle: Option<Duration>,
    /// Bytes of [`Msg::Input`] sent and not yet taken: the loop counts them down as it takes
    /// them, so the sender can bound what it queues.
    pub input_queued: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
    /// The terminal takes 24-bit colours (its `COLORTERM` is `truecolor` or `24bit`).
    pub truecolor: bool,
    /// The library paths whose full-text index answers `/` (empty: the bundled seeds, indexed
    /// in memory); `None`: `/` matches titles, outlets and authors only.
    pub search: Option<Vec<PathBuf>>,
    /// An index shared with other sessions that answers `/` (`reader serve`); before `search`.
    pub search_hub: Option<crate::search::worker::SearchHub>,
}

/// True for a `COLORTERM` that announces 24-bit colour.
pub fn is_truecolor(colorterm: &str) -> bool {
    matches!(colorterm, "truecolor" | "24bit")
}

/// A library loaded before the session starts (see [`run_session`]).
pub struct Preloaded {
    /// Its catalog, shared as it is (see [`app::Catalog`]).
    pub catalog: Arc<app::Catalog>,
    /// Its problems, as `!` lists them.
    pub problems: Vec<Problem>,
    /// Its stories are grouped elsewhere, once for every session (`reader serve`), and arrive
    /// as [`Msg::Stories`]; else the session groups them itself.
    pub shared_stories: bool,
}

/// Why a session's loop ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The user quit.
    Quit,
    /// The input is gone (the terminal closed, the client went away).
    InputGone,
    /// A signal, or the server's shutdown (carried as SIGTERM).
    Signal(i32),
    /// No input for the spec's idle time.
    Idle,
}

/// Opens the reader on `paths` (the bundled seeds when empty) and runs until the user quits.
pub fn run(paths: &[PathBuf], args: &TuiArgs) -> io::Result<ExitCode> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        eprintln!(
            "reader: the full-screen reader needs a terminal on stdin and stdout.\n\
             reader: for pipes and scripts use `reader list [PATH]...` or `reader show ARTICLE`."
        );
        return Ok(ExitCode::from(exit::USAGE));
    }
    let settings = crate::config::load();
    let (tx, rx) = mpsc::channel::<Msg>();
    // Loading starts before the terminal is set up, so both happen at once.
    let paths = crate::library::chosen_paths(paths, &settings.settings);
    let bundled = if paths.is_empty() {
        let (catalog, problems) =
            app::Catalog::of_library(Library::bundled(), jiff::tz::TimeZone::system());
        Some(Preloaded {
            catalog,
            problems,
            shared_stories: false,
        })
    } else {
        let loads = Library::spawn_load_cached(paths.clone(), crate::cache::file_for(&paths));
        let forward = tx.clone();
        // Batches are prepared for the list here (keys, dates, identities: every core), so
        // the event loop only files them.
        std::thread::Builder::new()
            .name("load-forward".into())
            .spawn(move || {
                app::prepare_loads(loads, jiff::tz::TimeZone::system(), |arrival| {
                    forward.send(Msg::Arrival(Box::new(arrival))).is_ok()
                });
            })?;
        None
    };
    terminal::forward_signals(tx.clone(), Msg::Signal)?;
    terminal::forward_resizes(tx.clone(), || Msg::Winch)?;
    let guard = terminal::Guard::enter(args.mouse)?;
    // The terminal's bytes go to the loop as they come and are decoded there, as a remote
    // session's are. Not crossterm's `event::read`: its Unix source polls edge-triggered and,
    // when a SIGWINCH and a key are ready at once, returns the resize and forgets the key's
    // readiness, so a key typed just after a resize could wait for the next one.
    let input = tx.clone();
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || forward_input(io::stdin(), &input))?;

    let term_name = std::env::var("TERM").unwrap_or_default();
    let vt100 = is_vt100(&term_name);
    let (width, height) = ratatui::crossterm::terminal::size()?;
    let spec = SessionSpec {
        size: (width, height),
        remote: false,
        // A VT100 has no colour: `auto` means attributes only there.
        color: args.color.enabled(true) && !(vt100 && args.color == ColorChoice::Auto),
        term: term_name,
        ascii: args.ascii,
        mouse: args.mouse,
        settings,
        user: crate::state::LOCAL_USER.to_string(),
        idle: None,
        input_queued: None,
        truecolor: is_truecolor(&std::env::var("COLORTERM").unwrap_or_default()),
        search: Some(paths.clone()),
        search_hub: None,
    };
    // One write per frame (over SSH many small writes cost more than the bytes).
    let out = BufWriter::with_capacity(1 << 16, io::stdout());
    let ending = run_session(out, &spec, tx, rx, bundled, move |_| drop(guard))?;
    Ok(match ending {
        Ending::Signal(signal) => ExitCode::from(128 + signal as u8),
        _ => ExitCode::SUCCESS,
    })
}

/// Runs one reader session until it ends: draws to `out` (one write per frame, encoded by the
/// byte-frugal backend) and takes everything from `rx` (input, resizes, load progress, workers'
/// results, signals); `tx` is the sender of the same channel, handed to the workers. `library`
/// is there from the start; later articles may arrive as [`Msg::Arrival`] (or [`Msg::Load`]).
///
/// The terminal must already be in the reader's mode (alternate screen, raw, cursor hidden).
/// `leave` is called with the writer as soon as the loop ends, to restore the terminal before
/// the read state is written out (at most 2 s more).
pub fn run_session<W: Write>(
    out: W,
    spec: &SessionSpec,
    tx: mpsc::Sender<Msg>,
    rx: mpsc::Receiver<Msg>,
    library: Option<Preloaded>,
    leave: impl FnOnce(&mut W),
) -> io::Result<Ending> {
    let settings = &spec.settings;
    let state = tx.clone();
    let user = spec.user.clone();
    std::thread::Builder::new()
        .name("state-open".into())
        .spawn(move || {
            let opened = crate::state::State::open_default(&user);
            let _ = state.send(Msg::State(Box::new(opened)));
        })?;
    let vt100 = is_vt100(&spec.term);
    let mut backend = backend::LeanBackend::new(out)
        .vt100_only(vt100)
        .truecolor(spec.truecolor);
    if spec.remote {
        backend = backend.with_size(ratatui::layout::Size::new(spec.size.0, spec.size.1));
    }
    let mut term = Terminal::new(backend)?;
    let size = term.size()?;
    let config = Config {
        color: spec.color,
        ascii: spec.ascii,
        mouse: spec.mouse,
        defer_preview: true,
        clock: Clock::system(),
    };
    let bodies = tx.clone();
    let panics = tx.clone();
    let comparisons = tx.clone();
    let layouts = tx.clone();
    let searches = tx.clone();
    let stories = tx;
    let mut app = App::new(config, Rect::new(0, 0, size.width, size.height))
        .with_display(settings.settings.display.clone())
        .with_filters(settings.settings.filters.clone())
        .with_worker(WORKER_MIN_BYTES, move |ready| {
            // Fails only when the loop has ended.
            let _ = bodies.send(Msg::Body(Box::new(ready)));
        })?
        .with_compare_worker(move |ready| {
            let _ = comparisons.send(Msg::Compare(Box::new(ready)));
        })
        .with_compare_layout_worker(compare_view::LAYOUT_MIN_BYTES, move |laid| {
            let _ = layouts.send(Msg::CompareLayout(Box::new(laid)));
        });
    if spec.remote {
        app = app.with_panic_handler(move || {
            let _ = panics.send(Msg::WorkerPanicked);
        });
    }
    let notify_stories = move |ready| {
        let _ = stories.send(Msg::Stories(Box::new(ready)));
    };
    app = match &library {
        Some(l) if l.shared_stories => app.with_shared_stories(notify_stories),
        _ => app.with_stories_worker(notify_stories)?,
    };
    if let Some(library) = library {
        app = app.with_catalog(library.catalog, library.problems);
    }
    if let Some(hub) = &spec.search_hub {
        app = app.with_search_hub(hub, move |event| {
            let _ = searches.send(Msg::Search(Box::new(event)));
        });
    } else if let Some(paths) = &spec.search {
        use crate::search::worker::Corpus;
        let corpus = if paths.is_empty() {
            // The seeds the session already holds, not a second parse of them.
            Corpus::Articles(app.articles().to_vec())
        } else {
            Corpus::Library {
                paths: paths.clone(),
                index_dir: crate::search::index::dir_for(paths),
            }
        };
        let notify = move |event| {
            let _ = searches.send(Msg::Search(Box::new(event)));
        };
        app = match corpus {
            // A folder loading meanwhile: its index is brought up to date after the list.
            Corpus::Library { .. } => app.with_search_worker_after_load(corpus, notify),
            Corpus::Articles(_) => app.with_search_worker(corpus, notify),
        };
    }
    let (keymap, bad_keys) = keymap::Keymap::with_overrides(&settings.settings.keys);
    let (theme, bad_styles) =
        theme::Theme::with_overrides(&settings.settings.theme, app.theme.color, app.theme.ascii);
    app.keymap = keymap;
    app.theme = theme;
    let mut config_problems = settings.problems.clone();
    for o in bad_keys.iter().chain(&bad_styles) {
        config_problems.push(crate::config::Problem {
            line: settings.line_of(&o.table, &o.key),
            reason: o.reason.clone(),
        });
    }
    if !config_problems.is_empty() {
        // A bad config file is listed with the other problems (`!`).
        let path = settings.path.clone().unwrap_or_default();
        let problems = config_problems
            .iter()
            .map(|p| match p.line {
                Some(l) => Problem::warning(&path, format!("line {l}: {}", p.reason)),
                None => Problem::warning(&path, p.reason.clone()),
            })
            .collect();
        app.add(Vec::new(), problems);
    }
    // No `term.clear()`: it asks the terminal for the cursor position, a round trip over SSH;
    // the guard already cleared the alternate screen.
    term.draw(|f| ui::draw(f, &app))?;

    let mut decoder = input::Decoder::new();
    let mut last_input = std::time::Instant::now();
    let ending = 'events: loop {
        // The nearest deadline: a lone ESC's, the preview's rest, the idle limit.
        let mut wait: Option<Duration> = None;
        let mut sooner = |d: Duration| wait = Some(wait.map_or(d, |w: Duration| w.min(d)));
        if decoder.is_pending() {
            sooner(input::ESC_TIMEOUT);
        }
        if app.preview_pending() {
            sooner(PREVIEW_REST);
        }
        if let Some(idle) = spec.idle {
            sooner(idle.saturating_sub(last_input.elapsed()));
        }
        let first = match wait {
            Some(wait) => match rx.recv_timeout(wait) {
                Ok(msg) => Some(msg),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break Ending::InputGone,
            },
            None => match rx.recv() {
                Ok(msg) => Some(msg),
                Err(_) => break Ending::InputGone,
            },
        };
        let before = app.generation();
        let mut repaint = false;
        match first {
            None => {
                if spec.idle.is_some_and(|idle| last_input.elapsed() >= idle) {
                    break Ending::Idle;
                }
                if decoder.is_pending() {
                    for event in decoder.flush() {
                        if let Some(ending) = apply(&mut app, &mut term, &event)? {
                            break 'events ending;
                        }
                    }
                } else {
                    app.settle();
                }
            }
            Some(msg) => {
                // Apply everything already queued, then draw once.
                let mut next = Some(msg);
                while let Some(msg) = next {
                    match msg {
                        Msg::Input(bytes) => {
                            last_input = std::time::Instant::now();
                            if let Some(queued) = &spec.input_queued {
                                queued.fetch_sub(bytes.len(), std::sync::atomic::Ordering::SeqCst);
                            }
                            for event in decoder.feed(&bytes) {
                                if let Some(ending) = apply(&mut app, &mut term, &event)? {
                                    break 'events ending;
                                }
                            }
                        }
                        Msg::Resize(width, height) => {
                            term.backend_mut()
                                .set_size(ratatui::layout::Size::new(width, height));
                            app.resize(Rect::new(0, 0, width, height));
                        }
                        Msg::Repaint => repaint = true,
                        Msg::Load(event) => app.on_load(event),
                        Msg::Arrival(arrival) => app.on_arrival(*arrival),
                        Msg::Body(ready) => app.on_body(*ready),
                        Msg::Compare(ready) => app.on_compare(*ready),
                        Msg::CompareLayout(laid) => app.on_compare_layout(*laid),
                        Msg::Stories(ready) => app.on_stories(*ready),
                        Msg::Search(event) => app.on_search(*event),
                        Msg::State(opened) => {
                            let (state, problem) = *opened;
                            app.on_state(state, problem);
                        }
                        Msg::Winch => {
                            let size = term.size()?;
                            app.resize(Rect::new(0, 0, size.width, size.height));
                        }
                        Msg::InputGone => break 'events Ending::InputGone,
                        Msg::WorkerPanicked => panic!("a worker thread of this session panicked"),
                        Msg::Signal(signal) => break 'events Ending::Signal(signal),
                    }
                    next = rx.try_recv().ok();
                }
            }
        }
        if repaint {
            // Frames were dropped on the way to a slow client: the screen it shows is unknown,
            // so the next frame is drawn whole.
            term.backend_mut().forget();
            term.clear()?;
        }
        if app.generation() != before || repaint {
            let size = term.size()?;
            if Rect::new(0, 0, size.width, size.height) != app.size {
                app.resize(Rect::new(0, 0, size.width, size.height));
            }
            app.config.clock.now = jiff::Timestamp::now();
            term.draw(|f| ui::draw(f, &app))?;
        }
    };
    term.backend_mut().flush()?;
    leave(term.backend_mut().writer_mut());
    drop(term);
    // Changes made before the state file was open are written once it is; then the reading
    // position and the last changes reach the file. A wedged disk delays the exit a little,
    // never forever.
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while app.state().is_loading() {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(Msg::State(opened)) => {
                let (state, problem) = *opened;
                app.on_state(state, problem);
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    app.finish(deadline.saturating_duration_since(std::time::Instant::now()));
    // The app (a library, bodies, a comparison: on a huge archive or report, freeing them takes
    // seconds) is freed on a thread of its own, so the process ends without waiting for it
    // (Ctrl-C during a slow comparison, issue #15).
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(app));
    Ok(ending)
}

/// Applies one input event; `Some` when it ends the session.
fn apply<W: Write>(
    app: &mut App,
    term: &mut Terminal<backend::LeanBackend<W>>,
    event: &Event,
) -> io::Result<Option<Ending>> {
    for effect in app.handle(event) {
        match effect {
            Effect::Quit => return Ok(Some(Ending::Quit)),
            Effect::Copy(text) => terminal::copy_to_clipboard(term.backend_mut(), &text)?,
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that yields its chunks one read at a time, with an interruption between.
    struct Chunks(Vec<io::Result<Vec<u8>>>);

    impl io::Read for Chunks {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            let chunk = self.0.remove(0)?;
            buf[..chunk.len()].copy_from_slice(&chunk);
            Ok(chunk.len())
        }
    }

    #[test]
    fn input_bytes_go_to_the_loop_as_read_then_the_end() {
        let (tx, rx) = mpsc::channel();
        let interrupted = io::Error::from(io::ErrorKind::Interrupted);
        let chunks = Chunks(vec![
            Ok(b"q".to_vec()),
            Err(interrupted),
            Ok(b"\x1b[A".to_vec()),
        ]);
        forward_input(chunks, &tx);
        let got: Vec<String> = rx.try_iter().map(|m| format!("{m:?}")).collect();
        assert_eq!(got, ["Input([113])", "Input([27, 91, 65])", "InputGone"]);
    }
}
