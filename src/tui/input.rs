//! Terminal input bytes to key and mouse events, for the local terminal (its bytes read from
//! stdin) and for a remote session of `reader serve` (its keys arrive as bytes on an SSH
//! channel): one decoder, so both behave alike.
//!
//! The events are the ones crossterm would produce, decoded the same way
//! (an uppercase letter carries SHIFT, `\n` is Ctrl-J, `0x7f` and `0x08` are Backspace), so the
//! keymap sees no difference. Recognised: CSI and SS3 cursor keys with modifiers, Home/End,
//! Insert/Delete, PageUp/PageDown, F1–F12, BackTab, SGR mouse reports, Ctrl-letter, Alt-key
//! (ESC prefix) and UTF-8. Anything else is dropped: unknown sequences whole, invalid UTF-8
//! byte by byte. A lone ESC stays pending until [`Decoder::flush`], which the caller calls after
//! a short quiet time ([`ESC_TIMEOUT`]), since ESC is also the first byte of every sequence.
//! Any byte sequence is accepted; what is held back is bounded by [`MAX_PENDING`].

use std::time::Duration;

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

/// How long a lone ESC waits for the rest of a sequence before it counts as the Esc key.
pub const ESC_TIMEOUT: Duration = Duration::from_millis(40);

/// The longest incomplete sequence kept; a longer one is hostile or broken and dropped.
pub const MAX_PENDING: usize = 64;

/// Decodes a stream of input bytes; keeps an incomplete sequence for the next call.
#[derive(Debug, Default)]
pub struct Decoder {
    pending: Vec<u8>,
}

/// What one attempt at the front of the buffer gave.
enum Step {
    /// `n` bytes consumed, giving the event if any.
    Done(usize, Option<Event>),
    /// The bytes so far are a prefix of a sequence: wait for more.
    Incomplete,
}

impl Decoder {
    /// A decoder with nothing pending.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Decodes `bytes` after what was pending; returns the complete events.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.pending.extend_from_slice(bytes);
        let mut events = Vec::new();
        let mut at = 0;
        while at < self.pending.len() {
            match step(&self.pending[at..]) {
                Step::Done(n, event) => {
                    at += n;
                    if let Some(event) = event {
                        events.push(event);
                    }
                }
                Step::Incomplete => break,
            }
        }
        self.pending.drain(..at);
        if self.pending.len() > MAX_PENDING {
            self.pending.clear();
        }
        events
    }

    /// True when bytes are held back (a lone ESC, or a sequence cut between reads).
    pub fn is_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// After [`ESC_TIMEOUT`] without input: a lone ESC is the Esc key, and ESC before a
    /// printable byte is that key with Alt; any other incomplete sequence is dropped.
    pub fn flush(&mut self) -> Vec<Event> {
        let pending = std::mem::take(&mut self.pending);
        match pending.as_slice() {
            [0x1b] => vec![key(KeyCode::Esc, KeyModifiers::NONE)],
            _ => Vec::new(),
        }
    }
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, modifiers))
}

/// A character key as crossterm reports it: uppercase letters carry SHIFT.
fn char_key(c: char, mut modifiers: KeyModifiers) -> Event {
    if c.is_uppercase() {
        modifiers |= KeyModifiers::SHIFT;
    }
    key(KeyCode::Char(c), modifiers)
}

/// A single byte below 0x80 outside any sequence.
fn control(b: u8, alt: bool) -> Option<Event> {
    let alt = if alt {
        KeyModifiers::ALT
    } else {
        KeyModifiers::NONE
    };
    Some(match b {
        b'\r' => key(KeyCode::Enter, alt),
        b'\t' => key(KeyCode::Tab, alt),
        0x7f | 0x08 => key(KeyCode::Backspace, alt),
        b'\n' => key(KeyCode::Char('j'), KeyModifiers::CONTROL | alt),
        0x00 => key(KeyCode::Char(' '), KeyModifiers::CONTROL | alt),
        0x01..=0x1a => key(
            KeyCode::Char((b - 0x01 + b'a') as char),
            KeyModifiers::CONTROL | alt,
        ),
        0x1c..=0x1f => key(
            KeyCode::Char((b - 0x1c + b'4') as char),
            KeyModifiers::CONTROL | alt,
        ),
        0x20..=0x7e => char_key(b as char, alt),
        _ => return None,
    })
}

/// Decodes one event (or one dropped unit) at the front of `buf`, which is not empty.
fn step(buf: &[u8]) -> Step {
    match buf[0] {
        0x1b => escape(buf),
        b if b < 0x80 => Step::Done(1, control(b, false)),
        _ => utf8(buf, KeyModifiers::NONE, 0),
    }
}

/// A UTF-8 character at `buf[skip..]`.
fn utf8(buf: &[u8], modifiers: KeyModifiers, skip: usize) -> Step {
    let rest = &buf[skip..];
    let len = match rest[0] {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        // A continuation byte or an invalid lead: drop it.
        _ => return Step::Done(skip + 1, None),
    };
    if rest.len() < len {
        // Only wait when what came so far can still be valid.
        return match std::str::from_utf8(rest) {
            Err(e) if e.error_len().is_none() => Step::Incomplete,
            _ => Step::Done(skip + 1, None),
        };
    }
    match std::str::from_utf8(&rest[..len]) {
        Ok(s) => {
            let c = s.chars().next().unwrap_or('\u{fffd}');
            Step::Done(skip + len, Some(char_key(c, modifiers)))
        }
        Err(_) => Step::Done(skip + 1, None),
    }
}

/// Bytes starting with ESC.
fn escape(buf: &[u8]) -> Step {
    let Some(&next) = buf.get(1) else {
        return Step::Incomplete;
    };
    match next {
        b'[' => csi(buf),
        b'O' => match buf.get(2) {
            None => Step::Incomplete,
            Some(&c) => Step::Done(3, ss3(c)),
        },
        // ESC ESC: the first is the Esc key (Alt-Esc is rare and ambiguous).
        0x1b => Step::Done(1, Some(key(KeyCode::Esc, KeyModifiers::NONE))),
        b if b < 0x80 => Step::Done(2, control(b, true)),
        _ => utf8(buf, KeyModifiers::ALT, 1),
    }
}

/// SS3 sequences (`ESC O x`): application-mode cursor keys and F1–F4.
fn ss3(c: u8) -> Option<Event> {
    let code = match c {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        b'M' => KeyCode::Enter,
        _ => return None,
    };
    Some(key(code, KeyModifiers::NONE))
}

/// The modifiers of xterm's `1;m` parameter (m = 1 + shift·1 + alt·2 + ctrl·4).
fn modifiers(param: Option<u16>) -> KeyModifiers {
    let bits = param.unwrap_or(1).saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

/// CSI sequences: `ESC [`, parameter bytes 0x30–0x3f, intermediates 0x20–0x2f, a final byte
/// 0x40–0x7e.
fn csi(buf: &[u8]) -> Step {
    let mut end = 2;
    loop {
        let Some(&b) = buf.get(end) else {
            return Step::Incomplete;
        };
        match b {
            0x20..=0x3f => end += 1,
            0x40..=0x7e => break,
            // Not a CSI byte: drop the introducer and decode the rest anew.
            _ => return Step::Done(2, None),
        }
    }
    let body = &buf[2..end];
    let fin = buf[end];
    let n = end + 1;
    if body.first() == Some(&b'<') {
        return Step::Done(n, mouse(&body[1..], fin));
    }
    let params: Vec<Option<u16>> = body
        .split(|&b| b == b';')
        .map(|p| std::str::from_utf8(p).ok().and_then(|s| s.parse().ok()))
        .collect();
    let first = params.first().copied().flatten();
    let mods = modifiers(params.get(1).copied().flatten());
    let code = match fin {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P' => KeyCode::F(1),
        b'Q' => KeyCode::F(2),
        b'R' => KeyCode::F(3),
        b'S' => KeyCode::F(4),
        b'Z' => return Step::Done(n, Some(key(KeyCode::BackTab, KeyModifiers::SHIFT))),
        b'~' => match first {
            Some(1 | 7) => KeyCode::Home,
            Some(2) => KeyCode::Insert,
            Some(3) => KeyCode::Delete,
            Some(4 | 8) => KeyCode::End,
            Some(5) => KeyCode::PageUp,
            Some(6) => KeyCode::PageDown,
            Some(f @ 11..=15) => KeyCode::F((f - 10) as u8),
            Some(f @ 17..=21) => KeyCode::F((f - 11) as u8),
            Some(f @ 23..=26) => KeyCode::F((f - 12) as u8),
            Some(f @ 28..=29) => KeyCode::F((f - 13) as u8),
            Some(f @ 31..=34) => KeyCode::F((f - 14) as u8),
            // Bracketed-paste markers (200, 201) among them: the pasted text arrives as keys.
            _ => return Step::Done(n, None),
        },
        _ => return Step::Done(n, None),
    };
    Step::Done(n, Some(key(code, mods)))
}

/// An SGR mouse report (`CSI < b ; x ; y M` or `m`), 1-based coordinates.
fn mouse(body: &[u8], fin: u8) -> Option<Event> {
    if fin != b'M' && fin != b'm' {
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    let mut parts = text.split(';').map(|p| p.parse::<u16>().ok());
    let (b, x, y) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() {
        return None;
    }
    let mut modifiers = KeyModifiers::NONE;
    if b & 4 != 0 {
        modifiers |= KeyModifiers::SHIFT;
    }
    if b & 8 != 0 {
        modifiers |= KeyModifiers::ALT;
    }
    if b & 16 != 0 {
        modifiers |= KeyModifiers::CONTROL;
    }
    let button = match b & 3 {
        0 => MouseButton::Left,
        1 => MouseButton::Middle,
        _ => MouseButton::Right,
    };
    let kind = if b & 64 != 0 {
        match b & 3 {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        }
    } else if b & 32 != 0 {
        if b & 3 == 3 {
            MouseEventKind::Moved
        } else {
            MouseEventKind::Drag(button)
        }
    } else if fin == b'm' {
        MouseEventKind::Up(button)
    } else {
        MouseEventKind::Down(button)
    };
    Some(Event::Mouse(MouseEvent {
        kind,
        column: x.saturating_sub(1),
        row: y.saturating_sub(1),
        modifiers,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, m: KeyModifiers) -> Event {
        key(code, m)
    }

    fn all(bytes: &[u8]) -> Vec<Event> {
        let mut d = Decoder::new();
        let mut events = d.feed(bytes);
        events.extend(d.flush());
        events
    }

    const N: KeyModifiers = KeyModifiers::NONE;

    #[test]
    fn plain_keys_and_controls_decode_as_crossterm_does() {
        assert_eq!(
            all(b"jK\r\t\x7f\x08\n\x03 "),
            vec![
                k(KeyCode::Char('j'), N),
                k(KeyCode::Char('K'), KeyModifiers::SHIFT),
                k(KeyCode::Enter, N),
                k(KeyCode::Tab, N),
                k(KeyCode::Backspace, N),
                k(KeyCode::Backspace, N),
                k(KeyCode::Char('j'), KeyModifiers::CONTROL),
                k(KeyCode::Char('c'), KeyModifiers::CONTROL),
                k(KeyCode::Char(' '), N),
            ]
        );
    }

    #[test]
    fn cursor_and_editing_keys_in_csi_and_ss3_forms() {
        assert_eq!(
            all(b"\x1b[A\x1bOB\x1b[C\x1bOD\x1b[H\x1b[F\x1b[1~\x1b[4~\x1b[5~\x1b[6~\x1b[3~\x1b[Z"),
            vec![
                k(KeyCode::Up, N),
                k(KeyCode::Down, N),
                k(KeyCode::Right, N),
                k(KeyCode::Left, N),
                k(KeyCode::Home, N),
                k(KeyCode::End, N),
                k(KeyCode::Home, N),
                k(KeyCode::End, N),
                k(KeyCode::PageUp, N),
                k(KeyCode::PageDown, N),
                k(KeyCode::Delete, N),
                k(KeyCode::BackTab, KeyModifiers::SHIFT),
            ]
        );
    }

    #[test]
    fn function_keys_and_modifiers() {
        assert_eq!(
            all(b"\x1bOP\x1b[15~\x1b[24~\x1b[1;5C\x1b[1;2A\x1b[1;3B"),
            vec![
                k(KeyCode::F(1), N),
                k(KeyCode::F(5), N),
                k(KeyCode::F(12), N),
                k(KeyCode::Right, KeyModifiers::CONTROL),
                k(KeyCode::Up, KeyModifiers::SHIFT),
                k(KeyCode::Down, KeyModifiers::ALT),
            ]
        );
    }

    #[test]
    fn utf8_whole_and_split_across_reads() {
        let mut d = Decoder::new();
        let bytes = "國a".as_bytes();
        assert_eq!(d.feed(&bytes[..1]), vec![]);
        assert!(d.is_pending());
        assert_eq!(d.feed(&bytes[1..2]), vec![]);
        assert_eq!(
            d.feed(&bytes[2..]),
            vec![k(KeyCode::Char('國'), N), k(KeyCode::Char('a'), N)]
        );
        assert!(!d.is_pending());
        // Invalid bytes are dropped one by one; what follows still decodes.
        assert_eq!(all(b"\xff\xc3(x"), all(b"(x"));
    }

    #[test]
    fn a_lone_escape_waits_for_the_timeout_and_alt_keys_do_not() {
        let mut d = Decoder::new();
        assert_eq!(d.feed(b"\x1b"), vec![]);
        assert!(d.is_pending());
        assert_eq!(d.flush(), vec![k(KeyCode::Esc, N)]);
        assert_eq!(
            d.feed(b"\x1bx"),
            vec![k(KeyCode::Char('x'), KeyModifiers::ALT)]
        );
        assert_eq!(
            d.feed(b"\x1b\x1b[A"),
            vec![k(KeyCode::Esc, N), k(KeyCode::Up, N)]
        );
        // A sequence cut between reads completes on the next.
        assert_eq!(d.feed(b"\x1b["), vec![]);
        assert_eq!(d.feed(b"6~"), vec![k(KeyCode::PageDown, N)]);
    }

    #[test]
    fn mouse_reports_and_unknown_sequences() {
        assert_eq!(
            all(b"\x1b[<0;10;5M\x1b[<64;1;1M\x1b[?1;2c\x1b[99~q"),
            vec![
                Event::Mouse(MouseEvent {
                    kind: MouseEventKind::Down(MouseButton::Left),
                    column: 9,
                    row: 4,
                    modifiers: N,
                }),
                Event::Mouse(MouseEvent {
                    kind: MouseEventKind::ScrollUp,
                    column: 0,
                    row: 0,
                    modifiers: N,
                }),
                k(KeyCode::Char('q'), N),
            ]
        );
        // Bracketed paste markers vanish; the text arrives as keys.
        assert_eq!(
            all(b"\x1b[200~ab\x1b[201~"),
            vec![k(KeyCode::Char('a'), N), k(KeyCode::Char('b'), N)]
        );
    }

    #[test]
    fn any_bytes_decode_without_panic_and_pending_stays_bounded() {
        let mut d = Decoder::new();
        let mut seed = 0x2545_f491_u32;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let len = (seed % 9) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|i| {
                    let b = (seed >> (i % 4 * 8)) as u8;
                    // Plenty of ESC, '[' and digits, where the states are.
                    match b % 5 {
                        0 => 0x1b,
                        1 => b'[',
                        2 => b'0' + b % 10,
                        _ => b,
                    }
                })
                .collect();
            d.feed(&bytes);
            assert!(d.pending.len() <= MAX_PENDING);
        }
        // A never-ending parameter list is cut, not kept.
        let mut d = Decoder::new();
        d.feed(b"\x1b[");
        for _ in 0..100 {
            d.feed(b"1;1;1;1;");
        }
        assert!(d.pending.len() <= MAX_PENDING);
        assert_eq!(d.feed(b"\x1b[A"), vec![k(KeyCode::Up, N)]);
    }
}
