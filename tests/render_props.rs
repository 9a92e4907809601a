//! Property: whatever the HTML, no rendered line is wider than the width and no control
//! character, escape sequence or bidi override comes out, in lines or in link texts and URLs.

use proptest::prelude::*;
use reader::render::{RenderOptions, render_html};
use reader::sanitize::is_forbidden;

/// Bits of markup and text: CJK, Latin, punctuation, entities and raw controls.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<div>".to_string()),
        Just("</div>".to_string()),
        Just("<p align=center>".to_string()),
        Just("<h2>".to_string()),
        Just("</h2>".to_string()),
        Just("<b>".to_string()),
        Just("</b>".to_string()),
        Just("<em>".to_string()),
        Just("<br>".to_string()),
        Just("<hr>".to_string()),
        Just("<ul><li>".to_string()),
        Just("</li></ul>".to_string()),
        Just("<ol><li>".to_string()),
        Just("<blockquote>".to_string()),
        Just("</blockquote>".to_string()),
        Just("<table><tr><td>".to_string()),
        Just("</td><td>".to_string()),
        Just("<pre>".to_string()),
        Just("</pre>".to_string()),
        Just("</a>".to_string()),
        Just("<img src=\"x/\u{1b}[31m.jpg\" alt=\"圖\u{202e}片\">".to_string()),
        Just("<iframe src=\"https://v.example/\u{7}e\"></iframe>".to_string()),
        Just("&#27;[2J&#x202E;&#x9b;&#7;&nbsp;&#x200b;".to_string()),
        Just("\u{1b}]0;title\u{7}\u{1b}[31m\u{9d}x\u{9c}\t\r\n".to_string()),
        "[\u{4e00}-\u{4e60}，。「」《》（）：]{1,12}",
        "[a-zA-Z ,.()-]{1,16}",
        "[\u{0}-\u{1f}\u{7f}-\u{9f}\u{202a}-\u{202e}\u{2066}-\u{2069}]{1,3}",
        "[\u{ac00}-\u{ac10}\u{3040}-\u{3050}\u{ff01}-\u{ff20}\u{1f600}-\u{1f610}\u{301}\u{fe0f}]{1,6}",
        "(https?://[a-z%0-9/\u{1b}\u{7}\u{202e}]{0,12})".prop_map(|u| format!("<a href=\"{u}\">")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn lines_fit_and_are_clean(parts in prop::collection::vec(fragment(), 0..40), width in 1u16..100) {
        let html: String = parts.concat();
        let r = render_html(&html, width, &RenderOptions::new(true));
        for line in &r.lines {
            prop_assert!(line.width() <= width as usize, "{:?} wider than {}", line.to_string(), width);
            for span in &line.spans {
                prop_assert!(!span.content.chars().any(|c| is_forbidden(c) || c == '\n'), "{:?}", span.content);
            }
        }
        for link in &r.links {
            prop_assert!(!link.text.chars().any(is_forbidden), "{:?}", link.text);
            prop_assert!(!link.url.chars().any(is_forbidden), "{:?}", link.url);
            prop_assert!(!link.href.chars().any(is_forbidden), "{:?}", link.href);
        }
    }
}
