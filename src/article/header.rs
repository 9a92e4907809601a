//! Header fields from their several sources: front-matter keys, the top of an HTML body (the
//! 德國之聲 dateline and byline, the 观察者网 `【文/…】` credit, the first image, `<title>` and
//! `<meta>` for whole pages), and the title fallbacks. Plain string search only; the values are
//! sanitised here.

use super::{Format, Stamp, dates, front_matter, outlet, scan, title};

/// Longest title taken from a first line of text, in characters.
const MAX_LINE_TITLE: usize = 120;

/// Header fields gathered from the several sources, before the fallbacks.
#[derive(Default)]
pub(super) struct Header {
    pub(super) title: Option<String>,
    pub(super) outlet: Option<String>,
    pub(super) author: Option<String>,
    pub(super) published: Option<Stamp>,
    /// The front matter's date, as written and as read.
    pub(super) fm_date: Option<dates::Found>,
    /// A page's `article:published_time`, as read.
    pub(super) meta_date: Option<dates::Found>,
    /// Tags from the front matter.
    pub(super) tags: Vec<String>,
    pub(super) archived: Option<Stamp>,
    pub(super) url: Option<String>,
    pub(super) categories: Vec<String>,
    pub(super) image: Option<String>,
    pub(super) extra: Vec<(String, String)>,
}

pub(super) fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

pub(super) fn read_front_matter(
    h: &mut Header,
    fields: Vec<(String, front_matter::FmValue)>,
    warnings: &mut Vec<String>,
) {
    let mut outlet_named = None;
    let mut author_is_outlet = None;
    for (key, value) in fields {
        let text = value.text();
        match key.to_ascii_lowercase().as_str() {
            "title" if h.title.is_none() => {
                h.title = text
                    .map(|t| title::fix_quote_artefacts(&t))
                    .and_then(non_empty);
            }
            "categories" | "category" if h.categories.is_empty() => h.categories = value.items(),
            "tags" | "keywords" if h.tags.is_empty() => h.tags = value.items(),
            "author" | "authors" | "byline" if h.author.is_none() => {
                author_is_outlet = text.as_deref().and_then(outlet::by_name);
                h.author = text;
            }
            "date" | "published" | "pubdate" | "published_at" | "publishdate"
                if h.fm_date.is_none() =>
            {
                if let Some(t) = text {
                    h.fm_date = dates::found_in_value(&t);
                    if h.fm_date.is_none() {
                        warnings.push(format!(
                            "date \"{t}\" is not a date; the publication time is unknown"
                        ));
                    }
                }
            }
            "archived" | "saved" | "fetched" if h.archived.is_none() => {
                h.archived = text.as_deref().and_then(dates::parse_date);
            }
            "headimg" | "image" | "cover" | "lead_image" if h.image.is_none() => h.image = text,
            "thumbnail" if h.image.is_none() => h.image = text,
            "url" | "link" | "permalink" | "source_url" | "original_url" | "canonical"
                if h.url.is_none() && text.as_deref().is_some_and(|t| t.contains("://")) =>
            {
                h.url = text
            }
            "outlet" | "publisher" | "site" | "site_name" | "source" if outlet_named.is_none() => {
                outlet_named = text.map(|t| outlet::by_name(&t).map_or(t, str::to_string));
            }
            _ => h.extra.push((key, text.unwrap_or_default())),
        }
    }
    h.outlet = outlet_named
        .or_else(|| author_is_outlet.map(str::to_string))
        .or_else(|| {
            h.categories
                .iter()
                .find_map(|c| outlet::by_name(c))
                .map(str::to_string)
        });
}

/// Header fields from the top of an HTML body: the 德國之聲 dateline and byline, the 观察者网
/// `【文/观察者网 李丽】` credit, the first image, and for whole pages `<title>` and `<meta>`.
pub(super) fn read_html_head(
    h: &mut Header,
    head: &str,
    page_head: &str,
    format: Format,
    credit: Option<&outlet::Credit>,
    lead_author: Option<&str>,
) {
    if let Some(byline) = lead_author {
        if h.author.is_none() || h.author.as_deref().and_then(outlet::by_name).is_some() {
            h.author = Some(byline.to_string());
        }
    }
    if let Some(credit) = credit {
        take_credit(h, credit);
    }
    if format == Format::Html {
        let meta = |k: &str| {
            scan::meta_content(page_head, k)
                .map(|v| crate::sanitize::clean_line(&v))
                .and_then(non_empty)
        };
        if h.title.is_none() {
            h.title = meta("og:title")
                .or_else(|| {
                    scan::first_element(page_head, "title")
                        .map(|t| crate::sanitize::clean_line(&scan::strip_tags(t)))
                        .and_then(non_empty)
                })
                .or_else(|| {
                    scan::first_heading(page_head)
                        .map(|t| crate::sanitize::clean_line(&t))
                        .and_then(non_empty)
                });
        }
        h.url = h.url.take().or_else(|| meta("og:url"));
        h.outlet = h.outlet.take().or_else(|| {
            meta("og:site_name").map(|s| outlet::by_name(&s).map_or(s, str::to_string))
        });
        h.author = h
            .author
            .take()
            .or_else(|| meta("author"))
            .or_else(|| meta("article:author"));
        h.meta_date = meta("article:published_time")
            .or_else(|| meta("og:published_time"))
            .and_then(|d| dates::found_in_value(&d));
        h.image = h.image.take().or_else(|| meta("og:image"));
    } else if h.title.is_none() {
        h.title = scan::first_heading(head)
            .map(|t| crate::sanitize::clean_line(&t))
            .and_then(non_empty);
    }
    if h.image.is_none() {
        h.image = first_image(head);
    }
}

/// The first usable image address in `head` (see [`super::body::image_source`]).
fn first_image(head: &str) -> Option<String> {
    let mut rest = head;
    while let Some(i) = scan::find_ascii_ci(rest, "<img") {
        let after = &rest[i + 4..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        let is_img = after.starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>');
        if !is_img {
            rest = after;
            continue;
        }
        if let Some(src) =
            super::body::image_source(scan::attr(tag, "src"), scan::attr(tag, "data-src"))
        {
            return Some(src);
        }
        rest = &after[end..];
    }
    None
}

/// Takes the writer from the body's opening credit (`【文/观察者网 李丽】`) when the header
/// names none or names only the outlet (`author: 观察者网`); a person named in the front matter
/// stays. The credit's outlet is used later, after a known host (see `parse`).
pub(super) fn take_credit(h: &mut Header, credit: &outlet::Credit) {
    let author_is_outlet = h.author.as_deref().and_then(outlet::by_name);
    if let Some(name) = &credit.author {
        if h.author.is_none() || author_is_outlet.is_some() {
            if h.outlet.is_none() {
                h.outlet = author_is_outlet.map(str::to_string);
            }
            h.author = Some(name.clone());
        }
    }
}

pub(super) fn markdown_title(head: &str) -> Option<String> {
    head.lines().find_map(|l| {
        let t = l.trim_start();
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        ((1..=6).contains(&hashes) && t[hashes..].starts_with(' '))
            .then(|| crate::sanitize::clean_line(t[hashes..].trim().trim_end_matches('#')))
            .and_then(non_empty)
    })
}

/// The first non-blank line of some text, shortened to [`MAX_LINE_TITLE`] characters.
pub(super) fn first_line_title(text: String) -> Option<String> {
    let line = text
        .lines()
        .map(crate::sanitize::clean_line)
        .find(|l| !l.is_empty())?;
    if line.chars().count() > MAX_LINE_TITLE {
        let mut short: String = line.chars().take(MAX_LINE_TITLE - 1).collect();
        short.push('…');
        Some(short)
    } else {
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_credit(author: Option<&str>, body: &str) -> Header {
        let mut h = Header {
            author: author.map(str::to_string),
            ..Header::default()
        };
        let credit = outlet::opening_credit(body);
        read_html_head(
            &mut h,
            body,
            body,
            Format::FrontMatter,
            credit.as_ref(),
            None,
        );
        h
    }

    #[test]
    fn guancha_credit_names_the_writer() {
        let h = with_credit(Some("观察者网"), "<p>\n【文/观察者网 李丽】8月5日");
        assert_eq!(h.author.as_deref(), Some("李丽"));
        assert_eq!(h.outlet.as_deref(), Some("观察者网"));
        let h = with_credit(None, "<p>【文／ 观察者网  熊超然 编辑/张三】8月");
        assert_eq!(h.author.as_deref(), Some("熊超然"));
        // A person in the front matter stays the author.
        let h = with_credit(Some("王世纯"), "<p>【文/观察者网 李丽】8月5日");
        assert_eq!(h.author.as_deref(), Some("王世纯"));
        let h = with_credit(None, "<p>【观察者网 综合报道】8月5日");
        assert_eq!(h.author, None);
        let h = with_credit(None, "<p>no credit</p>");
        assert_eq!(h.author, None);
    }

    #[test]
    fn lead_image_skips_placeholders() {
        assert_eq!(
            first_image("<p><IMG alt=x><img src=\"data:image/gif;base64,AA\" data-src=\"a.jpg\"><img src=b.jpg>").as_deref(),
            Some("a.jpg")
        );
        assert_eq!(first_image("<imgx src=no><p>"), None);
    }
}
