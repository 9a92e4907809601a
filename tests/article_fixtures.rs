//! One test per bad-input case of issue #2, each asserting the exact outcome. Small fixtures live
//! in `tests/fixtures/`; the big ones (20 MB, 10,000 files) are generated in `library_load.rs`
//! and here at run time.

use std::path::{Path, PathBuf};

use reader::article::{self, Article, Format, Image, Link, LoadError};

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn load(rel: &str) -> Article {
    article::load_file(&path(rel)).unwrap_or_else(|e| panic!("{rel} should load: {e}"))
}

fn reason(rel: &str) -> String {
    let err: LoadError = article::load_file(&path(rel)).expect_err("should not load");
    assert_eq!(err.path, path(rel));
    err.reason
}

fn utc(s: &Option<article::Stamp>) -> Option<String> {
    s.as_ref().map(|s| s.utc.to_string())
}

#[test]
fn empty_file() {
    assert_eq!(reason("bad/empty.txt"), "empty file");
}

#[test]
fn only_blank_lines() {
    assert_eq!(reason("bad/blank-lines.txt"), "only blank lines");
}

#[test]
fn binary_file() {
    assert_eq!(reason("bad/binary.png"), "binary data (NUL bytes)");
}

#[test]
fn front_matter_that_never_closes() {
    assert_eq!(
        reason("bad/unclosed-front-matter.txt"),
        "front matter opened with --- on line 2 never closes"
    );
}

#[test]
fn malformed_yaml_names_the_file_line() {
    assert_eq!(
        reason("bad/malformed-yaml.txt"),
        "YAML front matter: mapping values are not allowed in this context at line 2 column 10"
    );
}

#[test]
fn yaml_alias_bomb_is_refused() {
    // Expanded, this bomb would be 9^10 strings; the parser refuses it instead.
    assert_eq!(
        reason("bad/alias-bomb.txt"),
        "YAML front matter: repetition limit exceeded"
    );
}

#[test]
fn invalid_utf8_loads_lossily_with_a_warning() {
    let a = load("good/invalid-utf8.txt");
    assert_eq!(a.title, "标题\u{fffd}\u{fffd}坏");
    assert_eq!(a.outlet.as_deref(), Some("观察者网"));
    assert_eq!(utc(&a.published).as_deref(), Some("2022-02-24T03:00:00Z"));
    assert_eq!(
        a.warnings,
        ["invalid UTF-8, decoded with replacement characters (�)"]
    );
    let body = a.load_body().unwrap();
    assert_eq!(body.html, "<p>正文\u{fffd}\u{fffd}</p>\n");
    assert_eq!(body.chars, 4);
}

#[test]
fn bom_and_leading_blank_line() {
    let a = load("good/bom.txt");
    assert_eq!(a.format, Format::FrontMatter);
    assert_eq!(a.title, "带BOM的报道");
    assert_eq!(a.author.as_deref(), Some("王世纯"));
    assert_eq!(a.outlet.as_deref(), Some("观察者网"));
    assert_eq!(
        a.image.as_deref(),
        Some("https://i.guancha.cn/news/2022/02/24/lead.jpg")
    );
    assert!(a.warnings.is_empty());
}

#[test]
fn crlf_link_header_with_byline() {
    let a = load("good/crlf.txt");
    assert_eq!(a.format, Format::LinkHeader);
    assert_eq!(a.title, "普京宣布展開特別軍事行動");
    assert_eq!(a.url.as_deref(), Some("https://www.dw.com/zh/a-60900000"));
    assert_eq!(a.author.as_deref(), Some("乐然"));
    assert_eq!(a.outlet.as_deref(), Some("德國之聲"));
    assert_eq!(utc(&a.published).as_deref(), Some("2022-02-24T02:55:00Z"));
    assert_eq!(utc(&a.archived).as_deref(), Some("2022-02-24T03:00:00Z"));
    let body = a.load_body().unwrap();
    assert!(
        !body.html.contains('\r'),
        "CR must not survive: {:?}",
        body.html
    );
}

#[test]
fn date_that_does_not_parse() {
    let a = load("good/invalid-date.txt");
    assert_eq!(a.title, "日期无效的报道");
    assert_eq!(a.published, None);
    assert_eq!(
        a.warnings,
        ["date \"Invalid Date\" is not a date; the publication time is unknown"]
    );
}

#[test]
fn naive_date_is_china_time_and_title_artefact_fixed() {
    let a = load("good/naive-date.txt");
    assert_eq!(a.title, "普京授权在顿巴斯地区展开“军事行动”");
    let p = a.published.unwrap();
    assert_eq!(p.utc.to_string(), "2021-10-28T06:08:07Z");
    assert_eq!(p.original, "2021-10-28 14:08:07");
    assert_eq!(a.categories, ["国际"]);
    // An empty `headimg` gives way to `thumbnail`.
    assert_eq!(a.image.as_deref(), Some("https://i.guancha.cn/thumb.jpg"));
    assert_eq!(a.author.as_deref(), Some("王世纯"));
    assert_eq!(
        a.extra,
        [("source_note".to_string(), "观察者网综合".to_string())]
    );
}

#[test]
fn no_title_falls_back_to_first_line() {
    let a = load("good/no-title.txt");
    assert_eq!(a.title, "没有标题的报道，第一行当作标题。");
    assert!(a.warnings.is_empty());
}

#[test]
fn no_title_and_no_text_falls_back_to_file_name() {
    let a = load("good/image-only.txt");
    assert_eq!(a.title, "image-only.txt");
    assert_eq!(a.warnings, ["no title found; showing the file name"]);
    assert_eq!(a.image.as_deref(), Some("https://example.org/only.jpg"));
    assert_eq!(a.chars, 0);
}

#[test]
fn multi_line_link_title_and_stray_percent() {
    let a = load("good/multiline-title.txt");
    assert_eq!(a.title, "美國總統拜登：中美氣候合作「不可或缺」");
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.dw.com/zh/%E6%8B%9C%E7%99%BB100%%E6%94%AF%E6%8C%81/a-63500000")
    );
    // `100%` is a stray percent sign, not an escape: decoding keeps it.
    assert_eq!(
        a.display_url().as_deref(),
        Some("https://www.dw.com/zh/拜登100%支持/a-63500000")
    );
    assert_eq!(a.outlet.as_deref(), Some("德國之聲"));
    assert_eq!(utc(&a.published).as_deref(), Some("2022-10-20T08:00:00Z"));
}

#[test]
fn gallery_without_dateline() {
    let a = load("good/gallery.txt");
    assert_eq!(a.title, "圖片集：COP27會場");
    assert_eq!(a.published, None);
    assert_eq!(utc(&a.archived).as_deref(), Some("2022-10-17T09:46:40Z"));
    assert_eq!(
        a.sort_time().map(|t| t.to_string()).as_deref(),
        Some("2022-10-17T09:46:40Z")
    );
    assert_eq!(a.author, None);
    let b = a.load_body().unwrap();
    assert_eq!(
        b.images,
        [
            Image {
                src: "https://static.dw.com/image/1_303.jpg".into(),
                caption: Some("會場外的抗議者".into())
            },
            Image {
                src: "https://static.dw.com/image/2_303.jpg".into(),
                caption: Some("第二張".into())
            },
        ]
    );
}

#[test]
fn outlet_from_agency_credit_when_host_is_unknown() {
    let a = load("good/credit-outlet.txt");
    assert_eq!(a.outlet.as_deref(), Some("德國之聲"));
    assert_eq!(a.author.as_deref(), Some("文山"));
}

#[test]
fn control_characters_never_reach_the_model() {
    let a = load("good/control-chars.txt");
    assert_eq!(a.title, "红色标题反转");
    assert_eq!(a.author.as_deref(), Some("作者"));
    assert_eq!(a.categories, ["类别"]);
    let b = a.load_body().unwrap();
    assert_eq!(
        b.links,
        [Link {
            text: "链接".into(),
            url: "https://x.org/".into()
        }]
    );
    let forbidden = |s: &str| {
        s.chars()
            .any(|c| c != '\n' && reader::sanitize::is_forbidden(c))
    };
    assert!(!forbidden(&b.html), "{:?}", b.html);
    assert_eq!(
        b.html,
        "<p>正文闪烁</p><a href=\"https://x.org/\">链接</a>\n"
    );
}

#[test]
fn plain_html_page() {
    let a = load("good/page.html");
    assert_eq!(a.format, Format::Html);
    assert_eq!(a.title, "A Plain Page & Its Title");
    assert_eq!(a.outlet.as_deref(), Some("Example News"));
    assert_eq!(a.author.as_deref(), Some("Jane Doe"));
    let p = a.published.clone().unwrap();
    assert_eq!(p.utc.to_string(), "2022-11-01T11:00:00Z");
    assert_eq!(p.original, "2022-11-01T12:00:00+01:00");
    assert_eq!(a.image.as_deref(), Some("pic.jpg"));
    let b = a.load_body().unwrap();
    assert_eq!(
        b.images,
        [Image {
            src: "pic.jpg".into(),
            caption: Some("A picture".into())
        }]
    );
}

#[test]
fn html_fragment_titled_by_first_heading() {
    let a = load("good/heading-only.html");
    assert_eq!(a.title, "Only a heading");
    assert_eq!((a.chars, a.words), (21, 4));
}

#[test]
fn markdown_note() {
    let a = load("good/note.md");
    assert_eq!(a.format, Format::Markdown);
    assert_eq!(a.title, "A Markdown note");
    let b = a.load_body().unwrap();
    assert_eq!(
        b.links,
        [Link {
            text: "link".into(),
            url: "https://example.com/x".into()
        }]
    );
    assert_eq!(
        b.html,
        "<h1>A Markdown note</h1>\n<p>With a <a href=\"https://example.com/x\">link</a> and <strong>bold</strong> text, in snake_case.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    );
}

#[test]
fn plain_text_note() {
    let a = load("good/note.txt");
    assert_eq!(a.format, Format::Text);
    assert_eq!(a.title, "Just a plain note");
    assert_eq!(
        a.load_body().unwrap().html,
        "<p>Just a plain note<br>\nwith two lines.</p>\n<p>And a second paragraph.</p>\n"
    );
}

#[test]
fn twenty_megabyte_file_loads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.txt");
    let para = "<p>（德國之聲中文網）美國氣候特使克里表示，中美合作不可或缺。Kerry said so.</p>\n";
    let count = 20 * 1024 * 1024 / para.len() + 1;
    let mut text = String::from(
        "<!--1666748823000-->\n[巨大的報道](https://www.dw.com/zh/a-1)\n------\n\n<div><i><br>2022-10-26T01:34:17.666Z</i></div>",
    );
    for _ in 0..count {
        text.push_str(para);
    }
    std::fs::write(&file, &text).unwrap();
    assert!(text.len() >= 20 * 1024 * 1024);
    let a = article::load_file(&file).unwrap();
    assert_eq!(a.title, "巨大的報道");
    assert_eq!(
        utc(&a.published).as_deref(),
        Some("2022-10-26T01:34:17.666Z")
    );
    // Per paragraph: 25 ideographs and 4 punctuation marks, 12 in "Kerry said so.", 3 words; the
    // dateline adds its 24 characters.
    assert_eq!(a.chars, 41 * count + 24);
    assert_eq!(a.cjk, 25 * count);
    // "2022-10-26T01" (hyphens join words), "34", "17", "666Z" in the dateline.
    assert_eq!(a.words, 3 * count + 4);
    let b = a.load_body().unwrap();
    assert_eq!((b.chars, b.words), (a.chars, a.words));
    assert_eq!(b.reading_minutes, a.reading_minutes());
    assert!(b.images.is_empty() && b.links.is_empty());
}

#[test]
fn display_url_never_decodes_into_control_characters() {
    assert_eq!(
        article::display_url("https://x.org/a%1B%5B2Jb%E2%80%AEc"),
        "https://x.org/abc"
    );
    // Escapes that are not UTF-8 stay as written.
    assert_eq!(
        article::display_url("https://x.org/%FF%FE"),
        "https://x.org/%FF%FE"
    );
}

#[test]
fn error_displays_as_path_and_reason() {
    let err = article::load_file(&path("bad/empty.txt")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: empty file", path("bad/empty.txt").display())
    );
    let missing = article::load_file(&path("bad/no-such-file.txt")).unwrap_err();
    assert_eq!(missing.reason, "no such file");
    let folder = article::load_file(&path("bad")).unwrap_err();
    assert_eq!(folder.reason, "is a folder, not a file");
}

fn parse_mem(text: &str) -> Article {
    let bytes: std::sync::Arc<[u8]> = text.as_bytes().into();
    article::parse(
        article::Origin::Memory {
            name: "mem/note".into(),
            bytes: bytes.clone(),
        },
        &bytes,
    )
    .unwrap()
}

#[test]
fn markdown_without_heading_is_titled_by_its_first_line_as_text() {
    let a = parse_mem("See **this** [page](https://x.org) first.\n\n- item\n");
    assert_eq!(a.format, Format::Markdown);
    assert_eq!(a.title, "See this page first.");
}

#[test]
fn long_first_line_title_is_shortened() {
    let a = parse_mem(&"字".repeat(500));
    assert_eq!(a.format, Format::Text);
    assert_eq!(a.title, format!("{}…", "字".repeat(119)));
}

#[test]
fn utf16_with_bom_is_decoded() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "---\ntitle: 十六位\n---\n<p>正文</p>\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let bytes: std::sync::Arc<[u8]> = bytes.into();
    let a = article::parse(
        article::Origin::Memory {
            name: "mem/utf16".into(),
            bytes: bytes.clone(),
        },
        &bytes,
    )
    .unwrap();
    assert_eq!(a.title, "十六位");
    assert_eq!(a.load_body().unwrap().html, "<p>正文</p>\n");
}
