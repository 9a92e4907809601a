//! The one gate between article content and the terminal.
//!
//! Saved reports are untrusted input: a title, URL or paragraph may carry ESC sequences, C1
//! controls or bidi overrides that would move the cursor, retitle the window, write the clipboard
//! or visually reorder text. Everything that comes from a file passes through [`clean`] (or
//! [`clean_line`] for single-line fields) before it can be printed or drawn.

use std::borrow::Cow;

/// True for characters that must never reach the terminal as themselves.
///
/// C0 controls (newline is handled by the callers), DEL, C1 controls, the bidi embeddings and
/// overrides U+202A–U+202E and the isolates U+2066–U+2069.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Removes control characters and whole escape sequences, keeping newlines; tabs become spaces.
///
/// ESC sequences are dropped as a unit (CSI `ESC [ … final`, OSC/DCS/APC/PM/SOS up to BEL or ST,
/// and two-character escapes), so no stray `[31m` is left behind. CR is dropped so CRLF text reads
/// as LF text. Returns the input unchanged (borrowed) in the common case.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !has_forbidden(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\u{1b}' => skip_escape(&mut chars),
            // 8-bit CSI: parameters and final byte follow like after `ESC [`.
            '\u{9b}' => skip_csi(&mut chars),
            // 8-bit OSC, DCS, SOS, PM, APC: a string up to BEL or ST.
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// True when `s` holds a character [`is_forbidden`] names other than `\n`: a scan of the UTF-8
/// bytes (every such character starts with a byte below 0x20, 0x7f, 0xc2 or 0xe2), as fast as
/// the check that runs over every body must be.
fn has_forbidden(s: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether a byte of `w` is below 0x20 or equals 0x7f, 0xc2 or 0xe2 (the bit tricks have no
    // false negatives; a false positive only sends the word to the byte checks).
    let suspicious = |w: u64| {
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
        w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0
            || zero(w ^ (ONES * 0x7f))
            || zero(w ^ (ONES * 0xc2))
            || zero(w ^ (ONES * 0xe2))
    };
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Eight bytes at a time where none can start a forbidden character.
        if let Some(word) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            if !suspicious(w) {
                i += 8;
                continue;
            }
        }
        match b[i] {
            b'\n' => {}
            0x00..=0x1f | 0x7f => return true,
            // U+0080–U+009F.
            0xc2 if matches!(b.get(i + 1), Some(0x80..=0x9f)) => return true,
            // U+202A–U+202E and U+2066–U+2069.
            0xe2 if matches!(
                (b.get(i + 1), b.get(i + 2)),
                (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
            ) =>
            {
                return true;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Like [`clean`], and also folds every run of white space (newlines included) into one space and
/// trims the ends: for titles, metadata values and list rows, which must stay on one line.
pub fn clean_line(s: &str) -> String {
    let cleaned = clean(s);
    let mut out = String::with_capacity(cleaned.len());
    for word in cleaned.split(|c: char| c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // Intermediate bytes then one final byte (e.g. `ESC ( B`).
        Some(c) if ('\u{20}'..='\u{2f}').contains(&c) => {
            while let Some(&c) = chars.peek() {
                chars.next();
                if !('\u{20}'..='\u{2f}').contains(&c) {
                    break;
                }
            }
        }
        // Two-character escape such as `ESC c` (full reset) or `ESC 7`.
        Some(c) if ('\u{30}'..='\u{7e}').contains(&c) => {
            chars.next();
        }
        _ => {}
    }
}

fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        if ('\u{20}'..='\u{3f}').contains(&c) {
            chars.next();
        } else {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                chars.next();
            }
            break;
        }
    }
}

fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    /// [`super::has_forbidden`] one character at a time.
    fn has_forbidden_slowly(s: &str) -> bool {
        s.chars().any(|c| c != '\n' && super::is_forbidden(c))
    }

    #[test]
    fn the_word_scan_finds_every_forbidden_character_wherever_it_falls() {
        let forbidden = [
            '\u{0}', '\t', '\r', '\u{1b}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9b}', '\u{9f}',
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}',
        ];
        let harmless = [
            'a',
            '\n',
            ' ',
            '中',
            '\u{a0}',
            '\u{c0}',
            '“',
            '\u{2029}',
            '\u{202f}',
            '\u{2065}',
            '\u{206a}',
            'é',
            '\u{e2}',
            '\u{1f600}',
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let mut s: String = (0..len)
                .map(|_| harmless[(next() % harmless.len() as u64) as usize])
                .collect();
            assert!(!super::has_forbidden(&s), "{s:?}");
            if next() % 2 == 0 {
                let at = s
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth((next() % (len as u64 + 1)) as usize)
                    .unwrap_or(s.len());
                s.insert(at, forbidden[(next() % forbidden.len() as u64) as usize]);
            }
            assert_eq!(super::has_forbidden(&s), has_forbidden_slowly(&s), "{s:?}");
        }
    }

    #[test]
    fn the_byte_scan_agrees_with_the_character_rule() {
        let mut all: Vec<char> = (0u32..0x3000).filter_map(char::from_u32).collect();
        all.extend(['\u{ffff}', '\u{10ffff}', '克', '😀']);
        for c in all {
            let want = c != '\n' && is_forbidden(c);
            for s in [c.to_string(), format!("a{c}b"), format!("{c}\u{e2}")] {
                assert_eq!(has_forbidden(&s), want, "{:?}", c as u32);
            }
        }
    }

    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(clean("克里 said\nhi"), Cow::Borrowed(_)));
    }

    #[test]
    fn csi_sequence_is_dropped_whole() {
        assert_eq!(clean("a\u{1b}[31;1mred\u{1b}[0m b"), "ared b");
    }

    #[test]
    fn osc_title_and_hyperlink_are_dropped_whole() {
        assert_eq!(clean("x\u{1b}]0;pwned\u{7}y"), "xy");
        assert_eq!(clean("x\u{1b}]8;;http://e\u{1b}\\y"), "xy");
        assert_eq!(clean("x\u{9d}52;c;AAAA\u{9c}y"), "xy");
    }

    #[test]
    fn c1_csi_and_two_char_escapes() {
        assert_eq!(clean("a\u{9b}2Jb"), "ab");
        assert_eq!(clean("a\u{1b}cb\u{1b}(Bc"), "abc");
    }

    #[test]
    fn bidi_overrides_bel_del_and_cr_are_removed() {
        assert_eq!(clean("a\u{202e}b\u{2066}c\u{7}d\u{7f}e\r\nf"), "abcde\nf");
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(clean("a\tb"), "a b");
    }

    #[test]
    fn clean_line_folds_white_space() {
        assert_eq!(
            clean_line("  COP27\n即將 \t召開\u{1b}[2J "),
            "COP27 即將 召開"
        );
    }

    #[test]
    fn trailing_escape_does_not_panic() {
        assert_eq!(clean("abc\u{1b}"), "abc");
        assert_eq!(clean("abc\u{1b}["), "abc");
        assert_eq!(clean("abc\u{1b}]unterminated"), "abc");
    }
}
