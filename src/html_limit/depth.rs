//! Nesting limits applied before the HTML tree builder sees the page, for every parse (the
//! renderer, the comparison's paragraphs, the article's images and links).
//!
//! html5ever's tree builder scans the stack of open elements for many start tags ("is there a
//! `<p>` in button scope?"), so 100,000 nested `<div>`s cost it ~10^10 steps (measured: 21 s).
//! Browsers cap the tree depth for the same reason (Blink at 512). We do the same with html5ever's
//! own tokenizer (linear): start tags nested deeper than [`MAX_DEPTH`] are dropped together with
//! their end tags, so their content joins the element at the cap; the result is re-serialised and
//! parsed as usual. Pages that cannot be that deep (a byte scan says so) are passed through
//! untouched, so ordinary articles pay one cheap scan.
//!
//! Links survive the cap: an `<a>` below it keeps its start and end tags (a link cannot hold
//! another, so the tree builder closes the previous one and `<a>`s never build depth), and void
//! elements such as `<img>` never count. So a link and an image at the bottom of 100,000 nested
//! `<div>`s are still shown, numbered and listed.

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Deepest element nesting kept.
pub(crate) const MAX_DEPTH: usize = 256;

/// How far up the open-element stack an end tag is matched (bounded, so stray end tags stay cheap).
const END_TAG_WINDOW: usize = 64;

/// Elements that never have content (the one list of the crate).
pub(crate) fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "frame"
            | "image"
    )
}

/// Elements whose end tag is optional and which close their predecessor: they do not build
/// depth in real pages, so they are not counted (an unclosed `<li>` list is flat, not deep).
fn is_self_closing_sibling(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
    )
}

/// Returns `html` with nesting beyond [`MAX_DEPTH`] flattened (borrowed when nothing can be
/// that deep).
pub(crate) fn limit_depth(html: &str) -> Cow<'_, str> {
    if !may_be_deep(html, MAX_DEPTH) {
        return Cow::Borrowed(html);
    }
    Cow::Owned(flatten(html, MAX_DEPTH))
}

/// A cheap over-estimate of the nesting depth: counts start tags (void and optional-end elements
/// aside) minus end tags.
fn may_be_deep(html: &str, max: usize) -> bool {
    let b = html.as_bytes();
    let mut depth: isize = 0;
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        match b.get(i) {
            Some(b'/') => depth -= 1,
            Some(c) if c.is_ascii_alphabetic() => {
                let end = b[i..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .map_or(b.len(), |p| i + p);
                // Lower-case the name in a small buffer: no allocation per tag.
                let mut buf = [0u8; 16];
                let len = (end - i).min(buf.len());
                for (d, s) in buf.iter_mut().zip(&b[i..i + len]) {
                    *d = s.to_ascii_lowercase();
                }
                let name = std::str::from_utf8(&buf[..len]).unwrap_or("");
                if !is_void(name) && !is_self_closing_sibling(name) {
                    depth += 1;
                    if depth > max as isize {
                        return true;
                    }
                }
            }
            _ => {}
        }
    }
    false
}

struct State {
    out: String,
    /// Open counted elements: (name, emitted).
    stack: Vec<(String, bool)>,
    /// Inside a raw-text element we drop (`script`, `style`, …).
    dropping: bool,
    max: usize,
}

struct Sink(RefCell<State>);

/// Appends `s` as HTML text: `&`, `<` and `>` escaped.
pub(crate) fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// Appends `value` as a double-quoted attribute value's content: `&` and `"` escaped.
pub(crate) fn escape_attribute(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut st = self.0.borrow_mut();
        let st = &mut *st;
        match token {
            Token::CharacterTokens(t) => {
                if !st.dropping {
                    escape_text(&mut st.out, &t);
                }
            }
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                match tag.kind {
                    TagKind::StartTag => {
                        let raw = match name {
                            "script" => Some(RawKind::ScriptData),
                            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                                Some(RawKind::Rawtext)
                            }
                            "textarea" | "title" => Some(RawKind::Rcdata),
                            _ => None,
                        };
                        let counted = !is_void(name)
                            && !is_self_closing_sibling(name)
                            && !tag.self_closing
                            && raw.is_none();
                        let keep = !counted || st.stack.len() < st.max || name == "a";
                        if counted {
                            st.stack.push((name.to_string(), keep));
                        }
                        if keep && (raw.is_none() || name == "iframe") {
                            st.out.push('<');
                            st.out.push_str(name);
                            for a in &tag.attrs {
                                st.out.push(' ');
                                st.out.push_str(&a.name.local);
                                st.out.push_str("=\"");
                                escape_attribute(&mut st.out, &a.value);
                                st.out.push('"');
                            }
                            st.out.push('>');
                        }
                        if let Some(kind) = raw {
                            st.dropping = true;
                            return TokenSinkResult::RawData(kind);
                        }
                        if name == "plaintext" {
                            return TokenSinkResult::Plaintext;
                        }
                    }
                    TagKind::EndTag => {
                        if st.dropping {
                            // The tokenizer only leaves raw-text state at the matching end tag.
                            st.dropping = false;
                            if name == "iframe" {
                                st.out.push_str("</iframe>");
                            }
                            return TokenSinkResult::Continue;
                        }
                        let found = st
                            .stack
                            .iter()
                            .rev()
                            .take(END_TAG_WINDOW)
                            .position(|(n, _)| n == name);
                        match found {
                            Some(back) => {
                                let at = st.stack.len() - 1 - back;
                                let kept = st.stack[at].1;
                                st.stack.truncate(at);
                                if kept {
                                    st.out.push_str("</");
                                    st.out.push_str(name);
                                    st.out.push('>');
                                }
                            }
                            None if !is_void(name) && is_self_closing_sibling(name) => {
                                st.out.push_str("</");
                                st.out.push_str(name);
                                st.out.push('>');
                            }
                            None => {}
                        }
                    }
                }
            }
            Token::CommentToken(_)
            | Token::DoctypeToken(_)
            | Token::NullCharacterToken
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// Re-serialises `html` through the tokenizer, dropping tags nested deeper than `max`.
fn flatten(html: &str, max: usize) -> String {
    let sink = Sink(RefCell::new(State {
        out: String::with_capacity(html.len()),
        stack: Vec::new(),
        dropping: false,
        max,
    }));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.0.into_inner();
    state.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_borrowed() {
        let html = "<div><p>a<p>b<ul><li>x<li>y</ul><br><img src=a></div>".repeat(1000);
        assert!(matches!(limit_depth(&html), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_capped() {
        let html = format!("{}x{}", "<div>".repeat(1000), "</div>".repeat(1000));
        let out = limit_depth(&html);
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert!(out.contains('x'));
    }

    #[test]
    fn flattening_keeps_text_attributes_and_entities() {
        let out = flatten(
            "<div><a href=\"x?a=1&amp;b=&quot;\">&lt;t&gt;</a><script>if (a<b) {}</script>\
             <iframe src=\"https://y\"><p>no</p></iframe><style>p{}</style>z</div>",
            10,
        );
        assert_eq!(
            out,
            "<div><a href=\"x?a=1&amp;b=&quot;\">&lt;t&gt;</a><iframe src=\"https://y\"></iframe>z</div>"
        );
    }

    #[test]
    fn links_below_the_cap_are_kept() {
        let html = format!(
            "{}<a href=\"https://x.org/1\">鏈<b>接</b></a><img src=\"i.jpg\">{}",
            "<div><i>".repeat(1000),
            "</i></div>".repeat(1000)
        );
        let out = limit_depth(&html);
        assert_eq!(
            out.matches("<div>").count() + out.matches("<i>").count(),
            MAX_DEPTH
        );
        assert!(
            out.contains("<a href=\"https://x.org/1\">鏈接</a><img src=\"i.jpg\">"),
            "{out}"
        );
        let out = flatten("<b><i><a href=\"h\"><a href=\"g\">x</a></a></i></b>", 2);
        assert_eq!(out, "<b><i><a href=\"h\"><a href=\"g\">x</a></a></i></b>");
    }

    #[test]
    fn end_tags_of_dropped_elements_are_dropped() {
        let out = flatten("<b><i><u>x</u></i></b>y", 2);
        assert_eq!(out, "<b><i>x</i></b>y");
    }
}
