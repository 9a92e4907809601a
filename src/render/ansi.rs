//! Rendered lines as terminal text for `reader show`: SGR styles and OSC 8 hyperlinks, or plain.
//!
//! The lines are already sanitised, so the only escape sequences in the output are the ones
//! written here. OSC 8 URLs are reduced to printable ASCII ([`super::links::osc8_url`]) so a URL
//! cannot end the sequence early.

use std::fmt::Write as _;

use ratatui::style::{Color, Modifier, Style};

use super::Rendered;

/// How to write the lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnsiOptions {
    /// Write styles as SGR sequences.
    pub styles: bool,
    /// Wrap link text in OSC 8 hyperlinks.
    pub hyperlinks: bool,
}

/// The longest URL written into an OSC 8 sequence, in bytes: terminals cap the URI near this
/// (VTE and others at 2,083 or so), and the bound keeps the sequences to a constant per line.
/// A longer link is still shown, and listed in full in the Links section, just not clickable.
pub const MAX_OSC8_URL: usize = 2048;

/// The lines of `r`, each ended by `\n`.
///
/// A hyperlink is opened once for each run of a link's spans on a line and closed at the end of
/// the run, so its URL costs at most a constant per visible line, however the line is styled.
pub fn to_text(r: &Rendered, opts: AnsiOptions) -> String {
    let mut out = String::new();
    each_line(r, opts, &mut |line| {
        out.push_str(line);
        Ok(())
    })
    .expect("writing to a String does not fail");
    out
}

/// [`to_text`] written to `w` a line at a time, so the whole text of a huge report is never
/// held beside its lines.
pub fn write_text(
    r: &Rendered,
    opts: AnsiOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    each_line(r, opts, &mut |line| w.write_all(line.as_bytes()))
}

/// Calls `sink` with each line of [`to_text`] (its `\n` included), built in one buffer.
fn each_line(
    r: &Rendered,
    opts: AnsiOptions,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut out = String::new();
    let mut link_spans = r.link_spans.iter().peekable();
    for (i, line) in r.lines.iter().enumerate() {
        out.clear();
        let mut col: u16 = 0;
        // The link number whose hyperlink is open.
        let mut open: Option<usize> = None;
        for span in &line.spans {
            let w = span.width() as u16;
            let mut link = None;
            if opts.hyperlinks {
                while link_spans
                    .peek()
                    .is_some_and(|s| s.line < i || (s.line == i && s.columns.end <= col))
                {
                    link_spans.next();
                }
                if let Some(s) = link_spans.peek() {
                    if s.line == i && s.columns.start <= col && col + w <= s.columns.end {
                        link = Some(s.number);
                    }
                }
            }
            if link != open {
                if open.take().is_some() {
                    out.push_str("\u{1b}]8;;\u{1b}\\");
                }
                let url = link
                    .and_then(|n| r.link(n))
                    .map(|l| super::links::osc8_url(&l.href))
                    .filter(|u| u.len() <= MAX_OSC8_URL);
                if let Some(url) = url {
                    let _ = write!(out, "\u{1b}]8;;{url}\u{1b}\\");
                    open = link;
                }
            }
            let sgr = if opts.styles {
                sgr(span.style)
            } else {
                String::new()
            };
            if !sgr.is_empty() {
                let _ = write!(out, "\u{1b}[{sgr}m");
            }
            out.push_str(&span.content);
            if !sgr.is_empty() {
                out.push_str("\u{1b}[0m");
            }
            col += w;
        }
        if open.is_some() {
            out.push_str("\u{1b}]8;;\u{1b}\\");
        }
        out.push('\n');
        sink(&out)?;
    }
    Ok(())
}

/// SGR parameters for a style ("" for the default style).
fn sgr(style: Style) -> String {
    let mut p: Vec<String> = Vec::new();
    let m = style.add_modifier;
    for (bit, code) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if m.contains(bit) {
            p.push(code.into());
        }
    }
    if let Some(fg) = style.fg {
        if let Some(c) = color(fg, false) {
            p.push(c);
        }
    }
    if let Some(bg) = style.bg {
        if let Some(c) = color(bg, true) {
            p.push(c);
        }
    }
    p.join(";")
}

fn color(c: Color, bg: bool) -> Option<String> {
    let base = |n: u8| Some((if bg { n + 10 } else { n }).to_string());
    match c {
        Color::Reset => None,
        Color::Black => base(30),
        Color::Red => base(31),
        Color::Green => base(32),
        Color::Yellow => base(33),
        Color::Blue => base(34),
        Color::Magenta => base(35),
        Color::Cyan => base(36),
        Color::Gray => base(37),
        Color::DarkGray => base(90),
        Color::LightRed => base(91),
        Color::LightGreen => base(92),
        Color::LightYellow => base(93),
        Color::LightBlue => base(94),
        Color::LightMagenta => base(95),
        Color::LightCyan => base(96),
        Color::White => base(97),
        Color::Indexed(n) => Some(format!("{};5;{n}", if bg { 48 } else { 38 })),
        Color::Rgb(r, g, b) => Some(format!("{};2;{r};{g};{b}", if bg { 48 } else { 38 })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{RenderOptions, render_html};

    #[test]
    fn plain_text_has_no_escapes() {
        let r = render_html(
            "<p><b>中</b><a href='https://e.com/x'>l</a></p>",
            20,
            &RenderOptions::new(true),
        );
        assert_eq!(to_text(&r, AnsiOptions::default()), "中l\u{a0}[1]\n");
    }

    #[test]
    fn styles_and_hyperlinks() {
        let r = render_html(
            "<p><b>中</b><a href='https://e.com/中'>l</a></p>",
            20,
            &RenderOptions::new(true),
        );
        let s = to_text(
            &r,
            AnsiOptions {
                styles: true,
                hyperlinks: true,
            },
        );
        assert_eq!(
            s,
            "\u{1b}[1m中\u{1b}[0m\u{1b}]8;;https://e.com/%E4%B8%AD\u{1b}\\\u{1b}[4;94ml\u{1b}[0m\u{1b}]8;;\u{1b}\\\u{a0}\u{1b}]8;;https://e.com/%E4%B8%AD\u{1b}\\\u{1b}[90m[1]\u{1b}[0m\u{1b}]8;;\u{1b}\\\n"
        );
    }

    #[test]
    fn hyperlinks_cost_a_constant_per_line() {
        let opts = AnsiOptions {
            styles: true,
            hyperlinks: true,
        };
        let render = |url: &str| {
            let html = format!(
                "<p>See <a href=\"{url}\">the source of this report, with a long link text</a>.</p>"
            );
            let r = crate::render::render_html(&html, 30, &crate::render::RenderOptions::new(true));
            (to_text(&r, opts), r.lines.len())
        };
        // A URL over the bound: shown in the Links section, never inside a sequence.
        let long = format!("https://example.org/{}", "x".repeat(30_000));
        let (text, lines) = render(&long);
        assert!(
            !text.contains("\u{1b}]8;;https"),
            "no hyperlink for an over-long URL"
        );
        assert!(
            text.len() < 2 * long.len() + 200 * lines,
            "{} bytes",
            text.len()
        );
        // A URL within the bound: one sequence pair per line the link covers, not per span.
        let url = format!("https://example.org/{}", "y".repeat(1_000));
        let (text, lines) = render(&url);
        let opens = text.matches(&format!("\u{1b}]8;;{url}")).count();
        // (The link text and its `[n]` are two runs.)
        assert!(
            opens >= 1 && opens <= 2 * lines,
            "{opens} hyperlinks on {lines} lines"
        );
        for line in text.lines() {
            assert!(
                line.matches("\u{1b}]8;;").count() % 2 == 0,
                "closed on its line: {line:?}"
            );
        }
    }
}
