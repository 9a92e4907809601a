//! The cleaning stage (issue #10) on reports trimmed from archive-dev: generic and per-outlet
//! rules, learned furniture, image placeholders, captions, links, and a hostile report whose
//! furniture words are the story's own.

use std::path::{Path, PathBuf};

use reader::article::{self, Article};
use reader::library::Library;
use reader::render::clean::Cleaner;
use reader::render::{RenderOptions, Rendered, render_article, render_article_with};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/clean")
        .join(name)
}

fn load(name: &str) -> Article {
    article::load_file(&fixture(name)).unwrap()
}

fn text(r: &Rendered) -> Vec<String> {
    r.lines.iter().map(|l| l.to_string()).collect()
}

fn render(a: &Article, cleaner: &Cleaner) -> Rendered {
    let body = a.load_body().unwrap();
    render_article_with(a, &body, 200, &RenderOptions::default(), cleaner)
}

#[test]
fn bbc_furniture_goes_and_the_story_stays() {
    let a = load("bbc-furniture.md");
    assert_eq!(a.outlet.as_deref(), Some("BBC中文"));
    let r = render(&a, &Cleaner::for_article(&a, None));
    let lines = text(&r);
    let all = lines.join("\n");
    for furniture in [
        "图片版权",
        "Getty Images",
        "Image caption",
        "跳过 Youtube",
        "结尾 Youtube",
        "告知：第三方内容",
        "Facebook",
        "54034698",
        ".jpg",
    ] {
        assert!(!all.contains(furniture), "{furniture:?} left in:\n{all}");
    }
    // The caption once, as the image's text; the paragraph repeating it is gone.
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("瑞德西韦原本是用来治疗埃博拉病毒的药品"))
            .count(),
        1,
        "{all}"
    );
    assert!(lines.contains(&"[Image] 瑞德西韦原本是用来治疗埃博拉病毒的药品。".to_string()));
    // The embedded post: its text and its source from <noscript>, once.
    assert!(
        all.contains(
            "[Image] Youtube 用户名 BBC News 中文: 肺炎疫情：我們的生活何時才能恢復正常？[1]"
        ),
        "{all}"
    );
    // A picture with no words of its own is a plain placeholder.
    assert!(lines.contains(&"[Image]".to_string()));
    // Links: absolute, javascript: dropped, share links gone with their block.
    let urls: Vec<&str> = r.links.iter().map(|l| l.href.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://www.youtube.com/watch?v=Lf_YnDOKzqs",
            "https://www.bbc.com/zhongwen/simp/uk-1",
            "https://www.bbc.co.uk/news/health",
        ]
    );
    assert!(
        all.contains("分享。"),
        "the javascript: link's text stays, unnumbered"
    );
}

#[test]
fn no_clean_shows_everything() {
    let a = load("bbc-furniture.md");
    let r = render(&a, &Cleaner::off());
    let all = text(&r).join("\n");
    assert!(all.contains("告知：第三方内容可能包含广告"), "{all}");
    assert!(all.contains("Facebook"), "{all}");
}

#[test]
fn hostile_furniture_words_in_the_story_stay() {
    let a = load("hostile.md");
    let body = a.load_body().unwrap();
    let r = render_article(&a, &body, 200, &RenderOptions::default());
    let lines = text(&r);
    let paragraphs: Vec<&String> = lines.iter().skip(2).filter(|l| !l.is_empty()).collect();
    assert_eq!(paragraphs.len(), 4, "{lines:#?}");
    assert!(paragraphs[0].starts_with("（德国之声中文网）多家大型广告商"));
    assert!(paragraphs[1].contains("分享了\"订阅\"按钮"));
    assert_eq!(paragraphs[2].as_str(), "广告");
    assert!(paragraphs[3].starts_with("版权所有的新闻机构"));
}

#[test]
fn learned_furniture_is_removed_for_an_unknown_outlet() {
    let dir = tempfile::tempdir().unwrap();
    let footer = "<br><hr><div>获取更多RSS：<br><a href=\"https://feedx.net\">https://feedx.net</a><br><a href=\"https://feedx.xyz\">https://feedx.xyz</a></div>";
    let stories = [
        "新的一周，市政府公布了城市更新计划，涉及老旧小区的改造和交通设施的升级，预计耗资数十亿元。",
        "当地气象部门发布暴雨预警，提醒市民注意出行安全，部分地区的学校已经宣布停课一天。",
        "一家本地科技公司完成新一轮融资，计划将资金用于研发和扩大海外市场，员工人数将翻一番。",
        "博物馆推出夏季特展，展出近百件首次公开的文物，吸引了大批游客前来参观，门票已经售罄。",
    ];
    for (i, s) in stories.iter().enumerate() {
        std::fs::write(
            dir.path().join(format!("{i}.md")),
            format!(
                "<!--1593960937000-->\n[第{i}篇报道](https://news.example.org/a/{i}.html)\n------\n\n<p>{s}<a href=\"/b/{i}.html\">详情</a>。</p>{footer}"
            ),
        )
        .unwrap();
    }
    let lib = Library::load(&[dir.path().to_path_buf()]);
    assert_eq!(lib.articles.len(), 4);
    let a = &lib.articles[0];
    let learned = lib.learned_furniture(a);
    let r = render(a, &Cleaner::for_article(a, Some(learned)));
    let all = text(&r).join("\n");
    assert!(!all.contains("获取更多RSS"), "{all}");
    assert!(!all.contains("feedx"), "{all}");
    assert!(
        stories
            .iter()
            .any(|s| all.contains(&format!("{s}详情[1]。"))),
        "{all}"
    );
    // The footer's links went with it; the story's link is absolute and numbered 1.
    assert_eq!(r.links.len(), 1, "{:?}", r.links);
    assert!(r.links[0].href.starts_with("https://news.example.org/b/"));
    // The furniture listing names it.
    let listing = reader::commands::check::furniture(&lib);
    assert!(listing.contains("获取更多RSS："), "{listing}");
    assert!(listing.contains("4 reports"), "{listing}");
}

#[test]
fn link_numbers_can_be_hidden() {
    let a = load("bbc-furniture.md");
    let body = a.load_body().unwrap();
    let options = RenderOptions {
        hide_link_numbers: true,
        ..RenderOptions::default()
    };
    let r = render_article(&a, &body, 200, &options);
    let all = text(&r).join("\n");
    assert!(all.contains("详见此前报道与英文报道，分享。"), "{all}");
    assert!(all.contains("[1] "), "the Links section keeps its numbers");
}

/// The text of every `<p>` of a fixture's HTML (tags dropped), to check none is lost.
fn paragraphs(a: &Article) -> Vec<String> {
    let html = a.load_body().unwrap().html;
    html.split("<p>")
        .skip(1)
        .map(|p| {
            let p = &p[..p.find("</p>").unwrap_or(p.len())];
            let mut out = String::new();
            let mut in_tag = false;
            for c in p.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out.trim().to_string()
        })
        .collect()
}

#[test]
fn the_dateline_block_shows_once_in_the_header_line() {
    for (name, header, dateline) in [
        (
            "voa-dateline.md",
            "美国之音 · 2020-07-03 20:57 UTC",
            &["Fri, 03 Jul 2020 20:57:22 GMT"][..],
        ),
        (
            "dw-dateline.md",
            "德國之聲 · 2020-07-05 11:42 UTC",
            &["2020-07-05T11:42:38.064Z", "德国之声中文网\n"][..],
        ),
        (
            "rfi-dateline.md",
            "法广 · 2020-07-05 07:03 UTC",
            &["05/07/2020 - 09:03"][..],
        ),
        (
            "reuters-inline-dateline.md",
            "路透 · 2020-07-04 01:23 UTC",
            &["2020-07-04T01:23:36\n"][..],
        ),
    ] {
        let a = load(name);
        let options = RenderOptions {
            byline: true,
            ..RenderOptions::default()
        };
        let body = a.load_body().unwrap();
        let cleaner = Cleaner::for_article(&a, None);
        let r = render_article_with(&a, &body, 200, &options, &cleaner);
        let lines = text(&r);
        assert_eq!(lines[1], header, "{name}");
        let all = lines.join("\n") + "\n";
        for d in dateline {
            assert!(!all.contains(d), "{name}: {d:?} shown again:\n{all}");
        }
        // Nothing of the story goes with it.
        let flat = lines.concat();
        for p in paragraphs(&a) {
            assert!(flat.contains(&p), "{name}: lost {p:?}:\n{all}");
        }
        // Without cleaning the block is there, as written.
        let raw = text(&render_article_with(
            &a,
            &body,
            200,
            &options,
            &Cleaner::off(),
        ))
        .join("\n")
            + "\n";
        assert!(dateline.iter().any(|d| raw.contains(d)), "{name}: {raw}");
    }
}

#[test]
fn a_dateline_inside_the_story_text_stays() {
    // The wire's own opening, `路透渥太华7月3日 - …`, is story text, not the dateline block.
    let a = load("reuters-inline-dateline.md");
    let r = render(&a, &Cleaner::for_article(&a, None));
    assert!(
        text(&r)[2..]
            .concat()
            .starts_with("路透渥太华7月3日 - 加拿大总理特鲁多周五表示")
    );
}

#[test]
fn video_and_audio_name_their_title_and_link_their_media() {
    // 美国之音: a video and its audio, each with its caption after it (shown once, as the
    // placeholder's text); 德国之声: a video with no title; a YouTube iframe.
    let a = load("voa-video-audio.md");
    let r = render(&a, &Cleaner::for_article(&a, None));
    let lines = text(&r);
    let title = "时事大家谈：七一前夕通过国安法，香港自由繁荣大限将至？";
    assert!(lines.contains(&format!("[Video] {title}[1]")), "{lines:#?}");
    assert!(lines.contains(&format!("[Audio] {title}[2]")), "{lines:#?}");
    let links_at = lines.iter().position(|l| l == "Links").unwrap();
    assert_eq!(
        lines[..links_at]
            .iter()
            .filter(|l| l.contains(title))
            .count(),
        3,
        "title line and two placeholders, the captions not again: {lines:#?}"
    );
    let links: Vec<(&str, &str)> = r
        .links
        .iter()
        .map(|l| (l.text.as_str(), l.href.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            (
                title,
                "https://av.voanews.com/Videoroot/Pangeavideo/2020/07/6/64/646ede8b-fa78-40cd-94b3-5971358be868_240p.mp4"
            ),
            (
                title,
                "https://av.voanews.com/clips/VCH/2020/07/01/8e0586f2-398a-473f-bea6-51648493b851.mp3"
            ),
        ]
    );

    let a = load("dw-video.md");
    let r = render(&a, &Cleaner::for_article(&a, None));
    assert!(
        text(&r).contains(&"[Video: tvdownloaddw-a.akamaihd.net][1]".to_string()),
        "{:#?}",
        text(&r)
    );
    assert_eq!(r.links.len(), 1);
    assert_eq!(r.links[0].text, "Video: tvdownloaddw-a.akamaihd.net");
    assert!(
        r.links[0]
            .href
            .ends_with("bchi200703_003_tiktok_01f_sd_sor.mp4")
    );

    let a = load("voa-iframe.md");
    let r = render(&a, &Cleaner::for_article(&a, None));
    assert!(
        text(&r).contains(&"[Embedded content: youtube.com][2]".to_string()),
        "{:#?}",
        text(&r)
    );
    assert_eq!(
        r.links[1].href,
        "https://www.youtube.com/embed/UE3PCzvmXi0?&&&enablejsapi=1"
    );
    // The iframe's fallback link inside it is not shown on its own.
    assert_eq!(r.links.len(), 3, "{:?}", r.links);
}

#[test]
fn a_relative_media_url_is_made_absolute() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.md");
    std::fs::write(
        &path,
        "<!--1593960937000-->\n[A report](https://news.example.org/a/1.html)\n------\n\n<p>Story text.</p><video src=\"/media/v.mp4\" title=\"The clip\"></video><audio><source src=\"//cdn.example.org/a.mp3\"></audio>\n",
    )
    .unwrap();
    let a = article::load_file(&path).unwrap();
    let r = render(&a, &Cleaner::for_article(&a, None));
    let hrefs: Vec<&str> = r.links.iter().map(|l| l.href.as_str()).collect();
    assert_eq!(
        hrefs,
        [
            "https://news.example.org/media/v.mp4",
            "https://cdn.example.org/a.mp3"
        ]
    );
    assert!(text(&r).contains(&"[Video] The clip[1]".to_string()));
}

/// Pages of outlets the reader was never told about, in German, French and Spanish: the byline
/// gives the author, the share labels go, and story sentences using the same words stay.
#[test]
fn an_unknown_outlet_in_german_french_or_spanish_is_cleaned() {
    let cases = [
        (
            "generic-de.md",
            "Anna Schmidt",
            &["teilen", "Teilen", "Facebook"][..],
            &[
                "Der Stadtrat hat am Dienstag",
                "Von den Plänen profitieren vor allem Familien, sagte die Bürgermeisterin, die ihre Erfahrungen mit anderen Städten teilen will.",
                "Die ersten Arbeiten sollen im Frühjahr beginnen",
            ][..],
        ),
        (
            "generic-fr.md",
            "Jean Dupont",
            &["Partager", "Facebook", "e-mail"][..],
            &[
                "Le conseil municipal a voté mardi",
                "Par ailleurs, la maire a promis de partager le calendrier des travaux avec les habitants dès le mois prochain.",
                "Les premiers travaux commenceront au printemps.",
            ][..],
        ),
        (
            "generic-es.md",
            "María García",
            &["Compartir", "Facebook", "WhatsApp"][..],
            &[
                "El pleno del ayuntamiento aprobó el martes",
                "Por eso, la alcaldesa quiere compartir la experiencia con otras ciudades de la región.",
                "Las primeras obras comenzarán en primavera.",
            ][..],
        ),
    ];
    for (file, author, furniture, story) in cases {
        let a = load(file);
        // An outlet the reader does not know: named by its host, no rules of its own.
        let outlet = a.outlet.clone().unwrap_or_default();
        assert!(outlet.ends_with(".example"), "{file}: {outlet}");
        assert!(reader::render::clean::outlet_rules(&outlet).is_none());
        assert_eq!(a.author.as_deref(), Some(author), "{file}");
        let r = render(&a, &Cleaner::for_article(&a, None));
        let lines = text(&r);
        let all = lines.join("\n");
        for f in furniture {
            let story_uses = story.iter().filter(|s| s.contains(f)).count();
            assert_eq!(
                all.matches(f).count(),
                story_uses,
                "{file}: {f:?} in:\n{all}"
            );
        }
        for s in story {
            assert!(all.contains(s), "{file}: {s:?} lost:\n{all}");
        }
        // The share links went with their labels.
        assert!(r.links.is_empty(), "{file}: {:?}", r.links);
        // The byline line is the metadata's (the header line shows it), not a paragraph; the
        // reader's metadata pane names the author, so with no header line it is nowhere here.
        assert!(!all.contains(author), "{file}: byline shown in:\n{all}");
        let body = a.load_body().unwrap();
        let options = RenderOptions {
            byline: true,
            ..RenderOptions::default()
        };
        let shown = render_article_with(&a, &body, 200, &options, &Cleaner::for_article(&a, None));
        let shown = text(&shown);
        assert_eq!(
            shown.iter().filter(|l| l.contains(author)).count(),
            1,
            "{file}: {shown:?}"
        );
        assert!(shown[1].contains(author), "{file}: {shown:?}");
        // Nothing is removed with cleaning off.
        let raw = text(&render(&a, &Cleaner::off())).join("\n");
        for f in furniture {
            assert!(raw.contains(f), "{file}: {f:?}");
        }
    }
}

/// An outlet the reader was never told about, in German (trimmed from a page tried as a user
/// would): its wire-style dateline `WIEN, 3. Mai 2024 –` gives the date and stays in the story's
/// first sentence; share lines in four languages go; story sentences with the same words stay.
#[test]
fn an_unseen_outlets_dateline_gives_the_date_and_its_share_lines_go() {
    let a = load("unseen-de.html");
    assert_eq!(a.outlet.as_deref(), Some("Wiener Tagblatt"));
    assert!(reader::render::clean::outlet_rules("Wiener Tagblatt").is_none());
    assert_eq!(a.author.as_deref(), Some("Maria Huber"));
    let published = a.published.as_ref().expect("the dateline's date");
    assert_eq!(published.original, "3. Mai 2024");
    assert_eq!(
        a.meta.published_day.map(|d| d.to_string()).as_deref(),
        Some("2024-05-03")
    );
    let r = render(&a, &Cleaner::for_article(&a, None));
    let lines = text(&r);
    assert_eq!(
        lines,
        [
            "Gemeinderat beschließt neue Straßenbahnlinie",
            "",
            "WIEN, 3. Mai 2024 – Der Gemeinderat hat am Freitag die neue Straßenbahnlinie beschlossen, die ab 2026 den Westen der Stadt mit dem Zentrum verbinden soll.",
            "",
            "Die Kosten werden auf 120 Millionen Euro geschätzt; die Stadt will die Pläne auf Facebook und Twitter teilen.",
            "",
            "Teilen auf Facebook wollen viele Wienerinnen und Wiener ihre Fotos von der ersten Fahrt.",
        ]
    );
    let raw = text(&render(&a, &Cleaner::off())).join("\n");
    for line in [
        "Teilen auf Facebook Twitter",
        "Partager sur Facebook Twitter",
        "Share on Facebook Twitter",
        "分享到：微博 微信",
    ] {
        assert!(raw.contains(line), "{line}: {raw}");
    }
}
