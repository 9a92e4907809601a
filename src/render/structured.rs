//! Lists, quotes, tables and preformatted text, laid out by html2text.
//!
//! The HTML comes from [`super::prepare`]: clean, depth-capped, with U+200B between CJK
//! characters where a line may break, and with markers instead of URLs (`href="L3"` is the text of
//! link 3, `href="N3"` its `[3]`, `<img src="i">` an image placeholder, `src="e"` an embed), so
//! nothing html2text passes through unfiltered can come from the page. Its lines are then split
//! again by the wrapper in [`Mode::Pre`], which sanitises every character and guarantees the width
//! whatever html2text did at narrow widths.

use html2text::render::{TaggedLineElement, TextDecorator};

use super::wrap::{Mode, PLine, Piece, Tag, WrapOpts, Wrapper, mark};

/// What html2text reports about a span, in our terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Ann {
    #[default]
    Plain,
    Link(u32),
    Number(u32),
    Image,
    Embed,
    Strong,
    Emphasis,
    Strike,
    Code,
    Pre,
}

#[derive(Clone, Copy)]
struct Decorator;

impl TextDecorator for Decorator {
    type Annotation = Ann;

    fn decorate_link_start(&mut self, url: &str) -> (String, Ann) {
        let number = |s: &str| s.parse::<u32>().unwrap_or(0);
        let ann = match url.split_at_checked(1) {
            Some(("L", n)) => Ann::Link(number(n)),
            Some(("N", n)) => Ann::Number(number(n)),
            _ => Ann::Plain,
        };
        (String::new(), ann)
    }
    fn decorate_link_end(&mut self) -> String {
        String::new()
    }
    fn decorate_em_start(&self) -> (String, Ann) {
        (String::new(), Ann::Emphasis)
    }
    fn decorate_em_end(&self) -> String {
        String::new()
    }
    fn decorate_strong_start(&self) -> (String, Ann) {
        (String::new(), Ann::Strong)
    }
    fn decorate_strong_end(&self) -> String {
        String::new()
    }
    fn decorate_strikeout_start(&self) -> (String, Ann) {
        (String::new(), Ann::Strike)
    }
    fn decorate_strikeout_end(&self) -> String {
        String::new()
    }
    fn decorate_code_start(&self) -> (String, Ann) {
        (String::new(), Ann::Code)
    }
    fn decorate_code_end(&self) -> String {
        String::new()
    }
    fn decorate_preformat_first(&self) -> Ann {
        Ann::Pre
    }
    fn decorate_preformat_cont(&self) -> Ann {
        Ann::Pre
    }
    fn decorate_image(&mut self, src: &str, title: &str) -> (String, Ann) {
        let ann = if src == "e" { Ann::Embed } else { Ann::Image };
        (title.to_string(), ann)
    }
    fn header_prefix(&self, _level: usize) -> String {
        // prepare.rs never emits headings here.
        String::new()
    }
    fn quote_prefix(&self) -> String {
        // ASCII: html2text asserts that the prefix's bytes equal its columns. Shown as `│ `.
        "| ".to_string()
    }
    fn unordered_item_prefix(&self) -> String {
        // ASCII, so the continuation indent (prefix bytes) matches the columns.
        "- ".to_string()
    }
    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }
    fn make_subblock_decorator(&self) -> Self {
        *self
    }
    fn decorate_superscript_start(&self) -> (String, Ann) {
        (String::new(), Ann::Plain)
    }
    fn decorate_superscript_end(&self) -> String {
        String::new()
    }
    fn finalise(&mut self, _urls: Vec<String>) -> Vec<html2text::render::TaggedLine<Ann>> {
        Vec::new()
    }
}

fn tag_of(anns: &[Ann]) -> Tag {
    let mut tag = Tag::default();
    for a in anns {
        match *a {
            Ann::Plain => {}
            Ann::Link(n) => {
                tag.marks |= mark::LINK;
                tag.link = n;
            }
            Ann::Number(n) => {
                tag.marks |= mark::LINK_NUMBER;
                tag.link = n;
            }
            Ann::Image => tag.marks |= mark::IMAGE,
            Ann::Embed => tag.marks |= mark::EMBED,
            Ann::Strong => tag.marks |= mark::STRONG,
            Ann::Emphasis => tag.marks |= mark::EMPHASIS,
            Ann::Strike => tag.marks |= mark::STRIKE,
            Ann::Code => tag.marks |= mark::CODE,
            Ann::Pre => tag.marks |= mark::PRE,
        }
    }
    tag
}

/// Lays out one structured block at `width`, appending its lines to `out`.
pub(crate) fn render(html: &str, width: usize, wrapper: &mut Wrapper, out: &mut Vec<PLine>) {
    let config = || {
        html2text::config::with_decorator(Decorator)
            .allow_width_overflow()
            .unicode_strikeout(false)
    };
    let lines = match config().lines_from_read(html.as_bytes(), width.max(1)) {
        Ok(lines) => lines,
        // html2text refuses some layouts at tiny widths; lay out wider and split below.
        Err(_) => match config().lines_from_read(html.as_bytes(), width.max(40)) {
            Ok(lines) => lines,
            Err(_) => return,
        },
    };
    let opts = WrapOpts {
        mode: Mode::Pre,
        ..WrapOpts::PROSE
    };
    let mut pieces: Vec<Piece> = Vec::new();
    let quotes = html.contains("<blockquote>");
    for line in lines {
        pieces.clear();
        for element in line.iter() {
            if let TaggedLineElement::Str(ts) = element {
                let tag = tag_of(&ts.tag);
                match pieces.last_mut() {
                    Some(p) if p.tag == tag => p.text.push_str(&ts.s),
                    _ => pieces.push(Piece::new(ts.s.as_str(), tag)),
                }
            }
        }
        if quotes {
            mark_quote_bars(&mut pieces);
        }
        if pieces.iter().all(|p| p.text.trim().is_empty()) {
            out.push(Vec::new());
            continue;
        }
        wrapper.wrap_into(&pieces, width, opts, out);
    }
}

/// Turns the leading `| ` prefixes html2text puts on quoted lines into styled `│ ` bars.
fn mark_quote_bars(pieces: &mut Vec<Piece>) {
    let Some(first) = pieces.first() else { return };
    if first.tag != Tag::default() || !first.text.starts_with("| ") {
        return;
    }
    let mut bars = 0;
    while first.text[bars..].starts_with("| ") {
        bars += 2;
    }
    let rest = first.text[bars..].to_string();
    let prefix = first.text[..bars].replace('|', "\u{2502}");
    pieces[0] = Piece::new(prefix, Tag::new(mark::QUOTE));
    if !rest.is_empty() {
        pieces.insert(1, Piece::new(rest, Tag::default()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(html: &str, width: usize) -> Vec<String> {
        let mut out = Vec::new();
        render(html, width, &mut Wrapper::default(), &mut out);
        out.iter()
            .map(|l| l.iter().map(|p| p.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn lists_and_quotes() {
        assert_eq!(
            lines("<ul><li>one</li><li>two</li></ul>", 20),
            ["- one", "- two"]
        );
        assert_eq!(lines("<ol><li>a</li><li>b</li></ol>", 20), ["1. a", "2. b"]);
        assert_eq!(
            lines(
                "<blockquote><p>中\u{200b}文\u{200b}句\u{200b}子</p></blockquote>",
                8
            ),
            ["\u{2502} 中文句", "\u{2502} 子"]
        );
    }

    #[test]
    fn link_markers_become_tags() {
        let mut out = Vec::new();
        render(
            "<ul><li><a href=\"L2\">x</a><a href=\"N2\">[2]</a></li></ul>",
            20,
            &mut Wrapper::default(),
            &mut out,
        );
        assert_eq!(
            out[0][1],
            Piece::new(
                "x",
                Tag {
                    marks: mark::LINK,
                    link: 2
                }
            )
        );
        assert_eq!(
            out[0][2],
            Piece::new(
                "[2]",
                Tag {
                    marks: mark::LINK_NUMBER,
                    link: 2
                }
            )
        );
    }

    #[test]
    fn tiny_widths_never_overflow() {
        for width in 1..8 {
            for l in lines(
                "<ul><li><ul><li><blockquote>長長的句子 words</blockquote></li></ul></li></ul>",
                width,
            ) {
                assert!(
                    unicode_width::UnicodeWidthStr::width(l.as_str()) <= width,
                    "{l:?} at {width}"
                );
            }
        }
    }
}
