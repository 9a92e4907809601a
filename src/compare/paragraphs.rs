//! Body HTML to paragraphs: the units the comparison aligns.
//!
//! A paragraph is the content between block boundaries (`p`, `div`, headings, list items, table
//! cells, …). A block with no block inside keeps its own outer HTML, so the renderer still sees
//! `<p align="center">` or `<h2>`; loose inline content between blocks becomes a paragraph of its
//! own. Paragraphs without visible text (images only, U+00A0 only) are skipped. The walk is
//! iterative, so hostile nesting cannot overflow the stack.

use ego_tree::iter::Edge;
use scraper::Node;

/// One paragraph of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawParagraph {
    /// HTML of the paragraph, ready for [`crate::render::render_html`].
    pub html: String,
    /// Visible text: sanitised, white space folded to single spaces, trimmed.
    pub text: String,
    /// A heading: `h1`–`h6`, or a short paragraph that is bold throughout.
    pub heading: bool,
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "figure"
            | "figcaption"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "main"
            | "hr"
            | "address"
            | "center"
            | "details"
            | "summary"
            | "form"
            | "fieldset"
            | "body"
            | "html"
    )
}

fn is_skipped(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "select"
            | "button"
            | "textarea"
    )
}

fn is_bold(tag: &str) -> bool {
    matches!(
        tag,
        "strong" | "b" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    )
}

#[derive(Default)]
struct Segment {
    text: String,
    /// HTML of the segment's top-level inline nodes, for segments that are not a whole block.
    html: String,
    bold_chars: usize,
    chars: usize,
    heading_tag: bool,
}

/// Splits body HTML into paragraphs, in document order.
///
/// Linear in the input: the HTML of each paragraph is written during the one walk (never by
/// serialising a subtree per node, which costs the nesting depth times the size), nesting and
/// attribute counts are bounded before the tree builder sees the page, and text is escaped here
/// (html5ever's serialiser rescans the rest of a text node for every U+00A0).
pub fn paragraphs(html: &str) -> Vec<RawParagraph> {
    let doc = crate::html_limit::parse_fragment(&crate::render::bound_html(html));
    let mut out = Vec::new();
    let mut seg = Segment::default();
    // Each boundary bumps the counter, so a block can tell whether it was split by another.
    let mut boundary: u64 = 0;
    // Open blocks: (boundary count at open, the block's start tag). Skip depth as a counter.
    let mut blocks: Vec<(u64, String)> = Vec::new();
    let mut skip_depth = 0usize;
    let mut bold_depth = 0usize;

    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let tag = el.name();
                    if skip_depth > 0 || is_skipped(tag) {
                        skip_depth += 1;
                        continue;
                    }
                    if is_block(tag) {
                        flush(&mut seg, None, &mut out);
                        boundary += 1;
                        let mut start = String::new();
                        push_start_tag(&mut start, el);
                        blocks.push((boundary, start));
                        seg.heading_tag = matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                    } else {
                        push_start_tag(&mut seg.html, el);
                        if tag == "br" {
                            seg.text.push(' ');
                        }
                    }
                    if is_bold(tag) {
                        bold_depth += 1;
                    }
                }
                Node::Text(t) => {
                    if skip_depth > 0 {
                        continue;
                    }
                    push_escaped(&mut seg.html, t);
                    let n = t.chars().filter(|c| !c.is_whitespace()).count();
                    seg.chars += n;
                    if bold_depth > 0 {
                        seg.bold_chars += n;
                    }
                    seg.text.push_str(t);
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Node::Element(el) = node.value() else {
                    continue;
                };
                let tag = el.name();
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                if is_bold(tag) {
                    bold_depth = bold_depth.saturating_sub(1);
                }
                if is_block(tag) {
                    let (opened, start) = blocks.pop().unwrap_or_default();
                    // Unsplit block: the segment is the whole block, so keep its own markup.
                    let whole = (opened == boundary).then(|| {
                        // Sized once: grown from the start tag, a 16 MB paragraph's copy
                        // doubled to 32 MB (issue #15).
                        let mut html =
                            String::with_capacity(start.len() + seg.html.len() + tag.len() + 3);
                        html.push_str(&start);
                        html.push_str(&seg.html);
                        push_end_tag(&mut html, tag);
                        html
                    });
                    flush(&mut seg, whole, &mut out);
                    boundary += 1;
                } else {
                    push_end_tag(&mut seg.html, tag);
                }
            }
        }
    }
    flush(&mut seg, None, &mut out);
    out
}

fn flush(seg: &mut Segment, whole_html: Option<String>, out: &mut Vec<RawParagraph>) {
    let s = std::mem::take(seg);
    let text =
        crate::sanitize::clean_line(&s.text.replace(['\u{a0}', '\u{3000}', '\u{200b}'], " "));
    if text.is_empty() {
        return;
    }
    let heading = s.heading_tag || (s.bold_chars == s.chars && s.chars <= 40);
    let mut html = whole_html.unwrap_or(s.html);
    // Kept for the whole comparison: without the room growing by doubling left (up to 2x).
    html.shrink_to_fit();
    let mut text = text;
    text.shrink_to_fit();
    out.push(RawParagraph {
        html,
        text,
        heading,
    });
}

/// `<tag attr="value" …>`, values escaped.
fn push_start_tag(out: &mut String, el: &scraper::node::Element) {
    out.push('<');
    out.push_str(el.name());
    for (name, value) in el.attrs() {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        crate::html_limit::escape_attribute(out, value);
        out.push('"');
    }
    out.push('>');
}

/// `</tag>`, nothing for void elements.
fn push_end_tag(out: &mut String, tag: &str) {
    if !crate::html_limit::is_void(tag) {
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }
}

fn push_escaped(out: &mut String, text: &str) {
    crate::html_limit::escape_text(out, text);
}

/// True for a dateline: a paragraph that is only an ISO 8601 instant, possibly after a short
/// byline (德國之聲 style `<div><i>乐然（综合报道）<br>2022-10-26T01:34:17.666Z</i></div>`).
pub fn is_dateline(text: &str) -> bool {
    let Some(last) = text.split_whitespace().last() else {
        return false;
    };
    let rest = text[..text.len() - last.len()].trim();
    rest.chars().count() <= 40 && last.parse::<jiff::Timestamp>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<String> {
        paragraphs(html).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn blocks_become_paragraphs_and_empty_ones_are_skipped() {
        let html = "<div>\n<img src=x.jpg>\n<p>\n第一段。\n</p><p>&nbsp;</p><p>\u{a0} </p>\
                    <p align=\"center\"><img src=y.png></p><p>第二段<a href=\"u\">链接</a>。</p></div>";
        assert_eq!(texts(html), ["第一段。", "第二段链接。"]);
        let ps = paragraphs(html);
        assert_eq!(ps[1].html, "<p>第二段<a href=\"u\">链接</a>。</p>");
        assert!(!ps[0].heading);
    }

    #[test]
    fn bold_paragraphs_are_headings() {
        let ps = paragraphs(
            "<p><strong>北京態度成關鍵</strong></p><p>正文<strong>重点</strong></p><h2>Title</h2>",
        );
        assert_eq!(
            ps.iter().map(|p| p.heading).collect::<Vec<_>>(),
            [true, false, true]
        );
        assert_eq!(ps[0].html, "<p><strong>北京態度成關鍵</strong></p>");
    }

    #[test]
    fn loose_inline_content_between_blocks_is_a_paragraph() {
        let ps = paragraphs("<div>Lead <b>bold</b> text<p>Inner.</p>tail &amp; end</div>");
        assert_eq!(
            ps.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
            ["Lead bold text", "Inner.", "tail & end"]
        );
        assert_eq!(ps[0].html, "Lead <b>bold</b> text");
        assert_eq!(ps[2].html, "tail &amp; end");
    }

    #[test]
    fn scripts_and_styles_are_dropped_and_controls_cleaned() {
        assert_eq!(
            texts("<p>a<script>evil()</script>b</p><style>p{}</style><p>c\u{1b}[31md</p>"),
            ["ab", "cd"]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!("{}text{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        assert_eq!(texts(&html), ["text"]);
    }

    #[test]
    fn datelines_are_recognised() {
        assert!(is_dateline("2022-10-26T01:34:17.666Z"));
        assert!(is_dateline("乐然（综合报道） 2022-10-26T01:34:17.666Z"));
        assert!(!is_dateline(
            "克里在2022-10-26T01:34:17Z前后发表了很长的讲话，内容涉及气候变化谈判与各国的承诺和行动计划等等等等"
        ));
        assert!(!is_dateline("Hello"));
    }
}
