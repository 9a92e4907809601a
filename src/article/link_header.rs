//! The link header of 德國之聲-style reports: `[title](url)` (the title may span lines), then a
//! line of dashes (or `=`), then the body. An `<!--epoch ms-->` line may precede it.

use std::ops::Range;

use super::detect::lines;

/// The most lines a link title may span; a longer run is not a header.
const MAX_TITLE_LINES: usize = 12;

/// A found link header.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    /// The title between `[` and `](`.
    pub title: Range<usize>,
    /// The URL between `](` and the final `)`.
    pub url: Range<usize>,
    /// Where the body starts (after the underline).
    pub body_start: usize,
}

/// Looks for a link header at the first non-blank line from `from`. Without an archive stamp
/// before it, the dash underline is required, so a Markdown note that merely starts with a link
/// is not taken for a header.
pub fn find(text: &str, from: usize, stamped: bool) -> Option<Found> {
    let mut it = lines(text, from).skip_while(|l| text[l.start..l.end].trim().is_empty());
    let first = it.next()?;
    let open = text[first.start..first.end].find('[')?;
    if !text[first.start..first.start + open].trim().is_empty() {
        return None;
    }
    let title_start = first.start + open + 1;
    let mut line = first;
    let mut n = 1;
    let (title_end, url) = loop {
        let content = &text[line.start..line.end];
        let trimmed = content.trim_end();
        if trimmed.ends_with(')') {
            if let Some(i) = content.rfind("](") {
                let sep = line.start + i;
                if sep >= title_start {
                    let url_end = line.start + trimmed.len() - 1;
                    break (sep, sep + 2..url_end);
                }
            }
        }
        if n >= MAX_TITLE_LINES {
            return None;
        }
        line = it.next()?;
        n += 1;
    };
    // The underline: the next non-blank line, all `-` or all `=`, at least three.
    let mut after = lines(text, line.next).skip_while(|l| text[l.start..l.end].trim().is_empty());
    let body_start = match after.next() {
        Some(u) if is_underline(&text[u.start..u.end]) => u.next,
        _ if stamped => line.next,
        _ => return None,
    };
    Some(Found {
        title: title_start..title_end,
        url,
        body_start,
    })
}

/// Joins a title that spans lines: no space where both sides are CJK (a line break inside
/// Chinese text is not a word break), one space otherwise.
pub fn join_title_lines(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let wide = |c: Option<char>| {
            c.is_some_and(|c| {
                super::scan::is_cjk(c)
                    || ('\u{3000}'..='\u{303f}').contains(&c)
                    || ('\u{ff00}'..='\u{ffef}').contains(&c)
            })
        };
        let joins_tight = wide(out.chars().last()) && wide(line.chars().next());
        if !out.is_empty() && !joins_tight {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn is_underline(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && (t.bytes().all(|b| b == b'-') || t.bytes().all(|b| b == b'='))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line() {
        let t = "[COP27 即將](https://www.dw.com/zh/a-1)\n------\n\n<div>";
        let f = find(t, 0, false).unwrap();
        assert_eq!(&t[f.title.clone()], "COP27 即將");
        assert_eq!(&t[f.url.clone()], "https://www.dw.com/zh/a-1");
        assert_eq!(&t[f.body_start..], "\n<div>");
    }

    #[test]
    fn multi_line_title_with_crlf() {
        let t = "[第一行\r\n第二行\r\n第三行](https://x.org/a%20b)\r\n---\r\nbody";
        let f = find(t, 0, false).unwrap();
        assert_eq!(&t[f.title.clone()], "第一行\r\n第二行\r\n第三行");
        assert_eq!(&t[f.url.clone()], "https://x.org/a%20b");
        assert_eq!(&t[f.body_start..], "body");
    }

    #[test]
    fn brackets_inside_title_and_parens_in_url() {
        let t = "[美国[独家]报道](https://x.org/a_(b))\n---\n";
        let f = find(t, 0, false).unwrap();
        assert_eq!(&t[f.title.clone()], "美国[独家]报道");
        assert_eq!(&t[f.url.clone()], "https://x.org/a_(b)");
    }

    #[test]
    fn title_lines_join_without_spaces_inside_cjk() {
        assert_eq!(
            join_title_lines("美國總統拜登：\n中美氣候合作\r\n「不可或缺」"),
            "美國總統拜登：中美氣候合作「不可或缺」"
        );
        assert_eq!(
            join_title_lines("Biden says\n  climate talks\n中美"),
            "Biden says climate talks 中美"
        );
    }

    #[test]
    fn plain_markdown_link_is_not_a_header() {
        assert_eq!(find("[a](b)\nsome text", 0, false), None);
        assert!(find("[a](b)\nsome text", 0, true).is_some());
        assert_eq!(find("text [a](b)\n---", 0, false), None);
        assert_eq!(
            find("[never closes\n\n\n\n\n\n\n\n\n\n\n\n\n\n---", 0, true),
            None
        );
    }
}
