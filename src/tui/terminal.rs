//! Terminal setup and the promise to undo it: raw mode off, alternate screen left, cursor shown
//! and mouse reporting off — on quit, on panic (before the message is printed) and on SIGTERM,
//! SIGHUP, SIGINT and SIGQUIT (a dropped SSH link sends SIGHUP).
//!
//! Restoring is idempotent (an atomic flag), so the guard's `Drop`, the panic hook and the exit
//! path can all call it without writing the sequences twice.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Once, OnceLock};

use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// True while the terminal is in the reader's mode and must be restored.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// True when mouse reporting was turned on.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// What [`Guard::enter`] sends, for a terminal that is not this process's own (a remote
/// session: the client's side sets raw mode itself): alternate screen, cleared, cursor hidden.
pub const ENTER: &str = "\x1b[?1049h\x1b[2J\x1b[?25l";

/// What [`restore`] sends, for a remote terminal: mouse reporting off, normal screen, cursor
/// shown, attributes reset.
pub const LEAVE: &str = "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[0m\x1b[?1049l\x1b[?25h";

/// Puts the terminal into the reader's mode; restores it when dropped.
pub struct Guard(());

impl Guard {
    /// Raw mode, alternate screen, hidden cursor, and mouse reporting when asked. Installs the
    /// panic hook first, so a panic at any later point restores the terminal.
    pub fn enter(mouse: bool) -> io::Result<Guard> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        MOUSE.store(mouse, Ordering::SeqCst);
        let mut out = io::stdout();
        execute!(out, EnterAlternateScreen, Clear(ClearType::All), Hide)?;
        if mouse {
            execute!(out, EnableMouseCapture)?;
        }
        Ok(Guard(()))
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Undoes [`Guard::enter`] if it is still in effect. Errors are ignored: after SIGHUP the
/// terminal may be gone, and there is nothing better to do than to try.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

/// Chains a hook that restores the terminal before the previous hook prints the panic message,
/// so the message lands on the normal screen and stays readable.
pub fn install_panic_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// The signals that end the reader, and the exit status for each (128 + number).
pub const SIGNALS: [i32; 4] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
];

/// Forwards the ending signals to the event loop as `wrap(signal)`, from a background thread.
pub fn forward_signals<M: Send + 'static>(sender: Sender<M>, wrap: fn(i32) -> M) -> io::Result<()> {
    static STARTED: OnceLock<()> = OnceLock::new();
    if STARTED.set(()).is_err() {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new(SIGNALS)?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if sender.send(wrap(signal)).is_err() {
                    // The loop is gone: restore and leave as the signal would have.
                    restore();
                    std::process::exit(128 + signal);
                }
            }
        })?;
    Ok(())
}

/// Forwards SIGWINCH to the event loop as `wrap()`, from a background thread: the local
/// reader's only news of a resize, since its input is read as bytes (see [`super::run`]), so a
/// resize is redrawn whatever the input is doing, even after a malformed sequence (issue #15).
pub fn forward_resizes<M: Send + 'static>(sender: Sender<M>, wrap: fn() -> M) -> io::Result<()> {
    static STARTED: OnceLock<()> = OnceLock::new();
    if STARTED.set(()).is_err() {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGWINCH])?;
    std::thread::Builder::new()
        .name("resizes".into())
        .spawn(move || {
            for _ in signals.forever() {
                if sender.send(wrap()).is_err() {
                    break;
                }
            }
        })?;
    Ok(())
}

/// Puts `text` on the system clipboard through the terminal (OSC 52), which works over SSH and
/// in tmux with `set-clipboard on`. The text is base64-encoded, so it cannot drive the terminal.
pub fn copy_to_clipboard(out: &mut impl Write, text: &str) -> io::Result<()> {
    use ratatui::crossterm::clipboard::CopyToClipboard;
    execute!(out, CopyToClipboard::to_clipboard_from(text))
}
