//! Bytes to text, and the format of that text, from content only (never the file name).
//!
//! Invariants: an empty file, a file of blank lines and a file with NUL bytes in its first
//! 8 KiB are errors; invalid UTF-8 is decoded lossily (U+FFFD) and flagged; a UTF-8 BOM is
//! skipped; a UTF-16 BOM selects UTF-16. Lines may end in LF or CRLF anywhere.

use std::borrow::Cow;
use std::ops::Range;

use super::Format;
use super::front_matter::MAX_FRONT_MATTER;
use super::link_header;

/// How far into a file NUL bytes mark it as binary (git uses the same window).
const BINARY_WINDOW: usize = 8 * 1024;

/// A file's text after decoding.
pub struct Decoded<'a> {
    /// The text; borrowed from the bytes when they are valid UTF-8.
    pub text: Cow<'a, str>,
    /// True when invalid UTF-8 was replaced with U+FFFD.
    pub lossy: bool,
}

/// Decodes a file's bytes; the error is the reason the file cannot be read as text.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    if let Some(text) = decode_utf16(bytes) {
        return Ok(Decoded {
            text: Cow::Owned(text),
            lossy: false,
        });
    }
    let window = &bytes[..bytes.len().min(BINARY_WINDOW)];
    if window.contains(&0) {
        return Err("binary data (NUL bytes)".into());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded {
            text: Cow::Borrowed(s),
            lossy: false,
        }),
        Err(_) => Ok(Decoded {
            text: String::from_utf8_lossy(bytes),
            lossy: true,
        }),
    }
}

fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let le = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|p| {
        if le {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{fffd}'))
            .collect(),
    )
}

/// One line: its byte range without the line ending, and where the next line starts.
#[derive(Clone, Copy, Debug)]
pub struct LineSpan {
    /// Start of the line.
    pub start: usize,
    /// End of the line content (before `\r\n` or `\n`).
    pub end: usize,
    /// Start of the next line.
    pub next: usize,
}

/// Iterates over lines from byte `from` on.
pub fn lines(text: &str, from: usize) -> impl Iterator<Item = LineSpan> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let (end, next) = match text[start..].find('\n') {
            Some(i) => (start + i, start + i + 1),
            None => (text.len(), text.len()),
        };
        pos = next;
        let end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Some(LineSpan { start, end, next })
    })
}

/// What the header of a file holds, as byte ranges into the text.
#[derive(Debug, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
pub enum Header {
    /// The YAML between the `---` lines.
    FrontMatter {
        /// The YAML text.
        yaml: Range<usize>,
    },
    /// The link header's title (may span lines) and URL.
    LinkHeader {
        /// The title between `[` and `](`.
        title: Range<usize>,
        /// The URL between `](` and `)`.
        url: Range<usize>,
    },
    /// No header.
    None,
}

/// The layout of a file: format, header and where the body starts.
#[derive(Debug, PartialEq, Eq)]
pub struct Layout {
    /// The detected format.
    pub format: Format,
    /// The header's parts.
    pub header: Header,
    /// An `<!--digits-->` archive stamp on the first line, if any.
    pub archived: Option<Range<usize>>,
    /// Where the body starts (the body runs to the end of the text).
    pub body_start: usize,
}

/// Detects the format of `text`; the error is a reason for the user.
pub fn detect(text: &str) -> Result<Layout, String> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let Some(first) = lines(text, start).find(|l| !text[l.start..l.end].trim().is_empty()) else {
        return Err("only blank lines".into());
    };
    let first_line = text[first.start..first.end].trim();

    if first_line == "---" {
        return front_matter(text, start, first);
    }

    let mut archived = None;
    let mut after = first.start;
    if let Some(digits) = first_line
        .strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
    {
        let digits = digits.trim();
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let off = text[first.start..first.end].find(digits).unwrap_or(0);
            archived = Some(first.start + off..first.start + off + digits.len());
            after = first.next;
        }
    }
    if let Some(h) = link_header::find(text, after, archived.is_some()) {
        return Ok(Layout {
            format: Format::LinkHeader,
            header: Header::LinkHeader {
                title: h.title,
                url: h.url,
            },
            archived,
            body_start: h.body_start,
        });
    }
    let rest = &text[after..];
    let format = if looks_like_html(rest) {
        Format::Html
    } else if looks_like_markdown(rest) {
        Format::Markdown
    } else {
        Format::Text
    };
    if rest.trim().is_empty() {
        return Err("no content after the archive stamp".into());
    }
    Ok(Layout {
        format,
        header: Header::None,
        archived,
        body_start: after,
    })
}

fn front_matter(text: &str, start: usize, open: super::detect::LineSpan) -> Result<Layout, String> {
    let line_no = text[start..open.start].matches('\n').count() + 1;
    let yaml_start = open.next;
    for l in lines(text, yaml_start) {
        if l.start - yaml_start > MAX_FRONT_MATTER {
            return Err(format!(
                "front matter opened with --- on line {line_no} does not close within {} KiB",
                MAX_FRONT_MATTER / 1024
            ));
        }
        let line = text[l.start..l.end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Layout {
                format: Format::FrontMatter,
                header: Header::FrontMatter {
                    yaml: yaml_start..l.start,
                },
                archived: None,
                body_start: l.next,
            });
        }
    }
    Err(format!(
        "front matter opened with --- on line {line_no} never closes"
    ))
}

/// True when the text starts (after white space) with an HTML tag, comment or doctype.
pub fn looks_like_html(s: &str) -> bool {
    let t = s.trim_start();
    let b = t.as_bytes();
    b.first() == Some(&b'<')
        && b.get(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'!' || *c == b'/')
}

/// True when the first lines carry Markdown structure (headings, lists, quotes, fences, links).
pub fn looks_like_markdown(s: &str) -> bool {
    let head = super::scan::prefix(s, 4096);
    head.lines().take(40).any(|line| {
        let l = line.trim_start();
        (l.starts_with('#') && l.trim_start_matches('#').starts_with(' '))
            || l.starts_with("- ")
            || l.starts_with("* ")
            || l.starts_with("> ")
            || l.starts_with("```")
            || (l.contains("](") && l.contains('['))
            || l.contains("**")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reasons() {
        assert_eq!(decode(b"").err().unwrap(), "empty file");
        assert_eq!(decode(b"ab\0cd").err().unwrap(), "binary data (NUL bytes)");
        let d = decode(b"caf\xe9").unwrap();
        assert!(d.lossy);
        assert_eq!(d.text, "caf\u{fffd}");
        let d = decode(b"\xff\xfeh\0i\0").unwrap();
        assert_eq!(d.text, "hi");
        let d = decode(b"\xfe\xff\0h\0i").unwrap();
        assert_eq!(d.text, "hi");
    }

    #[test]
    fn lines_handle_crlf_and_missing_final_newline() {
        let t = "a\r\nbb\n\nc";
        let v: Vec<&str> = lines(t, 0).map(|l| &t[l.start..l.end]).collect();
        assert_eq!(v, ["a", "bb", "", "c"]);
    }

    #[test]
    fn formats() {
        let f = |t: &str| detect(t).map(|l| l.format);
        assert_eq!(
            f("\n\n---\ntitle: x\n---\n<p>b</p>"),
            Ok(Format::FrontMatter)
        );
        assert_eq!(
            f("\u{feff}---\r\ntitle: x\r\n---\r\nb"),
            Ok(Format::FrontMatter)
        );
        assert_eq!(
            f("<!--1-->\n[t](http://x)\n---\n<p>"),
            Ok(Format::LinkHeader)
        );
        assert_eq!(f("[t](http://x)\n-----\nb"), Ok(Format::LinkHeader));
        assert_eq!(f("  <!DOCTYPE html><html>"), Ok(Format::Html));
        assert_eq!(f("# Note\n\ntext"), Ok(Format::Markdown));
        assert_eq!(f("see [x](y) today"), Ok(Format::Markdown));
        assert_eq!(f("just words\nmore"), Ok(Format::Text));
        assert_eq!(f(" \n\t\r\n"), Err("only blank lines".into()));
        assert_eq!(
            f("\n---\ntitle: x\n"),
            Err("front matter opened with --- on line 2 never closes".into())
        );
    }

    #[test]
    fn front_matter_ranges() {
        let t = "\n---\ntitle: x\n---\n<p>b</p>";
        let l = detect(t).unwrap();
        assert_eq!(l.header, Header::FrontMatter { yaml: 5..14 });
        assert_eq!(&t[l.body_start..], "<p>b</p>");
    }

    #[test]
    fn runaway_front_matter_stops_at_the_cap() {
        let t = format!("---\n{}", "k: v\n".repeat(MAX_FRONT_MATTER));
        assert_eq!(
            detect(&t).unwrap_err(),
            "front matter opened with --- on line 1 does not close within 64 KiB"
        );
    }
}
