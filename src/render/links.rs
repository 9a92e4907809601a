//! URLs for display: which `href`s count as links, percent-decoding for the Links section, hosts
//! for embed placeholders, file names for images, and a terminal-safe form for OSC 8.
//!
//! Every function returns sanitised text: a `%1B` decoded for display is removed like a literal
//! ESC would be.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::sanitize::clean_line;

/// The `href` as a link worth numbering (sanitised), or `None` for empty, in-page (`#…`) and
/// script links.
pub(crate) fn usable_href(href: &str) -> Option<String> {
    let href = clean_line(href);
    let lower = href.to_ascii_lowercase();
    if href.is_empty()
        || href.starts_with('#')
        || ["javascript:", "vbscript:", "data:"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        None
    } else {
        Some(href)
    }
}

/// `href` made absolute against the page's URL `base`: protocol-relative (`//host/x`),
/// root-relative (`/x`), query-only (`?q`) and path-relative (`a/../b`) forms. `None` when
/// `href` is absolute already, or `base` is missing or not absolute.
pub fn resolve(base: Option<&str>, href: &str) -> Option<String> {
    if has_scheme(href) {
        return None;
    }
    let base = base?.trim();
    if !has_scheme(base) {
        return None;
    }
    let colon = base.find(':')?;
    let scheme = &base[..colon];
    if let Some(rest) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{rest}"));
    }
    let after = base[colon + 1..].strip_prefix("//")?;
    let auth_end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let origin = &base[..colon + 3 + auth_end];
    let path_and_more = &after[auth_end..];
    let path_end = path_and_more
        .find(['?', '#'])
        .unwrap_or(path_and_more.len());
    let path = &path_and_more[..path_end];
    if href.starts_with('?') {
        return Some(format!(
            "{origin}{}{href}",
            if path.is_empty() { "/" } else { path }
        ));
    }
    let joined = if href.starts_with('/') {
        href.to_string()
    } else {
        let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
        format!("{dir}{href}")
    };
    // Remove `.` and `..` segments (RFC 3986 5.2.4), keeping the query.
    let (p, tail) = match joined.find(['?', '#']) {
        Some(i) => joined.split_at(i),
        None => (joined.as_str(), ""),
    };
    let mut segs: Vec<&str> = Vec::new();
    let parts: Vec<&str> = p.split('/').skip(1).collect();
    for (i, seg) in parts.iter().enumerate() {
        match *seg {
            "." => {
                if i + 1 == parts.len() {
                    segs.push("");
                }
            }
            ".." => {
                segs.pop();
                if i + 1 == parts.len() {
                    segs.push("");
                }
            }
            s => segs.push(s),
        }
    }
    Some(format!("{origin}/{}{tail}", segs.join("/")))
}

/// True when `s` starts with a URL scheme (`https:`, `mailto:`).
fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) if i > 0 => {
            let sch = &s[..i];
            sch.starts_with(|c: char| c.is_ascii_alphabetic())
                && sch
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        _ => false,
    }
}

/// The URL percent-decoded for reading. Left as written when the escapes do not decode to UTF-8;
/// a stray `%` that starts no escape stays as it is.
pub fn display_url(url: &str) -> String {
    match percent_decode_str(url).decode_utf8() {
        Ok(decoded) => clean_line(&decoded),
        Err(_) => clean_line(url),
    }
}

/// Bytes that may not appear raw inside an OSC 8 URI: controls, space, non-ASCII.
const OSC8_ENCODE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// The URL in a form safe inside an OSC 8 sequence: printable ASCII only (existing escapes kept).
pub fn osc8_url(url: &str) -> String {
    let cleaned = clean_line(url);
    utf8_percent_encode(&cleaned, OSC8_ENCODE).to_string()
}

/// The host of an absolute or protocol-relative URL, without `www.`.
pub(crate) fn host(url: &str) -> Option<String> {
    let rest = match url.find("//") {
        Some(i)
            if url[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.:".contains(c)) =>
        {
            &url[i + 2..]
        }
        _ => return None,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let mut host = &rest[..end];
    if let Some(at) = host.rfind('@') {
        host = &host[at + 1..];
    }
    if let Some(colon) = host.rfind(':') {
        if host[colon + 1..].chars().all(|c| c.is_ascii_digit()) {
            host = &host[..colon];
        }
    }
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| clean_line(host).to_ascii_lowercase())
}

/// The file name an image URL points to, decoded: the last path segment, or for image proxies
/// (`?url=static.dw.com/image/1.jpg`) the last segment of the proxied URL.
pub(crate) fn file_name(src: &str) -> Option<String> {
    let no_frag = src.split('#').next().unwrap_or("");
    let (path, query) = match no_frag.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (no_frag, None),
    };
    let last = |p: &str| -> Option<String> {
        let seg = p.trim_end_matches('/').rsplit('/').next()?;
        let seg = display_url(seg);
        (!seg.is_empty() && seg.contains('.') && !seg.contains(':')).then_some(seg)
    };
    if let Some(name) = last(path) {
        if host(path).is_none_or(|h| !path.trim_end_matches('/').ends_with(&h)) {
            return Some(name);
        }
    }
    let query = query?;
    query
        .split('&')
        .filter_map(|kv| kv.split_once('=').map(|(_, v)| v))
        .find_map(|v| last(&display_url(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_the_page() {
        let base = Some("https://www.voachinese.com/a/hk-law/5484557.html?x=1#top");
        assert_eq!(resolve(base, "https://a.b/c"), None);
        assert_eq!(resolve(base, "mailto:x@y.z"), None);
        assert_eq!(
            resolve(base, "//static.voa.com/i.jpg").as_deref(),
            Some("https://static.voa.com/i.jpg")
        );
        assert_eq!(
            resolve(base, "/content/article/1.html").as_deref(),
            Some("https://www.voachinese.com/content/article/1.html")
        );
        assert_eq!(
            resolve(base, "../b/./c.html?q#f").as_deref(),
            Some("https://www.voachinese.com/a/b/c.html?q#f")
        );
        assert_eq!(
            resolve(base, "?p=2").as_deref(),
            Some("https://www.voachinese.com/a/hk-law/5484557.html?p=2")
        );
        assert_eq!(
            resolve(Some("https://e.com"), "x").as_deref(),
            Some("https://e.com/x")
        );
        assert_eq!(resolve(None, "/x"), None);
        assert_eq!(resolve(Some("not a url"), "/x"), None);
    }

    #[test]
    fn display_decodes_utf8_and_keeps_the_rest() {
        assert_eq!(
            display_url("https://www.dw.com/zh/COP27%E5%8D%B3%E5%B0%87%20x/a-1"),
            "https://www.dw.com/zh/COP27即將 x/a-1"
        );
        assert_eq!(display_url("https://e.com/100%25%"), "https://e.com/100%%");
        assert_eq!(
            display_url("https://e.com/%zz/50%"),
            "https://e.com/%zz/50%"
        );
        // Not UTF-8: left as written.
        assert_eq!(display_url("https://e.com/%FF%FE"), "https://e.com/%FF%FE");
    }

    #[test]
    fn decoded_controls_are_removed() {
        assert_eq!(
            display_url("https://e.com/%1B%5D0;pwned%07x%E2%80%AEy"),
            "https://e.com/xy"
        );
    }

    #[test]
    fn osc8_urls_are_printable_ascii() {
        assert_eq!(
            osc8_url("https://e.com/中 文\u{1b}\u{7}"),
            "https://e.com/%E4%B8%AD%20%E6%96%87"
        );
    }

    #[test]
    fn usable_hrefs() {
        assert_eq!(
            usable_href(" https://a\u{1b}[31m.b/ "),
            Some("https://a.b/".into())
        );
        assert_eq!(usable_href("#top"), None);
        assert_eq!(usable_href("JavaScript:void(0)"), None);
        assert_eq!(usable_href(""), None);
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://www.youtube.com/embed/x").as_deref(),
            Some("youtube.com")
        );
        assert_eq!(
            host("//player.bilibili.com:8080/p?x").as_deref(),
            Some("player.bilibili.com")
        );
        assert_eq!(host("/relative/path"), None);
    }

    #[test]
    fn file_names() {
        assert_eq!(
            file_name("https://i.guancha.cn/a/b/2022.jpg").as_deref(),
            Some("2022.jpg")
        );
        assert_eq!(
            file_name("https://images.weserv.nl/?url=static.dw.com/image/62527817_303.jpg")
                .as_deref(),
            Some("62527817_303.jpg")
        );
        assert_eq!(file_name("https://e.com/").as_deref(), None);
    }
}
