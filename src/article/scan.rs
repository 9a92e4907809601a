//! Cheap, linear string scanning of HTML for the header pass: no DOM is built.
//!
//! [`super::parse`] must stay fast on 100,000 files, so it reads the few things it needs from a
//! bounded prefix with plain string search; the full HTML parser runs only in
//! [`super::Article::load_body`]. The visible-text statistics are computed here too, by one pass
//! over the body that skips tags, comments, `<script>` and `<style>`; [`super::Body`] uses the
//! same function, so the list and the opened article always agree.

use std::borrow::Cow;

/// Statistics of the visible text of some HTML.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextStats {
    /// Characters that are not white space.
    pub chars: usize,
    /// Runs of Latin (non-CJK) letters and digits.
    pub words: usize,
    /// CJK ideographs, kana and hangul.
    pub cjk: usize,
}

/// CJK characters read per minute (a common estimate for Chinese is 300–500; we take the middle).
pub const CJK_CHARS_PER_MINUTE: usize = 400;
/// Latin words read per minute (the usual adult silent-reading estimate, 200–260).
pub const LATIN_WORDS_PER_MINUTE: usize = 230;

impl TextStats {
    /// Estimated reading time in whole minutes, at least 1.
    pub fn reading_minutes(&self) -> u32 {
        // minutes = cjk/400 + words/230, rounded up, computed in integers.
        let num = self.cjk * LATIN_WORDS_PER_MINUTE + self.words * CJK_CHARS_PER_MINUTE;
        let den = CJK_CHARS_PER_MINUTE * LATIN_WORDS_PER_MINUTE;
        u32::try_from(num.div_ceil(den)).unwrap_or(u32::MAX).max(1)
    }
}

/// True for CJK ideographs, kana and hangul (the scripts read by character, not by word).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// How a character counts.
enum Class {
    /// White space: not counted, ends a word.
    Space,
    /// A CJK character: counted, read by character.
    Cjk,
    /// A letter or digit of a word-spaced script.
    Word,
    /// An apostrophe or hyphen: counted, keeps a word going (`don't`, `well-known`).
    Joiner,
    /// Punctuation and symbols.
    Other,
}

/// Classifies a character, with fast paths for ASCII, CJK and CJK punctuation, which are nearly
/// all of the text (the Unicode property tables are only consulted for the rest).
fn classify(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_whitespace() {
            Class::Space
        } else if c.is_ascii_alphanumeric() {
            Class::Word
        } else if c == '\'' || c == '-' {
            Class::Joiner
        } else {
            Class::Other
        };
    }
    if is_cjk(c) {
        return Class::Cjk;
    }
    match c as u32 {
        0x3000 => Class::Space,
        // CJK symbols and punctuation; fullwidth punctuation (fullwidth letters and digits below).
        0x3001..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 => {
            Class::Other
        }
        0x2019 => Class::Joiner,
        _ if c.is_whitespace() => Class::Space,
        _ if c.is_alphanumeric() => Class::Word,
        _ => Class::Other,
    }
}

/// Counts the visible text of `html` (tags, comments, scripts and styles skipped; entities
/// count as the character they stand for).
pub fn text_stats(html: &str) -> TextStats {
    let mut stats = TextStats::default();
    let mut in_word = false;
    let mut count = |text: &str, stats: &mut TextStats| {
        let decoded = decode_entities(text);
        for c in decoded.chars() {
            match classify(c) {
                Class::Space => in_word = false,
                Class::Cjk => {
                    stats.chars += 1;
                    stats.cjk += 1;
                    in_word = false;
                }
                Class::Word => {
                    stats.chars += 1;
                    if !in_word {
                        stats.words += 1;
                    }
                    in_word = true;
                }
                Class::Joiner => stats.chars += 1,
                Class::Other => {
                    stats.chars += 1;
                    in_word = false;
                }
            }
        }
    };
    let mut rest = html;
    while !rest.is_empty() {
        match find_tag_start(rest) {
            None => {
                count(rest, &mut stats);
                break;
            }
            Some(i) => {
                count(&rest[..i], &mut stats);
                rest = skip_tag(&rest[i..]);
            }
        }
    }
    stats
}

/// The index of the next `<` that opens a tag, comment or declaration.
fn find_tag_start(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(off) = s[from..].find('<') {
        let i = from + off;
        match bytes.get(i + 1) {
            Some(b) if b.is_ascii_alphabetic() || *b == b'/' || *b == b'!' || *b == b'?' => {
                return Some(i);
            }
            _ => from = i + 1,
        }
    }
    None
}

/// Skips one tag (or comment, or a whole `<script>`/`<style>` element) at the start of `s`.
fn skip_tag(s: &str) -> &str {
    if let Some(after) = s.strip_prefix("<!--") {
        return after.find("-->").map_or("", |j| &after[j + 3..]);
    }
    let end = s.find('>').map_or(s.len(), |j| j + 1);
    // The name is compared in place: a `String` per tag was a measurable share of the index pass.
    let name = tag_name(&s[1..end.min(s.len())]);
    let rest = &s[end..];
    let close = if name.eq_ignore_ascii_case("script") {
        "</script"
    } else if name.eq_ignore_ascii_case("style") {
        "</style"
    } else {
        return rest;
    };
    find_ascii_ci(rest, close).map_or("", |j| {
        let r = &rest[j..];
        r.find('>').map_or("", |k| &r[k + 1..])
    })
}

/// The name at the start of a tag's text (after `<`): its leading ASCII letters and digits.
fn tag_name(s: &str) -> &str {
    let len = s
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(s.len());
    &s[..len]
}

/// ASCII case-insensitive find.
pub fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    if n.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

/// Removes tags and comments, decodes entities; the result is raw text (not yet sanitised).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while !rest.is_empty() {
        match find_tag_start(rest) {
            None => {
                out.push_str(&decode_entities(rest));
                break;
            }
            Some(i) => {
                out.push_str(&decode_entities(&rest[..i]));
                // Block boundaries and line breaks end a line; inline tags join their text.
                if is_block_tag(&rest[i..]) {
                    out.push('\n');
                }
                rest = skip_tag(&rest[i..]);
            }
        }
    }
    out
}

/// True when the tag at the start of `s` (`<p …>`, `</div>`, `<br/>`) breaks a line.
fn is_block_tag(s: &str) -> bool {
    let mut buf = [0u8; 10];
    let name = tag_name(s.trim_start_matches(['<', '/']));
    // Longer than any block tag's name: not one.
    let Some(lower) = buf.get_mut(..name.len()) else {
        return false;
    };
    lower.copy_from_slice(name.as_bytes());
    lower.make_ascii_lowercase();
    let name = std::str::from_utf8(lower).unwrap_or_default();
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "figure"
            | "figcaption"
            | "hr"
            | "dd"
            | "dt"
            | "title"
            | "head"
            | "body"
            | "html"
            | "main"
            | "nav"
            | "aside"
    )
}

/// Decodes character references: numeric ones and the named ones news pages use.
/// Unknown names are left as written.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        // Look for the `;` only a little way ahead, so text full of `&` stays linear.
        let semi = prefix(after, 34).find(';').filter(|&j| j <= 32);
        let decoded = semi.and_then(|j| entity(&after[..j]).map(|c| (c, j)));
        match decoded {
            Some((c, j)) => {
                out.push(c);
                rest = &after[j + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        return Some(
            char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{fffd}'),
        );
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "times" => '×',
        "deg" => '°',
        "yen" => '¥',
        "euro" => '€',
        "pound" => '£',
        _ => return None,
    })
}

/// The inner HTML of the first `<tag …>…</tag>` in `html` (ASCII case-insensitive).
pub fn first_element<'a>(html: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}");
    let mut from = 0;
    loop {
        let i = from + find_ascii_ci(&html[from..], &open)?;
        let after_name = &html[i + open.len()..];
        // `<title>` must not match `<titles>`; `<h1>` must not match `<h10>`.
        if after_name.starts_with(|c: char| c == '>' || c.is_ascii_whitespace() || c == '/') {
            let gt = after_name.find('>')?;
            let inner = &after_name[gt + 1..];
            let close = format!("</{tag}");
            let end = find_ascii_ci(inner, &close).unwrap_or(inner.len());
            return Some(&inner[..end]);
        }
        from = i + open.len();
    }
}

/// The first heading's text (`<h1>` … `<h6>`, whichever comes first), raw.
pub fn first_heading(html: &str) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for level in 1..=6 {
        let tag = format!("h{level}");
        if let Some(inner) = first_element(html, &tag) {
            let pos = inner.as_ptr() as usize - html.as_ptr() as usize;
            if best.is_none_or(|(p, _)| pos < p) {
                best = Some((pos, inner));
            }
        }
    }
    best.map(|(_, inner)| strip_tags(inner))
}

/// The value of attribute `name` in a tag's attribute text.
pub fn attr(tag_body: &str, name: &str) -> Option<String> {
    let bytes = tag_body.as_bytes();
    let mut from = 0;
    while let Some(off) = find_ascii_ci(&tag_body[from..], name) {
        let i = from + off;
        from = i + name.len();
        let before_ok = i == 0 || bytes[i - 1].is_ascii_whitespace();
        let rest = tag_body[i + name.len()..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &rest[1..];
                &inner[..inner.find(q).unwrap_or(inner.len())]
            }
            _ => {
                &rest[..rest
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .unwrap_or(rest.len())]
            }
        };
        return Some(decode_entities(value).into_owned());
    }
    None
}

/// The content of `<meta property|name="key" content="…">` in `html`.
pub fn meta_content(html: &str, key: &str) -> Option<String> {
    let mut rest = html;
    while let Some(i) = find_ascii_ci(rest, "<meta") {
        let after = &rest[i + 5..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        let matches = |a: &str| attr(tag, a).is_some_and(|v| v.eq_ignore_ascii_case(key));
        if matches("property") || matches("name") {
            return attr(tag, "content");
        }
        rest = &after[end..];
    }
    None
}

/// Largest char boundary `<= at`.
pub fn floor_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    let mut i = at;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A prefix of at most `max` bytes, cut at a char boundary.
pub fn prefix(s: &str, max: usize) -> &str {
    &s[..floor_boundary(s, max)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names_compare_in_place() {
        assert_eq!(skip_tag("<SCRIPT type=x>a<b</Script >后"), "后");
        assert_eq!(skip_tag("<style>p{}</STYLE>后"), "后");
        // `<scripts>` is not `<script>`: only the tag itself is skipped.
        assert_eq!(skip_tag("<scripts>文</scripts>"), "文</scripts>");
        assert_eq!(skip_tag("<script>never closed"), "");
        assert!(is_block_tag("<P class=x>"));
        assert!(is_block_tag("</FigCaption>"));
        assert!(!is_block_tag("<figcaptions>"));
        assert!(!is_block_tag("<span>"));
        assert!(!is_block_tag("<verylongtagname>"));
    }

    #[test]
    fn stats_skip_markup_and_count_scripts_apart() {
        let s = text_stats(
            "<p>中文 text, two&nbsp;words!</p><!-- 注释 --><script>var x = '<p>';</script><style>p{}</style>",
        );
        assert_eq!(s.cjk, 2);
        // 中 文 t e x t , t w o w o r d s !  = 2 + 5 + 9
        assert_eq!(s.chars, 16);
        assert_eq!(s.words, 3);
    }

    #[test]
    fn character_classes() {
        let stats = |s: &str| {
            let t = text_stats(s);
            (t.chars, t.words, t.cjk)
        };
        // Ideographic space is white space; CJK punctuation counts but is not a word.
        assert_eq!(stats("中文\u{3000}，。「」（）"), (8, 0, 2));
        // Fullwidth digits and letters make words; Cyrillic and accented Latin too.
        assert_eq!(stats("１２３ ＡＢ Привет café"), (15, 4, 0));
        assert_eq!(stats("don't well-known it’s"), (19, 3, 0));
        assert_eq!(stats("ひらがな カタカナ 한국어"), (11, 0, 11));
    }

    #[test]
    fn lone_less_than_is_text() {
        assert_eq!(text_stats("a < b").chars, 3);
        assert_eq!(strip_tags("1 < 2 <b>x</b>y"), "1 < 2 xy");
        assert_eq!(
            strip_tags("<p>8项<b>反制</b>措施</p><p>b<br/>c"),
            "\n8项反制措施\n\nb\nc"
        );
    }

    #[test]
    fn reading_minutes_by_script() {
        let s = TextStats {
            chars: 0,
            words: 0,
            cjk: 0,
        };
        assert_eq!(s.reading_minutes(), 1);
        assert_eq!(
            TextStats {
                chars: 800,
                words: 0,
                cjk: 800
            }
            .reading_minutes(),
            2
        );
        assert_eq!(
            TextStats {
                chars: 801,
                words: 0,
                cjk: 801
            }
            .reading_minutes(),
            3
        );
        assert_eq!(
            TextStats {
                chars: 0,
                words: 460,
                cjk: 0
            }
            .reading_minutes(),
            2
        );
        // 200 chars (0.5 min) + 115 words (0.5 min) = 1 min.
        assert_eq!(
            TextStats {
                chars: 0,
                words: 115,
                cjk: 200
            }
            .reading_minutes(),
            1
        );
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#20013;&#x6587; &bogus; & x"),
            "a & b <c> 中文 &bogus; & x"
        );
        assert_eq!(decode_entities("&#0;&#xD800;"), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn many_ampersands_stay_linear() {
        let s = "&".repeat(2_000_000);
        // Quadratic work here would make this test run for minutes.
        assert_eq!(decode_entities(&s).len(), s.len());
        assert_eq!(text_stats(&s).chars, 2_000_000);
    }

    #[test]
    fn elements_and_attributes() {
        let html = "<html><head><titles>no</titles><TITLE>A &amp; B</TITLE><meta property=\"og:site_name\" content='Site'></head><h2>Two</h2><h1>One</h1><img alt=x src=a.jpg><img src=\"b&amp;c.png\">";
        assert_eq!(first_element(html, "title"), Some("A &amp; B"));
        assert_eq!(first_heading(html).unwrap().trim(), "Two");
        assert_eq!(meta_content(html, "og:site_name").as_deref(), Some("Site"));
        assert_eq!(
            attr(" data-src=\"x\" src=\"y\"", "src").as_deref(),
            Some("y")
        );
    }

    #[test]
    fn prefix_respects_char_boundaries() {
        assert_eq!(prefix("中文", 4), "中");
        assert_eq!(prefix("ab", 10), "ab");
    }
}
