//! Issue #9 on excerpts trimmed from archive-dev (`tests/fixtures/meta/`): credits, titles,
//! URL dates, an unknown outlet's inferred zone, and copies folded into one article — each
//! asserted to the exact field values, through the library and the `reader` binary.

mod cli_support;
use cli_support::TestHome;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use reader::article::{self, Article, Origin, dates};
use reader::library::Library;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/meta")
        .join(name)
}

fn load(name: &str) -> Article {
    article::load_file(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn reader(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent-reader-test")
        .env("HOME", "/nonexistent-reader-test")
        .output()
        .expect("run reader")
}

fn utc(a: &Article) -> Option<String> {
    a.published.as_ref().map(|p| p.utc.to_string())
}

#[test]
fn dw_bylines_from_the_dateline() {
    // `null 郭笃为<br>2020-…Z`: the generator's `null` is no part of the name.
    let a = load("dw-1048164.md");
    assert_eq!(a.author.as_deref(), Some("郭笃为"));
    assert_eq!(a.meta.agency, Vec::<String>::new());
    // `ARD<br>…`: another broadcaster's material is credited to it, not as a writer.
    let a = load("dw-1048066.md");
    assert_eq!(a.author, None);
    assert_eq!(a.meta.agency, ["ARD"]);
    assert_eq!(utc(&a).as_deref(), Some("2020-07-05T14:32:43.321Z"));
}

#[test]
fn reuters_agency_and_editors_never_the_author() {
    let a = load("reuters-credits.md");
    assert_eq!(a.outlet.as_deref(), Some("路透"));
    assert_eq!(a.author, None);
    assert_eq!(a.meta.agency, ["路透"]);
    // `编译 王凤昌 发稿 朱淑珍`: two credits without a separator.
    assert_eq!(a.meta.editors, ["王凤昌", "朱淑珍"]);
    // The zone-less time is the outlet's (UTC, as the archive writes Reuters times).
    assert_eq!(utc(&a).as_deref(), Some("2020-06-24T03:29:28Z"));
    assert_eq!(a.meta.published_zone, Some(dates::ZoneFrom::Outlet));
}

#[test]
fn rfi_site_and_programme_suffixes_are_removed_and_the_original_kept() {
    let a = load("rfi-1048304.md");
    assert_eq!(a.title, "捷克新增260人确诊 4月初来单日最大量");
    assert_eq!(
        a.meta.title_original.as_deref(),
        Some("捷克新增260人确诊 4月初来单日最大量 – 法国国际广播电台 - RFI")
    );
    let a = load("rfi-1048115.md");
    assert_eq!(a.title, "德国将调整德美关系？");
    assert_eq!(
        a.meta.title_original.as_deref(),
        Some("德国将调整德美关系？ - 柏林飞鸿")
    );
    // No suffix: no original kept.
    let a = load("rfi-1047952.md");
    assert_eq!(a.title, "长江一号洪水逼近三峡大坝 上游重庆三层楼大水穿堂过");
    assert_eq!(a.meta.title_original, None);
}

#[test]
fn title_entities_are_decoded_and_a_source_attribution_stays() {
    let a = load("reuters-entities.md");
    assert_eq!(
        a.title,
        "就美国对香港施加限制 中方\"将采取必要反制措施\"--中国外交部"
    );
    assert_eq!(
        a.meta.title_original.as_deref(),
        Some("就美国对香港施加限制 中方&quot;将采取必要反制措施&quot;--中国外交部")
    );
}

#[test]
fn a_date_in_the_url_when_the_page_prints_none() {
    let a = load("rfi-url-date.md");
    assert_eq!(a.meta.published_from, Some(dates::Source::Url));
    assert_eq!(a.meta.published_precision, Some(dates::Precision::Day));
    assert_eq!(a.published.as_ref().unwrap().original, "20200628");
    // Midnight in Paris (CEST), shown as the day the URL names.
    assert_eq!(utc(&a).as_deref(), Some("2020-06-27T22:00:00Z"));
    assert_eq!(a.list_time().unwrap().date_label(), "2020-06-28");
}

#[test]
fn an_unknown_outlets_zone_is_inferred_and_check_says_so() {
    let a = load("unknown-outlet.md");
    assert_eq!(a.outlet.as_deref(), Some("example-news.net"));
    // 00:22 printed, archived at 22:56 UTC the evening before: UTC+2 is the zone that puts
    // it shortly before (Beijing time would make the wait 6½ hours).
    assert_eq!(utc(&a).as_deref(), Some("2020-07-02T22:22:00Z"));
    assert_eq!(a.meta.published_zone, Some(dates::ZoneFrom::Inferred));
    let out = reader(&["check".as_ref(), fixture("unknown-outlet.md").as_os_str()]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        format!(
            "reader: {}: warning: publication time \"03/07/2020 - 00:22\" has no zone; the zone was inferred from the archive time\n",
            fixture("unknown-outlet.md").display()
        )
    );
    assert_eq!(out.status.code(), Some(1));
}

/// Writes `files` (name, bytes) into a fresh temporary folder.
fn folder(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    dir
}

#[test]
fn copies_are_one_article_with_every_path_kept() {
    let rfi = std::fs::read(fixture("rfi-1048304.md")).unwrap();
    let text = String::from_utf8(rfi.clone()).unwrap();
    // Same canonical URL: another scheme, a query and a trailing slash.
    let moved = text.replacen("http://www.rfi.fr//cn/", "https://rfi.fr/cn/", 1);
    let moved = moved.replacen(")\n------", "/?utm=x)\n------", 1);
    assert_ne!(moved, text);
    // Same outlet, title and body, another archive time and no URL match.
    let other = text
        .replacen("<!--1593334561000-->", "<!--1593338161000-->", 1)
        .replacen("http://www.rfi.fr//cn/", "http://www.rfi.fr/cn/archive/", 1);
    assert_ne!(other, text);
    let dir = folder(&[
        ("a.md", rfi.clone()),
        ("b.md", moved.into_bytes()),
        ("c.md", other.into_bytes()),
        ("d.md", std::fs::read(fixture("rfi-1048115.md")).unwrap()),
    ]);
    let lib = Library::load(&[dir.path().to_path_buf()]);
    assert_eq!(lib.articles.len(), 2);
    let a = &lib.articles[lib.find(&dir.path().join("b.md")).unwrap()];
    assert_eq!(a.path(), dir.path().join("a.md"));
    assert_eq!(
        a.meta.copies,
        [dir.path().join("b.md"), dir.path().join("c.md")]
    );
    assert_eq!(
        lib.find(&dir.path().join("c.md")),
        lib.find(&dir.path().join("a.md"))
    );

    // `reader check` names them; `reader list --json` carries them.
    let out = reader(&["check".as_ref(), dir.path().as_os_str()]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let d = dir.path().display();
    assert_eq!(
        stdout,
        format!(
            "same report in 3 files: {d}/a.md, {d}/b.md, {d}/c.md\n2 loaded, 0 did not load, 0 warnings\n"
        )
    );
    let out = reader(&["list".as_ref(), "--json".as_ref(), dir.path().as_os_str()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let row = rows
        .iter()
        .find(|r| r["path"] == format!("{d}/a.md"))
        .expect("a.md row");
    assert_eq!(
        row["copies"],
        serde_json::json!([format!("{d}/b.md"), format!("{d}/c.md")])
    );
    let single = rows
        .iter()
        .find(|r| r["path"] == format!("{d}/d.md"))
        .unwrap();
    assert_eq!(single["copies"], serde_json::json!([]));
}

#[test]
fn tags_from_front_matter_and_the_closing_lines() {
    let bytes: &[u8] = "\n---\ntitle: 标题\ntags:\n - 香港\n - 国安法\ndate: 2020-07-05 13:33:00\n---\n<p>正文很长。</p><p>Post tags: 人权, 香港</p><a rel=\"tag\" href=\"/t/x\">示威</a>\n".as_bytes();
    let a = article::parse(
        Origin::Memory {
            name: "tags.txt".into(),
            bytes: bytes.into(),
        },
        bytes,
    )
    .expect("parse");
    assert_eq!(a.meta.tags, ["香港", "国安法", "人权", "示威"]);
    assert_eq!(utc(&a).as_deref(), Some("2020-07-05T05:33:00Z"));
}

#[test]
fn a_columnist_leading_title_and_standfirst_is_the_author() {
    let a = load("rfi-columnist.md");
    assert_eq!(a.author.as_deref(), Some("方方"));
    assert_eq!(a.title, "方方：湖北大学校长顺利过关，我和梁教授一起吃鱼");
    // A speaker quoted in the title only is no author.
    let a = load("rfi-speaker.md");
    assert!(a.title.starts_with("林郑月娥："), "{}", a.title);
    assert_eq!(a.author, None);
}

#[test]
fn a_programme_leading_title_and_standfirst_is_no_author() {
    let a = load("voa-programme.md");
    assert!(a.title.starts_with("时事大家谈"), "{}", a.title);
    assert_eq!(a.author, None);
}

#[test]
fn a_caption_repeating_a_quote_title_gives_no_author() {
    // The speaker's name shortened to a personal name's usual two characters, so only the
    // caption rule keeps it from being the author.
    let text = std::fs::read_to_string(fixture("rfi-speaker.md"))
        .unwrap()
        .replace("林郑月娥", "林郑");
    // The title (a speaker quoted) repeated as a caption before the text.
    let title = "林郑：欢迎国安法通过今日稍后生效 会尽快刊宪公布";
    assert!(text.contains(title));
    let with_caption = text.replacen(
        "<img ",
        &format!("<div><small>{title}</small></div><img "),
        1,
    );
    let bytes = with_caption.into_bytes();
    let a = article::parse(
        Origin::Memory {
            name: "caption.md".into(),
            bytes: bytes.clone().into(),
        },
        &bytes,
    )
    .unwrap();
    assert_eq!(a.title, title);
    assert_eq!(a.author, None);
}
