//! Rendering features on small pages: title, links section, captions, placeholders, centring,
//! kinsoku, entities, safety of titles and URLs, and the lead image shown once.

use std::path::PathBuf;
use std::sync::Arc;

use reader::article::{self, Article, Body, Origin};
use reader::render::{Cache, RenderOptions, Rendered, render_article, render_html};

/// An article through the real loader (front-matter format), with the title set afterwards so
/// tests can hand the renderer any title.
fn doc(title: &str, image: Option<&str>, html: &str) -> (Article, Body) {
    let mut src = String::from("---\ntitle: 'placeholder'\n");
    if let Some(img) = image {
        src.push_str(&format!("headimg: '{img}'\n"));
    }
    src.push_str("---\n");
    src.push_str(html);
    let origin = Origin::Memory {
        name: PathBuf::from("mem/a.txt"),
        bytes: Arc::from(src.as_bytes()),
    };
    let mut a = article::parse(origin, src.as_bytes()).expect("parses");
    a.title = title.into();
    let b = a.load_body().expect("body");
    (a, b)
}

fn body(html: &str) -> Body {
    Body {
        html: html.into(),
        ..Body::default()
    }
}

fn text(r: &Rendered) -> Vec<String> {
    r.lines.iter().map(|l| l.to_string()).collect()
}

fn html(h: &str, width: u16) -> Vec<String> {
    text(&render_html(h, width, &RenderOptions::default()))
}

#[test]
fn article_has_title_body_and_links_section() {
    let (a, b) = doc(
        "气候问题上，美国想跟中国重新走到一起",
        None,
        "<p>外交部宣布<a href=\"https://www.guancha.cn/internation/2022_08_05_652521.shtml\">8项反制措施</a>，\
         见<a href=\"https://www.dw.com/zh/COP27%E5%8D%B3%E5%B0%87%E5%8F%AC%E9%96%8B/a-63558196\">德國之聲</a>。</p>",
    );
    let r = render_article(&a, &b, 40, &RenderOptions::default());
    assert_eq!(
        text(&r),
        [
            "气候问题上，美国想跟中国重新走到一起",
            "",
            "外交部宣布8项反制措施[1]，见德國之",
            "聲[2]。",
            "",
            "Links",
            "[1] 8项反制措施",
            "    https://www.guancha.cn/internation/",
            "    2022_08_05_652521.shtml",
            "[2] 德國之聲",
            "    https://www.dw.com/zh/COP27即將召開/",
            "    a-63558196",
        ]
    );
    assert_eq!(r.links.len(), 2);
    assert_eq!(
        r.links[1].url,
        "https://www.dw.com/zh/COP27即將召開/a-63558196"
    );
    assert_eq!(
        r.links[1].href,
        "https://www.dw.com/zh/COP27%E5%8D%B3%E5%B0%87%E5%8F%AC%E9%96%8B/a-63558196"
    );
}

#[test]
fn kinsoku_keeps_closing_punctuation_off_line_starts() {
    // 10 columns hold five characters; "。" and "」" may not start a line.
    for (src, want) in [
        ("一二三四五。六", vec!["一二三四", "五。六"]),
        (
            "他說：「我們認為。」好",
            vec!["他說：「我", "們認為。」", "好"],
        ),
        ("美國願意（John）與", vec!["美國願意", "（John）與"]),
    ] {
        assert_eq!(html(&format!("<p>{src}</p>"), 10), want, "{src}");
    }
}

#[test]
fn latin_wraps_at_words_and_cjk_anywhere() {
    assert_eq!(
        html("<p>John Kerry said 我們需要中國的配合 today.</p>", 16),
        ["John Kerry said", "我們需要中國的配", "合 today."]
    );
}

#[test]
fn entities_are_decoded_and_dangerous_ones_dropped() {
    assert_eq!(
        html(
            "<p>&lt;美&gt; &amp; &quot;x&quot; &#20013;&#x6587; &#27;[2J&#x202e;!&#x9b;</p>",
            40
        ),
        // &#x9b; is not C1: HTML maps it through windows-1252 to U+203A.
        ["<美> & \"x\" 中文 [2J!\u{203a}"]
    );
}

#[test]
fn control_characters_never_reach_the_lines() {
    let r = render_html(
        "<p>a\u{1b}[31mred\u{1b}[0m\u{7}\u{9b}2J\u{202e}b\tc</p>\
         <p><a href=\"https://e.com/\u{1b}]0;x\u{7}%1b%5b2J\">l</a></p>",
        40,
        &RenderOptions::default(),
    );
    assert_eq!(text(&r), ["aredb c", "", "l\u{a0}[1]"]);
    assert_eq!(r.links[0].href, "https://e.com/%1b%5b2J");
    // Decoding for display yields ESC [ 2 J: removed as a whole sequence.
    assert_eq!(r.links[0].url, "https://e.com/");
}

#[test]
fn titles_are_sanitised_and_wrapped() {
    let (a, b) = doc(
        "COP27即將召開\u{1b}]0;pwned\u{7} 美籲中重啟氣候對話",
        None,
        "",
    );
    let r = render_article(&a, &b, 16, &RenderOptions::default());
    assert_eq!(text(&r), ["COP27即將召開 美", "籲中重啟氣候對話"]);
}

#[test]
fn image_placeholders_with_captions() {
    let h = "<img src=\"https://images.weserv.nl/?url=static.dw.com/image/62527817_303.jpg\" width=\"100%\">\
             <div><small style=\"color: #999;\">美國氣候特使克里</small></div>\
             <p align=\"center\"><img src=\"https://i.guancha.cn/x.png\" title=\"点击查看大图\" alt=\"点击查看大图\"></p>\
             <p align=\"center\"><span>《金融时报》报道截图</span></p>\
             <img src=\"https://e.com/a/b/photo-1.jpg\">\
             <img src=\"https://e.com/pixel.gif\" width=\"1\" height=\"1\">";
    assert_eq!(
        html(h, 40),
        [
            "[Image] 美國氣候特使克里",
            "",
            "      [Image] 《金融时报》报道截图",
            "",
            "[Image]"
        ]
    );
}

#[test]
fn embeds_become_one_line_placeholders() {
    assert_eq!(
        html(
            "<p>before</p><iframe src=\"https://www.youtube.com/embed/abc\" width=560></iframe>\
             <video src=\"https://media.example.org/v.mp4\" controls></video><p>after</p>",
            40
        ),
        [
            "before",
            "",
            "[Embedded content: youtube.com][1]",
            "",
            "[Video: media.example.org][2]",
            "",
            "after"
        ]
    );
}

#[test]
fn centred_paragraphs_are_centred() {
    assert_eq!(
        html(
            "<p style=\"text-align: center\">中心</p><center>mid</center>",
            12
        ),
        ["    中心", "", "    mid"]
    );
}

#[test]
fn lists_quotes_and_headings() {
    assert_eq!(
        html(
            "<h2>北京態度成關鍵</h2><ul><li>第一</li><li>second item</li></ul>\
             <blockquote><p>引用的話很長很長</p></blockquote><ol><li>甲</li><li>乙</li></ol>",
            12
        ),
        [
            "北京態度成關",
            "鍵",
            "",
            "- 第一",
            "- second",
            "  item",
            "",
            "│ 引用的話很",
            "│ 長很長",
            "",
            "1. 甲",
            "2. 乙"
        ]
    );
}

#[test]
fn lead_image_is_shown_once() {
    let img = "https://i.guancha.cn/news/2022/09/01/20220901104008580.jpg";
    let (a, b) = doc(
        "標題",
        Some(img),
        &format!("<img src=\"{img}\"><p>正文</p>"),
    );
    let r = render_article(&a, &b, 40, &RenderOptions::default());
    assert_eq!(text(&r), ["標題", "", "[Image]", "", "正文"]);
    // Not in the body: shown under the title.
    let (a, b) = doc("標題", Some(img), "<p>正文</p>");
    let r = render_article(&a, &b, 40, &RenderOptions::default());
    assert_eq!(text(&r), ["標題", "", "[Image]", "", "正文"]);
}

#[test]
fn tiny_widths() {
    let h = "<p>中文 and English，「括號」。</p><ul><li>列表</li></ul>";
    assert!(html(h, 0).is_empty());
    assert_eq!(
        html("<p>中a</p>", 1),
        ["\u{fffd}", "a"],
        "a wide character cannot fit in one column"
    );
    for width in 1..=10u16 {
        let r = render_html(h, width, &RenderOptions::default());
        assert!(!r.lines.is_empty());
        for l in &r.lines {
            assert!(
                l.width() <= width as usize,
                "{:?} at {width}",
                l.to_string()
            );
        }
    }
}

#[test]
fn cache_reuses_renderings_per_width() {
    let (a, b) = doc("t", None, "<p>一二三四五六七八九十</p>");
    let mut cache = Cache::new(4);
    let r1 = cache.render(&a, &b, 10, &RenderOptions::default());
    let r2 = cache.render(&a, &b, 10, &RenderOptions::default());
    assert!(Arc::ptr_eq(&r1, &r2));
    let r3 = cache.render(&a, &b, 6, &RenderOptions::default());
    assert_eq!(text(&r3), ["t", "", "一二三", "四五六", "七八九", "十"]);
    assert_eq!(cache.len(), 2);
    let changed = body("<p>新</p>");
    let r4 = cache.render(&a, &changed, 10, &RenderOptions::default());
    assert_eq!(text(&r4), ["t", "", "新"]);
}

#[test]
fn tables_ordered_starts_and_linked_images() {
    assert_eq!(
        html(
            "<table><tr><th>國家</th><th>排放量</th></tr><tr><td>中國</td><td>30%</td></tr></table>\
             <ol start=\"3\"><li>三</li><li>四</li></ol>\
             <p><a href=\"https://e.com/big.jpg\"><img src=\"https://e.com/s.jpg\" alt=\"大圖\"></a></p>",
            30
        ),
        [
            "────┬──────",
            "國家│排放量",
            "────┼──────",
            "中國│30%",
            "────┴──────",
            "",
            "3. 三",
            "4. 四",
            "",
            "[Image] 大圖[1]",
        ]
    );
}

#[test]
fn the_dateline_block_goes_to_the_header_line() {
    let src = "<!--1666748823000-->\n[COP27即將召開](https://www.dw.com/zh/x/a-63558196)\n------\n\n\
               <div><i>乐然（综合报道）<br>2022-10-26T01:34:17.666Z</i></div><p>正文</p>";
    let origin = Origin::Memory {
        name: PathBuf::from("mem/dw.txt"),
        bytes: Arc::from(src.as_bytes()),
    };
    let a = article::parse(origin, src.as_bytes()).expect("parses");
    assert!(a.published.is_some());
    let b = a.load_body().expect("body");
    let options = RenderOptions {
        byline: true,
        ..RenderOptions::default()
    };
    let r = render_article(&a, &b, 40, &options);
    // The byline and the time once, in the header line (issue #10), not again as a paragraph.
    assert_eq!(
        text(&r),
        [
            "COP27即將召開",
            "德國之聲 · 乐然 · 2022-10-26 01:34 UTC",
            "",
            "正文"
        ]
    );
    // A fragment is shown as it is.
    assert_eq!(
        html("<div><i>2022-10-26T01:34:17.666Z</i></div>", 40),
        ["2022-10-26T01:34:17.666Z"]
    );
}
