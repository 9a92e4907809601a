//! What names a report across moves, copies and releases: its canonical URL, else a hash of
//! its body's text.
//!
//! Both halves are part of the state file's format: a change to either normalisation loses
//! the state of every report it touches, so they are written out here (FNV-1a, a fixed list of
//! tracking parameters) rather than borrowed from code that may change for other reasons
//! (`DefaultHasher` may change between Rust releases; the library's copy detection may
//! change what it treats as one page).

use crate::article::Article;

/// The key under which a report's state is kept: `url:` and its canonical URL, or `body:` and
/// 16 hex digits of its body hash. Opaque to everything but this module.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity(String);

impl Identity {
    /// The identity of `article`: its canonical URL when it has one, else its body hash;
    /// `None` for an article with neither (built by hand, not parsed).
    pub fn of(article: &Article) -> Option<Identity> {
        Identity::of_canonical(article, canonical_url_of(article).as_deref())
    }

    /// [`Identity::of`] with the article's [`canonical_url`] computed already.
    pub fn of_canonical(article: &Article, url: Option<&str>) -> Option<Identity> {
        match url {
            Some(url) => Some(Identity(format!("url:{url}"))),
            None => Identity::from_body_hash(article.meta.body_hash),
        }
    }

    /// The identity of a report without a URL whose body hashes to `hash` (see
    /// [`body_hash`]); `None` for 0, which marks a hash never computed.
    pub fn from_body_hash(hash: u64) -> Option<Identity> {
        (hash != 0).then(|| Identity(format!("body:{hash:016x}")))
    }

    /// An identity from its stored text (as [`Identity::as_str`] gave it).
    pub fn from_stored(text: impl Into<String>) -> Identity {
        Identity(text.into())
    }

    /// The text stored in the state file.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Query parameters that track the reader rather than name the page (compared in lower
/// case; any `utm_` parameter too).
const TRACKING: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "msclkid",
    "yclid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "_ga",
    "_gl",
    "ref_src",
    "cmpid",
    "ocid",
    "at_medium",
    "at_campaign",
    "at_custom1",
    "at_custom2",
    "at_custom3",
    "at_custom4",
];

/// The [`canonical_url`] of `article`'s URL: the one the metadata cache kept when it was made
/// from this URL ([`crate::article::Meta::canonical`]), else computed.
pub fn canonical_url_of(article: &Article) -> Option<String> {
    let url = article.url.as_deref();
    match &article.meta.canonical {
        Some(c) if c.of == crate::article::Canonical::source(url) => c.url.clone(),
        _ => url.and_then(canonical_url),
    }
}

/// A URL reduced to what names the page, for identity: no scheme (`http` and `https` are one
/// page), host in lower case without `www.`, port or user; the path with empty segments
/// dropped and percent-escapes decoded where they form UTF-8 (`%E5%8D%B3` and `即` are one
/// page); the query without tracking parameters (`utm_*`, `fbclid`, …), the rest sorted; no
/// fragment. `None` when `url` has no host.
///
/// Unlike the library's copy detection this keeps the query: `article.php?id=1` and `?id=2`
/// are two reports.
pub fn canonical_url(url: &str) -> Option<String> {
    let host = crate::article::outlet::host_of(url)?;
    let rest = url.trim().split_once("://")?.1;
    let rest = rest.split('#').next().unwrap_or("");
    let after_host = rest.find(['/', '?']).map_or("", |i| &rest[i..]);
    let (path, query) = after_host.split_once('?').unwrap_or((after_host, ""));
    let mut out = host;
    out.reserve(after_host.len());
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        // Most segments have no escape: decoding them would only copy them.
        if seg.contains('%') {
            out.push_str(&decoded(seg));
        } else {
            out.push_str(seg);
        }
    }
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !key.starts_with("utm_") && !TRACKING.contains(&key.as_str())
        })
        .map(decoded)
        .collect();
    params.sort();
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    Some(out)
}

/// `text` with its percent-escapes decoded when the result is UTF-8 without control
/// characters; else as written, with the escapes' hex digits in upper case.
fn decoded(text: &str) -> String {
    match percent_encoding::percent_decode_str(text).decode_utf8() {
        Ok(s) if !s.chars().any(char::is_control) => s.into_owned(),
        _ => {
            let mut out = String::with_capacity(text.len());
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                out.push(c);
                if c == '%' {
                    for _ in 0..2 {
                        if let Some(h) = chars.next_if(char::is_ascii_hexdigit) {
                            out.push(h.to_ascii_uppercase());
                        }
                    }
                }
            }
            out
        }
    }
}

/// FNV-1a (64 bits) over `bytes`, continuing from `hash` (start from [`FNV_OFFSET`]).
pub fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// FNV-1a's starting value.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The hash of a body's text under which a report without a URL is kept: FNV-1a over its
/// words (runs of non-white-space, each followed by one space), so re-saving a file with other
/// line ends or indentation keeps its state. Never 0 (0 marks "not computed").
pub fn body_hash(html: &str) -> u64 {
    let mut hash = FNV_OFFSET;
    for word in html.split_ascii_whitespace() {
        hash = fnv1a(hash, word.as_bytes());
        hash = fnv1a(hash, b" ");
    }
    hash.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_url_drops_what_does_not_name_the_page() {
        let c = |u| canonical_url(u).unwrap();
        assert_eq!(
            c("https://www.Example.com:443/news//a/b/?utm_source=x&id=7&fbclid=y#top"),
            "example.com/news/a/b?id=7"
        );
        assert_eq!(c("http://example.com/a"), c("https://www.example.com/a/"));
        // Parameters in any order are one page; other values are another page.
        assert_eq!(c("https://e.com/p?b=2&a=1"), "e.com/p?a=1&b=2");
        assert_ne!(c("https://e.com/p?id=1"), c("https://e.com/p?id=2"));
        assert_eq!(c("https://e.com/p?UTM_Medium=rss"), "e.com/p");
        assert_eq!(canonical_url("not a url"), None);
        assert_eq!(canonical_url("https://localhost/a"), None);
    }

    #[test]
    fn canonical_url_decodes_escapes_that_form_utf8() {
        assert_eq!(
            canonical_url("https://www.dw.com/zh/%E5%8D%B3/a-1").unwrap(),
            "dw.com/zh/即/a-1"
        );
        assert_eq!(
            canonical_url("https://www.dw.com/zh/即/a-1"),
            canonical_url("https://www.dw.com/zh/%e5%8d%b3/a-1")
        );
        // Not UTF-8, or a control character: kept as written, hex in one case.
        assert_eq!(
            canonical_url("https://e.com/%ff%0a").unwrap(),
            "e.com/%FF%0A"
        );
        assert_eq!(canonical_url("https://e.com/%zz").unwrap(), "e.com/%zz");
    }

    #[test]
    fn canonical_url_keeps_a_question_mark_in_a_title_path() {
        // DW's URLs carry the title, and a title's `?` unescaped: the id after it still counts.
        let a = canonical_url("https://www.dw.com/zh/何许人也?/a-53957528").unwrap();
        let b = canonical_url("https://www.dw.com/zh/何许人也?/a-53957529").unwrap();
        assert_eq!(a, "dw.com/zh/何许人也?/a-53957528");
        assert_ne!(a, b);
    }

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        // From the FNV reference (draft-eastlake-fnv): "" and "a" and "foobar".
        assert_eq!(fnv1a(FNV_OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(FNV_OFFSET, b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn body_hash_ignores_white_space_and_is_fixed() {
        let a = body_hash("<p>同一篇\n报道</p>  <p>Text</p>");
        let b = body_hash("<p>同一篇 报道</p>\r\n\t<p>Text</p>\n");
        assert_eq!(a, b);
        assert_ne!(a, body_hash("<p>同一篇 报道</p><p>Text</p>"));
        // The stored identity depends on this exact value: a change here loses users' state.
        assert_eq!(body_hash("<p>a b</p>"), fnv1a(FNV_OFFSET, b"<p>a b</p> "));
        assert_eq!(
            Identity::from_body_hash(body_hash("<p>a b</p>"))
                .unwrap()
                .as_str()
                .len(),
            "body:".len() + 16
        );
        assert_eq!(Identity::from_body_hash(0), None);
    }
}
