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

const CLOSING: &str = "，。、」》）！？：；";
const OPENING: &str = "「《（";

/// Chinese text with punctuation, never two punctuation marks in a row, so every unbreakable run
/// (opening bracket + character + closing mark) is at most 6 columns.
fn chinese() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[\u{4e00}-\u{4e40}]",
            1 => prop::sample::select(CLOSING.chars().collect::<Vec<_>>()).prop_map(String::from),
            1 => prop::sample::select(OPENING.chars().collect::<Vec<_>>()).prop_map(String::from),
        ],
        1..200,
    )
    .prop_map(|parts| {
        let mut out = String::new();
        let mut last_punct = true;
        for p in parts {
            let punct = p
                .chars()
                .all(|c| CLOSING.contains(c) || OPENING.contains(c));
            if punct && last_punct {
                continue;
            }
            last_punct = punct;
            out.push_str(&p);
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn kinsoku_holds_when_runs_fit(text in chinese(), width in 8u16..60, markup in 0usize..3) {
        let html = match markup {
            0 => format!("<p>{text}</p>"),
            1 => format!("<blockquote><p>{text}</p></blockquote>"),
            _ => format!("<ul><li>{text}</li></ul>"),
        };
        let r = render_html(&html, width, &RenderOptions::default());
        let mut all = String::new();
        let bodies: Vec<String> = r
            .lines
            .iter()
            .map(|l| l.to_string().trim_start_matches(['│', '-', ' ']).to_string())
            .filter(|b| !b.is_empty())
            .collect();
        for (i, body) in bodies.iter().enumerate() {
            // The text's own first and last characters are where they are.
            if i > 0 {
                let first = body.chars().next().unwrap_or(' ');
                prop_assert!(!CLOSING.contains(first), "line starts with {first:?}: {bodies:?}");
            }
            if i + 1 < bodies.len() {
                let last = body.chars().last().unwrap_or(' ');
                prop_assert!(!OPENING.contains(last), "line ends with {last:?}: {bodies:?}");
            }
            all.push_str(body);
        }
        for line in &r.lines {
            prop_assert!(line.width() <= width as usize);
        }
        // Nothing lost or added: the lines hold the text, in order.
        prop_assert_eq!(all, text);
    }
}
