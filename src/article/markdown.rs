//! A small Markdown-to-HTML converter for notes saved as Markdown, and plain text to HTML.
//!
//! It covers what saved notes use: ATX headings, paragraphs, `-`/`*`/`+` and numbered lists,
//! block quotes, fenced code, rules, and inline links, images, `**strong**`, `*emphasis*` and
//! `` `code` ``. Everything else is text, HTML-escaped (raw HTML in a note is shown, not run).
//! `_` never marks emphasis, so `snake_case` stays intact.

/// Converts Markdown to HTML.
pub fn to_html(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<&str> = None;
    let mut in_code = false;
    let flush_para = |para: &mut Vec<&str>, out: &mut String| {
        if !para.is_empty() {
            out.push_str("<p>");
            out.push_str(&inline(&para.join("\n")));
            out.push_str("</p>\n");
            para.clear();
        }
    };
    let close_list = |list: &mut Option<&str>, out: &mut String| {
        if let Some(tag) = list.take() {
            out.push_str(&format!("</{tag}>\n"));
        }
    };
    for raw in src.lines() {
        let line = raw.trim_end_matches('\r');
        let t = line.trim_start();
        if in_code {
            if t.starts_with("```") {
                out.push_str("</code></pre>\n");
                in_code = false;
            } else {
                out.push_str(&escape(line));
                out.push('\n');
            }
            continue;
        }
        if t.starts_with("```") {
            flush_para(&mut para, &mut out);
            close_list(&mut list, &mut out);
            out.push_str("<pre><code>");
            in_code = true;
            continue;
        }
        if t.is_empty() {
            flush_para(&mut para, &mut out);
            close_list(&mut list, &mut out);
            continue;
        }
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            flush_para(&mut para, &mut out);
            close_list(&mut list, &mut out);
            let text = t[hashes..].trim().trim_end_matches('#').trim();
            out.push_str(&format!("<h{hashes}>{}</h{hashes}>\n", inline(text)));
            continue;
        }
        if t.len() >= 3
            && (t.chars().all(|c| c == '-' || c == ' ') || t.chars().all(|c| c == '*' || c == ' '))
            && t.chars().filter(|c| !c.is_whitespace()).count() >= 3
        {
            flush_para(&mut para, &mut out);
            close_list(&mut list, &mut out);
            out.push_str("<hr>\n");
            continue;
        }
        if let Some(q) = t.strip_prefix('>') {
            flush_para(&mut para, &mut out);
            close_list(&mut list, &mut out);
            out.push_str(&format!(
                "<blockquote><p>{}</p></blockquote>\n",
                inline(q.trim())
            ));
            continue;
        }
        let item = t
            .strip_prefix("- ")
            .or_else(|| t.strip_prefix("* "))
            .or_else(|| t.strip_prefix("+ "))
            .map(|rest| ("ul", rest))
            .or_else(|| {
                let digits = t.bytes().take_while(u8::is_ascii_digit).count();
                (digits > 0 && t[digits..].starts_with(". ")).then(|| ("ol", &t[digits + 2..]))
            });
        if let Some((tag, rest)) = item {
            flush_para(&mut para, &mut out);
            if list != Some(tag) {
                close_list(&mut list, &mut out);
                out.push_str(&format!("<{tag}>\n"));
                list = Some(tag);
            }
            out.push_str(&format!("<li>{}</li>\n", inline(rest.trim())));
            continue;
        }
        close_list(&mut list, &mut out);
        para.push(t);
    }
    if in_code {
        out.push_str("</code></pre>\n");
    }
    flush_para(&mut para, &mut out);
    close_list(&mut list, &mut out);
    out
}

/// Plain text to HTML: blank lines separate paragraphs, line breaks are kept.
pub fn text_to_html(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + 64);
    for block in src.replace("\r\n", "\n").split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        out.push_str("<p>");
        out.push_str(
            &lines
                .iter()
                .map(|l| escape(l))
                .collect::<Vec<_>>()
                .join("<br>\n"),
        );
        out.push_str("</p>\n");
    }
    out
}

/// HTML-escapes text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The next occurrence of a needle at or after a position, remembered: the callers ask with
/// positions that only grow, so each needle's search runs once over the text (a fresh `find` per
/// `[` made a line of unmatched brackets quadratic).
struct Next<'a> {
    hay: &'a str,
    needle: &'static str,
    /// `Some((from, found))`: `found` is the first occurrence at or after `from`.
    last: Option<(usize, Option<usize>)>,
}

impl<'a> Next<'a> {
    fn new(hay: &'a str, needle: &'static str) -> Next<'a> {
        Next {
            hay,
            needle,
            last: None,
        }
    }

    /// The first occurrence at or after `from`.
    fn at(&mut self, from: usize) -> Option<usize> {
        match self.last {
            Some((start, None)) if from >= start => return None,
            Some((start, Some(found))) if from >= start && found >= from => return Some(found),
            _ => {}
        }
        let found = self
            .hay
            .get(from..)
            .and_then(|h| h.find(self.needle))
            .map(|i| from + i);
        self.last = Some((from, found));
        found
    }
}

/// The searches one [`inline`] call shares.
struct Finders<'a> {
    tick: Next<'a>,
    close: Next<'a>,
    paren: Next<'a>,
    newline: Next<'a>,
    strong: Next<'a>,
    star: Next<'a>,
}

/// Inline Markdown: images, links, code, strong, emphasis. Linear in `s`: nested calls (a link's
/// text, a strong run) cover disjoint parts of `s` and nest at most three deep.
fn inline(s: &str) -> String {
    let mut f = Finders {
        tick: Next::new(s, "`"),
        close: Next::new(s, "]("),
        paren: Next::new(s, ")"),
        newline: Next::new(s, "\n"),
        strong: Next::new(s, "**"),
        star: Next::new(s, "*"),
    };
    let mut out = String::with_capacity(s.len() + 16);
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        let rest = &s[i..];
        if c == '`' {
            if let Some(end) = f.tick.at(i + 1) {
                out.push_str(&format!("<code>{}</code>", escape(&s[i + 1..end])));
                i = end + 1;
                continue;
            }
        }
        let is_image = rest.starts_with("![");
        if c == '[' || is_image {
            let open = i + if is_image { 2 } else { 1 };
            if let Some((text, url, end)) = link_at(s, open, &mut f) {
                if is_image {
                    out.push_str(&format!(
                        "<img src=\"{}\" alt=\"{}\">",
                        escape(url),
                        escape(text)
                    ));
                } else {
                    out.push_str(&format!("<a href=\"{}\">{}</a>", escape(url), inline(text)));
                }
                i = end;
                continue;
            }
        }
        if rest.starts_with("**") {
            if let Some(end) = f.strong.at(i + 2).filter(|&e| e > i + 2) {
                out.push_str(&format!("<strong>{}</strong>", inline(&s[i + 2..end])));
                i = end + 2;
                continue;
            }
        }
        if c == '*' && !rest[1..].starts_with(' ') {
            if let Some(end) = f.star.at(i + 1).filter(|&e| e > i + 1) {
                out.push_str(&format!("<em>{}</em>", inline(&s[i + 1..end])));
                i = end + 1;
                continue;
            }
        }
        out.push_str(&escape(&rest[..c.len_utf8()]));
        i += c.len_utf8();
    }
    out
}

/// `text](url)` at byte `at` of `s`: the text, the URL and the byte after the `)`.
fn link_at<'a>(s: &'a str, at: usize, f: &mut Finders<'a>) -> Option<(&'a str, &'a str, usize)> {
    let close = f.close.at(at)?;
    let text = &s[at..close];
    if text.len() > 200 && f.newline.at(at).is_some_and(|n| n < close) {
        return None;
    }
    let end = f.paren.at(close + 2)?;
    let url = s[close + 2..end].split_whitespace().next().unwrap_or("");
    Some((text, url, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        let html = to_html(
            "# Title #\n\nPara *one*\nline two\n\n- a\n- b\n\n1. x\n\n> quote\n\n```\n<code>\n```\n---\n",
        );
        assert_eq!(
            html,
            "<h1>Title</h1>\n<p>Para <em>one</em>\nline two</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol>\n<li>x</li>\n</ol>\n<blockquote><p>quote</p></blockquote>\n<pre><code>&lt;code&gt;\n</code></pre>\n<hr>\n"
        );
    }

    #[test]
    fn inline_forms() {
        assert_eq!(
            inline("see [the **site**](https://x.org/a \"t\") ![pic](p.png) `a<b` snake_case"),
            "see <a href=\"https://x.org/a\">the <strong>site</strong></a> <img src=\"p.png\" alt=\"pic\"> <code>a&lt;b</code> snake_case"
        );
        assert_eq!(inline("<script>"), "&lt;script&gt;");
        assert_eq!(inline("[unclosed"), "[unclosed");
    }

    #[test]
    fn unmatched_delimiters_stay_text() {
        assert_eq!(inline("[[a](u) [b"), "<a href=\"u\">[a</a> [b");
        assert_eq!(
            inline("**a** ** *b* ` x"),
            "<strong>a</strong> ** <em>b</em> ` x"
        );
        assert_eq!(inline("`a` `b` `"), "<code>a</code> <code>b</code> `");
        assert_eq!(
            inline("![p](i.png)[t](u)"),
            "<img src=\"i.png\" alt=\"p\"><a href=\"u\">t</a>"
        );
    }

    #[test]
    fn plain_text() {
        assert_eq!(
            text_to_html("a\r\nb\r\n\r\n\r\nc<"),
            "<p>a<br>\nb</p>\n<p>c&lt;</p>\n"
        );
    }
}
