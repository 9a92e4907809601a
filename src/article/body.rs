//! The full body pass, run only when an article is opened: the HTML tree (scraper) gives the
//! images with their captions and the links; [`super::scan::text_stats`] gives the counts.
//!
//! Captions: a `<figure>`'s `<figcaption>`; else the element right after the image (or after the
//! wrapper that holds nothing but the image) when all its text sits in caption-style markup —
//! `<small>`, a styled `<span>`, `<em>`/`<i>`, or a class naming a caption — which is how both
//! seeds' generators write them; else the `title`, else the `alt` attribute.

use std::borrow::Cow;

use scraper::{ElementRef, Html, Node, Selector};

use super::scan;
use super::{Body, Format, Image, Link};
use crate::sanitize::{clean, clean_line};

/// Longest text (in characters) still taken for a caption.
const MAX_CAPTION_CHARS: usize = 400;

/// Parses a body of the given format into [`Body`].
pub fn parse_body(format: Format, src: &str) -> Body {
    let html = to_html(format, src);
    let stats = scan::text_stats(&html);
    // Bounded like every parse (attributes, nesting depth; links and images kept), so a
    // pathologically deep body is linear too.
    let doc = crate::html_limit::parse_fragment(&crate::html_limit::bound(&html));
    let (images, links) = (images(&doc), links(&doc));
    Body {
        images,
        links,
        chars: stats.chars,
        words: stats.words,
        reading_minutes: stats.reading_minutes(),
        html: clean(&html).into_owned(),
    }
}

/// The body as HTML: HTML as is (borrowed); Markdown and plain text converted.
pub fn to_html(format: Format, src: &str) -> Cow<'_, str> {
    match format {
        Format::Html | Format::LinkHeader => Cow::Borrowed(src),
        Format::FrontMatter if super::detect::looks_like_html(src) || src.trim().is_empty() => {
            Cow::Borrowed(src)
        }
        Format::FrontMatter | Format::Markdown => Cow::Owned(super::markdown::to_html(src)),
        Format::Text => Cow::Owned(super::markdown::text_to_html(src)),
    }
}

/// The image's address: `src`, unless it is empty or an inline `data:` placeholder of a
/// lazy-loading page and `data-src` holds the real one.
pub fn image_source(src: Option<String>, data_src: Option<String>) -> Option<String> {
    let usable = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .is_some_and(|s| !s.is_empty() && !s.starts_with("data:"))
    };
    let chosen = if usable(&src) || !usable(&data_src) {
        src
    } else {
        data_src
    };
    chosen.map(|s| clean_line(&s)).filter(|s| !s.is_empty())
}

fn images(doc: &Html) -> Vec<Image> {
    let sel = Selector::parse("img").expect("static selector");
    doc.select(&sel)
        .filter_map(|img| {
            let el = img.value();
            let src = image_source(
                el.attr("src").map(str::to_string),
                el.attr("data-src").map(str::to_string),
            )?;
            let caption = figure_caption(img)
                .or_else(|| sibling_caption(img))
                .or_else(|| el.attr("title").map(clean_line).filter(|s| !s.is_empty()))
                .or_else(|| el.attr("alt").map(clean_line).filter(|s| !s.is_empty()));
            Some(Image { src, caption })
        })
        .collect()
}

fn figure_caption(img: ElementRef<'_>) -> Option<String> {
    let figure = img
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "figure")?;
    let sel = Selector::parse("figcaption").expect("static selector");
    let cap = figure.select(&sel).next()?;
    non_empty(text_of(cap))
}

fn sibling_caption(img: ElementRef<'_>) -> Option<String> {
    // Climb out of wrappers that hold only the image (`<p><img></p>`, `<a><img></a>`).
    let mut anchor = *img;
    while let Some(parent) = anchor.parent().and_then(ElementRef::wrap) {
        let holds_only_anchor = parent.children().all(|n| {
            n == anchor
                || match n.value() {
                    Node::Text(t) => t.trim().is_empty(),
                    Node::Element(e) => e.name() == "br",
                    _ => true,
                }
        });
        if matches!(parent.value().name(), "html" | "body") || !holds_only_anchor {
            break;
        }
        anchor = *parent;
    }
    let next = anchor.next_siblings().find(|n| match n.value() {
        Node::Text(t) => !t.trim().is_empty(),
        Node::Element(_) => true,
        _ => false,
    })?;
    let next = ElementRef::wrap(next)?;
    if !is_caption_like(next) {
        return None;
    }
    let text = non_empty(text_of(next))?;
    (text.chars().count() <= MAX_CAPTION_CHARS).then_some(text)
}

fn is_caption_like(el: ElementRef<'_>) -> bool {
    let v = el.value();
    let class_says = |e: &scraper::node::Element| {
        e.attr("class").is_some_and(|c| {
            let c = c.to_ascii_lowercase();
            c.contains("caption") || c.contains("credit")
        })
    };
    if matches!(v.name(), "figcaption" | "small") || class_says(v) {
        return true;
    }
    if !matches!(v.name(), "p" | "div" | "span" | "center") {
        return false;
    }
    // Every non-blank text node must sit inside caption-style markup below `el`.
    let mut any = false;
    for node in el.descendants() {
        let Node::Text(t) = node.value() else {
            continue;
        };
        if t.trim().is_empty() {
            continue;
        }
        any = true;
        let styled = node
            .ancestors()
            .take_while(|a| a.id() != el.id())
            .filter_map(ElementRef::wrap)
            .any(|a| {
                let e = a.value();
                matches!(e.name(), "small" | "em" | "i" | "figcaption")
                    || (e.name() == "span" && e.attr("style").is_some())
                    || class_says(e)
            });
        if !styled {
            return false;
        }
    }
    any
}

fn links(doc: &Html) -> Vec<Link> {
    let sel = Selector::parse("a[href]").expect("static selector");
    doc.select(&sel)
        .filter_map(|a| {
            let url = clean_line(a.value().attr("href")?);
            if url.is_empty() {
                return None;
            }
            Some(Link {
                text: text_of(a),
                url,
            })
        })
        .collect()
}

fn text_of(el: ElementRef<'_>) -> String {
    clean_line(&el.text().collect::<String>())
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dw_style_caption_after_image() {
        let b = parse_body(
            Format::LinkHeader,
            r#"<img src="a.jpg" width="100%"><div><small style="color: #999;">圖說 一</small></div><p>正文</p>"#,
        );
        assert_eq!(
            b.images,
            vec![Image {
                src: "a.jpg".into(),
                caption: Some("圖說 一".into())
            }]
        );
    }

    #[test]
    fn guancha_style_caption_in_next_centered_paragraph() {
        let b = parse_body(
            Format::Html,
            "<p align=\"center\">\n<img src=\"b.png\" title=\"点击查看大图\" alt=\"点击查看大图\"> \n</p>\n<p align=\"center\">\n<span style=\"color:#666666;\">“甲”</span><span style=\"color:#666666;\">\u{a0}\u{a0} 乙</span> \n</p>",
        );
        assert_eq!(b.images[0].caption.as_deref(), Some("“甲” 乙"));
    }

    #[test]
    fn plain_paragraph_after_image_is_not_a_caption() {
        let b = parse_body(
            Format::Html,
            "<div><img src=\"h.jpg\"><p>正文第一段</p></div>",
        );
        assert_eq!(b.images[0].caption, None);
        let b = parse_body(
            Format::Html,
            "<img src=\"h.jpg\" alt=\"alt text\"><p>body</p>",
        );
        assert_eq!(b.images[0].caption.as_deref(), Some("alt text"));
    }

    #[test]
    fn lazy_images_use_data_src() {
        let html = "<img src=\"data:image/gif;base64,R0lGOD\" data-src=\"real.jpg\"><img data-src=\"b.jpg\"><img src=\"data:x\">";
        let b = parse_body(Format::Html, html);
        let srcs: Vec<&str> = b.images.iter().map(|i| i.src.as_str()).collect();
        assert_eq!(srcs, ["real.jpg", "b.jpg", "data:x"]);
    }

    #[test]
    fn figure_caption_wins() {
        let b = parse_body(
            Format::Html,
            "<figure><img src=\"f.jpg\" title=\"t\"><figcaption>The <b>caption</b></figcaption></figure>",
        );
        assert_eq!(b.images[0].caption.as_deref(), Some("The caption"));
    }

    #[test]
    fn links_text_and_counts() {
        let b = parse_body(
            Format::Html,
            "<p>见<a href=\"https://x.org/a\" target=\"_blank\">8项\n措施</a> and <a href=\"\">no</a></p>",
        );
        assert_eq!(
            b.links,
            vec![Link {
                text: "8项 措施".into(),
                url: "https://x.org/a".into()
            }]
        );
        assert_eq!(b.chars, 10);
        assert_eq!(b.words, 3);
        assert_eq!(b.reading_minutes, 1);
    }

    #[test]
    fn very_deep_bodies_keep_links_and_images() {
        let html = format!(
            "{}<p>深 <a href=\"https://x.org/1\">鏈<b>接</b></a><img src=\"i.jpg\" alt=\"圖\"></p>{}",
            "<div><i>".repeat(50_000),
            "</i></div>".repeat(50_000)
        );
        let b = parse_body(Format::Html, &html);
        assert_eq!(
            b.links,
            vec![Link {
                text: "鏈接".into(),
                url: "https://x.org/1".into()
            }]
        );
        assert_eq!(
            b.images,
            vec![Image {
                src: "i.jpg".into(),
                caption: Some("圖".into())
            }]
        );
        assert_eq!(b.chars, 3);
    }

    #[test]
    fn control_characters_are_removed_from_everything() {
        let b = parse_body(
            Format::Html,
            "<p>a\u{1b}]0;x\u{7}b</p><a href=\"h\u{1b}[2Jt\">l\u{9b}1m</a><img src=\"s\u{7}\" alt=\"c\u{202e}d\">",
        );
        assert!(!b.html.contains('\u{1b}'));
        assert_eq!(b.links[0].url, "ht");
        assert_eq!(b.links[0].text, "l");
        assert_eq!(
            b.images[0],
            Image {
                src: "s".into(),
                caption: Some("cd".into())
            }
        );
    }
}
