//! `reader show` end to end: piped (plain text, 80 columns), forced colour, and in a
//! pseudo-terminal (terminal width, SGR styles, OSC 8 hyperlinks; NO_COLOR and TERM=dumb honoured).

mod cli_support;
mod pty_support;
use cli_support::TestHome;
use pty_support::Launch;

use std::process::Command;

use unicode_width::UnicodeWidthStr;

const DW: &str = "seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt";

fn reader() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reader"));
    c.test_home();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR");
    // Never the user's own settings: a config folder with nothing in it.
    c.env(
        "XDG_CONFIG_HOME",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/no-config"),
    );
    c
}

#[test]
fn piped_output_is_plain_text_at_80_columns() {
    let out = reader().args(["show", DW]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no escape sequences when piped");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "COP27即將召開 美籲中重啟氣候對話");
    assert_eq!(lines[1], "德國之聲 \u{b7} 2022-10-26 01:34 UTC");
    assert_eq!(lines[2], "");
    assert!(lines.iter().all(|l| l.width() <= 80));
    assert!(lines.iter().any(|l| l.width() > 70), "uses the 80 columns");
    assert!(text.contains("\nLinks\n[1] 中國隨即宣布停止與美國在氣候變化等多領域的合作與對話\n"));
}

#[test]
fn width_and_index_arguments() {
    let out = reader()
        .args(["show", "2", "--width", "24"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("气候问题上，美国想跟中国\n重新走到一起\n观察者网 \u{b7} 李丽 \u{b7}\n2022-09-01 10:21 UTC\n\n"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.width() <= 24));
}

#[test]
fn forced_colour_into_a_pipe_has_styles_but_no_hyperlinks() {
    let out = reader()
        .args(["show", DW, "--color", "always"])
        .env("TERM", "xterm-256color")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("\u{1b}[1;93mCOP27"));
    assert!(!text.contains("\u{1b}]8;"));
}

#[test]
fn narrow_widths_are_raised_with_a_message_and_missing_articles_are_usage_errors() {
    for width in ["0", "1"] {
        let out = reader()
            .args(["show", DW, "--width", width])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("reader: --width {width} is below the minimum of 20 columns; using 20\n")
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains('\u{fffd}'), "no CJK turned into U+FFFD");
        assert!(text.contains("COP27"));
        assert!(text.lines().all(|l| l.width() <= 20), "{text}");
    }
    let out = reader().args(["show", "9"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Runs `reader ARGS` in a pseudo-terminal `cols` wide; returns the raw output.
fn in_pty(args: &[&str], cols: u16, env: &[(&str, &str)]) -> String {
    let mut launch = Launch::reader(args).size(cols, 50);
    for (k, v) in env {
        launch = launch.env(k, v);
    }
    let (status, raw) = launch.spawn().finish();
    assert!(status.success(), "{status:?}");
    String::from_utf8(raw).unwrap()
}

#[test]
fn terminal_gets_its_width_styles_and_hyperlinks() {
    let raw = in_pty(&["show", DW], 50, &[]);
    assert!(raw.contains("\u{1b}[1;93mCOP27即將召開 美籲中重啟氣候對話\u{1b}[0m"));
    assert!(raw.contains("\u{1b}]8;;https://api.dw.com/api/detail/article/62721519\u{1b}\\"));
    let size = std::num::NonZeroU16::new(50).unwrap();
    let mut parser = vt100::Parser::new(size, size, 0);
    parser.process(raw.as_bytes());
    let screen = parser.screen().contents();
    // The end of the output is on screen, wrapped to 50 columns by reader, not by the terminal.
    assert!(screen.contains("[2] 第26屆聯合國氣候峰會上"), "{screen}");
    for line in raw.replace("\r\n", "\n").lines() {
        let visible = strip_escapes(line);
        assert!(visible.width() <= 50, "{visible:?}");
    }
}

#[test]
fn no_color_and_dumb_terminals_get_plain_text() {
    let raw = in_pty(&["show", DW], 60, &[("NO_COLOR", "1")]);
    assert!(!raw.contains('\u{1b}'), "NO_COLOR: no escapes");
    let raw = in_pty(&["show", DW], 60, &[("TERM", "dumb")]);
    assert!(raw.contains("\u{1b}[1;93m"), "styles still on");
    assert!(
        !raw.contains("\u{1b}]8;"),
        "no hyperlinks on a dumb terminal"
    );
}

/// The text of a line without CSI and OSC sequences.
fn strip_escapes(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{1b}' {
                        chars.next();
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn a_day_precision_date_shows_as_printed_in_the_header_line() {
    // The page prints 2020年 7月 4日 (London): the header gives that day, not an invented time.
    let out = reader()
        .args(["show", "tests/fixtures/meta/bbc-1048152.md"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().nth(1), Some("BBC中文 · 2020-07-04"));
}
