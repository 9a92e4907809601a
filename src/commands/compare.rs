//! `reader compare`: two articles side by side as text, or the comparison as JSON.
//!
//! From 60 columns the two articles stand in two columns aligned row by row; below that each row
//! is stacked (A above B). Each paragraph is labelled `A¶n` / `B¶n`, with its cross-references
//! (`↔ B¶7`); then come the ledger and the timeline. Widths are display columns (CJK = 2) and no
//! line is wider than the width.

use std::io::{self, Write};
use std::process::ExitCode;

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::cli::{ColorChoice, CompareArgs};
use crate::compare::{self, Comparison, Presence, Script, Side, TimelineKind};
use crate::render::RenderOptions;
use crate::render::marks::fit;

/// Below this total width the columns are stacked.
pub const MIN_SIDE_BY_SIDE: u16 = 60;
const SEPARATOR: &str = " │ ";

/// Runs `reader compare`.
pub fn run(args: &CompareArgs, color: ColorChoice, io: &mut super::Io) -> io::Result<ExitCode> {
    let a = super::resolve_article(&args.a, &args.paths, io)?;
    let b = super::resolve_article(&args.b, &args.paths, io)?;
    let body_a = a.load_body().map_err(|e| io::Error::other(e.to_string()))?;
    let body_b = b.load_body().map_err(|e| io::Error::other(e.to_string()))?;
    let c = compare::compare(&a, &body_a, &b, &body_b);
    // The comparison holds what it shows: the bodies need not stay while it is printed.
    drop((body_a, body_b));
    let is_terminal = io.terminal.is_some();
    let terminal_width = io.width();
    let mut out = io::BufWriter::new(&mut *io.out);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &compare::json::to_json(&c))?;
        writeln!(out)?;
    } else {
        let width = match args.width {
            Some(w) => super::clamp_width(w, io.err),
            None => terminal_width.unwrap_or(80),
        };
        let ansi = color.enabled(is_terminal);
        each_line(&c, width, ansi, &mut |line| {
            writeln!(out, "{}", to_text(&line, ansi))
        })?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The whole text output as styled lines, none wider than `width` (at least 20) columns.
pub fn text_lines(c: &Comparison, width: u16, color: bool) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let _ = each_line(c, width, color, &mut |line| {
        lines.push(line);
        Ok(())
    });
    lines
}

/// [`text_lines`] handed to `sink` as they are made, a row at a time, so that printing a long
/// comparison never holds all of its lines (`reader compare` writes them straight out).
pub fn each_line(
    c: &Comparison,
    width: u16,
    color: bool,
    sink: &mut dyn FnMut(Line<'static>) -> io::Result<()>,
) -> io::Result<()> {
    let width = width.max(20);
    let opts = RenderOptions::new(color);
    let mut out = Vec::new();
    let side_by_side = width >= MIN_SIDE_BY_SIDE;
    let left = if side_by_side {
        (width - SEPARATOR.width() as u16) / 2
    } else {
        width
    };
    let right = if side_by_side {
        width - SEPARATOR.width() as u16 - left
    } else {
        width
    };
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let dim = Style::new().add_modifier(Modifier::DIM);

    // Headers.
    let header = |side: Side, w: u16| -> Vec<Line<'static>> {
        let h = &c.column(side).header;
        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{} ", side.letter()), dim),
            Span::styled(h.outlet.clone(), bold),
        ])];
        lines.push(Line::from(h.published_label()));
        lines.extend(
            wrap_text(&h.title, w as usize)
                .into_iter()
                .map(|l| Line::styled(l, bold)),
        );
        lines.into_iter().map(|l| fit(l, w as usize)).collect()
    };
    push_pair(
        &mut |l| {
            out.push(l);
            Ok(())
        },
        header(Side::A, left),
        header(Side::B, right),
        left,
        side_by_side,
    )?;
    out.push(Line::from("─".repeat(width as usize)));
    out.extend(
        wrap_text(&c.gap, width as usize)
            .into_iter()
            .map(Line::from),
    );
    out.push(Line::from("─".repeat(width as usize)));

    // Rows.
    let styles = color.then(MarkStyles::default);
    let para = |side: Side, i: usize, w: u16| -> Vec<Line<'static>> {
        let mut lines = paragraph_lines(c, side, i, w, Script::Original, &opts, styles.as_ref());
        // In place: a paragraph's lines are not copied into a second vector for the label.
        lines.insert(
            0,
            fit(Line::styled(paragraph_label(c, side, i), dim), w as usize),
        );
        lines
    };
    for (n, row) in c.rows.iter().enumerate() {
        if n > 0 && side_by_side {
            out.push(Line::default());
        } else if n > 0 {
            // Stacked, a rule shows where a row (a paragraph and its counterpart) ends.
            out.push(Line::styled("┄".repeat(width as usize), dim));
        }
        let a = row.a.map(|i| para(Side::A, i, left)).unwrap_or_default();
        let b = row.b.map(|i| para(Side::B, i, right)).unwrap_or_default();
        out.drain(..).try_for_each(&mut *sink)?;
        // Straight to the sink: a paragraph of a million lines is not held twice.
        push_pair(&mut *sink, a, b, left, side_by_side)?;
    }

    // Ledger.
    out.push(Line::from("─".repeat(width as usize)));
    out.push(Line::styled("Ledger", bold));
    for (title, presence) in [
        ("Both", Presence::Both),
        ("Only A", Presence::OnlyA),
        ("Only B", Presence::OnlyB),
    ] {
        let ids = c.ledger.group(presence);
        let items: Vec<String> = ids
            .iter()
            .map(|&i| {
                let t = &c.terms[i];
                match (&t.a, &t.b) {
                    (Some(a), Some(b)) if a != b => format!("{a}/{b}"),
                    _ => t.label().to_string(),
                }
            })
            .collect();
        out.extend(wrap_items(
            &format!("{title} ({}):", ids.len()),
            &items,
            width as usize,
        ));
    }

    // Timeline.
    out.push(Line::default());
    out.push(Line::styled("Timeline", bold));
    for e in &c.timeline {
        let sides = match (e.a, e.b) {
            (true, true) => "A B",
            (true, false) => "A  ",
            _ => "  B",
        };
        let what = match e.kind {
            TimelineKind::Published => {
                let side = if e.a { Side::A } else { Side::B };
                format!("published ({})", c.column(side).header.outlet)
            }
            TimelineKind::Mentioned => {
                let mut texts: Vec<&str> = Vec::new();
                if let Some(t) = &e.a_text {
                    texts.push(t);
                }
                if let Some(t) = &e.b_text {
                    if !texts.contains(&t.as_str()) {
                        texts.push(t);
                    }
                }
                texts.join(" / ")
            }
        };
        let text = format!("{:<20} {sides}  {what}", e.when());
        out.extend(wrap_indented(&text, width as usize, 2));
    }
    out.into_iter().try_for_each(sink)
}

pub use crate::render::comparison::{paragraph_label, paragraph_lines};
pub use crate::render::marks::{MarkStyles, mark_terms, mark_text_terms};
use crate::render::wrap::wrap_text;

/// Places two blocks side by side (padding the left one), or one above the other, handing each
/// line to `out` as it is made.
fn push_pair(
    out: &mut dyn FnMut(Line<'static>) -> io::Result<()>,
    a: Vec<Line<'static>>,
    b: Vec<Line<'static>>,
    left: u16,
    side_by_side: bool,
) -> io::Result<()> {
    if !side_by_side {
        let both = !a.is_empty() && !b.is_empty();
        a.into_iter().try_for_each(&mut *out)?;
        if both {
            out(Line::default())?;
        }
        return b.into_iter().try_for_each(out);
    }
    let n = a.len().max(b.len());
    let mut a = a.into_iter();
    let mut b = b.into_iter();
    for _ in 0..n {
        let la = a.next().unwrap_or_default();
        let lb = b.next().unwrap_or_default();
        let pad = (left as usize).saturating_sub(la.width());
        let mut spans = la.spans;
        spans.push(Span::raw(" ".repeat(pad)));
        if lb.width() == 0 {
            // No trailing blanks for an empty right side: they are noise in a pipe.
            spans.push(Span::raw(SEPARATOR.trim_end()));
        } else {
            spans.push(Span::raw(SEPARATOR));
            spans.extend(lb.spans);
        }
        out(Line::from(spans))?;
    }
    Ok(())
}

/// `head` then the items separated by ` · `, breaking lines between items (an item wider than
/// a line is wrapped on its own), continuation lines indented by four columns.
fn wrap_items(head: &str, items: &[String], width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut line = format!("  {head}");
    for item in items {
        let sep = if line.ends_with(':') { " " } else { " · " };
        if line.width() + sep.width() + item.width() <= width {
            line.push_str(sep);
            line.push_str(item);
            continue;
        }
        lines.push(Line::from(std::mem::take(&mut line)));
        let parts = wrap_text(item, width.saturating_sub(4).max(10));
        let last = parts.len() - 1;
        for (i, part) in parts.into_iter().enumerate() {
            if i < last {
                lines.push(Line::from(format!("    {part}")));
            } else {
                line = format!("    {part}");
            }
        }
    }
    lines.push(Line::from(line));
    lines.into_iter().map(|l| fit(l, width)).collect()
}

fn wrap_indented(text: &str, width: usize, indent: usize) -> Vec<Line<'static>> {
    let inner = width.saturating_sub(indent).max(10);
    wrap_text(text, inner)
        .into_iter()
        .map(|l| Line::from(format!("{}{l}", " ".repeat(indent))))
        .map(|l| fit(l, width))
        .collect()
}

/// A line as text, with SGR styles when `ansi` (bold, dim, italic, underline, reverse only).
pub fn to_text(line: &Line<'_>, ansi: bool) -> String {
    let mut s = String::new();
    for span in &line.spans {
        let m = span.style.add_modifier;
        let mut codes = Vec::new();
        if ansi {
            for (flag, code) in [
                (Modifier::BOLD, "1"),
                (Modifier::DIM, "2"),
                (Modifier::ITALIC, "3"),
                (Modifier::UNDERLINED, "4"),
                (Modifier::REVERSED, "7"),
            ] {
                if m.contains(flag) {
                    codes.push(code);
                }
            }
        }
        let content = crate::sanitize::clean(&span.content).replace('\n', " ");
        if codes.is_empty() {
            s.push_str(&content);
        } else {
            s.push_str(&format!("\u{1b}[{}m{content}\u{1b}[0m", codes.join(";")));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_width_and_kinsoku() {
        let lines = wrap_text("中方宣布暂停与美国的气候谈判，以作为回应。", 10);
        assert!(lines.iter().all(|l| l.width() <= 10), "{lines:?}");
        assert!(
            lines.iter().all(|l| !l.starts_with(['，', '。'])),
            "{lines:?}"
        );
        assert_eq!(lines.concat(), "中方宣布暂停与美国的气候谈判，以作为回应。");
        assert_eq!(
            wrap_text("The climate talks were suspended in August", 12),
            ["The climate", "talks were", "suspended in", "August"]
        );
        assert_eq!(wrap_text("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_text("", 4), [""]);
    }

    #[test]
    fn terms_are_styled_across_wrapped_lines() {
        use crate::compare::{Mark, Presence};
        let text = "克里说8项反制措施";
        let marks = [
            Mark {
                range: 0.."克里".len(),
                term: 0,
                presence: Presence::Both,
            },
            Mark {
                range: text.find('8').unwrap()..text.len(),
                term: 1,
                presence: Presence::OnlyA,
            },
        ];
        let mut lines = vec![Line::from("克里说8项"), Line::from("反制措施")];
        mark_text_terms(&mut lines, text, &marks, &MarkStyles::default());
        let styled: Vec<(String, bool, bool)> = lines
            .iter()
            .flat_map(|l| l.spans.iter())
            .map(|s| {
                let m = s.style.add_modifier;
                (
                    s.content.to_string(),
                    m.contains(Modifier::UNDERLINED),
                    m.contains(Modifier::BOLD),
                )
            })
            .collect();
        assert_eq!(
            styled,
            [
                ("克里".to_string(), true, false),
                ("说".to_string(), false, false),
                ("8项".to_string(), false, true),
                ("反制措施".to_string(), false, true),
            ]
        );
    }

    #[test]
    fn ledger_items_break_between_items() {
        let items: Vec<String> = ["8项反制措施", "汪文斌", "《金融时报》", "8月17日"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let lines: Vec<String> = wrap_items("Only A (4):", &items, 40)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(
            lines,
            [
                "  Only A (4): 8项反制措施 · 汪文斌",
                "    《金融时报》 · 8月17日"
            ]
        );
    }

    #[test]
    fn styles_become_sgr_only_when_asked() {
        let line = Line::from(vec![
            Span::raw("a "),
            Span::styled("b", Style::new().add_modifier(Modifier::BOLD)),
        ]);
        assert_eq!(to_text(&line, false), "a b");
        assert_eq!(to_text(&line, true), "a \u{1b}[1mb\u{1b}[0m");
    }
}
