//! Article HTML to styled, wrapped, sanitised lines for a given width. Pure: no terminal I/O.
//!
//! Invariants every caller may rely on: no line is wider than the width in display columns
//! (CJK counts 2), and no span contains a control character or bidi override.
//!
//! The work is split in two so a resize is cheap: [`prepare`] reads the HTML once (scraper) into
//! blocks that no longer depend on the width; [`layout`] wraps those blocks for one width.
//! [`Cache`] keeps both per article. Running text is wrapped by our own wrapper (CJK may break
//! between any two characters, Latin at word boundaries, kinsoku for punctuation); lists, quotes
//! and tables are laid out by html2text's rich output and then passed through the same wrapper,
//! which is also where every character is checked against [`crate::sanitize::is_forbidden`].
//!
//! Width 0 gives no lines; at width 1 a CJK character cannot be shown and appears as U+FFFD.

use std::borrow::Cow;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use crate::article::{Article, Body};

pub mod ansi;
mod cache;
pub mod clean;
pub mod comparison;
pub mod links;
pub mod marks;
mod prepare;
mod structured;
pub mod wrap;

pub(crate) use crate::html_limit::bound as bound_html;

pub use cache::{Cache, CacheKey};
pub use prepare::{Prepared, prepare, prepare_with};

use prepare::BlockKind;
use wrap::{Mode, PLine, Piece, Tag, WrapOpts, Wrapper, mark};

/// What the renderer needs besides the HTML.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RenderOptions {
    /// Draw styles with colour; when false only modifiers (bold, underline, reverse) are used.
    pub color: bool,
    /// Styles to use instead of [`Palette::for_color`]`(color)`, e.g. from the TUI's theme.
    pub palette: Option<Palette>,
    /// [`render_article`] puts a line with outlet, author and publication time under the title
    /// (for `reader show`; the reader has a metadata pane instead).
    pub byline: bool,
    /// Leave out the `[n]` after each link (the Links section still lists them by number).
    pub hide_link_numbers: bool,
}

impl RenderOptions {
    /// Options with the built-in palette for `color`.
    pub fn new(color: bool) -> RenderOptions {
        RenderOptions {
            color,
            palette: None,
            byline: false,
            hide_link_numbers: false,
        }
    }

    /// The palette in effect.
    pub fn palette(&self) -> Palette {
        self.palette
            .unwrap_or_else(|| Palette::for_color(self.color))
    }
}

/// The styles of rendered text. Each applies on top of `text` (and of each other where kinds
/// combine, e.g. a link inside a heading).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Palette {
    /// Body text.
    pub text: Style,
    /// The article title.
    pub title: Style,
    /// The byline under the title (outlet · author · time).
    pub byline: Style,
    /// Headings in the body.
    pub heading: Style,
    /// `<strong>`, `<b>`.
    pub strong: Style,
    /// `<em>`, `<i>`.
    pub emphasis: Style,
    /// `<code>` and preformatted text.
    pub code: Style,
    /// `<s>`, `<del>`.
    pub strike: Style,
    /// Link text.
    pub link: Style,
    /// The `[n]` after a link.
    pub link_number: Style,
    /// Image placeholders with their captions.
    pub image: Style,
    /// Iframe, video and audio placeholders.
    pub embed: Style,
    /// The bar before quoted lines.
    pub quote: Style,
    /// Horizontal rules.
    pub rule: Style,
    /// The "Links" section heading.
    pub section: Style,
    /// URLs in the Links section.
    pub url: Style,
}

impl Palette {
    /// Colours plus modifiers, for terminals that show colour.
    pub fn colored() -> Palette {
        Palette {
            text: Style::new(),
            title: Style::new()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            byline: Style::new().fg(Color::Gray),
            heading: Style::new()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            strong: Style::new().add_modifier(Modifier::BOLD),
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            code: Style::new().fg(Color::LightGreen),
            strike: Style::new().add_modifier(Modifier::CROSSED_OUT),
            link: Style::new()
                .fg(Color::LightBlue)
                .add_modifier(Modifier::UNDERLINED),
            link_number: Style::new().fg(Color::DarkGray),
            image: Style::new()
                .fg(Color::Magenta)
                .add_modifier(Modifier::ITALIC),
            embed: Style::new()
                .fg(Color::Magenta)
                .add_modifier(Modifier::ITALIC),
            quote: Style::new().fg(Color::DarkGray),
            rule: Style::new().fg(Color::DarkGray),
            section: Style::new()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            url: Style::new().fg(Color::Blue),
        }
    }

    /// Modifiers only (bold, italic, underline, reverse, dim), for `--color never` / NO_COLOR.
    pub fn monochrome() -> Palette {
        Palette {
            text: Style::new(),
            title: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            byline: Style::new().add_modifier(Modifier::DIM),
            heading: Style::new().add_modifier(Modifier::BOLD),
            strong: Style::new().add_modifier(Modifier::BOLD),
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            code: Style::new().add_modifier(Modifier::DIM),
            strike: Style::new().add_modifier(Modifier::CROSSED_OUT),
            link: Style::new().add_modifier(Modifier::UNDERLINED),
            link_number: Style::new().add_modifier(Modifier::DIM),
            image: Style::new().add_modifier(Modifier::ITALIC | Modifier::DIM),
            embed: Style::new().add_modifier(Modifier::ITALIC | Modifier::DIM),
            quote: Style::new().add_modifier(Modifier::DIM),
            rule: Style::new().add_modifier(Modifier::DIM),
            section: Style::new().add_modifier(Modifier::BOLD),
            url: Style::new(),
        }
    }

    /// [`Palette::colored`] or [`Palette::monochrome`].
    pub fn for_color(color: bool) -> Palette {
        if color {
            Palette::colored()
        } else {
            Palette::monochrome()
        }
    }

    fn style(&self, tag: Tag) -> Style {
        let m = tag.marks;
        let mut s = self.text;
        let layers = [
            (mark::PRE | mark::CODE, self.code),
            (mark::STRONG, self.strong),
            (mark::EMPHASIS, self.emphasis),
            (mark::STRIKE, self.strike),
            (mark::QUOTE, self.quote),
            (mark::HEADING, self.heading),
            (mark::TITLE, self.title),
            (mark::BYLINE, self.byline),
            (mark::IMAGE, self.image),
            (mark::EMBED, self.embed),
            (mark::LINK, self.link),
            (mark::LINK_NUMBER, self.link_number),
            (mark::RULE, self.rule),
            (mark::SECTION, self.section),
            (mark::URL, self.url),
        ];
        for (bits, style) in layers {
            if m & bits != 0 {
                s = s.patch(style);
            }
        }
        s
    }
}

impl Default for Palette {
    fn default() -> Palette {
        Palette::monochrome()
    }
}

/// A link as numbered in the rendered text (`[1]`) and listed in the closing Links section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberedLink {
    /// The number shown after the link text, from 1.
    pub number: usize,
    /// The link text (one line, sanitised).
    pub text: String,
    /// The URL, percent-decoded for display and sanitised.
    pub url: String,
    /// The URL as written (sanitised, still percent-encoded): for opening it or for OSC 8.
    pub href: String,
}

/// Where a link's text (or its `[n]`) sits in the rendered lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkSpan {
    /// Index into [`Rendered::lines`].
    pub line: usize,
    /// Display columns within the line.
    pub columns: std::ops::Range<u16>,
    /// The link's number (see [`Rendered::links`]).
    pub number: usize,
}

/// The result of rendering: lines ready to draw, and the links they number.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// Styled lines, each at most `width` display columns.
    pub lines: Vec<Line<'static>>,
    /// The links, in the order of their numbers.
    pub links: Vec<NumberedLink>,
    /// Every piece of a line that belongs to a link, in line order (for OSC 8 and link focus).
    pub link_spans: Vec<LinkSpan>,
}

impl Rendered {
    /// The link with `number`, if any.
    pub fn link(&self, number: usize) -> Option<&NumberedLink> {
        number.checked_sub(1).and_then(|i| self.links.get(i))
    }
}

/// What goes above the body in [`render_article`].
struct Header<'a> {
    title: &'a str,
    /// A lead image that the body does not show itself.
    lead_image: Option<&'a str>,
    /// Index of a block that ends in the dateline, to be left out.
    dateline: Option<usize>,
    /// Outlet · author · time, when asked for.
    byline: Option<String>,
}

/// Renders a whole article: title heading, then the body, then the Links section.
pub fn render_article(
    article: &Article,
    body: &Body,
    width: u16,
    options: &RenderOptions,
) -> Rendered {
    let cleaner = clean::Cleaner::for_article(article, None);
    render_article_with(article, body, width, options, &cleaner)
}

/// [`render_article`] with the cleaning stage configured by the caller (learned furniture from
/// the library, or cleaning off for `reader show --no-clean`).
pub fn render_article_with(
    article: &Article,
    body: &Body,
    width: u16,
    options: &RenderOptions,
    cleaner: &clean::Cleaner,
) -> Rendered {
    let doc = prepare_with(&body.html, cleaner);
    layout_article(article, &doc, width, options)
}

/// Lays out an article whose body is already prepared (see [`Cache`]).
pub fn layout_article(
    article: &Article,
    doc: &Prepared,
    width: u16,
    options: &RenderOptions,
) -> Rendered {
    layout_article_doc(article, Cow::Borrowed(doc), width, options)
}

/// [`layout_article`] for a caller that is done with `doc`: each block is freed once laid out
/// and the links move into [`Rendered::links`], so a huge report's prepared body and its lines
/// are not both held whole (`reader show`).
pub fn layout_article_owned(
    article: &Article,
    doc: Prepared,
    width: u16,
    options: &RenderOptions,
) -> Rendered {
    layout_article_doc(article, Cow::Owned(doc), width, options)
}

fn layout_article_doc(
    article: &Article,
    doc: Cow<'_, Prepared>,
    width: u16,
    options: &RenderOptions,
) -> Rendered {
    let lead_image = article
        .image
        .as_deref()
        .filter(|img| !doc.image_srcs.iter().any(|s| same_image(s, img)));
    let title = crate::sanitize::clean_line(&article.title);
    let dateline = if article.published.is_some() {
        doc.blocks
            .iter()
            .take(3)
            .position(|b| dateline_cut(b).is_some())
    } else {
        None
    };
    let header = Header {
        title: &title,
        lead_image,
        dateline,
        byline: options.byline.then(|| byline(article)).flatten(),
    };
    layout(doc, Some(&header), true, width, options)
}

/// `德國之聲 · 乐然 · 2022-10-26 01:34 UTC`: what is known of outlet, author and publication time.
fn byline(article: &Article) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for s in [&article.outlet, &article.author].into_iter().flatten() {
        let s = crate::sanitize::clean_line(s);
        if !s.is_empty() && !parts.contains(&s) {
            parts.push(s);
        }
    }
    // A day-precision date (a bare date, a URL date) is shown as printed: no time is invented.
    if let Some(t) = article.list_time().filter(|t| !t.archived) {
        parts.push(match t.day {
            Some(_) => t.date_label(),
            None => t.utc.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        });
    }
    (!parts.is_empty()).then(|| parts.join(" \u{b7} "))
}

/// For a paragraph ending in a bare ISO 8601 instant on its own line (DW's
/// `<div><i>byline<br>2022-10-26T01:34:17.666Z</i></div>`), the byte length of the pieces' text
/// to keep. The metadata shows the date already, readably.
fn dateline_cut(b: &prepare::Block) -> Option<usize> {
    if b.kind != BlockKind::Paragraph {
        return None;
    }
    let text: String = b.pieces.iter().map(|p| p.text.as_str()).collect();
    let start = text.rfind('\n').map_or(0, |i| i + 1);
    let last = text[start..].trim();
    (!last.is_empty() && last.parse::<jiff::Timestamp>().is_ok()).then_some(start)
}

/// The pieces of `pieces` within the first `keep` bytes of their text.
fn truncate_pieces(pieces: &[Piece], keep: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = 0;
    for p in pieces {
        if at >= keep {
            break;
        }
        let take = (keep - at).min(p.text.len());
        out.push(Piece::new(&p.text[..take], p.tag));
        at += p.text.len();
    }
    out
}

/// Renders an HTML fragment (e.g. one paragraph in the comparison view) without title or Links
/// section. Links are still numbered, and listed in [`Rendered::links`].
pub fn render_html(html: &str, width: u16, options: &RenderOptions) -> Rendered {
    layout(Cow::Owned(prepare(html)), None, false, width, options)
}

/// Lays out a prepared fragment like [`render_html`].
pub fn layout_html(doc: &Prepared, width: u16, options: &RenderOptions) -> Rendered {
    layout(Cow::Borrowed(doc), None, false, width, options)
}

/// Two image URLs name the same picture: equal but for scheme and `www.`, or with the same file
/// name (an image proxy such as `images.weserv.nl/?url=…` in the body, the plain URL in the
/// metadata).
fn same_image(a: &str, b: &str) -> bool {
    if let (Some(x), Some(y)) = (links::file_name(a), links::file_name(b)) {
        if x == y {
            return true;
        }
    }
    fn norm(s: &str) -> &str {
        let s = s.trim();
        let s = s
            .strip_prefix("https:")
            .or_else(|| s.strip_prefix("http:"))
            .unwrap_or(s);
        let s = s.strip_prefix("//").unwrap_or(s);
        s.strip_prefix("www.").unwrap_or(s)
    }
    norm(a) == norm(b)
}

/// How many links the closing Links section lists; a report with more (a link farm, a hostile
/// file with a million links) gets a line saying how many more there are, so the section costs
/// a bounded number of lines. The text keeps every link's number, and [`Rendered::links`] all
/// of them.
pub const LINKS_LISTED: usize = 1000;

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Lays out `doc`; an owned one is consumed as it goes (see [`layout_article_owned`]).
fn layout(
    doc: Cow<'_, Prepared>,
    header: Option<&Header<'_>>,
    links_section: bool,
    width: u16,
    options: &RenderOptions,
) -> Rendered {
    let width = width as usize;
    let mut w = Wrapper::default();
    let mut out: Vec<PLine> = Vec::new();
    let mut block: Vec<PLine> = Vec::new();
    // Appends one block's lines: trimmed of blank lines, runs of blank lines kept to one, one
    // blank line before it. Trimmed in place, and the shorter of the two is moved into the
    // longer: a huge paragraph's lines are never held twice.
    let push_block = |out: &mut Vec<PLine>, block: &mut Vec<PLine>| {
        let start = block.iter().position(|l| !is_blank(l));
        let end = block.iter().rposition(|l| !is_blank(l));
        if let (Some(start), Some(end)) = (start, end) {
            block.truncate(end + 1);
            block.drain(..start);
            block.dedup_by(|line, kept| is_blank(line) && is_blank(kept));
            if !out.is_empty() {
                out.push(Vec::new());
            }
            if out.len() < block.len() {
                block.splice(0..0, out.drain(..));
                std::mem::swap(out, block);
            } else {
                out.append(block);
            }
        }
        block.clear();
        // A huge paragraph's lines were moved to `out`: its buffer need not stay beside them.
        block.shrink_to(256);
    };

    if let Some(h) = header {
        let title = [Piece::new(h.title, Tag::new(mark::TITLE))];
        w.wrap_into(&title, width, WrapOpts::PROSE, &mut block);
        if let Some(byline) = &h.byline {
            let pieces = [Piece::new(byline.as_str(), Tag::new(mark::BYLINE))];
            w.wrap_into(&pieces, width, WrapOpts::PROSE, &mut block);
        }
        push_block(&mut out, &mut block);
        if h.lead_image.is_some() {
            let pieces = [Piece::new("[Image]", Tag::new(mark::IMAGE))];
            w.wrap_into(&pieces, width, WrapOpts::PROSE, &mut block);
            push_block(&mut out, &mut block);
        }
    }

    let mut scratch: Vec<Piece> = Vec::new();
    let mut unnumbered: Vec<Piece> = Vec::new();
    let dateline = header.and_then(|h| h.dateline);
    let number = |(i, l): (usize, prepare::LinkInfo)| NumberedLink {
        number: i + 1,
        url: links::display_url(&l.href),
        text: l.text.into_string(),
        href: l.href.into_string(),
    };
    // An owned document gives up each block once it is laid out, and its links by move.
    let (blocks, links): (Box<dyn Iterator<Item = Cow<'_, prepare::Block>>>, Vec<_>) = match doc {
        Cow::Borrowed(d) => (
            Box::new(d.blocks.iter().map(Cow::Borrowed)),
            d.links.iter().cloned().enumerate().map(number).collect(),
        ),
        Cow::Owned(d) => (
            Box::new(d.blocks.into_iter().map(Cow::Owned)),
            d.links.into_iter().enumerate().map(number).collect(),
        ),
    };
    for (i, b) in blocks.enumerate() {
        let b = if options.hide_link_numbers {
            &without_link_numbers(&b, &mut unnumbered)
        } else {
            &*b
        };
        let opts = WrapOpts {
            center: b.center,
            ..WrapOpts::PROSE
        };
        match &b.kind {
            BlockKind::Paragraph if dateline == Some(i) => {
                let keep = dateline_cut(b).unwrap_or(usize::MAX);
                let pieces = truncate_pieces(&b.pieces, keep);
                w.wrap_into(&pieces, width, opts, &mut block)
            }
            BlockKind::Paragraph | BlockKind::Placeholder => {
                w.wrap_into(&b.pieces, width, opts, &mut block)
            }
            BlockKind::Heading(_) => {
                scratch.clear();
                scratch.extend(b.pieces.iter().map(|p| {
                    let mut p = p.clone();
                    p.tag.marks |= mark::HEADING;
                    p
                }));
                w.wrap_into(&scratch, width, opts, &mut block);
            }
            BlockKind::Rule => {
                if width > 0 {
                    let n = width.min(40);
                    let rule = [Piece::new("\u{2500}".repeat(n), Tag::new(mark::RULE))];
                    w.wrap_into(
                        &rule,
                        width,
                        WrapOpts {
                            center: true,
                            ..WrapOpts::PROSE
                        },
                        &mut block,
                    );
                }
            }
            BlockKind::Structured(html) => {
                if width > 0 {
                    structured::render(html, width, &mut w, &mut block);
                }
            }
        }
        push_block(&mut out, &mut block);
    }

    if links_section && !links.is_empty() {
        let heading = [Piece::new("Links", Tag::new(mark::SECTION))];
        w.wrap_into(&heading, width, WrapOpts::PROSE, &mut block);
        push_block(&mut out, &mut block);
        for l in links.iter().take(LINKS_LISTED) {
            let number = format!("[{}] ", l.number);
            let indent = number.len();
            let tag = Tag {
                marks: 0,
                link: l.number as u32,
            };
            let mut pieces = vec![Piece::new(
                number.trim_end(),
                Tag {
                    marks: mark::LINK_NUMBER,
                    ..tag
                },
            )];
            pieces.push(Piece::new(" ", tag));
            let text = if l.text.is_empty() { &l.url } else { &l.text };
            pieces.push(Piece::new(
                text.as_str(),
                Tag {
                    marks: mark::LINK,
                    ..tag
                },
            ));
            let hanging = WrapOpts {
                indent_first: 0,
                indent_rest: indent,
                center: false,
                mode: Mode::Prose,
            };
            w.wrap_into(&pieces, width, hanging, &mut out);
            let url = [Piece::new(
                l.url.as_str(),
                Tag {
                    marks: mark::URL,
                    ..tag
                },
            )];
            let url_opts = WrapOpts {
                indent_first: indent,
                indent_rest: indent,
                center: false,
                mode: Mode::Url,
            };
            w.wrap_into(&url, width, url_opts, &mut out);
        }
        if let Some(more) = links.len().checked_sub(LINKS_LISTED).filter(|&m| m > 0) {
            let text = format!("\u{2026} and {} more links (not listed)", thousands(more));
            let pieces = [Piece::new(text, Tag::new(mark::SECTION))];
            w.wrap_into(&pieces, width, WrapOpts::PROSE, &mut out);
        }
    }

    drop(block);
    finish(out, links, width, &options.palette())
}

/// `b` without its `[n]` link numbers (and the no-break space before each).
fn without_link_numbers(b: &prepare::Block, scratch: &mut Vec<Piece>) -> prepare::Block {
    scratch.clear();
    for p in &b.pieces {
        if p.tag.marks & mark::LINK_NUMBER != 0 {
            if let Some(last) = scratch.last_mut() {
                if last.text.ends_with('\u{a0}') {
                    last.text.pop();
                }
            }
            continue;
        }
        scratch.push(p.clone());
    }
    scratch.retain(|p| !p.text.is_empty());
    let kind = match &b.kind {
        BlockKind::Structured(html) => {
            static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
            let re = RE.get_or_init(|| {
                regex::Regex::new("\u{a0}?<a href=\"N\\d+\">\\[\\d+\\]</a>").expect("valid pattern")
            });
            BlockKind::Structured(re.replace_all(html, "").into_owned())
        }
        k => k.clone(),
    };
    prepare::Block {
        kind,
        center: b.center,
        pieces: std::mem::take(scratch),
    }
}

fn is_blank(line: &PLine) -> bool {
    line.iter().all(|p| p.text.trim().is_empty())
}

/// Display width of a piece of a line as [`unicode_width::UnicodeWidthStr`] gives it, without
/// its tables for the text most lines are made of: printable ASCII, CJK ideographs and the
/// characters of [`wrap::fast_width`] (which no width rule of a sequence involves).
fn text_width(s: &str) -> usize {
    let mut w = 0;
    for c in s.chars() {
        match c as u32 {
            0x20..=0x7e => w += 1,
            0x3400..=0x4dbf | 0x4e00..=0x9fff => w += 2,
            _ => match wrap::fast_width(c) {
                Some(n) => w += n as usize,
                None => return unicode_width::UnicodeWidthStr::width(s),
            },
        }
    }
    w
}

/// Turns tagged lines into styled ratatui lines and records where links are.
fn finish(
    plines: Vec<PLine>,
    links: Vec<NumberedLink>,
    width: usize,
    palette: &Palette,
) -> Rendered {
    let mut lines = Vec::with_capacity(plines.len());
    let mut link_spans: Vec<LinkSpan> = Vec::new();
    // Few distinct tags occur: remember their styles instead of patching 14 layers per piece.
    let mut styles: Vec<(Tag, Style)> = Vec::new();
    let mut style_of = |tag: Tag| match styles.iter().find(|(t, _)| *t == tag) {
        Some((_, s)) => *s,
        None => {
            let s = palette.style(tag);
            if styles.len() < 64 {
                styles.push((tag, s));
            }
            s
        }
    };
    for (i, pline) in plines.into_iter().enumerate() {
        let mut col = 0usize;
        let mut spans = Vec::with_capacity(pline.len());
        for piece in pline {
            let w = text_width(&piece.text);
            if col + w > width {
                // Unreachable by construction (the wrapper counts columns per character and
                // never underestimates); kept so the invariant holds even if it did.
                break;
            }
            if piece.tag.link > 0 && w > 0 {
                let number = piece.tag.link as usize;
                let range = col as u16..(col + w) as u16;
                match link_spans.last_mut() {
                    Some(s)
                        if s.line == i && s.number == number && s.columns.end == range.start =>
                    {
                        s.columns.end = range.end;
                    }
                    _ => link_spans.push(LinkSpan {
                        line: i,
                        columns: range,
                        number,
                    }),
                }
            }
            col += w;
            spans.push(Span::styled(piece.text.into_string(), style_of(piece.tag)));
        }
        lines.push(Line::from(spans));
    }
    Rendered {
        lines,
        links,
        link_spans,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(r: &Rendered) -> Vec<String> {
        r.lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn paragraphs_are_separated_by_one_blank_line() {
        let r = render_html(
            "<p>一</p><p></p><div><p>二</p></div>",
            20,
            &RenderOptions::default(),
        );
        assert_eq!(text(&r), ["一", "", "二"]);
    }

    #[test]
    fn the_links_section_lists_a_bounded_number_of_links() {
        let n = LINKS_LISTED + 1234;
        let html: String = (1..=n)
            .map(|i| format!("<a href=\"https://e.org/{i}\">{i}</a> "))
            .collect();
        let r = layout(
            Cow::Owned(prepare(&html)),
            None,
            true,
            80,
            &RenderOptions::default(),
        );
        let lines = text(&r);
        assert_eq!(r.links.len(), n, "every link keeps its number");
        assert!(
            lines.iter().any(|l| l.contains(&format!("{n}\u{a0}[{n}]"))),
            "{:?}",
            &lines[..3]
        );
        let listed = lines.iter().filter(|l| l.starts_with('[')).count();
        assert_eq!(listed, LINKS_LISTED);
        assert!(lines.contains(&format!("[{LINKS_LISTED}] {LINKS_LISTED}")));
        assert_eq!(
            lines.last().map(String::as_str),
            Some("\u{2026} and 1,234 more links (not listed)")
        );
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn link_numbers_and_spans() {
        let r = render_html(
            "<p>宣布<a href=\"https://g.cn/%E5%8F%8D\">8项反制措施</a>，其中</p>",
            80,
            &RenderOptions::default(),
        );
        assert_eq!(text(&r), ["宣布8项反制措施[1]，其中"]);
        assert_eq!(r.links[0].url, "https://g.cn/反");
        assert_eq!(r.links[0].href, "https://g.cn/%E5%8F%8D");
        assert_eq!(r.links[0].text, "8项反制措施");
        assert_eq!(
            r.link_spans,
            [LinkSpan {
                line: 0,
                columns: 4..18,
                number: 1
            }]
        );
    }

    #[test]
    fn monochrome_uses_modifiers_only() {
        let r = render_html(
            "<h2>H</h2><p><a href='u'>l</a></p>",
            20,
            &RenderOptions::new(false),
        );
        for line in &r.lines {
            for span in &line.spans {
                assert_eq!(span.style.fg, None);
                assert_eq!(span.style.bg, None);
            }
        }
        assert!(
            r.lines[0].spans[0]
                .style
                .add_modifier
                .contains(Modifier::BOLD)
        );
        assert!(
            r.lines[2].spans[0]
                .style
                .add_modifier
                .contains(Modifier::UNDERLINED)
        );
    }

    #[test]
    fn text_width_agrees_with_unicode_width() {
        for s in [
            "",
            "abc 1",
            "克里說",
            "a克b",
            "“克”",
            "👨\u{200d}👩",
            "e\u{301}",
            "\u{a0}x",
        ] {
            assert_eq!(
                text_width(s),
                unicode_width::UnicodeWidthStr::width(s),
                "{s:?}"
            );
        }
    }

    #[test]
    fn rules_are_centred_lines() {
        let r = render_html("<p>a</p><hr><p>b</p>", 10, &RenderOptions::default());
        assert_eq!(text(&r), ["a", "", "──────────", "", "b"]);
    }

    #[test]
    fn same_image_ignores_scheme_and_www() {
        assert!(same_image("https://www.a.cn/x.jpg", "http://a.cn/x.jpg"));
        assert!(!same_image("https://a.cn/x.jpg", "https://a.cn/y.jpg"));
        assert!(same_image(
            "https://images.weserv.nl/?url=static.dw.com/image/62527817_303.jpg",
            "https://static.dw.com/image/62527817_303.jpg"
        ));
    }
}
