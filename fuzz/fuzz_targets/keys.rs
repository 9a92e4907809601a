//! Key input: arbitrary key events through the keymap lookup of every layer (crossterm decodes
//! the bytes; this is what the reader does with whatever it decodes), and arbitrary text as a
//! keymap file and as key specs. No panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use reader::tui::keymap::{Key, Keymap, Layer};

fn code(tag: u8, value: u32) -> KeyCode {
    match tag % 12 {
        0..=3 => KeyCode::Char(char::from_u32(value).unwrap_or('\u{fffd}')),
        4 => KeyCode::F((value % 30) as u8),
        5 => KeyCode::Enter,
        6 => KeyCode::Esc,
        7 => KeyCode::Backspace,
        8 => KeyCode::Tab,
        9 => KeyCode::BackTab,
        10 => KeyCode::PageDown,
        _ => KeyCode::Up,
    }
}

fuzz_target!(|data: &[u8]| {
    let map = Keymap::default_map();
    for chunk in data.chunks(6) {
        let [tag, mods, kind, a, b, c] = <[u8; 6]>::try_from(chunk).unwrap_or([0; 6]);
        let value = u32::from_le_bytes([a, b, c, 0]);
        let kind = match kind % 3 {
            0 => KeyEventKind::Press,
            1 => KeyEventKind::Repeat,
            _ => KeyEventKind::Release,
        };
        let event = KeyEvent::new_with_kind(
            code(tag, value),
            KeyModifiers::from_bits_truncate(mods),
            kind,
        );
        for layer in Layer::ALL {
            let _ = map.action_for(layer, &event);
        }
    }
    let text = String::from_utf8_lossy(data);
    let _ = Keymap::parse(&text);
    for spec in text.split_whitespace() {
        let _ = Key::parse(spec);
    }
});
