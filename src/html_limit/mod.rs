//! HTML bounds shared by every parse (the renderer, the comparison's paragraphs, the article's
//! images and links): [`bound`] applies both, before html5ever sees the page.
//!
//! Nesting depth: the `depth` module, which also holds the crate's one list of void elements
//! ([`is_void`]). Attributes per tag: the tokenizer checks every new attribute against the tag's earlier ones (to drop duplicates),
//! so one element with 100,000 attributes costs it ~5·10^9 comparisons (measured: 4.8 s in
//! `reader show`). No real page needs more than a few dozen attributes on one element: a linear
//! byte scan drops every attribute after the first [`MAX_ATTRIBUTES`] of a tag. Pages without
//! such a tag are passed through untouched (borrowed).

use std::borrow::Cow;

mod depth;

pub(crate) use depth::{escape_attribute, escape_text, is_void};

/// `html` with what the HTML tree builder cannot take in bounded linear time cut down:
/// attributes per tag ([`attributes`]) and nesting depth (links and images kept). Borrowed when
/// nothing needs bounding.
pub fn bound(html: &str) -> Cow<'_, str> {
    match attributes(html) {
        Cow::Borrowed(b) => depth::limit_depth(b),
        Cow::Owned(o) => Cow::Owned(depth::limit_depth(&o).into_owned()),
    }
}

/// Parses `html` (already [`bound`]) as a body fragment, like
/// [`scraper::Html::parse_fragment`], with room for its nodes from the start. A node tree grown
/// by doubling holds up to twice the nodes it needs, and both copies while it grows: the peak
/// of `reader show` on a report with a million links (issue #15). The estimate is one and a
/// half nodes per `<` (a start tag and an end tag per element, a text node between tags).
pub fn parse_fragment(html: &str) -> scraper::Html {
    use html5ever::tendril::TendrilSink;
    let tags = html.bytes().filter(|&b| b == b'<').count();
    let mut doc = scraper::Html::new_fragment();
    doc.tree = ego_tree::Tree::with_capacity(scraper::Node::Fragment, tags + tags / 2 + 16);
    html5ever::driver::parse_fragment(
        scraper::HtmlTreeSink::new(doc),
        Default::default(),
        html5ever::QualName::new(None, html5ever::ns!(html), html5ever::local_name!("body")),
        Vec::new(),
        false,
    )
    .one(html)
}

/// Attributes kept per tag.
pub const MAX_ATTRIBUTES: usize = 256;

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// `html` with the attributes after the first [`MAX_ATTRIBUTES`] of each tag left out.
pub fn attributes(html: &str) -> Cow<'_, str> {
    limit_attributes(html, MAX_ATTRIBUTES)
}

/// `html` with the attributes after the first `max` of each tag left out.
pub fn limit_attributes(html: &str, max: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let mut out: Option<String> = None;
    // Bytes before this index are in `out` (or unchanged, while `out` is `None`).
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        let lt = i + off;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            match find(bytes, lt + 4, b"-->") {
                Some(end) => {
                    i = end + 3;
                    continue;
                }
                None => break,
            }
        }
        let name_at = if rest.first() == Some(&b'/') {
            lt + 2
        } else {
            lt + 1
        };
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let mut k = name_at;
        while k < len && !is_space(bytes[k]) && bytes[k] != b'/' && bytes[k] != b'>' {
            k += 1;
        }
        let mut count = 0;
        let mut cut: Option<usize> = None;
        loop {
            while k < len && (is_space(bytes[k]) || bytes[k] == b'/') {
                k += 1;
            }
            if k >= len || bytes[k] == b'>' {
                break;
            }
            let attr_start = k;
            // The first character may be `=` (a parse error the tokenizer keeps in the name).
            k += 1;
            while k < len && !is_space(bytes[k]) && !matches!(bytes[k], b'/' | b'>' | b'=') {
                k += 1;
            }
            while k < len && is_space(bytes[k]) {
                k += 1;
            }
            if k < len && bytes[k] == b'=' {
                k += 1;
                while k < len && is_space(bytes[k]) {
                    k += 1;
                }
                match bytes.get(k) {
                    Some(&q @ (b'"' | b'\'')) => {
                        k = bytes[k + 1..]
                            .iter()
                            .position(|&b| b == q)
                            .map_or(len, |p| k + 1 + p + 1);
                    }
                    _ => {
                        while k < len && !is_space(bytes[k]) && bytes[k] != b'>' {
                            k += 1;
                        }
                    }
                }
            }
            count += 1;
            if count == max + 1 {
                cut = Some(attr_start);
            }
        }
        if let Some(cut) = cut {
            let o = out.get_or_insert_with(|| String::with_capacity(len));
            o.push_str(&html[copied..cut]);
            copied = k.min(len);
        }
        i = k.min(len);
        if i >= len {
            break;
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut o) => {
            o.push_str(&html[copied..]);
            Cow::Owned(o)
        }
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_within_the_bound_are_borrowed() {
        let html = "<p class=\"a\" id=b data-x='1 > 2'>x</p><!-- <p a b c> --><br/>";
        assert!(matches!(limit_attributes(html, 3), Cow::Borrowed(_)));
        assert!(matches!(limit_attributes(html, 2), Cow::Owned(_)));
    }

    #[test]
    fn attributes_after_the_bound_are_dropped() {
        assert_eq!(
            limit_attributes("<p a=1 b=\"2 >\" c='3' d>text</p><i x y z>", 2),
            "<p a=1 b=\"2 >\" >text</p><i x y >"
        );
        assert_eq!(limit_attributes("<p a b c", 1), "<p a ");
    }

    #[test]
    fn text_and_comments_are_kept() {
        assert_eq!(
            limit_attributes("a < b <!-- <p a b c> --> <p a b c>中文", 1),
            "a < b <!-- <p a b c> --> <p a >中文"
        );
    }
}
